package sql

import (
	"fmt"
	"strings"
	"time"
)

// Limits of the language; an error names the one a query passes.
const (
	// MaxQueryBytes bounds a query's text (64 KiB). It also bounds the
	// text of each expression as String prints it (BETWEEN and CASE x
	// WHEN repeat their subject).
	MaxQueryBytes = 64 << 10
	// MaxDepth bounds how deeply expressions nest: the height of an
	// expression's tree (each operator of a chain such as a + b + c
	// counts; parentheses that change nothing do not). Parentheses,
	// operators and calls nest at most 2*MaxDepth deep in the text.
	MaxDepth = 100
	// MaxSelectItems bounds the SELECT list.
	MaxSelectItems = 256
	// MaxInList bounds the values of an IN list.
	MaxInList = 1000
	// MaxWindowDuration bounds window sizes, slides, session gaps and
	// maximums, EMIT EVERY and the durations of WITH.
	MaxWindowDuration = 366 * 24 * time.Hour
	// MaxHopWindows bounds the windows of a HOP each event is in
	// (size / slide).
	MaxHopWindows = 100
	// MaxCountWindow bounds COUNT_WINDOW's n.
	MaxCountWindow = 1_000_000_000
	// MinEmitEvery is the shortest EMIT EVERY.
	MinEmitEvery = 100 * time.Millisecond
	// MaxMaxGroups bounds the max_groups option.
	MaxMaxGroups = 10_000_000
	// MaxNameLen bounds a scope or stream name in a query.
	MaxNameLen = 64
)

// Parse parses and checks a query, and fills the defaults of the options
// it does not set (see DefaultOptions). A bad query gets an *Error: the
// line and column of the offending token and what was wrong.
func Parse(text string) (q *Query, err error) {
	if len(text) > MaxQueryBytes {
		return nil, &Error{Pos: newLexer(text).posAt(MaxQueryBytes),
			Msg: fmt.Sprintf("the query is %d bytes long; at most %d (64 KiB) are allowed", len(text), MaxQueryBytes)}
	}
	defer catch(&err)
	p := newParser(text)
	q = p.query()
	p.check(q)
	return q, nil
}

// ParseExpr parses one expression, as String prints it. It checks
// syntax, function names and arities and the limits, not what Parse
// checks of a whole query (aggregates, grouping, types).
func ParseExpr(text string) (e Expr, err error) {
	if len(text) > MaxQueryBytes {
		return nil, &Error{Pos: newLexer(text).posAt(MaxQueryBytes),
			Msg: fmt.Sprintf("the expression is %d bytes long; at most %d (64 KiB) are allowed", len(text), MaxQueryBytes)}
	}
	defer catch(&err)
	p := newParser(text)
	if p.tok.kind == tEOF {
		p.failf(p.tok.pos, "expected an expression, found end of text")
	}
	e = p.topExpr()
	if p.tok.kind != tEOF {
		p.failf(p.tok.pos, "expected an operator or end of text after the expression, found %s", describe(p.tok))
	}
	return e, nil
}

// catch turns a bailout into the error it carries; other panics go on.
func catch(err *error) {
	if r := recover(); r != nil {
		b, ok := r.(bailout)
		if !ok {
			panic(r)
		}
		*err = b.err
	}
}

// parser is a recursive-descent parser over a lexer, one token ahead.
type parser struct {
	lx    *lexer
	tok   token // the current token
	prev  token // the one before, for "after X" in messages
	depth int   // nesting of the expression being parsed

	// Places the checks refer to.
	groupPos, emitPos Pos
	hasGroup, hasEmit bool
	optPos            map[string]Pos // the values of the options set
}

func newParser(text string) *parser {
	p := &parser{lx: newLexer(text), optPos: map[string]Pos{}}
	p.prev = token{kind: tEOF}
	p.tok = p.lx.next()
	return p
}

func (p *parser) next() {
	p.prev = p.tok
	p.tok = p.lx.next()
}

// peek returns the token after the current one without moving.
func (p *parser) peek() token {
	l := p.lx
	off, prev, prevText, lastEnd := l.off, l.prev, l.prevText, l.lastEnd
	t := l.next()
	l.off, l.prev, l.prevText, l.lastEnd = off, prev, prevText, lastEnd
	return t
}

