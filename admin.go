package braid

import (
	"context"
	"errors"
	"fmt"
	"time"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/wire"
)

// MaxSegments is the largest number of segments a stream may start with.
const MaxSegments = 1024

// StreamConfig configures a stream.
type StreamConfig struct {
	// Segments is the number of segments the stream starts with, 1 to
	// 1024; 0 means 1. The key space [0,1) is split into equal ranges.
	// UpdateStream cannot change it: there 0 (or the same number) leaves
	// it as it is.
	Segments int
	// Retention bounds how much of the stream is kept; nil keeps
	// everything.
	Retention *RetentionPolicy
	// Scaling makes the server split and merge segments with the load;
	// nil keeps the segment count fixed.
	Scaling *ScalingPolicy
	// TimestampTimeout is how long a writer that notes time
	// (Writer.NoteTime) holds the stream's watermark back without noting
	// again; after it, the writer no longer counts. 0 means the server's
	// default (30 seconds) in CreateStream, and no change in UpdateStream;
	// at most 7 days.
	TimestampTimeout time.Duration
	// CreateScope creates the stream's scope if it does not exist. Only
	// CreateStream takes it.
	CreateScope bool
}

// proto checks cfg for a create of stream and returns it as sent.
func (cfg StreamConfig) proto(stream string) (*braidv1.StreamConfig, error) {
	segs := cfg.Segments
	if segs == 0 {
		segs = 1
	}
	if segs < 1 || segs > MaxSegments {
		return nil, newError(wire.CodeInvalidArgument, fmt.Sprintf("stream %s: %d segments (want 1 to %d)", stream, cfg.Segments, MaxSegments))
	}
	if cfg.Retention != nil {
		if err := cfg.Retention.validate(); err != nil {
			return nil, newError(wire.CodeInvalidArgument, "stream "+stream+": "+err.Error())
		}
	}
	return &braidv1.StreamConfig{Segments: uint32(segs), Retention: cfg.Retention.proto(), Scaling: cfg.Scaling.proto(),
		TimestampAggregationTimeoutMs: cfg.TimestampTimeout.Milliseconds()}, nil
}

// RetentionType says what a retention policy bounds.
type RetentionType int

// Retention types.
const (
	// RetentionByTime removes events once they are older than MaxTime.
	RetentionByTime RetentionType = iota + 1
	// RetentionBySize removes the oldest events once the stream holds
	// more than MaxBytes.
	RetentionBySize
)

// String returns "time" or "size".
func (t RetentionType) String() string {
	switch t {
	case RetentionByTime:
		return "time"
	case RetentionBySize:
		return "size"
	}
	return fmt.Sprintf("RetentionType(%d)", int(t))
}

// RetentionPolicy bounds a stream by time or by size, each with a minimum
// and a maximum, as Pravega's do. The server enforces it in the
// background: at every retention pass (every minute by default) it records
// the stream's tail as a stream cut, and truncates the stream at the
// recorded cut the policy picks. Reads and fetches below it then fail with
// ErrTruncated, as after TruncateStream. Limits therefore hold at the
// granularity of the passes.
//
// By time (RetentionByTime): events are removed once older than MaxTime
// (at most one pass later), and never while younger than MinTime. MaxTime
// must be positive and 0 <= MinTime <= MaxTime; both count in whole
// milliseconds.
//
// By size (RetentionBySize): once the stream holds more than MaxBytes, it is
// truncated at the oldest recorded cut that keeps at most MaxBytes, but
// never at one that keeps less than MinBytes: then at the newest one that
// keeps at least MinBytes, which may keep more than MaxBytes. With MinBytes
// 0, a burst of more than MaxBytes between two passes empties the stream.
// MaxBytes must be positive and 0 <= MinBytes <= MaxBytes.
type RetentionPolicy struct {
	Type               RetentionType
	MinTime, MaxTime   time.Duration
	MinBytes, MaxBytes int64
}

// validate checks the policy as the server does, naming the field.
func (p *RetentionPolicy) validate() error {
	var problem string
	switch p.Type {
	case RetentionByTime:
		switch {
		case p.MaxTime < time.Millisecond:
			problem = fmt.Sprintf("MaxTime %v must be at least 1ms", p.MaxTime)
		case p.MinTime < 0:
			problem = fmt.Sprintf("MinTime %v must not be negative", p.MinTime)
		case p.MinTime > p.MaxTime:
			problem = fmt.Sprintf("MinTime %v is more than MaxTime %v", p.MinTime, p.MaxTime)
		case p.MinBytes != 0 || p.MaxBytes != 0:
			problem = "MinBytes and MaxBytes must be 0 with RetentionByTime"
		}
	case RetentionBySize:
		switch {
		case p.MaxBytes <= 0:
			problem = fmt.Sprintf("MaxBytes %d must be positive", p.MaxBytes)
		case p.MinBytes < 0:
			problem = fmt.Sprintf("MinBytes %d must not be negative", p.MinBytes)
		case p.MinBytes > p.MaxBytes:
			problem = fmt.Sprintf("MinBytes %d is more than MaxBytes %d", p.MinBytes, p.MaxBytes)
		case p.MinTime != 0 || p.MaxTime != 0:
			problem = "MinTime and MaxTime must be 0 with RetentionBySize"
		}
	default:
		problem = fmt.Sprintf("Type %v: want RetentionByTime or RetentionBySize", p.Type)
	}
	if problem != "" {
		return errors.New("retention: " + problem)
	}
	return nil
}

