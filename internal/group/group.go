package group

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/braidstream/braid/internal/controller"
)

// Pos is a position in one segment of a stream.
type Pos struct {
	Stream string
	ID     uint64
	Offset int64
}

func (p Pos) key() segKey { return segKey{p.Stream, p.ID} }

// Acquire hands a segment to a reader.
type Acquire struct {
	Stream    string
	ID        uint64
	Low, High float64
	Offset    int64
	End       int64 // -1: to the segment's end
}

// Assignment is one message to a reader.
type Assignment struct {
	Generation int64
	Acquire    []Acquire
	Release    []Pos
	Checkpoint string
	Reset      bool
	Finished   bool
}

// Update is one message from a reader.
type Update struct {
	Generation int64
	Commit     []Pos
	Finished   []Pos
	Released   []Pos
	Checkpoint string
	Events     int64
	Bytes      int64
}

// group is one reader group: its durable record and its live membership.
type group struct {
	m                  *Manager
	name, scope, short string

	mu        sync.Mutex
	rec       *record
	ver       int64
	readers   map[string]*member
	order     []*member // the readers in id order, kept as they join and go
	owner     map[segKey]*member
	releasing map[segKey]bool
	cp        *pendingCP
	finished  bool  // readers were told
	closed    error // the group was deleted
}

type member struct {
	id       string
	lastSeen time.Time
	q        *queue
	segs     map[segKey]bool
}

type pendingCP struct {
	name     string
	waiting  map[string]bool
	cut      map[segKey]int64
	deferred []segKey // finished during the checkpoint: successors wait
	done     chan struct{}
	result   *Checkpoint
	err      error
}

func newGroup(m *Manager, rec *record, ver int64) *group {
	return &group{m: m, name: rec.qualified(), scope: rec.Scope, short: rec.Name, rec: rec, ver: ver,
		readers: map[string]*member{}, owner: map[segKey]*member{}, releasing: map[segKey]bool{}}
}

func (g *group) reads(stream string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.rec.spec(stream) != nil
}

// persistLocked writes the record.
func (g *group) persistLocked(ctx context.Context) {
	ver, err := g.m.meta.Put(context.WithoutCancel(ctx), groupKey(g.scope, g.short), mustJSON(g.rec), g.ver)
	if err != nil {
		g.m.log.Error("saving reader group state", slog.String("group", g.name), slog.Any("error", err))
		return
	}
	g.ver = ver
}

func (g *group) close(why error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closed = why
	for _, mem := range g.readers {
		mem.q.close(why)
	}
	g.readers, g.order = map[string]*member{}, nil
	if g.cp != nil {
		g.cp.err = why
		close(g.cp.done)
		g.cp = nil
	}
}

// Session is one reader's membership.
type Session struct {
	g   *group
	mem *member
}

