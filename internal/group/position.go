package group

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strings"

	"github.com/braidstream/braid/internal/controller"
	"github.com/braidstream/braid/internal/storage/segstore"
	"github.com/braidstream/braid/wire"
)

// Positions a group stores (commits, releases, finishes, leaves, start and
// end cuts) are checked against the segment store first, so that the group
// never holds a position its next reader cannot read from:
//
//   - at or below the segment's truncation start: accepted (the data is
//     gone; the segment is handed out at its start);
//   - above its length (tail): refused, wrapping segstore.ErrOffsetOutOfRange
//     (OUT_OF_RANGE);
//   - at its length: accepted;
//   - in between: accepted only where an event starts (the store reads one
//     whole, CRC-checked event there), else refused wrapping
//     segstore.ErrNotEventBoundary (INVALID_ARGUMENT).
//
// Only positions that would move the group are checked: a commit equal to
// the stored offset (what the server handed out or stored before) costs
// nothing, so a reader's periodic commits cost one store look-up per segment
// that moved.

// ErrBadPosition wraps a refused reader position; errors.Is also matches
// the store's reason (segstore.ErrOffsetOutOfRange,
// segstore.ErrNotEventBoundary) or controller.ErrInvalidArgument.
var ErrBadPosition = errors.New("bad reader group position")

// HitCommit is the limits.Hits label of a refused reader position.
const HitCommit = "group-commit"

func segmentName(k segKey) string {
	scope, name, _ := strings.Cut(k.Stream, "/")
	return controller.SegmentName(scope, name, k.ID)
}

// segmentRef names a segment in messages: "scope/stream/<id>".
func segmentRef(k segKey) string { return fmt.Sprintf("%s/%016x", k.Stream, k.ID) }

// checkPosition reports whether off is a position of segment k a reader
// can read on from (see the rules above). It returns the segment's state
// for callers with more to check.
func (m *Manager) checkPosition(ctx context.Context, k segKey, off int64) (segstore.Info, error) {
	name := segmentName(k)
	info, err := m.segs.Info(ctx, name)
	if err != nil {
		return info, err
	}
	switch {
	case off < 0:
		return info, fmt.Errorf("%w: %w: offset %d of segment %s is negative (the segment has %d bytes)",
			ErrBadPosition, controller.ErrInvalidArgument, off, segmentRef(k), info.Length)
	case off > info.Length:
		return info, fmt.Errorf("%w: %w: offset %d of segment %s is past its tail (the segment has %d bytes)",
			ErrBadPosition, segstore.ErrOffsetOutOfRange, off, segmentRef(k), info.Length)
	case off <= info.Start || off == info.Length:
		return info, nil
	}
	if _, err := m.segs.Read(ctx, name, off, 1, false); err != nil {
		switch {
		case errors.Is(err, segstore.ErrNotEventBoundary):
			return info, fmt.Errorf("%w: %w: offset %d of segment %s (the segment has %d bytes)",
				ErrBadPosition, segstore.ErrNotEventBoundary, off, segmentRef(k), info.Length)
		case errors.Is(err, segstore.ErrTruncated):
			return info, nil // truncated meanwhile: at or below the start now
		}
		return info, err
	}
	return info, nil
}

// posCheck is one position of a reader's message to check.
type posCheck struct {
	Pos
	// finish: the reader says the segment ends there; end is the group's
	// end offset in it (-1: none).
	finish bool
	end    int64
}

// checkPositions checks a reader's positions; the error names the reader,
// the group and the first bad position, and counts as a limit hit.
func (g *group) checkPositions(ctx context.Context, reader, what string, ps []posCheck) error {
	for _, p := range ps {
		info, err := g.m.checkPosition(ctx, p.key(), p.Offset)
		if err == nil && p.finish && !(p.end >= 0 && p.Offset >= p.end) && !(info.Sealed && p.Offset == info.Length) {
			err = fmt.Errorf("%w: %w: segment %s does not end at offset %d (the segment has %d bytes, sealed %v, end offset %d)",
				ErrBadPosition, controller.ErrInvalidArgument, segmentRef(p.key()), p.Offset, info.Length, info.Sealed, p.end)
		}
		if err != nil {
			if errors.Is(err, ErrBadPosition) {
				g.m.hits.Hit(HitCommit)
				g.m.log.Warn("reader group position refused", slog.String("group", g.name), slog.String("reader", reader),
					slog.String("what", what), slog.Any("error", err))
			}
			return fmt.Errorf("reader %s of group %s: %s refused, the group stays where it was: %w", reader, g.name, what, err)
		}
	}
	return nil
}

