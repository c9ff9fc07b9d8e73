package engine

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// The scanner reads an event's JSON object in one pass. It validates the
// whole text (RFC 8259, with encoding/json's tolerance of invalid UTF-8 in
// strings, which reads as U+FFFD) but decodes only the referenced fields,
// skipping everything else without allocating. Duplicate keys: the last
// one wins. Numbers beyond float64's range read as NULL.

// maxDepth bounds the nesting of arrays and objects, as encoding/json does.
const maxDepth = 10000

// member is a top-level member of the object, kept for SELECT * with
// other items.
type member struct {
	key string
	raw []byte // from the key's opening quote to the value's end
}

type scanner struct {
	data  []byte
	pos   int
	depth int
	row   *row
	// keepMembers: record the top-level members in members.
	keepMembers bool
	members     []member
}

type scanError struct {
	pos int
	msg string
}

func (e *scanError) Error() string { return "at byte " + strconv.Itoa(e.pos) + ": " + e.msg }

var errNotObject = errors.New("not a JSON object")

// scan reads data, which must be one JSON object, setting r's fields.
func (s *scanner) scan(data []byte, root *pathNode, r *row) error {
	s.data, s.pos, s.depth, s.row = data, 0, 0, r
	s.members = s.members[:0]
	s.ws()
	if s.pos >= len(s.data) {
		return &scanError{s.pos, "no JSON value"}
	}
	if s.data[s.pos] != '{' {
		if err := s.skipValue(); err != nil {
			return err
		}
		return errNotObject
	}
	if err := s.object(root, s.keepMembers); err != nil {
		return err
	}
	s.ws()
	if s.pos != len(s.data) {
		return s.fail("text after the JSON object")
	}
	return nil
}

func (s *scanner) fail(msg string) error { return &scanError{s.pos, msg} }

func (s *scanner) unexpected(what string) error {
	if s.pos >= len(s.data) {
		return s.fail("unexpected end, want " + what)
	}
	return s.fail("unexpected " + strconv.QuoteRune(rune(s.data[s.pos])) + ", want " + what)
}

func (s *scanner) ws() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// object reads an object at s.pos; node (nil: nothing wanted inside)
// says which members to decode.
func (s *scanner) object(node *pathNode, top bool) error {
	s.depth++
	if s.depth > maxDepth {
		return s.fail("nested too deeply")
	}
	s.pos++ // '{'
	s.ws()
	if s.pos < len(s.data) && s.data[s.pos] == '}' {
		s.pos++
		s.depth--
		return nil
	}
	for {
		if s.pos >= len(s.data) || s.data[s.pos] != '"' {
			return s.unexpected("a member name")
		}
		keyStart := s.pos
		raw, esc, err := s.str()
		if err != nil {
			return err
		}
		s.ws()
		if s.pos >= len(s.data) || s.data[s.pos] != ':' {
			return s.unexpected("':'")
		}
		s.pos++
		s.ws()
		var child *pathNode
		if node != nil && node.children != nil {
			if esc {
				child = node.children[unescape(raw)]
			} else {
				child = node.children[string(raw)]
			}
		}
		if child != nil {
			// A repeated key replaces the earlier value whole: forget
			// what was read below it.
			for _, id := range child.below {
				s.row.seen[id] = 0
			}
			err = s.wanted(child)
		} else {
			err = s.skipValue()
		}
		if err != nil {
			return err
		}
		if top {
			key := string(raw)
			if esc {
				key = unescape(raw)
			}
			s.members = append(s.members, member{key: key, raw: s.data[keyStart:s.pos]})
		}
		s.ws()
		if s.pos >= len(s.data) {
			return s.unexpected("',' or '}'")
		}
		switch s.data[s.pos] {
		case ',':
			s.pos++
			s.ws()
		case '}':
			s.pos++
			s.depth--
			return nil
		default:
			return s.unexpected("',' or '}'")
		}
	}
}

// wanted reads a value some referenced path reaches.
func (s *scanner) wanted(n *pathNode) error {
	if s.pos >= len(s.data) {
		return s.unexpected("a value")
	}
	start := s.pos
	switch c := s.data[s.pos]; {
	case c == '{':
		if err := s.object(n, false); err != nil {
			return err
		}
		if n.id >= 0 {
			s.row.set(n.id, value{k: kRaw, s: string(s.data[start:s.pos])})
		}
		return nil
	case c == '[':
		if err := s.skipValue(); err != nil {
			return err
		}
		if n.id >= 0 {
			s.row.set(n.id, value{k: kRaw, s: string(s.data[start:s.pos])})
		}
		return nil
	case n.id < 0:
		return s.skipValue()
	case c == '"':
		raw, esc, err := s.str()
		if err != nil {
			return err
		}
		if esc {
			s.row.set(n.id, strVal(unescape(raw)))
		} else {
			s.row.set(n.id, strVal(validUTF8(raw)))
		}
		return nil
	case c == 't':
		if err := s.lit("true"); err != nil {
			return err
		}
		s.row.set(n.id, boolVal(true))
		return nil
	case c == 'f':
		if err := s.lit("false"); err != nil {
			return err
		}
		s.row.set(n.id, boolVal(false))
		return nil
	case c == 'n':
		if err := s.lit("null"); err != nil {
			return err
		}
		s.row.set(n.id, null)
		return nil
	default:
		f, err := s.number(true)
		if err != nil {
			return err
		}
		s.row.set(n.id, numVal(f))
		return nil
	}
}

