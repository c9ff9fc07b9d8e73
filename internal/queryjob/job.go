// Package queryjob runs continuous queries on the server: SQL deployed
// once under a name (braid query deploy), run from then on over its input
// stream, with its windowed results appended to an output stream. The
// query's definition and the pointer to its last checkpoint live in the
// metadata store; the checkpoints themselves (engine state, input position,
// the results of the checkpoint) are events of an ephemeral state stream
// that the server holds for as long as the query is deployed.
//
// Each window's result is written once across crashes: a checkpoint is
// committed (its record updated in the metadata store) before its results
// are appended, and the results are appended by one writer id with stream
// numbers (braid.WithStreamNumbers) that the checkpoint fixes, so that a
// restart from the checkpoint appends them again as duplicates the stream
// drops, and a restart from the checkpoint before appends nothing that was
// not written already: its results are recomputed from the same input.
package queryjob

import (
	"errors"
	"fmt"
	"time"

	"github.com/braidstream/braid/internal/query/sql"
)

// Errors of the manager, classified by internal/errclass.
var (
	ErrNotFound = errors.New("query not found")
	ErrExists   = errors.New("query exists")
	ErrInvalid  = errors.New("invalid query")
)

// MaxQueries bounds the queries one server runs.
const MaxQueries = 100

// MaxNameLen is the longest query name.
const MaxNameLen = 64

// States of a query.
const (
	StateRunning  = "running"
	StateRetrying = "retrying"
	StateStopped  = "stopped"
	StateFailed   = "failed"
)

// Health of a running query.
const (
	HealthOK       = "ok"
	HealthWaiting  = "waiting"
	HealthNoOutput = "no_output"
	HealthDropping = "dropping"
	HealthFailing  = "failing"
)

// Version is one deployed text of a query.
type Version struct {
	Version  int64     `json:"version"`
	SQL      string    `json:"sql"`
	Deployed time.Time `json:"deployed"`
}

// record is a query as the metadata store keeps it.
type record struct {
	Name string `json:"name"`
	// ID is the deployment's random id: it names the query's writers, so
	// that a query deployed again under a deleted one's name (whose
	// output stream stayed) numbers its results afresh.
	ID       string    `json:"id"`
	Versions []Version `json:"versions"`
	Created  time.Time `json:"created"`
	Stopped  bool      `json:"stopped,omitempty"`
	// Checkpoint is the last committed checkpoint, nil before the first.
	Checkpoint *checkpointRef `json:"checkpoint,omitempty"`
}

func (r record) current() Version { return r.Versions[len(r.Versions)-1] }

// checkpointRef says where a checkpoint is: its chunks, events of the
// state stream, in order. The chunks hold a checkpoint (checkpoint.go).
type checkpointRef struct {
	Version int64     `json:"version"` // the query version it is of
	Chunks  []string  `json:"chunks"`  // event pointers
	Cut     string    `json:"cut"`     // the input position
	At      time.Time `json:"at"`
	Count   int64     `json:"count"` // checkpoints committed so far
}

// Status is a query and how it is doing.
type Status struct {
	Name     string
	Version  Version
	Versions []Version
	State    string
	Created  time.Time
	Input    string
	Output   string
	// LateOutput is the stream late events go to, "" when dropped.
	LateOutput  string
	StateStream string
	Columns     []Column
	Health      string
	// HealthDetail says why Health is not ok.
	HealthDetail string
	Stats        Stats
	InputRate    float64 // events/s over the last ten seconds
	OutputRate   float64
	LastError    string
	LastErrorAt  time.Time
	// Position is the input cut of the last checkpoint.
	Position       string
	Checkpoints    int64
	LastCheckpoint time.Time
	Failures       int64
	LagBytes       int64
}

// Column is a result column and its role (see engine.Column).
type Column struct {
	Name, Role string
}

// Stats are the engine's counters (see engine.Stats).
type Stats struct {
	EventsIn, Matched, BadJSON, BadTime, TypeErrors, Late, Future, DroppedGroups, ResultsOut int64
	OpenWindows, OpenGroups                                                                  int
	Watermark, MaxEventTime, LastEventAt, LastResultAt                                       time.Time
	LastError                                                                                string
	Missing                                                                                  map[string]int64
}

// checkName validates a query name.
func checkName(name string) error {
	if name == "" {
		return invalid("a query needs a name")
	}
	if len(name) > MaxNameLen {
		return invalid("query name %q is longer than %d bytes", name[:MaxNameLen]+"...", MaxNameLen)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || (i > 0 && (c == '_' || c == '-'))
		if !ok {
			return invalid("query name %q: %q at byte %d is not allowed (use A-Z a-z 0-9, and _ - after the first)", name, c, i)
		}
	}
	return nil
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// parse parses and checks text, wrapping its error as ErrInvalid (the
// *sql.Error stays reachable with errors.As).
func parse(text string) (*sql.Query, error) {
	q, err := sql.Parse(text)
	if err != nil {
		return nil, &invalidQuery{err: err}
	}
	return q, nil
}

// invalidQuery is a parse or check error: ErrInvalid, with the
// *sql.Error (line and column) inside.
type invalidQuery struct{ err error }

func (e *invalidQuery) Error() string { return e.err.Error() }
func (e *invalidQuery) Unwrap() []error {
	return []error{ErrInvalid, e.err}
}
