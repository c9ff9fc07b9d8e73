package segstore

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/tier2"
)

// flakyStore is a tier-2 store whose puts, gets and deletes can be made to
// fail, and which counts its calls.
type flakyStore struct {
	tier2.Store
	putDown, getDown, deleteDown atomic.Bool
	puts, gets, deletes          atomic.Int64
	putFails                     atomic.Int64
}

var errDown = errors.New("tier 2 is down (test)")

func (f *flakyStore) Put(ctx context.Context, key string, data []byte) error {
	if f.putDown.Load() {
		f.putFails.Add(1)
		return errDown
	}
	f.puts.Add(1)
	return f.Store.Put(ctx, key, data)
}

func (f *flakyStore) GetRange(ctx context.Context, key string, off, n int64) ([]byte, error) {
	if f.getDown.Load() {
		return nil, errDown
	}
	f.gets.Add(1)
	return f.Store.GetRange(ctx, key, off, n)
}

func (f *flakyStore) Delete(ctx context.Context, key string) error {
	if f.deleteDown.Load() {
		return errDown
	}
	f.deletes.Add(1)
	return f.Store.Delete(ctx, key)
}

func keysUnder(t *testing.T, st tier2.Store, prefix string) []string {
	t.Helper()
	objs, err := st.List(context.Background(), prefix, "", 10000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, o := range objs {
		out = append(out, o.Key)
	}
	return out
}

// tier2Opts: one container, small chunks, no timer-driven rounds (tests
// run them), and the given tier 2.
func tier2Opts(st tier2.Store) func(*Options) {
	return func(o *Options) {
		small(o)
		o.Containers = 1
		o.Tier2 = st
		o.ChunkSize = 4 << 10
		o.CheckpointInterval = time.Hour
		o.FlushInterval = time.Hour
	}
}

func appendN(t *testing.T, s *Store, name string, from, n int) []string {
	t.Helper()
	var out []string
	for i := from; i < from+n; i++ {
		p := fmt.Sprintf("%s-%06d-%s", name, i, strings.Repeat("x", i%200))
		if _, err := s.AppendWait(context.Background(), name, AppendRequest{Writer: "w", FirstEvent: int64(i + 1), Events: 1, Data: frames(p)}); err != nil {
			t.Fatalf("append %d to %s: %v", i, name, err)
		}
		out = append(out, p)
	}
	return out
}

func equalStrings(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d events, want %d", what, len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s: event %d is %.40q, want %.40q", what, i, got[i], want[i])
		}
	}
}

// TestDataMovesToTier2: a storage round moves data to chunks and truncates
// the WAL; after a restart everything is read from tier 2.
func TestDataMovesToTier2(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := &flakyStore{Store: tier2.NewMem()}
	s := openTest(t, dir, tier2Opts(st))
	if err := s.Create(ctx, "t/s/0"); err != nil {
		t.Fatal(err)
	}
	want := appendN(t, s, "t/s/0", 0, 600)
	c := s.cs[0].Load()
	if err := c.storageRound(c.ctx, false); err != nil {
		t.Fatal(err)
	}
	// Less than a chunk waits for the flush interval; a forced round
	// takes it too.
	if n := c.unflushed.Load(); n >= 4<<10 {
		t.Fatalf("%d bytes still unflushed after a round, more than a chunk", n)
	}
	if err := c.storageRound(c.ctx, true); err != nil {
		t.Fatal(err)
	}
	if n := c.unflushed.Load(); n != 0 {
		t.Fatalf("%d bytes still unflushed after a forced round", n)
	}
	keys := keysUnder(t, st, "segments/0/")
	info, _ := s.Info(ctx, "t/s/0")
	if min := int(info.Length / (4 << 10)); len(keys) < min {
		t.Fatalf("%d chunks for %d bytes, want at least %d", len(keys), info.Length, min)
	}
	c.mu.RLock()
	span := c.walSpanLocked()
	c.mu.RUnlock()
	if after := len(walFilesIn(t, dir, 0)); after > 1 || span != 0 {
		t.Fatalf("after a forced round: %d WAL files, %d bytes retained; want 1 and 0", after, span)
	}
	equalStrings(t, "read after the round", readAll(t, s, "t/s/0"), want)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	st.gets.Store(0)
	s = openTest(t, dir, tier2Opts(st))
	defer s.Close()
	equalStrings(t, "read after a restart", readAll(t, s, "t/s/0"), want)
	if st.gets.Load() == 0 {
		t.Fatal("no reads from tier 2 after the restart")
	}
	// Appends continue, with writer dedupe state kept.
	res, err := s.AppendWait(ctx, "t/s/0", AppendRequest{Writer: "w", FirstEvent: 600, Events: 1, Data: frames(want[599])})
	if err != nil || !res.Duplicate {
		t.Fatalf("retry of the last append after restart: %+v, %v; want a duplicate", res, err)
	}
}

