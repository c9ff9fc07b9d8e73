package ephemeral

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/braidstream/braid/internal/clock"
	"github.com/braidstream/braid/internal/controller"
	"github.com/braidstream/braid/internal/meta"
)

// Streams is what the manager needs of the controller to delete.
type Streams interface {
	DeleteStream(ctx context.Context, scope, name string) error
	ListStreams(ctx context.Context, scope string) ([]*controller.StreamRecord, error)
	DeleteScope(ctx context.Context, scope string) error
}

// Manager keeps the ephemeral records of one server. Its methods are safe
// for concurrent use.
type Manager struct {
	meta    meta.Store
	streams Streams
	clk     clock.Clock
	log     *slog.Logger
	// Deleted, if set, is told of each deletion the manager made (the
	// record's Reason says why).
	Deleted func(rec Record)

	mu       sync.Mutex
	loaded   bool               // by Load, until Release
	recs     map[string]*Record // by key
	byHolder map[string]string  // holder id -> record key
}

// New returns a manager; Load reads the stored records.
func New(store meta.Store, streams Streams, clk clock.Clock, log *slog.Logger) *Manager {
	if clk == nil {
		clk = clock.Real{}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Manager{meta: store, streams: streams, clk: clk, log: log, recs: map[string]*Record{}, byHolder: map[string]string{}}
}

// Load reads the stored records, in place of any it held. Every holder
// gets a fresh lease from now. In a cluster the leader loads them when it
// starts leading, and Release drops them when it stops.
func (m *Manager) Load(ctx context.Context) error {
	kvs, err := m.meta.List(ctx, "ephemeral/")
	if err != nil {
		return err
	}
	now := m.clk.Now()
	recs, byHolder := map[string]*Record{}, map[string]string{}
	for _, kv := range kvs {
		var rec Record
		if err := json.Unmarshal(kv.Value, &rec); err != nil {
			return fmt.Errorf("ephemeral record %s: %w", kv.Key, err)
		}
		rec.version = kv.Version
		for i := range rec.Holders {
			rec.Holders[i].Expires = now.Add(rec.Holders[i].Lease)
			byHolder[rec.Holders[i].ID] = kv.Key
		}
		if len(rec.Holders) == 0 {
			rec.EmptySince = now
		}
		recs[kv.Key] = &rec
	}
	m.mu.Lock()
	m.recs, m.byHolder, m.loaded = recs, byHolder, true
	m.mu.Unlock()
	return nil
}

// Loaded reports whether the manager holds the records (between Load and
// Release): until then it knows of no ephemeral stream.
func (m *Manager) Loaded() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.loaded
}

// Release drops the records held (they stay stored): a cluster node that
// stops leading keeps none, so that it serves no stale lease.
func (m *Manager) Release() {
	m.mu.Lock()
	m.recs, m.byHolder, m.loaded = map[string]*Record{}, map[string]string{}, false
	m.mu.Unlock()
}

// saveLocked stores r under k if the stored record is still the one r
// was read as. When it is not (another node forgot or changed it), the
// record is read again, and the save fails.
func (m *Manager) saveLocked(ctx context.Context, k string, r *Record) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	v, err := m.meta.Put(ctx, k, b, r.version)
	if errors.Is(err, meta.ErrConflict) {
		m.rereadLocked(ctx, k)
		return fmt.Errorf("ephemeral %s changed elsewhere (its stream was deleted, or another node wrote it): try again", r.Name())
	}
	if err != nil {
		return err
	}
	r.version = v
	return nil
}

// rereadLocked replaces the record k with the one stored, or drops it if
// none is.
func (m *Manager) rereadLocked(ctx context.Context, k string) {
	if old := m.recs[k]; old != nil {
		for _, h := range old.Holders {
			delete(m.byHolder, h.ID)
		}
		delete(m.recs, k)
	}
	kv, err := m.meta.Get(ctx, k)
	if err != nil {
		return
	}
	var rec Record
	if json.Unmarshal(kv.Value, &rec) != nil {
		return
	}
	rec.version = kv.Version
	now := m.clk.Now()
	for i := range rec.Holders {
		rec.Holders[i].Expires = now.Add(rec.Holders[i].Lease)
		m.byHolder[rec.Holders[i].ID] = k
	}
	if len(rec.Holders) == 0 {
		rec.EmptySince = now
	}
	m.recs[k] = &rec
}