// Join adds a reader to a group (replacing a reader of the same id).
func (m *Manager) Join(ctx context.Context, scope, name, readerID string) (*Session, error) {
	if n := len(readerID); n < 1 || n > 256 {
		return nil, invalid(fmt.Errorf("reader id must be 1 to 256 bytes, got %d", n))
	}
	g, err := m.get(scope, name)
	if err != nil {
		return nil, err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed != nil {
		return nil, g.closed
	}
	if old := g.readers[readerID]; old != nil {
		g.removeLocked(ctx, old, nil, "replaced by a new session of the same reader")
	}
	mem := &member{id: readerID, lastSeen: g.m.now(), q: newQueue(), segs: map[segKey]bool{}}
	g.readers[readerID] = mem
	i, _ := slices.BinarySearchFunc(g.order, readerID, cmpMember)
	g.order = slices.Insert(g.order, i, mem)
	g.m.log.Info("reader joined", slog.String("group", g.name), slog.String("reader", readerID))
	if g.finished {
		mem.q.push(&Assignment{Generation: g.rec.Generation, Finished: true})
	}
	g.rebalanceLocked(ctx)
	return &Session{g: g, mem: mem}, nil
}

// HeartbeatInterval is how often the reader must send something.
func (s *Session) HeartbeatInterval() time.Duration {
	s.g.mu.Lock()
	defer s.g.mu.Unlock()
	return max(s.g.rec.Config.ReaderTimeout/4, 25*time.Millisecond)
}

// Generation is the group's generation.
func (s *Session) Generation() int64 {
	s.g.mu.Lock()
	defer s.g.mu.Unlock()
	return s.g.rec.Generation
}

// Next waits for the next messages to the reader. It fails once the reader
// was removed (dead, replaced, group deleted).
func (s *Session) Next(ctx context.Context) ([]*Assignment, error) { return s.mem.q.next(ctx) }

// ErrNotMember ends the session of a reader that was removed from its
// group (declared dead, or replaced by a newer session of the same id); the
// reader may join again.
var ErrNotMember = errors.New("reader is no longer a member of the group")

// Update applies a reader's message. Positions that would move the group
// are checked against the segment store first (see checkPosition): if one
// is bad, nothing of the message applies and the error (wrapping
// ErrBadPosition) says which; the caller ends the session, and the
// reader's segments go on from the positions stored before.
func (s *Session) Update(ctx context.Context, u Update) error {
	g := s.g
	g.mu.Lock()
	defer g.mu.Unlock()
	if err := s.currentLocked(); err != nil {
		return err
	}
	s.mem.lastSeen = g.m.now()
	if u.Generation != g.rec.Generation {
		return nil // positions of before a reset
	}
	if checks := g.updateChecksLocked(s.mem, u); len(checks) > 0 {
		// The store is read without the group's lock; the message then
		// applies to the state as it is by then (ownership is checked
		// again below, and a checked position stays good).
		g.mu.Unlock()
		err := g.checkPositions(ctx, s.mem.id, "update", checks)
		g.mu.Lock()
		if err != nil {
			return err
		}
		if err := s.currentLocked(); err != nil {
			return err
		}
		if u.Generation != g.rec.Generation {
			return nil
		}
	}
	dirty := false
	g.rec.ReadEvents += max(u.Events, 0)
	g.rec.ReadBytes += max(u.Bytes, 0)
	for _, p := range u.Commit {
		if g.owner[p.key()] != s.mem {
			continue
		}
		a := g.rec.active(p.key())
		if p.Offset > a.Offset && (a.End < 0 || p.Offset <= a.End) {
			a.Offset = p.Offset
			dirty = true
		}
	}
	moved := false // ownership changed: a rebalance may hand segments on
	for _, p := range u.Released {
		k := p.key()
		if g.owner[k] != s.mem {
			continue
		}
		a := g.rec.active(k)
		if p.Offset > a.Offset && (a.End < 0 || p.Offset <= a.End) {
			a.Offset = p.Offset
		}
		g.disown(k)
		dirty, moved = true, true
	}
	for _, p := range u.Finished {
		k := p.key()
		if g.owner[k] != s.mem {
			continue
		}
		if cp := g.cp; cp != nil && cp.waiting[s.mem.id] {
			cp.cut[k] = p.Offset
		}
		g.finishLocked(ctx, k, p.Offset)
		dirty, moved = true, true
	}
	// The checkpoint acknowledgement comes last: segments the reader
	// finished in the same message count at their ends.
	if cp := g.cp; cp != nil && u.Checkpoint == cp.name && cp.waiting[s.mem.id] {
		for k := range s.mem.segs {
			cp.cut[k] = g.rec.active(k).Offset
		}
		delete(cp.waiting, s.mem.id)
	}
	if dirty {
		g.persistLocked(ctx)
	}
	// A checkpoint that completes rebalances itself; a heartbeat or a
	// commit changes no ownership and costs no rebalance.
	g.maybeCompleteLocked(ctx)
	if moved {
		g.rebalanceLocked(ctx)
	}
	return nil
}

// currentLocked fails once the session's reader is no longer a member.
func (s *Session) currentLocked() error {
	if s.g.readers[s.mem.id] != s.mem {
		return fmt.Errorf("%w: %s of %s", ErrNotMember, s.mem.id, s.g.name)
	}
	return nil
}

// updateChecksLocked returns the positions of u that would change the
// group: commits and releases past the stored offset (or negative), and
// finishes, of segments the reader owns.
func (g *group) updateChecksLocked(mem *member, u Update) []posCheck {
	var out []posCheck
	for _, ps := range [][]Pos{u.Commit, u.Released} {
		for _, p := range ps {
			if g.owner[p.key()] != mem {
				continue
			}
			if a := g.rec.active(p.key()); p.Offset < 0 || p.Offset > a.Offset {
				out = append(out, posCheck{Pos: p, end: a.End})
			}
		}
	}
	for _, p := range u.Finished {
		if g.owner[p.key()] == mem {
			out = append(out, posCheck{Pos: p, finish: true, end: g.rec.active(p.key()).End})
		}
	}
	return out
}

// Leave removes the reader cleanly at its final positions. A bad position
// (see Update) is refused: the reader is removed all the same, at the
// positions stored before, and the error says which position was bad.
func (s *Session) Leave(ctx context.Context, generation int64, positions []Pos) error {
	g := s.g
	g.mu.Lock()
	defer g.mu.Unlock()
	if s.currentLocked() != nil {
		return nil
	}
	if generation != g.rec.Generation {
		positions = nil
	}
	var checks []posCheck
	for _, p := range positions {
		if a := g.rec.active(p.key()); s.mem.segs[p.key()] && a != nil && (p.Offset < 0 || p.Offset > a.Offset) {
			checks = append(checks, posCheck{Pos: p, end: a.End})
		}
	}
	var err error
	if len(checks) > 0 {
		g.mu.Unlock()
		err = g.checkPositions(ctx, s.mem.id, "leave", checks)
		g.mu.Lock()
		if s.currentLocked() != nil {
			return err
		}
		if err != nil || generation != g.rec.Generation {
			positions = nil
		}
	}
	why := "left"
	if err != nil {
		why = "left at a refused position"
	}
	g.removeLocked(ctx, s.mem, positions, why)
	return err
}

// Drop removes the reader because its session ended without Leave.
func (s *Session) Drop(ctx context.Context) {
	g := s.g
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.readers[s.mem.id] != s.mem {
		return
	}
	g.removeLocked(ctx, s.mem, nil, "its connection closed without leaving")
}

func (g *group) disown(k segKey) {
	if mem := g.owner[k]; mem != nil {
		delete(mem.segs, k)
	}
	delete(g.owner, k)
	delete(g.releasing, k)
}

// removeLocked takes a reader out of the group; its segments wait for
// others at positions (for a clean leave) or at the committed offsets.
func (g *group) removeLocked(ctx context.Context, mem *member, positions []Pos, why string) {
	dirty := false
	for _, p := range positions {
		k := p.key()
		if !mem.segs[k] {
			continue
		}
		a := g.rec.active(k)
		if p.Offset > a.Offset && (a.End < 0 || p.Offset <= a.End) {
			a.Offset = p.Offset
			dirty = true
		}
	}
	for k := range mem.segs {
		if cp := g.cp; cp != nil && cp.waiting[mem.id] {
			cp.cut[k] = g.rec.active(k).Offset
		}
		g.disown(k)
	}
	if g.cp != nil {
		delete(g.cp.waiting, mem.id)
	}
	delete(g.readers, mem.id)
	if i, ok := slices.BinarySearchFunc(g.order, mem.id, cmpMember); ok {
		g.order = slices.Delete(g.order, i, i+1)
	}
	mem.q.close(fmt.Errorf("%w: %s %s", ErrNotMember, mem.id, why))
	level := slog.LevelInfo
	if positions == nil && why != "left" {
		level = slog.LevelWarn
	}
	g.m.log.Log(ctx, level, "reader removed", slog.String("group", g.name), slog.String("reader", mem.id), slog.String("why", why))
	if dirty {
		g.persistLocked(ctx)
	}
	g.maybeCompleteLocked(ctx)
	g.rebalanceLocked(ctx)
}

// expire removes readers silent for longer than the reader timeout.
func (g *group) expire(ctx context.Context) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.m.now()
	for _, mem := range g.readers {
		if silent := now.Sub(mem.lastSeen); silent > g.rec.Config.ReaderTimeout {
			g.removeLocked(ctx, mem, nil, fmt.Sprintf("dead: silent for %v (timeout %v)", silent.Round(time.Millisecond), g.rec.Config.ReaderTimeout))
		}
	}
}

