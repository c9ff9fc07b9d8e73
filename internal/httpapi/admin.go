package httpapi

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/auth"
)

// adminRoutes are scopes, streams and stream cuts. Each goes through the
// client, as the CLI's admin commands do; the JSON forms are in
// admin_json.go.
func (a *API) adminRoutes() []route {
	scopeParams := []param{pathParam("scope", "the scope's name")}
	jsonIn := func(desc string, required bool) *body {
		return &body{Desc: desc, Content: []string{"application/json"}, Required: required}
	}
	stream := func(status, desc string) map[string]response {
		return map[string]response{status: {Desc: desc + `: {"scope", "stream", "name", "sealed", "created", "segments": [{"id", "key_low", "key_high", "length", "start_offset", "sealed"}], "epochs": [{"epoch", "created", "segments": [{"id", "key_low", "key_high"}]}], "retention", "scaling"}`,
			Content: []string{"application/json"}}}
	}
	noContent := func(desc string) map[string]response { return map[string]response{"204": {Desc: desc}} }
	cut := jsonOK(`{"cut": "v1.…", "segments": [{"segment", "offset"}]}`)
	return []route{{
		Method: "GET", Path: "/v1/scopes", Tag: "admin",
		Summary:   "List scopes",
		Responses: jsonOK(`{"scopes": [names]}, sorted`),
		Access:    listing(),
		Handler:   a.listScopes,
	}, {
		Method: "PUT", Path: "/v1/scopes/{scope}", Tag: "admin",
		Summary: "Create a scope; succeeds if it exists",
		Params:  scopeParams,
		Responses: map[string]response{
			"201": {Desc: `created: {"scope", "created": true}`, Content: []string{"application/json"}},
			"200": {Desc: `it existed: {"scope", "created": false}`, Content: []string{"application/json"}},
		},
		Access:  needs(auth.PermCluster),
		Handler: a.createScope,
	}, {
		Method: "DELETE", Path: "/v1/scopes/{scope}", Tag: "admin",
		Summary:   "Delete an empty scope",
		Params:    scopeParams,
		Responses: noContent("deleted"),
		Access:    needs(auth.PermCluster),
		Handler:   a.deleteScope,
	}, {
		Method: "GET", Path: "/v1/streams/{scope}", Tag: "admin",
		Summary:   "List the streams of a scope, each described as GET /v1/streams/{scope}/{stream} does",
		Params:    scopeParams,
		Responses: jsonOK(`{"streams": [stream]}, sorted by name`),
		Access:    listing(),
		Handler:   a.listStreams,
	}, {
		Method: "PUT", Path: "/v1/streams/{scope}/{stream}", Tag: "admin",
		Summary:   "Create a stream (and its scope, unless create_scope is false)",
		Params:    streamParams,
		Request:   jsonIn(`optional: {"segments": 1..1024 (default 1), "retention": {"type": "time", "min_time", "max_time"} or {"type": "size", "min_bytes", "max_bytes"}, "scaling": {"kind": "events"|"bytes"|"fixed", "target", "scale_factor", "min_segments"}, "create_scope": true (the default)}`, false),
		Responses: stream("201", "created"),
		Access:    needs(auth.PermAdmin),
		Handler:   a.createStream,
	}, {
		Method: "GET", Path: "/v1/streams/{scope}/{stream}", Tag: "admin",
		Summary:   "Describe a stream: current segments with their lengths, epochs, policies",
		Params:    streamParams,
		Responses: stream("200", "the stream"),
		Access:    needs(auth.PermRead),
		Handler:   a.getStream,
	}, {
		Method: "PATCH", Path: "/v1/streams/{scope}/{stream}", Tag: "admin",
		Summary:   "Change a stream's retention or scaling policy; what the body leaves out stays",
		Params:    streamParams,
		Request:   jsonIn(`{"retention": policy or {"type": "none"} (replaces the policy), "scaling": fields to change, or {"kind": "fixed"}}`, true),
		Responses: stream("200", "the stream as it is then"),
		Access:    needs(auth.PermAdmin),
		Handler:   a.updateStream,
	}, {
		Method: "DELETE", Path: "/v1/streams/{scope}/{stream}", Tag: "admin",
		Summary:   "Delete a stream and all its events",
		Params:    streamParams,
		Responses: noContent("deleted"),
		Access:    needs(auth.PermAdmin),
		Handler:   a.deleteStream,
	}, {
		Method: "POST", Path: "/v1/streams/{scope}/{stream}/seal", Tag: "admin",
		Summary:   "Seal a stream: it takes no more events but can still be read",
		Params:    streamParams,
		Responses: stream("200", "the sealed stream"),
		Access:    needs(auth.PermAdmin),
		Handler:   a.sealStream,
	}, {
		Method: "POST", Path: "/v1/streams/{scope}/{stream}/truncate", Tag: "admin",
		Summary:   "Drop every event before a stream cut",
		Params:    streamParams,
		Request:   jsonIn(`{"cut": "v1.…"} or {"cut": "tail"}`, true),
		Responses: stream("200", "the stream as it is then"),
		Access:    needs(auth.PermAdmin),
		Handler:   a.truncateStream,
	}, {
		Method: "POST", Path: "/v1/streams/{scope}/{stream}/scale", Tag: "admin",
		Summary:   "Split a current segment, or merge neighbouring ones, making a new epoch",
		Params:    streamParams,
		Request:   jsonIn(`{"split": SEGMENT, "parts": 2..16 (default 2)} or {"merge": [SEGMENT, SEGMENT, ...]}`, true),
		Responses: stream("200", "the stream as it is then"),
		Access:    needs(auth.PermAdmin),
		Handler:   a.scaleStream,
	}, {
		Method: "GET", Path: "/v1/streams/{scope}/{stream}/cuts/head", Tag: "admin",
		Summary:   "The stream cut at the start of the stream's readable data",
		Params:    streamParams,
		Responses: cut,
		Access:    needs(auth.PermRead),
		Handler:   a.headCut,
	}, {
		Method: "GET", Path: "/v1/streams/{scope}/{stream}/cuts/tail", Tag: "admin",
		Summary:   "The stream cut at the stream's current end",
		Params:    streamParams,
		Responses: cut,
		Access:    needs(auth.PermRead),
		Handler:   a.tailCut,
	}}
}

