package httpapi_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/server"
)

// sseMessage is one Server-Sent Events message.
type sseMessage struct {
	event string // "" for a plain event
	id    string
	hasID bool
	data  string
}

// addField adds a field line ("name: value") to m; false for a field
// other than id, event and data. Data lines join with "\n".
func (m *sseMessage) addField(line string) bool {
	name, value, _ := strings.Cut(line, ":")
	value = strings.TrimPrefix(value, " ")
	switch name {
	case "id":
		m.id, m.hasID = value, true
	case "event":
		m.event = value
	case "data":
		if m.data != "" {
			m.data += "\n"
		}
		m.data += value
	default:
		return false
	}
	return true
}

// sseConn is an open event stream.
type sseConn struct {
	t    *testing.T
	resp *http.Response
	br   *bufio.Reader
}

// openSSE opens an event stream; header is an optional Last-Event-ID.
func (e *env) openSSE(ctx context.Context, path, lastID string) *sseConn {
	e.t.Helper()
	req, err := http.NewRequestWithContext(ctx, "GET", e.base+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Accept", "text/event-stream")
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("GET %s: %v", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		e.t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		e.t.Fatalf("GET %s: Content-Type %q", path, ct)
	}
	return &sseConn{t: e.t, resp: resp, br: bufio.NewReader(resp.Body)}
}

// next reads the next message, skipping comments; io.EOF at the end.
func (c *sseConn) next() (sseMessage, error) {
	var m sseMessage
	fields := 0
	for {
		line, err := c.br.ReadString('\n')
		if err != nil {
			return m, err
		}
		line = strings.TrimSuffix(line, "\n")
		switch {
		case line == "":
			if fields > 0 {
				return m, nil
			}
		case strings.HasPrefix(line, ":"):
			// a comment
		default:
			if m.data != "" && strings.HasPrefix(line, "data:") {
				c.t.Fatalf("event with more than one data line: %q, %q", m.data, line)
			}
			if !m.addField(line) {
				c.t.Fatalf("unexpected SSE field %q", line)
			}
			fields++
		}
	}
}

func (c *sseConn) close() { c.resp.Body.Close() }

// ssePayload decodes a plain event's data.
func ssePayload(t *testing.T, m sseMessage) string {
	t.Helper()
	var ev struct {
		Pointer string  `json:"pointer"`
		Data    *string `json:"data"`
	}
	if err := json.Unmarshal([]byte(m.data), &ev); err != nil || ev.Data == nil || ev.Pointer == "" {
		t.Fatalf("event data %q is not {pointer, data}: %v", m.data, err)
	}
	if _, err := braid.ParseStreamCut(m.id); err != nil {
		t.Fatalf("event id %q is not a stream cut: %v", m.id, err)
	}
	return *ev.Data
}

// writeEventsErr is writeEvents for goroutines other than the test's.
func writeEventsErr(ctx context.Context, c *braid.Client, stream string, from, n, keys int) error {
	w, err := c.NewWriter(ctx, stream)
	if err != nil {
		return err
	}
	for i := from; i < from+n; i++ {
		key := fmt.Sprintf("k%d", i%keys)
		w.Write(ctx, key, []byte(fmt.Sprintf("%s:%06d", key, i)))
	}
	return w.Close(ctx)
}

// TestSSEResume reads 1000 events as Server-Sent Events, drops the
// connection after about 300 of them (with more on the way), reconnects
// with Last-Event-ID while 200 more are written, and checks that every
// event came exactly once, each key's in order, across a scale.
func TestSSEResume(t *testing.T) {
	e := newEnv(t, server.Config{})
	const n, more, keys = 1000, 200, 10
	e.scaledStream("s/sse", n, keys)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	c := e.openSSE(ctx, "/v1/streams/s/sse/events/stream", "")
	m, err := c.next()
	if err != nil || !m.hasID || m.data != "" {
		t.Fatalf("first message %+v, %v: want a bare id (the start)", m, err)
	}
	var got []string
	lastID := m.id
	for len(got) < 300 {
		m, err := c.next()
		if err != nil {
			t.Fatalf("after %d events: %v", len(got), err)
		}
		if m.event != "" {
			t.Fatalf("unexpected %q event: %s", m.event, m.data)
		}
		got = append(got, ssePayload(t, m))
		lastID = m.id
	}
	c.close() // mid-stream: the server has sent more

	writeErr := make(chan error, 1)
	go func() { writeErr <- writeEventsErr(ctx, e.client, "s/sse", n, more, keys) }()
	c = e.openSSE(ctx, "/v1/streams/s/sse/events/stream?from=tail", lastID) // Last-Event-ID wins
	defer c.close()
	if m, err := c.next(); err != nil || m.id != lastID || m.data != "" {
		t.Fatalf("resumed stream opens with %+v, %v; want the bare id %s", m, err, lastID)
	}
	for len(got) < n+more {
		m, err := c.next()
		if err != nil {
			t.Fatalf("after %d events: %v", len(got), err)
		}
		got = append(got, ssePayload(t, m))
	}
	if err := <-writeErr; err != nil {
		t.Fatal(err)
	}
	checkEvents(t, got, n+more)
}

// TestSSEResumeBeforeEvents checks that a client that reconnects with the
// opening id, before any event came, misses nothing written meanwhile.
func TestSSEResumeBeforeEvents(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("s/early", 2)
	e.writeEvents("s/early", 0, 5, 3) // before the tail: not read
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := e.openSSE(ctx, "/v1/streams/s/early/events/stream?from=tail", "")
	m, err := c.next()
	c.close()
	if err != nil || !m.hasID {
		t.Fatalf("first message %+v, %v", m, err)
	}
	e.writeEvents("s/early", 5, 10, 3)
	// The query parameter form of the last event id.
	c = e.openSSE(ctx, "/v1/streams/s/early/events/stream?last_event_id="+url.QueryEscape(m.id), "")
	defer c.close()
	c.next() // the opening id
	var got []string
	for len(got) < 10 {
		m, err := c.next()
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ssePayload(t, m))
	}
	want := map[string]bool{}
	for i := 5; i < 15; i++ {
		want[fmt.Sprintf("k%d:%06d", i%3, i)] = true
	}
	for _, p := range got {
		if !want[p] {
			t.Fatalf("unexpected event %q", p)
		}
		delete(want, p)
	}
}

