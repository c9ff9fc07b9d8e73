package braid

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/wire"
)

// Writer defaults and limits.
const (
	defaultMaxBatchBytes    = 1 << 20
	defaultMaxInflightBytes = 64 << 20
	defaultRetryTimeout     = 2 * time.Minute
	maxMaxBatchBytes        = 32 << 20
	maxWriterIDLen          = 256

	// firstBufCap is the capacity of a new batch buffer (at most
	// MaxBatchBytes); buffers grow as needed and are reused.
	firstBufCap = 64 << 10
	// maxFreeBufs is how many batch buffers a writer keeps for reuse.
	maxFreeBufs = 16
	// defaultMaxInflightBatches is the per-segment cap when the server does
	// not say (see AppendSetupAck.max_inflight_batches).
	defaultMaxInflightBatches = 16
)

// WriterOption configures NewWriter.
type WriterOption func(*writerOptions)

type writerOptions struct {
	id           string
	maxBatch     int
	maxInflight  int64
	linger       time.Duration
	retryTimeout time.Duration
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
// is 2 minutes.
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
	outageStart time.Time     // when writes started waiting on a broken session; zero while they progress
	unreported  error         // first event failure since the last Flush
	broken      error         // the writer gave up: pending and later writes fail with it
	closed      bool          // Close was called: later writes fail with ErrWriterClosed
	maxInflight int           // per-segment cap on pending batches (from the server)
}

// piece is a part [low, high) of the key space and the segment its events
// go to.
type piece struct {
	low, high float64
	seg       *wseg
}

// wseg is one segment as a writer sees it.
type wseg struct {
	id        uint64
	stream    string
	open      *batch   // collecting events; nil when none
	pending   []*batch // sealed and not completed, in event number order
	nextEvent int64    // number the next sealed event gets
	lastCount int      // events in the last sealed batch (capacity hint)
	lastSize  int      // bytes in the last sealed batch (capacity hint)
	dead      error    // the segment takes no more events (see ackLocked)
	// moving is set when the server answered SEALED: the segment's
	// unstored events wait in held (oldest first) and open for the
	// resolver to move them to the successors. Meanwhile new events for
	// its pieces gather in open (a full open batch joins held); nothing
	// is sealed or sent.
	moving   bool
	held     []*batch
	sealedBy error // the ack error that made it move
	// sent counts the batches of pending sent in the current session and
	// not yet acknowledged: a prefix of pending. It stays at or below the
	// session's maxInflight, so that the server still remembers every
	// batch that a reconnect sends again, and answers it with its offset.
	sent int
}

// batch is a run of events for one segment, sent as one AppendBatch.
//
// Write appends events to the open batch under Writer.mu. Sealing gives it
// an id and event numbers and freezes buf, offs and size; from then on
// only the writer's goroutines touch it, under mu, until it completes.
// Completion sets offset and err and then closes done; Ack reads offs,
// size, offset and err only after done is closed. A batch whose segment
// was sealed before it was stored moves instead (see moveLocked): its
// events go to other batches, and done closes when those are done.
type batch struct {
	seg   *wseg
	id    uint64
	first int64    // first event number (mu)
	buf   []byte   // framed events; nil once recycled
	offs  []uint32 // start of each event's frame in buf
	// points holds each event's routing key point (wire.KeyPoint), or
	// noKey for an event written with an empty key.
	points []float64
	size   int // len(buf) when sealed (or failed while open)
	opened time.Time
	sends  int // sessions it was handed to for sending (mu)
	done   chan struct{}

	completed bool  // (mu)
	offset    int64 // where the batch starts in the segment, -1 if unknown
	err       error

	// moved is set when the batch's segment was sealed before the batch
	// was stored: moved[i] is the Ack of event i in the batch it moved to
	// (set under mu before done is closed, read after). waiting counts
	// the batches holding its moved events that have not completed yet
	// (mu); done closes when it reaches zero. deps lists the moved batches
	// with events in this batch, once per count in their waiting (mu).
	moved   []Ack
	waiting int
	deps    []*batch
}

