package engine

import (
	"crypto/sha256"
	"fmt"
	"strings"

	"github.com/braidstream/braid/internal/query/sql"
)

// fingerprint hashes the query's canonical text: everything that shapes
// its results and state (SELECT, FROM, WHERE, the window, GROUP BY,
// HAVING, EMIT and the options the engine reads), not where its output
// goes or where it starts reading (output, late_stream, start).
func fingerprint(q *sql.Query) [32]byte {
	var b strings.Builder
	b.WriteString("SELECT")
	for _, it := range q.Select {
		if it.Star {
			b.WriteString(" *,")
			continue
		}
		fmt.Fprintf(&b, " %s AS %q,", it.Expr, it.Name)
	}
	fmt.Fprintf(&b, "\nFROM %s", q.From)
	if q.Where != nil {
		fmt.Fprintf(&b, "\nWHERE %s", q.Where)
	}
	if w := q.Window; w != nil {
		t := ""
		if w.Time != nil {
			t = w.Time.String()
		}
		fmt.Fprintf(&b, "\nWINDOW %d %s %d %d %d %d %d", w.Kind, t, w.Size, w.Slide, w.Gap, w.MaxDuration, w.Count)
	}
	for _, g := range q.GroupBy {
		fmt.Fprintf(&b, "\nGROUP %s", g)
	}
	if q.Having != nil {
		fmt.Fprintf(&b, "\nHAVING %s", q.Having)
	}
	o := q.Options
	fmt.Fprintf(&b, "\nEMIT %d\nWITH %q %d %d %d %d %q %d\n", q.Emit.Every,
		o.Watermark, o.WatermarkDelay, o.AllowedLateness, o.IdleTimeout, o.MaxFuture, o.Late, o.MaxGroups)
	return sha256.Sum256([]byte(b.String()))
}
