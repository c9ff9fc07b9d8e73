package cli

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/braidstream/braid"
)

// adminCmd builds a remote command that runs one short operation with the
// client under --timeout. A wrong --output (addOutputFlag) fails before
// anything is dialed.
func adminCmd(cmd *cobra.Command, run func(ctx context.Context, r *remote, c *braid.Client, args []string) error) *cobra.Command {
	r := &remote{}
	r.addFlags(cmd, true)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if err := checkOutputFlag(cmd); err != nil {
			return err
		}
		ctx, cancel := r.withTimeout(cmd.Context())
		defer cancel()
		c, err := r.dial(ctx)
		if err != nil {
			return err
		}
		defer c.Close()
		return run(ctx, r, c, args)
	}
	return cmd
}

func newScopeCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "scope",
		Short: "Create, list and delete scopes (namespaces of streams)",
		Long: `A scope is a namespace of streams. Names are 1 to 250 characters of
A-Z a-z 0-9 . _ - (names starting with _ are internal).`,
		Example: `  braid scope create demo
  braid scope list
  braid scope delete demo`,
	}
	groupOf(cmd)

	create := &cobra.Command{
		Use:     "create SCOPE",
		Short:   "Create a scope (succeeds if it exists)",
		Example: "  braid scope create demo",
		Args:    argNames("SCOPE"),
		PreRunE: checkArgs(scopeArg),
	}
	createOut := addOutputFlag(create, `one object: {"name", "created"}`)
	adminCmd(create, func(ctx context.Context, r *remote, c *braid.Client, args []string) error {
		created, err := c.CreateScope(ctx, args[0])
		if err != nil {
			return r.failed(ctx, "create scope "+args[0], err)
		}
		if createOut.json() {
			return writeJSON(e.stdout, scopeJSON{Name: args[0], Created: &created})
		}
		if created {
			fmt.Fprintf(e.stdout, "created scope %s\n", args[0])
		} else {
			fmt.Fprintf(e.stdout, "scope %s already exists\n", args[0])
		}
		return nil
	})

	list := &cobra.Command{
		Use:     "list",
		Short:   "List scopes, one per line",
		Example: "  braid scope list --addr 10.0.0.5:7470\n  braid scope list -o json",
		Args:    argNames(),
	}
	listOut := addOutputFlag(list, `an array of {"name"}`)
	adminCmd(list, func(ctx context.Context, r *remote, c *braid.Client, _ []string) error {
		scopes, err := c.ListScopes(ctx)
		if err != nil {
			return r.failed(ctx, "list scopes", err)
		}
		slices.Sort(scopes)
		if listOut.json() {
			out := make([]scopeJSON, 0, len(scopes))
			for _, s := range scopes {
				out = append(out, scopeJSON{Name: s})
			}
			return writeJSON(e.stdout, out)
		}
		for _, s := range scopes {
			fmt.Fprintln(e.stdout, s)
		}
		return nil
	})

	del := &cobra.Command{
		Use:     "delete SCOPE",
		Short:   "Delete an empty scope",
		Example: "  braid scope delete demo\n  braid scope delete demo --yes",
		Args:    argNames("SCOPE"),
		PreRunE: checkArgs(scopeArg),
	}
	addConfirm(e, del, func(args []string) string { return "delete scope " + args[0] + "? [y/N] " },
		func(args []string) string { return "delete scope " + args[0] })
	adminCmd(del, func(ctx context.Context, r *remote, c *braid.Client, args []string) error {
		if err := c.DeleteScope(ctx, args[0]); err != nil {
			return r.failed(ctx, "delete scope "+args[0], err)
		}
		fmt.Fprintf(e.stdout, "deleted scope %s\n", args[0])
		return nil
	})

	cmd.AddCommand(create, list, del)
	return cmd
}

func newStreamCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "stream",
		Short: "Create, list, describe, update, scale, seal, truncate and delete streams",
		Long: `A stream, named SCOPE/STREAM, is a set of parallel segments covering the
routing-key space [0,1). Events with the same routing key go to the same
segment and keep their order.`,
		Example: `  braid stream create demo/events --segments 4
  braid stream list demo
  braid stream describe demo/events
  braid stream update demo/events --retention-time 7d
  braid stream update demo/events --scale-events 1000
  braid stream scale demo/events --split 0000000000000001
  braid stream seal demo/events
  braid stream truncate demo/events --cut tail
  braid stream delete demo/events`,
	}
	groupOf(cmd)

	var segments int
	var tsTimeout time.Duration
	var retention retentionFlags
	var scaling scalingFlags
	create := &cobra.Command{
		Use:   "create SCOPE/STREAM",
		Short: "Create a stream (and its scope if missing)",
		Long: `Create a stream with --segments parallel segments and, optionally, a
retention policy and a scaling policy (see below; "braid stream update"
changes them later).

` + retentionHelp + `

` + scalingHelp,
		Example: `  braid stream create demo/events
  braid stream create demo/clicks --segments 8
  braid stream create demo/logs --retention-time 7d
  braid stream create demo/metrics --retention-size 10GiB --retention-min-size 512MiB
  braid stream create demo/clicks --segments 2 --scale-events 5000 --scale-factor 4 --min-segments 2
  braid stream create demo/uploads --scale-bytes 8MiB`,
		Args: argNames("SCOPE/STREAM"),
		PreRunE: func(cmd *cobra.Command, args []string) error {
			if segments < 1 || segments > braid.MaxSegments {
				return usagef("invalid --segments %d: want 1 to %d", segments, braid.MaxSegments)
			}
			if err := checkArgs(streamArg)(cmd, args); err != nil {
				return err
			}
			if _, _, err := retention.policy(cmd); err != nil {
				return err
			}
			if _, _, err := scaling.policy(cmd, nil, false, true); err != nil {
				return err
			}
			return checkTimestampTimeout(cmd, tsTimeout)
		},
	}
	create.Flags().IntVar(&segments, "segments", 1, "number of segments")
	createStreamOut := addOutputFlag(create, "one object: the stream, as in stream list, and scope_created")
	addTimestampTimeout(create, &tsTimeout)
	retention.add(create, false)
	scaling.add(create, false)
	adminCmd(create, func(ctx context.Context, r *remote, c *braid.Client, args []string) error {
		p, _, _ := retention.policy(create)
		sp, _, _ := scaling.policy(create, nil, false, false)
		info, err := c.CreateStream(ctx, args[0], braid.StreamConfig{Segments: segments, Retention: p, Scaling: sp, CreateScope: true, TimestampTimeout: tsTimeout})
		if err != nil {
			return r.failed(ctx, "create stream "+args[0], err)
		}
		if createStreamOut.json() {
			return writeJSON(e.stdout, streamCreateJSON{streamJSON: streamJSONOf(info), ScopeCreated: info.ScopeCreated})
		}
		if info.ScopeCreated {
			fmt.Fprintf(e.stdout, "created scope %s\n", info.Scope)
		}
		fmt.Fprintf(e.stdout, "created stream %s with %s", args[0], plural(info.Segments, "segment"))
		if info.Retention != nil {
			fmt.Fprintf(e.stdout, ", retention %s", policyText(info.Retention))
		}
		if info.Scaling != nil {
			fmt.Fprintf(e.stdout, ", scaling %s", scalingText(info.Scaling))
		}
		fmt.Fprintln(e.stdout)
		return nil
	})

	list := &cobra.Command{
		Use:     "list SCOPE",
		Short:   "List the streams of a scope",
		Example: "  braid stream list demo\n  braid stream list demo -o json",
		Args:    argNames("SCOPE"),
		PreRunE: checkArgs(scopeArg),
	}
	listStreamsOut := addOutputFlag(list, "an array of streams")
	adminCmd(list, func(ctx context.Context, r *remote, c *braid.Client, args []string) error {
		streams, err := c.ListStreams(ctx, args[0])
		if err != nil {
			return r.failed(ctx, "list streams of scope "+args[0], err)
		}
		slices.SortFunc(streams, func(a, b braid.StreamInfo) int { return strings.Compare(a.Name, b.Name) })
		if listStreamsOut.json() {
			out := make([]streamJSON, 0, len(streams))
			for _, s := range streams {
				out = append(out, streamJSONOf(s))
			}
			return writeJSON(e.stdout, out)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "STREAM\tSEGMENTS\tSEALED\tCREATED")
		for _, s := range streams {
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", s.Name, s.Segments, yesNo(s.Sealed), timeText(s.Created))
		}
		return tw.Flush()
	})

	describe := &cobra.Command{
		Use:   "describe SCOPE/STREAM",
		Short: "Show a stream's policies, epochs and segments",
		Long: `Show a stream's retention and scaling policies, then every epoch (the
stream's segment layouts over time, oldest first; each scaling makes one)
with when it was made and its segments: each segment's id (epoch<<32 |
number, in 16 hex digits as in event pointers and as "braid stream scale"
takes them) and the key range [low, high) it covers. For current segments
(those of the last epoch, also where they appear in earlier epochs they
carried over from) it shows their length, start offset (where data still
starts after truncation) and whether they are sealed; the other segments
were sealed by a scaling.`,
		Example: "  braid stream describe demo/events\n  braid stream describe demo/events -o json",
		Args:    argNames("SCOPE/STREAM"),
		PreRunE: checkArgs(streamArg),
	}
	describeOut := addOutputFlag(describe, "one object: the stream with its segments, epochs and watermark")
	adminCmd(describe, func(ctx context.Context, r *remote, c *braid.Client, args []string) error {
		info, err := c.GetStream(ctx, args[0])
		if err != nil {
			return r.failed(ctx, "describe stream "+args[0], err)
		}
		wm, err := c.Watermark(ctx, args[0])
		if err != nil {
			return r.failed(ctx, "describe stream "+args[0], err)
		}
		eph, err := describeEphemeralOf(ctx, c, args[0])
		if err != nil {
			return r.failed(ctx, "describe stream "+args[0], err)
		}
		if describeOut.json() {
			js := streamDescribeJSONOf(info, wm)
			if eph != nil {
				ej := ephemeralJSONOf(*eph, time.Now())
				js.Ephemeral = &ej
			}
			return writeJSON(e.stdout, js)
		}
		if err := describeStream(e.stdout, info, wm, time.Now()); err != nil || eph == nil {
			return err
		}
		fmt.Fprintln(e.stdout)
		return printEphemeral(e.stdout, *eph, time.Now())
	})

	seal := &cobra.Command{
		Use:     "seal SCOPE/STREAM",
		Short:   "Seal a stream: it takes no more events but can still be read",
		Example: "  braid stream seal demo/events",
		Args:    argNames("SCOPE/STREAM"),
		PreRunE: checkArgs(streamArg),
	}
	adminCmd(seal, func(ctx context.Context, r *remote, c *braid.Client, args []string) error {
		if err := c.SealStream(ctx, args[0]); err != nil {
			return r.failed(ctx, "seal stream "+args[0], err)
		}
		fmt.Fprintf(e.stdout, "sealed stream %s\n", args[0])
		return nil
	})

	var cutText string
	truncate := &cobra.Command{
		Use:   "truncate SCOPE/STREAM --cut CUT",
		Short: "Drop every event before a stream cut",
		Long: `Truncate drops every event of a stream before a stream cut. Reads and
fetches below the cut then fail with a TRUNCATED error, and the stream's head
moves to the cut. CUT is a stream cut text (v1....), such as the "position"
that "braid read --format json" prints after each event, or "tail" to drop
everything written so far. A cut that is not valid for the stream (a
segment missing, an offset that is not an event boundary) changes nothing.`,
		Example: `  braid stream truncate demo/events --cut v1.BAAAARwCJgMAm2-TYA
  braid stream truncate demo/events --cut tail`,
		Args: argNames("SCOPE/STREAM"),
		PreRunE: func(cmd *cobra.Command, args []string) error {
			if err := checkArgs(streamArg)(cmd, args); err != nil {
				return err
			}
			if cutText == "" {
				return usagef("--cut is required: a stream cut (v1....) or tail")
			}
			if cutText != "tail" {
				if _, err := braid.ParseStreamCut(cutText); err != nil {
					return usagef("invalid --cut: %s", message(err))
				}
			}
			return nil
		},
	}
	truncate.Flags().StringVar(&cutText, "cut", "", "where the stream will start: a stream cut (v1....) or tail")
	adminCmd(truncate, func(ctx context.Context, r *remote, c *braid.Client, args []string) error {
		var cut braid.StreamCut
		var err error
		if cutText == "tail" {
			cut, err = c.TailCut(ctx, args[0])
		} else {
			cut, err = parseCut(args[0], "--cut", cutText)
		}
		if err == nil {
			err = c.TruncateStream(ctx, args[0], cut)
		}
		if err != nil {
			return r.failed(ctx, "truncate stream "+args[0], err)
		}
		fmt.Fprintf(e.stdout, "truncated stream %s before %s\n", args[0], cut)
		return nil
	})

	del := &cobra.Command{
		Use:     "delete SCOPE/STREAM",
		Short:   "Delete a stream and all its data",
		Example: "  braid stream delete demo/events\n  braid stream delete demo/events --yes",
		Args:    argNames("SCOPE/STREAM"),
		PreRunE: checkArgs(streamArg),
	}
	addConfirm(e, del, func(args []string) string { return "delete stream " + args[0] + " and all its data? [y/N] " },
		func(args []string) string { return "delete stream " + args[0] })
	adminCmd(del, func(ctx context.Context, r *remote, c *braid.Client, args []string) error {
		if err := c.DeleteStream(ctx, args[0]); err != nil {
			return r.failed(ctx, "delete stream "+args[0], err)
		}
		fmt.Fprintf(e.stdout, "deleted stream %s\n", args[0])
		return nil
	})

	cmd.AddCommand(create, list, describe, newStreamUpdateCmd(e), newStreamScaleCmd(e), seal, truncate, del)
	return cmd
}