func (p *parser) failf(pos Pos, format string, args ...any) {
	panic(bailout{&Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}})
}

// failExpected stops at the current token: expected what, found it.
func (p *parser) failExpected(what string) {
	msg := fmt.Sprintf("expected %s, found %s", what, describe(p.tok))
	if p.tok.kind == tWord && isReserved(p.tok.text) && strings.Contains(what, "name") {
		msg += fmt.Sprintf(" (%s is a keyword: quote it, \"%s\", to use it as a name)", strings.ToUpper(p.tok.text), p.tok.text)
	}
	p.failf(p.tok.pos, "%s", msg)
}

func (p *parser) isKw(kw string) bool {
	return p.tok.kind == tWord && strings.EqualFold(p.tok.text, kw)
}

func (p *parser) acceptKw(kw string) bool {
	if p.isKw(kw) {
		p.next()
		return true
	}
	return false
}

func (p *parser) isSym(s string) bool { return p.tok.kind == tSymbol && p.tok.text == s }

func (p *parser) acceptSym(s string) bool {
	if p.isSym(s) {
		p.next()
		return true
	}
	return false
}

// reserved are the words that cannot be bare field names.
var reserved = map[string]bool{
	"SELECT": true, "FROM": true, "WHERE": true, "GROUP": true, "BY": true, "HAVING": true,
	"EMIT": true, "WITH": true, "AS": true, "AND": true, "OR": true, "NOT": true, "IS": true,
	"NULL": true, "IN": true, "LIKE": true, "BETWEEN": true, "CASE": true, "WHEN": true,
	"THEN": true, "ELSE": true, "END": true, "CAST": true, "TRUE": true, "FALSE": true,
	"INTERVAL": true, "DISTINCT": true,
	// Names of the query's own values.
	"_TIME": true, "WINDOW_START": true, "WINDOW_END": true,
}

// isReserved reports whether word (any case) is reserved.
func isReserved(word string) bool { return reserved[strings.ToUpper(word)] }

// describe names a token for an error message.
func describe(t token) string {
	switch t.kind {
	case tEOF:
		return "end of query"
	case tWord:
		if isReserved(t.text) {
			return strings.ToUpper(t.text)
		}
		return clip(t.text)
	case tQuoted:
		return `"` + clip(t.text) + `"`
	case tString:
		return "the string " + quoteString(clip(t.text))
	case tNumber:
		return clip(t.text)
	}
	return "'" + t.text + "'"
}

// describeAfter names the token before the current one, for "after X".
func (p *parser) describeAfter() string {
	if p.prev.kind == tEOF {
		return ""
	}
	return " after " + describe(p.prev)
}

// query parses a whole query.
func (p *parser) query() *Query {
	q := &Query{}
	if p.tok.kind == tEOF {
		p.failf(p.tok.pos, "the query is empty: expected SELECT ... FROM scope.stream")
	}
	if !p.isKw("SELECT") {
		p.failf(p.tok.pos, "expected SELECT at the start of the query, found %s", describe(p.tok))
	}
	p.next()
	if p.isKw("DISTINCT") {
		p.failf(p.tok.pos, "SELECT DISTINCT is not supported: group with GROUP BY and a window instead")
	}
	p.selectList(q)
	if !p.isKw("FROM") {
		p.failExpected("',' or FROM after the select item")
	}
	// The stream's name is scanned from the text after FROM, not as
	// tokens: braid names may hold '-' and start with a digit.
	p.prev = p.tok
	q.From = p.from()

	stage := 0 // the clauses parsed: 1 WHERE, 2 GROUP BY, 3 HAVING, 4 EMIT, 5 WITH
	if p.acceptKw("WHERE") {
		q.Where = p.topExpr()
		stage = 1
	}
	if p.isKw("GROUP") {
		p.groupPos, p.hasGroup = p.tok.pos, true
		p.next()
		if !p.acceptKw("BY") {
			p.failExpected("BY after GROUP")
		}
		p.groupBy(q)
		stage = 2
	}
	if p.acceptKw("HAVING") {
		q.Having = p.topExpr()
		stage = 3
	}
	if p.isKw("EMIT") {
		p.emit(q)
		stage = 4
	}
	if p.isKw("WITH") {
		p.with(q)
		stage = 5
	}
	if p.acceptSym(";") {
		if p.tok.kind != tEOF {
			p.failf(p.tok.pos, "expected the end of the query after ';', found %s (a query is one statement)", describe(p.tok))
		}
	}
	if p.tok.kind != tEOF {
		p.unexpectedAfter(stage)
	}
	return q
}

