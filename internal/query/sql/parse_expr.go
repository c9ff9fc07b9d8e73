package sql

import (
	"fmt"
	"strings"
	"time"
)

// Expressions, loosest first:
//
//	OR
//	AND
//	NOT
//	= <> != < <= > >=, IS [NOT] NULL, [NOT] IN, [NOT] LIKE, [NOT] BETWEEN
//	||
//	+ -
//	* / %
//	unary -
//	primary: literal, field, _time, window_start, window_end, (expr),
//	         call, CASE, CAST, INTERVAL

// enter counts one more level of the parser's recursion, refusing too
// many: parentheses, NOT, unary -, calls, CASE, CAST and IN lists each
// count one. The limit is twice MaxDepth (which bounds the tree's height,
// checked once an expression is parsed): the text String prints for a
// tree of height h needs at most 2h levels (a node and the parentheses
// around it), so whatever parses prints as text that parses again.
func (p *parser) enter() {
	p.depth++
	if p.depth > maxNesting {
		p.failf(p.tok.pos, "expression nested too deeply: more than %d levels of parentheses, operators and calls", maxNesting)
	}
}

// maxNesting bounds the parser's recursion (see enter).
const maxNesting = 2 * MaxDepth

func (p *parser) leave() { p.depth-- }

func (p *parser) expr() Expr { return p.or() }

func (p *parser) or() Expr {
	l := p.and()
	for p.isKw("OR") {
		t := p.tok
		p.next()
		l = &Binary{Op: "OR", L: l, R: p.and(), Pos: t.pos}
	}
	return l
}

func (p *parser) and() Expr {
	l := p.not()
	for p.isKw("AND") {
		t := p.tok
		p.next()
		l = &Binary{Op: "AND", L: l, R: p.not(), Pos: t.pos}
	}
	return l
}

func (p *parser) not() Expr {
	if !p.isKw("NOT") {
		return p.compare()
	}
	t := p.tok
	p.enter()
	p.next()
	x := p.not()
	p.leave()
	return &Unary{Op: "NOT", X: x, Pos: t.pos}
}

func isCompareOp(s string) bool {
	switch s {
	case "=", "<>", "!=", "<", "<=", ">", ">=":
		return true
	}
	return false
}

func (p *parser) compare() Expr {
	l := p.concat()
	for {
		t := p.tok
		switch {
		case t.kind == tSymbol && isCompareOp(t.text):
			p.next()
			op := t.text
			if op == "!=" {
				op = "<>"
			}
			l = &Binary{Op: op, L: l, R: p.concat(), Pos: t.pos}
		case p.isKw("IS"):
			p.next()
			not := p.acceptKw("NOT")
			if !p.acceptKw("NULL") {
				if p.isKw("TRUE") || p.isKw("FALSE") {
					p.failf(p.tok.pos, "IS %s is not supported: write x = %s", strings.ToUpper(p.tok.text), strings.ToUpper(p.tok.text))
				}
				p.failExpected("NULL or NOT NULL after IS")
			}
			l = &IsNull{X: l, Not: not, Pos: t.pos}
		case p.isKw("NOT"):
			n := p.peek()
			if n.kind != tWord || !(strings.EqualFold(n.text, "IN") || strings.EqualFold(n.text, "LIKE") || strings.EqualFold(n.text, "BETWEEN")) {
				return l
			}
			p.next()
			l = p.predicate(l, true, t.pos)
		case p.isKw("IN") || p.isKw("LIKE") || p.isKw("BETWEEN"):
			l = p.predicate(l, false, t.pos)
		default:
			return l
		}
	}
}

