package group

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/braidstream/braid/internal/controller"
	"github.com/braidstream/braid/internal/limits"
	"github.com/braidstream/braid/internal/meta"
	"github.com/braidstream/braid/internal/storage/segstore"
	"github.com/braidstream/braid/wire"
)

// memMeta is a meta.Store in memory.
type memMeta struct {
	mu   sync.Mutex
	kvs  map[string]meta.KV
	puts int
}

var _ meta.Store = (*memMeta)(nil)

func newMemMeta() *memMeta { return &memMeta{kvs: map[string]meta.KV{}} }

func (m *memMeta) Get(_ context.Context, key string) (meta.KV, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	kv, ok := m.kvs[key]
	if !ok {
		return meta.KV{}, meta.ErrNotFound
	}
	return kv, nil
}

func (m *memMeta) Put(_ context.Context, key string, value []byte, expect int64) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	kv, ok := m.kvs[key]
	if expect != meta.Any && (expect == meta.Absent && ok || expect != meta.Absent && kv.Version != expect) {
		return 0, meta.ErrConflict
	}
	m.puts++
	kv = meta.KV{Key: key, Value: append([]byte(nil), value...), Version: kv.Version + 1}
	m.kvs[key] = kv
	return kv.Version, nil
}

func (m *memMeta) Delete(_ context.Context, key string, expect int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	kv, ok := m.kvs[key]
	if !ok {
		return meta.ErrNotFound
	}
	if expect != meta.Any && kv.Version != expect {
		return meta.ErrConflict
	}
	delete(m.kvs, key)
	return nil
}

func (m *memMeta) List(_ context.Context, prefix string) ([]meta.KV, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []meta.KV
	for k, kv := range m.kvs {
		if strings.HasPrefix(k, prefix) {
			out = append(out, kv)
		}
	}
	return out, nil
}

func (m *memMeta) Close() error { return nil }

// fakeSeg is one segment: framed events from offset 0, of which those
// before start are truncated.
type fakeSeg struct {
	data  []byte
	start int64
}

// fakeWorld is one stream "s/st" of fake segments, standing in for the
// controller and the segment store.
type fakeWorld struct {
	rec  *controller.StreamRecord
	segs map[string]*fakeSeg // by segment name
}

func newWorld(nsegs, events int) *fakeWorld {
	w := &fakeWorld{rec: &controller.StreamRecord{Scope: "s", Name: "st"}, segs: map[string]*fakeSeg{}}
	var e controller.Epoch
	for i := range nsegs {
		id := uint64(i + 1)
		e.Segments = append(e.Segments, controller.Segment{ID: id, KeyLow: float64(i) / float64(nsegs), KeyHigh: float64(i+1) / float64(nsegs)})
		s := &fakeSeg{}
		for j := range events {
			s.data = wire.AppendFrame(s.data, fmt.Appendf(nil, "event %d of %d", j, id))
		}
		w.segs[controller.SegmentName("s", "st", id)] = s
	}
	e.Segments[nsegs-1].KeyHigh = 1
	w.rec.Epochs = []controller.Epoch{e}
	return w
}

func (w *fakeWorld) GetStream(_ context.Context, scope, name string) (*controller.StreamRecord, error) {
	if scope != w.rec.Scope || name != w.rec.Name {
		return nil, fmt.Errorf("%w: %s/%s", controller.ErrStreamNotFound, scope, name)
	}
	return w.rec, nil
}

func (w *fakeWorld) cut(f func(*fakeSeg) int64) map[uint64]int64 {
	out := map[uint64]int64{}
	for _, s := range w.rec.Current().Segments {
		out[s.ID] = f(w.segs[controller.SegmentName("s", "st", s.ID)])
	}
	return out
}

func (w *fakeWorld) HeadCut(context.Context, *controller.StreamRecord) (map[uint64]int64, error) {
	return w.cut(func(s *fakeSeg) int64 { return s.start }), nil
}

func (w *fakeWorld) TailCut(context.Context, *controller.StreamRecord) (map[uint64]int64, error) {
	return w.cut(func(s *fakeSeg) int64 { return int64(len(s.data)) }), nil
}

