package e2e

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/promtext"
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
	m, err := promtext.Scrape(context.Background(), http.DefaultClient, "http://"+httpAddr+"/metrics")
	if err != nil {
		t.Fatal(err)
	}
	return m.Sum("braid_segstore_unflushed_bytes")
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
	if evs := readAll(t, c, "del/kept", braid.UntilTail()); len(evs) != 100 {
		t.Fatalf("kept stream reads %d events, want 100", len(evs))
	}
}
