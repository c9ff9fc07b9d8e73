package engine

import (
	"encoding/binary"
	"errors"
	"math"
)

// writer and reader are the snapshot's binary encoding: varints, float64
// bits, length-prefixed strings. A reader's first error sticks; reads after
// it return zero values, so decoding code checks r.err once at the end.

type writer struct{ b []byte }

func (w *writer) uvarint(x uint64) { w.b = binary.AppendUvarint(w.b, x) }
func (w *writer) varint(x int64)   { w.b = binary.AppendVarint(w.b, x) }
func (w *writer) f64(f float64)    { w.b = binary.LittleEndian.AppendUint64(w.b, math.Float64bits(f)) }
func (w *writer) str(s string) {
	w.uvarint(uint64(len(s)))
	w.b = append(w.b, s...)
}
func (w *writer) bool(b bool) {
	if b {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}

func (w *writer) value(v value) {
	w.b = append(w.b, byte(v.k))
	switch v.k {
	case kNum:
		w.f64(v.n)
	case kStr, kRaw:
		w.str(v.s)
	case kBool, kTime, kDur:
		w.varint(v.i)
	}
}

var errDamaged = errors.New("snapshot damaged")

type reader struct {
	b   []byte
	err error
}

func (r *reader) fail() {
	if r.err == nil {
		r.err = errDamaged
	}
	r.b = nil
}

func (r *reader) uvarint() uint64 {
	x, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return x
}

func (r *reader) varint() int64 {
	x, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return x
}

// count reads a collection's length, which each element needs at least a
// byte for: a damaged length cannot make the decoder allocate much.
func (r *reader) count() int {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.fail()
		return 0
	}
	return int(n)
}

func (r *reader) f64() float64 {
	if len(r.b) < 8 {
		r.fail()
		return 0
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64(r.b))
	r.b = r.b[8:]
	return f
}

func (r *reader) str() string {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.fail()
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *reader) bool() bool {
	if len(r.b) < 1 || r.b[0] > 1 {
		r.fail()
		return false
	}
	b := r.b[0] == 1
	r.b = r.b[1:]
	return b
}

func (r *reader) value() value {
	if len(r.b) < 1 {
		r.fail()
		return null
	}
	k := kind(r.b[0])
	r.b = r.b[1:]
	switch k {
	case kNull:
		return null
	case kNum:
		return value{k: k, n: r.f64()}
	case kStr, kRaw:
		return value{k: k, s: r.str()}
	case kBool, kTime, kDur:
		return value{k: k, i: r.varint()}
	}
	r.fail()
	return null
}
