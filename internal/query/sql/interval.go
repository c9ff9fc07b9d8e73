package sql

import (
	"math"
	"strconv"
	"strings"
	"time"
)

const day = 24 * time.Hour

// intervalUnits are the unit words after INTERVAL '5' (singular and
// plural, any case).
var intervalUnits = map[string]time.Duration{
	"millisecond": time.Millisecond, "milliseconds": time.Millisecond,
	"second": time.Second, "seconds": time.Second,
	"minute": time.Minute, "minutes": time.Minute,
	"hour": time.Hour, "hours": time.Hour,
	"day": day, "days": day,
}

// textUnits are the units inside a duration string ('1.5 seconds',
// '500ms', '1m30s'): the unit words and Go's abbreviations.
var textUnits = map[string]time.Duration{
	"ns": time.Nanosecond, "us": time.Microsecond, "µs": time.Microsecond, "μs": time.Microsecond,
	"ms": time.Millisecond, "msec": time.Millisecond, "msecs": time.Millisecond,
	"s": time.Second, "sec": time.Second, "secs": time.Second,
	"m": time.Minute, "min": time.Minute, "mins": time.Minute,
	"h": time.Hour, "hr": time.Hour, "hrs": time.Hour,
	"d": day,
}

func lookupTextUnit(u string) (time.Duration, bool) {
	u = strings.ToLower(u)
	if d, ok := textUnits[u]; ok {
		return d, true
	}
	d, ok := intervalUnits[u]
	return d, ok
}

// scaleDecimal returns the decimal number s (digits, an optional '.' and
// fraction digits; no sign or exponent) times unit, exactly to the
// nanosecond (further fraction digits are dropped), or a problem.
func scaleDecimal(s string, unit time.Duration) (time.Duration, string) {
	intPart, frac, _ := strings.Cut(s, ".")
	if intPart == "" && frac == "" || !allDigits(intPart) || !allDigits(frac) {
		return 0, "not a number"
	}
	var whole int64
	for _, c := range []byte(intPart) {
		if whole > (math.MaxInt64-9)/10 {
			return 0, "too large"
		}
		whole = whole*10 + int64(c-'0')
	}
	if whole > math.MaxInt64/int64(unit) {
		return 0, "too large"
	}
	total := whole * int64(unit)
	rem := int64(unit)
	for _, c := range []byte(frac) {
		rem /= 10
		if rem == 0 {
			break
		}
		add := int64(c-'0') * rem
		if total > math.MaxInt64-add {
			return 0, "too large"
		}
		total += add
	}
	return time.Duration(total), ""
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// parseDurationText parses a duration string: Go style ("500ms",
// "1m30s", "1.5h"), or numbers with unit words ("1.5 seconds",
// "2 hours 30 minutes", "2d"); "0" alone is zero. It returns a problem
// when s is not one. No sign: durations are not negative here.
func parseDurationText(s string) (time.Duration, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, "it is empty"
	}
	if strings.HasPrefix(s, "-") {
		return 0, "a duration cannot be negative"
	}
	if s == "0" {
		return 0, ""
	}
	var total time.Duration
	i := 0
	for i < len(s) {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		j := i
		for j < len(s) && (isDigit(s[j]) || s[j] == '.') {
			j++
		}
		num := s[i:j]
		if num == "" {
			return 0, "expected a number at " + strconv.Quote(clip(s[i:]))
		}
		for j < len(s) && s[j] == ' ' {
			j++
		}
		k := j
		for k < len(s) && s[k] != ' ' && !isDigit(s[k]) && s[k] != '.' {
			k++
		}
		unitText := s[j:k]
		if unitText == "" {
			return 0, "the number " + num + " has no unit (ms, s, m, h, d, or a word such as seconds)"
		}
		unit, ok := lookupTextUnit(unitText)
		if !ok {
			return 0, "unknown unit " + strconv.Quote(clip(unitText)) + " (use ms, s, m, h, d, or a word such as seconds)"
		}
		d, problem := scaleDecimal(num, unit)
		if problem != "" {
			return 0, num + " " + unitText + " is " + problem
		}
		if total > math.MaxInt64-d {
			return 0, "it is too large"
		}
		total += d
		i = k
	}
	return total, ""
}

// formatInterval prints d as an INTERVAL literal that reads back as d:
// the largest unit that divides it, else seconds with a fraction.
func formatInterval(d time.Duration) string {
	if d < 0 {
		// Not a literal the parser makes; printed for what it is.
		return "-" + formatInterval(-d)
	}
	units := []struct {
		d    time.Duration
		name string
	}{{day, "DAY"}, {time.Hour, "HOUR"}, {time.Minute, "MINUTE"}, {time.Second, "SECOND"}, {time.Millisecond, "MILLISECOND"}}
	if d == 0 {
		return "INTERVAL '0' SECOND"
	}
	for _, u := range units {
		if d%u.d == 0 {
			return "INTERVAL '" + strconv.FormatInt(int64(d/u.d), 10) + "' " + u.name
		}
	}
	frac := strings.TrimRight(strconv.FormatInt(int64(d%time.Second)+1e9, 10)[1:], "0")
	return "INTERVAL '" + strconv.FormatInt(int64(d/time.Second), 10) + "." + frac + "' SECOND"
}

// formatDuration prints d for an error message, e.g. 10s, 1m30s, 7d.
func formatDuration(d time.Duration) string {
	if d >= day && d%day == 0 {
		return strconv.FormatInt(int64(d/day), 10) + "d"
	}
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}
