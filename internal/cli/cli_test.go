package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"go.uber.org/goleak"

	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
	"github.com/braidstream/braid/wire"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// startServer runs an in-process server on free ports until the test ends
// and returns its gRPC address.
func startServer(t *testing.T) string {
	t.Helper()
	return servertest.New(t, server.Config{Containers: 2}).GRPCAddr()
}

type result struct {
	stdout, stderr string
	code           int
}

// run runs the command line in-process with stdin as input.
func run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(t.Context(), args, strings.NewReader(stdin), &stdout, &stderr)
	return result{stdout: stdout.String(), stderr: stderr.String(), code: code}
}

// ok runs the command line and fails the test unless it succeeds.
func ok(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	r := run(t, stdin, args...)
	if r.code != 0 {
		t.Fatalf("braid %s: exit %d, stderr:\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	if r.stderr != "" {
		t.Errorf("braid %s: unexpected stderr:\n%s", strings.Join(args, " "), r.stderr)
	}
	return r.stdout
}

// eventLine is one line of read --format json.
type eventLine struct {
	Stream     string  `json:"stream"` // read --group only
	Pointer    string  `json:"pointer"`
	Segment    string  `json:"segment"`
	Offset     int64   `json:"offset"`
	Time       string  `json:"time"` // append time, when known
	Position   string  `json:"position"`
	Data       *string `json:"data"`
	DataBase64 *string `json:"data_base64"`
}

func readJSON(t *testing.T, out string) []eventLine {
	t.Helper()
	var evs []eventLine
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if line == "" {
			continue
		}
		var ev eventLine
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&ev); err != nil {
			t.Fatalf("bad JSON line %q: %v", line, err)
		}
		evs = append(evs, ev)
	}
	return evs
}

