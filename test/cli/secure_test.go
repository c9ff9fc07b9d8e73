package cli

import (
	"bufio"
	"context"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestServeRefusesExposure: braid serve refuses to listen beyond this
// machine without --insecure, saying why and what to do.
func TestServeRefusesExposure(t *testing.T) {
	for _, args := range [][]string{
		{"--grpc", "0.0.0.0:0", "--http", "127.0.0.1:0"},
		{"--grpc", "127.0.0.1:0", "--http", ":0"},
		{"--grpc", "myhost.example:0", "--http", "127.0.0.1:0"},
	} {
		res := braid(t, "", append([]string{"serve", "--data", filepath.Join(t.TempDir(), "d")}, args...)...)
		if res.code != 2 || !strings.Contains(res.stderr, "listens beyond this machine") || !strings.Contains(res.stderr, "--insecure") {
			t.Fatalf("serve %v: exit %d\n%s", args, res.code, res.stderr)
		}
	}
}

// started is a braid serve process and what it logged.
type started struct {
	httpAddr string
	log      []string
}

// startServe runs braid serve with args until the test ends, and returns
// once it logged that it serves.
func startServe(t *testing.T, args ...string) started {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	cmd := exec.CommandContext(ctx, bin, append([]string{"serve", "--data", filepath.Join(t.TempDir(), "data")}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	drained := make(chan struct{})
	t.Cleanup(func() {
		cancel()
		<-drained
		cmd.Wait()
	})
	sc := bufio.NewScanner(stderr)
	var s started
	for s.httpAddr == "" && sc.Scan() {
		s.log = append(s.log, sc.Text())
		if m := regexp.MustCompile(`braid serving.* http=(\S+)`).FindStringSubmatch(sc.Text()); m != nil {
			s.httpAddr = m[1]
		}
	}
	go func() {
		defer close(drained)
		for sc.Scan() {
		}
	}()
	if s.httpAddr == "" {
		t.Fatalf("braid serve did not start:\n%s", strings.Join(s.log, "\n"))
	}
	return s
}

// TestServeInsecure: with --insecure it serves on every interface and
// says loudly that it does so without authentication.
func TestServeInsecure(t *testing.T) {
	s := startServe(t, "--insecure", "--grpc", "0.0.0.0:0", "--http", "127.0.0.1:0")
	warned := false
	for _, l := range s.log {
		warned = warned || strings.Contains(l, "INSECURE") && strings.Contains(l, "--grpc 0.0.0.0:0")
	}
	if !warned {
		t.Fatalf("no INSECURE warning before serving:\n%s", strings.Join(s.log, "\n"))
	}
}

// TestPprofOff: Go profiles are served only with --pprof.
func TestPprofOff(t *testing.T) {
	get := func(addr string) int {
		t.Helper()
		resp, err := http.Get("http://" + addr + "/debug/pprof/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if st := get(startServe(t, "--grpc", "127.0.0.1:0", "--http", "127.0.0.1:0").httpAddr); st != http.StatusNotFound {
		t.Fatalf("/debug/pprof/ without --pprof: %d, want 404", st)
	}
	if st := get(startServe(t, "--pprof", "--grpc", "127.0.0.1:0", "--http", "127.0.0.1:0").httpAddr); st != http.StatusOK {
		t.Fatalf("/debug/pprof/ with --pprof: %d, want 200", st)
	}
}
