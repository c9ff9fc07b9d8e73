package meta

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

// TestConformance runs the Store contract against the embedded store; an
// etcd store will run the same function.
func TestConformance(t *testing.T) {
	s, err := OpenBolt(filepath.Join(t.TempDir(), "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	testStore(t, s)
}

func testStore(t *testing.T, s Store) {
	ctx := context.Background()
	if _, err := s.Get(ctx, "a"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get missing: %v", err)
	}
	v, err := s.Put(ctx, "a", []byte("1"), Absent)
	if err != nil || v != 1 {
		t.Fatalf("put: %d %v", v, err)
	}
	if _, err := s.Put(ctx, "a", []byte("x"), Absent); !errors.Is(err, ErrConflict) {
		t.Fatalf("put absent over existing: %v", err)
	}
	if v, err = s.Put(ctx, "a", []byte("2"), 1); err != nil || v != 2 {
		t.Fatalf("put v1: %d %v", v, err)
	}
	if _, err := s.Put(ctx, "a", []byte("3"), 1); !errors.Is(err, ErrConflict) {
		t.Fatalf("stale put: %v", err)
	}
	s.Put(ctx, "ab", []byte("x"), Any)
	s.Put(ctx, "b", []byte("y"), Any)
	kvs, err := s.List(ctx, "a")
	if err != nil || len(kvs) != 2 || kvs[0].Key != "a" || string(kvs[0].Value) != "2" || kvs[1].Key != "ab" {
		t.Fatalf("list: %+v %v", kvs, err)
	}
	if err := s.Delete(ctx, "a", 1); !errors.Is(err, ErrConflict) {
		t.Fatalf("stale delete: %v", err)
	}
	if err := s.Delete(ctx, "a", 2); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "a", Any); !errors.Is(err, ErrNotFound) {
		t.Fatalf("delete missing: %v", err)
	}
}
