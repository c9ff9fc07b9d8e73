package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

// TestReadmeTour runs README.md's "A short tour" as a user would, from a
// directory holding ./braid and a copy of the README, and holds the README
// to what the commands print, so that the two cannot drift apart:
//
//   - every line of a ```sh block must exit 0;
//   - every "$ command" of a ```console block must exit 0 and print exactly
//     the lines below it, except that JSON lines are compared as objects,
//     sorted by event pointer (a read interleaves its segments as they
//     answer: only each segment's order is given), "time" and "position"
//     only for being there. Positions depend on the interleaving, so each
//     position the README shows is mapped to the one this run printed on
//     the same line, and replaced in the commands that follow.
//
// The tour names the server's HTTP port as localhost:7471; it is replaced
// by the test server's address, and BRAID_ADDR and BRAID_HTTP name it to
// ./braid.
func TestReadmeTour(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Fatal("the tour needs curl (.ci/run installs it)")
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := tourBlocks(t, string(readme))

	ts := servertest.New(t, server.Config{})
	dir := t.TempDir()
	if err := os.Symlink(bin, filepath.Join(dir, "braid")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "README.md"), readme, 0o644); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "NO_COLOR=1", "BRAID_ADDR="+ts.GRPCAddr(), "BRAID_HTTP="+ts.HTTPAddr())
	positions := map[string]string{} // README's position -> this run's
	run := func(line string) (string, string, error) {
		line = strings.ReplaceAll(line, "localhost:7471", ts.HTTPAddr())
		for from, to := range positions {
			line = strings.ReplaceAll(line, from, to)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, "bash", "-o", "pipefail", "-c", line)
		cmd.Dir, cmd.Env = dir, env
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		return out.String(), errb.String(), err
	}

	var commands int
	for _, b := range blocks {
		for _, c := range b.commands {
			commands++
			out, stderr, err := run(c.line)
			if err != nil {
				t.Fatalf("README line %d: %s\n%v\n%s%s", c.at, c.line, err, out, stderr)
			}
			if b.kind != "console" {
				continue
			}
			got := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if out == "" {
				got = nil
			}
			if len(got) != len(c.want) {
				t.Errorf("README line %d: %s\nprints %d lines, the README shows %d:\n%s", c.at, c.line, len(got), len(c.want), out)
				continue
			}
			recordPositions(c.want, got, positions)
			want := c.want
			if w, g, ok := byPointer(want, got); ok {
				want, got = w, g
			} else if g != nil {
				t.Errorf("README line %d: %s\nevents of one segment out of order:\n%s", c.at, c.line, out)
			}
			for i := range got {
				if msg := sameLine(want[i], got[i]); msg != "" {
					t.Errorf("README line %d: %s\noutput line %d: %s\n got: %s\nwant: %s", c.at, c.line, i+1, msg, got[i], want[i])
				}
			}
		}
	}
	if commands < 10 {
		t.Fatalf("found only %d commands in the tour; is the section still called %q?", commands, tourTitle)
	}
	t.Logf("ran %d commands of the README's tour", commands)
}

const tourTitle = "## A short tour"

// tourBlock is a code block of the tour: kind is its language (sh or
// console).
type tourBlock struct {
	kind     string
	commands []tourCommand
}

// tourCommand is one shell line, what a console block shows below it, and
// the README line it is on.
type tourCommand struct {
	line string
	want []string
	at   int
}

var fence = regexp.MustCompile("^(\\s*)```(\\w*)\\s*$")

