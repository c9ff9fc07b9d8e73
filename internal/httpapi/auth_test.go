package httpapi_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/auth"
	"github.com/braidstream/braid/internal/dashboard"
	"github.com/braidstream/braid/internal/httpapi"
	"github.com/braidstream/braid/internal/server"
)

// The users of the authentication tests, by what they may do.
const (
	userRoot      = "root"      // cluster admin, metrics
	userReader    = "reader"    // demo=read
	userWriter    = "writer"    // demo=write
	userDemoAdmin = "demoadmin" // demo=admin
	userOther     = "other"     // other=admin only
	userMetrics   = "metrics"   // metrics only
	anonymous     = ""          // no credentials
)

// authEnv is a server with an authenticating HTTP API of its own, built
// over the server's client (server.Config has no users file of its own
// here): the API under test serves at base.
type authEnv struct {
	*env
	api     *httpapi.API
	base    string
	tokens  map[string]string // user -> token
	counter *countAuth
	logs    *syncBuffer
}

// countAuth is an httpapi.AuthCounter that remembers.
type countAuth struct {
	mu       sync.Mutex
	failures map[string]int // by reason
	denied   int
}

func (c *countAuth) Failure(surface, reason string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if surface != "http" {
		panic("surface " + surface)
	}
	c.failures[reason]++
}

func (c *countAuth) Denied(surface string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if surface != "http" {
		panic("surface " + surface)
	}
	c.denied++
}

func (c *countAuth) get() (map[string]int, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := map[string]int{}
	for k, v := range c.failures {
		m[k] = v
	}
	return m, c.denied
}

// syncBuffer collects the API's log.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// fakeSeries is a dashboard sampler with a server-wide series and one
// per-stream series in demo and in other.
type fakeSeries struct{}

func (fakeSeries) History(dashboard.Query) dashboard.History {
	return dashboard.History{IntervalMS: 1000, Series: []dashboard.Series{
		{Name: "append_events_per_second", Unit: "events/s", Points: [][2]float64{{1, 2}}},
		{Name: "stream_size_bytes", Unit: "bytes", Scope: "demo", Stream: "orders", Points: [][2]float64{{1, 3}}},
		{Name: "stream_size_bytes", Unit: "bytes", Scope: "other", Stream: "things", Points: [][2]float64{{1, 4}}},
	}}
}

func (fakeSeries) Latest(dashboard.Query) dashboard.Latest {
	return dashboard.Latest{Time: 1, Tier2: "healthy", Series: []dashboard.Point{
		{Name: "append_events_per_second", Unit: "events/s", Value: 2},
		{Name: "stream_size_bytes", Unit: "bytes", Scope: "demo", Stream: "orders", Value: 3},
		{Name: "stream_size_bytes", Unit: "bytes", Scope: "other", Stream: "things", Value: 4},
	}}
}

func (fakeSeries) Updated() <-chan struct{} { return nil }
func (fakeSeries) Tier2State() string       { return "healthy" }

// newAuthEnv starts a server and an authenticating API over its client,
// with the users above.
func newAuthEnv(t *testing.T, secure bool) *authEnv {
	t.Helper()
	e := newEnv(t, server.Config{})
	users := &auth.Users{}
	tokens := map[string]string{}
	add := func(name string, admin, metrics bool, scopes map[string]auth.Role) {
		tok, hash, err := auth.NewToken()
		if err != nil {
			t.Fatal(err)
		}
		if err := users.Add(auth.User{Name: name, TokenSHA256: hash, Admin: admin, Metrics: metrics, Scopes: scopes}); err != nil {
			t.Fatal(err)
		}
		tokens[name] = tok
	}
	add(userRoot, true, true, nil)
	add(userReader, false, false, map[string]auth.Role{"demo": auth.RoleRead})
	add(userWriter, false, false, map[string]auth.Role{"demo": auth.RoleWrite})
	add(userDemoAdmin, false, false, map[string]auth.Role{"demo": auth.RoleAdmin})
	add(userOther, false, false, map[string]auth.Role{"other": auth.RoleAdmin})
	add(userMetrics, false, true, nil)
	ready := &atomic.Bool{}
	ready.Store(true)
	logs := &syncBuffer{}
	counter := &countAuth{failures: map[string]int{}}
	api := httpapi.New(httpapi.Config{
		Client: e.client, Ready: ready, Gatherer: prometheus.NewRegistry(), Pprof: true, Series: fakeSeries{},
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Auth:   auth.StaticStore(users), Secure: secure, AuthCounter: counter,
		Server: httpapi.ServerInfo{Version: "test", StartedAt: time.Now(), DataDir: t.TempDir(), FsyncMode: "always", Containers: 1},
	})
	ts := httptest.NewServer(api)
	t.Cleanup(ts.Close)
	t.Cleanup(api.Close) // first: it ends the long-lived responses
	ae := &authEnv{env: e, api: api, base: ts.URL, tokens: tokens, counter: counter, logs: logs}
	t.Cleanup(func() {
		// No token ever reaches the log.
		out := logs.String()
		for name, tok := range tokens {
			if strings.Contains(out, tok) {
				t.Errorf("the log holds %s's token", name)
			}
		}
	})
	return ae
}

