package httpapi_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

// memberPage is the answer of a member's poll.
type memberPage struct {
	Page   int64 `json:"page"`
	Events []struct {
		Stream     string  `json:"stream"`
		Pointer    string  `json:"pointer"`
		Data       *string `json:"data"`
		DataBase64 *string `json:"data_base64"`
	} `json:"events"`
	Position []struct {
		Stream  string `json:"stream"`
		Segment uint64 `json:"segment"`
		Offset  int64  `json:"offset"`
	} `json:"position"`
	Checkpoint string `json:"checkpoint"`
	End        bool   `json:"end"`
}

// payloads returns the page's payloads (text or decoded base64).
func (p *memberPage) payloads() ([]string, error) {
	var out []string
	for _, ev := range p.Events {
		switch {
		case ev.Data != nil && ev.DataBase64 == nil:
			out = append(out, *ev.Data)
		case ev.DataBase64 != nil && ev.Data == nil:
			b, err := base64.StdEncoding.DecodeString(*ev.DataBase64)
			if err != nil {
				return nil, err
			}
			out = append(out, string(b))
		default:
			return nil, fmt.Errorf("event %s has data %v and data_base64 %v", ev.Pointer, ev.Data, ev.DataBase64)
		}
	}
	return out, nil
}

// httpCall sends a request and decodes a 2xx JSON answer into out; safe
// in any goroutine (it reports errors instead of failing the test).
func httpCall(base, method, path string, in, out any) (int, []byte, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return 0, nil, err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, base+path, body)
	if err != nil {
		return 0, nil, err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, nil, err
	}
	if out != nil && resp.StatusCode < 300 && resp.StatusCode != http.StatusNoContent {
		if err := json.Unmarshal(b, out); err != nil {
			return resp.StatusCode, b, fmt.Errorf("%s %s: %q: %v", method, path, b, err)
		}
	}
	return resp.StatusCode, b, nil
}

// httpMember is a reader group member over HTTP, as a script would be.
type httpMember struct {
	base, path string // path: /v1/groups/SCOPE/GROUP/readers/ID
}

func newHTTPMember(e *env, group, id string) *httpMember {
	return &httpMember{base: e.base, path: "/v1/groups/" + group + "/readers/" + id}
}

// join joins with an optional session timeout and returns the status.
func (m *httpMember) join(sessionTimeout string) (int, []byte, error) {
	var in any
	if sessionTimeout != "" {
		in = map[string]string{"session_timeout": sessionTimeout}
	}
	return httpCall(m.base, "POST", m.path, in, nil)
}

// poll polls a page.
func (m *httpMember) poll(query string) (memberPage, error) {
	var p memberPage
	status, b, err := httpCall(m.base, "GET", m.path+"/events"+query, nil, &p)
	if err == nil && status != http.StatusOK {
		err = fmt.Errorf("poll %s: %d %s", m.path, status, b)
	}
	return p, err
}

func (m *httpMember) commit() error {
	var out struct {
		Committed bool `json:"committed"`
	}
	status, b, err := httpCall(m.base, "POST", m.path+"/commit", nil, &out)
	if err == nil && (status != http.StatusOK || !out.Committed) {
		err = fmt.Errorf("commit %s: %d %s", m.path, status, b)
	}
	return err
}

func (m *httpMember) leave() error {
	status, b, err := httpCall(m.base, "DELETE", m.path, nil, nil)
	if err == nil && status != http.StatusNoContent {
		err = fmt.Errorf("leave %s: %d %s", m.path, status, b)
	}
	return err
}

// mustJoin joins and wants status.
func (m *httpMember) mustJoin(t *testing.T, sessionTimeout string, want int) {
	t.Helper()
	status, b, err := m.join(sessionTimeout)
	if err != nil || status != want {
		t.Fatalf("join %s: %d %s %v; want %d", m.path, status, b, err, want)
	}
}

// mustPoll polls a page and returns it with its payloads; an error fails
// the test (call it in the test's goroutine).
func (m *httpMember) mustPoll(t *testing.T, query string) (memberPage, []string) {
	t.Helper()
	p, err := m.poll(query)
	if err != nil {
		t.Fatal(err)
	}
	pl, err := p.payloads()
	if err != nil {
		t.Fatal(err)
	}
	return p, pl
}

