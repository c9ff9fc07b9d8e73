package controller

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/braidstream/braid/internal/meta"
)

// Retention policy types.
const (
	RetentionTime = "time"
	RetentionSize = "size"
)

// DefaultRetentionInterval is how often RunRetention runs a pass when given
// no interval. It is also the granularity of retention by time.
const DefaultRetentionInterval = time.Minute

// Bounds of a stream's retention log: at most maxRetentionRecords records,
// and at most maxRetentionOffsets segment offsets in all, so that a stream
// with many segments keeps fewer records. Never fewer than
// minRetentionRecords.
const (
	maxRetentionRecords = 10000
	maxRetentionOffsets = 1 << 16
	minRetentionRecords = 16
)

// Retention is a stream's retention policy, by time or by size, each with a
// minimum and a maximum as in Pravega.
//
// By time, events older than MaxTime are removed, at the granularity of the
// retention interval (an event goes at most one interval after it is
// MaxTime old); events younger than MinTime are never removed.
//
// By size, once the stream holds more than MaxBytes, it is truncated at the
// oldest recorded cut that leaves at most MaxBytes, but never at one that
// leaves less than MinBytes: then at the newest recorded cut that leaves at
// least MinBytes, which may be more than MaxBytes. Recorded cuts are the
// stream's tail at each retention pass, so the stream may hold up to one
// interval's worth of appends more than MaxBytes between passes.
type Retention struct {
	// Type is RetentionTime or RetentionSize.
	Type string `json:"type"`
	// MinTime and MaxTime bound retention by time (0 <= MinTime <=
	// MaxTime, MaxTime > 0).
	MinTime time.Duration `json:"min_time,omitempty"`
	MaxTime time.Duration `json:"max_time,omitempty"`
	// MinBytes and MaxBytes bound retention by size (0 <= MinBytes <=
	// MaxBytes, MaxBytes > 0).
	MinBytes int64 `json:"min_bytes,omitempty"`
	MaxBytes int64 `json:"max_bytes,omitempty"`
}

// Validate reports every problem with the policy, wrapping
// ErrInvalidArgument.
func (r *Retention) Validate() error {
	var errs []error
	switch r.Type {
	case RetentionTime:
		if r.MaxTime <= 0 {
			errs = append(errs, fmt.Errorf("max time %v must be positive", r.MaxTime))
		}
		if r.MinTime < 0 {
			errs = append(errs, fmt.Errorf("min time %v must not be negative", r.MinTime))
		} else if r.MaxTime > 0 && r.MinTime > r.MaxTime {
			errs = append(errs, fmt.Errorf("min time %v is more than max time %v", r.MinTime, r.MaxTime))
		}
		if r.MinBytes != 0 || r.MaxBytes != 0 {
			errs = append(errs, errors.New("min bytes and max bytes must be 0 (they are for retention by size)"))
		}
	case RetentionSize:
		if r.MaxBytes <= 0 {
			errs = append(errs, fmt.Errorf("max bytes %d must be positive", r.MaxBytes))
		}
		if r.MinBytes < 0 {
			errs = append(errs, fmt.Errorf("min bytes %d must not be negative", r.MinBytes))
		} else if r.MaxBytes > 0 && r.MinBytes > r.MaxBytes {
			errs = append(errs, fmt.Errorf("min bytes %d is more than max bytes %d", r.MinBytes, r.MaxBytes))
		}
		if r.MinTime != 0 || r.MaxTime != 0 {
			errs = append(errs, errors.New("min time and max time must be 0 (they are for retention by time)"))
		}
	default:
		errs = append(errs, fmt.Errorf("type %q: want %q or %q", r.Type, RetentionTime, RetentionSize))
	}
	if len(errs) == 0 {
		return nil
	}
	return invalid(fmt.Errorf("retention: %w", errors.Join(errs...)))
}

// String describes the policy, as in logs.
func (r *Retention) String() string {
	if r == nil {
		return "none"
	}
	if r.Type == RetentionSize {
		return fmt.Sprintf("size (min %d bytes, max %d bytes)", r.MinBytes, r.MaxBytes)
	}
	return fmt.Sprintf("time (min %v, max %v)", r.MinTime, r.MaxTime)
}

func retentionKey(scope, stream string) string { return "retention/" + scope + "/" + stream }

// retentionLog is what the metadata store holds under retentionKey: the
// stream's tail cut as recorded by retention passes, oldest first.
type retentionLog struct {
	// Segments lists the stream's segments, all epochs, in epoch order;
	// each record's Offsets line up with a prefix of it (segments created
	// after a record was made are not in it: their offset there is 0).
	Segments []uint64          `json:"segments"`
	Records  []retentionRecord `json:"records"`
}

