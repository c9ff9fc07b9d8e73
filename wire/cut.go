package wire

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// SegmentOffset is one entry of a stream cut: an event boundary (the offset
// of an event's header, or the segment's end) in one segment.
type SegmentOffset struct {
	SegmentID uint64
	Offset    int64
}

// StreamCut is a position in a stream: for each segment it names, the offset
// of an event boundary in that segment. Segments is kept sorted by SegmentID
// with no duplicates and no negative offsets; ParseStreamCut and With keep
// that order, and code building a StreamCut by hand must too. A cut with no
// segments is valid and has a text form.
//
// Whether a cut covers the whole key space is a property of the stream's
// segment layout, which this package does not know; the server checks it.
type StreamCut struct {
	// Stream is the qualified stream name, "scope/stream". It is not part of
	// the String form; it may be empty where the context gives the stream.
	Stream   string
	Segments []SegmentOffset
}

// MaxCutSegments is the largest number of segments a stream cut may name.
const MaxCutSegments = 65536

// cutVersion1 is the prefix of the version 1 text form.
const cutVersion1 = "v1."

// maxCutPayload is the largest valid decoded stream cut: the count, the
// largest varints for every segment id and offset, and the checksum.
const maxCutPayload = binary.MaxVarintLen32 + MaxCutSegments*(binary.MaxVarintLen64+binary.MaxVarintLen64-1) + 4

var cutEncoding = base64.RawURLEncoding.Strict()

// maxCutText is the length of the longest valid stream cut text.
var maxCutText = len(cutVersion1) + cutEncoding.EncodedLen(maxCutPayload)

// String returns the cut's text form: "v1." followed by the unpadded
// base64url (RFC 4648 section 5) encoding of
//
//	uvarint(count) { uvarint(segment id) uvarint(offset) } crc32c(big-endian, 4 bytes)
//
// where the CRC32C covers every byte before it. The text is URL-safe and
// contains no '/', and the Stream field is not part of it. The words "head"
// and "tail" that the CLI accepts are not stream cut texts.
//
// String encodes the segments in the order they are stored; a cut that
// breaks the StreamCut invariants produces a text that ParseStreamCut
// rejects.
func (c StreamCut) String() string {
	payload := make([]byte, 0, binary.MaxVarintLen64+len(c.Segments)*(2*binary.MaxVarintLen64)+4)
	payload = binary.AppendUvarint(payload, uint64(len(c.Segments)))
	for _, s := range c.Segments {
		payload = binary.AppendUvarint(payload, s.SegmentID)
		payload = binary.AppendUvarint(payload, uint64(s.Offset))
	}
	payload = binary.BigEndian.AppendUint32(payload, checksum(payload))
	out := make([]byte, 0, len(cutVersion1)+cutEncoding.EncodedLen(len(payload)))
	out = append(out, cutVersion1...)
	out = cutEncoding.AppendEncode(out, payload)
	return string(out)
}

func cutError(s, problem string) error {
	return errors.New("wire: invalid stream cut " + quote(s) + ": " + problem)
}

// Problems readUvarint reports.
const (
	problemTruncated = "truncated"
	problemOverlong  = "non-minimal varint"
	problemOverflow  = "varint overflows 64 bits"
)

// readUvarint decodes a minimally encoded unsigned varint from the start of
// b, returning the value and the bytes used, or a problem.
func readUvarint(b []byte) (v uint64, n int, problem string) {
	var shift uint
	for i, c := range b {
		if i == binary.MaxVarintLen64 {
			return 0, 0, problemOverflow
		}
		if c < 0x80 {
			if i == binary.MaxVarintLen64-1 && c > 1 {
				return 0, 0, problemOverflow
			}
			if c == 0 && i > 0 {
				return 0, 0, problemOverlong
			}
			return v | uint64(c)<<shift, i + 1, ""
		}
		v |= uint64(c&0x7f) << shift
		shift += 7
	}
	return 0, 0, problemTruncated
}

