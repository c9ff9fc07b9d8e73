package httpapi

import (
	"context"
	"errors"
	"fmt"
	"github.com/braidstream/braid/internal/limits"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"time"
	"unsafe"

	"github.com/braidstream/braid/internal/autoscale"
	"github.com/braidstream/braid/internal/controller"
	"github.com/braidstream/braid/internal/storage/segstore"
	"github.com/braidstream/braid/wire"
)

// Ingester appends the events of HTTP requests straight to the segment
// store: it routes each event by its key to the stream's current segment,
// gathers a segment's events into batches, and keeps several batches in
// flight. When a segment turns out sealed (the stream scaled), it moves
// the segment's unstored events, in order, to the segments that now own
// their keys, before any later event: per-key order holds across scaling.
//
// A request with a writer id and event numbers is idempotent: event i of
// the request has number first+i, every batch carries its events' numbers
// to the store, and before appending an event the session asks the store
// for the last number it holds from that writer on the segments the
// event's key ever mapped to. An event at or below that number was stored
// by an earlier attempt and is answered as a duplicate instead.
type Ingester struct {
	ctrl  *controller.Controller
	store *segstore.Store
	load  *autoscale.Recorder
	hits  *limits.Hits
	log   *slog.Logger
	// batchBytes and inflightBytes bound a batch and what a session has
	// in flight (ibatch.cost: bytes and bookkeeping); a batch not full after linger is sent as it is, so
	// that a slow upload's events do not wait for more.
	batchBytes    int
	inflightBytes int
	linger        time.Duration

	// writers holds the idempotent sessions open, by scope/stream/writer:
	// a second session of a writer waits for the first to end, so that it
	// asks the store for the writer's last numbers after every append of
	// the first was answered (a client may retry before the server has
	// noticed that the first attempt's connection broke).
	mu      sync.Mutex
	writers map[string]chan struct{}
}

// NewIngester makes an Ingester; load (may be nil) counts appends for the
// auto-scaler, hits (may be nil) the limits clients meet.
func NewIngester(ctrl *controller.Controller, store *segstore.Store, load *autoscale.Recorder, hits *limits.Hits, log *slog.Logger) *Ingester {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Ingester{ctrl: ctrl, store: store, load: load, hits: hits, log: log,
		batchBytes: 4 << 20, inflightBytes: 32 << 20, linger: 10 * time.Millisecond,
		writers: map[string]chan struct{}{}}
}

// appendResult is the outcome of one event.
type appendResult struct {
	// Pointer is where the event is stored; its Length is 0 for a
	// duplicate whose position the store no longer remembers.
	Pointer   wire.EventPointer
	Duplicate bool
}

// sessionConfig configures one request's appends.
type sessionConfig struct {
	Scope, Stream string
	// Writer and FirstEvent make the session idempotent (Writer "" for
	// none): event i gets number FirstEvent+i.
	Writer     string
	FirstEvent int64
	// MaxEvent bounds one payload.
	MaxEvent int
	// OnAck is called once per event with its outcome, in no particular
	// order, serialized, from the store's goroutines: it must not block.
	OnAck func(index int64, r appendResult)
}

// session appends the events of one request. Add and Close are called
// from one goroutine; acknowledgements arrive on others, and the session's
// lingerer sends batches that wait too long.
type session struct {
	in *Ingester
	// prod guards what the producing side uses (routes, segments, open
	// batches, lastOf): Add and the lingerer. It is taken before mu.
	prod       sync.Mutex
	stopLinger chan struct{}
	lingerDone chan struct{}
	release    func() // ends the writer's claim (Ingester.claim)

	ctx     context.Context
	cfg     sessionConfig
	keyless float64 // the point events without a key go to

	rec    *controller.StreamRecord
	all    []controller.Segment // every segment of every epoch (lastFor)
	routes []isegRange          // the current epoch, by key range
	segs   map[uint64]*iseg
	next   int64 // index of the next event

	lastOf     map[uint64]int64 // writer's last stored number per segment
	cachePoint float64          // lastFor's one-entry cache
	cacheLast  int64
	cacheOK    bool

	mu       sync.Mutex
	drained  *sync.Cond // signaled when an append completes
	inflight int        // cost of the batches sent and not yet answered
	sealed   []*ibatch  // batches the store refused as SEALED
	err      error      // the first failure; the session stops
}

