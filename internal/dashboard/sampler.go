package dashboard

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/braidstream/braid/internal/clock"
)

// Interval is the time between two samples.
const Interval = time.Second

// MaxStreams bounds the streams the sampler keeps series for. A stream
// past it gets none until a tracked stream has been gone from the metrics
// for a whole ring (an hour) and frees its place.
const MaxStreams = 256

// P99Window is how many samples back the fsync p99 looks: the WAL sync
// histogram's bucket counts now less those of 10 samples (10 s) before.
const P99Window = 10

// Server-wide series.
const (
	SeriesAppendEvents = "append_events_per_second"
	SeriesAppendBytes  = "append_bytes_per_second"
	SeriesReadEvents   = "read_events_per_second"
	SeriesReadBytes    = "read_bytes_per_second"
	SeriesFsyncP99     = "fsync_p99_seconds"
	SeriesErrors       = "errors_per_second"
	SeriesTier2Backlog = "tier2_backlog_bytes"
)

// Per-stream series (labels scope and stream).
const (
	SeriesStreamAppendEvents = "stream_append_events_per_second"
	SeriesStreamAppendBytes  = "stream_append_bytes_per_second"
	SeriesStreamReadBytes    = "stream_read_bytes_per_second"
	SeriesStreamWatermark    = "stream_watermark_seconds"
	SeriesStreamWatermarkLag = "stream_watermark_lag_seconds"
	SeriesStreamSize         = "stream_size_bytes"
)

// The Prometheus metrics the series derive from. One that is absent
// yields no points.
const (
	metricSegAppendEvents    = "braid_segstore_append_events_total"
	metricSegAppendBytes     = "braid_segstore_append_bytes_total"
	metricStreamAppendEvents = "braid_stream_appended_events_total"
	metricStreamAppendBytes  = "braid_stream_appended_bytes_total"
	metricStreamReadEvents   = "braid_stream_read_events_total"
	metricStreamReadBytes    = "braid_stream_read_bytes_total"
	metricWALSync            = "braid_wal_sync_seconds"
	metricErrors             = "braid_errors_total"
	metricUnflushed          = "braid_segstore_unflushed_bytes"
	metricWatermark          = "braid_stream_watermark_seconds"
	metricWatermarkLag       = "braid_stream_watermark_lag_seconds"
	metricStreamSize         = "braid_stream_size_bytes"
	metricTier2Failing       = "braid_tier2_write_failing"
	metricThrottled          = "braid_segstore_throttled_appends_total"
)

// Tier-2 states.
const (
	Tier2Unknown = "unknown" // no sample yet, or no tier-2 metrics
	Tier2Healthy = "healthy"
	Tier2Behind  = "behind"  // appends waited for tier 2 within the last 10 s
	Tier2Failing = "failing" // a container's storage writer cannot write to tier 2
)

// seriesDef describes one series.
type seriesDef struct {
	name, unit string
	perStream  bool
	wide       bool // float64 points (unix times)
}

var seriesDefs = []seriesDef{
	{name: SeriesAppendEvents, unit: "events/s"},
	{name: SeriesAppendBytes, unit: "bytes/s"},
	{name: SeriesReadEvents, unit: "events/s"},
	{name: SeriesReadBytes, unit: "bytes/s"},
	{name: SeriesFsyncP99, unit: "seconds"},
	{name: SeriesErrors, unit: "errors/s"},
	{name: SeriesTier2Backlog, unit: "bytes"},
	{name: SeriesStreamAppendEvents, unit: "events/s", perStream: true},
	{name: SeriesStreamAppendBytes, unit: "bytes/s", perStream: true},
	{name: SeriesStreamReadBytes, unit: "bytes/s", perStream: true},
	{name: SeriesStreamWatermark, unit: "unix seconds", perStream: true, wide: true},
	{name: SeriesStreamWatermarkLag, unit: "seconds", perStream: true},
	{name: SeriesStreamSize, unit: "bytes", perStream: true},
}

func defOf(name string) (seriesDef, bool) {
	for _, d := range seriesDefs {
		if d.name == name {
			return d, true
		}
	}
	return seriesDef{}, false
}

// Names lists every series name, server-wide ones first.
func Names() []string {
	out := make([]string, len(seriesDefs))
	for i, d := range seriesDefs {
		out[i] = d.name
	}
	return out
}

