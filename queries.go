package braid

import (
	"context"
	"fmt"
	"time"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
)

// Continuous queries: SQL (docs/sql.md) deployed once under a name, which
// the server runs over its input stream from then on, writing its
// windowed results to an output stream, across server restarts.

// QueryInfo is a deployed query and how it is doing.
type QueryInfo struct {
	Name string
	// Version is the running version's number and SQL its text; Versions
	// lists every version deployed.
	Version  int64
	SQL      string
	Versions []QueryVersion
	// State is "running", "retrying" (see LastError), "stopped" or
	// "failed" (it waits to be started again once fixed).
	State   string
	Created time.Time
	// Input is the stream read; Output the stream results go to;
	// LateOutput the one late events go to ("" when dropped);
	// StateStream the one that holds the query's checkpoints.
	Input, Output, LateOutput, StateStream string
	Columns                                []QueryColumn
	// Health is "ok", "waiting" (no input yet), "no_output" (events pass
	// the WHERE but no window closes), "dropping" (most events are
	// refused) or "failing"; HealthDetail says why.
	Health, HealthDetail string
	// Counters of the query's events and results (kept across restarts).
	EventsIn, Matched, BadJSON, BadTime, TypeErrors, Late, Future, DroppedGroups, ResultsOut int64
	OpenWindows, OpenGroups                                                                  int64
	// Watermark and MaxEventTime are the query's watermark and the
	// greatest event time seen; LastEvent and LastResult when it last
	// read an event and wrote a result (zero: never).
	Watermark, MaxEventTime, LastEvent, LastResult time.Time
	// InputRate and OutputRate are events per second over the last ten
	// seconds.
	InputRate, OutputRate float64
	LastError             string
	LastErrorAt           time.Time
	// Position is the input cut of the last checkpoint.
	Position       string
	Checkpoints    int64
	LastCheckpoint time.Time
	Failures       int64
	// Missing counts, per field the query reads, the events without it.
	Missing map[string]int64
}

// QueryVersion is one deployed text of a query.
type QueryVersion struct {
	Version  int64
	SQL      string
	Deployed time.Time
}

// QueryColumn is a result column: Role is "window_start", "window_end",
// "group", "value" or "final".
type QueryColumn struct {
	Name, Role string
}

// QueryProblem is what is wrong with a query's text, at Line and Column
// (from 1; 0 when the problem has no place).
type QueryProblem struct {
	Line, Column int
	Message      string
}

func (p QueryProblem) String() string {
	if p.Line == 0 {
		return p.Message
	}
	return fmt.Sprintf("line %d, column %d: %s", p.Line, p.Column, p.Message)
}

// QueryValidation is what ValidateQuery found.
type QueryValidation struct {
	// Problems is empty when the query is good.
	Problems []QueryProblem
	Columns  []QueryColumn
	// Input, Output and LateOutput are the streams the query would read
	// and write.
	Input, Output, LateOutput string
	// Warnings are likely mistakes that are not errors.
	Warnings []string
}

// DeployOption changes how DeployQuery deploys.
type DeployOption func(*braidv1.DeployQueryRequest)

// WithReplace deploys a new version of a query deployed already: it goes
// on from where the old version had read to, with no state (windows open
// then start again).
func WithReplace() DeployOption { return func(r *braidv1.DeployQueryRequest) { r.Replace = true } }

// WithForce deploys a query whose fields are in none of its input's last
// events (refused otherwise, as such a field is most often a typo).
func WithForce() DeployOption { return func(r *braidv1.DeployQueryRequest) { r.Force = true } }

// ValidateQuery parses and checks a query as DeployQuery would, without
// deploying it. name, when set, is the name it would have.
func (c *Client) ValidateQuery(ctx context.Context, name, sql string, force bool) (QueryValidation, error) {
	resp, err := c.query.ValidateQuery(ctx, &braidv1.ValidateQueryRequest{Name: name, Sql: sql, Force: force})
	if err != nil {
		return QueryValidation{}, fromStatus("validate query", err)
	}
	v := QueryValidation{Input: resp.GetInput(), Output: resp.GetOutput(), LateOutput: resp.GetLateOutput(),
		Warnings: resp.GetWarnings(), Columns: queryColumns(resp.GetColumns())}
	for _, p := range resp.GetProblems() {
		v.Problems = append(v.Problems, QueryProblem{Line: int(p.GetLine()), Column: int(p.GetColumn()), Message: p.GetMessage()})
	}
	return v, nil
}