// noKey is the routing point of an event written with an empty key.
const noKey = -1

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
		retryTimeout: defaultRetryTimeout,
	}
	for _, opt := range opts {
		opt(&o)
	}
	if o.id == "" {
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
	if o.retryTimeout <= 0 {
		problems = append(problems, fmt.Sprintf("retry timeout %v (want > 0)", o.retryTimeout))
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
		resolveWake: make(chan struct{}, 1),
		stop:        make(chan struct{}),
		cancel:      cancel,
		byID:        map[uint64]*wseg{},
		nextBatchID: 1,
		maxInflight: defaultMaxInflightBatches,
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
	for _, r := range ranges {
		sg := w.segLocked(r.GetSegmentId())
		w.pieces = append(w.pieces, piece{low: r.GetKeyLow(), high: r.GetKeyHigh(), seg: sg})
	}
	sort.Slice(w.pieces, func(i, j int) bool { return w.pieces[i].low < w.pieces[j].low })
	w.wg.Add(2)
	go w.run(base, s)
	go w.resolve(base)
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
	if len(payload) > wire.DefaultMaxEventSize {
		return failedAck(newError(wire.CodeEventTooLarge, fmt.Sprintf("write to %s: event of %d bytes is larger than the maximum event size of %d bytes", w.stream, len(payload), wire.DefaultMaxEventSize)))
	}
	size := wire.FrameSize(len(payload))
	point := float64(noKey)
	if routingKey != "" {
		point = wire.KeyPoint(routingKey)
	}

	w.mu.Lock()
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
	var sg *wseg
	if routingKey == "" {
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

// segLocked returns the writer's segment id, making it (and adding it to
// segs) if the writer has not used it yet.
func (w *Writer) segLocked(id uint64) *wseg {
	if sg := w.byID[id]; sg != nil {
		return sg
	}
	sg := &wseg{id: id, stream: w.stream, nextEvent: 1}
	w.byID[id] = sg
	w.segs = append(w.segs, sg)
	return sg
}

// slotLocked returns sg's open batch with room for an event of size bytes,
// opening one (and closing a full one) if need be. signal reports that the
// sender has news.
func (w *Writer) slotLocked(sg *wseg, size int) (b *batch, signal bool) {
	b = sg.open
	if b != nil && len(b.buf)+size > w.opts.maxBatch {
		w.closeOpenLocked(sg)
		b = nil
	}
	if b == nil {
		b = w.openLocked(sg, size)
		signal = true
	}
	return b, signal
}

// filledLocked closes sg's open batch b if it is full, and reports whether
// it did.
func (w *Writer) filledLocked(sg *wseg, b *batch) bool {
	if len(b.buf) < w.opts.maxBatch {
		return false
	}
	w.closeOpenLocked(sg)
	return true
}

// closeOpenLocked seals sg's open batch, or, while sg is moving, puts it
// behind the held ones.
func (w *Writer) closeOpenLocked(sg *wseg) {
	if sg.moving {
		sg.held = append(sg.held, sg.open)
		sg.open = nil
		return
	}
	w.sealLocked(sg)
}

// openLocked starts a new open batch in sg for a first event of size bytes.
func (w *Writer) openLocked(sg *wseg, size int) *batch {
	b := &batch{seg: sg, done: make(chan struct{}), offset: -1}
	if n := len(w.free); n > 0 {
		b.buf = w.free[n-1]
		w.free[n-1] = nil
		w.free = w.free[:n-1]
	} else {
		// Size a new buffer for what the segment's last batch held, so
		// that under load it does not grow (and copy) its way up.
		c := min(max(sg.lastSize+sg.lastSize/4, firstBufCap), w.opts.maxBatch)
		b.buf = make([]byte, 0, max(c, size))
	}
	b.offs = make([]uint32, 0, max(sg.lastCount, 8))
	b.points = make([]float64, 0, cap(b.offs))
	if w.opts.linger > 0 {
		b.opened = time.Now()
	}
	sg.open = b
	return b
}

// sealLocked seals sg's open batch: it gets its id and event numbers and
// joins the segment's pending batches and the send queue.
func (w *Writer) sealLocked(sg *wseg) {
	b := sg.open
	sg.open = nil
	b.id = w.nextBatchID
	w.nextBatchID++
	b.first = sg.nextEvent
	sg.nextEvent += int64(len(b.offs))
	sg.lastCount = len(b.offs)
	sg.lastSize = len(b.buf)
	b.size = len(b.buf)
	sg.pending = append(sg.pending, b)
	w.sendq = append(w.sendq, b)
}

// sealReadyLocked seals the open batches that are ready to go: all of them
// with no linger, those older than the linger otherwise. It returns when
// the next open batch becomes ready, or the zero time if none waits.
func (w *Writer) sealReadyLocked() (next time.Time) {
	var now time.Time
	linger := w.opts.linger > 0 && w.flushing == 0
	if linger {
		now = time.Now()
	}
	for _, sg := range w.segs {
		b := sg.open
		if b == nil || sg.moving {
			continue
		}
		if len(sg.pending) >= w.maxInflight {
			// At the in-flight cap: let the batch grow until an ack
			// makes room.
			continue
		}
		if linger {
			if due := b.opened.Add(w.opts.linger); due.After(now) {
				if next.IsZero() || due.Before(next) {
					next = due
				}
				continue
			}
		}
		w.sealLocked(sg)
	}
	return next
}

// completeLocked finishes a batch that left its segment's pending list (or
// was never sealed) with its offset or error, and releases its bytes.
func (w *Writer) completeLocked(b *batch, offset int64, err error) {
	if b.completed {
		return
	}
	b.completed = true
	if b.size == 0 {
		b.size = len(b.buf)
	}
	b.offset = offset
	b.err = err
	if err != nil && w.unreported == nil {
		w.unreported = err
	}
	w.inflight -= int64(b.size)
	if err == nil && b.buf != nil && b.sends == 1 {
		// gRPC may read buf after Send returned (see dataCodec). An ack
		// in the one session that sent the batch proves that all of
		// it was written; a batch sent more than once may still be
		// read by an earlier session's connection, so it is left to
		// the garbage collector.
		if len(w.free) < maxFreeBufs && cap(b.buf) <= 2*w.opts.maxBatch {
			w.free = append(w.free, b.buf[:0])
		}
		b.buf = nil
	}
	close(b.done)
	w.depsDoneLocked(b)
	if w.space != nil {
		close(w.space)
		w.space = nil
	}
}

// depsDoneLocked tells the moved batches with events in b that b is done.
func (w *Writer) depsDoneLocked(b *batch) {
	deps := b.deps
	b.deps = nil
	for _, d := range deps {
		d.waiting--
		if d.waiting == 0 {
			w.finishMovedLocked(d)
		}
	}
}

// finishMovedLocked completes a moved batch whose events are all done
// where they went. Its bytes were released when it moved.
func (w *Writer) finishMovedLocked(b *batch) {
	b.completed = true
	close(b.done)
	w.depsDoneLocked(b)
}

// failSegmentLocked fails sg's pending, held and open batches with err.
func (w *Writer) failSegmentLocked(sg *wseg, err error) {
	for i, b := range sg.pending {
		w.completeLocked(b, -1, err)
		sg.pending[i] = nil
	}
	sg.pending = sg.pending[:0]
	sg.sent = 0
	for _, b := range sg.held {
		w.completeLocked(b, -1, err)
	}
	sg.held = nil
	sg.moving = false
	if b := sg.open; b != nil {
		sg.open = nil
		w.completeLocked(b, -1, err)
	}
}

// failAllLocked fails every open and pending batch with err.
func (w *Writer) failAllLocked(err error) {
	for _, sg := range w.segs {
		w.failSegmentLocked(sg, err)
	}
	clear(w.sendq)
	w.sendq = w.sendq[:0]
	w.resolveq = nil
	if w.space != nil {
		close(w.space)
		w.space = nil
	}
}

// hasPendingLocked reports whether any event waits to be acknowledged.
func (w *Writer) hasPendingLocked() bool {
	for _, sg := range w.segs {
		if len(sg.pending) > 0 || sg.open != nil || len(sg.held) > 0 {
			return true
		}
	}
	return false
}

// Flush sends every event written so far and waits until each is durable or
// failed. It returns the first error of an event that failed since the
// previous Flush, if any; the error the writer gave up with, if it did; or
// ctx.Err() if ctx ends first. Writes that failed at once (too large, ctx
// done while blocked, writer closed) are not counted: their Acks report
// them.
func (w *Writer) Flush(ctx context.Context) error {
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
	w.mu.Lock()
	defer w.mu.Unlock()
	err := w.unreported
	w.unreported = nil
	if err == nil {
		err = w.broken
	}
	return err
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
		w.mu.Unlock()
		err := w.Flush(ctx)
		close(w.stop)
		w.cancel()
		w.wg.Wait()
		w.mu.Lock()
		w.failAllLocked(ErrWriterClosed)
		w.mu.Unlock()
		w.closeErr = err
	})
	return w.closeErr
}

// giveUp fails everything pending with err, and every later write too.
func (w *Writer) giveUp(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.broken == nil {
		w.broken = err
	}
	w.failAllLocked(w.broken)
}

// session is one append stream. The supervisor (run) owns it: it starts
// the receiver, sends on the stream itself, and tears the session down.
type session struct {
	stream   braidv1.DataService_AppendClient
	cancel   context.CancelFunc
	once     sync.Once
	done     chan struct{} // closed by fail
	err      error         // why the session failed; read after done
	recvDone chan struct{} // closed when the receiver exited
	// maxInflight bounds each segment's sent, unacknowledged batches
	// (from the server's setup answer).
	maxInflight int
}

// fail ends the session with err (the first call wins).
func (s *session) fail(err error) {
	s.once.Do(func() {
		s.err = err
		close(s.done)
		s.cancel()
	})
}

// connect opens an append session on base (the writer's lifetime) and
// waits, within ctx, for the server's setup answer.
func (w *Writer) connect(base, ctx context.Context, waitForReady bool) (*session, []*braidv1.SegmentRange, error) {
	sctx, cancel := context.WithCancel(base)
	s := &session{cancel: cancel, done: make(chan struct{}), recvDone: make(chan struct{})}
	stop := context.AfterFunc(ctx, cancel)
	ranges, err := func() ([]*braidv1.SegmentRange, error) {
		stream, err := w.client.data.Append(sctx, grpc.WaitForReady(waitForReady), grpc.ForceCodecV2(dataCodec{}))
		if err != nil {
			return nil, err
		}
		s.stream = stream
		err = stream.Send(&braidv1.AppendRequest{Kind: &braidv1.AppendRequest_Setup{Setup: &braidv1.AppendSetup{
			Scope: w.scope, Stream: w.name, WriterId: w.opts.id,
		}}})
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		// After io.EOF from Send, Recv returns the real status.
		resp, err := stream.Recv()
		if err != nil {
			return nil, err
		}
		sa := resp.GetSetupAck()
		if sa == nil {
			return nil, newError(wire.CodeInternal, "append to "+w.stream+": the server did not answer the setup")
		}
		s.maxInflight = int(sa.GetMaxInflightBatches())
		if s.maxInflight <= 0 {
			s.maxInflight = defaultMaxInflightBatches
		}
		w.mu.Lock()
		w.maxInflight = s.maxInflight
		w.mu.Unlock()
		return sa.GetSegments(), nil
	}()
	if !stop() && err == nil {
		err = ctx.Err()
	}
	if err != nil {
		cancel()
		if ctx.Err() != nil && base.Err() == nil {
			err = ctx.Err()
		}
		return nil, nil, fromStatus("append to "+w.stream, err)
	}
	return s, ranges, nil
}

// errStopped ends a session because the writer is closing.
var errStopped = errors.New("braid: writer stopping")

// run is the writer's supervisor: it sends on the current session, and when
// the session fails it reconnects and resends until the writer stops or
// gives up. It owns every session and its receiver.
func (w *Writer) run(base context.Context, s *session) {
	defer w.wg.Done()
	var bo retryPause
	for {
		go w.receive(s)
		err := w.send(s)
		s.fail(err)
		<-s.recvDone
		err = s.err
		if w.stopping(base) {
			return
		}

		w.mu.Lock()
		w.sendq = w.sendq[:0]
		if w.outageStart.IsZero() {
			w.outageStart = time.Now()
			bo.reset()
		}
		w.mu.Unlock()
		lastErr := err
		for {
			w.mu.Lock()
			if !w.hasPendingLocked() {
				// Nothing waits, so the clock does not run.
				w.outageStart = time.Now()
			}
			giveUpAt := w.outageStart.Add(w.opts.retryTimeout)
			w.mu.Unlock()
			if !time.Now().Before(giveUpAt) {
				w.giveUp(w.gaveUpError(lastErr))
				return
			}
			if err := bo.wait(base, w.stop); errors.Is(err, errStopped) {
				return
			} else if err != nil {
				w.giveUp(ErrWriterClosed)
				return
			}
			ctx, cancel := context.WithDeadline(base, giveUpAt)
			var ranges []*braidv1.SegmentRange
			s, ranges, err = w.connect(base, ctx, true)
			cancel()
			_ = ranges // The writer keeps routing over the segments it started with.
			if err == nil {
				break
			}
			if w.stopping(base) {
				return
			}
			switch code := codeOf(err); {
			case code == wire.CodeDeadlineExceeded || code == wire.CodeCanceled:
				// The give-up time passed while connecting; keep
				// the error from before.
			case retryable(code):
				lastErr = err
			default:
				// The stream is gone, sealed or refused: retrying
				// cannot help.
				w.giveUp(err)
				return
			}
		}

		// Resend every pending batch, in its original order.
		w.mu.Lock()
		w.sendq = w.sendq[:0]
		for _, sg := range w.segs {
			sg.sent = 0
			w.sendq = append(w.sendq, sg.pending...)
		}
		slices.SortFunc(w.sendq, func(a, b *batch) int {
			switch {
			case a.id < b.id:
				return -1
			case a.id > b.id:
				return 1
			}
			return 0
		})
		w.mu.Unlock()
	}
}

// stopping reports whether the writer is closing (or its client closed);
// in the latter case it fails everything pending.
func (w *Writer) stopping(base context.Context) bool {
	select {
	case <-w.stop:
		return true
	default:
	}
	if base.Err() != nil {
		w.giveUp(ErrWriterClosed)
		return true
	}
	return false
}

// gaveUpError is the error pending events fail with after the retry
// timeout: the last error, with what happened said in front.
func (w *Writer) gaveUpError(last error) error {
	code, msg := wire.CodeUnavailable, "no error"
	var e *Error
	if errors.As(last, &e) {
		code, msg = e.Code, e.Message
	} else if last != nil {
		msg = last.Error()
	}
	return &Error{Code: code, Message: fmt.Sprintf("braid: write to %s: gave up after retrying for %v: %s", w.stream, w.opts.retryTimeout, msg)}
}

// sendItem is what the sender needs of a batch, copied under the lock.
type sendItem struct {
	id, seg uint64
	first   int64
	count   int
	buf     []byte
}

// send is the sender: it seals ready batches and sends them on s until s
// fails or the writer stops. With no linger, batches are sealed whenever
// the sender comes back for more, so they hold whatever was written while
// it was busy.
func (w *Writer) send(s *session) error {
	ab := &braidv1.AppendBatch{}
	req := &braidv1.AppendRequest{Kind: &braidv1.AppendRequest_Batch{Batch: ab}}
	var out []sendItem
	var timer *time.Timer
	var timerC <-chan time.Time
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		w.mu.Lock()
		next := w.sealReadyLocked()
		// Batches of segments at their in-flight cap wait in the queue,
		// in order, until acks make room.
		keep := w.sendq[:0]
		for _, b := range w.sendq {
			if b.completed {
				continue
			}
			if b.seg.sent >= s.maxInflight {
				keep = append(keep, b)
				continue
			}
			b.seg.sent++
			b.sends++
			out = append(out, sendItem{id: b.id, seg: b.seg.id, first: b.first, count: len(b.offs), buf: b.buf})
		}
		clear(w.sendq[len(keep):])
		w.sendq = keep
		w.mu.Unlock()

		for _, it := range out {
			ab.BatchId, ab.SegmentId, ab.FirstEventNumber, ab.EventCount, ab.Events = it.id, it.seg, it.first, uint32(it.count), it.buf
			if err := s.stream.Send(req); err != nil {
				ab.Events = nil
				clear(out)
				if errors.Is(err, io.EOF) {
					// The stream ended; the receiver gets why.
					<-s.done
					return s.err
				}
				return fromStatus("append to "+w.stream, err)
			}
		}
		ab.Events = nil
		if len(out) > 0 {
			clear(out)
			out = out[:0]
			continue
		}

		timerC = nil
		if !next.IsZero() {
			d := time.Until(next)
			if timer == nil {
				timer = time.NewTimer(d)
			} else {
				timer.Reset(d)
			}
			timerC = timer.C
		}
		select {
		case <-w.wake:
		case <-timerC:
		case <-s.done:
			return s.err
		case <-w.stop:
			return errStopped
		}
	}
}

