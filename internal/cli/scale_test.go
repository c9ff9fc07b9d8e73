package cli

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

func TestStreamScale(t *testing.T) {
	addr := startServer(t)
	args := func(s ...string) []string { return append(s, "--addr", addr) }
	ok(t, "", args("stream", "create", "sc/t", "--segments", "2")...)
	ok(t, "hello\n", args("write", "sc/t", "--key", "a")...)

	// Split segment 0 ([0, 0.5)) in halves; the id may lose its zeros.
	out := ok(t, "", args("stream", "scale", "sc/t", "--split", "0")...)
	for _, re := range []string{
		`^split segment 0000000000000000 of sc/t into 2: now epoch 1 with 3 segments\n`,
		`(?m)^\s+SEGMENT\s+KEY RANGE\s+NEW$`,
		`(?m)^\s+0000000100000002\s+\[0, 0\.25\)\s+yes$`,
		`(?m)^\s+0000000100000003\s+\[0\.25, 0\.5\)\s+yes$`,
		`(?m)^\s+0000000000000001\s+\[0\.5, 1\)\s+no$`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("scale --split output does not match %s:\n%s", re, out)
		}
	}

	// Merge the two halves back, in the full 16-digit form.
	out = ok(t, "", args("stream", "scale", "sc/t", "--merge", "100000002,0000000100000003")...)
	for _, re := range []string{
		`^merge segments 0000000100000002, 0000000100000003 of sc/t: now epoch 2 with 2 segments\n`,
		`(?m)^\s+0000000200000004\s+\[0, 0\.5\)\s+yes$`,
		`(?m)^\s+0000000000000001\s+\[0\.5, 1\)\s+no$`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("scale --merge output does not match %s:\n%s", re, out)
		}
	}

	// Describe: three epochs with their ranges; segments still current
	// (0000000000000001 carried over) show their length in each.
	desc := ok(t, "", args("stream", "describe", "sc/t")...)
	for _, re := range []string{
		`(?m)^epochs:\s+3$`,
		`(?m)^segments:\s+2$`,
		`(?m)^scaling:\s+fixed$`,
		`(?m)^epoch 0 \(created [^,)]+\)$`,
		`(?m)^epoch 1 \(created [^,)]+\)$`,
		`(?m)^epoch 2 \(created [^,)]+, current\)$`,
		`(?s)epoch 0 .*0000000000000000\s+\[0, 0\.5\)\s+-\s+-\s+yes\n.*0000000000000001\s+\[0\.5, 1\)\s+13\s+0\s+no\n.*epoch 1 `,
		`(?s)epoch 1 .*0000000100000002\s+\[0, 0\.25\)\s+-\s+-\s+yes\n.*0000000100000003\s+\[0\.25, 0\.5\)\s+-\s+-\s+yes\n.*epoch 2 `,
		`(?s)epoch 2 .*0000000200000004\s+\[0, 0\.5\)\s+0\s+0\s+no\n\s+0000000000000001\s+\[0\.5, 1\)\s+13\s+0\s+no\n$`,
	} {
		if !regexp.MustCompile(re).MatchString(desc) {
			t.Errorf("describe after scaling does not match %s:\n%s", re, desc)
		}
	}

	// The event written before the scalings is still read.
	if got := ok(t, "", args("read", "sc/t")...); got != "hello\n" {
		t.Errorf("read after scaling: %q, want \"hello\\n\"", got)
	}

	// Failures of the server: a segment that is not current, merging
	// segments that are not neighbours.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"stream", "scale", "sc/t", "--split", "100000002"}, "split segment 0000000100000002 of sc/t into 2: "},
		{[]string{"stream", "scale", "sc/nope", "--split", "0"}, "split segment 0000000000000000 of sc/nope into 2: "},
		{[]string{"stream", "scale", "sc/t", "--merge", "200000004,7"}, "merge segments 0000000200000004, 0000000000000007 of sc/t: "},
	} {
		r := run(t, "", args(tc.args...)...)
		if r.code != 1 || !strings.HasPrefix(r.stderr, "braid: "+tc.want) {
			t.Errorf("braid %s: exit %d, stderr %q; want exit 1 and %q", strings.Join(tc.args, " "), r.code, r.stderr, tc.want)
		}
	}
}

