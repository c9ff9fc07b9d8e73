package dashboard

import (
	"context"
	"math"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/proto"

	"github.com/braidstream/braid/internal/clock"
)

// fakeGatherer returns the families its test sets.
type fakeGatherer struct {
	mu   sync.Mutex
	fams []*dto.MetricFamily
}

func (g *fakeGatherer) set(fams ...*dto.MetricFamily) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.fams = fams
}

func (g *fakeGatherer) Gather() ([]*dto.MetricFamily, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.fams, nil
}

func labels(kv ...string) []*dto.LabelPair {
	var out []*dto.LabelPair
	for i := 0; i < len(kv); i += 2 {
		out = append(out, &dto.LabelPair{Name: proto.String(kv[i]), Value: proto.String(kv[i+1])})
	}
	return out
}

func counter(name string, v float64, kv ...string) *dto.MetricFamily {
	return &dto.MetricFamily{Name: proto.String(name), Type: dto.MetricType_COUNTER.Enum(),
		Metric: []*dto.Metric{{Label: labels(kv...), Counter: &dto.Counter{Value: proto.Float64(v)}}}}
}

func gaugeFam(name string, v float64, kv ...string) *dto.MetricFamily {
	return &dto.MetricFamily{Name: proto.String(name), Type: dto.MetricType_GAUGE.Enum(),
		Metric: []*dto.Metric{{Label: labels(kv...), Gauge: &dto.Gauge{Value: proto.Float64(v)}}}}
}

// merge puts the metrics of families of one name into one family.
func merge(fams ...*dto.MetricFamily) *dto.MetricFamily {
	out := fams[0]
	for _, f := range fams[1:] {
		out.Metric = append(out.Metric, f.Metric...)
	}
	return out
}

// histogram is a histogram family with cumulative counts per bound.
func histogram(name string, bounds []float64, cum []uint64, total uint64) *dto.MetricFamily {
	h := &dto.Histogram{SampleCount: proto.Uint64(total)}
	for i, b := range bounds {
		h.Bucket = append(h.Bucket, &dto.Bucket{UpperBound: proto.Float64(b), CumulativeCount: proto.Uint64(cum[i])})
	}
	return &dto.MetricFamily{Name: proto.String(name), Type: dto.MetricType_HISTOGRAM.Enum(),
		Metric: []*dto.Metric{{Histogram: h}}}
}

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func latestValue(t *testing.T, s *Sampler, name string, q Query) (float64, bool) {
	t.Helper()
	q.Names = []string{name}
	for _, p := range s.Latest(q).Series {
		if p.Name == name {
			return p.Value, true
		}
	}
	return 0, false
}

func TestRing(t *testing.T) {
	r := newRing(false)
	if !r.empty() {
		t.Fatal("a new ring is not empty")
	}
	if r.bytes() != RingPoints*4 {
		t.Fatalf("narrow ring: %d bytes, want %d", r.bytes(), RingPoints*4)
	}
	r.set(7, 1.5)
	if r.empty() || r.at(7) != 1.5 || !math.IsNaN(r.at(8)) {
		t.Fatalf("after set: at(7)=%v at(8)=%v", r.at(7), r.at(8))
	}
	w := newRing(true)
	ts := float64(t0.Unix()) + 0.25
	w.set(0, ts)
	if w.at(0) != ts || w.bytes() != RingPoints*8 {
		t.Fatalf("wide ring holds %v (want %v), %d bytes", w.at(0), ts, w.bytes())
	}
}

// TestSamplerRingWraps: after more than RingPoints samples the history
// holds exactly the last RingPoints, oldest first.
func TestSamplerRingWraps(t *testing.T) {
	g := &fakeGatherer{}
	s := NewSampler(g, nil, nil)
	const extra = 25
	for i := range RingPoints + extra {
		g.set(gaugeFam(metricUnflushed, float64(i)))
		s.sampleAt(t0.Add(time.Duration(i) * time.Second))
	}
	h := s.History(Query{Names: []string{SeriesTier2Backlog}})
	if len(h.Series) != 1 {
		t.Fatalf("%d series, want 1", len(h.Series))
	}
	pts := h.Series[0].Points
	if len(pts) != RingPoints {
		t.Fatalf("%d points, want %d", len(pts), RingPoints)
	}
	if pts[0][1] != extra || pts[len(pts)-1][1] != RingPoints+extra-1 {
		t.Fatalf("points run %v..%v, want %d..%d", pts[0][1], pts[len(pts)-1][1], extra, RingPoints+extra-1)
	}
	if want := float64(t0.Add(extra * time.Second).UnixMilli()); pts[0][0] != want {
		t.Fatalf("first point at %v, want %v", pts[0][0], want)
	}
	if h.MemoryBytes != BaseBytes {
		t.Fatalf("memory %d, want %d", h.MemoryBytes, BaseBytes)
	}
}

