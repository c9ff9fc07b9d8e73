package sql

import (
	"sort"
	"strings"
)

// Type is what the checker knows of an expression's value before the
// query runs. Event fields are JSON values of any type, so most
// expressions over fields are TypeAny; literals, operators and functions
// fix the others.
type Type int

const (
	// TypeAny is not known until the query runs (a JSON field).
	TypeAny Type = iota
	// TypeNull is the NULL literal.
	TypeNull
	// TypeBoolean is TRUE or FALSE (or NULL).
	TypeBoolean
	// TypeNumber is a float64 (or NULL).
	TypeNumber
	// TypeString is a string (or NULL).
	TypeString
	// TypeInterval is a time.Duration (an INTERVAL literal). In
	// arithmetic and comparisons it stands for its number of
	// milliseconds (INTERVAL '5' SECOND is 5000), the unit of event
	// times; its result is a number.
	TypeInterval
)

// String returns the type's name as error messages use it.
func (t Type) String() string {
	switch t {
	case TypeNull:
		return "NULL"
	case TypeBoolean:
		return "boolean"
	case TypeNumber:
		return "number"
	case TypeString:
		return "string"
	case TypeInterval:
		return "interval"
	}
	return "any"
}

// FuncInfo describes a function of the catalog.
type FuncInfo struct {
	// Name is the function's name, lower case (names are matched in any
	// case).
	Name string
	// Aggregate is set for aggregates, which fold the events of a group
	// and window into one value (only in SELECT and HAVING).
	Aggregate bool
	// MinArgs and MaxArgs bound the number of arguments; MaxArgs -1 is
	// no bound.
	MinArgs, MaxArgs int
	// Params are the types the arguments must have where the checker
	// knows them (TypeAny: any), by position; the last one applies to
	// any further arguments.
	Params []Type
	// Result is the result's type. With SameAsArgs, the result is of the
	// arguments' type (their common type, else TypeAny).
	Result     Type
	SameAsArgs bool
	// Signature shows the arguments, e.g. "substr(s, start[, len])".
	Signature string
	// Doc says what the function computes, including for NULL.
	Doc string
}

// Param returns the type argument i (from 0) must have.
func (f FuncInfo) Param(i int) Type {
	if len(f.Params) == 0 {
		return TypeAny
	}
	if i >= len(f.Params) {
		i = len(f.Params) - 1
	}
	return f.Params[i]
}

var (
	anyParams = []Type{TypeAny}
	numParam  = []Type{TypeNumber}
	strParam  = []Type{TypeString}
)

// funcs is the catalog: every function a query may call. The engine
// implements exactly these.
var funcs = map[string]FuncInfo{}

