package braid

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"google.golang.org/grpc"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/wire"
)

// Reader limits.
const (
	// readRetryTimeout is how long a segment reader keeps reconnecting
	// after the server became unreachable before it reports the error.
	readRetryTimeout = 2 * time.Minute
	// readBufferBytes is the read-ahead of a reader, shared by its
	// segments: each read response is at most readBufferBytes divided by
	// the number of segments, within [minReadBytes, maxReadBytes].
	readBufferBytes = 32 << 20
	minReadBytes    = 64 << 10
	maxReadBytes    = 1 << 20
)

// ReaderOption configures NewReader.
type ReaderOption func(*readerOptions)

type startKind int

const (
	startHead startKind = iota
	startTail
	startCut
	startPointer
)

type endKind int

const (
	endNone endKind = iota
	endTail
	endCut
)

type readerOptions struct {
	start    startKind
	startCut StreamCut
	pointer  EventPointer
	end      endKind
	endCut   StreamCut
}

// FromHead starts reading at the start of the stream's readable data. It
// is the default.
func FromHead() ReaderOption {
	return func(o *readerOptions) { o.start = startHead }
}

// FromTail starts reading at the stream's end when the reader starts: only
// events appended later are read.
func FromTail() ReaderOption {
	return func(o *readerOptions) { o.start = startTail }
}

// FromCut starts reading at a stream cut, such as one returned by
// Event.Position or Reader.Position: the reader returns exactly the events
// after it.
func FromCut(c StreamCut) ReaderOption {
	return func(o *readerOptions) { o.start, o.startCut = startCut, c }
}

// FromPointer reads only the pointer's segment, starting at (and
// including) the event it points to.
func FromPointer(p EventPointer) ReaderOption {
	return func(o *readerOptions) { o.start, o.pointer = startPointer, p }
}

// UntilTail bounds the read at the stream's end when the reader starts:
// Next returns io.EOF once every segment reached it.
func UntilTail() ReaderOption {
	return func(o *readerOptions) { o.end = endTail }
}

// UntilCut bounds the read at a stream cut: Next returns io.EOF once every
// segment reached it. The cut must name every segment the read starts in.
func UntilCut(c StreamCut) ReaderOption {
	return func(o *readerOptions) { o.end, o.endCut = endCut, c }
}

// Event is one event read from a stream.
type Event struct {
	// Data is the event's payload. It may share memory with other events
	// of the same read and must not be modified.
	Data []byte
	// Pointer says where the event is stored; Stream is set.
	Pointer EventPointer

	snap *cutSnap // the reader's position when the event's batch came up
	seg  int      // the event's segment's index in snap
}

// cutSnap is an immutable copy of a reader's position, shared by the events
// of one or more batches of one segment.
type cutSnap struct {
	segs []wire.SegmentOffset
}

// Position returns the stream cut just after this event: the reader's
// position when Next returned it. A reader started FromCut with it returns
// exactly the events that came after this one. The zero Event has an empty
// position.
func (e Event) Position() StreamCut {
	if e.snap == nil {
		return StreamCut{Stream: e.Pointer.Stream}
	}
	segs := slices.Clone(e.snap.segs)
	segs[e.seg].Offset = e.Pointer.Offset + int64(e.Pointer.Length)
	return StreamCut{Stream: e.Pointer.Stream, Segments: segs}
}

// Reader reads the events of a stream: every segment of its start cut from
// its offset, each in order, interleaved across segments in the order they
// arrive. Each segment is read by its own goroutine with one ReadSegment
// call (which waits at the tail unless the read is bounded); when the server
// becomes unreachable, the reader reconnects from where it was for up to two
// minutes before Next reports the error. Every event's CRC is checked.
//
// Next and Position must be called from one goroutine at a time; Close may
// be called from any. Close the reader to stop its goroutines.
type Reader struct {
	stream string
	ch     chan *rbatch
	closed chan struct{}
	cancel context.CancelFunc
	wg     sync.WaitGroup
	once   sync.Once

	// Next's state.
	pos     []wire.SegmentOffset // position, sorted by segment id
	cur     *rbatch
	idx     int
	snap    *cutSnap
	snapSeg int
	live    int // segments not finished
	err     error
}

// rbatch is one read response of one segment, checked and split into
// events.
type rbatch struct {
	seg    int   // index in Reader.pos
	base   int64 // segment offset of data[0]
	data   []byte
	starts []uint32 // offset in data of each event's header
	done   bool     // the segment's read is finished after this batch
	err    error
}