func TestStreamAdminAndData(t *testing.T) {
	addr := startServer(t)
	a := []string{"--addr", addr}
	args := func(s ...string) []string { return append(s, a...) }

	if got, want := ok(t, "", args("stream", "create", "s/t", "--segments", "4")...), "created scope s\ncreated stream s/t with 4 segments\n"; got != want {
		t.Errorf("stream create: got %q, want %q", got, want)
	}
	if got, want := ok(t, "", args("stream", "create", "s/u")...), "created stream s/u with 1 segment\n"; got != want {
		t.Errorf("stream create in existing scope: got %q, want %q", got, want)
	}
	if got, want := ok(t, "", args("scope", "create", "s")...), "scope s already exists\n"; got != want {
		t.Errorf("scope create existing: got %q, want %q", got, want)
	}
	if got, want := ok(t, "", args("scope", "create", "other")...), "created scope other\n"; got != want {
		t.Errorf("scope create: got %q, want %q", got, want)
	}
	if got, want := ok(t, "", args("scope", "list")...), "other\ns\n"; got != want {
		t.Errorf("scope list: got %q, want %q", got, want)
	}
	if got, want := ok(t, "", args("scope", "delete", "other")...), "deleted scope other\n"; got != want {
		t.Errorf("scope delete: got %q, want %q", got, want)
	}

	list := ok(t, "", args("stream", "list", "s")...)
	for _, re := range []string{`(?m)^STREAM\s+SEGMENTS\s+SEALED\s+CREATED$`, `(?m)^t\s+4\s+no\s`, `(?m)^u\s+1\s+no\s`} {
		if !regexp.MustCompile(re).MatchString(list) {
			t.Errorf("stream list output does not match %s:\n%s", re, list)
		}
	}

	// Same key: one segment, so the read order is the write order. The
	// empty line is an empty event; the last line has no newline.
	if got := ok(t, "hello\nworld\n\nlast", args("write", "s/t", "--key", "k")...); got != "" {
		t.Errorf("write printed %q", got)
	}
	if got, want := ok(t, "", args("read", "s/t")...), "hello\nworld\n\nlast\n"; got != want {
		t.Errorf("read text: got %q, want %q", got, want)
	}

	desc := ok(t, "", args("stream", "describe", "s/t")...)
	for _, re := range []string{
		`(?m)^stream:\s+s/t$`,
		`(?m)^epoch 0 `,
		`(?m)^\s+SEGMENT\s+KEY RANGE\s+LENGTH\s+START\s+SEALED$`,
		`(?m)^\s+0000000000000000\s+\[0, 0\.25\)\s+\d+\s+0\s+no$`,
		`(?m)^\s+0000000000000003\s+\[0\.75, 1\)\s+\d+\s+0\s+no$`,
		// 4 events of 5, 5, 0 and 4 bytes, each with an 8-byte header.
		`(?m)^\s+000000000000000[0-3]\s+\[[0-9.]+, [0-9.]+\)\s+46\s+0\s+no$`,
	} {
		if !regexp.MustCompile(re).MatchString(desc) {
			t.Errorf("stream describe output does not match %s:\n%s", re, desc)
		}
	}

	evs := readJSON(t, ok(t, "", args("read", "s/t", "--format", "json")...))
	wantData := []string{"hello", "world", "", "last"}
	if len(evs) != len(wantData) {
		t.Fatalf("read json: got %d events, want %d", len(evs), len(wantData))
	}
	for i, ev := range evs {
		if ev.Data == nil || *ev.Data != wantData[i] || ev.DataBase64 != nil || ev.Stream != "" {
			t.Errorf("event %d: data %v, data_base64 %v; want data %q", i, ev.Data, ev.DataBase64, wantData[i])
		}
		p, err := wire.ParsePointer(ev.Pointer)
		if err != nil {
			t.Fatalf("event %d: pointer: %v", i, err)
		}
		if ev.Segment != ev.Pointer[:16] || ev.Offset != p.Offset {
			t.Errorf("event %d: segment %q offset %d do not match pointer %s", i, ev.Segment, ev.Offset, ev.Pointer)
		}
		if _, err := wire.ParseStreamCut(ev.Position); err != nil {
			t.Errorf("event %d: position: %v", i, err)
		}
		// Fetch by a bare pointer with --stream, and by a qualified one.
		if got := ok(t, "", args("fetch", ev.Pointer, "--stream", "s/t")...); got != wantData[i] {
			t.Errorf("fetch %s: got %q, want %q", ev.Pointer, got, wantData[i])
		}
		if got := ok(t, "", args("fetch", "s/t/"+ev.Pointer, "--newline")...); got != wantData[i]+"\n" {
			t.Errorf("fetch qualified %s --newline: got %q, want %q", ev.Pointer, got, wantData[i]+"\n")
		}
	}

	// From a pointer: that event on. From a cut: after that event. To a
	// cut: up to and including that event.
	if got, want := ok(t, "", args("read", "s/t", "--from", evs[1].Pointer)...), "world\n\nlast\n"; got != want {
		t.Errorf("read --from pointer: got %q, want %q", got, want)
	}
	if got, want := ok(t, "", args("read", "s/t", "--from", "s/t/"+evs[1].Pointer)...), "world\n\nlast\n"; got != want {
		t.Errorf("read --from qualified pointer: got %q, want %q", got, want)
	}
	if got, want := ok(t, "", args("read", "s/t", "--from", evs[1].Position)...), "\nlast\n"; got != want {
		t.Errorf("read --from cut: got %q, want %q", got, want)
	}
	if got, want := ok(t, "", args("read", "s/t", "--to", evs[1].Position)...), "hello\nworld\n"; got != want {
		t.Errorf("read --to cut: got %q, want %q", got, want)
	}
	if got, want := ok(t, "", args("read", "s/t", "--limit", "2")...), "hello\nworld\n"; got != want {
		t.Errorf("read --limit 2: got %q, want %q", got, want)
	}
	if got := ok(t, "", args("read", "s/t", "--from", "tail")...); got != "" {
		t.Errorf("read --from tail: got %q, want nothing", got)
	}

	// A payload that is not UTF-8 comes as data_base64, from --file.
	bin := filepath.Join(t.TempDir(), "bin")
	if err := os.WriteFile(bin, []byte("\xff\xfe\nplain\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ok(t, "", args("write", "s/u", "--file", bin)...)
	evs = readJSON(t, ok(t, "", args("read", "s/u", "--format", "json")...))
	if len(evs) != 2 {
		t.Fatalf("read json s/u: got %d events, want 2", len(evs))
	}
	if evs[0].Data != nil || evs[0].DataBase64 == nil || *evs[0].DataBase64 != "//4=" {
		t.Errorf("non-UTF-8 event: data %v, data_base64 %v; want data_base64 \"//4=\"", evs[0].Data, evs[0].DataBase64)
	}
	if evs[1].Data == nil || *evs[1].Data != "plain" {
		t.Errorf("second event: data %v, want \"plain\"", evs[1].Data)
	}
	if got := ok(t, "", args("fetch", "s/u/"+evs[0].Pointer)...); got != "\xff\xfe" {
		t.Errorf("fetch non-UTF-8: got %q", got)
	}

	// Sealed: no more writes, still readable.
	if got, want := ok(t, "", args("stream", "seal", "s/u")...), "sealed stream s/u\n"; got != want {
		t.Errorf("stream seal: got %q, want %q", got, want)
	}
	if r := run(t, "more\n", args("write", "s/u")...); r.code != 1 || !strings.HasPrefix(r.stderr, "braid: write to s/u: ") {
		t.Errorf("write to sealed stream: exit %d, stderr %q; want exit 1 and an error", r.code, r.stderr)
	}
	if got, want := ok(t, "", args("read", "s/u")...), "\xff\xfe\nplain\n"; got != want {
		t.Errorf("read sealed stream: got %q, want %q", got, want)
	}

	// Truncate at the first event's position: only "plain" is left; at
	// the tail: nothing is.
	if got, want := ok(t, "", args("stream", "truncate", "s/u", "--cut", evs[0].Position)...), "truncated stream s/u before "+evs[0].Position+"\n"; got != want {
		t.Errorf("stream truncate: got %q, want %q", got, want)
	}
	if got, want := ok(t, "", args("read", "s/u")...), "plain\n"; got != want {
		t.Errorf("read after truncate: got %q, want %q", got, want)
	}
	if r := run(t, "", args("fetch", "s/u/"+evs[0].Pointer)...); r.code != 1 || !strings.Contains(r.stderr, "truncated") {
		t.Errorf("fetch below the truncation: exit %d, stderr %q", r.code, r.stderr)
	}
	ok(t, "", args("stream", "truncate", "s/u", "--cut", "tail")...)
	if got := ok(t, "", args("read", "s/u")...); got != "" {
		t.Errorf("read after truncate at the tail: got %q", got)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"stream", "truncate", "s/u"}, "--cut is required"},
		{[]string{"stream", "truncate", "s/u", "--cut", "v1.nope"}, "invalid --cut"},
	} {
		if r := run(t, "", args(tc.args...)...); r.code != 2 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", tc.args, r.code, r.stderr, tc.want)
		}
	}

	if got, want := ok(t, "", args("stream", "delete", "s/t")...), "deleted stream s/t\n"; got != want {
		t.Errorf("stream delete: got %q, want %q", got, want)
	}
	r := run(t, "", args("stream", "describe", "s/t")...)
	if r.code != 1 || !strings.HasPrefix(r.stderr, "braid: describe stream s/t: ") {
		t.Errorf("describe deleted stream: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestBadInput(t *testing.T) {
	addr := startServer(t)
	ok(t, "", "stream", "create", "s/t", "--addr", addr)
	const ptr = "0000000000000000-0000000000000000-0000000d"
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string // in stderr
	}{
		{"no slash", []string{"stream", "create", "bad"}, 2, `invalid stream name "bad": want scope/stream`},
		{"reserved name", []string{"stream", "describe", "s/_x"}, 2, `invalid stream name "_x" in stream "s/_x": names starting with '_'`},
		{"bad char", []string{"write", "s/t t"}, 2, `invalid stream name "t t"`},
		{"bad scope", []string{"stream", "list", "a/b"}, 2, `invalid scope name "a/b"`},
		{"zero segments", []string{"stream", "create", "s/z", "--segments", "0"}, 2, `invalid --segments 0`},
		{"missing arg", []string{"stream", "create"}, 2, `braid stream create: missing SCOPE/STREAM`},
		{"extra arg", []string{"scope", "list", "x"}, 2, `unexpected argument "x"`},
		{"unknown flag", []string{"stream", "list", "s", "--bogus"}, 2, `unknown flag: --bogus`},
		{"bad flag value", []string{"stream", "create", "s/z", "--segments", "many"}, 2, `invalid argument "many" for "--segments"`},
		{"unknown command", []string{"frobnicate"}, 2, `unknown command "frobnicate" for "braid"`},
		{"unknown subcommand", []string{"stream", "creat"}, 2, `unknown command "creat" for "braid stream" (did you mean "create"?)`},
		{"no subcommand", []string{"stream"}, 2, `braid stream needs a command: create,`},
		{"bad pointer", []string{"fetch", "zzz", "--stream", "s/t"}, 2, `invalid event pointer "zzz": wrong length`},
		{"upper-case pointer", []string{"fetch", strings.ToUpper("000000000000000a-0000000000000000-0000000d"), "--stream", "s/t"}, 2, `upper-case hex digit`},
		{"pointer without stream", []string{"fetch", ptr}, 2, `which stream?`},
		{"pointer in other stream", []string{"fetch", "a/b/" + ptr, "--stream", "s/t"}, 2, `is in stream a/b, not s/t`},
		{"bad --from cut", []string{"read", "s/t", "--from", "v1.AAAA"}, 2, `invalid --from: invalid stream cut "v1.AAAA"`},
		{"bad --from cut version", []string{"read", "s/t", "--from", "v9.AAAA"}, 2, `unknown version "v9"`},
		{"bad --from pointer", []string{"read", "s/t", "--from", "12-34"}, 2, `invalid --from: invalid event pointer "12-34"`},
		{"bad --from word", []string{"read", "s/t", "--from", "start"}, 2, `invalid --from "start": want head, tail,`},
		{"bad --to", []string{"read", "s/t", "--to", "head"}, 2, `invalid --to "head": want tail or a stream cut`},
		{"bad --to cut", []string{"read", "s/t", "--to", "v1.x"}, 2, `invalid --to: invalid stream cut "v1.x"`},
		{"--to with --follow", []string{"read", "s/t", "--follow", "--to", "tail"}, 2, `--to and --follow do not go together`},
		{"bad --format", []string{"read", "s/t", "--format", "xml"}, 2, `invalid --format "xml": want text or json`},
		{"unknown stream describe", []string{"stream", "describe", "s/nope"}, 1, `describe stream s/nope: `},
		{"unknown stream read", []string{"read", "s/nope"}, 1, `read s/nope: `},
		{"unknown stream write", []string{"write", "s/nope"}, 1, `write to s/nope: `},
		{"unknown stream fetch", []string{"fetch", "s/nope/" + ptr}, 1, `fetch s/nope/` + ptr + `: `},
		{"unknown scope list", []string{"stream", "list", "nope"}, 1, `list streams of scope nope: `},
		{"pointer past the end", []string{"fetch", "s/t/" + ptr}, 1, `fetch s/t/` + ptr + `: `},
		{"bench flags", []string{"bench", "--events", "0", "--size", "-1"}, 2, `invalid flags: --events: want 1 to 2147483647, got 0; --size: want 0 to 8388608, got -1`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := tc.args
			if tc.code == 1 {
				args = append(args, "--addr", addr)
			}
			r := run(t, "x\n", args...)
			if r.code != tc.code {
				t.Errorf("braid %s: exit %d, want %d; stderr:\n%s", strings.Join(args, " "), r.code, tc.code, r.stderr)
			}
			if !strings.HasPrefix(r.stderr, "braid: ") || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("braid %s: stderr %q, want \"braid: ...%s...\"", strings.Join(args, " "), r.stderr, tc.want)
			}
			if strings.Contains(r.stderr, "braid: braid:") || strings.Contains(r.stderr, "wire:") {
				t.Errorf("stderr has a doubled or internal prefix: %q", r.stderr)
			}
			if tc.code == 2 && !strings.Contains(r.stderr, "--help' for usage.") {
				t.Errorf("usage error without a pointer to --help: %q", r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q, want nothing", r.stdout)
			}
		})
	}
}

