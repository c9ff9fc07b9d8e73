package queryjob

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/query/engine"
	"github.com/braidstream/braid/internal/query/sql"
)

// sampleEvents is how many of the input's last events the field check
// looks at.
const sampleEvents = 100

// plan is a checked query with the streams it reads and writes.
type plan struct {
	q       *sql.Query
	input   string
	output  string
	late    string // "" when late events are dropped
	state   string
	columns []Column
	// warnings are likely mistakes that are not errors.
	warnings []string
}

// streamsOf names a query's streams: the output defaults to
// INPUT_SCOPE/NAME-results, the state stream is INPUT_SCOPE/NAME-state.
func streamsOf(name string, q *sql.Query) (input, output, late, state string) {
	input = q.From.String()
	output = q.Options.Output
	if output == "" {
		output = q.From.Scope + "/" + name + "-results"
	}
	if q.Options.Late == sql.LateStream {
		late = q.Options.LateStream
	}
	state = q.From.Scope + "/" + name + "-state"
	return input, output, late, state
}

// StreamsOf parses a query's text and returns the streams it would read
// and write deployed under name (late is "" when late events are
// dropped).
func StreamsOf(name, text string) (input, output, late string, err error) {
	q, err := parse(text)
	if err != nil {
		return "", "", "", err
	}
	input, output, late, _ = streamsOf(name, q)
	return input, output, late, nil
}

// prepare parses and checks a query against the server: its input must
// exist, its output and late streams must be other streams, and (unless
// force) each field it reads must be in at least one of the input's last
// events, when the input has events.
func prepare(ctx context.Context, c *braid.Client, name, text string, force bool) (*plan, error) {
	q, err := parse(text)
	if err != nil {
		return nil, err
	}
	return preparePlan(ctx, c, name, q, force)
}

func preparePlan(ctx context.Context, c *braid.Client, name string, q *sql.Query, force bool) (*plan, error) {
	eng, err := engine.New(q, engine.Options{})
	if err != nil {
		return nil, &invalidQuery{err: err}
	}
	p := &plan{q: q}
	p.input, p.output, p.late, p.state = streamsOf(name, q)
	for _, col := range eng.Columns() {
		p.columns = append(p.columns, Column{Name: col.Name, Role: col.Role})
	}
	for _, s := range []struct{ what, name string }{{"output", p.output}, {"late", p.late}, {"state", p.state}} {
		if s.name == p.input {
			return nil, &invalidQuery{err: &sql.Error{Pos: q.From.Pos, Msg: fmt.Sprintf("the query reads %s and would write its %s there too: name another stream", p.input, s.what)}}
		}
	}
	if p.late != "" && p.late == p.output {
		return nil, invalid("the query's late events and results would go to the same stream %s: name another", p.output)
	}
	if _, err := c.GetStream(ctx, p.input); err != nil {
		if errors.Is(err, braid.ErrNotFound) {
			return nil, &invalidQuery{err: &sql.Error{Pos: q.From.Pos, Msg: fmt.Sprintf("stream %s does not exist (FROM scope.stream names an existing stream)", p.input)}}
		}
		return nil, err
	}
	if err := checkFields(ctx, c, p, force); err != nil {
		return nil, err
	}
	return p, nil
}

// checkFields looks for the query's fields in the input's last events.
func checkFields(ctx context.Context, c *braid.Client, p *plan, force bool) error {
	fields := fieldsOf(p.q)
	if len(fields) == 0 {
		return nil
	}
	sctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	r, err := c.NewReader(sctx, p.input, braid.FromLast(sampleEvents), braid.UntilTail())
	if err != nil {
		p.warnings = append(p.warnings, fmt.Sprintf("the input's last events could not be read to check the query's fields: %v", err))
		return nil
	}
	defer r.Close()
	seen := map[string]bool{}
	n := 0
	for n < sampleEvents*64 {
		ev, err := r.Next(sctx)
		if err != nil {
			break
		}
		n++
		var obj map[string]any
		if json.Unmarshal(ev.Data, &obj) != nil {
			continue
		}
		addPaths(seen, "", obj, 0)
	}
	if n == 0 {
		p.warnings = append(p.warnings, fmt.Sprintf("stream %s has no events yet: the query's fields could not be checked", p.input))
		return nil
	}
	top := []string{}
	for k := range seen {
		if !strings.Contains(k, ".") {
			top = append(top, k)
		}
	}
	slices.Sort(top)
	if len(top) > 20 {
		top = append(top[:20], "...")
	}
	for _, f := range fields {
		path := strings.Join(f.Path, ".")
		if seen[path] {
			continue
		}
		msg := fmt.Sprintf("field %q is in none of the last %d events of %s (their fields: %s)", path, n, p.input, strings.Join(top, ", "))
		if !force {
			return &invalidQuery{err: &sql.Error{Pos: f.Pos, Msg: msg + "; deploy with force (--force) if it will come"}}
		}
		p.warnings = append(p.warnings, f.Pos.String()+": "+msg)
	}
	return nil
}

// addPaths adds the paths of obj's fields (a, a.b, ...) to seen.
func addPaths(seen map[string]bool, prefix string, obj map[string]any, depth int) {
	if depth > 8 {
		return
	}
	for k, v := range obj {
		path := prefix + k
		seen[path] = true
		if sub, ok := v.(map[string]any); ok {
			addPaths(seen, path+".", sub, depth+1)
		}
	}
}

// fieldsOf returns the query's fields, each path once, in the order they
// first appear.
func fieldsOf(q *sql.Query) []*sql.Field {
	var out []*sql.Field
	seen := map[string]bool{}
	var walk func(e sql.Expr)
	walk = func(e sql.Expr) {
		switch e := e.(type) {
		case nil:
		case *sql.Field:
			k := strings.Join(e.Path, ".")
			if !seen[k] {
				seen[k] = true
				out = append(out, e)
			}
		case *sql.Unary:
			walk(e.X)
		case *sql.Binary:
			walk(e.L)
			walk(e.R)
		case *sql.Call:
			for _, a := range e.Args {
				walk(a)
			}
		case *sql.IsNull:
			walk(e.X)
		case *sql.In:
			walk(e.X)
			for _, a := range e.List {
				walk(a)
			}
		case *sql.Like:
			walk(e.X)
			walk(e.Pattern)
		case *sql.Case:
			for _, w := range e.Whens {
				walk(w.Cond)
				walk(w.Then)
			}
			walk(e.Else)
		case *sql.Cast:
			walk(e.X)
		}
	}
	for _, it := range q.Select {
		walk(it.Expr)
	}
	walk(q.Where)
	if q.Window != nil {
		walk(q.Window.Time)
	}
	for _, g := range q.GroupBy {
		walk(g)
	}
	walk(q.Having)
	return out
}

// ensureStreams creates the streams a query writes, where missing.
func ensureStreams(ctx context.Context, c *braid.Client, p *plan) error {
	for _, s := range []string{p.output, p.late, p.state} {
		if s == "" {
			continue
		}
		if _, err := c.CreateStream(ctx, s, braid.StreamConfig{Segments: 1, CreateScope: true}); err != nil && !errors.Is(err, braid.ErrAlreadyExists) {
			return fmt.Errorf("creating stream %s for the query: %w", s, err)
		}
	}
	return nil
}
