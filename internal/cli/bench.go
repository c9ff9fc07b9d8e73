package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/braidstream/braid/internal/bench"
)

const benchLong = `Measure a server. --mode picks what:

write (the default): write --events events of --size bytes from --producers
concurrent writers, each keeping at most --inflight events unacknowledged,
then read them all back. Reported: write throughput (first write to last
acknowledgement), append latency percentiles (from each Write call to its
acknowledgement, so they include waiting for the writer's in-flight bound),
and read throughput.

tail: --readers readers follow the stream from its tail while the producers
write as above. Reported: the write throughput, what the readers received
per second (first write to last event read), and end-to-end latency
percentiles, from each Write call to a reader receiving the event (events
carry their write time in their first 8 bytes; --size must be at least 8).

catchup: write as above, wait until the server holds all of it in tier 2
(polling --http's /metrics until braid_segstore_unflushed_bytes is 0, for at
most --flush-timeout; without --http it does not wait), then read it all
back with --readers readers at once, each from the start of its segments.
Reported: the read throughput, and with --http the bytes the server read
from tier 2 meanwhile, as MB and as a share of the segment bytes read (about
1: the read came from tier 2; near 0: from the read cache; above 1: blocks
read ahead were evicted before use and read again), and the read cache's
hit ratio over its block lookups. For a tier-2 figure, run the server with a --cache-size well
below the data written, and a short --flush-interval. --read-only writes
nothing and reads the stream as it is, from its head to its tail.

The stream (default bench/bench) is created with --segments segments if it is
missing, its scope too; an existing stream keeps its segment count. Events use
--key-count routing keys in turn (0: no key, spread over the segments).
--readers 0 (the default) is one reader per segment; each reader reads its
share of the segments.

MB is 10^6 bytes of payload. --json prints one JSON object on one line:

  write:   {"events":N,"size":S,"producers":P,"segments":M,
            "write_events_per_s":..,"write_mb_per_s":..,"append_p50_ms":..,
            "append_p99_ms":..,"append_p999_ms":..,"read_events_per_s":..,
            "read_mb_per_s":..}
  tail:    {"mode":"tail","events":N,"size":S,"producers":P,"readers":R,
            "segments":M,"write_events_per_s":..,"write_mb_per_s":..,
            "append_p50_ms":..,"append_p99_ms":..,"tail_events_per_s":..,
            "tail_mb_per_s":..,"e2e_p50_ms":..,"e2e_p99_ms":..,"e2e_p999_ms":..}
  catchup: {"mode":"catchup","events":N,"size":S,"producers":P,"readers":R,
            "segments":M,"write_mb_per_s":..,"tier2_wait_s":..,
            "read_events_per_s":..,"read_mb_per_s":..,"tier2_read_mb":..,
            "tier2_share":..,"cache_hit_ratio":..}
           (the last three only with --http)`

const benchExample = `  braid bench
  braid bench --events 1000000 --size 100 --producers 8 --inflight 1024
  braid bench --addr 10.0.0.5:7470 --stream perf/run1 --segments 32 --json
  braid bench --mode tail --events 200000 --readers 4
  braid bench --mode catchup --events 500000 --http 127.0.0.1:7471
  braid bench --mode catchup --read-only --stream perf/run1 --http 127.0.0.1:7471
  braid bench --suite --data ./braid-data --suite-duration 10s`

// Bench modes (--mode).
const (
	modeWrite   = "write"
	modeTail    = "tail"
	modeCatchup = "catchup"
)

// benchModeFlags are the flags that apply only to some modes.
var benchModeFlags = []struct {
	name  string
	modes []string
}{
	{"readers", []string{modeTail, modeCatchup}},
	{"http", []string{modeCatchup}},
	{"flush-timeout", []string{modeCatchup}},
	{"read-only", []string{modeCatchup}},
	{"skip-read", []string{modeWrite}},
}

// benchWriteFlags say what to write; --read-only writes nothing.
var benchWriteFlags = []string{"events", "size", "producers", "segments", "inflight", "key-count", "note-time"}

