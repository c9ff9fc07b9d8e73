package cli

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/spf13/cobra"

	"github.com/braidstream/braid"
)

func newGCCmd(e *env) *cobra.Command {
	var inactive time.Duration
	var scope string
	var dryRun, yes bool
	cmd := &cobra.Command{
		Use:   "gc --inactive DURATION [--scope SCOPE] [--dry-run] [--yes]",
		Short: "Find and delete streams with no append and no read for a while; the cleanup log",
		Long: `braid gc --inactive 24h lists the streams with no append and no read for
that long (stale collections programs left behind), with their size, when
they were created and last written and read, and deletes them after asking
(--yes: without asking; --dry-run: only list). Each is checked again on the
server before it goes, and each deletion is recorded in the cleanup log with
rule "inactive". Ephemeral streams and those of ephemeral scopes go with
their holders and are never listed; internal streams are never touched. The
server keeps last-activity times since this feature's first start; a stream
with none counts from its creation.

The server also deletes ephemeral streams and scopes when their holders are
gone (see "braid ephemeral"); "braid gc log" shows every deletion it made
by itself, with what, why, when and by which rule.`,
		Example: "  braid gc --inactive 24h --dry-run\n  braid gc --inactive 7d --scope scratch --yes\n  braid gc log",
		Args:    argNames(),
	}
	r := &remote{}
	r.addFlags(cmd, true)
	out := addOutputFlag(cmd, "an array of the streams found, with deleted (and skipped's reason) unless --dry-run")
	f := cmd.Flags()
	f.DurationVar(&inactive, "inactive", 0, "how long with no append and no read makes a stream stale (at least 1m)")
	f.StringVar(&scope, "scope", "", "only streams of this `SCOPE`")
	f.BoolVar(&dryRun, "dry-run", false, "only list what would be deleted")
	f.BoolVarP(&yes, "yes", "y", false, "delete without asking")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if err := out.check(); err != nil {
			return err
		}
		if !cmd.Flags().Changed("inactive") {
			return usagef("%s: missing --inactive DURATION (e.g. --inactive 24h), or a command: log", cmd.CommandPath())
		}
		if inactive < time.Minute {
			return usagef("invalid --inactive %s: at least 1m", inactive)
		}
		if scope != "" {
			if _, err := scopeArg(scope); err != nil {
				return err
			}
		}
		ask := terminalAsk(e.stdin, e.stderr)
		if !dryRun && !yes && ask == nil {
			return usagef("braid gc deletes streams: give --yes to do so without a terminal to confirm on, or --dry-run to list them")
		}
		ctx, cancel := r.withTimeout(cmd.Context())
		defer cancel()
		c, err := r.dial(ctx)
		if err != nil {
			return err
		}
		defer c.Close()
		found, err := c.ListInactive(ctx, scope, inactive)
		if err != nil {
			return r.failed(ctx, "list inactive streams", err)
		}
		var deleted []string
		var skipped map[string]string
		if !dryRun && len(found) > 0 {
			if err := confirm(ask, yes, fmt.Sprintf("delete %d stream(s) with no append and no read for %s? [y/N] ", len(found), inactive), "gc"); err != nil {
				printInactive(e, found, nil, nil, out.json())
				return err
			}
			names := make([]string, len(found))
			for i, s := range found {
				names[i] = s.Stream
			}
			if deleted, skipped, err = c.CollectInactive(ctx, names, inactive); err != nil {
				return r.failed(ctx, "collect inactive streams", err)
			}
		}
		return printInactive(e, found, deleted, skipped, out.json())
	}
	cmd.AddCommand(newGCLogCmd(e), newGCPolicyCmd(e))
	return cmd
}

