package grpcapi

import (
	"context"
	"fmt"
	"sync"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/braidstream/braid/wire"
)

// Slow consumers.
//
// A Send on a gRPC stream returns once the transport has queued the message;
// it blocks while the stream's previous message still waits for the
// client's flow-control window, that is while the client does not read. A
// client that never reads would keep a handler, its buffers and the queued
// message forever. So every streaming handler that sends (ReadSegment, the
// acks of Append) sends from a goroutine of its own and gives each Send the
// write deadline: a Send still blocked past it ends the call with
// RESOURCE_EXHAUSTED ("slow consumer", as NATS's write_deadline). Returning
// from the handler makes grpc finish the stream, which wakes the blocked
// Send; the sending goroutine then exits, and DataService.Wait joins it.
//
// Only the one call is ended, never its connection: the HTTP API reaches
// gRPC through one connection shared by all its readers. The message still
// queued when a call is cut stays in the transport until the client reads
// or the connection closes; responses are kept small (maxReadBytes) so that
// it is small, and Options.SlowConsumer lets the server count it against
// the connection.

// DefaultWriteDeadline is how long a Send may stay blocked on a client that
// does not read before the call is ended (--grpc-write-deadline).
const DefaultWriteDeadline = 10 * time.Second

// LimitWriteDeadline is the limits.Hits name of the write deadline.
const LimitWriteDeadline = "grpc-write-deadline"

// cutoff fires when one Send stays blocked longer than its deadline.
//
// begin and end bracket each Send, from the one goroutine that sends;
// expired is closed (and onExpire called, once) if a Send has not ended
// within the deadline. A zero deadline never fires.
type cutoff struct {
	deadline time.Duration
	timer    *time.Timer
	expired  chan struct{}
	once     sync.Once
	onExpire func()
}

func newCutoff(deadline time.Duration, onExpire func()) *cutoff {
	c := &cutoff{deadline: deadline, expired: make(chan struct{}), onExpire: onExpire}
	if deadline > 0 {
		c.timer = time.AfterFunc(deadline, c.fire)
		c.timer.Stop()
	}
	return c
}

func (c *cutoff) fire() {
	c.once.Do(func() {
		close(c.expired)
		if c.onExpire != nil {
			c.onExpire()
		}
	})
}

func (c *cutoff) begin() {
	if c.timer != nil {
		c.timer.Reset(c.deadline)
	}
}

func (c *cutoff) end() {
	if c.timer != nil {
		c.timer.Stop()
	}
}

// stop releases the timer; after it the cutoff never fires.
func (c *cutoff) stop() { c.end() }

// slowConsumer is the status of a call ended by the write deadline. Its
// braid code is UNAVAILABLE, so that braid clients read or append again from
// where they were (a reader has received everything before this status, a
// writer resends what was not acknowledged); the gRPC code says why.
func slowConsumer(what string, deadline time.Duration) error {
	st := status.New(codes.ResourceExhausted, fmt.Sprintf(
		"slow consumer: %s not received within %v (--grpc-write-deadline); the call is ended, start it again from where it was", what, deadline))
	if d, err := st.WithDetails(&errdetails.ErrorInfo{Reason: string(wire.CodeUnavailable), Domain: wire.ErrorDomain,
		Metadata: map[string]string{"limit": LimitWriteDeadline}}); err == nil {
		st = d
	}
	return st.Err()
}

// SlowConsumerFunc is told of a call ended as a slow consumer: its context
// (which names the peer) and how many bytes it may have left queued in the
// transport.
type SlowConsumerFunc func(ctx context.Context, queuedBytes int)
