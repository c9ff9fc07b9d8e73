// This file holds the Writer's public face: its options, NewWriter, Write,
// Flush and Close, the Ack that Write returns, and the routing table that
// picks each event's segment. The Writer's doc comment describes the whole
// design; the machinery behind it lives in three companion files:
// writer_batch.go (each segment's batches: filling, sealing, the in-flight
// window, completion and failure), writer_session.go (the gRPC append
// session: connect, send, receive and apply acks, reconnect and resend) and
// writer_scale.go (following a scale: holding a sealed segment's events,
// finding its successors and moving the events to them).

package braid

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/braidstream/braid/wire"
)

// Writer defaults and limits.
const (
	defaultMaxBatchBytes    = 1 << 20
	defaultMaxInflightBytes = 64 << 20
	maxMaxBatchBytes        = 32 << 20
	maxWriterIDLen          = 256

	// firstBufCap is the least capacity of a new batch buffer (at most
	// MaxBatchBytes); a new buffer is sized after the segment's last batch,
	// buffers grow as needed and are reused.
	firstBufCap = 4 << 10
	// maxFreeBytes bounds the capacity of the batch buffers a writer keeps
	// for reuse.
	maxFreeBytes = 8 << 20
	// defaultMaxInflightBatches is the per-segment cap when the server does
	// not say (see AppendOpened.max_inflight_batches).
	defaultMaxInflightBatches = 16
)

// WriterOption configures NewWriter.
type WriterOption func(*writerOptions)

type writerOptions struct {
	id           string
	anonymous    bool  // WithoutWriterID
	streamFirst  int64 // WithStreamNumbers: the first event's number; 0: numbers per segment
	maxBatch     int
	maxInflight  int64
	linger       time.Duration
	retryTimeout time.Duration
	noteEvery    time.Duration // WithTimeNoting
	keepTime     bool          // WithTimeKeptOnClose
}

// WithWriterID sets the writer's id, which the server uses with the
// per-segment event numbers to drop events a retry sends twice. The default
// is a random 128-bit hex id. An id must be 1 to 256 bytes and must not be
// reused by a later Writer: event numbers start at 1 again, so the server
// would take the new events for retries of the old ones (the writer detects
// this and fails those events with an INVALID_ARGUMENT error).
func WithWriterID(id string) WriterOption {
	return func(o *writerOptions) { o.id = id }
}

// WithoutWriterID makes a writer without an id: the server keeps no state
// for it (no id, no event numbers), and a batch that the writer sends again
// after a reconnect may be stored twice (at least once, not exactly once).
// For short-lived writers, which would otherwise leave their id in the
// state of every segment they touch for good: the HTTP API's requests
// without a writer id are such writers. It cannot be combined with
// WithWriterID or WithStreamNumbers.
func WithoutWriterID() WriterOption {
	return func(o *writerOptions) { o.anonymous = true }
}

// WithStreamNumbers makes the writer number its events across the whole
// stream, first, first+1, ... in the order written, rather than per
// segment from 1, so that it can resume what an earlier writer with the
// same id (WithWriterID) did, in this process or another: events the stream
// already holds are not stored again. When the writer opens, the server
// tells it the last number stored from its id on every segment; an event
// whose number is at or below the highest of those on the segments that
// ever owned its key's point was stored by the earlier writer, and its Ack is done at once
// with Duplicate set (and, having no known position, an Offset of -1).
// A writer resuming after a failure therefore starts at the number of its
// first event not known to be stored, and writes the same events, with the
// same keys, from there. first must be 1 for an id the stream holds
// nothing from, and at most one past the highest number the stream holds
// from it: NewWriter fails with EVENT_NUMBER_GAP otherwise (numbers that
// skipped ahead would leave a range no retry can tell from stored events).
//
// Events written with an empty key all go to one point, derived from the
// writer id, so that they keep their order and a retry routes them as the
// first attempt did. While the writer follows a scale, Write blocks until
// the events of the sealed segments have moved to their successors.
func WithStreamNumbers(first int64) WriterOption {
	return func(o *writerOptions) { o.streamFirst = first }
}

