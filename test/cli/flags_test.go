package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

// TestServeFlagsCheckedFirst: a listen address without a host:port, a
// port out of range, a cache larger than the machine: exit 2 naming the
// flag, before the data directory is made.
func TestServeFlagsCheckedFirst(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--grpc", "7590"}, `invalid --grpc "7590": want host:port: 127.0.0.1:7590 for this machine only (or, with --insecure, :7590 on every interface)`},
		{[]string{"--http", "localhost"}, `invalid --http "localhost": want host:port, e.g. 127.0.0.1:7471`},
		{[]string{"--grpc", ":70000"}, `port "70000" is not a number from 0 to 65535`},
		{[]string{"--cache-size", "1PB"}, `invalid --cache-size "1PB": more than this machine's memory`},
	} {
		dir := filepath.Join(t.TempDir(), "data")
		res := braid(t, "", append([]string{"serve", "--data", dir}, c.args...)...)
		if res.code != 2 || !strings.Contains(res.stderr, c.want) {
			t.Errorf("serve %v: exit %d\n%s\nwant exit 2 and %q", c.args, res.code, res.stderr, c.want)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("serve %v made the data directory before refusing its flags (%v)", c.args, err)
		}
	}
}

// TestSizesShownAsGiven: 10GB and 10GiB mean what they say and are shown
// so, not as a count of KiB.
func TestSizesShownAsGiven(t *testing.T) {
	ts := servertest.New(t, server.Config{})
	for stream, size := range map[string]string{"demo/dec": "10GB", "demo/bin": "10GiB", "demo/odd": "1500000B"} {
		want := map[string]string{"10GB": "10GB", "10GiB": "10GiB", "1500000B": "1500kB"}[size]
		res := braid(t, "", "stream", "create", stream, "--retention-size", size, "--addr", ts.GRPCAddr())
		if res.code != 0 || !strings.Contains(res.stdout, "at most "+want) {
			t.Fatalf("create --retention-size %s: exit %d\n%s%s", size, res.code, res.stdout, res.stderr)
		}
		res = braid(t, "", "stream", "describe", stream, "--addr", ts.GRPCAddr())
		if !strings.Contains(res.stdout, "by size: at most "+want+"\n") {
			t.Fatalf("describe after --retention-size %s:\n%s", size, res.stdout)
		}
	}
}

// TestUnderscoreNames: Kafka-style names with '_' are taken; a leading
// '_' stays reserved.
func TestUnderscoreNames(t *testing.T) {
	ts := servertest.New(t, server.Config{})
	if res := braid(t, "", "stream", "create", "my_app/my_topic", "--addr", ts.GRPCAddr()); res.code != 0 {
		t.Fatalf("create my_app/my_topic: exit %d\n%s", res.code, res.stderr)
	}
	res := braid(t, "", "stream", "create", "my_app/_hidden", "--addr", ts.GRPCAddr())
	if res.code != 2 || !strings.Contains(res.stderr, "names starting with '_' are reserved") {
		t.Fatalf("create my_app/_hidden: exit %d\n%s", res.code, res.stderr)
	}
}
