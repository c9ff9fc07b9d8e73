package engine

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// The reference: a plain computation of what a windowed query must give,
// written apart from the engine's code, over generated events.

// refAgg is one (window, group)'s events.
type refAgg struct {
	n     int
	temps []float64 // the non-NULL temps, in processing order
	hums  []float64
	first int64 // COUNT_WINDOW: append times (ns)
	last  int64
}

func (a *refAgg) add(g genEvent) {
	a.n++
	if g.temp != nil {
		a.temps = append(a.temps, *g.temp)
	}
	a.hums = append(a.hums, g.hum)
	if a.n == 1 {
		a.first = g.AppendTime.UnixNano()
	}
	a.last = g.AppendTime.UnixNano()
}

// refResult is one expected result.
type refResult struct {
	key        string
	start, end int64 // ns
	agg        *refAgg
}

type refKey struct {
	start  int64
	sensor string
}

func sensorKey(s string) string { return `["` + s + `"]` }

// sortResults orders one close's results: by window end, start, key.
func sortResults(rs []refResult) {
	slices.SortFunc(rs, func(a, b refResult) int {
		return cmp.Or(cmp.Compare(a.end, b.end), cmp.Compare(a.start, b.start), strings.Compare(a.key, b.key))
	})
}

func floorTo(t, d int64) int64 {
	q := t / d
	if t%d != 0 && t < 0 {
		q--
	}
	return q * d
}

// refTimeWindows simulates TUMBLE (slide = size) or HOP over events in
// processing order with a delay watermark. The windows still open at the
// end close last, in one batch (the test flushes them).
func refTimeWindows(events []genEvent, size, slide, delay, lateness time.Duration) (results []refResult, late []string) {
	sz, sl, d, l := int64(size), int64(slide), int64(delay), int64(lateness)
	wm, maxT := int64(math.MinInt64), int64(math.MinInt64)
	open := map[refKey]*refAgg{}
	closeUpTo := func(wm int64) {
		var batch []refResult
		for k, a := range open {
			if k.start+sz+l <= wm {
				batch = append(batch, refResult{sensorKey(k.sensor), k.start, k.start + sz, a})
				delete(open, k)
			}
		}
		sortResults(batch)
		results = append(results, batch...)
	}
	for _, g := range events {
		if g.badJSON {
			continue
		}
		t := g.ts * int64(time.Millisecond)
		var in []int64
		for s := floorTo(t, sl); s+sz > t; s -= sl {
			if s+sz+l > wm {
				in = append(in, s)
			}
		}
		if len(in) == 0 {
			late = append(late, g.Pointer)
		}
		for _, s := range in {
			k := refKey{s, g.sensor}
			if open[k] == nil {
				open[k] = &refAgg{}
			}
			open[k].add(g)
		}
		if t > maxT {
			maxT = t
			if maxT-d > wm {
				wm = maxT - d
				closeUpTo(wm)
			}
		}
	}
	closeUpTo(math.MaxInt64)
	return results, late
}

// refSessions computes SESSION windows offline: per sensor, events sorted
// by time, a new session when the gap reaches gap or (max > 0) the span
// would pass max. Valid when no session closes before all its events came
// (the events' disorder within the watermark delay; in time order when
// max is set). Sessions close when the watermark, simulated over the
// processing order, reaches their end; the rest close last.
func refSessions(events []genEvent, gap, maxSpan, delay time.Duration) []refResult {
	bySensor := map[string][]genEvent{}
	for _, g := range events {
		if !g.badJSON {
			bySensor[g.sensor] = append(bySensor[g.sensor], g)
		}
	}
	type sess struct {
		r        refResult
		closeIdx int
	}
	var all []*sess
	for sensor, evs := range bySensor {
		slices.SortStableFunc(evs, func(a, b genEvent) int { return cmp.Compare(a.ts, b.ts) })
		var cur *sess
		var last int64
		for _, g := range evs {
			t := g.ts * int64(time.Millisecond)
			if cur == nil || t >= last+int64(gap) || (maxSpan > 0 && t-cur.r.start > int64(maxSpan)) {
				cur = &sess{r: refResult{key: sensorKey(sensor), start: t, agg: &refAgg{}}}
				all = append(all, cur)
			}
			last = t
			cur.r.end = t + int64(gap)
		}
	}
	// Aggregate in processing order.
	idx := map[string][]*sess{}
	for _, s := range all {
		idx[s.r.key] = append(idx[s.r.key], s)
	}
	for _, g := range events {
		if g.badJSON {
			continue
		}
		t := g.ts * int64(time.Millisecond)
		for _, s := range idx[sensorKey(g.sensor)] {
			if t >= s.r.start && t < s.r.end-int64(gap)+1 {
				s.r.agg.add(g)
				break
			}
		}
	}
	// When each closes: the first event after which the watermark
	// reached its end.
	wm, maxT := int64(math.MinInt64), int64(math.MinInt64)
	wms := make([]int64, len(events))
	for i, g := range events {
		if !g.badJSON && g.ts*int64(time.Millisecond) > maxT {
			maxT = g.ts * int64(time.Millisecond)
			wm = max(wm, maxT-int64(delay))
		}
		wms[i] = wm
	}
	for _, s := range all {
		s.closeIdx, _ = slices.BinarySearch(wms, s.r.end) // wms is sorted
	}
	slices.SortFunc(all, func(a, b *sess) int {
		return cmp.Or(cmp.Compare(a.closeIdx, b.closeIdx), cmp.Compare(a.r.end, b.r.end),
			cmp.Compare(a.r.start, b.r.start), strings.Compare(a.r.key, b.r.key))
	})
	out := make([]refResult, len(all))
	for i, s := range all {
		out[i] = s.r
	}
	return out
}

