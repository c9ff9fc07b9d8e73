package cli

import (
	"strings"
	"testing"

	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

// TestWriteKeyPerLine: --key-separator takes each line's key from the
// line (kcat -K), so lines of one key share a segment, and the value alone
// is stored; --print-pointers prints one pointer per line in input order,
// each of which fetches its line's value.
func TestWriteKeyPerLine(t *testing.T) {
	ts := servertest.New(t, server.Config{})
	addr := "--addr=" + ts.GRPCAddr()
	if res := braid(t, "", "stream", "create", "w/keys", "--segments", "4", addr); res.code != 0 {
		t.Fatal(res.stderr)
	}
	const input = "user-1:a\nuser-2:b\nuser-1:c:d\nuser-3:\n"
	values := []string{"a", "b", "c:d", ""}
	res := braid(t, input, "write", "w/keys", "--key-separator", ":", "--print-pointers", addr)
	if res.code != 0 {
		t.Fatalf("write: exit %d\n%s", res.code, res.stderr)
	}
	ptrs := strings.Fields(res.stdout)
	if len(ptrs) != len(values) {
		t.Fatalf("write printed %d pointers, want %d:\n%s", len(ptrs), len(values), res.stdout)
	}
	for i, p := range ptrs {
		got := braid(t, "", "fetch", p, "--stream", "w/keys", addr)
		if got.code != 0 || got.stdout != values[i] {
			t.Errorf("fetch %s: exit %d, %q, want %q\n%s", p, got.code, got.stdout, values[i], got.stderr)
		}
	}
	segment := func(p string) string { return strings.SplitN(p, "-", 2)[0] }
	if segment(ptrs[0]) != segment(ptrs[2]) {
		t.Errorf("the two user-1 lines went to segments %s and %s", segment(ptrs[0]), segment(ptrs[2]))
	}

	for _, tc := range []struct {
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"k:v\nno separator here\nk:w\n", []string{"--key-separator", ":"}, 1, "line 2 has no key separator \":\" (want KEY:VALUE); 1 line before it written, none after"},
		{"k:v\n", []string{"--key-separator", ":", "--key", "x"}, 2, "exclusive"},
		{"k:v\n", []string{"--key-separator="}, 2, "--key-separator"},
	} {
		res := braid(t, tc.stdin, append([]string{"write", "w/keys", addr}, tc.args...)...)
		if res.code != tc.code || !strings.Contains(res.stderr, tc.want) {
			t.Errorf("write %q: exit %d, %q; want exit %d naming %q", tc.args, res.code, res.stderr, tc.code, tc.want)
		}
	}
}
