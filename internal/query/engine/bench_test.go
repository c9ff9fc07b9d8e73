package engine

import (
	"fmt"
	"testing"
	"time"
)

// benchEvents makes n events of 100 bytes (give or take two) over 100 keys, 10 ms of
// event time apart.
func benchEvents(n int) []Event {
	out := make([]Event, n)
	base := t0.UnixMilli()
	for i := range out {
		data := fmt.Sprintf(`{"sensor":"sensor-%03d","ts":%d,"temp":%.1f,"hum":%d,"site":"north-wing-2","fw":4,"ok":true}`,
			(i*37)%100, base+int64(i)*10, 15+float64(i%170)/10, i%100)
		out[i] = Event{Data: []byte(data), Pointer: "0/0:1234567"}
	}
	return out
}

// BenchmarkTumbleCountAvg: a tumbling count and average by key. Run with
//
//	go test -run '^$' -bench TumbleCountAvg ./internal/query/engine/
func BenchmarkTumbleCountAvg(b *testing.B) {
	q := mustParse(b, `SELECT sensor, count(*) AS n, avg(temp) AS avg_temp FROM shop.readings
		GROUP BY TUMBLE(ts, INTERVAL '10' SECOND), sensor WITH (watermark_delay = '1s')`)
	events := benchEvents(100_000)
	size := 0
	for _, e := range events {
		size += len(e.Data)
	}
	clock := newClock()
	clock.t = t0.Add(24 * time.Hour)
	e := mustNew(b, q, clock)
	b.SetBytes(int64(size / len(events)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%len(events) == 0 && i > 0 {
			// Start over in event time with a fresh engine.
			b.StopTimer()
			e = mustNew(b, q, clock)
			b.StartTimer()
		}
		e.Process(events[i%len(events)])
		if i%1024 == 0 {
			e.TakeResults()
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	if s := e.Stats(); s.BadJSON+s.TypeErrors+s.Late > 0 {
		b.Fatalf("stats %+v", s)
	}
}
