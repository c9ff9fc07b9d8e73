package httpapi_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

// writePayloads writes payloads to stream under one routing key, in
// order.
func writePayloads(tb testing.TB, c *braid.Client, stream string, payloads [][]byte) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	w, err := c.NewWriter(ctx, stream)
	if err != nil {
		tb.Fatal(err)
	}
	acks := make([]braid.Ack, len(payloads))
	for i, p := range payloads {
		acks[i] = w.Write(ctx, "file", p)
	}
	for i, a := range acks {
		if _, err := a.Wait(ctx); err != nil {
			tb.Fatalf("write payload %d: %v", i, err)
		}
	}
	if err := w.Close(ctx); err != nil {
		tb.Fatal(err)
	}
}

// randomPayloads makes n payloads of 0 to max bytes.
func randomPayloads(rng *rand.Rand, n, max int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		out[i] = make([]byte, rng.IntN(max+1))
		for j := range out[i] {
			out[i][j] = byte(rng.Uint32())
		}
	}
	return out
}

// blob is a downloaded blob.
type blob struct {
	status  int
	header  http.Header
	trailer http.Header
	body    []byte
}

// getBlob downloads a blob, reading the body to its end.
func (e *env) getBlob(query string) blob {
	e.t.Helper()
	resp, err := http.Get(e.base + "/v1/streams/" + query)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatalf("GET %s: reading the body: %v", query, err)
	}
	return blob{status: resp.StatusCode, header: resp.Header, trailer: resp.Trailer, body: b}
}

// cutAfter returns the stream cut after the first n events from the head.
func (e *env) cutAfter(stream string, n int) string {
	e.t.Helper()
	p := e.page("/v1/streams/" + stream + "/events?limit=" + strconv.Itoa(n))
	if len(p.Events) != n {
		e.t.Fatalf("%s has %d events, want at least %d", stream, len(p.Events), n)
	}
	return p.Position
}

func TestBlobRaw(t *testing.T) {
	e := newEnv(t, server.Config{})
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	payloads := randomPayloads(rng, 200, 20000)

	// One key across a split: a file's pieces come back in order.
	e.stream("s/blob", 2)
	writePayloads(t, e.client, "s/blob", payloads[:100])
	if _, err := e.client.SplitSegment(context.Background(), "s/blob", e.segmentIDs("s/blob")[1], 2); err != nil {
		t.Fatal(err)
	}
	writePayloads(t, e.client, "s/blob", payloads[100:])

	b := e.getBlob("s/blob/blob")
	if b.status != http.StatusOK {
		t.Fatalf("status %d: %s", b.status, b.body)
	}
	if want := bytes.Join(payloads, nil); !bytes.Equal(b.body, want) {
		t.Fatalf("raw blob of %d bytes differs from the %d bytes written", len(b.body), len(want))
	}
	if ct := b.header.Get("Content-Type"); ct != "application/octet-stream" {
		t.Errorf("Content-Type %q", ct)
	}
	head, err := e.client.HeadCut(context.Background(), "s/blob")
	if err != nil {
		t.Fatal(err)
	}
	if got := b.header.Get("Braid-From-Cut"); got != head.String() {
		t.Errorf("Braid-From-Cut %q, want the head %s", got, head)
	}
	end := b.trailer.Get("Braid-Stream-Cut")
	if _, err := braid.ParseStreamCut(end); err != nil {
		t.Fatalf("trailer Braid-Stream-Cut %q: %v", end, err)
	}
	if got := b.trailer.Get("Braid-Events"); got != "200" {
		t.Errorf("trailer Braid-Events %q, want 200", got)
	}

	// From the end cut: nothing, and the same cut; after more writes,
	// exactly those.
	b = e.getBlob("s/blob/blob?from=" + url.QueryEscape(end))
	if len(b.body) != 0 || b.trailer.Get("Braid-Stream-Cut") != end || b.header.Get("Braid-From-Cut") != end {
		t.Fatalf("from the end: %d bytes, trailer %q, header %q", len(b.body), b.trailer.Get("Braid-Stream-Cut"), b.header.Get("Braid-From-Cut"))
	}
	later := randomPayloads(rng, 30, 5000)
	writePayloads(t, e.client, "s/blob", later)
	b = e.getBlob("s/blob/blob?from=" + url.QueryEscape(end))
	if !bytes.Equal(b.body, bytes.Join(later, nil)) || b.trailer.Get("Braid-Events") != "30" {
		t.Fatalf("from the first download's end: %d bytes, %s events; want the %d later events", len(b.body), b.trailer.Get("Braid-Events"), len(later))
	}

	// A range between two cuts.
	from, to := e.cutAfter("s/blob", 40), e.cutAfter("s/blob", 150)
	b = e.getBlob("s/blob/blob?from=" + url.QueryEscape(from) + "&to=" + url.QueryEscape(to))
	if !bytes.Equal(b.body, bytes.Join(payloads[40:150], nil)) {
		t.Fatalf("range [40, 150): %d bytes, want %d", len(b.body), len(bytes.Join(payloads[40:150], nil)))
	}
	if b.trailer.Get("Braid-Stream-Cut") != to || b.trailer.Get("Braid-Events") != "110" {
		t.Fatalf("range trailers: %v, want cut %s and 110 events", b.trailer, to)
	}
}

