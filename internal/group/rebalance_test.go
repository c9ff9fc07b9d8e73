package group

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/goleak"

	"github.com/braidstream/braid/internal/controller"
	"github.com/braidstream/braid/internal/limits"
	"github.com/braidstream/braid/internal/storage/segstore"
	"github.com/braidstream/braid/wire"
)

// scaledWorld is one stream "s/st" with a history of epochs, standing in
// for the controller and the segment store. Segment ids are small numbers
// (the group does not read epochs out of them). Every segment holds two
// events; a segment no longer in the current epoch is sealed.
type scaledWorld struct {
	rec  *controller.StreamRecord
	data map[uint64][]byte
}

// seg is "id:low-high", e.g. "3:0-0.5".
func newScaledWorld(tb testing.TB, epochs ...[]string) *scaledWorld {
	tb.Helper()
	w := &scaledWorld{rec: &controller.StreamRecord{Scope: "s", Name: "st"}, data: map[uint64][]byte{}}
	for i, segs := range epochs {
		e := controller.Epoch{Epoch: uint32(i)}
		for _, s := range segs {
			id, rng, ok1 := strings.Cut(s, ":")
			lo, hi, ok2 := strings.Cut(rng, "-")
			n, err1 := strconv.ParseUint(id, 10, 64)
			l, err2 := strconv.ParseFloat(lo, 64)
			h, err3 := strconv.ParseFloat(hi, 64)
			if !ok1 || !ok2 || err1 != nil || err2 != nil || err3 != nil {
				tb.Fatalf("bad segment %q", s)
			}
			e.Segments = append(e.Segments, controller.Segment{ID: n, KeyLow: l, KeyHigh: h})
			if w.data[n] == nil {
				w.data[n] = wire.AppendFrame(wire.AppendFrame(nil, []byte("first")), []byte("second"))
			}
		}
		w.rec.Epochs = append(w.rec.Epochs, e)
	}
	return w
}

// flat is n segments 1..n over [0,1) in one epoch.
func flat(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%d:%g-%g", i+1, float64(i)/float64(n), float64(i+1)/float64(n))
	}
	return out
}

func (w *scaledWorld) id(name string) (uint64, bool) {
	for id := range w.data {
		if controller.SegmentName("s", "st", id) == name {
			return id, true
		}
	}
	return 0, false
}

func (w *scaledWorld) sealed(id uint64) bool {
	return !slices.ContainsFunc(w.rec.Current().Segments, func(s controller.Segment) bool { return s.ID == id })
}

func (w *scaledWorld) GetStream(_ context.Context, scope, name string) (*controller.StreamRecord, error) {
	if scope != "s" || name != "st" {
		return nil, fmt.Errorf("%w: %s/%s", controller.ErrStreamNotFound, scope, name)
	}
	return w.rec, nil
}

// HeadCut is the first epoch's segments at 0: the group starts before
// every scaling.
func (w *scaledWorld) HeadCut(context.Context, *controller.StreamRecord) (map[uint64]int64, error) {
	out := map[uint64]int64{}
	for _, s := range w.rec.Epochs[0].Segments {
		out[s.ID] = 0
	}
	return out, nil
}

func (w *scaledWorld) TailCut(context.Context, *controller.StreamRecord) (map[uint64]int64, error) {
	out := map[uint64]int64{}
	for _, s := range w.rec.Current().Segments {
		out[s.ID] = int64(len(w.data[s.ID]))
	}
	return out, nil
}

func (w *scaledWorld) Info(_ context.Context, name string) (segstore.Info, error) {
	id, ok := w.id(name)
	if !ok {
		return segstore.Info{}, fmt.Errorf("%w: %s", segstore.ErrNotFound, name)
	}
	return segstore.Info{Name: name, Length: int64(len(w.data[id])), Sealed: w.sealed(id)}, nil
}

