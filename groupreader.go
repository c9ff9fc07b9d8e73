package braid

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/wire"
)

// GroupReaderOption configures ReaderGroup.NewReader.
type GroupReaderOption func(*groupReaderOptions)

type groupReaderOptions struct {
	commitEvery time.Duration
	manual      bool
	readAhead   int // WithGroupReadAhead's budget (0: the default)
}

// Group reader read sizes: by default each segment's responses are up to
// 256 KiB and up to 64 of them wait for Read (16 MiB); WithGroupReadAhead
// shrinks both.
const (
	groupReadBytes = 256 << 10
	groupReadDepth = 64
)

// WithGroupReadAhead bounds what the reader holds of its segments ahead of
// Read to about bytes (at least 16 KiB per segment it reads at once), for
// applications that keep many readers that may stop reading for a while
// (the HTTP API keeps one per member). The gRPC stream window of each
// segment comes on top. By default a reader holds up to 16 MiB.
func WithGroupReadAhead(bytes int) GroupReaderOption {
	return func(o *groupReaderOptions) { o.readAhead = max(bytes, 0) }
}

// readSize is the response size and the number of responses that wait for
// Read.
func (o groupReaderOptions) readSize() (maxBytes uint32, depth int) {
	if o.readAhead <= 0 {
		return groupReadBytes, groupReadDepth
	}
	return uint32(min(max(o.readAhead/4, minReadAheadBytes), groupReadBytes)), 2
}

// WithAutoCommit sets how often the reader commits its position to the
// server while reading (default 1 s). An event counts as processed once the
// application calls Read again. 0 turns automatic commits off: the reader
// then commits only with Commit, and when it releases a segment, finishes
// one, passes a checkpoint or closes.
func WithAutoCommit(every time.Duration) GroupReaderOption {
	return func(o *groupReaderOptions) { o.commitEvery = every }
}

// WithManualCommit makes the reader count events as processed only when
// the application calls Commit, not when it calls Read again: for
// applications that hand events on (a batch sent over a network) and learn
// later whether they were processed. Automatic commits are off. The reader
// records on the server only committed positions: a segment the group
// moves to another reader stops returning events at once and is handed
// over at the next Commit (or, if the reader closes or dies first, from
// its last commit: the events returned since are read again, at least
// once); a segment read to its end is reported finished at the next
// Commit; a checkpoint marker, once returned, is
// returned again by every Read until Commit, whose positions (every event
// returned before the marker) are the reader's part of the checkpoint; and
// Close leaves at the last committed positions (Commit first to count the
// events returned since).
func WithManualCommit() GroupReaderOption {
	return func(o *groupReaderOptions) { o.manual = true }
}

// SegmentPosition is a read position in one segment of a stream.
type SegmentPosition struct {
	Stream    string
	SegmentID uint64
	Offset    int64
}

// GroupEvent is what GroupReader.Read returns: an event, or a checkpoint
// marker (Checkpoint set, no data).
type GroupEvent struct {
	Event
	// Checkpoint names the checkpoint this reader just passed; Data is
	// nil then.
	Checkpoint string

	gpos *groupSnap
}

type groupSnap struct {
	pos []SegmentPosition
}

// Position returns the reader's position just after this event: each
// segment it owns at the offset after what it returned.
func (e GroupEvent) Position() []SegmentPosition {
	if e.gpos == nil {
		return nil
	}
	out := slices.Clone(e.gpos.pos)
	for i := range out {
		if out[i].Stream == e.Pointer.Stream && out[i].SegmentID == e.Pointer.SegmentID && e.Data != nil {
			out[i].Offset = e.Pointer.Offset + int64(e.Pointer.Length)
		}
	}
	return out
}

