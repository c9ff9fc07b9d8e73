package braid

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/wire"
)

// Reader limits.
const (
	// readBufferBytes is the read-ahead of a reader, shared by its
	// segments: each read response is at most readBufferBytes divided by
	// the number of segments, within [minReadBytes, maxReadBytes].
	readBufferBytes = 32 << 20
	minReadBytes    = 64 << 10
	maxReadBytes    = 1 << 20
	// minReadAheadBytes is the least response size of a reader with a
	// WithReadAhead budget, per segment.
	minReadAheadBytes = 16 << 10
)

// ReaderOption configures NewReader.
type ReaderOption func(*readerOptions)

type startKind int

const (
	startHead startKind = iota
	startTail
	startCut
	startPointer
	startTime
	startLast
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
	at       time.Time // FromTime
	last     int       // FromLast
	end      endKind
	endCut   StreamCut
	// readAhead is WithReadAhead's budget (0: the default read-ahead).
	readAhead int
}

// WithReadAhead bounds the bytes a Reader holds ahead of Next: the read
// responses its segments' goroutines received and Next has not moved past
// yet. The reader then asks for responses of at most bytes divided by the
// number of segments being read plus two (at least 16 KiB each), and
// keeps one response waiting for Next besides the one each segment's
// goroutine holds and the one Next reads from. One event larger than a
// response still comes whole. Without it a reader reads ahead up to about
// 32 MiB, in responses of up to 1 MiB, several per segment, which suits a
// reader that keeps up; a server that keeps a reader for each of many
// clients that may stop reading wants a small budget.
//
// The gRPC stream window comes on top of the budget: a segment that Next
// does not keep up with may have up to the connection's initial stream
// window received and not yet read (4 MiB with Dial's defaults; smaller
// with WithGRPCDialOptions(grpc.WithInitialWindowSize(n))).
func WithReadAhead(bytes int) ReaderOption {
	return func(o *readerOptions) { o.readAhead = max(bytes, 0) }
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
// including) the event it points to. The reader does not go on into the
// segment's successors after a scale.
func FromPointer(p EventPointer) ReaderOption {
	return func(o *readerOptions) { o.start, o.pointer = startPointer, p }
}

// FromTime starts reading at the first events appended at or after t
// (the stream cut Client.StreamCutAt gives). Where the time index is
// thinned (continuous appends older than ten seconds) it may start
// earlier, never later: by up to about a second in the last hour, a
// minute in the last day, an hour beyond; after a pause it is exact.
func FromTime(t time.Time) ReaderOption {
	return func(o *readerOptions) { o.start, o.at = startTime, t }
}

// UntilTail bounds the read at the stream's end when the reader starts (its
// tail cut): Next returns io.EOF once every segment reached it. Segments
// sealed by a scale before then are read to their ends, and their successors
// up to the tail.
func UntilTail() ReaderOption {
	return func(o *readerOptions) { o.end = endTail }
}

// UntilCut bounds the read at a stream cut, which may name segments of a
// later epoch than the start: Next returns io.EOF once every path through
// the stream's scalings reached it. A segment the cut names ends at its
// offset there, and its successors are not read; a segment it does not name
// must lie before it (a predecessor, possibly indirect, of segments it
// names), and is read to its end and its successors followed.
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
	// AppendTime is when the append commit that stored the event was
	// made (the server's clock; all events of one commit share it), or
	// the zero time when that is not known: the server knows it from the
	// segment's time index, which holds every commit of the last ten
	// seconds and the last one, and past that only commits that followed
	// a pause (see FromTime). Servers before commit times give none.
	AppendTime time.Time

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
// arrive.
//
// The reader follows the stream's scalings. When it has read to its end a
// segment that a scale sealed, it reads the segments that took over its key
// range (its successors), each once all of that successor's predecessors
// were read to their ends by this reader: the events of one routing key
// therefore come in the order they were written, across splits and merges.
// A successor is read from its start, or from the stream's head if data at
// its start was truncated before the reader got there. A segment sealed
// with its stream has no successors: an unbounded read of a sealed stream
// ends when all of its segments were read.
//
// Each segment is read by its own goroutine with one ReadSegment call (which
// waits at the tail, unless the read stops at an offset of the end cut);
// when the server becomes unreachable, the reader reconnects from where it
// was for up to two minutes before Next reports the error. Every event's
// CRC is checked.
//
// The reader's position (Position, Event.Position) is a stream cut: the
// segments being read at their offsets, and the segments read to their end
// whose successors have not been started yet, at their ends. A finished
// segment leaves the position when its successors start.
//
// Next and Position must be called from one goroutine at a time; Close may
// be called from any. Close the reader to stop its goroutines.
type Reader struct {
	c      *Client
	stream string
	scope  string
	name   string
	ctx    context.Context // parent of the segment goroutines; canceled by Close
	ch     chan *rbatch
	closed chan struct{}
	cancel context.CancelFunc
	wg     sync.WaitGroup
	once   sync.Once

	// mu orders the segment goroutines Next starts (wg.Add) before Close
	// waits for them.
	mu      sync.Mutex
	closing bool

	// How the reader goes on at a segment's end; set by NewReader.
	follow  bool      // follow scalings into successors (not FromPointer)
	bounded bool      // UntilTail or UntilCut
	end     StreamCut // the end cut, if bounded
	// readAhead is the WithReadAhead budget (0: the default).
	readAhead int

	// Next's state (and NewReader's, before any goroutine runs).
	ranges map[uint64]SegmentRange // key ranges, when a bounded read needs them
	pos    []wire.SegmentOffset    // position, sorted by segment id
	// finished holds the segments of pos read to their end, each with
	// its successors not started yet.
	finished map[uint64]map[uint64]bool
	cur      *rbatch
	curSeg   int // cur's segment's index in pos
	idx      int
	tidx     int // cur's commit time of the last event
	snap     *cutSnap
	snapSeg  int
	live     int // segment goroutines whose done batch Next has not taken
	err      error
}

// rbatch is one read response of one segment, checked and split into
// events, or the end of the segment's read.
type rbatch struct {
	id     uint64 // the segment
	base   int64  // segment offset of data[0]
	data   []byte
	starts []uint32 // offset in data of each event's header
	times  []*braidv1.CommitTime
	done   bool // the segment's read is finished (no data then)
	// follow: the segment was read to its end, which a scale made (succ
	// holds its successors) or its stream's seal (none): Next goes on
	// into the successors.
	follow bool
	succ   []Successor
	err    error
}

// segRead says how to read one segment.
type segRead struct {
	id         uint64
	start, end int64 // end 0: to the segment's end
	wait       bool  // wait at the tail for more (ReadSegment's follow)
	successors bool  // at the segment's end, look up its successors
	successor  bool  // started as a successor: a truncated start moves to the head
}

// planKind says what a segment's read comes to, against the end cut.
type planKind int

const (
	planRead   planKind = iota // read it
	planAtEnd                  // the end cut names it at its start: nothing to read
	planBeyond                 // it lies beyond the end cut: not read
)

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
	var start, lastTail StreamCut
	switch o.start {
	case startHead:
		start, err = c.HeadCut(ctx, stream)
	case startTail:
		start, err = c.TailCut(ctx, stream)
	case startCut:
		start, err = checkCut(stream, "start", o.startCut)
	case startTime:
		start, err = c.StreamCutAt(ctx, stream, o.at)
	case startLast:
		start, lastTail, err = c.lastCut(ctx, stream, o.last)
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
	switch o.end {
	case endTail:
		if o.start == startLast {
			end = lastTail // the tail the last events were counted up to
			break
		}
		end, err = c.TailCut(ctx, stream)
	case endCut:
		end, err = checkCut(stream, "end", o.endCut)
	}
	if err != nil {
		return nil, err
	}
	if o.end == endTail && o.start != startPointer {
		// A start past the tail in a segment is no position of this
		// stream: most likely one of another stream.
		for _, so := range start.Segments {
			if tail, ok := end.Offset(so.SegmentID); ok && so.Offset > tail {
				return nil, newError(wire.CodeInvalidArgument, fmt.Sprintf("read %s: the start position has offset %d in segment %016x, past the stream's tail there (%d): is it a position of another stream?", stream, so.Offset, so.SegmentID, tail))
			}
		}
	}
	depth := min(len(start.Segments), 16) + 2 // responses waiting for Next
	if o.readAhead > 0 {
		depth = 1
	}
	r := &Reader{
		c:         c,
		stream:    stream,
		scope:     scope,
		name:      name,
		ch:        make(chan *rbatch, depth),
		closed:    make(chan struct{}),
		follow:    o.start != startPointer,
		bounded:   o.end != endNone,
		end:       end,
		readAhead: o.readAhead,
		pos:       slices.Clone(start.Segments),
		finished:  map[uint64]map[uint64]bool{},
	}
	if r.bounded && slices.ContainsFunc(r.pos, func(so wire.SegmentOffset) bool {
		_, ok := end.Offset(so.SegmentID)
		return !ok
	}) {
		// Segments the end cut does not name must lie before it: that
		// takes the key ranges of both.
		if err := r.loadRanges(ctx); err != nil {
			return nil, err
		}
	}
	var reads []segRead
	for _, so := range r.pos {
		sr, kind, err := r.plan(so.SegmentID, so.Offset)
		if err != nil {
			return nil, err
		}
		switch kind {
		case planAtEnd:
			continue // nothing to read
		case planBeyond:
			if o.end == endTail {
				return nil, newError(wire.CodeInvalidArgument, fmt.Sprintf("read %s: the start position names segment %016x, which %s does not have: is it a position of another stream?", stream, so.SegmentID, stream))
			}
			return nil, newError(wire.CodeInvalidArgument, fmt.Sprintf("read %s: the end cut names no offset for segment %016x, and does not lie after it", stream, so.SegmentID))
		}
		reads = append(reads, sr)
	}

	r.ctx, r.cancel = context.WithCancel(c.base)
	r.live = len(reads)
	// Each segment's goroutine holds up to two responses; keep the total
	// bounded for streams with many segments.
	maxBytes := r.readBytes(len(reads))
	r.wg.Add(len(reads))
	for _, sr := range reads {
		go r.readSegment(sr, maxBytes)
	}
	return r, nil
}

// readBytes is the read size per response for n segments read at once.
// With a WithReadAhead budget, the n segments' goroutines, the one
// response waiting in r.ch and the one Next reads from hold at most n+2
// responses, which share the budget.
func (r *Reader) readBytes(n int) uint32 {
	if r.readAhead > 0 {
		return uint32(min(max(r.readAhead/(max(n, 1)+2), minReadAheadBytes), maxReadBytes))
	}
	return uint32(min(max(readBufferBytes/max(n, 1), minReadBytes), maxReadBytes))
}

// loadRanges records the key ranges of all the stream's segments, and
// checks that the end cut names only segments of the stream.
func (r *Reader) loadRanges(ctx context.Context) error {
	info, err := r.c.GetStream(ctx, r.stream)
	if err != nil {
		return err
	}
	r.ranges = map[uint64]SegmentRange{}
	for _, e := range info.Epochs {
		for _, s := range e.Segments {
			r.ranges[s.ID] = s
		}
	}
	for _, so := range r.end.Segments {
		if _, ok := r.ranges[so.SegmentID]; !ok {
			return newError(wire.CodeInvalidArgument, fmt.Sprintf("read %s: the end cut names segment %016x, which the stream does not have", r.stream, so.SegmentID))
		}
	}
	return nil
}

// plan says how to read segment id from offset start, against the end cut
// of a bounded read.
func (r *Reader) plan(id uint64, start int64) (segRead, planKind, error) {
	sr := segRead{id: id, start: start, wait: true, successors: r.follow}
	if !r.bounded {
		return sr, planRead, nil
	}
	if e, ok := r.end.Offset(id); ok {
		switch {
		case e < start:
			return sr, 0, newError(wire.CodeInvalidArgument, fmt.Sprintf("read %s: segment %016x: the end offset %d is before the start offset %d", r.stream, id, e, start))
		case e == start:
			return sr, planAtEnd, nil
		}
		// The end cut's offsets are there to be read: no waiting, and
		// its successors lie beyond the cut.
		sr.end, sr.wait, sr.successors = e, false, false
		return sr, planRead, nil
	}
	if r.before(id) {
		// Read to its end, waiting for the seal of the scale that made
		// the end cut's segments (which comes just after it is
		// recorded).
		return sr, planRead, nil
	}
	return sr, planBeyond, nil
}

// before reports whether segment id lies before the end cut: a segment of
// the cut that shares keys with it was created in a later epoch (so it is
// one of id's successors, or theirs).
func (r *Reader) before(id uint64) bool {
	s, ok := r.ranges[id]
	if !ok {
		return false
	}
	for _, so := range r.end.Segments {
		c, ok := r.ranges[so.SegmentID]
		if ok && c.KeyLow < s.KeyHigh && s.KeyLow < c.KeyHigh && wire.SegmentEpoch(c.ID) > wire.SegmentEpoch(id) {
			return true
		}
	}
	return false
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

// retrier paces the retries of a segment goroutine's calls while the
// server is unreachable.
type retrier struct {
	bo     retryPause
	outage time.Time     // start of the current run of failures
	limit  time.Duration // how long a run may last: the client's reconnect timeout
}

// ok ends a run of failures.
func (rt *retrier) ok() {
	rt.outage = time.Time{}
	rt.bo.reset()
}

// wait reports whether a call that failed with err (an *Error) is to be
// tried again, after backing off: only UNAVAILABLE is, for up to
// rt.limit after the run of failures began. It is false when ctx
// ends.
func (rt *retrier) wait(ctx context.Context, err error) bool {
	if codeOf(err) != wire.CodeUnavailable || ctx.Err() != nil {
		return false
	}
	if rt.outage.IsZero() {
		rt.outage = time.Now()
	} else if time.Since(rt.outage) > rt.limit {
		return false
	}
	return rt.bo.wait(ctx, nil) == nil
}

// retryCall calls f until it succeeds or fails for good.
func retryCall[T any](ctx context.Context, rt *retrier, f func() (T, error)) (T, error) {
	for {
		v, err := f()
		if err == nil {
			rt.ok()
			return v, nil
		}
		if !rt.wait(ctx, err) {
			return v, err
		}
	}
}

// readSegment reads one segment and hands its batches to Next, reconnecting
// after transient failures (readSegmentStream); at the end it hands Next a
// done batch, with the successors to go on with if the segment was read to
// its end. It is owned by the Reader (wg).
func (r *Reader) readSegment(sr segRead, maxBytes uint32) {
	defer r.wg.Done()
	ctx := r.ctx
	what := fmt.Sprintf("read %s segment %016x", r.stream, sr.id)
	deliver := func(b *rbatch) bool {
		select {
		case r.ch <- b:
			return true
		case <-ctx.Done():
			return false
		}
	}
	fail := func(err error) {
		if codeOf(err) == wire.CodeNotFound {
			err = streamGone(ctx, r.c, r.scope, r.name, sr.id, err)
		}
		if ctx.Err() == nil {
			deliver(&rbatch{id: sr.id, err: err})
		}
	}
	rt := retrier{limit: r.c.reconnect}
	off := sr.start
	eos := false // read to the segment's end (not to an end offset)
	for {
		req := &braidv1.ReadSegmentRequest{
			Scope: r.scope, Stream: r.name, SegmentId: sr.id, Offset: off,
			EndOffset: sr.end, Follow: sr.wait, MaxBytes: maxBytes, CommitTimes: true,
		}
		err := readSegmentStream(ctx, r.c, req, what, func(base int64, data []byte, starts []uint32, times []*braidv1.CommitTime, done bool) bool {
			if len(starts) > 0 {
				if !deliver(&rbatch{id: sr.id, base: base, data: data, starts: starts, times: times}) {
					return false
				}
				off = base + int64(len(data))
			}
			// Without an end offset, a read is done only at the
			// segment's end.
			eos = done && sr.end == 0
			return true
		})
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			break
		}
		if !sr.successor || off != sr.start || codeOf(err) != wire.CodeTruncated {
			fail(err)
			return
		}
		// The successor's start was truncated before this reader got to
		// it: start at the head.
		head, herr := retryCall(ctx, &rt, func() (StreamCut, error) { return r.c.HeadCut(ctx, r.stream) })
		if herr != nil {
			fail(herr)
			return
		}
		h, ok := head.Offset(sr.id)
		if !ok {
			// All of it was truncated, and the head moved on to its
			// successors.
			eos = sr.end == 0
			break
		}
		if h <= off {
			fail(err)
			return
		}
		off, sr.start = h, h
		if !deliver(&rbatch{id: sr.id, base: off}) {
			return
		}
		if sr.end > 0 && off >= sr.end {
			break
		}
	}
	b := &rbatch{id: sr.id, base: off, done: true}
	if eos && sr.successors {
		succ, err := retryCall(ctx, &rt, func() ([]Successor, error) { return r.successors(ctx, sr.id) })
		if err != nil {
			fail(err)
			return
		}
		b.follow, b.succ = true, succ
	}
	deliver(b)
}

// successors returns the successors of segment id. A server without
// scaling (no GetSuccessors) has none.
func (r *Reader) successors(ctx context.Context, id uint64) ([]Successor, error) {
	resp, err := r.c.admin.GetSuccessors(ctx, &braidv1.GetSuccessorsRequest{Scope: r.scope, Stream: r.name, SegmentId: id})
	if status.Code(err) == codes.Unimplemented {
		return nil, nil
	}
	if err != nil {
		return nil, fromStatus(fmt.Sprintf("successors of %016x in %s", id, r.stream), err)
	}
	var out []Successor
	for _, s := range resp.GetSuccessors() {
		out = append(out, Successor{SegmentRange: segmentRange(s.GetSegment()), Predecessors: s.GetPredecessors()})
	}
	return out, nil
}

// start starts a segment goroutine, unless the reader is closing.
func (r *Reader) start(sr segRead, maxBytes uint32) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closing {
		return false
	}
	r.wg.Add(1)
	go r.readSegment(sr, maxBytes)
	return true
}

