package meta

import (
	"context"
	"fmt"
	"testing"

	"github.com/braidstream/braid/internal/cluster/etcdtest"
)

// TestEtcdConformance runs the Store contract against a real etcd member,
// and a List longer than one page.
func TestEtcdConformance(t *testing.T) {
	srv := etcdtest.Start(t)
	s := NewEtcd(srv.Client(), "/braid/v1/meta/")
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
	if kvs, err := other.List(ctx, ""); err != nil || len(kvs) != 0 {
		t.Fatalf("other prefix: %d entries, %v", len(kvs), err)
	}
}