// finishLocked records that segment k was read to end.
func (g *group) finishLocked(ctx context.Context, k segKey, end int64) {
	a := g.rec.active(k)
	if a == nil {
		return
	}
	g.disown(k)
	g.rec.removeActive(k)
	last := a.End >= 0 && end >= a.End
	g.rec.Done = append(g.rec.Done, &doneSeg{segKey: k, Low: a.Low, High: a.High, End: end, Last: last})
	if g.cp != nil {
		g.cp.deferred = append(g.cp.deferred, k)
		return
	}
	g.activateLocked(ctx, k)
}

// activateLocked starts reading the successors of finished segment k whose
// predecessors all finished.
func (g *group) activateLocked(ctx context.Context, k segKey) {
	d := g.rec.done(k)
	if d == nil || d.Last {
		return
	}
	srec, err := g.m.stream(ctx, k.Stream)
	if err != nil {
		g.m.log.Warn("reader group: cannot look up successors", slog.String("group", g.name), slog.String("segment", k.String()), slog.Any("error", err))
		return
	}
	spec := g.rec.spec(k.Stream)
	for _, succ := range srec.Successors(k.ID) {
		sk := segKey{k.Stream, succ.ID}
		if g.rec.active(sk) != nil || g.rec.done(sk) != nil {
			continue
		}
		preds := srec.Predecessors(succ.ID)
		if slices.ContainsFunc(preds, func(p controller.Segment) bool { return g.rec.done(segKey{k.Stream, p.ID}) == nil }) {
			continue
		}
		start := int64(0)
		if info, err := g.m.segs.Info(ctx, controller.SegmentName(srec.Scope, srec.Name, succ.ID)); err == nil {
			start = info.Start
		}
		a := &activeSeg{segKey: sk, Low: succ.KeyLow, High: succ.KeyHigh, Offset: start, End: -1}
		if end, ok := spec.End[succ.ID]; ok {
			a.End = end
		}
		if a.End >= 0 && a.End <= a.Offset {
			g.rec.Done = append(g.rec.Done, &doneSeg{segKey: sk, Low: a.Low, High: a.High, End: a.Offset, Last: true})
		} else {
			g.rec.Active = append(g.rec.Active, a)
		}
		// Predecessors whose successors all started are no longer needed.
		for _, p := range preds {
			pk := segKey{k.Stream, p.ID}
			all := true
			for _, s := range srec.Successors(p.ID) {
				if sk2 := (segKey{k.Stream, s.ID}); g.rec.active(sk2) == nil && g.rec.done(sk2) == nil {
					all = false
				}
			}
			if all {
				g.rec.Done = slices.DeleteFunc(g.rec.Done, func(d *doneSeg) bool { return d.segKey == pk })
			}
		}
	}
}

