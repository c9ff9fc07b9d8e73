package grpcapi

import (
	"context"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/internal/watermark"
)

// KeyOwners says which cluster node owns the container a key hashes to.
type KeyOwners interface {
	// OwnerOf returns the gRPC address of the owner of key's container,
	// whether that is this node, and a term that changes whenever the
	// container changes owner; ok is false while it has none.
	OwnerOf(key string) (addr string, self bool, term uint64, ok bool)
	// Changed is closed at the next change of the cluster's view.
	Changed() <-chan struct{}
}

// TimeRouter keeps a cluster's watermarks in one place per stream: the
// owner of the container of the stream's mark log hears every writer's
// reports and makes the marks; the other nodes forward reports and
// questions to it. A stream's watermark is the least time over all its
// writers, so its reports must meet on one node whichever nodes the
// writers reach. A node that takes a stream over starts from the marks in
// the log and the reports it gets from then on, as a single node does after
// a restart; one that loses it forgets what it held (Run).
type TimeRouter struct {
	local  *watermark.Tracker
	owners KeyOwners
	wait   time.Duration
	fwd    forwarder

	mu     sync.Mutex
	served map[[2]string]uint64 // stream: the term this node served it in
}

var _ TimeTracker = (*TimeRouter)(nil)

// NewTimeRouter returns the watermark side of a cluster node over its own
// tracker; it reaches the other nodes with dial.
func NewTimeRouter(local *watermark.Tracker, owners KeyOwners, wait time.Duration, dial []grpc.DialOption) *TimeRouter {
	return &TimeRouter{local: local, owners: owners, wait: wait, fwd: forwarder{dial: dial}, served: map[[2]string]uint64{}}
}

// Close closes the connections to other nodes.
func (r *TimeRouter) Close() error { return r.fwd.Close() }

// Run forgets, at every change of the cluster's view, the streams this
// node no longer keeps the watermarks of, until ctx ends.
func (r *TimeRouter) Run(ctx context.Context) {
	for {
		changed := r.owners.Changed()
		r.mu.Lock()
		for k, term := range r.served {
			if _, self, now, ok := r.owners.OwnerOf(watermark.LogName(k[0], k[1])); !ok || !self || now != term {
				r.local.Forget(k[0], k[1])
				delete(r.served, k)
			}
		}
		r.mu.Unlock()
		select {
		case <-ctx.Done():
			return
		case <-changed:
		}
	}
}

// where finds the node that keeps the stream's watermarks (nil: this one,
// its state fresh for the term), waiting up to r.wait for one.
func (r *TimeRouter) where(ctx context.Context, scope, name string) (*grpc.ClientConn, error) {
	deadline := time.Now().Add(r.wait)
	for {
		changed := r.owners.Changed()
		addr, self, term, ok := r.owners.OwnerOf(watermark.LogName(scope, name))
		switch {
		case ok && self:
			k := [2]string{scope, name}
			r.mu.Lock()
			if seen, had := r.served[k]; !had || seen != term {
				r.local.Forget(scope, name) // what it held is of another term
				r.served[k] = term
			}
			r.mu.Unlock()
			return nil, nil
		case forwarded(ctx):
			return nil, status.Errorf(codes.Unavailable, "this node does not keep the watermarks of %s/%s (any more)", scope, name)
		case ok:
			cc, err := r.fwd.conn(addr)
			if err != nil {
				return nil, status.Errorf(codes.Unavailable, "the watermarks of %s/%s: node %s: %v", scope, name, addr, err)
			}
			return cc, nil
		}
		if !waitView(ctx, changed, deadline) {
			if ctx.Err() != nil {
				return nil, status.FromContextError(ctx.Err()).Err()
			}
			return nil, status.Errorf(codes.Unavailable, "no node keeps the watermarks of %s/%s (waited %v)", scope, name, r.wait)
		}
	}
}

// call runs local here or remote at the node that keeps the stream's
// watermarks; a node that answers UNAVAILABLE (it no longer keeps them)
// is asked again once the view changes, until r.wait.
func (r *TimeRouter) call(ctx context.Context, scope, name string, local func() error, remote func(braidv1.DataServiceClient, context.Context) error) error {
	deadline := time.Now().Add(r.wait)
	for {
		changed := r.owners.Changed()
		cc, err := r.where(ctx, scope, name)
		if err != nil {
			return err
		}
		if cc == nil {
			return local()
		}
		err = remote(braidv1.NewDataServiceClient(cc), forwardCtx(ctx))
		if status.Code(err) != codes.Unavailable || !waitView(ctx, changed, deadline) {
			return err
		}
	}
}

// NoteTime implements TimeTracker.
func (r *TimeRouter) NoteTime(ctx context.Context, scope, name, writer string, at int64, pos map[uint64]int64, closed bool) error {
	return r.call(ctx, scope, name,
		func() error { return r.local.NoteTime(ctx, scope, name, writer, at, pos, closed) },
		func(c braidv1.DataServiceClient, ctx context.Context) error {
			_, err := c.NoteTime(ctx, &braidv1.NoteTimeRequest{Scope: scope, Stream: name, WriterId: writer,
				TimeUnixNanos: at, Position: segmentOffsets(pos), Closed: closed})
			return err
		})
}

// Watermark implements TimeTracker.
func (r *TimeRouter) Watermark(ctx context.Context, scope, name string) (watermark.Status, error) {
	var st watermark.Status
	err := r.call(ctx, scope, name,
		func() (err error) { st, err = r.local.Watermark(ctx, scope, name); return err },
		func(c braidv1.DataServiceClient, ctx context.Context) error {
			resp, err := c.GetWatermark(ctx, &braidv1.GetWatermarkRequest{Scope: scope, Stream: name})
			if err == nil {
				st = watermarkStatus(resp)
			}
			return err
		})
	return st, err
}

// Window implements TimeTracker.
func (r *TimeRouter) Window(ctx context.Context, scope, name string, pos map[uint64]int64) (watermark.Window, error) {
	var w watermark.Window
	err := r.call(ctx, scope, name,
		func() (err error) { w, err = r.local.Window(ctx, scope, name, pos); return err },
		func(c braidv1.DataServiceClient, ctx context.Context) error {
			resp, err := c.GetTimeWindow(ctx, &braidv1.GetTimeWindowRequest{Scope: scope, Stream: name, Position: segmentOffsets(pos)})
			if err == nil {
				w = watermark.Window{HasLower: resp.GetHasLower(), Lower: resp.GetLowerUnixNanos(),
					HasUpper: resp.GetHasUpper(), Upper: resp.GetUpperUnixNanos()}
			}
			return err
		})
	return w, err
}

// watermarkStatus is WatermarkProto's inverse.
func watermarkStatus(resp *braidv1.GetWatermarkResponse) watermark.Status {
	st := watermark.Status{Timeout: time.Duration(resp.GetTimestampAggregationTimeoutMs()) * time.Millisecond}
	if m := resp.GetWatermark(); m != nil {
		st.Mark = &watermark.Mark{Lower: m.GetLowerUnixNanos(), Upper: m.GetUpperUnixNanos(),
			Cut: offsetMap(m.GetCut()), Made: time.UnixMilli(m.GetMadeUnixMs())}
	}
	for _, w := range resp.GetWriters() {
		st.Writers = append(st.Writers, watermark.WriterStatus{Writer: w.GetWriterId(), Time: w.GetTimeUnixNanos(),
			Reported: time.UnixMilli(w.GetReportedUnixMs()), Position: offsetMap(w.GetPosition()), Active: w.GetActive()})
	}
	return st
}
