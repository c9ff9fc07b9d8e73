package watermark

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/braidstream/braid/internal/clock"
	"github.com/braidstream/braid/internal/controller"
)

// Defaults of Options.
const (
	// DefaultTimeout is a stream's timestamp aggregation timeout when its
	// configuration sets none.
	DefaultTimeout = 30 * time.Second
	// DefaultInterval is how often a stream's mark is made at most.
	DefaultInterval = time.Second
	// MaxWriters is how many time-noting writers a stream may have; a
	// report of one more fails.
	MaxWriters = 4096
	// MaxWriterIDLen bounds a writer id.
	MaxWriterIDLen = 256
	// thinEvery is how many marks a stream adds between two thinnings
	// of its marks in memory (thin).
	thinEvery = 900
)

// Streams is what the tracker needs of the controller.
type Streams interface {
	GetStream(ctx context.Context, scope, name string) (*controller.StreamRecord, error)
}

// Options configures a Tracker. Zero values take the defaults.
type Options struct {
	Clock    clock.Clock
	Logger   *slog.Logger
	Interval time.Duration
}

// Tracker keeps the writers' reports and the marks of every stream. It is
// safe for concurrent use.
type Tracker struct {
	streams  Streams
	store    SegmentStore
	clock    clock.Clock
	log      *slog.Logger
	interval time.Duration

	mu  sync.Mutex
	all map[string]*streamState // by scope/stream
}

// streamState is one stream's writers and marks. mu serialises the
// making of marks (which writes the mark log) with reports and reads.
type streamState struct {
	mu        sync.Mutex
	scope     string
	name      string
	loaded    bool
	writers   map[string]*writerMark
	marks     []*Mark // oldest first
	thinAt    int     // thin marks once there are this many
	lastTry   time.Time
	changed   bool // a report came since the last mark was tried
	truncated int64
	timeout   time.Duration // the stream's, as last seen
}

// New returns a tracker over the controller's streams, keeping marks in
// store.
func New(streams Streams, store SegmentStore, opts Options) *Tracker {
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Interval <= 0 {
		opts.Interval = DefaultInterval
	}
	return &Tracker{streams: streams, store: store, clock: opts.Clock, log: opts.Logger,
		interval: opts.Interval, all: map[string]*streamState{}}
}

// TimeoutOf is a stream's timestamp aggregation timeout.
func TimeoutOf(rec *controller.StreamRecord) time.Duration {
	if d := rec.Config.TimestampTimeout; d > 0 {
		return d
	}
	return DefaultTimeout
}

// state returns a stream's state, its marks loaded, locked.
func (t *Tracker) state(ctx context.Context, scope, name string) (*streamState, error) {
	key := scope + "/" + name
	t.mu.Lock()
	st := t.all[key]
	if st == nil {
		st = &streamState{scope: scope, name: name, writers: map[string]*writerMark{}}
		t.all[key] = st
	}
	t.mu.Unlock()
	st.mu.Lock()
	if !st.loaded {
		marks, err := loadMarks(ctx, t.store, LogName(scope, name), t.clock.Now())
		if err != nil {
			st.mu.Unlock()
			return nil, fmt.Errorf("loading the watermarks of %s: %w", key, err)
		}
		st.marks, st.loaded, st.thinAt = marks, true, len(marks)+thinEvery
	}
	return st, nil
}

