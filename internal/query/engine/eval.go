package engine

import (
	"fmt"
	"math"
	"time"

	"github.com/braidstream/braid/internal/query/sql"
)

// evalFn is a compiled expression. Expressions are compiled once, in New,
// into closures; evaluating one allocates only for the values it makes.
type evalFn func(r *row) (value, error)

// evalError is a type error: the expression's text and what was wrong.
type evalError struct {
	expr string
	msg  string
}

func (e *evalError) Error() string { return e.expr + ": " + e.msg }

// mode says what an expression is evaluated over.
type mode int

const (
	// modeEvent: the event's fields (WHERE, GROUP BY, window time,
	// aggregate arguments, SELECT of a query that does not aggregate).
	modeEvent mode = iota
	// modeOutput: a group's values, its aggregates' results and its
	// window's bounds (SELECT and HAVING of an aggregating query).
	modeOutput
)

// compiler turns expressions into evalFns.
type compiler struct {
	fields *fieldSet
	mode   mode
	// used collects the field ids the compiled expressions read.
	used map[int]bool
	// Output mode: the GROUP BY expressions' texts (an expression equal
	// to one reads the group's value), and the aggregates.
	groupBy  []string
	windowed bool
	aggs     *aggList
}

func (c *compiler) compile(x sql.Expr) (evalFn, error) {
	if x == nil {
		return nil, fmt.Errorf("missing expression")
	}
	if c.mode == modeOutput {
		text := x.String()
		for i, g := range c.groupBy {
			if g == text {
				return func(r *row) (value, error) { return r.groupVals[i], nil }, nil
			}
		}
	}
	switch x := x.(type) {
	case *sql.Literal:
		v, err := literal(x)
		if err != nil {
			return nil, err
		}
		return func(*row) (value, error) { return v, nil }, nil
	case *sql.Field:
		if c.mode == modeOutput {
			return nil, fmt.Errorf("%s: field %s is neither grouped by nor inside an aggregate", x.Position(), x)
		}
		id := c.fields.add(x)
		if c.used != nil {
			c.used[id] = true
		}
		return func(r *row) (value, error) { return r.field(id), nil }, nil
	case *sql.AppendTime:
		if c.mode == modeOutput {
			return nil, fmt.Errorf("%s: _time is neither grouped by nor inside an aggregate", x.Position())
		}
		return func(r *row) (value, error) {
			if r.appendTime == 0 {
				return null, nil
			}
			return timeVal(r.appendTime), nil
		}, nil
	case *sql.WindowBound:
		if c.mode != modeOutput || !c.windowed {
			return nil, fmt.Errorf("%s: %s is only known in the results of a windowed query", x.Position(), x)
		}
		if x.End {
			return func(r *row) (value, error) { return r.winEnd, nil }, nil
		}
		return func(r *row) (value, error) { return r.winStart, nil }, nil
	case *sql.Unary:
		return c.unary(x)
	case *sql.Binary:
		return c.binary(x)
	case *sql.Call:
		if isAggregate(x.Name) {
			if c.mode != modeOutput {
				return nil, fmt.Errorf("%s: aggregate %s is not allowed here", x.Position(), x)
			}
			return c.aggs.add(c, x)
		}
		return c.call(x)
	case *sql.IsNull:
		return c.isNull(x)
	case *sql.In:
		return c.in(x)
	case *sql.Like:
		return c.like(x)
	case *sql.Case:
		return c.caseExpr(x)
	case *sql.Cast:
		return c.cast(x)
	}
	return nil, fmt.Errorf("%s: unsupported expression %s", x.Position(), x)
}

func literal(x *sql.Literal) (value, error) {
	switch v := x.Value.(type) {
	case nil:
		return null, nil
	case bool:
		return boolVal(v), nil
	case float64:
		return numVal(v), nil
	case int:
		return numVal(float64(v)), nil
	case int64:
		return numVal(float64(v)), nil
	case string:
		return strVal(v), nil
	case time.Duration:
		return value{k: kDur, i: int64(v)}, nil
	}
	return null, fmt.Errorf("%s: unsupported literal %T", x.Position(), x.Value)
}

