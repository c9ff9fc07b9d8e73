package sql

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
)

// Defaults of the options a query does not set.
const (
	DefaultIdleTimeout = 10 * time.Second
	DefaultMaxFuture   = time.Hour
	DefaultMaxGroups   = 100_000
	// Start values.
	StartEarliest = "earliest"
	StartLatest   = "latest"
)

// DefaultOptions returns the options of a query without WITH.
func DefaultOptions() Options {
	return Options{
		Watermark:   WatermarkDelay,
		IdleTimeout: DefaultIdleTimeout,
		MaxFuture:   DefaultMaxFuture,
		Late:        LateDrop,
		MaxGroups:   DefaultMaxGroups,
		Start:       StartEarliest,
	}
}

// optionKind says what value an option takes.
type optionKind int

const (
	optDuration optionKind = iota
	optEnum
	optStream
	optCount
)

// optionSpecs are the options of WITH (...).
var optionSpecs = map[string]struct {
	kind  optionKind
	enums []string
}{
	"watermark":        {kind: optEnum, enums: []string{WatermarkDelay, WatermarkSource}},
	"watermark_delay":  {kind: optDuration},
	"allowed_lateness": {kind: optDuration},
	"idle_timeout":     {kind: optDuration},
	"max_future":       {kind: optDuration},
	"late":             {kind: optStream},
	"output":           {kind: optStream},
	"max_groups":       {kind: optCount},
	"start":            {kind: optEnum, enums: []string{StartEarliest, StartLatest}},
}

