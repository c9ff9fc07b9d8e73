package httpapi

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/auth"
	"github.com/braidstream/braid/wire"
)

// Reader group administration: create, list, describe, checkpoint, reset
// and delete, through the Go client. The JSON forms are in groups_json.go:
// stream cuts are keyed by stream ("scope/stream": "v1.…") so that a
// group's position can be given back as "from".

// Bounds of a group's reader timeout (the server's).
const (
	minReaderTimeout = 100 * time.Millisecond
	maxReaderTimeout = time.Hour
)

// Checkpoint waits: the default and the most a request may ask for.
const (
	defaultCheckpointWait = 60 * time.Second
	maxCheckpointWait     = time.Hour
)

// Causes of a checkpoint's end.
var (
	errCheckpointWait     = errors.New("the checkpoint's wait passed")
	errCheckpointShutdown = errors.New("the server is shutting down")
)

// groupName reads {scope} and {group} from the path: "scope/group".
func groupName(r *http.Request) (string, error) { return scopedName(r, "group") }

// groupConfig builds a group configuration from a request. prev is the
// group's configuration on reset (nil on create): streams, end cuts and
// the reader timeout default to it.
func (a *API) groupConfig(ctx context.Context, req *groupConfigRequest, prev *braid.ReaderGroupConfig) (braid.ReaderGroupConfig, error) {
	var cfg braid.ReaderGroupConfig
	streams := req.Streams
	if len(streams) == 0 && prev != nil {
		for _, s := range prev.Streams {
			streams = append(streams, s.Stream)
		}
	}
	if len(streams) == 0 {
		return cfg, badRequest("streams is required: the \"scope/stream\" names the group reads")
	}
	for i, s := range streams {
		scope, name, ok := strings.Cut(s, "/")
		if !ok || scope == "" || name == "" || strings.Contains(name, "/") {
			return cfg, badRequest("streams[%d] %q: want \"scope/stream\"", i, s)
		}
		if slices.Contains(streams[:i], s) {
			return cfg, badRequest("streams names %q twice", s)
		}
	}
	from, err := parseCutValues("from", req.From, streams, []string{"head", "tail"})
	if err != nil {
		return cfg, err
	}
	to, err := parseCutValues("to", req.To, streams, []string{"none", "tail"})
	if err != nil {
		return cfg, err
	}
	switch {
	case req.ReaderTimeout != "":
		d, err := time.ParseDuration(req.ReaderTimeout)
		if err != nil {
			return cfg, badRequest("reader_timeout %q is not a duration (like 10s or 500ms)", req.ReaderTimeout)
		}
		if d < minReaderTimeout || d > maxReaderTimeout {
			return cfg, badRequest("reader_timeout %q: want %s to %s", req.ReaderTimeout, minReaderTimeout, maxReaderTimeout)
		}
		cfg.ReaderTimeout = d
	case prev != nil:
		cfg.ReaderTimeout = prev.ReaderTimeout
	}
	for _, s := range streams {
		gs := braid.GroupStream{Stream: s}
		switch v := from.of(s); v {
		case "", "head":
		case "tail":
			gs.FromTail = true
		default:
			gs.Start, _ = braid.ParseStreamCut(v)
			gs.Start.Stream = s
		}
		switch v := to.of(s); v {
		case "":
			if prev != nil {
				for _, ps := range prev.Streams {
					if ps.Stream == s {
						gs.End = ps.End
					}
				}
			}
		case "none":
		case "tail":
			tail, err := a.client.TailCut(ctx, s)
			if err != nil {
				return cfg, streamRefError(err)
			}
			gs.End = tail
		default:
			gs.End, _ = braid.ParseStreamCut(v)
			gs.End.Stream = s
		}
		cfg.Streams = append(cfg.Streams, gs)
	}
	return cfg, nil
}

// streamRefError makes a NOT_FOUND about a stream named in a request body
// an INVALID_ARGUMENT: the request is wrong, not its path.
func streamRefError(err error) error {
	var be *braid.Error
	if errors.As(err, &be) && be.Code == wire.CodeNotFound {
		return badRequest("%s", errText(err))
	}
	return err
}

