package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

// startServers runs an in-process server and returns its gRPC and HTTP
// addresses.
func startServers(t *testing.T) (grpcAddr, httpAddr string) {
	t.Helper()
	s := servertest.New(t, server.Config{Containers: 2})
	return s.GRPCAddr(), s.HTTPAddr()
}

// writeFile writes data to a new file in a temporary directory.
func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// randomBytes returns n pseudo-random bytes from a logged seed.
func randomBytes(t *testing.T, n int) []byte {
	t.Helper()
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

var (
	// uploadLine's groups: 1 file, 2 stream, 3 new events, 4 events
	// already stored (empty: none), 5 bytes, 6 first pointer, 7 last.
	uploadLine   = regexp.MustCompile(`^uploaded (\S+) to (\S+): (\d+) (?:new )?events?(?:, (\d+) already stored \(same writer id\))?, (\d+) bytes in \S+ \(\d+\.\d MB/s\)(?:; first (\S+))?(?:(?:, |; )last (\S+))?\n$`)
	downloadLine = regexp.MustCompile(`^downloaded (\d+) events?, (\d+) bytes in \S+ \(\d+\.\d MB/s\); end cut (v1\.\S+)\n$`)
)

func TestUploadDownloadBinary(t *testing.T) {
	grpcAddr, httpAddr := startServers(t)
	data := randomBytes(t, 3<<20+12345)
	in := writeFile(t, "in.bin", data)
	out := filepath.Join(t.TempDir(), "out.bin")

	// --create makes the scope and stream.
	got := ok(t, "", "upload", in, "up/bin", "--split", "bytes:65536", "--key", "k", "--create", "--http", httpAddr)
	m := uploadLine.FindStringSubmatch(got)
	if m == nil {
		t.Fatalf("upload printed %q, want %s", got, uploadLine)
	}
	wantEvents := (len(data) + 65535) / 65536
	if m[1] != in || m[2] != "up/bin" || m[3] != itoa(wantEvents) || m[4] != "" || m[5] != itoa(len(data)) {
		t.Errorf("upload summary %q: want %s to up/bin, %d events, none already stored, %d bytes", got, in, wantEvents, len(data))
	}
	// The stream is there for gRPC readers too.
	if evs := readJSON(t, ok(t, "", "read", "up/bin", "--format", "json", "--addr", grpcAddr)); len(evs) != wantEvents {
		t.Errorf("read: %d events, want %d", len(evs), wantEvents)
	}

	r := run(t, "", "download", "up/bin", out, "--http", httpAddr)
	if r.code != 0 || r.stdout != "" {
		t.Fatalf("download: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	dm := downloadLine.FindStringSubmatch(r.stderr)
	if dm == nil {
		t.Fatalf("download printed %q, want %s", r.stderr, downloadLine)
	}
	if dm[1] != itoa(wantEvents) || dm[2] != itoa(len(data)) {
		t.Errorf("download summary %q: want %d events, %d bytes", r.stderr, wantEvents, len(data))
	}
	sameFile(t, out, data)
	if _, err := os.Stat(out + ".partial"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s.partial is left: %v", out, err)
	}

	// From the end cut: nothing new, an empty file; after another
	// upload, only the new events.
	more := []byte("more bytes")
	ok(t, "", "upload", writeFile(t, "more", more), "up/bin", "--split", "whole", "--key", "k", "--http", httpAddr)
	out2 := filepath.Join(t.TempDir(), "out2.bin")
	r = run(t, "", "download", "up/bin", out2, "--from", dm[3], "--http", httpAddr)
	if r.code != 0 || !strings.HasPrefix(r.stderr, "downloaded 1 event, 10 bytes in ") {
		t.Fatalf("download --from: exit %d, stderr %q", r.code, r.stderr)
	}
	sameFile(t, out2, more)
	// To the first end cut, to standard output.
	r = run(t, "", "download", "up/bin", "-", "--to", dm[3], "--http", httpAddr)
	if r.code != 0 || r.stdout != string(data) {
		t.Errorf("download --to to stdout: exit %d, %d bytes, stderr %q", r.code, len(r.stdout), r.stderr)
	}
}

func TestUploadDownloadLines(t *testing.T) {
	_, httpAddr := startServers(t)
	text := "first line\nsecond line\n\nfourth, after an empty one\nlast\n"
	in := writeFile(t, "in.txt", []byte(text))
	got := ok(t, "", "upload", in, "up/text", "--key", "k", "--create", "--http", httpAddr)
	if m := uploadLine.FindStringSubmatch(got); m == nil || m[3] != "5" {
		t.Fatalf("upload printed %q, want 5 events", got)
	}

	// raw: the file as it was.
	r := run(t, "", "download", "up/text", "-", "--http", httpAddr)
	if r.code != 0 || r.stdout != text {
		t.Errorf("download raw: exit %d, got %q, want %q; stderr %q", r.code, r.stdout, text, r.stderr)
	}
	dm := downloadLine.FindStringSubmatch(r.stderr)
	if dm == nil || dm[1] != "5" || dm[2] != itoa(len(text)) {
		t.Fatalf("download printed %q, want 5 events, %d bytes", r.stderr, len(text))
	}

	// ndjson: one object per line, with the line as data, then the end.
	r = run(t, "", "download", "up/text", "-", "--format", "ndjson", "--http", httpAddr)
	if r.code != 0 {
		t.Fatalf("download ndjson: exit %d, stderr %q", r.code, r.stderr)
	}
	var lines []string
	var end struct {
		End    string `json:"end"`
		Events int    `json:"events"`
	}
	ndjson := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	for _, l := range ndjson[:len(ndjson)-1] {
		var ev struct {
			Data string `json:"data"`
		}
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			t.Fatalf("ndjson line %q: %v", l, err)
		}
		lines = append(lines, ev.Data)
	}
	if got := strings.Join(lines, ""); got != text {
		t.Errorf("ndjson data: got %q, want %q", got, text)
	}
	if err := json.Unmarshal([]byte(ndjson[len(ndjson)-1]), &end); err != nil || end.End != dm[3] || end.Events != 5 {
		t.Errorf("ndjson end line %q (%v), want end %s and 5 events", ndjson[len(ndjson)-1], err, dm[3])
	}

	// length-prefixed, uploaded again as length-prefixed into another
	// stream, downloaded raw: the same events.
	lp := filepath.Join(t.TempDir(), "text.lp")
	ok2(t, "download", "up/text", lp, "--format", "length-prefixed", "--http", httpAddr)
	ok(t, "", "upload", lp, "up/text2", "--split", "length-prefixed", "--key", "k", "--create", "--http", httpAddr)
	r = run(t, "", "download", "up/text2", "-", "--http", httpAddr)
	if r.code != 0 || r.stdout != text {
		t.Errorf("length-prefixed round trip: exit %d, got %q, want %q; stderr %q", r.code, r.stdout, text, r.stderr)
	}

	// From standard input.
	got = ok(t, "one\ntwo\n", "upload", "-", "up/text", "--key", "k", "--http", httpAddr)
	if !strings.HasPrefix(got, "uploaded standard input to up/text: 2 events, ") {
		t.Errorf("upload -: %q", got)
	}
}

func TestUploadIdempotent(t *testing.T) {
	_, httpAddr := startServers(t)
	data := randomBytes(t, 300<<10)
	in := writeFile(t, "in.bin", data)
	args := []string{"upload", in, "up/once", "--split", "bytes:16KiB", "--key", "k", "--writer-id", "w-1", "--create", "--http", httpAddr}
	out1, out2 := ok(t, "", args...), ok(t, "", args...)
	first, second := uploadLine.FindStringSubmatch(out1), uploadLine.FindStringSubmatch(out2)
	if first == nil || second == nil {
		t.Fatalf("upload summaries %q and %q do not match %s", out1, out2, uploadLine)
	}
	if first[3] != "19" || first[4] != "" {
		t.Errorf("first upload: %s new events, %q already stored; want 19 and none", first[3], first[4])
	}
	if second[3] != "0" || second[4] != "19" {
		t.Errorf("second upload: %s new events, %q already stored; want 0 and all 19", second[3], second[4])
	}
	// The store may no longer know where a duplicate is: then there is
	// no pointer.
	if first[6] == "" || (second[6] != "" && (first[6] != second[6] || first[7] != second[7])) {
		t.Errorf("first/last pointers: first upload %q %q, second %q %q", first[6], first[7], second[6], second[7])
	}
	out := filepath.Join(t.TempDir(), "out")
	ok2(t, "download", "up/once", out, "--http", httpAddr)
	sameFile(t, out, data)
}

func TestTransferErrors(t *testing.T) {
	grpcAddr, httpAddr := startServers(t)
	ok(t, "", "stream", "create", "s/t", "--addr", grpcAddr)
	in := writeFile(t, "in.txt", []byte("x\n"))
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"missing file", []string{"upload", filepath.Join(dir, "nope"), "s/t"}, 1, "upload: open " + filepath.Join(dir, "nope") + ": no such file or directory"},
		{"directory", []string{"upload", dir, "s/t"}, 1, "is a directory"},
		{"bad split", []string{"upload", in, "s/t", "--split", "words"}, 2, `invalid --split "words": want lines, bytes:SIZE`},
		{"bad split size", []string{"upload", in, "s/t", "--split", "bytes:lots"}, 2, `invalid --split "bytes:lots"`},
		{"zero split size", []string{"upload", in, "s/t", "--split", "bytes:0"}, 2, `invalid --split "bytes:0"`},
		{"bad retries", []string{"upload", in, "s/t", "--retries", "-1"}, 2, `invalid --retries -1`},
		{"empty writer id", []string{"upload", in, "s/t", "--writer-id", ""}, 2, `invalid --writer-id ""`},
		{"bad stream", []string{"upload", in, "nope"}, 2, `invalid stream name "nope"`},
		{"missing stream arg", []string{"upload", in}, 2, `braid upload: missing SCOPE/STREAM`},
		{"bad http", []string{"upload", in, "s/t", "--http", "ftp://x"}, 2, `invalid --http "ftp://x"`},
		{"no stream", []string{"upload", in, "s/nope"}, 1, "upload " + in + " to s/nope: stream not found"},
		{"too long line", []string{"upload", writeFile(t, "whole", bytes.Repeat([]byte("z"), 9<<20)), "s/t", "--split", "whole"}, 1, " to s/t: split=whole: the file is over the maximum event size"},
		{"bad format", []string{"download", "s/t", "-", "--format", "csv"}, 2, `invalid --format "csv"`},
		{"bad from", []string{"download", "s/t", "-", "--from", "start"}, 2, `invalid --from "start": want head or a stream cut`},
		{"bad to cut", []string{"download", "s/t", "-", "--to", "v1.x"}, 2, `invalid --to: invalid stream cut "v1.x"`},
		{"missing file arg", []string{"download", "s/t"}, 2, `braid download: missing FILE`},
		{"download no stream", []string{"download", "s/nope", filepath.Join(dir, "o")}, 1, "download s/nope: stream not found"},
		{"download into a directory", []string{"download", "s/t", dir}, 1, "is a directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append(tc.args, "--http", httpAddr)
			if tc.name == "bad http" {
				args = tc.args
			}
			r := run(t, "", args...)
			if r.code != tc.code || !strings.HasPrefix(r.stderr, "braid: ") || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("braid %s: exit %d, stderr %q; want exit %d and %q", strings.Join(args, " "), r.code, r.stderr, tc.code, tc.want)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q, want nothing", r.stdout)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "o")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("failed download left its file: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "o.partial")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("failed download left its partial file: %v", err)
	}
}

