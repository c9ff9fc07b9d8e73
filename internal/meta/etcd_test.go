package meta

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/cluster/etcdtest"
)

// TestEtcdConformance runs the Store contract against a real etcd member,
// and a List longer than one page.
func TestEtcdConformance(t *testing.T) {
	srv := etcdtest.Start(t)
	s := NewEtcd(srv.Client(), "/braid/v1/meta/")
	defer s.Close()
	testStore(t, s)

	ctx := context.Background()
	const n = 1234 // more than two pages
	for i := range n {
		if _, err := s.Put(ctx, fmt.Sprintf("many/%05d", i), []byte{byte(i)}, Absent); err != nil {
			t.Fatal(err)
		}
	}
	kvs, err := s.List(ctx, "many/")
	if err != nil || len(kvs) != n {
		t.Fatalf("list: %d entries, %v", len(kvs), err)
	}
	for i, kv := range kvs {
		if kv.Key != fmt.Sprintf("many/%05d", i) || kv.Version != 1 || kv.Value[0] != byte(i) {
			t.Fatalf("entry %d: %+v", i, kv)
		}
	}
	// Another prefix in the same etcd does not see these keys.
	other := NewEtcd(srv.Client(), "/other/")
	defer other.Close()
	if kvs, err := other.List(ctx, ""); err != nil || len(kvs) != 0 {
		t.Fatalf("other prefix: %d entries, %v", len(kvs), err)
	}
}

// TestEtcdCopy: two stores on one etcd, as two nodes: a write on one
// reaches the other's reads; a CAS against a stale read conflicts and
// refreshes the key; with etcd down reads go on from the copy and writes
// fail; with etcd back, writes work again and reach the other.
func TestEtcdCopy(t *testing.T) {
	srv := etcdtest.Start(t)
	ctx := context.Background()
	a, b := NewEtcd(srv.Client(), "/m/"), NewEtcd(srv.Client(), "/m/")
	defer a.Close()
	defer b.Close()
	eventually := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not within 10s", what)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	if _, err := a.Put(ctx, "k", []byte("1"), Absent); err != nil {
		t.Fatal(err)
	}
	eventually("b sees a's write", func() bool { kv, err := b.Get(ctx, "k"); return err == nil && string(kv.Value) == "1" })
	if _, err := a.Put(ctx, "k", []byte("2"), 1); err != nil {
		t.Fatal(err)
	}
	// b may not have seen version 2: whatever it read, a CAS against
	// version 1 fails, and the key is then current in b's copy.
	if _, err := b.Put(ctx, "k", []byte("b"), 1); !errors.Is(err, ErrConflict) {
		t.Fatalf("stale CAS: %v", err)
	}
	if kv, err := b.Get(ctx, "k"); err != nil || kv.Version != 2 || string(kv.Value) != "2" {
		t.Fatalf("after the conflict b reads %+v, %v", kv, err)
	}
	if err := a.Delete(ctx, "k", 2); err != nil {
		t.Fatal(err)
	}
	eventually("b sees the delete", func() bool { _, err := b.Get(ctx, "k"); return errors.Is(err, ErrNotFound) })

	if _, err := a.Put(ctx, "x/1", []byte("one"), Absent); err != nil {
		t.Fatal(err)
	}
	eventually("b lists x/1", func() bool { kvs, _ := b.List(ctx, "x/"); return len(kvs) == 1 })
	srv.Stop()
	if kvs, err := b.List(ctx, "x/"); err != nil || len(kvs) != 1 {
		t.Fatalf("list with etcd down: %v %v", kvs, err)
	}
	if kv, err := a.Get(ctx, "x/1"); err != nil || string(kv.Value) != "one" {
		t.Fatalf("get with etcd down: %+v %v", kv, err)
	}
	wctx, cancel := context.WithTimeout(ctx, time.Second)
	_, err := a.Put(wctx, "x/2", []byte("two"), Absent)
	cancel()
	if err == nil {
		t.Fatal("a write with etcd down succeeded")
	}
	srv.Restart()
	eventually("a write once etcd is back", func() bool {
		wctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		_, err := a.Put(wctx, "x/2", []byte("two"), Any)
		return err == nil
	})
	eventually("b lists x/2", func() bool { kvs, _ := b.List(ctx, "x/"); return len(kvs) == 2 })
}

// TestEtcdGetFresh: what one copy wrote, another reads at once with
// GetFresh (from etcd itself), whatever its watch has delivered; with
// etcd down, GetFresh falls back to the copy.
func TestEtcdGetFresh(t *testing.T) {
	srv := etcdtest.Start(t)
	ctx := context.Background()
	a, b := NewEtcd(srv.Client(), "/f/"), NewEtcd(srv.Client(), "/f/")
	defer a.Close()
	defer b.Close()
	for i := range 50 {
		k := fmt.Sprintf("k%d", i)
		if _, err := a.Put(ctx, k, []byte(k), Absent); err != nil {
			t.Fatal(err)
		}
		kv, err := GetFresh(ctx, b, k)
		if err != nil || string(kv.Value) != k || kv.Version != 1 {
			t.Fatalf("b's fresh read of %s just written by a: %+v %v", k, kv, err)
		}
		if err := a.Delete(ctx, k, 1); err != nil {
			t.Fatal(err)
		}
		if _, err := GetFresh(ctx, b, k); !errors.Is(err, ErrNotFound) {
			t.Fatalf("b's fresh read of %s just deleted by a: %v", k, err)
		}
	}
	if _, err := a.Put(ctx, "kept", []byte("v"), Absent); err != nil {
		t.Fatal(err)
	}
	if _, err := GetFresh(ctx, b, "kept"); err != nil {
		t.Fatal(err)
	}
	srv.Stop()
	gctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if kv, err := GetFresh(gctx, b, "kept"); err != nil || string(kv.Value) != "v" {
		t.Fatalf("with etcd down, the copy answers: %+v %v", kv, err)
	}
}