// NewReader starts reading stream ("scope/stream"), from the head unless an
// option says otherwise. ctx bounds only the setup (taking the head or tail
// cut); the reader reads until it is closed, or, with UntilTail or
// UntilCut, until the end cut.
func (c *Client) NewReader(ctx context.Context, stream string, opts ...ReaderOption) (*Reader, error) {
	scope, name, err := splitStream(stream)
	if err != nil {
		return nil, err
	}
	var o readerOptions
	for _, opt := range opts {
		opt(&o)
	}
	var start StreamCut
	switch o.start {
	case startHead:
		start, err = c.HeadCut(ctx, stream)
	case startTail:
		start, err = c.TailCut(ctx, stream)
	case startCut:
		start, err = checkCut(stream, "start", o.startCut)
	case startPointer:
		p := o.pointer
		switch {
		case p.Stream != "" && p.Stream != stream:
			err = newError(wire.CodeInvalidArgument, fmt.Sprintf("read %s: the event pointer %s is of stream %s", stream, p.Qualified(), p.Stream))
		case p.Offset < 0 || p.Length < wire.HeaderSize:
			err = newError(wire.CodeInvalidArgument, fmt.Sprintf("read %s: invalid event pointer %s (offset %d, length %d)", stream, p.String(), p.Offset, p.Length))
		}
		start = StreamCut{Stream: stream, Segments: []wire.SegmentOffset{{SegmentID: p.SegmentID, Offset: p.Offset}}}
	}
	if err != nil {
		return nil, err
	}
	var end StreamCut
	bounded := o.end != endNone
	switch o.end {
	case endTail:
		end, err = c.TailCut(ctx, stream)
	case endCut:
		end, err = checkCut(stream, "end", o.endCut)
	}
	if err != nil {
		return nil, err
	}

	base, cancel := context.WithCancel(c.base)
	r := &Reader{
		stream: stream,
		ch:     make(chan *rbatch, min(len(start.Segments), 16)+2),
		closed: make(chan struct{}),
		cancel: cancel,
		pos:    slices.Clone(start.Segments),
	}
	type segRead struct {
		i          int
		start, end int64
	}
	var reads []segRead
	for i, so := range r.pos {
		sr := segRead{i: i, start: so.Offset}
		if bounded {
			e, ok := end.Offset(so.SegmentID)
			if !ok {
				cancel()
				return nil, newError(wire.CodeInvalidArgument, fmt.Sprintf("read %s: the end cut names no offset for segment %016x", stream, so.SegmentID))
			}
			if e < so.Offset {
				cancel()
				return nil, newError(wire.CodeInvalidArgument, fmt.Sprintf("read %s: segment %016x: the end offset %d is before the start offset %d", stream, so.SegmentID, e, so.Offset))
			}
			if e == so.Offset {
				continue // nothing to read
			}
			sr.end = e
		}
		reads = append(reads, sr)
	}
	r.live = len(reads)
	// Each segment's goroutine holds up to two responses; keep the total
	// bounded for streams with many segments.
	maxBytes := uint32(min(max(readBufferBytes/max(len(reads), 1), minReadBytes), maxReadBytes))
	r.wg.Add(len(reads))
	for _, sr := range reads {
		req := &braidv1.ReadSegmentRequest{
			Scope: scope, Stream: name, SegmentId: r.pos[sr.i].SegmentID,
			Offset: sr.start, EndOffset: sr.end, Follow: !bounded, MaxBytes: maxBytes,
		}
		go r.readSegment(base, c, sr.i, req)
	}
	return r, nil
}

// checkCut checks a cut given as an option and returns it sorted, with the
// stream set.
func checkCut(stream, which string, c StreamCut) (StreamCut, error) {
	if c.Stream != "" && c.Stream != stream {
		return StreamCut{}, newError(wire.CodeInvalidArgument, fmt.Sprintf("read %s: the %s cut is of stream %s", stream, which, c.Stream))
	}
	if len(c.Segments) == 0 {
		return StreamCut{}, newError(wire.CodeInvalidArgument, fmt.Sprintf("read %s: the %s cut names no segments", stream, which))
	}
	segs := slices.Clone(c.Segments)
	sortBySegment(segs)
	for i, s := range segs {
		if s.Offset < 0 {
			return StreamCut{}, newError(wire.CodeInvalidArgument, fmt.Sprintf("read %s: the %s cut has negative offset %d for segment %016x", stream, which, s.Offset, s.SegmentID))
		}
		if i > 0 && segs[i-1].SegmentID == s.SegmentID {
			return StreamCut{}, newError(wire.CodeInvalidArgument, fmt.Sprintf("read %s: the %s cut names segment %016x twice", stream, which, s.SegmentID))
		}
	}
	return StreamCut{Stream: stream, Segments: segs}, nil
}

