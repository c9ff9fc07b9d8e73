package autoscale

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/clock"
	"github.com/braidstream/braid/internal/controller"
	"github.com/braidstream/braid/wire"
)

func newFakeClock() *clock.Manual {
	return clock.NewManual(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC))
}

type scaleCall struct {
	stream string
	seal   []uint64
	ranges []controller.KeyRange
}

// fakeCtrl keeps stream records in memory and applies scalings the way the
// controller does (new epoch, predecessors retired, successors numbered
// after every segment so far).
type fakeCtrl struct {
	mu       sync.Mutex
	now      func() time.Time
	streams  map[string]*controller.StreamRecord // by scope/name
	calls    []scaleCall
	scaleErr error // returned by Scale if set
	listed   chan struct{}
}

func newFakeCtrl(now func() time.Time) *fakeCtrl {
	return &fakeCtrl{now: now, streams: map[string]*controller.StreamRecord{}}
}

// add makes an active stream of n equal segments, created now.
func (f *fakeCtrl) add(scope, name string, n int, p *controller.Scaling) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	e := controller.Epoch{Epoch: 0, Created: now}
	for i := range n {
		e.Segments = append(e.Segments, controller.Segment{ID: wire.MakeSegmentID(0, uint32(i)),
			KeyLow: float64(i) / float64(n), KeyHigh: float64(i+1) / float64(n)})
	}
	e.Segments[n-1].KeyHigh = 1
	f.streams[scope+"/"+name] = &controller.StreamRecord{Scope: scope, Name: name, State: controller.StateActive,
		Config: controller.Config{Segments: n, Scaling: p}, Epochs: []controller.Epoch{e}, Created: now}
}

func (f *fakeCtrl) remove(scope, name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.streams, scope+"/"+name)
}

func (f *fakeCtrl) seal(scope, name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.streams[scope+"/"+name].State = controller.StateSealed
}

func clone(rec *controller.StreamRecord) *controller.StreamRecord {
	b, err := json.Marshal(rec)
	if err != nil {
		panic(err)
	}
	var out controller.StreamRecord
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return &out
}

// get returns a copy of a stream's record.
func (f *fakeCtrl) get(scope, name string) *controller.StreamRecord {
	f.mu.Lock()
	defer f.mu.Unlock()
	return clone(f.streams[scope+"/"+name])
}

func (f *fakeCtrl) scaleCalls() []scaleCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

func (f *fakeCtrl) ListScopes(context.Context) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.listed != nil {
		select {
		case f.listed <- struct{}{}:
		default:
		}
	}
	var out []string
	for _, rec := range f.streams {
		if !slices.Contains(out, rec.Scope) {
			out = append(out, rec.Scope)
		}
	}
	sort.Strings(out)
	return out, nil
}

