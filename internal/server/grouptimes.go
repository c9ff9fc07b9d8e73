package server

import (
	"context"
	"strings"

	"github.com/braidstream/braid/internal/controller"
	"github.com/braidstream/braid/internal/grpcapi"
)

// groupTimes gives the reader group metrics watermarks (from the tracker,
// or in a cluster the node keeping them) and append times (from the
// segments' time index, at their owners).
type groupTimes struct {
	times grpcapi.TimeTracker
	segs  interface {
		TimeAtOffset(ctx context.Context, name string, off int64) (int64, bool, error)
	}
}

// GroupWatermark implements group.Times.
func (g groupTimes) GroupWatermark(ctx context.Context, stream string, pos map[uint64]int64) (int64, bool) {
	scope, name, ok := strings.Cut(stream, "/")
	if !ok {
		return 0, false
	}
	w, err := g.times.Window(ctx, scope, name, pos)
	if err != nil || !w.HasLower {
		return 0, false
	}
	return w.Lower, true
}

// AppendTime implements group.Times.
func (g groupTimes) AppendTime(ctx context.Context, stream string, segment uint64, offset int64) (int64, bool) {
	scope, name, ok := strings.Cut(stream, "/")
	if !ok {
		return 0, false
	}
	t, ok, err := g.segs.TimeAtOffset(ctx, controller.SegmentName(scope, name, segment), offset)
	if err != nil || !ok {
		return 0, false
	}
	return t, true
}
