// Package server builds braid's pieces (segment store, metadata store,
// controller, gRPC and HTTP services) and wires them together. It is the one
// place that knows them all.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/keepalive"
	"google.golang.org/grpc/status"

	"github.com/braidstream/braid"
	clusterv1 "github.com/braidstream/braid/api/braid/cluster/v1"
	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/internal/activity"
	"github.com/braidstream/braid/internal/audit"
	"github.com/braidstream/braid/internal/auth"
	"github.com/braidstream/braid/internal/autoscale"
	"github.com/braidstream/braid/internal/buildinfo"
	"github.com/braidstream/braid/internal/controller"
	"github.com/braidstream/braid/internal/dashboard"
	"github.com/braidstream/braid/internal/ephemeral"
	"github.com/braidstream/braid/internal/exportjob"
	"github.com/braidstream/braid/internal/gc"
	"github.com/braidstream/braid/internal/group"
	"github.com/braidstream/braid/internal/grpcapi"
	"github.com/braidstream/braid/internal/httpapi"
	"github.com/braidstream/braid/internal/limits"
	"github.com/braidstream/braid/internal/meta"
	"github.com/braidstream/braid/internal/peer"
	"github.com/braidstream/braid/internal/peercred"
	"github.com/braidstream/braid/internal/queryjob"
	"github.com/braidstream/braid/internal/storage/segstore"
	"github.com/braidstream/braid/internal/streammetrics"
	"github.com/braidstream/braid/internal/tier2"
	"github.com/braidstream/braid/internal/tier2/s3"
	"github.com/braidstream/braid/internal/tlsconf"
	"github.com/braidstream/braid/internal/vfs"
	"github.com/braidstream/braid/internal/watermark"
	"github.com/braidstream/braid/wire"
)

// DefaultContainers is the container count of a new data directory with
// tier 2 at tier2 (as Config.Tier2). Each container has its own log and
// its own storage writer. With tier 2 in a directory: one, so that one log
// takes every append on the disk, in larger and fewer fsyncs (several logs
// syncing side by side on one disk made appends slower, and their latency
// tail longer: docs/benchmarks.md). With S3: four, whose storage writers
// upload in parallel.
func DefaultContainers(tier2 string) int {
	if strings.HasPrefix(tier2, "s3://") {
		return 4
	}
	return 1
}

// Config configures a server. Zero values take the documented defaults.
type Config struct {
	// DataDir holds all data (default "./braid-data").
	DataDir string
	// GRPCAddr is the gRPC listen address (default "127.0.0.1:7470").
	GRPCAddr string
	// HTTPAddr is the HTTP listen address (default "127.0.0.1:7471").
	HTTPAddr string
	// Pprof serves Go profiles at /debug/pprof/ on the HTTP port.
	Pprof bool
	// AuthFile is the users file (braid auth): when set, every call of
	// the gRPC port and every HTTP request but the health checks needs
	// a user's token (or client certificate) and the permission for
	// what it does. The file is read again when it changes.
	AuthFile string
	// TLSCert and TLSKey, when set, make both ports serve TLS only; the
	// files are read again when they change. TLSClientCA, when set,
	// requires client certificates signed by it (their common name is
	// the user, with AuthFile).
	TLSCert, TLSKey, TLSClientCA string
	// FsyncInterval is 0 to fsync before every acknowledgement (the
	// default), or the longest time acknowledged appends may stay unsynced.
	FsyncInterval time.Duration
	// Containers is the number of segment containers; it is fixed when a
	// data directory is created. 0: the directory's, and for a new one
	// DefaultContainers(Tier2).
	Containers int
	// Tier2 is where segment chunks are kept long-term: "" for the
	// directory <DataDir>/tier2, a directory path, or s3://BUCKET/PREFIX
	// (with S3 for the endpoint and credentials).
	Tier2 string
	// S3 holds the S3 settings other than bucket and prefix.
	S3 s3.Config
	// Storage tunes the segment store: cache and memory bounds, chunking
	// (zero values: segstore's defaults). Dir, FS, Logger, Registerer,
	// Containers, FsyncInterval and Tier2 are set from the fields above.
	Storage segstore.Options
	// RetentionInterval is how often retention policies are applied
	// (default controller.DefaultRetentionInterval, one minute).
	RetentionInterval time.Duration
	// MetricsMaxStreams caps the streams with per-stream metrics of their
	// own (docs/metrics.md): 0 is streammetrics.DefaultMaxStreams (256),
	// negative turns per-stream metrics off.
	MetricsMaxStreams int
	// Scaling sets the auto-scaler's evaluation interval, rate windows and
	// cooldown (zero values: its defaults, Pravega's).
	Scaling autoscale.Options
	// HTTP bounds HTTP requests: body and event sizes, idle timeouts,
	// long-poll waits (zero values: httpapi's defaults).
	HTTP httpapi.Limits
	// Conns bounds connections and what a client that stops reading may
	// hold (zero values: the defaults in ConnLimits).
	Conns ConnLimits
	// Quota bounds the streams and current segments of the whole server
	// (zero values: controller.DefaultMaxStreams, DefaultMaxSegments).
	Quota controller.Quota
	// Cluster, when set, makes the server a node of a cluster on etcd and
	// S3 (docs/cluster.md); Tier2 must then be S3.
	Cluster *ClusterConfig
	// GCMinInactive is the shortest inactivity "braid gc --inactive" and
	// a scope's inactive-ttl take (default gc.MinInactive, a minute);
	// tests lower it.
	GCMinInactive time.Duration
	// GCPolicyInterval is how often the scopes' inactive-ttl policies are
	// applied (default a minute); tests shorten it.
	GCPolicyInterval time.Duration
	// Logger receives logs (default: discarded).
	Logger *slog.Logger
}

