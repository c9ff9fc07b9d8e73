package engine

import (
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/query/sql"
)

// evalOne runs SELECT x AS v over one event; it returns v's JSON text, or
// "ERR" for a type error.
func evalOne(t *testing.T, x sql.Expr, data string) string {
	t.Helper()
	e := mustNew(t, selectQuery(nil, item("v", x)), nil)
	e.Process(ev(data))
	res := e.TakeResults()
	if s := e.Stats(); s.TypeErrors > 0 {
		if !strings.Contains(s.LastError, "(event p)") {
			t.Errorf("LastError %q does not name the event", s.LastError)
		}
		return "ERR"
	} else if len(res) != 1 {
		t.Fatalf("%s over %s: %d results, stats %+v", x, data, len(res), s)
	}
	d := string(res[0].Data)
	if !strings.HasPrefix(d, `{"v":`) || !strings.HasSuffix(d, "}") {
		t.Fatalf("result %s", d)
	}
	return d[len(`{"v":`) : len(d)-1]
}

func TestExpressions(t *testing.T) {
	const data = `{"n":7,"f":2.5,"s":"abc","num":"12.5","b":true,"z":null,"o":{"p":{"q":3}},"arr":[1,2],"t":"2026-01-01T00:00:00Z","u":"h\u00e9llo"}`
	dur := func(d time.Duration) sql.Expr { return lit(d) }
	cases := []struct {
		x    sql.Expr
		want string
	}{
		{bin("+", fld("n"), lit(1.0)), "8"},
		{bin("*", fld("f"), lit(2.0)), "5"},
		{bin("/", fld("n"), lit(2.0)), "3.5"},
		{bin("/", fld("n"), lit(0.0)), "null"},
		{bin("%", fld("n"), lit(3.0)), "1"},
		{bin("+", fld("s"), lit(1.0)), "ERR"},
		{bin("+", fld("missing"), lit(1.0)), "null"},
		{bin("+", fld("z"), lit(1.0)), "null"},
		{&sql.Unary{Op: "-", X: fld("n")}, "-7"},
		{&sql.Unary{Op: "-", X: fld("s")}, "ERR"},
		{&sql.Unary{Op: "NOT", X: fld("b")}, "false"},
		{&sql.Unary{Op: "NOT", X: fld("n")}, "ERR"},
		// Comparisons: same types order; = and <> across types.
		{bin("=", fld("num"), lit(12.5)), "false"},
		{bin("<>", fld("num"), lit(12.5)), "true"},
		{bin("<", fld("num"), lit(12.5)), "ERR"},
		{bin("<", fld("s"), lit("abd")), "true"},
		{bin(">=", fld("n"), lit(7.0)), "true"},
		{bin("<", lit(false), fld("b")), "true"},
		{bin("=", fld("missing"), lit(1.0)), "null"},
		{bin("=", fld("o.p.q"), lit(3.0)), "true"},
		{bin("=", fld("arr"), lit(1.0)), "false"},
		{bin("<", fld("arr"), fld("arr")), "ERR"},
		{bin(">", fld("t"), lit("2025-12-31T23:59:59Z")), "true"}, // string with string
		{bin(">", call("to_timestamp", fld("t")), lit("2025-12-31T23:59:59Z")), "true"},
		// Three-valued logic.
		{bin("AND", fld("missing"), lit(false)), "false"},
		{bin("AND", fld("missing"), lit(true)), "null"},
		{bin("OR", fld("missing"), lit(true)), "true"},
		{bin("OR", fld("missing"), lit(false)), "null"},
		{bin("AND", fld("b"), fld("n")), "ERR"},
		{bin("OR", fld("b"), fld("n")), "true"}, // decided on the left
		{&sql.IsNull{X: fld("missing")}, "true"},
		{&sql.IsNull{X: fld("z")}, "true"},
		{&sql.IsNull{X: fld("n"), Not: true}, "true"},
		{&sql.In{X: fld("n"), List: []sql.Expr{lit(1.0), lit(7.0)}}, "true"},
		{&sql.In{X: fld("n"), List: []sql.Expr{lit(1.0), lit(nil)}}, "null"},
		{&sql.In{X: fld("n"), List: []sql.Expr{lit(1.0)}, Not: true}, "true"},
		{&sql.In{X: fld("s"), List: []sql.Expr{lit("abc")}}, "true"},
		{&sql.Like{X: fld("s"), Pattern: lit("a%")}, "true"},
		{&sql.Like{X: fld("s"), Pattern: lit("_b_")}, "true"},
		{&sql.Like{X: fld("s"), Pattern: lit("%c%d")}, "false"},
		{&sql.Like{X: fld("u"), Pattern: lit("h_llo")}, "true"},
		{&sql.Like{X: fld("s"), Pattern: lit("a%"), Not: true}, "false"},
		{&sql.Like{X: fld("n"), Pattern: lit("7")}, "ERR"},
		{&sql.Case{Whens: []sql.When{{Cond: bin(">", fld("n"), lit(10.0)), Then: lit("big")}, {Cond: fld("b"), Then: lit("yes")}}}, `"yes"`},
		{&sql.Case{Whens: []sql.When{{Cond: fld("missing"), Then: lit(1.0)}}, Else: lit(2.0)}, "2"},
		{&sql.Case{Whens: []sql.When{{Cond: fld("n"), Then: lit(1.0)}}}, "ERR"},
		{bin("||", fld("s"), fld("n")), `"abc7"`},
		{bin("||", fld("s"), fld("missing")), "null"},
		// CAST.
		{&sql.Cast{X: fld("num"), Type: "number"}, "12.5"},
		{&sql.Cast{X: fld("s"), Type: "number"}, "ERR"},
		{&sql.Cast{X: fld("n"), Type: "string"}, `"7"`},
		{&sql.Cast{X: fld("o"), Type: "string"}, `"{\"p\":{\"q\":3}}"`},
		{&sql.Cast{X: lit("TRUE"), Type: "boolean"}, "true"},
		{&sql.Cast{X: fld("missing"), Type: "number"}, "null"},
		// Functions.
		{call("lower", lit("AbC")), `"abc"`},
		{call("upper", fld("s")), `"ABC"`},
		{call("length", fld("u")), "5"},
		{call("length", fld("n")), "ERR"},
		{call("trim", lit("  x ")), `"x"`},
		{call("substr", lit("hello"), lit(2.0), lit(3.0)), `"ell"`},
		{call("substr", lit("hello"), lit(0.0), lit(2.0)), `"h"`},
		{call("substr", lit("hello"), lit(4.0)), `"lo"`},
		{call("concat", fld("s"), fld("missing"), fld("n")), `"abc7"`},
		{call("coalesce", fld("missing"), fld("z"), fld("n")), "7"},
		{call("abs", lit(-2.5)), "2.5"},
		{call("round", lit(2.345), lit(2.0)), "2.35"},
		{call("round", lit(-2.5)), "-3"},
		{call("floor", lit(-2.5)), "-3"},
		{call("ceil", lit(2.1)), "3"},
		{call("sqrt", lit(16.0)), "4"},
		{call("sqrt", lit(-1.0)), "null"},
		{call("ln", lit(0.0)), "null"},
		{call("exp", lit(0.0)), "1"},
		{call("power", lit(2.0), lit(10.0)), "1024"},
		{call("greatest", lit(1.0), fld("missing"), lit(3.0)), "3"},
		{call("least", lit("b"), lit("a")), `"a"`},
		{call("greatest", lit(1.0), lit("a")), "ERR"},
		{call("to_timestamp", lit(1500.0)), `"1970-01-01T00:00:01.500Z"`},
		{call("to_timestamp", fld("s")), "ERR"},
		{bin("+", &sql.AppendTime{}, dur(time.Minute)), "null"},
		{bin("=", call("to_timestamp", fld("t")), lit("2026-01-01T00:00:00.000Z")), "true"},
		// Values as they are.
		{fld("o"), `{"p":{"q":3}}`},
		{fld("o.p"), `{"q":3}`},
		{fld("arr"), `[1,2]`},
		{fld("missing"), "null"},
		{fld("u"), `"héllo"`},
	}
	for _, c := range cases {
		if got := evalOne(t, c.x, data); got != c.want {
			t.Errorf("%s = %s, want %s", c.x, got, c.want)
		}
	}
}

