package httpapi_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/server"
)

// curlSession drives the HTTP API with the real curl binary, as a user at
// a shell would.
type curlSession struct {
	t    *testing.T
	bin  string
	base string // http://127.0.0.1:PORT
	dir  string // bodies, header dumps and files to send
	n    int    // requests so far
}

// curlResult is one curl run: the status (from -w '%{http_code}'), the
// body (from -o FILE) and the header dump (-D FILE: headers, then any
// trailers).
type curlResult struct {
	status   int
	body     []byte
	bodyPath string
	headers  string
}

// newCurlSession finds curl: without it the test is skipped, unless it
// runs in CI, where it fails.
func newCurlSession(t *testing.T, base string) *curlSession {
	t.Helper()
	bin, err := exec.LookPath("curl")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("curl is not installed, and CI=true: %v", err)
		}
		t.Skipf("curl is not installed: %v", err)
	}
	return &curlSession{t: t, bin: bin, base: base, dir: t.TempDir()}
}

// file writes data to a file in the session's folder and returns its path.
func (c *curlSession) file(name string, data []byte) string {
	c.t.Helper()
	p := filepath.Join(c.dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		c.t.Fatal(err)
	}
	return p
}

// run runs curl with args (where "URL" followed by a path stands for the
// server's base URL), writing the body and headers to files. It fails the
// test if curl itself fails (exit status not 0).
func (c *curlSession) run(args ...string) curlResult {
	c.t.Helper()
	return c.runIn(nil, args...)
}

// runIn is run with stdin as curl's standard input (nil: none).
func (c *curlSession) runIn(stdin io.Reader, args ...string) curlResult {
	c.t.Helper()
	c.n++
	r := curlResult{bodyPath: filepath.Join(c.dir, fmt.Sprintf("body-%d", c.n))}
	hdrPath := filepath.Join(c.dir, fmt.Sprintf("headers-%d", c.n))
	// -q: ignore any ~/.curlrc; --noproxy: never a proxy from the
	// environment; --max-time: nothing hangs.
	full := []string{"-q", "-sS", "--noproxy", "*", "--max-time", "10",
		"-o", r.bodyPath, "-D", hdrPath, "-w", "%{http_code}"}
	for _, a := range args {
		if rest, ok := strings.CutPrefix(a, "URL"); ok {
			a = c.base + rest
		}
		full = append(full, a)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.bin, full...)
	var stdout, stderr bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, &stdout, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		c.t.Fatalf("curl %s: %v\nstderr: %s", strings.Join(args, " "), err, stderr.Bytes())
	}
	took := time.Since(start)
	status, err := strconv.Atoi(stdout.String())
	if err != nil {
		c.t.Fatalf("curl %s: -w '%%{http_code}' printed %q", strings.Join(args, " "), stdout.Bytes())
	}
	r.status = status
	if r.body, err = os.ReadFile(r.bodyPath); err != nil && !os.IsNotExist(err) {
		c.t.Fatal(err) // no body file: an empty body
	}
	h, err := os.ReadFile(hdrPath)
	if err != nil {
		c.t.Fatal(err)
	}
	r.headers = string(h)
	c.t.Logf("curl %s: %d, %d bytes, %v", strings.Join(args, " "), status, len(r.body), took.Round(time.Millisecond))
	return r
}

// want fails the test unless the status is status, and decodes a JSON
// body into out (nil: none).
func (r curlResult) want(t *testing.T, what string, status int, out any) {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s: status %d, want %d; body %s", what, r.status, status, r.body)
	}
	if out != nil {
		if err := json.Unmarshal(r.body, out); err != nil {
			t.Fatalf("%s: body %q is not the expected JSON: %v", what, r.body, err)
		}
	}
}

// header returns the value of the last header or trailer named name in
// the dump (trailers come after the headers).
func (r curlResult) header(name string) string {
	v := ""
	for _, line := range strings.Split(r.headers, "\n") {
		k, val, ok := strings.Cut(strings.TrimRight(line, "\r"), ":")
		if ok && strings.EqualFold(strings.TrimSpace(k), name) {
			v = strings.TrimSpace(val)
		}
	}
	return v
}

