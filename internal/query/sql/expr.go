package sql

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// The expression types implement Expr with pointer receivers: a parsed
// tree holds *Literal, *Field, *Binary and so on.
var (
	_ Expr = (*Literal)(nil)
	_ Expr = (*Field)(nil)
	_ Expr = (*AppendTime)(nil)
	_ Expr = (*WindowBound)(nil)
	_ Expr = (*Unary)(nil)
	_ Expr = (*Binary)(nil)
	_ Expr = (*Call)(nil)
	_ Expr = (*IsNull)(nil)
	_ Expr = (*In)(nil)
	_ Expr = (*Like)(nil)
	_ Expr = (*Case)(nil)
	_ Expr = (*Cast)(nil)
)

// Position returns where the literal starts (a negative number starts at
// its minus sign).
func (e *Literal) Position() Pos { return e.Pos }

// Position returns where the path's first name is.
func (e *Field) Position() Pos { return e.Pos }

// Position returns where _time is.
func (e *AppendTime) Position() Pos { return e.Pos }

// Position returns where window_start or window_end is.
func (e *WindowBound) Position() Pos { return e.Pos }

// Position returns where the operator (NOT or -) is.
func (e *Unary) Position() Pos { return e.Pos }

// Position returns where the operator is (for a BETWEEN, which is two
// comparisons joined by AND, the BETWEEN keyword).
func (e *Binary) Position() Pos { return e.Pos }

// Position returns where the function's name is.
func (e *Call) Position() Pos { return e.Pos }

// Position returns where the IS keyword is.
func (e *IsNull) Position() Pos { return e.Pos }

// Position returns where the operator is (NOT of NOT IN, else IN).
func (e *In) Position() Pos { return e.Pos }

// Position returns where the operator is (NOT of NOT LIKE, else LIKE).
func (e *Like) Position() Pos { return e.Pos }

// Position returns where the CASE keyword is.
func (e *Case) Position() Pos { return e.Pos }

// Position returns where the CAST keyword is.
func (e *Cast) Position() Pos { return e.Pos }

// String returns the literal as query text, e.g. NULL, TRUE, 1.5, 'abc' or
// INTERVAL '5' SECOND.
func (e *Literal) String() string { return exprString(e) }

// String returns the path, each name quoted when it must be.
func (e *Field) String() string { return exprString(e) }

// String returns "_time".
func (e *AppendTime) String() string { return "_time" }

// String returns "window_start" or "window_end".
func (e *WindowBound) String() string { return e.Name() }

// String returns the expression as query text, parenthesised where the
// tree needs it.
func (e *Unary) String() string { return exprString(e) }

// String returns the expression as query text, parenthesised where the
// tree needs it.
func (e *Binary) String() string { return exprString(e) }

// String returns the call as query text, e.g. count(DISTINCT x).
func (e *Call) String() string { return exprString(e) }

// String returns the expression as query text.
func (e *IsNull) String() string { return exprString(e) }

// String returns the expression as query text.
func (e *In) String() string { return exprString(e) }

// String returns the expression as query text.
func (e *Like) String() string { return exprString(e) }

// String returns the expression as query text (a CASE x WHEN v reads
// back as CASE WHEN x = v).
func (e *Case) String() string { return exprString(e) }

// String returns the expression as query text, with the type's name
// (number, string or boolean).
func (e *Cast) String() string { return exprString(e) }

// Name returns "window_start" or "window_end".
func (e *WindowBound) Name() string {
	if e.End {
		return "window_end"
	}
	return "window_start"
}

// IsAggregate reports whether the call is of an aggregate function.
func (e *Call) IsAggregate() bool {
	f, ok := LookupFunc(e.Name)
	return ok && f.Aggregate
}