// GroupReader is one reader of a reader group. The server hands it
// segments; Read returns their events, each segment in order. When a
// segment moves to another reader, this reader gives it up at the position
// after the last event it returned, inside a Read call (so every event it
// returned was processed). Read, Commit and Close must be called from one
// goroutine at a time.
type GroupReader struct {
	c      *Client
	group  *ReaderGroup
	id     string
	opts   groupReaderOptions
	cancel context.CancelFunc
	wg     sync.WaitGroup
	ctrl   chan ctrlMsg // from the session goroutine
	ch     chan *gbatch // from the segment fetchers
	base   context.Context

	sendMu  sync.Mutex
	sess    braidv1.GroupService_ReaderSessionClient // nil while disconnected
	sendGen int64                                    // the generation updates carry (also read by the heartbeat goroutine)
	sessNo  uint64                                   // counts sessions: a commit waits for its answer on the session it went on
	left    chan struct{}                            // closed when the server ended a session after Leave

	// Commit's wait for the server: the last sync sent (Read's
	// goroutine), the last the server answered, and a wake-up when an
	// answer comes or the session breaks.
	syncSent uint64
	synced   atomic.Uint64
	syncWake chan struct{}

	// Read's state.
	gen        int64
	segs       map[segKey]*gseg
	token      uint64
	cur        *gbatch
	idx        int
	tidx       int // cur's commit time of the last event
	snap       *groupSnap
	finished   bool
	lastCommit time.Time
	dirty      bool
	finishing  []SegmentPosition
	pendingCP  string                     // a checkpoint returned and not yet committed (WithManualCommit)
	released   []*braidv1.SegmentPosition // segments released with the next commit (WithManualCommit)
	events     int64
	bytes      int64
	err        error
	closed     bool
	timer      *time.Timer
}

type segKey struct {
	stream string
	id     uint64
}

type gseg struct {
	key segKey
	off int64 // after the last event returned
	// proc is after the last event processed: off, except with
	// WithManualCommit, where Commit moves it up to off.
	proc   int64
	end    int64
	token  uint64
	cancel context.CancelFunc
	// ended: read to its end, to be reported finished at the next Commit;
	// releasing: given up, to be released at the next Commit
	// (WithManualCommit, with events returned and not committed).
	ended, releasing bool
}

type gbatch struct {
	key    segKey
	token  uint64
	base   int64
	data   []byte
	starts []uint32
	times  []*braidv1.CommitTime
	done   bool
	err    error
}

type ctrlMsg struct {
	a    *braidv1.ReaderAssignment
	gen  int64 // joined: the group's generation
	lost bool  // the session broke: drop everything
	err  error // final
}

// NewReader joins the group as reader id (1 to 256 bytes). A reader of the
// same id still in the group is replaced. ctx bounds only the join.
func (g *ReaderGroup) NewReader(ctx context.Context, id string, opts ...GroupReaderOption) (*GroupReader, error) {
	if err := g.check(); err != nil {
		return nil, err
	}
	if n := len(id); n < 1 || n > 256 {
		return nil, newError(wire.CodeInvalidArgument, fmt.Sprintf("reader id must be 1 to 256 bytes, got %d", n))
	}
	o := groupReaderOptions{commitEvery: time.Second}
	for _, f := range opts {
		f(&o)
	}
	if o.commitEvery < 0 {
		return nil, newError(wire.CodeInvalidArgument, fmt.Sprintf("negative auto-commit interval %v", o.commitEvery))
	}
	if o.manual {
		o.commitEvery = 0
	}
	base, cancel := context.WithCancel(g.c.base)
	r := &GroupReader{c: g.c, group: g, id: id, opts: o, cancel: cancel, base: base,
		ctrl: make(chan ctrlMsg, 1024), segs: map[segKey]*gseg{}, left: make(chan struct{}), syncWake: make(chan struct{}, 1)}
	_, depth := o.readSize()
	r.ch = make(chan *gbatch, depth)
	sess, hb, err := r.join(ctx)
	if err != nil {
		cancel()
		return nil, err
	}
	r.wg.Add(1)
	go r.session(sess, hb)
	return r, nil
}

// ID returns the reader's id.
func (r *GroupReader) ID() string { return r.id }

// join opens a session and joins the group.
func (r *GroupReader) join(ctx context.Context) (braidv1.GroupService_ReaderSessionClient, time.Duration, error) {
	sctx, cancel := context.WithCancel(r.base)
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	what := "join reader group " + r.group.name + " as " + r.id
	sess, err := r.c.groups.ReaderSession(sctx)
	if err == nil {
		err = sess.Send(&braidv1.ReaderSessionRequest{Kind: &braidv1.ReaderSessionRequest_Join{Join: &braidv1.ReaderJoin{
			Scope: r.group.scope, Group: r.group.group, ReaderId: r.id}}})
		if errors.Is(err, io.EOF) {
			err = nil // Recv gives the status
		}
	}
	var resp *braidv1.ReaderSessionResponse
	if err == nil {
		resp, err = sess.Recv()
	}
	if err != nil {
		cancel()
		if ctx.Err() != nil && r.base.Err() == nil {
			err = ctx.Err()
		}
		return nil, 0, fromStatus(what, err)
	}
	j := resp.GetJoined()
	if j == nil {
		cancel()
		return nil, 0, newError(wire.CodeInternal, what+": the server did not answer the join")
	}
	r.ctrl <- ctrlMsg{gen: j.GetGeneration()}
	r.sendMu.Lock()
	r.sess = sess
	r.sessNo++
	r.sendMu.Unlock()
	return sess, max(time.Duration(j.GetHeartbeatIntervalMs())*time.Millisecond, 10*time.Millisecond), nil
}