// Read answers only reads at event boundaries (all these tests send).
func (w *scaledWorld) Read(_ context.Context, name string, offset int64, _ int, _ bool) (segstore.ReadResult, error) {
	id, ok := w.id(name)
	if !ok {
		return segstore.ReadResult{}, fmt.Errorf("%w: %s", segstore.ErrNotFound, name)
	}
	d := w.data[id]
	if offset < 0 || offset > int64(len(d)) {
		return segstore.ReadResult{}, fmt.Errorf("%w: offset %d of %s", segstore.ErrOffsetOutOfRange, offset, name)
	}
	_, size, err := wire.DecodeFrame(d[offset:], 1<<20)
	if err != nil {
		return segstore.ReadResult{}, fmt.Errorf("%w: offset %d of %s", segstore.ErrNotEventBoundary, offset, name)
	}
	return segstore.ReadResult{Offset: offset, Length: int64(len(d)), Data: d[offset : offset+int64(size)]}, nil
}

var (
	_ Controller = (*scaledWorld)(nil)
	_ Segments   = (*scaledWorld)(nil)
)

// harness drives one group of a scaledWorld through reader sessions, as
// the gRPC handler does, and keeps each reader's view of what it holds
// built only from the messages it was sent.
type harness struct {
	t     *testing.T
	ctx   context.Context
	w     *scaledWorld
	mgr   *Manager
	g     *group
	clock atomic.Int64 // unix nanoseconds
	sess  map[string]*Session
	held  map[string]map[segKey]int64 // reader's view: acquired, not yet given back, at offset
	asked map[string][]Pos            // releases asked and not yet answered
	cps   []chan error                // running checkpoints
	stop  context.CancelFunc
}

func newHarness(t *testing.T, w *scaledWorld) *harness {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	h := &harness{t: t, ctx: ctx, w: w, sess: map[string]*Session{}, held: map[string]map[segKey]int64{},
		asked: map[string][]Pos{}, stop: cancel}
	h.clock.Store(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano())
	mgr, err := New(ctx, newMemMeta(), w, w, limits.New(prometheus.NewRegistry()), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	mgr.now = func() time.Time { return time.Unix(0, h.clock.Load()) }
	if _, err := mgr.Create(ctx, "s", "g", Config{Streams: []StreamSpec{{Stream: "s/st"}}}, nil); err != nil {
		t.Fatal(err)
	}
	if h.g, err = mgr.get("s", "g"); err != nil {
		t.Fatal(err)
	}
	h.mgr = mgr
	t.Cleanup(h.close)
	return h
}

// close abandons running checkpoints and waits for their goroutines.
func (h *harness) close() {
	h.stop()
	cps := h.cps
	h.cps = nil
	for _, done := range cps {
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			h.t.Error("a checkpoint did not return after its context ended")
		}
	}
}

// drain applies every waiting message to the readers' views.
func (h *harness) drain() {
	for _, id := range slices.Sorted(maps.Keys(h.sess)) {
		q := h.sess[id].mem.q
		q.mu.Lock()
		items := q.items
		q.items = nil
		q.mu.Unlock()
		h.apply(id, items)
	}
}

func (h *harness) apply(id string, as []*Assignment) {
	for _, a := range as {
		if a.Reset {
			h.held[id], h.asked[id] = map[segKey]int64{}, nil
		}
		for _, q := range a.Acquire {
			k := segKey{q.Stream, q.ID}
			if _, dup := h.held[id][k]; dup {
				h.t.Fatalf("%s was handed %v, which it holds", id, k)
			}
			h.held[id][k] = q.Offset
		}
		h.asked[id] = append(h.asked[id], a.Release...)
	}
}

func (h *harness) session(id string) *Session {
	h.t.Helper()
	s := h.sess[id]
	if s == nil {
		h.t.Fatalf("no reader %s", id)
	}
	return s
}

func (h *harness) update(id string, u Update) {
	h.t.Helper()
	u.Generation = h.session(id).Generation()
	if err := h.session(id).Update(h.ctx, u); err != nil {
		h.t.Fatalf("update of %s: %v", id, err)
	}
}

