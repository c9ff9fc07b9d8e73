// Package peer forwards segment operations between the nodes of a
// cluster. A node's Router stands where its segment store stood: an
// operation on a segment of a container the node owns goes to its own
// store; any other goes to the owner's peer service (Server), over one
// gRPC connection per peer, appends in order on one stream.
package peer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	clusterv1 "github.com/braidstream/braid/api/braid/cluster/v1"
	"github.com/braidstream/braid/internal/storage/segstore"
)

// Owners says who owns a container: its owner's peer address, or self
// when this node does.
type Owners interface {
	// Owner returns the gRPC address of container k's owner and whether
	// that is this node; ok is false when k has no live owner.
	Owner(k int) (addr string, self bool, ok bool)
}

// maxMessage bounds one peer message: an append of the largest size the
// store takes, with room to spare.
const maxMessage = 64 << 20

// Router routes segment operations to their container's owner.
type Router struct {
	local      Local
	owners     Owners
	containers int
	wait       time.Duration
	dial       []grpc.DialOption

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup // receivers of append streams

	mu    sync.Mutex
	peers map[string]*peerConn
}

var _ Local = (*Router)(nil)

// NewRouter returns a router over the node's own store. An operation that
// meets no owner (a container between owners, an owner that died, one
// still opening) is tried again for up to wait, which should outlast a
// failover; an append only until it is sent (see Append). Connections to
// the other nodes are made with dial (their transport credentials and the
// cluster's peer secret: see peercred).
func NewRouter(local Local, owners Owners, containers int, wait time.Duration, dial []grpc.DialOption) *Router {
	ctx, cancel := context.WithCancel(context.Background())
	return &Router{local: local, owners: owners, containers: containers, wait: wait, dial: dial, ctx: ctx, cancel: cancel, peers: map[string]*peerConn{}}
}

// retry runs op until it succeeds, fails with another error than
// ErrNotOwner, ctx ends, or r.wait passed. Only operations that may run
// twice come here: reads, and segment changes whose second run answers as
// the first did or with an error the controller takes for done.
func (r *Router) retry(ctx context.Context, op func() error) error {
	deadline := time.Now().Add(r.wait)
	pause := 20 * time.Millisecond
	for {
		err := op()
		if err == nil || !errors.Is(err, segstore.ErrNotOwner) || !time.Now().Add(pause).Before(deadline) {
			return err
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-r.ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		pause = min(2*pause, 500*time.Millisecond)
	}
}

// Close closes the peer connections and waits for their goroutines;
// forwarded appends still waiting fail.
func (r *Router) Close() error {
	r.cancel()
	r.mu.Lock()
	peers := r.peers
	r.peers = map[string]*peerConn{}
	r.mu.Unlock()
	var errs []error
	for _, p := range peers {
		errs = append(errs, p.cc.Close())
	}
	r.wg.Wait()
	return errors.Join(errs...)
}

// route returns the peer that owns name's container, or nil for this node.
func (r *Router) route(name string) (*peerConn, error) {
	k := segstore.ContainerOf(name, r.containers)
	addr, self, ok := r.owners.Owner(k)
	if !ok {
		return nil, &segstore.NotOwnerError{Segment: name, Container: k}
	}
	if self {
		return nil, nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if p := r.peers[addr]; p != nil {
		return p, nil
	}
	opts := append([]grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}, r.dial...)
	cc, err := grpc.NewClient(addr, append(opts,
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(maxMessage), grpc.MaxCallSendMsgSize(maxMessage)))...)
	if err != nil {
		return nil, fmt.Errorf("%w: peer %s: %w", segstore.ErrNotOwner, addr, err)
	}
	p := &peerConn{r: r, addr: addr, cc: cc, c: clusterv1.NewPeerServiceClient(cc)}
	r.peers[addr] = p
	return p, nil
}

// forwardErr is a failed call to a peer: the owner may have died or moved.
// It is an ErrNotOwner (clients retry it); an append it answers may or may
// not have been stored, which the writer's event numbers resolve on retry.
func forwardErr(p *peerConn, name string, err error) error {
	return fmt.Errorf("%w: forwarding %s to node %s: %w", segstore.ErrNotOwner, name, p.addr, err)
}

