package grpcapi

import (
	"context"
	"math"
	"time"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/internal/controller"
	"github.com/braidstream/braid/internal/storage/segstore"
	"github.com/braidstream/braid/internal/watermark"
)

// StreamService implements braidv1.StreamServiceServer.
type StreamService struct {
	braidv1.UnimplementedStreamServiceServer
	ctrl *controller.Controller
	segs SegmentInfoer
}

// SegmentInfoer reports segment state; the segment store implements it.
type SegmentInfoer interface {
	Info(ctx context.Context, name string) (segstore.Info, error)
}

var _ braidv1.StreamServiceServer = (*StreamService)(nil)

// NewStreamService returns the admin service.
func NewStreamService(ctrl *controller.Controller, segs SegmentInfoer) *StreamService {
	return &StreamService{ctrl: ctrl, segs: segs}
}

// CreateScope implements braidv1.StreamServiceServer.
func (s *StreamService) CreateScope(ctx context.Context, req *braidv1.CreateScopeRequest) (*braidv1.CreateScopeResponse, error) {
	created, err := s.ctrl.CreateScope(ctx, req.GetScope())
	if err != nil {
		return nil, toStatus(err)
	}
	return &braidv1.CreateScopeResponse{Created: created}, nil
}

// ListScopes implements braidv1.StreamServiceServer.
func (s *StreamService) ListScopes(ctx context.Context, _ *braidv1.ListScopesRequest) (*braidv1.ListScopesResponse, error) {
	scopes, err := s.ctrl.ListScopes(ctx)
	if err != nil {
		return nil, toStatus(err)
	}
	return &braidv1.ListScopesResponse{Scopes: scopes}, nil
}

// DeleteScope implements braidv1.StreamServiceServer.
func (s *StreamService) DeleteScope(ctx context.Context, req *braidv1.DeleteScopeRequest) (*braidv1.DeleteScopeResponse, error) {
	if err := s.ctrl.DeleteScope(ctx, req.GetScope()); err != nil {
		return nil, toStatus(err)
	}
	return &braidv1.DeleteScopeResponse{}, nil
}

// CreateStream implements braidv1.StreamServiceServer.
func (s *StreamService) CreateStream(ctx context.Context, req *braidv1.CreateStreamRequest) (*braidv1.CreateStreamResponse, error) {
	cfg, err := streamConfig(req.GetConfig())
	if err != nil {
		return nil, toStatus(err)
	}
	rec, scopeCreated, err := s.ctrl.CreateStream(ctx, req.GetScope(), req.GetStream(), cfg, req.GetCreateScope())
	if err != nil {
		return nil, toStatus(err)
	}
	return &braidv1.CreateStreamResponse{Stream: streamInfo(rec), ScopeCreated: scopeCreated}, nil
}

// GetStream implements braidv1.StreamServiceServer.
func (s *StreamService) GetStream(ctx context.Context, req *braidv1.GetStreamRequest) (*braidv1.GetStreamResponse, error) {
	rec, err := s.ctrl.GetStream(ctx, req.GetScope(), req.GetStream())
	if err != nil {
		return nil, toStatus(err)
	}
	resp := &braidv1.GetStreamResponse{Stream: streamInfo(rec)}
	for _, seg := range rec.Current().Segments {
		info, err := s.segs.Info(ctx, controller.SegmentName(rec.Scope, rec.Name, seg.ID))
		if err != nil {
			return nil, toStatus(err)
		}
		resp.Segments = append(resp.Segments, &braidv1.SegmentStatus{
			Range: segmentRange(seg), Length: info.Length, StartOffset: info.Start, Sealed: info.Sealed})
	}
	return resp, nil
}

// ListStreams implements braidv1.StreamServiceServer.
func (s *StreamService) ListStreams(ctx context.Context, req *braidv1.ListStreamsRequest) (*braidv1.ListStreamsResponse, error) {
	recs, err := s.ctrl.ListStreams(ctx, req.GetScope())
	if err != nil {
		return nil, toStatus(err)
	}
	resp := &braidv1.ListStreamsResponse{}
	for _, r := range recs {
		resp.Streams = append(resp.Streams, streamInfo(r))
	}
	return resp, nil
}

// SealStream implements braidv1.StreamServiceServer.
func (s *StreamService) SealStream(ctx context.Context, req *braidv1.SealStreamRequest) (*braidv1.SealStreamResponse, error) {
	if err := s.ctrl.SealStream(ctx, req.GetScope(), req.GetStream()); err != nil {
		return nil, toStatus(err)
	}
	return &braidv1.SealStreamResponse{}, nil
}

