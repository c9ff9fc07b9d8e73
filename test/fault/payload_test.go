package fault

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"testing"
)

// An event payload of the crash tests says who wrote it and in which order,
// and is self-checking, so that any byte read back that is not exactly an
// event written shows up:
//
//	+--------+--------+--------+----------+----------+---------------+--------+
//	| "BRDC" | writer | key    | sequence | pad len  | pad           | CRC32C |
//	| 4      | 2 (BE) | 2 (BE) | 8 (BE)   | 4 (BE) n | n bytes       | 4 (BE) |
//	+--------+--------+--------+----------+----------+---------------+--------+
//
// The sequence number counts the writer's events of that routing key from 1.
// The pad is a pure function of (writer, key, sequence), and the CRC covers
// everything before it.
const (
	payloadMagic   = "BRDC"
	payloadHeader  = 4 + 2 + 2 + 8 + 4
	payloadTrailer = 4
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// eventID names one event written by the crash tests.
type eventID struct {
	Writer, Key uint16
	Seq         uint64
}

func (id eventID) String() string {
	return fmt.Sprintf("w%d/k%d/#%d", id.Writer, id.Key, id.Seq)
}

// wkey is the (writer, routing key) pair whose events must be read in order.
type wkey struct{ Writer, Key uint16 }

func encodePayload(id eventID, padLen int) []byte {
	b := make([]byte, payloadHeader+padLen+payloadTrailer)
	copy(b, payloadMagic)
	binary.BigEndian.PutUint16(b[4:], id.Writer)
	binary.BigEndian.PutUint16(b[6:], id.Key)
	binary.BigEndian.PutUint64(b[8:], id.Seq)
	binary.BigEndian.PutUint32(b[16:], uint32(padLen))
	fillPad(b[payloadHeader:payloadHeader+padLen], id)
	n := payloadHeader + padLen
	binary.BigEndian.PutUint32(b[n:], crc32.Checksum(b[:n], castagnoli))
	return b
}

// parsePayload checks every byte of b and returns the event it encodes.
func parsePayload(b []byte) (eventID, error) {
	var id eventID
	if len(b) < payloadHeader+payloadTrailer {
		return id, fmt.Errorf("payload of %d bytes is shorter than the %d-byte minimum", len(b), payloadHeader+payloadTrailer)
	}
	if string(b[:4]) != payloadMagic {
		return id, fmt.Errorf("payload starts with %q, not %q", b[:4], payloadMagic)
	}
	id.Writer = binary.BigEndian.Uint16(b[4:])
	id.Key = binary.BigEndian.Uint16(b[6:])
	id.Seq = binary.BigEndian.Uint64(b[8:])
	padLen := int(binary.BigEndian.Uint32(b[16:]))
	if want := payloadHeader + padLen + payloadTrailer; len(b) != want {
		return id, fmt.Errorf("payload %v is %d bytes, its header says %d", id, len(b), want)
	}
	n := payloadHeader + padLen
	if got, want := crc32.Checksum(b[:n], castagnoli), binary.BigEndian.Uint32(b[n:]); got != want {
		return id, fmt.Errorf("payload %v: CRC32C %08x, trailer says %08x", id, got, want)
	}
	pad := make([]byte, padLen)
	fillPad(pad, id)
	for i := range pad {
		if pad[i] != b[payloadHeader+i] {
			return id, fmt.Errorf("payload %v: pad byte %d is %#02x, want %#02x", id, i, b[payloadHeader+i], pad[i])
		}
	}
	if id.Seq == 0 {
		return id, errors.New("payload has sequence number 0")
	}
	return id, nil
}

// fillPad fills p with bytes that depend only on id (splitmix64).
func fillPad(p []byte, id eventID) {
	x := uint64(id.Writer)<<48 ^ uint64(id.Key)<<32 ^ id.Seq*0x9e3779b97f4a7c15
	var w [8]byte
	for i := 0; i < len(p); i += 8 {
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
		z = (z ^ z>>27) * 0x94d049bb133111eb
		z ^= z >> 31
		binary.LittleEndian.PutUint64(w[:], z)
		copy(p[i:], w[:])
	}
}

func TestPayloadRoundTrip(t *testing.T) {
	for _, padLen := range []int{0, 1, 7, 8, 9, 1000} {
		id := eventID{Writer: 3, Key: 15, Seq: 12345}
		b := encodePayload(id, padLen)
		got, err := parsePayload(b)
		if err != nil || got != id {
			t.Fatalf("pad %d: parse = %v, %v; want %v", padLen, got, err, id)
		}
		for i := range b {
			c := append([]byte(nil), b...)
			c[i] ^= 0x20
			if _, err := parsePayload(c); err == nil {
				t.Fatalf("pad %d: flipping byte %d went unnoticed", padLen, i)
			}
		}
		if _, err := parsePayload(b[:len(b)-1]); err == nil {
			t.Fatalf("pad %d: a short payload went unnoticed", padLen)
		}
	}
}
