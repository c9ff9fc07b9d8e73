// Package tlsconf makes braid's TLS configurations: the server's, from a
// certificate, its key and optionally a CA for client certificates (mTLS),
// reloaded when the files change; the client's, from a CA to trust and an
// optional client certificate; and the identity a verified client
// certificate gives (PeerName).
//
// One server configuration serves both of braid's ports: it offers "h2"
// (which gRPC needs, and HTTP/2) and "http/1.1" by ALPN. An HTTP server
// given it must serve HTTP/2 too, as net/http's http.Server does by
// default; grpc-go's credentials.NewTLS takes it as it is.
//
// Certificates are rotated by replacing the files: Server.Run notices the
// change (modification time, size or the file itself, so a rename over the
// old file or a swapped symlink counts) and the next handshakes use the new
// certificate and client CA; connections already open keep theirs. A new
// pair that cannot be loaded (half written, a key that is not the
// certificate's) is logged and the old one stays in force.
package tlsconf

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultPollInterval is how often Server.Run looks at the files when it
// is given no interval.
const DefaultPollInterval = 10 * time.Second

// nextProtos are the ALPN protocols of the server configuration: gRPC and
// HTTP/2, then HTTP/1.1.
var nextProtos = []string{"h2", "http/1.1"}

// Server is the TLS side of a braid server: its certificate and, with
// mTLS, the CAs whose client certificates it takes. It is safe for
// concurrent use.
type Server struct {
	certFile, keyFile, caFile string
	log                       *slog.Logger

	cur atomic.Pointer[serverState]

	mu     sync.Mutex // serializes loads; guards stamps
	stamps []os.FileInfo
}

// serverState is one loaded set of files.
type serverState struct {
	cert *tls.Certificate
	pool *x509.CertPool // nil: no client certificates asked for
	cfg  *tls.Config    // what GetConfigForClient hands out
}

// NewServer loads the certificate (PEM, the server's first, then any
// intermediates) and its private key, and, if clientCAFile is not empty,
// the CA certificates (PEM) that client certificates must be signed by:
// with them every client must present a certificate (mTLS). The error
// names the file and what is wrong with it. log receives Run's reports
// (nil: none).
func NewServer(certFile, keyFile, clientCAFile string, log *slog.Logger) (*Server, error) {
	if certFile == "" || keyFile == "" {
		return nil, errors.New("TLS needs both a certificate file and its key file")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{certFile: certFile, keyFile: keyFile, caFile: clientCAFile, log: log}
	if err := s.Reload(); err != nil {
		return nil, err
	}
	return s, nil
}

// Config returns a new TLS configuration for a listener: TLS 1.2 at least,
// ALPN "h2" and "http/1.1", the current certificate (GetCertificate), and
// with a client CA, client certificates required and verified against it.
// Each handshake takes the certificate and client CAs loaded last
// (GetConfigForClient), so a listener made once serves rotated files
// without a restart.
func (s *Server) Config() *tls.Config {
	st := s.cur.Load()
	cfg := &tls.Config{
		MinVersion:     tls.VersionTLS12,
		NextProtos:     append([]string(nil), nextProtos...),
		GetCertificate: s.getCertificate,
		GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) {
			return s.cur.Load().cfg, nil
		},
	}
	if st.pool != nil {
		// GetConfigForClient's answer has the current pool; these are
		// for a copy of cfg that loses the callback.
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
		cfg.ClientCAs = st.pool
	}
	return cfg
}

func (s *Server) getCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	return s.cur.Load().cert, nil
}

// Reload loads the files again now. If they cannot be loaded, the error
// says why and the files loaded before stay in force.
func (s *Server) Reload() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reloadLocked()
}

// reloadLocked loads the files, noting what they were (before reading
// them: a change while they are read is seen by the next poll).
func (s *Server) reloadLocked() error {
	s.stamps = s.stat()
	st, err := s.load()
	if err != nil {
		return err
	}
	s.cur.Store(st)
	return nil
}

// files are the files of s, in the order of stamps.
func (s *Server) files() []string {
	if s.caFile == "" {
		return []string{s.certFile, s.keyFile}
	}
	return []string{s.certFile, s.keyFile, s.caFile}
}

// stat returns what the files are now (a nil entry: cannot be seen).
func (s *Server) stat() []os.FileInfo {
	files := s.files()
	out := make([]os.FileInfo, len(files))
	for i, f := range files {
		out[i], _ = os.Stat(f)
	}
	return out
}

// changed reports whether a file is not what it was when it was loaded.
func changed(old, cur []os.FileInfo) bool {
	for i := range cur {
		a, b := old[i], cur[i]
		switch {
		case a == nil || b == nil:
			if a != b {
				return true
			}
		case !os.SameFile(a, b) || !a.ModTime().Equal(b.ModTime()) || a.Size() != b.Size():
			return true
		}
	}
	return false
}

func (s *Server) load() (*serverState, error) {
	cert, err := loadKeyPair(s.certFile, s.keyFile)
	if err != nil {
		return nil, err
	}
	st := &serverState{cert: cert}
	if s.caFile != "" {
		if st.pool, err = loadPool("TLS client CA", s.caFile); err != nil {
			return nil, err
		}
	}
	st.cfg = &tls.Config{
		MinVersion:   tls.VersionTLS12,
		NextProtos:   append([]string(nil), nextProtos...),
		Certificates: []tls.Certificate{*cert},
	}
	if st.pool != nil {
		st.cfg.ClientAuth = tls.RequireAndVerifyClientCert
		st.cfg.ClientCAs = st.pool
	}
	return st, nil
}

