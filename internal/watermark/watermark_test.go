package watermark

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/clock"
	"github.com/braidstream/braid/internal/controller"
	"github.com/braidstream/braid/internal/storage/segstore"
	"github.com/braidstream/braid/wire"
)

// streams is a controller stand-in holding one stream record.
type streams struct {
	mu  sync.Mutex
	rec *controller.StreamRecord
}

func (s *streams) GetStream(_ context.Context, scope, name string) (*controller.StreamRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rec == nil || s.rec.Scope != scope || s.rec.Name != name {
		return nil, controller.ErrStreamNotFound
	}
	r := *s.rec
	return &r, nil
}

// scale adds an epoch: the segments of the current one but those sealed,
// and the new ones.
func (s *streams) scale(t *testing.T, st *segstore.Store, sealed []uint64, added ...controller.Segment) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.rec.Current()
	next := controller.Epoch{Epoch: cur.Epoch + 1, Created: time.Now()}
	for _, seg := range cur.Segments {
		drop := false
		for _, id := range sealed {
			drop = drop || id == seg.ID
		}
		if drop {
			if _, err := st.Seal(context.Background(), controller.SegmentName(s.rec.Scope, s.rec.Name, seg.ID)); err != nil {
				t.Fatal(err)
			}
			continue
		}
		next.Segments = append(next.Segments, seg)
	}
	for _, seg := range added {
		if err := st.Create(context.Background(), controller.SegmentName(s.rec.Scope, s.rec.Name, seg.ID)); err != nil {
			t.Fatal(err)
		}
		next.Segments = append(next.Segments, seg)
	}
	s.rec.Epochs = append(s.rec.Epochs, next)
}

type fixture struct {
	t       *testing.T
	dir     string
	store   *segstore.Store
	streams *streams
	clock   *clock.Manual
	tr      *Tracker
}

const (
	scope  = "sc"
	stream = "st"
)

func seg(epoch, n uint32, lo, hi float64) controller.Segment {
	return controller.Segment{ID: wire.MakeSegmentID(epoch, n), KeyLow: lo, KeyHigh: hi}
}

// newFixture makes a stream of n segments in a real segment store.
func newFixture(t *testing.T, n int) *fixture {
	f := &fixture{t: t, dir: t.TempDir(), clock: clock.NewManual(time.Unix(1_800_000_000, 0))}
	f.open()
	ep := controller.Epoch{Epoch: 0, Created: time.Now()}
	for i := range n {
		s := seg(0, uint32(i), float64(i)/float64(n), float64(i+1)/float64(n))
		if i == n-1 {
			s.KeyHigh = 1
		}
		ep.Segments = append(ep.Segments, s)
		if err := f.store.Create(context.Background(), controller.SegmentName(scope, stream, s.ID)); err != nil {
			t.Fatal(err)
		}
	}
	f.streams = &streams{rec: &controller.StreamRecord{Scope: scope, Name: stream, State: controller.StateActive, Epochs: []controller.Epoch{ep}}}
	f.tr = New(f.streams, f.store, Options{Clock: f.clock})
	return f
}

func (f *fixture) open() {
	st, err := segstore.Open(context.Background(), segstore.Options{Dir: f.dir, Containers: 1})
	if err != nil {
		f.t.Fatal(err)
	}
	f.store = st
	f.t.Cleanup(func() { st.Close() })
}

// restart closes the store and opens it again with a new tracker.
func (f *fixture) restart() {
	f.store.Close()
	f.open()
	f.tr = New(f.streams, f.store, Options{Clock: f.clock})
}

// write appends n events of 10 bytes of payload to a segment and returns
// its new length.
func (f *fixture) write(id uint64, n int) int64 {
	f.t.Helper()
	var data []byte
	for range n {
		data = wire.AppendFrame(data, []byte("0123456789"))
	}
	res, err := f.store.AppendWait(context.Background(), controller.SegmentName(scope, stream, id), segstore.AppendRequest{Events: n, Data: data})
	if err != nil {
		f.t.Fatal(err)
	}
	return res.Offset + res.Length
}

// note reports a writer's time (seconds after the fixture's epoch) and
// moves the clock past the tracker's interval first, so that a mark is
// tried.
func (f *fixture) note(writer string, sec int64, pos map[uint64]int64) {
	f.t.Helper()
	f.clock.Add(DefaultInterval)
	if err := f.tr.NoteTime(context.Background(), scope, stream, writer, ts(sec), pos, false); err != nil {
		f.t.Fatalf("NoteTime(%s, %d): %v", writer, sec, err)
	}
}

