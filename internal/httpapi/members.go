package httpapi

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"maps"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/wire"
)

// Reader group members over HTTP. A client (a script with curl) joins a
// group as a reader; the server keeps one braid.GroupReader for it, made
// with braid.WithManualCommit, and the client polls events and commits
// what it processed:
//
//	POST   .../readers/{reader}         join (idempotent)
//	GET    .../readers/{reader}/events  poll a page of events (after=N)
//	POST   .../readers/{reader}/commit  commit every event polled so far (page=N)
//	DELETE .../readers/{reader}         commit and leave (page=N)
//
// Delivery is at least once. Only commits move the group's position: a
// member that stops sending requests for its session timeout is expired
// without committing, and the events it polled since its last commit go to
// the group's other readers again; so do they when the server shuts down
// (members leave without committing) and when the member's segments move
// after a failure. A segment the group moves to another reader while the
// member runs is handed over at the member's next commit, so a rebalance
// delivers nothing twice.
//
// Pages are acknowledged. A written answer may still be lost in transit,
// and a commit covers every event the reader returned; so each page with
// events gets a number (1, 2, ...), and the server keeps the last one. A
// poll with after=N (the last page the client got) when the server served
// N+1 answers page N+1 again instead of reading on; a commit with page=N
// commits only if N is the last page served (409 CONFLICT otherwise). The
// reader has returned exactly the events of the pages served, since a
// poll reads on only after the client acknowledged the last page (or did
// not say, see below), so committing when page N is the last one commits
// the pages up to N and nothing else. A client that sends neither after=
// nor page= is served as before numbering: a page the server knows it
// could not deliver (the client went away before it was written) is
// answered again by the next poll and blocks commits until then, but a
// page lost after it was written is committed by the next commit.
//
// Requests on one member run one at a time (a later one waits for the
// one in progress).
//
// This file keeps the members: the table, their sessions, the janitor that
// expires silent ones, and a member's poll of its reader. The routes and
// their JSON are in member_routes.go.

// Member defaults and bounds.
const (
	defaultSessionTimeout = 30 * time.Second
	minSessionTimeout     = 100 * time.Millisecond
	maxSessionTimeout     = time.Hour

	// memberNowWait is how long a poll without wait= gives the reader for
	// events it has at hand or about to come from its segments.
	memberNowWait = 20 * time.Millisecond
	// memberLinger is how long a poll that has an event waits for more.
	memberLinger = 5 * time.Millisecond
	// memberCallTimeout bounds joining and leaving the group.
	memberCallTimeout = 10 * time.Second
)

// memberKey names a member: the group ("scope/group") and the reader id.
type memberKey struct{ group, reader string }

// path is the member's URL path.
func (k memberKey) path() string {
	return "/v1/groups/" + k.group + "/readers/" + url.PathEscape(k.reader)
}

// member is one reader group member joined over HTTP.
type member struct {
	key memberKey
	// token holds one value while a request, the janitor or the shutdown
	// uses the member: a channel rather than a mutex so that a waiting
	// request can give up with its context.
	token chan struct{}

	// Guarded by members.mu.
	timeout  time.Duration // session timeout
	lastSeen time.Time     // the last request's start or end
	inflight int           // requests holding or waiting for the token

	// Guarded by token.
	r *braid.GroupReader // nil once the member left or was removed
	// served numbers the last page with events served (0: none yet), and
	// last is that page, kept to serve it again.
	served int64
	last   memberPage
	// undelivered: the server knows page served was not delivered (the
	// client went away before it was written): a poll without after=
	// answers it again, and a commit without page= waits for that.
	undelivered bool
}