// Next returns the next event. Events of one segment come in order, and a
// segment's successors after it (see Reader); events of different segments
// interleave. When a bounded read (UntilTail, UntilCut) has reached its
// end, or every segment of the stream is sealed and read to its end, Next
// returns io.EOF. A damaged event (bad CRC or framing) fails with an error
// of code CORRUPT; errors other than ctx's are final: later calls return
// them again.
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
				r.pos[r.curSeg].Offset = b.base + int64(end)
				return Event{
					AppendTime: appendTime(b.times, &r.tidx, b.base+int64(start)),
					Data:       b.data[start+wire.HeaderSize : end : end],
					Pointer: EventPointer{
						Stream:    r.stream,
						SegmentID: b.id,
						Offset:    b.base + int64(start),
						Length:    int32(end - start),
					},
					snap: r.snap,
					seg:  r.curSeg,
				}, nil
			}
			r.cur = nil
			if b.done {
				r.live--
				if b.follow {
					r.finish(b)
				}
			}
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
		// A batch at hand is taken before a done ctx is looked at: a
		// caller that polls with an expired ctx still gets what the
		// reader holds (select would pick among ready cases at random).
		var b *rbatch
		select {
		case b = <-r.ch:
		default:
			select {
			case b = <-r.ch:
			case <-ctx.Done():
				return Event{}, ctx.Err()
			case <-r.closed:
				return Event{}, r.closedError()
			}
		}
		if b.err != nil {
			r.err = b.err
			continue
		}
		i, ok := slices.BinarySearchFunc(r.pos, b.id, func(so wire.SegmentOffset, id uint64) int { return cmp.Compare(so.SegmentID, id) })
		if !ok {
			r.err = newError(wire.CodeInternal, fmt.Sprintf("read %s: a batch of segment %016x, which the reader's position does not hold", r.stream, b.id))
			continue
		}
		r.cur, r.curSeg, r.idx, r.tidx = b, i, 0, 0
		if r.pos[i].Offset != b.base {
			// A successor's start moved past truncated data.
			r.pos[i].Offset = b.base
			r.snap = nil
		}
		if len(b.starts) > 0 && (r.snap == nil || r.snapSeg != i) {
			// Since the last snapshot only snapSeg moved, and
			// an event's own segment is set by Position.
			r.snap, r.snapSeg = &cutSnap{segs: slices.Clone(r.pos)}, i
		}
	}
}