func TestBlobLengthPrefixed(t *testing.T) {
	e := newEnv(t, server.Config{})
	rng := rand.New(rand.NewPCG(1, 2))
	payloads := randomPayloads(rng, 50, 3000)
	payloads[7] = nil // an empty event has its length too
	e.stream("s/lp", 1)
	writePayloads(t, e.client, "s/lp", payloads)

	b := e.getBlob("s/lp/blob?format=length-prefixed")
	if b.status != http.StatusOK {
		t.Fatalf("status %d: %s", b.status, b.body)
	}
	rest := b.body
	for i, want := range payloads {
		if len(rest) < 4 {
			t.Fatalf("event %d: no length", i)
		}
		n := binary.BigEndian.Uint32(rest)
		rest = rest[4:]
		if int(n) != len(want) || !bytes.Equal(rest[:n], want) {
			t.Fatalf("event %d: %d bytes, want %d", i, n, len(want))
		}
		rest = rest[n:]
	}
	if len(rest) != 0 {
		t.Fatalf("%d bytes after the last event", len(rest))
	}
	if b.trailer.Get("Braid-Events") != "50" || b.trailer.Get("Braid-Stream-Cut") == "" {
		t.Fatalf("trailers %v", b.trailer)
	}
}

func TestBlobNDJSON(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("s/nd", 3)
	e.writeEvents("s/nd", 0, 90, 5)
	b := e.getBlob("s/nd/blob?format=ndjson")
	if b.status != http.StatusOK || b.header.Get("Content-Type") != "application/x-ndjson" {
		t.Fatalf("status %d, Content-Type %q: %s", b.status, b.header.Get("Content-Type"), b.body)
	}
	sc := bufio.NewScanner(bytes.NewReader(b.body))
	var got []string
	var bytesSum int64
	var end struct {
		End    *string `json:"end"`
		Events int64   `json:"events"`
		Bytes  int64   `json:"bytes"`
	}
	lastPos := ""
	for sc.Scan() {
		if end.End != nil {
			t.Fatalf("a line after the end line: %s", sc.Text())
		}
		var ev struct {
			Pointer  string  `json:"pointer"`
			Position string  `json:"position"`
			Data     *string `json:"data"`
		}
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		if ev.Data == nil {
			if err := json.Unmarshal(sc.Bytes(), &end); err != nil || end.End == nil {
				t.Fatalf("line %q is neither an event nor the end", sc.Text())
			}
			continue
		}
		got = append(got, *ev.Data)
		bytesSum += int64(len(*ev.Data))
		lastPos = ev.Position
	}
	if end.End == nil {
		t.Fatal("no end line")
	}
	checkEvents(t, got, 90)
	if end.Events != 90 || end.Bytes != bytesSum || *end.End != lastPos {
		t.Fatalf("end line %+v (end %s), want 90 events, %d bytes, end %s", end, *end.End, bytesSum, lastPos)
	}
	// Resume from a line's position: the events after it.
	half := e.getBlob("s/nd/blob?format=ndjson&to=" + url.QueryEscape(e.cutAfter("s/nd", 45)))
	var mid struct{ End string }
	lines := bytes.Split(bytes.TrimSpace(half.body), []byte("\n"))
	json.Unmarshal(lines[len(lines)-1], &mid)
	rest := e.getBlob("s/nd/blob?format=ndjson&from=" + url.QueryEscape(mid.End))
	if n := bytes.Count(half.body, []byte("\n")) + bytes.Count(rest.body, []byte("\n")) - 2; n != 90 {
		t.Fatalf("resumed ndjson: %d events in all, want 90", n)
	}
}

