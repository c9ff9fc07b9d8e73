package peer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	clusterv1 "github.com/braidstream/braid/api/braid/cluster/v1"
	"github.com/braidstream/braid/internal/storage/segstore"
)

// Local is the segment store a node serves its own containers from.
type Local interface {
	Create(ctx context.Context, name string) error
	Seal(ctx context.Context, name string) (int64, error)
	Delete(ctx context.Context, name string) error
	Info(ctx context.Context, name string) (segstore.Info, error)
	Truncate(ctx context.Context, name string, offset int64) error
	CheckTruncate(ctx context.Context, name string, offset int64) error
	Append(ctx context.Context, name string, req segstore.AppendRequest, done func(segstore.Result, error))
	AppendWait(ctx context.Context, name string, req segstore.AppendRequest) (segstore.Result, error)
	Read(ctx context.Context, name string, offset int64, maxBytes int, wait bool) (segstore.ReadResult, error)
	ReadEvent(ctx context.Context, name string, offset int64, length int) ([]byte, error)
	WriterLast(ctx context.Context, name, writer string) (int64, error)
	OffsetAtTime(ctx context.Context, name string, t int64) (int64, error)
	TimeAtOffset(ctx context.Context, name string, off int64) (int64, bool, error)
	CommitTimes(ctx context.Context, name string, from, to int64) ([]segstore.CommitTime, error)
}

var _ Local = (*segstore.Store)(nil)

// Server serves the peer service from the node's own store: what another
// node forwards, it serves itself or refuses (ErrNotOwner), never
// forwarding again, so a stale view on two nodes cannot make a loop.
type Server struct {
	clusterv1.UnimplementedPeerServiceServer
	local Local
	rates RateSink
}

// RateSink takes what other nodes appended to auto-scaling streams (the
// auto-scaler's recorder).
type RateSink interface {
	RecordAt(t time.Time, scope, stream string, segment uint64, events, bytes int)
}

// NewServer returns the peer service over local, whose reported appends
// go to rates.
func NewServer(local Local, rates RateSink) *Server { return &Server{local: local, rates: rates} }

// maxRateCounts bounds one ReportRates request.
const maxRateCounts = 100_000

// ReportRates implements PeerService.
func (s *Server) ReportRates(_ context.Context, req *clusterv1.ReportRatesRequest) (*clusterv1.ReportRatesResponse, error) {
	if s.rates == nil {
		return &clusterv1.ReportRatesResponse{}, nil
	}
	if n := len(req.GetCounts()); n > maxRateCounts {
		return nil, status.Errorf(codes.InvalidArgument, "%d rate counts in one report: at most %d", n, maxRateCounts)
	}
	for _, c := range req.GetCounts() {
		if c.GetEvents() < 0 || c.GetBytes() < 0 {
			continue
		}
		s.rates.RecordAt(time.Unix(c.GetUnixSeconds(), 0), c.GetScope(), c.GetStream(), c.GetSegment(), int(c.GetEvents()), int(c.GetBytes()))
	}
	return &clusterv1.ReportRatesResponse{}, nil
}

// Append implements PeerService: appends are queued in arrival order, and
// answered by id as each completes.
func (s *Server) Append(stream clusterv1.PeerService_AppendServer) error {
	ctx := stream.Context()
	var (
		mu      sync.Mutex
		queue   []*clusterv1.AppendResponse
		ready   = make(chan struct{}, 1)
		stop    = make(chan struct{})
		pending sync.WaitGroup
		sent    = make(chan error, 1)
	)
	go func() { // the sender: answers leave in the order they complete
		var err error
		for {
			select {
			case <-ready:
			case <-stop:
				mu.Lock()
				left := len(queue)
				mu.Unlock()
				if left == 0 {
					sent <- err
					return
				}
			}
			mu.Lock()
			out := queue
			queue = nil
			mu.Unlock()
			for _, r := range out {
				if err == nil {
					err = stream.Send(r)
				}
			}
		}
	}()
	var recvErr error
	for {
		req, err := stream.Recv()
		if err != nil {
			recvErr = err
			break
		}
		id := req.Id
		pending.Add(1)
		s.local.Append(ctx, req.Segment, segstore.AppendRequest{
			Writer: req.Writer, FirstEvent: req.FirstEvent, LastEvent: req.LastEvent,
			Events: int(req.Events), Data: req.Data,
		}, func(r segstore.Result, err error) {
			answer := func(err error) {
				mu.Lock()
				queue = append(queue, &clusterv1.AppendResponse{Id: id, Error: encode(err), Offset: r.Offset, Length: r.Length, Duplicate: r.Duplicate})
				mu.Unlock()
				select {
				case ready <- struct{}{}:
				default:
				}
				pending.Done()
			}
			if err == nil {
				answer(nil)
				return
			}
			go answer(confirm(ctx, s.local, req.Segment, err)) // a GET: not on the store's goroutine
		})
	}
	pending.Wait()
	close(stop)
	if err := <-sent; err != nil {
		return err
	}
	if recvErr != nil && ctx.Err() == nil && !errors.Is(recvErr, io.EOF) {
		return fmt.Errorf("peer append: %w", recvErr)
	}
	return nil
}

