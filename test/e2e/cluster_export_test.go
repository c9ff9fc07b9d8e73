package e2e

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/export"
)

// TestClusterExport: on a two-node cluster, an export job created through
// the node that does not lead runs on the leader; both nodes describe it;
// when the leader stops, the other node takes the job over from its
// position, and every event ends in the bucket as one object.
func TestClusterExport(t *testing.T) {
	if testing.Short() {
		t.Skip("a failover of the leader: in the full run (make test runs -race with -short)")
	}
	t.Setenv("AWS_ACCESS_KEY_ID", "k")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "s")
	t.Setenv("AWS_REGION", "us-east-1")
	backend := s3mem.New()
	dest := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(dest.Close)
	if err := backend.CreateBucket("out"); err != nil {
		t.Fatal(err)
	}
	// The events' objects: every object but the job's manifest.
	objects := func() int {
		l, err := backend.ListBucket("out", nil, gofakes3.ListBucketPage{})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, o := range l.Contents {
			if !strings.HasSuffix(o.Key, "/"+export.ManifestName) {
				n++
			}
		}
		return n
	}

	n1, n2 := twoNodeCluster(t)
	c1, c2 := dialAddr(t, n1.GRPCAddr()), dialAddr(t, n2.GRPCAddr())
	ctx := testCtx(t, 90*time.Second)
	waitUntil(t, "a leader", 30*time.Second, func() bool { return clusterLeader(t, n1) != "" })
	leader, cf := n1, c2
	if clusterLeader(t, n1) == "n2" {
		leader, cf = n2, c1
	}
	createStream(t, cf, "cx/s", 2)
	writeEvents(t, cf, ctx, "cx/s", 0, 300)
	if _, err := cf.CreateExport(ctx, braid.ExportJob{Name: "j", Stream: "cx/s", URL: "s3://out/x",
		S3Endpoint: dest.URL, S3PathStyle: true}); err != nil {
		t.Fatal(err)
	}
	caughtUp := func(c *braid.Client) bool {
		tail, err := c.TailCut(ctx, "cx/s")
		if err != nil {
			return false
		}
		st, err := c.GetExport(ctx, "j")
		return err == nil && st.Position == tail.String()
	}
	for _, c := range []*braid.Client{c1, c2} {
		waitUntil(t, "the job at the tail, seen through either node", 30*time.Second, func() bool { return caughtUp(c) })
	}
	if n := objects(); n != 300 {
		t.Fatalf("%d objects for 300 events", n)
	}

	leader.Stop(t)
	writeEvents(t, cf, ctx, "cx/s", 300, 100)
	waitUntil(t, "the job at the tail on the new leader", 60*time.Second, func() bool { return caughtUp(cf) })
	if n := objects(); n != 400 {
		t.Fatalf("%d objects for 400 events after the failover", n)
	}
}