func TestBlobErrors(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("s/be", 1)
	e.writeEvents("s/be", 0, 3, 1)
	cut := url.QueryEscape(e.cutAfter("s/be", 2))
	for _, c := range []struct{ query, param string }{
		{"format=zip", "format="},
		{"from=tail", "from="},
		{"from=0000000000000000-0000000000000000-00000010", "from="},
		{"to=head", "to="},
		{"encoding=x", "encoding="},
	} {
		status, body := e.doJSON("GET", "/v1/streams/s/be/blob?"+c.query, nil, nil)
		if code, msg := apiErr(t, body); status != http.StatusBadRequest || code != "INVALID_ARGUMENT" || !bytes.Contains([]byte(msg), []byte(c.param)) {
			t.Errorf("%s: %d %s %q, want 400 naming %s", c.query, status, code, msg, c.param)
		}
	}
	status, body := e.doJSON("GET", "/v1/streams/s/gone/blob?from="+cut+"&to="+cut, nil, nil)
	if code, _ := apiErr(t, body); status != http.StatusNotFound || code != "NOT_FOUND" {
		t.Errorf("missing stream: %d %s", status, body)
	}
	// A to= cut before from= is refused before the body starts.
	status, body = e.doJSON("GET", "/v1/streams/s/be/blob?from="+cut+"&to="+url.QueryEscape(e.cutAfter("s/be", 1)), nil, nil)
	if code, _ := apiErr(t, body); status != http.StatusBadRequest || code != "INVALID_ARGUMENT" {
		t.Errorf("to before from: %d %s", status, body)
	}
}

