package httpapi

import (
	"net/http"
	"strconv"

	"github.com/braidstream/braid"
)

// hdrPointer names the fetched event's pointer.
const hdrPointer = "Braid-Pointer"

// fetchEvent serves GET /v1/events/{scope}/{stream}/{pointer}: one event
// by its pointer. The path after /v1/events/ is the pointer's qualified
// text, "scope/stream/<segment>-<offset>-<length>". The answer is the
// payload (application/octet-stream), or with format=json {"pointer",
// "data" | "data_base64"}; header Braid-Pointer is the pointer. A stream
// or segment that does not exist is 404, an event removed by truncation
// or retention 410 TRUNCATED.
func (a *API) fetchEvent(w http.ResponseWriter, r *http.Request) error {
	stream, err := streamName(r)
	if err != nil {
		return err
	}
	text := r.PathValue("pointer")
	p, err := braid.ParsePointer(text)
	if err != nil {
		return badRequest("%s", errText(err))
	}
	p.Stream = stream
	q := r.URL.Query()
	format, err := enumParam(q, "format", "raw", "json")
	if err != nil {
		return err
	}
	b64, err := encodingParam(q)
	if err != nil {
		return err
	}
	data, err := a.client.Fetch(r.Context(), p)
	if err != nil {
		return err
	}
	w.Header().Set(hdrPointer, p.String())
	if format == "json" {
		writeJSON(w, http.StatusOK, newEventJSON(p, data, b64))
		return nil
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	w.Write(data)
	return nil
}