// TestSamplerRates: counters become per-second rates over the real time
// between samples; the first sample and absent metrics give no point; a
// counter that restarts counts from zero.
func TestSamplerRates(t *testing.T) {
	g := &fakeGatherer{}
	s := NewSampler(g, nil, nil)
	g.set(merge(counter(metricSegAppendEvents, 100, "container", "0"), counter(metricSegAppendEvents, 50, "container", "1")))
	s.sampleAt(t0)
	if _, ok := latestValue(t, s, SeriesAppendEvents, Query{}); ok {
		t.Fatal("a rate after one sample")
	}
	g.set(merge(counter(metricSegAppendEvents, 300, "container", "0"), counter(metricSegAppendEvents, 150, "container", "1")),
		counter(metricSegAppendBytes, 10))
	s.sampleAt(t0.Add(2 * time.Second))
	if v, ok := latestValue(t, s, SeriesAppendEvents, Query{}); !ok || v != 150 {
		t.Fatalf("append rate %v %v, want 150 (300 events over 2 s)", v, ok)
	}
	if _, ok := latestValue(t, s, SeriesAppendBytes, Query{}); ok {
		t.Fatal("a bytes rate from the first sample of its counter")
	}
	if _, ok := latestValue(t, s, SeriesErrors, Query{}); ok {
		t.Fatal("errors/s without braid_errors_total")
	}
	g.set(merge(counter(metricSegAppendEvents, 20, "container", "0"), counter(metricSegAppendEvents, 10, "container", "1")))
	s.sampleAt(t0.Add(3 * time.Second))
	if v, ok := latestValue(t, s, SeriesAppendEvents, Query{}); !ok || v != 30 {
		t.Fatalf("rate after a restart %v %v, want 30", v, ok)
	}

	// Without the store's counters, the streams' are summed.
	g2 := &fakeGatherer{}
	s2 := NewSampler(g2, nil, nil)
	streams := func(a, b float64) *dto.MetricFamily {
		return merge(counter(metricStreamAppendEvents, a, "scope", "s", "stream", "a"), counter(metricStreamAppendEvents, b, "scope", "s", "stream", "b"))
	}
	g2.set(streams(0, 0))
	s2.sampleAt(t0)
	g2.set(streams(10, 30))
	s2.sampleAt(t0.Add(time.Second))
	if v, ok := latestValue(t, s2, SeriesAppendEvents, Query{}); !ok || v != 40 {
		t.Fatalf("summed stream rate %v %v, want 40", v, ok)
	}
	if v, ok := latestValue(t, s2, SeriesStreamAppendEvents, Query{Scope: "s", Stream: "b"}); !ok || v != 30 {
		t.Fatalf("stream s/b rate %v %v, want 30", v, ok)
	}
}

func TestQuantile(t *testing.T) {
	bounds := []float64{0.001, 0.01, 0.1, math.Inf(1)}
	old := histSnap{bounds: bounds, counts: []float64{10, 10, 10, 10}}
	// 100 new observations: 90 under 1 ms, 10 between 1 and 10 ms.
	cur := histSnap{bounds: bounds, counts: []float64{100, 110, 110, 110}}
	q, ok := quantile(0.99, old, cur)
	// rank 99 falls in the second bucket: 0.001 + 0.009*(99-90)/10.
	if want := 0.001 + 0.009*0.9; !ok || math.Abs(q-want) > 1e-12 {
		t.Fatalf("p99 %v %v, want %v", q, ok, want)
	}
	if _, ok := quantile(0.99, cur, cur); ok {
		t.Fatal("a p99 with no observation")
	}
	// Everything in +Inf: the highest finite bound.
	inf := histSnap{bounds: bounds, counts: []float64{10, 10, 10, 20}}
	if q, ok := quantile(0.99, old, inf); !ok || q != 0.1 {
		t.Fatalf("p99 in +Inf: %v %v, want 0.1", q, ok)
	}
}

