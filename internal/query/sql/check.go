package sql

import (
	"fmt"
)

// check runs the checks of a parsed query, in the order of its text
// where it can, sets Aggregates and the select items' names, and fills
// the options' defaults.
func (p *parser) check(q *Query) {
	// Where aggregates and window bounds may be.
	if q.Where != nil {
		p.noAggregates(q.Where, "WHERE",
			"WHERE filters each event before grouping (filter on aggregates in HAVING)",
			"WHERE filters each event before it is put in windows (use it in SELECT or HAVING)")
	}
	for _, g := range q.GroupBy {
		p.noAggregates(g, "GROUP BY",
			"groups are formed before aggregating",
			"the window function already groups by window")
	}
	aggregates := p.hasGroup
	var firstAgg Expr
	for _, it := range q.Select {
		if it.Expr != nil {
			if a := p.aggregateUse(it.Expr); a != nil && firstAgg == nil {
				firstAgg = a
			}
		}
	}
	if q.Having != nil {
		if a := p.aggregateUse(q.Having); a != nil && firstAgg == nil {
			firstAgg = a
		}
	}
	aggregates = aggregates || firstAgg != nil
	q.Aggregates = aggregates

	// An aggregating query needs a window.
	if aggregates && q.Window == nil {
		pos := p.groupPos
		if !p.hasGroup {
			pos = firstAgg.Position()
		}
		p.failf(pos, "this query aggregates without a window, so its state would grow without bound: "+
			"add a window function to GROUP BY, such as GROUP BY TUMBLE(_time, INTERVAL '1' MINUTE) (or HOP, SESSION, COUNT_WINDOW)")
	}

	// Window bounds, *, HAVING and EMIT need an aggregating query.
	if !aggregates {
		if q.Having != nil {
			p.failf(StartPos(q.Having), "HAVING filters the results of a windowed GROUP BY, and this query does not aggregate: use WHERE to filter events")
		}
		if p.hasEmit {
			p.failf(p.emitPos, "EMIT says when windows are written, and this query has no window (add GROUP BY with a window function)")
		}
	}
	for _, it := range q.Select {
		if it.Star && aggregates {
			p.failf(it.Pos, "SELECT * is not allowed in an aggregating query: select the GROUP BY expressions, the window bounds and aggregates")
		}
		if it.Expr != nil {
			p.checkBounds(it.Expr, q)
		}
	}
	if q.Having != nil {
		p.checkBounds(q.Having, q)
	}

	// In an aggregating query, what is outside aggregates is grouped.
	if aggregates {
		grouped := map[string]bool{}
		for _, g := range q.GroupBy {
			s := g.String()
			if grouped[s] {
				p.failf(StartPos(g), "%s appears twice in GROUP BY", clip(s))
			}
			grouped[s] = true
		}
		for _, it := range q.Select {
			if it.Expr == nil {
				continue
			}
			hint := ""
			if grouped[quoteIdent(it.Name)] {
				hint = fmt.Sprintf(" (GROUP BY %s names the event's field %s, not this column: group by the expression itself)", quoteIdent(it.Name), quoteIdent(it.Name))
			}
			p.checkGrouped(it.Expr, grouped, "SELECT", func(*Field) string { return hint })
		}
		if q.Having != nil {
			aliases := map[string]string{}
			for _, it := range q.Select {
				if it.Name != "" && it.Expr != nil {
					aliases[it.Name] = it.Expr.String()
				}
			}
			p.checkGrouped(q.Having, grouped, "HAVING", func(f *Field) string {
				if e, ok := aliases[f.Path[0]]; ok && len(f.Path) == 1 {
					return fmt.Sprintf(" (%s is a column of SELECT; HAVING cannot refer to columns: repeat the expression, %s)", quoteIdent(f.Path[0]), clip(e))
				}
				return ""
			})
		}
	}

	// Types that literals fix.
	for _, it := range q.Select {
		if it.Expr != nil {
			p.typeOf(it.Expr)
		}
	}
	if q.Where != nil {
		p.condition(q.Where, "WHERE")
	}
	for _, g := range q.GroupBy {
		p.typeOf(g)
	}
	if q.Having != nil {
		p.condition(q.Having, "HAVING")
	}

	p.nameColumns(q)
	p.fillDefaults(&q.Options)
	p.checkStreams(q)
}

// noAggregates refuses aggregates and window bounds in e, a WHERE or a
// GROUP BY expression, saying why.
func (p *parser) noAggregates(e Expr, clause, whyAgg, whyBound string) {
	Walk(e, func(x Expr) bool {
		switch x := x.(type) {
		case *Call:
			if x.IsAggregate() {
				p.failf(x.Pos, "aggregate %s is not allowed in %s: %s", x.Name, clause, whyAgg)
			}
		case *WindowBound:
			p.failf(x.Pos, "%s is not allowed in %s: %s", x.Name(), clause, whyBound)
		}
		return true
	})
	if clause == "GROUP BY" {
		constant := true
		Walk(e, func(x Expr) bool {
			switch x.(type) {
			case *Field, *AppendTime:
				constant = false
			}
			return constant
		})
		if constant {
			p.failf(StartPos(e), "GROUP BY %s groups by a constant: group by an expression over the event's fields (column numbers are not supported)", clip(e.String()))
		}
	}
}

