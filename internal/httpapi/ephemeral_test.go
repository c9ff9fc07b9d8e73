package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/server"
)

// ephHolder is a holder in the JSON form of an ephemeral stream or scope.
type ephHolder struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Lease     string    `json:"lease"`
	Attached  time.Time `json:"attached"`
	Expires   time.Time `json:"expires"`
	ExpiresIn string    `json:"expires_in"`
}

// ephDoc is the JSON form of an ephemeral stream or scope.
type ephDoc struct {
	Kind       string      `json:"kind"`
	Scope      string      `json:"scope"`
	Stream     string      `json:"stream"`
	Owner      string      `json:"owner"`
	Grace      string      `json:"grace"`
	Created    time.Time   `json:"created"`
	State      string      `json:"state"`
	EmptySince *time.Time  `json:"empty_since"`
	Holders    []ephHolder `json:"holders"`
}

// attachDoc answers an attach.
type attachDoc struct {
	HolderID  string    `json:"holder_id"`
	Expires   time.Time `json:"expires"`
	Created   bool      `json:"created"`
	Ephemeral ephDoc    `json:"ephemeral"`
}

// ephemeralFields are the fields of an ephemeral stream's JSON form, every
// one always present ("stream" not for a scope).
var ephemeralFields = []string{"kind", "scope", "stream", "owner", "grace", "created", "state", "empty_since", "holders"}

var holderIDRE = regexp.MustCompile(`^[0-9a-f]{24}$`)

// attach posts an attach body to path, failing the test unless it is
// answered with status; it returns the answer and its raw body.
func attach(t *testing.T, e *env, path string, body map[string]any, status int) (attachDoc, []byte) {
	t.Helper()
	var a attachDoc
	got, raw := e.doJSON("POST", path, body, &a)
	if got != status {
		t.Fatalf("POST %s %v: %d %s, want %d", path, body, got, raw, status)
	}
	if !holderIDRE.MatchString(a.HolderID) {
		t.Fatalf("POST %s: holder_id %q is not 24 hex digits (%s)", path, a.HolderID, raw)
	}
	return a, raw
}

// getEphemeral answers GET path, failing the test unless 200.
func getEphemeral(t *testing.T, e *env, path string) (ephDoc, map[string]any) {
	t.Helper()
	var d ephDoc
	status, raw := e.doJSON("GET", path, nil, &d)
	if status != 200 {
		t.Fatalf("GET %s: %d %s", path, status, raw)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return d, m
}

// ephemeralOfAnswer returns the fields of an attach answer's "ephemeral".
func ephemeralOfAnswer(t *testing.T, raw []byte) map[string]any {
	t.Helper()
	var answer struct {
		Ephemeral map[string]any `json:"ephemeral"`
	}
	if err := json.Unmarshal(raw, &answer); err != nil || answer.Ephemeral == nil {
		t.Fatalf("attach answer %s has no \"ephemeral\" object: %v", raw, err)
	}
	return answer.Ephemeral
}

// listEphemeral answers the names of GET /v1/ephemeral, in its order.
func listEphemeral(t *testing.T, e *env) ([]string, []ephDoc) {
	t.Helper()
	var out struct {
		Ephemeral *[]ephDoc `json:"ephemeral"`
	}
	status, raw := e.doJSON("GET", "/v1/ephemeral", nil, &out)
	if status != 200 || out.Ephemeral == nil {
		t.Fatalf("GET /v1/ephemeral: %d %s, want 200 with an \"ephemeral\" array", status, raw)
	}
	names := []string{}
	for _, d := range *out.Ephemeral {
		names = append(names, strings.TrimSuffix(d.Scope+"/"+d.Stream, "/"))
	}
	return names, *out.Ephemeral
}

// keepAlive posts a keep-alive (body nil: none), failing the test unless
// 200; it returns the new expiry.
func keepAlive(t *testing.T, e *env, id string, body map[string]any) time.Time {
	t.Helper()
	var k struct {
		Expires *time.Time `json:"expires"`
	}
	status, raw := e.doJSON("POST", "/v1/ephemeral/holders/"+id+"/keepalive", body, &k)
	if status != 200 || k.Expires == nil {
		t.Fatalf("keep-alive of %s: %d %s, want 200 with expires", id, status, raw)
	}
	return *k.Expires
}

// detach deletes holder id, failing the test unless 204 with no body.
func detach(t *testing.T, e *env, id string) {
	t.Helper()
	status, _, raw := e.do("DELETE", "/v1/ephemeral/holders/"+id, "", nil)
	if status != 204 || len(raw) != 0 {
		t.Fatalf("detach %s: %d %q, want 204 and no body", id, status, raw)
	}
}

// streamGone reports whether the stream no longer exists, failing the
// test on another error.
func streamGone(t *testing.T, e *env, stream string) bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := e.client.GetStream(ctx, stream)
	if err != nil && !errors.Is(err, braid.ErrNotFound) {
		t.Fatalf("GetStream %s: %v", stream, err)
	}
	return err != nil
}

