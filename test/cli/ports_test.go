package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

// TestWrongAddresses: the two ports mixed up, a missing port, a URL where
// host:port is wanted, a bad port: each is one line that says what is
// wrong and what to use, with exit 2 for a command line that cannot be
// right and no retries of a peer that speaks the other protocol.
func TestWrongAddresses(t *testing.T) {
	ts := servertest.New(t, server.Config{})
	file := filepath.Join(t.TempDir(), "f.txt")
	if err := os.WriteFile(file, []byte("one\ntwo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"the HTTP port as --addr", []string{"scope", "list", "--addr", ts.HTTPAddr()}, 1, "answers HTTP/1.1, not gRPC: is it braid's HTTP port? --addr takes the gRPC port"},
		{"the gRPC port as --http", []string{"upload", file, "demo/f", "--create", "--http", ts.GRPCAddr()}, 1, "answers gRPC (HTTP/2), not HTTP/1.1: is it braid's gRPC port? --http takes the HTTP port"},
		{"no port", []string{"scope", "list", "--addr", "localhost"}, 2, `invalid --addr "localhost": no port; want host:port, e.g. --addr localhost:7470`},
		{"a URL", []string{"scope", "list", "--addr", "http://" + ts.GRPCAddr()}, 2, "without http:// (try --addr " + ts.GRPCAddr()},
		{"a bad port", []string{"scope", "list", "--addr", "127.0.0.1:99999"}, 2, `port "99999" is not a number from 1 to 65535`},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := braid(t, "", c.args...)
			if res.code != c.code || !strings.Contains(res.stderr, c.want) {
				t.Fatalf("exit %d, stderr:\n%s\nwant exit %d and %q", res.code, res.stderr, c.code, c.want)
			}
			if n := strings.Count(res.stderr, c.want); n != 1 {
				t.Fatalf("said %d times:\n%s", n, res.stderr)
			}
		})
	}
}
