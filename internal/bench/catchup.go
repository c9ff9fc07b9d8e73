package bench

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/braidstream/braid"
)

// CatchupResult is what Catchup measured. Rates are per second of wall
// time; MB is 10^6 bytes. The JSON form is the one "braid bench --mode
// catchup --json" prints; the tier-2 fields are left out when Catchup had
// no HTTPAddr to read the server's metrics from.
type CatchupResult struct {
	Mode string `json:"mode"` // "catchup"
	// Events is how many events were read.
	Events int `json:"events"`
	// Size is the payload size per event (with ReadOnly, the average).
	Size int `json:"size"`
	// Producers is 0 with ReadOnly.
	Producers int `json:"producers"`
	Readers   int `json:"readers"`
	Segments  int `json:"segments"`

	// WriteMBPerSec is the write phase's rate, as in Result (0 with
	// ReadOnly).
	WriteMBPerSec float64 `json:"write_mb_per_s"`
	// Tier2WaitSec is how long, after the write (or at the start, with
	// ReadOnly), the server took to hold everything in tier 2.
	Tier2WaitSec float64 `json:"tier2_wait_s"`
	// The read phase's rate, in events and payload bytes, from opening the
	// readers to the last one's end.
	ReadEventsPerSec float64 `json:"read_events_per_s"`
	ReadMBPerSec     float64 `json:"read_mb_per_s"`
	// Tier2ReadMB is what the server read from tier 2 during the read
	// phase (cache misses and read-ahead; event headers included), and
	// Tier2Share that as a share of the segment bytes read: about 1 when
	// the read came from tier 2, near 0 when it came from the cache, above
	// 1 when read-ahead fetched blocks that were evicted before use.
	Tier2ReadMB *float64 `json:"tier2_read_mb,omitempty"`
	Tier2Share  *float64 `json:"tier2_share,omitempty"`
	// CacheHitRatio is the read cache's block hits over its lookups during
	// the read phase.
	CacheHitRatio *float64 `json:"cache_hit_ratio,omitempty"`

	WriteTime time.Duration `json:"-"`
	WaitTime  time.Duration `json:"-"`
	ReadTime  time.Duration `json:"-"`
	// ReadBytes is the payload bytes read; SegmentBytes the segment bytes
	// (payloads and event headers) between the read's start and end cuts.
	ReadBytes    int64 `json:"-"`
	SegmentBytes int64 `json:"-"`
}

// flushPoll is how often Catchup reads the server's metrics while it waits
// for tier 2.
const flushPoll = 100 * time.Millisecond

