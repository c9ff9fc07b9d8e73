package fault

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/s3log"
	"github.com/braidstream/braid/internal/tier2/s3"
	"github.com/braidstream/braid/wire"
)

var flagClusterFaults = flag.Int("cluster.faults", 0, "faults of TestClusterHistory (0: 30, or 8 with -short)")

const (
	clusterNodes      = 3
	clusterContainers = 4
	clusterLease      = 2 * time.Second
	clusterBucket     = "braid-cluster"
)

// clusterRig is three braid nodes on a real etcd (each through a proxy
// that can cut it off) and a real S3 server, with one client that knows
// all three.
type clusterRig struct {
	t       *testing.T
	ctx     context.Context
	gw      *versityGW
	etcd    *etcdServer
	proxies []*cutProxy
	nodes   []*server
	client  *braid.Client
}

func newClusterRig(t *testing.T, ctx context.Context) *clusterRig {
	t.Helper()
	r := &clusterRig{t: t, ctx: ctx, gw: newVersityGW(t), etcd: newEtcd(t)}
	if err := r.gw.start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := r.gw.createBucket(ctx, clusterBucket); err != nil {
		t.Fatal(err)
	}
	if err := r.etcd.start(ctx); err != nil {
		t.Fatal(err)
	}
	var addrs []string
	for i := range clusterNodes {
		p := newCutProxy(t, r.etcd.client)
		r.proxies = append(r.proxies, p)
		srv := newServer(t, "--cluster", "etcd://"+p.addr(), "--node-id", nodeID(i),
			"--tier2", "s3://"+clusterBucket+"/c", "--s3-endpoint", r.gw.endpoint(), "--s3-path-style",
			"--s3-access-key", gwAccessKey, "--s3-secret-key", gwSecretKey,
			"--containers", fmt.Sprint(clusterContainers), "--lease-ttl", clusterLease.String(),
			"--flush-interval", "1s", "--chunk-size", "256KiB")
		r.nodes = append(r.nodes, srv)
		addrs = append(addrs, srv.grpcAddr)
	}
	for i, srv := range r.nodes {
		if err := srv.start(ctx); err != nil {
			t.Fatalf("node %s: %v", nodeID(i), err)
		}
	}
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	c, err := braid.Dial(dctx, strings.Join(addrs, ","))
	if err != nil {
		t.Fatal(err)
	}
	r.client = c
	t.Cleanup(func() { c.Close() })
	return r
}

func nodeID(i int) string { return fmt.Sprintf("n%d", i+1) }

// settled waits until every container is owned by a node that is up and
// has it open under the epoch etcd gives, as every node up sees it.
func (r *clusterRig) settled(up []bool) (time.Duration, error) {
	begin := time.Now()
	var why string
	ok := waitFor(r.ctx, time.Minute, func() bool {
		views := map[string]clusterView{}
		for i, srv := range r.nodes {
			if !up[i] {
				continue
			}
			v, err := srv.clusterView(r.ctx)
			if err != nil {
				why = fmt.Sprintf("%s: %v", nodeID(i), err)
				return false
			}
			views[nodeID(i)] = v
		}
		for id, v := range views {
			if len(v.Containers) != clusterContainers {
				why = fmt.Sprintf("%s sees %d containers", id, len(v.Containers))
				return false
			}
			for _, c := range v.Containers {
				ov, isUp := views[c.Owner]
				if !isUp || !c.Live {
					why = fmt.Sprintf("%s: container %d owned by %q, not a node that is up", id, c.ID, c.Owner)
					return false
				}
				if e := ov.Open[fmt.Sprint(c.ID)]; e != c.Epoch {
					why = fmt.Sprintf("container %d: %s has it open at epoch %d, etcd says %d", c.ID, c.Owner, e, c.Epoch)
					return false
				}
			}
		}
		return true
	})
	if !ok {
		return 0, fmt.Errorf("the cluster did not settle within a minute: %s", why)
	}
	return time.Since(begin), nil
}

// probe is a writer with one routing key per segment of a stream: its
// round appends to every segment and waits for every ack.
type probe struct {
	w    *braid.Writer
	keys []string
}

