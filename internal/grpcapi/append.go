package grpcapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/internal/controller"
	"github.com/braidstream/braid/internal/errclass"
	"github.com/braidstream/braid/internal/storage/segstore"
)

// AppendProtocol is the version of the append protocol this server speaks
// (see the Append rpc in api/braid/v1/braid.proto).
const AppendProtocol = 2

// MaxInflightBatches is an append session's window: batches per writer and
// segment received and not yet acknowledged (announced in AppendOpened). It
// is the store's history of recent appends per writer and segment, so that
// every batch a reconnecting writer resends is still known.
const MaxInflightBatches = segstore.HistorySize

// MaxSessionWriters is how many writers one append session may have open.
const MaxSessionWriters = 1024

// appendHeld is what a cut append session may leave in the transport: its
// stream's receive window of unread batches (the server's
// grpc.InitialWindowSize), and acks the client did not read.
const appendHeld = 4 << 20

// LimitInflightBatches is the limits.Hits name of the window: counted when
// a session sends more than it and stops being read for a while.
const LimitInflightBatches = "max-inflight-batches"

// errProtocol1 answers a client of append protocol 1.
var errProtocol1 = fmt.Errorf("%w: the client speaks append protocol 1 (AppendSetup, then one AppendBatch per message); this server speaks append protocol %d (AppendOpen, AppendBatches, AppendAcks: see the Append rpc in braid.proto). Upgrade the client",
	errclass.ErrProtocolVersion, AppendProtocol)

// windowKey is what the window counts batches by: a writer's segment, or,
// for batches that name no open writer or no segment of its stream, one
// shared count.
type windowKey struct {
	writer  uint32
	segment uint64
	unknown bool
}

// ackQueue hands answers from store callbacks (which must not block) to the
// one goroutine that sends on the stream, and keeps the session's window.
//
// The window: every batch received counts against its writer's segment
// until its ack has been sent, and the receiver reads no further batch for
// a segment that has MaxInflightBatches counted (back-pressure). The server
// announces that number (AppendOpened.max_inflight_batches), and a client
// that keeps to it never waits here: it counts a batch until it has
// received the ack, which is after the server sent it. A client that sends
// more, or never reads its acks, stops being read, so that what the session
// holds stays bounded (at most the window per segment of each open writer,
// and the window for batches naming nothing open); one that never reads is
// then cut by the write deadline.
type ackQueue struct {
	mu         sync.Mutex
	out        []queued
	unanswered map[windowKey]int // batches received whose ack is not sent
	total      int               // sum of the above
	closed     bool              // the receiver is done: no more batches
	signal     chan struct{}     // to the sender: answers queued, or closed
	room       chan struct{}     // to the receiver: an ack was sent
}

// queued is one answer: an ack (of a batch counted under key), or an
// AppendOpened.
type queued struct {
	ack    *braidv1.AppendAck
	opened *braidv1.AppendOpened
	key    windowKey
}

func newAckQueue() *ackQueue {
	return &ackQueue{unanswered: map[windowKey]int{}, signal: make(chan struct{}, 1), room: make(chan struct{}, 1)}
}

