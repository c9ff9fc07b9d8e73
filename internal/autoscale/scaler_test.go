package autoscale

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/braidstream/braid/internal/controller"
)

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func eventsPolicy(target int64, factor, minSegs int) *controller.Scaling {
	return &controller.Scaling{Kind: controller.ScaleEventRate, Target: target, ScaleFactor: factor, MinSegments: minSegs}
}

func ranges(segs []controller.Segment) string {
	var parts []string
	for _, s := range segs {
		parts = append(parts, fmt.Sprintf("[%g,%g)", s.KeyLow, s.KeyHigh))
	}
	return strings.Join(parts, " ")
}

// metricValue returns the value of a counter or gauge in reg with labels.
func metricValue(t *testing.T, reg *prometheus.Registry, name string, labels map[string]string) (float64, bool) {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	next:
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if labels[l.GetName()] != l.GetValue() {
					continue next
				}
			}
			if m.Counter != nil {
				return m.GetCounter().GetValue(), true
			}
			return m.GetGauge().GetValue(), true
		}
	}
	return 0, false
}

func TestSplitHot(t *testing.T) {
	for _, tc := range []struct {
		name   string
		rate   float64
		factor int
		want   string
	}{
		{"twice", 150, 4, "[0,0.5) [0.5,1)"},                                     // ceil(1.5) = 2
		{"capped by factor", 1000, 4, "[0,0.25) [0.25,0.5) [0.5,0.75) [0.75,1)"}, // min(4, 10)
		{"by rate", 650, 16, ""},                                                 // ceil(6.5) = 7, checked below
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, Options{Windows: testWindows})
			e.ctrl.add("s", "hot", 1, eventsPolicy(100, tc.factor, 1))
			e.evaluate() // starts tracking
			id := e.segs("s", "hot")[0].ID
			hot := map[uint64]float64{id: tc.rate}
			e.feed("s", "hot", hot, 900*time.Millisecond, 20*time.Millisecond)
			e.evaluate()
			if calls := e.ctrl.scaleCalls(); len(calls) != 0 {
				t.Fatalf("scaled a segment observed for less than the shortest window: %+v", calls)
			}
			e.feed("s", "hot", hot, 600*time.Millisecond, 20*time.Millisecond)
			e.evaluate()
			calls := e.ctrl.scaleCalls()
			if len(calls) != 1 || len(calls[0].seal) != 1 || calls[0].seal[0] != id {
				t.Fatalf("scale calls %+v, want one split of %016x", calls, id)
			}
			segs := e.segs("s", "hot")
			if tc.name == "by rate" {
				// ceil(650/100) = 7 equal parts.
				if len(segs) != 7 || segs[0].KeyLow != 0 || segs[6].KeyHigh != 1 {
					t.Fatalf("segments %s, want 7 equal parts", ranges(segs))
				}
				for _, s := range segs {
					if w := s.KeyHigh - s.KeyLow; math.Abs(w-1.0/7) > 1e-12 {
						t.Fatalf("segments %s, want 7 equal parts", ranges(segs))
					}
				}
				return
			}
			if got := ranges(segs); got != tc.want {
				t.Fatalf("segments %s, want %s", got, tc.want)
			}
		})
	}
}