// refCountWindows: per sensor, every n events in processing order.
func refCountWindows(events []genEvent, n int) []refResult {
	open := map[string]*refAgg{}
	var out []refResult
	for _, g := range events {
		if g.badJSON {
			continue
		}
		a := open[g.sensor]
		if a == nil {
			a = &refAgg{}
			open[g.sensor] = a
		}
		a.add(g)
		if a.n == n {
			out = append(out, refResult{sensorKey(g.sensor), a.first, a.last, a})
			delete(open, g.sensor)
		}
	}
	return out
}

// expected is what the test query's columns must hold for a group:
//
//	sensor, count(*) AS n, count(temp) AS c, avg(temp) AS avg_t,
//	min(temp) AS lo, max(temp) AS hi, sum(hum) AS hum_sum,
//	first(temp) AS f, last(temp) AS l, stddev(temp) AS sd,
//	count_distinct(hum) AS dh, approx_percentile(temp, 0.9) AS p90
func (a *refAgg) expected(sensor string) map[string]any {
	m := map[string]any{"sensor": sensor, "n": float64(a.n), "c": float64(len(a.temps))}
	var hs float64
	distinct := map[float64]bool{}
	for _, h := range a.hums {
		hs += h
		distinct[h] = true
	}
	m["hum_sum"] = hs
	m["dh"] = float64(len(distinct))
	if len(a.temps) == 0 {
		for _, k := range []string{"avg_t", "lo", "hi", "f", "l", "sd", "p90"} {
			m[k] = nil
		}
		return m
	}
	var sum float64
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, t := range a.temps {
		sum += t
		lo, hi = math.Min(lo, t), math.Max(hi, t)
	}
	mean := sum / float64(len(a.temps))
	m["avg_t"], m["lo"], m["hi"] = mean, lo, hi
	m["f"], m["l"] = a.temps[0], a.temps[len(a.temps)-1]
	if len(a.temps) < 2 {
		m["sd"] = nil
	} else {
		var ss float64
		for _, t := range a.temps {
			ss += (t - mean) * (t - mean)
		}
		m["sd"] = math.Sqrt(ss / float64(len(a.temps)-1))
	}
	sorted := slices.Clone(a.temps)
	slices.Sort(sorted)
	m["p90"] = sorted[int(math.Floor(0.9*float64(len(sorted)-1)))]
	return m
}

const allAggs = `sensor, count(*) AS n, count(temp) AS c, avg(temp) AS avg_t, min(temp) AS lo, max(temp) AS hi,
	sum(hum) AS hum_sum, first(temp) AS f, last(temp) AS l, stddev(temp) AS sd, count_distinct(hum) AS dh,
	approx_percentile(temp, 0.9) AS p90`

// compareResults checks the engine's results against the reference's, in
// order. Window bounds are checked unless noBounds.
func compareResults(t *testing.T, got []Result, want []refResult, final bool) {
	t.Helper()
	if len(got) != len(want) {
		n := min(len(got), len(want))
		for i := 0; i < n; i++ {
			if got[i].Key != want[i].key || got[i].WindowStart.UnixNano() != want[i].start {
				t.Logf("first difference at %d: got %s %s, want %s %s", i, got[i].Key, got[i].WindowStart, want[i].key, fromNanos(want[i].start))
				break
			}
		}
		t.Fatalf("%d results, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Key != w.key || g.WindowStart.UnixNano() != w.start || g.WindowEnd.UnixNano() != w.end || g.Final != final {
			t.Fatalf("result %d: key %s window [%s, %s) final %v, want %s [%s, %s) %v", i,
				g.Key, g.WindowStart, g.WindowEnd, g.Final, w.key, fromNanos(w.start), fromNanos(w.end), final)
		}
		m := decode(t, g.Data)
		if m["window_start"] != formatTime(w.start) || m["window_end"] != formatTime(w.end) {
			t.Fatalf("result %d: bounds %v %v, want %s %s", i, m["window_start"], m["window_end"], formatTime(w.start), formatTime(w.end))
		}
		exp := w.agg.expected(strings.TrimSuffix(strings.TrimPrefix(w.key, `["`), `"]`))
		for k, ev := range exp {
			gv, ok := m[k]
			if !ok {
				t.Fatalf("result %d: no %s in %s", i, k, g.Data)
			}
			if k == "p90" && ev != nil && gv != nil {
				e, gf := ev.(float64), gv.(float64)
				if math.Abs(gf-e) > 0.01*math.Abs(e)+1e-9 {
					t.Fatalf("result %d: p90 %v, want %v within 1%%", i, gf, e)
				}
				continue
			}
			if !approxEqual(gv, ev) {
				t.Fatalf("result %d: %s = %v, want %v (%s)", i, k, gv, ev, g.Data)
			}
		}
	}
}
