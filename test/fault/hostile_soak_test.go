package fault

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/braidstream/braid"
	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/wire"
)

// Settings of TestHostileSoak. The duration is BRAID_SOAK_DURATION (a Go
// duration, default 2m); the bound on the server's resident memory is
// BRAID_SOAK_MAX_RSS (default 1GiB). The server holds by design up to
// --max-unflushed + --cache-size + 64 MiB per container of appends queued
// (docs/operations.md, Memory): here 128 + 32 + 4*64 = 416 MiB. The rest of
// the bound is what the attackers may make it hold, with the Go runtime's
// slack.
const (
	soakSlowGRPCReaders = 50   // ReadSegment calls (follow, max_bytes 16 MiB) never received
	soakSlowSSEReaders  = 50   // SSE subscribers that never read
	soakUnreadAckers    = 2    // append sessions that never read their acks
	soakIdleConns       = 1000 // idle connections to each port
	soakBigBytes        = 96 << 20
	soakNDJSONBytes     = 63 << 20 // one large NDJSON append at a time
	soakNormalWriters   = 2
)

// TestHostileSoak runs normal writers and a following reader against a
// real server while hostile and careless clients do what they do (readers
// that never read, over gRPC and SSE; append sessions that never read their
// acks; thousands of idle connections; 63 MiB NDJSON bodies of empty
// events). It asserts that every event the normal writers had acknowledged
// is read back, by the follower and from the head, exactly once, and that
// the server's resident memory stays under the bound the whole time.
func TestHostileSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test: minutes long")
	}
	dur := 2 * time.Minute
	if s := os.Getenv("BRAID_SOAK_DURATION"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			t.Fatalf("BRAID_SOAK_DURATION=%q: want a duration such as 2m", s)
		}
		dur = d
	}
	maxRSS := envBytes(t, "BRAID_SOAK_MAX_RSS", 1<<30)
	seed := time.Now().UnixNano()
	t.Logf("seed %d, duration %v, RSS bound %s", seed, dur, mib(maxRSS))
	rng := rand.New(rand.NewPCG(uint64(seed), 11))

	ctx, cancel := context.WithTimeout(context.Background(), dur+5*time.Minute)
	defer cancel()
	srv, c := startDialed(ctx, t, "--max-unflushed", "128MiB", "--cache-size", "32MiB")
	for _, s := range []struct {
		name string
		segs int
	}{{"soak/normal", 4}, {"soak/big", 2}, {"soak/acks", 1}, {"soak/nd", 2}} {
		if _, err := c.CreateStream(ctx, s.name, braid.StreamConfig{Segments: s.segs, CreateScope: true}); err != nil {
			t.Fatal(err)
		}
	}
	if err := preload(ctx, c, "soak/big", soakBigBytes, rng); err != nil {
		t.Fatal(err)
	}
	rs := startSampler(srv, 100*time.Millisecond)
	defer rs.close()

	attackCtx, stopAttacks := context.WithCancel(ctx)
	defer stopAttacks()
	var attacks sync.WaitGroup
	var attackStats soakAttackStats
	for i := range soakSlowGRPCReaders {
		attacks.Add(1)
		go func() { defer attacks.Done(); slowGRPCReader(attackCtx, srv, uint64(i%2), &attackStats) }()
	}
	for range soakSlowSSEReaders {
		attacks.Add(1)
		go func() { defer attacks.Done(); slowSSEReader(attackCtx, srv, &attackStats) }()
	}
	for i := range soakUnreadAckers {
		attacks.Add(1)
		go func() { defer attacks.Done(); unreadAcker(attackCtx, srv, fmt.Sprintf("acker-%d", i), &attackStats) }()
	}
	attacks.Add(2)
	go func() { defer attacks.Done(); idleConns(attackCtx, srv.grpcAddr, soakIdleConns, true, &attackStats) }()
	go func() { defer attacks.Done(); idleConns(attackCtx, srv.httpAddr, soakIdleConns, false, &attackStats) }()
	attacks.Add(1)
	go func() { defer attacks.Done(); largeNDJSON(attackCtx, srv, &attackStats) }()

	// The normal clients.
	var acked sync.Map // payload -> pointer text
	var nAcked atomic.Int64
	writeCtx, stopWrites := context.WithTimeout(ctx, dur)
	defer stopWrites()
	var writers sync.WaitGroup
	writeErrs := make(chan error, soakNormalWriters)
	for g := range soakNormalWriters {
		writers.Add(1)
		go func() {
			defer writers.Done()
			writeErrs <- normalWriter(writeCtx, ctx, c, g, &acked, &nAcked)
		}()
	}
	follower := make(chan followResult, 1)
	followCtx, stopFollow := context.WithCancel(ctx)
	defer stopFollow()
	var target atomic.Int64 // set once the writers are done: stop after this many
	target.Store(-1)
	go func() { follower <- follow(followCtx, c, "soak/normal", &target) }()

	writers.Wait()
	close(writeErrs)
	for err := range writeErrs {
		if err != nil {
			t.Errorf("normal writer: %v", err)
		}
	}
	stopAttacks()
	attacks.Wait()
	rs.close()
	peak, _, _, samples := rs.maxima()
	t.Logf("normal writers: %d events acknowledged; attacks: %s", nAcked.Load(), attackStats.String())
	t.Logf("server peak RSS %s over %d samples (bound %s)", mib(peak), samples, mib(maxRSS))
	if exited, err := srv.exited(); exited {
		t.Fatalf("the server exited during the soak: %v\n%s", err, srv.output(8<<10))
	}

	// Every acknowledged event, from the head, once.
	tail, err := c.TailCut(ctx, "soak/normal")
	if err != nil {
		t.Fatal(err)
	}
	seen, err := readAllPayloads(ctx, c, "soak/normal", braid.UntilCut(tail))
	if err != nil {
		t.Fatalf("reading soak/normal back: %v", err)
	}
	checkAcked(t, "read from the head", &acked, seen)

	// The follower, once it has seen as many events as were acknowledged
	// (or after a minute, when some are missing).
	target.Store(nAcked.Load())
	stopAt := time.AfterFunc(time.Minute, stopFollow)
	defer stopAt.Stop()
	fr := <-follower
	if fr.err != nil && !errors.Is(fr.err, context.Canceled) {
		t.Errorf("follower: %v", fr.err)
	}
	checkAcked(t, "the follower", &acked, fr.seen)

	if nAcked.Load() == 0 {
		t.Error("the normal writers had no event acknowledged")
	}
	if peak > maxRSS {
		t.Errorf("server peak RSS %s is over the bound %s", mib(peak), mib(maxRSS))
	}
	if m, err := scrapeMetrics(ctx, srv); err == nil {
		if f := m["braid_limit_hits_total"]; f != nil {
			for _, s := range f.GetMetric() {
				t.Logf("braid_limit_hits_total{limit=%q} %v", s.GetLabel()[0].GetValue(), s.GetCounter().GetValue())
			}
		}
	}
}