func TestSplitLogsAndCounts(t *testing.T) {
	clock := newFakeClock()
	ctrl := newFakeCtrl(clock.Now)
	var logs bytes.Buffer
	reg := prometheus.NewRegistry()
	s, err := New(ctrl, slog.New(slog.NewTextHandler(&logs, nil)), reg, clock.Now, Options{Windows: testWindows})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, clock: clock, ctrl: ctrl, s: s}
	ctrl.add("sc", "st", 2, eventsPolicy(100, 2, 1))
	e.evaluate()
	segs := e.segs("sc", "st")
	if len(segs) != 2 {
		t.Fatalf("segments %s before any traffic", ranges(segs))
	}
	e.feed("sc", "st", map[uint64]float64{segs[0].ID: 10, segs[1].ID: 600}, 1500*time.Millisecond, 20*time.Millisecond)
	e.evaluate()
	if got := ranges(e.segs("sc", "st")); got != "[0,0.5) [0.5,0.75) [0.75,1)" {
		t.Fatalf("segments %s", got)
	}
	out := logs.String()
	for _, want := range []string{"splitting segments", "stream=sc/st", fmt.Sprintf("%016x", segs[1].ID), "3s rate", "> 1x target 100/s", "split into 2"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if v, _ := metricValue(t, reg, "braid_autoscale_scalings_total", map[string]string{"direction": "up"}); v != 1 {
		t.Errorf("scalings up = %v, want 1", v)
	}
	if v, _ := metricValue(t, reg, "braid_autoscale_scalings_total", map[string]string{"direction": "down"}); v != 0 {
		t.Errorf("scalings down = %v, want 0", v)
	}
	if v, ok := metricValue(t, reg, "braid_autoscale_stream_rate", map[string]string{"scope": "sc", "stream": "st"}); !ok || math.Abs(v-610) > 15 {
		t.Errorf("stream rate = %v (%v), want about 610", v, ok)
	}
	// The stream goes: its gauge and its counters go too.
	ctrl.remove("sc", "st")
	e.evaluate()
	if _, ok := metricValue(t, reg, "braid_autoscale_stream_rate", map[string]string{"scope": "sc", "stream": "st"}); ok {
		t.Error("rate gauge of a deleted stream is still exported")
	}
	if v, _ := metricValue(t, reg, "braid_autoscale_tracked_segments", nil); v != 0 {
		t.Errorf("tracked segments = %v after the stream went, want 0", v)
	}
}

func TestSplitByBytes(t *testing.T) {
	e := newEnv(t, Options{Windows: testWindows})
	// 15 events/s of 100 bytes: 1500 bytes/s, above a 1000 bytes/s target.
	e.ctrl.add("s", "bytes", 1, &controller.Scaling{Kind: controller.ScaleDataRate, Target: 1000, ScaleFactor: 2, MinSegments: 1})
	e.ctrl.add("s", "events", 1, eventsPolicy(1000, 2, 1))
	e.evaluate()
	e.feedAll(map[streamKey]map[uint64]float64{
		{"s", "bytes"}:  {e.segs("s", "bytes")[0].ID: 15},
		{"s", "events"}: {e.segs("s", "events")[0].ID: 15},
	}, 1600*time.Millisecond, 200*time.Millisecond)
	e.evaluate()
	if n := len(e.segs("s", "bytes")); n != 2 {
		t.Errorf("bytes stream has %d segments, want 2", n)
	}
	if n := len(e.segs("s", "events")); n != 1 {
		t.Errorf("events stream has %d segments, want 1", n)
	}
}

func TestDefaultOptions(t *testing.T) {
	e := newEnv(t, Options{})
	if got := e.s.Options(); got.Interval != 10*time.Second || got.Cooldown != 10*time.Minute || got.Windows != DefaultWindows {
		t.Fatalf("options %+v", got)
	}
	e.ctrl.add("s", "hot", 1, eventsPolicy(100, 2, 1))
	e.evaluate()
	id := e.segs("s", "hot")[0].ID
	for elapsed := time.Duration(0); elapsed < 2*time.Minute; elapsed += 10 * time.Second {
		// 600/s is hot (above 5x the target), but not judged before the
		// segment was seen for the shortest window, 2 minutes.
		e.feed("s", "hot", map[uint64]float64{id: 600}, 10*time.Second, time.Second)
		if elapsed+10*time.Second < 2*time.Minute {
			e.evaluate()
			if calls := e.ctrl.scaleCalls(); len(calls) != 0 {
				t.Fatalf("split after %v: %+v", elapsed+10*time.Second, calls)
			}
		}
	}
	e.evaluate()
	if got := ranges(e.segs("s", "hot")); got != "[0,0.5) [0.5,1)" {
		t.Fatalf("after 2 minutes at 6x: %s", got)
	}
}