// readSegment reads one segment and hands its batches to Next, reconnecting
// after transient failures. It is owned by the Reader (wg).
func (r *Reader) readSegment(ctx context.Context, c *Client, i int, req *braidv1.ReadSegmentRequest) {
	defer r.wg.Done()
	seg := req.GetSegmentId()
	what := fmt.Sprintf("read %s segment %016x", r.stream, seg)
	deliver := func(b *rbatch) bool {
		select {
		case r.ch <- b:
			return true
		case <-ctx.Done():
			return false
		}
	}
	fail := func(err error) { deliver(&rbatch{seg: i, err: err}) }
	off, end := req.GetOffset(), req.GetEndOffset()
	backoff := minBackoff
	var outage time.Time
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		req.Offset = off
		err := func() error {
			stream, err := c.data.ReadSegment(ctx, req, grpc.ForceCodecV2(dataCodec{}))
			if err != nil {
				return err
			}
			for {
				resp, err := stream.Recv()
				if err != nil {
					return err
				}
				outage, backoff = time.Time{}, minBackoff
				if resp.GetOffset() != off {
					return newError(wire.CodeInternal, fmt.Sprintf("%s: the server sent offset %d, want %d", what, resp.GetOffset(), off))
				}
				b := &rbatch{seg: i, base: off, data: resp.GetEvents()}
				_, err = wire.ScanFrames(b.data, 0, func(o int, _ []byte) error {
					b.starts = append(b.starts, uint32(o))
					return nil
				})
				if err != nil {
					var fe *wire.FrameError
					if errors.As(err, &fe) {
						return newError(wire.CodeCorrupt, fmt.Sprintf("%s: bad event frame at offset %d: %s", what, off+fe.Offset, fe.Reason))
					}
					return err
				}
				off += int64(len(b.data))
				b.done = resp.GetEndOfSegment() || end > 0 && off >= end
				if len(b.starts) > 0 || b.done {
					if !deliver(b) {
						return ctx.Err()
					}
				}
				if b.done {
					return nil
				}
			}
		}()
		switch {
		case err == nil:
			return
		case ctx.Err() != nil:
			return
		case errors.Is(err, io.EOF):
			if !req.GetFollow() {
				fail(newError(wire.CodeInvalidArgument, fmt.Sprintf("%s: the segment ends at offset %d, before the end cut's offset %d", what, off, end)))
				return
			}
			err = newError(wire.CodeUnavailable, what+": the server ended the read")
		}
		err = fromStatus(what, err)
		if codeOf(err) != wire.CodeUnavailable {
			fail(err)
			return
		}
		if outage.IsZero() {
			outage = time.Now()
		} else if time.Since(outage) > readRetryTimeout {
			fail(err)
			return
		}
		if timer == nil {
			timer = time.NewTimer(backoff)
		} else {
			timer.Reset(backoff)
		}
		select {
		case <-timer.C:
		case <-ctx.Done():
			return
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

// Next returns the next event. Events of one segment come in order; events
// of different segments interleave. When a bounded read (UntilTail,
// UntilCut) has reached its end, or every segment of the stream is sealed
// and read to its end, Next returns io.EOF. A damaged event (bad CRC or
// framing) fails with an error of code CORRUPT; errors other than ctx's
// are final: later calls return them again.
func (r *Reader) Next(ctx context.Context) (Event, error) {
	for {
		if b := r.cur; b != nil {
			if r.idx < len(b.starts) {
				i := r.idx
				r.idx++
				start := b.starts[i]
				end := uint32(len(b.data))
				if i+1 < len(b.starts) {
					end = b.starts[i+1]
				}
				r.pos[b.seg].Offset = b.base + int64(end)
				return Event{
					Data: b.data[start+wire.HeaderSize : end : end],
					Pointer: EventPointer{
						Stream:    r.stream,
						SegmentID: r.pos[b.seg].SegmentID,
						Offset:    b.base + int64(start),
						Length:    int32(end - start),
					},
					snap: r.snap,
					seg:  b.seg,
				}, nil
			}
			if b.done {
				r.live--
			}
			r.cur = nil
		}
		if r.err != nil {
			return Event{}, r.err
		}
		if r.live == 0 {
			return Event{}, io.EOF
		}
		select {
		case <-r.closed:
			return Event{}, r.closedError()
		default:
		}
		select {
		case b := <-r.ch:
			if b.err != nil {
				r.err = b.err
				continue
			}
			r.cur, r.idx = b, 0
			if len(b.starts) > 0 && (r.snap == nil || r.snapSeg != b.seg) {
				// Since the last snapshot only snapSeg moved, and
				// an event's own segment is set by Position.
				r.snap, r.snapSeg = &cutSnap{segs: slices.Clone(r.pos)}, b.seg
			}
		case <-ctx.Done():
			return Event{}, ctx.Err()
		case <-r.closed:
			return Event{}, r.closedError()
		}
	}
}

func (r *Reader) closedError() error {
	return newError(wire.CodeCanceled, "read "+r.stream+": reader closed")
}

// Position returns the stream cut just after the last event Next returned
// (the start cut before the first).
func (r *Reader) Position() StreamCut {
	return StreamCut{Stream: r.stream, Segments: slices.Clone(r.pos)}
}

// Close stops the reader and waits for its goroutines. It is idempotent.
func (r *Reader) Close() error {
	r.once.Do(func() {
		close(r.closed)
		r.cancel()
		r.wg.Wait()
	})
	return nil
}
