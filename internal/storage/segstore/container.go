package segstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/braidstream/braid/internal/clock"
	"github.com/braidstream/braid/internal/storage/wal"
	"github.com/braidstream/braid/internal/tier2"
)

// opKind is what a queued operation does.
type opKind int

const (
	opAppend opKind = iota
	opCreate
	opSeal
	opTruncate
	opDelete
	// opBarrier writes nothing: the flusher syncs the log and calls snap
	// before done, so that snap sees state that is all durable in it.
	opBarrier
)

// op is one queued operation. done is called exactly once, by the flusher,
// with no locks held; it must not block.
type op struct {
	kind   opKind
	name   string
	writer string
	first  int64 // first event number (appends with a writer)
	last   int64
	sparse bool // event numbers may skip (AppendRequest.LastEvent)
	events int
	data   []byte
	offset int64  // truncate
	snap   func() // barrier
	done   func(Result, error)
	queued time.Time // when it entered the queue

	// decided by the flusher while building a batch
	res Result
	err error
	seg *segment
}

// Result is the outcome of an operation.
type Result struct {
	// Offset is where an append's first event starts; -1 when a retried
	// append was already stored but its position is no longer remembered.
	Offset int64
	// Length is the bytes the append covers, or the segment length for
	// other operations.
	Length int64
	// Duplicate is set when an append was already stored (a retry).
	Duplicate bool
}

// container owns a shard of segments. See the package documentation.
type container struct {
	id    int
	epoch uint64 // owner epoch (0 on a single node)
	dir   string
	opts  *Options
	log   *slog.Logger
	m     *metrics
	lbl   string
	t2    tier2.Store
	cold  *coldReader

	// ctx ends when the container closes: it bounds tier-2 calls.
	ctx    context.Context
	cancel context.CancelFunc

	// mu guards segments and their fields (see segment for who writes what).
	mu         sync.RWMutex
	segs       map[string]*segment
	handles    map[uint64]*segment
	nextHandle uint64       // (flusher)
	appliedLSN uint64       // last LSN applied to memory (flusher)
	appliedPos wal.Position // where the WAL record after appliedLSN starts (flusher)
	walSeq     int64        // WAL bytes written since open, record headers included (flusher)
	garbage    []string     // tier-2 keys, and prefixes ending in "/", to delete (see offload.go)
	ckLSN      uint64       // LSN of the last checkpoint written (writer)
	swept      bool         // sweepDeposed ran (writer)
	spanCheck  int64        // walSeq when the flusher last woke the storage writer for the log's size (flusher)
	diskFull   time.Time    // when appends began to be refused for want of disk space; zero while they are not (flusher)

	// unflushed is the sum of segments' memSize: written under mu, read
	// without it by appenders deciding whether to wait.
	unflushed atomic.Int64
	// forceRound makes the storage writer's next round move all held
	// data to tier 2 (the disk is short of space: the WAL files that
	// frees are what the next records need).
	forceRound atomic.Bool

	// qmu guards the queue and failure state.
	qmu      sync.Mutex
	queue    []*op
	queued   int64         // bytes of append data queued
	wake     chan struct{} // 1-buffered: the flusher has work
	space    chan struct{} // closed and replaced when queue space frees
	failed   error         // sticky failure
	closed   bool
	flushReq chan struct{} // 1-buffered: the storage writer should run
	drained  chan struct{} // closed and replaced when the storage writer frees memory
	tier2Err error         // the storage writer's last tier-2 failure, nil once it succeeds again

	wal Log // owned by the flusher after open
	// pipe is what the pipelined batches in flight decided (flusher);
	// inflight counts them.
	pipe      *decisions
	inflight  sync.WaitGroup
	inflightN atomic.Int64
	landed    chan struct{} // 1-buffered: a pipelined record was answered

	stop chan struct{}
	wg   sync.WaitGroup

	ckptMu sync.Mutex // serializes checkpoints (storage writer, Close)
}

func containerDir(root string, id int) string {
	return filepath.Join(root, "containers", strconv.Itoa(id))
}

func openContainer(ctx context.Context, id int, epoch uint64, opts *Options, m *metrics, cold *coldReader) (*container, error) {
	c := &container{
		id:         id,
		epoch:      epoch,
		dir:        containerDir(opts.Dir, id),
		opts:       opts,
		log:        opts.Logger.With(slog.Int("container", id)),
		m:          m,
		lbl:        strconv.Itoa(id),
		t2:         opts.Tier2,
		cold:       cold,
		segs:       map[string]*segment{},
		handles:    map[uint64]*segment{},
		nextHandle: 1,
		wake:       make(chan struct{}, 1),
		landed:     make(chan struct{}, 1),
		space:      make(chan struct{}),
		flushReq:   make(chan struct{}, 1),
		drained:    make(chan struct{}),
		stop:       make(chan struct{}),
	}
	if err := opts.FS.MkdirAll(c.dir, 0o755); err != nil {
		return nil, fmt.Errorf("container %d: %w", id, err)
	}
	if err := c.recover(ctx); err != nil {
		return nil, fmt.Errorf("container %d: %w", id, err)
	}
	c.ckLSN = c.appliedLSN
	c.ctx, c.cancel = context.WithCancel(context.Background())
	c.wg.Add(2)
	go c.flushLoop()
	go c.storageLoop()
	return c, nil
}

