package braid_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/braidstream/braid"
)

// manualGroup makes a bounded group over a new stream of n events and
// returns it with every payload.
func manualGroup(t *testing.T, c *braid.Client, ctx context.Context, name string, segments, n int) (*braid.ReaderGroup, map[string]bool) {
	t.Helper()
	createStream(t, c, "s/"+name, segments)
	writeEvents(t, c, ctx, "s/"+name, 0, n)
	tail, err := c.TailCut(ctx, "s/"+name)
	if err != nil {
		t.Fatal(err)
	}
	rg := c.ReaderGroup("s/" + name + "-g")
	if _, err := rg.Create(ctx, braid.ReaderGroupConfig{Streams: []braid.GroupStream{{Stream: "s/" + name, End: tail}}}); err != nil {
		t.Fatal(err)
	}
	all := map[string]bool{}
	for i := range n {
		all[string(fmtEvent(i))] = true
	}
	return rg, all
}

// fmtEvent is event i's payload as writeEvents writes it.
func fmtEvent(i int) []byte { return fmt.Appendf(nil, "event-%04d-%0100d", i, i) }

// readEvents reads n events (skipping checkpoint markers).
func readEvents(t *testing.T, ctx context.Context, r *braid.GroupReader, n int) []braid.GroupEvent {
	t.Helper()
	var out []braid.GroupEvent
	for len(out) < n {
		ev, err := r.Read(ctx)
		if err != nil {
			t.Fatalf("reader %s after %d events: %v", r.ID(), len(out), err)
		}
		if ev.Checkpoint == "" {
			out = append(out, ev)
		}
	}
	return out
}

// drain reads to io.EOF.
func drain(t *testing.T, ctx context.Context, r *braid.GroupReader) []braid.GroupEvent {
	t.Helper()
	var out []braid.GroupEvent
	for {
		ev, err := r.Read(ctx)
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("reader %s after %d events: %v", r.ID(), len(out), err)
		}
		if ev.Checkpoint == "" {
			out = append(out, ev)
		}
	}
}