// predicate parses IN, LIKE or BETWEEN (the current token) after x.
func (p *parser) predicate(x Expr, not bool, pos Pos) Expr {
	kw := strings.ToUpper(p.tok.text)
	p.next()
	switch kw {
	case "IN":
		if !p.isSym("(") {
			p.failExpected("'(' and a list of values after IN")
		}
		p.enter()
		p.next()
		if p.isKw("SELECT") {
			p.failf(p.tok.pos, "subqueries are not supported: list the values, as in IN ('a', 'b')")
		}
		if p.isSym(")") {
			p.failf(p.tok.pos, "IN needs at least one value in its list")
		}
		in := &In{X: x, Not: not, Pos: pos}
		for {
			if len(in.List) == MaxInList {
				p.failf(p.tok.pos, "more than %d values in the IN list (the limit)", MaxInList)
			}
			in.List = append(in.List, p.expr())
			if !p.acceptSym(",") {
				break
			}
		}
		if !p.acceptSym(")") {
			p.failExpected("',' or ')' in the IN list")
		}
		p.leave()
		return in
	case "LIKE":
		return &Like{X: x, Pattern: p.concat(), Not: not, Pos: pos}
	}
	// BETWEEN: x >= lo AND x <= hi; NOT BETWEEN: x < lo OR x > hi.
	lo := p.concat()
	if !p.acceptKw("AND") {
		p.failExpected("AND and the upper bound after BETWEEN's lower bound")
	}
	hi := p.concat()
	if not {
		return &Binary{Op: "OR", L: &Binary{Op: "<", L: x, R: lo, Pos: pos}, R: &Binary{Op: ">", L: x, R: hi, Pos: pos}, Pos: pos}
	}
	return &Binary{Op: "AND", L: &Binary{Op: ">=", L: x, R: lo, Pos: pos}, R: &Binary{Op: "<=", L: x, R: hi, Pos: pos}, Pos: pos}
}

func (p *parser) concat() Expr {
	l := p.additive()
	for p.isSym("||") {
		t := p.tok
		p.next()
		l = &Binary{Op: "||", L: l, R: p.additive(), Pos: t.pos}
	}
	return l
}

func (p *parser) additive() Expr {
	l := p.multiplicative()
	for p.isSym("+") || p.isSym("-") {
		t := p.tok
		p.next()
		l = &Binary{Op: t.text, L: l, R: p.multiplicative(), Pos: t.pos}
	}
	return l
}

func (p *parser) multiplicative() Expr {
	l := p.unary()
	for p.isSym("*") || p.isSym("/") || p.isSym("%") {
		t := p.tok
		p.next()
		l = &Binary{Op: t.text, L: l, R: p.unary(), Pos: t.pos}
	}
	return l
}

// unary parses -x; a minus before a number literal is folded into it.
func (p *parser) unary() Expr {
	if !p.isSym("-") {
		return p.primary()
	}
	t := p.tok
	p.enter()
	p.next()
	x := p.unary()
	p.leave()
	if l, ok := x.(*Literal); ok {
		if f, ok := l.Value.(float64); ok {
			return &Literal{Value: -f, Pos: t.pos}
		}
	}
	return &Unary{Op: "-", X: x, Pos: t.pos}
}

func (p *parser) primary() Expr {
	t := p.tok
	switch t.kind {
	case tNumber:
		p.next()
		return &Literal{Value: t.num, Pos: t.pos}
	case tString:
		p.next()
		return &Literal{Value: t.text, Pos: t.pos}
	case tQuoted:
		p.next()
		return p.fieldPath(t)
	case tSymbol:
		if t.text == "(" {
			p.enter()
			p.next()
			if p.isKw("SELECT") {
				p.failf(p.tok.pos, "subqueries are not supported")
			}
			e := p.expr()
			if !p.acceptSym(")") {
				p.failExpected(fmt.Sprintf("')' to close the '(' at %s", t.pos))
			}
			p.leave()
			return e
		}
		if t.text == "*" {
			p.failf(t.pos, "expected an expression%s, found '*' (* stands alone as a select item, or in count(*))", p.describeAfter())
		}
	case tWord:
		switch strings.ToUpper(t.text) {
		case "TRUE", "FALSE":
			p.next()
			return &Literal{Value: strings.EqualFold(t.text, "TRUE"), Pos: t.pos}
		case "NULL":
			p.next()
			return &Literal{Value: nil, Pos: t.pos}
		case "INTERVAL":
			return p.interval()
		case "CASE":
			return p.caseExpr()
		case "CAST":
			return p.cast()
		case "_TIME":
			p.next()
			return &AppendTime{Pos: t.pos}
		case "WINDOW_START", "WINDOW_END":
			p.next()
			return &WindowBound{End: strings.EqualFold(t.text, "WINDOW_END"), Pos: t.pos}
		}
		if isReserved(t.text) {
			hint := ""
			switch w := strings.ToUpper(t.text); w {
			case "SELECT", "FROM", "WHERE", "GROUP", "HAVING", "EMIT", "WITH", "AND", "OR":
			case "NOT":
				hint = " (put NOT and its operand in parentheses here)"
			default:
				hint = fmt.Sprintf(" (%s is a keyword: to name a field %s, quote it: \"%s\")", w, t.text, t.text)
			}
			p.failf(t.pos, "expected an expression%s, found %s%s", p.describeAfter(), describe(t), hint)
		}
		p.next()
		if p.isSym("(") {
			return p.call(t)
		}
		return p.fieldPath(t)
	}
	if t.kind == tEOF {
		p.failf(t.pos, "expected an expression%s, found end of query", p.describeAfter())
	}
	p.failf(t.pos, "expected an expression%s, found %s", p.describeAfter(), describe(t))
	return nil
}

