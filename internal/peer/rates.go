package peer

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	clusterv1 "github.com/braidstream/braid/api/braid/cluster/v1"
)

// Leaders says which node leads the cluster.
type Leaders interface {
	// Leader returns the leader's gRPC address and whether it is this
	// node; ok is false while there is none.
	Leader() (addr string, self bool, ok bool)
}

// RateReporter counts the appends this node takes from its clients, per
// segment and second, and reports them to the leader every second (to
// its own recorder while it leads): the leader's auto-scaler decides from
// every node's appends, not only from those that reached it. Counts that
// cannot be sent (no leader, the leader unreachable) are dropped, as a
// restart of one node would drop them: the rates dip for a moment.
type RateReporter struct {
	leaders Leaders
	local   RateSink
	dial    []grpc.DialOption
	log     *slog.Logger

	mu     sync.Mutex
	counts map[rateKey]*clusterv1.RateCount

	// The connection to the leader, Run's own.
	addr string
	cc   *grpc.ClientConn
}

type rateKey struct {
	scope, stream string
	segment       uint64
	second        int64
}

// NewRateReporter returns a reporter to the cluster's leader, reached
// with dial; local is this node's own recorder.
func NewRateReporter(leaders Leaders, local RateSink, dial []grpc.DialOption, log *slog.Logger) *RateReporter {
	return &RateReporter{leaders: leaders, local: local, dial: dial, log: log, counts: map[rateKey]*clusterv1.RateCount{}}
}

// Record counts a batch of events (bytes long) appended to a segment.
func (r *RateReporter) Record(scope, stream string, segment uint64, events, bytes int) {
	k := rateKey{scope, stream, segment, time.Now().Unix()}
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.counts[k]
	if c == nil {
		if len(r.counts) >= maxRateCounts {
			return // a second of more segments than one report carries
		}
		c = &clusterv1.RateCount{Scope: scope, Stream: stream, Segment: segment, UnixSeconds: k.second}
		r.counts[k] = c
	}
	c.Events += int64(events)
	c.Bytes += int64(bytes)
}

// Run reports every second until ctx ends, then closes its connection.
func (r *RateReporter) Run(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	defer func() {
		if r.cc != nil {
			r.cc.Close()
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			r.report(ctx)
		}
	}
}

// report sends what was counted since the last report.
func (r *RateReporter) report(ctx context.Context) {
	r.mu.Lock()
	counts := r.counts
	r.counts = map[rateKey]*clusterv1.RateCount{}
	r.mu.Unlock()
	if len(counts) == 0 {
		return
	}
	addr, self, ok := r.leaders.Leader()
	if !ok {
		return
	}
	if self {
		for _, c := range counts {
			r.local.RecordAt(time.Unix(c.UnixSeconds, 0), c.Scope, c.Stream, c.Segment, int(c.Events), int(c.Bytes))
		}
		return
	}
	if r.cc == nil || r.addr != addr {
		if r.cc != nil {
			r.cc.Close()
			r.cc = nil
		}
		cc, err := grpc.NewClient(addr, append([]grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}, r.dial...)...)
		if err != nil {
			r.log.Debug("rate report: no connection to the leader", "leader", addr, "err", err)
			return
		}
		r.cc, r.addr = cc, addr
	}
	req := &clusterv1.ReportRatesRequest{Counts: make([]*clusterv1.RateCount, 0, len(counts))}
	for _, c := range counts {
		req.Counts = append(req.Counts, c)
	}
	rctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if _, err := clusterv1.NewPeerServiceClient(r.cc).ReportRates(rctx, req); err != nil {
		r.log.Debug("rate report to the leader failed; its counts are dropped", "leader", addr, "err", err)
	}
}
