package export

import (
	"cmp"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/tier2"
	"github.com/braidstream/braid/internal/tier2/s3"
	"github.com/braidstream/braid/wire"
)

// Bucket is what an export needs of an S3 bucket (s3.Store, with the
// export's prefix as its own).
type Bucket interface {
	Create(ctx context.Context, key string, data []byte, meta map[string]string) error
	Head(ctx context.Context, key string) (s3.ObjectHead, error)
	Put(ctx context.Context, key string, data []byte) error
	GetRange(ctx context.Context, key string, off, length int64) ([]byte, error)
	List(ctx context.Context, prefix, after string, limit int) ([]tier2.ObjectInfo, error)
}

// Defaults of Options.
const (
	DefaultParallel   = 32
	DefaultBatchBytes = 8 << 20
	DefaultBatchAge   = 10 * time.Second
	checkpointEvery   = time.Second
)

// Options says what to export and how.
type Options struct {
	// Stream is SCOPE/STREAM.
	Stream string
	// Start is where a new export starts; nil: the stream's head. An
	// export that finds its manifest resumes at the manifest's position
	// instead, and refuses a Start other than the one it began with.
	Start *braid.StreamCut
	// End bounds the export; nil: the tail as it is when Run starts,
	// unless Follow.
	End *braid.StreamCut
	// Follow exports new events as they come, until ctx ends.
	Follow bool
	// Parallel is how many objects may be in flight at once (default
	// DefaultParallel), over all segments.
	Parallel int
	// Batch is set for batched mode: one object per run of events of a
	// segment, closed at BatchBytes of frames or BatchAge after its first
	// event, whichever comes first.
	Batch      bool
	BatchBytes int
	BatchAge   time.Duration
	// Progress, if set, is called from one goroutine about once a second
	// and when Run ends.
	Progress func(Progress)
	Logger   *slog.Logger
}

// Progress is how far an export got.
type Progress struct {
	Events int64 // events read from the stream in this run
	// EventBytes is those events' payload bytes.
	EventBytes int64
	Objects    int64 // objects written in this run
	Bytes      int64 // their bytes
	// Existing counts objects this run found already in the bucket with
	// the right content (an earlier run wrote them before it stopped).
	Existing int64
	// Position is the stream cut every event before which is exported.
	Position string
	// AppendTime is when the last event before Position was appended,
	// when known.
	AppendTime time.Time
	Done       bool
}

// ErrConflict reports a bucket object or manifest that belongs to another
// export than this one.
var ErrConflict = errors.New("export conflict")

type job struct {
	id     int64
	key    string
	body   []byte
	meta   map[string]string
	events int
}

type mark struct {
	seq int64
	ev  braid.Event
	// cut, in batch mode, is the position to save: ev's, with every
	// segment whose batch was still open pulled back to where that
	// batch starts, so that a saved position never falls inside an
	// object.
	cut *braid.StreamCut
}

// exporter is one Run's state.
type exporter struct {
	c     *braid.Client
	b     Bucket
	o     Options
	log   *slog.Logger
	info  braid.StreamInfo
	m     *Manifest
	start braid.StreamCut

	mu        sync.Mutex
	pending   map[int64]int64 // job id -> its least event seq
	marks     []mark
	nextSeq   int64
	progress  Progress
	ends      map[uint64]int64 // where each segment's exported events end
	failed    error
	saved     string      // the position the manifest last saved
	savedAt   time.Time   // the append time of the last event before saved
	lastEvent braid.Event // the last event read, without its data
	// existing holds, in batch mode, the batch objects a run before this
	// one wrote past the manifest's position, per segment: first offset
	// -> end offset. The read skips their events rather than batching
	// them again (a batch closed by age would not be cut the same way).
	existing map[uint64]map[int64]int64
}

