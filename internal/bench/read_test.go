package bench

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
	"github.com/braidstream/braid/internal/storage/segstore"
	"github.com/braidstream/braid/wire"
)

// dialTier2Server runs an in-process server that moves data to tier 2
// within milliseconds, in small chunks, and has no read cache, so that
// every catch-up read comes from tier 2. It returns a client and the
// server's HTTP address.
func dialTier2Server(t *testing.T) (*braid.Client, string) {
	t.Helper()
	srv := servertest.New(t, server.Config{Containers: 2, Storage: segstore.Options{
		ChunkSize:     16 << 10,
		FlushInterval: 20 * time.Millisecond,
		CacheSize:     -1,
	}})
	c, err := braid.Dial(t.Context(), srv.GRPCAddr())
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c, srv.HTTPAddr()
}

func TestTail(t *testing.T) {
	c := dialServer(t)
	var prog recorder
	var warnings []string
	cfg := DefaultConfig()
	cfg.Stream = "bench/tail"
	cfg.Events = 1001
	cfg.Size = 64
	cfg.Producers = 3
	cfg.Segments = 4
	cfg.Readers = 3 // one reader gets two segments
	cfg.Inflight = 16
	cfg.Progress = &prog
	cfg.Warn = func(msg string) { warnings = append(warnings, msg) }
	res, err := Tail(t.Context(), c, cfg)
	if err != nil {
		t.Fatalf("Tail: %v", err)
	}
	if res.Mode != "tail" || res.Events != 1001 || res.Size != 64 || res.Producers != 3 || res.Readers != 3 || res.Segments != 4 {
		t.Errorf("result echoes %+v", res)
	}
	for name, v := range map[string]float64{
		"write events/s": res.WriteEventsPerSec, "write MB/s": res.WriteMBPerSec,
		"tail events/s": res.TailEventsPerSec, "tail MB/s": res.TailMBPerSec, "e2e p50": res.EndToEndP50Ms,
	} {
		if v <= 0 {
			t.Errorf("%s = %v, want > 0", name, v)
		}
	}
	if !(res.EndToEndP50Ms <= res.EndToEndP99Ms && res.EndToEndP99Ms <= res.EndToEndP999Ms) {
		t.Errorf("percentiles out of order: %v %v %v", res.EndToEndP50Ms, res.EndToEndP99Ms, res.EndToEndP999Ms)
	}
	// An event cannot reach a reader before it is written, nor long after
	// the run.
	if max := float64(res.TailTime) / float64(time.Millisecond); res.EndToEndP999Ms > max {
		t.Errorf("e2e p99.9 %v ms is longer than the whole run, %v ms", res.EndToEndP999Ms, max)
	}
	if len(warnings) != 0 {
		t.Errorf("warnings: %q", warnings)
	}
	if got := strings.Join(prog.phases, ","); got != "tail" || prog.open || prog.counts[0] != 1001 || prog.totals[0] != 1001 {
		t.Errorf("progress %q (open %v) counted %v of %v, want tail with 1001 of 1001", got, prog.open, prog.counts, prog.totals)
	}

	// Events too small for a timestamp: throughput, no latency, a warning.
	cfg.Stream, cfg.Size, cfg.Events, cfg.Readers, cfg.Progress = "bench/tail-small", 4, 100, 0, nil
	res, err = Tail(t.Context(), c, cfg)
	if err != nil {
		t.Fatalf("Tail with 4-byte events: %v", err)
	}
	if res.Readers != 4 || res.EndToEndP50Ms != 0 || res.TailEventsPerSec <= 0 {
		t.Errorf("4-byte events: %d readers, p50 %v, %v events/s; want 4, 0, > 0", res.Readers, res.EndToEndP50Ms, res.TailEventsPerSec)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "no end-to-end latency") {
		t.Errorf("warnings %q, want one about latency", warnings)
	}
}

