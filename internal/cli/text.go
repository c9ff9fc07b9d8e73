package cli

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// textPrinter writes events for --format text: each event's bytes, then a
// newline unless they already end with one. So events written line by line
// (braid write, which strips each line's newline) and events uploaded with
// their newline (braid upload --split lines, which keeps the bytes exact)
// both read back as the lines they were.
//
// On a terminal, an event that is not text (not UTF-8, or with control
// characters other than tab, newline and carriage return) is shown quoted
// with Go escapes instead of raw bytes, and a note on stderr says so once.
type textPrinter struct {
	out      *bufio.Writer
	terminal bool
	note     io.Writer
	noted    bool
}

func (p *textPrinter) print(data []byte) error {
	if p.terminal && !isText(data) {
		if !p.noted {
			p.noted = true
			fmt.Fprintln(p.note, "braid: events that are not text are shown quoted, with escapes; redirect to a file for their bytes, or use --format json")
		}
		if _, err := p.out.WriteString(strconv.Quote(string(data))); err != nil {
			return err
		}
		return p.out.WriteByte('\n')
	}
	if _, err := p.out.Write(data); err != nil {
		return err
	}
	if len(data) > 0 && data[len(data)-1] == '\n' {
		return nil
	}
	return p.out.WriteByte('\n')
}

// isText reports whether data is UTF-8 without control characters other
// than tab, newline and carriage return.
func isText(data []byte) bool {
	if !utf8.Valid(data) {
		return false
	}
	for _, r := range string(data) {
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' {
			return false
		}
	}
	return true
}