// soakAttackStats counts what the hostile clients did.
type soakAttackStats struct {
	grpcStreams, sseConns, ackBatches, idleConns, ndjsonBodies atomic.Int64
	ndjsonStatus                                               sync.Map // status code -> count (*atomic.Int64)
}

func (s *soakAttackStats) String() string {
	var st bytes.Buffer
	s.ndjsonStatus.Range(func(k, v any) bool {
		fmt.Fprintf(&st, " %v:%d", k, v.(*atomic.Int64).Load())
		return true
	})
	return fmt.Sprintf("%d unread ReadSegment calls, %d unread SSE subscriptions, %d batches with unread acks, %d idle connections, %d large NDJSON bodies (statuses%s)",
		s.grpcStreams.Load(), s.sseConns.Load(), s.ackBatches.Load(), s.idleConns.Load(), s.ndjsonBodies.Load(), st.String())
}

// preload writes n bytes of 64 KiB events to stream. (What a reader that
// never reads pins grows with the event size, since a response holds whole
// events: about two events or responses per segment; docs/operations.md.)
func preload(ctx context.Context, c *braid.Client, stream string, n int, rng *rand.Rand) error {
	w, err := c.NewWriter(ctx, stream)
	if err != nil {
		return err
	}
	defer w.Close(ctx)
	payload := make([]byte, 64<<10)
	var last braid.Ack
	for i := 0; i < n; i += len(payload) {
		for j := range payload {
			payload[j] = byte(rng.Uint32())
		}
		last = w.Write(ctx, fmt.Sprintf("k%d", i%7), payload)
	}
	if _, err := last.Wait(ctx); err != nil {
		return err
	}
	return w.Flush(ctx)
}