func newID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Attach adds a holder named name with lease to the ephemeral stream (or,
// with stream "", scope). With create set, a missing record is created
// (kind from stream) with grace; created reports it. The caller then
// creates the stream or scope itself.
func (m *Manager) Attach(ctx context.Context, scope, stream, name string, lease, grace time.Duration, create bool) (rec Record, h Holder, created bool, err error) {
	if lease, err = checkLease(lease); err != nil {
		return Record{}, Holder{}, false, err
	}
	if grace < 0 || grace > MaxGrace {
		return Record{}, Holder{}, false, invalid("grace %s: want 0 to %s", grace, MaxGrace)
	}
	if len(name) > 256 {
		return Record{}, Holder{}, false, invalid("holder name of %d bytes: at most 256", len(name))
	}
	k := key(scope, stream)
	now := m.clk.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.loaded {
		return Record{}, Holder{}, false, ErrNotLoaded
	}
	r := m.recs[k]
	switch {
	case r == nil && !create:
		return Record{}, Holder{}, false, fmt.Errorf("%w: %s", ErrNotFound, strings.TrimPrefix(k, "ephemeral/"))
	case r == nil:
		kind := KindStream
		if stream == "" {
			kind = KindScope
		}
		r = &Record{Kind: kind, Scope: scope, Stream: stream, Owner: name, Grace: grace, Created: now.UTC(), State: StateLive}
		created = true
	case r.State == StateDeleting:
		return Record{}, Holder{}, false, fmt.Errorf("%w: %s is being deleted (%s); create it again once that is done", ErrDeleting, r.Name(), r.Reason)
	case len(r.Holders) >= MaxHolders:
		return Record{}, Holder{}, false, invalid("%s has %d holders, the most", r.Name(), MaxHolders)
	}
	h = Holder{ID: newID(), Name: name, Lease: lease, Attached: now.UTC(), Expires: now.Add(lease)}
	empty, reason := r.EmptySince, r.Reason
	r.Holders = append(r.Holders, h)
	r.EmptySince, r.Reason = time.Time{}, ""
	if err := m.saveLocked(ctx, k, r); err != nil {
		r.Holders = r.Holders[:len(r.Holders)-1]
		r.EmptySince, r.Reason = empty, reason
		return Record{}, Holder{}, false, err
	}
	m.recs[k] = r
	m.byHolder[h.ID] = k
	return m.copyLocked(r), h, created, nil
}

// KeepAlive renews the leases of holders ids (with lease, if > 0, as
// their new lease). It returns their new expiry times; ids it does not
// know (detached, expired, deleted) are in unknown.
func (m *Manager) KeepAlive(ids []string, lease time.Duration) (expires map[string]time.Time, unknown []string, err error) {
	if lease != 0 {
		if lease, err = checkLease(lease); err != nil {
			return nil, nil, err
		}
	}
	now := m.clk.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.loaded {
		return nil, nil, ErrNotLoaded
	}
	expires = map[string]time.Time{}
	for _, id := range ids {
		r := m.recs[m.byHolder[id]]
		i := -1
		if r != nil {
			i = slices.IndexFunc(r.Holders, func(h Holder) bool { return h.ID == id })
		}
		if i < 0 || r.State != StateLive {
			unknown = append(unknown, id)
			continue
		}
		if lease > 0 {
			r.Holders[i].Lease = lease
		}
		r.Holders[i].Expires = now.Add(r.Holders[i].Lease)
		expires[id] = r.Holders[i].Expires
	}
	return expires, unknown, nil
}

// Detach removes holder id. The last holder's detach starts the grace
// period (or, with none, the deletion at the next pass).
func (m *Manager) Detach(ctx context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.loaded {
		return ErrNotLoaded
	}
	k := m.byHolder[id]
	r := m.recs[k]
	if r == nil {
		return fmt.Errorf("%w %q (detached already, or its lease ran out)", ErrUnknownHolder, id)
	}
	i := slices.IndexFunc(r.Holders, func(h Holder) bool { return h.ID == id })
	if i < 0 {
		return fmt.Errorf("%w %q", ErrUnknownHolder, id)
	}
	hs := slices.Delete(slices.Clone(r.Holders), i, i+1)
	old := r.Holders
	r.Holders = hs
	if err := m.saveLocked(ctx, k, r); err != nil {
		r.Holders = old
		return err
	}
	delete(m.byHolder, id)
	if len(r.Holders) == 0 {
		r.EmptySince = m.clk.Now()
	}
	return nil
}

// SetGrace changes the grace period of an ephemeral stream or scope.
func (m *Manager) SetGrace(ctx context.Context, scope, stream string, grace time.Duration) (Record, error) {
	if grace < 0 || grace > MaxGrace {
		return Record{}, invalid("grace %s: want 0 to %s", grace, MaxGrace)
	}
	k := key(scope, stream)
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.loaded {
		return Record{}, ErrNotLoaded
	}
	r := m.recs[k]
	if r == nil {
		return Record{}, fmt.Errorf("%w: %s", ErrNotFound, strings.TrimPrefix(k, "ephemeral/"))
	}
	old := r.Grace
	r.Grace = grace
	if err := m.saveLocked(ctx, k, r); err != nil {
		r.Grace = old
		return Record{}, err
	}
	return m.copyLocked(r), nil
}

// Get returns the record of an ephemeral stream (or, stream "", scope).
func (m *Manager) Get(scope, stream string) (Record, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.recs[key(scope, stream)]
	if r == nil {
		return Record{}, false
	}
	return m.copyLocked(r), true
}

// HolderScope returns the scope of a holder's stream or scope; false for a
// holder the manager does not know.
func (m *Manager) HolderScope(id string) (string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.recs[m.byHolder[id]]
	if r == nil {
		return "", false
	}
	return r.Scope, true
}

// List returns every record, by name.
func (m *Manager) List() []Record {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Record, 0, len(m.recs))
	for _, r := range m.recs {
		out = append(out, m.copyLocked(r))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out
}

func (m *Manager) copyLocked(r *Record) Record {
	c := *r
	c.Holders = slices.Clone(r.Holders)
	return c
}

// Forget drops the record of a stream (or scope) deleted by other means.
// The stored record goes even when this manager does not hold it: in a
// cluster the node that deleted the stream may not be the leader.
func (m *Manager) Forget(ctx context.Context, scope, stream string) error {
	k := key(scope, stream)
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.meta.Delete(ctx, k, meta.Any); err != nil && !errors.Is(err, meta.ErrNotFound) {
		return err
	}
	if r := m.recs[k]; r != nil {
		for _, h := range r.Holders {
			delete(m.byHolder, h.ID)
		}
		delete(m.recs, k)
	}
	return nil
}

// Run reaps every interval until ctx ends.
func (m *Manager) Run(ctx context.Context, interval time.Duration) {
	t := m.clk.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C():
			m.Reap(ctx)
		}
	}
}

