package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/queryjob"
)

// maxQueryFile bounds a query file (the server takes at most 64 KiB).
const maxQueryFile = 1 << 20

func newQueryCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "query",
		Short: "Deploy continuous SQL queries that the server runs, and read their results",
		Long: `A continuous query is SQL over the JSON events of a stream (docs/sql.md),
deployed once: the server runs it from then on, across restarts, and
appends its windowed results to an output stream, which you read like any
stream (braid query results), and which the dashboard charts live.`,
		Example: `  cat > avg.sql <<'SQL'
  SELECT sensor, count(*) AS n, avg(temp) AS avg_temp
  FROM demo.sensors
  GROUP BY TUMBLE(ts, INTERVAL '10' SECOND), sensor
  SQL
  braid query deploy avg.sql
  braid query describe avg
  braid query results avg --follow`,
	}
	groupOf(cmd)
	cmd.AddCommand(newQueryDeployCmd(e), newQueryValidateCmd(e), newQueryListCmd(e), newQueryDescribeCmd(e),
		newQueryStopCmd(e), newQueryStartCmd(e), newQueryDeleteCmd(e), newQueryResultsCmd(e))
	return cmd
}

// readQueryFile reads FILE, or standard input for "-".
func readQueryFile(e *env, path string) (string, error) {
	var r io.Reader
	if path == "-" {
		r = e.stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return "", usagef("%v", err)
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, maxQueryFile+1))
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", path, err)
	}
	if len(b) > maxQueryFile {
		return "", usagef("%s is larger than %d bytes: a query is at most 64 KiB", path, maxQueryFile)
	}
	return string(b), nil
}

// queryNameOf is FILE's base name without its extension.
func queryNameOf(path string) string {
	if path == "-" {
		return ""
	}
	base := filepath.Base(path)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// printProblems shows each problem with the line of the text it is on and
// a caret under its column, as compilers do.
func printProblems(w io.Writer, file, text string, ps []braid.QueryProblem) {
	lines := strings.Split(text, "\n")
	for _, p := range ps {
		if p.Line <= 0 || p.Line > len(lines) {
			fmt.Fprintf(w, "%s: %s\n", file, p.Message)
			continue
		}
		fmt.Fprintf(w, "%s:%d:%d: %s\n", file, p.Line, p.Column, p.Message)
		line := strings.TrimRight(lines[p.Line-1], "\r")
		fmt.Fprintf(w, "  %s\n", strings.ReplaceAll(line, "\t", " "))
		fmt.Fprintf(w, "  %s^\n", strings.Repeat(" ", max(min(p.Column-1, len(line)), 0)))
	}
}

// errQueryProblems ends a command whose query has problems (exit 2).
var errQueryProblems = errors.New("the query has problems (above)")

func newQueryDeployCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "deploy FILE.sql",
		Short: "Deploy a query from a file (or - for standard input); the server runs it from then on",
		Long: `Deploy the query in FILE.sql under --name (default: the file's name without
its extension). The server checks it first: errors name their line and
column and quote the line. Its input must exist, and each field it reads
must be in at least one of the input's last 100 events (unless --force).

The server then runs it continuously, across restarts, from its last
checkpoint. Results go to the query's output stream (WITH (output =
'scope.stream'), default SCOPE/NAME-results in the input's scope). A name
in use is refused unless --replace, which deploys a new version: it goes on
from where the old version had read to, with no state.`,
		Example: `  braid query deploy avg.sql
  braid query deploy avg.sql --name avg --replace
  echo "SELECT * FROM demo.events WHERE level = 'error'" | braid query deploy - --name errors`,
		Args: argNames("FILE.sql"),
	}
	name := cmd.Flags().String("name", "", "the query's name (default: the file's name without extension)")
	replace := cmd.Flags().Bool("replace", false, "deploy a new version of a query deployed already")
	force := cmd.Flags().Bool("force", false, "deploy even if fields the query reads are in none of the input's last events")
	out := addOutputFlag(cmd, "one object: the query, as in query list")
	return adminCmd(cmd, func(ctx context.Context, r *remote, c *braid.Client, args []string) error {
		text, err := readQueryFile(e, args[0])
		if err != nil {
			return err
		}
		n := *name
		if n == "" {
			n = queryNameOf(args[0])
		}
		if n == "" {
			return usagef("query deploy -: name the query with --name")
		}
		v, err := c.ValidateQuery(ctx, n, text, *force)
		if err != nil {
			return r.failed(ctx, "check query "+n, err)
		}
		if len(v.Problems) > 0 {
			printProblems(e.stderr, args[0], text, v.Problems)
			return &inputError{err: errQueryProblems}
		}
		var opts []braid.DeployOption
		if *replace {
			opts = append(opts, braid.WithReplace())
		}
		if *force {
			opts = append(opts, braid.WithForce())
		}
		q, warnings, err := c.DeployQuery(ctx, n, text, opts...)
		if err != nil {
			return r.failed(ctx, "deploy query "+n, err)
		}
		for _, w := range warnings {
			fmt.Fprintf(e.stderr, "warning: %s\n", w)
		}
		if out.json() {
			return writeJSON(e.stdout, queryjob.JSONOf(q))
		}
		fmt.Fprintf(e.stderr, "query %s (version %d) runs on the server: %s into %s (see braid query describe %s; braid query results %s --follow)\n",
			q.Name, q.Version, q.Input, q.Output, q.Name, q.Name)
		return nil
	})
}

func newQueryValidateCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "validate FILE.sql",
		Short: "Check a query without deploying it: its problems, or its columns and streams",
		Long: `Check the query in FILE.sql (or - for standard input) as deploy would,
without deploying it. Problems name their line and column and quote the
line (exit 2); a good query prints its input, output and result columns.`,
		Example: "  braid query validate avg.sql",
		Args:    argNames("FILE.sql"),
	}
	name := cmd.Flags().String("name", "", "the name it would be deployed under (it names the default output)")
	force := cmd.Flags().Bool("force", false, "do not refuse fields that are in none of the input's last events")
	return adminCmd(cmd, func(ctx context.Context, r *remote, c *braid.Client, args []string) error {
		text, err := readQueryFile(e, args[0])
		if err != nil {
			return err
		}
		n := *name
		if n == "" {
			n = queryNameOf(args[0])
		}
		v, err := c.ValidateQuery(ctx, n, text, *force)
		if err != nil {
			return r.failed(ctx, "check query", err)
		}
		if len(v.Problems) > 0 {
			printProblems(e.stderr, args[0], text, v.Problems)
			return &inputError{err: errQueryProblems}
		}
		for _, w := range v.Warnings {
			fmt.Fprintf(e.stderr, "warning: %s\n", w)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintf(tw, "input:\t%s\n", v.Input)
		fmt.Fprintf(tw, "output:\t%s\n", v.Output)
		if v.LateOutput != "" {
			fmt.Fprintf(tw, "late events:\t%s\n", v.LateOutput)
		}
		cols := make([]string, 0, len(v.Columns))
		for _, col := range v.Columns {
			cols = append(cols, col.Name+" ("+col.Role+")")
		}
		fmt.Fprintf(tw, "columns:\t%s\n", strings.Join(cols, ", "))
		return tw.Flush()
	})
}

func newQueryListCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the deployed queries with their state, health and rates",
		Long: `List the server's queries: state (running, retrying, stopped, failed),
health (ok, waiting for input, no_output: events pass the WHERE but no
window closes, dropping: most events are refused, failing), input and
output rates, and results written.`,
		Example: "  braid query list\n  braid query list -o json",
		Args:    argNames(),
	}
	out := addOutputFlag(cmd, "an array of queries")
	return adminCmd(cmd, func(ctx context.Context, r *remote, c *braid.Client, args []string) error {
		qs, err := c.ListQueries(ctx)
		if err != nil {
			return r.failed(ctx, "list queries", err)
		}
		if out.json() {
			list := make([]queryjob.JSON, 0, len(qs))
			for _, q := range qs {
				list = append(list, queryjob.JSONOf(q))
			}
			return writeJSON(e.stdout, list)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tVERSION\tSTATE\tHEALTH\tINPUT\tOUTPUT\tIN/S\tOUT/S\tRESULTS")
		for _, q := range qs {
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%.0f\t%.1f\t%d\n", q.Name, q.Version, q.State, dash(q.Health), q.Input, q.Output, q.InputRate, q.OutputRate, q.ResultsOut)
		}
		return tw.Flush()
	})
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func newQueryDescribeCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "describe NAME",
		Short:   "Show a query: its SQL, state, health, watermark, counters and last error",
		Example: "  braid query describe avg\n  braid query describe avg -o json",
		Args:    argNames("NAME"),
	}
	out := addOutputFlag(cmd, "one object: the query, as in query list")
	return adminCmd(cmd, func(ctx context.Context, r *remote, c *braid.Client, args []string) error {
		q, err := c.GetQuery(ctx, args[0])
		if err != nil {
			return r.failed(ctx, "describe query "+args[0], err)
		}
		return printQuery(e, q, out.json())
	})
}

