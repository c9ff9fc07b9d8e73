package server

import (
	"context"
	"encoding/binary"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc/stats"

	"github.com/braidstream/braid/internal/limits"
)

// Connection limits.
//
// Each listener admits at most a number of connections at once. One more is
// refused at once rather than left in the kernel's backlog (as
// netutil.LimitListener would, which stops accepting): it is told why in
// its own protocol (an HTTP 503, an HTTP/2 GOAWAY that grpc clients quote in
// their error), then closed, so its descriptor is free within a second and
// the listener goes on accepting the connections that fit. The limits
// together stay below the process's descriptor limit by a reserve, so that
// the store's own files never fail for want of descriptors.

// fdReserve is how many descriptors are kept for the store (WAL,
// checkpoints, tier-2 files, the metadata store), outside every connection
// limit.
const fdReserve = 1024

// refuseTimeout bounds the time spent telling a refused client why.
const refuseTimeout = time.Second

// maxRefusing bounds the refused connections being told why at once;
// beyond it a refused connection is just closed.
const maxRefusing = 64

// connLimiter counts one listener's connections and refuses those beyond
// its limit.
type connLimiter struct {
	listener string // "grpc" or "http": the gauge's label
	limit    string // the limit's name (its flag) for hits and messages
	max      int
	hits     *limits.Hits
	gauge    prometheus.Gauge
	log      *slog.Logger
	refusal  []byte // written to a refused connection

	mu    sync.Mutex
	conns map[string]*trackedConn // by remote address
	stuck int                     // the sum of the conns' stuck

	refusing chan struct{} // semaphore of refusers
	wg       sync.WaitGroup
}

func newConnLimiter(listener, limit string, max int, hits *limits.Hits, gauges *prometheus.GaugeVec, log *slog.Logger, refusal []byte) *connLimiter {
	return &connLimiter{listener: listener, limit: limit, max: max, hits: hits, gauge: gauges.WithLabelValues(listener),
		log: log, refusal: refusal, conns: map[string]*trackedConn{}, refusing: make(chan struct{}, maxRefusing)}
}

// trackedConn is an admitted connection; it leaves the count when closed.
type trackedConn struct {
	net.Conn
	lim  *connLimiter
	once sync.Once

	// Guarded by lim.mu.
	active    int       // RPCs in progress (gRPC only)
	idleSince time.Time // when active last became 0
	stuck     int       // bytes calls cut as slow consumers may have left queued
}

func (c *trackedConn) Close() error {
	c.once.Do(c.lim.remove(c))
	return c.Conn.Close()
}

func (l *connLimiter) remove(c *trackedConn) func() {
	return func() {
		l.mu.Lock()
		if l.conns[c.RemoteAddr().String()] == c {
			delete(l.conns, c.RemoteAddr().String())
		}
		l.stuck -= c.stuck
		c.stuck = 0
		l.mu.Unlock()
		l.gauge.Dec()
	}
}

// admit returns c tracked, or nil after refusing it.
func (l *connLimiter) admit(c net.Conn) net.Conn {
	l.mu.Lock()
	if len(l.conns) >= l.max {
		l.mu.Unlock()
		l.hits.Hit(l.limit)
		l.refuse(c)
		return nil
	}
	tc := &trackedConn{Conn: c, lim: l, idleSince: time.Now()}
	l.conns[c.RemoteAddr().String()] = tc
	l.mu.Unlock()
	l.gauge.Inc()
	return tc
}

// refuse tells c why and closes it, in the background (owned by l.wg).
func (l *connLimiter) refuse(c net.Conn) {
	select {
	case l.refusing <- struct{}{}:
	default:
		c.Close()
		return
	}
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		defer func() { <-l.refusing }()
		c.SetDeadline(time.Now().Add(refuseTimeout))
		if _, err := c.Write(l.refusal); err == nil {
			// Closing with unread input would reset the connection and
			// may drop the refusal; let the client read it first.
			if tc, ok := c.(*net.TCPConn); ok {
				tc.CloseWrite()
			}
			buf := make([]byte, 4096)
			for {
				if _, err := c.Read(buf); err != nil {
					break
				}
			}
		}
		c.Close()
	}()
}

// lookup returns the tracked connection with that remote address.
func (l *connLimiter) lookup(addr net.Addr) *trackedConn {
	if addr == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.conns[addr.String()]
}

