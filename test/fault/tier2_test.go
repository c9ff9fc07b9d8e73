package fault

import (
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/promtext"
)

// This file holds TestBoundedMemoryAndLog and the helpers the tier-2 tests
// share: /metrics scraping, the server's resident memory and WAL size, and
// a byte-size parser for the environment knobs.

// ---- /metrics ----------------------------------------------------------

// scrapeMetrics reads the server's /metrics.
func scrapeMetrics(ctx context.Context, s *server) (promtext.Set, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return promtext.Scrape(ctx, s.http, "http://"+s.httpAddr+"/metrics")
}

// ---- resources of the server process -----------------------------------

// vmRSS returns the resident set size of process pid (VmRSS in
// /proc/<pid>/status).
func vmRSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) != 2 || f[1] != "kB" {
				return 0, fmt.Errorf("/proc/%d/status: unexpected VmRSS line %q", pid, line)
			}
			kb, err := strconv.ParseInt(f[0], 10, 64)
			if err != nil {
				return 0, fmt.Errorf("/proc/%d/status: %q: %v", pid, line, err)
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("/proc/%d/status: no VmRSS line (a zombie?)", pid)
}

// walSize returns the total size and number of the files in
// <data>/containers/*/wal, the spare file prepared ahead included.
func walSize(dataDir string) (bytes int64, files int) {
	paths, _ := filepath.Glob(filepath.Join(dataDir, "containers", "*", "wal", "*"))
	for _, p := range paths {
		// A file may be renamed or removed between Glob and Stat.
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			bytes += st.Size()
			files++
		}
	}
	return bytes, files
}

// resourceSampler samples the server's VmRSS and WAL size every interval
// and keeps the maxima, across restarts of the server.
type resourceSampler struct {
	srv  *server
	stop chan struct{}
	done chan struct{}

	mu          sync.Mutex // guards the fields below
	samples     int
	maxRSS      int64
	maxWAL      int64
	maxWALFiles int
	lastErr     error
}

func startSampler(srv *server, interval time.Duration) *resourceSampler {
	rs := &resourceSampler{srv: srv, stop: make(chan struct{}), done: make(chan struct{})}
	go rs.run(interval)
	return rs
}

func (rs *resourceSampler) run(interval time.Duration) {
	defer close(rs.done)
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		rs.sample()
		select {
		case <-rs.stop:
			return
		case <-tick.C:
		}
	}
}

func (rs *resourceSampler) sample() {
	wal, files := walSize(rs.srv.dataDir)
	var rss int64
	var err error
	if pid := rs.srv.pid(); pid != 0 {
		// Between a kill and the next start there is no process, and a
		// process being killed may have no status left: skip those.
		rss, err = vmRSS(pid)
	}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.samples++
	rs.maxWAL = max(rs.maxWAL, wal)
	rs.maxWALFiles = max(rs.maxWALFiles, files)
	if err != nil {
		rs.lastErr = err
	} else {
		rs.maxRSS = max(rs.maxRSS, rss)
	}
}

// close stops the sampler and waits for it; it is idempotent.
func (rs *resourceSampler) close() {
	select {
	case <-rs.stop:
	default:
		close(rs.stop)
	}
	<-rs.done
}

func (rs *resourceSampler) maxima() (rss, wal int64, walFiles, samples int) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return rs.maxRSS, rs.maxWAL, rs.maxWALFiles, rs.samples
}

// ---- sizes --------------------------------------------------------------

// envBytes reads a byte size (e.g. 4GiB, 512MiB, 1048576) from the
// environment variable name, or returns def when it is unset.
func envBytes(t *testing.T, name string, def int64) int64 {
	t.Helper()
	s := strings.TrimSpace(os.Getenv(name))
	if s == "" {
		return def
	}
	n, err := parseSize(s)
	if err != nil || n <= 0 {
		t.Fatalf("%s=%q: want a positive size such as 4GiB, 512MiB or 1048576", name, s)
	}
	return n
}

func parseSize(s string) (int64, error) {
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40}, {"B", 1}} {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = strings.TrimSpace(rest), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, err
	}
	return n * mult, nil
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

// ---- TestBoundedMemoryAndLog --------------------------------------------