// fieldPath parses the rest of a path a.b."c" whose first name, first,
// is consumed.
func (p *parser) fieldPath(first token) Expr {
	f := &Field{Path: []string{first.text}, Pos: first.pos}
	for p.isSym(".") {
		p.next()
		if p.tok.kind != tWord && p.tok.kind != tQuoted {
			if p.tok.kind == tNumber {
				p.failf(p.tok.pos, "expected a field name after '.', found %s (quote a name that is a number: \"%s\")", describe(p.tok), p.tok.text)
			}
			p.failExpected("a field name after '.'")
		}
		f.Path = append(f.Path, p.tok.text)
		p.next()
	}
	if p.isSym("(") && len(f.Path) > 1 {
		p.failf(p.tok.pos, "%s is a field, not a function", clip(f.String()))
	}
	return f
}

// argCount says how many arguments a function takes.
func argCount(f FuncInfo) string {
	plural := func(n int) string {
		if n == 1 {
			return "1 argument"
		}
		return fmt.Sprintf("%d arguments", n)
	}
	switch {
	case f.MaxArgs < 0:
		return "at least " + plural(f.MinArgs)
	case f.MinArgs == f.MaxArgs:
		return plural(f.MinArgs)
	}
	return fmt.Sprintf("%d or %s", f.MinArgs, plural(f.MaxArgs))
}

// call parses a function call; name is consumed, '(' is current.
func (p *parser) call(name token) Expr {
	lower := strings.ToLower(name.text)
	if why, ok := forbiddenFuncs[lower]; ok {
		p.failf(name.pos, "%s() is not allowed: %s", lower, why)
	}
	if w, ok := windowFuncs[lower]; ok {
		p.failf(name.pos, "%s is a window function: it goes directly in GROUP BY, as in GROUP BY %s, not in an expression", w.kind, w.signature)
	}
	f, ok := funcs[lower]
	if !ok {
		msg := fmt.Sprintf("unknown function %q", clip(name.text))
		if s := suggestFunc(lower); s != "" {
			msg += " (did you mean " + s + "?)"
		}
		p.failf(name.pos, "%s", msg)
	}
	p.enter()
	p.next() // (
	c := &Call{Name: lower, Pos: name.pos}
	switch {
	case p.isSym("*"):
		if lower != "count" {
			p.failf(p.tok.pos, "* is only allowed in count(*), not in %s", lower)
		}
		c.Star = true
		p.next()
	default:
		if p.isKw("DISTINCT") {
			if lower != "count" {
				p.failf(p.tok.pos, "DISTINCT is only allowed in count(DISTINCT x), not in %s", lower)
			}
			c.Distinct = true
			p.next()
		}
		if !p.isSym(")") {
			for {
				c.Args = append(c.Args, p.expr())
				if !p.acceptSym(",") {
					break
				}
			}
		}
	}
	if !p.isSym(")") {
		p.failExpected(fmt.Sprintf("',' or ')' after the arguments of %s", lower))
	}
	p.next()
	p.leave()
	if n := len(c.Args); !c.Star && (n < f.MinArgs || f.MaxArgs >= 0 && n > f.MaxArgs) {
		p.failf(name.pos, "%s takes %s, got %d (%s)", lower, argCount(f), n, f.Signature)
	}
	return c
}

