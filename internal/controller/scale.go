package controller

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/braidstream/braid/internal/storage/segstore"
	"github.com/braidstream/braid/wire"
)

// MaxSplit bounds how many successors one split makes.
const MaxSplit = 16

// KeyRange is a half-open part [Low, High) of the key space [0,1).
type KeyRange struct {
	Low, High float64
}

func (s Segment) overlaps(o Segment) bool { return s.KeyLow < o.KeyHigh && o.KeyLow < s.KeyHigh }

// ErrScaleConflict: the segments to seal are no longer current (another
// scaling ran first).
var ErrScaleConflict = errors.New("scale conflict")

// Scale makes a new epoch of a stream: it seals the current segments seal
// and creates successors over ranges, which must exactly cover the sealed
// segments' key range, in order. Either one segment is split into 2 to
// MaxSplit ranges (no ranges: two halves), or two or more neighbouring
// segments merge into one range (no ranges: their union). Other segments
// carry over into the new epoch.
//
// The successors are created first, then the epoch is recorded, then the
// predecessors are sealed: a writer that finds its segment sealed always
// finds the successors in the stream record. Recover finishes the sealing
// after a crash.
func (c *Controller) Scale(ctx context.Context, scope, name string, seal []uint64, ranges []KeyRange) (*StreamRecord, error) {
	if err := wire.ValidateScopeName(scope); err != nil {
		return nil, invalid(err)
	}
	if err := wire.ValidateStreamName(name); err != nil {
		return nil, invalid(err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	rec, ver, err := c.get(ctx, scope, name)
	if err != nil {
		return nil, err
	}
	switch rec.State {
	case StateActive:
	case StateSealed:
		return nil, fmt.Errorf("%w: %s cannot scale", ErrStreamSealed, rec.Qualified())
	default:
		return nil, fmt.Errorf("%w: %s/%s", ErrStreamNotFound, scope, name)
	}
	next, err := planScale(rec, seal, ranges, c.now().UTC())
	if err != nil {
		return nil, err
	}
	if err := c.checkQuotaLocked(ctx, "scaling "+rec.Qualified(), 0, len(next.Segments)-len(rec.Current().Segments)); err != nil {
		return nil, err
	}
	created := next.Segments
	for _, s := range created {
		if wire.SegmentEpoch(s.ID) != next.Epoch {
			continue
		}
		err := c.segs.Create(ctx, SegmentName(scope, name, s.ID))
		if err != nil && !errors.Is(err, segstore.ErrExists) {
			return nil, fmt.Errorf("creating successors in %s: %w", rec.Qualified(), err)
		}
	}
	rec.Epochs = append(rec.Epochs, next)
	b, _ := json.Marshal(rec)
	if _, err := c.meta.Put(ctx, streamKey(scope, name), b, ver); err != nil {
		return nil, err
	}
	if err := c.sealRetiredLocked(ctx, rec); err != nil {
		return nil, err
	}
	c.log.Info("scaled stream", slog.String("stream", rec.Qualified()), slog.Any("sealed", hexIDs(seal)),
		slog.Int("epoch", int(next.Epoch)), slog.Int("segments", len(next.Segments)))
	return rec, nil
}

func hexIDs(ids []uint64) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = fmt.Sprintf("%016x", id)
	}
	return out
}