// mustCommit commits; an error fails the test.
func (m *httpMember) mustCommit(t *testing.T) {
	t.Helper()
	if err := m.commit(); err != nil {
		t.Fatal(err)
	}
}

// mustLeave leaves; an error fails the test.
func (m *httpMember) mustLeave(t *testing.T) {
	t.Helper()
	if err := m.leave(); err != nil {
		t.Fatal(err)
	}
}

// drain polls and commits until a bounded group's end and returns the
// payloads it polled.
func (m *httpMember) drain(t *testing.T) []string {
	t.Helper()
	var all []string
	for {
		p, pl := m.mustPoll(t, "?limit=1000&wait=1s")
		all = append(all, pl...)
		if p.End {
			return all
		}
		m.mustCommit(t)
	}
}

// createGroup creates a group over HTTP.
func createGroup(t *testing.T, e *env, group string, cfg map[string]any) {
	t.Helper()
	if status, b := e.doJSON("PUT", "/v1/groups/"+group, cfg, nil); status != http.StatusCreated {
		t.Fatalf("create group %s: %d %s", group, status, b)
	}
}

// describeGroup describes a group over HTTP.
func describeGroup(t *testing.T, e *env, group string) groupDoc {
	t.Helper()
	var g groupDoc
	if status, b := e.doJSON("GET", "/v1/groups/"+group, nil, &g); status != http.StatusOK {
		t.Fatalf("describe group %s: %d %s", group, status, b)
	}
	return g
}

// wantEachOnce fails the test unless seen (payload -> times read) counts
// every written payload once, and nothing else.
func wantEachOnce(t *testing.T, written []string, seen map[string]int) {
	t.Helper()
	for _, p := range written {
		if seen[p] != 1 {
			t.Fatalf("%s read %d times", p, seen[p])
		}
	}
	if len(seen) != len(written) {
		t.Fatalf("read %d distinct events, want %d", len(seen), len(written))
	}
}

// waitFor polls cond every few milliseconds until it holds or d passes.
func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		<-tick.C
	}
}