// Run polls the files every interval (<= 0: DefaultPollInterval) and
// loads them again when one changed, until ctx ends. Each reload is
// logged; one that fails is logged with its reason, the files loaded
// before stay in force, and the same files are not tried again until they
// change once more.
func (s *Server) Run(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = DefaultPollInterval
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.poll(ctx)
		}
	}
}

// poll reloads the files if they changed.
func (s *Server) poll(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !changed(s.stamps, s.stat()) {
		return
	}
	if err := s.reloadLocked(); err != nil {
		s.log.ErrorContext(ctx, "TLS files changed but cannot be loaded; the certificate loaded before stays in force",
			"cert", s.certFile, "key", s.keyFile, "client_ca", s.caFile, "err", err)
		return
	}
	leaf := s.cur.Load().cert.Leaf
	s.log.InfoContext(ctx, "TLS certificate reloaded",
		"cert", s.certFile, "subject", leaf.Subject.String(), "serial", leaf.SerialNumber.Text(16),
		"not_after", leaf.NotAfter.UTC().Format(time.RFC3339), "client_ca", s.caFile)
}

// NewClient returns the TLS configuration of a client: the servers it
// trusts are those with a certificate signed by a CA of caFile (PEM), or,
// without caFile, by one of the system's CAs. With certFile and keyFile it
// presents that client certificate to servers that ask for one (mTLS).
// insecureSkipVerify trusts any server certificate, for development only:
// anyone between client and server can then read and change the traffic.
func NewClient(caFile, certFile, keyFile string, insecureSkipVerify bool) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: insecureSkipVerify}
	if caFile != "" {
		pool, err := loadPool("TLS CA", caFile)
		if err != nil {
			return nil, err
		}
		cfg.RootCAs = pool
	}
	switch {
	case certFile != "" && keyFile != "":
		cert, err := loadKeyPair(certFile, keyFile)
		if err != nil {
			return nil, err
		}
		// Always offer it, also to a server that asks for another CA's
		// certificates: its refusal is clearer than a missing certificate.
		cfg.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return cert, nil }
	case certFile != "":
		return nil, fmt.Errorf("TLS client certificate %s: no key file given for it", certFile)
	case keyFile != "":
		return nil, fmt.Errorf("TLS client key %s: no certificate file given for it", keyFile)
	}
	return cfg, nil
}

// PeerName is the identity of a client certificate: the Subject
// CommonName of the verified certificate of state (the first certificate
// of the first verified chain), or "" if the peer presented none or it was
// not verified.
func PeerName(state tls.ConnectionState) string {
	if len(state.VerifiedChains) == 0 || len(state.VerifiedChains[0]) == 0 {
		return ""
	}
	return state.VerifiedChains[0][0].Subject.CommonName
}

// loadKeyPair loads a certificate and its key, with errors naming the file
// at fault.
func loadKeyPair(certFile, keyFile string) (*tls.Certificate, error) {
	certPEM, err := readFile("TLS certificate", certFile)
	if err != nil {
		return nil, err
	}
	keyPEM, err := readFile("TLS key", keyFile)
	if err != nil {
		return nil, err
	}
	if err := checkPEM("TLS certificate", certFile, certPEM, isCertBlock); err != nil {
		return nil, err
	}
	if err := checkPEM("TLS key", keyFile, keyPEM, isKeyBlock); err != nil {
		return nil, err
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("TLS certificate %s with key %s: %s", certFile, keyFile, trimTLS(err))
	}
	if cert.Leaf == nil {
		if cert.Leaf, err = x509.ParseCertificate(cert.Certificate[0]); err != nil {
			return nil, fmt.Errorf("TLS certificate %s: %s", certFile, err)
		}
	}
	if now := time.Now(); now.After(cert.Leaf.NotAfter) {
		return nil, fmt.Errorf("TLS certificate %s: expired at %s", certFile, cert.Leaf.NotAfter.UTC().Format(time.RFC3339))
	}
	return &cert, nil
}

// loadPool loads the PEM certificates of file as a pool.
func loadPool(what, file string) (*x509.CertPool, error) {
	b, err := readFile(what, file)
	if err != nil {
		return nil, err
	}
	if err := checkPEM(what, file, b, isCertBlock); err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	for rest := b; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if !isCertBlock(block) {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %s", what, file, err)
		}
		pool.AddCert(c)
	}
	return pool, nil
}

// readFile reads file, with an error that names it once.
func readFile(what, file string) ([]byte, error) {
	b, err := os.ReadFile(file)
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if err != nil {
		return nil, fmt.Errorf("%s %s: %s", what, file, err)
	}
	return b, nil
}

func isCertBlock(b *pem.Block) bool { return b.Type == "CERTIFICATE" }

func isKeyBlock(b *pem.Block) bool {
	return b.Type == "PRIVATE KEY" || b.Type == "EC PRIVATE KEY" || b.Type == "RSA PRIVATE KEY"
}

// checkPEM checks that b holds a PEM block that want takes, saying what
// it holds instead.
func checkPEM(what, file string, b []byte, want func(*pem.Block) bool) error {
	var types []string
	for rest := b; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if want(block) {
			return nil
		}
		types = append(types, block.Type)
	}
	wanted := "a PEM certificate (BEGIN CERTIFICATE)"
	if what == "TLS key" {
		wanted = "a PEM private key (BEGIN PRIVATE KEY)"
	}
	if len(types) == 0 {
		return fmt.Errorf("%s %s: not PEM: want %s", what, file, wanted)
	}
	return fmt.Errorf("%s %s: holds %s, want %s", what, file, pemList(types), wanted)
}

func pemList(types []string) string {
	return "BEGIN " + strings.Join(types, ", BEGIN ")
}

// trimTLS drops crypto/tls's "tls: " prefix.
func trimTLS(err error) string { return strings.TrimPrefix(err.Error(), "tls: ") }