// planScale checks a scale request against rec and returns the new epoch.
func planScale(rec *StreamRecord, seal []uint64, ranges []KeyRange, now time.Time) (Epoch, error) {
	cur := rec.Current()
	if len(seal) == 0 {
		return Epoch{}, invalid(errors.New("a scale must name the segments to seal"))
	}
	var sealed []Segment
	for _, id := range seal {
		i := slices.IndexFunc(cur.Segments, func(s Segment) bool { return s.ID == id })
		if i < 0 {
			if _, ok := rec.FindSegment(id); ok {
				return Epoch{}, fmt.Errorf("%w: segment %016x of %s is already sealed (epoch %d is current)", ErrScaleConflict, id, rec.Qualified(), cur.Epoch)
			}
			return Epoch{}, invalid(fmt.Errorf("%s has no segment %016x", rec.Qualified(), id))
		}
		if slices.ContainsFunc(sealed, func(s Segment) bool { return s.ID == id }) {
			return Epoch{}, invalid(fmt.Errorf("segment %016x is named twice", id))
		}
		sealed = append(sealed, cur.Segments[i])
	}
	slices.SortFunc(sealed, func(a, b Segment) int { return cmpFloat(a.KeyLow, b.KeyLow) })
	for i := 1; i < len(sealed); i++ {
		if sealed[i].KeyLow != sealed[i-1].KeyHigh {
			return Epoch{}, invalid(fmt.Errorf("segments %016x and %016x are not neighbours: only neighbouring segments merge", sealed[i-1].ID, sealed[i].ID))
		}
	}
	low, high := sealed[0].KeyLow, sealed[len(sealed)-1].KeyHigh
	if len(ranges) == 0 {
		if len(sealed) == 1 {
			mid := low + (high-low)/2
			ranges = []KeyRange{{low, mid}, {mid, high}}
		} else {
			ranges = []KeyRange{{low, high}}
		}
	}
	switch {
	case len(sealed) == 1 && (len(ranges) < 2 || len(ranges) > MaxSplit):
		return Epoch{}, invalid(fmt.Errorf("a split makes 2 to %d segments, not %d", MaxSplit, len(ranges)))
	case len(sealed) > 1 && len(ranges) != 1:
		return Epoch{}, invalid(fmt.Errorf("a merge of %d segments makes one segment, not %d (split and merge are separate scalings)", len(sealed), len(ranges)))
	}
	if ranges[0].Low != low || ranges[len(ranges)-1].High != high {
		return Epoch{}, invalid(fmt.Errorf("the new ranges span [%g, %g); the sealed segments span [%g, %g)", ranges[0].Low, ranges[len(ranges)-1].High, low, high))
	}
	for i, r := range ranges {
		if !(r.Low < r.High) {
			return Epoch{}, invalid(fmt.Errorf("new range %d [%g, %g) is empty", i, r.Low, r.High))
		}
		if i > 0 && r.Low != ranges[i-1].High {
			return Epoch{}, invalid(fmt.Errorf("new ranges %d and %d leave a gap or overlap at %g/%g", i-1, i, ranges[i-1].High, r.Low))
		}
	}
	if n := len(cur.Segments) - len(sealed) + len(ranges); n > MaxSegments {
		return Epoch{}, invalid(fmt.Errorf("the scale would leave %d segments (max %d)", n, MaxSegments))
	}

	number := uint32(0)
	for _, e := range rec.Epochs {
		for _, s := range e.Segments {
			number = max(number, wire.SegmentNumber(s.ID)+1)
		}
	}
	next := Epoch{Epoch: cur.Epoch + 1, Created: now}
	for _, s := range cur.Segments {
		if !slices.ContainsFunc(sealed, func(x Segment) bool { return x.ID == s.ID }) {
			next.Segments = append(next.Segments, s)
		}
	}
	for _, r := range ranges {
		next.Segments = append(next.Segments, Segment{ID: wire.MakeSegmentID(next.Epoch, number), KeyLow: r.Low, KeyHigh: r.High})
		number++
	}
	slices.SortFunc(next.Segments, func(a, b Segment) int { return cmpFloat(a.KeyLow, b.KeyLow) })
	return next, nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// sealRetiredLocked seals every segment of rec that is not in its current
// epoch (idempotent).
func (c *Controller) sealRetiredLocked(ctx context.Context, rec *StreamRecord) error {
	if len(rec.Epochs) < 2 {
		return nil
	}
	cur := rec.Current()
	prev := rec.Epochs[len(rec.Epochs)-2]
	for _, s := range prev.Segments {
		if slices.ContainsFunc(cur.Segments, func(x Segment) bool { return x.ID == s.ID }) {
			continue
		}
		name := SegmentName(rec.Scope, rec.Name, s.ID)
		if info, err := c.segs.Info(ctx, name); err == nil && info.Sealed {
			continue
		}
		if _, err := c.segs.Seal(ctx, name); err != nil && !errors.Is(err, segstore.ErrNotFound) {
			return fmt.Errorf("sealing %016x of %s: %w", s.ID, rec.Qualified(), err)
		}
	}
	return nil
}

// epochSpan returns the first and last epoch index of rec that hold id
// (-1, -1 if none).
func (r *StreamRecord) epochSpan(id uint64) (first, last int) {
	first, last = -1, -1
	for i, e := range r.Epochs {
		if slices.ContainsFunc(e.Segments, func(s Segment) bool { return s.ID == id }) {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	return first, last
}

// Successors returns the segments that took over id's key range when it
// was sealed by a scale; none while it is current or if the stream was
// sealed with it.
func (r *StreamRecord) Successors(id uint64) []Segment {
	_, last := r.epochSpan(id)
	if last < 0 || last == len(r.Epochs)-1 {
		return nil
	}
	seg, _ := r.FindSegment(id)
	var out []Segment
	for _, s := range r.Epochs[last+1].Segments {
		if s.overlaps(seg) && !slices.ContainsFunc(r.Epochs[last].Segments, func(x Segment) bool { return x.ID == s.ID }) {
			out = append(out, s)
		}
	}
	return out
}

// Predecessors returns the segments whose key range id took over when it
// was created; none for the first epoch's segments.
func (r *StreamRecord) Predecessors(id uint64) []Segment {
	first, _ := r.epochSpan(id)
	if first <= 0 {
		return nil
	}
	seg, _ := r.FindSegment(id)
	var out []Segment
	for _, s := range r.Epochs[first-1].Segments {
		if s.overlaps(seg) && !slices.ContainsFunc(r.Epochs[first].Segments, func(x Segment) bool { return x.ID == s.ID }) {
			out = append(out, s)
		}
	}
	return out
}

// AllSegments returns every segment of every epoch once, in creation order.
func (r *StreamRecord) AllSegments() []Segment {
	var out []Segment
	seen := map[uint64]bool{}
	for _, e := range r.Epochs {
		for _, s := range e.Segments {
			if !seen[s.ID] {
				seen[s.ID] = true
				out = append(out, s)
			}
		}
	}
	return out
}
