package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/httpapi"
	"github.com/braidstream/braid/internal/server"
)

// The JSON forms the admin routes answer with, as a client sees them.
type (
	streamDoc struct {
		Scope        string     `json:"scope"`
		Stream       string     `json:"stream"`
		Name         string     `json:"name"`
		Sealed       bool       `json:"sealed"`
		Created      time.Time  `json:"created"`
		Segments     []segDoc   `json:"segments"`
		Epochs       []epochDoc `json:"epochs"`
		Retention    *retDoc    `json:"retention"`
		Scaling      *scaleDoc  `json:"scaling"`
		ScopeCreated bool       `json:"scope_created"`
	}
	segDoc struct {
		ID          uint64  `json:"id"`
		KeyLow      float64 `json:"key_low"`
		KeyHigh     float64 `json:"key_high"`
		Length      int64   `json:"length"`
		StartOffset int64   `json:"start_offset"`
		Sealed      bool    `json:"sealed"`
	}
	epochDoc struct {
		Epoch    uint32    `json:"epoch"`
		Created  time.Time `json:"created"`
		Segments []segDoc  `json:"segments"`
	}
	retDoc struct {
		Type     string `json:"type"`
		MinTime  string `json:"min_time"`
		MaxTime  string `json:"max_time"`
		MinBytes int64  `json:"min_bytes"`
		MaxBytes int64  `json:"max_bytes"`
	}
	scaleDoc struct {
		Kind        string `json:"kind"`
		Target      int64  `json:"target"`
		ScaleFactor int    `json:"scale_factor"`
		MinSegments int    `json:"min_segments"`
	}
	cutDoc struct {
		Cut      string `json:"cut"`
		Segments []struct {
			Segment uint64 `json:"segment"`
			Offset  int64  `json:"offset"`
		} `json:"segments"`
	}
)

// wantStatus fails the test unless status is want.
func wantStatus(t *testing.T, what string, status, want int, body []byte) {
	t.Helper()
	if status != want {
		t.Fatalf("%s: status %d, want %d; body %s", what, status, want, body)
	}
}

// streamReq sends a request to a route that answers with a stream, checks
// the status and decodes the stream.
func (e *env) streamReq(what, method, path string, body any, want int) (streamDoc, []byte) {
	e.t.Helper()
	var s streamDoc
	status, b := e.doJSON(method, path, body, &s)
	wantStatus(e.t, what, status, want, b)
	return s, b
}

// write appends n events to stream through the client.
func (e *env) write(stream string, n int) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	w, err := e.client.NewWriter(ctx, stream)
	if err != nil {
		e.t.Fatalf("writer: %v", err)
	}
	for i := range n {
		w.Write(ctx, fmt.Sprintf("key-%d", i), []byte(fmt.Sprintf("event %d", i)))
	}
	if err := w.Close(ctx); err != nil {
		e.t.Fatalf("write %s: %v", stream, err)
	}
}

