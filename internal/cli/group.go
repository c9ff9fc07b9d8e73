package cli

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/wire"
)

// Bounds of --reader-timeout, as the server checks them.
const (
	minReaderTimeout = 100 * time.Millisecond
	maxReaderTimeout = time.Hour
)

const groupLong = `A reader group, named SCOPE/GROUP, reads one or more streams with any number
of readers ("braid read --group"): the server hands each segment to one
reader at a time, balances segments over the readers, and keeps the group's
position (what its readers processed) so that a reader that stops, or dies,
is taken over where it left off. Each event is read by one reader of the
group.

A group reads from its start cuts (each stream's head by default) and, if it
has end cuts, up to them; then its readers come to the end. Checkpoints are
named positions of the whole group, to reset it to later.`

const groupExample = `  braid group create demo/billing --stream demo/events
  braid read --group demo/billing --reader worker-1
  braid group describe demo/billing
  braid group checkpoint demo/billing before-deploy
  braid group reset demo/billing --checkpoint before-deploy
  braid group delete demo/billing`

func newGroupCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "group",
		Short:   "Create, list, describe, checkpoint, reset and delete reader groups",
		Long:    groupLong,
		Example: groupExample,
	}
	groupOf(cmd)
	cmd.AddCommand(newGroupCreateCmd(e), newGroupListCmd(e), newGroupDescribeCmd(e),
		newGroupCheckpointCmd(e), newGroupResetCmd(e), newGroupDeleteCmd(e))
	return cmd
}

// groupArg checks a SCOPE/GROUP argument. A group name follows the rules
// of stream names.
func groupArg(s string) (string, error) {
	scope, group, ok := strings.Cut(s, "/")
	switch {
	case !ok:
		return "", usagef("invalid reader group name %q: want scope/group", s)
	case strings.Contains(group, "/"):
		return "", usagef("invalid reader group name %q: more than one '/' (want scope/group)", s)
	}
	if err := wire.ValidateScopeName(scope); err != nil {
		return "", usagef("invalid reader group name %q: %s", s, message(err))
	}
	if err := wire.ValidateScopeName(group); err != nil {
		return "", usagef("invalid reader group name %q: %s", s, strings.Replace(message(err), "invalid scope name", "invalid group name", 1))
	}
	return s, nil
}

// cutsHelp explains --from and --until in the help of group create and
// reset.
const cutsHelp = `--stream names a stream to read; give it once per stream. --from says where
each stream starts: head (the default), tail (only events written from
then on), or a stream cut (v1.…, as "braid read --format json" prints in
"position"). --until says where it ends: tail (the tail as it is when the
command runs), a stream cut, or none (no end: the group reads on as events
come). A bare value applies to every stream; SCOPE/STREAM=VALUE applies to
one, and a bare stream cut needs exactly one --stream. --from-tail is
--from tail, --until-tail is --until tail.`

// groupFlags are the configuration flags of group create and reset.
type groupFlags struct {
	streams       []string
	from, until   []string
	fromTail      bool
	untilTail     bool
	readerTimeout time.Duration
}

func (f *groupFlags) add(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringArrayVar(&f.streams, "stream", nil, "read this `SCOPE/STREAM` (repeat for more streams)")
	fl.StringArrayVar(&f.from, "from", nil, "start at `VALUE`: head | tail | STREAM-CUT, for every stream, or SCOPE/STREAM=VALUE for one")
	fl.BoolVar(&f.fromTail, "from-tail", false, "start every stream at its tail (--from tail)")
	fl.StringArrayVar(&f.until, "until", nil, "end at `VALUE`: tail | STREAM-CUT | none, for every stream, or SCOPE/STREAM=VALUE for one")
	fl.BoolVar(&f.untilTail, "until-tail", false, "end every stream at its tail as it is now (--until tail)")
	fl.DurationVar(&f.readerTimeout, "reader-timeout", 0, "declare a silent reader dead after `DUR`, 100ms to 1h (default 10s; on reset, the group's)")
}

// given reports whether any configuration flag was given.
func (f *groupFlags) given(cmd *cobra.Command) string {
	return changed(cmd, "stream", "from", "from-tail", "until", "until-tail", "reader-timeout")
}

// cutSpec is one stream's --from or --until: a word or a cut.
type cutSpec struct {
	word string // head, tail or none; "" for a cut
	cut  braid.StreamCut
}