// session receives assignments and sends heartbeats; when the session
// breaks it tells Read to drop everything, and joins again.
func (r *GroupReader) session(sess braidv1.GroupService_ReaderSessionClient, hb time.Duration) {
	defer r.wg.Done()
	var bo retryPause
	for {
		done := make(chan struct{})
		var hbwg sync.WaitGroup
		hbwg.Add(1)
		go func() {
			defer hbwg.Done()
			t := time.NewTicker(hb)
			defer t.Stop()
			for {
				select {
				case <-t.C:
					r.send(&braidv1.ReaderUpdate{})
				case <-done:
					return
				}
			}
		}()
		var err error
		for {
			var resp *braidv1.ReaderSessionResponse
			resp, err = sess.Recv()
			if err != nil {
				break
			}
			if a := resp.GetAssignment(); a != nil {
				select {
				case r.ctrl <- ctrlMsg{a: a}:
				case <-r.base.Done():
				}
			}
			if c := resp.GetCommitted(); c != nil {
				r.synced.Store(c.GetSync())
				r.wakeCommit()
			}
		}
		close(done)
		hbwg.Wait()
		r.sendMu.Lock()
		r.sess = nil
		r.sendMu.Unlock()
		r.wakeCommit()
		select {
		case <-r.left:
			return
		default:
		}
		if r.base.Err() != nil {
			return
		}
		err = fromStatus("reader "+r.id+" of "+r.group.name, err)
		if c := codeOf(err); c == wire.CodeNotFound || c == wire.CodeInvalidArgument {
			r.ctrl <- ctrlMsg{err: err}
			return
		}
		select {
		case r.ctrl <- ctrlMsg{lost: true}:
		case <-r.base.Done():
			return
		}
		outage := time.Now()
		for {
			if bo.wait(r.base, nil) != nil {
				return
			}
			ctx, cancel := context.WithTimeout(r.base, 10*time.Second)
			var jerr error
			sess, hb, jerr = r.join(ctx)
			cancel()
			if jerr == nil {
				bo.reset()
				break
			}
			if r.base.Err() != nil {
				return
			}
			if c := codeOf(jerr); c == wire.CodeNotFound || c == wire.CodeInvalidArgument || time.Since(outage) > r.c.reconnect {
				r.ctrl <- ctrlMsg{err: jerr}
				return
			}
		}
	}
}

// send sends an update on the current session (dropped while
// disconnected: the server then keeps the positions committed before).
func (r *GroupReader) send(u *braidv1.ReaderUpdate) (sessNo uint64) {
	r.sendMu.Lock()
	defer r.sendMu.Unlock()
	if r.sess == nil {
		return 0
	}
	u.Generation = r.sendGen
	_ = r.sess.Send(&braidv1.ReaderSessionRequest{Kind: &braidv1.ReaderSessionRequest_Update{Update: u}})
	return r.sessNo
}

// wakeCommit wakes a Commit waiting for the server.
func (r *GroupReader) wakeCommit() {
	select {
	case r.syncWake <- struct{}{}:
	default:
	}
}

// liveSession reports whether session n is still the reader's.
func (r *GroupReader) liveSession(n uint64) bool {
	r.sendMu.Lock()
	defer r.sendMu.Unlock()
	return r.sess != nil && r.sessNo == n
}

// positions returns the processed positions of every owned segment.
func (r *GroupReader) positions() []*braidv1.SegmentPosition {
	out := make([]*braidv1.SegmentPosition, 0, len(r.segs))
	for _, s := range r.segs {
		out = append(out, &braidv1.SegmentPosition{Stream: s.key.stream, SegmentId: s.key.id, Offset: s.proc})
	}
	return out
}

