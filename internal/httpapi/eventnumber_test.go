package httpapi_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/braidstream/braid/internal/httpapi"
	"github.com/braidstream/braid/internal/server"
)

// TestEventNumberJumpRefused: a writer's event number that skips ahead is
// refused, so that it cannot make the writer's later events read as
// duplicates and vanish. Before, `w 1 a; w 2^60 junk; w 2 b` answered the
// third request 201 "duplicate" and never stored b.
func TestEventNumberJumpRefused(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("s/x", 2)
	w := func(num, data string) (int, []byte) {
		t.Helper()
		st, _, b := e.do("POST", "/v1/streams/s/x/events", "text/plain", strings.NewReader(data),
			"Braid-Writer-Id", "imp", "Braid-Event-Number", num)
		return st, b
	}
	if st, b := w("1", "a"); st != 201 || strings.Contains(string(b), `"duplicate": true`) {
		t.Fatalf("w 1 a: %d %s", st, b)
	}
	st, b := w("1152921504606846976", "junk")
	if st != 400 {
		t.Fatalf("w 2^60 junk: %d %s, want 400 EVENT_NUMBER_GAP", st, b)
	}
	if code, msg := apiErr(t, b); code != "EVENT_NUMBER_GAP" || !strings.Contains(msg, "resumes at 2") {
		t.Fatalf("w 2^60 junk: %s %q", code, msg)
	}
	if st, b := w("2", "b"); st != 201 || strings.Contains(string(b), `"duplicate": true`) {
		t.Fatalf("w 2 b after the refused jump: %d %s", st, b)
	}
	// A retry is still a duplicate, and the next number goes on.
	if st, b := w("2", "b"); st != 201 || !strings.Contains(string(b), `"duplicate": true`) {
		t.Fatalf("w 2 b again: %d %s, want a duplicate", st, b)
	}
	if st, b := w("3", "c"); st != 201 || strings.Contains(string(b), `"duplicate": true`) {
		t.Fatalf("w 3 c: %d %s", st, b)
	}
	var got []string
	for _, d := range e.readAll("s/x") {
		got = append(got, string(d))
	}
	slices.Sort(got)
	if !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Fatalf("stream holds %q, want a, b, c", got)
	}
}

// TestEventNumberNewWriterStartsAtOne: a writer the stream holds nothing
// from starts at 1; a later start is refused (numbers below it would be
// taken for duplicates), and nothing is stored.
func TestEventNumberNewWriterStartsAtOne(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("s/y", 3)
	st, _, b := e.do("POST", "/v1/streams/s/y/events", "application/x-ndjson",
		strings.NewReader("{\"data\": \"p\"}\n{\"data\": \"q\"}\n"), "Braid-Writer-Id", "fresh", "Braid-Event-Number", "5")
	if st != 400 {
		t.Fatalf("first request at 5: %d %s, want 400", st, b)
	}
	if code, msg := apiErr(t, b); code != "EVENT_NUMBER_GAP" || !strings.Contains(msg, "first event is number 1") {
		t.Fatalf("first request at 5: %s %q", code, msg)
	}
	st, _, b = e.do("PUT", "/v1/streams/s/y/file?split=lines", "application/octet-stream",
		strings.NewReader("l1\nl2\n"), "Braid-Writer-Id", "fresh", "Braid-Event-Number", "7")
	if st != 400 {
		t.Fatalf("upload at 7: %d %s, want 400", st, b)
	}
	if n := len(e.readAll("s/y")); n != 0 {
		t.Fatalf("stream holds %d events after refused requests, want 0", n)
	}
}

// TestSizeLimitsCounted: a body over --http-max-body, a file over
// --http-max-file and an event over the event size are each refused with a
// 413 and counted in braid_limit_hits_total under their own limit.
func TestSizeLimitsCounted(t *testing.T) {
	e := newEnv(t, server.Config{HTTP: httpapi.Limits{MaxBodyBytes: 1 << 10, MaxFileBytes: 4 << 10, MaxEventBytes: 100}})
	e.stream("s/z", 1)
	for _, c := range []struct {
		limit, method, path, ct, body string
	}{
		{"http-max-body", "POST", "/v1/streams/s/z/events", "application/x-ndjson", strings.Repeat("{\"data\": \"x\"}\n", 100)},
		{"http-max-file", "PUT", "/v1/streams/s/z/file?split=bytes:50", "application/octet-stream", strings.Repeat("y", 8<<10)},
		{"max-event-size", "POST", "/v1/streams/s/z/events", "text/plain", strings.Repeat("z", 200)},
	} {
		before := e.limitHits(c.limit)
		st, _, b := e.do(c.method, c.path, c.ct, strings.NewReader(c.body))
		if st != 413 {
			t.Errorf("%s: %d %s, want 413", c.limit, st, b)
		}
		if got := e.limitHits(c.limit) - before; got != 1 {
			t.Errorf("%s: counted %v times, want 1", c.limit, got)
		}
	}
}