// Reap drops the holders whose leases ran out and deletes what has had no
// holder for its grace period, and finishes deletions a restart cut.
func (m *Manager) Reap(ctx context.Context) {
	now := m.clk.Now()
	var todo []string
	m.mu.Lock()
	for k, r := range m.recs {
		if r.State == StateDeleting {
			todo = append(todo, k)
			continue
		}
		kept := r.Holders[:0:0]
		var gone []string
		for _, h := range r.Holders {
			if now.Before(h.Expires) {
				kept = append(kept, h)
			} else {
				gone = append(gone, h.Name)
			}
		}
		if len(gone) > 0 {
			old := r.Holders
			r.Holders = kept
			if err := m.saveLocked(ctx, k, r); err != nil {
				r.Holders = old
				m.log.Warn("ephemeral: could not drop expired holders", "name", r.Name(), "err", err)
				continue
			}
			for _, h := range old {
				if !slices.ContainsFunc(kept, func(x Holder) bool { return x.ID == h.ID }) {
					delete(m.byHolder, h.ID)
				}
			}
			m.log.Info("ephemeral: holders' leases ran out", "name", r.Name(), "holders", gone)
			if len(kept) == 0 {
				r.EmptySince = now
				r.Reason = "every holder's lease ran out (" + strings.Join(gone, ", ") + ")"
			}
		}
		if len(r.Holders) > 0 || r.EmptySince.IsZero() || now.Sub(r.EmptySince) < r.Grace {
			continue
		}
		if r.Reason == "" {
			r.Reason = "the last holder detached"
		}
		r.State = StateDeleting
		if err := m.saveLocked(ctx, k, r); err != nil {
			r.State = StateLive
			m.log.Warn("ephemeral: could not begin a deletion", "name", r.Name(), "err", err)
			continue
		}
		todo = append(todo, k)
	}
	m.mu.Unlock()
	for _, k := range todo {
		m.finish(ctx, k)
	}
}

// finish deletes the stream or scope of record k, then the record.
func (m *Manager) finish(ctx context.Context, k string) {
	m.mu.Lock()
	r := m.recs[k]
	var rec Record
	if r != nil {
		rec = m.copyLocked(r)
	}
	m.mu.Unlock()
	if r == nil {
		return
	}
	if err := m.delete(ctx, rec); err != nil {
		m.log.Warn("ephemeral: deletion failed; the next pass tries again", "name", rec.Name(), "err", err)
		return
	}
	if err := m.Forget(ctx, rec.Scope, rec.Stream); err != nil {
		m.log.Warn("ephemeral: could not drop the record of a deleted stream", "name", rec.Name(), "err", err)
		return
	}
	m.log.Info("ephemeral: deleted", "kind", rec.Kind, "name", rec.Name(), "reason", rec.Reason)
	if m.Deleted != nil {
		m.Deleted(rec)
	}
}

func (m *Manager) delete(ctx context.Context, rec Record) error {
	if rec.Kind == KindStream {
		if err := m.streams.DeleteStream(ctx, rec.Scope, rec.Stream); err != nil && !errors.Is(err, controller.ErrStreamNotFound) && !errors.Is(err, controller.ErrScopeNotFound) {
			return err
		}
		return nil
	}
	streams, err := m.streams.ListStreams(ctx, rec.Scope)
	if err != nil {
		if errors.Is(err, controller.ErrScopeNotFound) {
			return nil
		}
		return err
	}
	for _, s := range streams {
		if err := m.streams.DeleteStream(ctx, s.Scope, s.Name); err != nil && !errors.Is(err, controller.ErrStreamNotFound) {
			return err
		}
	}
	if err := m.streams.DeleteScope(ctx, rec.Scope); err != nil && !errors.Is(err, controller.ErrScopeNotFound) {
		return err
	}
	return nil
}
