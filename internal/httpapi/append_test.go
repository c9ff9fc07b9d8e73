package httpapi_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/server"
)

type appendAnswer struct {
	Pointer    *string `json:"pointer"`
	Duplicate  bool    `json:"duplicate"`
	Count      int     `json:"count"`
	Duplicates int     `json:"duplicates"`
	Events     []struct {
		Pointer   *string `json:"pointer"`
		Duplicate bool    `json:"duplicate"`
	} `json:"events"`
}

// fetch reads one event by pointer text through the Go client.
func (e *env) fetch(stream, ptr string) string {
	e.t.Helper()
	p, err := braid.ParsePointer(stream + "/" + ptr)
	if err != nil {
		e.t.Fatalf("pointer %q: %v", ptr, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, err := e.client.Fetch(ctx, p)
	if err != nil {
		e.t.Fatalf("fetch %s: %v", ptr, err)
	}
	return string(b)
}

// readAll reads the whole stream through the Go client.
func (e *env) readAll(stream string) [][]byte {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	r, err := e.client.NewReader(ctx, stream, braid.FromHead(), braid.UntilTail())
	if err != nil {
		e.t.Fatal(err)
	}
	defer r.Close()
	var out [][]byte
	for {
		ev, err := r.Next(ctx)
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			e.t.Fatalf("read %s: %v", stream, err)
		}
		out = append(out, bytes.Clone(ev.Data))
	}
}

func TestAppendFormats(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("s/x", 4)
	var a appendAnswer
	if st, b := e.doJSON("POST", "/v1/streams/s/x/events", map[string]any{"key": "k1", "data": "hello"}, &a); st != 201 || a.Pointer == nil {
		t.Fatalf("JSON event: %d %s", st, b)
	}
	if got := e.fetch("s/x", *a.Pointer); got != "hello" {
		t.Fatalf("fetched %q", got)
	}
	a = appendAnswer{}
	st, b := e.doJSON("POST", "/v1/streams/s/x/events", []map[string]any{
		{"key": "k", "data": "one"}, {"key": "k", "data_base64": "AAEC"}, {"json": map[string]int{"n": 3}}}, &a)
	if st != 201 || a.Count != 3 || len(a.Events) != 3 {
		t.Fatalf("JSON array: %d %s", st, b)
	}
	for i, want := range []string{"one", "\x00\x01\x02", `{"n":3}`} {
		if got := e.fetch("s/x", *a.Events[i].Pointer); got != want {
			t.Fatalf("event %d: %q, want %q", i, got, want)
		}
	}
	// NDJSON: one event per line, each with its own key; per-key order.
	var nd strings.Builder
	for i := range 200 {
		fmt.Fprintf(&nd, "{\"key\": \"k%d\", \"data\": \"e%d\"}\n", i%7, i)
	}
	a = appendAnswer{}
	st, _, b = e.do("POST", "/v1/streams/s/x/events", "application/x-ndjson", strings.NewReader(nd.String()))
	if st != 201 {
		t.Fatalf("NDJSON: %d %s", st, b)
	}
	json.Unmarshal(b, &a)
	if a.Count != 200 {
		t.Fatalf("NDJSON count %d", a.Count)
	}
	if got := e.fetch("s/x", *a.Events[199].Pointer); got != "e199" {
		t.Fatalf("NDJSON event 199: %q", got)
	}
	// Raw: the body is one event; the key in the query or a header.
	a = appendAnswer{}
	st, _, b = e.do("POST", "/v1/streams/s/x/events?key=k1", "application/octet-stream", bytes.NewReader([]byte{0xff, 0, 1}))
	json.Unmarshal(b, &a)
	if st != 201 || a.Pointer == nil || e.fetch("s/x", *a.Pointer) != "\xff\x00\x01" {
		t.Fatalf("raw: %d %s", st, b)
	}
	st, _, b = e.do("POST", "/v1/streams/s/x/events", "text/plain", strings.NewReader("line"), "Braid-Routing-Key", "k2")
	if st != 201 {
		t.Fatalf("raw text: %d %s", st, b)
	}
	// Events of one key come back in the order written.
	var last = map[string]int{}
	for _, ev := range e.readAll("s/x") {
		var i int
		if _, err := fmt.Sscanf(string(ev), "e%d", &i); err != nil {
			continue
		}
		k := fmt.Sprint("k", i%7)
		if p, ok := last[k]; ok && p > i {
			t.Fatalf("key %s: e%d after e%d", k, i, p)
		}
		last[k] = i
	}
}

// TestAppendIdempotent: a request sent twice with the same writer id and
// event number stores its events once.
func TestAppendIdempotent(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("s/x", 3)
	var nd strings.Builder
	for i := range 100 {
		fmt.Fprintf(&nd, "{\"key\": \"k%d\", \"data\": \"e%d\"}\n", i%5, i)
	}
	hdr := []string{"Braid-Writer-Id", "w1", "Braid-Event-Number", "1"}
	for attempt, wantDups := range []int{0, 100} {
		st, _, b := e.do("POST", "/v1/streams/s/x/events", "application/x-ndjson", strings.NewReader(nd.String()), hdr...)
		var a appendAnswer
		json.Unmarshal(b, &a)
		if st != 201 || a.Count != 100 || a.Duplicates != wantDups {
			t.Fatalf("attempt %d: %d %s", attempt, st, b)
		}
	}
	// The next request goes on from 101.
	st, _, b := e.do("POST", "/v1/streams/s/x/events", "application/json", strings.NewReader(`{"data": "e100"}`),
		"Braid-Writer-Id", "w1", "Braid-Event-Number", "101")
	if st != 201 || strings.Contains(string(b), "duplicate") {
		t.Fatalf("next request: %d %s", st, b)
	}
	if n := len(e.readAll("s/x")); n != 101 {
		t.Fatalf("stream holds %d events, want 101", n)
	}
}

// failingReader returns data, then an error: an upload that breaks.
type failingReader struct {
	r   io.Reader
	err error
}

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if errors.Is(err, io.EOF) {
		return n, f.err
	}
	return n, err
}

