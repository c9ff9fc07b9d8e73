package grpcapi

import (
	"context"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
)

// Leaders says which cluster node leads: the leader runs the export jobs
// and continuous queries.
type Leaders interface {
	// Leader returns the leader's gRPC address and whether it is this
	// node; ok is false while there is none.
	Leader() (addr string, self bool, ok bool)
	// Changed is closed at the next change of the cluster's view.
	Changed() <-chan struct{}
}

// LeaderRouter serves the export and query services on a cluster node:
// the leader serves them, the other nodes forward every call to it.
type LeaderRouter struct {
	exports *ExportService
	queries *QueryService
	leaders Leaders
	wait    time.Duration
	fwd     forwarder
}

// NewLeaderRouter returns the export and query services of a cluster node.
func NewLeaderRouter(exports *ExportService, queries *QueryService, leaders Leaders, wait time.Duration) *LeaderRouter {
	return &LeaderRouter{exports: exports, queries: queries, leaders: leaders, wait: wait}
}

// Close closes the connections to other nodes.
func (r *LeaderRouter) Close() error { return r.fwd.Close() }

// Exports is the export service.
func (r *LeaderRouter) Exports() braidv1.ExportServiceServer { return leaderExports{r: r} }

// Queries is the query service.
func (r *LeaderRouter) Queries() braidv1.QueryServiceServer { return leaderQueries{r: r} }

// route finds the leader, waiting up to r.wait for one.
func (r *LeaderRouter) route() route {
	return route{where: r.where, changed: r.leaders.Changed, wait: r.wait}
}

func (r *LeaderRouter) where(ctx context.Context) (*grpc.ClientConn, error) {
	deadline := time.Now().Add(r.wait)
	for {
		changed := r.leaders.Changed()
		addr, self, ok := r.leaders.Leader()
		switch {
		case ok && self:
			return nil, nil
		case forwarded(ctx):
			return nil, status.Error(codes.Unavailable, "this node does not lead the cluster (any more): export jobs and queries run on the leader")
		case ok:
			cc, err := r.fwd.conn(addr)
			if err != nil {
				return nil, status.Errorf(codes.Unavailable, "the cluster's leader %s: %v", addr, err)
			}
			return cc, nil
		}
		if !waitView(ctx, changed, deadline) {
			if ctx.Err() != nil {
				return nil, status.FromContextError(ctx.Err()).Err()
			}
			return nil, status.Errorf(codes.Unavailable, "the cluster has no leader (waited %v): export jobs and queries run on the leader", r.wait)
		}
	}
}

type leaderExports struct {
	braidv1.UnimplementedExportServiceServer
	r *LeaderRouter
}

var _ braidv1.ExportServiceServer = leaderExports{}

func (l leaderExports) CreateExport(ctx context.Context, req *braidv1.CreateExportRequest) (*braidv1.CreateExportResponse, error) {
	return forward(l.r.route(), ctx, req, l.r.exports.CreateExport, braidv1.NewExportServiceClient, braidv1.ExportServiceClient.CreateExport)
}

func (l leaderExports) ListExports(ctx context.Context, req *braidv1.ListExportsRequest) (*braidv1.ListExportsResponse, error) {
	return forward(l.r.route(), ctx, req, l.r.exports.ListExports, braidv1.NewExportServiceClient, braidv1.ExportServiceClient.ListExports)
}

func (l leaderExports) GetExport(ctx context.Context, req *braidv1.GetExportRequest) (*braidv1.GetExportResponse, error) {
	return forward(l.r.route(), ctx, req, l.r.exports.GetExport, braidv1.NewExportServiceClient, braidv1.ExportServiceClient.GetExport)
}

func (l leaderExports) StopExport(ctx context.Context, req *braidv1.StopExportRequest) (*braidv1.StopExportResponse, error) {
	return forward(l.r.route(), ctx, req, l.r.exports.StopExport, braidv1.NewExportServiceClient, braidv1.ExportServiceClient.StopExport)
}

func (l leaderExports) StartExport(ctx context.Context, req *braidv1.StartExportRequest) (*braidv1.StartExportResponse, error) {
	return forward(l.r.route(), ctx, req, l.r.exports.StartExport, braidv1.NewExportServiceClient, braidv1.ExportServiceClient.StartExport)
}

func (l leaderExports) DeleteExport(ctx context.Context, req *braidv1.DeleteExportRequest) (*braidv1.DeleteExportResponse, error) {
	return forward(l.r.route(), ctx, req, l.r.exports.DeleteExport, braidv1.NewExportServiceClient, braidv1.ExportServiceClient.DeleteExport)
}

type leaderQueries struct {
	braidv1.UnimplementedQueryServiceServer
	r *LeaderRouter
}

var _ braidv1.QueryServiceServer = leaderQueries{}

func (l leaderQueries) ValidateQuery(ctx context.Context, req *braidv1.ValidateQueryRequest) (*braidv1.ValidateQueryResponse, error) {
	return forward(l.r.route(), ctx, req, l.r.queries.ValidateQuery, braidv1.NewQueryServiceClient, braidv1.QueryServiceClient.ValidateQuery)
}

func (l leaderQueries) DeployQuery(ctx context.Context, req *braidv1.DeployQueryRequest) (*braidv1.DeployQueryResponse, error) {
	return forward(l.r.route(), ctx, req, l.r.queries.DeployQuery, braidv1.NewQueryServiceClient, braidv1.QueryServiceClient.DeployQuery)
}

func (l leaderQueries) ListQueries(ctx context.Context, req *braidv1.ListQueriesRequest) (*braidv1.ListQueriesResponse, error) {
	return forward(l.r.route(), ctx, req, l.r.queries.ListQueries, braidv1.NewQueryServiceClient, braidv1.QueryServiceClient.ListQueries)
}

func (l leaderQueries) GetQuery(ctx context.Context, req *braidv1.GetQueryRequest) (*braidv1.GetQueryResponse, error) {
	return forward(l.r.route(), ctx, req, l.r.queries.GetQuery, braidv1.NewQueryServiceClient, braidv1.QueryServiceClient.GetQuery)
}

func (l leaderQueries) StopQuery(ctx context.Context, req *braidv1.StopQueryRequest) (*braidv1.StopQueryResponse, error) {
	return forward(l.r.route(), ctx, req, l.r.queries.StopQuery, braidv1.NewQueryServiceClient, braidv1.QueryServiceClient.StopQuery)
}

func (l leaderQueries) StartQuery(ctx context.Context, req *braidv1.StartQueryRequest) (*braidv1.StartQueryResponse, error) {
	return forward(l.r.route(), ctx, req, l.r.queries.StartQuery, braidv1.NewQueryServiceClient, braidv1.QueryServiceClient.StartQuery)
}

func (l leaderQueries) DeleteQuery(ctx context.Context, req *braidv1.DeleteQueryRequest) (*braidv1.DeleteQueryResponse, error) {
	return forward(l.r.route(), ctx, req, l.r.queries.DeleteQuery, braidv1.NewQueryServiceClient, braidv1.QueryServiceClient.DeleteQuery)
}
