// Package logtest is the conformance suite of segstore.Log: what the
// container's durable log promises the store, checked against each
// implementation (the local WAL in package segstore's tests, the S3 slot
// log in package s3log's).
package logtest

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/braidstream/braid/internal/storage/segstore"
	"github.com/braidstream/braid/internal/storage/wal"
)

// Opener opens the log at one place for an owner epoch; each call of a
// test gives a higher epoch than the one before (a log that has no epochs
// ignores them). Every log it returns is closed before the next call.
type Opener func(t *testing.T, epoch uint64) segstore.Log

// Run runs the suite. fresh returns an Opener of a new, empty log.
func Run(t *testing.T, fresh func(t *testing.T) Opener) {
	t.Run("AppendReplay", func(t *testing.T) { appendReplay(t, fresh(t)) })
	t.Run("ReplayFrom", func(t *testing.T) { replayFrom(t, fresh(t)) })
	t.Run("Truncate", func(t *testing.T) { truncate(t, fresh(t)) })
	t.Run("SyncLater", func(t *testing.T) { syncLater(t, fresh(t)) })
	t.Run("LargeRecord", func(t *testing.T) { largeRecord(t, fresh(t)) })
}

// record is one non-empty record replayed.
type record struct {
	lsn     uint64
	payload string
}

// replay opens the log and replays it from lsn, returning its non-empty
// records (a log may hold empty ones of its own, such as fences).
func replay(t *testing.T, open Opener, epoch, lsn uint64) (segstore.Log, []record) {
	t.Helper()
	l := open(t, epoch)
	var got []record
	last := uint64(0)
	err := l.Replay(context.Background(), segstore.LogStart{LSN: lsn}, func(n uint64, _ wal.Position, p []byte) error {
		if n <= last {
			return fmt.Errorf("replayed LSN %d after %d", n, last)
		}
		last = n
		if len(p) > 0 {
			got = append(got, record{n, string(p)})
		}
		return nil
	}, nil)
	if err != nil {
		t.Fatalf("replay from %d: %v", lsn, err)
	}
	return l, got
}

func appendN(t *testing.T, l segstore.Log, prefix string, n int) []record {
	t.Helper()
	var out []record
	for i := range n {
		next := l.NextLSN()
		p := fmt.Sprintf("%s-%d", prefix, i)
		lsn, err := l.Append([]byte(p), true)
		if err != nil {
			t.Fatalf("append %s: %v", p, err)
		}
		if lsn < next {
			t.Fatalf("append %s: LSN %d below NextLSN %d", p, lsn, next)
		}
		if len(out) > 0 && lsn <= out[len(out)-1].lsn {
			t.Fatalf("append %s: LSN %d after %d", p, lsn, out[len(out)-1].lsn)
		}
		out = append(out, record{lsn, p})
	}
	return out
}

func same(t *testing.T, what string, got, want []record) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%s: replayed %v, want %v", what, got, want)
	}
}

// appendReplay: what was appended (synced) replays in order with its LSNs,
// and appends after a replay continue after them.
func appendReplay(t *testing.T, open Opener) {
	l, got := replay(t, open, 1, 1)
	same(t, "an empty log", got, nil)
	want := appendN(t, l, "a", 5)
	l.Close()
	l, got = replay(t, open, 2, 1)
	same(t, "after a reopen", got, want)
	want = append(want, appendN(t, l, "b", 3)...)
	l.Close()
	l, got = replay(t, open, 3, 1)
	defer l.Close()
	same(t, "after appends past a replay", got, want)
}

// replayFrom: a replay from a record's LSN starts at that record.
func replayFrom(t *testing.T, open Opener) {
	l, _ := replay(t, open, 1, 1)
	want := appendN(t, l, "r", 10)
	l.Close()
	l, got := replay(t, open, 2, want[6].lsn)
	defer l.Close()
	same(t, "from the 7th record", got, want[6:])
}

// truncate: records below a truncation point may go; those at and after
// it stay, and appends go on after them.
func truncate(t *testing.T, open Opener) {
	l, _ := replay(t, open, 1, 1)
	want := appendN(t, l, "t", 8)
	if err := l.TruncateBefore(want[5].lsn); err != nil {
		t.Fatal(err)
	}
	want = append(want, appendN(t, l, "u", 2)...)
	l.Close()
	l, got := replay(t, open, 2, want[5].lsn)
	defer l.Close()
	same(t, "after a truncation", got, want[5:])
}

// syncLater: records appended without sync are durable after Sync.
func syncLater(t *testing.T, open Opener) {
	l, _ := replay(t, open, 1, 1)
	var want []record
	for i := range 4 {
		p := fmt.Sprintf("s-%d", i)
		lsn, err := l.Append([]byte(p), false)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, record{lsn, p})
	}
	if err := l.Sync(); err != nil {
		t.Fatal(err)
	}
	l.Close()
	l, got := replay(t, open, 2, 1)
	defer l.Close()
	same(t, "after Sync", got, want)
}

// largeRecord: a 1 MiB record comes back byte for byte.
func largeRecord(t *testing.T, open Opener) {
	l, _ := replay(t, open, 1, 1)
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<16)
	lsn, err := l.Append(big, true)
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	l, got := replay(t, open, 2, 1)
	defer l.Close()
	if len(got) != 1 || got[0].lsn != lsn || got[0].payload != string(big) {
		t.Fatalf("replayed %d records; want the 1 MiB one at LSN %d", len(got), lsn)
	}
}
