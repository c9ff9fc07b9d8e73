package grpcapi

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"strings"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/internal/auth"
	"github.com/braidstream/braid/wire"
)

// Authorization of the public gRPC port. Every method has a rule in
// methodRules: the permissions a call needs, on which scope, found in its
// request (or, for a job, query or holder named by id, through a
// ScopeResolver). A method without a rule is refused (and fails
// TestEveryMethodHasARule). Listings answer only what the caller may read.
// The in-process port the HTTP API uses has no interceptor: the HTTP API
// checks its callers itself.

// ScopeResolver finds the scopes of things a request names by id.
type ScopeResolver interface {
	// ExportScope is the scope of an export job's stream.
	ExportScope(ctx context.Context, name string) (string, error)
	// QueryScopes are the scopes of a query's input and output.
	QueryScopes(ctx context.Context, name string) (input, output string, err error)
	// SQLScopes are the scopes a query's text reads and writes (its
	// output, and its late stream's, "" for none), were it deployed under
	// name.
	SQLScopes(name, sql string) (input, output, late string, err error)
	// HolderScopes are the scopes of ephemeral holders' streams or
	// scopes, by holder id; holders the server does not know are not in
	// it. An error says the holders could not be looked up.
	HolderScopes(ctx context.Context, ids []string) (map[string]string, error)
}

// AuthCounter counts authentication failures and permission denials.
type AuthCounter interface {
	Failure(surface, reason string)
	Denied(surface string)
}

// PeerVerifier tells the calls of the cluster's other nodes (peercred).
type PeerVerifier interface {
	// Verify says whether a call claims to come from a node (present)
	// and whether it proved it (ok).
	Verify(ctx context.Context) (present, ok bool)
}

// Authorizer checks the calls of the public gRPC port.
type Authorizer struct {
	Users   *auth.Store
	Resolve ScopeResolver
	// Peers, on a cluster node, tells the other nodes' calls: they are
	// auth.Node, which may do everything (the node a call came in at
	// checked its caller), and only they may call the peer service.
	Peers   PeerVerifier
	Counter AuthCounter // may be nil
	Log     *slog.Logger
}

// peerService is the prefix of the peer service's methods, which only the
// cluster's nodes may call.
const peerService = "/braid.cluster.v1.PeerService/"

// need is one permission on one scope.
type need struct {
	perm  auth.Perm
	scope string
}

// rule says what a call needs, from its request (nil for a stream's first
// message being unknown yet: see streamRules).
type rule func(ctx context.Context, a *Authorizer, req any) ([]need, error)

// scoped is the rule of requests with a scope field.
func scoped(p auth.Perm) rule {
	return func(_ context.Context, _ *Authorizer, req any) ([]need, error) {
		s, ok := req.(interface{ GetScope() string })
		if !ok {
			return nil, errors.New("no scope in the request")
		}
		return []need{{p, s.GetScope()}}, nil
	}
}

// cluster is the rule of server-wide calls.
func cluster(context.Context, *Authorizer, any) ([]need, error) {
	return []need{{auth.PermCluster, ""}}, nil
}

// anyUser is the rule of listings, filtered by listFilters.
func anyUser(context.Context, *Authorizer, any) ([]need, error) { return nil, nil }

func byExport(p auth.Perm) rule {
	return func(ctx context.Context, a *Authorizer, req any) ([]need, error) {
		scope, err := a.Resolve.ExportScope(ctx, req.(interface{ GetName() string }).GetName())
		if err != nil {
			return []need{{auth.PermCluster, ""}}, nil // only a cluster admin learns it is missing
		}
		return []need{{p, scope}}, nil
	}
}

func byQuery(p auth.Perm) rule {
	return func(ctx context.Context, a *Authorizer, req any) ([]need, error) {
		in, out, err := a.Resolve.QueryScopes(ctx, req.(interface{ GetName() string }).GetName())
		if err != nil {
			return []need{{auth.PermCluster, ""}}, nil // only a cluster admin learns it is missing
		}
		ns := []need{{p, in}}
		if d, ok := req.(*braidv1.DeleteQueryRequest); ok && d.GetDeleteOutput() {
			ns = append(ns, need{auth.PermAdmin, out})
		}
		return ns, nil
	}
}

