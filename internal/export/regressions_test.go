package export_test

// Regression tests of bugs found in the package: a failed run saves its
// position, a resumed run keeps finished segments' ends, batch positions
// fall at object ends, a failed put ends a following run, and import
// refuses a manifest naming a segment it does not describe.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/clienttest"
	"github.com/braidstream/braid/internal/export"
	"github.com/braidstream/braid/wire"
)

// TestExportFailedRunSavesPosition: when a put fails, Run saves the
// position before the first event not in the bucket (export.go calls
// e.checkpoint for that), so that the next run need not check again what
// is there. With one object in flight at a time the events before the
// failed Create are all stored.
func TestExportFailedRunSavesPosition(t *testing.T) {
	ctx := clienttest.Ctx(t, 60*time.Second)
	c := newClient(t)
	const stream = "bug/failsave"
	clienttest.CreateStream(t, c, stream, 1)
	clienttest.WriteEvents(t, c, ctx, stream, 0, 50)
	b := newMemBucket()
	b.failOnCreate(20, errInjected)
	if _, err := export.Run(ctx, c, b, export.Options{Stream: stream, Parallel: 1}); !errors.Is(err, errInjected) {
		t.Fatalf("Run: %v, want the injected failure", err)
	}
	if _, ok := b.object(export.ManifestKey(stream)); !ok {
		t.Fatalf("no manifest after the failed run: the next run starts again at the head (and checks %d objects)", b.len())
	}
	m := manifest(t, b, stream)
	if n := len(eventsBefore(t, ctx, c, stream, m.Position)); n != 19 {
		t.Errorf("the failed run saved a position after %d events, want the 19 stored before the failed Create", n)
	}
}

// TestExportResumeAtScaleKeepsSegmentEnd: an export bounded (End) at a cut
// taken just before a split names the split segment at its end; the run
// that continues it to the tail must record that segment as complete up
// to its end, or an import skips its events.
func TestExportResumeAtScaleKeepsSegmentEnd(t *testing.T) {
	ctx := clienttest.Ctx(t, 60*time.Second)
	c := newClient(t)
	const stream = "bug/scaleend"
	clienttest.CreateStream(t, c, stream, 2)
	clienttest.WriteEvents(t, c, ctx, stream, 0, 30)
	cut, err := c.TailCut(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := c.GetStream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	s0 := sortedRanges(info.Epochs[0].Segments)[0].ID
	if _, err := c.SplitSegment(ctx, stream, s0, 2); err != nil {
		t.Fatal(err)
	}
	clienttest.WriteEvents(t, c, ctx, stream, 30, 30)
	evs := readAll(t, ctx, c, stream)
	end := segmentEnds(evs)[s0]

	b := newMemBucket()
	runExport(t, ctx, c, b, export.Options{Stream: stream, End: &cut})
	if ms := manifestSegment(t, manifest(t, b, stream), s0); deref(ms.ExportedTo) != end {
		t.Fatalf("after the bounded run: segment %016x exported to %v, want %d", s0, deref(ms.ExportedTo), end)
	}
	runExport(t, ctx, c, b, export.Options{Stream: stream})
	checkEventObjects(t, ctx, b, stream, evs)
	ms := manifestSegment(t, manifest(t, b, stream), s0)
	if !ms.Complete || deref(ms.ExportedTo) != end {
		t.Errorf("after the run to the tail: segment %016x complete %v, exported to %v; want complete to %d", s0, ms.Complete, deref(ms.ExportedTo), end)
	}

	// What it does to an import: the segment's events are left out.
	if _, err := export.Import(ctx, c, b, export.ImportOptions{Source: "mem://bug", From: stream, To: "bug/scaleend-import"}); err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, ctx, c, "bug/scaleend-import"); len(got) != len(evs) {
		t.Errorf("the import holds %d events, the source %d", len(got), len(evs))
	}
}

