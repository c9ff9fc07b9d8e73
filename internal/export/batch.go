package export

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/braidstream/braid/wire"
)

// A batch object holds a run of consecutive events of one segment, named
// by the pointer of its first event:
//
//	frames   the events' frames exactly as in the segment (8-byte header:
//	         length and CRC32C, then the payload), back to back
//	index    one uint32 (big-endian) per event: its frame's start in the
//	         object, so event i is at segment offset first.Offset+index[i]
//	trailer  16 bytes: the magic "braidbx1", uint32 events, uint32 frames
//	         length
//
// A reader fetches one event with two ranged GETs (the trailer and index,
// then the frame), or walks the frames from the start.
const batchMagic = "braidbx1"

// BatchTrailerSize is the size of a batch object's trailer.
const BatchTrailerSize = 16

// maxBatchBytes bounds a batch object's frames (the index holds uint32).
const maxBatchBytes = 1 << 30

// appendBatchIndex appends the index and trailer to frames, whose frame
// starts are starts.
func appendBatchIndex(frames []byte, starts []uint32) []byte {
	n := len(frames)
	for _, s := range starts {
		frames = binary.BigEndian.AppendUint32(frames, s)
	}
	frames = append(frames, batchMagic...)
	frames = binary.BigEndian.AppendUint32(frames, uint32(len(starts)))
	return binary.BigEndian.AppendUint32(frames, uint32(n))
}

// BatchEvent is one event of a batch object.
type BatchEvent struct {
	// Start is the frame's start in the object; Length its framed length.
	Start, Length int
	Payload       []byte // a sub-slice of the object
}

// DecodeBatch checks a batch object (trailer, index, every frame's length
// and CRC) and returns its events. maxEvent bounds an event's payload
// (wire.DefaultMaxEventSize if <= 0).
func DecodeBatch(obj []byte, maxEvent int) ([]BatchEvent, error) {
	if len(obj) < BatchTrailerSize {
		return nil, fmt.Errorf("batch object of %d bytes: shorter than its %d-byte trailer", len(obj), BatchTrailerSize)
	}
	tr := obj[len(obj)-BatchTrailerSize:]
	if string(tr[:8]) != batchMagic {
		return nil, errors.New("batch object: no batch trailer (magic \"braidbx1\") at its end")
	}
	count := uint64(binary.BigEndian.Uint32(tr[8:]))
	framesLen := uint64(binary.BigEndian.Uint32(tr[12:]))
	body := uint64(len(obj) - BatchTrailerSize)
	if framesLen > body || (body-framesLen) != 4*count {
		return nil, fmt.Errorf("batch object: trailer says %d events in %d bytes of frames, but %d bytes precede it", count, framesLen, body)
	}
	if count == 0 {
		return nil, errors.New("batch object: no events")
	}
	frames, index := obj[:framesLen], obj[framesLen:body]
	events := make([]BatchEvent, 0, count)
	next := 0
	_, err := wire.ScanFrames(frames, maxEvent, func(off int, payload []byte) error {
		i := len(events)
		if i >= int(count) {
			return fmt.Errorf("batch object: more frames than the %d events its index holds", count)
		}
		if at := int(binary.BigEndian.Uint32(index[4*i:])); at != off || off != next {
			return fmt.Errorf("batch object: index entry %d says %d, but the frame starts at %d", i, at, off)
		}
		next = off + wire.FrameSize(len(payload))
		events = append(events, BatchEvent{Start: off, Length: next - off, Payload: payload})
		return nil
	})
	if err != nil {
		var fe *wire.FrameError
		if errors.As(err, &fe) {
			return nil, fmt.Errorf("batch object: frame at %d: %s", fe.Offset, fe.Reason)
		}
		return nil, err
	}
	if len(events) != int(count) {
		return nil, fmt.Errorf("batch object: %d frames, but its index holds %d events", len(events), count)
	}
	return events, nil
}