func printQuery(e *env, q braid.QueryInfo, asJSON bool) error {
	if asJSON {
		return writeJSON(e.stdout, queryjob.JSONOf(q))
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	row := func(k, v string) { fmt.Fprintf(tw, "%s:\t%s\n", k, v) }
	row("name", q.Name)
	row("version", fmt.Sprintf("%d of %d", q.Version, len(q.Versions)))
	row("state", q.State)
	h := dash(q.Health)
	if q.HealthDetail != "" {
		h += ": " + q.HealthDetail
	}
	row("health", h)
	row("input", q.Input)
	row("output", q.Output)
	if q.LateOutput != "" {
		row("late events to", q.LateOutput)
	}
	row("state stream", q.StateStream)
	row("created", timeText(q.Created))
	row("events", fmt.Sprintf("%d in, %d matched; refused: %d bad JSON, %d bad time, %d type errors, %d late, %d future, %d over max_groups",
		q.EventsIn, q.Matched, q.BadJSON, q.BadTime, q.TypeErrors, q.Late, q.Future, q.DroppedGroups))
	row("rates", fmt.Sprintf("%.1f events/s in, %.1f results/s out (last 10 s)", q.InputRate, q.OutputRate))
	row("results", fmt.Sprintf("%d written, last %s", q.ResultsOut, timeText(q.LastResult)))
	row("windows", fmt.Sprintf("%d open, %d groups", q.OpenWindows, q.OpenGroups))
	row("watermark", fmt.Sprintf("%s (greatest event time %s)", timeText(q.Watermark), timeText(q.MaxEventTime)))
	row("checkpoint", fmt.Sprintf("%d, last %s", q.Checkpoints, timeText(q.LastCheckpoint)))
	for field, n := range q.Missing {
		if n > 0 {
			row("missing field", fmt.Sprintf("%s in %d events", field, n))
		}
	}
	if q.LastError != "" {
		row("last error", fmt.Sprintf("%s (%s)", q.LastError, timeText(q.LastErrorAt)))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\n%s\n", strings.TrimRight(q.SQL, "\n"))
	return nil
}

func newQueryStopCmd(e *env) *cobra.Command {
	return newQueryStateCmd(e, "stop", "Pause a query at a checkpoint (it stays deployed; start runs it again)", (*braid.Client).StopQuery)
}

func newQueryStartCmd(e *env) *cobra.Command {
	return newQueryStateCmd(e, "start", "Run a stopped or failed query again from its last checkpoint", (*braid.Client).StartQuery)
}

// newQueryStateCmd is query stop or start: set, then print the query.
func newQueryStateCmd(e *env, verb, short string, set func(*braid.Client, context.Context, string) (braid.QueryInfo, error)) *cobra.Command {
	cmd := &cobra.Command{
		Use:     verb + " NAME",
		Short:   short,
		Example: "  braid query " + verb + " avg",
		Args:    argNames("NAME"),
	}
	out := addOutputFlag(cmd, "one object: the query, as in query list")
	return adminCmd(cmd, func(ctx context.Context, r *remote, c *braid.Client, args []string) error {
		q, err := set(c, ctx, args[0])
		if err != nil {
			return r.failed(ctx, verb+" query "+args[0], err)
		}
		return printQuery(e, q, out.json())
	})
}

func newQueryDeleteCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "delete NAME",
		Short: "Stop and delete a query with its state (its output stays unless --delete-output)",
		Example: `  braid query delete avg
  braid query delete avg --delete-output --yes`,
		Args: argNames("NAME"),
	}
	delOut := cmd.Flags().Bool("delete-output", false, "delete the query's output stream too")
	what := func(args []string) string {
		w := "query " + args[0] + " and its state"
		if *delOut {
			w += " and its output stream"
		}
		return w
	}
	addConfirm(e, cmd, func(args []string) string { return "delete " + what(args) + "? [y/N] " },
		func(args []string) string { return "delete query " + args[0] })
	return adminCmd(cmd, func(ctx context.Context, r *remote, c *braid.Client, args []string) error {
		if err := c.DeleteQuery(ctx, args[0], *delOut); err != nil {
			return r.failed(ctx, "delete query "+args[0], err)
		}
		fmt.Fprintf(e.stderr, "deleted %s\n", what(args))
		return nil
	})
}

func newQueryResultsCmd(e *env) *cobra.Command {
	r := &remote{}
	var from, to, format string
	var follow bool
	var limit int
	cmd := &cobra.Command{
		Use:   "results NAME",
		Short: "Read a query's results (its output stream), one JSON object per line",
		Long: `Read the results of query NAME from its output stream: one JSON object per
window and group, with window_start and window_end, in the order the windows
closed. --from, --to, --follow, --format and --limit are those of braid read.`,
		Example: `  braid query results avg
  braid query results avg --from -10 --follow`,
		Args: argNames("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usagef("invalid --format %q: want text or json", format)
			}
			if limit < 0 {
				return usagef("invalid --limit %d: want 0 (no limit) or more", limit)
			}
			ctx := cmd.Context()
			c, err := r.dial(ctx)
			if err != nil {
				return err
			}
			q, err := c.GetQuery(ctx, args[0])
			c.Close()
			if err != nil {
				return r.failed(ctx, "results of query "+args[0], err)
			}
			opts, err := readOptions(q.Output, from, to, follow, cmd.Flags().Changed("to"))
			if err != nil {
				return err
			}
			return runRead(ctx, r, e.stdout, e.stderr, q.Output, opts, format == "json", follow, limit)
		},
	}
	r.addFlags(cmd, false)
	r.addReconnectFlag(cmd)
	f := cmd.Flags()
	f.StringVar(&from, "from", "head", "where to start: head | tail | -N (last N results per segment) | STREAM-CUT | time:RFC3339 | time:-DURATION")
	f.StringVar(&to, "to", "tail", "where to stop without --follow: tail (as at the start) | STREAM-CUT")
	f.BoolVar(&follow, "follow", false, "keep waiting for new results (until interrupted)")
	f.StringVar(&format, "format", "text", "output format: text (the results) | json (each with its pointer)")
	f.IntVar(&limit, "limit", 0, "stop after `N` results (0: no limit)")
	return cmd
}
