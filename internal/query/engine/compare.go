package engine

import (
	"fmt"
	"strings"
)

// equal reports whether two non-NULL values are equal: values of different
// types are unequal (a timestamp and a string compare by reading the
// string as RFC 3339), objects and arrays compare by their text.
func equal(a, b value) bool {
	if a.k != b.k {
		if c, ok := compareTimeText(a, b); ok {
			return c == 0
		}
		return false
	}
	switch a.k {
	case kNum:
		return a.n == b.n
	case kStr, kRaw:
		return a.s == b.s
	default:
		return a.i == b.i
	}
}

// compare orders two non-NULL values of one type: numbers, strings,
// booleans (false first), timestamps, intervals. A timestamp compares with
// a string holding an RFC 3339 time. Other pairs are a type error.
func compare(a, b value) (int, error) {
	if a.k != b.k {
		if c, ok := compareTimeText(a, b); ok {
			return c, nil
		}
		return 0, fmt.Errorf("cannot compare a %s with a %s", a.describe(), b.describe())
	}
	switch a.k {
	case kNum:
		switch {
		case a.n < b.n:
			return -1, nil
		case a.n > b.n:
			return 1, nil
		}
		return 0, nil
	case kStr:
		return strings.Compare(a.s, b.s), nil
	case kBool, kTime, kDur:
		switch {
		case a.i < b.i:
			return -1, nil
		case a.i > b.i:
			return 1, nil
		}
		return 0, nil
	}
	return 0, fmt.Errorf("cannot order a %s", a.typeName())
}

// compareTimeText compares a timestamp with a string that parses as RFC
// 3339; ok is false for any other pair.
func compareTimeText(a, b value) (int, bool) {
	switch {
	case a.k == kTime && b.k == kStr:
		t, ok := parseTimeText(b.s)
		if !ok {
			return 0, false
		}
		return cmpInt(a.i, t), true
	case a.k == kStr && b.k == kTime:
		t, ok := parseTimeText(a.s)
		if !ok {
			return 0, false
		}
		return cmpInt(t, b.i), true
	}
	return 0, false
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
