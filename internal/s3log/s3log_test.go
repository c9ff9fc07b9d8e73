package s3log

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/braidstream/braid/internal/storage/segstore"
	"github.com/braidstream/braid/internal/storage/wal"
	"github.com/braidstream/braid/internal/tier2/s3"
)

func bucket(t *testing.T) *s3.Store {
	t.Helper()
	backend := s3mem.New()
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	if err := backend.CreateBucket("log"); err != nil {
		t.Fatal(err)
	}
	st, err := s3.New(context.Background(), s3.Config{Bucket: "log", Endpoint: srv.URL, AccessKey: "a", SecretKey: "b", PathStyle: true})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// replay opens the log for epoch and returns the non-empty payloads it
// replays from lsn.
func replay(t *testing.T, b Bucket, epoch, lsn, ckEpoch uint64) (*Log, []string, error) {
	t.Helper()
	l, err := Open(Options{Bucket: b, Container: 3, Epoch: epoch})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	err = l.Replay(context.Background(), segstore.LogStart{LSN: lsn, Epoch: ckEpoch}, func(_ uint64, _ wal.Position, p []byte) error {
		if len(p) > 0 {
			got = append(got, string(p))
		}
		return nil
	}, nil)
	return l, got, err
}

func TestRoundTripAndTakeover(t *testing.T) {
	b := bucket(t)
	a, got, err := replay(t, b, 1, 1, 0)
	if err != nil || len(got) != 0 {
		t.Fatal(got, err)
	}
	var want []string
	for i := range 40 {
		p := fmt.Sprintf("record %d", i)
		if _, err := a.Append([]byte(p), true); err != nil {
			t.Fatal(err)
		}
		want = append(want, p)
	}
	// A new owner takes over while a is still running (a zombie).
	n, got, err := replay(t, b, 2, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("replayed %q, want %q", got, want)
	}
	// The zombie's next write meets the fence and fails for good.
	if _, err := a.Append([]byte("zombie"), true); !errors.Is(err, segstore.ErrFenced) || !errors.Is(err, wal.ErrFailed) {
		t.Fatalf("zombie append: %v, want ErrFenced", err)
	}
	afterLSN, err := n.Append([]byte("after"), true)
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, "after")
	// Truncation keeps the last slot (and writes its mark after it); a
	// third owner replays what is left.
	if err := n.TruncateBefore(n.NextLSN()); err != nil {
		t.Fatal(err)
	}
	_, got, err = replay(t, b, 3, 1, 0)
	if !errors.Is(err, segstore.ErrLogMoved) {
		t.Fatalf("replay from a truncated start: %v (%q), want ErrLogMoved", err, got)
	}
	_, got, err = replay(t, b, 3, afterLSN, 2)
	if err != nil || fmt.Sprint(got) != fmt.Sprint(want[len(want)-1:]) {
		t.Fatalf("replay of the tail: %q, %v", got, err)
	}
	// An older owner cannot open the log again.
	if _, _, err := replay(t, b, 1, 1, 3); !errors.Is(err, segstore.ErrFenced) {
		t.Fatalf("old epoch replay: %v, want ErrFenced", err)
	}
}

