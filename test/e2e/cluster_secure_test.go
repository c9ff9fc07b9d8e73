package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/braidstream/braid"
	clusterv1 "github.com/braidstream/braid/api/braid/cluster/v1"
	"github.com/braidstream/braid/internal/auth"
	"github.com/braidstream/braid/internal/cluster/etcdtest"
	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
	"github.com/braidstream/braid/internal/tier2/s3"
	"github.com/braidstream/braid/internal/tlsconf"
	"github.com/braidstream/braid/internal/tlsconf/tlstest"
)

// TestClusterSecure: a two-node cluster with a users file and TLS on every
// node. A user with a role in one scope works through either node: its
// appends and reads reach the segments' owners, its reader group its
// coordinator, its query and ephemeral stream the leader, each over TLS
// with the cluster's peer secret, and what it names by id is found at the
// leader for the check. Other users are refused as on one node, and only
// the nodes may call the peer service.
func TestClusterSecure(t *testing.T) {
	dir := t.TempDir()
	f := tlstest.Write(t, dir)
	path, tokens := usersFile(t,
		auth.User{Name: "ops", Admin: true},
		auth.User{Name: "app", Scopes: map[string]auth.Role{"cs": auth.RoleAdmin}},
		auth.User{Name: "other", Scopes: map[string]auth.Role{"xx": auth.RoleAdmin}})
	ns := servertest.ClusterOf(t, server.Config{AuthFile: path, TLSCert: f.ServerCert, TLSKey: f.ServerKey}, "n1", "n2")
	ctx := testCtx(t, 90*time.Second)
	dial := func(n *servertest.Server, user string) *braid.Client {
		c, err := tlsDial(t, n.GRPCAddr(), f, false, braid.WithToken(tokens[user]))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	waitUntil(t, "a leader", 30*time.Second, func() bool { return secureLeader(t, f, ns[0], tokens["ops"]) != "" })
	follower, leader := ns[0], ns[1]
	if secureLeader(t, f, ns[0], tokens["ops"]) == "n1" {
		follower, leader = ns[1], ns[0]
	}
	if _, err := dial(follower, "ops").CreateScope(ctx, "cs"); err != nil {
		t.Fatal(err)
	}
	cf, cl := dial(follower, "app"), dial(leader, "app")

	// Four segments over four containers: some owned by each node.
	createStream(t, cf, "cs/s", 4)
	writeEvents(t, cf, ctx, "cs/s", 0, 200)
	if got := readAll(t, cl, "cs/s", braid.UntilTail()); len(got) != 200 {
		t.Fatalf("read %d events through the other node, want 200", len(got))
	}

	// A reader group, through the node that may not coordinate it.
	for _, c := range []*braid.Client{cf, cl} {
		if _, err := c.ReaderGroup("cs/g").Create(ctx, braid.ReaderGroupConfig{Streams: []braid.GroupStream{{Stream: "cs/s"}}}); err != nil && !errors.Is(err, braid.ErrAlreadyExists) {
			t.Fatal(err)
		}
		if _, err := c.ReaderGroup("cs/g").Describe(ctx); err != nil {
			t.Fatalf("describe the group: %v", err)
		}
	}

	// A query and an ephemeral stream, deployed through the follower:
	// both live at the leader, and the follower finds them there to
	// check who may see them.
	createStream(t, cf, "cs/in", 1)
	if _, _, err := cf.DeployQuery(ctx, "q", `SELECT count(*) AS n FROM cs.in GROUP BY TUMBLE(ts, INTERVAL '1' SECOND)`); err != nil {
		t.Fatal(err)
	}
	if _, err := cf.GetQuery(ctx, "q"); err != nil {
		t.Fatalf("the query's owner asks through the follower: %v", err)
	}
	e, err := cf.EphemeralStream(ctx, "cs/tmp", braid.WithLease(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := cf.KeepAliveHolders(ctx, []string{e.HolderID()}, 0); err != nil {
		t.Fatalf("keep-alive through the follower: %v", err)
	}
	for _, n := range []*servertest.Server{follower, leader} {
		co := dial(n, "other")
		if _, err := co.GetQuery(ctx, "q"); !errors.Is(err, braid.ErrPermissionDenied) {
			t.Errorf("another scope's user asks for the query: %v, want permission denied", err)
		}
		if err := co.DetachHolder(ctx, e.HolderID()); !errors.Is(err, braid.ErrPermissionDenied) {
			t.Errorf("another scope's user detaches the holder: %v, want permission denied", err)
		}
		if _, err := co.GetStream(ctx, "cs/s"); !errors.Is(err, braid.ErrPermissionDenied) {
			t.Errorf("another scope's user reads cs/s: %v, want permission denied", err)
		}
	}

	// The peer service is the nodes' own.
	cfg, err := tlsconf.NewClient(f.CA, "", "", false)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := grpc.NewClient(follower.GRPCAddr(), grpc.WithTransportCredentials(credentials.NewTLS(cfg)))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	peer := clusterv1.NewPeerServiceClient(conn)
	req := &clusterv1.SegmentRequest{Op: clusterv1.SegmentOp_SEGMENT_OP_INFO, Segment: "cs/s/0"}
	_, err = peer.Segment(metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+tokens["ops"]), req)
	if status.Code(err) != codes.PermissionDenied {
		t.Errorf("a cluster admin calls the peer service: %v, want PermissionDenied", err)
	}
	_, err = peer.Segment(metadata.AppendToOutgoingContext(ctx, "braid-peer", "not-the-secret"), req)
	if status.Code(err) != codes.Unauthenticated {
		t.Errorf("a call with another peer secret: %v, want Unauthenticated", err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
}

// secureLeader is the leader's id as node n sees it, over HTTPS with token.
func secureLeader(t *testing.T, f tlstest.Files, n *servertest.Server, token string) string {
	t.Helper()
	cfg, err := tlsconf.NewClient(f.CA, "", "", false)
	if err != nil {
		t.Fatal(err)
	}
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg.Clone(), ForceAttemptHTTP2: true}, Timeout: 5 * time.Second}
	defer hc.CloseIdleConnections()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, "https://"+n.HTTPAddr()+"/v1/cluster", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v struct {
		Leader string `json:"leader"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		t.Fatalf("GET /v1/cluster: %s: %v", resp.Status, err)
	}
	return v.Leader
}

// TestClusterEtcdTLS: nodes reach an etcd that serves TLS only and wants
// client certificates (etcds://, --etcd-ca, --etcd-cert, --etcd-key); a
// node without the certificate does not start, and says why.
func TestClusterEtcdTLS(t *testing.T) {
	if testing.Short() {
		t.Skip("configuration, not concurrency: in the full run")
	}
	f := tlstest.Write(t, t.TempDir())
	etcd := etcdtest.StartTLS(t, etcdtest.TLS{CA: f.CA, Cert: f.ServerCert, Key: f.ServerKey})
	cc, err := server.ParseClusterURL("etcds://" + strings.TrimPrefix(etcd.Endpoint(), "https://"))
	if err != nil {
		t.Fatal(err)
	}
	cc.EtcdCA, cc.EtcdCert, cc.EtcdKey = f.CA, f.ClientCert, f.ClientKey
	ns := servertest.ClusterOf(t, server.Config{Cluster: &cc}, "n1", "n2")
	c := dialAddr(t, ns[1].GRPCAddr())
	ctx := testCtx(t, 60*time.Second)
	createStream(t, c, "et/s", 4)
	writeEvents(t, c, ctx, "et/s", 0, 100)
	if got := readAll(t, dialAddr(t, ns[0].GRPCAddr()), "et/s", braid.UntilTail()); len(got) != 100 {
		t.Fatalf("read %d events, want 100", len(got))
	}

	// Without the client certificate, etcd does not answer it.
	bare := cc
	bare.EtcdCert, bare.EtcdKey, bare.NodeID = "", "", "n3"
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	backend := s3mem.New()
	s3srv := httptest.NewServer(gofakes3.New(backend).Server())
	defer s3srv.Close()
	if err := backend.CreateBucket("braid"); err != nil {
		t.Fatal(err)
	}
	_, err = server.New(sctx, server.Config{DataDir: t.TempDir(), GRPCAddr: "127.0.0.1:0", HTTPAddr: "127.0.0.1:0",
		Tier2: "s3://braid/c", S3: s3.Config{Endpoint: s3srv.URL, AccessKey: "a", SecretKey: "b", PathStyle: true}, Cluster: &bare})
	if err == nil || !strings.Contains(err.Error(), "etcds://") {
		t.Fatalf("a node without etcd's client certificate: %v, want an error naming etcds://", err)
	}
}