func init() {
	for _, f := range []FuncInfo{
		// Scalar functions: NULL in, NULL out, unless said otherwise.
		{Name: "lower", MinArgs: 1, MaxArgs: 1, Params: strParam, Result: TypeString, Signature: "lower(s)", Doc: "s in lower case"},
		{Name: "upper", MinArgs: 1, MaxArgs: 1, Params: strParam, Result: TypeString, Signature: "upper(s)", Doc: "s in upper case"},
		{Name: "length", MinArgs: 1, MaxArgs: 1, Params: strParam, Result: TypeNumber, Signature: "length(s)", Doc: "the number of characters (Unicode code points) of s"},
		{Name: "trim", MinArgs: 1, MaxArgs: 1, Params: strParam, Result: TypeString, Signature: "trim(s)", Doc: "s without leading and trailing white space"},
		{Name: "substr", MinArgs: 2, MaxArgs: 3, Params: []Type{TypeString, TypeNumber, TypeNumber}, Result: TypeString, Signature: "substr(s, start[, len])", Doc: "the characters of s from start (the first is 1), at most len of them (default: to the end)"},
		{Name: "concat", MinArgs: 1, MaxArgs: -1, Params: anyParams, Result: TypeString, Signature: "concat(x, ...)", Doc: "the arguments as strings, joined; NULL arguments are skipped (|| instead gives NULL)"},
		{Name: "coalesce", MinArgs: 1, MaxArgs: -1, Params: anyParams, SameAsArgs: true, Signature: "coalesce(x, ...)", Doc: "the first argument that is not NULL, else NULL"},
		{Name: "abs", MinArgs: 1, MaxArgs: 1, Params: numParam, Result: TypeNumber, Signature: "abs(x)", Doc: "the absolute value of x"},
		{Name: "round", MinArgs: 1, MaxArgs: 2, Params: []Type{TypeNumber, TypeNumber}, Result: TypeNumber, Signature: "round(x[, digits])", Doc: "x rounded to digits decimal places (default 0), halves away from zero"},
		{Name: "floor", MinArgs: 1, MaxArgs: 1, Params: numParam, Result: TypeNumber, Signature: "floor(x)", Doc: "the greatest integer not above x"},
		{Name: "ceil", MinArgs: 1, MaxArgs: 1, Params: numParam, Result: TypeNumber, Signature: "ceil(x)", Doc: "the least integer not below x"},
		{Name: "sqrt", MinArgs: 1, MaxArgs: 1, Params: numParam, Result: TypeNumber, Signature: "sqrt(x)", Doc: "the square root of x (NULL for x < 0)"},
		{Name: "ln", MinArgs: 1, MaxArgs: 1, Params: numParam, Result: TypeNumber, Signature: "ln(x)", Doc: "the natural logarithm of x (NULL for x <= 0)"},
		{Name: "exp", MinArgs: 1, MaxArgs: 1, Params: numParam, Result: TypeNumber, Signature: "exp(x)", Doc: "e to the power x"},
		{Name: "power", MinArgs: 2, MaxArgs: 2, Params: []Type{TypeNumber, TypeNumber}, Result: TypeNumber, Signature: "power(x, y)", Doc: "x to the power y (NULL when not a real number)"},
		{Name: "greatest", MinArgs: 1, MaxArgs: -1, Params: anyParams, SameAsArgs: true, Signature: "greatest(x, ...)", Doc: "the greatest argument that is not NULL (numbers, or strings by bytes)"},
		{Name: "least", MinArgs: 1, MaxArgs: -1, Params: anyParams, SameAsArgs: true, Signature: "least(x, ...)", Doc: "the least argument that is not NULL (numbers, or strings by bytes)"},
		{Name: "to_timestamp", MinArgs: 1, MaxArgs: 1, Params: numParam, Result: TypeString, Signature: "to_timestamp(ms)", Doc: "ms milliseconds since 1970-01-01 UTC as an RFC 3339 string in UTC, e.g. 2026-12-07T10:00:00.000Z"},

		// Aggregates: NULL values are skipped; over no values, count is 0
		// and the others NULL.
		{Name: "count", Aggregate: true, MinArgs: 1, MaxArgs: 1, Params: anyParams, Result: TypeNumber, Signature: "count(*), count(x), count(DISTINCT x)", Doc: "the number of events (*), of values of x that are not NULL, or of distinct such values"},
		{Name: "sum", Aggregate: true, MinArgs: 1, MaxArgs: 1, Params: numParam, Result: TypeNumber, Signature: "sum(x)", Doc: "the sum of x"},
		{Name: "avg", Aggregate: true, MinArgs: 1, MaxArgs: 1, Params: numParam, Result: TypeNumber, Signature: "avg(x)", Doc: "the mean of x"},
		{Name: "min", Aggregate: true, MinArgs: 1, MaxArgs: 1, Params: anyParams, SameAsArgs: true, Signature: "min(x)", Doc: "the least x (numbers, or strings by bytes)"},
		{Name: "max", Aggregate: true, MinArgs: 1, MaxArgs: 1, Params: anyParams, SameAsArgs: true, Signature: "max(x)", Doc: "the greatest x (numbers, or strings by bytes)"},
		{Name: "count_distinct", Aggregate: true, MinArgs: 1, MaxArgs: 1, Params: anyParams, Result: TypeNumber, Signature: "count_distinct(x)", Doc: "the number of distinct values of x (exact; the same as count(DISTINCT x))"},
		{Name: "approx_percentile", Aggregate: true, MinArgs: 2, MaxArgs: 2, Params: []Type{TypeNumber, TypeNumber}, Result: TypeNumber, Signature: "approx_percentile(x, p)", Doc: "an estimate of the p-th quantile of x; p is a number literal from 0 to 1 (0.5: the median)"},
		{Name: "stddev", Aggregate: true, MinArgs: 1, MaxArgs: 1, Params: numParam, Result: TypeNumber, Signature: "stddev(x)", Doc: "the sample standard deviation of x (NULL for fewer than two values)"},
		{Name: "first", Aggregate: true, MinArgs: 1, MaxArgs: 1, Params: anyParams, SameAsArgs: true, Signature: "first(x)", Doc: "the first x of the window, in the order the query reads the events"},
		{Name: "last", Aggregate: true, MinArgs: 1, MaxArgs: 1, Params: anyParams, SameAsArgs: true, Signature: "last(x)", Doc: "the last x of the window, in the order the query reads the events"},
	} {
		funcs[f.Name] = f
	}
}

