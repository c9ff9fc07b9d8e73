package export_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/clienttest"
	"github.com/braidstream/braid/internal/export"
	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
	"github.com/braidstream/braid/wire"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// newClient starts a server for the test and connects to it.
func newClient(t *testing.T) *braid.Client {
	t.Helper()
	ts := servertest.New(t, server.Config{})
	return clienttest.Dial(t, ts.GRPCAddr())
}

// scaled is the layout makeScaled gives a stream: epoch 0 is s0 [0, .5)
// and s1 [.5, 1); epoch 1 splits s0 into a [0, .25) and b [.25, .5);
// epoch 2 merges b and s1 into c [.25, 1).
type scaled struct{ s0, s1, a, b, c uint64 }

// preds is the lineage of l: each segment's predecessors.
func (l scaled) preds() map[uint64][]uint64 {
	return map[uint64][]uint64{l.a: {l.s0}, l.b: {l.s0}, l.c: {l.b, l.s1}}
}

// makeScaled creates stream with two segments and calls write (which
// writes events) before the split, between the split and the merge, and
// after the merge.
func makeScaled(t *testing.T, ctx context.Context, c *braid.Client, stream string, write func(phase int)) scaled {
	t.Helper()
	clienttest.CreateStream(t, c, stream, 2)
	info, err := c.GetStream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	var l scaled
	cur := sortedRanges(info.Epochs[0].Segments)
	l.s0, l.s1 = cur[0].ID, cur[1].ID
	write(0)
	if info, err = c.SplitSegment(ctx, stream, l.s0, 2); err != nil {
		t.Fatal(err)
	}
	added := newSegments(info)
	if len(added) != 2 {
		t.Fatalf("the split made segments %v", added)
	}
	l.a, l.b = added[0].ID, added[1].ID
	write(1)
	if info, err = c.MergeSegments(ctx, stream, l.b, l.s1); err != nil {
		t.Fatal(err)
	}
	added = newSegments(info)
	if len(added) != 1 || added[0].KeyLow != 0.25 || added[0].KeyHigh != 1 {
		t.Fatalf("the merge made segments %v", added)
	}
	l.c = added[0].ID
	write(2)
	return l
}

// newSegments returns the segments of info's last epoch that the one
// before does not have, in key order.
func newSegments(info braid.StreamInfo) []braid.SegmentRange {
	n := len(info.Epochs)
	var out []braid.SegmentRange
	for _, s := range info.Epochs[n-1].Segments {
		if !slices.ContainsFunc(info.Epochs[n-2].Segments, func(p braid.SegmentRange) bool { return p.ID == s.ID }) {
			out = append(out, s)
		}
	}
	return sortedRanges(out)
}

func sortedRanges(segs []braid.SegmentRange) []braid.SegmentRange {
	segs = slices.Clone(segs)
	slices.SortFunc(segs, func(x, y braid.SegmentRange) int {
		switch {
		case x.KeyLow < y.KeyLow:
			return -1
		case x.KeyLow > y.KeyLow:
			return 1
		}
		return 0
	})
	return segs
}

