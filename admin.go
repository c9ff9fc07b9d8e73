package braid

import (
	"context"
	"fmt"
	"time"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/wire"
)

// maxSegments is the largest number of segments a stream may start with.
const maxSegments = 1024

// StreamConfig configures a new stream.
type StreamConfig struct {
	// Segments is the number of segments the stream starts with, 1 to
	// 1024; 0 means 1. The key space [0,1) is split into equal ranges.
	Segments int
	// CreateScope creates the stream's scope if it does not exist.
	CreateScope bool
}

// SegmentRange is one segment and the half-open part [KeyLow, KeyHigh) of
// the key space [0,1) it owns.
type SegmentRange struct {
	// ID is epoch<<32 | number (see wire.MakeSegmentID).
	ID      uint64
	KeyLow  float64
	KeyHigh float64
}

// Epoch is one layout of a stream's segments. Every scaling makes a new
// epoch and seals the segments of the one before.
type Epoch struct {
	Epoch    uint32
	Segments []SegmentRange
	Created  time.Time
}

// SegmentStatus is a segment with its current state.
type SegmentStatus struct {
	SegmentRange
	// Length is the segment's length in bytes: the offset the next event
	// appended will get.
	Length int64
	// StartOffset is where the segment's readable data starts; data
	// before it was truncated.
	StartOffset int64
	// Sealed is set when the segment takes no more appends.
	Sealed bool
}

// StreamInfo describes a stream.
type StreamInfo struct {
	// Scope and Name are the two parts of the stream's name.
	Scope, Name string
	// Segments is the number of segments in the current epoch.
	Segments int
	// Sealed is set when the stream takes no more appends.
	Sealed bool
	// Epochs lists every epoch, oldest first; the last is current.
	Epochs []Epoch
	// Created is when the stream was created.
	Created time.Time
	// Current holds the current segments with their lengths. Only
	// GetStream fills it.
	Current []SegmentStatus
	// ScopeCreated is set when CreateStream also created the scope. Only
	// CreateStream fills it.
	ScopeCreated bool
}

func validateScope(scope string) error {
	if err := wire.ValidateScopeName(scope); err != nil {
		return invalidArg(err)
	}
	return nil
}

// CreateScope creates a scope. created is false if it already existed,
// which is not an error.
func (c *Client) CreateScope(ctx context.Context, scope string) (created bool, err error) {
	if err := validateScope(scope); err != nil {
		return false, err
	}
	resp, err := c.admin.CreateScope(ctx, &braidv1.CreateScopeRequest{Scope: scope})
	if err != nil {
		return false, fromStatus("create scope "+scope, err)
	}
	return resp.GetCreated(), nil
}

// ListScopes returns the names of all scopes.
func (c *Client) ListScopes(ctx context.Context) ([]string, error) {
	resp, err := c.admin.ListScopes(ctx, &braidv1.ListScopesRequest{})
	if err != nil {
		return nil, fromStatus("list scopes", err)
	}
	return resp.GetScopes(), nil
}

// DeleteScope deletes an empty scope. It fails while the scope has streams.
func (c *Client) DeleteScope(ctx context.Context, scope string) error {
	if err := validateScope(scope); err != nil {
		return err
	}
	_, err := c.admin.DeleteScope(ctx, &braidv1.DeleteScopeRequest{Scope: scope})
	return fromStatus("delete scope "+scope, err)
}

// CreateStream creates the stream "scope/stream". It fails with
// ErrAlreadyExists if the stream exists, and with ErrNotFound if the scope
// does not and cfg.CreateScope is not set.
func (c *Client) CreateStream(ctx context.Context, stream string, cfg StreamConfig) (StreamInfo, error) {
	scope, name, err := splitStream(stream)
	if err != nil {
		return StreamInfo{}, err
	}
	segs := cfg.Segments
	if segs == 0 {
		segs = 1
	}
	if segs < 1 || segs > maxSegments {
		return StreamInfo{}, newError(wire.CodeInvalidArgument, fmt.Sprintf("stream %s: %d segments (want 1 to %d)", stream, cfg.Segments, maxSegments))
	}
	resp, err := c.admin.CreateStream(ctx, &braidv1.CreateStreamRequest{
		Scope:       scope,
		Stream:      name,
		Config:      &braidv1.StreamConfig{Segments: uint32(segs)},
		CreateScope: cfg.CreateScope,
	})
	if err != nil {
		return StreamInfo{}, fromStatus("create stream "+stream, err)
	}
	info := streamInfo(resp.GetStream())
	info.ScopeCreated = resp.GetScopeCreated()
	return info, nil
}

// GetStream describes a stream, with its current segments' lengths in
// StreamInfo.Current.
func (c *Client) GetStream(ctx context.Context, stream string) (StreamInfo, error) {
	scope, name, err := splitStream(stream)
	if err != nil {
		return StreamInfo{}, err
	}
	resp, err := c.admin.GetStream(ctx, &braidv1.GetStreamRequest{Scope: scope, Stream: name})
	if err != nil {
		return StreamInfo{}, fromStatus("get stream "+stream, err)
	}
	info := streamInfo(resp.GetStream())
	for _, s := range resp.GetSegments() {
		info.Current = append(info.Current, SegmentStatus{
			SegmentRange: segmentRange(s.GetRange()),
			Length:       s.GetLength(),
			StartOffset:  s.GetStartOffset(),
			Sealed:       s.GetSealed(),
		})
	}
	return info, nil
}

