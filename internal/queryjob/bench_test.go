package queryjob_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/clienttest"
	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

// benchEvents writes n JSON events of about 100 bytes over 100 keys to
// stream, event times 1 ms apart from base.
func benchEvents(b *testing.B, ctx context.Context, c *braid.Client, stream string, base time.Time, n int) {
	b.Helper()
	w, err := c.NewWriter(ctx, stream)
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		key := fmt.Sprintf("sensor-%03d", i%100)
		ts := base.Add(time.Duration(i) * time.Millisecond).Format(time.RFC3339Nano)
		ev := fmt.Sprintf(`{"sensor":%q,"temp":%d.%d,"humidity":%d,"ts":%q,"site":"plant-7"}`, key, 15+i%17, i%10, 30+i%40, ts)
		w.Write(ctx, key, []byte(ev))
	}
	if err := w.Close(ctx); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkQuery measures, over the same b.N events of about 100 bytes
// (100 keys, 4 segments), the stream's raw read rate through a Reader and
// the rate a deployed query sustains for a tumbling count and average by
// key: from its deploy until it has taken every event (reads, the engine,
// checkpoints and results).
//
//	go test -run '^$' -bench Query -benchtime 1000000x ./internal/queryjob/
func BenchmarkQuery(b *testing.B) {
	ts := servertest.New(b, server.Config{})
	c := clienttest.Dial(b, ts.GRPCAddr())
	ctx := context.Background()
	clienttest.CreateStream(b, c, "bench/sensors", 4)
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	benchEvents(b, ctx, c, "bench/sensors", base, b.N)

	n := b.N
	b.ResetTimer()
	{
		start := time.Now()
		rd, err := c.NewReader(ctx, "bench/sensors", braid.FromHead(), braid.UntilTail())
		if err != nil {
			b.Fatal(err)
		}
		defer rd.Close()
		read := 0
		for {
			if _, err := rd.Next(ctx); err != nil {
				break
			}
			read++
		}
		if read != n {
			b.Fatalf("read %d events, want %d", read, n)
		}
		b.ReportMetric(float64(read)/time.Since(start).Seconds(), "read-events/s")
	}
	{
		start := time.Now()
		_, _, err := c.DeployQuery(ctx, "bench", `SELECT sensor, count(*) AS n, avg(temp) AS avg_temp
FROM bench.sensors GROUP BY TUMBLE(ts, INTERVAL '1' SECOND), sensor WITH (idle_timeout = '0', watermark_delay = '5s')`)
		if err != nil {
			b.Fatal(err)
		}
		var q braid.QueryInfo
		for q.EventsIn < int64(n) {
			time.Sleep(5 * time.Millisecond) // a benchmark's poll: its resolution is in the figure
			if q, err = c.GetQuery(ctx, "bench"); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(q.EventsIn)/time.Since(start).Seconds(), "query-events/s")
		b.ReportMetric(float64(q.ResultsOut), "results")
	}
}

// BenchmarkQueryLatency measures the time from a window's end to its
// results reaching a live subscriber of GET /v1/queries/NAME/results, with
// events appended as they happen (event time the wall clock, 2000 a second
// over 100 keys) and one-second tumbling windows: the window closes with
// the first event past its end, then waits for the checkpoint, the output
// append and the push.
//
//	go test -run '^$' -bench QueryLatency -benchtime 10x ./internal/queryjob/
func BenchmarkQueryLatency(b *testing.B) {
	ts := servertest.New(b, server.Config{})
	c := clienttest.Dial(b, ts.GRPCAddr())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clienttest.CreateStream(b, c, "lat/sensors", 4)
	benchEvents(b, ctx, c, "lat/sensors", time.Now().Add(-time.Second), 200)
	if _, _, err := c.DeployQuery(ctx, "lat", `SELECT sensor, count(*) AS n, avg(temp) AS avg_temp
FROM lat.sensors GROUP BY TUMBLE(ts, INTERVAL '1' SECOND), sensor WITH (idle_timeout = '0')`); err != nil {
		b.Fatal(err)
	}
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+ts.HTTPAddr()+"/v1/queries/lat/results", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	writeDone := make(chan error, 1)
	go func() {
		w, err := c.NewWriter(ctx, "lat/sensors")
		if err != nil {
			writeDone <- err
			return
		}
		defer w.Close(context.WithoutCancel(ctx))
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for i := 0; ctx.Err() == nil; i++ {
			<-tick.C
			for j := range 10 {
				key := fmt.Sprintf("sensor-%03d", (10*i+j)%100)
				ev := fmt.Sprintf(`{"sensor":%q,"temp":21.5,"ts":%q}`, key, time.Now().UTC().Format(time.RFC3339Nano))
				w.Write(ctx, key, []byte(ev))
			}
		}
		writeDone <- nil
	}()
	var lat []time.Duration
	sc := bufio.NewScanner(resp.Body)
	windows := map[string]bool{}
	b.ResetTimer()
	for sc.Scan() && len(windows) < b.N+1 {
		d, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		now := time.Now()
		var ev struct{ Data string }
		var r struct {
			WindowEnd time.Time `json:"window_end"`
		}
		if json.Unmarshal([]byte(d), &ev) != nil || json.Unmarshal([]byte(ev.Data), &r) != nil {
			b.Fatalf("result %q", d)
		}
		windows[r.WindowEnd.String()] = true
		if len(windows) > 1 { // the first window may have begun before the subscriber
			lat = append(lat, now.Sub(r.WindowEnd))
		}
	}
	b.StopTimer()
	cancel()
	<-writeDone
	slices.Sort(lat)
	if len(lat) == 0 {
		b.Fatal("no results")
	}
	b.ReportMetric(float64(lat[len(lat)/2].Milliseconds()), "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Milliseconds()), "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Milliseconds()), "max-ms")
}
