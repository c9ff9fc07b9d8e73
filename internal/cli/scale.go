package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/wire"
)

// Limits of scaling, as the server checks them.
const (
	maxSplitParts  = 16   // a split makes 2 to 16 segments
	maxMinSegments = 1024 // the largest --min-segments
)

// scalingHelp explains scaling in the help of stream create and update.
const scalingHelp = `Scaling: a stream can scale by itself with the load. The server splits a
segment whose rate stays above the target into up to --scale-factor
segments, and merges neighbouring segments whose rates stay below half the
target, never below --min-segments segments. How long a rate must last and
the cooldown between two scalings are server settings.

  --scale-events N     target events per second per segment
  --scale-bytes SIZE   target bytes per second per segment (1MiB, 512KiB,
                       bytes); a stream scales by events or by bytes
  --scale-factor N     split a hot segment into up to N segments (2 to 16,
                       default 2)
  --min-segments N     never merge below N segments (default 1)

"braid stream scale" splits and merges segments by hand, with or without a
policy.`

// scalingFlags are the scaling options of stream create and update.
type scalingFlags struct {
	events      int64
	bytes       string
	factor, min int
	fixed       bool // update only: --scale-fixed
}

func (f *scalingFlags) add(cmd *cobra.Command, update bool) {
	fl := cmd.Flags()
	fl.Int64Var(&f.events, "scale-events", 0, "scale to keep each segment near `N` events/s")
	fl.StringVar(&f.bytes, "scale-bytes", "", "scale to keep each segment near `SIZE` bytes/s (1MiB, 512KiB, bytes)")
	fl.IntVar(&f.factor, "scale-factor", 0, "split a hot segment into up to `N` segments, 2 to 16 (default 2)")
	fl.IntVar(&f.min, "min-segments", 0, "never merge below `N` segments (default 1)")
	if update {
		fl.BoolVar(&f.fixed, "scale-fixed", false, "remove the scaling policy: keep the segments as they are")
	}
}

// changed returns the first of the named flags given on the command line,
// as "--name", or "".
func changed(cmd *cobra.Command, names ...string) string {
	for _, n := range names {
		if cmd.Flags().Lookup(n) != nil && cmd.Flags().Changed(n) {
			return "--" + n
		}
	}
	return ""
}

// policy returns the scaling policy the flags ask for, on top of current
// (the stream's policy, for update; nil for create): a new target replaces
// the kind and target, --scale-factor and --min-segments replace theirs,
// and what is not given stays. set is false when no scaling flag was given;
// p is nil for --scale-fixed. Flag errors are usage errors; with check set
// (before dialing, current unknown) a --scale-factor or --min-segments
// alone is accepted as long as current may have a policy.
func (f *scalingFlags) policy(cmd *cobra.Command, current *braid.ScalingPolicy, update, check bool) (p *braid.ScalingPolicy, set bool, err error) {
	target := changed(cmd, "scale-events", "scale-bytes")
	tuning := changed(cmd, "scale-factor", "min-segments")
	if f.fixed {
		if other := changed(cmd, "scale-events", "scale-bytes", "scale-factor", "min-segments"); other != "" {
			return nil, false, usagef("--scale-fixed and %s do not go together", other)
		}
		return nil, true, nil
	}
	if target == "" && tuning == "" {
		return nil, false, nil
	}
	if cmd.Flags().Changed("scale-events") && cmd.Flags().Changed("scale-bytes") {
		return nil, false, usagef("--scale-events and --scale-bytes do not go together: a stream scales by event rate or by data rate")
	}
	p = &braid.ScalingPolicy{}
	if current != nil {
		*p = *current
	}
	switch target {
	case "--scale-events":
		if f.events <= 0 {
			return nil, false, usagef("invalid --scale-events %d: want more than 0 events/s", f.events)
		}
		p.Kind, p.Target = braid.ScaleByEventRate, f.events
	case "--scale-bytes":
		n, err := parseByteSize("--scale-bytes", f.bytes)
		if err != nil {
			return nil, false, err
		}
		if n <= 0 {
			return nil, false, usagef("invalid --scale-bytes %s: want more than 0 bytes/s", f.bytes)
		}
		p.Kind, p.Target = braid.ScaleByDataRate, n
	}
	if cmd.Flags().Changed("scale-factor") {
		if f.factor < 2 || f.factor > maxSplitParts {
			return nil, false, usagef("invalid --scale-factor %d: want 2 to %d", f.factor, maxSplitParts)
		}
		p.ScaleFactor = f.factor
	}
	if cmd.Flags().Changed("min-segments") {
		if f.min < 1 || f.min > maxMinSegments {
			return nil, false, usagef("invalid --min-segments %d: want 1 to %d", f.min, maxMinSegments)
		}
		p.MinSegments = f.min
	}
	if target == "" && current == nil {
		if !update {
			return nil, false, usagef("%s needs --scale-events or --scale-bytes", tuning)
		}
		if !check {
			return nil, false, fmt.Errorf("%s: the stream has no scaling policy to change; give --scale-events or --scale-bytes too", tuning)
		}
	}
	return p, true, nil
}

