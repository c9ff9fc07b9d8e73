package fault

import (
	"context"
	"fmt"
	"math/rand"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid"
)

// crashSeed returns the seed of this run and logs how to replay it.
func crashSeed(t *testing.T) int64 {
	seed := *flagSeed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	t.Logf("seed %d (replay: go test ./test/fault -run '^%s$' -count=1 -v -crash.seed=%d)", seed, t.Name(), seed)
	return seed
}

// crashRig is one server, one client and one workload on a fresh stream,
// torn down in t.Cleanup however the test ends.
type crashRig struct {
	t      *testing.T
	seed   int64
	ctx    context.Context
	srv    *server
	client *braid.Client
	wl     *workload
	stream string
}

func newCrashRig(t *testing.T, seed int64, segments int, cfg workloadConfig, serverArgs ...string) *crashRig {
	ctx, cancel := context.WithCancel(context.Background())
	// Small chunks and a short flush interval, so that crashes land in
	// the middle of moving data to tier 2 and truncating the log too.
	srv := newServer(t, append([]string{"--fsync", "always", "--chunk-size", "64KiB", "--flush-interval", "100ms"}, serverArgs...)...)
	// Cleanups run last-registered first: the workload's goroutines stop
	// (ctx cancelled, writers closed) before the server is killed.
	t.Cleanup(cancel)
	rig := &crashRig{t: t, seed: seed, ctx: ctx, srv: srv, stream: "crash/braid"}
	if err := srv.start(ctx); err != nil {
		rig.fatalf("first start: %v", err)
	}
	c, err := dial(ctx, srv)
	if err != nil {
		rig.fatalf("%v", err)
	}
	rig.client = c
	t.Cleanup(func() { c.Close() })

	info, err := c.CreateStream(ctx, rig.stream, braid.StreamConfig{Segments: segments, CreateScope: true})
	if err != nil {
		rig.fatalf("CreateStream %s: %v", rig.stream, err)
	}
	if info.Segments != segments {
		rig.fatalf("CreateStream %s: %d segments, want %d", rig.stream, info.Segments, segments)
	}
	wl, err := startWorkload(ctx, c, rig.stream, seed, cfg)
	if err != nil {
		rig.fatalf("%v", err)
	}
	rig.wl = wl
	t.Cleanup(func() {
		cancel()
		wl.shutdown()
	})
	return rig
}

// startDialed starts a server with extraArgs and connects a client to it;
// the test fails if either fails, and the client is closed when it ends.
func startDialed(ctx context.Context, t *testing.T, extraArgs ...string) (*server, *braid.Client) {
	t.Helper()
	srv := newServer(t, extraArgs...)
	if err := srv.start(ctx); err != nil {
		t.Fatal(err)
	}
	c, err := dial(ctx, srv)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return srv, c
}

func dial(ctx context.Context, srv *server) (*braid.Client, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	c, err := braid.Dial(ctx, srv.grpcAddr)
	if err != nil {
		return nil, fmt.Errorf("Dial %s: %w", srv.grpcAddr, err)
	}
	return c, nil
}

func (r *crashRig) fatalf(format string, args ...any) {
	r.t.Helper()
	r.t.Fatalf("[seed %d] "+format, append([]any{r.seed}, args...)...)
}

func (r *crashRig) errorf(format string, args ...any) {
	r.t.Helper()
	r.t.Errorf("[seed %d] "+format, append([]any{r.seed}, args...)...)
}

// crash kills the server with SIGKILL, restarts it on the same directory
// and ports, and fails the test (with the server's output) if it does not
// become ready.
func (r *crashRig) crash(cycle int) time.Duration {
	r.t.Helper()
	if exited, err := r.srv.exited(); exited {
		r.fatalf("cycle %d: the server had exited by itself before the kill: %v\n--- server output ---\n%s", cycle, err, r.srv.output(16<<10))
	}
	if err := r.srv.kill(); err != nil {
		r.fatalf("cycle %d: kill: %v", cycle, err)
	}
	r.wl.kills.Add(1)
	begin := time.Now()
	if err := r.srv.start(r.ctx); err != nil {
		r.fatalf("cycle %d: restart after SIGKILL failed: %v", cycle, err)
	}
	return time.Since(begin)
}

