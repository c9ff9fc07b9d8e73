package segstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/braidstream/braid/internal/storage/wal"
)

// opKind is what a queued operation does.
type opKind int

const (
	opAppend opKind = iota
	opCreate
	opSeal
	opTruncate
	opDelete
)

// op is one queued operation. done is called exactly once, by the flusher,
// with no locks held; it must not block.
type op struct {
	kind   opKind
	name   string
	writer string
	first  int64 // first event number (appends with a writer)
	last   int64
	events int
	data   []byte
	offset int64 // truncate
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
	id   int
	dir  string
	opts *Options
	log  *slog.Logger
	m    *metrics
	lbl  string

	// mu guards segments and their fields (see segment for who writes what).
	mu         sync.RWMutex
	segs       map[string]*segment
	handles    map[uint64]*segment
	nextHandle uint64       // (flusher)
	appliedLSN uint64       // last LSN applied to memory (flusher)
	appliedPos wal.Position // where the WAL record after appliedLSN starts (flusher)
	unflushed  int64        // sum of segments' memSize
	doomed     []*segment

	// qmu guards the queue and failure state.
	qmu      sync.Mutex
	queue    []*op
	queued   int64         // bytes of append data queued
	wake     chan struct{} // 1-buffered: the flusher has work
	space    chan struct{} // closed and replaced when queue space frees
	failed   error         // sticky failure
	closed   bool
	flushReq chan struct{} // 1-buffered: the storage writer should run

	wal *wal.Log // owned by the flusher after open

	stop chan struct{}
	wg   sync.WaitGroup

	ckptMu sync.Mutex // serializes checkpoints (storage writer, Close)
}

func containerDir(root string, id int) string {
	return filepath.Join(root, "containers", strconv.Itoa(id))
}

func openContainer(ctx context.Context, id int, opts *Options, m *metrics) (*container, error) {
	c := &container{
		id:         id,
		dir:        containerDir(opts.Dir, id),
		opts:       opts,
		log:        opts.Logger.With(slog.Int("container", id)),
		m:          m,
		lbl:        strconv.Itoa(id),
		segs:       map[string]*segment{},
		handles:    map[uint64]*segment{},
		nextHandle: 1,
		wake:       make(chan struct{}, 1),
		space:      make(chan struct{}),
		flushReq:   make(chan struct{}, 1),
		stop:       make(chan struct{}),
	}
	if err := opts.FS.MkdirAll(filepath.Join(c.dir, "segments"), 0o755); err != nil {
		return nil, fmt.Errorf("container %d: %w", id, err)
	}
	if err := c.recover(ctx); err != nil {
		return nil, fmt.Errorf("container %d: %w", id, err)
	}
	c.wg.Add(2)
	go c.flushLoop()
	go c.storageLoop()
	return c, nil
}

// recover loads the checkpoint and replays the WAL after it.
func (c *container) recover(ctx context.Context) error {
	ck, hint, err := c.loadCheckpoint()
	if err != nil {
		return err
	}
	w, err := wal.Open(wal.Options{
		FS:             c.opts.FS,
		Dir:            filepath.Join(c.dir, "wal"),
		FileSize:       c.opts.WALFileSize,
		MaxRecordSize:  c.opts.maxRecord(),
		SyncEveryWrite: c.opts.FsyncInterval == 0,
	})
	if err != nil {
		return err
	}
	records := 0
	err = w.ReplayFrom(c.appliedLSN+1, hint, func(lsn uint64, payload []byte) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		records++
		err := decodeEntries(payload, func(e *entry) error {
			// The payload buffer is not retained: copy what memory keeps.
			if e.Kind == entryAppend {
				e.Data = append([]byte(nil), e.Data...)
			}
			return c.applyEntry(e)
		})
		if err != nil {
			return fmt.Errorf("replaying lsn %d: %w", lsn, err)
		}
		c.appliedLSN = lsn
		return nil
	}, func(t wal.TornTail) {
		c.log.Warn("wal: torn tail cut off (an unacknowledged write from a crash)",
			slog.String("file", t.File), slog.Int64("offset", t.Offset), slog.Int64("bytes", t.Bytes))
	})
	if err != nil {
		w.Close()
		return err
	}
	c.wal = w
	c.appliedPos = w.End()
	c.log.Debug("container recovered", slog.Int("segments", len(c.segs)),
		slog.Uint64("checkpoint_lsn", ck), slog.Int("replayed_records", records))
	return nil
}

// applyEntry applies one committed WAL entry to memory. The caller holds mu
// (or is recovering, before any other goroutine runs).
func (c *container) applyEntry(e *entry) error {
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
		s.mem = append(s.mem, memEntry{offset: e.Offset, data: e.Data})
		s.memSize += n
		c.unflushed += n
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
		}
	case entryDelete:
		s.deleted = true
		// Its data will never be flushed: release it from the
		// unflushed count, or every later commit would ask for a
		// checkpoint.
		c.unflushed -= s.memSize
		s.mem, s.memSize = nil, 0
		delete(c.segs, s.name)
		delete(c.handles, s.handle)
		c.doomed = append(c.doomed, s)
	default:
		return fmt.Errorf("unknown entry kind %d", e.Kind)
	}
	s.wake()
	return nil
}

func (c *container) byHandle(h uint64) *segment { return c.handles[h] }

// enqueue adds an operation, waiting for queue space for appends.
func (c *container) enqueue(ctx context.Context, o *op) {
	n := int64(len(o.data))
	for {
		c.qmu.Lock()
		if c.closed {
			c.qmu.Unlock()
			o.done(Result{}, ErrClosed)
			return
		}
		if c.failed != nil {
			err := c.failed
			c.qmu.Unlock()
			o.done(Result{}, err)
			return
		}
		if c.queued == 0 || c.queued+n <= c.opts.MaxQueuedBytes {
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
		ch := c.space
		c.qmu.Unlock()
		select {
		case <-ch:
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
	c.wg.Wait()
	var errs []error
	c.qmu.Lock()
	failed := c.failed
	c.qmu.Unlock()
	if failed == nil {
		if err := c.checkpoint(); err != nil {
			errs = append(errs, err)
		}
	}
	if err := c.wal.Close(); err != nil {
		errs = append(errs, err)
	}
	c.mu.Lock()
	for _, s := range c.segs {
		if s.file != nil {
			s.file.Close()
			s.file = nil
		}
	}
	c.mu.Unlock()
	return errors.Join(errs...)
}