// NoteTime records a writer's report: after pos it writes nothing older
// than at (Unix nanoseconds). closed removes the writer instead.
func (t *Tracker) NoteTime(ctx context.Context, scope, name, writer string, at int64, pos map[uint64]int64, closed bool) error {
	if writer == "" || len(writer) > MaxWriterIDLen || !utf8.ValidString(writer) {
		return fmt.Errorf("%w: a writer that notes time needs a writer id of 1 to %d bytes of UTF-8 (got %d bytes)",
			controller.ErrInvalidArgument, MaxWriterIDLen, len(writer))
	}
	rec, err := t.streams.GetStream(ctx, scope, name)
	if err != nil {
		return err
	}
	topo := topologyOf(rec)
	if !closed {
		if at <= 0 {
			return fmt.Errorf("%w: time %d of writer %q is not after 1970", controller.ErrInvalidArgument, at, writer)
		}
		for id, off := range pos {
			if _, ok := topo.segs[id]; !ok {
				return fmt.Errorf("%w: the position of writer %q names segment %016x, which is not of stream %s",
					controller.ErrInvalidArgument, writer, id, rec.Qualified())
			}
			if off < 0 {
				return fmt.Errorf("%w: the position of writer %q has offset %d in segment %016x",
					controller.ErrInvalidArgument, writer, off, id)
			}
			info, err := t.store.Info(ctx, controller.SegmentName(rec.Scope, rec.Name, id))
			if err == nil && off > info.Length {
				return fmt.Errorf("%w: the position of writer %q has offset %d in segment %016x, past its end (%d): a position is where the writer's acknowledged events end",
					controller.ErrInvalidArgument, writer, off, id, info.Length)
			}
		}
	}
	st, err := t.state(ctx, scope, name)
	if err != nil {
		return err
	}
	defer st.mu.Unlock()
	now := t.clock.Now()
	st.timeout = TimeoutOf(rec)
	w := st.writers[writer]
	switch {
	case closed:
		if w == nil {
			return nil
		}
		delete(st.writers, writer)
	case w == nil && len(st.writers) >= MaxWriters:
		t.forgetLocked(st, now, TimeoutOf(rec))
		if len(st.writers) >= MaxWriters {
			return fmt.Errorf("%w: stream %s has %d writers noting time, the most it keeps (a fixed limit); close writers that are done, or let silent ones time out",
				controller.ErrInvalidArgument, rec.Qualified(), MaxWriters)
		}
		fallthrough
	case w == nil:
		w = &writerMark{}
		st.writers[writer] = w
		fallthrough
	default:
		if at < w.time {
			return fmt.Errorf("%w: writer %q noted time %s, before the %s it noted last: a writer's times must not go back",
				controller.ErrInvalidArgument, writer, time.Unix(0, at).UTC().Format(time.RFC3339Nano), time.Unix(0, w.time).UTC().Format(time.RFC3339Nano))
		}
		w.time, w.reported = at, now
		w.position = maps.Clone(pos)
	}
	st.changed = true
	if now.Sub(st.lastTry) >= t.interval {
		return t.markLocked(ctx, st, rec, now)
	}
	return nil
}

// forgetLocked drops writers silent for ten timeouts.
func (t *Tracker) forgetLocked(st *streamState, now time.Time, timeout time.Duration) {
	for id, w := range st.writers {
		if now.Sub(w.reported) > 10*timeout {
			delete(st.writers, id)
		}
	}
}

// markLocked makes and stores the stream's next mark, if there is one.
func (t *Tracker) markLocked(ctx context.Context, st *streamState, rec *controller.StreamRecord, now time.Time) error {
	st.lastTry, st.changed = now, false
	var prev *Mark
	if n := len(st.marks); n > 0 {
		prev = st.marks[n-1]
	}
	topo := topologyOf(rec)
	st.timeout = TimeoutOf(rec)
	m, ok, err := compute(st.writers, prev, now, st.timeout, topo, func(id uint64) (int64, error) {
		info, err := t.store.Info(ctx, controller.SegmentName(rec.Scope, rec.Name, id))
		return info.Length, err
	})
	if err != nil || !ok {
		return err
	}
	if err := appendMark(ctx, t.store, LogName(rec.Scope, rec.Name), &m); err != nil {
		return fmt.Errorf("storing a watermark of %s: %w", rec.Qualified(), err)
	}
	st.marks = append(st.marks, &m)
	if len(st.marks) >= st.thinAt {
		st.marks = thin(st.marks, now)
		st.thinAt = len(st.marks) + thinEvery
	}
	return nil
}

// thin keeps, of marks made at most one a second, every one of the last
// hour, one a minute of the day before, one an hour beyond, and always the
// newest (the watermark): about 3600 + 1380 + 24 a day of age. Dropping a
// mark only widens the windows around it. It thins marks in place.
func thin(marks []*Mark, now time.Time) []*Mark {
	kept := marks[:0]
	for i, m := range marks {
		var step time.Duration
		switch age := now.Sub(m.Made); {
		case age > 24*time.Hour:
			step = time.Hour
		case age > time.Hour:
			step = time.Minute
		}
		if len(kept) == 0 || i == len(marks)-1 || m.Made.Sub(kept[len(kept)-1].Made) >= step {
			kept = append(kept, m)
		}
	}
	clear(marks[len(kept):])
	return kept
}

// Run makes marks of streams whose writers changed, or whose silent
// writers timed out, every interval, until ctx ends.
func (t *Tracker) Run(ctx context.Context) {
	tk := t.clock.NewTicker(t.interval)
	defer tk.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tk.C():
		}
		t.mu.Lock()
		states := slices.Collect(maps.Values(t.all))
		t.mu.Unlock()
		for _, st := range states {
			if err := t.tick(ctx, st); err != nil && ctx.Err() == nil {
				t.log.Warn("making a watermark failed", slog.String("stream", st.scope+"/"+st.name), slog.Any("err", err))
			}
		}
	}
}

