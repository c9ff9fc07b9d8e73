package segstore

import (
	"errors"
	"fmt"
	"log/slog"
	"syscall"
	"time"

	"github.com/braidstream/braid/internal/clock"
	"github.com/braidstream/braid/internal/storage/wal"
)

// maxBatchOps bounds the operations in one group commit.
const maxBatchOps = 1024

// flushLoop is the container's flusher: the one goroutine that writes the
// WAL and mutates segment state (group commit; see the package doc).
//
// Invariants:
//   - batches are committed in queue order, and each is applied to memory
//     only after its WAL record was written (and, in the default mode,
//     synced);
//   - every op taken from the queue has its done called exactly once;
//   - nothing sleeps to form a batch: a batch is what queued meanwhile.
func (c *container) flushLoop() {
	defer c.wg.Done()
	var (
		buf      []byte
		dirty    bool // written but not synced (interval mode)
		lastSync = c.opts.Clock.Now()
		timer    clock.Timer
		timerC   <-chan time.Time
		lastSend time.Time // the last pipelined record sent
	)
	// A log that takes several records in flight gets appends pipelined;
	// any other op waits for them (settle) and commits alone.
	async, _ := c.wal.(AsyncLog)
	defer c.settle()
	syncNow := func() {
		dirty = false
		lastSync = c.opts.Clock.Now()
		if err := c.wal.Sync(); err != nil {
			c.setFailed(err)
		}
	}
	for {
		select {
		case <-c.stop:
			if dirty {
				syncNow()
			}
			if timer != nil {
				timer.Stop()
			}
			c.drain(func(o *op) error { return c.closedErr(o.name) })
			return
		case <-timerC:
			timerC = nil
			if dirty {
				syncNow()
			}
		case <-c.wake:
		case <-c.landed:
		}
		for {
			if async != nil && c.inflightN.Load() > 0 && !c.queuedAtLeast(c.opts.PipelineBytes) {
				// Small batches wait for the record in flight: one PUT
				// at a time while it keeps up, so that a light load
				// costs no more requests than it must (the flusher
				// wakes when it lands, or when more is queued).
				break
			}
			if async != nil && c.opts.CommitInterval > 0 && !c.queuedAtLeast(c.opts.PipelineBytes) {
				if wait := c.opts.CommitInterval - c.opts.Clock.Now().Sub(lastSend); wait > 0 {
					// Too soon after the last record: what is queued
					// waits for the interval (the timer wakes the loop).
					if timerC == nil && c.queuedAny() {
						timer = resetTimer(c.opts.Clock, timer, wait)
						timerC = timer.C()
					}
					break
				}
			}
			batch := c.takeBatch()
			if len(batch) == 0 {
				break
			}
			interval := c.opts.FsyncInterval
			sync := interval == 0 || c.opts.Clock.Now().Sub(lastSync) >= interval
			if hasBarrier(batch) {
				// What the barrier's snapshot sees must be durable.
				if dirty {
					syncNow()
				}
				sync = true
			}
			if async != nil && appendsOnly(batch) {
				c.commitAsync(batch, async)
				lastSend = c.opts.Clock.Now()
				continue
			}
			if async != nil {
				c.settle()
			}
			buf = c.commit(batch, buf[:0], sync)
			if sync {
				dirty = false
				lastSync = c.opts.Clock.Now()
			} else {
				dirty = true
				if timerC == nil {
					if timer == nil {
						timer = c.opts.Clock.NewTimer(interval)
					} else {
						timer.Reset(interval)
					}
					timerC = timer.C()
				}
			}
		}
	}
}

func hasBarrier(batch []*op) bool {
	for _, o := range batch {
		if o.kind == opBarrier {
			return true
		}
	}
	return false
}

