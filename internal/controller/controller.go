package controller

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/braidstream/braid/internal/clock"
	"github.com/braidstream/braid/internal/limits"
	"github.com/braidstream/braid/internal/meta"
	"github.com/braidstream/braid/internal/storage/segstore"
	"github.com/braidstream/braid/wire"
)

// Errors; match with errors.Is.
var (
	ErrScopeNotFound   = errors.New("scope not found")
	ErrStreamNotFound  = errors.New("stream not found")
	ErrScopeExists     = errors.New("scope already exists")
	ErrStreamExists    = errors.New("stream already exists")
	ErrScopeNotEmpty   = errors.New("scope is not empty")
	ErrInvalidArgument = errors.New("invalid argument")
	ErrStreamSealed    = errors.New("stream is sealed")
)

// MaxSegments bounds a stream's initial segment count.
const MaxSegments = 1024

// SegmentStore is what the controller needs of the segment store.
type SegmentStore interface {
	Create(ctx context.Context, name string) error
	Seal(ctx context.Context, name string) (int64, error)
	Delete(ctx context.Context, name string) error
	Info(ctx context.Context, name string) (segstore.Info, error)
	Truncate(ctx context.Context, name string, offset int64) error
	CheckTruncate(ctx context.Context, name string, offset int64) error
}

// Stream states.
const (
	StateCreating = "creating"
	StateActive   = "active"
	StateSealed   = "sealed"
	StateDeleting = "deleting"
)

// Config is a stream's configuration.
type Config struct {
	// Segments is the number of segments the stream started with.
	Segments int `json:"segments"`
	// Retention is the retention policy; nil keeps everything.
	Retention *Retention `json:"retention,omitempty"`
	// Scaling is the auto-scaling policy; nil is fixed.
	Scaling *Scaling `json:"scaling,omitempty"`
	// TimestampTimeout is how long a writer that notes time holds the
	// stream's watermark back without noting again; 0 is the default
	// (package watermark).
	TimestampTimeout time.Duration `json:"timestamp_timeout,omitempty"`
}

// MaxTimestampTimeout bounds Config.TimestampTimeout.
const MaxTimestampTimeout = 7 * 24 * time.Hour

func (cfg *Config) validateTimeout() error {
	if cfg.TimestampTimeout < 0 || cfg.TimestampTimeout > MaxTimestampTimeout {
		return invalid(fmt.Errorf("timestamp aggregation timeout %v out of range 0..%v", cfg.TimestampTimeout, MaxTimestampTimeout))
	}
	return nil
}

// Segment is one segment of an epoch and its key range.
type Segment struct {
	ID      uint64  `json:"id"`
	KeyLow  float64 `json:"low"`
	KeyHigh float64 `json:"high"`
}

// Epoch is one segment layout.
type Epoch struct {
	Epoch    uint32    `json:"epoch"`
	Segments []Segment `json:"segments"`
	Created  time.Time `json:"created"`
}

// StreamRecord is a stream's metadata.
type StreamRecord struct {
	Scope   string    `json:"scope"`
	Name    string    `json:"name"`
	Config  Config    `json:"config"`
	State   string    `json:"state"`
	Epochs  []Epoch   `json:"epochs"`
	Created time.Time `json:"created"`
	// Since is when the record entered StateCreating or StateDeleting
	// (zero in records written before it was kept): Recover leaves a
	// younger create or delete to the node making it.
	Since time.Time `json:"since,omitempty"`
}

// Current returns the current epoch.
func (r *StreamRecord) Current() Epoch { return r.Epochs[len(r.Epochs)-1] }

// Qualified is "scope/name".
func (r *StreamRecord) Qualified() string { return r.Scope + "/" + r.Name }

// FindSegment returns the segment with id in any epoch.
func (r *StreamRecord) FindSegment(id uint64) (Segment, bool) {
	for _, e := range r.Epochs {
		for _, s := range e.Segments {
			if s.ID == id {
				return s, true
			}
		}
	}
	return Segment{}, false
}

type scopeRecord struct {
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
}

