package httpapi

import (
	"slices"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/controller"
)

// The JSON forms of the admin routes: requests, streams, policies, cuts.
// Field names are snake_case; segment ids are JSON numbers (epoch<<32 |
// number); durations are Go duration strings; times are RFC 3339.

// streamJSON describes a stream.
type streamJSON struct {
	Scope   string    `json:"scope"`
	Stream  string    `json:"stream"`
	Name    string    `json:"name"` // "scope/stream"
	Sealed  bool      `json:"sealed"`
	Created time.Time `json:"created"`
	// Segments are the current segments with their lengths.
	Segments []segmentJSON `json:"segments"`
	// Epochs lists every layout of the stream's segments, oldest first.
	Epochs    []epochJSON    `json:"epochs"`
	Retention *retentionJSON `json:"retention,omitempty"`
	Scaling   *scalingJSON   `json:"scaling,omitempty"`
	// TimestampTimeout is how long a writer that notes time holds the
	// watermark back without noting again (a Go duration, "30s").
	TimestampTimeout string `json:"timestamp_timeout"`
	// ScopeCreated is set when creating the stream also created its scope.
	ScopeCreated bool `json:"scope_created,omitempty"`
}

// segmentJSON is a current segment.
type segmentJSON struct {
	ID          uint64  `json:"id"`
	KeyLow      float64 `json:"key_low"`
	KeyHigh     float64 `json:"key_high"`
	Length      int64   `json:"length"`
	StartOffset int64   `json:"start_offset"`
	Sealed      bool    `json:"sealed"`
}

// epochJSON is one layout of a stream's segments.
type epochJSON struct {
	Epoch    uint32      `json:"epoch"`
	Created  time.Time   `json:"created"`
	Segments []rangeJSON `json:"segments"`
}

// rangeJSON is a segment and the key range [key_low, key_high) it owns.
type rangeJSON struct {
	ID      uint64  `json:"id"`
	KeyLow  float64 `json:"key_low"`
	KeyHigh float64 `json:"key_high"`
}

// cutJSON is a stream cut: its text and its entries.
type cutJSON struct {
	Cut      string         `json:"cut"`
	Segments []cutEntryJSON `json:"segments"`
}

type cutEntryJSON struct {
	Segment uint64 `json:"segment"`
	Offset  int64  `json:"offset"`
}

// retentionJSON is a retention policy: by time (min_time, max_time) or by
// size (min_bytes, max_bytes). In an update, type "none" removes it.
type retentionJSON struct {
	Type     string `json:"type"`
	MinTime  string `json:"min_time,omitempty"`
	MaxTime  string `json:"max_time,omitempty"`
	MinBytes *int64 `json:"min_bytes,omitempty"`
	MaxBytes *int64 `json:"max_bytes,omitempty"`
}

// scalingJSON is a scaling policy: kind events or bytes with its target
// rate per segment, or kind fixed (no policy).
type scalingJSON struct {
	Kind        string `json:"kind"`
	Target      int64  `json:"target,omitempty"`
	ScaleFactor int    `json:"scale_factor,omitempty"`
	MinSegments int    `json:"min_segments,omitempty"`
}

// createStreamRequest is the optional body of PUT /v1/streams/{scope}/{stream}.
type createStreamRequest struct {
	Segments  *int           `json:"segments"`
	Retention *retentionJSON `json:"retention"`
	Scaling   *scalingJSON   `json:"scaling"`
	// TimestampTimeout is a Go duration ("30s"); absent: the default.
	TimestampTimeout *string `json:"timestamp_timeout"`
	// CreateScope defaults to true over HTTP.
	CreateScope *bool `json:"create_scope"`
}

// updateStreamRequest is the body of PATCH /v1/streams/{scope}/{stream}.
type updateStreamRequest struct {
	Retention        *retentionJSON `json:"retention"`
	Scaling          *scalingJSON   `json:"scaling"`
	TimestampTimeout *string        `json:"timestamp_timeout"`
}

// timestampTimeout parses a timestamp aggregation timeout (nil: 0).
func timestampTimeout(v *string) (time.Duration, error) {
	if v == nil {
		return 0, nil
	}
	d, err := time.ParseDuration(*v)
	if err != nil || d <= 0 || d > 7*24*time.Hour {
		return 0, badRequest("timestamp_timeout %q is not a duration from 1ms to 168h (\"30s\", \"5m\")", *v)
	}
	return d, nil
}

// truncateRequest is the body of POST .../truncate.
type truncateRequest struct {
	Cut string `json:"cut"`
}

// scaleRequest is the body of POST .../scale: split one segment, or merge
// neighbours.
type scaleRequest struct {
	Split *uint64  `json:"split"`
	Parts int      `json:"parts"`
	Merge []uint64 `json:"merge"`
}