func (h *harness) gone(id string) {
	delete(h.sess, id)
	delete(h.held, id)
	delete(h.asked, id)
}

// step is one event of a case, written as text (see do).
type step string

// do runs one step:
//
//	join R          reader R joins
//	leave R         R leaves at the positions it was handed
//	drop R          R's connection closes without leaving
//	die R           R falls silent past the reader timeout; the others
//	                heartbeat and the group expires its dead
//	release R       R answers every release it was asked for
//	finish R ID     R read segment ID to its end (it must be sealed)
//	checkpoint N    a checkpoint N starts (every reader is asked)
//	pass R N        R passed checkpoint N
func (h *harness) do(s step) {
	h.t.Helper()
	f := strings.Fields(string(s))
	arg := func(i int) string {
		if i >= len(f) {
			h.t.Fatalf("step %q: missing argument", s)
		}
		return f[i]
	}
	switch f[0] {
	case "join":
		id := arg(1)
		sess, err := h.mgr.Join(h.ctx, "s", "g", id)
		if err != nil {
			h.t.Fatal(err)
		}
		h.gone(id)
		h.sess[id], h.held[id] = sess, map[segKey]int64{}
	case "leave":
		id := arg(1)
		var at []Pos
		for k, off := range h.held[id] {
			at = append(at, Pos{k.Stream, k.ID, off})
		}
		if err := h.session(id).Leave(h.ctx, h.session(id).Generation(), at); err != nil {
			h.t.Fatal(err)
		}
		h.gone(id)
	case "drop":
		id := arg(1)
		h.session(id).Drop(h.ctx)
		h.gone(id)
	case "die":
		id := arg(1)
		h.session(id) // exists
		h.clock.Add(int64(DefaultReaderTimeout + time.Millisecond))
		for other := range h.sess {
			if other != id {
				h.update(other, Update{})
			}
		}
		h.g.expire(h.ctx)
		h.drain()
		// Its queue is closed now: Next returns at once.
		wctx, cancel := context.WithTimeout(h.ctx, 10*time.Second)
		defer cancel()
		if _, err := h.sess[id].Next(wctx); !errors.Is(err, ErrNotMember) {
			h.t.Fatalf("%s after dying: got %v, want %v", id, err, ErrNotMember)
		}
		h.gone(id)
	case "release":
		id := arg(1)
		h.drain()
		var u Update
		for _, p := range h.asked[id] {
			off, ok := h.held[id][p.key()]
			if !ok {
				h.t.Fatalf("%s was asked to release %v, which it does not hold", id, p.key())
			}
			u.Released = append(u.Released, Pos{p.Stream, p.ID, off})
			delete(h.held[id], p.key())
		}
		if len(u.Released) == 0 {
			h.t.Fatalf("%s was asked to release nothing", id)
		}
		h.asked[id] = nil
		h.update(id, u)
	case "finish":
		id := arg(1)
		n, err := strconv.ParseUint(arg(2), 10, 64)
		if err != nil {
			h.t.Fatal(err)
		}
		h.drain()
		k := segKey{"s/st", n}
		if _, ok := h.held[id][k]; !ok {
			h.t.Fatalf("%s finishes %v, which it does not hold", id, k)
		}
		delete(h.held[id], k)
		h.asked[id] = slices.DeleteFunc(h.asked[id], func(p Pos) bool { return p.key() == k })
		h.update(id, Update{Finished: []Pos{{k.Stream, k.ID, int64(len(h.w.data[n]))}}})
	case "checkpoint":
		name := arg(1)
		done := make(chan error, 1)
		h.cps = append(h.cps, done)
		go func() {
			_, err := h.g.checkpoint(h.ctx, name)
			done <- err
		}()
		// Wait until it is pending: the first reader is asked to pass it.
		id := slices.Min(slices.Collect(maps.Keys(h.sess)))
		wctx, cancel := context.WithTimeout(h.ctx, 10*time.Second)
		defer cancel()
		for asked := false; !asked; {
			as, err := h.sess[id].Next(wctx)
			if err != nil {
				h.t.Fatalf("waiting for checkpoint %s to reach %s: %v", name, id, err)
			}
			h.apply(id, as)
			asked = slices.ContainsFunc(as, func(a *Assignment) bool { return a.Checkpoint == name })
		}
	case "pass":
		h.update(arg(1), Update{Checkpoint: arg(2)})
	default:
		h.t.Fatalf("unknown step %q", s)
	}
	h.drain()
	h.checkInvariants(s)
}

