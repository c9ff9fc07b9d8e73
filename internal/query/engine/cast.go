package engine

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/braidstream/braid/internal/query/sql"
)

// CAST(x AS type) converts; NULL stays NULL and a value that does not
// convert is a type error.
//
//   - number: a number as is; a string holding a finite number (spaces
//     around it allowed: '12.5' → 12.5); a boolean as 1 or 0; a
//     timestamp as milliseconds since 1970.
//   - string: the value's text (numbers as in JSON, timestamps in RFC
//     3339, objects and arrays as their JSON text).
//   - boolean: a boolean as is; a number, true when not 0; a string
//     true/false, t/f or 1/0 in any case.
//   - timestamp: as to_timestamp.
func (c *compiler) cast(x *sql.Cast) (evalFn, error) {
	f, err := c.compile(x.X)
	if err != nil {
		return nil, err
	}
	var conv func(value) (value, bool)
	switch strings.ToLower(x.Type) {
	case "number", "double", "float", "int", "integer", "bigint", "numeric", "decimal":
		conv = castNumber
	case "string", "text", "varchar":
		conv = func(v value) (value, bool) { return strVal(v.text()), true }
	case "boolean", "bool":
		conv = castBool
	case "timestamp":
		conv = func(v value) (value, bool) {
			t, why := toTime(v)
			return timeVal(t), why == ""
		}
	default:
		return nil, fmt.Errorf("%s: CAST to unknown type %s", x.Position(), x.Type)
	}
	text := x.String()
	typ := strings.ToLower(x.Type)
	return func(r *row) (value, error) {
		v, err := f(r)
		if err != nil || v.k == kNull {
			return null, err
		}
		w, ok := conv(v)
		if !ok {
			return null, &evalError{text, "cannot convert a " + v.describe() + " to " + typ}
		}
		return w, nil
	}, nil
}

func castNumber(v value) (value, bool) {
	switch v.k {
	case kNum:
		return v, true
	case kBool:
		return numVal(float64(v.i)), true
	case kTime:
		return numVal(float64(v.i) / 1e6), true
	case kStr:
		f, err := strconv.ParseFloat(strings.TrimSpace(v.s), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return null, false
		}
		return numVal(f), true
	}
	return null, false
}

func castBool(v value) (value, bool) {
	switch v.k {
	case kBool:
		return v, true
	case kNum:
		return boolVal(v.n != 0), true
	case kStr:
		switch strings.ToLower(strings.TrimSpace(v.s)) {
		case "true", "t", "1":
			return boolVal(true), true
		case "false", "f", "0":
			return boolVal(false), true
		}
	}
	return null, false
}