// finish records that segment b.id was read to its end, and starts those
// of its successors whose predecessors all were. A started successor takes
// the place of its predecessors in the position once they have no other
// successors to start; successors beyond the end cut are not started.
func (r *Reader) finish(b *rbatch) {
	pending := map[uint64]bool{}
	for _, s := range b.succ {
		pending[s.ID] = true
	}
	r.finished[b.id] = pending
	for _, s := range b.succ {
		if len(s.Predecessors) == 0 {
			s.Predecessors = []uint64{b.id}
		}
		ready := true
		for _, p := range s.Predecessors {
			if _, ok := r.finished[p]; !ok {
				ready = false
			}
		}
		if !ready {
			continue // it waits for its other predecessors
		}
		if r.ranges == nil {
			r.ranges = map[uint64]SegmentRange{}
		}
		r.ranges[s.ID] = s.SegmentRange
		sr, kind, err := r.plan(s.ID, 0)
		if err != nil {
			r.err = err
			return
		}
		if kind == planBeyond {
			continue
		}
		sr.successor = true
		for _, p := range s.Predecessors {
			delete(r.finished[p], s.ID)
			if len(r.finished[p]) == 0 {
				delete(r.finished, p)
				r.pos = slices.DeleteFunc(r.pos, func(so wire.SegmentOffset) bool { return so.SegmentID == p })
			}
		}
		i, _ := slices.BinarySearchFunc(r.pos, s.ID, func(so wire.SegmentOffset, id uint64) int { return cmp.Compare(so.SegmentID, id) })
		r.pos = slices.Insert(r.pos, i, wire.SegmentOffset{SegmentID: s.ID, Offset: sr.start})
		r.snap = nil
		if kind == planRead {
			r.live++
			if !r.start(sr, r.readBytes(r.live)) {
				return // closing: Next says so
			}
		}
	}
}

func (r *Reader) closedError() error {
	return newError(wire.CodeCanceled, "read "+r.stream+": reader closed")
}

// Position returns the stream cut just after the last event Next returned
// (the start cut before the first). Segments read to their end whose
// successors have not started yet are in it at their ends.
func (r *Reader) Position() StreamCut {
	return StreamCut{Stream: r.stream, Segments: slices.Clone(r.pos)}
}

// Close stops the reader and waits for its goroutines. It is idempotent.
func (r *Reader) Close() error {
	r.once.Do(func() {
		r.mu.Lock()
		r.closing = true
		r.mu.Unlock()
		close(r.closed)
		r.cancel()
		r.wg.Wait()
	})
	return nil
}