// cutSpecs is a parsed --from or --until: a value for every stream (all,
// when set) and values for single streams.
type cutSpecs struct {
	all    *cutSpec
	stream map[string]cutSpec
}

// of returns the value for stream, and whether there is one.
func (c cutSpecs) of(stream string) (cutSpec, bool) {
	if s, ok := c.stream[stream]; ok {
		return s, true
	}
	if c.all != nil {
		return *c.all, true
	}
	return cutSpec{}, false
}

// parseCutSpecs parses the values of flag (--from or --until) for streams;
// with streams nil (reset before the group's streams are known) any stream
// and a bare cut are taken. words are the words it takes besides a cut;
// alias is the boolean flag that stands for a bare aliasWord (--from-tail,
// --until-tail).
func parseCutSpecs(flag string, vals []string, streams []string, words []string, alias string, aliasSet bool, aliasWord string) (cutSpecs, error) {
	out := cutSpecs{stream: map[string]cutSpec{}}
	if aliasSet {
		out.all = &cutSpec{word: aliasWord}
	}
	want := "want " + strings.Join(words, ", ") + " or a stream cut (v1.…)"
	for _, v := range vals {
		stream, val, qualified := strings.Cut(v, "=")
		if !qualified {
			val, stream = v, ""
		} else {
			if _, err := streamArg(stream); err != nil {
				return out, usagef("invalid %s %q: %s", flag, v, message(err))
			}
			if streams != nil && !slices.Contains(streams, stream) {
				return out, usagef("invalid %s %q: %s is not one of the --stream streams", flag, v, stream)
			}
		}
		var spec cutSpec
		switch {
		case slices.Contains(words, val):
			spec.word = val
		case looksLikeCut(val):
			if stream == "" && streams != nil && len(streams) != 1 {
				return out, usagef("invalid %s: a bare stream cut needs exactly one stream; with %d, give %s SCOPE/STREAM=CUT", flag, len(streams), flag)
			}
			cut, err := parseCut(stream, flag, val)
			if err != nil {
				return out, err
			}
			spec.cut = cut
		default:
			return out, usagef("invalid %s %q: %s, for every stream or as SCOPE/STREAM=VALUE", flag, v, want)
		}
		switch {
		case stream != "":
			if _, dup := out.stream[stream]; dup {
				return out, usagef("%s is given twice for %s", flag, stream)
			}
			out.stream[stream] = spec
		case out.all != nil && aliasSet:
			return out, usagef("%s and a bare %s do not go together", alias, flag)
		case out.all != nil:
			return out, usagef("%s is given twice for every stream; use SCOPE/STREAM=VALUE for single streams", flag)
		default:
			s := spec
			out.all = &s
		}
	}
	return out, nil
}

// parsedGroupFlags holds a group command line's checked configuration
// flags.
type parsedGroupFlags struct {
	streams     []string
	from, until cutSpecs
}

// parse checks the flags. Without --stream (reset), the values are checked
// against fallback, the group's streams; nil when they are not known yet.
func (f *groupFlags) parse(cmd *cobra.Command, fallback []string) (parsedGroupFlags, error) {
	var p parsedGroupFlags
	for _, s := range f.streams {
		if _, err := streamArg(s); err != nil {
			return p, err
		}
		if slices.Contains(p.streams, s) {
			return p, usagef("--stream %s is given twice", s)
		}
		p.streams = append(p.streams, s)
	}
	streams := p.streams
	if len(streams) == 0 {
		streams = fallback
	}
	var err error
	if p.from, err = parseCutSpecs("--from", f.from, streams, []string{"head", "tail"}, "--from-tail", f.fromTail, "tail"); err != nil {
		return p, err
	}
	if p.until, err = parseCutSpecs("--until", f.until, streams, []string{"tail", "none"}, "--until-tail", f.untilTail, "tail"); err != nil {
		return p, err
	}
	if cmd.Flags().Changed("reader-timeout") && (f.readerTimeout < minReaderTimeout || f.readerTimeout > maxReaderTimeout) {
		return p, usagef("invalid --reader-timeout %s: want 100ms to 1h", f.readerTimeout)
	}
	return p, nil
}