// scalingText describes a scaling policy in the flags' terms.
func scalingText(p *braid.ScalingPolicy) string {
	if p == nil {
		return "fixed"
	}
	var s string
	switch p.Kind {
	case braid.ScaleByEventRate:
		s = "by event rate: " + strconv.FormatInt(p.Target, 10) + " events/s"
	case braid.ScaleByDataRate:
		s = "by data rate: " + sizeText(p.Target) + "/s"
	default:
		return p.String()
	}
	return fmt.Sprintf("%s per segment, split into up to %d, at least %s",
		s, max(p.ScaleFactor, 2), plural(max(p.MinSegments, 1), "segment"))
}

// parseSegmentID parses a segment id given to flag: up to 16 hex digits, as
// "braid stream describe" prints them (leading zeros may be left out).
func parseSegmentID(flag, s string) (uint64, error) {
	bad := func(why string) error {
		return usagef("invalid %s segment %q: %s; want a segment id of up to 16 hex digits, as \"braid stream describe\" prints", flag, s, why)
	}
	switch {
	case s == "":
		return 0, bad("empty")
	case len(s) > 16:
		return 0, bad("more than 16 digits")
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return 0, bad(fmt.Sprintf("%q is not a hex digit", c))
		}
	}
	id, err := strconv.ParseUint(s, 16, 64)
	if err != nil {
		return 0, bad(err.Error())
	}
	return id, nil
}

// scaleFlags are the flags of stream scale.
type scaleFlags struct {
	split string
	parts int
	merge string
}

// parse checks the flags and returns the segment to split, or the segments
// to merge.
func (f *scaleFlags) parse(cmd *cobra.Command) (split uint64, merge []uint64, err error) {
	hasSplit, hasMerge := cmd.Flags().Changed("split"), cmd.Flags().Changed("merge")
	switch {
	case hasSplit && hasMerge:
		return 0, nil, usagef("--split and --merge do not go together: one scaling either splits one segment or merges neighbours")
	case !hasSplit && !hasMerge:
		return 0, nil, usagef("nothing to do: give --split SEGMENT or --merge SEGMENT,SEGMENT[,...]")
	case hasMerge && cmd.Flags().Changed("parts"):
		return 0, nil, usagef("--parts goes with --split, not --merge: a merge makes one segment")
	}
	if hasSplit {
		if f.parts < 2 || f.parts > maxSplitParts {
			return 0, nil, usagef("invalid --parts %d: want 2 to %d", f.parts, maxSplitParts)
		}
		split, err = parseSegmentID("--split", f.split)
		return split, nil, err
	}
	seen := map[uint64]bool{}
	for _, s := range strings.Split(f.merge, ",") {
		id, err := parseSegmentID("--merge", strings.TrimSpace(s))
		if err != nil {
			return 0, nil, err
		}
		if seen[id] {
			return 0, nil, usagef("invalid --merge: segment %016x is named twice", id)
		}
		seen[id] = true
		merge = append(merge, id)
	}
	if len(merge) < 2 {
		return 0, nil, usagef("invalid --merge %q: name at least two neighbouring segments, separated by commas", f.merge)
	}
	return 0, merge, nil
}

