package grpcapi

import (
	"context"
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
	WriterLast(ctx context.Context, name, writer string) (int64, error)
}

// Read sizes. A response carries at most maxReadBytes (a request's
// max_bytes above it is served by several responses): what one slow
// consumer leaves queued in the transport is at most one response.
const (
	defaultReadBytes = 1 << 20
	maxReadBytes     = 1 << 20
)

// DataService implements braidv1.DataServiceServer.
type DataService struct {
	braidv1.UnimplementedDataServiceServer
	ctrl          *controller.Controller
	segs          Segments
	load          LoadRecorder
	hits          *limits.Hits
	writeDeadline time.Duration
	slow          SlowConsumerFunc
	times         TimeTracker
	reads         ReadCounter
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
	// Times keeps writers' times and watermarks; nil: NoteTime,
	// GetWatermark and GetTimeWindow fail.
	Times TimeTracker
	// Reads, if set, is told of the events every read serves.
	Reads ReadCounter
}

// CommitTimer gives when read data was appended (segstore.Store does); a
// store without it answers no ReadSegmentRequest.commit_times.
type CommitTimer interface {
	CommitTimes(ctx context.Context, name string, from, to int64) ([]segstore.CommitTime, error)
}

// ReadCounter counts the events reads serve, per stream.
type ReadCounter interface {
	Read(scope, stream string, events, bytes int)
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
	return &DataService{ctrl: ctrl, segs: segs, load: load, hits: hits, writeDeadline: d, slow: opts.SlowConsumer, times: opts.Times, reads: opts.Reads}
}

// Wait waits for the goroutines of calls that have ended; once the gRPC
// server has stopped, they end promptly.
func (s *DataService) Wait() { s.senders.Wait() }

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
			if ct, ok := s.segs.(CommitTimer); ok && req.GetCommitTimes() && len(data) > 0 {
				if ts, err := ct.CommitTimes(ctx, name, off, off+int64(len(data))); err == nil {
					for _, t := range ts {
						resp.CommitTimes = append(resp.CommitTimes, &braidv1.CommitTime{Offset: t.Offset, TimeUnixNanos: t.Time})
					}
				}
			}
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
			if s.reads != nil {
				s.reads.Read(req.GetScope(), req.GetStream(), wire.CountFrames(data), len(data))
			}
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
	if s.reads != nil {
		s.reads.Read(req.GetScope(), req.GetStream(), 1, wire.FrameSize(len(data)))
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
	switch req.GetWhich() {
	case braidv1.GetStreamCutRequest_WHICH_TAIL:
		offs, err = s.ctrl.TailCut(ctx, rec)
	case braidv1.GetStreamCutRequest_WHICH_TIME:
		if req.GetTimeUnixNanos() <= 0 {
			return nil, toStatus(invalidArg("a cut at a time needs time_unix_nanos after 1970 (got %d)", req.GetTimeUnixNanos()))
		}
		offs, err = s.ctrl.TimeCut(ctx, rec, req.GetTimeUnixNanos())
	case braidv1.GetStreamCutRequest_WHICH_UNSPECIFIED, braidv1.GetStreamCutRequest_WHICH_HEAD:
		offs, err = s.ctrl.HeadCut(ctx, rec)
	default:
		return nil, toStatus(invalidArg("unknown stream cut kind %d", req.GetWhich()))
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
