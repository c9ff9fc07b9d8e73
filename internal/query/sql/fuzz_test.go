package sql

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParse checks that Parse and ParseExpr never panic, that errors are
// *Error at a place in the text, and that what parses prints back to
// the same trees.
func FuzzParse(f *testing.F) {
	for _, c := range goodQueries {
		f.Add(c.text)
	}
	for _, c := range badQueries {
		if len(c.text) <= 4096 {
			f.Add(c.text)
		}
	}
	for _, e := range roundTripExprs {
		f.Add(e)
		f.Add("SELECT " + e + " AS v FROM s.t WHERE " + e)
	}
	f.Fuzz(func(t *testing.T, text string) {
		q, err := Parse(text)
		checkErr(t, text, err)
		if err == nil {
			checkQuery(t, q)
		}
		e, err := ParseExpr(text)
		checkErr(t, text, err)
		if err == nil {
			checkRoundTrip(t, e)
		}
	})
}

func checkErr(t *testing.T, text string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T %v is not an *Error", err, err)
	}
	if e.Msg == "" {
		t.Fatalf("error at %v has no message", e.Pos)
	}
	if _, ok := offsetOf(text, e.Pos); !ok {
		t.Fatalf("error position %v is outside the text (%d bytes): %s", e.Pos, len(text), e.Msg)
	}
}

// checkQuery checks the invariants of a parsed query.
func checkQuery(t *testing.T, q *Query) {
	t.Helper()
	for _, e := range queryExprs(q) {
		checkRoundTrip(t, e)
	}
	names := map[string]bool{}
	for _, it := range q.Select {
		if it.Name == "" || names[it.Name] {
			t.Fatalf("select item name %q empty or repeated", it.Name)
		}
		names[it.Name] = true
		if it.Star == (it.Expr != nil) {
			t.Fatalf("select item %q: Star %v with Expr %v", it.Name, it.Star, it.Expr)
		}
	}
	if q.Aggregates != (q.Window != nil) {
		t.Fatalf("Aggregates %v, window %v", q.Aggregates, q.Window)
	}
	if q.From.Scope == "" || q.From.Stream == "" || strings.ContainsAny(q.From.String()[len(q.From.Scope)+1:], "/.") {
		t.Fatalf("bad stream %q", q.From)
	}
	o := q.Options
	if o.MaxGroups < 1 || o.Watermark == "" || o.Late == "" || o.Start == "" || o.MaxFuture <= 0 ||
		(o.Late == LateStream) != (o.LateStream != "") {
		t.Fatalf("bad options %+v", o)
	}
	if w := q.Window; w != nil {
		switch w.Kind {
		case Tumble:
			if w.Size <= 0 {
				t.Fatalf("bad window %v", w)
			}
		case Hop:
			if w.Slide <= 0 || w.Size%w.Slide != 0 || w.Size/w.Slide > MaxHopWindows {
				t.Fatalf("bad window %v", w)
			}
		case Session:
			if w.Gap <= 0 {
				t.Fatalf("bad window %v", w)
			}
		case Count:
			if w.Count < 1 {
				t.Fatalf("bad window %v", w)
			}
		}
	}
}
