package queryjob_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/clienttest"
	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

// writeNumbers writes {"i": from} ... {"i": from+n-1} to stream.
func writeNumbers(t *testing.T, c *braid.Client, stream string, from, n int) {
	t.Helper()
	ctx := clienttest.Ctx(t, 30*time.Second)
	w, err := c.NewWriter(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	for i := from; i < from+n; i++ {
		w.Write(ctx, "k", fmt.Appendf(nil, `{"i":%d}`, i))
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
}

func countEvents(t *testing.T, c *braid.Client, stream string) int {
	t.Helper()
	evs, _ := clienttest.ReadToEOF(t, clienttest.Ctx(t, 30*time.Second), c, stream, braid.FromHead(), braid.UntilTail())
	return len(evs)
}

func getQuery(t *testing.T, c *braid.Client, name string) braid.QueryInfo {
	t.Helper()
	q, err := c.GetQuery(clienttest.Ctx(t, 10*time.Second), name)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// TestRedeployAfterDelete: a query deployed again under a deleted one's
// name, whose output stream stayed, appends its results after the old
// ones: none is taken for a duplicate of the old query's.
func TestRedeployAfterDelete(t *testing.T) {
	ts := servertest.New(t, server.Config{})
	c := clienttest.Dial(t, ts.GRPCAddr())
	ctx := clienttest.Ctx(t, 60*time.Second)
	clienttest.CreateStream(t, c, "r/in", 1)
	writeNumbers(t, c, "r/in", 0, 10)
	if _, _, err := c.DeployQuery(ctx, "q", `SELECT i FROM r.in`); err != nil {
		t.Fatal(err)
	}
	clienttest.WaitUntil(t, "10 results", 10*time.Second, func() bool { return countEvents(t, c, "r/q-results") == 10 })
	if err := c.DeleteQuery(ctx, "q", false); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.DeployQuery(ctx, "q", `SELECT i FROM r.in WITH (start = 'latest')`); err != nil {
		t.Fatal(err)
	}
	clienttest.WaitUntil(t, "the new query reading", 10*time.Second, func() bool { return getQuery(t, c, "q").Checkpoints > 0 })
	writeNumbers(t, c, "r/in", 100, 5)
	clienttest.WaitUntil(t, "15 results in the output", 10*time.Second, func() bool { return countEvents(t, c, "r/q-results") == 15 })
}

// TestStartFailed: start runs a failed query again.
func TestStartFailed(t *testing.T) {
	ts := servertest.New(t, server.Config{})
	c := clienttest.Dial(t, ts.GRPCAddr())
	ctx := clienttest.Ctx(t, 60*time.Second)
	clienttest.CreateStream(t, c, "f/in", 1)
	writeNumbers(t, c, "f/in", 0, 10)
	if _, _, err := c.DeployQuery(ctx, "q", `SELECT i FROM f.in`); err != nil {
		t.Fatal(err)
	}
	clienttest.WaitUntil(t, "a checkpoint", 10*time.Second, func() bool { return getQuery(t, c, "q").Checkpoints > 0 })
	if _, err := c.StopQuery(ctx, "q"); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteStream(ctx, "f/q-state"); err != nil { // its checkpoint goes
		t.Fatal(err)
	}
	if _, err := c.StartQuery(ctx, "q"); err != nil {
		t.Fatal(err)
	}
	clienttest.WaitUntil(t, "failed", 10*time.Second, func() bool { return getQuery(t, c, "q").State == "failed" })
	before := getQuery(t, c, "q").Failures
	if _, err := c.StartQuery(ctx, "q"); err != nil {
		t.Fatal(err)
	}
	clienttest.WaitUntil(t, "another attempt", 10*time.Second, func() bool { return getQuery(t, c, "q").Failures > before })
}

// TestStopStartExact: a query stopped and started again and again while
// its input flows counts every event once: each window's count is exact.
func TestStopStartExact(t *testing.T) {
	ts := servertest.New(t, server.Config{})
	c := clienttest.Dial(t, ts.GRPCAddr())
	ctx, cancel := context.WithCancel(clienttest.Ctx(t, 90*time.Second))
	defer cancel()
	clienttest.CreateStream(t, c, "d/in", 1)
	const perWin, wins = 10000, 4
	w, err := c.NewWriter(ctx, "d/in")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		pace := time.NewTicker(time.Millisecond)
		defer pace.Stop()
		for i := 0; i < perWin*wins; i++ {
			w.Write(ctx, "k", fmt.Appendf(nil, `{"ts":%d}`, 1_000_000+int64(i)*1000/perWin))
			if i%50 == 0 {
				<-pace.C // a flow, not one burst
			}
		}
		w.Write(ctx, "k", fmt.Appendf(nil, `{"ts":%d}`, 1_000_000+int64(wins+5)*1000))
		done <- w.Close(ctx)
	}()
	if _, _, err := c.DeployQuery(ctx, "q", `SELECT window_start, count(*) AS n FROM d.in GROUP BY TUMBLE(ts, INTERVAL '1' SECOND) WITH (idle_timeout = 0)`,
		braid.WithForce()); err != nil {
		t.Fatal(err)
	}
	for k := range 8 {
		from := getQuery(t, c, "q").EventsIn
		clienttest.WaitUntil(t, fmt.Sprintf("round %d: more events taken", k), 20*time.Second, func() bool {
			return getQuery(t, c, "q").EventsIn > from+1000 || getQuery(t, c, "q").EventsIn == perWin*wins+1
		})
		if _, err := c.StopQuery(ctx, "q"); err != nil {
			t.Fatal(err)
		}
		if _, err := c.StartQuery(ctx, "q"); err != nil {
			t.Fatal(err)
		}
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	clienttest.WaitUntil(t, "every window", 30*time.Second, func() bool { return countEvents(t, c, "d/q-results") >= wins })
	evs, _ := clienttest.ReadToEOF(t, ctx, c, "d/q-results", braid.FromHead(), braid.UntilTail())
	for _, ev := range evs {
		var r struct {
			N int `json:"n"`
		}
		if err := json.Unmarshal(ev.Data, &r); err != nil || r.N != perWin {
			t.Errorf("result %s: n %d, want %d (%v)", ev.Data, r.N, perWin, err)
		}
	}
	if len(evs) != wins {
		t.Fatalf("%d windows, want %d", len(evs), wins)
	}
}

// TestInputDeleted: deleting a query's input deletes the query and its
// state stream, and for good: the name can be deployed again.
func TestInputDeleted(t *testing.T) {
	ts := servertest.New(t, server.Config{})
	c := clienttest.Dial(t, ts.GRPCAddr())
	ctx := clienttest.Ctx(t, 60*time.Second)
	clienttest.CreateStream(t, c, "g/in", 1)
	writeNumbers(t, c, "g/in", 0, 10)
	if _, _, err := c.DeployQuery(ctx, "q", `SELECT i FROM g.in`); err != nil {
		t.Fatal(err)
	}
	clienttest.WaitUntil(t, "a checkpoint", 10*time.Second, func() bool { return getQuery(t, c, "q").Checkpoints > 0 })
	if err := c.DeleteStream(ctx, "g/in"); err != nil {
		t.Fatal(err)
	}
	clienttest.WaitUntil(t, "the state stream gone", 10*time.Second, func() bool {
		_, err := c.GetStream(ctx, "g/q-state")
		return errors.Is(err, braid.ErrNotFound)
	})
	if qs, err := c.ListQueries(ctx); err != nil || len(qs) != 0 {
		t.Fatalf("queries after the input's deletion: %v, %v", qs, err)
	}
	clienttest.CreateStream(t, c, "g/in", 1)
	writeNumbers(t, c, "g/in", 0, 10)
	if _, _, err := c.DeployQuery(ctx, "q", `SELECT i FROM g.in`); err != nil {
		t.Fatalf("deploy again after the input was deleted and made again: %v", err)
	}
}