func (w *fakeWorld) Info(_ context.Context, name string) (segstore.Info, error) {
	s := w.segs[name]
	if s == nil {
		return segstore.Info{}, fmt.Errorf("%w: %s", segstore.ErrNotFound, name)
	}
	return segstore.Info{Name: name, Length: int64(len(s.data)), Start: s.start}, nil
}

// Read follows segstore.Store.Read (without waiting).
func (w *fakeWorld) Read(_ context.Context, name string, offset int64, maxBytes int, _ bool) (segstore.ReadResult, error) {
	s := w.segs[name]
	if s == nil {
		return segstore.ReadResult{}, fmt.Errorf("%w: %s", segstore.ErrNotFound, name)
	}
	res := segstore.ReadResult{Offset: offset, Length: int64(len(s.data))}
	switch {
	case offset < 0:
		return res, fmt.Errorf("%w: negative offset %d", segstore.ErrOffsetOutOfRange, offset)
	case offset < s.start:
		return res, fmt.Errorf("%w: %s before %d", segstore.ErrTruncated, name, s.start)
	case offset > res.Length:
		return res, fmt.Errorf("%w: offset %d of %s", segstore.ErrOffsetOutOfRange, offset, name)
	case offset == res.Length:
		return res, nil
	}
	n := wire.CutFrames(s.data[offset:], max(maxBytes, 1))
	if n == 0 {
		if _, size, err := wire.DecodeFrame(s.data[offset:], 1<<20); err == nil {
			n = size
		}
	}
	if n == 0 {
		return res, fmt.Errorf("%w: offset %d of %s", segstore.ErrNotEventBoundary, offset, name)
	}
	if _, err := wire.ScanFrames(s.data[offset:offset+int64(n)], 1<<20, nil); err != nil {
		return res, fmt.Errorf("%w: offset %d of %s", segstore.ErrNotEventBoundary, offset, name)
	}
	res.Data = s.data[offset : offset+int64(n)]
	return res, nil
}

func newTestManager(tb testing.TB, w *fakeWorld, m *memMeta) (*Manager, *limits.Hits) {
	tb.Helper()
	hits := limits.New(prometheus.NewRegistry())
	mgr, err := New(context.Background(), m, w, w, hits, slog.New(slog.DiscardHandler))
	if err != nil {
		tb.Fatal(err)
	}
	return mgr, hits
}

func createGroup(tb testing.TB, mgr *Manager) {
	tb.Helper()
	if _, err := mgr.Create(context.Background(), "s", "g", Config{Streams: []StreamSpec{{Stream: "s/st"}}}, nil); err != nil {
		tb.Fatal(err)
	}
}

// joinMany joins n readers (ids r0000...) and returns their sessions.
func joinMany(tb testing.TB, mgr *Manager, n int) []*Session {
	tb.Helper()
	out := make([]*Session, n)
	for i := range out {
		s, err := mgr.Join(context.Background(), "s", "g", fmt.Sprintf("r%04d", i))
		if err != nil {
			tb.Fatal(err)
		}
		out[i] = s
	}
	return out
}

