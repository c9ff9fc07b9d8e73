package wire

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// MakeSegmentID returns the id of segment number within epoch:
// epoch<<32 | number.
func MakeSegmentID(epoch, number uint32) uint64 {
	return uint64(epoch)<<32 | uint64(number)
}

// SegmentEpoch returns the epoch part (the high 32 bits) of a segment id.
func SegmentEpoch(id uint64) uint32 {
	return uint32(id >> 32)
}

// SegmentNumber returns the segment number part (the low 32 bits) of a
// segment id.
func SegmentNumber(id uint64) uint32 {
	return uint32(id)
}

// EventPointer says where one event lives, so that it can be read back alone.
//
// Offset is where the event's 8-byte header starts in the segment and Length
// is the framed length, header included, so an event with an empty payload
// has Length HeaderSize. A valid pointer has Offset >= 0, Length >= HeaderSize
// and Offset+Length <= math.MaxInt64; ParsePointer accepts only those.
type EventPointer struct {
	// Stream is the qualified stream name, "scope/stream". It is not part of
	// the String form; it may be empty where the context gives the stream.
	Stream    string
	SegmentID uint64
	Offset    int64
	Length    int32
}

// PointerTextLen is the length of an event pointer's text form.
const PointerTextLen = 16 + 1 + 16 + 1 + 8

const hexDigits = "0123456789abcdef"

// putHex writes v into dst as len(dst) lower-case hex digits, zero padded.
func putHex(dst []byte, v uint64) {
	for i := len(dst) - 1; i >= 0; i-- {
		dst[i] = hexDigits[v&0xf]
		v >>= 4
	}
}

// String returns the pointer's text form, without the stream:
//
//	<segment id, 16 hex>-<offset, 16 hex>-<length, 8 hex>
//
// in fixed-width lower-case hex, for example
// "0000000100000002-0000000000001000-0000002a". Sorting the texts of
// pointers sorts them by (segment id, offset). The fields are printed as
// unsigned bits, so an invalid pointer (negative offset or length) prints
// a text that ParsePointer rejects.
func (p EventPointer) String() string {
	var b [PointerTextLen]byte
	p.put(b[:])
	return string(b[:])
}

func (p EventPointer) put(b []byte) {
	putHex(b[0:16], p.SegmentID)
	b[16] = '-'
	putHex(b[17:33], uint64(p.Offset))
	b[33] = '-'
	putHex(b[34:42], uint64(uint32(p.Length)))
}

// Qualified returns "scope/stream/" followed by String() when Stream is set,
// and just String() when it is not. ParsePointer accepts both forms.
func (p EventPointer) Qualified() string {
	if p.Stream == "" {
		return p.String()
	}
	b := make([]byte, len(p.Stream)+1+PointerTextLen)
	n := copy(b, p.Stream)
	b[n] = '/'
	p.put(b[n+1:])
	return string(b)
}

const pointerWant = "want <segment:16 hex>-<offset:16 hex>-<length:8 hex>"

func pointerError(s, problem string) error {
	if problem == "" {
		return errors.New("wire: invalid event pointer " + quote(s) + ": " + pointerWant)
	}
	return errors.New("wire: invalid event pointer " + quote(s) + ": " + problem + "; " + pointerWant)
}

// parseHex parses s as lower-case hex digits. It returns a problem text
// naming field if a character is not a lower-case hex digit.
func parseHex(s, field string) (uint64, string) {
	var v uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			v = v<<4 | uint64(c-'0')
		case 'a' <= c && c <= 'f':
			v = v<<4 | uint64(c-'a'+10)
		case 'A' <= c && c <= 'F':
			return 0, fmt.Sprintf("%s has upper-case hex digit %q (use lower-case)", field, rune(c))
		default:
			return 0, field + " has " + describeChar(s[i:]) + ", not a hex digit"
		}
	}
	return v, ""
}

// describeChar describes the character at the start of s for an error
// message, printing invalid UTF-8 as a byte value.
func describeChar(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError && size <= 1 {
		return fmt.Sprintf("byte 0x%02x", s[0])
	}
	return fmt.Sprintf("character %q", r)
}

// ParsePointer parses the text form of an event pointer, as made by String,
// or a qualified form "scope/stream/<pointer>" as made by Qualified, which
// also sets Stream. Anything else is rejected with an error that quotes the
// input and says what was wrong: the wrong length, a missing '-', a
// character that is not lower-case hex, a negative offset (top bit set), a
// length below HeaderSize or above math.MaxInt32, an offset+length past
// math.MaxInt64, or an invalid stream name.
func ParsePointer(s string) (EventPointer, error) {
	var p EventPointer
	text := s
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		if _, _, err := SplitStream(s[:i]); err != nil {
			return EventPointer{}, errors.New("wire: invalid event pointer " + quote(s) + ": stream part: " + strings.TrimPrefix(err.Error(), "wire: ") + "; want [scope/stream/]<segment:16 hex>-<offset:16 hex>-<length:8 hex>")
		}
		p.Stream = s[:i]
		text = s[i+1:]
	}
	if len(text) != PointerTextLen {
		if len(text) == 0 {
			return EventPointer{}, pointerError(s, "empty")
		}
		return EventPointer{}, pointerError(s, fmt.Sprintf("wrong length (got %d characters, want %d)", len(text), PointerTextLen))
	}
	if text[16] != '-' || text[33] != '-' {
		return EventPointer{}, pointerError(s, "'-' missing after segment id or offset")
	}
	seg, problem := parseHex(text[0:16], "segment id")
	if problem != "" {
		return EventPointer{}, pointerError(s, problem)
	}
	off, problem := parseHex(text[17:33], "offset")
	if problem != "" {
		return EventPointer{}, pointerError(s, problem)
	}
	length, problem := parseHex(text[34:42], "length")
	if problem != "" {
		return EventPointer{}, pointerError(s, problem)
	}
	switch {
	case off > math.MaxInt64:
		return EventPointer{}, errors.New("wire: invalid event pointer " + quote(s) + ": offset is negative (top bit set)")
	case length > math.MaxInt32:
		return EventPointer{}, errors.New("wire: invalid event pointer " + quote(s) + ": length exceeds the int32 maximum")
	case length < HeaderSize:
		return EventPointer{}, errors.New("wire: invalid event pointer " + quote(s) + ": length is less than the 8-byte event header")
	case off > math.MaxInt64-length:
		return EventPointer{}, errors.New("wire: invalid event pointer " + quote(s) + ": offset + length overflows int64")
	}
	p.SegmentID = seg
	p.Offset = int64(off)
	p.Length = int32(length)
	return p, nil
}