func TestUnreachableServer(t *testing.T) {
	// Nothing listens on port 1: the dial fails at once, not at --timeout.
	r := run(t, "", "scope", "list", "--addr", "127.0.0.1:1", "--timeout", "1h")
	if r.code != 1 || !strings.HasPrefix(r.stderr, "braid: cannot reach braid server at 127.0.0.1:1: ") {
		t.Errorf("exit %d, stderr %q; want exit 1 naming the address", r.code, r.stderr)
	}
}

func TestWriteLongLines(t *testing.T) {
	addr := startServer(t)
	ok(t, "", "stream", "create", "s/long", "--addr", addr)
	// Lines longer than bufio.Scanner's 64 KiB and than the read buffer.
	long := strings.Repeat("x", 200<<10)
	ok(t, long+"\n"+long, "write", "s/long", "--addr", addr)
	if got, want := ok(t, "", "read", "s/long", "--addr", addr), long+"\n"+long+"\n"; got != want {
		t.Errorf("read back %d bytes, want %d", len(got), len(want))
	}

	tooLong := strings.Repeat("y", wire.DefaultMaxEventSize+1)
	r := run(t, "ok\n"+tooLong+"\n", "write", "s/long", "--addr", addr)
	if r.code != 1 || !strings.Contains(r.stderr, "line 2 is longer than the maximum event size (8388608 bytes)") {
		t.Errorf("too long line: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestLineReader(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"\n", []string{""}},
		{"a", []string{"a"}},
		{"a\n", []string{"a"}},
		{"a\n\nb\r\n", []string{"a", "", "b\r"}},
		{strings.Repeat("z", 70000) + "\nq", []string{strings.Repeat("z", 70000), "q"}},
	} {
		l := newLineReader(strings.NewReader(tc.in), 1<<20)
		var got []string
		for {
			line, err := l.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%.20q: %v", tc.in, err)
			}
			got = append(got, string(line))
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
			t.Errorf("%.20q: got %d lines %.40q, want %d %.40q", tc.in, len(got), got, len(tc.want), tc.want)
		}
	}
	// Exactly max bytes is fine; one more is not.
	l := newLineReader(strings.NewReader("abcd\nabcde\n"), 4)
	if line, err := l.next(); err != nil || string(line) != "abcd" {
		t.Errorf("line of max length: %q, %v", line, err)
	}
	if _, err := l.next(); err == nil || !strings.Contains(err.Error(), "line 2 is longer") {
		t.Errorf("line over max length: %v", err)
	}
}

