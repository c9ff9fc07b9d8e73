package e2e

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"go.uber.org/goleak"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

// The helpers below are copies of the root package's test helpers (its
// tests of the client use them too); keep the two in step.

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

// rawConn is a plain gRPC connection to addr, closed with the test.
func rawConn(t *testing.T, addr string) *grpc.ClientConn {
	t.Helper()
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// createStream creates scope/stream with n segments.
func createStream(t testing.TB, c *braid.Client, stream string, n int) {
	t.Helper()
	if _, err := c.CreateStream(context.Background(), stream, braid.StreamConfig{Segments: n, CreateScope: true}); err != nil {
		t.Fatalf("CreateStream %s: %v", stream, err)
	}
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
	r, err := c.NewReader(ctx, stream, opts...)
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	defer r.Close()
	var evs []braid.Event
	for {
		ev, err := r.Next(ctx)
		if errors.Is(err, io.EOF) {
			return evs, r.Position()
		}
		if err != nil {
			t.Fatalf("Next after %d events: %v", len(evs), err)
		}
		evs = append(evs, ev)
	}
}

// readGroup reads with r until io.EOF or until stop says so, recording
// payloads.
func readUntil(t *testing.T, ctx context.Context, r *braid.GroupReader, stop func(got int) bool) ([]string, error) {
	t.Helper()
	var got []string
	for !stop(len(got)) {
		ev, err := r.Read(ctx)
		if err != nil {
			return got, err
		}
		if ev.Checkpoint != "" {
			continue
		}
		got = append(got, string(ev.Data))
	}
	return got, nil
}
