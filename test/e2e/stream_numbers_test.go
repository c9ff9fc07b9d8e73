package e2e

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/wire"
)

// Tests of braid.WithStreamNumbers against a real server: a writer that
// numbers its events across the stream resumes what an earlier writer of
// the same id stored (stored events are acknowledged as duplicates at once,
// never stored twice), refuses a start that skips ahead
// (EVENT_NUMBER_GAP), and keeps each event once, and each key's events in
// order, while it follows splits and merges.

// snEvent is one event a stream-numbers test wrote: its number, key and
// payload ("e<number>"), and its Ack.
type snEvent struct {
	num  int64
	key  string
	data []byte
	ack  braid.Ack
}

// snPayload is the payload of event num.
func snPayload(num int64) []byte { return fmt.Appendf(nil, "e%d", num) }

// snNumber parses a payload written by snPayload.
func snNumber(t *testing.T, data []byte) int64 {
	t.Helper()
	s, ok := strings.CutPrefix(string(data), "e")
	n, err := strconv.ParseInt(s, 10, 64)
	if !ok || err != nil || n <= 0 {
		t.Fatalf("unexpected payload %q", data)
	}
	return n
}

// snNewWriter opens a writer with id that numbers its events from first.
func snNewWriter(t *testing.T, ctx context.Context, c *braid.Client, stream, id string, first int64, opts ...braid.WriterOption) *braid.Writer {
	t.Helper()
	w, err := c.NewWriter(ctx, stream, append([]braid.WriterOption{braid.WithWriterID(id), braid.WithStreamNumbers(first)}, opts...)...)
	if err != nil {
		t.Fatalf("NewWriter %s id %q from %d: %v", stream, id, first, err)
	}
	t.Cleanup(func() {
		// A no-op once closed; stops the writer of a test that failed.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		w.Close(ctx)
	})
	return w
}

// snWrite writes event num with key, and checks that an event the stream
// holds already (dup) is acknowledged at once.
func snWrite(t *testing.T, ctx context.Context, w *braid.Writer, num int64, key string, dup bool) snEvent {
	t.Helper()
	data := snPayload(num)
	a := w.Write(ctx, key, data)
	if dup {
		select {
		case <-a.Done():
		default:
			t.Errorf("event %d (key %q), stored by an earlier writer: Ack not done at once", num, key)
		}
	}
	return snEvent{num: num, key: key, data: data, ack: a}
}

// snCloseWriter flushes and closes w.
func snCloseWriter(t *testing.T, ctx context.Context, w *braid.Writer) {
	t.Helper()
	ferr := w.Flush(ctx)
	cerr := w.Close(ctx)
	if ferr != nil {
		t.Fatalf("Flush: %v", ferr)
	}
	if cerr != nil {
		t.Fatalf("Close: %v", cerr)
	}
}

// snCheckStored checks that each of evs was stored (not a duplicate), at a
// pointer of its own, and returns the pointers by event number.
func snCheckStored(t *testing.T, ctx context.Context, stream string, evs []snEvent) map[int64]braid.EventPointer {
	t.Helper()
	ptrs := map[int64]braid.EventPointer{}
	seen := map[braid.EventPointer]int64{}
	bad := 0
	for _, e := range evs {
		p, err := e.ack.Wait(ctx)
		if err != nil {
			t.Fatalf("event %d (key %q): %v", e.num, e.key, err)
		}
		other, twice := seen[p]
		if e.ack.Duplicate() || p.Stream != stream || p.Offset < 0 || int(p.Length) != wire.FrameSize(len(e.data)) || twice {
			if bad++; bad <= 10 {
				also := ""
				if twice {
					also = fmt.Sprintf(" (event %d's too)", other)
				}
				t.Errorf("event %d (key %q): Duplicate %v, pointer %+v%s; want stored, in %s with offset >= 0 and length %d, a pointer of its own", e.num, e.key, e.ack.Duplicate(), p, also, stream, wire.FrameSize(len(e.data)))
			}
		}
		seen[p] = e.num
		ptrs[e.num] = p
	}
	if bad > 10 {
		t.Errorf("... %d of %d events in all not acknowledged as stored at a pointer of their own", bad, len(evs))
	}
	return ptrs
}

// snCheckDuplicates checks that each of evs was acknowledged as stored by
// an earlier writer: Duplicate, with Offset -1.
func snCheckDuplicates(t *testing.T, ctx context.Context, stream string, evs []snEvent) {
	t.Helper()
	bad := 0
	for _, e := range evs {
		p, err := e.ack.Wait(ctx)
		if err != nil {
			t.Fatalf("event %d (key %q), stored by an earlier writer: %v", e.num, e.key, err)
		}
		if !e.ack.Duplicate() || p.Offset != -1 || p.Stream != stream {
			if bad++; bad <= 10 {
				t.Errorf("event %d (key %q), stored by an earlier writer: Duplicate %v, pointer %+v; want Duplicate with Offset -1 in %s", e.num, e.key, e.ack.Duplicate(), p, stream)
			}
		}
	}
	if bad > 10 {
		t.Errorf("... %d events in all not acknowledged as duplicates", bad)
	}
}

