// Package tier2test is the conformance suite for tier2.Store
// implementations: every backend runs Run in its tests.
package tier2test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/braidstream/braid/internal/tier2"
)

// Run checks a Store against the tier2.Store contract. newStore returns an
// empty store; it is called once per subtest.
func Run(t *testing.T, newStore func(t *testing.T) tier2.Store) {
	ctx := context.Background()
	t.Run("PutGetStat", func(t *testing.T) {
		s := newStore(t)
		data := []byte("hello, tier two")
		if err := s.Put(ctx, "a/b/c.chunk", data); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			off, n int64
			want   string
		}{
			{0, -1, "hello, tier two"}, {7, 4, "tier"}, {7, -1, "tier two"},
			{10, 100, "r two"}, {15, -1, ""}, {100, 5, ""}, {0, 0, ""},
		} {
			got, err := s.GetRange(ctx, "a/b/c.chunk", tc.off, tc.n)
			if err != nil || string(got) != tc.want {
				t.Errorf("GetRange(%d, %d) = %q, %v; want %q", tc.off, tc.n, got, err, tc.want)
			}
		}
		info, err := s.Stat(ctx, "a/b/c.chunk")
		if err != nil || info.Size != int64(len(data)) || info.Key != "a/b/c.chunk" {
			t.Fatalf("Stat = %+v, %v", info, err)
		}
		// Replacing an object replaces it whole.
		if err := s.Put(ctx, "a/b/c.chunk", []byte("x")); err != nil {
			t.Fatal(err)
		}
		if got, err := s.GetRange(ctx, "a/b/c.chunk", 0, -1); err != nil || string(got) != "x" {
			t.Fatalf("after replace: %q, %v", got, err)
		}
		// An empty object exists.
		if err := s.Put(ctx, "empty", nil); err != nil {
			t.Fatal(err)
		}
		if info, err := s.Stat(ctx, "empty"); err != nil || info.Size != 0 {
			t.Fatalf("Stat(empty) = %+v, %v", info, err)
		}
	})
	t.Run("Binary", func(t *testing.T) {
		s := newStore(t)
		data := make([]byte, 3<<20+17)
		for i := range data {
			data[i] = byte(i * 7)
		}
		if err := s.Put(ctx, "big/0000000000000000", data); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetRange(ctx, "big/0000000000000000", 1<<20, 1<<20)
		if err != nil || !bytes.Equal(got, data[1<<20:2<<20]) {
			t.Fatalf("range of a 3 MiB object: %d bytes, %v", len(got), err)
		}
		got, err = s.GetRange(ctx, "big/0000000000000000", 0, -1)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("whole object: %d bytes, %v", len(got), err)
		}
	})
	t.Run("NotFound", func(t *testing.T) {
		s := newStore(t)
		if _, err := s.GetRange(ctx, "nope", 0, -1); !errors.Is(err, tier2.ErrNotFound) {
			t.Errorf("GetRange missing: %v", err)
		}
		if _, err := s.Stat(ctx, "nope/deeper"); !errors.Is(err, tier2.ErrNotFound) {
			t.Errorf("Stat missing: %v", err)
		}
		if err := s.Delete(ctx, "nope"); err != nil {
			t.Errorf("Delete missing: %v", err)
		}
		s.Put(ctx, "dir/obj", []byte("x"))
		if _, err := s.Stat(ctx, "dir"); !errors.Is(err, tier2.ErrNotFound) {
			t.Errorf("Stat of a key prefix: %v, want ErrNotFound", err)
		}
	})
	t.Run("List", func(t *testing.T) {
		s := newStore(t)
		keys := []string{"s/a/0002", "s/a/0001", "s/a.b", "s/a/0010", "s/b/0001", "t/x", "s/a-z"}
		for i, k := range keys {
			if err := s.Put(ctx, k, bytes.Repeat([]byte{'x'}, i)); err != nil {
				t.Fatal(err)
			}
		}
		list := func(prefix, after string, limit int) string {
			t.Helper()
			got, err := s.List(ctx, prefix, after, limit)
			if err != nil {
				t.Fatalf("List(%q, %q, %d): %v", prefix, after, limit, err)
			}
			var out []string
			for _, o := range got {
				out = append(out, fmt.Sprintf("%s:%d", o.Key, o.Size))
			}
			return fmt.Sprint(out)
		}
		for _, tc := range []struct {
			prefix, after string
			limit         int
			want          string
		}{
			{"s/", "", 0, "[s/a-z:6 s/a.b:2 s/a/0001:1 s/a/0002:0 s/a/0010:3 s/b/0001:4]"},
			{"s/a/", "", 0, "[s/a/0001:1 s/a/0002:0 s/a/0010:3]"},
			{"s/a/", "s/a/0001", 0, "[s/a/0002:0 s/a/0010:3]"},
			{"s/a/", "", 2, "[s/a/0001:1 s/a/0002:0]"},
			{"s/a", "", 0, "[s/a-z:6 s/a.b:2 s/a/0001:1 s/a/0002:0 s/a/0010:3]"},
			{"s/a/00", "", 0, "[s/a/0001:1 s/a/0002:0 s/a/0010:3]"},
			{"", "", 0, "[s/a-z:6 s/a.b:2 s/a/0001:1 s/a/0002:0 s/a/0010:3 s/b/0001:4 t/x:5]"},
			{"zz/", "", 0, "[]"},
		} {
			if got := list(tc.prefix, tc.after, tc.limit); got != tc.want {
				t.Errorf("List(%q, %q, %d) = %s, want %s", tc.prefix, tc.after, tc.limit, got, tc.want)
			}
		}
		if err := s.Delete(ctx, "s/a/0002"); err != nil {
			t.Fatal(err)
		}
		if got := list("s/a/", "", 0); got != "[s/a/0001:1 s/a/0010:3]" {
			t.Errorf("after delete: %s", got)
		}
	})
	t.Run("BadKeys", func(t *testing.T) {
		s := newStore(t)
		for _, k := range []string{"", "/a", "a/", "a//b", "a/../b", "..", "a/./b", "a b", "a\x00", "é", "a~b", string(make([]byte, 2000))} {
			if err := s.Put(ctx, k, []byte("x")); !errors.Is(err, tier2.ErrInvalidKey) {
				t.Errorf("Put(%q): %v, want ErrInvalidKey", k, err)
			}
			if _, err := s.GetRange(ctx, k, 0, -1); !errors.Is(err, tier2.ErrInvalidKey) {
				t.Errorf("GetRange(%q): %v, want ErrInvalidKey", k, err)
			}
		}
	})
	t.Run("Canceled", func(t *testing.T) {
		s := newStore(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := s.Put(cctx, "k", []byte("x")); !errors.Is(err, context.Canceled) {
			t.Errorf("Put with a canceled context: %v", err)
		}
		if _, err := s.List(cctx, "", "", 0); !errors.Is(err, context.Canceled) {
			t.Errorf("List with a canceled context: %v", err)
		}
	})
	t.Run("Concurrent", func(t *testing.T) {
		s := newStore(t)
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for g := 0; g < 8; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				for i := 0; i < 20; i++ {
					k := fmt.Sprintf("c/%d/%04d", g, i)
					want := []byte(k)
					if err := s.Put(ctx, k, want); err != nil {
						errs <- err
						return
					}
					got, err := s.GetRange(ctx, k, 0, -1)
					if err != nil || !bytes.Equal(got, want) {
						errs <- fmt.Errorf("read back %s: %q, %v", k, got, err)
						return
					}
				}
			}(g)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		got, err := s.List(ctx, "c/", "", 1000)
		if err != nil || len(got) != 160 {
			t.Fatalf("List after concurrent puts: %d objects, %v", len(got), err)
		}
	})
}