func TestAdminLifecycle(t *testing.T) {
	e := newEnv(t, server.Config{})

	// Scopes: created, then existing.
	var sc struct {
		Scope   string `json:"scope"`
		Created bool   `json:"created"`
	}
	status, b := e.doJSON("PUT", "/v1/scopes/shop", nil, &sc)
	wantStatus(t, "create scope", status, http.StatusCreated, b)
	if sc.Scope != "shop" || !sc.Created {
		t.Fatalf("create scope: %s", b)
	}
	status, b = e.doJSON("PUT", "/v1/scopes/shop", nil, &sc)
	wantStatus(t, "create existing scope", status, http.StatusOK, b)
	if sc.Created {
		t.Fatalf("create existing scope says created: %s", b)
	}
	var scopes struct {
		Scopes []string `json:"scopes"`
	}
	status, b = e.doJSON("GET", "/v1/scopes", nil, &scopes)
	wantStatus(t, "list scopes", status, http.StatusOK, b)
	if fmt.Sprint(scopes.Scopes) != "[shop]" {
		t.Fatalf("scopes %v, want [shop]", scopes.Scopes)
	}

	// A stream with two segments and both policies.
	s, b := e.streamReq("create stream", "PUT", "/v1/streams/shop/orders", map[string]any{
		"segments":     2,
		"retention":    map[string]any{"type": "time", "min_time": "1h", "max_time": "24h"},
		"scaling":      map[string]any{"kind": "events", "target": 1000, "scale_factor": 4, "min_segments": 2},
		"create_scope": false,
	}, http.StatusCreated)
	if s.Scope != "shop" || s.Stream != "orders" || s.Name != "shop/orders" || s.Sealed || s.ScopeCreated || s.Created.IsZero() {
		t.Fatalf("create stream: %s", b)
	}
	if len(s.Segments) != 2 || s.Segments[0].KeyLow != 0 || s.Segments[0].KeyHigh != 0.5 || s.Segments[1].KeyHigh != 1 {
		t.Fatalf("create stream: segments %+v, want [0,0.5) [0.5,1)", s.Segments)
	}
	if len(s.Epochs) != 1 || len(s.Epochs[0].Segments) != 2 || s.Epochs[0].Segments[1].ID != s.Segments[1].ID {
		t.Fatalf("create stream: epochs %+v", s.Epochs)
	}
	if r := s.Retention; r == nil || *r != (retDoc{Type: "time", MinTime: "1h0m0s", MaxTime: "24h0m0s"}) {
		t.Fatalf("create stream: retention %+v", s.Retention)
	}
	if sp := s.Scaling; sp == nil || *sp != (scaleDoc{Kind: "events", Target: 1000, ScaleFactor: 4, MinSegments: 2}) {
		t.Fatalf("create stream: scaling %+v", s.Scaling)
	}

	// The default create_scope is true.
	s, b = e.streamReq("create stream in a new scope", "PUT", "/v1/streams/other/s", nil, http.StatusCreated)
	if !s.ScopeCreated || len(s.Segments) != 1 || s.Retention != nil || s.Scaling != nil {
		t.Fatalf("create stream with defaults: %s", b)
	}

	e.write("shop/orders", 20)
	s, b = e.streamReq("describe", "GET", "/v1/streams/shop/orders", nil, http.StatusOK)
	if len(s.Segments) != 2 || s.Segments[0].Length+s.Segments[1].Length == 0 {
		t.Fatalf("describe after writing: no segment has data: %s", b)
	}
	var list struct {
		Streams []streamDoc `json:"streams"`
	}
	status, b = e.doJSON("GET", "/v1/streams/shop", nil, &list)
	wantStatus(t, "list streams", status, http.StatusOK, b)
	if len(list.Streams) != 1 || list.Streams[0].Name != "shop/orders" || len(list.Streams[0].Segments) != 2 {
		t.Fatalf("list streams: %s", b)
	}

	// Updates keep what the body leaves out.
	s, b = e.streamReq("update retention", "PATCH", "/v1/streams/shop/orders", map[string]any{
		"retention": map[string]any{"type": "size", "max_bytes": 1 << 30, "min_bytes": 1 << 20}}, http.StatusOK)
	if r := s.Retention; r == nil || *r != (retDoc{Type: "size", MinBytes: 1 << 20, MaxBytes: 1 << 30}) || s.Scaling == nil || s.Scaling.Target != 1000 {
		t.Fatalf("update retention: %s", b)
	}
	s, b = e.streamReq("update scaling", "PATCH", "/v1/streams/shop/orders", map[string]any{
		"scaling": map[string]any{"min_segments": 1}}, http.StatusOK)
	if sp := s.Scaling; sp == nil || *sp != (scaleDoc{Kind: "events", Target: 1000, ScaleFactor: 4, MinSegments: 1}) || s.Retention == nil {
		t.Fatalf("update scaling: %s", b)
	}
	s, b = e.streamReq("clear policies", "PATCH", "/v1/streams/shop/orders", map[string]any{
		"retention": map[string]any{"type": "none"}, "scaling": map[string]any{"kind": "fixed"}}, http.StatusOK)
	if s.Retention != nil || s.Scaling != nil {
		t.Fatalf("clear policies: %s", b)
	}

	// Split the first segment: a second epoch with three segments.
	first := s.Segments[0].ID
	s, b = e.streamReq("split", "POST", "/v1/streams/shop/orders/scale", map[string]any{"split": first, "parts": 2}, http.StatusOK)
	if len(s.Epochs) != 2 || len(s.Segments) != 3 || len(s.Epochs[1].Segments) != 3 {
		t.Fatalf("split: %d epochs, %d segments: %s", len(s.Epochs), len(s.Segments), b)
	}
	for _, seg := range s.Segments {
		if seg.ID == first {
			t.Fatalf("split: segment %d still current: %s", first, b)
		}
	}

	// Truncate at the tail cut: the head cut moves there.
	e.write("shop/orders", 10)
	var tail, head cutDoc
	status, b = e.doJSON("GET", "/v1/streams/shop/orders/cuts/tail", nil, &tail)
	wantStatus(t, "tail cut", status, http.StatusOK, b)
	parsed, err := braid.ParseStreamCut(tail.Cut)
	if err != nil || len(tail.Segments) != 3 || len(parsed.Segments) != 3 {
		t.Fatalf("tail cut %s: %v", b, err)
	}
	for i, so := range parsed.Segments {
		if tail.Segments[i].Segment != so.SegmentID || tail.Segments[i].Offset != so.Offset {
			t.Fatalf("tail cut entries %s do not match its text %v", b, parsed.Segments)
		}
	}
	status, b = e.doJSON("GET", "/v1/streams/shop/orders/cuts/head", nil, &head)
	wantStatus(t, "head cut", status, http.StatusOK, b)
	if head.Cut == tail.Cut {
		t.Fatalf("head cut %s is the tail cut before truncation", head.Cut)
	}
	s, b = e.streamReq("truncate", "POST", "/v1/streams/shop/orders/truncate", map[string]any{"cut": tail.Cut}, http.StatusOK)
	for _, seg := range s.Segments {
		if off, _ := parsed.Offset(seg.ID); seg.StartOffset != off {
			t.Fatalf("truncate: segment %d starts at %d, want %d: %s", seg.ID, seg.StartOffset, off, b)
		}
	}
	head = cutDoc{}
	status, b = e.doJSON("GET", "/v1/streams/shop/orders/cuts/head", nil, &head)
	wantStatus(t, "head cut after truncation", status, http.StatusOK, b)
	if head.Cut != tail.Cut {
		t.Fatalf("head cut after truncation %s, want the tail cut %s", head.Cut, tail.Cut)
	}

	// Merge the two halves back: a third epoch.
	var halves []uint64
	for _, seg := range s.Segments {
		if seg.KeyHigh <= 0.5 {
			halves = append(halves, seg.ID)
		}
	}
	s, b = e.streamReq("merge", "POST", "/v1/streams/shop/orders/scale", map[string]any{"merge": halves}, http.StatusOK)
	if len(s.Epochs) != 3 || len(s.Segments) != 2 {
		t.Fatalf("merge: %s", b)
	}

	// "tail" truncates at the tail cut of the moment.
	e.write("shop/orders", 5)
	s, b = e.streamReq("truncate at the tail", "POST", "/v1/streams/shop/orders/truncate", map[string]any{"cut": "tail"}, http.StatusOK)
	for _, seg := range s.Segments {
		if seg.StartOffset != seg.Length {
			t.Fatalf("truncate at the tail: segment %d starts at %d of %d: %s", seg.ID, seg.StartOffset, seg.Length, b)
		}
	}

	s, b = e.streamReq("seal", "POST", "/v1/streams/shop/orders/seal", nil, http.StatusOK)
	if !s.Sealed || !s.Segments[0].Sealed {
		t.Fatalf("seal: %s", b)
	}

	// A scope with streams is not deleted: the client's error, as it is.
	status, b = e.doJSON("DELETE", "/v1/scopes/shop", nil, nil)
	wantStatus(t, "delete non-empty scope", status, http.StatusBadRequest, b)
	if code, msg := apiErr(t, b); code != "INVALID_ARGUMENT" || !strings.Contains(msg, "not empty") {
		t.Fatalf("delete non-empty scope: %s", b)
	}

	status, b = e.doJSON("DELETE", "/v1/streams/shop/orders", nil, nil)
	wantStatus(t, "delete stream", status, http.StatusNoContent, b)
	status, b = e.doJSON("GET", "/v1/streams/shop/orders", nil, nil)
	wantStatus(t, "describe deleted", status, http.StatusNotFound, b)
	status, b = e.doJSON("DELETE", "/v1/scopes/shop", nil, nil)
	wantStatus(t, "delete scope", status, http.StatusNoContent, b)
	status, b = e.doJSON("DELETE", "/v1/scopes/shop", nil, nil)
	wantStatus(t, "delete deleted scope", status, http.StatusNotFound, b)
	if code, _ := apiErr(t, b); code != "NOT_FOUND" {
		t.Fatalf("delete deleted scope: %s", b)
	}
}