func TestParseFsync(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // duration, or error text
	}{
		{"always", "0s"},
		{"interval:10ms", "10ms"},
		{"interval:1s", "1s"},
		{"bogus", `invalid --fsync "bogus": want always or interval:DURATION`},
		{"interval:", `bad duration ""`},
		{"interval:fast", `bad duration "fast"`},
		{"interval:0s", `the interval must be positive`},
		{"interval:-1ms", `the interval must be positive`},
		{"Always", `invalid --fsync "Always"`},
	} {
		d, err := parseFsync(tc.in)
		got := d.String()
		if err != nil {
			got = err.Error()
		}
		if !strings.Contains(got, tc.want) {
			t.Errorf("parseFsync(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestServeBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--fsync", "bogus"}, `braid: invalid --fsync "bogus": want always or interval:DURATION (e.g. interval:10ms)`},
		{[]string{"serve", "--fsync", "interval:0"}, `the interval must be positive`},
		{[]string{"serve", "--log-level", "loud"}, `invalid --log-level "loud"`},
		{[]string{"serve", "--log-format", "xml"}, `invalid --log-format "xml"`},
		{[]string{"serve", "--containers", "0"}, `invalid --containers 0`},
	} {
		r := run(t, "", append(tc.args, "--data", t.TempDir())...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("braid %s: exit %d, stderr %q; want exit 2 and %q", strings.Join(tc.args, " "), r.code, r.stderr, tc.want)
		}
	}
}

