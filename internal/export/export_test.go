package export_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/clienttest"
	"github.com/braidstream/braid/internal/export"
	"github.com/braidstream/braid/wire"
)

// exportSetup is a stream made by makeScaled with 40 events
// (clienttest.WriteEvents) in each of its three epochs.
type exportSetup struct {
	ctx    context.Context
	c      *braid.Client
	stream string
	l      scaled
	evs    []braid.Event // the stream's events, as read from its head
}

func newExportSetup(t *testing.T, stream string) *exportSetup {
	t.Helper()
	s := &exportSetup{ctx: clienttest.Ctx(t, 60*time.Second), c: newClient(t), stream: stream}
	s.l = makeScaled(t, s.ctx, s.c, stream, func(phase int) {
		clienttest.WriteEvents(t, s.c, s.ctx, stream, 40*phase, 40)
	})
	s.evs = readAll(t, s.ctx, s.c, stream)
	if len(s.evs) != 120 {
		t.Fatalf("read %d events, want 120", len(s.evs))
	}
	if segs := bySegment(s.evs); len(segs) != 5 {
		t.Fatalf("events in %d segments, want some in each of the 5", len(segs))
	}
	return s
}

// checkEventObjects checks that b holds exactly one object per event of
// evs, with its payload and metadata, and nothing else but the manifest.
func checkEventObjects(t *testing.T, ctx context.Context, b *memBucket, stream string, evs []braid.Event) {
	t.Helper()
	for _, ev := range evs {
		key := export.EventKey(stream, ev.Pointer)
		o, ok := b.object(key)
		if !ok {
			t.Errorf("event %s: no object at %s", ev.Pointer, key)
			continue
		}
		if !bytes.Equal(o.data, ev.Data) {
			t.Errorf("object %s holds %q, want the event's %q", key, o.data, ev.Data)
		}
		checkMeta(t, key, o.meta, ev)
	}
	if keys := eventKeys(t, ctx, b, stream); len(keys) != len(evs) {
		t.Errorf("%d event objects for %d events", len(keys), len(evs))
	}
	if _, ok := b.object(export.ManifestKey(stream)); !ok || b.len() != len(evs)+1 {
		t.Errorf("the bucket holds %d objects (manifest: %v), want the %d events' and the manifest", b.len(), ok, len(evs))
	}
}

// checkMeta checks the metadata of the object of (or of the batch starting
// with) ev.
func checkMeta(t *testing.T, key string, meta map[string]string, ev braid.Event) {
	t.Helper()
	want := map[string]string{
		"braid-stream":  ev.Pointer.Stream,
		"braid-segment": fmt.Sprintf("%016x", ev.Pointer.SegmentID),
		"braid-offset":  strconv.FormatInt(ev.Pointer.Offset, 10),
		"braid-length":  strconv.Itoa(int(ev.Pointer.Length)),
	}
	for k, v := range want {
		if meta[k] != v {
			t.Errorf("object %s: metadata %s = %q, want %q", key, k, meta[k], v)
		}
	}
	if at, ok := meta["braid-append-time"]; ok {
		tm, err := time.Parse(time.RFC3339Nano, at)
		if err != nil {
			t.Errorf("object %s: braid-append-time %q: %v", key, at, err)
		} else if !ev.AppendTime.IsZero() && !tm.Equal(ev.AppendTime) {
			t.Errorf("object %s: braid-append-time %s, the event's append time is %s", key, tm, ev.AppendTime)
		}
	}
}