func TestZombieRecordSkipped(t *testing.T) {
	b := bucket(t)
	a, _, err := replay(t, b, 1, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Append([]byte("one"), true); err != nil {
		t.Fatal(err)
	}
	n, _, err := replay(t, b, 2, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	// A deposed owner's record lands past the fence (as a pipelined
	// write would): it must never count, and n writes past it.
	next := n.NextLSN()
	if err := b.Create(context.Background(), a.key(next), a.encode(next, 1, []byte("zombie")), nil); err != nil {
		t.Fatal(err)
	}
	lsn, err := n.Append([]byte("two"), true)
	if err != nil || lsn != next+1 || n.Skipped() != 1 {
		t.Fatalf("append past a zombie record: lsn %d (want %d), skipped %d, %v", lsn, next+1, n.Skipped(), err)
	}
	_, got, err := replay(t, b, 3, 1, 0)
	if err != nil || fmt.Sprint(got) != "[one two]" {
		t.Fatalf("replayed %q, %v; want [one two]", got, err)
	}
	// The log read back: fences of epochs 1, 2, 3; the zombie record does
	// not count; the owners check out. A counted data record of a lower
	// epoch, or an epoch without its fence, is caught.
	slots, err := Inspect(context.Background(), b, 3)
	if err != nil {
		t.Fatal(err)
	}
	var desc []string
	for _, s := range slots {
		desc = append(desc, fmt.Sprintf("%d:e%d:%d:%v", s.Slot, s.Epoch, s.Bytes, s.Counts))
	}
	want := fmt.Sprintf("[1:e1:0:true 2:e1:3:true 3:e2:0:true %d:e1:6:false %d:e2:3:true %d:e3:0:true]", next, next+1, next+2)
	if fmt.Sprint(desc) != want {
		t.Fatalf("inspect: %v, want %s", desc, want)
	}
	if bad := CheckOwners(slots); len(bad) != 0 {
		t.Fatalf("check owners: %v", bad)
	}
	forged := append([]Slot{}, slots...)
	forged[3].Counts = true
	forged = append(forged, Slot{Slot: next + 3, Epoch: 4, Bytes: 9, Counts: true})
	if bad := CheckOwners(forged); len(bad) != 2 {
		t.Fatalf("check owners of a forged log: %v, want 2 breaches", bad)
	}
	// Truncation never deletes a fence: after a gap, an epoch that
	// starts with data is a breach all the same.
	gap := append(append([]Slot{}, slots...), Slot{Slot: next + 10, Epoch: 5, Bytes: 9, Counts: true})
	if bad := CheckOwners(gap); len(bad) != 1 {
		t.Fatalf("check owners across a gap: %v, want 1 breach", bad)
	}
}

// TestDeposedOwnerCannotTruncate: an owner that does not know it was
// deposed truncates (its checkpoint says it may): its mark meets the
// successor's fence, it deletes nothing, and a later owner still replays
// every slot from the start. A live owner's mark makes a replay from below
// it answer ErrLogMoved, even while the slots are still there.
func TestDeposedOwnerCannotTruncate(t *testing.T) {
	b := bucket(t)
	a, _, err := replay(t, b, 1, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	var lsns []uint64
	for i := range 6 {
		p := fmt.Sprintf("r%d", i)
		lsn, err := a.Append([]byte(p), true)
		if err != nil {
			t.Fatal(err)
		}
		want, lsns = append(want, p), append(lsns, lsn)
	}
	if _, _, err := replay(t, b, 2, 1, 0); err != nil {
		t.Fatal(err)
	}
	if err := a.TruncateBefore(lsns[4]); !errors.Is(err, segstore.ErrFenced) {
		t.Fatalf("a deposed owner's truncation: %v, want ErrFenced", err)
	}
	if _, got, err := replay(t, b, 3, 1, 0); err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after the deposed owner's truncation: %q, %v; want %q", got, err, want)
	}
	// The owner of epoch 4 marks a truncation below r4 but dies before it
	// deletes anything: a replay from r2 must not take the slots as they
	// are (a checkpoint past them exists).
	o, _, err := replay(t, b, 4, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.mark(lsns[4]); err != nil {
		t.Fatal(err)
	}
	if _, _, err := replay(t, b, 5, lsns[2], 1); !errors.Is(err, segstore.ErrLogMoved) {
		t.Fatalf("replay from below a mark: %v, want ErrLogMoved", err)
	}
	if _, got, err := replay(t, b, 5, lsns[4], 1); err != nil || fmt.Sprint(got) != fmt.Sprint(want[4:]) {
		t.Fatalf("replay from the mark's bound: %q, %v; want %q", got, err, want[4:])
	}
}