// TestBlobAbort checks that a download the server cannot finish (here: it
// shuts down) ends with a broken body, never a clean short one.
func TestBlobAbort(t *testing.T) {
	srv := servertest.Start(t, server.Config{})
	var once sync.Once
	stop := func() { once.Do(func() { srv.Stop(t) }) }
	t.Cleanup(stop)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := braid.Dial(ctx, srv.GRPCAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.CreateStream(ctx, "s/abort", braid.StreamConfig{CreateScope: true}); err != nil {
		t.Fatal(err)
	}
	payloads := make([][]byte, 256)
	for i := range payloads {
		payloads[i] = bytes.Repeat([]byte{byte(i)}, 256<<10)
	}
	writePayloads(t, c, "s/abort", payloads) // 64 MiB: more than socket buffers hold

	resp, err := http.Get("http://" + srv.HTTPAddr() + "/v1/streams/s/abort/blob")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.ReadFull(resp.Body, make([]byte, 1<<20)); err != nil {
		t.Fatal(err)
	}
	stopped := make(chan struct{})
	go func() { stop(); close(stopped) }()
	n, err := io.Copy(io.Discard, resp.Body)
	<-stopped
	if err == nil {
		t.Fatalf("the body ended cleanly after %d more bytes (of %d)", n, 64<<20-1<<20)
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Logf("broken body: %v", err)
	}
	if resp.Trailer.Get("Braid-Stream-Cut") != "" {
		t.Fatal("a broken body has the end trailer")
	}
}

func TestFetchEvent(t *testing.T) {
	e := newEnv(t, server.Config{})
	e.stream("s/fetch", 2)
	ptrs := e.writeEvents("s/fetch", 0, 10, 3)
	for i, p := range ptrs {
		status, h, body := e.do("GET", "/v1/events/"+p.Qualified(), "", nil)
		want := fmt.Sprintf("k%d:%06d", i%3, i)
		if status != http.StatusOK || string(body) != want {
			t.Fatalf("fetch %s: %d %q, want %q", p.Qualified(), status, body, want)
		}
		if h.Get("Braid-Pointer") != p.String() || h.Get("Content-Type") != "application/octet-stream" {
			t.Fatalf("fetch %s: headers %v", p, h)
		}
	}
	var j struct {
		Pointer    string  `json:"pointer"`
		Data       *string `json:"data"`
		DataBase64 *string `json:"data_base64"`
	}
	p := ptrs[4]
	if status, body := e.doJSON("GET", "/v1/events/s/fetch/"+p.String()+"?format=json", nil, &j); status != http.StatusOK || j.Pointer != p.String() || j.Data == nil || *j.Data != "k1:000004" {
		t.Fatalf("format=json: %d %s", status, body)
	}
	j.Data = nil
	if status, body := e.doJSON("GET", "/v1/events/s/fetch/"+p.String()+"?format=json&encoding=base64", nil, &j); status != http.StatusOK || j.DataBase64 == nil || *j.DataBase64 != "azE6MDAwMDA0" || j.Data != nil {
		t.Fatalf("format=json&encoding=base64: %d %s", status, body)
	}

	for _, c := range []struct {
		path   string
		status int
		code   string
	}{
		{"/v1/events/s/fetch/nonsense", 400, "INVALID_ARGUMENT"},
		{"/v1/events/s/fetch/" + p.String() + "?format=xml", 400, "INVALID_ARGUMENT"},
		{"/v1/events/s/nothere/" + p.String(), 404, "NOT_FOUND"},
		{"/v1/events/s/fetch/00000000000000ff-0000000000000000-00000010", 404, "NOT_FOUND"},
	} {
		status, body := e.doJSON("GET", c.path, nil, nil)
		if code, msg := apiErr(t, body); status != c.status || code != c.code {
			t.Errorf("%s: %d %s %q, want %d %s", c.path, status, code, msg, c.status, c.code)
		}
	}

	// Truncated: 410.
	cut, err := e.client.TailCut(context.Background(), "s/fetch")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.client.TruncateStream(context.Background(), "s/fetch", cut); err != nil {
		t.Fatal(err)
	}
	status, body := e.doJSON("GET", "/v1/events/"+ptrs[0].Qualified(), nil, nil)
	if code, _ := apiErr(t, body); status != http.StatusGone || code != "TRUNCATED" {
		t.Fatalf("truncated event: %d %s, want 410 TRUNCATED", status, body)
	}
}

// BenchmarkBlobDownload downloads 256 MiB of 1 MiB events as a raw blob.
func BenchmarkBlobDownload(b *testing.B) {
	srv := servertest.New(b, server.Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c, err := braid.Dial(ctx, srv.GRPCAddr())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	if _, err := c.CreateStream(ctx, "bench/blob", braid.StreamConfig{CreateScope: true}); err != nil {
		b.Fatal(err)
	}
	const events, size = 256, 1 << 20
	payloads := make([][]byte, events)
	for i := range payloads {
		payloads[i] = bytes.Repeat([]byte{byte(i)}, size)
	}
	writePayloads(b, c, "bench/blob", payloads)
	url := "http://" + srv.HTTPAddr() + "/v1/streams/bench/blob/blob"
	b.SetBytes(events * size)
	b.ResetTimer()
	for b.Loop() {
		resp, err := http.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		n, err := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil || n != events*size {
			b.Fatalf("downloaded %d bytes, %v; want %d", n, err, events*size)
		}
	}
}
