package controller

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/clock"
	"github.com/braidstream/braid/internal/meta"
	"github.com/braidstream/braid/internal/storage/segstore"
	"github.com/braidstream/braid/wire"
)

// logRecorder is a slog.Handler that keeps records as "message k=v ..."
// lines.
type logRecorder struct {
	mu    sync.Mutex
	lines []string
}

func (h *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (h *logRecorder) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *logRecorder) WithGroup(string) slog.Handler            { return h }

func (h *logRecorder) Handle(_ context.Context, r slog.Record) error {
	line := r.Message
	r.Attrs(func(a slog.Attr) bool {
		line += " " + a.String()
		return true
	})
	h.mu.Lock()
	defer h.mu.Unlock()
	h.lines = append(h.lines, line)
	return nil
}

// take returns the lines logged since the last take.
func (h *logRecorder) take() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := h.lines
	h.lines = nil
	return out
}

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

type retentionTest struct {
	c    *Controller
	segs *memSegments
	meta meta.Store
	clk  *clock.Manual
	logs *logRecorder
}

func newRetentionTest(t *testing.T) *retentionTest {
	t.Helper()
	c, segs, m := newTest(t)
	rt := &retentionTest{c: c, segs: segs, meta: m, clk: clock.NewManual(t0), logs: &logRecorder{}}
	c.now = rt.clk.Now
	c.log = slog.New(rt.logs)
	return rt
}

// pass runs a retention pass at t0+at.
func (rt *retentionTest) pass(t *testing.T, at time.Duration) {
	t.Helper()
	rt.clk.Set(t0.Add(at))
	if err := rt.c.RetentionPass(t.Context()); err != nil {
		t.Fatalf("retention pass at +%v: %v", at, err)
	}
}

// create makes stream s/name with one segment and the policy, and returns
// the segment's name.
func (rt *retentionTest) create(t *testing.T, name string, p *Retention) string {
	t.Helper()
	rec, _, err := rt.c.CreateStream(t.Context(), "s", name, Config{Segments: 1, Retention: p}, true)
	if err != nil {
		t.Fatal(err)
	}
	return SegmentName("s", name, rec.Current().Segments[0].ID)
}

// totals returns the Total of each retention record of s/name.
func (rt *retentionTest) totals(t *testing.T, name string) []int64 {
	t.Helper()
	kv, err := rt.meta.Get(t.Context(), retentionKey("s", name))
	if errors.Is(err, meta.ErrNotFound) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var log retentionLog
	if err := json.Unmarshal(kv.Value, &log); err != nil {
		t.Fatal(err)
	}
	out := []int64{}
	for _, r := range log.Records {
		out = append(out, r.Total)
	}
	return out
}

func (rt *retentionTest) wantStart(t *testing.T, seg string, want int64) {
	t.Helper()
	if got := rt.segs.start(t, seg); got != want {
		t.Fatalf("%s starts at %d, want %d", seg, got, want)
	}
}

func (rt *retentionTest) wantTotals(t *testing.T, name string, want ...int64) {
	t.Helper()
	if got := rt.totals(t, name); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("retention records of s/%s have totals %v, want %v", name, got, want)
	}
}

