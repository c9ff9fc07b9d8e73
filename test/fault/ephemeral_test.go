package fault

import (
	"context"
	"errors"
	"io/fs"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/meta"
)

// tier2Files counts the chunk files of the server's directory tier 2.
func tier2Files(dir string) int {
	n := 0
	filepath.WalkDir(filepath.Join(dir, "tier2"), func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

// stoppedMeta stops the server and lists its metadata store.
func stoppedMeta(ctx context.Context, t *testing.T, srv *server) []meta.KV {
	t.Helper()
	if err := srv.stop(); err != nil {
		t.Fatal(err)
	}
	store, err := meta.OpenBolt(filepath.Join(srv.dataDir, "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	kvs, err := store.List(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	return kvs
}

// TestEphemeralHolderKilled: `braid ephemeral hold` creates an ephemeral
// stream, events are written to it and reach tier 2, and the holder is
// SIGKILLed. The stream goes once its lease ran out, and nothing of it is
// left in the metadata store, in tier 2 or in the stream listing.
func TestEphemeralHolderKilled(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv, c := startDialed(ctx, t, "--flush-interval", "100ms")
	const stream = "crash/tmp"
	hold := exec.CommandContext(ctx, srv.bin, "ephemeral", "hold", stream, "--lease", "2s", "--segments", "2", "--addr", srv.grpcAddr)
	hold.SysProcAttr = childAttr()
	var out lockedBuffer
	hold.Stdout, hold.Stderr = &out, &out
	if err := hold.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- hold.Wait() }()
	if !waitFor(ctx, 30*time.Second, func() bool { _, err := c.GetStream(ctx, stream); return err == nil }) {
		t.Fatalf("the holder did not create %s:\n%s", stream, out.String())
	}
	w, err := c.NewWriter(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 500 {
		w.Write(ctx, keyOf(i), make([]byte, 512))
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if !waitFor(ctx, 30*time.Second, func() bool { return tier2Files(srv.dataDir) > 0 }) {
		t.Fatal("the stream's data did not reach tier 2")
	}
	before := tier2Files(srv.dataDir)
	hold.Process.Kill()
	<-exited
	killed := time.Now()
	if !waitFor(ctx, 30*time.Second, func() bool {
		_, err := c.GetStream(ctx, stream)
		return errors.Is(err, braid.ErrNotFound)
	}) {
		t.Fatalf("%s outlived its killed holder's lease by 30 s\n%s", stream, srv.output(8<<10))
	}
	t.Logf("the stream went %s after its holder was killed (lease 2 s, reaper every 1 s)", time.Since(killed).Round(10*time.Millisecond))
	if !waitFor(ctx, 30*time.Second, func() bool { return tier2Files(srv.dataDir) == 0 }) {
		t.Errorf("tier 2 still holds %d of the stream's %d chunk files", tier2Files(srv.dataDir), before)
	}
	if list, err := c.ListEphemeral(ctx); err != nil || len(list) != 0 {
		t.Errorf("ephemeral records left: %v, %v", list, err)
	}
	c.Close()
	kvs := stoppedMeta(ctx, t, srv)
	for _, kv := range kvs {
		// The retired name keeps the next epoch, so that a new stream of
		// the name never reuses a segment id: by design, not a leftover.
		if strings.Contains(kv.Key, stream) && kv.Key != "retired/"+stream || strings.HasPrefix(kv.Key, "ephemeral/") {
			t.Errorf("metadata left: %s = %s", kv.Key, kv.Value)
		}
	}
}

// TestEphemeralDeletionKilled SIGKILLs the server while it deletes an
// ephemeral scope of many streams; after the restart the deletion is
// finished: no stream, scope, record or chunk of it is left.
func TestEphemeralDeletionKilled(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	srv, c := startDialed(ctx, t)
	caught := false
	for attempt := 0; attempt < 5 && !caught; attempt++ {
		scope := "area" + string(rune('a'+attempt))
		h, err := c.EphemeralScope(ctx, scope, braid.WithLease(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		for i := range 40 {
			if _, err := c.CreateStream(ctx, scope+"/s"+string(rune('a'+i%26))+string(rune('a'+i/26)), braid.StreamConfig{Segments: 8}); err != nil {
				t.Fatal(err)
			}
		}
		if err := h.Close(); err != nil {
			t.Fatal(err)
		}
		// Kill the server as soon as the deletion has begun.
		waitFor(ctx, 10*time.Second, func() bool {
			info, err := c.DescribeEphemeral(ctx, scope, "")
			if err == nil && info.State == "deleting" {
				caught = true
				// Re-creating the name meanwhile is refused, clearly.
				if _, err := c.EphemeralScope(ctx, scope); !errors.Is(err, braid.ErrConflict) || !strings.Contains(err.Error(), "being deleted") {
					t.Errorf("attach while %s is being deleted: %v, want CONFLICT saying so", scope, err)
				}
				return true
			}
			return err != nil // gone already: missed it
		})
		if err := srv.kill(); err != nil {
			t.Fatal(err)
		}
		if err := srv.start(ctx); err != nil {
			t.Fatal(err)
		}
		if !waitFor(ctx, 30*time.Second, func() bool {
			scopes, err := c.ListScopes(ctx)
			return err == nil && !strings.Contains(strings.Join(scopes, ","), scope)
		}) {
			t.Fatalf("scope %s outlived the restart\n%s", scope, srv.output(8<<10))
		}
		if list, err := c.ListEphemeral(ctx); err != nil || len(list) != 0 {
			t.Errorf("ephemeral records left after the restart: %v, %v", list, err)
		}
		t.Logf("attempt %d: killed mid-deletion: %v", attempt, caught)
	}
	if !caught {
		t.Skip("the deletion finished before the kill in every attempt; the restart path was not exercised")
	}
	c.Close()
	kvs := stoppedMeta(ctx, t, srv)
	for _, kv := range kvs {
		if strings.HasPrefix(kv.Key, "streams/") || strings.HasPrefix(kv.Key, "ephemeral/") || strings.HasPrefix(kv.Key, "scopes/area") {
			t.Errorf("metadata left after the restart: %s", kv.Key)
		}
	}
}

// TestEphemeralThreeProcesses: three `braid ephemeral hold` processes hold
// one stream; it survives the first two ending (SIGINT: they detach) and
// goes after the third.
func TestEphemeralThreeProcesses(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv, c := startDialed(ctx, t)
	const stream = "shared/work"
	type holder struct {
		cmd    *exec.Cmd
		out    *lockedBuffer
		exited chan error
	}
	var hs []holder
	for i := range 3 {
		cmd := exec.CommandContext(ctx, srv.bin, "ephemeral", "hold", stream, "--lease", "2s", "--name", "p"+string(rune('1'+i)), "--addr", srv.grpcAddr)
		cmd.SysProcAttr = childAttr()
		out := &lockedBuffer{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		h := holder{cmd, out, make(chan error, 1)}
		go func() { h.exited <- cmd.Wait() }()
		hs = append(hs, h)
		want := i + 1
		// The process says it holds the stream once its attach returned:
		// a signal before that would interrupt the attach itself.
		if !waitFor(ctx, 30*time.Second, func() bool {
			info, err := c.DescribeEphemeral(ctx, "shared", "work")
			return err == nil && len(info.Holders) == want && strings.Contains(out.String(), "holding it")
		}) {
			t.Fatalf("holder %d did not attach:\n%s", i+1, out.String())
		}
	}
	for i, h := range hs {
		if err := h.cmd.Process.Signal(syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		if err := <-h.exited; err != nil {
			t.Fatalf("holder %d ended with %v:\n%s", i+1, err, h.out.String())
		}
		if !strings.Contains(h.out.String(), "detached from "+stream) {
			t.Errorf("holder %d did not say it detached:\n%s", i+1, h.out.String())
		}
		if i < 2 {
			info, err := c.DescribeEphemeral(ctx, "shared", "work")
			if err != nil || len(info.Holders) != 2-i {
				t.Fatalf("after %d of 3 detached: %+v, %v", i+1, info, err)
			}
		}
	}
	if !waitFor(ctx, 10*time.Second, func() bool {
		_, err := c.GetStream(ctx, stream)
		return errors.Is(err, braid.ErrNotFound)
	}) {
		t.Fatal("the stream outlived its last holder")
	}
}
