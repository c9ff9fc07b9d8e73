package peer

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"testing"

	"google.golang.org/grpc"

	clusterv1 "github.com/braidstream/braid/api/braid/cluster/v1"
	"github.com/braidstream/braid/internal/storage/segstore"
	"github.com/braidstream/braid/wire"
)

const containers = 4

// owners gives even containers to node 0 and odd ones to node 1.
type owners struct {
	self  int
	addrs [2]string
}

func (o *owners) Owner(k int) (string, bool, bool) { return o.addrs[k%2], k%2 == o.self, true }

type node struct {
	store  *segstore.Store
	router *Router
}

// twoNodes starts two stores, each owning half the containers, each with
// its peer service on a loopback port and a router.
func twoNodes(t *testing.T) [2]*node {
	t.Helper()
	var ns [2]*node
	var addrs [2]string
	ctx := context.Background()
	for i := range 2 {
		st, err := segstore.Open(ctx, segstore.Options{Dir: t.TempDir(), Containers: containers, Owned: true})
		if err != nil {
			t.Fatal(err)
		}
		for k := i; k < containers; k += 2 {
			if err := st.OpenContainer(ctx, k, 1); err != nil {
				t.Fatal(err)
			}
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		g := grpc.NewServer()
		clusterv1.RegisterPeerServiceServer(g, NewServer(st, nil))
		go g.Serve(ln)
		addrs[i] = ln.Addr().String()
		ns[i] = &node{store: st}
		t.Cleanup(func() { g.Stop(); st.Close() })
	}
	for i := range 2 {
		ns[i].router = NewRouter(ns[i].store, &owners{self: i, addrs: addrs}, containers, 0, nil)
		t.Cleanup(func() { ns[i].router.Close() })
	}
	return ns
}

// segmentOn returns a segment name whose container node i owns.
func segmentOn(i int, tag string) string {
	for n := 0; ; n++ {
		name := fmt.Sprintf("s/%s/%016x", tag, n)
		if segstore.ContainerOf(name, containers)%2 == i {
			return name
		}
	}
}

// TestForwarding: through node 0's router, a segment node 1 owns is
// created, appended to in order by a pipelined writer, read, read by
// pointer, sealed; node 1 sees the same; the owner's errors arrive as
// themselves.
func TestForwarding(t *testing.T) {
	ns := twoNodes(t)
	ctx := context.Background()
	r := ns[0].router
	name := segmentOn(1, "fwd")
	if err := r.Create(ctx, name); err != nil {
		t.Fatal(err)
	}
	if err := r.Create(ctx, name); !errors.Is(err, segstore.ErrExists) {
		t.Fatalf("create twice: %v", err)
	}
	if _, err := ns[0].store.Info(ctx, name); !errors.Is(err, segstore.ErrNotOwner) {
		t.Fatalf("node 0's own store has the segment: %v", err)
	}

	// 500 appends in flight at once, numbered: any reordering on the way
	// would be an event-number gap.
	const n = 500
	var wg sync.WaitGroup
	errs := make(chan error, n)
	offsets := make([]int64, n)
	for i := range n {
		wg.Add(1)
		data := wire.AppendFrame(nil, fmt.Appendf(nil, "event %d", i))
		r.Append(ctx, name, segstore.AppendRequest{Writer: "w", FirstEvent: int64(i + 1), Events: 1, Data: data},
			func(res segstore.Result, err error) {
				offsets[i] = res.Offset
				errs <- err
				wg.Done()
			})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i < n; i++ {
		if offsets[i] <= offsets[i-1] {
			t.Fatalf("append %d at %d, after %d at %d", i, offsets[i], i-1, offsets[i-1])
		}
	}
	// A retry of the last is a duplicate, as on the owner.
	res, err := r.AppendWait(ctx, name, segstore.AppendRequest{Writer: "w", FirstEvent: n, Events: 1, Data: wire.AppendFrame(nil, []byte("again"))})
	if err != nil || !res.Duplicate {
		t.Fatalf("retried append: %+v %v", res, err)
	}
	if last, err := r.WriterLast(ctx, name, "w"); err != nil || last != n {
		t.Fatalf("writer last: %d %v", last, err)
	}
	// A gap is the owner's gap error.
	if _, err := r.AppendWait(ctx, name, segstore.AppendRequest{Writer: "w", FirstEvent: n + 5, Events: 1, Data: wire.AppendFrame(nil, []byte("x"))}); !errors.Is(err, segstore.ErrEventNumberGap) {
		t.Fatalf("gap: %v", err)
	}

	got := 0
	for off := int64(0); ; {
		rr, err := r.Read(ctx, name, off, 1<<20, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(rr.Data) == 0 {
			break
		}
		for b := rr.Data; len(b) > 0; {
			p, size, err := wire.DecodeFrame(b, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			if want := fmt.Sprintf("event %d", got); string(p) != want {
				t.Fatalf("event %d reads %q", got, p)
			}
			got++
			b = b[size:]
		}
		off = rr.Offset + int64(len(rr.Data))
	}
	if got != n {
		t.Fatalf("read %d events, want %d", got, n)
	}
	// Commit times come from the owner's time index, as they would there.
	end := offsets[n-1] + int64(wire.FrameSize(len(fmt.Sprint("event ", n-1))))
	want, err := ns[1].store.CommitTimes(ctx, name, 0, end)
	if err != nil || len(want) == 0 {
		t.Fatalf("the owner's commit times: %v %v", want, err)
	}
	if ts, err := r.CommitTimes(ctx, name, 0, end); err != nil || fmt.Sprint(ts) != fmt.Sprint(want) {
		t.Fatalf("forwarded commit times: %v %v, want %v", ts, err, want)
	}
	ev, err := r.ReadEvent(ctx, name, offsets[7], wire.FrameSize(len("event 7")))
	if err != nil || string(ev) != "event 7" {
		t.Fatalf("read event: %q %v", ev, err)
	}
	if _, err := r.ReadEvent(ctx, name, offsets[7]+1, 8); err == nil {
		t.Fatal("read event at a bad pointer succeeded")
	}
	length, err := r.Seal(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	info, err := ns[1].store.Info(ctx, name)
	if err != nil || !info.Sealed || info.Length != length {
		t.Fatalf("owner's info after seal: %+v %v (sealed at %d)", info, err, length)
	}
	if _, err := r.AppendWait(ctx, name, segstore.AppendRequest{Events: 1, Data: wire.AppendFrame(nil, []byte("late"))}); !errors.Is(err, segstore.ErrSealed) {
		t.Fatalf("append after seal: %v", err)
	}
	if err := r.Truncate(ctx, name, offsets[10]); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Read(ctx, name, 0, 100, false); !errors.Is(err, segstore.ErrTruncated) {
		t.Fatalf("read below truncation: %v", err)
	}
	if err := r.Delete(ctx, name); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Info(ctx, name); !errors.Is(err, segstore.ErrNotFound) {
		t.Fatalf("info after delete: %v", err)
	}
}

// TestOwnerGone: when the owner's peer service stops, forwarded calls fail
// with ErrNotOwner (clients retry it), appends in flight included.
func TestOwnerGone(t *testing.T) {
	ctx := context.Background()
	st, err := segstore.Open(ctx, segstore.Options{Dir: t.TempDir(), Containers: containers, Owned: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nobody answers there
	r := NewRouter(st, &owners{self: 0, addrs: [2]string{"", addr}}, containers, 0, nil)
	defer r.Close()
	name := segmentOn(1, "gone")
	if err := r.Create(ctx, name); !errors.Is(err, segstore.ErrNotOwner) {
		t.Fatalf("create at a dead owner: %v", err)
	}
	if _, err := r.AppendWait(ctx, name, segstore.AppendRequest{Events: 1, Data: wire.AppendFrame(nil, []byte("x"))}); !errors.Is(err, segstore.ErrNotOwner) {
		t.Fatalf("append at a dead owner: %v", err)
	}
}