// TestMembersDrainGroup: two HTTP members of one group poll and commit
// until a bounded group is read: together they get every event once.
func TestMembersDrainGroup(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("ms/s", 4)
	written := writeGroupEvents(t, e, "ms/s", "ev", 2000)
	createGroup(t, e, "ms/g", map[string]any{"streams": []string{"ms/s"}, "to": "tail"})
	ms := []*httpMember{newHTTPMember(e, "ms/g", "m1"), newHTTPMember(e, "ms/g", "m2")}
	for _, m := range ms {
		m.mustJoin(t, "", http.StatusCreated)
	}
	ms[0].mustJoin(t, "", http.StatusOK) // idempotent

	got := make([][]string, len(ms))
	var wg sync.WaitGroup
	for i, m := range ms {
		wg.Go(func() {
			deadline := time.Now().Add(30 * time.Second)
			for time.Now().Before(deadline) {
				p, err := m.poll("?limit=100&wait=1s")
				if err != nil {
					t.Error(err)
					return
				}
				if p.End {
					if len(p.Events) != 0 {
						t.Errorf("%s: the end page has %d events", m.path, len(p.Events))
					}
					return
				}
				pl, err := p.payloads()
				if err != nil {
					t.Error(err)
					return
				}
				if len(p.Events) > 100 {
					t.Errorf("%s: %d events for limit=100", m.path, len(p.Events))
				}
				if len(p.Events) > 0 && len(p.Position) == 0 {
					t.Errorf("%s: a page without position", m.path)
				}
				got[i] = append(got[i], pl...)
				if err := m.commit(); err != nil {
					t.Error(err)
					return
				}
			}
			t.Errorf("%s: no end after 30 s (%d events)", m.path, len(got[i]))
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	seen := map[string]int{}
	for i := range ms {
		if len(got[i]) == 0 {
			t.Errorf("member %d read nothing", i)
		}
		for _, p := range got[i] {
			seen[p]++
		}
	}
	wantEachOnce(t, written, seen)
	t.Logf("m1 read %d events, m2 %d", len(got[0]), len(got[1]))
	if g := describeGroup(t, e, "ms/g"); !g.Finished || g.LagBytes != 0 || len(g.Readers) != 2 {
		t.Fatalf("the group after the end: finished %v lag %d readers %d", g.Finished, g.LagBytes, len(g.Readers))
	}
	for _, m := range ms {
		m.mustLeave(t)
	}
	if g := describeGroup(t, e, "ms/g"); len(g.Readers) != 0 {
		t.Fatalf("readers after leaving: %+v", g.Readers)
	}
}

// TestMemberExpired: a member that stops sending requests is expired
// after its session timeout: the events it polled and did not commit go
// to the other member, the ones it committed do not.
func TestMemberExpired(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("mx/s", 4)
	written := writeGroupEvents(t, e, "mx/s", "ev", 400)
	createGroup(t, e, "mx/g", map[string]any{"streams": []string{"mx/s"}})
	crashed, live := newHTTPMember(e, "mx/g", "crashed"), newHTTPMember(e, "mx/g", "live")
	crashed.mustJoin(t, "300ms", http.StatusCreated)

	page := func(m *httpMember, n int) []string {
		t.Helper()
		var out []string
		for len(out) < n {
			_, pl := m.mustPoll(t, fmt.Sprintf("?limit=%d&wait=2s", n-len(out)))
			out = append(out, pl...)
		}
		return out
	}
	committed := page(crashed, 50)
	crashed.mustCommit(t)
	uncommitted := page(crashed, 50)
	// The script dies here. The live member joins and waits for the
	// crashed one's segments.
	live.mustJoin(t, "", http.StatusCreated)
	start := time.Now()
	waitFor(t, "the silent member expired", 10*time.Second, func() bool {
		g := describeGroup(t, e, "mx/g")
		return len(g.Readers) == 1 && g.Readers[0].ID == "live"
	})
	t.Logf("expired %v after the live member joined (session timeout 300ms)", time.Since(start).Round(time.Millisecond))
	status, _, b := e.do("GET", crashed.path+"/events", "", nil)
	wantError(t, "poll an expired member", status, b, http.StatusNotFound, "NOT_FOUND", "join first")
	status, _, b = e.do("POST", crashed.path+"/commit", "", nil)
	wantError(t, "commit an expired member", status, b, http.StatusNotFound, "NOT_FOUND", "join first")

	seen := map[string]int{}
	for _, p := range committed {
		seen[p]++
	}
	var fromLive []string
	deadline := time.Now().Add(20 * time.Second)
	for len(seen) < len(written) {
		if time.Now().After(deadline) {
			t.Fatalf("after 20 s: %d of %d events", len(seen), len(written))
		}
		_, pl := live.mustPoll(t, "?limit=200&wait=1s")
		for _, s := range pl {
			seen[s]++
			fromLive = append(fromLive, s)
		}
		live.mustCommit(t)
	}
	for _, p := range committed {
		if seen[p] != 1 {
			t.Fatalf("committed event %s read again by the live member", p)
		}
	}
	for _, p := range uncommitted {
		if !slices.Contains(fromLive, p) {
			t.Fatalf("uncommitted event %s of the expired member was not delivered to the live one", p)
		}
	}
	for p, n := range seen {
		if n != 1 {
			t.Fatalf("%s read %d times", p, n)
		}
	}
	if len(fromLive) != len(written)-len(committed) {
		t.Fatalf("the live member read %d events, want %d", len(fromLive), len(written)-len(committed))
	}
}

// TestMemberCheckpoint: a checkpoint over HTTP completes once every member
// polled up to it and committed; its cuts hold exactly the events the
// members got before it.
func TestMemberCheckpoint(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("mc/s", 2)
	writeGroupEvents(t, e, "mc/s", "ev", 1000)
	createGroup(t, e, "mc/g", map[string]any{"streams": []string{"mc/s"}})
	ms := []*httpMember{newHTTPMember(e, "mc/g", "m1"), newHTTPMember(e, "mc/g", "m2")}
	for _, m := range ms {
		m.mustJoin(t, "", http.StatusCreated)
	}
	// A member that does not poll holds a checkpoint up: it is abandoned
	// at its timeout.
	status, b := e.doJSON("POST", "/v1/groups/mc/g/checkpoints?timeout=200ms", map[string]string{"name": "early"}, nil)
	wantError(t, "a checkpoint nobody passes", status, b, http.StatusGatewayTimeout, "DEADLINE_EXCEEDED", "abandoned")

	// Both read a little first (the second join moved segments).
	after := map[uint64]int64{} // segment -> offset after the events the members got
	record := func(p memberPage) {
		for _, ev := range p.Events {
			ptr, err := braid.ParsePointer(ev.Pointer)
			if err != nil {
				t.Fatal(err)
			}
			after[ptr.SegmentID] = max(after[ptr.SegmentID], ptr.Offset+int64(ptr.Length))
		}
	}
	for _, m := range ms {
		p, _ := m.mustPoll(t, "?limit=10&wait=1s")
		record(p)
		m.mustCommit(t)
	}
	type result struct {
		status int
		body   []byte
		err    error
	}
	cpDone := make(chan result, 1)
	go func() {
		status, b, err := httpCall(e.base, "POST", "/v1/groups/mc/g/checkpoints?timeout=20s", map[string]string{"name": "cp1"}, nil)
		cpDone <- result{status, b, err}
	}()
	for _, m := range ms {
		for {
			p, _ := m.mustPoll(t, "?limit=7&wait=1s")
			record(p)
			if p.Checkpoint == "" {
				m.mustCommit(t)
				continue
			}
			if p.Checkpoint != "cp1" {
				t.Fatalf("checkpoint %q, want cp1", p.Checkpoint)
			}
			// Until it commits, the member stays at the checkpoint.
			again, err := m.poll("?wait=100ms")
			if err != nil || again.Checkpoint != "cp1" || len(again.Events) != 0 {
				t.Fatalf("poll before committing past the checkpoint: %+v, %v", again, err)
			}
			m.mustCommit(t)
			break
		}
	}
	res := <-cpDone
	if res.err != nil || res.status != http.StatusOK {
		t.Fatalf("checkpoint: %d %s %v", res.status, res.body, res.err)
	}
	var cp checkpointDoc
	if err := json.Unmarshal(res.body, &cp); err != nil {
		t.Fatal(err)
	}
	c, err := braid.ParseStreamCut(cp.Cuts["mc/s"])
	if err != nil {
		t.Fatalf("checkpoint cut %q: %v", cp.Cuts["mc/s"], err)
	}
	for _, so := range c.Segments {
		if so.Offset != after[so.SegmentID] {
			t.Fatalf("checkpoint at %d in segment %x; the members got events up to %d", so.Offset, so.SegmentID, after[so.SegmentID])
		}
	}
	if g := describeGroup(t, e, "mc/g"); len(g.Checkpoints) != 1 || g.Checkpoints[0].Name != "cp1" {
		t.Fatalf("checkpoints: %+v", g.Checkpoints)
	}
	// The members read on past the checkpoint.
	for _, m := range ms {
		m.mustPoll(t, "?limit=5")
		m.mustLeave(t)
	}
}

// TestMemberLeaveRejoin: leaving commits what the member polled; joining
// again goes on from there.
func TestMemberLeaveRejoin(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("ml/s", 2)
	written := writeGroupEvents(t, e, "ml/s", "ev", 100)
	createGroup(t, e, "ml/g", map[string]any{"streams": []string{"ml/s"}, "to": "tail"})
	m := newHTTPMember(e, "ml/g", "m")
	m.mustJoin(t, "", http.StatusCreated)
	seen := map[string]int{}
	read := func(n int) {
		t.Helper()
		got := 0
		for got < n {
			_, pl := m.mustPoll(t, fmt.Sprintf("?limit=%d&wait=1s", n-got))
			for _, s := range pl {
				seen[s]++
			}
			got += len(pl)
		}
	}
	read(30)
	m.mustCommit(t)
	read(20) // not committed: leaving commits them
	m.mustLeave(t)
	status, _, b := e.do("POST", m.path+"/commit", "", nil)
	wantError(t, "commit after leaving", status, b, http.StatusNotFound, "NOT_FOUND", "join first")
	status, _, b = e.do("DELETE", m.path, "", nil)
	wantError(t, "leave twice", status, b, http.StatusNotFound, "NOT_FOUND")

	m.mustJoin(t, "", http.StatusCreated)
	for _, s := range m.drain(t) {
		seen[s]++
	}
	wantEachOnce(t, written, seen)
	m.mustLeave(t)
}

// TestMemberEncoding: payloads that are not UTF-8 come as data_base64,
// and encoding=base64 makes every payload so.
func TestMemberEncoding(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("me/s", 1)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	w, err := e.client.NewWriter(ctx, "me/s")
	if err != nil {
		t.Fatal(err)
	}
	payloads := [][]byte{[]byte("text é"), {0xff, 0x00, 0xfe}, {}}
	for _, p := range payloads {
		if _, err := w.Write(ctx, "k", p).Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	createGroup(t, e, "me/g", map[string]any{"streams": []string{"me/s"}, "to": "tail"})
	m := newHTTPMember(e, "me/g", "m")
	m.mustJoin(t, "", http.StatusCreated)
	p, err := m.poll("?wait=2s&limit=3")
	if err != nil || len(p.Events) != 3 {
		t.Fatalf("poll: %+v %v", p, err)
	}
	if p.Events[0].Data == nil || p.Events[1].DataBase64 == nil || p.Events[2].Data == nil || *p.Events[2].Data != "" {
		t.Fatalf("encodings: %+v", p.Events)
	}
	for _, ev := range p.Events {
		if ev.Stream != "me/s" {
			t.Fatalf("stream %q", ev.Stream)
		}
		if _, err := braid.ParsePointer(ev.Pointer); err != nil {
			t.Fatal(err)
		}
	}
	pl, err := p.payloads()
	if err != nil {
		t.Fatal(err)
	}
	for i := range payloads {
		if pl[i] != string(payloads[i]) {
			t.Fatalf("payload %d: %q, want %q", i, pl[i], payloads[i])
		}
	}
	// Reset the group to read them again, as base64.
	if status, b := e.doJSON("POST", "/v1/groups/me/g/reset", map[string]string{"from": "head"}, nil); status != http.StatusOK {
		t.Fatalf("reset: %d %s", status, b)
	}
	var all []string
	waitFor(t, "the events again after the reset", 10*time.Second, func() bool {
		p, err := m.poll("?wait=200ms&encoding=base64")
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range p.Events {
			if ev.Data != nil || ev.DataBase64 == nil {
				t.Fatalf("encoding=base64: %+v", ev)
			}
		}
		got, err := p.payloads()
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, got...)
		return len(all) >= 3
	})
	if len(all) != 3 || all[1] != string(payloads[1]) {
		t.Fatalf("after the reset: %q", all)
	}
}

func TestMemberErrors(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("mr/s", 1)
	createGroup(t, e, "mr/g", map[string]any{"streams": []string{"mr/s"}})
	m := newHTTPMember(e, "mr/g", "m")
	status, _, b := e.do("GET", m.path+"/events", "", nil)
	wantError(t, "poll before joining", status, b, http.StatusNotFound, "NOT_FOUND", "join first", "POST /v1/groups/mr/g/readers/m")
	status, _, b = e.do("POST", m.path+"/commit", "", nil)
	wantError(t, "commit before joining", status, b, http.StatusNotFound, "NOT_FOUND", "join first")
	status, _, b = e.do("DELETE", m.path, "", nil)
	wantError(t, "leave before joining", status, b, http.StatusNotFound, "NOT_FOUND", "join first")
	status, _, b = e.do("POST", "/v1/groups/mr/nope/readers/m", "", nil)
	wantError(t, "join a missing group", status, b, http.StatusNotFound, "NOT_FOUND")
	status, _, b = e.do("POST", "/v1/groups/mr/g/readers/"+strings.Repeat("r", 257), "", nil)
	wantError(t, "join with a long id", status, b, http.StatusBadRequest, "INVALID_ARGUMENT", "256")
	for _, timeout := range []string{"soon", "1ms", "2h"} {
		status, _, b = e.do("POST", m.path, "application/json", strings.NewReader(`{"session_timeout": "`+timeout+`"}`))
		wantError(t, "join with session_timeout "+timeout, status, b, http.StatusBadRequest, "INVALID_ARGUMENT", "session_timeout")
	}
	status, _, b = e.do("POST", m.path, "application/json", strings.NewReader(`{"timeout": "1s"}`))
	wantError(t, "join with an unknown field", status, b, http.StatusBadRequest, "INVALID_ARGUMENT", "timeout")

	m.mustJoin(t, "", http.StatusCreated)
	var j struct {
		Group, Reader  string
		SessionTimeout string `json:"session_timeout"`
	}
	if status, b := e.doJSON("POST", m.path, map[string]string{"session_timeout": "45s"}, &j); status != http.StatusOK ||
		j.SessionTimeout != "45s" || j.Reader != "m" || j.Group != "mr/g" {
		t.Fatalf("join again with a new session timeout: %d %s", status, b)
	}
	if status, b := e.doJSON("POST", m.path, nil, &j); status != http.StatusOK || j.SessionTimeout != "45s" {
		t.Fatalf("join again: %d %s", status, b)
	}
	for _, tc := range []struct{ query, word string }{
		{"?limit=0", "limit"},
		{"?limit=10001", "limit"},
		{"?limit=ten", "ten"},
		{"?wait=soon", "wait"},
		{"?wait=-1s", "wait"},
		{"?wait=2h", "maximum wait"},
		{"?encoding=hex", "encoding"},
	} {
		status, _, b := e.do("GET", m.path+"/events"+tc.query, "", nil)
		wantError(t, "poll with "+tc.query, status, b, http.StatusBadRequest, "INVALID_ARGUMENT", tc.word)
	}
	// An empty group: a poll without wait answers at once with nothing.
	start := time.Now()
	p, err := m.poll("")
	if err != nil || len(p.Events) != 0 || p.End || p.Checkpoint != "" {
		t.Fatalf("poll an empty stream: %+v %v", p, err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("a poll without wait took %v", took)
	}
	// A long poll ends when an event comes.
	done := make(chan memberPage, 1)
	go func() {
		p, err := m.poll("?wait=20s")
		if err != nil {
			t.Error(err)
		}
		done <- p
	}()
	writeGroupEvents(t, e, "mr/s", "late", 1)
	select {
	case p := <-done:
		if pl, _ := p.payloads(); len(pl) != 1 || pl[0] != "late-00000" {
			t.Fatalf("long poll: %+v", p)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the long poll did not end with the event")
	}
	// Deleting the group ends the member.
	if status, b := e.doJSON("DELETE", "/v1/groups/mr/g", nil, nil); status != http.StatusNoContent {
		t.Fatalf("delete the group: %d %s", status, b)
	}
	waitFor(t, "the member failing", 10*time.Second, func() bool {
		status, _, b := e.do("GET", m.path+"/events?wait=100ms", "", nil)
		if status == http.StatusOK {
			return false
		}
		wantError(t, "poll in a deleted group", status, b, http.StatusNotFound, "NOT_FOUND")
		return true
	})
	status, _, b = e.do("GET", m.path+"/events", "", nil)
	wantError(t, "poll a removed member", status, b, http.StatusNotFound, "NOT_FOUND", "join first")
}

// TestMembersServerShutdown: at shutdown members leave without committing:
// after a restart the group goes on from their last commits.
func TestMembersServerShutdown(t *testing.T) {
	dir := t.TempDir()
	srv := servertest.Start(t, server.Config{DataDir: dir})
	e := &env{t: t, srv: srv, base: "http://" + srv.HTTPAddr()}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := braid.Dial(ctx, srv.GRPCAddr())
	if err != nil {
		t.Fatal(err)
	}
	e.client = c
	e.stream("mq/s", 2)
	written := writeGroupEvents(t, e, "mq/s", "ev", 100)
	c.Close()
	createGroup(t, e, "mq/g", map[string]any{"streams": []string{"mq/s"}, "to": "tail"})
	m := newHTTPMember(e, "mq/g", "m")
	m.mustJoin(t, "", http.StatusCreated)
	seen := map[string]int{}
	poll := func(n int) int {
		t.Helper()
		_, pl := m.mustPoll(t, fmt.Sprintf("?limit=%d&wait=2s", n))
		for _, s := range pl {
			seen[s]++
		}
		return len(pl)
	}
	committed := poll(30)
	m.mustCommit(t)
	uncommitted := poll(20)
	// Another member's long poll (it has nothing to read: m holds both
	// segments until it commits) ends with the shutdown.
	other := newHTTPMember(e, "mq/g", "other")
	other.mustJoin(t, "", http.StatusCreated)
	polled := make(chan struct{})
	go func() {
		defer close(polled)
		other.poll("?wait=30s")
	}()
	srv.Stop(t)
	select {
	case <-polled:
	case <-time.After(10 * time.Second):
		t.Fatal("a long poll did not end with the shutdown")
	}

	srv = servertest.New(t, server.Config{DataDir: dir})
	e.base = "http://" + srv.HTTPAddr()
	m = newHTTPMember(e, "mq/g", "m")
	m.mustJoin(t, "", http.StatusCreated)
	pl := m.drain(t)
	for _, s := range pl {
		seen[s]++
	}
	if again := len(pl); again != len(written)-committed {
		t.Fatalf("after the restart %d events, want %d (the %d polled and not committed again)", again, len(written)-committed, uncommitted)
	}
	for _, p := range written {
		if seen[p] < 1 {
			t.Fatalf("%s never read", p)
		}
	}
}

// commitPage commits with page=n and returns the status and body.
func (m *httpMember) commitPage(n int64) (int, []byte, error) {
	return httpCall(m.base, "POST", fmt.Sprintf("%s/commit?page=%d", m.path, n), nil, nil)
}

// TestMemberLostPage: a client that loses pages in transit (it discards
// a written answer) gets each again by polling with after= the last page
// it received, same events and same number; committing with page= then
// commits what it processed and no more. Every event is processed once.
func TestMemberLostPage(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("ml/s", 2)
	written := writeGroupEvents(t, e, "ml/s", "ev", 300)
	createGroup(t, e, "ml/g", map[string]any{"streams": []string{"ml/s"}, "to": "tail"})
	m := newHTTPMember(e, "ml/g", "m")
	m.mustJoin(t, "", http.StatusCreated)

	seen := map[string]int{}
	var got int64 // the last page received
	lost := 0
	deadline := time.Now().Add(30 * time.Second)
	for n := 0; ; n++ {
		if time.Now().After(deadline) {
			t.Fatalf("no end after 30 s (%d events, page %d)", len(seen), got)
		}
		query := fmt.Sprintf("?limit=20&wait=1s&after=%d", got)
		p, pl := m.mustPoll(t, query)
		if len(p.Events) == 0 {
			if p.Page != got {
				t.Fatalf("a page without events numbered %d after page %d", p.Page, got)
			}
			if p.End {
				break
			}
			if status, b, err := m.commitPage(got); err != nil || status != http.StatusOK {
				t.Fatalf("commit page=%d: %d %s %v", got, status, b, err)
			}
			continue
		}
		if p.Page != got+1 {
			t.Fatalf("page %d after page %d", p.Page, got)
		}
		if n%3 == 1 {
			// The answer is lost: the client still has page got. Its
			// commit of page got is refused, since the server served one
			// more...
			lost++
			status, b, err := m.commitPage(got)
			if err != nil {
				t.Fatal(err)
			}
			wantError(t, "commit a page before the last one served", status, b, http.StatusConflict, "CONFLICT",
				fmt.Sprintf("page %d was not the last page served (%d)", got, p.Page), fmt.Sprintf("after=%d", got))
			// ... and its poll gets the lost page again.
			again, plAgain := m.mustPoll(t, query)
			if again.Page != p.Page || !slices.Equal(plAgain, pl) || fmt.Sprint(again.Position) != fmt.Sprint(p.Position) {
				t.Fatalf("page %d again: page %d, %d events %v, position %v; want %d events %v, position %v",
					p.Page, again.Page, len(plAgain), plAgain, again.Position, len(pl), pl, p.Position)
			}
			for i := range p.Events {
				if again.Events[i].Pointer != p.Events[i].Pointer {
					t.Fatalf("page %d again: event %d at %s, was %s", p.Page, i, again.Events[i].Pointer, p.Events[i].Pointer)
				}
			}
		}
		for _, s := range pl {
			seen[s]++
		}
		got = p.Page
		if status, b, err := m.commitPage(got); err != nil || status != http.StatusOK {
			t.Fatalf("commit page=%d: %d %s %v", got, status, b, err)
		}
	}
	if lost == 0 {
		t.Fatal("no page was lost")
	}
	t.Logf("%d pages, %d of them lost once", got, lost)
	wantEachOnce(t, written, seen)
	if g := describeGroup(t, e, "ml/g"); !g.Finished || g.LagBytes != 0 || g.LagEvents != 0 {
		t.Fatalf("the group after the end: finished %v, lag %d bytes %d events", g.Finished, g.LagBytes, g.LagEvents)
	}
	// Leaving with page= of the last page commits nothing more: a member
	// joining anew finds the end at once.
	status, b, err := httpCall(e.base, "DELETE", fmt.Sprintf("%s?page=%d", m.path, got), nil, nil)
	if err != nil || status != http.StatusNoContent {
		t.Fatalf("leave with page=%d: %d %s %v", got, status, b, err)
	}
	m2 := newHTTPMember(e, "ml/g", "m2")
	m2.mustJoin(t, "", http.StatusCreated)
	if p, _ := m2.mustPoll(t, "?wait=5s"); !p.End || len(p.Events) != 0 || p.Page != 0 {
		t.Fatalf("a new member after the end: %+v", p)
	}
}

// TestMemberPageNumbers: after= and page= out of range are refused and
// change nothing; a commit of an older page is a conflict; a poll without
// after= reads on; an uncommitted page lost by a member that leaves with
// an older page= goes to the next member.
func TestMemberPageNumbers(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("mp/s", 1)
	written := writeGroupEvents(t, e, "mp/s", "ev", 40)
	createGroup(t, e, "mp/g", map[string]any{"streams": []string{"mp/s"}})
	m := newHTTPMember(e, "mp/g", "m")
	m.mustJoin(t, "", http.StatusCreated)
	badPoll := func(query string, words ...string) {
		t.Helper()
		status, _, b := e.do("GET", m.path+"/events"+query, "", nil)
		wantError(t, "poll with "+query, status, b, http.StatusBadRequest, "INVALID_ARGUMENT", words...)
	}
	badPoll("?after=1", "after=1", "no page was served")
	badPoll("?after=-1", "after", "-1")
	badPoll("?after=one", "after", "one")
	status, _, b := e.do("POST", m.path+"/commit?page=x", "", nil)
	wantError(t, "commit with page=x", status, b, http.StatusBadRequest, "INVALID_ARGUMENT", "page", "x")

	// One segment: the pages hold the events in order. read counts
	// those of the pages so far.
	read := 0
	page := func(m *httpMember, query string, want int64) []string {
		t.Helper()
		p, pl := m.mustPoll(t, query+"&limit=5&wait=5s")
		if p.Page != want || len(pl) == 0 || !slices.Equal(pl, written[read:read+len(pl)]) {
			t.Fatalf("poll %s: page %d %v; want page %d from %s", query, p.Page, pl, want, written[read])
		}
		read += len(pl)
		return pl
	}
	var pages [][]string
	for i := range 4 { // pages 1 to 4; the last ones without after=
		query := "?"
		if i < 2 {
			query += fmt.Sprintf("after=%d", i)
		}
		pages = append(pages, page(m, query, int64(i+1)))
	}
	badPoll("?after=5", "after=5", "the last page served is 4", "4 (you got it) or 3")
	badPoll("?after=2", "after=2", "the last page served is 4")
	status, b, err := m.commitPage(5)
	if err != nil {
		t.Fatal(err)
	}
	wantError(t, "commit page=5", status, b, http.StatusBadRequest, "INVALID_ARGUMENT", "page=5 was never served", "4")
	status, b, err = m.commitPage(2)
	if err != nil {
		t.Fatal(err)
	}
	wantError(t, "commit page=2", status, b, http.StatusConflict, "CONFLICT", "page 2 was not the last page served (4)", "page=4")
	status, b, err = m.commitPage(3)
	if err != nil {
		t.Fatal(err)
	}
	wantError(t, "commit page=3", status, b, http.StatusConflict, "CONFLICT", "page 3 was not the last page served (4)", "after=3")
	// Page 4 comes again, then page 5 after it.
	if p, pl := m.mustPoll(t, "?after=3&limit=1"); p.Page != 4 || !slices.Equal(pl, pages[3]) {
		t.Fatalf("page 4 again (limit=1 does not cut it): %+v", p)
	}
	page(m, "?after=4", 5)
	// Commit page 5, then lose page 6; leaving with page=5 leaves at
	// that commit, so the next member gets page 6's events.
	if status, b, err := m.commitPage(5); err != nil || status != http.StatusOK {
		t.Fatalf("commit page=5: %d %s %v", status, b, err)
	}
	read0 := read
	page(m, "?after=5", 6)
	read = read0
	status, _, b = e.do("DELETE", m.path+"?page=7", "", nil)
	wantError(t, "leave with page=7", status, b, http.StatusBadRequest, "INVALID_ARGUMENT", "page=7 was never served")
	status, _, b = e.do("DELETE", m.path+"?page=5", "", nil)
	if status != http.StatusNoContent {
		t.Fatalf("leave with page=5: %d %s", status, b)
	}
	m2 := newHTTPMember(e, "mp/g", "m2")
	m2.mustJoin(t, "", http.StatusCreated)
	page(m2, "?", 1)
}
