package segstore

import (
	"context"
	"fmt"
	"sort"
)

// CommitTime says when a stretch of a segment was appended: the data from
// Offset up to the next CommitTime's Offset (or the end of the range asked
// for) was stored by append commits made at Time (Unix nanoseconds). Time
// is 0 where that is not known exactly.
type CommitTime struct {
	Offset int64
	Time   int64
}

// CommitTimes returns when the data of a segment in [from, to) was
// appended, from its time index: in offset order, the first at from, a new
// entry wherever the time changes. A commit's time is known exactly while
// the index holds its point and the point after it names it as the
// commit before (Prev): always for the last ten seconds' commits and the
// last commit, and for older ones only where thinning kept both (at
// pauses). Elsewhere, and for data the index has no point for, Time is 0.
func (st *Store) CommitTimes(_ context.Context, name string, from, to int64) ([]CommitTime, error) {
	c, err := st.container(name)
	if err != nil {
		return nil, err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	s := c.segs[name]
	if s == nil {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, name)
	}
	return commitTimes(s.times, from, to), nil
}

// commitTimes is CommitTimes over the points ps.
func commitTimes(ps []timePoint, from, to int64) []CommitTime {
	if from >= to {
		return nil
	}
	// The last point at or below from holds from's commit.
	i := sort.Search(len(ps), func(i int) bool { return ps[i].Offset > from }) - 1
	var out []CommitTime
	add := func(off, t int64) {
		if n := len(out); n > 0 && out[n-1].Time == t {
			return
		}
		out = append(out, CommitTime{Offset: off, Time: t})
	}
	if i < 0 {
		add(from, 0) // before the first point: not known
		i = 0
	}
	for ; i < len(ps) && ps[i].Offset < to; i++ {
		t := ps[i].Time
		if i+1 < len(ps) && ps[i+1].Prev != t {
			t = 0 // commits were thinned away after this one
		}
		add(max(ps[i].Offset, from), t)
	}
	return out
}
