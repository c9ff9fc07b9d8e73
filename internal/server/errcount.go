package server

import (
	"context"
	"errors"
	"runtime"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/braidstream/braid/wire"
)

// errorCounter counts the errors clients get, by API and braid code
// (braid_errors_total).
type errorCounter struct{ vec *prometheus.CounterVec }

func newErrorCounter(reg prometheus.Registerer) errorCounter {
	c := errorCounter{prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "braid_errors_total",
		Help: "Errors answered to clients, by API (grpc, http) and braid code (NOT_FOUND, SEALED, STORAGE_FULL, ...). HTTP requests the HTTP layer serves through gRPC count once, as http.",
	}, []string{"api", "code"})}
	reg.MustRegister(c.vec)
	return c
}

// Count counts one error of api with braid code code.
func (c errorCounter) Count(api, code string) { c.vec.WithLabelValues(api, code).Inc() }

// grpcCode is the braid code of a call's error: its ErrorInfo reason, or
// the gRPC code's name.
func grpcCode(err error) string {
	st := status.Convert(err)
	for _, d := range st.Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok && info.GetDomain() == wire.ErrorDomain {
			return info.GetReason()
		}
	}
	return st.Code().String()
}

// counted reports whether err is an error answered to a client: not a
// call the client itself cancelled.
func counted(err error) bool {
	return err != nil && status.Code(err) != codes.Canceled && !errors.Is(err, context.Canceled)
}

func (c errorCounter) unary(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	resp, err := handler(ctx, req)
	if counted(err) {
		c.Count("grpc", grpcCode(err))
	}
	return resp, err
}

func (c errorCounter) stream(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	err := handler(srv, ss)
	if counted(err) {
		c.Count("grpc", grpcCode(err))
	}
	return err
}

// registerBuild registers braid_build_info and braid_start_time_seconds.
func registerBuild(reg prometheus.Registerer, version string, started time.Time) {
	info := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "braid_build_info",
		Help: "Always 1; the labels say which braid runs (version: the module version, or (devel)) on which Go."},
		[]string{"version", "go_version"})
	info.WithLabelValues(version, runtime.Version()).Set(1)
	start := prometheus.NewGauge(prometheus.GaugeOpts{Name: "braid_start_time_seconds",
		Help: "When the server started, Unix seconds."})
	start.Set(float64(started.UnixNano()) / 1e9)
	reg.MustRegister(info, start)
}
