package engine

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/query/sql"
)

// Syntax-tree builders for tests.

func fld(path string) *sql.Field { return &sql.Field{Path: strings.Split(path, ".")} }
func lit(v any) *sql.Literal     { return &sql.Literal{Value: v} }
func bin(op string, l, r sql.Expr) *sql.Binary {
	return &sql.Binary{Op: op, L: l, R: r}
}
func call(name string, args ...sql.Expr) *sql.Call { return &sql.Call{Name: name, Args: args} }
func countStar() *sql.Call                         { return &sql.Call{Name: "count", Star: true} }
func item(name string, x sql.Expr) sql.SelectItem  { return sql.SelectItem{Name: name, Expr: x} }

// defaults are sql.Check's defaults.
func defaults() sql.Options {
	return sql.Options{
		Watermark:   sql.WatermarkDelay,
		IdleTimeout: 10 * time.Second,
		MaxFuture:   time.Hour,
		Late:        sql.LateDrop,
		MaxGroups:   100000,
		Start:       "earliest",
	}
}

// selectQuery is SELECT items FROM t.s [WHERE where], not aggregating.
func selectQuery(where sql.Expr, items ...sql.SelectItem) *sql.Query {
	return &sql.Query{Select: items, From: sql.StreamRef{Scope: "t", Stream: "s"}, Where: where, Options: defaults()}
}

// windowQuery is SELECT items FROM t.s GROUP BY w, groupBy.
func windowQuery(w *sql.Window, groupBy []sql.Expr, items ...sql.SelectItem) *sql.Query {
	return &sql.Query{Select: items, From: sql.StreamRef{Scope: "t", Stream: "s"}, Window: w,
		GroupBy: groupBy, Aggregates: true, Options: defaults()}
}

func tumble(size time.Duration) *sql.Window {
	return &sql.Window{Kind: sql.Tumble, Time: fld("ts"), Size: size}
}

// fakeClock is a settable wall clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func mustNew(t testing.TB, q *sql.Query, clock *fakeClock) *Engine {
	t.Helper()
	o := Options{}
	if clock != nil {
		o.Now = clock.Now
	}
	e, err := New(q, o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return e
}

func ev(data string) Event { return Event{Data: []byte(data), Pointer: "p"} }

// decode reads a result's JSON object; numbers as float64.
func decode(t testing.TB, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("result %s: %v", b, err)
	}
	return m
}

// keysInOrder lists a JSON object's keys in order.
func keysInOrder(t testing.TB, b []byte) []string {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(string(b)))
	if _, err := d.Token(); err != nil {
		t.Fatalf("result %s: %v", b, err)
	}
	var keys []string
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			t.Fatalf("result %s: %v", b, err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := d.Decode(&skip); err != nil {
			t.Fatalf("result %s: %v", b, err)
		}
	}
	return keys
}

// approxEqual compares decoded JSON values, numbers within a relative
// 1e-9.
func approxEqual(a, b any) bool {
	fa, oka := a.(float64)
	fb, okb := b.(float64)
	if oka && okb {
		return math.Abs(fa-fb) <= 1e-9*math.Max(1, math.Max(math.Abs(fa), math.Abs(fb)))
	}
	return fmt.Sprint(a) == fmt.Sprint(b)
}

// checkSums checks that every event ended in exactly one outcome.
func checkSums(t testing.TB, s Stats) {
	t.Helper()
	sum := s.Matched + s.Filtered + s.BadJSON + s.BadTime + s.TypeErrors + s.Late + s.Future + s.DroppedGroups
	if sum != s.EventsIn {
		t.Fatalf("outcomes add up to %d, EventsIn %d: %+v", sum, s.EventsIn, s)
	}
}

// datas lists results' Data as text.
func datas(rs []Result) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r.Data)
	}
	return out
}