// Memory the rings take: the sample times (8 bytes each), the server-wide
// series and, for each stream, its series (float32 points, 4 bytes; the
// watermark float64, 8 bytes).
const (
	timesBytes     = RingPoints * 8
	serverBytes    = 7 * RingPoints * 4
	perStreamBytes = 5*RingPoints*4 + RingPoints*8
	// BaseBytes is the rings' memory with no stream tracked: 129,600.
	BaseBytes = timesBytes + serverBytes
	// PerStreamBytes is what each tracked stream adds: 100,800.
	PerStreamBytes = perStreamBytes
	// MaxBytes is the rings' memory with MaxStreams streams tracked:
	// 25,934,400.
	MaxBytes = BaseBytes + MaxStreams*PerStreamBytes
)

// StreamKey names a stream in the metrics' labels.
type StreamKey struct{ Scope, Stream string }

// streamSeries are one stream's rings.
type streamSeries struct {
	rings    map[string]*ring
	lastSeen uint64 // sample number the stream was last in the metrics
}

// histSnap is the cumulative state of the counters that are compared over
// P99Window samples.
type histSnap struct {
	bounds    []float64 // bucket upper bounds, ascending, +Inf last
	counts    []float64 // cumulative counts
	throttled float64
}

// Sampler samples a Prometheus registry every Interval and keeps derived
// series in rings of RingPoints samples. Its owner runs Run and stops it
// by cancelling the context. Methods are safe for concurrent use.
type Sampler struct {
	g   prometheus.Gatherer
	clk clock.Clock
	log *slog.Logger

	mu       sync.Mutex
	n        uint64 // samples taken
	times    []int64
	prevTime time.Time
	server   map[string]*ring
	streams  map[StreamKey]*streamSeries
	dropped  int                // streams not tracked for want of room
	prev     map[string]float64 // counters at the last sample, by key
	window   []histSnap         // the last P99Window+1 snapshots
	tier2    string
	tick     chan struct{} // closed at the next sample
}

// NewSampler returns a sampler of g; clk nil is the wall clock, log nil
// discards.
func NewSampler(g prometheus.Gatherer, clk clock.Clock, log *slog.Logger) *Sampler {
	if clk == nil {
		clk = clock.Real{}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Sampler{g: g, clk: clk, log: log, times: make([]int64, RingPoints),
		server: map[string]*ring{}, streams: map[StreamKey]*streamSeries{},
		prev: map[string]float64{}, tier2: Tier2Unknown, tick: make(chan struct{})}
	for _, d := range seriesDefs {
		if !d.perStream {
			s.server[d.name] = newRing(d.wide)
		}
	}
	return s
}

// Run samples at once and then every Interval until ctx ends.
func (s *Sampler) Run(ctx context.Context) {
	t := s.clk.NewTicker(Interval)
	defer t.Stop()
	s.Sample()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C():
			s.Sample()
		}
	}
}

// Sample takes one sample now.
func (s *Sampler) Sample() { s.sampleAt(s.clk.Now()) }

// gathered is one Gather summed the ways the series need.
type gathered struct {
	sums    map[string]float64 // by metric, over all label sets
	present map[string]bool
	streams map[StreamKey]map[string]float64
	hist    histSnap
	hasHist bool
}

func gather(fams []*dto.MetricFamily) gathered {
	g := gathered{sums: map[string]float64{}, present: map[string]bool{}, streams: map[StreamKey]map[string]float64{}}
	for _, f := range fams {
		name := f.GetName()
		if name == metricWALSync {
			g.hist, g.hasHist = sumHistogram(f)
			continue
		}
		for _, m := range f.GetMetric() {
			v, ok := metricValue(m)
			if !ok {
				continue
			}
			g.sums[name] += v
			g.present[name] = true
			var k StreamKey
			for _, lp := range m.GetLabel() {
				switch lp.GetName() {
				case "scope":
					k.Scope = lp.GetValue()
				case "stream":
					k.Stream = lp.GetValue()
				}
			}
			if k.Scope == "" || k.Stream == "" || !strings.HasPrefix(name, "braid_stream_") {
				continue
			}
			if g.streams[k] == nil {
				g.streams[k] = map[string]float64{}
			}
			g.streams[k][name] += v
		}
	}
	return g
}

func metricValue(m *dto.Metric) (float64, bool) {
	switch {
	case m.Counter != nil:
		return m.Counter.GetValue(), true
	case m.Gauge != nil:
		return m.Gauge.GetValue(), true
	case m.Untyped != nil:
		return m.Untyped.GetValue(), true
	}
	return 0, false
}

