package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
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
		Handler:   a.joinMember,
	}, {
		Method: "GET", Path: "/v1/groups/{scope}/{group}/readers/{reader}/events", Tag: "groups",
		Summary: "Poll the member's next events: every event of the group goes to one member (or reader), in order per routing key. Commit after processing them; until then the group counts them as not processed. " +
			"\"checkpoint\" says the member reached that checkpoint (the page ends there): process the events, then commit, which passes it; until then every poll answers with it again and no events. " +
			"\"end\": true once a bounded group read everything (after every member committed its last events).",
		Params: slices.Concat(params, pageQueryParams(": what is at hand now")),
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
	ctx, mem, release, err := a.acquireMember(r, key)
	if err != nil {
		return err
	}
	defer release()
	p := mem.poll(ctx, limit, wait)
	if p.err != nil {
		// The reader cannot go on (its group was deleted, a segment
		// failed): the member is removed, and may join again.
		a.members.remove(mem)
		a.members.abandon(context.WithoutCancel(ctx), mem, "its reader failed: "+p.err.Error())
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
	ctx, mem, release, err := a.acquireMember(r, key)
	if err != nil {
		return err
	}
	defer release()
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
