package cli

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/tlsconf"
)

// The persistent flags of TLS and authentication, and the environment
// variables that set their defaults.
const (
	flagToken      = "token"
	flagTLS        = "tls"
	flagTLSCA      = "tls-ca"
	flagTLSCert    = "tls-cert"
	flagTLSKey     = "tls-key"
	flagSkipVerify = "insecure-skip-verify"

	envToken   = "BRAID_TOKEN"
	envTLSCA   = "BRAID_TLS_CA"
	envTLSCert = "BRAID_TLS_CERT"
	envTLSKey  = "BRAID_TLS_KEY"
)

// tlsProbeTimeout bounds the TLS handshake that tells whether a server
// that hung up on plain text speaks TLS.
const tlsProbeTimeout = 2 * time.Second

// addSecurityFlags adds the persistent flags of TLS and authentication to
// the root command's pf.
func addSecurityFlags(pf *pflag.FlagSet) {
	// No default from the environment in the flag: the help would show
	// the token.
	pf.String(flagToken, "", "authenticate with `TOKEN`, as braid auth add-user or braid auth token printed it; sent as Authorization: Bearer (default $"+envToken+")")
	pf.Bool(flagTLS, false, "connect over TLS (gRPC, and HTTPS for --http), trusting the system's CAs unless --tls-ca names others; the other --tls-* flags imply it")
	pf.String(flagTLSCA, os.Getenv(envTLSCA), "connect over TLS, trusting the server certificates signed by the CA certificates (PEM) in `FILE` ($"+envTLSCA+" sets the default)")
	pf.String(flagTLSCert, os.Getenv(envTLSCert), "present the client certificate (PEM) in `FILE` to a server that asks for one (mTLS); needs --tls-key ($"+envTLSCert+" sets the default)")
	pf.String(flagTLSKey, os.Getenv(envTLSKey), "the private key (PEM) in `FILE` of --tls-cert ($"+envTLSKey+" sets the default)")
	pf.Bool(flagSkipVerify, false, "connect over TLS but accept any server certificate: for development only, anyone on the way can then read and change the traffic and take the token")
}

// security is what the persistent TLS and authentication flags ask for.
type security struct {
	token              string // "" for none
	tls                bool   // any TLS flag
	ca, cert, key      string
	insecureSkipVerify bool
	tlsFlags           []string    // the TLS flags given, for messages: "--tls-ca"
	cfg                *tls.Config // clientTLS's, once loaded
}

// securityOf reads the persistent TLS and authentication flags of cmd and
// checks that they go together.
func securityOf(cmd *cobra.Command) (*security, error) {
	s := &security{}
	str := func(name string) string {
		if f := cmd.Flag(name); f != nil {
			return f.Value.String()
		}
		return ""
	}
	s.token = strings.TrimSpace(str(flagToken))
	if f := cmd.Flag(flagToken); f == nil || !f.Changed {
		s.token = strings.TrimSpace(os.Getenv(envToken))
	}
	if strings.ContainsFunc(s.token, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		src := "--token"
		if f := cmd.Flag(flagToken); f == nil || !f.Changed {
			src = "$" + envToken
		}
		return nil, usagef("invalid %s: a token has no spaces or control characters (braid auth add-user prints it as braid_...)", src)
	}
	s.ca, s.cert, s.key = str(flagTLSCA), str(flagTLSCert), str(flagTLSKey)
	s.insecureSkipVerify = str(flagSkipVerify) == "true"
	for _, f := range []struct {
		name string
		on   bool
	}{
		{flagTLS, str(flagTLS) == "true"},
		{flagTLSCA, s.ca != ""},
		{flagTLSCert, s.cert != ""},
		{flagTLSKey, s.key != ""},
		{flagSkipVerify, s.insecureSkipVerify},
	} {
		if f.on {
			s.tlsFlags = append(s.tlsFlags, "--"+f.name)
		}
	}
	s.tls = len(s.tlsFlags) > 0
	switch {
	case s.cert != "" && s.key == "":
		return nil, usagef("--tls-cert %s needs --tls-key, the file of its private key", s.cert)
	case s.key != "" && s.cert == "":
		return nil, usagef("--tls-key %s needs --tls-cert, the file of its certificate", s.key)
	}
	return s, nil
}

// asks is the verb of tlsFlagList: "--tls-ca asks", "--tls-ca and
// --tls-cert ask".
func (s *security) asks() string {
	if len(s.tlsFlags) > 1 {
		return "ask"
	}
	return "asks"
}

// tlsFlagList names the TLS flags given: "--tls-ca and --tls-cert".
func (s *security) tlsFlagList() string {
	switch n := len(s.tlsFlags); n {
	case 0:
		return ""
	case 1:
		return s.tlsFlags[0]
	default:
		return strings.Join(s.tlsFlags[:n-1], ", ") + " and " + s.tlsFlags[n-1]
	}
}