func TestTransferServerDown(t *testing.T) {
	in := writeFile(t, "in.txt", []byte("x\n"))
	r := run(t, "", "upload", in, "s/t", "--http", "127.0.0.1:1", "--retries", "0")
	if r.code != 1 || !strings.HasPrefix(r.stderr, "braid: cannot reach braid server at 127.0.0.1:1 (HTTP): ") || strings.Contains(r.stderr, "retry") {
		t.Errorf("upload: exit %d, stderr %q; want exit 1 naming the address, no retry", r.code, r.stderr)
	}
	r = run(t, "", "upload", in, "s/t", "--http", "127.0.0.1:1", "--retries", "1")
	if r.code != 1 || strings.Count(r.stderr, "cannot reach braid server at 127.0.0.1:1 (HTTP)") != 2 || !strings.Contains(r.stderr, "(retry 1 of 1)") {
		t.Errorf("upload --retries 1: exit %d, stderr %q; want one retry", r.code, r.stderr)
	}
	out := filepath.Join(t.TempDir(), "out")
	r = run(t, "", "download", "s/t", out, "--http", "127.0.0.1:1")
	if r.code != 1 || !strings.HasPrefix(r.stderr, "braid: cannot reach braid server at 127.0.0.1:1 (HTTP): ") {
		t.Errorf("download: exit %d, stderr %q; want exit 1 naming the address", r.code, r.stderr)
	}
	if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) != 0 {
		t.Errorf("failed download left %v", entries)
	}
}

