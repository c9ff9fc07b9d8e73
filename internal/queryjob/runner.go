package queryjob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/query/engine"
	"github.com/braidstream/braid/internal/query/sql"
	"github.com/braidstream/braid/wire"
)

// Backoff between failed attempts of a query.
const (
	minBackoff = time.Second
	maxBackoff = time.Minute
)

// readSlice is how long the loop reads before it does its other duties
// (watermark, checkpoint, stats).
const readSlice = 50 * time.Millisecond

// maxOutbox bounds the results (and late events) held for one checkpoint.
const maxOutbox = 50000

// runner is one query: its record, its goroutine (owned by the manager)
// and its progress.
type runner struct {
	m *Manager

	// cancel and done belong to the running goroutine; guarded by m.mu.
	cancel context.CancelFunc
	done   chan struct{}

	saveMu sync.Mutex // serializes record saves (read, change, put)
	ver    int64      // the record's version in the store (guarded by saveMu)

	mu          sync.Mutex // guards the fields below
	rec         record
	p           *plan
	stats       engine.Stats
	up          bool // an attempt is running without a failure yet
	failed      bool // it cannot run until started again
	lastErr     string
	lastErrAt   time.Time
	failures    int64
	lagBytes    int64
	rates       rates
	firstSeenAt time.Time // wall clock of the first event matched since the runner started
}

// newRunner makes the runner of a stored record of version ver.
func newRunner(m *Manager, rec record, ver int64) (*runner, error) {
	q, err := parse(rec.current().SQL)
	if err != nil {
		return nil, err
	}
	p := &plan{q: q}
	p.input, p.output, p.late, p.state = streamsOf(rec.Name, q)
	if eng, err := engine.New(q, engine.Options{}); err == nil {
		for _, col := range eng.Columns() {
			p.columns = append(p.columns, Column{Name: col.Name, Role: col.Role})
		}
	} else {
		return nil, err
	}
	r := &runner{m: m}
	r.init(rec, p, ver)
	return r, nil
}

func (r *runner) init(rec record, p *plan, ver int64) {
	r.rec, r.p, r.ver = rec, p, ver
}

// version is the record's version in the store.
func (r *runner) version() int64 {
	r.saveMu.Lock()
	defer r.saveMu.Unlock()
	return r.ver
}

// runningLocked reports whether r's goroutine runs (m.mu held); one that
// ended by itself (a permanent failure) is cleared.
func (r *runner) runningLocked() bool {
	if r.done == nil {
		return false
	}
	select {
	case <-r.done:
		r.cancel()
		r.cancel, r.done = nil, nil
		return false
	default:
		return true
	}
}

func (r *runner) record() record {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.rec
}

func (r *runner) plan() *plan {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.p
}

func (r *runner) setRecord(rec record) {
	r.mu.Lock()
	r.rec = rec
	r.mu.Unlock()
}

// updateRecord changes the record and saves it, if the stored record is
// still the version the runner last saved or loaded (a deleted or
// replaced query's record is not written again: ErrConflict).
func (r *runner) updateRecord(ctx context.Context, f func(*record)) error {
	r.saveMu.Lock()
	defer r.saveMu.Unlock()
	rec := r.record()
	rec.Versions = append([]Version(nil), rec.Versions...)
	f(&rec)
	ver, err := r.m.save(ctx, rec, r.ver)
	if err != nil {
		return err
	}
	r.ver = ver
	r.setRecord(rec)
	return nil
}

func (r *runner) clearFailure() {
	r.mu.Lock()
	r.failed = false
	r.mu.Unlock()
}

func (r *runner) fail(err error, permanent bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.up = false
	r.failed = r.failed || permanent
	r.lastErr, r.lastErrAt = err.Error(), time.Now().UTC()
	r.failures++
}

