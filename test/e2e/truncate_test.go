package e2e

import (
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/braidstream/braid"
)

func TestTruncateStream(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)
	createStream(t, c, "tr/s", 2)
	w, err := c.NewWriter(ctx, "tr/s")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		w.Write(ctx, fmt.Sprintf("k%d", i%4), []byte(fmt.Sprintf("e%02d", i)))
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	readAll := func(opts ...braid.ReaderOption) ([]braid.Event, error) {
		r, err := c.NewReader(ctx, "tr/s", append(opts, braid.UntilTail())...)
		if err != nil {
			return nil, err
		}
		defer r.Close()
		var out []braid.Event
		for {
			ev, err := r.Next(ctx)
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			if err != nil {
				return out, err
			}
			out = append(out, ev)
		}
	}
	before, err := readAll()
	if err != nil || len(before) != 20 {
		t.Fatalf("read %d events, %v", len(before), err)
	}
	oldHead, err := c.HeadCut(ctx, "tr/s")
	if err != nil {
		t.Fatal(err)
	}
	cut := before[9].Position()
	if err := c.TruncateStream(ctx, "tr/s", cut); err != nil {
		t.Fatal(err)
	}
	head, err := c.HeadCut(ctx, "tr/s")
	if err != nil || head.String() != cut.String() {
		t.Fatalf("head after truncation %v (%v), want %v", head, err, cut)
	}
	// What remains is exactly what lies at or after the cut in each
	// segment, which is what followed the 10th event in the first read.
	after, err := readAll()
	if err != nil {
		t.Fatal(err)
	}
	// Order is defined per segment, so compare per segment.
	perSegment := func(evs []braid.Event) map[uint64][]string {
		m := map[uint64][]string{}
		for _, ev := range evs {
			m[ev.Pointer.SegmentID] = append(m[ev.Pointer.SegmentID], string(ev.Data))
		}
		return m
	}
	if got, want := perSegment(after), perSegment(before[10:]); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after truncation read %v, want %v", got, want)
	}
	// Below the cut: a clear TRUNCATED error, never other bytes.
	if _, err := c.Fetch(ctx, before[0].Pointer); !errors.Is(err, braid.ErrTruncated) {
		t.Fatalf("fetch below the cut: %v, want ErrTruncated", err)
	}
	if _, err := readAll(braid.FromCut(oldHead)); !errors.Is(err, braid.ErrTruncated) {
		t.Fatalf("read from the old head: %v, want ErrTruncated", err)
	}
	if data, err := c.Fetch(ctx, before[10].Pointer); err != nil || string(data) != string(before[10].Data) {
		t.Fatalf("fetch at the cut: %q, %v", data, err)
	}

	// Bad cuts.
	one := braid.StreamCut{Segments: cut.Segments[:1]}
	notBoundary := cut.With(cut.Segments[0].SegmentID, cut.Segments[0].Offset+1)
	unknown := cut.With(1<<40, 0)
	for name, bad := range map[string]braid.StreamCut{
		"missing segment": one, "not at an event boundary": notBoundary, "unknown segment": unknown, "empty": {},
	} {
		if err := c.TruncateStream(ctx, "tr/s", bad); !errors.Is(err, braid.ErrInvalidArgument) {
			t.Errorf("truncate with a cut with %s: %v, want ErrInvalidArgument", name, err)
		}
	}
	// A cut that is good in one segment (one event further) and bad in the
	// other is refused whole: nothing is truncated.
	good := before[10].Pointer
	var other uint64
	for _, so := range cut.Segments {
		if so.SegmentID != good.SegmentID {
			other = so.SegmentID
		}
	}
	otherOff, _ := cut.Offset(other)
	mixed := cut.With(good.SegmentID, good.Offset+int64(good.Length)).With(other, otherOff+1)
	if err := c.TruncateStream(ctx, "tr/s", mixed); !errors.Is(err, braid.ErrInvalidArgument) {
		t.Fatalf("truncate with a half-bad cut: %v, want ErrInvalidArgument", err)
	}
	if head, err := c.HeadCut(ctx, "tr/s"); err != nil || head.String() != cut.String() {
		t.Fatalf("a rejected cut changed the head: %v (%v), want %v", head, err, cut)
	}
	if err := c.TruncateStream(ctx, "tr/nope", cut); !errors.Is(err, braid.ErrNotFound) {
		t.Errorf("truncate a missing stream: %v", err)
	}
}
