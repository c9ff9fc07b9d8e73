package grpcapi

import (
	"context"
	"errors"
	"fmt"
	"github.com/braidstream/braid/internal/limits"
	"io"
	"sync"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/internal/controller"
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

// Read sizes.
const (
	defaultReadBytes = 1 << 20
	maxReadBytes     = 16 << 20
)

// DataService implements braidv1.DataServiceServer.
type DataService struct {
	braidv1.UnimplementedDataServiceServer
	ctrl *controller.Controller
	segs Segments
	load LoadRecorder
	hits *limits.Hits
}

// LoadRecorder is told of every stored batch (for auto-scaling).
type LoadRecorder interface {
	Record(scope, stream string, segment uint64, events, bytes int)
}

var _ braidv1.DataServiceServer = (*DataService)(nil)

// NewDataService returns the data service; load and hits may be nil.
func NewDataService(ctrl *controller.Controller, segs Segments, load LoadRecorder, hits *limits.Hits) *DataService {
	return &DataService{ctrl: ctrl, segs: segs, load: load, hits: hits}
}

// ackQueue hands acks from store callbacks (which must not block) to the
// one goroutine that sends on the stream.
type ackQueue struct {
	mu     sync.Mutex
	acks   []*braidv1.AppendAck
	closed bool
	signal chan struct{}
}

func (q *ackQueue) push(a *braidv1.AppendAck) {
	q.mu.Lock()
	q.acks = append(q.acks, a)
	q.mu.Unlock()
	select {
	case q.signal <- struct{}{}:
	default:
	}
}

func (q *ackQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	select {
	case q.signal <- struct{}{}:
	default:
	}
}

// Append implements braidv1.DataServiceServer.
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
	ack := &braidv1.AppendSetupAck{MaxInflightBatches: segstore.HistorySize}
	for _, seg := range rec.Current().Segments {
		names[seg.ID] = controller.SegmentName(rec.Scope, rec.Name, seg.ID)
		ack.Segments = append(ack.Segments, segmentRange(seg))
	}
	if err := stream.Send(&braidv1.AppendResponse{Kind: &braidv1.AppendResponse_SetupAck{SetupAck: ack}}); err != nil {
		return err
	}

	q := &ackQueue{signal: make(chan struct{}, 1)}
	sendErr := make(chan error, 1)
	go func() { sendErr <- sendAcks(stream, q) }()
	var pending sync.WaitGroup
	recvErr := func() error {
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
			if !ok {
				q.push(&braidv1.AppendAck{BatchId: batchID, SegmentId: segID, Offset: -1,
					Error: toError(invalidArg("segment %016x is not a segment of %s", segID, rec.Qualified()))})
				continue
			}
			pending.Add(1)
			events := int(b.GetEventCount())
			s.segs.Append(ctx, name, segstore.AppendRequest{
				Writer: setup.GetWriterId(), FirstEvent: b.GetFirstEventNumber(),
				Events: events, Data: b.GetEvents(),
			}, func(r segstore.Result, err error) {
				a := &braidv1.AppendAck{BatchId: batchID, SegmentId: segID, Offset: r.Offset, Length: r.Length, Duplicate: r.Duplicate}
				if err != nil {
					a.Offset, a.Error = -1, toError(err)
				} else if s.load != nil && !r.Duplicate {
					s.load.Record(rec.Scope, rec.Name, segID, events, int(r.Length))
				}
				q.push(a)
				pending.Done()
			})
		}
	}()
	// Every queued append is answered before the session ends.
	pending.Wait()
	q.close()
	if err := <-sendErr; err != nil && recvErr == nil {
		return err
	}
	return recvErr
}

func sendAcks(stream braidv1.DataService_AppendServer, q *ackQueue) error {
	var failed error
	for {
		<-q.signal
		q.mu.Lock()
		acks, closed := q.acks, q.closed
		q.acks = nil
		q.mu.Unlock()
		for _, a := range acks {
			if failed != nil {
				break
			}
			failed = stream.Send(&braidv1.AppendResponse{Kind: &braidv1.AppendResponse_Ack{Ack: a}})
		}
		if closed {
			q.mu.Lock()
			rest := len(q.acks)
			q.mu.Unlock()
			if rest == 0 {
				return failed
			}
			select {
			case q.signal <- struct{}{}:
			default:
			}
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
		return "", fmt.Errorf("%w: stream %s has no segment %016x", segstore.ErrNotFound, rec.Qualified(), id)
	}
	return controller.SegmentName(rec.Scope, rec.Name, id), nil
}

// ReadSegment implements braidv1.DataServiceServer.
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
			if err := stream.Send(resp); err != nil {
				return err
			}
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
