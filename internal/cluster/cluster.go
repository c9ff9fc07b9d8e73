package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/client/v3/concurrency"
)

// NodeInfo is what a node registers: who it is and where it answers.
type NodeInfo struct {
	ID      string    `json:"id"`
	GRPC    string    `json:"grpc"`
	HTTP    string    `json:"http,omitempty"`
	Started time.Time `json:"started"`
}

// Assignment is a container's owner and owner epoch. Epochs grow by one
// with every new owner (or a new start of the same owner), so no two
// owners ever hold one epoch.
type Assignment struct {
	Owner string `json:"owner"`
	Epoch uint64 `json:"epoch"`
}

// Containers is what a node does with the containers assigned to it.
// Open may take a while (it replays the container's log); both are called
// from one goroutine, one at a time.
type Containers interface {
	OpenContainer(ctx context.Context, id int, epoch uint64) error
	CloseContainer(id int) error
}

// Config configures a node.
type Config struct {
	Client *clientv3.Client
	// Prefix of every key (default /braid/v1/).
	Prefix string
	Node   NodeInfo
	// Containers is the cluster's fixed container count; every node must
	// give the same.
	Containers int
	// LeaseTTL is how long a silent node stays a member (default 10s).
	LeaseTTL time.Duration
	// RebalanceEvery is how often the leader may move one container to
	// even out the nodes (default 5s).
	RebalanceEvery time.Duration
	Store          Containers
	Logger         *slog.Logger
}

// DefaultPrefix is where a cluster's keys live in etcd.
const DefaultPrefix = "/braid/v1/"

// ErrConfig is a configuration a cluster refuses.
var ErrConfig = errors.New("cluster: bad configuration")

// Node is a running cluster member. Its methods are safe for concurrent
// use.
type Node struct {
	cfg    Config
	log    *slog.Logger
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	nodes    map[string]NodeInfo
	assign   map[int]assignEntry
	election map[string]electionEntry // key -> entry
	opened   map[int]uint64           // containers open here, by epoch
	failures map[int]uint64           // containers that failed here, by epoch
	changed  chan struct{}            // closed and replaced on every change

	kickApply  chan struct{}
	kickLeader chan struct{}
}

type assignEntry struct {
	Assignment
	mod int64 // the key's ModRevision
}

type electionEntry struct {
	node   string
	create int64
}

