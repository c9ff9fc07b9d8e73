package segstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/braidstream/braid/internal/clock"
)

// tier2Timeout bounds one tier-2 call of the storage writer, so that a hung
// server counts as down rather than stalling the writer for good.
const tier2Timeout = time.Minute

// storageLoop is the container's storage writer: on a timer, or when the
// flusher asks, it moves due data from memory to tier-2 chunks, checkpoints,
// deletes garbage from tier 2 and truncates the WAL. After a tier-2 failure
// it retries with backoff; appenders are throttled meanwhile (see enqueue).
func (c *container) storageLoop() {
	defer c.wg.Done()
	tick := c.opts.Clock.NewTicker(min(c.opts.CheckpointInterval, max(c.opts.FlushInterval/4, time.Millisecond)))
	defer tick.Stop()
	var (
		retry    clock.Timer
		retryC   <-chan time.Time
		backoff  time.Duration
		failedAt time.Time
	)
	defer func() {
		if retry != nil {
			retry.Stop()
		}
	}()
	for {
		if retryC != nil {
			// Backing off after a failure: ticks and the flusher's
			// requests wait for the retry, or tier 2 would be asked
			// again at every tick.
			select {
			case <-c.stop:
				return
			case <-retryC:
				retryC = nil
			}
		} else {
			select {
			case <-c.stop:
				return
			case <-tick.C():
			case <-c.flushReq:
			}
		}
		force := c.forceRound.Swap(false)
		err := c.storageRound(c.ctx, force)
		if c.ctx.Err() != nil {
			return
		}
		if err != nil && force {
			c.forceRound.Store(true) // the retry is forced too
		}
		c.qmu.Lock()
		c.tier2Err = err
		c.qmu.Unlock()
		if err == nil {
			if !failedAt.IsZero() {
				c.log.Info("tier 2 writes recovered", slog.Duration("failing_for", c.opts.Clock.Now().Sub(failedAt)))
				c.m.tier2Failing.WithLabelValues(c.lbl).Set(0)
				failedAt, backoff = time.Time{}, 0
			}
			continue
		}
		if failedAt.IsZero() {
			failedAt = c.opts.Clock.Now()
			c.m.tier2Failing.WithLabelValues(c.lbl).Set(1)
			c.log.Warn("tier 2 writes failing; data stays in memory and the WAL, and appends are throttled past the unflushed limit",
				slog.Any("err", err), slog.Int64("unflushed_limit", c.opts.unflushedLimit()))
		} else {
			c.log.Debug("storage round failed; will retry", slog.Any("err", err))
		}
		backoff = min(max(2*backoff, 50*time.Millisecond), 5*time.Second)
		if retry == nil {
			retry = c.opts.Clock.NewTimer(backoff)
		} else {
			retry.Reset(backoff)
		}
		retryC = retry.C()
	}
}

type flushJob struct {
	s     *segment
	ents  []memEntry
	start int64
}

