package cli

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/braidstream/braid"
)

// retentionHelp explains retention in the help of stream create and update.
const retentionHelp = `Retention: a stream can have one retention policy, by time or by size.
The server enforces it in the background: at every retention pass (every
minute by default) it records the stream's tail, and truncates the stream at
the recorded point the policy picks. Reads and fetches below it then fail
with a TRUNCATED error. Limits hold at the granularity of the passes.

  --retention-time DUR       remove events older than DUR (at most one pass
                             later); DUR is a Go duration or days: 7d, 1d12h,
                             36h, 90m
  --retention-min-time DUR   and never remove events younger than DUR
  --retention-size SIZE      once the stream holds more than SIZE, truncate it
                             at the oldest recorded point that keeps at most
                             SIZE; SIZE is bytes or a number with a unit:
                             10GiB, 512MiB, 1000000 (KiB, MiB, GiB, TiB are
                             powers of 1024; KB, MB, GB, TB of 1000)
  --retention-min-size SIZE  but never keep less than SIZE (then keep the
                             newest recorded point that keeps at least SIZE,
                             even if that is more than --retention-size)

Without --retention-min-size, a burst of more than --retention-size between
two passes empties the stream at the next pass.`

// retentionFlags are the retention options of stream create and update.
type retentionFlags struct {
	maxTime, minTime, maxSize, minSize string
	none                               bool // update only: --no-retention
}

func (f *retentionFlags) add(cmd *cobra.Command, update bool) {
	fl := cmd.Flags()
	fl.StringVar(&f.maxTime, "retention-time", "", "remove events older than `DUR` (7d, 36h, 90m)")
	fl.StringVar(&f.minTime, "retention-min-time", "", "with --retention-time: never remove events younger than `DUR`")
	fl.StringVar(&f.maxSize, "retention-size", "", "keep at most about `SIZE` (10GiB, 512MiB, bytes)")
	fl.StringVar(&f.minSize, "retention-min-size", "", "with --retention-size: never keep less than `SIZE`")
	if update {
		fl.BoolVar(&f.none, "no-retention", false, "remove the stream's retention policy")
	}
}

// policy returns the policy the flags ask for. set is false when none of
// them was given (on update: nothing to change); p is nil for
// --no-retention. Errors are usage errors naming the flags.
func (f *retentionFlags) policy(cmd *cobra.Command) (p *braid.RetentionPolicy, set bool, err error) {
	changed := func(names ...string) string {
		for _, n := range names {
			if cmd.Flags().Changed(n) {
				return "--" + n
			}
		}
		return ""
	}
	timeFlag := changed("retention-time", "retention-min-time")
	sizeFlag := changed("retention-size", "retention-min-size")
	if cmd.Flags().Lookup("no-retention") != nil && f.none {
		if other := changed("retention-time", "retention-min-time", "retention-size", "retention-min-size"); other != "" {
			return nil, false, usagef("--no-retention and %s do not go together", other)
		}
		return nil, true, nil
	}
	switch {
	case timeFlag != "" && sizeFlag != "":
		return nil, false, usagef("%s and %s do not go together: a stream has one retention policy, by time or by size", timeFlag, sizeFlag)
	case timeFlag != "":
		if !cmd.Flags().Changed("retention-time") {
			return nil, false, usagef("--retention-min-time needs --retention-time")
		}
		p = &braid.RetentionPolicy{Type: braid.RetentionByTime}
		if p.MaxTime, err = parseRetentionTime("--retention-time", f.maxTime); err != nil {
			return nil, false, err
		}
		if p.MaxTime <= 0 {
			return nil, false, usagef("invalid --retention-time %s: want more than 0", f.maxTime)
		}
		if cmd.Flags().Changed("retention-min-time") {
			if p.MinTime, err = parseRetentionTime("--retention-min-time", f.minTime); err != nil {
				return nil, false, err
			}
			if p.MinTime > p.MaxTime {
				return nil, false, usagef("--retention-min-time %s is more than --retention-time %s", f.minTime, f.maxTime)
			}
		}
		return p, true, nil
	case sizeFlag != "":
		if !cmd.Flags().Changed("retention-size") {
			return nil, false, usagef("--retention-min-size needs --retention-size")
		}
		p = &braid.RetentionPolicy{Type: braid.RetentionBySize}
		if p.MaxBytes, err = parseByteSize("--retention-size", f.maxSize); err != nil {
			return nil, false, err
		}
		if p.MaxBytes <= 0 {
			return nil, false, usagef("invalid --retention-size %s: want more than 0", f.maxSize)
		}
		if cmd.Flags().Changed("retention-min-size") {
			if p.MinBytes, err = parseByteSize("--retention-min-size", f.minSize); err != nil {
				return nil, false, err
			}
			if p.MinBytes > p.MaxBytes {
				return nil, false, usagef("--retention-min-size %s is more than --retention-size %s", f.minSize, f.maxSize)
			}
		}
		return p, true, nil
	}
	return nil, false, nil
}

