package cli

import (
	"context"
	"crypto/tls"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/metadata"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/internal/tlsconf"
	"github.com/braidstream/braid/internal/tlsconf/tlstest"
)

// TestSecurityFlagsChecked: TLS and token flags that cannot be right
// fail with exit 2 naming the flag, before anything is dialed.
func TestSecurityFlagsChecked(t *testing.T) {
	dir := t.TempDir()
	f := tlstest.Write(t, dir)
	junk := filepath.Join(dir, "junk.pem")
	if err := os.WriteFile(junk, []byte("junk\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	none := filepath.Join(dir, "none.pem")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"scope", "list", "--tls-cert", f.ClientCert}, "--tls-cert " + f.ClientCert + " needs --tls-key"},
		{[]string{"scope", "list", "--tls-key", f.ClientKey}, "--tls-key " + f.ClientKey + " needs --tls-cert"},
		{[]string{"scope", "list", "--tls-ca", none}, "--tls-ca " + none + ": no such file or directory"},
		{[]string{"scope", "list", "--tls-ca", junk}, "--tls-ca " + junk + ": not PEM"},
		{[]string{"scope", "list", "--tls-cert", junk, "--tls-key", f.ClientKey}, "--tls-cert " + junk + ": not PEM"},
		{[]string{"scope", "list", "--tls-cert", f.ClientCert, "--tls-key", f.ServerKey}, "--tls-cert " + f.ClientCert + " and --tls-key " + f.ServerKey + ": private key does not match public key"},
		{[]string{"version", "--http", "http://127.0.0.1:7471", "--tls-ca", f.CA}, "--http http://127.0.0.1:7471 is plain HTTP, but --tls-ca asks for TLS: give --http 127.0.0.1:7471 or https://127.0.0.1:7471"},
		{[]string{"download", "demo/s", "out.bin", "--http", "http://h:1/x", "--tls", "--insecure-skip-verify"}, "--http http://h:1/x is plain HTTP, but --tls and --insecure-skip-verify ask for TLS: give --http https://h:1/x"},
		{[]string{"scope", "list", "--token", "braid_a b"}, "invalid --token: a token has no spaces"},
		{[]string{"scope", "list", "--addr", "10.1.2.3:7470", "--token", "braid_x"}, "--token would go in plain text to 10.1.2.3 (--addr)"},
		{[]string{"version", "--http", "10.1.2.3:7471", "--token", "braid_x"}, "--token would go in plain text to 10.1.2.3 (--http)"},
		{[]string{"download", "demo/s", "out.bin", "--http", "http://example.com:7471", "--token", "braid_x"}, "--token would go in plain text to example.com (--http)"},
	} {
		r := run(t, "", c.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, c.want) || strings.Count(r.stderr, "braid: ") != 1 {
			t.Errorf("braid %s: exit %d\n%s\nwant exit 2 and %q", strings.Join(c.args, " "), r.code, r.stderr, c.want)
		}
		if strings.Contains(r.stderr, "braid_x") {
			t.Errorf("braid %s: the token is in the message:\n%s", strings.Join(c.args, " "), r.stderr)
		}
	}
}

// TestTokenFromEnvironment: $BRAID_TOKEN is the default of --token, and
// the help does not show it.
func TestTokenFromEnvironment(t *testing.T) {
	t.Setenv(envToken, "braid_fromenv")
	r := run(t, "", "scope", "list", "--addr", "10.1.2.3:7470")
	if r.code != exitUsage || !strings.Contains(r.stderr, "--token would go in plain text") {
		t.Errorf("BRAID_TOKEN to a remote plain-text address: exit %d\n%s", r.code, r.stderr)
	}
	if r := run(t, "", "scope", "list", "--help"); r.code != 0 || strings.Contains(r.stdout, "braid_fromenv") || !strings.Contains(r.stdout, "--token TOKEN") {
		t.Errorf("help with BRAID_TOKEN set: exit %d\n%s", r.code, r.stdout)
	}
	t.Setenv(envToken, "braid_x\ny")
	if r := run(t, "", "scope", "list"); r.code != exitUsage || !strings.Contains(r.stderr, "invalid $BRAID_TOKEN") {
		t.Errorf("bad BRAID_TOKEN: exit %d\n%s", r.code, r.stderr)
	}
}

// authSeen records the Authorization a test server was sent.
type authSeen struct {
	mu   sync.Mutex
	vals []string
}

func (a *authSeen) add(v ...string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.vals = append(a.vals, v...)
}

func (a *authSeen) all() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.vals...)
}

// scopeLister answers ListScopes with nothing.
type scopeLister struct {
	braidv1.UnimplementedStreamServiceServer
}

