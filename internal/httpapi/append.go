package httpapi

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/braidstream/braid/internal/auth"
	"github.com/braidstream/braid/wire"
)

// Headers of idempotent appends and raw events.
const (
	hdrWriterID    = "Braid-Writer-Id"
	hdrEventNumber = "Braid-Event-Number"
	hdrRoutingKey  = "Braid-Routing-Key"
	hdrTime        = "Braid-Time"
)

var idempotencyParams = []param{
	headerParam(hdrWriterID, "string", "with "+hdrEventNumber+": makes the request idempotent. A writer id (1 to 256 bytes) names one producer; its event numbers increase across its requests"),
	headerParam(hdrEventNumber, "integer", "the number of the request's first event; event i of the request has number N+i. A writer's first request starts at 1 and each next one right after the last number of the one before (a request that skips ahead is refused with EVENT_NUMBER_GAP). Events a retry sends again that the store already holds are answered as duplicates, not stored twice"),
	headerParam(hdrTime, "string", "with "+hdrWriterID+": once the request's events are durable, the writer notes this time (RFC 3339, or Unix milliseconds): it will write nothing older after them. The stream's watermark is the least time over its writers; an HTTP writer holds it until it notes again or the stream's timestamp aggregation timeout passes. A time before the writer's last is refused (400)"),
}