// run runs the query until ctx ends, again after each failure with
// backoff.
func (r *runner) run(ctx context.Context) {
	rec := r.record()
	log := r.m.log.With("query", rec.Name, "version", rec.current().Version)
	backoff := minBackoff
	for ctx.Err() == nil {
		began := time.Now()
		err := r.once(ctx)
		if ctx.Err() != nil {
			return
		}
		var perm *permanentError
		if errors.As(err, &perm) {
			log.Error("query failed; start it again once fixed", "err", err)
			r.fail(err, true)
			return
		}
		if err == nil {
			err = errors.New("the query's input ended")
		}
		r.fail(err, false)
		log.Warn("query attempt failed; retrying", "err", err, "backoff", backoff)
		if time.Since(began) > 4*maxBackoff {
			backoff = minBackoff
		}
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

// permanentError is a failure that retrying will not fix.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// attempt is the state of one run of the query.
type attempt struct {
	r       *runner
	c       *braid.Client
	p       *plan
	version int64
	eng     *engine.Engine

	writer, lateWriter string // the version's writer ids

	out, late, state *braid.Writer
	seq, lateSeq     int64
	ref              *checkpointRef
	cut              braid.StreamCut
	moved            bool // the input position moved since the last checkpoint
	outbox           []outResult
	lateOutbox       [][]byte
	lastCk           time.Time
	sinceTrunc       int
	segs             []uint64 // the input segments the engine was told of
}

// segmentsOf lists a cut's segments.
func segmentsOf(c braid.StreamCut) []uint64 {
	ids := make([]uint64, 0, len(c.Segments))
	for _, s := range c.Segments {
		ids = append(ids, s.SegmentID)
	}
	return ids
}

// once runs the query from its last checkpoint until ctx ends or it fails.
func (r *runner) once(ctx context.Context) (err error) {
	rec := r.record()
	p := r.plan()
	ver := rec.current()
	c := r.m.client
	a := &attempt{r: r, c: c, p: p, version: ver.Version, seq: 1, lateSeq: 1, ref: rec.Checkpoint}
	a.eng, err = engine.New(p.q, engine.Options{})
	if err != nil {
		return &permanentError{err}
	}
	if err := ensureStreams(ctx, c, p); err != nil {
		return err
	}
	var ck *checkpoint
	if a.ref != nil {
		ck, err = loadCheckpoint(ctx, c, a.ref)
		if err != nil {
			if errors.Is(err, braid.ErrNotFound) || errors.Is(err, braid.ErrTruncated) {
				return &permanentError{fmt.Errorf("the query's checkpoint is gone (was its state stream %s deleted?): %w; delete and deploy the query again", p.state, err)}
			}
			return err
		}
		a.cut, err = braid.ParseStreamCut(a.ref.Cut)
		if err != nil {
			return &permanentError{fmt.Errorf("the query's checkpoint holds a bad input position: %w", err)}
		}
		a.cut.Stream = p.input
		if a.ref.Version == ver.Version {
			if err := a.eng.Restore(ck.Engine); err != nil {
				return &permanentError{fmt.Errorf("restoring the query's state from checkpoint %d: %w", a.ref.Count, err)}
			}
			a.seq, a.lateSeq = ck.Seq, ck.LateSeq
		} else {
			// The checkpoint of the version before: its results go
			// with its own writers, then this version numbers its own
			// from 1.
			if err := flushCheckpoint(ctx, c, ck, r.m); err != nil {
				return err
			}
			ck = nil
		}
	}
	a.writer, a.lateWriter = writerIDs(rec, ver.Version)
	if a.out, a.seq, err = openNumbered(ctx, c, p.output, a.writer, a.seq, r.m); err != nil {
		return err
	}
	defer a.out.Close(context.WithoutCancel(ctx))
	if p.late != "" {
		if a.late, a.lateSeq, err = openNumbered(ctx, c, p.late, a.lateWriter, a.lateSeq, r.m); err != nil {
			return err
		}
		defer a.late.Close(context.WithoutCancel(ctx))
	}
	if a.state, err = c.NewWriter(ctx, p.state, braid.WithoutWriterID()); err != nil {
		return err
	}
	defer a.state.Close(context.WithoutCancel(ctx))
	if ck != nil {
		// The checkpoint's results may not all have been appended
		// before the stop: append them again (those stored come back
		// as duplicates).
		a.outbox, a.lateOutbox = ck.Outbox, ck.LateOutbox
		if err := a.flushOutboxes(ctx); err != nil {
			return err
		}
	}
	var rd *braid.Reader
	switch {
	case a.ref != nil:
		rd, err = c.NewReader(ctx, p.input, braid.FromCut(a.cut))
	case p.q.Options.Start == "latest":
		rd, err = c.NewReader(ctx, p.input, braid.FromTail())
	default:
		rd, err = c.NewReader(ctx, p.input, braid.FromHead())
	}
	if err != nil {
		return err
	}
	defer rd.Close()
	if a.ref == nil {
		a.cut = rd.Position()
		a.moved = true
	}
	a.eng.SetSources(segmentsOf(rd.Position()))
	r.mu.Lock()
	r.up = true
	r.mu.Unlock()
	defer func() {
		// A stop commits what was processed, so that a start goes on
		// from there.
		if ctx.Err() != nil && a.moved {
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			if cerr := a.commit(sctx); cerr != nil {
				r.m.log.Warn("query: the checkpoint at stop failed; it goes on from the one before", "query", rec.Name, "err", cerr)
			}
		}
	}()
	return a.loop(ctx, rd)
}

// writerIDs are the ids a version of a query appends its results and its
// late events with: its own, so that no other deployment or version can
// take its numbers for duplicates.
func writerIDs(rec record, version int64) (out, late string) {
	base := fmt.Sprintf("query:%s:%s:v%d", rec.Name, rec.ID, version)
	return base, base + ":late"
}

// openNumbered opens a writer of stream numbers from seq under id. A
// stream that holds none of the id's numbers though seq says some were
// written (deleted and made again) starts again at 1; one that holds some
// but fewer is an error.
func openNumbered(ctx context.Context, c *braid.Client, stream, id string, seq int64, m *Manager) (*braid.Writer, int64, error) {
	w, err := c.NewWriter(ctx, stream, braid.WithWriterID(id), braid.WithStreamNumbers(seq))
	if err != nil && seq > 1 && isCode(err, wire.CodeEventNumberGap) {
		probe, perr := c.NewWriter(ctx, stream, braid.WithWriterID(id), braid.WithStreamNumbers(1))
		if perr != nil {
			return nil, 0, fmt.Errorf("opening the query's stream %s: %w", stream, perr)
		}
		held := probe.LastStored()
		probe.Close(ctx)
		if held > 0 {
			return nil, 0, &permanentError{fmt.Errorf("the query's stream %s holds its results up to %d, but its checkpoint says %d were written: delete the query and deploy it again", stream, held, seq-1)}
		}
		m.log.Warn("query: its output stream holds none of its earlier results (made again?); numbering them from 1", "stream", stream)
		seq = 1
		w, err = c.NewWriter(ctx, stream, braid.WithWriterID(id), braid.WithStreamNumbers(1))
	}
	if err != nil {
		return nil, 0, fmt.Errorf("opening the query's stream %s: %w", stream, err)
	}
	return w, seq, nil
}

// flushCheckpoint appends a checkpoint's outboxes with the writers and to
// the streams it names (a checkpoint of an earlier version).
func flushCheckpoint(ctx context.Context, c *braid.Client, ck *checkpoint, m *Manager) error {
	for _, o := range []struct {
		stream, id string
		seq        int64
		n          int
		kv         func(i int) (string, []byte)
	}{
		{ck.Output, ck.Writer, ck.Seq, len(ck.Outbox), func(i int) (string, []byte) { return ck.Outbox[i].Key, ck.Outbox[i].Data }},
		{ck.Late, ck.LateWriter, ck.LateSeq, len(ck.LateOutbox), func(i int) (string, []byte) { return "", ck.LateOutbox[i] }},
	} {
		if o.n == 0 || o.stream == "" || o.id == "" {
			continue
		}
		w, _, err := openNumbered(ctx, c, o.stream, o.id, o.seq, m)
		if err != nil {
			return err
		}
		idx := make([]int, o.n)
		for i := range idx {
			idx[i] = i
		}
		err = appendAll(ctx, w, idx, o.kv)
		if cerr := w.Close(ctx); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("appending the earlier version's results to %s: %w", o.stream, err)
		}
	}
	return nil
}

// loop reads, processes and checkpoints until ctx ends or a failure.
func (a *attempt) loop(ctx context.Context, rd *braid.Reader) error {
	cfg := a.r.m.cfg
	source := a.p.q.Options.Watermark == sql.WatermarkSource
	var lastWM, lastStats time.Time
	for {
		rctx, cancel := context.WithTimeout(ctx, readSlice)
		var last braid.Event
		got := false
		var rerr error
		for n := 0; n < 20000; n++ {
			ev, err := rd.Next(rctx)
			if err != nil {
				rerr = err
				break
			}
			a.eng.Process(engine.Event{Data: ev.Data, AppendTime: ev.AppendTime, Ptr: ev.Pointer})
			last, got = ev, true
		}
		cancel()
		// The position first: the events read are in the engine, and a
		// stop's checkpoint must hold the position after them.
		if got {
			a.cut = last.Position()
			a.moved = true
			if ids := segmentsOf(a.cut); !slices.Equal(ids, a.segs) {
				a.segs = ids
				a.eng.SetSources(ids)
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		now := time.Now()
		if source && now.Sub(lastWM) >= 250*time.Millisecond {
			lastWM = now
			if tw, err := a.c.TimeWindowAt(ctx, a.cut); err == nil && !tw.Lower.IsZero() {
				a.eng.AdvanceWatermark(tw.Lower)
			}
		}
		a.eng.Tick()
		a.take()
		pending := len(a.outbox) > 0 || len(a.lateOutbox) > 0
		since := now.Sub(a.lastCk)
		if pending && since >= cfg.CheckpointEvery || a.moved && since >= cfg.IdleCheckpointEvery ||
			len(a.outbox)+len(a.lateOutbox) >= maxOutbox {
			if err := a.commit(ctx); err != nil {
				return err
			}
		}
		if now.Sub(lastStats) >= 250*time.Millisecond {
			lastStats = now
			a.r.publish(a.eng.Stats(), now)
		}
		switch {
		case rerr == nil, errors.Is(rerr, context.DeadlineExceeded):
		case errors.Is(rerr, io.EOF):
			// Every segment is sealed and read: results wait for
			// nothing more, but windows still open stay open.
			if a.moved {
				if err := a.commit(ctx); err != nil {
					return err
				}
			}
			a.r.publish(a.eng.Stats(), time.Now())
			<-ctx.Done()
			return ctx.Err()
		default:
			return fmt.Errorf("reading %s: %w", a.p.input, rerr)
		}
	}
}

// commit saves a checkpoint (state, position, outboxes), commits it in
// the record, then appends the outboxes.
func (a *attempt) commit(ctx context.Context) error {
	a.take() // what the engine holds goes with this checkpoint
	snap, err := a.eng.Snapshot()
	if err != nil {
		return &permanentError{fmt.Errorf("taking the query's state: %w", err)}
	}
	ck := &checkpoint{Version: a.version, Engine: snap, Output: a.p.output, Writer: a.writer, Late: a.p.late, LateWriter: a.lateWriter,
		Seq: a.seq, Outbox: a.outbox, LateSeq: a.lateSeq, LateOutbox: a.lateOutbox}
	chunks, err := saveCheckpoint(ctx, a.state, ck)
	if err != nil {
		return err
	}
	ref := &checkpointRef{Version: a.version, Chunks: chunks, Cut: a.cut.String(), At: time.Now().UTC(), Count: 1}
	if a.ref != nil {
		ref.Count = a.ref.Count + 1
	}
	if err := a.r.updateRecord(ctx, func(rec *record) { rec.Checkpoint = ref }); err != nil {
		return fmt.Errorf("committing checkpoint %d: %w", ref.Count, err)
	}
	prev := a.ref
	a.ref, a.moved, a.lastCk = ref, false, time.Now()
	if err := a.flushOutboxes(ctx); err != nil {
		return err
	}
	// The checkpoints before this one are garbage: drop them now and
	// then (a truncation is a metadata commit).
	a.sinceTrunc++
	if prev != nil && a.sinceTrunc >= 20 {
		a.sinceTrunc = 0
		if cut, ok := firstChunkCut(a.p.state, ref); ok {
			if err := a.c.TruncateStream(ctx, a.p.state, cut); err != nil {
				a.r.m.log.Warn("query: truncating its state stream failed", "stream", a.p.state, "err", err)
			}
		}
	}
	return nil
}

// take moves the engine's results and late events to the outboxes.
func (a *attempt) take() {
	for _, res := range a.eng.TakeResults() {
		a.outbox = append(a.outbox, outResult{Key: res.Key, Data: res.Data})
	}
	for _, l := range a.eng.TakeLate() {
		if a.late != nil {
			a.lateOutbox = append(a.lateOutbox, l.Data)
		}
	}
}

// flushOutboxes appends the outboxes, numbered from seq and lateSeq,
// and waits until they are stored.
func (a *attempt) flushOutboxes(ctx context.Context) error {
	if err := appendAll(ctx, a.out, a.outbox, func(o outResult) (string, []byte) { return o.Key, o.Data }); err != nil {
		return fmt.Errorf("appending results to %s: %w", a.p.output, err)
	}
	a.seq += int64(len(a.outbox))
	a.outbox = nil
	if a.late != nil {
		if err := appendAll(ctx, a.late, a.lateOutbox, func(b []byte) (string, []byte) { return "", b }); err != nil {
			return fmt.Errorf("appending late events to %s: %w", a.p.late, err)
		}
		a.lateSeq += int64(len(a.lateOutbox))
	}
	a.lateOutbox = nil
	return nil
}

func appendAll[T any](ctx context.Context, w *braid.Writer, items []T, kv func(T) (string, []byte)) error {
	if len(items) == 0 {
		return nil
	}
	acks := make([]braid.Ack, len(items))
	for i, it := range items {
		k, v := kv(it)
		acks[i] = w.Write(ctx, k, v)
	}
	for _, ack := range acks {
		if _, err := ack.Wait(ctx); err != nil {
			return err
		}
	}
	return nil
}

// publish records the engine's stats for status and metrics.
func (r *runner) publish(st engine.Stats, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stats = st
	if r.firstSeenAt.IsZero() && st.Matched > 0 {
		r.firstSeenAt = now
	}
	r.rates.add(now, st.EventsIn, st.ResultsOut, refused(st))
}

// refused counts the events the query did not take.
func refused(st engine.Stats) int64 {
	return st.BadJSON + st.BadTime + st.TypeErrors + st.Late + st.Future + st.DroppedGroups
}

// isCode reports whether err is a braid error of code.
func isCode(err error, code wire.Code) bool {
	var e *braid.Error
	return errors.As(err, &e) && e.Code == code
}
