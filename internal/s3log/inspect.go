package s3log

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"

	"github.com/braidstream/braid/internal/storage/wal"
	"github.com/braidstream/braid/internal/tier2"
)

// Slot describes one slot object of a container's log, as Inspect reads it.
type Slot struct {
	Slot  uint64
	Epoch uint64
	// Bytes is the payload's size: 0 for a fence.
	Bytes int
	// Mark is set for a truncation mark.
	Mark bool
	// Counts is whether replay takes the record: false for a deposed
	// owner's record written after a successor's (a higher epoch's) record.
	Counts bool
}

// Inspect reads the header of every slot of container k's log, in slot
// order, and says which records count. It is for checks and tools
// (braid's history test reads the logs with it): it reads 36 bytes per
// slot, 16 slots at a time, and checks headers only (not payload CRCs).
func Inspect(ctx context.Context, b Bucket, k int) ([]Slot, error) {
	l, err := Open(Options{Bucket: b, Container: k, Epoch: 1})
	if err != nil {
		return nil, err
	}
	defer l.Close()
	var out []Slot
	var maxEpoch uint64
	for after := ""; ; {
		objs, err := b.List(ctx, l.prefix, after, 1000)
		if err != nil {
			return nil, fmt.Errorf("s3log: container %d: %w", k, err)
		}
		if len(objs) == 0 {
			return out, nil
		}
		page := make([]Slot, len(objs))
		found := make([]bool, len(objs))
		errs := make([]error, len(objs))
		sem := make(chan struct{}, 16)
		var wg sync.WaitGroup
		for i, o := range objs {
			slot, ok := l.slotOf(o.Key)
			if !ok {
				return nil, fmt.Errorf("s3log: container %d: %s is not a slot", k, o.Key)
			}
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				page[i], found[i], errs[i] = l.header(ctx, slot)
			}()
		}
		wg.Wait()
		for i := range page {
			if errs[i] != nil {
				return nil, errs[i]
			}
			if !found[i] {
				continue // truncated since the listing
			}
			s := page[i]
			s.Counts = s.Epoch >= maxEpoch
			if s.Counts {
				maxEpoch = s.Epoch
			}
			out = append(out, s)
		}
		after = objs[len(objs)-1].Key
	}
}

// header reads one slot's header.
func (l *Log) header(ctx context.Context, slot uint64) (Slot, bool, error) {
	b, err := l.opts.Bucket.GetRange(ctx, l.key(slot), 0, headerSize)
	if errors.Is(err, tier2.ErrNotFound) {
		return Slot{}, false, nil
	}
	if err != nil {
		return Slot{}, false, err
	}
	if len(b) < headerSize || string(b[:4]) != magic || b[4] != version ||
		binary.BigEndian.Uint32(b[8:]) != uint32(l.opts.Container) || binary.BigEndian.Uint64(b[20:]) != slot {
		return Slot{}, false, &wal.CorruptionError{File: l.key(slot), Reason: "not this slot's record header"}
	}
	return Slot{Slot: slot, Epoch: binary.BigEndian.Uint64(b[12:]), Bytes: int(binary.BigEndian.Uint32(b[28:])), Mark: b[5] == kindTruncate}, true, nil
}

// CheckOwners checks what a log's slots (in slot order, possibly with
// gaps where truncation removed slots) say of its owners: every epoch's
// first counted record is its owner's fence (empty; truncation never
// deletes one), and counted records never go back to a lower epoch. It
// returns one line per breach.
func CheckOwners(slots []Slot) []string {
	var bad []string
	var epoch uint64
	for _, s := range slots {
		if !s.Counts {
			continue
		}
		switch {
		case s.Epoch < epoch:
			bad = append(bad, fmt.Sprintf("slot %d: a counted record of epoch %d after epoch %d", s.Slot, s.Epoch, epoch))
		case s.Epoch > epoch && (s.Bytes != 0 || s.Mark):
			bad = append(bad, fmt.Sprintf("slot %d: epoch %d starts with %d bytes of data, not a fence: its owner did not fence the log, or its fence was deleted", s.Slot, s.Epoch, s.Bytes))
		}
		epoch = max(epoch, s.Epoch)
	}
	return bad
}
