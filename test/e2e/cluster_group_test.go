package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/server/servertest"
)

// TestClusterGroup: on a two-node cluster (an embedded etcd, an S3 server
// in process), a reader group created through one node is one group on
// both: readers connected to different nodes share its segments (one node
// coordinates it, the other forwards), every event is read once, and
// Describe and List through either node tell the same readers.
func TestClusterGroup(t *testing.T) {
	n1, n2 := twoNodeCluster(t)
	c1, c2 := dialAddr(t, n1.GRPCAddr()), dialAddr(t, n2.GRPCAddr())
	ctx := testCtx(t, 90*time.Second)
	createStream(t, c1, "cg/s", 4)
	const n = 400
	writeEvents(t, c1, ctx, "cg/s", 0, n)

	// The group lives on one node; whichever it is, the other forwards.
	if _, err := c2.ReaderGroup("cg/g").Create(ctx, braid.ReaderGroupConfig{Streams: []braid.GroupStream{{Stream: "cg/s"}}}); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	readers := make([]*braid.GroupReader, 2)
	for i, c := range []*braid.Client{c1, c2} {
		r, err := c.ReaderGroup("cg/g").NewReader(ctx, []string{"r1", "r2"}[i])
		if err != nil {
			t.Fatal(err)
		}
		readers[i] = r
	}
	// Both readers are members of the same group, whichever node they
	// reach it through.
	waitUntil(t, "both readers in the group, through either node", 30*time.Second, func() bool {
		for _, c := range []*braid.Client{c1, c2} {
			in, err := c.ReaderGroup("cg/g").Describe(ctx)
			if err != nil || len(in.Readers) != 2 {
				return false
			}
		}
		gs, err := c1.ListReaderGroups(ctx, "cg")
		return err == nil && len(gs) == 1 && len(gs[0].Readers) == 2
	})
	stop := make(chan struct{})
	for _, r := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				rctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
				ev, err := r.Read(rctx)
				cancel()
				select {
				case <-stop:
					return
				default:
				}
				if err != nil {
					if ctx.Err() != nil {
						errs <- err
						return
					}
					continue
				}
				if ev.Checkpoint != "" {
					continue
				}
				mu.Lock()
				seen[string(ev.Data)]++
				mu.Unlock()
			}
		}()
	}
	waitUntil(t, "every event read", 60*time.Second, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(seen) == n
	})
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	for ev, k := range seen {
		if k != 1 {
			t.Fatalf("event %q read %d times", ev, k)
		}
	}
	for _, r := range readers {
		r.Close(ctx)
	}
}

// twoNodeCluster starts two cluster nodes over an embedded etcd and an S3
// server in process.
func twoNodeCluster(t *testing.T) (*servertest.Server, *servertest.Server) {
	t.Helper()
	ns := servertest.Cluster(t, "n1", "n2")
	return ns[0], ns[1]
}

// TestClusterQuery: on a two-node cluster, a continuous query deployed
// through either node runs once, on the leader; both nodes describe it,
// its results are read through either, and stopping the leader moves it
// to the other node, from its checkpoint.
func TestClusterQuery(t *testing.T) {
	if testing.Short() {
		t.Skip("a failover of the leader: in the full run (make test runs -race with -short)")
	}
	n1, n2 := twoNodeCluster(t)
	c1, c2 := dialAddr(t, n1.GRPCAddr()), dialAddr(t, n2.GRPCAddr())
	ctx := testCtx(t, 90*time.Second)
	createStream(t, c1, "cq/in", 1)
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	writeReadings(t, ctx, c1, "cq/in", base, 0, 300)
	const text = `SELECT sensor, count(*) AS n FROM cq.in GROUP BY TUMBLE(ts, INTERVAL '1' SECOND), sensor WITH (idle_timeout = '0')`
	for _, c := range []*braid.Client{c2, c1} {
		// Through whichever node: the second deploy meets the first.
		if _, _, err := c.DeployQuery(ctx, "counts", text); err != nil && !errors.Is(err, braid.ErrAlreadyExists) {
			t.Fatal(err)
		}
	}
	for _, c := range []*braid.Client{c1, c2} {
		waitUntil(t, "6 results, seen through either node", 30*time.Second, func() bool {
			q, err := c.GetQuery(ctx, "counts")
			return err == nil && q.State == "running" && q.ResultsOut == 6
		})
		qs, err := c.ListQueries(ctx)
		if err != nil || len(qs) != 1 {
			t.Fatalf("list: %v %v, want the one query", qs, err)
		}
	}
	q, err := c2.GetQuery(ctx, "counts")
	if err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "6 results in the output stream", 20*time.Second, func() bool { return len(results(t, c2, q)) == 6 })

	// The leader stops: the query goes on at the other node from its
	// checkpoint, and writes each window's results once.
	leader, cs := n1, c2
	if clusterLeader(t, n1) == "n2" {
		leader, cs = n2, c1
	}
	leader.Stop(t)
	writeReadings(t, ctx, cs, "cq/in", base, 300, 300)
	var rs []map[string]any
	waitUntil(t, "the windows after the stop", 60*time.Second, func() bool {
		rs = results(t, cs, q)
		return len(rs) >= 15
	})
	seen := map[string]bool{}
	for _, r := range rs {
		k := fmt.Sprint(r["window_start"], r["sensor"])
		if seen[k] {
			t.Fatalf("window %s written twice: %v", k, rs)
		}
		seen[k] = true
	}
}

// clusterLeader is the leader's id as node n sees it (GET /v1/cluster).
func clusterLeader(t *testing.T, n *servertest.Server) string {
	t.Helper()
	resp, err := http.Get("http://" + n.HTTPAddr() + "/v1/cluster")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v struct {
		Leader string `json:"leader"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v.Leader
}