func TestWhereAndMissing(t *testing.T) {
	q := selectQuery(bin(">", fld("temp"), lit(20.0)), item("sensor", fld("sensor")), item("hum", fld("hum")))
	e := mustNew(t, q, nil)
	for _, d := range []string{
		`{"sensor":"a","temp":25,"hum":1}`,
		`{"sensor":"b","temp":15,"hum":1}`,
		`{"sensor":"c","hum":2}`,      // temp missing: WHERE is NULL
		`{"sensor":"d","temp":"hot"}`, // type error
		`{"sensor":"e","temp":30}`,    // hum missing
		`[1,2]`,                       // not an object
		`{"sensor":`,                  // not JSON
		`{"sensor":"f","temp":21,"hum":3}`,
	} {
		e.Process(ev(d))
	}
	res := e.TakeResults()
	if len(res) != 3 {
		t.Fatalf("%d results", len(res))
	}
	if got := string(res[1].Data); got != `{"sensor":"e","hum":null}` {
		t.Errorf("result %s", got)
	}
	s := e.Stats()
	checkSums(t, s)
	if s.Matched != 3 || s.Filtered != 2 || s.TypeErrors != 1 || s.BadJSON != 2 {
		t.Errorf("stats %+v", s)
	}
	// temp (in WHERE): missing from 1 of the 6 objects; hum: from 1 of
	// the 3 that passed.
	if s.Missing["temp"] != 1 || s.Missing["hum"] != 1 || s.Missing["sensor"] != 0 {
		t.Errorf("missing %v", s.Missing)
	}
	if !strings.Contains(s.LastError, "bad JSON") {
		t.Errorf("LastError %q", s.LastError)
	}
}