// Create implements Local.
func (r *Router) Create(ctx context.Context, name string) error {
	_, err := r.segment(ctx, name, &clusterv1.SegmentRequest{Op: clusterv1.SegmentOp_SEGMENT_OP_CREATE},
		func() (*clusterv1.SegmentResponse, error) { return nil, r.local.Create(ctx, name) })
	return err
}

// Seal implements Local.
func (r *Router) Seal(ctx context.Context, name string) (int64, error) {
	var n int64
	resp, err := r.segment(ctx, name, &clusterv1.SegmentRequest{Op: clusterv1.SegmentOp_SEGMENT_OP_SEAL},
		func() (*clusterv1.SegmentResponse, error) {
			var err error
			n, err = r.local.Seal(ctx, name)
			return nil, err
		})
	if resp != nil {
		n = resp.Length
	}
	return n, err
}

// Delete implements Local.
func (r *Router) Delete(ctx context.Context, name string) error {
	_, err := r.segment(ctx, name, &clusterv1.SegmentRequest{Op: clusterv1.SegmentOp_SEGMENT_OP_DELETE},
		func() (*clusterv1.SegmentResponse, error) { return nil, r.local.Delete(ctx, name) })
	return err
}

// Info implements Local.
func (r *Router) Info(ctx context.Context, name string) (segstore.Info, error) {
	var info segstore.Info
	resp, err := r.segment(ctx, name, &clusterv1.SegmentRequest{Op: clusterv1.SegmentOp_SEGMENT_OP_INFO},
		func() (*clusterv1.SegmentResponse, error) {
			var err error
			info, err = r.local.Info(ctx, name)
			return nil, err
		})
	if resp != nil {
		info = segstore.Info{Name: name, Length: resp.Length, Start: resp.Start, Sealed: resp.Sealed}
	}
	return info, err
}

// Truncate implements Local.
func (r *Router) Truncate(ctx context.Context, name string, offset int64) error {
	_, err := r.segment(ctx, name, &clusterv1.SegmentRequest{Op: clusterv1.SegmentOp_SEGMENT_OP_TRUNCATE, Offset: offset},
		func() (*clusterv1.SegmentResponse, error) { return nil, r.local.Truncate(ctx, name, offset) })
	return err
}

// CheckTruncate implements Local.
func (r *Router) CheckTruncate(ctx context.Context, name string, offset int64) error {
	_, err := r.segment(ctx, name, &clusterv1.SegmentRequest{Op: clusterv1.SegmentOp_SEGMENT_OP_CHECK_TRUNCATE, Offset: offset},
		func() (*clusterv1.SegmentResponse, error) { return nil, r.local.CheckTruncate(ctx, name, offset) })
	return err
}

// WriterLast implements Local.
func (r *Router) WriterLast(ctx context.Context, name, writer string) (int64, error) {
	var n int64
	resp, err := r.segment(ctx, name, &clusterv1.SegmentRequest{Op: clusterv1.SegmentOp_SEGMENT_OP_WRITER_LAST, Writer: writer},
		func() (*clusterv1.SegmentResponse, error) {
			var err error
			n, err = r.local.WriterLast(ctx, name, writer)
			return nil, err
		})
	if resp != nil {
		n = resp.LastEvent
	}
	return n, err
}

// OffsetAtTime implements Local.
func (r *Router) OffsetAtTime(ctx context.Context, name string, t int64) (int64, error) {
	var n int64
	resp, err := r.segment(ctx, name, &clusterv1.SegmentRequest{Op: clusterv1.SegmentOp_SEGMENT_OP_OFFSET_AT_TIME, Offset: t},
		func() (*clusterv1.SegmentResponse, error) {
			var err error
			n, err = r.local.OffsetAtTime(ctx, name, t)
			return nil, err
		})
	if resp != nil {
		n = resp.Value
	}
	return n, err
}

