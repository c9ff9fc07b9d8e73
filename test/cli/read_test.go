package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

// readLine is one line of braid read --format json.
type readLine struct {
	Segment string
	Offset  int64
	Time    *string
	Data    string
}

// readJSON runs braid read --format json with args and decodes its lines.
func readJSON(t *testing.T, args ...string) []readLine {
	t.Helper()
	res := braid(t, "", append([]string{"read", "--format", "json"}, args...)...)
	if res.code != 0 {
		t.Fatalf("read %s: exit %d\n%s", strings.Join(args, " "), res.code, res.stderr)
	}
	var out []readLine
	for line := range strings.SplitSeq(strings.TrimSpace(res.stdout), "\n") {
		if line == "" {
			continue
		}
		var l readLine
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatalf("read %s: line %q: %v", strings.Join(args, " "), line, err)
		}
		out = append(out, l)
	}
	return out
}

// bySegment groups lines by segment, each segment's in order.
func bySegment(lines []readLine) map[string][]string {
	m := map[string][]string{}
	for _, l := range lines {
		m[l.Segment] = append(m[l.Segment], l.Data)
	}
	return m
}

// TestReadFromLast: --from -3 (and --from=-3) on a 2-segment stream
// prints the last 3 events of each segment; a bad -N is a usage error
// naming it.
func TestReadFromLast(t *testing.T) {
	ts := servertest.New(t, server.Config{})
	addr := "--addr=" + ts.GRPCAddr()
	if res := braid(t, "", "stream", "create", "demo/last", "--segments", "2", addr); res.code != 0 {
		t.Fatal(res.stderr)
	}
	var in strings.Builder
	for i := range 40 {
		in.WriteString(strings.Repeat("x", i%5) + "line-" + string(rune('a'+i%26)) + "\n")
	}
	if res := braid(t, in.String(), "write", "demo/last", addr); res.code != 0 {
		t.Fatal(res.stderr)
	}
	all := bySegment(readJSON(t, "demo/last", addr))
	if len(all) != 2 {
		t.Fatalf("the events went to %d segments, want 2: %v", len(all), all)
	}
	for _, from := range [][]string{{"--from", "-3"}, {"--from=-3"}} {
		got := bySegment(readJSON(t, append([]string{"demo/last", addr}, from...)...))
		for seg, evs := range all {
			if want := evs[max(len(evs)-3, 0):]; !slices.Equal(got[seg], want) {
				t.Errorf("read %s: segment %s: %q, want its last 3 %q", strings.Join(from, " "), seg, got[seg], want)
			}
		}
		if len(got) != len(all) {
			t.Errorf("read %s: segments %v, want %d", strings.Join(from, " "), got, len(all))
		}
	}
	for _, bad := range []string{"-0", "-x", "-5m", "-100001"} {
		res := braid(t, "", "read", "demo/last", "--from", bad, addr)
		if res.code != 2 || !strings.Contains(res.stderr, `invalid --from "`+bad+`"`) {
			t.Errorf("read --from %s: exit %d, want 2 naming it\n%s", bad, res.code, res.stderr)
		}
	}
}

// TestReadJSONTime: --format json gives fresh events their append time,
// RFC 3339 in UTC.
func TestReadJSONTime(t *testing.T) {
	ts := servertest.New(t, server.Config{})
	addr := "--addr=" + ts.GRPCAddr()
	if res := braid(t, "", "stream", "create", "demo/times", addr); res.code != 0 {
		t.Fatal(res.stderr)
	}
	before := time.Now()
	if res := braid(t, "a\nb\nc\n", "write", "demo/times", addr); res.code != 0 {
		t.Fatal(res.stderr)
	}
	after := time.Now()
	lines := readJSON(t, "demo/times", addr)
	if len(lines) != 3 {
		t.Fatalf("read %d events, want 3", len(lines))
	}
	for _, l := range lines {
		if l.Time == nil {
			t.Fatalf("event %q has no time", l.Data)
		}
		at, err := time.Parse(time.RFC3339Nano, *l.Time)
		if err != nil || !strings.HasSuffix(*l.Time, "Z") || at.Before(before) || at.After(after) {
			t.Errorf("event %q: time %q (%v), want RFC 3339 in UTC between %v and %v", l.Data, *l.Time, err, before, after)
		}
	}
}

// TestReadFollowDeleted: a stream deleted under read --follow ends it with
// exit 1 and a message that the stream was deleted.
func TestReadFollowDeleted(t *testing.T) {
	ts := servertest.New(t, server.Config{})
	addr := "--addr=" + ts.GRPCAddr()
	if res := braid(t, "", "stream", "create", "demo/gone", "--segments", "2", addr); res.code != 0 {
		t.Fatal(res.stderr)
	}
	if res := braid(t, "first\n", "write", "demo/gone", addr); res.code != 0 {
		t.Fatal(res.stderr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "read", "demo/gone", "--follow", addr)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The reader follows once it printed the event there is.
	out := bufio.NewScanner(stdout)
	if !out.Scan() || out.Text() != "first" {
		t.Fatalf("read --follow printed %q first, want %q (%v)\n%s", out.Text(), "first", out.Err(), stderr.String())
	}
	if res := braid(t, "", "stream", "delete", "demo/gone", addr); res.code != 0 {
		t.Fatal(res.stderr)
	}
	for out.Scan() {
		t.Errorf("read --follow printed %q after the delete", out.Text())
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("read --follow after the delete: %v, want exit 1\n%s", err, stderr.String())
	}
	if want := "read demo/gone: stream demo/gone was deleted"; !strings.Contains(stderr.String(), want) || strings.Contains(stderr.String(), "segment not found") {
		t.Errorf("read --follow after the delete said %q, want %q", stderr.String(), want)
	}
}
