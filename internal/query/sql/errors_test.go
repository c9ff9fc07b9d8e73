package sql

import (
	"errors"
	"strings"
	"testing"
)

// badQueries fail at pos with a message containing msg.
var badQueries = []struct {
	text string
	pos  Pos
	msg  string
}{
	// Syntax.
	{"", Pos{1, 1}, "the query is empty"},
	{"  -- just a comment\n", Pos{1, 1}, "the query is empty"},
	{"SELEC a FROM s.t", Pos{1, 1}, "expected SELECT at the start of the query, found SELEC"},
	{"SELECT FROM s.t", Pos{1, 8}, "expected an expression after SELECT, found FROM"},
	{"SELECT a, FROM s.t", Pos{1, 11}, "expected a select item after ',', found FROM (remove the trailing comma)"},
	{"SELECT a", Pos{1, 9}, "expected ',' or FROM after the select item, found end of query"},
	{"SELECT a b c FROM s.t", Pos{1, 12}, "expected ',' or FROM after the select item, found c"},
	{"SELECT DISTINCT a FROM s.t", Pos{1, 8}, "SELECT DISTINCT is not supported"},
	{"SELECT a + FROM s.t", Pos{1, 12}, "expected an expression after '+', found FROM"},
	{"SELECT (a FROM s.t", Pos{1, 11}, "expected ')' to close the '(' at line 1, column 8, found FROM"},
	{"SELECT end FROM s.t", Pos{1, 8}, `END is a keyword: to name a field end, quote it: "end"`},
	{"SELECT a AS from FROM s.t", Pos{1, 13}, "expected a column name after AS, found FROM"},
	{"SELECT * AS x FROM s.t", Pos{1, 10}, "SELECT * cannot be renamed"},
	{"SELECT a * FROM s.t", Pos{1, 12}, "expected an expression after '*', found FROM"},
	{"SELECT sum(*) FROM s.t", Pos{1, 12}, "* is only allowed in count(*), not in sum"},
	{"SELECT sum(DISTINCT x) FROM s.t", Pos{1, 12}, "DISTINCT is only allowed in count(DISTINCT x)"},
	{"SELECT lower(a, b) FROM s.t", Pos{1, 8}, "lower takes 1 argument, got 2 (lower(s))"},
	{"SELECT substr(a) FROM s.t", Pos{1, 8}, "substr takes 2 or 3 arguments, got 1 (substr(s, start[, len]))"},
	{"SELECT coalesce() FROM s.t", Pos{1, 8}, "coalesce takes at least 1 argument, got 0"},
	{"SELECT lower(a b) FROM s.t", Pos{1, 16}, "expected ',' or ')' after the arguments of lower, found b"},
	{"SELECT a.0 FROM s.t", Pos{1, 10}, `expected a field name after '.', found 0 (quote a name that is a number: "0")`},
	{"SELECT a.b(1) FROM s.t", Pos{1, 11}, "a.b is a field, not a function"},
	{"SELECT a IS TRUE FROM s.t", Pos{1, 13}, "IS TRUE is not supported: write x = TRUE"},
	{"SELECT a IS 5 FROM s.t", Pos{1, 13}, "expected NULL or NOT NULL after IS, found 5"},
	{"SELECT a IN () FROM s.t", Pos{1, 14}, "IN needs at least one value"},
	{"SELECT a IN (SELECT b FROM s.t) FROM s.t", Pos{1, 14}, "subqueries are not supported"},
	{"SELECT a IN 1 FROM s.t", Pos{1, 13}, "expected '(' and a list of values after IN, found 1"},
	{"SELECT a BETWEEN 1 OR 2 FROM s.t", Pos{1, 20}, "expected AND and the upper bound after BETWEEN's lower bound, found OR"},
	{"SELECT a = NOT b FROM s.t", Pos{1, 12}, "expected an expression after '=', found NOT (put NOT and its operand in parentheses here)"},
	{"SELECT CASE END FROM s.t", Pos{1, 13}, "expected WHEN in CASE, found END"},
	{"SELECT CASE WHEN a THEN 1 FROM s.t", Pos{1, 27}, "expected WHEN, ELSE or END to close the CASE at line 1, column 8, found FROM"},
	{"SELECT CASE WHEN a 1 END FROM s.t", Pos{1, 20}, "expected THEN after the WHEN condition, found 1"},
	{"SELECT CAST(a AS date) FROM s.t", Pos{1, 18}, "unknown type date in CAST: use number, string or boolean"},
	{"SELECT CAST(a) FROM s.t", Pos{1, 14}, "expected AS and a type in CAST(x AS type), found ')'"},
	{"SELECT INTERVAL '5' FROM s.t", Pos{1, 21}, "expected a unit after INTERVAL '5' (MILLISECOND, SECOND, MINUTE, HOUR or DAY), found FROM"},
	{"SELECT INTERVAL '5 parsecs' FROM s.t", Pos{1, 17}, `invalid INTERVAL '5 parsecs': unknown unit "parsecs"`},
	{"SELECT INTERVAL '5s' SECOND FROM s.t", Pos{1, 22}, "INTERVAL '5s' already has its unit: drop SECOND"},
	{"SELECT INTERVAL '-5' SECOND FROM s.t", Pos{1, 17}, "a duration cannot be negative"},
	{"SELECT INTERVAL '1e3' SECOND FROM s.t", Pos{1, 17}, `unknown unit "e"`},
	{"SELECT INTERVAL 1e3 SECOND FROM s.t", Pos{1, 17}, "invalid INTERVAL 1e3: expected a number such as '5' or '1.5' before the unit"},
	{"SELECT INTERVAL '999999999' DAY FROM s.t", Pos{1, 17}, "INTERVAL '999999999' is too large"},
	{"SELECT INTERVAL x FROM s.t", Pos{1, 17}, "expected a string after INTERVAL, as in INTERVAL '5' SECOND, found x"},
	{"SELECT a FROM s.t WHERE", Pos{1, 24}, "expected an expression after WHERE, found end of query"},
	{"SELECT a FROM s.t ORDER BY a", Pos{1, 19}, "a continuous query has no ORDER"},
	{"SELECT a FROM s.t LIMIT 5", Pos{1, 19}, "a continuous query has no LIMIT"},
	{"SELECT a FROM s.t JOIN u.v", Pos{1, 19}, "joins and unions are not supported"},
	{"SELECT count(*) FROM s.t GROUP BY TUMBLE(_time, INTERVAL '1' SECOND) WHERE a", Pos{1, 70},
		"expected HAVING, EMIT, WITH or the end of the query, found WHERE (the clauses go in the order WHERE, GROUP BY, HAVING, EMIT, WITH"},
	{"SELECT a FROM s.t; SELECT b FROM s.t", Pos{1, 20}, "expected the end of the query after ';', found SELECT (a query is one statement)"},
	{"SELECT a FROM s.t GROUP x", Pos{1, 25}, "expected BY after GROUP, found x"},

	// FROM.
	{"SELECT a FROM", Pos{1, 14}, "expected a scope name after FROM (FROM names scope.stream, e.g. shop.orders), found end of query"},
	{"SELECT a FROM shop", Pos{1, 19}, "expected '.' and a stream name after the scope shop (FROM names scope.stream), found end of query"},
	{"SELECT a FROM shop WHERE a", Pos{1, 20}, "expected '.' and a stream name after the scope shop (FROM names scope.stream), found WHERE"},
	{"SELECT a FROM shop/orders", Pos{1, 19}, "write FROM shop.stream, not shop/stream"},
	{"SELECT a FROM shop.", Pos{1, 20}, "expected a stream name after '.'"},
	{"SELECT a FROM _shop.orders", Pos{1, 15}, `invalid scope name "_shop": a name starts with a letter or a digit`},
	{`SELECT a FROM "_shop".orders`, Pos{1, 15}, `invalid scope name "_shop": a name starts with a letter or a digit`},
	{`SELECT a FROM shop."my orders"`, Pos{1, 20}, `invalid stream name "my orders": ' ' is not allowed (use letters, digits, - and _)`},
	{"SELECT a FROM s." + strings.Repeat("x", 65), Pos{1, 17}, "it is longer than 64 bytes"},
	{"SELECT a FROM s.t.u", Pos{1, 18}, "expected WHERE, GROUP BY, HAVING, EMIT, WITH or the end of the query, found '.'"},

	// Lexer.
	{"SELECT 'abc FROM s.t", Pos{1, 8}, "unterminated string"},
	{"SELECT \"abc FROM s.t", Pos{1, 8}, "unterminated quoted identifier"},
	{"SELECT a /* FROM s.t", Pos{1, 10}, "unterminated /* comment"},
	{`SELECT "" FROM s.t`, Pos{1, 8}, "empty quoted identifier"},
	{"SELECT a # b FROM s.t", Pos{1, 10}, "unexpected character '#'"},
	{"SELECT a ! b FROM s.t", Pos{1, 10}, "use <> or != for not equal"},
	{"SELECT 1x FROM s.t", Pos{1, 8}, "invalid number 1x"},
	{"SELECT 1e999 FROM s.t", Pos{1, 8}, "number 1e999 is out of range"},
	{"SELECT \xff FROM s.t", Pos{1, 8}, "invalid UTF-8 byte 0xff"},
	{"SELECT é FROM s.t", Pos{1, 8}, `unexpected character 'é' (quote field names with other characters: "é")`},

	// Functions.
	{"SELECT avgg(x) FROM s.t", Pos{1, 8}, `unknown function "avgg" (did you mean avg?)`},
	{"SELECT frobnicate(x) FROM s.t", Pos{1, 8}, `unknown function "frobnicate"`},
	{"SELECT x\nFROM s.t\nWHERE ts > now()", Pos{3, 12}, "now() is not allowed: a query's results must not depend on when they are computed"},
	{"SELECT random() FROM s.t", Pos{1, 8}, "random() is not allowed"},
	{"SELECT TUMBLE(ts, INTERVAL '1' SECOND) FROM s.t", Pos{1, 8}, "TUMBLE is a window function: it goes directly in GROUP BY"},
	{"SELECT count(*) FROM s.t GROUP BY TUMBEL(ts, INTERVAL '1' SECOND)", Pos{1, 35}, `unknown function "TUMBEL" (did you mean tumble?)`},

	// Aggregates and windows.
	{"SELECT a FROM s.t WHERE sum(x) > 1", Pos{1, 25}, "aggregate sum is not allowed in WHERE"},
	{"SELECT count(*) FROM s.t GROUP BY max(a), TUMBLE(ts, INTERVAL '1' SECOND)", Pos{1, 35}, "aggregate max is not allowed in GROUP BY"},
	{"SELECT sum(avg(x)) FROM s.t GROUP BY TUMBLE(ts, INTERVAL '1' SECOND)", Pos{1, 12}, "aggregate avg inside aggregate sum: aggregates do not nest"},
	{"SELECT sum(x) FROM s.t", Pos{1, 8}, "this query aggregates without a window, so its state would grow without bound"},
	{"SELECT a, count(*) FROM s.t GROUP BY a", Pos{1, 29}, "add a window function to GROUP BY, such as GROUP BY TUMBLE"},
	{"SELECT a FROM s.t HAVING a > 1", Pos{1, 26}, "HAVING filters the results of a windowed GROUP BY, and this query does not aggregate"},
	{"SELECT a FROM s.t EMIT FINAL", Pos{1, 19}, "this query has no window"},
	{"SELECT a, count(*) FROM s.t GROUP BY TUMBLE(ts, INTERVAL '1' SECOND)", Pos{1, 8}, "field a in SELECT is neither in GROUP BY nor inside an aggregate"},
	{"SELECT count(*) FROM s.t GROUP BY a, TUMBLE(ts, INTERVAL '1' SECOND) HAVING b > 1", Pos{1, 77}, "field b in HAVING is neither in GROUP BY"},
	{"SELECT lower(a), count(*) FROM s.t GROUP BY upper(a), TUMBLE(ts, INTERVAL '1' SECOND)", Pos{1, 14}, "field a in SELECT"},
	{"SELECT count(*) AS hits FROM s.t GROUP BY TUMBLE(ts, INTERVAL '1' SECOND) HAVING hits > 1", Pos{1, 82},
		"(hits is a column of SELECT; HAVING cannot refer to columns: repeat the expression, count(*))"},
	{"SELECT lower(x) AS l, count(*) FROM s.t GROUP BY l, TUMBLE(ts, INTERVAL '1' SECOND)", Pos{1, 14},
		"field x in SELECT is neither in GROUP BY nor inside an aggregate: add it to GROUP BY, or aggregate it, as in first(x) or max(x) (GROUP BY l names the event's field l, not this column"},
	{"SELECT _time, count(*) FROM s.t GROUP BY TUMBLE(ts, INTERVAL '1' SECOND)", Pos{1, 8}, "_time in SELECT is neither in GROUP BY nor inside an aggregate"},
	{"SELECT *, count(*) FROM s.t GROUP BY TUMBLE(ts, INTERVAL '1' SECOND)", Pos{1, 8}, "SELECT * is not allowed in an aggregating query"},
	{"SELECT window_start FROM s.t", Pos{1, 8}, "window_start needs a window"},
	{"SELECT a FROM s.t WHERE window_end > 0", Pos{1, 25}, "window_end is not allowed in WHERE"},
	{"SELECT count(*) FROM s.t GROUP BY window_start, TUMBLE(ts, INTERVAL '1' SECOND)", Pos{1, 35}, "window_start is not allowed in GROUP BY"},
	{"SELECT max(window_end) FROM s.t GROUP BY TUMBLE(ts, INTERVAL '1' SECOND)", Pos{1, 12}, "window_end inside aggregate max"},
	{"SELECT window_start, count(*) FROM s.t GROUP BY COUNT_WINDOW(10)", Pos{1, 8}, "window_start is not defined for COUNT_WINDOW"},
	{"SELECT count(*) FROM s.t GROUP BY 1, TUMBLE(ts, INTERVAL '1' SECOND)", Pos{1, 35}, "GROUP BY 1 groups by a constant"},
	{"SELECT count(*) FROM s.t GROUP BY a, a, TUMBLE(ts, INTERVAL '1' SECOND)", Pos{1, 38}, "a appears twice in GROUP BY"},
	{"SELECT count(*) FROM s.t GROUP BY TUMBLE(ts, INTERVAL '1' SECOND), HOP(ts, INTERVAL '1' SECOND, INTERVAL '2' SECOND)", Pos{1, 68},
		"only one window function per query: GROUP BY already has TUMBLE at line 1, column 35"},
	{"SELECT count(*) FROM s.t GROUP BY TUMBLE(ts, 10)", Pos{1, 46}, "the size in TUMBLE(time, size) must be an INTERVAL, such as INTERVAL '10' SECOND; found 10 (a number has no unit)"},
	{"SELECT count(*) FROM s.t GROUP BY TUMBLE(ts)", Pos{1, 44}, "expected ',' and the size in TUMBLE(time, size), found ')'"},
	{"SELECT count(*) FROM s.t GROUP BY TUMBLE(ts, INTERVAL '1' SECOND, 2)", Pos{1, 65}, "expected ')' to close TUMBLE(time, size), found ','"},
	{"SELECT count(*) FROM s.t GROUP BY TUMBLE(INTERVAL '1' SECOND, ts)", Pos{1, 42}, "the time of TUMBLE(time, size) must be a field of the event"},
	{"SELECT count(*) FROM s.t GROUP BY TUMBLE(ts, INTERVAL '0' SECOND)", Pos{1, 46}, "the size in TUMBLE(time, size) must be more than 0"},
	{"SELECT count(*) FROM s.t GROUP BY TUMBLE(ts, INTERVAL '367' DAY)", Pos{1, 46}, "the size in TUMBLE(time, size) is 367d; at most 366 days"},
	{"SELECT count(*) FROM s.t GROUP BY TUMBLE(ts, INTERVAL '1.5' MILLISECOND)", Pos{1, 46}, "must be a whole number of milliseconds"},
	{"SELECT count(*) FROM s.t GROUP BY HOP(ts, INTERVAL '3' SECOND, INTERVAL '10' SECOND)", Pos{1, 64}, "the size of HOP (10s) must be a multiple of its slide (3s)"},
	{"SELECT count(*) FROM s.t GROUP BY HOP(ts, INTERVAL '1' SECOND, INTERVAL '1' HOUR)", Pos{1, 43}, "HOP with slide 1s and size 1h puts each event in 3600 windows; at most 100"},
	{"SELECT count(*) FROM s.t GROUP BY HOP(ts, INTERVAL '1' HOUR, INTERVAL '5' MINUTE)", Pos{1, 43}, "the slide of HOP (1h) is longer than its size (5m): HOP takes (time, slide, size)"},
	{"SELECT count(*) FROM s.t GROUP BY SESSION(ts, INTERVAL '5' MINUTE, INTERVAL '0' SECOND)", Pos{1, 68}, "the maximum duration in SESSION(time, gap[, max]) must be more than 0"},
	{"SELECT count(*) FROM s.t GROUP BY COUNT_WINDOW(0)", Pos{1, 48}, "COUNT_WINDOW(n) needs n, the events per window, a whole number from 1 to 1000000000; found 0"},
	{"SELECT count(*) FROM s.t GROUP BY COUNT_WINDOW(2.5)", Pos{1, 48}, "a whole number from 1 to 1000000000; found 2.5"},

	// Types that literals fix.
	{"SELECT 'a' + 1 FROM s.t", Pos{1, 12}, "+ needs numbers, got the string 'a' and the number 1 (use || to join strings)"},
	{"SELECT TRUE * 2 FROM s.t", Pos{1, 13}, "* needs numbers, got the boolean TRUE and the number 2"},
	{"SELECT -'a' FROM s.t", Pos{1, 8}, "unary - needs a number, got the string 'a'"},
	{"SELECT NOT 5 FROM s.t", Pos{1, 8}, "NOT needs a boolean, got the number 5"},
	{"SELECT a FROM s.t WHERE 1", Pos{1, 25}, "WHERE needs a boolean condition, got the number 1"},
	{"SELECT a FROM s.t WHERE x + 1", Pos{1, 25}, "WHERE needs a boolean condition, got a number (x + 1)"},
	{"SELECT a FROM s.t WHERE 'yes'", Pos{1, 25}, "WHERE needs a boolean condition, got the string 'yes'"},
	{"SELECT count(*) FROM s.t GROUP BY TUMBLE(ts, INTERVAL '1' SECOND) HAVING count(*) + 1", Pos{1, 74}, "HAVING needs a boolean condition, got a number (count(*) + 1)"},
	{"SELECT sum('a') FROM s.t GROUP BY TUMBLE(ts, INTERVAL '1' SECOND)", Pos{1, 12}, "sum needs a number as argument 1, got the string 'a'"},
	{"SELECT avg(TRUE) FROM s.t GROUP BY TUMBLE(ts, INTERVAL '1' SECOND)", Pos{1, 12}, "avg needs a number as argument 1, got the boolean TRUE"},
	{"SELECT stddev(lower(x)) FROM s.t GROUP BY TUMBLE(ts, INTERVAL '1' SECOND)", Pos{1, 15}, "stddev needs a number as argument 1, got a string (lower(x))"},
	{"SELECT approx_percentile(x, 1.5) FROM s.t GROUP BY TUMBLE(ts, INTERVAL '1' SECOND)", Pos{1, 29}, "the percentile of approx_percentile(x, p) must be a number literal from 0 to 1, found 1.5"},
	{"SELECT approx_percentile(x, y) FROM s.t GROUP BY TUMBLE(ts, INTERVAL '1' SECOND)", Pos{1, 29}, "must be a number literal from 0 to 1, found y"},
	{"SELECT approx_percentile('x', 0.5) FROM s.t GROUP BY TUMBLE(ts, INTERVAL '1' SECOND)", Pos{1, 26}, "approx_percentile needs a number as argument 1, got the string 'x'"},
	{"SELECT a FROM s.t WHERE a LIKE 5", Pos{1, 27}, "LIKE needs a string pattern, got the number 5"},
	{"SELECT a FROM s.t WHERE 5 LIKE a", Pos{1, 27}, "LIKE needs a string to match, got the number 5"},
	{"SELECT a FROM s.t WHERE a = NULL", Pos{1, 27}, "= NULL is never true (a comparison with NULL is NULL): use IS NULL"},
	{"SELECT a FROM s.t WHERE a <> NULL", Pos{1, 27}, "use IS NOT NULL"},
	{"SELECT a FROM s.t WHERE 'a' = 1", Pos{1, 29}, "= cannot compare the string 'a' with the number 1"},
	{"SELECT a FROM s.t WHERE 1 IN (1, 'b')", Pos{1, 34}, "IN compares the number 1 with the string 'b'"},
	{"SELECT a FROM s.t WHERE a AND 5", Pos{1, 27}, "AND needs booleans, got the number 5 on its right"},
	{"SELECT CASE WHEN 1 THEN 2 END FROM s.t", Pos{1, 18}, "WHEN needs a boolean condition, got the number 1"},
	{"SELECT lower(5) FROM s.t", Pos{1, 14}, "lower needs a string as argument 1, got the number 5"},
	{"SELECT abs('x') FROM s.t", Pos{1, 12}, "abs needs a number as argument 1, got the string 'x'"},
	{"SELECT lower(a) + 1 FROM s.t", Pos{1, 17}, "+ needs numbers, got a string (lower(a)) and the number 1"},

	// Names.
	{"SELECT a.x, b.x FROM s.t", Pos{1, 13}, `column name "x" used twice (first at line 1, column 8); add AS`},
	{"SELECT a AS n, b AS n FROM s.t", Pos{1, 16}, `column name "n" used twice`},
	{"SELECT *, * FROM s.t", Pos{1, 11}, `column name "*" used twice`},

	// EMIT.
	{"SELECT count(*) FROM s.t GROUP BY TUMBLE(ts, INTERVAL '1' MINUTE) EMIT EVERY INTERVAL '50' MILLISECOND", Pos{1, 78}, "EMIT EVERY 50ms is too often: at least 100ms"},
	{"SELECT count(*) FROM s.t GROUP BY TUMBLE(ts, INTERVAL '1' MINUTE) EMIT EVERY 5", Pos{1, 78}, "EMIT EVERY needs an INTERVAL, such as INTERVAL '5' SECOND; found 5"},
	{"SELECT count(*) FROM s.t GROUP BY TUMBLE(ts, INTERVAL '1' MINUTE) EMIT CHANGES", Pos{1, 72}, "EMIT CHANGES is not supported"},
	{"SELECT count(*) FROM s.t GROUP BY TUMBLE(ts, INTERVAL '1' MINUTE) EMIT", Pos{1, 71}, "expected FINAL or EVERY after EMIT, found end of query"},

	// WITH.
	{"SELECT a FROM s.t WITH (lateness = '5s')", Pos{1, 25}, `unknown option "lateness"; the options are allowed_lateness, idle_timeout, late, max_future, max_groups, output, start, watermark, watermark_delay`},
	{"SELECT a FROM s.t WITH (lat = 'drop')", Pos{1, 25}, `unknown option "lat" (did you mean late?)`},
	{"SELECT a FROM s.t WITH (late = 'drop', late = 'drop')", Pos{1, 40}, "option late is set twice (first at line 1, column 32)"},
	{"SELECT a FROM s.t WITH ()", Pos{1, 25}, "WITH needs at least one option"},
	{"SELECT a FROM s.t WITH late = 'drop'", Pos{1, 24}, "expected '(' after WITH"},
	{"SELECT a FROM s.t WITH (late 'drop')", Pos{1, 30}, "expected '=' after the option name late, found the string 'drop'"},
	{"SELECT a FROM s.t WITH (late = 'drop'", Pos{1, 38}, "expected ',' or ')' after an option in WITH, found end of query"},
	{"SELECT a FROM s.t WITH (watermark = source)", Pos{1, 37}, "the value of watermark must be a literal (a string, a number or an INTERVAL), found source (quote it: 'source')"},
	{"SELECT a FROM s.t WITH (watermark = 'sources')", Pos{1, 37}, "watermark must be 'delay' or 'source', found 'sources'"},
	{"SELECT a FROM s.t WITH (start = 'now')", Pos{1, 33}, "start must be 'earliest' or 'latest', found 'now'"},
	{"SELECT a FROM s.t WITH (late = 'shop/late')", Pos{1, 32}, "write the stream as scope.stream, with a '.'"},
	{"SELECT a FROM s.t WITH (late = 'shop')", Pos{1, 32}, "late must be 'drop' or a stream named scope.stream, such as 'shop.late'"},
	{"SELECT a FROM s.t WITH (output = 'a.b.c')", Pos{1, 34}, `invalid stream name "b.c"`},
	{"SELECT a FROM s.t WITH (output = 5)", Pos{1, 34}, "output must be a stream as a string"},
	{"SELECT a FROM s.t WITH (output = 's.t')", Pos{1, 34}, "output names s/t, the stream the query reads"},
	{"SELECT a FROM s.t WITH (late = 's.t')", Pos{1, 32}, "late names s/t, the stream the query reads"},
	{"SELECT a FROM s.t WITH (late = 's.o', output = 's.o')", Pos{1, 32}, "late names s/o, the output stream"},
	{"SELECT a FROM s.t WITH (max_groups = 0)", Pos{1, 38}, "max_groups must be a whole number from 1 to 10000000, found 0"},
	{"SELECT a FROM s.t WITH (max_groups = 1.5)", Pos{1, 38}, "found 1.5"},
	{"SELECT a FROM s.t WITH (max_groups = '10')", Pos{1, 38}, "found '10'"},
	{"SELECT a FROM s.t WITH (idle_timeout = 5)", Pos{1, 40}, "idle_timeout needs a duration with a unit, such as '5s' or INTERVAL '5' SECOND; found the number 5"},
	{"SELECT a FROM s.t WITH (watermark_delay = 'abc')", Pos{1, 43}, "watermark_delay: invalid duration 'abc': expected a number"},
	{"SELECT a FROM s.t WITH (watermark_delay = '5')", Pos{1, 43}, "the number 5 has no unit"},
	{"SELECT a FROM s.t WITH (allowed_lateness = '400d')", Pos{1, 44}, "allowed_lateness is 400d; at most 366 days"},
	{"SELECT a FROM s.t WITH (max_future = '0s')", Pos{1, 38}, "max_future must be more than 0"},
	{"SELECT a FROM s.t WITH (max_future = TRUE)", Pos{1, 38}, "max_future needs a duration"},

	// Limits.
	{"SELECT a FROM s.t WHERE " + strings.Repeat("(", 201) + "a" + strings.Repeat(")", 201), Pos{1, 225}, "expression nested too deeply: more than 200 levels"},
	{"SELECT a FROM s.t WHERE " + strings.Repeat("lower(", 101) + "a" + strings.Repeat(")", 101), Pos{1, 625}, "expression nested more than 100 deep"},
	{"SELECT a FROM s.t WHERE " + strings.Repeat("NOT ", 101) + "a", Pos{1, 425}, "expression nested more than 100 deep"},
	{"SELECT " + strings.Repeat("- ", 101) + "a FROM s.t", Pos{1, 208}, "expression nested more than 100 deep"},
	{"SELECT a FROM s.t WHERE a = 0" + strings.Repeat(" OR a = 1", 100), Pos{1, 25}, "expression nested more than 100 deep"},
	{"SELECT " + strings.Repeat("a, ", 256) + "a FROM s.t", Pos{1, 8 + 3*256}, "more than 256 select items"},
	{"SELECT a FROM s.t WHERE a IN (" + strings.Repeat("1, ", 1000) + "1)", Pos{1, 31 + 3*1000}, "more than 1000 values in the IN list"},
	{"SELECT a FROM s.t WHERE " + strings.Repeat("x", 70000), Pos{1, 65537}, "the query is 70024 bytes long; at most 65536 (64 KiB) are allowed"},
	{"SELECT a FROM s.t WHERE " + nestedBetween(20), Pos{1, 45}, "longer than 65536 bytes (64 KiB) once BETWEEN and CASE x WHEN are expanded"},
}

// nestedBetween returns ((a BETWEEN 1 AND 2) BETWEEN 1 AND 2) ..., n
// deep: its subject doubles with each level once printed.
func nestedBetween(n int) string {
	s := "a"
	for i := 0; i < n; i++ {
		s = "(" + s + " BETWEEN 1 AND 2)"
	}
	return s
}

func TestParseBad(t *testing.T) {
	for _, c := range badQueries {
		name := c.text
		if len(name) > 60 {
			name = name[:60]
		}
		t.Run(name, func(t *testing.T) {
			q, err := Parse(c.text)
			if err == nil {
				t.Fatalf("no error; got %s", dump(q))
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %T, want *Error", err)
			}
			if e.Pos != c.pos || !strings.Contains(e.Msg, c.msg) {
				t.Errorf("got   %v: %s\nwant  %v: ...%s...", e.Pos, e.Msg, c.pos, c.msg)
			}
			if _, ok := offsetOf(c.text, e.Pos); !ok {
				t.Errorf("position %v is not in the text", e.Pos)
			}
		})
	}
}