// receive is the receiver of session s: it completes batches as their acks
// come, and fails the session on a stream error or an ack that calls for a
// retry.
func (w *Writer) receive(s *session) {
	defer close(s.recvDone)
	for {
		resp, err := s.stream.Recv()
		if err != nil {
			s.fail(fromStatus("append to "+w.stream, err))
			return
		}
		ack := resp.GetAck()
		if ack == nil {
			s.fail(newError(wire.CodeInternal, "append to "+w.stream+": unexpected message from the server"))
			return
		}
		w.mu.Lock()
		err = w.ackLocked(ack)
		w.mu.Unlock()
		if err != nil {
			s.fail(err)
			return
		}
	}
}

// ackLocked applies one ack. It returns an error when the session must be
// torn down and the pending batches sent again.
func (w *Writer) ackLocked(ack *braidv1.AppendAck) error {
	sg := w.byID[ack.GetSegmentId()]
	if sg == nil {
		return newError(wire.CodeInternal, fmt.Sprintf("append to %s: ack for unknown segment %016x", w.stream, ack.GetSegmentId()))
	}
	if len(sg.pending) == 0 || sg.pending[0].id != ack.GetBatchId() {
		if ack.GetBatchId() < w.nextBatchID && (len(sg.pending) == 0 || ack.GetBatchId() < sg.pending[0].id) {
			// The batch already failed here (its segment is dead),
			// or moved on (its segment was sealed).
			return nil
		}
		return newError(wire.CodeInternal, fmt.Sprintf("append to %s: ack for batch %d of segment %016x out of order", w.stream, ack.GetBatchId(), ack.GetSegmentId()))
	}
	b := sg.pending[0]
	if e := ack.GetError(); e != nil {
		err := fromAckError(e)
		if retryable(err.Code) {
			return err
		}
		if err.Code == wire.CodeSealed {
			// The segment was sealed, by a scale or with its stream,
			// before it stored this batch (a stored batch is answered
			// as a duplicate even after the seal), and so it stored
			// none of the later ones (event numbers are stored without
			// gaps). The resolver finds out which, and moves the events to
			// the successors or fails them.
			w.holdLocked(sg, err)
			return nil
		}
		// Sending it again cannot help. The batch may have been stored
		// after all (if an earlier session sent it), so its event numbers
		// cannot go to other events; the events after it cannot be
		// stored without them. The segment takes no more events from
		// this writer.
		sg.dead = err
		w.failSegmentLocked(sg, err)
		return nil
	}
	w.popLocked(sg)
	if sg.sent > 0 {
		sg.sent--
	}
	// Room for a batch held back by the in-flight cap.
	select {
	case w.wake <- struct{}{}:
	default:
	}
	w.outageStart = time.Time{}
	if ack.GetDuplicate() && b.sends <= 1 {
		// Never sent before, yet already stored: the writer id was used by
		// an earlier writer, whose events these numbers name.
		w.completeLocked(b, -1, newError(wire.CodeInvalidArgument, fmt.Sprintf(
			"write to %s: the server already holds events %d..%d of writer %q in segment %016x; a writer id must not be reused",
			w.stream, b.first, b.first+int64(len(b.offs))-1, w.opts.id, sg.id)))
		return nil
	}
	off := ack.GetOffset()
	if off < 0 && !ack.GetDuplicate() {
		return newError(wire.CodeInternal, fmt.Sprintf("append to %s: ack without offset for batch %d", w.stream, b.id))
	}
	w.completeLocked(b, max(off, -1), nil)
	return nil
}