// rebalanceLocked hands waiting segments to the least loaded readers and
// asks the most loaded to release segments until loads differ by at most
// one. Nothing moves while a checkpoint is in progress.
func (g *group) rebalanceLocked(ctx context.Context) {
	if g.closed != nil {
		return
	}
	if len(g.rec.Active) == 0 && g.cp == nil {
		if !g.finished {
			g.finished = true
			g.m.log.Info("reader group finished", slog.String("group", g.name))
			for _, mem := range g.readers {
				mem.q.push(&Assignment{Generation: g.rec.Generation, Finished: true})
			}
		}
		return
	}
	if g.cp != nil || len(g.readers) == 0 {
		return
	}
	// The members in id order (kept so by Join and removeLocked), and
	// each one's load: its segments not being released. Everything below
	// is linear in members and segments.
	members := g.order
	load := make([]int, len(members))
	for i, mem := range members {
		load[i] = len(mem.segs)
		for k := range mem.segs {
			if g.releasing[k] {
				load[i]--
			}
		}
	}
	least := func() int {
		best := 0
		for i := range members {
			if load[i] < load[best] {
				best = i
			}
		}
		return best
	}
	var acquire map[int][]Acquire
	fitted := false
	for _, a := range g.rec.Active {
		if g.owner[a.segKey] != nil {
			continue
		}
		if g.fitLocked(ctx, a) {
			fitted = true
		}
		i := least()
		mem := members[i]
		g.owner[a.segKey] = mem
		mem.segs[a.segKey] = true
		load[i]++
		if acquire == nil {
			acquire = map[int][]Acquire{}
		}
		acquire[i] = append(acquire[i], Acquire{Stream: a.Stream, ID: a.ID, Low: a.Low, High: a.High, Offset: a.Offset, End: a.End})
	}
	if fitted {
		g.persistLocked(ctx)
	}
	for i, mem := range members {
		if len(acquire[i]) > 0 {
			mem.q.push(&Assignment{Generation: g.rec.Generation, Acquire: acquire[i]})
		}
	}
	// Ask for releases; a reader counts as lighter by what it will get.
	extra := make([]int, len(members))
	for {
		most, fewest := 0, 0
		for i := range members {
			if load[i] > load[most] {
				most = i
			}
			if load[i]+extra[i] < load[fewest]+extra[fewest] {
				fewest = i
			}
		}
		if load[most]-(load[fewest]+extra[fewest]) <= 1 {
			break
		}
		// Release the newest segment of the first stream first.
		keys := slices.SortedFunc(maps.Keys(members[most].segs), func(a, b segKey) int {
			return cmp.Or(strings.Compare(a.Stream, b.Stream), cmp.Compare(b.ID, a.ID))
		})
		var k segKey
		found := false
		for _, c := range keys {
			if !g.releasing[c] {
				k, found = c, true
				break
			}
		}
		if !found {
			break
		}
		g.releasing[k] = true
		load[most]--
		extra[fewest]++
		a := g.rec.active(k)
		members[most].q.push(&Assignment{Generation: g.rec.Generation, Release: []Pos{{Stream: k.Stream, ID: k.ID, Offset: a.Offset}}})
	}
}

