package fault

// Hostile gRPC clients against a real `braid serve`: readers that never
// read, an append session that never reads its acks, and connection floods.
// Each asserts a bound on the server's memory or descriptors and that the
// store keeps serving others.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/braidstream/braid"
	braidv1 "github.com/braidstream/braid/api/braid/v1"
)

// hgRawConn is a plain gRPC connection to the server with small fixed
// flow-control windows: a client that does not read holds as little as it
// can, so the server holds the most.
func hgRawConn(t *testing.T, srv *server) *grpc.ClientConn {
	t.Helper()
	conn, err := grpc.NewClient(srv.grpcAddr,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithInitialWindowSize(64<<10), grpc.WithInitialConnWindowSize(64<<10),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(64<<20)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// hgMetric returns the value of one sample of the server's /metrics (0 if
// absent), e.g. `braid_limit_hits_total{limit="grpc-write-deadline"}`.
func hgMetric(ctx context.Context, srv *server, sample string) (float64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+srv.httpAddr+"/metrics", nil)
	if err != nil {
		return 0, err
	}
	resp, err := srv.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), sample+" "); ok {
			return strconv.ParseFloat(strings.TrimSpace(rest), 64)
		}
	}
	return 0, sc.Err()
}

func hgHits(limit string) string { return `braid_limit_hits_total{limit="` + limit + `"}` }

// hgWaitMetric waits until the sample is at least want, or fails the test
// after within.
func hgWaitMetric(ctx context.Context, t *testing.T, srv *server, sample string, want float64, within time.Duration) {
	t.Helper()
	if last, ok := hgAwaitMetric(ctx, srv, sample, want, within); !ok {
		t.Fatalf("%s is %v after %v, want at least %v", sample, last, within, want)
	}
}

// hgAwaitMetric waits until the sample is at least want, for at most
// within; it returns the last value seen and whether it got there.
func hgAwaitMetric(ctx context.Context, srv *server, sample string, want float64, within time.Duration) (float64, bool) {
	ctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var last float64
	for {
		v, err := hgMetric(ctx, srv, sample)
		if err == nil {
			last = v
			if v >= want {
				return v, true
			}
		}
		select {
		case <-ctx.Done():
			return last, false
		case <-tick.C:
		}
	}
}

