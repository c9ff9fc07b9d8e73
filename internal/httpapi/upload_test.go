package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/braidstream/braid/internal/server"
)

// TestUploadDuplicates: the upload answer's "duplicates" counts the events
// of the file that an earlier upload with the same writer id had stored;
// "events" counts every event of the file, those included.
func TestUploadDuplicates(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("dup/whole", 2)
	e.stream("dup/part", 2)
	var file bytes.Buffer
	for i := range 72 {
		fmt.Fprintf(&file, "line %d\n", i)
	}
	lines := bytes.SplitAfter(file.Bytes(), []byte("\n"))
	lines = lines[:len(lines)-1] // the empty piece after the last newline

	// The field is there when it is 0.
	status, _, b := e.do("PUT", "/v1/streams/dup/whole/file?split=lines", "application/octet-stream",
		bytes.NewReader(file.Bytes()), "Braid-Writer-Id", "w-whole", "Braid-Event-Number", "1")
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil || status != http.StatusOK {
		t.Fatalf("first upload: %d %s (%v)", status, b, err)
	}
	if string(raw["duplicates"]) != "0" {
		t.Errorf("first upload answered %s: want \"duplicates\": 0", b)
	}
	for _, field := range []string{"events", "bytes", "first", "last"} {
		if _, ok := raw[field]; !ok {
			t.Errorf("first upload answered %s: no %q", b, field)
		}
	}

	// The same file again with the same writer id: all duplicates.
	a := e.putFile("dup/whole", "split=lines", file.Bytes(), "Braid-Writer-Id", "w-whole", "Braid-Event-Number", "1")
	if a.Events != 72 || a.Duplicates != 72 || a.Bytes != int64(file.Len()) {
		t.Errorf("second upload answered %+v: want 72 events, 72 duplicates, %d bytes", a, file.Len())
	}
	if a.First != nil || a.Last != nil {
		t.Errorf("second upload: first %v, last %v; want null pointers for duplicates", a.First, a.Last)
	}
	if n := len(e.readAll("dup/whole")); n != 72 {
		t.Errorf("dup/whole holds %d events after two uploads, want 72", n)
	}

	// A partial upload (the first 30 lines), then the whole file: the 30
	// are duplicates, the other 42 new.
	part := bytes.Join(lines[:30], nil)
	if a := e.putFile("dup/part", "split=lines", part, "Braid-Writer-Id", "w-part", "Braid-Event-Number", "1"); a.Events != 30 || a.Duplicates != 0 {
		t.Fatalf("partial upload answered %+v: want 30 events, no duplicates", a)
	}
	a = e.putFile("dup/part", "split=lines", file.Bytes(), "Braid-Writer-Id", "w-part", "Braid-Event-Number", "1")
	if a.Events != 72 || a.Duplicates != 30 {
		t.Errorf("whole upload after the partial one answered %+v: want 72 events, 30 duplicates", a)
	}
	if a.First != nil || a.Last == nil {
		t.Errorf("whole upload after the partial one: first %v, last %v; want no first (a duplicate), a last", a.First, a.Last)
	}
	got := e.readAll("dup/part")
	if !bytes.Equal(bytes.Join(got, nil), file.Bytes()) {
		t.Errorf("dup/part holds %d events that are not the file's 72 lines in order", len(got))
	}
}
