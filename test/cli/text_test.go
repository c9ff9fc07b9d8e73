package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
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

// TestCutOfAnotherStream: a position of another stream given to --from is
// named as such, once, without a doubled prefix.
func TestCutOfAnotherStream(t *testing.T) {
	ts := servertest.New(t, server.Config{})
	addr := "--addr=" + ts.GRPCAddr()
	for _, args := range [][]string{{"stream", "create", "x/three", "--segments", "3", addr}, {"stream", "create", "x/one", addr}} {
		if res := braid(t, "", args...); res.code != 0 {
			t.Fatal(res.stderr)
		}
	}
	if res := braid(t, "a\nb\nc\nd\n", "write", "x/three", addr); res.code != 0 {
		t.Fatal(res.stderr)
	}
	res := braid(t, "", "read", "x/three", "--format", "json", "--limit", "4", addr)
	lines := strings.Split(strings.TrimSpace(res.stdout), "\n")
	var last struct{ Position string }
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil || last.Position == "" {
		t.Fatalf("read: %v\n%s", err, res.stdout)
	}
	res = braid(t, "", "read", "x/one", "--from", last.Position, addr)
	if res.code == 0 || !strings.Contains(res.stderr, "is it a position of another stream?") || strings.Count(res.stderr, "read x/one") != 1 {
		t.Fatalf("read x/one --from a cut of x/three: exit %d\n%s", res.code, res.stderr)
	}
}
