package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

// TestUploadSameWriterID: a file uploaded again with the same --writer-id
// stores nothing new, and the summary says so instead of claiming the
// events as uploaded; after a partial upload, it gives both numbers.
func TestUploadSameWriterID(t *testing.T) {
	ts := servertest.New(t, server.Config{})
	http := "--http=" + ts.HTTPAddr()
	var text strings.Builder
	for i := range 72 {
		fmt.Fprintf(&text, "event %d\n", i)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "events.txt")
	part := filepath.Join(dir, "part.txt")
	if err := os.WriteFile(file, []byte(text.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(text.String(), "\n")
	if err := os.WriteFile(part, []byte(strings.Join(lines[:30], "")), 0o644); err != nil {
		t.Fatal(err)
	}
	size := fmt.Sprint(text.Len())
	upload := func(src, stream, writer string) string {
		t.Helper()
		res := braid(t, "", "upload", src, stream, "--create", "--writer-id", writer, http)
		if res.code != 0 {
			t.Fatalf("upload %s to %s: exit %d\n%s", src, stream, res.code, res.stderr)
		}
		return res.stdout
	}
	summary := func(stream, counts string) *regexp.Regexp {
		return regexp.MustCompile(`^uploaded ` + regexp.QuoteMeta(file) + ` to ` + stream + `: ` + counts +
			`, ` + size + ` bytes in \S+ \(\d+\.\d MB/s\)(; first \S+, last \S+|; last \S+)?\n$`)
	}

	first := upload(file, "demo/files", "w-files")
	if want := summary("demo/files", `72 events`); !want.MatchString(first) || !strings.Contains(first, "; first ") {
		t.Errorf("first upload printed %q, want %s with pointers", first, want)
	}
	second := upload(file, "demo/files", "w-files")
	if want := summary("demo/files", regexp.QuoteMeta(`0 new events, 72 already stored (same writer id)`)); !want.MatchString(second) {
		t.Errorf("second upload printed %q, want %s", second, want)
	}
	if strings.Contains(second, "first ") || strings.Contains(second, "last ") {
		t.Errorf("second upload printed %q: pointers, though nothing was stored", second)
	}

	// 30 lines first, then the whole file with the same writer id.
	upload(part, "demo/part", "w-part")
	whole := upload(file, "demo/part", "w-part")
	if want := summary("demo/part", regexp.QuoteMeta(`42 new events, 30 already stored (same writer id)`)); !want.MatchString(whole) || !strings.Contains(whole, "; last ") {
		t.Errorf("upload after a partial one printed %q, want %s with a last pointer", whole, want)
	}

	// The streams hold the file once.
	for _, stream := range []string{"demo/files", "demo/part"} {
		if res := braid(t, "", "read", stream, "--addr="+ts.GRPCAddr()); res.code != 0 || res.stdout != text.String() {
			t.Errorf("read %s: exit %d, %d bytes, want the file's %d\n%s", stream, res.code, len(res.stdout), text.Len(), res.stderr)
		}
	}
}
