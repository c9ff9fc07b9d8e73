package httpapi_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

// writeEvents writes the events numbered [from, from+n) to stream: event
// i has routing key k<i%keys> and payload "k<i%keys>:<i, 6 digits>". It
// returns their pointers.
func (e *env) writeEvents(stream string, from, n, keys int) []braid.EventPointer {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	w, err := e.client.NewWriter(ctx, stream)
	if err != nil {
		e.t.Fatalf("writer for %s: %v", stream, err)
	}
	defer w.Close(ctx)
	acks := make([]braid.Ack, n)
	for i := range n {
		key := fmt.Sprintf("k%d", (from+i)%keys)
		acks[i] = w.Write(ctx, key, []byte(fmt.Sprintf("%s:%06d", key, from+i)))
	}
	ptrs := make([]braid.EventPointer, n)
	for i, a := range acks {
		if ptrs[i], err = a.Wait(ctx); err != nil {
			e.t.Fatalf("write event %d to %s: %v", from+i, stream, err)
		}
	}
	return ptrs
}

// eventNumber parses a payload made by writeEvents: its key and number.
func eventNumber(t *testing.T, payload string) (string, int) {
	t.Helper()
	key, num, ok := strings.Cut(payload, ":")
	n, err := strconv.Atoi(num)
	if !ok || err != nil {
		t.Fatalf("payload %q is not one writeEvents made", payload)
	}
	return key, n
}

// checkEvents checks that payloads hold each event of writeEvents
// numbered [0, n) exactly once, each key's in the order written.
func checkEvents(t *testing.T, payloads []string, n int) {
	t.Helper()
	seen := map[int]bool{}
	last := map[string]int{}
	for _, p := range payloads {
		key, i := eventNumber(t, p)
		if seen[i] {
			t.Fatalf("event %d (%q) came twice", i, p)
		}
		seen[i] = true
		if prev, ok := last[key]; ok && prev > i {
			t.Fatalf("key %s: event %d came after event %d", key, i, prev)
		}
		last[key] = i
	}
	for i := range n {
		if !seen[i] {
			t.Fatalf("event %d is missing (%d events came)", i, len(payloads))
		}
	}
	if len(seen) != n {
		t.Fatalf("%d events came, want %d", len(seen), n)
	}
}

// pageJSON is the answer of GET .../events.
type pageJSON struct {
	Events []struct {
		Pointer    string  `json:"pointer"`
		Position   string  `json:"position"`
		Data       *string `json:"data"`
		DataBase64 *string `json:"data_base64"`
	} `json:"events"`
	Position string `json:"position"`
	End      bool   `json:"end"`
}

// payloads returns the page's payloads as text.
func (p *pageJSON) payloads(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, ev := range p.Events {
		switch {
		case ev.Data != nil && ev.DataBase64 == nil:
			out = append(out, *ev.Data)
		case ev.DataBase64 != nil && ev.Data == nil:
			b, err := base64.StdEncoding.DecodeString(*ev.DataBase64)
			if err != nil {
				t.Fatalf("data_base64 %q: %v", *ev.DataBase64, err)
			}
			out = append(out, string(b))
		default:
			t.Fatalf("event %s has not exactly one of data and data_base64", ev.Pointer)
		}
	}
	return out
}

// page reads one page of events.
func (e *env) page(path string) pageJSON {
	e.t.Helper()
	var p pageJSON
	status, body := e.doJSON("GET", path, nil, &p)
	if status != http.StatusOK {
		e.t.Fatalf("GET %s: %d %s", path, status, body)
	}
	return p
}

// segmentIDs returns the ids of the stream's current segments.
func (e *env) segmentIDs(stream string) []uint64 {
	e.t.Helper()
	info, err := e.client.GetStream(context.Background(), stream)
	if err != nil {
		e.t.Fatal(err)
	}
	var ids []uint64
	for _, s := range info.Epochs[len(info.Epochs)-1].Segments {
		ids = append(ids, s.ID)
	}
	return ids
}

// scaledStream creates stream with 2 segments, writes events [0, n/2),
// splits the first segment in 3 and writes [n/2, n): keys cross a scale.
func (e *env) scaledStream(stream string, n, keys int) {
	e.t.Helper()
	e.stream(stream, 2)
	e.writeEvents(stream, 0, n/2, keys)
	if _, err := e.client.SplitSegment(context.Background(), stream, e.segmentIDs(stream)[0], 3); err != nil {
		e.t.Fatalf("split: %v", err)
	}
	e.writeEvents(stream, n/2, n-n/2, keys)
}