func (w *Writer) popLocked(sg *wseg) {
	sg.pending[0] = nil
	sg.pending = sg.pending[1:]
}

// holdLocked makes sg move: its pending batches, which its server did not
// store, leave the send queue and wait in held, and the resolver is told.
func (w *Writer) holdLocked(sg *wseg, err error) {
	sg.moving = true
	sg.sealedBy = err
	sg.held = append(sg.held, sg.pending...)
	clear(sg.pending)
	sg.pending = sg.pending[:0]
	sg.sent = 0
	keep := w.sendq[:0]
	for _, b := range w.sendq {
		if b.seg != sg {
			keep = append(keep, b)
		}
	}
	clear(w.sendq[len(keep):])
	w.sendq = keep
	w.resolveq = append(w.resolveq, sg)
	select {
	case w.resolveWake <- struct{}{}:
	default:
	}
}

// resolve is the resolver: it looks up where the events of moving segments
// go, and moves them there (see resolveLocked). The Writer owns it (wg).
func (w *Writer) resolve(base context.Context) {
	defer w.wg.Done()
	for {
		select {
		case <-w.resolveWake:
		case <-w.stop:
			return
		case <-base.Done():
			return
		}
		for {
			w.mu.Lock()
			segs := w.resolveq
			w.resolveq = nil
			w.mu.Unlock()
			if len(segs) == 0 {
				break
			}
			// Each of segs was found sealed before this lookup started;
			// a scale records its epoch before sealing, so the answer
			// names the successors.
			info, err, gaveUp := w.currentStream(base)
			if errors.Is(err, errStopped) {
				return // Close fails what is held.
			}
			w.mu.Lock()
			if gaveUp {
				// The lookup kept failing for the retry timeout: the
				// writer gives up, as when appends keep failing.
				if w.broken == nil {
					w.broken = err
				}
				w.failAllLocked(w.broken)
			} else {
				for _, sg := range segs {
					w.resolveLocked(sg, info, err)
				}
			}
			w.mu.Unlock()
			select {
			case w.wake <- struct{}{}:
			default:
			}
		}
	}
}

