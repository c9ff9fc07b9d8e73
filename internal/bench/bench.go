// Package bench is braid's load generator. It has three modes, each a
// function:
//
//   - Run writes events to a stream through the public client from several
//     producers, each with its own Writer and a bounded number of
//     unacknowledged events, measures every append's latency (from the Write
//     call to its acknowledgement), and then reads all the events back with a
//     bounded Reader.
//   - Tail writes the same way while readers follow the stream from its
//     tail, and measures what the readers receive and how long each event
//     took from its Write call to a reader.
//   - Catchup writes first, waits until the server holds all of it in tier 2
//     (watching its metrics), and then reads it all back from the start
//     with several readers at once, as a consumer catching up would.
//
// "braid bench" (package cli) is a thin shell over them: flags in, table or
// JSON out.
package bench

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/wire"
)

// Config says what to run. DefaultConfig gives the defaults.
type Config struct {
	// Stream is the stream to write, "scope/stream". Run creates it, and its
	// scope, if missing.
	Stream string
	// Events is how many events to write in all.
	Events int
	// Size is every event's payload size in bytes.
	Size int
	// Producers is how many writers write at once, each with its own
	// braid.Writer; the events are split evenly between them.
	Producers int
	// Segments is the segment count Run creates the stream with. An existing
	// stream keeps its own count (Warn is told if it differs).
	Segments int
	// Inflight is the most unacknowledged events a producer may have; it
	// waits on its oldest acknowledgement before writing more.
	Inflight int
	// KeyCount is how many distinct routing keys the events use, in turn.
	// Zero writes every event with the empty key, which the writer spreads
	// over the segments.
	KeyCount int
	// Readers is how many readers Tail and Catchup run at once, each with
	// its own braid.Reader over its share of the segments. Zero means one
	// per segment; more readers than segments are cut to one per segment.
	Readers int
	// HTTPAddr is the server's HTTP address (host:port). Catchup polls its
	// /metrics to wait until everything written is in tier 2, and to count
	// the bytes read from tier 2 and the cache hits during the read. Empty:
	// Catchup does not wait (Warn is told) and reports no tier-2 figures.
	HTTPAddr string
	// FlushTimeout bounds Catchup's wait for the data to reach tier 2
	// (zero: defaultFlushTimeout).
	FlushTimeout time.Duration
	// Duration, if set, bounds each write phase in time: the producers stop
	// writing once Duration has passed since the first Write (or once they
	// have written Events, whichever comes first), and the results count
	// the events actually written. Suite sets it; zero writes exactly
	// Events.
	Duration time.Duration
	// SkipRead makes Run write only, without its read-back (Result's read
	// fields stay zero).
	SkipRead bool
	// NoteTime, if positive, makes each producer note the wall-clock time
	// every NoteTime (braid.WithTimeNoting), so the run includes the cost
	// of watermark tracking.
	NoteTime time.Duration
	// ReadOnly makes Catchup write nothing and read the stream as it is,
	// from its head to its tail: to read again after the server's caches
	// were emptied (a restart, a dropped page cache).
	ReadOnly bool
	// Progress, if set, is told how far the run is.
	Progress Progress
	// Warn, if set, is told about conditions that may skew the result.
	Warn func(msg string)
}

// DefaultConfig returns the defaults: 100,000 events of 1 KiB from 4
// producers with at most 256 in flight each, over 1,000 keys, to bench/bench
// with 16 segments; one reader per segment; waiting at most two minutes for
// tier 2.
func DefaultConfig() Config {
	return Config{
		Stream:       "bench/bench",
		Events:       100000,
		Size:         1024,
		Producers:    4,
		Segments:     16,
		Inflight:     256,
		KeyCount:     1000,
		FlushTimeout: defaultFlushTimeout,
	}
}

// defaultFlushTimeout is Config.FlushTimeout's default.
const defaultFlushTimeout = 2 * time.Minute