func (r *GroupReader) commitNow(checkpoint string) (seq, sessNo uint64) {
	r.syncSent++
	seq = r.syncSent
	u := &braidv1.ReaderUpdate{Sync: seq, Commit: r.positions(), Released: r.released, Checkpoint: checkpoint, Events: r.events, Bytes: r.bytes}
	r.released = nil
	for _, f := range r.finishing {
		u.Finished = append(u.Finished, &braidv1.SegmentPosition{Stream: f.Stream, SegmentId: f.SegmentID, Offset: f.Offset})
	}
	r.finishing = r.finishing[:0]
	r.events, r.bytes = 0, 0
	sessNo = r.send(u)
	r.dirty = false
	r.lastCommit = time.Now()
	return seq, sessNo
}

// dropAll stops every segment (after a reset or a lost session).
func (r *GroupReader) dropAll() {
	for k, s := range r.segs {
		s.cancel()
		delete(r.segs, k)
	}
	r.cur = nil
	r.snap = nil
	r.finishing = r.finishing[:0]
	r.released = nil
	r.pendingCP = "" // the server no longer waits for it
}

// finish reports segment s read to its end with the next commit.
func (r *GroupReader) finish(s *gseg) {
	r.finishing = append(r.finishing, SegmentPosition{Stream: s.key.stream, SegmentID: s.key.id, Offset: s.off})
	delete(r.segs, s.key)
	s.cancel()
	r.snap = nil
}

// apply carries out one message of the server.
func (r *GroupReader) apply(m ctrlMsg) (checkpoint string, err error) {
	switch {
	case m.err != nil:
		return "", m.err
	case m.lost:
		r.dropAll()
		return "", nil
	case m.a == nil: // joined
		r.setGen(m.gen)
		return "", nil
	}
	a := m.a
	if a.GetReset_() || a.GetGeneration() != r.gen {
		r.dropAll()
		r.finished = false
		r.setGen(a.GetGeneration())
	}
	for _, q := range a.GetAcquire() {
		k := segKey{q.GetStream(), q.GetRange().GetSegmentId()}
		if old := r.segs[k]; old != nil {
			old.cancel()
		}
		r.token++
		ctx, cancel := context.WithCancel(r.base)
		s := &gseg{key: k, off: q.GetOffset(), proc: q.GetOffset(), end: q.GetEndOffset(), token: r.token, cancel: cancel}
		r.segs[k] = s
		r.snap = nil
		r.wg.Add(1)
		go r.fetch(ctx, s.key, s.token, s.off, s.end)
	}
	var released []*braidv1.SegmentPosition
	for _, p := range a.GetRelease() {
		k := segKey{p.GetStream(), p.GetSegmentId()}
		s := r.segs[k]
		if s == nil {
			continue
		}
		s.cancel()
		if r.cur != nil && r.cur.key == k {
			r.cur = nil
		}
		r.snap = nil
		if s.proc < s.off {
			s.releasing = true // at the next Commit (WithManualCommit)
			continue
		}
		delete(r.segs, k)
		released = append(released, &braidv1.SegmentPosition{Stream: k.stream, SegmentId: k.id, Offset: s.proc})
	}
	if len(released) > 0 {
		r.send(&braidv1.ReaderUpdate{Released: released, Commit: r.positions()})
	}
	if a.GetFinished() {
		r.finished = true
	}
	return a.GetCheckpoint(), nil
}

func (r *GroupReader) setGen(g int64) {
	r.gen = g
	r.sendMu.Lock()
	r.sendGen = g
	r.sendMu.Unlock()
}

// fetch reads one segment into r.ch until its end, its end offset, or ctx.
func (r *GroupReader) fetch(ctx context.Context, k segKey, token uint64, off, end int64) {
	defer r.wg.Done()
	scope, name, _ := splitStream(k.stream)
	maxBytes, _ := r.opts.readSize()
	req := &braidv1.ReadSegmentRequest{Scope: scope, Stream: name, SegmentId: k.id, Offset: off, Follow: true, MaxBytes: maxBytes, CommitTimes: true}
	if end >= 0 {
		if end <= off {
			r.deliver(ctx, &gbatch{key: k, token: token, base: off, done: true})
			return
		}
		req.EndOffset = end
	}
	what := fmt.Sprintf("read %s segment %016x", k.stream, k.id)
	err := readSegmentStream(ctx, r.c, req, what, func(base int64, data []byte, starts []uint32, times []*braidv1.CommitTime, done bool) bool {
		return r.deliver(ctx, &gbatch{key: k, token: token, base: base, data: data, starts: starts, times: times, done: done})
	})
	if err != nil && ctx.Err() == nil {
		r.deliver(ctx, &gbatch{key: k, token: token, err: err})
	}
}

