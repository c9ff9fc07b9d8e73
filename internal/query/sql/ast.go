// Package sql holds braid's continuous-query language: its syntax tree, a
// hand-written lexer and parser, and the checks a query passes before it
// runs (names, arity, types that literals fix, what may be aggregated and
// grouped). The engine that runs a checked query is package query.
package sql

import (
	"fmt"
	"time"
)

// Pos is a place in the query's text: line and column from 1 (the column
// counts bytes).
type Pos struct {
	Line, Col int
}

func (p Pos) String() string { return fmt.Sprintf("line %d, column %d", p.Line, p.Col) }

// Error is a parse or check error at a place in the text.
type Error struct {
	Pos Pos
	Msg string
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// Query is one parsed and checked query:
//
//	SELECT items FROM scope.stream [WHERE cond]
//	  [GROUP BY window, exprs...] [HAVING cond]
//	  [EMIT FINAL | EMIT EVERY INTERVAL '5' SECOND]
//	  [WITH (option = value, ...)]
type Query struct {
	Select []SelectItem
	From   StreamRef
	Where  Expr // nil without WHERE
	// Window is the GROUP BY's window function, nil without one.
	Window *Window
	// GroupBy holds the GROUP BY's expressions other than the window, in
	// order.
	GroupBy []Expr
	Having  Expr // nil without HAVING
	Emit    Emit
	Options Options
	// Aggregates reports whether the query aggregates (a GROUP BY or an
	// aggregate function in SELECT or HAVING). A query that aggregates
	// has a window: Parse refuses one without (its state would grow
	// without bound).
	Aggregates bool
}

// SelectItem is one expression of the SELECT list with its output name.
type SelectItem struct {
	Expr Expr
	// Name is the AS alias, or for a field its last path element, or
	// window_start / window_end, or the expression's text (String), or
	// "*" for SELECT *; names are unique within a query (Parse checks).
	Name string
	// Star is SELECT *: the event's whole JSON object (not in an
	// aggregating query). Expr is nil then.
	Star bool
	Pos  Pos
}

// StreamRef names a stream: scope.stream in the text, scope/stream here.
type StreamRef struct {
	Scope, Stream string
	Pos           Pos
}

// String returns scope/stream.
func (s StreamRef) String() string { return s.Scope + "/" + s.Stream }

// WindowKind says which window function groups events.
type WindowKind int

const (
	// Tumble: TUMBLE(time, size): fixed windows of Size, one per event.
	Tumble WindowKind = iota + 1
	// Hop: HOP(time, slide, size): windows of Size starting every
	// Slide; an event is in Size/Slide windows.
	Hop
	// Session: SESSION(time, gap [, max]): per group, events closer
	// than Gap form one window, at most MaxDuration long when set.
	Session
	// Count: COUNT_WINDOW(n): per group, every N events form one window
	// (no time, no watermark).
	Count
)

// Window is the GROUP BY's window function.
type Window struct {
	Kind WindowKind
	// Time is the event time: a field (an RFC 3339 string or a number
	// of milliseconds since 1970) or the append time (AppendTime). Nil
	// for Count.
	Time        Expr
	Size        time.Duration // Tumble, Hop
	Slide       time.Duration // Hop
	Gap         time.Duration // Session
	MaxDuration time.Duration // Session; 0: none
	Count       int64         // Count
	Pos         Pos
}

// Emit says when results of a window are written.
type Emit struct {
	// Every, when above 0, also emits early results of open windows that
	// changed, every Every of wall-clock time (EMIT EVERY); the final
	// result still comes when the window closes.
	Every time.Duration
}

// Late-event policies.
const (
	LateDrop   = "drop"   // counted and dropped
	LateStream = "stream" // written to Options.LateStream
)

// Watermark sources.
const (
	// WatermarkDelay: the greatest event time seen less WatermarkDelay
	// (bounded out-of-orderness).
	WatermarkDelay = "delay"
	// WatermarkSource: the input stream's own watermark (its writers'
	// noted times) at the query's read position.
	WatermarkSource = "source"
)

// Options are the WITH (...) settings; Parse fills the defaults of those
// a query does not set (see DefaultOptions).
type Options struct {
	// Watermark is WatermarkDelay (default) or WatermarkSource.
	Watermark string
	// WatermarkDelay is the bounded out-of-orderness (default 0).
	WatermarkDelay time.Duration
	// AllowedLateness keeps a window open this long past its end (by
	// the watermark) for late events (default 0).
	AllowedLateness time.Duration
	// IdleTimeout: when no event came for this long (wall clock), the
	// watermark moves with the wall clock less WatermarkDelay, so an
	// idle input does not hold windows open (default 10 s; 0: never).
	IdleTimeout time.Duration
	// MaxFuture: an event time further than this past the wall clock is
	// refused as a future event (counted, sent with late events) so it
	// cannot drag the watermark ahead (default 1 h).
	MaxFuture time.Duration
	// Late is LateDrop (default) or LateStream; LateStream names the
	// stream (scope/stream) late and future events go to.
	Late       string
	LateStream string
	// Output is the stream results go to (scope/stream); empty: the
	// deployment names it.
	Output string
	// MaxGroups bounds the open windows' groups (default 100000); events
	// of further groups are counted and dropped.
	MaxGroups int
	// Start is where a new query begins reading: "earliest" (default,
	// the stream's head) or "latest" (its tail).
	Start string
}

// Expr is an expression.
type Expr interface {
	Position() Pos
	// String returns the expression as text that parses back to it.
	String() string
}

// Literal is a constant: nil (NULL), bool, float64, string, or
// time.Duration (INTERVAL '5' SECOND).
type Literal struct {
	Value any
	Pos   Pos
}

// Field is a path into the event's JSON object: a, a.b, "odd name".
type Field struct {
	Path []string
	Pos  Pos
}

// AppendTime is _time, the event's append time.
type AppendTime struct {
	Pos Pos
}

// WindowBound is window_start or window_end, the bounds of the window a
// result is for (in SELECT and HAVING of a windowed query).
type WindowBound struct {
	End bool
	Pos Pos
}

// Unary is NOT x or -x.
type Unary struct {
	Op  string // "NOT", "-"
	X   Expr
	Pos Pos
}

// Binary is l op r: arithmetic (+ - * / %), string concatenation (||),
// comparison (= <> < <= > >=), logic (AND OR).
type Binary struct {
	Op   string
	L, R Expr
	Pos  Pos
}

// Call is a function call: a scalar function or an aggregate.
type Call struct {
	// Name is lower case.
	Name string
	Args []Expr
	// Star is count(*).
	Star bool
	// Distinct is count(DISTINCT x), the same as count_distinct(x).
	Distinct bool
	Pos      Pos
}

// IsNull is x IS [NOT] NULL.
type IsNull struct {
	X   Expr
	Not bool
	Pos Pos
}

// In is x [NOT] IN (list).
type In struct {
	X    Expr
	List []Expr
	Not  bool
	Pos  Pos
}

// Like is x [NOT] LIKE pattern (% any run, _ one character).
type Like struct {
	X, Pattern Expr
	Not        bool
	Pos        Pos
}

// Case is CASE WHEN c THEN v ... [ELSE e] END.
type Case struct {
	Whens []When
	Else  Expr // nil: NULL
	Pos   Pos
}

// When is one WHEN of a Case.
type When struct {
	Cond, Then Expr
}

// Cast is CAST(x AS type), type one of number, string, boolean.
type Cast struct {
	X    Expr
	Type string
	Pos  Pos
}