// Validate reports every problem with c.
func (c Config) Validate() error {
	var errs []error
	if _, _, err := wire.SplitStream(c.Stream); err != nil {
		errs = append(errs, fmt.Errorf("stream: %s", trimWire(err)))
	}
	check := func(name string, v, lo, hi int) {
		if v < lo || v > hi {
			errs = append(errs, fmt.Errorf("%s: want %d to %d, got %d", name, lo, hi, v))
		}
	}
	check("events", c.Events, 1, math.MaxInt32)
	check("size", c.Size, 0, wire.DefaultMaxEventSize)
	check("producers", c.Producers, 1, 1<<16)
	check("segments", c.Segments, 1, 1<<16)
	check("inflight", c.Inflight, 1, 1<<20)
	check("key-count", c.KeyCount, 0, 1<<24)
	check("readers", c.Readers, 0, 1<<16)
	if c.Duration < 0 {
		errs = append(errs, fmt.Errorf("duration: want 0 (no bound) or more, got %v", c.Duration))
	}
	if c.FlushTimeout < 0 {
		errs = append(errs, fmt.Errorf("flush-timeout: want 0 (the default) or more, got %v", c.FlushTimeout))
	}
	return errors.Join(errs...)
}

func trimWire(err error) string {
	msg := err.Error()
	if len(msg) > 6 && msg[:6] == "wire: " {
		return msg[6:]
	}
	return msg
}

// Progress is told how far a run is, in events. Start and Finish are called
// from the run's goroutine, one phase at a time ("write", "read" or "tail");
// total is -1 when it is not known. Add may be called from several
// goroutines at once.
type Progress interface {
	Start(phase string, total int64)
	Add(n int)
	Finish()
}

// progressEvery is how many events a goroutine counts before telling
// Progress, so that Progress is not a per-event cost.
const progressEvery = 256

type noProgress struct{}

func (noProgress) Start(string, int64) {}
func (noProgress) Add(int)             {}
func (noProgress) Finish()             {}

// Result is what a run measured. Rates are per second of wall time; MB is
// 10^6 bytes. The JSON form is the one "braid bench --json" prints.
type Result struct {
	Events    int `json:"events"`
	Size      int `json:"size"`
	Producers int `json:"producers"`
	// Segments is the stream's segment count during the run.
	Segments int `json:"segments"`

	WriteEventsPerSec float64 `json:"write_events_per_s"`
	WriteMBPerSec     float64 `json:"write_mb_per_s"`
	// Append latency percentiles, in milliseconds: from the Write call to
	// the acknowledgement that the event is durable.
	AppendP50Ms  float64 `json:"append_p50_ms"`
	AppendP99Ms  float64 `json:"append_p99_ms"`
	AppendP999Ms float64 `json:"append_p999_ms"`

	ReadEventsPerSec float64 `json:"read_events_per_s"`
	ReadMBPerSec     float64 `json:"read_mb_per_s"`

	// WriteTime is from the first Write to the last acknowledgement.
	WriteTime time.Duration `json:"-"`
	// ReadTime is from opening the reader to its end.
	ReadTime time.Duration `json:"-"`
	// ReadEvents and ReadBytes are what the read phase got back.
	ReadEvents int64 `json:"-"`
	ReadBytes  int64 `json:"-"`
}

