package engine

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/query/sql"
)

func mustParse(t testing.TB, text string) *sql.Query {
	t.Helper()
	q, err := sql.Parse(text)
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, text)
	}
	return q
}

// run processes events on an engine with a fake clock a day after t0,
// then flushes the open windows: an hour of silence and a Tick (the idle
// timeout), or for source watermarks AdvanceWatermark far ahead.
func run(t *testing.T, q *sql.Query, events []genEvent) (*Engine, []Result) {
	t.Helper()
	clock := newClock()
	clock.t = t0.Add(24 * time.Hour)
	e := mustNew(t, q, clock)
	var out []Result
	for _, g := range events {
		e.Process(g.Event)
		out = append(out, e.TakeResults()...)
	}
	clock.Add(time.Hour)
	e.Tick()
	out = append(out, e.TakeResults()...)
	checkSums(t, e.Stats())
	return e, out
}

func TestTumble(t *testing.T) {
	seed := testSeed(t)
	events := generate(seed, genConfig{n: 4000, sensors: 7, step: 50 * time.Millisecond,
		disorder: 1500 * time.Millisecond, missing: 0.1, bad: 0.01})
	q := mustParse(t, `SELECT `+allAggs+` FROM t.s GROUP BY TUMBLE(ts, INTERVAL '10' SECOND), sensor
		WITH (watermark_delay = '2s')`)
	e, got := run(t, q, events)
	want, late := refTimeWindows(events, 10*time.Second, 10*time.Second, 2*time.Second, 0)
	if len(late) != 0 {
		t.Fatalf("the reference has %d late events", len(late))
	}
	compareResults(t, got, want, true)
	s := e.Stats()
	bad := 0
	for _, g := range events {
		if g.badJSON {
			bad++
		}
	}
	if s.BadJSON != int64(bad) || s.Matched != int64(len(events)-bad) || s.OpenGroups != 0 || s.OpenWindows != 0 {
		t.Errorf("stats %+v", s)
	}
	if keys := keysInOrder(t, got[0].Data); !slices.Equal(keys[:3], []string{"window_start", "window_end", "sensor"}) {
		t.Errorf("columns %v", keys)
	}
	cols := e.Columns()
	if cols[0] != (Column{"window_start", RoleWindowStart}) || cols[2] != (Column{"sensor", RoleGroup}) || cols[3] != (Column{"n", RoleValue}) {
		t.Errorf("columns %v", cols)
	}
}

func TestHop(t *testing.T) {
	seed := testSeed(t)
	events := generate(seed, genConfig{n: 3000, sensors: 5, step: 40 * time.Millisecond,
		disorder: time.Second, missing: 0.05})
	q := mustParse(t, `SELECT `+allAggs+` FROM t.s GROUP BY HOP(ts, INTERVAL '2' SECOND, INTERVAL '6' SECOND), sensor
		WITH (watermark_delay = '1s')`)
	_, got := run(t, q, events)
	want, _ := refTimeWindows(events, 6*time.Second, 2*time.Second, time.Second, 0)
	compareResults(t, got, want, true)
}

func TestSession(t *testing.T) {
	seed := testSeed(t)
	// Sparse sensors make gaps; disorder stays within the delay.
	events := generate(seed, genConfig{n: 3000, sensors: 12, step: 100 * time.Millisecond,
		disorder: 800 * time.Millisecond, missing: 0.1, sensorSkew: true})
	q := mustParse(t, `SELECT `+allAggs+` FROM t.s GROUP BY SESSION(ts, INTERVAL '2' SECOND), sensor
		WITH (watermark_delay = '1s')`)
	_, got := run(t, q, events)
	want := refSessions(events, 2*time.Second, 0, time.Second)
	compareResults(t, got, want, true)
}

func TestSessionMax(t *testing.T) {
	seed := testSeed(t)
	events := generate(seed, genConfig{n: 3000, sensors: 6, step: 100 * time.Millisecond, sensorSkew: true})
	q := mustParse(t, `SELECT `+allAggs+` FROM t.s GROUP BY SESSION(ts, INTERVAL '3' SECOND, INTERVAL '10' SECOND), sensor`)
	_, got := run(t, q, events)
	want := refSessions(events, 3*time.Second, 10*time.Second, 0)
	compareResults(t, got, want, true)
}

func TestCountWindow(t *testing.T) {
	seed := testSeed(t)
	events := generate(seed, genConfig{n: 2000, sensors: 4, step: 10 * time.Millisecond, disorder: time.Minute, missing: 0.1, bad: 0.02})
	q := mustParse(t, `SELECT `+allAggs+` FROM t.s GROUP BY COUNT_WINDOW(25), sensor`)
	e, got := run(t, q, events)
	want := refCountWindows(events, 25)
	compareResults(t, got, want, true)
	if s := e.Stats(); s.OpenWindows == 0 || s.OpenWindows != s.OpenGroups || !s.Watermark.IsZero() {
		t.Errorf("stats %+v", s)
	}
}