// Catchup measures a consumer catching up from tier 2: it writes
// cfg.Events events as Run does, waits until the server holds all its data
// in tier 2 (its braid_segstore_unflushed_bytes is 0; only with
// cfg.HTTPAddr), then reads back everything written, from where the stream
// ended before the write, with one reader per share of the segments (see
// Config.Readers). With cfg.ReadOnly it writes nothing and reads the
// stream from its head to its tail.
//
// Whether the read comes from tier 2 or from the server's read cache
// depends on the server: its cache (--cache-size) must be much smaller than
// the data. The Tier2 fields of the result say what happened.
func Catchup(ctx context.Context, c *braid.Client, cfg Config) (CatchupResult, error) {
	if err := cfg.Validate(); err != nil {
		return CatchupResult{}, err
	}
	if cfg.Progress == nil {
		cfg.Progress = noProgress{}
	}
	res := CatchupResult{Mode: "catchup"}
	var (
		from braid.StreamCut
		err  error
	)
	if cfg.ReadOnly {
		info, err := c.GetStream(ctx, cfg.Stream)
		if err != nil {
			return CatchupResult{}, fmt.Errorf("get stream %s: %w", cfg.Stream, err)
		}
		res.Segments = info.Segments
		if from, err = c.HeadCut(ctx, cfg.Stream); err != nil {
			return CatchupResult{}, fmt.Errorf("head of %s: %w", cfg.Stream, err)
		}
	} else {
		if res.Segments, err = prepareStream(ctx, c, cfg); err != nil {
			return CatchupResult{}, err
		}
		if from, err = c.TailCut(ctx, cfg.Stream); err != nil {
			return CatchupResult{}, fmt.Errorf("tail of %s: %w", cfg.Stream, err)
		}
		var lat []float64
		lat, _, res.WriteTime, err = writeAll(ctx, c, cfg, time.Time{})
		if err != nil {
			return CatchupResult{}, err
		}
		cfg.Events = len(lat) // fewer with cfg.Duration
		res.Producers = cfg.Producers
		res.WriteMBPerSec = round(float64(cfg.Events)*float64(cfg.Size)/1e6/res.WriteTime.Seconds(), 3)
	}
	from.Stream = cfg.Stream

	var m *metricsClient
	if cfg.HTTPAddr == "" {
		warn(cfg, "no server HTTP address: not waiting for the data to reach tier 2, so part of the read may come from memory")
	} else {
		m = newMetricsClient(cfg.HTTPAddr)
		timeout := cfg.FlushTimeout
		if timeout == 0 {
			timeout = defaultFlushTimeout
		}
		if res.WaitTime, err = waitTier2(ctx, m, timeout); err != nil {
			return CatchupResult{}, err
		}
		res.Tier2WaitSec = round(res.WaitTime.Seconds(), 3)
	}

	until, err := c.TailCut(ctx, cfg.Stream)
	if err != nil {
		return CatchupResult{}, fmt.Errorf("tail of %s: %w", cfg.Stream, err)
	}
	until.Stream = cfg.Stream
	res.SegmentBytes = cutBytes(from, until)
	var before map[string]float64
	if m != nil {
		if before, err = m.scrape(ctx, metricTier2Read, metricCacheHits, metricCacheMisses); err != nil {
			return CatchupResult{}, err
		}
	}
	shares := splitCut(from, cfg.Readers)
	res.Readers = len(shares)
	total := int64(-1)
	if !cfg.ReadOnly {
		total = int64(cfg.Events)
	}
	cfg.Progress.Start("read", total)
	events, bytes, readTime, err := readBounded(ctx, c, cfg, shares, until)
	cfg.Progress.Finish()
	if err != nil {
		return CatchupResult{}, err
	}
	if m != nil {
		after, err := m.scrape(ctx, metricTier2Read, metricCacheHits, metricCacheMisses)
		if err != nil {
			return CatchupResult{}, err
		}
		t2 := after[metricTier2Read] - before[metricTier2Read]
		hits := after[metricCacheHits] - before[metricCacheHits]
		lookups := hits + after[metricCacheMisses] - before[metricCacheMisses]
		res.Tier2ReadMB = ptr(round(t2/1e6, 3))
		if res.SegmentBytes > 0 {
			res.Tier2Share = ptr(round(t2/float64(res.SegmentBytes), 3))
		}
		if lookups > 0 {
			res.CacheHitRatio = ptr(round(hits/lookups, 3))
		}
	}

	if !cfg.ReadOnly {
		switch want := int64(cfg.Events); {
		case events < want:
			return CatchupResult{}, fmt.Errorf("read back %d events from %s, but %d were written", events, cfg.Stream, want)
		case events > want:
			warn(cfg, fmt.Sprintf("read back %d events, %d more than were written: someone else is writing to %s", events, events-want, cfg.Stream))
		case bytes != want*int64(cfg.Size):
			return CatchupResult{}, fmt.Errorf("read back %d bytes in %d events from %s, but %d were written", bytes, events, cfg.Stream, want*int64(cfg.Size))
		}
	}
	if events == 0 {
		return CatchupResult{}, fmt.Errorf("stream %s has no events to read", cfg.Stream)
	}
	res.Events = int(events)
	res.Size = int(bytes / events)
	res.ReadBytes = bytes
	res.ReadTime = readTime
	res.ReadEventsPerSec = round(float64(events)/readTime.Seconds(), 1)
	res.ReadMBPerSec = round(float64(bytes)/1e6/readTime.Seconds(), 3)
	return res, nil
}

// waitTier2 polls the server's metrics until no container holds data that
// is not in tier 2, for at most timeout, and returns how long that took.
func waitTier2(ctx context.Context, m *metricsClient, timeout time.Duration) (time.Duration, error) {
	begin := time.Now()
	ctx, cancel := context.WithTimeoutCause(ctx, timeout, errFlushTimeout)
	defer cancel()
	tick := time.NewTicker(flushPoll)
	defer tick.Stop()
	for {
		got, err := m.scrape(ctx, metricUnflushed, metricTier2Read)
		switch {
		case err != nil && ctx.Err() == nil:
			return 0, err
		case err != nil: // the timeout or ctx: reported below
		case !has(got, metricTier2Read):
			return 0, fmt.Errorf("server metrics at %s have no %s: not a braid server with tier 2", m.url, metricTier2Read)
		case got[metricUnflushed] == 0:
			// No sample at all means no container took an append
			// since the server started.
			return time.Since(begin), nil
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			if errors.Is(context.Cause(ctx), errFlushTimeout) {
				return 0, fmt.Errorf("the server still held data not in tier 2 after %v (%s > 0): is its --flush-interval longer? (raise --flush-timeout)", timeout, metricUnflushed)
			}
			return 0, context.Cause(ctx)
		}
	}
}

func has(m map[string]float64, k string) bool {
	_, ok := m[k]
	return ok
}

// errFlushTimeout ends waitTier2's wait.
var errFlushTimeout = errors.New("bench: tier-2 wait timed out")

func ptr[T any](v T) *T { return &v }
