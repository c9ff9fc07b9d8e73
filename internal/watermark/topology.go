package watermark

import (
	"github.com/braidstream/braid/internal/controller"
	"github.com/braidstream/braid/wire"
)

// segInfo is one segment's key range and the epochs it was in.
type segInfo struct {
	low, high   float64
	first, last uint32
}

// topology is a stream's segments, by id.
type topology struct {
	segs    map[uint64]segInfo
	current []controller.Segment
}

func topologyOf(rec *controller.StreamRecord) topology {
	t := topology{segs: map[uint64]segInfo{}, current: rec.Current().Segments}
	for _, e := range rec.Epochs {
		for _, s := range e.Segments {
			in, ok := t.segs[s.ID]
			if !ok {
				in = segInfo{low: s.KeyLow, high: s.KeyHigh, first: wire.SegmentEpoch(s.ID)}
			}
			in.last = e.Epoch
			t.segs[s.ID] = in
		}
	}
	return t
}

// before reports whether segment a ended before segment b began over a
// part of the key space: every event of a in that part comes before every
// event of b.
func (t topology) before(a, b uint64) bool {
	sa, okA := t.segs[a]
	sb, okB := t.segs[b]
	if !okA || !okB || a == b {
		return false
	}
	return sa.last < sb.first && sa.low < sb.high && sb.low < sa.high
}

// overlaps reports whether a and b share part of the key space.
func (t topology) overlaps(a, b uint64) bool {
	sa, okA := t.segs[a]
	sb, okB := t.segs[b]
	return okA && okB && sa.low < sb.high && sb.low < sa.high
}

// covered reports whether the key range of segment s is covered by the
// segments of cut that overlap it.
func (t topology) covered(s controller.Segment, cut map[uint64]int64) bool {
	type span struct{ lo, hi float64 }
	var spans []span
	for id := range cut {
		in, ok := t.segs[id]
		if !ok || in.high <= s.KeyLow || in.low >= s.KeyHigh {
			continue
		}
		spans = append(spans, span{max(in.low, s.KeyLow), min(in.high, s.KeyHigh)})
	}
	at := s.KeyLow
	for progressed := true; progressed && at < s.KeyHigh; {
		progressed = false
		for _, sp := range spans {
			if sp.lo <= at && sp.hi > at {
				at, progressed = sp.hi, true
			}
		}
	}
	return at >= s.KeyHigh
}

// dropPredecessors removes from cut every segment that ended before
// another segment of cut began: its whole part of the cut lies before.
func (t topology) dropPredecessors(cut map[uint64]int64) {
	for a := range cut {
		for b := range cut {
			if t.before(a, b) {
				delete(cut, a)
				break
			}
		}
	}
}
