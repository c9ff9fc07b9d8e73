// Package braid is the Go client of braid, a durable, ordered stream store.
//
// A stream ("scope/stream") is a braid of parallel segments. Writers route
// each event by its routing key into one segment, so the events of one key
// keep their order; readers read every segment and interleave them. Each
// stored event has an EventPointer that reads it back alone (Client.Fetch),
// and every position between events is a StreamCut that a reader can start
// or stop at.
//
//	c, err := braid.Dial(ctx, "127.0.0.1:7470")
//	w, err := c.NewWriter(ctx, "shop/orders")
//	ack := w.Write(ctx, "customer-42", []byte(`{"total": 12}`))
//	ptr, err := ack.Wait(ctx)          // durable on the server
//	r, err := c.NewReader(ctx, "shop/orders", braid.UntilTail())
//	ev, err := r.Next(ctx)             // io.EOF at the end of a bounded read
//
// Every error that comes from the server is an *Error with a stable code;
// match it with errors.Is against ErrNotFound, ErrEventTooLarge and the
// other sentinels.
package braid

import (
	"context"
	"net"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/backoff"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/resolver"
	"google.golang.org/grpc/resolver/manual"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/wire"
)

// maxMessageBytes bounds one gRPC message the client sends or receives. It
// holds a batch of MaxBatchBytes plus one maximum-size event, and the
// server's largest read response.
const maxMessageBytes = 64 << 20

// Client is a connection to a braid server. It is safe for concurrent use;
// one Client (one connection) is meant to be shared by all writers and
// readers of a process. If the connection breaks, the client reconnects by
// itself; writers resend what was not acknowledged.
type Client struct {
	conn   *grpc.ClientConn
	admin  braidv1.StreamServiceClient
	data   braidv1.DataServiceClient
	groups braidv1.GroupServiceClient
	export braidv1.ExportServiceClient
	query  braidv1.QueryServiceClient
	eph    braidv1.EphemeralServiceClient
	addr   string
	base   context.Context // parent of writers' and readers' goroutines; canceled by Close
	cancel context.CancelFunc
	// reconnect is how long readers and writers retry through an outage
	// (WithReconnectTimeout).
	reconnect time.Duration

	// holds are the ephemeral streams and scopes this client holds,
	// with the goroutine that renews their leases.
	holds holdings

	closeOnce sync.Once
	closeErr  error
}

// DialOption configures Dial.
type DialOption func(*dialOptions)

type dialOptions struct {
	grpc      []grpc.DialOption
	reconnect time.Duration
	creds     credentials.TransportCredentials // WithTLS; nil: plain text
	token     credentials.PerRPCCredentials    // WithToken; nil: none
}

// defaultReconnectTimeout is how long readers and writers keep
// reconnecting through an outage by default.
const defaultReconnectTimeout = 2 * time.Minute

// WithReconnectTimeout sets how long the client's readers, group readers
// and writers keep reconnecting while the server is unreachable or
// restarting (UNAVAILABLE) before they report the error; the clock starts
// at the first failure of a run and restarts after a success. The default
// is 2 minutes; d <= 0 keeps it. A writer's WithRetryTimeout overrides it
// for that writer.
func WithReconnectTimeout(d time.Duration) DialOption {
	return func(o *dialOptions) {
		if d > 0 {
			o.reconnect = d
		}
	}
}

// WithGRPCDialOptions adds gRPC dial options, applied after braid's defaults
// (plain-text transport or WithTLS's, WithToken's credentials, 64 MiB
// message limits, reconnect backoff of at most one second), so they can
// override them.
func WithGRPCDialOptions(o ...grpc.DialOption) DialOption {
	return func(d *dialOptions) { d.grpc = append(d.grpc, o...) }
}