// WithMaxBatchBytes sets how many framed bytes (8 bytes of header per
// event plus the payload) the writer collects per segment before it sends
// them as one batch. The default is 1 MiB, the maximum 32 MiB. An event
// larger than the bound goes alone in its batch.
func WithMaxBatchBytes(n int) WriterOption {
	return func(o *writerOptions) { o.maxBatch = n }
}

// WithMaxInflightBytes bounds the framed bytes written but not yet
// acknowledged; Write blocks while the bound is exceeded. The default is
// 64 MiB.
func WithMaxInflightBytes(n int) WriterOption {
	return func(o *writerOptions) { o.maxInflight = int64(n) }
}

// WithLinger sets how long a batch may wait for more events before it is
// sent. The default, 0, sends a batch as soon as the writer's sender is
// free, so batches grow by themselves while the sender is busy and stay
// small (low latency) when it is not.
func WithLinger(d time.Duration) WriterOption {
	return func(o *writerOptions) { o.linger = d }
}

// WithRetryTimeout sets how long the writer keeps reconnecting and
// resending, while it has events waiting, before it fails them. The default
// is the client's reconnect timeout (WithReconnectTimeout: 2 minutes unless
// set).
func WithRetryTimeout(d time.Duration) WriterOption {
	return func(o *writerOptions) { o.retryTimeout = d }
}

// Writer appends events to one stream. Write is safe for concurrent use;
// events written by one goroutine with the same routing key are stored, and
// read, in the order written.
//
// The writer routes each event to a segment by its routing key, collects
// events per segment into batches, and sends them over one append session
// (a gRPC stream). Per segment it keeps at most as many batches sent and
// unacknowledged as the server remembers appends per writer (16; the server
// says so when the session starts), so that a batch sent again after a
// reconnect is always acknowledged with its original position; meanwhile
// new events gather into the next batch. Each writer has an id and numbers its events per segment
// from 1; a batch carries the numbers of its events. When the session
// breaks, or the server answers a batch with a retryable error
// (UNAVAILABLE, STORAGE_FULL, STORAGE_FAILED, INTERNAL), the writer backs
// off (10 ms doubling to 1 s), opens a new session, and sends every
// unacknowledged batch again, unchanged and in the original order. The
// server stores each event number once, so a retry never duplicates an
// event. After WithRetryTimeout without progress, the writer gives up: every
// pending event fails with the last error, and so does every later Write.
//
// The writer follows the stream's scaling. When the server answers a
// batch with SEALED, that batch and every later one of the segment were not
// stored (a batch the segment stored is acknowledged as a duplicate even
// after the seal). The writer then holds the segment's unstored events
// (new events for its keys gather behind them), looks up the stream's
// current segments, and moves the held events, in order, to the successors
// that cover their keys; then it routes the segment's key range to the
// successors. Events of one routing key therefore stay in the order
// written, once each, across splits and merges: readers read a segment's
// predecessors before it. An Ack handed out before the move reports where
// the event finally went. If instead the stream itself was sealed (or
// deleted), the held events fail with ErrSealed (or ErrNotFound), and so do
// later writes to that segment's keys.
//
// A batch that fails with another error fails its events, and the writer
// stops writing to that segment: the segment's pending and later events
// fail with the same error (they cannot be stored without the failed
// batch's event numbers, and those are never given to other events). The
// error is in the events' Acks and in the next Flush. Events in the other
// segments go on. An event whose Ack fails after its batch was sent more
// than once (after a reconnect), or with the give-up error, or with
// ErrWriterClosed from a Close that ran out of time, may nevertheless have
// been stored: the outcome is unknown, never a duplicate.
//
// Close the writer to flush it and stop its goroutines.
type Writer struct {
	client *Client
	stream string // "scope/stream"
	scope  string
	name   string
	opts   writerOptions

	wake        chan struct{} // 1-buffered: the sender has work
	answered    chan struct{} // 1-buffered: an ack came (for a frozen resolver)
	resolveWake chan struct{} // 1-buffered: the resolver has work (resolveq)
	stop        chan struct{} // closed by Close once flushed: the goroutines exit
	cancel      context.CancelFunc
	wg          sync.WaitGroup

	closeOnce sync.Once
	closeErr  error

	// mu guards everything below, and the batches' fields marked so.
	mu sync.Mutex
	// pieces is the routing table: key ranges sorted by Low, covering
	// [0,1) exactly once, each routed to a segment. A segment has one
	// piece at first; after a scale its successors take over its pieces
	// (cut where their ranges end).
	pieces []piece
	// segs holds the segments that take or hold events: those with
	// pieces, and those moving. byID holds every segment this writer
	// used, so that late acks of a sealed segment are recognised.
	segs        []*wseg
	byID        map[uint64]*wseg
	resolveq    []*wseg // moving segments the resolver has not taken yet
	flushing    int     // Flush calls waiting: open batches seal without linger
	rr          int     // round-robin position for events without a key
	nextBatchID uint64  // id of the next batch sealed
	sendq       []*batch
	inflight    int64         // framed bytes written and not completed
	space       chan struct{} // closed and replaced when inflight drops; nil if nobody waits
	free        [][]byte      // batch buffers for reuse
	freeBytes   int           // their capacity
	outageStart time.Time     // when writes started waiting on a broken session; zero while they progress
	unreported  error         // first event failure since the last Flush
	broken      error         // the writer gave up: pending and later writes fail with it
	closed      bool          // Close was called: later writes fail with ErrWriterClosed
	maxInflight int           // per-segment cap on pending batches (from the server)

	// With WithStreamNumbers: the number of the next event written,
	// what the stream held from the writer's id when it opened, and
	// whether a scale is being followed (frozen: Write waits on thaw).
	nextNum   int64
	positions []position
	posHigh   int64 // the highest number in positions
	keyless   float64
	frozen    bool
	thaw      chan struct{}

	// timeMu orders NoteTime calls; notedTime is the last time noted
	// (Unix nanoseconds, 0: none).
	timeMu    sync.Mutex
	notedTime int64
}

