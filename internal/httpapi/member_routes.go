package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/wire"
)

// The routes of reader group members over HTTP (join, poll, commit,
// leave) and their JSON. members.go keeps the members themselves.

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
		Access:    a.memberAccess(),
		Handler:   a.joinMember,
	}, {
		Method: "GET", Path: "/v1/groups/{scope}/{group}/readers/{reader}/events", Tag: "groups",
		Summary: "Poll the member's next events: every event of the group goes to one member (or reader), in order per routing key. Commit after processing them; until then the group counts them as not processed. " +
			"\"checkpoint\" says the member reached that checkpoint (the page ends there): process the events, then commit, which passes it; until then every poll answers with it again and no events. " +
			"\"end\": true once a bounded group read everything (after every member committed its last events).",
		Params: slices.Concat(params, pageQueryParams(": what is at hand now"), []param{queryParam("after", "integer",
			"the last page number the client received (0 before any). If the server served page after+1 since (its answer was lost), that page comes again, the same events with the same number "+
				"(limit= does not cut it); if after= is the last page served, the poll reads on. Any other value is a 400. "+
				"Without after=, a poll reads on, unless the server knows its last page was not delivered (the client went away before it was written): then that page comes again")}),
		Responses: jsonOK(`{"page": N, "events": [{"stream", "pointer", "data" | "data_base64"}], "position": [{"stream", "segment", "offset"}] (the member's position after the page: what a commit records), ` +
			`"checkpoint": NAME (when the member reached a checkpoint), "end": true (a bounded group read everything)}. ` +
			`"page" numbers the pages with events of this member session (1, 2, ...); a page without events carries the last number unchanged (0 before any)`),
		Access:  a.memberAccess(),
		Handler: a.pollMember,
	}, {
		Method: "POST", Path: "/v1/groups/{scope}/{group}/readers/{reader}/commit", Tag: "groups",
		Summary: "Commit: every event polled so far counts as processed, and the group goes on after them if the member fails. A segment the group moves to another member is handed over here, " +
			"a segment read to its end is finished here, and a checkpoint the member reached is passed here. " +
			"With page=N, the commit is made only if N is the last page served (the pages up to N are committed), else 409 CONFLICT: poll with after=N to get the page the client missed, then commit. " +
			"Without page=, 409 CONFLICT if the server knows its last page was not delivered (poll it first); a page lost in transit after it was written is committed unseen: use after= and page=.",
		Params: append(slices.Clone(params), queryParam("page", "integer",
			"the last page the client received and processed: commit only if it is the last page served (409 CONFLICT otherwise; 400 if it was never served)")),
		Responses: jsonOK(`{"committed": true}`),
		Access:    a.memberAccess(),
		Handler:   a.commitMember,
	}, {
		Method: "DELETE", Path: "/v1/groups/{scope}/{group}/readers/{reader}", Tag: "groups",
		Summary: "Leave the group: commit every event polled so far (unless a page could not be delivered, or page=N is not the last page served: then leave at the last commit, " +
			"and the events polled since go to the other readers) and hand the member's segments to the others",
		Params: append(slices.Clone(params), queryParam("page", "integer",
			"the last page the client received and processed: commit before leaving only if it is the last page served (400 if it was never served)")),
		Responses: map[string]response{"204": {Desc: "left"}},
		Access:    a.memberAccess(),
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
			rd, err := a.client.ReaderGroup(key.group).NewReader(ctx, key.reader, braid.WithManualCommit(), braid.WithGroupReadAhead(a.limits.ReadAheadBytes))
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
	// Page numbers the member's pages with events; a page without events
	// has the last number.
	Page   int64             `json:"page"`
	Events []memberEventJSON `json:"events"`
	// Position is the member's position after the page's last event (what
	// a commit records); absent without events.
	Position   []segmentPositionJSON `json:"position,omitempty"`
	Checkpoint string                `json:"checkpoint,omitempty"`
	End        bool                  `json:"end,omitempty"`
}