// unexpectedAfter fails at a token that does not start a clause that may
// come after the clauses parsed.
func (p *parser) unexpectedAfter(stage int) {
	clauses := []string{"WHERE", "GROUP BY", "HAVING", "EMIT", "WITH"}
	want := strings.Join(clauses[stage:], ", ")
	if want != "" {
		want += " or "
	}
	msg := fmt.Sprintf("expected %sthe end of the query, found %s", want, describe(p.tok))
	if p.tok.kind == tWord {
		switch w := strings.ToUpper(p.tok.text); w {
		case "WHERE", "GROUP", "HAVING", "EMIT", "WITH":
			msg += " (the clauses go in the order WHERE, GROUP BY, HAVING, EMIT, WITH, each at most once)"
		case "ORDER", "LIMIT", "OFFSET":
			msg += fmt.Sprintf(" (a continuous query has no %s: its results are written per window as they close)", w)
		case "JOIN", "UNION", "INNER", "LEFT", "RIGHT", "FULL", "CROSS":
			msg += " (a query reads one stream; joins and unions are not supported)"
		}
	}
	p.failf(p.tok.pos, "%s", msg)
}

func (p *parser) selectList(q *Query) {
	for {
		if len(q.Select) == MaxSelectItems {
			p.failf(p.tok.pos, "more than %d select items (the limit)", MaxSelectItems)
		}
		q.Select = append(q.Select, p.selectItem())
		if !p.acceptSym(",") {
			return
		}
	}
}

func (p *parser) selectItem() SelectItem {
	if p.isSym("*") {
		item := SelectItem{Star: true, Pos: p.tok.pos}
		p.next()
		if p.isKw("AS") {
			p.failf(p.tok.pos, "SELECT * cannot be renamed with AS: it is the whole event")
		}
		return item
	}
	if p.isKw("FROM") && p.prev.kind == tSymbol {
		p.failf(p.tok.pos, "expected a select item after ',', found FROM (remove the trailing comma)")
	}
	e := p.topExpr()
	item := SelectItem{Expr: e, Pos: StartPos(e)}
	switch {
	case p.acceptKw("AS"):
		if p.tok.kind == tQuoted || p.tok.kind == tWord && !isReserved(p.tok.text) {
			item.Name = p.tok.text
			p.next()
		} else {
			p.failExpected("a column name after AS")
		}
	case p.tok.kind == tQuoted || p.tok.kind == tWord && !isReserved(p.tok.text):
		item.Name = p.tok.text
		p.next()
	}
	return item
}

// topExpr parses an expression of a clause and checks its limits.
func (p *parser) topExpr() Expr {
	e := p.expr()
	p.checkLimits(e)
	return e
}

// checkLimits refuses an expression whose text would be too long once
// printed, or whose tree is too deep.
func (p *parser) checkLimits(e Expr) {
	if _, ok := printExpr(e, MaxQueryBytes); !ok {
		p.failf(StartPos(e), "the expression is longer than %d bytes (64 KiB) once BETWEEN and CASE x WHEN are expanded (each repeats its subject)", MaxQueryBytes)
	}
	if deep := tooDeep(e, 1); deep != nil {
		p.failf(StartPos(deep), "expression nested more than %d deep (each operator of a chain such as a OR b OR c counts; use IN (...) for long lists of values)", MaxDepth)
	}
}

// tooDeep returns a node of e deeper than MaxDepth, or nil.
func tooDeep(e Expr, depth int) Expr {
	if depth > MaxDepth {
		return e
	}
	var found Expr
	for _, c := range children(e) {
		if found = tooDeep(c, depth+1); found != nil {
			return found
		}
	}
	return nil
}

