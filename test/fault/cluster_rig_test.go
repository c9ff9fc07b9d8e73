package fault

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/binarytest"
)

// ---- etcd, a real etcd server process --------------------------------------

var etcdBuild struct {
	once sync.Once
	path string
	err  error
}

// etcdBinary builds etcd's server at the version go.mod pins, once per test
// binary.
func etcdBinary(t testing.TB) string {
	t.Helper()
	etcdBuild.once.Do(func() {
		etcdBuild.path, etcdBuild.err = binarytest.BuildPackage(binDir, "etcd", "go.etcd.io/etcd/server/v3")
	})
	if etcdBuild.err != nil {
		t.Fatalf("building etcd: %v", etcdBuild.err)
	}
	return etcdBuild.path
}

// etcdServer is one etcd member as a child process, across kills and
// restarts on the same data and ports.
type etcdServer struct {
	t       *testing.T
	bin     string
	dataDir string
	logPath string
	client  string // host:port
	peer    string

	mu   sync.Mutex
	proc *process
}

func newEtcd(t *testing.T) *etcdServer {
	t.Helper()
	dir := t.TempDir()
	e := &etcdServer{t: t, bin: etcdBinary(t), dataDir: filepath.Join(dir, "etcd"), logPath: filepath.Join(dir, "etcd.log"),
		client: freeAddr(t), peer: freeAddr(t)}
	t.Cleanup(func() {
		e.kill()
		if t.Failed() {
			b, _ := os.ReadFile(e.logPath)
			t.Logf("etcd output:\n%s", tail(string(b), 4<<10))
		}
	})
	return e
}

func (e *etcdServer) start(ctx context.Context) error {
	e.mu.Lock()
	if e.proc != nil {
		e.mu.Unlock()
		return errors.New("etcd already running")
	}
	log, err := os.OpenFile(e.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		e.mu.Unlock()
		return err
	}
	c, p := "http://"+e.client, "http://"+e.peer
	cmd := exec.Command(e.bin, "--data-dir", e.dataDir, "--name", "fault",
		"--listen-client-urls", c, "--advertise-client-urls", c,
		"--listen-peer-urls", p, "--initial-advertise-peer-urls", p, "--initial-cluster", "fault="+p,
		"--log-level", "warn")
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = childAttr()
	err = cmd.Start()
	log.Close()
	if err != nil {
		e.mu.Unlock()
		return err
	}
	proc := &process{cmd: cmd, done: make(chan struct{})}
	go func() {
		proc.err = cmd.Wait()
		close(proc.done)
	}()
	e.proc = proc
	e.mu.Unlock()
	hc := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	if !waitFor(ctx, readyTimeout, func() bool {
		resp, err := hc.Get(c + "/health")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		var h struct{ Health string }
		return json.NewDecoder(resp.Body).Decode(&h) == nil && h.Health == "true"
	}) {
		return fmt.Errorf("etcd at %s not healthy within %v", e.client, readyTimeout)
	}
	return nil
}

// kill SIGKILLs etcd and waits for it to exit.
func (e *etcdServer) kill() {
	e.mu.Lock()
	p := e.proc
	e.proc = nil
	e.mu.Unlock()
	if p == nil {
		return
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// ---- a TCP proxy that can cut one node off from etcd ------------------------

// cutProxy forwards a node's etcd connections; cut drops them and refuses
// new ones until restore.
type cutProxy struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	cut   bool
	conns map[net.Conn]bool
	wg    sync.WaitGroup
}

func newCutProxy(t *testing.T, target string) *cutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{ln: ln, target: target, conns: map[net.Conn]bool{}}
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(p.close)
	return p
}

func (p *cutProxy) addr() string { return p.ln.Addr().String() }

func (p *cutProxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.cut {
			p.mu.Unlock()
			c.Close()
			continue
		}
		up, err := net.DialTimeout("tcp", p.target, time.Second)
		if err != nil {
			p.mu.Unlock()
			c.Close()
			continue
		}
		p.conns[c], p.conns[up] = true, true
		p.wg.Add(2)
		go p.pipe(c, up)
		go p.pipe(up, c)
		p.mu.Unlock()
	}
}

func (p *cutProxy) pipe(dst, src net.Conn) {
	defer p.wg.Done()
	io.Copy(dst, src)
	dst.Close()
	src.Close()
	p.mu.Lock()
	delete(p.conns, dst)
	delete(p.conns, src)
	p.mu.Unlock()
}

// setCut cuts (true) or restores (false) the node's way to etcd.
func (p *cutProxy) setCut(cut bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = cut
	if cut {
		for c := range p.conns {
			c.Close()
		}
	}
}

func (p *cutProxy) close() {
	p.ln.Close()
	p.setCut(true)
	p.wg.Wait()
}

// ---- the cluster as its dashboards describe it ------------------------------

type clusterView struct {
	Enabled    bool   `json:"enabled"`
	Self       string `json:"self"`
	Leader     string `json:"leader"`
	Nodes      []struct{ ID string }
	Containers []struct {
		ID    int    `json:"id"`
		Owner string `json:"owner"`
		Epoch uint64 `json:"epoch"`
		Live  bool   `json:"live"`
	} `json:"containers"`
	Open map[string]uint64 `json:"open"`
}

func (s *server) clusterView(ctx context.Context) (clusterView, error) {
	var v clusterView
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+s.httpAddr+"/v1/cluster", nil)
	resp, err := s.http.Do(req)
	if err != nil {
		return v, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return v, fmt.Errorf("GET /v1/cluster: %s", resp.Status)
	}
	return v, json.NewDecoder(resp.Body).Decode(&v)
}

// signal sends sig to the running node without waiting (SIGSTOP, SIGCONT).
func (s *server) signal(sig syscall.Signal) error {
	s.mu.Lock()
	p := s.proc
	s.mu.Unlock()
	if p == nil {
		return errors.New("server not running")
	}
	return p.cmd.Process.Signal(sig)
}