// checkListingOrder checks that keys (in byte order) list each segment's
// objects together, in the order of the segment's events in evs, and
// every segment after its predecessors.
func checkListingOrder(t *testing.T, stream string, keys []string, evs []braid.Event, preds map[uint64][]uint64) {
	t.Helper()
	segs := bySegment(evs)
	seen := map[uint64]int{} // segment -> objects listed so far
	var last uint64
	for i, k := range keys {
		p, ok := export.ParseEventKey(stream, k)
		if !ok {
			t.Fatalf("key %s does not parse", k)
		}
		if i > 0 && p.SegmentID != last && seen[p.SegmentID] > 0 {
			t.Errorf("key %s: segment %016x is listed in two runs", k, p.SegmentID)
		}
		for _, pr := range preds[p.SegmentID] {
			if len(segs[pr]) > 0 && seen[pr] != len(segs[pr]) {
				t.Errorf("key %s lists before every object of its predecessor %016x", k, pr)
			}
		}
		n := seen[p.SegmentID]
		if n >= len(segs[p.SegmentID]) || segs[p.SegmentID][n].Pointer != p {
			t.Errorf("listed key %d (%s) is not event %d of segment %016x", i, k, n, p.SegmentID)
		}
		seen[p.SegmentID]++
		last = p.SegmentID
	}
}

