package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid"
)

// writeReadings writes n sensor readings to stream, event time ts from
// base, 10 ms apart, over 3 sensors, and returns the last time.
func writeReadings(t *testing.T, ctx context.Context, c *braid.Client, stream string, base time.Time, from, n int) time.Time {
	t.Helper()
	w, err := c.NewWriter(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	var ts time.Time
	for i := from; i < from+n; i++ {
		ts = base.Add(time.Duration(i) * 10 * time.Millisecond)
		sensor := fmt.Sprintf("s-%d", i%3)
		b, _ := json.Marshal(map[string]any{"sensor": sensor, "temp": float64(i % 10), "ts": ts.Format(time.RFC3339Nano)})
		w.Write(ctx, sensor, b)
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	return ts
}

// results reads a query's output stream to its tail.
func results(t *testing.T, c *braid.Client, q braid.QueryInfo) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, ev := range readAll(t, c, q.Output, braid.FromHead(), braid.UntilTail()) {
		var m map[string]any
		if err := json.Unmarshal(ev.Data, &m); err != nil {
			t.Fatalf("result %s is not JSON: %v: %s", ev.Pointer, err, ev.Data)
		}
		out = append(out, m)
	}
	return out
}

// TestQueryLifecycle: a query deployed through the Go client runs, its
// windows close with the input's event time, and it can be described,
// stopped, started, replaced by a new version and deleted.
func TestQueryLifecycle(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 60*time.Second)
	createStream(t, c, "q/sensors", 1)
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	writeReadings(t, ctx, c, "q/sensors", base, 0, 300) // 3 s of event time
	const text = `SELECT sensor, count(*) AS n, avg(temp) AS avg_temp
FROM q.sensors
GROUP BY TUMBLE(ts, INTERVAL '1' SECOND), sensor
WITH (idle_timeout = '0')`
	q, warnings, err := c.DeployQuery(ctx, "avg", text)
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 0 || q.Output != "q/avg-results" || q.Version != 1 {
		t.Fatalf("deployed %+v, warnings %v", q, warnings)
	}
	if _, _, err := c.DeployQuery(ctx, "avg", text+" "); !errors.Is(err, braid.ErrAlreadyExists) {
		t.Fatalf("deploy of a taken name: %v, want ALREADY_EXISTS", err)
	}
	// Windows [0,1) and [1,2) close once events of [2,3) came: 2 windows
	// of 3 sensors.
	waitUntil(t, "6 results", 20*time.Second, func() bool {
		q, err = c.GetQuery(ctx, "avg")
		return err == nil && q.ResultsOut == 6
	})
	if q.State != "running" || q.EventsIn != 300 || q.OpenWindows == 0 || q.Watermark.IsZero() {
		t.Fatalf("query %+v", q)
	}
	var rs []map[string]any
	waitUntil(t, "6 results in the output stream", 10*time.Second, func() bool {
		rs = results(t, c, q)
		return len(rs) == 6
	})
	for _, r := range rs {
		if r["n"] != float64(34) && r["n"] != float64(33) {
			t.Fatalf("result %v: want 33 or 34 readings per sensor and second", r)
		}
		if _, ok := r["window_start"].(string); !ok {
			t.Fatalf("result %v has no window_start", r)
		}
	}

	// Its counters are on /metrics, which promtool accepts.
	raw := scrapeRaw(t, ctx, "http://"+ts.HTTPAddr()+"/metrics")
	for _, want := range []string{`braid_query_results_total{query="avg",stream="q/sensors"} 6`, `braid_query_events_in_total{query="avg",stream="q/sensors"} 300`,
		`braid_query_running{query="avg",stream="q/sensors"} 1`, `braid_query_events_refused_total{query="avg",reason="late",stream="q/sensors"} 0`} {
		if !strings.Contains(string(raw), want+"\n") {
			t.Errorf("/metrics has no line %s", want)
		}
	}
	promtoolCheck(t, raw)

	// Stopped, it keeps its place; events written meanwhile count once
	// it is started again.
	if q, err = c.StopQuery(ctx, "avg"); err != nil || q.State != "stopped" {
		t.Fatalf("stop: %+v, %v", q, err)
	}
	writeReadings(t, ctx, c, "q/sensors", base, 300, 100)
	if q, err = c.StartQuery(ctx, "avg"); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "9 results after the start", 20*time.Second, func() bool {
		q, err = c.GetQuery(ctx, "avg")
		if err == nil && q.ResultsOut == 9 && q.EventsIn == 400 {
			return true
		}
		t.Logf("query %+v", q)
		return false
	})

	// A new version goes on from there.
	q, _, err = c.DeployQuery(ctx, "avg", strings.Replace(text, "avg(temp)", "max(temp)", 1), braid.WithReplace())
	if err != nil || q.Version != 2 || len(q.Versions) != 2 {
		t.Fatalf("replace: %+v, %v", q, err)
	}
	if err := c.DeleteQuery(ctx, "avg", true); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetQuery(ctx, "avg"); !errors.Is(err, braid.ErrNotFound) {
		t.Fatalf("describe after delete: %v", err)
	}
	for _, s := range []string{"q/avg-results", "q/avg-state"} {
		if _, err := c.GetStream(ctx, s); !errors.Is(err, braid.ErrNotFound) {
			t.Fatalf("stream %s after the delete: %v", s, err)
		}
	}
}