func TestReadEventsPages(t *testing.T) {
	e := newEnv(t, server.Config{})
	const n, keys = 300, 10
	e.scaledStream("s/pages", n, keys)
	var got []string
	from := "head"
	for pages := 0; ; pages++ {
		if pages > n {
			t.Fatalf("no end after %d pages", pages)
		}
		p := e.page("/v1/streams/s/pages/events?limit=7&from=" + url.QueryEscape(from))
		if len(p.Events) > 7 {
			t.Fatalf("page of %d events, limit 7", len(p.Events))
		}
		if p.End {
			t.Fatal("end: true without to=")
		}
		if p.Position == "" {
			t.Fatal("page without a position")
		}
		if len(p.Events) > 0 && p.Events[len(p.Events)-1].Position != p.Position {
			t.Fatalf("page position %s is not its last event's %s", p.Position, p.Events[len(p.Events)-1].Position)
		}
		got = append(got, p.payloads(t)...)
		from = p.Position
		if len(p.Events) == 0 {
			break
		}
	}
	checkEvents(t, got, n)

	// Later events continue from the last position; a page without
	// limit= holds up to 100.
	e.writeEvents("s/pages", n, 150, keys)
	p := e.page("/v1/streams/s/pages/events?from=" + url.QueryEscape(from))
	if len(p.Events) != 100 {
		t.Fatalf("default page holds %d events, want 100", len(p.Events))
	}
	got = append(got, p.payloads(t)...)
	p = e.page("/v1/streams/s/pages/events?limit=10000&from=" + url.QueryEscape(p.Position))
	got = append(got, p.payloads(t)...)
	checkEvents(t, got, n+150)
}

func TestReadEventsTo(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("s/to", 2)
	e.writeEvents("s/to", 0, 20, 4)
	mid := e.page("/v1/streams/s/to/events?limit=8")
	e.writeEvents("s/to", 20, 20, 4)

	// from head to the cut after the first page: the same 8 events,
	// then the end.
	p := e.page("/v1/streams/s/to/events?to=" + url.QueryEscape(mid.Position))
	if len(p.Events) != 8 || !p.End || p.Position != mid.Position {
		t.Fatalf("head to %s: %d events, end %v, position %s; want 8, true, the cut", mid.Position, len(p.Events), p.End, p.Position)
	}
	// to=tail: the rest and the end.
	p = e.page("/v1/streams/s/to/events?to=tail&from=" + url.QueryEscape(mid.Position))
	if len(p.Events) != 32 || !p.End {
		t.Fatalf("from the cut to the tail: %d events, end %v; want 32, true", len(p.Events), p.End)
	}
	// A limited page before the end says end: false.
	p = e.page("/v1/streams/s/to/events?to=tail&limit=5")
	if len(p.Events) != 5 || p.End {
		t.Fatalf("limited page to the tail: %d events, end %v; want 5, false", len(p.Events), p.End)
	}
	// From the tail: nothing, and the position is the tail.
	p = e.page("/v1/streams/s/to/events?from=tail")
	tail, err := e.client.TailCut(context.Background(), "s/to")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Events) != 0 || p.Position != tail.String() {
		t.Fatalf("from=tail: %d events at %s, want none at the tail %s", len(p.Events), p.Position, tail)
	}
}

func TestReadEventsLongPoll(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("s/poll", 2)
	start := e.page("/v1/streams/s/poll/events?from=tail")

	// Nothing comes: the wait passes, and the page is empty.
	t0 := time.Now()
	p := e.page("/v1/streams/s/poll/events?wait=300ms&from=" + url.QueryEscape(start.Position))
	if len(p.Events) != 0 || p.Position != start.Position {
		t.Fatalf("empty long poll: %d events at %s", len(p.Events), p.Position)
	}
	if d := time.Since(t0); d < 300*time.Millisecond {
		t.Fatalf("empty long poll returned after %v, before its wait", d)
	}

	// An event appended during the wait ends it. (The timer only makes
	// it likely that the request waits first; the test holds either
	// way.)
	const wait = 30 * time.Second
	written := make(chan error, 1)
	time.AfterFunc(200*time.Millisecond, func() {
		written <- writeEventsErr(context.Background(), e.client, "s/poll", 0, 1, 1)
	})
	t0 = time.Now()
	p = e.page("/v1/streams/s/poll/events?wait=30s&from=" + url.QueryEscape(start.Position))
	if d := time.Since(t0); d >= wait {
		t.Fatalf("long poll took %v, the whole wait", d)
	}
	if err := <-written; err != nil {
		t.Fatal(err)
	}
	checkEvents(t, p.payloads(t), 1)
	// Its position goes on after it.
	e.writeEvents("s/poll", 1, 1, 1)
	p = e.page("/v1/streams/s/poll/events?wait=30s&from=" + url.QueryEscape(p.Position))
	if got := p.payloads(t); len(got) != 1 || got[0] != "k0:000001" {
		t.Fatalf("after the long poll: %q, want [k0:000001]", got)
	}
}

