package engine

import (
	"time"

	"github.com/braidstream/braid/wire"
)

// Event is one input event.
type Event struct {
	// Data is the payload, expected to be a JSON object. The engine does
	// not keep it past Process (what it keeps, it copies).
	Data []byte
	// AppendTime is the event's append time; zero when unknown.
	AppendTime time.Time
	// Pointer is the event pointer's text, for late events and errors;
	// when it is empty, Ptr's (formatted only when needed, so that the
	// hot path does not format every pointer).
	Pointer string
	// Ptr is the event's pointer; its segment is the event's source for
	// the watermark (see the package documentation).
	Ptr wire.EventPointer
}

// pointerText is the event's pointer as text, "" when it has none.
func (ev *Event) pointerText() string {
	switch {
	case ev.Pointer != "":
		return ev.Pointer
	case ev.Ptr != (wire.EventPointer{}):
		return ev.Ptr.Qualified()
	}
	return ""
}

// Options are the engine's settings that are not in the query.
type Options struct {
	// Now is the wall clock (tests inject a fake one); default time.Now.
	Now func() time.Time
}

// Result is one result: a row of a query that does not aggregate, or one
// group's aggregates over one window.
type Result struct {
	// Key is the routing key: the GROUP BY values (not the window) as a
	// JSON array's text, e.g. ["s1",3]; "" when the query does not group
	// by any expression. One group always has the same key.
	Key string
	// Data is one JSON object (see the package documentation).
	Data []byte
	// WindowStart and WindowEnd are the window's bounds, [start, end);
	// zero for a query without a window. For COUNT_WINDOW they are the
	// append times of the window's first and last events.
	WindowStart, WindowEnd time.Time
	// Final is false for an early result (EMIT EVERY) of a window still
	// open, true otherwise.
	Final bool
}

// Late is an event that came too late for its windows, or too far in
// the future.
type Late struct {
	Data    []byte // the event's payload (a copy)
	Pointer string
	// Reason is "late" or "future".
	Reason    string
	EventTime time.Time
}

// Reasons of Late events.
const (
	ReasonLate   = "late"
	ReasonFuture = "future"
)

// Column is one column of the results, in order.
type Column struct {
	Name string
	// Role is RoleWindowStart, RoleWindowEnd, RoleGroup (a GROUP BY
	// expression), RoleValue or RoleFinal.
	Role string
}

// Column roles.
const (
	RoleWindowStart = "window_start"
	RoleWindowEnd   = "window_end"
	RoleGroup       = "group"
	RoleValue       = "value"
	RoleFinal       = "final"
)

// Stats are the engine's counters. Every event processed ends in exactly
// one of BadJSON, TypeErrors, Filtered, BadTime, Future, Late,
// DroppedGroups and Matched, so those add up to EventsIn.
type Stats struct {
	// EventsIn counts the events given to Process.
	EventsIn int64
	// Matched counts the events that passed WHERE and were used: went
	// into their windows, or (no aggregation) gave a result.
	Matched int64
	// Filtered counts the events WHERE rejected (false or NULL).
	Filtered int64
	// BadJSON counts payloads that were not a JSON object.
	BadJSON int64
	// BadTime counts events whose event time was missing or unreadable.
	BadTime int64
	// TypeErrors counts events skipped for a value of the wrong type.
	TypeErrors int64
	// Late and Future count late and future events (whatever the
	// late policy).
	Late, Future int64
	// DroppedGroups counts events skipped because they would have
	// opened a (window, group) state past max_groups.
	DroppedGroups int64
	// ResultsOut counts results made, early ones included.
	ResultsOut int64
	// ResultErrors counts results in which an expression of SELECT or
	// HAVING failed over the aggregates' results (a type error there):
	// the item is NULL, or for HAVING the result is not made. They do not
	// count in TypeErrors, which counts events.
	ResultErrors int64
	// OpenWindows counts the open windows (time windows; sessions;
	// count windows begun), OpenGroups the open (window, group) states.
	OpenWindows, OpenGroups int
	// Watermark is the event-time watermark (zero before the first);
	// MaxEventTime the greatest event time seen (future events aside).
	Watermark, MaxEventTime time.Time
	// LastEventAt and LastResultAt are wall-clock times.
	LastEventAt, LastResultAt time.Time
	// LastError describes the last bad event: what was wrong, with its
	// pointer.
	LastError string
	// Missing counts, per referenced field path (its SQL text), the
	// events it was absent from: for fields of WHERE, among the events
	// that were JSON objects; for the others, among the events that
	// passed WHERE.
	Missing map[string]int64
}