// Run exports o.Stream into b until the end (or, with Follow, until ctx
// ends; Run then returns nil after saving its position).
func Run(ctx context.Context, c *braid.Client, b Bucket, o Options) (Progress, error) {
	if o.Parallel <= 0 {
		o.Parallel = DefaultParallel
	}
	if o.BatchBytes <= 0 {
		o.BatchBytes = DefaultBatchBytes
	}
	o.BatchBytes = min(o.BatchBytes, maxBatchBytes)
	if o.BatchAge <= 0 {
		o.BatchAge = DefaultBatchAge
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	e := &exporter{c: c, b: b, o: o, log: log, pending: map[int64]int64{}, ends: map[uint64]int64{}}
	if err := e.open(ctx); err != nil {
		return Progress{}, err
	}
	return e.run(ctx)
}

// open reads the stream and the manifest, and chooses where to start.
func (e *exporter) open(ctx context.Context) error {
	info, err := e.c.GetStream(ctx, e.o.Stream)
	if err != nil {
		return err
	}
	e.info = info
	mode := ModeEvent
	if e.o.Batch {
		mode = ModeBatch
	}
	key := ManifestKey(e.o.Stream)
	raw, err := e.b.GetRange(ctx, key, 0, -1)
	switch {
	case errors.Is(err, tier2.ErrNotFound):
		var start braid.StreamCut
		startText := "head"
		if e.o.Start != nil {
			start, startText = *e.o.Start, e.o.Start.String()
		} else if start, err = e.c.HeadCut(ctx, e.o.Stream); err != nil {
			return err
		}
		e.start = start
		e.m = &Manifest{Format: ManifestFormat, Stream: e.o.Stream, StreamCreated: info.Created.UTC(), Mode: mode, Start: startText, Position: start.String()}
		return nil
	case err != nil:
		return fmt.Errorf("read the manifest %s: %w", key, err)
	}
	m, err := DecodeManifest(raw)
	if err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	switch {
	case m.Stream != e.o.Stream:
		return fmt.Errorf("%w: %s is the manifest of stream %s, not %s", ErrConflict, key, m.Stream, e.o.Stream)
	case !m.StreamCreated.Equal(info.Created.UTC()):
		return fmt.Errorf("%w: this prefix holds an export of an earlier stream named %s (created %s; this one was created %s): export to another prefix, or delete the old export first",
			ErrConflict, e.o.Stream, m.StreamCreated.Format(time.RFC3339), info.Created.UTC().Format(time.RFC3339))
	case m.Mode != mode:
		return fmt.Errorf("%w: this prefix holds a %s-mode export of %s; continue it in that mode (%s) or export to another prefix", ErrConflict, m.Mode, e.o.Stream, modeFlag(m.Mode))
	case e.o.Start != nil && e.o.Start.String() != m.Start:
		return fmt.Errorf("%w: the export of %s in this prefix started at %s; continue it without --from, or export to another prefix", ErrConflict, e.o.Stream, m.Start)
	}
	if m.Start == "head" {
		e.start = braid.StreamCut{Stream: e.o.Stream}
	} else if e.start, err = wire.ParseStreamCut(m.Start); err != nil {
		return fmt.Errorf("%s: start: %w", key, err)
	}
	e.start.Stream = e.o.Stream
	for _, s := range m.Segments {
		if s.ExportedTo != nil {
			if id, err := strconv.ParseUint(s.ID, 16, 64); err == nil {
				e.ends[id] = *s.ExportedTo
			}
		}
	}
	e.m = m
	e.saved = m.Position
	if m.Mode == ModeBatch {
		return e.findBatches(ctx)
	}
	return nil
}

// findBatches lists the batch objects past the manifest's position: those
// of its segments past their offsets, and those of the segments after it.
func (e *exporter) findBatches(ctx context.Context) error {
	pos, err := wire.ParseStreamCut(e.m.Position)
	if err != nil {
		return fmt.Errorf("manifest position: %w", err)
	}
	l := newLineage(e.info)
	var ids []uint64
	for _, s := range pos.Segments {
		ids = append(ids, s.SegmentID)
	}
	before := l.ancestors(ids)
	at := map[uint64]int64{}
	for _, s := range pos.Segments {
		at[s.SegmentID] = s.Offset
	}
	e.existing = map[uint64]map[int64]int64{}
	for _, id := range l.order {
		if before[id] {
			continue
		}
		after := ""
		if off, ok := at[id]; ok {
			after = StartAfter(e.o.Stream, wire.EventPointer{SegmentID: id, Offset: off})
		}
		for {
			page, err := e.b.List(ctx, SegmentPrefix(e.o.Stream, id), after, 1000)
			if err != nil {
				return fmt.Errorf("list the batches of segment %016x: %w", id, err)
			}
			for _, o := range page {
				p, ok := ParseEventKey(e.o.Stream, o.Key)
				if !ok {
					continue
				}
				h, err := e.b.Head(ctx, o.Key)
				if err != nil {
					return err
				}
				end, err := strconv.ParseInt(h.Metadata["braid-end-offset"], 10, 64)
				if err != nil || end <= p.Offset {
					return fmt.Errorf("%w: batch object %s has no valid braid-end-offset metadata (%q)", ErrConflict, o.Key, h.Metadata["braid-end-offset"])
				}
				if e.existing[id] == nil {
					e.existing[id] = map[int64]int64{}
				}
				e.existing[id][p.Offset] = end
			}
			if len(page) < 1000 {
				break
			}
			after = page[len(page)-1].Key
		}
	}
	return nil
}

func modeFlag(mode string) string {
	if mode == ModeBatch {
		return "--batch"
	}
	return "--batch off"
}

// run reads the stream from the manifest's position and puts its objects.
func (e *exporter) run(ctx context.Context) (Progress, error) {
	pos, err := wire.ParseStreamCut(e.m.Position)
	if err != nil {
		return Progress{}, fmt.Errorf("manifest position: %w", err)
	}
	pos.Stream = e.o.Stream
	if pos, err = e.skipTruncated(ctx, pos); err != nil {
		return Progress{}, err
	}
	opts := []braid.ReaderOption{braid.FromCut(pos)}
	switch {
	case e.o.End != nil:
		opts = append(opts, braid.UntilCut(*e.o.End))
	case !e.o.Follow:
		opts = append(opts, braid.UntilTail())
	}
	r, err := e.c.NewReader(ctx, e.o.Stream, opts...)
	if err != nil {
		return Progress{}, err
	}
	defer r.Close()

	wctx, cancel := context.WithCancelCause(context.WithoutCancel(ctx))
	defer cancel(nil)
	jobs := make(chan job)
	var wg sync.WaitGroup
	for range e.o.Parallel {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if err := e.put(wctx, j); err != nil {
					e.fail(err)
					cancel(err)
				}
			}
		}()
	}
	// Saving the manifest must outlive a failed put (which cancels wctx)
	// and ctx's end (an interrupt saves how far it got).
	sctx := context.WithoutCancel(ctx)
	// The read ends with ctx, or when a put failed.
	rctx, stopRead := context.WithCancel(ctx)
	defer stopRead()
	stopOnFail := context.AfterFunc(wctx, stopRead)
	defer stopOnFail()
	stopCkpt := make(chan struct{})
	ckptDone := make(chan struct{})
	go func() {
		defer close(ckptDone)
		t := time.NewTicker(checkpointEvery)
		defer t.Stop()
		for {
			select {
			case <-stopCkpt:
				return
			case <-t.C:
				e.checkpoint(sctx)
				e.report(false)
			}
		}
	}()

	readErr := e.read(rctx, wctx, r, jobs)
	if readErr != nil && ctx.Err() == nil && rctx.Err() != nil {
		readErr = nil // a put failed: its error is reported
	}
	close(jobs)
	wg.Wait()
	close(stopCkpt)
	<-ckptDone

	e.mu.Lock()
	failed := e.failed
	e.mu.Unlock()
	var saveErr error
	if failed == nil && readErr == nil {
		// Everything read is in the bucket: the reader's own position
		// also moved past segments read to their ends.
		saveErr = e.checkpointAt(sctx, r.Position(), e.lastEvent.AppendTime)
	} else {
		e.checkpoint(sctx)
	}
	p := e.report(failed == nil && readErr == nil && saveErr == nil)
	switch {
	case saveErr != nil:
		return p, fmt.Errorf("every event was exported, but saving the manifest failed: %w", saveErr)
	case failed != nil:
		return p, failed
	case readErr != nil:
		return p, readErr
	}
	return p, nil
}