func TestRetentionByTime(t *testing.T) {
	ctx := t.Context()
	rt := newRetentionTest(t)
	rec, _, err := rt.c.CreateStream(ctx, "s", "t", Config{Segments: 2,
		Retention: &Retention{Type: RetentionTime, MinTime: 30 * time.Minute, MaxTime: time.Hour}}, true)
	if err != nil {
		t.Fatal(err)
	}
	a := SegmentName("s", "t", rec.Current().Segments[0].ID)
	b := SegmentName("s", "t", rec.Current().Segments[1].ID)

	rt.segs.write(t, a, 100)
	rt.segs.write(t, b, 10)
	rt.pass(t, 0)
	rt.pass(t, time.Minute) // nothing new: no second record
	rt.wantTotals(t, "t", 110)
	rt.segs.write(t, a, 50)
	rt.pass(t, 20*time.Minute)
	rt.wantTotals(t, "t", 110, 160)

	rt.pass(t, 59*time.Minute) // the first cut is not an hour old yet
	rt.wantStart(t, a, 0)
	if l := rt.logs.take(); len(l) != 0 {
		t.Fatalf("logged %q before anything was due", l)
	}

	rt.pass(t, 60*time.Minute)
	rt.wantStart(t, a, 100)
	rt.wantStart(t, b, 10)
	// The applied cut stays as the head; nothing older is left.
	rt.wantTotals(t, "t", 110, 160)
	logs := rt.logs.take()
	if len(logs) != 1 || !strings.Contains(logs[0], "retention truncated stream stream=s/t") || !strings.Contains(logs[0], "bytes_removed=110") {
		t.Fatalf("log after truncation %q", logs)
	}

	// Sealed streams keep their policy.
	if err := rt.c.SealStream(ctx, "s", "t"); err != nil {
		t.Fatal(err)
	}
	rt.pass(t, 80*time.Minute)
	rt.wantStart(t, a, 150)
	rt.wantStart(t, b, 10)
	rt.wantTotals(t, "t", 160)
	if logs := rt.logs.take(); len(logs) != 1 || !strings.Contains(logs[0], "bytes_removed=50") {
		t.Fatalf("log after second truncation %q", logs)
	}

	// Forward only: the newest old-enough cut is where the stream starts.
	n := rt.segs.truncates
	rt.pass(t, 10*time.Hour)
	if rt.segs.truncates != n {
		t.Fatalf("a pass with nothing to remove truncated %d segments", rt.segs.truncates-n)
	}
	rt.wantTotals(t, "t", 160)
}

func TestRetentionBySize(t *testing.T) {
	rt := newRetentionTest(t)
	seg := rt.create(t, "t", &Retention{Type: RetentionSize, MaxBytes: 100})
	step := func(at time.Duration, write, wantStart int64, wantTotals ...int64) {
		t.Helper()
		rt.segs.write(t, seg, write)
		rt.pass(t, at)
		rt.wantStart(t, seg, wantStart)
		rt.wantTotals(t, "t", wantTotals...)
	}
	step(1*time.Minute, 60, 0, 60)              // 60 kept: under the maximum
	step(2*time.Minute, 60, 60, 60, 120)        // 120: back to the cut at 60, keeping 60
	step(3*time.Minute, 30, 60, 60, 120, 150)   // 90
	step(4*time.Minute, 30, 120, 120, 150, 180) // 120: the cut at 60 keeps 120; the one at 120 keeps 60
	// A burst over the maximum since the last cut: only the tail keeps at
	// most 100, and with no minimum the stream is emptied.
	step(5*time.Minute, 500, 680, 680)
}

func TestRetentionBySizeMinimum(t *testing.T) {
	rt := newRetentionTest(t)
	seg := rt.create(t, "t", &Retention{Type: RetentionSize, MinBytes: 50, MaxBytes: 100})
	step := func(at time.Duration, write, wantStart int64, wantTotals ...int64) {
		t.Helper()
		rt.segs.write(t, seg, write)
		rt.pass(t, at)
		rt.wantStart(t, seg, wantStart)
		rt.wantTotals(t, "t", wantTotals...)
	}
	step(1*time.Minute, 80, 0, 80)
	step(2*time.Minute, 80, 80, 80, 160)        // the cut at 80 keeps 80: between 50 and 100
	step(3*time.Minute, 90, 160, 160, 250)      // the cut at 160 keeps 90
	step(4*time.Minute, 95, 250, 250, 345)      // the cut at 250 keeps 95
	step(5*time.Minute, 120, 345, 345, 465)     // only the tail keeps <= 100 but it keeps < 50: the cut at 345 keeps 120
	step(6*time.Minute, 10, 345, 345, 465, 475) // the same choice again: not forward, nothing happens
	// The burst without a minimum empties the stream (see above); with
	// one, the last cut before the burst stays.
	step(7*time.Minute, 1000, 475, 475, 1475)
}