// snCheckRead reads stream from head to tail and checks that it holds
// exactly the events 1..n, each once, each key's in increasing order (key
// gives an event's key), and, for the events in ptrs, at the pointer their
// Ack reported.
func snCheckRead(t *testing.T, ctx context.Context, c *braid.Client, stream string, n int64, key func(int64) string, ptrs map[int64]braid.EventPointer) {
	t.Helper()
	evs, _ := readToEOF(t, ctx, c, stream, braid.UntilTail())
	if int64(len(evs)) != n {
		t.Errorf("read %d events from %s, want %d", len(evs), stream, n)
	}
	seen := map[int64]bool{}
	lastOf := map[string]int64{}
	for i, ev := range evs {
		num := snNumber(t, ev.Data)
		if num > n {
			t.Errorf("read event %d (#%d read), want numbers 1..%d", num, i, n)
			continue
		}
		if seen[num] {
			t.Errorf("event %d read twice (again as #%d, at %+v)", num, i, ev.Pointer)
		}
		seen[num] = true
		k := key(num)
		if last := lastOf[k]; num <= last {
			t.Errorf("key %q: event %d read after event %d (#%d read, at %+v)", k, num, last, i, ev.Pointer)
		}
		lastOf[k] = num
		if p, ok := ptrs[num]; ok && p != ev.Pointer {
			t.Errorf("event %d: read at %+v, its Ack said %+v", num, ev.Pointer, p)
		}
	}
	missing := 0
	for num := int64(1); num <= n; num++ {
		if !seen[num] {
			if missing++; missing <= 10 {
				t.Errorf("event %d not read", num)
			}
		}
	}
	if missing > 10 {
		t.Errorf("... %d events in all not read", missing)
	}
}

// snGapError checks that err is an EVENT_NUMBER_GAP error whose message
// contains want.
func snGapError(t *testing.T, what string, err error, want string) {
	t.Helper()
	var be *braid.Error
	switch {
	case err == nil:
		t.Errorf("%s: NewWriter succeeded, want EVENT_NUMBER_GAP", what)
	case !errors.As(err, &be) || be.Code != wire.CodeEventNumberGap:
		t.Errorf("%s: %v, want an error of code EVENT_NUMBER_GAP", what, err)
	case !errors.Is(err, &braid.Error{Code: wire.CodeEventNumberGap}):
		t.Errorf("%s: errors.Is does not match the code of %v", what, err)
	case !strings.Contains(err.Error(), want):
		t.Errorf("%s: %q does not say %q", what, err, want)
	}
}

// resumeKey is the key of event num in TestStreamNumbersResume and
// TestStreamNumbersGap.
func resumeKey(num int64) string { return fmt.Sprintf("k%d", num%17) }

// TestStreamNumbersResume: a writer started at 101 with the id of one that
// wrote 1..200 writes 101..300: 101..200 are acknowledged at once as
// duplicates, 201..300 are stored, and the stream holds 1..300 once each,
// each key's events in order.
func TestStreamNumbersResume(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)
	const stream = "sn/resume"
	createStream(t, c, stream, 4)

	a := snNewWriter(t, ctx, c, stream, "resume-w", 1)
	var first []snEvent
	for num := int64(1); num <= 200; num++ {
		first = append(first, snWrite(t, ctx, a, num, resumeKey(num), false))
	}
	snCloseWriter(t, ctx, a)
	ptrs := snCheckStored(t, ctx, stream, first)

	b := snNewWriter(t, ctx, c, stream, "resume-w", 101)
	var again, fresh []snEvent
	for num := int64(101); num <= 300; num++ {
		e := snWrite(t, ctx, b, num, resumeKey(num), num <= 200)
		if num <= 200 {
			again = append(again, e)
		} else {
			fresh = append(fresh, e)
		}
	}
	snCloseWriter(t, ctx, b)
	snCheckDuplicates(t, ctx, stream, again)
	for num, p := range snCheckStored(t, ctx, stream, fresh) {
		ptrs[num] = p
	}
	snCheckRead(t, ctx, c, stream, 300, resumeKey, ptrs)
}

