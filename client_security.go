package braid

import (
	"context"
	"crypto/tls"
	"errors"
	"github.com/braidstream/braid/wire"
	"net"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
)

// WithTLS makes the client connect over TLS configured by cfg instead of
// plain text: cfg.RootCAs are the CAs the server's certificate must be
// signed by (nil: the system's), cfg.Certificates or
// cfg.GetClientCertificate the client certificate for a server that wants
// one (mTLS), and the server's name is the host of Dial's address unless
// cfg.ServerName says another. A nil cfg trusts the system's CAs. The
// server must speak TLS too: against a plain-text server Dial fails, and
// the error says so.
func WithTLS(cfg *tls.Config) DialOption {
	if cfg == nil {
		cfg = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	creds := credentials.NewTLS(cfg)
	return func(o *dialOptions) { o.creds = creds }
}

// WithToken sends token ("braid_...", as braid auth add-user prints it) to
// the server with every call and stream of the client, as the gRPC
// metadata "authorization: Bearer <token>", for a server that
// authenticates its clients. An empty token sends nothing.
//
// Without WithTLS, Dial takes a token only for a loopback address (the
// server, too, takes a token in clear text only from its own machine):
// to another machine it fails with INVALID_ARGUMENT rather than send the
// token in clear text.
func WithToken(token string) DialOption {
	return func(o *dialOptions) {
		o.token = nil
		if token != "" {
			o.token = bearer("Bearer " + token)
		}
	}
}

// bearer is the per-RPC credentials of WithToken: the value of the
// authorization metadata.
type bearer string

func (b bearer) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": string(b)}, nil
}

// RequireTransportSecurity is false: the server decides whether a token
// over plain text is taken (only from loopback peers).
func (bearer) RequireTransportSecurity() bool { return false }

// checkToken refuses to send a token in clear text to another machine:
// WithToken without WithTLS dials only loopback addresses.
func (o *dialOptions) checkToken(addr string) error {
	if o.token == nil || o.creds != nil {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	if ip := net.ParseIP(strings.Trim(host, "[]")); ip != nil && ip.IsLoopback() {
		return nil
	}
	return newError(wire.CodeInvalidArgument, "dial "+addr+": WithToken without WithTLS would send the token in clear text to another machine: add WithTLS")
}

// transportCredentials is the dial option of the transport: WithTLS's
// credentials, or plain text.
func (o *dialOptions) transportCredentials() grpc.DialOption {
	if o.creds != nil {
		return grpc.WithTransportCredentials(o.creds)
	}
	return grpc.WithTransportCredentials(insecure.NewCredentials())
}

// perRPCCredentials are the dial options of WithToken (none without).
func (o *dialOptions) perRPCCredentials() []grpc.DialOption {
	if o.token == nil {
		return nil
	}
	return []grpc.DialOption{grpc.WithPerRPCCredentials(o.token)}
}

// dialError is the error of a failed Dial: fromStatus's, saying so in
// plain words when a TLS client (WithTLS) reached a server that answers
// in plain text.
func (o *dialOptions) dialError(addr string, err error) error {
	op := "dial " + addr
	const notTLS = "first record does not look like a TLS handshake"
	e := fromStatus(op, err)
	var be *Error
	if o.creds != nil && strings.Contains(err.Error(), notTLS) && errors.As(e, &be) {
		return newError(be.Code, op+": the server does not speak TLS, it answered in plain text (tls: "+notTLS+"): dial it without WithTLS, or check the address")
	}
	return e
}