func TestAdminErrors(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("shop/orders", 1)

	for _, tc := range []struct {
		name         string
		method, path string
		ct, body     string
		status       int
		code         string
		msg          string // part of the message
	}{
		{"create existing stream", "PUT", "/v1/streams/shop/orders", "", "", 409, "ALREADY_EXISTS", "orders"},
		{"describe missing", "GET", "/v1/streams/shop/nope", "", "", 404, "NOT_FOUND", "nope"},
		{"list missing scope", "GET", "/v1/streams/nope", "", "", 404, "NOT_FOUND", "nope"},
		{"cut of missing stream", "GET", "/v1/streams/shop/nope/cuts/tail", "", "", 404, "NOT_FOUND", "nope"},
		{"seal missing stream", "POST", "/v1/streams/shop/nope/seal", "", "", 404, "NOT_FOUND", "nope"},
		{"missing scope without create_scope", "PUT", "/v1/streams/none/s", "application/json", `{"create_scope": false}`, 404, "NOT_FOUND", "none"},
		{"invalid JSON", "PUT", "/v1/streams/shop/x", "application/json", `{"segments": `, 400, "INVALID_ARGUMENT", "not valid JSON"},
		{"unknown field", "PUT", "/v1/streams/shop/x", "application/json", `{"segmentz": 2}`, 400, "INVALID_ARGUMENT", "segmentz"},
		{"wrong content type", "PUT", "/v1/streams/shop/x", "text/plain", `{}`, 415, "UNSUPPORTED_MEDIA_TYPE", "text/plain"},
		{"segments 0", "PUT", "/v1/streams/shop/x", "application/json", `{"segments": 0}`, 400, "INVALID_ARGUMENT", "segments must be 1 to 1024, got 0"},
		{"retention type", "PUT", "/v1/streams/shop/x", "", `{"retention": {"type": "x"}}`, 400, "INVALID_ARGUMENT", `retention.type must be time or size, got "x"`},
		{"bad duration", "PUT", "/v1/streams/shop/x", "", `{"retention": {"type": "time", "max_time": "7 days"}}`, 400, "INVALID_ARGUMENT", `retention.max_time "7 days" is not a duration`},
		{"min above max", "PUT", "/v1/streams/shop/x", "", `{"retention": {"type": "size", "max_bytes": 10, "min_bytes": 20}}`, 400, "INVALID_ARGUMENT", "retention.min_bytes 20 is more than retention.max_bytes 10"},
		{"size with times", "PUT", "/v1/streams/shop/x", "", `{"retention": {"type": "size", "max_bytes": 10, "max_time": "1h"}}`, 400, "INVALID_ARGUMENT", "do not go with retention.type size"},
		{"scaling kind", "PUT", "/v1/streams/shop/x", "", `{"scaling": {"kind": "magic"}}`, 400, "INVALID_ARGUMENT", `scaling.kind must be events, bytes or fixed, got "magic"`},
		{"scaling target", "PUT", "/v1/streams/shop/x", "", `{"scaling": {"kind": "bytes"}}`, 400, "INVALID_ARGUMENT", "scaling.target is required"},
		{"scale factor", "PUT", "/v1/streams/shop/x", "", `{"scaling": {"kind": "events", "target": 5, "scale_factor": 17}}`, 400, "INVALID_ARGUMENT", "scaling.scale_factor must be 2 to 16, got 17"},
		{"update nothing", "PATCH", "/v1/streams/shop/orders", "", `{}`, 400, "INVALID_ARGUMENT", "nothing to update"},
		{"update scaling without policy", "PATCH", "/v1/streams/shop/orders", "", `{"scaling": {"target": 5}}`, 400, "INVALID_ARGUMENT", "no scaling policy to change"},
		{"update missing", "PATCH", "/v1/streams/shop/nope", "", `{"retention": {"type": "none"}}`, 404, "NOT_FOUND", "nope"},
		{"bad cut", "POST", "/v1/streams/shop/orders/truncate", "", `{"cut": "v1.!!"}`, 400, "INVALID_ARGUMENT", `cut (a stream cut "v1.…" or "tail"): invalid stream cut "v1.!!"`},
		{"no cut", "POST", "/v1/streams/shop/orders/truncate", "", `{}`, 400, "INVALID_ARGUMENT", "cut is required"},
		{"split and merge", "POST", "/v1/streams/shop/orders/scale", "", `{"split": 0, "merge": [0, 1]}`, 400, "INVALID_ARGUMENT", "split and merge"},
		{"split parts", "POST", "/v1/streams/shop/orders/scale", "", `{"split": 0, "parts": 1}`, 400, "INVALID_ARGUMENT", "parts must be 2 to 16, got 1"},
		{"split a segment that is not current", "POST", "/v1/streams/shop/orders/scale", "", `{"split": 77}`, 400, "INVALID_ARGUMENT", "not a current segment"},
		{"scope not UTF-8", "PUT", "/v1/scopes/%ff", "", "", 400, "INVALID_ARGUMENT", "not valid UTF-8"},
		{"stream scope not UTF-8", "GET", "/v1/streams/%ff/orders", "", "", 400, "INVALID_ARGUMENT", "not valid UTF-8"},
		{"bad scope name", "PUT", "/v1/scopes/a%20b", "", "", 400, "INVALID_ARGUMENT", ""},
		{"unknown route", "GET", "/v1/nothing/here", "", "", 404, "NO_ROUTE", "/v1/nothing/here"},
		{"wrong method", "POST", "/v1/scopes", "", "", 405, "NO_ROUTE", "POST"},
		{"wrong method on a stream", "POST", "/v1/streams/shop/orders", "", "", 405, "NO_ROUTE", "POST"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _, b := e.do(tc.method, tc.path, tc.ct, strings.NewReader(tc.body))
			wantStatus(t, tc.name, status, tc.status, b)
			code, msg := apiErr(t, b)
			if code != tc.code || !strings.Contains(msg, tc.msg) {
				t.Fatalf("%s: error %s %q, want %s with %q", tc.name, code, msg, tc.code, tc.msg)
			}
		})
	}
}

