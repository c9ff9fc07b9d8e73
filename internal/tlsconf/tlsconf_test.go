package tlsconf_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/peer"

	"github.com/braidstream/braid/internal/tlsconf"
	"github.com/braidstream/braid/internal/tlsconf/tlstest"
)

// serveHTTPS serves HTTPS with s's configuration on a loopback port until
// the test ends; each answer is the client certificate's PeerName.
func serveHTTPS(t *testing.T, s *tlsconf.Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, tlsconf.PeerName(*r.TLS))
		}),
		ErrorLog: log.New(io.Discard, "", 0),
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		hs.Serve(tls.NewListener(ln, s.Config()))
	}()
	t.Cleanup(func() {
		hs.Close()
		<-done
	})
	return ln.Addr().String()
}

// get asks addr over a new connection (no connection is reused) and
// returns the answer and the serial number of the server's certificate.
func get(t *testing.T, cfg *tls.Config, url string) (string, *big.Int, error) {
	t.Helper()
	tr := &http.Transport{TLSClientConfig: cfg, ForceAttemptHTTP2: true, DisableKeepAlives: true}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr, Timeout: 10 * time.Second}).Get(url)
	if err != nil {
		return "", nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return string(b), nil, errors.New(resp.Status)
	}
	if resp.TLS == nil {
		return string(b), nil, errors.New("not TLS")
	}
	return string(b), resp.TLS.PeerCertificates[0].SerialNumber, nil
}

