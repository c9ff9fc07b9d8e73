package cli

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestStreamRetention(t *testing.T) {
	addr := startServer(t)
	args := func(s ...string) []string { return append(s, "--addr", addr) }
	describeRetention := func(name string) string {
		t.Helper()
		out := ok(t, "", args("stream", "describe", name)...)
		m := regexp.MustCompile(`(?m)^retention:\s+(.*)$`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("describe %s prints no retention:\n%s", name, out)
		}
		return m[1]
	}

	if got, want := ok(t, "", args("stream", "create", "r/s", "--retention-size", "10GiB", "--retention-min-size", "512MiB")...),
		"created scope r\ncreated stream r/s with 1 segment, retention by size: at most 10GiB, at least 512MiB\n"; got != want {
		t.Errorf("create with retention: got %q, want %q", got, want)
	}
	if got, want := describeRetention("r/s"), "by size: at most 10GiB, at least 512MiB"; got != want {
		t.Errorf("describe: retention %q, want %q", got, want)
	}
	if got, want := ok(t, "", args("stream", "create", "r/t", "--retention-time", "7d")...),
		"created stream r/t with 1 segment, retention by time: at most 7d\n"; got != want {
		t.Errorf("create with retention by time: got %q, want %q", got, want)
	}
	ok(t, "", args("stream", "create", "r/u")...)
	if got := describeRetention("r/u"); got != "none" {
		t.Errorf("describe without a policy: retention %q, want none", got)
	}

	for _, tc := range []struct {
		flags []string
		want  string
	}{
		{[]string{"--retention-time", "30d", "--retention-min-time", "1d12h"}, "by time: at most 30d, at least 1d12h"},
		{[]string{"--retention-time", "90m"}, "by time: at most 1h30m"},
		{[]string{"--retention-size", "1000000"}, "by size: at most 1MB"},
		{[]string{"--retention-size", "1.5GiB", "--retention-min-size", "1GB"}, "by size: at most 1536MiB, at least 1GB"},
		{[]string{"--no-retention"}, "none"},
	} {
		if got, want := ok(t, "", args(append([]string{"stream", "update", "r/s"}, tc.flags...)...)...), "updated stream r/s: retention "+tc.want+"\n"; got != want {
			t.Errorf("update %v: got %q, want %q", tc.flags, got, want)
		}
		if got := describeRetention("r/s"); got != tc.want {
			t.Errorf("describe after update %v: retention %q, want %q", tc.flags, got, tc.want)
		}
	}
	if r := run(t, "", args("stream", "update", "r/nope", "--retention-time", "1h")...); r.code != 1 || !strings.HasPrefix(r.stderr, "braid: update stream r/nope: ") {
		t.Errorf("update of a missing stream: exit %d, stderr %q", r.code, r.stderr)
	}

	// Bad command lines: exit 2 before anything is dialed (no --addr).
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"stream", "create", "r/x", "--retention-time", "7d", "--retention-size", "1GiB"}, "--retention-time and --retention-size do not go together: a stream has one retention policy, by time or by size"},
		{[]string{"stream", "update", "r/x", "--retention-min-time", "1h", "--retention-min-size", "1GiB"}, "--retention-min-time and --retention-min-size do not go together"},
		{[]string{"stream", "create", "r/x", "--retention-min-time", "1h"}, "--retention-min-time needs --retention-time"},
		{[]string{"stream", "create", "r/x", "--retention-min-size", "1GiB"}, "--retention-min-size needs --retention-size"},
		{[]string{"stream", "create", "r/x", "--retention-time", "7d", "--retention-min-time", "8d"}, "--retention-min-time 8d is more than --retention-time 7d"},
		{[]string{"stream", "create", "r/x", "--retention-size", "1GiB", "--retention-min-size", "2GiB"}, "--retention-min-size 2GiB is more than --retention-size 1GiB"},
		{[]string{"stream", "create", "r/x", "--retention-time", "7x"}, `invalid --retention-time "7x": want a duration such as 7d, 1d12h, 36h or 90m`},
		{[]string{"stream", "create", "r/x", "--retention-time", "0d"}, "invalid --retention-time 0d: want more than 0"},
		{[]string{"stream", "create", "r/x", "--retention-time", "-1h"}, `invalid --retention-time "-1h"`},
		{[]string{"stream", "create", "r/x", "--retention-size", "10Gx"}, `invalid --retention-size "10Gx": want a size such as 512MiB, 2GiB or 1048576`},
		{[]string{"stream", "create", "r/x", "--retention-size", "0"}, "invalid --retention-size 0: want more than 0"},
		{[]string{"stream", "create", "r/x", "--retention-size", "-5"}, `invalid --retention-size "-5"`},
		{[]string{"stream", "update", "r/x"}, "nothing to update: give --retention-time, --retention-size or --no-retention"},
		{[]string{"stream", "update", "r/x", "--no-retention", "--retention-size", "1GiB"}, "--no-retention and --retention-size do not go together"},
		{[]string{"stream", "create", "r/x", "--no-retention"}, "unknown flag: --no-retention"},
		{[]string{"stream", "update", "bad", "--no-retention"}, `invalid stream name "bad"`},
	} {
		r := run(t, "", tc.args...)
		if r.code != 2 || !strings.HasPrefix(r.stderr, "braid: ") || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("braid %s: exit %d, stderr %q; want exit 2 and %q", strings.Join(tc.args, " "), r.code, r.stderr, tc.want)
		}
	}
}

