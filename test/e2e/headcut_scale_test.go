package e2e

import (
	"testing"
	"time"
)

// TestHeadCutAfterSplitTruncated: once a split segment's data is all
// truncated, the head cut names every successor: the cut still covers the
// whole key space.
func TestHeadCutAfterSplitTruncated(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)
	createStream(t, c, "h/s", 1)
	writeEvents(t, c, ctx, "h/s", 0, 20)
	info, err := c.GetStream(ctx, "h/s")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SplitSegment(ctx, "h/s", info.Current[0].ID, 3); err != nil {
		t.Fatal(err)
	}
	writeEvents(t, c, ctx, "h/s", 20, 20)
	tail, err := c.TailCut(ctx, "h/s")
	if err != nil {
		t.Fatal(err)
	}
	// The cut before truncation still starts in the first epoch.
	head, err := c.HeadCut(ctx, "h/s")
	if err != nil {
		t.Fatal(err)
	}
	if len(head.Segments) != 1 {
		t.Fatalf("head before truncation: %v", head)
	}
	if err := c.TruncateStream(ctx, "h/s", tail); err != nil {
		t.Fatal(err)
	}
	head, err = c.HeadCut(ctx, "h/s")
	if err != nil {
		t.Fatal(err)
	}
	if !head.Equal(tail) {
		t.Fatalf("head after truncating at the tail: %v, want %v", head, tail)
	}
}