func (t *Tracker) tick(ctx context.Context, st *streamState) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(st.writers) == 0 {
		return nil
	}
	rec, err := t.streams.GetStream(ctx, st.scope, st.name)
	if err != nil {
		return err
	}
	now := t.clock.Now()
	if now.Sub(st.lastTry) < t.interval && !st.changed {
		return nil
	}
	t.forgetLocked(st, now, TimeoutOf(rec))
	return t.markLocked(ctx, st, rec, now)
}

// WriterStatus is what Status tells of one writer.
type WriterStatus struct {
	Writer   string
	Time     int64
	Reported time.Time
	Position map[uint64]int64
	Active   bool
}

// Status is a stream's latest mark and its writers.
type Status struct {
	Mark    *Mark // nil before the first
	Writers []WriterStatus
	Timeout time.Duration
}

// Watermark returns a stream's latest mark and writers.
func (t *Tracker) Watermark(ctx context.Context, scope, name string) (Status, error) {
	rec, err := t.streams.GetStream(ctx, scope, name)
	if err != nil {
		return Status{}, err
	}
	st, err := t.state(ctx, scope, name)
	if err != nil {
		return Status{}, err
	}
	defer st.mu.Unlock()
	s := Status{Timeout: TimeoutOf(rec)}
	if n := len(st.marks); n > 0 {
		m := *st.marks[n-1]
		m.Cut = maps.Clone(m.Cut)
		s.Mark = &m
	}
	now := t.clock.Now()
	for id, w := range st.writers {
		s.Writers = append(s.Writers, WriterStatus{Writer: id, Time: w.time, Reported: w.reported,
			Position: maps.Clone(w.position), Active: w.active(now, s.Timeout)})
	}
	slices.SortFunc(s.Writers, func(a, b WriterStatus) int { return strings.Compare(a.Writer, b.Writer) })
	return s, nil
}

// Window returns the time window of a position in a stream.
func (t *Tracker) Window(ctx context.Context, scope, name string, pos map[uint64]int64) (Window, error) {
	rec, err := t.streams.GetStream(ctx, scope, name)
	if err != nil {
		return Window{}, err
	}
	for id := range pos {
		if _, ok := rec.FindSegment(id); !ok {
			return Window{}, fmt.Errorf("%w: the position names segment %016x, which is not of stream %s",
				controller.ErrInvalidArgument, id, rec.Qualified())
		}
	}
	st, err := t.state(ctx, scope, name)
	if err != nil {
		return Window{}, err
	}
	defer st.mu.Unlock()
	return window(st.marks, pos, topologyOf(rec)), nil
}

// StreamTruncated drops the marks a stream's new head has passed, but the
// last of them (the lower bound of a reader at the head), and truncates
// the mark log before it.
func (t *Tracker) StreamTruncated(ctx context.Context, scope, name string, head map[uint64]int64) error {
	rec, err := t.streams.GetStream(ctx, scope, name)
	if err != nil {
		return err
	}
	st, err := t.state(ctx, scope, name)
	if err != nil {
		return err
	}
	defer st.mu.Unlock()
	topo := topologyOf(rec)
	n := 0
	for n < len(st.marks) && passed(st.marks[n], head, topo) {
		n++
	}
	if n <= 1 {
		return nil
	}
	keep := st.marks[n-1]
	st.marks = slices.Delete(st.marks, 0, n-1)
	if keep.at > st.truncated {
		if err := t.store.Truncate(ctx, LogName(scope, name), keep.at); err != nil {
			return fmt.Errorf("truncating the mark log of %s: %w", rec.Qualified(), err)
		}
		st.truncated = keep.at
	}
	return nil
}

// Forget drops what the tracker holds of a stream: its writers' reports
// and its marks, which it reads again from the mark log when next asked.
// A cluster node forgets the streams whose watermarks another node took
// over, so that it never makes a mark from stale reports.
func (t *Tracker) Forget(scope, name string) {
	t.mu.Lock()
	delete(t.all, scope+"/"+name)
	t.mu.Unlock()
}

// StreamDeleted forgets a stream's writers and deletes its mark log.
func (t *Tracker) StreamDeleted(ctx context.Context, scope, name string) error {
	t.mu.Lock()
	delete(t.all, scope+"/"+name)
	t.mu.Unlock()
	err := t.store.Delete(ctx, LogName(scope, name))
	if err != nil && !isNotFound(err) {
		return fmt.Errorf("deleting the mark log of %s/%s: %w", scope, name, err)
	}
	return nil
}
