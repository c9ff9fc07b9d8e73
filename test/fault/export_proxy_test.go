package fault

import (
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"
	"time"
)

// s3Proxy is an HTTP proxy in front of the S3 server that injects faults
// into PUTs: latency, 503 SlowDown answers, and connections dropped in the
// middle of a request body. Clients sign for the proxy's address, which it
// passes on as the Host, so signatures hold.
type s3Proxy struct {
	addr string
	// Faults, set before use: every SlowDownEvery-th PUT is answered
	// 503 SlowDown, every DropEvery-th has its connection closed after a
	// few bytes of its body; every PUT waits Delay first.
	SlowDownEvery, DropEvery int64
	Delay                    time.Duration
	// GetDelay delays every GET.
	GetDelay time.Duration

	puts, slowDowns, drops atomic.Int64
	rp                     *httputil.ReverseProxy
}

func newS3Proxy(t *testing.T, target string) *s3Proxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &s3Proxy{addr: ln.Addr().String(), rp: httputil.NewSingleHostReverseProxy(u)}
	p.rp.Transport = &http.Transport{MaxIdleConnsPerHost: 64}
	p.rp.ErrorLog = log.New(io.Discard, "", 0) // clients killed mid-request are expected
	srv := &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.Serve(ln)
	}()
	t.Cleanup(func() {
		srv.Close()
		<-done
		p.rp.Transport.(*http.Transport).CloseIdleConnections()
	})
	return p
}

func (p *s3Proxy) endpoint() string { return "http://" + p.addr }

const slowDownBody = `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>fault</RequestId></Error>`

func (p *s3Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPut {
		if r.Method == http.MethodGet && p.GetDelay > 0 {
			time.Sleep(p.GetDelay) // injected latency
		}
		p.rp.ServeHTTP(w, r)
		return
	}
	n := p.puts.Add(1)
	if p.Delay > 0 {
		time.Sleep(p.Delay) // injected latency, not a wait for a condition
	}
	switch {
	case p.SlowDownEvery > 0 && n%p.SlowDownEvery == 0:
		p.slowDowns.Add(1)
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, slowDownBody)
	case p.DropEvery > 0 && n%p.DropEvery == 0:
		p.drops.Add(1)
		var buf [4]byte
		io.ReadFull(r.Body, buf[:])
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	default:
		p.rp.ServeHTTP(w, r)
	}
}
