package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

// TestTextEventsReadBack: lines written with braid write (newline
// stripped) and lines uploaded with --split lines (newline kept) both read
// back as the file's lines, not double-spaced.
func TestTextEventsReadBack(t *testing.T) {
	ts := servertest.New(t, server.Config{})
	addr, http := "--addr="+ts.GRPCAddr(), "--http="+ts.HTTPAddr()
	const lines = "alpha\nbeta\ngamma\n"
	file := filepath.Join(t.TempDir(), "lines.txt")
	if err := os.WriteFile(file, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	if res := braid(t, "", "upload", file, "txt/up", "--create", http); res.code != 0 {
		t.Fatalf("upload: exit %d\n%s", res.code, res.stderr)
	}
	if res := braid(t, "", "stream", "create", "txt/w", addr); res.code != 0 {
		t.Fatalf("create: %s", res.stderr)
	}
	if res := braid(t, lines, "write", "txt/w", "--key", "k", addr); res.code != 0 {
		t.Fatalf("write: exit %d\n%s", res.code, res.stderr)
	}
	for _, stream := range []string{"txt/up", "txt/w"} {
		if res := braid(t, "", "read", stream, addr); res.code != 0 || res.stdout != lines {
			t.Errorf("read %s: exit %d, %q, want %q", stream, res.code, res.stdout, lines)
		}
	}
}
