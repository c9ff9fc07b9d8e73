package watermark

import "time"

// Mark is one watermark of a stream.
type Mark struct {
	// Lower is the least time over the active writers, Upper the
	// greatest (Unix nanoseconds).
	Lower, Upper int64
	// Cut is, per segment, the position after which every active writer
	// writes nothing older than Lower.
	Cut map[uint64]int64
	// Made is when the mark was made.
	Made time.Time
	// at is where the mark is in the mark log (-1: not stored).
	at int64
}

// writerMark is a writer's latest report.
type writerMark struct {
	time     int64
	position map[uint64]int64
	reported time.Time
}

// active reports whether the writer reported within timeout of now.
func (w *writerMark) active(now time.Time, timeout time.Duration) bool {
	return now.Sub(w.reported) <= timeout
}

// lengthFunc returns a segment's length.
type lengthFunc func(id uint64) (int64, error)

// compute makes the next mark of a stream from its writers' reports, or
// returns ok false when there is none to make: no active writer, or the
// least time did not pass prev's. The new cut is at or after prev's.
func compute(writers map[string]*writerMark, prev *Mark, now time.Time, timeout time.Duration,
	topo topology, length lengthFunc) (m Mark, ok bool, err error) {
	first := true
	cut := map[uint64]int64{}
	for _, w := range writers {
		if !w.active(now, timeout) {
			continue
		}
		if first || w.time < m.Lower {
			m.Lower = w.time
		}
		if first || w.time > m.Upper {
			m.Upper = w.time
		}
		first = false
		for id, off := range w.position {
			if _, known := topo.segs[id]; known && off > cut[id] {
				cut[id] = off
			}
		}
	}
	if first || (prev != nil && m.Lower <= prev.Lower) {
		return Mark{}, false, nil
	}
	if prev != nil {
		for id, off := range prev.Cut {
			if _, known := topo.segs[id]; known && off > cut[id] {
				cut[id] = off
			}
		}
	}
	topo.dropPredecessors(cut)
	for _, s := range topo.current {
		if _, in := cut[s.ID]; in || topo.covered(s, cut) {
			continue
		}
		n, err := length(s.ID)
		if err != nil {
			return Mark{}, false, err
		}
		cut[s.ID] = n
	}
	if prev != nil && m.Upper < prev.Upper {
		m.Upper = prev.Upper
	}
	m.Cut, m.Made, m.at = cut, now, -1
	return m, true, nil
}
