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

// TestZombieRecordSkipped: an owner's record lands while the one before
// it is still in flight, and the owner dies. The next owner finds the hole,
// fences it, and closes the window after it: the record past the hole was
// never acknowledged and never counts; nothing an earlier owner has in
// flight can land in the window later; the checks see one owner at a time.
func TestZombieRecordSkipped(t *testing.T) {
	b := bucket(t)
	a, _, err := replay(t, b, 1, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Append([]byte("one"), true); err != nil {
		t.Fatal(err)
	}
	hole := a.NextLSN()
	if err := b.Create(context.Background(), a.key(hole+2), a.encode(hole+2, 1, []byte("zombie")), nil); err != nil {
		t.Fatal(err)
	}
	n, _, err := replay(t, b, 2, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if n.Skipped() != 1 || n.NextLSN() != hole+Window {
		t.Fatalf("after the hole at %d: skipped %d, next %d; want 1 and %d", hole, n.Skipped(), n.NextLSN(), hole+Window)
	}
	// A record still in flight from the first owner lands nowhere now.
	if err := b.Create(context.Background(), a.key(hole+3), a.encode(hole+3, 1, []byte("late")), nil); !errors.Is(err, s3.ErrExists) {
		t.Fatalf("a late record inside the closed window: %v, want ErrExists", err)
	}
	if _, err := n.Append([]byte("two"), true); err != nil {
		t.Fatal(err)
	}
	_, got, err := replay(t, b, 3, 1, 0)
	if err != nil || fmt.Sprint(got) != "[one two]" {
		t.Fatalf("replayed %q, %v; want [one two]", got, err)
	}
	slots, err := Inspect(context.Background(), b, 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range slots {
		if s.Slot == hole+2 && (s.Epoch != 1 || s.Counts) {
			t.Fatalf("the record past the hole: %+v, want epoch 1, not counted", s)
		}
	}
	if bad := CheckOwners(slots); len(bad) != 0 {
		t.Fatalf("check owners: %v", bad)
	}
	// A counted data record of a lower epoch, or an epoch without its
	// fence, is caught, after a gap too (truncation keeps fences).
	forged := append([]Slot{}, slots...)
	for i := range forged {
		if forged[i].Slot == hole+2 {
			forged[i].Counts = true
		}
	}
	last := forged[len(forged)-1].Slot
	forged = append(forged, Slot{Slot: last + 1, Epoch: 4, Bytes: 9, Counts: true}, Slot{Slot: last + 10, Epoch: 5, Bytes: 9, Counts: true})
	if bad := CheckOwners(forged); len(bad) != 3 {
		t.Fatalf("check owners of a forged log: %v, want 3 breaches", bad)
	}
}

// TestPipelinedAppends: records in flight at once land at consecutive
// slots and are answered in slot order; a failure answers every later
// record with it, even one that landed.
func TestPipelinedAppends(t *testing.T) {
	b := bucket(t)
	l, _, err := replay(t, b, 1, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	const n = 100
	type answer struct {
		i    int
		slot uint64
		err  error
	}
	answers := make(chan answer, n)
	for i := range n {
		l.AppendAsync([]byte(fmt.Sprintf("r%d", i)), func(slot uint64, err error) { answers <- answer{i, slot, err} })
	}
	var prev uint64
	for range n {
		a := <-answers
		if a.err != nil {
			t.Fatal(a.err)
		}
		if prev != 0 && a.slot != prev+1 {
			t.Fatalf("record %d answered at slot %d, after slot %d", a.i, a.slot, prev)
		}
		prev = a.slot
	}
	_, got, err := replay(t, b, 2, 1, 0)
	if err != nil || len(got) != n || got[0] != "r0" || got[n-1] != fmt.Sprintf("r%d", n-1) {
		t.Fatalf("replayed %d records (%v), want %d in order", len(got), err, n)
	}
	// Deposed: the first record meets the successor's fence; the ones
	// after it fail with it.
	for i := range 3 {
		l.AppendAsync([]byte("late"), func(slot uint64, err error) { answers <- answer{i, slot, err} })
	}
	for range 3 {
		if a := <-answers; !errors.Is(a.err, segstore.ErrFenced) {
			t.Fatalf("deposed record %d: slot %d, %v; want ErrFenced", a.i, a.slot, a.err)
		}
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