// TestStreamNumbersGap: NewWriter refuses a first number past the highest
// the stream holds from the id plus one, and one above 1 for an id it holds
// nothing from, with EVENT_NUMBER_GAP; it accepts highest+1, and 1 for a
// new id.
func TestStreamNumbersGap(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)
	const stream = "sn/gap"
	createStream(t, c, stream, 4)

	a := snNewWriter(t, ctx, c, stream, "gap-w", 1)
	var evs []snEvent
	for num := int64(1); num <= 50; num++ {
		evs = append(evs, snWrite(t, ctx, a, num, resumeKey(num), false))
	}
	snCloseWriter(t, ctx, a)
	ptrs := snCheckStored(t, ctx, stream, evs)

	for _, first := range []int64{52, 1000} {
		w, err := c.NewWriter(ctx, stream, braid.WithWriterID("gap-w"), braid.WithStreamNumbers(first))
		snGapError(t, fmt.Sprintf("id gap-w, 50 stored, first %d", first), err, "at 51")
		if w != nil {
			t.Errorf("NewWriter from %d returned a writer with its error", first)
			w.Close(ctx)
		}
	}
	w, err := c.NewWriter(ctx, stream, braid.WithWriterID("gap-fresh"), braid.WithStreamNumbers(5))
	snGapError(t, "new id gap-fresh, first 5", err, "number 5")
	if w != nil {
		t.Errorf("NewWriter from 5 returned a writer with its error")
		w.Close(ctx)
	}

	// highest+1 resumes.
	b := snNewWriter(t, ctx, c, stream, "gap-w", 51)
	evs = evs[:0]
	for num := int64(51); num <= 60; num++ {
		evs = append(evs, snWrite(t, ctx, b, num, resumeKey(num), false))
	}
	snCloseWriter(t, ctx, b)
	for num, p := range snCheckStored(t, ctx, stream, evs) {
		ptrs[num] = p
	}
	// Nothing was stored by the refused writers; a new id starts at 1.
	f := snNewWriter(t, ctx, c, stream, "gap-fresh", 1)
	evs = evs[:0]
	for num := int64(61); num <= 65; num++ {
		evs = append(evs, snWrite(t, ctx, f, num, resumeKey(num), false))
	}
	snCloseWriter(t, ctx, f)
	for num, p := range snCheckStored(t, ctx, stream, evs) {
		ptrs[num] = p
	}
	snCheckRead(t, ctx, c, stream, 65, resumeKey, ptrs)
}

// TestStreamNumbersAcrossScale: a writer with stream numbers writes while
// the stream is split and merged under it; every event is stored once, at
// the pointer its Ack reports, each key's in order. A second writer with
// the same id rewriting everything from 1 stores nothing; one resuming at
// N+1 (the highest number across all segments, sealed ones too, plus one)
// goes on.
func TestStreamNumbersAcrossScale(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rnd := rand.New(rand.NewPCG(seed, seed^0x5eed))

	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)
	const (
		stream = "sn/scale"
		id     = "scale-w"
		n      = 3000
		nkeys  = 8
		more   = 100
	)
	createStream(t, c, stream, 2)
	keys := make([]string, n+more+1)
	for num := 1; num <= n+more; num++ {
		keys[num] = fmt.Sprintf("key-%d", rnd.IntN(nkeys))
	}
	key := func(num int64) string { return keys[num] }

	// Scale steps: split, merge, split, merge. The writer starts step k
	// when it reaches event at[k], and waits for it to have been done
	// before event at[k]+n/20, so that events follow the scale.
	type step struct {
		split bool
		at    int64
		start chan struct{} // closed by the writer
		done  chan struct{} // closed by the scaler
	}
	var steps []*step
	for k := range 4 {
		steps = append(steps, &step{split: k%2 == 0, at: int64(n * (k + 1) / 5), start: make(chan struct{}), done: make(chan struct{})})
	}
	sctx, scancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer scancel()
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, s := range steps {
			select {
			case <-s.start:
			case <-sctx.Done():
				return
			}
			err := snScale(sctx, c, stream, s.split, rnd.IntN(1000), t)
			close(s.done)
			if err != nil {
				t.Errorf("scale at event %d: %v", s.at, err)
				return
			}
		}
	}()

	w := snNewWriter(t, ctx, c, stream, id, 1, braid.WithMaxBatchBytes(256))
	var evs []snEvent
	next := 0
	for num := int64(1); num <= n; num++ {
		for k, s := range steps {
			if num == s.at {
				close(s.start)
			}
			if num == s.at+n/20 {
				select {
				case <-s.done:
				case <-ctx.Done():
					t.Fatalf("scale %d not done: %v", k, ctx.Err())
				}
				next = k + 1
			}
		}
		evs = append(evs, snWrite(t, ctx, w, num, key(num), false))
	}
	snCloseWriter(t, ctx, w)
	wg.Wait()
	if next != len(steps) || t.Failed() {
		t.FailNow()
	}
	info, err := c.GetStream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d epochs, %d current segments", len(info.Epochs), len(info.Current))
	ptrs := snCheckStored(t, ctx, stream, evs)
	snCheckRead(t, ctx, c, stream, n, key, ptrs)
	if t.Failed() {
		t.FailNow()
	}

	// The same events again, from 1: all stored already.
	w2 := snNewWriter(t, ctx, c, stream, id, 1)
	evs = evs[:0]
	for num := int64(1); num <= n; num++ {
		evs = append(evs, snWrite(t, ctx, w2, num, key(num), true))
	}
	snCloseWriter(t, ctx, w2)
	snCheckDuplicates(t, ctx, stream, evs)
	snCheckRead(t, ctx, c, stream, n, key, ptrs)

	// The highest number stored counts on sealed segments too.
	_, err = c.NewWriter(ctx, stream, braid.WithWriterID(id), braid.WithStreamNumbers(n+2))
	snGapError(t, fmt.Sprintf("id %s, %d stored, first %d", id, n, n+2), err, fmt.Sprintf("at %d", n+1))
	w3 := snNewWriter(t, ctx, c, stream, id, n+1)
	evs = evs[:0]
	for num := int64(n + 1); num <= n+more; num++ {
		evs = append(evs, snWrite(t, ctx, w3, num, key(num), false))
	}
	snCloseWriter(t, ctx, w3)
	for num, p := range snCheckStored(t, ctx, stream, evs) {
		ptrs[num] = p
	}
	snCheckRead(t, ctx, c, stream, n+more, key, ptrs)
}