// retentionRecord is a stream's tail cut at one time.
type retentionRecord struct {
	// UnixMs is when the cut was recorded.
	UnixMs int64 `json:"ms"`
	// Total is the sum of the segments' lengths then: how many bytes the
	// stream had ever taken.
	Total int64 `json:"total"`
	// Offsets holds each segment's length then, in Segments order.
	Offsets []int64 `json:"offsets"`
}

func (r *retentionRecord) time() time.Time { return time.UnixMilli(r.UnixMs) }

// offset returns the record's offset for the i-th segment of the log.
func (r *retentionRecord) offset(i int) int64 {
	if i < len(r.Offsets) {
		return r.Offsets[i]
	}
	return 0
}

// RunRetention enforces the streams' retention policies: it runs a
// RetentionPass at once and then every interval (DefaultRetentionInterval
// if interval is not positive) until ctx ends. A failed pass is logged; the
// next one tries again. It returns when ctx ends; the caller owns the
// goroutine that runs it.
func (c *Controller) RunRetention(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = DefaultRetentionInterval
	}
	t := c.newTicker(interval)
	defer t.Stop()
	for {
		if err := c.RetentionPass(ctx); err != nil && ctx.Err() == nil {
			c.log.Warn("retention pass failed", slog.Any("err", err))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C():
		}
	}
}

// RetentionPass applies the retention policies once. For each active or
// sealed stream with a policy, it records the stream's tail cut (unless it
// equals the last one recorded) and truncates the stream at the recorded cut
// the policy chooses, if that moves the stream's start forward. A failure
// with one stream is logged and does not stop the others; the returned error
// says only that the pass could not run (the stream list could not be read,
// or ctx ended).
func (c *Controller) RetentionPass(ctx context.Context) error {
	kvs, err := c.meta.List(ctx, "streams/")
	if err != nil {
		return fmt.Errorf("retention: listing streams: %w", err)
	}
	for _, kv := range kvs {
		if err := ctx.Err(); err != nil {
			return err
		}
		var rec StreamRecord
		if err := json.Unmarshal(kv.Value, &rec); err != nil {
			c.log.Error("retention: bad stream record", slog.String("key", kv.Key), slog.Any("err", err))
			continue
		}
		if rec.Config.Retention == nil {
			continue
		}
		if err := c.retainStream(ctx, rec.Scope, rec.Name); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			c.log.Error("retention failed", slog.String("stream", rec.Qualified()), slog.Any("err", err))
		}
	}
	return nil
}

// retainStream records a stream's tail cut and applies its policy. It holds
// c.mu, so that a stream deleted meanwhile leaves no records behind.
func (c *Controller) retainStream(ctx context.Context, scope, name string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	rec, _, err := c.get(ctx, scope, name)
	if errors.Is(err, ErrStreamNotFound) {
		return nil // deleted since the pass listed it
	}
	if err != nil {
		return err
	}
	policy := rec.Config.Retention
	if policy == nil || (rec.State != StateActive && rec.State != StateSealed) {
		return nil
	}

	// Every segment of every epoch, so that the records stay right when a
	// stream has scaled: the total counts sealed predecessors too.
	var ids []uint64
	var tail, start []int64
	var total, kept int64
	for _, e := range rec.Epochs {
		for _, s := range e.Segments {
			info, err := c.segs.Info(ctx, SegmentName(scope, name, s.ID))
			if err != nil {
				return err
			}
			ids = append(ids, s.ID)
			tail = append(tail, info.Length)
			start = append(start, info.Start)
			total += info.Length
			kept += info.Length - info.Start
		}
	}

	log, ver, err := c.loadRetention(ctx, scope, name)
	if err != nil {
		return err
	}
	changed := false
	if len(log.Segments) > len(ids) || !slices.Equal(log.Segments, ids[:len(log.Segments)]) {
		// Not this stream's segments: start afresh.
		log = retentionLog{}
		changed = true
	}
	if len(log.Segments) != len(ids) {
		log.Segments = ids
		changed = true
	}
	now := c.now()
	if n := len(log.Records); n == 0 || !slices.Equal(log.Records[n-1].Offsets, tail) {
		log.Records = append(log.Records, retentionRecord{UnixMs: now.UnixMilli(), Total: total, Offsets: tail})
		changed = true
	}
	if limit := retentionLimit(len(ids)); len(log.Records) > limit {
		log.Records = thinRecords(log.Records, limit)
		changed = true
	}

	if i := chooseCut(policy, log.Records, now, total, kept); i >= 0 && movesForward(&log.Records[i], start) {
		r := &log.Records[i]
		cut := make(map[uint64]int64, len(ids))
		var removed int64
		for j, id := range ids {
			if off := r.offset(j); off > start[j] {
				cut[id] = off
				removed += off - start[j]
			}
		}
		if err := c.truncateLocked(ctx, rec, cut); err != nil {
			if changed {
				// Keep the new record; the next pass tries again.
				_, _ = c.meta.Put(ctx, retentionKey(scope, name), mustJSON(log), ver)
			}
			return fmt.Errorf("truncating at the cut recorded at %s: %w", r.time().UTC().Format(time.RFC3339), err)
		}
		for j, id := range ids {
			if off, ok := cut[id]; ok {
				start[j] = off
			}
		}
		c.log.Info("retention truncated stream",
			slog.String("stream", rec.Qualified()),
			slog.String("policy", policy.String()),
			slog.Int64("bytes_removed", removed),
			slog.Time("cut_time", r.time().UTC()))
	}

	// Records at or below the stream's start in every segment can no
	// longer move it; keep only the newest of them.
	drop := 0
	for i := range log.Records {
		if !movesForward(&log.Records[i], start) {
			drop = i
		}
	}
	if drop > 0 {
		log.Records = slices.Delete(log.Records, 0, drop)
		changed = true
	}
	if !changed {
		return nil
	}
	_, err = c.meta.Put(ctx, retentionKey(scope, name), mustJSON(log), ver)
	return err
}

