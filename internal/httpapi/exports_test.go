package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/server"
)

// exportJob is the JSON form of an export job, as the test reads it.
type exportJob struct {
	Name        string  `json:"name"`
	Stream      string  `json:"stream"`
	URL         string  `json:"url"`
	S3Endpoint  string  `json:"s3_endpoint"`
	Mode        string  `json:"mode"`
	BatchBytes  int     `json:"batch_bytes"`
	BatchAge    string  `json:"batch_age"`
	Parallel    int     `json:"parallel"`
	State       string  `json:"state"`
	Created     string  `json:"created"`
	Position    string  `json:"position"`
	Objects     int64   `json:"objects"`
	Bytes       int64   `json:"bytes"`
	Existing    int64   `json:"existing"`
	LagBytes    int64   `json:"lag_bytes"`
	LagEvents   *int64  `json:"lag_events"`
	Lag         *string `json:"lag"`
	LastError   string  `json:"last_error"`
	LastErrorAt *string `json:"last_error_at"`
	S3Errors    int64   `json:"s3_errors"`
	S3Throttled int64   `json:"s3_throttled"`
}

// exportFields are the fields of a job's JSON form, every one always
// present but batch_bytes and batch_age (batch mode only).
var exportFields = []string{"name", "stream", "url", "s3_endpoint", "mode", "parallel", "state", "created", "position",
	"objects", "bytes", "existing", "lag_bytes", "lag_events", "lag", "last_error", "last_error_at", "s3_errors", "s3_throttled"}

// noAWSCredentials makes the server's S3 clients (in this process) find no
// credentials, at once: no environment keys, no shared files, no EC2
// instance metadata. A job's first attempt then fails within milliseconds
// with an error about credentials, and is retried; with credentials, an
// unreachable endpoint is retried by the S3 client for minutes before the
// job notes an error.
func noAWSCredentials(t *testing.T) {
	t.Helper()
	none := filepath.Join(t.TempDir(), "none")
	for k, v := range map[string]string{
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_SHARED_CREDENTIALS_FILE": none, "AWS_CONFIG_FILE": none,
		"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI": "", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "",
		"AWS_WEB_IDENTITY_TOKEN_FILE": "", "AWS_ROLE_ARN": "", "AWS_REGION": "us-east-1",
	} {
		t.Setenv(k, v)
	}
}

