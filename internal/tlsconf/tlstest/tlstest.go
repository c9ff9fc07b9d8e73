// Package tlstest makes the certificates of TLS tests: a CA, a server
// certificate for this machine (127.0.0.1, ::1 and localhost) and a client
// certificate for "alice", all signed by the CA and written as PEM files.
// Keys are ECDSA P-256; certificates are valid from an hour ago for a day.
// Every helper fails the test on an error.
package tlstest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// ClientName is the common name of the client certificate Write makes.
const ClientName = "alice"

// Files are the paths of the PEM files Write made.
type Files struct {
	CA         string // the CA's certificate: the servers' and clients' trust
	CAKey      string // the CA's key, for IssueServer and IssueClient
	ServerCert string // for 127.0.0.1, ::1 and localhost
	ServerKey  string
	ClientCert string // common name "alice"
	ClientKey  string
}

// Write makes a new CA, a server certificate and a client certificate
// (common name ClientName) signed by it, and writes them with their keys
// to dir: ca.pem, ca-key.pem, server.pem, server-key.pem, client.pem and
// client-key.pem.
func Write(t testing.TB, dir string) Files {
	t.Helper()
	f := Files{
		CA:         filepath.Join(dir, "ca.pem"),
		CAKey:      filepath.Join(dir, "ca-key.pem"),
		ServerCert: filepath.Join(dir, "server.pem"),
		ServerKey:  filepath.Join(dir, "server-key.pem"),
		ClientCert: filepath.Join(dir, "client.pem"),
		ClientKey:  filepath.Join(dir, "client-key.pem"),
	}
	key := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber:          serial(t),
		Subject:               pkix.Name{CommonName: "braid test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	writePEM(t, f.CA, "CERTIFICATE", der)
	writeKey(t, f.CAKey, key)
	IssueServer(t, f, f.ServerCert, f.ServerKey)
	IssueClient(t, f, ClientName, f.ClientCert, f.ClientKey)
	return f
}

// IssueServer writes a new server certificate for 127.0.0.1, ::1 and
// localhost, signed by f's CA, with a new key and serial number, to
// certFile and keyFile (each replaced at once, by a rename), and returns
// it. IssueServer(t, f, f.ServerCert, f.ServerKey) rotates the server's
// certificate.
func IssueServer(t testing.TB, f Files, certFile, keyFile string) *x509.Certificate {
	t.Helper()
	return issue(t, f, &x509.Certificate{
		Subject:     pkix.Name{CommonName: "localhost"},
		DNSNames:    []string{"localhost"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}, certFile, keyFile)
}

// IssueClient writes a new client certificate with common name cn,
// signed by f's CA, to certFile and keyFile, and returns it.
func IssueClient(t testing.TB, f Files, cn, certFile, keyFile string) *x509.Certificate {
	t.Helper()
	return issue(t, f, &x509.Certificate{
		Subject:     pkix.Name{CommonName: cn},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}, certFile, keyFile)
}

func issue(t testing.TB, f Files, tmpl *x509.Certificate, certFile, keyFile string) *x509.Certificate {
	t.Helper()
	ca, caKey := readCA(t, f)
	tmpl.SerialNumber = serial(t)
	tmpl.NotBefore = time.Now().Add(-time.Hour)
	tmpl.NotAfter = time.Now().Add(24 * time.Hour)
	tmpl.KeyUsage = x509.KeyUsageDigitalSignature
	key := newKey(t)
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	writePEM(t, certFile, "CERTIFICATE", der)
	writeKey(t, keyFile, key)
	return cert
}

func readCA(t testing.TB, f Files) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	ca, err := x509.ParseCertificate(readPEM(t, f.CA))
	if err != nil {
		t.Fatal(err)
	}
	k, err := x509.ParsePKCS8PrivateKey(readPEM(t, f.CAKey))
	if err != nil {
		t.Fatal(err)
	}
	key, ok := k.(*ecdsa.PrivateKey)
	if !ok {
		t.Fatalf("%s: not an ECDSA key", f.CAKey)
	}
	return ca, key
}

func readPEM(t testing.TB, file string) []byte {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(b)
	if block == nil {
		t.Fatalf("%s: no PEM", file)
		return nil
	}
	return block.Bytes
}

func newKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func serial(t testing.TB) *big.Int {
	t.Helper()
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func writeKey(t testing.TB, file string, key *ecdsa.PrivateKey) {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	writePEM(t, file, "PRIVATE KEY", der)
}

// writePEM replaces file with one PEM block, by a rename, so that a
// reader polling it never sees it half written.
func writePEM(t testing.TB, file, typ string, der []byte) {
	t.Helper()
	tmp := file + ".tmp"
	if err := os.WriteFile(tmp, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, file); err != nil {
		t.Fatal(err)
	}
}