// notifyWriter collects output and closes ready at the first write.
type notifyWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	once  sync.Once
	ready chan struct{}
}

func (w *notifyWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.once.Do(func() { close(w.ready) })
	return w.buf.Write(p)
}

func (w *notifyWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	stderr := &notifyWriter{ready: make(chan struct{})}
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"serve", "--data", t.TempDir(), "--grpc", "127.0.0.1:0", "--http", "127.0.0.1:0",
			"--fsync", "interval:5ms", "--log-format", "json"}, strings.NewReader(""), io.Discard, stderr)
	}()
	select {
	case <-stderr.ready: // the start line
	case code := <-done:
		t.Fatalf("serve exited with %d before logging: %s", code, stderr.String())
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("serve exit %d after cancel, want 0; stderr:\n%s", code, stderr.String())
	}
	first, _, _ := strings.Cut(stderr.String(), "\n")
	var rec map[string]any
	if err := json.Unmarshal([]byte(first), &rec); err != nil {
		t.Errorf("--log-format json: first line %q is not JSON: %v", first, err)
	}
}

func TestHelp(t *testing.T) {
	for _, cmd := range [][]string{
		{"--help"}, {"serve", "--help"}, {"stream", "create", "--help"}, {"stream", "describe", "--help"}, {"stream", "update", "--help"},
		{"scope", "list", "--help"}, {"write", "--help"}, {"read", "--help"}, {"fetch", "--help"}, {"bench", "--help"},
		{"stream", "scale", "--help"}, {"group", "--help"}, {"group", "create", "--help"}, {"group", "list", "--help"},
		{"group", "describe", "--help"}, {"group", "checkpoint", "--help"}, {"group", "reset", "--help"}, {"group", "delete", "--help"},
	} {
		out := ok(t, "", cmd...)
		if !strings.Contains(out, "Examples:") || !strings.Contains(out, "  braid ") {
			t.Errorf("braid %s: no examples:\n%s", strings.Join(cmd, " "), out)
		}
	}
}