// TruncateStream implements braidv1.StreamServiceServer.
func (s *StreamService) TruncateStream(ctx context.Context, req *braidv1.TruncateStreamRequest) (*braidv1.TruncateStreamResponse, error) {
	cut, err := cutMap(req.GetCut())
	if err != nil {
		return nil, toStatus(err)
	}
	if err := s.ctrl.TruncateStream(ctx, req.GetScope(), req.GetStream(), cut); err != nil {
		return nil, toStatus(err)
	}
	return &braidv1.TruncateStreamResponse{}, nil
}

// UpdateStream implements braidv1.StreamServiceServer.
func (s *StreamService) UpdateStream(ctx context.Context, req *braidv1.UpdateStreamRequest) (*braidv1.UpdateStreamResponse, error) {
	if req.GetConfig() == nil {
		return nil, toStatus(invalidArg("update stream %s/%s: no config", req.GetScope(), req.GetStream()))
	}
	cfg, err := streamConfig(req.GetConfig())
	if err != nil {
		return nil, toStatus(err)
	}
	rec, err := s.ctrl.UpdateStream(ctx, req.GetScope(), req.GetStream(), cfg)
	if err != nil {
		return nil, toStatus(err)
	}
	return &braidv1.UpdateStreamResponse{Stream: streamInfo(rec)}, nil
}

// DeleteStream implements braidv1.StreamServiceServer.
func (s *StreamService) DeleteStream(ctx context.Context, req *braidv1.DeleteStreamRequest) (*braidv1.DeleteStreamResponse, error) {
	if err := s.ctrl.DeleteStream(ctx, req.GetScope(), req.GetStream()); err != nil {
		return nil, toStatus(err)
	}
	return &braidv1.DeleteStreamResponse{}, nil
}

// maxRetentionMs is the longest retention time in milliseconds that fits a
// time.Duration.
const maxRetentionMs = math.MaxInt64 / int64(time.Millisecond)

// streamConfig translates a stream config; the controller validates it.
func streamConfig(pc *braidv1.StreamConfig) (controller.Config, error) {
	cfg := controller.Config{Segments: int(pc.GetSegments())}
	if ms := pc.GetTimestampAggregationTimeoutMs(); ms < 0 || ms > controller.MaxTimestampTimeout.Milliseconds() {
		return cfg, invalidArg("timestamp_aggregation_timeout_ms %d out of range 0..%d", ms, controller.MaxTimestampTimeout.Milliseconds())
	} else {
		cfg.TimestampTimeout = time.Duration(ms) * time.Millisecond
	}
	if ps := pc.GetScaling(); ps != nil {
		sc := &controller.Scaling{Target: ps.GetTarget(), ScaleFactor: int(ps.GetScaleFactor()), MinSegments: int(ps.GetMinSegments())}
		switch ps.GetKind() {
		case braidv1.ScalingPolicy_KIND_UNSPECIFIED, braidv1.ScalingPolicy_KIND_FIXED:
			sc.Kind = controller.ScaleFixed
		case braidv1.ScalingPolicy_KIND_EVENT_RATE:
			sc.Kind = controller.ScaleEventRate
		case braidv1.ScalingPolicy_KIND_DATA_RATE:
			sc.Kind = controller.ScaleDataRate
		default:
			return cfg, invalidArg("unknown scaling policy kind %d", ps.GetKind())
		}
		if sc.Kind != controller.ScaleFixed {
			cfg.Scaling = sc
		}
	}
	pr := pc.GetRetention()
	if pr == nil {
		return cfg, nil
	}
	r := &controller.Retention{}
	switch p := pr.GetPolicy().(type) {
	case *braidv1.RetentionPolicy_ByTime:
		for _, f := range []struct {
			name string
			ms   int64
		}{{"min_ms", p.ByTime.GetMinMs()}, {"max_ms", p.ByTime.GetMaxMs()}} {
			if f.ms > maxRetentionMs {
				return cfg, invalidArg("retention by time: %s %d is too large (at most %d)", f.name, f.ms, maxRetentionMs)
			}
		}
		r.Type = controller.RetentionTime
		r.MinTime = time.Duration(p.ByTime.GetMinMs()) * time.Millisecond
		r.MaxTime = time.Duration(p.ByTime.GetMaxMs()) * time.Millisecond
	case *braidv1.RetentionPolicy_BySize:
		r.Type = controller.RetentionSize
		r.MinBytes = p.BySize.GetMinBytes()
		r.MaxBytes = p.BySize.GetMaxBytes()
	default:
		return cfg, invalidArg("retention policy sets neither by_time nor by_size")
	}
	cfg.Retention = r
	return cfg, nil
}