const day = 24 * time.Hour

// parseRetentionTime parses a Go duration that may start with a number of
// days: 7d, 1d12h, 36h, 90m. Negative durations are refused.
func parseRetentionTime(flag, s string) (time.Duration, error) {
	bad := func() error {
		return usagef("invalid %s %q: want a duration such as 7d, 1d12h, 36h or 90m", flag, s)
	}
	days, rest, hasDays := strings.Cut(s, "d")
	var d time.Duration
	if hasDays {
		n, err := strconv.ParseInt(days, 10, 64)
		if err != nil || n < 0 || days[0] == '+' {
			return 0, bad()
		}
		if n > int64(math.MaxInt64/day) {
			return 0, usagef("invalid %s %q: too long", flag, s)
		}
		d = time.Duration(n) * day
		if rest == "" {
			return d, nil
		}
	} else {
		rest = s
	}
	r, err := time.ParseDuration(rest)
	if err != nil || r < 0 || (hasDays && !strings.ContainsAny(rest[:1], "0123456789.")) {
		return 0, bad()
	}
	if d+r < d {
		return 0, usagef("invalid %s %q: too long", flag, s)
	}
	return d + r, nil
}

// durationText writes d with days: 7d, 1d12h, 90m -> 1h30m.
func durationText(d time.Duration) string {
	if d <= 0 {
		return d.String()
	}
	var b strings.Builder
	if days := d / day; days > 0 {
		fmt.Fprintf(&b, "%dd", days)
		d -= days * day
		if d == 0 {
			return b.String()
		}
	}
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return b.String() + s
}

// sizeText writes n exactly in the unit, binary (KiB, MiB, ...) or decimal
// (kB, MB, ...), that gives the shortest text: 10GiB, 10GB, 1536B.
func sizeText(n int64) string {
	best := strconv.FormatInt(n, 10) + "B"
	for _, u := range []struct {
		suffix string
		bytes  int64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10},
		{"TB", 1e12}, {"GB", 1e9}, {"MB", 1e6}, {"kB", 1e3}} {
		if n != 0 && n%u.bytes == 0 {
			if s := strconv.FormatInt(n/u.bytes, 10) + u.suffix; len(s) < len(best) {
				best = s
			}
		}
	}
	return best
}

// policyText describes a retention policy in the flags' terms.
func policyText(p *braid.RetentionPolicy) string {
	switch {
	case p == nil:
		return "none"
	case p.Type == braid.RetentionBySize:
		s := "by size: at most " + sizeText(p.MaxBytes)
		if p.MinBytes > 0 {
			s += ", at least " + sizeText(p.MinBytes)
		}
		return s
	case p.Type == braid.RetentionByTime:
		s := "by time: at most " + durationText(p.MaxTime)
		if p.MinTime > 0 {
			s += ", at least " + durationText(p.MinTime)
		}
		return s
	}
	return p.Type.String()
}