// chooseCut on its own, for the edges.
func TestChooseCut(t *testing.T) {
	recs := func(totals ...int64) []retentionRecord {
		var out []retentionRecord
		for i, tot := range totals {
			out = append(out, retentionRecord{UnixMs: t0.Add(time.Duration(i) * time.Hour).UnixMilli(), Total: tot})
		}
		return out
	}
	size := func(min, max int64) *Retention { return &Retention{Type: RetentionSize, MinBytes: min, MaxBytes: max} }
	for _, tc := range []struct {
		name        string
		p           *Retention
		recs        []retentionRecord
		now         time.Duration
		total, kept int64
		want        int
	}{
		{"size under max", size(0, 100), recs(0, 50, 100), 0, 100, 100, -1},
		{"size just over", size(0, 100), recs(0, 50, 101), 0, 101, 101, 1},
		{"size oldest within max", size(0, 100), recs(0, 10, 20, 300), 0, 300, 300, 3},
		{"size min pushes back", size(50, 100), recs(0, 200, 260, 300), 0, 300, 300, 1},
		{"size min exactly", size(40, 50), recs(0, 200, 260, 300), 0, 300, 300, 2},
		{"size min back to the oldest", size(500, 1000), recs(0, 800, 1200), 0, 1200, 1200, 0},
		{"size kept at max", size(0, 100), recs(0, 50, 300), 0, 300, 100, -1},
		{"size no record within max", size(0, 100), recs(0, 500), 0, 700, 700, 1},
		{"time none old enough", &Retention{Type: RetentionTime, MaxTime: 3 * time.Hour}, recs(0, 0, 0), 2 * time.Hour, 0, 0, -1},
		{"time exactly max", &Retention{Type: RetentionTime, MaxTime: 2 * time.Hour}, recs(0, 0, 0), 3 * time.Hour, 0, 0, 1},
		{"time newest old enough", &Retention{Type: RetentionTime, MaxTime: time.Hour}, recs(0, 0, 0, 0), 10 * time.Hour, 0, 0, 3},
		{"time min equals max", &Retention{Type: RetentionTime, MinTime: time.Hour, MaxTime: time.Hour}, recs(0, 0, 0), 2 * time.Hour, 0, 0, 1},
	} {
		if got := chooseCut(tc.p, tc.recs, t0.Add(tc.now), tc.total, tc.kept); got != tc.want {
			t.Errorf("%s: chose record %d, want %d", tc.name, got, tc.want)
		}
	}
}

// A truncation by hand beyond the policy's choice: retention does not move
// the stream back (it cannot) nor truncate again, and drops the records
// behind the start.
func TestRetentionForwardOnly(t *testing.T) {
	ctx := t.Context()
	rt := newRetentionTest(t)
	seg := rt.create(t, "t", &Retention{Type: RetentionTime, MaxTime: time.Hour})
	rec, err := rt.c.GetStream(ctx, "s", "t")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		rt.segs.write(t, seg, 10)
		rt.pass(t, time.Duration(i)*time.Minute)
	}
	rt.wantTotals(t, "t", 10, 20, 30, 40)
	if err := rt.c.TruncateStream(ctx, "s", "t", map[uint64]int64{rec.Current().Segments[0].ID: 30}); err != nil {
		t.Fatal(err)
	}
	n := rt.segs.truncates
	rt.pass(t, 2*time.Hour) // the newest cut an hour old is at 40, past 30
	rt.wantStart(t, seg, 40)
	rt.pass(t, 2*time.Hour+time.Minute)
	rt.pass(t, 3*time.Hour)
	if rt.segs.truncates != n+1 {
		t.Fatalf("%d truncations, want 1", rt.segs.truncates-n)
	}
	rt.wantTotals(t, "t", 40)
}