// groupConfigRule needs admin on the group's scope and read on the scope of
// every stream its config names (a member reads them).
func groupConfigRule(_ context.Context, _ *Authorizer, req any) ([]need, error) {
	r := req.(interface {
		GetScope() string
		GetConfig() *braidv1.GroupConfig
	})
	ns := []need{{auth.PermAdmin, r.GetScope()}}
	for _, s := range r.GetConfig().GetStreams() {
		scope, _, _ := strings.Cut(s.GetStream(), "/")
		ns = append(ns, need{auth.PermRead, scope})
	}
	return ns, nil
}

// byQueryText: reading the input (validate), or administering it and
// writing the output (deploy).
func byQueryText(deploy bool) rule {
	return func(ctx context.Context, a *Authorizer, req any) ([]need, error) {
		r := req.(interface {
			GetName() string
			GetSql() string
		})
		in, out, late, err := a.Resolve.SQLScopes(r.GetName(), r.GetSql())
		if err != nil || in == "" {
			return nil, nil // a query with problems: any user may learn them
		}
		if !deploy {
			return []need{{auth.PermRead, in}}, nil
		}
		ns := []need{{auth.PermAdmin, in}, {auth.PermWrite, out}}
		if late != "" {
			ns = append(ns, need{auth.PermWrite, late})
		}
		if d, ok := req.(*braidv1.DeployQueryRequest); ok && d.GetReplace() {
			// A new version of a query: the one deployed is the caller's
			// to replace too.
			if oldIn, _, err := a.Resolve.QueryScopes(ctx, d.GetName()); err == nil {
				ns = append(ns, need{auth.PermAdmin, oldIn})
			}
		}
		return ns, nil
	}
}

func byHolders(ctx context.Context, a *Authorizer, req any) ([]need, error) {
	var ids []string
	switch r := req.(type) {
	case *braidv1.KeepAliveRequest:
		ids = r.GetHolderIds()
	case *braidv1.DetachRequest:
		ids = []string{r.GetHolderId()}
	}
	var ns []need
	scopes, err := a.Resolve.HolderScopes(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if scope, ok := scopes[id]; ok {
			ns = append(ns, need{auth.PermAdmin, scope})
		}
	}
	return ns, nil
}

func collectInactive(_ context.Context, _ *Authorizer, req any) ([]need, error) {
	var ns []need
	for _, s := range req.(*braidv1.CollectInactiveRequest).GetStreams() {
		scope, _, _ := strings.Cut(s, "/")
		ns = append(ns, need{auth.PermAdmin, scope})
	}
	return ns, nil
}

// createExport needs admin on the job's scope; an S3 endpoint of the
// caller's choosing, cluster admin too (the server would reach it with its
// own credentials).
func createExport(_ context.Context, _ *Authorizer, req any) ([]need, error) {
	j := req.(*braidv1.CreateExportRequest).GetJob()
	ns := []need{{auth.PermAdmin, j.GetScope()}}
	if j.GetS3Endpoint() != "" {
		ns = append(ns, need{auth.PermCluster, ""})
	}
	return ns, nil
}