// Run runs the benchmark cfg describes against the server c is connected
// to. It returns an error if cfg is invalid, if any append fails, or if
// fewer events are read back than were written.
func Run(ctx context.Context, c *braid.Client, cfg Config) (Result, error) {
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	if cfg.Progress == nil {
		cfg.Progress = noProgress{}
	}
	segments, err := prepareStream(ctx, c, cfg)
	if err != nil {
		return Result{}, err
	}
	start, err := c.TailCut(ctx, cfg.Stream)
	if err != nil {
		return Result{}, fmt.Errorf("tail of %s: %w", cfg.Stream, err)
	}
	start.Stream = cfg.Stream

	lat, _, writeTime, err := writeAll(ctx, c, cfg, time.Time{}) // per-event append latency, ms
	if err != nil {
		return Result{}, err
	}
	written := len(lat)
	var (
		events, bytes int64
		readTime      time.Duration
	)
	if !cfg.SkipRead {
		rcfg := cfg
		rcfg.Events = written
		if events, bytes, readTime, err = readAll(ctx, c, rcfg, start); err != nil {
			return Result{}, err
		}
	}
	switch want := int64(written); {
	case cfg.SkipRead:
	case events < want:
		return Result{}, fmt.Errorf("read back %d events from %s, but %d were written", events, cfg.Stream, want)
	case events > want:
		warn(cfg, fmt.Sprintf("read back %d events, %d more than were written: someone else is writing to %s", events, events-want, cfg.Stream))
	case bytes != want*int64(cfg.Size):
		return Result{}, fmt.Errorf("read back %d bytes in %d events from %s, but %d were written", bytes, events, cfg.Stream, want*int64(cfg.Size))
	}

	slices.Sort(lat)
	mb := float64(written) * float64(cfg.Size) / 1e6
	return Result{
		Events:            written,
		Size:              cfg.Size,
		Producers:         cfg.Producers,
		Segments:          segments,
		WriteEventsPerSec: round(float64(written)/writeTime.Seconds(), 1),
		WriteMBPerSec:     round(mb/writeTime.Seconds(), 3),
		AppendP50Ms:       round(percentile(lat, 0.50), 3),
		AppendP99Ms:       round(percentile(lat, 0.99), 3),
		AppendP999Ms:      round(percentile(lat, 0.999), 3),
		ReadEventsPerSec:  rate(float64(events), readTime),
		ReadMBPerSec:      round(rate(float64(bytes)/1e6, readTime), 3),
		WriteTime:         writeTime,
		ReadTime:          readTime,
		ReadEvents:        events,
		ReadBytes:         bytes,
	}, nil
}

func warn(cfg Config, msg string) {
	if cfg.Warn != nil {
		cfg.Warn(msg)
	}
}

// prepareStream creates the stream if it is missing and returns its segment
// count.
func prepareStream(ctx context.Context, c *braid.Client, cfg Config) (int, error) {
	info, err := c.GetStream(ctx, cfg.Stream)
	if errors.Is(err, braid.ErrNotFound) {
		info, err = c.CreateStream(ctx, cfg.Stream, braid.StreamConfig{Segments: cfg.Segments, CreateScope: true})
		if errors.Is(err, braid.ErrAlreadyExists) { // created meanwhile
			info, err = c.GetStream(ctx, cfg.Stream)
		}
		if err != nil {
			return 0, fmt.Errorf("create stream %s: %w", cfg.Stream, err)
		}
		return info.Segments, nil
	}
	if err != nil {
		return 0, fmt.Errorf("get stream %s: %w", cfg.Stream, err)
	}
	if info.Sealed {
		return 0, fmt.Errorf("stream %s is sealed: it takes no more events (delete it or use another --stream)", cfg.Stream)
	}
	if info.Segments != cfg.Segments {
		warn(cfg, fmt.Sprintf("stream %s exists with %d segments, not %d: running with %d (delete the stream to run with %d)",
			cfg.Stream, info.Segments, cfg.Segments, info.Segments, cfg.Segments))
	}
	return info.Segments, nil
}