func TestMergeCold(t *testing.T) {
	reg := prometheus.NewRegistry()
	clock := newFakeClock()
	ctrl := newFakeCtrl(clock.Now)
	s, err := New(ctrl, testLogger(t), reg, clock.Now, Options{Windows: testWindows, Cooldown: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, clock: clock, ctrl: ctrl, s: s}
	ctrl.add("s", "cold", 4, eventsPolicy(100, 2, 2))
	e.evaluate()
	ids := []uint64{}
	for _, s := range e.segs("s", "cold") {
		ids = append(ids, s.ID)
	}
	if len(ids) != 4 {
		t.Fatalf("segments %s before any traffic", ranges(e.segs("s", "cold")))
	}
	traffic := map[uint64]float64{ids[0]: 20, ids[1]: 20, ids[2]: 0, ids[3]: 5}
	e.feed("s", "cold", traffic, 3900*time.Millisecond, 100*time.Millisecond)
	e.evaluate()
	if calls := ctrl.scaleCalls(); len(calls) != 0 {
		t.Fatalf("merged segments observed for less than the longest window: %+v", calls)
	}
	e.feed("s", "cold", traffic, 200*time.Millisecond, 100*time.Millisecond)
	e.evaluate()
	// The coldest pair: 2 and 3.
	if got := ranges(e.segs("s", "cold")); got != "[0,0.25) [0.25,0.5) [0.5,1)" {
		t.Fatalf("after the first merge: %s", got)
	}
	e.evaluate() // drops the sealed segments' counters
	if n := s.rec.segments(); n != 2 {
		t.Errorf("%d segment counters after the merge, want 2: the sealed segments' should go", n)
	}
	// Then until only MinSegments are left, and never below.
	for range 60 {
		e.feed("s", "cold", map[uint64]float64{ids[0]: 20, ids[1]: 20}, time.Second, 100*time.Millisecond)
		e.evaluate()
	}
	if got := ranges(e.segs("s", "cold")); got != "[0,0.25) [0.25,1)" {
		t.Fatalf("after a minute: %s, want 2 segments (MinSegments)", got)
	}
	calls := ctrl.scaleCalls()
	if len(calls) != 2 {
		t.Fatalf("scale calls %+v, want two merges", calls)
	}
	for _, c := range calls {
		if len(c.seal) != 2 || len(c.ranges) != 1 {
			t.Errorf("scale call %+v is not a merge of two", c)
		}
	}
	if v, _ := metricValue(t, reg, "braid_autoscale_scalings_total", map[string]string{"direction": "down"}); v != 2 {
		t.Errorf("scalings down = %v, want 2", v)
	}
}

func TestNoMergeIntoHot(t *testing.T) {
	for _, tc := range []struct {
		name      string
		idle      time.Duration // first idle, then rate
		rate      float64
		wantMerge bool
	}{
		// 40/s each: cold, and 80/s merged is not hot.
		{"steady", 0, 40, true},
		// Idle 1.5s then 60/s for 3s: each is cold (below the target over
		// 1, 2 and 3s, 45/s over 4s is below half of it), but merged they
		// would make 120/s over 3s: hot by the third rule.
		{"rising", 1500 * time.Millisecond, 60, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, Options{Windows: testWindows})
			e.ctrl.add("s", "x", 2, eventsPolicy(100, 2, 1))
			e.evaluate()
			segs := e.mustSegs("s", "x", 2)
			e.clock.Add(tc.idle)
			e.feed("s", "x", map[uint64]float64{segs[0].ID: tc.rate, segs[1].ID: tc.rate}, 4500*time.Millisecond-tc.idle, 100*time.Millisecond)
			e.evaluate()
			if merged := len(e.ctrl.scaleCalls()) == 1; merged != tc.wantMerge {
				t.Fatalf("merged: %v, want %v (segments %s)", merged, tc.wantMerge, ranges(e.segs("s", "x")))
			}
		})
	}
}

func TestCooldown(t *testing.T) {
	e := newEnv(t, Options{Windows: testWindows, Cooldown: 10 * time.Second})
	e.ctrl.add("s", "hot", 1, eventsPolicy(100, 2, 1))
	e.evaluate()
	e.feed("s", "hot", map[uint64]float64{e.segs("s", "hot")[0].ID: 300}, 1500*time.Millisecond, 100*time.Millisecond)
	e.evaluate()
	if n := len(e.ctrl.scaleCalls()); n != 1 {
		t.Fatalf("%d scale calls, want 1", n)
	}
	scaled := e.clock.Now()
	segs := e.mustSegs("s", "hot", 2)
	hot := map[uint64]float64{segs[0].ID: 300, segs[1].ID: 300}
	for e.clock.Now().Sub(scaled) < 10*time.Second {
		e.evaluate()
		if n := len(e.ctrl.scaleCalls()); n != 1 {
			t.Fatalf("scaled again %v after a scaling (cooldown 10s)", e.clock.Now().Sub(scaled))
		}
		e.feed("s", "hot", hot, 500*time.Millisecond, 100*time.Millisecond)
	}
	e.evaluate()
	if n := len(e.ctrl.scaleCalls()); n != 2 {
		t.Fatalf("%d scale calls once the cooldown ended, want 2", n)
	}
	if n := len(e.segs("s", "hot")); n != 3 {
		t.Fatalf("%d segments, want 3", n)
	}
}