// gcPolicyInterval is how often the scopes' inactive-ttl policies are
// applied.
const gcPolicyInterval = time.Minute

// clusterRecoverAge is how old a create or delete left in the stream
// metadata must be before a cluster's leader takes it for interrupted and
// finishes it (the next create or delete of the name finishes it sooner).
const clusterRecoverAge = 10 * time.Minute

// activitySaveInterval is how often last-activity times are saved. A
// cluster node saves more often: the leader judges inactivity from what
// every node saved, and the least inactivity it acts on is gc.MinInactive.
const (
	activitySaveInterval        = time.Minute
	clusterActivitySaveInterval = 10 * time.Second
)

// readTee tells both of every read.
type readTee struct{ a, b grpcapi.ReadCounter }

func (t readTee) Read(scope, stream string, events, bytes int) {
	t.a.Read(scope, stream, events, bytes)
	t.b.Read(scope, stream, events, bytes)
}

// ephemeralReapInterval is how often leases are checked: an ephemeral
// stream goes at most this long after its grace period ends.
const ephemeralReapInterval = time.Second

// FsyncMode is the text form of the fsync setting.
func (c Config) FsyncMode() string {
	if c.FsyncInterval == 0 {
		return "always"
	}
	return "interval:" + c.FsyncInterval.String()
}

// Server is a running braid node.
type Server struct {
	cfg   Config
	log   *slog.Logger
	store *segstore.Store
	meta  meta.Store
	// lock is the data directory's bbolt file: the metadata store on one
	// node; in a cluster, whose metadata is in etcd, only the directory's
	// lock against a second server.
	lock *meta.Bolt
	// node is the server's part in a cluster (nil on one node); segs is
	// where segment operations go: the store, or in a cluster the
	// router to each container's owner.
	node *clusterNode
	segs peer.Local
	// streamDeleted drops a deleted stream's metrics (set once the
	// counters exist; the controller's hook calls it).
	streamDeleted func(ctx context.Context, scope, name string) error
	// scopeDeleted drops a deleted scope's gc policy (set once the
	// collector exists).
	scopeDeleted func(ctx context.Context, scope string) error
	errs         errorCounter
	grpc         *grpc.Server // the gRPC port
	http         *http.Server
	lnG          net.Listener
	lnH          net.Listener
	// grpcIn serves the HTTP API's client on lnIn, in process: the same
	// services without the port's connection limits.
	grpcIn   *grpc.Server
	lnIn     *pipeListener
	data     *grpcapi.DataService
	ready    atomic.Bool
	gatherer prometheus.Gatherer
	// sampler keeps the dashboard's series; started marks New's start.
	sampler *dashboard.Sampler
	started time.Time
	// api serves /v1 through client, which Serve connects to the server's
	// own gRPC port.
	api    *httpapi.API
	client *braid.Client
	// hits counts clients meeting a limit (braid_limit_hits_total).
	hits *limits.Hits
	// exports runs the export jobs, with client, from Serve on.
	exports *exportjob.Manager
	// groupRouter forwards reader group calls to their coordinator (a
	// cluster node); nil on one node.
	groupRouter *grpcapi.GroupRouter
	// leaderRouter forwards export and query calls to the leader (a
	// cluster node); nil on one node.
	leaderRouter *grpcapi.LeaderRouter
	// timeRouter forwards watermark reports and questions to the node
	// keeping the stream's watermarks (a cluster node only).
	timeRouter *grpcapi.TimeRouter
	// queries runs the continuous queries, with client, from Serve on.
	queries *queryjob.Manager
	// users are the users of AuthFile (nil without one); authCount counts
	// their failures and denials.
	users     *auth.Store
	authCount *authCounter
	// tls serves both ports' certificates (nil without TLS).
	tls *tlsconf.Server
	// ephemeral keeps the ephemeral streams and scopes and deletes them
	// when their holders are gone.
	ephemeral *ephemeral.Manager
	// activity keeps each stream's last write and read.
	activity *activity.Tracker

	stopStreams   context.Context // canceled by Close: ends streaming calls
	cancelStreams context.CancelFunc
	background    sync.WaitGroup // background tasks (retention), stopped by cancelStreams

	closeOnce sync.Once
	closeErr  error
}

