package segstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/braidstream/braid/wire"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func openTest(t *testing.T, dir string, mod func(*Options)) *Store {
	t.Helper()
	o := Options{Dir: dir, WALFileSize: 64 << 20, Containers: 2}
	if mod != nil {
		mod(&o)
	}
	s, err := Open(context.Background(), o)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return s
}

func frames(payloads ...string) []byte {
	var b []byte
	for _, p := range payloads {
		b = wire.AppendFrame(b, []byte(p))
	}
	return b
}

func readAll(t *testing.T, s *Store, name string) []string {
	t.Helper()
	var out []string
	off := int64(0)
	for {
		r, err := s.Read(context.Background(), name, off, 1<<20, false)
		if err != nil {
			t.Fatalf("read %s at %d: %v", name, off, err)
		}
		if len(r.Data) == 0 {
			return out
		}
		wire.ScanFrames(r.Data, 1<<30, func(_ int, p []byte) error { out = append(out, string(p)); return nil })
		off += int64(len(r.Data))
	}
}

func TestAppendReadRecover(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openTest(t, dir, nil)
	if err := s.Create(ctx, "a/b/0"); err != nil {
		t.Fatal(err)
	}
	if err := s.Create(ctx, "a/b/0"); !errors.Is(err, ErrExists) {
		t.Fatalf("second create: %v, want ErrExists", err)
	}
	var want []string
	for i := 0; i < 100; i++ {
		p1, p2 := fmt.Sprintf("e%d-1", i), fmt.Sprintf("e%d-2", i)
		r, err := s.AppendWait(ctx, "a/b/0", AppendRequest{Writer: "w1", FirstEvent: int64(2*i + 1), Events: 2, Data: frames(p1, p2)})
		if err != nil {
			t.Fatal(err)
		}
		if r.Duplicate {
			t.Fatal("unexpected duplicate")
		}
		want = append(want, p1, p2)
	}
	// A retry of the last append is acknowledged with its offset, not stored.
	info, _ := s.Info(ctx, "a/b/0")
	r, err := s.AppendWait(ctx, "a/b/0", AppendRequest{Writer: "w1", FirstEvent: 199, Events: 2, Data: frames("e99-1", "e99-2")})
	if err != nil || !r.Duplicate || r.Offset != info.Length-int64(len(frames("e99-1", "e99-2"))) {
		t.Fatalf("retry: %+v %v", r, err)
	}
	if _, err := s.AppendWait(ctx, "a/b/0", AppendRequest{Writer: "w1", FirstEvent: 205, Events: 1, Data: frames("x")}); !errors.Is(err, ErrEventNumberGap) {
		t.Fatalf("gap: %v", err)
	}
	got := readAll(t, s, "a/b/0")
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("read %d events, want %d", len(got), len(want))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Restart: from the checkpoint written at close.
	s = openTest(t, dir, nil)
	if got := readAll(t, s, "a/b/0"); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after restart read %d events, want %d", len(got), len(want))
	}
	if _, err := s.AppendWait(ctx, "a/b/0", AppendRequest{Writer: "w1", FirstEvent: 201, Events: 1, Data: frames("more")}); err != nil {
		t.Fatal(err)
	}
	want = append(want, "more")
	s.Close()
	s = openTest(t, dir, nil)
	defer s.Close()
	if got := readAll(t, s, "a/b/0"); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after second restart read %d events, want %d", len(got), len(want))
	}
}

func TestTailWait(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir(), nil)
	defer s.Close()
	s.Create(ctx, "s/t/1")
	got := make(chan ReadResult, 1)
	go func() {
		r, err := s.Read(ctx, "s/t/1", 0, 1024, true)
		if err != nil {
			t.Error(err)
		}
		got <- r
	}()
	if _, err := s.AppendWait(ctx, "s/t/1", AppendRequest{Events: 1, Data: frames("hello")}); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-got:
		if !bytes.Equal(r.Data, frames("hello")) {
			t.Fatalf("tail read %q", r.Data)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("tail reader never woke")
	}
	cctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := s.Read(cctx, "s/t/1", int64(len(frames("hello"))), 1024, true); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("read at tail with deadline: %v", err)
	}
}

// mustContainer returns the open container holding segment name.
func mustContainer(t testing.TB, s *Store, name string) *container {
	t.Helper()
	c, err := s.container(name)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