// config builds a group configuration for streams. prev is the group's
// configuration for reset (nil for create): streams' end cuts and the
// reader timeout default to it.
func (p parsedGroupFlags) config(ctx context.Context, c *braid.Client, f *groupFlags, cmd *cobra.Command, streams []string, prev *braid.ReaderGroupConfig) (braid.ReaderGroupConfig, error) {
	cfg := braid.ReaderGroupConfig{ReaderTimeout: f.readerTimeout}
	if prev != nil && !cmd.Flags().Changed("reader-timeout") {
		cfg.ReaderTimeout = prev.ReaderTimeout
	}
	for _, s := range streams {
		gs := braid.GroupStream{Stream: s}
		if spec, ok := p.from.of(s); ok {
			switch spec.word {
			case "head":
			case "tail":
				gs.FromTail = true
			default:
				gs.Start = spec.cut
				gs.Start.Stream = s
			}
		}
		spec, ok := p.until.of(s)
		switch {
		case !ok && prev != nil:
			for _, ps := range prev.Streams {
				if ps.Stream == s {
					gs.End = ps.End
				}
			}
		case !ok, spec.word == "none":
		case spec.word == "tail":
			tail, err := c.TailCut(ctx, s)
			if err != nil {
				return cfg, err
			}
			gs.End = tail
		default:
			gs.End = spec.cut
			gs.End.Stream = s
		}
		cfg.Streams = append(cfg.Streams, gs)
	}
	return cfg, nil
}

func newGroupCreateCmd(e *env) *cobra.Command {
	var f groupFlags
	cmd := &cobra.Command{
		Use:   "create SCOPE/GROUP --stream SCOPE/STREAM [--stream ...] [--from ...] [--until ...]",
		Short: "Create a reader group over one or more streams",
		Long: `Create a reader group that reads the --stream streams. Readers join it with
"braid read --group" (or the client library).

` + cutsHelp + `

--reader-timeout is how long a reader may be silent (its process hung, its
network cut) before the server gives its segments to the other readers from
its last committed position.`,
		Example: `  braid group create demo/billing --stream demo/events
  braid group create demo/audit --stream demo/events --stream demo/logins --from-tail
  braid group create demo/replay --stream demo/events --from v1.BAAAARwCJgMAm2-TYA --until-tail
  braid group create demo/mixed --stream demo/a --stream demo/b --from demo/b=tail --reader-timeout 30s`,
		Args: argNames("SCOPE/GROUP"),
		PreRunE: func(cmd *cobra.Command, args []string) error {
			if err := checkArgs(groupArg)(cmd, args); err != nil {
				return err
			}
			if len(f.streams) == 0 {
				return usagef("--stream is required: the stream(s) the group reads")
			}
			_, err := f.parse(cmd, nil)
			return err
		},
	}
	f.add(cmd)
	out := addOutputFlag(cmd, "one object: the group, as in group list")
	return adminCmd(cmd, func(ctx context.Context, r *remote, c *braid.Client, args []string) error {
		name := args[0]
		p, _ := f.parse(cmd, nil)
		cfg, err := p.config(ctx, c, &f, cmd, p.streams, nil)
		if err == nil {
			var info braid.GroupInfo
			info, err = c.ReaderGroup(name).Create(ctx, cfg)
			if err == nil && out.json() {
				return writeJSON(e.stdout, groupJSONOf(info))
			}
			if err == nil {
				fmt.Fprintf(e.stdout, "created reader group %s\n", name)
				return printGroupStreams(e.stdout, info.Config)
			}
		}
		return r.failed(ctx, "create reader group "+name, err)
	})
}

// printGroupStreams lists a group's streams with their start and end cuts.
func printGroupStreams(w io.Writer, cfg braid.ReaderGroupConfig) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  STREAM\tFROM\tUNTIL")
	for _, s := range cfg.Streams {
		from, until := groupStreamText(s)
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", s.Stream, from, until)
	}
	return tw.Flush()
}

// groupStreamText is where a group starts reading a stream (head, tail or
// a stream cut) and where it ends (none or a stream cut).
func groupStreamText(s braid.GroupStream) (from, until string) {
	from, until = "head", "none"
	if len(s.Start.Segments) > 0 {
		from = s.Start.String()
	} else if s.FromTail {
		from = "tail"
	}
	if len(s.End.Segments) > 0 {
		until = s.End.String()
	}
	return from, until
}

func newGroupListCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list SCOPE",
		Short: "List the reader groups of a scope",
		Long: `List the reader groups of a scope with their streams, number of readers, lag
(bytes and estimated events between their position and the streams' tails;
"-" before any event was read) and whether they finished.`,
		Example: "  braid group list demo\n  braid group list demo -o json",
		Args:    argNames("SCOPE"),
		PreRunE: checkArgs(scopeArg),
	}
	out := addOutputFlag(cmd, "an array of groups")
	return adminCmd(cmd, func(ctx context.Context, r *remote, c *braid.Client, args []string) error {
		groups, err := c.ListReaderGroups(ctx, args[0])
		if err == nil && len(groups) == 0 {
			// The server lists no groups for a missing scope; say so.
			_, err = c.ListStreams(ctx, args[0])
		}
		if err != nil {
			return r.failed(ctx, "list reader groups of scope "+args[0], err)
		}
		slices.SortFunc(groups, func(a, b braid.GroupInfo) int { return strings.Compare(a.Name, b.Name) })
		if out.json() {
			list := make([]groupJSON, 0, len(groups))
			for _, g := range groups {
				list = append(list, groupJSONOf(g))
			}
			return writeJSON(e.stdout, list)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "GROUP\tSTREAMS\tREADERS\tLAG BYTES\tLAG EVENTS\tFINISHED\tCREATED")
		for _, g := range groups {
			streams := make([]string, len(g.Config.Streams))
			for i, s := range g.Config.Streams {
				streams[i] = s.Stream
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\t%s\n", g.Name, strings.Join(streams, ","), len(g.Readers),
				g.LagBytes, lagEvents(g.LagEvents), yesNo(g.Finished), timeText(g.Created))
		}
		return tw.Flush()
	})
}

func lagEvents(n int64) string {
	if n < 0 {
		return "-"
	}
	return strconv.FormatInt(n, 10)
}

func newGroupDescribeCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "describe SCOPE/GROUP",
		Short: "Show a reader group's readers, segments, position, lag and checkpoints",
		Long: `Show a reader group: its streams with their start and end cuts; its readers
with the segments they own and when the server last heard from them; the
segments being read, each with its owner (none while it waits for a
reader), the committed offset, the segment's tail, the group's end offset in
it and the lag (bytes from the offset to the tail or end); the group's
position (one stream cut per stream, usable as --from of "braid group
reset" or "braid read"); its lag in bytes and estimated events; and its
checkpoints with their cuts.`,
		Example: "  braid group describe demo/billing\n  braid group describe demo/billing -o json",
		Args:    argNames("SCOPE/GROUP"),
		PreRunE: checkArgs(groupArg),
	}
	out := addOutputFlag(cmd, "one object: the group with its readers, segments, position and checkpoints")
	return adminCmd(cmd, func(ctx context.Context, r *remote, c *braid.Client, args []string) error {
		info, err := c.ReaderGroup(args[0]).Describe(ctx)
		if err != nil {
			return r.failed(ctx, "describe reader group "+args[0], err)
		}
		if out.json() {
			return writeJSON(e.stdout, groupDescribeJSONOf(info))
		}
		return describeGroup(e.stdout, info, time.Now())
	})
}

