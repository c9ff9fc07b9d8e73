package s3log

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/storage/segstore"
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
		t.Helper()
		st, err := segstore.Open(ctx, segstore.Options{
			Dir: t.TempDir(), Containers: 1, Owned: true, Tier2: b,
			Checkpoints:   segstore.TierCheckpoints{Store: b},
			FlushInterval: time.Hour, CheckpointInterval: 20 * time.Millisecond,
			OpenLog: func(_ context.Context, k int, e uint64) (segstore.Log, error) {
				return Open(Options{Bucket: b, Container: k, Epoch: e})
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.OpenContainer(ctx, 0, epoch); err != nil {
			t.Fatalf("epoch %d: %v", epoch, err)
		}
		return st
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
