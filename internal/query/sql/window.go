package sql

import (
	"math"
	"strings"
	"time"
)

// isWindowStart reports whether the current token starts a window
// function: its name, then '('.
func (p *parser) isWindowStart() bool {
	if p.tok.kind != tWord {
		return false
	}
	if _, ok := windowFuncs[strings.ToLower(p.tok.text)]; !ok {
		return false
	}
	n := p.peek()
	return n.kind == tSymbol && n.text == "("
}

// window parses TUMBLE(...), HOP(...), SESSION(...) or COUNT_WINDOW(...)
// in GROUP BY and checks its arguments.
func (p *parser) window() *Window {
	name := p.tok
	wf := windowFuncs[strings.ToLower(name.text)]
	sig := wf.signature
	p.next() // name
	p.next() // (
	w := &Window{Kind: wf.kind, Pos: name.pos}
	if w.Kind == Count {
		w.Count = p.windowCount()
	} else {
		w.Time = p.windowTime(sig)
		switch w.Kind {
		case Tumble:
			p.windowComma(sig, "size")
			w.Size = p.windowDuration(sig, "size")
		case Hop:
			p.windowComma(sig, "slide")
			slidePos := p.tok.pos
			w.Slide = p.windowDuration(sig, "slide")
			p.windowComma(sig, "size")
			sizePos := p.tok.pos
			w.Size = p.windowDuration(sig, "size")
			switch {
			case w.Size < w.Slide:
				p.failf(slidePos, "the slide of HOP (%s) is longer than its size (%s): HOP takes (time, slide, size)",
					formatDuration(w.Slide), formatDuration(w.Size))
			case w.Size%w.Slide != 0:
				p.failf(sizePos, "the size of HOP (%s) must be a multiple of its slide (%s)",
					formatDuration(w.Size), formatDuration(w.Slide))
			case w.Size/w.Slide > MaxHopWindows:
				p.failf(slidePos, "HOP with slide %s and size %s puts each event in %d windows; at most %d (make the slide longer)",
					formatDuration(w.Slide), formatDuration(w.Size), w.Size/w.Slide, MaxHopWindows)
			}
		case Session:
			p.windowComma(sig, "gap")
			w.Gap = p.windowDuration(sig, "gap")
			if p.acceptSym(",") {
				w.MaxDuration = p.windowDuration(sig, "maximum duration")
			}
		}
	}
	if !p.acceptSym(")") {
		p.failExpected("')' to close " + sig)
	}
	return w
}

func (p *parser) windowComma(sig, next string) {
	if !p.acceptSym(",") {
		p.failExpected("',' and the " + next + " in " + sig)
	}
}

// windowTime parses the time argument: a field or _time.
func (p *parser) windowTime(sig string) Expr {
	e := p.topExpr()
	switch e.(type) {
	case *Field, *AppendTime:
		return e
	}
	p.failf(StartPos(e), "the time of %s must be a field of the event (an RFC 3339 string or milliseconds since 1970) or _time (the append time), found %s",
		sig, clip(e.String()))
	return nil
}

// windowDuration parses a size, slide, gap or maximum: an INTERVAL of
// whole milliseconds, more than 0 and at most MaxWindowDuration.
func (p *parser) windowDuration(sig, what string) time.Duration {
	e := p.topExpr()
	pos := StartPos(e)
	d, ok := durationLiteral(e)
	if !ok {
		hint := ""
		if l, isLit := e.(*Literal); isLit {
			if _, isNum := l.Value.(float64); isNum {
				hint = " (a number has no unit)"
			}
		}
		p.failf(pos, "the %s in %s must be an INTERVAL, such as INTERVAL '10' SECOND; found %s%s", what, sig, clip(e.String()), hint)
	}
	switch {
	case d <= 0:
		p.failf(pos, "the %s in %s must be more than 0", what, sig)
	case d > MaxWindowDuration:
		p.failf(pos, "the %s in %s is %s; at most 366 days", what, sig, formatDuration(d))
	case d%time.Millisecond != 0:
		p.failf(pos, "the %s in %s must be a whole number of milliseconds, got %s", what, sig, d)
	}
	return d
}

// windowCount parses COUNT_WINDOW's n.
func (p *parser) windowCount() int64 {
	e := p.topExpr()
	l, ok := e.(*Literal)
	var f float64
	if ok {
		f, ok = l.Value.(float64)
	}
	if !ok || f != math.Trunc(f) || f < 1 || f > MaxCountWindow {
		p.failf(StartPos(e), "COUNT_WINDOW(n) needs n, the events per window, a whole number from 1 to %d; found %s", MaxCountWindow, clip(e.String()))
	}
	return int64(f)
}
