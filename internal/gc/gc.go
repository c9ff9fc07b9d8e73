// Package gc finds and deletes stale streams: streams with no append and
// no read for a while, on request (braid gc --inactive) or by a scope's
// inactive-ttl policy, which the server applies by itself. Ephemeral
// streams and the streams of ephemeral scopes are never touched (they go
// with their holders); every deletion is recorded in the cleanup log.
package gc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/braidstream/braid/internal/activity"
	"github.com/braidstream/braid/internal/audit"
	"github.com/braidstream/braid/internal/controller"
	"github.com/braidstream/braid/internal/ephemeral"
	"github.com/braidstream/braid/internal/meta"
	"github.com/braidstream/braid/wire"
)

// MinInactive bounds the inactivity taken, by default: a shorter one
// would collect streams between a program's writes.
const MinInactive = time.Minute

// MaxInactive bounds a policy's inactivity.
const MaxInactive = 10 * 365 * 24 * time.Hour

const policyPrefix = "scopepolicy/"

// ErrInvalid wraps a refused request.
var ErrInvalid = errors.New("invalid gc request")

// Collector finds and deletes stale streams.
type Collector struct {
	Ctrl      *controller.Controller
	Ephemeral *ephemeral.Manager
	Activity  *activity.Tracker
	Log       *audit.Log
	Meta      meta.Store
	Logger    *slog.Logger
	// Min is the shortest inactivity taken (0: MinInactive).
	Min time.Duration
}

// Stream is a stale stream with its last activity.
type Stream struct {
	Rec   *controller.StreamRecord
	Times activity.Times
}

func (c *Collector) min() time.Duration {
	if c.Min > 0 {
		return c.Min
	}
	return MinInactive
}

// CheckInactive refuses an inactivity that is too short or too long.
func (c *Collector) CheckInactive(d time.Duration) error {
	if d < c.min() || d > MaxInactive {
		return fmt.Errorf("%w: inactive %s: want %s to %s", ErrInvalid, d, c.min(), MaxInactive)
	}
	return nil
}

// lastActive is when rec was last written or read, or created.
func lastActive(rec *controller.StreamRecord, ts activity.Times) time.Time {
	t := rec.Created
	if ts.Write.After(t) {
		t = ts.Write
	}
	if ts.Read.After(t) {
		t = ts.Read
	}
	return t
}

// NotCollectable says why rec may not be collected for inactive, or "".
func (c *Collector) NotCollectable(rec *controller.StreamRecord, inactive time.Duration, now time.Time) string {
	if !c.Ephemeral.Loaded() {
		return "the ephemeral leases are not loaded yet (a new cluster leader)"
	}
	if _, ok := c.Ephemeral.Get(rec.Scope, rec.Name); ok {
		return "ephemeral: it goes with its holders"
	}
	if _, ok := c.Ephemeral.Get(rec.Scope, ""); ok {
		return "in an ephemeral scope: it goes with the scope"
	}
	if since := now.Sub(lastActive(rec, c.Activity.Get(rec.Scope, rec.Name))); since < inactive {
		return "active " + since.Round(time.Second).String() + " ago"
	}
	return ""
}

// Inactive lists the streams of scope (all when "") inactive for d.
func (c *Collector) Inactive(ctx context.Context, scope string, d time.Duration) ([]Stream, error) {
	if err := c.CheckInactive(d); err != nil {
		return nil, err
	}
	if err := c.Activity.Refresh(ctx); err != nil {
		return nil, fmt.Errorf("reading the streams' last activity: %w", err)
	}
	scopes := []string{scope}
	if scope == "" {
		var err error
		if scopes, err = c.Ctrl.ListScopes(ctx); err != nil {
			return nil, err
		}
	}
	now := time.Now()
	var out []Stream
	for _, sc := range scopes {
		recs, err := c.Ctrl.ListStreams(ctx, sc)
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			if c.NotCollectable(rec, d, now) == "" {
				out = append(out, Stream{Rec: rec, Times: c.Activity.Get(rec.Scope, rec.Name)})
			}
		}
	}
	return out, nil
}