// BenchmarkGroupHeartbeat: one heartbeat (an empty update) of one of 1,000
// readers of a group reading 16 segments.
func BenchmarkGroupHeartbeat(b *testing.B) {
	mgr, _ := newTestManager(b, newWorld(16, 1), newMemMeta())
	createGroup(b, mgr)
	sess := joinMany(b, mgr, 1000)
	gen := sess[0].Generation()
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := sess[i%len(sess)].Update(ctx, Update{Generation: gen}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkGroupJoin1000: 1,000 readers joining a group of 16 segments.
func BenchmarkGroupJoin1000(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		mgr, _ := newTestManager(b, newWorld(16, 1), newMemMeta())
		createGroup(b, mgr)
		joinMany(b, mgr, 1000)
		if err := mgr.Delete(ctx, "s", "g"); err != nil {
			b.Fatal(err)
		}
	}
}

// TestGroupHeartbeatDoesNotSortMembers: a heartbeat of one of 1,000
// readers allocates nothing (sorting the members allocated a slice of
// them on every heartbeat), and the group stays balanced.
func TestGroupHeartbeatDoesNotSortMembers(t *testing.T) {
	mgr, _ := newTestManager(t, newWorld(16, 1), newMemMeta())
	createGroup(t, mgr)
	sess := joinMany(t, mgr, 1000)
	gen := sess[0].Generation()
	ctx := context.Background()
	i := 0
	allocs := testing.AllocsPerRun(1000, func() {
		if err := sess[i%len(sess)].Update(ctx, Update{Generation: gen}); err != nil {
			t.Fatal(err)
		}
		i++
	})
	if allocs > 0 {
		t.Errorf("a heartbeat of one of 1000 readers allocates %v times, want 0", allocs)
	}
	in, err := mgr.Describe(ctx, "s", "g")
	if err != nil {
		t.Fatal(err)
	}
	owned := 0
	for _, r := range in.Readers {
		owned += len(r.Segments)
	}
	if len(in.Readers) != 1000 || owned != 16 {
		t.Fatalf("%d readers own %d segments, want 1000 and 16", len(in.Readers), owned)
	}
	// The first reader got every segment and was asked to release all but
	// one (these readers never answer).
	g, err := mgr.get("s", "g")
	if err != nil {
		t.Fatal(err)
	}
	g.mu.Lock()
	releasing := len(g.releasing)
	g.mu.Unlock()
	if releasing != 15 {
		t.Fatalf("%d segments being released, want 15", releasing)
	}
}

// TestGroupMembersStayOrdered: after joins and leaves in any order, the
// segments go to the readers in id order (the order rebalance always used),
// so the kept order is the sorted one.
func TestGroupMembersStayOrdered(t *testing.T) {
	mgr, _ := newTestManager(t, newWorld(4, 1), newMemMeta())
	createGroup(t, mgr)
	ctx := context.Background()
	var sess []*Session
	for _, id := range []string{"d", "b", "a", "c", "e"} {
		s, err := mgr.Join(ctx, "s", "g", id)
		if err != nil {
			t.Fatal(err)
		}
		sess = append(sess, s)
	}
	// "a" joined third; every segment went to the first readers in order.
	for _, s := range sess {
		if s.mem.id == "b" {
			s.Leave(ctx, s.Generation(), nil)
		}
	}
	if _, err := mgr.Join(ctx, "s", "g", "b"); err != nil {
		t.Fatal(err)
	}
	g, err := mgr.get("s", "g")
	if err != nil {
		t.Fatal(err)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	var ids []string
	for _, m := range g.members() {
		ids = append(ids, m.id)
	}
	if got := strings.Join(ids, ","); got != "a,b,c,d,e" || len(g.readers) != 5 {
		t.Fatalf("members in order %s (%d readers), want a,b,c,d,e", got, len(g.readers))
	}
}

func offsetOf(t *testing.T, mgr *Manager, id uint64) int64 {
	t.Helper()
	in, err := mgr.Describe(context.Background(), "s", "g")
	if err != nil {
		t.Fatal(err)
	}
	for _, seg := range in.Segments {
		if seg.ID == id {
			return seg.Offset
		}
	}
	t.Fatalf("segment %d is not read", id)
	return 0
}

// TestGroupCommitChecked: commits, releases and leaves at positions that
// are not event boundaries of the segment are refused whole (nothing of the
// update applies), counted, and leave the group readable; good ones move
// the group on.
func TestGroupCommitChecked(t *testing.T) {
	w := newWorld(2, 4)
	frame := int64(len(w.segs[controller.SegmentName("s", "st", 1)].data) / 4)
	tail := 4 * frame
	for _, tc := range []struct {
		name string
		u    func(gen int64) Update
		err  error  // nil: accepted
		want int64  // segment 1's offset after
		text string // in the error
	}{
		{"boundary", func(g int64) Update { return Update{Generation: g, Commit: []Pos{{"s/st", 1, frame}}} }, nil, frame, ""},
		{"tail", func(g int64) Update { return Update{Generation: g, Commit: []Pos{{"s/st", 1, tail}}} }, nil, tail, ""},
		{"past the tail", func(g int64) Update { return Update{Generation: g, Commit: []Pos{{"s/st", 1, tail + 1}}} }, segstore.ErrOffsetOutOfRange, 0, "past its tail"},
		{"inside an event", func(g int64) Update { return Update{Generation: g, Commit: []Pos{{"s/st", 1, frame + 3}}} }, segstore.ErrNotEventBoundary, 0, "not at an event boundary"},
		{"one bad of two", func(g int64) Update {
			return Update{Generation: g, Commit: []Pos{{"s/st", 1, frame}, {"s/st", 2, 3}}}
		}, segstore.ErrNotEventBoundary, 0, "segment s/st/0000000000000002"},
		{"release inside an event", func(g int64) Update { return Update{Generation: g, Released: []Pos{{"s/st", 1, 1}}} }, segstore.ErrNotEventBoundary, 0, "offset 1"},
		{"finished before the end", func(g int64) Update { return Update{Generation: g, Finished: []Pos{{"s/st", 1, frame}}} }, ErrBadPosition, 0, "does not end"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mgr, hits := newTestManager(t, w, newMemMeta())
			createGroup(t, mgr)
			ctx := context.Background()
			s, err := mgr.Join(ctx, "s", "g", "r")
			if err != nil {
				t.Fatal(err)
			}
			err = s.Update(ctx, tc.u(s.Generation()))
			switch {
			case tc.err == nil && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.err != nil && (!errors.Is(err, tc.err) || !errors.Is(err, ErrBadPosition) || !strings.Contains(err.Error(), tc.text)):
				t.Fatalf("got %v, want %v naming %q", err, tc.err, tc.text)
			}
			if got := offsetOf(t, mgr, 1); got != tc.want {
				t.Fatalf("segment 1 at %d, want %d", got, tc.want)
			}
			if n := hits.Count("group-commit"); (n == 1) != (tc.err != nil) {
				t.Fatalf("group-commit hits %v", n)
			}
		})
	}
}

// TestGroupRepairsStoredPositions: positions stored by an older build past
// a segment's tail, inside an event or before its truncation point are
// moved to the tail, the event boundary before, and the start when the
// manager loads the group, so that the group stays readable.
func TestGroupRepairsStoredPositions(t *testing.T) {
	w := newWorld(4, 4)
	frame := int64(len(w.segs[controller.SegmentName("s", "st", 1)].data) / 4)
	w.segs[controller.SegmentName("s", "st", 4)].start = 2 * frame
	m := newMemMeta()
	mgr, _ := newTestManager(t, w, m)
	createGroup(t, mgr)
	stored := map[uint64]int64{1: 1_000_000, 2: 2*frame + 5, 3: frame, 4: frame}
	want := map[uint64]int64{1: 4 * frame, 2: 2 * frame, 3: frame, 4: 2 * frame}
	ctx := context.Background()
	kv, err := m.Get(ctx, groupKey("s", "g"))
	if err != nil {
		t.Fatal(err)
	}
	var rec record
	if err := json.Unmarshal(kv.Value, &rec); err != nil {
		t.Fatal(err)
	}
	for _, a := range rec.Active {
		a.Offset = stored[a.ID]
	}
	if _, err := m.Put(ctx, groupKey("s", "g"), mustJSON(&rec), meta.Any); err != nil {
		t.Fatal(err)
	}

	mgr, _ = newTestManager(t, w, m) // a restart
	for id, off := range want {
		if got := offsetOf(t, mgr, id); got != off {
			t.Errorf("segment %d loaded at %d, want %d (stored %d)", id, got, off, stored[id])
		}
	}
	s, err := mgr.Join(ctx, "s", "g", "r")
	if err != nil {
		t.Fatal(err)
	}
	nctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	as, err := s.Next(nctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as {
		for _, q := range a.Acquire {
			if q.Offset != want[q.ID] {
				t.Errorf("segment %d handed out at %d, want %d", q.ID, q.Offset, want[q.ID])
			}
		}
	}
	// The repair is stored: a second restart finds nothing to change.
	before := m.puts
	newTestManager(t, w, m)
	if m.puts != before {
		t.Fatalf("a second load stored the group again")
	}
}
