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

// newRunner makes the runner of a stored record.
func newRunner(m *Manager, rec record) (*runner, error) {
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
	r.init(rec, p)
	return r, nil
}

func (r *runner) init(rec record, p *plan) {
	r.rec, r.p = rec, p
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

// updateRecord changes the record and saves it.
func (r *runner) updateRecord(ctx context.Context, f func(*record)) error {
	r.saveMu.Lock()
	defer r.saveMu.Unlock()
	rec := r.record()
	rec.Versions = append([]Version(nil), rec.Versions...)
	f(&rec)
	if err := r.m.save(ctx, rec, -1); err != nil {
		return err
	}
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
		a.seq, a.lateSeq = ck.Seq, ck.LateSeq
		a.cut, err = braid.ParseStreamCut(a.ref.Cut)
		if err != nil {
			return &permanentError{fmt.Errorf("the query's checkpoint holds a bad input position: %w", err)}
		}
		a.cut.Stream = p.input
		if a.ref.Version == ver.Version {
			if err := a.eng.Restore(ck.Engine); err != nil {
				return &permanentError{fmt.Errorf("restoring the query's state from checkpoint %d: %w", a.ref.Count, err)}
			}
		}
	}
	if a.out, a.seq, err = openNumbered(ctx, c, p.output, "query:"+rec.Name, a.seq, r.m); err != nil {
		return err
	}
	defer a.out.Close(context.WithoutCancel(ctx))
	if p.late != "" {
		if a.late, a.lateSeq, err = openNumbered(ctx, c, p.late, "query:"+rec.Name+":late", a.lateSeq, r.m); err != nil {
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

// openNumbered opens a writer of stream numbers from seq under id; an
// output stream that was deleted and made again (so the numbers are
// unknown to it) starts again at 1.
func openNumbered(ctx context.Context, c *braid.Client, stream, id string, seq int64, m *Manager) (*braid.Writer, int64, error) {
	w, err := c.NewWriter(ctx, stream, braid.WithWriterID(id), braid.WithStreamNumbers(seq))
	if err != nil && seq > 1 && isCode(err, wire.CodeEventNumberGap) {
		m.log.Warn("query: its output stream holds none of its earlier results (made again?); numbering them from 1", "stream", stream)
		seq = 1
		w, err = c.NewWriter(ctx, stream, braid.WithWriterID(id), braid.WithStreamNumbers(1))
	}
	if err != nil {
		return nil, 0, fmt.Errorf("opening the query's stream %s: %w", stream, err)
	}
	return w, seq, nil
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
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if got {
			a.cut = last.Position()
			a.moved = true
			if ids := segmentsOf(a.cut); !slices.Equal(ids, a.segs) {
				a.segs = ids
				a.eng.SetSources(ids)
			}
		}
		now := time.Now()
		if source && now.Sub(lastWM) >= 250*time.Millisecond {
			lastWM = now
			if tw, err := a.c.TimeWindowAt(ctx, a.cut); err == nil && !tw.Lower.IsZero() {
				a.eng.AdvanceWatermark(tw.Lower)
			}
		}
		a.eng.Tick()
		for _, res := range a.eng.TakeResults() {
			a.outbox = append(a.outbox, outResult{Key: res.Key, Data: res.Data})
		}
		for _, l := range a.eng.TakeLate() {
			if a.late != nil {
				a.lateOutbox = append(a.lateOutbox, l.Data)
			}
		}
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
	snap, err := a.eng.Snapshot()
	if err != nil {
		return &permanentError{fmt.Errorf("taking the query's state: %w", err)}
	}
	ck := &checkpoint{Version: a.version, Engine: snap, Seq: a.seq, Outbox: a.outbox, LateSeq: a.lateSeq, LateOutbox: a.lateOutbox}
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