// tourBlocks returns the sh and console blocks of the tour section.
func tourBlocks(t *testing.T, readme string) []tourBlock {
	lines := strings.Split(readme, "\n")
	start := -1
	for i, l := range lines {
		if l == tourTitle {
			start = i + 1
		} else if start >= 0 && strings.HasPrefix(l, "## ") {
			lines = lines[:i]
			break
		}
	}
	if start < 0 {
		t.Fatalf("README.md has no %q section", tourTitle)
	}
	var blocks []tourBlock
	for i := start; i < len(lines); i++ {
		m := fence.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		indent, kind := m[1], m[2]
		b := tourBlock{kind: kind}
		var cur *tourCommand
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
			l := strings.TrimPrefix(lines[i], indent)
			switch kind {
			case "sh":
				if cur != nil { // a continued line
					cur.line += "\n" + l
				} else if s := strings.TrimSpace(stripComment(l)); s != "" {
					b.commands = append(b.commands, tourCommand{line: s, at: i + 1})
					cur = &b.commands[len(b.commands)-1]
				}
				if cur != nil && !strings.HasSuffix(strings.TrimSpace(stripComment(l)), "\\") {
					cur.line = stripComment(cur.line)
					cur = nil
				}
			case "console":
				if cmd, ok := strings.CutPrefix(l, "$ "); ok {
					b.commands = append(b.commands, tourCommand{line: cmd, at: i + 1})
				} else if n := len(b.commands); n > 0 {
					b.commands[n-1].want = append(b.commands[n-1].want, l)
				} else {
					t.Fatalf("README line %d: console output before any $ command", i+1)
				}
			}
		}
		if kind == "sh" || kind == "console" {
			blocks = append(blocks, b)
		}
	}
	return blocks
}

// recordPositions maps each "position" the README shows to the one this
// run printed on the same line: the README's text speaks of "the last
// event's position", whichever event a read printed last.
func recordPositions(want, got []string, positions map[string]string) {
	for i := range min(len(want), len(got)) {
		var w, g struct{ Position string }
		if json.Unmarshal([]byte(want[i]), &w) == nil && json.Unmarshal([]byte(got[i]), &g) == nil && w.Position != "" {
			positions[w.Position] = g.Position
		}
	}
}

// byPointer sorts the lines of a read's JSON output, the README's and the
// command's, by their event pointers: a read interleaves the segments as
// they answer, so only each segment's order is given. ok is false when the
// lines are not all events; then g is non-nil if the command's events of
// one segment were out of order.
func byPointer(want, got []string) (w, g []string, ok bool) {
	pointer := func(l string) string {
		var e struct{ Pointer string }
		if json.Unmarshal([]byte(l), &e) != nil {
			return ""
		}
		return e.Pointer
	}
	last := map[string]string{} // segment -> last pointer seen
	for _, l := range got {
		p := pointer(l)
		if p == "" {
			return nil, nil, false
		}
		seg, _, _ := strings.Cut(p, "-")
		if p <= last[seg] {
			return nil, got, false
		}
		last[seg] = p
	}
	for _, l := range want {
		if pointer(l) == "" {
			return nil, nil, false
		}
	}
	sorted := func(ls []string) []string {
		ls = slices.Clone(ls)
		slices.SortFunc(ls, func(a, b string) int { return strings.Compare(pointer(a), pointer(b)) })
		return ls
	}
	return sorted(want), sorted(got), true
}

// comment is a shell comment after a command: a '#' after two spaces.
var comment = regexp.MustCompile(`\s{2,}#.*$`)

func stripComment(l string) string { return comment.ReplaceAllString(l, "") }

// sameLine compares a line the README shows with one the command printed,
// and says how they differ ("" if they do not). JSON objects are compared
// field by field; "time" must be there when the README shows it, and
// "position" too, but their values are this run's.
func sameLine(want, got string) string {
	if !strings.HasPrefix(want, "{") {
		if want != got {
			return "differs"
		}
		return ""
	}
	var w, g map[string]any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		return "the README's line is not JSON: " + err.Error()
	}
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		return "not JSON: " + err.Error()
	}
	for _, k := range []string{"time", "position"} {
		_, inW := w[k]
		_, inG := g[k]
		if inW != inG {
			return "field " + k + ": shown in one and not the other"
		}
	}
	if ts, ok := g["time"].(string); ok {
		if _, err := time.Parse(time.RFC3339Nano, ts); err != nil {
			return "time: " + err.Error()
		}
	}
	delete(w, "time")
	delete(g, "time")
	delete(w, "position")
	delete(g, "position")
	if !reflect.DeepEqual(w, g) {
		return "fields differ"
	}
	return ""
}