// Read implements PeerService.
func (s *Server) Read(ctx context.Context, req *clusterv1.ReadRequest) (*clusterv1.ReadResponse, error) {
	r, err := s.local.Read(ctx, req.Segment, req.Offset, int(req.MaxBytes), req.Wait)
	err = confirm(ctx, s.local, req.Segment, err)
	return &clusterv1.ReadResponse{Error: encode(err), Offset: r.Offset, Data: r.Data, Length: r.Length, EndOfSegment: r.EndOfSegment}, nil
}

// ReadEvent implements PeerService.
func (s *Server) ReadEvent(ctx context.Context, req *clusterv1.ReadEventRequest) (*clusterv1.ReadEventResponse, error) {
	b, err := s.local.ReadEvent(ctx, req.Segment, req.Offset, int(req.Length))
	err = confirm(ctx, s.local, req.Segment, err)
	return &clusterv1.ReadEventResponse{Error: encode(err), Data: b}, nil
}

// Segment implements PeerService.
func (s *Server) Segment(ctx context.Context, req *clusterv1.SegmentRequest) (*clusterv1.SegmentResponse, error) {
	out := &clusterv1.SegmentResponse{}
	var err error
	switch req.Op {
	case clusterv1.SegmentOp_SEGMENT_OP_CREATE:
		err = s.local.Create(ctx, req.Segment)
	case clusterv1.SegmentOp_SEGMENT_OP_SEAL:
		out.Length, err = s.local.Seal(ctx, req.Segment)
	case clusterv1.SegmentOp_SEGMENT_OP_DELETE:
		err = s.local.Delete(ctx, req.Segment)
	case clusterv1.SegmentOp_SEGMENT_OP_INFO:
		var info segstore.Info
		info, err = s.local.Info(ctx, req.Segment)
		out.Length, out.Start, out.Sealed = info.Length, info.Start, info.Sealed
	case clusterv1.SegmentOp_SEGMENT_OP_TRUNCATE:
		err = s.local.Truncate(ctx, req.Segment, req.Offset)
	case clusterv1.SegmentOp_SEGMENT_OP_CHECK_TRUNCATE:
		err = s.local.CheckTruncate(ctx, req.Segment, req.Offset)
	case clusterv1.SegmentOp_SEGMENT_OP_WRITER_LAST:
		out.LastEvent, err = s.local.WriterLast(ctx, req.Segment, req.Writer)
	case clusterv1.SegmentOp_SEGMENT_OP_OFFSET_AT_TIME:
		out.Value, err = s.local.OffsetAtTime(ctx, req.Segment, req.Offset)
	case clusterv1.SegmentOp_SEGMENT_OP_TIME_AT_OFFSET:
		out.Value, out.Found, err = s.local.TimeAtOffset(ctx, req.Segment, req.Offset)
	case clusterv1.SegmentOp_SEGMENT_OP_COMMIT_TIMES:
		var ts []segstore.CommitTime
		ts, err = s.local.CommitTimes(ctx, req.Segment, req.Offset, req.End)
		for _, t := range ts {
			out.CommitTimes = append(out.CommitTimes, &clusterv1.CommitTime{Offset: t.Offset, TimeUnixNanos: t.Time})
		}
	default:
		err = fmt.Errorf("%w: unknown segment operation %d", segstore.ErrBadName, req.Op)
	}
	out.Error = encode(confirm(ctx, s.local, req.Segment, err))
	return out, nil
}
