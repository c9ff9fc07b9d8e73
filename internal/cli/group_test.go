package cli

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid/wire"
)

// events returns n lines "prefix-0" ... as write input, and the lines.
func events(prefix string, n int) (string, []string) {
	var lines []string
	for i := range n {
		lines = append(lines, fmt.Sprintf("%s-%d", prefix, i))
	}
	return strings.Join(lines, "\n") + "\n", lines
}

// lines splits read output into its lines.
func lines(out string) []string {
	if out == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(out, "\n"), "\n")
}

func TestGroupAdmin(t *testing.T) {
	addr := startServer(t)
	args := func(s ...string) []string { return append(s, "--addr", addr) }
	ok(t, "", args("stream", "create", "g/a", "--segments", "2")...)
	ok(t, "", args("stream", "create", "g/b")...)
	in, _ := events("e", 10)
	ok(t, in, args("write", "g/a")...)

	out := ok(t, "", args("group", "create", "g/one", "--stream", "g/a", "--stream", "g/b", "--from", "g/b=tail", "--until", "g/a=tail", "--reader-timeout", "30s")...)
	for _, re := range []string{
		`^created reader group g/one\n`,
		`(?m)^\s+STREAM\s+FROM\s+UNTIL$`,
		`(?m)^\s+g/a\s+v1\.\S+\s+v1\.\S+$`,
		`(?m)^\s+g/b\s+v1\.\S+\s+none$`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("group create output does not match %s:\n%s", re, out)
		}
	}
	ok(t, "", args("group", "create", "g/two", "--stream", "g/b", "--from-tail")...)

	list := ok(t, "", args("group", "list", "g")...)
	for _, re := range []string{
		`(?m)^GROUP\s+STREAMS\s+READERS\s+LAG BYTES\s+LAG EVENTS\s+FINISHED\s+CREATED$`,
		// 10 events of 3 bytes with 8-byte headers: 110 bytes to read.
		`(?m)^one\s+g/a,g/b\s+0\s+110\s+-\s+no\s+\S+$`,
		`(?m)^two\s+g/b\s+0\s+0\s+-\s+no\s+\S+$`,
	} {
		if !regexp.MustCompile(re).MatchString(list) {
			t.Errorf("group list output does not match %s:\n%s", re, list)
		}
	}

	desc := ok(t, "", args("group", "describe", "g/one")...)
	for _, re := range []string{
		`(?m)^group:\s+g/one$`,
		`(?m)^generation:\s+0$`,
		`(?m)^reader timeout:\s+30s$`,
		`(?m)^finished:\s+no$`,
		`(?m)^lag:\s+110 bytes, unknown \(no event read yet\)$`,
		`(?m)^streams \(2\)$`,
		`(?m)^readers \(0\)$`,
		`(?m)^segments \(3\)$`,
		`(?m)^\s+STREAM\s+SEGMENT\s+KEY RANGE\s+READER\s+OFFSET\s+TAIL\s+END\s+LAG$`,
		`(?m)^\s+g/a\s+0000000000000000\s+\[0, 0\.5\)\s+\(waiting\)\s+0\s+\d+\s+\d+\s+\d+$`,
		`(?m)^\s+g/b\s+0000000000000000\s+\[0, 1\)\s+\(waiting\)\s+0\s+0\s+-\s+0$`,
		`(?m)^position\n\s+g/a\s+v1\.\S+\n\s+g/b\s+v1\.\S+\n`,
		`(?m)^checkpoints \(0\)$`,
	} {
		if !regexp.MustCompile(re).MatchString(desc) {
			t.Errorf("group describe output does not match %s:\n%s", re, desc)
		}
	}

	// Reset: to new start cuts, keeping the streams and end cuts.
	out = ok(t, "", args("group", "reset", "g/one", "--from", "tail")...)
	if !regexp.MustCompile(`^reset reader group g/one \(generation 1\)\n(?s:.*)\n\s+g/a\s+v1\.\S+\s+v1\.\S+\n\s+g/b\s+v1\.\S+\s+none\n$`).MatchString(out) {
		t.Errorf("group reset output:\n%s", out)
	}
	if desc := ok(t, "", args("group", "describe", "g/one")...); !regexp.MustCompile(`(?m)^lag:\s+0 bytes`).MatchString(desc) || !strings.Contains(desc, "reader timeout:  30s") {
		t.Errorf("describe after reset to the tail:\n%s", desc)
	}

	if got, want := ok(t, "", args("group", "delete", "g/one")...), "deleted reader group g/one\n"; got != want {
		t.Errorf("group delete: got %q, want %q", got, want)
	}
	if list := ok(t, "", args("group", "list", "g")...); strings.Contains(list, "one") || !strings.Contains(list, "two") {
		t.Errorf("group list after delete:\n%s", list)
	}
	ok(t, "", args("group", "delete", "g/two")...)
	if got, want := ok(t, "", args("group", "list", "g")...), "GROUP  STREAMS  READERS  LAG BYTES  LAG EVENTS  FINISHED  CREATED\n"; got != want {
		t.Errorf("group list of no groups: got %q, want %q", got, want)
	}

	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"group", "describe", "g/one"}, 1, "braid: describe reader group g/one: "},
		{[]string{"group", "delete", "g/one"}, 1, "braid: delete reader group g/one: "},
		{[]string{"group", "reset", "g/one", "--checkpoint", "x"}, 1, "braid: reset reader group g/one to checkpoint x: "},
		{[]string{"group", "checkpoint", "g/one", "x"}, 1, "braid: checkpoint x of reader group g/one: "},
		{[]string{"group", "list", "nope"}, 1, "braid: list reader groups of scope nope: "},
		{[]string{"group", "create", "g/x", "--stream", "g/nope"}, 1, "braid: create reader group g/x: "},
		{[]string{"read", "--group", "g/one", "--reader", "r"}, 1, "braid: read reader group g/one as r: "},
	} {
		r := run(t, "", args(tc.args...)...)
		if r.code != tc.code || !strings.HasPrefix(r.stderr, tc.want) || r.stdout != "" {
			t.Errorf("braid %s: exit %d, stdout %q, stderr %q; want exit %d and %q", strings.Join(tc.args, " "), r.code, r.stdout, r.stderr, tc.code, tc.want)
		}
	}
}

