package httpapi_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/server"
)

// The round trips of a file through the HTTP API: uploaded with PUT
// .../file, downloaded with GET .../blob, the same bytes come back.

// uploadAnswer is the answer of PUT .../file.
type uploadAnswer struct {
	Events     int64   `json:"events"`
	Bytes      int64   `json:"bytes"`
	Duplicates int     `json:"duplicates"`
	First      *string `json:"first"`
	Last       *string `json:"last"`
}

// putFile sends body to PUT /v1/streams/{stream}/file?{query}.
func (e *env) putFile(stream, query string, body []byte, headers ...string) uploadAnswer {
	e.t.Helper()
	start := time.Now()
	status, _, b := e.do("PUT", "/v1/streams/"+stream+"/file?"+query, "application/octet-stream", bytes.NewReader(body), headers...)
	if status != http.StatusOK {
		e.t.Fatalf("upload to %s: status %d: %s", stream, status, b)
	}
	var a uploadAnswer
	if err := json.Unmarshal(b, &a); err != nil {
		e.t.Fatalf("upload answer %q: %v", b, err)
	}
	e.t.Logf("uploaded %d bytes (%d events) in %v", len(body), a.Events, time.Since(start).Round(time.Millisecond))
	return a
}

// downloaded is a blob download hashed while it streamed.
type downloaded struct {
	sum     [sha256.Size]byte
	bytes   int64
	trailer http.Header
}

// downloadHashed downloads GET /v1/streams/{stream}/blob?{query} and
// hashes the body as it comes, without holding it.
func (e *env) downloadHashed(stream, query string) downloaded {
	e.t.Helper()
	start := time.Now()
	resp, err := http.Get(e.base + "/v1/streams/" + stream + "/blob?" + query)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		e.t.Fatalf("download %s: status %d: %s", stream, resp.StatusCode, b)
	}
	h := sha256.New()
	n, err := io.Copy(h, resp.Body)
	if err != nil {
		e.t.Fatalf("download %s: broken after %d bytes: %v", stream, n, err)
	}
	e.t.Logf("downloaded %d bytes in %v", n, time.Since(start).Round(time.Millisecond))
	d := downloaded{bytes: n, trailer: resp.Trailer}
	h.Sum(d.sum[:0])
	return d
}

// checkDownload fails the test unless d has want's SHA-256 and its
// Braid-Events trailer says events.
func checkDownload(t *testing.T, d downloaded, want []byte, events int64) {
	t.Helper()
	if sum := sha256.Sum256(want); d.sum != sum {
		t.Errorf("download: %d bytes with SHA-256 %s; uploaded %d bytes with SHA-256 %s",
			d.bytes, hex.EncodeToString(d.sum[:]), len(want), hex.EncodeToString(sum[:]))
	}
	if got := d.trailer.Get("Braid-Events"); got != strconv.FormatInt(events, 10) {
		t.Errorf("trailer Braid-Events %q, want %d", got, events)
	}
	if d.trailer.Get("Braid-Stream-Cut") == "" {
		t.Errorf("no trailer Braid-Stream-Cut (trailers %v)", d.trailer)
	}
}

// usedSegments returns how many of the stream's current segments hold
// data.
func (e *env) usedSegments(stream string) int {
	e.t.Helper()
	var s streamDoc
	status, b := e.doJSON("GET", "/v1/streams/"+stream, nil, &s)
	wantStatus(e.t, "describe "+stream, status, http.StatusOK, b)
	n := 0
	for _, sg := range s.Segments {
		if sg.Length > 0 {
			n++
		}
	}
	return n
}

func logSeed(t *testing.T) uint64 {
	t.Helper()
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	return seed
}

// TestRoundTripBinary uploads a random binary file in 1 MiB events to a
// stream of 4 segments and downloads it raw: the same bytes, in order,
// because the upload's events all have one routing key.
func TestRoundTripBinary(t *testing.T) {
	size := 200 << 20
	if testing.Short() {
		size = 16 << 20
	}
	size += 12345 // a short last event
	seed := logSeed(t)
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], seed)
	data := make([]byte, size)
	rand.NewChaCha8(key).Read(data)

	e := newEnv(t, server.Config{})
	e.stream("rt/binary", 4)
	const chunk = 1 << 20
	a := e.putFile("rt/binary", "split=bytes:1048576", data)
	wantEvents := int64((size + chunk - 1) / chunk)
	if a.Events != wantEvents || a.Bytes != int64(size) || a.Duplicates != 0 || a.First == nil || a.Last == nil {
		t.Fatalf("upload answer %+v, want %d events of %d bytes, no duplicates, first and last pointers", a, wantEvents, size)
	}
	if n := e.usedSegments("rt/binary"); n != 1 {
		t.Errorf("the upload went to %d segments, want 1 (one routing key)", n)
	}
	checkDownload(t, e.downloadHashed("rt/binary", ""), data, wantEvents)
}