func notify(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// admit counts a received batch against the window, first waiting (until
// ctx ends) while its key has window batches unanswered. It reports
// whether it had to wait.
func (q *ackQueue) admit(ctx context.Context, key windowKey, window int) (waited bool, err error) {
	q.mu.Lock()
	for q.unanswered[key] >= window {
		q.mu.Unlock()
		waited = true
		select {
		case <-q.room:
		case <-ctx.Done():
			return waited, ctx.Err()
		}
		q.mu.Lock()
	}
	q.unanswered[key]++
	q.total++
	q.mu.Unlock()
	return waited, nil
}

// push queues the ack of a batch admitted under key.
func (q *ackQueue) push(a *braidv1.AppendAck, key windowKey) {
	q.mu.Lock()
	q.out = append(q.out, queued{ack: a, key: key})
	q.mu.Unlock()
	notify(q.signal)
}

// pushOpened queues the answer to an AppendOpen.
func (q *ackQueue) pushOpened(o *braidv1.AppendOpened) {
	q.mu.Lock()
	q.out = append(q.out, queued{opened: o})
	q.mu.Unlock()
	notify(q.signal)
}

// sent uncounts the batches of acks that were sent.
func (q *ackQueue) sent(acks []queued) {
	q.mu.Lock()
	for _, a := range acks {
		if a.ack == nil {
			continue
		}
		if n := q.unanswered[a.key]; n > 1 {
			q.unanswered[a.key] = n - 1
		} else {
			delete(q.unanswered, a.key)
		}
		q.total--
	}
	q.mu.Unlock()
	notify(q.room)
}

// close says that no more batches will be admitted.
func (q *ackQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	notify(q.signal)
}

// take returns the queued answers, and whether the session is done:
// closed, with every admitted batch answered.
func (q *ackQueue) take(buf []queued) ([]queued, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	buf = append(buf[:0], q.out...)
	clear(q.out)
	q.out = q.out[:0]
	acks := 0
	for _, a := range buf {
		if a.ack != nil {
			acks++
		}
	}
	return buf, q.closed && q.total == acks
}

// sessionWriter is one writer open on an append session.
type sessionWriter struct {
	handle uint32
	rec    *controller.StreamRecord
	id     string
	names  map[uint64]sessionSegment // by id: the segments it may write
}

// sessionSegment is a segment a session writer may write.
type sessionSegment struct {
	name      string // in the store
	low, high float64
}

// Append implements braidv1.DataServiceServer: an append session of
// protocol 2.
//
// Three goroutines serve a session: this handler, a receiver that reads
// messages and hands batches to the store, and a sender that sends the
// answers, each run of acks ready together as one AppendAcks. The handler
// waits for the receiver, then for the sender to send every ack, and ends
// the session early if one Send stays blocked past the write deadline (see
// slow.go): then it returns without them, and grpc's ending the stream
// wakes whichever is blocked.
func (s *DataService) Append(stream braidv1.DataService_AppendServer) error {
	ctx, cancel := context.WithCancel(stream.Context())
	defer cancel()
	cut := newCutoff(s.writeDeadline, cancel)
	defer cut.stop()
	q := newAckQueue()
	sendDone, recvDone := make(chan error, 1), make(chan error, 1)
	s.senders.Add(2)
	go func() {
		defer s.senders.Done()
		sendDone <- sendAnswers(stream, q, cut)
	}()
	go func() {
		defer s.senders.Done()
		defer q.close()
		recvDone <- s.receive(ctx, stream, q)
	}()
	var recvErr, sendErr error
	select {
	case recvErr = <-recvDone:
	case <-cut.expired:
		return s.cutSlow(stream.Context(), "an append ack", appendHeld)
	}
	// Every admitted batch is answered before the session ends.
	select {
	case sendErr = <-sendDone:
	case <-cut.expired:
		return s.cutSlow(stream.Context(), "an append ack", appendHeld)
	}
	if sendErr != nil && recvErr == nil {
		return sendErr
	}
	return recvErr
}

// receive reads the session's messages until the client half-closes (nil)
// or the stream fails.
func (s *DataService) receive(ctx context.Context, stream braidv1.DataService_AppendServer, q *ackQueue) error {
	writers := map[uint32]*sessionWriter{}
	for {
		req, err := stream.Recv()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		switch k := req.GetKind().(type) {
		case *braidv1.AppendRequest_Open:
			if err := s.open(ctx, k.Open, writers, q); err != nil {
				return toStatus(err)
			}
		case *braidv1.AppendRequest_Batches:
			for _, b := range k.Batches.GetBatches() {
				if err := s.appendBatch(ctx, writers[b.GetWriter()], b, q); err != nil {
					return err
				}
			}
		case *braidv1.AppendRequest_Close:
			delete(writers, k.Close.GetWriter())
		case *braidv1.AppendRequest_Setup, *braidv1.AppendRequest_Batch:
			s.hits.Hit("append-protocol-1")
			return toStatus(errProtocol1)
		default:
			return toStatus(invalidArg("an append session takes AppendOpen, AppendBatches and AppendClose messages; got an empty one"))
		}
	}
}

// open opens a writer on the session and queues the answer. It returns an
// error only for a message that ends the session.
func (s *DataService) open(ctx context.Context, o *braidv1.AppendOpen, writers map[uint32]*sessionWriter, q *ackQueue) error {
	h := o.GetWriter()
	if _, dup := writers[h]; dup {
		return invalidArg("writer handle %d is already open in this session (close it first)", h)
	}
	if n := len(o.GetWriterId()); n > 256 {
		return invalidArg("writer id must be at most 256 bytes, got %d", n)
	}
	answer := &braidv1.AppendOpened{Writer: h, MaxInflightBatches: MaxInflightBatches}
	if len(writers) >= MaxSessionWriters {
		s.hits.Hit("max-session-writers")
		answer.Error = toError(invalidArg("an append session has at most %d writers open; close one or open another session", MaxSessionWriters))
		q.pushOpened(answer)
		return nil
	}
	rec, err := s.ctrl.GetStream(ctx, o.GetScope(), o.GetStream())
	if err == nil && rec.State == controller.StateSealed {
		err = fmt.Errorf("%w: %s", controller.ErrStreamSealed, rec.Qualified())
	}
	if err != nil {
		answer.Error = toError(err)
		q.pushOpened(answer)
		return nil
	}
	if o.GetPositions() {
		// Every segment of every epoch: a writer that numbers its
		// events across the stream looks at all that ever owned a key.
		for _, seg := range rec.AllSegments() {
			last, err := s.segs.WriterLast(ctx, controller.SegmentName(rec.Scope, rec.Name, seg.ID), o.GetWriterId())
			if errors.Is(err, segstore.ErrNotFound) || (err == nil && last == 0) {
				continue // deleted by retention, or nothing from the writer
			}
			if err != nil {
				answer.Error = toError(err)
				q.pushOpened(answer)
				return nil
			}
			answer.Positions = append(answer.Positions, &braidv1.WriterPosition{Segment: segmentRange(seg), LastEventNumber: last})
		}
	}
	w := &sessionWriter{handle: h, rec: rec, id: o.GetWriterId(), names: map[uint64]sessionSegment{}}
	for _, seg := range rec.Current().Segments {
		w.names[seg.ID] = sessionSegment{controller.SegmentName(rec.Scope, rec.Name, seg.ID), seg.KeyLow, seg.KeyHigh}
		answer.Segments = append(answer.Segments, segmentRange(seg))
	}
	writers[h] = w
	q.pushOpened(answer)
	return nil
}

// appendBatch hands one batch of writer w (nil: its handle is not open) to
// the store, after the window admits it. It returns an error only when the
// session ends (its context did).
func (s *DataService) appendBatch(ctx context.Context, w *sessionWriter, b *braidv1.AppendBatch, q *ackQueue) error {
	batchID, segID, handle := b.GetBatchId(), b.GetSegmentId(), b.GetWriter()
	var seg sessionSegment
	var refused error
	if w == nil {
		refused = invalidArg("writer handle %d is not open in this session (AppendOpen it first)", handle)
	} else if seg = w.segment(ctx, s.ctrl, segID); seg.name == "" {
		refused = invalidArg("segment %016x is not a segment of %s", segID, w.rec.Qualified())
	} else {
		refused = checkKeyPoints(b, segID, seg)
	}
	key := windowKey{writer: handle, segment: segID}
	if refused != nil {
		key = windowKey{unknown: true}
	}
	waited, err := q.admit(ctx, key, MaxInflightBatches)
	if waited {
		s.hits.Hit(LimitInflightBatches)
	}
	if err != nil {
		return err
	}
	if refused != nil {
		q.push(&braidv1.AppendAck{Writer: handle, BatchId: batchID, SegmentId: segID, Offset: -1, Error: toError(refused)}, key)
		return nil
	}
	events := int(b.GetEventCount())
	rec := w.rec
	s.segs.Append(ctx, seg.name, segstore.AppendRequest{
		Writer: w.id, FirstEvent: b.GetFirstEventNumber(), LastEvent: b.GetLastEventNumber(),
		Events: events, Data: b.GetEvents(),
	}, func(r segstore.Result, err error) {
		a := &braidv1.AppendAck{Writer: handle, BatchId: batchID, SegmentId: segID, Offset: r.Offset, Length: r.Length, Duplicate: r.Duplicate}
		if errors.Is(err, segstore.ErrTooLarge) {
			s.hits.Hit("max-event-size")
		}
		if errors.Is(err, segstore.ErrNotFound) {
			err = fmt.Errorf("%w (the stream %s this writer was opened on was deleted; a stream created again under its name is another stream: open the writer again)", err, rec.Qualified())
		}
		if err != nil {
			a.Offset, a.Error = -1, toError(err)
		} else if s.load != nil && !r.Duplicate {
			s.load.Record(rec.Scope, rec.Name, segID, events, int(r.Length))
		}
		q.push(a, key)
	})
	return nil
}

// noKeyPoint is AppendBatch.key_points' entry for an event without a key.
const noKeyPoint = 1 << 53

// checkKeyPoints refuses a batch whose events' key points (if it carries
// them) are not all in its segment's key range: the client routes with
// another hash than braid's, which would split keys over segments.
func checkKeyPoints(b *braidv1.AppendBatch, id uint64, seg sessionSegment) error {
	points := b.GetKeyPoints()
	if len(points) == 0 {
		return nil
	}
	if len(points) != int(b.GetEventCount()) {
		return invalidArg("batch %d has %d key points for %d events: send one per event, or none", b.GetBatchId(), len(points), b.GetEventCount())
	}
	for i, p := range points {
		if p == noKeyPoint {
			continue
		}
		if p > noKeyPoint {
			return invalidArg("batch %d, event %d: key point %d is over 2^53 (send XXH64(key) >> 11, or 2^53 for no key)", b.GetBatchId(), i, p)
		}
		point := float64(p) / noKeyPoint
		if point < seg.low || point >= seg.high {
			return invalidArg("batch %d, event %d: its key's point %v is outside segment %016x's key range [%v, %v): the client routes with another hash than XXH64 (seed 0, the key's UTF-8 bytes, top 53 bits), or by an old epoch",
				b.GetBatchId(), i, point, id, seg.low, seg.high)
		}
	}
	return nil
}

// segment returns the writer's segment id (its name "" if it is not a
// segment of the writer's stream). The stream may have scaled
// since the open: its new segments are writable too, and a batch for a
// sealed predecessor goes to the store, which answers a retry of a stored
// batch as a duplicate and anything else with SEALED.
func (w *sessionWriter) segment(ctx context.Context, ctrl *controller.Controller, id uint64) sessionSegment {
	if seg, ok := w.names[id]; ok {
		return seg
	}
	cur, err := ctrl.GetStream(ctx, w.rec.Scope, w.rec.Name)
	if err != nil {
		return sessionSegment{}
	}
	found, ok := cur.FindSegment(id)
	if !ok {
		return sessionSegment{}
	}
	seg := sessionSegment{controller.SegmentName(w.rec.Scope, w.rec.Name, id), found.KeyLow, found.KeyHigh}
	w.names[id] = seg
	return seg
}

// sendAnswers sends the queued answers until the session is done, each
// Send under the write deadline: the acks ready together go in one
// AppendAcks (up to maxAcksPerMessage), an AppendOpened in its own message,
// in the order queued. After a failed Send it sends no more but still waits
// for the session to be done.
func sendAnswers(stream braidv1.DataService_AppendServer, q *ackQueue, cut *cutoff) error {
	var failed error
	var out []queued
	acks := &braidv1.AppendAcks{}
	send := func(resp *braidv1.AppendResponse) {
		if failed == nil {
			cut.begin()
			failed = stream.Send(resp)
			cut.end()
		}
	}
	for {
		<-q.signal
		var done bool
		out, done = q.take(out)
		for i := 0; i < len(out); {
			if o := out[i].opened; o != nil {
				send(&braidv1.AppendResponse{Kind: &braidv1.AppendResponse_Opened{Opened: o}})
				i++
				continue
			}
			j := i
			acks.Acks = acks.Acks[:0]
			for j < len(out) && out[j].ack != nil && j-i < maxAcksPerMessage {
				acks.Acks = append(acks.Acks, out[j].ack)
				j++
			}
			send(&braidv1.AppendResponse{Kind: &braidv1.AppendResponse_Acks{Acks: acks}})
			clear(acks.Acks)
			q.sent(out[i:j])
			i = j
		}
		clear(out)
		if done {
			return failed
		}
	}
}

// maxAcksPerMessage bounds an AppendAcks (an ack is at most about 100
// bytes with an error's message, so a message stays far below 4 MiB).
const maxAcksPerMessage = 4096