func newServer(t *testing.T, certFile, keyFile, caFile string, log *slog.Logger) *tlsconf.Server {
	t.Helper()
	s, err := tlsconf.NewServer(certFile, keyFile, caFile, log)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newClient(t *testing.T, caFile, certFile, keyFile string) *tls.Config {
	t.Helper()
	cfg, err := tlsconf.NewClient(caFile, certFile, keyFile, false)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestServerTLS: the listener speaks TLS only, for 127.0.0.1, ::1 and
// localhost; it offers h2 and http/1.1 by ALPN and asks for no client
// certificate without a client CA.
func TestServerTLS(t *testing.T) {
	f := tlstest.Write(t, t.TempDir())
	s := newServer(t, f.ServerCert, f.ServerKey, "", nil)
	addr := serveHTTPS(t, s)
	_, port, _ := net.SplitHostPort(addr)

	// Plain text: Go's HTTPS server answers 400 and serves nothing.
	resp, err := http.Get("http://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "HTTPS server") {
		t.Fatalf("plain-text request: %s %q", resp.Status, body)
	}
	// A client that does not trust the CA.
	if _, _, err := get(t, newClient(t, "", "", ""), "https://"+addr+"/"); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("client without the CA: %v", err)
	}

	cfg := newClient(t, f.CA, "", "")
	for _, host := range []string{"127.0.0.1", "localhost"} {
		name, serial, err := get(t, cfg, "https://"+net.JoinHostPort(host, port)+"/")
		if err != nil || name != "" || serial == nil {
			t.Fatalf("%s: %q %v %v", host, name, serial, err)
		}
	}
	// A client certificate is not asked for, so it is no identity.
	if name, _, err := get(t, newClient(t, f.CA, f.ClientCert, f.ClientKey), "https://"+addr+"/"); err != nil || name != "" {
		t.Fatalf("client certificate without a client CA: %q %v", name, err)
	}

	for _, proto := range []string{"h2", "http/1.1"} {
		c := cfg.Clone()
		c.NextProtos = []string{proto}
		conn, err := tls.Dial("tcp", addr, c)
		if err != nil {
			t.Fatal(err)
		}
		st := conn.ConnectionState()
		conn.Close()
		if st.NegotiatedProtocol != proto || st.Version < tls.VersionTLS12 {
			t.Errorf("ALPN %s: negotiated %q, version %x", proto, st.NegotiatedProtocol, st.Version)
		}
	}
	old := cfg.Clone()
	old.MaxVersion = tls.VersionTLS11
	old.MinVersion = tls.VersionTLS10
	if conn, err := tls.Dial("tcp", addr, old); err == nil {
		conn.Close()
		t.Errorf("TLS 1.1 accepted")
	}
}

// TestMutualTLS: with a client CA, a client without a certificate, or
// with one of another CA, is refused; one with a certificate of the CA is
// taken, and PeerName is its common name.
func TestMutualTLS(t *testing.T) {
	f := tlstest.Write(t, t.TempDir())
	other := tlstest.Write(t, t.TempDir())
	addr := serveHTTPS(t, newServer(t, f.ServerCert, f.ServerKey, f.CA, nil))
	url := "https://" + addr + "/"

	// In TLS 1.3 the client learns of the refusal after its handshake,
	// with an error that depends on when: only the refusal is checked.
	if _, _, err := get(t, newClient(t, f.CA, "", ""), url); err == nil {
		t.Fatalf("client without a certificate: %v", err)
	}
	if _, _, err := get(t, newClient(t, f.CA, other.ClientCert, other.ClientKey), url); err == nil {
		t.Fatalf("client with another CA's certificate: %v", err)
	}
	name, _, err := get(t, newClient(t, f.CA, f.ClientCert, f.ClientKey), url)
	if err != nil || name != tlstest.ClientName {
		t.Fatalf("client with a certificate: %q %v", name, err)
	}
	if got := tlsconf.PeerName(tls.ConnectionState{}); got != "" {
		t.Fatalf("PeerName without a certificate: %q", got)
	}
}

// TestGRPC: the configuration serves gRPC through credentials.NewTLS
// (which insists on ALPN h2), and the client certificate's name reaches
// the handlers.
func TestGRPC(t *testing.T) {
	f := tlstest.Write(t, t.TempDir())
	s := newServer(t, f.ServerCert, f.ServerKey, f.CA, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var names []string
	gs := grpc.NewServer(grpc.Creds(credentials.NewTLS(s.Config())),
		grpc.UnaryInterceptor(func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
			p, _ := peer.FromContext(ctx)
			ti, _ := p.AuthInfo.(credentials.TLSInfo)
			mu.Lock()
			names = append(names, tlsconf.PeerName(ti.State))
			mu.Unlock()
			return h(ctx, req)
		}))
	healthpb.RegisterHealthServer(gs, health.NewServer())
	done := make(chan struct{})
	go func() {
		defer close(done)
		gs.Serve(ln)
	}()
	t.Cleanup(func() {
		gs.Stop()
		<-done
	})
	conn, err := grpc.NewClient(ln.Addr().String(), grpc.WithTransportCredentials(credentials.NewTLS(newClient(t, f.CA, f.ClientCert, f.ClientKey))))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(names) != 1 || names[0] != tlstest.ClientName {
		t.Fatalf("peer names %q", names)
	}
}

// TestRotate: new certificate files are served to new handshakes after
// Reload and after Run's poll, without a new listener; a bad new pair is
// logged and the old one kept; a new client CA is taken too.
func TestRotate(t *testing.T) {
	dir := t.TempDir()
	f := tlstest.Write(t, dir)
	var logs syncBuffer
	s := newServer(t, f.ServerCert, f.ServerKey, f.CA, slog.New(slog.NewTextHandler(&logs, nil)))
	addr := serveHTTPS(t, s)
	url := "https://" + addr + "/"
	client := newClient(t, f.CA, f.ClientCert, f.ClientKey)
	serial := func() *big.Int {
		t.Helper()
		_, sn, err := get(t, client, url)
		if err != nil {
			t.Fatal(err)
		}
		return sn
	}
	first := serial()

	// Reload.
	second := tlstest.IssueServer(t, f, f.ServerCert, f.ServerKey)
	if got := serial(); got.Cmp(first) != 0 {
		t.Fatalf("serial %x before Reload, want the first one %x", got, first)
	}
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	if got := serial(); got.Cmp(second.SerialNumber) != 0 {
		t.Fatalf("serial %x after Reload, want the new one %x", got, second.SerialNumber)
	}

	// Run.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Run(ctx, 10*time.Millisecond)
	}()
	defer func() {
		cancel()
		<-done
	}()
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("no %s after 10 s; log:\n%s", what, logs.String())
			}
		}
	}
	third := tlstest.IssueServer(t, f, f.ServerCert, f.ServerKey)
	waitFor("new certificate", func() bool { return serial().Cmp(third.SerialNumber) == 0 })
	waitFor("reload logged", func() bool { return strings.Contains(logs.String(), "TLS certificate reloaded") })

	// A key that is not the certificate's: logged, the old pair stays.
	tlstest.IssueServer(t, f, filepath.Join(dir, "unused.pem"), f.ServerKey)
	waitFor("error logged", func() bool { return strings.Contains(logs.String(), "private key does not match public key") })
	if got := serial(); got.Cmp(third.SerialNumber) != 0 {
		t.Fatalf("serial %x after a bad pair, want the one before %x", got, third.SerialNumber)
	}
	if err := s.Reload(); err == nil || !strings.Contains(err.Error(), f.ServerCert) {
		t.Fatalf("Reload of a bad pair: %v", err)
	}
	fourth := tlstest.IssueServer(t, f, f.ServerCert, f.ServerKey)
	waitFor("certificate after the bad pair", func() bool { return serial().Cmp(fourth.SerialNumber) == 0 })

	// A new client CA: the old one's clients are refused, the new one's
	// taken.
	g := tlstest.Write(t, t.TempDir())
	tlstest.IssueClient(t, g, "bob", filepath.Join(dir, "bob.pem"), filepath.Join(dir, "bob-key.pem"))
	bob := newClient(t, f.CA, filepath.Join(dir, "bob.pem"), filepath.Join(dir, "bob-key.pem"))
	caPEM, err := os.ReadFile(g.CA)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f.CA, caPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	waitFor("new client CA", func() bool { name, _, _ := get(t, bob, url); return name == "bob" })
	if _, _, err := get(t, client, url); err == nil {
		t.Fatalf("alice's certificate of the old CA still taken")
	}
}

