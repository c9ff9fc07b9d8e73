package fault

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/braidstream/braid"
)

// TestQueryKilled: a continuous query counts and sums events per sensor in
// one-second tumbling windows while the server is SIGKILLed at
// random moments of its run (five times). After the last restart the output stream holds
// each window's result exactly once, with the values the test computes
// from the events it wrote.
func TestQueryKilled(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rnd := rand.New(rand.NewPCG(seed, 1))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	srv, c := startDialed(ctx, t)
	const stream = "crash/sensors"
	// One segment: the query reads the events in the order written, so
	// that which window an event lands in is the test's to compute.
	if _, err := c.CreateStream(ctx, stream, braid.StreamConfig{Segments: 1, CreateScope: true}); err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	const sensors = 4
	type key struct {
		start  time.Time
		sensor string
	}
	type sums struct{ n, total int64 }
	want := map[key]sums{}
	next := 0
	write := func(c *braid.Client, n int) {
		t.Helper()
		w, err := c.NewWriter(ctx, stream)
		if err != nil {
			t.Fatal(err)
		}
		for range n {
			i := next
			next++
			ts := base.Add(time.Duration(i) * 7 * time.Millisecond)
			sensor := fmt.Sprintf("s-%d", i%sensors)
			b, _ := json.Marshal(map[string]any{"sensor": sensor, "v": i % 100, "ts": ts.Format(time.RFC3339Nano)})
			w.Write(ctx, sensor, b)
			k := key{ts.Truncate(time.Second), sensor}
			s := want[k]
			s.n++
			s.total += int64(i % 100)
			want[k] = s
		}
		if err := w.Close(ctx); err != nil {
			t.Fatal(err)
		}
	}
	write(c, 2000) // the fields are there to check at deploy
	const sqlText = `SELECT sensor, count(*) AS n, sum(v) AS total
FROM crash.sensors
GROUP BY TUMBLE(ts, INTERVAL '1' SECOND), sensor
WITH (idle_timeout = '0')`
	if _, _, err := c.DeployQuery(ctx, "counts", sqlText); err != nil {
		t.Fatal(err)
	}
	const kills = 5
	for kill := range kills {
		write(c, 30000)
		// Kill it at a random moment of its work on them: before it
		// read them, between checkpoints, or once it is done.
		delay := time.Duration(rnd.IntN(400)) * time.Millisecond
		select {
		case <-time.After(delay):
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		}
		if q, err := c.GetQuery(ctx, "counts"); err == nil {
			t.Logf("kill %d after %v: %d events in, %d results, %d checkpoints", kill, delay, q.EventsIn, q.ResultsOut, q.Checkpoints)
		}
		if err := srv.kill(); err != nil {
			t.Fatal(err)
		}
		c.Close()
		if err := srv.start(ctx); err != nil {
			t.Fatal(err)
		}
		var err error
		if c, err = dial(ctx, srv); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
	}
	// An event far ahead closes every window before it.
	last := next
	w, err := c.NewWriter(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	end := base.Add(time.Duration(last)*7*time.Millisecond + 10*time.Second)
	b, _ := json.Marshal(map[string]any{"sensor": "s-0", "v": 0, "ts": end.Format(time.RFC3339Nano)})
	w.Write(ctx, "s-0", b)
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	var q braid.QueryInfo
	if !waitFor(ctx, 60*time.Second, func() bool {
		q, err = c.GetQuery(ctx, "counts")
		return err == nil && q.EventsIn == int64(last+1) && q.ResultsOut >= int64(len(want))
	}) {
		t.Fatalf("the query did not take every event and close every window: %+v\n%s", q, srv.output(4000))
	}
	if q.Late != 0 || q.BadJSON != 0 || q.BadTime != 0 || q.TypeErrors != 0 {
		t.Fatalf("refused events: %+v", q)
	}

	rd, err := c.NewReader(ctx, q.Output, braid.FromHead(), braid.UntilTail())
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	got := map[key]int{}
	for {
		ev, err := rd.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		var r struct {
			WindowStart time.Time `json:"window_start"`
			Sensor      string    `json:"sensor"`
			N           int64     `json:"n"`
			Total       int64     `json:"total"`
		}
		if err := json.Unmarshal(ev.Data, &r); err != nil {
			t.Fatalf("result %s: %v: %s", ev.Pointer, err, ev.Data)
		}
		k := key{r.WindowStart.UTC(), r.Sensor}
		got[k]++
		if got[k] > 1 {
			t.Fatalf("window %v of %s written %d times (the last at %s)", k.start, k.sensor, got[k], ev.Pointer)
		}
		w, ok := want[k]
		if !ok {
			t.Fatalf("a result for a window the test did not write: %s", ev.Data)
		}
		if r.N != w.n || r.Total != w.total {
			t.Fatalf("window %v of %s: n %d total %d, want %d and %d", k.start, k.sensor, r.N, r.Total, w.n, w.total)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d windows written, want %d", len(got), len(want))
	}
	t.Logf("%d windows over %d events, each written once across %d SIGKILLs; %d checkpoints", len(got), last, kills, q.Checkpoints)
}
