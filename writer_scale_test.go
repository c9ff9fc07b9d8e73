package braid_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/wire"
)

// scaleWrite is one event a scaling test wrote.
type scaleWrite struct {
	key  string // "" for an event without a key
	seq  int    // per key
	data []byte
	ack  braid.Ack
}

// scaleWriter writes keyed (and some keyless) events from one goroutine at a
// time, numbering them per key.
type scaleWriter struct {
	w    *braid.Writer
	rnd  *rand.Rand
	keys []string
	next map[string]int
	all  []scaleWrite
}

func newScaleWriter(w *braid.Writer, rnd *rand.Rand, nkeys int) *scaleWriter {
	sw := &scaleWriter{w: w, rnd: rnd, next: map[string]int{}}
	for k := range nkeys {
		sw.keys = append(sw.keys, fmt.Sprintf("key-%d", k))
	}
	return sw
}

// write writes one event with key (a random one if key is "?").
func (sw *scaleWriter) write(ctx context.Context, key string) braid.Ack {
	if key == "?" {
		key = ""
		if sw.rnd.IntN(10) > 0 {
			key = sw.keys[sw.rnd.IntN(len(sw.keys))]
		}
	}
	seq := sw.next[key]
	sw.next[key]++
	data := event(key, seq, sw.rnd.IntN(200))
	a := sw.w.Write(ctx, key, data)
	sw.all = append(sw.all, scaleWrite{key: key, seq: seq, data: data, ack: a})
	return a
}

// scaleOnce splits a random current segment, or merges two neighbours,
// and returns the stream as the scale left it.
func scaleOnce(ctx context.Context, t *testing.T, c *braid.Client, stream string, rnd *rand.Rand) braid.StreamInfo {
	t.Helper()
	info, err := c.GetStream(ctx, stream)
	if err != nil {
		t.Fatalf("GetStream: %v", err)
	}
	cur := slices.Clone(info.Current)
	sort.Slice(cur, func(i, j int) bool { return cur[i].KeyLow < cur[j].KeyLow })
	if len(cur) <= 2 || len(cur) < 6 && rnd.IntN(2) == 0 {
		seg := cur[rnd.IntN(len(cur))].ID
		parts := 2 + rnd.IntN(2)
		after, err := c.SplitSegment(ctx, stream, seg, parts)
		if err != nil {
			t.Fatalf("SplitSegment %016x into %d: %v", seg, parts, err)
		}
		t.Logf("split %016x into %d: epoch %d", seg, parts, after.Epochs[len(after.Epochs)-1].Epoch)
		return after
	}
	i := rnd.IntN(len(cur) - 1)
	after, err := c.MergeSegments(ctx, stream, cur[i].ID, cur[i+1].ID)
	if err != nil {
		t.Fatalf("MergeSegments %016x %016x: %v", cur[i].ID, cur[i+1].ID, err)
	}
	t.Logf("merged %016x and %016x: epoch %d", cur[i].ID, cur[i+1].ID, after.Epochs[len(after.Epochs)-1].Epoch)
	return after
}

// readSegment reads one sealed segment of stream from its start to its end.
// Only its own events are kept, should the reader go on to successors.
func readSegment(t *testing.T, c *braid.Client, stream string, seg uint64) []braid.Event {
	t.Helper()
	cut := braid.StreamCut{Stream: stream, Segments: []wire.SegmentOffset{{SegmentID: seg}}}
	var out []braid.Event
	for _, ev := range readAll(t, c, stream, braid.FromCut(cut)) {
		if ev.Pointer.SegmentID == seg {
			out = append(out, ev)
		}
	}
	return out
}