func newBenchCmd(e *env) *cobra.Command {
	r := &remote{}
	cfg := bench.DefaultConfig()
	var asJSON bool
	var cpuProfile string
	mode := modeWrite
	var suite suiteFlags
	cmd := &cobra.Command{
		Use:     "bench",
		Short:   "Measure write, tail-read and catch-up-read throughput and latency",
		Long:    benchLong + suiteHelp,
		Example: benchExample,
		Args:    argNames(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := suite.check(cmd); err != nil {
				return err
			}
			if err := checkBenchFlags(cmd, mode, cfg.ReadOnly); err != nil && !suite.on {
				return err // suite.check rejected what does not apply to the suite
			}
			if err := cfg.Validate(); err != nil {
				// Config's field names are the flag names.
				return usagef("invalid flags: --%s", strings.ReplaceAll(err.Error(), "\n", "; --"))
			}
			ctx := cmd.Context()
			c, err := r.dial(ctx)
			if err != nil {
				return err
			}
			defer c.Close()
			if cpuProfile != "" {
				stop, err := startCPUProfile(cpuProfile)
				if err != nil {
					return err
				}
				defer stop()
			}
			cfg.Warn = func(msg string) { fmt.Fprintf(e.stderr, "braid: warning: %s\n", msg) }
			if isTerminal(e.stderr) {
				cfg.Progress = &bar{w: e.stderr}
			}
			var res any
			var print func() error
			switch {
			case suite.on:
				sr, serr := bench.Suite(ctx, c, suite.suiteConfig(cfg))
				res, err, print = sr, serr, func() error { return printSuite(e.stdout, sr) }
			case mode == modeTail:
				tr, terr := bench.Tail(ctx, c, cfg)
				res, err, print = tr, terr, func() error { return printTail(e.stdout, tr) }
			case mode == modeCatchup:
				cr, cerr := bench.Catchup(ctx, c, cfg)
				res, err, print = cr, cerr, func() error { return printCatchup(e.stdout, cr) }
			default:
				wr, werr := bench.Run(ctx, c, cfg)
				res, err, print = wr, werr, func() error { return printBench(e.stdout, wr) }
			}
			if err != nil {
				return r.failed(ctx, "bench", err)
			}
			if asJSON {
				return json.NewEncoder(e.stdout).Encode(res)
			}
			return print()
		},
	}
	r.addFlags(cmd, false)
	f := cmd.Flags()
	f.StringVar(&mode, "mode", mode, "what to measure: write | tail | catchup")
	f.StringVar(&cfg.Stream, "stream", cfg.Stream, "stream to write, SCOPE/STREAM (created if missing)")
	f.IntVar(&cfg.Events, "events", cfg.Events, "events to write in all")
	f.IntVar(&cfg.Size, "size", cfg.Size, "payload bytes per event")
	f.IntVar(&cfg.Producers, "producers", cfg.Producers, "concurrent writers")
	f.IntVar(&cfg.Segments, "segments", cfg.Segments, "segments of the stream, if it is created")
	f.IntVar(&cfg.Inflight, "inflight", cfg.Inflight, "most unacknowledged events per producer")
	f.IntVar(&cfg.KeyCount, "key-count", cfg.KeyCount, "distinct routing keys (0: no key)")
	f.IntVar(&cfg.Readers, "readers", cfg.Readers, "tail, catchup: concurrent readers, each over its share of the segments (0: one per segment)")
	f.StringVar(&cfg.HTTPAddr, "http", cfg.HTTPAddr, "catchup, suite: the server's HTTP address (host:port), to wait for tier 2 and count tier-2 reads in its /metrics")
	f.DurationVar(&cfg.FlushTimeout, "flush-timeout", cfg.FlushTimeout, "catchup, suite: longest wait for the data to reach tier 2")
	f.BoolVar(&cfg.ReadOnly, "read-only", cfg.ReadOnly, "catchup: write nothing; read the stream from its head to its tail")
	f.BoolVar(&asJSON, "json", false, "print the result as one line of JSON")
	f.DurationVar(&cfg.NoteTime, "note-time", 0, "each producer notes the wall-clock time this often (0: never), so the stream has a watermark and the run pays for tracking it")
	f.BoolVar(&cfg.SkipRead, "skip-read", false, "write: only write, without reading the events back (a --cpuprofile then covers the writes alone)")
	f.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of this client to `FILE` (read it with go tool pprof)")
	suite.add(cmd)
	return cmd
}

// checkBenchFlags rejects an unknown --mode and flags that do not apply to
// the mode.
func checkBenchFlags(cmd *cobra.Command, mode string, readOnly bool) error {
	switch mode {
	case modeWrite, modeTail, modeCatchup:
	default:
		return usagef("invalid --mode %q: want write, tail or catchup", mode)
	}
	f := cmd.Flags()
	var bad []string
	for _, mf := range benchModeFlags {
		if f.Changed(mf.name) && !slices.Contains(mf.modes, mode) {
			bad = append(bad, fmt.Sprintf("--%s is only for --mode %s", mf.name, strings.Join(mf.modes, " or ")))
		}
	}
	if len(bad) > 0 {
		return usagef("with --mode %s: %s", mode, strings.Join(bad, "; "))
	}
	if readOnly {
		for _, name := range benchWriteFlags {
			if f.Changed(name) {
				bad = append(bad, "--"+name)
			}
		}
		if len(bad) > 0 {
			return usagef("%s: --read-only writes nothing", strings.Join(bad, ", "))
		}
	}
	return nil
}