// aggregateUse checks the aggregates of a SELECT or HAVING expression
// (not nested, no window bounds inside) and returns the first, or nil.
func (p *parser) aggregateUse(e Expr) Expr {
	var first Expr
	Walk(e, func(x Expr) bool {
		c, ok := x.(*Call)
		if !ok || !c.IsAggregate() {
			return true
		}
		if first == nil {
			first = c
		}
		for _, a := range c.Args {
			Walk(a, func(y Expr) bool {
				switch y := y.(type) {
				case *Call:
					if y.IsAggregate() {
						p.failf(y.Pos, "aggregate %s inside aggregate %s: aggregates do not nest", y.Name, c.Name)
					}
				case *WindowBound:
					p.failf(y.Pos, "%s inside aggregate %s: an aggregate folds events, and an event has no window bound (use %s outside the aggregate)", y.Name(), c.Name, y.Name())
				}
				return true
			})
		}
		if c.Name == "approx_percentile" && len(c.Args) == 2 {
			l, ok := c.Args[1].(*Literal)
			f, isNum := 0.0, false
			if ok {
				f, isNum = l.Value.(float64)
			}
			if !isNum || f < 0 || f > 1 {
				p.failf(StartPos(c.Args[1]), "the percentile of approx_percentile(x, p) must be a number literal from 0 to 1, found %s", clip(c.Args[1].String()))
			}
		}
		return false
	})
	return first
}

// checkBounds refuses window_start and window_end where there is no
// window with time bounds.
func (p *parser) checkBounds(e Expr, q *Query) {
	Walk(e, func(x Expr) bool {
		b, ok := x.(*WindowBound)
		switch {
		case !ok:
		case q.Window == nil:
			p.failf(b.Pos, "%s needs a window: it is the bound of the window a result is for, in a query with TUMBLE, HOP or SESSION in GROUP BY", b.Name())
		case q.Window.Kind == Count:
			p.failf(b.Pos, "%s is not defined for COUNT_WINDOW, whose windows have no time bounds (use min(_time) and max(_time), or of a time field)", b.Name())
		}
		return true
	})
}

// checkGrouped refuses a field outside aggregates that is not part of a
// GROUP BY expression; hint adds to the message about a field.
func (p *parser) checkGrouped(e Expr, grouped map[string]bool, clause string, hint func(*Field) string) {
	if len(grouped) > 0 && grouped[e.String()] {
		return
	}
	switch x := e.(type) {
	case *Literal, *WindowBound:
		return
	case *Call:
		if x.IsAggregate() {
			return
		}
	case *Field:
		name := clip(x.String())
		p.failf(x.Pos, "field %s in %s is neither in GROUP BY nor inside an aggregate: add it to GROUP BY, or aggregate it, as in first(%s) or max(%s)%s",
			name, clause, name, name, hint(x))
	case *AppendTime:
		p.failf(x.Pos, "_time in %s is neither in GROUP BY nor inside an aggregate: aggregate it, as in min(_time) or max(_time)", clause)
	}
	for _, c := range children(e) {
		p.checkGrouped(c, grouped, clause, hint)
	}
}

// condition checks that a WHERE or HAVING condition can be boolean.
func (p *parser) condition(e Expr, clause string) {
	if t := p.typeOf(e); t != TypeAny && t != TypeBoolean {
		p.failf(StartPos(e), "%s needs a boolean condition, got %s", clause, typed(e, t))
	}
}

// nameColumns names the select items and refuses duplicate names.
func (p *parser) nameColumns(q *Query) {
	seen := map[string]Pos{}
	for i := range q.Select {
		it := &q.Select[i]
		if it.Name == "" {
			switch x := it.Expr.(type) {
			case nil:
				it.Name = "*"
			case *Field:
				it.Name = x.Path[len(x.Path)-1]
			case *WindowBound:
				it.Name = x.Name()
			default:
				it.Name = x.String()
			}
		}
		if first, dup := seen[it.Name]; dup {
			p.failf(it.Pos, "column name %q used twice (first at %s); add AS to name one of them differently", clip(it.Name), first)
		}
		seen[it.Name] = it.Pos
	}
}

// checkStreams refuses output and late streams that would loop or mix.
func (p *parser) checkStreams(q *Query) {
	from := q.From.String()
	if q.Options.Output == from {
		p.failf(p.optPos["output"], "output names %s, the stream the query reads: a query cannot write its results to its own input", from)
	}
	if q.Options.Late == LateStream {
		if q.Options.LateStream == from {
			p.failf(p.optPos["late"], "late names %s, the stream the query reads: late events cannot go back to the input", from)
		}
		if q.Options.LateStream == q.Options.Output {
			p.failf(p.optPos["late"], "late names %s, the output stream: late events and results would mix (name another stream)", q.Options.Output)
		}
	}
}

// typed describes e and its type for a message: the string 'a', a
// number (x + 1).
func typed(e Expr, t Type) string {
	if l, ok := e.(*Literal); ok {
		if l.Value == nil {
			return "NULL"
		}
		return fmt.Sprintf("the %s %s", t, clip(l.String()))
	}
	article := "a"
	if t == TypeInterval || t == TypeAny {
		article = "an"
	}
	return fmt.Sprintf("%s %s (%s)", article, t, clip(e.String()))
}
