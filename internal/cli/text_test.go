package cli

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
)

// TestTextPrinter: a newline is added unless the event ends with one; on a
// terminal, events that are not text are quoted, with one note.
func TestTextPrinter(t *testing.T) {
	for _, terminal := range []bool{false, true} {
		var out, note bytes.Buffer
		w := bufio.NewWriter(&out)
		p := &textPrinter{out: w, terminal: terminal, note: &note}
		for _, ev := range []string{"plain", "line\n", "\x00\x01bin\xff", "more\x1b[2J", "tab\there"} {
			if err := p.print([]byte(ev)); err != nil {
				t.Fatal(err)
			}
		}
		w.Flush()
		want := "plain\nline\n\x00\x01bin\xff\nmore\x1b[2J\ntab\there\n"
		if terminal {
			want = "plain\nline\n\"\\x00\\x01bin\\xff\"\n\"more\\x1b[2J\"\ntab\there\n"
		}
		if out.String() != want {
			t.Errorf("terminal %v: %q, want %q", terminal, out.String(), want)
		}
		if n := strings.Count(note.String(), "\n"); n != map[bool]int{false: 0, true: 1}[terminal] {
			t.Errorf("terminal %v: notes %q", terminal, note.String())
		}
	}
}
