package bench

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// dialServer runs an in-process server on free ports until the test ends
// and returns a client connected to it.
func dialServer(t *testing.T) *braid.Client {
	t.Helper()
	srv := servertest.New(t, server.Config{Containers: 2})
	c, err := braid.Dial(t.Context(), srv.GRPCAddr())
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// recorder is a Progress that remembers each phase's total and count.
type recorder struct {
	mu     sync.Mutex
	phases []string
	totals []int64
	counts []int64
	open   bool
}

func (r *recorder) Start(phase string, total int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.phases = append(r.phases, phase)
	r.totals = append(r.totals, total)
	r.counts = append(r.counts, 0)
	r.open = true
}

func (r *recorder) Add(n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.counts[len(r.counts)-1] += int64(n)
}

func (r *recorder) Finish() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.open = false
}

func TestRun(t *testing.T) {
	c := dialServer(t)
	var prog recorder
	var warnings []string
	cfg := Config{
		Stream:    "bench/tiny",
		Events:    601, // not a multiple of Producers, nor of progressEvery
		Size:      100,
		Producers: 3,
		Segments:  2,
		Inflight:  8,
		KeyCount:  10,
		Progress:  &prog,
		Warn:      func(msg string) { warnings = append(warnings, msg) },
	}
	res, err := Run(t.Context(), c, cfg)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if res.Events != 601 || res.Size != 100 || res.Producers != 3 || res.Segments != 2 {
		t.Errorf("result echoes %d/%d/%d/%d, want 601/100/3/2", res.Events, res.Size, res.Producers, res.Segments)
	}
	if res.ReadEvents != 601 || res.ReadBytes != 60100 {
		t.Errorf("read back %d events, %d bytes; want 601, 60100", res.ReadEvents, res.ReadBytes)
	}
	for name, v := range map[string]float64{
		"write events/s": res.WriteEventsPerSec, "write MB/s": res.WriteMBPerSec,
		"read events/s": res.ReadEventsPerSec, "read MB/s": res.ReadMBPerSec,
		"p50": res.AppendP50Ms,
	} {
		if v <= 0 {
			t.Errorf("%s = %v, want > 0", name, v)
		}
	}
	if !(res.AppendP50Ms <= res.AppendP99Ms && res.AppendP99Ms <= res.AppendP999Ms) {
		t.Errorf("percentiles out of order: p50 %v p99 %v p99.9 %v", res.AppendP50Ms, res.AppendP99Ms, res.AppendP999Ms)
	}
	if len(warnings) != 0 {
		t.Errorf("warnings on a new stream: %q", warnings)
	}
	if got := strings.Join(prog.phases, ","); got != "write,read" || prog.open {
		t.Errorf("progress phases %q (open %v), want write,read finished", got, prog.open)
	}
	for i := range prog.totals {
		if prog.totals[i] != 601 || prog.counts[i] != 601 {
			t.Errorf("phase %s: total %d, counted %d; want 601, 601", prog.phases[i], prog.totals[i], prog.counts[i])
		}
	}

	info, err := c.GetStream(t.Context(), "bench/tiny")
	if err != nil {
		t.Fatal(err)
	}
	if info.Segments != 2 {
		t.Errorf("created stream has %d segments, want 2", info.Segments)
	}

	// Again on the same stream, asking for another segment count: a
	// warning, and only the new events are read back.
	cfg.Segments = 5
	cfg.Events = 50
	cfg.KeyCount = 0
	cfg.Progress = nil
	res, err = Run(t.Context(), c, cfg)
	if err != nil {
		t.Fatalf("second Run: %v", err)
	}
	if res.ReadEvents != 50 || res.Segments != 2 {
		t.Errorf("second run read %d events on %d segments, want 50 on 2", res.ReadEvents, res.Segments)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "exists with 2 segments, not 5") {
		t.Errorf("warnings %q, want one about the segment count", warnings)
	}
}

func TestRunFails(t *testing.T) {
	c := dialServer(t)
	if _, err := c.CreateStream(t.Context(), "bench/sealed", braid.StreamConfig{CreateScope: true}); err != nil {
		t.Fatal(err)
	}
	if err := c.SealStream(t.Context(), "bench/sealed"); err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Stream = "bench/sealed"
	cfg.Events = 10
	if _, err := Run(t.Context(), c, cfg); err == nil || !strings.Contains(err.Error(), "sealed") {
		t.Errorf("Run on a sealed stream: %v, want an error saying sealed", err)
	}

	// Canceled: Run returns, with every goroutine joined (goleak checks).
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	cfg.Stream = "bench/canceled"
	if _, err := Run(ctx, c, cfg); err == nil {
		t.Error("Run with a canceled context succeeded")
	}
}

func TestValidate(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Errorf("default config: %v", err)
	}
	cfg := Config{Stream: "nope", Events: 0, Size: -1, Producers: 0, Segments: 0, Inflight: 0, KeyCount: -1, Readers: -1, FlushTimeout: -time.Second}
	err := cfg.Validate()
	if err == nil {
		t.Fatal("bad config accepted")
	}
	for _, want := range []string{
		`stream: invalid stream name "nope"`, "events: want 1", "size: want 0 to 8388608, got -1",
		"producers: want 1", "segments: want 1", "inflight: want 1", "key-count: want 0",
		"readers: want 0", "flush-timeout: want 0 (the default) or more, got -1s",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

func TestPercentile(t *testing.T) {
	sorted := make([]float64, 1000)
	for i := range sorted {
		sorted[i] = float64(i + 1)
	}
	for _, tc := range []struct {
		q    float64
		want float64
	}{{0.5, 500}, {0.99, 990}, {0.999, 999}, {1, 1000}} {
		if got := percentile(sorted, tc.q); got != tc.want {
			t.Errorf("percentile(1..1000, %v) = %v, want %v", tc.q, got, tc.want)
		}
	}
	if got := percentile([]float64{7}, 0.999); got != 7 {
		t.Errorf("percentile of one value = %v, want 7", got)
	}
	if got := percentile(nil, 0.5); got != 0 {
		t.Errorf("percentile of nothing = %v, want 0", got)
	}
}