// waitProgress waits until some ack arrives after this call.
func (r *crashRig) waitProgress(what string) {
	r.t.Helper()
	base := r.wl.acked.Load()
	if !waitFor(r.ctx, readyTimeout, func() bool { return r.wl.acked.Load() > base }) {
		r.fatalf("%s: no append acknowledged within %v (%d acked so far)\n--- server output of the last start ---\n%s",
			what, readyTimeout, base, r.srv.output(16<<10))
	}
}

// finish stops the writers, restarts the server cleanly (SIGTERM, start),
// reads the stream back and checks it.
func (r *crashRig) finish() {
	r.t.Helper()
	for _, p := range r.wl.stopWriting(r.ctx, time.Minute) {
		r.errorf("stopping the writers: %s", p)
	}
	acked, failed, abandoned, errs := r.wl.totals()
	r.t.Logf("writers: %d events acknowledged, %d failed, %d abandoned at the stop", acked, failed, abandoned)
	if failed > 0 {
		r.errorf("%d appends failed although the writers retry for %v, longer than any restart:\n    %s",
			failed, r.wl.cfg.retry, strings.Join(errs, "\n    "))
	}
	if acked == 0 {
		r.fatalf("no append was acknowledged: the test proved nothing")
	}

	if err := r.srv.stop(); err != nil {
		r.errorf("clean stop: %v\n--- server output ---\n%s", err, r.srv.output(8<<10))
	}
	if err := r.srv.start(r.ctx); err != nil {
		r.fatalf("final restart failed: %v", err)
	}
	c, err := dial(r.ctx, r.srv)
	if err != nil {
		r.fatalf("%v", err)
	}
	defer c.Close()

	begin := time.Now()
	st, probs, err := verifyStream(r.ctx, c, r.wl, rand.New(rand.NewSource(r.seed)))
	r.t.Logf("verification (%v): %v", time.Since(begin).Round(time.Millisecond), st)
	if err != nil {
		probs.add("read failed", "%v", err)
	}
	if !probs.empty() {
		r.errorf("the stream read back breaks the contract:\n%s\n--- server log lines with warnings or errors ---\n%s\n--- end of the server log ---\n%s",
			probs, notableLines(r.srv.fullLog(1<<22), 60), r.srv.fullLog(8<<10))
	}
}

var notable = regexp.MustCompile(`(?i)\b(warn|warning|error|err|panic|fatal|torn|corrupt)\b|level=(WARN|ERROR)`)

// notableLines returns up to max lines of log that look like warnings or
// errors, and the start banners, the last ones if there are more.
func notableLines(log string, max int) string {
	var out []string
	for _, l := range strings.Split(log, "\n") {
		if notable.MatchString(l) || strings.HasPrefix(l, "===== fault test") {
			out = append(out, l)
		}
	}
	if len(out) > max {
		out = append([]string{fmt.Sprintf("[... %d earlier lines ...]", len(out)-max)}, out[len(out)-max:]...)
	}
	return strings.Join(out, "\n")
}

// TestCrashRecovery checks DESIGN.md contract items 1-3 under SIGKILL: four
// writers append events with sixteen routing keys to a four-segment stream
// while the server is killed and restarted at random moments; afterwards
// every acknowledged event must be read back exactly once, in per-key order,
// with nothing else between events, and read back alone by pointer.
func TestCrashRecovery(t *testing.T) {
	crashCycles(t, 20, 5, 4, workloadConfig{
		writers:  4,
		keys:     16,
		maxPad:   1024,
		retry:    time.Minute,
		inflight: 1 << 20,
	})
}

// TestCrashRecoveryManySegments is TestCrashRecovery with many segments and
// several writers sharing one connection: each append message carries
// batches for many segments, each answer acks for many, and a kill leaves
// every writer of the connection with batches of many segments to resend.
// Its server has four containers (TestCrashRecovery's has the default).
func TestCrashRecoveryManySegments(t *testing.T) {
	crashCycles(t, 8, 3, 16, workloadConfig{
		writers:  8,
		keys:     64,
		maxPad:   512,
		retry:    time.Minute,
		inflight: 512 << 10,
	}, "--containers", "4")
}