// getExport answers GET /v1/exports/{name}, failing the test unless 200;
// it returns the job and its fields as decoded into a map.
func getExport(t *testing.T, e *env, name string) (exportJob, map[string]any) {
	t.Helper()
	var j exportJob
	status, raw := e.doJSON("GET", "/v1/exports/"+name, nil, &j)
	if status != 200 {
		t.Fatalf("GET /v1/exports/%s: %d %s", name, status, raw)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return j, m
}

// listExports answers the names of GET /v1/exports, in its order.
func listExports(t *testing.T, e *env) []string {
	t.Helper()
	var out struct {
		Exports *[]exportJob `json:"exports"`
	}
	status, raw := e.doJSON("GET", "/v1/exports", nil, &out)
	if status != 200 || out.Exports == nil {
		t.Fatalf("GET /v1/exports: %d %s, want 200 with an \"exports\" array", status, raw)
	}
	names := []string{}
	for _, j := range *out.Exports {
		names = append(names, j.Name)
	}
	return names
}

// TestExportsLifecycle: the export routes list, describe, stop, start and
// delete a job created through the Go client, one that cannot reach S3:
// it shows as retrying with its last error, in the CLI's JSON shape.
func TestExportsLifecycle(t *testing.T) {
	noAWSCredentials(t)
	e := newEnv(t, server.Config{})
	if names := listExports(t, e); len(names) != 0 {
		t.Fatalf("a new server lists export jobs %q", names)
	}
	status, _, raw := e.do("GET", "/v1/exports", "", nil)
	if status != 200 || !strings.Contains(string(raw), `"exports": []`) {
		t.Errorf("GET /v1/exports on a new server: %d %s, want an empty array (not null)", status, raw)
	}

	e.stream("demo/orders", 2)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	before := time.Now()
	const name = "orders-to-s3"
	if _, err := e.client.CreateExport(ctx, braid.ExportJob{
		Name: name, Stream: "demo/orders", URL: "s3://nobucket/backups", S3Endpoint: "http://127.0.0.1:1", S3PathStyle: true,
	}); err != nil {
		t.Fatalf("CreateExport: %v", err)
	}

	// The job fails to reach the bucket and retries, noting the error.
	var j exportJob
	var fields map[string]any
	waitFor(t, "the job's last error", 20*time.Second, func() bool {
		j, fields = getExport(t, e, name)
		return j.LastError != ""
	})
	if j.State != "retrying" && j.State != "running" {
		t.Errorf("state %q, want retrying (or running)", j.State)
	}
	if !strings.Contains(j.LastError, "nobucket") {
		t.Errorf("last_error %q does not name the bucket", j.LastError)
	}
	if j.Name != name || j.Stream != "demo/orders" || j.URL != "s3://nobucket/backups" || j.S3Endpoint != "http://127.0.0.1:1" {
		t.Errorf("the job is %+v, want %s exporting demo/orders to s3://nobucket/backups through http://127.0.0.1:1", j, name)
	}
	if j.Mode != "event" || j.Parallel != 32 {
		t.Errorf("mode %q, parallel %d: want event and the default 32", j.Mode, j.Parallel)
	}
	for _, f := range exportFields {
		if _, ok := fields[f]; !ok {
			t.Errorf("the job's JSON lacks %q: %v", f, fields)
		}
	}
	for _, f := range []string{"batch_bytes", "batch_age"} {
		if _, ok := fields[f]; ok {
			t.Errorf("a job in event mode has %q: %v", f, fields)
		}
	}
	// Nothing exported: the lag is not known, in events or in time.
	if j.LagEvents != nil || j.Lag != nil || j.Position != "" || j.Objects != 0 {
		t.Errorf("lag_events %v, lag %v, position %q, objects %d: want null, null, \"\" and 0 before anything is exported", fields["lag_events"], fields["lag"], j.Position, j.Objects)
	}
	for f, v := range map[string]string{"created": j.Created, "last_error_at": deref(j.LastErrorAt)} {
		at, err := time.Parse(time.RFC3339, v)
		switch {
		case err != nil || !strings.HasSuffix(v, "Z"):
			t.Errorf("%s %q is not an RFC 3339 UTC time: %v", f, v, err)
		case at.Before(before.Add(-time.Second)) || at.After(time.Now().Add(time.Second)):
			t.Errorf("%s %s is not between the job's creation (%s) and now", f, v, before.UTC().Format(time.RFC3339Nano))
		}
	}

	if names := listExports(t, e); len(names) != 1 || names[0] != name {
		t.Errorf("GET /v1/exports lists %q, want [%s]", names, name)
	}

	// A job that does not exist.
	for _, rq := range []struct{ method, path string }{
		{"GET", "/v1/exports/nosuch"}, {"POST", "/v1/exports/nosuch/stop"}, {"POST", "/v1/exports/nosuch/start"}, {"DELETE", "/v1/exports/nosuch"},
	} {
		status, raw := e.doJSON(rq.method, rq.path, nil, nil)
		wantError(t, rq.method+" "+rq.path, status, raw, 404, "NOT_FOUND", "nosuch")
	}

	// Stop: the answer and then every description say stopped.
	var st exportJob
	if status, raw := e.doJSON("POST", "/v1/exports/"+name+"/stop", nil, &st); status != 200 || st.State != "stopped" || st.Name != name {
		t.Fatalf("stop: %d %s, want 200 with state stopped", status, raw)
	}
	if j, _ := getExport(t, e, name); j.State != "stopped" {
		t.Errorf("after stop, the job is %q, want stopped", j.State)
	}
	if status, raw := e.doJSON("POST", "/v1/exports/"+name+"/stop", nil, &st); status != 200 || st.State != "stopped" {
		t.Errorf("stop of a stopped job: %d %s, want 200, still stopped", status, raw)
	}
	// Start: it runs (and fails) again.
	if status, raw := e.doJSON("POST", "/v1/exports/"+name+"/start", nil, &st); status != 200 || (st.State != "retrying" && st.State != "running") {
		t.Fatalf("start: %d %s, want 200 with state retrying or running", status, raw)
	}
	errAt := deref(j.LastErrorAt)
	waitFor(t, "a new error after the start", 20*time.Second, func() bool {
		j, _ = getExport(t, e, name)
		return deref(j.LastErrorAt) > errAt // RFC 3339 UTC times sort as text
	})
	if j.State != "retrying" && j.State != "running" {
		t.Errorf("after start, the job is %q, want retrying or running", j.State)
	}

	// Delete: 204 with no body, then the job is gone.
	status, _, raw = e.do("DELETE", "/v1/exports/"+name, "", nil)
	if status != 204 || len(raw) != 0 {
		t.Fatalf("delete: %d %q, want 204 and no body", status, raw)
	}
	status, raw = e.doJSON("GET", "/v1/exports/"+name, nil, nil)
	wantError(t, "GET after delete", status, raw, 404, "NOT_FOUND", name)
	if names := listExports(t, e); len(names) != 0 {
		t.Errorf("after delete, GET /v1/exports lists %q", names)
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// TestExportsCreate: POST /v1/exports creates a job (201, defaults filled
// in), refuses a second one with the name or the place, and refuses bad
// bodies with 400 naming the field.
func TestExportsCreate(t *testing.T) {
	noAWSCredentials(t)
	e := newEnv(t, server.Config{})
	e.stream("demo/orders", 1)
	e.stream("demo/refunds", 1)

	var j exportJob
	status, raw := e.doJSON("POST", "/v1/exports", map[string]any{
		"stream": "demo/orders", "url": "s3://nobucket", "s3_endpoint": "http://127.0.0.1:1",
		"batch": true, "batch_age": "2s", "parallel": 4,
	}, &j)
	if status != 201 {
		t.Fatalf("create: %d %s", status, raw)
	}
	if j.Name != "demo.orders" || j.Stream != "demo/orders" || j.Mode != "batch" || j.BatchBytes != 8<<20 || j.BatchAge != "2s" || j.Parallel != 4 {
		t.Errorf("created %+v: want name demo.orders (the default), batch mode of 8 MiB (the default) or 2s, parallel 4", j)
	}
	if j.State != "retrying" && j.State != "running" {
		t.Errorf("a new job is %q, want retrying or running", j.State)
	}
	if got, _ := getExport(t, e, "demo.orders"); got.Mode != "batch" || got.BatchAge != "2s" {
		t.Errorf("GET the created job: %+v", got)
	}

	status, raw = e.doJSON("POST", "/v1/exports", map[string]any{"stream": "demo/orders", "url": "s3://nobucket"}, nil)
	wantError(t, "a second job with the name", status, raw, 409, "ALREADY_EXISTS", "demo.orders")
	status, raw = e.doJSON("POST", "/v1/exports", map[string]any{"name": "other", "stream": "demo/orders", "url": "s3://nobucket"}, nil)
	wantError(t, "a second job on the place", status, raw, 409, "ALREADY_EXISTS", "demo.orders")

	for _, tc := range []struct {
		what  string
		body  string
		words []string
	}{
		{"no stream", `{"url": "s3://nobucket"}`, []string{"stream"}},
		{"a bad stream", `{"stream": "orders", "url": "s3://nobucket"}`, []string{"orders", "scope/stream"}},
		{"a missing stream", `{"stream": "demo/nosuch", "url": "s3://nobucket"}`, []string{"nosuch"}},
		{"no url", `{"stream": "demo/refunds"}`, []string{"url"}},
		{"a url not s3", `{"stream": "demo/refunds", "url": "https://nobucket/p"}`, []string{"https://nobucket/p", "s3://"}},
		{"a bad name", `{"name": "no spaces", "stream": "demo/refunds", "url": "s3://nobucket"}`, []string{"no spaces"}},
		{"a bad endpoint", `{"stream": "demo/refunds", "url": "s3://nobucket", "s3_endpoint": "ftp://x"}`, []string{"s3_endpoint", "ftp://x"}},
		{"parallel too high", `{"stream": "demo/refunds", "url": "s3://nobucket", "parallel": 5000}`, []string{"parallel", "5000"}},
		{"parallel negative", `{"stream": "demo/refunds", "url": "s3://nobucket", "parallel": -1}`, []string{"parallel", "-1"}},
		{"a bad batch age", `{"stream": "demo/refunds", "url": "s3://nobucket", "batch": true, "batch_age": "soon"}`, []string{"batch_age", "soon"}},
		{"a batch age too long", `{"stream": "demo/refunds", "url": "s3://nobucket", "batch": true, "batch_age": "48h"}`, []string{"batch_age", "48h"}},
		{"batch bytes too large", `{"stream": "demo/refunds", "url": "s3://nobucket", "batch": true, "batch_bytes": 2147483648}`, []string{"batch_bytes"}},
		{"batch bounds without batch", `{"stream": "demo/refunds", "url": "s3://nobucket", "batch_bytes": 1024}`, []string{"batch_bytes", "batch"}},
		{"a bad start", `{"stream": "demo/refunds", "url": "s3://nobucket", "start": "yesterday"}`, []string{"start", "yesterday"}},
		{"an unknown field", `{"stream": "demo/refunds", "url": "s3://nobucket", "follow": true}`, []string{"follow"}},
		{"not JSON", `{"stream": `, nil},
	} {
		status, _, raw := e.do("POST", "/v1/exports", "application/json", strings.NewReader(tc.body))
		wantError(t, tc.what, status, raw, 400, "INVALID_ARGUMENT", tc.words...)
	}
	status, _, raw = e.do("POST", "/v1/exports", "application/x-www-form-urlencoded", strings.NewReader(`{"stream": "demo/refunds", "url": "s3://nobucket"}`))
	wantError(t, "a form body", status, raw, 415, "UNSUPPORTED_MEDIA_TYPE")
	// None of the refused bodies made a job.
	if names := listExports(t, e); len(names) != 1 || names[0] != "demo.orders" {
		t.Errorf("after the refused creates, GET /v1/exports lists %q, want [demo.orders]", names)
	}
}

// TestExportsProgress: a job exporting to a fake S3 server shows what it
// wrote: objects, bytes, its position, and a lag of zero once it caught
// up.
func TestExportsProgress(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "braidtestkey")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "braidtestsecret")
	t.Setenv("AWS_REGION", "us-east-1")
	backend := s3mem.New()
	if err := backend.CreateBucket("exports"); err != nil {
		t.Fatal(err)
	}
	fake := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(fake.Close) // after the server, whose jobs stop first
	e := newEnv(t, server.Config{})
	e.stream("demo/orders", 2)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	w, err := e.client.NewWriter(ctx, "demo/orders")
	if err != nil {
		t.Fatal(err)
	}
	const n = 20
	for i := range n {
		w.Write(ctx, fmt.Sprintf("k%d", i), fmt.Appendf(nil, "event %d", i))
	}
	if err := w.Close(ctx); err != nil {
		t.Fatalf("write: %v", err)
	}

	var j exportJob
	// The endpoint is 127.0.0.1: path-style addressing comes by itself.
	status, raw := e.doJSON("POST", "/v1/exports", map[string]any{"name": "orders", "stream": "demo/orders", "url": "s3://exports/p", "s3_endpoint": fake.URL}, &j)
	if status != 201 {
		t.Fatalf("create: %d %s", status, raw)
	}
	waitFor(t, "the job to export every event", 20*time.Second, func() bool {
		j, _ = getExport(t, e, "orders")
		return j.Objects >= n && j.LagBytes == 0 && j.Lag != nil
	})
	if j.State != "running" || j.LastError != "" {
		t.Errorf("state %q, last error %q: want running, none", j.State, j.LastError)
	}
	if j.Objects != n || j.Bytes < n*int64(len("event 0")) {
		t.Errorf("objects %d, bytes %d: want %d objects of the events' bytes", j.Objects, j.Bytes, n)
	}
	if _, err := braid.ParseStreamCut(j.Position); err != nil {
		t.Errorf("position %q is not a stream cut: %v", j.Position, err)
	}
	if *j.Lag != "0s" || j.LagEvents == nil || *j.LagEvents != 0 {
		t.Errorf("lag %q, lag_events %v: want 0s and 0 once caught up", *j.Lag, j.LagEvents)
	}
	if j.S3Errors != 0 || j.S3Throttled != 0 {
		t.Errorf("s3_errors %d, s3_throttled %d against a fake that never fails", j.S3Errors, j.S3Throttled)
	}
}
