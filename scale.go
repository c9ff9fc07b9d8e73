package braid

import (
	"context"
	"fmt"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/wire"
)

// ScalingKind says what load a scaling policy follows.
type ScalingKind int

// Scaling kinds.
const (
	// ScaleByEventRate keeps each segment near Target events per second.
	ScaleByEventRate ScalingKind = iota + 1
	// ScaleByDataRate keeps each segment near Target bytes per second.
	ScaleByDataRate
)

// ScalingPolicy makes the server split a segment whose rate stays above
// Target into up to ScaleFactor segments (2 to 16; 0 means 2), and merge
// neighbouring segments whose rates stay below Target/2, never below
// MinSegments segments (0 means 1). The windows over which rates are
// judged, and the cooldown between two scalings of a stream, are set on
// the server (braid serve --scale-*).
type ScalingPolicy struct {
	Kind        ScalingKind
	Target      int64
	ScaleFactor int
	MinSegments int
}

func (p *ScalingPolicy) proto() *braidv1.ScalingPolicy {
	if p == nil {
		return nil
	}
	kind := braidv1.ScalingPolicy_KIND_EVENT_RATE
	if p.Kind == ScaleByDataRate {
		kind = braidv1.ScalingPolicy_KIND_DATA_RATE
	}
	return &braidv1.ScalingPolicy{Kind: kind, Target: p.Target, ScaleFactor: uint32(p.ScaleFactor), MinSegments: uint32(p.MinSegments)}
}

func scalingPolicy(p *braidv1.ScalingPolicy) *ScalingPolicy {
	switch p.GetKind() {
	case braidv1.ScalingPolicy_KIND_EVENT_RATE:
		return &ScalingPolicy{Kind: ScaleByEventRate, Target: p.GetTarget(), ScaleFactor: int(p.GetScaleFactor()), MinSegments: int(p.GetMinSegments())}
	case braidv1.ScalingPolicy_KIND_DATA_RATE:
		return &ScalingPolicy{Kind: ScaleByDataRate, Target: p.GetTarget(), ScaleFactor: int(p.GetScaleFactor()), MinSegments: int(p.GetMinSegments())}
	}
	return nil
}

// String describes the policy.
func (p *ScalingPolicy) String() string {
	if p == nil {
		return "fixed"
	}
	unit := "events/s"
	if p.Kind == ScaleByDataRate {
		unit = "bytes/s"
	}
	return fmt.Sprintf("%d %s per segment (split into up to %d, at least %d segments)", p.Target, unit, max(p.ScaleFactor, 2), max(p.MinSegments, 1))
}

// KeyRange is a half-open part [Low, High) of the key space [0,1).
type KeyRange struct {
	Low, High float64
}

// SplitSegment splits a current segment of stream into parts segments of
// equal key ranges (2 to 16), making a new epoch; it returns the stream
// as it is then. Writers move to the new segments by themselves, and
// readers read them after the old one.
func (c *Client) SplitSegment(ctx context.Context, stream string, segment uint64, parts int) (StreamInfo, error) {
	if parts < 2 || parts > 16 {
		return StreamInfo{}, newError(wire.CodeInvalidArgument, fmt.Sprintf("split %016x of %s into %d parts (want 2 to 16)", segment, stream, parts))
	}
	info, err := c.GetStream(ctx, stream)
	if err != nil {
		return StreamInfo{}, err
	}
	var seg *SegmentRange
	for _, s := range info.Current {
		if s.ID == segment {
			seg = &s.SegmentRange
		}
	}
	if seg == nil {
		return StreamInfo{}, newError(wire.CodeInvalidArgument, fmt.Sprintf("%016x is not a current segment of %s", segment, stream))
	}
	ranges := make([]KeyRange, parts)
	for i := range ranges {
		ranges[i] = KeyRange{Low: seg.KeyLow + (seg.KeyHigh-seg.KeyLow)*float64(i)/float64(parts)}
		if i > 0 {
			ranges[i-1].High = ranges[i].Low
		}
	}
	ranges[parts-1].High = seg.KeyHigh
	return c.ScaleStream(ctx, stream, []uint64{segment}, ranges)
}

// MergeSegments merges two or more neighbouring current segments of stream
// into one, making a new epoch.
func (c *Client) MergeSegments(ctx context.Context, stream string, segments ...uint64) (StreamInfo, error) {
	if len(segments) < 2 {
		return StreamInfo{}, newError(wire.CodeInvalidArgument, fmt.Sprintf("merge in %s: name at least two neighbouring segments", stream))
	}
	return c.ScaleStream(ctx, stream, segments, nil)
}

// ScaleStream seals the current segments seal and creates successors over
// ranges, which must cover the sealed segments' key range exactly, in
// order: one segment split into 2 to 16 ranges, or two or more neighbours
// merged into one range. Nil ranges split one segment in halves or merge
// several into one. A scale that lost a race with another fails with
// ErrConflict.
func (c *Client) ScaleStream(ctx context.Context, stream string, seal []uint64, ranges []KeyRange) (StreamInfo, error) {
	scope, name, err := splitStream(stream)
	if err != nil {
		return StreamInfo{}, err
	}
	req := &braidv1.ScaleStreamRequest{Scope: scope, Stream: name, Seal: seal}
	for _, r := range ranges {
		req.NewRanges = append(req.NewRanges, &braidv1.KeyRange{Low: r.Low, High: r.High})
	}
	resp, err := c.admin.ScaleStream(ctx, req)
	if err != nil {
		return StreamInfo{}, fromStatus("scale stream "+stream, err)
	}
	return streamInfo(resp.GetStream()), nil
}

// Successor is a segment that took over (part of) a sealed segment's key
// range, with all of its predecessors.
type Successor struct {
	SegmentRange
	Predecessors []uint64
}

// Successors returns the segments that took over segment's key range when a
// scale sealed it, and whether segment is sealed. A current segment has
// none; neither has one sealed with its stream.
func (c *Client) Successors(ctx context.Context, stream string, segment uint64) (succ []Successor, sealed bool, err error) {
	scope, name, err := splitStream(stream)
	if err != nil {
		return nil, false, err
	}
	resp, err := c.admin.GetSuccessors(ctx, &braidv1.GetSuccessorsRequest{Scope: scope, Stream: name, SegmentId: segment})
	if err != nil {
		return nil, false, fromStatus(fmt.Sprintf("successors of %016x in %s", segment, stream), err)
	}
	for _, s := range resp.GetSuccessors() {
		succ = append(succ, Successor{SegmentRange: segmentRange(s.GetSegment()), Predecessors: s.GetPredecessors()})
	}
	return succ, resp.GetSealed(), nil
}