func newGCPolicyCmd(e *env) *cobra.Command {
	var ttl time.Duration
	cmd := &cobra.Command{
		Use:   "policy [SCOPE --inactive-ttl DURATION]",
		Short: "Set or list the scopes' inactive-ttl: the server deletes their streams idle that long",
		Long: `With a scope and --inactive-ttl, set the scope's policy: the server then
deletes, by itself (about once a minute), the scope's streams with no append
and no read for that long, recording each in the cleanup log with rule
inactive-ttl; --inactive-ttl 0 removes the policy. Ephemeral streams are
never touched. Without arguments, list the policies.`,
		Example: "  braid gc policy scratch --inactive-ttl 24h\n  braid gc policy scratch --inactive-ttl 0\n  braid gc policy",
		Args: func(cmd *cobra.Command, args []string) error {
			switch {
			case len(args) > 1:
				return usagef("%s: unexpected argument %q", cmd.CommandPath(), args[1])
			case len(args) == 1 && !cmd.Flags().Changed("inactive-ttl"):
				return usagef("%s %s: missing --inactive-ttl DURATION (0 removes the policy)", cmd.CommandPath(), args[0])
			case len(args) == 0 && cmd.Flags().Changed("inactive-ttl"):
				return usagef("%s: --inactive-ttl needs the SCOPE it is for", cmd.CommandPath())
			}
			return nil
		},
	}
	cmd.Flags().DurationVar(&ttl, "inactive-ttl", 0, "delete the scope's streams with no append and no read for this long (0: no policy)")
	return adminCmd(cmd, func(ctx context.Context, r *remote, c *braid.Client, args []string) error {
		if len(args) == 1 {
			if err := c.SetInactiveTTL(ctx, args[0], ttl); err != nil {
				return r.failed(ctx, "set the policy of scope "+args[0], err)
			}
			if ttl == 0 {
				fmt.Fprintf(e.stderr, "scope %s has no inactive-ttl now\n", args[0])
			} else {
				fmt.Fprintf(e.stderr, "scope %s: streams with no append and no read for %s are deleted\n", args[0], ttl)
			}
			return nil
		}
		ps, err := c.InactiveTTLs(ctx)
		if err != nil {
			return r.failed(ctx, "list policies", err)
		}
		if len(ps) == 0 {
			fmt.Fprintln(e.stderr, "no scope has an inactive-ttl")
			return nil
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SCOPE\tINACTIVE-TTL")
		for _, sc := range slices.Sorted(maps.Keys(ps)) {
			fmt.Fprintf(tw, "%s\t%s\n", sc, ps[sc])
		}
		return tw.Flush()
	})
}

type inactiveJSON struct {
	Stream    string   `json:"stream"`
	SizeBytes int64    `json:"size_bytes"`
	Created   jsonTime `json:"created"`
	LastWrite jsonTime `json:"last_write"`
	LastRead  jsonTime `json:"last_read"`
	Deleted   bool     `json:"deleted"`
	Skipped   string   `json:"skipped,omitempty"`
}

func printInactive(e *env, found []braid.InactiveStream, deleted []string, skipped map[string]string, asJSON bool) error {
	gone := map[string]bool{}
	for _, d := range deleted {
		gone[d] = true
	}
	if asJSON {
		js := make([]inactiveJSON, 0, len(found))
		for _, s := range found {
			js = append(js, inactiveJSON{s.Stream, s.SizeBytes, jsonTime(s.Created), jsonTime(s.LastWrite), jsonTime(s.LastRead), gone[s.Stream], skipped[s.Stream]})
		}
		return writeJSON(e.stdout, js)
	}
	if len(found) == 0 {
		fmt.Fprintln(e.stderr, "no inactive streams")
		return nil
	}
	never := func(t time.Time) string {
		if t.IsZero() {
			return "never seen"
		}
		return timeText(t)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STREAM	SIZE	CREATED	LAST WRITE	LAST READ	RESULT")
	for _, s := range found {
		result := "-"
		switch {
		case gone[s.Stream]:
			result = "deleted"
		case skipped[s.Stream] != "":
			result = "kept: " + skipped[s.Stream]
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", s.Stream, humanize.IBytes(uint64(s.SizeBytes)), timeText(s.Created), never(s.LastWrite), never(s.LastRead), result)
	}
	return tw.Flush()
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