// pageJSON encodes page number n.
func pageJSON(p *memberPage, n int64, b64 bool) memberPageJSON {
	out := memberPageJSON{Page: n, Events: make([]memberEventJSON, 0, len(p.events)), Checkpoint: p.checkpoint, End: p.end}
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

// acquireMember finds the member key names and takes its token, with a
// context that ends with the request or when the server shuts down;
// release gives the token back and ends the context.
func (a *API) acquireMember(r *http.Request, key memberKey) (ctx context.Context, mem *member, release func(), err error) {
	ctx, cancel := a.requestCtx(r.Context())
	if mem, err = a.members.acquire(ctx, key); err != nil {
		cancel()
		return nil, nil, nil, err
	}
	return ctx, mem, func() {
		a.members.release(mem)
		cancel()
	}, nil
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
	after, hasAfter, err := pageNumberParam(r.URL.Query(), "after")
	if err != nil {
		return err
	}
	ctx, mem, release, err := a.acquireMember(r, key)
	if err != nil {
		return err
	}
	defer release()
	if hasAfter {
		if err := mem.checkAfter(after); err != nil {
			return err
		}
		if after == mem.served {
			mem.undelivered = false // the client got it
		}
	}
	// numbered: the answer is page mem.served (kept in mem.last), served
	// again or new; else it is a page without events.
	var p memberPage
	numbered := hasAfter && after == mem.served-1 || !hasAfter && mem.undelivered
	if numbered {
		p = mem.last
	} else {
		p = mem.poll(ctx, limit, wait)
		if p.err != nil {
			// The reader cannot go on (its group was deleted, a segment
			// failed): the member is removed, and may join again.
			a.members.remove(mem)
			a.members.abandon(context.WithoutCancel(ctx), mem, "its reader failed: "+p.err.Error())
			return p.err
		}
		if len(p.events) > 0 {
			numbered = true
			mem.served++
			mem.last = p
		}
	}
	if numbered {
		// Until written, the page counts as not delivered.
		mem.undelivered = true
	}
	if r.Context().Err() != nil {
		return nil // the client went away
	}
	// As writeJSON does, but the server learns whether it was written.
	var body bytes.Buffer
	enc := json.NewEncoder(&body)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(pageJSON(&p, mem.served, b64)); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	iw := a.responseWriter(w)
	_, err = iw.Write(body.Bytes())
	if err == nil {
		err = iw.Flush()
	}
	if err == nil && numbered {
		// Written, which does not say the client got it: a client that
		// did not says so with after=.
		mem.undelivered = false
	}
	return nil
}

// pageNumberParam parses a page number query parameter (after=, page=).
func pageNumberParam(q url.Values, name string) (n int64, ok bool, err error) {
	v := q.Get(name)
	if v == "" {
		return 0, false, nil
	}
	n, err = strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, false, badRequest("%s=%q is not a page number (a whole number from 0)", name, v)
	}
	return n, true, nil
}

func (a *API) commitMember(w http.ResponseWriter, r *http.Request) error {
	key, err := memberKeyOf(r)
	if err != nil {
		return err
	}
	page, hasPage, err := pageNumberParam(r.URL.Query(), "page")
	if err != nil {
		return err
	}
	ctx, mem, release, err := a.acquireMember(r, key)
	if err != nil {
		return err
	}
	defer release()
	switch {
	case hasPage:
		if err := mem.checkPage(page); err != nil {
			return err
		}
		mem.undelivered = false // the client got it
	case mem.undelivered:
		return errorf(wire.CodeConflict, "page %d (%d events) was not delivered (the client went away before the answer was written): "+
			"poll it (GET %s/events?after=%d) before committing", mem.served, len(mem.last.events), key.path(), mem.served-1)
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
	page, hasPage, err := pageNumberParam(r.URL.Query(), "page")
	if err != nil {
		return err
	}
	m := a.members
	mem, err := m.acquire(r.Context(), key)
	if err != nil {
		return err
	}
	defer m.release(mem)
	commit := !mem.undelivered
	if hasPage {
		if page > mem.served {
			return mem.checkPage(page)
		}
		commit = page == mem.served
	}
	m.remove(mem)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), memberCallTimeout)
	defer cancel()
	if commit {
		_ = mem.r.Commit(ctx) // an error is the reader's: Close leaves anyway
	}
	err = mem.r.Close(ctx)
	mem.forget()
	if err != nil {
		ae := toAPIError(err)
		return &apiError{Code: ae.Code, Status: ae.Status, Message: ae.Message + " (the member was removed all the same)"}
	}
	a.log.Info("reader group member left", slog.String("group", key.group), slog.String("reader", key.reader))
	w.WriteHeader(http.StatusNoContent)
	return nil
}