// TestSamplerFsyncP99: the p99 is over the last P99Window samples only:
// slow syncs older than that no longer count.
func TestSamplerFsyncP99(t *testing.T) {
	g := &fakeGatherer{}
	s := NewSampler(g, nil, nil)
	bounds := []float64{0.001, 0.01, 0.1}
	// Sample 0: 100 slow syncs (10..100 ms). Then 100 fast ones a second.
	slow, fast := uint64(100), uint64(0)
	at := func(i int) {
		g.set(histogram(metricWALSync, bounds, []uint64{fast, fast, fast + slow}, fast+slow))
		s.sampleAt(t0.Add(time.Duration(i) * time.Second))
	}
	at(0)
	if _, ok := latestValue(t, s, SeriesFsyncP99, Query{}); ok {
		t.Fatal("a p99 from one sample")
	}
	fast += 100
	at(1)
	if v, ok := latestValue(t, s, SeriesFsyncP99, Query{}); !ok || v <= 0 || v > 0.001 {
		t.Fatalf("p99 of 100 fast syncs: %v %v, want within (0, 1 ms]", v, ok)
	}
	// A burst of slow syncs at sample 2 dominates the window's p99 ...
	slow += 50
	fast += 100
	at(2)
	if v, ok := latestValue(t, s, SeriesFsyncP99, Query{}); !ok || v < 0.01 {
		t.Fatalf("p99 with slow syncs in the window: %v %v, want >= 10 ms", v, ok)
	}
	// ... until it is more than P99Window samples old.
	for i := 3; i <= 2+P99Window; i++ {
		fast += 100
		at(i)
	}
	if v, ok := latestValue(t, s, SeriesFsyncP99, Query{}); !ok || v > 0.001 {
		t.Fatalf("p99 once the slow syncs left the window: %v %v, want <= 1 ms", v, ok)
	}
}

func TestSamplerStreamsAndTier2(t *testing.T) {
	g := &fakeGatherer{}
	s := NewSampler(g, nil, nil)
	wm := float64(t0.Unix()) + 0.5
	g.set(gaugeFam(metricWatermark, wm, "scope", "sc", "stream", "st"),
		gaugeFam(metricWatermarkLag, 2.5, "scope", "sc", "stream", "st"),
		gaugeFam(metricStreamSize, 1234, "scope", "sc", "stream", "st"),
		gaugeFam(metricTier2Failing, 0, "container", "0"),
		counter(metricThrottled, 0, "container", "0"))
	s.sampleAt(t0)
	if v, ok := latestValue(t, s, SeriesStreamWatermark, Query{Scope: "sc"}); !ok || v != wm {
		t.Fatalf("watermark %v %v, want %v", v, ok, wm)
	}
	if v, ok := latestValue(t, s, SeriesStreamSize, Query{Scope: "sc", Stream: "st"}); !ok || v != 1234 {
		t.Fatalf("size %v %v", v, ok)
	}
	if _, ok := latestValue(t, s, SeriesStreamSize, Query{Scope: "other"}); ok {
		t.Fatal("the scope filter let another scope's stream through")
	}
	if got := s.Tier2State(); got != Tier2Healthy {
		t.Fatalf("tier 2 %s, want healthy", got)
	}
	if h := s.History(Query{}); h.MemoryBytes != BaseBytes+PerStreamBytes || h.Streams != 1 {
		t.Fatalf("memory %d streams %d, want %d and 1", h.MemoryBytes, h.Streams, BaseBytes+PerStreamBytes)
	}
	g.set(gaugeFam(metricTier2Failing, 0, "container", "0"), counter(metricThrottled, 3, "container", "0"))
	s.sampleAt(t0.Add(time.Second))
	if got := s.Tier2State(); got != Tier2Behind {
		t.Fatalf("tier 2 %s after throttled appends, want behind", got)
	}
	// The stream's metrics went: it is still tracked, without points now.
	if _, ok := latestValue(t, s, SeriesStreamSize, Query{}); ok {
		t.Fatal("a size point for a stream absent from the metrics")
	}
	if h := s.History(Query{Names: []string{SeriesStreamSize}}); len(h.Series) != 1 || len(h.Series[0].Points) != 1 {
		t.Fatalf("history of the gone stream: %+v", h.Series)
	}
	g.set(gaugeFam(metricTier2Failing, 1, "container", "0"), counter(metricThrottled, 3, "container", "0"))
	s.sampleAt(t0.Add(2 * time.Second))
	if got := s.Tier2State(); got != Tier2Failing {
		t.Fatalf("tier 2 %s, want failing", got)
	}
	if err := (Query{Names: []string{"nope"}}).Validate(); err == nil {
		t.Fatal("an unknown series name validates")
	}
	if err := (Query{Stream: "x"}).Validate(); err == nil {
		t.Fatal("a stream without a scope validates")
	}
}