// groupRoutes are reader group administration.
func (a *API) groupRoutes() []route {
	groupParams := []param{
		pathParam("scope", "the group's scope"),
		pathParam("group", "the group's name within its scope"),
	}
	groupDesc := `the group: {"scope", "group", "name", "config": {"streams": [{"stream", "from", "to"}], "reader_timeout"}, "generation", ` +
		`"readers": [{"id", "segments", "last_seen"}], "segments": [{"stream", "id", "key_low", "key_high", "offset", "tail", "end_offset", "lag", "reader"}], ` +
		`"position": {"scope/stream": CUT}, "lag_bytes", "lag_events", "checkpoints": [{"name", "cuts", "created"}], "finished", "created"}`
	configBody := `{"streams": ["scope/stream", ...], "from": "head" | "tail" | CUT | {"scope/stream": "head" | "tail" | CUT}, ` +
		`"to": "none" | "tail" | CUT | {"scope/stream": ...}, "reader_timeout": "10s"}`
	return []route{{
		Method: "GET", Path: "/v1/groups/{scope}", Tag: "groups",
		Summary:   "List the reader groups of a scope",
		Params:    groupParams[:1],
		Responses: jsonOK(`{"groups": [group]}, by name; each group as GET /v1/groups/{scope}/{group} describes it`),
		Access:    listing(),
		Handler:   a.listGroups,
	}, {
		Method: "PUT", Path: "/v1/groups/{scope}/{group}", Tag: "groups",
		Summary: "Create a reader group over one or more streams. from: where each stream starts (head by default, tail, or a stream cut); " +
			"to: where it ends (none by default: read on as events come; tail: the tail now; or a stream cut); reader_timeout: how long a gRPC reader may be silent before its segments go to the others (100ms to 1h, default 10s). " +
			"A bare stream cut needs exactly one stream; an object gives values per stream. Members join with POST .../readers/{reader}.",
		Params:    groupParams,
		Request:   &body{Desc: configBody, Content: []string{"application/json"}, Required: true},
		Responses: map[string]response{"201": {Desc: groupDesc, Content: []string{"application/json"}}},
		Access:    a.groupConfigAccess(false),
		Handler:   a.createGroup,
	}, {
		Method: "GET", Path: "/v1/groups/{scope}/{group}", Tag: "groups",
		Summary:   "Describe a reader group: its streams, readers with their segments, segments with their owners, committed offsets and lag, its position, lag and checkpoints",
		Params:    groupParams,
		Responses: jsonOK(groupDesc),
		Access:    needs(auth.PermRead),
		Handler:   a.describeGroup,
	}, {
		Method: "DELETE", Path: "/v1/groups/{scope}/{group}", Tag: "groups",
		Summary:   "Delete a reader group with its position and checkpoints (not its streams); its readers and HTTP members stop with NOT_FOUND",
		Params:    groupParams,
		Responses: map[string]response{"204": {Desc: "deleted"}},
		Access:    needs(auth.PermAdmin),
		Handler:   a.deleteGroup,
	}, {
		Method: "POST", Path: "/v1/groups/{scope}/{group}/checkpoints", Tag: "groups",
		Summary: "Take a named checkpoint: every reader marks its position once it processed what it read before, and the answer comes when all did. " +
			"An HTTP member passes it by polling (the answer says \"checkpoint\") and then committing. If the wait passes first, the checkpoint is abandoned (504). A name used before is replaced.",
		Params: slices.Concat(groupParams, []param{
			queryParam("timeout", "string", "how long to wait for every reader (a Go duration; default 60s, at most 1h)"),
		}),
		Request:   &body{Desc: `{"name": "cp1"}`, Content: []string{"application/json"}, Required: true},
		Responses: jsonOK(`the checkpoint: {"name", "cuts": {"scope/stream": CUT}, "created"}`),
		Access:    needs(auth.PermAdmin),
		Handler:   a.checkpointGroup,
	}, {
		Method: "POST", Path: "/v1/groups/{scope}/{group}/reset", Tag: "groups",
		Summary: "Move a reader group to one of its checkpoints ({\"checkpoint\": NAME}) or to a new configuration (the fields of create; streams default to the group's, " +
			"to and reader_timeout to the group's, from to head). Every reader drops its segments and gets new ones from there.",
		Params:    groupParams,
		Request:   &body{Desc: `{"checkpoint": "cp1"} or ` + configBody, Content: []string{"application/json"}, Required: true},
		Responses: jsonOK(groupDesc),
		Access:    a.groupConfigAccess(true),
		Handler:   a.resetGroup,
	}}
}

