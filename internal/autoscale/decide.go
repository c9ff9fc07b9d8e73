package autoscale

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/braidstream/braid/internal/controller"
)

// Thresholds, as multiples of the policy's target, per window (shortest
// first). A segment is hot if its rate is above hot[i] times the target
// over window i, for any of the first three windows; it is cold if its rate
// is below cold[i] times the target over every window.
var (
	hotFactor  = [3]float64{5, 2, 1}
	coldFactor = [4]float64{1, 1, 1, 0.5}
)

// segView is one current segment as the scaler sees it.
type segView struct {
	seg      controller.Segment
	rates    [4]float64    // per second, per window
	observed time.Duration // how long its traffic has been counted
}

// action is one scaling of a stream.
type action struct {
	up     bool
	seal   []uint64
	ranges []controller.KeyRange
	reason string
}

// hot returns by how much rates exceed the hot thresholds (the largest
// ratio of rate to threshold; above 1 is hot) and a reason.
func hot(rates [4]float64, target float64, windows [4]time.Duration) (float64, string) {
	worst, why := 0.0, ""
	for i, f := range hotFactor {
		if r := rates[i] / (f * target); r > worst {
			worst = r
			why = fmt.Sprintf("%s rate %.1f/s > %gx target %g/s", windows[i], rates[i], f, target)
		}
	}
	return worst, why
}

// cold reports whether rates are below the cold thresholds.
func cold(rates [4]float64, target float64) bool {
	for i, f := range coldFactor {
		if !(rates[i] < f*target) {
			return false
		}
	}
	return true
}

// decide chooses at most one scaling of a stream with policy p and current
// segments segs (in key order): the split of its hottest segment, or else
// the merge of its coldest pair of cold neighbours.
//
// A segment observed for less than the shortest window is not judged; a
// merge needs both segments observed for the longest window, leaves at
// least p.MinSegments segments, and is not made if the merged segment would
// be hot.
func decide(p *controller.Scaling, segs []segView, windows [4]time.Duration) (action, bool) {
	target := float64(p.Target)
	if target <= 0 {
		return action{}, false
	}
	factor := p.ScaleFactor
	if factor == 0 {
		factor = 2
	}
	factor = min(factor, controller.MaxSplit)
	minSegs := max(p.MinSegments, 1)

	// Scale up the hottest segment.
	best, bestExcess, bestWhy := -1, 1.0, ""
	for i, s := range segs {
		if s.observed < windows[0] {
			continue
		}
		if e, why := hot(s.rates, target, windows); e > bestExcess {
			best, bestExcess, bestWhy = i, e, why
		}
	}
	if best >= 0 {
		s := segs[best]
		rate := max(s.rates[0], s.rates[1], s.rates[2])
		parts := min(factor, int(math.Ceil(rate/target)), controller.MaxSegments-len(segs)+1)
		parts = max(parts, 2)
		ranges := splitRange(s.seg.KeyLow, s.seg.KeyHigh, parts)
		narrow := slices.ContainsFunc(ranges, func(r controller.KeyRange) bool { return !(r.Low < r.High) })
		if len(segs)-1+parts <= controller.MaxSegments && !narrow {
			return action{
				up:     true,
				seal:   []uint64{s.seg.ID},
				ranges: ranges,
				reason: fmt.Sprintf("%s: split into %d (scale factor %d)", bestWhy, parts, factor),
			}, true
		}
	}

	// Scale down: merge the coldest pair of cold neighbours.
	if len(segs) <= minSegs {
		return action{}, false
	}
	pair, pairRate := -1, math.Inf(1)
	for i := 0; i+1 < len(segs); i++ {
		a, b := segs[i], segs[i+1]
		if a.seg.KeyHigh != b.seg.KeyLow || a.observed < windows[3] || b.observed < windows[3] {
			continue
		}
		if !cold(a.rates, target) || !cold(b.rates, target) {
			continue
		}
		var sum [4]float64
		for w := range sum {
			sum[w] = a.rates[w] + b.rates[w]
		}
		if e, _ := hot(sum, target, windows); e > 1 {
			continue // the merged segment would be split again
		}
		if sum[3] < pairRate {
			pair, pairRate = i, sum[3]
		}
	}
	if pair < 0 {
		return action{}, false
	}
	a, b := segs[pair], segs[pair+1]
	return action{
		seal:   []uint64{a.seg.ID, b.seg.ID},
		ranges: []controller.KeyRange{{Low: a.seg.KeyLow, High: b.seg.KeyHigh}},
		reason: fmt.Sprintf("both neighbours cold (below target %g/s over %s, %s and %s, below half of it over %s; merged %s rate %.1f/s); %d segments left, at least %d",
			target, windows[0], windows[1], windows[2], windows[3], windows[3], pairRate, len(segs)-1, minSegs),
	}, true
}

// splitRange splits [low, high) into n equal ranges.
func splitRange(low, high float64, n int) []controller.KeyRange {
	out := make([]controller.KeyRange, n)
	for i := range out {
		out[i].Low = low + (high-low)*float64(i)/float64(n)
		if i > 0 {
			out[i].Low = max(out[i].Low, out[i-1].Low)
			out[i-1].High = out[i].Low
		}
	}
	out[n-1].High = high
	return out
}

// describe formats segments' rates for the log.
func describe(segs []segView, ids []uint64, windows [4]time.Duration, unit string) []string {
	var out []string
	for _, s := range segs {
		if !slices.Contains(ids, s.seg.ID) {
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%016x [%g,%g):", s.seg.ID, s.seg.KeyLow, s.seg.KeyHigh)
		for i, w := range windows {
			fmt.Fprintf(&b, " %s=%.1f", w, s.rates[i])
		}
		fmt.Fprintf(&b, " %s/s", unit)
		out = append(out, b.String())
	}
	return out
}