// TimeAtOffset implements Local.
func (r *Router) TimeAtOffset(ctx context.Context, name string, off int64) (int64, bool, error) {
	var t int64
	var found bool
	resp, err := r.segment(ctx, name, &clusterv1.SegmentRequest{Op: clusterv1.SegmentOp_SEGMENT_OP_TIME_AT_OFFSET, Offset: off},
		func() (*clusterv1.SegmentResponse, error) {
			var err error
			t, found, err = r.local.TimeAtOffset(ctx, name, off)
			return nil, err
		})
	if resp != nil {
		t, found = resp.Value, resp.Found
	}
	return t, found, err
}

// CommitTimes implements Local.
func (r *Router) CommitTimes(ctx context.Context, name string, from, to int64) ([]segstore.CommitTime, error) {
	var ts []segstore.CommitTime
	resp, err := r.segment(ctx, name, &clusterv1.SegmentRequest{Op: clusterv1.SegmentOp_SEGMENT_OP_COMMIT_TIMES, Offset: from, End: to},
		func() (*clusterv1.SegmentResponse, error) {
			var err error
			ts, err = r.local.CommitTimes(ctx, name, from, to)
			return nil, err
		})
	if resp != nil {
		ts = make([]segstore.CommitTime, len(resp.CommitTimes))
		for i, ct := range resp.CommitTimes {
			ts[i] = segstore.CommitTime{Offset: ct.Offset, Time: ct.TimeUnixNanos}
		}
	}
	return ts, err
}

// segment runs a segment operation here (local) or at the owner; the
// response is nil when it ran here.
func (r *Router) segment(ctx context.Context, name string, req *clusterv1.SegmentRequest, local func() (*clusterv1.SegmentResponse, error)) (*clusterv1.SegmentResponse, error) {
	req.Segment = name
	var resp *clusterv1.SegmentResponse
	err := r.retry(ctx, func() error {
		resp = nil
		p, err := r.route(name)
		if err != nil {
			return err
		}
		if p == nil {
			_, err := local()
			return confirm(ctx, r.local, name, err)
		}
		out, err := p.c.Segment(ctx, req)
		if err != nil {
			return forwardErr(p, name, err)
		}
		resp = out
		return decode(out.Error)
	})
	return resp, err
}

// Read implements Local.
func (r *Router) Read(ctx context.Context, name string, offset int64, maxBytes int, wait bool) (segstore.ReadResult, error) {
	var out segstore.ReadResult
	err := r.retry(ctx, func() error {
		p, err := r.route(name)
		if err != nil {
			return err
		}
		if p == nil {
			out, err = r.local.Read(ctx, name, offset, maxBytes, wait)
			return confirm(ctx, r.local, name, err)
		}
		resp, err := p.c.Read(ctx, &clusterv1.ReadRequest{Segment: name, Offset: offset, MaxBytes: int32(min(maxBytes, maxMessage/2)), Wait: wait})
		if err != nil {
			return forwardErr(p, name, err)
		}
		out = segstore.ReadResult{Offset: resp.Offset, Data: resp.Data, Length: resp.Length, EndOfSegment: resp.EndOfSegment}
		return decode(resp.Error)
	})
	return out, err
}

// ReadEvent implements Local.
func (r *Router) ReadEvent(ctx context.Context, name string, offset int64, length int) ([]byte, error) {
	var out []byte
	err := r.retry(ctx, func() error {
		p, err := r.route(name)
		if err != nil {
			return err
		}
		if p == nil {
			out, err = r.local.ReadEvent(ctx, name, offset, length)
			return confirm(ctx, r.local, name, err)
		}
		resp, err := p.c.ReadEvent(ctx, &clusterv1.ReadEventRequest{Segment: name, Offset: offset, Length: int32(min(length, maxMessage))})
		if err != nil {
			return forwardErr(p, name, err)
		}
		out = resp.Data
		return decode(resp.Error)
	})
	return out, err
}

