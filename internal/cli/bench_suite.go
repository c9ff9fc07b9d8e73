package cli

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/braidstream/braid/internal/bench"
)

// suiteFlags are the flags of the standard suite (--suite).
type suiteFlags struct {
	on       bool
	duration time.Duration
	dataDir  string
}

const defaultSuiteDuration = 10 * time.Second

// suiteOnlyFlags apply only with --suite; suiteFixedFlags are the
// workload's shape, which the suite fixes.
var (
	suiteOnlyFlags  = []string{"suite-duration", "data"}
	suiteFixedFlags = []string{"mode", "events", "size", "producers", "segments", "inflight", "readers", "read-only"}
)

const suiteHelp = `

--suite runs the standard workloads instead, each on a new stream
(--stream's name, then -<unix time>-<workload>) for --suite-duration of
writing, after measuring the disk: 1 MiB blocks appended to a temporary file
in --data (the server's data directory; run it on the server's machine) with
an fdatasync after each, for --suite-duration or 1 GiB. It prints one table:
workload, braid's figure, the disk figure it compares with, and the ratio
braid / disk (a share of the disk for rates, a multiple of one fdatasync for
latencies). The workloads:

` + bench.SuiteWorkloads + `

--suite fixes --mode, --events, --size, --producers, --segments, --inflight
and --readers; --key-count, --http and --flush-timeout apply to every
workload (with --http, workload 5 first waits for tier 2). --json prints one
JSON object: {"suite":"standard","duration_s":..,"disk":{..},"rows":[..],
"write_1k":{..},"write_100b":{..},"write_single":{..},"tail":{..},
"catchup":{..}}, each workload's object as its mode's --json prints it.`

func (s *suiteFlags) add(cmd *cobra.Command) {
	f := cmd.Flags()
	f.BoolVar(&s.on, "suite", false, "run the standard workloads and print them beside the disk's fsync'd bandwidth (see above)")
	f.DurationVar(&s.duration, "suite-duration", defaultSuiteDuration, "suite: how long each workload writes (and the disk is measured)")
	f.StringVar(&s.dataDir, "data", "./braid-data", "suite: the server's data directory, whose disk is measured")
}

// check rejects suite flags without --suite, and flags the suite fixes
// with it.
func (s *suiteFlags) check(cmd *cobra.Command) error {
	f := cmd.Flags()
	var bad []string
	if !s.on {
		for _, name := range suiteOnlyFlags {
			if f.Changed(name) {
				bad = append(bad, "--"+name)
			}
		}
		if len(bad) > 0 {
			return usagef("%s: only with --suite", strings.Join(bad, ", "))
		}
		return nil
	}
	for _, name := range suiteFixedFlags {
		if f.Changed(name) {
			bad = append(bad, "--"+name)
		}
	}
	if len(bad) > 0 {
		return usagef("%s: --suite runs fixed workloads", strings.Join(bad, ", "))
	}
	if s.duration <= 0 {
		return usagef("invalid flags: --suite-duration: want more than 0, got %v", s.duration)
	}
	if fi, err := os.Stat(s.dataDir); err != nil || !fi.IsDir() {
		return usagef("--data %s: not a directory: name the server's data directory (its disk is measured)", s.dataDir)
	}
	return nil
}

// suiteConfig returns the suite's configuration from the bench flags.
func (s *suiteFlags) suiteConfig(cfg bench.Config) bench.SuiteConfig {
	return bench.SuiteConfig{
		Stream:       cfg.Stream,
		Duration:     s.duration,
		DiskDir:      s.dataDir,
		KeyCount:     cfg.KeyCount,
		HTTPAddr:     cfg.HTTPAddr,
		FlushTimeout: cfg.FlushTimeout,
		Progress:     cfg.Progress,
		Warn:         cfg.Warn,
	}
}

func printSuite(w io.Writer, res bench.SuiteResult) error {
	d := res.Disk
	fmt.Fprintf(w, "disk: %s: 1 MiB appends, fdatasync after each, %s in %.1f s: %s MB/s, fdatasync p50 %s ms, p99 %s ms\n",
		d.Dir, plural(d.Blocks, "block"), d.Seconds, num(d.MBPerSec), num(d.FsyncP50Ms), num(d.FsyncP99Ms))
	fmt.Fprintf(w, "standard suite, %s of writing per workload (MB = 10^6 bytes of payload; ratio = braid / disk)\n",
		time.Duration(res.DurationSeconds*float64(time.Second)))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tworkload\tfigure\tbraid\tdisk figure\tdisk\tratio\t")
	for _, r := range res.Rows {
		braid := num(r.Braid)
		if r.BraidNote != "" {
			braid += " (" + r.BraidNote + ")"
		}
		ratio := "-"
		if r.Disk > 0 {
			ratio = strconv.FormatFloat(r.Ratio, 'f', 3, 64)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t\n", r.Workload, r.What, r.Figure, braid, r.DiskWhat, num(r.Disk), ratio)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, "(the disk was measured once, before the workloads; rates compare with its fdatasync'd write bandwidth, latencies with one fdatasync)")
	return err
}

// num prints an already rounded figure without trailing zeros.
func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