// position is the last event number a segment held from the writer's id
// when it opened (WithStreamNumbers).
type position struct {
	low, high float64
	last      int64
}

// piece is a part [low, high) of the key space and the segment its events
// go to.
type piece struct {
	low, high float64
	seg       *wseg
}

// closedChan is a closed channel, the Done of acks that failed at once.
var closedChan = func() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}()

// Ack is the outcome of one Write. It is a small value (a batch reference
// and an index), so writing allocates nothing per event. The zero Ack is
// done and failed.
type Ack struct {
	b   *batch
	idx int
}

// failedAck returns an Ack that is done with err.
func failedAck(err error) Ack {
	return Ack{b: &batch{err: err, done: closedChan, completed: true}}
}

// Done returns a channel that is closed once the event is durable on the
// server or has failed; then Wait returns at once.
func (a Ack) Done() <-chan struct{} {
	if a.b == nil {
		return closedChan
	}
	return a.b.done
}

// Duplicate reports, once Done is closed, whether the server already held
// the event (a retry, or, with WithStreamNumbers, an event an earlier writer
// with the same id stored) and so did not store it again.
func (a Ack) Duplicate() bool {
	b := a.b
	if b == nil {
		return false
	}
	select {
	case <-b.done:
	default:
		return false
	}
	if b.err != nil {
		return false
	}
	if b.moved != nil {
		return b.moved[a.idx].Duplicate()
	}
	return b.duplicate
}