// Walk calls fn for e and, when fn returns true, for each of e's
// subexpressions in turn, depth first in the order they are written.
// A nil e is skipped.
func Walk(e Expr, fn func(Expr) bool) {
	if e == nil || !fn(e) {
		return
	}
	for _, c := range children(e) {
		Walk(c, fn)
	}
}

// children returns e's subexpressions in the order they are written.
func children(e Expr) []Expr {
	switch e := e.(type) {
	case *Unary:
		return []Expr{e.X}
	case *Binary:
		return []Expr{e.L, e.R}
	case *Call:
		return e.Args
	case *IsNull:
		return []Expr{e.X}
	case *In:
		return append([]Expr{e.X}, e.List...)
	case *Like:
		return []Expr{e.X, e.Pattern}
	case *Case:
		out := make([]Expr, 0, 2*len(e.Whens)+1)
		for _, w := range e.Whens {
			out = append(out, w.Cond, w.Then)
		}
		if e.Else != nil {
			out = append(out, e.Else)
		}
		return out
	case *Cast:
		return []Expr{e.X}
	}
	return nil
}

// StartPos returns where e's text begins: its leftmost operand's place
// (Position is the operator's).
func StartPos(e Expr) Pos {
	for {
		switch x := e.(type) {
		case *Binary:
			e = x.L
		case *IsNull:
			e = x.X
		case *In:
			e = x.X
		case *Like:
			e = x.X
		default:
			return e.Position()
		}
	}
}

// Precedence levels, loosest first.
const (
	precOr      = 1
	precAnd     = 2
	precNot     = 3
	precCompare = 4 // = <> < <= > >= IS IN LIKE (BETWEEN)
	precConcat  = 5 // ||
	precAdd     = 6 // + -
	precMul     = 7 // * / %
	precUnary   = 8 // unary -
	precPrimary = 9
)

// binaryPrec returns the precedence of a binary operator, 0 if unknown.
func binaryPrec(op string) int {
	switch op {
	case "OR":
		return precOr
	case "AND":
		return precAnd
	case "=", "<>", "<", "<=", ">", ">=":
		return precCompare
	case "||":
		return precConcat
	case "+", "-":
		return precAdd
	case "*", "/", "%":
		return precMul
	}
	return 0
}

// prec returns how tightly e binds when printed.
func prec(e Expr) int {
	switch e := e.(type) {
	case *Binary:
		if p := binaryPrec(e.Op); p > 0 {
			return p
		}
		return precOr
	case *Unary:
		if e.Op == "NOT" {
			return precNot
		}
		return precUnary
	case *IsNull, *In, *Like:
		return precCompare
	case *Literal:
		if f, ok := e.Value.(float64); ok && math.Signbit(f) {
			return precUnary
		}
	}
	return precPrimary
}

// exprString prints e without a limit.
func exprString(e Expr) string {
	s, _ := printExpr(e, -1)
	return s
}

// printExpr prints e, giving up (ok false) once the text would pass
// limit bytes (limit < 0: none). Each node prints at least one byte, so
// the work is bounded by the limit even when subtrees are shared
// (BETWEEN and CASE x WHEN repeat their subject).
func printExpr(e Expr, limit int) (string, bool) {
	p := &printer{limit: limit}
	p.expr(e)
	if p.over {
		return "", false
	}
	return p.b.String(), true
}

type printer struct {
	b     strings.Builder
	limit int
	over  bool
}

func (p *printer) str(s string) {
	if p.over {
		return
	}
	if p.limit >= 0 && p.b.Len()+len(s) > p.limit {
		p.over = true
		return
	}
	p.b.WriteString(s)
}

// sub prints e, in parentheses when it binds looser than min.
func (p *printer) sub(e Expr, min int) {
	if prec(e) < min {
		p.str("(")
		p.expr(e)
		p.str(")")
		return
	}
	p.expr(e)
}

