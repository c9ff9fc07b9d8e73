package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

// TestReconnectTimeout: --reconnect-timeout bounds how long read --follow
// and write ride out a server that went away: both fail with exit 1, soon
// after the bound, saying so, rather than after the 2-minute default.
func TestReconnectTimeout(t *testing.T) {
	ts := servertest.Start(t, server.Config{})
	addr := "--addr=" + ts.GRPCAddr()
	if res := braid(t, "", "stream", "create", "rc/events", addr); res.code != 0 {
		t.Fatal(res.stderr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	reader := exec.CommandContext(ctx, bin, "read", "rc/events", "--follow", "--reconnect-timeout", "1s", addr)
	var rerr bytes.Buffer
	reader.Stderr = &rerr
	writer := exec.CommandContext(ctx, bin, "write", "rc/events", "--reconnect-timeout", "1s", addr)
	var werr bytes.Buffer
	writer.Stderr = &werr
	in, err := writer.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	// The writer has its stream open once its first line is durable.
	if _, err := io.WriteString(in, "before\n"); err != nil {
		t.Fatal(err)
	}
	if err := reader.Start(); err != nil {
		t.Fatal(err)
	}
	if err := writer.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, "the first line to be stored", func() bool {
		res := braid(t, "", "read", "rc/events", addr)
		return res.stdout == "before\n"
	})

	ts.Stop(t)
	stopped := time.Now()
	if _, err := io.WriteString(in, "after\n"); err != nil {
		t.Fatal(err)
	}
	in.Close()
	for name, cmd := range map[string]*exec.Cmd{"read --follow": reader, "write": writer} {
		err := cmd.Wait()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 1 {
			t.Errorf("%s: %v, want exit 1", name, err)
		}
		// 1 s of retrying, then the backoff's last pause (at most 1 s).
		if d := time.Since(stopped); d > 15*time.Second {
			t.Errorf("%s ended %s after the server stopped, with --reconnect-timeout 1s", name, d)
		}
	}
	if !strings.Contains(werr.String(), "gave up after retrying for 1s") {
		t.Errorf("write: %s", werr.String())
	}
	if msg := rerr.String(); !strings.Contains(msg, "read rc/events: the server at "+ts.GRPCAddr()+" stayed unreachable past --reconnect-timeout 1s") {
		t.Errorf("read --follow: %s", msg)
	}
	t.Logf("read: %swrite: %s", rerr.String(), werr.String())
}

// waitFor polls cond until it holds, failing the test after d.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up after %s waiting for %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