// checkWritten checks, for a sealed stream, that every write succeeded, that
// its Ack's pointer fetches its event, and that reading every segment of
// every epoch (predecessors first: a successor's id is larger) gives each
// written event exactly once (pointers are distinct, and each read one is an
// Ack's) and each key's events in the order written. It
// returns how many events each segment holds.
func checkWritten(ctx context.Context, t *testing.T, c *braid.Client, stream string, all []scaleWrite) map[uint64]int {
	t.Helper()
	byPtr := map[braid.EventPointer]int{}
	for i, wr := range all {
		p, err := wr.ack.Wait(ctx)
		if err != nil {
			t.Fatalf("write %d (key %q seq %d): %v", i, wr.key, wr.seq, err)
		}
		if p.Stream != stream || p.Offset < 0 || int(p.Length) != wire.FrameSize(len(wr.data)) {
			t.Fatalf("write %d: pointer %+v", i, p)
		}
		if j, dup := byPtr[p]; dup {
			t.Fatalf("writes %d and %d both at %v", j, i, p)
		}
		byPtr[p] = i
		got, err := c.Fetch(ctx, p)
		if err != nil {
			t.Fatalf("Fetch %v of write %d: %v", p, i, err)
		}
		if !bytes.Equal(got, wr.data) {
			t.Fatalf("Fetch %v of write %d = %q, wrote %q", p, i, got, wr.data)
		}
	}

	info, err := c.GetStream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	var ids []uint64
	for _, e := range info.Epochs {
		for _, s := range e.Segments {
			if !slices.Contains(ids, s.ID) {
				ids = append(ids, s.ID)
			}
		}
	}
	slices.Sort(ids)
	counts := map[uint64]int{}
	next := map[string]int{}
	read := 0
	for _, id := range ids {
		for _, ev := range readSegment(t, c, stream, id) {
			i, ok := byPtr[ev.Pointer]
			if !ok {
				t.Fatalf("read an event at %v that no Ack named: %q", ev.Pointer, ev.Data)
			}
			wr := all[i]
			if !bytes.Equal(ev.Data, wr.data) {
				t.Fatalf("event at %v: read %q, wrote %q", ev.Pointer, ev.Data, wr.data)
			}
			key, seq := parseEvent(t, ev.Data)
			if key != "" && seq != next[key] {
				t.Fatalf("key %q: read seq %d in segment %016x, want %d", key, seq, id, next[key])
			}
			next[key]++
			counts[id]++
			read++
		}
	}
	if read != len(all) {
		t.Fatalf("read %d events, wrote %d", read, len(all))
	}
	return counts
}

func TestWriterScaleSplitMerge(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rnd := rand.New(rand.NewPCG(seed, seed^0x5ca1e))
	// The scales' own source: the writing goroutine uses rnd.
	scaleRnd := rand.New(rand.NewPCG(seed, seed^0x5ca1e5))
	ts := newServer(t)
	c := dial(t, ts)
	const stream = "test/scalewrites"
	createStream(t, c, stream, 2)
	ctx := testCtx(t, 2*time.Minute)

	// Small batches, so that several are in flight when a scale seals
	// their segment.
	w, err := c.NewWriter(ctx, stream, braid.WithMaxBatchBytes(2<<10))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close(ctx)
	sw := newScaleWriter(w, rnd, 40)
	scales := 0

	// Scales between writes, without flushing.
	for range 4 {
		for range 300 {
			sw.write(ctx, "?")
		}
		scaleOnce(ctx, t, c, stream, scaleRnd)
		scales++
	}
	for range 300 {
		sw.write(ctx, "?")
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatalf("Flush after scaling: %v", err)
	}

	// Scales while another goroutine writes, pacing itself on every
	// 20th ack.
	started, scaled, done := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		end := 20000 // at most; 200 after the last scale
		for i := 0; i < end; i++ {
			a := sw.write(ctx, "?")
			if i == 100 {
				close(started)
			}
			if end == 20000 {
				select {
				case <-scaled:
					end = min(end, i+200)
				default:
				}
			}
			if i%20 == 19 {
				if _, err := a.Wait(ctx); err != nil {
					t.Errorf("write %d: %v", i, err)
					return
				}
			}
		}
	}()
	<-started
	for range 4 {
		scaleOnce(ctx, t, c, stream, scaleRnd)
		scales++
	}
	close(scaled)
	<-done
	if t.Failed() {
		t.FailNow()
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatalf("Flush after concurrent scaling: %v", err)
	}
	final, err := c.GetStream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if len(final.Epochs) != scales+1 {
		t.Fatalf("%d epochs after %d scales", len(final.Epochs), scales)
	}
	if err := c.SealStream(ctx, stream); err != nil {
		t.Fatal(err)
	}

	counts := checkWritten(ctx, t, c, stream, sw.all)
	t.Logf("%d events in %d segments: %v", len(sw.all), len(counts), counts)
	// The writer went on to the last epoch's segments.
	for _, s := range final.Current {
		if counts[s.ID] == 0 {
			t.Errorf("current segment %016x [%g, %g) got no events", s.ID, s.KeyLow, s.KeyHigh)
		}
	}
	// Keys did cross from segment to segment.
	segsOf := map[string]map[uint64]bool{}
	for _, wr := range sw.all {
		p, _ := wr.ack.Wait(ctx)
		if segsOf[wr.key] == nil {
			segsOf[wr.key] = map[uint64]bool{}
		}
		segsOf[wr.key][p.SegmentID] = true
	}
	crossed := 0
	for key, segs := range segsOf {
		if key != "" && len(segs) > 1 {
			crossed++
		}
	}
	if crossed == 0 {
		t.Errorf("no key's events span two segments")
	}
}