// recover loads the checkpoint and replays the WAL from the first record
// holding data not yet in tier 2. Records the checkpoint covers give back
// only that data; later ones are applied whole.
func (c *container) recover(ctx context.Context) error {
	ck, err := c.loadCheckpoint(ctx)
	if err != nil {
		return err
	}
	w, err := c.opts.openLog(ctx, c.id, c.epoch)
	if err != nil {
		return err
	}
	from := ck.replayLSN()
	records := 0
	now := c.opts.Clock.Now().UnixNano()
	err = w.Replay(ctx, LogStart{LSN: from, Hint: ck.Replay, Epoch: ck.ReplayEpoch}, func(lsn uint64, at wal.Position, payload []byte) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		records++
		rec := record{lsn: lsn, pos: at, seq: c.walSeq, at: now}
		c.walSeq += int64(len(payload)) + wal.HeaderSize
		err := decodeEntries(payload, func(e *entry) error {
			if lsn <= ck.LSN {
				return c.restoreEntry(e, rec)
			}
			// The payload buffer is not retained: copy what memory keeps.
			if e.Kind == entryAppend {
				e.Data = append([]byte(nil), e.Data...)
			}
			return c.applyEntry(e, rec)
		})
		if err != nil {
			return fmt.Errorf("replaying lsn %d: %w", lsn, err)
		}
		c.appliedLSN = max(c.appliedLSN, lsn)
		return nil
	}, func(t wal.TornTail) {
		c.log.Warn("wal: torn tail cut off (an unacknowledged write from a crash)",
			slog.String("file", t.File), slog.Int64("offset", t.Offset), slog.Int64("bytes", t.Bytes))
	})
	if err == nil && w.NextLSN() <= ck.LSN {
		err = &wal.CorruptionError{File: filepath.Join(c.dir, "wal"), Reason: fmt.Sprintf(
			"the log ends before lsn %d, but the checkpoint covers records up to %d whose data is not in tier 2", w.NextLSN(), ck.LSN)}
	}
	if err != nil {
		w.Close()
		return err
	}
	c.wal = w
	c.appliedPos = w.End()
	c.log.Debug("container recovered", slog.Int("segments", len(c.segs)),
		slog.Uint64("checkpoint_lsn", ck.LSN), slog.Uint64("replay_from", from), slog.Int("replayed_records", records))
	return nil
}

// record says where a WAL record is, for the appends it holds.
type record struct {
	lsn uint64
	pos wal.Position
	seq int64
	at  int64
}

// mem is the in-memory entry for an append of data at offset in rec.
func (rec record) mem(offset int64, data []byte) memEntry {
	return memEntry{offset: offset, data: data, lsn: rec.lsn, pos: rec.pos, seq: rec.seq, at: rec.at}
}

// restoreEntry gives back, from a record the checkpoint covers, the data of
// an append that is not in tier 2 yet. Everything else such a record did is
// in the checkpoint already.
func (c *container) restoreEntry(e *entry, rec record) error {
	if e.Kind != entryAppend {
		return nil
	}
	s := c.byHandle(e.Handle)
	if s == nil || e.Offset < s.flushed {
		return nil // deleted since, or in tier 2
	}
	n := int64(len(e.Data))
	if e.Offset != s.flushed+s.memSize || e.Offset+n > s.length {
		return fmt.Errorf("append to %s at offset %d+%d does not follow the checkpoint (tier 2 up to %d, memory %d, length %d)",
			s.name, e.Offset, n, s.flushed, s.memSize, s.length)
	}
	s.addMem(rec.mem(e.Offset, append([]byte(nil), e.Data...)))
	c.unflushed.Add(n)
	return nil
}

