package controller

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestQuota: creates and scales that would pass the server's stream or
// segment quota are refused with ErrQuotaExceeded, naming the quota, and
// change nothing; deleting frees room.
func TestQuota(t *testing.T) {
	ctx := context.Background()
	c, segs, _ := newTest(t)
	c.SetQuota(Quota{Streams: 3, Segments: 6})
	for _, name := range []string{"a", "b"} {
		if _, _, err := c.CreateStream(ctx, "s", name, Config{Segments: 2}, true); err != nil {
			t.Fatal(err)
		}
	}
	// 4 of 6 segments: a stream of 3 does not fit.
	_, _, err := c.CreateStream(ctx, "s", "big", Config{Segments: 3}, true)
	if !errors.Is(err, ErrQuotaExceeded) || !strings.Contains(err.Error(), "--max-segments") {
		t.Fatalf("create past the segment quota: %v", err)
	}
	if _, err := c.GetStream(ctx, "s", "big"); !errors.Is(err, ErrStreamNotFound) {
		t.Fatalf("refused stream exists: %v", err)
	}
	if _, _, err := c.CreateStream(ctx, "s", "c", Config{Segments: 2}, true); err != nil {
		t.Fatal(err)
	}
	// 3 of 3 streams.
	_, _, err = c.CreateStream(ctx, "s", "d", Config{Segments: 1}, true)
	if !errors.Is(err, ErrQuotaExceeded) || !strings.Contains(err.Error(), "--max-streams") {
		t.Fatalf("create past the stream quota: %v", err)
	}
	// 6 of 6 segments: a split (one more) is refused, a merge is not.
	rec, _ := c.GetStream(ctx, "s", "a")
	if _, err := c.Scale(ctx, "s", "a", []uint64{rec.Current().Segments[0].ID}, nil); !errors.Is(err, ErrQuotaExceeded) {
		t.Fatalf("split past the segment quota: %v", err)
	}
	ids := []uint64{rec.Current().Segments[0].ID, rec.Current().Segments[1].ID}
	if _, err := c.Scale(ctx, "s", "a", ids, nil); err != nil {
		t.Fatalf("merge at the quota: %v", err)
	}
	if err := c.DeleteStream(ctx, "s", "b"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.CreateStream(ctx, "s", "d", Config{Segments: 2}, true); err != nil {
		t.Fatalf("create after a delete freed room: %v", err)
	}
	// a: 2 sealed and 1 current, c: 2, d: 2.
	if n := len(segs.names()); n != 7 {
		t.Fatalf("segments in the store: %d, want 7", n)
	}
}

// TestRecreateNeverReusesSegmentIDs: a stream created under a deleted
// stream's name starts at the epoch after the deleted one's last, so no
// segment id of the old stream names a segment of the new one.
func TestRecreateNeverReusesSegmentIDs(t *testing.T) {
	ctx := context.Background()
	c, _, _ := newTest(t)
	seen := map[uint64]int{} // segment id -> round
	for round := range 3 {
		rec, _, err := c.CreateStream(ctx, "s", "x", Config{Segments: 2}, true)
		if err != nil {
			t.Fatal(err)
		}
		if round == 1 { // scale once: the next stream starts after epoch 2
			if rec, err = c.Scale(ctx, "s", "x", []uint64{rec.Current().Segments[0].ID}, nil); err != nil {
				t.Fatal(err)
			}
		}
		for _, e := range rec.Epochs {
			for _, sg := range e.Segments {
				if r, ok := seen[sg.ID]; ok && r != round {
					t.Fatalf("round %d reuses segment id %016x of round %d", round, sg.ID, r)
				}
				seen[sg.ID] = round
			}
		}
		t.Logf("round %d: epochs %d..%d", round, rec.Epochs[0].Epoch, rec.Current().Epoch)
		if err := c.DeleteStream(ctx, "s", "x"); err != nil {
			t.Fatal(err)
		}
	}
}
