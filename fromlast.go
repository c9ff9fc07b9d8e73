package braid

import (
	"context"
	"fmt"
	"slices"
	"time"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/wire"
)

// MaxLast is the largest n FromLast takes: the search keeps the offsets
// of up to n events per segment (8 bytes each), so n bounds its memory.
const MaxLast = 100_000

// lastFirstStep is how far back in time FromLast looks first; each further
// step looks back twice as far.
const lastFirstStep = 10 * time.Millisecond

// FromLast starts reading at the last n events (1 to MaxLast) of each
// current segment of the stream when the reader starts: a segment holding
// fewer is read from its start (its truncation point). With UntilTail the
// reader returns at most n events per segment: the tail it stops at is the
// one the last n were counted up to. Without an end it goes on from there
// with whatever is appended, and follows scalings as any reader does.
//
// Segments index no event numbers, so NewReader finds where the last n
// events start by looking back through the segments' time index: it asks
// for the stream cut 10 ms before now, then 20 ms, 40 ms and so on,
// doubling, and after each step reads (without returning them) the events
// between that cut and the one before, counting them, until each segment
// has n or is read back to its start. The cost is one GetStreamCut call per
// step (about 26 to look back a week, 32 a year) and reading back every
// event appended since twice as long before now as the n-th last one (at
// least 10 ms), starting up to the time index's resolution earlier where
// it is thinned (see FromTime). For a segment appended to at a steady rate
// that is up to about twice its last n events; for one whose last n events
// came after a pause, it includes part of what came before the pause.
func FromLast(n int) ReaderOption {
	return func(o *readerOptions) { o.start, o.last = startLast, n }
}

// lastSeg is FromLast's search in one segment.
type lastSeg struct {
	id    uint64
	floor int64   // the segment's start: nothing to read below
	from  int64   // where the events counted so far start
	found []int64 // offsets of the last events, at most n, in order
	done  bool
}

// lastCut returns the cut at the last n events of each current segment of
// stream, and the tail cut they were counted up to.
func (c *Client) lastCut(ctx context.Context, stream string, n int) (start, tail StreamCut, err error) {
	scope, name, err := splitStream(stream)
	if err != nil {
		return StreamCut{}, StreamCut{}, err
	}
	if n < 1 || n > MaxLast {
		return StreamCut{}, StreamCut{}, newError(wire.CodeInvalidArgument, fmt.Sprintf("read %s: FromLast(%d): the number of events must be 1 to %d (for more, start from a time or a stream cut)", stream, n, MaxLast))
	}
	info, err := c.GetStream(ctx, stream)
	if err != nil {
		return StreamCut{}, StreamCut{}, err
	}
	segs := make([]*lastSeg, 0, len(info.Current))
	tail = StreamCut{Stream: stream}
	for _, s := range info.Current {
		segs = append(segs, &lastSeg{id: s.ID, floor: s.StartOffset, from: s.Length, done: s.Length <= s.StartOffset})
		tail.Segments = append(tail.Segments, wire.SegmentOffset{SegmentID: s.ID, Offset: s.Length})
	}
	sortBySegment(tail.Segments)
	now := time.Now()
	for step := lastFirstStep; slices.ContainsFunc(segs, func(s *lastSeg) bool { return !s.done }); step *= 2 {
		// A cut before 1970 is never needed: every segment's start is
		// later. Without a cut, the segments are read back to their starts.
		var cut StreamCut
		if at := now.Add(-step); at.UnixNano() > 0 {
			if cut, err = c.StreamCutAt(ctx, stream, at); err != nil {
				return StreamCut{}, StreamCut{}, err
			}
		}
		for _, s := range segs {
			if s.done {
				continue
			}
			// A segment the cut does not name was created after its
			// time: all of it is newer.
			lo := s.floor
			if off, ok := cut.Offset(s.id); ok {
				lo = min(max(off, s.floor), s.from)
			}
			if lo < s.from {
				offs, err := c.lastOffsets(ctx, scope, name, s.id, lo, s.from, n-len(s.found))
				if err != nil {
					return StreamCut{}, StreamCut{}, err
				}
				s.found = append(offs, s.found...)
				s.from = lo
			}
			s.done = len(s.found) >= n || lo <= s.floor
		}
	}
	start = StreamCut{Stream: stream}
	for _, s := range segs {
		off := s.floor
		if len(s.found) >= n {
			off = s.found[len(s.found)-n]
		}
		start.Segments = append(start.Segments, wire.SegmentOffset{SegmentID: s.id, Offset: off})
	}
	sortBySegment(start.Segments)
	return start, tail, nil
}

// lastOffsets reads segment id from lo (an event boundary) to hi and
// returns the offsets of its last need events there, in order.
func (c *Client) lastOffsets(ctx context.Context, scope, name string, id uint64, lo, hi int64, need int) ([]int64, error) {
	req := &braidv1.ReadSegmentRequest{Scope: scope, Stream: name, SegmentId: id, Offset: lo, EndOffset: hi, MaxBytes: maxReadBytes}
	what := fmt.Sprintf("read %s/%s segment %016x", scope, name, id)
	var ring []int64 // the last need offsets, the oldest at next once full
	next := 0
	err := readSegmentStream(ctx, c, req, what, func(base int64, _ []byte, starts []uint32, _ []*braidv1.CommitTime, _ bool) bool {
		for _, st := range starts {
			off := base + int64(st)
			if len(ring) < need {
				ring = append(ring, off)
				continue
			}
			ring[next] = off
			next = (next + 1) % need
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	return slices.Concat(ring[next:], ring[:next]), nil
}