// wantError fails the test unless the answer is a JSON error with status
// and code whose message contains every one of words.
func (r curlResult) wantError(t *testing.T, what string, status int, code string, words ...string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s: status %d, want %d; body %s", what, r.status, status, r.body)
	}
	if ct := r.header("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: Content-Type %q, want application/json", what, ct)
	}
	gotCode, msg := apiErr(t, r.body)
	if gotCode != code {
		t.Fatalf("%s: code %s, want %s (%s)", what, gotCode, code, msg)
	}
	for _, w := range words {
		if !strings.Contains(msg, w) {
			t.Errorf("%s: message %q does not name %q", what, msg, w)
		}
	}
}

// parseSSE splits an event stream, as curl printed it, into messages
// (comments dropped).
func parseSSE(t *testing.T, text string) []sseMessage {
	t.Helper()
	var out []sseMessage
	var m sseMessage
	started := false
	for _, line := range strings.Split(text, "\n") {
		switch {
		case line == "":
			if started {
				out = append(out, m)
			}
			m, started = sseMessage{}, false
			continue
		case strings.HasPrefix(line, ":"):
			continue
		}
		started = true
		if !m.addField(line) {
			t.Fatalf("event stream line %q has an unknown field", line)
		}
	}
	if started {
		t.Fatalf("event stream ends inside a message: %q", text)
	}
	return out
}

// curlEvent is an event in a JSON answer.
type curlEvent struct {
	Pointer    string  `json:"pointer"`
	Position   string  `json:"position"`
	Data       *string `json:"data"`
	DataBase64 *string `json:"data_base64"`
}

// payload is the event's bytes, from data or data_base64.
func (ev curlEvent) payload(t *testing.T) string {
	t.Helper()
	switch {
	case ev.Data != nil && ev.DataBase64 == nil:
		return *ev.Data
	case ev.DataBase64 != nil && ev.Data == nil:
		b, err := base64.StdEncoding.DecodeString(*ev.DataBase64)
		if err != nil {
			t.Fatalf("event %s: data_base64: %v", ev.Pointer, err)
		}
		return string(b)
	}
	t.Fatalf("event %s has not exactly one of data and data_base64", ev.Pointer)
	return ""
}

