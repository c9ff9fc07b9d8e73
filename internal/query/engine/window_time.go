package engine

import "slices"

// TUMBLE and HOP windows. Windows are aligned to 1970-01-01T00:00:00Z:
// TUMBLE(t, s) puts an event of time t in [⌊t/s⌋·s, ⌊t/s⌋·s + s); HOP(t,
// h, s) in every [k·h, k·h + s) that holds t (TUMBLE is HOP with h = s).
// A window is open until the watermark reaches its end plus the allowed
// lateness; an event whose windows are all closed is late. An event of a
// HOP some of whose windows are open goes into those and is not late.

// maxHopWindows bounds size/slide: the windows one event is put in.
const maxHopWindows = 10_000

type timeWindows struct {
	e           *Engine
	size, slide int64
	wins        map[int64]*timeWindow // by start
	order       []int64               // the open windows' starts, ascending
	// Scratch.
	starts  []int64
	targets []*group
}

type timeWindow struct {
	start, end int64
	groups     map[string]*group
}

func newTimeWindows(e *Engine, size, slide int64) *timeWindows {
	return &timeWindows{e: e, size: size, slide: slide, wins: map[int64]*timeWindow{}}
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func (tw *timeWindows) add(t int64, key []byte) (outcome, string) {
	e := tw.e
	tw.starts = tw.starts[:0]
	for s := floorDiv(t, tw.slide) * tw.slide; satAdd(s, tw.size) > t; s -= tw.slide {
		if satAdd(satAdd(s, tw.size), e.lateness) > e.wm {
			tw.starts = append(tw.starts, s)
		}
	}
	if len(tw.starts) == 0 {
		return late, ""
	}
	tw.targets = tw.targets[:0]
	need := 0
	for _, s := range tw.starts {
		var g *group
		if w := tw.wins[s]; w != nil {
			g = w.groups[string(key)]
		}
		if g == nil {
			need++
		} else if msg := e.check(g); msg != "" {
			return typeErr, msg
		}
		tw.targets = append(tw.targets, g)
	}
	if !e.roomFor(need) {
		return dropped, ""
	}
	for i, s := range tw.starts {
		g := tw.targets[i]
		if g == nil {
			w := tw.wins[s]
			if w == nil {
				w = &timeWindow{start: s, end: satAdd(s, tw.size), groups: map[string]*group{}}
				tw.wins[s] = w
				j, _ := slices.BinarySearch(tw.order, s)
				tw.order = slices.Insert(tw.order, j, s)
			}
			g = e.newGroup(key)
			w.groups[g.key] = g
			e.openGroups++
		}
		e.apply(g)
	}
	return added, ""
}

func (tw *timeWindows) advance(wm int64) {
	var batch []pending
	n := 0
	for _, s := range tw.order {
		w := tw.wins[s]
		if satAdd(w.end, tw.e.lateness) > wm {
			break
		}
		for _, g := range w.groups {
			batch = append(batch, pending{start: w.start, end: w.end, g: g, final: true})
		}
		tw.e.openGroups -= len(w.groups)
		delete(tw.wins, s)
		n++
	}
	if n == 0 {
		return
	}
	tw.order = slices.Delete(tw.order, 0, n)
	tw.e.emit(batch)
}

func (tw *timeWindows) early() {
	var batch []pending
	for _, s := range tw.order {
		w := tw.wins[s]
		for _, g := range w.groups {
			if g.dirty {
				g.dirty = false
				batch = append(batch, pending{start: w.start, end: w.end, g: g})
			}
		}
	}
	tw.e.emit(batch)
}

func (tw *timeWindows) open() int { return len(tw.order) }

func (tw *timeWindows) save(w *writer) {
	w.uvarint(uint64(len(tw.order)))
	for _, s := range tw.order {
		win := tw.wins[s]
		w.varint(s)
		w.uvarint(uint64(len(win.groups)))
		for _, k := range sortedGroupKeys(win.groups) {
			tw.e.saveGroup(w, win.groups[k], true)
		}
	}
}

func (tw *timeWindows) load(r *reader) {
	n := r.count()
	for i := 0; i < n && r.err == nil; i++ {
		s := r.varint()
		if _, dup := tw.wins[s]; dup || (len(tw.order) > 0 && s <= tw.order[len(tw.order)-1]) {
			r.fail()
			return
		}
		win := &timeWindow{start: s, end: satAdd(s, tw.size), groups: map[string]*group{}}
		m := r.count()
		for j := 0; j < m && r.err == nil; j++ {
			g := tw.e.loadGroup(r, true)
			win.groups[g.key] = g
		}
		tw.wins[s] = win
		tw.order = append(tw.order, s)
		tw.e.openGroups += len(win.groups)
	}
}

func sortedGroupKeys(m map[string]*group) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (tw *timeWindows) setEngine(e *Engine) { tw.e = e }