// takeBatch removes the next batch from the queue.
func (c *container) takeBatch() []*op {
	c.qmu.Lock()
	defer c.qmu.Unlock()
	if len(c.queue) == 0 {
		return nil
	}
	n, size := 0, int64(0)
	for n < len(c.queue) && n < maxBatchOps {
		d := int64(len(c.queue[n].data))
		if n > 0 && size+d > c.opts.MaxBatchBytes {
			break
		}
		size += d
		n++
	}
	batch := make([]*op, n)
	copy(batch, c.queue)
	rest := copy(c.queue, c.queue[n:])
	clear(c.queue[rest:])
	c.queue = c.queue[:rest]
	c.queued -= size
	close(c.space)
	c.space = make(chan struct{})
	return batch
}

// pendingSeg is a segment's state as the batches being decided see it:
// the applied state plus what the batches decided before (in flight to
// the log, with an AsyncLog) change.
type pendingSeg struct {
	length   int64
	sealed   bool
	deleted  bool
	lastTime int64
	timed    bool // the current batch's time point is written
}

type writerKey struct {
	s      *segment
	writer string
}

// decisions is what batches decided and not yet applied change: the
// segments' state, and each writer's last event number and latest appends
// (so that a retry of one is acknowledged at its offset; bounded as the
// applied history is). A synchronous commit starts afresh; pipelined ones
// share it while records are in flight.
type decisions struct {
	pend    map[*segment]*pendingSeg
	writers map[writerKey]*writerState
}

func newDecisions() *decisions {
	return &decisions{pend: map[*segment]*pendingSeg{}, writers: map[writerKey]*writerState{}}
}

// decided is one batch, decided.
type decided struct {
	entries []entry
	segs    map[*segment]bool // the segments it appends to
	events  int
	bytes   int64
	now     int64
}

// decide decides a batch against the applied state and d: every op gets
// its result or error, and what is to be stored becomes entries.
func (c *container) decide(batch []*op, d *decisions) *decided {
	c.mu.RLock()
	defer c.mu.RUnlock()
	state := func(s *segment) *pendingSeg {
		p := d.pend[s]
		if p == nil {
			p = &pendingSeg{length: s.length, sealed: s.sealed, deleted: s.deleted, lastTime: s.lastTime}
			d.pend[s] = p
		}
		return p
	}
	for _, p := range d.pend {
		p.timed = false
	}
	created := map[string]bool{}
	b := &decided{entries: make([]entry, 0, len(batch)), segs: map[*segment]bool{}, now: c.opts.Clock.Now().UnixNano()}
	handle := c.nextHandle
	now := b.now

	for _, o := range batch {
		if o.kind == opBarrier {
			continue
		}
		if o.kind == opCreate {
			if s := c.segs[o.name]; (s != nil && !state(s).deleted) || created[o.name] {
				o.err = fmt.Errorf("%w: %s", ErrExists, o.name)
				continue
			}
			created[o.name] = true
			b.entries = append(b.entries, entry{Kind: entryCreate, Handle: handle, Name: o.name})
			handle++
			continue
		}
		s := c.segs[o.name]
		if s == nil || state(s).deleted {
			o.err = fmt.Errorf("%w: %s", ErrNotFound, o.name)
			continue
		}
		p := state(s)
		o.seg = s
		b.segs[s] = true
		switch o.kind {
		case opAppend:
			// A retry of a batch stored before the seal is still a
			// duplicate: a writer that gets SEALED knows the batch is
			// not stored, and can send its events to the successors.
			if p.sealed && o.writer == "" {
				o.err = fmt.Errorf("%w: %s", ErrSealed, o.name)
				continue
			}
			if o.writer != "" {
				k := writerKey{s, o.writer}
				pw := d.writers[k]
				var last int64
				if pw != nil {
					last = pw.Last
				} else if w := s.writers[o.writer]; w != nil {
					last = w.Last
				}
				if o.last <= last {
					// A retry: its offset is the stored append's, from
					// the writer's history or from this very batch (the
					// first copy may have come through another node).
					o.res = Result{Offset: -1, Length: int64(len(o.data)), Duplicate: true}
					if r, ok := pw.find(o.first, o.last); ok {
						o.res.Offset = r.Offset
					} else if w := s.writers[o.writer]; w != nil {
						if r, ok := w.find(o.first, o.last); ok {
							o.res.Offset = r.Offset
						}
					}
					continue
				}
				if p.sealed {
					o.err = fmt.Errorf("%w: %s", ErrSealed, o.name)
					continue
				}
				if o.first <= last {
					o.err = fmt.Errorf("%w: writer %q sent events %d..%d to %s, but %d is already stored", ErrEventNumberOverlap, o.writer, o.first, o.last, o.name, last)
					continue
				}
				if o.first != last+1 && !o.sparse {
					o.err = fmt.Errorf("%w: writer %q sent event %d to %s, but the last stored is %d", ErrEventNumberGap, o.writer, o.first, o.name, last)
					continue
				}
				if pw == nil {
					pw = &writerState{}
					d.writers[k] = pw
				}
				pw.record(appendRef{First: o.first, Last: o.last, Offset: p.length, Length: int64(len(o.data))})
			}
			o.res = Result{Offset: p.length, Length: int64(len(o.data))}
			if !p.timed {
				// The commit's time point, once per segment.
				p.timed = true
				// Times never go back, even if the clock does.
				t := max(now, p.lastTime)
				b.entries = append(b.entries, entry{Kind: entryTime, Handle: s.handle, Offset: p.length, Time: t, Prev: p.lastTime})
				p.lastTime = t
			}
			b.entries = append(b.entries, entry{Kind: entryAppend, Handle: s.handle, Offset: p.length,
				Writer: o.writer, FirstEvent: o.first, LastEvent: o.last, Data: o.data})
			p.length += int64(len(o.data))
			b.events += o.events
			b.bytes += int64(len(o.data))
		case opSeal:
			o.res = Result{Length: p.length}
			if !p.sealed {
				p.sealed = true
				b.entries = append(b.entries, entry{Kind: entrySeal, Handle: s.handle})
			}
		case opTruncate:
			if o.offset > p.length {
				o.err = fmt.Errorf("%w: truncate %s at %d, length %d", ErrOffsetOutOfRange, o.name, o.offset, p.length)
				continue
			}
			o.res = Result{Length: p.length}
			b.entries = append(b.entries, entry{Kind: entryTruncate, Handle: s.handle, Offset: o.offset})
		case opDelete:
			p.deleted = true
			b.entries = append(b.entries, entry{Kind: entryDelete, Handle: s.handle})
		}
	}

	return b
}