// TestSamplerMaxStreams: no more than MaxStreams streams are tracked; a
// gone one makes room for a new one.
func TestSamplerMaxStreams(t *testing.T) {
	g := &fakeGatherer{}
	s := NewSampler(g, nil, nil)
	fam := func(from, n int) *dto.MetricFamily {
		var fs []*dto.MetricFamily
		for i := from; i < from+n; i++ {
			fs = append(fs, gaugeFam(metricStreamSize, 1, "scope", "s", "stream", "x"+string(rune('0'+i/100))+string(rune('0'+i/10%10))+string(rune('0'+i%10))))
		}
		return merge(fs...)
	}
	g.set(fam(0, MaxStreams+10))
	s.sampleAt(t0)
	h := s.History(Query{Names: []string{SeriesStreamSize}})
	if h.Streams != MaxStreams || h.DroppedStreams != 10 || h.MemoryBytes != MaxBytes {
		t.Fatalf("streams %d dropped %d memory %d, want %d, 10, %d", h.Streams, h.DroppedStreams, h.MemoryBytes, MaxStreams, MaxBytes)
	}
	// The first stream goes; a new one takes its place.
	g.set(fam(1, MaxStreams-1))
	s.sampleAt(t0.Add(time.Second))
	g.set(fam(1, MaxStreams))
	s.sampleAt(t0.Add(2 * time.Second))
	h = s.History(Query{Scope: "s", Stream: "x256", Names: []string{SeriesStreamSize}})
	if len(h.Series) != 1 || h.Streams != MaxStreams {
		t.Fatalf("the new stream x256: %d series, %d streams tracked", len(h.Series), h.Streams)
	}
}

// fakeClock's tickers fire when the test says.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
	c   chan time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) NewTicker(time.Duration) clock.Ticker { return fakeTicker{c.c} }

func (c *fakeClock) NewTimer(time.Duration) clock.Timer { panic("not used") }

// advance moves the clock by d and fires the ticker.
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	now := c.now
	c.mu.Unlock()
	c.c <- now
}

type fakeTicker struct{ c chan time.Time }

func (t fakeTicker) C() <-chan time.Time { return t.c }
func (t fakeTicker) Stop()               {}

// TestSamplerRun: Run samples at start and at each tick of its clock, and
// Updated wakes a waiter at each sample; it returns when its context ends.
func TestSamplerRun(t *testing.T) {
	g := &fakeGatherer{}
	clk := &fakeClock{now: t0, c: make(chan time.Time)}
	s := NewSampler(g, clk, nil)
	g.set(counter(metricErrors, 0))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	upd := s.Updated()
	go func() { defer close(done); s.Run(ctx) }()
	wait := func(ch <-chan struct{}) {
		t.Helper()
		select {
		case <-ch:
		case <-time.After(10 * time.Second):
			t.Fatal("no sample within 10 s")
		}
	}
	wait(upd)
	upd = s.Updated()
	g.set(counter(metricErrors, 4))
	clk.advance(2 * time.Second)
	wait(upd)
	if v, ok := latestValue(t, s, SeriesErrors, Query{}); !ok || v != 2 {
		t.Fatalf("errors/s %v %v, want 2", v, ok)
	}
	if l := s.Latest(Query{}); l.Time != t0.Add(2*time.Second).UnixMilli() {
		t.Fatalf("latest sample at %d, want %d", l.Time, t0.Add(2*time.Second).UnixMilli())
	}
	cancel()
	wait(done)
}
