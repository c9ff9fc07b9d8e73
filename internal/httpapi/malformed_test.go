package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/httpapi"
	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

// TestMalformedInput sends hostile input to every route of the OpenAPI
// document (so a new route is covered the day it is added): invalid UTF-8
// in each path parameter, a bad value in each query parameter and header,
// and for routes with a body: broken JSON, a wrong media type, and a body
// over the limit. Every answer must be a JSON error with a 4xx status
// (never a 5xx, a crash or a hang), and the server must stay healthy.
func TestMalformedInput(t *testing.T) {
	e := newEnv(t, server.Config{HTTP: httpapi.Limits{MaxBodyBytes: 64 << 10, MaxEventBytes: 4 << 10, IdleTimeout: 2 * time.Second, MaxWait: time.Second}})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	e.stream("m/s", 2)
	w, err := e.client.NewWriter(ctx, "m/s")
	if err != nil {
		t.Fatal(err)
	}
	ack := w.Write(ctx, "k", []byte("one"))
	ptr, err := ack.Wait(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w.Close(ctx)
	if _, err := e.client.ReaderGroup("m/g").Create(ctx, braid.ReaderGroupConfig{Streams: []braid.GroupStream{{Stream: "m/s"}}}); err != nil {
		t.Fatal(err)
	}
	// Values that exist, so that a request fails on the bad part only.
	good := map[string]string{"scope": "m", "stream": "s", "group": "g", "reader": "r1", "pointer": ptr.String(), "name": "j", "id": "h"}

	_, _, raw := e.do("GET", "/v1/openapi.json", "", nil)
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		t.Fatal(err)
	}
	paramRE := regexp.MustCompile(`\{([a-z_]+)\}`)
	fill := func(path, bad string) string {
		return paramRE.ReplaceAllStringFunc(path, func(m string) string {
			name := m[1 : len(m)-1]
			if name == bad {
				return "%ff%fe"
			}
			if v, ok := good[name]; ok {
				return v
			}
			t.Fatalf("no value for path parameter %s", name)
			return ""
		})
	}
	client := &http.Client{Timeout: 15 * time.Second}
	type tcase struct {
		name, method, url, ctype string
		body                     []byte
		headers                  map[string]string
	}
	var cases []tcase
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			base := fill(path, "")
			for _, name := range paramRE.FindAllStringSubmatch(path, -1) {
				cases = append(cases, tcase{name: "invalid UTF-8 in " + name[1], method: method, url: fill(path, name[1])})
			}
			for _, p := range op.Parameters {
				switch p.Value.In {
				case "query":
					cases = append(cases, tcase{name: "bad query " + p.Value.Name, method: method,
						url: base + "?" + p.Value.Name + "=%ff%00%5B%7B-1e999"})
				case "header":
					cases = append(cases, tcase{name: "bad header " + p.Value.Name, method: method, url: base,
						headers: map[string]string{p.Value.Name: "\xff\xfe-1e999"}})
				}
			}
			if op.RequestBody == nil {
				continue
			}
			content := op.RequestBody.Value.Content
			if _, ok := content["application/json"]; ok {
				cases = append(cases,
					tcase{name: "broken JSON", method: method, url: base, ctype: "application/json", body: []byte(`{"a": [1, `)},
					tcase{name: "JSON of the wrong shape", method: method, url: base, ctype: "application/json", body: []byte(`[[[["x"]]]]`)},
					tcase{name: "form media type", method: method, url: base, ctype: "application/x-www-form-urlencoded", body: []byte("a=b")},
					tcase{name: "body over the limit", method: method, url: base, ctype: "application/json", body: append([]byte(`{"data": "`), bytes.Repeat([]byte("x"), 128<<10)...)},
				)
			}
			if _, ok := content["application/x-ndjson"]; ok {
				cases = append(cases, tcase{name: "NDJSON with a bad line", method: method, url: base, ctype: "application/x-ndjson", body: []byte("{\"data\": \"a\"}\nnot json\n")})
			}
			if _, ok := content["application/octet-stream"]; ok && strings.HasSuffix(path, "/events") {
				cases = append(cases, tcase{name: "event over the limit", method: method, url: base, ctype: "application/octet-stream", body: bytes.Repeat([]byte("x"), 8<<10)})
			}
		}
	}
	if len(cases) < 40 {
		t.Fatalf("only %d cases: the document lost routes?", len(cases))
	}
	for _, c := range cases {
		t.Run(c.method+" "+c.url[:min(len(c.url), 60)]+" "+c.name, func(t *testing.T) {
			var body io.Reader
			if c.body != nil {
				body = bytes.NewReader(c.body)
			}
			req, err := http.NewRequestWithContext(ctx, c.method, e.base+c.url, body)
			if err != nil {
				t.Fatal(err)
			}
			if c.ctype != "" {
				req.Header.Set("Content-Type", c.ctype)
			}
			for k, v := range c.headers {
				req.Header[k] = []string{v}
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
			if resp.StatusCode < 400 {
				// A bad value some routes ignore (an unknown header) may
				// succeed; it must not have been taken for a good one.
				if c.headers == nil && c.body == nil && !strings.Contains(c.name, "query") {
					t.Fatalf("%s: %d %s, want an error", c.name, resp.StatusCode, b)
				}
				return
			}
			if resp.StatusCode >= 500 {
				t.Fatalf("%s: %d %s: a server error for bad input", c.name, resp.StatusCode, b)
			}
			var eb struct {
				Error struct{ Code, Message string }
			}
			if err := json.Unmarshal(b, &eb); err != nil || eb.Error.Code == "" || eb.Error.Message == "" {
				t.Fatalf("%s: %d %q is not a JSON error", c.name, resp.StatusCode, b)
			}
		})
	}
	if st, _, b := e.do("GET", "/healthz", "", nil); st != 200 {
		t.Fatalf("server unhealthy after hostile input: %d %s", st, b)
	}
}

