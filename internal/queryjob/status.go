package queryjob

import (
	"fmt"
	"maps"
	"time"

	"github.com/braidstream/braid/internal/query/engine"
	"github.com/braidstream/braid/internal/query/sql"
)

// noOutputSlack is how much longer than its window a query may go without
// a result, once events pass its WHERE, before it counts as no_output.
const noOutputSlack = 10 * time.Second

// status is the query's status now.
func (r *runner) status() Status {
	r.m.mu.Lock()
	running := r.runningLocked()
	r.m.mu.Unlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.p
	st := Status{
		Name: r.rec.Name, Version: r.rec.current(), Versions: append([]Version(nil), r.rec.Versions...),
		Created: r.rec.Created, Input: p.input, Output: p.output, LateOutput: p.late, StateStream: p.state,
		Columns: append([]Column(nil), p.columns...), Stats: statsOf(r.stats),
		LastError: r.lastErr, LastErrorAt: r.lastErrAt, Failures: r.failures, LagBytes: r.lagBytes,
	}
	if ck := r.rec.Checkpoint; ck != nil {
		st.Position, st.Checkpoints, st.LastCheckpoint = ck.Cut, ck.Count, ck.At
	}
	if st.LastError == "" && r.stats.LastError != "" {
		st.LastError = r.stats.LastError
	}
	switch {
	case r.failed:
		st.State = StateFailed
	case r.rec.Stopped || !running:
		st.State = StateStopped
	case r.up:
		st.State = StateRunning
	default:
		st.State = StateRetrying
	}
	var in, ref int64
	if st.State == StateRunning {
		st.InputRate, st.OutputRate, in, ref = r.rates.over()
	}
	st.Health, st.HealthDetail = r.health(st, in, ref, time.Now())
	return st
}

// health judges a query from its status and its last rateWindow's input
// and refused events.
func (r *runner) health(st Status, in, ref int64, now time.Time) (string, string) {
	s := r.stats
	switch st.State {
	case StateFailed, StateRetrying:
		return HealthFailing, "the query is " + st.State + ": " + st.LastError
	case StateStopped:
		return "", ""
	}
	if s.EventsIn == 0 {
		return HealthWaiting, "no event read from " + st.Input + " yet"
	}
	if in > 0 && 2*ref > in {
		return HealthDropping, fmt.Sprintf("%d of the last %d events were refused (bad JSON %d, bad time %d, type errors %d, late %d, future %d, over max_groups %d in all); last: %s",
			ref, in, s.BadJSON, s.BadTime, s.TypeErrors, s.Late, s.Future, s.DroppedGroups, s.LastError)
	}
	if s.Matched == 0 {
		return HealthOK, ""
	}
	wait := windowWait(r.p.q) + noOutputSlack
	from := s.LastResultAt
	if from.IsZero() {
		from = r.firstSeenAt
	}
	// Stuck: events kept coming for longer than a window takes to close,
	// or (with no idle timeout to close windows of a quiet input) the
	// time passed.
	stuck := s.LastEventAt.Sub(from) > wait || r.p.q.Options.IdleTimeout == 0 && now.Sub(from) > wait
	if !from.IsZero() && stuck && r.p.q.Window != nil && (r.p.q.Window.Kind == sql.Tumble || r.p.q.Window.Kind == sql.Hop) {
		wm := "no watermark yet"
		if !s.Watermark.IsZero() {
			wm = "the watermark is at " + s.Watermark.UTC().Format(time.RFC3339) + ", " + s.MaxEventTime.Sub(s.Watermark).Round(time.Millisecond).String() + " behind the greatest event time"
		}
		return HealthNoOutput, fmt.Sprintf("events pass the WHERE but no window closed for %v (%s): is the event time field right, and does the input keep coming?",
			now.Sub(from).Round(time.Second), wm)
	}
	return HealthOK, ""
}

// windowWait is how long after its first event a time window closes at
// the latest, by the query's settings, when the input keeps coming (a
// session may stay open as long as its group keeps coming, a count
// window as long as its group has too few events).
func windowWait(q *sql.Query) time.Duration {
	w := q.Window
	if w == nil {
		return 0
	}
	d := q.Options.WatermarkDelay + q.Options.AllowedLateness
	switch w.Kind {
	case sql.Tumble, sql.Hop:
		d += w.Size
	}
	return d
}

func statsOf(s engine.Stats) Stats {
	return Stats{
		EventsIn: s.EventsIn, Matched: s.Matched, BadJSON: s.BadJSON, BadTime: s.BadTime, TypeErrors: s.TypeErrors,
		Late: s.Late, Future: s.Future, DroppedGroups: s.DroppedGroups, ResultsOut: s.ResultsOut,
		OpenWindows: s.OpenWindows, OpenGroups: s.OpenGroups, Watermark: s.Watermark, MaxEventTime: s.MaxEventTime,
		LastEventAt: s.LastEventAt, LastResultAt: s.LastResultAt, LastError: s.LastError, Missing: maps.Clone(s.Missing),
	}
}
