package segstore

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"math"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/braidstream/braid/internal/clock"
	"github.com/braidstream/braid/internal/storage/wal"
	"github.com/braidstream/braid/internal/tier2"
	"github.com/braidstream/braid/internal/vfs"
	"github.com/braidstream/braid/wire"
)

// Options configure a Store. Zero values take the documented defaults.
type Options struct {
	// Dir is the data directory (required).
	Dir string
	// FS is the file system (default: the real one).
	FS vfs.FS
	// Clock drives timers (default: the wall clock).
	Clock clock.Clock
	// Logger receives operational logs (default: discarded).
	Logger *slog.Logger
	// Registerer receives the store's metrics (default: none).
	Registerer prometheus.Registerer

	// Containers is the number of containers (default 4). It must never
	// change for a data directory: it decides where segments live.
	Containers int
	// FsyncInterval is 0 to sync the WAL before every acknowledgement (the
	// default), or the longest time acknowledged appends may stay unsynced.
	FsyncInterval time.Duration
	// WALFileSize is the size of each pre-allocated WAL file (default 64 MiB).
	WALFileSize int64
	// MaxEventSize bounds one event's payload (default 8 MiB).
	MaxEventSize int
	// MaxAppendBytes bounds one append's framed bytes (default 16 MiB).
	MaxAppendBytes int
	// MaxBatchBytes bounds the data of one group commit (default 4 MiB);
	// a single larger append still goes alone.
	MaxBatchBytes int64
	// PipelineBytes is, with a log that takes several records in flight
	// (AsyncLog), how much append data must be queued for a batch to go
	// while another record is still in flight (default 256 KiB): below
	// it appends wait for the record in flight, so that a light load
	// costs one request at a time.
	PipelineBytes int64
	// CommitInterval is, with an AsyncLog, the least time between two
	// records the flusher sends while less than PipelineBytes is queued
	// (0: none): it caps a container's requests (an S3 log's PUTs, and
	// their cost) at one per interval under a light load, and adds up to
	// that much to an append's latency.
	CommitInterval time.Duration
	// MaxQueuedBytes bounds append data waiting for the flusher, per
	// container (default 64 MiB); appenders wait beyond it.
	MaxQueuedBytes int64
	// Tier2 is long-term storage for segment chunks (default: a
	// directory, <Dir>/tier2).
	Tier2 tier2.Store
	// ChunkSize bounds one tier-2 chunk (default 8 MiB). A segment's data
	// moves to tier 2 once this much is waiting, or FlushInterval after it
	// arrived, or when the segment is sealed, whichever comes first.
	ChunkSize int64
	// FlushInterval is the longest committed data waits in memory before
	// the storage writer moves it to tier 2 (default 30s).
	FlushInterval time.Duration
	// FlushBytes is how much committed data a container holds in memory
	// before its storage writer moves all of it to tier 2 (default: a
	// quarter of the container's share of MaxUnflushed, at most 64 MiB).
	FlushBytes int64
	// LogBytes is how much WAL a container keeps before its storage
	// writer moves all held data to tier 2 so that the log can be
	// truncated (default 256 MiB).
	LogBytes int64
	// MaxUnflushed bounds the committed data, over all containers, that
	// is not in tier 2 yet (default 1 GiB). While tier 2 is slow or down,
	// appends beyond it wait, then fail with ErrTier2Behind.
	MaxUnflushed int64
	// ThrottleTimeout is how long an append waits for the storage writer
	// to free room under MaxUnflushed before it fails (default 5s).
	ThrottleTimeout time.Duration
	// CacheSize bounds the read cache of tier-2 data (default 256 MiB;
	// negative: no cache).
	CacheSize int64
	// ReadAhead is how far past a cold read the store fetches from tier 2
	// in the background (default 4 MiB; negative: none), in whole 1 MiB
	// blocks and at most 1/32 of the cold half of the cache.
	ReadAhead int64
	// CheckpointInterval is how often each container's storage writer
	// runs: moves due data to tier 2 and checkpoints (default 5s).
	CheckpointInterval time.Duration

	// OpenLog opens a container's durable log (default: the local WAL in
	// the container's directory).
	OpenLog LogOpener
	// Checkpoints keeps the containers' checkpoints (default: a file in
	// each container's directory).
	Checkpoints CheckpointStore
	// Owned makes Open open no container: a cluster node opens those it
	// owns with OpenContainer, with their owner epochs, and closes them
	// with CloseContainer. Operations on a segment of a container that
	// is not open fail with ErrNotOwner.
	Owned bool
	// OnFail, if set, is called (on its own goroutine) once a container
	// fails for good: its log failed, or another owner fenced it
	// (ErrFenced). A cluster node closes it and lets its owner reopen it.
	OnFail func(container int, epoch uint64, err error)
}