// TestUploadRetry checks, against a fake server, that an upload is sent
// again whole, with the same writer id and event number, after a broken
// connection and after an UNAVAILABLE answer, and not after a client error.
func TestUploadRetry(t *testing.T) {
	data := randomBytes(t, 200<<10)
	in := writeFile(t, "in.bin", data)
	var mu sync.Mutex
	var writers []string
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		call := calls
		writers = append(writers, r.Header.Get("Braid-Writer-Id")+" "+r.Header.Get("Braid-Event-Number"))
		mu.Unlock()
		if r.Method != http.MethodPut || r.URL.Path != "/v1/streams/s/t/file" || r.URL.RawQuery != "key=k&split=bytes%3A1024" ||
			r.ContentLength != int64(len(data)) {
			http.Error(w, "unexpected request "+r.Method+" "+r.URL.String(), http.StatusTeapot)
			return
		}
		switch call {
		case 1: // read a little, then break the connection
			io.CopyN(io.Discard, r.Body, 1000)
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		case 2:
			io.CopyN(io.Discard, r.Body, 5000)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, `{"error":{"code":"UNAVAILABLE","message":"segment store is closing"}}`)
			return
		}
		got, err := io.ReadAll(r.Body)
		if err != nil || !bytes.Equal(got, data) {
			http.Error(w, "body differs", http.StatusBadRequest)
			return
		}
		io.WriteString(w, `{"events": 200, "bytes": 204800, "first": "P1", "last": "P2", "duplicates": 3}`)
	}))
	defer srv.Close()

	r := run(t, "", "upload", in, "s/t", "--split", "bytes:1KiB", "--key", "k", "--writer-id", "w-7", "--http", srv.URL)
	if r.code != 0 {
		t.Fatalf("upload: exit %d, stderr %q", r.code, r.stderr)
	}
	if !regexp.MustCompile(`^uploaded \S+ to s/t: 197 new events, 3 already stored \(same writer id\), 204800 bytes in \S+ \(\d+\.\d MB/s\); first P1, last P2\n$`).MatchString(r.stdout) {
		t.Errorf("summary %q", r.stdout)
	}
	retries := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
	if len(retries) != 2 || !strings.Contains(retries[0], "(retry 1 of 3)") ||
		!strings.Contains(retries[1], "segment store is closing; sending it again in 500ms (retry 2 of 3)") {
		t.Errorf("stderr %q, want two retries", r.stderr)
	}
	if got, want := strings.Join(writers, ","), "w-7 1,w-7 1,w-7 1"; got != want {
		t.Errorf("writer id and event number of the attempts: %s, want %s", got, want)
	}

	// A client error is not retried; an unknown writer id is random.
	mu.Lock()
	calls, writers = 100, nil
	mu.Unlock()
	r = run(t, "", "upload", in, "s/x", "--split", "bytes:1KiB", "--key", "k", "--http", srv.URL)
	if r.code != 1 || r.stderr != "braid: upload "+in+" to s/x: HTTP 418 I'm a teapot: unexpected request PUT /v1/streams/s/x/file?key=k&split=bytes%3A1024\n" {
		t.Errorf("client error: exit %d, stderr %q", r.code, r.stderr)
	}
	if len(writers) != 1 || !regexp.MustCompile(`^[0-9a-f]{32} 1$`).MatchString(writers[0]) {
		t.Errorf("default writer id: %q", writers)
	}
}

