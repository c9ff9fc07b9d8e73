package httpapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/auth"
)

// readRoutes are event reads, Server-Sent Events, blob downloads and fetch
// by pointer.
func (a *API) readRoutes() []route {
	return []route{{
		Method: "GET", Path: "/v1/streams/{scope}/{stream}/events", Tag: "data",
		Summary: "Read a page of events. Pass the answer's position as from= to read the next page: every event comes once, in order per routing key. " +
			"wait= long-polls until at least one event came or the wait passed; without it the answer holds what the stream has now (possibly nothing).",
		Params: slices.Concat(streamParams, []param{
			queryParam("from", "string", "where to start: head (default), tail, -N (the last N events of each current segment, N at most 100000), a stream cut (v1.…: a position from an earlier answer), an event pointer (reads that event's segment from that event on, without following it into its successors after a scale), or time:2026-12-03T10:00:00Z / time:-5m (the first events appended at or after that time, from the segments' time index)"),
			queryParam("to", "string", "where to stop: tail (the tail when the request came) or a stream cut; \"end\": true says it was reached. Default: none"),
		}, pageQueryParams(", no waiting")),
		Responses: jsonOK(`{"events": [{"pointer", "position", "data" | "data_base64"}], "position": CUT to continue from, "end": true once the to= cut was reached}`),
		Access:    needs(auth.PermRead),
		Handler:   a.readEvents,
	}, {
		Method: "GET", Path: "/v1/streams/{scope}/{stream}/events/stream", Tag: "data",
		Summary: "Follow a stream as Server-Sent Events: each event is \"id: <stream cut after it>\" and \"data: {pointer, data | data_base64}\". " +
			"A reconnecting client's Last-Event-ID resumes exactly after that event. A comment line is sent every 15 s of quiet; with to=, an \"end\" event carries the final position.",
		Params: slices.Concat(streamParams, []param{
			queryParam("from", "string", "where to start: head (default), tail, -N (the last N events of each current segment), time:T, a stream cut or an event pointer (that event's segment only)"),
			queryParam("to", "string", "end the stream at tail (the tail when the request came) or a stream cut, with an \"end\" event; default: follow until the client leaves"),
			queryParam("last_event_id", "string", "a stream cut to resume after, as the Last-Event-ID header (which takes precedence); either overrides from="),
			queryParam("encoding", "string", "base64: every payload as data_base64"),
			headerParam("Last-Event-ID", "string", "the id of the last event received: the stream resumes just after it"),
		}),
		Responses: map[string]response{"200": {Desc: "the event stream", Content: []string{"text/event-stream"}}},
		Access:    needs(auth.PermRead),
		Handler:   a.streamEvents,
	}, {
		Method: "GET", Path: "/v1/streams/{scope}/{stream}/blob", Tag: "data",
		Summary: "Download a range of the stream as one body: the payloads concatenated (raw, byte-exact for a file uploaded with split=), each with a 4-byte big-endian length (length-prefixed), or NDJSON. " +
			"Header Braid-From-Cut is the start; trailers Braid-Stream-Cut (where to continue from) and Braid-Events (the count) end a complete body. A failure after the body started breaks the body instead of ending it cleanly.",
		Params: slices.Concat(streamParams, []param{
			queryParam("from", "string", "head (default) or a stream cut"),
			queryParam("to", "string", "tail (default: the tail when the request came) or a stream cut"),
			queryParam("format", "string", "raw (default), length-prefixed or ndjson (one event per line, then {\"end\": CUT, \"events\": N, \"bytes\": N})"),
			queryParam("encoding", "string", "ndjson only: base64 forces data_base64"),
		}),
		Responses: map[string]response{"200": {Desc: "the payloads", Content: []string{"application/octet-stream", "application/x-ndjson"}}},
		Access:    needs(auth.PermRead),
		Handler:   a.downloadBlob,
	}, {
		Method: "GET", Path: "/v1/events/{scope}/{stream}/{pointer}", Tag: "data",
		Summary: "Fetch one event by its pointer: the payload bytes, with header Braid-Pointer; format=json answers {pointer, data | data_base64}. " +
			"The path is /v1/events/ followed by the qualified pointer text (scope/stream/pointer). A truncated event is 410 TRUNCATED.",
		Params: []param{
			pathParam("scope", "the stream's scope"),
			pathParam("stream", "the stream's name within its scope"),
			pathParam("pointer", "the event pointer, <segment:16 hex>-<offset:16 hex>-<length:8 hex>"),
			queryParam("format", "string", "raw (default) or json"),
			queryParam("encoding", "string", "json only: base64 forces data_base64"),
		},
		Responses: map[string]response{"200": {Desc: "the event's payload", Content: []string{"application/octet-stream", "application/json"}}},
		Access:    needs(auth.PermRead),
		Handler:   a.fetchEvent,
	}}
}