func (mem *member) lock(ctx context.Context) error {
	select {
	case mem.token <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (mem *member) unlock() { <-mem.token }

// members holds the reader group members that HTTP clients joined, and
// the janitor goroutine that expires silent ones (started with the first
// join; closeAll stops it and waits for it).
type members struct {
	a *API
	// timeout is the session timeout of a member that names none.
	timeout time.Duration
	kick    chan struct{} // wakes the janitor to look again

	mu          sync.Mutex
	byKey       map[memberKey]*member
	closed      bool
	janitorStop context.CancelFunc // nil until the janitor runs
	janitorDone chan struct{}
	wakeAt      time.Time // when the janitor looks next

	closeOnce sync.Once
}

func newMembers(a *API) *members {
	return &members{a: a, timeout: defaultSessionTimeout, kick: make(chan struct{}, 1), byKey: map[memberKey]*member{}}
}

// notJoined is the error for a request on a member that is not there.
func (m *members) notJoined(key memberKey) error {
	m.mu.Lock()
	closed := m.closed
	m.mu.Unlock()
	if closed {
		return errorf(wire.CodeUnavailable, "the server is shutting down")
	}
	return errorf(wire.CodeNotFound, "reader %s is not a member of reader group %s over HTTP (it never joined, it left, or its session expired): join first with POST /v1/groups/%s/readers/%s",
		key.reader, key.group, key.group, url.PathEscape(key.reader))
}

// enter finds the member for a join, or adds a new one whose token the
// caller holds (created). Either way the caller counts as in flight and
// must call done (after unlocking, when it holds the token).
func (m *members) enter(key memberKey, timeout time.Duration) (mem *member, created bool, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, false, errorf(wire.CodeUnavailable, "the server is shutting down")
	}
	now := time.Now()
	if mem := m.byKey[key]; mem != nil {
		mem.inflight++
		mem.lastSeen = now
		return mem, false, nil
	}
	mem = &member{key: key, token: make(chan struct{}, 1), timeout: timeout, lastSeen: now, inflight: 1}
	mem.token <- struct{}{}
	m.byKey[key] = mem
	if m.janitorStop == nil {
		ctx, cancel := context.WithCancel(context.Background())
		m.janitorStop, m.janitorDone = cancel, make(chan struct{})
		go m.janitor(ctx, m.janitorDone)
	}
	return mem, true, nil
}

// acquire finds a joined member and takes its token. The caller calls
// release when done.
func (m *members) acquire(ctx context.Context, key memberKey) (*member, error) {
	m.mu.Lock()
	mem := m.byKey[key]
	if mem != nil {
		mem.inflight++
		mem.lastSeen = time.Now()
	}
	m.mu.Unlock()
	if mem == nil {
		return nil, m.notJoined(key)
	}
	if err := mem.lock(ctx); err != nil {
		m.done(mem)
		return nil, err
	}
	if mem.r == nil {
		m.release(mem)
		return nil, m.notJoined(key)
	}
	return mem, nil
}

// release gives back a member's token and ends the request.
func (m *members) release(mem *member) {
	mem.unlock()
	m.done(mem)
}

// done ends a request on a member (its token given back, if it held it).
func (m *members) done(mem *member) {
	m.mu.Lock()
	mem.inflight--
	mem.lastSeen = time.Now()
	early := mem.inflight == 0 && mem.lastSeen.Add(mem.timeout).Before(m.wakeAt)
	m.mu.Unlock()
	if early {
		select {
		case m.kick <- struct{}{}:
		default:
		}
	}
}

// remove takes a member out of the map (the caller holds its token).
func (m *members) remove(mem *member) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.byKey[mem.key] == mem {
		delete(m.byKey, mem.key)
	}
}

// abandon makes a removed member leave without committing (the caller
// holds its token).
func (m *members) abandon(ctx context.Context, mem *member, why string) {
	if mem.r == nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, memberCallTimeout)
	defer cancel()
	if err := mem.r.Abandon(ctx); err != nil {
		m.a.log.Warn("reader group member leaving", slog.String("group", mem.key.group), slog.String("reader", mem.key.reader), slog.Any("error", err))
	}
	m.a.log.Info("reader group member removed without committing", slog.String("group", mem.key.group),
		slog.String("reader", mem.key.reader), slog.String("why", why), slog.Int64("last_page", mem.served), slog.Bool("undelivered", mem.undelivered))
	mem.forget()
}

// forget drops a member's reader and pages (the caller holds its token).
func (mem *member) forget() {
	mem.r, mem.last, mem.undelivered = nil, memberPage{}, false
}

// janitor expires silent members until ctx ends.
func (m *members) janitor(ctx context.Context, done chan struct{}) {
	defer close(done)
	t := time.NewTimer(time.Hour)
	defer t.Stop()
	for {
		t.Reset(m.expire(ctx))
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-m.kick:
		}
	}
}