// TestDownloadIncomplete checks, against a fake server, that a download
// the server broke off or ended without its trailers fails and leaves no
// file.
func TestDownloadIncomplete(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Trailer", "Braid-Stream-Cut, Braid-Events")
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(bytes.Repeat([]byte("a"), 100000))
		http.NewResponseController(w).Flush()
		switch r.URL.Path {
		case "/v1/streams/s/abort/blob":
			panic(http.ErrAbortHandler)
		case "/v1/streams/s/ok/blob":
			w.Header().Set("Braid-Stream-Cut", "v1.AAAA")
			w.Header().Set("Braid-Events", "1")
		}
	}))
	defer srv.Close()
	for _, tc := range []struct{ stream, want string }{
		{"s/abort", "download s/abort: the download broke off after 100000 bytes: unexpected EOF"},
		{"s/notrailer", "download s/notrailer: the download ended early after 100000 bytes (no Braid-Stream-Cut trailer)"},
	} {
		dir := t.TempDir()
		r := run(t, "", "download", tc.stream, filepath.Join(dir, "out"), "--http", srv.URL)
		if r.code != 1 || !strings.HasPrefix(r.stderr, "braid: "+tc.want) {
			t.Errorf("%s: exit %d, stderr %q, want %q", tc.stream, r.code, r.stderr, tc.want)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("%s: left %v", tc.stream, entries)
		}
	}
	out := filepath.Join(t.TempDir(), "out")
	r := run(t, "", "download", "s/ok", out, "--http", srv.URL)
	if r.code != 0 || !strings.HasPrefix(r.stderr, "downloaded 1 event, 100000 bytes in ") || !strings.HasSuffix(r.stderr, "; end cut v1.AAAA\n") {
		t.Errorf("complete download: exit %d, stderr %q", r.code, r.stderr)
	}
	sameFile(t, out, bytes.Repeat([]byte("a"), 100000))
}

