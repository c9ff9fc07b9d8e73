package httpapi_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/httpapi"
	"github.com/braidstream/braid/internal/server"
)

// limitHits reads braid_limit_hits_total{limit=name} from /metrics (0
// when the limit was never hit).
func (e *env) limitHits(name string) float64 {
	e.t.Helper()
	_, _, b := e.do("GET", "/metrics", "", nil)
	prefix := `braid_limit_hits_total{limit="` + name + `"} `
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, prefix); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				e.t.Fatalf("/metrics: %q: %v", line, err)
			}
			return f
		}
	}
	return 0
}

// storedEvents counts the events of stream from head to tail.
func (e *env) storedEvents(stream string) int {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rd, err := e.client.NewReader(ctx, stream, braid.UntilTail())
	if err != nil {
		e.t.Fatal(err)
	}
	defer rd.Close()
	n := 0
	for {
		_, err := rd.Next(ctx)
		if err == io.EOF {
			return n
		}
		if err != nil {
			e.t.Fatal(err)
		}
		n++
	}
}

// TestAppendRefusesInvalidUTF8 checks that a JSON "data" or "key" string
// that is not valid UTF-8 (raw bytes, or a \u escape of a lone surrogate,
// both of which encoding/json turns into U+FFFD without a word) is
// refused with a 400 naming the event and the field, and that nothing of
// the request is stored.
func TestAppendRefusesInvalidUTF8(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("u/s", 2)
	cases := []struct {
		name, ct, body string
		want           []string // in the message
	}{
		{"array data bytes", "application/json", "[{\"data\":\"ok\"},{\"data\":\"a\xff\xfeb\"}]", []string{`event 1`, `"data"`, "UTF-8", "byte 1", "data_base64"}},
		{"ndjson data bytes", "application/x-ndjson", "{\"data\":\"ok\"}\n{\"data\":\"\xc3\"}\n", []string{`line 2 (event 1)`, `"data"`, "UTF-8"}},
		{"single data bytes", "application/json", "{\"data\":\"\xed\xa0\x80\"}", []string{`the event`, `"data"`, "UTF-8"}},
		{"lone high surrogate", "application/json", `[{"data":"x"},{"data":"a\ud800b"}]`, []string{`event 1`, `"data"`, `\ud800`}},
		{"lone low surrogate", "application/x-ndjson", `{"data":"\udc00"}`, []string{`line 1 (event 0)`, `"data"`, `\udc00`}},
		{"high then non-surrogate", "application/json", `{"data":"\ud800\u0041"}`, []string{`"data"`, `\ud800`}},
		{"key bytes", "application/json", "[{\"key\":\"k\xff\",\"data\":\"x\"}]", []string{`event 0`, `"key"`, "UTF-8"}},
		{"json bytes", "application/json", "[{\"json\":{\"a\":\"\xff\"}}]", []string{`event 0`, `"json"`, "UTF-8"}},
	}
	for _, c := range cases {
		status, _, b := e.do("POST", "/v1/streams/u/s/events", c.ct, strings.NewReader(c.body))
		if status != http.StatusBadRequest {
			t.Errorf("%s: status %d (%s), want 400", c.name, status, b)
			continue
		}
		code, msg := apiErr(t, b)
		if code != "INVALID_ARGUMENT" {
			t.Errorf("%s: code %s, want INVALID_ARGUMENT", c.name, code)
		}
		for _, w := range c.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: message %q does not say %q", c.name, msg, w)
			}
		}
	}
	if n := e.storedEvents("u/s"); n != 0 {
		t.Fatalf("the refused requests stored %d events", n)
	}

	// Valid text, escapes and surrogate pairs are stored as sent.
	body := `[{"data":"\ud83d\ude00 caf\u00e9 \"q\" \\"},{"key":"\u006b","data":"plain"},{"data":"` + "\xe2\x82\xac" + `"}]`
	status, _, b := e.do("POST", "/v1/streams/u/s/events", "application/json", strings.NewReader(body))
	if status != http.StatusCreated {
		t.Fatalf("valid events: status %d: %s", status, b)
	}
	got := map[string]bool{}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rd, err := e.client.NewReader(ctx, "u/s", braid.UntilTail())
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	for {
		ev, err := rd.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got[string(ev.Data)] = true
	}
	for _, want := range []string{"\U0001F600 café \"q\" \\", "plain", "€"} {
		if !got[want] {
			t.Errorf("event %q not stored (got %v)", want, got)
		}
	}
}