// snScale splits a current segment of stream (picked by pick) in two, or
// merges two neighbouring ones, and returns the error of the scale call.
func snScale(ctx context.Context, c *braid.Client, stream string, split bool, pick int, t *testing.T) error {
	info, err := c.GetStream(ctx, stream)
	if err != nil {
		return err
	}
	cur := slices.Clone(info.Current)
	slices.SortFunc(cur, func(a, b braid.SegmentStatus) int {
		switch {
		case a.KeyLow < b.KeyLow:
			return -1
		case a.KeyLow > b.KeyLow:
			return 1
		}
		return 0
	})
	if split {
		seg := cur[pick%len(cur)].ID
		after, err := c.SplitSegment(ctx, stream, seg, 2)
		if err == nil {
			t.Logf("split %016x: epoch %d, %d segments", seg, after.Epochs[len(after.Epochs)-1].Epoch, after.Segments)
		}
		return err
	}
	i := pick % (len(cur) - 1)
	after, err := c.MergeSegments(ctx, stream, cur[i].ID, cur[i+1].ID)
	if err == nil {
		t.Logf("merged %016x and %016x: epoch %d, %d segments", cur[i].ID, cur[i+1].ID, after.Epochs[len(after.Epochs)-1].Epoch, after.Segments)
	}
	return err
}

// TestStreamNumbersMergeNeighbour is the smallest case of
// TestStreamNumbersAcrossScale's merges: segments X and Y merge into C; the
// writer finds X sealed first (Y has nothing in flight, so it still routes
// Y's keys to Y) and sends X's keys to C from then on. Then events
// alternate between a key of Y and a key of X: Y's go to Y, are refused
// SEALED and move to C, but C has stored X's later-numbered ones by then.
// Each event must still be stored once.
func TestStreamNumbersMergeNeighbour(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)
	const stream = "sn/merge"
	createStream(t, c, stream, 2)
	info, err := c.GetStream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	cur := info.Current
	if len(cur) != 2 {
		t.Fatalf("%d segments, want 2", len(cur))
	}
	// A key in each segment.
	keyIn := func(s braid.SegmentStatus) string {
		for i := 0; ; i++ {
			k := fmt.Sprintf("m%d", i)
			if p := wire.KeyPoint(k); p >= s.KeyLow && p < s.KeyHigh {
				return k
			}
		}
	}
	kx, ky := keyIn(cur[0]), keyIn(cur[1])
	keyOf := map[int64]string{}
	key := func(num int64) string { return keyOf[num] }

	w := snNewWriter(t, ctx, c, stream, "merge-w", 1)
	var evs []snEvent
	write := func(k string) {
		num := int64(len(evs) + 1)
		keyOf[num] = k
		evs = append(evs, snWrite(t, ctx, w, num, k, false))
	}
	flush := func(what string) {
		t.Helper()
		if err := w.Flush(ctx); err != nil {
			t.Fatalf("Flush %s: %v", what, err)
		}
	}
	write(kx)
	write(ky)
	flush("before the merge")
	if _, err := c.MergeSegments(ctx, stream, cur[0].ID, cur[1].ID); err != nil {
		t.Fatal(err)
	}
	write(kx) // X is sealed: moves to C; Y is not known sealed.
	flush("after the merge, X's key")
	for range 20 {
		write(ky)
		write(kx)
	}
	snCloseWriter(t, ctx, w)
	ptrs := snCheckStored(t, ctx, stream, evs)
	snCheckRead(t, ctx, c, stream, int64(len(evs)), key, ptrs)
}
