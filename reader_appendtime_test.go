package braid_test

import (
	"slices"
	"testing"
	"time"

	"github.com/braidstream/braid"
)

// TestAppendTime: fresh events carry their commit's time, within the
// write's span, and events of one commit share it.
func TestAppendTime(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)
	const stream = "test/times"
	createStream(t, c, stream, 2)
	before := time.Now()
	writeEvents(t, c, ctx, stream, 0, 20)
	after := time.Now()
	evs := readAll(t, c, stream, braid.UntilTail())
	if len(evs) != 20 {
		t.Fatalf("read %d events", len(evs))
	}
	// A second commit, later: its events have a later time.
	writeEvents(t, c, ctx, stream, 20, 1)
	evs = readAll(t, c, stream, braid.UntilTail())
	if len(evs) != 21 {
		t.Fatalf("read %d events", len(evs))
	}
	last := evs[0]
	for _, ev := range evs {
		if string(ev.Data[:10]) == "event-0020" {
			last = ev
		}
	}
	evs = slices.DeleteFunc(evs, func(ev braid.Event) bool { return ev.Pointer == last.Pointer })
	if !last.AppendTime.After(after) {
		t.Errorf("the later event's append time %v, want after %v", last.AppendTime, after)
	}
	for _, ev := range evs {
		if ev.AppendTime.IsZero() || ev.AppendTime.Before(before) || ev.AppendTime.After(after) {
			t.Errorf("event at %v: append time %v, want between %v and %v", ev.Pointer, ev.AppendTime, before, after)
		}
	}
}

// TestGroupAppendTime: a group reader's events carry append times too.
func TestGroupAppendTime(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)
	const stream = "test/gtimes"
	createStream(t, c, stream, 2)
	before := time.Now()
	writeEvents(t, c, ctx, stream, 0, 10)
	after := time.Now()
	tail, err := c.TailCut(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	rg := c.ReaderGroup("test/gtimes-g")
	if _, err := rg.Create(ctx, braid.ReaderGroupConfig{Streams: []braid.GroupStream{{Stream: stream, End: tail}}}); err != nil {
		t.Fatal(err)
	}
	r, err := rg.NewReader(ctx, "r")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close(ctx)
	for n := 0; n < 10; {
		ev, err := r.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if ev.Checkpoint != "" {
			continue
		}
		n++
		if ev.AppendTime.Before(before) || ev.AppendTime.After(after) {
			t.Errorf("event at %v: append time %v, want between %v and %v", ev.Pointer, ev.AppendTime, before, after)
		}
	}
}