// TestExportBatchPositionAtObjectEnds: in batch mode every offset of the
// saved position is the end of a batch object (or where the export
// started), so a resumed run starts a new object where the last one ended;
// a position inside a batch object makes the resumed run store that
// object's later events again in an overlapping object (and an import
// then fails with "an object is missing").
//
// The reads are made in this order, each step waited for: A1 B1 (either
// order), A2 (closes batch A1 A2), A3 (opens a batch of A), B2 (closes
// B1 B2). The checkpoint then has the open batch of A before it, so it
// saves the mark of A2's batch: B after B1, inside the object B1 B2.
func TestExportBatchPositionAtObjectEnds(t *testing.T) {
	ctx := clienttest.Ctx(t, 60*time.Second)
	c := newClient(t)
	const stream = "bug/midbatch"
	clienttest.CreateStream(t, c, stream, 2)
	info, err := c.GetStream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	segs := sortedRanges(info.Epochs[0].Segments)
	segA, segB := segs[0].ID, segs[1].ID
	w, err := c.NewWriter(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close(ctx)
	write := func(point float64, name string) {
		t.Helper()
		if _, err := w.WriteKeyPoint(ctx, point, append([]byte(name), bytes.Repeat([]byte{'.'}, 98)...)).Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	const atA, atB = 0.25, 0.75

	b := newMemBucket()
	var read atomic.Int64
	run := startRun(t, ctx, c, b, export.Options{Stream: stream, Follow: true, Batch: true, BatchBytes: 200, BatchAge: time.Hour,
		Progress: func(p export.Progress) { read.Store(p.Events) }})
	objectsOf := func(seg uint64) int {
		n := 0
		for _, k := range b.keys() {
			if p, ok := export.ParseEventKey(stream, k); ok && p.SegmentID == seg {
				n++
			}
		}
		return n
	}
	write(atA, "A1")
	write(atB, "B1")
	clienttest.WaitUntil(t, "2 events read", 10*time.Second, func() bool { return read.Load() == 2 })
	write(atA, "A2")
	clienttest.WaitUntil(t, "the batch A1 A2", 10*time.Second, func() bool { return objectsOf(segA) == 1 })
	write(atA, "A3")
	clienttest.WaitUntil(t, "4 events read", 10*time.Second, func() bool { return read.Load() == 4 })
	write(atB, "B2")
	clienttest.WaitUntil(t, "the batch B1 B2", 10*time.Second, func() bool { return objectsOf(segB) == 1 })
	var pos wire.StreamCut
	clienttest.WaitUntil(t, "a saved position", 10*time.Second, func() bool {
		if _, ok := b.object(export.ManifestKey(stream)); !ok {
			return false
		}
		pos, err = wire.ParseStreamCut(manifest(t, b, stream).Position)
		return err == nil && len(pos.Segments) > 0
	})

	// Every offset of the position is 0 or the end of an object.
	ends := map[wire.SegmentOffset]bool{}
	for _, k := range b.keys() {
		if p, ok := export.ParseEventKey(stream, k); ok {
			o, _ := b.object(k)
			ends[wire.SegmentOffset{SegmentID: p.SegmentID, Offset: atoi(t, o.meta["braid-end-offset"])}] = true
		}
	}
	for _, so := range pos.Segments {
		if so.Offset != 0 && !ends[so] {
			t.Errorf("the saved position has segment %016x at %d, inside a batch object", so.SegmentID, so.Offset)
		}
	}

	// A failure now, and a second run.
	creates := b.createCalls()
	b.failOnCreate(1, errInjected)
	write(atA, "A4") // closes the batch A3 A4, whose Create fails
	clienttest.WaitUntil(t, "the failed Create", 10*time.Second, func() bool { return b.createCalls() > creates })
	run.cancel() // a follow does not end at a failure by itself (TestExportFollowEndsAtFailure)
	if !run.wait(20 * time.Second) {
		t.Fatal("Run did not return")
	}
	if !errors.Is(run.err, errInjected) {
		t.Fatalf("Run: %v, want the injected failure", run.err)
	}
	runExport(t, ctx, c, b, export.Options{Stream: stream, Batch: true, BatchBytes: 200})
	covered := coveredEvents(t, b, stream, true)
	for _, ev := range readAll(t, ctx, c, stream) {
		if covered[ev.Pointer] != 1 {
			t.Errorf("event %s (%.2s) is in %d objects", ev.Pointer, ev.Data, covered[ev.Pointer])
		}
	}
	if _, err := export.Import(ctx, c, b, export.ImportOptions{Source: "mem://bug", From: stream, To: "bug/midbatch-import"}); err != nil {
		t.Errorf("import: %v", err)
	}
}

// TestExportFollowEndsAtFailure: a following export whose put fails
// returns the error, without waiting for the next event of the stream.
func TestExportFollowEndsAtFailure(t *testing.T) {
	ctx := clienttest.Ctx(t, 60*time.Second)
	c := newClient(t)
	const stream = "bug/followfail"
	clienttest.CreateStream(t, c, stream, 1)
	clienttest.WriteEvents(t, c, ctx, stream, 0, 5)
	b := newMemBucket()
	b.failOnCreate(3, errInjected)
	run := startRun(t, ctx, c, b, export.Options{Stream: stream, Follow: true})
	if !run.wait(10 * time.Second) {
		t.Fatalf("Run still runs 10 s after its third Create failed (%d Create calls)", b.createCalls())
	}
	if !errors.Is(run.err, errInjected) {
		t.Errorf("Run: %v, want the injected failure", run.err)
	}
}

// TestImportManifestNamingUndescribedSegment: an import of a manifest
// whose later epoch names a segment its segment list lacks (a damaged or
// hand-edited manifest) fails with an error rather than a panic, as it
// does for the first epoch.
func TestImportManifestNamingUndescribedSegment(t *testing.T) {
	ctx := clienttest.Ctx(t, 60*time.Second)
	c := newClient(t)
	const stream = "bug/badmanifest"
	clienttest.CreateStream(t, c, stream, 2)
	clienttest.WriteEvents(t, c, ctx, stream, 0, 10)
	info, err := c.GetStream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SplitSegment(ctx, stream, info.Epochs[0].Segments[0].ID, 2); err != nil {
		t.Fatal(err)
	}
	b := newMemBucket()
	runExport(t, ctx, c, b, export.Options{Stream: stream})
	m := manifest(t, b, stream)
	m.Epochs[1].Segments = append(m.Epochs[1].Segments, fmt.Sprintf("%016x", uint64(1)<<32|0xff))
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Put(ctx, export.ManifestKey(stream), raw); err != nil {
		t.Fatal(err)
	}
	err = func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("panic: %v", r)
				t.Errorf("Import panicked: %v", r)
			}
		}()
		_, err = export.Import(ctx, c, b, export.ImportOptions{Source: "mem://bad", From: stream, To: "bug/badmanifest-import"})
		return err
	}()
	if err == nil {
		t.Errorf("Import of a manifest naming an undescribed segment succeeded")
	}
}

