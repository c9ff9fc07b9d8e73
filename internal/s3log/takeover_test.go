package s3log

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/storage/segstore"
	"github.com/braidstream/braid/internal/tier2"
	"github.com/braidstream/braid/internal/tier2/s3"
	"github.com/braidstream/braid/wire"
)

// TestCheckpointOverEarlierOwner is the history test's first catch: an
// owner that took a container over and checkpointed before the data it
// replayed from its predecessor reached tier 2 wrote a checkpoint whose
// replay starts in the predecessor's records. The next owner must count
// those records (their epoch is below the checkpoint's owner's, but they
// come before its fence): it starts the epoch rule with the epoch in force
// at the replay's start (checkpoint.replay_epoch), not the checkpoint
// writer's epoch, and opens the container with every event in place.
func TestCheckpointOverEarlierOwner(t *testing.T) {
	b := bucket(t)
	ctx := context.Background()
	open := func(epoch uint64) *segstore.Store {
		return openOwner(t, b, epoch, segstore.Options{FlushInterval: time.Hour, CheckpointInterval: 20 * time.Millisecond})
	}
	const seg = "s/t/0000000000000000"
	first := open(1)
	if err := first.Create(ctx, seg); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"one", "two"} {
		if _, err := first.AppendWait(ctx, seg, segstore.AppendRequest{Events: 1, Data: wire.AppendFrame(nil, []byte(p))}); err != nil {
			t.Fatal(err)
		}
	}
	// The first owner dies (it is never closed: nothing of it reaches
	// tier 2). The second replays it, and checkpoints with the data still
	// only in the log.
	second := open(2)
	if _, err := second.AppendWait(ctx, seg, segstore.AppendRequest{Events: 1, Data: wire.AppendFrame(nil, []byte("three"))}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		objs, err := b.List(ctx, "checkpoints/0/", "", 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(objs) > 0 && strings.HasSuffix(objs[len(objs)-1].Key, "-0000000000000002") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the second owner wrote no checkpoint in 10s: %v", objs)
		}
		time.Sleep(10 * time.Millisecond)
	}
	// The second dies too; the third takes over from its checkpoint.
	third := open(3)
	defer third.Close()
	rr, err := third.Read(ctx, seg, 0, 1<<20, false)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for d := rr.Data; len(d) > 0; {
		p, n, err := wire.DecodeFrame(d, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(p))
		d = d[n:]
	}
	if strings.Join(got, " ") != "one two three" {
		t.Fatalf("the third owner reads %q, want one two three", got)
	}
	first.Close()
	second.Close()
}