func TestCooldownAfterOtherScaling(t *testing.T) {
	e := newEnv(t, Options{Windows: testWindows, Cooldown: 10 * time.Second})
	e.ctrl.add("s", "x", 2, eventsPolicy(100, 2, 1))
	e.evaluate()
	segs := e.mustSegs("s", "x", 2)
	e.clock.Add(time.Minute)
	// An operator splits the second segment.
	if _, err := e.ctrl.Scale(context.Background(), "s", "x", []uint64{segs[1].ID}, nil2(segs[1])); err != nil {
		t.Fatal(err)
	}
	scaled := e.clock.Now()
	hot := map[uint64]float64{segs[0].ID: 1000}
	for e.clock.Now().Sub(scaled) < 10*time.Second {
		e.feed("s", "x", hot, 500*time.Millisecond, 100*time.Millisecond)
		if e.clock.Now().Sub(scaled) < 10*time.Second {
			e.evaluate()
		}
	}
	if n := len(e.ctrl.scaleCalls()); n != 1 {
		t.Fatalf("%d scale calls during the cooldown of another's scaling, want only that one", n)
	}
	e.evaluate()
	if n := len(e.ctrl.scaleCalls()); n != 2 {
		t.Fatalf("%d scale calls after the cooldown, want 2", n)
	}
}

// nil2 returns the halves of s.
func nil2(s controller.Segment) []controller.KeyRange {
	mid := (s.KeyLow + s.KeyHigh) / 2
	return []controller.KeyRange{{Low: s.KeyLow, High: mid}, {Low: mid, High: s.KeyHigh}}
}

func TestFixedAndSealedUntouched(t *testing.T) {
	e := newEnv(t, Options{Windows: testWindows, Cooldown: time.Second})
	e.ctrl.add("s", "nil", 2, nil)
	e.ctrl.add("s", "fixed", 2, &controller.Scaling{Kind: controller.ScaleFixed, Target: 1})
	e.ctrl.add("s", "sealed", 2, eventsPolicy(100, 2, 1))
	e.ctrl.seal("s", "sealed")
	e.evaluate()
	for range 20 {
		for _, name := range []string{"nil", "fixed", "sealed"} {
			for _, seg := range e.segs("s", name) {
				e.s.Recorder().Record("s", name, seg.ID, 10000, 10000) // hot
			}
		}
		e.clock.Add(time.Second)
		e.evaluate()
	}
	if calls := e.ctrl.scaleCalls(); len(calls) != 0 {
		t.Fatalf("scaled streams without an auto policy: %+v", calls)
	}
	if n := e.s.rec.segments(); n != 0 {
		t.Fatalf("%d segment counters for untracked streams", n)
	}
	// Cold and idle: no merges either.
	e.clock.Add(time.Hour)
	e.evaluate()
	if calls := e.ctrl.scaleCalls(); len(calls) != 0 {
		t.Fatalf("scaled streams without an auto policy: %+v", calls)
	}
}

func TestNewSegmentNotMerged(t *testing.T) {
	e := newEnv(t, Options{Windows: testWindows, Cooldown: time.Second})
	e.ctrl.add("s", "x", 2, eventsPolicy(100, 2, 1))
	e.evaluate()
	segs := e.mustSegs("s", "x", 2)
	// Segment 0 idle (old and cold once seen 4s), segment 1 warm (60/s:
	// neither hot nor cold), then hot.
	e.feed("s", "x", map[uint64]float64{segs[1].ID: 60}, 5*time.Second, 100*time.Millisecond)
	e.evaluate()
	if calls := e.ctrl.scaleCalls(); len(calls) != 0 {
		t.Fatalf("scale calls %+v", calls)
	}
	e.feed("s", "x", map[uint64]float64{segs[1].ID: 300}, 1500*time.Millisecond, 100*time.Millisecond)
	e.evaluate()
	if got := ranges(e.segs("s", "x")); got != "[0,0.5) [0.5,0.75) [0.75,1)" {
		t.Fatalf("after the split: %s", got)
	}
	split := e.clock.Now()
	// All idle now. The old segment 0 is cold, and so are the new ones,
	// but they are not merged before they are 4s (the longest window) old.
	for e.clock.Now().Sub(split) < 4*time.Second {
		e.evaluate()
		if n := len(e.ctrl.scaleCalls()); n != 1 {
			t.Fatalf("merged %v after the split: %s", e.clock.Now().Sub(split), ranges(e.segs("s", "x")))
		}
		e.clock.Add(250 * time.Millisecond)
	}
	e.evaluate()
	if got := ranges(e.segs("s", "x")); got != "[0,0.75) [0.75,1)" {
		t.Fatalf("4s after the split: %s, want the first pair merged", got)
	}
}