// commit decides, writes and applies one batch, then calls every op back.
// It returns buf for reuse.
func (c *container) commit(batch []*op, buf []byte, sync bool) []byte {
	b := c.decide(batch, newDecisions())
	if len(b.entries) == 0 {
		c.answer(batch)
		return buf
	}
	for i := range b.entries {
		buf = appendEntry(buf, &b.entries[i])
	}
	t0 := time.Now()
	start := c.wal.End()
	lsn, err := c.wal.Append(buf, sync)
	if err != nil {
		c.failBatch(batch, err)
		return buf
	}
	pos := c.wal.End()
	if !c.diskFull.IsZero() {
		c.log.Info("disk space back: appends resumed", slog.Duration("full_for", c.opts.Clock.Now().Sub(c.diskFull)))
		c.m.storageFull.WithLabelValues(c.lbl).Set(0)
		c.diskFull = time.Time{}
	}
	// A new file smaller than usual means the disk is short of space:
	// move everything to tier 2 now, so that the files before it can go.
	lowSpace := pos.File != start.File && c.wal.ShortFile()
	if lowSpace {
		c.forceRound.Store(true)
	}
	c.apply(batch, b, len(buf), lsn, start, pos, time.Since(t0), lowSpace)
	return buf
}

// resetTimer returns t, or a new timer if t is nil, set to fire after d.
func resetTimer(clk clock.Clock, t clock.Timer, d time.Duration) clock.Timer {
	if t == nil {
		return clk.NewTimer(d)
	}
	t.Reset(d)
	return t
}

// queuedAny reports whether any op is queued.
func (c *container) queuedAny() bool {
	c.qmu.Lock()
	defer c.qmu.Unlock()
	return len(c.queue) > 0
}

// queuedAtLeast reports whether n bytes of append data are queued.
func (c *container) queuedAtLeast(n int64) bool {
	c.qmu.Lock()
	defer c.qmu.Unlock()
	return c.queued >= n
}

