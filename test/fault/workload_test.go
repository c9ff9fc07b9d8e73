package fault

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"sync"
	"sync/atomic"
	"time"

	"github.com/braidstream/braid"
)

// workloadConfig shapes the writers of a crash test.
type workloadConfig struct {
	writers  int           // concurrent writers, each its own braid.Writer
	keys     int           // routing keys shared by all writers
	maxPad   int           // payload padding is uniform in [0, maxPad] bytes
	retry    time.Duration // WithRetryTimeout: must outlast any restart
	inflight int           // WithMaxInflightBytes (0: the client's default)
	rate     int           // events per second per writer (0: as fast as the client lets it)
}

func routingKey(k uint16) string { return fmt.Sprintf("key-%02d", k) }

// workload runs cfg.writers writers appending self-describing events (see
// payload_test.go) and records which ones were acknowledged.
//
// Each writer has two goroutines: a generator that calls Write as fast as
// the client lets it, and a collector that waits on the acks in order. The
// generators stop when stopWriting is called; the collectors stop when every
// ack has been waited for (or ctx is cancelled).
type workload struct {
	cfg    workloadConfig
	stream string
	seed   int64

	acked atomic.Int64 // acks observed so far, all writers
	kills atomic.Int64 // kills so far, set by the test; recorded with each ack

	genCancel context.CancelFunc
	gens      sync.WaitGroup
	colls     sync.WaitGroup
	writers   []*writerState
	closeOnce sync.Once
}

type writerState struct {
	n       uint16
	w       *braid.Writer
	pending chan pendingEvent

	// Owned by the generator until gens.Wait returns.
	issued []uint64 // per key: the last sequence number written

	// Owned by the collector until colls.Wait returns.
	acked     map[eventID]ackRecord
	failed    int      // acks that returned an error
	abandoned int      // acks given up because the test stopped waiting
	errs      []string // the first few distinct ack errors
	errSeen   map[string]bool
}

type pendingEvent struct {
	id  eventID
	ack braid.Ack
}

type ackRecord struct {
	ptr   braid.EventPointer
	kills int64 // kills done when the ack was observed
}

// startWorkload creates the writers and starts their goroutines. ctx bounds
// everything: cancelling it makes the collectors give up on their acks.
// The caller must call shutdown (t.Cleanup does it in the tests).
func startWorkload(ctx context.Context, c *braid.Client, stream string, seed int64, cfg workloadConfig) (*workload, error) {
	wl := &workload{cfg: cfg, stream: stream, seed: seed}
	opts := []braid.WriterOption{braid.WithRetryTimeout(cfg.retry)}
	if cfg.inflight > 0 {
		opts = append(opts, braid.WithMaxInflightBytes(cfg.inflight))
	}
	for i := 0; i < cfg.writers; i++ {
		w, err := c.NewWriter(ctx, stream, opts...)
		if err != nil {
			for _, ws := range wl.writers {
				ws.w.Close(ctx)
			}
			return nil, fmt.Errorf("NewWriter %d: %w", i, err)
		}
		wl.writers = append(wl.writers, &writerState{
			n:       uint16(i),
			w:       w,
			pending: make(chan pendingEvent, 1<<14),
			issued:  make([]uint64, cfg.keys),
			acked:   make(map[eventID]ackRecord),
			errSeen: make(map[string]bool),
		})
	}
	genCtx, cancel := context.WithCancel(ctx)
	wl.genCancel = cancel
	for _, ws := range wl.writers {
		wl.gens.Add(1)
		go wl.generate(ctx, genCtx, ws)
		wl.colls.Add(1)
		go wl.collect(ctx, genCtx, ws)
	}
	return wl, nil
}

