// This file holds the Writer's batching per segment: wseg (one segment's
// open, pending and held batches) and batch, how Write's events fill an
// open batch, what makes it full or ready to seal (size, linger, the
// per-segment in-flight cap), the byte accounting behind
// WithMaxInflightBytes, buffer reuse, and how batches complete or fail.
// writer.go fills batches; writer_session.go sends them and completes them
// from acks; writer_scale.go moves them when their segment is sealed.

package braid

import (
	"fmt"
	"time"

	"github.com/braidstream/braid/wire"
)

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
	// acked is the end of the writer's acknowledged events in the
	// segment (NoteTime's position).
	acked int64
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
	// nums holds each event's number (WithStreamNumbers only); last is
	// the last one's once sealed.
	nums   []int64
	last   int64
	size   int // len(buf) when sealed (or failed while open)
	opened time.Time
	sends  int // sessions it was handed to for sending (mu)
	done   chan struct{}

	completed bool  // (mu)
	offset    int64 // where the batch starts in the segment, -1 if unknown
	err       error
	duplicate bool   // the server held the events already
	stream    string // for a batch with no segment: an event found stored at Write

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
		w.freeBytes -= cap(b.buf)
	} else {
		// Size a new buffer for what the segment's last batch held, so
		// that under load it does not grow (and copy) its way up.
		c := min(max(sg.lastSize+sg.lastSize/4, firstBufCap), w.opts.maxBatch)
		b.buf = make([]byte, 0, max(c, size))
	}
	b.offs = make([]uint32, 0, max(sg.lastCount, 8))
	b.points = make([]float64, 0, cap(b.offs))
	if w.opts.streamFirst > 0 {
		b.nums = make([]int64, 0, cap(b.offs))
	}
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
	if b.nums != nil {
		b.first, b.last = b.nums[0], b.nums[len(b.nums)-1]
	} else {
		b.first = sg.nextEvent
		sg.nextEvent += int64(len(b.offs))
	}
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
	if err == nil && offset >= 0 && b.seg != nil && offset+int64(b.size) > b.seg.acked {
		b.seg.acked = offset + int64(b.size)
	}
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
		w.recycleLocked(b.buf)
		b.buf = nil
	}
	close(b.done)
	w.depsDoneLocked(b)
	if w.space != nil {
		close(w.space)
		w.space = nil
	}
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
	w.thawLocked()
}

// thawLocked ends a freeze (WithStreamNumbers): Write goes on.
func (w *Writer) thawLocked() {
	w.frozen = false
	if w.thaw != nil {
		close(w.thaw)
		w.thaw = nil
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

// recycleLocked keeps buf for a later batch, unless the buffers kept
// already hold maxFreeBytes.
func (w *Writer) recycleLocked(buf []byte) {
	if c := cap(buf); c <= 2*w.opts.maxBatch && w.freeBytes+c <= maxFreeBytes {
		w.free = append(w.free, buf[:0])
		w.freeBytes += c
	}
}

// lastForLocked is the last event number the stream held from the writer's
// id, when it opened, on the segments that ever owned point
// (WithStreamNumbers). A key's events are stored in order within a segment
// and move forward to successors in order, so an event numbered at or
// below it was stored by an earlier writer.
func (w *Writer) lastForLocked(point float64) int64 {
	var last int64
	for _, p := range w.positions {
		if point >= p.low && point < p.high {
			last = max(last, p.last)
		}
	}
	return last
}

// checkFirstNumber refuses a WithStreamNumbers start that skips ahead of
// what the stream holds from the writer's id: every number at or below the
// highest one stored was sent before, and is either stored or was lost with
// a failed attempt that this writer sends again. A start past high+1 would
// leave numbers never sent, which a later resume would take for stored
// events.
func (w *Writer) checkFirstNumber() error {
	first := w.opts.streamFirst
	if first == 0 || first <= w.posHigh+1 {
		return nil
	}
	if w.posHigh == 0 {
		return newError(wire.CodeEventNumberGap, fmt.Sprintf("new writer for %s: first event number %d for writer %q, which the stream holds nothing from: a writer's first event is number 1", w.stream, first, w.opts.id))
	}
	return newError(wire.CodeEventNumberGap, fmt.Sprintf("new writer for %s: first event number %d for writer %q skips ahead: the highest number the stream holds from this writer is %d, so it resumes at %d (or lower, to retry)", w.stream, first, w.opts.id, w.posHigh, w.posHigh+1))
}
