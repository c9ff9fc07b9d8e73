package cli

import (
	"bufio"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeSaysWhatNext: braid serve on a new data directory logs the
// dashboard's URL and a first command to try.
func TestServeSaysWhatNext(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "serve", "--data", filepath.Join(t.TempDir(), "data"), "--grpc", "127.0.0.1:0", "--http", "127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); cmd.Wait() }()
	sc := bufio.NewScanner(stderr)
	var seen []string
	for sc.Scan() {
		line := sc.Text()
		seen = append(seen, line)
		if strings.Contains(line, "no streams yet") {
			if !strings.Contains(line, "braid stream create demo/events") || !strings.Contains(line, "dashboard=http://127.0.0.1:") {
				t.Fatalf("the hint: %s", line)
			}
			return
		}
	}
	t.Fatalf("no hint in the log:\n%s", strings.Join(seen, "\n"))
}
