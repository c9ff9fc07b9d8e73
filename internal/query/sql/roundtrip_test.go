package sql

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

// roundTripExprs are expressions whose printing is easy to get wrong.
var roundTripExprs = []string{
	"a", "a.b.c", `"my field"`, `"a""b"`, `"end"`, `"_time"`, `"WINDOW_START"`, `"from".x`, `a."0"`, `"é"`,
	"_time", "window_start", "window_end",
	"1", "-1", "- -1", "-(-1)", "0.1", "1e21", "1e-7", "-0", "123456789.125", ".5", "1.7976931348623157e308", "5e-324",
	"'it''s'", "''", "'line\nbreak'", "TRUE", "false", "NULL",
	"a - (b - c)", "(a - b) - c", "a / (b * c)", "a * b + c", "a * (b + c)", "-(a + b)", "-a * b", "- -a", "-(-a)", "-(-a - b)",
	"a - -1", "a + -b", "2 - -(-3)",
	"a || b || c", "a || (b || c)", "a || b + c", "(a || b) + c",
	"a = b", "(a = b) = c", "a = (b = c)", "a < b = TRUE", "NOT a = b", "(NOT a) = b", "a = (NOT b)", "NOT NOT a", "NOT (a AND b)",
	"a OR b AND c", "(a OR b) AND c", "a OR (b OR c)", "(a AND b) AND c", "a AND (b AND c)",
	"a IS NULL", "a IS NOT NULL", "(a IS NULL) IS NULL", "a = b IS NULL", "(a + 1) IS NULL", "NOT a IS NULL",
	"a IN (1, 2, 'x')", "a NOT IN (b, c + 1, (d OR e))", "(a IN (1)) IN (TRUE)", "a || 'x' IN ('ax')",
	"a LIKE 'x%'", "a NOT LIKE b || '%'", "(a LIKE b) LIKE c", "(a = b) LIKE c",
	"a BETWEEN 1 AND 2", "a NOT BETWEEN b AND c + 1", "x AND a BETWEEN 1 AND 2 OR y",
	"(a BETWEEN 1 AND 2) BETWEEN FALSE AND TRUE", "p AND x NOT BETWEEN 1 AND 2",
	"CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END", "CASE a WHEN 1 THEN 'x' END", "CASE a = b WHEN TRUE THEN 1 END",
	"CASE WHEN CASE WHEN a THEN b END THEN c ELSE CASE d WHEN 1 THEN 2 END END + 1", "CASE WHEN a THEN NULL ELSE NULL END",
	"CAST(a + 1 AS string)", "CAST(a AS double) * 2", "-CAST(a AS int)",
	"count(*)", "count(DISTINCT a + b)", "sum(a * b) / count(a)", "lower(upper(a))", "concat(a, 'b', 1, NULL)",
	"coalesce(a, b, c)", "round(a, -2)", "approx_percentile(x, 0.5)",
	"INTERVAL '5' SECOND", "INTERVAL '1.0005' SECOND", "INTERVAL '0.000000001' SECOND", "INTERVAL '1us'", "INTERVAL '0' SECOND",
	"INTERVAL '106751' DAY", "INTERVAL '1h1ns'", "-INTERVAL '5' MINUTE", "INTERVAL '90' MINUTE", "INTERVAL '25' HOUR",
	"window_end - window_start > INTERVAL '1' MINUTE",
	"a = 1 AND (b = 2 OR c = 3) AND NOT d IN (4, 5) AND e LIKE '%' AND f IS NOT NULL",
}

func TestRoundTrip(t *testing.T) {
	for _, text := range roundTripExprs {
		e, err := ParseExpr(text)
		if err != nil {
			t.Errorf("ParseExpr(%q): %v", text, err)
			continue
		}
		checkRoundTrip(t, e)
	}
	for _, c := range goodQueries {
		q, err := Parse(c.text)
		if err != nil {
			t.Fatalf("Parse(%q): %v", c.text, err)
		}
		for _, e := range queryExprs(q) {
			checkRoundTrip(t, e)
		}
	}
}

// checkRoundTrip checks that e's text parses back to e, and prints the
// same again.
func checkRoundTrip(t *testing.T, e Expr) {
	t.Helper()
	s := e.String()
	back, err := ParseExpr(s)
	if err != nil {
		t.Errorf("%q does not parse back: %v", s, err)
		return
	}
	if s2 := back.String(); s2 != s {
		t.Errorf("%q prints back as %q", s, s2)
	}
	want := copyExpr(e)
	if !reflect.DeepEqual(clearPos(back), clearPos(want)) {
		t.Errorf("%q parses back to another tree", s)
	}
}

// copyExpr returns a deep copy of e, so that clearing positions does not
// change the original.
func copyExpr(e Expr) Expr { return deepCopy(e) }

