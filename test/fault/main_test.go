package fault

import (
	"flag"
	"fmt"
	"os"
	"sync"
	"testing"

	"go.uber.org/goleak"

	"github.com/braidstream/braid/internal/binarytest"
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
	build.once.Do(func() { build.path, build.err = binarytest.Build(binDir) })
	if build.err != nil {
		t.Fatalf("building the braid binary: %v", build.err)
	}
	return build.path
}
