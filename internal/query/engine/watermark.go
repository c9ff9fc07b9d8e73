package engine

import (
	"time"

	"github.com/braidstream/braid/internal/query/sql"
)

// The watermark is the event time up to which the input is taken as
// complete: a time window closes when the watermark reaches its end plus
// the allowed lateness. It only ever rises.
//
//   - "delay" (default): the greatest event time seen, less
//     watermark_delay. It moves before the event is put in its windows.
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