// storageRound runs the storage writer once. It checkpoints even after a
// tier-2 failure, so that the chunks that did land are recorded.
// With force, every segment's data is due.
func (c *container) storageRound(ctx context.Context, force bool) error {
	c.ckptMu.Lock()
	defer c.ckptMu.Unlock()
	now := c.opts.Clock.Now().UnixNano()
	c.mu.Lock()
	for _, s := range c.segs {
		// Chunks wholly below the truncation point go.
		n := 0
		for n < len(s.chunks) && s.chunks[n].end() <= s.start {
			c.garbage = append(c.garbage, s.chunks[n].key(c.id, s.handle))
			n++
		}
		if n > 0 {
			s.chunks = append([]chunk(nil), s.chunks[n:]...)
		}
	}
	pressure := force || c.unflushed.Load() >= c.opts.FlushBytes || c.walSpanLocked() >= c.opts.LogBytes
	var jobs []flushJob
	for _, s := range c.segs {
		if len(s.mem) == 0 {
			continue
		}
		if pressure || s.sealed || s.memSize >= c.opts.ChunkSize || time.Duration(now-s.mem[0].at) >= c.opts.FlushInterval {
			jobs = append(jobs, flushJob{s: s, ents: s.mem[:len(s.mem):len(s.mem)], start: s.start})
		}
	}
	changed := force || c.appliedLSN != c.ckLSN || len(c.garbage) > 0
	c.mu.Unlock()

	// Oldest data first: it is what holds the WAL back.
	sort.Slice(jobs, func(i, k int) bool { return jobs[i].ents[0].lsn < jobs[k].ents[0].lsn })
	var flushErr error
	for _, j := range jobs {
		if err := c.flushSegment(ctx, j); err != nil {
			flushErr = err
			break
		}
	}
	if len(jobs) == 0 && !changed {
		return nil
	}

	ck, err := c.barrierSnapshot(ctx)
	if err != nil {
		return errors.Join(flushErr, err)
	}
	if err := c.writeCheckpoint(ck); err != nil {
		return errors.Join(flushErr, err)
	}
	c.mu.Lock()
	c.ckLSN = ck.LSN
	c.mu.Unlock()
	if c.epoch > 0 && !c.swept {
		if _, err := c.sweepDeposed(ctx, ck); err != nil {
			c.log.Warn("sweeping earlier owners' unreferenced chunks failed; trying again after the next checkpoint", slog.Any("err", err))
		} else {
			c.swept = true
		}
	}
	gcErr := c.collectGarbage(ctx, ck.Garbage)
	if err := c.wal.TruncateBefore(ck.replayLSN()); err != nil {
		return errors.Join(flushErr, gcErr, err)
	}
	c.m.walFiles.WithLabelValues(c.lbl).Set(float64(c.wal.Files()))
	c.mu.RLock()
	c.m.walBytes.WithLabelValues(c.lbl).Set(float64(c.walSpanLocked()))
	c.mu.RUnlock()
	return errors.Join(flushErr, gcErr)
}

// walSpanLocked is how many WAL bytes the container must keep: from the
// oldest record holding data not in tier 2 to the end. Caller holds mu.
func (c *container) walSpanLocked() int64 {
	oldest := c.walSeq
	for _, s := range c.segs {
		if len(s.mem) > 0 && s.mem[0].seq < oldest {
			oldest = s.mem[0].seq
		}
	}
	return c.walSeq - oldest
}

// barrierSnapshot takes a checkpoint snapshot at a point the WAL holds
// durably: the flusher syncs, then snapshots, between batches.
func (c *container) barrierSnapshot(ctx context.Context) (*checkpointFile, error) {
	var ck *checkpointFile
	_, err := c.call(ctx, &op{kind: opBarrier, snap: func() { ck = c.snapshot() }})
	if err != nil {
		return nil, err
	}
	return ck, nil
}

// cutChunks splits contiguous entries into runs of at most size bytes (a
// larger single entry makes a run alone). The cut depends only on the
// entries, so a round repeated after a crash stores the same keys.
func cutChunks(ents []memEntry, size int64) [][]memEntry {
	var out [][]memEntry
	start, n := 0, int64(0)
	for i, e := range ents {
		l := int64(len(e.data))
		if i > start && n+l > size {
			out = append(out, ents[start:i])
			start, n = i, 0
		}
		n += l
	}
	if start < len(ents) {
		out = append(out, ents[start:])
	}
	return out
}