// currentStream gets the stream's description, retrying transient errors
// with backoff for up to the retry timeout; then it returns the give-up
// error, and gaveUp set. It returns errStopped when the writer closes.
func (w *Writer) currentStream(base context.Context) (_ StreamInfo, _ error, gaveUp bool) {
	giveUpAt := time.Now().Add(w.opts.retryTimeout)
	var bo retryPause
	var last error
	for {
		ctx, cancel := context.WithDeadline(base, giveUpAt)
		info, err := w.client.GetStream(ctx, w.stream)
		cancel()
		if err == nil {
			return info, nil, false
		}
		if base.Err() != nil {
			return StreamInfo{}, errStopped, false
		}
		switch code := codeOf(err); {
		case code == wire.CodeDeadlineExceeded || code == wire.CodeCanceled:
			// The give-up time passed during the call; keep the
			// error from before.
		case retryable(code):
			last = err
		default:
			// The stream is gone (NOT_FOUND), or the lookup is
			// refused: the segment's events fail with it.
			return StreamInfo{}, err, false
		}
		if !time.Now().Before(giveUpAt) {
			return StreamInfo{}, w.gaveUpError(last), true
		}
		if err := bo.wait(base, w.stop); err != nil {
			return StreamInfo{}, errStopped, false
		}
	}
}