func TestGroupRead(t *testing.T) {
	addr := startServer(t)
	args := func(s ...string) []string { return append(s, "--addr", addr) }
	ok(t, "", args("stream", "create", "g/s", "--segments", "3")...)
	in, want := events("ev", 20)
	ok(t, in, args("write", "g/s")...)
	ok(t, "", args("group", "create", "g/grp", "--stream", "g/s", "--until-tail")...)

	// Seven events, then the same reader goes on after them (its position
	// was committed when it left), then another reader reads the rest.
	first := lines(ok(t, "", args("read", "--group", "g/grp", "--reader", "r1", "--limit", "7")...))
	if len(first) != 7 {
		t.Fatalf("read --limit 7: got %d events: %q", len(first), first)
	}
	evs := readJSON(t, ok(t, "", args("read", "--group", "g/grp", "--reader", "r1", "--limit", "5", "--format", "json", "--auto-commit", "0")...))
	if len(evs) != 5 {
		t.Fatalf("second read --limit 5: got %d events", len(evs))
	}
	got := slices.Clone(first)
	for _, ev := range evs {
		if ev.Data == nil || ev.Stream != "g/s" || ev.Position != "" || !strings.HasPrefix(ev.Pointer, ev.Segment+"-") {
			t.Errorf("group event in json: %+v", ev)
		}
		if _, err := wire.ParsePointer(ev.Pointer); err != nil {
			t.Errorf("group event pointer: %v", err)
		}
		got = append(got, *ev.Data)
	}
	// The rest, to the group's end: exit 0.
	rest := lines(ok(t, "", args("read", "--group", "g/grp", "--reader", "r2")...))
	got = append(got, rest...)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("the reads of the group got %q, want each of %q once", got, want)
	}
	if got := ok(t, "", args("read", "--group", "g/grp", "--reader", "r1")...); got != "" {
		t.Errorf("read of a finished group: %q, want nothing", got)
	}
	desc := ok(t, "", args("group", "describe", "g/grp")...)
	for _, re := range []string{`(?m)^finished:\s+yes$`, `(?m)^lag:\s+0 bytes, 0 events$`} {
		if !regexp.MustCompile(re).MatchString(desc) {
			t.Errorf("describe of a finished group does not match %s:\n%s", re, desc)
		}
	}

	// A reset to the head reads it all again.
	if out := ok(t, "", args("group", "reset", "g/grp", "--from", "head")...); !strings.HasPrefix(out, "reset reader group g/grp (generation 1)\n") {
		t.Errorf("reset --from head: %q", out)
	}
	again := lines(ok(t, "", args("read", "--group", "g/grp", "--reader", "r1")...))
	slices.Sort(again)
	if !slices.Equal(again, want) {
		t.Errorf("read after reset to the head: %q, want %q", again, want)
	}

	// An unbounded group: the reader reads until interrupted (exit 0),
	// passes a checkpoint on the way, and leaves the group at its
	// position.
	ok(t, "", args("stream", "create", "g/live")...)
	ok(t, "", args("group", "create", "g/live", "--stream", "g/live")...)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	stdout := &notifyWriter{ready: make(chan struct{})}
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, args("read", "--group", "g/live", "--reader", "r1", "--format", "json"), strings.NewReader(""), stdout, &strings.Builder{})
	}()
	ok(t, "one\n", args("write", "g/live")...)
	select {
	case <-stdout.ready:
	case <-time.After(20 * time.Second):
		t.Fatal("the group reader printed nothing")
	}
	cp := ok(t, "", args("group", "checkpoint", "g/live", "cp1", "--timeout", "20s")...)
	if !regexp.MustCompile(`^checkpoint cp1 of reader group g/live \(created \S+\)\n\s+g/live\s+v1\.\S+\n$`).MatchString(cp) {
		t.Errorf("group checkpoint output:\n%s", cp)
	}
	for deadline := time.Now().Add(20 * time.Second); !strings.Contains(stdout.String(), `{"checkpoint":"cp1"}`); {
		if time.Now().After(deadline) {
			t.Fatalf("the reader printed no checkpoint line: %q", stdout.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("interrupted read --group: exit %d, want 0", code)
	}
	out := stdout.String()
	if evs := readJSON(t, strings.Replace(out, `{"checkpoint":"cp1"}`+"\n", "", 1)); len(evs) != 1 || evs[0].Data == nil || *evs[0].Data != "one" {
		t.Errorf("interrupted read --group printed %q", out)
	}
	ok(t, "two\n", args("write", "g/live")...)
	if got := ok(t, "", args("read", "--group", "g/live", "--reader", "r2", "--limit", "1")...); got != "two\n" {
		t.Errorf("read after the interrupted reader left: %q, want \"two\\n\"", got)
	}
	if desc := ok(t, "", args("group", "describe", "g/live")...); !regexp.MustCompile(`(?m)^checkpoints \(1\)\n\s+cp1 \(created \S+\)\n\s+g/live\s+v1\.\S+\n`).MatchString(desc) {
		t.Errorf("describe does not show the checkpoint:\n%s", desc)
	}
	// Back to the checkpoint, which was taken after "one".
	if out := ok(t, "", args("group", "reset", "g/live", "--checkpoint", "cp1")...); !strings.HasPrefix(out, "reset reader group g/live to checkpoint cp1 (generation 1)\n") {
		t.Errorf("reset to checkpoint: %q", out)
	}
	if got := ok(t, "", args("read", "--group", "g/live", "--reader", "r3", "--limit", "1")...); got != "two\n" {
		t.Errorf("read after the reset to the checkpoint: %q, want \"two\\n\"", got)
	}
}

func TestGroupBadInput(t *testing.T) {
	// Exit 2 before anything is dialed (no --addr).
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"group"}, "braid group needs a command: checkpoint, create, delete, describe, list, reset"},
		{[]string{"group", "create", "g/x"}, "--stream is required"},
		{[]string{"group", "create", "gx", "--stream", "g/s"}, `invalid reader group name "gx": want scope/group`},
		{[]string{"group", "create", "g/x/y", "--stream", "g/s"}, `invalid reader group name "g/x/y": more than one '/'`},
		{[]string{"group", "describe", "g/_x"}, `invalid reader group name "g/_x": invalid group name "_x": names starting with '_'`},
		{[]string{"group", "create", "g/x", "--stream", "bad"}, `invalid stream name "bad"`},
		{[]string{"group", "create", "g/x", "--stream", "g/s", "--stream", "g/s"}, "--stream g/s is given twice"},
		{[]string{"group", "create", "g/x", "--stream", "g/s", "--from", "start"}, `invalid --from "start": want head, tail or a stream cut`},
		{[]string{"group", "create", "g/x", "--stream", "g/s", "--from", "v1.AAAA"}, `invalid --from: invalid stream cut "v1.AAAA"`},
		{[]string{"group", "create", "g/x", "--stream", "g/s", "--stream", "g/t", "--from", "v1.AAAA"}, "a bare stream cut needs exactly one stream"},
		{[]string{"group", "create", "g/x", "--stream", "g/s", "--from", "g/t=head"}, "g/t is not one of the --stream streams"},
		{[]string{"group", "create", "g/x", "--stream", "g/s", "--from", "g/s=head", "--from", "g/s=tail"}, "--from is given twice for g/s"},
		{[]string{"group", "create", "g/x", "--stream", "g/s", "--from-tail", "--from", "head"}, "--from-tail and a bare --from do not go together"},
		{[]string{"group", "create", "g/x", "--stream", "g/s", "--until", "head"}, `invalid --until "head": want tail, none or a stream cut`},
		{[]string{"group", "create", "g/x", "--stream", "g/s", "--until-tail", "--until", "none"}, "--until-tail and a bare --until do not go together"},
		{[]string{"group", "create", "g/x", "--stream", "g/s", "--reader-timeout", "10ms"}, "invalid --reader-timeout 10ms: want 100ms to 1h"},
		{[]string{"group", "list", "a/b"}, `invalid scope name "a/b"`},
		{[]string{"group", "checkpoint", "g/x"}, "missing NAME"},
		{[]string{"group", "reset", "g/x"}, "nothing to reset to"},
		{[]string{"group", "reset", "g/x", "--checkpoint", "c", "--from", "head"}, "--checkpoint and --from do not go together"},
		{[]string{"read", "--group", "g/x", "--from", "head"}, "--from does not go with --group"},
		{[]string{"read", "--group", "g/x", "--follow"}, "--follow does not go with --group"},
		{[]string{"read", "--group", "g/x", "g/s"}, `unexpected argument "g/s": --group reads`},
		{[]string{"read", "--group", "gx"}, `invalid reader group name "gx"`},
		{[]string{"read", "--group", "g/x", "--auto-commit", "-1s"}, "invalid --auto-commit -1s"},
		{[]string{"read", "--group", "g/x", "--limit", "-1"}, "invalid --limit -1"},
		{[]string{"read", "g/s", "--reader", "r"}, "--reader needs --group"},
		{[]string{"read", "g/s", "--auto-commit", "1s"}, "--auto-commit needs --group"},
		{[]string{"read"}, "missing SCOPE/STREAM (or --group SCOPE/GROUP)"},
		{[]string{"stream", "scale", "g/s", "--split", "0", "--merge", "0,1"}, "--split and --merge do not go together"},
		{[]string{"stream", "scale", "g/s"}, "nothing to do: give --split SEGMENT or --merge"},
		{[]string{"stream", "scale", "g/s", "--split", "xyz"}, `invalid --split segment "xyz": 'x' is not a hex digit`},
		{[]string{"stream", "scale", "g/s", "--split", "00000000000000001"}, "more than 16 digits"},
		{[]string{"stream", "scale", "g/s", "--merge", "1"}, "name at least two neighbouring segments"},
		{[]string{"stream", "scale", "g/s", "--merge", "1,1"}, "segment 0000000000000001 is named twice"},
		{[]string{"stream", "scale", "g/s", "--merge", "1,"}, `invalid --merge segment "": empty`},
		{[]string{"stream", "scale", "g/s", "--split", "1", "--parts", "1"}, "invalid --parts 1: want 2 to 16"},
		{[]string{"stream", "scale", "g/s", "--merge", "1,2", "--parts", "3"}, "--parts goes with --split"},
	} {
		r := run(t, "", tc.args...)
		if r.code != 2 || !strings.HasPrefix(r.stderr, "braid: ") || !strings.Contains(r.stderr, tc.want) || !strings.Contains(r.stderr, "--help' for usage.") {
			t.Errorf("braid %s: exit %d, stderr %q; want exit 2 and %q", strings.Join(tc.args, " "), r.code, r.stderr, tc.want)
		}
	}
}