// Wait waits until the event is durable on the server, and returns its
// pointer (with Stream set), or the error that failed it. If ctx is done
// first, Wait returns ctx.Err(); the event may still be written.
//
// When the server acknowledged the event as a retry of one it had already
// stored, but no longer remembers where, the pointer's Offset is -1: the
// event is stored exactly once, at an unknown position. This happens only
// after reconnects, for batches older than the server's per-writer history.
func (a Ack) Wait(ctx context.Context) (EventPointer, error) {
	b := a.b
	if b == nil {
		return EventPointer{}, newError(wire.CodeInvalidArgument, "wait on the zero Ack")
	}
	select {
	case <-b.done:
	default:
		select {
		case <-b.done:
		case <-ctx.Done():
			return EventPointer{}, ctx.Err()
		}
	}
	if b.err != nil {
		return EventPointer{}, b.err
	}
	if b.moved != nil {
		// The batch's segment was sealed under it: the event went on
		// to a successor, and is done there (done closed after).
		return b.moved[a.idx].Wait(ctx)
	}
	if b.seg == nil {
		// Stored by an earlier writer (WithStreamNumbers): where is
		// not known.
		return EventPointer{Stream: b.stream, Offset: -1, Length: int32(b.size)}, nil
	}
	start := b.offs[a.idx]
	end := uint32(b.size)
	if a.idx+1 < len(b.offs) {
		end = b.offs[a.idx+1]
	}
	p := EventPointer{Stream: b.seg.stream, SegmentID: b.seg.id, Offset: -1, Length: int32(end - start)}
	if b.offset >= 0 {
		p.Offset = b.offset + int64(start)
	}
	return p, nil
}

// NewWriter opens an append session on stream ("scope/stream") and returns
// a writer for it. ctx bounds only the setup: if it has a deadline,
// NewWriter waits until then for the server; if not, it fails at once when
// the server cannot be reached.
func (c *Client) NewWriter(ctx context.Context, stream string, opts ...WriterOption) (*Writer, error) {
	scope, name, err := splitStream(stream)
	if err != nil {
		return nil, err
	}
	o := writerOptions{
		maxBatch:     defaultMaxBatchBytes,
		maxInflight:  defaultMaxInflightBytes,
		retryTimeout: c.reconnect,
	}
	for _, opt := range opts {
		opt(&o)
	}
	if o.anonymous && (o.id != "" || o.streamFirst != 0) {
		return nil, newError(wire.CodeInvalidArgument, "new writer for "+stream+": WithoutWriterID cannot be combined with WithWriterID or WithStreamNumbers")
	}
	if o.id == "" && !o.anonymous {
		var b [16]byte
		_, _ = rand.Read(b[:])
		o.id = hex.EncodeToString(b[:])
	}
	var problems []string
	if len(o.id) > maxWriterIDLen {
		problems = append(problems, fmt.Sprintf("writer id is %d bytes (max %d)", len(o.id), maxWriterIDLen))
	}
	if o.maxBatch < 1 || o.maxBatch > maxMaxBatchBytes {
		problems = append(problems, fmt.Sprintf("max batch bytes %d (want 1 to %d)", o.maxBatch, maxMaxBatchBytes))
	}
	if o.maxInflight < 1 {
		problems = append(problems, fmt.Sprintf("max in-flight bytes %d (want at least 1)", o.maxInflight))
	}
	if o.linger < 0 {
		problems = append(problems, fmt.Sprintf("negative linger %v", o.linger))
	}
	if o.streamFirst < 0 || o.streamFirst > 1<<60 {
		problems = append(problems, fmt.Sprintf("first stream event number %d (want 1 to 2^60)", o.streamFirst))
	}
	if o.retryTimeout <= 0 {
		problems = append(problems, fmt.Sprintf("retry timeout %v (want > 0)", o.retryTimeout))
	}
	if o.noteEvery < 0 || (o.noteEvery > 0 && o.anonymous) {
		problems = append(problems, fmt.Sprintf("time noting every %v (want > 0, and a writer id)", o.noteEvery))
	}
	if len(problems) > 0 {
		return nil, newError(wire.CodeInvalidArgument, "new writer for "+stream+": "+strings.Join(problems, "; "))
	}

	base, cancel := context.WithCancel(c.base)
	w := &Writer{
		client:      c,
		stream:      stream,
		scope:       scope,
		name:        name,
		opts:        o,
		wake:        make(chan struct{}, 1),
		answered:    make(chan struct{}, 1),
		resolveWake: make(chan struct{}, 1),
		stop:        make(chan struct{}),
		cancel:      cancel,
		byID:        map[uint64]*wseg{},
		nextBatchID: 1,
		maxInflight: defaultMaxInflightBatches,
		nextNum:     o.streamFirst,
		keyless:     wire.KeyPoint("\x00" + o.id),
	}
	_, hasDeadline := ctx.Deadline()
	s, ranges, err := w.connect(base, ctx, hasDeadline)
	if err != nil {
		cancel()
		return nil, err
	}
	if len(ranges) == 0 {
		s.fail(nil)
		cancel()
		return nil, newError(wire.CodeInternal, "append to "+stream+": the server named no segments")
	}
	if err := w.checkFirstNumber(); err != nil {
		s.fail(nil)
		cancel()
		return nil, err
	}
	for _, r := range ranges {
		sg := w.segLocked(r.GetSegmentId())
		w.pieces = append(w.pieces, piece{low: r.GetKeyLow(), high: r.GetKeyHigh(), seg: sg})
	}
	sort.Slice(w.pieces, func(i, j int) bool { return w.pieces[i].low < w.pieces[j].low })
	w.wg.Add(2)
	go w.run(base, s)
	go w.resolve(base)
	if o.noteEvery > 0 {
		w.wg.Add(1)
		go w.noteLoop(base, o.noteEvery)
	}
	return w, nil
}

