package cli

import (
	"fmt"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/braidstream/braid/internal/export"
)

const importLong = `Import an export (see "braid export") into a stream, with per-key order
as it was: the target stream starts with the exported stream's first layout
and is scaled as it was, each scale once the segments it sealed are in, and
each segment's events are written in offset order to the segment with its
key range. The target must be new, or the target of an earlier run of the
same import: a run that stopped continues, storing nothing twice (each
segment's writer id comes from the export and the segment, and its events
are numbered).

An import takes what the export holds: if the export is still going, it
imports up to the export's position and stops before the first scale whose
sealed segments are not wholly exported yet; run it again later for more.

--from and --to (event pointers, both included) import only a range.`

const importExample = `  braid import s3://archive/braid/demo/events --stream demo/restored
  braid import s3://archive/braid/demo/events --stream demo/part --from 0000000000000000-0000000000000040-0000000d`

func newImportCmd(e *env) *cobra.Command {
	r := &remote{}
	s := &s3Flags{}
	var stream, from, to string
	var parallel int
	cmd := &cobra.Command{
		Use:     "import s3://BUCKET/PREFIX/SCOPE/STREAM --stream SCOPE/NEW",
		Short:   "Import an exported stream from S3 into a stream, per-key order kept",
		Long:    importLong,
		Example: importExample,
		Args:    argNames("s3://BUCKET/PREFIX/SCOPE/STREAM"),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, src, err := parseS3StreamURL("export URL", args[0])
			if err != nil {
				return err
			}
			if stream == "" {
				return usagef("%s: missing --stream SCOPE/STREAM (the stream to import into)", cmd.CommandPath())
			}
			if stream, err = streamArg(stream); err != nil {
				return err
			}
			if parallel < 1 || parallel > 256 {
				return usagef("invalid --parallel %d: want 1 to 256 segments at once", parallel)
			}
			o := export.ImportOptions{Source: fmt.Sprintf("s3://%s/%s", cfg.Bucket, cfg.Prefix), From: src, To: stream, Parallel: parallel}
			if o.Lo, o.Hi, err = pointerRange(src, from, to); err != nil {
				return err
			}
			ctx := cmd.Context()
			st, err := s.store(ctx, cfg)
			if err != nil {
				return err
			}
			c, err := r.dial(ctx)
			if err != nil {
				return err
			}
			defer c.Close()
			var bar *progressbar.ProgressBar
			if isTerminal(e.stderr) {
				bar = countBar(e.stderr, "importing into "+stream, "events")
				o.Progress = func(p export.ImportProgress) { _ = bar.Set64(p.Events + p.Skipped) }
			}
			started := time.Now()
			p, err := export.Import(ctx, c, st, o)
			if bar != nil {
				_ = bar.Finish()
			}
			where := s3Location(cfg, src)
			if err != nil {
				return fmt.Errorf("import %s into %s: %s (run again to continue)", where, stream, message(err))
			}
			took := time.Since(started)
			fmt.Fprintf(e.stderr, "imported %d events (%s) from %s into %s in %s (%.0f events/s)",
				p.Events, humanize.IBytes(uint64(p.Bytes)), where, stream, took.Round(time.Millisecond), float64(p.Events)/max(took.Seconds(), 1e-9))
			if p.Skipped > 0 {
				fmt.Fprintf(e.stderr, "; %d were there already", p.Skipped)
			}
			fmt.Fprintln(e.stderr)
			if !p.Complete {
				fmt.Fprintf(e.stderr, "stopped at layout %d of the export: segment %s is not wholly exported yet; run again once it is\n", p.Epochs, p.Waiting)
			}
			return nil
		},
	}
	r.addFlags(cmd, false)
	r.addReconnectFlag(cmd)
	s.add(cmd)
	f := cmd.Flags()
	f.StringVar(&stream, "stream", "", "the stream to import into, `SCOPE/STREAM` (new, or an earlier run's)")
	f.StringVar(&from, "from", "", "the first event `POINTER` to import (included)")
	f.StringVar(&to, "to", "", "the last event `POINTER` to import (included)")
	f.IntVar(&parallel, "parallel", 8, "segments imported at once")
	return cmd
}