// Records are bounded: a full list is thinned, keeping its oldest and newest
// records, so that it still spans the same time.
func TestRetentionRecordsBounded(t *testing.T) {
	var recs []retentionRecord
	for i := range 1000 {
		recs = append(recs, retentionRecord{UnixMs: int64(i), Total: int64(i)})
	}
	out := thinRecords(recs, 100)
	if len(out) > 100 || len(out) < 50 || out[0].Total != 0 || out[len(out)-1].Total != 999 {
		t.Fatalf("thinned to %d records from %d to %d", len(out), out[0].Total, out[len(out)-1].Total)
	}
	for i := 1; i < len(out); i++ {
		if out[i].Total <= out[i-1].Total {
			t.Fatalf("thinned records out of order at %d", i)
		}
	}
	for n, want := range map[int]int{1: maxRetentionRecords, 8: 8192, 64: 1024, MaxSegments: 64, 1 << 20: minRetentionRecords} {
		if got := retentionLimit(n); got != want {
			t.Errorf("retentionLimit(%d) = %d, want %d", n, got, want)
		}
	}

	// Through passes: a stream written before every pass never holds more
	// than the limit, which is smallest with the most segments.
	rt := newRetentionTest(t)
	rec, _, err := rt.c.CreateStream(t.Context(), "s", "t", Config{Segments: MaxSegments,
		Retention: &Retention{Type: RetentionTime, MaxTime: 1000 * time.Hour}}, true)
	if err != nil {
		t.Fatal(err)
	}
	seg := SegmentName("s", "t", rec.Current().Segments[0].ID)
	limit := retentionLimit(MaxSegments)
	for i := range limit + 10 {
		rt.segs.write(t, seg, 1)
		rt.pass(t, time.Duration(i)*time.Second)
	}
	got := rt.totals(t, "t")
	if len(got) > limit || got[0] != 1 || got[len(got)-1] != int64(limit+10) {
		t.Fatalf("%d records from %d to %d; want at most %d from 1 to %d", len(got), got[0], got[len(got)-1], limit, limit+10)
	}
}

// Deleting a stream deletes its records, also when a crash interrupted the
// delete; removing the policy deletes them too.
func TestRetentionRecordsDeleted(t *testing.T) {
	ctx := t.Context()
	rt := newRetentionTest(t)
	p := &Retention{Type: RetentionSize, MaxBytes: 1 << 20}
	for _, name := range []string{"a", "b", "c"} {
		rt.segs.write(t, rt.create(t, name, p), 10)
	}
	rt.pass(t, 0)
	for _, name := range []string{"a", "b", "c"} {
		rt.wantTotals(t, name, 10)
	}
	if err := rt.c.DeleteStream(ctx, "s", "a"); err != nil {
		t.Fatal(err)
	}
	rt.wantTotals(t, "a")

	rt.segs.failOn = "delete"
	if err := rt.c.DeleteStream(ctx, "s", "b"); err == nil {
		t.Fatal("delete with a failing segment store succeeded")
	}
	rt.segs.failOn = ""
	rt.pass(t, time.Minute) // a deleting stream is left alone
	if err := New(rt.meta, rt.segs, slog.New(slog.DiscardHandler)).Recover(ctx); err != nil {
		t.Fatal(err)
	}
	rt.wantTotals(t, "b")

	if _, err := rt.c.UpdateStream(ctx, "s", "c", Config{}); err != nil {
		t.Fatal(err)
	}
	rt.wantTotals(t, "c")
	rt.pass(t, 2*time.Minute) // no policy: no records
	rt.wantTotals(t, "c")
	if err := rt.c.DeleteStream(ctx, "s", "c"); err != nil {
		t.Fatal(err)
	}
	if err := rt.c.DeleteScope(ctx, "s"); err != nil {
		t.Fatal(err)
	}
	kvs, err := rt.meta.List(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range kvs {
		if !strings.HasPrefix(kv.Key, "retired/") { // names' next epochs stay
			t.Errorf("metadata left after deleting everything: %s", kv.Key)
		}
	}
}

// One stream failing does not keep the pass from the others.
func TestRetentionErrorIsolated(t *testing.T) {
	rt := newRetentionTest(t)
	p := &Retention{Type: RetentionSize, MaxBytes: 10}
	a := rt.create(t, "a", p)
	b := rt.create(t, "b", p)
	rt.segs.write(t, a, 5)
	rt.segs.write(t, b, 5)
	rt.pass(t, 0)
	rt.segs.write(t, a, 10)
	rt.segs.write(t, b, 10)
	rt.segs.failOn, rt.segs.failName = "info", a
	rt.pass(t, time.Minute)
	rt.wantStart(t, a, 0)
	rt.wantStart(t, b, 5)
	logs := rt.logs.take()
	if len(logs) != 2 || !strings.HasPrefix(logs[0], "retention failed stream=s/a err=injected info failure") {
		t.Fatalf("logs %q", logs)
	}
	rt.segs.failOn = ""
	rt.pass(t, 2*time.Minute)
	rt.wantStart(t, a, 5)
}

func TestRetentionValidation(t *testing.T) {
	ctx := t.Context()
	c, _, _ := newTest(t)
	if _, _, err := c.CreateStream(ctx, "s", "u", Config{}, true); err != nil {
		t.Fatal(err)
	}
	h := time.Hour
	for _, tc := range []struct {
		p    Retention
		want string
	}{
		{Retention{}, `retention: type "": want "time" or "size"`},
		{Retention{Type: "count", MaxBytes: 1}, `type "count"`},
		{Retention{Type: RetentionTime}, "max time 0s must be positive"},
		{Retention{Type: RetentionTime, MaxTime: -h}, "max time -1h0m0s must be positive"},
		{Retention{Type: RetentionTime, MinTime: -h, MaxTime: h}, "min time -1h0m0s must not be negative"},
		{Retention{Type: RetentionTime, MinTime: 2 * h, MaxTime: h}, "min time 2h0m0s is more than max time 1h0m0s"},
		{Retention{Type: RetentionTime, MaxTime: h, MaxBytes: 5}, "min bytes and max bytes must be 0 (they are for retention by size)"},
		{Retention{Type: RetentionSize}, "max bytes 0 must be positive"},
		{Retention{Type: RetentionSize, MaxBytes: -1}, "max bytes -1 must be positive"},
		{Retention{Type: RetentionSize, MinBytes: -1, MaxBytes: 1}, "min bytes -1 must not be negative"},
		{Retention{Type: RetentionSize, MinBytes: 2, MaxBytes: 1}, "min bytes 2 is more than max bytes 1"},
		{Retention{Type: RetentionSize, MaxBytes: 1, MinTime: h}, "min time and max time must be 0 (they are for retention by time)"},
		// Every problem at once.
		{Retention{Type: RetentionSize, MinBytes: -1, MaxTime: h}, "max bytes 0 must be positive\nmin bytes -1 must not be negative\nmin time and max time"},
	} {
		_, _, err := c.CreateStream(ctx, "s", "t", Config{Retention: &tc.p}, true)
		if !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("create with %+v: %v, want ErrInvalidArgument with %q", tc.p, err, tc.want)
		}
		_, err = c.UpdateStream(ctx, "s", "u", Config{Retention: &tc.p})
		if !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("update with %+v: %v, want ErrInvalidArgument with %q", tc.p, err, tc.want)
		}
	}
	if _, err := c.GetStream(ctx, "s", "t"); !errors.Is(err, ErrStreamNotFound) {
		t.Errorf("a stream with a bad policy was created: %v", err)
	}
	if rec, err := c.GetStream(ctx, "s", "u"); err != nil || rec.Config.Retention != nil {
		t.Errorf("a bad update changed the stream: %+v %v", rec, err)
	}
}

