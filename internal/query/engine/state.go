package engine

// group is the state of one (window, group): the group's values and its
// aggregates' states.
type group struct {
	key  string  // routing key, the GROUP BY values as a JSON array
	vals []value // the GROUP BY values
	aggs []aggState
	// dirty: changed since its last early result (EMIT EVERY).
	dirty bool
	// COUNT_WINDOW: events so far, and the first and last events'
	// append times (0: unknown).
	n           int64
	first, last int64
}

// windower keeps the open windows of one window kind.
type windower interface {
	// add puts the current event (its values in the engine's scratch:
	// key, gvals, args) with event time t into its windows.
	add(t int64, key []byte) (outcome, string)
	// advance closes the windows the watermark wm has passed.
	advance(wm int64)
	// early makes early results for the open states that changed.
	early()
	// open counts the open windows.
	open() int
	save(w *writer)
	load(r *reader)
	// setEngine points the windower at its engine (after Restore moved
	// the state into it).
	setEngine(e *Engine)
}

// outcome is what add did with an event.
type outcome int

const (
	added   outcome = iota
	late            // all its windows are closed
	dropped         // max_groups
	typeErr         // a min or max of another type than the group's
)

// newGroup makes the state of a new (window, group) for the current
// event's group.
func (e *Engine) newGroup(key []byte) *group {
	g := &group{key: string(key), aggs: make([]aggState, len(e.aggs))}
	if len(e.gvals) > 0 {
		g.vals = append([]value(nil), e.gvals...)
	}
	for i, s := range e.aggs {
		g.aggs[i] = s.newState()
	}
	return g
}

// check reports a type error of the current event's arguments against a
// group's state.
func (e *Engine) check(g *group) string {
	for i, s := range g.aggs {
		v := e.args[i] // NULL for count(*)
		if v.k == kNull {
			continue
		}
		if msg := s.check(v); msg != "" {
			return e.aggs[i].text + ": " + msg
		}
	}
	return ""
}

// apply adds the current event to a group's aggregates.
func (e *Engine) apply(g *group) {
	for i, s := range g.aggs {
		if e.aggs[i].arg == nil { // count(*)
			s.add(null, e.seq)
			continue
		}
		if v := e.args[i]; v.k != kNull {
			s.add(v, e.seq)
		}
	}
	g.dirty = true
}

// mergeGroup folds o's aggregates into g.
func mergeGroup(g, o *group) {
	for i, s := range g.aggs {
		s.merge(o.aggs[i])
	}
	g.dirty = true
}

// roomFor reports whether n more (window, group) states fit max_groups.
func (e *Engine) roomFor(n int) bool {
	return e.maxGroups <= 0 || e.openGroups+n <= e.maxGroups
}

func (e *Engine) saveGroup(w *writer, g *group, withKey bool) {
	if withKey {
		w.str(g.key)
		w.uvarint(uint64(len(g.vals)))
		for _, v := range g.vals {
			w.value(v)
		}
	}
	w.bool(g.dirty)
	w.varint(g.n)
	w.varint(g.first)
	w.varint(g.last)
	for _, s := range g.aggs {
		s.save(w)
	}
}

func (e *Engine) loadGroup(r *reader, withKey bool) *group {
	g := &group{aggs: make([]aggState, len(e.aggs))}
	if withKey {
		g.key = r.str()
		n := r.count()
		if n != len(e.groupFns) {
			r.fail()
			return g
		}
		if n > 0 {
			g.vals = make([]value, n)
			for i := range g.vals {
				g.vals[i] = r.value()
			}
		}
	}
	g.dirty = r.bool()
	g.n = r.varint()
	g.first = r.varint()
	g.last = r.varint()
	for i, s := range e.aggs {
		g.aggs[i] = s.newState()
		g.aggs[i].load(r)
	}
	return g
}