// checkpoint runs a checkpoint and waits for it.
func (g *group) checkpoint(ctx context.Context, name string) (*Checkpoint, error) {
	g.mu.Lock()
	if g.closed != nil {
		g.mu.Unlock()
		return nil, g.closed
	}
	if g.cp != nil {
		g.mu.Unlock()
		return nil, fmt.Errorf("%w: checkpoint %q of %s is in progress", ErrBusy, g.cp.name, g.name)
	}
	cp := &pendingCP{name: name, waiting: map[string]bool{}, cut: map[segKey]int64{}, done: make(chan struct{})}
	for stream, offs := range g.rec.position(g.successors(ctx)) {
		for id, off := range offs {
			cp.cut[segKey{stream, id}] = off
		}
	}
	g.cp = cp
	for id, mem := range g.readers {
		cp.waiting[id] = true
		mem.q.push(&Assignment{Generation: g.rec.Generation, Checkpoint: name})
	}
	g.maybeCompleteLocked(ctx)
	g.mu.Unlock()

	select {
	case <-cp.done:
		return cp.result, cp.err
	case <-ctx.Done():
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.cp == cp {
		g.endCheckpointLocked(ctx)
		cp.err = ctx.Err()
		close(cp.done)
	}
	<-cp.done
	return cp.result, cp.err
}

// maybeCompleteLocked completes the pending checkpoint once no reader is
// waited for.
func (g *group) maybeCompleteLocked(ctx context.Context) {
	cp := g.cp
	if cp == nil || len(cp.waiting) > 0 {
		return
	}
	res := &Checkpoint{Name: cp.name, Cuts: map[string]map[uint64]int64{}, Created: g.m.now().UTC()}
	for k, off := range cp.cut {
		if res.Cuts[k.Stream] == nil {
			res.Cuts[k.Stream] = map[uint64]int64{}
		}
		res.Cuts[k.Stream][k.ID] = off
	}
	g.rec.addCheckpoint(*res)
	g.persistLocked(ctx)
	cp.result = res
	g.endCheckpointLocked(ctx)
	close(cp.done)
	g.m.log.Info("checkpoint complete", slog.String("group", g.name), slog.String("checkpoint", cp.name))
}

// endCheckpointLocked lets segments move again.
func (g *group) endCheckpointLocked(ctx context.Context) {
	cp := g.cp
	g.cp = nil
	for _, k := range cp.deferred {
		g.activateLocked(ctx, k)
	}
	if len(cp.deferred) > 0 {
		g.persistLocked(ctx)
	}
	g.rebalanceLocked(ctx)
}

// successors returns a successor lookup that reads each stream record once.
func (g *group) successors(ctx context.Context) func(segKey) []segKey {
	recs := map[string]*controller.StreamRecord{}
	return func(k segKey) []segKey {
		srec, ok := recs[k.Stream]
		if !ok {
			srec, _ = g.m.stream(ctx, k.Stream)
			recs[k.Stream] = srec
		}
		if srec == nil {
			return nil
		}
		var out []segKey
		for _, s := range srec.Successors(k.ID) {
			out = append(out, segKey{k.Stream, s.ID})
		}
		return out
	}
}

// reset moves the group to a new configuration.
func (g *group) reset(ctx context.Context, cfg Config) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed != nil {
		return g.closed
	}
	next := *g.rec
	next.Config = cfg
	next.Generation++
	if err := g.m.start(ctx, &next); err != nil {
		return err
	}
	*g.rec = next
	g.persistLocked(ctx)
	if cp := g.cp; cp != nil {
		g.cp = nil
		cp.err = fmt.Errorf("%w: the group was reset", ErrBusy)
		close(cp.done)
	}
	g.owner, g.releasing, g.finished = map[segKey]*member{}, map[segKey]bool{}, false
	for _, mem := range g.readers {
		mem.segs = map[segKey]bool{}
		mem.q.push(&Assignment{Generation: g.rec.Generation, Reset: true})
	}
	g.m.log.Info("reader group reset", slog.String("group", g.name), slog.Int64("generation", g.rec.Generation))
	g.rebalanceLocked(ctx)
	return nil
}

func cmpMember(m *member, id string) int { return strings.Compare(m.id, id) }

// members returns the readers in id order.
func (g *group) members() []*member { return g.order }