// textRunes are what the lines are made of: ASCII, and 2, 3 and 4-byte
// UTF-8.
var textRunes = []rune("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 .,;:!?-_\"'\té€ßüñ日本語の文字😀🚀")

// randomText makes lines of 0 to 300 runes, about size bytes in all, some
// of them empty; the last line has text and no newline. It returns the
// text and its lines (each with its newline, as split=lines cuts them).
func randomText(rng *rand.Rand, size int) ([]byte, []string) {
	var b bytes.Buffer
	var lines []string
	for b.Len() < size {
		start := b.Len()
		n := rng.IntN(301)
		if rng.IntN(20) == 0 {
			n = 0
		}
		for range n {
			b.WriteRune(textRunes[rng.IntN(len(textRunes))])
		}
		b.WriteByte('\n')
		lines = append(lines, string(b.Bytes()[start:]))
	}
	start := b.Len()
	b.WriteString("the last line, with no newline: fin ✓")
	lines = append(lines, string(b.Bytes()[start:]))
	return b.Bytes(), lines
}

// TestRoundTripLines uploads a text file split into lines and downloads it
// raw: the same bytes, and one event per line.
func TestRoundTripLines(t *testing.T) {
	size := 20 << 20
	if testing.Short() {
		size = 4 << 20
	}
	rng := rand.New(rand.NewPCG(logSeed(t), 0))
	text, lines := randomText(rng, size)
	empty := 0
	for _, l := range lines {
		if l == "\n" {
			empty++
		}
	}
	t.Logf("%d lines, %d empty, %d bytes", len(lines), empty, len(text))

	e := newEnv(t, server.Config{})
	e.stream("rt/lines", 4)
	a := e.putFile("rt/lines", "split=lines", text)
	if a.Events != int64(len(lines)) || a.Bytes != int64(len(text)) || a.Duplicates != 0 {
		t.Fatalf("upload answer %+v, want %d events (the lines) of %d bytes", a, len(lines), len(text))
	}
	checkDownload(t, e.downloadHashed("rt/lines", ""), text, int64(len(lines)))

	// The events are the lines: the first page, and the last event.
	p := e.page("/v1/streams/rt/lines/events?limit=1000")
	got := p.payloads(t)
	for i, ev := range got {
		if ev != lines[i] {
			t.Fatalf("event %d is %q, line %d is %q", i, ev, i, lines[i])
		}
	}
	if a.Last == nil {
		t.Fatal("no last pointer")
	}
	if last := e.fetch("rt/lines", *a.Last); last != lines[len(lines)-1] {
		t.Fatalf("last event %q, want the last line %q", last, lines[len(lines)-1])
	}
}

// TestRoundTripLengthPrefixed uploads random binary events, some empty,
// length-prefixed, and downloads them length-prefixed: the same body.
func TestRoundTripLengthPrefixed(t *testing.T) {
	rng := rand.New(rand.NewPCG(logSeed(t), 0))
	n := 5000
	if testing.Short() {
		n = 1000
	}
	var body []byte
	var total int64
	for i := range n {
		var size int
		switch {
		case i < 3 || i == n-1 || rng.IntN(10) == 0:
			size = 0
		case rng.IntN(200) == 0:
			size = 256<<10 + rng.IntN(1<<20) // a few large ones
		default:
			size = rng.IntN(4096)
		}
		p := make([]byte, size)
		for j := range p {
			p[j] = byte(rng.Uint32())
		}
		body = binary.BigEndian.AppendUint32(body, uint32(size))
		body = append(body, p...)
		total += int64(size)
	}

	e := newEnv(t, server.Config{})
	e.stream("rt/lp", 4)
	a := e.putFile("rt/lp", "split=length-prefixed", body)
	if a.Events != int64(n) || a.Bytes != total || a.Duplicates != 0 {
		t.Fatalf("upload answer %+v, want %d events of %d bytes", a, n, total)
	}
	b := e.getBlob("rt/lp/blob?format=length-prefixed")
	if b.status != http.StatusOK {
		t.Fatalf("download: status %d: %s", b.status, b.body)
	}
	if !bytes.Equal(b.body, body) {
		i := 0
		for i < len(body) && i < len(b.body) && body[i] == b.body[i] {
			i++
		}
		t.Fatalf("download of %d bytes differs from the %d bytes uploaded, first at byte %d", len(b.body), len(body), i)
	}
	if got := b.trailer.Get("Braid-Events"); got != strconv.Itoa(n) {
		t.Errorf("trailer Braid-Events %q, want %d", got, n)
	}
	if ct := b.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/octet-stream") {
		t.Errorf("Content-Type %q", ct)
	}
}
