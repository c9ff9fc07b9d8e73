package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"maps"
	"net/http"
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
//	GET    .../readers/{reader}/events  poll a page of events
//	POST   .../readers/{reader}/commit  commit every event polled so far
//	DELETE .../readers/{reader}         commit and leave
//
// Delivery is at least once. Only commits move the group's position: a
// member that stops sending requests for its session timeout is expired
// without committing, and the events it polled since its last commit go to
// the group's other readers again; so do they when the server shuts down
// (members leave without committing) and when the member's segments move
// after a failure. A segment the group moves to another reader while the
// member runs is handed over at the member's next commit, so a rebalance
// delivers nothing twice. A page the server could not deliver (the client
// went away before it was written) is kept and answered again by the next
// poll.
//
// Requests on one member run one at a time (a later one waits for the
// one in progress).

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
	// pending are events read from r and not delivered (their page was
	// not written, or did not fit): the next poll answers with them first.
	pending []braid.GroupEvent
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
		slog.String("reader", mem.key.reader), slog.String("why", why), slog.Int("undelivered", len(mem.pending)))
	mem.r, mem.pending = nil, nil
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

// memberRoutes let an HTTP client be a reader group member.
func (a *API) memberRoutes() []route {
	params := []param{
		pathParam("scope", "the group's scope"),
		pathParam("group", "the group's name within its scope"),
		pathParam("reader", "the member's reader id (1 to 256 bytes, no slash), unique in the group"),
	}
	return []route{{
		Method: "POST", Path: "/v1/groups/{scope}/{group}/readers/{reader}", Tag: "groups",
		Summary: "Join a reader group as a member: the server reads for it (201). Joining again is idempotent (200, same session; a session_timeout given replaces the old). " +
			"A reader of the same id in the group (a gRPC reader, or a member on another server) is replaced. " +
			"A member that sends no request for its session timeout is removed without committing: the events it polled since its last commit go to the other readers again.",
		Params:    params,
		Request:   &body{Desc: `optional: {"session_timeout": "30s"} (100ms to 1h; default 30s)`, Content: []string{"application/json"}},
		Responses: map[string]response{"201": {Desc: `joined: {"group", "reader", "session_timeout"}`, Content: []string{"application/json"}}, "200": {Desc: "already joined", Content: []string{"application/json"}}},
		Handler:   a.joinMember,
	}, {
		Method: "GET", Path: "/v1/groups/{scope}/{group}/readers/{reader}/events", Tag: "groups",
		Summary: "Poll the member's next events: every event of the group goes to one member (or reader), in order per routing key. Commit after processing them; until then the group counts them as not processed. " +
			"\"checkpoint\" says the member reached that checkpoint (the page ends there): process the events, then commit, which passes it; until then every poll answers with it again and no events. " +
			"\"end\": true once a bounded group read everything (after every member committed its last events).",
		Params: slices.Concat(params, []param{
			queryParam("limit", "integer", "at most this many events (default 100, at most 10000); a page also ends at about 4 MiB"),
			queryParam("wait", "string", "long-poll: wait this long (a Go duration, like 30s; at most the server's maximum wait, 60 s by default) for at least one event; default 0: what is at hand now"),
			queryParam("encoding", "string", "base64: every payload as data_base64 (default: data when the payload is valid UTF-8)"),
		}),
		Responses: jsonOK(`{"events": [{"stream", "pointer", "data" | "data_base64"}], "position": [{"stream", "segment", "offset"}] (the member's position after the page: what a commit records), ` +
			`"checkpoint": NAME (when the member reached a checkpoint), "end": true (a bounded group read everything)}`),
		Handler: a.pollMember,
	}, {
		Method: "POST", Path: "/v1/groups/{scope}/{group}/readers/{reader}/commit", Tag: "groups",
		Summary: "Commit: every event polled so far counts as processed, and the group goes on after them if the member fails. A segment the group moves to another member is handed over here, " +
			"a segment read to its end is finished here, and a checkpoint the member reached is passed here. 409 CONFLICT if a page could not be delivered: poll it first.",
		Params:    params,
		Responses: jsonOK(`{"committed": true}`),
		Handler:   a.commitMember,
	}, {
		Method: "DELETE", Path: "/v1/groups/{scope}/{group}/readers/{reader}", Tag: "groups",
		Summary:   "Leave the group: commit every event polled so far (unless a page could not be delivered: then leave at the last commit) and hand the member's segments to the others",
		Params:    params,
		Responses: map[string]response{"204": {Desc: "left"}},
		Handler:   a.leaveMember,
	}}
}