// streamOf converts a stream description. Current segments come from
// info.Current, which only GetStream fills.
func streamOf(info braid.StreamInfo) streamJSON {
	s := streamJSON{
		Scope: info.Scope, Stream: info.Name, Name: info.Scope + "/" + info.Name,
		Sealed: info.Sealed, Created: info.Created.UTC(),
		Segments:         make([]segmentJSON, 0, len(info.Current)),
		Epochs:           make([]epochJSON, 0, len(info.Epochs)),
		Retention:        retentionOf(info.Retention),
		Scaling:          scalingOf(info.Scaling),
		ScopeCreated:     info.ScopeCreated,
		TimestampTimeout: info.TimestampTimeout.String(),
	}
	for _, seg := range info.Current {
		s.Segments = append(s.Segments, segmentJSON{ID: seg.ID, KeyLow: seg.KeyLow, KeyHigh: seg.KeyHigh,
			Length: seg.Length, StartOffset: seg.StartOffset, Sealed: seg.Sealed})
	}
	for _, ep := range info.Epochs {
		e := epochJSON{Epoch: ep.Epoch, Created: ep.Created.UTC(), Segments: make([]rangeJSON, 0, len(ep.Segments))}
		for _, seg := range ep.Segments {
			e.Segments = append(e.Segments, rangeJSON{ID: seg.ID, KeyLow: seg.KeyLow, KeyHigh: seg.KeyHigh})
		}
		s.Epochs = append(s.Epochs, e)
	}
	return s
}

// cutOf converts a stream cut.
func cutOf(c braid.StreamCut) cutJSON {
	out := cutJSON{Cut: c.String(), Segments: make([]cutEntryJSON, 0, len(c.Segments))}
	for _, so := range c.Segments {
		out.Segments = append(out.Segments, cutEntryJSON{Segment: so.SegmentID, Offset: so.Offset})
	}
	return out
}

func retentionOf(p *braid.RetentionPolicy) *retentionJSON {
	switch {
	case p == nil:
		return nil
	case p.Type == braid.RetentionBySize:
		minB, maxB := p.MinBytes, p.MaxBytes
		return &retentionJSON{Type: "size", MinBytes: &minB, MaxBytes: &maxB}
	default:
		return &retentionJSON{Type: "time", MinTime: p.MinTime.String(), MaxTime: p.MaxTime.String()}
	}
}

func scalingOf(p *braid.ScalingPolicy) *scalingJSON {
	if p == nil {
		return nil
	}
	kind := "events"
	if p.Kind == braid.ScaleByDataRate {
		kind = "bytes"
	}
	return &scalingJSON{Kind: kind, Target: p.Target, ScaleFactor: max(p.ScaleFactor, 2), MinSegments: max(p.MinSegments, 1)}
}

// policy checks a retention policy and converts it. With update, type
// "none" is allowed and returns nil (no retention).
func (r *retentionJSON) policy(update bool) (*braid.RetentionPolicy, error) {
	want := "time or size"
	if update {
		want = "time, size or none"
	}
	switch r.Type {
	case "":
		return nil, badRequest("retention.type is required: %s", want)
	case "none":
		if !update {
			break
		}
		if r.MinTime != "" || r.MaxTime != "" || r.MinBytes != nil || r.MaxBytes != nil {
			return nil, badRequest("retention.type none takes no other fields")
		}
		return nil, nil
	case "time":
		if r.MinBytes != nil || r.MaxBytes != nil {
			return nil, badRequest("retention.min_bytes and retention.max_bytes do not go with retention.type time (use min_time and max_time)")
		}
		if r.MaxTime == "" {
			return nil, badRequest("retention.max_time is required with retention.type time")
		}
		p := &braid.RetentionPolicy{Type: braid.RetentionByTime}
		var err error
		if p.MaxTime, err = retentionDuration("retention.max_time", r.MaxTime); err != nil {
			return nil, err
		}
		if p.MaxTime <= 0 {
			return nil, badRequest("retention.max_time must be more than 0, got %q", r.MaxTime)
		}
		if r.MinTime != "" {
			if p.MinTime, err = retentionDuration("retention.min_time", r.MinTime); err != nil {
				return nil, err
			}
			if p.MinTime > p.MaxTime {
				return nil, badRequest("retention.min_time %q is more than retention.max_time %q", r.MinTime, r.MaxTime)
			}
		}
		return p, nil
	case "size":
		if r.MinTime != "" || r.MaxTime != "" {
			return nil, badRequest("retention.min_time and retention.max_time do not go with retention.type size (use min_bytes and max_bytes)")
		}
		if r.MaxBytes == nil {
			return nil, badRequest("retention.max_bytes is required with retention.type size")
		}
		p := &braid.RetentionPolicy{Type: braid.RetentionBySize, MaxBytes: *r.MaxBytes}
		if p.MaxBytes <= 0 {
			return nil, badRequest("retention.max_bytes must be more than 0, got %d", p.MaxBytes)
		}
		if r.MinBytes != nil {
			p.MinBytes = *r.MinBytes
			if p.MinBytes < 0 {
				return nil, badRequest("retention.min_bytes must not be negative, got %d", p.MinBytes)
			}
			if p.MinBytes > p.MaxBytes {
				return nil, badRequest("retention.min_bytes %d is more than retention.max_bytes %d", p.MinBytes, p.MaxBytes)
			}
		}
		return p, nil
	}
	return nil, badRequest("retention.type must be %s, got %q", want, r.Type)
}

