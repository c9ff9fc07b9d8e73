package engine

import (
	"fmt"
	"math"

	"github.com/braidstream/braid/internal/query/sql"
)

// Aggregates. Each skips NULL arguments; over no (non-NULL) values count
// and count_distinct give 0, the others NULL.
//
//   - count(*) counts events, count(x) non-NULL values; an integer.
//   - sum, avg: numbers.
//   - min, max: numbers, strings (compared as strings, by bytes) or
//     timestamps; one group's values must all be of one type.
//   - stddev: the sample standard deviation (divided by n−1; NULL below
//     two values), by Welford's algorithm.
//   - first, last: the first and last non-NULL value, in processing order.
//   - count_distinct(x), count(DISTINCT x): see agg_distinct.go.
//   - approx_percentile(x, p): see agg_percentile.go.
type aggKind uint8

const (
	aggCountStar aggKind = iota
	aggCount
	aggSum
	aggAvg
	aggMin
	aggMax
	aggStddev
	aggFirst
	aggLast
	aggDistinct
	aggPercentile
)

var aggKinds = map[string]aggKind{
	"count":             aggCount,
	"sum":               aggSum,
	"avg":               aggAvg,
	"min":               aggMin,
	"max":               aggMax,
	"stddev":            aggStddev,
	"first":             aggFirst,
	"last":              aggLast,
	"count_distinct":    aggDistinct,
	"approx_percentile": aggPercentile,
}

func isAggregate(name string) bool {
	_, ok := aggKinds[name]
	return ok
}

// aggSpec is one aggregate of a query (equal calls share one).
type aggSpec struct {
	kind aggKind
	text string
	arg  evalFn // nil for count(*)
	p    float64
}

// aggList collects a query's aggregates while its SELECT and HAVING
// compile.
type aggList struct {
	specs []*aggSpec
	index map[string]int
}

// add registers the aggregate call x and returns the expression reading
// its result.
func (l *aggList) add(c *compiler, x *sql.Call) (evalFn, error) {
	text := x.String()
	i, ok := l.index[text]
	if !ok {
		s, err := newAggSpec(c, x)
		if err != nil {
			return nil, err
		}
		i = len(l.specs)
		l.specs = append(l.specs, s)
		l.index[text] = i
	}
	return func(r *row) (value, error) { return r.aggVals[i], nil }, nil
}

func newAggSpec(c *compiler, x *sql.Call) (*aggSpec, error) {
	s := &aggSpec{kind: aggKinds[x.Name], text: x.String()}
	args := x.Args
	switch {
	case x.Star:
		if x.Name != "count" || len(args) != 0 {
			return nil, fmt.Errorf("%s: only count takes *", x.Position())
		}
		s.kind = aggCountStar
		return s, nil
	case x.Distinct:
		if x.Name != "count" && x.Name != "count_distinct" {
			return nil, fmt.Errorf("%s: DISTINCT is only for count", x.Position())
		}
		s.kind = aggDistinct
	}
	want := 1
	if s.kind == aggPercentile {
		want = 2
	}
	if len(args) != want {
		return nil, fmt.Errorf("%s: %s takes %d argument(s)", x.Position(), x.Name, want)
	}
	if s.kind == aggPercentile {
		lit, ok := args[1].(*sql.Literal)
		p, isNum := 0.0, false
		if ok {
			p, isNum = lit.Value.(float64)
		}
		if !isNum || !(p >= 0 && p <= 1) {
			return nil, fmt.Errorf("%s: approx_percentile's second argument must be a number from 0 to 1", x.Position())
		}
		s.p = p
	}
	sub := *c
	sub.mode = modeEvent
	var err error
	if s.arg, err = sub.compile(args[0]); err != nil {
		return nil, err
	}
	return s, nil
}

// check reports a type error of v (not NULL) for this aggregate, whatever
// its state.
func (s *aggSpec) check(v value) string {
	switch s.kind {
	case aggSum, aggAvg, aggStddev, aggPercentile:
		if v.k != kNum {
			return wants("a number", v)
		}
	case aggMin, aggMax:
		if v.k != kNum && v.k != kStr && v.k != kTime {
			return wants("a number, string or timestamp", v)
		}
	}
	return ""
}

// aggState is one group's state of one aggregate.
type aggState interface {
	// check reports a type error of v against the state (min and max
	// hold one type).
	check(v value) string
	// add takes one non-NULL value that passed check; seq is the
	// event's processing order.
	add(v value, seq uint64)
	// merge folds in another state of the same aggregate (sessions that
	// an event bridges).
	merge(o aggState)
	result() value
	save(w *writer)
	load(r *reader)
}