func (f *fakeCtrl) ListStreams(_ context.Context, scope string) ([]*controller.StreamRecord, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*controller.StreamRecord
	for _, rec := range f.streams {
		if rec.Scope == scope {
			out = append(out, clone(rec))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: %s", controller.ErrScopeNotFound, scope)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (f *fakeCtrl) Scale(_ context.Context, scope, name string, seal []uint64, ranges []controller.KeyRange) (*controller.StreamRecord, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, scaleCall{stream: scope + "/" + name, seal: slices.Clone(seal), ranges: slices.Clone(ranges)})
	if f.scaleErr != nil {
		return nil, f.scaleErr
	}
	rec, ok := f.streams[scope+"/"+name]
	if !ok {
		return nil, controller.ErrStreamNotFound
	}
	if rec.State == controller.StateSealed {
		return nil, controller.ErrStreamSealed
	}
	cur := rec.Current()
	var sealed []controller.Segment
	for _, id := range seal {
		i := slices.IndexFunc(cur.Segments, func(s controller.Segment) bool { return s.ID == id })
		if i < 0 {
			return nil, fmt.Errorf("%w: %016x", controller.ErrScaleConflict, id)
		}
		sealed = append(sealed, cur.Segments[i])
	}
	sort.Slice(sealed, func(i, j int) bool { return sealed[i].KeyLow < sealed[j].KeyLow })
	for i := 1; i < len(sealed); i++ {
		if sealed[i].KeyLow != sealed[i-1].KeyHigh {
			return nil, fmt.Errorf("%w: not neighbours", controller.ErrInvalidArgument)
		}
	}
	if (len(sealed) == 1) != (len(ranges) > 1) || len(ranges) > controller.MaxSplit {
		return nil, fmt.Errorf("%w: %d sealed, %d ranges", controller.ErrInvalidArgument, len(sealed), len(ranges))
	}
	if ranges[0].Low != sealed[0].KeyLow || ranges[len(ranges)-1].High != sealed[len(sealed)-1].KeyHigh {
		return nil, fmt.Errorf("%w: ranges do not cover the sealed segments", controller.ErrInvalidArgument)
	}
	for i, r := range ranges {
		if !(r.Low < r.High) || (i > 0 && r.Low != ranges[i-1].High) {
			return nil, fmt.Errorf("%w: bad ranges %v", controller.ErrInvalidArgument, ranges)
		}
	}
	number := uint32(0)
	for _, s := range rec.AllSegments() {
		number = max(number, wire.SegmentNumber(s.ID)+1)
	}
	next := controller.Epoch{Epoch: cur.Epoch + 1, Created: f.now()}
	for _, s := range cur.Segments {
		if !slices.Contains(seal, s.ID) {
			next.Segments = append(next.Segments, s)
		}
	}
	for _, r := range ranges {
		next.Segments = append(next.Segments, controller.Segment{ID: wire.MakeSegmentID(next.Epoch, number), KeyLow: r.Low, KeyHigh: r.High})
		number++
	}
	sort.Slice(next.Segments, func(i, j int) bool { return next.Segments[i].KeyLow < next.Segments[j].KeyLow })
	rec.Epochs = append(rec.Epochs, next)
	return clone(rec), nil
}

// env is a scaler over a fake controller and a fake clock.
type env struct {
	t     *testing.T
	clock *clock.Manual
	ctrl  *fakeCtrl
	s     *Scaler
}

// testWindows are short windows for tests (the rules do not depend on the
// windows' lengths).
var testWindows = [4]time.Duration{time.Second, 2 * time.Second, 3 * time.Second, 4 * time.Second}

func newEnv(t *testing.T, opts Options) *env {
	t.Helper()
	clock := newFakeClock()
	ctrl := newFakeCtrl(clock.Now)
	s, err := New(ctrl, testLogger(t), nil, clock.Now, opts)
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, clock: clock, ctrl: ctrl, s: s}
}

func (e *env) evaluate() {
	e.t.Helper()
	if err := e.s.Evaluate(context.Background()); err != nil {
		e.t.Fatal(err)
	}
}

// feed appends to segments of scope/name for d, in steps of step: each
// step, every segment in rates gets rate*step events (of 100 bytes each) and
// the clock advances by step.
func (e *env) feed(scope, name string, rates map[uint64]float64, d, step time.Duration) {
	e.feedAll(map[streamKey]map[uint64]float64{{scope, name}: rates}, d, step)
}

// feedAll is feed for several streams at once.
func (e *env) feedAll(traffic map[streamKey]map[uint64]float64, d, step time.Duration) {
	for elapsed := time.Duration(0); elapsed < d; elapsed += step {
		for k, rates := range traffic {
			for id, rate := range rates {
				n := int(rate * step.Seconds())
				e.s.Recorder().Record(k.scope, k.stream, id, n, 100*n)
			}
		}
		e.clock.Add(step)
	}
}

// segs returns the current segments of a stream.
func (e *env) segs(scope, name string) []controller.Segment {
	return e.ctrl.get(scope, name).Current().Segments
}

// mustSegs returns the current segments of a stream, which must be n.
func (e *env) mustSegs(scope, name string, n int) []controller.Segment {
	e.t.Helper()
	segs := e.segs(scope, name)
	if len(segs) != n {
		e.t.Fatalf("%s/%s has segments %s, want %d", scope, name, ranges(segs), n)
	}
	return segs
}
