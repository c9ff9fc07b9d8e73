package fault

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/promtext"
	"github.com/braidstream/braid/internal/tier2/s3"
	"github.com/braidstream/braid/internal/tier2/tier2test"
	"github.com/braidstream/braid/wire"
)

// ---- versitygw, a real S3 server -----------------------------------------

const (
	gwAccessKey = "braidfaultkey"
	gwSecretKey = "braidfaultsecret123"
)

// versityGW runs versitygw (posix backend) as a child process on one data
// directory and one port, across kills and restarts.
type versityGW struct {
	t       *testing.T
	bin     string
	dataDir string
	logPath string
	addr    string

	mu   sync.Mutex // guards proc
	proc *process
}

// newVersityGW prepares a versitygw in t.TempDir(). Without the binary the
// test is skipped, or fails when CI=true (as the S3 backend's tests do).
// Cleanup kills the process.
func newVersityGW(t *testing.T) *versityGW {
	t.Helper()
	bin := tier2test.FindVersityGW()
	if bin == "" {
		const how = "versitygw not found (set BRAID_VERSITYGW, or install it: " +
			"go install github.com/versity/versitygw/cmd/versitygw@v1.8.0)"
		if os.Getenv("CI") == "true" {
			t.Fatal(how)
		}
		t.Skip(how)
	}
	dir := t.TempDir()
	g := &versityGW{
		t:       t,
		bin:     bin,
		dataDir: filepath.Join(dir, "s3"),
		logPath: filepath.Join(dir, "versitygw.log"),
		addr:    freeAddr(t),
	}
	if err := os.MkdirAll(g.dataDir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		g.killNow()
		if t.Failed() {
			b, _ := os.ReadFile(g.logPath)
			t.Logf("versitygw output:\n%s", tail(string(b), 8<<10))
		}
	})
	return g
}

func (g *versityGW) endpoint() string { return "http://" + g.addr }

