package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/export"
)

const exportLong = `Export a stream to an S3 bucket: one object per event, keyed by its event
pointer, so that listing the bucket gives every segment's events in offset
order, and older segments before the ones that took over their keys:

  PREFIX/SCOPE/STREAM/<segment>-<offset>-<length>   an event's bytes
  PREFIX/SCOPE/STREAM/manifest.json                 segments, lineage, progress

Objects are copied in parallel (--parallel in flight, over all segments)
and in any order: the listing restores the order. Each is created only if
absent (If-None-Match), so an export that stopped (interrupted, killed, a
lost connection) continues where its manifest says when run again, and
never writes an event twice; re-running a finished export writes nothing.
Object metadata: braid-stream, braid-segment, braid-offset, braid-length
and braid-append-time (when the server still knows it).

--batch SIZE|DURATION puts a run of events of one segment in one object
(named by its first event's pointer, with an index of its events), closed at
SIZE bytes (default 8MiB) or DURATION after its first event (default 10s):
for streams faster than one PUT per event allows (S3 takes about 3,500 PUTs
a second per prefix). An export keeps the mode it started in.

S3 is named by the usual AWS settings (AWS_ENDPOINT_URL, AWS_REGION,
AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_PROFILE) or the --s3-* flags.
The bucket must exist.

--detach hands the export to the server instead: it runs it as a job,
following the stream, across failures and restarts, with its own S3
credentials; "braid export list|describe|stop|start|delete" manage jobs.
"braid import" writes an export back into a stream. docs/export.md has the
layout, a worked example, the manifest and the batch format.`

const exportExample = `  braid export s3://archive/braid --stream demo/events
  braid export s3://archive/braid --stream demo/events --follow --batch 4MiB
  braid export s3://archive/braid --stream demo/events --from time:-1h --parallel 64
  braid export s3://archive/braid --stream demo/events --detach --name events-archive
  AWS_ENDPOINT_URL=http://127.0.0.1:7070 braid export s3://test --stream demo/events --json
  braid export ls s3://archive/braid/demo/events --from 0000000000000000-0000000000000000-0000000d`

func newExportCmd(e *env) *cobra.Command {
	r := &remote{}
	s := &s3Flags{}
	var stream, from, to, batch, name string
	var follow, asJSON, detach bool
	var parallel int
	cmd := &cobra.Command{
		Use:     "export s3://BUCKET[/PREFIX] --stream SCOPE/STREAM",
		Short:   "Export a stream to S3, one object per event (or batch), in stream order",
		Long:    exportLong,
		Example: exportExample,
		Args:    argNames("s3://BUCKET[/PREFIX]"),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := parseS3URL("bucket URL", args[0])
			if err != nil {
				return err
			}
			if stream == "" {
				return usagef("%s: missing --stream SCOPE/STREAM (the stream to export)", cmd.CommandPath())
			}
			if stream, err = streamArg(stream); err != nil {
				return err
			}
			if parallel < 1 || parallel > 1024 {
				return usagef("invalid --parallel %d: want 1 to 1024 objects in flight", parallel)
			}
			o := export.Options{Stream: stream, Parallel: parallel, Follow: follow}
			if err := parseBatch(batch, &o); err != nil {
				return err
			}
			if follow && cmd.Flags().Changed("to") {
				return usagef("--to and --follow do not go together: --follow exports on with no end")
			}
			if detach {
				if f := changed(cmd, "to", "json", "s3-access-key", "s3-secret-key", "s3-attempts"); f != "" {
					return usagef("%s does not go with --detach: the server runs the job, following the stream, with its own S3 credentials", f)
				}
			} else if cmd.Flags().Changed("name") {
				return usagef("--name is the name of a server-run job: it goes with --detach")
			}
			ctx := cmd.Context()
			c, err := r.dial(ctx)
			if err != nil {
				return err
			}
			defer c.Close()
			if err := exportRange(ctx, c, stream, from, to, &o); err != nil {
				return err
			}
			if detach {
				return detachExport(ctx, e, r, c, s, args[0], name, o)
			}
			cfg.Conns = parallel
			st, err := s.store(ctx, cfg)
			if err != nil {
				return err
			}
			return runExport(ctx, e, c, st, s3Location(cfg, stream), o, asJSON)
		},
	}
	r.addFlags(cmd, false)
	r.addReconnectFlag(cmd)
	s.add(cmd)
	f := cmd.Flags()
	f.StringVar(&stream, "stream", "", "the stream to export, `SCOPE/STREAM`")
	f.StringVar(&from, "from", "head", "where a new export starts: head | STREAM-CUT | time:RFC3339 | time:-DURATION (an export that was started continues from its manifest)")
	f.StringVar(&to, "to", "tail", "where to stop without --follow: tail (as at the start) | STREAM-CUT")
	f.BoolVar(&follow, "follow", false, "keep exporting new events (until interrupted)")
	f.IntVar(&parallel, "parallel", export.DefaultParallel, "objects in flight at once, over all segments")
	f.StringVar(&batch, "batch", "off", "off (one object per event) | SIZE | DURATION | SIZE,DURATION: one object per run of events of a segment")
	f.BoolVar(&asJSON, "json", false, "print progress as JSON lines on standard output (once a second and at the end)")
	f.BoolVar(&detach, "detach", false, "have the server run the export as a job, following the stream across restarts (see braid export list)")
	f.StringVar(&name, "name", "", "with --detach: the job's `NAME` (default SCOPE.STREAM)")
	cmd.AddCommand(newExportLsCmd(e), newExportListCmd(e), newExportDescribeCmd(e),
		newExportStopCmd(e), newExportStartCmd(e), newExportDeleteCmd(e))
	return cmd
}

