package servertest

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/braidstream/braid/internal/cluster/etcdtest"
	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/tier2/s3"
)

// Cluster starts one cluster node per id, over an embedded etcd and an S3
// server in process, each stopped when the test ends. The lease is 2 s.
func Cluster(t testing.TB, ids ...string) []*Server {
	t.Helper()
	return ClusterOf(t, server.Config{}, ids...)
}

// ClusterOf is Cluster with base as every node's configuration (its users
// file, TLS files), the cluster's fields set on it.
func ClusterOf(t testing.TB, base server.Config, ids ...string) []*Server {
	t.Helper()
	etcd := etcdtest.Start(t)
	backend := s3mem.New()
	s3srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(s3srv.Close)
	if err := backend.CreateBucket("braid"); err != nil {
		t.Fatal(err)
	}
	var nodes []*Server
	for _, id := range ids {
		cfg := base
		cfg.Tier2 = "s3://braid/cluster"
		cfg.S3 = s3.Config{Endpoint: s3srv.URL, AccessKey: "a", SecretKey: "b", PathStyle: true}
		cfg.Cluster = &server.ClusterConfig{Endpoints: []string{etcd.Endpoint()}, NodeID: id, LeaseTTL: 2 * time.Second}
		nodes = append(nodes, New(t, cfg))
	}
	return nodes
}