// DeployQuery deploys a query under name and starts it; it returns the
// query and any warnings. A query's errors (INVALID_ARGUMENT) name their
// line and column. A name in use is ALREADY_EXISTS unless WithReplace.
func (c *Client) DeployQuery(ctx context.Context, name, sql string, opts ...DeployOption) (QueryInfo, []string, error) {
	req := &braidv1.DeployQueryRequest{Name: name, Sql: sql}
	for _, o := range opts {
		o(req)
	}
	resp, err := c.query.DeployQuery(ctx, req)
	if err != nil {
		return QueryInfo{}, nil, fromStatus("deploy query "+name, err)
	}
	return queryInfo(resp.GetQuery()), resp.GetWarnings(), nil
}

// ListQueries returns the deployed queries, by name.
func (c *Client) ListQueries(ctx context.Context) ([]QueryInfo, error) {
	resp, err := c.query.ListQueries(ctx, &braidv1.ListQueriesRequest{})
	if err != nil {
		return nil, fromStatus("list queries", err)
	}
	out := make([]QueryInfo, 0, len(resp.GetQueries()))
	for _, q := range resp.GetQueries() {
		out = append(out, queryInfo(q))
	}
	return out, nil
}

// GetQuery describes one query.
func (c *Client) GetQuery(ctx context.Context, name string) (QueryInfo, error) {
	resp, err := c.query.GetQuery(ctx, &braidv1.GetQueryRequest{Name: name})
	if err != nil {
		return QueryInfo{}, fromStatus("describe query "+name, err)
	}
	return queryInfo(resp.GetQuery()), nil
}

// StopQuery pauses a query at a checkpoint; it stays stopped across
// restarts until StartQuery.
func (c *Client) StopQuery(ctx context.Context, name string) (QueryInfo, error) {
	resp, err := c.query.StopQuery(ctx, &braidv1.StopQueryRequest{Name: name})
	if err != nil {
		return QueryInfo{}, fromStatus("stop query "+name, err)
	}
	return queryInfo(resp.GetQuery()), nil
}

// StartQuery runs a stopped (or failed) query again from its last
// checkpoint.
func (c *Client) StartQuery(ctx context.Context, name string) (QueryInfo, error) {
	resp, err := c.query.StartQuery(ctx, &braidv1.StartQueryRequest{Name: name})
	if err != nil {
		return QueryInfo{}, fromStatus("start query "+name, err)
	}
	return queryInfo(resp.GetQuery()), nil
}

// DeleteQuery stops and deletes a query with its state stream; its output
// stream goes too if deleteOutput.
func (c *Client) DeleteQuery(ctx context.Context, name string, deleteOutput bool) error {
	_, err := c.query.DeleteQuery(ctx, &braidv1.DeleteQueryRequest{Name: name, DeleteOutput: deleteOutput})
	return fromStatus("delete query "+name, err)
}

func queryColumns(cs []*braidv1.QueryColumn) []QueryColumn {
	out := make([]QueryColumn, 0, len(cs))
	for _, c := range cs {
		out = append(out, QueryColumn{Name: c.GetName(), Role: c.GetRole()})
	}
	return out
}

// msTime is a time in milliseconds since 1970, the zero time for 0.
func msTime(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

func queryInfo(p *braidv1.QueryStatus) QueryInfo {
	q := QueryInfo{
		Name: p.GetName(), Version: p.GetVersion(), SQL: p.GetSql(), State: p.GetState(), Created: msTime(p.GetCreatedUnixMs()),
		Input: p.GetInput(), Output: p.GetOutput(), LateOutput: p.GetLateOutput(), StateStream: p.GetStateStream(),
		Columns: queryColumns(p.GetColumns()), Health: p.GetHealth(), HealthDetail: p.GetHealthDetail(),
		EventsIn: p.GetEventsIn(), Matched: p.GetMatched(), BadJSON: p.GetBadJson(), BadTime: p.GetBadTime(),
		TypeErrors: p.GetTypeErrors(), Late: p.GetLate(), Future: p.GetFuture(), DroppedGroups: p.GetDroppedGroups(),
		ResultsOut: p.GetResultsOut(), OpenWindows: p.GetOpenWindows(), OpenGroups: p.GetOpenGroups(),
		Watermark: msTime(p.GetWatermarkUnixMs()), MaxEventTime: msTime(p.GetMaxEventTimeUnixMs()),
		LastEvent: msTime(p.GetLastEventUnixMs()), LastResult: msTime(p.GetLastResultUnixMs()),
		InputRate: p.GetInputRate(), OutputRate: p.GetOutputRate(), LastError: p.GetLastError(), LastErrorAt: msTime(p.GetLastErrorUnixMs()),
		Position: p.GetPosition(), Checkpoints: p.GetCheckpoints(), LastCheckpoint: msTime(p.GetLastCheckpointUnixMs()),
		Failures: p.GetFailures(), Missing: p.GetMissing(),
	}
	for _, v := range p.GetVersions() {
		q.Versions = append(q.Versions, QueryVersion{Version: v.GetVersion(), SQL: v.GetSql(), Deployed: msTime(v.GetDeployedUnixMs())})
	}
	return q
}
