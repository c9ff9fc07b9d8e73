package watermark

// Window is the time window of a position: every event read from the
// position on was written at or after Lower (when HasLower), and the
// events just before it at or before Upper (when HasUpper). Times are
// Unix nanoseconds.
type Window struct {
	HasLower bool
	Lower    int64
	HasUpper bool
	Upper    int64
}

// passed reports whether a reader at position pos has passed the cut of
// m: in each segment of the cut it is at or after the cut's offset, or it
// has moved past the segment to one that began after it ended. Segments
// of the cut unrelated to any segment of pos (a group reader's position
// holds only its own segments) are not held against it.
func passed(m *Mark, pos map[uint64]int64, topo topology) bool {
	for id, off := range m.Cut {
		if at, ok := pos[id]; ok {
			if at < off {
				return false
			}
			continue
		}
		if off == 0 {
			continue
		}
		related, past := false, false
		for r := range pos {
			if topo.before(id, r) {
				past = true
				break
			}
			if topo.overlaps(id, r) {
				related = true
			}
		}
		if !past && related {
			return false
		}
	}
	return true
}

// window returns the time window of pos among marks (oldest first, each
// cut at or after the one before).
func window(marks []*Mark, pos map[uint64]int64, topo topology) Window {
	var w Window
	// Cuts only move forward, so the passed marks are a prefix.
	lo, hi := 0, len(marks)
	for lo < hi {
		mid := (lo + hi) / 2
		if passed(marks[mid], pos, topo) {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo > 0 {
		w.HasLower, w.Lower = true, marks[lo-1].Lower
	}
	if lo < len(marks) {
		w.HasUpper, w.Upper = true, marks[lo].Upper
	}
	return w
}