func (wl *workload) generate(ctx, genCtx context.Context, ws *writerState) {
	defer wl.gens.Done()
	defer close(ws.pending)
	rng := rand.New(rand.NewSource(wl.seed ^ int64(ws.n+1)*0x5851f42d4c957f2d))
	var tick *time.Ticker
	if wl.cfg.rate > 0 {
		// Ten writes per tick: a steady rate without a timer per event.
		tick = time.NewTicker(10 * time.Second / time.Duration(wl.cfg.rate))
		defer tick.Stop()
	}
	for n := 0; genCtx.Err() == nil; n++ {
		if tick != nil && n%10 == 0 {
			select {
			case <-tick.C:
			case <-genCtx.Done():
				return
			}
		}
		k := uint16(rng.Intn(wl.cfg.keys))
		ws.issued[k]++
		id := eventID{Writer: ws.n, Key: k, Seq: ws.issued[k]}
		ack := ws.w.Write(genCtx, routingKey(k), encodePayload(id, rng.Intn(wl.cfg.maxPad+1)))
		select {
		case ws.pending <- pendingEvent{id: id, ack: ack}:
		case <-ctx.Done():
			return
		}
	}
}

func (wl *workload) collect(ctx, genCtx context.Context, ws *writerState) {
	defer wl.colls.Done()
	for pe := range ws.pending {
		ptr, err := pe.ack.Wait(ctx)
		switch {
		case err == nil:
			ws.acked[pe.id] = ackRecord{ptr: ptr, kills: wl.kills.Load()}
			wl.acked.Add(1)
		case ctx.Err() != nil, genCtx.Err() != nil && errors.Is(err, context.Canceled):
			// The test stopped waiting, or stopped writing while this
			// Write was blocked on its context: not acknowledged, and
			// not a failure of braid.
			ws.abandoned++
		default:
			ws.failed++
			if msg := err.Error(); len(ws.errs) < 5 && !ws.errSeen[msg] {
				ws.errSeen[msg] = true
				ws.errs = append(ws.errs, fmt.Sprintf("%s: %v (after %d kills)", pe.id, msg, wl.kills.Load()))
			}
		}
	}
}

// stopWriting stops the generators, flushes and closes every writer within
// timeout, and waits for the collectors. It returns the Flush and Close
// errors, one line per writer that had one.
func (wl *workload) stopWriting(ctx context.Context, timeout time.Duration) []string {
	wl.genCancel()
	wl.gens.Wait()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var problems []string
	for _, ws := range wl.writers {
		if err := ws.w.Flush(ctx); err != nil {
			problems = append(problems, fmt.Sprintf("writer %d: Flush: %v", ws.n, err))
		}
	}
	wl.closeWriters(ctx, &problems)
	wl.colls.Wait()
	return problems
}

func (wl *workload) closeWriters(ctx context.Context, problems *[]string) {
	wl.closeOnce.Do(func() {
		for _, ws := range wl.writers {
			if err := ws.w.Close(ctx); err != nil && problems != nil {
				*problems = append(*problems, fmt.Sprintf("writer %d: Close: %v", ws.n, err))
			}
		}
	})
}

// shutdown stops everything however the test ended; the caller has
// cancelled (or is about to cancel) the workload's context.
func (wl *workload) shutdown() {
	wl.genCancel()
	wl.gens.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	wl.closeWriters(ctx, nil)
	wl.colls.Wait()
}

// totals sums the collectors' records; call it after stopWriting.
func (wl *workload) totals() (acked, failed, abandoned int, errs []string) {
	for _, ws := range wl.writers {
		acked += len(ws.acked)
		failed += ws.failed
		abandoned += ws.abandoned
		for _, e := range ws.errs {
			errs = append(errs, fmt.Sprintf("writer %d: %s", ws.n, e))
		}
	}
	return
}

// waitFor polls cond every pollInterval until it holds, ctx ends, or
// timeout passes.
func waitFor(ctx context.Context, timeout time.Duration, cond func() bool) bool {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			return cond()
		case <-tick.C:
		}
	}
	return true
}

// sleepCtx waits d or until ctx ends; it reports whether d passed.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}
