package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/wire"
)

const readLong = `Read events from a stream and print them, one per line.

--from says where to start: head (the oldest data, the default), tail (only
events written from now on), -N (the last N events of each of the stream's
current segments, all of a segment holding fewer: without --follow at most
N events per segment are printed), a stream cut (v1.…, as printed in
"position" by --format json), an event pointer (reads that pointer's
segment from that event on), or a time: time:2026-12-03T10:00:00Z (RFC 3339)
or time:-5m (a duration before now) starts at the first events appended at
or after it (from the segments' time index: exact after a pause in appends
and for the last ten seconds, otherwise up to a second early, never late).
Finding the last N events reads back, without printing them, the events
appended since twice as long ago as the N-th last one, stepping back through
the time index (see docs/formats.md).

Without --follow the read stops at --to: the tail as it was when the read
started (the default) or a stream cut. With --follow it keeps waiting for
new events until interrupted.

--format text prints each event's bytes and a newline, unless they end with
one: lines written with "braid write" (which strips each line's newline) and
lines uploaded with "braid upload --split lines" (which keeps it) both read
back as the lines they were. On a terminal, an event that is not text is
shown quoted with escapes (a note on stderr says so); redirected, its bytes
go out as they are. --format json prints one object per line:

  {"pointer": "<event pointer>", "segment": "<segment id, 16 hex>",
   "offset": N, "time": "<append time>",
   "position": "<stream cut after this event>", "data": "..."}

with "data_base64" instead of "data" when the event is not valid UTF-8.
"time" is when the event was appended (the server's commit of its batch;
RFC 3339, UTC, up to nanoseconds), and is left out where the server no
longer knows it exactly: it knows it for the last ten seconds' appends and
a segment's last one, and for older ones only after a pause in appends.
Events of one segment come in order; segments interleave. --limit N stops
after N events.

With --group SCOPE/GROUP instead of a stream, read as the reader --reader
(default HOST-PID) of a reader group (see "braid group"): the server hands
this reader some of the group's segments (all of them if it is the only
reader), and the group keeps its position. The read ends when the group has
read everything up to its end cuts (exit 0), after --limit events, or when
interrupted (exit 0 too); the reader then leaves the group at the position
after the last event it printed, so that the group's next reader goes on
exactly from there. While reading, the position is committed every
--auto-commit (0: only when leaving); after a crash the group goes on from
the last commit, so events may be printed again but none is lost. --from,
--to and --follow do not apply to groups: "braid group create" and "braid
group reset" choose where a group reads. In --format json a group's events
carry "stream" and no "position" (one reader's position is no stream cut;
"braid group describe" shows the group's), and the group's checkpoints come
as {"checkpoint": "NAME"} lines (--format text skips them).`

const readExample = `  braid read demo/events
  braid read demo/events --from tail --follow
  braid read demo/events --from -10
  braid read demo/events --from -10 --follow
  braid read demo/events --from time:2026-12-03T10:00:00Z
  braid read demo/events --from time:-5m --follow
  braid read demo/events --format json --from v1.AgCACAGAEL0CKq8
  braid read demo/events --from 0000000000000001-0000000000000400-00000010
  braid read --group demo/billing --reader worker-1
  braid read --group demo/billing --reader worker-1 --limit 100 --format json`

// leaveTimeout bounds how long a group reader waits for the server to take
// its leave.
const leaveTimeout = 10 * time.Second

// streamOnlyFlags are the read flags that do not apply to --group.
var streamOnlyFlags = []string{"from", "to", "follow"}

// groupOnlyFlags are the read flags that need --group.
var groupOnlyFlags = []string{"reader", "auto-commit"}