func (scopeLister) ListScopes(context.Context, *braidv1.ListScopesRequest) (*braidv1.ListScopesResponse, error) {
	return &braidv1.ListScopesResponse{Scopes: []string{"tls-scope"}}, nil
}

// startGRPC serves ListScopes until the test ends, over TLS if cfg is not
// nil, recording the authorization metadata in seen.
func startGRPC(t *testing.T, cfg *tls.Config, seen *authSeen) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	opts := []grpc.ServerOption{grpc.UnaryInterceptor(func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		md, _ := metadata.FromIncomingContext(ctx)
		seen.add(md.Get("authorization")...)
		return h(ctx, req)
	})}
	if cfg != nil {
		opts = append(opts, grpc.Creds(credentials.NewTLS(cfg)))
	}
	gs := grpc.NewServer(opts...)
	braidv1.RegisterStreamServiceServer(gs, scopeLister{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		gs.Serve(ln)
	}()
	t.Cleanup(func() {
		gs.Stop()
		<-done
	})
	return ln.Addr().String()
}

// startHTTP serves GET /v1/server until the test ends, over TLS if cfg is
// not nil, recording the Authorization headers in seen.
func startHTTP(t *testing.T, cfg *tls.Config, seen *authSeen) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			seen.add(r.Header.Values("Authorization")...)
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"version": "v9.9.9", "started_at": "2026-01-01T00:00:00Z", "uptime_seconds": 60}`)
		}),
		ErrorLog: log.New(io.Discard, "", 0),
	}
	var l net.Listener = ln
	if cfg != nil {
		l = tls.NewListener(ln, cfg)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		hs.Serve(l)
	}()
	t.Cleanup(func() {
		hs.Close()
		<-done
	})
	return ln.Addr().String()
}

// TestTLSConnections: with TLS flags the commands reach TLS servers over
// gRPC and HTTPS, with the token; the mistakes (TLS against plain text
// and the reverse, an untrusted server, a missing or refused client
// certificate) are each one line saying what to use.
func TestTLSConnections(t *testing.T) {
	f := tlstest.Write(t, t.TempDir())
	other := tlstest.Write(t, t.TempDir())
	srv, err := tlsconf.NewServer(f.ServerCert, f.ServerKey, f.CA, nil)
	if err != nil {
		t.Fatal(err)
	}
	var grpcSeen, httpSeen, plainSeen authSeen
	tlsGRPC := startGRPC(t, srv.Config(), &grpcSeen)
	plainGRPC := startGRPC(t, nil, &plainSeen)
	tlsHTTP := startHTTP(t, srv.Config(), &httpSeen)
	plainHTTP := startHTTP(t, nil, &plainSeen)
	mtls := []string{"--tls-ca", f.CA, "--tls-cert", f.ClientCert, "--tls-key", f.ClientKey}
	args := func(a ...string) []string { return append(a, mtls...) }

	if out := ok(t, "", args("scope", "list", "--addr", tlsGRPC, "--token", "braid_tok")...); !strings.Contains(out, "tls-scope") {
		t.Fatalf("scope list over TLS: %q", out)
	}
	_, port, _ := net.SplitHostPort(tlsGRPC)
	ok(t, "", args("scope", "list", "--addr", "localhost:"+port)...)
	ok(t, "", "scope", "list", "--addr", tlsGRPC, "--insecure-skip-verify", "--tls-cert", f.ClientCert, "--tls-key", f.ClientKey)
	if got := grpcSeen.all(); len(got) == 0 || got[0] != "Bearer braid_tok" || len(got) != strings.Count(strings.Join(got, ","), "braid_tok") {
		t.Errorf("gRPC authorization: %q", got)
	}
	if out := ok(t, "", args("version", "--http", tlsHTTP, "--token", "braid_tok")...); !strings.Contains(out, "server at "+tlsHTTP+": braid v9.9.9") {
		t.Fatalf("version over HTTPS: %q", out)
	}
	if out := ok(t, "", args("version", "--http", "https://"+tlsHTTP)...); !strings.Contains(out, "braid v9.9.9") {
		t.Fatalf("version over HTTPS, https:// URL: %q", out)
	}
	if got := httpSeen.all(); len(got) != 1 || got[0] != "Bearer braid_tok" {
		t.Errorf("HTTP authorization: %q", got)
	}

	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"plain text to TLS (gRPC)", []string{"scope", "list", "--addr", tlsGRPC}, tlsGRPC + " answers TLS, not plain text: give --tls-ca FILE"},
		{"TLS to plain text (gRPC)", args("scope", "list", "--addr", plainGRPC), plainGRPC + " answers in plain text, not TLS: leave out --tls-ca, --tls-cert and --tls-key to connect without TLS, or check --addr"},
		{"TLS to the HTTP port", args("scope", "list", "--addr", tlsHTTP), tlsHTTP + " answers HTTP, not gRPC: is it braid's HTTP port?"},
		{"untrusted server", []string{"scope", "list", "--addr", tlsGRPC, "--tls-ca", other.CA}, "the certificate of " + tlsGRPC + " is not signed by a CA braid trusts: give as --tls-ca the CA that signed it, not " + other.CA},
		{"system CAs", []string{"scope", "list", "--addr", tlsGRPC, "--tls"}, "is not signed by a CA braid trusts: give --tls-ca FILE, the CA that signed it"},
		{"no client certificate", []string{"scope", "list", "--addr", tlsGRPC, "--tls-ca", f.CA}, tlsGRPC + " wants a client certificate (mTLS): give --tls-cert FILE and --tls-key FILE"},
		{"refused client certificate", []string{"scope", "list", "--addr", tlsGRPC, "--tls-ca", f.CA, "--tls-cert", other.ClientCert, "--tls-key", other.ClientKey}, tlsGRPC + " refused the client certificate --tls-cert " + other.ClientCert},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := run(t, "", c.args...)
			if r.code != exitError || !strings.Contains(r.stderr, c.want) || strings.Count(r.stderr, "\n") != 1 {
				t.Fatalf("exit %d\n%s\nwant exit 1 and one line with %q", r.code, r.stderr, c.want)
			}
		})
	}

	// HTTP: version says why the server did not answer, on one line.
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"plain text to TLS (HTTP)", []string{"version", "--http", tlsHTTP}, tlsHTTP + " answers HTTPS, not plain HTTP: give --tls-ca FILE"},
		{"plain text to TLS gRPC (HTTP)", []string{"version", "--http", tlsGRPC}, tlsGRPC + " answers HTTPS, not plain HTTP"},
		{"TLS to plain text (HTTP)", args("version", "--http", plainHTTP), plainHTTP + " answers in plain text, not TLS: leave out --tls-ca, --tls-cert and --tls-key to connect without TLS, or check --http"},
		{"TLS and https:// to plain text", []string{"version", "--http", "https://" + plainHTTP, "--tls"}, "answers in plain text, not TLS: leave out --tls and give --http http://" + plainHTTP + " to connect"},
		{"https:// to plain text", []string{"version", "--http", "https://" + plainHTTP}, "answers in plain text, not TLS: give --http http://" + plainHTTP},
		{"TLS to plain gRPC (HTTP)", args("version", "--http", plainGRPC), plainGRPC + " answers in plain text, not TLS"},
		{"untrusted server (HTTP)", []string{"version", "--http", tlsHTTP, "--tls-ca", other.CA}, "the certificate of " + tlsHTTP + " is not signed by a CA braid trusts"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := run(t, "", c.args...)
			if r.code != 0 || !strings.Contains(r.stdout, c.want) || strings.Count(r.stdout, "\n") != 2 {
				t.Fatalf("exit %d\n%s%s\nwant %q", r.code, r.stdout, r.stderr, c.want)
			}
		})
	}
	if got := plainSeen.all(); len(got) != 0 {
		t.Errorf("the plain-text servers got a token: %q", got)
	}
}

// TestTLSHints: the hints name what is wrong from the errors of gRPC and
// net/http.
func TestTLSHints(t *testing.T) {
	sec := &security{tls: true, ca: "ca.pem", tlsFlags: []string{"--tls-ca"}}
	for msg, want := range map[string]string{
		`connection error: desc = "transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate is valid for localhost, not example.com"`:                                                          "the certificate of h:1 is not for the name --addr connects to (x509: certificate is valid for localhost, not example.com): name the server in --addr as its certificate does",
		`connection error: desc = "transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2027-01-01T00:00:00Z is after 2026-12-31T00:00:00Z"`: "the certificate of h:1 has expired or is not valid yet (x509: certificate has expired or is not yet valid: current time 2027-01-01T00:00:00Z is after 2026-12-31T00:00:00Z): renew it",
		`connection error: desc = "error reading server preface: remote error: tls: expired certificate"`:                                                                                                                              "refused the client certificate --tls-cert : it has expired",
		`connection error: desc = "transport: authentication handshake failed: tls: handshake failure"`:                                                                                                                                "TLS handshake with h:1 failed: tls: handshake failure",
	} {
		err := sec.hint(t.Context(), "--addr", "h:1", true, &hintError{msg})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s:\n got %v\nwant %q", msg, err, want)
		}
	}
	if err := sec.hint(t.Context(), "--addr", "h:1", true, &hintError{"rpc error: code = NotFound desc = no such stream"}); err != nil {
		t.Errorf("not about TLS: %v", err)
	}
}
