package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

// TestVersion: braid --version, braid version with and without a server,
// and its JSON.
func TestVersion(t *testing.T) {
	ts := servertest.New(t, server.Config{})
	res := braid(t, "", "--version")
	if res.code != 0 || !strings.HasPrefix(res.stdout, "braid ") || strings.Count(res.stdout, "\n") != 1 {
		t.Fatalf("--version: exit %d, %q", res.code, res.stdout)
	}
	res = braid(t, "", "version", "--http", ts.HTTPAddr())
	lines := strings.Split(strings.TrimSpace(res.stdout), "\n")
	if res.code != 0 || len(lines) != 2 || !strings.Contains(lines[0], "(commit ") || !strings.Contains(lines[0], "go1.") ||
		!strings.HasPrefix(lines[1], "server at "+ts.HTTPAddr()+": braid ") || !strings.Contains(lines[1], ", up ") {
		t.Fatalf("version: exit %d\n%s", res.code, res.stdout)
	}
	res = braid(t, "", "version", "--http", "127.0.0.1:1")
	if res.code != 0 || !strings.Contains(res.stdout, "server at 127.0.0.1:1: no answer") {
		t.Fatalf("version without a server: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	res = braid(t, "", "version", "-o", "json", "--http", ts.HTTPAddr())
	var v struct {
		Version, Commit, Go, Platform string
		Server                        *struct{ Version string }
	}
	if err := json.Unmarshal([]byte(res.stdout), &v); err != nil || v.Version == "" || v.Go == "" || v.Server == nil || v.Server.Version != v.Version {
		t.Fatalf("version -o json: %v\n%s", err, res.stdout)
	}
	if res := braid(t, "", "version", "-o", "yaml"); res.code != 2 || !strings.Contains(res.stderr, `invalid --output "yaml": want table or json`) {
		t.Fatalf("-o yaml: exit %d\n%s", res.code, res.stderr)
	}
}