// unflushedLimit is one container's share of MaxUnflushed.
func (o *Options) unflushedLimit() int64 { return o.MaxUnflushed / int64(o.Containers) }

func (o *Options) setDefaults() {
	if o.FS == nil {
		o.FS = vfs.OS{}
	}
	if o.Clock == nil {
		o.Clock = clock.Real{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	def := func(v *int64, d int64) {
		if *v == 0 {
			*v = d
		}
	}
	if o.Containers == 0 {
		o.Containers = 4
	}
	if o.MaxEventSize == 0 {
		o.MaxEventSize = wire.DefaultMaxEventSize
	}
	if o.MaxAppendBytes == 0 {
		o.MaxAppendBytes = 16 << 20
	}
	def(&o.WALFileSize, wal.DefaultFileSize)
	def(&o.MaxBatchBytes, 4<<20)
	def(&o.PipelineBytes, 256<<10)
	def(&o.MaxQueuedBytes, 64<<20)
	def(&o.ChunkSize, 8<<20)
	def(&o.LogBytes, 256<<20)
	def(&o.MaxUnflushed, 1<<30)
	def(&o.FlushBytes, max(1, min(64<<20, o.MaxUnflushed/int64(o.Containers)/4)))
	def(&o.CacheSize, 256<<20)
	def(&o.ReadAhead, 4<<20)
	if o.FlushInterval == 0 {
		o.FlushInterval = 30 * time.Second
	}
	if o.ThrottleTimeout == 0 {
		o.ThrottleTimeout = 5 * time.Second
	}
	if o.CheckpointInterval == 0 {
		o.CheckpointInterval = 5 * time.Second
	}
	if o.Checkpoints == nil {
		o.Checkpoints = fileCheckpoints{fs: o.FS, dir: o.Dir}
	}
}

// maxRecord is the largest WAL record a batch can make.
func (o *Options) maxRecord() int {
	return int(o.MaxBatchBytes) + o.MaxAppendBytes + maxBatchOps*2048
}

// Validate reports every problem with the options (after defaults).
func (o *Options) Validate() error {
	var errs []error
	if o.Dir == "" {
		errs = append(errs, errors.New("no data directory"))
	}
	if o.Containers < 1 || o.Containers > 1024 {
		errs = append(errs, fmt.Errorf("containers %d out of range 1..1024", o.Containers))
	}
	if o.FsyncInterval < 0 {
		errs = append(errs, fmt.Errorf("negative fsync interval %v", o.FsyncInterval))
	}
	if o.MaxEventSize < 1 || o.MaxEventSize > math.MaxInt32-wire.HeaderSize {
		errs = append(errs, fmt.Errorf("max event size %d out of range", o.MaxEventSize))
	}
	if o.MaxAppendBytes < o.MaxEventSize+wire.HeaderSize {
		errs = append(errs, fmt.Errorf("max append bytes %d smaller than one maximum event (%d)", o.MaxAppendBytes, o.MaxEventSize+wire.HeaderSize))
	}
	if int64(o.maxRecord())+wal.HeaderSize > o.WALFileSize {
		errs = append(errs, fmt.Errorf("WAL file size %d cannot hold the largest batch (%d bytes)", o.WALFileSize, o.maxRecord()))
	}
	if o.MaxBatchBytes < 1 || o.MaxQueuedBytes < 1 || o.FlushBytes < 1 || o.ChunkSize < 1 || o.LogBytes < 1 {
		errs = append(errs, errors.New("batch, queue, flush, chunk and log sizes must be positive"))
	}
	if o.CheckpointInterval <= 0 || o.FlushInterval <= 0 || o.ThrottleTimeout <= 0 {
		errs = append(errs, errors.New("the checkpoint and flush intervals and the throttle timeout must be positive"))
	}
	if o.Containers >= 1 && o.MaxUnflushed/int64(o.Containers) < int64(o.MaxAppendBytes) {
		errs = append(errs, fmt.Errorf("max unflushed %d leaves each of the %d containers less than one maximum append (%d bytes)", o.MaxUnflushed, o.Containers, o.MaxAppendBytes))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("segstore options: %w", err)
	}
	return nil
}

// Store is a set of containers. All methods are safe for concurrent use.
type Store struct {
	opts Options
	m    *metrics
	cs   []atomic.Pointer[container]
	cold *coldReader

	// ownMu serializes OpenContainer, CloseContainer and Close.
	ownMu     sync.Mutex
	closed    bool
	closeOnce sync.Once
}

// Open opens or creates the store in opts.Dir and recovers its state. A torn
// WAL tail is cut off and logged; damage in the middle of a WAL fails with a
// *wal.CorruptionError naming the file and offset. With opts.Owned it opens
// no container (see OpenContainer).
func Open(ctx context.Context, opts Options) (*Store, error) {
	opts.setDefaults()
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if opts.Tier2 == nil {
		d, err := tier2.NewDir(opts.FS, filepath.Join(opts.Dir, "tier2"))
		if err != nil {
			return nil, err
		}
		opts.Tier2 = d
	}
	m := newMetrics(opts.Registerer)
	s := &Store{opts: opts, m: m, cs: make([]atomic.Pointer[container], opts.Containers)}
	s.cold = newColdReader(opts.Tier2, opts.CacheSize, opts.ReadAhead, m)
	registerCache(opts.Registerer, s.cold.cache.Stats, s.cold.cache.Capacity())
	if opts.Owned {
		return s, nil
	}
	// Containers recover independently, so in parallel.
	errs := make([]error, opts.Containers)
	var wg sync.WaitGroup
	for i := range s.cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := openContainer(ctx, i, 0, &s.opts, m, s.cold)
			s.cs[i].Store(c)
			errs[i] = err
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		for i := range s.cs {
			if c := s.cs[i].Load(); c != nil {
				c.close()
			}
		}
		s.cold.close()
		return nil, err
	}
	return s, nil
}

// OpenContainer recovers container id as its owner with epoch, fencing
// earlier owners (Log.Replay), and starts serving its segments. Opening an
// open container with the same epoch does nothing; with another epoch, it
// is closed and recovered again.
func (s *Store) OpenContainer(ctx context.Context, id int, epoch uint64) error {
	if id < 0 || id >= len(s.cs) {
		return fmt.Errorf("container %d out of range 0..%d", id, len(s.cs)-1)
	}
	s.ownMu.Lock()
	defer s.ownMu.Unlock()
	if s.closed {
		return ErrClosed
	}
	if c := s.cs[id].Load(); c != nil {
		if c.epoch == epoch && c.failedErr() == nil {
			return nil
		}
		s.cs[id].Store(nil)
		c.close()
	}
	// A replay that meets a log truncated past its checkpoint (a deposed
	// owner checkpointed meanwhile) starts again from the newer one.
	for try := 1; ; try++ {
		c, err := openContainer(ctx, id, epoch, &s.opts, s.m, s.cold)
		if errors.Is(err, ErrLogMoved) && try < 5 {
			continue
		}
		if err != nil {
			return err
		}
		s.cs[id].Store(c)
		return nil
	}
}

// CloseContainer stops serving container id (ownership moved away): its
// queued operations fail with ErrNotOwner, and a last checkpoint is
// written unless it failed. Closing a container that is not open does
// nothing.
func (s *Store) CloseContainer(id int) error {
	if id < 0 || id >= len(s.cs) {
		return fmt.Errorf("container %d out of range 0..%d", id, len(s.cs)-1)
	}
	s.ownMu.Lock()
	defer s.ownMu.Unlock()
	c := s.cs[id].Swap(nil)
	if c == nil {
		return nil
	}
	return c.close()
}

// Containers reports the open containers and their owner epochs.
func (s *Store) Containers() map[int]uint64 {
	out := map[int]uint64{}
	for i := range s.cs {
		if c := s.cs[i].Load(); c != nil {
			out[i] = c.epoch
		}
	}
	return out
}

// Close stops every container, writing a last checkpoint. Queued operations
// fail with ErrClosed. Close is idempotent.
func (s *Store) Close() error {
	s.ownMu.Lock()
	defer s.ownMu.Unlock()
	s.closed = true
	var errs []error
	for i := range s.cs {
		if c := s.cs[i].Load(); c != nil {
			errs = append(errs, c.close())
		}
	}
	s.closeOnce.Do(s.cold.close)
	return errors.Join(errs...)
}

// ContainerOf reports which container holds a segment name: FNV-1a 32 of the
// name, modulo the container count. It is stable for a data directory.
func ContainerOf(name string, containers int) int {
	h := fnv.New32a()
	h.Write([]byte(name))
	return int(h.Sum32() % uint32(containers))
}

// container returns the container holding name, or ErrNotOwner when it is
// not open here.
func (s *Store) container(name string) (*container, error) {
	k := ContainerOf(name, len(s.cs))
	if c := s.cs[k].Load(); c != nil {
		return c, nil
	}
	return nil, &NotOwnerError{Segment: name, Container: k}
}

// NotOwnerError is ErrNotOwner for one segment and its container.
type NotOwnerError struct {
	Segment   string
	Container int
}

func (e *NotOwnerError) Error() string {
	return fmt.Sprintf("%v: %s is in container %d", ErrNotOwner, e.Segment, e.Container)
}

// Is makes errors.Is(err, ErrNotOwner) hold.
func (e *NotOwnerError) Is(target error) bool { return target == ErrNotOwner }

// MaxNameLen is the longest segment name Create accepts, in bytes.
const MaxNameLen = 1024

// Create makes an empty segment; ErrExists if it is there already.
func (s *Store) Create(ctx context.Context, name string) error {
	// The bound keeps a batch of creates within the WAL record size
	// (see maxRecord), so that one bad name cannot fail other ops.
	if name == "" || len(name) > MaxNameLen {
		return fmt.Errorf("%w: %d bytes long, want 1..%d", ErrBadName, len(name), MaxNameLen)
	}
	c, err := s.container(name)
	if err != nil {
		return err
	}
	_, err = c.call(ctx, &op{kind: opCreate, name: name})
	return err
}

// AppendRequest is one append: whole framed events for one segment.
type AppendRequest struct {
	// Writer identifies the writer for deduplication; empty for none.
	Writer string
	// FirstEvent is the writer's event number of the first event (from 1,
	// consecutive per writer and segment). Ignored without Writer.
	FirstEvent int64
	// LastEvent, when set, is the last event's number, and the numbers
	// between FirstEvent and LastEvent may skip: a writer that numbers its
	// events across segments (the HTTP API's idempotent appends) sends
	// each segment an increasing but not consecutive run. The store then
	// checks only that the run starts after the last stored number; 0
	// means FirstEvent+Events-1, consecutive, and a gap is an error.
	LastEvent int64
	// Events is how many events Data holds.
	Events int
	// Data holds whole framed events (package wire). The store keeps a
	// reference to it: the caller must not modify it afterwards.
	Data []byte
}

// Append validates req and queues it; done is called once with the outcome,
// from another goroutine, after the data is durable (or failed). done must
// not block. Append itself blocks only while the container's queue is full.
func (s *Store) Append(ctx context.Context, name string, req AppendRequest, done func(Result, error)) {
	if err := s.validateAppend(name, &req); err != nil {
		done(Result{}, err)
		return
	}
	o := &op{kind: opAppend, name: name, writer: req.Writer, events: req.Events, data: req.Data, done: done}
	o.first, o.last, o.sparse = req.numbers()
	c, err := s.container(name)
	if err != nil {
		done(Result{}, err)
		return
	}
	c.enqueue(ctx, o)
}

// AppendWait is Append that waits for the outcome.
func (s *Store) AppendWait(ctx context.Context, name string, req AppendRequest) (Result, error) {
	if err := s.validateAppend(name, &req); err != nil {
		return Result{}, err
	}
	o := &op{kind: opAppend, name: name, writer: req.Writer, events: req.Events, data: req.Data}
	o.first, o.last, o.sparse = req.numbers()
	c, err := s.container(name)
	if err != nil {
		return Result{}, err
	}
	return c.call(ctx, o)
}

// numbers returns the first and last event numbers of an append, and
// whether they may skip.
func (req *AppendRequest) numbers() (first, last int64, sparse bool) {
	if req.Writer == "" {
		return 0, 0, false
	}
	if req.LastEvent != 0 {
		return req.FirstEvent, req.LastEvent, true
	}
	return req.FirstEvent, req.FirstEvent + int64(req.Events) - 1, false
}

func (s *Store) validateAppend(name string, req *AppendRequest) error {
	if len(req.Data) == 0 || req.Events < 1 {
		return fmt.Errorf("%w: append to %s has no events", ErrBadEvents, name)
	}
	if len(req.Data) > s.opts.MaxAppendBytes {
		return fmt.Errorf("%w: append of %d bytes to %s exceeds %d", ErrTooLarge, len(req.Data), name, s.opts.MaxAppendBytes)
	}
	if len(req.Writer) > 256 {
		return fmt.Errorf("%w: append to %s: writer id longer than 256 bytes", ErrBadEvents, name)
	}
	if req.Writer != "" && (req.FirstEvent < 1 || req.FirstEvent > math.MaxInt64/2) {
		return fmt.Errorf("%w: append to %s: first event number %d must be at least 1", ErrBadEvents, name, req.FirstEvent)
	}
	if req.Writer != "" && req.LastEvent != 0 && (req.LastEvent < req.FirstEvent+int64(req.Events)-1 || req.LastEvent > math.MaxInt64/2) {
		return fmt.Errorf("%w: append to %s: last event number %d is below first %d plus %d events", ErrBadEvents, name, req.LastEvent, req.FirstEvent, req.Events)
	}
	maxEv := s.opts.MaxEventSize
	n, err := wire.ScanFrames(req.Data, math.MaxInt32, func(off int, payload []byte) error {
		if len(payload) > maxEv {
			return fmt.Errorf("%w: append to %s: event of %d bytes at offset %d of the append exceeds the maximum of %d", ErrTooLarge, name, len(payload), off, maxEv)
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, ErrTooLarge) {
			return err
		}
		return fmt.Errorf("%w: append to %s: %w", ErrBadEvents, name, err)
	}
	if n != req.Events {
		return fmt.Errorf("%w: append to %s says %d events but holds %d", ErrBadEvents, name, req.Events, n)
	}
	return nil
}

// Seal makes a segment read-only; sealing twice is fine. It returns the
// final length.
func (s *Store) Seal(ctx context.Context, name string) (int64, error) {
	c, err := s.container(name)
	if err != nil {
		return 0, err
	}
	r, err := c.call(ctx, &op{kind: opSeal, name: name})
	return r.Length, err
}

// Truncate drops the data before offset, which must be an event boundary
// (or the segment's length). Truncating below the current start is a no-op.
func (s *Store) Truncate(ctx context.Context, name string, offset int64) error {
	if err := s.CheckTruncate(ctx, name, offset); err != nil {
		return err
	}
	c, err := s.container(name)
	if err != nil {
		return err
	}
	_, err = c.call(ctx, &op{kind: opTruncate, name: name, offset: offset})
	return err
}

// CheckTruncate reports whether Truncate(name, offset) would be accepted:
// the offset lies within the segment, at an event boundary (or at or below
// its current start, a no-op). It changes nothing, so a caller truncating
// several segments can check them all first.
func (s *Store) CheckTruncate(ctx context.Context, name string, offset int64) error {
	info, err := s.Info(ctx, name)
	if err != nil {
		return err
	}
	if offset > info.Length {
		return fmt.Errorf("%w: truncate %s at %d, length %d", ErrOffsetOutOfRange, name, offset, info.Length)
	}
	if offset > info.Start && offset < info.Length {
		if _, err := s.Read(ctx, name, offset, 1, false); err != nil {
			return err
		}
	}
	return nil
}

// Delete removes a segment and its data.
func (s *Store) Delete(ctx context.Context, name string) error {
	c, err := s.container(name)
	if err != nil {
		return err
	}
	_, err = c.call(ctx, &op{kind: opDelete, name: name})
	return err
}

// CheckOwner reports whether this store still owns the container of
// segment name: ErrNotOwner if the container is not open here, ErrFenced
// if its log says another owner took it (see Log.Check).
func (s *Store) CheckOwner(ctx context.Context, name string) error {
	c, err := s.container(name)
	if err != nil {
		return err
	}
	return c.wal.Check(ctx)
}

// Info describes a segment.
type Info struct {
	Name   string
	Length int64
	Start  int64
	Sealed bool
}

// Info reports a segment's committed state.
func (s *Store) Info(_ context.Context, name string) (Info, error) {
	c, err := s.container(name)
	if err != nil {
		return Info{}, err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	seg := c.segs[name]
	if seg == nil {
		return Info{}, fmt.Errorf("%w: %s", ErrNotFound, name)
	}
	return Info{Name: name, Length: seg.length, Start: seg.start, Sealed: seg.sealed}, nil
}

// WriterLast reports the last event number stored for a writer on a
// segment (0 if none).
func (s *Store) WriterLast(_ context.Context, name, writer string) (int64, error) {
	c, err := s.container(name)
	if err != nil {
		return 0, err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	seg := c.segs[name]
	if seg == nil {
		return 0, fmt.Errorf("%w: %s", ErrNotFound, name)
	}
	if w := seg.writers[writer]; w != nil {
		return w.Last, nil
	}
	return 0, nil
}
