package controller

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/braidstream/braid/wire"
)

// TailCut returns the stream's tail: every current segment at its length.
func (c *Controller) TailCut(ctx context.Context, rec *StreamRecord) (map[uint64]int64, error) {
	cut := map[uint64]int64{}
	for _, s := range rec.Current().Segments {
		info, err := c.segs.Info(ctx, SegmentName(rec.Scope, rec.Name, s.ID))
		if err != nil {
			return nil, err
		}
		cut[s.ID] = info.Length
	}
	return cut, nil
}

// HeadCut returns the stream's head: for every part of the key space, the
// oldest segment that still holds readable data (or is current), at its
// start. A sealed segment whose data was all truncated (or that never held
// any) gives way to its successors once all their predecessors did.
func (c *Controller) HeadCut(ctx context.Context, rec *StreamRecord) (map[uint64]int64, error) {
	type state struct {
		start    int64
		consumed bool
	}
	states := map[uint64]state{}
	info := func(id uint64) (state, error) {
		if st, ok := states[id]; ok {
			return st, nil
		}
		in, err := c.segs.Info(ctx, SegmentName(rec.Scope, rec.Name, id))
		if err != nil {
			return state{}, err
		}
		st := state{start: in.Start, consumed: in.Sealed && in.Start == in.Length}
		states[id] = st
		return st, nil
	}
	set := map[uint64]bool{}
	for _, s := range rec.Epochs[0].Segments {
		set[s.ID] = true
	}
	for {
		// Which successors can move in, judged on the set as it is;
		// then they all do (a split's successors share a predecessor).
		var ready []Segment
		for _, id := range slices.Sorted(maps.Keys(set)) {
			st, err := info(id)
			if err != nil {
				return nil, err
			}
			if !st.consumed {
				continue
			}
			for _, succ := range rec.Successors(id) {
				if set[succ.ID] || slices.ContainsFunc(ready, func(r Segment) bool { return r.ID == succ.ID }) {
					continue
				}
				ok := true
				for _, p := range rec.Predecessors(succ.ID) {
					pst, err := info(p.ID)
					if err != nil {
						return nil, err
					}
					if !set[p.ID] || !pst.consumed {
						ok = false
						break
					}
				}
				if ok {
					ready = append(ready, succ)
				}
			}
		}
		if len(ready) == 0 {
			break
		}
		for _, succ := range ready {
			for _, p := range rec.Predecessors(succ.ID) {
				delete(set, p.ID)
			}
		}
		for _, succ := range ready {
			set[succ.ID] = true
		}
	}
	cut := make(map[uint64]int64, len(set))
	for id := range set {
		st, err := info(id)
		if err != nil {
			return nil, err
		}
		cut[id] = st.start
	}
	return cut, nil
}

// CheckCut reports whether cut is a consistent stream cut of rec: its
// segments belong to the stream and cover the key space [0,1) exactly once,
// and no offset is negative. (Offsets at event boundaries are the segment
// store's to check.)
func CheckCut(rec *StreamRecord, cut map[uint64]int64) error {
	segs := make([]Segment, 0, len(cut))
	for id, off := range cut {
		s, ok := rec.FindSegment(id)
		if !ok {
			return invalid(fmt.Errorf("the cut names segment %016x, which %s does not have", id, rec.Qualified()))
		}
		if off < 0 {
			return invalid(fmt.Errorf("negative offset %d for segment %016x", off, id))
		}
		segs = append(segs, s)
	}
	slices.SortFunc(segs, func(a, b Segment) int { return cmpFloat(a.KeyLow, b.KeyLow) })
	at := 0.0
	for _, s := range segs {
		switch {
		case s.KeyLow > at:
			return invalid(fmt.Errorf("the cut leaves keys [%g, %g) of %s uncovered: a cut must cover the whole key space", at, s.KeyLow, rec.Qualified()))
		case s.KeyLow < at:
			return invalid(fmt.Errorf("segment %016x overlaps another segment of the cut at key %g: a cut covers each key once", s.ID, s.KeyLow))
		}
		at = s.KeyHigh
	}
	if at != 1 {
		return invalid(fmt.Errorf("the cut leaves keys [%g, 1) of %s uncovered: a cut must cover the whole key space", at, rec.Qualified()))
	}
	return nil
}

// Before returns the segments of rec that lie wholly before cut: those
// that overlap a segment of the cut and were created in an earlier epoch.
func Before(rec *StreamRecord, cut map[uint64]int64) []Segment {
	var out []Segment
	for _, s := range rec.AllSegments() {
		if _, in := cut[s.ID]; in {
			continue
		}
		for id := range cut {
			c, _ := rec.FindSegment(id)
			if c.overlaps(s) && wire.SegmentEpoch(s.ID) < wire.SegmentEpoch(c.ID) {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

// SegmentTimes is the time index of the segment store (TimeCut).
type SegmentTimes interface {
	OffsetAtTime(ctx context.Context, name string, t int64) (int64, error)
}

// TimeCut returns the stream cut at time t (Unix nanoseconds): in each
// segment of the epoch current at t, the first event appended at or after
// t (the segment's end if none was). Where the stream's head is past that
// epoch, or past those offsets, the head's segments and offsets are taken
// instead; before the stream's first epoch, it is the head.
func (c *Controller) TimeCut(ctx context.Context, rec *StreamRecord, t int64) (map[uint64]int64, error) {
	ti, ok := c.segs.(SegmentTimes)
	if !ok {
		return nil, fmt.Errorf("%w: this store keeps no time index", ErrInvalidArgument)
	}
	head, err := c.HeadCut(ctx, rec)
	if err != nil {
		return nil, err
	}
	ep := -1
	for i, e := range rec.Epochs {
		if !e.Created.IsZero() && e.Created.UnixNano() <= t {
			ep = i
		}
	}
	if ep < 0 {
		return head, nil
	}
	epoch := rec.Epochs[ep]
	out := map[uint64]int64{}
	// Head segments of later epochs: the head is past t there.
	for id, off := range head {
		if wire.SegmentEpoch(id) > epoch.Epoch {
			out[id] = off
		}
	}
	for _, s := range epoch.Segments {
		passed := false
		for id := range out {
			if h, ok := rec.FindSegment(id); ok && h.KeyLow < s.KeyHigh && s.KeyLow < h.KeyHigh {
				passed = true
				break
			}
		}
		if passed {
			continue
		}
		off, err := ti.OffsetAtTime(ctx, SegmentName(rec.Scope, rec.Name, s.ID), t)
		if err != nil {
			return nil, err
		}
		if h, ok := head[s.ID]; ok && h > off {
			off = h
		}
		out[s.ID] = off
	}
	return out, nil
}
