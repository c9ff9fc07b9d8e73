package engine

import (
	"fmt"
	"math"
	"time"

	"github.com/braidstream/braid/internal/query/sql"
)

// Engine runs one query. It is not safe for concurrent use: the caller
// serializes Process, AdvanceWatermark, Tick and the other methods.
type Engine struct {
	q    *sql.Query
	now  func() time.Time
	hash [32]byte

	// Settings, from the query's options.
	sourceWM   bool  // watermark from AdvanceWatermark only
	delay      int64 // WatermarkDelay, ns
	lateness   int64 // AllowedLateness, ns
	idle       time.Duration
	maxFuture  int64 // ns; 0: no check
	streamLate bool
	maxGroups  int // 0: no bound
	every      time.Duration

	// Compiled query.
	fields      *fieldSet
	whereFields []int // fields WHERE reads
	otherFields []int // fields only the rest reads
	where       evalFn
	timeFn      evalFn // nil without event time (no window, COUNT_WINDOW)
	groupFns    []evalFn
	aggs        []*aggSpec
	items       []outItem
	having      evalFn
	autoStart   bool // prepend window_start
	autoEnd     bool // prepend window_end
	columns     []Column
	starOnly    bool            // SELECT * alone
	itemNames   map[string]bool // names of the non-star items
	win         windower        // nil for a query without a window
	kind        sql.WindowKind

	// Scratch for the event being processed.
	scan    scanner
	row     row
	keyBuf  []byte
	gvals   []value
	args    []value
	aggVals []value
	out     []byte

	// State (in snapshots).
	st           counters
	missing      []int64
	lastError    string
	wm           int64 // math.MinInt64 before the first
	hasWM        bool
	maxT         int64
	hasMax       bool
	sources      map[uint64]*source // delay mode: per input segment
	seq          uint64             // events given to aggregates, for first and last
	openGroups   int
	lastEventAt  time.Time
	lastResultAt time.Time
	lastEmit     time.Time // EMIT EVERY's last round
	results      []Result
	late         []Late

	touched bool // Process or AdvanceWatermark ran: Restore refuses
}

// counters are Stats' counts.
type counters struct {
	eventsIn, matched, filtered, badJSON, badTime, typeErrors int64
	late, future, droppedGroups, resultsOut, resultErrors     int64
}

// outItem is one SELECT item.
type outItem struct {
	name string
	key  []byte // "name": as JSON
	fn   evalFn // nil for *
	star bool
}

// New compiles the query (expressions into closures, once) and returns an
// engine in its initial state. It fails on what it cannot run; a query
// that sql.Check accepted compiles.
//
// Options the query leaves zero: Watermark "" is "delay", Late "" is
// "drop", MaxGroups 0 is no bound, IdleTimeout 0 never moves the
// watermark and MaxFuture 0 refuses no event as future (sql.Check sets the
// documented defaults).
func New(q *sql.Query, o Options) (*Engine, error) {
	if q == nil {
		return nil, fmt.Errorf("no query")
	}
	e := &Engine{q: q, now: o.Now, wm: math.MinInt64, fields: newFieldSet()}
	if e.now == nil {
		e.now = time.Now
	}
	if err := e.settings(q); err != nil {
		return nil, err
	}
	if err := e.compile(q); err != nil {
		return nil, err
	}
	e.hash = fingerprint(q)
	n := len(e.fields.names)
	e.row.fields = make([]value, n)
	e.row.seen = make([]uint64, n)
	e.missing = make([]int64, n)
	e.args = make([]value, len(e.aggs))
	e.aggVals = make([]value, len(e.aggs))
	e.gvals = make([]value, len(e.groupFns))
	e.scan.keepMembers = !e.starOnly && e.itemNames != nil
	e.lastEmit = e.now()
	return e, nil
}

func (e *Engine) settings(q *sql.Query) error {
	o := q.Options
	switch o.Watermark {
	case "", sql.WatermarkDelay:
	case sql.WatermarkSource:
		e.sourceWM = true
	default:
		return fmt.Errorf("unknown watermark %q", o.Watermark)
	}
	switch o.Late {
	case "", sql.LateDrop:
	case sql.LateStream:
		e.streamLate = true
	default:
		return fmt.Errorf("unknown late policy %q", o.Late)
	}
	if o.WatermarkDelay < 0 || o.AllowedLateness < 0 || o.IdleTimeout < 0 || o.MaxFuture < 0 || o.MaxGroups < 0 {
		return fmt.Errorf("negative option")
	}
	if o.WatermarkDelay > maxSpan || o.AllowedLateness > maxSpan {
		return fmt.Errorf("watermark_delay and allowed_lateness must be under 36 years")
	}
	e.delay = int64(o.WatermarkDelay)
	e.lateness = int64(o.AllowedLateness)
	e.idle = o.IdleTimeout
	e.maxFuture = int64(o.MaxFuture)
	e.maxGroups = o.MaxGroups
	e.every = q.Emit.Every
	return nil
}

