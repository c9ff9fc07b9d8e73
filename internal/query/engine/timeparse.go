package engine

import (
	"math"
	"time"
)

// Event times are held as Unix nanoseconds (int64), which spans the years
// 1678 to 2262; times outside are bad times.
var (
	minTime = time.Unix(0, math.MinInt64+1)
	maxTime = time.Unix(0, math.MaxInt64)
)

// parseTimeText reads an RFC 3339 time (fractional seconds optional).
func parseTimeText(s string) (int64, bool) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.Before(minTime) || t.After(maxTime) {
		return 0, false
	}
	return t.UnixNano(), true
}

// msToNanos converts milliseconds since 1970 to nanoseconds, exactly for
// whole milliseconds (a fraction is rounded to the nanosecond).
func msToNanos(ms float64) (int64, bool) {
	if math.IsNaN(ms) || math.Abs(ms) >= 9.2e12 {
		return 0, false
	}
	whole := math.Floor(ms)
	return int64(whole)*1e6 + int64(math.Round((ms-whole)*1e6)), true
}

// toTime reads a value as a time: a timestamp, an RFC 3339 string, or a
// number of milliseconds since 1970. why says what was wrong otherwise.
func toTime(v value) (ns int64, why string) {
	switch v.k {
	case kTime:
		return v.i, ""
	case kStr:
		if t, ok := parseTimeText(v.s); ok {
			return t, ""
		}
		return 0, "not an RFC 3339 time: " + v.describe()
	case kNum:
		if t, ok := msToNanos(v.n); ok {
			return t, ""
		}
		return 0, "milliseconds out of range: " + v.describe()
	case kNull:
		return 0, "missing or null"
	}
	return 0, "not a time: " + v.describe()
}

// fromNanos is the time.Time of Unix nanoseconds, in UTC.
func fromNanos(ns int64) time.Time { return time.Unix(0, ns).UTC() }

// toNanos is t as Unix nanoseconds, clamped to the representable range.
func toNanos(t time.Time) int64 {
	switch {
	case t.Before(minTime):
		return math.MinInt64 + 1
	case t.After(maxTime):
		return math.MaxInt64
	}
	return t.UnixNano()
}
