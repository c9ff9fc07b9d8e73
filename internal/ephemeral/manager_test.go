package ephemeral

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/clock"
	"github.com/braidstream/braid/internal/controller"
	"github.com/braidstream/braid/internal/meta"
)

// fakeStreams records deletions; fail makes them fail.
type fakeStreams struct {
	mu      sync.Mutex
	deleted []string
	scopes  map[string][]string // scope -> streams
	fail    error
}

func (f *fakeStreams) DeleteStream(_ context.Context, scope, name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return f.fail
	}
	f.deleted = append(f.deleted, scope+"/"+name)
	f.scopes[scope] = slices.DeleteFunc(f.scopes[scope], func(s string) bool { return s == name })
	return nil
}

func (f *fakeStreams) ListStreams(_ context.Context, scope string) ([]*controller.StreamRecord, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*controller.StreamRecord
	for _, s := range f.scopes[scope] {
		out = append(out, &controller.StreamRecord{Scope: scope, Name: s})
	}
	return out, nil
}

func (f *fakeStreams) DeleteScope(_ context.Context, scope string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return f.fail
	}
	f.deleted = append(f.deleted, scope)
	return nil
}

func (f *fakeStreams) got() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.deleted)
}

var t0 = time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)

func newTestManager(t *testing.T, path string, streams *fakeStreams, clk *clock.Manual) (*Manager, func()) {
	t.Helper()
	store, err := meta.OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	m := New(store, streams, clk, nil)
	if err := m.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	return m, func() { store.Close() }
}

func TestLastDetachDeletes(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewManual(t0)
	fs := &fakeStreams{scopes: map[string][]string{}}
	m, done := newTestManager(t, filepath.Join(t.TempDir(), "m.db"), fs, clk)
	defer done()
	var hs []Holder
	for i, name := range []string{"p1", "p2", "p3"} {
		_, h, created, err := m.Attach(ctx, "work", "tmp", name, 10*time.Second, 2*time.Second, true)
		if err != nil {
			t.Fatal(err)
		}
		if created != (i == 0) {
			t.Errorf("attach %d: created %v", i, created)
		}
		hs = append(hs, h)
	}
	if r, _ := m.Get("work", "tmp"); r.Owner != "p1" || len(r.Holders) != 3 {
		t.Fatalf("record %+v", r)
	}
	for _, h := range hs[:2] {
		if err := m.Detach(ctx, h.ID); err != nil {
			t.Fatal(err)
		}
		clk.Add(5 * time.Second)
		m.KeepAlive([]string{hs[2].ID}, 0)
		m.Reap(ctx)
	}
	if got := fs.got(); len(got) != 0 {
		t.Fatalf("deleted %v with a holder left", got)
	}
	if err := m.Detach(ctx, hs[2].ID); err != nil {
		t.Fatal(err)
	}
	m.Reap(ctx)
	if got := fs.got(); len(got) != 0 {
		t.Fatalf("deleted %v within the grace period", got)
	}
	clk.Add(2 * time.Second)
	m.Reap(ctx)
	if got := fs.got(); !slices.Equal(got, []string{"work/tmp"}) {
		t.Fatalf("deleted %v after the grace period, want work/tmp", got)
	}
	if _, ok := m.Get("work", "tmp"); ok {
		t.Error("the record outlived its stream")
	}
	if err := m.Detach(ctx, hs[2].ID); !errors.Is(err, ErrUnknownHolder) {
		t.Errorf("detach after the deletion: %v", err)
	}
}

func TestExpiredLeasesDeleteAndRestartRenews(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewManual(t0)
	fs := &fakeStreams{scopes: map[string][]string{"area": {"a", "b"}}}
	path := filepath.Join(t.TempDir(), "m.db")
	m, done := newTestManager(t, path, fs, clk)
	if _, _, _, err := m.Attach(ctx, "area", "", "crashed", 3*time.Second, 0, true); err != nil {
		t.Fatal(err)
	}
	done()

	// The server was down for a minute: the holder gets a fresh lease.
	clk.Add(time.Minute)
	m, done = newTestManager(t, path, fs, clk)
	defer done()
	m.Reap(ctx)
	if got := fs.got(); len(got) != 0 {
		t.Fatalf("deleted %v right after a restart", got)
	}
	clk.Add(3 * time.Second)
	m.Reap(ctx)
	if got := fs.got(); !slices.Equal(got, []string{"area/a", "area/b", "area"}) {
		t.Fatalf("deleted %v, want the scope's streams then the scope", got)
	}
}

