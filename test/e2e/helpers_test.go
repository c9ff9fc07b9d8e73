package e2e

import (
	"context"
	"testing"
	"time"

	"go.uber.org/goleak"
	"google.golang.org/grpc"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/clienttest"
	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

// The helpers below are the root package's names for the helpers of
// internal/clienttest, which both packages' tests share.

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// testServer is an in-process braid server.
type testServer = servertest.Server

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

// rawConn is a plain gRPC connection to addr, closed with the test.
func rawConn(t *testing.T, addr string) *grpc.ClientConn { return clienttest.RawConn(t, addr) }

// createStream creates scope/stream with n segments.
func createStream(t testing.TB, c *braid.Client, stream string, n int) {
	t.Helper()
	clienttest.CreateStream(t, c, stream, n)
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

// readAll reads stream until io.EOF with opts (which should bound the read).
func readAll(t testing.TB, c *braid.Client, stream string, opts ...braid.ReaderOption) []braid.Event {
	t.Helper()
	evs, _ := readToEOF(t, testCtx(t, 30*time.Second), c, stream, opts...)
	return evs
}

// readToEOF reads a bounded reader to io.EOF and returns its events and its
// final position.
func readToEOF(t testing.TB, ctx context.Context, c *braid.Client, stream string, opts ...braid.ReaderOption) ([]braid.Event, braid.StreamCut) {
	t.Helper()
	return clienttest.ReadToEOF(t, ctx, c, stream, opts...)
}

// readUntil reads with r until an error or until stop says so, recording
// payloads.
func readUntil(t *testing.T, ctx context.Context, r *braid.GroupReader, stop func(got int) bool) ([]string, error) {
	t.Helper()
	return clienttest.ReadGroupUntil(t, ctx, r, stop)
}
