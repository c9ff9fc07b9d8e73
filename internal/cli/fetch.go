package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/braidstream/braid"
)

const fetchLong = `Fetch one event by its event pointer and print its bytes exactly as they
were written (no newline is added unless --newline).

The pointer is either qualified with its stream, SCOPE/STREAM/POINTER (as
other tools print it), or bare with --stream SCOPE/STREAM. A pointer is
<segment id:16 hex>-<offset:16 hex>-<length:8 hex>, as printed by
"braid read --format json".`

const fetchExample = `  braid fetch 0000000000000000-0000000000000000-0000000d --stream demo/events
  braid fetch demo/events/0000000000000000-0000000000000000-0000000d --newline
  braid fetch demo/photos/0000000100000002-0000000000001000-0004a2c8 > photo.jpg`

func newFetchCmd(e *env) *cobra.Command {
	var stream string
	var newline bool
	cmd := &cobra.Command{
		Use:     "fetch POINTER",
		Short:   "Print one event, found by its event pointer",
		Long:    fetchLong,
		Example: fetchExample,
		Args:    argNames("POINTER"),
	}
	var p braid.EventPointer
	cmd.PreRunE = func(_ *cobra.Command, args []string) error {
		var err error
		p, err = fetchPointer(args[0], stream)
		return err
	}
	adminCmd(cmd, func(ctx context.Context, r *remote, c *braid.Client, _ []string) error {
		data, err := c.Fetch(ctx, p)
		if err != nil {
			return r.failed(ctx, "fetch "+p.Qualified(), err)
		}
		if _, err := e.stdout.Write(data); err != nil {
			return err
		}
		if newline {
			_, err = e.stdout.Write([]byte{'\n'})
		}
		return err
	})
	cmd.Flags().StringVar(&stream, "stream", "", "the pointer's stream, SCOPE/STREAM (not needed for a qualified pointer)")
	cmd.Flags().BoolVar(&newline, "newline", false, "print a newline after the event")
	return cmd
}

// fetchPointer parses fetch's POINTER argument and --stream.
func fetchPointer(arg, stream string) (braid.EventPointer, error) {
	if stream != "" {
		if _, err := streamArg(stream); err != nil {
			return braid.EventPointer{}, usagef("invalid --stream: %s", message(err))
		}
		p, err := parsePointer(stream, arg)
		if err != nil {
			return braid.EventPointer{}, badArg(err)
		}
		return p, nil
	}
	p, err := braid.ParsePointer(arg)
	if err != nil {
		return braid.EventPointer{}, badArg(err)
	}
	if p.Stream == "" {
		return braid.EventPointer{}, usagef("which stream? give --stream SCOPE/STREAM or a qualified pointer SCOPE/STREAM/%s", arg)
	}
	return p, nil
}
