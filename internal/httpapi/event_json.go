package httpapi

import (
	"encoding/base64"
	"unicode/utf8"

	"github.com/braidstream/braid"
)

// eventJSON is an event in JSON, as the read, Server-Sent Events, NDJSON
// blob, fetch and member poll routes show it. The payload is "data" when
// it is valid UTF-8 (and base64 is not asked for), else "data_base64"
// (standard base64, padded); exactly one of the two is present, even for
// an empty payload.
type eventJSON struct {
	Pointer string `json:"pointer"`
	// Position is the stream cut just after the event, where a read
	// started from it goes on (omitted where it does not apply).
	Position   string  `json:"position,omitempty"`
	Data       *string `json:"data,omitempty"`
	DataBase64 *string `json:"data_base64,omitempty"`
}

// newEventJSON encodes an event's pointer and payload; b64 forces
// data_base64.
func newEventJSON(p braid.EventPointer, data []byte, b64 bool) eventJSON {
	j := eventJSON{Pointer: p.String()}
	s := ""
	if !b64 && utf8.Valid(data) {
		s = string(data)
		j.Data = &s
	} else {
		s = base64.StdEncoding.EncodeToString(data)
		j.DataBase64 = &s
	}
	return j
}

// size is about the bytes the event takes in a JSON response.
func (j *eventJSON) size() int {
	n := len(j.Pointer) + len(j.Position) + 48
	if j.Data != nil {
		n += len(*j.Data)
	}
	if j.DataBase64 != nil {
		n += len(*j.DataBase64)
	}
	return n
}
