package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/braidstream/braid/internal/bench"
)

const benchLong = `Measure a server: write --events events of --size bytes from --producers
concurrent writers, each keeping at most --inflight events unacknowledged,
then read them all back.

The stream (default bench/bench) is created with --segments segments if it is
missing, its scope too; an existing stream keeps its segment count. Events use
--key-count routing keys in turn (0: no key, spread over the segments).

Reported: write throughput (first write to last acknowledgement), append
latency percentiles (from each Write call to its acknowledgement, so they
include waiting for the writer's in-flight bound), and read throughput. MB is
10^6 bytes. --json prints one JSON object on one line:

  {"events":N,"size":S,"producers":P,"segments":M,"write_events_per_s":..,
   "write_mb_per_s":..,"append_p50_ms":..,"append_p99_ms":..,
   "append_p999_ms":..,"read_events_per_s":..,"read_mb_per_s":..}`

const benchExample = `  braid bench
  braid bench --events 1000000 --size 100 --producers 8 --inflight 1024
  braid bench --addr 10.0.0.5:7470 --stream perf/run1 --segments 32 --json`

func newBenchCmd(e *env) *cobra.Command {
	r := &remote{}
	cfg := bench.DefaultConfig()
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "bench",
		Short:   "Measure write and read throughput and append latency",
		Long:    benchLong,
		Example: benchExample,
		Args:    argNames(),
		RunE: func(cmd *cobra.Command, _ []string) error {
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
			cfg.Warn = func(msg string) { fmt.Fprintf(e.stderr, "braid: warning: %s\n", msg) }
			if isTerminal(e.stderr) {
				cfg.Progress = &bar{w: e.stderr}
			}
			res, err := bench.Run(ctx, c, cfg)
			if err != nil {
				return r.failed(ctx, "bench", err)
			}
			if asJSON {
				return json.NewEncoder(e.stdout).Encode(res)
			}
			return printBench(e.stdout, res)
		},
	}
	r.addFlags(cmd, false)
	f := cmd.Flags()
	f.StringVar(&cfg.Stream, "stream", cfg.Stream, "stream to write, SCOPE/STREAM (created if missing)")
	f.IntVar(&cfg.Events, "events", cfg.Events, "events to write in all")
	f.IntVar(&cfg.Size, "size", cfg.Size, "payload bytes per event")
	f.IntVar(&cfg.Producers, "producers", cfg.Producers, "concurrent writers")
	f.IntVar(&cfg.Segments, "segments", cfg.Segments, "segments of the stream, if it is created")
	f.IntVar(&cfg.Inflight, "inflight", cfg.Inflight, "most unacknowledged events per producer")
	f.IntVar(&cfg.KeyCount, "key-count", cfg.KeyCount, "distinct routing keys (0: no key)")
	f.BoolVar(&asJSON, "json", false, "print the result as one line of JSON")
	return cmd
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
