package cli

import (
	"strings"
	"testing"

	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

// TestCompletionAsksTheServer: <TAB> after a command that takes a stream
// or a group offers the server's names (cobra's __complete is what the
// shell scripts of "braid completion" run), and a server that is down
// offers nothing, at once, without an error on the terminal.
func TestCompletionAsksTheServer(t *testing.T) {
	ts := servertest.Start(t, server.Config{})
	addr := "--addr=" + ts.GRPCAddr()
	for _, args := range [][]string{
		{"stream", "create", "demo/events", addr},
		{"stream", "create", "demo/files", addr},
		{"stream", "create", "ops/audit", addr},
		{"group", "create", "demo/billing", "--stream", "demo/events", addr},
	} {
		if res := braid(t, "", args...); res.code != 0 {
			t.Fatalf("%v: %s", args, res.stderr)
		}
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"stream", "describe", ""}, []string{"demo/", "ops/"}},
		{[]string{"stream", "describe", "demo/"}, []string{"demo/events", "demo/files"}},
		{[]string{"stream", "delete", "o"}, []string{"ops/"}},
		{[]string{"scope", "delete", ""}, []string{"demo", "ops"}},
		{[]string{"group", "describe", "demo/"}, []string{"demo/billing"}},
		{[]string{"read", "--group", "demo/b"}, []string{"demo/billing"}},
		{[]string{"fetch", "--stream", "demo/e"}, []string{"demo/events"}},
		{[]string{"download", "ops/"}, []string{"ops/audit"}},
		{[]string{"stream", "describe", "demo/events", ""}, nil},
	} {
		res := braid(t, "", append([]string{"__complete", addr}, tc.args...)...)
		if got := completions(res.stdout); res.code != 0 || strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("complete %q: exit %d, %q, want %q\n%s", tc.args, res.code, got, tc.want, res.stderr)
		}
	}
	ts.Stop(t)
	res := braid(t, "", "__complete", addr, "stream", "describe", "")
	if got := completions(res.stdout); res.code != 0 || len(got) != 0 {
		t.Errorf("complete with the server down: exit %d, %q", res.code, got)
	}
	if res := braid(t, "", "completion", "bash"); res.code != 0 || !strings.Contains(res.stdout, "__complete") {
		t.Errorf("completion bash: exit %d\n%s", res.code, res.stderr)
	}
}

// completions returns the candidates of a __complete answer: the lines
// before the ":<directive>" line.
func completions(out string) []string {
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.HasPrefix(line, ":") {
			break
		}
		got = append(got, line)
	}
	return got
}
