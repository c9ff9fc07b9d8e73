package engine

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// at is an event of sensor s at t0 + ms milliseconds.
func at(s string, ms int64, extra string) Event {
	return Event{
		Data:    fmt.Appendf(nil, `{"sensor":%q,"ts":%d%s}`, s, t0.UnixMilli()+ms, extra),
		Pointer: fmt.Sprintf("0/0:%s@%d", s, ms),
	}
}

type brief struct {
	key   string
	n     float64
	final bool
}

func briefs(t *testing.T, rs []Result) []brief {
	t.Helper()
	out := make([]brief, len(rs))
	for i, r := range rs {
		m := decode(t, r.Data)
		if f, ok := m["final"]; ok && f != r.Final {
			t.Fatalf("final %v in %s, Result.Final %v", m["final"], r.Data, r.Final)
		}
		out[i] = brief{r.Key, m["n"].(float64), r.Final}
	}
	return out
}

func sameBriefs(t *testing.T, what string, got []brief, want ...brief) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%s: %v, want %v", what, got, want)
	}
}

func TestEmitEvery(t *testing.T) {
	clock := newClock()
	clock.t = t0
	q := mustParse(t, `SELECT sensor, count(*) AS n FROM t.s GROUP BY TUMBLE(ts, INTERVAL '10' SECOND), sensor
		EMIT EVERY INTERVAL '1' SECOND`)
	e := mustNew(t, q, clock)
	if c := e.Columns(); c[len(c)-1] != (Column{"final", RoleFinal}) {
		t.Errorf("columns %v", c)
	}
	e.Process(at("a", 1000, ""))
	e.Process(at("b", 2000, ""))
	clock.Add(500 * time.Millisecond)
	e.Tick()
	sameBriefs(t, "before a second", briefs(t, e.TakeResults()))
	clock.Add(600 * time.Millisecond)
	e.Tick()
	sameBriefs(t, "after a second", briefs(t, e.TakeResults()), brief{`["a"]`, 1, false}, brief{`["b"]`, 1, false})
	clock.Add(time.Second)
	e.Tick()
	sameBriefs(t, "no change", briefs(t, e.TakeResults()))
	e.Process(at("a", 3000, ""))
	clock.Add(time.Second)
	e.Tick()
	sameBriefs(t, "a changed", briefs(t, e.TakeResults()), brief{`["a"]`, 2, false})
	e.Process(at("c", 12000, ""))
	sameBriefs(t, "close", briefs(t, e.TakeResults()), brief{`["a"]`, 2, true}, brief{`["b"]`, 1, true})
	clock.Add(time.Second)
	e.Tick()
	sameBriefs(t, "next window", briefs(t, e.TakeResults()), brief{`["c"]`, 1, false})
	if s := e.Stats(); s.ResultsOut != 6 || !s.LastResultAt.Equal(clock.Now()) {
		t.Errorf("stats %+v", s)
	}
}

func TestIdleTimeout(t *testing.T) {
	clock := newClock()
	clock.t = t0
	q := mustParse(t, `SELECT count(*) AS n FROM t.s GROUP BY TUMBLE(ts, INTERVAL '10' SECOND)
		WITH (watermark_delay = '2s', idle_timeout = '5s')`)
	e := mustNew(t, q, clock)
	e.Process(at("a", 1000, ""))
	clock.Add(3 * time.Second)
	e.Tick()
	if s := e.Stats(); !s.Watermark.Equal(t0.Add(-time.Second)) {
		t.Fatalf("watermark %s", s.Watermark)
	}
	clock.Add(3 * time.Second) // 6 s idle: the watermark is now − 2 s
	e.Tick()
	if s := e.Stats(); !s.Watermark.Equal(t0.Add(4*time.Second)) || len(e.TakeResults()) != 0 {
		t.Fatalf("watermark %s", s.Watermark)
	}
	clock.Add(7 * time.Second)
	e.Tick()
	sameBriefs(t, "idle close", briefs(t, e.TakeResults()), brief{"", 1, true})
	if s := e.Stats(); !s.Watermark.Equal(t0.Add(11*time.Second)) || s.OpenWindows != 0 {
		t.Fatalf("stats %+v", s)
	}
	// With no window open, idleness does not move the watermark.
	clock.Add(time.Hour)
	e.Tick()
	if s := e.Stats(); !s.Watermark.Equal(t0.Add(11 * time.Second)) {
		t.Fatalf("watermark %s", s.Watermark)
	}

	// A source watermark moves only by AdvanceWatermark, and only up.
	q = mustParse(t, `SELECT count(*) AS n FROM t.s GROUP BY TUMBLE(ts, INTERVAL '10' SECOND)
		WITH (watermark = 'source', idle_timeout = '1s')`)
	e = mustNew(t, q, clock)
	e.Process(at("a", 1000, ""))
	e.Process(at("a", 25000, ""))
	clock.Add(time.Hour)
	e.Tick()
	if s := e.Stats(); !s.Watermark.IsZero() || s.OpenWindows != 2 {
		t.Fatalf("stats %+v", s)
	}
	e.AdvanceWatermark(t0.Add(10 * time.Second))
	e.AdvanceWatermark(t0.Add(5 * time.Second))
	sameBriefs(t, "source close", briefs(t, e.TakeResults()), brief{"", 1, true})
	if s := e.Stats(); !s.Watermark.Equal(t0.Add(10 * time.Second)) {
		t.Fatalf("watermark %s", s.Watermark)
	}
}

