package group

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

	"github.com/braidstream/braid/internal/controller"
	"github.com/braidstream/braid/internal/limits"
	"github.com/braidstream/braid/internal/meta"
	"github.com/braidstream/braid/internal/storage/segstore"
	"github.com/braidstream/braid/wire"
)

// Errors; match with errors.Is.
var (
	ErrGroupNotFound = errors.New("reader group not found")
	ErrGroupExists   = errors.New("reader group already exists")
	// ErrBusy: a checkpoint is already in progress.
	ErrBusy = errors.New("reader group busy")
)

// Controller is what the manager needs of the controller.
type Controller interface {
	GetStream(ctx context.Context, scope, name string) (*controller.StreamRecord, error)
	HeadCut(ctx context.Context, rec *controller.StreamRecord) (map[uint64]int64, error)
	TailCut(ctx context.Context, rec *controller.StreamRecord) (map[uint64]int64, error)
}

// Segments is what the manager needs of the segment store: lengths, and
// reads to check that a reader's position is an event boundary (see
// segstore.Store.Read; the manager reads without waiting and keeps no
// returned data).
type Segments interface {
	Info(ctx context.Context, name string) (segstore.Info, error)
	Read(ctx context.Context, name string, offset int64, maxBytes int, wait bool) (segstore.ReadResult, error)
}

var _ Segments = (*segstore.Store)(nil)

// Manager coordinates the reader groups of a server. It keeps every group's
// durable state (configuration, committed positions, finished segments,
// checkpoints) in the metadata store, and its membership (readers, who owns
// what, heartbeats) in memory: after a restart readers join again and get
// segments from their committed positions.
type Manager struct {
	meta meta.Store
	ctrl Controller
	segs Segments
	hits *limits.Hits // counts refused commits and other limit hits
	log  *slog.Logger
	now  func() time.Time
	// times, if set, gives the collector watermarks and append times.
	times Times

	mu     sync.Mutex
	groups map[string]*group // by "scope/name"
}

// New returns a manager and loads the stored groups. A stored position no
// reader could read from (past a segment's tail or inside an event, written
// by an older build) is moved to the tail or to the event boundary before
// it, with a warning, and the group stored again.
func New(ctx context.Context, m meta.Store, ctrl Controller, segs Segments, hits *limits.Hits, log *slog.Logger) (*Manager, error) {
	g := NewUnloaded(m, ctrl, segs, hits, log)
	kvs, err := m.List(ctx, "groups/")
	if err != nil {
		return nil, err
	}
	for _, kv := range kvs {
		grp, err := g.load(ctx, kv)
		if err != nil {
			return nil, err
		}
		g.groups[grp.name] = grp
	}
	return g, nil
}

// NewUnloaded returns a manager that holds no group until Reload reads
// it: a cluster node coordinates only some groups, and reads each when it
// comes to coordinate it (its stored positions may name segments whose
// owners it cannot reach before it has joined the cluster).
func NewUnloaded(m meta.Store, ctrl Controller, segs Segments, hits *limits.Hits, log *slog.Logger) *Manager {
	return &Manager{meta: m, ctrl: ctrl, segs: segs, hits: hits, log: log, now: time.Now, groups: map[string]*group{}}
}

// load makes the group of a stored record, its positions repaired (and
// stored again) where the segments no longer hold them.
func (m *Manager) load(ctx context.Context, kv meta.KV) (*group, error) {
	var rec record
	if err := json.Unmarshal(kv.Value, &rec); err != nil {
		return nil, fmt.Errorf("reader group record %s: %w", kv.Key, err)
	}
	ver := kv.Version
	if m.repair(ctx, &rec) {
		var err error
		if ver, err = m.meta.Put(ctx, kv.Key, mustJSON(&rec), kv.Version); err != nil {
			return nil, fmt.Errorf("storing reader group %s with its positions repaired: %w", rec.qualified(), err)
		}
	}
	return newGroup(m, &rec, ver), nil
}

func groupKey(scope, name string) string { return "groups/" + scope + "/" + name }

func invalid(err error) error { return fmt.Errorf("%w: %w", controller.ErrInvalidArgument, err) }

