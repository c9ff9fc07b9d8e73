package e2e

import (
	"errors"
	"testing"
	"time"

	"github.com/braidstream/braid"
)

// TestClusterEphemeral: on a two-node cluster, the leader holds the
// ephemeral streams' leases, whichever node a holder reaches. A holder
// attached through the node that does not lead keeps its stream alive
// while the leader stops and the other node takes over (more than two
// leases long), the stream's events stay readable, and the new leader
// deletes the stream once the holder detaches.
func TestClusterEphemeral(t *testing.T) {
	if testing.Short() {
		t.Skip("a failover of the leader: in the full run (make test runs -race with -short)")
	}
	n1, n2 := twoNodeCluster(t)
	c1, c2 := dialAddr(t, n1.GRPCAddr()), dialAddr(t, n2.GRPCAddr())
	ctx := testCtx(t, 90*time.Second)
	waitUntil(t, "a leader", 30*time.Second, func() bool { return clusterLeader(t, n1) != "" })
	leader, other, otherID, co := n1, n2, "n2", c2
	if clusterLeader(t, n1) == "n2" {
		leader, other, otherID, co = n2, n1, "n1", c1
	}
	const lease = 2 * time.Second
	e, err := co.EphemeralStream(ctx, "ce/tmp", braid.WithLease(lease), braid.WithGrace(0))
	if err != nil {
		t.Fatal(err)
	}
	writeEvents(t, co, ctx, "ce/tmp", 0, 100)
	for _, c := range []*braid.Client{c1, c2} {
		info, err := c.DescribeEphemeral(ctx, "ce", "tmp")
		if err != nil || len(info.Holders) != 1 {
			t.Fatalf("describe through either node: %+v %v, want one holder", info, err)
		}
	}

	leader.Stop(t)
	waitUntil(t, "the other node leads", 30*time.Second, func() bool { return clusterLeader(t, other) == otherID })
	// Past two leases since the new leader loaded them: the keep-alives
	// reach it, and the stream lives on.
	deadline := time.Now().Add(3 * lease)
	waitUntil(t, "three leases with the holder alive", 30*time.Second, func() bool {
		if err := e.Err(); err != nil {
			t.Fatalf("the hold was lost across the failover: %v", err)
		}
		return time.Now().After(deadline)
	})
	if got := readAll(t, co, "ce/tmp", braid.UntilTail()); len(got) != 100 {
		t.Fatalf("read %d events after the failover, want 100", len(got))
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the stream deleted after its holder detached", 30*time.Second, func() bool {
		_, err := co.GetStream(ctx, "ce/tmp")
		return errors.Is(err, braid.ErrNotFound)
	})
}