func (r *GroupReader) deliver(ctx context.Context, b *gbatch) bool {
	select {
	case r.ch <- b:
		return true
	case <-ctx.Done():
		return false
	}
}

// Read returns the next event of the reader's segments, or a checkpoint
// marker (GroupEvent.Checkpoint set) when the group asked for one. Calling
// Read means every event returned before was processed. It returns io.EOF
// once the group has read everything (bounded groups, sealed streams), and
// an error of code NOT_FOUND once the group was deleted.
func (r *GroupReader) Read(ctx context.Context) (GroupEvent, error) {
	if r.err != nil {
		return GroupEvent{}, r.err
	}
	if r.closed {
		return GroupEvent{}, newError(wire.CodeInvalidArgument, "read from a closed group reader")
	}
	for {
		// The batch in hand is used up: a finished segment is reported
		// now that its last event is processed.
		if b := r.cur; b != nil && r.idx >= len(b.starts) {
			r.cur = nil
			if b.done {
				if s := r.segs[b.key]; s != nil && s.token == b.token {
					if s.proc < s.off {
						s.ended = true // finished once committed
						s.cancel()
					} else {
						r.finish(s)
						r.commitNow("")
					}
				}
			}
		}
		// Messages of the server.
		for handled := true; handled; {
			select {
			case m := <-r.ctrl:
				if ev, ok, err := r.handle(m); ok || err != nil {
					return ev, err
				}
			default:
				handled = false
			}
		}
		if r.pendingCP != "" {
			return GroupEvent{Checkpoint: r.pendingCP, gpos: &groupSnap{pos: r.publicPositions()}}, nil
		}
		if r.dirty && r.opts.commitEvery > 0 && time.Since(r.lastCommit) >= r.opts.commitEvery {
			r.commitNow("")
		}
		if b := r.cur; b != nil {
			s := r.segs[b.key]
			i := r.idx
			r.idx++
			start := int(b.starts[i])
			end := len(b.data)
			if i+1 < len(b.starts) {
				end = int(b.starts[i+1])
			}
			p := EventPointer{Stream: b.key.stream, SegmentID: b.key.id, Offset: b.base + int64(start), Length: int32(end - start)}
			s.off = p.Offset + int64(p.Length)
			if !r.opts.manual {
				s.proc = s.off
			}
			r.dirty = true
			r.events++
			r.bytes += int64(end - start)
			if r.snap == nil {
				r.snap = &groupSnap{pos: r.publicPositions()}
			}
			at := appendTime(b.times, &r.tidx, p.Offset)
			return GroupEvent{Event: Event{Data: b.data[start+wire.HeaderSize : end], Pointer: p, AppendTime: at}, gpos: r.snap}, nil
		}
		if r.finished && len(r.segs) == 0 {
			r.commitNow("")
			return GroupEvent{}, io.EOF
		}
		var t <-chan time.Time
		if r.dirty && r.opts.commitEvery > 0 {
			d := max(r.opts.commitEvery-time.Since(r.lastCommit), 0)
			if r.timer == nil {
				r.timer = time.NewTimer(d)
			} else {
				r.timer.Reset(d)
			}
			t = r.timer.C
		}
		select {
		case b := <-r.ch:
			s := r.segs[b.key]
			if s == nil || s.token != b.token || s.releasing {
				continue // a segment given up since
			}
			if b.err != nil {
				r.err = b.err
				return GroupEvent{}, b.err
			}
			r.cur, r.idx, r.tidx = b, 0, 0
			r.snap = nil
		case m := <-r.ctrl:
			if ev, ok, err := r.handle(m); ok || err != nil {
				return ev, err
			}
		case <-t:
		case <-ctx.Done():
			return GroupEvent{}, ctx.Err()
		case <-r.base.Done():
			r.err = newError(wire.CodeCanceled, "read from reader "+r.id+" of "+r.group.name+": the client was closed")
			return GroupEvent{}, r.err
		}
		if r.timer != nil && !r.timer.Stop() {
			select {
			case <-r.timer.C:
			default:
			}
		}
	}
}

// handle applies a server message; ok is set when Read returns a
// checkpoint marker.
func (r *GroupReader) handle(m ctrlMsg) (ev GroupEvent, ok bool, err error) {
	cp, err := r.apply(m)
	if err != nil {
		r.err = err
		return GroupEvent{}, false, err
	}
	if cp == "" {
		return GroupEvent{}, false, nil
	}
	if r.opts.manual {
		r.pendingCP = cp // acknowledged by Commit
	} else {
		r.commitNow(cp)
	}
	return GroupEvent{Checkpoint: cp, gpos: &groupSnap{pos: r.publicPositions()}}, true, nil
}