// NoSegment is the error for a segment id the stream does not have. An id
// from before the stream's first epoch belongs to an earlier stream of the
// same name, deleted since; the error says so.
func (r *StreamRecord) NoSegment(id uint64) error {
	if wire.SegmentEpoch(id) < r.Epochs[0].Epoch {
		return fmt.Errorf("%w: stream %s has no segment %016x: it belongs to an earlier stream of that name, deleted before this one was created (its pointers, cuts and sessions do not carry over)",
			segstore.ErrNotFound, r.Qualified(), id)
	}
	return fmt.Errorf("%w: stream %s has no segment %016x", segstore.ErrNotFound, r.Qualified(), id)
}

// SegmentName is the segment store's name for a stream's segment.
func SegmentName(scope, stream string, id uint64) string {
	return fmt.Sprintf("%s/%s/%016x", scope, stream, id)
}

// Controller manages scopes and streams. It is safe for concurrent use;
// changes are serialized.
type Controller struct {
	meta meta.Store
	segs SegmentStore
	log  *slog.Logger
	// now and newTicker are the controller's clock (tests replace them).
	now       func() time.Time
	newTicker func(time.Duration) clock.Ticker

	mu sync.Mutex // serializes metadata changes and truncations

	hooks Hooks
	quota Quota        // set before serving (SetQuota)
	hits  *limits.Hits // counts quota refusals (may be nil)
}

// Hooks are told of deletions, so that what depends on a stream or scope
// (reader groups) goes with it. They run under the controller's lock and
// must not call back into the controller's changing methods.
type Hooks struct {
	StreamDeleted func(ctx context.Context, scope, name string) error
	ScopeDeleted  func(ctx context.Context, scope string) error
	// StreamTruncated, if set, is told of every truncation (by a client
	// or by retention) with the cut the stream was truncated at. Its
	// error is logged, not returned: the truncation happened.
	StreamTruncated func(ctx context.Context, scope, name string, cut map[uint64]int64) error
}

// SetHooks installs deletion hooks (before the controller serves).
func (c *Controller) SetHooks(h Hooks) { c.hooks = h }

// SetLimitHits makes the controller count the quota refusals in h (before
// the controller serves).
func (c *Controller) SetLimitHits(h *limits.Hits) { c.hits = h }

// New returns a controller over a metadata store and a segment store.
func New(m meta.Store, segs SegmentStore, log *slog.Logger) *Controller {
	return &Controller{meta: m, segs: segs, log: log, now: time.Now, newTicker: clock.Real{}.NewTicker}
}

func scopeKey(scope string) string           { return "scopes/" + scope }
func streamKey(scope, stream string) string  { return "streams/" + scope + "/" + stream }
func retiredKey(scope, stream string) string { return "retired/" + scope + "/" + stream }

// retiredRecord is what stays of a deleted stream: the epoch its name's next
// stream starts at. Segment ids hold their epoch, so a stream created again
// under a deleted one's name never reuses a segment id, and a session,
// reader, pointer or cut of the deleted stream names segments the new one
// does not have: it gets an error instead of reading or writing the new
// stream (what Kafka's topic ids, KIP-516, are for).
type retiredRecord struct {
	NextEpoch uint32    `json:"next_epoch"`
	Deleted   time.Time `json:"deleted"`
}

