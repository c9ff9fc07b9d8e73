package server

import (
	"context"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/internal/ephemeral"
	"github.com/braidstream/braid/internal/queryjob"
)

// scopeResolver finds the scopes of jobs, queries and holders for the
// gRPC port's authorization, through the services the port serves: on a
// cluster node those forward to the leader, which holds them.
type scopeResolver struct {
	exports   braidv1.ExportServiceServer
	queries   braidv1.QueryServiceServer
	ephemeral braidv1.EphemeralServiceServer
	// holders, on one node, finds a holder without a listing.
	holders *ephemeral.Manager
}

func scopeOf(stream string) string {
	scope, _, _ := strings.Cut(stream, "/")
	return scope
}

func (r scopeResolver) ExportScope(ctx context.Context, name string) (string, error) {
	resp, err := r.exports.GetExport(ctx, &braidv1.GetExportRequest{Name: name})
	if err != nil {
		return "", err
	}
	return resp.GetExport().GetJob().GetScope(), nil
}

func (r scopeResolver) QueryScopes(ctx context.Context, name string) (string, string, error) {
	resp, err := r.queries.GetQuery(ctx, &braidv1.GetQueryRequest{Name: name})
	if err != nil {
		return "", "", err
	}
	return scopeOf(resp.GetQuery().GetInput()), scopeOf(resp.GetQuery().GetOutput()), nil
}

func (r scopeResolver) SQLScopes(name, text string) (string, string, string, error) {
	in, out, late, err := queryjob.StreamsOf(name, text)
	if err != nil {
		return "", "", "", err
	}
	if late != "" {
		late = scopeOf(late)
	}
	return scopeOf(in), scopeOf(out), late, nil
}

func (r scopeResolver) HolderScopes(ctx context.Context, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	if r.holders != nil {
		for _, id := range ids {
			if scope, ok := r.holders.HolderScope(id); ok {
				out[id] = scope
			}
		}
		return out, nil
	}
	// One listing for all of them, from the leader.
	resp, err := r.ephemeral.ListEphemeral(ctx, &braidv1.ListEphemeralRequest{})
	if err != nil {
		return nil, err
	}
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	for _, e := range resp.GetEphemeral() {
		for _, h := range e.GetHolders() {
			if want[h.GetId()] {
				out[h.GetId()] = e.GetScope()
			}
		}
	}
	return out, nil
}

// authCounter counts authentication failures and permission denials
// (braid_auth_failures_total, braid_auth_denied_total).
type authCounter struct {
	failures *prometheus.CounterVec
	denied   *prometheus.CounterVec
}

func newAuthCounter(reg prometheus.Registerer) *authCounter {
	c := &authCounter{
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "braid_auth_failures_total",
			Help: "Requests refused for their credentials, by surface (grpc, http) and reason (no_credentials, bad_token, unknown_certificate, bad_peer_secret).",
		}, []string{"surface", "reason"}),
		denied: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "braid_auth_denied_total",
			Help: "Requests of authenticated callers refused for want of a permission, by surface (grpc, http).",
		}, []string{"surface"}),
	}
	reg.MustRegister(c.failures, c.denied)
	return c
}

func (c *authCounter) Failure(surface, reason string) {
	c.failures.WithLabelValues(surface, reason).Inc()
}
func (c *authCounter) Denied(surface string) { c.denied.WithLabelValues(surface).Inc() }