// ValidateName checks a group name (the rules of stream names).
func ValidateName(name string) error {
	if err := wire.ValidateStreamName(name); err != nil {
		return invalid(fmt.Errorf("group name: %w", err))
	}
	return nil
}

// Create creates a group. Start cuts that are nil become the streams'
// heads (or tails with atTail); every cut is checked for consistency.
func (m *Manager) Create(ctx context.Context, scope, name string, cfg Config, atTail []bool) (*Info, error) {
	if err := wire.ValidateScopeName(scope); err != nil {
		return nil, invalid(err)
	}
	if err := ValidateName(name); err != nil {
		return nil, err
	}
	if err := m.resolve(ctx, &cfg, atTail); err != nil {
		return nil, err
	}
	rec := &record{Scope: scope, Name: name, Config: cfg, Created: m.now().UTC()}
	if err := m.start(ctx, rec); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.groups[rec.qualified()]; ok {
		return nil, fmt.Errorf("%w: %s", ErrGroupExists, rec.qualified())
	}
	ver, err := m.meta.Put(ctx, groupKey(scope, name), mustJSON(rec), meta.Absent)
	if errors.Is(err, meta.ErrConflict) {
		return nil, fmt.Errorf("%w: %s", ErrGroupExists, rec.qualified())
	}
	if err != nil {
		return nil, err
	}
	g := newGroup(m, rec, ver)
	m.groups[rec.qualified()] = g
	m.log.Info("reader group created", slog.String("group", rec.qualified()), slog.Int("streams", len(cfg.Streams)))
	return g.info(ctx), nil
}

// resolve checks a configuration and fills in head or tail start cuts.
func (m *Manager) resolve(ctx context.Context, cfg *Config, atTail []bool) error {
	if len(cfg.Streams) == 0 {
		return invalid(errors.New("a reader group reads at least one stream"))
	}
	if cfg.ReaderTimeout == 0 {
		cfg.ReaderTimeout = DefaultReaderTimeout
	}
	if cfg.ReaderTimeout < 100*time.Millisecond || cfg.ReaderTimeout > time.Hour {
		return invalid(fmt.Errorf("reader timeout %v out of range 100ms..1h", cfg.ReaderTimeout))
	}
	seen := map[string]bool{}
	for i := range cfg.Streams {
		sp := &cfg.Streams[i]
		scope, name, ok := strings.Cut(sp.Stream, "/")
		if !ok {
			return invalid(fmt.Errorf("stream %q: want scope/name", sp.Stream))
		}
		if seen[sp.Stream] {
			return invalid(fmt.Errorf("stream %s is named twice", sp.Stream))
		}
		seen[sp.Stream] = true
		rec, err := m.ctrl.GetStream(ctx, scope, name)
		if err != nil {
			return err
		}
		switch {
		case len(sp.Start) > 0:
			if err := controller.CheckCut(rec, sp.Start); err != nil {
				return fmt.Errorf("start cut of %s: %w", sp.Stream, err)
			}
			if err := m.checkCut(ctx, sp.Stream, sp.Start, false); err != nil {
				return fmt.Errorf("start cut of %s: %w", sp.Stream, err)
			}
		case i < len(atTail) && atTail[i]:
			if sp.Start, err = m.ctrl.TailCut(ctx, rec); err != nil {
				return err
			}
		default:
			if sp.Start, err = m.ctrl.HeadCut(ctx, rec); err != nil {
				return err
			}
		}
		if len(sp.End) > 0 {
			if err := controller.CheckCut(rec, sp.End); err != nil {
				return fmt.Errorf("end cut of %s: %w", sp.Stream, err)
			}
			if err := m.checkCut(ctx, sp.Stream, sp.End, true); err != nil {
				return fmt.Errorf("end cut of %s: %w", sp.Stream, err)
			}
		} else {
			sp.End = nil
		}
	}
	return nil
}