func TestStar(t *testing.T) {
	e := mustNew(t, selectQuery(nil, sql.SelectItem{Star: true, Name: "*"}), nil)
	e.Process(ev(" {\"a\": 1,\n \"b\":[2]} "))
	if r := e.TakeResults(); len(r) != 1 || string(r[0].Data) != "{\"a\": 1,\n \"b\":[2]}" || r[0].Key != "" {
		t.Fatalf("results %q", datas(r))
	}
	// * with other items: an item replaces the member of its name.
	q := selectQuery(nil, sql.SelectItem{Star: true, Name: "*"}, item("b", bin("+", fld("a"), lit(1.0))), item("c", lit("x")))
	e = mustNew(t, q, nil)
	e.Process(ev(`{"a":1,"b":5,"\u0063":0,"d":{"e":1}}`))
	e.Process(ev(`{}`))
	r := e.TakeResults()
	if len(r) != 2 || string(r[0].Data) != `{"a":1,"d":{"e":1},"b":2,"c":"x"}` || string(r[1].Data) != `{"b":null,"c":"x"}` {
		t.Fatalf("results %q", datas(r))
	}
}

func TestScannerDetails(t *testing.T) {
	q := selectQuery(nil, item("a", fld("a")), item("c", fld("b.c")), item("s", fld("s")))
	e := mustNew(t, q, nil)
	for _, c := range []struct{ in, out string }{
		{`{"a":1,"b":{"c":2}}`, `{"a":1,"c":2,"s":null}`},
		{`{"b":{"c":2},"b":5}`, `{"a":null,"c":null,"s":null}`}, // the last b wins
		{`{"\u0061":"\ud83d\ude00","s":"x\"\\\/\b\f\n\r\t\u0001"}`, `{"a":"😀","c":null,"s":"x\"\\/\u0008\u000c\n\r\t\u0001"}`},
		{`{"a":"\ud800x"}`, `{"a":"�x","c":null,"s":null}`},
		{"{\"a\":\"\xff\"}", "{\"a\":\"\uFFFD\",\"c\":null,\"s\":null}"},
		{`{"a":-0.5e-3,"s":1E2}`, `{"a":-0.0005,"c":null,"s":100}`},
		{`{"a":1e400}`, `{"a":null,"c":null,"s":null}`},
		{`{"a":12345678901234567890}`, `{"a":12345678901234567000,"c":null,"s":null}`},
	} {
		e.Process(ev(c.in))
		r := e.TakeResults()
		if len(r) != 1 || string(r[0].Data) != c.out {
			t.Errorf("%s: %q, want %s (%s)", c.in, datas(r), c.out, e.Stats().LastError)
		}
	}
	for _, bad := range []string{``, `nul`, `{"a":01}`, `{"a":1,}`, `{"a" 1}`, `{"a":"x` + "\n" + `"}`, `{"a":[1,]}`, `{} {}`, `{"a":tru}`, `{"a":"\x"}`, `{"a":1.}`, `{"a":-}`, strings.Repeat("[", 10001)} {
		before := e.Stats().BadJSON
		e.Process(ev(bad))
		if e.Stats().BadJSON != before+1 {
			t.Errorf("%q was taken as JSON", bad)
		}
	}
}

func TestNewErrors(t *testing.T) {
	for _, q := range []*sql.Query{
		selectQuery(nil, item("v", call("nosuch", fld("a")))),
		selectQuery(nil, item("v", call("sum", fld("a")))),         // aggregate without a window
		selectQuery(nil, item("v", &sql.WindowBound{})),            // no window
		windowQuery(tumble(time.Second), nil, item("v", fld("a"))), // not grouped
		windowQuery(tumble(0), nil, item("n", countStar())),        // size 0
		windowQuery(&sql.Window{Kind: sql.Hop, Time: fld("ts"), Slide: 2 * time.Second, Size: time.Second}, nil, item("n", countStar())),
		windowQuery(tumble(time.Second), nil, item("p", call("approx_percentile", fld("a"), lit(2.0)))),
		windowQuery(tumble(time.Second), nil, item("n", call("lower", call("sum", call("count", fld("a")))))),
	} {
		if _, err := New(q, Options{}); err == nil {
			t.Errorf("New accepted %v", q.Select[0].Expr)
		}
	}
}
