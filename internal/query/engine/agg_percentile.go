package engine

import (
	"math"
	"slices"
)

// approx_percentile(x, p) estimates the p-quantile (0 ≤ p ≤ 1) of a
// group's numbers with a DDSketch (Masson, Rim, Lee, VLDB 2019): values are
// counted in logarithmic buckets, bucket i of the positive (or negative)
// side holding magnitudes in (γ^(i-1), γ^i] with γ = (1+α)/(1−α), α = 1%.
//
// The answer is the value of rank ⌊p·(n−1)⌋ (from 0, in ascending order:
// p=0 is the minimum, p=1 the maximum) to within 1% relative error: it is
// the representative of that value's bucket, 2γ^i/(γ+1). Magnitudes below
// 1e-9 count as 0, which is exact. Memory is bounded: at most
// maxBuckets buckets per sign; past that the buckets of the smallest
// magnitudes are collapsed into one (values would have to span a factor
// of about 10^17 for that to happen, and only the lowest quantiles of that
// sign by magnitude then lose their bound). Until it collapses, the sketch
// depends only on the multiset of values, not their order; it is always
// deterministic, mergeable (sessions) and unchanged by a snapshot and
// restore.
const (
	ddAlpha    = 0.01
	ddMinValue = 1e-9
	maxBuckets = 2048
)

var (
	ddGamma   = (1 + ddAlpha) / (1 - ddAlpha)
	ddLnGamma = math.Log(ddGamma)
)

type percentileState struct {
	p        float64
	pos, neg ddStore
	zero     uint64
	n        uint64
}

// ddStore counts one sign's buckets. Once it has collapsed, indexes below
// floor count in floor.
type ddStore struct {
	counts    map[int32]uint64
	collapsed bool
	floor     int32
}

func (d *ddStore) add(i int32, c uint64) {
	if d.counts == nil {
		d.counts = map[int32]uint64{}
	}
	if d.collapsed && i < d.floor {
		i = d.floor
	}
	d.counts[i] += c
	if len(d.counts) > maxBuckets {
		// Collapse the lowest buckets into one, down to 7/8 of the
		// bound, so that collapsing is rare.
		keys := d.keys()
		d.floor = keys[len(keys)-maxBuckets*7/8]
		d.collapsed = true
		for _, k := range keys {
			if k >= d.floor {
				break
			}
			d.counts[d.floor] += d.counts[k]
			delete(d.counts, k)
		}
	}
}

func (d *ddStore) keys() []int32 {
	keys := make([]int32, 0, len(d.counts))
	for k := range d.counts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (d *ddStore) save(w *writer) {
	w.bool(d.collapsed)
	w.varint(int64(d.floor))
	keys := d.keys()
	w.uvarint(uint64(len(keys)))
	for _, k := range keys {
		w.varint(int64(k))
		w.uvarint(d.counts[k])
	}
}

// load reads a store and returns its total count.
func (d *ddStore) load(r *reader) uint64 {
	d.collapsed = r.bool()
	d.floor = int32(r.varint())
	n := r.count()
	if n > maxBuckets {
		r.fail()
		return 0
	}
	d.counts = make(map[int32]uint64, n)
	var total uint64
	for j := 0; j < n && r.err == nil; j++ {
		k := int32(r.varint())
		c := r.uvarint()
		d.counts[k] += c
		total += c
	}
	return total
}

func (s *percentileState) check(value) string { return "" }

func ddIndex(mag float64) int32 {
	i := math.Ceil(math.Log(mag) / ddLnGamma)
	return int32(math.Max(math.Min(i, math.MaxInt32/2), math.MinInt32/2))
}

func ddValue(i int32) float64 { return 2 * math.Pow(ddGamma, float64(i)) / (ddGamma + 1) }

func (s *percentileState) add(v value, _ uint64) {
	s.n++
	switch f := v.n; {
	case math.Abs(f) < ddMinValue:
		s.zero++
	case f > 0:
		s.pos.add(ddIndex(f), 1)
	default:
		s.neg.add(ddIndex(-f), 1)
	}
}

func (s *percentileState) merge(o aggState) {
	t := o.(*percentileState)
	s.n += t.n
	s.zero += t.zero
	for _, k := range t.pos.keys() {
		s.pos.add(k, t.pos.counts[k])
	}
	for _, k := range t.neg.keys() {
		s.neg.add(k, t.neg.counts[k])
	}
}

func (s *percentileState) result() value {
	if s.n == 0 {
		return null
	}
	rank := uint64(math.Floor(s.p * float64(s.n-1)))
	// Ascending: negatives from the largest magnitude, zero, positives.
	var seen uint64
	neg := s.neg.keys()
	for j := len(neg) - 1; j >= 0; j-- {
		seen += s.neg.counts[neg[j]]
		if seen > rank {
			return numVal(-ddValue(neg[j]))
		}
	}
	seen += s.zero
	if seen > rank {
		return numVal(0)
	}
	pos := s.pos.keys()
	for _, i := range pos {
		seen += s.pos.counts[i]
		if seen > rank {
			return numVal(ddValue(i))
		}
	}
	if len(pos) == 0 {
		return null
	}
	return numVal(ddValue(pos[len(pos)-1]))
}

func (s *percentileState) save(w *writer) {
	w.uvarint(s.zero)
	s.neg.save(w)
	s.pos.save(w)
}

func (s *percentileState) load(r *reader) {
	s.zero = r.uvarint()
	s.n = s.zero + s.neg.load(r) + s.pos.load(r)
}