func TestFutureAndBadTime(t *testing.T) {
	clock := newClock()
	clock.t = t0
	q := mustParse(t, `SELECT count(*) AS n FROM t.s GROUP BY TUMBLE(ts, INTERVAL '10' SECOND), sensor
		WITH (max_future = '1h', late = 't.late')`)
	e := mustNew(t, q, clock)
	e.Process(at("a", 1000, ""))
	e.Process(at("a", int64(2*time.Hour/time.Millisecond), "")) // future
	e.Process(ev(`{"sensor":"a"}`))
	e.Process(ev(`{"sensor":"a","ts":"yesterday"}`))
	e.Process(ev(`{"sensor":"a","ts":true}`))
	e.Process(ev(`{"sensor":"a","ts":1e300}`))
	s := e.Stats()
	checkSums(t, s)
	if s.Future != 1 || s.BadTime != 4 || s.Matched != 1 || !s.MaxEventTime.Equal(t0.Add(time.Second)) || !s.Watermark.Equal(t0.Add(time.Second)) {
		t.Fatalf("stats %+v", s)
	}
	if !strings.Contains(s.LastError, "ts") || !strings.Contains(s.LastError, "(event p)") {
		t.Errorf("LastError %q", s.LastError)
	}
	late := e.TakeLate()
	if len(late) != 1 || late[0].Reason != ReasonFuture || !late[0].EventTime.Equal(t0.Add(2*time.Hour)) || late[0].Pointer != "0/0:a@7200000" {
		t.Fatalf("late %+v", late)
	}

	// _time: the append time; zero is a bad time.
	q = mustParse(t, `SELECT count(*) AS n, max(_time) AS last FROM t.s GROUP BY TUMBLE(_time, INTERVAL '1' SECOND)`)
	e = mustNew(t, q, clock)
	e.Process(Event{Data: []byte(`{}`), AppendTime: t0.Add(100 * time.Millisecond)})
	e.Process(Event{Data: []byte(`{}`)})
	e.Process(Event{Data: []byte(`{}`), AppendTime: t0.Add(1500 * time.Millisecond)})
	r := e.TakeResults()
	if s := e.Stats(); s.BadTime != 1 || len(r) != 1 || decode(t, r[0].Data)["last"] != "2026-01-01T00:00:00.100000000Z" {
		t.Fatalf("stats %+v results %q", s, datas(r))
	}
}