// commitAsync decides a batch of appends against the batches still in
// flight (c.pipe) and queues its record; it is applied and answered once
// the record and all before it are durable, in the log's goroutine.
func (c *container) commitAsync(batch []*op, log AsyncLog) {
	if c.pipe == nil {
		c.pipe = newDecisions()
	}
	b := c.decide(batch, c.pipe)
	c.inflight.Add(1)
	c.inflightN.Add(1)
	landed := func() {
		c.inflightN.Add(-1)
		select {
		case c.landed <- struct{}{}:
		default:
		}
		c.inflight.Done()
	}
	if len(b.entries) == 0 {
		// Duplicates and refusals: answered in their turn, after the
		// records they may refer to.
		log.AppendAsync(nil, func(_ uint64, err error) {
			defer landed()
			if err != nil {
				c.failBatch(batch, err)
				return
			}
			c.answer(batch)
		})
		return
	}
	var buf []byte
	for i := range b.entries {
		buf = appendEntry(buf, &b.entries[i])
	}
	t0 := time.Now()
	log.AppendAsync(buf, func(lsn uint64, err error) {
		defer landed()
		if err != nil {
			c.failBatch(batch, err)
			return
		}
		c.apply(batch, b, len(buf), lsn, wal.Position{}, wal.Position{}, time.Since(t0), false)
	})
}

// settle waits for the pipelined batches in flight, then forgets their
// decisions (they are applied, or the container failed).
func (c *container) settle() {
	c.inflight.Wait()
	c.pipe = nil
}

// appendsOnly reports whether a batch is appends alone (the pipelined
// commits take no other op).
func appendsOnly(batch []*op) bool {
	for _, o := range batch {
		if o.kind != opAppend {
			return false
		}
	}
	return true
}

// apply applies a durable batch's entries, then answers its ops.
func (c *container) apply(batch []*op, b *decided, size int, lsn uint64, start, pos wal.Position, took time.Duration, lowSpace bool) {
	c.m.syncSeconds.Observe(took.Seconds())
	c.m.batchBytes.Observe(float64(size))
	c.m.batchOps.Observe(float64(len(batch)))
	seals := false
	c.mu.Lock()
	rec := record{pos: start, seq: c.walSeq, at: b.now, lsn: lsn}
	c.walSeq += int64(size) + wal.HeaderSize
	for i := range b.entries {
		seals = seals || b.entries[i].Kind == entrySeal
		if err := c.applyEntry(&b.entries[i], rec); err != nil {
			// The batch was decided against this very state: this is a
			// bug, not bad input.
			panic(fmt.Sprintf("segstore: applying a decided batch: %v", err))
		}
	}
	c.appliedLSN = lsn
	c.appliedPos = pos
	unflushed := c.unflushed.Load()
	chunkReady := false
	for s := range b.segs {
		chunkReady = chunkReady || s.memSize >= c.opts.ChunkSize
	}
	c.mu.Unlock()
	c.m.appendEvents.WithLabelValues(c.lbl).Add(float64(b.events))
	c.m.appendBytes.WithLabelValues(c.lbl).Add(float64(b.bytes))
	c.m.unflushed.WithLabelValues(c.lbl).Set(float64(unflushed))
	// A full chunk and sealed segments go to tier 2 without waiting; and
	// the storage writer checks the log's size every quarter of its bound.
	logCheck := c.walSeq-c.spanCheck >= c.opts.LogBytes/4
	if logCheck {
		c.spanCheck = c.walSeq
	}
	if seals || logCheck || chunkReady || lowSpace || unflushed >= c.opts.FlushBytes {
		select {
		case c.flushReq <- struct{}{}:
		default:
		}
	}
	c.answer(batch)
}

// answer calls every op of a batch back with its result or error.
func (c *container) answer(batch []*op) {
	done := time.Now()
	for _, o := range batch {
		if o.snap != nil {
			o.snap()
		}
		if o.err != nil {
			c.m.appendErrors.WithLabelValues(reason(o.err)).Inc()
		} else if o.kind == opAppend {
			c.m.appendSeconds.Observe(done.Sub(o.queued).Seconds())
		}
		o.done(o.res, o.err)
	}
}