// slowGRPCReader keeps a ReadSegment call with follow and 16 MiB max_bytes
// open and never receives from it, opening a new one every 20 s.
func slowGRPCReader(ctx context.Context, srv *server, segment uint64, st *soakAttackStats) {
	conn, err := grpc.NewClient(srv.grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return
	}
	defer conn.Close()
	dc := braidv1.NewDataServiceClient(conn)
	for ctx.Err() == nil {
		callCtx, cancel := context.WithTimeout(ctx, 20*time.Second)
		if _, err := dc.ReadSegment(callCtx, &braidv1.ReadSegmentRequest{Scope: "soak", Stream: "big",
			SegmentId: segment, MaxBytes: 16 << 20, Follow: true}); err == nil {
			st.grpcStreams.Add(1)
		}
		<-callCtx.Done()
		cancel()
	}
}

// slowSSEReader subscribes to the big stream's events and never reads,
// subscribing again every 20 s.
func slowSSEReader(ctx context.Context, srv *server, st *soakAttackStats) {
	for ctx.Err() == nil {
		var d net.Dialer
		conn, err := d.DialContext(ctx, "tcp", srv.httpAddr)
		if err != nil {
			return
		}
		fmt.Fprintf(conn, "GET /v1/streams/soak/big/events/stream?from=head HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
		st.sseConns.Add(1)
		t := time.NewTimer(20 * time.Second)
		select {
		case <-ctx.Done():
		case <-t.C:
		}
		t.Stop()
		conn.Close()
	}
}

// unreadAcker sends small batches on an append session as fast as the
// server takes them and never reads an ack.
func unreadAcker(ctx context.Context, srv *server, writer string, st *soakAttackStats) {
	conn, err := grpc.NewClient(srv.grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return
	}
	defer conn.Close()
	sess, err := braidv1.NewDataServiceClient(conn).Append(ctx)
	if err != nil {
		return
	}
	if err := sess.Send(&braidv1.AppendRequest{Kind: &braidv1.AppendRequest_Open{Open: &braidv1.AppendOpen{
		Writer: 1, Scope: "soak", Stream: "acks", WriterId: writer}}}); err != nil {
		return
	}
	// The answer to the open names the segment; no ack is read after it.
	resp, err := sess.Recv()
	if err != nil || resp.GetOpened().GetError() != nil || len(resp.GetOpened().GetSegments()) == 0 {
		return
	}
	seg := resp.GetOpened().GetSegments()[0].GetSegmentId()
	frame := wire.AppendFrame(nil, []byte("unread"))
	for n := int64(1); ctx.Err() == nil; n++ {
		if err := sess.Send(&braidv1.AppendRequest{Kind: &braidv1.AppendRequest_Batches{Batches: &braidv1.AppendBatches{
			Batches: []*braidv1.AppendBatch{{Writer: 1, BatchId: uint64(n), SegmentId: seg, FirstEventNumber: n, EventCount: 1, Events: frame}}}}}); err != nil {
			return
		}
		st.ackBatches.Add(1)
	}
}

// idleConns holds n idle connections to addr (with preface, after an
// HTTP/2 client preface and SETTINGS frame), and opens a new one a moment
// after each the server closes or refuses (a pause, so that the test's own
// CPU goes to the server on a small machine).
func idleConns(ctx context.Context, addr string, n int, preface bool, st *soakAttackStats) {
	var wg sync.WaitGroup
	defer wg.Wait()
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				var d net.Dialer
				conn, err := d.DialContext(ctx, "tcp", addr)
				if err == nil {
					st.idleConns.Add(1)
					if preface {
						conn.Write([]byte("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00"))
					}
					stop := context.AfterFunc(ctx, func() { conn.Close() })
					io.Copy(io.Discard, conn) // until the server or the end closes it
					stop()
					conn.Close()
				}
				t := time.NewTimer(500 * time.Millisecond)
				select {
				case <-ctx.Done():
				case <-t.C:
				}
				t.Stop()
			}
		}()
	}
}