// answer is a response, read.
type answer struct {
	status int
	header http.Header
	body   []byte
	// open: the response was still streaming when the read stopped (an
	// event stream, a long poll).
	open bool
}

// call sends a request as user (anonymous: none), with the token in the
// Authorization header. headers are name, value pairs. A response that
// streams is read for a moment and cut.
func (ae *authEnv) call(user, method, path, contentType, body string, headers ...string) answer {
	ae.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, ae.base+path, strings.NewReader(body))
	if err != nil {
		ae.t.Fatalf("%s %s: %v", method, path, err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if user != anonymous {
		req.Header.Set("Authorization", "Bearer "+ae.tokens[user])
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	type result struct {
		resp *http.Response
		err  error
	}
	done := make(chan result, 1)
	go func() {
		resp, err := client.Do(req)
		done <- result{resp, err}
	}()
	var res result
	select {
	case res = <-done:
	case <-time.After(4 * time.Second):
		// No headers yet: a handler that holds its answer (a long
		// wait) got past the access checks.
		cancel()
		<-done
		return answer{open: true}
	}
	if res.err != nil {
		ae.t.Fatalf("%s %s: %v", method, path, res.err)
	}
	defer res.resp.Body.Close()
	a := answer{status: res.resp.StatusCode, header: res.resp.Header}
	if strings.HasPrefix(res.resp.Header.Get("Content-Type"), "text/event-stream") {
		// The first message or comment, then cut.
		rd := bufio.NewReader(res.resp.Body)
		timer := time.AfterFunc(2*time.Second, cancel)
		defer timer.Stop()
		for {
			line, err := rd.ReadBytes('\n')
			a.body = append(a.body, line...)
			if err != nil || (len(a.body) > 1 && bytes.HasSuffix(a.body, []byte("\n\n"))) {
				break
			}
		}
		a.open = true
		return a
	}
	a.body, err = io.ReadAll(res.resp.Body)
	if err != nil && !errors.Is(err, context.Canceled) {
		ae.t.Fatalf("%s %s: reading the body: %v", method, path, err)
	}
	return a
}

// code is the braid code of an error answer ("" if it is not one).
func (a answer) code() string {
	var eb struct {
		Error struct{ Code, Message string }
	}
	json.Unmarshal(a.body, &eb)
	return eb.Error.Code
}

// message is the message of an error answer.
func (a answer) message() string {
	var eb struct {
		Error struct{ Code, Message string }
	}
	json.Unmarshal(a.body, &eb)
	return eb.Error.Message
}

func (a answer) String() string {
	if a.status == 0 {
		return "no answer yet (a long-lived request)"
	}
	b := a.body
	if len(b) > 300 {
		b = b[:300]
	}
	return http.StatusText(a.status) + " " + strings.TrimSpace(string(b))
}

// fixtures makes what the routes name: streams demo/orders and
// other/things with events, the group demo/g, the export job
// demo-orders, the query q1 reading demo/orders, ephemeral streams
// demo/eph and other/eph with a holder each. It returns demo/eph's holder
// id.
func (ae *authEnv) fixtures() string {
	t := ae.t
	t.Helper()
	ae.stream("demo/orders", 2)
	ae.stream("other/things", 1)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, s := range []string{"demo/orders", "other/things"} {
		w, err := ae.client.NewWriter(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 5 {
			if _, err := w.Write(ctx, "k", []byte(`{"item":"x","n":`+string(rune('0'+i))+`}`)).Wait(ctx); err != nil {
				t.Fatal(err)
			}
		}
		w.Close(ctx)
	}
	if _, err := ae.client.ReaderGroup("demo/g").Create(ctx, braid.ReaderGroupConfig{Streams: []braid.GroupStream{{Stream: "demo/orders"}}}); err != nil {
		t.Fatalf("create group: %v", err)
	}
	if _, err := ae.client.CreateExport(ctx, braid.ExportJob{Name: "demo-orders", Stream: "demo/orders", URL: "s3://nobucket/x",
		S3Endpoint: "http://127.0.0.1:1", S3PathStyle: true}); err != nil {
		t.Fatalf("create export: %v", err)
	}
	if _, _, err := ae.client.DeployQuery(ctx, "q1", "SELECT item FROM demo.orders", braid.WithForce()); err != nil {
		t.Fatalf("deploy query: %v", err)
	}
	h, err := ae.client.AttachHolder(ctx, "demo", "eph", "test", time.Hour, 0, true, braid.StreamConfig{})
	if err != nil {
		t.Fatalf("attach: %v", err)
	}
	if _, err := ae.client.AttachHolder(ctx, "other", "eph", "test", time.Hour, 0, true, braid.StreamConfig{}); err != nil {
		t.Fatalf("attach: %v", err)
	}
	return h.ID
}

// wantAccess is who may call each route: the security review of the
// route table, written down independently of the rules in the code. A
// route missing here fails TestRoutePermissions, as does one whose rule does
// not do what this says.
var wantAccess = map[string]string{
	"GET /v1/openapi.json": "user",
	"POST /v1/login":       "public",
	"POST /v1/logout":      "public",
	"GET /v1/whoami":       "user",

	"GET /v1/scopes":                                 "listing",
	"PUT /v1/scopes/{scope}":                         "cluster",
	"DELETE /v1/scopes/{scope}":                      "cluster",
	"GET /v1/streams/{scope}":                        "listing",
	"PUT /v1/streams/{scope}/{stream}":               "admin",
	"GET /v1/streams/{scope}/{stream}":               "read",
	"PATCH /v1/streams/{scope}/{stream}":             "admin",
	"DELETE /v1/streams/{scope}/{stream}":            "admin",
	"POST /v1/streams/{scope}/{stream}/seal":         "admin",
	"POST /v1/streams/{scope}/{stream}/truncate":     "admin",
	"POST /v1/streams/{scope}/{stream}/scale":        "admin",
	"GET /v1/streams/{scope}/{stream}/cuts/head":     "read",
	"GET /v1/streams/{scope}/{stream}/cuts/tail":     "read",
	"GET /v1/streams/{scope}/{stream}/watermark":     "read",
	"GET /v1/streams/{scope}/{stream}/window":        "read",
	"POST /v1/streams/{scope}/{stream}/events":       "write",
	"PUT /v1/streams/{scope}/{stream}/file":          "write",
	"GET /v1/streams/{scope}/{stream}/events":        "read",
	"GET /v1/streams/{scope}/{stream}/events/stream": "read",
	"GET /v1/streams/{scope}/{stream}/blob":          "read",
	"GET /v1/events/{scope}/{stream}/{pointer}":      "read",

	"GET /v1/groups/{scope}":                                  "listing",
	"PUT /v1/groups/{scope}/{group}":                          "admin",
	"GET /v1/groups/{scope}/{group}":                          "read",
	"DELETE /v1/groups/{scope}/{group}":                       "admin",
	"POST /v1/groups/{scope}/{group}/checkpoints":             "admin",
	"POST /v1/groups/{scope}/{group}/reset":                   "admin",
	"POST /v1/groups/{scope}/{group}/readers/{reader}":        "read",
	"GET /v1/groups/{scope}/{group}/readers/{reader}/events":  "read",
	"POST /v1/groups/{scope}/{group}/readers/{reader}/commit": "read",
	"DELETE /v1/groups/{scope}/{group}/readers/{reader}":      "read",

	"GET /v1/server":      "user",
	"GET /v1/cluster":     "user",
	"GET /v1/series":      "listing",
	"GET /v1/series/live": "listing",

	"GET /v1/exports":               "listing",
	"POST /v1/exports":              "cluster", // its body names an s3_endpoint: the server would reach it with its own credentials
	"GET /v1/exports/{name}":        "read",
	"DELETE /v1/exports/{name}":     "admin",
	"POST /v1/exports/{name}/stop":  "admin",
	"POST /v1/exports/{name}/start": "admin",

	"GET /v1/queries":                "listing",
	"POST /v1/queries":               "admin",
	"POST /v1/queries/validate":      "read",
	"GET /v1/queries/{name}":         "read",
	"DELETE /v1/queries/{name}":      "admin",
	"POST /v1/queries/{name}/stop":   "admin",
	"POST /v1/queries/{name}/start":  "admin",
	"GET /v1/queries/{name}/results": "read",

	"GET /v1/ephemeral":                           "listing",
	"POST /v1/ephemeral/streams/{scope}/{stream}": "admin",
	"GET /v1/ephemeral/streams/{scope}/{stream}":  "read",
	"POST /v1/ephemeral/scopes/{scope}":           "admin",
	"GET /v1/ephemeral/scopes/{scope}":            "read",
	"POST /v1/ephemeral/holders/{id}/keepalive":   "admin",
	"DELETE /v1/ephemeral/holders/{id}":           "admin",
	"GET /v1/cleanup-log":                         "cluster",

	// Not in the route table.
	"GET /metrics":             "metrics",
	"GET /debug/pprof/":        "pprof",
	"GET /debug/pprof/profile": "pprof",
	"GET /debug/pprof/trace":   "pprof",
	"GET /v1/nosuch":           "user", // NO_ROUTE, for users only
}

// routeInput is what a request to a route carries beside its path: a
// query, a content type and a body that get past the handler's own
// checks where that matters (routes whose rule reads the body).
var routeInput = map[string]struct{ query, contentType, body string }{
	"POST /v1/streams/{scope}/{stream}/events":    {"", "application/json", `{"data": "x"}`},
	"PUT /v1/streams/{scope}/{stream}/file":       {"", "application/octet-stream", "x"},
	"PUT /v1/groups/{scope}/{group}":              {"", "application/json", `{"streams": ["demo/orders"]}`},
	"POST /v1/groups/{scope}/{group}/reset":       {"", "application/json", `{"checkpoint": "nope"}`},
	"POST /v1/groups/{scope}/{group}/checkpoints": {"timeout=1ms", "application/json", `{"name": "cp"}`},
	"POST /v1/exports": {"", "application/json", `{"name": "demo-orders-2", "stream": "demo/orders", "url": "s3://nobucket/y", ` +
		`"s3_endpoint": "http://127.0.0.1:1"}`},
	"POST /v1/queries":          {"", "application/json", `{"name": "q2", "sql": "SELECT item FROM demo.orders", "force": true}`},
	"POST /v1/queries/validate": {"", "application/json", `{"sql": "SELECT item FROM demo.orders", "force": true}`},
	"GET /debug/pprof/profile":  {"seconds=1", "", ""},
	"GET /debug/pprof/trace":    {"seconds=0.1", "", ""},
}

// allowed reports whether user may call a route of the level.
func allowed(user, level string) bool {
	switch level {
	case "public":
		return true
	case "user", "listing":
		return user != anonymous
	case "read":
		return slices.Contains([]string{userRoot, userReader, userWriter, userDemoAdmin}, user)
	case "write":
		return slices.Contains([]string{userRoot, userWriter, userDemoAdmin}, user)
	case "admin":
		return slices.Contains([]string{userRoot, userDemoAdmin}, user)
	case "cluster", "pprof":
		return user == userRoot
	case "metrics":
		return user == userRoot || user == userMetrics
	}
	panic("level " + level)
}

// TestRoutePermissions: every route of the route table (the OpenAPI document
// lists them all), /metrics, /debug/pprof and unknown /v1 paths refuse
// anonymous requests (401 UNAUTHENTICATED with WWW-Authenticate, but for
// the login's), refuse users whose roles do not reach the scope the route
// is about (403 PERMISSION_DENIED naming the user), and let the others
// through; listings answer a user of another scope with nothing of
// demo. A route that has no rule, or one that is not in wantAccess, fails
// the test.
func TestRoutePermissions(t *testing.T) {
	noAWSCredentials(t)
	ae := newAuthEnv(t, false)
	holder := ae.fixtures()

	// Every route, from the document (as the cluster admin).
	doc := ae.call(userRoot, "GET", "/v1/openapi.json", "", "")
	if doc.status != 200 {
		t.Fatalf("GET /v1/openapi.json as the cluster admin: %s", doc)
	}
	var d struct {
		Paths map[string]map[string]struct {
			Access string `json:"x-braid-access"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(doc.body, &d); err != nil {
		t.Fatal(err)
	}
	// With its security schemes, the document is still valid OpenAPI 3.
	if loaded, err := openapi3.NewLoader().LoadFromData(doc.body); err != nil {
		t.Errorf("the document does not load: %v", err)
	} else if err := loaded.Validate(context.Background()); err != nil {
		t.Errorf("the document is not valid OpenAPI 3: %v", err)
	} else if loaded.Components.SecuritySchemes["token"] == nil || len(loaded.Security) != 2 {
		t.Errorf("the document has no security schemes")
	}
	var routes []string
	for path, ops := range d.Paths {
		for method, op := range ops {
			key := strings.ToUpper(method) + " " + path
			routes = append(routes, key)
			if strings.HasPrefix(op.Access, "none") {
				t.Errorf("%s has no access rule (%q)", key, op.Access)
			}
		}
	}
	if len(routes) < 50 {
		t.Fatalf("the document lists only %d routes", len(routes))
	}
	routes = append(routes, "GET /metrics", "GET /debug/pprof/", "GET /debug/pprof/profile", "GET /debug/pprof/trace", "GET /v1/nosuch")
	slices.Sort(routes)
	for _, key := range routes {
		if _, ok := wantAccess[key]; !ok {
			t.Errorf("%s is not in wantAccess: say who may call it (and give it a rule in the route table)", key)
		}
	}
	for key := range wantAccess {
		if !slices.Contains(routes, key) {
			t.Errorf("wantAccess has %s, which the server does not serve", key)
		}
	}

	fill := strings.NewReplacer("{scope}", "demo", "{group}", "g", "{reader}", "r1", "{id}", holder,
		"{pointer}", "0000000000000000-0000000000000000-00000000")
	pathOf := func(key string) (method, path string) {
		method, path, _ = strings.Cut(key, " ")
		switch {
		case strings.HasPrefix(path, "/v1/ephemeral/"):
			path = strings.ReplaceAll(path, "{stream}", "eph")
		case strings.HasPrefix(path, "/v1/exports/"):
			path = strings.ReplaceAll(path, "{name}", "demo-orders")
		case strings.HasPrefix(path, "/v1/queries/"):
			path = strings.ReplaceAll(path, "{name}", "q1")
		}
		path = strings.ReplaceAll(fill.Replace(path), "{stream}", "orders")
		if in := routeInput[key]; in.query != "" {
			path += "?" + in.query
		}
		return method, path
	}
	checks, open := 0, 0
	check := func(user, key string) {
		t.Helper()
		level, ok := wantAccess[key]
		if !ok {
			return
		}
		checks++
		method, path := pathOf(key)
		in := routeInput[key]
		a := ae.call(user, method, path, in.contentType, in.body)
		if a.open {
			open++
		}
		who := user
		if who == anonymous {
			who = "anonymous"
		}
		switch {
		case user == anonymous && level != "public":
			if a.status != 401 || a.code() != "UNAUTHENTICATED" || a.header.Get("WWW-Authenticate") != `Bearer realm="braid"` {
				t.Errorf("%s %s as %s (%s): %s, want 401 UNAUTHENTICATED with WWW-Authenticate", method, path, who, level, a)
			}
		case !allowed(user, level):
			if a.status != 403 || a.code() != "PERMISSION_DENIED" || !strings.Contains(string(a.body), user+" may not") {
				t.Errorf("%s %s as %s (%s): %s, want 403 PERMISSION_DENIED naming the user", method, path, who, level, a)
			}
		case a.status == 401 || a.status == 403:
			t.Errorf("%s %s as %s (%s): %s, want it allowed", method, path, who, level, a)
		case level == "listing" && user == userOther:
			if a.status != 200 || strings.Contains(string(a.body), "demo") {
				t.Errorf("%s %s as %s: %s, want 200 with nothing of demo", method, path, who, a)
			}
		case level == "listing" && user == userReader:
			if a.status != 200 || !strings.Contains(string(a.body), "demo") {
				t.Errorf("%s %s as %s: %s, want 200 with demo's", method, path, who, a)
			}
		}
	}
	// First the users who may change nothing lasting (reads, appends,
	// group membership), then those who may delete the fixtures: their
	// answers are only checked not to be refusals, or refusals that need
	// no fixture (cluster, metrics, pprof).
	for _, user := range []string{anonymous, userOther, userReader, userWriter, userMetrics} {
		for _, key := range routes {
			check(user, key)
		}
	}
	for _, user := range []string{userDemoAdmin, userRoot} {
		for _, key := range routes {
			check(user, key)
		}
	}

	t.Logf("%d routes, %d requests (%d still streaming when cut)", len(routes), checks, open)
	failures, denied := ae.counter.get()
	if failures["no_credentials"] == 0 || denied == 0 {
		t.Errorf("counted failures %v and %d denials", failures, denied)
	}
	if logs := ae.logs.String(); !strings.Contains(logs, "http request denied") || !strings.Contains(logs, "user=reader") {
		t.Errorf("the denials are not logged with the user:\n%.2000s", logs)
	}
}

// TestAuthCredentials: the answers to missing, malformed and bad
// credentials, the open probes, and who GET /v1/whoami says the caller is.
func TestAuthCredentials(t *testing.T) {
	ae := newAuthEnv(t, false)
	for _, p := range []string{"/healthz", "/readyz"} {
		if a := ae.call(anonymous, "GET", p, "", ""); a.status != 200 {
			t.Errorf("GET %s anonymously: %s, want 200", p, a)
		}
	}
	for _, tc := range []struct {
		header, reason, msg string
	}{
		{"Bearer braid_nosuchtoken", "bad_token", "invalid token"},
		{"Basic dXNlcjpwYXNz", "bad_token", `scheme "Basic" is not supported`},
		{"braid_bare", "bad_token", `want "Bearer <token>"`},
		{"Bearer", "bad_token", `want "Bearer <token>"`},
	} {
		before, _ := ae.counter.get()
		a := ae.call(anonymous, "GET", "/v1/scopes", "", "", "Authorization", tc.header)
		if a.status != 401 || a.code() != "UNAUTHENTICATED" || !strings.Contains(a.message(), tc.msg) {
			t.Errorf("Authorization: %s: %s, want 401 saying %q", tc.header, a, tc.msg)
		}
		if strings.Contains(string(a.body), "nosuchtoken") || strings.Contains(string(a.body), "dXNlcjpwYXNz") {
			t.Errorf("Authorization: %s: the answer quotes the credential: %s", tc.header, a)
		}
		after, _ := ae.counter.get()
		if after[tc.reason] != before[tc.reason]+1 {
			t.Errorf("Authorization: %s: failures %v then %v, want one more %s", tc.header, before, after, tc.reason)
		}
	}
	if logs := ae.logs.String(); !strings.Contains(logs, "reason=bad_token") || !strings.Contains(logs, "remote=127.0.0.1") || strings.Contains(logs, "nosuchtoken") {
		t.Errorf("the bad token's log: %.2000s", logs)
	}

	a := ae.call(userReader, "GET", "/v1/whoami", "", "")
	var me struct {
		Auth    bool
		Name    string
		Admin   bool
		Roles   map[string]string
		Metrics bool
	}
	if err := json.Unmarshal(a.body, &me); a.status != 200 || err != nil || !me.Auth || me.Name != userReader || me.Admin || me.Roles["demo"] != "read" {
		t.Errorf("GET /v1/whoami as reader: %s (%+v)", a, me)
	}
	a = ae.call(userRoot, "GET", "/v1/whoami", "", "")
	if err := json.Unmarshal(a.body, &me); err != nil || me.Name != userRoot || !me.Admin || !me.Metrics {
		t.Errorf("GET /v1/whoami as root: %s", a)
	}
	// The denial's message names the user, the action and the roles.
	a = ae.call(userReader, "DELETE", "/v1/streams/demo/orders", "", "")
	if a.status != 403 || a.message() != `reader may not administer scope "demo" (roles: demo=read)` {
		t.Errorf("DELETE as reader: %s", a)
	}
}

// TestAuthWithoutStore: without Config.Auth the API is open as before,
// GET /v1/whoami says so, and there is nothing to log in to.
func TestAuthWithoutStore(t *testing.T) {
	e := newEnv(t, server.Config{})
	status, _, b := e.do("GET", "/v1/whoami", "", nil)
	if status != 200 || !strings.Contains(string(b), `"auth": false`) {
		t.Errorf("GET /v1/whoami: %d %s", status, b)
	}
	status, _, b = e.do("POST", "/v1/login", "application/json", strings.NewReader(`{"token": "x"}`))
	if status != 400 {
		t.Errorf("POST /v1/login: %d %s", status, b)
	}
	req, _ := http.NewRequest("GET", e.base+"/login", nil)
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Errorf("GET /login: %d %s, want a redirect to /", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// cookieOf is the Set-Cookie of the session in an answer.
func cookieOf(t *testing.T, h http.Header) *http.Cookie {
	t.Helper()
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == httpapi.SessionCookie {
			return c
		}
	}
	t.Fatalf("no %s cookie in %v", httpapi.SessionCookie, h.Values("Set-Cookie"))
	return nil
}

// TestLoginCookie: POST /v1/login trades a token for the session cookie
// (HttpOnly, SameSite=Strict, 12 h, Secure over TLS), which then
// authenticates; a bad token is a 401 and a counted failure; a login from
// another origin is refused; POST /v1/logout clears the cookie; the
// dashboard sends a visitor without a session to /login.
func TestLoginCookie(t *testing.T) {
	ae := newAuthEnv(t, false)
	ae.stream("demo/orders", 1)

	// The dashboard, before the login.
	for _, p := range []string{"/", "/app.js", "/queries.js", "/nosuch.js"} {
		if a := ae.call(anonymous, "GET", p, "", ""); a.status != http.StatusSeeOther || a.header.Get("Location") != "/login" {
			t.Errorf("GET %s anonymously: %s %q, want a redirect to /login", p, a, a.header.Get("Location"))
		}
	}
	for _, p := range []string{"/login", "/login.js", "/app.css", "/favicon.svg"} {
		if a := ae.call(anonymous, "GET", p, "", ""); a.status != 200 {
			t.Errorf("GET %s anonymously: %s, want 200", p, a)
		}
	}
	if a := ae.call(anonymous, "GET", "/login", "", ""); !strings.Contains(string(a.body), `id="token"`) || !strings.Contains(string(a.body), "login.js") {
		t.Errorf("GET /login is not the login page: %s", a)
	}
	if a := ae.call(userReader, "GET", "/", "", ""); a.status != 200 || !strings.Contains(string(a.body), "app.js") {
		t.Errorf("GET / with a token: %s", a)
	}

	// A bad token.
	before, _ := ae.counter.get()
	a := ae.call(anonymous, "POST", "/v1/login", "application/json", `{"token": "braid_wrong"}`)
	if a.status != 401 || a.code() != "UNAUTHENTICATED" || len(a.header.Values("Set-Cookie")) != 0 {
		t.Errorf("login with a bad token: %s %v", a, a.header.Values("Set-Cookie"))
	}
	if after, _ := ae.counter.get(); after["bad_token"] != before["bad_token"]+1 {
		t.Errorf("login with a bad token: failures %v then %v", before, after)
	}
	// From another origin.
	a = ae.call(anonymous, "POST", "/v1/login", "application/json", `{"token": "`+ae.tokens[userWriter]+`"}`, "Origin", "http://evil.example")
	if a.status != 403 || !strings.Contains(string(a.body), "cross-site request refused") || len(a.header.Values("Set-Cookie")) != 0 {
		t.Errorf("login from another origin: %s", a)
	}

	// The login.
	a = ae.call(anonymous, "POST", "/v1/login", "application/json", `{"token": "`+ae.tokens[userWriter]+`"}`, "Origin", ae.base)
	if a.status != 204 {
		t.Fatalf("login: %s", a)
	}
	ck := cookieOf(t, a.header)
	if ck.Value != ae.tokens[userWriter] || ck.Path != "/" || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.MaxAge != 12*3600 || ck.Secure {
		t.Errorf("the session cookie: %v", a.header.Values("Set-Cookie"))
	}
	cookie := "Cookie"
	session := httpapi.SessionCookie + "=" + ck.Value
	if a := ae.call(anonymous, "GET", "/v1/whoami", "", "", cookie, session); a.status != 200 || !strings.Contains(string(a.body), `"name": "writer"`) {
		t.Errorf("whoami with the cookie: %s", a)
	}
	if a := ae.call(anonymous, "GET", "/", "", "", cookie, session); a.status != 200 {
		t.Errorf("GET / with the cookie: %s", a)
	}

	// CSRF: a state-changing request with the cookie must come from
	// this origin.
	events := func() int {
		a := ae.call(userRoot, "GET", "/v1/streams/demo/orders/events?limit=1000", "", "")
		var page struct{ Events []json.RawMessage }
		json.Unmarshal(a.body, &page)
		return len(page.Events)
	}
	const appendPath = "/v1/streams/demo/orders/events"
	_, deniedBefore := ae.counter.get()
	for _, h := range [][]string{
		{"Origin", "http://evil.example"},
		{"Origin", "null"},
		{"Sec-Fetch-Site", "cross-site", "Origin", "http://evil.example"},
		{"Sec-Fetch-Site", "same-site", "Origin", ae.base}, // Sec-Fetch-Site wins
		{},
	} {
		a := ae.call(anonymous, "POST", appendPath, "application/json", `{"data": "forged"}`, append([]string{cookie, session}, h...)...)
		if a.status != 403 || a.code() != "PERMISSION_DENIED" || !strings.Contains(string(a.body), "cross-site request refused") {
			t.Errorf("POST with the cookie and %q: %s, want 403 cross-site request refused", h, a)
		}
	}
	if n := events(); n != 0 {
		t.Errorf("the refused requests appended %d events", n)
	}
	if _, denied := ae.counter.get(); denied != deniedBefore+5 {
		t.Errorf("denials counted: %d then %d, want 5 more", deniedBefore, denied)
	}
	for _, h := range [][]string{
		{"Origin", ae.base},
		{"Sec-Fetch-Site", "same-origin", "Origin", ae.base},
		{"Sec-Fetch-Site", "same-origin"},
	} {
		if a := ae.call(anonymous, "POST", appendPath, "application/json", `{"data": "mine"}`, append([]string{cookie, session}, h...)...); a.status != 201 {
			t.Errorf("POST with the cookie and %q: %s, want it appended", h, a)
		}
	}
	if n := events(); n != 3 {
		t.Errorf("%d events after three same-origin appends", n)
	}
	// Reads are not state-changing. A change a browser sends from another
	// site is refused whatever its credential; a script without an
	// Origin (curl) is no browser.
	if a := ae.call(anonymous, "GET", appendPath, "", "", cookie, session, "Origin", "http://evil.example"); a.status != 200 {
		t.Errorf("GET with the cookie from another origin: %s", a)
	}
	if a := ae.call(userWriter, "POST", appendPath, "application/json", `{"data": "script"}`, "Origin", "http://evil.example"); a.status != 403 {
		t.Errorf("POST with a token from another origin: %s, want 403", a)
	}
	if a := ae.call(userWriter, "POST", appendPath, "application/json", `{"data": "script"}`); a.status != 201 {
		t.Errorf("POST with a token and no Origin: %s", a)
	}
	// The cookie's roles are the user's.
	if a := ae.call(anonymous, "DELETE", "/v1/streams/demo/orders", "", "", cookie, session, "Origin", ae.base); a.status != 403 {
		t.Errorf("DELETE with the writer's cookie: %s", a)
	}
	// A cookie that holds no valid token.
	if a := ae.call(anonymous, "GET", "/v1/scopes", "", "", cookie, httpapi.SessionCookie+"=braid_revoked"); a.status != 401 {
		t.Errorf("a bad cookie: %s", a)
	}
	if a := ae.call(anonymous, "GET", "/", "", "", cookie, httpapi.SessionCookie+"=braid_revoked"); a.status != http.StatusSeeOther {
		t.Errorf("GET / with a bad cookie: %s", a)
	}

	// The logout clears the cookie.
	a = ae.call(anonymous, "POST", "/v1/logout", "", "", cookie, session, "Origin", ae.base)
	if a.status != 204 {
		t.Fatalf("logout: %s", a)
	}
	if ck := cookieOf(t, a.header); ck.Value != "" || ck.MaxAge >= 0 {
		t.Errorf("logout's cookie: %v", a.header.Values("Set-Cookie"))
	}
	if a := ae.call(anonymous, "POST", "/v1/logout", "", "", "Origin", "http://evil.example"); a.status != 403 {
		t.Errorf("logout from another origin: %s", a)
	}
}

// TestLoginCookieSecure: over TLS (Config.Secure) the cookie is Secure.
func TestLoginCookieSecure(t *testing.T) {
	ae := newAuthEnv(t, true)
	a := ae.call(anonymous, "POST", "/v1/login", "application/json", `{"token": "`+ae.tokens[userReader]+`"}`)
	if a.status != 204 {
		t.Fatalf("login: %s", a)
	}
	if ck := cookieOf(t, a.header); !ck.Secure || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode {
		t.Errorf("the session cookie over TLS: %v", a.header.Values("Set-Cookie"))
	}
}
