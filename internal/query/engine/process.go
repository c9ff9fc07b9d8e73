package engine

import (
	"bytes"
	"strconv"
	"time"
)

// Process takes one event. It never fails: an event that cannot be used
// is counted (see Stats) and, for a bad one, described in LastError.
//
// The steps, each of which may end the event's way: read the JSON object
// (BadJSON); WHERE (TypeErrors, Filtered); then, for a query without a
// window, the SELECT items (TypeErrors) and one result; for a windowed
// query, the event time (BadTime), the GROUP BY values and the aggregates'
// arguments (TypeErrors), the future check (Future), then the watermark
// (which may close windows), then the windows (Late, DroppedGroups,
// TypeErrors for a min or max of another type than the group's).
func (e *Engine) Process(ev Event) {
	e.touched = true
	e.st.eventsIn++
	now := e.now()
	e.lastEventAt = now
	r := &e.row
	r.gen++
	r.appendTime = 0
	if !ev.AppendTime.IsZero() {
		r.appendTime = toNanos(ev.AppendTime)
	}
	if err := e.scan.scan(ev.Data, e.fields.root, r); err != nil {
		e.st.badJSON++
		e.fail(ev, "bad JSON: "+err.Error())
		return
	}
	e.countMissing(e.whereFields)
	if e.where != nil {
		v, err := e.where(r)
		if err != nil {
			e.typeError(ev, err.Error())
			return
		}
		if v.k != kNull && v.k != kBool {
			e.typeError(ev, "WHERE wants a boolean, found a "+v.describe())
			return
		}
		if !v.isTrue() {
			e.st.filtered++
			return
		}
	}
	e.countMissing(e.otherFields)
	if e.win == nil {
		e.project(ev, now)
		return
	}
	e.aggregate(ev, now)
}

func (e *Engine) countMissing(ids []int) {
	r := &e.row
	for _, id := range ids {
		if r.seen[id] != r.gen {
			e.missing[id]++
		}
	}
}

func (e *Engine) fail(ev Event, msg string) {
	if p := ev.pointerText(); p != "" {
		msg += " (event " + p + ")"
	}
	e.lastError = msg
}

func (e *Engine) typeError(ev Event, msg string) {
	e.st.typeErrors++
	e.fail(ev, "type error: "+msg)
}

// project makes the one result of a query without a window.
func (e *Engine) project(ev Event, now time.Time) {
	r := &e.row
	var data []byte
	if e.starOnly {
		data = append([]byte(nil), bytes.TrimSpace(ev.Data)...)
	} else {
		b := append(e.out[:0], '{')
		for i, it := range e.items {
			if i > 0 && len(b) > 1 {
				b = append(b, ',')
			}
			if it.star {
				b = e.appendMembers(b)
				continue
			}
			v, err := it.fn(r)
			if err != nil {
				e.out = b
				e.typeError(ev, err.Error())
				return
			}
			b = append(b, it.key...)
			b = appendJSON(b, v)
		}
		b = append(b, '}')
		e.out = b
		data = append([]byte(nil), b...)
	}
	e.st.matched++
	e.st.resultsOut++
	e.lastResultAt = now
	e.results = append(e.results, Result{Data: data, Final: true})
}

// appendMembers appends the event's members for * among other items,
// leaving out those an item of the same name replaces.
func (e *Engine) appendMembers(b []byte) []byte {
	n := len(b)
	for _, m := range e.scan.members {
		if e.itemNames[m.key] {
			continue
		}
		if len(b) > n {
			b = append(b, ',')
		}
		b = append(b, m.raw...)
	}
	if len(b) == n && n > 1 && b[n-1] == ',' {
		b = b[:n-1] // nothing added: drop the separator before
	}
	return b
}

// aggregate places the event of a windowed query.
func (e *Engine) aggregate(ev Event, now time.Time) {
	r := &e.row
	var t int64
	if e.timeFn != nil {
		v, err := e.timeFn(r)
		why := ""
		if err != nil {
			why = err.Error()
		} else {
			t, why = toTime(v)
			if why == "" && (t >= maxEventTime || t <= -maxEventTime) {
				why = "outside the years 1824 to 2115: " + v.describe()
			}
		}
		if why != "" {
			e.st.badTime++
			e.fail(ev, "bad event time: "+e.q.Window.Time.String()+": "+why)
			return
		}
	}
	key, ok := e.groupKey(ev)
	if !ok {
		return
	}
	for i, s := range e.aggs {
		if s.arg == nil {
			continue
		}
		v, err := s.arg(r)
		if err != nil {
			e.typeError(ev, err.Error())
			return
		}
		if v.k != kNull {
			if msg := s.check(v); msg != "" {
				e.typeError(ev, s.text+": "+msg)
				return
			}
		}
		e.args[i] = v
	}
	if e.timeFn != nil && e.maxFuture > 0 && t > satAdd(toNanos(now), e.maxFuture) {
		e.st.future++
		e.fail(ev, "future event: its time "+formatTime(t)+" is more than max_future ("+time.Duration(e.maxFuture).String()+") past the wall clock")
		e.addLate(ev, ReasonFuture, t)
		return
	}
	if e.timeFn != nil && (!e.hasMax || t > e.maxT) {
		// The watermark moves first: the windows it closes free their
		// groups for max_groups, and the event's own windows all end
		// after t, so they stay open.
		e.maxT, e.hasMax = t, true
	}
	if e.timeFn != nil && !e.sourceWM {
		e.noteSource(ev.Ptr.SegmentID, t, now)
	}
	e.seq++
	res, msg := e.win.add(t, key)
	switch res {
	case added:
		e.st.matched++
	case late:
		e.st.late++
		e.addLate(ev, ReasonLate, t)
	case dropped:
		e.st.droppedGroups++
		e.fail(ev, "dropped: the event would open one more group than max_groups ("+strconv.Itoa(e.maxGroups)+") allows")
	case typeErr:
		e.typeError(ev, msg)
	}
}

// groupKey evaluates the GROUP BY expressions into e.gvals and returns
// the routing key text (kept in e.keyBuf until the next event).
func (e *Engine) groupKey(ev Event) ([]byte, bool) {
	if len(e.groupFns) == 0 {
		return e.keyBuf[:0], true
	}
	b := append(e.keyBuf[:0], '[')
	for i, f := range e.groupFns {
		v, err := f(&e.row)
		if err != nil {
			e.keyBuf = b
			e.typeError(ev, err.Error())
			return nil, false
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSON(b, v)
		e.gvals[i] = v
	}
	b = append(b, ']')
	e.keyBuf = b
	return b, true
}

func (e *Engine) addLate(ev Event, reason string, t int64) {
	if !e.streamLate {
		return
	}
	e.late = append(e.late, Late{
		Data:      append([]byte(nil), ev.Data...),
		Pointer:   ev.pointerText(),
		Reason:    reason,
		EventTime: fromNanos(t),
	})
}

// maxEventTime bounds event times (±2^62 ns, about 146 years either side
// of 1970), so that window arithmetic cannot overflow.
const maxEventTime = 1 << 62

// maxSpan bounds window sizes, gaps, the watermark delay and the allowed
// lateness (2^60 ns, about 36 years).
const maxSpan = 1 << 60

// satAdd is a+b, saturating at the int64 range.
func satAdd(a, b int64) int64 {
	c := a + b
	if (c > a) != (b > 0) {
		if b > 0 {
			return 1<<63 - 1
		}
		return -1 << 63
	}
	return c
}
