package grpcapi

import (
	"context"
	"errors"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/internal/watermark"
)

// TimeTracker keeps writers' times and the marks made from them (package
// watermark).
type TimeTracker interface {
	NoteTime(ctx context.Context, scope, name, writer string, at int64, pos map[uint64]int64, closed bool) error
	Watermark(ctx context.Context, scope, name string) (watermark.Status, error)
	Window(ctx context.Context, scope, name string, pos map[uint64]int64) (watermark.Window, error)
}

// NoteTime implements braidv1.DataServiceServer.
func (s *DataService) NoteTime(ctx context.Context, req *braidv1.NoteTimeRequest) (*braidv1.NoteTimeResponse, error) {
	if s.times == nil {
		return nil, toStatus(errNoTimes)
	}
	err := s.times.NoteTime(ctx, req.GetScope(), req.GetStream(), req.GetWriterId(), req.GetTimeUnixNanos(),
		offsetMap(req.GetPosition()), req.GetClosed())
	if err != nil {
		return nil, toStatus(err)
	}
	return &braidv1.NoteTimeResponse{}, nil
}

// GetWatermark implements braidv1.DataServiceServer.
func (s *DataService) GetWatermark(ctx context.Context, req *braidv1.GetWatermarkRequest) (*braidv1.GetWatermarkResponse, error) {
	if s.times == nil {
		return nil, toStatus(errNoTimes)
	}
	st, err := s.times.Watermark(ctx, req.GetScope(), req.GetStream())
	if err != nil {
		return nil, toStatus(err)
	}
	return WatermarkProto(st), nil
}

// WatermarkProto is the response form of a stream's watermark status.
func WatermarkProto(st watermark.Status) *braidv1.GetWatermarkResponse {
	resp := &braidv1.GetWatermarkResponse{TimestampAggregationTimeoutMs: st.Timeout.Milliseconds()}
	if m := st.Mark; m != nil {
		resp.Watermark = &braidv1.Watermark{LowerUnixNanos: m.Lower, UpperUnixNanos: m.Upper,
			Cut: segmentOffsets(m.Cut), MadeUnixMs: m.Made.UnixMilli()}
	}
	for _, w := range st.Writers {
		resp.Writers = append(resp.Writers, &braidv1.WriterTime{WriterId: w.Writer, TimeUnixNanos: w.Time,
			ReportedUnixMs: w.Reported.UnixMilli(), Position: segmentOffsets(w.Position), Active: w.Active})
	}
	return resp
}

// GetTimeWindow implements braidv1.DataServiceServer.
func (s *DataService) GetTimeWindow(ctx context.Context, req *braidv1.GetTimeWindowRequest) (*braidv1.GetTimeWindowResponse, error) {
	if s.times == nil {
		return nil, toStatus(errNoTimes)
	}
	w, err := s.times.Window(ctx, req.GetScope(), req.GetStream(), offsetMap(req.GetPosition()))
	if err != nil {
		return nil, toStatus(err)
	}
	return WindowProto(w), nil
}

// WindowProto is the response form of a time window.
func WindowProto(w watermark.Window) *braidv1.GetTimeWindowResponse {
	return &braidv1.GetTimeWindowResponse{HasLower: w.HasLower, LowerUnixNanos: w.Lower, HasUpper: w.HasUpper, UpperUnixNanos: w.Upper}
}

func offsetMap(so []*braidv1.SegmentOffset) map[uint64]int64 {
	m := make(map[uint64]int64, len(so))
	for _, o := range so {
		m[o.GetSegmentId()] = o.GetOffset()
	}
	return m
}

var errNoTimes = errors.New("this server keeps no watermarks")
