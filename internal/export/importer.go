package export

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"sync"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/tier2"
	"github.com/braidstream/braid/wire"
)

// ImportOptions says what to import where.
type ImportOptions struct {
	// Source names the export's location (s3://BUCKET/PREFIX): with the
	// exported stream, it derives the writer ids that make a retried
	// import store nothing twice.
	Source string
	// From exports stream From into stream To, a new stream or one an
	// earlier import of the same export made.
	From, To string
	// Lo and Hi, if set, bound the events imported by pointer (both
	// included).
	Lo, Hi *braid.EventPointer
	// Parallel is how many segments are imported at once (default 8).
	Parallel int
	// Progress, if set, is called after each object imported (from
	// several goroutines, one at a time).
	Progress func(ImportProgress)
	Logger   *slog.Logger
}

// ImportProgress is how far an import got.
type ImportProgress struct {
	Events   int64 // events written in this run
	Skipped  int64 // events an earlier run stored
	Bytes    int64
	Epochs   int // the target's epochs replayed
	Complete bool
	// Waiting names, when the import stopped before the end of the
	// export's layouts, the segment whose export is not complete yet.
	Waiting string
}

// Import writes the events of an export back into a stream. It replays
// the exported stream's layouts: the target starts with the source's first
// epoch and is scaled as the source was, each scale once the segments it
// seals are imported whole, and each source segment's events are written
// in order to the target segment with its key range. Per routing key, the
// target then holds the same events in the same order as the source.
//
// Each source segment is written by a writer whose id comes from the
// source and the segment, with stream numbers, so a run that stopped
// (killed, interrupted) continues without storing anything twice.
func Import(ctx context.Context, c *braid.Client, b Bucket, o ImportOptions) (ImportProgress, error) {
	if o.Parallel <= 0 {
		o.Parallel = 8
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	key := ManifestKey(o.From)
	raw, err := b.GetRange(ctx, key, 0, -1)
	if errors.Is(err, tier2.ErrNotFound) {
		return ImportProgress{}, fmt.Errorf("no export of %s at %s (its manifest %s is missing)", o.From, o.Source, key)
	}
	if err != nil {
		return ImportProgress{}, fmt.Errorf("read the manifest: %w", err)
	}
	m, err := DecodeManifest(raw)
	if err != nil {
		return ImportProgress{}, err
	}
	if m.Stream != o.From {
		return ImportProgress{}, fmt.Errorf("%w: %s is the manifest of %s, not %s", ErrConflict, key, m.Stream, o.From)
	}
	im := &importer{c: c, b: b, o: o, m: m, segs: map[string]*ManifestSegment{}, done: map[string]bool{}}
	for i := range m.Segments {
		im.segs[m.Segments[i].ID] = &m.Segments[i]
	}
	for _, ep := range m.Epochs {
		for _, id := range ep.Segments {
			if im.segs[id] == nil {
				return ImportProgress{}, fmt.Errorf("manifest %s: epoch %d names segment %s, which its segments do not describe", key, ep.Epoch, id)
			}
		}
	}
	return im.run(ctx)
}

type importer struct {
	c    *braid.Client
	b    Bucket
	o    ImportOptions
	m    *Manifest
	segs map[string]*ManifestSegment
	done map[string]bool // segments imported as far as they were exported

	mu sync.Mutex
	p  ImportProgress
}

// epochRanges returns the ranges of manifest epoch i, in key order.
func (im *importer) epochRanges(i int) ([]braid.KeyRange, error) {
	var out []braid.KeyRange
	for _, id := range im.m.Epochs[i].Segments {
		s := im.segs[id]
		if s == nil {
			return nil, fmt.Errorf("manifest: epoch %d names segment %s, which it does not describe", im.m.Epochs[i].Epoch, id)
		}
		out = append(out, braid.KeyRange{Low: s.KeyLow, High: s.KeyHigh})
	}
	slices.SortFunc(out, func(a, b braid.KeyRange) int { return cmp.Compare(a.Low, b.Low) })
	return out, nil
}

func sameRanges(a []braid.KeyRange, b []braid.SegmentRange) bool {
	if len(a) != len(b) {
		return false
	}
	bs := slices.Clone(b)
	slices.SortFunc(bs, func(x, y braid.SegmentRange) int { return cmp.Compare(x.KeyLow, y.KeyLow) })
	for i := range a {
		if a[i].Low != bs[i].KeyLow || a[i].High != bs[i].KeyHigh {
			return false
		}
	}
	return true
}

// target creates the target stream with the first epoch's layout, or
// checks that an existing one replays the export's layouts so far; it
// returns how many of the manifest's epochs the target has.
func (im *importer) target(ctx context.Context) (braid.StreamInfo, int, error) {
	if len(im.m.Epochs) == 0 {
		return braid.StreamInfo{}, 0, errors.New("manifest: no epochs")
	}
	first, err := im.epochRanges(0)
	if err != nil {
		return braid.StreamInfo{}, 0, err
	}
	info, err := im.c.GetStream(ctx, im.o.To)
	if errors.Is(err, braid.ErrNotFound) {
		info, err = im.c.CreateStream(ctx, im.o.To, braid.StreamConfig{Segments: len(first), CreateScope: true})
		if err != nil {
			return braid.StreamInfo{}, 0, err
		}
	}
	if err != nil {
		return braid.StreamInfo{}, 0, err
	}
	if info.Scaling != nil {
		return braid.StreamInfo{}, 0, fmt.Errorf("%w: stream %s scales by itself; import into a new stream (the import scales it as %s was)", ErrConflict, im.o.To, im.o.From)
	}
	for i, ep := range info.Epochs {
		if i >= len(im.m.Epochs) {
			return braid.StreamInfo{}, 0, fmt.Errorf("%w: stream %s has more layouts (epochs) than the export of %s: import into a new stream", ErrConflict, im.o.To, im.o.From)
		}
		want, err := im.epochRanges(i)
		if err != nil {
			return braid.StreamInfo{}, 0, err
		}
		if !sameRanges(want, ep.Segments) {
			return braid.StreamInfo{}, 0, fmt.Errorf("%w: stream %s's epoch %d has other key ranges than %s's (it is not an import of this export, or the first layout is not %d equal ranges): import into a new stream", ErrConflict, im.o.To, ep.Epoch, im.o.From, len(first))
		}
	}
	return info, len(info.Epochs), nil
}

func (im *importer) run(ctx context.Context) (ImportProgress, error) {
	info, have, err := im.target(ctx)
	if err != nil {
		return ImportProgress{}, err
	}
	for k := 0; k < len(im.m.Epochs); k++ {
		if k >= have {
			// Scale the target as the source was from epoch k-1 to k,
			// once the segments it sealed are imported whole.
			prev, cur := im.m.Epochs[k-1].Segments, im.m.Epochs[k].Segments
			var seal []uint64
			var ranges []braid.KeyRange
			for _, id := range prev {
				if slices.Contains(cur, id) {
					continue
				}
				if s := im.segs[id]; !s.Complete && s.ExportedFrom != nil {
					im.p.Waiting = id
					im.p.Epochs = k
					return im.p, nil
				}
				tid, err := targetID(info, im.segs[id])
				if err != nil {
					return im.p, err
				}
				seal = append(seal, tid)
			}
			for _, id := range cur {
				if !slices.Contains(prev, id) {
					s := im.segs[id]
					ranges = append(ranges, braid.KeyRange{Low: s.KeyLow, High: s.KeyHigh})
				}
			}
			slices.SortFunc(ranges, func(a, b braid.KeyRange) int { return cmp.Compare(a.Low, b.Low) })
			if info, err = im.c.ScaleStream(ctx, im.o.To, seal, ranges); err != nil {
				return im.p, fmt.Errorf("replay the scale to epoch %d of %s on %s: %w", im.m.Epochs[k].Epoch, im.o.From, im.o.To, err)
			}
		}
		if err := im.epoch(ctx, k); err != nil {
			return im.p, err
		}
		im.p.Epochs = k + 1
	}
	im.p.Complete = true
	return im.p, nil
}

// epoch imports the segments of manifest epoch k not imported yet, up to
// Parallel at once.
func (im *importer) epoch(ctx context.Context, k int) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	sem := make(chan struct{}, im.o.Parallel)
	var wg sync.WaitGroup
	for _, id := range im.m.Epochs[k].Segments {
		s := im.segs[id]
		if im.done[id] || s.ExportedFrom == nil {
			continue
		}
		im.done[id] = true
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := im.segment(ctx, s); err != nil {
				cancel(err)
			}
		}()
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return ctx.Err()
}