// TestQueryBadInput: what is wrong with a query is refused with its line
// and column; events that are not JSON are counted and skipped.
func TestQueryBadInput(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 60*time.Second)
	createStream(t, c, "q/in", 1)
	writeReadings(t, ctx, c, "q/in", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 0, 10)
	for _, tc := range []struct {
		sql        string
		line, col  int
		msgContain string
	}{
		{"SELECT sensor\nFROM q.in\nWHERE temp >", 3, 13, "expression"},
		{"SELECT sensor FROM q.nope", 1, 20, "does not exist"},
		{"SELECT sensor, tmp FROM q.in", 1, 16, `"tmp"`},
		{"SELECT sensor, count(*) FROM q.in GROUP BY sensor", 0, 0, "without bound"},
		{"SELECT sensor FROM q.in WHERE 'a' + 1 > 0", 1, 0, "+"},
	} {
		v, err := c.ValidateQuery(ctx, "bad", tc.sql, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Problems) != 1 {
			t.Fatalf("%q: problems %+v, want one", tc.sql, v.Problems)
		}
		p := v.Problems[0]
		if !strings.Contains(p.Message, tc.msgContain) || (tc.line > 0 && p.Line != tc.line) || (tc.col > 0 && p.Column != tc.col) {
			t.Fatalf("%q: problem %s, want line %d column %d containing %q", tc.sql, p, tc.line, tc.col, tc.msgContain)
		}
		_, _, err = c.DeployQuery(ctx, "bad", tc.sql)
		if !errors.Is(err, braid.ErrInvalidArgument) || !strings.Contains(err.Error(), tc.msgContain) {
			t.Fatalf("deploy %q: %v, want INVALID_ARGUMENT with %q", tc.sql, err, tc.msgContain)
		}
	}
	// A field in no event yet deploys with force, with a warning.
	if _, warnings, err := c.DeployQuery(ctx, "later", "SELECT sensor, tmp FROM q.in", braid.WithForce()); err != nil || len(warnings) != 1 {
		t.Fatalf("forced deploy: %v, warnings %v", err, warnings)
	}

	// Events that are not JSON objects are counted, the rest goes on.
	if _, _, err := c.DeployQuery(ctx, "pass", "SELECT sensor, temp FROM q.in WHERE temp >= 5"); err != nil {
		t.Fatal(err)
	}
	w, err := c.NewWriter(ctx, "q/in")
	if err != nil {
		t.Fatal(err)
	}
	w.Write(ctx, "x", []byte("not json"))
	w.Write(ctx, "x", []byte(`[1,2]`))
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	var q braid.QueryInfo
	waitUntil(t, "the bad events counted", 20*time.Second, func() bool {
		q, err = c.GetQuery(ctx, "pass")
		return err == nil && q.EventsIn == 12
	})
	if q.BadJSON != 2 || q.Matched != 5 || q.LastError == "" {
		t.Fatalf("query %+v: want 2 bad JSON, 5 matched, a last error", q)
	}
	waitUntil(t, "5 results", 10*time.Second, func() bool { return len(results(t, c, q)) == 5 })
}

