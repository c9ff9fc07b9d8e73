package grpcapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/internal/controller"
	"github.com/braidstream/braid/internal/limits"
	"github.com/braidstream/braid/internal/storage/segstore"
	"github.com/braidstream/braid/wire"
)

// Segments is what the data service needs of the segment store.
type Segments interface {
	Append(ctx context.Context, name string, req segstore.AppendRequest, done func(segstore.Result, error))
	Read(ctx context.Context, name string, offset int64, maxBytes int, wait bool) (segstore.ReadResult, error)
	ReadEvent(ctx context.Context, name string, offset int64, length int) ([]byte, error)
	Info(ctx context.Context, name string) (segstore.Info, error)
}

// Read sizes. A response carries at most maxReadBytes (a request's
// max_bytes above it is served by several responses): what one slow
// consumer leaves queued in the transport is at most one response.
const (
	defaultReadBytes = 1 << 20
	maxReadBytes     = 1 << 20
)

// MaxInflightBatches is an append session's window: batches per segment
// received and not yet acknowledged (announced in AppendSetupAck). It is
// the store's history of recent appends per writer and segment, so that
// every batch a reconnecting writer resends is still known.
const MaxInflightBatches = segstore.HistorySize

// appendHeld is what a cut append session may leave in the transport: its
// stream's receive window of unread batches (the server's
// grpc.InitialWindowSize), and acks the client did not read.
const appendHeld = 4 << 20

// LimitInflightBatches is the limits.Hits name of the window: counted when
// a session sends more than it and stops being read for a while.
const LimitInflightBatches = "max-inflight-batches"

// DataService implements braidv1.DataServiceServer.
type DataService struct {
	braidv1.UnimplementedDataServiceServer
	ctrl          *controller.Controller
	segs          Segments
	load          LoadRecorder
	hits          *limits.Hits
	writeDeadline time.Duration
	slow          SlowConsumerFunc
	// senders joins the goroutines that receive and send for calls; a
	// call cut as a slow consumer returns before them (see slow.go).
	senders sync.WaitGroup
}

// DataOptions tunes the data service.
type DataOptions struct {
	// WriteDeadline is how long one Send may stay blocked on a client that
	// does not read before its call is ended as a slow consumer (0:
	// DefaultWriteDeadline; negative: never).
	WriteDeadline time.Duration
	// SlowConsumer, if set, is told of every call so ended.
	SlowConsumer SlowConsumerFunc
}

// LoadRecorder is told of every stored batch (for auto-scaling).
type LoadRecorder interface {
	Record(scope, stream string, segment uint64, events, bytes int)
}

var _ braidv1.DataServiceServer = (*DataService)(nil)

// NewDataService returns the data service; load and hits may be nil.
// Stop the gRPC server, then call Wait.
func NewDataService(ctrl *controller.Controller, segs Segments, load LoadRecorder, hits *limits.Hits, opts DataOptions) *DataService {
	d := opts.WriteDeadline
	switch {
	case d == 0:
		d = DefaultWriteDeadline
	case d < 0:
		d = 0
	}
	return &DataService{ctrl: ctrl, segs: segs, load: load, hits: hits, writeDeadline: d, slow: opts.SlowConsumer}
}

// Wait waits for the goroutines of calls that have ended; once the gRPC
// server has stopped, they end promptly.
func (s *DataService) Wait() { s.senders.Wait() }

// ackQueue hands acks from store callbacks (which must not block) to the
// one goroutine that sends on the stream, and keeps the session's window.
//
// The window: every batch received counts against its segment until its ack
// has been sent, and the receiver reads no further batch for a segment
// that has maxInflightBatches counted (back-pressure). The server announces
// that number (AppendSetupAck.max_inflight_batches), and a client that keeps
// to it per segment never waits here: it counts a batch until it has
// received the ack, which is after the server sent it. A client that sends
// more, or never reads its acks, stops being read, so that what the session
// holds stays bounded (at most the window per segment of the stream, and
// the window for batches naming no segment of it); one that never reads is
// then cut by the write deadline.
type ackQueue struct {
	mu         sync.Mutex
	acks       []queuedAck
	unanswered map[uint64]int // per segment: batches received whose ack is not sent
	unknown    int            // the same for batches naming no segment of the stream
	total      int            // sum of the above
	closed     bool           // the receiver is done: no more batches
	signal     chan struct{}  // to the sender: acks queued, or closed
	room       chan struct{}  // to the receiver: an ack was sent
}

