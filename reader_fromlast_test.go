package braid_test

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid"
)

// lastPerSegment returns the pointers of the last n events of each segment
// of evs, in the order read.
func lastPerSegment(evs []braid.Event, n int) map[uint64][]braid.EventPointer {
	all := map[uint64][]braid.EventPointer{}
	for _, ev := range evs {
		all[ev.Pointer.SegmentID] = append(all[ev.Pointer.SegmentID], ev.Pointer)
	}
	for id, ps := range all {
		all[id] = ps[max(len(ps)-n, 0):]
	}
	return all
}

func pointersBySegment(evs []braid.Event) map[uint64][]braid.EventPointer {
	return lastPerSegment(evs, len(evs))
}

func samePointers(a, b map[uint64][]braid.EventPointer) bool {
	for id, ps := range a {
		if len(ps) > 0 && !slices.Equal(ps, b[id]) {
			return false
		}
	}
	for id, ps := range b {
		if len(ps) > 0 && !slices.Equal(ps, a[id]) {
			return false
		}
	}
	return true
}

// TestFromLast: FromLast(n) with UntilTail returns exactly the last n
// events of each segment (all of a segment with fewer), over data written
// in many commits of different ages, so that the search steps back
// through several cuts. The commits are random; the seed is printed.
func TestFromLast(t *testing.T) {
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(uint64(seed), 0))
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 60*time.Second)
	const stream = "test/last"
	createStream(t, c, stream, 3)
	// Nothing written yet: nothing to read, from the start.
	if evs := readAll(t, c, stream, braid.FromLast(5), braid.UntilTail()); len(evs) != 0 {
		t.Fatalf("FromLast(5) of an empty stream read %d events", len(evs))
	}
	next := 0
	for range 12 {
		n := 1 + rng.IntN(40)
		writeEvents(t, c, ctx, stream, next, n)
		next += n
		// Age the commits so that they fall in different steps (10 ms,
		// 20 ms, 40 ms...) of the search.
		time.Sleep(time.Duration(rng.IntN(40)) * time.Millisecond)
	}
	all := readAll(t, c, stream, braid.UntilTail())
	if len(all) != next {
		t.Fatalf("read %d events, wrote %d", len(all), next)
	}
	for _, n := range []int{1, 3, 10, 50, next, next + 1000} {
		got := readAll(t, c, stream, braid.FromLast(n), braid.UntilTail())
		if want := lastPerSegment(all, n); !samePointers(pointersBySegment(got), want) {
			t.Errorf("FromLast(%d): read %v\nwant %v", n, pointersBySegment(got), want)
		}
	}
}

// TestFromLastTruncatedAndFollow: a truncated segment holding fewer than n
// events is read from its truncation point; without an end the reader goes
// on with new events after the last n.
func TestFromLastTruncatedAndFollow(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)
	const stream = "test/last-trunc"
	createStream(t, c, stream, 1)
	ps := writeEvents(t, c, ctx, stream, 0, 20)
	tail, err := c.TailCut(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	// Truncate before event 15: 5 events are left.
	tail.Segments[0].Offset = ps[15].Offset
	if err := c.TruncateStream(ctx, stream, tail); err != nil {
		t.Fatal(err)
	}
	got := readAll(t, c, stream, braid.FromLast(8), braid.UntilTail())
	if len(got) != 5 || got[0].Pointer != ps[15] {
		t.Fatalf("FromLast(8) after truncation read %d events from %v, want 5 from %v", len(got), got[0].Pointer, ps[15])
	}

	r, err := c.NewReader(ctx, stream, braid.FromLast(2))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	more := writeEvents(t, c, ctx, stream, 20, 3)
	slices.SortFunc(more, func(a, b braid.EventPointer) int { return int(a.Offset - b.Offset) })
	want := append([]braid.EventPointer{ps[18], ps[19]}, more...)
	for i, p := range want {
		ev, err := r.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if ev.Pointer != p {
			t.Fatalf("event %d: %v, want %v", i, ev.Pointer, p)
		}
	}
}

// TestFromLastInvalid: n below 1 or above MaxLast is an invalid argument
// naming it.
func TestFromLastInvalid(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)
	createStream(t, c, "test/last-bad", 1)
	for _, n := range []int{0, -3, braid.MaxLast + 1} {
		_, err := c.NewReader(ctx, "test/last-bad", braid.FromLast(n))
		if !errors.Is(err, braid.ErrInvalidArgument) || err == nil || !strings.Contains(err.Error(), fmt.Sprintf("FromLast(%d)", n)) || !strings.Contains(err.Error(), "must be 1 to 100000") {
			t.Errorf("FromLast(%d): %v, want an invalid argument naming it", n, err)
		}
	}
}

// readEventsServed returns braid_stream_read_events_total of stream
// (scope "test") from the server's metrics.
func readEventsServed(t *testing.T, ts *testServer, stream string) int {
	t.Helper()
	resp, err := http.Get("http://" + ts.HTTPAddr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	prefix := fmt.Sprintf("braid_stream_read_events_total{scope=%q,stream=%q} ", "test", stream)
	for line := range strings.SplitSeq(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, prefix); ok {
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("metric line %q: %v", line, err)
			}
			return int(n)
		}
	}
	return 0
}

// TestFromLastReadsLittle: finding the last events of a segment with a
// long older run reads back the recent events, not the run.
func TestFromLastReadsLittle(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)
	const stream = "last-cost"
	createStream(t, c, "test/"+stream, 1)
	writeEvents(t, c, ctx, "test/"+stream, 0, 3000)
	// The run ages past the first steps of the search (10 ms, 20 ms...).
	time.Sleep(time.Second)
	for i := range 5 {
		writeEvents(t, c, ctx, "test/"+stream, 3000+i, 1)
	}
	before := readEventsServed(t, ts, stream)
	got := readAll(t, c, "test/"+stream, braid.FromLast(4), braid.UntilTail())
	served := readEventsServed(t, ts, stream) - before
	if len(got) != 4 || string(got[0].Data[:10]) != "event-3001" {
		t.Fatalf("FromLast(4) read %d events, the first %q", len(got), got[0].Data[:10])
	}
	// 4 read by the reader, the 5 recent ones (and at most a few more)
	// by the search.
	if served > 20 {
		t.Errorf("FromLast(4) made the server serve %d events, want the recent few, not the older 3000", served)
	}
	t.Logf("served %d events", served)
}
