package braid_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/clienttest"
	"github.com/braidstream/braid/wire"
)

// scaleKeys writes per-key numbered events (see event) of many keys.
type scaleKeys struct {
	rng  *rand.Rand
	keys []string
	next map[string]int // next sequence number per key
}

func newScaleKeys(t *testing.T, n int) *scaleKeys {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	k := &scaleKeys{rng: rand.New(rand.NewPCG(seed, seed^0x5eed)), next: map[string]int{}}
	for i := range n {
		k.keys = append(k.keys, fmt.Sprintf("key%03d", i))
	}
	return k
}

// write writes n events of random keys with a new writer, and closes it
// (the writer is not asked to follow scalings here).
func (k *scaleKeys) write(t *testing.T, ctx context.Context, c *braid.Client, stream string, n int) {
	t.Helper()
	w, err := c.NewWriter(ctx, stream, braid.WithMaxBatchBytes(1<<10))
	if err != nil {
		t.Fatal(err)
	}
	acks := make([]braid.Ack, 0, n)
	for range n {
		key := k.keys[k.rng.IntN(len(k.keys))]
		acks = append(acks, w.Write(ctx, key, event(key, k.next[key], k.rng.IntN(40))))
		k.next[key]++
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	for i, a := range acks {
		if _, err := a.Wait(ctx); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
}

// total returns the number of events written.
func (k *scaleKeys) total() int {
	n := 0
	for _, s := range k.next {
		n += s
	}
	return n
}

// currentSegments returns the stream's current segments, by key range.
func currentSegments(t *testing.T, ctx context.Context, c *braid.Client, stream string) []braid.SegmentStatus {
	t.Helper()
	info, err := c.GetStream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	segs := slices.Clone(info.Current)
	slices.SortFunc(segs, func(a, b braid.SegmentStatus) int {
		switch {
		case a.KeyLow < b.KeyLow:
			return -1
		case a.KeyLow > b.KeyLow:
			return 1
		}
		return 0
	})
	return segs
}

// byKey returns each key's sequence numbers in the order of evs.
func byKey(t *testing.T, evs []braid.Event) map[string][]int {
	t.Helper()
	m := map[string][]int{}
	for _, ev := range evs {
		key, seq := parseEvent(t, ev.Data)
		m[key] = append(m[key], seq)
	}
	return m
}

// checkAllInOrder checks that evs hold every event of k exactly once, each
// key's in write order.
func checkAllInOrder(t *testing.T, k *scaleKeys, evs []braid.Event) {
	t.Helper()
	if len(evs) != k.total() {
		t.Errorf("read %d events, wrote %d", len(evs), k.total())
	}
	got := byKey(t, evs)
	for key, n := range k.next {
		seqs := got[key]
		for i, s := range seqs {
			if s != i {
				t.Fatalf("key %s: event %d has sequence number %d (read %v)", key, i, s, seqs)
			}
		}
		if len(seqs) != n {
			t.Fatalf("key %s: read %d events, wrote %d", key, len(seqs), n)
		}
	}
}

// readToEOF reads a bounded reader to io.EOF and returns its events and its
// final position.
func readToEOF(t testing.TB, ctx context.Context, c *braid.Client, stream string, opts ...braid.ReaderOption) ([]braid.Event, braid.StreamCut) {
	t.Helper()
	return clienttest.ReadToEOF(t, ctx, c, stream, opts...)
}

// scaledStream writes to a stream of two segments, splits the first into
// three, writes, merges the split's last part with the other original
// segment (a merge across epochs), and writes again. It returns the keys
// written and the tail cut after the split's writes (epoch 1).
func scaledStream(t *testing.T, ctx context.Context, c *braid.Client, stream string) (*scaleKeys, braid.StreamCut) {
	t.Helper()
	createStream(t, c, stream, 2)
	k := newScaleKeys(t, 64)
	k.write(t, ctx, c, stream, 300)
	segs := currentSegments(t, ctx, c, stream)
	if _, err := c.SplitSegment(ctx, stream, segs[0].ID, 3); err != nil {
		t.Fatal(err)
	}
	k.write(t, ctx, c, stream, 300)
	mid, err := c.TailCut(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	segs = currentSegments(t, ctx, c, stream)
	if len(segs) != 4 || wire.SegmentEpoch(segs[2].ID) != 1 || wire.SegmentEpoch(segs[3].ID) != 0 {
		t.Fatalf("segments after the split: %+v", segs)
	}
	if _, err := c.MergeSegments(ctx, stream, segs[2].ID, segs[3].ID); err != nil {
		t.Fatal(err)
	}
	k.write(t, ctx, c, stream, 300)
	if segs := currentSegments(t, ctx, c, stream); len(segs) != 3 {
		t.Fatalf("segments after the merge: %+v", segs)
	}
	return k, mid
}

// segmentsOf returns the ids of the segments evs came from.
func segmentsOf(evs []braid.Event) map[uint64]bool {
	m := map[uint64]bool{}
	for _, ev := range evs {
		m[ev.Pointer.SegmentID] = true
	}
	return m
}

func TestReaderFollowsScaling(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	const stream = "scale/read"
	ctx := testCtx(t, 60*time.Second)
	k, _ := scaledStream(t, ctx, c, stream)

	evs, end := readToEOF(t, ctx, c, stream, braid.UntilTail())
	checkAllInOrder(t, k, evs)
	info, err := c.GetStream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	for i, ev := range evs {
		checkCovers(t, info, ev.Position(), fmt.Sprintf("the position of event %d", i))
	}
	// Every segment of every epoch was read: 2 + 3 + 1.
	if n := len(segmentsOf(evs)); n != 6 {
		t.Errorf("read events of %d segments, want 6", n)
	}
	// At the end the reader is at the tail: the current segments at
	// their lengths, the sealed ones gone.
	tail, err := c.TailCut(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	checkCovers(t, info, end, "the position at the end")
	if !end.Equal(tail) {
		t.Errorf("position at the end %v, want the tail %v", end.Segments, tail.Segments)
	}

	// An unbounded reader reads the same, and ends when the stream is
	// sealed (its segments have no successors).
	r, err := c.NewReader(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var got []braid.Event
	for len(got) < k.total() {
		ev, err := r.Next(ctx)
		if err != nil {
			t.Fatalf("unbounded Next after %d events: %v", len(got), err)
		}
		got = append(got, ev)
	}
	if err := c.SealStream(ctx, stream); err != nil {
		t.Fatal(err)
	}
	if ev, err := r.Next(ctx); err != io.EOF {
		t.Fatalf("unbounded Next after the seal: %q, %v; want io.EOF", ev.Data, err)
	}
	checkAllInOrder(t, k, got)
}

// A reader bounded by a cut of a later epoch than its start reads the
// earlier segments to their ends and their successors up to the cut.
func TestReaderUntilCutOfLaterEpoch(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	const stream = "scale/until"
	ctx := testCtx(t, 60*time.Second)
	k, mid := scaledStream(t, ctx, c, stream)
	head, err := c.HeadCut(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	for _, so := range head.Segments {
		if wire.SegmentEpoch(so.SegmentID) != 0 {
			t.Fatalf("head %v has a segment of a later epoch", head.Segments)
		}
	}
	for _, so := range mid.Segments {
		if wire.SegmentEpoch(so.SegmentID) == 0 && so.SegmentID != 1 {
			t.Fatalf("the tail after the split %v: want epoch 0's second segment and epoch 1's", mid.Segments)
		}
	}
	all, _ := readToEOF(t, ctx, c, stream, braid.UntilTail())
	checkAllInOrder(t, k, all)

	// The first 600 events were written before mid was taken.
	evs, end := readToEOF(t, ctx, c, stream, braid.UntilCut(mid))
	if len(evs) != 600 {
		t.Fatalf("read %d events until the cut after the split, want 600", len(evs))
	}
	if !end.Equal(mid) {
		t.Errorf("position at the end %v, want the end cut %v", end.Segments, mid.Segments)
	}
	rest, _ := readToEOF(t, ctx, c, stream, braid.FromCut(mid), braid.UntilTail())
	if len(rest) != 300 {
		t.Fatalf("read %d events after the cut after the split, want 300", len(rest))
	}
	checkAllInOrder(t, k, append(evs, rest...))

	// Every position of a full read bounds a read from the head at
	// exactly the events before it.
	for _, i := range []int{0, 150, 299, 300, 450, 599, 600, 750, len(all) - 1} {
		cut := all[i].Position()
		got, end := readToEOF(t, ctx, c, stream, braid.UntilCut(cut))
		if !end.Equal(cut) {
			t.Errorf("until the position of event %d: ended at %v, want %v", i, end.Segments, cut.Segments)
		}
		want := byKey(t, all[:i+1])
		if g := byKey(t, got); fmt.Sprint(g) != fmt.Sprint(want) {
			t.Fatalf("until the position of event %d: read %d events, want %d (%v, want %v)", i, len(got), i+1, g, want)
		}
	}

	// An end cut that the start lies after.
	if _, err := c.NewReader(ctx, stream, braid.FromCut(mid), braid.UntilCut(head)); !errors.Is(err, braid.ErrInvalidArgument) {
		t.Errorf("reading from a later cut until the head: %v, want ErrInvalidArgument", err)
	}
}

// A reader started at an event's position returns exactly the events after
// it, wherever that is in the scalings: also right at the end of a sealed
// segment, and while one predecessor of a merge is finished and the other
// is not.
func TestReaderResumesAcrossScaling(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	const stream = "scale/resume"
	ctx := testCtx(t, 120*time.Second)
	k, _ := scaledStream(t, ctx, c, stream)
	all, _ := readToEOF(t, ctx, c, stream, braid.UntilTail())
	checkAllInOrder(t, k, all)

	info, err := c.GetStream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	current := map[uint64]bool{}
	for _, s := range info.Current {
		current[s.ID] = true
	}
	// The end of each sealed segment.
	ends := map[uint64]int64{}
	for _, ev := range all {
		if !current[ev.Pointer.SegmentID] {
			ends[ev.Pointer.SegmentID] = max(ends[ev.Pointer.SegmentID], ev.Pointer.Offset+int64(ev.Pointer.Length))
		}
	}
	if len(ends) != 3 {
		t.Fatalf("%d sealed segments hold events, want 3", len(ends))
	}

	// Every position covers the key space exactly once.
	for i, ev := range all {
		checkCovers(t, info, ev.Position(), fmt.Sprintf("the position of event %d", i))
	}

	// Where the position names a different set of segments than the one
	// before, and around it; the last event of each sealed segment; and
	// some at random.
	picks := map[int]bool{len(all) - 1: true}
	atEnd, finishedPred := 0, 0
	for i, ev := range all {
		p := all[i].Position()
		if i > 0 {
			prev := all[i-1].Position()
			if len(prev.Segments) != len(p.Segments) || !slices.EqualFunc(prev.Segments, p.Segments, func(a, b wire.SegmentOffset) bool { return a.SegmentID == b.SegmentID }) {
				picks[i-1], picks[i] = true, true
				if i+1 < len(all) {
					picks[i+1] = true
				}
			}
		}
		if e, ok := ends[ev.Pointer.SegmentID]; ok && ev.Pointer.Offset+int64(ev.Pointer.Length) == e {
			picks[i] = true
			atEnd++
		}
		for _, so := range p.Segments {
			if e, ok := ends[so.SegmentID]; ok && so.Offset == e && so.SegmentID != ev.Pointer.SegmentID {
				// Another segment is finished, its successor not
				// started: the first few such positions.
				if finishedPred++; finishedPred <= 3 {
					picks[i] = true
				}
				break
			}
		}
	}
	for range 10 {
		picks[k.rng.IntN(len(all))] = true
	}
	if atEnd != 3 {
		t.Fatalf("%d events end a sealed segment, want 3", atEnd)
	}
	t.Logf("resuming at %d positions; %d positions hold a finished segment besides the event's", len(picks), finishedPred)

	for i := range picks {
		cut := all[i].Position()
		got, _ := readToEOF(t, ctx, c, stream, braid.FromCut(cut), braid.UntilTail())
		want := byKey(t, all[i+1:])
		if g := byKey(t, got); len(got) != len(all)-i-1 || fmt.Sprint(g) != fmt.Sprint(want) {
			t.Fatalf("from the position of event %d (%v): read %d events, want %d (%v, want %v)", i, cut.Segments, len(got), len(all)-i-1, g, want)
		}
	}

	// A reader's own position, mid-way, resumes the same way.
	r, err := c.NewReader(ctx, stream, braid.UntilTail())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var first []braid.Event
	for range 500 {
		ev, err := r.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		first = append(first, ev)
	}
	pos := r.Position()
	if !pos.Equal(first[len(first)-1].Position()) {
		t.Fatalf("Reader.Position %v differs from the last event's %v", pos.Segments, first[len(first)-1].Position().Segments)
	}
	rest, _ := readToEOF(t, ctx, c, stream, braid.FromCut(pos), braid.UntilTail())
	checkAllInOrder(t, k, append(first, rest...))
}

// A tail-following reader started before a split and a merge reads what is
// written after them, each key in order.
func TestReaderTailFollowsScaling(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	const stream = "scale/tail"
	ctx := testCtx(t, 60*time.Second)
	createStream(t, c, stream, 1)
	k := newScaleKeys(t, 32)
	r, err := c.NewReader(ctx, stream, braid.FromTail())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var got []braid.Event
	readUpTo := func(n int) {
		t.Helper()
		for len(got) < n {
			ev, err := r.Next(ctx)
			if err != nil {
				t.Fatalf("Next after %d events: %v", len(got), err)
			}
			got = append(got, ev)
		}
	}
	k.write(t, ctx, c, stream, 200)
	// The reader is in the first segment when it is split.
	readUpTo(200)
	first := got[0].Pointer.SegmentID
	if _, err := c.SplitSegment(ctx, stream, first, 2); err != nil {
		t.Fatal(err)
	}
	k.write(t, ctx, c, stream, 200)
	readUpTo(400)
	segs := currentSegments(t, ctx, c, stream)
	if _, err := c.MergeSegments(ctx, stream, segs[0].ID, segs[1].ID); err != nil {
		t.Fatal(err)
	}
	k.write(t, ctx, c, stream, 200)
	readUpTo(600)
	checkAllInOrder(t, k, got)
	if n := len(segmentsOf(got)); n != 4 {
		t.Errorf("read events of %d segments, want 4", n)
	}
	// Nothing more comes: sealing the stream ends the read.
	if err := c.SealStream(ctx, stream); err != nil {
		t.Fatal(err)
	}
	if ev, err := r.Next(ctx); err != io.EOF {
		t.Fatalf("Next after the seal: %q, %v; want io.EOF", ev.Data, err)
	}
}

// checkCovers checks that cut covers the key space [0,1) exactly once with
// segments of the stream info describes.
func checkCovers(t *testing.T, info braid.StreamInfo, cut braid.StreamCut, what string) {
	t.Helper()
	ranges := map[uint64]braid.SegmentRange{}
	for _, e := range info.Epochs {
		for _, s := range e.Segments {
			ranges[s.ID] = s
		}
	}
	var segs []braid.SegmentRange
	for _, so := range cut.Segments {
		s, ok := ranges[so.SegmentID]
		if !ok {
			t.Fatalf("%s %v names segment %016x, which the stream does not have", what, cut.Segments, so.SegmentID)
		}
		segs = append(segs, s)
	}
	slices.SortFunc(segs, func(a, b braid.SegmentRange) int {
		switch {
		case a.KeyLow < b.KeyLow:
			return -1
		case a.KeyLow > b.KeyLow:
			return 1
		}
		return 0
	})
	at := 0.0
	for _, s := range segs {
		if s.KeyLow != at {
			t.Fatalf("%s %v: segment %016x starts at key %g, want %g", what, cut.Segments, s.ID, s.KeyLow, at)
		}
		at = s.KeyHigh
	}
	if at != 1 {
		t.Fatalf("%s %v covers keys up to %g, not 1", what, cut.Segments, at)
	}
}

// A successor whose start was truncated before the reader got to it is read
// from the head; one truncated whole gives way to its own successors.
//
// (Merges only: the server's head cut does not yet step over a split
// segment that was truncated whole.)
func TestReaderSuccessorTruncated(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	const stream = "scale/trunc"
	ctx := testCtx(t, 60*time.Second)
	createStream(t, c, stream, 3)
	k := newScaleKeys(t, 48)
	k.write(t, ctx, c, stream, 150)
	first := currentSegments(t, ctx, c, stream)
	if _, err := c.MergeSegments(ctx, stream, first[0].ID, first[1].ID); err != nil {
		t.Fatal(err)
	}
	k.write(t, ctx, c, stream, 150)
	segs := currentSegments(t, ctx, c, stream)
	u := segs[0].ID // the merge's successor
	if _, err := c.MergeSegments(ctx, stream, segs[0].ID, segs[1].ID); err != nil {
		t.Fatal(err)
	}
	k.write(t, ctx, c, stream, 150)
	w := currentSegments(t, ctx, c, stream)[0].ID
	all, _ := readToEOF(t, ctx, c, stream, braid.UntilTail())
	checkAllInOrder(t, k, all)
	ends := map[uint64]int64{}
	for _, ev := range all {
		ends[ev.Pointer.SegmentID] = max(ends[ev.Pointer.SegmentID], ev.Pointer.Offset+int64(ev.Pointer.Length))
	}
	if len(ends) != 5 {
		t.Fatalf("events in %d segments, want 5", len(ends))
	}

	// truncate truncates at the first position from all[from:] that names
	// segment in (not at 0) and not the two first merged, and returns its
	// index.
	truncate := func(from int, in uint64) int {
		t.Helper()
		for i := from; i < len(all); i++ {
			cut := all[i].Position()
			if _, ok := cut.Offset(in); !ok || slices.ContainsFunc(first[:2], func(s braid.SegmentStatus) bool {
				_, ok := cut.Offset(s.ID)
				return ok
			}) {
				continue
			}
			if off, _ := cut.Offset(in); off == 0 {
				continue // nothing truncated
			}
			if err := c.TruncateStream(ctx, stream, cut); err != nil {
				t.Fatal(err)
			}
			t.Logf("truncated at the position of event %d, %v", i, cut.Segments)
			return i
		}
		t.Fatalf("no position after event %d with segment %x and not the first two", from, in)
		return 0
	}
	check := func(what string, from braid.StreamCut, want []braid.Event) {
		t.Helper()
		got, _ := readToEOF(t, ctx, c, stream, braid.FromCut(from), braid.UntilTail())
		if g, w := byKey(t, got), byKey(t, want); len(got) != len(want) || fmt.Sprint(g) != fmt.Sprint(w) {
			t.Fatalf("%s: read %d events, want %d (%v, want %v)", what, len(got), len(want), g, w)
		}
	}

	// The reader is at the ends of the merged segments (readable there:
	// truncated whole, they end where they start) when their successor
	// was truncated part-way.
	i := truncate(0, u)
	cut := all[i].Position()
	from := braid.StreamCut{Stream: stream}
	for _, s := range first[:2] {
		from = from.With(s.ID, ends[s.ID])
	}
	off, _ := cut.Offset(first[2].ID)
	from = from.With(first[2].ID, off)
	check("from the ends of the merged segments", from, all[i+1:])

	// A start cut the reader is given is not moved: its truncated data is
	// an error.
	r, err := c.NewReader(ctx, stream, braid.FromCut(braid.StreamCut{Segments: []wire.SegmentOffset{{SegmentID: u, Offset: 0}}}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(ctx); !errors.Is(err, braid.ErrTruncated) {
		t.Fatalf("reading truncated data of a start cut: %v, want ErrTruncated", err)
	}
	r.Close()

	// Truncated past the successor: the reader goes through it, of which
	// nothing is left, into its own successor.
	i = truncate(i+1, w)
	from = braid.StreamCut{Stream: stream}
	for _, s := range first {
		from = from.With(s.ID, ends[s.ID])
	}
	check("from the ends of the first segments, past a successor truncated whole", from, all[i+1:])
}