func TestStreamScalingPolicy(t *testing.T) {
	addr := startServer(t)
	args := func(s ...string) []string { return append(s, "--addr", addr) }
	describe := func(name string) (retention, scaling string) {
		t.Helper()
		out := ok(t, "", args("stream", "describe", name)...)
		r := regexp.MustCompile(`(?m)^retention:\s+(.*)$`).FindStringSubmatch(out)
		s := regexp.MustCompile(`(?m)^scaling:\s+(.*)$`).FindStringSubmatch(out)
		if r == nil || s == nil {
			t.Fatalf("describe %s prints no retention or scaling:\n%s", name, out)
		}
		return r[1], s[1]
	}

	if got, want := ok(t, "", args("stream", "create", "p/e", "--scale-events", "1000", "--scale-factor", "4", "--min-segments", "2", "--segments", "2")...),
		"created scope p\ncreated stream p/e with 2 segments, scaling by event rate: 1000 events/s per segment, split into up to 4, at least 2 segments\n"; got != want {
		t.Errorf("create with scaling: got %q, want %q", got, want)
	}
	if got, want := ok(t, "", args("stream", "create", "p/b", "--scale-bytes", "1MiB", "--retention-time", "7d")...),
		"created stream p/b with 1 segment, retention by time: at most 7d, scaling by data rate: 1MiB/s per segment, split into up to 2, at least 1 segment\n"; got != want {
		t.Errorf("create with scaling by bytes: got %q, want %q", got, want)
	}

	// Updates change what they name and keep the rest, the other policy
	// included.
	for _, tc := range []struct {
		flags     []string
		out       string
		retention string
		scaling   string
	}{
		{[]string{"--min-segments", "1"}, "scaling by data rate: 1MiB/s per segment, split into up to 2, at least 1 segment",
			"by time: at most 7d", "by data rate: 1MiB/s per segment, split into up to 2, at least 1 segment"},
		{[]string{"--scale-factor", "8"}, "scaling by data rate: 1MiB/s per segment, split into up to 8, at least 1 segment",
			"by time: at most 7d", "by data rate: 1MiB/s per segment, split into up to 8, at least 1 segment"},
		{[]string{"--scale-events", "50"}, "scaling by event rate: 50 events/s per segment, split into up to 8, at least 1 segment",
			"by time: at most 7d", "by event rate: 50 events/s per segment, split into up to 8, at least 1 segment"},
		{[]string{"--retention-size", "1GiB"}, "retention by size: at most 1GiB",
			"by size: at most 1GiB", "by event rate: 50 events/s per segment, split into up to 8, at least 1 segment"},
		{[]string{"--scale-fixed", "--no-retention"}, "retention none, scaling fixed", "none", "fixed"},
	} {
		if got, want := ok(t, "", args(append([]string{"stream", "update", "p/b"}, tc.flags...)...)...), "updated stream p/b: "+tc.out+"\n"; got != want {
			t.Errorf("update %v: got %q, want %q", tc.flags, got, want)
		}
		if r, s := describe("p/b"); r != tc.retention || s != tc.scaling {
			t.Errorf("after update %v: retention %q, scaling %q; want %q, %q", tc.flags, r, s, tc.retention, tc.scaling)
		}
	}
	// Tuning a fixed stream: nothing to tune.
	r := run(t, "", args("stream", "update", "p/b", "--scale-factor", "4")...)
	if r.code != 1 || !strings.Contains(r.stderr, "braid: update stream p/b: --scale-factor: the stream has no scaling policy to change; give --scale-events or --scale-bytes too") {
		t.Errorf("tune a fixed stream: exit %d, stderr %q", r.code, r.stderr)
	}

	// Bad command lines: exit 2 before anything is dialed.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"stream", "create", "p/x", "--scale-events", "10", "--scale-bytes", "1MiB"}, "--scale-events and --scale-bytes do not go together"},
		{[]string{"stream", "update", "p/x", "--scale-fixed", "--scale-events", "10"}, "--scale-fixed and --scale-events do not go together"},
		{[]string{"stream", "create", "p/x", "--scale-fixed"}, "unknown flag: --scale-fixed"},
		{[]string{"stream", "create", "p/x", "--scale-factor", "4"}, "--scale-factor needs --scale-events or --scale-bytes"},
		{[]string{"stream", "create", "p/x", "--min-segments", "4"}, "--min-segments needs --scale-events or --scale-bytes"},
		{[]string{"stream", "create", "p/x", "--scale-events", "0"}, "invalid --scale-events 0: want more than 0 events/s"},
		{[]string{"stream", "create", "p/x", "--scale-bytes", "lots"}, `invalid --scale-bytes "lots": want a size`},
		{[]string{"stream", "create", "p/x", "--scale-bytes", "0"}, "invalid --scale-bytes 0: want more than 0 bytes/s"},
		{[]string{"stream", "create", "p/x", "--scale-events", "5", "--scale-factor", "17"}, "invalid --scale-factor 17: want 2 to 16"},
		{[]string{"stream", "update", "p/x", "--min-segments", "0"}, "invalid --min-segments 0: want 1 to 1024"},
		{[]string{"stream", "update", "p/x"}, "nothing to update: give --retention-time"},
	} {
		r := run(t, "", tc.args...)
		if r.code != 2 || !strings.HasPrefix(r.stderr, "braid: ") || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("braid %s: exit %d, stderr %q; want exit 2 and %q", strings.Join(tc.args, " "), r.code, r.stderr, tc.want)
		}
	}
}

func TestParseSegmentID(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // id in hex, or error text
	}{
		{"0", "0000000000000000"},
		{"1", "0000000000000001"},
		{"100000002", "0000000100000002"},
		{"0000000100000002", "0000000100000002"},
		{"00000001000000AB", "00000001000000ab"},
		{"ffffffffffffffff", "ffffffffffffffff"},
		{"", `invalid --split segment "": empty`},
		{"00000000000000000", "more than 16 digits"},
		{"0x1", `'x' is not a hex digit`},
		{"-1", `'-' is not a hex digit`},
		{"12g", `'g' is not a hex digit`},
	} {
		id, err := parseSegmentID("--split", tc.in)
		got := fmt.Sprintf("%016x", id)
		if err != nil {
			got = err.Error()
		}
		if !strings.Contains(got, tc.want) {
			t.Errorf("parseSegmentID(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
