package export_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/clienttest"
	"github.com/braidstream/braid/internal/export"
)

// perKey groups the payloads ("k<key>/<n>", see writeKeyed) of evs by
// key, each in the order read.
func perKey(t *testing.T, evs []braid.Event) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, ev := range evs {
		key, _, ok := strings.Cut(string(ev.Data), "/")
		if !ok {
			t.Fatalf("event %s: payload %q names no key", ev.Pointer, ev.Data)
		}
		out[key] = append(out[key], string(ev.Data))
	}
	return out
}

// checkSameKeys checks that per key, got holds the payloads of want in
// the same order.
func checkSameKeys(t *testing.T, got, want []braid.Event) {
	t.Helper()
	g, w := perKey(t, got), perKey(t, want)
	if len(got) != len(want) {
		t.Errorf("%d events, want %d", len(got), len(want))
	}
	for key, ws := range w {
		if !slices.Equal(g[key], ws) {
			t.Errorf("key %s: %d events %v, want %d %v", key, len(g[key]), g[key], len(ws), ws)
		}
	}
	for key := range g {
		if _, ok := w[key]; !ok {
			t.Errorf("key %s: events %v, want none", key, g[key])
		}
	}
}

// checkSameEpochs checks that stream got has the key ranges of want's
// epochs.
func checkSameEpochs(t *testing.T, ctx context.Context, c *braid.Client, got, want string) {
	t.Helper()
	gi, err := c.GetStream(ctx, got)
	if err != nil {
		t.Fatal(err)
	}
	wi, err := c.GetStream(ctx, want)
	if err != nil {
		t.Fatal(err)
	}
	ranges := func(info braid.StreamInfo) [][]braid.KeyRange {
		var out [][]braid.KeyRange
		for _, ep := range info.Epochs {
			var rs []braid.KeyRange
			for _, s := range sortedRanges(ep.Segments) {
				rs = append(rs, braid.KeyRange{Low: s.KeyLow, High: s.KeyHigh})
			}
			out = append(out, rs)
		}
		return out
	}
	if g, w := ranges(gi), ranges(wi); !slices.EqualFunc(g, w, slices.Equal) {
		t.Errorf("%s has the epochs %v, %s has %v", got, g, want, w)
	}
}

// sourceStream makes stream with makeScaled, writing 70 events
// (writeKeyed) in each epoch; mid, if set, is called half-way through
// epoch 1.
func sourceStream(t *testing.T, ctx context.Context, c *braid.Client, stream string, mid func()) {
	t.Helper()
	n := 0
	makeScaled(t, ctx, c, stream, func(phase int) {
		if phase == 1 && mid != nil {
			writeKeyed(t, ctx, c, stream, n, 35)
			mid()
			writeKeyed(t, ctx, c, stream, n+35, 35)
		} else {
			writeKeyed(t, ctx, c, stream, n, 70)
		}
		n += 70
	})
}

func runImport(t *testing.T, ctx context.Context, c *braid.Client, b export.Bucket, o export.ImportOptions) export.ImportProgress {
	t.Helper()
	start := time.Now()
	p, err := export.Import(ctx, c, b, o)
	if err != nil {
		t.Fatalf("Import(%+v): %+v, %v", o, p, err)
	}
	t.Logf("import of %s into %s: %+v in %v", o.From, o.To, p, time.Since(start).Round(time.Millisecond))
	return p
}

// TestImportRoundTrip exports a stream that was split and merged between
// writes, in each mode, and imports it into a new stream: per key the
// events and their order are the source's, the layouts are the source's,
// and a second import writes nothing.
func TestImportRoundTrip(t *testing.T) {
	ctx := clienttest.Ctx(t, 60*time.Second)
	c := newClient(t)
	const src = "imp/src"
	sourceStream(t, ctx, c, src, nil)
	want := readAll(t, ctx, c, src)
	if len(want) != 210 {
		t.Fatalf("the source holds %d events, want 210", len(want))
	}
	for key, ps := range perKey(t, want) {
		if !slices.IsSorted(ps) {
			t.Fatalf("the source's key %s is out of order: %v", key, ps)
		}
	}
	for _, batch := range []bool{false, true} {
		t.Run(fmt.Sprintf("batch=%v", batch), func(t *testing.T) {
			b := newMemBucket()
			runExport(t, ctx, c, b, export.Options{Stream: src, Batch: batch, BatchBytes: 100})
			dst := fmt.Sprintf("imp/dst-%v", batch)
			o := export.ImportOptions{Source: "mem://roundtrip", From: src, To: dst, Parallel: 2}
			p := runImport(t, ctx, c, b, o)
			if !p.Complete || p.Waiting != "" || p.Epochs != 3 || p.Events != 210 || p.Skipped != 0 {
				t.Errorf("import: %+v, want complete, 3 epochs, 210 events written", p)
			}
			got := readAll(t, ctx, c, dst)
			checkSameKeys(t, got, want)
			checkSameEpochs(t, ctx, c, dst, src)

			p = runImport(t, ctx, c, b, o)
			if !p.Complete || p.Events != 0 || p.Skipped != 210 || p.Bytes != 0 {
				t.Errorf("the second import: %+v, want complete, nothing written, 210 skipped", p)
			}
			checkSameKeys(t, readAll(t, ctx, c, dst), want)
			checkSameEpochs(t, ctx, c, dst, src)
		})
	}
}