// limitedListener admits connections through a connLimiter.
type limitedListener struct {
	net.Listener
	lim *connLimiter
}

func (ln *limitedListener) Accept() (net.Conn, error) {
	for {
		c, err := ln.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if tc := ln.lim.admit(c); tc != nil {
			return tc, nil
		}
	}
}

// Close closes the listener and waits for refusals in progress.
func (ln *limitedListener) Close() error {
	err := ln.Listener.Close()
	ln.lim.wg.Wait()
	return err
}

// httpRefusal is the answer of a refused HTTP connection.
func httpRefusal(limit string, max int) []byte {
	body := fmt.Sprintf("braid: too many connections: the server holds %d (--%s); try again later\n", max, limit)
	return fmt.Appendf(nil, "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\nRetry-After: 1\r\nConnection: close\r\n\r\n%s", len(body), body)
}

// grpcRefusal is the answer of a refused gRPC connection: an HTTP/2 server
// preface (an empty SETTINGS frame) and a GOAWAY with ENHANCE_YOUR_CALM and
// the reason as debug data, which grpc clients quote in their errors.
func grpcRefusal(limit string, max int) []byte {
	debug := fmt.Sprintf("too many connections: the server holds %d (--%s)", max, limit)
	frame := func(b []byte, typ byte, payload []byte) []byte {
		n := len(payload)
		b = append(b, byte(n>>16), byte(n>>8), byte(n), typ, 0, 0, 0, 0, 0) // length, type, flags, stream 0
		return append(b, payload...)
	}
	b := frame(nil, 0x4, nil)                             // SETTINGS
	payload := binary.BigEndian.AppendUint32(nil, 0)      // last stream id
	payload = binary.BigEndian.AppendUint32(payload, 0xb) // ENHANCE_YOUR_CALM
	payload = append(payload, debug...)
	return frame(b, 0x7, payload) // GOAWAY
}

// Idle gRPC connections are closed by grpc itself (keepalive's
// MaxConnectionIdle, with a GOAWAY clients reconnect after); grpcConns
// counts them, follows each connection's RPCs for that, and finds the
// connection of a call for the slow-consumer accounting.

type connKey struct{}

// grpcConns is the stats.Handler of the external gRPC server.
type grpcConns struct {
	lim        *connLimiter
	idle       time.Duration
	maxPending int
	log        *slog.Logger
}

var _ stats.Handler = (*grpcConns)(nil)

func (g *grpcConns) TagConn(ctx context.Context, info *stats.ConnTagInfo) context.Context {
	if c := g.lim.lookup(info.RemoteAddr); c != nil {
		return context.WithValue(ctx, connKey{}, c)
	}
	return ctx
}

func (g *grpcConns) HandleConn(ctx context.Context, s stats.ConnStats) {
	c, _ := ctx.Value(connKey{}).(*trackedConn)
	if _, end := s.(*stats.ConnEnd); !end || c == nil || g.idle <= 0 {
		return
	}
	g.lim.mu.Lock()
	idle := c.active == 0 && time.Since(c.idleSince) >= g.idle
	g.lim.mu.Unlock()
	if idle {
		g.lim.hits.Hit(limitGRPCIdle)
	}
}

func (g *grpcConns) TagRPC(ctx context.Context, _ *stats.RPCTagInfo) context.Context { return ctx }

func (g *grpcConns) HandleRPC(ctx context.Context, s stats.RPCStats) {
	c, _ := ctx.Value(connKey{}).(*trackedConn)
	if c == nil {
		return
	}
	switch s.(type) {
	case *stats.Begin:
		g.lim.mu.Lock()
		c.active++
		g.lim.mu.Unlock()
	case *stats.End:
		g.lim.mu.Lock()
		if c.active--; c.active == 0 {
			c.idleSince = time.Now()
		}
		g.lim.mu.Unlock()
	}
}