func newStreamScaleCmd(e *env) *cobra.Command {
	var f scaleFlags
	cmd := &cobra.Command{
		Use:   "scale SCOPE/STREAM (--split SEGMENT [--parts N] | --merge SEGMENT,SEGMENT[,...])",
		Short: "Split a segment or merge neighbouring segments, making a new epoch",
		Long: `Scale changes a stream's segment layout by hand: --split divides one current
segment into --parts segments (2 to 16, default 2) of equal key ranges;
--merge joins two or more current segments whose key ranges are neighbours
into one. Segments are named by their ids as "braid stream describe" prints
them (16 hex digits; leading zeros may be left out).

Every scaling makes a new epoch: the scaled segments are sealed, new ones
take over their key ranges, and the other segments carry over. Writers move
to the new segments by themselves; readers read a sealed segment to its end
before its successors. The command prints the new epoch.

A scaling that lost a race with another (say, the server's auto-scaler)
fails with a conflict; describe the stream and try again.`,
		Example: `  braid stream scale demo/events --split 0000000000000001
  braid stream scale demo/events --split 1 --parts 4
  braid stream scale demo/events --merge 100000000,100000001`,
		Args: argNames("SCOPE/STREAM"),
		PreRunE: func(cmd *cobra.Command, args []string) error {
			if err := checkArgs(streamArg)(cmd, args); err != nil {
				return err
			}
			_, _, err := f.parse(cmd)
			return err
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.split, "split", "", "split this current `SEGMENT`")
	fl.IntVar(&f.parts, "parts", 2, "with --split: into this many segments (2 to 16)")
	fl.StringVar(&f.merge, "merge", "", "merge these neighbouring current segments (`SEGMENT,SEGMENT[,...]`)")
	out := addOutputFlag(cmd, "one object: the new epoch")
	return adminCmd(cmd, func(ctx context.Context, r *remote, c *braid.Client, args []string) error {
		stream := args[0]
		split, merge, _ := f.parse(cmd)
		var info braid.StreamInfo
		var err error
		var what string
		if merge == nil {
			what = fmt.Sprintf("split segment %016x of %s into %d", split, stream, f.parts)
			info, err = c.SplitSegment(ctx, stream, split, f.parts)
		} else {
			ids := make([]string, len(merge))
			for i, id := range merge {
				ids[i] = fmt.Sprintf("%016x", id)
			}
			what = fmt.Sprintf("merge segments %s of %s", strings.Join(ids, ", "), stream)
			info, err = c.MergeSegments(ctx, stream, merge...)
		}
		if err != nil {
			return r.failed(ctx, what, err)
		}
		if len(info.Epochs) == 0 {
			return fmt.Errorf("%s: the server's answer has no epochs", what)
		}
		ep := info.Epochs[len(info.Epochs)-1]
		if out.json() {
			return writeJSON(e.stdout, scaleJSONOf(stream, ep))
		}
		fmt.Fprintf(e.stdout, "%s: now epoch %d with %s\n", what, ep.Epoch, plural(len(ep.Segments), "segment"))
		return printEpochSegments(e.stdout, ep)
	})
}

// printEpochSegments lists an epoch's segments, marking those it created
// (the others carried over from earlier epochs).
func printEpochSegments(w io.Writer, ep braid.Epoch) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  SEGMENT\tKEY RANGE\tNEW")
	for _, seg := range ep.Segments {
		fmt.Fprintf(tw, "  %016x\t[%s, %s)\t%s\n", seg.ID, keyText(seg.KeyLow), keyText(seg.KeyHigh), yesNo(wire.SegmentEpoch(seg.ID) == ep.Epoch))
	}
	return tw.Flush()
}
