package braid_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/braidstream/braid"
)

// readGroup reads with r until io.EOF or until stop says so, recording
// payloads.
func readUntil(t *testing.T, ctx context.Context, r *braid.GroupReader, stop func(got int) bool) ([]string, error) {
	t.Helper()
	var got []string
	for !stop(len(got)) {
		ev, err := r.Read(ctx)
		if err != nil {
			return got, err
		}
		if ev.Checkpoint != "" {
			continue
		}
		got = append(got, string(ev.Data))
	}
	return got, nil
}

func TestGroupTwoReadersExactlyOnce(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)
	createStream(t, c, "s/g1", 4)
	writeEvents(t, c, ctx, "s/g1", 0, 400)
	tail, err := c.TailCut(ctx, "s/g1")
	if err != nil {
		t.Fatal(err)
	}
	rg := c.ReaderGroup("s/grp")
	if _, err := rg.Create(ctx, braid.ReaderGroupConfig{Streams: []braid.GroupStream{{Stream: "s/g1", End: tail}}}); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for i := range 2 {
		r, err := rg.NewReader(ctx, fmt.Sprintf("r%d", i))
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := readUntil(t, ctx, r, func(int) bool { return false })
			if !errors.Is(err, io.EOF) {
				t.Errorf("reader %s: %v", r.ID(), err)
			}
			mu.Lock()
			for _, g := range got {
				seen[g]++
			}
			mu.Unlock()
			if err := r.Close(ctx); err != nil {
				t.Errorf("close: %v", err)
			}
		}()
	}
	wg.Wait()
	if len(seen) != 400 {
		t.Fatalf("read %d distinct events, want 400", len(seen))
	}
	for k, n := range seen {
		if n != 1 {
			t.Fatalf("%s read %d times", k, n)
		}
	}
	info, err := rg.Describe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !info.Finished || info.LagBytes != 0 {
		t.Fatalf("describe after the end: finished %v lag %d", info.Finished, info.LagBytes)
	}
}