// TestLoadErrors: each error names the file and what is wrong with it.
func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	f := tlstest.Write(t, dir)
	none := filepath.Join(dir, "none.pem")
	junk := filepath.Join(dir, "junk.pem")
	if err := os.WriteFile(junk, []byte("not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		cert, key, ca string
		want          []string
	}{
		{none, f.ServerKey, "", []string{"TLS certificate " + none, "no such file"}},
		{f.ServerCert, none, "", []string{"TLS key " + none, "no such file"}},
		{f.ServerKey, f.ServerKey, "", []string{"TLS certificate " + f.ServerKey, "holds BEGIN PRIVATE KEY, want a PEM certificate"}},
		{f.ServerCert, f.ServerCert, "", []string{"TLS key " + f.ServerCert, "holds BEGIN CERTIFICATE, want a PEM private key"}},
		{f.ServerCert, f.ClientKey, "", []string{f.ServerCert, f.ClientKey, "private key does not match public key"}},
		{f.ServerCert, f.ServerKey, junk, []string{"TLS client CA " + junk, "not PEM"}},
		{f.ServerCert, f.ServerKey, none, []string{"TLS client CA " + none, "no such file"}},
	} {
		_, err := tlsconf.NewServer(c.cert, c.key, c.ca, nil)
		for _, w := range c.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("NewServer(%s, %s, %q): %v, want %q", c.cert, c.key, c.ca, err, w)
				break
			}
		}
	}
	for _, c := range []struct {
		ca, cert, key, want string
	}{
		{junk, "", "", "TLS CA " + junk + ": not PEM"},
		{"", f.ClientCert, "", "TLS client certificate " + f.ClientCert + ": no key file"},
		{"", "", f.ClientKey, "TLS client key " + f.ClientKey + ": no certificate file"},
		{"", f.ClientCert, none, "TLS key " + none},
	} {
		if _, err := tlsconf.NewClient(c.ca, c.cert, c.key, false); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewClient(%q, %q, %q): %v, want %q", c.ca, c.cert, c.key, err, c.want)
		}
	}
}

// syncBuffer is a bytes.Buffer for a logger and a reader at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
