package segstore

import (
	"encoding/binary"
	"errors"
	"fmt"
)

type entryKind byte

const (
	entryAppend   entryKind = 1
	entryCreate   entryKind = 2
	entrySeal     entryKind = 3
	entryTruncate entryKind = 4
	entryDelete   entryKind = 5
	// entryTime is a point of the segment's time index (timeindex.go):
	// Offset, Time and Prev.
	entryTime entryKind = 6
)

// entry is one decoded WAL entry. Data and Name alias the record buffer.
type entry struct {
	Kind       entryKind
	Handle     uint64
	Offset     int64
	Writer     string
	FirstEvent int64
	LastEvent  int64
	Data       []byte
	Name       string
	Time, Prev int64 // entryTime
}

func appendEntry(dst []byte, e *entry) []byte {
	dst = append(dst, byte(e.Kind))
	dst = binary.AppendUvarint(dst, e.Handle)
	switch e.Kind {
	case entryAppend:
		dst = binary.AppendUvarint(dst, uint64(e.Offset))
		dst = binary.AppendUvarint(dst, uint64(len(e.Writer)))
		dst = append(dst, e.Writer...)
		dst = binary.AppendUvarint(dst, uint64(e.FirstEvent))
		dst = binary.AppendUvarint(dst, uint64(e.LastEvent))
		dst = binary.AppendUvarint(dst, uint64(len(e.Data)))
		dst = append(dst, e.Data...)
	case entryCreate:
		dst = binary.AppendUvarint(dst, uint64(len(e.Name)))
		dst = append(dst, e.Name...)
	case entryTruncate:
		dst = binary.AppendUvarint(dst, uint64(e.Offset))
	case entryTime:
		dst = binary.AppendUvarint(dst, uint64(e.Offset))
		dst = binary.AppendUvarint(dst, uint64(e.Time))
		dst = binary.AppendUvarint(dst, uint64(e.Prev))
	}
	return dst
}

var errShortEntry = errors.New("entry truncated")

type entryReader struct {
	buf []byte
	err error
}

func (r *entryReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.buf)
	if n <= 0 {
		r.err = errShortEntry
		return 0
	}
	if n > 1 && r.buf[n-1] == 0 {
		// Not the minimal encoding (appendEntry never writes one): a
		// record has exactly one meaning and one encoding.
		r.err = errors.New("non-minimal varint in entry")
		return 0
	}
	r.buf = r.buf[n:]
	return v
}

func (r *entryReader) int63() int64 {
	v := r.uvarint()
	if v > 1<<62 && r.err == nil {
		r.err = fmt.Errorf("value %d out of range", v)
	}
	return int64(v)
}

func (r *entryReader) bytes() []byte {
	n := r.uvarint()
	if r.err != nil {
		return nil
	}
	if n > uint64(len(r.buf)) {
		r.err = errShortEntry
		return nil
	}
	b := r.buf[:n:n]
	r.buf = r.buf[n:]
	return b
}

// decodeEntries calls fn for each entry in a WAL record payload.
func decodeEntries(payload []byte, fn func(*entry) error) error {
	r := entryReader{buf: payload}
	var e entry
	for len(r.buf) > 0 {
		e = entry{Kind: entryKind(r.buf[0])}
		r.buf = r.buf[1:]
		e.Handle = r.uvarint()
		switch e.Kind {
		case entryAppend:
			e.Offset = r.int63()
			e.Writer = string(r.bytes())
			e.FirstEvent = r.int63()
			e.LastEvent = r.int63()
			e.Data = r.bytes()
		case entryCreate:
			e.Name = string(r.bytes())
		case entrySeal, entryDelete:
		case entryTruncate:
			e.Offset = r.int63()
		case entryTime:
			e.Offset = r.int63()
			e.Time = r.int63()
			e.Prev = r.int63()
		default:
			return fmt.Errorf("unknown entry kind %d", e.Kind)
		}
		if r.err != nil {
			return r.err
		}
		if err := fn(&e); err != nil {
			return err
		}
	}
	return nil
}
