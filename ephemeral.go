package braid

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/wire"
)

// EphemeralOption configures EphemeralStream and EphemeralScope.
type EphemeralOption func(*ephemeralOptions)

type ephemeralOptions struct {
	lease, grace time.Duration
	holder       string
	cfg          StreamConfig
}

// WithLease sets the holder's lease (default 30 s, 1 s to 24 h): how long
// the server keeps the holder after its client was last heard from. The
// client renews it every third of the lease by itself; a process that dies
// stops renewing, and its holder goes a lease later.
func WithLease(d time.Duration) EphemeralOption { return func(o *ephemeralOptions) { o.lease = d } }

// WithGrace sets, for a create, how long the stream or scope stays once
// it has no holder (default 0: deleted at once; at most 7 days).
func WithGrace(d time.Duration) EphemeralOption { return func(o *ephemeralOptions) { o.grace = d } }

// WithHolderName names the holder for operators (default HOST-PID).
func WithHolderName(name string) EphemeralOption {
	return func(o *ephemeralOptions) { o.holder = name }
}

// WithEphemeralConfig sets, for a create, the stream's configuration.
func WithEphemeralConfig(cfg StreamConfig) EphemeralOption {
	return func(o *ephemeralOptions) { o.cfg = cfg }
}

// Ephemeral is this process's hold on an ephemeral stream or scope: while
// any holder holds it, it lives; when the last detaches (Close) or every
// holder's lease ran out, the server deletes it, with all it holds, after
// its grace period.
type Ephemeral struct {
	c       *Client
	name    string
	id      string
	lease   time.Duration
	created bool

	mu     sync.Mutex
	lost   error // set when the server no longer knows the holder
	closed bool
}

// Name is the stream's SCOPE/STREAM or the scope's name.
func (e *Ephemeral) Name() string { return e.name }

// HolderID is the holder's id on the server.
func (e *Ephemeral) HolderID() string { return e.id }

// Created reports whether this call created the stream or scope (rather
// than attaching to an existing one).
func (e *Ephemeral) Created() bool { return e.created }

// Err is nil while the hold is good, and says why once it is not: the
// server no longer knows the holder (its lease ran out while the server
// was unreachable, or the stream was deleted).
func (e *Ephemeral) Err() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.lost
}

// Close detaches the holder. It is idempotent.
func (e *Ephemeral) Close() error {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil
	}
	e.closed = true
	e.mu.Unlock()
	e.c.holds.remove(e)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := e.c.eph.Detach(ctx, &braidv1.DetachRequest{HolderId: e.id})
	if err != nil {
		if errors.Is(fromStatus("", err), ErrNotFound) {
			return nil // gone already: nothing held
		}
		return fromStatus("detach from "+e.name, err)
	}
	return nil
}

// EphemeralStream creates the ephemeral stream SCOPE/STREAM (its scope
// too, if missing) or attaches to it if it exists, and keeps the hold's
// lease alive until Close (or Client.Close). A stream that exists and is
// not ephemeral is refused.
func (c *Client) EphemeralStream(ctx context.Context, stream string, opts ...EphemeralOption) (*Ephemeral, error) {
	scope, name, err := splitStream(stream)
	if err != nil {
		return nil, err
	}
	return c.attach(ctx, scope, name, opts)
}

// EphemeralScope creates the ephemeral scope (or attaches to it): when it
// goes, every stream in it goes too, with their reader groups, watermarks
// and export jobs.
func (c *Client) EphemeralScope(ctx context.Context, scope string, opts ...EphemeralOption) (*Ephemeral, error) {
	if err := validateScope(scope); err != nil {
		return nil, err
	}
	return c.attach(ctx, scope, "", opts)
}