// TestCurlSession drives a realistic session with the curl binary: create
// streams, append JSON, NDJSON and raw events, upload a file twice (the
// retry stores nothing), download it, read pages, fetch by pointer, follow
// Server-Sent Events to a cut, and meet the errors a curl user makes.
func TestCurlSession(t *testing.T) {
	e := newEnv(t, server.Config{})
	c := newCurlSession(t, e.base)
	started := time.Now()
	defer func() { t.Logf("session of %d curl runs took %v", c.n, time.Since(started).Round(time.Millisecond)) }()
	const main = "URL/v1/streams/e2e/main"

	// Create a stream of 2 segments.
	var st streamDoc
	c.run("-X", "PUT", "-H", "Content-Type: application/json", "-d", `{"segments":2}`, main).
		want(t, "create stream", http.StatusCreated, &st)
	if st.Name != "e2e/main" || st.Scope != "e2e" || st.Stream != "main" {
		t.Errorf("created stream %+v", st)
	}
	if len(st.Segments) != 2 {
		t.Fatalf("created stream has %d segments, want 2", len(st.Segments))
	}
	c.run("-X", "PUT", "-H", "Content-Type: application/json", "-d", `{"segments":2}`, main).
		wantError(t, "create it again", http.StatusConflict, "ALREADY_EXISTS")

	// Append: one JSON event, NDJSON from a file, a raw binary event
	// with ?key=.
	var one appendAnswer
	c.run("-H", "Content-Type: application/json", "-d", `{"key":"k","data":"hello"}`, main+"/events").
		want(t, "append JSON", http.StatusCreated, &one)
	if one.Pointer == nil || one.Duplicate {
		t.Fatalf("append JSON answer %+v", one)
	}
	nd := c.file("events.ndjson", []byte(`{"key":"n","data":"n1"}`+"\n"+`{"key":"n","json":{"n":2}}`+"\n\n"+`{"key":"n","data_base64":"bjM="}`+"\n"))
	var many appendAnswer
	c.run("--data-binary", "@"+nd, "-H", "Content-Type: application/x-ndjson", main+"/events").
		want(t, "append NDJSON", http.StatusCreated, &many)
	if many.Count != 3 || many.Duplicates != 0 || len(many.Events) != 3 {
		t.Fatalf("append NDJSON answer %+v", many)
	}
	rawEvent := []byte{0xff, 0x00, 'r', 'a', 'w', '\n', 0xfe}
	rawFile := c.file("event.bin", rawEvent)
	var raw appendAnswer
	c.run("--data-binary", "@"+rawFile, "-H", "Content-Type: application/octet-stream", main+"/events?key=r").
		want(t, "append raw", http.StatusCreated, &raw)
	if raw.Pointer == nil {
		t.Fatalf("append raw answer %+v", raw)
	}
	wantPayloads := []string{"hello", "n1", `{"n":2}`, "n3", string(rawEvent)}

	// Upload a file with a writer id into a stream of its own, then send
	// the same command again, as a retry would: every event is a
	// duplicate and the stream does not grow.
	var text bytes.Buffer
	for i := 0; text.Len() < 1<<20+4096; i++ { // over 1 MiB: curl sends Expect: 100-continue
		fmt.Fprintf(&text, "line %d: grüße, 世界\n", i)
	}
	text.WriteString("last line without a newline")
	lines := int64(bytes.Count(text.Bytes(), []byte("\n")) + 1)
	upload := c.file("upload.txt", text.Bytes())
	c.run("-X", "PUT", "-H", "Content-Type: application/json", "-d", `{"segments":2}`, "URL/v1/streams/e2e/file").
		want(t, "create the file's stream", http.StatusCreated, nil)
	put := []string{"-T", upload, "-H", "Braid-Writer-Id: curl-e2e", "-H", "Braid-Event-Number: 1",
		"URL/v1/streams/e2e/file/file?split=lines&key=k"}
	var up uploadAnswer
	c.run(put...).want(t, "upload", http.StatusOK, &up)
	if up.Events != lines || up.Bytes != int64(text.Len()) || up.Duplicates != 0 || up.First == nil || up.Last == nil {
		t.Fatalf("upload answer %+v, want %d events, %d bytes, no duplicates", up, lines, text.Len())
	}
	var tail1, tail2 cutDoc
	c.run("URL/v1/streams/e2e/file/cuts/tail").want(t, "tail cut", http.StatusOK, &tail1)
	var dup uploadAnswer
	c.run(put...).want(t, "upload again", http.StatusOK, &dup)
	if dup.Events != lines || dup.Duplicates != int(lines) {
		t.Fatalf("upload again: answer %+v, want all %d events duplicates", dup, lines)
	}
	c.run("URL/v1/streams/e2e/file/cuts/tail").want(t, "tail cut", http.StatusOK, &tail2)
	if tail1.Cut != tail2.Cut {
		t.Fatalf("the repeated upload moved the tail from %s to %s", tail1.Cut, tail2.Cut)
	}
	var fileStream streamDoc
	c.run("URL/v1/streams/e2e/file").want(t, "describe the file's stream", http.StatusOK, &fileStream)
	var stored int64
	for _, sg := range fileStream.Segments {
		stored += sg.Length
	}
	if stored == 0 || stored != sumOffsets(tail2) {
		t.Errorf("the file's stream holds %d bytes; its tail cut says %d", stored, sumOffsets(tail2))
	}

	// Download the file's stream: the file, byte for byte.
	blob := c.run("URL/v1/streams/e2e/file/blob")
	blob.want(t, "download", http.StatusOK, nil)
	if !bytes.Equal(blob.body, text.Bytes()) {
		t.Fatalf("downloaded %d bytes, not the %d bytes of the file uploaded", len(blob.body), text.Len())
	}
	if got := blob.header("Braid-Events"); got != strconv.FormatInt(lines, 10) {
		t.Errorf("trailer Braid-Events %q, want %d (header dump %q)", got, lines, blob.headers)
	}
	if blob.header("Braid-From-Cut") == "" || blob.header("Braid-Stream-Cut") != tail2.Cut {
		t.Errorf("Braid-From-Cut %q, Braid-Stream-Cut %q (want the tail %s)", blob.header("Braid-From-Cut"), blob.header("Braid-Stream-Cut"), tail2.Cut)
	}

	// Pipe a file into curl: -T - sends it chunked, with no length.
	c.run("-X", "PUT", "-H", "Content-Type: application/json", "-d", `{"segments":3}`, "URL/v1/streams/e2e/piped").
		want(t, "create the piped stream", http.StatusCreated, nil)
	var piped uploadAnswer
	c.runIn(bytes.NewReader(text.Bytes()), "-T", "-", "URL/v1/streams/e2e/piped/file?split=bytes:65536").
		want(t, "piped upload", http.StatusOK, &piped)
	if want := int64(text.Len()+65535) / 65536; piped.Events != want || piped.Bytes != int64(text.Len()) {
		t.Fatalf("piped upload answer %+v, want %d events of %d bytes", piped, want, text.Len())
	}
	pipedBlob := c.run("URL/v1/streams/e2e/piped/blob")
	pipedBlob.want(t, "download the piped upload", http.StatusOK, nil)
	if !bytes.Equal(pipedBlob.body, text.Bytes()) {
		t.Fatalf("downloaded %d bytes, not the %d bytes piped in", len(pipedBlob.body), text.Len())
	}

	// Read the main stream in pages of 2, going on from each position.
	var got []curlEvent
	var positions []string // after each page
	query := []string{"-G", "--data-urlencode", "limit=2"}
	for range 10 {
		var p struct {
			Events   []curlEvent `json:"events"`
			Position string      `json:"position"`
			End      bool        `json:"end"`
		}
		c.run(append(slices.Clone(query), main+"/events")...).want(t, "read a page", http.StatusOK, &p)
		if len(p.Events) > 2 || p.End {
			t.Fatalf("page of %d events, end %v, with limit=2 and no to=", len(p.Events), p.End)
		}
		if p.Position == "" {
			t.Fatal("page without a position")
		}
		if len(p.Events) == 0 {
			break
		}
		got = append(got, p.Events...)
		positions = append(positions, p.Position)
		query = []string{"-G", "--data-urlencode", "limit=2", "--data-urlencode", "from=" + p.Position}
	}
	var payloads []string
	for _, ev := range got {
		payloads = append(payloads, ev.payload(t))
	}
	if !sameStrings(payloads, wantPayloads) {
		t.Fatalf("read %q, want %q in any order across keys", payloads, wantPayloads)
	}
	var nKey []string
	for _, p := range payloads {
		if p == "n1" || p == `{"n":2}` || p == "n3" {
			nKey = append(nKey, p)
		}
	}
	if !slices.Equal(nKey, []string{"n1", `{"n":2}`, "n3"}) {
		t.Errorf("key n's events came as %q, not in the order appended", nKey)
	}
	if len(positions) != 3 {
		t.Fatalf("%d pages of events, want 3", len(positions))
	}

	// Fetch the raw event by its pointer, raw and as JSON.
	ev := c.run("URL/v1/events/e2e/main/" + *raw.Pointer)
	ev.want(t, "fetch", http.StatusOK, nil)
	if !bytes.Equal(ev.body, rawEvent) {
		t.Fatalf("fetched %q, want %q", ev.body, rawEvent)
	}
	if p := ev.header("Braid-Pointer"); !strings.HasSuffix(p, *raw.Pointer) {
		t.Errorf("Braid-Pointer %q, want the pointer %s", p, *raw.Pointer)
	}
	var evJSON curlEvent
	c.run("URL/v1/events/e2e/main/"+*raw.Pointer+"?format=json").want(t, "fetch as JSON", http.StatusOK, &evJSON)
	if evJSON.DataBase64 == nil || evJSON.payload(t) != string(rawEvent) {
		t.Errorf("fetched as JSON: %+v, want data_base64 of %q", evJSON, rawEvent)
	}

	// Follow the stream as Server-Sent Events from after the first page
	// to the tail cut: curl ends on its own when the server sends the
	// end event and ends the response.
	var tail cutDoc
	c.run(main+"/cuts/tail").want(t, "tail cut", http.StatusOK, &tail)
	sse := c.run("-N", "-H", "Accept: text/event-stream", "-G",
		"--data-urlencode", "from="+positions[0], "--data-urlencode", "to="+tail.Cut, main+"/events/stream")
	sse.want(t, "event stream", http.StatusOK, nil)
	if ct := sse.header("Content-Type"); ct != "text/event-stream" {
		t.Errorf("event stream Content-Type %q", ct)
	}
	msgs := parseSSE(t, string(sse.body))
	if len(msgs) < 2 || msgs[0] != (sseMessage{id: positions[0], hasID: true}) {
		t.Fatalf("event stream %q: want to open with the bare id %s", sse.body, positions[0])
	}
	end := msgs[len(msgs)-1]
	var endData struct {
		Position string `json:"position"`
	}
	if end.event != "end" || end.id != tail.Cut || json.Unmarshal([]byte(end.data), &endData) != nil || endData.Position != tail.Cut {
		t.Fatalf("event stream ends with %+v, want the end event at %s", end, tail.Cut)
	}
	var streamed []string
	for _, m := range msgs[1 : len(msgs)-1] {
		var ev curlEvent
		if m.event != "" || !m.hasID || json.Unmarshal([]byte(m.data), &ev) != nil {
			t.Fatalf("event stream message %+v is not an event", m)
		}
		if _, err := braid.ParseStreamCut(m.id); err != nil {
			t.Fatalf("event id %q is not a stream cut: %v", m.id, err)
		}
		streamed = append(streamed, ev.payload(t))
	}
	if !sameStrings(streamed, payloads[2:]) {
		t.Fatalf("event stream after the first page: %q, want %q", streamed, payloads[2:])
	}
	if msgs[len(msgs)-2].id != tail.Cut {
		t.Errorf("the last event's id %s is not the tail cut %s", msgs[len(msgs)-2].id, tail.Cut)
	}

	// Errors a curl user meets. -d sends
	// application/x-www-form-urlencoded: a JSON route refuses it.
	c.run("-X", "PUT", "-d", `{"segments":1}`, "URL/v1/streams/e2e/other").
		wantError(t, "create without a Content-Type", http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE",
			"application/x-www-form-urlencoded", "application/json")
	c.run("URL/v1/streams/e2e/other").wantError(t, "the refused stream", http.StatusNotFound, "NOT_FOUND")
	c.run("-d", `{"data":"x"}`, main+"/events").
		wantError(t, "append without a Content-Type", http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE",
			"application/x-www-form-urlencoded", "application/json")
	c.run(main+"/events?from=v1.bogus").
		wantError(t, "read from a bad cut", http.StatusBadRequest, "INVALID_ARGUMENT", "from=", "v1.bogus")
	c.run(main+"/blob?to=yesterday").
		wantError(t, "download to a bad cut", http.StatusBadRequest, "INVALID_ARGUMENT", "to=", "yesterday")
	c.run("-N", main+"/events/stream?to=v1.bogus").
		wantError(t, "event stream to a bad cut", http.StatusBadRequest, "INVALID_ARGUMENT", "to=", "v1.bogus")
	c.run("URL/v1/events/e2e/main/not-a-pointer").
		wantError(t, "fetch a bad pointer", http.StatusBadRequest, "INVALID_ARGUMENT", "not-a-pointer")

	// The main stream is as the session left it: 5 events.
	var mainStream streamDoc
	c.run(main).want(t, "describe", http.StatusOK, &mainStream)
	var mainBytes int64
	for _, sg := range mainStream.Segments {
		mainBytes += sg.Length
	}
	if mainBytes != sumOffsets(tail) {
		t.Errorf("main stream holds %d bytes, its tail cut says %d", mainBytes, sumOffsets(tail))
	}
}

// sumOffsets adds up a cut's segment offsets: the bytes before it, for a
// stream never truncated.
func sumOffsets(c cutDoc) int64 {
	var n int64
	for _, s := range c.Segments {
		n += s.Offset
	}
	return n
}

// sameStrings reports whether a and b hold the same strings, in any order.
func sameStrings(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