func newReadCmd(e *env) *cobra.Command {
	r := &remote{}
	var from, to, format, group, reader string
	var follow bool
	var limit int
	var autoCommit time.Duration
	cmd := &cobra.Command{
		Use:     "read (SCOPE/STREAM | --group SCOPE/GROUP [--reader ID])",
		Short:   "Read events from a stream, or as a reader of a reader group",
		Long:    readLong,
		Example: readExample,
		Args: func(cmd *cobra.Command, args []string) error {
			switch {
			case cmd.Flags().Changed("group") && len(args) > 0:
				return usagef("%s: unexpected argument %q: --group reads a reader group's streams, give no stream", cmd.CommandPath(), args[0])
			case cmd.Flags().Changed("group"):
				return nil
			case len(args) == 0:
				return usagef("%s: missing SCOPE/STREAM (or --group SCOPE/GROUP)", cmd.CommandPath())
			}
			return argNames("SCOPE/STREAM")(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usagef("invalid --format %q: want text or json", format)
			}
			if limit < 0 {
				return usagef("invalid --limit %d: want 0 (no limit) or more", limit)
			}
			if cmd.Flags().Changed("group") {
				if _, err := groupArg(group); err != nil {
					return err
				}
				if f := changed(cmd, streamOnlyFlags...); f != "" {
					return usagef("%s does not go with --group: a reader group reads from where the group is (choose it with braid group create or reset)", f)
				}
				if !cmd.Flags().Changed("reader") {
					reader = defaultReaderID()
				}
				if n := len(reader); n < 1 || n > 256 {
					return usagef("invalid --reader %q: want 1 to 256 bytes", reader)
				}
				if autoCommit < 0 {
					return usagef("invalid --auto-commit %s: want 0 (commit only when leaving) or more", autoCommit)
				}
				return runGroupRead(cmd.Context(), r, e.stdout, e.stderr, group, reader, autoCommit, limit, format == "json")
			}
			if f := changed(cmd, groupOnlyFlags...); f != "" {
				return usagef("%s needs --group: it is for reading as a member of a reader group", f)
			}
			stream, err := streamArg(args[0])
			if err != nil {
				return err
			}
			opts, err := readOptions(stream, from, to, follow, cmd.Flags().Changed("to"))
			if err != nil {
				return err
			}
			return runRead(cmd.Context(), r, e.stdout, e.stderr, stream, opts, format == "json", follow, limit)
		},
	}
	r.addFlags(cmd, false)
	r.addReconnectFlag(cmd)
	f := cmd.Flags()
	f.StringVar(&from, "from", "head", "where to start: head | tail | -N (last N events per segment) | STREAM-CUT | EVENT-POINTER | time:RFC3339 | time:-DURATION")
	f.StringVar(&to, "to", "tail", "where to stop without --follow: tail (as at the start) | STREAM-CUT")
	f.BoolVar(&follow, "follow", false, "keep waiting for new events (until interrupted)")
	f.StringVar(&format, "format", "text", "output format: text | json")
	f.IntVar(&limit, "limit", 0, "stop after `N` events (0: no limit)")
	f.StringVar(&group, "group", "", "read as a member of the reader group `SCOPE/GROUP` instead of a stream")
	f.StringVar(&reader, "reader", "", "with --group: the reader's `ID` in the group (default HOST-PID)")
	f.DurationVar(&autoCommit, "auto-commit", time.Second, "with --group: commit the group's position this often (0: only when leaving)")
	return cmd
}

// defaultReaderID is the reader id of read --group without --reader.
func defaultReaderID() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "reader"
	}
	return fmt.Sprintf("%s-%d", host, os.Getpid())
}

// readOptions turns --from, --to and --follow into reader options.
func readOptions(stream, from, to string, follow, toSet bool) ([]braid.ReaderOption, error) {
	var opts []braid.ReaderOption
	switch from {
	case "head":
		opts = append(opts, braid.FromHead())
	case "tail":
		opts = append(opts, braid.FromTail())
	default:
		if n, ok := strings.CutPrefix(from, "-"); ok {
			last, err := strconv.Atoi(n)
			if err != nil || last < 1 {
				hint := ""
				if _, derr := time.ParseDuration(from); derr == nil {
					hint = fmt.Sprintf("; for a time, time:%s", from)
				}
				return nil, usagef("invalid --from %q: -N wants a whole number of events, 1 or more (the last N of each segment)%s", from, hint)
			}
			if last > braid.MaxLast {
				return nil, usagef("invalid --from %q: -N takes at most %d events per segment; for more, start from a time (time:-1h) or a stream cut", from, braid.MaxLast)
			}
			opts = append(opts, braid.FromLast(last))
			break
		}
		if spec, ok := strings.CutPrefix(from, "time:"); ok {
			t, err := braid.ParseTimeSpec(spec, time.Now())
			if err != nil {
				return nil, usagef("invalid --from %q: %v", from, err)
			}
			opts = append(opts, braid.FromTime(t))
			break
		}
		opt, err := positionOption(stream, from)
		if err != nil {
			return nil, err
		}
		opts = append(opts, opt)
	}
	switch {
	case follow && toSet:
		return nil, usagef("--to and --follow do not go together: --follow reads on with no end")
	case follow:
	case to == "tail":
		opts = append(opts, braid.UntilTail())
	case !looksLikeCut(to):
		return nil, usagef("invalid --to %q: want tail or a stream cut (v1.…)", to)
	default:
		cut, err := parseCut(stream, "--to", to)
		if err != nil {
			return nil, err
		}
		opts = append(opts, braid.UntilCut(cut))
	}
	return opts, nil
}