// Kinds of a read's start or end.
const (
	posNone    = ""
	posHead    = "head"
	posTail    = "tail"
	posCut     = "cut"
	posPointer = "pointer"
	posTime    = "time"
	posLast    = "-N" // the last N events of each current segment
)

// readPos is a parsed from= or to= value.
type readPos struct {
	kind string // posNone, posHead, posTail, posCut, posPointer
	cut  braid.StreamCut
	ptr  braid.EventPointer
	at   time.Time // posTime
	last int       // posLast
}

// startOption is the reader option that starts at p.
func (p readPos) startOption() braid.ReaderOption {
	switch p.kind {
	case posTail:
		return braid.FromTail()
	case posCut:
		return braid.FromCut(p.cut)
	case posPointer:
		return braid.FromPointer(p.ptr)
	case posTime:
		return braid.FromTime(p.at)
	case posLast:
		return braid.FromLast(p.last)
	}
	return braid.FromHead()
}

// endOption is the reader option that ends at p, nil for none.
func (p readPos) endOption() braid.ReaderOption {
	switch p.kind {
	case posTail:
		return braid.UntilTail()
	case posCut:
		return braid.UntilCut(p.cut)
	}
	return nil
}

// parsePos parses the value v of parameter name as one of kinds (in the
// order an error message lists them); an empty v is def.
func parsePos(name, v, def string, kinds ...string) (readPos, error) {
	if v == "" {
		v = def
	}
	if v == "" {
		return readPos{}, nil
	}
	if (v == posHead || v == posTail) && slices.Contains(kinds, v) {
		return readPos{kind: v}, nil
	}
	var err error
	if n, ok := strings.CutPrefix(v, "-"); ok && slices.Contains(kinds, posLast) {
		last, err := strconv.Atoi(n)
		if err != nil || last < 1 || last > braid.MaxLast {
			return readPos{}, badRequest("%s=%q: want -N, the last N events of each segment, N from 1 to %d", name, v, braid.MaxLast)
		}
		return readPos{kind: posLast, last: last}, nil
	}
	if spec, ok := strings.CutPrefix(v, "time:"); ok && slices.Contains(kinds, posTime) {
		t, err := braid.ParseTimeSpec(spec, time.Now())
		if err != nil {
			return readPos{}, badRequest("%s=%q: %s", name, v, errText(err))
		}
		return readPos{kind: posTime, at: t}, nil
	}
	if slices.Contains(kinds, posCut) && (strings.HasPrefix(v, "v1.") || !slices.Contains(kinds, posPointer)) {
		var c braid.StreamCut
		if c, err = braid.ParseStreamCut(v); err == nil {
			return readPos{kind: posCut, cut: c}, nil
		}
	} else if slices.Contains(kinds, posPointer) {
		var p braid.EventPointer
		if p, err = braid.ParsePointer(v); err == nil {
			return readPos{kind: posPointer, ptr: p}, nil
		}
	}
	var want []string
	for _, k := range kinds {
		switch k {
		case posCut:
			want = append(want, "a stream cut (v1.…)")
		case posPointer:
			want = append(want, "an event pointer")
		case posTime:
			want = append(want, "time:RFC3339 or time:-DURATION")
		case posLast:
			want = append(want, "-N (the last N events of each segment)")
		default:
			want = append(want, k)
		}
	}
	msg := name + "=" + strconv.Quote(v) + " is not " + orList(want)
	if err != nil {
		msg += ": " + errText(err)
	}
	return readPos{}, badRequest("%s", msg)
}

// parseSpan parses what every read route starts with: the stream (from
// the path), from= (where the read starts: one of fromKinds, head by
// default) and to= (where it ends: tail or a stream cut; toDef by
// default, posNone for no end).
func parseSpan(r *http.Request, toDef string, fromKinds ...string) (stream string, from, to readPos, err error) {
	if stream, err = streamName(r); err != nil {
		return "", readPos{}, readPos{}, err
	}
	q := r.URL.Query()
	if from, err = parsePos("from", q.Get("from"), posHead, fromKinds...); err != nil {
		return "", readPos{}, readPos{}, err
	}
	if to, err = parsePos("to", q.Get("to"), toDef, posTail, posCut); err != nil {
		return "", readPos{}, readPos{}, err
	}
	return stream, from, to, nil
}

// openReader opens a reader on stream that starts at from and ends at to
// (no end for posNone). ctx is the request's, from requestCtx: the reader
// stops with the request or the server. It reads ahead at most
// Limits.ReadAheadBytes, so that a client that stops reading pins little.
func (a *API) openReader(ctx context.Context, stream string, from, to readPos) (*braid.Reader, error) {
	opts := []braid.ReaderOption{from.startOption(), braid.WithReadAhead(a.limits.ReadAheadBytes)}
	if o := to.endOption(); o != nil {
		opts = append(opts, o)
	}
	return a.client.NewReader(ctx, stream, opts...)
}