// checkInvariants checks what holds after every step: ownership is one
// relation seen from both sides, only active segments are owned, only
// owned ones are being released, and every reader's view (from its
// messages) is what the group thinks it owns.
func (h *harness) checkInvariants(s step) {
	h.t.Helper()
	g := h.g
	g.mu.Lock()
	defer g.mu.Unlock()
	for k, mem := range g.owner {
		if !mem.segs[k] || g.readers[mem.id] != mem {
			h.t.Fatalf("after %q: %v owned by %s, which does not hold it or is gone", s, k, mem.id)
		}
		if g.rec.active(k) == nil {
			h.t.Fatalf("after %q: %v is owned but not active", s, k)
		}
	}
	for _, mem := range g.readers {
		for k := range mem.segs {
			if g.owner[k] != mem {
				h.t.Fatalf("after %q: %s holds %v, owned by another", s, mem.id, k)
			}
		}
		if got, want := ids(slices.Collect(maps.Keys(h.held[mem.id]))), ids(slices.Collect(maps.Keys(mem.segs))); got != want {
			h.t.Fatalf("after %q: reader %s was told it holds [%s], the group says [%s]", s, mem.id, got, want)
		}
	}
	for k := range g.releasing {
		if g.owner[k] == nil {
			h.t.Fatalf("after %q: %v is being released but has no owner", s, k)
		}
	}
	for _, d := range g.rec.Done {
		if g.rec.active(d.segKey) != nil {
			h.t.Fatalf("after %q: %v is both done and active", s, d.segKey)
		}
	}
}

// state renders the assignment: each reader's segments in id order
// ("a:1,2 b:"), the segments being released, those waiting for a reader,
// and every segment the group reads (successors not yet readable are
// absent).
type state struct {
	owners, releasing, waiting, active string
}

func ids(ks []segKey) string {
	slices.SortFunc(ks, func(a, b segKey) int { return cmp.Compare(a.ID, b.ID) })
	var b strings.Builder
	for i, k := range ks {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprint(&b, k.ID)
	}
	return b.String()
}

func (h *harness) state() state {
	g := h.g
	g.mu.Lock()
	defer g.mu.Unlock()
	var st state
	var owners []string
	for _, mem := range g.members() {
		owners = append(owners, mem.id+":"+ids(slices.Collect(maps.Keys(mem.segs))))
	}
	st.owners = strings.Join(owners, " ")
	st.releasing = ids(slices.Collect(maps.Keys(g.releasing)))
	var waiting, active []segKey
	for _, a := range g.rec.Active {
		active = append(active, a.segKey)
		if g.owner[a.segKey] == nil {
			waiting = append(waiting, a.segKey)
		}
	}
	st.waiting, st.active = ids(waiting), ids(active)
	return st
}

// Topologies of the cases.
var (
	// merged: 1 and 2 merge into 3.
	merged = [][]string{{"1:0-0.5", "2:0.5-1"}, {"3:0-1"}}
	// split: 1 splits into 2 and 3.
	split = [][]string{{"1:0-1"}, {"2:0-0.5", "3:0.5-1"}}
	// chain: 1 splits into 3 and 4 (2 carries over), then 4 and 2 merge
	// into 5: 5 follows 4 and 2, 3 follows 1 alone.
	chain = [][]string{{"1:0-0.5", "2:0.5-1"}, {"3:0-0.25", "4:0.25-0.5", "2:0.5-1"}, {"3:0-0.25", "5:0.25-1"}}
)

