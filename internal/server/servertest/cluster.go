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
// file, TLS files), the cluster's fields set on it. A base.Cluster with
// endpoints names the etcd to use (with its TLS files) instead of an
// embedded one.
func ClusterOf(t testing.TB, base server.Config, ids ...string) []*Server {
	t.Helper()
	var cc server.ClusterConfig
	if base.Cluster != nil {
		cc = *base.Cluster
	}
	if len(cc.Endpoints) == 0 {
		cc.Endpoints = []string{etcdtest.Start(t).Endpoint()}
	}
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
		node := cc
		node.NodeID, node.LeaseTTL = id, 2*time.Second
		cfg.Cluster = &node
		nodes = append(nodes, New(t, cfg))
	}
	return nodes
}