// positionOption parses a --from value that is neither head nor tail: a
// stream cut text or an event pointer text, bare or qualified with stream.
func positionOption(stream, s string) (braid.ReaderOption, error) {
	if looksLikeCut(s) {
		cut, err := parseCut(stream, "--from", s)
		if err != nil {
			return nil, err
		}
		return braid.FromCut(cut), nil
	}
	if looksLikePointer(s) {
		p, err := parsePointer(stream, s)
		if err != nil {
			return nil, usagef("invalid --from: %s", message(err))
		}
		return braid.FromPointer(p), nil
	}
	return nil, usagef("invalid --from %q: want head, tail, -N (the last N events), a stream cut (v1.…), an event pointer (<segment:16 hex>-<offset:16 hex>-<length:8 hex>) or time:…", s)
}

// looksLikeCut tells a stream cut text (which starts with a version, "v1.")
// from an event pointer, so the error for a damaged one fits what was meant.
// A cut text has no '/'; a qualified pointer has.
func looksLikeCut(s string) bool {
	return strings.HasPrefix(s, "v") && strings.Contains(s, ".") && !strings.Contains(s, "/")
}

// looksLikePointer reports whether s is meant as an event pointer: hex
// fields separated by '-', possibly after "scope/stream/".
func looksLikePointer(s string) bool {
	return strings.ContainsAny(s, "-/") || len(s) == wire.PointerTextLen
}

// parseCut parses a stream cut text given to flag for stream.
func parseCut(stream, flag, s string) (braid.StreamCut, error) {
	cut, err := braid.ParseStreamCut(s)
	if err != nil {
		return braid.StreamCut{}, usagef("invalid %s: %s", flag, message(err))
	}
	cut.Stream = stream
	return cut, nil
}

// parsePointer parses an event pointer text for stream. A qualified pointer
// must name stream itself; a bare one gets it.
func parsePointer(stream, s string) (braid.EventPointer, error) {
	p, err := braid.ParsePointer(s)
	if err != nil {
		return braid.EventPointer{}, err
	}
	switch p.Stream {
	case "":
		p.Stream = stream
	case stream:
	default:
		return braid.EventPointer{}, fmt.Errorf("event pointer %q is in stream %s, not %s", s, p.Stream, stream)
	}
	return p, nil
}

