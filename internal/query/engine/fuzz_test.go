package engine

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// FuzzProcess feeds arbitrary bytes, split at newlines into events, to a
// windowed query and to a projection. It checks that nothing panics, that
// the counters add up, that results are JSON objects, that exactly the
// payloads encoding/json takes as objects are taken, and that the fields
// read are those encoding/json reads.
func FuzzProcess(f *testing.F) {
	for _, s := range []string{
		`{"sensor":"a","ts":1000,"temp":21.5,"name":"x","v":1}`,
		`{"sensor":"a","ts":"1970-01-01T00:00:02Z","temp":"hot"}` + "\n" + `{"sensor":"b","ts":500}`,
		`{"a":{"b":{"c":[1,{"d":null}]}},"x y":"\u00e9\ud83d\ude00","a":1e400}`,
		`{"sensor":7,"ts":-5,"hum":-1}` + "\n" + `[1]` + "\n" + `{"ts":3000,"v":true,"v":false}`,
		"{\"b\":{\"c\":\"\xff\\ud800\"},\"b\":{\"c\":0.1e-2}}",
		`{"ts":1e3,"temp":1,"sensor":"a","name":"n"}` + "\n" + `{"ts":10000,"sensor":"a"}`,
	} {
		f.Add([]byte(s))
	}
	agg := mustParse(f, `SELECT sensor, count(*) AS n, avg(temp) AS a, min(name) AS m, count_distinct(v) AS d,
		approx_percentile(temp, 0.5) AS p, first(v) AS fv FROM t.s WHERE coalesce(hum, 0) >= 0
		GROUP BY TUMBLE(ts, INTERVAL '1' SECOND), sensor EMIT EVERY INTERVAL '1' SECOND
		WITH (late = 't.late', watermark_delay = '500ms', max_groups = 5)`)
	proj := mustParse(f, `SELECT a, b.c AS c, "x y" AS xy, a.b AS ab FROM t.s`)
	f.Fuzz(func(t *testing.T, data []byte) {
		clock := newClock()
		clock.t = time.UnixMilli(0)
		ea := mustNew(t, agg, clock)
		ep := mustNew(t, proj, clock)
		objects := 0
		pieces := bytes.Split(data, []byte("\n"))
		if len(pieces) > 16 {
			pieces = pieces[:16]
		}
		for i, p := range pieces {
			ev := Event{Data: p, Pointer: "p", AppendTime: time.UnixMilli(int64(i))}
			ea.Process(ev)
			ep.Process(ev)
			clock.Add(400 * time.Millisecond)
			ea.Tick()
			var m map[string]any
			isObject := json.Valid(p) && json.Unmarshal(p, &m) == nil && m != nil
			if !isObject {
				// Valid JSON that Unmarshal refuses (a number out of
				// range) is still an object to the engine.
				trimmed := bytes.TrimLeft(p, " \t\r\n")
				if json.Valid(p) && len(trimmed) > 0 && trimmed[0] == '{' {
					objects++
				}
				continue
			}
			objects++
			res := ep.TakeResults()
			if len(res) != 1 {
				t.Fatalf("%q: %d results", p, len(res))
			}
			var got map[string]any
			if err := json.Unmarshal(res[0].Data, &got); err != nil {
				t.Fatalf("%q gave %q: %v", p, res[0].Data, err)
			}
			want := map[string]any{"a": m["a"], "c": nil, "xy": m["x y"], "ab": nil}
			if a, ok := m["a"].(map[string]any); ok {
				want["ab"] = a["b"]
			}
			if b, ok := m["b"].(map[string]any); ok {
				want["c"] = b["c"]
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%q: got %v, want %v", p, got, want)
			}
		}
		ep.TakeResults()
		clock.Add(time.Hour)
		ea.Tick()
		for _, e := range []*Engine{ea, ep} {
			s := e.Stats()
			checkSums(t, s)
			if s.EventsIn != int64(len(pieces)) || s.EventsIn-s.BadJSON != int64(objects) {
				t.Fatalf("stats %+v, %d objects", s, objects)
			}
			for _, r := range e.TakeResults() {
				var m map[string]any
				if err := json.Unmarshal(r.Data, &m); err != nil {
					t.Fatalf("result %q: %v", r.Data, err)
				}
			}
		}
	})
}
