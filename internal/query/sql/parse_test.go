package sql

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

func item(e Expr, name string) SelectItem { return SelectItem{Expr: e, Name: name} }

func ref(scope, stream string) StreamRef { return StreamRef{Scope: scope, Stream: stream} }

// goodQueries parse and check; want is the tree without positions (zero
// Options stand for DefaultOptions).
var goodQueries = []struct {
	name string
	text string
	want *Query
}{
	{
		name: "tumbling average per sensor",
		text: `SELECT sensor, window_start, window_end, avg(temp) AS avg_temp, count(*) AS readings
FROM plant.readings
GROUP BY sensor, TUMBLE(ts, INTERVAL '10' SECOND)`,
		want: &Query{
			Select: []SelectItem{
				item(fld("sensor"), "sensor"), item(windowStart, "window_start"), item(windowEnd, "window_end"),
				item(call("avg", fld("temp")), "avg_temp"), item(&Call{Name: "count", Star: true}, "readings"),
			},
			From:       ref("plant", "readings"),
			Window:     &Window{Kind: Tumble, Time: fld("ts"), Size: 10 * time.Second},
			GroupBy:    []Expr{fld("sensor")},
			Aggregates: true,
		},
	},
	{
		name: "hopping window with HAVING and EMIT EVERY",
		text: `select window_end, path, count(*) as hits, approx_percentile(latency_ms, 0.99) p99
from web.requests
where status >= 500
group by path, hop(_time, interval '1' minute, interval '10' minutes)
having count(*) > 100
emit every interval '5' second`,
		want: &Query{
			Select: []SelectItem{
				item(windowEnd, "window_end"), item(fld("path"), "path"),
				item(&Call{Name: "count", Star: true}, "hits"),
				item(call("approx_percentile", fld("latency_ms"), num(0.99)), "p99"),
			},
			From:       ref("web", "requests"),
			Where:      bin(">=", fld("status"), num(500)),
			Window:     &Window{Kind: Hop, Time: appendTime, Slide: time.Minute, Size: 10 * time.Minute},
			GroupBy:    []Expr{fld("path")},
			Having:     bin(">", &Call{Name: "count", Star: true}, num(100)),
			Emit:       Emit{Every: 5 * time.Second},
			Aggregates: true,
		},
	},
	{
		name: "session per user with options",
		text: `SELECT user.id AS user_id, window_start, count(*) AS clicks, count(DISTINCT page) AS pages,
       first(page) AS entry, last(page) AS exit
FROM "shop-1".clicks
GROUP BY user.id, SESSION(ts, INTERVAL '30' MINUTE, INTERVAL '4' HOUR)
EMIT FINAL
WITH (watermark_delay = '5s', allowed_lateness = INTERVAL '1' MINUTE, late = 'shop-1.late-clicks',
      output = 'shop-1.sessions', idle_timeout = 0, max_future = '2h', max_groups = 5000,
      start = 'latest', watermark = 'delay');`,
		want: &Query{
			Select: []SelectItem{
				item(fld("user", "id"), "user_id"), item(windowStart, "window_start"),
				item(&Call{Name: "count", Star: true}, "clicks"),
				item(&Call{Name: "count", Distinct: true, Args: []Expr{fld("page")}}, "pages"),
				item(call("first", fld("page")), "entry"), item(call("last", fld("page")), "exit"),
			},
			From:    ref("shop-1", "clicks"),
			Window:  &Window{Kind: Session, Time: fld("ts"), Gap: 30 * time.Minute, MaxDuration: 4 * time.Hour},
			GroupBy: []Expr{fld("user", "id")},
			Options: Options{
				Watermark: WatermarkDelay, WatermarkDelay: 5 * time.Second, AllowedLateness: time.Minute,
				IdleTimeout: 0, MaxFuture: 2 * time.Hour, Late: LateStream, LateStream: "shop-1/late-clicks",
				Output: "shop-1/sessions", MaxGroups: 5000, Start: StartLatest,
			},
			Aggregates: true,
		},
	},
	{
		name: "count window",
		text: `SELECT device, avg(v) FROM iot.m GROUP BY COUNT_WINDOW(100), device WITH (late = 'drop', watermark = 'SOURCE')`,
		want: &Query{
			Select:  []SelectItem{item(fld("device"), "device"), item(call("avg", fld("v")), "avg(v)")},
			From:    ref("iot", "m"),
			Window:  &Window{Kind: Count, Count: 100},
			GroupBy: []Expr{fld("device")},
			Options: func() Options {
				o := DefaultOptions()
				o.Watermark = WatermarkSource
				return o
			}(),
			Aggregates: true,
		},
	},
	{
		name: "filter and project",
		text: `SELECT *, _time, lower(name) AS n, "odd field", a."b c".d
FROM my-scope.2026-events -- a comment
WHERE /* block
comment */ kind = 'click' AND NOT (x IS NULL)`,
		want: &Query{
			Select: []SelectItem{
				{Star: true, Name: "*"}, item(appendTime, "_time"), item(call("lower", fld("name")), "n"),
				item(fld("odd field"), "odd field"), item(fld("a", "b c", "d"), "d"),
			},
			From:  ref("my-scope", "2026-events"),
			Where: bin("AND", bin("=", fld("kind"), str("click")), not(isNull(fld("x"), false))),
		},
	},
	{
		name: "precedence of arithmetic, concatenation and logic",
		text: `SELECT a + b * c - d % 2 AS v, 'x' || 1 + 2 AS s FROM s.t WHERE a OR b AND NOT c = d OR e <> f AND g != h`,
		want: &Query{
			Select: []SelectItem{
				item(bin("-", bin("+", fld("a"), bin("*", fld("b"), fld("c"))), bin("%", fld("d"), num(2))), "v"),
				item(bin("||", str("x"), bin("+", num(1), num(2))), "s"),
			},
			From: ref("s", "t"),
			Where: bin("OR", bin("OR", fld("a"), bin("AND", fld("b"), not(bin("=", fld("c"), fld("d"))))),
				bin("AND", bin("<>", fld("e"), fld("f")), bin("<>", fld("g"), fld("h")))),
		},
	},
	{
		name: "predicates",
		text: `SELECT x FROM s.t WHERE x BETWEEN 1 AND 10 AND y NOT BETWEEN 'a' AND 'b'
  AND z IN (1, 2, 3) AND w NOT IN ('a') AND u LIKE 'ab%' AND v NOT LIKE '_x' AND q IS NOT NULL`,
		want: &Query{
			Select: []SelectItem{item(fld("x"), "x")},
			From:   ref("s", "t"),
			Where: bin("AND", bin("AND", bin("AND", bin("AND", bin("AND", bin("AND",
				bin("AND", bin(">=", fld("x"), num(1)), bin("<=", fld("x"), num(10))),
				bin("OR", bin("<", fld("y"), str("a")), bin(">", fld("y"), str("b")))),
				in(fld("z"), false, num(1), num(2), num(3))),
				in(fld("w"), true, str("a"))),
				like(fld("u"), str("ab%"), false)),
				like(fld("v"), str("_x"), true)),
				isNull(fld("q"), true)),
		},
	},
	{
		name: "literals",
		text: `SELECT 1.5 a, 2e3 b, .5 c, -7 d, - -7 e, 'it''s' f, TRUE g, false h, NULL i, -x j, 1E-2 k FROM s.t`,
		want: &Query{
			Select: []SelectItem{
				item(num(1.5), "a"), item(num(2000), "b"), item(num(0.5), "c"), item(num(-7), "d"),
				item(num(7), "e"), item(str("it's"), "f"), item(boolean(true), "g"), item(boolean(false), "h"),
				item(null(), "i"), item(neg(fld("x")), "j"), item(num(0.01), "k"),
			},
			From: ref("s", "t"),
		},
	},
	{
		name: "intervals",
		text: `SELECT INTERVAL '5' SECOND a, INTERVAL '1.5 seconds' b, INTERVAL '500ms' c, INTERVAL 5 MINUTES d,
  INTERVAL '1m30s' e, INTERVAL '2 days' f, INTERVAL '250' MILLISECOND g, INTERVAL '1.5' HOUR h, INTERVAL '3' DAYS i FROM s.t`,
		want: &Query{
			Select: []SelectItem{
				item(ival(5*time.Second), "a"), item(ival(1500*time.Millisecond), "b"), item(ival(500*time.Millisecond), "c"),
				item(ival(5*time.Minute), "d"), item(ival(90*time.Second), "e"), item(ival(48*time.Hour), "f"),
				item(ival(250*time.Millisecond), "g"), item(ival(90*time.Minute), "h"), item(ival(72*time.Hour), "i"),
			},
			From: ref("s", "t"),
		},
	},
	{
		name: "case and cast",
		text: `SELECT CASE WHEN t > 30 THEN 'hot' WHEN t < 0 THEN 'cold' ELSE 'ok' END AS c,
  CASE k WHEN 1 THEN 'one' END AS d, CAST(x AS INT) AS e, CAST(y AS varchar) AS f, CAST(z AS Bool) AS g FROM s.t`,
		want: &Query{
			Select: []SelectItem{
				item(caseOf(str("ok"), when(bin(">", fld("t"), num(30)), str("hot")), when(bin("<", fld("t"), num(0)), str("cold"))), "c"),
				item(caseOf(nil, when(bin("=", fld("k"), num(1)), str("one"))), "d"),
				item(cast(fld("x"), "number"), "e"), item(cast(fld("y"), "string"), "f"), item(cast(fld("z"), "boolean"), "g"),
			},
			From: ref("s", "t"),
		},
	},
	{
		name: "scalar functions, names from text",
		text: `SELECT upper(a), coalesce(b, 'none'), round(c, 2), substr(d, 1, 3), to_timestamp(ms), power(2, x), greatest(a, b, c) FROM "s"."t"`,
		want: &Query{
			Select: []SelectItem{
				item(call("upper", fld("a")), "upper(a)"), item(call("coalesce", fld("b"), str("none")), "coalesce(b, 'none')"),
				item(call("round", fld("c"), num(2)), "round(c, 2)"), item(call("substr", fld("d"), num(1), num(3)), "substr(d, 1, 3)"),
				item(call("to_timestamp", fld("ms")), "to_timestamp(ms)"), item(call("power", num(2), fld("x")), "power(2, x)"),
				item(call("greatest", fld("a"), fld("b"), fld("c")), "greatest(a, b, c)"),
			},
			From: ref("s", "t"),
		},
	},
	{
		name: "grouped expressions and aggregates of expressions",
		text: `SELECT lower(region) || '!' AS r, sum(price * qty) AS revenue, max(price) - min(price) AS spread, window_end - window_start AS len
FROM shop.orders GROUP BY lower(region), TUMBLE(created_at, INTERVAL '1' HOUR) HAVING sum(price * qty) > 0 AND lower(region) <> 'x'`,
		want: &Query{
			Select: []SelectItem{
				item(bin("||", call("lower", fld("region")), str("!")), "r"),
				item(call("sum", bin("*", fld("price"), fld("qty"))), "revenue"),
				item(bin("-", call("max", fld("price")), call("min", fld("price"))), "spread"),
				item(bin("-", windowEnd, windowStart), "len"),
			},
			From:       ref("shop", "orders"),
			Window:     &Window{Kind: Tumble, Time: fld("created_at"), Size: time.Hour},
			GroupBy:    []Expr{call("lower", fld("region"))},
			Having:     bin("AND", bin(">", call("sum", bin("*", fld("price"), fld("qty"))), num(0)), bin("<>", call("lower", fld("region")), str("x"))),
			Aggregates: true,
		},
	},
	{
		name: "keywords in any case, a window alone in GROUP BY",
		text: "Select Count(*) AS n From S.T Group By Tumble(_TIME, Interval '1' Day)",
		want: &Query{
			Select:     []SelectItem{item(&Call{Name: "count", Star: true}, "n")},
			From:       ref("S", "T"),
			Window:     &Window{Kind: Tumble, Time: appendTime, Size: 24 * time.Hour},
			Aggregates: true,
		},
	},
	{
		name: "keyword-named fields quoted, functions as field names",
		text: `SELECT "end", "from".x, count, a.end AS e FROM s.t WHERE "window_start" > 0`,
		want: &Query{
			Select: []SelectItem{item(fld("end"), "end"), item(fld("from", "x"), "x"), item(fld("count"), "count"), item(fld("a", "end"), "e")},
			From:   ref("s", "t"),
			Where:  bin(">", fld("window_start"), num(0)),
		},
	},
}