func TestCatchup(t *testing.T) {
	c, httpAddr := dialTier2Server(t)
	var prog recorder
	var warnings []string
	cfg := DefaultConfig()
	cfg.Stream = "bench/catchup"
	cfg.Events = 2000
	cfg.Size = 100
	cfg.Segments = 4
	cfg.Producers = 2
	cfg.HTTPAddr = httpAddr
	cfg.FlushTimeout = 10 * time.Second
	cfg.Progress = &prog
	cfg.Warn = func(msg string) { warnings = append(warnings, msg) }
	res, err := Catchup(t.Context(), c, cfg)
	if err != nil {
		t.Fatalf("Catchup: %v", err)
	}
	if res.Mode != "catchup" || res.Events != 2000 || res.Size != 100 || res.Readers != 4 || res.Segments != 4 || res.Producers != 2 {
		t.Errorf("result echoes %+v", res)
	}
	if res.ReadBytes != 200000 || res.SegmentBytes != 2000*(100+wire.HeaderSize) {
		t.Errorf("read %d payload bytes of %d segment bytes, want 200000 of %d", res.ReadBytes, res.SegmentBytes, 2000*(100+wire.HeaderSize))
	}
	if res.WriteMBPerSec <= 0 || res.ReadMBPerSec <= 0 || res.ReadEventsPerSec <= 0 {
		t.Errorf("rates: write %v MB/s, read %v MB/s, %v events/s", res.WriteMBPerSec, res.ReadMBPerSec, res.ReadEventsPerSec)
	}
	// No cache: everything read came from tier 2, at least once.
	if res.Tier2ReadMB == nil || res.Tier2Share == nil || *res.Tier2Share < 1 {
		t.Errorf("tier 2 read %v MB, share %v; want a share of at least 1", deref(res.Tier2ReadMB), deref(res.Tier2Share))
	}
	if got := strings.Join(prog.phases, ","); got != "write,read" || prog.open || prog.counts[1] != 2000 {
		t.Errorf("progress %q (open %v) counted %v, want write,read with 2000 read", got, prog.open, prog.counts)
	}
	if len(warnings) != 0 {
		t.Errorf("warnings: %q", warnings)
	}

	// Read-only, two readers: the whole stream from its head.
	ro := DefaultConfig()
	ro.Stream, ro.ReadOnly, ro.Readers, ro.HTTPAddr = cfg.Stream, true, 2, httpAddr
	res, err = Catchup(t.Context(), c, ro)
	if err != nil {
		t.Fatalf("read-only Catchup: %v", err)
	}
	if res.Events != 2000 || res.Size != 100 || res.Readers != 2 || res.Producers != 0 || res.WriteMBPerSec != 0 || *res.Tier2Share < 1 {
		t.Errorf("read-only result %+v (share %v)", res, deref(res.Tier2Share))
	}

	// Without the HTTP address: no wait, no tier-2 figures, a warning.
	ro.HTTPAddr = ""
	ro.Warn = func(msg string) { warnings = append(warnings, msg) }
	res, err = Catchup(t.Context(), c, ro)
	if err != nil {
		t.Fatalf("Catchup without HTTP: %v", err)
	}
	if res.Events != 2000 || res.Tier2ReadMB != nil || res.Tier2Share != nil || res.CacheHitRatio != nil {
		t.Errorf("without HTTP: %+v", res)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "not waiting") {
		t.Errorf("warnings %q, want one about not waiting", warnings)
	}

	// Read-only on a missing stream fails; so does an HTTP address that is
	// not a braid server's.
	ro.Stream = "bench/missing"
	if _, err := Catchup(t.Context(), c, ro); err == nil || !strings.Contains(err.Error(), "bench/missing") {
		t.Errorf("read-only on a missing stream: %v", err)
	}
	ro.Stream, ro.HTTPAddr = cfg.Stream, "127.0.0.1:1"
	if _, err := Catchup(t.Context(), c, ro); err == nil || !strings.Contains(err.Error(), "metrics") {
		t.Errorf("with a dead HTTP address: %v, want a metrics error", err)
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestSplitCut(t *testing.T) {
	cut := braid.StreamCut{Stream: "s/t"}
	for i := range 5 {
		cut.Segments = append(cut.Segments, wire.SegmentOffset{SegmentID: uint64(i), Offset: int64(10 * i)})
	}
	for _, tc := range []struct {
		n    int
		want string // segment ids per share
	}{
		{0, "0|1|2|3|4"}, {5, "0|1|2|3|4"}, {9, "0|1|2|3|4"}, {1, "01234"}, {2, "024|13"}, {3, "03|14|2"},
	} {
		var parts []string
		for _, sh := range splitCut(cut, tc.n) {
			if sh.Stream != "s/t" {
				t.Errorf("n=%d: share of stream %q", tc.n, sh.Stream)
			}
			var b strings.Builder
			for _, s := range sh.Segments {
				b.WriteByte(byte('0' + s.SegmentID))
				if s.Offset != int64(10*s.SegmentID) {
					t.Errorf("n=%d: segment %d at offset %d", tc.n, s.SegmentID, s.Offset)
				}
			}
			parts = append(parts, b.String())
		}
		if got := strings.Join(parts, "|"); got != tc.want {
			t.Errorf("splitCut(5 segments, %d) = %s, want %s", tc.n, got, tc.want)
		}
	}

	end := braid.StreamCut{Stream: "s/t", Segments: []wire.SegmentOffset{{SegmentID: 0, Offset: 100}, {SegmentID: 2, Offset: 120}}}
	share := braid.StreamCut{Stream: "s/t", Segments: []wire.SegmentOffset{{SegmentID: 0, Offset: 0}, {SegmentID: 2, Offset: 20}}}
	got, err := restrictCut(end, share)
	if err != nil || len(got.Segments) != 2 || got.Segments[1].Offset != 120 {
		t.Errorf("restrictCut = %+v, %v", got, err)
	}
	if n := cutBytes(share, end); n != 200 {
		t.Errorf("cutBytes = %d, want 200", n)
	}
	share.Segments = append(share.Segments, wire.SegmentOffset{SegmentID: 3})
	if _, err := restrictCut(end, share); err == nil || !strings.Contains(err.Error(), "0000000000000003 is gone") {
		t.Errorf("restrictCut with a missing segment: %v", err)
	}
}

// Canceled: Tail and Catchup return, with every goroutine joined (goleak
// checks).
func TestReadModesCanceled(t *testing.T) {
	c, httpAddr := dialTier2Server(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	cfg := DefaultConfig()
	cfg.Stream = "bench/canceled"
	cfg.HTTPAddr = httpAddr
	if _, err := Tail(ctx, c, cfg); err == nil {
		t.Error("Tail with a canceled context succeeded")
	}
	if _, err := Catchup(ctx, c, cfg); err == nil {
		t.Error("Catchup with a canceled context succeeded")
	}

	// Canceled mid-run: the readers are following, the writers writing.
	ctx, cancel = context.WithCancel(t.Context())
	cfg.Events = 100000
	cfg.Progress = cancelAfter{cancel: cancel}
	if _, err := Tail(ctx, c, cfg); err == nil {
		t.Error("Tail canceled mid-run succeeded")
	}
}

// cancelAfter is a Progress that cancels at its first report of events
// (after progressEvery events).
type cancelAfter struct {
	cancel context.CancelFunc
}

func (p cancelAfter) Start(string, int64) {}
func (p cancelAfter) Finish()             {}
func (p cancelAfter) Add(n int) {
	if n > 0 {
		p.cancel()
	}
}