// skipTruncated returns pos, or, when the stream was truncated past it
// (retention removed events the export had not copied yet), the cut
// where the readable data starts in those segments: the gap is recorded
// in the manifest and logged, never skipped silently.
func (e *exporter) skipTruncated(ctx context.Context, pos braid.StreamCut) (braid.StreamCut, error) {
	head, err := e.c.HeadCut(ctx, e.o.Stream)
	if err != nil {
		return pos, err
	}
	l := newLineage(e.info)
	headAt := map[uint64]int64{}
	var headIDs []uint64
	for _, h := range head.Segments {
		headAt[h.SegmentID] = h.Offset
		headIDs = append(headIDs, h.SegmentID)
	}
	gone := l.ancestors(headIDs) // wholly before the head
	out := braid.StreamCut{Stream: pos.Stream}
	covered := map[uint64]bool{} // head segments pos is at or past
	moved := false
	for _, so := range pos.Segments {
		switch h, inHead := headAt[so.SegmentID]; {
		case inHead:
			if so.Offset < h {
				so.Offset, moved = h, true
			}
			covered[so.SegmentID] = true
			out.Segments = append(out.Segments, so)
		case gone[so.SegmentID]:
			moved = true // replaced by the head segments after it
		default:
			out.Segments = append(out.Segments, so) // past the head
			for a := range l.ancestors([]uint64{so.SegmentID}) {
				covered[a] = true
			}
		}
	}
	if !moved {
		return pos, nil
	}
	for _, h := range head.Segments {
		if !covered[h.SegmentID] {
			out.Segments = append(out.Segments, h)
		}
	}
	slices.SortFunc(out.Segments, func(a, b wire.SegmentOffset) int { return cmp.Compare(a.SegmentID, b.SegmentID) })
	gap := Gap{From: pos.String(), To: out.String(), Found: time.Now().UTC()}
	e.log.Warn("export: the stream was truncated past the export's position; the events in between were never exported", "stream", e.o.Stream, "from", gap.From, "to", gap.To)
	e.m.Gaps = append(e.m.Gaps, gap)
	e.m.Position = out.String()
	e.saved = "" // save the gap with the next checkpoint
	return out, nil
}