func (f *fixture) closeWriter(writer string) {
	f.t.Helper()
	f.clock.Add(DefaultInterval)
	if err := f.tr.NoteTime(context.Background(), scope, stream, writer, 0, nil, true); err != nil {
		f.t.Fatal(err)
	}
}

func ts(sec int64) int64 { return time.Unix(1_700_000_000+sec, 0).UnixNano() }

// mark returns the stream's latest mark, failing without one.
func (f *fixture) mark() *Mark {
	f.t.Helper()
	s, err := f.tr.Watermark(context.Background(), scope, stream)
	if err != nil {
		f.t.Fatal(err)
	}
	if s.Mark == nil {
		f.t.Fatal("no watermark")
	}
	return s.Mark
}

func (f *fixture) wantLower(sec int64) {
	f.t.Helper()
	if got := f.mark().Lower; got != ts(sec) {
		f.t.Fatalf("watermark at %d s, want %d s", (got-ts(0))/1e9, sec)
	}
}

func TestMinimumOverWriters(t *testing.T) {
	f := newFixture(t, 2)
	s0, s1 := seg(0, 0, 0, 0).ID, seg(0, 1, 0, 0).ID
	a, b := f.write(s0, 3), f.write(s1, 2)
	if s, _ := f.tr.Watermark(context.Background(), scope, stream); s.Mark != nil {
		t.Fatal("a watermark before any writer noted time")
	}
	f.note("A", 100, map[uint64]int64{s0: a})
	f.wantLower(100)
	f.note("B", 50, map[uint64]int64{s1: b})
	f.wantLower(100) // marks never go back: B's 50 makes none
	f.note("A", 200, map[uint64]int64{s0: a})
	f.wantLower(100)
	f.note("B", 150, map[uint64]int64{s1: b})
	m := f.mark()
	if m.Lower != ts(150) || m.Upper != ts(200) {
		t.Fatalf("mark %d..%d s, want 150..200", (m.Lower-ts(0))/1e9, (m.Upper-ts(0))/1e9)
	}
	if m.Cut[s0] != a || m.Cut[s1] != b {
		t.Fatalf("cut %v, want s0 at %d, s1 at %d", m.Cut, a, b)
	}
	// A time that goes back is refused.
	if err := f.tr.NoteTime(context.Background(), scope, stream, "A", ts(10), nil, false); err == nil {
		t.Fatal("a writer's time going back was taken")
	}
}

func TestSilentWriterStopsHolding(t *testing.T) {
	f := newFixture(t, 1)
	s0 := seg(0, 0, 0, 0).ID
	f.note("A", 100, map[uint64]int64{s0: f.write(s0, 1)})
	f.note("B", 300, map[uint64]int64{s0: f.write(s0, 1)})
	f.wantLower(100)
	// A falls silent; B goes on. Within the timeout A still holds.
	for sec := int64(310); sec < 330; sec += 10 {
		f.note("B", sec, map[uint64]int64{s0: f.write(s0, 1)})
	}
	f.wantLower(100)
	f.clock.Add(DefaultTimeout)
	f.note("B", 400, map[uint64]int64{s0: f.write(s0, 1)})
	f.wantLower(400)
	st, _ := f.tr.Watermark(context.Background(), scope, stream)
	for _, w := range st.Writers {
		if w.Writer == "A" && w.Active {
			t.Fatal("silent writer A still active")
		}
	}
	// A reports again: it holds again, but the watermark does not go
	// back.
	f.note("A", 350, map[uint64]int64{s0: f.write(s0, 1)})
	f.wantLower(400)
	f.note("B", 500, map[uint64]int64{s0: f.write(s0, 1)})
	f.wantLower(400)
	f.note("A", 450, map[uint64]int64{s0: f.write(s0, 1)})
	f.wantLower(450)
}

func TestClosedWriterStopsHoldingAtOnce(t *testing.T) {
	f := newFixture(t, 1)
	s0 := seg(0, 0, 0, 0).ID
	f.note("A", 100, map[uint64]int64{s0: f.write(s0, 1)})
	f.note("B", 300, map[uint64]int64{s0: f.write(s0, 1)})
	f.wantLower(100)
	f.closeWriter("A")
	f.wantLower(300)
}