type isegRange struct {
	low, high float64
	seg       *iseg
}

// iseg is one segment as a session sees it.
type iseg struct {
	id   uint64
	name string
	open *ibatch
	// The last batch sent: its size and event count size the next one.
	lastSize, lastCount int
}

// minBatchCap is the least capacity a batch starts with.
const minBatchCap = 64 << 10

// ibatch is a run of framed events for one segment.
type ibatch struct {
	seg    *iseg
	opened time.Time
	buf    []byte
	evs    []ievent
}

type ievent struct {
	idx   int64
	num   int64 // event number (idempotent sessions)
	point float64
	off   int // where its frame starts in buf
}

// ieventSize is what one ievent costs a batch.
const ieventSize = int(unsafe.Sizeof(ievent{}))

// cost is what a batch in flight holds: its framed bytes and its events'
// bookkeeping, which for small events is larger than the events (32 bytes
// for an empty event's 8), so that the in-flight bound holds for both.
func (b *ibatch) cost() int { return len(b.buf) + len(b.evs)*ieventSize }

// open starts a session on a stream. The caller must end it with Close
// or abort.
func (in *Ingester) open(ctx context.Context, cfg sessionConfig) (*session, error) {
	release, err := in.claim(ctx, cfg)
	if err != nil {
		return nil, err
	}
	rec, err := in.ctrl.GetStream(ctx, cfg.Scope, cfg.Stream)
	if err == nil && rec.State == controller.StateSealed {
		err = fmt.Errorf("%w: %s", controller.ErrStreamSealed, rec.Qualified())
	}
	if err != nil {
		release()
		return nil, err
	}
	s := &session{in: in, ctx: ctx, cfg: cfg, segs: map[uint64]*iseg{}, lastOf: map[uint64]int64{}, release: release}
	s.drained = sync.NewCond(&s.mu)
	// Events without a key keep the request's order: they all go to one
	// point, random per request, or derived from the writer id so that a
	// retry sends them where the first attempt did.
	s.keyless = rand.Float64()
	if cfg.Writer != "" {
		s.keyless = wire.KeyPoint("\x00" + cfg.Writer)
	}
	s.setRoutes(rec)
	if cfg.Writer != "" {
		if err := s.checkFirstEvent(); err != nil {
			in.hits.Hit("event-number-gap")
			release()
			return nil, err
		}
	}
	s.stopLinger, s.lingerDone = make(chan struct{}), make(chan struct{})
	go s.lingerer()
	return s, nil
}

// claim waits until no other session of cfg's writer is open, and marks
// one open; release unmarks it. Sessions without a writer claim nothing.
func (in *Ingester) claim(ctx context.Context, cfg sessionConfig) (release func(), err error) {
	if cfg.Writer == "" {
		return func() {}, nil
	}
	key := cfg.Scope + "/" + cfg.Stream + "/" + cfg.Writer
	for {
		in.mu.Lock()
		busy, ok := in.writers[key]
		if !ok {
			done := make(chan struct{})
			in.writers[key] = done
			in.mu.Unlock()
			return sync.OnceFunc(func() {
				in.mu.Lock()
				delete(in.writers, key)
				in.mu.Unlock()
				close(done)
			}), nil
		}
		in.mu.Unlock()
		select {
		case <-busy:
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for an earlier request of writer %q on %s/%s to end: %w", cfg.Writer, cfg.Scope, cfg.Stream, ctx.Err())
		}
	}
}

// lingerer sends batches that stayed open longer than the linger time,
// and moves events the store refused, while the request's body is slow to
// come. Close and abort stop it.
func (s *session) lingerer() {
	defer close(s.lingerDone)
	t := time.NewTicker(s.in.linger)
	defer t.Stop()
	for {
		select {
		case <-s.stopLinger:
			return
		case now := <-t.C:
			s.prod.Lock()
			err := s.settle(false)
			for _, sg := range s.segs {
				if err == nil && sg.open != nil && now.Sub(sg.open.opened) >= s.in.linger {
					err = s.send(sg.open)
				}
			}
			s.prod.Unlock()
			if err != nil {
				return // Add and Close see it too
			}
		}
	}
}