func newProbe(ctx context.Context, c *braid.Client, stream string) (*probe, error) {
	info, err := c.GetStream(ctx, stream)
	if err != nil {
		return nil, err
	}
	p := &probe{}
	for _, seg := range info.Epochs[len(info.Epochs)-1].Segments {
		for n := 0; ; n++ {
			k := fmt.Sprintf("probe-%d", n)
			if pt := wire.KeyPoint(k); pt >= seg.KeyLow && pt < seg.KeyHigh {
				p.keys = append(p.keys, k)
				break
			}
		}
	}
	p.w, err = c.NewWriter(ctx, stream, braid.WithRetryTimeout(5*time.Minute))
	return p, err
}

// round appends one event to each segment and returns when all are
// acknowledged.
func (p *probe) round(ctx context.Context) error {
	acks := make([]braid.Ack, len(p.keys))
	for i, k := range p.keys {
		acks[i] = p.w.Write(ctx, k, []byte("probe"))
	}
	p.w.Flush(ctx)
	for i, a := range acks {
		if _, err := a.Wait(ctx); err != nil {
			return fmt.Errorf("probe key %s: %w", p.keys[i], err)
		}
	}
	return nil
}

// TestClusterHistory runs writers over two streams on a three-node cluster
// (real etcd, real S3 server, braid processes) while it injects faults at
// random (seeded): SIGKILL of a node (restarted after its containers
// moved), SIGSTOP of a node past its lease (so that, woken, a deposed
// owner tries to write), a node cut off from etcd past its lease, and etcd
// itself killed for a while (the owners keep serving; a node killed
// meanwhile fails over only once etcd is back). Afterwards:
//
//   - every acknowledged event is read exactly once, where its ack said,
//     and per-key order holds (verifyStream);
//   - the S3 log of every container shows one owner at a time: each epoch
//     begins with its owner's fence, and no counted record goes back to a
//     lower epoch (s3log.CheckOwners);
//   - failover (a node killed until every segment of a probe stream takes
//     an append again) is reported, median and worst.
func TestClusterHistory(t *testing.T) {
	seed := crashSeed(t)
	rng := rand.New(rand.NewSource(seed))
	faults := *flagClusterFaults
	if faults == 0 {
		faults = 30
		if testing.Short() {
			faults = 8
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	r := newClusterRig(t, ctx)
	up := []bool{true, true, true}
	if _, err := r.settled(up); err != nil {
		t.Fatal(err)
	}
	c := r.client
	streams := map[string]int{"hist/a": 4, "hist/b": 3, "hist/probe": 8}
	for _, name := range []string{"hist/a", "hist/b", "hist/probe"} {
		if _, err := c.CreateStream(ctx, name, braid.StreamConfig{Segments: streams[name], CreateScope: true}); err != nil {
			t.Fatalf("CreateStream %s: %v", name, err)
		}
	}
	cfg := workloadConfig{writers: 2, keys: 8, maxPad: 200, retry: 5 * time.Minute, rate: 1000}
	var wls []*workload
	for i, name := range []string{"hist/a", "hist/b"} {
		wl, err := startWorkload(ctx, c, name, seed+int64(i), cfg)
		if err != nil {
			t.Fatal(err)
		}
		wls = append(wls, wl)
		t.Cleanup(wl.shutdown)
	}
	// A reader group reads hist/a throughout, its two readers on clients
	// that reach the nodes in different orders.
	var addrs []string
	for _, srv := range r.nodes {
		addrs = append(addrs, srv.grpcAddr)
	}
	group := startGroupReaders(ctx, t, addrs, "hist/g", "hist/a", 2)
	pr, err := newProbe(ctx, c, "hist/probe")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pr.w.Close(context.Background()) })
	if err := pr.round(ctx); err != nil {
		t.Fatal(err)
	}

	progress := func(what string) {
		t.Helper()
		for _, wl := range wls {
			base := wl.acked.Load()
			if !waitFor(ctx, time.Minute, func() bool { return wl.acked.Load() > base }) {
				t.Fatalf("%s: no append to %s acknowledged within a minute", what, wl.stream)
			}
		}
	}
	nodeLogs := func() string {
		var b strings.Builder
		for i, srv := range r.nodes {
			fmt.Fprintf(&b, "--- %s: warnings and errors ---\n%s\n", nodeID(i), notableLines(srv.fullLog(1<<22), 30))
		}
		return b.String()
	}
	// owners describes who owns what, under which epoch.
	owners := func() string {
		for i, srv := range r.nodes {
			if !up[i] {
				continue
			}
			if v, err := srv.clusterView(ctx); err == nil {
				var parts []string
				for _, c := range v.Containers {
					parts = append(parts, fmt.Sprintf("%d:%s@%d", c.ID, c.Owner, c.Epoch))
				}
				return strings.Join(parts, " ")
			}
		}
		return "unknown"
	}

	probeRound := func(what string, from time.Time) time.Duration {
		t.Helper()
		pctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		if err := pr.round(pctx); err != nil {
			t.Fatalf("%s: %v\nowners: %s\n%s", what, err, owners(), nodeLogs())
		}
		return time.Since(from)
	}

	sc, err := s3.ParseURL("s3://" + clusterBucket + "/c")
	if err != nil {
		t.Fatal(err)
	}
	sc.Endpoint, sc.AccessKey, sc.SecretKey, sc.PathStyle = r.gw.endpoint(), gwAccessKey, gwSecretKey, true
	bucket, err := s3.New(ctx, sc)
	if err != nil {
		t.Fatal(err)
	}
	// Slots are written once and only ever deleted (truncation), so the
	// slots seen at each look, merged, are the logs' history.
	history := make([]map[uint64]s3log.Slot, clusterContainers)
	for k := range history {
		history[k] = map[uint64]s3log.Slot{}
	}
	look := func() {
		t.Helper()
		for k := range clusterContainers {
			slots, err := s3log.Inspect(ctx, bucket, k)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range slots {
				history[k][s.Slot] = s
			}
		}
	}
	var failovers []time.Duration
	counts := map[string]int{}
	for f := 1; f <= faults; f++ {
		t0 := time.Now()
		progress(fmt.Sprintf("before fault %d", f))
		t1 := time.Now()
		look()
		if d1, d2 := t1.Sub(t0), time.Since(t1); d1+d2 > 5*time.Second {
			t.Logf("fault %d: waiting for progress took %v, reading the S3 logs %v", f, d1.Round(time.Millisecond), d2.Round(time.Millisecond))
		}
		i := rng.Intn(clusterNodes)
		kind := []string{"kill", "kill", "pause", "cut"}[rng.Intn(4)]
		if f%10 == 5 {
			kind = "etcd down"
		}
		counts[kind]++
		srv := r.nodes[i]
		switch kind {
		case "kill":
			t0 := time.Now()
			if err := srv.kill(); err != nil {
				t.Fatal(err)
			}
			up[i] = false
			d := probeRound(fmt.Sprintf("fault %d, %s killed", f, nodeID(i)), t0)
			failovers = append(failovers, d)
			t.Logf("fault %d: %s killed; every segment took appends again after %v", f, nodeID(i), d.Round(time.Millisecond))
			if err := srv.start(ctx); err != nil {
				t.Fatal(err)
			}
			up[i] = true
		case "pause":
			if err := srv.signal(syscall.SIGSTOP); err != nil {
				t.Fatal(err)
			}
			// Past the lease, so that its containers move: a span to
			// outlast, not a condition to wait for.
			time.Sleep(2*clusterLease + time.Second)
			if err := srv.signal(syscall.SIGCONT); err != nil {
				t.Fatal(err)
			}
			t.Logf("fault %d: %s paused for %v", f, nodeID(i), 2*clusterLease+time.Second)
		case "cut":
			r.proxies[i].setCut(true)
			time.Sleep(2*clusterLease + time.Second) // a span, as above
			r.proxies[i].setCut(false)
			t.Logf("fault %d: %s cut off from etcd for %v", f, nodeID(i), 2*clusterLease+time.Second)
		case "etcd down":
			r.etcd.kill()
			// The owners keep serving appends with etcd gone.
			progress(fmt.Sprintf("fault %d, etcd down", f))
			if err := srv.kill(); err != nil {
				t.Fatal(err)
			}
			up[i] = false
			time.Sleep(2 * clusterLease) // a span: nothing can move meanwhile
			t0 := time.Now()
			if err := r.etcd.start(ctx); err != nil {
				t.Fatal(err)
			}
			d := probeRound(fmt.Sprintf("fault %d, etcd back, %s killed", f, nodeID(i)), t0)
			t.Logf("fault %d: etcd down, appends went on; %s killed meanwhile; %v after etcd came back every segment took appends again", f, nodeID(i), d.Round(time.Millisecond))
			if err := srv.start(ctx); err != nil {
				t.Fatal(err)
			}
			up[i] = true
		}
		if d, err := r.settled(up); err != nil {
			t.Fatalf("after fault %d (%s of %s): %v\n%s", f, kind, nodeID(i), err, nodeLogs())
		} else {
			t.Logf("fault %d: settled %v later: %s", f, d.Round(time.Millisecond), owners())
		}
	}
	progress("after the faults")
	look()
	t.Logf("faults: %d (%v)", faults, counts)

	for _, wl := range wls {
		for _, p := range wl.stopWriting(ctx, 2*time.Minute) {
			t.Errorf("stopping the writers of %s: %s", wl.stream, p)
		}
		acked, failed, abandoned, errs := wl.totals()
		t.Logf("%s: %d events acknowledged, %d failed, %d abandoned", wl.stream, acked, failed, abandoned)
		if failed > 0 {
			t.Errorf("%s: %d appends failed although the writers retry for %v:\n    %s", wl.stream, failed, cfg.retry, strings.Join(errs, "\n    "))
		}
		vstart := time.Now()
		st, probs, err := verifyStream(ctx, c, wl, rand.New(rand.NewSource(seed)))
		t.Logf("%s read back in %v: %v", wl.stream, time.Since(vstart).Round(time.Millisecond), st)
		if err != nil {
			probs.add("read failed", "%v", err)
			// How each node sees the stream's segments.
			for i, srv := range r.nodes {
				req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+srv.httpAddr+"/v1/streams/"+wl.stream, nil)
				if resp, err := srv.http.Do(req); err == nil {
					b, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					t.Logf("%s sees %s: %s", nodeID(i), wl.stream, b)
				}
			}
			t.Logf("owners: %s", owners())
			if *flagKeep {
				// Goroutine dumps into the kept server logs.
				for _, srv := range r.nodes {
					srv.signal(syscall.SIGQUIT)
				}
			}
		}
		if !probs.empty() {
			t.Errorf("%s read back breaks the contract:\n%s\n%s", wl.stream, probs, nodeLogs())
		}
	}

	// The reader group read every acknowledged event of hist/a (at least
	// once: a reader that moves to a new coordinator reads again from the
	// last committed position).
	ids := map[eventID]bool{}
	for _, ws := range wls[0].writers {
		for id := range ws.acked {
			ids[id] = true
		}
	}
	if !waitFor(ctx, 2*time.Minute, func() bool { return group.missing(ids) == 0 }) {
		t.Errorf("reader group hist/g: %d of %d acknowledged events of hist/a not read within 2 minutes of the end", group.missing(ids), len(ids))
	}
	distinct, again, bad, rerrs, fatal := group.stop()
	t.Logf("reader group hist/g: %d events read, %d of them more than once; read errors %v", distinct, again, rerrs)
	if bad > 0 || len(fatal) > 0 {
		t.Errorf("reader group hist/g: %d events that do not parse; readers that gave up: %v", bad, fatal)
	}

	// The S3 logs themselves: one owner at a time.
	for k := range clusterContainers {
		var slots []s3log.Slot
		for _, s := range history[k] {
			slots = append(slots, s)
		}
		slices.SortFunc(slots, func(a, b s3log.Slot) int { return cmp.Compare(a.Slot, b.Slot) })
		skipped, epochs := 0, map[uint64]bool{}
		for _, s := range slots {
			if !s.Counts {
				skipped++
			}
			epochs[s.Epoch] = true
		}
		t.Logf("container %d: %d slots seen in S3, %d epochs, %d records of deposed owners (not counted)", k, len(slots), len(epochs), skipped)
		for _, b := range s3log.CheckOwners(slots) {
			t.Errorf("container %d: %s", k, b)
		}
	}

	if len(failovers) > 0 {
		slices.Sort(failovers)
		t.Logf("failover after a SIGKILL, over %d kills: median %v, worst %v (lease %v)",
			len(failovers), failovers[len(failovers)/2].Round(time.Millisecond), failovers[len(failovers)-1].Round(time.Millisecond), clusterLease)
	}
}