// resolveLocked settles moving segment sg with the stream's description
// (or the error that looking it up ended with). If the stream is gone or
// sealed, or sg is still current (its stream is being sealed), sg's events
// fail and so do later writes to its keys. Otherwise its pieces go to the
// current segments they overlap, and its held events, oldest first, move
// to the open batches of the segments their keys now route to: later
// writes of a key come after them. An event written without a key goes to
// those segments in turn.
func (w *Writer) resolveLocked(sg *wseg, info StreamInfo, lookupErr error) {
	if !sg.moving {
		return // failed meanwhile (the writer gave up or closed)
	}
	fail := lookupErr
	if fail == nil && info.Sealed {
		fail = sg.sealedBy
	}
	cur := slices.Clone(info.Current)
	slices.SortFunc(cur, func(a, b SegmentStatus) int { return cmp.Compare(a.KeyLow, b.KeyLow) })
	if fail == nil {
		for _, c := range cur {
			if c.ID == sg.id {
				fail = sg.sealedBy
			}
		}
	}
	// The pieces that replace sg's.
	var repl []piece
	if fail == nil {
		for _, p := range w.pieces {
			if p.seg != sg {
				continue
			}
			for _, c := range cur {
				lo, hi := max(p.low, c.KeyLow), min(p.high, c.KeyHigh)
				if lo < hi {
					repl = append(repl, piece{low: lo, high: hi, seg: w.segLocked(c.ID)})
				}
			}
		}
		if len(repl) == 0 {
			fail = newError(wire.CodeInternal, fmt.Sprintf("write to %s: segment %016x is sealed, and no current segment covers its keys", w.stream, sg.id))
		}
	}
	if fail != nil {
		sg.dead = fail
		w.failSegmentLocked(sg, fail)
		return
	}

	// The new routing table: sg's pieces replaced, neighbours of one
	// segment joined.
	pieces := make([]piece, 0, len(w.pieces)+len(repl))
	for _, p := range w.pieces {
		if p.seg != sg {
			pieces = append(pieces, p)
		}
	}
	pieces = append(pieces, repl...)
	slices.SortFunc(pieces, func(a, b piece) int { return cmp.Compare(a.low, b.low) })
	joined := pieces[:1]
	for _, p := range pieces[1:] {
		if last := &joined[len(joined)-1]; last.seg == p.seg && last.high == p.low {
			last.high = p.high
			continue
		}
		joined = append(joined, p)
	}
	w.pieces = joined

	// Move the held events, in order.
	var keyless []*wseg
	for _, p := range repl {
		if !slices.Contains(keyless, p.seg) {
			keyless = append(keyless, p.seg)
		}
	}
	rr := 0
	held := sg.held
	if sg.open != nil {
		held = append(held, sg.open)
	}
	sg.held, sg.open, sg.moving = nil, nil, false
	for _, b := range held {
		w.moveLocked(b, func(point float64) *wseg {
			if point == noKey {
				rr++
				return keyless[(rr-1)%len(keyless)]
			}
			return w.route(point)
		})
	}
	// sg is done with: only byID keeps it, for late acks.
	w.segs = slices.DeleteFunc(w.segs, func(s *wseg) bool { return s == sg })
}