func TestReadEventsFromPointer(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("s/ptr", 3)
	ptrs := e.writeEvents("s/ptr", 0, 60, 6)
	p0 := ptrs[10]
	// The events of p0's segment from it on, and no others.
	var want []string
	for i, p := range ptrs {
		if p.SegmentID == p0.SegmentID && p.Offset >= p0.Offset {
			want = append(want, fmt.Sprintf("k%d:%06d", i%6, i))
		}
	}
	p := e.page("/v1/streams/s/ptr/events?from=" + p0.String())
	got := p.payloads(t)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("from pointer %s: %q, want %q", p0, got, want)
	}
	if p.Events[0].Pointer != p0.String() {
		t.Fatalf("first event %s, want the pointer's %s", p.Events[0].Pointer, p0)
	}
	// After a scale sealed the pointer's segment, the same events: the
	// read stays in the segment.
	if _, err := e.client.SplitSegment(context.Background(), "s/ptr", p0.SegmentID, 2); err != nil {
		t.Fatal(err)
	}
	e.writeEvents("s/ptr", 60, 30, 6)
	for _, wait := range []string{"", "&wait=1s"} {
		p = e.page("/v1/streams/s/ptr/events?from=" + p0.String() + wait)
		if got := p.payloads(t); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("from pointer %s after a split%s: %q, want %q", p0, wait, got, want)
		}
	}
	// The qualified form works too.
	p = e.page("/v1/streams/s/ptr/events?limit=1&from=" + url.QueryEscape(p0.Qualified()))
	if len(p.Events) != 1 || p.Events[0].Pointer != p0.String() {
		t.Fatalf("from qualified pointer: %+v", p.Events)
	}
}

func TestReadEventsPageBytes(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("s/big", 1)
	ctx := context.Background()
	w, err := e.client.NewWriter(ctx, "s/big")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		w.Write(ctx, "k", []byte(strings.Repeat(string(rune('a'+i)), 1<<20)))
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	// 1 MiB events: a page stops at about 4 MiB.
	p := e.page("/v1/streams/s/big/events")
	if len(p.Events) != 4 {
		t.Fatalf("page of %d 1 MiB events, want 4 (4 MiB)", len(p.Events))
	}
	n := len(p.Events)
	for len(p.Events) > 0 {
		p = e.page("/v1/streams/s/big/events?from=" + url.QueryEscape(p.Position))
		n += len(p.Events)
	}
	if n != 10 {
		t.Fatalf("%d events in all, want 10", n)
	}
}