// TestQueryHTTP: deploy over HTTP (problems with their place), list, and
// live results over SSE.
func TestQueryHTTP(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 60*time.Second)
	createStream(t, c, "h/sensors", 1)
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	writeReadings(t, ctx, c, "h/sensors", base, 0, 50)
	url := "http://" + ts.HTTPAddr()
	post := func(path, body string) (int, map[string]any) {
		t.Helper()
		resp, err := http.Post(url+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, m
	}
	st, m := post("/v1/queries", `{"name":"h","sql":"SELECT sensor,\n  count(* AS n FROM h.sensors"}`)
	if st != 400 {
		t.Fatalf("deploy of a bad query: %d %v", st, m)
	}
	ps, _ := m["problems"].([]any)
	if len(ps) != 1 || ps[0].(map[string]any)["line"] != float64(2) {
		t.Fatalf("problems %v, want one at line 2", m["problems"])
	}
	sql := `SELECT sensor, count(*) AS n FROM h.sensors GROUP BY TUMBLE(ts, INTERVAL '100' MILLISECOND), sensor WITH (idle_timeout = '0')`
	body, _ := json.Marshal(map[string]any{"name": "h", "sql": sql})
	if st, m := post("/v1/queries", string(body)); st != 201 || m["name"] != "h" {
		t.Fatalf("deploy: %d %v", st, m)
	}
	req, _ := http.NewRequestWithContext(ctx, "GET", url+"/v1/queries/h/results", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("results content type %q", ct)
	}
	// Live: the results of events written from now on come. The
	// stream opens with the position it starts at.
	sc := bufio.NewScanner(resp.Body)
	if !sc.Scan() || !strings.HasPrefix(sc.Text(), "id: ") {
		t.Fatalf("the results stream opens with %q, want its position", sc.Text())
	}
	writeReadings(t, ctx, c, "h/sensors", base, 50, 100)
	n := 0
	for n < 10 && sc.Scan() {
		line := sc.Text()
		if d, ok := strings.CutPrefix(line, "data: "); ok {
			var ev struct {
				Data string `json:"data"`
			}
			if err := json.Unmarshal([]byte(d), &ev); err != nil || !strings.Contains(ev.Data, `"window_start"`) {
				t.Fatalf("SSE data %q: %v", d, err)
			}
			n++
		}
	}
	if n < 10 {
		t.Fatalf("got %d results over SSE: %v", n, sc.Err())
	}
	resp.Body.Close()
	lresp, err := http.Get(url + "/v1/queries")
	if err != nil {
		t.Fatal(err)
	}
	defer lresp.Body.Close()
	b, _ := io.ReadAll(lresp.Body)
	var list struct {
		Queries []struct {
			Name, State string
		} `json:"queries"`
	}
	if err := json.Unmarshal(b, &list); err != nil || len(list.Queries) != 1 || list.Queries[0].Name != "h" || list.Queries[0].State != "running" {
		t.Fatalf("list: %v: %s", err, b)
	}
}

// TestQueryLateToStream: events behind the watermark by more than the
// allowed lateness go, as they were, to the late stream, and are counted.
func TestQueryLateToStream(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 60*time.Second)
	createStream(t, c, "q/in", 1)
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	writeReadings(t, ctx, c, "q/in", base, 0, 300) // 0 to 2.99 s
	const text = `SELECT sensor, count(*) AS n FROM q.in
GROUP BY TUMBLE(ts, INTERVAL '1' SECOND), sensor
WITH (idle_timeout = '0', allowed_lateness = '500ms', late = 'q.late')`
	if _, _, err := c.DeployQuery(ctx, "lq", text); err != nil {
		t.Fatal(err)
	}
	// 0.2 s is in [0,1), closed at 1.5 s: late. 2.2 s is in [2,3), open.
	writeReadings(t, ctx, c, "q/in", base, 20, 1)
	writeReadings(t, ctx, c, "q/in", base, 220, 1)
	var q braid.QueryInfo
	var err error
	waitUntil(t, "the late event counted", 20*time.Second, func() bool {
		q, err = c.GetQuery(ctx, "lq")
		return err == nil && q.EventsIn == 302
	})
	if q.Late != 1 || q.LateOutput != "q/late" {
		t.Fatalf("query %+v: want 1 late event, to q/late", q)
	}
	var late []braid.Event
	waitUntil(t, "the late event in q/late", 10*time.Second, func() bool {
		late = readAll(t, c, "q/late", braid.FromHead(), braid.UntilTail())
		return len(late) == 1
	})
	if !strings.Contains(string(late[0].Data), `"ts":"2026-01-01T00:00:00.2Z"`) {
		t.Fatalf("late event %s", late[0].Data)
	}
}