// TestAppendAnswerForms checks the two forms of an append's answer: event
// by event up to MaxAnswerEvents (a request with more is refused before
// any of its events is stored, and counted), and answer=summary, whose
// counts and per-segment ranges match what was stored.
func TestAppendAnswerForms(t *testing.T) {
	const max = 20
	e := newEnv(t, server.Config{HTTP: httpapi.Limits{MaxAnswerEvents: max}})
	e.stream("a/s", 3)
	ndjson := func(n int) string {
		var sb strings.Builder
		for i := range n {
			fmt.Fprintf(&sb, "{\"key\":\"k%d\",\"data\":\"e%d\"}\n", i%7, i)
		}
		return sb.String()
	}

	// At the limit: today's answer, one pointer per event.
	status, _, b := e.do("POST", "/v1/streams/a/s/events", "application/x-ndjson", strings.NewReader(ndjson(max)))
	if status != http.StatusCreated {
		t.Fatalf("%d events: status %d: %s", max, status, b)
	}
	var full struct {
		Count  int `json:"count"`
		Events []struct {
			Pointer *string `json:"pointer"`
		} `json:"events"`
	}
	if err := json.Unmarshal(b, &full); err != nil || full.Count != max || len(full.Events) != max || full.Events[max-1].Pointer == nil {
		t.Fatalf("%d events: answer %s (%v)", max, b, err)
	}

	// Over it, as NDJSON and as an array: 413, counted, nothing stored.
	before := e.limitHits("http-max-events")
	arr := "[" + strings.TrimSuffix(strings.ReplaceAll(ndjson(max+1), "\n", ","), ",") + "]"
	for _, c := range []struct{ ct, body string }{{"application/x-ndjson", ndjson(max + 1)}, {"application/json", arr}} {
		status, _, b = e.do("POST", "/v1/streams/a/s/events", c.ct, strings.NewReader(c.body))
		if status != http.StatusRequestEntityTooLarge {
			t.Fatalf("%s, %d events: status %d (%s), want 413", c.ct, max+1, status, b)
		}
		code, msg := apiErr(t, b)
		if code != "REQUEST_TOO_LARGE" || !strings.Contains(msg, "answer=summary") || !strings.Contains(msg, strconv.Itoa(max)) {
			t.Errorf("%s: %s %q: want REQUEST_TOO_LARGE naming the limit and answer=summary", c.ct, code, msg)
		}
	}
	if got := e.limitHits("http-max-events") - before; got != 2 {
		t.Errorf("http-max-events hits: %v, want 2", got)
	}
	if n := e.storedEvents("a/s"); n != max {
		t.Fatalf("the stream holds %d events, want the %d of the first request only", n, max)
	}

	// answer=summary: any number of events; the ranges hold them.
	const many = 5 * max
	status, _, b = e.do("POST", "/v1/streams/a/s/events?answer=summary", "application/x-ndjson", strings.NewReader(ndjson(many)))
	if status != http.StatusCreated {
		t.Fatalf("summary: status %d: %s", status, b)
	}
	var sum struct {
		Count      int `json:"count"`
		Duplicates int `json:"duplicates"`
		Segments   []struct {
			Segment     uint64 `json:"segment"`
			Events      int    `json:"events"`
			First, Last string
		} `json:"segments"`
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatalf("summary %s: %v", b, err)
	}
	if sum.Count != many || sum.Duplicates != 0 || len(sum.Segments) == 0 {
		t.Fatalf("summary %s: want count %d, no duplicates, segments", b, many)
	}
	// Every event of the request lies within its segment's range.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rd, err := e.client.NewReader(ctx, "a/s", braid.UntilTail())
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	inRange := map[uint64]int{}
	for {
		ev, err := rd.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range sum.Segments {
			first, err1 := braid.ParsePointer(g.First)
			last, err2 := braid.ParsePointer(g.Last)
			if err1 != nil || err2 != nil {
				t.Fatalf("summary pointers %q, %q: %v %v", g.First, g.Last, err1, err2)
			}
			if g.Segment == ev.Pointer.SegmentID && first.SegmentID == g.Segment && ev.Pointer.Offset >= first.Offset && ev.Pointer.Offset <= last.Offset {
				inRange[g.Segment]++
			}
		}
	}
	total := 0
	for _, g := range sum.Segments {
		if inRange[g.Segment] != g.Events {
			t.Errorf("segment %d: %d events between first and last, the summary says %d", g.Segment, inRange[g.Segment], g.Events)
		}
		total += g.Events
	}
	if total != many {
		t.Errorf("segments hold %d events, want %d", total, many)
	}

	status, _, b = e.do("POST", "/v1/streams/a/s/events?answer=all", "application/x-ndjson", strings.NewReader(ndjson(1)))
	if status != http.StatusBadRequest || !strings.Contains(string(b), "answer") {
		t.Errorf("answer=all: status %d: %s, want 400 naming answer", status, b)
	}
}