func optionNames() []string {
	names := make([]string, 0, len(optionSpecs))
	for n := range optionSpecs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// with parses WITH (name = value, ...) into q.Options, then fills the
// defaults of the options not set.
func (p *parser) with(q *Query) {
	p.next() // WITH
	if !p.acceptSym("(") {
		p.failExpected("'(' after WITH, as in WITH (watermark_delay = '5s')")
	}
	if p.isSym(")") {
		p.failf(p.tok.pos, "WITH needs at least one option (%s)", strings.Join(optionNames(), ", "))
	}
	for {
		t := p.tok
		if t.kind != tWord && t.kind != tQuoted {
			p.failExpected("an option name in WITH")
		}
		name := strings.ToLower(t.text)
		spec, ok := optionSpecs[name]
		if !ok {
			msg := fmt.Sprintf("unknown option %q", clip(t.text))
			if s := closest(name, optionNames()); s != "" {
				msg += " (did you mean " + s + "?)"
			}
			p.failf(t.pos, "%s; the options are %s", msg, strings.Join(optionNames(), ", "))
		}
		if first, dup := p.optPos[name]; dup {
			p.failf(t.pos, "option %s is set twice (first at %s)", name, first)
		}
		p.next()
		if !p.acceptSym("=") {
			p.failExpected("'=' after the option name " + name)
		}
		e := p.topExpr()
		lit, ok := e.(*Literal)
		if !ok {
			msg := fmt.Sprintf("the value of %s must be a literal (a string, a number or an INTERVAL), found %s", name, clip(e.String()))
			if f, isField := e.(*Field); isField && len(f.Path) == 1 {
				msg += fmt.Sprintf(" (quote it: '%s')", clip(f.Path[0]))
			}
			p.failf(StartPos(e), "%s", msg)
		}
		p.optPos[name] = lit.Pos
		p.setOption(&q.Options, name, spec.kind, spec.enums, lit)
		if !p.acceptSym(",") {
			break
		}
	}
	if !p.acceptSym(")") {
		p.failExpected("',' or ')' after an option in WITH")
	}
}

// fillDefaults sets the options the query did not set.
func (p *parser) fillDefaults(o *Options) {
	d := DefaultOptions()
	set := func(name string) bool { _, ok := p.optPos[name]; return ok }
	if !set("watermark") {
		o.Watermark = d.Watermark
	}
	if !set("idle_timeout") {
		o.IdleTimeout = d.IdleTimeout
	}
	if !set("max_future") {
		o.MaxFuture = d.MaxFuture
	}
	if !set("late") {
		o.Late = d.Late
	}
	if !set("max_groups") {
		o.MaxGroups = d.MaxGroups
	}
	if !set("start") {
		o.Start = d.Start
	}
}

func (p *parser) setOption(o *Options, name string, kind optionKind, enums []string, lit *Literal) {
	switch kind {
	case optDuration:
		d := p.durationValue(name, lit)
		switch name {
		case "watermark_delay":
			o.WatermarkDelay = d
		case "allowed_lateness":
			o.AllowedLateness = d
		case "idle_timeout":
			o.IdleTimeout = d
		case "max_future":
			if d == 0 {
				p.failf(lit.Pos, "max_future must be more than 0 (events a little ahead of the server's clock are normal)")
			}
			o.MaxFuture = d
		}
	case optEnum:
		s, ok := lit.Value.(string)
		v := strings.ToLower(s)
		if !ok || !slices.Contains(enums, v) {
			p.failf(lit.Pos, "%s must be %s, found %s", name, quoteList(enums), clip(lit.String()))
		}
		switch name {
		case "watermark":
			o.Watermark = v
		case "start":
			o.Start = v
		}
	case optStream:
		s, ok := lit.Value.(string)
		if !ok {
			p.failf(lit.Pos, "%s must be a stream as a string, such as 'shop.late'%s; found %s", name, dropHint(name), clip(lit.String()))
		}
		if name == "late" && strings.EqualFold(s, LateDrop) {
			o.Late, o.LateStream = LateDrop, ""
			return
		}
		stream, problem := streamName(s)
		if problem != "" {
			p.failf(lit.Pos, "%s must be %sa stream named scope.stream, such as 'shop.late'; %s: %s", name, dropHint(name), clip(lit.String()), problem)
		}
		if name == "late" {
			o.Late, o.LateStream = LateStream, stream
		} else {
			o.Output = stream
		}
	case optCount:
		f, ok := lit.Value.(float64)
		if !ok || f != math.Trunc(f) || f < 1 || f > MaxMaxGroups {
			p.failf(lit.Pos, "%s must be a whole number from 1 to %d, found %s", name, MaxMaxGroups, clip(lit.String()))
		}
		o.MaxGroups = int(f)
	}
}

func dropHint(name string) string {
	if name == "late" {
		return "'drop' or "
	}
	return ""
}

// durationValue reads a duration option: an INTERVAL, a string such as
// '5s' or '1m30s', or the number 0.
func (p *parser) durationValue(name string, lit *Literal) time.Duration {
	var d time.Duration
	switch v := lit.Value.(type) {
	case time.Duration:
		d = v
	case string:
		var problem string
		d, problem = parseDurationText(v)
		if problem != "" {
			p.failf(lit.Pos, "%s: invalid duration %s: %s", name, clip(lit.String()), problem)
		}
	case float64:
		if v != 0 {
			p.failf(lit.Pos, "%s needs a duration with a unit, such as '5s' or INTERVAL '5' SECOND; found the number %s", name, lit.String())
		}
	default:
		p.failf(lit.Pos, "%s needs a duration, such as '5s' or INTERVAL '5' SECOND; found %s", name, clip(lit.String()))
	}
	if d > MaxWindowDuration {
		p.failf(lit.Pos, "%s is %s; at most 366 days", name, formatDuration(d))
	}
	return d
}

// quoteList returns 'a' or 'b' (or 'a', 'b' or 'c').
func quoteList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = "'" + s + "'"
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// streamName parses "scope.stream" (an option's value) into scope/stream.
func streamName(s string) (string, string) {
	scope, stream, ok := strings.Cut(s, ".")
	if !ok {
		if strings.Contains(s, "/") {
			return "", "write the stream as scope.stream, with a '.'"
		}
		return "", "expected a stream named scope.stream, such as shop.late"
	}
	if p := nameProblem(scope); p != "" {
		return "", "invalid scope name " + fmt.Sprintf("%q", clip(scope)) + ": " + p
	}
	if p := nameProblem(stream); p != "" {
		return "", "invalid stream name " + fmt.Sprintf("%q", clip(stream)) + ": " + p
	}
	return scope + "/" + stream, ""
}