func (p *RetentionPolicy) proto() *braidv1.RetentionPolicy {
	if p == nil {
		return nil
	}
	if p.Type == RetentionBySize {
		return &braidv1.RetentionPolicy{Policy: &braidv1.RetentionPolicy_BySize{
			BySize: &braidv1.RetentionBySize{MinBytes: p.MinBytes, MaxBytes: p.MaxBytes}}}
	}
	return &braidv1.RetentionPolicy{Policy: &braidv1.RetentionPolicy_ByTime{
		ByTime: &braidv1.RetentionByTime{MinMs: p.MinTime.Milliseconds(), MaxMs: p.MaxTime.Milliseconds()}}}
}

func retentionPolicy(r *braidv1.RetentionPolicy) *RetentionPolicy {
	switch p := r.GetPolicy().(type) {
	case *braidv1.RetentionPolicy_ByTime:
		return &RetentionPolicy{Type: RetentionByTime,
			MinTime: time.Duration(p.ByTime.GetMinMs()) * time.Millisecond,
			MaxTime: time.Duration(p.ByTime.GetMaxMs()) * time.Millisecond}
	case *braidv1.RetentionPolicy_BySize:
		return &RetentionPolicy{Type: RetentionBySize, MinBytes: p.BySize.GetMinBytes(), MaxBytes: p.BySize.GetMaxBytes()}
	}
	return nil
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
	// Retention is the stream's retention policy; nil keeps everything.
	Retention *RetentionPolicy
	// Scaling is the stream's auto-scaling policy; nil is fixed.
	Scaling *ScalingPolicy
	// TimestampTimeout is the stream's timestamp aggregation timeout (see
	// StreamConfig).
	TimestampTimeout time.Duration
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
	pc, err := cfg.proto(stream)
	if err != nil {
		return StreamInfo{}, err
	}
	resp, err := c.admin.CreateStream(ctx, &braidv1.CreateStreamRequest{
		Scope:       scope,
		Stream:      name,
		Config:      pc,
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

// UpdateStream changes a stream's configuration and returns the stream as
// it is then. Only the retention and scaling policies can change:
// cfg.Retention replaces the stream's (nil removes it, and with it the
// stream's recorded cuts), and so does cfg.Scaling (nil is fixed).
// cfg.Segments must be 0 or the stream's segment count, and
// cfg.CreateScope false; anything else fails with ErrInvalidArgument.
func (c *Client) UpdateStream(ctx context.Context, stream string, cfg StreamConfig) (StreamInfo, error) {
	scope, name, err := splitStream(stream)
	if err != nil {
		return StreamInfo{}, err
	}
	if cfg.CreateScope {
		return StreamInfo{}, newError(wire.CodeInvalidArgument, "update stream "+stream+": CreateScope is for CreateStream only")
	}
	if cfg.Segments < 0 || cfg.Segments > MaxSegments {
		return StreamInfo{}, newError(wire.CodeInvalidArgument, fmt.Sprintf("update stream %s: %d segments (want 0 to keep them)", stream, cfg.Segments))
	}
	if cfg.Retention != nil {
		if err := cfg.Retention.validate(); err != nil {
			return StreamInfo{}, newError(wire.CodeInvalidArgument, "update stream "+stream+": "+err.Error())
		}
	}
	resp, err := c.admin.UpdateStream(ctx, &braidv1.UpdateStreamRequest{
		Scope:  scope,
		Stream: name,
		Config: &braidv1.StreamConfig{Segments: uint32(cfg.Segments), Retention: cfg.Retention.proto(), Scaling: cfg.Scaling.proto(),
			TimestampAggregationTimeoutMs: cfg.TimestampTimeout.Milliseconds()},
	})
	if err != nil {
		return StreamInfo{}, fromStatus("update stream "+stream, err)
	}
	return streamInfo(resp.GetStream()), nil
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

// StreamCutAt returns the stream cut at time t: in each segment of the
// epoch current at t, the first event appended at or after t (from the
// segments' time index; see FromTime for its precision). Before the
// stream's head it is the head; after the tail, the tail.
func (c *Client) StreamCutAt(ctx context.Context, stream string, t time.Time) (StreamCut, error) {
	if t.UnixNano() <= 0 {
		return StreamCut{}, newError(wire.CodeInvalidArgument, "cut of "+stream+" at "+t.String()+": the time is not after 1970")
	}
	return c.streamCutReq(ctx, stream, braidv1.GetStreamCutRequest_WHICH_TIME, t.UnixNano())
}

func (c *Client) streamCut(ctx context.Context, stream string, which braidv1.GetStreamCutRequest_Which) (StreamCut, error) {
	return c.streamCutReq(ctx, stream, which, 0)
}

func (c *Client) streamCutReq(ctx context.Context, stream string, which braidv1.GetStreamCutRequest_Which, at int64) (StreamCut, error) {
	scope, name, err := splitStream(stream)
	if err != nil {
		return StreamCut{}, err
	}
	resp, err := c.data.GetStreamCut(ctx, &braidv1.GetStreamCutRequest{Scope: scope, Stream: name, Which: which, TimeUnixNanos: at})
	if err != nil {
		what := "head"
		switch which {
		case braidv1.GetStreamCutRequest_WHICH_TAIL:
			what = "tail"
		case braidv1.GetStreamCutRequest_WHICH_TIME:
			what = "time"
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
		Scope:            s.GetScope(),
		Name:             s.GetStream(),
		Segments:         int(s.GetConfig().GetSegments()),
		Sealed:           s.GetSealed(),
		Retention:        retentionPolicy(s.GetConfig().GetRetention()),
		Scaling:          scalingPolicy(s.GetConfig().GetScaling()),
		TimestampTimeout: time.Duration(s.GetConfig().GetTimestampAggregationTimeoutMs()) * time.Millisecond,
		Created:          unixMilli(s.GetCreatedUnixMs()),
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
