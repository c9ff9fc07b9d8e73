package engine

// COUNT_WINDOW(n) windows, per group: every n events of a group, in
// processing order, form a window, whose result is made when its n-th
// event arrives. There is no event time, so no watermark, late or future
// events. window_start and window_end are the append times of the
// window's first and last events (so the window holds both ends, unlike
// time windows), NULL in the data (zero in Result) when unknown. A window
// not yet full stays open; EMIT EVERY gives early results of those.
type countWindows struct {
	e      *Engine
	n      int64
	groups map[string]*group
}

func newCountWindows(e *Engine, n int64) *countWindows {
	return &countWindows{e: e, n: n, groups: map[string]*group{}}
}

func (cw *countWindows) add(_ int64, key []byte) (outcome, string) {
	e := cw.e
	g := cw.groups[string(key)]
	if g == nil {
		if !e.roomFor(1) {
			return dropped, ""
		}
		g = e.newGroup(key)
		cw.groups[g.key] = g
		e.openGroups++
	} else if msg := e.check(g); msg != "" {
		return typeErr, msg
	}
	e.apply(g)
	g.n++
	if g.n == 1 {
		g.first = e.row.appendTime
	}
	g.last = e.row.appendTime
	if g.n >= cw.n {
		delete(cw.groups, g.key)
		e.openGroups--
		e.emit([]pending{{start: g.first, end: g.last, g: g, final: true}})
	}
	return added, ""
}

func (cw *countWindows) advance(int64) {}

func (cw *countWindows) early() {
	var batch []pending
	for _, g := range cw.groups {
		if g.dirty {
			g.dirty = false
			batch = append(batch, pending{start: g.first, end: g.last, g: g})
		}
	}
	cw.e.emit(batch)
}

func (cw *countWindows) open() int { return len(cw.groups) }

func (cw *countWindows) save(w *writer) {
	w.uvarint(uint64(len(cw.groups)))
	for _, k := range sortedGroupKeys(cw.groups) {
		cw.e.saveGroup(w, cw.groups[k], true)
	}
}

func (cw *countWindows) load(r *reader) {
	n := r.count()
	for i := 0; i < n && r.err == nil; i++ {
		g := cw.e.loadGroup(r, true)
		if _, dup := cw.groups[g.key]; dup || g.n <= 0 || g.n >= cw.n {
			r.fail()
			return
		}
		cw.groups[g.key] = g
		cw.e.openGroups++
	}
}

func (cw *countWindows) setEngine(e *Engine) { cw.e = e }
