// This file holds how the Writer follows a scale: a segment the server
// answers SEALED holds its unstored batches (holdLocked), the resolver
// looks up the stream's current segments, replaces the segment's pieces of
// the routing table with its successors', and moves the held events, in
// order, into the successors' open batches (moveLocked); a moved batch
// completes when the batches its events went to have. It builds on
// writer_batch.go's batches and is woken by writer_session.go's acks.

package braid

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/braidstream/braid/wire"
)

// holdLocked makes sg move: its pending batches, which its server did not
// store, leave the send queue and wait in held, and the resolver is told.
func (w *Writer) holdLocked(sg *wseg, err error) {
	sg.moving = true
	sg.sealedBy = err
	sg.held = append(sg.held, sg.pending...)
	clear(sg.pending)
	sg.pending = sg.pending[:0]
	sg.sent = 0
	keep := w.sendq[:0]
	for _, b := range w.sendq {
		if b.seg != sg {
			keep = append(keep, b)
		}
	}
	clear(w.sendq[len(keep):])
	w.sendq = keep
	w.resolveq = append(w.resolveq, sg)
	if w.opts.streamFirst > 0 && !w.frozen {
		// Numbers across the stream: nothing more is written until
		// the held events have moved (see settleMoving).
		w.frozen = true
		w.thaw = make(chan struct{})
	}
	select {
	case w.resolveWake <- struct{}{}:
	default:
	}
}

// settleMoving waits, for a writer with numbers across the stream, until
// every batch sent to a segment not moving has been answered, so that every
// segment the scale sealed under the writer is among the moving ones; it
// returns segs with those held meanwhile, or nil if the writer stops.
// Their events then move together, in the order of their numbers: the
// successors of a merge get each segment's events interleaved as written,
// and the store sees the writer's numbers increase.
func (w *Writer) settleMoving(base context.Context, segs []*wseg) []*wseg {
	for {
		w.mu.Lock()
		segs = append(segs, w.resolveq...)
		w.resolveq = nil
		ready := true
		for _, sg := range w.segs {
			if !sg.moving && len(sg.pending) > 0 {
				ready = false
			}
		}
		w.mu.Unlock()
		if ready {
			return segs
		}
		select {
		case <-w.answered:
		case <-w.stop:
			return nil
		case <-base.Done():
			return nil
		}
	}
}

// resolve is the resolver: it looks up where the events of moving segments
// go, and moves them there (see resolveLocked). The Writer owns it (wg).
func (w *Writer) resolve(base context.Context) {
	defer w.wg.Done()
	for {
		select {
		case <-w.resolveWake:
		case <-w.stop:
			return
		case <-base.Done():
			return
		}
		for {
			w.mu.Lock()
			segs := w.resolveq
			w.resolveq = nil
			w.mu.Unlock()
			if len(segs) == 0 {
				break
			}
			if w.opts.streamFirst > 0 {
				if segs = w.settleMoving(base, segs); segs == nil {
					return // Close fails what is held.
				}
			}
			// Each of segs was found sealed before this lookup started;
			// a scale records its epoch before sealing, so the answer
			// names the successors.
			info, err, gaveUp := w.currentStream(base)
			if errors.Is(err, errStopped) {
				return // Close fails what is held.
			}
			w.mu.Lock()
			if gaveUp {
				// The lookup kept failing for the retry timeout: the
				// writer gives up, as when appends keep failing.
				if w.broken == nil {
					w.broken = err
				}
				w.failAllLocked(w.broken)
			} else if w.opts.streamFirst > 0 {
				if !w.retireLocked(&segs, info, err) {
					// One of them has batches to answer first.
					w.resolveq = append(segs, w.resolveq...)
					w.mu.Unlock()
					continue
				}
				segs = append(segs, w.resolveq...)
				w.resolveq = nil
				w.resolveAllLocked(segs, info, err)
				w.thawLocked()
			} else {
				for _, sg := range segs {
					w.resolveLocked(sg, info, err)
				}
			}
			w.mu.Unlock()
			select {
			case w.wake <- struct{}{}:
			default:
			}
		}
	}
}

// currentStream gets the stream's description, retrying transient errors
// with backoff for up to the retry timeout; then it returns the give-up
// error, and gaveUp set. It returns errStopped when the writer closes.
func (w *Writer) currentStream(base context.Context) (_ StreamInfo, _ error, gaveUp bool) {
	giveUpAt := time.Now().Add(w.opts.retryTimeout)
	var bo retryPause
	var last error
	for {
		ctx, cancel := context.WithDeadline(base, giveUpAt)
		info, err := w.client.GetStream(ctx, w.stream)
		cancel()
		if err == nil {
			return info, nil, false
		}
		if base.Err() != nil {
			return StreamInfo{}, errStopped, false
		}
		switch code := codeOf(err); {
		case code == wire.CodeDeadlineExceeded || code == wire.CodeCanceled:
			// The give-up time passed during the call; keep the
			// error from before.
		case retryable(code):
			last = err
		default:
			// The stream is gone (NOT_FOUND), or the lookup is
			// refused: the segment's events fail with it.
			return StreamInfo{}, err, false
		}
		if !time.Now().Before(giveUpAt) {
			return StreamInfo{}, w.gaveUpError(last), true
		}
		if err := bo.wait(base, w.stop); err != nil {
			return StreamInfo{}, errStopped, false
		}
	}
}

