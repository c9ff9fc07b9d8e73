package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/wire"
)

const readLong = `Read events from a stream and print them, one per line.

--from says where to start: head (the oldest data, the default), tail (only
events written from now on), a stream cut (v1.…, as printed in "position" by
--format json) or an event pointer (reads that pointer's segment from that
event on).

Without --follow the read stops at --to: the tail as it was when the read
started (the default) or a stream cut. With --follow it keeps waiting for
new events until interrupted.

--format text prints each event's bytes and a newline. --format json prints
one object per line:

  {"pointer": "<event pointer>", "segment": "<segment id, 16 hex>",
   "offset": N, "position": "<stream cut after this event>", "data": "..."}

with "data_base64" instead of "data" when the event is not valid UTF-8.
Events of one segment come in order; segments interleave.`

const readExample = `  braid read demo/events
  braid read demo/events --from tail --follow
  braid read demo/events --format json --from v1.AgCACAGAEL0CKq8
  braid read demo/events --from 0000000000000001-0000000000000400-00000010`

func newReadCmd(e *env) *cobra.Command {
	r := &remote{}
	var from, to, format string
	var follow bool
	cmd := &cobra.Command{
		Use:     "read SCOPE/STREAM",
		Short:   "Read events from a stream",
		Long:    readLong,
		Example: readExample,
		Args:    argNames("SCOPE/STREAM"),
		RunE: func(cmd *cobra.Command, args []string) error {
			stream, err := streamArg(args[0])
			if err != nil {
				return err
			}
			if format != "text" && format != "json" {
				return usagef("invalid --format %q: want text or json", format)
			}
			opts, err := readOptions(stream, from, to, follow, cmd.Flags().Changed("to"))
			if err != nil {
				return err
			}
			return runRead(cmd.Context(), r, e.stdout, stream, opts, format == "json", follow)
		},
	}
	r.addFlags(cmd, false)
	f := cmd.Flags()
	f.StringVar(&from, "from", "head", "where to start: head | tail | STREAM-CUT | EVENT-POINTER")
	f.StringVar(&to, "to", "tail", "where to stop without --follow: tail (as at the start) | STREAM-CUT")
	f.BoolVar(&follow, "follow", false, "keep waiting for new events (until interrupted)")
	f.StringVar(&format, "format", "text", "output format: text | json")
	return cmd
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
	return nil, usagef("invalid --from %q: want head, tail, a stream cut (v1.…) or an event pointer (<segment:16 hex>-<offset:16 hex>-<length:8 hex>)", s)
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

func runRead(ctx context.Context, r *remote, stdout io.Writer, stream string, opts []braid.ReaderOption, asJSON, follow bool) (err error) {
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
	defer func() {
		if ferr := out.Flush(); ferr != nil && err == nil {
			err = ferr
		}
	}()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for {
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
			_, err = out.Write(ev.Data)
			if err == nil {
				err = out.WriteByte('\n')
			}
		}
		if err == nil && follow {
			err = out.Flush() // a follower wants each event as it comes
		}
		if err != nil {
			return err
		}
	}
}

// eventJSON is one line of read --format json.
type eventJSON struct {
	Pointer    string  `json:"pointer"`
	Segment    string  `json:"segment"`
	Offset     int64   `json:"offset"`
	Position   string  `json:"position"`
	Data       *string `json:"data,omitempty"`
	DataBase64 []byte  `json:"data_base64,omitempty"` // encoding/json writes []byte as standard base64
}

func newEventJSON(ev braid.Event) eventJSON {
	j := eventJSON{
		Pointer:  ev.Pointer.String(),
		Segment:  fmt.Sprintf("%016x", ev.Pointer.SegmentID),
		Offset:   ev.Pointer.Offset,
		Position: ev.Position().String(),
	}
	if utf8.Valid(ev.Data) {
		s := string(ev.Data)
		j.Data = &s
	} else {
		j.DataBase64 = ev.Data
	}
	return j
}
