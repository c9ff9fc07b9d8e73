package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/braidstream/braid"
)

// ephemeralJSON is the -o json form of an ephemeral stream or scope.
type ephemeralJSON struct {
	Kind       string                `json:"kind"`
	Scope      string                `json:"scope"`
	Stream     string                `json:"stream,omitempty"`
	Owner      string                `json:"owner"`
	Grace      string                `json:"grace"`
	Created    jsonTime              `json:"created"`
	State      string                `json:"state"`
	EmptySince jsonTime              `json:"empty_since"`
	Holders    []ephemeralHolderJSON `json:"holders"`
}

type ephemeralHolderJSON struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Lease     string   `json:"lease"`
	Attached  jsonTime `json:"attached"`
	Expires   jsonTime `json:"expires"`
	ExpiresIn string   `json:"expires_in"`
}

func ephemeralJSONOf(e braid.EphemeralInfo, now time.Time) ephemeralJSON {
	out := ephemeralJSON{Kind: e.Kind, Scope: e.Scope, Stream: e.Stream, Owner: e.Owner, Grace: e.Grace.String(),
		Created: jsonTime(e.Created), State: e.State, EmptySince: jsonTime(e.EmptySince), Holders: []ephemeralHolderJSON{}}
	for _, h := range e.Holders {
		out.Holders = append(out.Holders, ephemeralHolderJSON{ID: h.ID, Name: h.Name, Lease: h.Lease.String(),
			Attached: jsonTime(h.Attached), Expires: jsonTime(h.Expires), ExpiresIn: h.Expires.Sub(now).Round(time.Millisecond).String()})
	}
	return out
}

// printHolders prints an ephemeral stream's or scope's lines for describe.
func printEphemeral(w io.Writer, e braid.EphemeralInfo, now time.Time) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "ephemeral:\t%s, owner %s, grace %s, %d holder(s)\n", e.State, e.Owner, e.Grace, len(e.Holders))
	if !e.EmptySince.IsZero() {
		fmt.Fprintf(tw, "no holder since:\t%s (deleted %s after)\n", timeText(e.EmptySince), e.Grace)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(e.Holders) == 0 {
		return nil
	}
	fmt.Fprintf(w, "\nholders (%d)\n", len(e.Holders))
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  HOLDER\tID\tLEASE\tATTACHED\tEXPIRES IN")
	for _, h := range e.Holders {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", h.Name, h.ID, h.Lease, timeText(h.Attached), h.Expires.Sub(now).Round(time.Millisecond))
	}
	return tw.Flush()
}

func newEphemeralCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ephemeral",
		Short: "Hold, list and describe ephemeral streams and scopes (deleted when their holders are gone)",
		Long: `An ephemeral stream or scope lives while it has holders. Each holder has
a lease that its client renews; when the last holder detaches, or every
holder's lease ran out (its process died), the server deletes it after its
grace period: a scope with every stream in it, their reader groups,
watermarks and export jobs. Programs hold them with the Go client
(Client.EphemeralStream, EphemeralScope) or over HTTP; "braid ephemeral
hold" holds one from a shell until interrupted.`,
		Example: "  braid ephemeral hold scratch/tmp --lease 10s\n  braid ephemeral list\n  braid ephemeral describe scratch/tmp",
	}
	groupOf(cmd)
	cmd.AddCommand(newEphemeralHoldCmd(e), newEphemeralListCmd(e), newEphemeralDescribeCmd(e))
	return cmd
}