// writeKeyed writes events from..from+n-1 over 7 routing keys k0..k6, with
// payload "k<key>/<sequence number>", and waits for them.
func writeKeyed(t *testing.T, ctx context.Context, c *braid.Client, stream string, from, n int) {
	t.Helper()
	w, err := c.NewWriter(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	var acks []braid.Ack
	for i := from; i < from+n; i++ {
		key := fmt.Sprintf("k%d", i%7)
		acks = append(acks, w.Write(ctx, key, fmt.Appendf(nil, "%s/%06d", key, i)))
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	for _, a := range acks {
		if _, err := a.Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

// readAll reads stream from its head to its tail.
func readAll(t *testing.T, ctx context.Context, c *braid.Client, stream string) []braid.Event {
	t.Helper()
	evs, _ := clienttest.ReadToEOF(t, ctx, c, stream, braid.UntilTail())
	return evs
}

// bySegment groups events by segment, each group in the order read (which
// is offset order).
func bySegment(evs []braid.Event) map[uint64][]braid.Event {
	out := map[uint64][]braid.Event{}
	for _, ev := range evs {
		out[ev.Pointer.SegmentID] = append(out[ev.Pointer.SegmentID], ev)
	}
	return out
}

// segmentEnds is where each segment's events end.
func segmentEnds(evs []braid.Event) map[uint64]int64 {
	out := map[uint64]int64{}
	for _, ev := range evs {
		out[ev.Pointer.SegmentID] = max(out[ev.Pointer.SegmentID], ev.Pointer.Offset+int64(ev.Pointer.Length))
	}
	return out
}

// manifest reads and decodes stream's manifest from b.
func manifest(t *testing.T, b *memBucket, stream string) *export.Manifest {
	t.Helper()
	o, ok := b.object(export.ManifestKey(stream))
	if !ok {
		t.Fatalf("no manifest at %s", export.ManifestKey(stream))
	}
	m, err := export.DecodeManifest(o.data)
	if err != nil {
		t.Fatalf("manifest: %v\n%s", err, o.data)
	}
	return m
}

// manifestSegment returns the manifest's entry for segment id.
func manifestSegment(t *testing.T, m *export.Manifest, id uint64) export.ManifestSegment {
	t.Helper()
	for _, s := range m.Segments {
		if s.ID == fmt.Sprintf("%016x", id) {
			return s
		}
	}
	t.Fatalf("the manifest has no segment %016x", id)
	return export.ManifestSegment{}
}

// eventKeys returns the event keys of stream in b in byte order (listed
// with List, a small page at a time), and fails the test on any other key
// under the stream's prefix but the manifest's.
func eventKeys(t *testing.T, ctx context.Context, b *memBucket, stream string) []string {
	t.Helper()
	var keys []string
	after := ""
	for {
		page, err := b.List(ctx, export.StreamPrefix(stream), after, 7)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page {
			if o.Key == export.ManifestKey(stream) {
				continue
			}
			if _, ok := export.ParseEventKey(stream, o.Key); !ok {
				t.Errorf("object %s is neither an event key nor the manifest", o.Key)
				continue
			}
			keys = append(keys, o.Key)
		}
		if len(page) < 7 {
			return keys
		}
		after = page[len(page)-1].Key
	}
}

// eventsBefore counts the events of stream before cut (from the head).
func eventsBefore(t *testing.T, ctx context.Context, c *braid.Client, stream, cut string) []braid.Event {
	t.Helper()
	sc, err := wire.ParseStreamCut(cut)
	if err != nil {
		t.Fatalf("cut %q: %v", cut, err)
	}
	sc.Stream = stream
	evs, _ := clienttest.ReadToEOF(t, ctx, c, stream, braid.UntilCut(sc))
	return evs
}

// runExport runs an export that must succeed.
func runExport(t *testing.T, ctx context.Context, c *braid.Client, b export.Bucket, o export.Options) export.Progress {
	t.Helper()
	start := time.Now()
	p, err := export.Run(ctx, c, b, o)
	if err != nil {
		t.Fatalf("export.Run(%+v): %v", o, err)
	}
	if !p.Done {
		t.Errorf("export.Run returned %+v: not Done", p)
	}
	t.Logf("export of %s: %+v in %v", o.Stream, p, time.Since(start).Round(time.Millisecond))
	return p
}

func atoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return n
}

// bgRun is an export.Run in a goroutine of its own.
type bgRun struct {
	cancel context.CancelFunc
	done   chan struct{} // closed when Run returned
	p      export.Progress
	err    error
}

// startRun starts export.Run with a context of its own; at the end of the
// test (before the client closes) it is cancelled and waited for.
func startRun(t *testing.T, ctx context.Context, c *braid.Client, b export.Bucket, o export.Options) *bgRun {
	t.Helper()
	ctx, cancel := context.WithCancel(ctx)
	r := &bgRun{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		r.p, r.err = export.Run(ctx, c, b, o)
	}()
	t.Cleanup(func() {
		cancel()
		<-r.done
	})
	return r
}

// wait waits up to d for Run to return, and says whether it did; r.p and
// r.err are then its results.
func (r *bgRun) wait(d time.Duration) bool {
	select {
	case <-r.done:
		return true
	case <-time.After(d):
		return false
	}
}
