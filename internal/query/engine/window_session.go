package engine

import (
	"container/heap"
	"slices"
)

// SESSION(t, gap [, max]) windows, per group. Each event stands for the
// interval [t, t+gap); a session is the union of overlapping such
// intervals: it spans [first event time, last event time + gap). So an
// event joins a session when it is less than gap after the session's last
// event or less than gap before its first, and an event that overlaps two
// sessions merges them (their aggregates merge).
//
// With max set, a session's events span at most max (last event time −
// first ≤ max): an event that would stretch a session past that does not
// join it. If it overlaps several sessions and merging them all would be
// too long, it joins the earliest one it fits in alone; if it fits in
// none, it starts a new session (which may overlap the full one).
//
// A session closes when the watermark reaches its end (last event time +
// gap) plus the allowed lateness. An event is late when it would start a
// new session that is already closed by that rule. An event for a session
// already closed (and emitted) starts a new one when that is still open.
type sessionWindows struct {
	e        *Engine
	gap, max int64
	groups   map[string]*sessionGroup
	closing  sessionHeap
	count    int // open sessions
	// Scratch.
	cands []*session
}

// sessionGroup is one group's open sessions, sorted by start.
type sessionGroup struct {
	key      string
	sessions []*session
}

type session struct {
	start, last int64 // first and last event times
	g           *group
	alive       bool
}

func newSessionWindows(e *Engine, gap, max int64) *sessionWindows {
	return &sessionWindows{e: e, gap: gap, max: max, groups: map[string]*sessionGroup{}}
}

func (sw *sessionWindows) end(s *session) int64 { return satAdd(s.last, sw.gap) }

func (sw *sessionWindows) add(t int64, key []byte) (outcome, string) {
	e := sw.e
	sg := sw.groups[string(key)]
	sw.cands = sw.cands[:0]
	if sg != nil {
		for _, s := range sg.sessions {
			if s.start < satAdd(t, sw.gap) && t < sw.end(s) {
				sw.cands = append(sw.cands, s)
			}
		}
	}
	targets := sw.cands
	if len(targets) > 0 && sw.max > 0 {
		start, last := min(t, targets[0].start), t
		for _, s := range targets {
			last = max(last, s.last)
		}
		if last-start > sw.max {
			targets = nil
			for _, s := range sw.cands {
				if max(s.last, t)-min(s.start, t) <= sw.max {
					targets = sw.cands[:0]
					targets = append(targets, s)
					break
				}
			}
		}
	}
	if len(targets) == 0 {
		if satAdd(satAdd(t, sw.gap), e.lateness) <= e.wm {
			return late, ""
		}
		if !e.roomFor(1) {
			return dropped, ""
		}
		if sg == nil {
			sg = &sessionGroup{key: string(key)}
			sw.groups[sg.key] = sg
		}
		s := &session{start: t, last: t, g: e.newGroup(key), alive: true}
		e.apply(s.g)
		sg.insert(s)
		sw.count++
		e.openGroups++
		sw.schedule(s)
		return added, ""
	}
	for _, s := range targets {
		if msg := e.check(s.g); msg != "" {
			return typeErr, msg
		}
	}
	first := targets[0]
	for _, s := range targets[1:] {
		mergeGroup(first.g, s.g)
		first.start = min(first.start, s.start)
		first.last = max(first.last, s.last)
		s.alive = false
		sg.remove(s)
		sw.count--
		e.openGroups--
	}
	first.start = min(first.start, t)
	first.last = max(first.last, t)
	e.apply(first.g)
	slices.SortFunc(sg.sessions, func(a, b *session) int { return cmpInt(a.start, b.start) })
	return added, ""
}

func (sg *sessionGroup) insert(s *session) {
	i, _ := slices.BinarySearchFunc(sg.sessions, s.start, func(x *session, t int64) int { return cmpInt(x.start, t) })
	sg.sessions = slices.Insert(sg.sessions, i, s)
}