// Append implements Local: done is called once, from another goroutine,
// and must not block. An append waits (up to the router's wait) for its
// container to have a live owner, but once sent it is never sent again:
// if the answer is lost it fails with ErrNotOwner, and the writer's event
// numbers resolve whether it was stored when the writer retries.
func (r *Router) Append(ctx context.Context, name string, req segstore.AppendRequest, done func(segstore.Result, error)) {
	var p *peerConn
	err := r.retry(ctx, func() error {
		var err error
		p, err = r.route(name)
		return err
	})
	if err != nil {
		done(segstore.Result{}, err)
		return
	}
	if p == nil {
		r.local.Append(ctx, name, req, r.confirmed(ctx, name, done))
		return
	}
	p.append(name, req, done)
}

// confirmed wraps an append's done so that a definitive error is
// confirmed (see confirm) first, on a goroutine of the router's: done must
// not block, and the check is a GET.
func (r *Router) confirmed(ctx context.Context, name string, done func(segstore.Result, error)) func(segstore.Result, error) {
	return func(res segstore.Result, err error) {
		if err == nil || errors.Is(err, segstore.ErrNotOwner) {
			done(res, err)
			return
		}
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			done(res, confirm(ctx, r.local, name, err))
		}()
	}
}

// AppendWait appends and waits for the outcome.
func (r *Router) AppendWait(ctx context.Context, name string, req segstore.AppendRequest) (segstore.Result, error) {
	type outcome struct {
		r   segstore.Result
		err error
	}
	ch := make(chan outcome, 1)
	r.Append(ctx, name, req, func(res segstore.Result, err error) { ch <- outcome{res, err} })
	select {
	case o := <-ch:
		return o.r, o.err
	case <-ctx.Done():
		return segstore.Result{}, ctx.Err()
	}
}

// peerConn is the connection to one peer, with its append stream.
type peerConn struct {
	r    *Router
	addr string
	cc   *grpc.ClientConn
	c    clusterv1.PeerServiceClient

	mu      sync.Mutex
	stream  clusterv1.PeerService_AppendClient // nil until the next append
	next    uint64
	pending map[uint64]pendingAppend
}

type pendingAppend struct {
	name string
	done func(segstore.Result, error)
}

// append sends one append on the peer's stream, opening one if there is
// none. Sends are serialized, so appends reach the owner in call order.
func (p *peerConn) append(name string, req segstore.AppendRequest, done func(segstore.Result, error)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stream == nil {
		s, err := p.c.Append(p.r.ctx)
		if err != nil {
			done(segstore.Result{}, forwardErr(p, name, err))
			return
		}
		p.stream, p.pending = s, map[uint64]pendingAppend{}
		p.r.wg.Add(1)
		go p.receive(s, p.pending)
	}
	p.next++
	id := p.next
	p.pending[id] = pendingAppend{name: name, done: done}
	err := p.stream.Send(&clusterv1.AppendRequest{Id: id, Segment: name, Writer: req.Writer, FirstEvent: req.FirstEvent,
		LastEvent: req.LastEvent, Events: int32(req.Events), Data: req.Data})
	if err != nil {
		// The receiver fails what is pending (this one too) when it sees
		// the stream end; the next append opens a new stream.
		p.stream.CloseSend()
		p.stream = nil
	}
}

// receive answers the appends of one stream until it ends, then fails
// those left.
func (p *peerConn) receive(s clusterv1.PeerService_AppendClient, pending map[uint64]pendingAppend) {
	defer p.r.wg.Done()
	var err error
	for {
		var resp *clusterv1.AppendResponse
		resp, err = s.Recv()
		if err != nil {
			break
		}
		p.mu.Lock()
		pa, ok := pending[resp.Id]
		delete(pending, resp.Id)
		p.mu.Unlock()
		if ok {
			pa.done(segstore.Result{Offset: resp.Offset, Length: resp.Length, Duplicate: resp.Duplicate}, decode(resp.Error))
		}
	}
	if errors.Is(err, io.EOF) {
		err = errors.New("the owner ended the stream")
	}
	p.mu.Lock()
	if p.stream == s {
		p.stream = nil
	}
	left := make([]pendingAppend, 0, len(pending))
	for id, pa := range pending {
		left = append(left, pa)
		delete(pending, id)
	}
	p.mu.Unlock()
	for _, pa := range left {
		pa.done(segstore.Result{}, forwardErr(p, pa.name, err))
	}
}