func (p *parser) caseExpr() Expr {
	t := p.tok
	p.enter()
	p.next()
	c := &Case{Pos: t.pos}
	var subject Expr
	if p.isKw("END") || p.isKw("ELSE") {
		p.failExpected("WHEN in CASE")
	}
	if !p.isKw("WHEN") {
		subject = p.expr()
	}
	for p.isKw("WHEN") {
		w := p.tok
		p.next()
		cond := p.expr()
		if subject != nil {
			// CASE x WHEN v: CASE WHEN x = v.
			cond = &Binary{Op: "=", L: subject, R: cond, Pos: w.pos}
		}
		if !p.acceptKw("THEN") {
			p.failExpected("THEN after the WHEN condition")
		}
		c.Whens = append(c.Whens, When{Cond: cond, Then: p.expr()})
	}
	if len(c.Whens) == 0 {
		p.failExpected("WHEN in CASE")
	}
	if p.acceptKw("ELSE") {
		c.Else = p.expr()
	}
	if !p.acceptKw("END") {
		p.failExpected(fmt.Sprintf("WHEN, ELSE or END to close the CASE at %s", t.pos))
	}
	p.leave()
	return c
}

// castTypes maps the type names of CAST to the three types.
var castTypes = map[string]string{
	"number": "number", "double": "number", "float": "number", "real": "number",
	"int": "number", "integer": "number", "bigint": "number", "decimal": "number", "numeric": "number",
	"string": "string", "varchar": "string", "text": "string", "char": "string",
	"boolean": "boolean", "bool": "boolean",
}

func (p *parser) cast() Expr {
	t := p.tok
	p.next()
	if !p.isSym("(") {
		p.failExpected("'(' after CAST, as in CAST(x AS number)")
	}
	p.enter()
	p.next()
	x := p.expr()
	if !p.acceptKw("AS") {
		p.failExpected("AS and a type in CAST(x AS type)")
	}
	if p.tok.kind != tWord {
		p.failExpected("a type (number, string or boolean) after AS")
	}
	typ, ok := castTypes[strings.ToLower(p.tok.text)]
	if !ok {
		p.failf(p.tok.pos, "unknown type %s in CAST: use number, string or boolean", clip(p.tok.text))
	}
	p.next()
	if !p.acceptSym(")") {
		p.failExpected("')' to close CAST(")
	}
	p.leave()
	return &Cast{X: x, Type: typ, Pos: t.pos}
}

// isDecimal reports whether s is digits with at most one '.'.
func isDecimal(s string) bool {
	intPart, frac, _ := strings.Cut(s, ".")
	return intPart+frac != "" && allDigits(intPart) && allDigits(frac)
}

// interval parses INTERVAL '5' SECOND, INTERVAL 5 SECOND, or INTERVAL
// '1.5 seconds' / '500ms' (the unit inside the string).
func (p *parser) interval() Expr {
	t := p.tok
	p.next()
	v := p.tok
	var text string
	shown := v.text // the value as written, for messages
	if v.kind == tString {
		shown = quoteString(clip(v.text))
	}
	switch v.kind {
	case tString:
		text = strings.TrimSpace(v.text)
		p.next()
		if !isDecimal(text) {
			d, problem := parseDurationText(text)
			if problem != "" {
				p.failf(v.pos, "invalid INTERVAL %s: %s", quoteString(clip(v.text)), problem)
			}
			if p.tok.kind == tWord && intervalUnits[strings.ToLower(p.tok.text)] != 0 {
				p.failf(p.tok.pos, "INTERVAL %s already has its unit: drop %s", quoteString(clip(v.text)), p.tok.text)
			}
			return &Literal{Value: d, Pos: t.pos}
		}
	case tNumber:
		text = v.text
		p.next()
	default:
		p.failExpected("a string after INTERVAL, as in INTERVAL '5' SECOND")
	}
	var unit time.Duration
	if p.tok.kind == tWord {
		unit = intervalUnits[strings.ToLower(p.tok.text)]
	}
	if unit == 0 {
		p.failExpected(fmt.Sprintf("a unit after INTERVAL %s (MILLISECOND, SECOND, MINUTE, HOUR or DAY)", clip(shown)))
	}
	p.next()
	d, problem := scaleDecimal(text, unit)
	switch problem {
	case "":
	case "too large":
		p.failf(v.pos, "INTERVAL %s is too large (at most about 292 years)", clip(shown))
	default:
		p.failf(v.pos, "invalid INTERVAL %s: expected a number such as '5' or '1.5' before the unit", clip(shown))
	}
	return &Literal{Value: d, Pos: t.pos}
}