func TestHaving(t *testing.T) {
	seed := testSeed(t)
	events := generate(seed, genConfig{n: 2000, sensors: 9, step: 50 * time.Millisecond, sensorSkew: true})
	q := mustParse(t, `SELECT `+allAggs+` FROM t.s GROUP BY TUMBLE(ts, INTERVAL '5' SECOND), sensor
		HAVING count(*) >= 8 AND max(temp) > 0`)
	_, got := run(t, q, events)
	all, _ := refTimeWindows(events, 5*time.Second, 5*time.Second, 0, 0)
	var want []refResult
	for _, r := range all {
		hi := -1.0
		for _, x := range r.agg.temps {
			hi = max(hi, x)
		}
		if r.agg.n >= 8 && hi > 0 {
			want = append(want, r)
		}
	}
	if len(want) == len(all) || len(want) == 0 {
		t.Fatalf("HAVING keeps %d of %d: pick another threshold", len(want), len(all))
	}
	compareResults(t, got, want, true)
}

// Out-of-order and late events under both policies, with a watermark
// delay and allowed lateness.
func TestLate(t *testing.T) {
	seed := testSeed(t)
	events := generate(seed, genConfig{n: 3000, sensors: 4, step: 50 * time.Millisecond,
		disorder: 3 * time.Second, lateProb: 0.05, lateBy: 30 * time.Second})
	for _, policy := range []string{"'drop'", "'t.late'"} {
		for _, lateness := range []time.Duration{0, 4 * time.Second} {
			q := mustParse(t, `SELECT `+allAggs+` FROM t.s GROUP BY TUMBLE(ts, INTERVAL '5' SECOND), sensor
				WITH (watermark_delay = '1s', allowed_lateness = '`+lateness.String()+`', late = `+policy+`)`)
			clock := newClock()
			clock.t = t0.Add(24 * time.Hour)
			e := mustNew(t, q, clock)
			var got []Result
			var lates []Late
			for _, g := range events {
				e.Process(g.Event)
				got = append(got, e.TakeResults()...)
				lates = append(lates, e.TakeLate()...)
			}
			clock.Add(time.Hour)
			e.Tick()
			got = append(got, e.TakeResults()...)
			want, wantLate := refTimeWindows(events, 5*time.Second, 5*time.Second, time.Second, lateness)
			if len(wantLate) < 10 {
				t.Fatalf("only %d late events", len(wantLate))
			}
			compareResults(t, got, want, true)
			s := e.Stats()
			checkSums(t, s)
			if s.Late != int64(len(wantLate)) {
				t.Errorf("%s lateness %s: %d late, want %d", policy, lateness, s.Late, len(wantLate))
			}
			if policy == "'drop'" {
				if len(lates) != 0 {
					t.Errorf("drop policy gave %d late events", len(lates))
				}
				continue
			}
			var ptrs []string
			for _, l := range lates {
				if l.Reason != ReasonLate {
					t.Errorf("reason %q", l.Reason)
				}
				ptrs = append(ptrs, l.Pointer)
			}
			if !slices.Equal(ptrs, wantLate) {
				t.Errorf("late events %v, want %v", ptrs, wantLate)
			}
		}
	}
}

// A HOP event with some windows still open goes into those and is not
// late.
func TestHopPartlyLate(t *testing.T) {
	q := mustParse(t, `SELECT count(*) AS n FROM t.s GROUP BY HOP(ts, INTERVAL '1' SECOND, INTERVAL '3' SECOND)`)
	e := mustNew(t, q, nil)
	e.Process(ev(`{"ts":10000}`)) // in [8,11) [9,12) [10,13)
	e.Process(ev(`{"ts":11500}`)) // wm 11.5: closes [8,11)
	e.Process(ev(`{"ts":10500}`)) // [8,11) closed; [9,12) and [10,13) open
	if s := e.Stats(); s.Late != 0 || s.Matched != 3 {
		t.Fatalf("stats %+v", s)
	}
	e.Process(ev(`{"ts":20000}`))
	var ns []string
	for _, r := range e.TakeResults() {
		ns = append(ns, fmt.Sprintf("%s:%v", r.WindowStart.Format("05"), decode(t, r.Data)["n"]))
	}
	want := []string{"08:1", "09:3", "10:3", "11:1"}
	if !slices.Equal(ns, want) {
		t.Errorf("windows %v, want %v", ns, want)
	}
	e.Process(ev(`{"ts":9000}`)) // all its windows closed
	if s := e.Stats(); s.Late != 1 {
		t.Errorf("stats %+v", s)
	}
}