// retentionDuration parses a retention duration: a Go duration, not
// negative, in whole milliseconds (the store keeps milliseconds).
func retentionDuration(field, s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		return 0, badRequest("%s %q is not a duration: want a Go duration such as 90m, 36h or 168h", field, s)
	case d < 0:
		return 0, badRequest("%s must not be negative, got %q", field, s)
	case d%time.Millisecond != 0:
		return 0, badRequest("%s %q must be a whole number of milliseconds", field, s)
	}
	return d, nil
}

// policy checks a scaling policy and converts it; kind "fixed" returns
// nil. current is the stream's policy for an update (nil on create): the
// fields the request leaves out (zero) keep its values, as "braid stream
// update" does.
func (s *scalingJSON) policy(current *braid.ScalingPolicy, update bool) (*braid.ScalingPolicy, error) {
	p := &braid.ScalingPolicy{}
	if current != nil {
		*p = *current
	}
	switch s.Kind {
	case "fixed":
		if s.Target != 0 || s.ScaleFactor != 0 || s.MinSegments != 0 {
			return nil, badRequest("scaling.kind fixed takes no other fields")
		}
		return nil, nil
	case "events", "bytes":
		kind := braid.ScaleByEventRate
		if s.Kind == "bytes" {
			kind = braid.ScaleByDataRate
		}
		if s.Target == 0 && (current == nil || current.Kind != kind) {
			return nil, badRequest("scaling.target is required with scaling.kind %s (events or bytes per second per segment)", s.Kind)
		}
		p.Kind = kind
	case "":
		if current == nil {
			if update {
				return nil, badRequest("scaling.kind is required: the stream has no scaling policy to change (want events, bytes or fixed)")
			}
			return nil, badRequest("scaling.kind is required: events, bytes or fixed")
		}
	default:
		return nil, badRequest("scaling.kind must be events, bytes or fixed, got %q", s.Kind)
	}
	if s.Target < 0 {
		return nil, badRequest("scaling.target must be more than 0, got %d", s.Target)
	}
	if s.Target != 0 {
		p.Target = s.Target
	}
	if s.ScaleFactor != 0 {
		if s.ScaleFactor < 2 || s.ScaleFactor > controller.MaxSplit {
			return nil, badRequest("scaling.scale_factor must be 2 to %d, got %d", controller.MaxSplit, s.ScaleFactor)
		}
		p.ScaleFactor = s.ScaleFactor
	}
	if s.MinSegments != 0 {
		if s.MinSegments < 1 || s.MinSegments > controller.MaxSegments {
			return nil, badRequest("scaling.min_segments must be 1 to %d, got %d", controller.MaxSegments, s.MinSegments)
		}
		p.MinSegments = s.MinSegments
	}
	return p, nil
}

// config checks a create request and converts it.
func (req *createStreamRequest) config() (braid.StreamConfig, error) {
	cfg := braid.StreamConfig{Segments: 1, CreateScope: true}
	if req.Segments != nil {
		if n := *req.Segments; n < 1 || n > controller.MaxSegments {
			return cfg, badRequest("segments must be 1 to %d, got %d", controller.MaxSegments, n)
		}
		cfg.Segments = *req.Segments
	}
	if req.CreateScope != nil {
		cfg.CreateScope = *req.CreateScope
	}
	var err error
	if req.Retention != nil {
		if cfg.Retention, err = req.Retention.policy(false); err != nil {
			return cfg, err
		}
	}
	if req.Scaling != nil {
		if cfg.Scaling, err = req.Scaling.policy(nil, false); err != nil {
			return cfg, err
		}
	}
	if cfg.TimestampTimeout, err = timestampTimeout(req.TimestampTimeout); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// check checks a scale request's shape (the server checks the segments).
func (req *scaleRequest) check() error {
	switch {
	case req.Split != nil && req.Merge != nil:
		return badRequest("split and merge do not go together: give one")
	case req.Split != nil:
		if req.Parts == 0 {
			req.Parts = 2
		}
		if req.Parts < 2 || req.Parts > controller.MaxSplit {
			return badRequest("parts must be 2 to %d, got %d", controller.MaxSplit, req.Parts)
		}
	case req.Merge != nil:
		if req.Parts != 0 {
			return badRequest("parts goes with split, not merge")
		}
		if len(req.Merge) < 2 {
			return badRequest("merge needs at least 2 segment ids, got %d", len(req.Merge))
		}
		sorted := slices.Clone(req.Merge)
		slices.Sort(sorted)
		for i := 1; i < len(sorted); i++ {
			if sorted[i] == sorted[i-1] {
				return badRequest("merge names segment %d twice", sorted[i])
			}
		}
	default:
		return badRequest("give split (a segment id, with parts) or merge (segment ids)")
	}
	return nil
}