// stop ends the lingerer; the caller then has the session to itself.
func (s *session) stop() {
	select {
	case <-s.stopLinger:
	default:
		close(s.stopLinger)
	}
	<-s.lingerDone
}

// wait waits until the store answered every batch in flight.
func (s *session) wait() {
	s.mu.Lock()
	for s.inflight > 0 {
		s.drained.Wait()
	}
	s.mu.Unlock()
}

// setRoutes routes by rec's current epoch.
func (s *session) setRoutes(rec *controller.StreamRecord) {
	s.rec = rec
	s.all = rec.AllSegments()
	s.routes = s.routes[:0]
	for _, sg := range rec.Current().Segments {
		is := s.segs[sg.ID]
		if is == nil {
			is = &iseg{id: sg.ID, name: controller.SegmentName(rec.Scope, rec.Name, sg.ID)}
			s.segs[sg.ID] = is
		}
		s.routes = append(s.routes, isegRange{low: sg.KeyLow, high: sg.KeyHigh, seg: is})
	}
	s.cacheOK = false
}

func (s *session) route(point float64) *iseg {
	for _, r := range s.routes {
		if point >= r.low && point < r.high {
			return r.seg
		}
	}
	return s.routes[len(s.routes)-1].seg
}

// Add appends an event (hasKey false: no routing key). payload is copied.
func (s *session) Add(hasKey bool, key string, payload []byte) error {
	s.prod.Lock()
	defer s.prod.Unlock()
	if err := s.settle(false); err != nil {
		return err
	}
	idx := s.next
	if len(payload) > s.cfg.MaxEvent {
		return errorf(wire.CodeEventTooLarge, "event %d is %d bytes, over the maximum event size of %d", idx, len(payload), s.cfg.MaxEvent)
	}
	s.next++
	ev := ievent{idx: idx, point: s.keyless}
	if hasKey {
		ev.point = wire.KeyPoint(key)
	}
	if s.cfg.Writer != "" {
		ev.num = s.cfg.FirstEvent + idx
		last, err := s.lastFor(ev.point)
		if err != nil {
			return err
		}
		if ev.num <= last {
			s.mu.Lock()
			s.cfg.OnAck(idx, appendResult{Duplicate: true})
			s.mu.Unlock()
			return nil
		}
	}
	return s.add(ev, payload)
}

// checkFirstEvent refuses a request whose first event number skips ahead
// of the writer's numbers: a writer numbers its events 1, 2, 3, ... across
// all its requests, so every number at or below the highest one the stream
// holds from it (on any segment) was sent before, and is either stored or
// lost with a failed attempt that a retry now sends again. That is what
// makes "duplicate" mean that the event itself is stored. A number that
// skipped ahead would leave a range below it that was never sent, whose
// events a later request would have answered as duplicates without storing
// them (as Kafka's idempotent producer, braid refuses the gap instead).
func (s *session) checkFirstEvent() error {
	var high int64
	for _, sg := range s.all {
		n, err := s.writerLast(sg.ID)
		if err != nil {
			return err
		}
		high = max(high, n)
	}
	if s.cfg.FirstEvent <= high+1 {
		return nil
	}
	if high == 0 {
		return errorf(wire.CodeEventNumberGap, "%s %d for writer %q, which %s holds nothing from: a writer's first request starts at event number 1",
			hdrEventNumber, s.cfg.FirstEvent, s.cfg.Writer, s.rec.Qualified())
	}
	return errorf(wire.CodeEventNumberGap, "%s %d for writer %q skips ahead: the highest number %s holds from this writer is %d, so its next request starts at %d (or lower, to retry a request)",
		hdrEventNumber, s.cfg.FirstEvent, s.cfg.Writer, s.rec.Qualified(), high, high+1)
}