// start fills rec's active segments from its start cuts.
func (m *Manager) start(ctx context.Context, rec *record) error {
	rec.Active, rec.Done = nil, nil
	for _, sp := range rec.Config.Streams {
		srec, err := m.stream(ctx, sp.Stream)
		if err != nil {
			return err
		}
		ids := slices.Sorted(maps.Keys(sp.Start))
		for _, id := range ids {
			seg, ok := srec.FindSegment(id)
			if !ok {
				return invalid(fmt.Errorf("%s has no segment %016x", sp.Stream, id))
			}
			a := &activeSeg{segKey: segKey{sp.Stream, id}, Low: seg.KeyLow, High: seg.KeyHigh, Offset: sp.Start[id], End: -1}
			if end, ok := sp.End[id]; ok {
				a.End = end
				if end <= a.Offset {
					rec.Done = append(rec.Done, &doneSeg{segKey: a.segKey, Low: a.Low, High: a.High, End: a.Offset, Last: true})
					continue
				}
			}
			rec.Active = append(rec.Active, a)
		}
	}
	return nil
}

func (m *Manager) stream(ctx context.Context, qualified string) (*controller.StreamRecord, error) {
	scope, name, _ := strings.Cut(qualified, "/")
	return m.ctrl.GetStream(ctx, scope, name)
}

func (m *Manager) get(scope, name string) (*group, error) {
	if err := wire.ValidateScopeName(scope); err != nil {
		return nil, invalid(err)
	}
	if err := ValidateName(name); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	g := m.groups[scope+"/"+name]
	if g == nil {
		return nil, fmt.Errorf("%w: %s/%s", ErrGroupNotFound, scope, name)
	}
	return g, nil
}

// Describe returns a group's state.
func (m *Manager) Describe(ctx context.Context, scope, name string) (*Info, error) {
	g, err := m.get(scope, name)
	if err != nil {
		return nil, err
	}
	return g.info(ctx), nil
}

// List returns the groups of a scope, in name order.
func (m *Manager) List(ctx context.Context, scope string) ([]*Info, error) {
	if err := wire.ValidateScopeName(scope); err != nil {
		return nil, invalid(err)
	}
	m.mu.Lock()
	var gs []*group
	for k, g := range m.groups {
		if strings.HasPrefix(k, scope+"/") {
			gs = append(gs, g)
		}
	}
	m.mu.Unlock()
	sort.Slice(gs, func(i, j int) bool { return gs[i].name < gs[j].name })
	out := make([]*Info, 0, len(gs))
	for _, g := range gs {
		out = append(out, g.info(ctx))
	}
	return out, nil
}

// Delete deletes a group; its readers' sessions end with NOT_FOUND.
func (m *Manager) Delete(ctx context.Context, scope, name string) error {
	g, err := m.get(scope, name)
	if err != nil {
		return err
	}
	return m.remove(ctx, g, fmt.Errorf("%w: %s was deleted", ErrGroupNotFound, g.name))
}

func (m *Manager) remove(ctx context.Context, g *group, why error) error {
	if err := m.meta.Delete(ctx, groupKey(g.scope, g.short), meta.Any); err != nil && !errors.Is(err, meta.ErrNotFound) {
		return err
	}
	m.mu.Lock()
	delete(m.groups, g.name)
	m.mu.Unlock()
	g.close(why)
	m.log.Info("reader group deleted", slog.String("group", g.name), slog.String("why", why.Error()))
	return nil
}

// StreamDeleted deletes every group that reads the stream (the controller
// calls it when a stream is deleted).
func (m *Manager) StreamDeleted(ctx context.Context, scope, name string) error {
	qualified := scope + "/" + name
	m.mu.Lock()
	var gs []*group
	for _, g := range m.groups {
		if g.reads(qualified) {
			gs = append(gs, g)
		}
	}
	m.mu.Unlock()
	for _, g := range gs {
		if err := m.remove(ctx, g, fmt.Errorf("%w: stream %s of group %s was deleted", ErrGroupNotFound, qualified, g.name)); err != nil {
			return err
		}
	}
	return nil
}

// ScopeDeleted deletes every group of a scope.
func (m *Manager) ScopeDeleted(ctx context.Context, scope string) error {
	m.mu.Lock()
	var gs []*group
	for _, g := range m.groups {
		if g.scope == scope {
			gs = append(gs, g)
		}
	}
	m.mu.Unlock()
	for _, g := range gs {
		if err := m.remove(ctx, g, fmt.Errorf("%w: scope %s was deleted", ErrGroupNotFound, scope)); err != nil {
			return err
		}
	}
	return nil
}