func newEphemeralHoldCmd(e *env) *cobra.Command {
	r := &remote{}
	var lease, grace time.Duration
	var segments int
	var holder string
	var scope bool
	cmd := &cobra.Command{
		Use:   "hold (SCOPE/STREAM | --scope SCOPE)",
		Short: "Create or attach to an ephemeral stream or scope and hold it until interrupted",
		Long: `Attach to the ephemeral stream (or, with --scope, scope), creating it if
it does not exist, and hold it until interrupted (Ctrl-C, SIGTERM), then
detach. A hold killed without a chance to detach goes when its lease runs
out. A stream or scope that exists and is not ephemeral is refused.`,
		Example: "  braid ephemeral hold scratch/tmp --lease 10s --grace 1m\n  braid ephemeral hold --scope scratch --name job-42",
		Args:    argNames("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			if scope {
				if _, err := scopeArg(name); err != nil {
					return err
				}
			} else if _, err := streamArg(name); err != nil {
				return err
			}
			ctx := cmd.Context()
			c, err := r.dial(ctx)
			if err != nil {
				return err
			}
			defer c.Close()
			opts := []braid.EphemeralOption{braid.WithLease(lease), braid.WithGrace(grace),
				braid.WithEphemeralConfig(braid.StreamConfig{Segments: segments})}
			if holder != "" {
				opts = append(opts, braid.WithHolderName(holder))
			}
			var h *braid.Ephemeral
			if scope {
				h, err = c.EphemeralScope(ctx, name, opts...)
			} else {
				h, err = c.EphemeralStream(ctx, name, opts...)
			}
			if err != nil {
				return r.failed(ctx, "hold "+name, err)
			}
			verb := "attached to"
			if h.Created() {
				verb = "created"
			}
			fmt.Fprintf(e.stderr, "%s ephemeral %s; holding it (holder %s, lease %s) until interrupted\n", verb, name, h.HolderID(), lease)
			<-ctx.Done()
			if err := h.Close(); err != nil {
				return fmt.Errorf("detach from %s: %s", name, message(err))
			}
			fmt.Fprintf(e.stderr, "detached from %s\n", name)
			return nil
		},
	}
	r.addFlags(cmd, false)
	f := cmd.Flags()
	f.DurationVar(&lease, "lease", 30*time.Second, "the hold's lease: how long it outlives this process if killed (1s to 24h)")
	f.DurationVar(&grace, "grace", 0, "for a create: how long it stays once it has no holder (0 to 168h)")
	f.IntVar(&segments, "segments", 1, "for a create of a stream: its segments")
	f.StringVar(&holder, "name", "", "the holder's `NAME`, shown to operators (default HOST-PID)")
	f.BoolVar(&scope, "scope", false, "hold the scope NAME rather than a stream")
	return cmd
}

func newEphemeralListCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List the ephemeral streams and scopes with their holders",
		Example: "  braid ephemeral list\n  braid ephemeral list -o json",
		Args:    argNames(),
	}
	out := addOutputFlag(cmd, "an array of ephemeral streams and scopes")
	return adminCmd(cmd, func(ctx context.Context, r *remote, c *braid.Client, args []string) error {
		list, err := c.ListEphemeral(ctx)
		if err != nil {
			return r.failed(ctx, "list ephemeral", err)
		}
		now := time.Now()
		if out.json() {
			js := make([]ephemeralJSON, 0, len(list))
			for _, x := range list {
				js = append(js, ephemeralJSONOf(x, now))
			}
			return writeJSON(e.stdout, js)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tKIND\tSTATE\tHOLDERS\tOWNER\tGRACE\tCREATED")
		for _, x := range list {
			name := x.Scope
			if x.Stream != "" {
				name += "/" + x.Stream
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\n", name, x.Kind, x.State, len(x.Holders), x.Owner, x.Grace, timeText(x.Created))
		}
		return tw.Flush()
	})
}

func newEphemeralDescribeCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "describe (SCOPE/STREAM | SCOPE)",
		Short:   "Show an ephemeral stream or scope: its holders, their leases and the time left",
		Example: "  braid ephemeral describe scratch/tmp\n  braid ephemeral describe scratch -o json",
		Args:    argNames("NAME"),
	}
	out := addOutputFlag(cmd, "one object: the ephemeral stream or scope, as in ephemeral list")
	return adminCmd(cmd, func(ctx context.Context, r *remote, c *braid.Client, args []string) error {
		scope, stream, _ := strings.Cut(args[0], "/")
		info, err := c.DescribeEphemeral(ctx, scope, stream)
		if err != nil {
			return r.failed(ctx, "describe ephemeral "+args[0], err)
		}
		if out.json() {
			return writeJSON(e.stdout, ephemeralJSONOf(info, time.Now()))
		}
		return printEphemeral(e.stdout, info, time.Now())
	})
}

// describeEphemeralOf is the ephemeral record of a stream, if it is one.
func describeEphemeralOf(ctx context.Context, c *braid.Client, stream string) (*braid.EphemeralInfo, error) {
	scope, name, _ := strings.Cut(stream, "/")
	info, err := c.DescribeEphemeral(ctx, scope, name)
	switch {
	case errors.Is(err, braid.ErrNotFound):
		return nil, nil
	case err != nil:
		return nil, err
	}
	return &info, nil
}