// TestSelectiveFlushRecovery: a round moves only the segments that are due;
// the checkpoint then covers records whose data for other segments lives
// only in the WAL, and a crash must give that data back.
func TestSelectiveFlushRecovery(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := tier2.NewMem()
	s := openTest(t, dir, tier2Opts(st))
	for _, n := range []string{"r/big/0", "r/small/0"} {
		if err := s.Create(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	var wantSmall []string
	wantBig := appendN(t, s, "r/big/0", 0, 10)
	wantSmall = append(wantSmall, appendN(t, s, "r/small/0", 0, 3)...)
	wantBig = append(wantBig, appendN(t, s, "r/big/0", 10, 200)...)
	wantSmall = append(wantSmall, appendN(t, s, "r/small/0", 3, 2)...)
	c := s.cs[0].Load()
	if err := c.storageRound(c.ctx, false); err != nil {
		t.Fatal(err)
	}
	c.mu.RLock()
	bigMem, smallMem := c.segs["r/big/0"].memSize, c.segs["r/small/0"].memSize
	c.mu.RUnlock()
	if bigMem >= 4<<10 || smallMem == 0 {
		t.Fatalf("after a round: big segment holds %d bytes in memory (want less than a chunk), small %d (want > 0)", bigMem, smallMem)
	}
	ck := c.snapshot()
	if ck.ReplayLSN > ck.LSN {
		t.Fatalf("checkpoint replays from %d, after its lsn %d: the small segment's data would be lost", ck.ReplayLSN, ck.LSN)
	}
	wantSmall = append(wantSmall, appendN(t, s, "r/small/0", 5, 2)...)

	crash := crashCopy(t, s)
	s.Close()
	for _, d := range []string{crash, dir} {
		s2 := openTest(t, d, tier2Opts(st))
		equalStrings(t, "big segment", readAll(t, s2, "r/big/0"), wantBig)
		equalStrings(t, "small segment", readAll(t, s2, "r/small/0"), wantSmall)
		res, err := s2.AppendWait(ctx, "r/small/0", AppendRequest{Writer: "w", FirstEvent: 7, Events: 1, Data: frames(wantSmall[6])})
		if err != nil || !res.Duplicate || res.Offset < 0 {
			t.Fatalf("retry of the last append: %+v, %v; want a duplicate with its offset", res, err)
		}
		// Everything to tier 2, then once more from there.
		if err := s2.cs[0].Load().storageRound(s2.cs[0].Load().ctx, true); err != nil {
			t.Fatal(err)
		}
		s2.Close()
		s3 := openTest(t, d, tier2Opts(st))
		equalStrings(t, "small segment from tier 2", readAll(t, s3, "r/small/0"), wantSmall)
		s3.Close()
	}
}

// TestTier2OutageThrottles: with tier 2 down, data piles up to the bound,
// then appends wait and fail with ErrTier2Behind; once tier 2 is back,
// everything reaches it and appends succeed again, without a restart.
func TestTier2OutageThrottles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := &flakyStore{Store: tier2.NewMem()}
	s := openTest(t, dir, func(o *Options) {
		tier2Opts(st)(o)
		o.MaxUnflushed = 64 << 10
		o.FlushBytes = 16 << 10
		o.ThrottleTimeout = 100 * time.Millisecond
		o.CheckpointInterval = 5 * time.Millisecond
	})
	defer s.Close()
	if err := s.Create(ctx, "o/s/0"); err != nil {
		t.Fatal(err)
	}
	st.putDown.Store(true)
	downAt := time.Now()
	var acked []string
	var refusal error
	deadline := time.Now().Add(20 * time.Second)
	for i := 0; refusal == nil; i++ {
		if time.Now().After(deadline) {
			t.Fatalf("appends still accepted with tier 2 down after %d events", i)
		}
		p := fmt.Sprintf("e%06d-%s", i, strings.Repeat("y", 500))
		_, err := s.AppendWait(ctx, "o/s/0", AppendRequest{Writer: "w", FirstEvent: int64(i + 1), Events: 1, Data: frames(p)})
		switch {
		case err == nil:
			acked = append(acked, p)
		case errors.Is(err, ErrTier2Behind):
			refusal = err
		default:
			t.Fatalf("append %d: %v", i, err)
		}
	}
	// The storage writer backs off (50 ms, doubling) rather than asking
	// again at every 5 ms tick or flush request.
	elapsed := time.Since(downAt)
	if fails, most := st.putFails.Load(), 3+int64(math.Log2(1+float64(elapsed)/float64(50*time.Millisecond))); fails > most {
		t.Errorf("%d failed puts in %v of outage; with backoff at most %d", fails, elapsed, most)
	}
	if !strings.Contains(refusal.Error(), "tier 2 is down (test)") {
		t.Errorf("refusal does not carry the tier-2 error: %v", refusal)
	}
	if held := s.cs[0].Load().unflushed.Load(); held > 64<<10 {
		t.Fatalf("%d bytes held with tier 2 down, bound 64 KiB", held)
	}
	st.putDown.Store(false)
	waitFor(t, "data to reach tier 2 once it is back", 20*time.Second, func() bool { return s.cs[0].Load().unflushed.Load() == 0 })
	more := fmt.Sprintf("e%06d-after", len(acked))
	if _, err := s.AppendWait(ctx, "o/s/0", AppendRequest{Writer: "w", FirstEvent: int64(len(acked) + 1), Events: 1, Data: frames(more)}); err != nil {
		t.Fatalf("append after tier 2 came back: %v", err)
	}
	equalStrings(t, "after the outage", readAll(t, s, "o/s/0"), append(acked, more))
}

// TestTruncateAndDeleteCollectTier2: truncated chunks and deleted segments
// leave tier 2, also when the first attempt fails and the store restarts.
func TestTruncateAndDeleteCollectTier2(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := &flakyStore{Store: tier2.NewMem()}
	s := openTest(t, dir, tier2Opts(st))
	for _, n := range []string{"g/keep/0", "g/gone/0"} {
		if err := s.Create(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	want := appendN(t, s, "g/keep/0", 0, 300)
	appendN(t, s, "g/gone/0", 0, 100)
	c := s.cs[0].Load()
	if err := c.storageRound(c.ctx, true); err != nil {
		t.Fatal(err)
	}
	c.mu.RLock()
	keep, gone := c.segs["g/keep/0"], c.segs["g/gone/0"]
	chunks := append([]chunk(nil), keep.chunks...)
	keepPrefix, gonePrefix := segmentPrefix(0, keep.handle), segmentPrefix(0, gone.handle)
	c.mu.RUnlock()
	if len(chunks) < 3 {
		t.Fatalf("%d chunks, want several", len(chunks))
	}
	cut := chunks[2].Offset // the first two chunks go
	if err := s.Truncate(ctx, "g/keep/0", cut); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "g/gone/0"); err != nil {
		t.Fatal(err)
	}
	st.deleteDown.Store(true)
	if err := c.storageRound(c.ctx, false); !errors.Is(err, errDown) {
		t.Fatalf("round with deletes failing: %v", err)
	}
	s.Close() // the garbage list is in the checkpoint
	st.deleteDown.Store(false)

	s = openTest(t, dir, tier2Opts(st))
	defer s.Close()
	if err := s.cs[0].Load().storageRound(s.cs[0].Load().ctx, false); err != nil {
		t.Fatal(err)
	}
	if left := keysUnder(t, st, gonePrefix); len(left) != 0 {
		t.Fatalf("deleted segment's chunks still in tier 2: %v", left)
	}
	left := keysUnder(t, st, keepPrefix)
	for _, k := range left {
		if k == chunks[0].key(0, keep.handle) || k == chunks[1].key(0, keep.handle) {
			t.Fatalf("truncated chunk %s still in tier 2", k)
		}
	}
	if len(left) != len(chunks)-2 {
		t.Fatalf("%d chunks left, want %d", len(left), len(chunks)-2)
	}
	if _, err := s.Read(ctx, "g/keep/0", 0, 100, false); !errors.Is(err, ErrTruncated) {
		t.Fatalf("read below the truncation point: %v, want ErrTruncated", err)
	}
	got := readFrom(t, s, "g/keep/0", cut)
	equalStrings(t, "after truncation", got, want[len(want)-len(got):])
	if len(got) == 0 || len(got) >= len(want) {
		t.Fatalf("%d events after the cut, of %d", len(got), len(want))
	}
}

// TestForeignTier2Refused: a new data directory must not adopt a tier-2
// location that holds another one's chunks.
func TestForeignTier2Refused(t *testing.T) {
	ctx := context.Background()
	st := tier2.NewMem()
	s := openTest(t, t.TempDir(), tier2Opts(st))
	if err := s.Create(ctx, "f/s/0"); err != nil {
		t.Fatal(err)
	}
	appendN(t, s, "f/s/0", 0, 50)
	if err := s.cs[0].Load().storageRound(s.cs[0].Load().ctx, true); err != nil {
		t.Fatal(err)
	}
	s.Close()
	o := Options{Dir: t.TempDir(), WALFileSize: 64 << 20}
	tier2Opts(st)(&o)
	_, err := Open(ctx, o)
	if err == nil || !strings.Contains(err.Error(), "belongs to another data directory") {
		t.Fatalf("open over a used tier-2 location: %v", err)
	}
}

// TestColdReadsShareAndReadAhead: concurrent cold readers of one block make
// one tier-2 read, and a sequential reader is served ahead.
func TestColdReadsShareAndReadAhead(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := &flakyStore{Store: tier2.NewMem()}
	mod := func(o *Options) {
		o.Containers = 1
		o.Tier2 = st
		o.ChunkSize = 8 << 20
		o.CheckpointInterval = time.Hour
		o.FlushInterval = time.Hour
		o.ReadAhead = 4 << 20
	}
	s := openTest(t, dir, mod)
	if err := s.Create(ctx, "c/s/0"); err != nil {
		t.Fatal(err)
	}
	// 8 MiB in 64 KiB events: one chunk of 8 blocks.
	payload := strings.Repeat("z", 64<<10-8)
	for i := 0; i < 128; i++ {
		if _, err := s.AppendWait(ctx, "c/s/0", AppendRequest{Events: 1, Data: frames(payload)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.cs[0].Load().storageRound(s.cs[0].Load().ctx, true); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openTest(t, dir, mod)
	defer s.Close()
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.Read(ctx, "c/s/0", 0, 64<<10, false); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	// Block 0 once, plus read-ahead of up to 4 more.
	if n := st.gets.Load(); n < 1 || n > 5 {
		t.Fatalf("%d tier-2 reads for 8 concurrent reads of one block (and read-ahead), want 1..5", n)
	}
	got := readAll(t, s, "c/s/0")
	if len(got) != 128 {
		t.Fatalf("%d events, want 128", len(got))
	}
	if n := st.gets.Load(); n != 8 {
		t.Fatalf("%d tier-2 reads for an 8-block chunk read through, want 8 (one per block)", n)
	}
}