// within fails the test unless at is within slack of want.
func within(t *testing.T, what string, at, want time.Time, slack time.Duration) {
	t.Helper()
	if d := at.Sub(want); d < -slack || d > slack {
		t.Errorf("%s is %s, want %s (± %s): off by %s", what, at.Format(time.RFC3339Nano), want.Format(time.RFC3339Nano), slack, d)
	}
}

// TestEphemeralStreamHolders: a first attach creates the ephemeral stream
// (201), a second attaches (200) and both are listed; keep-alives move a
// lease's expiry forward (and change the lease), an unknown holder's is
// 404; once both holders detached, the server deletes the stream after
// its grace period.
func TestEphemeralStreamHolders(t *testing.T) {
	e := newEnv(t, server.Config{})
	const path = "/v1/ephemeral/streams/eph/work"

	before := time.Now()
	a, raw := attach(t, e, path, map[string]any{"holder": "job-a", "lease": "5s", "grace": "2s", "segments": 3}, 201)
	if !a.Created {
		t.Errorf("the creating attach says created false: %s", raw)
	}
	within(t, "the first holder's expires", a.Expires, time.Now().Add(5*time.Second), 2*time.Second)
	d := a.Ephemeral
	if d.Kind != "stream" || d.Scope != "eph" || d.Stream != "work" || d.Owner != "job-a" || d.Grace != "2s" || d.State != "live" || d.EmptySince != nil {
		t.Errorf("the created stream is %+v: want a live stream eph/work, owner job-a, grace 2s, empty_since null", d)
	}
	if len(d.Holders) != 1 || d.Holders[0].ID != a.HolderID || d.Holders[0].Name != "job-a" || d.Holders[0].Lease != "5s" || !d.Holders[0].Expires.Equal(a.Expires) {
		t.Errorf("holders %+v: want job-a (%s) with lease 5s, expiring at %s", d.Holders, a.HolderID, a.Expires)
	}
	for what, at := range map[string]time.Time{"created": d.Created, "attached": d.Holders[0].Attached} {
		if at.Before(before.Add(-time.Second)) || at.After(time.Now().Add(time.Second)) || at.Location() != time.UTC {
			t.Errorf("%s %s is not a UTC time between the attach's start (%s) and now", what, at, before.UTC())
		}
	}
	answer := ephemeralOfAnswer(t, raw)
	for _, f := range ephemeralFields {
		if _, ok := answer[f]; !ok {
			t.Errorf("the ephemeral stream's JSON lacks %q: %s", f, raw)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	info, err := e.client.GetStream(ctx, "eph/work")
	if err != nil || len(info.Current) != 3 {
		t.Fatalf("the created stream: %+v, %v; want 3 segments", info, err)
	}

	// A second holder attaches; grace and segments apply to a create only.
	b, raw := attach(t, e, path, map[string]any{"holder": "job-b", "lease": "10s", "grace": "1h", "segments": 1}, 200)
	if b.Created || b.HolderID == a.HolderID {
		t.Errorf("the second attach: created %v, holder %s (the first is %s): want false and a new holder", b.Created, b.HolderID, a.HolderID)
	}
	if b.Ephemeral.Owner != "job-a" || b.Ephemeral.Grace != "2s" || len(b.Ephemeral.Holders) != 2 {
		t.Errorf("after the second attach: %+v, want owner job-a, grace 2s, two holders (%s)", b.Ephemeral, raw)
	}

	got, fields := getEphemeral(t, e, path)
	if fields["empty_since"] != nil || fields["stream"] != "work" {
		t.Errorf("GET %s: empty_since %v, stream %v: want null and work", path, fields["empty_since"], fields["stream"])
	}
	byID := map[string]ephHolder{}
	for _, h := range got.Holders {
		byID[h.ID] = h
	}
	for _, want := range []struct {
		id, name, lease string
		max             time.Duration
	}{{a.HolderID, "job-a", "5s", 5 * time.Second}, {b.HolderID, "job-b", "10s", 10 * time.Second}} {
		h, ok := byID[want.id]
		if !ok || h.Name != want.name || h.Lease != want.lease {
			t.Errorf("GET %s: holders %+v, want %s named %s with lease %s", path, got.Holders, want.id, want.name, want.lease)
			continue
		}
		in, err := time.ParseDuration(h.ExpiresIn)
		if err != nil || in <= 0 || in > want.max || in%time.Millisecond != 0 {
			t.Errorf("%s's expires_in %q: want a Go duration in (0, %s], in whole milliseconds", want.name, h.ExpiresIn, want.max)
		}
	}
	if len(got.Holders) != 2 {
		t.Errorf("GET %s lists %d holders, want 2", path, len(got.Holders))
	}
	if names, docs := listEphemeral(t, e); len(names) != 1 || names[0] != "eph/work" || len(docs[0].Holders) != 2 {
		t.Errorf("GET /v1/ephemeral lists %q (%+v), want eph/work with two holders", names, docs)
	}

	// Keep-alives: a new lease moves the expiry to a lease from now; a
	// keep-alive without a body keeps that lease.
	exp := keepAlive(t, e, a.HolderID, map[string]any{"lease": "20s"})
	if !exp.After(a.Expires.Add(10 * time.Second)) {
		t.Errorf("keep-alive with lease 20s: expires %s, want past %s (the attach's 5s lease, plus 10s)", exp, a.Expires)
	}
	within(t, "the renewed expires", exp, time.Now().Add(20*time.Second), 2*time.Second)
	if got, _ := getEphemeral(t, e, path); !slices.ContainsFunc(got.Holders, func(h ephHolder) bool {
		return h.ID == a.HolderID && h.Lease == "20s" && h.Expires.Equal(exp)
	}) {
		t.Errorf("after the keep-alive, holders %+v: want %s with lease 20s expiring at %s", got.Holders, a.HolderID, exp)
	}
	status, _, raw := e.do("POST", "/v1/ephemeral/holders/"+a.HolderID+"/keepalive", "", nil)
	var k struct{ Expires time.Time }
	if status != 200 || json.Unmarshal(raw, &k) != nil || k.Expires.Before(exp) {
		t.Errorf("keep-alive without a body: %d %s, want 200 with expires at or after %s (the lease stays 20s)", status, raw, exp)
	}

	const unknown = "0123456789abcdef01234567"
	status, raw = e.doJSON("POST", "/v1/ephemeral/holders/"+unknown+"/keepalive", nil, nil)
	wantError(t, "keep-alive of an unknown holder", status, raw, 404, "NOT_FOUND", unknown, "attach again")

	// Detach: one holder goes, the stream stays.
	detach(t, e, a.HolderID)
	status, raw = e.doJSON("DELETE", "/v1/ephemeral/holders/"+a.HolderID, nil, nil)
	wantError(t, "a second detach", status, raw, 404, "NOT_FOUND", a.HolderID)
	status, raw = e.doJSON("POST", "/v1/ephemeral/holders/"+a.HolderID+"/keepalive", nil, nil)
	wantError(t, "keep-alive of a detached holder", status, raw, 404, "NOT_FOUND", a.HolderID)
	if got, _ := getEphemeral(t, e, path); len(got.Holders) != 1 || got.Holders[0].ID != b.HolderID || got.EmptySince != nil {
		t.Errorf("after one detach: holders %+v, empty_since %v; want only %s, and null", got.Holders, got.EmptySince, b.HolderID)
	}

	// The last detach starts the grace period (2s): the stream stays for
	// it, empty, then the server deletes it.
	detached := time.Now()
	detach(t, e, b.HolderID)
	got, fields = getEphemeral(t, e, path)
	if len(got.Holders) != 0 || fields["holders"] == nil || got.EmptySince == nil || got.State != "live" {
		t.Errorf("after the last detach: %+v, want live, holders [] and empty_since set", got)
	} else {
		within(t, "empty_since", *got.EmptySince, detached, time.Second)
	}
	if streamGone(t, e, "eph/work") {
		t.Fatalf("the stream went at once, within its 2s grace")
	}
	waitFor(t, "the server to delete eph/work", 20*time.Second, func() bool {
		st, _ := e.doJSON("GET", path, nil, nil)
		return st == 404 && streamGone(t, e, "eph/work")
	})
	if took := time.Since(detached); took < 2*time.Second {
		t.Errorf("deleted %s after the last detach, within its 2s grace", took)
	}
	status, raw = e.doJSON("GET", path, nil, nil)
	wantError(t, "GET after the deletion", status, raw, 404, "NOT_FOUND", "eph/work")
	status, raw = e.doJSON("POST", "/v1/ephemeral/holders/"+b.HolderID+"/keepalive", nil, nil)
	wantError(t, "keep-alive after the deletion", status, raw, 404, "NOT_FOUND", b.HolderID)
	if names, _ := listEphemeral(t, e); len(names) != 0 {
		t.Errorf("after the deletion, GET /v1/ephemeral lists %q", names)
	}
}

// TestEphemeralScope: an ephemeral scope is attached to like a stream; the
// streams in it are not ephemeral themselves, and go with it.
func TestEphemeralScope(t *testing.T) {
	e := newEnv(t, server.Config{})
	const path = "/v1/ephemeral/scopes/tmp"

	a, raw := attach(t, e, path, map[string]any{"holder": "scope-a", "lease": "3s"}, 201)
	if _, ok := ephemeralOfAnswer(t, raw)["stream"]; ok || a.Ephemeral.Kind != "scope" || a.Ephemeral.Scope != "tmp" || a.Ephemeral.Grace != "0s" {
		t.Errorf("the created scope: %s; want kind scope, scope tmp, grace 0s, no \"stream\"", raw)
	}
	e.stream("tmp/inner", 1)
	b, _ := attach(t, e, path, map[string]any{"holder": "scope-b", "create": false}, 200)
	if b.Created {
		t.Errorf("an attach with create false says created")
	}
	if got, _ := getEphemeral(t, e, path); len(got.Holders) != 2 || got.Owner != "scope-a" {
		t.Errorf("GET %s: %+v, want two holders, owner scope-a", path, got)
	}
	status, raw := e.doJSON("GET", "/v1/ephemeral/streams/tmp/inner", nil, nil)
	wantError(t, "GET a stream of an ephemeral scope", status, raw, 404, "NOT_FOUND", "tmp/inner")
	for _, p := range []string{"/v1/ephemeral/scopes/nosuch", "/v1/ephemeral/streams/nosuch/s"} {
		status, raw := e.doJSON("POST", p, map[string]any{"create": false}, nil)
		wantError(t, "attach with create false to nothing", status, raw, 404, "NOT_FOUND", "nosuch")
	}
	if names, docs := listEphemeral(t, e); len(names) != 1 || names[0] != "tmp" || docs[0].Kind != "scope" {
		t.Errorf("GET /v1/ephemeral lists %q, want the scope tmp alone", names)
	}

	detach(t, e, a.HolderID)
	detach(t, e, b.HolderID)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	waitFor(t, "the server to delete the scope tmp and its stream", 20*time.Second, func() bool {
		if st, _ := e.doJSON("GET", path, nil, nil); st != 404 || !streamGone(t, e, "tmp/inner") {
			return false
		}
		scopes, err := e.client.ListScopes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return !slices.Contains(scopes, "tmp")
	})
}

// TestEphemeralLeaseRunsOut: a holder that renews its lease keeps the
// stream past the lease; once it stops, the server drops it a lease
// later and deletes the stream, and its keep-alive is 404.
func TestEphemeralLeaseRunsOut(t *testing.T) {
	e := newEnv(t, server.Config{})
	const path = "/v1/ephemeral/streams/eph/leased"
	a, _ := attach(t, e, path, map[string]any{"holder": "renewer", "lease": "1s"}, 201)

	// Renew every 200ms for 2.5s: the stream outlives its 1s lease.
	start := time.Now()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	last := start
	prev := a.Expires
	for time.Since(start) < 2500*time.Millisecond {
		<-tick.C
		last = time.Now()
		exp := keepAlive(t, e, a.HolderID, nil)
		if exp.Before(prev) {
			t.Fatalf("a keep-alive moved expires back, from %s to %s", prev, exp)
		}
		prev = exp
	}
	if got, _ := getEphemeral(t, e, path); len(got.Holders) != 1 || got.Holders[0].ID != a.HolderID || streamGone(t, e, "eph/leased") {
		t.Fatalf("after %s of keep-alives, the stream is %+v, want it and its holder", time.Since(start), got)
	}

	// Stop renewing.
	waitFor(t, "the server to delete eph/leased after its holder's lease ran out", 20*time.Second, func() bool {
		st, _ := e.doJSON("GET", path, nil, nil)
		return st == 404 && streamGone(t, e, "eph/leased")
	})
	if took := time.Since(last); took < time.Second {
		t.Errorf("deleted %s after the last keep-alive, within the 1s lease", took)
	}
	status, raw := e.doJSON("POST", "/v1/ephemeral/holders/"+a.HolderID+"/keepalive", nil, nil)
	wantError(t, "keep-alive after the lease ran out", status, raw, 404, "NOT_FOUND", a.HolderID, "attach again")
}

// TestEphemeralBadBodies: bodies and names that are wrong are 400
// naming the field, whatever the server holds.
func TestEphemeralBadBodies(t *testing.T) {
	e := newEnv(t, server.Config{})
	for _, tc := range []struct {
		what, path, body string
		words            []string
	}{
		{"a lease too short", "/v1/ephemeral/streams/bad/s", `{"lease": "1ms"}`, []string{"lease", "1ms", "1s to 24h"}},
		{"a lease too long", "/v1/ephemeral/streams/bad/s", `{"lease": "25h"}`, []string{"lease", "25h"}},
		{"a lease not a duration", "/v1/ephemeral/streams/bad/s", `{"lease": "30"}`, []string{"lease", `"30"`}},
		{"a negative grace", "/v1/ephemeral/streams/bad/s", `{"grace": "-1s"}`, []string{"grace", "-1s"}},
		{"a grace too long", "/v1/ephemeral/streams/bad/s", `{"grace": "169h"}`, []string{"grace", "169h", "168h"}},
		{"a grace not a duration", "/v1/ephemeral/streams/bad/s", `{"grace": "soon"}`, []string{"grace", "soon"}},
		{"too many segments", "/v1/ephemeral/streams/bad/s", `{"segments": 1025}`, []string{"segments", "1025"}},
		{"negative segments", "/v1/ephemeral/streams/bad/s", `{"segments": -1}`, []string{"segments", "-1"}},
		{"a holder name too long", "/v1/ephemeral/streams/bad/s", `{"holder": "` + strings.Repeat("h", 257) + `"}`, []string{"holder", "257"}},
		{"an unknown field", "/v1/ephemeral/streams/bad/s", `{"lease": "5s", "ttl": "5s"}`, []string{"ttl"}},
		{"create not a boolean", "/v1/ephemeral/streams/bad/s", `{"create": "yes"}`, []string{"create"}},
		{"not JSON", "/v1/ephemeral/streams/bad/s", `{"lease": `, nil},
		{"segments for a scope", "/v1/ephemeral/scopes/bad", `{"segments": 2}`, []string{"segments", "scope"}},
		{"a scope's negative grace", "/v1/ephemeral/scopes/bad", `{"grace": "-1s"}`, []string{"grace", "-1s"}},
		{"a scope's unknown field", "/v1/ephemeral/scopes/bad", `{"streams": 2}`, []string{"streams"}},
		{"a bad scope name", "/v1/ephemeral/streams/_bad/s", `{}`, []string{"_bad"}},
		{"a bad stream name", "/v1/ephemeral/streams/bad/no%20spaces", `{}`, []string{"no spaces"}},
		{"a keep-alive's short lease", "/v1/ephemeral/holders/0123456789abcdef01234567/keepalive", `{"lease": "1ms"}`, []string{"lease", "1ms"}},
		{"a keep-alive's unknown field", "/v1/ephemeral/holders/0123456789abcdef01234567/keepalive", `{"lease": "5s", "grace": "1s"}`, []string{"grace"}},
	} {
		status, _, raw := e.do("POST", tc.path, "application/json", strings.NewReader(tc.body))
		wantError(t, tc.what, status, raw, 400, "INVALID_ARGUMENT", tc.words...)
	}
	status, _, raw := e.do("POST", "/v1/ephemeral/streams/bad/s", "application/x-www-form-urlencoded", strings.NewReader(`{}`))
	wantError(t, "a form body", status, raw, 415, "UNSUPPORTED_MEDIA_TYPE")
	status, _, raw = e.do("GET", "/v1/ephemeral/scopes/_bad", "", nil)
	wantError(t, "GET of a bad scope name", status, raw, 400, "INVALID_ARGUMENT", "_bad")
	// None of them made anything.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if scopes, err := e.client.ListScopes(ctx); err != nil || len(scopes) != 0 {
		t.Errorf("after the refused attaches, the scopes are %q (%v), want none", scopes, err)
	}
}

// TestEphemeralNotPlain: a stream or scope that exists and is not
// ephemeral is refused with 400 naming it, and is left as it was.
func TestEphemeralNotPlain(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("plain/s", 2)
	status, raw := e.doJSON("POST", "/v1/ephemeral/streams/plain/s", map[string]any{"holder": "h"}, nil)
	wantError(t, "attach to a plain stream", status, raw, 400, "INVALID_ARGUMENT", "plain/s", "not ephemeral")
	status, raw = e.doJSON("POST", "/v1/ephemeral/scopes/plain", map[string]any{"holder": "h"}, nil)
	wantError(t, "attach to a plain scope", status, raw, 400, "INVALID_ARGUMENT", "plain", "not ephemeral")
	for _, p := range []string{"/v1/ephemeral/streams/plain/s", "/v1/ephemeral/scopes/plain"} {
		status, raw := e.doJSON("GET", p, nil, nil)
		wantError(t, "GET "+p, status, raw, 404, "NOT_FOUND", "plain")
	}
	status, _, raw = e.do("GET", "/v1/ephemeral", "", nil)
	if status != 200 || !strings.Contains(string(raw), `"ephemeral": []`) {
		t.Errorf("GET /v1/ephemeral: %d %s, want an empty array (not null)", status, raw)
	}
	if streamGone(t, e, "plain/s") {
		t.Errorf("the refused attach removed plain/s")
	}
}

// docScript returns the ```sh block of docs/http.md that follows marker.
func docScript(t *testing.T, marker string) string {
	t.Helper()
	doc, err := os.ReadFile("../../docs/http.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), marker)
	if !ok {
		t.Fatalf("docs/http.md has no %q", marker)
	}
	_, rest, ok = strings.Cut(rest, "```sh\n")
	script, _, ok2 := strings.Cut(rest, "```\n")
	if !ok || !ok2 {
		t.Fatalf("docs/http.md has no ```sh block after %q", marker)
	}
	return script
}

// TestEphemeralCurlScript runs the holder script of docs/http.md, a shell
// script with curl, with a 1s lease renewed every 200ms: it holds the
// stream past its lease while it works, and the stream goes once the
// script ends (its trap detaches).
func TestEphemeralCurlScript(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("curl is not installed, and CI=true: %v", err)
		}
		t.Skipf("curl is not installed: %v", err)
	}
	e := newEnv(t, server.Config{})
	script := docScript(t, "<!-- the holder script: TestEphemeralCurlScript runs it -->")
	out := filepath.Join(t.TempDir(), "during.json")
	for from, to := range map[string]string{
		"localhost:7471":                  e.srv.HTTPAddr(),
		"lease=30s renew=10":              "lease=1s renew=0.2",
		"# ... the work, on demo/scratch": `sleep 2.5; curl -sf "$api/v1/ephemeral/streams/demo/scratch" > ` + out,
	} {
		if !strings.Contains(script, from) {
			t.Fatalf("the holder script of docs/http.md lacks %q:\n%s", from, script)
		}
		script = strings.ReplaceAll(script, from, to)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-e", "-c", script)
	home := t.TempDir() // no ~/.curlrc
	cmd.Env = append(os.Environ(), "HOME="+home, "CURL_HOME="+home, "NO_PROXY=*", "no_proxy=*")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("the holder script: %v\nstdout: %s\nstderr: %s\nscript:\n%s", err, stdout.Bytes(), stderr.Bytes(), script)
	}
	ended := time.Now()
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var during ephDoc
	if err := json.Unmarshal(raw, &during); err != nil {
		t.Fatalf("the script's GET: %q: %v", raw, err)
	}
	if during.State != "live" || len(during.Holders) != 1 || during.Holders[0].Name != "nightly-report" || during.Holders[0].Lease != "1s" {
		t.Errorf("2.5s into the script, the stream was %+v: want live, held by nightly-report with a 1s lease", during)
	}
	// The script's trap detached: the holder is gone at once (had it not
	// detached, the holder would stay until its lease ran out, a second
	// after the last keep-alive).
	var after ephDoc
	if status, raw := e.doJSON("GET", "/v1/ephemeral/streams/demo/scratch", nil, &after); status != 404 && (status != 200 || len(after.Holders) != 0) {
		t.Errorf("just after the script ended, GET demo/scratch: %d %s, want no holder (or the stream deleted already)", status, raw)
	}
	waitFor(t, "the server to delete demo/scratch after the script", 20*time.Second, func() bool {
		st, _ := e.doJSON("GET", "/v1/ephemeral/streams/demo/scratch", nil, nil)
		return st == 404 && streamGone(t, e, "demo/scratch")
	})
	t.Logf("demo/scratch deleted %s after the script ended", time.Since(ended).Round(time.Millisecond))
}