func TestAdminOpenAPI(t *testing.T) {
	e := newEnv(t, server.Config{})
	var doc struct {
		Paths map[string]map[string]struct {
			Summary string   `json:"summary"`
			Tags    []string `json:"tags"`
		} `json:"paths"`
	}
	status, b := e.doJSON("GET", "/v1/openapi.json", nil, &doc)
	wantStatus(t, "openapi", status, http.StatusOK, b)
	for _, op := range []struct{ method, path string }{
		{"get", "/v1/scopes"}, {"put", "/v1/scopes/{scope}"}, {"delete", "/v1/scopes/{scope}"},
		{"get", "/v1/streams/{scope}"}, {"put", "/v1/streams/{scope}/{stream}"},
		{"get", "/v1/streams/{scope}/{stream}"}, {"patch", "/v1/streams/{scope}/{stream}"},
		{"delete", "/v1/streams/{scope}/{stream}"}, {"post", "/v1/streams/{scope}/{stream}/seal"},
		{"post", "/v1/streams/{scope}/{stream}/truncate"}, {"post", "/v1/streams/{scope}/{stream}/scale"},
		{"get", "/v1/streams/{scope}/{stream}/cuts/head"}, {"get", "/v1/streams/{scope}/{stream}/cuts/tail"},
	} {
		o, ok := doc.Paths[op.path][op.method]
		if !ok || o.Summary == "" || fmt.Sprint(o.Tags) != "[admin]" {
			t.Errorf("openapi: %s %s is %+v (found %v), want a summary and tag admin", op.method, op.path, o, ok)
		}
	}
}

func TestAdminBodyLimit(t *testing.T) {
	e := newEnv(t, server.Config{HTTP: httpapi.Limits{MaxBodyBytes: 1024}})
	body := `{"segments": 1` + strings.Repeat(" ", 2000) + `}`
	status, _, b := e.do("PUT", "/v1/streams/shop/big", "application/json", strings.NewReader(body))
	wantStatus(t, "body over the limit", status, http.StatusRequestEntityTooLarge, b)
	if code, _ := apiErr(t, b); code != "REQUEST_TOO_LARGE" {
		t.Fatalf("body over the limit: %s", b)
	}
	// Under the limit, the same route works.
	status, _, b = e.do("PUT", "/v1/streams/shop/big", "application/json", strings.NewReader(`{"segments": 3}`))
	wantStatus(t, "body under the limit", status, http.StatusCreated, b)
}