// checkArgs checks the first argument with check before anything is dialed.
func checkArgs(check func(string) (string, error)) func(*cobra.Command, []string) error {
	return func(_ *cobra.Command, args []string) error {
		_, err := check(args[0])
		return err
	}
}

// describeStream prints a stream's summary, then each epoch's segments.
// Segment ids are the 16 hex digits used in event pointers.
func describeStream(w io.Writer, info braid.StreamInfo, wm braid.Watermark, now time.Time) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "stream:\t%s/%s\n", info.Scope, info.Name)
	fmt.Fprintf(tw, "created:\t%s\n", timeText(info.Created))
	fmt.Fprintf(tw, "sealed:\t%s\n", yesNo(info.Sealed))
	fmt.Fprintf(tw, "retention:\t%s\n", policyText(info.Retention))
	fmt.Fprintf(tw, "scaling:\t%s\n", scalingText(info.Scaling))
	fmt.Fprintf(tw, "segments:\t%d\n", info.Segments)
	fmt.Fprintf(tw, "epochs:\t%d\n", len(info.Epochs))
	fmt.Fprintf(tw, "watermark:\t%s\n", watermarkText(wm.Time, now))
	fmt.Fprintf(tw, "timestamp timeout:\t%s\n", info.TimestampTimeout)
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(wm.Writers) > 0 {
		fmt.Fprintf(w, "\nwriters noting time (%d)\n", len(wm.Writers))
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  WRITER\tTIME\tREPORTED\tACTIVE")
		for _, wt := range wm.Writers {
			fmt.Fprintf(tw, "  %s\t%s\t%s ago\t%s\n", wt.Writer, wt.Time.UTC().Format(time.RFC3339Nano),
				now.Sub(wt.Reported).Round(time.Millisecond), yesNo(wt.Active))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	current := make(map[uint64]braid.SegmentStatus, len(info.Current))
	for _, s := range info.Current {
		current[s.ID] = s
	}
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for i, ep := range info.Epochs {
		mark := ""
		if i == len(info.Epochs)-1 {
			mark = ", current"
		}
		fmt.Fprintf(tw, "\nepoch %d (created %s%s)\n", ep.Epoch, timeText(ep.Created), mark)
		fmt.Fprintln(tw, "  SEGMENT\tKEY RANGE\tLENGTH\tSTART\tSEALED")
		for _, seg := range ep.Segments {
			length, start, sealed := "-", "-", "-"
			if st, ok := current[seg.ID]; ok {
				length = strconv.FormatInt(st.Length, 10)
				start = strconv.FormatInt(st.StartOffset, 10)
				sealed = yesNo(st.Sealed)
			} else if len(current) > 0 {
				sealed = "yes" // no longer current: a scale sealed it
			}
			fmt.Fprintf(tw, "  %016x\t[%s, %s)\t%s\t%s\t%s\n", seg.ID, keyText(seg.KeyLow), keyText(seg.KeyHigh), length, start, sealed)
		}
	}
	return tw.Flush()
}

func keyText(k float64) string { return strconv.FormatFloat(k, 'g', -1, 64) }

func timeText(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// watermarkText shows a watermark and how far it is behind now.
func watermarkText(t, now time.Time) string {
	if t.IsZero() {
		return "none (no writer noted time)"
	}
	return fmt.Sprintf("%s (%s behind)", t.UTC().Format(time.RFC3339Nano), now.Sub(t).Round(time.Millisecond))
}