// TestSuccessorTruncationKeepsFence is the history test's third catch: an
// owner truncated its log past its own fence, the slot its predecessor
// (paused, not knowing it was deposed) writes next. Had the fence gone,
// the predecessor's create-if-absent there would have landed, and it
// would have acknowledged a record no owner replays. Truncation keeps
// every fence, so the predecessor's write still meets it.
func TestSuccessorTruncationKeepsFence(t *testing.T) {
	b := bucket(t)
	a, _, err := replay(t, b, 1, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"r0", "r1"} {
		if _, err := a.Append([]byte(p), true); err != nil {
			t.Fatal(err)
		}
	}
	n, _, err := replay(t, b, 2, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	fence := a.NextLSN()
	var last uint64
	for i := range 5 {
		if last, err = n.Append([]byte(fmt.Sprintf("n%d", i)), true); err != nil {
			t.Fatal(err)
		}
	}
	if err := n.TruncateBefore(n.NextLSN()); err != nil {
		t.Fatal(err)
	}
	if _, err := b.GetRange(context.Background(), n.key(fence), 0, -1); err != nil {
		t.Fatalf("the fence at slot %d after truncation: %v", fence, err)
	}
	if _, err := b.GetRange(context.Background(), n.key(fence-1), 0, -1); !errors.Is(err, tier2.ErrNotFound) {
		t.Fatalf("slot %d below the fence after truncation: %v, want it deleted", fence-1, err)
	}
	if lsn, err := a.Append([]byte("zombie"), true); !errors.Is(err, segstore.ErrFenced) {
		t.Fatalf("the deposed owner's append after its successor truncated: slot %d, %v; want ErrFenced", lsn, err)
	}
	// Every epoch's fence is still there for the checks to find.
	slots, err := Inspect(context.Background(), b, 3)
	if err != nil {
		t.Fatal(err)
	}
	if bad := CheckOwners(slots); len(bad) != 0 {
		t.Fatalf("check owners: %v", bad)
	}
	// A third owner truncates again: the old fences stay, and nothing is
	// asked to delete slots that are gone.
	o, got, err := replay(t, b, 3, last, 2)
	if err != nil || fmt.Sprint(got) != "[n4]" {
		t.Fatalf("replay of the tail: %q, %v", got, err)
	}
	if _, err := o.Append([]byte("o0"), true); err != nil {
		t.Fatal(err)
	}
	if err := o.TruncateBefore(o.NextLSN()); err != nil {
		t.Fatal(err)
	}
	slots, err = Inspect(context.Background(), b, 3)
	if err != nil {
		t.Fatal(err)
	}
	runs := map[uint64][]uint64{} // epoch: its fences' slots
	for _, s := range slots {
		if s.Bytes == 0 && !s.Mark {
			runs[s.Epoch] = append(runs[s.Epoch], s.Slot)
		}
	}
	if len(runs) != 3 || len(runs[2]) != Window || runs[2][0] != fence {
		t.Fatalf("fences left %v, want a run of %d for each of three epochs (epoch 2's from %d)", runs, Window, fence)
	}
}

// TestPipelinedStore: a store over the S3 log pipelines appends (several
// records in flight): concurrent writers' appends are acknowledged in
// order, with their offsets, and retries in flight are duplicates at the
// first copy's offset. A successor that takes the container over while
// the first owner still appends reads back every acknowledged event; the
// first owner's later appends fail.
func TestPipelinedStore(t *testing.T) {
	b := bucket(t)
	ctx := context.Background()
	open := func(epoch uint64) *segstore.Store {
		return openOwner(t, b, epoch, segstore.Options{PipelineBytes: 1}) // every batch may go while others are in flight
	}
	const seg = "s/t/0000000000000000"
	first := open(1)
	defer first.Close()
	if err := first.Create(ctx, seg); err != nil {
		t.Fatal(err)
	}
	const writers, n = 4, 300
	type ack struct {
		w, i int
		res  segstore.Result
		err  error
	}
	acks := make(chan ack, 2*writers*n)
	for i := 1; i <= n; i++ {
		for w := range writers {
			req := segstore.AppendRequest{Writer: fmt.Sprint("w", w), FirstEvent: int64(i), Events: 1, Data: wire.AppendFrame(nil, fmt.Appendf(nil, "w%d-%d", w, i))}
			first.Append(ctx, seg, req, func(r segstore.Result, err error) { acks <- ack{w, i, r, err} })
			if i%50 == 0 {
				// A retry sent while the first copy may be in flight.
				first.Append(ctx, seg, req, func(r segstore.Result, err error) { acks <- ack{w, -i, r, err} })
			}
		}
	}
	offsets := map[string]int64{}
	for range writers*n + writers*(n/50) {
		a := <-acks
		if a.err != nil {
			t.Fatalf("writer %d append %d: %v", a.w, a.i, a.err)
		}
		if a.i < 0 {
			continue
		}
		offsets[fmt.Sprintf("w%d-%d", a.w, a.i)] = a.res.Offset
	}
	// Retries answer with the first copy's offset (checked after all are in).
	for i := 50; i <= n; i += 50 {
		for w := range writers {
			req := segstore.AppendRequest{Writer: fmt.Sprint("w", w), FirstEvent: int64(i), Events: 1, Data: wire.AppendFrame(nil, fmt.Appendf(nil, "w%d-%d", w, i))}
			r, err := first.AppendWait(ctx, seg, req)
			if i >= n-segstore.HistorySize && (err != nil || !r.Duplicate || r.Offset != offsets[fmt.Sprintf("w%d-%d", w, i)]) {
				t.Fatalf("retry of w%d-%d: %+v %v, want a duplicate at %d", w, i, r, err, offsets[fmt.Sprintf("w%d-%d", w, i)])
			}
		}
	}
	second := open(2)
	defer second.Close()
	if _, err := first.AppendWait(ctx, seg, segstore.AppendRequest{Events: 1, Data: wire.AppendFrame(nil, []byte("deposed"))}); !errors.Is(err, segstore.ErrNotOwner) {
		t.Fatalf("the deposed owner's append: %v, want ErrNotOwner", err)
	}
	read := map[string]int64{}
	for off := int64(0); ; {
		rr, err := second.Read(ctx, seg, off, 1<<20, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(rr.Data) == 0 {
			break
		}
		for d, at := rr.Data, rr.Offset; len(d) > 0; {
			p, size, err := wire.DecodeFrame(d, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			if _, dup := read[string(p)]; dup {
				t.Fatalf("%s read twice", p)
			}
			read[string(p)] = at
			d, at = d[size:], at+int64(size)
		}
		off = rr.Offset + int64(len(rr.Data))
	}
	if len(read) != len(offsets) {
		t.Fatalf("the successor reads %d events, %d were acknowledged", len(read), len(offsets))
	}
	for ev, off := range offsets {
		if read[ev] != off {
			t.Fatalf("%s acknowledged at %d, read at %d", ev, off, read[ev])
		}
	}
}

// TestSweepDeposedChunks: a chunk an earlier owner flushed and never got
// into a checkpoint (it was deposed first) is deleted once the next owner
// has checkpointed; the earlier owners' chunks its checkpoint references
// stay, and every event still reads.
func TestSweepDeposedChunks(t *testing.T) {
	b := bucket(t)
	ctx := context.Background()
	open := func(epoch uint64) *segstore.Store {
		return openOwner(t, b, epoch, segstore.Options{FlushInterval: time.Millisecond, CheckpointInterval: 10 * time.Millisecond})
	}
	chunks := func() []string {
		t.Helper()
		objs, err := b.List(ctx, "segments/0/", "", 1000)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, o := range objs {
			keys = append(keys, o.Key)
		}
		return keys
	}
	waitFor := func(what string, ok func([]string) bool) []string {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			keys := chunks()
			if ok(keys) {
				return keys
			}
			if time.Now().After(deadline) {
				t.Fatalf("no %s within 10s: %v", what, keys)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	const seg = "s/t/0000000000000000"
	first := open(1)
	defer first.Close()
	if err := first.Create(ctx, seg); err != nil {
		t.Fatal(err)
	}
	if _, err := first.AppendWait(ctx, seg, segstore.AppendRequest{Events: 1, Data: wire.AppendFrame(nil, []byte("one"))}); err != nil {
		t.Fatal(err)
	}
	kept := waitFor("chunk of epoch 1", func(keys []string) bool { return len(keys) == 1 })[0]
	// What a deposed owner flushed past its last checkpoint.
	stray := kept[:strings.LastIndexByte(kept, '/')+1] + "00000000000000ff-e1"
	if err := b.Put(ctx, stray, []byte("stray")); err != nil {
		t.Fatal(err)
	}
	second := open(2)
	defer second.Close()
	if _, err := second.AppendWait(ctx, seg, segstore.AppendRequest{Events: 1, Data: wire.AppendFrame(nil, []byte("two"))}); err != nil {
		t.Fatal(err)
	}
	keys := waitFor("sweep of the stray chunk", func(keys []string) bool {
		for _, k := range keys {
			if k == stray {
				return false
			}
		}
		return len(keys) >= 2
	})
	found := false
	for _, k := range keys {
		found = found || k == kept
	}
	if !found {
		t.Fatalf("the referenced chunk of epoch 1 (%s) is gone: %v", kept, keys)
	}
	var all []byte
	for off := int64(0); ; {
		rr, err := second.Read(ctx, seg, off, 1<<20, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(rr.Data) == 0 {
			break
		}
		all = append(all, rr.Data...)
		off = rr.Offset + int64(len(rr.Data))
	}
	if !strings.Contains(string(all), "one") || !strings.Contains(string(all), "two") {
		t.Fatalf("read %q", all)
	}
}

// openOwner opens a one-container store over the S3 log in b, as the
// owner with epoch; opts sets the store's other options.
func openOwner(t *testing.T, b *s3.Store, epoch uint64, opts segstore.Options) *segstore.Store {
	t.Helper()
	ctx := context.Background()
	opts.Dir, opts.Containers, opts.Owned, opts.Tier2 = t.TempDir(), 1, true, b
	opts.Checkpoints = segstore.TierCheckpoints{Store: b}
	opts.OpenLog = func(_ context.Context, k int, e uint64) (segstore.Log, error) {
		return Open(Options{Bucket: b, Container: k, Epoch: e})
	}
	st, err := segstore.Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.OpenContainer(ctx, 0, epoch); err != nil {
		t.Fatalf("epoch %d: %v", epoch, err)
	}
	return st
}
