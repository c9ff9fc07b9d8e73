package engine

import (
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// kind is the type of a value.
type kind uint8

const (
	kNull kind = iota
	kNum       // n
	kStr       // s
	kBool      // i: 0 or 1
	kTime      // i: Unix nanoseconds
	kDur       // i: nanoseconds (INTERVAL literals)
	kRaw       // s: a JSON object or array, as its text
)

// value is one SQL value. Numbers are float64 (JSON numbers are read as
// IEEE doubles, so integers beyond 2^53 lose precision). A value shares
// no memory with the event it came from (its strings are copies), so
// state may keep it as it is.
type value struct {
	k kind
	n float64
	i int64
	s string
}

var null = value{}

func numVal(f float64) value {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return null
	}
	return value{k: kNum, n: f}
}

func strVal(s string) value { return value{k: kStr, s: s} }

func boolVal(b bool) value {
	if b {
		return value{k: kBool, i: 1}
	}
	return value{k: kBool}
}

func timeVal(ns int64) value { return value{k: kTime, i: ns} }

func (v value) isTrue() bool { return v.k == kBool && v.i != 0 }

// typeName names v's type for error messages.
func (v value) typeName() string {
	switch v.k {
	case kNull:
		return "null"
	case kNum:
		return "number"
	case kStr:
		return "string"
	case kBool:
		return "boolean"
	case kTime:
		return "timestamp"
	case kDur:
		return "interval"
	case kRaw:
		if v.s != "" && v.s[0] == '[' {
			return "array"
		}
		return "object"
	}
	return "unknown"
}

// describe is typeName with a short excerpt of the value, for errors.
func (v value) describe() string {
	b := appendJSON(nil, v)
	if len(b) > 40 {
		b = append(b[:37], "..."...)
	}
	return v.typeName() + " " + string(b)
}

// text is v as text for concatenation and CAST AS string.
func (v value) text() string {
	switch v.k {
	case kStr, kRaw:
		return v.s
	case kNum:
		return string(appendFloat(nil, v.n))
	case kBool:
		if v.i != 0 {
			return "true"
		}
		return "false"
	case kTime:
		return formatTime(v.i)
	case kDur:
		return time.Duration(v.i).String()
	}
	return ""
}

// timeLayout is how times are written: RFC 3339, UTC, always nine
// fractional digits (so the text sorts as the time does).
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

func formatTime(ns int64) string { return time.Unix(0, ns).UTC().Format(timeLayout) }

func appendTime(b []byte, ns int64) []byte {
	return time.Unix(0, ns).UTC().AppendFormat(b, timeLayout)
}

// appendJSON appends v as JSON. Numbers that are not finite are null.
func appendJSON(b []byte, v value) []byte {
	switch v.k {
	case kNum:
		if math.IsNaN(v.n) || math.IsInf(v.n, 0) {
			return append(b, "null"...)
		}
		return appendFloat(b, v.n)
	case kStr:
		return appendString(b, v.s)
	case kBool:
		if v.i != 0 {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	case kTime:
		b = append(b, '"')
		b = appendTime(b, v.i)
		return append(b, '"')
	case kDur:
		return appendString(b, time.Duration(v.i).String())
	case kRaw:
		return append(b, v.s...)
	}
	return append(b, "null"...)
}

// appendFloat formats f as encoding/json does: the shortest text that
// reads back as f, in exponent form only for very small or large values.
func appendFloat(b []byte, f float64) []byte {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// 1e-07 becomes 1e-7.
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string; invalid UTF-8 becomes U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