// resolveLocked settles moving segment sg with the stream's description
// (or the error that looking it up ended with). If the stream is gone or
// sealed, or sg is still current (its stream is being sealed), sg's events
// fail and so do later writes to its keys. Otherwise its pieces go to the
// current segments they overlap, and its held events, oldest first, move
// to the open batches of the segments their keys now route to: later
// writes of a key come after them. An event written without a key goes to
// those segments in turn.
func (w *Writer) resolveLocked(sg *wseg, info StreamInfo, lookupErr error) {
	held, to, ok := w.rerouteLocked(sg, info, lookupErr)
	if !ok {
		return
	}
	for _, b := range held {
		w.moveLocked(b, to)
	}
}

// retireLocked adds to segs, as moving, every segment the writer still
// routes to that the stream's description (info) shows sealed, so that their
// events move with those of segs (WithStreamNumbers): a successor of a merge
// must get the events of all its predecessors in number order, also those of
// a predecessor the writer has not found sealed yet, or that a resolve which
// skipped a generation (a split, then a merge) would leave in use. It
// reports false, changing nothing, if such a segment still has batches
// unanswered: they are answered first (settleMoving).
func (w *Writer) retireLocked(segs *[]*wseg, info StreamInfo, lookupErr error) bool {
	if lookupErr != nil {
		return true
	}
	current := map[uint64]bool{}
	for _, c := range info.Current {
		current[c.ID] = true
	}
	var retire []*wseg
	for _, sg := range w.segs {
		if sg.moving || sg.dead != nil || current[sg.id] {
			continue
		}
		if len(sg.pending) > 0 {
			return false
		}
		retire = append(retire, sg)
	}
	for _, sg := range retire {
		sg.moving = true
		sg.sealedBy = newError(wire.CodeSealed, fmt.Sprintf("write to %s: segment %016x was sealed", w.stream, sg.id))
		*segs = append(*segs, sg)
	}
	return true
}

// resolveAllLocked settles moving segments together (WithStreamNumbers): as
// resolveLocked, but their held events move in the order of their numbers,
// so that a successor of several of them (a merge) gets each writer's
// numbers in increasing order.
func (w *Writer) resolveAllLocked(segs []*wseg, info StreamInfo, lookupErr error) {
	type ev struct {
		b  *batch
		i  int
		to func(float64) *wseg
	}
	var evs []ev
	var batches []*batch
	for _, sg := range segs {
		held, to, ok := w.rerouteLocked(sg, info, lookupErr)
		if !ok {
			continue
		}
		for _, b := range held {
			batches = append(batches, b)
			for i := range b.offs {
				evs = append(evs, ev{b, i, to})
			}
		}
	}
	slices.SortStableFunc(evs, func(x, y ev) int { return cmp.Compare(x.b.nums[x.i], y.b.nums[y.i]) })
	for _, b := range batches {
		b.moved = make([]Ack, len(b.offs))
	}
	for _, e := range evs {
		w.moveEventLocked(e.b, e.i, e.to)
	}
	for _, b := range batches {
		w.movedLocked(b)
	}
}