func (c *Config) defaults() error {
	if c.Prefix == "" {
		c.Prefix = DefaultPrefix
	}
	if c.LeaseTTL <= 0 {
		c.LeaseTTL = 10 * time.Second
	}
	if c.RebalanceEvery <= 0 {
		c.RebalanceEvery = 5 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	switch {
	case c.Client == nil:
		return fmt.Errorf("%w: no etcd client", ErrConfig)
	case c.Containers < 1:
		return fmt.Errorf("%w: %d containers: a cluster needs at least 1", ErrConfig, c.Containers)
	case c.Node.ID == "" || strings.ContainsAny(c.Node.ID, "/ "):
		return fmt.Errorf("%w: node id %q: give a non-empty id without '/' or spaces", ErrConfig, c.Node.ID)
	case c.Node.GRPC == "":
		return fmt.Errorf("%w: node %s has no gRPC address", ErrConfig, c.Node.ID)
	case c.Store == nil:
		return fmt.Errorf("%w: no container store", ErrConfig)
	case c.LeaseTTL < 2*time.Second:
		return fmt.Errorf("%w: lease TTL %s: etcd leases count in seconds; give at least 2s", ErrConfig, c.LeaseTTL)
	}
	return nil
}

// Start joins the cluster: it checks the cluster's container count, then
// runs the node's membership, its watch of the cluster and, when elected,
// the leader's work, until Close.
func Start(ctx context.Context, cfg Config) (*Node, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	n := &Node{
		cfg: cfg, log: cfg.Logger.With("node", cfg.Node.ID),
		nodes: map[string]NodeInfo{}, assign: map[int]assignEntry{}, election: map[string]electionEntry{},
		opened: map[int]uint64{}, failures: map[int]uint64{}, changed: make(chan struct{}),
		kickApply: make(chan struct{}, 1), kickLeader: make(chan struct{}, 1),
	}
	if err := n.checkContainerCount(ctx); err != nil {
		return nil, err
	}
	rev, err := n.load(ctx)
	if err != nil {
		return nil, err
	}
	// What this node owned before it (re)started was opened under those
	// epochs by an earlier process: open under new ones.
	for k, a := range n.assign {
		if a.Owner == cfg.Node.ID {
			n.failures[k] = a.Epoch
		}
	}
	n.ctx, n.cancel = context.WithCancel(context.WithoutCancel(ctx))
	n.wg.Add(3)
	go n.watch(rev)
	go n.member()
	go n.apply()
	return n, nil
}

// checkContainerCount records the cluster's container count on first start
// and refuses a node configured with another.
func (n *Node) checkContainerCount(ctx context.Context) error {
	k := n.cfg.Prefix + "config/containers"
	v := strconv.Itoa(n.cfg.Containers)
	resp, err := n.cfg.Client.Txn(ctx).If(clientv3.Compare(clientv3.CreateRevision(k), "=", 0)).
		Then(clientv3.OpPut(k, v)).Else(clientv3.OpGet(k)).Commit()
	if err != nil {
		return fmt.Errorf("cluster: etcd: %w", err)
	}
	if resp.Succeeded {
		return nil
	}
	kvs := resp.Responses[0].GetResponseRange().GetKvs()
	if len(kvs) == 1 && string(kvs[0].Value) != v {
		return fmt.Errorf("%w: this node has %d containers, the cluster under %s has %s: every node must give the same --containers",
			ErrConfig, n.cfg.Containers, n.cfg.Prefix, kvs[0].Value)
	}
	return nil
}

// Close leaves the cluster: it stops the node's goroutines and revokes its
// lease, so the leader moves its containers at once. The containers it
// holds stay open: the caller closes its store.
func (n *Node) Close() error {
	n.cancel()
	n.wg.Wait()
	return nil
}

// load reads the cluster's keys, returning the revision read at.
func (n *Node) load(ctx context.Context) (int64, error) {
	resp, err := n.cfg.Client.Get(ctx, n.cfg.Prefix, clientv3.WithPrefix())
	if err != nil {
		return 0, fmt.Errorf("cluster: etcd: %w", err)
	}
	n.mu.Lock()
	n.nodes, n.assign, n.election = map[string]NodeInfo{}, map[int]assignEntry{}, map[string]electionEntry{}
	for _, kv := range resp.Kvs {
		n.putLocked(string(kv.Key), kv.Value, kv.CreateRevision, kv.ModRevision)
	}
	n.notifyLocked()
	n.mu.Unlock()
	return resp.Header.Revision, nil
}

func (n *Node) putLocked(key string, val []byte, create, mod int64) {
	rest := strings.TrimPrefix(key, n.cfg.Prefix)
	switch {
	case strings.HasPrefix(rest, "nodes/"):
		var ni NodeInfo
		if json.Unmarshal(val, &ni) == nil {
			n.nodes[strings.TrimPrefix(rest, "nodes/")] = ni
		}
	case strings.HasPrefix(rest, "containers/"):
		id, err := strconv.Atoi(strings.TrimPrefix(rest, "containers/"))
		var a Assignment
		if err == nil && json.Unmarshal(val, &a) == nil {
			n.assign[id] = assignEntry{Assignment: a, mod: mod}
		}
	case strings.HasPrefix(rest, "election/"):
		n.election[key] = electionEntry{node: string(val), create: create}
	}
}

func (n *Node) deleteLocked(key string) {
	rest := strings.TrimPrefix(key, n.cfg.Prefix)
	switch {
	case strings.HasPrefix(rest, "nodes/"):
		delete(n.nodes, strings.TrimPrefix(rest, "nodes/"))
	case strings.HasPrefix(rest, "containers/"):
		if id, err := strconv.Atoi(strings.TrimPrefix(rest, "containers/")); err == nil {
			delete(n.assign, id)
		}
	case strings.HasPrefix(rest, "election/"):
		delete(n.election, key)
	}
}

func (n *Node) notifyLocked() {
	close(n.changed)
	n.changed = make(chan struct{})
	kick(n.kickApply)
	kick(n.kickLeader)
}

func kick(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// watch keeps the node's view of the cluster current.
func (n *Node) watch(rev int64) {
	defer n.wg.Done()
	for n.ctx.Err() == nil {
		wch := n.cfg.Client.Watch(n.ctx, n.cfg.Prefix, clientv3.WithPrefix(), clientv3.WithRev(rev+1))
		for resp := range wch {
			if err := resp.Err(); err != nil {
				n.log.Warn("cluster watch failed; reading the cluster again", "err", err)
				break
			}
			n.mu.Lock()
			for _, ev := range resp.Events {
				if ev.Type == clientv3.EventTypeDelete {
					n.deleteLocked(string(ev.Kv.Key))
				} else {
					n.putLocked(string(ev.Kv.Key), ev.Kv.Value, ev.Kv.CreateRevision, ev.Kv.ModRevision)
				}
			}
			n.notifyLocked()
			n.mu.Unlock()
			rev = resp.Header.Revision
		}
		if n.ctx.Err() != nil {
			return
		}
		r, err := n.load(n.ctx)
		if err != nil {
			n.log.Warn("cluster: reading the cluster from etcd failed; retrying", "err", err)
			sleep(n.ctx, time.Second)
			continue
		}
		rev = r
	}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// member keeps the node registered under a lease and in the election, and
// does the leader's work while it leads. A lapsed lease (etcd unreachable
// longer than the TTL, or the process paused) is replaced by a new one.
func (n *Node) member() {
	defer n.wg.Done()
	for n.ctx.Err() == nil {
		if err := n.session(); err != nil && n.ctx.Err() == nil {
			n.log.Warn("cluster membership lost; joining again", "err", err)
			sleep(n.ctx, 500*time.Millisecond)
		}
	}
}

func (n *Node) session() error {
	ttl := int((n.cfg.LeaseTTL + time.Second - 1) / time.Second)
	s, err := concurrency.NewSession(n.cfg.Client, concurrency.WithTTL(ttl), concurrency.WithContext(n.ctx))
	if err != nil {
		return err
	}
	defer func() {
		// Revoke on the way out so that the leader moves the containers at
		// once; a lapsed session has nothing to revoke.
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_, _ = n.cfg.Client.Revoke(ctx, s.Lease())
	}()
	info := n.cfg.Node
	b, _ := json.Marshal(info)
	if _, err := n.cfg.Client.Put(n.ctx, n.cfg.Prefix+"nodes/"+info.ID, string(b), clientv3.WithLease(s.Lease())); err != nil {
		return err
	}
	n.log.Info("joined the cluster", "lease", fmt.Sprintf("%x", s.Lease()))
	ctx, cancel := context.WithCancel(n.ctx)
	defer cancel()
	go func() {
		select {
		case <-s.Done():
			cancel()
		case <-ctx.Done():
		}
	}()
	e := concurrency.NewElection(s, n.cfg.Prefix+"election")
	if err := e.Campaign(ctx, info.ID); err != nil {
		return err
	}
	n.log.Info("elected controller leader")
	n.lead(ctx, e)
	if ctx.Err() != nil && n.ctx.Err() == nil {
		return errors.New("lease lapsed")
	}
	return nil
}

// lead does the leader's work until ctx ends.
func (n *Node) lead(ctx context.Context, e *concurrency.Election) {
	t := time.NewTicker(n.cfg.RebalanceEvery)
	defer t.Stop()
	lastMove := time.Time{}
	for ctx.Err() == nil {
		moved, err := n.reconcile(ctx, e, time.Since(lastMove) >= n.cfg.RebalanceEvery)
		if err != nil && ctx.Err() == nil {
			n.log.Warn("cluster: assigning containers failed; retrying", "err", err)
		}
		if moved {
			lastMove = time.Now()
		}
		select {
		case <-ctx.Done():
		case <-n.kickLeader:
		case <-t.C:
		}
	}
}

// reconcile assigns every container without a live owner, and, if may,
// moves one container from the fullest node to the emptiest when they
// differ by more than one. It reports whether it moved one for balance.
func (n *Node) reconcile(ctx context.Context, e *concurrency.Election, may bool) (bool, error) {
	n.mu.Lock()
	live := make([]string, 0, len(n.nodes))
	for id := range n.nodes {
		live = append(live, id)
	}
	assign := make(map[int]assignEntry, len(n.assign))
	for k, v := range n.assign {
		assign[k] = v
	}
	n.mu.Unlock()
	if len(live) == 0 {
		return false, nil
	}
	sort.Strings(live)
	count := map[string]int{}
	for _, id := range live {
		count[id] = 0
	}
	var orphans []int
	for k := range n.cfg.Containers {
		a, ok := assign[k]
		if _, alive := count[a.Owner]; ok && alive {
			count[a.Owner]++
			continue
		}
		orphans = append(orphans, k)
	}
	least := func() string {
		best := live[0]
		for _, id := range live[1:] {
			if count[id] < count[best] {
				best = id
			}
		}
		return best
	}
	for _, k := range orphans {
		to := least()
		if err := n.write(ctx, e, k, assign[k], to); err != nil {
			return false, err
		}
		count[to]++
	}
	if !may || len(orphans) > 0 {
		return false, nil
	}
	most := live[0]
	for _, id := range live[1:] {
		if count[id] > count[most] {
			most = id
		}
	}
	to := least()
	if count[most]-count[to] <= 1 {
		return false, nil
	}
	for k := n.cfg.Containers - 1; k >= 0; k-- {
		if assign[k].Owner == most {
			return true, n.write(ctx, e, k, assign[k], to)
		}
	}
	return false, nil
}

// write gives container k to node to, if k's key is still as read and the
// election is still won with e.
func (n *Node) write(ctx context.Context, e *concurrency.Election, k int, old assignEntry, to string) error {
	key := fmt.Sprintf("%scontainers/%d", n.cfg.Prefix, k)
	b, _ := json.Marshal(Assignment{Owner: to, Epoch: old.Epoch + 1})
	resp, err := n.cfg.Client.Txn(ctx).If(
		clientv3.Compare(clientv3.CreateRevision(e.Key()), "=", e.Rev()),
		clientv3.Compare(clientv3.ModRevision(key), "=", old.mod),
	).Then(clientv3.OpPut(key, string(b))).Commit()
	if err != nil {
		return fmt.Errorf("assign container %d: %w", k, err)
	}
	if resp.Succeeded {
		n.log.Info("container assigned", "container", k, "from", old.Owner, "to", to, "epoch", old.Epoch+1)
	}
	return nil
}

// apply opens the containers assigned to this node and closes the others.
func (n *Node) apply() {
	defer n.wg.Done()
	retry := time.NewTimer(time.Hour)
	defer retry.Stop()
	for {
		select {
		case <-n.ctx.Done():
			return
		case <-n.kickApply:
		case <-retry.C:
		}
		if !n.applyOnce() {
			retry.Reset(time.Second)
		}
	}
}

// applyOnce brings the open containers in line with the assignment; it
// reports false if something failed and should be tried again.
func (n *Node) applyOnce() bool {
	me := n.cfg.Node.ID
	ok := true
	for k := range n.cfg.Containers {
		if n.ctx.Err() != nil {
			return true
		}
		n.mu.Lock()
		a, assigned := n.assign[k]
		mine := assigned && a.Owner == me
		cur, open := n.opened[k]
		failedAt, failed := n.failures[k]
		n.mu.Unlock()
		switch {
		case open && (!mine || cur != a.Epoch || (failed && failedAt == cur)):
			if err := n.cfg.Store.CloseContainer(k); err != nil {
				n.log.Warn("closing a container failed", "container", k, "err", err)
			}
			n.mu.Lock()
			delete(n.opened, k)
			n.mu.Unlock()
			n.log.Info("container closed", "container", k, "epoch", cur, "owner", a.Owner, "owner_epoch", a.Epoch)
			kick(n.kickApply)
		case !open && mine && failed && failedAt == a.Epoch:
			// It failed under this epoch: take a new one (the log may hold
			// this epoch's fence; a restart must not share it).
			if err := n.bump(k, a); err != nil {
				n.log.Warn("taking a new epoch for a failed container failed", "container", k, "err", err)
				ok = false
			}
		case !open && mine:
			ctx, cancel := context.WithTimeout(n.ctx, 2*time.Minute)
			err := n.cfg.Store.OpenContainer(ctx, k, a.Epoch)
			cancel()
			if err != nil {
				n.log.Warn("opening a container failed; retrying", "container", k, "epoch", a.Epoch, "err", err)
				ok = false
				continue
			}
			n.mu.Lock()
			n.opened[k] = a.Epoch
			n.notifyLocked()
			n.mu.Unlock()
			n.log.Info("container opened", "container", k, "epoch", a.Epoch)
		}
	}
	return ok
}

// bump gives container k, still assigned here, the next epoch.
func (n *Node) bump(k int, a assignEntry) error {
	key := fmt.Sprintf("%scontainers/%d", n.cfg.Prefix, k)
	b, _ := json.Marshal(Assignment{Owner: a.Owner, Epoch: a.Epoch + 1})
	ctx, cancel := context.WithTimeout(n.ctx, 5*time.Second)
	defer cancel()
	_, err := n.cfg.Client.Txn(ctx).If(clientv3.Compare(clientv3.ModRevision(key), "=", a.mod)).
		Then(clientv3.OpPut(key, string(b))).Commit()
	return err
}

// Failed tells the node that container k, open at epoch, failed (its log
// was fenced, or its storage failed for good): the node closes it, and
// opens it again under a new epoch if it is still assigned here. It does
// not block.
func (n *Node) Failed(k int, epoch uint64) {
	n.mu.Lock()
	n.failures[k] = epoch
	n.mu.Unlock()
	kick(n.kickApply)
}

// Owner returns who owns container k, and its epoch.
func (n *Node) Owner(k int) (NodeInfo, Assignment, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	a, ok := n.assign[k]
	if !ok {
		return NodeInfo{}, Assignment{}, false
	}
	ni, ok := n.nodes[a.Owner]
	return ni, a.Assignment, ok
}

// Self is this node's registration.
func (n *Node) Self() NodeInfo { return n.cfg.Node }

// Changed returns a channel closed at the next change of the cluster view.
func (n *Node) Changed() <-chan struct{} {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.changed
}

// View is a snapshot of the cluster as this node sees it.
type View struct {
	Enabled    bool              `json:"enabled"` // always true: a cluster's view
	Self       string            `json:"self"`
	Leader     string            `json:"leader"`
	Nodes      []NodeInfo        `json:"nodes"`
	Containers []ContainerView   `json:"containers"`
	Open       map[string]uint64 `json:"open"` // containers open on this node, by epoch
}

// ContainerView is one container's assignment.
type ContainerView struct {
	ID    int    `json:"id"`
	Owner string `json:"owner"`
	Epoch uint64 `json:"epoch"`
	Live  bool   `json:"live"` // the owner is a live member
}

// View returns the node's current view.
func (n *Node) View() View {
	n.mu.Lock()
	defer n.mu.Unlock()
	v := View{Enabled: true, Self: n.cfg.Node.ID, Open: map[string]uint64{}}
	var best int64
	for _, e := range n.election {
		if best == 0 || e.create < best {
			best, v.Leader = e.create, e.node
		}
	}
	for _, ni := range n.nodes {
		v.Nodes = append(v.Nodes, ni)
	}
	sort.Slice(v.Nodes, func(i, j int) bool { return v.Nodes[i].ID < v.Nodes[j].ID })
	for k := range n.cfg.Containers {
		a := n.assign[k]
		_, live := n.nodes[a.Owner]
		v.Containers = append(v.Containers, ContainerView{ID: k, Owner: a.Owner, Epoch: a.Epoch, Live: live})
	}
	for k, e := range n.opened {
		v.Open[strconv.Itoa(k)] = e
	}
	return v
}