// targetID is the id of the target's current segment with s's range.
func targetID(info braid.StreamInfo, s *ManifestSegment) (uint64, error) {
	cur := info.Epochs[len(info.Epochs)-1].Segments
	for _, t := range cur {
		if t.KeyLow == s.KeyLow && t.KeyHigh == s.KeyHigh {
			return t.ID, nil
		}
	}
	return 0, fmt.Errorf("the target has no current segment with the key range [%v, %v) of source segment %s", s.KeyLow, s.KeyHigh, s.ID)
}

// writerID is the id of the writer of source segment seg: the same in
// every run of the same import.
func (im *importer) writerID(seg string) string {
	h := sha256.Sum256([]byte(im.o.Source + "\x00" + im.m.Stream + "\x00" + im.m.StreamCreated.String() + "\x00" + seg))
	return "braid-import-" + hex.EncodeToString(h[:16])
}

// segment imports one source segment's exported events, in order, at a
// point of its key range.
func (im *importer) segment(ctx context.Context, s *ManifestSegment) error {
	id, err := strconv.ParseUint(s.ID, 16, 64)
	if err != nil {
		return fmt.Errorf("manifest: segment id %q: %v", s.ID, err)
	}
	wid := im.writerID(s.ID)
	probe, err := im.c.NewWriter(ctx, im.o.To, braid.WithWriterID(wid), braid.WithStreamNumbers(1))
	if err != nil {
		return err
	}
	skip := probe.LastStored()
	if err := probe.Close(ctx); err != nil {
		return err
	}
	w, err := im.c.NewWriter(ctx, im.o.To, braid.WithWriterID(wid), braid.WithStreamNumbers(skip+1))
	if err != nil {
		return err
	}
	defer w.Close(context.WithoutCancel(ctx))
	point := s.KeyLow + (s.KeyHigh-s.KeyLow)/2
	end := int64(-1)
	if s.ExportedTo != nil {
		end = *s.ExportedTo
	}
	var n int64 // events of the segment seen, in order
	err = im.objects(ctx, id, end, func(p wire.EventPointer, payload []byte) error {
		if im.o.Lo != nil && p.String() < im.o.Lo.String() || im.o.Hi != nil && p.String() > im.o.Hi.String() {
			return nil
		}
		n++
		if n <= skip {
			im.count(0, 1, 0)
			return nil
		}
		w.WriteKeyPoint(ctx, point, payload) // errors come back from Flush
		im.count(1, 0, len(payload))
		return nil
	})
	if err != nil {
		return err
	}
	if err := w.Flush(ctx); err != nil {
		return err
	}
	return w.Close(ctx)
}

