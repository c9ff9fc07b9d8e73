package segstore

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

// TestSparseEventNumbers: an append with LastEvent set may skip numbers;
// a retry is still a duplicate, an overlap still an error, and the
// writer's last number survives a restart.
func TestSparseEventNumbers(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openTest(t, dir, nil)
	if err := s.Create(ctx, "a/b/0"); err != nil {
		t.Fatal(err)
	}
	app := func(first, last int64, payloads ...string) (Result, error) {
		return s.AppendWait(ctx, "a/b/0", AppendRequest{Writer: "w", FirstEvent: first, LastEvent: last, Events: len(payloads), Data: frames(payloads...)})
	}
	if _, err := app(3, 7, "e3", "e7"); err != nil {
		t.Fatal(err)
	}
	if _, err := app(10, 10, "e10"); err != nil {
		t.Fatalf("a sparse run may start after a gap: %v", err)
	}
	r, err := app(3, 7, "e3", "e7")
	if err != nil || !r.Duplicate || r.Offset != 0 {
		t.Fatalf("retry: %+v %v, want a duplicate at offset 0", r, err)
	}
	if _, err := app(9, 12, "e9", "e12"); !errors.Is(err, ErrEventNumberOverlap) {
		t.Fatalf("overlap: %v", err)
	}
	if _, err := app(20, 20, "a", "b"); !errors.Is(err, ErrBadEvents) {
		t.Fatalf("two events numbered 20..20: %v", err)
	}
	if _, err := s.AppendWait(ctx, "a/b/0", AppendRequest{Writer: "w", FirstEvent: 14, Events: 1, Data: frames("x")}); !errors.Is(err, ErrEventNumberGap) {
		t.Fatalf("a consecutive append still refuses a gap: %v", err)
	}
	if got := fmt.Sprint(readAll(t, s, "a/b/0")); got != "[e3 e7 e10]" {
		t.Fatalf("read %s", got)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir, nil)
	if last, err := s.WriterLast(ctx, "a/b/0", "w"); err != nil || last != 10 {
		t.Fatalf("after restart WriterLast = %d, %v; want 10", last, err)
	}
	if r, err := app(10, 10, "e10"); err != nil || !r.Duplicate {
		t.Fatalf("retry after restart: %+v %v", r, err)
	}
	s.Close()
}