// parseBatch turns --batch into o's batch settings.
func parseBatch(v string, o *export.Options) error {
	if v == "off" {
		return nil
	}
	o.Batch = true
	for _, part := range strings.Split(v, ",") {
		if d, err := time.ParseDuration(part); err == nil {
			if d <= 0 {
				return usagef("invalid --batch %q: a duration must be positive", v)
			}
			o.BatchAge = d
			continue
		}
		n, err := parseByteSize("--batch", part)
		if err != nil || n < 1 {
			return usagef("invalid --batch %q: want off, a size (4MiB), a duration (5s) or both (4MiB,5s)", v)
		}
		if n > 1<<30 {
			return usagef("invalid --batch %q: a batch object holds at most 1GiB", v)
		}
		o.BatchBytes = int(n)
	}
	return nil
}

// exportRange resolves --from and --to into o.
func exportRange(ctx context.Context, c *braid.Client, stream, from, to string, o *export.Options) error {
	switch {
	case from == "head":
	case strings.HasPrefix(from, "time:"):
		t, err := braid.ParseTimeSpec(strings.TrimPrefix(from, "time:"), time.Now())
		if err != nil {
			return usagef("invalid --from %q: %v", from, err)
		}
		cut, err := c.StreamCutAt(ctx, stream, t)
		if err != nil {
			return fmt.Errorf("the stream cut at %s: %s", t.Format(time.RFC3339), message(err))
		}
		o.Start = &cut
	case looksLikeCut(from):
		cut, err := parseCut(stream, "--from", from)
		if err != nil {
			return err
		}
		o.Start = &cut
	default:
		return usagef("invalid --from %q: want head, a stream cut (v1.…) or time:…", from)
	}
	switch {
	case to == "tail":
	case looksLikeCut(to):
		cut, err := parseCut(stream, "--to", to)
		if err != nil {
			return err
		}
		o.End = &cut
	default:
		return usagef("invalid --to %q: want tail or a stream cut (v1.…)", to)
	}
	return nil
}

// countBar is a progress bar of a count with no known total, on w.
func countBar(w io.Writer, what, unit string) *progressbar.ProgressBar {
	return progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString(unit),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
}

// progressJSON is a --json progress line.
type progressJSON struct {
	Events   int64  `json:"events"`
	Objects  int64  `json:"objects"`
	Bytes    int64  `json:"bytes"`
	Existing int64  `json:"existing"`
	Position string `json:"position"`
	Done     bool   `json:"done"`
}

func runExport(ctx context.Context, e *env, c *braid.Client, st export.Bucket, where string, o export.Options, asJSON bool) error {
	started := time.Now()
	var bar *progressbar.ProgressBar
	if !asJSON && isTerminal(e.stderr) {
		bar = countBar(e.stderr, "exporting "+o.Stream, "objects")
	}
	enc := json.NewEncoder(e.stdout)
	o.Progress = func(p export.Progress) {
		if asJSON {
			_ = enc.Encode(progressJSON{p.Events, p.Objects, p.Bytes, p.Existing, p.Position, p.Done})
		}
		if bar != nil {
			_ = bar.Set64(p.Objects + p.Existing)
		}
	}
	p, err := export.Run(ctx, c, st, o)
	if bar != nil {
		_ = bar.Finish()
	}
	if err != nil {
		return fmt.Errorf("export %s to %s: %s (run again to continue from the manifest's position)", o.Stream, where, message(err))
	}
	if !asJSON {
		printExportSummary(e.stderr, where, p, time.Since(started))
	}
	return nil
}

func printExportSummary(w io.Writer, where string, p export.Progress, took time.Duration) {
	secs := max(took.Seconds(), 1e-9)
	fmt.Fprintf(w, "exported %d events as %d objects (%s) to %s in %s (%.0f objects/s, %s/s)",
		p.Events, p.Objects, humanize.IBytes(uint64(p.Bytes)), where, took.Round(time.Millisecond),
		float64(p.Objects)/secs, humanize.IBytes(uint64(float64(p.Bytes)/secs)))
	if p.Existing > 0 {
		fmt.Fprintf(w, "; %d objects were already there", p.Existing)
	}
	fmt.Fprintf(w, "\nposition: %s\n", p.Position)
}
