package s3log

import (
	"context"
	"fmt"
)

// Slot describes one slot object of a container's log, as Inspect reads it.
type Slot struct {
	Slot  uint64
	Epoch uint64
	// Bytes is the payload's size: 0 for a fence.
	Bytes int
	// Counts is whether replay takes the record: false for a deposed
	// owner's record written after a successor's (a higher epoch's) record.
	Counts bool
}

// Inspect reads every slot of container k's log, in slot order, and says
// which records count. It is for checks and tools (braid's history test
// reads the log with it); it loads the whole log into memory.
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
		for _, o := range objs {
			slot, ok := l.slotOf(o.Key)
			if !ok {
				return nil, fmt.Errorf("s3log: container %d: %s is not a slot", k, o.Key)
			}
			rec, found, err := l.get(ctx, slot)
			if err != nil {
				return nil, err
			}
			if !found {
				continue // truncated since the listing
			}
			s := Slot{Slot: slot, Epoch: rec.epoch, Bytes: len(rec.payload), Counts: rec.epoch >= maxEpoch}
			if s.Counts {
				maxEpoch = rec.epoch
			}
			out = append(out, s)
		}
		after = objs[len(objs)-1].Key
	}
}

// CheckOwners checks what a log's slots say of its owners: every epoch's
// first counted record is its owner's fence (empty), except where
// truncation removed it (the first epoch of what is left); and counted
// records never go back to a lower epoch. It returns one line per breach.
func CheckOwners(slots []Slot) []string {
	var bad []string
	var epoch uint64
	for i, s := range slots {
		if !s.Counts {
			continue
		}
		switch {
		case s.Epoch < epoch:
			bad = append(bad, fmt.Sprintf("slot %d: a counted record of epoch %d after epoch %d", s.Slot, s.Epoch, epoch))
		case s.Epoch > epoch && i > 0 && s.Bytes != 0:
			bad = append(bad, fmt.Sprintf("slot %d: epoch %d starts with %d bytes of data, not a fence: its owner did not fence the log", s.Slot, s.Epoch, s.Bytes))
		}
		epoch = max(epoch, s.Epoch)
	}
	return bad
}
