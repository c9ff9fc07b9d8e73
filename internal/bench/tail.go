package bench

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/braidstream/braid"
)

// TailResult is what Tail measured. Rates are per second of wall time; MB
// is 10^6 bytes of payload. The JSON form is the one "braid bench --mode
// tail --json" prints.
type TailResult struct {
	Mode      string `json:"mode"` // "tail"
	Events    int    `json:"events"`
	Size      int    `json:"size"`
	Producers int    `json:"producers"`
	Readers   int    `json:"readers"`
	Segments  int    `json:"segments"`

	// The producers' rate, from the first Write to the last
	// acknowledgement, as in Result.
	WriteEventsPerSec float64 `json:"write_events_per_s"`
	WriteMBPerSec     float64 `json:"write_mb_per_s"`
	// Append latency percentiles, in milliseconds, as in Result: what of
	// the end-to-end latency is spent before the event is durable.
	AppendP50Ms float64 `json:"append_p50_ms"`
	AppendP99Ms float64 `json:"append_p99_ms"`
	// What the readers received, from the first Write to the last event
	// read.
	TailEventsPerSec float64 `json:"tail_events_per_s"`
	TailMBPerSec     float64 `json:"tail_mb_per_s"`
	// End-to-end latency percentiles, in milliseconds: from an event's
	// Write call to a reader's Next returning it. Zero for events smaller
	// than the 8-byte timestamp they would carry.
	EndToEndP50Ms  float64 `json:"e2e_p50_ms"`
	EndToEndP99Ms  float64 `json:"e2e_p99_ms"`
	EndToEndP999Ms float64 `json:"e2e_p999_ms"`

	// WriteTime is from the first Write to the last acknowledgement.
	WriteTime time.Duration `json:"-"`
	// TailTime is from the first Write to the last event read.
	TailTime time.Duration `json:"-"`
}

// Tail errors.
var (
	// errTailDone ends the readers once every event written was read.
	errTailDone = errors.New("bench: all events read")
	// errDrainTimeout ends readers that did not get every event in time.
	errDrainTimeout = errors.New("bench: readers did not get every event in time")
)

// minDrain is the least time Tail's readers get, after the last
// acknowledgement, to read what they have not read yet (see Tail).
const minDrain = 30 * time.Second

