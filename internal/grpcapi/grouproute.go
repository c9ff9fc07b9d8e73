package grpcapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
)

// GroupCoordinators says which cluster node coordinates a reader group:
// one node holds a group's readers, hands out its segments and commits its
// positions (internal/server gives each group to the owner of a container
// its name hashes to).
type GroupCoordinators interface {
	// Coordinator returns the gRPC address of the node coordinating
	// group scope/name, whether that is this node, and a term that changes
	// whenever the group changes coordinator; ok is false while it has no
	// live one.
	Coordinator(scope, name string) (addr string, self bool, term uint64, ok bool)
	// Changed is closed at the next change of the cluster's view.
	Changed() <-chan struct{}
}

// GroupRouter serves the reader group service on a cluster node: a call
// about a group this node coordinates is served here, after the group's
// record is read again if the node became its coordinator since it last
// served it; any other goes to the coordinator, reader sessions included
// (relayed message by message). A session served here ends with
// UNAVAILABLE when the group moves to another node, and its reader joins
// again, through whichever node, at the new coordinator.
type GroupRouter struct {
	braidv1.UnimplementedGroupServiceServer
	local  *GroupService
	coords GroupCoordinators
	wait   time.Duration // how long a call waits for a live coordinator

	fwd forwarder

	mu     sync.Mutex        // held across a reload
	loaded map[string]uint64 // group: the term its record was read at
}

var _ braidv1.GroupServiceServer = (*GroupRouter)(nil)

// NewGroupRouter returns the group service of a cluster node, which
// reaches the other nodes with dial.
func NewGroupRouter(local *GroupService, coords GroupCoordinators, wait time.Duration, dial []grpc.DialOption) *GroupRouter {
	return &GroupRouter{local: local, coords: coords, wait: wait, loaded: map[string]uint64{}, fwd: forwarder{dial: dial}}
}

// Close closes the connections to other nodes.
func (r *GroupRouter) Close() error { return r.fwd.Close() }

// fresh reads the group's record again if this node served it last in
// another term (or never).
func (r *GroupRouter) fresh(ctx context.Context, scope, name string, term uint64) error {
	key := scope + "/" + name
	// Held across the reload: a second call of the same term must not
	// reload again (it would end the sessions the first let in).
	r.mu.Lock()
	defer r.mu.Unlock()
	if seen, ok := r.loaded[key]; ok && seen == term {
		return nil
	}
	if err := r.local.groups.Reload(ctx, scope, name); err != nil {
		return toStatus(err)
	}
	r.loaded[key] = term
	return nil
}

// where finds the group's coordinator, waiting up to r.wait for a live
// one; a nil connection is this node, the group's record fresh. A
// forwarded call that reached a node which does not coordinate the group
// is refused with UNAVAILABLE (the forwarding node retries).
func (r *GroupRouter) where(ctx context.Context, scope, name string) (*grpc.ClientConn, uint64, error) {
	deadline := time.Now().Add(r.wait)
	for {
		changed := r.coords.Changed()
		addr, self, term, ok := r.coords.Coordinator(scope, name)
		switch {
		case ok && self:
			return nil, term, r.fresh(ctx, scope, name, term)
		case forwarded(ctx):
			return nil, 0, status.Errorf(codes.Unavailable, "this node does not coordinate reader group %s/%s (any more)", scope, name)
		case ok:
			cc, err := r.fwd.conn(addr)
			if err != nil {
				return nil, 0, status.Errorf(codes.Unavailable, "reader group %s/%s: coordinator %s: %v", scope, name, addr, err)
			}
			return cc, term, nil
		}
		if !waitView(ctx, changed, deadline) {
			if ctx.Err() != nil {
				return nil, 0, status.FromContextError(ctx.Err()).Err()
			}
			return nil, 0, status.Errorf(codes.Unavailable, "reader group %s/%s has no live coordinator (waited %v)", scope, name, r.wait)
		}
	}
}

// route is where calls about group scope/name go.
func (r *GroupRouter) route(scope, name string) route {
	return route{
		where: func(ctx context.Context) (*grpc.ClientConn, error) {
			cc, _, err := r.where(ctx, scope, name)
			return cc, err
		},
		changed: r.coords.Changed,
		wait:    r.wait,
	}
}

// CreateGroup implements braidv1.GroupServiceServer.
func (r *GroupRouter) CreateGroup(ctx context.Context, req *braidv1.CreateGroupRequest) (*braidv1.CreateGroupResponse, error) {
	return forward(r.route(req.GetScope(), req.GetGroup()), ctx, req, r.local.CreateGroup, braidv1.NewGroupServiceClient, braidv1.GroupServiceClient.CreateGroup)
}

// DescribeGroup implements braidv1.GroupServiceServer.
func (r *GroupRouter) DescribeGroup(ctx context.Context, req *braidv1.DescribeGroupRequest) (*braidv1.DescribeGroupResponse, error) {
	return forward(r.route(req.GetScope(), req.GetGroup()), ctx, req, r.local.DescribeGroup, braidv1.NewGroupServiceClient, braidv1.GroupServiceClient.DescribeGroup)
}

// ResetGroup implements braidv1.GroupServiceServer.
func (r *GroupRouter) ResetGroup(ctx context.Context, req *braidv1.ResetGroupRequest) (*braidv1.ResetGroupResponse, error) {
	return forward(r.route(req.GetScope(), req.GetGroup()), ctx, req, r.local.ResetGroup, braidv1.NewGroupServiceClient, braidv1.GroupServiceClient.ResetGroup)
}