func TestReadEventsEncoding(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("s/enc", 1)
	ctx := context.Background()
	w, err := e.client.NewWriter(ctx, "s/enc")
	if err != nil {
		t.Fatal(err)
	}
	payloads := [][]byte{[]byte("héllo"), {0xff, 0x00, 0xfe}, {}}
	for _, b := range payloads {
		if _, err := w.Write(ctx, "k", b).Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	w.Close(ctx)
	p := e.page("/v1/streams/s/enc/events")
	if len(p.Events) != 3 {
		t.Fatalf("%d events, want 3", len(p.Events))
	}
	if ev := p.Events[0]; ev.Data == nil || *ev.Data != "héllo" || ev.DataBase64 != nil {
		t.Errorf("UTF-8 event: %+v", ev)
	}
	if ev := p.Events[1]; ev.DataBase64 == nil || *ev.DataBase64 != "/wD+" || ev.Data != nil {
		t.Errorf("binary event: %+v", ev)
	}
	if ev := p.Events[2]; ev.Data == nil || *ev.Data != "" {
		t.Errorf("empty event: %+v", ev)
	}
	p = e.page("/v1/streams/s/enc/events?encoding=base64")
	got := p.payloads(t)
	for i, ev := range p.Events {
		if ev.DataBase64 == nil || got[i] != string(payloads[i]) {
			t.Errorf("encoding=base64, event %d: %+v", i, ev)
		}
	}
}

func TestReadEventsErrors(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("s/err", 1)
	e.writeEvents("s/err", 0, 3, 1)
	for _, c := range []struct {
		query string
		param string // the message names it
	}{
		{"from=nowhere", "from"},
		{"from=v1.%21%21", "from"},
		{"from=0000000000000000-0000000000000000", "from"},
		{"to=head", "to"},
		{"to=0000000000000000-0000000000000000-00000010", "to"},
		{"to=v1.xyz", "to"},
		{"limit=0", "limit"},
		{"limit=ten", "limit"},
		{"limit=10001", "limit"},
		{"limit=-3", "limit"},
		{"wait=soon", "wait"},
		{"wait=5", "wait"},
		{"wait=-1s", "wait"},
		{"wait=61s", "wait"},
		{"encoding=hex", "encoding"},
	} {
		status, body := e.doJSON("GET", "/v1/streams/s/err/events?"+c.query, nil, nil)
		if status != http.StatusBadRequest {
			t.Errorf("%s: status %d %s, want 400", c.query, status, body)
			continue
		}
		code, msg := apiErr(t, body)
		if code != "INVALID_ARGUMENT" || !strings.Contains(msg, c.param+"=") {
			t.Errorf("%s: %s %q, want INVALID_ARGUMENT naming %s", c.query, code, msg, c.param)
		}
	}
	// The maximum wait is named.
	_, body := e.doJSON("GET", "/v1/streams/s/err/events?wait=2m", nil, nil)
	if _, msg := apiErr(t, body); !strings.Contains(msg, "1m0s") {
		t.Errorf("wait above the maximum: %q does not name it", msg)
	}

	cut := url.QueryEscape(e.page("/v1/streams/s/err/events").Position)
	for _, path := range []string{
		"/v1/streams/s/missing/events",
		"/v1/streams/s/missing/events?to=" + cut,
		"/v1/streams/s/missing/events?from=" + cut + "&to=" + cut,
		"/v1/streams/s/missing/events?wait=1s",
		"/v1/streams/nope/missing/events?from=tail",
		"/v1/streams/s/missing/events/stream",
		"/v1/streams/s/missing/events/stream?from=" + cut,
		"/v1/streams/s/missing/blob?to=" + cut,
		"/v1/streams/s/missing/blob",
	} {
		status, body := e.doJSON("GET", path, nil, nil)
		if code, _ := apiErr(t, body); status != http.StatusNotFound || code != "NOT_FOUND" {
			t.Errorf("%s: %d %s, want 404 NOT_FOUND", path, status, body)
		}
	}
}

// TestReadEventsStop checks that a long poll ends when the server shuts
// down, well before its wait.
func TestReadEventsStop(t *testing.T) {
	srv := servertest.Start(t, server.Config{})
	var once sync.Once
	stop := func() { once.Do(func() { srv.Stop(t) }) }
	t.Cleanup(stop)
	e := &env{t: t, srv: srv, base: "http://" + srv.HTTPAddr()}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := braid.Dial(ctx, srv.GRPCAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	e.client = c
	e.stream("s/stop", 1)
	tail := e.page("/v1/streams/s/stop/events?from=tail").Position

	done := make(chan error, 1)
	go func() {
		resp, err := http.Get(e.base + "/v1/streams/s/stop/events?wait=60s&from=" + url.QueryEscape(tail))
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	// The request may reach the server before or after the shutdown
	// starts: either way it must end soon.
	t0 := time.Now()
	stop()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("long poll still running 20 s after the server stopped")
	}
	if d := time.Since(t0); d > 10*time.Second {
		t.Fatalf("shutdown with a long poll took %v", d)
	}
}

// TestReadFromLast: from=-N reads the last N events of each segment, on
// the page read; a bad N is a 400 naming the bounds.
func TestReadFromLast(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("last/s", 1)
	e.writeEvents("last/s", 0, 10, 1)
	var page struct {
		Events []struct {
			Data string `json:"data"`
		} `json:"events"`
	}
	if st, b := e.doJSON("GET", "/v1/streams/last/s/events?from=-3", nil, &page); st != 200 {
		t.Fatalf("from=-3: %d %s", st, b)
	}
	if len(page.Events) != 3 || page.Events[0].Data != "k0:000007" || page.Events[2].Data != "k0:000009" {
		t.Fatalf("from=-3: %+v", page.Events)
	}
	for _, bad := range []string{"-0", "-x", "-100001"} {
		st, _, b := e.do("GET", "/v1/streams/last/s/events?from="+bad, "", nil)
		if st != 400 || !strings.Contains(string(b), "the last N events") {
			t.Fatalf("from=%s: %d %s", bad, st, b)
		}
	}
}