// noteTime reads the time header: zero when absent.
func noteTime(r *http.Request, writer string) (time.Time, error) {
	v := r.Header.Get(hdrTime)
	if v == "" {
		return time.Time{}, nil
	}
	if writer == "" {
		return time.Time{}, badRequest("%s needs %s and %s: a watermark is over named writers", hdrTime, hdrWriterID, hdrEventNumber)
	}
	if ms, err := strconv.ParseInt(v, 10, 64); err == nil {
		if ms <= 0 || ms > math.MaxInt64/int64(time.Millisecond) {
			return time.Time{}, badRequest("%s %d is not Unix milliseconds from 1970 to 2262", hdrTime, ms)
		}
		return time.UnixMilli(ms), nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil || t.UnixNano() <= 0 {
		return time.Time{}, badRequest("%s %q is not an RFC 3339 time after 1970 (2026-12-03T10:00:00Z) or Unix milliseconds", hdrTime, v)
	}
	return t, nil
}

// appendRoutes are event appends and file uploads.
func (a *API) appendRoutes() []route {
	return []route{{
		Method: "POST", Path: "/v1/streams/{scope}/{stream}/events", Tag: "data",
		Summary: "Append events: one JSON event or a JSON array of them, NDJSON (one event per line), or a raw body (one event)",
		Params: append(append([]param{}, streamParams...), append([]param{
			queryParam("key", "string", "routing key of a raw event (or the "+hdrRoutingKey+" header); JSON events carry their own \"key\""),
			headerParam(hdrRoutingKey, "string", "routing key of a raw event"),
			queryParam("answer", "string", "events (default): each event's pointer, for at most the server's limit of events (10000 by default; more: 413 REQUEST_TOO_LARGE, nothing stored); summary: counts and, per segment, the number of events and the first and last pointer, for any number of events"),
		}, idempotencyParams...)...),
		Request: &body{Required: true,
			Desc:    `application/json: {"key": "k", "data": "text"} (or "data_base64", or "json": any JSON value, stored as its JSON text), or an array of those; application/x-ndjson: one such object per line; application/octet-stream or text/*: the body is one event`,
			Content: []string{"application/json", "application/x-ndjson", "application/octet-stream", "text/plain"}},
		Responses: map[string]response{"201": {Desc: `the events are durable: {"pointer", "duplicate"} for one JSON or raw event; {"count", "duplicates", "events": [{"pointer", "duplicate"}]} for an array or NDJSON; with answer=summary {"count", "duplicates", "segments": [{"segment", "events", "first", "last"}]}`, Content: []string{"application/json"}}},
		Access:    needs(auth.PermWrite),
		Handler:   a.appendEvents,
	}, {
		Method: "PUT", Path: "/v1/streams/{scope}/{stream}/file", Tag: "data",
		Summary: "Upload a file into a stream: the body is streamed and split into events, all with one routing key so the file keeps its order",
		Params: append(append([]param{}, streamParams...), append([]param{
			queryParam("split", "string", "lines (default: each line with its newline is an event), bytes:N (chunks of N bytes), length-prefixed (4-byte big-endian length, then the event), or whole (the body is one event)"),
			queryParam("key", "string", "routing key of every event (default: one chosen per upload, or derived from the writer id)"),
		}, idempotencyParams...)...),
		Request:   &body{Required: true, Desc: "the file's bytes, of any type", Content: []string{"application/octet-stream"}},
		Responses: jsonOK(`{"events", "bytes", "duplicates", "first", "last"}: counts and the first and last event's pointers`),
		Access:    needs(auth.PermWrite),
		Handler:   a.uploadFile,
	}}
}

// idempotency reads the writer id and first event number headers.
func idempotency(r *http.Request) (writer string, first int64, err error) {
	writer = r.Header.Get(hdrWriterID)
	num := r.Header.Get(hdrEventNumber)
	switch {
	case writer == "" && num == "":
		return "", 0, nil
	case writer == "":
		return "", 0, badRequest("%s needs %s", hdrEventNumber, hdrWriterID)
	case num == "":
		return "", 0, badRequest("%s needs %s: the number of the request's first event", hdrWriterID, hdrEventNumber)
	case len(writer) > 256 || !utf8.ValidString(writer):
		return "", 0, badRequest("%s must be 1 to 256 bytes of UTF-8", hdrWriterID)
	}
	first, perr := strconv.ParseInt(num, 10, 64)
	if perr != nil || first < 1 || first > 1<<60 {
		return "", 0, badRequest("%s %q is not a number from 1 to 2^60", hdrEventNumber, num)
	}
	return writer, first, nil
}

// openSession starts appending to the request's stream, within ctx.
func (a *API) openSession(ctx context.Context, r *http.Request, onAck func(int64, appendResult)) (*session, error) {
	scope, err := nameParam(r, "scope")
	if err != nil {
		return nil, err
	}
	stream, err := nameParam(r, "stream")
	if err != nil {
		return nil, err
	}
	writer, first, err := idempotency(r)
	if err != nil {
		return nil, err
	}
	at, err := noteTime(r, writer)
	if err != nil {
		return nil, err
	}
	return a.ingest.open(ctx, sessionConfig{Scope: scope, Stream: stream, Writer: writer,
		FirstEvent: first, MaxEvent: a.limits.MaxEventBytes, OnAck: onAck, Time: at})
}

// jsonEvent is an event in a JSON or NDJSON append. Key and Data are
// kept raw, to refuse what decoding them into strings would silently
// replace with U+FFFD (see jsonString).
type jsonEvent struct {
	Key        json.RawMessage `json:"key"`
	Data       json.RawMessage `json:"data"`
	DataBase64 *string         `json:"data_base64"`
	JSON       json.RawMessage `json:"json"`
}

// given reports whether a raw field was in the event, and not null.
func given(raw json.RawMessage) bool { return raw != nil && string(raw) != "null" }

// payload returns the event's bytes; where names it in errors.
func (e *jsonEvent) payload(where string) ([]byte, error) {
	n := 0
	var p []byte
	if given(e.Data) {
		n++
		s, err := jsonString(e.Data)
		if err != nil {
			return nil, badRequest(`%s: "data" %v; send bytes that are not UTF-8 text as "data_base64" (standard base64), or as a raw body (application/octet-stream)`, where, err)
		}
		p = []byte(s)
	}
	if e.DataBase64 != nil {
		n++
		var err error
		if p, err = base64.StdEncoding.DecodeString(*e.DataBase64); err != nil {
			return nil, badRequest("%s: data_base64 is not standard base64: %v", where, err)
		}
	}
	if given(e.JSON) {
		n++
		var buf bytes.Buffer
		if err := json.Compact(&buf, e.JSON); err != nil {
			return nil, badRequest("%s: json: %v", where, err)
		}
		if i := invalidUTF8(buf.Bytes()); i >= 0 {
			return nil, badRequest(`%s: "json" is not valid UTF-8 (at byte %d of its compact text)`, where, i)
		}
		p = buf.Bytes()
	}
	if n != 1 {
		return nil, badRequest(`%s must have exactly one of "data", "data_base64" and "json"`, where)
	}
	return p, nil
}

// key returns the event's routing key, if it has one.
func (e *jsonEvent) key(where string) (key string, ok bool, err error) {
	if !given(e.Key) {
		return "", false, nil
	}
	if key, err = jsonString(e.Key); err != nil {
		return "", false, badRequest(`%s: "key" %v`, where, err)
	}
	return key, true, nil
}

// jsonString decodes a JSON string literal that the decoder has checked
// for syntax. It refuses what encoding/json would replace with U+FFFD
// without a word: bytes that are not UTF-8, and \u escapes of a lone
// UTF-16 surrogate. The error completes a sentence naming the field.
func jsonString(raw json.RawMessage) (string, error) {
	if len(raw) < 2 || raw[0] != '"' {
		return "", errors.New("is not a JSON string")
	}
	body := raw[1 : len(raw)-1]
	if i := invalidUTF8(body); i >= 0 {
		return "", fmt.Errorf("is not valid UTF-8 (at byte %d of the string)", i)
	}
	if bytes.IndexByte(body, '\\') < 0 {
		return string(body), nil
	}
	for i := 0; i < len(body); i++ {
		if body[i] != '\\' {
			continue
		}
		if body[i+1] != 'u' {
			i++
			continue
		}
		r, _ := strconv.ParseUint(string(body[i+2:i+6]), 16, 32)
		i += 5
		switch {
		case r >= 0xDC00 && r < 0xE000:
			return "", fmt.Errorf("holds a lone UTF-16 surrogate escape \\u%04x", r)
		case r >= 0xD800 && r < 0xDC00:
			var lo uint64
			if i+6 < len(body) && body[i+1] == '\\' && body[i+2] == 'u' {
				lo, _ = strconv.ParseUint(string(body[i+3:i+7]), 16, 32)
			}
			if lo < 0xDC00 || lo >= 0xE000 {
				return "", fmt.Errorf("holds a lone UTF-16 surrogate escape \\u%04x", r)
			}
			i += 6
		}
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("is not a JSON string: %v", err)
	}
	return s, nil
}

// invalidUTF8 is the index of the first byte of b that is not part of a
// valid UTF-8 sequence, or -1.
func invalidUTF8(b []byte) int {
	if utf8.Valid(b) {
		return -1
	}
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

// eventResult is one event's outcome in an append's answer.
type eventResult struct {
	Pointer   *string `json:"pointer"`
	Duplicate bool    `json:"duplicate,omitempty"`
}

func resultJSON(r appendResult) eventResult {
	er := eventResult{Duplicate: r.Duplicate}
	if r.Pointer.Length > 0 {
		s := r.Pointer.String()
		er.Pointer = &s
	}
	return er
}

// Forms of an append's answer (answer=).
const (
	answerEvents  = "events"  // each event's pointer, for at most MaxAnswerEvents events
	answerSummary = "summary" // counts and a range per segment, whatever the count
)

// appendSummary is the answer=summary answer: counts, and for each
// segment the request stored events in, their number and the first and
// last of them. Its size does not grow with the events.
type appendSummary struct {
	Count      int64            `json:"count"`
	Duplicates int64            `json:"duplicates"`
	Segments   []segmentSummary `json:"segments"`
}

// segmentSummary is one segment's part of an appendSummary.
type segmentSummary struct {
	Segment uint64 `json:"segment"`
	// Events is how many of the request's events (with a pointer) the
	// segment holds; First and Last are the lowest and highest of their
	// pointers. Other requests' events may lie between them.
	Events int64  `json:"events"`
	First  string `json:"first"`
	Last   string `json:"last"`

	first, last wire.EventPointer
}

// summarize adds one event's outcome.
func (s *appendSummary) summarize(r appendResult) {
	if r.Duplicate {
		s.Duplicates++
	}
	if r.Pointer.Length == 0 {
		return
	}
	i := slices.IndexFunc(s.Segments, func(g segmentSummary) bool { return g.Segment == r.Pointer.SegmentID })
	if i < 0 {
		s.Segments = append(s.Segments, segmentSummary{Segment: r.Pointer.SegmentID, first: r.Pointer, last: r.Pointer})
		i = len(s.Segments) - 1
	}
	g := &s.Segments[i]
	g.Events++
	if r.Pointer.Offset < g.first.Offset {
		g.first = r.Pointer
	}
	if r.Pointer.Offset > g.last.Offset {
		g.last = r.Pointer
	}
}

// finish orders the segments and writes their pointers' texts.
func (s *appendSummary) finish() {
	slices.SortFunc(s.Segments, func(a, b segmentSummary) int { return cmp.Compare(a.Segment, b.Segment) })
	for i := range s.Segments {
		g := &s.Segments[i]
		g.First, g.Last = g.first.String(), g.last.String()
	}
	if s.Segments == nil {
		s.Segments = []segmentSummary{}
	}
}

// heldEvent is an event parsed and not yet added (answer=events).
type heldEvent struct {
	hasKey  bool
	key     string
	payload []byte
}

// appendEvents serves POST .../events.
//
// Memory does not grow with the events of a request beyond what the
// answer needs: with answer=summary the events go to the store as they
// are parsed and the answer is counters; with answer=events (the
// default) the events, at most MaxAnswerEvents, are held until the body
// ends, so that a body with more is refused before any is stored, and
// their outcomes are kept for the answer.
func (a *API) appendEvents(w http.ResponseWriter, r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	mt := "application/octet-stream"
	if ct != "" {
		var err error
		if mt, _, err = mime.ParseMediaType(ct); err != nil {
			return errorf(codeUnsupportedMedia, "Content-Type %q does not parse: %v", ct, err)
		}
	}
	var parse func(body io.Reader, add addFunc) error
	single := false
	switch {
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		parse = func(body io.Reader, add addFunc) error { return a.addJSON(body, add, &single) }
	case mt == "application/x-ndjson" || mt == "application/jsonl" || mt == "application/x-jsonlines":
		parse = a.addNDJSON
	case mt == "application/octet-stream" || strings.HasPrefix(mt, "text/"):
		single = true
		parse = func(body io.Reader, add addFunc) error { return a.addRaw(r, body, add) }
	default:
		return errorf(codeUnsupportedMedia, "Content-Type %s is not an append format: send application/json, application/x-ndjson, or application/octet-stream (or text/*) for one raw event", mt)
	}
	answer, err := enumParam(r.URL.Query(), "answer", answerEvents, answerSummary)
	if err != nil {
		return err
	}
	ctx, cancel := a.requestCtx(r.Context())
	defer cancel()
	var (
		mu      sync.Mutex // OnAck calls are serialized; mu orders them with the reads below
		results []appendResult
		summary appendSummary
	)
	s, err := a.openSession(ctx, r, func(i int64, res appendResult) {
		mu.Lock()
		if answer == answerSummary {
			summary.summarize(res)
		} else {
			results[i] = res
		}
		mu.Unlock()
	})
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, a.limits.MaxBodyBytes)
	body, stopBody := a.bodyReader(ctx, w, r)
	defer stopBody()
	var held []heldEvent
	tooMany := false
	err = parse(body, func(hasKey bool, key string, p []byte) error {
		if answer == answerSummary {
			summary.Count++ // only this goroutine writes Count
			return s.Add(hasKey, key, p)
		}
		if len(held) == a.limits.MaxAnswerEvents {
			a.hits.Hit("http-max-events")
			tooMany = true
			return errorf(codeTooLarge, "the request has more than %d events, the most an answer lists one by one: send it with answer=summary (an answer of counts and a range per segment), or in smaller requests; none of its events was stored",
				a.limits.MaxAnswerEvents)
		}
		held = append(held, heldEvent{hasKey: hasKey, key: key, payload: p})
		return nil
	})
	if err == nil && held != nil {
		results = make([]appendResult, len(held))
		for i := range held {
			if err = s.Add(held[i].hasKey, held[i].key, held[i].payload); err != nil {
				break
			}
			held[i] = heldEvent{} // the session copied the payload
		}
	}
	if err != nil {
		s.abort(err)
		if tooMany {
			// Read the rest of the body into nothing (it is bounded by
			// MaxBodyBytes and the idle timeout), so that the client,
			// still sending, reads the 413: an answer before the body
			// ends and a close make most clients see a reset instead.
			io.Copy(io.Discard, body)
		}
		return err
	}
	if err := s.Close(); err != nil {
		return err
	}
	mu.Lock()
	defer mu.Unlock()
	if answer == answerSummary {
		summary.finish()
		writeJSON(w, http.StatusCreated, summary)
		return nil
	}
	if single && len(results) == 1 {
		writeJSON(w, http.StatusCreated, resultJSON(results[0]))
		return nil
	}
	out := struct {
		Count      int           `json:"count"`
		Duplicates int           `json:"duplicates"`
		Events     []eventResult `json:"events"`
	}{Count: len(results), Events: make([]eventResult, len(results))}
	for i, res := range results {
		out.Events[i] = resultJSON(res)
		if res.Duplicate {
			out.Duplicates++
		}
	}
	writeJSON(w, http.StatusCreated, out)
	return nil
}

type addFunc func(hasKey bool, key string, payload []byte) error

// addJSON adds one JSON event or an array of them.
func (a *API) addJSON(body io.Reader, add addFunc, single *bool) error {
	// The first byte says which of the two it is: decode once, into it.
	br := bufio.NewReader(body)
	var first byte
	for {
		c, err := br.ReadByte()
		if err != nil {
			return jsonBodyError(err, "")
		}
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			first = c
			br.UnreadByte()
			break
		}
	}
	dec := json.NewDecoder(br)
	dec.DisallowUnknownFields()
	more := func() error {
		if dec.More() {
			return badRequest("request body holds more than one JSON value (send an array, or NDJSON as application/x-ndjson)")
		}
		return nil
	}
	if first == '[' {
		// One element at a time: a large array is never held whole.
		if _, err := dec.Token(); err != nil {
			return jsonBodyError(err, "an array of events")
		}
		i := 0
		for ; dec.More(); i++ {
			var ev jsonEvent
			if err := dec.Decode(&ev); err != nil {
				return jsonBodyError(err, fmt.Sprintf("an array of events: event %d", i))
			}
			if err := addJSONEvent(&ev, fmt.Sprintf("event %d", i), add); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil { // the closing ]
			return jsonBodyError(err, "an array of events")
		}
		if err := more(); err != nil {
			return err
		}
		if i == 0 {
			return badRequest("the array of events is empty")
		}
		return nil
	}
	var ev jsonEvent
	if err := dec.Decode(&ev); err != nil {
		return jsonBodyError(err, "an event")
	}
	if err := more(); err != nil {
		return err
	}
	*single = true
	return addJSONEvent(&ev, "the event", add)
}

func addJSONEvent(ev *jsonEvent, where string, add addFunc) error {
	key, hasKey, err := ev.key(where)
	if err != nil {
		return err
	}
	p, err := ev.payload(where)
	if err != nil {
		return err
	}
	return add(hasKey, key, p)
}

// jsonBodyError explains a JSON body that does not decode.
// want names what the body should have been ("an event"); "" for any
// JSON.
func jsonBodyError(err error, want string) error {
	var mbe *http.MaxBytesError
	var ae *apiError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &mbe), errors.As(err, &ae), errors.Is(err, os.ErrDeadlineExceeded):
		return err // the body, not its JSON
	case errors.Is(err, io.EOF):
		return badRequest("request body is empty")
	case errors.Is(err, io.ErrUnexpectedEOF), errors.As(err, &se), want == "":
		return badRequest("request body is not valid JSON: %v", err)
	}
	return badRequest("request body is not %s: %v", want, err)
}

