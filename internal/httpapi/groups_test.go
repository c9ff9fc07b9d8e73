package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/server"
)

// groupDoc is the JSON of a reader group.
type groupDoc struct {
	Scope  string `json:"scope"`
	Group  string `json:"group"`
	Name   string `json:"name"`
	Config struct {
		Streams []struct {
			Stream string `json:"stream"`
			From   string `json:"from"`
			To     string `json:"to"`
		} `json:"streams"`
		ReaderTimeout string `json:"reader_timeout"`
	} `json:"config"`
	Generation int64 `json:"generation"`
	Readers    []struct {
		ID       string    `json:"id"`
		Segments []uint64  `json:"segments"`
		LastSeen time.Time `json:"last_seen"`
	} `json:"readers"`
	Segments []struct {
		Stream    string `json:"stream"`
		ID        uint64 `json:"id"`
		Offset    int64  `json:"offset"`
		Tail      int64  `json:"tail"`
		EndOffset *int64 `json:"end_offset"`
		Lag       int64  `json:"lag"`
		Reader    string `json:"reader"`
	} `json:"segments"`
	Position    map[string]string `json:"position"`
	LagBytes    int64             `json:"lag_bytes"`
	LagEvents   int64             `json:"lag_events"`
	Checkpoints []checkpointDoc   `json:"checkpoints"`
	Finished    bool              `json:"finished"`
	Created     time.Time         `json:"created"`
}

type checkpointDoc struct {
	Name    string            `json:"name"`
	Cuts    map[string]string `json:"cuts"`
	Created time.Time         `json:"created"`
}