func (s *aggSpec) newState() aggState {
	switch s.kind {
	case aggCountStar, aggCount:
		return &countState{}
	case aggSum:
		return &sumState{}
	case aggAvg:
		return &sumState{avg: true}
	case aggMin:
		return &extremeState{sign: -1}
	case aggMax:
		return &extremeState{sign: 1}
	case aggStddev:
		return &stddevState{}
	case aggFirst:
		return &firstLastState{}
	case aggLast:
		return &firstLastState{last: true}
	case aggDistinct:
		return newDistinctState()
	case aggPercentile:
		return &percentileState{p: s.p}
	}
	panic("engine: unknown aggregate")
}

type countState struct{ n int64 }

func (s *countState) check(value) string  { return "" }
func (s *countState) add(value, uint64)   { s.n++ }
func (s *countState) merge(o aggState)    { s.n += o.(*countState).n }
func (s *countState) result() value       { return numVal(float64(s.n)) }
func (s *countState) save(w *writer)      { w.varint(s.n) }
func (s *countState) load(r *reader)      { s.n = r.varint() }
func (s *sumState) check(value) string    { return "" }
func (s *stddevState) check(value) string { return "" }

// sumState is sum, or avg.
type sumState struct {
	avg bool
	n   int64
	sum float64
}

func (s *sumState) add(v value, _ uint64) { s.n++; s.sum += v.n }
func (s *sumState) merge(o aggState) {
	t := o.(*sumState)
	s.n += t.n
	s.sum += t.sum
}
func (s *sumState) result() value {
	switch {
	case s.n == 0:
		return null
	case s.avg:
		return numVal(s.sum / float64(s.n))
	}
	return numVal(s.sum)
}
func (s *sumState) save(w *writer) { w.varint(s.n); w.f64(s.sum) }
func (s *sumState) load(r *reader) { s.n = r.varint(); s.sum = r.f64() }

// extremeState is min (sign -1) or max (1).
type extremeState struct {
	sign int
	v    value // null until the first value
}

func (s *extremeState) check(v value) string {
	if s.v.k != kNull && s.v.k != v.k {
		return "found a " + v.describe() + " where earlier values were of type " + s.v.typeName()
	}
	return ""
}
func (s *extremeState) add(v value, _ uint64) {
	if s.v.k == kNull {
		s.v = v
		return
	}
	if n, err := compare(v, s.v); err == nil && n*s.sign > 0 {
		s.v = v
	}
}
func (s *extremeState) merge(o aggState) {
	if t := o.(*extremeState); t.v.k != kNull && s.check(t.v) == "" {
		s.add(t.v, 0)
	}
}
func (s *extremeState) result() value  { return s.v }
func (s *extremeState) save(w *writer) { w.value(s.v) }
func (s *extremeState) load(r *reader) { s.v = r.value() }

// stddevState keeps Welford's running mean and sum of squared deviations.
type stddevState struct {
	n    int64
	mean float64
	m2   float64
}

func (s *stddevState) add(v value, _ uint64) {
	s.n++
	d := v.n - s.mean
	s.mean += d / float64(s.n)
	s.m2 += d * (v.n - s.mean)
}
func (s *stddevState) merge(o aggState) {
	t := o.(*stddevState)
	if t.n == 0 {
		return
	}
	if s.n == 0 {
		s.n, s.mean, s.m2 = t.n, t.mean, t.m2
		return
	}
	n := s.n + t.n
	d := t.mean - s.mean
	s.mean += d * float64(t.n) / float64(n)
	s.m2 += t.m2 + d*d*float64(s.n)*float64(t.n)/float64(n)
	s.n = n
}
func (s *stddevState) result() value {
	if s.n < 2 {
		return null
	}
	return numVal(math.Sqrt(math.Max(s.m2, 0) / float64(s.n-1)))
}
func (s *stddevState) save(w *writer) { w.varint(s.n); w.f64(s.mean); w.f64(s.m2) }
func (s *stddevState) load(r *reader) { s.n = r.varint(); s.mean = r.f64(); s.m2 = r.f64() }

// firstLastState keeps the first (or last) value and its event's order.
type firstLastState struct {
	last bool
	has  bool
	seq  uint64
	v    value
}

func (s *firstLastState) check(value) string { return "" }
func (s *firstLastState) add(v value, seq uint64) {
	if !s.has || s.last {
		s.has, s.seq, s.v = true, seq, v
	}
}
func (s *firstLastState) merge(o aggState) {
	t := o.(*firstLastState)
	if t.has && (!s.has || (s.last && t.seq > s.seq) || (!s.last && t.seq < s.seq)) {
		s.has, s.seq, s.v = true, t.seq, t.v
	}
}
func (s *firstLastState) result() value { return s.v }
func (s *firstLastState) save(w *writer) {
	w.bool(s.has)
	w.uvarint(s.seq)
	w.value(s.v)
}
func (s *firstLastState) load(r *reader) {
	s.has = r.bool()
	s.seq = r.uvarint()
	s.v = r.value()
}
