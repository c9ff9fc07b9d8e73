// This file holds the Writer's gRPC append session: connect (the open and the
// server's answer), the supervisor run that owns each session and
// reconnects with backoff until the writer stops or gives up, the sender
// that seals ready batches and sends them within the in-flight cap, and the
// receiver that applies acks (ackLocked). After a reconnect every
// unacknowledged batch is sent again, unchanged and in order. The batches
// themselves are writer_batch.go's; an ack saying SEALED hands the segment
// to the resolver in writer_scale.go.

package braid

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/wire"
)

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
	// (from the server's answer to the open).
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
// waits, within ctx, for the server's answer to the open.
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
		err = stream.Send(&braidv1.AppendRequest{Kind: &braidv1.AppendRequest_Open{Open: &braidv1.AppendOpen{
			Writer: sessionHandle, Scope: w.scope, Stream: w.name, WriterId: w.opts.id,
			Positions: w.opts.streamFirst > 0,
		}}})
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		// After io.EOF from Send, Recv returns the real status.
		resp, err := stream.Recv()
		if err != nil {
			return nil, protocol1Server(err)
		}
		sa := resp.GetOpened()
		if sa == nil || sa.GetWriter() != sessionHandle {
			return nil, newError(wire.CodeInternal, "append to "+w.stream+": the server did not answer the open")
		}
		if e := sa.GetError(); e != nil {
			return nil, fromAckError(e)
		}
		s.maxInflight = int(sa.GetMaxInflightBatches())
		if s.maxInflight <= 0 {
			s.maxInflight = defaultMaxInflightBatches
		}
		w.mu.Lock()
		w.maxInflight = s.maxInflight
		if w.opts.streamFirst > 0 && w.positions == nil {
			// What the stream held when this writer began; later
			// sessions' answers include its own events.
			w.positions = []position{}
			for _, p := range sa.GetPositions() {
				r := p.GetSegment()
				w.positions = append(w.positions, position{low: r.GetKeyLow(), high: r.GetKeyHigh(), last: p.GetLastEventNumber()})
				w.posHigh = max(w.posHigh, p.GetLastEventNumber())
			}
		}
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

// sessionHandle is the handle of a writer in its append session: each
// Writer has a session of its own.
const sessionHandle = 1

// protocol1Server turns the answer of a server of append protocol 1 to an
// AppendOpen (which it reads as a message with no setup) into an error that
// says so; other errors it returns unchanged.
func protocol1Server(err error) error {
	if st, ok := status.FromError(err); ok && st.Code() == codes.InvalidArgument && strings.Contains(st.Message(), "must be a setup") {
		return newError(wire.CodeProtocolVersion, "the server speaks append protocol 1 only; this client speaks append protocol 2: upgrade the server")
	}
	return err
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

// giveUp fails everything pending with err, and every later write too.
func (w *Writer) giveUp(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.broken == nil {
		w.broken = err
	}
	w.failAllLocked(w.broken)
}

// maxBatchesBytes bounds the events of one AppendBatches message, well
// below the 64 MiB message limit; a larger batch goes alone.
const maxBatchesBytes = 16 << 20

// sendItem is what the sender needs of a batch, copied under the lock.
type sendItem struct {
	id, seg     uint64
	first, last int64
	count       int
	buf         []byte
}

// send is the sender: it seals ready batches and sends them on s until s
// fails or the writer stops. With no linger, batches are sealed whenever
// the sender comes back for more, so they hold whatever was written while
// it was busy.
func (w *Writer) send(s *session) error {
	msg := &braidv1.AppendBatches{}
	req := &braidv1.AppendRequest{Kind: &braidv1.AppendRequest_Batches{Batches: msg}}
	var abs []braidv1.AppendBatch
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
			out = append(out, sendItem{id: b.id, seg: b.seg.id, first: b.first, last: b.last, count: len(b.offs), buf: b.buf})
		}
		clear(w.sendq[len(keep):])
		w.sendq = keep
		w.mu.Unlock()

		for start := 0; start < len(out); {
			// As many batches per message as fit in maxBatchesBytes
			// (at least one).
			end, size := start, 0
			for end < len(out) && (end == start || size+len(out[end].buf) <= maxBatchesBytes) {
				size += len(out[end].buf) + 64
				end++
			}
			if len(abs) < end-start {
				abs = make([]braidv1.AppendBatch, end-start)
			}
			msg.Batches = msg.Batches[:0]
			for i, it := range out[start:end] {
				ab := &abs[i]
				ab.Writer, ab.BatchId, ab.SegmentId, ab.FirstEventNumber, ab.LastEventNumber, ab.EventCount, ab.Events = sessionHandle, it.id, it.seg, it.first, it.last, uint32(it.count), it.buf
				msg.Batches = append(msg.Batches, ab)
			}
			err := s.stream.Send(req)
			for i := range abs {
				abs[i].Events = nil
			}
			clear(msg.Batches)
			if err != nil {
				clear(out)
				if errors.Is(err, io.EOF) {
					// The stream ended; the receiver gets why.
					<-s.done
					return s.err
				}
				return fromStatus("append to "+w.stream, err)
			}
			start = end
		}
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
		acks := resp.GetAcks()
		if acks == nil {
			s.fail(newError(wire.CodeInternal, "append to "+w.stream+": unexpected message from the server"))
			return
		}
		w.mu.Lock()
		for _, ack := range acks.GetAcks() {
			if err = w.ackLocked(ack); err != nil {
				break
			}
		}
		w.mu.Unlock()
		select {
		case w.answered <- struct{}{}:
		default:
		}
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
	if ack.GetDuplicate() && b.sends <= 1 && b.nums != nil {
		// Numbers across the stream: an event found stored from an
		// earlier writer was answered at Write, so a batch sent once is
		// a duplicate only if the segment holds higher numbers of this
		// id, from another writer using it at the same time.
		err := newError(wire.CodeEventNumberGap, fmt.Sprintf(
			"write to %s: segment %016x already holds numbers past events %d..%d of writer %q: two writers use the id at once",
			w.stream, sg.id, b.first, b.last, w.opts.id))
		sg.dead = err
		w.failSegmentLocked(sg, err)
		return nil
	}
	if ack.GetDuplicate() && b.sends <= 1 && b.nums == nil {
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
	b.duplicate = ack.GetDuplicate()
	w.completeLocked(b, max(off, -1), nil)
	return nil
}

func (w *Writer) popLocked(sg *wseg) {
	sg.pending[0] = nil
	sg.pending = sg.pending[1:]
}