// New opens the data directory, recovers storage and metadata, and listens
// on both addresses. Serve then serves.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.DataDir == "" {
		cfg.DataDir = "./braid-data"
	}
	if cfg.GRPCAddr == "" {
		cfg.GRPCAddr = "127.0.0.1:7470"
	}
	if cfg.HTTPAddr == "" {
		cfg.HTTPAddr = "127.0.0.1:7471"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if err := cfg.Scaling.Validate(); err != nil {
		return nil, fmt.Errorf("auto-scaling options: %w", err)
	}
	if cfg.FsyncInterval < 0 {
		return nil, fmt.Errorf("negative fsync interval %v", cfg.FsyncInterval)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	containers, err := segstore.CheckLayout(vfs.OS{}, cfg.DataDir, cfg.Containers, DefaultContainers(cfg.Tier2))
	if err != nil {
		return nil, err
	}
	cfg.Containers = containers
	s := &Server{cfg: cfg, log: cfg.Logger, started: time.Now()}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	s.hits = limits.New(reg)
	registerBuild(reg, buildinfo.Version(), time.Now())

	if cfg.Cluster != nil {
		if err := checkCluster(cfg); err != nil {
			return nil, err
		}
	}
	// The metadata store also locks the data directory against a second
	// server.
	s.lock, err = meta.OpenBolt(filepath.Join(cfg.DataDir, "meta.db"))
	if err != nil {
		return nil, err
	}
	s.meta = s.lock
	t0 := time.Now()
	opts := cfg.Storage
	opts.Dir, opts.Logger, opts.Registerer = cfg.DataDir, cfg.Logger, reg
	opts.Containers, opts.FsyncInterval = cfg.Containers, cfg.FsyncInterval
	if opts.Tier2, err = openTier2(ctx, cfg); err != nil {
		s.lock.Close()
		return nil, err
	}
	if cfg.Cluster != nil {
		if s.node, err = openCluster(ctx, cfg, opts.Tier2, &opts); err != nil {
			s.lock.Close()
			return nil, err
		}
		s.meta = s.node.meta
	}
	s.store, err = segstore.Open(ctx, opts)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("opening storage in %s: %w", cfg.DataDir, err)
	}
	s.segs = s.store
	if s.node != nil {
		s.node.router = peer.NewRouter(s.store, s.node, cfg.Containers, s.node.ownerWait(), s.node.creds.DialOptions())
		s.segs = s.node.router
	}
	ctrl := controller.New(s.meta, s.segs, cfg.Logger)
	ctrl.SetQuota(cfg.Quota)
	ctrl.SetLimitHits(s.hits)
	if s.node == nil {
		if err := ctrl.Recover(ctx); err != nil {
			s.Close()
			return nil, fmt.Errorf("recovering stream metadata: %w", err)
		}
	}
	var groups *group.Manager
	if s.node != nil {
		// The coordinator of each group reads it when it comes to
		// coordinate it (GroupRouter).
		groups = group.NewUnloaded(s.meta, ctrl, s.segs, s.hits, cfg.Logger)
	} else if groups, err = group.New(ctx, s.meta, ctrl, s.segs, s.hits, cfg.Logger); err != nil {
		s.Close()
		return nil, fmt.Errorf("loading reader groups: %w", err)
	}
	times := watermark.New(ctrl, s.segs, watermark.Options{Logger: cfg.Logger})
	s.exports = exportjob.New(s.meta, reg, cfg.Logger)
	s.queries = queryjob.New(s.meta, reg, cfg.Logger, queryjob.Config{})
	cleanups := audit.New(s.segs)
	s.ephemeral = ephemeral.New(s.meta, ctrl, nil, cfg.Logger)
	s.ephemeral.Deleted = func(rec ephemeral.Record) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := cleanups.Record(ctx, audit.Entry{Action: "delete", Kind: rec.Kind, Name: rec.Name(), Rule: audit.RuleEphemeral, Reason: rec.Reason}); err != nil {
			cfg.Logger.Warn("the cleanup log could not record a deletion", "name", rec.Name(), "err", err)
		}
	}
	if s.node == nil {
		// In a cluster the leader holds the leases: it loads the
		// records when it starts leading (below).
		if err := s.ephemeral.Load(ctx); err != nil {
			s.Close()
			return nil, fmt.Errorf("loading ephemeral streams: %w", err)
		}
	}
	ctrl.SetHooks(controller.Hooks{
		StreamDeleted: func(ctx context.Context, scope, name string) error {
			err := errors.Join(groups.StreamDeleted(ctx, scope, name), times.StreamDeleted(ctx, scope, name),
				s.exports.StreamDeleted(ctx, scope, name), s.queries.StreamDeleted(ctx, scope, name), s.ephemeral.Forget(ctx, scope, name))
			if s.streamDeleted != nil {
				err = errors.Join(err, s.streamDeleted(ctx, scope, name))
			}
			return err
		},
		ScopeDeleted: func(ctx context.Context, scope string) error {
			err := errors.Join(groups.ScopeDeleted(ctx, scope), s.ephemeral.Forget(ctx, scope, ""))
			if s.scopeDeleted != nil {
				err = errors.Join(err, s.scopeDeleted(ctx, scope))
			}
			return err
		},
		StreamTruncated: times.StreamTruncated,
	})
	reg.MustRegister(times.Collector())
	// In a cluster one node keeps each stream's watermarks (the owner of
	// its mark log): the others forward to it.
	var timeAPI grpcapi.TimeTracker = times
	if s.node != nil {
		s.timeRouter = grpcapi.NewTimeRouter(times, s.node, s.node.ownerWait(), s.node.creds.DialOptions())
		timeAPI = s.timeRouter
	}
	groups.SetTimes(groupTimes{times: timeAPI, segs: s.segs})
	reg.MustRegister(groups.Collector())
	s.log.Info("storage recovered", slog.Duration("took", time.Since(t0)))

	// Streaming calls (append sessions, following reads) never end on
	// their own; Close cancels them so that shutdown is prompt.
	s.stopStreams, s.cancelStreams = context.WithCancel(context.Background())
	// On one node the server does all of the background work itself; in a
	// cluster the work that changes streams (recovery of interrupted
	// creates and deletes, retention, reaping ephemeral streams, scaling)
	// runs on the leader only.
	leader := func(what string, fn func(ctx context.Context)) {
		s.background.Add(1)
		go func() {
			defer s.background.Done()
			if s.node == nil {
				fn(s.stopStreams)
				return
			}
			s.node.whileLeader(s.stopStreams, what, fn)
		}()
	}
	if s.node != nil {
		// The other nodes serve meanwhile: a create or delete younger
		// than clusterRecoverAge may be one a live node is making.
		leader("recovery", func(ctx context.Context) {
			t := time.NewTicker(time.Minute)
			defer t.Stop()
			for {
				if err := ctrl.RecoverOlder(ctx, clusterRecoverAge); err != nil && ctx.Err() == nil {
					s.log.Warn("recovering stream metadata failed", "err", err)
				}
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
			}
		})
	}
	leader("retention", func(ctx context.Context) { ctrl.RunRetention(ctx, cfg.RetentionInterval) })
	s.background.Add(1)
	go func() {
		defer s.background.Done()
		groups.Run(s.stopStreams)
	}()
	s.background.Add(1)
	go func() {
		defer s.background.Done()
		times.Run(s.stopStreams)
	}()
	if s.timeRouter != nil {
		s.background.Add(1)
		go func() {
			defer s.background.Done()
			s.timeRouter.Run(s.stopStreams)
		}()
	}
	leader("ephemeral reaper", func(ctx context.Context) {
		if s.node != nil {
			defer s.ephemeral.Release()
			for {
				err := s.ephemeral.Load(ctx)
				if err == nil {
					break
				}
				s.log.Warn("loading ephemeral streams failed; trying again", "err", err)
				t := time.NewTimer(time.Second)
				select {
				case <-ctx.Done():
					t.Stop()
					return
				case <-t.C:
				}
			}
		}
		s.ephemeral.Run(ctx, ephemeralReapInterval)
	})
	scaler, err := autoscale.New(ctrl, cfg.Logger, reg, nil, cfg.Scaling)
	if err != nil {
		s.Close()
		return nil, err
	}
	leader("auto-scaler", scaler.Run)
	if s.lnG, err = net.Listen("tcp", cfg.GRPCAddr); err != nil {
		s.Close()
		return nil, fmt.Errorf("listen for gRPC on %s: %w", cfg.GRPCAddr, err)
	}
	if s.lnH, err = net.Listen("tcp", cfg.HTTPAddr); err != nil {
		s.Close()
		return nil, fmt.Errorf("listen for HTTP on %s: %w", cfg.HTTPAddr, err)
	}
	conns := &s.cfg.Conns
	conns.defaults()
	fds := fileLimit()
	if conns.fitDescriptors(fds) {
		s.log.Warn("connection limits lowered to keep descriptors for the store",
			slog.Int("fd_limit", fds), slog.Int("reserve", fdReserve),
			slog.Int("grpc_max_connections", conns.GRPCMaxConnections), slog.Int("http_max_connections", conns.HTTPMaxConnections))
	}
	connGauge := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "braid_connections",
		Help: "Open client connections, by listener (grpc, http); the HTTP API's own connection to gRPC is not counted.",
	}, []string{"listener"})
	reg.MustRegister(connGauge)
	limG := newConnLimiter("grpc", limitGRPCConns, conns.GRPCMaxConnections, s.hits, connGauge, cfg.Logger,
		grpcRefusal(limitGRPCConns, conns.GRPCMaxConnections))
	limH := newConnLimiter("http", limitHTTPConns, conns.HTTPMaxConnections, s.hits, connGauge, cfg.Logger,
		httpRefusal(limitHTTPConns, conns.HTTPMaxConnections))
	s.lnG = &limitedListener{Listener: s.lnG, lim: limG}
	s.lnH = &limitedListener{Listener: s.lnH, lim: limH}
	gconns := &grpcConns{lim: limG, idle: conns.GRPCIdleTimeout, maxPending: int(conns.GRPCMaxPending), log: cfg.Logger}

	codec := grpcapi.NewServerCodec()
	common := []grpc.ServerOption{
		grpc.ForceServerCodecV2(codec),
		grpc.ChainUnaryInterceptor(codec.UnaryInterceptor),
		grpc.ChainStreamInterceptor(codec.StreamInterceptor, s.cancelOnClose),
		grpc.MaxRecvMsgSize(64 << 20),
		grpc.MaxSendMsgSize(64 << 20),
		grpc.InitialWindowSize(4 << 20),
		grpc.InitialConnWindowSize(16 << 20),
	}
	errs := newErrorCounter(reg)
	s.errs = errs
	unary, stream := []grpc.UnaryServerInterceptor{errs.unary}, []grpc.StreamServerInterceptor{errs.stream}
	if s.node != nil {
		// The peer service is the nodes' own: it takes only calls with
		// the cluster's peer secret, with or without --auth-file.
		g := peercred.Guard{Creds: s.node.creds, Prefix: "/" + clusterv1.PeerService_ServiceDesc.ServiceName + "/"}
		unary, stream = append(unary, g.Unary), append(stream, g.Stream)
	}
	// The services resolve the scopes of what requests name by id; they
	// are made below.
	resolver := &scopeResolver{}
	var public []grpc.ServerOption
	if cfg.TLSCert != "" || cfg.TLSKey != "" {
		tlsSrv, err := tlsconf.NewServer(cfg.TLSCert, cfg.TLSKey, cfg.TLSClientCA, cfg.Logger)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("TLS: %w", err)
		}
		s.tls = tlsSrv
		public = append(public, grpc.Creds(credentials.NewTLS(tlsSrv.Config())))
		s.background.Add(1)
		go func() {
			defer s.background.Done()
			tlsSrv.Run(s.stopStreams, 2*time.Second)
		}()
	}
	if cfg.AuthFile != "" {
		users, err := auth.NewStore(cfg.AuthFile, cfg.Logger)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("users file: %w", err)
		}
		s.users, s.authCount = users, newAuthCounter(reg)
		authz := &grpcapi.Authorizer{Users: users, Resolve: resolver, Counter: s.authCount, Log: cfg.Logger}
		if s.node != nil {
			authz.Peers = s.node.creds
		}
		unary, stream = append(unary, authz.Unary()), append(stream, authz.Stream())
		s.background.Add(1)
		go func() {
			defer s.background.Done()
			users.Run(s.stopStreams, auth.DefaultPollInterval)
		}()
	}
	s.grpc = grpc.NewServer(append(append(common, public...),
		grpc.ChainUnaryInterceptor(unary...),
		grpc.ChainStreamInterceptor(stream...),
		grpc.StatsHandler(gconns),
		grpc.MaxConcurrentStreams(uint32(conns.GRPCMaxStreams)),
		grpc.ConnectionTimeout(grpcHandshakeTimeout),
		grpc.KeepaliveParams(keepalive.ServerParameters{
			MaxConnectionIdle: conns.GRPCIdleTimeout, // 0: none
			Time:              time.Minute,
			Timeout:           20 * time.Second,
		}),
		grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{MinTime: 10 * time.Second, PermitWithoutStream: true}),
	)...)
	s.grpcIn = grpc.NewServer(common...)
	s.lnIn = newPipeListener()
	maxStreams := cfg.MetricsMaxStreams
	switch {
	case maxStreams == 0:
		maxStreams = streammetrics.DefaultMaxStreams
	case maxStreams < 0:
		maxStreams = 0
	}
	// The auto-scaler (the leader's, in a cluster) counts the appends of
	// every node: the others report theirs to it.
	var rates activity.Recorder = scaler.Recorder()
	if s.node != nil {
		reporter := peer.NewRateReporter(s.node, scaler.Recorder(), s.node.creds.DialOptions(), cfg.Logger)
		rates = reporter
		s.background.Add(1)
		go func() {
			defer s.background.Done()
			reporter.Run(s.stopStreams)
		}()
	}
	s.activity = activity.New(s.meta, rates, cfg.Logger)
	if err := s.activity.Load(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("loading last-activity times: %w", err)
	}
	counts := streammetrics.New(reg, maxStreams, s.activity, ctrl, s.segs)
	s.streamDeleted = func(ctx context.Context, scope, name string) error {
		return errors.Join(counts.StreamDeleted(ctx, scope, name), s.activity.StreamDeleted(ctx, scope, name))
	}
	s.data = grpcapi.NewDataService(ctrl, s.segs, counts, s.hits,
		grpcapi.DataOptions{WriteDeadline: conns.GRPCWriteDeadline, SlowConsumer: gconns.slowConsumer, Times: timeAPI,
			Reads: readTee{counts, s.activity}})
	s.background.Add(1)
	go func() {
		defer s.background.Done()
		every := activitySaveInterval
		if s.node != nil {
			every = clusterActivitySaveInterval
		}
		s.activity.Run(s.stopStreams, every)
	}()
	admin, groupSvc := grpcapi.NewStreamService(ctrl, s.segs), grpcapi.NewGroupService(groups, timeAPI)
	exportSvc := grpcapi.NewExportService(s.exports)
	querySvc := grpcapi.NewQueryService(s.queries)
	collector := &gc.Collector{Ctrl: ctrl, Ephemeral: s.ephemeral, Activity: s.activity, Log: cleanups, Meta: s.meta, Logger: cfg.Logger, Min: cfg.GCMinInactive}
	s.scopeDeleted = collector.ScopeDeleted
	leader("collector", func(ctx context.Context) {
		every := gcPolicyInterval
		if cfg.GCPolicyInterval > 0 {
			every = cfg.GCPolicyInterval
		}
		collector.Run(ctx, every)
	})
	ephemeralSvc := grpcapi.NewEphemeralService(s.ephemeral, cleanups, collector, ctrl, admin)
	var (
		groupAPI  braidv1.GroupServiceServer  = groupSvc
		exportAPI braidv1.ExportServiceServer = exportSvc
		queryAPI  braidv1.QueryServiceServer  = querySvc

		ephemeralAPI braidv1.EphemeralServiceServer = ephemeralSvc
	)
	if s.node != nil {
		// One node coordinates each group, and the leader runs the
		// export jobs and queries: the others forward to them.
		dial := s.node.creds.DialOptions()
		s.groupRouter = grpcapi.NewGroupRouter(groupSvc, s.node, s.node.ownerWait(), dial)
		s.leaderRouter = grpcapi.NewLeaderRouter(exportSvc, querySvc, ephemeralSvc, s.node, s.node.ownerWait(), dial)
		groupAPI, exportAPI, queryAPI = s.groupRouter, s.leaderRouter.Exports(), s.leaderRouter.Queries()
		ephemeralAPI = s.leaderRouter.Ephemeral()
	}
	*resolver = scopeResolver{exports: exportAPI, queries: queryAPI, ephemeral: ephemeralAPI}
	if s.node == nil {
		resolver.holders = s.ephemeral
	}
	for _, g := range []*grpc.Server{s.grpc, s.grpcIn} {
		braidv1.RegisterStreamServiceServer(g, admin)
		braidv1.RegisterDataServiceServer(g, s.data)
		braidv1.RegisterGroupServiceServer(g, groupAPI)
		braidv1.RegisterExportServiceServer(g, exportAPI)
		braidv1.RegisterQueryServiceServer(g, queryAPI)
		braidv1.RegisterEphemeralServiceServer(g, ephemeralAPI)
	}
	if s.node != nil {
		clusterv1.RegisterPeerServiceServer(s.grpc, peer.NewServer(s.store, scaler.Recorder()))
		if err := s.node.join(ctx, s.store, cfg.Containers, s.GRPCAddr(), s.HTTPAddr()); err != nil {
			s.Close()
			return nil, fmt.Errorf("joining the cluster: %w", err)
		}
	}
	s.gatherer = reg
	s.sampler = dashboard.NewSampler(reg, nil, cfg.Logger)
	s.background.Add(1)
	go func() {
		defer s.background.Done()
		s.sampler.Run(s.stopStreams)
	}()
	// A keep-alive connection idle for the HTTP idle timeout is closed.
	httpIdle := cfg.HTTP.IdleTimeout
	if httpIdle <= 0 {
		httpIdle = 30 * time.Second // httpapi's default
	}
	s.http = &http.Server{
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       httpIdle,
		ErrorLog:          slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelWarn),
	}
	if s.tls != nil {
		s.http.TLSConfig = s.tls.Config()
	}
	return s, nil
}