// writerLast is the last event number the store holds from this writer on
// one segment (0 for none, or for a segment deleted by retention), asked
// once per session.
func (s *session) writerLast(id uint64) (int64, error) {
	if n, ok := s.lastOf[id]; ok {
		return n, nil
	}
	n, err := s.in.store.WriterLast(s.ctx, controller.SegmentName(s.rec.Scope, s.rec.Name, id), s.cfg.Writer)
	if errors.Is(err, segstore.ErrNotFound) {
		n, err = 0, nil // deleted by retention: nothing to match
	}
	if err != nil {
		return 0, err
	}
	s.lastOf[id] = n
	return n, nil
}

// lastFor is the last event number the store holds from this writer on
// the segments that ever owned point. Events of a key are stored in order
// within a segment and move forward to successors in order, so an event
// numbered at or below it was stored by an earlier attempt.
func (s *session) lastFor(point float64) (int64, error) {
	if s.cacheOK && point == s.cachePoint {
		return s.cacheLast, nil
	}
	var last int64
	for _, sg := range s.all {
		if point < sg.KeyLow || point >= sg.KeyHigh {
			continue
		}
		n, err := s.writerLast(sg.ID)
		if err != nil {
			return 0, err
		}
		last = max(last, n)
	}
	s.cachePoint, s.cacheLast, s.cacheOK = point, last, true
	return last, nil
}

// add puts an event in its segment's open batch, sending the batch when
// it is full.
func (s *session) add(ev ievent, payload []byte) error {
	seg := s.route(ev.point)
	b := seg.open
	size := wire.HeaderSize + len(payload)
	if b != nil && b.cost()+size+ieventSize > s.in.batchBytes {
		if err := s.send(b); err != nil {
			return err
		}
		b = nil
	}
	if b == nil {
		// Sized like the segment's last batch: a full one in a steady
		// upload, little for a request of a few events (the store keeps
		// the buffer until the data reaches tier 2).
		b = &ibatch{seg: seg, opened: time.Now(),
			buf: make([]byte, 0, max(min(s.in.batchBytes, max(seg.lastSize, minBatchCap)), size)),
			evs: make([]ievent, 0, seg.lastCount)}
		seg.open = b
	}
	ev.off = len(b.buf)
	b.buf = wire.AppendFrame(b.buf, payload)
	b.evs = append(b.evs, ev)
	if b.cost() >= s.in.batchBytes {
		return s.send(b)
	}
	return nil
}

// send hands a batch to the store, waiting while too much is in flight.
func (s *session) send(b *ibatch) error {
	b.seg.open = nil
	b.seg.lastSize, b.seg.lastCount = len(b.buf), len(b.evs)
	if cap(b.buf) > 2*len(b.buf) {
		// A batch sent part full (linger, the end of a request): the
		// store keeps what it is given, so give it no more than needed.
		b.buf = slices.Clone(b.buf)
	}
	s.mu.Lock()
	for s.inflight > 0 && s.inflight+b.cost() > s.in.inflightBytes && s.err == nil {
		s.drained.Wait()
	}
	if s.err != nil {
		s.mu.Unlock()
		return s.err
	}
	s.inflight += b.cost()
	s.mu.Unlock()
	req := segstore.AppendRequest{Events: len(b.evs), Data: b.buf}
	if s.cfg.Writer != "" {
		req.Writer, req.FirstEvent, req.LastEvent = s.cfg.Writer, b.evs[0].num, b.evs[len(b.evs)-1].num
	}
	s.in.store.Append(s.ctx, b.seg.name, req, func(r segstore.Result, err error) { s.done(b, r, err) })
	return nil
}