// clientTLS loads the TLS configuration the flags ask for. A file that
// cannot be loaded is a usage error naming its flag.
func (s *security) clientTLS() (*tls.Config, error) {
	if s.ca != "" {
		if _, err := tlsconf.NewClient(s.ca, "", "", false); err != nil {
			return nil, usagef("%s", flagFileError(err, "TLS CA "+s.ca+": ", "--tls-ca "+s.ca+": "))
		}
	}
	cfg, err := tlsconf.NewClient(s.ca, s.cert, s.key, s.insecureSkipVerify)
	if err != nil {
		return nil, usagef("%s", flagFileError(err,
			"TLS certificate "+s.cert+" with key "+s.key+": ", "--tls-cert "+s.cert+" and --tls-key "+s.key+": ",
			"TLS certificate "+s.cert+": ", "--tls-cert "+s.cert+": ",
			"TLS key "+s.key+": ", "--tls-key "+s.key+": "))
	}
	s.cfg = cfg
	return cfg, nil
}

// flagFileError is the message of err with the first of its prefixes
// found (pairs of old, new) replaced, so that it names the flag.
func flagFileError(err error, pairs ...string) string {
	msg := err.Error()
	for i := 0; i+1 < len(pairs); i += 2 {
		if rest, ok := strings.CutPrefix(msg, pairs[i]); ok {
			return pairs[i+1] + rest
		}
	}
	return msg
}

// checkToken refuses to send the token in plain text beyond this machine,
// where anyone on the way could read it (and the server refuses it).
func (s *security) checkToken(flag, host string, plain bool) error {
	if s.token == "" || !plain || isLoopbackHost(host) {
		return nil
	}
	return usagef("--token would go in plain text to %s, where anyone on the way can read it (and the server refuses it): connect over TLS (--tls-ca FILE, or --tls for a certificate of a public CA), or reach the server at 127.0.0.1 through an SSH tunnel", host+" ("+flag+")")
}