// info describes the server for the dashboard.
func (s *Server) info() httpapi.ServerInfo {
	in := httpapi.ServerInfo{Version: buildinfo.Version(), StartedAt: s.started, DataDir: s.cfg.DataDir,
		FsyncMode: s.cfg.FsyncMode(), Containers: s.cfg.Containers, Tier2Kind: "directory", Tier2Location: s.cfg.Tier2}
	if abs, err := filepath.Abs(s.cfg.DataDir); err == nil {
		in.DataDir = abs
	}
	switch {
	case strings.HasPrefix(s.cfg.Tier2, "s3:"):
		in.Tier2Kind = "s3"
	case s.cfg.Tier2 == "":
		in.Tier2Location = filepath.Join(in.DataDir, "tier2")
	}
	return in
}

// cancelOnClose runs a streaming call with a context that Close cancels.
func (s *Server) cancelOnClose(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	ctx, cancel := context.WithCancel(ss.Context())
	defer cancel()
	stop := context.AfterFunc(s.stopStreams, cancel)
	defer stop()
	err := handler(srv, &stream{ServerStream: ss, ctx: ctx})
	if err != nil && s.stopStreams.Err() != nil && ss.Context().Err() == nil {
		// Cut by the shutdown, not by the client: say so, in the code
		// clients retry (they reconnect to the server once it is back).
		return shuttingDown()
	}
	return err
}

