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
// and continuous queries, and holds the ephemeral streams' leases.
type Leaders interface {
	// Leader returns the leader's gRPC address and whether it is this
	// node; ok is false while there is none.
	Leader() (addr string, self bool, ok bool)
	// Changed is closed at the next change of the cluster's view.
	Changed() <-chan struct{}
}

// LeaderRouter serves the export, query and ephemeral services on a
// cluster node: the leader serves them, the other nodes forward every call
// to it.
type LeaderRouter struct {
	exports   *ExportService
	queries   *QueryService
	ephemeral *EphemeralService
	leaders   Leaders
	wait      time.Duration
	fwd       forwarder
}

// NewLeaderRouter returns the export, query and ephemeral services of a
// cluster node, which reaches the leader with dial.
func NewLeaderRouter(exports *ExportService, queries *QueryService, ephemeral *EphemeralService, leaders Leaders, wait time.Duration, dial []grpc.DialOption) *LeaderRouter {
	return &LeaderRouter{exports: exports, queries: queries, ephemeral: ephemeral, leaders: leaders, wait: wait, fwd: forwarder{dial: dial}}
}

// Close closes the connections to other nodes.
func (r *LeaderRouter) Close() error { return r.fwd.Close() }

// Exports is the export service.
func (r *LeaderRouter) Exports() braidv1.ExportServiceServer { return leaderExports{r: r} }

// Queries is the query service.
func (r *LeaderRouter) Queries() braidv1.QueryServiceServer { return leaderQueries{r: r} }

// Ephemeral is the ephemeral stream service.
func (r *LeaderRouter) Ephemeral() braidv1.EphemeralServiceServer { return leaderEphemeral{r: r} }

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
			return nil, status.Error(codes.Unavailable, "this node does not lead the cluster (any more): export jobs, queries and ephemeral leases are the leader's")
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
			return nil, status.Errorf(codes.Unavailable, "the cluster has no leader (waited %v): export jobs, queries and ephemeral leases are the leader's", r.wait)
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

type leaderEphemeral struct {
	braidv1.UnimplementedEphemeralServiceServer
	r *LeaderRouter
}

var _ braidv1.EphemeralServiceServer = leaderEphemeral{}

func (l leaderEphemeral) Attach(ctx context.Context, req *braidv1.AttachRequest) (*braidv1.AttachResponse, error) {
	return forward(l.r.route(), ctx, req, l.r.ephemeral.Attach, braidv1.NewEphemeralServiceClient, braidv1.EphemeralServiceClient.Attach)
}

func (l leaderEphemeral) KeepAlive(ctx context.Context, req *braidv1.KeepAliveRequest) (*braidv1.KeepAliveResponse, error) {
	return forward(l.r.route(), ctx, req, l.r.ephemeral.KeepAlive, braidv1.NewEphemeralServiceClient, braidv1.EphemeralServiceClient.KeepAlive)
}

func (l leaderEphemeral) Detach(ctx context.Context, req *braidv1.DetachRequest) (*braidv1.DetachResponse, error) {
	return forward(l.r.route(), ctx, req, l.r.ephemeral.Detach, braidv1.NewEphemeralServiceClient, braidv1.EphemeralServiceClient.Detach)
}

func (l leaderEphemeral) GetEphemeral(ctx context.Context, req *braidv1.GetEphemeralRequest) (*braidv1.GetEphemeralResponse, error) {
	return forward(l.r.route(), ctx, req, l.r.ephemeral.GetEphemeral, braidv1.NewEphemeralServiceClient, braidv1.EphemeralServiceClient.GetEphemeral)
}

func (l leaderEphemeral) ListEphemeral(ctx context.Context, req *braidv1.ListEphemeralRequest) (*braidv1.ListEphemeralResponse, error) {
	return forward(l.r.route(), ctx, req, l.r.ephemeral.ListEphemeral, braidv1.NewEphemeralServiceClient, braidv1.EphemeralServiceClient.ListEphemeral)
}

func (l leaderEphemeral) GetCleanupLog(ctx context.Context, req *braidv1.GetCleanupLogRequest) (*braidv1.GetCleanupLogResponse, error) {
	return forward(l.r.route(), ctx, req, l.r.ephemeral.GetCleanupLog, braidv1.NewEphemeralServiceClient, braidv1.EphemeralServiceClient.GetCleanupLog)
}

func (l leaderEphemeral) ListInactive(ctx context.Context, req *braidv1.ListInactiveRequest) (*braidv1.ListInactiveResponse, error) {
	return forward(l.r.route(), ctx, req, l.r.ephemeral.ListInactive, braidv1.NewEphemeralServiceClient, braidv1.EphemeralServiceClient.ListInactive)
}

func (l leaderEphemeral) CollectInactive(ctx context.Context, req *braidv1.CollectInactiveRequest) (*braidv1.CollectInactiveResponse, error) {
	return forward(l.r.route(), ctx, req, l.r.ephemeral.CollectInactive, braidv1.NewEphemeralServiceClient, braidv1.EphemeralServiceClient.CollectInactive)
}

func (l leaderEphemeral) SetInactiveTTL(ctx context.Context, req *braidv1.SetInactiveTTLRequest) (*braidv1.SetInactiveTTLResponse, error) {
	return forward(l.r.route(), ctx, req, l.r.ephemeral.SetInactiveTTL, braidv1.NewEphemeralServiceClient, braidv1.EphemeralServiceClient.SetInactiveTTL)
}

func (l leaderEphemeral) ListInactiveTTLs(ctx context.Context, req *braidv1.ListInactiveTTLsRequest) (*braidv1.ListInactiveTTLsResponse, error) {
	return forward(l.r.route(), ctx, req, l.r.ephemeral.ListInactiveTTLs, braidv1.NewEphemeralServiceClient, braidv1.EphemeralServiceClient.ListInactiveTTLs)
}