func (a *API) listScopes(w http.ResponseWriter, r *http.Request) error {
	scopes, err := a.client.ListScopes(r.Context())
	if err != nil {
		return err
	}
	scopes = slices.DeleteFunc(scopes, func(s string) bool { return !a.visible(r, s) })
	if scopes == nil {
		scopes = []string{}
	}
	slices.Sort(scopes)
	writeJSON(w, http.StatusOK, map[string][]string{"scopes": scopes})
	return nil
}

func (a *API) createScope(w http.ResponseWriter, r *http.Request) error {
	scope, err := nameParam(r, "scope")
	if err != nil {
		return err
	}
	created, err := a.client.CreateScope(r.Context(), scope)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	writeJSON(w, status, struct {
		Scope   string `json:"scope"`
		Created bool   `json:"created"`
	}{scope, created})
	return nil
}

func (a *API) deleteScope(w http.ResponseWriter, r *http.Request) error {
	scope, err := nameParam(r, "scope")
	if err != nil {
		return err
	}
	if err := a.client.DeleteScope(r.Context(), scope); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// listStreams describes each stream with GetStream, for the segments'
// lengths; a stream deleted meanwhile is left out.
func (a *API) listStreams(w http.ResponseWriter, r *http.Request) error {
	scope, err := nameParam(r, "scope")
	if err != nil {
		return err
	}
	if !a.visible(r, scope) {
		// Nothing the caller may read, whether the scope exists or not.
		writeJSON(w, http.StatusOK, map[string][]streamJSON{"streams": {}})
		return nil
	}
	infos, err := a.client.ListStreams(r.Context(), scope)
	if err != nil {
		return err
	}
	slices.SortFunc(infos, func(x, y braid.StreamInfo) int { return strings.Compare(x.Name, y.Name) })
	out := make([]streamJSON, 0, len(infos))
	for _, info := range infos {
		full, err := a.client.GetStream(r.Context(), scope+"/"+info.Name)
		if errors.Is(err, braid.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		out = append(out, streamOf(full))
	}
	writeJSON(w, http.StatusOK, map[string][]streamJSON{"streams": out})
	return nil
}

// createStream creates a stream. Unlike the Go client's default,
// create_scope is true unless the body says false, as in "braid stream
// create".
func (a *API) createStream(w http.ResponseWriter, r *http.Request) error {
	name, err := streamName(r)
	if err != nil {
		return err
	}
	var req createStreamRequest
	if err := a.decodeJSON(w, r, &req, true); err != nil {
		return err
	}
	cfg, err := req.config()
	if err != nil {
		return err
	}
	info, err := a.client.CreateStream(r.Context(), name, cfg)
	if err != nil {
		return err
	}
	return a.writeStream(w, r, name, http.StatusCreated, info.ScopeCreated)
}

func (a *API) getStream(w http.ResponseWriter, r *http.Request) error {
	name, err := streamName(r)
	if err != nil {
		return err
	}
	return a.writeStream(w, r, name, http.StatusOK, false)
}

// updateStream changes the policies the body names and sends the others
// back as they are (UpdateStream replaces both), as "braid stream update"
// does: a retention policy replaces the stream's ({"type": "none"} removes
// it); scaling fields change only what they name ({"kind": "fixed"}
// removes the policy). Reading and writing back are two calls: a
// concurrent update of the other policy may be undone.
func (a *API) updateStream(w http.ResponseWriter, r *http.Request) error {
	name, err := streamName(r)
	if err != nil {
		return err
	}
	var req updateStreamRequest
	if err := a.decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	if req.Retention == nil && req.Scaling == nil && req.TimestampTimeout == nil {
		return badRequest("nothing to update: give retention, scaling or timestamp_timeout")
	}
	timeout, err := timestampTimeout(req.TimestampTimeout)
	if err != nil {
		return err
	}
	var retention *braid.RetentionPolicy
	if req.Retention != nil {
		if retention, err = req.Retention.policy(true); err != nil {
			return err
		}
	}
	cur, err := a.client.GetStream(r.Context(), name)
	if err != nil {
		return err
	}
	cfg := braid.StreamConfig{Retention: cur.Retention, Scaling: cur.Scaling, TimestampTimeout: timeout}
	if req.Retention != nil {
		cfg.Retention = retention
	}
	if req.Scaling != nil {
		if cfg.Scaling, err = req.Scaling.policy(cur.Scaling, true); err != nil {
			return err
		}
	}
	if _, err := a.client.UpdateStream(r.Context(), name, cfg); err != nil {
		return err
	}
	return a.writeStream(w, r, name, http.StatusOK, false)
}

func (a *API) deleteStream(w http.ResponseWriter, r *http.Request) error {
	name, err := streamName(r)
	if err != nil {
		return err
	}
	if err := a.client.DeleteStream(r.Context(), name); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) sealStream(w http.ResponseWriter, r *http.Request) error {
	name, err := streamName(r)
	if err != nil {
		return err
	}
	if err := a.client.SealStream(r.Context(), name); err != nil {
		return err
	}
	return a.writeStream(w, r, name, http.StatusOK, false)
}

// truncateStream truncates at a cut's text, or at the tail ("tail").
func (a *API) truncateStream(w http.ResponseWriter, r *http.Request) error {
	name, err := streamName(r)
	if err != nil {
		return err
	}
	var req truncateRequest
	if err := a.decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	var cut braid.StreamCut
	switch req.Cut {
	case "":
		return badRequest(`cut is required: a stream cut ("v1.…") or "tail"`)
	case "tail":
		if cut, err = a.client.TailCut(r.Context(), name); err != nil {
			return err
		}
	default:
		if cut, err = braid.ParseStreamCut(req.Cut); err != nil {
			return badRequest(`cut (a stream cut "v1.…" or "tail"): %s`, strings.TrimPrefix(err.Error(), "braid: "))
		}
		cut.Stream = name
	}
	if err := a.client.TruncateStream(r.Context(), name, cut); err != nil {
		return err
	}
	return a.writeStream(w, r, name, http.StatusOK, false)
}

// scaleStream splits one current segment or merges neighbours.
func (a *API) scaleStream(w http.ResponseWriter, r *http.Request) error {
	name, err := streamName(r)
	if err != nil {
		return err
	}
	var req scaleRequest
	if err := a.decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	if err := req.check(); err != nil {
		return err
	}
	if req.Split != nil {
		_, err = a.client.SplitSegment(r.Context(), name, *req.Split, req.Parts)
	} else {
		_, err = a.client.MergeSegments(r.Context(), name, req.Merge...)
	}
	if err != nil {
		return err
	}
	return a.writeStream(w, r, name, http.StatusOK, false)
}

func (a *API) headCut(w http.ResponseWriter, r *http.Request) error {
	return a.writeCut(w, r, a.client.HeadCut)
}

func (a *API) tailCut(w http.ResponseWriter, r *http.Request) error {
	return a.writeCut(w, r, a.client.TailCut)
}

// writeCut answers with the cut get returns for the request's stream.
func (a *API) writeCut(w http.ResponseWriter, r *http.Request, get func(context.Context, string) (braid.StreamCut, error)) error {
	name, err := streamName(r)
	if err != nil {
		return err
	}
	cut, err := get(r.Context(), name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, cutOf(cut))
	return nil
}

// writeStream answers with the stream described by GetStream, which
// gives the current segments' lengths (the other calls do not).
func (a *API) writeStream(w http.ResponseWriter, r *http.Request, name string, status int, scopeCreated bool) error {
	info, err := a.client.GetStream(r.Context(), name)
	if err != nil {
		return err
	}
	info.ScopeCreated = scopeCreated
	writeJSON(w, status, streamOf(info))
	return nil
}
