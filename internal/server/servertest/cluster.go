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
	etcd := etcdtest.Start(t)
	backend := s3mem.New()
	s3srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(s3srv.Close)
	if err := backend.CreateBucket("braid"); err != nil {
		t.Fatal(err)
	}
	var nodes []*Server
	for _, id := range ids {
		nodes = append(nodes, New(t, server.Config{
			Tier2:   "s3://braid/cluster",
			S3:      s3.Config{Endpoint: s3srv.URL, AccessKey: "a", SecretKey: "b", PathStyle: true},
			Cluster: &server.ClusterConfig{Endpoints: []string{etcd.Endpoint()}, NodeID: id, LeaseTTL: 2 * time.Second},
		}))
	}
	return nodes
}