func TestUpdateStream(t *testing.T) {
	ctx := t.Context()
	c, _, _ := newTest(t)
	if _, _, err := c.CreateStream(ctx, "s", "t", Config{Segments: 3}, true); err != nil {
		t.Fatal(err)
	}
	p := &Retention{Type: RetentionTime, MinTime: time.Hour, MaxTime: 7 * 24 * time.Hour}
	rec, err := c.UpdateStream(ctx, "s", "t", Config{Retention: p})
	if err != nil || *rec.Config.Retention != *p || rec.Config.Segments != 3 {
		t.Fatalf("update: %+v %v", rec, err)
	}
	if rec, err := c.GetStream(ctx, "s", "t"); err != nil || *rec.Config.Retention != *p {
		t.Fatalf("after update: %+v %v", rec, err)
	}
	// The same segment count is no change.
	if _, err := c.UpdateStream(ctx, "s", "t", Config{Segments: 3, Retention: p}); err != nil {
		t.Fatal(err)
	}
	_, err = c.UpdateStream(ctx, "s", "t", Config{Segments: 4})
	if !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), "segments cannot be changed (s/t has 3, the update asks for 4)") {
		t.Fatalf("update of segments: %v", err)
	}
	if rec, err := c.GetStream(ctx, "s", "t"); err != nil || rec.Config.Retention == nil {
		t.Fatalf("a refused update changed the stream: %+v %v", rec, err)
	}
	if err := c.SealStream(ctx, "s", "t"); err != nil {
		t.Fatal(err)
	}
	if rec, err := c.UpdateStream(ctx, "s", "t", Config{}); err != nil || rec.Config.Retention != nil || rec.State != StateSealed {
		t.Fatalf("update of a sealed stream: %+v %v", rec, err)
	}
	if _, err := c.UpdateStream(ctx, "s", "nope", Config{}); !errors.Is(err, ErrStreamNotFound) {
		t.Fatalf("update of a missing stream: %v", err)
	}
	if _, err := c.UpdateStream(ctx, "s", "a/b", Config{}); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("update with a bad name: %v", err)
	}
}

