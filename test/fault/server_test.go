package fault

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

const (
	readyTimeout = 30 * time.Second // a start, recovery included, must be ready within this
	exitTimeout  = 15 * time.Second // a signalled server must have exited within this
	pollInterval = 10 * time.Millisecond
)

// server runs `braid serve` as a child process on one data directory and
// one pair of ports, across any number of kills and restarts. Its stdout and
// stderr go to one log file; every start writes a banner first and remembers
// where its output begins.
type server struct {
	t        testing.TB
	bin      string
	dir      string // holds data/ and server.log
	dataDir  string
	logPath  string
	grpcAddr string
	httpAddr string
	args     []string
	env      []string // added to the environment of each start
	http     *http.Client

	mu      sync.Mutex // guards the fields below
	log     *os.File
	proc    *process
	starts  int
	logFrom int64 // where the current start's output begins in the log
}

// process is one run of the binary. done is closed once Wait has returned
// and err holds its result.
type process struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

// newServer prepares a server on fresh loopback ports and a fresh directory.
// The directory is removed when the test passes and kept (its path logged)
// when it fails. Cleanup kills the process, whatever state the test left.
func newServer(t testing.TB, extraArgs ...string) *server {
	t.Helper()
	bin := braidBinary(t)
	dir, err := os.MkdirTemp("", "braid-crash-*")
	if err != nil {
		t.Fatal(err)
	}
	s := &server{
		t:        t,
		bin:      bin,
		dir:      dir,
		dataDir:  filepath.Join(dir, "data"),
		logPath:  filepath.Join(dir, "server.log"),
		grpcAddr: freeAddr(t),
		httpAddr: freeAddr(t),
		args:     extraArgs,
		http: &http.Client{
			Timeout:   time.Second,
			Transport: &http.Transport{DisableKeepAlives: true},
		},
	}
	if err := os.MkdirAll(s.dataDir, 0o755); err != nil {
		t.Fatal(err)
	}
	s.log, err = os.OpenFile(s.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.killNow()
		s.log.Close()
		if t.Failed() || *flagKeep {
			t.Logf("kept the data directory and server log: %s (log: %s)", s.dir, s.logPath)
			return
		}
		os.RemoveAll(s.dir)
	})
	return s
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// start starts the binary and waits until /readyz answers 200 OK, the
// process exits, or readyTimeout passes. On failure the error carries the
// output of this start.
func (s *server) start(ctx context.Context) error {
	s.mu.Lock()
	if s.proc != nil {
		s.mu.Unlock()
		return errors.New("server already running")
	}
	s.starts++
	n := s.starts
	fmt.Fprintf(s.log, "\n===== fault test: braid serve start #%d at %s =====\n", n, time.Now().Format(time.RFC3339Nano))
	from, _ := s.log.Seek(0, io.SeekCurrent)
	s.logFrom = from
	args := append([]string{"serve", "--data", s.dataDir, "--grpc", s.grpcAddr, "--http", s.httpAddr}, s.args...)
	cmd := exec.Command(s.bin, args...)
	if len(s.env) > 0 {
		cmd.Env = append(os.Environ(), s.env...)
	}
	cmd.Stdout = s.log
	cmd.Stderr = s.log
	cmd.SysProcAttr = childAttr()
	if err := cmd.Start(); err != nil {
		s.mu.Unlock()
		return fmt.Errorf("start #%d: %v", n, err)
	}
	p := &process{cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	s.proc = p
	s.mu.Unlock()

	if err := s.waitReady(ctx, p); err != nil {
		return fmt.Errorf("start #%d: %v\n--- server output of this start ---\n%s", n, err, s.output(16<<10))
	}
	return nil
}

func (s *server) waitReady(ctx context.Context, p *process) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	url := "http://" + s.httpAddr + "/readyz"
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	var last string
	for {
		select {
		case <-p.done:
			return fmt.Errorf("server exited before it was ready: %v", p.err)
		default:
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		resp, err := s.http.Do(req)
		if err == nil {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			last = fmt.Sprintf("%s: %s", resp.Status, strings.TrimSpace(string(body)))
		} else {
			last = err.Error()
		}
		select {
		case <-p.done:
			return fmt.Errorf("server exited before it was ready: %v", p.err)
		case <-ctx.Done():
			return fmt.Errorf("not ready within %v (last /readyz: %s)", readyTimeout, last)
		case <-tick.C:
		}
	}
}

// kill sends SIGKILL and waits for the process to exit.
func (s *server) kill() error {
	return s.signalAndWait(syscall.SIGKILL, exitTimeout)
}

// stop asks the server to shut down with SIGTERM and waits for it; if it
// has not exited within exitTimeout it is killed and an error says so.
func (s *server) stop() error {
	err := s.signalAndWait(syscall.SIGTERM, exitTimeout)
	if err != nil {
		if kerr := s.kill(); kerr != nil {
			return fmt.Errorf("%v; then %v", err, kerr)
		}
	}
	return err
}

func (s *server) signalAndWait(sig syscall.Signal, timeout time.Duration) error {
	s.mu.Lock()
	p := s.proc
	s.mu.Unlock()
	if p == nil {
		return errors.New("server not running")
	}
	if err := p.cmd.Process.Signal(sig); err != nil {
		select {
		case <-p.done: // it had exited already
		default:
			return fmt.Errorf("sending %v: %v", sig, err)
		}
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case <-p.done:
	case <-timer.C:
		return fmt.Errorf("server did not exit within %v of %v", timeout, sig)
	}
	s.mu.Lock()
	s.proc = nil
	s.mu.Unlock()
	return nil
}

// exited reports whether the current process has exited by itself, and how.
func (s *server) exited() (bool, error) {
	s.mu.Lock()
	p := s.proc
	s.mu.Unlock()
	if p == nil {
		return false, nil
	}
	select {
	case <-p.done:
		return true, p.err
	default:
		return false, nil
	}
}

// pid returns the process id of the running server, or 0 when none runs.
func (s *server) pid() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc == nil {
		return 0
	}
	return s.proc.cmd.Process.Pid
}

// killNow kills the process if there is one and waits for it to exit.
func (s *server) killNow() {
	s.mu.Lock()
	p := s.proc
	s.proc = nil
	s.mu.Unlock()
	if p == nil {
		return
	}
	p.cmd.Process.Kill()
	<-p.done
}

// output returns up to max bytes from the end of the current start's output.
func (s *server) output(max int64) string {
	s.mu.Lock()
	from := s.logFrom
	s.mu.Unlock()
	return s.readLog(from, max)
}

// fullLog returns up to max bytes from the end of the whole log.
func (s *server) fullLog(max int64) string {
	return s.readLog(0, max)
}

func (s *server) readLog(from, max int64) string {
	f, err := os.Open(s.logPath)
	if err != nil {
		return fmt.Sprintf("(cannot read server log: %v)", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Sprintf("(cannot read server log: %v)", err)
	}
	prefix := ""
	if st.Size()-from > max {
		from = st.Size() - max
		prefix = "[... earlier output cut ...]\n"
	}
	b := make([]byte, st.Size()-from)
	n, _ := f.ReadAt(b, from)
	return prefix + string(b[:n])
}
