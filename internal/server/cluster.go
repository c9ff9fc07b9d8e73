package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"

	"github.com/braidstream/braid/internal/cluster"
	"github.com/braidstream/braid/internal/meta"
	"github.com/braidstream/braid/internal/peer"
	"github.com/braidstream/braid/internal/peercred"
	"github.com/braidstream/braid/internal/s3log"
	"github.com/braidstream/braid/internal/storage/segstore"
	"github.com/braidstream/braid/internal/tier2"
	"github.com/braidstream/braid/internal/tier2/s3"
	"github.com/braidstream/braid/internal/tlsconf"
)

// ClusterConfig makes a server a node of a cluster: membership, container
// ownership and stream metadata in etcd, container logs and chunks in S3
// (docs/cluster.md).
type ClusterConfig struct {
	// Endpoints are etcd's client URLs.
	Endpoints []string
	// Prefix is where the cluster's keys live in etcd (default
	// cluster.DefaultPrefix): two clusters may share an etcd under two
	// prefixes.
	Prefix string
	// NodeID names this node, the same across its restarts (default: the
	// host name and the gRPC port).
	NodeID string
	// Advertise is the gRPC address other nodes reach this node at
	// (default: the gRPC listen address, when its host is not 0.0.0.0 or
	// empty).
	Advertise string
	// LeaseTTL is how long a silent node stays a member (default 10s):
	// how long its containers wait before moving when it dies.
	LeaseTTL time.Duration
	// CommitInterval is the least time between two log PUTs of one
	// container while less than a pipelined batch waits (0: none); see
	// segstore.Options.CommitInterval.
	CommitInterval time.Duration
	// EtcdCA is the CA file (PEM) of etcd's server certificate, for
	// etcds:// (default: the system's CAs); EtcdCert and EtcdKey the
	// client certificate braid presents to etcd (etcd's
	// --client-cert-auth; with etcd's auth on, its common name is the etcd
	// user).
	EtcdCA, EtcdCert, EtcdKey string
	// PeerCA is the CA file (PEM) of the other nodes' certificates, when
	// the nodes serve TLS (default: the certificates of the node's own
	// --tls-cert file, for nodes that share one certificate).
	PeerCA string
}

// ParseClusterURL reads --cluster: etcd://HOST:PORT[,HOST:PORT...][/PREFIX],
// or etcds://... for etcd over TLS (EtcdCA and the client certificate in
// EtcdCert and EtcdKey say how).
func ParseClusterURL(raw string) (ClusterConfig, error) {
	scheme := "http"
	rest, ok := strings.CutPrefix(raw, "etcd://")
	if !ok {
		if rest, ok = strings.CutPrefix(raw, "etcds://"); !ok {
			return ClusterConfig{}, fmt.Errorf("cluster %q: want etcd://HOST:PORT[,HOST:PORT...][/PREFIX] (etcds:// for TLS)", raw)
		}
		scheme = "https"
	}
	hosts, prefix, _ := strings.Cut(rest, "/")
	var cc ClusterConfig
	for _, h := range strings.Split(hosts, ",") {
		if _, _, err := net.SplitHostPort(h); err != nil {
			return ClusterConfig{}, fmt.Errorf("cluster %q: etcd endpoint %q: want HOST:PORT", raw, h)
		}
		cc.Endpoints = append(cc.Endpoints, (&url.URL{Scheme: scheme, Host: h}).String())
	}
	if prefix != "" {
		cc.Prefix = "/" + strings.Trim(prefix, "/") + "/"
	}
	return cc, nil
}

// etcdTLS is the TLS configuration of the etcd client: nil for etcd://,
// else trusting EtcdCA (or the system's CAs) and presenting the client
// certificate of EtcdCert and EtcdKey, if given.
func (cc ClusterConfig) etcdTLS() (*tls.Config, error) {
	secure := len(cc.Endpoints) > 0 && strings.HasPrefix(cc.Endpoints[0], "https://")
	if !secure {
		if cc.EtcdCA != "" || cc.EtcdCert != "" || cc.EtcdKey != "" {
			return nil, errors.New("--etcd-ca, --etcd-cert and --etcd-key are for etcd over TLS: give --cluster etcds://HOST:PORT")
		}
		return nil, nil
	}
	cfg, err := tlsconf.NewClient(cc.EtcdCA, cc.EtcdCert, cc.EtcdKey, false)
	if err != nil {
		return nil, fmt.Errorf("TLS to etcd: %w", err)
	}
	return cfg, nil
}

// clusterNode is a server's part in a cluster.
type clusterNode struct {
	cfg    ClusterConfig
	log    *slog.Logger
	etcd   *clientv3.Client
	meta   *meta.Etcd
	bucket *s3.Store
	router *peer.Router
	node   *cluster.Node
	// creds are how this node proves itself to the others, and tells
	// their calls.
	creds *peercred.Credentials
	ready chan struct{} // closed once node is set
	// containers is the cluster's container count (set before ready).
	containers int
}