// memberKeyOf reads a member's names from the path.
func memberKeyOf(r *http.Request) (memberKey, error) {
	group, err := groupName(r)
	if err != nil {
		return memberKey{}, err
	}
	reader, err := nameParam(r, "reader")
	if err != nil {
		return memberKey{}, err
	}
	if len(reader) > 256 {
		return memberKey{}, badRequest("reader id is %d bytes; want 1 to 256", len(reader))
	}
	return memberKey{group: group, reader: reader}, nil
}

// joinRequest is the optional body of a join.
type joinRequest struct {
	SessionTimeout string `json:"session_timeout"`
}

// memberJSON answers a join.
type memberJSON struct {
	Group          string `json:"group"`
	Reader         string `json:"reader"`
	SessionTimeout string `json:"session_timeout"`
}

func (a *API) joinMember(w http.ResponseWriter, r *http.Request) error {
	key, err := memberKeyOf(r)
	if err != nil {
		return err
	}
	var req joinRequest
	if err := a.decodeJSON(w, r, &req, true); err != nil {
		return err
	}
	m := a.members
	timeout := m.timeout
	if req.SessionTimeout != "" {
		d, err := time.ParseDuration(req.SessionTimeout)
		if err != nil || d < minSessionTimeout || d > maxSessionTimeout {
			return badRequest("session_timeout %q is not a duration from %s to %s (like 30s or 5m)", req.SessionTimeout, minSessionTimeout, maxSessionTimeout)
		}
		timeout = d
	}
	for {
		mem, created, err := m.enter(key, timeout)
		if err != nil {
			return err
		}
		if created {
			ctx, cancel := context.WithTimeout(r.Context(), memberCallTimeout)
			rd, err := a.client.ReaderGroup(key.group).NewReader(ctx, key.reader, braid.WithManualCommit())
			cancel()
			if err != nil {
				m.remove(mem)
				m.release(mem)
				return err
			}
			mem.r = rd
			m.release(mem)
			a.log.Info("reader group member joined over HTTP", slog.String("group", key.group), slog.String("reader", key.reader))
			writeJSON(w, http.StatusCreated, memberJSON{Group: key.group, Reader: key.reader, SessionTimeout: timeout.String()})
			return nil
		}
		if err := mem.lock(r.Context()); err != nil {
			m.done(mem)
			return err
		}
		joined := mem.r != nil
		m.mu.Lock()
		if joined && req.SessionTimeout != "" {
			mem.timeout = timeout
		}
		current := mem.timeout
		m.mu.Unlock()
		m.release(mem)
		if joined {
			writeJSON(w, http.StatusOK, memberJSON{Group: key.group, Reader: key.reader, SessionTimeout: current.String()})
			return nil
		}
		// That member failed to join or just left: join anew.
	}
}

// memberEventJSON is an event of a member's page: its stream, then the
// event as reads show it but without a position (the page's position is
// the member's, over every stream it reads).
type memberEventJSON struct {
	Stream string `json:"stream"`
	eventJSON
}

type segmentPositionJSON struct {
	Stream  string `json:"stream"`
	Segment uint64 `json:"segment"`
	Offset  int64  `json:"offset"`
}