// writeAll writes cfg.Events events from cfg.Producers producers (fewer if
// cfg.Duration ends the write first) and returns every written event's
// append latency in milliseconds (one entry per event, producer by
// producer, so len(lat) is the count written), when the first Write was
// called and the time from then to the last acknowledgement. If epoch is
// set (and cfg.Size is at least stampSize), every payload starts with the
// time of its Write call (see stamp).
func writeAll(ctx context.Context, c *braid.Client, cfg Config, epoch time.Time) (lat []float64, begin time.Time, elapsed time.Duration, err error) {
	keys := make([]string, cfg.KeyCount)
	for i := range keys {
		keys[i] = "key-" + strconv.Itoa(i)
	}
	producers := make([]*producer, 0, cfg.Producers)
	defer func() {
		for _, p := range producers {
			if cerr := p.w.Close(ctx); cerr != nil && err == nil {
				err = fmt.Errorf("close writer: %w", cerr)
			}
		}
	}()
	first := 0
	for i := range cfg.Producers {
		n := cfg.Events / cfg.Producers
		if i < cfg.Events%cfg.Producers {
			n++
		}
		var opts []braid.WriterOption
		if cfg.NoteTime > 0 {
			opts = append(opts, braid.WithTimeNoting(cfg.NoteTime))
		}
		w, err := c.NewWriter(ctx, cfg.Stream, opts...)
		if err != nil {
			return nil, time.Time{}, 0, fmt.Errorf("new writer for %s: %w", cfg.Stream, err)
		}
		var lat []float64
		if cfg.Duration == 0 {
			lat = make([]float64, 0, n) // else Events is only a bound
		}
		producers = append(producers, &producer{
			w:        w,
			first:    first,
			events:   n,
			lat:      lat,
			payload:  payload(i, cfg.Size),
			keys:     keys,
			inflight: cfg.Inflight,
			progress: cfg.Progress,
			epoch:    epoch,
		})
		first += n
	}

	// The writers are closed with ctx, after wctx is canceled.
	wctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	total := int64(cfg.Events)
	if cfg.Duration > 0 {
		total = -1
	}
	cfg.Progress.Start("write", total)
	var wg sync.WaitGroup
	begin = time.Now()
	var deadline time.Time
	if cfg.Duration > 0 {
		deadline = begin.Add(cfg.Duration)
	}
	for _, p := range producers {
		p.deadline = deadline
		wg.Go(func() {
			if err := p.run(wctx); err != nil {
				cancel(err)
			}
		})
	}
	wg.Wait()
	elapsed = time.Since(begin)
	cfg.Progress.Finish()
	if err := context.Cause(wctx); err != nil {
		return nil, time.Time{}, 0, fmt.Errorf("write to %s: %w", cfg.Stream, err)
	}
	for _, p := range producers {
		lat = append(lat, p.lat...)
	}
	if len(lat) == 0 {
		return nil, time.Time{}, 0, fmt.Errorf("write to %s: no event written", cfg.Stream)
	}
	return lat, begin, elapsed, nil
}

// rate returns n per second of d, rounded to one decimal, or 0 for no time.
func rate(n float64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return round(n/d.Seconds(), 1)
}

// payload returns producer i's event payload: size printable bytes.
func payload(i, size int) []byte {
	b := make([]byte, size)
	for k := range b {
		b[k] = byte('a' + (i+k)%26)
	}
	return b
}

// producer writes its share of the events with one Writer.
type producer struct {
	w        *braid.Writer
	first    int       // global index of its first event, to pick keys
	events   int       // how many events to write at most
	deadline time.Time // if set, write no more after it
	// lat is its events' latencies, in write order: collect appends an
	// entry per event written and fills it in when it is acknowledged.
	lat      []float64
	payload  []byte
	keys     []string
	inflight int
	progress Progress
	epoch    time.Time // if set, stamp every payload with its Write time
}

// stampSize is the size of the timestamp Tail's events start with.
const stampSize = 8

// stamp writes into b (at least stampSize bytes) the time at, as
// little-endian nanoseconds since epoch. Tail's readers take it back out to
// time each event from its Write call to the reader; one process holds both
// ends, so epoch's monotonic clock serves both.
func stamp(b []byte, at, epoch time.Time) {
	binary.LittleEndian.PutUint64(b, uint64(at.Sub(epoch)))
}

// unstamp returns the time stamp wrote into b.
func unstamp(b []byte, epoch time.Time) time.Time {
	return epoch.Add(time.Duration(binary.LittleEndian.Uint64(b)))
}

// sent is an event written and not yet seen acknowledged.
type sent struct {
	ack   braid.Ack
	at    time.Time // when Write was called
	index int       // in write order
}

