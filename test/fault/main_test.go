package fault

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

var (
	flagSeed   = flag.Int64("crash.seed", 0, "seed for the crash tests' random choices (0: derived from the time)")
	flagCycles = flag.Int("crash.cycles", 0, "kill/restart cycles of TestCrashRecovery and TestCrashRecoveryManySegments (0: 20 and 8, or 5 and 3 with -short)")
	flagKeep   = flag.Bool("crash.keep", false, "keep the data directory and server log even when the test passes")
)

// binDir holds the braid binary built once for the whole package.
var binDir string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "braid-fault-bin-*")
	if err != nil {
		fmt.Fprintln(os.Stderr, "fault: temp dir:", err)
		os.Exit(2)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	if code == 0 {
		// Every goroutine the tests start has an owner and a join; check that
		// none (ours or the client's) outlives the tests.
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "fault: goroutines leaked:", err)
			code = 1
		}
	}
	os.Exit(code)
}

var build struct {
	once sync.Once
	path string
	err  error
}

// braidBinary builds cmd/braid once per test binary and returns its path.
func braidBinary(t testing.TB) string {
	t.Helper()
	build.once.Do(func() {
		root, err := moduleRoot()
		if err != nil {
			build.err = err
			return
		}
		out := filepath.Join(binDir, "braid")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "./cmd/braid")
		cmd.Dir = root
		var buf bytes.Buffer
		cmd.Stdout = &buf
		cmd.Stderr = &buf
		if err := cmd.Run(); err != nil {
			build.err = fmt.Errorf("go build ./cmd/braid in %s: %v\n%s", root, err, buf.String())
			return
		}
		build.path = out
	})
	if build.err != nil {
		t.Fatalf("building the braid binary: %v", build.err)
	}
	return build.path
}

// moduleRoot finds the directory of the module's go.mod.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err == nil {
		if gomod := strings.TrimSpace(string(out)); gomod != "" && gomod != os.DevNull {
			return filepath.Dir(gomod), nil
		}
	}
	// Fall back to the layout: this package is test/fault under the root.
	root, aerr := filepath.Abs(filepath.Join("..", ".."))
	if aerr != nil {
		return "", aerr
	}
	if _, serr := os.Stat(filepath.Join(root, "go.mod")); serr != nil {
		return "", fmt.Errorf("module root not found (go env GOMOD: %v; %v)", err, serr)
	}
	return root, nil
}
