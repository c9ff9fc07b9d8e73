package grpcapi

import (
	"context"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// forwardedKey marks a call that one cluster node forwarded to another:
// that node serves it or refuses it (UNAVAILABLE), never forwarding it
// again, so that two nodes' differing views cannot make a loop.
const forwardedKey = "braid-forwarded"

func forwarded(ctx context.Context) bool {
	md, _ := metadata.FromIncomingContext(ctx)
	return len(md.Get(forwardedKey)) > 0
}

func forwardCtx(ctx context.Context) context.Context {
	return metadata.AppendToOutgoingContext(ctx, forwardedKey, "1")
}

// forwarder keeps connections to other cluster nodes' public gRPC port,
// made with dial (the nodes' transport credentials and peer secret).
type forwarder struct {
	dial []grpc.DialOption

	mu    sync.Mutex
	conns map[string]*grpc.ClientConn
}

func (f *forwarder) conn(addr string) (*grpc.ClientConn, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if cc := f.conns[addr]; cc != nil {
		return cc, nil
	}
	opts := append([]grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}, f.dial...)
	cc, err := grpc.NewClient(addr, opts...)
	if err != nil {
		return nil, err
	}
	if f.conns == nil {
		f.conns = map[string]*grpc.ClientConn{}
	}
	f.conns[addr] = cc
	return cc, nil
}

// Close closes the connections.
func (f *forwarder) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for addr, cc := range f.conns {
		cc.Close()
		delete(f.conns, addr)
	}
	return nil
}

// route says where one call goes: where finds the node to serve it (a nil
// connection: this one), waiting up to wait for one; changed wakes a
// retry.
type route struct {
	where   func(ctx context.Context) (*grpc.ClientConn, error)
	changed func() <-chan struct{}
	wait    time.Duration
}

// forward serves a unary call here or at the node its route gives; a node
// that answers UNAVAILABLE (it no longer serves it) is asked again once
// the view changes, until the route's wait.
func forward[C, Req, Resp any](rt route, ctx context.Context, req Req,
	local func(context.Context, Req) (Resp, error),
	client func(grpc.ClientConnInterface) C,
	remote func(C, context.Context, Req, ...grpc.CallOption) (Resp, error)) (Resp, error) {
	deadline := time.Now().Add(rt.wait)
	for {
		cc, err := rt.where(ctx)
		if err != nil {
			var zero Resp
			return zero, err
		}
		if cc == nil {
			return local(ctx, req)
		}
		resp, err := remote(client(cc), forwardCtx(ctx), req)
		if status.Code(err) != codes.Unavailable || time.Now().After(deadline) || ctx.Err() != nil {
			return resp, err
		}
		t := time.NewTimer(100 * time.Millisecond)
		select {
		case <-rt.changed():
		case <-t.C:
		case <-ctx.Done():
		}
		t.Stop()
	}
}

// waitView waits for changed or a short pause, until deadline: false when
// the deadline passed or ctx ended.
func waitView(ctx context.Context, changed <-chan struct{}, deadline time.Time) bool {
	if time.Now().After(deadline) || ctx.Err() != nil {
		return false
	}
	t := time.NewTimer(100 * time.Millisecond)
	defer t.Stop()
	select {
	case <-changed:
	case <-t.C:
	case <-ctx.Done():
		return false
	}
	return true
}