// firstEpoch is the epoch a new stream named scope/name starts at.
func (c *Controller) firstEpoch(ctx context.Context, scope, name string) (uint32, error) {
	kv, err := c.meta.Get(ctx, retiredKey(scope, name))
	if errors.Is(err, meta.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var r retiredRecord
	if err := json.Unmarshal(kv.Value, &r); err != nil {
		return 0, fmt.Errorf("retired stream record %s/%s: %w", scope, name, err)
	}
	return r.NextEpoch, nil
}

// retire records that rec's name is free again, and the epoch its next
// stream starts at (after every epoch rec used).
func (c *Controller) retire(ctx context.Context, rec *StreamRecord) error {
	next := rec.Current().Epoch + 1
	if prev, err := c.firstEpoch(ctx, rec.Scope, rec.Name); err != nil {
		return err
	} else if prev > next {
		next = prev
	}
	b, _ := json.Marshal(retiredRecord{NextEpoch: next, Deleted: c.now().UTC()})
	_, err := c.meta.Put(ctx, retiredKey(rec.Scope, rec.Name), b, meta.Any)
	return err
}

func invalid(err error) error { return fmt.Errorf("%w: %w", ErrInvalidArgument, err) }

// CreateScope creates a scope; created is false if it existed.
func (c *Controller) CreateScope(ctx context.Context, scope string) (created bool, err error) {
	if err := wire.ValidateScopeName(scope); err != nil {
		return false, invalid(err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.createScopeLocked(ctx, scope)
}

func (c *Controller) createScopeLocked(ctx context.Context, scope string) (bool, error) {
	b, _ := json.Marshal(scopeRecord{Name: scope, Created: c.now().UTC()})
	if _, err := c.meta.Put(ctx, scopeKey(scope), b, meta.Absent); err != nil {
		if errors.Is(err, meta.ErrConflict) {
			return false, nil
		}
		return false, err
	}
	return true, nil
}

// ListScopes lists scope names in order.
func (c *Controller) ListScopes(ctx context.Context) ([]string, error) {
	kvs, err := c.meta.List(ctx, "scopes/")
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(kvs))
	for _, kv := range kvs {
		out = append(out, strings.TrimPrefix(kv.Key, "scopes/"))
	}
	return out, nil
}

// DeleteScope deletes an empty scope.
func (c *Controller) DeleteScope(ctx context.Context, scope string) error {
	if err := wire.ValidateScopeName(scope); err != nil {
		return invalid(err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.scopeExists(ctx, scope); err != nil {
		return c.notFound(err, ErrScopeNotFound, scope)
	}
	kvs, err := c.meta.List(ctx, "streams/"+scope+"/")
	if err != nil {
		return err
	}
	if len(kvs) > 0 {
		return fmt.Errorf("%w: %s has %d stream(s); delete them first", ErrScopeNotEmpty, scope, len(kvs))
	}
	if c.hooks.ScopeDeleted != nil {
		if err := c.hooks.ScopeDeleted(ctx, scope); err != nil {
			return fmt.Errorf("deleting the reader groups of scope %s: %w", scope, err)
		}
	}
	return c.meta.Delete(ctx, scopeKey(scope), meta.Any)
}

func (c *Controller) notFound(err, sentinel error, name string) error {
	if errors.Is(err, meta.ErrNotFound) {
		return fmt.Errorf("%w: %s", sentinel, name)
	}
	return err
}

// CreateStream creates a stream and its segments. With createScope a missing
// scope is created (scopeCreated reports it).
func (c *Controller) CreateStream(ctx context.Context, scope, name string, cfg Config, createScope bool) (rec *StreamRecord, scopeCreated bool, err error) {
	if err := wire.ValidateScopeName(scope); err != nil {
		return nil, false, invalid(err)
	}
	if err := wire.ValidateStreamName(name); err != nil {
		return nil, false, invalid(err)
	}
	if cfg.Segments == 0 {
		cfg.Segments = 1
	}
	if cfg.Segments < 1 || cfg.Segments > MaxSegments {
		return nil, false, invalid(fmt.Errorf("segments %d out of range 1..%d", cfg.Segments, MaxSegments))
	}
	if cfg.Retention != nil {
		if err := cfg.Retention.Validate(); err != nil {
			return nil, false, err
		}
	}
	if cfg.Scaling != nil {
		if err := cfg.Scaling.Validate(); err != nil {
			return nil, false, err
		}
	}
	if err := cfg.validateTimeout(); err != nil {
		return nil, false, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.scopeExists(ctx, scope); err != nil {
		if !errors.Is(err, meta.ErrNotFound) || !createScope {
			return nil, false, c.notFound(err, ErrScopeNotFound, scope)
		}
		if scopeCreated, err = c.createScopeLocked(ctx, scope); err != nil {
			return nil, false, err
		}
	}
	if err := c.checkQuotaLocked(ctx, "creating "+scope+"/"+name, 1, cfg.Segments); err != nil {
		return nil, scopeCreated, err
	}
	epoch, err := c.firstEpoch(ctx, scope, name)
	if err != nil {
		return nil, scopeCreated, err
	}
	now := c.now().UTC()
	rec = &StreamRecord{Scope: scope, Name: name, Config: cfg, State: StateCreating, Created: now, Since: now,
		Epochs: []Epoch{{Epoch: epoch, Segments: evenSplit(epoch, cfg.Segments), Created: now}}}
	b, _ := json.Marshal(rec)
	ver, err := c.meta.Put(ctx, streamKey(scope, name), b, meta.Absent)
	if errors.Is(err, meta.ErrConflict) {
		// Creates finish or roll back under c.mu: a stream still being
		// created is what a failed rollback left. Clear it, and try once
		// more.
		old, oldVer, gerr := c.get(ctx, scope, name)
		if gerr == nil && old.State == StateDeleting {
			return nil, scopeCreated, fmt.Errorf("%w: %s/%s is being deleted (a delete did not finish: delete it again)", ErrStreamExists, scope, name)
		}
		if gerr != nil || old.State != StateCreating {
			return nil, scopeCreated, fmt.Errorf("%w: %s/%s", ErrStreamExists, scope, name)
		}
		if err := c.rollbackCreate(ctx, old, oldVer); err != nil {
			return nil, scopeCreated, fmt.Errorf("clearing what an earlier, failed create of %s left: %w", old.Qualified(), err)
		}
		ver, err = c.meta.Put(ctx, streamKey(scope, name), b, meta.Absent)
	}
	if err != nil {
		return nil, scopeCreated, err
	}
	if err := c.finishCreate(ctx, rec, ver); err != nil {
		if errors.Is(err, meta.ErrConflict) {
			// Another node (a cluster's new leader, recovering what
			// looked interrupted) finished this create, or undid it.
			if cur, _, gerr := c.get(ctx, scope, name); gerr == nil && cur.State == StateActive && cur.Created.Equal(rec.Created) {
				return cur, scopeCreated, nil
			}
			return nil, scopeCreated, fmt.Errorf("creating %s: the record changed meanwhile (%w): create it again", rec.Qualified(), err)
		}
		// All or nothing: a create that failed (a full disk) leaves no
		// half-made stream holding the name. If the rollback fails too,
		// the next create of the name clears it.
		if rerr := c.rollbackCreate(ctx, rec, ver); rerr != nil {
			c.log.Warn("a failed stream create could not be rolled back; the next create of the name retries",
				slog.String("stream", rec.Qualified()), slog.Any("error", rerr))
		}
		return nil, scopeCreated, err
	}
	return rec, scopeCreated, nil
}

// rollbackCreate deletes what a failed create made: its segments, then its
// record (version ver). The record is first marked deleting, compare and
// swap on ver, so that a rollback never deletes the segments of a create
// that another node finished meanwhile.
func (c *Controller) rollbackCreate(ctx context.Context, rec *StreamRecord, ver int64) error {
	undo := *rec
	undo.State, undo.Since = StateDeleting, c.now().UTC()
	b, _ := json.Marshal(&undo)
	ver, err := c.meta.Put(ctx, streamKey(rec.Scope, rec.Name), b, ver)
	if err != nil {
		return err
	}
	for _, s := range rec.Current().Segments {
		err := c.segs.Delete(ctx, SegmentName(rec.Scope, rec.Name, s.ID))
		if err != nil && !errors.Is(err, segstore.ErrNotFound) {
			return fmt.Errorf("deleting segments of %s: %w", rec.Qualified(), err)
		}
	}
	return c.meta.Delete(ctx, streamKey(rec.Scope, rec.Name), ver)
}

func evenSplit(epoch uint32, n int) []Segment {
	segs := make([]Segment, n)
	for i := range segs {
		segs[i] = Segment{ID: wire.MakeSegmentID(epoch, uint32(i)), KeyLow: float64(i) / float64(n), KeyHigh: float64(i+1) / float64(n)}
	}
	segs[n-1].KeyHigh = 1
	return segs
}

func (c *Controller) finishCreate(ctx context.Context, rec *StreamRecord, ver int64) error {
	for _, s := range rec.Current().Segments {
		err := c.segs.Create(ctx, SegmentName(rec.Scope, rec.Name, s.ID))
		if err != nil && !errors.Is(err, segstore.ErrExists) {
			return fmt.Errorf("creating segments of %s: %w", rec.Qualified(), err)
		}
	}
	rec.State = StateActive
	b, _ := json.Marshal(rec)
	_, err := c.meta.Put(ctx, streamKey(rec.Scope, rec.Name), b, ver)
	return err
}

// GetStream returns a stream's record. Streams being created or deleted are
// reported as not found.
func (c *Controller) GetStream(ctx context.Context, scope, name string) (*StreamRecord, error) {
	if err := wire.ValidateScopeName(scope); err != nil {
		return nil, invalid(err)
	}
	if err := wire.ValidateStreamName(name); err != nil {
		return nil, invalid(err)
	}
	rec, _, err := c.get(ctx, scope, name)
	if err != nil {
		return nil, err
	}
	if rec.State == StateCreating || rec.State == StateDeleting {
		return nil, fmt.Errorf("%w: %s/%s (being %s)", ErrStreamNotFound, scope, name, strings.TrimSuffix(rec.State, "ing")+"ed")
	}
	return rec, nil
}

func (c *Controller) get(ctx context.Context, scope, name string) (*StreamRecord, int64, error) {
	rec, ver, err := c.getFrom(ctx, c.meta.Get, scope, name)
	if errors.Is(err, ErrStreamNotFound) || err == nil && (rec.State == StateCreating || rec.State == StateDeleting) {
		// A cluster node's copy of the metadata lags the other nodes'
		// writes: before it answers "not found" (or "being created"),
		// it asks etcd.
		return c.getFrom(ctx, func(ctx context.Context, key string) (meta.KV, error) { return meta.GetFresh(ctx, c.meta, key) }, scope, name)
	}
	return rec, ver, err
}

func (c *Controller) getFrom(ctx context.Context, read func(context.Context, string) (meta.KV, error), scope, name string) (*StreamRecord, int64, error) {
	kv, err := read(ctx, streamKey(scope, name))
	if err != nil {
		return nil, 0, c.notFound(err, ErrStreamNotFound, scope+"/"+name)
	}
	var rec StreamRecord
	if err := json.Unmarshal(kv.Value, &rec); err != nil {
		return nil, 0, fmt.Errorf("stream record %s/%s: %w", scope, name, err)
	}
	return &rec, kv.Version, nil
}

// scopeExists reads a scope's record, from etcd before it answers "not
// found" (as get does).
func (c *Controller) scopeExists(ctx context.Context, scope string) error {
	_, err := c.meta.Get(ctx, scopeKey(scope))
	if errors.Is(err, meta.ErrNotFound) {
		_, err = meta.GetFresh(ctx, c.meta, scopeKey(scope))
	}
	return err
}

// ListStreams lists a scope's streams in name order.
func (c *Controller) ListStreams(ctx context.Context, scope string) ([]*StreamRecord, error) {
	if err := wire.ValidateScopeName(scope); err != nil {
		return nil, invalid(err)
	}
	if err := c.scopeExists(ctx, scope); err != nil {
		return nil, c.notFound(err, ErrScopeNotFound, scope)
	}
	kvs, err := c.meta.List(ctx, "streams/"+scope+"/")
	if err != nil {
		return nil, err
	}
	var out []*StreamRecord
	for _, kv := range kvs {
		var rec StreamRecord
		if err := json.Unmarshal(kv.Value, &rec); err != nil {
			return nil, fmt.Errorf("stream record %s: %w", kv.Key, err)
		}
		if rec.State == StateActive || rec.State == StateSealed {
			out = append(out, &rec)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// SealStream seals every segment of the current epoch; no more appends.
func (c *Controller) SealStream(ctx context.Context, scope, name string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	rec, ver, err := c.get(ctx, scope, name)
	if err != nil {
		return err
	}
	if rec.State != StateActive && rec.State != StateSealed {
		return fmt.Errorf("%w: %s/%s", ErrStreamNotFound, scope, name)
	}
	for _, s := range rec.Current().Segments {
		if _, err := c.segs.Seal(ctx, SegmentName(scope, name, s.ID)); err != nil {
			return err
		}
	}
	if rec.State == StateSealed {
		return nil
	}
	rec.State = StateSealed
	b, _ := json.Marshal(rec)
	_, err = c.meta.Put(ctx, streamKey(scope, name), b, ver)
	return err
}

// TruncateStream drops every event of a stream before cut (segment id to
// offset), which must be a consistent stream cut (see CheckCut): segments
// of any epochs that cover the key space once. Offsets must be event
// boundaries within the segments (the segment store checks). Segments
// wholly before the cut (sealed predecessors) lose all their data.
// Segments already truncated further stay as they are.
func (c *Controller) TruncateStream(ctx context.Context, scope, name string, cut map[uint64]int64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	rec, err := c.GetStream(ctx, scope, name)
	if err != nil {
		return err
	}
	if err := CheckCut(rec, cut); err != nil {
		return err
	}
	full := maps.Clone(cut)
	for _, s := range Before(rec, cut) {
		info, err := c.segs.Info(ctx, SegmentName(scope, name, s.ID))
		if err != nil {
			return err
		}
		full[s.ID] = info.Length
	}
	return c.truncateLocked(ctx, rec, full)
}

// truncateLocked truncates each segment of rec named in cut at its offset.
// It checks every segment before changing any, so that a bad cut changes
// nothing.
func (c *Controller) truncateLocked(ctx context.Context, rec *StreamRecord, cut map[uint64]int64) error {
	ids := make([]uint64, 0, len(cut))
	for id := range cut {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if err := c.segs.CheckTruncate(ctx, SegmentName(rec.Scope, rec.Name, id), cut[id]); err != nil {
			return err
		}
	}
	for _, id := range ids {
		if err := c.segs.Truncate(ctx, SegmentName(rec.Scope, rec.Name, id), cut[id]); err != nil {
			return err
		}
	}
	if c.hooks.StreamTruncated != nil {
		if err := c.hooks.StreamTruncated(ctx, rec.Scope, rec.Name, cut); err != nil {
			c.log.Warn("after a truncation", slog.String("stream", rec.Qualified()), slog.Any("err", err))
		}
	}
	return nil
}

// UpdateStream changes a stream's configuration. Only the retention and
// scaling policies can change: cfg.Retention replaces the retention policy
// (nil removes it, and the stream's retention records with it), and
// cfg.Scaling the scaling policy (nil is fixed). cfg.Segments must be 0 or the stream's
// segment count; any other value is refused. A cfg.TimestampTimeout of 0
// leaves the stream's as it is.
func (c *Controller) UpdateStream(ctx context.Context, scope, name string, cfg Config) (*StreamRecord, error) {
	if err := wire.ValidateScopeName(scope); err != nil {
		return nil, invalid(err)
	}
	if err := wire.ValidateStreamName(name); err != nil {
		return nil, invalid(err)
	}
	if cfg.Retention != nil {
		if err := cfg.Retention.Validate(); err != nil {
			return nil, err
		}
	}
	if cfg.Scaling != nil {
		if err := cfg.Scaling.Validate(); err != nil {
			return nil, err
		}
	}
	if err := cfg.validateTimeout(); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	rec, ver, err := c.get(ctx, scope, name)
	if err != nil {
		return nil, err
	}
	if rec.State != StateActive && rec.State != StateSealed {
		return nil, fmt.Errorf("%w: %s/%s", ErrStreamNotFound, scope, name)
	}
	if cfg.Segments != 0 && cfg.Segments != rec.Config.Segments {
		return nil, invalid(fmt.Errorf("segments cannot be changed (%s has %d, the update asks for %d): only the retention and scaling policies can be updated",
			rec.Qualified(), rec.Config.Segments, cfg.Segments))
	}
	rec.Config.Retention = cfg.Retention
	rec.Config.Scaling = cfg.Scaling
	if cfg.TimestampTimeout != 0 {
		rec.Config.TimestampTimeout = cfg.TimestampTimeout
	}
	b, _ := json.Marshal(rec)
	if _, err := c.meta.Put(ctx, streamKey(scope, name), b, ver); err != nil {
		return nil, err
	}
	if cfg.Retention == nil {
		if err := c.deleteRetentionLocked(ctx, scope, name); err != nil {
			return nil, err
		}
	}
	return rec, nil
}

// DeleteStream deletes a stream and all its segments.
func (c *Controller) DeleteStream(ctx context.Context, scope, name string) error {
	if err := wire.ValidateScopeName(scope); err != nil {
		return invalid(err)
	}
	if err := wire.ValidateStreamName(name); err != nil {
		return invalid(err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	rec, ver, err := c.get(ctx, scope, name)
	if err != nil {
		return err
	}
	if rec.State == StateDeleting {
		return c.finishDelete(ctx, rec, ver)
	}
	rec.State, rec.Since = StateDeleting, c.now().UTC()
	b, _ := json.Marshal(rec)
	if ver, err = c.meta.Put(ctx, streamKey(scope, name), b, ver); err != nil {
		return err
	}
	return c.finishDelete(ctx, rec, ver)
}

func (c *Controller) finishDelete(ctx context.Context, rec *StreamRecord, ver int64) error {
	for _, e := range rec.Epochs {
		for _, s := range e.Segments {
			err := c.segs.Delete(ctx, SegmentName(rec.Scope, rec.Name, s.ID))
			if err != nil && !errors.Is(err, segstore.ErrNotFound) {
				return fmt.Errorf("deleting segments of %s: %w", rec.Qualified(), err)
			}
		}
	}
	// The records go before the stream record, so that a crash in between
	// leaves a deleting stream for Recover, never orphaned records.
	if c.hooks.StreamDeleted != nil {
		if err := c.hooks.StreamDeleted(ctx, rec.Scope, rec.Name); err != nil {
			return fmt.Errorf("deleting the reader groups of %s: %w", rec.Qualified(), err)
		}
	}
	if err := c.deleteRetentionLocked(ctx, rec.Scope, rec.Name); err != nil {
		return fmt.Errorf("deleting retention records of %s: %w", rec.Qualified(), err)
	}
	if err := c.retire(ctx, rec); err != nil {
		return fmt.Errorf("retiring the name of %s: %w", rec.Qualified(), err)
	}
	return c.meta.Delete(ctx, streamKey(rec.Scope, rec.Name), ver)
}

// Recover finishes creates and deletes that a crash interrupted.
func (c *Controller) Recover(ctx context.Context) error { return c.RecoverOlder(ctx, 0) }

// RecoverOlder is Recover of the creates and deletes that began at least
// age ago. A cluster's leader recovers while the other nodes serve: a
// younger create or delete may be one a live node is making (a create
// waits up to the owner wait for each segment), and is left to it.
func (c *Controller) RecoverOlder(ctx context.Context, age time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	kvs, err := c.meta.List(ctx, "streams/")
	if err != nil {
		return err
	}
	for _, kv := range kvs {
		var rec StreamRecord
		if err := json.Unmarshal(kv.Value, &rec); err != nil {
			return fmt.Errorf("stream record %s: %w", kv.Key, err)
		}
		// An interrupted create or delete that cannot finish now (a full
		// disk) must not keep the server from starting: it stays as it
		// is, hidden from listings, and the next create or delete of
		// the name finishes it.
		if (rec.State == StateCreating || rec.State == StateDeleting) && age > 0 && c.now().Sub(rec.Since) < age {
			continue
		}
		switch rec.State {
		case StateCreating:
			c.log.Info("finishing an interrupted stream create", slog.String("stream", rec.Qualified()))
			if err := c.finishCreate(ctx, &rec, kv.Version); err != nil {
				c.log.Warn("an interrupted stream create could not finish; the next create of the name retries",
					slog.String("stream", rec.Qualified()), slog.Any("error", err))
			}
		case StateDeleting:
			c.log.Info("finishing an interrupted stream delete", slog.String("stream", rec.Qualified()))
			if err := c.finishDelete(ctx, &rec, kv.Version); err != nil {
				c.log.Warn("an interrupted stream delete could not finish; deleting the stream again retries",
					slog.String("stream", rec.Qualified()), slog.Any("error", err))
			}
		case StateActive, StateSealed:
			// A scale that crashed after recording its epoch.
			err = c.sealRetiredLocked(ctx, &rec)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