// ID returns the writer's id.
func (w *Writer) ID() string { return w.opts.id }

// Write routes the event by routingKey (the current segment whose key range
// holds wire.KeyPoint(routingKey); an empty key spreads events over the
// segments in turn), copies payload, and returns at once. It blocks only
// while the bytes written and not yet acknowledged exceed
// WithMaxInflightBytes, until ctx is done. Errors come through the Ack: an event larger than
// wire.DefaultMaxEventSize fails at once with ErrEventTooLarge, a write to a
// closed writer with ErrWriterClosed.
func (w *Writer) Write(ctx context.Context, routingKey string, payload []byte) Ack {
	point := float64(noKey)
	if routingKey != "" {
		point = wire.KeyPoint(routingKey)
	} else if w.opts.streamFirst > 0 {
		point = w.keyless
	}
	return w.write(ctx, point, payload)
}

// WriteKeyPoint is Write for an event routed by a point of the key space
// [0,1) rather than by a key: it goes to the current segment whose range
// holds point. It is for programs that copy events between streams of the
// same layout, whose events carry no keys (braid import): all events
// written at one point keep their order, as those of one key do. A point
// outside [0,1) fails the event with INVALID_ARGUMENT.
func (w *Writer) WriteKeyPoint(ctx context.Context, point float64, payload []byte) Ack {
	if !(point >= 0 && point < 1) {
		return failedAck(newError(wire.CodeInvalidArgument, fmt.Sprintf("write to %s: key point %v is outside [0,1)", w.stream, point)))
	}
	return w.write(ctx, point, payload)
}

// LastStored returns, for a writer made WithStreamNumbers, the highest
// event number the server reported holding from the writer's id (when the
// writer opened, and at reconnects since; 0 when none). Read right after
// NewWriter, it tells a program that resumes numbered events how many to
// skip: it then opens its writer with WithStreamNumbers(LastStored()+1).
func (w *Writer) LastStored() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.posHigh
}