// TestSlowReaderCutOff checks that an event stream whose client never
// reads is cut off at the idle timeout and counted, and that a client
// that reads gets everything meanwhile.
func TestSlowReaderCutOff(t *testing.T) {
	const idle = 500 * time.Millisecond
	e := newEnv(t, server.Config{HTTP: httpapi.Limits{IdleTimeout: idle, ReadAheadBytes: 64 << 10}})
	e.stream("r/s", 2)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	// More than the socket buffers take, so that the server's writes
	// block: 32 MiB in 8192 events.
	w, err := e.client.NewWriter(ctx, "r/s")
	if err != nil {
		t.Fatal(err)
	}
	payload := strings.Repeat("x", 4<<10)
	const events = 8192
	var last braid.Ack
	for i := range events {
		last = w.Write(ctx, strconv.Itoa(i%16), []byte(payload))
	}
	if _, err := last.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}

	before := e.limitHits("http-slow-reader")
	// A client that asks and never reads.
	d := net.Dialer{}
	conn, err := d.DialContext(ctx, "tcp", e.srv.HTTPAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /v1/streams/r/s/events/stream HTTP/1.1\r\nHost: localhost\r\n\r\n")

	// A client that reads gets every event, to its end.
	resp, err := http.Get(e.base + "/v1/streams/r/s/events/stream?to=tail")
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	got, ended := 0, false
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "data: {\"pointer\"") {
			got++
		}
		if line == "event: end" {
			ended = true
			break
		}
	}
	resp.Body.Close()
	if got != events || !ended {
		t.Fatalf("the reading client got %d events (end: %v), want %d", got, ended, events)
	}

	// The one that never reads is cut off, and counted.
	deadline := time.Now().Add(20 * idle)
	for e.limitHits("http-slow-reader") == before {
		if time.Now().After(deadline) {
			t.Fatalf("no http-slow-reader hit within %v of a client that never reads", 20*idle)
		}
		tick := time.NewTimer(idle / 5)
		select {
		case <-tick.C:
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		}
	}
	// Its connection ends: what it then reads stops at EOF, short of the
	// stream.
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	n, err := io.Copy(io.Discard, conn)
	if err != nil {
		t.Fatalf("reading the cut connection: %v after %d bytes (want EOF)", err, n)
	}
	if n >= int64(events*len(payload)) {
		t.Fatalf("the cut client could still read %d bytes, the whole stream", n)
	}
}