// hgVmHWM is the peak resident set size of process pid (VmHWM).
func hgVmHWM(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(rest)
			kb, err := strconv.ParseInt(f[0], 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("/proc/%d/status: no VmHWM line", pid)
}

// hgWrite writes total bytes in events of size to stream with the Go
// client, at full speed, and checks that every one is acknowledged.
func hgWrite(ctx context.Context, t *testing.T, c *braid.Client, stream string, size, total int) {
	t.Helper()
	w, err := c.NewWriter(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	payload := make([]byte, size)
	acks := make([]braid.Ack, 0, total/size)
	for i := 0; i*size < total; i++ {
		payload[0] = byte(i)
		acks = append(acks, w.Write(ctx, "k", payload))
	}
	if err := w.Close(ctx); err != nil {
		t.Fatalf("writer close: %v", err)
	}
	for i, a := range acks {
		if _, err := a.Wait(ctx); err != nil {
			t.Fatalf("event %d of %d: %v", i, len(acks), err)
		}
	}
}

// TestHostileGRPCSlowReaders: 100 following ReadSegment calls with
// max_bytes 16 MiB on a segment holding 200 MB, never received. Without a
// bound, each pins a 16 MiB response in the server (1.34 GB for 100). Each
// is now cut after the write deadline (default 10 s) with
// RESOURCE_EXHAUSTED, and what the server holds is at most about one 1 MiB
// response per call.
func TestHostileGRPCSlowReaders(t *testing.T) {
	const (
		calls      = 100
		streamSize = 200 << 20
		conns      = 4
		deadline   = 10 * time.Second // the default --grpc-write-deadline
		// The bound on the growth of the server's RSS during the attack.
		rssBound = 512 << 20
	)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	srv, c := startDialed(ctx, t)
	const stream = "hostile/reads"
	if _, err := c.CreateStream(ctx, stream, braid.StreamConfig{Segments: 1, CreateScope: true}); err != nil {
		t.Fatal(err)
	}
	hgWrite(ctx, t, c, stream, 256<<10, streamSize)
	seg := hgSegment(ctx, t, c, stream)

	base, err := vmRSS(srv.pid())
	if err != nil {
		t.Fatal(err)
	}
	rs := startSampler(srv, 20*time.Millisecond)
	defer rs.close()

	var streams []grpc.ServerStreamingClient[braidv1.ReadSegmentResponse]
	var rconns []*grpc.ClientConn
	for range conns {
		rconns = append(rconns, hgRawConn(t, srv))
	}
	rctx, rcancel := context.WithCancel(ctx)
	defer rcancel()
	start := time.Now()
	for i := range calls {
		dc := braidv1.NewDataServiceClient(rconns[i%conns])
		st, err := dc.ReadSegment(rctx, &braidv1.ReadSegmentRequest{Scope: "hostile", Stream: "reads",
			SegmentId: seg, Follow: true, MaxBytes: 16 << 20})
		if err != nil {
			t.Fatalf("ReadSegment %d: %v", i, err)
		}
		streams = append(streams, st)
	}
	// Every call is cut within the deadline (and some slack for 2 cores).
	hits, cutAll := hgAwaitMetric(ctx, srv, hgHits("grpc-write-deadline"), calls, deadline+30*time.Second)
	t.Logf("%v of %d slow readers cut within %v of the first call (write deadline %v)", hits, calls, time.Since(start).Round(time.Millisecond), deadline)
	rs.close()
	peak, _, _, samples := rs.maxima()
	hwm, _ := hgVmHWM(srv.pid())
	t.Logf("server RSS: %d MiB before the readers, peak %d MiB during (%d samples), VmHWM %d MiB",
		base>>20, peak>>20, samples, hwm>>20)
	if peak-base > rssBound {
		t.Errorf("the server's RSS grew by %d MiB with %d readers that never read; want at most %d MiB", (peak-base)>>20, calls, rssBound>>20)
	}
	if !cutAll {
		t.Fatalf("only %v of %d readers that never read were cut within %v", hits, calls, deadline+30*time.Second)
	}

	// Each call, once its client reads what was queued, ends with
	// RESOURCE_EXHAUSTED naming the slow consumer.
	for i, st := range streams {
		var n int
		var err error
		for {
			var resp *braidv1.ReadSegmentResponse
			if resp, err = st.Recv(); err != nil {
				break
			}
			n += len(resp.GetEvents())
		}
		if status.Code(err) != codes.ResourceExhausted || !strings.Contains(err.Error(), "slow consumer") {
			t.Fatalf("call %d ended with %v after %d bytes; want RESOURCE_EXHAUSTED: slow consumer", i, err, n)
		}
		if n >= streamSize {
			t.Fatalf("call %d received the whole segment (%d bytes) after being cut", i, n)
		}
	}
	// The store still serves.
	hgWrite(ctx, t, c, stream, 100, 100*100)
}

// TestHostileGRPCAckFlood: an append session that sends batches and never
// reads its acks. Without a window the server reads every batch and queues
// every ack (735 MB for 3 M batches). Now it stops reading once the window
// of unanswered batches is full, and ends the session at the write
// deadline; a Go writer at full speed meanwhile never meets the window.
func TestHostileGRPCAckFlood(t *testing.T) {
	const (
		batches  = 1_000_000
		rssBound = 128 << 20
	)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	srv, c := startDialed(ctx, t, "--fsync", "interval:10ms", "--grpc-write-deadline", "5s")
	const stream = "hostile/acks"
	if _, err := c.CreateStream(ctx, stream, braid.StreamConfig{Segments: 1, CreateScope: true}); err != nil {
		t.Fatal(err)
	}
	seg := hgSegment(ctx, t, c, stream)
	hgWrite(ctx, t, c, stream, 100, 1000) // warm up
	base, err := vmRSS(srv.pid())
	if err != nil {
		t.Fatal(err)
	}
	rs := startSampler(srv, 20*time.Millisecond)
	defer rs.close()

	conn := hgRawConn(t, srv)
	sctx, scancel := context.WithCancel(ctx)
	defer scancel()
	sess, err := braidv1.NewDataServiceClient(conn).Append(sctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Send(&braidv1.AppendRequest{Kind: &braidv1.AppendRequest_Open{Open: &braidv1.AppendOpen{
		Writer: 1, Scope: "hostile", Stream: "acks", WriterId: "flood"}}}); err != nil {
		t.Fatal(err)
	}
	var sent atomic.Int64
	sendErr := make(chan error, 1)
	go func() {
		frame := make([]byte, 8+16) // one 16-byte event: a header and its payload
		frame[3] = 16
		ab := &braidv1.AppendBatch{Writer: 1, SegmentId: seg, EventCount: 1, Events: frame}
		req := &braidv1.AppendRequest{Kind: &braidv1.AppendRequest_Batches{Batches: &braidv1.AppendBatches{
			Batches: []*braidv1.AppendBatch{ab}}}}
		for i := range batches {
			ab.BatchId, ab.FirstEventNumber = uint64(i+1), int64(i+1)
			if err := sess.Send(req); err != nil {
				sendErr <- err
				return
			}
			sent.Add(1)
		}
		sendErr <- nil
	}()
	// The server stops reading the session, then ends it at the write
	// deadline.
	hits, cut := hgAwaitMetric(ctx, srv, hgHits("grpc-write-deadline"), 1, 60*time.Second)
	rs.close()
	peak, _, _, _ := rs.maxima()
	t.Logf("the flooding session had sent %d of %d batches when cut (%v); server RSS %d MiB before, peak %d MiB",
		sent.Load(), batches, cut, base>>20, peak>>20)
	if peak-base > rssBound {
		t.Errorf("the server's RSS grew by %d MiB; want at most %d MiB", (peak-base)>>20, rssBound>>20)
	}
	if !cut {
		t.Fatalf("a session that reads no acks was not cut within 60s (grpc-write-deadline hits %v)", hits)
	}
	hgWaitMetric(ctx, t, srv, hgHits("max-inflight-batches"), 1, 10*time.Second)
	// Once the client reads, it gets its acks, then why the session ended;
	// its blocked Send then fails too.
	var rerr error
	for {
		if _, rerr = sess.Recv(); rerr != nil {
			break
		}
	}
	if status.Code(rerr) != codes.ResourceExhausted || !strings.Contains(rerr.Error(), "slow consumer") {
		t.Fatalf("the flooding session ended with %v; want RESOURCE_EXHAUSTED: slow consumer", rerr)
	}
	select {
	case err := <-sendErr:
		if err == nil {
			t.Fatalf("the server read all %d batches of a session that reads no acks", batches)
		}
	case <-ctx.Done():
		t.Fatal(ctx.Err())
	}
	if n := sent.Load(); n >= batches {
		t.Fatalf("the server read all %d batches of a session that reads no acks", n)
	}

	// A Go writer at full speed, over several segments, never meets the
	// window.
	before, err := hgMetric(ctx, srv, hgHits("max-inflight-batches"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateStream(ctx, "hostile/fast", braid.StreamConfig{Segments: 4}); err != nil {
		t.Fatal(err)
	}
	w, err := c.NewWriter(ctx, "hostile/fast")
	if err != nil {
		t.Fatal(err)
	}
	var acks []braid.Ack
	for i := range 200_000 {
		acks = append(acks, w.Write(ctx, strconv.Itoa(i%64), []byte("event")))
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	for _, a := range acks {
		if _, err := a.Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	after, err := hgMetric(ctx, srv, hgHits("max-inflight-batches"))
	if err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Fatalf("a Go writer met the in-flight window %v times; a correct client never should", after-before)
	}
}

// hgRawH2 opens a TCP connection to the gRPC port and does the client's
// half of the HTTP/2 handshake.
func hgRawH2(ctx context.Context, addr string) (net.Conn, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	// The client preface, then an empty SETTINGS frame.
	if _, err := io.WriteString(conn, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00"); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// TestHostileGRPCConnectionFlood: connections beyond each listener's limit
// are refused at once with a reason, the store keeps serving through the
// other port, and idle gRPC connections are closed after the idle timeout.
func TestHostileGRPCConnectionFlood(t *testing.T) {
	const (
		limit = 20
		flood = 30
		idle  = 2 * time.Second
	)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv := newServer(t, "--grpc-max-connections", strconv.Itoa(limit), "--http-max-connections", strconv.Itoa(limit),
		"--grpc-idle-timeout", idle.String())
	if err := srv.start(ctx); err != nil {
		t.Fatal(err)
	}
	// srv.http makes one connection per request (no keep-alive): each
	// metrics scrape takes a slot for a moment. Scrape only with a slot
	// free.

	// gRPC: flood with handshaked connections that then do nothing.
	var raws []net.Conn
	defer func() {
		for _, c := range raws {
			c.Close()
		}
	}()
	for range flood {
		conn, err := hgRawH2(ctx, srv.grpcAddr)
		if err != nil {
			t.Fatal(err)
		}
		raws = append(raws, conn)
	}
	// Those past the limit get a GOAWAY naming it, then EOF; the others
	// get the server's SETTINGS and stay open.
	var refused, kept []net.Conn
	var wg sync.WaitGroup
	var mu sync.Mutex
	for _, conn := range raws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn.SetReadDeadline(time.Now().Add(time.Second))
			b, err := io.ReadAll(conn)
			mu.Lock()
			defer mu.Unlock()
			var ne net.Error
			switch {
			case err == nil && strings.Contains(string(b), "too many connections") && strings.Contains(string(b), "--grpc-max-connections"):
				refused = append(refused, conn)
			case errors.As(err, &ne) && ne.Timeout():
				kept = append(kept, conn)
			default:
				t.Errorf("a flooding connection read %q, %v", b, err)
			}
		}()
	}
	wg.Wait()
	if len(kept) != limit || len(refused) != flood-limit {
		t.Fatalf("of %d gRPC connections %d were kept and %d refused; want %d kept", flood, len(kept), len(refused), limit)
	}
	if v, err := hgMetric(ctx, srv, `braid_connections{listener="grpc"}`); err != nil || v != limit {
		t.Fatalf("braid_connections{listener=\"grpc\"} = %v (%v); want %d", v, err, limit)
	}
	if v, _ := hgMetric(ctx, srv, hgHits("grpc-max-connections")); v < flood-limit {
		t.Fatalf("grpc-max-connections hits %v; want at least %d", v, flood-limit)
	}
	// The gRPC port is full, yet writes go on through HTTP (whose API
	// reaches gRPC in process).
	for _, path := range []string{"/v1/scopes/flood", "/v1/streams/flood/s"} {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPut, "http://"+srv.httpAddr+path, nil)
		resp, err := srv.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode/100 != 2 {
			t.Fatalf("PUT %s: %s", path, resp.Status)
		}
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+srv.httpAddr+"/v1/streams/flood/s/events?key=k",
		strings.NewReader("while gRPC is full"))
	req.Header.Set("Content-Type", "text/plain")
	resp, err := srv.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("an HTTP append while gRPC is full: %s", resp.Status)
	}
	// The idle connections are closed after the idle timeout. A raw
	// client answers no pings, so grpc's GOAWAY may be followed by a
	// forced close later; either way each ends.
	for _, conn := range kept {
		conn.SetReadDeadline(time.Now().Add(idle + 30*time.Second))
		if _, err := io.Copy(io.Discard, conn); err != nil {
			t.Fatalf("an idle gRPC connection was not closed within %v of the idle timeout %v: %v", 30*time.Second, idle, err)
		}
	}
	hgWaitMetric(ctx, t, srv, hgHits("grpc-idle-timeout"), 1, 10*time.Second)

	// HTTP: the same flood.
	var hraws []net.Conn
	defer func() {
		for _, c := range hraws {
			c.Close()
		}
	}()
	for range flood {
		var d net.Dialer
		conn, err := d.DialContext(ctx, "tcp", srv.httpAddr)
		if err != nil {
			t.Fatal(err)
		}
		hraws = append(hraws, conn)
	}
	var hrefused, hkept int
	for _, conn := range hraws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn.SetReadDeadline(time.Now().Add(time.Second))
			b, err := io.ReadAll(conn)
			mu.Lock()
			defer mu.Unlock()
			var ne net.Error
			switch {
			case err == nil && strings.HasPrefix(string(b), "HTTP/1.1 503") && strings.Contains(string(b), "--http-max-connections"):
				hrefused++
			case errors.As(err, &ne) && ne.Timeout():
				hkept++
			default:
				t.Errorf("a flooding HTTP connection read %q, %v", b, err)
			}
		}()
	}
	wg.Wait()
	if hkept != limit || hrefused != flood-limit {
		t.Fatalf("of %d HTTP connections %d were kept and %d refused; want %d kept", flood, hkept, hrefused, limit)
	}
	// HTTP is full; the gRPC port serves: a write with the Go client.
	c, err := dial(ctx, srv)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	hgWrite(ctx, t, c, "flood/s", 100, 100*100)
}

// hgSegment is the id of the stream's one segment.
func hgSegment(ctx context.Context, t *testing.T, c *braid.Client, stream string) uint64 {
	t.Helper()
	info, err := c.GetStream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Current) != 1 {
		t.Fatalf("%s has %d segments, want 1", stream, len(info.Current))
	}
	return info.Current[0].ID
}