// skipValue validates and passes over one value.
func (s *scanner) skipValue() error {
	if s.pos >= len(s.data) {
		return s.unexpected("a value")
	}
	switch s.data[s.pos] {
	case '{':
		return s.object(nil, false)
	case '[':
		s.depth++
		if s.depth > maxDepth {
			return s.fail("nested too deeply")
		}
		s.pos++
		s.ws()
		if s.pos < len(s.data) && s.data[s.pos] == ']' {
			s.pos++
			s.depth--
			return nil
		}
		for {
			if err := s.skipValue(); err != nil {
				return err
			}
			s.ws()
			if s.pos >= len(s.data) {
				return s.unexpected("',' or ']'")
			}
			switch s.data[s.pos] {
			case ',':
				s.pos++
				s.ws()
			case ']':
				s.pos++
				s.depth--
				return nil
			default:
				return s.unexpected("',' or ']'")
			}
		}
	case '"':
		_, _, err := s.str()
		return err
	case 't':
		return s.lit("true")
	case 'f':
		return s.lit("false")
	case 'n':
		return s.lit("null")
	default:
		_, err := s.number(false)
		return err
	}
}

func (s *scanner) lit(word string) error {
	if len(s.data)-s.pos < len(word) || string(s.data[s.pos:s.pos+len(word)]) != word {
		return s.unexpected("a value")
	}
	s.pos += len(word)
	return nil
}

// str reads a string at s.pos and returns its raw contents (between the
// quotes) and whether it has escapes.
func (s *scanner) str() (raw []byte, esc bool, err error) {
	s.pos++ // '"'
	start := s.pos
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		switch {
		case c == '"':
			raw = s.data[start:s.pos]
			s.pos++
			return raw, esc, nil
		case c == '\\':
			esc = true
			s.pos++
			if s.pos >= len(s.data) {
				return nil, false, s.unexpected("an escape")
			}
			switch s.data[s.pos] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.pos++
			case 'u':
				s.pos++
				for i := 0; i < 4; i++ {
					if s.pos >= len(s.data) || unhex(s.data[s.pos]) < 0 {
						return nil, false, s.unexpected("a hex digit")
					}
					s.pos++
				}
			default:
				return nil, false, s.fail("invalid escape")
			}
		case c < 0x20:
			return nil, false, s.fail("control character in string")
		default:
			s.pos++
		}
	}
	return nil, false, s.unexpected("'\"'")
}

// number reads a number; with decode, also its value.
func (s *scanner) number(decode bool) (float64, error) {
	start := s.pos
	d := s.data
	i := s.pos
	if i < len(d) && d[i] == '-' {
		i++
	}
	if i >= len(d) {
		s.pos = i
		return 0, s.unexpected("a value")
	}
	var mant uint64
	digits := 0
	switch {
	case d[i] == '0':
		i++
		digits = 1
	case d[i] >= '1' && d[i] <= '9':
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			mant = mant*10 + uint64(d[i]-'0')
			digits++
			i++
		}
	default:
		s.pos = i
		return 0, s.unexpected("a value")
	}
	simple := true // no exponent, at most 15 significant digits
	frac := 0
	if i < len(d) && d[i] == '.' {
		i++
		n := i
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			mant = mant*10 + uint64(d[i]-'0')
			digits++
			i++
		}
		if i == n {
			s.pos = i
			return 0, s.unexpected("a digit")
		}
		frac = i - n
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		simple = false
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		n := i
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
		if i == n {
			s.pos = i
			return 0, s.unexpected("a digit")
		}
	}
	s.pos = i
	if !decode {
		return 0, nil
	}
	if simple && digits <= 15 {
		// Exact: the mantissa and the power of ten are both exact
		// doubles, so one division rounds correctly.
		f := float64(mant) / pow10[frac]
		if d[start] == '-' {
			f = -f
		}
		return f, nil
	}
	// Out of range gives an infinity and an error: the value reads as
	// NULL (numVal drops infinities).
	f, _ := strconv.ParseFloat(string(d[start:i]), 64)
	return f, nil
}

var pow10 = [16]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// validUTF8 is raw (without escapes) as a string, each byte of invalid
// UTF-8 replaced by U+FFFD, as encoding/json does.
func validUTF8(raw []byte) string {
	for _, c := range raw {
		if c >= 0x80 {
			if utf8.Valid(raw) {
				return string(raw)
			}
			return unescape(raw)
		}
	}
	return string(raw)
}

// unescape decodes a string's raw contents, already validated by str.
func unescape(raw []byte) string {
	var b strings.Builder
	b.Grow(len(raw))
	for i := 0; i < len(raw); {
		c := raw[i]
		if c != '\\' {
			if c < 0x80 {
				b.WriteByte(c)
				i++
				continue
			}
			r, size := utf8.DecodeRune(raw[i:])
			b.WriteRune(r) // RuneError for invalid bytes: U+FFFD
			i += size
			continue
		}
		i++
		switch raw[i] {
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r := hex4(raw[i+1:])
			i += 4
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if i+6 < len(raw) && raw[i+1] == '\\' && raw[i+2] == 'u' {
					r2 = hex4(raw[i+3:])
				}
				if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
					r = dec
					i += 6
				} else {
					r = utf8.RuneError
				}
			}
			b.WriteRune(r)
		default: // " \ /
			b.WriteByte(raw[i])
		}
		i++
	}
	return b.String()
}

func hex4(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		r = r<<4 | rune(unhex(c))
	}
	return r
}