func TestScaleFailures(t *testing.T) {
	reg := prometheus.NewRegistry()
	clock := newFakeClock()
	ctrl := newFakeCtrl(clock.Now)
	s, err := New(ctrl, testLogger(t), reg, clock.Now, Options{Windows: testWindows})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, clock: clock, ctrl: ctrl, s: s}
	ctrl.add("s", "x", 1, eventsPolicy(100, 2, 1))
	e.evaluate()
	e.feed("s", "x", map[uint64]float64{e.segs("s", "x")[0].ID: 1000}, 1500*time.Millisecond, 100*time.Millisecond)

	ctrl.scaleErr = fmt.Errorf("%w: someone else first", controller.ErrScaleConflict)
	e.evaluate() // a conflict is not a failure
	injected := errors.New("injected")
	ctrl.scaleErr = injected
	if err := s.Evaluate(context.Background()); !errors.Is(err, injected) {
		t.Fatalf("Evaluate: %v, want the injected error", err)
	}
	if v, _ := metricValue(t, reg, "braid_autoscale_errors_total", nil); v != 1 {
		t.Errorf("errors = %v, want 1", v)
	}
	ctrl.scaleErr = nil
	e.evaluate()
	if n := len(e.segs("s", "x")); n != 2 {
		t.Fatalf("%d segments after the retry, want 2", n)
	}
	if n := len(ctrl.scaleCalls()); n != 3 {
		t.Fatalf("%d scale calls, want 3", n)
	}
}

func TestRecreatedStreamStartsAfresh(t *testing.T) {
	e := newEnv(t, Options{Windows: testWindows})
	e.ctrl.add("s", "x", 1, eventsPolicy(100, 2, 1))
	e.evaluate()
	id := e.segs("s", "x")[0].ID
	e.feed("s", "x", map[uint64]float64{id: 90}, 5*time.Second, 100*time.Millisecond)
	// Deleted and created again between two evaluations: same segment id,
	// but the old counts must not count.
	e.ctrl.remove("s", "x")
	e.ctrl.add("s", "x", 1, eventsPolicy(100, 2, 1))
	e.evaluate()
	since, _ := e.s.rec.since(streamKey{"s", "x"})
	if !since.Equal(e.clock.Now()) {
		t.Fatalf("tracking of the recreated stream since %v, want now %v", since, e.clock.Now())
	}
	e.clock.Add(2 * time.Second)
	k := streamKey{"s", "x"}
	if r := e.s.rec.rates(k, id, e.clock.Now(), since, testWindows, false); r != ([4]float64{}) {
		t.Fatalf("rates of the recreated stream %v, want 0", r)
	}
}

func TestOptionsValidation(t *testing.T) {
	for _, tc := range []struct {
		opts Options
		want string // "" for valid
	}{
		{Options{}, ""},
		{Options{Interval: time.Second, Cooldown: time.Minute, Windows: testWindows}, ""},
		{Options{Interval: -time.Second}, "interval -1s must be above 0"},
		{Options{Cooldown: -time.Second}, "cooldown -1s must be above 0"},
		{Options{Windows: [4]time.Duration{time.Second, 2 * time.Second}}, "window 3 (0s) must be above 0"},
		{Options{Windows: [4]time.Duration{time.Second, 3 * time.Second, 2 * time.Second, 4 * time.Second}}, "window 3 (2s) must be longer than window 2 (3s)"},
		{Options{Windows: [4]time.Duration{-time.Second, 3 * time.Second, 4 * time.Second, 5 * time.Second}}, "window 1 (-1s) must be above 0"},
	} {
		err := tc.opts.Validate()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%+v: %v", tc.opts, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%+v: error %v, want %q", tc.opts, err, tc.want)
		}
		if tc.want != "" {
			if _, err := New(newFakeCtrl(time.Now), nil, nil, nil, tc.opts); err == nil {
				t.Errorf("New accepted %+v", tc.opts)
			}
		}
	}
}