// failBatch reports a WAL failure to the ops of a batch. A failed log is
// sticky; a failure to start a new file (disk full) is not: the next batch
// tries again, and succeeds once the disk has the space for its record.
func (c *container) failBatch(batch []*op, err error) {
	var ferr error
	switch {
	case errors.Is(err, wal.ErrFailed):
		c.setFailed(err)
		ferr = c.failedErr()
	case errors.Is(err, syscall.ENOSPC):
		ferr = fmt.Errorf("%w: %w", ErrStorageFull, err)
		if c.diskFull.IsZero() {
			c.diskFull = c.opts.Clock.Now()
			c.m.storageFull.WithLabelValues(c.lbl).Set(1)
			c.log.Warn("disk full: appends refused until the disk has space for the next WAL record", slog.Any("err", err))
		} else {
			c.log.Debug("append refused: disk full", slog.Any("err", err))
		}
		// Moving the WAL's data to tier 2 lets its files be used again
		// or removed: wake the storage writer for it.
		c.forceRound.Store(true)
		select {
		case c.flushReq <- struct{}{}:
		default:
		}
	default:
		ferr = fmt.Errorf("%w: %w", ErrStorageFailed, err)
		c.log.Warn("append failed", slog.Any("err", err))
	}
	for _, o := range batch {
		if o.err == nil || o.kind == opBarrier {
			o.err = ferr
		}
		if o.kind != opBarrier {
			c.m.appendErrors.WithLabelValues(reason(o.err)).Inc()
		}
		o.done(Result{}, o.err)
	}
}

func (c *container) failedErr() error {
	c.qmu.Lock()
	defer c.qmu.Unlock()
	return c.failed
}

// setFailed makes a storage failure sticky and fails everything queued.
func (c *container) setFailed(err error) {
	c.qmu.Lock()
	first := c.failed == nil
	if first {
		if errors.Is(err, ErrFenced) {
			c.failed = fmt.Errorf("%w (container %d, epoch %d): %w", ErrNotOwner, c.id, c.epoch, err)
			c.log.Warn("container fenced: another node owns it now", slog.Uint64("epoch", c.epoch), slog.Any("err", err))
		} else {
			c.failed = fmt.Errorf("%w (container %d stopped accepting writes; restart the server after fixing the disk): %w", ErrStorageFailed, c.id, err)
			c.log.Error("storage failure: container stopped accepting writes", slog.Any("err", err))
			c.m.failed.WithLabelValues(c.lbl).Set(1)
		}
	}
	failed := c.failed
	c.qmu.Unlock()
	if first && c.opts.OnFail != nil {
		go c.opts.OnFail(c.id, c.epoch, failed)
	}
	failedErr := c.failedErr()
	c.drain(func(*op) error { return failedErr })
}

// drain fails every queued op with the error errFor gives it.
func (c *container) drain(errFor func(*op) error) {
	c.qmu.Lock()
	q := c.queue
	c.queue = nil
	c.queued = 0
	close(c.space)
	c.space = make(chan struct{})
	close(c.drained)
	c.drained = make(chan struct{})
	c.qmu.Unlock()
	for _, o := range q {
		o.done(Result{}, errFor(o))
	}
}

func reason(err error) string {
	for _, e := range []struct {
		err  error
		name string
	}{
		{ErrNotFound, "not_found"}, {ErrExists, "exists"}, {ErrSealed, "sealed"},
		{ErrEventNumberGap, "gap"}, {ErrEventNumberOverlap, "overlap"}, {ErrStorageFull, "storage_full"},
		{ErrStorageFailed, "storage_failed"}, {ErrTier2Behind, "tier2_behind"}, {ErrClosed, "closed"}, {ErrNotOwner, "not_owner"}, {ErrOffsetOutOfRange, "out_of_range"},
	} {
		if errors.Is(err, e.err) {
			return e.name
		}
	}
	return "other"
}