func TestParseGood(t *testing.T) {
	for _, c := range goodQueries {
		t.Run(c.name, func(t *testing.T) {
			q, err := Parse(c.text)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			want := *c.want
			if want.Options == (Options{}) {
				want.Options = DefaultOptions()
			}
			clearQueryPos(q)
			if !reflect.DeepEqual(q, &want) {
				t.Errorf("got  %s\nwant %s", dump(q), dump(&want))
			}
		})
	}
}

// dump prints a query's parts for a failure message.
func dump(q *Query) string {
	var b strings.Builder
	for _, it := range q.Select {
		if it.Star {
			b.WriteString("* ")
		} else {
			b.WriteString(it.Expr.String() + " AS " + it.Name + ", ")
		}
	}
	b.WriteString("FROM " + q.From.String())
	if q.Where != nil {
		b.WriteString(" WHERE " + q.Where.String())
	}
	if q.Window != nil {
		b.WriteString(" WINDOW " + q.Window.String())
	}
	for _, g := range q.GroupBy {
		b.WriteString(" GROUP " + g.String())
	}
	if q.Having != nil {
		b.WriteString(" HAVING " + q.Having.String())
	}
	fmt.Fprintf(&b, " emit=%+v options=%+v aggregates=%v", q.Emit, q.Options, q.Aggregates)
	return b.String()
}

