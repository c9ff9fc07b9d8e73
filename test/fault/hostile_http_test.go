package fault

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Attacks on the HTTP API of `braid serve` with default flags, each run
// against the real binary while the server's peak RSS (VmHWM) is watched.

// Bounds of the hostile HTTP tests' peak RSS.
const (
	// hostileAppendRSS bounds the server's peak RSS while two 63 MiB
	// NDJSON bodies of empty events (5.5 M events each) are appended at
	// once. Before bounded answers the peak was 4.1 GiB; after, 230 MiB.
	hostileAppendRSS = 400 << 20
	// hostileSubscribersRSS bounds it while 200 event-stream clients
	// that never read sit on a 200 MiB stream (which the store holds in
	// memory until tier 2: about 300 MiB of RSS before they come). Before
	// bounded read-ahead the peak was 3.3 GiB; with it and the API's
	// client dialed with httpapi.DialOptions (a 256 KiB stream window),
	// 645 MiB; with the client's default 4 MiB window per reader, 1.45 GiB.
	hostileSubscribersRSS = 1 << 30
)

// procStatus reads a "Name: N kB" field of /proc/PID/status, in bytes.
func procStatus(pid int, field string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			f := strings.Fields(rest)
			if len(f) != 2 || f[1] != "kB" {
				return 0, fmt.Errorf("/proc/%d/status: unexpected %s line %q", pid, field, line)
			}
			kb, err := strconv.ParseInt(f[0], 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("/proc/%d/status: no %s line", pid, field)
}

// peakRSS is the server's peak resident set size so far (VmHWM).
func peakRSS(t *testing.T, srv *server) int64 {
	t.Helper()
	n, err := procStatus(srv.pid(), "VmHWM")
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// hostileHTTP is a client of the server's HTTP API without a timeout
// (each test's context bounds its requests).
var hostileHTTP = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}

// httpDo sends a request within ctx and returns the status and the first
// max bytes of the body, with the body's whole length.
func httpDo(ctx context.Context, t *testing.T, method, url, ct string, body io.Reader, max int64) (int, []byte, int64) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	resp, err := hostileHTTP.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(resp.Body, max))
	if err != nil {
		t.Fatalf("%s %s: reading the answer: %v", method, url, err)
	}
	rest, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the answer: %v", method, url, err)
	}
	return resp.StatusCode, buf.Bytes(), n + rest
}

// tailBytes is the sum of the offsets of a stream's tail cut: the framed
// bytes it holds.
func tailBytes(ctx context.Context, t *testing.T, srv *server, stream string) int64 {
	t.Helper()
	status, b, _ := httpDo(ctx, t, "GET", "http://"+srv.httpAddr+"/v1/streams/"+stream+"/cuts/tail", "", nil, 1<<20)
	var cut struct {
		Segments []struct {
			Offset int64 `json:"offset"`
		} `json:"segments"`
	}
	if status != http.StatusOK || json.Unmarshal(b, &cut) != nil {
		t.Fatalf("tail cut of %s: %d %s", stream, status, b)
	}
	var sum int64
	for _, s := range cut.Segments {
		sum += s.Offset
	}
	return sum
}

// limitHitsOf reads braid_limit_hits_total{limit=name} from /metrics.
func limitHitsOf(ctx context.Context, t *testing.T, srv *server, name string) float64 {
	t.Helper()
	_, b, _ := httpDo(ctx, t, "GET", "http://"+srv.httpAddr+"/metrics", "", nil, 16<<20)
	prefix := `braid_limit_hits_total{limit="` + name + `"} `
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, prefix); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("/metrics: %q: %v", line, err)
			}
			return f
		}
	}
	return 0
}

func createHTTPStream(ctx context.Context, t *testing.T, srv *server, stream string, segments int) {
	t.Helper()
	body := fmt.Sprintf(`{"segments": %d}`, segments)
	status, b, _ := httpDo(ctx, t, "PUT", "http://"+srv.httpAddr+"/v1/streams/"+stream, "application/json", strings.NewReader(body), 1<<20)
	if status != http.StatusCreated {
		t.Fatalf("create %s: %d %s", stream, status, b)
	}
}

