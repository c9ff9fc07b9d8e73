package braid_test

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
	"github.com/braidstream/braid/internal/storage/segstore"
)

// chunkFiles lists the chunk objects in a data directory's default tier 2.
func chunkFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	root := filepath.Join(dir, "tier2", "segments")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return out
}

// unflushed sums braid_segstore_unflushed_bytes from the server's /metrics.
func unflushed(t *testing.T, httpAddr string) float64 {
	t.Helper()
	resp, err := http.Get("http://" + httpAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "braid_segstore_unflushed_bytes{"); ok {
			f := strings.Fields(rest)
			v, err := strconv.ParseFloat(f[len(f)-1], 64)
			if err != nil {
				t.Fatalf("metrics line %q: %v", line, err)
			}
			sum += v
		}
	}
	return sum
}

// TestDeleteStreamLeavesNothingInTier2: deleting a stream deletes its
// segments' chunks from tier 2, and only those, also across a restart.
func TestDeleteStreamLeavesNothingInTier2(t *testing.T) {
	dir := t.TempDir()
	cfg := server.Config{
		DataDir:    dir,
		Containers: 2,
		Storage:    segstore.Options{ChunkSize: 1 << 10, FlushInterval: 10 * time.Millisecond},
	}
	ts := servertest.Start(t, cfg)
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)
	files := map[string][]string{}
	seen := map[string]bool{}
	for _, s := range []string{"del/gone", "del/kept"} {
		if _, err := c.CreateStream(ctx, s, braid.StreamConfig{Segments: 3, CreateScope: true}); err != nil {
			t.Fatal(err)
		}
		writeEvents(t, c, ctx, s, 0, 100)
		waitUntil(t, s+" to reach tier 2", 20*time.Second, func() bool { return unflushed(t, ts.HTTPAddr()) == 0 })
		for _, f := range chunkFiles(t, dir) {
			if !seen[f] {
				seen[f] = true
				files[s] = append(files[s], f)
			}
		}
		if len(files[s]) < 3 {
			t.Fatalf("%s: %d chunk files, want at least one per segment", s, len(files[s]))
		}
	}
	if err := c.DeleteStream(ctx, "del/gone"); err != nil {
		t.Fatal(err)
	}
	// Restart at once: the storage writer may not have got to it.
	ts.Stop(t)
	ts = servertest.Start(t, cfg)
	defer ts.Stop(t)
	c = dial(t, ts)
	want := strings.Join(files["del/kept"], "\n")
	waitUntil(t, "only the kept stream's chunks in tier 2", 20*time.Second, func() bool {
		return strings.Join(chunkFiles(t, dir), "\n") == want
	})
	if evs := readStream(t, c, ctx, "del/kept"); len(evs) != 100 {
		t.Fatalf("kept stream reads %d events, want 100", len(evs))
	}
}

// readStream reads a whole stream, head to tail.
func readStream(t *testing.T, c *braid.Client, ctx context.Context, stream string) []braid.Event {
	t.Helper()
	r, err := c.NewReader(ctx, stream, braid.UntilTail())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []braid.Event
	for {
		ev, err := r.Next(ctx)
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, ev)
	}
}