func (c *compiler) unary(x *sql.Unary) (evalFn, error) {
	f, err := c.compile(x.X)
	if err != nil {
		return nil, err
	}
	text := x.String()
	switch x.Op {
	case "NOT":
		return func(r *row) (value, error) {
			v, err := f(r)
			if err != nil || v.k == kNull {
				return null, err
			}
			if v.k != kBool {
				return null, &evalError{text, "NOT wants a boolean, found a " + v.describe()}
			}
			return boolVal(v.i == 0), nil
		}, nil
	case "-":
		return func(r *row) (value, error) {
			v, err := f(r)
			if err != nil || v.k == kNull {
				return null, err
			}
			switch v.k {
			case kNum:
				return numVal(-v.n), nil
			case kDur:
				return value{k: kDur, i: -v.i}, nil
			}
			return null, &evalError{text, "- wants a number, found a " + v.describe()}
		}, nil
	}
	return nil, fmt.Errorf("%s: unknown operator %s", x.Position(), x.Op)
}

func (c *compiler) binary(x *sql.Binary) (evalFn, error) {
	l, err := c.compile(x.L)
	if err != nil {
		return nil, err
	}
	rf, err := c.compile(x.R)
	if err != nil {
		return nil, err
	}
	text := x.String()
	switch x.Op {
	case "AND", "OR":
		return logic(x.Op == "AND", l, rf, text), nil
	case "=", "<>", "!=":
		want := x.Op == "="
		return func(r *row) (value, error) {
			a, err := l(r)
			if err != nil {
				return null, err
			}
			b, err := rf(r)
			if err != nil || a.k == kNull || b.k == kNull {
				return null, err
			}
			return boolVal(equal(a, b) == want), nil
		}, nil
	case "<", "<=", ">", ">=":
		test := orderTest(x.Op)
		return func(r *row) (value, error) {
			a, err := l(r)
			if err != nil {
				return null, err
			}
			b, err := rf(r)
			if err != nil || a.k == kNull || b.k == kNull {
				return null, err
			}
			n, err := compare(a, b)
			if err != nil {
				return null, &evalError{text, err.Error()}
			}
			return boolVal(test(n)), nil
		}, nil
	case "||":
		return func(r *row) (value, error) {
			a, err := l(r)
			if err != nil {
				return null, err
			}
			b, err := rf(r)
			if err != nil || a.k == kNull || b.k == kNull {
				return null, err
			}
			return strVal(a.text() + b.text()), nil
		}, nil
	case "+", "-", "*", "/", "%":
		op := x.Op[0]
		return func(r *row) (value, error) {
			a, err := l(r)
			if err != nil {
				return null, err
			}
			b, err := rf(r)
			if err != nil || a.k == kNull || b.k == kNull {
				return null, err
			}
			v, ok := arith(op, a, b)
			if !ok {
				return null, &evalError{text, fmt.Sprintf("%c cannot combine a %s with a %s", op, a.describe(), b.describe())}
			}
			return v, nil
		}, nil
	}
	return nil, fmt.Errorf("%s: unknown operator %s", x.Position(), x.Op)
}

func orderTest(op string) func(int) bool {
	switch op {
	case "<":
		return func(n int) bool { return n < 0 }
	case "<=":
		return func(n int) bool { return n <= 0 }
	case ">":
		return func(n int) bool { return n > 0 }
	}
	return func(n int) bool { return n >= 0 }
}

// logic is AND or OR with SQL's three-valued logic; the right side is not
// evaluated when the left decides.
func logic(and bool, l, rf evalFn, text string) evalFn {
	op := "OR"
	if and {
		op = "AND"
	}
	return func(r *row) (value, error) {
		a, err := l(r)
		if err != nil {
			return null, err
		}
		if a.k != kNull && a.k != kBool {
			return null, &evalError{text, op + " wants booleans, found a " + a.describe()}
		}
		if a.k == kBool && (a.i != 0) != and {
			return a, nil // false AND x, true OR x
		}
		b, err := rf(r)
		if err != nil {
			return null, err
		}
		if b.k != kNull && b.k != kBool {
			return null, &evalError{text, op + " wants booleans, found a " + b.describe()}
		}
		if b.k == kBool && (b.i != 0) != and {
			return b, nil
		}
		if a.k == kNull || b.k == kNull {
			return null, nil
		}
		return a, nil
	}
}