func TestParseRetentionTime(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"7d": 7 * day, "1d12h": 36 * time.Hour, "36h": 36 * time.Hour, "90m": 90 * time.Minute, "0d": 0,
		"2d30m": 2*day + 30*time.Minute, "1.5h": 90 * time.Minute, "500ms": 500 * time.Millisecond, "0": 0,
	} {
		if got, err := parseRetentionTime("--f", in); err != nil || got != want {
			t.Errorf("parseRetentionTime(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "d", "7", "7days", "1h2d", "-1d", "+1d", "1d-1h", "1d+1h", "1.5d", "d1h", "x", "106752d", "106751d24h"} {
		if got, err := parseRetentionTime("--f", in); err == nil {
			t.Errorf("parseRetentionTime(%q) = %v, want an error", in, got)
		}
	}
	for d, want := range map[time.Duration]string{
		7 * day: "7d", 36 * time.Hour: "1d12h", 90 * time.Minute: "1h30m", time.Hour: "1h", 30 * time.Second: "30s",
		day + time.Minute: "1d1m", 1500 * time.Millisecond: "1.5s", day + 90*time.Second: "1d1m30s",
	} {
		if got := durationText(d); got != want {
			t.Errorf("durationText(%v) = %q, want %q", d, got, want)
		}
		if back, err := parseRetentionTime("--f", durationText(d)); err != nil || back != d {
			t.Errorf("durationText(%v) does not parse back: %v, %v", d, back, err)
		}
	}
}

func TestRetentionSizes(t *testing.T) {
	for in, want := range map[string]int64{
		"10GiB": 10 << 30, "512MiB": 512 << 20, "1048576": 1 << 20, "5GB": 5e9, "1.5GiB": 3 << 29, "0": 0, "7B": 7,
	} {
		if got, err := parseByteSize("--f", in); err != nil || got != want {
			t.Errorf("parseByteSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "GiB", "-1", "ten", "10XB", "99999999EiB"} {
		if got, err := parseByteSize("--f", in); err == nil {
			t.Errorf("parseByteSize(%q) = %d, want an error", in, got)
		}
	}
	for n, want := range map[int64]string{10 << 30: "10GiB", 1536 << 20: "1536MiB", 1000: "1kB", 1001: "1001B", 10e9: "10GB", 1024: "1KiB", 2 << 40: "2TiB"} {
		if got := sizeText(n); got != want {
			t.Errorf("sizeText(%d) = %q, want %q", n, got, want)
		}
		if back, err := parseByteSize("--f", sizeText(n)); err != nil || back != n {
			t.Errorf("sizeText(%d) does not parse back: %d, %v", n, back, err)
		}
	}
}