// TestSSEEnd checks to=: the events up to the cut, then an end event with
// the final position, then the end of the response.
func TestSSEEnd(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("s/end", 2)
	e.writeEvents("s/end", 0, 30, 4)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	mid := e.page("/v1/streams/s/end/events?limit=12")
	e.writeEvents("s/end", 30, 10, 4)

	c := e.openSSE(ctx, "/v1/streams/s/end/events/stream?encoding=base64&to="+url.QueryEscape(mid.Position), "")
	defer c.close()
	events := 0
	for {
		m, err := c.next()
		if err != nil {
			t.Fatalf("after %d events: %v", events, err)
		}
		if !m.hasID {
			t.Fatalf("message without an id: %+v", m)
		}
		if m.event == "end" {
			var end struct{ Position string }
			if err := json.Unmarshal([]byte(m.data), &end); err != nil || end.Position != mid.Position || m.id != mid.Position {
				t.Fatalf("end event %+v: want position %s", m, mid.Position)
			}
			break
		}
		if m.data == "" {
			continue // the opening id
		}
		if !strings.Contains(m.data, `"data_base64"`) {
			t.Fatalf("encoding=base64: %s", m.data)
		}
		events++
	}
	if events != 12 {
		t.Fatalf("%d events before the end, want 12", events)
	}
	if m, err := c.next(); err != io.EOF {
		t.Fatalf("after the end event: %+v, %v; want the response's end", m, err)
	}

	// A sealed stream read to its end ends the same way.
	if err := e.client.SealStream(ctx, "s/end"); err != nil {
		t.Fatal(err)
	}
	c2 := e.openSSE(ctx, "/v1/streams/s/end/events/stream?from="+url.QueryEscape(mid.Position), "")
	defer c2.close()
	events = 0
	for {
		m, err := c2.next()
		if err != nil {
			t.Fatalf("sealed stream, after %d events: %v", events, err)
		}
		if m.event == "end" {
			break
		}
		if m.data != "" {
			events++
		}
	}
	if events != 28 {
		t.Fatalf("sealed stream: %d events after the cut, want 28", events)
	}
}

func TestSSEErrors(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("s/bad", 1)
	for _, c := range []struct {
		query, header, param string
	}{
		{"from=later", "", "from="},
		{"to=head", "", "to="},
		{"encoding=utf16", "", "encoding="},
		{"last_event_id=0000000000000000-0000000000000000-00000010", "", "last_event_id="},
		{"", "v1.!", "Last-Event-ID header="},
	} {
		var h []string
		if c.header != "" {
			h = []string{"Last-Event-ID", c.header}
		}
		status, _, body := e.do("GET", "/v1/streams/s/bad/events/stream?"+c.query, "", nil, h...)
		if status != http.StatusBadRequest {
			t.Errorf("%s %s: %d %s, want 400", c.query, c.header, status, body)
			continue
		}
		if code, msg := apiErr(t, body); code != "INVALID_ARGUMENT" || !strings.Contains(msg, c.param) {
			t.Errorf("%s %s: %s %q does not name %s", c.query, c.header, code, msg, c.param)
		}
	}
}