func (e *Engine) compile(q *sql.Query) error {
	aggregating := q.Aggregates || q.Window != nil || len(q.GroupBy) > 0
	if aggregating && q.Window == nil {
		return fmt.Errorf("an aggregating query needs a window (TUMBLE, HOP, SESSION or COUNT_WINDOW)")
	}
	if !aggregating && q.Having != nil {
		return fmt.Errorf("HAVING needs GROUP BY")
	}
	if !aggregating && q.Emit.Every > 0 {
		return fmt.Errorf("EMIT EVERY needs a windowed query")
	}
	if len(q.Select) == 0 {
		return fmt.Errorf("no SELECT items")
	}
	whereUsed, otherUsed := map[int]bool{}, map[int]bool{}
	ev := &compiler{fields: e.fields, mode: modeEvent, used: otherUsed}
	var err error
	if q.Where != nil {
		wc := *ev
		wc.used = whereUsed
		if e.where, err = wc.compile(q.Where); err != nil {
			return err
		}
	}
	if aggregating {
		if err := e.compileWindow(q, ev); err != nil {
			return err
		}
	}
	out := &compiler{fields: e.fields, mode: modeOutput, used: otherUsed,
		windowed: aggregating, aggs: &aggList{index: map[string]int{}}}
	for _, g := range q.GroupBy {
		f, err := ev.compile(g)
		if err != nil {
			return err
		}
		e.groupFns = append(e.groupFns, f)
		out.groupBy = append(out.groupBy, g.String())
	}
	itemc := ev
	if aggregating {
		itemc = out
	}
	if err := e.compileItems(q, itemc, aggregating); err != nil {
		return err
	}
	if q.Having != nil {
		if e.having, err = out.compile(q.Having); err != nil {
			return err
		}
	}
	e.aggs = out.aggs.specs
	for id := range e.fields.names {
		if whereUsed[id] {
			e.whereFields = append(e.whereFields, id)
		} else if otherUsed[id] {
			e.otherFields = append(e.otherFields, id)
		}
	}
	return nil
}

func (e *Engine) compileWindow(q *sql.Query, ev *compiler) error {
	w := q.Window
	e.kind = w.Kind
	for _, d := range []time.Duration{w.Size, w.Slide, w.Gap, w.MaxDuration} {
		if d > maxSpan {
			return fmt.Errorf("%s: window durations must be under 36 years", w.Pos)
		}
	}
	if w.Kind != sql.Count {
		if w.Time == nil {
			return fmt.Errorf("%s: the window has no time", w.Pos)
		}
		var err error
		if e.timeFn, err = ev.compile(w.Time); err != nil {
			return err
		}
	}
	switch w.Kind {
	case sql.Tumble:
		if w.Size <= 0 {
			return fmt.Errorf("%s: TUMBLE's size must be positive", w.Pos)
		}
		e.win = newTimeWindows(e, int64(w.Size), int64(w.Size))
	case sql.Hop:
		if w.Size <= 0 || w.Slide <= 0 {
			return fmt.Errorf("%s: HOP's slide and size must be positive", w.Pos)
		}
		if w.Slide > w.Size {
			return fmt.Errorf("%s: HOP's slide must not exceed its size", w.Pos)
		}
		if w.Size/w.Slide > maxHopWindows {
			return fmt.Errorf("%s: HOP puts each event in more than %d windows", w.Pos, maxHopWindows)
		}
		e.win = newTimeWindows(e, int64(w.Size), int64(w.Slide))
	case sql.Session:
		if w.Gap <= 0 || w.MaxDuration < 0 {
			return fmt.Errorf("%s: SESSION's gap must be positive", w.Pos)
		}
		e.win = newSessionWindows(e, int64(w.Gap), int64(w.MaxDuration))
	case sql.Count:
		if w.Count <= 0 {
			return fmt.Errorf("%s: COUNT_WINDOW's count must be positive", w.Pos)
		}
		e.win = newCountWindows(e, w.Count)
	default:
		return fmt.Errorf("%s: unknown window kind %d", w.Pos, w.Kind)
	}
	return nil
}

func (e *Engine) compileItems(q *sql.Query, c *compiler, windowed bool) error {
	names := map[string]bool{}
	hasStart, hasEnd := false, false
	var cols []Column
	for _, it := range q.Select {
		if it.Star {
			if windowed {
				return fmt.Errorf("%s: SELECT * in an aggregating query", it.Pos)
			}
			e.items = append(e.items, outItem{name: "*", star: true})
			cols = append(cols, Column{Name: "*", Role: RoleValue})
			continue
		}
		if names[it.Name] {
			return fmt.Errorf("%s: two SELECT items named %q", it.Pos, it.Name)
		}
		names[it.Name] = true
		f, err := c.compile(it.Expr)
		if err != nil {
			return err
		}
		e.items = append(e.items, outItem{name: it.Name, key: jsonKey(it.Name), fn: f})
		role := RoleValue
		if wb, ok := it.Expr.(*sql.WindowBound); ok && windowed {
			role = RoleWindowStart
			if wb.End {
				role = RoleWindowEnd
				hasEnd = true
			} else {
				hasStart = true
			}
		} else if windowed && isGroupExpr(q, it.Expr) {
			role = RoleGroup
		}
		cols = append(cols, Column{Name: it.Name, Role: role})
	}
	if len(e.items) == 1 && e.items[0].star {
		e.starOnly = true
	} else if len(names) < len(e.items) {
		e.itemNames = names // * with other items
	}
	var head []Column
	if windowed {
		e.autoStart = !hasStart && !names["window_start"]
		e.autoEnd = !hasEnd && !names["window_end"]
		if e.autoStart {
			head = append(head, Column{Name: "window_start", Role: RoleWindowStart})
		}
		if e.autoEnd {
			head = append(head, Column{Name: "window_end", Role: RoleWindowEnd})
		}
	}
	e.columns = append(head, cols...)
	if e.every > 0 {
		if names["final"] {
			return fmt.Errorf("a SELECT item is named final, which EMIT EVERY's results use for their flag")
		}
		e.columns = append(e.columns, Column{Name: "final", Role: RoleFinal})
	}
	return nil
}

func isGroupExpr(q *sql.Query, x sql.Expr) bool {
	text := x.String()
	for _, g := range q.GroupBy {
		if g.String() == text {
			return true
		}
	}
	return false
}

func jsonKey(name string) []byte {
	return append(appendString(nil, name), ':')
}
