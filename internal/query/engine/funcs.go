package engine

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/braidstream/braid/internal/query/sql"
)

// scalar is a scalar function. Unless keepNulls, a NULL argument makes the
// result NULL without calling fn. fn's error message is wrapped with the
// call's text.
type scalar struct {
	min, max  int // argument count; max -1: any
	keepNulls bool
	fn        func(args []value) (value, string)
}

// scalars are the scalar functions of the sql catalog (coalesce aside);
// TestCatalog checks that they match it. A math function whose result is not a
// finite number (sqrt(-1), ln(0), an overflow) gives NULL.
var scalars = map[string]scalar{
	"lower":  {1, 1, false, strFn(strings.ToLower)},
	"upper":  {1, 1, false, strFn(strings.ToUpper)},
	"trim":   {1, 1, false, strFn(strings.TrimSpace)},
	"length": {1, 1, false, fnLength},
	"substr": {2, 3, false, fnSubstr},
	"concat": {0, -1, true, fnConcat},
	// coalesce is compiled apart (it evaluates lazily).
	"abs":          {1, 1, false, numFn(math.Abs)},
	"floor":        {1, 1, false, numFn(math.Floor)},
	"ceil":         {1, 1, false, numFn(math.Ceil)},
	"sqrt":         {1, 1, false, numFn(math.Sqrt)},
	"ln":           {1, 1, false, numFn(math.Log)},
	"exp":          {1, 1, false, numFn(math.Exp)},
	"round":        {1, 2, false, fnRound},
	"power":        {2, 2, false, fnPower},
	"greatest":     {1, -1, true, extremeFn(1)},
	"least":        {1, -1, true, extremeFn(-1)},
	"to_timestamp": {1, 1, false, fnToTimestamp},
}

func (c *compiler) call(x *sql.Call) (evalFn, error) {
	args := make([]evalFn, len(x.Args))
	for i, a := range x.Args {
		var err error
		if args[i], err = c.compile(a); err != nil {
			return nil, err
		}
	}
	if x.Name == "coalesce" {
		return func(r *row) (value, error) {
			for _, a := range args {
				v, err := a(r)
				if err != nil || v.k != kNull {
					return v, err
				}
			}
			return null, nil
		}, nil
	}
	s, ok := scalars[x.Name]
	if !ok {
		return nil, fmt.Errorf("%s: unknown function %s", x.Position(), x.Name)
	}
	if len(args) < s.min || (s.max >= 0 && len(args) > s.max) {
		return nil, fmt.Errorf("%s: wrong number of arguments to %s", x.Position(), x.Name)
	}
	text := x.String()
	// vals is reused across calls: an engine evaluates one event at a
	// time, and a call cannot reenter itself.
	vals := make([]value, len(args))
	return func(r *row) (value, error) {
		for i, a := range args {
			v, err := a(r)
			if err != nil {
				return null, err
			}
			if v.k == kNull && !s.keepNulls {
				return null, nil
			}
			vals[i] = v
		}
		v, msg := s.fn(vals)
		if msg != "" {
			return null, &evalError{text, msg}
		}
		return v, nil
	}, nil
}

func wants(what string, v value) string { return "wants " + what + ", found a " + v.describe() }

func strFn(f func(string) string) func([]value) (value, string) {
	return func(a []value) (value, string) {
		if a[0].k != kStr {
			return null, wants("a string", a[0])
		}
		return strVal(f(a[0].s)), ""
	}
}

func numFn(f func(float64) float64) func([]value) (value, string) {
	return func(a []value) (value, string) {
		if a[0].k != kNum {
			return null, wants("a number", a[0])
		}
		return numVal(f(a[0].n)), ""
	}
}

func fnLength(a []value) (value, string) {
	if a[0].k != kStr {
		return null, wants("a string", a[0])
	}
	return numVal(float64(utf8.RuneCountInString(a[0].s))), ""
}

// fnSubstr is substr(s, start [, length]) on characters, from 1, as in
// PostgreSQL: positions before 1 count toward the length; fractional
// numbers are truncated.
func fnSubstr(a []value) (value, string) {
	if a[0].k != kStr {
		return null, wants("a string", a[0])
	}
	if a[1].k != kNum {
		return null, wants("a number", a[1])
	}
	runes := []rune(a[0].s)
	start := clampInt(a[1].n)
	end := int64(len(runes)) + 1
	if len(a) == 3 {
		if a[2].k != kNum {
			return null, wants("a number", a[2])
		}
		n := clampInt(a[2].n)
		if n < 0 {
			return null, "negative substring length"
		}
		if start+n < end {
			end = start + n
		}
	}
	if start < 1 {
		start = 1
	}
	if start >= end {
		return strVal(""), ""
	}
	return strVal(string(runes[start-1 : end-1])), ""
}

func clampInt(f float64) int64 {
	switch {
	case f > 1<<40:
		return 1 << 40
	case f < -(1 << 40):
		return -(1 << 40)
	}
	return int64(f)
}

// fnConcat joins its arguments' text, skipping NULLs.
func fnConcat(a []value) (value, string) {
	var b strings.Builder
	for _, v := range a {
		if v.k != kNull {
			b.WriteString(v.text())
		}
	}
	return strVal(b.String()), ""
}

// fnRound rounds half away from zero, to digits places (default 0).
func fnRound(a []value) (value, string) {
	if a[0].k != kNum {
		return null, wants("a number", a[0])
	}
	if len(a) == 1 {
		return numVal(math.Round(a[0].n)), ""
	}
	if a[1].k != kNum {
		return null, wants("a number", a[1])
	}
	d := clampInt(a[1].n)
	if d > 300 || d < -300 {
		return a[0], ""
	}
	p := math.Pow(10, float64(d))
	// Round x·10^d to 15 significant digits first, so binary noise does
	// not decide a half: round(2.345, 2) is 2.35, as written.
	y, err := strconv.ParseFloat(strconv.FormatFloat(a[0].n*p, 'g', 15, 64), 64)
	if err != nil {
		return null, ""
	}
	return numVal(math.Round(y) / p), ""
}

func fnPower(a []value) (value, string) {
	if a[0].k != kNum {
		return null, wants("a number", a[0])
	}
	if a[1].k != kNum {
		return null, wants("a number", a[1])
	}
	return numVal(math.Pow(a[0].n, a[1].n)), ""
}

// extremeFn is greatest (sign 1) or least (-1): NULLs are skipped; the
// others must be of one orderable type.
func extremeFn(sign int) func([]value) (value, string) {
	return func(a []value) (value, string) {
		best := null
		for _, v := range a {
			if v.k == kNull {
				continue
			}
			if best.k == kNull {
				if v.k == kRaw {
					return null, wants("numbers, strings or timestamps", v)
				}
				best = v
				continue
			}
			n, err := compare(v, best)
			if err != nil {
				return null, err.Error()
			}
			if n*sign > 0 {
				best = v
			}
		}
		return best, ""
	}
}

// fnToTimestamp is to_timestamp(ms): milliseconds since 1970 as an RFC
// 3339 string in UTC with milliseconds, as the catalog says
// (2026-12-07T10:00:00.000Z). An RFC 3339 string or a timestamp (_time) is
// taken too, and written the same way.
func fnToTimestamp(a []value) (value, string) {
	t, why := toTime(a[0])
	if why != "" {
		return null, why
	}
	return strVal(time.Unix(0, t).UTC().Format("2006-01-02T15:04:05.000Z07:00")), ""
}
