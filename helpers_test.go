package braid_test

import (
	"context"
	"fmt"
	"net"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// testServer is an in-process braid server.
type testServer = servertest.Server

// startServer starts a server on dir, listening for gRPC on grpcAddr
// ("127.0.0.1:0" for any port). Stop it with Stop.
func startServer(t testing.TB, dir, grpcAddr string) *testServer {
	t.Helper()
	return servertest.Start(t, server.Config{DataDir: dir, GRPCAddr: grpcAddr})
}

// newServer starts a server in a temporary directory, stopped at the end of
// the test.
func newServer(t testing.TB) *testServer {
	t.Helper()
	return servertest.New(t, server.Config{})
}

// dial connects to ts; the client is closed at the end of the test.
func dial(t testing.TB, ts *testServer) *braid.Client {
	t.Helper()
	return dialAddr(t, ts.GRPCAddr())
}

func dialAddr(t testing.TB, addr string) *braid.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := braid.Dial(ctx, addr)
	if err != nil {
		t.Fatalf("Dial %s: %v", addr, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// createStream creates scope/stream with n segments.
func createStream(t testing.TB, c *braid.Client, stream string, n int) {
	t.Helper()
	if _, err := c.CreateStream(context.Background(), stream, braid.StreamConfig{Segments: n, CreateScope: true}); err != nil {
		t.Fatalf("CreateStream %s: %v", stream, err)
	}
}

// freeAddr returns a loopback address with a port that was free a moment
// ago.
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// testCtx returns a context that ends with the test or after d.
func testCtx(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// writeEvents writes n events over 7 keys and returns their pointers.
func writeEvents(t *testing.T, c *braid.Client, ctx context.Context, stream string, from, n int) []braid.EventPointer {
	t.Helper()
	w, err := c.NewWriter(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	var acks []braid.Ack
	for i := from; i < from+n; i++ {
		acks = append(acks, w.Write(ctx, fmt.Sprintf("k%d", i%7), fmt.Appendf(nil, "event-%04d-%0100d", i, i)))
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	var ps []braid.EventPointer
	for _, a := range acks {
		p, err := a.Wait(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	return ps
}

// waitUntil polls cond until it holds or d passes.
func waitUntil(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		<-tick.C
	}
}