// sumHistogram adds a histogram family's label sets bucket by bucket.
func sumHistogram(f *dto.MetricFamily) (histSnap, bool) {
	byBound := map[float64]float64{}
	found := false
	for _, m := range f.GetMetric() {
		h := m.GetHistogram()
		if h == nil {
			continue
		}
		found = true
		for _, b := range h.GetBucket() {
			byBound[b.GetUpperBound()] += float64(b.GetCumulativeCount())
		}
		byBound[math.Inf(1)] += float64(h.GetSampleCount())
	}
	if !found {
		return histSnap{}, false
	}
	var hs histSnap
	for b := range byBound {
		hs.bounds = append(hs.bounds, b)
	}
	slices.Sort(hs.bounds)
	for _, b := range hs.bounds {
		hs.counts = append(hs.counts, byBound[b])
	}
	return hs, true
}

// quantile is the q quantile of the observations between two cumulative
// snapshots with the same buckets, interpolated linearly within a bucket
// as Prometheus's histogram_quantile does; ok is false with no
// observation between them.
func quantile(q float64, old, cur histSnap) (float64, bool) {
	if len(cur.bounds) == 0 {
		return 0, false
	}
	delta := make([]float64, len(cur.bounds))
	for i, b := range cur.bounds {
		delta[i] = cur.counts[i]
		if j, found := slices.BinarySearch(old.bounds, b); found {
			delta[i] -= old.counts[j]
		}
		if i > 0 && delta[i] < delta[i-1] { // a reset: counts cannot fall
			delta[i] = delta[i-1]
		}
	}
	total := delta[len(delta)-1]
	if total <= 0 {
		return 0, false
	}
	rank := q * total
	i := sort.Search(len(delta), func(i int) bool { return delta[i] >= rank })
	if i >= len(delta) {
		i = len(delta) - 1
	}
	upper := cur.bounds[i]
	if math.IsInf(upper, 1) {
		if i == 0 {
			return 0, false
		}
		return cur.bounds[i-1], true
	}
	lower, below := 0.0, 0.0
	if i > 0 {
		lower, below = cur.bounds[i-1], delta[i-1]
	}
	in := delta[i] - below
	if in <= 0 {
		return upper, true
	}
	return lower + (upper-lower)*(rank-below)/in, true
}

