package wire

import (
	"encoding/binary"
	"hash/crc32"
	"math"
	"strconv"
)

// HeaderSize is the size in bytes of the header in front of every event in
// segment bytes: a 4-byte big-endian payload length followed by a 4-byte
// big-endian CRC32C (Castagnoli) of the payload.
const HeaderSize = 8

// DefaultMaxEventSize is the default largest event payload, in bytes (8 MiB).
// Functions that take a maxEvent argument use it when maxEvent <= 0.
const DefaultMaxEventSize = 8 << 20

// castagnoli is the CRC32C table. It is built once and never modified, and
// the standard library recognises it and uses the CPU's CRC32 instructions
// where available.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// checksum returns the CRC32C (Castagnoli) of b, as stored in frame headers
// and at the end of a stream cut's encoded form.
func checksum(b []byte) uint32 {
	return crc32.Checksum(b, castagnoli)
}

// Reasons carried by FrameError. They are stable and may be matched.
const (
	ReasonShortHeader     = "short header"
	ReasonLengthRemaining = "length exceeds remaining bytes"
	ReasonLengthMaximum   = "length exceeds maximum"
	ReasonCRCMismatch     = "crc mismatch"
)

// FrameError reports a malformed event frame. Offset is where the bad frame's
// header starts, relative to the start of the buffer that was given to the
// function that failed (callers that know the buffer's position in a segment
// add it themselves). Reason is one of the Reason constants.
type FrameError struct {
	Offset int64
	Reason string
}

// Error returns, for example, "wire: bad event frame at offset 123: crc mismatch".
func (e *FrameError) Error() string {
	return "wire: bad event frame at offset " + strconv.FormatInt(e.Offset, 10) + ": " + e.Reason
}

// FrameSize returns the number of bytes a framed event with a payload of
// payloadLen bytes occupies in a segment: HeaderSize + payloadLen.
func FrameSize(payloadLen int) int {
	return HeaderSize + payloadLen
}

// AppendFrame appends the frame of payload (header, then payload) to dst and
// returns the extended slice. It panics if payload is longer than the 32-bit
// length field can express; callers enforce a far smaller maximum first.
func AppendFrame(dst, payload []byte) []byte {
	if uint64(len(payload)) > math.MaxUint32 {
		panic("wire: AppendFrame: payload longer than 4 GiB - 1")
	}
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(payload)))
	dst = binary.BigEndian.AppendUint32(dst, checksum(payload))
	return append(dst, payload...)
}

// frameAt checks the frame that starts at off in buf without verifying the
// CRC. It returns the payload length, or a reason if the frame is not whole
// or its length is larger than maxEvent. maxEvent must be > 0.
func frameAt(buf []byte, off, maxEvent int) (payloadLen int, reason string) {
	rem := len(buf) - off
	if rem < HeaderSize {
		return 0, ReasonShortHeader
	}
	n := binary.BigEndian.Uint32(buf[off:])
	if uint64(n) > uint64(maxEvent) {
		return 0, ReasonLengthMaximum
	}
	if uint64(n) > uint64(rem-HeaderSize) {
		return 0, ReasonLengthRemaining
	}
	return int(n), ""
}

// DecodeFrame decodes the one frame at the start of buf, which may hold
// further bytes after it. It returns the payload (a sub-slice of buf, not a
// copy) and the frame's total size (HeaderSize + len(payload)). A frame whose
// length is above maxEvent (DefaultMaxEventSize if maxEvent <= 0), that is
// not whole in buf, or whose CRC does not match is reported as a *FrameError
// with Offset 0. DecodeFrame does not allocate on success.
func DecodeFrame(buf []byte, maxEvent int) (payload []byte, size int, err error) {
	if maxEvent <= 0 {
		maxEvent = DefaultMaxEventSize
	}
	n, reason := frameAt(buf, 0, maxEvent)
	if reason != "" {
		return nil, 0, &FrameError{Offset: 0, Reason: reason}
	}
	payload = buf[HeaderSize : HeaderSize+n]
	if checksum(payload) != binary.BigEndian.Uint32(buf[4:]) {
		return nil, 0, &FrameError{Offset: 0, Reason: ReasonCRCMismatch}
	}
	return payload, HeaderSize + n, nil
}

// ScanFrames walks the frames in buf, which must consist of whole frames
// only, verifying each frame's length (at most maxEvent bytes, or
// DefaultMaxEventSize if maxEvent <= 0) and CRC. For each good frame it calls
// fn, if fn is not nil, with the offset in buf where the frame's header starts
// and the payload (a sub-slice of buf; copy it to keep it past buf's reuse).
//
// It returns the number of frames fully processed. A bad frame, including a
// partial frame at the end of buf, stops the walk with a *FrameError whose
// Offset is the bad frame's start in buf; n then counts the good frames before
// it. An error from fn stops the walk and is returned unchanged; n then counts
// the frames before the one fn rejected. ScanFrames does not allocate.
func ScanFrames(buf []byte, maxEvent int, fn func(off int, payload []byte) error) (n int, err error) {
	if maxEvent <= 0 {
		maxEvent = DefaultMaxEventSize
	}
	off := 0
	for off < len(buf) {
		plen, reason := frameAt(buf, off, maxEvent)
		if reason != "" {
			return n, &FrameError{Offset: int64(off), Reason: reason}
		}
		payload := buf[off+HeaderSize : off+HeaderSize+plen]
		if checksum(payload) != binary.BigEndian.Uint32(buf[off+4:]) {
			return n, &FrameError{Offset: int64(off), Reason: ReasonCRCMismatch}
		}
		if fn != nil {
			if err := fn(off, payload); err != nil {
				return n, err
			}
		}
		n++
		off += HeaderSize + plen
	}
	return n, nil
}

// CutFrames returns the byte length of the longest prefix of buf that
// consists of whole frames and is at most maxBytes long, except that when the
// first frame alone is longer than maxBytes it returns that frame's length,
// so a single large event never gets stuck. It returns 0 if buf does not
// start with a whole frame.
//
// CutFrames looks only at the length fields: it does not verify CRCs and
// applies no maximum event size (ScanFrames or DecodeFrame do that). It never
// returns a length that ends inside a frame, and it does not allocate.
func CutFrames(buf []byte, maxBytes int) int {
	off := 0
	for off < len(buf) {
		plen, reason := frameAt(buf, off, math.MaxInt)
		if reason != "" {
			break
		}
		end := off + HeaderSize + plen
		if end > maxBytes && off > 0 {
			break
		}
		off = end
		if off >= maxBytes {
			break
		}
	}
	return off
}

// CountFrames counts the frames in buf from their length fields, as
// CutFrames walks them (no CRC is checked): the whole frames, and a last
// partial one.
func CountFrames(buf []byte) int {
	n := 0
	for off := 0; off+HeaderSize <= len(buf); n++ {
		off += HeaderSize + int(binary.BigEndian.Uint32(buf[off:]))
	}
	return n
}