// shuttingDown is the error of a call the server's shutdown ended.
func shuttingDown() error {
	st := status.New(codes.Unavailable, "the server is shutting down: reconnect (to it once it is back, or to another)")
	if d, err := st.WithDetails(&errdetails.ErrorInfo{Reason: string(wire.CodeUnavailable), Domain: wire.ErrorDomain}); err == nil {
		st = d
	}
	return st.Err()
}

type stream struct {
	grpc.ServerStream
	ctx context.Context
}

func (s *stream) Context() context.Context { return s.ctx }

// openTier2 opens the configured tier-2 store (nil: segstore's default
// directory).
func openTier2(ctx context.Context, cfg Config) (tier2.Store, error) {
	switch {
	case cfg.Tier2 == "":
		return nil, nil
	case strings.HasPrefix(cfg.Tier2, "s3:"):
		sc, err := s3.ParseURL(cfg.Tier2)
		if err != nil {
			return nil, err
		}
		sc.Endpoint, sc.Region, sc.AccessKey, sc.SecretKey, sc.PathStyle = cfg.S3.Endpoint, cfg.S3.Region, cfg.S3.AccessKey, cfg.S3.SecretKey, cfg.S3.PathStyle
		st, err := s3.New(ctx, sc)
		if err != nil {
			return nil, fmt.Errorf("tier 2 %s: %w", cfg.Tier2, err)
		}
		return st, nil
	case strings.Contains(cfg.Tier2, "://"):
		return nil, fmt.Errorf("tier 2 %q: want a directory path or s3://BUCKET/PREFIX", cfg.Tier2)
	default:
		d, err := tier2.NewDir(vfs.OS{}, cfg.Tier2)
		if err != nil {
			return nil, fmt.Errorf("tier 2 directory %s: %w", cfg.Tier2, err)
		}
		return d, nil
	}
}