// slowConsumer counts what a call cut as a slow consumer may have left
// queued against its connection (the transport frees it once the client
// reads, cancels the call or closes the connection; the server cannot see
// which, so it counts it until the connection closes). When what all
// connections' cut calls may hold passes maxPending (as NATS's max_pending,
// but over the whole server), the connection holding the most is closed,
// which frees it.
func (g *grpcConns) slowConsumer(ctx context.Context, queued int) {
	c, _ := ctx.Value(connKey{}).(*trackedConn)
	if c == nil || g.maxPending <= 0 {
		return
	}
	g.lim.mu.Lock()
	c.stuck += queued
	g.lim.stuck += queued
	var worst *trackedConn
	if g.lim.stuck > g.maxPending {
		for _, tc := range g.lim.conns {
			if worst == nil || tc.stuck > worst.stuck {
				worst = tc
			}
		}
	}
	g.lim.mu.Unlock()
	if worst != nil {
		g.lim.hits.Hit(limitGRPCMaxPending)
		g.log.Warn("closing a gRPC connection: the server's slow consumers hold too much, and this one the most",
			slog.String("remote", worst.RemoteAddr().String()), slog.Int("max_pending", g.maxPending))
		worst.Close()
	}
}

// ConnLimits bounds the clients' connections. Zero values take the
// defaults; a negative duration or size turns that limit off.
type ConnLimits struct {
	// GRPCMaxConnections bounds the gRPC port's connections (default
	// 4096); one more is refused with an HTTP/2 GOAWAY.
	GRPCMaxConnections int
	// HTTPMaxConnections bounds the HTTP port's connections (default
	// 4096); one more is answered 503 and closed.
	HTTPMaxConnections int
	// GRPCMaxStreams bounds the calls in progress on one gRPC connection
	// (default 1000; HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS, so clients
	// wait for room).
	GRPCMaxStreams int
	// GRPCIdleTimeout closes a gRPC connection without calls for this
	// long, with a GOAWAY (default 5 minutes).
	GRPCIdleTimeout time.Duration
	// GRPCWriteDeadline ends a call whose client leaves one response
	// unread this long: a slow consumer (default 10 s).
	GRPCWriteDeadline time.Duration
	// GRPCMaxPending bounds what the calls ended as slow consumers may
	// still hold queued, over all gRPC connections: past it, the
	// connection holding the most is closed (default 256 MiB).
	GRPCMaxPending int64
}

// Connection limit defaults and names (limits.Hits; the serve flags).
const (
	DefaultMaxConnections  = 4096
	DefaultGRPCMaxStreams  = 1000
	DefaultGRPCIdleTimeout = 5 * time.Minute
	DefaultGRPCMaxPending  = 256 << 20

	limitGRPCConns      = "grpc-max-connections"
	limitHTTPConns      = "http-max-connections"
	limitGRPCIdle       = "grpc-idle-timeout"
	limitGRPCMaxPending = "grpc-max-pending"

	// grpcHandshakeTimeout bounds a new gRPC connection's HTTP/2
	// handshake.
	grpcHandshakeTimeout = 10 * time.Second
)

func (l *ConnLimits) defaults() {
	if l.GRPCMaxConnections <= 0 {
		l.GRPCMaxConnections = DefaultMaxConnections
	}
	if l.HTTPMaxConnections <= 0 {
		l.HTTPMaxConnections = DefaultMaxConnections
	}
	if l.GRPCMaxStreams <= 0 {
		l.GRPCMaxStreams = DefaultGRPCMaxStreams
	}
	switch {
	case l.GRPCIdleTimeout == 0:
		l.GRPCIdleTimeout = DefaultGRPCIdleTimeout
	case l.GRPCIdleTimeout < 0:
		l.GRPCIdleTimeout = 0
	}
	switch {
	case l.GRPCMaxPending == 0:
		l.GRPCMaxPending = DefaultGRPCMaxPending
	case l.GRPCMaxPending < 0:
		l.GRPCMaxPending = 0
	}
}

// fitDescriptors lowers the connection limits, if need be, so that together
// they leave fdReserve of the process's fdLimit descriptors to the store.
func (l *ConnLimits) fitDescriptors(fdLimit int) (lowered bool) {
	if fdLimit <= 0 {
		return false
	}
	budget := max(fdLimit-fdReserve, fdLimit/2)
	g, h := l.GRPCMaxConnections, l.HTTPMaxConnections
	if g+h <= budget {
		return false
	}
	l.GRPCMaxConnections = max(budget*g/(g+h), 1)
	l.HTTPMaxConnections = max(budget-l.GRPCMaxConnections, 1)
	return true
}