// moveLocked appends b's events, in order, to the open batches of the
// segments to returns for their routing points, and records in b where
// each went. b completes when all of them are done; its bytes count in the
// new batches instead.
func (w *Writer) moveLocked(b *batch, to func(point float64) *wseg) {
	size := b.size
	if size == 0 {
		size = len(b.buf) // never sealed
	}
	b.moved = make([]Ack, len(b.offs))
	for i, start := range b.offs {
		end := uint32(len(b.buf))
		if i+1 < len(b.offs) {
			end = b.offs[i+1]
		}
		frame := b.buf[start:end]
		point := b.points[i]
		sg := to(point)
		if err := sg.dead; err != nil {
			b.moved[i] = failedAck(err)
			if w.unreported == nil {
				w.unreported = err
			}
			continue
		}
		t, _ := w.slotLocked(sg, len(frame))
		idx := len(t.offs)
		t.offs = append(t.offs, uint32(len(t.buf)))
		t.points = append(t.points, point)
		t.buf = append(t.buf, frame...)
		w.inflight += int64(len(frame))
		if n := len(t.deps); n == 0 || t.deps[n-1] != b {
			t.deps = append(t.deps, b)
			b.waiting++
		}
		b.moved[i] = Ack{b: t, idx: idx}
		w.filledLocked(sg, t)
	}
	w.inflight -= int64(size)
	if b.sends == 0 && b.buf != nil && len(w.free) < maxFreeBufs && cap(b.buf) <= 2*w.opts.maxBatch {
		// Never handed to gRPC: the buffer can be reused.
		w.free = append(w.free, b.buf[:0])
	}
	b.buf = nil
	if w.space != nil {
		// Events that failed here released their bytes.
		close(w.space)
		w.space = nil
	}
	if b.waiting == 0 {
		w.finishMovedLocked(b)
	}
}