// TestUploadInterruptedRetry: an upload that breaks off halfway, sent
// again whole with the same writer id and first event number, leaves the
// file in the stream exactly once.
func TestUploadInterruptedRetry(t *testing.T) {
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(uint64(seed), 7))
	e := newEnv(t, server.Config{})
	e.stream("s/f", 2)
	file := make([]byte, 14<<20+1234)
	for i := range file {
		file[i] = byte(rng.Uint32())
	}
	url := e.base + "/v1/streams/s/f/file?split=bytes:4096"
	put := func(body io.Reader, size int64) (*http.Response, error) {
		req, _ := http.NewRequest("PUT", url, body)
		req.ContentLength = size
		req.Header.Set("Braid-Writer-Id", "upload-1")
		req.Header.Set("Braid-Event-Number", "1")
		return http.DefaultClient.Do(req)
	}
	cut := 9<<20 + rng.IntN(2<<20) // past two 4 MiB batches
	resp, err := put(&failingReader{r: bytes.NewReader(file[:cut]), err: errors.New("network gone")}, int64(len(file)))
	if err == nil {
		resp.Body.Close()
		t.Fatalf("the broken upload succeeded: %s", resp.Status)
	}
	// The server stores what it had taken in: wait for some of it.
	stored := 0
	deadline := time.Now().Add(10 * time.Second)
	for stored == 0 && time.Now().Before(deadline) {
		stored = len(e.readAll("s/f"))
	}
	if stored == 0 {
		t.Fatal("nothing of the broken upload was stored: the retry would prove nothing")
	}
	resp, err = put(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Events, Bytes, Duplicates int
		First, Last               string
	}
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &out); err != nil || resp.StatusCode != 200 {
		t.Fatalf("retry: %s %s", resp.Status, b)
	}
	wantEvents := (len(file) + 4095) / 4096
	if out.Events != wantEvents || out.Bytes != len(file) || out.Duplicates < stored {
		t.Fatalf("retry answered %+v; want %d events, %d bytes, at least %d duplicates", out, wantEvents, len(file), stored)
	}
	got := bytes.Join(e.readAll("s/f"), nil)
	if sha256.Sum256(got) != sha256.Sum256(file) {
		t.Fatalf("the stream holds %d bytes that differ from the %d-byte file", len(got), len(file))
	}
}