// isLoopbackHost reports whether a host to dial is this machine: empty,
// localhost or a loopback IP.
func isLoopbackHost(host string) bool {
	if host == "" || strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// grpcOptions are the client's options for the flags, for the gRPC server
// at addr.
func (s *security) grpcOptions(addr string) ([]braid.DialOption, error) {
	host, _, _ := net.SplitHostPort(addr)
	if err := s.checkToken("--addr", host, !s.tls); err != nil {
		return nil, err
	}
	var opts []braid.DialOption
	if s.tls {
		cfg, err := s.clientTLS()
		if err != nil {
			return nil, err
		}
		opts = append(opts, braid.WithTLS(cfg))
	}
	if s.token != "" {
		opts = append(opts, braid.WithToken(s.token))
	}
	return opts, nil
}

// hintError is a connection that cannot work as asked: TLS against plain
// text or the reverse, a certificate refused. Retrying does not help.
type hintError struct{ msg string }

func (e *hintError) Error() string { return e.msg }

// hint rewrites an error of connecting to the server at addr (given as
// flag, "--addr" or "--http") into one line that says what is wrong and
// what to use, if it is about TLS; nil otherwise. usedTLS is whether the
// connection was TLS.
func (s *security) hint(ctx context.Context, flag, addr string, usedTLS bool, err error) error {
	if s == nil {
		s = &security{}
	}
	msg := err.Error()
	has := func(subs ...string) bool {
		for _, sub := range subs {
			if strings.Contains(msg, sub) {
				return true
			}
		}
		return false
	}
	hintf := func(format string, args ...any) error { return &hintError{fmt.Sprintf(format, args...)} }
	if !usedTLS {
		// A TLS server hangs up on plain text (Go's HTTPS server answers
		// plain HTTP with a 400 instead: httpAPI.do).
		if !has("looked like an HTTP/1.1 header") && has("EOF", "server preface", "connection reset by peer", "broken pipe") &&
			speaksTLS(ctx, hostPort(addr)) {
			return answersTLS(flag, addr)
		}
		return nil
	}
	// In TLS 1.3 the server checks the client certificate after the
	// client's handshake is done: the client may see the connection
	// broken before it reads the server's alert. Ask again, for it.
	if has("broken pipe", "connection reset by peer", "EOF") {
		if alert := readAlert(ctx, hostPort(addr), s.cfg); alert != "" {
			msg = alert
		}
	}
	caHint := "give --tls-ca FILE, the CA that signed it"
	if s.ca != "" {
		caHint = "give as --tls-ca the CA that signed it, not " + s.ca
	}
	switch {
	case has("first record does not look like a TLS handshake", "server gave HTTP response to HTTPS client"):
		var what []string
		if s.tls {
			what = append(what, "leave out "+s.tlsFlagList())
		}
		if strings.HasPrefix(addr, "https://") {
			what = append(what, "give --http http://"+strings.TrimPrefix(addr, "https://"))
		}
		return hintf("%s answers in plain text, not TLS: %s to connect without TLS, or check %s", addr, strings.Join(what, " and "), flag)
	case flag == "--addr" && has("received unexpected content-type"):
		return &wrongPortError{fmt.Sprintf("%s answers HTTP, not gRPC: is it braid's HTTP port? --addr takes the gRPC port (%s)", addr, portsHint)}
	case has("remote error: tls: certificate required"):
		return hintf("%s wants a client certificate (mTLS): give --tls-cert FILE and --tls-key FILE, a certificate signed by a CA the server takes (its --tls-client-ca)", addr)
	case has("remote error: tls: unknown certificate authority", "remote error: tls: bad certificate"):
		return hintf("%s refused the client certificate --tls-cert %s (%s): it must be signed by a CA the server takes (its --tls-client-ca)", addr, s.cert, tlsReason(msg))
	case has("remote error: tls: expired certificate", "remote error: tls: certificate expired"):
		return hintf("%s refused the client certificate --tls-cert %s: it has expired", addr, s.cert)
	case has("certificate signed by unknown authority"):
		return hintf("the certificate of %s is not signed by a CA braid trusts: %s (--insecure-skip-verify accepts any certificate, for development only)", addr, caHint)
	case has("certificate is valid for", "certificate is not valid for any names"):
		return hintf("the certificate of %s is not for the name %s connects to (%s): name the server in %s as its certificate does", addr, flag, tlsReason(msg), flag)
	case has("certificate has expired or is not yet valid"):
		return hintf("the certificate of %s has expired or is not valid yet (%s): renew it, or check this machine's clock", addr, tlsReason(msg))
	case has("tls: ", "x509: "):
		return hintf("TLS handshake with %s failed: %s", addr, tlsReason(msg))
	}
	return nil
}

// httpsServerSays is what Go's HTTPS server answers a plain HTTP request
// with (status 400).
const httpsServerSays = "Client sent an HTTP request to an HTTPS server"

// answersTLS is the hint for a plain-text connection to a TLS server at
// addr (given as flag).
func answersTLS(flag, addr string) error {
	const skip = "--insecure-skip-verify accepts any, for development only"
	if flag == "--http" {
		return &hintError{fmt.Sprintf("%s answers HTTPS, not plain HTTP: give --tls-ca FILE, the CA that signed its certificate (or --tls, or --http https://%s, for a certificate of a public CA; %s)", addr, hostPort(addr), skip)}
	}
	return &hintError{fmt.Sprintf("%s answers TLS, not plain text: give --tls-ca FILE, the CA that signed its certificate (or --tls for a certificate of a public CA; %s)", addr, skip)}
}

// tlsReason is the part of a TLS error message from crypto/tls's or
// crypto/x509's own words on, without the layers of gRPC and net/http
// before it.
func tlsReason(msg string) string {
	i := strings.Index(msg, "x509: ")
	if i < 0 {
		i = strings.Index(msg, "tls: ")
	}
	if i < 0 {
		return msg
	}
	msg = msg[i:]
	if j := strings.Index(msg, " (possibly because"); j >= 0 {
		msg = msg[:j]
	}
	return strings.TrimRight(msg, `"`)
}

// hostPort is the host:port of an address given as host:port or as a URL.
func hostPort(addr string) string {
	if _, rest, ok := strings.Cut(addr, "://"); ok {
		rest, _, _ = strings.Cut(rest, "/")
		return rest
	}
	return addr
}

// readAlert makes a TLS connection to addr with cfg (nil: the system's
// CAs) and returns the alert the server sends on it at once, as the text
// "remote error: tls: ...", or "" if it sends none within
// tlsProbeTimeout.
func readAlert(ctx context.Context, addr string, cfg *tls.Config) string {
	ctx, cancel := context.WithTimeout(ctx, tlsProbeTimeout)
	defer cancel()
	if cfg == nil {
		cfg = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	cfg = cfg.Clone()
	cfg.NextProtos = []string{"h2", "http/1.1"}
	conn, err := (&tls.Dialer{Config: cfg}).DialContext(ctx, "tcp", addr)
	if err == nil {
		defer conn.Close()
		deadline, _ := ctx.Deadline()
		conn.SetReadDeadline(deadline)
		_, err = conn.Read(make([]byte, 1))
	}
	if isRemoteAlert(err) {
		return err.Error()
	}
	return ""
}

// isRemoteAlert reports whether err is a TLS alert the peer sent.
func isRemoteAlert(err error) bool {
	var oe *net.OpError
	return errors.As(err, &oe) && oe.Op == "remote error"
}

// speaksTLS reports whether addr answers a TLS handshake, whatever its
// certificate.
func speaksTLS(ctx context.Context, addr string) bool {
	ctx, cancel := context.WithTimeout(ctx, tlsProbeTimeout)
	defer cancel()
	d := tls.Dialer{Config: &tls.Config{
		MinVersion: tls.VersionTLS12,
		// Nothing is sent: only whether the peer answers in TLS counts.
		InsecureSkipVerify: true,
		NextProtos:         []string{"h2", "http/1.1"},
	}}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err == nil {
		conn.Close()
		return true
	}
	return isRemoteAlert(err) // it answered in TLS, refusing us
}