// run writes the producer's events. One goroutine writes; a second hands
// each acknowledgement to a waiter per distinct acknowledgement (events of one
// client batch share one), which records the latency of every event it
// covers when it completes. Acknowledgements complete out of write order
// (segments live in different containers), so each event is timed, and its
// token returned, when its own acknowledgement arrives, not when earlier
// events' do (that would add head-of-line waiting to the latency and shrink
// the real in-flight window below inflight). A token per unacknowledged
// event, taken before Write and given back on its acknowledgement, keeps at
// most inflight events unacknowledged; queue holds no more than the tokens,
// so sending to it never blocks. run returns the first failed
// acknowledgement's error, or ctx's cause.
func (p *producer) run(ctx context.Context) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	queue := make(chan sent, p.inflight)
	tokens := make(chan struct{}, p.inflight)
	collected := make(chan error, 1)
	go func() {
		err := p.collect(ctx, queue, tokens)
		if err != nil {
			cancel(err)
		}
		collected <- err
	}()

	var err error
	for j := range p.events {
		select {
		case tokens <- struct{}{}:
		case <-ctx.Done():
			err = context.Cause(ctx)
		}
		if err != nil {
			break
		}
		key := ""
		if len(p.keys) > 0 {
			key = p.keys[(p.first+j)%len(p.keys)]
		}
		at := time.Now()
		if !p.deadline.IsZero() && at.After(p.deadline) {
			<-tokens // not written
			break
		}
		if !p.epoch.IsZero() && len(p.payload) >= stampSize {
			stamp(p.payload, at, p.epoch) // Write copies the payload
		}
		queue <- sent{ack: p.w.Write(ctx, key, p.payload), at: at, index: j}
	}
	close(queue)
	if cerr := <-collected; cerr != nil {
		return cerr
	}
	return err
}

// ackGroup is the events waiting on one acknowledgement.
type ackGroup struct {
	events []sent
	fired  bool
}

// collect times every event when its acknowledgement completes and returns
// its token. It returns once every queued event is acknowledged, or the
// first error.
func (p *producer) collect(ctx context.Context, queue <-chan sent, tokens <-chan struct{}) error {
	ctx, stop := context.WithCancel(ctx) // stops every waiter after an error
	defer stop()
	var (
		mu         sync.Mutex
		groups     = map[<-chan struct{}]*ackGroup{}
		firstErr   error
		unreported int
		wg         sync.WaitGroup
	)
	wait := func(ch <-chan struct{}, g *ackGroup) {
		defer wg.Done()
		select {
		case <-ch:
		case <-ctx.Done():
		}
		now := time.Now()
		mu.Lock()
		defer mu.Unlock()
		g.fired = true
		delete(groups, ch)
		for _, s := range g.events {
			if _, err := s.ack.Wait(ctx); err != nil {
				if firstErr == nil {
					firstErr = err
					stop()
				}
				return
			}
			p.lat[s.index] = float64(now.Sub(s.at)) / float64(time.Millisecond)
			<-tokens
		}
		if unreported += len(g.events); unreported >= progressEvery {
			p.progress.Add(unreported)
			unreported = 0
		}
	}
	for s := range queue {
		ch := s.ack.Done()
		mu.Lock()
		if firstErr != nil {
			mu.Unlock()
			break
		}
		g := groups[ch]
		if g == nil || g.fired {
			g = &ackGroup{}
			groups[ch] = g
			wg.Add(1)
			go wait(ch, g)
		}
		g.events = append(g.events, s)
		p.lat = append(p.lat, 0) // s.index == len(p.lat): events come in write order
		mu.Unlock()
	}
	wg.Wait()
	if unreported > 0 {
		p.progress.Add(unreported)
	}
	return firstErr
}

// readAll reads the stream from cut to the tail, counting events and
// payload bytes.
func readAll(ctx context.Context, c *braid.Client, cfg Config, from braid.StreamCut) (events, bytes int64, elapsed time.Duration, err error) {
	cfg.Progress.Start("read", int64(cfg.Events))
	defer cfg.Progress.Finish()
	begin := time.Now()
	r, err := c.NewReader(ctx, cfg.Stream, braid.FromCut(from), braid.UntilTail())
	if err != nil {
		return 0, 0, 0, fmt.Errorf("read %s: %w", cfg.Stream, err)
	}
	defer r.Close()
	unreported := 0
	for {
		ev, err := r.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, 0, 0, fmt.Errorf("read %s: %w", cfg.Stream, err)
		}
		events++
		bytes += int64(len(ev.Data))
		if unreported++; unreported == progressEvery {
			cfg.Progress.Add(unreported)
			unreported = 0
		}
	}
	cfg.Progress.Add(unreported)
	return events, bytes, time.Since(begin), nil
}

// percentile returns the q-quantile (0 < q <= 1) of sorted by the
// nearest-rank method, or 0 for no values.
func percentile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	k := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[min(max(k, 0), len(sorted)-1)]
}

// round rounds x to the given number of decimal places.
func round(x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(x*p) / p
}
