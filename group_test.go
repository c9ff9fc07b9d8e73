package braid_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"

	"github.com/braidstream/braid"
	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/internal/clienttest"
)

// rawConn is a plain gRPC connection to addr, closed with the test.
func rawConn(t *testing.T, addr string) *grpc.ClientConn { return clienttest.RawConn(t, addr) }

// readUntil reads with r until an error or until stop says so, recording
// payloads.
func readUntil(t *testing.T, ctx context.Context, r *braid.GroupReader, stop func(got int) bool) ([]string, error) {
	t.Helper()
	return clienttest.ReadGroupUntil(t, ctx, r, stop)
}

func TestGroupTwoReadersExactlyOnce(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)
	createStream(t, c, "s/g1", 4)
	writeEvents(t, c, ctx, "s/g1", 0, 400)
	tail, err := c.TailCut(ctx, "s/g1")
	if err != nil {
		t.Fatal(err)
	}
	rg := c.ReaderGroup("s/grp")
	if _, err := rg.Create(ctx, braid.ReaderGroupConfig{Streams: []braid.GroupStream{{Stream: "s/g1", End: tail}}}); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for i := range 2 {
		r, err := rg.NewReader(ctx, fmt.Sprintf("r%d", i))
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := readUntil(t, ctx, r, func(int) bool { return false })
			if !errors.Is(err, io.EOF) {
				t.Errorf("reader %s: %v", r.ID(), err)
			}
			mu.Lock()
			for _, g := range got {
				seen[g]++
			}
			mu.Unlock()
			if err := r.Close(ctx); err != nil {
				t.Errorf("close: %v", err)
			}
		}()
	}
	wg.Wait()
	if len(seen) != 400 {
		t.Fatalf("read %d distinct events, want 400", len(seen))
	}
	for k, n := range seen {
		if n != 1 {
			t.Fatalf("%s read %d times", k, n)
		}
	}
	info, err := rg.Describe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !info.Finished || info.LagBytes != 0 {
		t.Fatalf("describe after the end: finished %v lag %d", info.Finished, info.LagBytes)
	}
}

