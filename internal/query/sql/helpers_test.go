package sql

import (
	"strings"
	"time"
)

// Tree builders for expected results; positions are left zero and
// compared separately.

func fld(path ...string) Expr             { return &Field{Path: path} }
func num(v float64) Expr                  { return &Literal{Value: v} }
func str(s string) Expr                   { return &Literal{Value: s} }
func boolean(b bool) Expr                 { return &Literal{Value: b} }
func null() Expr                          { return &Literal{Value: nil} }
func ival(d time.Duration) Expr           { return &Literal{Value: d} }
func bin(op string, l, r Expr) Expr       { return &Binary{Op: op, L: l, R: r} }
func not(x Expr) Expr                     { return &Unary{Op: "NOT", X: x} }
func neg(x Expr) Expr                     { return &Unary{Op: "-", X: x} }
func call(name string, args ...Expr) Expr { return &Call{Name: name, Args: args} }
func isNull(x Expr, not bool) Expr        { return &IsNull{X: x, Not: not} }
func in(x Expr, not bool, list ...Expr) Expr {
	return &In{X: x, List: list, Not: not}
}
func like(x, pat Expr, not bool) Expr { return &Like{X: x, Pattern: pat, Not: not} }
func cast(x Expr, typ string) Expr    { return &Cast{X: x, Type: typ} }
func when(c, t Expr) When             { return When{Cond: c, Then: t} }
func caseOf(els Expr, whens ...When) Expr {
	return &Case{Whens: whens, Else: els}
}

var (
	appendTime  = &AppendTime{}
	windowStart = &WindowBound{}
	windowEnd   = &WindowBound{End: true}
)

// clearPos zeroes the positions in e (in place), so that trees compare
// by structure.
func clearPos(e Expr) Expr {
	Walk(e, func(x Expr) bool {
		switch x := x.(type) {
		case *Literal:
			x.Pos = Pos{}
		case *Field:
			x.Pos = Pos{}
		case *AppendTime:
			x.Pos = Pos{}
		case *WindowBound:
			x.Pos = Pos{}
		case *Unary:
			x.Pos = Pos{}
		case *Binary:
			x.Pos = Pos{}
		case *Call:
			x.Pos = Pos{}
		case *IsNull:
			x.Pos = Pos{}
		case *In:
			x.Pos = Pos{}
		case *Like:
			x.Pos = Pos{}
		case *Case:
			x.Pos = Pos{}
		case *Cast:
			x.Pos = Pos{}
		}
		return true
	})
	return e
}

// clearQueryPos zeroes every position of q.
func clearQueryPos(q *Query) {
	for i := range q.Select {
		q.Select[i].Pos = Pos{}
		if q.Select[i].Expr != nil {
			clearPos(q.Select[i].Expr)
		}
	}
	q.From.Pos = Pos{}
	if q.Where != nil {
		clearPos(q.Where)
	}
	if q.Window != nil {
		q.Window.Pos = Pos{}
		if q.Window.Time != nil {
			clearPos(q.Window.Time)
		}
	}
	for _, g := range q.GroupBy {
		clearPos(g)
	}
	if q.Having != nil {
		clearPos(q.Having)
	}
}

// queryExprs returns every expression of q.
func queryExprs(q *Query) []Expr {
	var out []Expr
	for _, it := range q.Select {
		if it.Expr != nil {
			out = append(out, it.Expr)
		}
	}
	if q.Where != nil {
		out = append(out, q.Where)
	}
	if q.Window != nil && q.Window.Time != nil {
		out = append(out, q.Window.Time)
	}
	out = append(out, q.GroupBy...)
	if q.Having != nil {
		out = append(out, q.Having)
	}
	return out
}

// offsetOf returns the byte offset of pos in text, ok false when pos is
// not in text or just past its end.
func offsetOf(text string, pos Pos) (int, bool) {
	if pos.Line < 1 || pos.Col < 1 {
		return 0, false
	}
	start := 0
	for line := 1; line < pos.Line; line++ {
		i := strings.IndexByte(text[start:], '\n')
		if i < 0 {
			return 0, false
		}
		start += i + 1
	}
	end := len(text)
	if i := strings.IndexByte(text[start:], '\n'); i >= 0 {
		end = start + i
	}
	off := start + pos.Col - 1
	if off > end {
		return 0, false
	}
	return off, true
}