type queuedAck struct {
	ack     *braidv1.AppendAck
	unknown bool // counted in unknown, not unanswered
}

func newAckQueue() *ackQueue {
	return &ackQueue{unanswered: map[uint64]int{}, signal: make(chan struct{}, 1), room: make(chan struct{}, 1)}
}

func notify(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// admit counts a received batch for seg against the window, first waiting
// (until ctx ends) while the segment has window batches unanswered. It
// reports whether it had to wait.
func (q *ackQueue) admit(ctx context.Context, seg uint64, unknown bool, window int) (waited bool, err error) {
	q.mu.Lock()
	for {
		n := q.unanswered[seg]
		if unknown {
			n = q.unknown
		}
		if n < window {
			break
		}
		q.mu.Unlock()
		waited = true
		select {
		case <-q.room:
		case <-ctx.Done():
			return waited, ctx.Err()
		}
		q.mu.Lock()
	}
	if unknown {
		q.unknown++
	} else {
		q.unanswered[seg]++
	}
	q.total++
	q.mu.Unlock()
	return waited, nil
}

// push queues the ack of an admitted batch.
func (q *ackQueue) push(a *braidv1.AppendAck, unknown bool) {
	q.mu.Lock()
	q.acks = append(q.acks, queuedAck{ack: a, unknown: unknown})
	q.mu.Unlock()
	notify(q.signal)
}

// sent uncounts the batch of an ack that was sent.
func (q *ackQueue) sent(a queuedAck) {
	q.mu.Lock()
	if a.unknown {
		q.unknown--
	} else if n := q.unanswered[a.ack.GetSegmentId()]; n > 1 {
		q.unanswered[a.ack.GetSegmentId()] = n - 1
	} else {
		delete(q.unanswered, a.ack.GetSegmentId())
	}
	q.total--
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

// take returns the queued acks, and whether the session is done: closed,
// with every admitted batch answered and sent.
func (q *ackQueue) take(buf []queuedAck) ([]queuedAck, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	buf = append(buf[:0], q.acks...)
	clear(q.acks)
	q.acks = q.acks[:0]
	return buf, q.closed && q.total == len(buf)
}

// Append implements braidv1.DataServiceServer.
//
// Three goroutines serve a session: this handler, a receiver that reads
// batches and hands them to the store, and a sender that sends the acks.
// The handler waits for the receiver, then for the sender to send every
// ack, and ends the session early if one ack Send stays blocked past the
// write deadline (see slow.go): then it returns without them, and grpc's
// ending the stream wakes whichever is blocked.
func (s *DataService) Append(stream braidv1.DataService_AppendServer) error {
	ctx := stream.Context()
	first, err := stream.Recv()
	if err != nil {
		return err
	}
	setup := first.GetSetup()
	if setup == nil {
		return toStatus(invalidArg("the first message of an append session must be a setup"))
	}
	if n := len(setup.GetWriterId()); n < 1 || n > 256 {
		return toStatus(invalidArg("writer id must be 1 to 256 bytes, got %d", n))
	}
	rec, err := s.ctrl.GetStream(ctx, setup.GetScope(), setup.GetStream())
	if err != nil {
		return toStatus(err)
	}
	if rec.State == controller.StateSealed {
		return toStatus(fmt.Errorf("%w: %s", controller.ErrStreamSealed, rec.Qualified()))
	}
	names := map[uint64]string{}
	ack := &braidv1.AppendSetupAck{MaxInflightBatches: MaxInflightBatches}
	for _, seg := range rec.Current().Segments {
		names[seg.ID] = controller.SegmentName(rec.Scope, rec.Name, seg.ID)
		ack.Segments = append(ack.Segments, segmentRange(seg))
	}
	if err := stream.Send(&braidv1.AppendResponse{Kind: &braidv1.AppendResponse_SetupAck{SetupAck: ack}}); err != nil {
		return err
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cut := newCutoff(s.writeDeadline, cancel)
	defer cut.stop()
	q := newAckQueue()
	sendDone, recvDone := make(chan error, 1), make(chan error, 1)
	s.senders.Add(2)
	go func() {
		defer s.senders.Done()
		sendDone <- sendAcks(stream, q, cut)
	}()
	go func() {
		defer s.senders.Done()
		defer q.close()
		recvDone <- s.receiveBatches(ctx, stream, rec, setup.GetWriterId(), names, q)
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

// receiveBatches reads the session's batches and hands them to the store
// until the client half-closes (nil) or the stream fails.
func (s *DataService) receiveBatches(ctx context.Context, stream braidv1.DataService_AppendServer, rec *controller.StreamRecord,
	writer string, names map[uint64]string, q *ackQueue) error {
	for {
		req, err := stream.Recv()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		b := req.GetBatch()
		if b == nil {
			return toStatus(invalidArg("expected an append batch after the setup"))
		}
		name, ok := names[b.GetSegmentId()]
		batchID, segID := b.GetBatchId(), b.GetSegmentId()
		if !ok {
			// The stream may have scaled since the setup: its new
			// segments are writable too, and a batch for a sealed
			// predecessor goes to the store, which answers a retry
			// of a stored batch as a duplicate and anything else
			// with SEALED.
			if cur, err := s.ctrl.GetStream(ctx, rec.Scope, rec.Name); err == nil {
				if _, found := cur.FindSegment(segID); found {
					name, ok = controller.SegmentName(rec.Scope, rec.Name, segID), true
					names[segID] = name
				}
			}
		}
		waited, err := q.admit(ctx, segID, !ok, MaxInflightBatches)
		if waited {
			s.hits.Hit(LimitInflightBatches)
		}
		if err != nil {
			return err
		}
		if !ok {
			q.push(&braidv1.AppendAck{BatchId: batchID, SegmentId: segID, Offset: -1,
				Error: toError(invalidArg("segment %016x is not a segment of %s", segID, rec.Qualified()))}, true)
			continue
		}
		events := int(b.GetEventCount())
		s.segs.Append(ctx, name, segstore.AppendRequest{
			Writer: writer, FirstEvent: b.GetFirstEventNumber(),
			Events: events, Data: b.GetEvents(),
		}, func(r segstore.Result, err error) {
			a := &braidv1.AppendAck{BatchId: batchID, SegmentId: segID, Offset: r.Offset, Length: r.Length, Duplicate: r.Duplicate}
			if errors.Is(err, segstore.ErrTooLarge) {
				s.hits.Hit("max-event-size")
			}
			if errors.Is(err, segstore.ErrNotFound) {
				err = fmt.Errorf("%w (the stream %s this session began on was deleted; a stream created again under its name is another stream: start a new session)", err, rec.Qualified())
			}
			if err != nil {
				a.Offset, a.Error = -1, toError(err)
			} else if s.load != nil && !r.Duplicate {
				s.load.Record(rec.Scope, rec.Name, segID, events, int(r.Length))
			}
			q.push(a, false)
		})
	}
}

// sendAcks sends the queued acks until the session is done, each Send
// under the write deadline. After a failed Send it sends no more but still
// waits for the session to be done.
func sendAcks(stream braidv1.DataService_AppendServer, q *ackQueue, cut *cutoff) error {
	var failed error
	var acks []queuedAck
	resp := &braidv1.AppendResponse{}
	for {
		<-q.signal
		var done bool
		acks, done = q.take(acks)
		for _, a := range acks {
			if failed == nil {
				resp.Kind = &braidv1.AppendResponse_Ack{Ack: a.ack}
				cut.begin()
				failed = stream.Send(resp)
				cut.end()
			}
			q.sent(a)
		}
		clear(acks)
		if done {
			return failed
		}
	}
}

// segmentOf resolves a stream's segment (in any epoch) to its store name.
func (s *DataService) segmentOf(ctx context.Context, scope, stream string, id uint64) (string, error) {
	rec, err := s.ctrl.GetStream(ctx, scope, stream)
	if err != nil {
		return "", err
	}
	if _, ok := rec.FindSegment(id); !ok {
		return "", rec.NoSegment(id)
	}
	return controller.SegmentName(rec.Scope, rec.Name, id), nil
}

// ReadSegment implements braidv1.DataServiceServer.
//
// Responses carry at most maxReadBytes (a larger max_bytes is served by
// more responses), and each is sent by a goroutine of its own under the
// write deadline (see slow.go), one at a time: the handler reads the next
// only once the last is sent, so that a call holds one response.
func (s *DataService) ReadSegment(req *braidv1.ReadSegmentRequest, stream braidv1.DataService_ReadSegmentServer) error {
	ctx := stream.Context()
	name, err := s.segmentOf(ctx, req.GetScope(), req.GetStream(), req.GetSegmentId())
	if err != nil {
		return toStatus(err)
	}
	off, end := req.GetOffset(), req.GetEndOffset()
	if end > 0 && end < off {
		return toStatus(invalidArg("end offset %d is before the start offset %d", end, off))
	}
	maxBytes := int(req.GetMaxBytes())
	if maxBytes <= 0 {
		maxBytes = defaultReadBytes
	}
	maxBytes = min(maxBytes, maxReadBytes)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cut := newCutoff(s.writeDeadline, cancel)
	defer cut.stop()
	out := make(chan *braidv1.ReadSegmentResponse)
	sent := make(chan error, 1)
	s.senders.Add(1)
	go func() {
		defer s.senders.Done()
		for resp := range out {
			cut.begin()
			err := stream.Send(resp)
			cut.end()
			sent <- err
		}
	}()
	defer close(out)
	queued := 0 // bytes of the last response sent: what the transport may still hold
	for {
		if end > 0 && off >= end {
			return nil
		}
		limit := maxBytes
		if end > 0 {
			limit = int(min(int64(limit), end-off))
		}
		res, err := s.segs.Read(ctx, name, off, limit, req.GetFollow())
		if err != nil {
			select {
			case <-cut.expired:
				return s.cutSlow(stream.Context(), "a read response", queued)
			default:
			}
			return toStatus(err)
		}
		data := res.Data
		if end > 0 && off+int64(len(data)) > end {
			n := wire.CutFrames(data, int(end-off))
			if off+int64(n) > end {
				return toStatus(invalidArg("end offset %d is not at an event boundary", end))
			}
			data = data[:n]
		}
		if len(data) > 0 || res.EndOfSegment {
			resp := &braidv1.ReadSegmentResponse{Offset: off, Events: data, Tail: res.Length,
				EndOfSegment: res.EndOfSegment && off+int64(len(data)) == res.Length}
			out <- resp // the sender is idle: it has answered the last one
			select {
			case err := <-sent:
				if err != nil {
					return err
				}
			case <-cut.expired:
				return s.cutSlow(stream.Context(), "a read response", queued)
			}
			queued = len(data)
			off += int64(len(data))
			if resp.EndOfSegment {
				return nil
			}
		}
		if len(data) == 0 && !req.GetFollow() {
			return nil
		}
	}
}

// cutSlow ends a call whose client does not read (see slow.go).
func (s *DataService) cutSlow(ctx context.Context, what string, queued int) error {
	s.hits.Hit(LimitWriteDeadline)
	if s.slow != nil {
		s.slow(ctx, queued)
	}
	return slowConsumer(what, s.writeDeadline)
}

// FetchEvent implements braidv1.DataServiceServer.
func (s *DataService) FetchEvent(ctx context.Context, req *braidv1.FetchEventRequest) (*braidv1.FetchEventResponse, error) {
	name, err := s.segmentOf(ctx, req.GetScope(), req.GetStream(), req.GetSegmentId())
	if err != nil {
		return nil, toStatus(err)
	}
	if req.GetLength() < wire.HeaderSize || req.GetOffset() < 0 {
		return nil, toStatus(invalidArg("event pointer offset %d, length %d: the length must include the %d-byte header", req.GetOffset(), req.GetLength(), wire.HeaderSize))
	}
	data, err := s.segs.ReadEvent(ctx, name, req.GetOffset(), int(req.GetLength()))
	if err != nil {
		return nil, toStatus(err)
	}
	return &braidv1.FetchEventResponse{Data: data}, nil
}

// GetStreamCut implements braidv1.DataServiceServer.
func (s *DataService) GetStreamCut(ctx context.Context, req *braidv1.GetStreamCutRequest) (*braidv1.GetStreamCutResponse, error) {
	rec, err := s.ctrl.GetStream(ctx, req.GetScope(), req.GetStream())
	if err != nil {
		return nil, toStatus(err)
	}
	var offs map[uint64]int64
	if req.GetWhich() == braidv1.GetStreamCutRequest_WHICH_TAIL {
		offs, err = s.ctrl.TailCut(ctx, rec)
	} else {
		offs, err = s.ctrl.HeadCut(ctx, rec)
	}
	if err != nil {
		return nil, toStatus(err)
	}
	cut := wire.StreamCut{Stream: rec.Qualified()}
	for id, off := range offs {
		cut = cut.With(id, off)
	}
	return &braidv1.GetStreamCutResponse{Segments: segmentOffsets(offs), Text: cut.String()}, nil
}