func deepCopy(e Expr) Expr {
	switch x := e.(type) {
	case nil:
		return nil
	case *Literal:
		c := *x
		return &c
	case *Field:
		c := *x
		c.Path = append([]string(nil), x.Path...)
		return &c
	case *AppendTime:
		c := *x
		return &c
	case *WindowBound:
		c := *x
		return &c
	case *Unary:
		c := *x
		c.X = deepCopy(x.X)
		return &c
	case *Binary:
		c := *x
		c.L, c.R = deepCopy(x.L), deepCopy(x.R)
		return &c
	case *Call:
		c := *x
		c.Args = copyList(x.Args)
		return &c
	case *IsNull:
		c := *x
		c.X = deepCopy(x.X)
		return &c
	case *In:
		c := *x
		c.X, c.List = deepCopy(x.X), copyList(x.List)
		return &c
	case *Like:
		c := *x
		c.X, c.Pattern = deepCopy(x.X), deepCopy(x.Pattern)
		return &c
	case *Case:
		c := *x
		c.Whens = nil
		for _, w := range x.Whens {
			c.Whens = append(c.Whens, When{Cond: deepCopy(w.Cond), Then: deepCopy(w.Then)})
		}
		c.Else = deepCopy(x.Else)
		return &c
	case *Cast:
		c := *x
		c.X = deepCopy(x.X)
		return &c
	}
	return e
}

func copyList(list []Expr) []Expr {
	if list == nil {
		return nil
	}
	out := make([]Expr, len(list))
	for i, e := range list {
		out[i] = deepCopy(e)
	}
	return out
}

func TestIntervalText(t *testing.T) {
	for _, c := range []struct {
		text string
		want time.Duration
	}{
		{"0", 0}, {"5s", 5 * time.Second}, {"1m30s", 90 * time.Second}, {"1.5 seconds", 1500 * time.Millisecond},
		{"500ms", 500 * time.Millisecond}, {"2 hours 30 minutes", 150 * time.Minute}, {"2d", 48 * time.Hour},
		{"1 DAY", 24 * time.Hour}, {" 10 min ", 10 * time.Minute}, {"0.1s", 100 * time.Millisecond},
		{"1.000000001s", time.Second + 1}, {"1.0000000019s", time.Second + 1}, {"3us", 3 * time.Microsecond},
		{"2562047h", 2562047 * time.Hour},
	} {
		got, problem := parseDurationText(c.text)
		if problem != "" || got != c.want {
			t.Errorf("parseDurationText(%q) = %v, %q; want %v", c.text, got, problem, c.want)
		}
	}
	for _, bad := range []string{"", "5", "-5s", "s", "5 parsecs", "1..5s", "9999999999999999999s", "2562048h", "5s x"} {
		if d, problem := parseDurationText(bad); problem == "" {
			t.Errorf("parseDurationText(%q) = %v, want a problem", bad, d)
		}
	}
	for _, d := range []time.Duration{0, 1, time.Microsecond, time.Millisecond, 1500 * time.Millisecond, time.Minute + 1,
		24 * time.Hour, 25 * time.Hour, math.MaxInt64, 366 * 24 * time.Hour} {
		e, err := ParseExpr(formatInterval(d))
		if err != nil {
			t.Errorf("%v prints as %q, which does not parse: %v", d, formatInterval(d), err)
			continue
		}
		if got, _ := durationLiteral(e); got != d {
			t.Errorf("%v prints as %q, which parses as %v", d, formatInterval(d), got)
		}
	}
}

func TestWalkAndStartPos(t *testing.T) {
	e, err := ParseExpr("a + f(b) * 2 IN (c, d)")
	if err == nil {
		t.Fatalf("unknown function f parsed: %v", e)
	}
	e, err = ParseExpr("a + lower(b) || 'x' IN (c, CASE WHEN d THEN e END)")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	Walk(e, func(x Expr) bool {
		if f, ok := x.(*Field); ok {
			names = append(names, f.Path[0])
		}
		return true
	})
	if want := []string{"a", "b", "c", "d", "e"}; !reflect.DeepEqual(names, want) {
		t.Errorf("Walk visited fields %v, want %v", names, want)
	}
	if got := StartPos(e); got != (Pos{1, 1}) {
		t.Errorf("StartPos = %v, want line 1, column 1", got)
	}
}

// TestRoundTripDeep checks trees at the depth limit, whose printed text
// needs more parentheses than the text they were parsed from.
func TestRoundTripDeep(t *testing.T) {
	for _, text := range []string{
		strings.Repeat("- ", MaxDepth-1) + "a",
		"a" + strings.Repeat(" IN (1)", MaxDepth-1),
		"a" + strings.Repeat(" = b", MaxDepth-1),
		strings.Repeat("NOT ", MaxDepth-1) + "a",
		strings.Repeat("(", 2*MaxDepth) + "a" + strings.Repeat(")", 2*MaxDepth),
		strings.Repeat("lower(", MaxDepth-1) + "a" + strings.Repeat(")", MaxDepth-1),
	} {
		e, err := ParseExpr(text)
		if err != nil {
			t.Errorf("ParseExpr(%.40q...): %v", text, err)
			continue
		}
		checkRoundTrip(t, e)
	}
	if _, err := ParseExpr(strings.Repeat("- ", MaxDepth) + "a"); err == nil {
		t.Errorf("a tree %d deep parsed", MaxDepth+1)
	}
}