// TestGroupDeadReaderReassigned: a reader that joins and then says nothing
// (a hung process) is declared dead after the group's reader timeout, and
// its segments go to the live reader from its committed positions.
func TestGroupDeadReaderReassigned(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)
	createStream(t, c, "s/dead", 4)
	writeEvents(t, c, ctx, "s/dead", 0, 200)
	rg := c.ReaderGroup("s/dead-g")
	const timeout = 500 * time.Millisecond
	if _, err := rg.Create(ctx, braid.ReaderGroupConfig{Streams: []braid.GroupStream{{Stream: "s/dead"}}, ReaderTimeout: timeout}); err != nil {
		t.Fatal(err)
	}
	live, err := rg.NewReader(ctx, "live")
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close(ctx)
	// The hung reader: a raw session that joins and never sends again.
	conn := rawConn(t, ts.GRPCAddr())
	hung, err := braidv1.NewGroupServiceClient(conn).ReaderSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := hung.Send(&braidv1.ReaderSessionRequest{Kind: &braidv1.ReaderSessionRequest_Join{Join: &braidv1.ReaderJoin{Scope: "s", Group: "dead-g", ReaderId: "hung"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := hung.Recv(); err != nil { // joined
		t.Fatal(err)
	}
	// Both own segments first.
	got := map[string]bool{}
	var joinedAt time.Time
	waitUntil(t, "two readers sharing the segments", 5*time.Second, func() bool {
		in, err := rg.Describe(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(in.Readers) == 2 && len(in.Readers[0].Segments) == 2 && len(in.Readers[1].Segments) == 2 {
			joinedAt = time.Now()
			return true
		}
		// The live reader must read (and so release) for the balance.
		rctx, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
		defer cancel()
		if ev, err := live.Read(rctx); err == nil && ev.Checkpoint == "" {
			got[string(ev.Data)] = true
		}
		return false
	})
	// The live reader reads everything, including the hung reader's
	// segments once it is declared dead.
	for len(got) < 200 {
		ev, err := live.Read(ctx)
		if err != nil {
			t.Fatalf("after %d events: %v", len(got), err)
		}
		if ev.Checkpoint == "" {
			got[string(ev.Data)] = true
		}
	}
	took := time.Since(joinedAt)
	in, err := rg.Describe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Readers) != 1 || in.Readers[0].ID != "live" || len(in.Readers[0].Segments) != 4 {
		t.Fatalf("readers after the timeout: %+v", in.Readers)
	}
	if took > timeout+2*time.Second {
		t.Fatalf("the dead reader's segments took %v to come back (timeout %v)", took, timeout)
	}
	t.Logf("dead reader detected and its segments read again %v after it went silent (timeout %v)", took.Round(time.Millisecond), timeout)
	if _, err := hung.Recv(); err == nil {
		// Assignments may still be queued; the session must end soon.
		for err == nil {
			_, err = hung.Recv()
		}
	}
}

// TestGroupCheckpointAndReset: a checkpoint taken mid-stream records where
// every reader was; resetting to it reads exactly the events after it again.
func TestGroupCheckpointAndReset(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)
	createStream(t, c, "s/cp", 3)
	writeEvents(t, c, ctx, "s/cp", 0, 300)
	rg := c.ReaderGroup("s/cp-g")
	if _, err := rg.Create(ctx, braid.ReaderGroupConfig{Streams: []braid.GroupStream{{Stream: "s/cp"}}}); err != nil {
		t.Fatal(err)
	}
	r, err := rg.NewReader(ctx, "only", braid.WithAutoCommit(0))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close(ctx)
	before, err := readUntil(t, ctx, r, func(n int) bool { return n == 100 })
	if err != nil {
		t.Fatal(err)
	}
	cpDone := make(chan error, 1)
	var cp braid.Checkpoint
	go func() {
		var err error
		cp, err = rg.Checkpoint(ctx, "cp1")
		cpDone <- err
	}()
	// The reader passes the checkpoint inside Read.
	var after []string
	for {
		ev, err := r.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if ev.Checkpoint == "cp1" {
			break
		}
		if ev.Checkpoint == "" {
			after = append(after, string(ev.Data))
		}
	}
	if err := <-cpDone; err != nil {
		t.Fatal(err)
	}
	if len(cp.Cuts) != 1 || len(cp.Cuts[0].Segments) != 3 {
		t.Fatalf("checkpoint cuts: %+v", cp.Cuts)
	}
	rest, err := readUntil(t, ctx, r, func(n int) bool { return len(before)+len(after)+n == 300 })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rg.ResetToCheckpoint(ctx, "cp1"); err != nil {
		t.Fatal(err)
	}
	again, err := readUntil(t, ctx, r, func(n int) bool { return n == len(rest) })
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, s := range rest {
		want[s] = true
	}
	for _, s := range again {
		if !want[s] {
			t.Fatalf("after the reset the reader returned %q, which came before the checkpoint", s)
		}
		delete(want, s)
	}
	if len(want) != 0 {
		t.Fatalf("after the reset %d events after the checkpoint were not read again", len(want))
	}
}

// TestGroupGoesWithItsStream: deleting a stream deletes its groups, and a
// reader of the group gets NOT_FOUND.
func TestGroupGoesWithItsStream(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)
	createStream(t, c, "s/gone", 1)
	rg := c.ReaderGroup("s/gone-g")
	if _, err := rg.Create(ctx, braid.ReaderGroupConfig{Streams: []braid.GroupStream{{Stream: "s/gone"}}}); err != nil {
		t.Fatal(err)
	}
	r, err := rg.NewReader(ctx, "r")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close(ctx)
	if err := c.SealStream(ctx, "s/gone"); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteStream(ctx, "s/gone"); err != nil {
		t.Fatal(err)
	}
	if _, err := rg.Describe(ctx); !errors.Is(err, braid.ErrNotFound) {
		t.Fatalf("describe after the stream's delete: %v", err)
	}
	gs, err := c.ListReaderGroups(ctx, "s")
	if err != nil || len(gs) != 0 {
		t.Fatalf("groups left: %v %v", gs, err)
	}
	for {
		_, err := r.Read(ctx)
		if err == nil {
			continue
		}
		if !errors.Is(err, braid.ErrNotFound) && !errors.Is(err, io.EOF) {
			t.Fatalf("read after the group's delete: %v", err)
		}
		break
	}
}

// TestGroupPositionsSurviveRestart: committed positions are kept by the
// server; after a restart a reader joins again and goes on from them.
func TestGroupPositionsSurviveRestart(t *testing.T) {
	dir, addr := t.TempDir(), freeAddr(t)
	ts := startServer(t, dir, addr)
	c := dialAddr(t, addr)
	ctx := testCtx(t, 60*time.Second)
	createStream(t, c, "s/rs", 2)
	writeEvents(t, c, ctx, "s/rs", 0, 100)
	tail, err := c.TailCut(ctx, "s/rs")
	if err != nil {
		t.Fatal(err)
	}
	rg := c.ReaderGroup("s/rs-g")
	if _, err := rg.Create(ctx, braid.ReaderGroupConfig{Streams: []braid.GroupStream{{Stream: "s/rs", End: tail}}}); err != nil {
		t.Fatal(err)
	}
	r, err := rg.NewReader(ctx, "r", braid.WithAutoCommit(0))
	if err != nil {
		t.Fatal(err)
	}
	first, err := readUntil(t, ctx, r, func(n int) bool { return n == 40 })
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Close(ctx); err != nil { // leaves at the position after the 40
		t.Fatal(err)
	}
	ts.Stop(t)
	ts2 := startServer(t, dir, addr)
	defer ts2.Stop(t)

	r2, err := rg.NewReader(ctx, "r")
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close(ctx)
	rest, err := readUntil(t, ctx, r2, func(int) bool { return false })
	if !errors.Is(err, io.EOF) {
		t.Fatalf("after the restart: %v", err)
	}
	seen := map[string]bool{}
	for _, e := range append(first, rest...) {
		if seen[e] {
			t.Fatalf("%s read twice across the restart", e)
		}
		seen[e] = true
	}
	if len(seen) != 100 {
		t.Fatalf("read %d events across the restart, want 100", len(seen))
	}
}