// sampleAt takes one sample at time now.
func (s *Sampler) sampleAt(now time.Time) {
	fams, err := s.g.Gather()
	if err != nil {
		// Gather returns what it could; sample that.
		s.log.Debug("dashboard sampler: gathering metrics", slog.Any("err", err))
	}
	g := gather(fams)

	s.mu.Lock()
	defer s.mu.Unlock()
	i := int(s.n % RingPoints)
	s.times[i] = now.UnixMilli()
	dt := now.Sub(s.prevTime).Seconds()
	havePrev := s.n > 0 && dt > 0
	next := make(map[string]float64, len(s.prev))
	rate := func(key string, cur float64, present bool) float64 {
		if !present {
			return math.NaN()
		}
		next[key] = cur
		prev, had := s.prev[key]
		if !had || !havePrev {
			return math.NaN()
		}
		d := cur - prev
		if d < 0 { // the counter restarted
			d = cur
		}
		return d / dt
	}
	gauge := func(name string) float64 {
		if !g.present[name] {
			return math.NaN()
		}
		return g.sums[name]
	}
	sumOr := func(first, second string) (float64, bool) {
		if g.present[first] {
			return g.sums[first], true
		}
		return g.sums[second], g.present[second]
	}

	set := func(name string, v float64) { s.server[name].set(i, v) }
	v, ok := sumOr(metricSegAppendEvents, metricStreamAppendEvents)
	set(SeriesAppendEvents, rate("append_events", v, ok))
	v, ok = sumOr(metricSegAppendBytes, metricStreamAppendBytes)
	set(SeriesAppendBytes, rate("append_bytes", v, ok))
	set(SeriesReadEvents, rate(metricStreamReadEvents, g.sums[metricStreamReadEvents], g.present[metricStreamReadEvents]))
	set(SeriesReadBytes, rate(metricStreamReadBytes, g.sums[metricStreamReadBytes], g.present[metricStreamReadBytes]))
	set(SeriesErrors, rate(metricErrors, g.sums[metricErrors], g.present[metricErrors]))
	set(SeriesTier2Backlog, gauge(metricUnflushed))

	snap := g.hist
	snap.throttled = g.sums[metricThrottled]
	s.window = append(s.window, snap)
	if len(s.window) > P99Window+1 {
		s.window = slices.Delete(s.window, 0, len(s.window)-(P99Window+1))
	}
	p99 := math.NaN()
	if g.hasHist && len(s.window) > 1 {
		if q, ok := quantile(0.99, s.window[0], snap); ok {
			p99 = q
		}
	}
	set(SeriesFsyncP99, p99)
	switch {
	case g.present[metricTier2Failing] && g.sums[metricTier2Failing] > 0:
		s.tier2 = Tier2Failing
	case g.present[metricThrottled] && len(s.window) > 1 && snap.throttled > s.window[0].throttled:
		s.tier2 = Tier2Behind
	case g.present[metricTier2Failing] || g.present[metricThrottled] || g.present[metricUnflushed]:
		s.tier2 = Tier2Healthy
	default:
		s.tier2 = Tier2Unknown
	}

	// Streams: track new ones while there is room (in name order, so
	// that which ones is not left to chance), then write every tracked
	// stream's slot, NaN for what its metrics lack.
	keys := slices.SortedFunc(maps.Keys(g.streams), func(a, b StreamKey) int {
		return cmp.Or(cmp.Compare(a.Scope, b.Scope), cmp.Compare(a.Stream, b.Stream))
	})
	for _, k := range keys {
		if s.streams[k] != nil {
			continue
		}
		if len(s.streams) >= MaxStreams && !s.evictOne() {
			s.dropped++
			continue
		}
		ss := &streamSeries{rings: map[string]*ring{}}
		for _, d := range seriesDefs {
			if d.perStream {
				ss.rings[d.name] = newRing(d.wide)
			}
		}
		s.streams[k] = ss
	}
	for k, ss := range s.streams {
		m, ok := g.streams[k]
		if ok {
			ss.lastSeen = s.n
		} else if s.n-ss.lastSeen >= RingPoints {
			delete(s.streams, k)
			continue
		}
		present := func(name string) bool { _, p := m[name]; return ok && p }
		key := k.Scope + "/" + k.Stream + "\x00"
		ss.rings[SeriesStreamAppendEvents].set(i, rate(key+metricStreamAppendEvents, m[metricStreamAppendEvents], present(metricStreamAppendEvents)))
		ss.rings[SeriesStreamAppendBytes].set(i, rate(key+metricStreamAppendBytes, m[metricStreamAppendBytes], present(metricStreamAppendBytes)))
		ss.rings[SeriesStreamReadBytes].set(i, rate(key+metricStreamReadBytes, m[metricStreamReadBytes], present(metricStreamReadBytes)))
		for name, metric := range map[string]string{SeriesStreamWatermark: metricWatermark, SeriesStreamWatermarkLag: metricWatermarkLag, SeriesStreamSize: metricStreamSize} {
			val := math.NaN()
			if present(metric) {
				val = m[metric]
			}
			ss.rings[name].set(i, val)
		}
	}

	s.prev = next
	s.prevTime = now
	s.n++
	close(s.tick)
	s.tick = make(chan struct{})
}

// evictOne frees the place of the tracked stream gone from the metrics
// longest, if one is gone; with s.mu held.
func (s *Sampler) evictOne() bool {
	var victim *StreamKey
	var oldest uint64
	for k, ss := range s.streams {
		if ss.lastSeen+1 >= s.n { // in the last sample
			continue
		}
		if victim == nil || ss.lastSeen < oldest {
			victim, oldest = &k, ss.lastSeen
		}
	}
	if victim == nil {
		return false
	}
	delete(s.streams, *victim)
	return true
}

// Updated returns a channel closed when the next sample is taken.
func (s *Sampler) Updated() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tick
}

// Tier2State is tier 2's state as of the last sample: Tier2Healthy,
// Tier2Behind, Tier2Failing or Tier2Unknown.
func (s *Sampler) Tier2State() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tier2
}

// Query selects series: Names (empty: all), and for per-stream series a
// Scope and optionally a Stream within it (empty: every stream).
// Server-wide series are not filtered by Scope or Stream.
type Query struct {
	Names         []string
	Scope, Stream string
}

// Validate checks the query's names and filter.
func (q Query) Validate() error {
	for _, n := range q.Names {
		if _, ok := defOf(n); !ok {
			return fmt.Errorf("unknown series %q; known: %s", n, strings.Join(Names(), ", "))
		}
	}
	if q.Stream != "" && q.Scope == "" {
		return fmt.Errorf("stream %q given without a scope", q.Stream)
	}
	return nil
}

func (q Query) wants(d seriesDef) bool {
	return len(q.Names) == 0 || slices.Contains(q.Names, d.name)
}