// methodRules are the unary methods' rules and the streams' first
// messages' (streams check every message that names a stream: see
// checkStreamMessage).
var methodRules = map[string]rule{
	"/braid.v1.StreamService/CreateScope":    cluster,
	"/braid.v1.StreamService/ListScopes":     anyUser,
	"/braid.v1.StreamService/DeleteScope":    cluster,
	"/braid.v1.StreamService/CreateStream":   scoped(auth.PermAdmin),
	"/braid.v1.StreamService/GetStream":      scoped(auth.PermRead),
	"/braid.v1.StreamService/ListStreams":    scoped(auth.PermRead),
	"/braid.v1.StreamService/SealStream":     scoped(auth.PermAdmin),
	"/braid.v1.StreamService/TruncateStream": scoped(auth.PermAdmin),
	"/braid.v1.StreamService/UpdateStream":   scoped(auth.PermAdmin),
	"/braid.v1.StreamService/DeleteStream":   scoped(auth.PermAdmin),
	"/braid.v1.StreamService/ScaleStream":    scoped(auth.PermAdmin),
	"/braid.v1.StreamService/GetSuccessors":  scoped(auth.PermRead),

	"/braid.v1.GroupService/CreateGroup":   groupConfigRule,
	"/braid.v1.GroupService/ListGroups":    scoped(auth.PermRead),
	"/braid.v1.GroupService/DescribeGroup": scoped(auth.PermRead),
	"/braid.v1.GroupService/ResetGroup":    groupConfigRule,
	"/braid.v1.GroupService/DeleteGroup":   scoped(auth.PermAdmin),
	"/braid.v1.GroupService/Checkpoint":    scoped(auth.PermAdmin),
	"/braid.v1.GroupService/ReaderSession": nil, // stream: its join

	"/braid.v1.ExportService/CreateExport": createExport,
	"/braid.v1.ExportService/ListExports":  anyUser,
	"/braid.v1.ExportService/GetExport":    byExport(auth.PermRead),
	"/braid.v1.ExportService/StopExport":   byExport(auth.PermAdmin),
	"/braid.v1.ExportService/StartExport":  byExport(auth.PermAdmin),
	"/braid.v1.ExportService/DeleteExport": byExport(auth.PermAdmin),

	"/braid.v1.EphemeralService/Attach":           scoped(auth.PermAdmin),
	"/braid.v1.EphemeralService/KeepAlive":        byHolders,
	"/braid.v1.EphemeralService/Detach":           byHolders,
	"/braid.v1.EphemeralService/GetEphemeral":     scoped(auth.PermRead),
	"/braid.v1.EphemeralService/ListEphemeral":    anyUser,
	"/braid.v1.EphemeralService/GetCleanupLog":    cluster,
	"/braid.v1.EphemeralService/ListInactive":     anyUser,
	"/braid.v1.EphemeralService/CollectInactive":  collectInactive,
	"/braid.v1.EphemeralService/SetInactiveTTL":   scoped(auth.PermAdmin),
	"/braid.v1.EphemeralService/ListInactiveTTLs": anyUser,

	"/braid.v1.QueryService/ValidateQuery": byQueryText(false),
	"/braid.v1.QueryService/DeployQuery":   byQueryText(true),
	"/braid.v1.QueryService/ListQueries":   anyUser,
	"/braid.v1.QueryService/GetQuery":      byQuery(auth.PermRead),
	"/braid.v1.QueryService/StopQuery":     byQuery(auth.PermAdmin),
	"/braid.v1.QueryService/StartQuery":    byQuery(auth.PermAdmin),
	"/braid.v1.QueryService/DeleteQuery":   byQuery(auth.PermAdmin),

	"/braid.v1.DataService/Append":        nil, // stream: each open
	"/braid.v1.DataService/ReadSegment":   scoped(auth.PermRead),
	"/braid.v1.DataService/FetchEvent":    scoped(auth.PermRead),
	"/braid.v1.DataService/GetStreamCut":  scoped(auth.PermRead),
	"/braid.v1.DataService/NoteTime":      scoped(auth.PermWrite),
	"/braid.v1.DataService/GetWatermark":  scoped(auth.PermRead),
	"/braid.v1.DataService/GetTimeWindow": scoped(auth.PermRead),
}

// Unary is the interceptor of unary calls.
func (a *Authorizer) Unary() grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		id, err := a.identify(ctx)
		if err != nil {
			return nil, err
		}
		if id.IsNode() {
			return handler(ctx, req)
		}
		if strings.HasPrefix(info.FullMethod, peerService) {
			return nil, a.deny(id, info.FullMethod, "the peer service is for the cluster's nodes only")
		}
		r, ok := methodRules[info.FullMethod]
		if !ok || r == nil {
			return nil, a.deny(id, info.FullMethod, "no permission rule for this method")
		}
		ns, err := r(ctx, a, req)
		if err != nil {
			return nil, toStatus(err)
		}
		if err := a.check(id, info.FullMethod, ns); err != nil {
			return nil, err
		}
		resp, err := handler(ctx, req)
		if err == nil {
			filterList(id, resp)
		}
		return resp, err
	}
}