// crashCycles kills and restarts the server under a workload of cfg on a
// stream of the given segments, cycles times (-crash.cycles, or short in
// -short mode), then checks that nothing acknowledged was lost.
func crashCycles(t *testing.T, cycles, short, segments int, cfg workloadConfig, serverArgs ...string) {
	seed := crashSeed(t)
	if *flagCycles > 0 {
		cycles = *flagCycles
	} else if testing.Short() {
		cycles = short
	}
	rng := rand.New(rand.NewSource(seed))
	rig := newCrashRig(t, seed, segments, cfg, serverArgs...)
	rig.waitProgress("before the first kill")

	begin := time.Now()
	var restarts time.Duration
	for cycle := 1; cycle <= cycles; cycle++ {
		// Mostly kill while appends are flowing; now and then kill soon
		// after a restart, while the writers are still reconnecting and
		// resending.
		when := "right after the restart"
		if rng.Intn(4) != 0 {
			rig.waitProgress(fmt.Sprintf("cycle %d", cycle))
			when = "after appends resumed"
		}
		delay := time.Duration(20+rng.Intn(281)) * time.Millisecond
		if !sleepCtx(rig.ctx, delay) {
			rig.fatalf("cycle %d: cancelled", cycle)
		}
		took := rig.crash(cycle)
		restarts += took
		t.Logf("cycle %d: killed %v %s, ready again in %v; %d appends acknowledged so far",
			cycle, delay, when, took.Round(time.Millisecond), rig.wl.acked.Load())
	}
	rig.waitProgress("after the last restart")
	t.Logf("%d kill/restart cycles in %v (restarts took %v in all); %d appends acknowledged so far",
		cycles, time.Since(begin).Round(time.Millisecond), restarts.Round(time.Millisecond), rig.wl.acked.Load())
	rig.finish()
}

// TestCrashTornTailReported kills the server during heavy writes of large
// events, so that a kill may cut a WAL write short, and checks that the
// server starts again every time (a torn tail is cut off and reported,
// never a reason to refuse to start) and that nothing acknowledged was
// lost. It kills up to three times and stops at the first restart that
// reports a torn tail; whether one was seen is logged, since a kill lands
// inside a write only by chance.
func TestCrashTornTailReported(t *testing.T) {
	seed := crashSeed(t)
	rng := rand.New(rand.NewSource(seed))
	rig := newCrashRig(t, seed, 4, workloadConfig{
		writers:  4,
		keys:     16,
		maxPad:   256 << 10,
		retry:    time.Minute,
		inflight: 8 << 20,
	})
	const maxKills = 3
	tornRe := regexp.MustCompile(`(?i)torn`)
	torn := 0
	for cycle := 1; cycle <= maxKills && torn == 0; cycle++ {
		// Let the writers get going (a couple of hundred acks, more in
		// flight), then kill at a random moment soon after.
		base := rig.wl.acked.Load()
		if !waitFor(rig.ctx, readyTimeout, func() bool { return rig.wl.acked.Load() >= base+200 }) {
			rig.fatalf("cycle %d: the writers did not get 200 appends acknowledged within %v\n--- server output ---\n%s",
				cycle, readyTimeout, rig.srv.output(16<<10))
		}
		if !sleepCtx(rig.ctx, time.Duration(rng.Intn(50))*time.Millisecond) {
			rig.fatalf("cycle %d: cancelled", cycle)
		}
		took := rig.crash(cycle)
		if out := rig.srv.output(1 << 20); tornRe.MatchString(out) {
			torn = cycle
			t.Logf("cycle %d: ready again in %v; the restart reported a torn tail:\n%s",
				cycle, took.Round(time.Millisecond), notableLines(out, 10))
		} else {
			t.Logf("cycle %d: ready again in %v; no torn tail reported", cycle, took.Round(time.Millisecond))
		}
	}
	if torn == 0 {
		t.Logf("no kill of %d happened to tear a WAL write; the restarts succeeded all the same", maxKills)
	}
	rig.waitProgress("after the last restart")
	rig.finish()
}