func (sg *sessionGroup) remove(s *session) {
	if i := slices.Index(sg.sessions, s); i >= 0 {
		sg.sessions = slices.Delete(sg.sessions, i, i+1)
	}
}

// schedule puts s in the closing heap. A session is scheduled once, when
// it starts (or is restored): when its entry comes up after an extension
// moved its end, it is put back at its new closing time.
func (sw *sessionWindows) schedule(s *session) {
	heap.Push(&sw.closing, closeEntry{at: sw.closesAt(s), s: s})
}

func (sw *sessionWindows) closesAt(s *session) int64 { return satAdd(sw.end(s), sw.e.lateness) }

func (sw *sessionWindows) advance(wm int64) {
	var batch []pending
	for len(sw.closing) > 0 && sw.closing[0].at <= wm {
		c := heap.Pop(&sw.closing).(closeEntry)
		s := c.s
		if !s.alive {
			continue // merged into another
		}
		if at := sw.closesAt(s); at > wm {
			heap.Push(&sw.closing, closeEntry{at: at, s: s})
			continue
		}
		s.alive = false
		batch = append(batch, pending{start: s.start, end: sw.end(s), g: s.g, final: true})
		sg := sw.groups[s.g.key]
		sg.remove(s)
		if len(sg.sessions) == 0 {
			delete(sw.groups, sg.key)
		}
		sw.count--
		sw.e.openGroups--
	}
	sw.e.emit(batch)
}

func (sw *sessionWindows) early() {
	var batch []pending
	for _, sg := range sw.groups {
		for _, s := range sg.sessions {
			if s.g.dirty {
				s.g.dirty = false
				batch = append(batch, pending{start: s.start, end: sw.end(s), g: s.g})
			}
		}
	}
	sw.e.emit(batch)
}

func (sw *sessionWindows) open() int { return sw.count }

func (sw *sessionWindows) save(w *writer) {
	keys := make([]string, 0, len(sw.groups))
	for k := range sw.groups {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	w.uvarint(uint64(len(keys)))
	for _, k := range keys {
		sg := sw.groups[k]
		w.uvarint(uint64(len(sg.sessions)))
		for i, s := range sg.sessions {
			w.varint(s.start)
			w.varint(s.last)
			sw.e.saveGroup(w, s.g, i == 0)
		}
	}
}

func (sw *sessionWindows) load(r *reader) {
	n := r.count()
	for i := 0; i < n && r.err == nil; i++ {
		m := r.count()
		if m == 0 {
			r.fail()
			return
		}
		var sg *sessionGroup
		for j := 0; j < m && r.err == nil; j++ {
			s := &session{start: r.varint(), last: r.varint(), alive: true}
			if s.last < s.start {
				r.fail()
				return
			}
			if j == 0 {
				s.g = sw.e.loadGroup(r, true)
				if _, dup := sw.groups[s.g.key]; dup {
					r.fail()
					return
				}
				sg = &sessionGroup{key: s.g.key}
				sw.groups[sg.key] = sg
			} else {
				s.g = sw.e.loadGroup(r, false)
				s.g.key = sg.key
				s.g.vals = sg.sessions[0].g.vals
			}
			sg.sessions = append(sg.sessions, s)
			sw.count++
			sw.e.openGroups++
			sw.schedule(s)
		}
	}
}

// closeEntry is a session's closing time in the heap.
type closeEntry struct {
	at int64 // end + allowed lateness, when pushed
	s  *session
}

type sessionHeap []closeEntry

func (h sessionHeap) Len() int { return len(h) }
func (h sessionHeap) Less(i, j int) bool {
	if h[i].at != h[j].at {
		return h[i].at < h[j].at
	}
	return h[i].s.start < h[j].s.start
}
func (h sessionHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *sessionHeap) Push(x any)   { *h = append(*h, x.(closeEntry)) }
func (h *sessionHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func (sw *sessionWindows) setEngine(e *Engine) { sw.e = e }
