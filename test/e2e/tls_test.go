package e2e

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/auth"
	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
	"github.com/braidstream/braid/internal/tlsconf"
	"github.com/braidstream/braid/internal/tlsconf/tlstest"
)

// tlsDial connects to addr over TLS trusting the test CA, with the client
// certificate of files when withCert; the client is closed with the test.
func tlsDial(t *testing.T, addr string, f tlstest.Files, withCert bool, opts ...braid.DialOption) (*braid.Client, error) {
	t.Helper()
	cert, key := "", ""
	if withCert {
		cert, key = f.ClientCert, f.ClientKey
	}
	cfg, err := tlsconf.NewClient(f.CA, cert, key, false)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := braid.Dial(ctx, addr, append(opts, braid.WithTLS(cfg))...)
	if err == nil {
		t.Cleanup(func() { c.Close() })
	}
	return c, err
}

// TestTLS: a server with a certificate speaks TLS only on both ports;
// a renewed certificate is taken without a restart.
func TestTLS(t *testing.T) {
	dir := t.TempDir()
	f := tlstest.Write(t, dir)
	ts := servertest.New(t, server.Config{TLSCert: f.ServerCert, TLSKey: f.ServerKey})
	ctx := testCtx(t, 60*time.Second)

	c, err := tlsDial(t, ts.GRPCAddr(), f, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateStream(ctx, "tls/s", braid.StreamConfig{CreateScope: true}); err != nil {
		t.Fatalf("a call over TLS: %v", err)
	}
	// Plain text is refused on both ports.
	pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	plain, err := braid.Dial(pctx, ts.GRPCAddr())
	if err == nil {
		_, err = plain.ListScopes(pctx)
		plain.Close()
	}
	cancel()
	if err == nil {
		t.Fatal("a plain-text gRPC call to the TLS port succeeded")
	}
	plainHTTP := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	if resp, err := plainHTTP.Get("http://" + ts.HTTPAddr() + "/healthz"); err == nil && resp.StatusCode == 200 {
		resp.Body.Close()
		t.Fatal("a plain-text HTTP request to the TLS port succeeded")
	}
	// HTTPS with the CA works.
	pool := x509.NewCertPool()
	ca, _ := os.ReadFile(f.CA)
	pool.AppendCertsFromPEM(ca)
	hc := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, DisableKeepAlives: true}}
	resp, err := hc.Get("https://" + ts.HTTPAddr() + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("HTTPS: %v %v", resp, err)
	}
	resp.Body.Close()

	// Renew the certificate in place: new handshakes get the new one.
	old := serverCert(t, ts.HTTPAddr(), pool)
	newCert, newKey := filepath.Join(dir, "new.pem"), filepath.Join(dir, "new.key")
	renewed := tlstest.IssueServer(t, f, newCert, newKey)
	for _, p := range [][2]string{{newKey, f.ServerKey}, {newCert, f.ServerCert}} {
		if err := os.Rename(p[0], p[1]); err != nil {
			t.Fatal(err)
		}
	}
	waitUntil(t, "the renewed certificate served", 20*time.Second, func() bool {
		got := serverCert(t, ts.HTTPAddr(), pool)
		return got != nil && bytes.Equal(got.Raw, renewed.Raw)
	})
	if old == nil || bytes.Equal(old.Raw, renewed.Raw) {
		t.Fatal("the first certificate is the renewed one")
	}
}

// serverCert is the certificate a TLS handshake with addr shows (nil when
// the handshake fails).
func serverCert(t *testing.T, addr string, pool *x509.CertPool) *x509.Certificate {
	t.Helper()
	conn, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: pool})
	if err != nil {
		return nil
	}
	defer conn.Close()
	return conn.ConnectionState().PeerCertificates[0]
}

// TestMutualTLS: with a client CA, a client without a certificate is
// refused; the certificate's common name is the user of the users file.
func TestMutualTLS(t *testing.T) {
	dir := t.TempDir()
	f := tlstest.Write(t, dir)
	users := &auth.Users{}
	if err := users.Add(auth.User{Name: "alice", Scopes: map[string]auth.Role{"m": auth.RoleAdmin}}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "users.json")
	if err := auth.SaveUsers(path, users); err != nil {
		t.Fatal(err)
	}
	ts := servertest.New(t, server.Config{TLSCert: f.ServerCert, TLSKey: f.ServerKey, TLSClientCA: f.CA, AuthFile: path})
	ctx := testCtx(t, 30*time.Second)
	if c, err := tlsDial(t, ts.GRPCAddr(), f, false); err == nil {
		if _, err := c.ListScopes(ctx); err == nil {
			t.Fatal("a client without a certificate was served")
		}
	}
	c, err := tlsDial(t, ts.GRPCAddr(), f, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateStream(ctx, "m/s", braid.StreamConfig{CreateScope: true}); err != nil {
		t.Fatalf("alice, by her certificate, creates a stream in her scope: %v", err)
	}
	if _, err := c.CreateStream(ctx, "other/s", braid.StreamConfig{CreateScope: true}); !errors.Is(err, braid.ErrPermissionDenied) {
		t.Fatalf("alice creates a stream in another scope: %v, want PERMISSION_DENIED", err)
	}
}