func TestDeletionResumesAfterRestart(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewManual(t0)
	fs := &fakeStreams{scopes: map[string][]string{}, fail: errors.New("disk on fire")}
	path := filepath.Join(t.TempDir(), "m.db")
	m, done := newTestManager(t, path, fs, clk)
	_, h, _, err := m.Attach(ctx, "s", "x", "p", 0, 0, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Detach(ctx, h.ID); err != nil {
		t.Fatal(err)
	}
	m.Reap(ctx) // begins the deletion, which fails
	if r, _ := m.Get("s", "x"); r.State != StateDeleting {
		t.Fatalf("state %s after a failed deletion, want deleting", r.State)
	}
	if _, _, _, err := m.Attach(ctx, "s", "x", "q", 0, 0, true); !errors.Is(err, ErrDeleting) {
		t.Errorf("attach while deleting: %v", err)
	}
	done()
	fs.fail = nil
	m, done = newTestManager(t, path, fs, clk)
	defer done()
	m.Reap(ctx)
	if got := fs.got(); !slices.Equal(got, []string{"s/x"}) {
		t.Fatalf("after a restart: deleted %v", got)
	}
}

func TestBadRequests(t *testing.T) {
	ctx := context.Background()
	m, done := newTestManager(t, filepath.Join(t.TempDir(), "m.db"), &fakeStreams{scopes: map[string][]string{}}, clock.NewManual(t0))
	defer done()
	for _, tc := range []struct {
		lease, grace time.Duration
		create       bool
		want         error
	}{
		{time.Millisecond, 0, true, ErrInvalid},
		{48 * time.Hour, 0, true, ErrInvalid},
		{0, -time.Second, true, ErrInvalid},
		{0, 0, false, ErrNotFound},
	} {
		if _, _, _, err := m.Attach(ctx, "s", "x", "p", tc.lease, tc.grace, tc.create); !errors.Is(err, tc.want) {
			t.Errorf("attach lease %s grace %s create %v: %v, want %v", tc.lease, tc.grace, tc.create, err, tc.want)
		}
	}
	if _, unknown, _ := m.KeepAlive([]string{"nope"}, 0); !slices.Equal(unknown, []string{"nope"}) {
		t.Errorf("keepalive of an unknown holder: unknown %v", unknown)
	}
}

// TestTwoNodes is a cluster's two managers over one store: the leader
// holds the leases, another node deletes the stream by hand, and the
// leader's next save must not bring the record back, nor its reaper
// delete a stream of that name created since.
func TestTwoNodes(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewManual(t0)
	store, err := meta.OpenBolt(filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	fs := &fakeStreams{scopes: map[string][]string{}}
	leader, other := New(store, fs, clk, nil), New(store, fs, clk, nil)
	for _, m := range []*Manager{leader, other} {
		if err := m.Load(ctx); err != nil {
			t.Fatal(err)
		}
	}
	_, h, _, err := leader.Attach(ctx, "work", "tmp", "p1", 10*time.Second, 0, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := other.Forget(ctx, "work", "tmp"); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Get(ctx, "ephemeral/work/tmp"); !errors.Is(err, meta.ErrNotFound) {
		t.Fatalf("after another node's Forget, the stored record: %v", err)
	}
	if err := leader.Detach(ctx, h.ID); err == nil {
		t.Fatal("detach from a record deleted elsewhere succeeded")
	}
	if _, err := store.Get(ctx, "ephemeral/work/tmp"); !errors.Is(err, meta.ErrNotFound) {
		t.Fatalf("the leader's save brought the record back: %v", err)
	}
	if _, ok := leader.Get("work", "tmp"); ok {
		t.Error("the leader still holds a record deleted elsewhere")
	}
	clk.Add(time.Minute)
	leader.Reap(ctx)
	if got := fs.got(); len(got) != 0 {
		t.Fatalf("the leader deleted %v, a stream it no longer holds", got)
	}

	// A new leader loads what is stored, in place of what it held.
	_, h2, _, err := leader.Attach(ctx, "work", "tmp2", "p2", 10*time.Second, 0, true)
	if err != nil {
		t.Fatal(err)
	}
	leader.Release()
	if _, ok := leader.Get("work", "tmp2"); ok {
		t.Error("a released manager still holds a record")
	}
	if err := other.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if exp, unknown, _ := other.KeepAlive([]string{h2.ID}, 0); len(unknown) != 0 || exp[h2.ID].IsZero() {
		t.Fatalf("the new leader does not know holder %s: unknown %v", h2.ID, unknown)
	}
	if err := other.Detach(ctx, h2.ID); err != nil {
		t.Fatal(err)
	}
	other.Reap(ctx)
	if got := fs.got(); !slices.Equal(got, []string{"work/tmp2"}) {
		t.Fatalf("deleted %v, want work/tmp2", got)
	}
}