// Stream is the interceptor of streaming calls: every message that names
// a stream or group is checked as it comes.
func (a *Authorizer) Stream() grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		id, err := a.identify(ss.Context())
		if err != nil {
			return err
		}
		if id.IsNode() {
			return handler(srv, ss)
		}
		if strings.HasPrefix(info.FullMethod, peerService) {
			return a.deny(id, info.FullMethod, "the peer service is for the cluster's nodes only")
		}
		if _, ok := methodRules[info.FullMethod]; !ok {
			return a.deny(id, info.FullMethod, "no permission rule for this method")
		}
		return handler(srv, &authzStream{ServerStream: ss, a: a, id: id, method: info.FullMethod})
	}
}

// authzStream checks each message received.
type authzStream struct {
	grpc.ServerStream
	a      *Authorizer
	id     auth.Identity
	method string
}

func (s *authzStream) RecvMsg(m any) error {
	if err := s.ServerStream.RecvMsg(m); err != nil {
		return err
	}
	var ns []need
	if r := methodRules[s.method]; r != nil {
		// A server-streaming call: its one request, as a unary call's.
		var err error
		if ns, err = r(s.Context(), s.a, m); err != nil {
			return toStatus(err)
		}
	}
	switch r := m.(type) {
	case *braidv1.AppendRequest:
		if o := r.GetOpen(); o != nil {
			ns = append(ns, need{auth.PermWrite, o.GetScope()})
		}
	case *braidv1.ReaderSessionRequest:
		if j := r.GetJoin(); j != nil {
			ns = append(ns, need{auth.PermRead, j.GetScope()})
		}
	}
	return s.a.check(s.id, s.method, ns)
}

// identify finds the caller: another node of the cluster, a bearer
// token, else a verified client certificate's name.
func (a *Authorizer) identify(ctx context.Context) (auth.Identity, error) {
	if a.Peers != nil {
		if present, ok := a.Peers.Verify(ctx); present {
			switch {
			case !ok:
				a.fail(ctx, "bad_peer_secret", errors.New("a call with another peer secret than this cluster's"))
				return auth.Anonymous, authStatus(codes.Unauthenticated, wire.CodeUnauthenticated, "the peer secret is not this cluster's: is the node a member of another cluster (another etcd or --cluster prefix)?")
			case !overTLSOrLocal(ctx):
				a.fail(ctx, "bad_peer_secret", errors.New("a peer secret without TLS from another machine"))
				return auth.Anonymous, authStatus(codes.Unauthenticated, wire.CodeUnauthenticated, "a node's call without TLS is taken from this machine only: give every node --tls-cert and --tls-key")
			}
			return auth.Node, nil
		}
	}
	if md, ok := metadata.FromIncomingContext(ctx); ok {
		if vs := md.Get("authorization"); len(vs) > 0 {
			if !overTLSOrLocal(ctx) {
				a.fail(ctx, "bad_token", errors.New("a token without TLS from another machine"))
				return auth.Anonymous, authStatus(codes.Unauthenticated, wire.CodeUnauthenticated, "a token sent without TLS is taken from this machine only: connect with TLS (--tls-ca, braid.WithTLS)")
			}
			tok, err := auth.ParseAuthorization(vs[0])
			if err == nil {
				var id auth.Identity
				if id, err = a.Users.Authenticate(tok); err == nil {
					return id, nil
				}
			}
			a.fail(ctx, "bad_token", err)
			return auth.Anonymous, authStatus(codes.Unauthenticated, wire.CodeUnauthenticated, "the token is not valid: give a current one (braid auth token)")
		}
	}
	if p, ok := peer.FromContext(ctx); ok {
		if ti, ok := p.AuthInfo.(credentials.TLSInfo); ok && len(ti.State.VerifiedChains) > 0 && len(ti.State.VerifiedChains[0]) > 0 {
			name := ti.State.VerifiedChains[0][0].Subject.CommonName
			if id, ok := a.Users.ByName(name); ok {
				return id, nil
			}
			a.fail(ctx, "unknown_certificate", errors.New("certificate of "+name))
			return auth.Anonymous, authStatus(codes.Unauthenticated, wire.CodeUnauthenticated, "the client certificate's name "+name+" is not a user of this server")
		}
	}
	a.fail(ctx, "no_credentials", auth.ErrNoCredentials)
	return auth.Anonymous, authStatus(codes.Unauthenticated, wire.CodeUnauthenticated, "this server requires authentication: give a token (--token or $BRAID_TOKEN; Authorization: Bearer) or a client certificate")
}