// DeleteGroup implements braidv1.GroupServiceServer.
func (r *GroupRouter) DeleteGroup(ctx context.Context, req *braidv1.DeleteGroupRequest) (*braidv1.DeleteGroupResponse, error) {
	return forward(r.route(req.GetScope(), req.GetGroup()), ctx, req, r.local.DeleteGroup, braidv1.NewGroupServiceClient, braidv1.GroupServiceClient.DeleteGroup)
}

// Checkpoint implements braidv1.GroupServiceServer.
func (r *GroupRouter) Checkpoint(ctx context.Context, req *braidv1.CheckpointRequest) (*braidv1.CheckpointResponse, error) {
	return forward(r.route(req.GetScope(), req.GetGroup()), ctx, req, r.local.Checkpoint, braidv1.NewGroupServiceClient, braidv1.GroupServiceClient.Checkpoint)
}

// ListGroups implements braidv1.GroupServiceServer: the stored groups of
// the scope, each described by its coordinator.
func (r *GroupRouter) ListGroups(ctx context.Context, req *braidv1.ListGroupsRequest) (*braidv1.ListGroupsResponse, error) {
	names, err := r.local.groups.Names(ctx, req.GetScope())
	if err != nil {
		return nil, toStatus(err)
	}
	resp := &braidv1.ListGroupsResponse{}
	for _, name := range names {
		d, err := r.DescribeGroup(ctx, &braidv1.DescribeGroupRequest{Scope: req.GetScope(), Group: name})
		if status.Code(err) == codes.NotFound {
			continue // deleted meanwhile
		}
		if err != nil {
			return nil, err
		}
		resp.Groups = append(resp.Groups, d.GetGroup())
	}
	return resp, nil
}

// ReaderSession implements braidv1.GroupServiceServer.
func (r *GroupRouter) ReaderSession(stream braidv1.GroupService_ReaderSessionServer) error {
	ctx := stream.Context()
	first, err := stream.Recv()
	if err != nil {
		return err
	}
	join := first.GetJoin()
	if join == nil {
		return toStatus(invalidArg("the first message of a reader session must be a join"))
	}
	cc, term, err := r.where(ctx, join.GetScope(), join.GetGroup())
	if err != nil {
		return err
	}
	if cc == nil {
		return r.serveSession(stream, first, term)
	}
	return relaySession(ctx, stream, first, braidv1.NewGroupServiceClient(cc))
}

// serveSession serves a session here until it ends or the group moves to
// another coordinator.
func (r *GroupRouter) serveSession(stream braidv1.GroupService_ReaderSessionServer, first *braidv1.ReaderSessionRequest, term uint64) error {
	join := first.GetJoin()
	ctx, cancel := context.WithCancel(stream.Context())
	defer cancel()
	moved := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			changed := r.coords.Changed()
			if _, self, t, ok := r.coords.Coordinator(join.GetScope(), join.GetGroup()); !ok || !self || t != term {
				close(moved)
				cancel()
				return
			}
			select {
			case <-changed:
			case <-ctx.Done():
				return
			}
		}
	}()
	err := r.local.ReaderSession(&joinedStream{GroupService_ReaderSessionServer: stream, first: first, ctx: ctx})
	cancel()
	wg.Wait()
	select {
	case <-moved:
		return status.Errorf(codes.Unavailable, "reader group %s/%s moved to another node: join again", join.GetScope(), join.GetGroup())
	default:
		return err
	}
}

// joinedStream is a session stream whose join was read already, with the
// context that ends it when its group moves.
type joinedStream struct {
	braidv1.GroupService_ReaderSessionServer
	first *braidv1.ReaderSessionRequest
	ctx   context.Context
}

func (s *joinedStream) Context() context.Context { return s.ctx }

func (s *joinedStream) Recv() (*braidv1.ReaderSessionRequest, error) {
	if f := s.first; f != nil {
		s.first = nil
		return f, nil
	}
	return s.GroupService_ReaderSessionServer.Recv()
}

// relaySession carries a session to the coordinator and back, until
// either side ends it; the coordinator's ending (its status) is the
// session's.
func relaySession(ctx context.Context, stream braidv1.GroupService_ReaderSessionServer, first *braidv1.ReaderSessionRequest, c braidv1.GroupServiceClient) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out, err := c.ReaderSession(forwardCtx(ctx))
	if err != nil {
		return unavailable(err)
	}
	if err := out.Send(first); err != nil {
		return relayEnd(out, err)
	}
	// The reader's messages are read by a goroutine of their own, which
	// the end of the call stops (gRPC cancels the stream, and out with
	// it): waiting for it here would wait for the reader's next message.
	go func() {
		for {
			m, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				out.CloseSend()
				return
			}
			if err != nil {
				cancel()
				return
			}
			if out.Send(m) != nil {
				return // Recv below sees why
			}
		}
	}()
	for {
		m, err := out.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			cancel()
			return unavailable(err)
		}
		if err := stream.Send(m); err != nil {
			cancel()
			return err
		}
	}
}

// relayEnd is the coordinator's answer to a send that failed.
func relayEnd(out braidv1.GroupService_ReaderSessionClient, err error) error {
	if _, rerr := out.Recv(); rerr != nil && !errors.Is(rerr, io.EOF) {
		return unavailable(rerr)
	}
	return unavailable(err)
}

// unavailable keeps a coordinator's status, and makes a broken connection
// to it UNAVAILABLE (the reader joins again).
func unavailable(err error) error {
	if _, ok := status.FromError(err); ok {
		return err
	}
	return status.Error(codes.Unavailable, fmt.Sprintf("the reader group's coordinator: %v", err))
}