// publicPositions returns the processed positions of the owned segments.
func (r *GroupReader) publicPositions() []SegmentPosition {
	out := make([]SegmentPosition, 0, len(r.segs))
	for _, s := range r.segs {
		out = append(out, SegmentPosition{Stream: s.key.stream, SegmentID: s.key.id, Offset: s.off})
	}
	slices.SortFunc(out, func(a, b SegmentPosition) int {
		return cmp.Or(strings.Compare(a.Stream, b.Stream), cmp.Compare(a.SegmentID, b.SegmentID))
	})
	return out
}

// Commit records the reader's position (after every event Read returned)
// on the server now, and returns once the server has recorded it: a
// describe of the group made after it shows the position. If the session
// to the server breaks first, the commit may be lost: Commit then fails
// with code Unavailable, and the reader goes on (once it has joined again)
// from the positions the server recorded before, so events returned since
// those are read again. ctx bounds the wait.
func (r *GroupReader) Commit(ctx context.Context) error {
	if r.err != nil {
		return r.err
	}
	cp := ""
	if r.opts.manual {
		for _, s := range r.segs {
			s.proc = s.off
			switch {
			case s.ended:
				r.finish(s)
			case s.releasing:
				delete(r.segs, s.key)
				r.snap = nil
				r.released = append(r.released, &braidv1.SegmentPosition{Stream: s.key.stream, SegmentId: s.key.id, Offset: s.off})
			}
		}
		cp, r.pendingCP = r.pendingCP, ""
	}
	seq, sessNo := r.commitNow(cp)
	for r.synced.Load() < seq {
		if sessNo == 0 || !r.liveSession(sessNo) {
			return newError(wire.CodeUnavailable, "commit of reader "+r.id+" of "+r.group.name+
				": the session to the server broke before the server recorded it; the reader goes on from the positions recorded before")
		}
		select {
		case <-r.syncWake:
		case <-ctx.Done():
			return ctx.Err()
		case <-r.base.Done():
			return newError(wire.CodeCanceled, "commit of reader "+r.id+" of "+r.group.name+": the reader is closed")
		}
	}
	return nil
}

// Close leaves the group at the position after every event Read returned
// (they count as processed), so that other readers go on from there
// exactly. With WithManualCommit it leaves at the last committed
// positions. It stops the reader's goroutines. ctx bounds the wait for the
// server to take the leave.
func (r *GroupReader) Close(ctx context.Context) error {
	return r.leave(ctx, true)
}

// Abandon leaves the group without committing: the group goes on with the
// reader's segments from their last committed positions, so the events
// returned since are read again (by whichever reader gets the segments).
// It is for a reader whose application went away without processing what
// it was given. It stops the reader's goroutines; ctx bounds the wait for
// the server to take the leave. After Close, it does nothing.
func (r *GroupReader) Abandon(ctx context.Context) error {
	return r.leave(ctx, false)
}

// leave leaves the group at the processed positions (commit) or at the
// committed ones, and stops the reader.
func (r *GroupReader) leave(ctx context.Context, commit bool) error {
	if r.closed {
		return nil
	}
	r.closed = true
	var positions []*braidv1.SegmentPosition
	if commit {
		positions = r.positions()
	}
	r.sendMu.Lock()
	sess := r.sess
	var err error
	if sess != nil {
		err = sess.Send(&braidv1.ReaderSessionRequest{Kind: &braidv1.ReaderSessionRequest_Leave{Leave: &braidv1.ReaderLeave{
			Positions: positions, Generation: r.sendGen}}})
		close(r.left)
		_ = sess.CloseSend()
	}
	r.sendMu.Unlock()
	for _, s := range r.segs {
		s.cancel()
	}
	if sess != nil && err == nil {
		// The server ends the session once it took the leave.
		done := make(chan struct{})
		go func() {
			defer close(done)
			r.wg.Wait()
		}()
		select {
		case <-done:
		case <-ctx.Done():
			err = ctx.Err()
		}
	}
	r.cancel()
	r.wg.Wait()
	if r.timer != nil {
		r.timer.Stop()
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return fromStatus("leave reader group "+r.group.name, err)
	}
	return nil
}
