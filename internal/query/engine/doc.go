// Package engine runs braid's continuous queries: a query parsed and
// checked by package sql, over the JSON events of one input stream,
// giving results for an output stream. The server feeds it (Process,
// AdvanceWatermark, Tick), takes what it made (TakeResults, TakeLate) and
// checkpoints it (Snapshot, Restore); the engine itself does no I/O and
// is not safe for concurrent use.
//
// # Events and values
//
// An event's payload must be a JSON object; anything else counts in
// BadJSON and is skipped, with LastError set. Fields are paths into the
// object (a.b reads member b of object a); a missing field is NULL, and
// counts in Stats.Missing for its path. Only the fields a query
// references are decoded (the rest is validated and skipped), so wide
// events cost little more than narrow ones.
//
// Values are NULL, numbers (IEEE doubles: JSON integers beyond 2^53 lose
// precision, numbers beyond the double range read as NULL), strings,
// booleans, timestamps (_time, window_start, window_end), intervals
// (INTERVAL literals), and objects and arrays (which can be selected,
// grouped by, tested for NULL, counted and compared with =, by their
// text).
//
// Operators follow SQL's NULL semantics: an operand that is NULL makes the
// result NULL, except for AND and OR (three-valued: FALSE AND NULL is
// FALSE, TRUE OR NULL is TRUE), IS [NOT] NULL, concat (which skips NULLs)
// and coalesce. Comparisons order numbers with numbers, strings with
// strings (by bytes), booleans with booleans (FALSE first), timestamps with
// timestamps or with strings holding an RFC 3339 time; = and <> between
// different types are FALSE and TRUE. x IN (list) is = against each; LIKE
// has % (any run) and _ (one character), no escape character. Arithmetic
// is on numbers (and timestamp ± interval); a division or remainder by
// zero, or a result that is not a finite number, is NULL. || joins the
// text of its operands. CAST converts (see cast.go), as do the scalar
// functions of the sql catalog (see funcs.go).
//
// A value of the wrong type for an operator, a function, an aggregate or a
// condition (a string in sum, a string compared with < to a number, a
// number as a WHERE) is a type error: the event counts in TypeErrors and
// is skipped, and LastError names the expression, the type and value
// found, and the event's pointer.
//
// # Queries without a window
//
// Each event that passes WHERE gives one result at once: a JSON object of
// the SELECT items in order, under their names. SELECT * alone is the
// event's object itself (its bytes as they came, surrounding white space
// trimmed); * among other items is the object's members, less those an
// item of the same name replaces, in place of the *. Key is "", Final is
// true, the window bounds are zero.
//
// # Windowed queries
//
// The window's time is its Time expression: a field holding an RFC 3339
// string or a number of milliseconds since 1970, or _time, the event's
// AppendTime (zero: unknown). An event whose time is missing, unreadable
// or outside the years 1824 to 2115 counts in BadTime and is skipped.
// An event more than max_future past the wall clock (Options.Now) counts
// in Future and is set aside as a late event with reason "future"; it does
// not move the watermark.
//
// The window kinds (window_time.go, window_session.go, window_count.go):
// TUMBLE and HOP windows aligned to 1970-01-01T00:00:00Z; SESSION windows
// per group, merging and split by their max; COUNT_WINDOW per group, by
// processing order. Time windows are half-open, [start, end).
//
// The watermark (watermark.go) closes time windows: one closes when the
// watermark reaches its end plus allowed_lateness (a session's end is its
// last event time plus the gap). On closing, each of its groups whose
// state passes HAVING gives one result with Final true. The results of one
// close are ordered by window end, window start, then Key. An event all of
// whose windows are closed is late: it counts in Late and, with the late
// policy "stream", is returned by TakeLate with reason "late" (with "drop"
// it is only counted). A HOP event some of whose windows are still open
// goes into those and is not late.
//
// EMIT EVERY d: Tick makes, once every d of wall-clock time, an early
// result (Final false) for each open (window, group) whose state changed
// since its last result; the final result still comes when the window
// closes. Results then carry "final": true or false.
//
// max_groups bounds the open (window, group) states (for a session query,
// the open sessions; for COUNT_WINDOW, the windows begun): an event that
// would open one more counts in DroppedGroups and is skipped, and
// LastError says so, naming max_groups. Every open state also counts
// against it once per window (a HOP event may need several).
//
// # Results
//
// A result's Data is a JSON object: in a windowed query "window_start" and
// "window_end" first, unless the query selects the bare bounds itself
// (under any name) or names an item so; then the SELECT items in order;
// then "final" with EMIT EVERY. Times are RFC 3339 in UTC with nine
// fractional digits (2026-12-07T10:00:00.000000000Z, text that sorts as
// time does). Numbers are JSON numbers in their shortest form, so counts
// are integers; a number that is not finite is null. Key is the GROUP BY
// values as a JSON array's text (["s1",3]), the same for a group in every
// window, "" without GROUP BY expressions. Columns lists the columns and
// their roles.
//
// An expression of SELECT or HAVING that fails over a group's aggregates
// (a type error there) does not skip an event: it counts in ResultErrors
// and sets LastError; the item is null, and a failing HAVING drops that
// one result.
//
// # Aggregates
//
// count, count(*), sum, avg, min, max, stddev (the sample one),
// count_distinct / count(DISTINCT x), approx_percentile, first, last: see
// agg.go, agg_distinct.go (exact to 100,000 distinct values per group,
// then a HyperLogLog estimate within about 0.8%) and agg_percentile.go (a
// DDSketch: within 1% relative error, bounded memory). All skip NULL;
// all are deterministic and their states are in snapshots.
//
// # Snapshots
//
// Snapshot holds all the state (snapshot.go); Restore loads it into a
// fresh engine of the same query. Processing events A, taking a snapshot,
// restoring it into a new engine and processing events B there gives the
// same results, late events and Stats as processing A then B on one engine
// (with the same wall clock).
//
// # Counters
//
// Each event given to Process ends in exactly one of BadJSON, TypeErrors,
// Filtered (WHERE false or NULL), BadTime, Future, Late, DroppedGroups and
// Matched, in the order Process lists; so those add up to EventsIn.
package engine