func TestBenchJSON(t *testing.T) {
	addr := startServer(t)
	out := ok(t, "", "bench", "--addr", addr, "--events", "50", "--size", "10", "--producers", "2", "--segments", "3", "--json")
	if strings.Count(out, "\n") != 1 || !strings.HasSuffix(out, "\n") {
		t.Fatalf("bench --json printed %q, want one line", out)
	}
	const prefix = `{"events":50,"size":10,"producers":2,"segments":3,"write_events_per_s":`
	if !strings.HasPrefix(out, prefix) {
		t.Errorf("bench --json: %q does not start with %q", out, prefix)
	}
	dec := json.NewDecoder(strings.NewReader(out))
	var keys []string
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k.(string))
		var v float64
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
	}
	want := "events size producers segments write_events_per_s write_mb_per_s append_p50_ms append_p99_ms append_p999_ms read_events_per_s read_mb_per_s"
	if got := strings.Join(keys, " "); got != want {
		t.Errorf("bench --json keys:\n got %s\nwant %s", got, want)
	}

	table := ok(t, "", "bench", "--addr", addr, "--events", "20", "--size", "10", "--stream", "b/t", "--segments", "1")
	for _, re := range []string{`^20 events of 10 bytes, 4 producers, 1 segment\n`, `(?m)^\s*write\s+\d+`, `(?m)^\s*read\s+\d+`} {
		if !regexp.MustCompile(re).MatchString(table) {
			t.Errorf("bench table does not match %s:\n%s", re, table)
		}
	}
}