func TestParseSplit(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"lines", "lines"},
		{"whole", "whole"},
		{"length-prefixed", "length-prefixed"},
		{"bytes:65536", "bytes:65536"},
		{"bytes:4MiB", "bytes:4194304"},
		{"bytes:64k", "bytes:64000"},
		{"bytes:1", "bytes:1"},
		{"bytes:0", `invalid --split "bytes:0"`},
		{"bytes:", `invalid --split "bytes:"`},
		{"bytes:-5", `invalid --split "bytes:-5"`},
		{"bytes", `invalid --split "bytes": want lines, bytes:SIZE`},
		{"Lines", `invalid --split "Lines"`},
		{"", `invalid --split ""`},
	} {
		got, err := parseSplit(tc.in)
		if err != nil {
			got = err.Error()
		}
		if !strings.HasPrefix(got, tc.want) {
			t.Errorf("parseSplit(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestHTTPBase(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"127.0.0.1:7471", "http://127.0.0.1:7471"},
		{"http://h:1/", "http://h:1"},
		{"https://braid.example.com/api", "https://braid.example.com/api"},
		{"ftp://h", `invalid --http "ftp://h"`},
		{"http://", `invalid --http "http://"`},
		{"h:1?x=1", `invalid --http "h:1?x=1"`},
	} {
		u, err := httpBase(tc.in)
		got := ""
		if err != nil {
			got = err.Error()
		} else {
			got = u.String()
		}
		if !strings.HasPrefix(got, tc.want) {
			t.Errorf("httpBase(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	base, _ := httpBase("https://h/api/")
	api := &httpAPI{base: base}
	if got, want := api.streamURL("s/t", "file", nil), "https://h/api/v1/streams/s/t/file"; got != want {
		t.Errorf("streamURL = %q, want %q", got, want)
	}
}

func TestTransferHelp(t *testing.T) {
	for _, cmd := range []string{"upload", "download"} {
		out := ok(t, "", cmd, "--help")
		if !strings.Contains(out, "Examples:") || !strings.Contains(out, "  braid "+cmd+" ") || !strings.Contains(out, "--http") {
			t.Errorf("braid %s --help: no examples or --http:\n%s", cmd, out)
		}
	}
}

// ok2 runs a command that reports on stderr (download) and fails the test
// unless it succeeds.
func ok2(t *testing.T, args ...string) {
	t.Helper()
	if r := run(t, "", args...); r.code != 0 {
		t.Fatalf("braid %s: exit %d, stderr:\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
}

// sameFile fails the test unless path holds want.
func sameFile(t *testing.T, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if sha256.Sum256(got) != sha256.Sum256(want) {
		t.Errorf("%s: %d bytes with SHA-256 %x, want %d bytes with %x", path, len(got), sha256.Sum256(got), len(want), sha256.Sum256(want))
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// atoi is s as a number; s is one a regexp matched as digits.
func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return n
}

// TestUploadRetryEndToEnd breaks the first upload's connection halfway,
// once the server stored some of its events (through a proxy): the retry
// sends the file again, the server skips what it has, and the stream holds
// the file once.
func TestUploadRetryEndToEnd(t *testing.T) {
	grpcAddr, httpAddr := startServers(t)
	ok(t, "", "stream", "create", "up/retry", "--addr", grpcAddr)
	c, err := braid.Dial(t.Context(), grpcAddr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	stored := func() bool {
		info, err := c.GetStream(t.Context(), "up/retry")
		if err != nil {
			t.Error(err)
			return true
		}
		return len(info.Current) > 0 && info.Current[0].Length > 0
	}

	data := randomBytes(t, 2<<20)
	in := writeFile(t, "in.bin", data)
	p := newCutProxy(t, httpAddr, 1<<20, func() {
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		deadline := time.After(10 * time.Second)
		for !stored() {
			select {
			case <-tick.C:
			case <-deadline:
				t.Error("the server stored nothing of the first half")
				return
			}
		}
	})
	r := run(t, "", "upload", in, "up/retry", "--split", "bytes:32KiB", "--writer-id", "w", "--http", p.addr())
	if r.code != 0 {
		t.Fatalf("upload: exit %d, stderr %q", r.code, r.stderr)
	}
	if !regexp.MustCompile(`^braid: upload \S+ to up/retry: .*; sending it again in 250ms \(retry 1 of 3\)\n$`).MatchString(r.stderr) {
		t.Errorf("stderr %q, want one retry", r.stderr)
	}
	m := uploadLine.FindStringSubmatch(r.stdout)
	if m == nil || m[4] == "" || atoi(t, m[3])+atoi(t, m[4]) != 64 {
		t.Fatalf("upload printed %q, want 64 events, some already stored", r.stdout)
	}
	out := filepath.Join(t.TempDir(), "out")
	ok2(t, "download", "up/retry", out, "--http", httpAddr)
	sameFile(t, out, data)
}

// cutProxy forwards TCP connections to a server. It breaks its first
// connection after forwarding cut bytes from the client and calling
// before.
type cutProxy struct {
	ln     net.Listener
	target string
	cut    int64
	before func()
	wg     sync.WaitGroup
	mu     sync.Mutex
	n      int        // connections accepted (mu)
	conns  []net.Conn // to close at the end (mu)
}

func newCutProxy(t *testing.T, target string, cut int64, before func()) *cutProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{ln: ln, target: target, cut: cut, before: before}
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(p.close)
	return p
}

func (p *cutProxy) addr() string { return p.ln.Addr().String() }

func (p *cutProxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.n++
		first := p.n == 1
		p.conns = append(p.conns, c, s)
		p.mu.Unlock()
		p.wg.Add(2)
		go func() {
			defer p.wg.Done()
			if first {
				io.CopyN(s, c, p.cut)
				p.before()
				c.Close()
				s.Close()
				return
			}
			io.Copy(s, c)
			s.(*net.TCPConn).CloseWrite()
		}()
		go func() {
			defer p.wg.Done()
			io.Copy(c, s)
			c.(*net.TCPConn).CloseWrite()
		}()
	}
}

func (p *cutProxy) close() {
	p.ln.Close()
	p.mu.Lock()
	for _, c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}