// Settings of TestBoundedMemoryAndLog's server.
const (
	boundedContainers = 2
	walFileSize       = 64 << 20 // the WAL's pre-allocated file size (wal.DefaultFileSize; no flag sets it)
	boundedMaxLog     = 64 << 20 // --max-log
)

var boundedArgs = []string{
	"--cache-size", "16MiB",
	"--max-unflushed", "64MiB",
	"--max-log", "64MiB",
	"--chunk-size", "1MiB",
	"--flush-interval", "500ms",
	"--containers", strconv.Itoa(boundedContainers),
}

const (
	// rssBound bounds the server's resident memory whatever the volume
	// written. What the server holds live by design: data not yet in
	// tier 2 (--max-unflushed, 64 MiB), append batches received and
	// queued for the flushers (bounded here by the writers' in-flight
	// limit, 4 x 8 MiB), the read cache (--cache-size, 16 MiB) and the
	// chunk being stored (1 MiB), a group-commit record per container
	// (up to 4 MiB each), gRPC buffers (a 16 MiB connection window) and
	// on reads a few read-ahead blocks (1 MiB each): at most about
	// 170 MiB (a heap profile taken while writing showed 120 MiB). Go's
	// collector (GOGC=100) lets the heap grow to twice the live data
	// before it collects, and the runtime, the binary and bbolt's mapping
	// add about 40 MiB: about 380 MiB, which is what runs of 512 MiB to
	// 8 GiB peaked at (307 to 386 MiB). The bound leaves 15% over that.
	rssBound = 448 << 20
	// walBound bounds <data>/containers/*/wal. The storage writer keeps
	// the WAL from the oldest record holding data not in tier 2, and
	// moves everything held to tier 2 once that span reaches --max-log
	// (64 MiB, the size of one WAL file). A span of at most one file's
	// size touches at most two files; a third is the spare prepared ahead
	// (spare.tmp), and a fourth allows for the data appended while a
	// storage round runs before it truncates: 4 files of 64 MiB per
	// container (runs measured 4 to 6 files in all, 2 or 3 per
	// container, whatever the volume written). Were the log never
	// truncated, the 512 MiB written by default (256 MiB per container)
	// would take 5 files per container and the spare, and the full run
	// (BRAID_TIER2_TEST_BYTES=4GiB) 33 and the spare.
	walBound = boundedContainers * (boundedMaxLog/walFileSize + 3) * walFileSize
)

// keyLog sums up one routing key's events in order: how many, their
// payload bytes, and a CRC32C chained over their payloads.
type keyLog struct {
	events int64
	bytes  int64
	crc    uint32
}

func (k *keyLog) add(payload []byte) {
	k.events++
	k.bytes += int64(len(payload))
	k.crc = crc32.Update(k.crc, castagnoli, payload)
}

// sampledEvent is an acknowledged event kept to be fetched by pointer.
type sampledEvent struct {
	id  eventID
	pad int
	ptr braid.EventPointer
}

// boundedWriter is one writer of TestBoundedMemoryAndLog: a generator
// that writes the events of its own routing keys as fast as the client
// lets it, and a collector that waits on the acks in order.
type boundedWriter struct {
	n    uint16
	w    *braid.Writer
	keys []uint16
	logs map[uint16]*keyLog // what the generator wrote (owned by it)
	acks chan pendingBounded

	// Owned by the collector.
	acked    int64
	failed   int
	errs     []string
	sample   []sampledEvent
	nsampled int
}

type pendingBounded struct {
	id  eventID
	pad int
	ack braid.Ack
}

const (
	boundedWriters = 4
	boundedKeys    = 16 // key k belongs to writer k % boundedWriters
	boundedMinPad  = 16 << 10
	boundedMaxPad  = 112 << 10
	boundedSample  = 16 // events per writer fetched by pointer at the end
)