func TestPositions(t *testing.T) {
	text := "SELECT a,\n  lower(b) AS c\nFROM s.t\nWHERE x + 1 > 2 AND y BETWEEN 1 AND 2"
	q, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, got, want Pos) {
		t.Helper()
		if got != want {
			t.Errorf("%s at %v, want %v", what, got, want)
		}
	}
	check("item a", q.Select[0].Pos, Pos{1, 8})
	check("item lower(b)", q.Select[1].Pos, Pos{2, 3})
	check("FROM", q.From.Pos, Pos{3, 6})
	and := q.Where.(*Binary)
	check("AND", and.Pos, Pos{4, 17})
	gt := and.L.(*Binary)
	check(">", gt.Pos, Pos{4, 13})
	check("+", gt.L.Position(), Pos{4, 9})
	check("start of x + 1", StartPos(gt), Pos{4, 7})
	check("BETWEEN", and.R.Position(), Pos{4, 23})
}

func TestError(t *testing.T) {
	_, err := Parse("SELECT\n  x,\n  avgg(temp)\nFROM s.t")
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %T %v, want *Error", err, err)
	}
	if want := `line 3, column 3: unknown function "avgg" (did you mean avg?)`; err.Error() != want {
		t.Errorf("got %q, want %q", err.Error(), want)
	}
}