// TestUploadAcrossScaling: a file uploaded while its segment is split
// (twice) arrives whole and in order: the session moves the events the
// sealed segment refused to the successors before any later event.
func TestUploadAcrossScaling(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("s/g", 1)
	const events = 20000
	var file bytes.Buffer
	for i := range events {
		fmt.Fprintf(&file, "line %06d %s\n", i, strings.Repeat("x", 200))
	}
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	var answer []byte
	go func() {
		req, _ := http.NewRequest("PUT", e.base+"/v1/streams/s/g/file?split=lines&key=one", pr)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			answer, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				err = fmt.Errorf("%s: %s", resp.Status, answer)
			}
		}
		done <- err
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	data := file.Bytes()
	third := len(data) / 3
	split := func() {
		info, err := e.client.GetStream(ctx, "s/g")
		if err != nil {
			t.Fatal(err)
		}
		seg := info.Current[0].ID
		for _, c := range info.Current { // split the segment that owns key "one"
			if info.Current[0].ID == seg && c.Length > 0 {
				seg = c.ID
			}
		}
		if _, err := e.client.SplitSegment(ctx, "s/g", seg, 2); err != nil {
			t.Fatal(err)
		}
	}
	// Write a third, wait until some of it is stored, split; again; then
	// the rest.
	for part := range 3 {
		if _, err := pw.Write(data[part*third : min(len(data), (part+1)*third)]); err != nil {
			t.Fatal(err)
		}
		if part == 2 {
			pw.Write(data[3*third:])
			break
		}
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for range tick.C {
			info, err := e.client.GetStream(ctx, "s/g")
			if err != nil {
				t.Fatal(err)
			}
			var stored int64
			for _, c := range info.Current {
				stored += c.Length
			}
			if stored > 0 || ctx.Err() != nil {
				break
			}
		}
		split()
	}
	pw.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	got := e.readAll("s/g")
	if len(got) != events {
		t.Fatalf("read %d events, want %d (answer %s)", len(got), events, answer)
	}
	for i, ev := range got {
		if want := fmt.Sprintf("line %06d ", i); !strings.HasPrefix(string(ev), want) {
			t.Fatalf("event %d is %.20q, want %q...: order broken", i, ev, want)
		}
	}
	info, _ := e.client.GetStream(ctx, "s/g")
	if len(info.Epochs) != 3 {
		t.Fatalf("the stream has %d epochs, want 3", len(info.Epochs))
	}
}

// TestRetryWhileFirstAttemptRuns: a client that retries while the server
// still reads its first attempt (it saw the connection break first) gets
// the file stored once: the retry waits for the first attempt to end
// before it asks the store what the writer already has.
func TestRetryWhileFirstAttemptRuns(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("s/r", 1)
	file := bytes.Repeat([]byte("0123456789abcdef"), 1<<20) // 16 MiB
	put := func(body io.Reader) (*http.Response, error) {
		req, _ := http.NewRequest("PUT", e.base+"/v1/streams/s/r/file?split=bytes:65536", body)
		req.Header.Set("Braid-Writer-Id", "retrier")
		req.Header.Set("Braid-Event-Number", "1")
		return http.DefaultClient.Do(req)
	}
	pr, pw := io.Pipe()
	first := make(chan error, 1)
	go func() {
		resp, err := put(pr)
		if err == nil {
			resp.Body.Close()
		}
		first <- err
	}()
	// The first attempt sends 9 MiB and hangs.
	if _, err := pw.Write(file[:9<<20]); err != nil {
		t.Fatal(err)
	}
	second := make(chan *http.Response, 1)
	go func() {
		resp, err := put(bytes.NewReader(file))
		if err != nil {
			t.Error(err)
		}
		second <- resp
	}()
	// The second waits while the first is open. (Proving that something
	// does not happen takes a window of time: 2 s, in which an unblocked
	// retry of 16 MiB would have finished many times over.)
	select {
	case resp := <-second:
		t.Fatalf("the retry finished while the first attempt was open: %v", resp.Status)
	case <-time.After(2 * time.Second):
	}
	pw.CloseWithError(errors.New("connection broke"))
	<-first
	resp := <-second
	if resp == nil {
		t.Fatal("no answer to the retry")
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"duplicates"`) {
		t.Fatalf("retry: %s %s", resp.Status, b)
	}
	got := bytes.Join(e.readAll("s/r"), nil)
	if !bytes.Equal(got, file) {
		t.Fatalf("the stream holds %d bytes, want the %d-byte file once", len(got), len(file))
	}
}
