// Package peercred is how the nodes of a cluster prove themselves to one
// another. Every call a node makes to another (segment operations of the
// peer service, calls forwarded to a group's coordinator or to the
// leader) carries the cluster's peer secret in its metadata, over TLS when
// the nodes serve TLS. The first node to start makes the secret and keeps
// it in etcd (Secret); the others read it there. So the cluster is exactly
// as safe as its etcd, which also decides who owns what: keep etcd on a
// private network or behind its own TLS and authentication.
package peercred

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"strings"

	clientv3 "go.etcd.io/etcd/client/v3"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// MetadataKey is the metadata that carries the secret.
const MetadataKey = "braid-peer"

// Credentials are a node's: the secret it sends and checks, and the TLS
// configuration it dials other nodes with (nil: plain text).
type Credentials struct {
	secret string
	tls    *tls.Config
}

// New returns credentials with secret and, for nodes that serve TLS, the
// client configuration that verifies the other nodes' certificates.
func New(secret string, tlsCfg *tls.Config) *Credentials {
	return &Credentials{secret: secret, tls: tlsCfg}
}

// DialOptions are the options of a connection to another node.
func (c *Credentials) DialOptions() []grpc.DialOption {
	tc := insecure.NewCredentials()
	if c.tls != nil {
		tc = credentials.NewTLS(c.tls)
	}
	return []grpc.DialOption{
		grpc.WithTransportCredentials(tc),
		grpc.WithPerRPCCredentials(perRPC{secret: c.secret, secure: c.tls != nil}),
	}
}

// Verify looks for the secret in an incoming call's metadata: present
// says whether the call claims to come from a node, ok whether it does.
func (c *Credentials) Verify(ctx context.Context) (present, ok bool) {
	md, _ := metadata.FromIncomingContext(ctx)
	vs := md.Get(MetadataKey)
	if len(vs) == 0 {
		return false, false
	}
	return true, len(vs) == 1 && subtle.ConstantTimeCompare([]byte(vs[0]), []byte(c.secret)) == 1
}

type perRPC struct {
	secret string
	secure bool
}

func (p perRPC) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{MetadataKey: p.secret}, nil
}

func (p perRPC) RequireTransportSecurity() bool { return p.secure }

// Secret returns the cluster's peer secret, kept in etcd at key: the
// first node to ask makes it (32 random bytes, in hex), the others read
// the same.
func Secret(ctx context.Context, cli *clientv3.Client, key string) (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	resp, err := cli.Txn(ctx).If(clientv3.Compare(clientv3.CreateRevision(key), "=", 0)).
		Then(clientv3.OpPut(key, hex.EncodeToString(b[:]))).Else(clientv3.OpGet(key)).Commit()
	if err != nil {
		return "", fmt.Errorf("the cluster's peer secret in etcd: %w", err)
	}
	if resp.Succeeded {
		return hex.EncodeToString(b[:]), nil
	}
	kvs := resp.Responses[0].GetResponseRange().GetKvs()
	if len(kvs) != 1 || len(kvs[0].Value) == 0 {
		return "", fmt.Errorf("the cluster's peer secret in etcd at %s is empty", key)
	}
	return string(kvs[0].Value), nil
}

// Guard refuses the calls of the methods under Prefix (a service's,
// "/pkg.Service/") that do not carry the secret.
type Guard struct {
	Creds  *Credentials
	Prefix string
}

func (g Guard) check(ctx context.Context, method string) error {
	if !strings.HasPrefix(method, g.Prefix) {
		return nil
	}
	switch present, ok := g.Creds.Verify(ctx); {
	case !present:
		return status.Error(codes.PermissionDenied, "the peer service is for the cluster's nodes only: this call does not carry the cluster's peer secret")
	case !ok:
		return status.Error(codes.Unauthenticated, "the peer secret is not this cluster's: is the node a member of another cluster (another etcd or --cluster prefix)?")
	}
	return nil
}

// Unary is the guard of unary calls.
func (g Guard) Unary(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	if err := g.check(ctx, info.FullMethod); err != nil {
		return nil, err
	}
	return handler(ctx, req)
}

// Stream is the guard of streaming calls.
func (g Guard) Stream(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	if err := g.check(ss.Context(), info.FullMethod); err != nil {
		return err
	}
	return handler(srv, ss)
}