func printBench(w io.Writer, res bench.Result) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "%s of %d bytes, %s, %s\n", plural(res.Events, "event"), res.Size, plural(res.Producers, "producer"), plural(res.Segments, "segment"))
	fmt.Fprintln(tw, "\tevents/s\tMB/s\tp50 ms\tp99 ms\tp99.9 ms\ttime\t")
	fmt.Fprintf(tw, "write\t%.0f\t%.2f\t%.3f\t%.3f\t%.3f\t%s\t\n", res.WriteEventsPerSec, res.WriteMBPerSec,
		res.AppendP50Ms, res.AppendP99Ms, res.AppendP999Ms, res.WriteTime.Round(time.Millisecond))
	fmt.Fprintf(tw, "read\t%.0f\t%.2f\t\t\t\t%s\t\n", res.ReadEventsPerSec, res.ReadMBPerSec, res.ReadTime.Round(time.Millisecond))
	return tw.Flush()
}

func printTail(w io.Writer, res bench.TailResult) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "%s of %d bytes, %s, %s, %s\n", plural(res.Events, "event"), res.Size,
		plural(res.Producers, "producer"), plural(res.Readers, "tail reader"), plural(res.Segments, "segment"))
	fmt.Fprintln(tw, "\tevents/s\tMB/s\tp50 ms\tp99 ms\tp99.9 ms\ttime\t")
	fmt.Fprintf(tw, "write\t%.0f\t%.2f\t%.3f\t%.3f\t\t%s\t\n", res.WriteEventsPerSec, res.WriteMBPerSec,
		res.AppendP50Ms, res.AppendP99Ms, res.WriteTime.Round(time.Millisecond))
	fmt.Fprintf(tw, "tail\t%.0f\t%.2f\t%.3f\t%.3f\t%.3f\t%s\t\n", res.TailEventsPerSec, res.TailMBPerSec,
		res.EndToEndP50Ms, res.EndToEndP99Ms, res.EndToEndP999Ms, res.TailTime.Round(time.Millisecond))
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, "(write latency: from the Write call to the acknowledgement; tail latency: to a reader receiving the event)")
	return err
}

func printCatchup(w io.Writer, res bench.CatchupResult) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "%s of %d bytes, %s, %s\n", plural(res.Events, "event"), res.Size,
		plural(res.Readers, "reader"), plural(res.Segments, "segment"))
	fmt.Fprintln(tw, "\tevents/s\tMB/s\ttime\t")
	if res.Producers > 0 {
		fmt.Fprintf(tw, "write\t\t%.2f\t%s\t\n", res.WriteMBPerSec, res.WriteTime.Round(time.Millisecond))
	}
	if res.Tier2ReadMB != nil { // with --http
		fmt.Fprintf(tw, "tier-2 wait\t\t\t%s\t\n", res.WaitTime.Round(time.Millisecond))
	}
	fmt.Fprintf(tw, "catch-up read\t%.0f\t%.2f\t%s\t\n", res.ReadEventsPerSec, res.ReadMBPerSec, res.ReadTime.Round(time.Millisecond))
	if err := tw.Flush(); err != nil {
		return err
	}
	if res.Tier2ReadMB == nil {
		_, err := fmt.Fprintln(w, "(no --http: tier-2 reads not counted)")
		return err
	}
	share, hits := "-", "-"
	if res.Tier2Share != nil {
		share = fmt.Sprintf("%.2f", *res.Tier2Share)
	}
	if res.CacheHitRatio != nil {
		hits = fmt.Sprintf("%.2f", *res.CacheHitRatio)
	}
	_, err := fmt.Fprintf(w, "read from tier 2: %.1f MB (%s of the %.1f MB of segment data read); cache hit ratio %s\n",
		*res.Tier2ReadMB, share, float64(res.SegmentBytes)/1e6, hits)
	return err
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// bar shows bench progress as a progress bar, one bar per phase.
type bar struct {
	w io.Writer
	b *progressbar.ProgressBar
}

var _ bench.Progress = (*bar)(nil)

func (p *bar) Start(phase string, total int64) {
	p.b = progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription(phase),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("events"),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
}

// Add may be called from several goroutines: the progress bar locks.
func (p *bar) Add(n int) { _ = p.b.Add(n) }

func (p *bar) Finish() { _ = p.b.Finish() }

// startCPUProfile profiles this process into path until stop is called.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
