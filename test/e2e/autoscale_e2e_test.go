package e2e

import (
	"fmt"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/autoscale"
	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

// TestAutoScaleByEventRate: with short windows, a loaded stream splits and
// an idle one merges down to its minimum, under the event-rate policy.
func TestAutoScaleByEventRate(t *testing.T) {
	ts := servertest.New(t, server.Config{Scaling: autoscale.Options{
		Interval: 100 * time.Millisecond,
		Windows:  [4]time.Duration{time.Second, 2 * time.Second, 3 * time.Second, 4 * time.Second},
		Cooldown: 500 * time.Millisecond,
	}})
	c := dial(t, ts)
	ctx := testCtx(t, time.Minute)
	policy := &braid.ScalingPolicy{Kind: braid.ScaleByEventRate, Target: 200, ScaleFactor: 2, MinSegments: 1}
	if _, err := c.CreateStream(ctx, "auto/hot", braid.StreamConfig{Segments: 1, Scaling: policy, CreateScope: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateStream(ctx, "auto/idle", braid.StreamConfig{Segments: 4, Scaling: policy}); err != nil {
		t.Fatal(err)
	}
	segments := func(stream string) int {
		info, err := c.GetStream(ctx, stream)
		if err != nil {
			t.Fatal(err)
		}
		return info.Segments
	}

	// About 2000 events/s into the hot stream: ten times the target.
	w, err := c.NewWriter(ctx, "auto/hot")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close(ctx)
	pace := time.NewTicker(5 * time.Millisecond)
	defer pace.Stop()
	deadline := time.Now().Add(30 * time.Second)
	for i := 0; segments("auto/hot") < 2; i++ {
		if time.Now().After(deadline) {
			t.Fatalf("the loaded stream did not split within 30 s (it has %d segments)", segments("auto/hot"))
		}
		<-pace.C
		for j := range 10 {
			w.Write(ctx, fmt.Sprintf("k%d", (i*10+j)%97), []byte("event"))
		}
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatalf("writes across the split: %v", err)
	}
	t.Logf("the loaded stream split: %d segments", segments("auto/hot"))

	// The idle stream merges down to its minimum of one segment.
	waitUntil(t, "the idle stream to merge down to 1 segment", 30*time.Second, func() bool { return segments("auto/idle") == 1 })
	info, err := c.GetStream(ctx, "auto/idle")
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Epochs) != 4 {
		t.Fatalf("the idle stream went through %d epochs, want 4 (three merges of two)", len(info.Epochs))
	}
}
