package cluster

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/cluster/etcdtest"
)

// fakeStore records what a node opens, and fails the test if a container
// is opened twice or closed when not open.
type fakeStore struct {
	t    *testing.T
	mu   sync.Mutex
	open map[int]uint64
}

func (f *fakeStore) OpenContainer(_ context.Context, id int, epoch uint64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if e, ok := f.open[id]; ok {
		f.t.Errorf("container %d opened at epoch %d while open at %d", id, epoch, e)
	}
	f.open[id] = epoch
	return nil
}

func (f *fakeStore) CloseContainer(id int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.open[id]; !ok {
		f.t.Errorf("container %d closed while not open", id)
	}
	delete(f.open, id)
	return nil
}

type member struct {
	n     *Node
	store *fakeStore
}

func join(t *testing.T, srv *etcdtest.Server, id string, containers int) *member {
	t.Helper()
	st := &fakeStore{t: t, open: map[int]uint64{}}
	n, err := Start(context.Background(), Config{
		Client: srv.Client(), Node: NodeInfo{ID: id, GRPC: id + ":1"}, Containers: containers,
		LeaseTTL: 2 * time.Second, RebalanceEvery: 100 * time.Millisecond, Store: st,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &member{n: n, store: st}
}

// settled waits until the assignment gives every container to one of
// want's nodes, evenly (within one), and each node has open exactly what
// it is assigned, at the assigned epoch.
func settled(t *testing.T, containers int, want ...*member) View {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		v, why := check(containers, want)
		if why == "" {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("cluster did not settle in 30s: %s\nview: %+v", why, v)
		}
		select {
		case <-want[0].n.Changed():
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func check(containers int, ms []*member) (View, string) {
	v := ms[0].n.View()
	byID := map[string]*member{}
	for _, m := range ms {
		byID[m.n.Self().ID] = m
	}
	count := map[string]int{}
	for _, c := range v.Containers {
		m := byID[c.Owner]
		if m == nil {
			return v, fmt.Sprintf("container %d owned by %q, not a live node", c.ID, c.Owner)
		}
		m.store.mu.Lock()
		e, ok := m.store.open[c.ID]
		m.store.mu.Unlock()
		if !ok || e != c.Epoch {
			return v, fmt.Sprintf("container %d: assigned to %s at epoch %d, open there: %v at %d", c.ID, c.Owner, c.Epoch, ok, e)
		}
		count[c.Owner]++
	}
	for _, m := range ms {
		m.store.mu.Lock()
		n := len(m.store.open)
		m.store.mu.Unlock()
		if n != count[m.n.Self().ID] {
			return v, fmt.Sprintf("%s has %d open, is assigned %d", m.n.Self().ID, n, count[m.n.Self().ID])
		}
		if c := count[m.n.Self().ID]; c < containers/len(ms) || c > (containers+len(ms)-1)/len(ms) {
			return v, fmt.Sprintf("%s is assigned %d of %d", m.n.Self().ID, c, containers)
		}
	}
	return v, ""
}

// TestAssignmentFollowsMembership: containers spread over the nodes that
// join; a node that leaves (or whose lease lapses) has its containers moved
// under higher epochs; a node started again takes new epochs.
func TestAssignmentFollowsMembership(t *testing.T) {
	srv := etcdtest.Start(t)
	const k = 8
	a := join(t, srv, "a", k)
	settled(t, k, a)
	b := join(t, srv, "b", k)
	c := join(t, srv, "c", k)
	v := settled(t, k, a, b, c)
	if v.Leader != "a" {
		t.Errorf("leader %q, want a (the first to join)", v.Leader)
	}
	before := map[int]uint64{}
	for _, c := range v.Containers {
		before[c.ID] = c.Epoch
	}

	// The leader leaves: b or c leads, and a's containers move.
	a.n.Close()
	v = settled(t, k, b, c)
	if v.Leader != "b" && v.Leader != "c" {
		t.Errorf("leader after a left: %q", v.Leader)
	}
	for _, c := range v.Containers {
		if c.Epoch < before[c.ID] {
			t.Errorf("container %d went back from epoch %d to %d", c.ID, before[c.ID], c.Epoch)
		}
	}

	// A node with another container count is refused.
	if _, err := Start(context.Background(), Config{Client: srv.Client(), Node: NodeInfo{ID: "x", GRPC: "x:1"}, Containers: k + 1, Store: &fakeStore{t: t}}); err == nil {
		t.Error("a node with another container count joined")
	}

	// A failed container is opened again under a new epoch.
	v = b.n.View()
	var mine ContainerView
	for _, c := range v.Containers {
		if c.Owner == "b" {
			mine = c
			break
		}
	}
	b.n.Failed(mine.ID, mine.Epoch)
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, a, _ := b.n.Owner(mine.ID)
		b.store.mu.Lock()
		e := b.store.open[mine.ID]
		b.store.mu.Unlock()
		if a.Epoch > mine.Epoch && e == a.Epoch {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("failed container %d: assignment %+v, open at %d", mine.ID, a, e)
		}
		time.Sleep(20 * time.Millisecond)
	}
	b.n.Close()
	c.n.Close()
}

// TestEtcdDownKeepsContainers: while etcd is down, nodes keep what they
// have open; when it is back, the cluster settles again.
func TestEtcdDownKeepsContainers(t *testing.T) {
	srv := etcdtest.Start(t)
	const k = 4
	a, b := join(t, srv, "a", k), join(t, srv, "b", k)
	settled(t, k, a, b)
	srv.Stop()
	// Longer than the lease TTL: what is asserted is that nothing is
	// dropped meanwhile, so this is a span to outlast, not a condition.
	time.Sleep(3 * time.Second)
	for _, m := range []*member{a, b} {
		m.store.mu.Lock()
		n := len(m.store.open)
		m.store.mu.Unlock()
		if n != k/2 {
			t.Errorf("%s has %d open with etcd down, want %d", m.n.Self().ID, n, k/2)
		}
	}
	srv.Restart()
	settled(t, k, a, b)
	a.n.Close()
	b.n.Close()
}