func TestTypeErrors(t *testing.T) {
	q := mustParse(t, `SELECT lower(sensor) AS s, sum(temp) AS total, max(v) AS hi FROM t.s
		GROUP BY TUMBLE(ts, INTERVAL '10' SECOND), lower(sensor)`)
	e := mustNew(t, q, nil)
	e.Process(at("a", 0, `,"temp":1,"v":5`))
	e.Process(at("a", 1, `,"temp":"hot","v":6`)) // sum of a string
	e.Process(at("a", 2, `,"temp":2,"v":"x"`))   // max: a string after numbers
	e.Process(Event{Data: []byte(`{"sensor":7,"ts":3}`), Pointer: "ptr7"})
	e.Process(at("b", 3, `,"v":"x"`)) // another group: strings are fine
	e.Process(at("a", 4, `,"v":null`))
	e.Process(at("a", 20000, ""))
	s := e.Stats()
	checkSums(t, s)
	if s.TypeErrors != 3 || s.Matched != 4 {
		t.Fatalf("stats %+v", s)
	}
	if !strings.Contains(s.LastError, "lower(sensor)") || !strings.Contains(s.LastError, "number") || !strings.Contains(s.LastError, "ptr7") {
		t.Errorf("LastError %q", s.LastError)
	}
	r := e.TakeResults()
	if len(r) != 2 || string(r[0].Data) != `{"window_start":"2026-01-01T00:00:00.000000000Z","window_end":"2026-01-01T00:00:10.000000000Z","s":"a","total":1,"hi":5}` ||
		decode(t, r[1].Data)["hi"] != "x" {
		t.Fatalf("results %q", datas(r))
	}
	e.Process(at("a", 30000, `,"temp":"12"`))
	if s := e.Stats(); !strings.Contains(s.LastError, "sum(temp)") || !strings.Contains(s.LastError, `string "12"`) {
		t.Errorf("LastError %q", s.LastError)
	}
}

func TestMaxGroups(t *testing.T) {
	q := mustParse(t, `SELECT sensor, count(*) AS n FROM t.s GROUP BY TUMBLE(ts, INTERVAL '10' SECOND), sensor
		WITH (max_groups = 3)`)
	e := mustNew(t, q, nil)
	for i, s := range []string{"a", "b", "c", "d", "a", "e", "c"} {
		e.Process(at(s, int64(i), ""))
	}
	s := e.Stats()
	checkSums(t, s)
	if s.DroppedGroups != 2 || s.OpenGroups != 3 || s.Matched != 5 || !strings.Contains(s.LastError, "max_groups") {
		t.Fatalf("stats %+v", s)
	}
	e.Process(at("d", 10000, "")) // closes the first window: room again
	e.Process(at("e", 10001, ""))
	sameBriefs(t, "first window", briefs(t, e.TakeResults()), brief{`["a"]`, 2, true}, brief{`["b"]`, 1, true}, brief{`["c"]`, 2, true})
	if s := e.Stats(); s.OpenGroups != 2 || s.DroppedGroups != 2 {
		t.Fatalf("stats %+v", s)
	}
}

func TestCountWindowBounds(t *testing.T) {
	q := mustParse(t, `SELECT k, count(*) AS n, sum(v) AS s FROM t.s GROUP BY COUNT_WINDOW(2), k`)
	e := mustNew(t, q, nil)
	e.Process(Event{Data: []byte(`{"k":1,"v":1}`), AppendTime: t0})
	e.Process(Event{Data: []byte(`{"k":2,"v":2}`)})
	e.Process(Event{Data: []byte(`{"k":1,"v":3}`), AppendTime: t0.Add(time.Second)})
	e.Process(Event{Data: []byte(`{"k":2,"v":4}`)})
	r := e.TakeResults()
	if len(r) != 2 || r[0].Key != "[1]" || !r[0].WindowEnd.Equal(t0.Add(time.Second)) ||
		string(r[0].Data) != `{"window_start":"2026-01-01T00:00:00.000000000Z","window_end":"2026-01-01T00:00:01.000000000Z","k":1,"n":2,"s":4}` ||
		string(r[1].Data) != `{"window_start":null,"window_end":null,"k":2,"n":2,"s":6}` || !r[1].WindowStart.IsZero() {
		t.Fatalf("results %q", datas(r))
	}
}

func TestNonWindowedKeys(t *testing.T) {
	// A windowed query without GROUP BY expressions has the key "".
	q := mustParse(t, `SELECT count(*) AS n, window_end AS e FROM t.s GROUP BY TUMBLE(ts, INTERVAL '1' SECOND)`)
	e := mustNew(t, q, nil)
	e.Process(at("a", 0, ""))
	e.Process(at("a", 1500, ""))
	r := e.TakeResults()
	if len(r) != 1 || r[0].Key != "" || string(r[0].Data) != `{"window_start":"2026-01-01T00:00:00.000000000Z","n":1,"e":"2026-01-01T00:00:01.000000000Z"}` {
		t.Fatalf("results %q", datas(r))
	}
	if c := e.Columns(); len(c) != 3 || c[1] != (Column{"n", RoleValue}) || c[2] != (Column{"e", RoleWindowEnd}) {
		t.Errorf("columns %v", c)
	}
}
