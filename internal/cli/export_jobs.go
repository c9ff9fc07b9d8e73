package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/spf13/cobra"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/export"
	"github.com/braidstream/braid/wire"
)

// detachExport registers the export o as a job of the server.
func detachExport(ctx context.Context, e *env, r *remote, c *braid.Client, s *s3Flags, url, name string, o export.Options) error {
	if name == "" {
		name = strings.ReplaceAll(o.Stream, "/", ".")
	}
	if err := wire.ValidateScopeName(name); err != nil {
		return usagef("invalid --name %q: 1 to 250 characters of A-Z a-z 0-9 . _ -", name)
	}
	endpoint := s.endpointOf()
	cfg, err := s.config(url, endpoint)
	if err != nil {
		return err
	}
	j := braid.ExportJob{
		Name: name, Stream: o.Stream, URL: url,
		S3Endpoint: endpoint, S3Region: s.region, S3PathStyle: cfg.PathStyle,
		Parallel: o.Parallel, Batch: o.Batch, BatchBytes: o.BatchBytes, BatchAge: o.BatchAge,
	}
	if o.Start != nil {
		j.Start = o.Start.String()
	}
	st, err := c.CreateExport(ctx, j)
	if err != nil {
		return r.failed(ctx, "register export job "+name, err)
	}
	fmt.Fprintf(e.stderr, "export job %s runs on the server: %s to %s (see braid export describe %s)\n",
		st.Job.Name, st.Job.Stream, s3Location(cfg, o.Stream), st.Job.Name)
	return nil
}

func lagText(st braid.ExportStatus) string {
	if st.Lag < 0 {
		return "-"
	}
	return st.Lag.Round(time.Second).String()
}

func newExportListCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the export jobs the server runs",
		Long: `List the server's export jobs (braid export --detach) with their state:
running, retrying (the last attempt failed; see braid export describe),
stopped, or finished (the stream is sealed and exported to its end); the
objects written since the server started; and the lag: the data not
exported yet, and how long ago the last exported event was appended.`,
		Example: "  braid export list\n  braid export list -o json",
		Args:    argNames(),
	}
	out := addOutputFlag(cmd, "an array of export jobs")
	return adminCmd(cmd, func(ctx context.Context, r *remote, c *braid.Client, args []string) error {
		jobs, err := c.ListExports(ctx)
		if err != nil {
			return r.failed(ctx, "list export jobs", err)
		}
		if out.json() {
			list := make([]export.JobJSON, 0, len(jobs))
			for _, j := range jobs {
				list = append(list, export.JobJSONOf(j))
			}
			return writeJSON(e.stdout, list)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tSTREAM\tTO\tSTATE\tOBJECTS\tLAG BYTES\tLAG")
		for _, j := range jobs {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%s\n", j.Job.Name, j.Job.Stream, j.Job.URL, j.State, j.Objects, j.LagBytes, lagText(j))
		}
		return tw.Flush()
	})
}

func newExportDescribeCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "describe NAME",
		Short: "Show an export job: where it exports, its state, position, lag and last error",
		Long: `Show one export job of the server: the stream and where it goes, the mode,
its state, the position (the stream cut before which every event is in the
bucket), the objects and bytes written since the server started and those
found already there, the lag, S3 requests that failed or were throttled
(all retried), and the last error.`,
		Example: "  braid export describe demo.events\n  braid export describe demo.events -o json",
		Args:    argNames("NAME"),
	}
	out := addOutputFlag(cmd, "one object: the export job, as in export list")
	return adminCmd(cmd, func(ctx context.Context, r *remote, c *braid.Client, args []string) error {
		st, err := c.GetExport(ctx, args[0])
		if err != nil {
			return r.failed(ctx, "describe export job "+args[0], err)
		}
		return printExportJob(e, st, out.json())
	})
}

func printExportJob(e *env, st braid.ExportStatus, asJSON bool) error {
	j := export.JobJSONOf(st)
	if asJSON {
		return writeJSON(e.stdout, j)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	row := func(k, v string) { fmt.Fprintf(tw, "%s:\t%s\n", k, v) }
	row("name", j.Name)
	row("stream", j.Stream)
	row("to", j.URL)
	if j.S3Endpoint != "" {
		row("s3 endpoint", j.S3Endpoint)
	}
	mode := j.Mode
	if j.Mode == export.ModeBatch {
		mode = fmt.Sprintf("batch (%s or %s)", humanize.IBytes(uint64(j.BatchBytes)), j.BatchAge)
	}
	row("mode", mode)
	row("parallel", fmt.Sprint(j.Parallel))
	row("state", j.State)
	row("created", timeText(st.Created))
	row("position", j.Position)
	row("written", fmt.Sprintf("%d objects, %s (since the server started); %d found already written", j.Objects, humanize.IBytes(uint64(j.Bytes)), j.Existing))
	lagEv := "-"
	if j.LagEvents != nil {
		lagEv = fmt.Sprintf("about %d events", *j.LagEvents)
	}
	row("lag", fmt.Sprintf("%s (%s), %s", humanize.IBytes(uint64(max(j.LagBytes, 0))), lagEv, lagText(st)))
	row("s3 requests", fmt.Sprintf("%d failed, %d throttled (retried)", j.S3Errors, j.S3Throttled))
	if j.LastError != "" {
		row("last error", fmt.Sprintf("%s (%s)", j.LastError, timeText(st.LastErrorAt)))
	}
	return tw.Flush()
}

func newExportStopCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "stop NAME",
		Short:   "Pause an export job (it stays registered; start runs it again)",
		Long:    "Pause an export job: it saves its position and stops, and stays stopped across server restarts until \"braid export start\".",
		Example: "  braid export stop demo.events",
		Args:    argNames("NAME"),
	}
	out := addOutputFlag(cmd, "one object: the export job, as in export list")
	return adminCmd(cmd, func(ctx context.Context, r *remote, c *braid.Client, args []string) error {
		st, err := c.StopExport(ctx, args[0])
		if err != nil {
			return r.failed(ctx, "stop export job "+args[0], err)
		}
		return printExportJob(e, st, out.json())
	})
}

func newExportStartCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "start NAME",
		Short:   "Run a stopped export job again, from its position",
		Long:    "Run a stopped export job again: it continues from the position in its manifest.",
		Example: "  braid export start demo.events",
		Args:    argNames("NAME"),
	}
	out := addOutputFlag(cmd, "one object: the export job, as in export list")
	return adminCmd(cmd, func(ctx context.Context, r *remote, c *braid.Client, args []string) error {
		st, err := c.StartExport(ctx, args[0])
		if err != nil {
			return r.failed(ctx, "start export job "+args[0], err)
		}
		return printExportJob(e, st, out.json())
	})
}

func newExportDeleteCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "delete NAME",
		Short: "Stop and remove an export job (what it wrote stays in the bucket)",
		Long: `Stop and remove an export job of the server. The objects and the manifest
it wrote stay in the bucket: "braid export" or a new job with the same
stream and place continues from them.`,
		Example: "  braid export delete demo.events",
		Args:    argNames("NAME"),
	}
	return adminCmd(cmd, func(ctx context.Context, r *remote, c *braid.Client, args []string) error {
		if err := c.DeleteExport(ctx, args[0]); err != nil {
			return r.failed(ctx, "delete export job "+args[0], err)
		}
		fmt.Fprintf(e.stderr, "deleted export job %s\n", args[0])
		return nil
	})
}