// start starts versitygw and waits until it answers an authenticated
// ListBuckets.
func (g *versityGW) start(ctx context.Context) error {
	g.mu.Lock()
	if g.proc != nil {
		g.mu.Unlock()
		return errors.New("versitygw already running")
	}
	log, err := os.OpenFile(g.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		g.mu.Unlock()
		return err
	}
	fmt.Fprintf(log, "\n===== fault test: versitygw start at %s =====\n", time.Now().Format(time.RFC3339Nano))
	cmd := exec.Command(g.bin, "--port", g.addr, "posix", g.dataDir)
	cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY="+gwAccessKey, "ROOT_SECRET_KEY="+gwSecretKey)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = childAttr()
	err = cmd.Start()
	log.Close() // the child has its own copy
	if err != nil {
		g.mu.Unlock()
		return fmt.Errorf("start %s: %v", g.bin, err)
	}
	p := &process{cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	g.proc = p
	g.mu.Unlock()

	var last error
	if !waitFor(ctx, readyTimeout, func() bool {
		select {
		case <-p.done:
			return true
		default:
		}
		last = g.call(ctx, func(ctx context.Context, c *awss3.Client, o func(*awss3.Options)) error {
			_, err := c.ListBuckets(ctx, &awss3.ListBucketsInput{}, o)
			return err
		})
		return last == nil
	}) {
		return fmt.Errorf("versitygw at %s not ready within %v: %v", g.addr, readyTimeout, last)
	}
	select {
	case <-p.done:
		return fmt.Errorf("versitygw exited at start: %v", p.err)
	default:
	}
	return nil
}

// call runs one S3 request against the server with its own short-lived
// connection (no idle connections outlive it).
func (g *versityGW) call(ctx context.Context, f func(context.Context, *awss3.Client, func(*awss3.Options)) error) error {
	st, err := s3.New(ctx, s3.Config{Bucket: "probe", Endpoint: g.endpoint(), AccessKey: gwAccessKey, SecretKey: gwSecretKey, PathStyle: true})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	tr := &http.Transport{DisableKeepAlives: true}
	defer tr.CloseIdleConnections()
	return f(ctx, st.Client(), func(o *awss3.Options) {
		o.HTTPClient = &http.Client{Transport: tr}
		o.RetryMaxAttempts = 1
	})
}

func (g *versityGW) createBucket(ctx context.Context, bucket string) error {
	return g.call(ctx, func(ctx context.Context, c *awss3.Client, o func(*awss3.Options)) error {
		_, err := c.CreateBucket(ctx, &awss3.CreateBucketInput{Bucket: aws.String(bucket)}, o)
		return err
	})
}

// kill sends SIGKILL and waits for the process to exit.
func (g *versityGW) kill() error {
	g.mu.Lock()
	p := g.proc
	g.proc = nil
	g.mu.Unlock()
	if p == nil {
		return errors.New("versitygw not running")
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		select {
		case <-p.done:
		default:
			return fmt.Errorf("SIGKILL versitygw: %v", err)
		}
	}
	timer := time.NewTimer(exitTimeout)
	defer timer.Stop()
	select {
	case <-p.done:
		return nil
	case <-timer.C:
		return fmt.Errorf("versitygw did not exit within %v of SIGKILL", exitTimeout)
	}
}

func (g *versityGW) killNow() {
	g.mu.Lock()
	p := g.proc
	g.proc = nil
	g.mu.Unlock()
	if p != nil {
		p.cmd.Process.Kill()
		<-p.done
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "[...]\n" + s[len(s)-n:]
	}
	return s
}

// ---- the outage workload -------------------------------------------------

// outageEvent is one event written by the outage workload. Its payload
// names (goroutine, key, seq): seq counts the goroutine's events of that
// key from 1, across the braid.Writers the goroutine goes through (a
// Writer that gave up is replaced by a new one).
type outageEvent struct {
	id       eventID
	instance int // which braid.Writer wrote it (global count from 1)
	written  time.Time
	latency  time.Duration // from Write to the ack or failure
	acked    bool
	failed   bool
	err      error
	ptr      braid.EventPointer
}

// outageWorkload runs goroutines that each append one event at a time and
// wait for its ack before the next (per-append acks, so that slow-downs
// and failures show per append). A goroutine whose Writer gives up (short
// retry timeout) records the failure, closes it and goes on with a new one.
type outageWorkload struct {
	c      *braid.Client
	stream string
	seed   int64

	acked     atomic.Int64
	failures  atomic.Int64
	instances atomic.Int64

	mu        sync.Mutex // guards the fields below
	events    map[eventID]*outageEvent
	failedBy  map[int]bool // goroutines with at least one failed append
	probs     []string     // unexpected errors (not append failures)
	firstFail *outageEvent

	stopGen context.CancelFunc
	wg      sync.WaitGroup
}

const (
	outageGoroutines = 4
	outageKeys       = 16 // key k belongs to goroutine k % outageGoroutines
	outageRetry      = time.Second
)

func startOutageWorkload(ctx context.Context, c *braid.Client, stream string, seed int64) *outageWorkload {
	wl := &outageWorkload{c: c, stream: stream, seed: seed, events: map[eventID]*outageEvent{}, failedBy: map[int]bool{}}
	genCtx, cancel := context.WithCancel(ctx)
	wl.stopGen = cancel
	for g := range outageGoroutines {
		wl.wg.Add(1)
		go wl.run(ctx, genCtx, g)
	}
	return wl
}

// stop makes the goroutines finish the append at hand and return, and
// waits for them. The acks still pending are waited for within ctx.
func (wl *outageWorkload) stop() {
	wl.stopGen()
	wl.wg.Wait()
}

func (wl *outageWorkload) problem(format string, args ...any) {
	wl.mu.Lock()
	defer wl.mu.Unlock()
	wl.probs = append(wl.probs, fmt.Sprintf(format, args...))
}

func (wl *outageWorkload) run(ctx, genCtx context.Context, g int) {
	defer wl.wg.Done()
	rng := rand.New(rand.NewSource(wl.seed + int64(g)))
	var keys []uint16
	for k := uint16(g); k < outageKeys; k += outageGoroutines {
		keys = append(keys, k)
	}
	next := map[uint16]uint64{}
	var w *braid.Writer
	instance := 0
	closeWriter := func() {
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		// A writer that gave up reports its error again: not news.
		_ = w.Close(cctx)
		w = nil
	}
	defer func() {
		if w != nil {
			closeWriter()
		}
	}()
	for genCtx.Err() == nil {
		if w == nil {
			nctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			var err error
			w, err = wl.c.NewWriter(nctx, wl.stream, braid.WithRetryTimeout(outageRetry))
			cancel()
			if err != nil {
				wl.problem("goroutine %d: NewWriter: %v", g, err)
				return
			}
			instance = int(wl.instances.Add(1))
		}
		k := keys[rng.Intn(len(keys))]
		next[k]++
		ev := &outageEvent{id: eventID{Writer: uint16(g), Key: k, Seq: next[k]}, instance: instance, written: time.Now()}
		payload := encodePayload(ev.id, 2<<10+rng.Intn(14<<10))
		wl.mu.Lock()
		wl.events[ev.id] = ev
		wl.mu.Unlock()
		ptr, err := w.Write(ctx, routingKey(k), payload).Wait(ctx)
		lat := time.Since(ev.written)
		wl.mu.Lock()
		ev.latency = lat
		switch {
		case err == nil:
			ev.acked, ev.ptr = true, ptr
		case ctx.Err() != nil:
			// The test is ending: not acknowledged, not a failure.
		default:
			ev.failed, ev.err = true, err
			wl.failedBy[g] = true
			if wl.firstFail == nil {
				wl.firstFail = ev
			}
		}
		wl.mu.Unlock()
		switch {
		case err == nil:
			wl.acked.Add(1)
		case ctx.Err() != nil:
			return
		default:
			wl.failures.Add(1)
			closeWriter()
		}
	}
}

// failureState returns the first failure and how many goroutines have failed
// at least once.
func (wl *outageWorkload) failureState() (first *outageEvent, goroutinesFailed int) {
	wl.mu.Lock()
	defer wl.mu.Unlock()
	if wl.firstFail != nil {
		cp := *wl.firstFail
		first = &cp
	}
	return first, len(wl.failedBy)
}

// ---- TestS3Outage ---------------------------------------------------------

// TestS3Outage runs braid with tier 2 on a real S3 server (versitygw),
// kills the S3 server in the middle of a steady stream of appends, and
// checks what DESIGN.md item 7 promises for a tier-2 outage: appends are
// first throttled, then refused with UNAVAILABLE "tier 2 unavailable or
// behind"; /metrics shows the failing writes; nothing acknowledged is lost;
// once the S3 server is back (same data, same port) appends resume without
// a restart of braid and everything reaches tier 2; every acknowledged
// event reads back exactly once and in order, also after a SIGKILL of
// braid, from S3.
func TestS3Outage(t *testing.T) {
	gw := newVersityGW(t)
	seed := crashSeed(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := gw.start(ctx); err != nil {
		t.Fatal(err)
	}
	const bucket = "braid-outage"
	if err := gw.createBucket(ctx, bucket); err != nil {
		t.Fatalf("create bucket %s: %v", bucket, err)
	}
	// The smallest --max-unflushed two containers accept: each
	// container's share (16 MiB) must hold one maximum append.
	srv := newServer(t,
		"--tier2", "s3://"+bucket+"/tier2",
		"--s3-endpoint", gw.endpoint(), "--s3-path-style",
		"--s3-access-key", gwAccessKey, "--s3-secret-key", gwSecretKey,
		"--max-unflushed", "32MiB", "--flush-interval", "200ms", "--chunk-size", "256KiB",
		"--containers", "2")
	if err := srv.start(ctx); err != nil {
		t.Fatal(err)
	}
	c, err := dial(ctx, srv)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { c.Close() }()
	const stream = "tier2/outage"
	if _, err := c.CreateStream(ctx, stream, braid.StreamConfig{Segments: 4, CreateScope: true}); err != nil {
		t.Fatalf("CreateStream %s: %v", stream, err)
	}
	serverOutput := func() string {
		return fmt.Sprintf("--- braid log lines with warnings or errors ---\n%s", notableLines(srv.fullLog(1<<22), 40))
	}
	metrics := func() promtext.Set {
		t.Helper()
		m, err := scrapeMetrics(ctx, srv)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}

	wl := startOutageWorkload(ctx, c, stream, seed)
	t.Cleanup(func() {
		cancel()
		wl.stop()
	})

	// Appends flow and data reaches S3.
	if !waitFor(ctx, readyTimeout, func() bool {
		m, err := scrapeMetrics(ctx, srv)
		return wl.acked.Load() >= 200 && err == nil && m.Sum("braid_tier2_written_bytes_total") > 0
	}) {
		t.Fatalf("appends did not get going, or nothing reached S3, within %v (%d acked)\n%s", readyTimeout, wl.acked.Load(), serverOutput())
	}
	if n := wl.failures.Load(); n > 0 {
		first, _ := wl.failureState()
		t.Fatalf("%d appends failed before the outage; the first: %v", n, first.err)
	}
	m := metrics()
	throttled0 := m.Sum("braid_segstore_throttled_appends_total")
	behind0 := m.Sum("braid_segstore_append_errors_total", "reason", "tier2_behind")
	ackedBefore := wl.acked.Load()

	// The outage.
	if err := gw.kill(); err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	t.Logf("versitygw killed with SIGKILL after %d acknowledged appends", ackedBefore)

	// First throttled, then refused; /metrics says tier 2 is failing.
	var throttledAt, failingAt time.Time
	var lastScrape error
	if !waitFor(ctx, 2*time.Minute, func() bool {
		m, err := scrapeMetrics(ctx, srv)
		lastScrape = err
		if err != nil {
			return false
		}
		now := time.Now()
		if throttledAt.IsZero() && m.Sum("braid_segstore_throttled_appends_total") > throttled0 {
			throttledAt = now
		}
		if failingAt.IsZero() && m.Max("braid_tier2_write_failing") == 1 {
			failingAt = now
		}
		_, failed := wl.failureState()
		return failed == outageGoroutines && !failingAt.IsZero()
	}) {
		_, failed := wl.failureState()
		t.Fatalf("within 2 minutes of the outage: %d of %d writers saw an append fail, tier2_write_failing seen at %v, throttling seen at %v (last scrape: %v)\n%s",
			failed, outageGoroutines, failingAt, throttledAt, lastScrape, serverOutput())
	}
	first, _ := wl.failureState()
	m = metrics()
	t.Logf("outage: tier2_write_failing=1 after %v, first throttled append after %v, first append failed after %v (%v after it was written): %v",
		failingAt.Sub(killed).Round(time.Millisecond), throttledAt.Sub(killed).Round(time.Millisecond),
		first.written.Add(first.latency).Sub(killed).Round(time.Millisecond), first.latency.Round(time.Millisecond), first.err)
	if throttledAt.IsZero() || !throttledAt.Before(first.written.Add(first.latency)) {
		t.Errorf("appends were not throttled before they failed: throttled_appends_total rose at %v, the first failure came at %v",
			throttledAt, first.written.Add(first.latency))
	}
	if got := m.Sum("braid_segstore_append_errors_total", "reason", "tier2_behind"); got <= behind0 {
		t.Errorf("braid_segstore_append_errors_total{reason=\"tier2_behind\"} is %v, was %v before the outage", got, behind0)
	}
	checkTier2Error(t, first.err)

	// Back: same data directory, same port. Appends resume with no
	// restart of braid.
	ackedOutage := wl.acked.Load()
	if err := gw.start(ctx); err != nil {
		t.Fatalf("restarting versitygw: %v", err)
	}
	back := time.Now()
	t.Logf("versitygw restarted %v after the kill; %d appends acknowledged during the outage, %d failed",
		back.Sub(killed).Round(time.Millisecond), ackedOutage-ackedBefore, wl.failures.Load())
	var resumedAt, recoveredAt time.Time
	if !waitFor(ctx, 2*time.Minute, func() bool {
		m, err := scrapeMetrics(ctx, srv)
		if err != nil {
			return false
		}
		if resumedAt.IsZero() && wl.acked.Load() >= ackedOutage+50 {
			resumedAt = time.Now()
		}
		if recoveredAt.IsZero() && m.Has("braid_tier2_write_failing") && m.Max("braid_tier2_write_failing") == 0 {
			recoveredAt = time.Now()
		}
		return !resumedAt.IsZero() && !recoveredAt.IsZero() && wl.acked.Load() >= ackedOutage+300
	}) {
		t.Fatalf("within 2 minutes of restarting versitygw: %d appends acknowledged (want %d more), tier 2 recovered at %v\n%s",
			wl.acked.Load()-ackedOutage, 300, recoveredAt, serverOutput())
	}
	t.Logf("recovery: tier2_write_failing=0 after %v, appends resumed (50 more acked) after %v",
		recoveredAt.Sub(back).Round(time.Millisecond), resumedAt.Sub(back).Round(time.Millisecond))

	wl.stop()
	// Everything reaches tier 2.
	if !waitFor(ctx, time.Minute, func() bool {
		m, err := scrapeMetrics(ctx, srv)
		return err == nil && m.Has("braid_segstore_unflushed_bytes") &&
			m.Sum("braid_segstore_unflushed_bytes") == 0 && m.Max("braid_tier2_write_failing") == 0 && m.Sum("braid_wal_retained_bytes") == 0
	}) {
		m := metrics()
		t.Fatalf("not everything reached S3 within a minute: unflushed %v, write_failing %v, WAL retained %v\n%s",
			m.Sum("braid_segstore_unflushed_bytes"), m.Max("braid_tier2_write_failing"), m.Sum("braid_wal_retained_bytes"), serverOutput())
	}
	m = metrics()
	t.Logf("after: throttled appends %v, appends refused (tier2_behind) %v, tier-2 put errors %v, %s written to S3",
		m.Sum("braid_segstore_throttled_appends_total")-throttled0,
		m.Sum("braid_segstore_append_errors_total", "reason", "tier2_behind")-behind0,
		m.Sum("braid_tier2_errors_total", "op", "put"), mib(int64(m.Sum("braid_tier2_written_bytes_total"))))

	// Judge the appends and read the stream back.
	wl.mu.Lock()
	probs := append([]string(nil), wl.probs...)
	wl.mu.Unlock()
	for _, p := range probs {
		t.Errorf("workload: %s", p)
	}
	var acked, failed, slow int
	var maxAcked time.Duration
	for _, ev := range wl.events {
		switch {
		case ev.acked:
			acked++
			maxAcked = max(maxAcked, ev.latency)
			if ev.latency > time.Second {
				slow++
			}
		case ev.failed:
			failed++
			if ev.written.Add(ev.latency).Before(killed) {
				t.Errorf("%v failed before the outage: %v", ev.id, ev.err)
			}
			checkTier2Error(t, ev.err)
		}
	}
	t.Logf("appends: %d acknowledged (%d took over 1s, the slowest %v), %d refused, %d writers used",
		acked, slow, maxAcked.Round(time.Millisecond), failed, wl.instances.Load())

	check := func(what string) {
		t.Helper()
		begin := time.Now()
		st, probs, err := verifyOutage(ctx, c, stream, wl.events)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if !probs.empty() {
			t.Fatalf("[seed %d] %s breaks the contract:\n%s\n%s", seed, what, probs, serverOutput())
		}
		t.Logf("%s (%v): %d events, %s from %d segments: all %d acknowledged ones exactly once and in order, plus %d refused ones stored",
			what, time.Since(begin).Round(time.Millisecond), st.events, mib(st.framed), st.segments, st.acked, st.unacked)
	}
	check("read back")

	// SIGKILL braid, restart it, and read again: all from S3 now.
	c.Close()
	if err := srv.kill(); err != nil {
		t.Fatal(err)
	}
	if err := srv.start(ctx); err != nil {
		t.Fatalf("restart after SIGKILL: %v", err)
	}
	if c, err = dial(ctx, srv); err != nil {
		t.Fatal(err)
	}
	check("read back after SIGKILL and restart of braid")
	m = metrics()
	if m.Sum("braid_tier2_read_bytes_total") == 0 {
		t.Errorf("after the restart nothing was read from S3 (braid_tier2_read_bytes_total 0)")
	}
	t.Logf("after the restart %s read from S3", mib(int64(m.Sum("braid_tier2_read_bytes_total"))))
}

// checkTier2Error checks that err is what an append refused for a tier-2
// outage must give: code UNAVAILABLE and a message that says so.
func checkTier2Error(t *testing.T, err error) {
	t.Helper()
	var be *braid.Error
	switch {
	case !errors.As(err, &be):
		t.Errorf("append error %v (%T) is not a *braid.Error", err, err)
	case be.Code != wire.CodeUnavailable || !errors.Is(err, braid.ErrUnavailable):
		t.Errorf("append error has code %s, want %s: %v", be.Code, wire.CodeUnavailable, err)
	case !strings.Contains(be.Message, "tier 2 unavailable or behind"):
		t.Errorf("append error %q does not say \"tier 2 unavailable or behind\"", be.Message)
	}
}

type outageStats struct {
	events, acked, unacked int
	framed                 int64
	segments               int
}

// verifyOutage reads the whole stream and checks it against the events
// written: every payload byte; each segment contiguous from 0; nothing read
// twice and nothing never written; every acknowledged event present at the
// pointer of its ack; per (goroutine, key) the acknowledged events in the
// order written, and each Writer's events in the order it wrote them.
func verifyOutage(ctx context.Context, c *braid.Client, stream string, events map[eventID]*outageEvent) (outageStats, *problems, error) {
	ctx, cancel := context.WithTimeout(ctx, readTimeout)
	defer cancel()
	var st outageStats
	p := &problems{}
	r, err := c.NewReader(ctx, stream, braid.FromHead(), braid.UntilTail())
	if err != nil {
		return st, p, fmt.Errorf("NewReader: %w", err)
	}
	defer r.Close()
	type writerKey struct {
		instance int
		key      uint16
	}
	seen := map[eventID]bool{}
	lastAcked := map[wkey]uint64{}
	lastByWriter := map[writerKey]uint64{}
	nextOff := map[uint64]int64{}
	for {
		e, err := r.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return st, p, fmt.Errorf("Reader.Next after %d events: %w", st.events, err)
		}
		st.events++
		ptr := e.Pointer
		st.framed += int64(ptr.Length)
		if off := nextOff[ptr.SegmentID]; ptr.Offset != off {
			p.add("segment not contiguous", "segment %016x: event at offset %d, previous event ended at %d", ptr.SegmentID, ptr.Offset, off)
		}
		nextOff[ptr.SegmentID] = ptr.Offset + int64(ptr.Length)
		id, err := parsePayload(e.Data)
		if err != nil {
			p.add("payload does not parse", "at %s: %v", ptr, err)
			continue
		}
		ev := events[id]
		switch {
		case ev == nil:
			p.add("event read that was never written", "%v at %s", id, ptr)
			continue
		case seen[id]:
			p.add("event read twice", "%v (acknowledged: %v), again at %s", id, ev.acked, ptr)
			continue
		}
		seen[id] = true
		wk := writerKey{ev.instance, id.Key}
		if id.Seq <= lastByWriter[wk] {
			p.add("a writer's events out of order", "writer %d key %d: #%d read after #%d", ev.instance, id.Key, id.Seq, lastByWriter[wk])
		}
		lastByWriter[wk] = max(lastByWriter[wk], id.Seq)
		if !ev.acked {
			st.unacked++
			continue
		}
		st.acked++
		k := wkey{id.Writer, id.Key}
		if id.Seq <= lastAcked[k] {
			p.add("acknowledged events out of order", "goroutine %d key %d: #%d read after #%d", id.Writer, id.Key, id.Seq, lastAcked[k])
		}
		lastAcked[k] = id.Seq
		if a, b := stripStream(ev.ptr), stripStream(ptr); a != b {
			p.add("ack pointer differs from where the event was read", "%v: ack said %s, read at %s", id, a, b)
		}
	}
	st.segments = len(nextOff)
	for id, ev := range events {
		if ev.acked && !seen[id] {
			p.add("acknowledged event lost", "%v acked at %s (written %v, writer %d)", id, stripStream(ev.ptr), ev.written.Format(time.RFC3339Nano), ev.instance)
		}
	}
	return st, p, nil
}