// Collect deletes those of names (SCOPE/STREAM) still inactive for d,
// recording each with rule; skipped says why for the others.
func (c *Collector) Collect(ctx context.Context, names []string, d time.Duration, rule, by string) (deleted []string, skipped map[string]string, err error) {
	if err := c.CheckInactive(d); err != nil {
		return nil, nil, err
	}
	if err := c.Activity.Refresh(ctx); err != nil {
		return nil, nil, fmt.Errorf("reading the streams' last activity: %w", err)
	}
	skipped = map[string]string{}
	for _, name := range names {
		scope, stream, err := wire.SplitStream(name)
		if err != nil {
			skipped[name] = strings.TrimPrefix(err.Error(), "wire: ")
			continue
		}
		rec, err := c.Ctrl.GetStream(ctx, scope, stream)
		if err != nil {
			skipped[name] = err.Error()
			if errors.Is(err, controller.ErrStreamNotFound) || errors.Is(err, controller.ErrScopeNotFound) {
				skipped[name] = "not found"
			}
			continue
		}
		if why := c.NotCollectable(rec, d, time.Now()); why != "" {
			skipped[name] = why
			continue
		}
		last := lastActive(rec, c.Activity.Get(scope, stream))
		if err := c.Ctrl.DeleteStream(ctx, scope, stream); err != nil {
			skipped[name] = "delete failed: " + err.Error()
			continue
		}
		deleted = append(deleted, name)
		if err := c.Log.Record(ctx, audit.Entry{Action: "delete", Kind: "stream", Name: name, Rule: rule,
			Reason: "no append and no read since " + last.UTC().Format(time.RFC3339) + " (" + by + ")"}); err != nil && c.Logger != nil {
			c.Logger.Warn("the cleanup log could not record a deletion", "name", name, "err", err)
		}
	}
	return deleted, skipped, nil
}

// Policy is a scope's inactive-ttl: the server deletes its streams that
// have had no append and no read for that long.
type Policy struct {
	Scope       string        `json:"scope"`
	InactiveTTL time.Duration `json:"inactive_ttl"`
}

// SetPolicy sets scope's inactive-ttl (0 removes it).
func (c *Collector) SetPolicy(ctx context.Context, scope string, ttl time.Duration) error {
	if err := wire.ValidateScopeName(scope); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if ttl == 0 {
		if err := c.Meta.Delete(ctx, policyPrefix+scope, meta.Any); err != nil && !errors.Is(err, meta.ErrNotFound) {
			return err
		}
		return nil
	}
	if err := c.CheckInactive(ttl); err != nil {
		return err
	}
	if _, err := c.Ctrl.ListStreams(ctx, scope); err != nil {
		return err
	}
	b, _ := json.Marshal(Policy{Scope: scope, InactiveTTL: ttl})
	_, err := c.Meta.Put(ctx, policyPrefix+scope, b, meta.Any)
	return err
}

// Policies lists the scopes' policies.
func (c *Collector) Policies(ctx context.Context) ([]Policy, error) {
	kvs, err := c.Meta.List(ctx, policyPrefix)
	if err != nil {
		return nil, err
	}
	out := []Policy{}
	for _, kv := range kvs {
		var p Policy
		if err := json.Unmarshal(kv.Value, &p); err == nil {
			out = append(out, p)
		}
	}
	return out, nil
}

// ScopeDeleted drops a deleted scope's policy.
func (c *Collector) ScopeDeleted(ctx context.Context, scope string) error {
	if err := c.Meta.Delete(ctx, policyPrefix+scope, meta.Any); err != nil && !errors.Is(err, meta.ErrNotFound) {
		return err
	}
	return nil
}

// Pass applies every scope's policy once.
func (c *Collector) Pass(ctx context.Context) {
	ps, err := c.Policies(ctx)
	if err != nil {
		c.Logger.Warn("gc: reading the scopes' policies failed", "err", err)
		return
	}
	for _, p := range ps {
		found, err := c.Inactive(ctx, p.Scope, p.InactiveTTL)
		if err != nil {
			if !errors.Is(err, controller.ErrScopeNotFound) {
				c.Logger.Warn("gc: a scope's policy could not be applied", "scope", p.Scope, "err", err)
			}
			continue
		}
		names := make([]string, len(found))
		for i, s := range found {
			names[i] = s.Rec.Qualified()
		}
		if len(names) == 0 {
			continue
		}
		deleted, _, err := c.Collect(ctx, names, p.InactiveTTL, audit.RuleScopeTTL, "scope "+p.Scope+" inactive-ttl "+p.InactiveTTL.String())
		if err != nil {
			c.Logger.Warn("gc: a scope's policy could not be applied", "scope", p.Scope, "err", err)
		}
		if len(deleted) > 0 {
			c.Logger.Info("gc: deleted inactive streams by the scope's policy", "scope", p.Scope, "streams", deleted)
		}
	}
}

// Run applies the policies every interval until ctx ends.
func (c *Collector) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			c.Pass(ctx)
		}
	}
}
