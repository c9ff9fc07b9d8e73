package cli

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// helpPage is one command's --help output, cut into its sections.
type helpPage struct {
	text     string
	sections map[string][]string // "Examples", "Flags", ...: the lines under the title
}

// helpTitle is a section title of cobra's help template: "Usage:",
// "Examples:", "Available Commands:", "Global Flags:"...
var helpTitle = regexp.MustCompile(`^([A-Z][A-Za-z ]*):$`)

func parseHelp(text string) helpPage {
	p := helpPage{text: text, sections: map[string][]string{}}
	title := ""
	for _, line := range strings.Split(text, "\n") {
		if m := helpTitle.FindStringSubmatch(line); m != nil {
			title = m[1]
			p.sections[title] = []string{}
			continue
		}
		if title != "" && strings.TrimSpace(line) != "" {
			p.sections[title] = append(p.sections[title], line)
		}
	}
	return p
}

// subcommand is a line of a command list, "  create      Create a stream"
// (cobra pads the names to the longest, then puts one space).
var subcommand = regexp.MustCompile(`^  (\S+) +(\S.*)$`)

// TestHelp walks every command of the built binary through its --help,
// from the root down through every command list, and checks that each
// command has a one-line summary in its parent's list (starting with a
// capital letter, no trailing period), at least one example under
// "Examples:" that runs it, and the shared flags --addr and --http among
// its flags.
func TestHelp(t *testing.T) {
	type command struct {
		path    []string // after "braid"
		summary string   // as the parent lists it; root: none
	}
	queue := []command{{}}
	seen := 0
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		seen++
		name := strings.Join(append([]string{"braid"}, c.path...), " ")
		res := braid(t, "", append(slices.Clone(c.path), "--help")...)
		if res.code != 0 || res.stderr != "" {
			t.Errorf("%s --help: exit %d, stderr %q", name, res.code, res.stderr)
			continue
		}
		p := parseHelp(res.stdout)
		var problems []string

		if c.path != nil {
			problems = append(problems, summaryProblems(c.summary)...)
		}

		examples := p.sections["Examples"]
		if len(examples) == 0 {
			problems = append(problems, `no examples ("Examples:" missing or empty)`)
		} else if !slices.ContainsFunc(examples, func(l string) bool { return strings.Contains(l+" ", name+" ") }) {
			problems = append(problems, fmt.Sprintf("no example runs %q", name))
		}

		flags := append(slices.Clone(p.sections["Flags"]), p.sections["Global Flags"]...)
		for _, f := range []string{"--addr", "--http"} {
			if !slices.ContainsFunc(flags, func(l string) bool { return strings.Contains(l, f+" ") }) {
				problems = append(problems, f+" is not under Flags or Global Flags")
			}
		}

		for title, lines := range p.sections {
			if !strings.HasSuffix(title, "Commands") {
				continue
			}
			for _, l := range lines {
				m := subcommand.FindStringSubmatch(l)
				if m == nil {
					problems = append(problems, fmt.Sprintf("a line of %s that is not \"name  summary\" (a summary over more than one line?): %q", title, l))
					continue
				}
				queue = append(queue, command{path: append(slices.Clone(c.path), m[1]), summary: m[2]})
			}
		}
		if len(problems) > 0 {
			t.Errorf("%s:\n  %s", name, strings.Join(problems, "\n  "))
		}
	}
	if seen < 10 {
		t.Fatalf("walked only %d commands: the command lists were not found in the help", seen)
	}
	t.Logf("walked %d commands", seen)
}

// summaryProblems checks a command's one-line summary (its Short) against
// the style of the others: a capital letter first, no period at the end.
func summaryProblems(s string) []string {
	var out []string
	switch {
	case s == "":
		return []string{"no summary"}
	case !unicode.IsUpper([]rune(s)[0]):
		out = append(out, fmt.Sprintf("summary %q does not start with a capital letter", s))
	}
	if strings.HasSuffix(strings.TrimSpace(s), ".") {
		out = append(out, fmt.Sprintf("summary %q ends with a period", s))
	}
	if s != strings.TrimSpace(s) {
		out = append(out, fmt.Sprintf("summary %q has trailing space", s))
	}
	return out
}

// TestHelpChecks: the checks of TestHelp catch what they are for, on
// help text made up for the purpose.
func TestHelpChecks(t *testing.T) {
	for s, want := range map[string]int{
		"Create a stream":   0,
		"":                  1,
		"create a stream":   1,
		"Create a stream.":  1,
		"create a stream. ": 3,
		"Print one event, found by its event pointer": 0,
	} {
		if got := summaryProblems(s); len(got) != want {
			t.Errorf("summary %q: problems %q, want %d", s, got, want)
		}
	}
	p := parseHelp("Long text.\n\nUsage:\n  braid x [flags]\n\nAvailable Commands:\n  a           First\n  b           Second line one\nsecond line two\n\nFlags:\n  -h, --help   help for x\n")
	if len(p.sections["Examples"]) != 0 || len(p.sections["Flags"]) != 1 {
		t.Errorf("sections %q", p.sections)
	}
	cmds := p.sections["Available Commands"]
	if len(cmds) != 3 || !subcommand.MatchString(cmds[0]) || subcommand.MatchString(cmds[2]) {
		t.Errorf("command list %q: want a and b matched, the continuation line not", cmds)
	}
}
