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

// TestClusterAutoScale: on a two-node cluster, a stream loaded only
// through the node that does not lead splits: that node reports its
// appends to the leader, whose auto-scaler decides.
func TestClusterAutoScale(t *testing.T) {
	ns := servertest.ClusterOf(t, server.Config{Scaling: autoscale.Options{
		Interval: 100 * time.Millisecond,
		Windows:  [4]time.Duration{time.Second, 2 * time.Second, 3 * time.Second, 4 * time.Second},
		Cooldown: 500 * time.Millisecond,
	}}, "n1", "n2")
	waitUntil(t, "a leader", 30*time.Second, func() bool { return clusterLeader(t, ns[0]) != "" })
	follower := ns[0]
	if clusterLeader(t, ns[0]) == "n1" {
		follower = ns[1]
	}
	c := dialAddr(t, follower.GRPCAddr())
	ctx := testCtx(t, time.Minute)
	policy := &braid.ScalingPolicy{Kind: braid.ScaleByEventRate, Target: 200, ScaleFactor: 2, MinSegments: 1}
	if _, err := c.CreateStream(ctx, "auto/hot", braid.StreamConfig{Segments: 1, Scaling: policy, CreateScope: true}); err != nil {
		t.Fatal(err)
	}
	segments := func() int {
		info, err := c.GetStream(ctx, "auto/hot")
		if err != nil {
			t.Fatal(err)
		}
		return info.Segments
	}
	w, err := c.NewWriter(ctx, "auto/hot")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close(ctx)
	// About 2000 events/s, ten times the target, all through the
	// follower.
	pace := time.NewTicker(5 * time.Millisecond)
	defer pace.Stop()
	deadline := time.Now().Add(30 * time.Second)
	for i := 0; segments() < 2; i++ {
		if time.Now().After(deadline) {
			t.Fatalf("the stream loaded through the follower did not split within 30 s (%d segments)", segments())
		}
		<-pace.C
		for j := range 10 {
			w.Write(ctx, fmt.Sprintf("k%d", (i*10+j)%97), []byte("event"))
		}
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatalf("writes across the split: %v", err)
	}
}