func newStreamUpdateCmd(e *env) *cobra.Command {
	var rf retentionFlags
	var sf scalingFlags
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "update SCOPE/STREAM [retention flags] [scaling flags] [--timestamp-timeout D]",
		Short: "Change a stream's retention or scaling policy",
		Long: `Update sets or removes a stream's retention policy, its scaling policy, or
both; they are the parts of a stream's configuration that can change. A new
retention policy replaces the old one. A policy whose flags are not given
stays as it is.

A scaling flag changes only what it names: --scale-events or --scale-bytes
sets the target (and whether it counts events or bytes), --scale-factor and
--min-segments their settings; the rest of the stream's policy stays.
--scale-fixed removes the policy: the segments stay as they are then.

` + retentionHelp + `

` + scalingHelp,
		Example: `  braid stream update demo/events --retention-time 7d
  braid stream update demo/events --retention-time 30d --retention-min-time 1d
  braid stream update demo/events --retention-size 10GiB --retention-min-size 1GiB
  braid stream update demo/events --no-retention
  braid stream update demo/events --scale-events 1000 --scale-factor 4
  braid stream update demo/events --min-segments 2
  braid stream update demo/events --scale-fixed
  braid stream update demo/events --timestamp-timeout 2m`,
		Args: argNames("SCOPE/STREAM"),
		PreRunE: func(cmd *cobra.Command, args []string) error {
			if err := checkArgs(streamArg)(cmd, args); err != nil {
				return err
			}
			_, rset, err := rf.policy(cmd)
			if err != nil {
				return err
			}
			_, sset, err := sf.policy(cmd, nil, true, true)
			if err == nil && !rset && !sset && !cmd.Flags().Changed("timestamp-timeout") {
				err = usagef("nothing to update: give --retention-time, --retention-size or --no-retention, or --scale-events, --scale-bytes, --scale-factor, --min-segments or --scale-fixed, or --timestamp-timeout")
			}
			if err == nil {
				err = checkTimestampTimeout(cmd, timeout)
			}
			return err
		},
	}
	rf.add(cmd, true)
	sf.add(cmd, true)
	addTimestampTimeout(cmd, &timeout)
	out := addOutputFlag(cmd, "one object: the stream, as in stream list")
	return adminCmd(cmd, func(ctx context.Context, r *remote, c *braid.Client, args []string) error {
		stream := args[0]
		// An update replaces both policies: the one not given is read
		// first and sent back as it is.
		cur, err := c.GetStream(ctx, stream)
		if err != nil {
			return r.failed(ctx, "update stream "+stream, err)
		}
		cfg := braid.StreamConfig{Retention: cur.Retention, Scaling: cur.Scaling, TimestampTimeout: timeout}
		p, rset, _ := rf.policy(cmd)
		if rset {
			cfg.Retention = p
		}
		sp, sset, err := sf.policy(cmd, cur.Scaling, true, false)
		if err != nil {
			return fmt.Errorf("update stream %s: %w", stream, err)
		}
		if sset {
			cfg.Scaling = sp
		}
		info, err := c.UpdateStream(ctx, stream, cfg)
		if err != nil {
			return r.failed(ctx, "update stream "+stream, err)
		}
		if out.json() {
			return writeJSON(e.stdout, streamJSONOf(info))
		}
		var parts []string
		if rset {
			parts = append(parts, "retention "+policyText(info.Retention))
		}
		if sset {
			parts = append(parts, "scaling "+scalingText(info.Scaling))
		}
		if timeout > 0 {
			parts = append(parts, "timestamp timeout "+info.TimestampTimeout.String())
		}
		fmt.Fprintf(e.stdout, "updated stream %s: %s\n", stream, strings.Join(parts, ", "))
		return nil
	})
}

// addTimestampTimeout adds --timestamp-timeout to a stream create or update.
func addTimestampTimeout(cmd *cobra.Command, d *time.Duration) {
	cmd.Flags().DurationVar(d, "timestamp-timeout", 0,
		"how long a writer that notes time holds the stream's watermark back without noting again (default 30s on create; 1ms to 168h)")
}

func checkTimestampTimeout(cmd *cobra.Command, d time.Duration) error {
	if cmd.Flags().Changed("timestamp-timeout") && (d <= 0 || d > 7*24*time.Hour) {
		return usagef("invalid --timestamp-timeout %v: want 1ms to 168h", d)
	}
	return nil
}