func (w *Writer) write(ctx context.Context, point float64, payload []byte) Ack {
	if len(payload) > wire.DefaultMaxEventSize {
		return failedAck(newError(wire.CodeEventTooLarge, fmt.Sprintf("write to %s: event of %d bytes is larger than the maximum event size of %d bytes", w.stream, len(payload), wire.DefaultMaxEventSize)))
	}
	size := wire.FrameSize(len(payload))

	w.mu.Lock()
	for w.frozen && !w.closed && w.broken == nil {
		thaw := w.thaw
		w.mu.Unlock()
		select {
		case <-thaw:
		case <-ctx.Done():
			return failedAck(ctx.Err())
		}
		w.mu.Lock()
	}
	for w.inflight > 0 && w.inflight+int64(size) > w.opts.maxInflight && !w.closed && w.broken == nil {
		if w.space == nil {
			w.space = make(chan struct{})
		}
		space := w.space
		w.mu.Unlock()
		select {
		case <-space:
		case <-ctx.Done():
			return failedAck(ctx.Err())
		}
		w.mu.Lock()
	}
	if w.closed {
		w.mu.Unlock()
		return failedAck(ErrWriterClosed)
	}
	if err := w.broken; err != nil {
		w.mu.Unlock()
		return failedAck(err)
	}
	var num int64
	if w.opts.streamFirst > 0 {
		num = w.nextNum
		w.nextNum++
		if num <= w.posHigh && num <= w.lastForLocked(point) {
			w.mu.Unlock()
			return Ack{b: &batch{stream: w.stream, done: closedChan, completed: true, duplicate: true, offset: -1, size: size}}
		}
	}
	var sg *wseg
	if point == noKey {
		sg = w.pieces[w.rr%len(w.pieces)].seg
		w.rr++
	} else {
		sg = w.route(point)
	}
	if err := sg.dead; err != nil {
		w.mu.Unlock()
		return failedAck(err)
	}
	b, signal := w.slotLocked(sg, size)
	idx := len(b.offs)
	b.offs = append(b.offs, uint32(len(b.buf)))
	b.points = append(b.points, point)
	if num > 0 {
		b.nums = append(b.nums, num)
	}
	b.buf = wire.AppendFrame(b.buf, payload)
	w.inflight += int64(size)
	if w.filledLocked(sg, b) {
		signal = true
	}
	w.mu.Unlock()
	if signal {
		select {
		case w.wake <- struct{}{}:
		default:
		}
	}
	return Ack{b: b, idx: idx}
}

// route returns the segment of the piece that holds point.
func (w *Writer) route(point float64) *wseg {
	// The last piece that starts at or below point.
	i := sort.Search(len(w.pieces), func(i int) bool { return w.pieces[i].low > point })
	if i > 0 {
		i--
	}
	return w.pieces[i].seg
}

// Flush sends every event written so far and waits until each is durable or
// failed. It returns the first error of an event that failed since the
// previous Flush, if any; the error the writer gave up with, if it did; or
// ctx.Err() if ctx ends first. Writes that failed at once (too large, ctx
// done while blocked, writer closed) are not counted: their Acks report
// them.
func (w *Writer) Flush(ctx context.Context) error {
	if err := w.settle(ctx); err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	err := w.unreported
	w.unreported = nil
	if err == nil {
		err = w.broken
	}
	return err
}

// settle sends every event written so far and waits until each is durable
// or failed (Flush, without taking the errors).
func (w *Writer) settle(ctx context.Context) error {
	w.mu.Lock()
	var waits []chan struct{}
	for _, sg := range w.segs {
		if sg.open != nil && w.broken == nil && !sg.moving {
			w.sealLocked(sg)
		}
		// Wait for every batch: one that moves to successors (its
		// segment was sealed under it) completes when they have stored
		// its events, maybe after later batches.
		for _, b := range sg.pending {
			waits = append(waits, b.done)
		}
		for _, b := range sg.held {
			waits = append(waits, b.done)
		}
		if sg.moving && sg.open != nil {
			waits = append(waits, sg.open.done)
		}
	}
	// Events that move meanwhile land in open batches, which seal
	// without linger while a Flush waits.
	w.flushing++
	w.mu.Unlock()
	defer func() {
		w.mu.Lock()
		w.flushing--
		w.mu.Unlock()
	}()
	select {
	case w.wake <- struct{}{}:
	default:
	}
	for _, d := range waits {
		select {
		case <-d:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// Close flushes the writer (see Flush), then closes its session and stops
// its goroutines. Events still pending when ctx ends fail with
// ErrWriterClosed; so do later writes. Close returns Flush's result. It is
// idempotent: later calls return the same result.
func (w *Writer) Close(ctx context.Context) error {
	w.closeOnce.Do(func() {
		w.mu.Lock()
		w.closed = true
		if w.space != nil {
			close(w.space)
			w.space = nil
		}
		if w.thaw != nil {
			close(w.thaw) // Write fails; the freeze itself goes on
			w.thaw = make(chan struct{})
		}
		w.mu.Unlock()
		err := w.Flush(ctx)
		close(w.stop)
		w.cancel()
		w.wg.Wait()
		w.releaseTime(ctx)
		w.mu.Lock()
		w.failAllLocked(ErrWriterClosed)
		w.mu.Unlock()
		w.closeErr = err
	})
	return w.closeErr
}