// checkCut checks the offsets of a start or end cut of a stream. An end
// offset past the tail is allowed (the group waits for the data).
func (m *Manager) checkCut(ctx context.Context, stream string, cut map[uint64]int64, end bool) error {
	for id, off := range cut {
		info, err := m.checkPosition(ctx, segKey{stream, id}, off)
		if end && errors.Is(err, segstore.ErrOffsetOutOfRange) && off > info.Length {
			continue
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// fitLocked moves an active segment's position into the segment before it
// is handed out: to the truncation start if the data before is gone, to the
// tail if the segment is shorter than the position (data lost in a crash
// with syncing off, or a record of an older build). It reports whether the
// position moved.
func (g *group) fitLocked(ctx context.Context, a *activeSeg) bool {
	info, err := g.m.segs.Info(ctx, segmentName(a.segKey))
	if err != nil {
		return false // the reader's read reports it
	}
	to := min(max(a.Offset, info.Start), info.Length)
	if to == a.Offset {
		return false
	}
	why := "the segment is truncated before it"
	if a.Offset > info.Length {
		why = "past the segment's tail"
	}
	g.m.log.Warn("reader group position moved", slog.String("group", g.name), slog.String("segment", segmentRef(a.segKey)),
		slog.Int64("from", a.Offset), slog.Int64("to", to), slog.String("why", why))
	a.Offset = to
	return true
}

// repair moves stored positions that no reader could read from (written
// by a build that did not check commits) to the nearest readable position
// at or before them: the tail for a position past it, the event boundary
// before a position inside an event; and a position before the segment's
// truncation start to that start. It reports whether anything moved.
// Store errors leave a position as it is (the reader's read reports them).
func (m *Manager) repair(ctx context.Context, rec *record) bool {
	moved := false
	for _, a := range rec.Active {
		info, err := m.checkPosition(ctx, a.segKey, a.Offset)
		var to int64
		switch {
		case err == nil && a.Offset < info.Start:
			to = info.Start // the data before is gone
		case err == nil:
			continue
		case errors.Is(err, segstore.ErrOffsetOutOfRange):
			to = info.Length
		case errors.Is(err, segstore.ErrNotEventBoundary):
			b, serr := m.boundaryBefore(ctx, segmentName(a.segKey), info.Start, a.Offset)
			if serr != nil {
				m.log.Error("reader group: cannot find the event boundary before a stored position", slog.String("group", rec.qualified()),
					slog.String("segment", segmentRef(a.segKey)), slog.Int64("offset", a.Offset), slog.Any("error", serr))
				continue
			}
			to = b
		case errors.Is(err, controller.ErrInvalidArgument): // negative
			to = info.Start
		default:
			continue
		}
		m.log.Warn("reader group: stored position is not readable, moved", slog.String("group", rec.qualified()),
			slog.String("segment", segmentRef(a.segKey)), slog.Int64("from", a.Offset), slog.Int64("to", to), slog.Any("error", err))
		a.Offset = to
		moved = true
	}
	return moved
}

// boundaryBefore returns the last event boundary at or before off,
// reading the segment's events from from (a boundary).
func (m *Manager) boundaryBefore(ctx context.Context, name string, from, off int64) (int64, error) {
	pos := from
	for pos < off {
		res, err := m.segs.Read(ctx, name, pos, 1<<20, false)
		if err != nil {
			return 0, err
		}
		if len(res.Data) == 0 {
			return pos, nil
		}
		for n := 0; n < len(res.Data); {
			_, size, err := wire.DecodeFrame(res.Data[n:], math.MaxInt32)
			if err != nil {
				return 0, fmt.Errorf("segment %s at offset %d: %w", name, pos+int64(n), err)
			}
			if pos+int64(n+size) > off {
				return pos + int64(n), nil
			}
			n += size
		}
		pos += int64(len(res.Data))
	}
	return pos, nil
}