// TestGroupAbandon: a reader that abandons the group leaves its segments
// at the last committed positions: what it returned after its commit is
// read again by the next reader, what it committed is not.
func TestGroupAbandon(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)
	for i, manual := range []bool{false, true} {
		rg, all := manualGroup(t, c, ctx, fmt.Sprint("abandon", i), 2, 100)
		opts := []braid.GroupReaderOption{braid.WithAutoCommit(0)}
		if manual {
			opts = []braid.GroupReaderOption{braid.WithManualCommit()}
		}
		a, err := rg.NewReader(ctx, "a", opts...)
		if err != nil {
			t.Fatal(err)
		}
		committed := readEvents(t, ctx, a, 30)
		if err := a.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		returned := readEvents(t, ctx, a, 20)
		if err := a.Abandon(ctx); err != nil {
			t.Fatal(err)
		}
		if err := a.Close(ctx); err != nil { // after Abandon: nothing
			t.Fatal(err)
		}
		b, err := rg.NewReader(ctx, "b", braid.WithAutoCommit(0))
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, ev := range drain(t, ctx, b) {
			got[string(ev.Data)] = true
		}
		for _, ev := range committed {
			if got[string(ev.Data)] {
				t.Fatalf("manual %v: committed event %s read again", manual, ev.Data)
			}
			got[string(ev.Data)] = true
		}
		for _, ev := range returned {
			if !got[string(ev.Data)] {
				t.Fatalf("manual %v: event %s returned after the last commit was not read again", manual, ev.Data)
			}
		}
		if len(got) != len(all) {
			t.Fatalf("manual %v: %d events read, want %d", manual, len(got), len(all))
		}
		if err := b.Close(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

// TestGroupManualCommitRelease: with WithManualCommit a segment the group
// moves to another reader stops returning events at once and is handed
// over at the next Commit, at the position after what the reader returned:
// a rebalance delivers nothing twice.
func TestGroupManualCommitRelease(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)
	rg, all := manualGroup(t, c, ctx, "release", 2, 100)
	a, err := rg.NewReader(ctx, "a", braid.WithManualCommit())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close(ctx)
	// a returns events of both segments, and commits none.
	var fromA []braid.GroupEvent
	for segs := map[uint64]bool{}; len(segs) < 2; {
		ev := readEvents(t, ctx, a, 1)[0]
		fromA = append(fromA, ev)
		segs[ev.Pointer.SegmentID] = true
	}
	b, err := rg.NewReader(ctx, "b", braid.WithManualCommit())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close(ctx)
	// The group asks a to give up a segment; a takes the request inside
	// Read and returns only events of the other one from then on. Read
	// until a has nothing more for a while.
	for idle := 0; idle < 5; {
		rctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
		ev, err := a.Read(rctx)
		cancel()
		switch {
		case errors.Is(err, context.DeadlineExceeded):
			idle++
		case err != nil:
			t.Fatal(err)
		default:
			idle = 0
			fromA = append(fromA, ev)
		}
	}
	in, err := rg.Describe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, rd := range in.Readers {
		if rd.ID == "b" && len(rd.Segments) != 0 {
			t.Fatalf("b owns %x before a committed", rd.Segments)
		}
	}
	// The commit hands the segment over at the position after the events
	// a returned from it.
	if err := a.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	after := map[uint64]int64{}
	for _, ev := range fromA {
		after[ev.Pointer.SegmentID] = max(after[ev.Pointer.SegmentID], ev.Pointer.Offset+int64(ev.Pointer.Length))
	}
	waitUntil(t, "the commit applied", 5*time.Second, func() bool {
		in, err := rg.Describe(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, seg := range in.Segments {
			if seg.Offset != after[seg.ID] {
				return false
			}
		}
		return true
	})
	// Both read to the end, committing after every event (a segment is
	// finished at the commit after its last event).
	bDone := make(chan []braid.GroupEvent)
	go func() {
		var out []braid.GroupEvent
		defer func() { bDone <- out }()
		for {
			ev, err := b.Read(ctx)
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				t.Error(err)
				return
			}
			out = append(out, ev)
			if err := b.Commit(ctx); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for {
		ev, err := a.Read(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		fromA = append(fromA, ev)
		if err := a.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	fromB := <-bDone
	seen := map[string]string{}
	for who, evs := range map[string][]braid.GroupEvent{"a": fromA, "b": fromB} {
		for _, ev := range evs {
			if other, dup := seen[string(ev.Data)]; dup {
				t.Fatalf("%s read by %s and %s", ev.Data, other, who)
			}
			seen[string(ev.Data)] = who
		}
	}
	if len(seen) != len(all) {
		t.Fatalf("%d events read, want %d", len(seen), len(all))
	}
}

// TestGroupManualCommitCheckpoint: with WithManualCommit a checkpoint
// marker comes back until Commit, the checkpoint completes with that
// commit and holds every event returned before the marker; a segment read
// to its end is finished at the next Commit.
func TestGroupManualCommitCheckpoint(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)
	rg, all := manualGroup(t, c, ctx, "mcp", 2, 100)
	r, err := rg.NewReader(ctx, "only", braid.WithManualCommit())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close(ctx)
	evs := readEvents(t, ctx, r, 30)
	type result struct {
		cp  braid.Checkpoint
		err error
	}
	cpDone := make(chan result, 1)
	go func() {
		cp, err := rg.Checkpoint(ctx, "cp1")
		cpDone <- result{cp, err}
	}()
	for {
		ev, err := r.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if ev.Checkpoint == "cp1" {
			break
		}
		evs = append(evs, ev)
	}
	for range 3 {
		ev, err := r.Read(ctx)
		if err != nil || ev.Checkpoint != "cp1" {
			t.Fatalf("Read before Commit: %+v, %v; want the marker again", ev, err)
		}
	}
	select {
	case res := <-cpDone:
		t.Fatalf("checkpoint completed before the reader committed: %+v %v", res.cp, res.err)
	default:
	}
	if err := r.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	res := <-cpDone
	if res.err != nil {
		t.Fatal(res.err)
	}
	want := map[uint64]int64{}
	for _, ev := range evs {
		want[ev.Pointer.SegmentID] = max(want[ev.Pointer.SegmentID], ev.Pointer.Offset+int64(ev.Pointer.Length))
	}
	for _, so := range res.cp.Cuts[0].Segments {
		if w, ok := want[so.SegmentID]; ok && so.Offset != w {
			t.Fatalf("checkpoint at %d in segment %x, want %d (after the events returned before the marker)", so.Offset, so.SegmentID, w)
		}
	}
	evs = append(evs, readEvents(t, ctx, r, len(all)-len(evs))...)
	got := map[string]bool{}
	for _, ev := range evs {
		got[string(ev.Data)] = true
	}
	if len(got) != len(all) || len(evs) != len(all) {
		t.Fatalf("read %d events (%d distinct), want %d", len(evs), len(got), len(all))
	}
}

// TestGroupManualCommitEnd: with WithManualCommit a segment read to its end
// is finished at the next Commit, so a bounded group ends only then.
func TestGroupManualCommitEnd(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)
	rg, all := manualGroup(t, c, ctx, "mend", 2, 100)
	r, err := rg.NewReader(ctx, "only", braid.WithManualCommit())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close(ctx)
	readEvents(t, ctx, r, len(all))
	rctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if ev, err := r.Read(rctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Read past the end before Commit: %+v, %v; want the deadline", ev, err)
	}
	if in, err := rg.Describe(ctx); err != nil || in.Finished {
		t.Fatalf("describe before the commit: finished %v, %v", in.Finished, err)
	}
	if err := r.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if ev, err := r.Read(ctx); !errors.Is(err, io.EOF) {
		t.Fatalf("Read after the last Commit: %+v, %v; want io.EOF", ev, err)
	}
	if in, err := rg.Describe(ctx); err != nil || !in.Finished || in.LagBytes != 0 {
		t.Fatalf("describe after the commit: finished %v lag %d, %v", in.Finished, in.LagBytes, err)
	}
}

// TestGroupCommitRecorded: Commit returns once the server has recorded the
// position, so a describe made just after it shows it, every time.
func TestGroupCommitRecorded(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)
	rg, _ := manualGroup(t, c, ctx, "mrec", 1, 50)
	r, err := rg.NewReader(ctx, "only", braid.WithManualCommit())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close(ctx)
	for i := range 50 {
		ev := readEvents(t, ctx, r, 1)[0]
		if err := r.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		in, err := rg.Describe(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := ev.Pointer.Offset + int64(ev.Pointer.Length)
		for _, cut := range in.Position {
			for _, so := range cut.Segments {
				if so.SegmentID == ev.Pointer.SegmentID && so.Offset != want {
					t.Fatalf("commit %d: describe shows offset %d in segment %x, want %d", i, so.Offset, so.SegmentID, want)
				}
			}
		}
	}
}
