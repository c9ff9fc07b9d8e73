package braid_test

import (
	"context"
	"errors"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/metadata"

	"github.com/braidstream/braid"
	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/internal/tlsconf"
	"github.com/braidstream/braid/internal/tlsconf/tlstest"
)

// authRecorder records the authorization metadata of every call and
// stream a server receives, by method.
type authRecorder struct {
	mu   sync.Mutex
	seen map[string][]string // method -> authorization values
}

func (a *authRecorder) record(ctx context.Context, method string) {
	md, _ := metadata.FromIncomingContext(ctx)
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.seen == nil {
		a.seen = map[string][]string{}
	}
	a.seen[method] = append(a.seen[method], md.Get("authorization")...)
}

func (a *authRecorder) get(method string) []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.seen[method])
}

// startSecureFake serves f (a fake server, see fake_test.go) with the
// server options opts, recording authorization metadata in rec, until the
// test ends, and returns its address.
func startSecureFake(t *testing.T, f *fakeServer, rec *authRecorder, opts ...grpc.ServerOption) string {
	t.Helper()
	f.segs = []*braidv1.SegmentRange{{SegmentId: 1, KeyLow: 0, KeyHigh: 1}}
	f.data = map[uint64][]byte{}
	f.last = map[string]int64{}
	f.batches = map[string]fakeBatch{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	opts = append(opts,
		grpc.UnaryInterceptor(func(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
			rec.record(ctx, info.FullMethod)
			return h(ctx, req)
		}),
		grpc.StreamInterceptor(func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, h grpc.StreamHandler) error {
			rec.record(ss.Context(), info.FullMethod)
			return h(srv, ss)
		}))
	gs := grpc.NewServer(opts...)
	braidv1.RegisterStreamServiceServer(gs, f)
	braidv1.RegisterDataServiceServer(gs, f)
	done := make(chan struct{})
	go func() {
		defer close(done)
		gs.Serve(ln)
	}()
	t.Cleanup(func() {
		gs.Stop()
		<-done
	})
	return ln.Addr().String()
}

// TestWithToken: the token goes as "authorization: Bearer <token>" with
// the calls and the streams of the client; without WithToken nothing
// does.
func TestWithToken(t *testing.T) {
	var rec authRecorder
	addr := startSecureFake(t, &fakeServer{}, &rec)
	ctx := testCtx(t, 20*time.Second)

	c, err := braid.Dial(ctx, addr, braid.WithToken("braid_secret"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	w, err := c.NewWriter(ctx, "s/s")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(ctx, "k", []byte("x")).Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	want := []string{"Bearer braid_secret"}
	for _, m := range []string{"/braid.v1.StreamService/ListScopes", "/braid.v1.DataService/Append"} {
		if got := rec.get(m); len(got) == 0 || slices.ContainsFunc(got, func(v string) bool { return v != want[0] }) {
			t.Errorf("%s: authorization %q, want %q each time", m, got, want)
		}
	}

	c2, err := braid.Dial(ctx, addr, braid.WithToken("braid_secret"), braid.WithToken(""))
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if got := rec.get("/braid.v1.StreamService/ListScopes"); len(got) != 1 {
		t.Errorf("without a token: authorization %q", got[1:])
	}
}

// TestWithTLS: WithTLS reaches a TLS server, with a client certificate
// and a token; against a plain-text server it fails saying so, and a
// plain-text client does not reach a TLS server.
func TestWithTLS(t *testing.T) {
	f := tlstest.Write(t, t.TempDir())
	srv, err := tlsconf.NewServer(f.ServerCert, f.ServerKey, f.CA, nil)
	if err != nil {
		t.Fatal(err)
	}
	var rec, plainRec authRecorder
	tlsAddr := startSecureFake(t, &fakeServer{}, &rec, grpc.Creds(credentials.NewTLS(srv.Config())))
	plainAddr := startSecureFake(t, &fakeServer{}, &plainRec)
	cfg, err := tlsconf.NewClient(f.CA, f.ClientCert, f.ClientKey, false)
	if err != nil {
		t.Fatal(err)
	}
	ctx := testCtx(t, 20*time.Second)
	dial := func(addr string, opts ...braid.DialOption) error {
		t.Helper()
		// No deadline: Dial fails at the first failed attempt.
		c, err := braid.Dial(context.WithoutCancel(ctx), addr, opts...)
		if err == nil {
			c.Close()
		}
		return err
	}

	if err := dial(tlsAddr, braid.WithTLS(cfg), braid.WithToken("braid_tls")); err != nil {
		t.Fatalf("TLS client, TLS server: %v", err)
	}
	if got := rec.get("/braid.v1.StreamService/ListScopes"); len(got) != 1 || got[0] != "Bearer braid_tls" {
		t.Errorf("authorization over TLS: %q", got)
	}
	_, port, _ := net.SplitHostPort(tlsAddr)
	if err := dial(net.JoinHostPort("localhost", port), braid.WithTLS(cfg)); err != nil {
		t.Fatalf("TLS client, TLS server named localhost: %v", err)
	}

	err = dial(plainAddr, braid.WithTLS(cfg))
	var be *braid.Error
	if !errors.As(err, &be) || !errors.Is(err, braid.ErrUnavailable) ||
		!strings.Contains(err.Error(), "dial "+plainAddr+": the server does not speak TLS, it answered in plain text") ||
		!strings.Contains(err.Error(), "without WithTLS") {
		t.Fatalf("TLS client, plain-text server: %v", err)
	}
	if err := dial(tlsAddr); err == nil {
		t.Fatalf("plain-text client, TLS server: no error")
	}
	if got := plainRec.get("/braid.v1.StreamService/ListScopes"); len(got) != 0 {
		t.Errorf("the plain-text server got calls: %q", got)
	}
	// The server's certificate of another CA.
	other := tlstest.Write(t, t.TempDir())
	ocfg, err := tlsconf.NewClient(other.CA, f.ClientCert, f.ClientKey, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := dial(tlsAddr, braid.WithTLS(ocfg)); err == nil || !strings.Contains(err.Error(), "certificate signed by unknown authority") {
		t.Fatalf("TLS client trusting another CA: %v", err)
	}
}

// TestTokenNeedsTLSBeyondLoopback: a token without TLS goes to loopback
// addresses only; Dial refuses another machine's before sending anything.
func TestTokenNeedsTLSBeyondLoopback(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := braid.Dial(ctx, "192.0.2.1:7470", braid.WithToken("braid_x"))
	if !errors.Is(err, braid.ErrInvalidArgument) || !strings.Contains(err.Error(), "clear text") {
		t.Fatalf("Dial of a remote address with a token and no TLS: %v, want INVALID_ARGUMENT about clear text", err)
	}
}
