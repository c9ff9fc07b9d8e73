package e2e

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
	"github.com/braidstream/braid/internal/storage/segstore"
)

// TestRetentionByTimeEndToEnd: the server's retention task truncates a
// stream whose events are older than its policy allows; readers positioned
// before the truncation point get TRUNCATED, the chunks leave tier 2, and
// the stream keeps taking appends.
func TestRetentionByTimeEndToEnd(t *testing.T) {
	dir := t.TempDir()
	ts := servertest.New(t, server.Config{
		DataDir:           dir,
		Containers:        1,
		RetentionInterval: 20 * time.Millisecond,
		Storage:           segstore.Options{ChunkSize: 1 << 10, FlushInterval: 10 * time.Millisecond},
	})
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)
	policy := &braid.RetentionPolicy{Type: braid.RetentionByTime, MaxTime: 100 * time.Millisecond}
	if _, err := c.CreateStream(ctx, "ret/t", braid.StreamConfig{Segments: 1, CreateScope: true, Retention: policy}); err != nil {
		t.Fatal(err)
	}
	oldHead, err := c.HeadCut(ctx, "ret/t")
	if err != nil {
		t.Fatal(err)
	}
	first := writeEvents(t, c, ctx, "ret/t", 0, 50)

	// The retention task records the tail, and once that record is
	// older than 100 ms truncates there: the whole first batch goes.
	tail, err := c.TailCut(ctx, "ret/t")
	if err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "retention to truncate the first batch", 20*time.Second, func() bool {
		head, err := c.HeadCut(ctx, "ret/t")
		return err == nil && head.String() == tail.String()
	})
	if _, err := c.Fetch(ctx, first[0]); !errors.Is(err, braid.ErrTruncated) {
		t.Fatalf("fetch of a truncated event: %v, want ErrTruncated", err)
	}
	r, err := c.NewReader(ctx, "ret/t", braid.FromCut(oldHead), braid.UntilTail())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(ctx); !errors.Is(err, braid.ErrTruncated) {
		t.Fatalf("reader positioned before the truncation point: %v, want ErrTruncated", err)
	}
	r.Close()

	// Its chunks leave tier 2 (the default directory under the data dir).
	waitUntil(t, "truncated chunks to leave tier 2", 20*time.Second, func() bool {
		m, _ := filepath.Glob(filepath.Join(dir, "tier2", "segments", "*", "*", "0000000000000000"))
		return len(m) == 0
	})

	// The stream goes on: new events read back from the new head (with
	// the policy removed, so that they cannot age out meanwhile).
	if _, err := c.UpdateStream(ctx, "ret/t", braid.StreamConfig{Segments: 1}); err != nil {
		t.Fatal(err)
	}
	second := writeEvents(t, c, ctx, "ret/t", 50, 5)
	r, err = c.NewReader(ctx, "ret/t", braid.FromCut(tail), braid.UntilTail())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for i, p := range second {
		ev, err := r.Next(ctx)
		if err != nil {
			t.Fatalf("event %d after truncation: %v", i, err)
		}
		if ev.Pointer != p {
			t.Fatalf("event %d at %v, want %v", i, ev.Pointer, p)
		}
	}
}
