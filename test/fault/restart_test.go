package fault

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/braidstream/braid"
)

// TestCleanRestart: a `braid read --follow` process and a Writer keep going
// across a clean server restart (SIGTERM, start again): the reader does not
// exit and sees every event once, the writer's acks all succeed.
func TestCleanRestart(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv := newServer(t)
	if err := srv.start(ctx); err != nil {
		t.Fatal(err)
	}
	c, err := dial(ctx, srv)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	const stream = "demo/events"
	if _, err := c.CreateStream(ctx, stream, braid.StreamConfig{Segments: 2, CreateScope: true}); err != nil {
		t.Fatal(err)
	}

	// The reader: the CLI, as a user runs it.
	rctx, stopReader := context.WithCancel(ctx)
	defer stopReader()
	cmd := exec.CommandContext(rctx, srv.bin, "read", stream, "--follow", "--format", "json", "--addr", srv.grpcAddr)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	var mu sync.Mutex
	seen := map[string]int{}
	lines := make(chan struct{}, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			var ev struct{ Data string }
			if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
				t.Errorf("reader printed %q: %v", sc.Text(), err)
				continue
			}
			mu.Lock()
			seen[ev.Data]++
			mu.Unlock()
			select {
			case lines <- struct{}{}:
			default:
			}
		}
		exited <- cmd.Wait()
	}()

	w, err := c.NewWriter(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	var acks []braid.Ack
	n := 0
	write := func(k int) {
		for range k {
			acks = append(acks, w.Write(ctx, fmt.Sprintf("k%d", n%7), fmt.Appendf(nil, "e%d", n)))
			n++
		}
	}
	count := func() int { mu.Lock(); defer mu.Unlock(); return len(seen) }
	waitSeen := func(want int, what string) {
		t.Helper()
		deadline := time.After(30 * time.Second)
		for count() < want {
			select {
			case <-lines:
			case err := <-exited:
				t.Fatalf("%s: the reader exited: %v\n%s", what, err, stderr.String())
			case <-deadline:
				t.Fatalf("%s: the reader saw %d of %d events\n%s", what, count(), want, stderr.String())
			}
		}
	}
	write(200)
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	waitSeen(200, "before the restart")

	// Clean stop while the writer still writes, then start again.
	write(100)
	if err := srv.stop(); err != nil {
		t.Fatalf("SIGTERM: %v\n%s", err, srv.output(8<<10))
	}
	write(100)
	if err := srv.start(ctx); err != nil {
		t.Fatal(err)
	}
	write(100)
	if err := w.Flush(ctx); err != nil {
		t.Fatalf("Flush across the restart: %v", err)
	}
	for i, a := range acks {
		if _, err := a.Wait(ctx); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	waitSeen(n, "after the restart")
	select {
	case err := <-exited:
		t.Fatalf("the reader exited: %v\n%s", err, stderr.String())
	default:
	}
	mu.Lock()
	defer mu.Unlock()
	for i := range n {
		if got := seen[fmt.Sprintf("e%d", i)]; got != 1 {
			t.Errorf("event e%d read %d times", i, got)
		}
	}
	if len(seen) != n {
		t.Errorf("read %d distinct events, wrote %d", len(seen), n)
	}
	t.Logf("%d events written and read once each across a SIGTERM restart; reader stderr: %q", n, stderr.String())
}

// lockedBuffer is a bytes buffer safe for a process's output and a test.
type lockedBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	return len(p), nil
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}