// ListStreams describes the streams of a scope.
func (c *Client) ListStreams(ctx context.Context, scope string) ([]StreamInfo, error) {
	if err := validateScope(scope); err != nil {
		return nil, err
	}
	resp, err := c.admin.ListStreams(ctx, &braidv1.ListStreamsRequest{Scope: scope})
	if err != nil {
		return nil, fromStatus("list streams of "+scope, err)
	}
	out := make([]StreamInfo, 0, len(resp.GetStreams()))
	for _, s := range resp.GetStreams() {
		out = append(out, streamInfo(s))
	}
	return out, nil
}

// SealStream seals a stream: appends to it fail with ErrSealed from then on,
// and readers reach its end.
func (c *Client) SealStream(ctx context.Context, stream string) error {
	scope, name, err := splitStream(stream)
	if err != nil {
		return err
	}
	_, err = c.admin.SealStream(ctx, &braidv1.SealStreamRequest{Scope: scope, Stream: name})
	return fromStatus("seal stream "+stream, err)
}

// TruncateStream drops every event of a stream before cut (for example an
// event's Position, or a reader's). Reads and fetches below it then fail
// with ErrTruncated, and the head cut moves to it. The cut must cover the
// stream's current segments, at event boundaries.
func (c *Client) TruncateStream(ctx context.Context, stream string, cut StreamCut) error {
	scope, name, err := splitStream(stream)
	if err != nil {
		return err
	}
	if len(cut.Segments) == 0 {
		return newError(wire.CodeInvalidArgument, "truncate stream "+stream+": the cut names no segments")
	}
	req := &braidv1.TruncateStreamRequest{Scope: scope, Stream: name}
	for _, so := range cut.Segments {
		req.Cut = append(req.Cut, &braidv1.SegmentOffset{SegmentId: so.SegmentID, Offset: so.Offset})
	}
	_, err = c.admin.TruncateStream(ctx, req)
	return fromStatus("truncate stream "+stream, err)
}

// DeleteStream deletes a stream and all its events.
func (c *Client) DeleteStream(ctx context.Context, stream string) error {
	scope, name, err := splitStream(stream)
	if err != nil {
		return err
	}
	_, err = c.admin.DeleteStream(ctx, &braidv1.DeleteStreamRequest{Scope: scope, Stream: name})
	return fromStatus("delete stream "+stream, err)
}

// HeadCut returns the stream cut at the start of the stream's readable data.
func (c *Client) HeadCut(ctx context.Context, stream string) (StreamCut, error) {
	return c.streamCut(ctx, stream, braidv1.GetStreamCutRequest_WHICH_HEAD)
}

// TailCut returns the stream cut at the current end of the stream: a reader
// starting there sees only events appended later.
func (c *Client) TailCut(ctx context.Context, stream string) (StreamCut, error) {
	return c.streamCut(ctx, stream, braidv1.GetStreamCutRequest_WHICH_TAIL)
}

func (c *Client) streamCut(ctx context.Context, stream string, which braidv1.GetStreamCutRequest_Which) (StreamCut, error) {
	scope, name, err := splitStream(stream)
	if err != nil {
		return StreamCut{}, err
	}
	resp, err := c.data.GetStreamCut(ctx, &braidv1.GetStreamCutRequest{Scope: scope, Stream: name, Which: which})
	if err != nil {
		what := "head"
		if which == braidv1.GetStreamCutRequest_WHICH_TAIL {
			what = "tail"
		}
		return StreamCut{}, fromStatus("get "+what+" cut of "+stream, err)
	}
	cut := StreamCut{Stream: stream, Segments: make([]wire.SegmentOffset, 0, len(resp.GetSegments()))}
	for _, s := range resp.GetSegments() {
		cut.Segments = append(cut.Segments, wire.SegmentOffset{SegmentID: s.GetSegmentId(), Offset: s.GetOffset()})
	}
	sortBySegment(cut.Segments)
	return cut, nil
}

func segmentRange(r *braidv1.SegmentRange) SegmentRange {
	return SegmentRange{ID: r.GetSegmentId(), KeyLow: r.GetKeyLow(), KeyHigh: r.GetKeyHigh()}
}

func unixMilli(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}

func streamInfo(s *braidv1.StreamInfo) StreamInfo {
	info := StreamInfo{
		Scope:    s.GetScope(),
		Name:     s.GetStream(),
		Segments: int(s.GetConfig().GetSegments()),
		Sealed:   s.GetSealed(),
		Created:  unixMilli(s.GetCreatedUnixMs()),
	}
	for _, e := range s.GetEpochs() {
		ep := Epoch{Epoch: e.GetEpoch(), Created: unixMilli(e.GetCreatedUnixMs())}
		for _, r := range e.GetSegments() {
			ep.Segments = append(ep.Segments, segmentRange(r))
		}
		info.Epochs = append(info.Epochs, ep)
	}
	if n := len(info.Epochs); n > 0 {
		info.Segments = len(info.Epochs[n-1].Segments)
	}
	return info
}