// checkCluster refuses what cluster mode does not serve yet, with why.
func checkCluster(cfg Config) error {
	switch {
	case !strings.HasPrefix(cfg.Tier2, "s3://"):
		return fmt.Errorf("cluster mode keeps containers' logs and chunks in S3: give --tier2 s3://BUCKET/PREFIX (got %q)", cfg.Tier2)
	case cfg.Cluster.PeerCA != "" && cfg.TLSCert == "":
		return errors.New("--peer-ca names the CA of the other nodes' TLS certificates: give this node --tls-cert and --tls-key too")
	case cfg.FsyncInterval != 0:
		return errors.New("--fsync-interval does not apply in cluster mode: every acknowledged append is in S3")
	}
	return nil
}

// openCluster connects to etcd and sets up the store's cluster options: no
// container opens until the node is assigned it, logs are S3 slot logs, and
// checkpoints live in tier 2.
func openCluster(ctx context.Context, cfg Config, t2 tier2.Store, opts *segstore.Options) (*clusterNode, error) {
	cc := *cfg.Cluster
	if cc.Prefix == "" {
		cc.Prefix = cluster.DefaultPrefix
	}
	bucket, ok := t2.(*s3.Store)
	if !ok {
		return nil, fmt.Errorf("cluster mode needs an S3 tier 2, not %T", t2)
	}
	etcdTLS, err := cc.etcdTLS()
	if err != nil {
		return nil, err
	}
	cli, err := clientv3.New(clientv3.Config{Endpoints: cc.Endpoints, TLS: etcdTLS, DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
	if err != nil {
		return nil, fmt.Errorf("etcd %s: %w", strings.Join(cc.Endpoints, ","), err)
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	_, err = cli.Get(pctx, cc.Prefix+"config/containers")
	cancel()
	if err != nil {
		cli.Close()
		return nil, fmt.Errorf("etcd %s does not answer: %w (is it running? --cluster takes its client URLs: etcd:// for plain HTTP, etcds:// for TLS, with --etcd-ca and --etcd-cert/--etcd-key as etcd wants)", strings.Join(cc.Endpoints, ","), err)
	}
	creds, err := peerCredentials(ctx, cli, cc, cfg)
	if err != nil {
		cli.Close()
		return nil, err
	}
	cn := &clusterNode{cfg: cc, log: cfg.Logger, etcd: cli, bucket: bucket, ready: make(chan struct{}),
		meta: meta.NewEtcd(cli, cc.Prefix+"meta/"), creds: creds}
	opts.Owned = true
	opts.CommitInterval = cc.CommitInterval
	opts.Checkpoints = segstore.TierCheckpoints{Store: t2}
	opts.OpenLog = func(_ context.Context, k int, epoch uint64) (segstore.Log, error) {
		// An owner that is not writing learns within a second that a
		// successor fenced it, and gives the container up.
		return s3log.Open(s3log.Options{Bucket: bucket, Container: k, Epoch: epoch, Logger: cfg.Logger,
			CheckEvery: fenceCheckInterval, OnFenced: func() { cn.failed(k, epoch) }})
	}
	opts.OnFail = func(k int, epoch uint64, _ error) { cn.failed(k, epoch) }
	return cn, nil
}

// peerCredentials are the node's: the cluster's peer secret (made by the
// first node, kept in etcd) and, when the nodes serve TLS, the client side
// of it: trusting the other nodes' certificates (PeerCA, or the node's own
// certificate file), and presenting the node's own certificate to nodes
// that require client certificates (--tls-client-ca).
func peerCredentials(ctx context.Context, cli *clientv3.Client, cc ClusterConfig, cfg Config) (*peercred.Credentials, error) {
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	secret, err := peercred.Secret(sctx, cli, cc.Prefix+"config/peer-secret")
	cancel()
	if err != nil {
		return nil, err
	}
	if cfg.TLSCert == "" {
		return peercred.New(secret, nil), nil
	}
	ca := cc.PeerCA
	if ca == "" {
		ca = cfg.TLSCert
	}
	tlsCfg, err := tlsconf.NewClient(ca, cfg.TLSCert, cfg.TLSKey, false)
	if err != nil {
		return nil, fmt.Errorf("TLS to the other nodes: %w", err)
	}
	return peercred.New(secret, tlsCfg), nil
}

// fenceCheckInterval is how often an owner reads the slot its log writes
// next, to learn that a successor fenced it even when it is not writing:
// one GET per container per interval.
const fenceCheckInterval = time.Second

// failed hands a failed or fenced container to the node, which closes it
// and reopens it under a new epoch if it is still assigned here. It does
// not block (Node.Failed does not) once the node has joined.
func (cn *clusterNode) failed(k int, epoch uint64) {
	<-cn.ready
	if cn.node != nil {
		cn.node.Failed(k, epoch)
	}
}

// ownerWait is how long an operation waits for its container's owner:
// longer than a dead node's lease and its successor's replay.
func (cn *clusterNode) ownerWait() time.Duration {
	ttl := cn.cfg.LeaseTTL
	if ttl <= 0 {
		ttl = 10 * time.Second
	}
	return 2*ttl + 10*time.Second
}

// Owner implements peer.Owners.
func (cn *clusterNode) Owner(k int) (string, bool, bool) {
	select {
	case <-cn.ready:
	default:
		return "", false, false
	}
	if cn.node == nil {
		return "", false, false
	}
	ni, _, ok := cn.node.Owner(k)
	return ni.GRPC, ok && ni.ID == cn.node.Self().ID, ok
}

// Coordinator implements grpcapi.GroupCoordinators: a reader group is
// coordinated by the owner of the container its name hashes to (as a
// segment's would), and changes coordinator with the container's epoch.
func (cn *clusterNode) Coordinator(scope, name string) (string, bool, uint64, bool) {
	return cn.OwnerOf("groups/" + scope + "/" + name)
}

// OwnerOf implements grpcapi.KeyOwners: the owner of the container key
// hashes to (as a segment named key would), its gRPC address, whether it
// is this node, and the container's epoch.
func (cn *clusterNode) OwnerOf(key string) (string, bool, uint64, bool) {
	select {
	case <-cn.ready:
	default:
		return "", false, 0, false
	}
	if cn.node == nil {
		return "", false, 0, false
	}
	ni, a, ok := cn.node.Owner(segstore.ContainerOf(key, cn.containers))
	return ni.GRPC, ok && ni.ID == cn.node.Self().ID, a.Epoch, ok
}

// Changed implements grpcapi.GroupCoordinators.
func (cn *clusterNode) Changed() <-chan struct{} {
	select {
	case <-cn.ready:
	default:
		return cn.ready
	}
	if cn.node == nil {
		return make(chan struct{}) // never: the node failed to join
	}
	return cn.node.Changed()
}

// Leader implements grpcapi.Leaders.
func (cn *clusterNode) Leader() (string, bool, bool) {
	select {
	case <-cn.ready:
	default:
		return "", false, false
	}
	if cn.node == nil {
		return "", false, false
	}
	v := cn.node.View()
	for _, ni := range v.Nodes {
		if ni.ID == v.Leader {
			return ni.GRPC, ni.ID == v.Self, true
		}
	}
	return "", false, false
}

// join registers the node, once its ports listen.
func (cn *clusterNode) join(ctx context.Context, store *segstore.Store, containers int, grpcAddr, httpAddr string) error {
	defer close(cn.ready)
	cn.containers = containers
	id, adv := cn.cfg.NodeID, cn.cfg.Advertise
	_, port, _ := net.SplitHostPort(grpcAddr)
	if id == "" {
		host, err := os.Hostname()
		if err != nil {
			return fmt.Errorf("cluster node id: %w (give --node-id)", err)
		}
		id = host + "-" + port
	}
	if adv == "" {
		host, _, _ := net.SplitHostPort(grpcAddr)
		if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
			return fmt.Errorf("cluster: the gRPC port listens on %s, which other nodes cannot dial: give --advertise HOST:PORT", grpcAddr)
		}
		adv = grpcAddr
	}
	n, err := cluster.Start(ctx, cluster.Config{
		Client: cn.etcd, Prefix: cn.cfg.Prefix, Containers: containers, LeaseTTL: cn.cfg.LeaseTTL,
		Node:  cluster.NodeInfo{ID: id, GRPC: adv, HTTP: browsable(httpAddr), Started: time.Now().UTC()},
		Store: store, Logger: cn.log,
	})
	if err != nil {
		return err
	}
	cn.node = n
	return nil
}

// whileLeader runs fn while this node leads the cluster, with a context
// that ends when it stops leading or stop ends; it returns when stop ends.
func (cn *clusterNode) whileLeader(stop context.Context, what string, fn func(ctx context.Context)) {
	<-cn.ready
	if cn.node == nil {
		return
	}
	self := cn.node.Self().ID
	for stop.Err() == nil {
		changed := cn.node.Changed()
		if cn.node.View().Leader != self {
			select {
			case <-stop.Done():
			case <-changed:
			}
			continue
		}
		ctx, cancel := context.WithCancel(stop)
		done := make(chan struct{})
		go func() {
			defer close(done)
			fn(ctx)
		}()
		cn.log.Info("leader task started", "task", what)
		for ctx.Err() == nil && cn.node.View().Leader == self {
			select {
			case <-ctx.Done():
			case <-cn.node.Changed():
			}
		}
		cancel()
		<-done
	}
}

// close leaves the cluster (after the store closed: the next owners
// replay what it flushed) and closes the etcd client.
func (cn *clusterNode) close() error {
	var errs []error
	if cn.node != nil {
		errs = append(errs, cn.node.Close())
	}
	errs = append(errs, cn.meta.Close(), cn.etcd.Close())
	return errors.Join(errs...)
}