// keyIn returns a routing key whose point lies in r.
func keyIn(t *testing.T, r braid.SegmentRange) string {
	t.Helper()
	for i := range 1 << 20 {
		k := fmt.Sprint("in-", i)
		if p := wire.KeyPoint(k); p >= r.KeyLow && p < r.KeyHigh {
			return k
		}
	}
	t.Fatalf("no key in [%g, %g)", r.KeyLow, r.KeyHigh)
	return ""
}

func TestWriterScaleReroutesKeyless(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	const stream = "test/scalekeyless"
	createStream(t, c, stream, 3)
	ctx := testCtx(t, time.Minute)
	w, err := c.NewWriter(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close(ctx)
	rnd := rand.New(rand.NewPCG(1, 2))
	sw := newScaleWriter(w, rnd, 1)

	info, err := c.GetStream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(info.Current, func(i, j int) bool { return info.Current[i].KeyLow < info.Current[j].KeyLow })
	var keys []string
	for _, s := range info.Current {
		keys = append(keys, keyIn(t, s.SegmentRange))
	}
	for range 30 {
		for _, k := range keys {
			sw.write(ctx, k)
		}
		sw.write(ctx, "")
	}
	// Split the first segment and merge the other two, with events
	// written and maybe not yet stored.
	if _, err := c.SplitSegment(ctx, stream, info.Current[0].ID, 2); err != nil {
		t.Fatal(err)
	}
	after, err := c.MergeSegments(ctx, stream, info.Current[1].ID, info.Current[2].ID)
	if err != nil {
		t.Fatal(err)
	}
	// Writes to every old segment find it sealed; once flushed, the
	// writer routes over the current segments only.
	for range 30 {
		for _, k := range keys {
			sw.write(ctx, k)
		}
		sw.write(ctx, "")
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	current := map[uint64]bool{}
	for _, s := range after.Epochs[len(after.Epochs)-1].Segments {
		current[s.ID] = true
	}
	used := map[uint64]int{}
	var keyless []braid.Ack
	for range 60 {
		keyless = append(keyless, sw.write(ctx, ""))
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	for i, a := range keyless {
		p, err := a.Wait(ctx)
		if err != nil {
			t.Fatalf("keyless write %d: %v", i, err)
		}
		if !current[p.SegmentID] {
			t.Fatalf("keyless write %d after re-routing went to segment %016x, not a current one", i, p.SegmentID)
		}
		used[p.SegmentID]++
	}
	if len(used) != len(current) {
		t.Errorf("keyless writes went to %v, want all %d current segments", used, len(current))
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.SealStream(ctx, stream); err != nil {
		t.Fatal(err)
	}
	checkWritten(ctx, t, c, stream, sw.all)
}

func TestWriterStreamSealDuringWrites(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rnd := rand.New(rand.NewPCG(seed, seed^0x5ea1))
	ts := newServer(t)
	c := dial(t, ts)
	const stream = "test/sealwrites"
	createStream(t, c, stream, 2)
	ctx := testCtx(t, time.Minute)
	w, err := c.NewWriter(ctx, stream, braid.WithMaxBatchBytes(1<<10))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close(ctx)
	sw := newScaleWriter(w, rnd, 20)
	// A split first, so that some events are moving when the stream
	// seals.
	for range 200 {
		sw.write(ctx, "?")
	}
	scaleOnce(ctx, t, c, stream, rnd)

	started, sealed, done := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; ; i++ {
			a := sw.write(ctx, "?")
			if i == 100 {
				close(started)
			}
			if i%20 == 19 {
				a.Wait(ctx)
			}
			select {
			case <-sealed:
				// Some more after the seal returned.
				for range 50 {
					sw.write(ctx, "?")
				}
				return
			default:
			}
		}
	}()
	<-started
	if err := c.SealStream(ctx, stream); err != nil {
		t.Fatal(err)
	}
	close(sealed)
	<-done
	after := len(sw.all) - 50

	if err := w.Flush(ctx); !errors.Is(err, braid.ErrSealed) {
		t.Fatalf("Flush after the stream sealed: %v, want ErrSealed", err)
	}
	// Every Ack is done now; per key, the stored events are the first
	// ones written, and the rest failed with ErrSealed.
	stored := map[braid.EventPointer][]byte{}
	failedFrom := map[string]int{}
	for i, wr := range sw.all {
		select {
		case <-wr.ack.Done():
		default:
			t.Fatalf("write %d not done after Flush", i)
		}
		p, err := wr.ack.Wait(ctx)
		switch {
		case err == nil:
			if i >= after {
				t.Fatalf("write %d, after the seal returned, stored at %v", i, p)
			}
			if _, failed := failedFrom[wr.key]; failed && wr.key != "" {
				t.Fatalf("key %q: seq %d stored after seq %d failed", wr.key, wr.seq, failedFrom[wr.key])
			}
			stored[p] = wr.data
		case errors.Is(err, braid.ErrSealed):
			if _, failed := failedFrom[wr.key]; !failed {
				failedFrom[wr.key] = wr.seq
			}
		default:
			t.Fatalf("write %d: %v, want success or ErrSealed", i, err)
		}
	}
	if _, err := w.Write(ctx, "key-1", []byte("late")).Wait(ctx); !errors.Is(err, braid.ErrSealed) {
		t.Fatalf("write after Flush: %v, want ErrSealed", err)
	}
	if err := w.Close(ctx); err != nil && !errors.Is(err, braid.ErrSealed) {
		t.Fatalf("Close: %v", err)
	}
	info, err := c.GetStream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	read := 0
	for _, e := range info.Epochs {
		for _, s := range e.Segments {
			if s.ID>>32 != uint64(e.Epoch) {
				continue // carried over: read with its own epoch
			}
			for _, ev := range readSegment(t, c, stream, s.ID) {
				if want, ok := stored[ev.Pointer]; !ok || !bytes.Equal(want, ev.Data) {
					t.Fatalf("read %q at %v, which no successful Ack named", ev.Data, ev.Pointer)
				}
				read++
			}
		}
	}
	if read != len(stored) {
		t.Fatalf("read %d events, %d Acks succeeded", read, len(stored))
	}
	t.Logf("%d of %d writes stored before the seal", len(stored), len(sw.all))
}
