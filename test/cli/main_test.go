// Package cli tests the braid command line as a user runs it: the built
// binary, against a server, checking what it prints and how it exits.
package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/binarytest"
)

var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "braid-cli-bin-*")
	if err != nil {
		fmt.Fprintln(os.Stderr, "cli: temp dir:", err)
		os.Exit(2)
	}
	bin, err = binarytest.Build(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cli:", err)
		os.RemoveAll(dir)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is what one run of the binary printed and how it exited.
type result struct {
	stdout, stderr string
	code           int
}

// braid runs the binary with args (and stdin), bounded by 60 s.
func braid(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	return braidEnv(t, nil, stdin, args...)
}

// braidEnv is braid with env (NAME=value) added to the environment.
func braidEnv(t *testing.T, env []string, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(append(os.Environ(), "NO_COLOR=1"), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	res := result{stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		res.code = ee.ExitCode()
	default:
		t.Fatalf("braid %s: %v", strings.Join(args, " "), err)
	}
	if ctx.Err() != nil {
		t.Fatalf("braid %s: did not end within 60 s\n%s", strings.Join(args, " "), res.stderr)
	}
	return res
}