func (p *printer) expr(e Expr) {
	if p.over {
		return
	}
	switch e := e.(type) {
	case nil:
		p.str("NULL")
	case *Literal:
		p.str(formatValue(e.Value))
	case *Field:
		for i, name := range e.Path {
			if i > 0 {
				p.str(".")
			}
			p.str(quoteIdent(name))
		}
	case *AppendTime:
		p.str("_time")
	case *WindowBound:
		p.str(e.Name())
	case *Unary:
		if e.Op == "NOT" {
			p.str("NOT ")
			p.sub(e.X, precNot)
			return
		}
		p.str(e.Op)
		if startsWithMinus(e.X) {
			p.str("(")
			p.expr(e.X)
			p.str(")")
			return
		}
		p.sub(e.X, precUnary)
	case *Binary:
		bp := binaryPrec(e.Op)
		if bp == 0 {
			bp = precOr
		}
		left, right := bp, bp+1
		if bp == precCompare {
			left = precConcat
		}
		p.sub(e.L, left)
		p.str(" " + e.Op + " ")
		p.sub(e.R, right)
	case *Call:
		p.str(e.Name + "(")
		switch {
		case e.Star:
			p.str("*")
		default:
			if e.Distinct {
				p.str("DISTINCT ")
			}
			for i, a := range e.Args {
				if i > 0 {
					p.str(", ")
				}
				p.expr(a)
			}
		}
		p.str(")")
	case *IsNull:
		p.sub(e.X, precConcat)
		if e.Not {
			p.str(" IS NOT NULL")
		} else {
			p.str(" IS NULL")
		}
	case *In:
		p.sub(e.X, precConcat)
		if e.Not {
			p.str(" NOT")
		}
		p.str(" IN (")
		for i, a := range e.List {
			if i > 0 {
				p.str(", ")
			}
			p.expr(a)
		}
		p.str(")")
	case *Like:
		p.sub(e.X, precConcat)
		if e.Not {
			p.str(" NOT")
		}
		p.str(" LIKE ")
		p.sub(e.Pattern, precConcat)
	case *Case:
		p.str("CASE")
		for _, w := range e.Whens {
			p.str(" WHEN ")
			p.expr(w.Cond)
			p.str(" THEN ")
			p.expr(w.Then)
		}
		if e.Else != nil {
			p.str(" ELSE ")
			p.expr(e.Else)
		}
		p.str(" END")
	case *Cast:
		p.str("CAST(")
		p.expr(e.X)
		p.str(" AS " + e.Type + ")")
	default:
		p.str(e.String())
	}
}

// startsWithMinus reports whether e prints starting with '-', so that a
// unary minus before it needs parentheses (-- starts a comment).
func startsWithMinus(e Expr) bool {
	switch e := e.(type) {
	case *Literal:
		f, ok := e.Value.(float64)
		return ok && math.Signbit(f)
	case *Unary:
		return e.Op == "-"
	}
	return false
}

// formatValue prints a literal's value as query text.
func formatValue(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case bool:
		if v {
			return "TRUE"
		}
		return "FALSE"
	case float64:
		return formatNumber(v)
	case string:
		return quoteString(v)
	case time.Duration:
		return formatInterval(v)
	}
	return fmt.Sprint(v)
}

// formatNumber prints v so that it reads back as the same float64.
func formatNumber(v float64) string {
	if a := math.Abs(v); a == 0 || a >= 1e-6 && a < 1e21 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// quoteString returns s as a single-quoted literal.
func quoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// quoteIdent returns name bare when it reads back as the same field
// name, else double-quoted.
func quoteIdent(name string) string {
	if isBareIdent(name) {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// isBareIdent reports whether name can be written without quotes: a
// letter or _ then letters, digits and _, and not a reserved word.
func isBareIdent(name string) bool {
	if name == "" || !(isLetter(name[0]) || name[0] == '_') {
		return false
	}
	for i := 1; i < len(name); i++ {
		if !isWordByte(name[i]) {
			return false
		}
	}
	return !isReserved(name)
}