// TestSlowClient: an upload whose body stops coming is ended after the
// idle timeout (the server's ReadHeaderTimeout covers stalled headers),
// and the server goes on serving.
func TestSlowClient(t *testing.T) {
	e := newEnv(t, server.Config{HTTP: httpapi.Limits{IdleTimeout: 300 * time.Millisecond}})
	e.stream("m/s", 1)
	conn, err := net.Dial("tcp", e.srv.HTTPAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "PUT /v1/streams/m/s/file?split=lines HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000000\r\n\r\nfirst line\n")
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	start := time.Now()
	got, _ := io.ReadAll(conn) // the server answers, then closes
	t.Logf("after %v: %.200q", time.Since(start), got)
	if time.Since(start) > 9*time.Second {
		t.Fatalf("the server kept a stalled upload open for %v", time.Since(start))
	}
	if len(got) > 0 && (!bytes.HasPrefix(got, []byte("HTTP/1.1 408")) || !bytes.Contains(got, []byte("DEADLINE_EXCEEDED"))) {
		t.Fatalf("stalled upload answered %q, want 408 DEADLINE_EXCEEDED", got)
	}
	// Meanwhile and after, the server serves others.
	if st, _, _ := e.do("GET", "/v1/streams/m/s", "", nil); st != 200 {
		t.Fatalf("describe after a stalled upload: %d", st)
	}
}

// TestShutdownEndsUploads: a server stopping while an upload is open ends
// it promptly with UNAVAILABLE (which clients retry), instead of waiting
// out the shutdown grace period.
func TestShutdownEndsUploads(t *testing.T) {
	srv := servertest.Start(t, server.Config{})
	base := "http://" + srv.HTTPAddr()
	req, _ := http.NewRequest("PUT", base+"/v1/streams/m/s", strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "application/json")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 201 {
		t.Fatalf("create: %v %v", resp, err)
	}
	conn, err := net.Dial("tcp", srv.HTTPAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "PUT /v1/streams/m/s/file HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000000\r\n\r\nfirst line\n")
	// The upload is open once its first line is stored.
	deadline := time.Now().Add(10 * time.Second)
	for {
		req, _ := http.NewRequest("GET", base+"/v1/streams/m/s/cuts/tail", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if bytes.Contains(b, []byte(`"offset": 19`)) || time.Now().After(deadline) {
			break
		}
	}
	start := time.Now()
	srv.Stop(t)
	if took := time.Since(start); took > 4*time.Second {
		t.Errorf("stopping with an open upload took %v", took)
	}
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	got, _ := io.ReadAll(conn)
	if !bytes.HasPrefix(got, []byte("HTTP/1.1 503")) || !bytes.Contains(got, []byte("UNAVAILABLE")) {
		t.Fatalf("the open upload was answered %q, want 503 UNAVAILABLE", got)
	}
}