// Tail measures readers following a stream while it is written: it opens
// the readers at the stream's tail, one per share of the segments (see
// Config.Readers), then writes cfg.Events events as Run does, each
// starting with the time of its Write call, and stops once the readers
// have received them all. It returns an error if cfg is invalid, if an
// append or a read fails, or if the readers have not received every event
// within max(30 s, twice the write time) of the last acknowledgement.
func Tail(ctx context.Context, c *braid.Client, cfg Config) (TailResult, error) {
	if err := cfg.Validate(); err != nil {
		return TailResult{}, err
	}
	if cfg.Progress == nil {
		cfg.Progress = noProgress{}
	}
	segments, err := prepareStream(ctx, c, cfg)
	if err != nil {
		return TailResult{}, err
	}
	start, err := c.TailCut(ctx, cfg.Stream)
	if err != nil {
		return TailResult{}, fmt.Errorf("tail of %s: %w", cfg.Stream, err)
	}
	start.Stream = cfg.Stream
	shares := splitCut(start, cfg.Readers)
	if cfg.Size < stampSize {
		warn(cfg, fmt.Sprintf("events of %d bytes have no room for an %d-byte timestamp: no end-to-end latency", cfg.Size, stampSize))
	}

	// failed ends everything when a reader fails; done ends the readers
	// when they have read every event, or after the drain timeout.
	failed, fail := context.WithCancelCause(ctx)
	defer fail(nil)
	done, finish := context.WithCancelCause(failed)
	defer finish(nil)
	readers := make([]*braid.Reader, 0, len(shares))
	defer func() {
		for _, r := range readers {
			r.Close()
		}
	}()
	for _, share := range shares {
		r, err := c.NewReader(ctx, cfg.Stream, braid.FromCut(share))
		if err != nil {
			return TailResult{}, fmt.Errorf("read %s: %w", cfg.Stream, err)
		}
		readers = append(readers, r)
	}

	epoch := time.Now()
	// want is how many events the readers must get: cfg.Events, or with
	// cfg.Duration unknown (the most there can be) until the write ends.
	var want atomic.Int64
	want.Store(int64(cfg.Events))
	progressTotal := int64(cfg.Events)
	if cfg.Duration > 0 {
		want.Store(math.MaxInt64)
		progressTotal = -1
	}
	var (
		total   atomic.Int64 // events read, by all readers
		extra   atomic.Int64 // events read beyond want
		bytes   atomic.Int64
		wg      sync.WaitGroup
		e2e     = make([][]float64, len(readers)) // per reader, ms
		lastAt  = make([]time.Time, len(readers)) // per reader: its last event counted
		stamped = cfg.Size >= stampSize
	)
	cfg.Progress.Start("tail", progressTotal)
	for i, r := range readers {
		wg.Go(func() {
			var (
				lat        []float64
				last       time.Time
				unreported int
			)
			defer func() {
				cfg.Progress.Add(unreported)
				e2e[i], lastAt[i] = lat, last
			}()
			for done.Err() == nil {
				ev, err := r.Next(done)
				if err != nil {
					if done.Err() == nil {
						fail(fmt.Errorf("read %s: %w", cfg.Stream, err))
					}
					return
				}
				now := time.Now()
				n := total.Add(1)
				w := want.Load()
				if n > w {
					extra.Add(1)
					continue
				}
				if stamped && len(ev.Data) >= stampSize {
					lat = append(lat, float64(now.Sub(unstamp(ev.Data, epoch)))/float64(time.Millisecond))
				}
				bytes.Add(int64(len(ev.Data)))
				last = now
				if unreported++; unreported == progressEvery {
					cfg.Progress.Add(unreported)
					unreported = 0
				}
				if n == w {
					finish(errTailDone)
				}
			}
		})
	}

	wcfg := cfg
	wcfg.Progress = noProgress{} // the readers count
	appendLat, begin, writeTime, werr := writeAll(failed, c, wcfg, epoch)
	written := int64(len(appendLat))
	if werr == nil && cfg.Duration > 0 {
		// A reader may have read the last event before want was known.
		want.Store(written)
		if total.Load() >= written {
			finish(errTailDone)
		}
	}
	if werr == nil {
		drain := time.AfterFunc(max(minDrain, 2*writeTime), func() { finish(errDrainTimeout) })
		defer drain.Stop()
	} else {
		finish(werr)
	}
	wg.Wait()
	cfg.Progress.Finish()
	if err := context.Cause(failed); err != nil {
		return TailResult{}, err
	}
	if werr != nil {
		return TailResult{}, werr
	}
	if cause := context.Cause(done); !errors.Is(cause, errTailDone) {
		if errors.Is(cause, errDrainTimeout) {
			return TailResult{}, fmt.Errorf("the readers of %s got %d of the %d events written within %v of the last acknowledgement",
				cfg.Stream, min(total.Load(), written), written, max(minDrain, 2*writeTime))
		}
		return TailResult{}, cause
	}
	if n := extra.Load(); n > 0 {
		warn(cfg, fmt.Sprintf("read at least %d events more than were written: someone else is writing to %s", n, cfg.Stream))
	}
	if b := bytes.Load(); b != written*int64(cfg.Size) {
		return TailResult{}, fmt.Errorf("the readers got %d bytes in %d events from %s, but %d were written", b, written, cfg.Stream, written*int64(cfg.Size))
	}

	lat := slices.Concat(e2e...)
	slices.Sort(lat)
	slices.Sort(appendLat)
	var end time.Time
	for _, t := range lastAt {
		if t.After(end) {
			end = t
		}
	}
	tailTime := end.Sub(begin)
	mb := float64(written) * float64(cfg.Size) / 1e6
	return TailResult{
		Mode:              "tail",
		Events:            int(written),
		Size:              cfg.Size,
		Producers:         cfg.Producers,
		Readers:           len(readers),
		Segments:          segments,
		WriteEventsPerSec: round(float64(written)/writeTime.Seconds(), 1),
		WriteMBPerSec:     round(mb/writeTime.Seconds(), 3),
		AppendP50Ms:       round(percentile(appendLat, 0.50), 3),
		AppendP99Ms:       round(percentile(appendLat, 0.99), 3),
		TailEventsPerSec:  round(float64(written)/tailTime.Seconds(), 1),
		TailMBPerSec:      round(mb/tailTime.Seconds(), 3),
		EndToEndP50Ms:     round(percentile(lat, 0.50), 3),
		EndToEndP99Ms:     round(percentile(lat, 0.99), 3),
		EndToEndP999Ms:    round(percentile(lat, 0.999), 3),
		WriteTime:         writeTime,
		TailTime:          tailTime,
	}, nil
}