// TestRebalance drives a group through joins, leaves, deaths, releases,
// finished segments and checkpoints, and checks after each marked step
// who holds which segment, which are being released and which wait.
func TestRebalance(t *testing.T) {
	type check struct {
		after int // index of the step after which the state is checked
		want  state
	}
	for _, tc := range []struct {
		name   string
		epochs [][]string
		steps  []step
		checks []check
	}{
		{
			name:   "one reader takes every segment",
			epochs: [][]string{flat(4)},
			steps:  []step{"join a"},
			checks: []check{{0, state{owners: "a:1,2,3,4", active: "1,2,3,4"}}},
		},
		{
			name:   "a second reader: the first gives up its newest half",
			epochs: [][]string{flat(4)},
			steps:  []step{"join a", "join b", "release a"},
			checks: []check{
				{1, state{owners: "a:1,2,3,4 b:", releasing: "3,4", active: "1,2,3,4"}},
				{2, state{owners: "a:1,2 b:3,4", active: "1,2,3,4"}},
			},
		},
		{
			name:   "uneven: 5 segments over 2 readers stop at 3 and 2",
			epochs: [][]string{flat(5)},
			steps:  []step{"join a", "join b", "release a"},
			checks: []check{
				{1, state{owners: "a:1,2,3,4,5 b:", releasing: "4,5", active: "1,2,3,4,5"}},
				{2, state{owners: "a:1,2,3 b:4,5", active: "1,2,3,4,5"}},
			},
		},
		{
			name:   "uneven: 3 over 2 readers stop at 2 and 1, over 3 at one each",
			epochs: [][]string{flat(3)},
			steps:  []step{"join a", "join b", "release a", "join c", "release a"},
			checks: []check{
				{2, state{owners: "a:1,2 b:3", active: "1,2,3"}},
				{3, state{owners: "a:1,2 b:3 c:", releasing: "2", active: "1,2,3"}},
				{4, state{owners: "a:1 b:3 c:2", active: "1,2,3"}},
			},
		},
		{
			name:   "a newcomer takes one from the first of the most loaded only",
			epochs: [][]string{flat(4)},
			steps:  []step{"join a", "join b", "release a", "join c", "release a"},
			checks: []check{
				{3, state{owners: "a:1,2 b:3,4 c:", releasing: "2", active: "1,2,3,4"}},
				{4, state{owners: "a:1 b:3,4 c:2", active: "1,2,3,4"}},
			},
		},
		{
			name:   "a segment being released is not asked for twice",
			epochs: [][]string{flat(4)},
			steps:  []step{"join a", "join b", "join c", "release a"},
			checks: []check{
				{2, state{owners: "a:1,2,3,4 b: c:", releasing: "2,3,4", active: "1,2,3,4"}},
				// The released segments go to the least loaded in turn;
				// the third finds all at one and goes to the first.
				{3, state{owners: "a:1,4 b:2 c:3", active: "1,2,3,4"}},
			},
		},
		{
			name:   "a leaving reader's segments go to the least loaded",
			epochs: [][]string{flat(6)},
			steps:  []step{"join a", "join b", "release a", "join c", "release a", "release b", "leave b"},
			checks: []check{
				{5, state{owners: "a:1,2 b:4,5 c:3,6", active: "1,2,3,4,5,6"}},
				{6, state{owners: "a:1,2,4 c:3,5,6", active: "1,2,3,4,5,6"}},
			},
		},
		{
			name:   "a dropped connection frees the segments at once",
			epochs: [][]string{flat(2)},
			steps:  []step{"join a", "join b", "release a", "drop a"},
			checks: []check{{3, state{owners: "b:1,2", active: "1,2"}}},
		},
		{
			name:   "a dead reader's segments go to the live ones",
			epochs: [][]string{flat(4)},
			steps:  []step{"join a", "join b", "release a", "die b"},
			checks: []check{
				{2, state{owners: "a:1,2 b:3,4", active: "1,2,3,4"}},
				{3, state{owners: "a:1,2,3,4", active: "1,2,3,4"}},
			},
		},
		{
			name:   "the last reader gone: every segment waits",
			epochs: [][]string{flat(2)},
			steps:  []step{"join a", "leave a", "join b"},
			checks: []check{
				{1, state{waiting: "1,2", active: "1,2"}},
				{2, state{owners: "b:1,2", active: "1,2"}},
			},
		},
		{
			name:   "merge: the successor waits for both predecessors",
			epochs: merged,
			steps:  []step{"join a", "join b", "release a", "finish a 1", "finish b 2"},
			checks: []check{
				{2, state{owners: "a:1 b:2", active: "1,2"}},
				{3, state{owners: "a: b:2", active: "2"}},
				{4, state{owners: "a:3 b:", active: "3"}},
			},
		},
		{
			name:   "merge: predecessors finished in the other order",
			epochs: merged,
			steps:  []step{"join a", "finish a 2", "finish a 1"},
			checks: []check{
				{1, state{owners: "a:1", active: "1"}},
				{2, state{owners: "a:3", active: "3"}},
			},
		},
		{
			name:   "split: both successors start and spread",
			epochs: split,
			steps:  []step{"join a", "join b", "finish a 1"},
			checks: []check{
				{1, state{owners: "a:1 b:", active: "1"}},
				{2, state{owners: "a:2 b:3", active: "2,3"}},
			},
		},
		{
			name:   "chain: a successor of a carried-over segment waits for it",
			epochs: chain,
			steps:  []step{"join a", "join b", "release a", "finish a 1", "finish a 4", "finish b 2"},
			checks: []check{
				{2, state{owners: "a:1 b:2", active: "1,2"}},
				// Both successors of 1 go to a, the least loaded then.
				{3, state{owners: "a:3,4 b:2", active: "2,3,4"}},
				// 4 is done, but 5 also follows 2, which is not.
				{4, state{owners: "a:3 b:2", active: "2,3"}},
				{5, state{owners: "a:3 b:5", active: "3,5"}},
			},
		},
		{
			name:   "checkpoint: a newcomer gets nothing until it completes",
			epochs: [][]string{flat(4)},
			steps:  []step{"join a", "checkpoint c1", "join b", "pass a c1", "release a"},
			checks: []check{
				{2, state{owners: "a:1,2,3,4 b:", active: "1,2,3,4"}},
				{3, state{owners: "a:1,2,3,4 b:", releasing: "3,4", active: "1,2,3,4"}},
				{4, state{owners: "a:1,2 b:3,4", active: "1,2,3,4"}},
			},
		},
		{
			name:   "checkpoint: a leaver's segments wait until it completes",
			epochs: [][]string{flat(4)},
			steps:  []step{"join a", "join b", "release a", "checkpoint c1", "leave b", "pass a c1"},
			checks: []check{
				{4, state{owners: "a:1,2", waiting: "3,4", active: "1,2,3,4"}},
				{5, state{owners: "a:1,2,3,4", active: "1,2,3,4"}},
			},
		},
		{
			name:   "checkpoint: successors of a finished segment start after it",
			epochs: split,
			steps:  []step{"join a", "join b", "checkpoint c1", "finish a 1", "pass a c1", "pass b c1"},
			checks: []check{
				{3, state{owners: "a: b:", active: ""}},
				{4, state{owners: "a: b:", active: ""}},
				{5, state{owners: "a:2 b:3", active: "2,3"}},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Cleanup(func() { goleak.VerifyNone(t) }) // after the harness's cleanup
			h := newHarness(t, newScaledWorld(t, tc.epochs...))
			checks := tc.checks
			for i, s := range tc.steps {
				h.do(s)
				for len(checks) > 0 && checks[0].after == i {
					if got := h.state(); got != checks[0].want {
						t.Fatalf("after step %d %q:\n got %+v\nwant %+v", i, s, got, checks[0].want)
					}
					checks = checks[1:]
				}
			}
			if len(checks) > 0 {
				t.Fatalf("check after step %d: no such step", checks[0].after)
			}
			h.close()
		})
	}
}
