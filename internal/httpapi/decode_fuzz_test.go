package httpapi

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
)

func fuzzAPI() *API {
	a := &API{}
	a.limits.defaults()
	a.limits.MaxEventBytes = 1 << 10
	return a
}

// FuzzSplitBody: splitting never panics; lines and bytes:N give back the
// file exactly when joined; length-prefixed events re-encode to the file.
func FuzzSplitBody(f *testing.F) {
	f.Add([]byte("a\nbb\n\nccc"), uint8(0))
	f.Add([]byte{0, 0, 0, 2, 'h', 'i', 0, 0, 0, 0}, uint8(1))
	f.Add([]byte{0, 0, 0, 9, 'x'}, uint8(1))
	f.Add([]byte("0123456789"), uint8(2))
	f.Add(bytes.Repeat([]byte("z"), 3000), uint8(0))
	a := fuzzAPI()
	f.Fuzz(func(t *testing.T, file []byte, sel uint8) {
		modes := []splitMode{{kind: "lines"}, {kind: "length-prefixed"}, {kind: "bytes", chunk: 7}, {kind: "whole"}}
		mode := modes[int(sel)%len(modes)]
		var events [][]byte
		err := a.splitBody(bytes.NewReader(file), mode, func(p []byte) error {
			if len(p) > a.limits.MaxEventBytes {
				t.Fatalf("%s: event of %d bytes over the maximum", mode.kind, len(p))
			}
			events = append(events, bytes.Clone(p))
			return nil
		})
		if err != nil {
			var ae *apiError
			if !errors.As(err, &ae) || ae.Message == "" {
				t.Fatalf("%s: error %v is not a clear API error", mode.kind, err)
			}
			return
		}
		switch mode.kind {
		case "lines", "bytes", "whole":
			if !bytes.Equal(bytes.Join(events, nil), file) {
				t.Fatalf("%s: events do not join to the file", mode.kind)
			}
		case "length-prefixed":
			var re []byte
			for _, ev := range events {
				re = binary.BigEndian.AppendUint32(re, uint32(len(ev)))
				re = append(re, ev...)
			}
			if !bytes.Equal(re, file) {
				t.Fatalf("length-prefixed: events do not re-encode to the file")
			}
		}
	})
}

// FuzzAppendBody: JSON and NDJSON append bodies never panic, and what
// they accept holds events of allowed size.
func FuzzAppendBody(f *testing.F) {
	f.Add([]byte(`{"key": "k", "data": "x"}`), false)
	f.Add([]byte(`[{"data_base64": "AAE="}, {"json": {"a": [1, 2]}}]`), false)
	f.Add([]byte("{\"data\": \"a\"}\n\n{\"key\": \"\", \"json\": null}\n"), true)
	f.Add([]byte(`{"data": "a", "data_base64": "AA=="}`), false)
	a := fuzzAPI()
	f.Fuzz(func(t *testing.T, body []byte, ndjson bool) {
		add := func(_ bool, _ string, p []byte) error {
			if p == nil && false {
				t.Fatal("unreachable")
			}
			return nil
		}
		var err error
		if ndjson {
			err = a.addNDJSON(bytes.NewReader(body), add)
		} else {
			var single bool
			err = a.addJSON(bytes.NewReader(body), add, &single)
		}
		if err != nil {
			var ae *apiError
			if !errors.As(err, &ae) || ae.Message == "" {
				t.Fatalf("error %v is not a clear API error", err)
			}
		}
	})
}
