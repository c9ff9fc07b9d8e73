package cli

import (
	"strings"
	"testing"

	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

// TestOneWayToNameTheServer: --addr and --http are taken by every command
// (also before --help of a command group), and BRAID_ADDR and BRAID_HTTP
// set their defaults.
func TestOneWayToNameTheServer(t *testing.T) {
	ts := servertest.New(t, server.Config{})
	for _, args := range [][]string{
		{"group", "--addr", ts.GRPCAddr(), "--help"},
		{"stream", "--http", ts.HTTPAddr(), "--help"},
		{"upload", "--addr", ts.GRPCAddr(), "--help"},
	} {
		if res := braid(t, "", args...); res.code != 0 {
			t.Errorf("braid %v: exit %d\n%s", args, res.code, res.stderr)
		}
	}
	env := []string{"BRAID_ADDR=" + ts.GRPCAddr(), "BRAID_HTTP=" + ts.HTTPAddr()}
	if res := braidEnv(t, env, "", "stream", "create", "env/s"); res.code != 0 {
		t.Fatalf("stream create with BRAID_ADDR: exit %d\n%s", res.code, res.stderr)
	}
	if res := braidEnv(t, env, "hello\n", "upload", "-", "env/s"); res.code != 0 || !strings.Contains(res.stderr+res.stdout, "uploaded") {
		t.Fatalf("upload with BRAID_HTTP: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	if res := braidEnv(t, env, "", "stream", "create", "env/w"); res.code != 0 {
		t.Fatalf("stream create with BRAID_ADDR: exit %d\n%s", res.code, res.stderr)
	}
	if res := braidEnv(t, env, "hello\n", "write", "env/w"); res.code != 0 {
		t.Fatalf("write with BRAID_ADDR: exit %d\n%s", res.code, res.stderr)
	}
	if res := braidEnv(t, env, "", "read", "env/w"); res.code != 0 || res.stdout != "hello\n" {
		t.Fatalf("read with BRAID_ADDR: exit %d, %q\n%s", res.code, res.stdout, res.stderr)
	}
	// The flag wins over the environment.
	if res := braidEnv(t, []string{"BRAID_ADDR=127.0.0.1:1"}, "", "read", "env/w", "--addr", ts.GRPCAddr()); res.code != 0 || res.stdout != "hello\n" {
		t.Fatalf("--addr over BRAID_ADDR: exit %d\n%s", res.code, res.stderr)
	}
}