// flushSegment stores a segment's due entries as chunks, one Put each, and
// after each makes the chunk visible to readers and frees the memory.
func (c *container) flushSegment(ctx context.Context, j flushJob) error {
	for _, run := range cutChunks(j.ents, c.opts.ChunkSize) {
		off := run[0].offset
		last := run[len(run)-1]
		end := last.offset + int64(len(last.data))
		key := chunkKey(c.id, j.s.handle, off, c.epoch)
		if end <= j.start {
			// Truncated before it reached tier 2: nothing to store. A
			// crashed earlier round may have stored it: delete that.
			c.mu.Lock()
			c.garbage = append(c.garbage, key)
			c.advance(j.s, end, nil)
			c.mu.Unlock()
			continue
		}
		c.mu.RLock()
		deleted := j.s.deleted
		c.mu.RUnlock()
		if deleted {
			return nil // its prefix is garbage already
		}
		buf := make([]byte, 0, end-off)
		for _, e := range run {
			buf = append(buf, e.data...)
		}
		t0 := time.Now()
		pctx, cancel := context.WithTimeout(ctx, tier2Timeout)
		err := c.t2.Put(pctx, key, buf)
		cancel()
		c.m.tier2Seconds.WithLabelValues("put").Observe(time.Since(t0).Seconds())
		if err != nil {
			c.m.tier2Errors.WithLabelValues("put").Inc()
			return fmt.Errorf("tier 2: storing %d bytes of %s at offset %d: %w", len(buf), j.s.name, off, err)
		}
		c.m.tier2Bytes.WithLabelValues(c.lbl).Add(float64(len(buf)))
		c.cold.addHot(c.id, j.s.handle, off, buf)
		c.mu.Lock()
		c.advance(j.s, end, &chunk{Offset: off, Length: end - off, Epoch: c.epoch})
		c.mu.Unlock()
		c.freed()
	}
	return nil
}

// advance records that a segment's data up to end is in tier 2 (in k, if
// not nil) and drops it from memory. Caller holds mu.
func (c *container) advance(s *segment, end int64, k *chunk) {
	if s.deleted {
		return // memory released by the delete
	}
	if k != nil {
		s.chunks = append(s.chunks, *k)
	}
	n, freed := 0, int64(0)
	for n < len(s.mem) && s.mem[n].offset+int64(len(s.mem[n].data)) <= end {
		freed += int64(len(s.mem[n].data))
		n++
	}
	s.mem = append([]memEntry(nil), s.mem[n:]...)
	s.memSize -= freed
	s.flushed = end
	c.unflushed.Add(-freed)
	c.m.unflushed.WithLabelValues(c.lbl).Set(float64(c.unflushed.Load()))
}

// freed wakes appenders waiting for room under the unflushed limit.
func (c *container) freed() {
	c.qmu.Lock()
	close(c.drained)
	c.drained = make(chan struct{})
	c.qmu.Unlock()
}

// collectGarbage deletes tier-2 keys and prefixes (see checkpointFile),
// in order, and forgets those done. A failure leaves the rest for the next
// round; deleting is idempotent, so a crash only repeats some of it.
func (c *container) collectGarbage(ctx context.Context, items []string) error {
	done := 0
	var err error
	for _, g := range items {
		if strings.HasSuffix(g, "/") {
			err = c.deletePrefix(ctx, g)
		} else {
			dctx, cancel := context.WithTimeout(ctx, tier2Timeout)
			err = c.t2.Delete(dctx, g)
			cancel()
		}
		if err != nil {
			c.m.tier2Errors.WithLabelValues("delete").Inc()
			err = fmt.Errorf("tier 2: deleting %s: %w", g, err)
			break
		}
		done++
	}
	if done > 0 {
		c.mu.Lock()
		c.garbage = append([]string(nil), c.garbage[done:]...)
		c.mu.Unlock()
	}
	return err
}

// deletePrefix deletes every object under prefix (a deleted segment's).
func (c *container) deletePrefix(ctx context.Context, prefix string) error {
	for {
		lctx, cancel := context.WithTimeout(ctx, tier2Timeout)
		objs, err := c.t2.List(lctx, prefix, "", 1000)
		cancel()
		if err != nil {
			return err
		}
		for _, o := range objs {
			dctx, cancel := context.WithTimeout(ctx, tier2Timeout)
			err := c.t2.Delete(dctx, o.Key)
			cancel()
			if err != nil {
				return err
			}
		}
		if len(objs) < 1000 {
			break
		}
	}
	// Its blocks in the read cache can no longer be asked for; they age
	// out.
	return nil
}