// Dial connects to the braid server at addr ("host:port") and checks, within
// ctx, that it answers. If ctx has a deadline, Dial waits until then for the
// server to come up; if it has none, Dial fails at the first failed
// connection attempt rather than wait forever. The error is an *Error,
// typically with code UNAVAILABLE.
//
// addr may list several nodes of a cluster, comma-separated
// ("a:7070,b:7070,c:7070"): the client uses one that answers and moves to
// another when it fails; any node serves every stream.
//
// Close the client when done with it.
func Dial(ctx context.Context, addr string, opts ...DialOption) (*Client, error) {
	do := dialOptions{reconnect: defaultReconnectTimeout}
	for _, o := range opts {
		o(&do)
	}
	nodes := strings.Split(addr, ",")
	for i, a := range nodes {
		nodes[i] = strings.TrimSpace(a)
		if nodes[i] == "" {
			return nil, newError(wire.CodeInvalidArgument, "dial "+addr+": an empty address in the list")
		}
		if err := do.checkToken(nodes[i]); err != nil {
			return nil, err
		}
	}
	gopts := []grpc.DialOption{
		do.transportCredentials(),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(maxMessageBytes), grpc.MaxCallSendMsgSize(maxMessageBytes)),
		// gRPC's default reconnect backoff grows to two minutes; a writer
		// riding out a server restart wants the connection back soon
		// after the server is.
		grpc.WithConnectParams(grpc.ConnectParams{
			Backoff:           backoff.Config{BaseDelay: 50 * time.Millisecond, Multiplier: 1.6, Jitter: 0.2, MaxDelay: time.Second},
			MinConnectTimeout: 5 * time.Second,
		}),
		grpc.WithInitialWindowSize(4 << 20),
		grpc.WithInitialConnWindowSize(16 << 20),
	}
	gopts = append(gopts, do.perRPCCredentials()...)
	target := nodes[0]
	if len(nodes) > 1 {
		// The addresses go to gRPC's pick-first balancer: it connects to
		// the first that answers, and when that connection fails, to the
		// next one that does.
		r := manual.NewBuilderWithScheme("braid-nodes")
		var state resolver.State
		for _, a := range nodes {
			host, _, _ := net.SplitHostPort(a)
			state.Addresses = append(state.Addresses, resolver.Address{Addr: a, ServerName: host})
		}
		r.InitialState(state)
		gopts = append(gopts, grpc.WithResolvers(r))
		target = r.Scheme() + ":///cluster"
	}
	gopts = append(gopts, do.grpc...)
	conn, err := grpc.NewClient(target, gopts...)
	if err != nil {
		return nil, newError(wire.CodeInvalidArgument, "dial "+addr+": "+err.Error())
	}
	c := &Client{
		conn:   conn,
		admin:  braidv1.NewStreamServiceClient(conn),
		data:   braidv1.NewDataServiceClient(conn),
		groups: braidv1.NewGroupServiceClient(conn),
		export: braidv1.NewExportServiceClient(conn),
		query:  braidv1.NewQueryServiceClient(conn),
		eph:    braidv1.NewEphemeralServiceClient(conn),
		addr:   addr,

		reconnect: do.reconnect,
	}
	c.base, c.cancel = context.WithCancel(context.Background())
	_, hasDeadline := ctx.Deadline()
	if _, err := c.admin.ListScopes(ctx, &braidv1.ListScopesRequest{}, grpc.WaitForReady(hasDeadline)); err != nil {
		c.Close()
		return nil, do.dialError(addr, err)
	}
	return c, nil
}

// Close closes the connection. Writers and readers still open on it stop:
// their pending and later operations fail. Close them first (Writer.Close
// flushes). Close is idempotent.
func (c *Client) Close() error {
	c.closeOnce.Do(func() {
		c.holds.detachAll(c) // before the connection goes
		c.cancel()
		c.holds.wait()
		if err := c.conn.Close(); err != nil {
			c.closeErr = newError(wire.CodeInternal, "close connection to "+c.addr+": "+err.Error())
		}
	})
	return c.closeErr
}

// splitStream validates a qualified stream name and splits it, with an
// INVALID_ARGUMENT *Error naming what was wrong.
func splitStream(stream string) (scope, name string, err error) {
	scope, name, err = wire.SplitStream(stream)
	if err != nil {
		return "", "", invalidArg(err)
	}
	return scope, name, nil
}
