// Package clienttest holds the helpers of tests that drive an in-process
// server (internal/server/servertest) through the Go client: dialling,
// creating streams, writing and reading events, waiting on a condition.
// The client's own tests (the root package) and the server-behaviour tests
// (test/e2e) share them. Every helper fails the test on an error.
package clienttest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/braidstream/braid"
)

// Dial connects to addr; the client is closed at the end of the test.
func Dial(t testing.TB, addr string) *braid.Client {
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

// RawConn is a plain gRPC connection to addr, closed with the test.
func RawConn(t testing.TB, addr string) *grpc.ClientConn {
	t.Helper()
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// CreateStream creates scope/stream with n segments (and the scope).
func CreateStream(t testing.TB, c *braid.Client, stream string, n int) {
	t.Helper()
	if _, err := c.CreateStream(context.Background(), stream, braid.StreamConfig{Segments: n, CreateScope: true}); err != nil {
		t.Fatalf("CreateStream %s: %v", stream, err)
	}
}

// Ctx returns a context that ends with the test or after d.
func Ctx(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// WriteEvents writes events from..from+n-1 over 7 keys (payload
// "event-NNNN-..." of 111 bytes) and returns their pointers.
func WriteEvents(t testing.TB, c *braid.Client, ctx context.Context, stream string, from, n int) []braid.EventPointer {
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

// WaitUntil checks cond every 5 ms until it holds, failing the test if d
// passes first.
func WaitUntil(t testing.TB, what string, d time.Duration, cond func() bool) {
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

// ReadToEOF reads a bounded reader of stream to io.EOF and returns its
// events and its final position.
func ReadToEOF(t testing.TB, ctx context.Context, c *braid.Client, stream string, opts ...braid.ReaderOption) ([]braid.Event, braid.StreamCut) {
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

// ReadGroupUntil reads with r until an error (io.EOF at the end) or until
// stop says so, and returns the payloads read (checkpoint markers
// skipped).
func ReadGroupUntil(t testing.TB, ctx context.Context, r *braid.GroupReader, stop func(got int) bool) ([]string, error) {
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
