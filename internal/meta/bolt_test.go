package meta

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestConformance runs the Store contract against the embedded store;
// etcd_test.go runs it against etcd.
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

// TestOpenErrors: only a lock that stays taken speaks of another server; a
// directory braid may not write says so.
func TestOpenErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "meta.db")
	b, err := OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.db.Close()
	if _, err := OpenBolt(path); err == nil || !strings.Contains(err.Error(), "still locked after 2s: is another braid server using this data directory?") {
		t.Errorf("second open: %v", err)
	}
	err = openError(path, &fs.PathError{Op: "open", Path: path, Err: syscall.EACCES})
	if !strings.Contains(err.Error(), "permission denied: braid must be able to write its data directory") || strings.Contains(err.Error(), "another") {
		t.Errorf("permission: %v", err)
	}
	if err := openError(path, syscall.EROFS); !strings.Contains(err.Error(), "must be able to write") {
		t.Errorf("read-only file system: %v", err)
	}
}
