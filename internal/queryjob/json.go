package queryjob

import (
	"time"

	"github.com/braidstream/braid"
)

// JSON is a query's JSON form, the same in the CLI (braid query list -o
// json) and the HTTP API (GET /v1/queries), so that a script reads the
// same fields from either. Times are RFC 3339 (null when never), rates
// events per second.
type JSON struct {
	Name         string           `json:"name"`
	Version      int64            `json:"version"`
	SQL          string           `json:"sql"`
	State        string           `json:"state"`
	Health       string           `json:"health"`
	HealthDetail string           `json:"health_detail,omitempty"`
	Created      *time.Time       `json:"created"`
	Input        string           `json:"input"`
	Output       string           `json:"output"`
	LateOutput   string           `json:"late_output,omitempty"`
	StateStream  string           `json:"state_stream"`
	Columns      []ColumnJSON     `json:"columns"`
	Versions     []VersionJSON    `json:"versions"`
	Events       EventsJSON       `json:"events"`
	ResultsOut   int64            `json:"results_out"`
	OpenWindows  int64            `json:"open_windows"`
	OpenGroups   int64            `json:"open_groups"`
	Watermark    *time.Time       `json:"watermark"`
	MaxEventTime *time.Time       `json:"max_event_time"`
	LastEvent    *time.Time       `json:"last_event"`
	LastResult   *time.Time       `json:"last_result"`
	InputRate    float64          `json:"input_rate"`
	OutputRate   float64          `json:"output_rate"`
	LastError    string           `json:"last_error,omitempty"`
	LastErrorAt  *time.Time       `json:"last_error_at,omitempty"`
	Position     string           `json:"position,omitempty"`
	Checkpoints  int64            `json:"checkpoints"`
	LastCkpt     *time.Time       `json:"last_checkpoint"`
	Failures     int64            `json:"failures"`
	Missing      map[string]int64 `json:"missing_fields"`
}

// EventsJSON counts a query's input events by what became of them.
type EventsJSON struct {
	In            int64 `json:"in"`
	Matched       int64 `json:"matched"`
	BadJSON       int64 `json:"bad_json"`
	BadTime       int64 `json:"bad_time"`
	TypeErrors    int64 `json:"type_errors"`
	Late          int64 `json:"late"`
	Future        int64 `json:"future"`
	DroppedGroups int64 `json:"over_max_groups"`
}

// ColumnJSON is a result column.
type ColumnJSON struct {
	Name string `json:"name"`
	Role string `json:"role"`
}

// VersionJSON is one deployed text.
type VersionJSON struct {
	Version  int64      `json:"version"`
	SQL      string     `json:"sql"`
	Deployed *time.Time `json:"deployed"`
}

func jsonTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

// JSONOf returns q's JSON form.
func JSONOf(q braid.QueryInfo) JSON {
	j := JSON{
		Name: q.Name, Version: q.Version, SQL: q.SQL, State: q.State, Health: q.Health, HealthDetail: q.HealthDetail,
		Created: jsonTime(q.Created), Input: q.Input, Output: q.Output, LateOutput: q.LateOutput, StateStream: q.StateStream,
		Columns: []ColumnJSON{}, Versions: []VersionJSON{},
		Events: EventsJSON{In: q.EventsIn, Matched: q.Matched, BadJSON: q.BadJSON, BadTime: q.BadTime, TypeErrors: q.TypeErrors,
			Late: q.Late, Future: q.Future, DroppedGroups: q.DroppedGroups},
		ResultsOut: q.ResultsOut, OpenWindows: q.OpenWindows, OpenGroups: q.OpenGroups,
		Watermark: jsonTime(q.Watermark), MaxEventTime: jsonTime(q.MaxEventTime), LastEvent: jsonTime(q.LastEvent), LastResult: jsonTime(q.LastResult),
		InputRate: q.InputRate, OutputRate: q.OutputRate, LastError: q.LastError, LastErrorAt: jsonTime(q.LastErrorAt),
		Position: q.Position, Checkpoints: q.Checkpoints, LastCkpt: jsonTime(q.LastCheckpoint), Failures: q.Failures,
		Missing: map[string]int64{},
	}
	for _, c := range q.Columns {
		j.Columns = append(j.Columns, ColumnJSON{Name: c.Name, Role: c.Role})
	}
	for _, v := range q.Versions {
		j.Versions = append(j.Versions, VersionJSON{Version: v.Version, SQL: v.SQL, Deployed: jsonTime(v.Deployed)})
	}
	for k, v := range q.Missing {
		if v > 0 {
			j.Missing[k] = v
		}
	}
	return j
}
