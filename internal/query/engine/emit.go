package engine

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/braidstream/braid/internal/query/sql"
)

// pending is a result to make: a group's state over a window.
type pending struct {
	start, end int64
	g          *group
	final      bool
}

// emit makes the results of one close (or one round of early results),
// ordered by window end, window start, key. Groups that HAVING rejects
// give none.
func (e *Engine) emit(batch []pending) {
	if len(batch) == 0 {
		return
	}
	slices.SortFunc(batch, func(a, b pending) int {
		if c := cmp.Compare(a.end, b.end); c != 0 {
			return c
		}
		if c := cmp.Compare(a.start, b.start); c != 0 {
			return c
		}
		return strings.Compare(a.g.key, b.g.key)
	})
	now := e.now()
	for _, p := range batch {
		if res, ok := e.result(p); ok {
			e.results = append(e.results, res)
			e.st.resultsOut++
			e.lastResultAt = now
		}
	}
}

// bound is a window bound as a value: COUNT_WINDOW's unknown append time
// (0) is NULL.
func (e *Engine) bound(ns int64) (value, time.Time) {
	if e.kind == sql.Count && ns == 0 {
		return null, time.Time{}
	}
	return timeVal(ns), fromNanos(ns)
}

// result evaluates HAVING and the SELECT items over a group's state. An
// expression that fails here (a type error over aggregates' results)
// counts in ResultErrors and sets LastError: a failed item is NULL, a
// failed HAVING gives no result.
func (e *Engine) result(p pending) (Result, bool) {
	r := &e.row
	r.groupVals = p.g.vals
	for i, s := range p.g.aggs {
		e.aggVals[i] = s.result()
	}
	r.aggVals = e.aggVals
	var ws, we time.Time
	r.winStart, ws = e.bound(p.start)
	r.winEnd, we = e.bound(p.end)
	if e.having != nil {
		v, err := e.having(r)
		if err != nil {
			e.resultError(p, err.Error())
			return Result{}, false
		}
		if !v.isTrue() {
			return Result{}, false
		}
	}
	b := append(e.out[:0], '{')
	if e.autoStart {
		b = append(b, `"window_start":`...)
		b = appendJSON(b, r.winStart)
	}
	if e.autoEnd {
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = append(b, `"window_end":`...)
		b = appendJSON(b, r.winEnd)
	}
	for _, it := range e.items {
		v, err := it.fn(r)
		if err != nil {
			e.resultError(p, err.Error())
			v = null
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = append(b, it.key...)
		b = appendJSON(b, v)
	}
	if e.every > 0 {
		if len(b) > 1 {
			b = append(b, ',')
		}
		if p.final {
			b = append(b, `"final":true`...)
		} else {
			b = append(b, `"final":false`...)
		}
	}
	b = append(b, '}')
	e.out = b
	return Result{
		Key:         p.g.key,
		Data:        append([]byte(nil), b...),
		WindowStart: ws,
		WindowEnd:   we,
		Final:       p.final,
	}, true
}

func (e *Engine) resultError(p pending, msg string) {
	e.st.resultErrors++
	where := "result"
	if p.g.key != "" {
		where += " for " + p.g.key
	}
	if e.kind != sql.Count || p.start != 0 {
		where += " of window " + formatTime(p.start)
	}
	e.lastError = where + ": " + msg
}
