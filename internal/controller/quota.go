package controller

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// ErrQuotaExceeded: a create or scale would take the server past one of
// its quotas (Quota).
var ErrQuotaExceeded = errors.New("quota exceeded")

// Quota bounds what the streams of one server may hold, so that a careless
// or hostile client cannot make the server keep state for millions of
// segments (every segment costs memory in the segment store and work in
// every checkpoint). Zero values take the defaults.
type Quota struct {
	// Streams bounds the streams of all scopes (default
	// DefaultMaxStreams).
	Streams int
	// Segments bounds the segments of all streams' current epochs: the
	// writable ones, which a scale replaces (default DefaultMaxSegments).
	// Sealed predecessors do not count.
	Segments int
}

// Quota defaults. One node serves up to 10,000 streams and 10,000 current
// segments, a stream up to MaxSegments (Kafka's guidance is a few thousand
// partitions per broker; NATS JetStream bounds streams per account).
const (
	DefaultMaxStreams  = 10000
	DefaultMaxSegments = 10000
)

func (q Quota) withDefaults() Quota {
	if q.Streams <= 0 {
		q.Streams = DefaultMaxStreams
	}
	if q.Segments <= 0 {
		q.Segments = DefaultMaxSegments
	}
	return q
}

// SetQuota sets the server's quotas (before the controller serves).
func (c *Controller) SetQuota(q Quota) { c.quota = q.withDefaults() }

// usageLocked counts the streams (any state) and the segments of their
// current epochs.
func (c *Controller) usageLocked(ctx context.Context) (streams, segments int, err error) {
	kvs, err := c.meta.List(ctx, "streams/")
	if err != nil {
		return 0, 0, err
	}
	for _, kv := range kvs {
		var rec StreamRecord
		if err := json.Unmarshal(kv.Value, &rec); err != nil {
			return 0, 0, fmt.Errorf("stream record %s: %w", kv.Key, err)
		}
		streams++
		if len(rec.Epochs) > 0 {
			segments += len(rec.Current().Segments)
		}
	}
	return streams, segments, nil
}

// checkQuotaLocked refuses a change that adds streams and segments (a
// scale adds its successors less what it seals) past the quota.
func (c *Controller) checkQuotaLocked(ctx context.Context, what string, addStreams, addSegments int) error {
	q := c.quota.withDefaults()
	streams, segments, err := c.usageLocked(ctx)
	if err != nil {
		return err
	}
	if addStreams > 0 && streams+addStreams > q.Streams {
		c.hits.Hit("max-streams")
		return fmt.Errorf("%w: %s: the server holds %d streams, its maximum (--max-streams %d); delete streams or raise the quota",
			ErrQuotaExceeded, what, streams, q.Streams)
	}
	if addSegments > 0 && segments+addSegments > q.Segments {
		c.hits.Hit("max-segments")
		return fmt.Errorf("%w: %s needs %d more segments; the server's streams have %d in their current epochs, and at most %d (--max-segments) are allowed: delete or merge segments of other streams, or raise the quota",
			ErrQuotaExceeded, what, addSegments, segments, q.Segments)
	}
	return nil
}