func (a *API) listGroups(w http.ResponseWriter, r *http.Request) error {
	scope, err := nameParam(r, "scope")
	if err != nil {
		return err
	}
	if !a.visible(r, scope) {
		// Nothing the caller may read, whether the scope exists or not.
		writeJSON(w, http.StatusOK, map[string][]groupJSON{"groups": {}})
		return nil
	}
	groups, err := a.client.ListReaderGroups(r.Context(), scope)
	if err != nil {
		return err
	}
	if len(groups) == 0 {
		// The server lists no groups for a missing scope; say so.
		if _, err := a.client.ListStreams(r.Context(), scope); err != nil {
			return err
		}
	}
	slices.SortFunc(groups, func(a, b braid.GroupInfo) int { return strings.Compare(a.Name, b.Name) })
	out := struct {
		Groups []groupJSON `json:"groups"`
	}{Groups: make([]groupJSON, 0, len(groups))}
	for _, g := range groups {
		out.Groups = append(out.Groups, groupOf(g))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (a *API) createGroup(w http.ResponseWriter, r *http.Request) error {
	name, err := groupName(r)
	if err != nil {
		return err
	}
	var req groupConfigRequest
	if err := a.decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	cfg, err := a.groupConfig(r.Context(), &req, nil)
	if err != nil {
		return err
	}
	info, err := a.client.ReaderGroup(name).Create(r.Context(), cfg)
	if err != nil {
		return streamRefError(err) // the group cannot be missing: a stream is
	}
	writeJSON(w, http.StatusCreated, groupOf(info))
	return nil
}

func (a *API) describeGroup(w http.ResponseWriter, r *http.Request) error {
	name, err := groupName(r)
	if err != nil {
		return err
	}
	info, err := a.client.ReaderGroup(name).Describe(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, groupOf(info))
	return nil
}

func (a *API) deleteGroup(w http.ResponseWriter, r *http.Request) error {
	name, err := groupName(r)
	if err != nil {
		return err
	}
	if err := a.client.ReaderGroup(name).Delete(r.Context()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) checkpointGroup(w http.ResponseWriter, r *http.Request) error {
	name, err := groupName(r)
	if err != nil {
		return err
	}
	wait := defaultCheckpointWait
	if v := r.URL.Query().Get("timeout"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 || d > maxCheckpointWait {
			return badRequest("timeout=%q is not a duration from 1ms to %s (like 30s or 5m)", v, maxCheckpointWait)
		}
		wait = d
	}
	var req checkpointRequest
	if err := a.decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	if req.Name == "" {
		return badRequest("name is required: the checkpoint's name")
	}
	// The wait is a timer, not a deadline: the server then sees the
	// client give up, and the cause tells the two apart.
	ctx, cancel := context.WithCancelCause(r.Context())
	defer cancel(nil)
	timer := time.AfterFunc(wait, func() { cancel(errCheckpointWait) })
	defer timer.Stop()
	stop := context.AfterFunc(a.stop, func() { cancel(errCheckpointShutdown) })
	defer stop()
	cp, err := a.client.ReaderGroup(name).Checkpoint(ctx, req.Name)
	if err != nil {
		switch context.Cause(ctx) {
		case errCheckpointShutdown:
			return errorf(wire.CodeUnavailable, "checkpoint %s of %s: the server is shutting down; the checkpoint was abandoned", req.Name, name)
		case errCheckpointWait:
			return errorf(wire.CodeDeadlineExceeded, "checkpoint %s of %s: not every reader passed it within %s, so it was abandoned "+
				"(readers must be reading; an HTTP member passes it by polling, then committing)", req.Name, name, wait)
		}
		return err
	}
	writeJSON(w, http.StatusOK, checkpointOf(cp))
	return nil
}

func (a *API) resetGroup(w http.ResponseWriter, r *http.Request) error {
	name, err := groupName(r)
	if err != nil {
		return err
	}
	var req resetGroupRequest
	if err := a.decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	g := a.client.ReaderGroup(name)
	config := len(req.Streams) > 0 || len(req.From) > 0 || len(req.To) > 0 || req.ReaderTimeout != ""
	var info braid.GroupInfo
	switch {
	case req.Checkpoint != "" && config:
		return badRequest("checkpoint and streams, from, to or reader_timeout do not go together: reset to a checkpoint or to a new configuration")
	case req.Checkpoint != "":
		if info, err = g.ResetToCheckpoint(r.Context(), req.Checkpoint); err != nil {
			return err
		}
	case !config:
		return badRequest("nothing to reset to: give checkpoint, or from, to, streams or reader_timeout")
	default:
		cur, err := g.Describe(r.Context())
		if err != nil {
			return err
		}
		cfg, err := a.groupConfig(r.Context(), &req.groupConfigRequest, &cur.Config)
		if err != nil {
			return err
		}
		if info, err = g.Reset(r.Context(), cfg); err != nil {
			return streamRefError(err) // the group was there a moment ago
		}
	}
	writeJSON(w, http.StatusOK, groupOf(info))
	return nil
}