func (im *importer) count(events, skipped int64, bytes int) {
	im.mu.Lock()
	defer im.mu.Unlock()
	im.p.Events += events
	im.p.Skipped += skipped
	im.p.Bytes += int64(bytes)
	if im.o.Progress != nil {
		im.o.Progress(im.p)
	}
}

// objects calls fn for each exported event of segment id below end (< 0:
// all), in offset order, fetching a window of objects ahead.
func (im *importer) objects(ctx context.Context, id uint64, end int64, fn func(wire.EventPointer, []byte) error) error {
	const window = 16
	type fetched struct {
		p    wire.EventPointer
		body []byte
		err  error
	}
	prefix := SegmentPrefix(im.m.Stream, id)
	after := ""
	if im.o.Lo != nil && im.o.Lo.SegmentID == id && im.m.Mode == ModeEvent {
		after = StartAfter(im.m.Stream, *im.o.Lo)
	}
	var next int64 = -1         // the offset the next object must start at
	gapEnds := map[int64]bool{} // where the export resumed after a truncation
	for _, g := range im.m.Gaps {
		if cut, err := wire.ParseStreamCut(g.To); err == nil {
			for _, so := range cut.Segments {
				if so.SegmentID == id {
					gapEnds[so.Offset] = true
				}
			}
		}
	}
	for {
		page, err := im.b.List(ctx, prefix, after, 1000)
		if err != nil {
			return err
		}
		var ptrs []wire.EventPointer
		stop := false
		for _, o := range page {
			p, ok := ParseEventKey(im.m.Stream, o.Key)
			if !ok {
				continue
			}
			if end >= 0 && p.Offset >= end {
				stop = true
				break
			}
			ptrs = append(ptrs, p)
		}
		// Fetch the page's objects, window at a time, in order.
		for i := 0; i < len(ptrs); i += window {
			part := ptrs[i:min(i+window, len(ptrs))]
			res := make([]fetched, len(part))
			var wg sync.WaitGroup
			for j, p := range part {
				wg.Add(1)
				go func() {
					defer wg.Done()
					body, err := im.b.GetRange(ctx, EventKey(im.m.Stream, p), 0, -1)
					res[j] = fetched{p: p, body: body, err: err}
				}()
			}
			wg.Wait()
			for _, f := range res {
				if f.err != nil {
					return f.err
				}
				if next >= 0 && f.p.Offset != next && !gapEnds[f.p.Offset] {
					return fmt.Errorf("export of %s: segment %016x has no object at offset %d (the next is %s): an object is missing", im.m.Stream, id, next, f.p)
				}
				if err := im.deliver(f.p, f.body, fn); err != nil {
					return err
				}
				next = im.nextOffset(f.p, f.body)
			}
		}
		if stop || len(page) < 1000 {
			return nil
		}
		after = page[len(page)-1].Key
	}
}

