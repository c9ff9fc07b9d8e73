package e2e

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/braidstream/braid"
)

// TestDetachOnSignal runs a process that holds an ephemeral stream with a
// one-minute lease and braid.DetachOnSignal, and sends it SIGTERM: it
// detaches before it dies, so the stream goes at once, not a lease later.
func TestDetachOnSignal(t *testing.T) {
	if addr := os.Getenv("BRAID_TEST_SIGNAL_HOLDER"); addr != "" {
		holdUntilSignal(addr)
		return
	}
	ts := newServer(t)
	ctx := testCtx(t, 60*time.Second)
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestDetachOnSignal$")
	cmd.Env = append(os.Environ(), "BRAID_TEST_SIGNAL_HOLDER="+ts.GRPCAddr())
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() && !strings.Contains(sc.Text(), "holding") {
	}
	c := dial(t, ts)
	if gone(t, c, "sig/held") {
		t.Fatal("the helper process did not create the stream")
	}
	sent := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ProcessState.Sys().(syscall.WaitStatus).Signal() != syscall.SIGTERM {
		t.Errorf("the helper ended with %v, want death by SIGTERM", err)
	}
	waitUntil(t, "the stream to go after the holder's SIGTERM", 10*time.Second, func() bool { return gone(t, c, "sig/held") })
	if d := time.Since(sent); d > 30*time.Second {
		t.Errorf("the stream went %s after SIGTERM: the lease ran out, nothing detached", d)
	}
}

// holdUntilSignal is the helper process: hold sig/held until a signal.
func holdUntilSignal(addr string) {
	ctx := context.Background()
	c, err := braid.Dial(ctx, addr)
	if err != nil {
		os.Exit(3)
	}
	if _, err := c.EphemeralStream(ctx, "sig/held", braid.WithLease(time.Minute)); err != nil {
		os.Exit(4)
	}
	braid.DetachOnSignal(c)
	os.Stdout.WriteString("holding\n")
	select {} // until the signal
}