// Reset moves a group to a completed checkpoint (if checkpoint is set) or
// to a new configuration.
func (m *Manager) Reset(ctx context.Context, scope, name, checkpoint string, cfg *Config, atTail []bool) (*Info, error) {
	g, err := m.get(scope, name)
	if err != nil {
		return nil, err
	}
	var next Config
	switch {
	case checkpoint != "":
		g.mu.Lock()
		next = g.rec.Config
		next.Streams = slices.Clone(next.Streams)
		i := slices.IndexFunc(g.rec.Checkpoints, func(c Checkpoint) bool { return c.Name == checkpoint })
		var cp Checkpoint
		if i >= 0 {
			cp = g.rec.Checkpoints[i]
		}
		g.mu.Unlock()
		if i < 0 {
			return nil, invalid(fmt.Errorf("group %s has no checkpoint %q", g.name, checkpoint))
		}
		for j := range next.Streams {
			next.Streams[j].Start = cp.Cuts[next.Streams[j].Stream]
		}
		if err := m.resolve(ctx, &next, nil); err != nil {
			return nil, err
		}
	case cfg != nil:
		next = *cfg
		if err := m.resolve(ctx, &next, atTail); err != nil {
			return nil, err
		}
	default:
		return nil, invalid(errors.New("a reset names a checkpoint or a new configuration"))
	}
	if err := g.reset(ctx, next); err != nil {
		return nil, err
	}
	return g.info(ctx), nil
}

// Checkpoint runs a checkpoint and returns it once every reader passed it.
func (m *Manager) Checkpoint(ctx context.Context, scope, name, cpName string) (*Checkpoint, error) {
	if cpName == "" || len(cpName) > 256 || strings.ContainsFunc(cpName, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return nil, invalid(fmt.Errorf("checkpoint name %q: want 1 to 256 printable characters", cpName))
	}
	g, err := m.get(scope, name)
	if err != nil {
		return nil, err
	}
	return g.checkpoint(ctx, cpName)
}

// Run declares silent readers dead until ctx ends; the caller owns the
// goroutine.
func (m *Manager) Run(ctx context.Context) {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		m.mu.Lock()
		gs := slices.Collect(maps.Values(m.groups))
		m.mu.Unlock()
		for _, g := range gs {
			g.expire(ctx)
		}
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// Reload reads group scope/name's record again and serves it from there:
// a cluster node that just became the group's coordinator calls it, since
// the previous coordinator moved the group on since this node last saw it.
// Sessions of the group this node still had end (they were the previous
// time's); a group no longer stored is forgotten.
func (m *Manager) Reload(ctx context.Context, scope, name string) error {
	var fresh *group
	kv, err := m.meta.Get(ctx, groupKey(scope, name))
	switch {
	case err == nil:
		if fresh, err = m.load(ctx, kv); err != nil {
			return err
		}
	case !errors.Is(err, meta.ErrNotFound):
		return err
	}
	m.mu.Lock()
	old := m.groups[scope+"/"+name]
	if fresh != nil {
		m.groups[scope+"/"+name] = fresh
	} else {
		delete(m.groups, scope+"/"+name)
	}
	m.mu.Unlock()
	if old != nil {
		old.close(fmt.Errorf("%w: %s/%s is coordinated again from its stored record", ErrNotMember, scope, name))
	}
	return nil
}

// Names returns the names of the stored groups of a scope, in order (from
// the metadata, not this node's memory: a cluster node coordinates only
// some of them).
func (m *Manager) Names(ctx context.Context, scope string) ([]string, error) {
	if err := wire.ValidateScopeName(scope); err != nil {
		return nil, invalid(err)
	}
	kvs, err := m.meta.List(ctx, groupKey(scope, ""))
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(kvs))
	for _, kv := range kvs {
		names = append(names, strings.TrimPrefix(kv.Key, groupKey(scope, "")))
	}
	return names, nil
}