// expire removes the members silent for their session timeout, and
// returns how long until the next one may be due.
func (m *members) expire(ctx context.Context) time.Duration {
	now := time.Now()
	next := time.Hour
	var dead []*member
	m.mu.Lock()
	for key, mem := range m.byKey {
		if mem.inflight > 0 {
			continue // done() kicks the janitor if it is due earlier
		}
		due := mem.lastSeen.Add(mem.timeout)
		if now.Before(due) {
			next = min(next, due.Sub(now))
			continue
		}
		delete(m.byKey, key)
		dead = append(dead, mem)
	}
	m.wakeAt = now.Add(next)
	m.mu.Unlock()
	// Nothing holds or waits for a dead member's token: no request was in
	// flight, and none can find it now.
	for _, mem := range dead {
		mem.token <- struct{}{}
		m.abandon(ctx, mem, "no request for its session timeout of "+mem.timeout.String())
		mem.unlock()
	}
	return next
}

// closeAll makes every member leave without committing (the server is
// shutting down: the events they polled since their last commits go to
// readers again), and stops the janitor. It is idempotent; requests in
// flight end because a.stop is done.
func (m *members) closeAll() {
	m.closeOnce.Do(func() {
		m.mu.Lock()
		m.closed = true
		all := slices.Collect(maps.Values(m.byKey))
		clear(m.byKey)
		stop, done := m.janitorStop, m.janitorDone
		m.mu.Unlock()
		if stop != nil {
			stop()
			<-done
		}
		var wg sync.WaitGroup
		for _, mem := range all {
			wg.Go(func() {
				mem.token <- struct{}{}
				m.abandon(context.Background(), mem, "the server shut down")
				mem.unlock()
			})
		}
		wg.Wait()
	})
}

// memberPage is what a poll collected.
type memberPage struct {
	events     []braid.GroupEvent
	bytes      int
	checkpoint string
	end        bool
	err        error // the reader failed (returned only without events)
}

func (p *memberPage) full(limit int) bool {
	return len(p.events) >= limit || p.bytes >= maxPageBytes
}

func (p *memberPage) add(ev braid.GroupEvent) {
	p.events = append(p.events, ev)
	p.bytes += len(ev.Data)
}

// checkAfter checks a poll's after=N (the last page the client got)
// against the last page served.
func (mem *member) checkAfter(after int64) error {
	if after == mem.served || after == mem.served-1 {
		return nil
	}
	if mem.served == 0 {
		return badRequest("after=%d is out of range: no page was served yet (a member that joined anew starts at 0), so after= is 0", after)
	}
	return badRequest("after=%d is out of range: the last page served is %d, so after= is %d (you got it) or %d (you did not)", after, mem.served, mem.served, mem.served-1)
}

// checkPage checks the page=N of a commit or leave: nil if N is the last
// page served, so that committing commits the pages up to N.
func (mem *member) checkPage(page int64) error {
	switch {
	case page == mem.served:
		return nil
	case page > mem.served:
		return badRequest("page=%d was never served: the last page served is %d (a member that joined anew starts at 0)", page, mem.served)
	case page == mem.served-1:
		return errorf(wire.CodeConflict, "page %d was not the last page served (%d): poll with after=%d (GET %s/events?after=%d) to get it, then commit",
			page, mem.served, page, mem.key.path(), page)
	default:
		return errorf(wire.CodeConflict, "page %d was not the last page served (%d): process the pages up to %d, then commit with page=%d",
			page, mem.served, mem.served, mem.served)
	}
}

// poll collects a new page: events the reader returns, waiting up to
// wait for the first one and a moment for more. A Read cancelled by its
// context loses nothing: the reader keeps what it has not returned.
func (mem *member) poll(ctx context.Context, limit int, wait time.Duration) memberPage {
	var p memberPage
	deadline := time.Now().Add(max(wait, memberNowWait))
	rctx, cancel := context.WithDeadline(ctx, deadline)
	defer func() { cancel() }()
	lingering := false
	linger := func() {
		if !lingering {
			lingering = true
			cancel()
			d := time.Now().Add(memberLinger)
			if deadline.Before(d) {
				d = deadline
			}
			rctx, cancel = context.WithDeadline(ctx, d)
		}
	}
	for !p.full(limit) {
		ev, err := mem.r.Read(rctx)
		switch {
		case err == nil && ev.Checkpoint != "":
			p.checkpoint = ev.Checkpoint
			return p
		case err == nil:
			p.add(ev)
			linger()
		case errors.Is(err, io.EOF):
			p.end = true
			return p
		case rctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)):
			return p
		default:
			if len(p.events) == 0 {
				p.err = err // else the next Read meets it again
			}
			return p
		}
	}
	return p
}