// TestHostileHTTPHugeAppend appends two 63 MiB NDJSON bodies of empty
// events at once, asking for a summary answer: the answers are a few
// hundred bytes, every event is stored once, and the server's peak RSS
// stays under hostileAppendRSS. The same body with the default answer
// (event by event) is refused with 413 before anything is stored.
func TestHostileHTTPHugeAppend(t *testing.T) {
	if testing.Short() {
		t.Skip("appends 190 MiB of NDJSON")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	srv := newServer(t)
	if err := srv.start(ctx); err != nil {
		t.Fatal(err)
	}
	defer srv.stop()
	createHTTPStream(ctx, t, srv, "hh/big", 2)
	const line = "{\"data\":\"\"}\n" // the least event: an empty payload
	n := (63 << 20) / len(line)
	body := bytes.Repeat([]byte(line), n)
	base := peakRSS(t, srv)
	url := "http://" + srv.httpAddr + "/v1/streams/hh/big/events"

	type answer struct {
		Count      int64 `json:"count"`
		Duplicates int64 `json:"duplicates"`
		Segments   []struct {
			Segment     uint64 `json:"segment"`
			Events      int64  `json:"events"`
			First, Last string
		} `json:"segments"`
	}
	start := time.Now()
	var wg sync.WaitGroup
	answers := make([]answer, 2)
	errs := make([]error, 2)
	for i := range answers {
		wg.Go(func() {
			req, err := http.NewRequestWithContext(ctx, "POST", url+"?answer=summary", bytes.NewReader(body))
			if err != nil {
				errs[i] = err
				return
			}
			req.Header.Set("Content-Type", "application/x-ndjson")
			resp, err := hostileHTTP.Do(req)
			if err != nil {
				errs[i] = err
				return
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
			rest, _ := io.Copy(io.Discard, resp.Body)
			switch {
			case err != nil:
				errs[i] = err
			case resp.StatusCode != http.StatusCreated:
				errs[i] = fmt.Errorf("status %d: %.300s", resp.StatusCode, b)
			case rest > 0:
				errs[i] = fmt.Errorf("the answer is over 1 MiB (%d bytes more)", rest)
			default:
				errs[i] = json.Unmarshal(b, &answers[i])
			}
		})
	}
	wg.Wait()
	peak := peakRSS(t, srv)
	t.Logf("two appends of %d events (%d MiB each) in %v: peak RSS %s (%s before)", n, len(body)>>20, time.Since(start).Round(time.Millisecond), mib(peak), mib(base))
	for i, err := range errs {
		if err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
		a := answers[i]
		var inSegs int64
		for _, s := range a.Segments {
			inSegs += s.Events
		}
		if a.Count != int64(n) || a.Duplicates != 0 || inSegs != int64(n) {
			t.Errorf("append %d: count %d, duplicates %d, %d in segments; want %d, 0, %d", i, a.Count, a.Duplicates, inSegs, n, n)
		}
	}
	const frame = 8 // an empty event's framed size (wire.HeaderSize)
	if got, want := tailBytes(ctx, t, srv, "hh/big"), int64(2*n*frame); got != want {
		t.Errorf("the stream holds %d framed bytes, want %d: %d events stored, want %d", got, want, got/frame, 2*n)
	}

	// Without answer=summary the answer would list every event: refused.
	hits := limitHitsOf(ctx, t, srv, "http-max-events")
	status, b, _ := httpDo(ctx, t, "POST", url, "application/x-ndjson", bytes.NewReader(body), 1<<20)
	if status != http.StatusRequestEntityTooLarge || !strings.Contains(string(b), "REQUEST_TOO_LARGE") || !strings.Contains(string(b), "answer=summary") {
		t.Errorf("default answer for %d events: %d %.300s; want 413 REQUEST_TOO_LARGE naming answer=summary", n, status, b)
	}
	if got := limitHitsOf(ctx, t, srv, "http-max-events") - hits; got != 1 {
		t.Errorf("http-max-events hits: %v, want 1", got)
	}
	if got, want := tailBytes(ctx, t, srv, "hh/big"), int64(2*n*frame); got != want {
		t.Errorf("after the refused request the stream holds %d framed bytes, want %d", got, want)
	}
	if peak := peakRSS(t, srv); peak > hostileAppendRSS {
		t.Errorf("peak RSS %s, over the bound of %s", mib(peak), mib(hostileAppendRSS))
	}
}

// patternReader yields n bytes of printable text, in lines.
type patternReader struct{ left int64 }

func (p *patternReader) Read(b []byte) (int, error) {
	if p.left <= 0 {
		return 0, io.EOF
	}
	b = b[:min(int64(len(b)), p.left)]
	for i := range b {
		b[i] = 'a' + byte(i%26)
		if i%80 == 79 {
			b[i] = '\n'
		}
	}
	p.left -= int64(len(b))
	return len(b), nil
}

// TestHostileHTTPIdleSubscribers opens 200 Server-Sent Events streams
// from the head of a 200 MB stream and never reads them: the server's
// peak RSS stays under hostileSubscribersRSS, each subscriber is cut off
// at the idle timeout (counted as http-slow-reader), and a subscriber
// that reads gets the whole stream.
func TestHostileHTTPIdleSubscribers(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 200 MB and opens 200 event streams")
	}
	const (
		idle        = 10 * time.Second
		subscribers = 200
		eventBytes  = 64 << 10
		events      = 3200 // 200 MiB
	)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	srv := newServer(t, "--http-idle-timeout", idle.String())
	if err := srv.start(ctx); err != nil {
		t.Fatal(err)
	}
	defer srv.stop()
	createHTTPStream(ctx, t, srv, "hh/sub", 1)
	base := "http://" + srv.httpAddr + "/v1/streams/hh/sub"
	status, b, _ := httpDo(ctx, t, "PUT", base+"/file?split=bytes:"+strconv.Itoa(eventBytes), "application/octet-stream",
		&patternReader{left: events * eventBytes}, 1<<20)
	if status != http.StatusOK && status != http.StatusCreated {
		t.Fatalf("upload: %d %s", status, b)
	}
	before := peakRSS(t, srv)
	hits := limitHitsOf(ctx, t, srv, "http-slow-reader")

	start := time.Now()
	conns := make([]net.Conn, 0, subscribers)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	var d net.Dialer
	for range subscribers {
		c, err := d.DialContext(ctx, "tcp", srv.httpAddr)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		if _, err := fmt.Fprintf(c, "GET /v1/streams/hh/sub/events/stream HTTP/1.1\r\nHost: localhost\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
	}
	// Each is cut off once it read nothing for the idle timeout.
	deadline := time.Now().Add(6 * idle)
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for limitHitsOf(ctx, t, srv, "http-slow-reader")-hits < subscribers {
		if time.Now().After(deadline) {
			t.Fatalf("%v after %d subscribers that never read opened, %v of them were cut off (peak RSS %s)",
				time.Since(start).Round(time.Second), subscribers, limitHitsOf(ctx, t, srv, "http-slow-reader")-hits, mib(peakRSS(t, srv)))
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		}
	}
	peak := peakRSS(t, srv)
	t.Logf("%d subscribers that never read, cut off after %v: peak RSS %s (%s before)", subscribers, time.Since(start).Round(time.Millisecond), mib(peak), mib(before))
	// Their connections end, short of the stream.
	for i, c := range conns {
		c.SetReadDeadline(time.Now().Add(20 * time.Second))
		n, err := io.Copy(io.Discard, c)
		if err != nil && !strings.Contains(err.Error(), "reset") {
			t.Fatalf("subscriber %d: %v after %d bytes, want the end of the connection", i, err, n)
		}
		if n >= events*eventBytes {
			t.Fatalf("subscriber %d could read %d bytes: the whole stream", i, n)
		}
	}

	// One that reads gets every event.
	req, err := http.NewRequestWithContext(ctx, "GET", base+"/events/stream?to=tail", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := hostileHTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 256<<10), 1<<20)
	got, ended := 0, false
	var data int64
	for sc.Scan() {
		line := sc.Bytes()
		if bytes.HasPrefix(line, []byte("data: {\"pointer\"")) {
			var ev struct {
				Data string `json:"data"`
			}
			if err := json.Unmarshal(line[len("data: "):], &ev); err != nil {
				t.Fatalf("event %d: %v", got, err)
			}
			got++
			data += int64(len(ev.Data))
		}
		if string(line) == "event: end" {
			ended = true
			break
		}
	}
	if got != events || data != events*eventBytes || !ended {
		t.Fatalf("a subscriber that reads got %d events, %d bytes (end: %v); want %d, %d", got, data, ended, events, events*eventBytes)
	}
	if peak > hostileSubscribersRSS {
		t.Errorf("peak RSS %s while the subscribers sat, over the bound of %s (is the HTTP API's client dialed with httpapi.DialOptions?)", mib(peak), mib(hostileSubscribersRSS))
	}
}