func TestIdleSegmentsNeverBlock(t *testing.T) {
	f := newFixture(t, 3)
	s0, s1, s2 := seg(0, 0, 0, 0).ID, seg(0, 1, 0, 0).ID, seg(0, 2, 0, 0).ID
	old := f.write(s1, 4) // data in s1 from a writer that does not note time
	f.note("A", 100, map[uint64]int64{s0: f.write(s0, 2)})
	m := f.mark()
	if m.Cut[s1] != old || m.Cut[s2] != 0 {
		t.Fatalf("idle segments in the cut at %d and %d, want their lengths %d and 0", m.Cut[s1], m.Cut[s2], old)
	}
	// A reader that read everything there is has passed the mark, even
	// though s2 never had data.
	w, err := f.tr.Window(context.Background(), scope, stream, map[uint64]int64{s0: m.Cut[s0], s1: old, s2: 0})
	if err != nil {
		t.Fatal(err)
	}
	if !w.HasLower || w.Lower != ts(100) {
		t.Fatalf("window %+v, want lower at 100 s", w)
	}
	// One that has not read s1's data has not.
	w, _ = f.tr.Window(context.Background(), scope, stream, map[uint64]int64{s0: m.Cut[s0], s1: 0, s2: 0})
	if w.HasLower || !w.HasUpper || w.Upper != ts(100) {
		t.Fatalf("window %+v before s1's data, want no lower, upper 100 s", w)
	}
}

func TestScaleKeepsTheWatermark(t *testing.T) {
	f := newFixture(t, 2)
	s0, s1 := seg(0, 0, 0, 0.5), seg(0, 1, 0.5, 1)
	f.note("A", 100, map[uint64]int64{s0.ID: f.write(s0.ID, 2), s1.ID: f.write(s1.ID, 2)})
	f.note("B", 100, map[uint64]int64{s1.ID: f.write(s1.ID, 1)})
	f.wantLower(100)
	// Split s0 into s2 and s3.
	s2, s3 := seg(1, 2, 0, 0.25), seg(1, 3, 0.25, 0.5)
	f.streams.scale(t, f.store, []uint64{s0.ID}, s2, s3)
	f.wantLower(100)
	f.note("A", 200, map[uint64]int64{s2.ID: f.write(s2.ID, 1), s1.ID: f.write(s1.ID, 1)})
	f.wantLower(100) // B still at 100
	f.note("B", 250, map[uint64]int64{s1.ID: f.write(s1.ID, 1)})
	m := f.mark()
	if m.Lower != ts(200) {
		t.Fatalf("watermark %d s after the split, want 200", (m.Lower-ts(0))/1e9)
	}
	if _, in := m.Cut[s0.ID]; in {
		t.Fatalf("cut %v keeps s0, whose successor s2 is in it", m.Cut)
	}
	if _, in := m.Cut[s3.ID]; !in {
		t.Fatalf("cut %v misses s3, which no writer reported", m.Cut)
	}
	// A reader still in s0 has not passed it; one in s2, s3 and s1 at
	// the cut has.
	w, _ := f.tr.Window(context.Background(), scope, stream, map[uint64]int64{s0.ID: 0, s1.ID: m.Cut[s1.ID]})
	if w.HasLower && w.Lower >= ts(200) {
		t.Fatalf("reader in s0: window %+v", w)
	}
	w, _ = f.tr.Window(context.Background(), scope, stream, map[uint64]int64{s2.ID: m.Cut[s2.ID], s3.ID: m.Cut[s3.ID], s1.ID: m.Cut[s1.ID]})
	if !w.HasLower || w.Lower != ts(200) {
		t.Fatalf("reader at the cut: window %+v, want lower 200 s", w)
	}
	// Merge s2, s3 and s1 into s4.
	s4 := seg(2, 4, 0, 1)
	f.streams.scale(t, f.store, []uint64{s2.ID, s3.ID, s1.ID}, s4)
	f.note("A", 300, map[uint64]int64{s4.ID: f.write(s4.ID, 1)})
	f.wantLower(250)
	f.note("B", 320, map[uint64]int64{s4.ID: f.write(s4.ID, 2)})
	m = f.mark()
	if m.Lower != ts(300) || len(m.Cut) != 1 {
		t.Fatalf("after the merge: mark %d s, cut %v; want 300 s, s4 alone", (m.Lower-ts(0))/1e9, m.Cut)
	}
}

func TestMarksSurviveRestart(t *testing.T) {
	f := newFixture(t, 1)
	s0 := seg(0, 0, 0, 0).ID
	for sec := int64(100); sec <= 500; sec += 100 {
		f.note("A", sec, map[uint64]int64{s0: f.write(s0, 1)})
	}
	before := f.mark()
	f.restart()
	after := f.mark()
	if after.Lower != before.Lower || after.Cut[s0] != before.Cut[s0] {
		t.Fatalf("after restart %+v, before %+v", after, before)
	}
	// The windows come back too.
	w, err := f.tr.Window(context.Background(), scope, stream, map[uint64]int64{s0: before.Cut[s0] - 1})
	if err != nil {
		t.Fatal(err)
	}
	if !w.HasLower || w.Lower != ts(400) || !w.HasUpper || w.Upper != ts(500) {
		t.Fatalf("window after restart %+v, want 400..500 s", w)
	}
	// The writer reports again; the watermark moves on from the mark.
	f.note("A", 600, map[uint64]int64{s0: f.write(s0, 1)})
	f.wantLower(600)
}