// applyEntry applies one committed WAL entry, from record rec, to memory.
// The caller holds mu (or is recovering, before any other goroutine runs).
func (c *container) applyEntry(e *entry, rec record) error {
	switch e.Kind {
	case entryCreate:
		s := newSegment(e.Handle, e.Name)
		if old, ok := c.segs[e.Name]; ok && !old.deleted {
			return fmt.Errorf("create of existing segment %s", e.Name)
		}
		c.segs[e.Name] = s
		c.handles[e.Handle] = s
		if e.Handle >= c.nextHandle {
			c.nextHandle = e.Handle + 1
		}
		return nil
	}
	s := c.byHandle(e.Handle)
	if s == nil {
		return fmt.Errorf("entry for unknown segment handle %d", e.Handle)
	}
	switch e.Kind {
	case entryAppend:
		if e.Offset != s.length {
			return fmt.Errorf("append to %s at offset %d, but its length is %d", s.name, e.Offset, s.length)
		}
		n := int64(len(e.Data))
		s.addMem(rec.mem(e.Offset, e.Data))
		c.unflushed.Add(n)
		s.length += n
		if e.Writer != "" {
			w := s.writers[e.Writer]
			if w == nil {
				w = &writerState{}
				s.writers[e.Writer] = w
			}
			w.record(appendRef{First: e.FirstEvent, Last: e.LastEvent, Offset: e.Offset, Length: n})
		}
	case entrySeal:
		s.sealed = true
	case entryTruncate:
		if e.Offset > s.start {
			s.start = e.Offset
			s.truncateTimes(s.start)
		}
	case entryTime:
		s.addTime(timePoint{Time: e.Time, Offset: e.Offset, Prev: e.Prev})
		return nil
	case entryDelete:
		s.deleted = true
		// Its data will never be flushed: release it from the
		// unflushed count, or every later commit would ask for a
		// checkpoint. Its chunks go with the next storage round.
		c.unflushed.Add(-s.memSize)
		s.mem, s.memSize = nil, 0
		delete(c.segs, s.name)
		delete(c.handles, s.handle)
		c.garbage = append(c.garbage, segmentPrefix(c.id, s.handle))
	default:
		return fmt.Errorf("unknown entry kind %d", e.Kind)
	}
	s.wake()
	return nil
}

// closedErr is what an operation on segment name meets once the container
// closed: ErrClosed, or on a cluster node (which closes a container when
// its ownership moves) ErrNotOwner.
func (c *container) closedErr(name string) error {
	if c.opts.Owned {
		return &NotOwnerError{Segment: name, Container: c.id}
	}
	return ErrClosed
}

func (c *container) byHandle(h uint64) *segment { return c.handles[h] }

// enqueue adds an operation. Appends wait for queue space, and while the
// container holds too much data that is not in tier 2 yet (tier 2 slow or
// down), at most ThrottleTimeout before failing with ErrTier2Behind.
func (c *container) enqueue(ctx context.Context, o *op) {
	n := int64(len(o.data))
	var (
		timer    clock.Timer
		deadline <-chan time.Time
	)
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		c.qmu.Lock()
		if c.closed {
			c.qmu.Unlock()
			o.done(Result{}, c.closedErr(o.name))
			return
		}
		if c.failed != nil {
			err := c.failed
			c.qmu.Unlock()
			o.done(Result{}, err)
			return
		}
		var wait chan struct{}
		if o.kind == opAppend {
			if held := c.unflushed.Load() + c.queued; held > 0 && held+n > c.opts.unflushedLimit() {
				wait = c.drained
				if timer == nil {
					c.m.throttled.WithLabelValues(c.lbl).Inc()
					timer = c.opts.Clock.NewTimer(c.opts.ThrottleTimeout)
					deadline = timer.C()
				}
			}
		}
		if wait == nil && (c.queued == 0 || c.queued+n <= c.opts.MaxQueuedBytes) {
			o.queued = time.Now()
			c.queue = append(c.queue, o)
			c.queued += n
			c.qmu.Unlock()
			select {
			case c.wake <- struct{}{}:
			default:
			}
			return
		}
		if wait == nil {
			wait = c.space
		}
		t2err := c.tier2Err
		c.qmu.Unlock()
		select {
		case <-wait:
		case <-deadline:
			held := c.unflushed.Load()
			err := fmt.Errorf("%w: container %d holds %d bytes not yet in tier 2 (limit %d) and none was freed within %v",
				ErrTier2Behind, c.id, held, c.opts.unflushedLimit(), c.opts.ThrottleTimeout)
			if t2err != nil {
				err = fmt.Errorf("%w; last tier-2 error: %v", err, t2err)
			}
			c.m.appendErrors.WithLabelValues(reason(err)).Inc()
			o.done(Result{}, err)
			return
		case <-ctx.Done():
			o.done(Result{}, ctx.Err())
			return
		}
	}
}

// call enqueues an operation and waits for its result.
func (c *container) call(ctx context.Context, o *op) (Result, error) {
	type out struct {
		r   Result
		err error
	}
	ch := make(chan out, 1)
	o.done = func(r Result, err error) { ch <- out{r, err} }
	c.enqueue(ctx, o)
	select {
	case v := <-ch:
		return v.r, v.err
	case <-ctx.Done():
		// The operation may still complete; its result is dropped.
		return Result{}, ctx.Err()
	}
}

// close stops the goroutines, fails what is queued, writes a last
// checkpoint and closes files.
func (c *container) close() error {
	c.qmu.Lock()
	if c.closed {
		c.qmu.Unlock()
		return nil
	}
	c.closed = true
	c.qmu.Unlock()
	close(c.stop)
	c.cancel()
	c.wg.Wait()
	var errs []error
	c.qmu.Lock()
	failed := c.failed
	c.qmu.Unlock()
	if failed == nil {
		// The flusher synced before it stopped: the state is durable.
		// Data not in tier 2 stays in the WAL for the next start.
		if err := c.writeCheckpoint(c.snapshot()); err != nil {
			errs = append(errs, err)
		}
	}
	if err := c.wal.Close(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
