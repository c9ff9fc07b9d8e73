package s3log

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/braidstream/braid/internal/storage/segstore"
	"github.com/braidstream/braid/internal/storage/wal"
	"github.com/braidstream/braid/internal/tier2/s3"
)

// Replay implements segstore.Log: it replays every slot from start.LSN up
// to the first missing one, fences the log there (see fence), and leaves
// it ready to append after the fence.
func (l *Log) Replay(ctx context.Context, start segstore.LogStart, fn func(uint64, wal.Position, []byte) error, _ func(wal.TornTail)) error {
	from := max(start.LSN, 1)
	l.from = from
	objs, err := l.opts.Bucket.List(ctx, l.prefix, "", 1)
	if err != nil {
		return fmt.Errorf("s3log: container %d: %w", l.opts.Container, err)
	}
	l.oldest = from
	if len(objs) > 0 {
		if s, ok := l.slotOf(objs[0].Key); ok && s < from {
			l.oldest = s
		}
	}
	l.maxEpoch = start.Epoch
	l.marks = []epochMark{{0, start.Epoch}}
	if l.maxEpoch > l.opts.Epoch {
		return l.fenced(from, l.maxEpoch)
	}
	slot := from
	for {
		recs, err := l.fetch(ctx, slot)
		if err != nil {
			return err
		}
		for _, r := range recs {
			if err := l.replayOne(slot, r, fn); err != nil {
				return err
			}
			slot++
		}
		if len(recs) == l.opts.ReadAhead {
			continue
		}
		if err := l.checkHole(ctx, slot); err != nil {
			return err
		}
		fence := l.encode(slot, l.opts.Epoch, nil)
		err = l.opts.Bucket.Create(ctx, l.key(slot), fence, l.meta())
		if err == nil || l.landed(ctx, slot, fence) {
			if err := l.closeWindow(ctx, slot); err != nil {
				return err
			}
			if err := fn(slot, wal.Position{}, nil); err != nil {
				return err
			}
			if l.opts.Epoch > l.maxEpoch {
				l.rise(slot, l.opts.Epoch)
			}
			l.maxEpoch = l.opts.Epoch
			l.next.Store(slot + Window)
			l.acked.Store(slot + Window)
			l.startPipeline()
			if l.opts.CheckEvery > 0 && l.opts.OnFenced != nil {
				l.wg.Add(1)
				go l.watchFence()
			}
			l.opts.Logger.Debug("s3log: fenced", slog.Int("container", l.opts.Container), slog.Uint64("epoch", l.opts.Epoch), slog.Uint64("slot", slot))
			return nil
		}
		if !errors.Is(err, s3.ErrExists) {
			return fmt.Errorf("s3log: container %d: writing the fence at slot %d: %w", l.opts.Container, slot, err)
		}
		// Another owner wrote the slot meanwhile: read it like the rest.
	}
}

// checkHole tells what the first missing slot from the replay's start is.
// It is the log's tail, with perhaps some records of the last owner's
// window after it (written while slot was in flight, and never
// acknowledged: acknowledgements go in slot order) — unless truncation
// moved the log past this replay's start. Then a slot Window or more
// after it is there (no owner writes that far past a slot still in
// flight), or a truncation mark closer (a mark is written with nothing in
// flight: every slot before it had landed).
func (l *Log) checkHole(ctx context.Context, slot uint64) error {
	// At most Window-1 slots lie inside the window: a listing of Window
	// keys shows one past it if there is any.
	after, err := l.opts.Bucket.List(ctx, l.prefix, l.key(slot), Window)
	if err != nil {
		return fmt.Errorf("s3log: container %d: %w", l.opts.Container, err)
	}
	for _, o := range after {
		s, ok := l.slotOf(o.Key)
		if !ok {
			continue
		}
		moved := s >= slot+Window
		if !moved {
			h, found, err := l.header(ctx, s)
			if err != nil {
				return fmt.Errorf("s3log: container %d: %w", l.opts.Container, err)
			}
			moved = found && h.Mark
		}
		if moved {
			return fmt.Errorf("%w: container %d: slot %d is gone but %s is there", segstore.ErrLogMoved, l.opts.Container, slot, o.Key)
		}
	}
	return nil
}

// closeWindow writes fences at the Window-1 slots after this owner's fence
// at slot, so that no record an earlier owner still has in flight lands
// there later: a slot already taken holds such a record (it never counts)
// or a successor's (then this owner is fenced already). This owner's own
// records start after them.
func (l *Log) closeWindow(ctx context.Context, slot uint64) error {
	errs := make([]error, Window-1)
	var wg sync.WaitGroup
	for i := range Window - 1 {
		s := slot + 1 + uint64(i)
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = l.writeSlotAs(ctx, s, l.encode(s, l.opts.Epoch, nil), true)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// landed reports whether a failed Create of data at slot landed after all
// (its answer was lost, or a retry met the first attempt's object).
func (l *Log) landed(ctx context.Context, slot uint64, data []byte) bool {
	b, err := l.opts.Bucket.GetRange(ctx, l.key(slot), 0, -1)
	return err == nil && bytes.Equal(b, data)
}

// fetch reads up to ReadAhead slots from slot on, in parallel, and returns
// the records up to the first missing slot.
func (l *Log) fetch(ctx context.Context, slot uint64) ([]record, error) {
	n := l.opts.ReadAhead
	recs := make([]record, n)
	found := make([]bool, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			recs[i], found[i], errs[i] = l.get(ctx, slot+uint64(i))
		}()
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			return nil, fmt.Errorf("s3log: container %d: reading slot %d: %w", l.opts.Container, slot+uint64(i), errs[i])
		}
		if !found[i] {
			return recs[:i], nil
		}
	}
	return recs, nil
}

// replayOne applies the epoch rule to one replayed record.
func (l *Log) replayOne(slot uint64, r record, fn func(uint64, wal.Position, []byte) error) error {
	switch {
	case r.epoch > l.opts.Epoch:
		return l.fenced(slot, r.epoch)
	case r.epoch < l.maxEpoch:
		l.opts.Logger.Debug("s3log: skipping a deposed owner's record", slog.Int("container", l.opts.Container),
			slog.Uint64("slot", slot), slog.Uint64("epoch", r.epoch), slog.Uint64("after_epoch", l.maxEpoch))
		return nil
	}
	if r.epoch > l.maxEpoch {
		l.rise(slot, r.epoch)
	}
	l.maxEpoch = r.epoch
	if r.kind == kindTruncate {
		if below := binary.BigEndian.Uint64(r.payload); below > l.from {
			return fmt.Errorf("%w: container %d: slot %d marks the log truncated below slot %d, past this replay's start %d",
				segstore.ErrLogMoved, l.opts.Container, slot, below, l.from)
		}
		return fn(slot, wal.Position{}, nil)
	}
	return fn(slot, wal.Position{}, r.payload)
}