// describeGroup prints a group's summary, then its streams, readers,
// segments, position and checkpoints.
func describeGroup(w io.Writer, g braid.GroupInfo, now time.Time) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "group:\t%s/%s\n", g.Scope, g.Name)
	fmt.Fprintf(tw, "created:\t%s\n", timeText(g.Created))
	fmt.Fprintf(tw, "generation:\t%d\n", g.Generation)
	fmt.Fprintf(tw, "reader timeout:\t%s\n", g.Config.ReaderTimeout)
	fmt.Fprintf(tw, "finished:\t%s\n", yesNo(g.Finished))
	events := "unknown (no event read yet)"
	if g.LagEvents >= 0 {
		events = plural(int(g.LagEvents), "event")
	}
	fmt.Fprintf(tw, "lag:\t%s, %s\n", plural(int(g.LagBytes), "byte"), events)
	for _, stream := range slices.Sorted(maps.Keys(g.TimeWindows)) {
		tw2 := g.TimeWindows[stream]
		upper := "none (near the tail)"
		if !tw2.NearTail() {
			upper = tw2.Upper.UTC().Format(time.RFC3339Nano)
		}
		fmt.Fprintf(tw, "watermark %s:\t%s, window upper bound %s\n", stream, watermarkText(tw2.Lower, now), upper)
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	fmt.Fprintf(w, "\nstreams (%d)\n", len(g.Config.Streams))
	if err := printGroupStreams(w, g.Config); err != nil {
		return err
	}

	fmt.Fprintf(w, "\nreaders (%d)\n", len(g.Readers))
	if len(g.Readers) > 0 {
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  READER\tSEGMENTS\tLAST SEEN")
		readers := slices.Clone(g.Readers)
		slices.SortFunc(readers, func(a, b braid.GroupReaderInfo) int { return strings.Compare(a.ID, b.ID) })
		for _, rd := range readers {
			segs := make([]string, len(rd.Segments))
			for i, id := range rd.Segments {
				segs[i] = fmt.Sprintf("%016x", id)
			}
			list := strings.Join(segs, ",")
			if list == "" {
				list = "-"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", rd.ID, list, seenText(rd.LastSeen, now))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}

	fmt.Fprintf(w, "\nsegments (%d)\n", len(g.Segments))
	if len(g.Segments) > 0 {
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  STREAM\tSEGMENT\tKEY RANGE\tREADER\tOFFSET\tTAIL\tEND\tLAG")
		for _, s := range g.Segments {
			reader, end := s.Reader, "-"
			if reader == "" {
				reader = "(waiting)"
			}
			stop := s.Tail
			if s.EndOffset >= 0 {
				end = strconv.FormatInt(s.EndOffset, 10)
				stop = min(stop, s.EndOffset)
			}
			fmt.Fprintf(tw, "  %s\t%016x\t[%s, %s)\t%s\t%d\t%d\t%s\t%d\n", s.Stream, s.ID, keyText(s.KeyLow), keyText(s.KeyHigh),
				reader, s.Offset, s.Tail, end, max(stop-s.Offset, 0))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}

	fmt.Fprintln(w, "\nposition")
	if err := printCuts(w, g.Position); err != nil {
		return err
	}

	fmt.Fprintf(w, "\ncheckpoints (%d)\n", len(g.Checkpoints))
	for _, cp := range g.Checkpoints {
		fmt.Fprintf(w, "  %s (created %s)\n", cp.Name, timeText(cp.Created))
		if err := printCuts(w, cp.Cuts); err != nil {
			return err
		}
	}
	return nil
}

// printCuts lists stream cuts, one stream per line: "  SCOPE/STREAM  CUT".
func printCuts(w io.Writer, cuts []braid.StreamCut) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, c := range cuts {
		fmt.Fprintf(tw, "  %s\t%s\n", c.Stream, c.String())
	}
	return tw.Flush()
}

// seenText says when a reader was last heard from.
func seenText(t, now time.Time) string {
	if t.IsZero() {
		return "-"
	}
	ago := max(now.Sub(t), 0).Round(100 * time.Millisecond)
	return fmt.Sprintf("%s (%s ago)", timeText(t), ago)
}

func newGroupCheckpointCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "checkpoint SCOPE/GROUP NAME",
		Short: "Take a named checkpoint of a reader group and print its cuts",
		Long: `Checkpoint asks every reader of the group to mark its position: each reader
passes the checkpoint once everything it read before is processed, and the
checkpoint is complete when all did. It prints the checkpoint's stream cuts,
one per stream; "braid group reset --checkpoint NAME" goes back to them.

The group's readers must be reading for the checkpoint to complete; if
--timeout passes first, the checkpoint is abandoned.`,
		Example: `  braid group checkpoint demo/billing before-deploy
  braid group checkpoint demo/billing nightly --timeout 5m`,
		Args:    argNames("SCOPE/GROUP", "NAME"),
		PreRunE: checkArgs(groupArg),
	}
	out := addOutputFlag(cmd, `one object: {"name", "created", "cuts"}`)
	return adminCmd(cmd, func(ctx context.Context, r *remote, c *braid.Client, args []string) error {
		name, cpName := args[0], args[1]
		cp, err := c.ReaderGroup(name).Checkpoint(ctx, cpName)
		if err != nil {
			return r.failed(ctx, "checkpoint "+cpName+" of reader group "+name, err)
		}
		if out.json() {
			return writeJSON(e.stdout, groupCheckpointJSONOf(cp))
		}
		fmt.Fprintf(e.stdout, "checkpoint %s of reader group %s (created %s)\n", cp.Name, name, timeText(cp.Created))
		return printCuts(e.stdout, cp.Cuts)
	})
}

func newGroupResetCmd(e *env) *cobra.Command {
	var f groupFlags
	var checkpoint string
	cmd := &cobra.Command{
		Use:   "reset SCOPE/GROUP (--checkpoint NAME | [--stream ...] [--from ...] [--until ...])",
		Short: "Move a reader group to a checkpoint or to new start cuts",
		Long: `Reset moves a reader group back (or forward): to one of its checkpoints with
--checkpoint, or to a new configuration given like that of "braid group
create". Every reader drops its segments and gets new ones from there.

Without --stream the group keeps its streams; without --until a stream
keeps its end cut; without --reader-timeout the group keeps its timeout.
--from defaults to head, as for create.

` + cutsHelp,
		Example: `  braid group reset demo/billing --checkpoint before-deploy
  braid group reset demo/billing --from head
  braid group reset demo/billing --from v1.BAAAARwCJgMAm2-TYA --until none
  braid group reset demo/audit --stream demo/events --stream demo/logins --from-tail`,
		Args: argNames("SCOPE/GROUP"),
		PreRunE: func(cmd *cobra.Command, args []string) error {
			if err := checkArgs(groupArg)(cmd, args); err != nil {
				return err
			}
			other := f.given(cmd)
			switch {
			case cmd.Flags().Changed("checkpoint") && other != "":
				return usagef("--checkpoint and %s do not go together: reset to a checkpoint or to a new configuration", other)
			case cmd.Flags().Changed("checkpoint") && checkpoint == "":
				return usagef("invalid --checkpoint: want a checkpoint name")
			case !cmd.Flags().Changed("checkpoint") && other == "":
				return usagef("nothing to reset to: give --checkpoint NAME, or --from, --until or --stream")
			}
			_, err := f.parse(cmd, nil)
			return err
		},
	}
	cmd.Flags().StringVar(&checkpoint, "checkpoint", "", "reset to this completed checkpoint of the group")
	f.add(cmd)
	out := addOutputFlag(cmd, "one object: the group, as in group list")
	return adminCmd(cmd, func(ctx context.Context, r *remote, c *braid.Client, args []string) error {
		name := args[0]
		g := c.ReaderGroup(name)
		what := "reset reader group " + name
		if checkpoint != "" {
			info, err := g.ResetToCheckpoint(ctx, checkpoint)
			if err != nil {
				return r.failed(ctx, what+" to checkpoint "+checkpoint, err)
			}
			if out.json() {
				return writeJSON(e.stdout, groupJSONOf(info))
			}
			fmt.Fprintf(e.stdout, "reset reader group %s to checkpoint %s (generation %d)\n", name, checkpoint, info.Generation)
			return printGroupStreams(e.stdout, info.Config)
		}
		cur, err := g.Describe(ctx)
		if err != nil {
			return r.failed(ctx, what, err)
		}
		streams := make([]string, len(cur.Config.Streams))
		for i, s := range cur.Config.Streams {
			streams[i] = s.Stream
		}
		p, err := f.parse(cmd, streams)
		if err != nil {
			return err // a SCOPE/STREAM=VALUE for a stream the group does not read
		}
		if len(p.streams) > 0 {
			streams = p.streams
		}
		cfg, err := p.config(ctx, c, &f, cmd, streams, &cur.Config)
		if err != nil {
			return r.failed(ctx, what, err)
		}
		info, err := g.Reset(ctx, cfg)
		if err != nil {
			return r.failed(ctx, what, err)
		}
		if out.json() {
			return writeJSON(e.stdout, groupJSONOf(info))
		}
		fmt.Fprintf(e.stdout, "reset reader group %s (generation %d)\n", name, info.Generation)
		return printGroupStreams(e.stdout, info.Config)
	})
}

func newGroupDeleteCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "delete SCOPE/GROUP",
		Short: "Delete a reader group; its readers stop with an error",
		Long: `Delete a reader group with its position and checkpoints. The streams it read
are not touched. Readers still in the group stop with a not-found error.`,
		Example: "  braid group delete demo/billing\n  braid group delete demo/billing --yes",
		Args:    argNames("SCOPE/GROUP"),
		PreRunE: checkArgs(groupArg),
	}
	addConfirm(e, cmd, func(args []string) string {
		return "delete reader group " + args[0] + " with its position and checkpoints? [y/N] "
	}, func(args []string) string { return "delete reader group " + args[0] })
	return adminCmd(cmd, func(ctx context.Context, r *remote, c *braid.Client, args []string) error {
		if err := c.ReaderGroup(args[0]).Delete(ctx); err != nil {
			return r.failed(ctx, "delete reader group "+args[0], err)
		}
		fmt.Fprintf(e.stdout, "deleted reader group %s\n", args[0])
		return nil
	})
}