// writeGroupEvents writes n events "<prefix>-%05d" to stream over gRPC,
// with keys spread over the segments, and returns the payloads.
func writeGroupEvents(t *testing.T, e *env, stream, prefix string, n int) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	w, err := e.client.NewWriter(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	var acks []braid.Ack
	var out []string
	for i := range n {
		p := fmt.Sprintf("%s-%05d", prefix, i)
		out = append(out, p)
		acks = append(acks, w.Write(ctx, fmt.Sprintf("k%d", i%37), []byte(p)))
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	for _, a := range acks {
		if _, err := a.Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// wantError checks a JSON error answer's status and code, and that its
// message holds words.
func wantError(t *testing.T, what string, status int, body []byte, wantStatus int, wantCode string, words ...string) {
	t.Helper()
	if status != wantStatus {
		t.Fatalf("%s: status %d, want %d (%s)", what, status, wantStatus, body)
	}
	code, msg := apiErr(t, body)
	if code != wantCode {
		t.Fatalf("%s: code %s, want %s (%s)", what, code, wantCode, msg)
	}
	for _, w := range words {
		if !strings.Contains(msg, w) {
			t.Fatalf("%s: message %q does not say %q", what, msg, w)
		}
	}
}

func TestGroupsAdmin(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("gs/s1", 2)
	e.stream("gs/s2", 1)
	writeGroupEvents(t, e, "gs/s1", "ev", 10)

	var g groupDoc
	status, b := e.doJSON("PUT", "/v1/groups/gs/g1", map[string]any{"streams": []string{"gs/s1", "gs/s2"}, "reader_timeout": "5s"}, &g)
	if status != http.StatusCreated {
		t.Fatalf("create: %d %s", status, b)
	}
	if g.Name != "gs/g1" || g.Scope != "gs" || g.Group != "g1" || g.Config.ReaderTimeout != "5s" || len(g.Config.Streams) != 2 ||
		len(g.Segments) != 3 || len(g.Readers) != 0 || g.LagBytes <= 0 || g.Finished || g.Generation != 0 {
		t.Fatalf("created group: %s", b)
	}
	for _, s := range g.Config.Streams {
		if s.To != "none" || !strings.HasPrefix(s.From, "v1.") {
			t.Fatalf("stream %s: from %q to %q, want the head cut and none", s.Stream, s.From, s.To)
		}
		if g.Position[s.Stream] == "" {
			t.Fatalf("no position for %s: %s", s.Stream, b)
		}
	}
	status, b = e.doJSON("PUT", "/v1/groups/gs/g1", map[string]any{"streams": []string{"gs/s1"}}, nil)
	wantError(t, "create again", status, b, http.StatusConflict, "ALREADY_EXISTS")

	// A bounded group from the tail to the tail: nothing to read.
	status, b = e.doJSON("PUT", "/v1/groups/gs/g0", map[string]any{"streams": []string{"gs/s1"}, "from": "tail", "to": "tail"}, &g)
	if status != http.StatusCreated || g.LagBytes != 0 || g.Config.Streams[0].To == "none" || !g.Finished {
		t.Fatalf("create from tail to tail: %d %s", status, b)
	}
	// Per-stream values: s1 from the head to g0's end, s2 from its tail.
	end := g.Config.Streams[0].To
	status, b = e.doJSON("PUT", "/v1/groups/gs/g2", map[string]any{"streams": []string{"gs/s1", "gs/s2"},
		"from": map[string]string{"gs/s2": "tail"}, "to": map[string]string{"gs/s1": end}}, &g)
	if status != http.StatusCreated || g.Config.Streams[0].To != end || g.Config.Streams[1].To != "none" || g.LagBytes <= 0 {
		t.Fatalf("create with per-stream cuts: %d %s", status, b)
	}
	for _, seg := range g.Segments {
		if (seg.EndOffset != nil) != (seg.Stream == "gs/s1") || seg.Lag != seg.Tail-seg.Offset && seg.EndOffset == nil {
			t.Fatalf("segment %d of %s: end offset %v, lag %d: %s", seg.ID, seg.Stream, seg.EndOffset, seg.Lag, b)
		}
	}

	var list struct {
		Groups []groupDoc `json:"groups"`
	}
	if status, b = e.doJSON("GET", "/v1/groups/gs", nil, &list); status != http.StatusOK || len(list.Groups) != 3 ||
		list.Groups[0].Group != "g0" || list.Groups[1].Group != "g1" || list.Groups[2].Group != "g2" {
		t.Fatalf("list: %d %s", status, b)
	}
	status, b = e.doJSON("GET", "/v1/groups/nosuchscope", nil, nil)
	wantError(t, "list a missing scope", status, b, http.StatusNotFound, "NOT_FOUND")

	if status, b = e.doJSON("GET", "/v1/groups/gs/g1", nil, &g); status != http.StatusOK || g.Name != "gs/g1" || len(g.Segments) != 3 {
		t.Fatalf("describe: %d %s", status, b)
	}
	status, b = e.doJSON("GET", "/v1/groups/gs/nope", nil, nil)
	wantError(t, "describe a missing group", status, b, http.StatusNotFound, "NOT_FOUND")

	// Without readers a checkpoint completes at once, at the position.
	var cp checkpointDoc
	if status, b = e.doJSON("POST", "/v1/groups/gs/g1/checkpoints", map[string]string{"name": "cp1"}, &cp); status != http.StatusOK ||
		cp.Name != "cp1" || len(cp.Cuts) != 2 || cp.Cuts["gs/s1"] != g.Position["gs/s1"] {
		t.Fatalf("checkpoint: %d %s (position %v)", status, b, g.Position)
	}
	if status, b = e.doJSON("GET", "/v1/groups/gs/g1", nil, &g); status != http.StatusOK || len(g.Checkpoints) != 1 || g.Checkpoints[0].Name != "cp1" {
		t.Fatalf("describe after the checkpoint: %d %s", status, b)
	}

	// Resets: to the checkpoint, to the tails.
	if status, b = e.doJSON("POST", "/v1/groups/gs/g1/reset", map[string]string{"checkpoint": "cp1"}, &g); status != http.StatusOK || g.Generation != 1 {
		t.Fatalf("reset to the checkpoint: %d %s", status, b)
	}
	if status, b = e.doJSON("POST", "/v1/groups/gs/g1/reset", map[string]string{"from": "tail"}, &g); status != http.StatusOK ||
		g.Generation != 2 || g.LagBytes != 0 || len(g.Config.Streams) != 2 || g.Config.ReaderTimeout != "5s" {
		t.Fatalf("reset to the tails: %d %s", status, b)
	}
	// And back to the head of one stream: the group reads only s1 then.
	if status, b = e.doJSON("POST", "/v1/groups/gs/g1/reset", map[string]any{"streams": []string{"gs/s1"}, "from": "head"}, &g); status != http.StatusOK ||
		g.Generation != 3 || g.LagBytes <= 0 || len(g.Config.Streams) != 1 {
		t.Fatalf("reset to the head of s1: %d %s", status, b)
	}
	for _, tc := range []struct {
		what string
		body any
		code string
		word string
	}{
		{"checkpoint and from", map[string]string{"checkpoint": "cp1", "from": "head"}, "INVALID_ARGUMENT", "do not go together"},
		{"nothing", map[string]string{}, "INVALID_ARGUMENT", "nothing to reset to"},
		{"a missing checkpoint", map[string]string{"checkpoint": "nope"}, "INVALID_ARGUMENT", "nope"},
		{"a stream the group does not read", map[string]any{"from": map[string]string{"gs/s2": "head"}}, "INVALID_ARGUMENT", "gs/s2"},
	} {
		status, b = e.doJSON("POST", "/v1/groups/gs/g1/reset", tc.body, nil)
		wantError(t, "reset with "+tc.what, status, b, http.StatusBadRequest, tc.code, tc.word)
	}
	status, b = e.doJSON("POST", "/v1/groups/gs/nope/reset", map[string]string{"from": "head"}, nil)
	wantError(t, "reset a missing group", status, b, http.StatusNotFound, "NOT_FOUND")

	if status, b = e.doJSON("DELETE", "/v1/groups/gs/g1", nil, nil); status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", status, b)
	}
	status, b = e.doJSON("GET", "/v1/groups/gs/g1", nil, nil)
	wantError(t, "describe a deleted group", status, b, http.StatusNotFound, "NOT_FOUND")
	status, b = e.doJSON("DELETE", "/v1/groups/gs/g1", nil, nil)
	wantError(t, "delete a deleted group", status, b, http.StatusNotFound, "NOT_FOUND")
	status, b = e.doJSON("POST", "/v1/groups/gs/g1/checkpoints", map[string]string{"name": "cp2"}, nil)
	wantError(t, "checkpoint a deleted group", status, b, http.StatusNotFound, "NOT_FOUND")
}

func TestGroupsErrors(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("ge/s1", 1)
	e.stream("ge/s2", 1)
	cut := func() string {
		c, err := e.client.TailCut(context.Background(), "ge/s1")
		if err != nil {
			t.Fatal(err)
		}
		return c.String()
	}()
	for _, tc := range []struct {
		what string
		body string
		code string
		word string
	}{
		{"bad JSON", `{"streams": [`, "INVALID_ARGUMENT", "JSON"},
		{"an unknown field", `{"streams": ["ge/s1"], "frm": "head"}`, "INVALID_ARGUMENT", "frm"},
		{"no streams", `{}`, "INVALID_ARGUMENT", "streams"},
		{"a stream without scope", `{"streams": ["s1"]}`, "INVALID_ARGUMENT", "scope/stream"},
		{"a stream twice", `{"streams": ["ge/s1", "ge/s1"]}`, "INVALID_ARGUMENT", "twice"},
		{"an unknown stream", `{"streams": ["ge/nope"]}`, "INVALID_ARGUMENT", "ge/nope"},
		{"an unknown stream to its tail", `{"streams": ["ge/nope"], "to": "tail"}`, "INVALID_ARGUMENT", "ge/nope"},
		{"a bad from", `{"streams": ["ge/s1"], "from": "sideways"}`, "INVALID_ARGUMENT", "sideways"},
		{"a bad cut", `{"streams": ["ge/s1"], "from": "v1.!!"}`, "INVALID_ARGUMENT", "v1.!!"},
		{"to head", `{"streams": ["ge/s1"], "to": "head"}`, "INVALID_ARGUMENT", "to"},
		{"a bare cut for two streams", `{"streams": ["ge/s1", "ge/s2"], "from": "` + cut + `"}`, "INVALID_ARGUMENT", "exactly one stream"},
		{"a cut for another stream", `{"streams": ["ge/s1"], "from": {"ge/s2": "head"}}`, "INVALID_ARGUMENT", "ge/s2"},
		{"a from that is a number", `{"streams": ["ge/s1"], "from": 3}`, "INVALID_ARGUMENT", "from"},
		{"a short reader timeout", `{"streams": ["ge/s1"], "reader_timeout": "1ms"}`, "INVALID_ARGUMENT", "reader_timeout"},
		{"a bad reader timeout", `{"streams": ["ge/s1"], "reader_timeout": "soon"}`, "INVALID_ARGUMENT", "soon"},
	} {
		status, _, b := e.do("PUT", "/v1/groups/ge/g", "application/json", strings.NewReader(tc.body))
		wantError(t, "create with "+tc.what, status, b, http.StatusBadRequest, tc.code, tc.word)
	}
	status, _, b := e.do("PUT", "/v1/groups/ge/g", "text/plain", strings.NewReader(`{"streams": ["ge/s1"]}`))
	wantError(t, "create with text/plain", status, b, http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE")
	// A bare cut with one stream is fine, and so is a cut per stream.
	status, _, b = e.do("PUT", "/v1/groups/ge/g", "application/json", strings.NewReader(`{"streams": ["ge/s1"], "from": "`+cut+`", "to": "`+cut+`"}`))
	if status != http.StatusCreated {
		t.Fatalf("create with a bare cut: %d %s", status, b)
	}

	for _, tc := range []struct {
		what, query, body string
		status            int
		code, word        string
	}{
		{"no name", "", `{}`, http.StatusBadRequest, "INVALID_ARGUMENT", "name"},
		{"a bad timeout", "?timeout=soon", `{"name": "a"}`, http.StatusBadRequest, "INVALID_ARGUMENT", "timeout"},
		{"a bad name", "", `{"name": "a\nb"}`, http.StatusBadRequest, "INVALID_ARGUMENT", "checkpoint name"},
	} {
		status, _, b := e.do("POST", "/v1/groups/ge/g/checkpoints"+tc.query, "application/json", bytes.NewReader([]byte(tc.body)))
		wantError(t, "checkpoint with "+tc.what, status, b, tc.status, tc.code, tc.word)
	}
}