// GRPCAddr is the address gRPC listens on.
func (s *Server) GRPCAddr() string { return s.lnG.Addr().String() }

// HTTPAddr is the address HTTP listens on.
func (s *Server) HTTPAddr() string { return s.lnH.Addr().String() }

// Serve serves until ctx is done, then shuts down gracefully and closes
// storage. It returns nil after a clean shutdown.
func (s *Server) Serve(ctx context.Context) error {
	errc := make(chan error, 3)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		if err := s.grpc.Serve(s.lnG); err != nil && !errors.Is(err, grpc.ErrServerStopped) {
			errc <- fmt.Errorf("gRPC: %w", err)
		}
	}()
	go func() {
		defer wg.Done()
		if err := s.grpcIn.Serve(s.lnIn); err != nil && !errors.Is(err, grpc.ErrServerStopped) {
			errc <- fmt.Errorf("gRPC (internal): %w", err)
		}
	}()
	// The HTTP API is a gRPC client, of the in-process listener.
	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	client, err := braid.Dial(dctx, "passthrough:///"+s.lnIn.Addr().String(),
		append(httpapi.DialOptions(), braid.WithGRPCDialOptions(grpc.WithContextDialer(s.lnIn.DialContext)))...)
	cancel()
	if err != nil {
		cerr := s.Close()
		wg.Wait()
		if ctx.Err() != nil { // stopped while starting
			return cerr
		}
		return fmt.Errorf("connecting the HTTP API to gRPC: %w", err)
	}
	s.client = client
	hcfg := httpapi.Config{Client: client, Ready: &s.ready,
		Gatherer: s.gatherer, Limits: s.cfg.HTTP, Hits: s.hits, Logger: s.log,
		Server: s.info(), Series: s.sampler, Errors: s.errs, Pprof: s.cfg.Pprof,
		Auth: s.users, Secure: s.tls != nil}
	if s.node != nil && s.node.node != nil {
		hcfg.Cluster = func() any { return s.node.node.View() }
	}
	if s.authCount != nil {
		hcfg.AuthCounter = s.authCount
	}
	s.api = httpapi.New(hcfg)
	s.http.Handler = s.api
	wg.Add(1)
	go func() {
		defer wg.Done()
		serve := func() error { return s.http.Serve(s.lnH) }
		if s.tls != nil {
			serve = func() error { return s.http.ServeTLS(s.lnH, "", "") }
		}
		if err := serve(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errc <- fmt.Errorf("HTTP: %w", err)
		}
	}()
	if s.node != nil {
		// The leader runs them; a node that stops leading stops its
		// runners (each saves its position) for the next leader.
		s.background.Add(2)
		go func() {
			defer s.background.Done()
			s.node.whileLeader(s.stopStreams, "export jobs", func(ctx context.Context) {
				if err := s.exports.Start(ctx, client); err != nil {
					s.log.Error("export jobs not started", "err", err)
				}
				<-ctx.Done()
				s.exports.Release()
			})
		}()
		go func() {
			defer s.background.Done()
			s.node.whileLeader(s.stopStreams, "continuous queries", func(ctx context.Context) {
				if err := s.queries.Start(ctx, client); err != nil {
					s.log.Error("queries not started", "err", err)
				}
				<-ctx.Done()
				s.queries.Release()
			})
		}()
	} else {
		if err := s.exports.Start(s.stopStreams, client); err != nil {
			s.log.Error("export jobs not started", "err", err)
		}
		if err := s.queries.Start(s.stopStreams, client); err != nil {
			s.log.Error("queries not started", "err", err)
		}
	}
	s.ready.Store(true)
	s.log.Info("braid serving",
		slog.String("grpc", s.GRPCAddr()), slog.String("http", s.HTTPAddr()),
		slog.String("data", s.cfg.DataDir), slog.String("fsync", s.cfg.FsyncMode()),
		slog.Int("containers", s.cfg.Containers),
		slog.Int("grpc_max_connections", s.cfg.Conns.GRPCMaxConnections),
		slog.Int("http_max_connections", s.cfg.Conns.HTTPMaxConnections),
		slog.Int("fd_limit", fileLimit()),
		slog.String("dashboard", s.DashboardURL()),
		slog.Bool("auth", s.users != nil), slog.Bool("tls", s.tls != nil))
	if s.users == nil {
		s.log.Info("authentication is off (no --auth-file): anyone who reaches the ports may do anything; see docs/security.md")
	}
	if scopes, err := s.client.ListScopes(ctx); err == nil && len(scopes) == 0 {
		s.log.Info("no streams yet: try  braid stream create demo/events  then  echo hello | braid write demo/events  and  braid read demo/events",
			slog.String("dashboard", "http://"+browsable(s.HTTPAddr())+"/"))
	}
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	s.ready.Store(false)
	s.log.Info("shutting down")
	cerr := s.Close()
	wg.Wait()
	if err == nil {
		err = cerr
	}
	return err
}