func retentionPolicy(r *controller.Retention) *braidv1.RetentionPolicy {
	switch {
	case r == nil:
		return nil
	case r.Type == controller.RetentionSize:
		return &braidv1.RetentionPolicy{Policy: &braidv1.RetentionPolicy_BySize{
			BySize: &braidv1.RetentionBySize{MinBytes: r.MinBytes, MaxBytes: r.MaxBytes}}}
	default:
		return &braidv1.RetentionPolicy{Policy: &braidv1.RetentionPolicy_ByTime{
			ByTime: &braidv1.RetentionByTime{MinMs: r.MinTime.Milliseconds(), MaxMs: r.MaxTime.Milliseconds()}}}
	}
}

func segmentRange(s controller.Segment) *braidv1.SegmentRange {
	return &braidv1.SegmentRange{SegmentId: s.ID, KeyLow: s.KeyLow, KeyHigh: s.KeyHigh}
}

func streamInfo(r *controller.StreamRecord) *braidv1.StreamInfo {
	info := &braidv1.StreamInfo{
		Scope:  r.Scope,
		Stream: r.Name,
		Config: &braidv1.StreamConfig{Segments: uint32(r.Config.Segments), Retention: retentionPolicy(r.Config.Retention), Scaling: scalingPolicy(r.Config.Scaling),
			TimestampAggregationTimeoutMs: watermark.TimeoutOf(r).Milliseconds()},
		Sealed:        r.State == controller.StateSealed,
		CreatedUnixMs: r.Created.UnixMilli(),
	}
	for _, e := range r.Epochs {
		pe := &braidv1.Epoch{Epoch: e.Epoch, CreatedUnixMs: e.Created.UnixMilli()}
		for _, s := range e.Segments {
			pe.Segments = append(pe.Segments, segmentRange(s))
		}
		info.Epochs = append(info.Epochs, pe)
	}
	return info
}

func scalingPolicy(p *controller.Scaling) *braidv1.ScalingPolicy {
	if !p.Auto() {
		return nil
	}
	kind := braidv1.ScalingPolicy_KIND_EVENT_RATE
	if p.Kind == controller.ScaleDataRate {
		kind = braidv1.ScalingPolicy_KIND_DATA_RATE
	}
	return &braidv1.ScalingPolicy{Kind: kind, Target: p.Target, ScaleFactor: uint32(p.ScaleFactor), MinSegments: uint32(p.MinSegments)}
}

// ScaleStream implements braidv1.StreamServiceServer.
func (s *StreamService) ScaleStream(ctx context.Context, req *braidv1.ScaleStreamRequest) (*braidv1.ScaleStreamResponse, error) {
	var ranges []controller.KeyRange
	for _, r := range req.GetNewRanges() {
		ranges = append(ranges, controller.KeyRange{Low: r.GetLow(), High: r.GetHigh()})
	}
	rec, err := s.ctrl.Scale(ctx, req.GetScope(), req.GetStream(), req.GetSeal(), ranges)
	if err != nil {
		return nil, toStatus(err)
	}
	return &braidv1.ScaleStreamResponse{Stream: streamInfo(rec)}, nil
}

// GetSuccessors implements braidv1.StreamServiceServer.
func (s *StreamService) GetSuccessors(ctx context.Context, req *braidv1.GetSuccessorsRequest) (*braidv1.GetSuccessorsResponse, error) {
	rec, err := s.ctrl.GetStream(ctx, req.GetScope(), req.GetStream())
	if err != nil {
		return nil, toStatus(err)
	}
	if _, ok := rec.FindSegment(req.GetSegmentId()); !ok {
		return nil, toStatus(rec.NoSegment(req.GetSegmentId()))
	}
	resp := &braidv1.GetSuccessorsResponse{}
	if info, err := s.segs.Info(ctx, controller.SegmentName(rec.Scope, rec.Name, req.GetSegmentId())); err == nil {
		resp.Sealed = info.Sealed
	}
	for _, succ := range rec.Successors(req.GetSegmentId()) {
		ps := &braidv1.Successor{Segment: segmentRange(succ)}
		for _, p := range rec.Predecessors(succ.ID) {
			ps.Predecessors = append(ps.Predecessors, p.ID)
		}
		resp.Successors = append(resp.Successors, ps)
	}
	return resp, nil
}