// arith applies an arithmetic operator: numbers with numbers, and
// timestamp ± interval, timestamp - timestamp, interval ± interval. A
// division or remainder by zero, or a result that is not finite, is NULL.
func arith(op byte, a, b value) (value, bool) {
	if a.k == kNum && b.k == kNum {
		switch op {
		case '+':
			return numVal(a.n + b.n), true
		case '-':
			return numVal(a.n - b.n), true
		case '*':
			return numVal(a.n * b.n), true
		case '/':
			if b.n == 0 {
				return null, true
			}
			return numVal(a.n / b.n), true
		case '%':
			if b.n == 0 {
				return null, true
			}
			return numVal(math.Mod(a.n, b.n)), true
		}
		return null, false
	}
	switch {
	case a.k == kTime && b.k == kDur && op == '+', a.k == kDur && b.k == kTime && op == '+':
		return timeVal(a.i + b.i), true
	case a.k == kTime && b.k == kDur && op == '-':
		return timeVal(a.i - b.i), true
	case a.k == kTime && b.k == kTime && op == '-':
		return value{k: kDur, i: a.i - b.i}, true
	case a.k == kDur && b.k == kDur && (op == '+' || op == '-'):
		if op == '-' {
			return value{k: kDur, i: a.i - b.i}, true
		}
		return value{k: kDur, i: a.i + b.i}, true
	}
	return null, false
}

func (c *compiler) isNull(x *sql.IsNull) (evalFn, error) {
	f, err := c.compile(x.X)
	if err != nil {
		return nil, err
	}
	not := x.Not
	return func(r *row) (value, error) {
		v, err := f(r)
		if err != nil {
			return null, err
		}
		return boolVal((v.k == kNull) != not), nil
	}, nil
}

func (c *compiler) in(x *sql.In) (evalFn, error) {
	f, err := c.compile(x.X)
	if err != nil {
		return nil, err
	}
	list := make([]evalFn, len(x.List))
	for i, e := range x.List {
		if list[i], err = c.compile(e); err != nil {
			return nil, err
		}
	}
	not := x.Not
	return func(r *row) (value, error) {
		v, err := f(r)
		if err != nil || v.k == kNull {
			return null, err
		}
		sawNull := false
		for _, g := range list {
			w, err := g(r)
			if err != nil {
				return null, err
			}
			if w.k == kNull {
				sawNull = true
				continue
			}
			if equal(v, w) {
				return boolVal(!not), nil
			}
		}
		if sawNull {
			return null, nil
		}
		return boolVal(not), nil
	}, nil
}

func (c *compiler) like(x *sql.Like) (evalFn, error) {
	f, err := c.compile(x.X)
	if err != nil {
		return nil, err
	}
	pf, err := c.compile(x.Pattern)
	if err != nil {
		return nil, err
	}
	text := x.String()
	not := x.Not
	return func(r *row) (value, error) {
		v, err := f(r)
		if err != nil {
			return null, err
		}
		p, err := pf(r)
		if err != nil || v.k == kNull || p.k == kNull {
			return null, err
		}
		if v.k != kStr || p.k != kStr {
			bad := v
			if v.k == kStr {
				bad = p
			}
			return null, &evalError{text, "LIKE wants strings, found a " + bad.describe()}
		}
		return boolVal(likeMatch(v.s, p.s) != not), nil
	}, nil
}

func (c *compiler) caseExpr(x *sql.Case) (evalFn, error) {
	type when struct{ cond, then evalFn }
	whens := make([]when, len(x.Whens))
	for i, w := range x.Whens {
		cf, err := c.compile(w.Cond)
		if err != nil {
			return nil, err
		}
		tf, err := c.compile(w.Then)
		if err != nil {
			return nil, err
		}
		whens[i] = when{cf, tf}
	}
	var elseFn evalFn
	if x.Else != nil {
		var err error
		if elseFn, err = c.compile(x.Else); err != nil {
			return nil, err
		}
	}
	text := x.String()
	return func(r *row) (value, error) {
		for _, w := range whens {
			v, err := w.cond(r)
			if err != nil {
				return null, err
			}
			if v.k != kNull && v.k != kBool {
				return null, &evalError{text, "WHEN wants a boolean, found a " + v.describe()}
			}
			if v.isTrue() {
				return w.then(r)
			}
		}
		if elseFn != nil {
			return elseFn(r)
		}
		return null, nil
	}, nil
}