// Close stops serving (waiting up to 5 s for calls in flight) and closes
// storage. It is idempotent.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.ready.Store(false)
		var errs []error
		if s.api != nil {
			// First end what never ends by itself (event streams, long
			// polls, group members, uploads still reading their body:
			// those answer UNAVAILABLE, which clients retry), so that
			// Shutdown waits only for the rest.
			s.api.Close()
		}
		if s.http != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			if err := s.http.Shutdown(ctx); err != nil {
				s.http.Close()
			}
			cancel()
		}
		if s.lnH != nil {
			s.lnH.Close() // when Serve never ran
		}
		if s.exports != nil {
			s.exports.Close() // each job saves its position
		}
		if s.queries != nil {
			s.queries.Close() // each query commits a checkpoint
		}
		if s.client != nil {
			s.client.Close()
		}
		if s.cancelStreams != nil {
			s.cancelStreams()
			s.background.Wait()
		}
		// Both gRPC servers get the same 5 s.
		stopDeadline := time.Now().Add(5 * time.Second)
		for _, g := range []*grpc.Server{s.grpc, s.grpcIn} {
			if g == nil {
				continue
			}
			done := make(chan struct{})
			go func() { g.GracefulStop(); close(done) }()
			t := time.NewTimer(time.Until(stopDeadline))
			select {
			case <-done:
			case <-t.C:
				g.Stop()
				<-done
			}
			t.Stop()
		}
		if s.lnG != nil {
			s.lnG.Close()
		}
		if s.lnIn != nil {
			s.lnIn.Close()
		}
		if s.data != nil {
			// Calls cut as slow consumers leave their sending
			// goroutines behind until grpc ends their streams, which
			// the stops above did.
			s.data.Wait()
		}
		if s.node != nil && s.node.router != nil {
			errs = append(errs, s.node.router.Close())
		}
		if s.groupRouter != nil {
			errs = append(errs, s.groupRouter.Close(), s.leaderRouter.Close(), s.timeRouter.Close())
		}
		if s.store != nil {
			errs = append(errs, s.store.Close())
		}
		if s.node != nil {
			// After the store closed: the next owners replay what it
			// flushed.
			errs = append(errs, s.node.close())
		}
		if s.lock != nil {
			errs = append(errs, s.lock.Close())
		}
		s.closeErr = errors.Join(errs...)
	})
	return s.closeErr
}

// DashboardURL is the dashboard's URL as a browser on this machine
// reaches it.
func (s *Server) DashboardURL() string {
	if s.tls != nil {
		return "https://" + browsable(s.HTTPAddr()) + "/"
	}
	return "http://" + browsable(s.HTTPAddr()) + "/"
}

// browsable is a listen address as a browser on this machine reaches it:
// an unspecified host (all interfaces) becomes 127.0.0.1.
func browsable(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