func (q Query) wantsStream(k StreamKey) bool {
	return (q.Scope == "" || q.Scope == k.Scope) && (q.Stream == "" || q.Stream == k.Stream)
}

// Series is one series' points, oldest first.
type Series struct {
	Name   string `json:"name"`
	Unit   string `json:"unit"`
	Scope  string `json:"scope,omitempty"`
	Stream string `json:"stream,omitempty"`
	// Points are [unix milliseconds, value]; samples without a value are
	// left out.
	Points [][2]float64 `json:"points"`
}

// History is what GET /v1/series answers.
type History struct {
	IntervalMS     int64    `json:"interval_ms"`
	Capacity       int      `json:"capacity"`
	Samples        uint64   `json:"samples"`
	Streams        int      `json:"streams"`
	MaxStreams     int      `json:"max_streams"`
	DroppedStreams int      `json:"dropped_streams"`
	MemoryBytes    int      `json:"memory_bytes"`
	MaxMemoryBytes int      `json:"max_memory_bytes"`
	Series         []Series `json:"series"`
}

// Point is one series' latest value.
type Point struct {
	Name   string  `json:"name"`
	Unit   string  `json:"unit"`
	Scope  string  `json:"scope,omitempty"`
	Stream string  `json:"stream,omitempty"`
	Value  float64 `json:"value"`
}

// Latest is one sample: what each message of GET /v1/series/live holds.
type Latest struct {
	// Time is the sample's time in unix milliseconds (0: none yet).
	Time   int64   `json:"time"`
	Tier2  string  `json:"tier2_state"`
	Series []Point `json:"series"`
}

// sortedStreams are the tracked streams the query wants, by scope and
// name; with s.mu held.
func (s *Sampler) sortedStreams(q Query) []StreamKey {
	var ks []StreamKey
	for k := range s.streams {
		if q.wantsStream(k) {
			ks = append(ks, k)
		}
	}
	slices.SortFunc(ks, func(a, b StreamKey) int {
		if c := strings.Compare(a.Scope, b.Scope); c != 0 {
			return c
		}
		return strings.Compare(a.Stream, b.Stream)
	})
	return ks
}

// each calls fn for every ring the query selects, in a stable order; with
// s.mu held.
func (s *Sampler) each(q Query, fn func(d seriesDef, k StreamKey, r *ring)) {
	ks := s.sortedStreams(q)
	for _, d := range seriesDefs {
		if !q.wants(d) {
			continue
		}
		if !d.perStream {
			fn(d, StreamKey{}, s.server[d.name])
			continue
		}
		for _, k := range ks {
			fn(d, k, s.streams[k].rings[d.name])
		}
	}
}

// History returns the rings the query selects, oldest point first.
func (s *Sampler) History(q Query) History {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := History{IntervalMS: Interval.Milliseconds(), Capacity: RingPoints, Samples: s.n,
		Streams: len(s.streams), MaxStreams: MaxStreams, DroppedStreams: s.dropped,
		MemoryBytes: s.memory(), MaxMemoryBytes: MaxBytes, Series: []Series{}}
	count := min(s.n, RingPoints)
	s.each(q, func(d seriesDef, k StreamKey, r *ring) {
		out := Series{Name: d.name, Unit: d.unit, Scope: k.Scope, Stream: k.Stream, Points: [][2]float64{}}
		for j := s.n - count; j < s.n; j++ {
			i := int(j % RingPoints)
			if v := r.at(i); !math.IsNaN(v) {
				out.Points = append(out.Points, [2]float64{float64(s.times[i]), v})
			}
		}
		h.Series = append(h.Series, out)
	})
	return h
}

// Latest returns the last sample's values of the series the query selects
// (series without a value then are left out).
func (s *Sampler) Latest(q Query) Latest {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := Latest{Tier2: s.tier2, Series: []Point{}}
	if s.n == 0 {
		return l
	}
	i := int((s.n - 1) % RingPoints)
	l.Time = s.times[i]
	s.each(q, func(d seriesDef, k StreamKey, r *ring) {
		if v := r.at(i); !math.IsNaN(v) {
			l.Series = append(l.Series, Point{Name: d.name, Unit: d.unit, Scope: k.Scope, Stream: k.Stream, Value: v})
		}
	})
	return l
}

// memory is the bytes the rings take; with s.mu held.
func (s *Sampler) memory() int {
	n := len(s.times) * 8
	for _, r := range s.server {
		n += r.bytes()
	}
	for _, ss := range s.streams {
		for _, r := range ss.rings {
			n += r.bytes()
		}
	}
	return n
}