// checkManifest checks the manifest of a finished export of the stream of
// s, up to its tail, in mode.
func checkManifest(t *testing.T, s *exportSetup, m *export.Manifest, mode string) {
	t.Helper()
	info, err := s.c.GetStream(s.ctx, s.stream)
	if err != nil {
		t.Fatal(err)
	}
	tail, err := s.c.TailCut(s.ctx, s.stream)
	if err != nil {
		t.Fatal(err)
	}
	if m.Format != export.ManifestFormat || m.Stream != s.stream || m.Mode != mode || m.Start != "head" {
		t.Errorf("manifest: format %q stream %q mode %q start %q, want %q %q %q \"head\"", m.Format, m.Stream, m.Mode, m.Start, export.ManifestFormat, s.stream, mode)
	}
	if !m.StreamCreated.Equal(info.Created) {
		t.Errorf("manifest: stream_created %v, the stream was created %v", m.StreamCreated, info.Created)
	}
	if m.Position != tail.String() {
		t.Errorf("manifest: position %s, want the tail cut %s (%v)", m.Position, tail, tail.Segments)
	}

	// Epochs: as the stream's, each in key order.
	if len(m.Epochs) != len(info.Epochs) {
		t.Fatalf("manifest: %d epochs, the stream has %d", len(m.Epochs), len(info.Epochs))
	}
	all := map[string]braid.SegmentRange{}
	for i, ep := range info.Epochs {
		var want []string
		for _, r := range sortedRanges(ep.Segments) {
			want = append(want, fmt.Sprintf("%016x", r.ID))
			all[fmt.Sprintf("%016x", r.ID)] = r
		}
		if m.Epochs[i].Epoch != ep.Epoch || !slices.Equal(m.Epochs[i].Segments, want) || !m.Epochs[i].Created.Equal(ep.Created) {
			t.Errorf("manifest: epoch %d is %+v, want epoch %d created %v with %v", i, m.Epochs[i], ep.Epoch, ep.Created, want)
		}
	}

	// Segments: each of every epoch once, by id, with its lineage.
	preds := s.l.preds()
	succs := map[uint64][]uint64{}
	for id, ps := range preds {
		for _, p := range ps {
			succs[p] = append(succs[p], id)
		}
	}
	sealed := map[uint64]bool{s.l.s0: true, s.l.s1: true, s.l.b: true}
	ends := segmentEnds(s.evs)
	tailAt := map[uint64]int64{}
	for _, so := range tail.Segments {
		tailAt[so.SegmentID] = so.Offset
	}
	if len(m.Segments) != len(all) {
		t.Errorf("manifest: %d segments, the epochs have %d", len(m.Segments), len(all))
	}
	if !slices.IsSortedFunc(m.Segments, func(x, y export.ManifestSegment) int { return cmpStr(x.ID, y.ID) }) {
		t.Errorf("manifest: segments not by id")
	}
	for _, ms := range m.Segments {
		r, ok := all[ms.ID]
		if !ok {
			t.Errorf("manifest: segment %s is in no epoch", ms.ID)
			continue
		}
		delete(all, ms.ID)
		if ms.KeyLow != r.KeyLow || ms.KeyHigh != r.KeyHigh || ms.Epoch != wire.SegmentEpoch(r.ID) {
			t.Errorf("manifest: segment %s: epoch %d [%v, %v), want %d [%v, %v)", ms.ID, ms.Epoch, ms.KeyLow, ms.KeyHigh, wire.SegmentEpoch(r.ID), r.KeyLow, r.KeyHigh)
		}
		if got, want := sortedIDs(ms.Predecessors), hexIDs(preds[r.ID]); !slices.Equal(got, want) {
			t.Errorf("manifest: segment %s: predecessors %v, want %v", ms.ID, got, want)
		}
		if got, want := sortedIDs(ms.Successors), hexIDs(succs[r.ID]); !slices.Equal(got, want) {
			t.Errorf("manifest: segment %s: successors %v, want %v", ms.ID, got, want)
		}
		if ms.Sealed != sealed[r.ID] {
			t.Errorf("manifest: segment %s: sealed %v, want %v", ms.ID, ms.Sealed, sealed[r.ID])
		}
		wantTo, inTail := tailAt[r.ID]
		if !inTail {
			wantTo = ends[r.ID]
		}
		if ms.ExportedFrom == nil || *ms.ExportedFrom != 0 || ms.ExportedTo == nil || *ms.ExportedTo != wantTo {
			t.Errorf("manifest: segment %s: exported [%v, %v), want [0, %d)", ms.ID, deref(ms.ExportedFrom), deref(ms.ExportedTo), wantTo)
		}
		if ms.Complete != sealed[r.ID] {
			t.Errorf("manifest: segment %s: complete %v, want %v (sealed and exported to its end)", ms.ID, ms.Complete, sealed[r.ID])
		}
	}
	for id := range all {
		t.Errorf("manifest: segment %s of an epoch is missing", id)
	}
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func sortedIDs(ids []string) []string { return slices.Sorted(slices.Values(ids)) }

func hexIDs(ids []uint64) []string {
	var out []string
	for _, id := range ids {
		out = append(out, fmt.Sprintf("%016x", id))
	}
	return sortedIDs(out)
}

func deref(p *int64) any {
	if p == nil {
		return "nil"
	}
	return *p
}

// TestExportEvents exports a stream that was split and merged between
// writes: every event has one object at its key with its bytes and
// metadata, the listing is per-segment offset order with predecessors
// first, and the manifest describes the lineage and the tail.
func TestExportEvents(t *testing.T) {
	s := newExportSetup(t, "exp/events")
	b := newMemBucket()
	p := runExport(t, s.ctx, s.c, b, export.Options{Stream: s.stream})

	var bytes int64
	for _, ev := range s.evs {
		bytes += int64(len(ev.Data))
	}
	if p.Events != 120 || p.Objects != 120 || p.Existing != 0 || p.Bytes != bytes {
		t.Errorf("progress %+v, want 120 events and objects of %d bytes, none existing", p, bytes)
	}
	checkEventObjects(t, s.ctx, b, s.stream, s.evs)
	keys := eventKeys(t, s.ctx, b, s.stream)
	checkListingOrder(t, s.stream, keys, s.evs, s.l.preds())
	if all := b.keys(); all[len(all)-1] != export.ManifestKey(s.stream) {
		t.Errorf("the manifest does not list last: %v", all[len(all)-1])
	}

	m := manifest(t, b, s.stream)
	checkManifest(t, s, m, export.ModeEvent)
	if m.Objects != 120 || m.Bytes != bytes {
		t.Errorf("manifest: %d objects of %d bytes, want 120 of %d", m.Objects, m.Bytes, bytes)
	}
	if p.Position != m.Position {
		t.Errorf("progress position %s, the manifest's %s", p.Position, m.Position)
	}
}

// TestExportRerun: running a finished export again creates nothing and
// leaves the manifest's position.
func TestExportRerun(t *testing.T) {
	s := newExportSetup(t, "exp/rerun")
	for _, batch := range []bool{false, true} {
		t.Run(fmt.Sprintf("batch=%v", batch), func(t *testing.T) {
			b := newMemBucket()
			o := export.Options{Stream: s.stream, Batch: batch, BatchBytes: 1000}
			first := runExport(t, s.ctx, s.c, b, o)
			m1 := manifest(t, b, s.stream)
			creates := b.createCalls()
			if int64(creates) != first.Objects {
				t.Errorf("%d Create calls for %d objects", creates, first.Objects)
			}

			p := runExport(t, s.ctx, s.c, b, o)
			if n := b.createCalls() - creates; n != 0 {
				t.Errorf("the second run made %d Create calls, want 0", n)
			}
			if p.Events != 0 || p.Objects != 0 || p.Existing != 0 {
				t.Errorf("the second run's progress is %+v, want nothing done", p)
			}
			m2 := manifest(t, b, s.stream)
			if m2.Position != m1.Position || p.Position != m1.Position {
				t.Errorf("the second run moved the position from %s to %s (progress %s)", m1.Position, m2.Position, p.Position)
			}
			if m2.Objects != m1.Objects || m2.Bytes != m1.Bytes {
				t.Errorf("the second run changed the manifest's counts from %d/%d to %d/%d", m1.Objects, m1.Bytes, m2.Objects, m2.Bytes)
			}
		})
	}
}

var errInjected = errors.New("injected failure")

// TestExportResume: a run that fails part-way (an injected failure of one
// Create) and a second run together export every event exactly once; the
// second run finds or writes every event the first did not save, and
// every event before the manifest's position after the failure is in the
// bucket.
func TestExportResume(t *testing.T) {
	s := newExportSetup(t, "exp/resume")
	for _, batch := range []bool{false, true} {
		t.Run(fmt.Sprintf("batch=%v", batch), func(t *testing.T) {
			b := newMemBucket()
			o := export.Options{Stream: s.stream, Batch: batch, BatchBytes: 400, BatchAge: time.Hour, Parallel: 4}
			failAt := 60
			if batch {
				failAt = 15 // of about 40 objects
			}
			b.failOnCreate(failAt, errInjected)
			p1, err := export.Run(s.ctx, s.c, b, o)
			if !errors.Is(err, errInjected) {
				t.Fatalf("the first run returned %+v, %v; want the injected failure", p1, err)
			}
			if p1.Done {
				t.Errorf("the failed run says Done: %+v", p1)
			}
			saved := b.len() // objects of the first run
			pos := ""        // the first run's saved position
			var before []braid.Event
			if _, ok := b.object(export.ManifestKey(s.stream)); ok {
				saved--
				pos = manifest(t, b, s.stream).Position
				before = eventsBefore(t, s.ctx, s.c, s.stream, pos)
			}
			t.Logf("first run: %+v, %v; %d objects saved, position %q (%d events before it)", p1, err, saved, pos, len(before))
			if int64(saved) != p1.Objects {
				t.Errorf("the first run says it wrote %d objects, the bucket holds %d", p1.Objects, saved)
			}
			if saved >= len(s.evs) || saved < failAt-1 {
				t.Errorf("the first run saved %d objects before failing at Create %d", saved, failAt)
			}
			covered := coveredEvents(t, b, s.stream, batch)
			for _, ev := range before {
				if covered[ev.Pointer] != 1 {
					t.Errorf("event %s is before the saved position but in %d objects", ev.Pointer, covered[ev.Pointer])
				}
			}

			creates := b.createCalls()
			p2 := runExport(t, s.ctx, s.c, b, o)
			if want := int64(len(s.evs) - len(before)); p2.Events != want {
				t.Errorf("the second run read %d events, want the %d after the saved position", p2.Events, want)
			}
			if n := b.len() - 1 - saved; int64(n) != p2.Objects {
				t.Errorf("the second run added %d objects, but says it wrote %d", n, p2.Objects)
			}
			if p2.Existing > int64(saved) || p2.Existing+p2.Objects == 0 {
				t.Errorf("the second run found %d objects and wrote %d; the first wrote %d", p2.Existing, p2.Objects, saved)
			}
			if !batch {
				// One Create per event (a batch-mode run finds earlier
				// batches past its position by listing them).
				if n := int64(b.createCalls() - creates); n != p2.Events {
					t.Errorf("the second run made %d Create calls for %d events", n, p2.Events)
				}
				if p2.Objects != int64(len(s.evs)-saved) {
					t.Errorf("the second run wrote %d objects, want the %d the first did not", p2.Objects, len(s.evs)-saved)
				}
				if p2.Existing+p2.Objects != p2.Events {
					t.Errorf("the second run found %d and wrote %d objects for %d events", p2.Existing, p2.Objects, p2.Events)
				}
				checkEventObjects(t, s.ctx, b, s.stream, s.evs)
			} else {
				checkBatches(t, s, b, 400)
			}
			if m := manifest(t, b, s.stream); m.Position != p2.Position {
				t.Errorf("manifest position %s, the run says %s", m.Position, p2.Position)
			}
			checkManifest(t, s, manifest(t, b, s.stream), map[bool]string{false: export.ModeEvent, true: export.ModeBatch}[batch])
		})
	}
}

// coveredEvents counts the objects in b that hold each event of stream.
func coveredEvents(t *testing.T, b *memBucket, stream string, batch bool) map[wire.EventPointer]int {
	t.Helper()
	out := map[wire.EventPointer]int{}
	for _, k := range b.keys() {
		p, ok := export.ParseEventKey(stream, k)
		if !ok {
			continue
		}
		if !batch {
			out[p]++
			continue
		}
		o, _ := b.object(k)
		evs, err := export.DecodeBatch(o.data, 0)
		if err != nil {
			t.Fatalf("object %s: %v", k, err)
		}
		for _, be := range evs {
			out[wire.EventPointer{Stream: stream, SegmentID: p.SegmentID, Offset: p.Offset + int64(be.Start), Length: int32(be.Length)}]++
		}
	}
	return out
}

// TestExportConflicts: an export refuses a bucket object with other
// bytes at an event's key, a manifest of another incarnation of the
// stream, of another stream, of the other mode or with another start.
func TestExportConflicts(t *testing.T) {
	ctx := clienttest.Ctx(t, 60*time.Second)
	c := newClient(t)
	const stream = "exp/conflict"
	clienttest.CreateStream(t, c, stream, 2)
	clienttest.WriteEvents(t, c, ctx, stream, 0, 30)
	evs := readAll(t, ctx, c, stream)

	for _, tc := range []struct {
		name string
		body func([]byte) []byte
	}{
		{"same size", func(d []byte) []byte { d = bytes.Clone(d); d[len(d)-1] ^= 1; return d }},
		{"other size", func(d []byte) []byte { return append(bytes.Clone(d), 'x') }},
	} {
		t.Run("object/"+tc.name, func(t *testing.T) {
			b := newMemBucket()
			ev := evs[17]
			other := tc.body(ev.Data)
			if err := b.Create(ctx, export.EventKey(stream, ev.Pointer), other, nil); err != nil {
				t.Fatal(err)
			}
			p, err := export.Run(ctx, c, b, export.Options{Stream: stream})
			if !errors.Is(err, export.ErrConflict) {
				t.Fatalf("Run = %+v, %v; want an error wrapping ErrConflict", p, err)
			}
			if o, _ := b.object(export.EventKey(stream, ev.Pointer)); !bytes.Equal(o.data, other) {
				t.Errorf("the conflicting object was replaced")
			}
		})
	}

	t.Run("mode", func(t *testing.T) {
		for _, batch := range []bool{false, true} {
			b := newMemBucket()
			runExport(t, ctx, c, b, export.Options{Stream: stream, Batch: batch})
			m := manifest(t, b, stream)
			creates := b.createCalls()
			p, err := export.Run(ctx, c, b, export.Options{Stream: stream, Batch: !batch})
			if !errors.Is(err, export.ErrConflict) {
				t.Errorf("a batch=%v run on a %s-mode export: %+v, %v; want ErrConflict", !batch, m.Mode, p, err)
			}
			if b.createCalls() != creates || manifest(t, b, stream).Position != m.Position {
				t.Errorf("the refused run changed the bucket")
			}
		}
	})

	t.Run("start", func(t *testing.T) {
		b := newMemBucket()
		runExport(t, ctx, c, b, export.Options{Stream: stream})
		cut := evs[10].Position()
		if p, err := export.Run(ctx, c, b, export.Options{Stream: stream, Start: &cut}); !errors.Is(err, export.ErrConflict) {
			t.Errorf("a run from %s on an export from the head: %+v, %v; want ErrConflict", cut, p, err)
		}
	})

	t.Run("other stream", func(t *testing.T) {
		const other = "exp/other"
		clienttest.CreateStream(t, c, other, 1)
		b := newMemBucket()
		runExport(t, ctx, c, b, export.Options{Stream: stream})
		o, _ := b.object(export.ManifestKey(stream))
		if err := b.Put(ctx, export.ManifestKey(other), o.data); err != nil {
			t.Fatal(err)
		}
		if p, err := export.Run(ctx, c, b, export.Options{Stream: other}); !errors.Is(err, export.ErrConflict) {
			t.Errorf("an export of %s over the manifest of %s: %+v, %v; want ErrConflict", other, stream, p, err)
		}
	})

	t.Run("recreated stream", func(t *testing.T) {
		const stream = "exp/recreated"
		clienttest.CreateStream(t, c, stream, 1)
		clienttest.WriteEvents(t, c, ctx, stream, 0, 5)
		b := newMemBucket()
		runExport(t, ctx, c, b, export.Options{Stream: stream})
		m := manifest(t, b, stream)
		if err := c.DeleteStream(ctx, stream); err != nil {
			t.Fatal(err)
		}
		// Creation times are in milliseconds: make the new one another.
		clienttest.WaitUntil(t, "the clock to pass the old stream's creation", 5*time.Second, func() bool {
			return time.Since(m.StreamCreated) > 2*time.Millisecond
		})
		clienttest.CreateStream(t, c, stream, 1)
		clienttest.WriteEvents(t, c, ctx, stream, 100, 5)
		creates := b.createCalls()
		p, err := export.Run(ctx, c, b, export.Options{Stream: stream})
		if !errors.Is(err, export.ErrConflict) {
			t.Fatalf("an export of the new %s over the old one's: %+v, %v; want ErrConflict", stream, p, err)
		}
		if b.createCalls() != creates || manifest(t, b, stream).Position != m.Position {
			t.Errorf("the refused run changed the bucket")
		}
	})
}

// checkBatches checks that the objects of the stream of s in b are batch
// objects (closed at batchBytes) holding every event of the stream once,
// each named by its first event's pointer, in listing order per segment.
func checkBatches(t *testing.T, s *exportSetup, b *memBucket, batchBytes int) {
	t.Helper()
	segs := bySegment(s.evs)
	got := map[uint64][]braid.Event{}
	lastOf := map[uint64]string{} // each segment's last key
	sizes := map[string]int{}
	for _, k := range eventKeys(t, s.ctx, b, s.stream) {
		p, _ := export.ParseEventKey(s.stream, k)
		o, _ := b.object(k)
		bevs, err := export.DecodeBatch(o.data, 0)
		if err != nil {
			t.Errorf("object %s: %v", k, err)
			continue
		}
		seg := segs[p.SegmentID]
		i := slices.IndexFunc(seg, func(ev braid.Event) bool { return ev.Pointer.Offset == p.Offset })
		if i < 0 || seg[i].Pointer != p {
			t.Errorf("object %s: its name is not the pointer of an event", k)
		} else {
			checkMeta(t, k, o.meta, seg[i])
		}
		framesLen := bevs[len(bevs)-1].Start + bevs[len(bevs)-1].Length
		if n := o.meta["braid-events"]; n != strconv.Itoa(len(bevs)) {
			t.Errorf("object %s: braid-events %q, it holds %d", k, n, len(bevs))
		}
		if end := o.meta["braid-end-offset"]; atoi(t, end) != p.Offset+int64(framesLen) {
			t.Errorf("object %s: braid-end-offset %s, its frames end at %d", k, end, p.Offset+int64(framesLen))
		}
		if last := bevs[len(bevs)-1]; last.Start >= batchBytes {
			t.Errorf("object %s: %d bytes of frames before its last event: not closed at %d", k, last.Start, batchBytes)
		}
		for _, be := range bevs {
			got[p.SegmentID] = append(got[p.SegmentID], braid.Event{Data: be.Payload, Pointer: wire.EventPointer{
				Stream: s.stream, SegmentID: p.SegmentID, Offset: p.Offset + int64(be.Start), Length: int32(be.Length)}})
		}
		lastOf[p.SegmentID] = k
		sizes[k] = framesLen
	}
	for k, n := range sizes {
		p, _ := export.ParseEventKey(s.stream, k)
		if k != lastOf[p.SegmentID] && n < batchBytes {
			t.Errorf("object %s has %d bytes of frames, but is not its segment's last and the batch size is %d", k, n, batchBytes)
		}
	}
	for id, want := range segs {
		have := got[id]
		if len(have) != len(want) {
			t.Errorf("segment %016x: the batches hold %d events, the segment %d", id, len(have), len(want))
			continue
		}
		for i := range want {
			if have[i].Pointer != want[i].Pointer || !bytes.Equal(have[i].Data, want[i].Data) {
				t.Errorf("segment %016x: batched event %d is %s %q, want %s %q", id, i, have[i].Pointer, have[i].Data, want[i].Pointer, want[i].Data)
				break
			}
		}
	}
	for id := range got {
		if _, ok := segs[id]; !ok {
			t.Errorf("batches of segment %016x, which has no events", id)
		}
	}
}

// TestExportBatches exports in batch mode: every object is a batch
// object named by its first event, closed at the batch size, and the
// batches of each segment hold its events in order.
func TestExportBatches(t *testing.T) {
	s := newExportSetup(t, "exp/batches")
	b := newMemBucket()
	const batchBytes = 500 // about four events
	p := runExport(t, s.ctx, s.c, b, export.Options{Stream: s.stream, Batch: true, BatchBytes: batchBytes, BatchAge: time.Hour})
	checkBatches(t, s, b, batchBytes)
	objects := len(eventKeys(t, s.ctx, b, s.stream))
	if p.Events != 120 || p.Objects != int64(objects) || p.Existing != 0 || objects >= 120/3 {
		t.Errorf("progress %+v for %d batch objects of 120 events", p, objects)
	}
	if b.len() != objects+1 {
		t.Errorf("%d objects: not only batches and the manifest", b.len())
	}
	m := manifest(t, b, s.stream)
	checkManifest(t, s, m, export.ModeBatch)
	if m.Objects != int64(objects) {
		t.Errorf("manifest: %d objects, want %d", m.Objects, objects)
	}
}

// TestExportFollow: a following export exports events written (and a
// scale made) while it runs, and when its context ends returns nil after
// saving its position.
func TestExportFollow(t *testing.T) {
	for _, batch := range []bool{false, true} {
		t.Run(fmt.Sprintf("batch=%v", batch), func(t *testing.T) {
			c := newClient(t)
			ctx := clienttest.Ctx(t, 60*time.Second)
			const stream = "exp/follow"
			clienttest.CreateStream(t, c, stream, 2)
			clienttest.WriteEvents(t, c, ctx, stream, 0, 20)
			b := newMemBucket()

			var last export.Progress // the last progress reported, read after Run returned
			r := startRun(t, ctx, c, b, export.Options{Stream: stream, Follow: true, Batch: batch, BatchAge: 20 * time.Millisecond,
				Progress: func(p export.Progress) { last = p }})
			exported := func(n int) func() bool {
				return func() bool {
					covered := coveredEvents(t, b, stream, batch)
					return len(covered) == n
				}
			}
			clienttest.WaitUntil(t, "the first 20 events exported", 20*time.Second, exported(20))
			clienttest.WriteEvents(t, c, ctx, stream, 20, 20)
			info, err := c.GetStream(ctx, stream)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.SplitSegment(ctx, stream, info.Epochs[0].Segments[0].ID, 2); err != nil {
				t.Fatal(err)
			}
			clienttest.WriteEvents(t, c, ctx, stream, 40, 20)
			clienttest.WaitUntil(t, "the 60 events exported", 20*time.Second, exported(60))
			r.cancel()
			if !r.wait(20 * time.Second) {
				t.Fatal("Run did not return 20 s after its context ended")
			}
			if r.err != nil {
				t.Fatalf("Run with Follow returned %v after its context ended; want nil", r.err)
			}
			if r.p.Events != 60 || !r.p.Done || last.Events != r.p.Events || last.Position != r.p.Position || !last.Done {
				t.Errorf("Run returned %+v, last reported %+v; want 60 events, Done", r.p, last)
			}
			evs := readAll(t, ctx, c, stream)
			covered := coveredEvents(t, b, stream, batch)
			for _, ev := range evs {
				if covered[ev.Pointer] != 1 {
					t.Errorf("event %s is in %d objects", ev.Pointer, covered[ev.Pointer])
				}
			}
			if !batch {
				checkEventObjects(t, ctx, b, stream, evs)
			}
			tail, err := c.TailCut(ctx, stream)
			if err != nil {
				t.Fatal(err)
			}
			if m := manifest(t, b, stream); m.Position != tail.String() || r.p.Position != m.Position {
				t.Errorf("after the follow: manifest position %s (run: %s), want the tail %s", m.Position, r.p.Position, tail)
			}
		})
	}
}

// TestExportFromCut: an export started at a cut exports exactly the
// events after it, and its manifest leaves out the segments before it.
func TestExportFromCut(t *testing.T) {
	s := newExportSetup(t, "exp/fromcut")
	var at braid.Event // an event of epoch 1
	for _, ev := range s.evs {
		if ev.Pointer.SegmentID == s.l.a {
			at = ev
		}
	}
	start := at.Position()
	want, _ := clienttest.ReadToEOF(t, s.ctx, s.c, s.stream, braid.FromCut(start), braid.UntilTail())
	if len(want) == 0 || len(want) == len(s.evs) {
		t.Fatalf("%d of %d events after the start", len(want), len(s.evs))
	}
	b := newMemBucket()
	p := runExport(t, s.ctx, s.c, b, export.Options{Stream: s.stream, Start: &start})
	if p.Events != int64(len(want)) {
		t.Errorf("the export read %d events, want the %d after its start", p.Events, len(want))
	}
	checkEventObjects(t, s.ctx, b, s.stream, want)
	m := manifest(t, b, s.stream)
	if m.Start != start.String() {
		t.Errorf("manifest: start %q, want %q", m.Start, start)
	}
	startAt := map[uint64]int64{}
	for _, so := range start.Segments {
		startAt[so.SegmentID] = so.Offset
	}
	for id, seg := range map[string]uint64{"s0": s.l.s0, "a": s.l.a, "c": s.l.c} {
		ms := manifestSegment(t, m, seg)
		switch from, ok := startAt[seg]; {
		case id == "s0":
			if ok || ms.ExportedFrom != nil || ms.ExportedTo != nil || ms.Complete {
				t.Errorf("manifest: segment s0, before the start, is %+v", ms)
			}
		case ok:
			if deref(ms.ExportedFrom) != from {
				t.Errorf("manifest: segment %s exported from %v, want its start offset %d", id, deref(ms.ExportedFrom), from)
			}
		default:
			if deref(ms.ExportedFrom) != int64(0) {
				t.Errorf("manifest: segment %s exported from %v, want 0", id, deref(ms.ExportedFrom))
			}
		}
	}
	if _, ok := startAt[s.l.a]; !ok {
		t.Errorf("the start %v does not name segment a", start.Segments)
	}
}