// nextOffset is where the object after the one at p starts.
func (im *importer) nextOffset(p wire.EventPointer, body []byte) int64 {
	if im.m.Mode == ModeBatch && len(body) >= BatchTrailerSize {
		return p.Offset + int64(binary.BigEndian.Uint32(body[len(body)-4:]))
	}
	return p.Offset + int64(p.Length)
}

// deliver passes the event (or the batch's events) of the object at p.
func (im *importer) deliver(p wire.EventPointer, body []byte, fn func(wire.EventPointer, []byte) error) error {
	if im.m.Mode != ModeBatch {
		if int64(len(body))+wire.HeaderSize != int64(p.Length) {
			return fmt.Errorf("object %s: %d bytes, but its pointer says %d (with the %d-byte header)", EventKey(im.m.Stream, p), len(body), p.Length, wire.HeaderSize)
		}
		return fn(p, body)
	}
	events, err := DecodeBatch(body, 0)
	if err != nil {
		return fmt.Errorf("object %s: %w", EventKey(im.m.Stream, p), err)
	}
	if events[0].Length != int(p.Length) {
		return fmt.Errorf("object %s: its first event is %d bytes framed, but its name says %d", EventKey(im.m.Stream, p), events[0].Length, p.Length)
	}
	for _, ev := range events {
		ep := wire.EventPointer{Stream: p.Stream, SegmentID: p.SegmentID, Offset: p.Offset + int64(ev.Start), Length: int32(ev.Length)}
		if err := fn(ep, ev.Payload); err != nil {
			return err
		}
	}
	return nil
}