func TestRun(t *testing.T) {
	clock := newFakeClock()
	ctrl := newFakeCtrl(clock.Now)
	ctrl.listed = make(chan struct{}, 1)
	s, err := New(ctrl, testLogger(t), nil, clock.Now, Options{Interval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Run(ctx)
	}()
	<-ctrl.listed // one evaluation
	<-ctrl.listed // and another
	cancel()
	<-done
}

func TestRecorderRates(t *testing.T) {
	e := newEnv(t, Options{Windows: testWindows})
	e.ctrl.add("s", "x", 1, eventsPolicy(100, 2, 1))
	e.evaluate()
	k := streamKey{"s", "x"}
	id := e.segs("s", "x")[0].ID
	since, _ := e.s.rec.since(k)
	e.feed("s", "x", map[uint64]float64{id: 100}, time.Second, 10*time.Millisecond)
	// Seen for 1s: every window is cut to 1s, not diluted.
	for i, r := range e.s.rec.rates(k, id, e.clock.Now(), since, testWindows, false) {
		if math.Abs(r-100) > 1e-9 {
			t.Errorf("window %d: rate %v after 1s at 100/s, want 100", i, r)
		}
	}
	// Past the longest window (the ring wraps).
	e.feed("s", "x", map[uint64]float64{id: 100}, 10*time.Second, 10*time.Millisecond)
	for i, r := range e.s.rec.rates(k, id, e.clock.Now(), since, testWindows, true) {
		if math.Abs(r-10000) > 10000*0.02 {
			t.Errorf("window %d: %v bytes/s at 10000/s", i, r)
		}
	}
	// Silence for 2s: the 1s and 2s rates drop to 0, the 4s one to half.
	e.clock.Add(2 * time.Second)
	want := [4]float64{0, 0, 100.0 / 3, 50}
	for i, r := range e.s.rec.rates(k, id, e.clock.Now(), since, testWindows, false) {
		if math.Abs(r-want[i]) > 2 {
			t.Errorf("window %d: rate %v, want %v", i, r, want[i])
		}
	}
}

// TestRecorderConcurrent records from many goroutines while evaluations
// run (go test -race).
func TestRecorderConcurrent(t *testing.T) {
	e := newEnv(t, Options{Windows: testWindows, Cooldown: time.Hour})
	e.ctrl.add("s", "x", 4, eventsPolicy(1<<40, 2, 4))
	e.evaluate()
	segs := e.mustSegs("s", "x", 4)
	since, _ := e.s.rec.since(streamKey{"s", "x"})
	e.clock.Add(time.Second)
	const writers, batches = 8, 2000
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range batches {
				e.s.Recorder().Record("s", "x", segs[(w+i)%len(segs)].ID, 1, 10)
				e.s.Recorder().Record("s", "untracked", 1, 1, 10)
			}
		})
	}
	stop := make(chan struct{})
	var ev sync.WaitGroup
	ev.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			if err := e.s.Evaluate(context.Background()); err != nil {
				t.Error(err)
				return
			}
		}
	})
	wg.Wait()
	close(stop)
	ev.Wait()
	e.clock.Add(time.Second)
	total := 0.0
	for _, s := range segs {
		// The 2s window spans the 2s since tracking began.
		total += e.s.rec.rates(streamKey{"s", "x"}, s.ID, e.clock.Now(), since, testWindows, false)[1] * 2
	}
	if math.Abs(total-writers*batches) > 1e-6 {
		t.Fatalf("counted %v events, want %d", total, writers*batches)
	}
	var nilRec *Recorder
	nilRec.Record("s", "x", 1, 1, 1) // no-op
}

func BenchmarkRecord(b *testing.B) {
	clock := newFakeClock()
	ctrl := newFakeCtrl(clock.Now)
	s, err := New(ctrl, nil, nil, time.Now, Options{})
	if err != nil {
		b.Fatal(err)
	}
	ctrl.add("scope", "stream", 16, eventsPolicy(1000, 2, 1))
	if err := s.Evaluate(context.Background()); err != nil {
		b.Fatal(err)
	}
	segs := ctrl.get("scope", "stream").Current().Segments
	r := s.Recorder()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			r.Record("scope", "stream", segs[i%len(segs)].ID, 10, 1000)
			i++
		}
	})
}