func runRead(ctx context.Context, r *remote, stdout, stderr io.Writer, stream string, opts []braid.ReaderOption, asJSON, follow bool, limit int) (err error) {
	c, err := r.dial(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	rd, err := c.NewReader(ctx, stream, opts...)
	if err != nil {
		return r.failed(ctx, "read "+stream, err)
	}
	defer rd.Close()

	out := bufio.NewWriterSize(stdout, 64<<10)
	text := &textPrinter{out: out, terminal: isTerminal(stdout), note: stderr}
	defer func() {
		if ferr := out.Flush(); ferr != nil && err == nil {
			err = ferr
		}
	}()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for n := 0; limit == 0 || n < limit; n++ {
		ev, err := rd.Next(ctx)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if follow && errors.Is(ctx.Err(), context.Canceled) {
				return nil // interrupted: the normal end of --follow
			}
			return r.failed(ctx, "read "+stream, err)
		}
		if asJSON {
			err = enc.Encode(newEventJSON(ev))
		} else {
			err = text.print(ev.Data)
		}
		if err == nil && follow {
			err = out.Flush() // a follower wants each event as it comes
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// runGroupRead reads as reader id of group name until the group's end,
// limit events or the end of ctx, and then leaves the group.
func runGroupRead(ctx context.Context, r *remote, stdout, stderr io.Writer, name, id string, autoCommit time.Duration, limit int, asJSON bool) error {
	c, err := r.dial(ctx)
	if err != nil {
		return err
	}
	// Closing the client without leaving (after an output error) drops
	// the reader: the group goes on from its last committed position.
	defer c.Close()
	what := "read reader group " + name + " as " + id
	rd, err := c.ReaderGroup(name).NewReader(ctx, id, braid.WithAutoCommit(autoCommit))
	if err != nil {
		return r.failed(ctx, what, err)
	}
	// leave leaves the group at the position after every event printed.
	leave := func() error {
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), leaveTimeout)
		defer cancel()
		if err := rd.Close(lctx); err != nil {
			return fmt.Errorf("%s: leave the group: %s", what, message(err))
		}
		return nil
	}

	out := bufio.NewWriterSize(stdout, 64<<10)
	text := &textPrinter{out: out, terminal: isTerminal(stdout), note: stderr}
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for n := 0; limit == 0 || n < limit; {
		ev, err := rd.Read(ctx)
		switch {
		case err == io.EOF:
			return leave() // the group read everything up to its end
		case err != nil && errors.Is(ctx.Err(), context.Canceled):
			return leave() // interrupted: a normal end, as for --follow
		case err != nil:
			err = r.failed(ctx, what, err)
			_ = leave()
			return err
		}
		switch {
		case ev.Checkpoint != "" && asJSON:
			err = enc.Encode(checkpointJSON{Checkpoint: ev.Checkpoint})
		case ev.Checkpoint != "":
			continue
		case asJSON:
			err = enc.Encode(newGroupEventJSON(ev))
			n++
		default:
			err = text.print(ev.Data)
			n++
		}
		// The next Read (or the leave) counts this event as processed and
		// commits past it: it must be out before.
		if err == nil {
			err = out.Flush()
		}
		if err != nil {
			return err // not printed: drop the reader without committing it
		}
	}
	return leave()
}

// eventJSON is one line of read --format json.
type eventJSON struct {
	Stream     string  `json:"stream,omitempty"` // group reads only
	Pointer    string  `json:"pointer"`
	Segment    string  `json:"segment"`
	Offset     int64   `json:"offset"`
	Time       string  `json:"time,omitempty"`     // append time, when known
	Position   string  `json:"position,omitempty"` // stream reads only
	Data       *string `json:"data,omitempty"`
	DataBase64 []byte  `json:"data_base64,omitempty"` // encoding/json writes []byte as standard base64
}

// checkpointJSON is the line of read --group --format json for a
// checkpoint the reader passed.
type checkpointJSON struct {
	Checkpoint string `json:"checkpoint"`
}

func newEventJSON(ev braid.Event) eventJSON {
	j := eventJSON{
		Pointer:  ev.Pointer.String(),
		Segment:  fmt.Sprintf("%016x", ev.Pointer.SegmentID),
		Offset:   ev.Pointer.Offset,
		Time:     appendTimeJSON(ev.AppendTime),
		Position: ev.Position().String(),
	}
	j.setData(ev.Data)
	return j
}

func newGroupEventJSON(ev braid.GroupEvent) eventJSON {
	j := eventJSON{
		Stream:  ev.Pointer.Stream,
		Pointer: ev.Pointer.String(),
		Segment: fmt.Sprintf("%016x", ev.Pointer.SegmentID),
		Offset:  ev.Pointer.Offset,
		Time:    appendTimeJSON(ev.AppendTime),
	}
	j.setData(ev.Data)
	return j
}

// appendTimeJSON is an event's "time": RFC 3339 in UTC with up to
// nanoseconds, "" (left out) when unknown.
func appendTimeJSON(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func (j *eventJSON) setData(data []byte) {
	if utf8.Valid(data) {
		s := string(data)
		j.Data = &s
	} else {
		j.DataBase64 = data
	}
}