// ParseStreamCut parses the text form made by StreamCut.String. The result
// has an empty Stream. Errors quote the input and say what was wrong: an
// unknown or missing version prefix, text too long, bad base64, a checksum
// mismatch, truncated data, a non-minimal varint, a negative (overflowing)
// offset, duplicate or unsorted segments, more than MaxCutSegments
// segments, or trailing bytes. Only the exact text String would produce is
// accepted, so a parsed cut re-encodes to the same text.
func ParseStreamCut(s string) (StreamCut, error) {
	if !strings.HasPrefix(s, cutVersion1) {
		if i := strings.IndexByte(s, '.'); i > 0 && s[0] == 'v' && i <= 12 {
			return StreamCut{}, cutError(s, fmt.Sprintf("unknown version %q (this build reads v1)", s[:i]))
		}
		return StreamCut{}, cutError(s, "missing version prefix (want \"v1.\" followed by base64url)")
	}
	if len(s) > maxCutText {
		return StreamCut{}, cutError(s, fmt.Sprintf("too long (%d bytes, max %d)", len(s), maxCutText))
	}
	text := s[len(cutVersion1):]
	for i := 0; i < len(text); i++ {
		c := text[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' {
			continue
		}
		return StreamCut{}, cutError(s, fmt.Sprintf("bad base64: %s at position %d (want unpadded base64url: A-Z a-z 0-9 - _)", describeChar(text[i:]), len(cutVersion1)+i))
	}
	payload, err := cutEncoding.DecodeString(text)
	if err != nil {
		var ce base64.CorruptInputError
		if errors.As(err, &ce) {
			return StreamCut{}, cutError(s, fmt.Sprintf("bad base64 at position %d (wrong length or non-zero trailing bits)", len(cutVersion1)+int(ce)))
		}
		return StreamCut{}, cutError(s, "bad base64: "+err.Error())
	}
	if len(payload) < 4 {
		return StreamCut{}, cutError(s, problemTruncated)
	}
	body := payload[:len(payload)-4]
	if checksum(body) != binary.BigEndian.Uint32(payload[len(body):]) {
		return StreamCut{}, cutError(s, "checksum mismatch (text damaged or not a stream cut)")
	}
	count, n, problem := readUvarint(body)
	if problem != "" {
		return StreamCut{}, cutError(s, "segment count: "+problem)
	}
	body = body[n:]
	if count > MaxCutSegments {
		return StreamCut{}, cutError(s, fmt.Sprintf("too many segments (%d, max %d)", count, MaxCutSegments))
	}
	var c StreamCut
	if count > 0 {
		// Each entry takes at least two bytes; do not trust count further.
		c.Segments = make([]SegmentOffset, 0, min(int(count), len(body)/2))
	}
	for i := 0; i < int(count); i++ {
		seg, n, problem := readUvarint(body)
		if problem != "" {
			return StreamCut{}, cutError(s, fmt.Sprintf("segment %d of %d: id: %s", i+1, count, problem))
		}
		body = body[n:]
		off, n, problem := readUvarint(body)
		if problem != "" {
			return StreamCut{}, cutError(s, fmt.Sprintf("segment %d of %d: offset: %s", i+1, count, problem))
		}
		body = body[n:]
		if off > math.MaxInt64 {
			return StreamCut{}, cutError(s, fmt.Sprintf("segment %016x: offset %d overflows int64 (negative)", seg, off))
		}
		if i > 0 {
			prev := c.Segments[i-1].SegmentID
			if seg == prev {
				return StreamCut{}, cutError(s, fmt.Sprintf("duplicate segment %016x", seg))
			}
			if seg < prev {
				return StreamCut{}, cutError(s, fmt.Sprintf("segments not sorted (%016x after %016x)", seg, prev))
			}
		}
		c.Segments = append(c.Segments, SegmentOffset{SegmentID: seg, Offset: int64(off)})
	}
	if len(body) > 0 {
		return StreamCut{}, cutError(s, fmt.Sprintf("%d trailing bytes after %d segments", len(body), count))
	}
	return c, nil
}

func (c StreamCut) search(seg uint64) (int, bool) {
	return slices.BinarySearchFunc(c.Segments, seg, func(e SegmentOffset, seg uint64) int {
		switch {
		case e.SegmentID < seg:
			return -1
		case e.SegmentID > seg:
			return 1
		}
		return 0
	})
}

// Offset returns the offset the cut gives for segment seg, and whether the
// cut names that segment.
func (c StreamCut) Offset(seg uint64) (int64, bool) {
	i, ok := c.search(seg)
	if !ok {
		return 0, false
	}
	return c.Segments[i].Offset, true
}

// With returns a copy of c in which segment seg has offset off, added in
// order if c does not name it. c itself is not changed.
func (c StreamCut) With(seg uint64, off int64) StreamCut {
	i, ok := c.search(seg)
	out := StreamCut{Stream: c.Stream}
	if ok {
		out.Segments = slices.Clone(c.Segments)
		out.Segments[i].Offset = off
		return out
	}
	out.Segments = make([]SegmentOffset, 0, len(c.Segments)+1)
	out.Segments = append(out.Segments, c.Segments[:i]...)
	out.Segments = append(out.Segments, SegmentOffset{SegmentID: seg, Offset: off})
	out.Segments = append(out.Segments, c.Segments[i:]...)
	return out
}

// Equal reports whether c and o name the same stream and the same segments
// with the same offsets. A nil and an empty Segments are equal.
func (c StreamCut) Equal(o StreamCut) bool {
	return c.Stream == o.Stream && slices.Equal(c.Segments, o.Segments)
}
