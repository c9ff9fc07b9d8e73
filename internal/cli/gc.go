package cli

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/braidstream/braid"
)

func newGCCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "gc",
		Short: "What the server cleaned up by itself (ephemeral streams and scopes)",
		Long: `The server deletes ephemeral streams and scopes when their holders are
gone (see "braid ephemeral"), and records each deletion in its cleanup log:
what, why, when and by which rule. "braid gc log" shows it.`,
		Example: "  braid gc log\n  braid gc log -o json",
	}
	groupOf(cmd)
	cmd.AddCommand(newGCLogCmd(e))
	return cmd
}

type cleanupJSON struct {
	Time   jsonTime `json:"time"`
	Action string   `json:"action"`
	Kind   string   `json:"kind"`
	Name   string   `json:"name"`
	Rule   string   `json:"rule"`
	Reason string   `json:"reason"`
	Offset int64    `json:"offset"`
}

func newGCLogCmd(e *env) *cobra.Command {
	var from int64
	var limit int
	cmd := &cobra.Command{
		Use:   "log",
		Short: "Show the server's cleanup log: each deletion with its rule and reason",
		Long: `Show what the server deleted by itself, oldest first: the time, the kind
(stream or scope), the name, the rule (ephemeral: its holders detached or
their leases ran out) and the reason. --from OFFSET reads on from an entry's
offset (printed with -o json), to follow the log from a script.`,
		Example: "  braid gc log\n  braid gc log --limit 1000 -o json",
		Args:    argNames(),
	}
	cmd.Flags().Int64Var(&from, "from", 0, "read from this `OFFSET` of the log (0: the start)")
	cmd.Flags().IntVar(&limit, "limit", 100, "at most this many entries (1 to 1000)")
	out := addOutputFlag(cmd, "an array of entries")
	return adminCmd(cmd, func(ctx context.Context, r *remote, c *braid.Client, args []string) error {
		if limit < 1 || limit > 1000 {
			return usagef("invalid --limit %d: want 1 to 1000", limit)
		}
		entries, _, err := c.CleanupLog(ctx, from, limit)
		if err != nil {
			return r.failed(ctx, "read the cleanup log", err)
		}
		if out.json() {
			js := make([]cleanupJSON, 0, len(entries))
			for _, x := range entries {
				js = append(js, cleanupJSON{jsonTime(x.Time), x.Action, x.Kind, x.Name, x.Rule, x.Reason, x.Offset})
			}
			return writeJSON(e.stdout, js)
		}
		if len(entries) == 0 {
			fmt.Fprintln(e.stderr, "nothing cleaned up yet")
			return nil
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "TIME\tACTION\tKIND\tNAME\tRULE\tREASON")
		for _, x := range entries {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", timeText(x.Time), x.Action, x.Kind, x.Name, x.Rule, x.Reason)
		}
		return tw.Flush()
	})
}