func TestTruncationAndDeletion(t *testing.T) {
	f := newFixture(t, 1)
	s0 := seg(0, 0, 0, 0).ID
	var cuts []int64
	for sec := int64(100); sec <= 400; sec += 100 {
		n := f.write(s0, 1)
		cuts = append(cuts, n)
		f.note("A", sec, map[uint64]int64{s0: n})
	}
	if err := f.store.Truncate(context.Background(), controller.SegmentName(scope, stream, s0), cuts[2]); err != nil {
		t.Fatal(err)
	}
	if err := f.tr.StreamTruncated(context.Background(), scope, stream, map[uint64]int64{s0: cuts[2]}); err != nil {
		t.Fatal(err)
	}
	f.restart()
	// The marks the head passed are gone but the last of them: a reader
	// at the head has the lower bound 300 s.
	w, _ := f.tr.Window(context.Background(), scope, stream, map[uint64]int64{s0: cuts[2]})
	if !w.HasLower || w.Lower != ts(300) || !w.HasUpper || w.Upper != ts(400) {
		t.Fatalf("window at the head after truncation %+v, want 300..400 s", w)
	}
	info, err := f.store.Info(context.Background(), LogName(scope, stream))
	if err != nil || info.Start == 0 {
		t.Fatalf("mark log not truncated: %+v, %v", info, err)
	}
	if err := f.tr.StreamDeleted(context.Background(), scope, stream); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.Info(context.Background(), LogName(scope, stream)); err == nil {
		t.Fatal("mark log kept after the stream was deleted")
	}
}

func TestBadReports(t *testing.T) {
	f := newFixture(t, 1)
	ctx := context.Background()
	for name, call := range map[string]func() error{
		"no writer id":    func() error { return f.tr.NoteTime(ctx, scope, stream, "", ts(1), nil, false) },
		"zero time":       func() error { return f.tr.NoteTime(ctx, scope, stream, "A", 0, nil, false) },
		"foreign segment": func() error { return f.tr.NoteTime(ctx, scope, stream, "A", ts(1), map[uint64]int64{77: 1}, false) },
		"negative offset": func() error {
			return f.tr.NoteTime(ctx, scope, stream, "A", ts(1), map[uint64]int64{seg(0, 0, 0, 0).ID: -1}, false)
		},
		"no such stream":   func() error { return f.tr.NoteTime(ctx, scope, "nope", "A", ts(1), nil, false) },
		"window elsewhere": func() error { _, err := f.tr.Window(ctx, scope, stream, map[uint64]int64{77: 0}); return err },
	} {
		if err := call(); err == nil {
			t.Errorf("%s: no error", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
}

// TestThinBounds: three days of marks, one a second, thin to every mark of
// the last hour, one a minute of the day before and one an hour beyond,
// the newest kept; a stream silent for days keeps its last mark.
func TestThinBounds(t *testing.T) {
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	var marks []*Mark
	for i := range 3 * 86400 {
		marks = append(marks, &Mark{Lower: int64(i), Made: start.Add(time.Duration(i) * time.Second)})
	}
	newest := marks[len(marks)-1]
	now := newest.Made
	kept := thin(marks, now)
	if n, bound := len(kept), 3600+1380+48+3; n > bound || n < 3600+1380 {
		t.Fatalf("%d marks kept of 3 days, want about 3600+1380+48 (at most %d)", n, bound)
	}
	if kept[len(kept)-1] != newest {
		t.Fatal("the newest mark was dropped")
	}
	for i := 1; i < len(kept); i++ {
		if kept[i].Lower <= kept[i-1].Lower {
			t.Fatalf("marks out of order at %d", i)
		}
	}
	if again := thin(kept, now); len(again) != len(kept) {
		t.Fatalf("thinning again dropped %d more", len(kept)-len(again))
	}
	silent := thin(kept, now.Add(30*24*time.Hour))
	if silent[len(silent)-1] != newest || len(silent) > 3*24+2 {
		t.Fatalf("a month later: %d marks, newest kept %v", len(silent), silent[len(silent)-1] == newest)
	}
}
