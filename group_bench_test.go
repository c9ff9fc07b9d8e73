package braid_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/braidstream/braid"
)

// fillStream writes n events of size bytes over many keys into a new
// stream of segs segments.
func fillStream(b *testing.B, c *braid.Client, stream string, segs, n, size int) {
	b.Helper()
	ctx := context.Background()
	createStream(b, c, stream, segs)
	w, err := c.NewWriter(ctx, stream)
	if err != nil {
		b.Fatal(err)
	}
	payload := make([]byte, size)
	for i := range n {
		w.Write(ctx, fmt.Sprintf("key-%d", i%1024), payload)
	}
	if err := w.Close(ctx); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkGroupRead reads a 16-segment stream with a group of 1 and of 4
// readers (each with its own connection) and reports MB/s and events/s.
//
//	go test -run '^$' -bench GroupRead -benchtime 1x .
func BenchmarkGroupRead(b *testing.B) {
	const segs, n, size = 16, 400_000, 256
	ts := newServer(b)
	admin := dial(b, ts)
	fillStream(b, admin, "bench/g16", segs, n, size)
	ctx := context.Background()
	tail, err := admin.TailCut(ctx, "bench/g16")
	if err != nil {
		b.Fatal(err)
	}
	runs := 0
	for _, readers := range []int{1, 4} {
		b.Run(fmt.Sprintf("readers=%d", readers), func(b *testing.B) {
			for range b.N {
				runs++
				rg := admin.ReaderGroup(fmt.Sprintf("bench/r%d-%d", readers, runs))
				if _, err := rg.Create(ctx, braid.ReaderGroupConfig{Streams: []braid.GroupStream{{Stream: "bench/g16", End: tail}}}); err != nil {
					b.Fatal(err)
				}
				var total, bytes atomic.Int64
				var wg sync.WaitGroup
				start := time.Now()
				for r := range readers {
					c := dialAddr(b, ts.GRPCAddr())
					gr, err := c.ReaderGroup(rg.Name()).NewReader(ctx, fmt.Sprintf("r%d", r))
					if err != nil {
						b.Fatal(err)
					}
					wg.Add(1)
					go func() {
						defer wg.Done()
						defer gr.Close(ctx)
						for {
							ev, err := gr.Read(ctx)
							if err != nil {
								return
							}
							total.Add(1)
							bytes.Add(int64(len(ev.Data)))
						}
					}()
				}
				wg.Wait()
				took := time.Since(start)
				if total.Load() < n {
					b.Fatalf("read %d events, want %d", total.Load(), n)
				}
				b.ReportMetric(float64(bytes.Load())/took.Seconds()/1e6, "MB/s")
				b.ReportMetric(float64(total.Load())/took.Seconds(), "events/s")
			}
		})
	}
}

// BenchmarkGroupRebalance measures how long a group of 4 readers needs,
// after one reader's connection drops (a killed process), until the dead
// reader's segments are owned by the others again.
//
//	go test -run '^$' -bench GroupRebalance -benchtime 5x .
func BenchmarkGroupRebalance(b *testing.B) {
	ts := newServer(b)
	admin := dial(b, ts)
	ctx := context.Background()
	createStream(b, admin, "bench/rb", 16)
	var worst time.Duration
	var sum time.Duration
	for range b.N {
		rebalanceRuns++
		rg := admin.ReaderGroup(fmt.Sprintf("bench/rb-%d", rebalanceRuns))
		if _, err := rg.Create(ctx, braid.ReaderGroupConfig{Streams: []braid.GroupStream{{Stream: "bench/rb"}}}); err != nil {
			b.Fatal(err)
		}
		var wg sync.WaitGroup
		stop := make(chan struct{})
		clients := make([]*braid.Client, 4)
		for r := range 4 {
			clients[r] = dialAddr(b, ts.GRPCAddr())
			gr, err := clients[r].ReaderGroup(rg.Name()).NewReader(ctx, fmt.Sprintf("r%d", r))
			if err != nil {
				b.Fatal(err)
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						gr.Close(ctx)
						return
					default:
					}
					rctx, cancel := context.WithTimeout(ctx, 5*time.Millisecond)
					_, err := gr.Read(rctx)
					cancel()
					if err != nil && rctx.Err() == nil {
						return
					}
				}
			}()
		}
		balanced := func(want int) bool {
			in, err := rg.Describe(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if len(in.Readers) != want {
				return false
			}
			owned := 0
			for _, r := range in.Readers {
				owned += len(r.Segments)
			}
			return owned == 16
		}
		waitFor(b, func() bool { return balanced(4) })
		start := time.Now()
		clients[0].Close() // reader r0's connection drops without a leave
		waitFor(b, func() bool { return balanced(3) })
		took := time.Since(start)
		sum += took
		worst = max(worst, took)
		close(stop)
		wg.Wait()
	}
	b.ReportMetric(float64(sum.Microseconds())/float64(b.N)/1000, "ms/rebalance")
	b.ReportMetric(float64(worst.Microseconds())/1000, "ms-worst")
}

// rebalanceRuns names each run's group (the benchmark function runs more
// than once on one server).
var rebalanceRuns int

// waitFor polls cond every millisecond for up to 30 s.
func waitFor(b *testing.B, cond func() bool) {
	b.Helper()
	deadline := time.Now().Add(30 * time.Second)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			b.Fatal("timed out")
		}
		<-tick.C
	}
}
