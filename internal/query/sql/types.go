package sql

import (
	"time"
)

// literalType returns the type of a literal's value.
func literalType(v any) Type {
	switch v.(type) {
	case nil:
		return TypeNull
	case bool:
		return TypeBoolean
	case float64:
		return TypeNumber
	case string:
		return TypeString
	case time.Duration:
		return TypeInterval
	}
	return TypeAny
}

// canBool reports whether a value of type t can be a condition.
func canBool(t Type) bool { return t == TypeAny || t == TypeNull || t == TypeBoolean }

// canNumber reports whether a value of type t can be an operand of
// arithmetic.
func canNumber(t Type) bool { return t != TypeString && t != TypeBoolean }

// canString reports whether a value of type t can be LIKE's operand or a
// string function's argument.
func canString(t Type) bool { return t == TypeAny || t == TypeNull || t == TypeString }

// canCompare reports whether values of types a and b can be compared.
// An interval compares as its number of milliseconds.
func canCompare(a, b Type) bool {
	if a == TypeInterval {
		a = TypeNumber
	}
	if b == TypeInterval {
		b = TypeNumber
	}
	return a == TypeAny || b == TypeAny || a == TypeNull || b == TypeNull || a == b
}

// isNullLiteral reports whether e is the NULL literal.
func isNullLiteral(e Expr) bool {
	l, ok := e.(*Literal)
	return ok && l.Value == nil
}

// typeOf returns what is known of e's type, refusing operators and
// functions applied to values of a type they cannot take.
func (p *parser) typeOf(e Expr) Type {
	switch e := e.(type) {
	case *Literal:
		return literalType(e.Value)
	case *Unary:
		t := p.typeOf(e.X)
		if e.Op == "NOT" {
			if !canBool(t) {
				p.failf(e.Pos, "NOT needs a boolean, got %s", typed(e.X, t))
			}
			return TypeBoolean
		}
		if !canNumber(t) {
			p.failf(e.Pos, "unary - needs a number, got %s", typed(e.X, t))
		}
		return TypeNumber
	case *Binary:
		return p.binaryType(e)
	case *Call:
		return p.callType(e)
	case *IsNull:
		p.typeOf(e.X)
		return TypeBoolean
	case *In:
		xt := p.typeOf(e.X)
		for _, v := range e.List {
			if vt := p.typeOf(v); !canCompare(xt, vt) {
				p.failf(StartPos(v), "IN compares %s with %s", typed(e.X, xt), typed(v, vt))
			}
		}
		return TypeBoolean
	case *Like:
		if xt := p.typeOf(e.X); !canString(xt) {
			p.failf(e.Pos, "LIKE needs a string to match, got %s", typed(e.X, xt))
		}
		if pt := p.typeOf(e.Pattern); !canString(pt) {
			p.failf(e.Pos, "LIKE needs a string pattern, got %s", typed(e.Pattern, pt))
		}
		return TypeBoolean
	case *Case:
		var types []Type
		for _, w := range e.Whens {
			if ct := p.typeOf(w.Cond); !canBool(ct) {
				p.failf(StartPos(w.Cond), "WHEN needs a boolean condition, got %s", typed(w.Cond, ct))
			}
			types = append(types, p.typeOf(w.Then))
		}
		if e.Else != nil {
			types = append(types, p.typeOf(e.Else))
		} else {
			types = append(types, TypeNull)
		}
		return common(types)
	case *Cast:
		p.typeOf(e.X)
		switch e.Type {
		case "number":
			return TypeNumber
		case "string":
			return TypeString
		case "boolean":
			return TypeBoolean
		}
	}
	return TypeAny
}

// common returns the one type of types other than NULL, else TypeAny
// (TypeNull when all are NULL).
func common(types []Type) Type {
	out := TypeNull
	for _, t := range types {
		switch {
		case t == TypeNull:
		case out == TypeNull:
			out = t
		case out != t:
			return TypeAny
		}
	}
	return out
}

func (p *parser) binaryType(e *Binary) Type {
	lt, rt := p.typeOf(e.L), p.typeOf(e.R)
	switch binaryPrec(e.Op) {
	case precOr, precAnd:
		if !canBool(lt) {
			p.failf(e.Pos, "%s needs booleans, got %s on its left", e.Op, typed(e.L, lt))
		}
		if !canBool(rt) {
			p.failf(e.Pos, "%s needs booleans, got %s on its right", e.Op, typed(e.R, rt))
		}
		return TypeBoolean
	case precCompare:
		if isNullLiteral(e.L) || isNullLiteral(e.R) {
			fix := "IS NULL"
			if e.Op == "<>" {
				fix = "IS NOT NULL"
			}
			p.failf(e.Pos, "%s NULL is never true (a comparison with NULL is NULL): use %s", e.Op, fix)
		}
		if !canCompare(lt, rt) {
			p.failf(e.Pos, "%s cannot compare %s with %s", e.Op, typed(e.L, lt), typed(e.R, rt))
		}
		return TypeBoolean
	case precConcat:
		return TypeString
	case precAdd, precMul:
		if !canNumber(lt) || !canNumber(rt) {
			hint := ""
			if e.Op == "+" && (lt == TypeString || rt == TypeString) {
				hint = " (use || to join strings)"
			}
			p.failf(e.Pos, "%s needs numbers, got %s and %s%s", e.Op, typed(e.L, lt), typed(e.R, rt), hint)
		}
		return TypeNumber
	}
	return TypeAny
}

func (p *parser) callType(c *Call) Type {
	f, ok := funcs[c.Name]
	var types []Type
	for i, a := range c.Args {
		t := p.typeOf(a)
		types = append(types, t)
		if !ok {
			continue
		}
		switch want := f.Param(i); {
		case want == TypeNumber && !canNumber(t), want == TypeString && !canString(t):
			p.failf(StartPos(a), "%s needs a %s as argument %d, got %s", c.Name, want, i+1, typed(a, t))
		}
	}
	switch {
	case !ok:
		return TypeAny
	case f.SameAsArgs:
		if t := common(types); t != TypeNull {
			return t
		}
		return TypeAny
	}
	return f.Result
}
