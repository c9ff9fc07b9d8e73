package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/braidstream/braid/internal/bench"
)

func TestBenchSuiteFlags(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--suite-duration", "1s"}, "--suite-duration: only with --suite"},
		{[]string{"--data", dir}, "--data: only with --suite"},
		{[]string{"--suite", "--data", dir, "--events", "5", "--mode", "tail"}, "--mode, --events: --suite runs fixed workloads"},
		{[]string{"--suite", "--data", dir, "--suite-duration", "0s"}, "--suite-duration: want more than 0"},
		{[]string{"--suite", "--data", dir + "/missing"}, "not a directory"},
	} {
		r := run(t, "", append([]string{"bench", "--addr", "127.0.0.1:1"}, tc.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("bench %s: exit %d, stderr %q; want 2 and %q", strings.Join(tc.args, " "), r.code, r.stderr, tc.want)
		}
	}
}

func TestPrintSuite(t *testing.T) {
	disk := bench.DiskResult{Dir: "/d", MBPerSec: 500, FsyncP50Ms: 2, FsyncP99Ms: 4, Blocks: 10, Seconds: 1}
	res := bench.SuiteResult{Suite: "standard", DurationSeconds: 10, Disk: disk,
		Rows: bench.SuiteRows(disk, bench.Result{WriteMBPerSec: 250}, bench.Result{Size: 100, WriteEventsPerSec: 1000, WriteMBPerSec: 0.1},
			bench.Result{}, bench.TailResult{}, bench.CatchupResult{})}
	var b strings.Builder
	if err := printSuite(&b, res); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"disk: /d: 1 MiB appends, fdatasync after each, 10 blocks in 1.0 s: 500 MB/s, fdatasync p50 2 ms, p99 4 ms\n",
		"standard suite, 10s of writing per workload",
		"write MB/s", "250", "0.500",
		"1000 (0.10 MB/s)", "5000000",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "\n"); n != 2+1+7+1 {
		t.Errorf("%d lines, want 11:\n%s", n, out)
	}
	if _, err := json.Marshal(res); err != nil {
		t.Fatal(err)
	}
}