// LookupFunc returns the catalog's function of that name (in any case).
// Window functions (TUMBLE, HOP, SESSION, COUNT_WINDOW) are not in the
// catalog: they are GROUP BY syntax, see Window.
func LookupFunc(name string) (FuncInfo, bool) {
	f, ok := funcs[strings.ToLower(name)]
	return f, ok
}

// Funcs returns the catalog, sorted by name.
func Funcs() []FuncInfo {
	out := make([]FuncInfo, 0, len(funcs))
	for _, f := range funcs {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// windowFuncs are the window functions of GROUP BY, with their
// signatures.
var windowFuncs = map[string]struct {
	kind      WindowKind
	signature string
}{
	"tumble":       {Tumble, "TUMBLE(time, size)"},
	"hop":          {Hop, "HOP(time, slide, size)"},
	"session":      {Session, "SESSION(time, gap[, max])"},
	"count_window": {Count, "COUNT_WINDOW(n)"},
}

// String returns the window function's name: TUMBLE, HOP, SESSION or
// COUNT_WINDOW.
func (k WindowKind) String() string {
	switch k {
	case Tumble:
		return "TUMBLE"
	case Hop:
		return "HOP"
	case Session:
		return "SESSION"
	case Count:
		return "COUNT_WINDOW"
	}
	return "WindowKind(?)"
}

// String returns the window function as query text, e.g.
// TUMBLE(ts, INTERVAL '10' SECOND).
func (w *Window) String() string {
	switch w.Kind {
	case Tumble:
		return "TUMBLE(" + w.Time.String() + ", " + formatInterval(w.Size) + ")"
	case Hop:
		return "HOP(" + w.Time.String() + ", " + formatInterval(w.Slide) + ", " + formatInterval(w.Size) + ")"
	case Session:
		s := "SESSION(" + w.Time.String() + ", " + formatInterval(w.Gap)
		if w.MaxDuration > 0 {
			s += ", " + formatInterval(w.MaxDuration)
		}
		return s + ")"
	case Count:
		return "COUNT_WINDOW(" + formatNumber(float64(w.Count)) + ")"
	}
	return w.Kind.String() + "(?)"
}

// Why the functions of forbiddenFuncs are refused.
const (
	notClock  = "a query's results must not depend on when they are computed (a replay, or a restart from a checkpoint, must give the same results); use a time field of the event, or _time, its append time"
	notRandom = "a query's results must be the same each time its input is read (a replay, or a restart from a checkpoint)"
)

// forbiddenFuncs are functions other dialects have that a continuous
// query must not call, with why.
var forbiddenFuncs = map[string]string{
	"now": notClock, "current_timestamp": notClock, "current_date": notClock, "current_time": notClock,
	"localtime": notClock, "localtimestamp": notClock, "sysdate": notClock, "getdate": notClock,
	"unix_timestamp": notClock, "clock_timestamp": notClock,
	"random": notRandom, "rand": notRandom, "uuid": notRandom, "gen_random_uuid": notRandom,
}

// suggestFunc returns the known function (or window function) name
// closest to name, or "" when none is close.
func suggestFunc(name string) string {
	var names []string
	for n := range funcs {
		names = append(names, n)
	}
	for n := range windowFuncs {
		names = append(names, n)
	}
	return closest(strings.ToLower(name), names)
}

// closest returns the candidate within a small edit distance of s (the
// nearest, ties broken by name), or "".
func closest(s string, candidates []string) string {
	if len(s) > 64 {
		return ""
	}
	sort.Strings(candidates)
	best, bestD := "", 0
	for _, c := range candidates {
		d := editDistance(s, c)
		limit := 2
		if len(s) <= 3 || len(c) <= 3 {
			limit = 1
		}
		if d <= limit && (best == "" || d < bestD) {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of a and b (in bytes).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