// largeNDJSON posts 63 MiB NDJSON bodies of empty events (5.5 M of them),
// one at a time: every other one as a careless client sends it (refused:
// too many events for an answer per event), the others with
// answer=summary, which stores them.
func largeNDJSON(ctx context.Context, srv *server, st *soakAttackStats) {
	line := []byte("{\"data\":\"\"}\n")
	body := bytes.Repeat(line, soakNDJSONBytes/len(line))
	hc := &http.Client{}
	for i := 0; ctx.Err() == nil; i++ {
		url := "http://" + srv.httpAddr + "/v1/streams/soak/nd/events"
		if i%2 == 1 {
			url += "?answer=summary"
		}
		req, err := http.NewRequestWithContext(ctx, "POST", url, bytes.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", "application/x-ndjson")
		resp, err := hc.Do(req)
		if err != nil {
			continue
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		st.ndjsonBodies.Add(1)
		v, _ := st.ndjsonStatus.LoadOrStore(resp.StatusCode, new(atomic.Int64))
		v.(*atomic.Int64).Add(1)
	}
}

// normalWriter writes unique events until writeCtx ends, keeping up to 64
// unacknowledged, and records each acknowledged one. ctx bounds the last
// waits.
func normalWriter(writeCtx, ctx context.Context, c *braid.Client, g int, acked *sync.Map, n *atomic.Int64) error {
	w, err := c.NewWriter(ctx, "soak/normal")
	if err != nil {
		return err
	}
	defer w.Close(ctx)
	type pending struct {
		payload string
		res     braid.Ack
	}
	var window []pending
	wait := func(p pending) error {
		ptr, err := p.res.Wait(ctx)
		if err != nil {
			return fmt.Errorf("event %s: %w", p.payload, err)
		}
		acked.Store(p.payload, ptr.String())
		n.Add(1)
		return nil
	}
	for i := 0; writeCtx.Err() == nil; i++ {
		payload := fmt.Sprintf("w%d-%08d", g, i)
		window = append(window, pending{payload, w.Write(ctx, fmt.Sprintf("key-%d", i%16), []byte(payload))})
		if len(window) == 64 {
			if err := wait(window[0]); err != nil {
				return err
			}
			window = window[1:]
		}
	}
	for _, p := range window {
		if err := wait(p); err != nil {
			return err
		}
	}
	return nil
}

type followResult struct {
	seen map[string]int
	err  error
}

// follow reads stream from the head, following the tail, until ctx ends or
// it has seen target events (once target is 0 or more).
func follow(ctx context.Context, c *braid.Client, stream string, target *atomic.Int64) followResult {
	seen := map[string]int{}
	r, err := c.NewReader(ctx, stream, braid.FromHead())
	if err != nil {
		return followResult{seen, err}
	}
	defer r.Close()
	for {
		ev, err := r.Next(ctx)
		if err != nil {
			return followResult{seen, err}
		}
		seen[string(ev.Data)]++
		if n := target.Load(); n >= 0 && int64(len(seen)) >= n {
			return followResult{seen, nil}
		}
	}
}

// readAllPayloads reads stream from the head with opts and counts each
// payload.
func readAllPayloads(ctx context.Context, c *braid.Client, stream string, opts ...braid.ReaderOption) (map[string]int, error) {
	seen := map[string]int{}
	r, err := c.NewReader(ctx, stream, append([]braid.ReaderOption{braid.FromHead()}, opts...)...)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	for {
		ev, err := r.Next(ctx)
		if errors.Is(err, io.EOF) {
			return seen, nil
		}
		if err != nil {
			return seen, err
		}
		seen[string(ev.Data)]++
	}
}

// checkAcked fails the test for every acknowledged payload not seen
// exactly once (and lists up to 10).
func checkAcked(t *testing.T, who string, acked *sync.Map, seen map[string]int) {
	t.Helper()
	var missing, twice int
	var examples bytes.Buffer
	ex := bufio.NewWriter(&examples)
	acked.Range(func(k, v any) bool {
		switch seen[k.(string)] {
		case 1:
			return true
		case 0:
			missing++
		default:
			twice++
		}
		if missing+twice <= 10 {
			fmt.Fprintf(ex, "\n  %s at %s seen %d times", k, v, seen[k.(string)])
		}
		return true
	})
	ex.Flush()
	if missing+twice > 0 {
		t.Errorf("%s: %d acknowledged events missing, %d seen more than once:%s", who, missing, twice, examples.String())
	}
}
