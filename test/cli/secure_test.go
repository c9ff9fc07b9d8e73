package cli

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/tlsconf/tlstest"
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

// TestServeSecured: with a users file and TLS, braid serve listens on
// every interface without --insecure and without a warning; the CLI
// reaches it with --tls-ca and --token, and without the token it is
// refused.
func TestServeSecured(t *testing.T) {
	dir := t.TempDir()
	f := tlstest.Write(t, dir)
	users := filepath.Join(dir, "users.json")
	res := braid(t, "", "auth", "add-user", "ops", "--admin", "--file", users)
	if res.code != 0 {
		t.Fatalf("add-user: exit %d\n%s", res.code, res.stderr)
	}
	token := strings.TrimSpace(res.stdout)
	if r := braid(t, "", "serve", "--data", filepath.Join(dir, "d0"), "--grpc", "0.0.0.0:0", "--http", "127.0.0.1:0", "--auth-file", users); r.code != 2 || !strings.Contains(r.stderr, "no TLS") {
		t.Fatalf("serve with a users file and no TLS on 0.0.0.0: exit %d\n%s", r.code, r.stderr)
	}
	grpcAddr := freeLoopbackAddr(t)
	s := startServe(t, "--grpc", "0.0.0.0:"+portOf(grpcAddr), "--http", "127.0.0.1:0", "--auth-file", users, "--tls-cert", f.ServerCert, "--tls-key", f.ServerKey)
	for _, l := range s.log {
		if strings.Contains(l, "INSECURE") {
			t.Fatalf("a secured server warned: %s", l)
		}
	}
	addr := "--addr=" + grpcAddr
	if r := braid(t, "", "scope", "create", "sec", addr, "--tls-ca", f.CA, "--token", token); r.code != 0 {
		t.Fatalf("scope create with the token over TLS: exit %d\n%s", r.code, r.stderr)
	}
	if r := braid(t, "", "scope", "list", addr, "--tls-ca", f.CA); r.code == 0 || !strings.Contains(strings.ToLower(r.stderr), "authentication") {
		t.Fatalf("scope list without a token: exit %d\n%s", r.code, r.stderr)
	}
}

// freeLoopbackAddr is a loopback address whose port was free a moment ago.
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func portOf(addr string) string {
	_, port, _ := net.SplitHostPort(addr)
	return port
}
