package segstore

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"time"
)

// The time index: each segment keeps time points, (append time, offset),
// in container metadata (WAL entries and the checkpoint), never in segment
// bytes; they do not change when data moves to tier 2.
//
// Every commit that appends to a segment writes one point for it: the
// commit's time, the offset of its first append there, and the time of
// the segment's commit before (Prev). Points older than thinAge are
// thinned to one per thinStep, but a point after a pause (Time-Prev of
// pauseGap or more) is always kept. A segment appended to by every commit
// at the highest commit rate c per second holds about c*10 + 1 per second
// of older data points, 24 bytes each in memory.
const (
	thinAge  = 10 * time.Second
	thinStep = time.Second
	pauseGap = 100 * time.Millisecond
)

// timePoint is one point of a segment's time index.
type timePoint struct {
	Time   int64 // commit time, Unix nanoseconds
	Offset int64 // where that commit's first append to the segment starts
	Prev   int64 // the segment's commit before it (0: none)
}

// addTime records a point and thins the points older than thinAge, at
// most once per thinStep of points (so the cost is amortised).
func (s *segment) addTime(p timePoint) {
	s.times = append(s.times, p)
	s.lastTime = p.Time
	if p.Time-s.thinnedAt < int64(thinStep) {
		return
	}
	s.thinnedAt = p.Time
	cutoff := p.Time - int64(thinAge)
	kept := s.times[:0]
	var last int64
	for i, q := range s.times {
		if q.Time >= cutoff {
			kept = append(kept, s.times[i:]...)
			break
		}
		if len(kept) == 0 || q.Time-q.Prev >= int64(pauseGap) || q.Time-last >= int64(thinStep) {
			kept = append(kept, q)
			last = q.Time
		}
	}
	clear(s.times[len(kept):])
	s.times = kept
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
// seconds with no pause between them) it may be up to one second early,
// never late. It is never below the segment's truncation point.
func (st *Store) OffsetAtTime(_ context.Context, name string, t int64) (int64, error) {
	c := st.container(name)
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
func (st *Store) TimeAtOffset(_ context.Context, name string, off int64) (t int64, ok bool, err error) {
	c := st.container(name)
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
