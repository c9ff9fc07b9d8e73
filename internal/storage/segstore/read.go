package segstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/braidstream/braid/wire"
)

// ReadResult is what one read returns.
type ReadResult struct {
	// Offset is where Data starts.
	Offset int64
	// Data holds whole framed events. It may alias store memory: the
	// caller must not modify it.
	Data []byte
	// Length is the segment's committed length when read.
	Length int64
	// EndOfSegment is set when the segment is sealed and Offset+len(Data)
	// is its end: nothing more will ever come.
	EndOfSegment bool
}

// Read returns whole events starting at offset, up to maxBytes (but always
// at least one whole event if one is there). At the tail of an unsealed
// segment it waits for data when wait is set (until ctx ends), or returns no
// data. Offsets below the truncation point fail with ErrTruncated; offsets
// that are not event boundaries fail with ErrNotEventBoundary.
func (s *Store) Read(ctx context.Context, name string, offset int64, maxBytes int, wait bool) (ReadResult, error) {
	c, err := s.container(name)
	if err != nil {
		return ReadResult{}, err
	}
	if maxBytes < 1 {
		maxBytes = 1
	}
	for {
		c.mu.RLock()
		seg := c.segs[name]
		if seg == nil {
			c.mu.RUnlock()
			return ReadResult{}, fmt.Errorf("%w: %s", ErrNotFound, name)
		}
		res := ReadResult{Offset: offset, Length: seg.length}
		switch {
		case offset < 0:
			c.mu.RUnlock()
			return res, fmt.Errorf("%w: negative offset %d in %s", ErrOffsetOutOfRange, offset, name)
		case offset < seg.start:
			c.mu.RUnlock()
			return res, fmt.Errorf("%w: %s is truncated before offset %d; offset %d is gone", ErrTruncated, name, seg.start, offset)
		case offset > seg.length:
			c.mu.RUnlock()
			return res, fmt.Errorf("%w: offset %d, %s has %d bytes", ErrOffsetOutOfRange, offset, name, seg.length)
		case offset == seg.length:
			if seg.sealed {
				c.mu.RUnlock()
				res.EndOfSegment = true
				return res, nil
			}
			ch := seg.notify
			c.mu.RUnlock()
			if !wait {
				return res, nil
			}
			select {
			case <-ch:
				continue
			case <-ctx.Done():
				return res, ctx.Err()
			case <-c.stop:
				return res, c.closedErr(name)
			}
		case offset >= seg.flushed:
			data := seg.memFrom(offset, maxBytes)
			sealed := seg.sealed
			c.mu.RUnlock()
			n := wire.CutFrames(data, maxBytes)
			if n == 0 {
				return res, boundaryErr(name, offset)
			}
			if _, _, err := wire.DecodeFrame(data, math.MaxInt32); err != nil {
				return res, boundaryErr(name, offset)
			}
			res.Data = data[:n]
			res.EndOfSegment = sealed && offset+int64(n) == res.Length
			return res, nil
		default:
			k, ok := seg.chunkAt(offset)
			handle, sealed := seg.handle, seg.sealed
			c.mu.RUnlock()
			if !ok {
				return res, fmt.Errorf("%w: %s has no tier-2 chunk holding offset %d", ErrCorrupt, name, offset)
			}
			cr := &chunkReader{ctx: ctx, r: s.cold, container: c.id, handle: handle, k: k, object: k.key(c.id, handle)}
			data, err := readEvents(cr, offset, k.end(), maxBytes)
			cr.readAhead()
			if err != nil {
				if errors.Is(err, errNotBoundary) {
					return res, boundaryErr(name, offset)
				}
				// Deleted or truncated meanwhile?
				if info, ierr := s.Info(ctx, name); ierr != nil {
					return res, ierr
				} else if offset < info.Start {
					return res, fmt.Errorf("%w: %s is truncated before offset %d; offset %d is gone", ErrTruncated, name, info.Start, offset)
				}
				return res, fmt.Errorf("read %s at %d: %w", name, offset, err)
			}
			res.Data = data
			res.EndOfSegment = sealed && offset+int64(len(data)) == res.Length
			return res, nil
		}
	}
}

var errNotBoundary = errors.New("not at an event boundary")

func boundaryErr(name string, offset int64) error {
	return fmt.Errorf("%w: offset %d of %s (or the data there is damaged)", ErrNotEventBoundary, offset, name)
}

type readerAt interface {
	ReadAt(p []byte, off int64) (int, error)
}

// readEvents reads whole events from f (a chunk) between offset and limit,
// checking every event's CRC.
func readEvents(f readerAt, offset, limit int64, maxBytes int) ([]byte, error) {
	n := min(limit-offset, int64(max(maxBytes, wire.HeaderSize)))
	buf := make([]byte, n)
	if _, err := f.ReadAt(buf, offset); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	cut := wire.CutFrames(buf, maxBytes)
	if cut == 0 {
		// The first event is larger than what was read: read it whole.
		if len(buf) < wire.HeaderSize {
			return nil, errNotBoundary
		}
		size := int64(wire.HeaderSize) + int64(uint32(buf[0])<<24|uint32(buf[1])<<16|uint32(buf[2])<<8|uint32(buf[3]))
		if offset+size > limit {
			return nil, errNotBoundary
		}
		buf = make([]byte, size)
		if _, err := f.ReadAt(buf, offset); err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		cut = int(size)
	}
	buf = buf[:cut]
	if _, err := wire.ScanFrames(buf, math.MaxInt32, nil); err != nil {
		return nil, errNotBoundary
	}
	return buf, nil
}

// ReadEvent returns the payload of the one event that starts at offset and
// takes length bytes (header included): what an event pointer names.
func (s *Store) ReadEvent(ctx context.Context, name string, offset int64, length int) ([]byte, error) {
	if length < wire.HeaderSize {
		return nil, fmt.Errorf("%w: event length %d is shorter than a header", ErrNotEventBoundary, length)
	}
	res, err := s.Read(ctx, name, offset, length, false)
	if err != nil {
		return nil, err
	}
	if len(res.Data) < length {
		if offset+int64(length) > res.Length {
			return nil, fmt.Errorf("%w: event at %d of length %d runs past the end of %s (%d bytes)", ErrOffsetOutOfRange, offset, length, name, res.Length)
		}
		return nil, fmt.Errorf("%w: no event of %d bytes at offset %d of %s", ErrNotEventBoundary, length, offset, name)
	}
	payload, size, err := wire.DecodeFrame(res.Data, math.MaxInt32)
	if err != nil || size != length {
		return nil, fmt.Errorf("%w: no event of %d bytes at offset %d of %s", ErrNotEventBoundary, length, offset, name)
	}
	return append([]byte(nil), payload...), nil
}
