package sql

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// tokenKind says what a token is.
type tokenKind int

const (
	tEOF    tokenKind = iota
	tWord             // a bare word: keyword or identifier (text as written)
	tQuoted           // a double-quoted identifier (text unescaped)
	tString           // a single-quoted string (text unescaped)
	tNumber           // a number (text as written, num its value)
	tSymbol           // an operator or punctuation (text the symbol)
)

// token is one lexical token.
type token struct {
	kind tokenKind
	text string
	num  float64
	off  int // byte offset of its first byte
	end  int // byte offset just past it
	pos  Pos
}

// lexer turns query text into tokens on demand, so that the parser can
// rescan part of the text in another mode (stream names in FROM).
type lexer struct {
	src        string
	off        int
	lineStarts []int // byte offset of the first byte of each line
	prev       tokenKind
	prevText   string
	lastEnd    int // end of the last token scanned
}

func newLexer(src string) *lexer {
	l := &lexer{src: src, lineStarts: []int{0}, prev: tEOF}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			l.lineStarts = append(l.lineStarts, i+1)
		}
	}
	// A leading byte order mark is not part of the query.
	if strings.HasPrefix(src, "\uFEFF") {
		l.off = 3
		l.lastEnd = 3
	}
	return l
}

// posAt returns the line and column of byte offset off.
func (l *lexer) posAt(off int) Pos {
	i := sort.Search(len(l.lineStarts), func(i int) bool { return l.lineStarts[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	return Pos{Line: i + 1, Col: off - l.lineStarts[i] + 1}
}

// fail stops the parse with an error at byte offset off.
func (l *lexer) fail(off int, format string, args ...any) {
	panic(bailout{&Error{Pos: l.posAt(off), Msg: fmt.Sprintf(format, args...)}})
}

// skipSpace skips white space and comments.
func (l *lexer) skipSpace() {
	for l.off < len(l.src) {
		c := l.src[l.off]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			l.off++
		case c == '-' && l.off+1 < len(l.src) && l.src[l.off+1] == '-':
			i := strings.IndexByte(l.src[l.off:], '\n')
			if i < 0 {
				l.off = len(l.src)
			} else {
				l.off += i + 1
			}
		case c == '/' && l.off+1 < len(l.src) && l.src[l.off+1] == '*':
			i := strings.Index(l.src[l.off+2:], "*/")
			if i < 0 {
				l.fail(l.off, "unterminated /* comment: no */ closes it")
			}
			l.off += 2 + i + 2
		default:
			return
		}
	}
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isWordByte(c byte) bool {
	return isLetter(c) || isDigit(c) || c == '_'
}

// next scans the next token.
func (l *lexer) next() token {
	l.skipSpace()
	if l.off >= len(l.src) {
		t := token{kind: tEOF, off: l.lastEnd, end: l.lastEnd, pos: l.posAt(l.lastEnd)}
		l.prev = tEOF
		return t
	}
	start := l.off
	c := l.src[start]
	var t token
	switch {
	case isLetter(c) || c == '_':
		i := start + 1
		for i < len(l.src) && isWordByte(l.src[i]) {
			i++
		}
		t = token{kind: tWord, text: l.src[start:i]}
		l.off = i
	case isDigit(c) || c == '.' && start+1 < len(l.src) && isDigit(l.src[start+1]) && !l.afterOperand():
		t = l.number(start)
	case c == '"':
		t = token{kind: tQuoted, text: l.quoted(start, '"')}
		if t.text == "" {
			l.fail(start, "empty quoted identifier \"\": a name needs at least one character")
		}
	case c == '\'':
		t = token{kind: tString, text: l.quoted(start, '\'')}
	default:
		t = token{kind: tSymbol, text: l.symbol(start)}
	}
	t.off, t.end, t.pos = start, l.off, l.posAt(start)
	l.prev, l.prevText = t.kind, t.text
	l.lastEnd = l.off
	return t
}

// afterOperand reports whether the previous token ends an operand, so
// that a '.' after it is a path separator and not a number's start.
func (l *lexer) afterOperand() bool {
	switch l.prev {
	case tWord, tQuoted, tString, tNumber:
		return true
	case tSymbol:
		return l.prevText == ")"
	}
	return false
}

// number scans digits [. digits] [e [+-] digits], or . digits.
func (l *lexer) number(start int) token {
	i := start
	for i < len(l.src) && isDigit(l.src[i]) {
		i++
	}
	if i < len(l.src) && l.src[i] == '.' {
		i++
		for i < len(l.src) && isDigit(l.src[i]) {
			i++
		}
	}
	if i < len(l.src) && (l.src[i] == 'e' || l.src[i] == 'E') {
		j := i + 1
		if j < len(l.src) && (l.src[j] == '+' || l.src[j] == '-') {
			j++
		}
		if j < len(l.src) && isDigit(l.src[j]) {
			for j < len(l.src) && isDigit(l.src[j]) {
				j++
			}
			i = j
		}
	}
	if i < len(l.src) && (isWordByte(l.src[i]) || l.src[i] == '.') {
		j := i
		for j < len(l.src) && (isWordByte(l.src[j]) || l.src[j] == '.') {
			j++
		}
		l.fail(start, "invalid number %s (a number is digits with an optional fraction and exponent, e.g. 12, 1.5, 2e-3)", clip(l.src[start:j]))
	}
	text := l.src[start:i]
	v, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(v, 0) {
		l.fail(start, "number %s is out of range (a number is a 64-bit float)", clip(text))
	}
	l.off = i
	return token{kind: tNumber, text: text, num: v}
}

// quoted scans a string or quoted identifier opened by q at start; a
// doubled q stands for one.
func (l *lexer) quoted(start int, q byte) string {
	var b strings.Builder
	i := start + 1
	for {
		j := strings.IndexByte(l.src[i:], q)
		if j < 0 {
			if q == '"' {
				l.fail(start, "unterminated quoted identifier: no \" closes it")
			}
			l.fail(start, "unterminated string: no ' closes it (write '' for a quote inside a string)")
		}
		b.WriteString(l.src[i : i+j])
		i += j + 1
		if i < len(l.src) && l.src[i] == q {
			b.WriteByte(q)
			i++
			continue
		}
		l.off = i
		return b.String()
	}
}

// symbols are the operators and punctuation, two-byte ones first.
var symbols = []string{"||", "<>", "!=", "<=", ">=", "(", ")", ",", ".", ";", "*", "+", "-", "/", "%", "=", "<", ">"}

func (l *lexer) symbol(start int) string {
	rest := l.src[start:]
	for _, s := range symbols {
		if strings.HasPrefix(rest, s) {
			l.off = start + len(s)
			return s
		}
	}
	c := rest[0]
	switch {
	case c == '!':
		l.fail(start, "unexpected character '!' (use <> or != for not equal, NOT for negation)")
	case c == '|':
		l.fail(start, "unexpected character '|' (use || to join strings)")
	case c == '`':
		l.fail(start, "unexpected character '`' (quote odd field names with double quotes: \"my field\")")
	case c >= utf8.RuneSelf:
		r, n := utf8.DecodeRuneInString(rest)
		if r == utf8.RuneError && n <= 1 {
			l.fail(start, "invalid UTF-8 byte 0x%02x", c)
		}
		l.fail(start, "unexpected character %q (quote field names with other characters: \"%s\")", r, string(r))
	case c < ' ' || c == 0x7f:
		l.fail(start, "unexpected control character 0x%02x", c)
	}
	l.fail(start, "unexpected character %q", rune(c))
	return ""
}

// clip shortens s for an error message.
func clip(s string) string {
	const max = 40
	if len(s) <= max {
		return s
	}
	n := max
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}

// bailout carries an error up the parser's recursion to Parse.
type bailout struct{ err *Error }