// loadRetention returns a stream's retention log and its version (0 when
// there is none yet).
func (c *Controller) loadRetention(ctx context.Context, scope, name string) (retentionLog, int64, error) {
	var log retentionLog
	kv, err := c.meta.Get(ctx, retentionKey(scope, name))
	if errors.Is(err, meta.ErrNotFound) {
		return log, meta.Absent, nil
	}
	if err != nil {
		return log, 0, err
	}
	if err := json.Unmarshal(kv.Value, &log); err != nil {
		// Unreadable records only cost precision: start afresh.
		c.log.Error("retention: bad retention records, starting afresh",
			slog.String("stream", scope+"/"+name), slog.Any("err", err))
		return retentionLog{}, kv.Version, nil
	}
	return log, kv.Version, nil
}

// deleteRetentionLocked removes a stream's retention records, if any.
func (c *Controller) deleteRetentionLocked(ctx context.Context, scope, name string) error {
	err := c.meta.Delete(ctx, retentionKey(scope, name), meta.Any)
	if errors.Is(err, meta.ErrNotFound) {
		return nil
	}
	return err
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only plain structs of numbers and strings are marshaled
	}
	return b
}

// retentionLimit is how many records a stream with n segments keeps.
func retentionLimit(n int) int {
	return max(minRetentionRecords, min(maxRetentionRecords, maxRetentionOffsets/max(n, 1)))
}

// thinRecords halves the records until they fit in limit, keeping the
// oldest and the newest. Dropping only the oldest records instead would
// shorten the time they span, and a policy by time whose MaxTime is longer
// than that span would never find a cut old enough.
func thinRecords(recs []retentionRecord, limit int) []retentionRecord {
	for len(recs) > limit {
		last := recs[len(recs)-1]
		out := recs[:0]
		for i := 0; i < len(recs)-1; i += 2 {
			out = append(out, recs[i])
		}
		recs = append(out, last)
	}
	return recs
}

// chooseCut returns the index of the record the policy truncates at, or -1.
// Records are oldest first; total is the stream's current total of segment
// lengths and kept how many of those bytes are still readable.
func chooseCut(p *Retention, recs []retentionRecord, now time.Time, total, kept int64) int {
	switch p.Type {
	case RetentionTime:
		// The newest cut at least MaxTime old, but none younger than
		// MinTime.
		oldest, youngest := now.Add(-p.MaxTime), now.Add(-p.MinTime)
		choice := -1
		for i := range recs {
			if t := recs[i].time(); !t.After(oldest) && !t.After(youngest) {
				choice = i
			}
		}
		return choice
	case RetentionSize:
		if kept <= p.MaxBytes {
			return -1
		}
		// Truncating at a record keeps what was written after it.
		keeps := func(i int) int64 { return total - recs[i].Total }
		for i := range recs {
			if keeps(i) > p.MaxBytes {
				continue
			}
			if keeps(i) >= p.MinBytes {
				return i
			}
			// The oldest cut under MaxBytes keeps less than MinBytes:
			// take the newest cut that keeps at least MinBytes.
			for j := i - 1; j >= 0; j-- {
				if keeps(j) >= p.MinBytes {
					return j
				}
			}
			return -1
		}
		// No cut keeps at most MaxBytes: go as far as MinBytes allows.
		for j := len(recs) - 1; j >= 0; j-- {
			if keeps(j) >= p.MinBytes {
				return j
			}
		}
	}
	return -1
}

// movesForward reports whether truncating at r moves some segment's start
// (start holds them in the log's segment order) forward.
func movesForward(r *retentionRecord, start []int64) bool {
	for i, s := range start {
		if r.offset(i) > s {
			return true
		}
	}
	return false
}