// TestBoundedMemoryAndLog writes a large volume (512 MiB by default,
// BRAID_TIER2_TEST_BYTES for more) through a server with a small cache and
// small log and memory limits, and checks that the server's resident
// memory and its WAL stay under bounds that do not depend on the volume,
// that everything reads back byte-exact and in per-key order, that all of
// it reaches tier 2, and that after a SIGKILL and a restart it all reads
// back again, from tier 2.
func TestBoundedMemoryAndLog(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads the server's memory from /proc")
	}
	total := envBytes(t, "BRAID_TIER2_TEST_BYTES", 512<<20)
	seed := crashSeed(t)
	ctx, cancel := context.WithCancel(context.Background())
	srv := newServer(t, boundedArgs...)
	t.Cleanup(cancel)
	if err := srv.start(ctx); err != nil {
		t.Fatalf("start: %v", err)
	}
	rs := startSampler(srv, 20*time.Millisecond)
	t.Cleanup(rs.close)
	c, err := dial(ctx, srv)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { c.Close() }()
	const stream = "tier2/bounded"
	if _, err := c.CreateStream(ctx, stream, braid.StreamConfig{Segments: 4, CreateScope: true}); err != nil {
		t.Fatalf("CreateStream %s: %v", stream, err)
	}

	// Write.
	var writers []*boundedWriter
	for i := range boundedWriters {
		w, err := c.NewWriter(ctx, stream, braid.WithMaxInflightBytes(8<<20))
		if err != nil {
			t.Fatalf("NewWriter %d: %v", i, err)
		}
		bw := &boundedWriter{n: uint16(i), w: w, logs: map[uint16]*keyLog{}, acks: make(chan pendingBounded, 1024)}
		for k := uint16(i); k < boundedKeys; k += boundedWriters {
			bw.keys = append(bw.keys, k)
			bw.logs[k] = &keyLog{}
		}
		writers = append(writers, bw)
	}
	var written atomic.Int64 // payload bytes written
	var gens, colls sync.WaitGroup
	begin := time.Now()
	for _, bw := range writers {
		gens.Add(1)
		go func() {
			defer gens.Done()
			defer close(bw.acks)
			rng := rand.New(rand.NewSource(seed + int64(bw.n)))
			for written.Load() < total && ctx.Err() == nil {
				k := bw.keys[rng.Intn(len(bw.keys))]
				kl := bw.logs[k]
				id := eventID{Writer: bw.n, Key: k, Seq: uint64(kl.events + 1)}
				pad := boundedMinPad + rng.Intn(boundedMaxPad-boundedMinPad+1)
				p := encodePayload(id, pad)
				kl.add(p)
				written.Add(int64(len(p)))
				bw.acks <- pendingBounded{id: id, pad: pad, ack: bw.w.Write(ctx, routingKey(k), p)}
			}
		}()
		colls.Add(1)
		go func() {
			defer colls.Done()
			rng := rand.New(rand.NewSource(seed ^ int64(bw.n+1)<<32))
			for pa := range bw.acks {
				ptr, err := pa.ack.Wait(ctx)
				if err != nil {
					bw.failed++
					if len(bw.errs) < 5 {
						bw.errs = append(bw.errs, fmt.Sprintf("%v: %v", pa.id, err))
					}
					continue
				}
				bw.acked++
				// Reservoir sample of acknowledged events.
				bw.nsampled++
				e := sampledEvent{id: pa.id, pad: pa.pad, ptr: ptr}
				if len(bw.sample) < boundedSample {
					bw.sample = append(bw.sample, e)
				} else if j := rng.Intn(bw.nsampled); j < boundedSample {
					bw.sample[j] = e
				}
			}
		}()
	}
	// Cleanups run last-registered first: the writers stop before the
	// server is killed.
	t.Cleanup(func() {
		cancel()
		gens.Wait()
		colls.Wait()
	})
	gens.Wait()
	closeCtx, closeCancel := context.WithTimeout(ctx, 2*time.Minute)
	for _, bw := range writers {
		if err := bw.w.Close(closeCtx); err != nil {
			t.Errorf("writer %d: Close: %v", bw.n, err)
		}
	}
	closeCancel()
	colls.Wait()
	writeTime := time.Since(begin)

	want := map[uint16]*keyLog{}
	var events, acked int64
	for _, bw := range writers {
		for k, kl := range bw.logs {
			want[k] = kl
			events += kl.events
		}
		acked += bw.acked
		if bw.failed > 0 {
			t.Errorf("writer %d: %d appends failed (the writer retries for 2 minutes, so none should):\n    %s",
				bw.n, bw.failed, strings.Join(bw.errs, "\n    "))
		}
	}
	framed := written.Load() + 8*events // segment bytes: an 8-byte header per event
	rss, wal, walFiles, _ := rs.maxima()
	t.Logf("wrote %d events, %s of payload, in %v: %.1f MiB/s; so far max RSS %s, max WAL %s (%d files)",
		events, mib(written.Load()), writeTime.Round(time.Millisecond),
		float64(written.Load())/(1<<20)/writeTime.Seconds(), mib(rss), mib(wal), walFiles)
	if acked != events {
		t.Fatalf("%d events written, %d acknowledged", events, acked)
	}

	// Read everything back while the server still holds some of it.
	check := func(what string, c *braid.Client) {
		t.Helper()
		begin := time.Now()
		got, st, probs, err := readBounded(ctx, c, stream)
		took := time.Since(begin)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		for k := uint16(0); k < boundedKeys; k++ {
			w, g := want[k], got[k]
			if g == nil {
				g = &keyLog{}
			}
			if *w != *g {
				probs.add("key read back differs from what was written",
					"key %d: wrote %d events, %d bytes, CRC32C %08x; read %d events, %d bytes, CRC32C %08x",
					k, w.events, w.bytes, w.crc, g.events, g.bytes, g.crc)
			}
		}
		if st.framed != framed {
			probs.add("stream size", "read %d segment bytes, wrote %d", st.framed, framed)
		}
		if !probs.empty() {
			t.Fatalf("[seed %d] %s breaks the contract:\n%s\n--- server log lines with warnings or errors ---\n%s",
				seed, what, probs, notableLines(srv.fullLog(1<<22), 40))
		}
		t.Logf("%s: %d events, %s from %d segments in %v (%.1f MiB/s), every byte and the per-key order as written",
			what, st.events, mib(st.framed), st.segments, took.Round(time.Millisecond), float64(st.framed)/(1<<20)/took.Seconds())
	}
	check("read back before the restart", c)

	// Everything reaches tier 2 by itself (--flush-interval), and the WAL
	// is truncated behind it.
	var m promtext.Set
	if !waitFor(ctx, time.Minute, func() bool {
		m, err = scrapeMetrics(ctx, srv)
		return err == nil && m.Sum("braid_segstore_unflushed_bytes") == 0 && m.Sum("braid_wal_retained_bytes") == 0 &&
			m.Has("braid_segstore_unflushed_bytes")
	}) {
		t.Fatalf("data still not all in tier 2 a minute after the last write: unflushed %v, WAL retained %v (scrape error: %v)",
			m.Sum("braid_segstore_unflushed_bytes"), m.Sum("braid_wal_retained_bytes"), err)
	}
	if w2 := int64(m.Sum("braid_tier2_written_bytes_total")); w2 < framed {
		t.Errorf("braid_tier2_written_bytes_total is %d, less than the %d segment bytes written", w2, framed)
	}
	if n := m.Sum("braid_segstore_throttled_appends_total"); n > 0 {
		t.Logf("%v appends were throttled (tier 2 behind) on the way", n)
	}

	// SIGKILL, restart, and read it all again: now it can only come from
	// tier 2.
	c.Close()
	if err := srv.kill(); err != nil {
		t.Fatal(err)
	}
	restart := time.Now()
	if err := srv.start(ctx); err != nil {
		t.Fatalf("restart after SIGKILL: %v", err)
	}
	t.Logf("ready again %v after SIGKILL", time.Since(restart).Round(time.Millisecond))
	if c, err = dial(ctx, srv); err != nil {
		t.Fatal(err)
	}
	check("read back after SIGKILL and restart", c)
	if m, err = scrapeMetrics(ctx, srv); err != nil {
		t.Fatal(err)
	}
	readT2 := int64(m.Sum("braid_tier2_read_bytes_total"))
	if readT2 < framed {
		t.Errorf("after the restart braid_tier2_read_bytes_total is %d, less than the %d segment bytes read: not all came from tier 2", readT2, framed)
	}
	t.Logf("after the restart %s read from tier 2 for %s of segment bytes; cache now hot %s, cold %s",
		mib(readT2), mib(framed), mib(int64(m.Sum("braid_cache_bytes", "class", "hot"))), mib(int64(m.Sum("braid_cache_bytes", "class", "cold"))))

	// A sample of events, read back alone by pointer.
	fetched := 0
	for _, bw := range writers {
		for _, e := range bw.sample {
			data, err := c.Fetch(ctx, e.ptr)
			fetched++
			if err != nil {
				t.Errorf("Fetch %v at %v: %v", e.id, e.ptr, err)
			} else if want := encodePayload(e.id, e.pad); string(data) != string(want) {
				t.Errorf("Fetch %v at %v: %d bytes that differ from the %d written", e.id, e.ptr, len(data), len(want))
			}
		}
	}

	rs.close()
	rss, wal, walFiles, samples := rs.maxima()
	t.Logf("figures: %s written (%d events, %d keys, %d writers) at %.1f MiB/s; max RSS %s (bound %s); max WAL %s in %d files (bound %s); %d samples; %d events fetched by pointer",
		mib(written.Load()), events, boundedKeys, boundedWriters, float64(written.Load())/(1<<20)/writeTime.Seconds(),
		mib(rss), mib(rssBound), mib(wal), walFiles, mib(walBound), samples, fetched)
	if samples < 10 || rss == 0 {
		t.Errorf("the sampler took %d samples (max RSS %d): too few to show anything", samples, rss)
	}
	if rss > rssBound {
		t.Errorf("the server's VmRSS reached %s, above the %s bound", mib(rss), mib(rssBound))
	}
	if wal > walBound {
		t.Errorf("the WAL reached %s (%d files), above the %s bound", mib(wal), walFiles, mib(walBound))
	}
}