// openBatch is a batch object being filled for one segment.
type openBatch struct {
	job    int64
	first  braid.Event
	frames []byte
	starts []uint32
	end    int64 // the segment offset after the last frame
	since  time.Time
}

// read feeds jobs from r until the end, ctx's end (nil with Follow) or a
// failed put.
func (e *exporter) read(ctx, wctx context.Context, r *braid.Reader, jobs chan<- job) error {
	batches := map[uint64]*openBatch{}
	skipUntil := map[uint64]int64{} // the end of the earlier run's batch being skipped
	skipFrom := map[uint64]int64{}  // and its start
	var jobID int64
	send := func(j job) error {
		select {
		case jobs <- j:
			return nil
		case <-wctx.Done():
			return nil // the put's error is reported
		}
	}
	flush := func(id uint64, ob *openBatch) error {
		delete(batches, id)
		cut := e.lastEvent.Position()
		last := e.lastEvent.Pointer
		for i, so := range cut.Segments {
			if so.SegmentID == last.SegmentID && id == last.SegmentID && last.Offset >= ob.end {
				// The event just read, which closed this batch, is in
				// no object yet: the cut goes before it.
				cut.Segments[i].Offset = last.Offset
			} else if open := batches[so.SegmentID]; open != nil {
				cut.Segments[i].Offset = open.first.Pointer.Offset
			} else if start, ok := skipFrom[so.SegmentID]; ok && skipUntil[so.SegmentID] > so.Offset {
				cut.Segments[i].Offset = start
			}
		}
		e.mu.Lock()
		e.marks = append(e.marks, mark{seq: e.nextSeq - 1, ev: e.lastEvent, cut: &cut})
		e.mu.Unlock()
		meta := eventMeta(ob.first)
		meta["braid-events"] = strconv.Itoa(len(ob.starts))
		meta["braid-end-offset"] = strconv.FormatInt(ob.end, 10)
		return send(job{id: ob.job, key: EventKey(e.o.Stream, ob.first.Pointer), body: appendBatchIndex(ob.frames, ob.starts), meta: meta, events: len(ob.starts)})
	}
	flushAll := func(aged bool) error {
		for id, ob := range batches {
			if !aged || time.Since(ob.since) >= e.o.BatchAge {
				if err := flush(id, ob); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for {
		if wctx.Err() != nil {
			return nil
		}
		nctx, ncancel := ctx, context.CancelFunc(func() {})
		if len(batches) > 0 {
			oldest := time.Now()
			for _, ob := range batches {
				if ob.since.Before(oldest) {
					oldest = ob.since
				}
			}
			nctx, ncancel = context.WithDeadline(ctx, oldest.Add(e.o.BatchAge))
		}
		ev, err := r.Next(nctx)
		ncancel()
		switch {
		case err == nil:
		case errors.Is(err, io.EOF):
			return flushAll(false)
		case ctx.Err() != nil:
			if ferr := flushAll(false); ferr != nil {
				return ferr
			}
			if e.o.Follow {
				return nil
			}
			return ctx.Err()
		case nctx.Err() != nil:
			if err := flushAll(true); err != nil {
				return err
			}
			continue
		default:
			return err
		}
		e.mu.Lock()
		seq := e.nextSeq
		e.nextSeq++
		e.progress.Events++
		e.progress.EventBytes += int64(len(ev.Data))
		end := ev.Pointer.Offset + int64(ev.Pointer.Length)
		e.ends[ev.Pointer.SegmentID] = max(e.ends[ev.Pointer.SegmentID], end)
		e.lastEvent = ev
		e.lastEvent.Data = nil
		if !e.o.Batch {
			jobID++
			e.pending[jobID] = seq
			e.marks = append(e.marks, mark{seq: seq, ev: e.lastEvent})
			e.mu.Unlock()
			if err := send(job{id: jobID, key: EventKey(e.o.Stream, ev.Pointer), body: ev.Data, meta: eventMeta(ev), events: 1}); err != nil {
				return err
			}
			continue
		}
		seg := ev.Pointer.SegmentID
		if skipUntil[seg] > ev.Pointer.Offset {
			e.mu.Unlock()
			continue // in a batch an earlier run wrote
		}
		if end, ok := e.existing[seg][ev.Pointer.Offset]; ok {
			// An earlier run's batch starts here: close the open one
			// before it, and skip its events.
			e.progress.Existing++
			e.mu.Unlock()
			if ob := batches[seg]; ob != nil {
				if err := flush(seg, ob); err != nil {
					return err
				}
			}
			skipUntil[seg], skipFrom[seg] = end, ev.Pointer.Offset
			continue
		}
		ob := batches[seg]
		if ob != nil && ob.end != ev.Pointer.Offset {
			e.mu.Unlock()
			if err := flush(seg, ob); err != nil { // a gap (truncated data skipped)
				return err
			}
			e.mu.Lock()
			ob = nil
		}
		if ob == nil {
			jobID++
			ob = &openBatch{job: jobID, first: ev, end: ev.Pointer.Offset, since: time.Now()}
			ob.first.Data = nil
			batches[seg] = ob
			e.pending[jobID] = seq
		}
		e.mu.Unlock()
		ob.starts = append(ob.starts, uint32(len(ob.frames)))
		ob.frames = wire.AppendFrame(ob.frames, ev.Data)
		ob.end = end
		if len(ob.frames) >= e.o.BatchBytes {
			if err := flush(seg, ob); err != nil {
				return err
			}
		}
	}
}

// eventMeta is the user metadata of the object of ev (or of a batch
// starting with it).
func eventMeta(ev braid.Event) map[string]string {
	m := map[string]string{
		"braid-stream":  ev.Pointer.Stream,
		"braid-segment": segID(ev.Pointer.SegmentID),
		"braid-offset":  strconv.FormatInt(ev.Pointer.Offset, 10),
		"braid-length":  strconv.Itoa(int(ev.Pointer.Length)),
	}
	if !ev.AppendTime.IsZero() {
		m["braid-append-time"] = ev.AppendTime.UTC().Format(time.RFC3339Nano)
	}
	return m
}

// put writes one object, create-if-absent; an object already there must
// hold the same bytes.
func (e *exporter) put(ctx context.Context, j job) error {
	err := e.b.Create(ctx, j.key, j.body, j.meta)
	existed := false
	if errors.Is(err, s3.ErrExists) {
		if err = e.same(ctx, j); err == nil {
			existed = true
		}
	}
	if err != nil {
		return err
	}
	e.mu.Lock()
	delete(e.pending, j.id)
	if existed {
		e.progress.Existing++
	} else {
		e.progress.Objects++
		e.progress.Bytes += int64(len(j.body))
		e.m.Objects++
		e.m.Bytes += int64(len(j.body))
	}
	e.mu.Unlock()
	return nil
}

// same checks that the object at j.key holds j's bytes.
func (e *exporter) same(ctx context.Context, j job) error {
	h, err := e.b.Head(ctx, j.key)
	if err != nil {
		return err
	}
	sum := md5.Sum(j.body)
	if h.Size == int64(len(j.body)) && (len(h.ETag) != 32 || h.ETag == hex.EncodeToString(sum[:])) {
		return nil
	}
	return fmt.Errorf("%w: object %s is already in the bucket with other content (%d bytes, ETag %s; the event has %d bytes): is another stream exported to this prefix?",
		ErrConflict, j.key, h.Size, h.ETag, len(j.body))
}

func (e *exporter) fail(err error) {
	e.mu.Lock()
	if e.failed == nil {
		e.failed = err
	}
	e.mu.Unlock()
}

// report calls the progress callback, if any, and returns the progress.
func (e *exporter) report(done bool) Progress {
	e.mu.Lock()
	p := e.progress
	e.mu.Unlock()
	p.Position, p.AppendTime, p.Done = e.saved, e.savedAt, done
	if e.o.Progress != nil {
		e.o.Progress(p)
	}
	return p
}

// checkpoint saves the position after the last event before which
// everything is in the bucket, if it moved.
func (e *exporter) checkpoint(ctx context.Context) {
	e.mu.Lock()
	low := e.nextSeq
	for _, s := range e.pending {
		low = min(low, s)
	}
	var at *mark
	i := 0
	for i < len(e.marks) && e.marks[i].seq < low {
		at = &e.marks[i]
		i++
	}
	e.marks = e.marks[i:]
	e.mu.Unlock()
	if at != nil {
		pos := at.cut
		if pos == nil {
			p := at.ev.Position()
			pos = &p
		}
		if err := e.checkpointAt(ctx, *pos, at.ev.AppendTime); err != nil {
			e.log.Warn("export: saving the manifest failed", "stream", e.o.Stream, "err", err)
		}
	}
}

// checkpointAt writes the manifest with position pos, unless it holds
// that already.
func (e *exporter) checkpointAt(ctx context.Context, pos braid.StreamCut, appended time.Time) error {
	text := pos.String()
	if text == e.saved && e.m.Segments != nil {
		return nil
	}
	if info, err := e.c.GetStream(ctx, e.o.Stream); err == nil {
		e.info = info
	}
	e.mu.Lock()
	ends := maps.Clone(e.ends)
	e.m.Position = text
	e.m.Updated = time.Now().UTC()
	buildManifest(e.m, e.info, e.start, pos, ends)
	body := encodeManifest(e.m)
	e.mu.Unlock()
	if err := e.b.Put(ctx, ManifestKey(e.o.Stream), body); err != nil {
		return err
	}
	e.saved = text
	if !appended.IsZero() {
		e.savedAt = appended
	}
	return nil
}
