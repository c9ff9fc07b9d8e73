package engine

import (
	"time"

	"github.com/braidstream/braid/internal/query/sql"
)

// The watermark is the event time up to which the input is taken as
// complete: a time window closes when the watermark reaches its end plus
// the allowed lateness. It only ever rises.
//
//   - "delay" (default): per source (the input segment an event came
//     from), the greatest event time seen; the watermark is the least of
//     those over the active sources, less watermark_delay. A stream's
//     segments are read in parallel, a batch of one at a time, so one
//     segment may be read far ahead of another in event time (a backlog
//     read from the start, above all): the least over segments keeps the
//     events of the one behind from being late. The runner names the
//     segments its reader reads (SetSources): the watermark waits for
//     each to send an event. A source is active until it has sent
//     nothing for idle_timeout (wall clock; an empty segment too), or
//     the runner says it is gone (a segment read to its end after a
//     scale). It moves before the event is put in its windows.
//     Events that fail before (bad JSON, filtered by WHERE, a bad time,
//     type errors in GROUP BY or aggregate arguments, future events) do
//     not move it; late and dropped ones are older than it anyway, or
//     count like others.
//   - "source": only AdvanceWatermark moves it (the server passes the
//     input stream's watermark at the query's read position).
//
// In delay mode, when idle_timeout is set and no event at all came for
// that long by the wall clock, Tick raises the watermark to the wall clock
// less watermark_delay, so that a quiet input does not hold its last
// windows open forever. This assumes that event time follows the wall
// clock; it is done only while time windows are open (with none, moving
// the watermark could only make later events late). A backlog that pauses
// for longer than idle_timeout may thus see its remaining events late.

// source is one input segment's progress in event time.
type source struct {
	maxT int64     // the greatest event time seen from it
	has  bool      // maxT is set: the source sent an event
	seen time.Time // wall clock of its last event (or since it is known)
}

// noteSource records event time t from source id and raises the watermark
// to the least greatest time over the active sources, less the delay.
func (e *Engine) noteSource(id uint64, t int64, now time.Time) {
	if e.sources == nil {
		e.sources = map[uint64]*source{}
	}
	s := e.sources[id]
	switch {
	case s == nil:
		s = &source{maxT: t, has: true}
		e.sources[id] = s
	case !s.has || t > s.maxT:
		s.maxT, s.has = t, true
	}
	s.seen = now
	if m, ok := e.leastSource(now); ok {
		e.raiseWatermark(satAdd(m, -e.delay))
	}
}

// leastSource is the least greatest event time over the active sources;
// false while an active source has sent nothing yet (or none is active).
func (e *Engine) leastSource(now time.Time) (int64, bool) {
	var m int64
	ok := false
	for _, s := range e.sources {
		if e.idle > 0 && now.Sub(s.seen) >= e.idle {
			continue
		}
		if !s.has {
			return 0, false
		}
		if !ok || s.maxT < m {
			m, ok = s.maxT, true
		}
	}
	return m, ok
}

// SetSources says which input segments the reader reads now (its
// position's segments): the watermark waits for each of them to send an
// event (or to be idle for idle_timeout), and stops waiting for the
// others (segments read to their end after a scale). Without a call,
// the sources are the segments events came from.
func (e *Engine) SetSources(ids []uint64) {
	if e.sourceWM || !e.timeWindowed() {
		return
	}
	if e.sources == nil {
		e.sources = map[uint64]*source{}
	}
	keep := make(map[uint64]bool, len(ids))
	now := e.now()
	for _, id := range ids {
		keep[id] = true
		if e.sources[id] == nil {
			e.sources[id] = &source{seen: now}
		}
	}
	for id := range e.sources {
		if !keep[id] {
			delete(e.sources, id)
		}
	}
	if m, ok := e.leastSource(now); ok {
		e.raiseWatermark(satAdd(m, -e.delay))
	}
}

// raiseWatermark moves the watermark up to t and closes what it passed.
func (e *Engine) raiseWatermark(t int64) {
	if e.hasWM && t <= e.wm {
		return
	}
	e.wm, e.hasWM = t, true
	e.win.advance(t)
}

// timeWindowed reports whether the query has event-time windows.
func (e *Engine) timeWindowed() bool { return e.win != nil && e.kind != sql.Count }

// AdvanceWatermark raises the watermark to t (never lowers it), closing
// the windows it passes. It does something only for a windowed query
// whose watermark option is "source"; in "delay" mode events drive the
// watermark and this is ignored.
func (e *Engine) AdvanceWatermark(t time.Time) {
	if !e.sourceWM || !e.timeWindowed() {
		return
	}
	e.touched = true
	e.raiseWatermark(toNanos(t))
}

// Tick does the engine's wall-clock duties; call it regularly (every
// second, say). First the idle timeout (see the package documentation),
// then EMIT EVERY: once every Emit.Every of wall-clock time, an early
// result (Final false) for every open window group whose state changed
// since its last result.
func (e *Engine) Tick() {
	if e.win == nil {
		return
	}
	now := e.now()
	if e.idle > 0 && !e.sourceWM && e.timeWindowed() {
		// Sources that went quiet stop holding the watermark back.
		if m, ok := e.leastSource(now); ok {
			e.raiseWatermark(satAdd(m, -e.delay))
		}
	}
	if e.idle > 0 && !e.sourceWM && e.timeWindowed() && e.win.open() > 0 &&
		!e.lastEventAt.IsZero() && now.Sub(e.lastEventAt) >= e.idle {
		e.raiseWatermark(satAdd(toNanos(now), -e.delay))
	}
	if e.every > 0 {
		if elapsed := now.Sub(e.lastEmit); elapsed >= e.every {
			e.lastEmit = e.lastEmit.Add(elapsed / e.every * e.every)
			e.win.early()
		} else if elapsed < 0 {
			e.lastEmit = now // the clock went back
		}
	}
}
