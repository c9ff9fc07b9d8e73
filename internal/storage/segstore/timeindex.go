package segstore

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sort"
	"time"
)

// The time index: each segment keeps time points, (append time, offset),
// in container metadata (WAL entries and the checkpoint), never in segment
// bytes; they do not change when data moves to tier 2.
//
// Every commit that appends to a segment writes one point for it: the
// commit's time, the offset of its first append there, and the time of
// the segment's commit before (Prev). As points age they are thinned, band
// by band (thinBands): a point is kept if it is a step after the last one
// kept, or if it follows a pause of a step or more (Time-Prev), so a read
// from a time is exact at pauses and at most a step early elsewhere. A
// segment therefore holds, however long it lives and however often it is
// appended to, the points of its last ten seconds, at most 2 per second of
// the hour before, 2 per minute of the day before and 2 per hour beyond:
// under 10,000 points (24 bytes each in memory, about 6 in the checkpoint)
// for a year-old segment, plus the last ten seconds' commits.
type thinBand struct {
	age  time.Duration // points older than this are thinned...
	step time.Duration // ...to one per step, and kept after a pause of step
}

var thinBands = [...]thinBand{
	{10 * time.Second, time.Second},
	{time.Hour, time.Minute},
	{24 * time.Hour, time.Hour},
}

// timePoint is one point of a segment's time index.
type timePoint struct {
	Time   int64 // commit time, Unix nanoseconds
	Offset int64 // where that commit's first append to the segment starts
	Prev   int64 // the segment's commit before it (0: none)
}

// addTime records a point and thins the points that aged into a band
// since its last pass; each band passes at most once per its step, over
// the points that crossed into it meanwhile, so the cost is amortised.
func (s *segment) addTime(p timePoint) {
	s.times = append(s.times, p)
	s.lastTime = p.Time
	for i, b := range thinBands {
		cutoff := p.Time - int64(b.age)
		if cutoff-s.thinned[i] < int64(b.step) {
			continue
		}
		s.thinRange(s.thinned[i], cutoff, int64(b.step))
		s.thinned[i] = cutoff
	}
}

// thinRange thins the points with from <= Time < to to one per step,
// keeping each that follows a pause of step or more. The points before
// from are already thinned to that step (or finer).
func (s *segment) thinRange(from, to, step int64) {
	lo := sort.Search(len(s.times), func(i int) bool { return s.times[i].Time >= from })
	hi := sort.Search(len(s.times), func(i int) bool { return s.times[i].Time >= to })
	if hi-lo < 2 {
		return
	}
	last := int64(math.MinInt64)
	if lo > 0 {
		last = s.times[lo-1].Time
	}
	kept := lo
	for _, q := range s.times[lo:hi] {
		if q.Time-q.Prev >= step || q.Time-last >= step {
			s.times[kept] = q
			kept++
			last = q.Time
		}
	}
	n := kept + copy(s.times[kept:], s.times[hi:])
	clear(s.times[n:])
	s.times = s.times[:n]
}

// truncateTimes drops the points below start but the last one at or
// below it.
func (s *segment) truncateTimes(start int64) {
	i := sort.Search(len(s.times), func(i int) bool { return s.times[i].Offset > start })
	if i > 1 {
		n := copy(s.times, s.times[i-1:])
		clear(s.times[n:])
		s.times = s.times[:n]
	}
}

// offsetAt is OffsetAtTime on one segment; the caller holds mu.
func (s *segment) offsetAt(t int64) int64 {
	i := sort.Search(len(s.times), func(i int) bool { return s.times[i].Time >= t })
	off := s.length
	switch {
	case i == len(s.times):
		// Nothing was committed at or after t.
	case s.times[i].Prev < t:
		// The commit before point i was before t: exact.
		off = s.times[i].Offset
	case i > 0:
		// Commits thinned away between points i-1 and i may have been
		// at or after t: start early, at i-1.
		off = s.times[i-1].Offset
	default:
		off = s.start
	}
	return max(off, s.start)
}

// OffsetAtTime returns the offset of the first event of a segment appended
// at or after t (Unix nanoseconds), from its time index: the segment's
// length if none was. Where the index was thinned (appends older than ten
// seconds with no pause between them) it may be early, never late: by up
// to a second in the last hour, a minute in the last day, an hour beyond. It is never below the segment's truncation point.
func (st *Store) OffsetAtTime(_ context.Context, name string, t int64) (int64, error) {
	c, err := st.container(name)
	if err != nil {
		return 0, err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	s := c.segs[name]
	if s == nil {
		return 0, fmt.Errorf("%w: %s", ErrNotFound, name)
	}
	return s.offsetAt(t), nil
}

// TimeAtOffset returns when the data at offset of a segment was appended
// (Unix nanoseconds), from its time index: the time of the last point at
// or below offset; ok is false if there is none.
func (st *Store) TimeAtOffset(_ context.Context, name string, off int64) (int64, bool, error) {
	c, err := st.container(name)
	if err != nil {
		return 0, false, err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	s := c.segs[name]
	if s == nil {
		return 0, false, fmt.Errorf("%w: %s", ErrNotFound, name)
	}
	i := sort.Search(len(s.times), func(i int) bool { return s.times[i].Offset > off })
	if i == 0 {
		return 0, false, nil
	}
	return s.times[i-1].Time, true, nil
}

// encodeTimes encodes points for the checkpoint, about 6 bytes each:
// per point, varints of the time since the point before, the offset since
// the point before, and Time-Prev (the first point holds its values).
func encodeTimes(ps []timePoint) []byte {
	if len(ps) == 0 {
		return nil
	}
	b := make([]byte, 0, 8*len(ps))
	var t, o int64
	for _, p := range ps {
		b = binary.AppendVarint(b, p.Time-t)
		b = binary.AppendVarint(b, p.Offset-o)
		b = binary.AppendVarint(b, p.Time-p.Prev)
		t, o = p.Time, p.Offset
	}
	return b
}

var errBadTimes = errors.New("malformed time points")

func decodeTimes(b []byte) ([]timePoint, error) {
	var ps []timePoint
	var t, o int64
	for len(b) > 0 {
		var v [3]int64
		for i := range v {
			x, n := binary.Varint(b)
			if n <= 0 {
				return nil, errBadTimes
			}
			v[i], b = x, b[n:]
		}
		t, o = t+v[0], o+v[1]
		if o < 0 || (len(ps) > 0 && (t < ps[len(ps)-1].Time || o < ps[len(ps)-1].Offset)) {
			return nil, errBadTimes
		}
		ps = append(ps, timePoint{Time: t, Offset: o, Prev: t - v[2]})
	}
	return ps, nil
}