// TestImportPartialExport imports an export that stopped half-way through
// the source's epoch 1: the import stops before the scale to epoch 2,
// whose sealed segments are not complete, holding what was exported; once
// the export is finished, a second import completes it, writing only the
// rest.
func TestImportPartialExport(t *testing.T) {
	ctx := clienttest.Ctx(t, 60*time.Second)
	c := newClient(t)
	const src = "imp/partial"
	var cut braid.StreamCut
	sourceStream(t, ctx, c, src, func() {
		var err error
		if cut, err = c.TailCut(ctx, src); err != nil {
			t.Fatal(err)
		}
	})
	want := readAll(t, ctx, c, src)
	wantPart, _ := clienttest.ReadToEOF(t, ctx, c, src, braid.UntilCut(cut))
	if len(want) != 210 || len(wantPart) != 105 {
		t.Fatalf("the source holds %d events, %d before the cut; want 210, 105", len(want), len(wantPart))
	}
	info, err := c.GetStream(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	sealedByMerge := []string{fmt.Sprintf("%016x", newSegments(braid.StreamInfo{Epochs: info.Epochs[:2]})[1].ID), fmt.Sprintf("%016x", sortedRanges(info.Epochs[0].Segments)[1].ID)}

	for _, batch := range []bool{false, true} {
		t.Run(fmt.Sprintf("batch=%v", batch), func(t *testing.T) {
			b := newMemBucket()
			eo := export.Options{Stream: src, Batch: batch, BatchBytes: 100, End: &cut}
			runExport(t, ctx, c, b, eo)
			// As a run that failed would have: objects of the events
			// just past the position, which the import must leave out.
			planted := plantPastCut(t, ctx, b, src, cut, want, batch)
			dst := fmt.Sprintf("imp/partial-dst-%v", batch)
			o := export.ImportOptions{Source: "mem://partial", From: src, To: dst}
			p := runImport(t, ctx, c, b, o)
			if p.Complete || !slices.Contains(sealedByMerge, p.Waiting) || p.Epochs != 2 || p.Events != 105 || p.Skipped != 0 {
				t.Errorf("import of the partial export: %+v, want incomplete, waiting on one of %v, 2 epochs, 105 events written", p, sealedByMerge)
			}
			checkSameKeys(t, readAll(t, ctx, c, dst), wantPart)
			if info, err := c.GetStream(ctx, dst); err != nil || len(info.Epochs) != 2 {
				t.Errorf("the target has %d epochs (%v), want 2", len(info.Epochs), err)
			}

			eo.End = nil
			if p := runExport(t, ctx, c, b, eo); p.Existing != int64(planted) {
				t.Errorf("the export to the end found %d objects, want the %d planted", p.Existing, planted)
			}
			p = runImport(t, ctx, c, b, o)
			if !p.Complete || p.Waiting != "" || p.Epochs != 3 || p.Events != 105 || p.Skipped != 105 {
				t.Errorf("import of the finished export: %+v, want complete, 3 epochs, 105 events written, 105 skipped", p)
			}
			checkSameKeys(t, readAll(t, ctx, c, dst), want)
			checkSameEpochs(t, ctx, c, dst, src)
		})
	}
}

// TestImportRefusesOtherTarget: an import refuses a target stream whose
// layout is not the export's.
func TestImportRefusesOtherTarget(t *testing.T) {
	ctx := clienttest.Ctx(t, 60*time.Second)
	c := newClient(t)
	const src, dst = "imp/src", "imp/other"
	clienttest.CreateStream(t, c, src, 2)
	writeKeyed(t, ctx, c, src, 0, 20)
	b := newMemBucket()
	runExport(t, ctx, c, b, export.Options{Stream: src})
	clienttest.CreateStream(t, c, dst, 3)
	p, err := export.Import(ctx, c, b, export.ImportOptions{Source: "mem://other", From: src, To: dst})
	if !errors.Is(err, export.ErrConflict) {
		t.Errorf("an import into a stream of 3 segments from one of 2: %+v, %v; want ErrConflict", p, err)
	}
	if evs := readAll(t, ctx, c, dst); len(evs) != 0 {
		t.Errorf("the refused import wrote %d events", len(evs))
	}
	if _, err := export.Import(ctx, c, b, export.ImportOptions{Source: "mem://other", From: "imp/none", To: "imp/none2"}); err == nil {
		t.Errorf("an import of a stream with no export succeeded")
	}
}

// plantPastCut stores in b, for each segment of cut, the object of its
// first event past the cut (in events), and returns how many.
func plantPastCut(t *testing.T, ctx context.Context, b *memBucket, stream string, cut braid.StreamCut, events []braid.Event, batch bool) int {
	t.Helper()
	n := 0
	for _, so := range cut.Segments {
		i := slices.IndexFunc(events, func(ev braid.Event) bool {
			return ev.Pointer.SegmentID == so.SegmentID && ev.Pointer.Offset == so.Offset
		})
		if i < 0 {
			continue
		}
		ev := events[i]
		meta := map[string]string{
			"braid-stream":  stream,
			"braid-segment": fmt.Sprintf("%016x", ev.Pointer.SegmentID),
			"braid-offset":  fmt.Sprint(ev.Pointer.Offset),
			"braid-length":  fmt.Sprint(ev.Pointer.Length),
		}
		body := ev.Data
		if batch {
			body = buildBatch([][]byte{ev.Data})
			meta["braid-events"] = "1"
			meta["braid-end-offset"] = fmt.Sprint(ev.Pointer.Offset + int64(ev.Pointer.Length))
		}
		if err := b.Create(ctx, export.EventKey(stream, ev.Pointer), body, meta); err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n == 0 {
		t.Fatalf("no events past the cut %v", cut.Segments)
	}
	return n
}