// TestExportAfterTruncation: retention truncated the stream past an
// export's position while the export was not running. The next run goes
// on from the stream's head, records the gap in the manifest, and an
// import of the export takes the events on both sides of it.
func TestExportAfterTruncation(t *testing.T) {
	ctx := clienttest.Ctx(t, 60*time.Second)
	c := newClient(t)
	const stream = "bug/truncated"
	clienttest.CreateStream(t, c, stream, 2)
	clienttest.WriteEvents(t, c, ctx, stream, 0, 20)
	b := newMemBucket()
	if _, err := export.Run(ctx, c, b, export.Options{Stream: stream}); err != nil {
		t.Fatal(err)
	}
	clienttest.WriteEvents(t, c, ctx, stream, 20, 20)
	mid, err := c.TailCut(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	clienttest.WriteEvents(t, c, ctx, stream, 40, 20)
	if err := c.TruncateStream(ctx, stream, mid); err != nil {
		t.Fatal(err)
	}
	p, err := export.Run(ctx, c, b, export.Options{Stream: stream})
	if err != nil {
		t.Fatalf("export after a truncation past its position: %v", err)
	}
	if p.Events != 20 {
		t.Errorf("the run after the truncation exported %d events, want the 20 after it", p.Events)
	}
	m := manifest(t, b, stream)
	if len(m.Gaps) != 1 || m.Gaps[0].To != mid.String() {
		t.Fatalf("manifest gaps %+v, want one ending at the truncation cut %s", m.Gaps, mid)
	}
	if p, err := export.Import(ctx, c, b, export.ImportOptions{Source: "mem", From: stream, To: "bug/truncated-copy"}); err != nil || p.Events != 40 {
		t.Fatalf("import of an export with a gap: %+v, %v; want the 40 events exported", p, err)
	}
}