// rerouteLocked replaces moving segment sg's pieces of the routing table by
// the current segments that cover them, and returns its held events' batches
// (oldest first) and where each point now goes; ok is false when sg failed
// instead (see resolveLocked).
func (w *Writer) rerouteLocked(sg *wseg, info StreamInfo, lookupErr error) (held []*batch, to func(float64) *wseg, ok bool) {
	if !sg.moving {
		return nil, nil, false // failed meanwhile (the writer gave up or closed)
	}
	fail := lookupErr
	if fail == nil && info.Sealed {
		fail = sg.sealedBy
	}
	cur := slices.Clone(info.Current)
	slices.SortFunc(cur, func(a, b SegmentStatus) int { return cmp.Compare(a.KeyLow, b.KeyLow) })
	if fail == nil {
		for _, c := range cur {
			if c.ID == sg.id {
				fail = sg.sealedBy
			}
		}
	}
	// The pieces that replace sg's.
	var repl []piece
	if fail == nil {
		for _, p := range w.pieces {
			if p.seg != sg {
				continue
			}
			for _, c := range cur {
				lo, hi := max(p.low, c.KeyLow), min(p.high, c.KeyHigh)
				if lo < hi {
					repl = append(repl, piece{low: lo, high: hi, seg: w.segLocked(c.ID)})
				}
			}
		}
		if len(repl) == 0 {
			fail = newError(wire.CodeInternal, fmt.Sprintf("write to %s: segment %016x is sealed, and no current segment covers its keys", w.stream, sg.id))
		}
	}
	if fail != nil {
		sg.dead = fail
		w.failSegmentLocked(sg, fail)
		return nil, nil, false
	}

	// The new routing table: sg's pieces replaced, neighbours of one
	// segment joined.
	pieces := make([]piece, 0, len(w.pieces)+len(repl))
	for _, p := range w.pieces {
		if p.seg != sg {
			pieces = append(pieces, p)
		}
	}
	pieces = append(pieces, repl...)
	slices.SortFunc(pieces, func(a, b piece) int { return cmp.Compare(a.low, b.low) })
	joined := pieces[:1]
	for _, p := range pieces[1:] {
		if last := &joined[len(joined)-1]; last.seg == p.seg && last.high == p.low {
			last.high = p.high
			continue
		}
		joined = append(joined, p)
	}
	w.pieces = joined

	// Move the held events, in order.
	var keyless []*wseg
	for _, p := range repl {
		if !slices.Contains(keyless, p.seg) {
			keyless = append(keyless, p.seg)
		}
	}
	rr := 0
	held = sg.held
	if sg.open != nil {
		held = append(held, sg.open)
	}
	sg.held, sg.open, sg.moving = nil, nil, false
	// sg is done with: only byID keeps it, for late acks.
	w.segs = slices.DeleteFunc(w.segs, func(s *wseg) bool { return s == sg })
	return held, func(point float64) *wseg {
		if point == noKey {
			rr++
			return keyless[(rr-1)%len(keyless)]
		}
		return w.route(point)
	}, true
}

// moveLocked appends b's events, in order, to the open batches of the
// segments to returns for their routing points, and records in b where
// each went. b completes when all of them are done; its bytes count in the
// new batches instead.
func (w *Writer) moveLocked(b *batch, to func(point float64) *wseg) {
	b.moved = make([]Ack, len(b.offs))
	for i := range b.offs {
		w.moveEventLocked(b, i, to)
	}
	w.movedLocked(b)
}

// moveEventLocked moves event i of b (see moveLocked).
func (w *Writer) moveEventLocked(b *batch, i int, to func(point float64) *wseg) {
	start := b.offs[i]
	end := uint32(len(b.buf))
	if i+1 < len(b.offs) {
		end = b.offs[i+1]
	}
	frame := b.buf[start:end]
	point := b.points[i]
	sg := to(point)
	if err := sg.dead; err != nil {
		b.moved[i] = failedAck(err)
		if w.unreported == nil {
			w.unreported = err
		}
		return
	}
	t, _ := w.slotLocked(sg, len(frame))
	idx := len(t.offs)
	t.offs = append(t.offs, uint32(len(t.buf)))
	t.points = append(t.points, point)
	if b.nums != nil {
		t.nums = append(t.nums, b.nums[i])
	}
	t.buf = append(t.buf, frame...)
	w.inflight += int64(len(frame))
	if n := len(t.deps); n == 0 || t.deps[n-1] != b {
		t.deps = append(t.deps, b)
		b.waiting++
	}
	b.moved[i] = Ack{b: t, idx: idx}
	w.filledLocked(sg, t)
}

// movedLocked ends the move of b, all of whose events moved: its bytes count
// in the new batches instead, and it completes when they are done.
func (w *Writer) movedLocked(b *batch) {
	size := b.size
	if size == 0 {
		size = len(b.buf) // never sealed
	}
	w.inflight -= int64(size)
	if b.sends == 0 && b.buf != nil {
		// Never handed to gRPC: the buffer can be reused.
		w.recycleLocked(b.buf)
	}
	b.buf = nil
	if w.space != nil {
		// Events that failed here released their bytes.
		close(w.space)
		w.space = nil
	}
	if b.waiting == 0 {
		w.finishMovedLocked(b)
	}
}

// depsDoneLocked tells the moved batches with events in b that b is done.
func (w *Writer) depsDoneLocked(b *batch) {
	deps := b.deps
	b.deps = nil
	for _, d := range deps {
		d.waiting--
		if d.waiting == 0 {
			w.finishMovedLocked(d)
		}
	}
}

// finishMovedLocked completes a moved batch whose events are all done
// where they went. Its bytes were released when it moved.
func (w *Writer) finishMovedLocked(b *batch) {
	b.completed = true
	close(b.done)
	w.depsDoneLocked(b)
}
