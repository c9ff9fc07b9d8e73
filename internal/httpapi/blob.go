package httpapi

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
)

// blobBufferBytes is the write buffer of a blob download.
const blobBufferBytes = 256 << 10

// Blob formats.
const (
	blobRaw    = "raw"
	blobLength = "length-prefixed"
	blobNDJSON = "ndjson"
)

// Blob response headers and trailers.
const (
	hdrFromCut   = "Braid-From-Cut"
	hdrStreamCut = "Braid-Stream-Cut"
	hdrEvents    = "Braid-Events"
)

// blobEnd is the last line of an NDJSON blob.
type blobEnd struct {
	End    string `json:"end"`
	Events int64  `json:"events"`
	Bytes  int64  `json:"bytes"`
}

// downloadBlob serves GET /v1/streams/{scope}/{stream}/blob: the events
// from a cut (default: head) to a cut (default: the tail when the request
// came) as one body.
//
//   - raw: the payloads, concatenated. A file uploaded with split=bytes:N
//     or split=lines (into one routing key, so in order) comes back
//     byte-exact.
//   - length-prefixed: each payload after its length, 4 bytes big-endian.
//   - ndjson: one event per line as in the read route ({"pointer",
//     "position", "data" | "data_base64"}), then a last line {"end": CUT,
//     "events": N, "bytes": N} (bytes counts the payloads).
//
// Header Braid-From-Cut is the start cut. Trailers Braid-Stream-Cut (the
// cut at the end: a later GET from it returns only later events) and
// Braid-Events (the count) come after the body; a client sees them only
// once it read the body to its end.
//
// Resuming: only ndjson tells where each event ends (its position), so a
// broken ndjson download resumes from the last complete line's position.
// A raw or length-prefixed download resumes only from a complete one's
// Braid-Stream-Cut (incremental downloads), or starts over.
//
// Errors before the first byte are JSON errors. An error after the body
// started (the stream was truncated under the read, the server stops, the
// client stopped reading for the idle timeout) aborts the response, so
// that the client sees a broken body (no terminating chunk, no trailers,
// no ndjson end line) and never a silently short blob.
func (a *API) downloadBlob(w http.ResponseWriter, r *http.Request) error {
	stream, from, to, err := parseSpan(r, posTail, posHead, posCut, posTime)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	format, err := enumParam(q, "format", blobRaw, blobLength, blobNDJSON)
	if err != nil {
		return err
	}
	b64, err := encodingParam(q)
	if err != nil {
		return err
	}
	ctx, cancel := a.requestCtx(r.Context())
	defer cancel()
	rd, err := a.openReader(ctx, stream, from, to)
	if err != nil {
		return err
	}
	defer rd.Close()
	start := rd.Position()
	// The first event (or the end, or an error) before the headers, so
	// that a failure to read at all is still a JSON error.
	ev, err := rd.Next(ctx)
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	if err != nil && to.kind == posCut {
		// Nothing to read: the server may not have been asked
		// anything yet. Does the stream exist?
		if _, err := a.client.GetStream(ctx, stream); err != nil {
			return err
		}
	}
	h := w.Header()
	h.Set(hdrFromCut, start.String())
	h.Set("Trailer", hdrStreamCut+", "+hdrEvents)
	if format == blobNDJSON {
		h.Set("Content-Type", "application/x-ndjson")
	} else {
		h.Set("Content-Type", "application/octet-stream")
	}
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)

	bw := bufio.NewWriterSize(a.responseWriter(w), blobBufferBytes)
	var enc *json.Encoder
	if format == blobNDJSON {
		enc = json.NewEncoder(bw)
		enc.SetEscapeHTML(false)
	}
	var events, bytes int64
	var prefix [4]byte
	for ; err == nil; ev, err = rd.Next(ctx) {
		events++
		bytes += int64(len(ev.Data))
		var werr error
		switch format {
		case blobRaw:
			_, werr = bw.Write(ev.Data)
		case blobLength:
			binary.BigEndian.PutUint32(prefix[:], uint32(len(ev.Data)))
			bw.Write(prefix[:])
			_, werr = bw.Write(ev.Data)
		case blobNDJSON:
			j := newEventJSON(ev.Pointer, ev.Data, b64)
			j.Position = ev.Position().String()
			werr = enc.Encode(j)
		}
		if werr != nil {
			panic(http.ErrAbortHandler) // the client went or stopped reading
		}
	}
	if !errors.Is(err, io.EOF) {
		a.log.Info("blob download broken off", "stream", stream, "events", events, "err", err)
		panic(http.ErrAbortHandler)
	}
	end := rd.Position().String()
	if format == blobNDJSON {
		enc.Encode(blobEnd{End: end, Events: events, Bytes: bytes})
	}
	if bw.Flush() != nil {
		panic(http.ErrAbortHandler)
	}
	h.Set(hdrStreamCut, end)
	h.Set(hdrEvents, strconv.FormatInt(events, 10))
	return nil
}