// heldOnly returns a context that is done already: Reader.Next with it
// returns only the events the reader holds.
func heldOnly() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

// eventsPage is the answer of GET .../events.
type eventsPage struct {
	Events []eventJSON `json:"events"`
	// Position is where the next read goes on (its from=).
	Position string `json:"position"`
	// End: the read reached its to= cut.
	End bool `json:"end"`
}

// pageCollector gathers a page of events.
type pageCollector struct {
	limit  int
	b64    bool
	events []eventJSON
	bytes  int
}

func (p *pageCollector) full() bool { return len(p.events) >= p.limit || p.bytes >= maxPageBytes }

// collect reads events from rd until the page is full, the read's end
// (eof), or the context of the wait ends: first for the first event of
// this call, then rest. An error other than the contexts' ends the page;
// it is returned only if the page has no events (the next read from the
// page's position meets it again).
func (p *pageCollector) collect(rd *braid.Reader, first, rest context.Context) (eof bool, err error) {
	ctx := first
	for !p.full() {
		ev, err := rd.Next(ctx)
		switch {
		case err == nil:
		case errors.Is(err, io.EOF):
			return true, nil
		case ctx.Err() != nil:
			return false, nil // waited enough
		case len(p.events) > 0:
			return false, nil
		default:
			return false, err
		}
		j := newEventJSON(ev.Pointer, ev.Data, p.b64)
		j.Position = ev.Position().String()
		p.events = append(p.events, j)
		p.bytes += j.size()
		ctx = rest
	}
	return false, nil
}

// readEvents serves GET /v1/streams/{scope}/{stream}/events.
//
// Without to=, the read ends at the tail cut taken when the request came,
// so that wait=0 answers exactly what the stream holds then. If that gave
// nothing and wait= is positive, an unbounded reader waits from the
// position reached for the first event, and the page takes it with the
// events that came with it (those the reader already holds).
func (a *API) readEvents(w http.ResponseWriter, r *http.Request) error {
	stream, from, to, err := parseSpan(r, posNone, posHead, posTail, posCut, posPointer, posTime, posLast)
	if err != nil {
		return err
	}
	limit, wait, b64, err := a.pageParams(r.URL.Query())
	if err != nil {
		return err
	}
	ctx, cancel := a.requestCtx(r.Context())
	defer cancel()
	waitCtx := ctx
	if wait > 0 {
		var cancelWait context.CancelFunc
		waitCtx, cancelWait = context.WithTimeout(ctx, wait)
		defer cancelWait()
	}

	// One tail cut for the whole request: from=tail with no to= is an
	// empty page at first, whose position is that cut.
	var tail *braid.StreamCut
	tailCut := func() (readPos, error) {
		if tail == nil {
			c, err := a.client.TailCut(ctx, stream)
			if err != nil {
				return readPos{}, err
			}
			tail = &c
		}
		return readPos{kind: posCut, cut: *tail}, nil
	}
	if from.kind == posTail {
		if from, err = tailCut(); err != nil {
			return err
		}
	}
	end := to
	if to.kind != posCut {
		// to=tail, or none: what the stream holds now.
		if end, err = tailCut(); err != nil {
			return err
		}
	}

	page := &pageCollector{limit: limit, b64: b64}
	rd, err := a.openReader(ctx, stream, from, end)
	if err != nil {
		return err
	}
	eof, err := page.collect(rd, waitCtx, waitCtx)
	pos := rd.Position()
	rd.Close()
	if err != nil {
		return err
	}
	if to.kind == posNone && wait > 0 && len(page.events) == 0 && waitCtx.Err() == nil {
		// Nothing yet: wait for the first event from where the read
		// got to, then take what came with it.
		start := readPos{kind: posCut, cut: pos}
		if from.kind == posPointer {
			start = from // stay within the pointer's segment
		}
		rd, err := a.openReader(ctx, stream, start, readPos{})
		if err != nil {
			return err
		}
		_, err = page.collect(rd, waitCtx, heldOnly())
		pos = rd.Position()
		rd.Close()
		if err != nil {
			return err
		}
	}
	if page.events == nil {
		if to.kind == posCut {
			// The read may not have asked the server anything (it
			// started at its end): does the stream exist?
			if _, err := a.client.GetStream(ctx, stream); err != nil {
				return err
			}
		}
		page.events = []eventJSON{}
	}
	// Up to a page (about 4 MiB) of JSON: a client that stops reading it
	// is cut off at the idle timeout.
	writeJSON(a.responseWriter(w), http.StatusOK, eventsPage{Events: page.events, Position: pos.String(), End: eof && to.kind != posNone})
	return nil
}