// overTLSOrLocal reports whether the call came over TLS or from this
// machine: a token is taken in clear text only from a loopback peer.
func overTLSOrLocal(ctx context.Context) bool {
	p, ok := peer.FromContext(ctx)
	if !ok {
		return false
	}
	if _, ok := p.AuthInfo.(credentials.TLSInfo); ok {
		return true
	}
	if ta, ok := p.Addr.(*net.TCPAddr); ok {
		return ta.IP.IsLoopback()
	}
	return false
}

func (a *Authorizer) fail(ctx context.Context, reason string, err error) {
	if a.Counter != nil {
		a.Counter.Failure("grpc", reason)
	}
	addr := ""
	if p, ok := peer.FromContext(ctx); ok && p.Addr != nil {
		addr = p.Addr.String()
	}
	a.log().Warn("authentication failed", "surface", "grpc", "reason", reason, "remote", addr, "err", err)
}

// check refuses the call unless id has every permission of ns.
func (a *Authorizer) check(id auth.Identity, method string, ns []need) error {
	for _, n := range ns {
		if err := id.Check(n.perm, n.scope); err != nil {
			return a.deny(id, method, err.Error())
		}
	}
	return nil
}

func (a *Authorizer) deny(id auth.Identity, method, why string) error {
	if a.Counter != nil {
		a.Counter.Denied("grpc")
	}
	a.log().Warn("permission denied", "surface", "grpc", "user", id.Name, "method", method, "why", why)
	return authStatus(codes.PermissionDenied, wire.CodePermissionDenied, why)
}

func (a *Authorizer) log() *slog.Logger {
	if a.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return a.Log
}

// authStatus is a gRPC status with braid's code in its ErrorInfo.
func authStatus(gc codes.Code, code wire.Code, msg string) error {
	st := status.New(gc, msg)
	if d, err := st.WithDetails(&errdetails.ErrorInfo{Reason: string(code), Domain: wire.ErrorDomain}); err == nil {
		st = d
	}
	return st.Err()
}

// filterList keeps in a listing what id may read.
func filterList(id auth.Identity, resp any) {
	keep := func(scope string) bool { return id.VisibleScope(scope) }
	switch r := resp.(type) {
	case *braidv1.ListScopesResponse:
		r.Scopes = filterSlice(r.Scopes, func(s string) bool { return keep(s) })
	case *braidv1.ListExportsResponse:
		r.Exports = filterSlice(r.Exports, func(e *braidv1.ExportStatus) bool { return keep(e.GetJob().GetScope()) })
	case *braidv1.ListQueriesResponse:
		r.Queries = filterSlice(r.Queries, func(q *braidv1.QueryStatus) bool {
			scope, _, _ := strings.Cut(q.GetInput(), "/")
			return keep(scope)
		})
	case *braidv1.ListEphemeralResponse:
		r.Ephemeral = filterSlice(r.Ephemeral, func(e *braidv1.Ephemeral) bool { return keep(e.GetScope()) })
	case *braidv1.ListInactiveResponse:
		r.Streams = filterSlice(r.Streams, func(s *braidv1.InactiveStream) bool { return keep(s.GetScope()) })
	case *braidv1.ListInactiveTTLsResponse:
		r.Policies = filterSlice(r.Policies, func(p *braidv1.InactiveTTL) bool { return keep(p.GetScope()) })
	}
}

func filterSlice[T any](xs []T, keep func(T) bool) []T {
	out := xs[:0]
	for _, x := range xs {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}
