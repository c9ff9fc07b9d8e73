package braid_test

import (
	"context"
	"net"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/clienttest"
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

func dialAddr(t testing.TB, addr string) *braid.Client { return clienttest.Dial(t, addr) }

// createStream creates scope/stream with n segments.
func createStream(t testing.TB, c *braid.Client, stream string, n int) {
	t.Helper()
	clienttest.CreateStream(t, c, stream, n)
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
func testCtx(t testing.TB, d time.Duration) context.Context { return clienttest.Ctx(t, d) }

// writeEvents writes n events over 7 keys and returns their pointers.
func writeEvents(t *testing.T, c *braid.Client, ctx context.Context, stream string, from, n int) []braid.EventPointer {
	t.Helper()
	return clienttest.WriteEvents(t, c, ctx, stream, from, n)
}

// waitUntil checks cond until it holds, failing the test after d.
func waitUntil(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	clienttest.WaitUntil(t, what, d, cond)
}