// done takes the store's answer for a batch.
func (s *session) done(b *ibatch, r segstore.Result, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inflight -= b.cost()
	s.drained.Broadcast()
	switch {
	case errors.Is(err, segstore.ErrSealed):
		s.sealed = append(s.sealed, b)
		return
	case err != nil:
		if s.err == nil {
			s.err = err
		}
		return
	}
	if !r.Duplicate && s.in.load != nil {
		s.in.load.Record(s.cfg.Scope, s.cfg.Stream, b.seg.id, len(b.evs), int(r.Length))
	}
	for i, ev := range b.evs {
		res := appendResult{Duplicate: r.Duplicate}
		if r.Offset >= 0 {
			end := len(b.buf)
			if i+1 < len(b.evs) {
				end = b.evs[i+1].off
			}
			res.Pointer = wire.EventPointer{SegmentID: b.seg.id, Offset: r.Offset + int64(ev.off), Length: int32(end - ev.off)}
		}
		s.cfg.OnAck(ev.idx, res)
	}
}

// settle handles what the store answered so far: a failure ends the
// session; batches refused as SEALED move, with the open batches of
// segments no longer current, to the segments that now own their keys.
// With wait it first waits for every batch in flight.
func (s *session) settle(wait bool) error {
	for {
		s.mu.Lock()
		for (wait || len(s.sealed) > 0) && s.inflight > 0 && s.err == nil {
			s.drained.Wait()
		}
		err, moved := s.err, s.sealed
		s.sealed = nil
		s.mu.Unlock()
		if err != nil {
			return err
		}
		if len(moved) == 0 {
			return nil
		}
		if err := s.move(moved); err != nil {
			s.mu.Lock()
			if s.err == nil {
				s.err = err
			}
			s.mu.Unlock()
			return err
		}
		// Moving sent batches that may be refused too: look again.
	}
}

// move re-routes the events of refused batches, and of open batches of
// segments that are no longer current, by the stream's current epoch, in
// their original order.
func (s *session) move(refused []*ibatch) error {
	rec, err := s.in.ctrl.GetStream(s.ctx, s.cfg.Scope, s.cfg.Stream)
	if err != nil {
		return err
	}
	if rec.State == controller.StateSealed {
		return fmt.Errorf("%w: %s", controller.ErrStreamSealed, rec.Qualified())
	}
	current := map[uint64]bool{}
	for _, sg := range rec.Current().Segments {
		current[sg.ID] = true
	}
	for _, b := range refused {
		if current[b.seg.id] {
			// Sealed but still current: the stream is being sealed.
			return fmt.Errorf("%w: segment %016x of %s", segstore.ErrSealed, b.seg.id, rec.Qualified())
		}
	}
	batches := refused
	for _, sg := range s.segs {
		if sg.open != nil && !current[sg.id] {
			batches = append(batches, sg.open)
			sg.open = nil
		}
	}
	type moving struct {
		ev      ievent
		payload []byte
	}
	var evs []moving
	for _, b := range batches {
		for i, ev := range b.evs {
			end := len(b.buf)
			if i+1 < len(b.evs) {
				end = b.evs[i+1].off
			}
			evs = append(evs, moving{ev, b.buf[ev.off+wire.HeaderSize : end]})
		}
	}
	slices.SortFunc(evs, func(a, b moving) int { return int(a.ev.idx - b.ev.idx) })
	s.in.log.Debug("append session follows a scaling", "stream", rec.Qualified(), "epoch", rec.Current().Epoch, "moved_events", len(evs))
	s.setRoutes(rec)
	for _, m := range evs {
		if err := s.add(m.ev, m.payload); err != nil {
			return err
		}
	}
	return nil
}

// Close sends the open batches and waits until the store answered every
// event (moving events as needed). It returns the first failure; events
// acknowledged before it are stored.
func (s *session) Close() error {
	s.stop()
	for {
		if err := s.settle(true); err != nil {
			return s.abort(err)
		}
		sent := false
		for _, sg := range s.segs {
			if sg.open != nil {
				if err := s.send(sg.open); err != nil {
					return s.abort(err)
				}
				sent = true
			}
		}
		if !sent {
			s.mu.Lock()
			done := s.inflight == 0 && len(s.sealed) == 0
			s.mu.Unlock()
			if done {
				s.release()
				return nil
			}
		}
	}
}

// abort waits for the batches in flight (their callbacks use the
// session) and returns err.
func (s *session) abort(err error) error {
	s.stop()
	s.wait()
	s.release()
	return err
}