func (c *Client) attach(ctx context.Context, scope, stream string, opts []EphemeralOption) (*Ephemeral, error) {
	o := ephemeralOptions{lease: 30 * time.Second}
	for _, f := range opts {
		f(&o)
	}
	if o.holder == "" {
		host, _ := os.Hostname()
		o.holder = fmt.Sprintf("%s-%d", host, os.Getpid())
	}
	name := scope
	if stream != "" {
		name += "/" + stream
	}
	req := &braidv1.AttachRequest{Scope: scope, Stream: stream, Holder: o.holder, LeaseMs: o.lease.Milliseconds(),
		Create: true, GraceMs: o.grace.Milliseconds()}
	if stream != "" {
		cfg, err := o.cfg.proto(name)
		if err != nil {
			return nil, err
		}
		req.Config = cfg
	}
	resp, err := c.eph.Attach(ctx, req)
	if err != nil {
		return nil, fromStatus("attach to ephemeral "+name, err)
	}
	e := &Ephemeral{c: c, name: name, id: resp.GetHolderId(), lease: o.lease, created: resp.GetCreated()}
	c.holds.add(c, e)
	return e, nil
}

// holdings renews the leases of a client's holds from one goroutine.
type holdings struct {
	mu      sync.Mutex
	held    map[string]*Ephemeral
	running bool
	wake    chan struct{}
	done    chan struct{}
}

func (h *holdings) add(c *Client, e *Ephemeral) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.held == nil {
		h.held = map[string]*Ephemeral{}
		h.wake = make(chan struct{}, 1)
	}
	h.held[e.id] = e
	if !h.running {
		h.running = true
		h.done = make(chan struct{})
		go h.renew(c)
	}
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

func (h *holdings) remove(e *Ephemeral) {
	h.mu.Lock()
	delete(h.held, e.id)
	h.mu.Unlock()
}

// period is a third of the shortest lease held.
func (h *holdings) period() time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	p := 10 * time.Second
	for _, e := range h.held {
		p = min(p, e.lease/3)
	}
	return max(p, 100*time.Millisecond)
}

// renew sends keep-alives until the client closes.
func (h *holdings) renew(c *Client) {
	defer close(h.done)
	for {
		t := time.NewTimer(h.period())
		select {
		case <-c.base.Done():
			t.Stop()
			return
		case <-h.wake:
			t.Stop()
			continue
		case <-t.C:
		}
		h.mu.Lock()
		ids := make([]string, 0, len(h.held))
		for id := range h.held {
			ids = append(ids, id)
		}
		h.mu.Unlock()
		if len(ids) == 0 {
			continue
		}
		ctx, cancel := context.WithTimeout(c.base, 10*time.Second)
		resp, err := c.eph.KeepAlive(ctx, &braidv1.KeepAliveRequest{HolderIds: ids})
		cancel()
		if err != nil {
			continue // unreachable: try again next period
		}
		for _, id := range resp.GetUnknown() {
			h.mu.Lock()
			e := h.held[id]
			delete(h.held, id)
			h.mu.Unlock()
			if e != nil {
				e.mu.Lock()
				e.lost = newError(wire.CodeNotFound, fmt.Sprintf("the hold on %s is lost: the server no longer knows holder %s (its lease ran out, or the stream was deleted)", e.name, id))
				e.mu.Unlock()
			}
		}
	}
}

// detachAll detaches every hold (Client.Close).
func (h *holdings) detachAll(c *Client) {
	h.mu.Lock()
	held := make([]*Ephemeral, 0, len(h.held))
	for _, e := range h.held {
		held = append(held, e)
	}
	h.mu.Unlock()
	for _, e := range held {
		_ = e.Close()
	}
}

// wait waits for the renewing goroutine, once the client's base context
// is canceled.
func (h *holdings) wait() {
	h.mu.Lock()
	done, running := h.done, h.running
	h.mu.Unlock()
	if running {
		<-done
	}
}

// DetachOnSignal makes SIGINT and SIGTERM close c (detaching everything
// it holds) and then end the process as the signal would have. Call the
// returned stop to undo it.
func DetachOnSignal(c *Client) (stop func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
	quit := make(chan struct{})
	var once sync.Once
	go func() {
		select {
		case sig := <-ch:
			c.Close()
			signal.Stop(ch)
			if p, err := os.FindProcess(os.Getpid()); err == nil {
				_ = p.Signal(sig)
			}
		case <-quit:
		}
	}()
	return func() {
		once.Do(func() {
			signal.Stop(ch)
			close(quit)
		})
	}
}
