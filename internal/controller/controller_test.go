package controller

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/meta"
	"github.com/braidstream/braid/internal/storage/segstore"
)

// memSegments is an in-memory SegmentStore that can fail on demand. Any
// offset is an event boundary.
type memSegments struct {
	mu        sync.Mutex
	segs      map[string]*memSegment
	failOn    string // an operation ("create", "delete", "info") that fails
	failName  string // if set, only operations on this segment fail
	truncates int    // Truncate calls that reached a segment
}

type memSegment struct {
	sealed        bool
	length, start int64
}

func (m *memSegments) fail(op, name string) error {
	if m.failOn == op && (m.failName == "" || m.failName == name) {
		return fmt.Errorf("injected %s failure", op)
	}
	return nil
}

func (m *memSegments) Create(_ context.Context, name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.fail("create", name); err != nil {
		return err
	}
	if _, ok := m.segs[name]; ok {
		return segstore.ErrExists
	}
	m.segs[name] = &memSegment{}
	return nil
}

func (m *memSegments) Seal(_ context.Context, name string) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.segs[name]
	if !ok {
		return 0, segstore.ErrNotFound
	}
	s.sealed = true
	return s.length, nil
}

func (m *memSegments) Delete(_ context.Context, name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.fail("delete", name); err != nil {
		return err
	}
	if _, ok := m.segs[name]; !ok {
		return segstore.ErrNotFound
	}
	delete(m.segs, name)
	return nil
}

func (m *memSegments) Info(_ context.Context, name string) (segstore.Info, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.fail("info", name); err != nil {
		return segstore.Info{}, err
	}
	s, ok := m.segs[name]
	if !ok {
		return segstore.Info{}, segstore.ErrNotFound
	}
	return segstore.Info{Name: name, Length: s.length, Start: s.start, Sealed: s.sealed}, nil
}

func (m *memSegments) checkLocked(name string, off int64) (*memSegment, error) {
	s, ok := m.segs[name]
	if !ok {
		return nil, segstore.ErrNotFound
	}
	if off > s.length {
		return nil, fmt.Errorf("%w: %s at %d, length %d", segstore.ErrOffsetOutOfRange, name, off, s.length)
	}
	return s, nil
}

func (m *memSegments) Truncate(_ context.Context, name string, off int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, err := m.checkLocked(name, off)
	if err != nil {
		return err
	}
	m.truncates++
	s.start = max(s.start, off)
	return nil
}

func (m *memSegments) CheckTruncate(_ context.Context, name string, off int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, err := m.checkLocked(name, off)
	return err
}

// write appends n bytes to a segment.
func (m *memSegments) write(t *testing.T, name string, n int64) {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.segs[name]
	if !ok {
		t.Fatalf("write to missing segment %s", name)
	}
	s.length += n
}

// start returns a segment's start offset.
func (m *memSegments) start(t *testing.T, name string) int64 {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.segs[name]
	if !ok {
		t.Fatalf("missing segment %s", name)
	}
	return s.start
}