// readStatsBounded summarises a read of the whole stream.
type readStatsBounded struct {
	events   int64
	framed   int64
	segments int
}

// readBounded reads the whole stream and returns what it read per key. It
// checks every payload byte (parsePayload), that each key's events come
// in order with no gap and no repeat (sequence numbers 1, 2, 3...), that
// each key is written by the writer that owns it, that every event's
// pointer frames exactly its payload, and that each segment's events are
// contiguous from offset 0. It holds no event data.
func readBounded(ctx context.Context, c *braid.Client, stream string) (map[uint16]*keyLog, readStatsBounded, *problems, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	var st readStatsBounded
	p := &problems{}
	got := map[uint16]*keyLog{}
	r, err := c.NewReader(ctx, stream, braid.FromHead(), braid.UntilTail())
	if err != nil {
		return nil, st, p, fmt.Errorf("NewReader: %w", err)
	}
	defer r.Close()
	nextOff := map[uint64]int64{}
	for {
		ev, err := r.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, st, p, fmt.Errorf("Reader.Next after %d events: %w", st.events, err)
		}
		st.events++
		ptr := ev.Pointer
		st.framed += int64(ptr.Length)
		if int(ptr.Length) != len(ev.Data)+8 {
			p.add("pointer length does not frame the payload", "pointer %s has length %d for a %d-byte payload", ptr, ptr.Length, len(ev.Data))
		}
		if off := nextOff[ptr.SegmentID]; ptr.Offset != off {
			p.add("segment not contiguous", "segment %016x: event at offset %d, previous event ended at %d", ptr.SegmentID, ptr.Offset, off)
		}
		nextOff[ptr.SegmentID] = ptr.Offset + int64(ptr.Length)
		id, err := parsePayload(ev.Data)
		if err != nil {
			p.add("payload does not parse", "at %s (%d bytes, starts %x): %v", ptr, len(ev.Data), head(ev.Data, 24), err)
			continue
		}
		if id.Key >= boundedKeys || id.Writer != id.Key%boundedWriters {
			p.add("event of a key or writer never written", "%v at %s", id, ptr)
			continue
		}
		kl := got[id.Key]
		if kl == nil {
			kl = &keyLog{}
			got[id.Key] = kl
		}
		if want := uint64(kl.events + 1); id.Seq != want {
			p.add("per-key order broken (gap, repeat or reordering)", "key %d: read #%d where #%d was due (at %s)", id.Key, id.Seq, want, ptr)
		}
		kl.add(ev.Data)
	}
	st.segments = len(nextOff)
	return got, st, p, nil
}