// readErr remembers the first error other than io.EOF that its reader
// returned.
type readErr struct {
	r   io.Reader
	err error
}

func (r *readErr) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) && r.err == nil {
		r.err = err
	}
	return n, err
}

// addNDJSON adds one event per non-empty line.
func (a *API) addNDJSON(body io.Reader, add addFunc) error {
	// A Scanner hands out the partial line before a read error as a last
	// line: a body cut off (over its size limit, idle, the client gone)
	// must say so, not that its last line is bad JSON.
	rec := &readErr{r: body}
	sc := bufio.NewScanner(rec)
	// A line holds an event in base64 inside JSON: allow for that.
	sc.Buffer(make([]byte, 0, 64<<10), a.limits.MaxEventBytes/3*4+64<<10)
	line, n := 0, 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var ev jsonEvent
		d := json.NewDecoder(bytes.NewReader(b))
		d.DisallowUnknownFields()
		if err := d.Decode(&ev); err != nil {
			if rec.err != nil {
				return rec.err
			}
			return badRequest("line %d is not a JSON event: %v", line, err)
		}
		if d.More() {
			return badRequest("line %d holds more than one JSON value", line)
		}
		if err := addJSONEvent(&ev, fmt.Sprintf("line %d (event %d)", line, n), add); err != nil {
			return err
		}
		n++
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return errorf(wire.CodeEventTooLarge, "line %d is longer than an event may be (%d bytes)", line+1, a.limits.MaxEventBytes)
		}
		return err
	}
	if n == 0 {
		return badRequest("the NDJSON body has no events")
	}
	return nil
}

// readEvent reads a whole body as one event's payload; what names the
// body in the error if it is over the maximum event size.
func (a *API) readEvent(body io.Reader, what string) ([]byte, error) {
	max := a.limits.MaxEventBytes
	p, err := io.ReadAll(io.LimitReader(body, int64(max)+1))
	if err != nil {
		return nil, err
	}
	if len(p) > max {
		return nil, errorf(wire.CodeEventTooLarge, "%s is over the maximum event size of %d bytes", what, max)
	}
	return p, nil
}

// addRaw adds the body as one event.
func (a *API) addRaw(r *http.Request, body io.Reader, add addFunc) error {
	p, err := a.readEvent(body, "the event")
	if err != nil {
		return err
	}
	key, hasKey := r.URL.Query().Get("key"), r.URL.Query().Has("key")
	if h := r.Header.Get(hdrRoutingKey); h != "" {
		if hasKey && key != h {
			return badRequest("key %q and %s %q disagree", key, hdrRoutingKey, h)
		}
		key, hasKey = h, true
	}
	return add(hasKey, key, p)
}
