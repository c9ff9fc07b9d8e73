package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

// env is a running server with its HTTP base URL and a gRPC client.
type env struct {
	t      *testing.T
	srv    *servertest.Server
	base   string // http://127.0.0.1:PORT
	client *braid.Client
}

// newEnv starts a server for the test (cfg may be the zero Config).
func newEnv(t *testing.T, cfg server.Config) *env {
	t.Helper()
	srv := servertest.New(t, cfg)
	e := &env{t: t, srv: srv, base: "http://" + srv.HTTPAddr()}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := braid.Dial(ctx, srv.GRPCAddr())
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	e.client = c
	// Requests that arrive before the HTTP API serves wait in the
	// listener's backlog: no need to wait for it here.
	return e
}

// stream creates scope/name with n segments through the client.
func (e *env) stream(name string, segments int) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := e.client.CreateStream(ctx, name, braid.StreamConfig{Segments: segments, CreateScope: true}); err != nil {
		e.t.Fatalf("create stream %s: %v", name, err)
	}
}

// do sends a request and returns the status, headers and body.
func (e *env) do(method, path, contentType string, body io.Reader, headers ...string) (int, http.Header, []byte) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.base+path, body)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	return resp.StatusCode, resp.Header, b
}

// doJSON sends v (nil: no body) as JSON and decodes a JSON answer into
// out (nil: ignore); it returns the status and raw body.
func (e *env) doJSON(method, path string, v, out any) (int, []byte) {
	e.t.Helper()
	var body io.Reader
	ct := ""
	if v != nil {
		b, err := json.Marshal(v)
		if err != nil {
			e.t.Fatal(err)
		}
		body, ct = bytes.NewReader(b), "application/json"
	}
	status, _, b := e.do(method, path, ct, body)
	if out != nil && status < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			e.t.Fatalf("%s %s: answer %q is not the expected JSON: %v", method, path, b, err)
		}
	}
	return status, b
}

// apiErr decodes a JSON error body, failing the test if it is not one.
func apiErr(t *testing.T, b []byte) (code, message string) {
	t.Helper()
	var eb struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(b, &eb); err != nil || eb.Error.Code == "" {
		t.Fatalf("answer %q is not a JSON error: %v", b, err)
	}
	return eb.Error.Code, eb.Error.Message
}

var _ = strings.NewReader