func (m *memSegments) names() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for n := range m.segs {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func newTest(t *testing.T) (*Controller, *memSegments, meta.Store) {
	t.Helper()
	m, err := meta.OpenBolt(filepath.Join(t.TempDir(), "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	segs := &memSegments{segs: map[string]*memSegment{}}
	return New(m, segs, slog.New(slog.DiscardHandler)), segs, m
}

func TestCreateDescribeDelete(t *testing.T) {
	ctx := context.Background()
	c, segs, _ := newTest(t)
	if _, _, err := c.CreateStream(ctx, "s", "t", Config{Segments: 3}, false); !errors.Is(err, ErrScopeNotFound) {
		t.Fatalf("create in a missing scope: %v", err)
	}
	rec, scopeCreated, err := c.CreateStream(ctx, "s", "t", Config{Segments: 3}, true)
	if err != nil || !scopeCreated {
		t.Fatalf("create: %v (scope created %v)", err, scopeCreated)
	}
	cur := rec.Current().Segments
	if len(cur) != 3 || cur[0].KeyLow != 0 || cur[2].KeyHigh != 1 || cur[0].KeyHigh != cur[1].KeyLow {
		t.Fatalf("key ranges do not cover [0,1) exactly: %+v", cur)
	}
	if got := segs.names(); len(got) != 3 || got[1] != SegmentName("s", "t", cur[1].ID) {
		t.Fatalf("segments %v", got)
	}
	if _, _, err := c.CreateStream(ctx, "s", "t", Config{Segments: 3}, true); !errors.Is(err, ErrStreamExists) {
		t.Fatalf("second create: %v", err)
	}
	if err := c.DeleteScope(ctx, "s"); !errors.Is(err, ErrScopeNotEmpty) {
		t.Fatalf("delete non-empty scope: %v", err)
	}
	if err := c.SealStream(ctx, "s", "t"); err != nil {
		t.Fatal(err)
	}
	if rec, err := c.GetStream(ctx, "s", "t"); err != nil || rec.State != StateSealed {
		t.Fatalf("after seal: %+v %v", rec, err)
	}
	if err := c.DeleteStream(ctx, "s", "t"); err != nil {
		t.Fatal(err)
	}
	if got := segs.names(); len(got) != 0 {
		t.Fatalf("segments left after delete: %v", got)
	}
	if _, err := c.GetStream(ctx, "s", "t"); !errors.Is(err, ErrStreamNotFound) {
		t.Fatalf("get after delete: %v", err)
	}
	if err := c.DeleteScope(ctx, "s"); err != nil {
		t.Fatal(err)
	}
}

func TestBadInput(t *testing.T) {
	ctx := context.Background()
	c, _, _ := newTest(t)
	for _, tc := range []struct {
		scope, stream string
		segments      int
	}{
		{"", "t", 1}, {"s", "", 1}, {"a b", "t", 1}, {"s", "t/u", 1}, {"s", "..", 1},
		{"_internal", "t", 1}, {"s", "t", -1}, {"s", "t", MaxSegments + 1}, {"s", "\xff", 1},
	} {
		_, _, err := c.CreateStream(ctx, tc.scope, tc.stream, Config{Segments: tc.segments}, true)
		if !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("create %q/%q with %d segments: %v, want ErrInvalidArgument", tc.scope, tc.stream, tc.segments, err)
		}
	}
}

// A crash between announcing a create or delete and finishing it is
// finished by Recover at the next start: no half-made stream, no orphans.
func TestRecoverInterrupted(t *testing.T) {
	ctx := context.Background()
	c, segs, m := newTest(t)

	// A create that crashed before its segments were made.
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	half := StreamRecord{Scope: "s", Name: "half", Config: Config{Segments: 2}, State: StateCreating, Created: now,
		Epochs: []Epoch{{Epoch: 0, Segments: evenSplit(0, 2), Created: now}}}
	if _, err := c.CreateScope(ctx, "s"); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(half)
	if _, err := m.Put(ctx, streamKey("s", "half"), b, meta.Absent); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetStream(ctx, "s", "half"); !errors.Is(err, ErrStreamNotFound) {
		t.Fatalf("a half-created stream is visible: %v", err)
	}
	if _, _, err := c.CreateStream(ctx, "s", "gone", Config{Segments: 2}, true); err != nil {
		t.Fatal(err)
	}
	segs.failOn = "delete"
	if err := c.DeleteStream(ctx, "s", "gone"); err == nil {
		t.Fatal("delete with failing segment store succeeded")
	}
	segs.failOn = ""

	kv, err := m.Get(ctx, streamKey("s", "gone"))
	if err != nil {
		t.Fatal(err)
	}
	var rec StreamRecord
	json.Unmarshal(kv.Value, &rec)
	if rec.State != StateDeleting {
		t.Fatalf("state after failed delete %q, want %q", rec.State, StateDeleting)
	}

	// The next start.
	c2 := New(m, segs, slog.New(slog.DiscardHandler))
	if err := c2.Recover(ctx); err != nil {
		t.Fatal(err)
	}
	if r, err := c2.GetStream(ctx, "s", "half"); err != nil || r.State != StateActive {
		t.Fatalf("interrupted create not finished: %+v %v", r, err)
	}
	if _, err := c2.GetStream(ctx, "s", "gone"); !errors.Is(err, ErrStreamNotFound) {
		t.Fatalf("interrupted delete not finished: %v", err)
	}
	if got := segs.names(); len(got) != 2 || got[0] != SegmentName("s", "half", 0) {
		t.Fatalf("segments after recovery %v, want only s/half's", got)
	}
}

// TestCreateAllOrNothing: a create that fails part way (one segment cannot
// be made: a full disk) leaves no stream, no segments and no claim on the
// name, so that the same create succeeds once the store can make segments
// again. Before, the name stayed taken by a hidden stream: a retry said
// ALREADY_EXISTS and listings did not show it.
func TestCreateAllOrNothing(t *testing.T) {
	ctx := context.Background()
	c, segs, m := newTest(t)
	segs.failOn, segs.failName = "create", SegmentName("s", "x", 2)
	if _, _, err := c.CreateStream(ctx, "s", "x", Config{Segments: 4}, true); err == nil {
		t.Fatal("create with a failing segment succeeded")
	}
	if got := segs.names(); len(got) != 0 {
		t.Fatalf("segments left by the failed create: %v", got)
	}
	if _, err := c.GetStream(ctx, "s", "x"); !errors.Is(err, ErrStreamNotFound) {
		t.Fatalf("after a failed create: %v, want not found", err)
	}
	// A rollback that failed too (the disk was still full) leaves a
	// stream being created, and its segments: the next create of the
	// name clears them first.
	segs.failOn, segs.failName = "", ""
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	left := StreamRecord{Scope: "s", Name: "y", Config: Config{Segments: 3}, State: StateCreating, Created: now,
		Epochs: []Epoch{{Epoch: 0, Segments: evenSplit(0, 3), Created: now}}}
	b, _ := json.Marshal(left)
	if _, err := m.Put(ctx, streamKey("s", "y"), b, meta.Absent); err != nil {
		t.Fatal(err)
	}
	if err := segs.Create(ctx, SegmentName("s", "y", 0)); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"x", "y"} {
		rec, _, err := c.CreateStream(ctx, "s", name, Config{Segments: 2}, true)
		if err != nil {
			t.Fatalf("create %s again: %v", name, err)
		}
		if rec.State != StateActive {
			t.Fatalf("create %s again: state %s", name, rec.State)
		}
	}
	if got := segs.names(); len(got) != 4 {
		t.Fatalf("segments %v, want two of each stream", got)
	}
	list, err := c.ListStreams(ctx, "s")
	if err != nil || len(list) != 2 {
		t.Fatalf("listing: %d streams, %v; want 2", len(list), err)
	}
}

// hookedSegments runs before before the first segment create.
type hookedSegments struct {
	*memSegments
	once   sync.Once
	before func()
}

func (h *hookedSegments) Create(ctx context.Context, name string) error {
	h.once.Do(h.before)
	return h.memSegments.Create(ctx, name)
}

// TestRecoverWhileCreating: two nodes of a cluster over one metadata
// store. While one creates a stream, the other (a new leader) recovers:
// a young create is left alone; one recovered at once (age 0, as a
// single node does at start) is finished, and the node making it answers
// the create as made, its segments all there, none deleted by a rollback.
func TestRecoverWhileCreating(t *testing.T) {
	ctx := context.Background()
	_, segs, m := newTest(t)
	leader := New(m, segs, slog.New(slog.DiscardHandler))
	var state string
	hooked := &hookedSegments{memSegments: segs, before: func() {
		if err := leader.RecoverOlder(ctx, 10*time.Minute); err != nil {
			t.Error(err)
		}
		kv, err := m.Get(ctx, streamKey("s", "x"))
		if err != nil {
			t.Error(err)
			return
		}
		var rec StreamRecord
		json.Unmarshal(kv.Value, &rec)
		state = rec.State
		if err := leader.Recover(ctx); err != nil {
			t.Error(err)
		}
	}}
	node := New(m, hooked, slog.New(slog.DiscardHandler))
	rec, _, err := node.CreateStream(ctx, "s", "x", Config{Segments: 3}, true)
	if err != nil {
		t.Fatalf("a create that the leader finished meanwhile: %v", err)
	}
	if state != StateCreating {
		t.Errorf("a young create after RecoverOlder: state %q, want it left creating", state)
	}
	if rec.State != StateActive {
		t.Errorf("state %s, want active", rec.State)
	}
	if got := segs.names(); len(got) != 3 {
		t.Fatalf("segments %v, want the stream's 3", got)
	}
	if _, err := node.GetStream(ctx, "s", "x"); err != nil {
		t.Fatal(err)
	}
}
