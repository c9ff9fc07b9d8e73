package httpapi

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/braidstream/braid"
)

// sseKeepalive is how long an event stream stays quiet before a comment
// line tells proxies and clients that it is alive.
const sseKeepalive = 15 * time.Second

// streamEvents serves GET /v1/streams/{scope}/{stream}/events/stream: the
// stream's events as Server-Sent Events.
//
// The wire format, per event:
//
//	id: <stream cut just after the event>
//	data: {"pointer": "...", "data": "..."}
//	<blank line>
//
// The stream opens with a bare "id: <start cut>" (no data: browsers set
// their last event id from it without firing an event), so that a client
// that reconnects before any event came resumes where it started rather
// than at a later tail. A reconnecting client sends the last id it saw as
// Last-Event-ID (or last_event_id=), and the stream goes on just after
// that event: nothing missed, nothing repeated. Events that are ready are
// written together and flushed once; when the reader has nothing, the
// response is flushed and the handler waits, sending ": keepalive" every
// sseKeepalive of quiet. With to=, or when a sealed stream was read to its
// end, an "end" event carries the final position; a read failure is an
// "error" event with the JSON error. Either ends the response.
func (a *API) streamEvents(w http.ResponseWriter, r *http.Request) error {
	stream, from, to, err := parseSpan(r, posNone, posHead, posTail, posCut, posPointer, posTime, posLast)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	if v := q.Get("last_event_id"); v != "" {
		if from, err = parsePos("last_event_id", v, "", posCut); err != nil {
			return err
		}
	}
	if v := r.Header.Get("Last-Event-ID"); v != "" {
		if from, err = parsePos("Last-Event-ID header", v, "", posCut); err != nil {
			return err
		}
	}
	b64, err := encodingParam(q)
	if err != nil {
		return err
	}
	ctx, cancel := a.requestCtx(r.Context())
	defer cancel()
	if from.kind == posCut || from.kind == posPointer {
		// Nothing else asks the server before the first event, which
		// may be long in coming: a missing stream is a 404 now.
		if _, err := a.client.GetStream(ctx, stream); err != nil {
			return err
		}
	}
	rd, err := a.openReader(ctx, stream, from, to)
	if err != nil {
		return err
	}
	defer rd.Close()

	out := a.startEventStream(w)
	bw := bufio.NewWriterSize(out, 64<<10)
	flush := func() error {
		if err := bw.Flush(); err != nil {
			return err
		}
		return out.Flush()
	}
	bw.WriteString("id: " + rd.Position().String() + "\n\n")
	if flush() != nil {
		return nil // the client went
	}

	ready := heldOnly()
	pending := false // events written since the last flush
	var line []byte
	for {
		nctx, ncancel := ready, context.CancelFunc(func() {})
		if !pending {
			nctx, ncancel = context.WithTimeout(ctx, sseKeepalive)
		}
		ev, err := rd.Next(nctx)
		ncancel()
		switch {
		case err == nil:
			line = appendSSEEvent(line[:0], ev, b64)
			if _, err := bw.Write(line); err != nil {
				return nil
			}
			pending = true
			continue
		case ctx.Err() != nil:
			return nil // the client went, or the server stops
		case pending && errors.Is(err, context.Canceled):
			pending = false // nothing more ready: send what we have
		case errors.Is(err, context.DeadlineExceeded):
			bw.WriteString(": keepalive\n\n")
		case errors.Is(err, io.EOF):
			pos := rd.Position().String()
			data, _ := json.Marshal(map[string]string{"position": pos})
			bw.WriteString("event: end\nid: " + pos + "\ndata: ")
			bw.Write(data)
			bw.WriteString("\n\n")
			flush()
			return nil
		default:
			writeSSEError(bw, err)
			flush()
			return nil
		}
		if flush() != nil {
			return nil
		}
	}
}

// startEventStream answers 200 with the headers of an event stream and
// returns the response's writer.
func (a *API) startEventStream(w http.ResponseWriter) *idleWriter {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer
	w.WriteHeader(http.StatusOK)
	return a.responseWriter(w)
}

// writeSSEError writes an "error" event carrying err as the JSON error.
func writeSSEError(bw *bufio.Writer, err error) {
	ae := toAPIError(err)
	data, _ := json.Marshal(errorBody{Error: errorDetail{Code: ae.Code, Message: ae.Message}})
	bw.WriteString("event: error\ndata: ")
	bw.Write(data)
	bw.WriteString("\n\n")
}

// appendSSEEvent appends an event's SSE message to b.
func appendSSEEvent(b []byte, ev braid.Event, b64 bool) []byte {
	b = append(b, "id: "...)
	b = append(b, ev.Position().String()...)
	b = append(b, "\ndata: "...)
	data, _ := json.Marshal(newEventJSON(ev.Pointer, ev.Data, b64))
	b = append(b, data...)
	return append(b, "\n\n"...)
}