// TestQueryNoOutput: a query whose events pass its WHERE but whose windows
// never close (its event time does not move) says so in its health.
func TestQueryNoOutput(t *testing.T) {
	t.Parallel()
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 60*time.Second)
	createStream(t, c, "q/stuck", 1)
	w, err := c.NewWriter(ctx, "q/stuck")
	if err != nil {
		t.Fatal(err)
	}
	for range 10 {
		w.Write(ctx, "k", []byte(`{"sensor":"s","ts":"2026-01-01T00:00:00Z"}`))
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.DeployQuery(ctx, "stuck", `SELECT sensor, count(*) AS n FROM q.stuck GROUP BY TUMBLE(ts, INTERVAL '1' SECOND), sensor WITH (idle_timeout = '0')`); err != nil {
		t.Fatal(err)
	}
	var q braid.QueryInfo
	waitUntil(t, "health no_output", 30*time.Second, func() bool {
		q, err = c.GetQuery(ctx, "stuck")
		return err == nil && q.Health == "no_output"
	})
	if !strings.Contains(q.HealthDetail, "no window closed") {
		t.Fatalf("health detail %q", q.HealthDetail)
	}
}

// TestQueryResultsShared: two live subscribers of a query's results get
// the same results from one feed; one that reconnects with its last id
// goes on just after it, nothing missed or repeated.
func TestQueryResultsShared(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 60*time.Second)
	createStream(t, c, "q/sh", 1)
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	writeReadings(t, ctx, c, "q/sh", base, 0, 10)
	if _, _, err := c.DeployQuery(ctx, "sh", `SELECT sensor, count(*) AS n FROM q.sh GROUP BY TUMBLE(ts, INTERVAL '100' MILLISECOND), sensor WITH (idle_timeout = '0')`); err != nil {
		t.Fatal(err)
	}
	type sub struct {
		resp *http.Response
		sc   *bufio.Scanner
	}
	open := func(lastID string) sub {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+ts.HTTPAddr()+"/v1/queries/sh/results", nil)
		if lastID != "" {
			req.Header.Set("Last-Event-ID", lastID)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		s := sub{resp, bufio.NewScanner(resp.Body)}
		if !s.sc.Scan() || !strings.HasPrefix(s.sc.Text(), "id: ") {
			t.Fatalf("the results stream opens with %q", s.sc.Text())
		}
		return s
	}
	// next returns the next result's id and data.
	next := func(s sub) (string, string) {
		t.Helper()
		id := ""
		for s.sc.Scan() {
			line := s.sc.Text()
			if v, ok := strings.CutPrefix(line, "id: "); ok {
				id = v
			}
			if v, ok := strings.CutPrefix(line, "data: "); ok {
				return id, v
			}
		}
		t.Fatalf("the results stream ended: %v", s.sc.Err())
		return "", ""
	}
	a, b := open(""), open("")
	writeReadings(t, ctx, c, "q/sh", base, 10, 200) // 2 s: about 57 results
	var ids []string
	var datas []string
	for range 20 {
		ia, da := next(a)
		ib, db := next(b)
		if ia != ib || da != db {
			t.Fatalf("the subscribers differ: %s %s / %s %s", ia, da, ib, db)
		}
		ids, datas = append(ids, ia), append(datas, da)
	}
	// b leaves after result 10 and comes back with its id.
	b.resp.Body.Close()
	b = open(ids[9])
	for i := 10; i < 20; i++ {
		id, d := next(b)
		if id != ids[i] || d != datas[i] {
			t.Fatalf("after the resume, result %d is %s %s, want %s %s", i, id, d, ids[i], datas[i])
		}
	}
}
