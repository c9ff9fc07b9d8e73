package grpcapi

import (
	"context"
	"errors"
	"time"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/internal/query/sql"
	"github.com/braidstream/braid/internal/queryjob"
)

// QueryService implements braidv1.QueryServiceServer over the server's
// continuous queries.
type QueryService struct {
	braidv1.UnimplementedQueryServiceServer
	queries *queryjob.Manager
}

var _ braidv1.QueryServiceServer = (*QueryService)(nil)

// NewQueryService returns the query service.
func NewQueryService(queries *queryjob.Manager) *QueryService {
	return &QueryService{queries: queries}
}

// ValidateQuery implements braidv1.QueryServiceServer.
func (s *QueryService) ValidateQuery(ctx context.Context, req *braidv1.ValidateQueryRequest) (*braidv1.ValidateQueryResponse, error) {
	v, err := s.queries.Validate(ctx, req.GetName(), req.GetSql(), req.GetForce())
	if err != nil {
		return nil, toStatus(err)
	}
	resp := &braidv1.ValidateQueryResponse{Input: v.Input, Output: v.Output, LateOutput: v.Late, Warnings: v.Warnings, Columns: queryColumns(v.Columns)}
	if v.Problem != nil {
		resp.Problems = append(resp.Problems, queryProblem(v.Problem))
	}
	return resp, nil
}

// queryProblem is err with its place, when it has one.
func queryProblem(err error) *braidv1.QueryProblem {
	p := &braidv1.QueryProblem{Message: err.Error()}
	var se *sql.Error
	if errors.As(err, &se) {
		p.Line, p.Column, p.Message = int32(se.Pos.Line), int32(se.Pos.Col), se.Msg
	}
	return p
}

// DeployQuery implements braidv1.QueryServiceServer.
func (s *QueryService) DeployQuery(ctx context.Context, req *braidv1.DeployQueryRequest) (*braidv1.DeployQueryResponse, error) {
	st, warnings, err := s.queries.Deploy(ctx, req.GetName(), req.GetSql(), req.GetReplace(), req.GetForce())
	if err != nil {
		return nil, toStatus(err)
	}
	return &braidv1.DeployQueryResponse{Query: queryStatus(st), Warnings: warnings}, nil
}

// ListQueries implements braidv1.QueryServiceServer.
func (s *QueryService) ListQueries(ctx context.Context, _ *braidv1.ListQueriesRequest) (*braidv1.ListQueriesResponse, error) {
	resp := &braidv1.ListQueriesResponse{}
	for _, st := range s.queries.List() {
		resp.Queries = append(resp.Queries, queryStatus(st))
	}
	return resp, nil
}

// GetQuery implements braidv1.QueryServiceServer.
func (s *QueryService) GetQuery(ctx context.Context, req *braidv1.GetQueryRequest) (*braidv1.GetQueryResponse, error) {
	st, err := s.queries.Get(req.GetName())
	if err != nil {
		return nil, toStatus(err)
	}
	return &braidv1.GetQueryResponse{Query: queryStatus(st)}, nil
}

// StopQuery implements braidv1.QueryServiceServer.
func (s *QueryService) StopQuery(ctx context.Context, req *braidv1.StopQueryRequest) (*braidv1.StopQueryResponse, error) {
	st, err := s.queries.Stop(ctx, req.GetName())
	if err != nil {
		return nil, toStatus(err)
	}
	return &braidv1.StopQueryResponse{Query: queryStatus(st)}, nil
}

// StartQuery implements braidv1.QueryServiceServer.
func (s *QueryService) StartQuery(ctx context.Context, req *braidv1.StartQueryRequest) (*braidv1.StartQueryResponse, error) {
	st, err := s.queries.Resume(ctx, req.GetName())
	if err != nil {
		return nil, toStatus(err)
	}
	return &braidv1.StartQueryResponse{Query: queryStatus(st)}, nil
}

// DeleteQuery implements braidv1.QueryServiceServer.
func (s *QueryService) DeleteQuery(ctx context.Context, req *braidv1.DeleteQueryRequest) (*braidv1.DeleteQueryResponse, error) {
	if err := s.queries.Delete(ctx, req.GetName(), req.GetDeleteOutput()); err != nil {
		return nil, toStatus(err)
	}
	return &braidv1.DeleteQueryResponse{}, nil
}

func queryColumns(cs []queryjob.Column) []*braidv1.QueryColumn {
	out := make([]*braidv1.QueryColumn, 0, len(cs))
	for _, c := range cs {
		out = append(out, &braidv1.QueryColumn{Name: c.Name, Role: c.Role})
	}
	return out
}

func queryStatus(st queryjob.Status) *braidv1.QueryStatus {
	s := st.Stats
	out := &braidv1.QueryStatus{
		Name: st.Name, Version: st.Version.Version, Sql: st.Version.SQL, State: st.State,
		Input: st.Input, Output: st.Output, LateOutput: st.LateOutput, StateStream: st.StateStream,
		CreatedUnixMs: unixMs(st.Created), Columns: queryColumns(st.Columns),
		Health: st.Health, HealthDetail: st.HealthDetail,
		EventsIn: s.EventsIn, Matched: s.Matched, BadJson: s.BadJSON, BadTime: s.BadTime, TypeErrors: s.TypeErrors,
		Late: s.Late, Future: s.Future, DroppedGroups: s.DroppedGroups, ResultsOut: s.ResultsOut,
		OpenWindows: int64(s.OpenWindows), OpenGroups: int64(s.OpenGroups),
		WatermarkUnixMs: unixMs(s.Watermark), MaxEventTimeUnixMs: unixMs(s.MaxEventTime),
		LastEventUnixMs: unixMs(s.LastEventAt), LastResultUnixMs: unixMs(s.LastResultAt),
		InputRate: st.InputRate, OutputRate: st.OutputRate,
		LastError: st.LastError, LastErrorUnixMs: unixMs(st.LastErrorAt),
		Position: st.Position, Checkpoints: st.Checkpoints, LastCheckpointUnixMs: unixMs(st.LastCheckpoint),
		Failures: st.Failures, Missing: s.Missing, LagBytes: st.LagBytes,
	}
	for _, v := range st.Versions {
		out.Versions = append(out.Versions, &braidv1.QueryVersion{Version: v.Version, Sql: v.SQL, DeployedUnixMs: unixMs(v.Deployed)})
	}
	return out
}

// unixMs is t in milliseconds since 1970, 0 for the zero time.
func unixMs(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}