// memberPageJSON is the answer of a poll.
type memberPageJSON struct {
	Events []memberEventJSON `json:"events"`
	// Position is the member's position after the page's last event (what
	// a commit records); absent without events.
	Position   []segmentPositionJSON `json:"position,omitempty"`
	Checkpoint string                `json:"checkpoint,omitempty"`
	End        bool                  `json:"end,omitempty"`
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

// poll collects a page: the undelivered events first, then events the
// reader returns, waiting up to wait for the first one and a moment for
// more. A Read cancelled by its context loses nothing: the reader keeps
// what it has not returned.
func (mem *member) poll(ctx context.Context, limit int, wait time.Duration) memberPage {
	var p memberPage
	for len(mem.pending) > 0 && !p.full(limit) {
		p.add(mem.pending[0])
		mem.pending = mem.pending[1:]
	}
	if len(mem.pending) > 0 || p.full(limit) {
		return p
	}
	mem.pending = nil
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
	if len(p.events) > 0 {
		linger()
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

// pageJSON encodes a page.
func pageJSON(p *memberPage, b64 bool) memberPageJSON {
	out := memberPageJSON{Events: make([]memberEventJSON, 0, len(p.events)), Checkpoint: p.checkpoint, End: p.end}
	for _, ev := range p.events {
		out.Events = append(out.Events, memberEventJSON{Stream: ev.Pointer.Stream, eventJSON: newEventJSON(ev.Pointer, ev.Data, b64)})
	}
	if n := len(p.events); n > 0 {
		for _, sp := range p.events[n-1].Position() {
			out.Position = append(out.Position, segmentPositionJSON{Stream: sp.Stream, Segment: sp.SegmentID, Offset: sp.Offset})
		}
	}
	return out
}

func (a *API) pollMember(w http.ResponseWriter, r *http.Request) error {
	key, err := memberKeyOf(r)
	if err != nil {
		return err
	}
	limit, wait, b64, err := a.pageParams(r.URL.Query())
	if err != nil {
		return err
	}
	ctx, cancel := a.requestCtx(r.Context())
	defer cancel()
	m := a.members
	mem, err := m.acquire(ctx, key)
	if err != nil {
		return err
	}
	defer m.release(mem)
	p := mem.poll(ctx, limit, wait)
	if p.err != nil {
		// The reader cannot go on (its group was deleted, a segment
		// failed): the member is removed, and may join again.
		m.remove(mem)
		m.abandon(context.WithoutCancel(ctx), mem, "its reader failed: "+p.err.Error())
		return p.err
	}
	if r.Context().Err() != nil {
		mem.pending = append(p.events, mem.pending...) // the client went away
		return nil
	}
	// As writeJSON does, but the page is kept if it cannot be written.
	var body bytes.Buffer
	enc := json.NewEncoder(&body)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(pageJSON(&p, b64)); err != nil {
		mem.pending = append(p.events, mem.pending...)
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	iw := a.responseWriter(w)
	_, err = iw.Write(body.Bytes())
	if err == nil {
		err = iw.Flush()
	}
	if err != nil {
		mem.pending = append(p.events, mem.pending...)
	}
	return nil
}

func (a *API) commitMember(w http.ResponseWriter, r *http.Request) error {
	key, err := memberKeyOf(r)
	if err != nil {
		return err
	}
	ctx, cancel := a.requestCtx(r.Context())
	defer cancel()
	m := a.members
	mem, err := m.acquire(ctx, key)
	if err != nil {
		return err
	}
	defer m.release(mem)
	if n := len(mem.pending); n > 0 {
		return errorf(wire.CodeConflict, "%d events of an earlier poll were not delivered (the client went away before the answer was written): "+
			"poll them (GET /v1/groups/%s/readers/%s/events) before committing", n, key.group, url.PathEscape(key.reader))
	}
	if err := mem.r.Commit(ctx); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		Committed bool `json:"committed"`
	}{true})
	return nil
}

func (a *API) leaveMember(w http.ResponseWriter, r *http.Request) error {
	key, err := memberKeyOf(r)
	if err != nil {
		return err
	}
	m := a.members
	mem, err := m.acquire(r.Context(), key)
	if err != nil {
		return err
	}
	defer m.release(mem)
	m.remove(mem)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), memberCallTimeout)
	defer cancel()
	if len(mem.pending) == 0 {
		_ = mem.r.Commit(ctx) // an error is the reader's: Close leaves anyway
	}
	err = mem.r.Close(ctx)
	mem.r, mem.pending = nil, nil
	if err != nil {
		ae := toAPIError(err)
		return &apiError{Code: ae.Code, Status: ae.Status, Message: ae.Message + " (the member was removed all the same)"}
	}
	a.log.Info("reader group member left", slog.String("group", key.group), slog.String("reader", key.reader))
	w.WriteHeader(http.StatusNoContent)
	return nil
}