// manualTicker ticks when the test sends on it. Its channel is unbuffered,
// so a send returns only once the loop waits for the next tick, that is,
// once the pass before has finished.
type manualTicker struct{ c chan time.Time }

func (m *manualTicker) C() <-chan time.Time { return m.c }
func (m *manualTicker) Stop()               {}

func TestRunRetention(t *testing.T) {
	rt := newRetentionTest(t)
	tick := &manualTicker{c: make(chan time.Time)}
	var interval time.Duration
	rt.c.newTicker = func(d time.Duration) clock.Ticker { interval = d; return tick }
	seg := rt.create(t, "t", &Retention{Type: RetentionSize, MaxBytes: 10})
	rt.segs.write(t, seg, 5)

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		rt.c.RunRetention(ctx, 0)
	}()
	tick.c <- t0 // the first pass, run at once, is over
	if interval != DefaultRetentionInterval {
		t.Errorf("interval %v, want the default %v", interval, DefaultRetentionInterval)
	}
	rt.wantTotals(t, "t", 5)
	rt.segs.write(t, seg, 10)
	tick.c <- t0 // the second pass runs
	tick.c <- t0 // and is over
	rt.wantStart(t, seg, 5)
	cancel()
	<-done
}

// End to end over the real segment store: after a retention pass, reads
// below the new start fail with ErrTruncated (TRUNCATED to clients) and
// never return other bytes; reads from the start return what is left.
func TestRetentionTruncatesSegmentStore(t *testing.T) {
	ctx := t.Context()
	m, err := meta.OpenBolt(filepath.Join(t.TempDir(), "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	st, err := segstore.Open(ctx, segstore.Options{Dir: t.TempDir(), Containers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	clk := clock.NewManual(t0)
	c := New(m, st, slog.New(slog.DiscardHandler))
	c.now = clk.Now

	// Events of 92 bytes framed; at most 300 bytes kept: three events.
	rec, _, err := c.CreateStream(ctx, "s", "t", Config{Retention: &Retention{Type: RetentionSize, MaxBytes: 300}}, true)
	if err != nil {
		t.Fatal(err)
	}
	seg := SegmentName("s", "t", rec.Current().Segments[0].ID)
	var offsets []int64
	write := func(i int) {
		t.Helper()
		payload := fmt.Appendf(nil, "event %02d %s", i, strings.Repeat("x", 75))
		res, err := st.AppendWait(ctx, seg, segstore.AppendRequest{Events: 1, Data: wire.AppendFrame(nil, payload)})
		if err != nil {
			t.Fatal(err)
		}
		offsets = append(offsets, res.Offset)
	}
	for i := range 10 {
		write(i)
		clk.Set(t0.Add(time.Duration(i) * time.Minute))
		if err := c.RetentionPass(ctx); err != nil {
			t.Fatal(err)
		}
	}
	info, err := st.Info(ctx, seg)
	if err != nil {
		t.Fatal(err)
	}
	if kept := info.Length - info.Start; kept > 300 || info.Start != offsets[7] {
		t.Fatalf("after retention the segment keeps [%d, %d), want [%d, %d)", info.Start, info.Length, offsets[7], info.Length)
	}
	if _, err := st.Read(ctx, seg, 0, 1<<20, false); !errors.Is(err, segstore.ErrTruncated) {
		t.Fatalf("read from 0 after retention: %v, want ErrTruncated", err)
	}
	if _, err := st.ReadEvent(ctx, seg, offsets[6], 92); !errors.Is(err, segstore.ErrTruncated) {
		t.Fatalf("read of a removed event: %v, want ErrTruncated", err)
	}
	res, err := st.Read(ctx, seg, info.Start, 1<<20, false)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	if _, err := wire.ScanFrames(res.Data, 1<<20, func(_ int, p []byte) error {
		got = append(got, string(p[:8]))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != "[event 07 event 08 event 09]" {
		t.Fatalf("kept events %v", got)
	}
}