// from parses scope.stream after FROM (the current token, with the
// lexer just past it).
func (p *parser) from() StreamRef {
	var ref StreamRef
	l := p.lx
	ref.Scope, ref.Pos = p.namePart("scope")
	l.skipSpace()
	if l.off >= len(l.src) || l.src[l.off] != '.' {
		if l.off < len(l.src) && l.src[l.off] == '/' {
			l.fail(l.off, "expected '.' between the scope and the stream: write FROM %s.stream, not %s/stream", ref.Scope, ref.Scope)
		}
		t := l.next()
		l.fail(t.off, "expected '.' and a stream name after the scope %s (FROM names scope.stream), found %s", ref.Scope, describe(t))
	}
	l.off++
	l.lastEnd = l.off
	ref.Stream, _ = p.namePart("stream")
	l.prev, l.prevText, l.lastEnd = tWord, ref.Stream, l.off
	p.prev = token{kind: tWord, text: ref.Stream, end: l.off}
	p.tok = l.next()
	return ref
}

// namePart scans a scope or stream name at the lexer's position: a bare
// run of letters, digits, '-' and '_', or a double-quoted name.
func (p *parser) namePart(what string) (string, Pos) {
	l := p.lx
	l.skipSpace()
	start := l.off
	pos := l.posAt(start)
	var name string
	if start < len(l.src) && l.src[start] == '"' {
		name = l.quoted(start, '"')
	} else {
		i := start
		for i < len(l.src) && (isWordByte(l.src[i]) || l.src[i] == '-' && !(i+1 < len(l.src) && l.src[i+1] == '-')) {
			i++
		}
		if i == start {
			t := l.next()
			after := "FROM"
			if what == "stream" {
				after = "'.'"
			}
			l.fail(t.off, "expected a %s name after %s (FROM names scope.stream, e.g. shop.orders), found %s", what, after, describe(t))
		}
		name = l.src[start:i]
		l.off = i
	}
	if problem := nameProblem(name); problem != "" {
		l.fail(start, "invalid %s name %q: %s", what, clip(name), problem)
	}
	l.lastEnd = l.off
	return name, pos
}

// nameProblem says why s is not a scope or stream name of a query, or "".
func nameProblem(s string) string {
	switch {
	case s == "":
		return "it is empty"
	case len(s) > MaxNameLen:
		return fmt.Sprintf("it is longer than %d bytes", MaxNameLen)
	case !isLetter(s[0]) && !isDigit(s[0]):
		return "a name starts with a letter or a digit"
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isWordByte(c) && c != '-' {
			return fmt.Sprintf("%q is not allowed (use letters, digits, - and _)", rune(c))
		}
	}
	return ""
}

func (p *parser) groupBy(q *Query) {
	for {
		if p.isWindowStart() {
			w := p.window()
			if q.Window != nil {
				p.failf(w.Pos, "only one window function per query: GROUP BY already has %s at %s", q.Window.Kind, q.Window.Pos)
			}
			q.Window = w
		} else {
			q.GroupBy = append(q.GroupBy, p.topExpr())
		}
		if !p.acceptSym(",") {
			return
		}
	}
}

func (p *parser) emit(q *Query) {
	p.emitPos, p.hasEmit = p.tok.pos, true
	p.next()
	switch {
	case p.acceptKw("FINAL"):
		q.Emit.Every = 0
	case p.acceptKw("EVERY"):
		e := p.topExpr()
		d, ok := durationLiteral(e)
		if !ok {
			p.failf(StartPos(e), "EMIT EVERY needs an INTERVAL, such as INTERVAL '5' SECOND; found %s", clip(e.String()))
		}
		if d < MinEmitEvery {
			p.failf(StartPos(e), "EMIT EVERY %s is too often: at least %s", formatDuration(d), formatDuration(MinEmitEvery))
		}
		if d > MaxWindowDuration {
			p.failf(StartPos(e), "EMIT EVERY %s is too long: at most 366 days", formatDuration(d))
		}
		q.Emit.Every = d
	case p.isKw("CHANGES"):
		p.failf(p.tok.pos, "EMIT CHANGES is not supported: EMIT FINAL writes each window once it closes, EMIT EVERY INTERVAL '5' SECOND also writes early results")
	default:
		p.failExpected("FINAL or EVERY after EMIT")
	}
}

// durationLiteral returns e's value if e is an INTERVAL literal.
func durationLiteral(e Expr) (time.Duration, bool) {
	l, ok := e.(*Literal)
	if !ok {
		return 0, false
	}
	d, ok := l.Value.(time.Duration)
	return d, ok
}
