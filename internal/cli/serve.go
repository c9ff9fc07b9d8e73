package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/spf13/cobra"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/controller"
	"github.com/braidstream/braid/internal/demo"
	"github.com/braidstream/braid/internal/grpcapi"
	"github.com/braidstream/braid/internal/httpapi"
	"github.com/braidstream/braid/internal/server"
)

const serveLong = `Run the braid server: the gRPC API (what the Go client and the other
commands use) and the HTTP API on one process, storing data under --data.

Appends are acknowledged only once durable. With --fsync=always (the default)
every acknowledgement waits for an fsync of the write-ahead log (appends
waiting together share one fsync). With --fsync=interval:DURATION the log is
synced at most every DURATION instead, and a crash may lose appends
acknowledged within the last DURATION.

Appended data is kept in the write-ahead log and in memory until the storage
writer moves it to tier 2 in chunks (--chunk-size, or after --flush-interval,
or when a segment is sealed); the log is then truncated. Tier 2 is the
directory <data>/tier2 by default, another directory with --tier2 PATH, or
S3 with --tier2 s3://BUCKET/PREFIX (credentials from --s3-access-key or the
usual AWS environment variables and files; --s3-endpoint and --s3-path-style
for S3-compatible servers). Give every data directory its own tier-2
location. Reads of older data come from tier 2 through a read cache
(--cache-size). If tier 2 is slow or down, data waits in memory and the log
up to --max-unflushed; beyond that appends wait, then fail with UNAVAILABLE
("tier 2 unavailable or behind"), and resume by themselves once tier 2
catches up.

The server runs until interrupted (SIGINT or SIGTERM), then shuts down
gracefully.`

const serveExample = `  braid serve
  braid serve --demo                  # a sensor stream and a live query: open the dashboard
  braid serve --data /var/lib/braid --grpc 127.0.0.1:7470 --http 127.0.0.1:7471
  braid serve --grpc :7470 --http :7471 --auth-file users.json --tls-cert cert.pem --tls-key key.pem
  braid serve --fsync interval:10ms --log-level debug --log-format json
  braid serve --tier2 s3://my-bucket/braid --s3-endpoint http://127.0.0.1:7070 --s3-path-style
  braid serve --cache-size 2GiB --max-unflushed 512MiB`

func newServeCmd(e *env) *cobra.Command {
	cfg := server.Config{
		DataDir:  "./braid-data",
		GRPCAddr: "127.0.0.1:7470",
		HTTPAddr: "127.0.0.1:7471",
	}
	var fsync, level, format string
	var cacheSize, maxUnflushed, chunkSize, maxLog, httpMaxBody, httpMaxFile, httpReadAhead, grpcMaxPending string
	var scaleWindows []time.Duration
	var metricsStreams int
	var withDemo, insecure bool
	var clusterURL string
	var clusterCfg server.ClusterConfig
	cmd := &cobra.Command{
		Use:     "serve",
		Short:   "Run the braid server",
		Long:    serveLong,
		Example: serveExample,
		Args:    argNames(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if cfg.FsyncInterval, err = parseFsync(fsync); err != nil {
				return err
			}
			if cmd.Flags().Changed("containers") && cfg.Containers < 1 {
				return usagef("invalid --containers %d: want at least 1", cfg.Containers)
			}
			if cfg.Logger, err = newLogger(e.stderr, level, format); err != nil {
				return err
			}
			var readAhead int64
			for _, sz := range []struct {
				flag, val string
				dst       *int64
			}{
				{"cache-size", cacheSize, &cfg.Storage.CacheSize},
				{"max-unflushed", maxUnflushed, &cfg.Storage.MaxUnflushed},
				{"chunk-size", chunkSize, &cfg.Storage.ChunkSize},
				{"max-log", maxLog, &cfg.Storage.LogBytes},
				{"http-max-body", httpMaxBody, &cfg.HTTP.MaxBodyBytes},
				{"http-max-file", httpMaxFile, &cfg.HTTP.MaxFileBytes},
				{"http-read-ahead", httpReadAhead, &readAhead},
				{"grpc-max-pending", grpcMaxPending, &cfg.Conns.GRPCMaxPending},
			} {
				if *sz.dst, err = parseByteSize("--"+sz.flag, sz.val); err != nil {
					return err
				}
				switch {
				case *sz.dst == 0 && sz.flag == "cache-size":
					*sz.dst = -1 // no cache
				case *sz.dst == 0 && sz.flag == "http-max-file":
					// no bound
				case *sz.dst == 0 && sz.flag == "grpc-max-pending":
					*sz.dst = -1 // no bound
				case *sz.dst == 0:
					return usagef("invalid --%s %q: must be positive", sz.flag, sz.val)
				}
			}
			if mem := physicalMemory(); mem > 0 {
				for _, sz := range []struct {
					flag, val string
					n         int64
				}{{"cache-size", cacheSize, cfg.Storage.CacheSize}, {"max-unflushed", maxUnflushed, cfg.Storage.MaxUnflushed}} {
					if sz.n > mem {
						return usagef("invalid --%s %q: more than this machine's memory (%s), and it is held in memory", sz.flag, sz.val, humanize.IBytes(uint64(mem)))
					}
				}
			}
			for _, a := range []struct{ flag, addr string }{{"grpc", cfg.GRPCAddr}, {"http", cfg.HTTPAddr}} {
				if err := checkListenAddr(a.flag, a.addr); err != nil {
					return err
				}
			}
			if (cfg.TLSCert == "") != (cfg.TLSKey == "") {
				return usagef("--tls-cert and --tls-key go together: the certificate and its private key")
			}
			if cfg.TLSClientCA != "" && cfg.TLSCert == "" {
				return usagef("--tls-client-ca needs --tls-cert and --tls-key: client certificates are checked on TLS connections")
			}
			if withDemo && (cfg.AuthFile != "" || cfg.TLSCert != "") {
				return usagef("--demo runs without --auth-file and TLS: try it on the loopback defaults")
			}
			secured := cfg.AuthFile != "" && cfg.TLSCert != ""
			if err := checkExposure(insecure, cfg.AuthFile != "", cfg.TLSCert != "", [2]string{"grpc", cfg.GRPCAddr}, [2]string{"http", cfg.HTTPAddr}); err != nil {
				return err
			}
			if secured {
				insecure = false // nothing to warn about
			}
			if readAhead > 1<<30 {
				return usagef("invalid --http-read-ahead %q: at most 1GiB", httpReadAhead)
			}
			cfg.HTTP.ReadAheadBytes = int(readAhead)
			if cfg.HTTP.MaxAnswerEvents < 1 {
				return usagef("invalid --http-max-answer-events %d: must be at least 1", cfg.HTTP.MaxAnswerEvents)
			}
			if cfg.HTTP.IdleTimeout <= 0 || cfg.HTTP.MaxWait <= 0 {
				return usagef("invalid --http-idle-timeout %v or --http-max-wait %v: must be positive", cfg.HTTP.IdleTimeout, cfg.HTTP.MaxWait)
			}
			if cfg.Quota.Streams < 1 || cfg.Quota.Segments < 1 {
				return usagef("invalid --max-streams %d or --max-segments %d: must be at least 1", cfg.Quota.Streams, cfg.Quota.Segments)
			}
			if cfg.Conns.GRPCMaxConnections < 1 || cfg.Conns.HTTPMaxConnections < 1 || cfg.Conns.GRPCMaxStreams < 1 {
				return usagef("invalid --grpc-max-connections %d, --http-max-connections %d or --grpc-max-streams %d: must be at least 1",
					cfg.Conns.GRPCMaxConnections, cfg.Conns.HTTPMaxConnections, cfg.Conns.GRPCMaxStreams)
			}
			for _, d := range []*time.Duration{&cfg.Conns.GRPCIdleTimeout, &cfg.Conns.GRPCWriteDeadline} {
				switch {
				case *d < 0:
					return usagef("invalid --grpc-idle-timeout %v or --grpc-write-deadline %v: must not be negative", cfg.Conns.GRPCIdleTimeout, cfg.Conns.GRPCWriteDeadline)
				case *d == 0:
					*d = -1 // none
				}
			}
			if cfg.RetentionInterval <= 0 {
				return usagef("invalid --retention-interval %v: must be positive", cfg.RetentionInterval)
			}
			switch {
			case metricsStreams < 0:
				return usagef("invalid --metrics-max-streams %d: want 0 (none) or more", metricsStreams)
			case metricsStreams == 0:
				cfg.MetricsMaxStreams = -1
			default:
				cfg.MetricsMaxStreams = metricsStreams
			}
			if cfg.Storage.FlushInterval <= 0 {
				return usagef("invalid --flush-interval %v: must be positive", cfg.Storage.FlushInterval)
			}
			if len(scaleWindows) != 4 {
				return usagef("invalid --scale-windows: want four increasing durations (e.g. 2m,5m,10m,20m), got %d", len(scaleWindows))
			}
			copy(cfg.Scaling.Windows[:], scaleWindows)
			if err := cfg.Scaling.Validate(); err != nil {
				return usagef("invalid auto-scaling flags: %v", err)
			}
			if cfg.Scaling.Interval <= 0 || cfg.Scaling.Cooldown < 0 {
				return usagef("invalid --scale-interval %v or --scale-cooldown %v: the interval must be positive, the cooldown not negative", cfg.Scaling.Interval, cfg.Scaling.Cooldown)
			}
			var warn []string
			if insecure {
				warn = exposed([2]string{"grpc", cfg.GRPCAddr}, [2]string{"http", cfg.HTTPAddr})
			}
			if clusterURL != "" {
				cc, err := server.ParseClusterURL(clusterURL)
				if err != nil {
					return usagef("invalid --cluster: %v", err)
				}
				cc.NodeID, cc.Advertise, cc.LeaseTTL = clusterCfg.NodeID, clusterCfg.Advertise, clusterCfg.LeaseTTL
				if cc.LeaseTTL < 2*time.Second {
					return usagef("invalid --lease-ttl %v: at least 2s (etcd leases count in seconds)", cc.LeaseTTL)
				}
				cc.CommitInterval, cc.PeerCA = clusterCfg.CommitInterval, clusterCfg.PeerCA
				cc.EtcdCA, cc.EtcdCert, cc.EtcdKey = clusterCfg.EtcdCA, clusterCfg.EtcdCert, clusterCfg.EtcdKey
				if cc.CommitInterval < 0 || cc.CommitInterval > time.Second {
					return usagef("invalid --commit-interval %v: from 0 to 1s", cc.CommitInterval)
				}
				cfg.Cluster = &cc
			} else {
				for _, name := range []string{"node-id", "advertise", "lease-ttl", "commit-interval", "peer-ca", "etcd-ca", "etcd-cert", "etcd-key"} {
					if cmd.Flags().Changed(name) {
						return usagef("--%s is for cluster mode: give --cluster too", name)
					}
				}
			}
			return serve(cmd, cfg, withDemo, warn)
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.DataDir, "data", cfg.DataDir, "data directory")
	f.StringVar(&cfg.GRPCAddr, "grpc", cfg.GRPCAddr, "gRPC listen address (host:port; port 0 picks a free port)")
	f.StringVar(&cfg.HTTPAddr, "http", cfg.HTTPAddr, "HTTP listen address (host:port; port 0 picks a free port)")
	f.StringVar(&fsync, "fsync", "always", "when the log is synced: always | interval:DURATION (e.g. interval:10ms)")
	f.IntVar(&cfg.Containers, "containers", 0, "number of segment containers (shards, each with its own log and tier-2 writer), fixed when the data directory is made (default: the directory's; for a new one 1 with a directory tier 2, 4 with S3)")
	f.StringVar(&cfg.Tier2, "tier2", "", "long-term storage: a directory, or s3://BUCKET/PREFIX (default <data>/tier2)")
	f.StringVar(&cfg.S3.Endpoint, "s3-endpoint", "", "S3 endpoint URL for S3-compatible servers (default: AWS)")
	f.StringVar(&cfg.S3.Region, "s3-region", "", "S3 region (default: AWS_REGION or the AWS config, else us-east-1)")
	f.StringVar(&cfg.S3.AccessKey, "s3-access-key", "", "S3 access key (default: AWS_ACCESS_KEY_ID and the usual AWS credential chain)")
	f.StringVar(&cfg.S3.SecretKey, "s3-secret-key", "", "S3 secret key (with --s3-access-key; prefer AWS_SECRET_ACCESS_KEY)")
	f.BoolVar(&cfg.S3.PathStyle, "s3-path-style", false, "address buckets as ENDPOINT/BUCKET (MinIO, versitygw, other local servers)")
	f.StringVar(&clusterURL, "cluster", "", "run as a node of a cluster: etcd://HOST:PORT[,HOST:PORT...][/PREFIX] (etcd's client URLs; etcds:// for etcd over TLS; needs --tier2 s3://...; see docs/cluster.md)")
	f.StringVar(&clusterCfg.NodeID, "node-id", "", "this node's name in the cluster, the same across restarts (default: host name and gRPC port)")
	f.StringVar(&clusterCfg.Advertise, "advertise", "", "gRPC address other nodes reach this node at (default: --grpc, unless it listens on all interfaces)")
	f.DurationVar(&clusterCfg.LeaseTTL, "lease-ttl", 10*time.Second, "how long a silent node stays a member: how soon a dead node's containers move")
	f.DurationVar(&clusterCfg.CommitInterval, "commit-interval", 0, "cluster mode: least time between two log PUTs of a container while less than 256 KiB waits (caps the S3 request rate, and its cost, at the price of latency; 0: a PUT as soon as the last one landed)")
	f.StringVar(&clusterCfg.EtcdCA, "etcd-ca", "", "cluster mode, --cluster etcds://: the CA `FILE` (PEM) of etcd's certificate (default: the system's CAs)")
	f.StringVar(&clusterCfg.EtcdCert, "etcd-cert", "", "cluster mode, --cluster etcds://: the client certificate `FILE` (PEM) to present to etcd (its --client-cert-auth); needs --etcd-key")
	f.StringVar(&clusterCfg.EtcdKey, "etcd-key", "", "the private key `FILE` (PEM) of --etcd-cert")
	f.StringVar(&clusterCfg.PeerCA, "peer-ca", "", "cluster mode with TLS: the CA `FILE` (PEM) of the other nodes' certificates (default: this node's --tls-cert, for nodes that share one certificate)")
	f.StringVar(&cacheSize, "cache-size", "256MiB", "read cache for data in tier 2 (0: none)")
	f.StringVar(&maxUnflushed, "max-unflushed", "1GiB", "data not yet in tier 2 held in memory and the log before appends are throttled, then refused")
	f.StringVar(&maxLog, "max-log", "256MiB", "write-ahead log per container past which all held data moves to tier 2 so the log can be truncated")
	f.StringVar(&chunkSize, "chunk-size", "8MiB", "largest tier-2 chunk; a segment's data moves to tier 2 once this much waits")
	cfg.Storage.FlushInterval = 30 * time.Second
	f.DurationVar(&cfg.Storage.FlushInterval, "flush-interval", cfg.Storage.FlushInterval, "longest time appended data waits before it moves to tier 2")
	f.IntVar(&metricsStreams, "metrics-max-streams", 256, "streams with per-stream metrics of their own (braid_stream_*); the others count under stream=\"_other\"; 0 turns per-stream metrics off")
	f.DurationVar(&cfg.RetentionInterval, "retention-interval", time.Minute, "how often streams' retention policies are applied (each pass records a cut and truncates at an older one)")
	f.DurationVar(&cfg.Scaling.Interval, "scale-interval", 10*time.Second, "how often the auto-scaler judges the streams that have a scaling policy")
	f.DurationSliceVar(&scaleWindows, "scale-windows", []time.Duration{2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 20 * time.Minute},
		"the auto-scaler's four rate windows W1<W2<W3<W4: split above 5x the target over W1, 2x over W2 or 1x over W3; merge below it over W1..W3 and below half over W4")
	f.DurationVar(&cfg.Scaling.Cooldown, "scale-cooldown", 10*time.Minute, "least time between two scalings of a stream")
	f.StringVar(&httpMaxBody, "http-max-body", "64MiB", "largest HTTP request body read whole (JSON, NDJSON and raw appends, admin requests)")
	f.StringVar(&httpMaxFile, "http-max-file", "0", "largest file upload over HTTP (0: no bound; uploads are streamed)")
	f.IntVar(&cfg.HTTP.MaxAnswerEvents, "http-max-answer-events", httpapi.DefaultMaxAnswerEvents,
		"most events an HTTP append answers one by one; a larger request must ask for ?answer=summary (413 otherwise)")
	f.StringVar(&httpReadAhead, "http-read-ahead", "256KiB", "most stream data each HTTP reader (page read, event stream, blob download) holds ahead of what its client took")
	f.DurationVar(&cfg.HTTP.IdleTimeout, "http-idle-timeout", 30*time.Second, "an HTTP client that sends or reads nothing for this long is cut off")
	f.DurationVar(&cfg.HTTP.MaxWait, "http-max-wait", time.Minute, "longest long poll (wait=) an HTTP read may ask for")
	f.IntVar(&cfg.Conns.GRPCMaxConnections, "grpc-max-connections", server.DefaultMaxConnections,
		"most gRPC connections at once; one more is refused (lowered if the descriptor limit cannot hold them)")
	f.IntVar(&cfg.Conns.HTTPMaxConnections, "http-max-connections", server.DefaultMaxConnections,
		"most HTTP connections at once; one more is answered 503 and closed (lowered like --grpc-max-connections)")
	f.IntVar(&cfg.Conns.GRPCMaxStreams, "grpc-max-streams", server.DefaultGRPCMaxStreams, "most calls at once on one gRPC connection (clients wait for room)")
	f.DurationVar(&cfg.Conns.GRPCIdleTimeout, "grpc-idle-timeout", server.DefaultGRPCIdleTimeout, "a gRPC connection without calls for this long is closed (0: never)")
	f.DurationVar(&cfg.Conns.GRPCWriteDeadline, "grpc-write-deadline", grpcapi.DefaultWriteDeadline,
		"a gRPC call whose client leaves a response unread this long is ended with RESOURCE_EXHAUSTED (slow consumer; 0: never)")
	f.StringVar(&grpcMaxPending, "grpc-max-pending", "256MiB",
		"most bytes the gRPC calls ended as slow consumers may still hold queued, over all connections; past it the connection holding the most is closed (0: no bound)")
	f.IntVar(&cfg.Quota.Streams, "max-streams", controller.DefaultMaxStreams, "most streams on the server; a create past it fails with QUOTA_EXCEEDED")
	f.IntVar(&cfg.Quota.Segments, "max-segments", controller.DefaultMaxSegments,
		"most segments in the streams' current epochs, over the whole server; a create or split past it fails with QUOTA_EXCEEDED")
	f.StringVar(&cfg.AuthFile, "auth-file", "", "users `FILE` (braid auth add-user): every call then needs a user's token or client certificate, and the permission for what it does; read again when it changes")
	f.StringVar(&cfg.TLSCert, "tls-cert", "", "TLS certificate `FILE` (PEM): both ports then serve TLS only; read again when it changes")
	f.StringVar(&cfg.TLSKey, "tls-key", "", "TLS private key `FILE` (PEM) of --tls-cert")
	f.StringVar(&cfg.TLSClientCA, "tls-client-ca", "", "CA `FILE` (PEM): require client certificates it signed (their common name is the user, with --auth-file)")
	f.BoolVar(&insecure, "insecure", false, "serve on addresses beyond this machine (0.0.0.0, a LAN address) without --auth-file and TLS; logged at start and every hour")
	f.BoolVar(&cfg.Pprof, "pprof", false, "serve Go profiles at /debug/pprof/ on the HTTP port (they show the process's stacks and memory to whoever reaches the port)")
	f.BoolVar(&withDemo, "demo", false, "also run the demo: a stream demo/sensors of generated sensor readings (50/s) and a continuous query over it, charted live in the dashboard")
	f.StringVar(&level, "log-level", "info", "log level: debug | info | warn | error")
	f.StringVar(&format, "log-format", "text", "log format: text | json")
	return cmd
}

func serve(cmd *cobra.Command, cfg server.Config, withDemo bool, exposedAddrs []string) error {
	ctx := cmd.Context()
	srv, err := server.New(ctx, cfg)
	if err != nil {
		return fmt.Errorf("start server: %w", err)
	}
	if len(exposedAddrs) > 0 {
		warnInsecure(cfg.Logger, exposedAddrs)
		wctx, stop := context.WithCancel(ctx)
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			warnInsecureHourly(wctx, cfg.Logger, exposedAddrs)
		}()
		defer func() {
			stop()
			wg.Wait()
		}()
	}
	if withDemo {
		dctx, stop := context.WithCancel(ctx)
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			runDemo(dctx, srv, cfg.Logger)
		}()
		defer func() {
			stop()
			wg.Wait()
		}()
	}
	err = srv.Serve(ctx)
	return errors.Join(err, srv.Close())
}

// runDemo connects to the server once it is up and runs the demo (a
// sensor stream, its generator and a query) until ctx ends.
func runDemo(ctx context.Context, srv *server.Server, log *slog.Logger) {
	dctx, cancel := context.WithTimeout(ctx, time.Minute)
	c, err := braid.Dial(dctx, srv.GRPCAddr())
	cancel()
	if err != nil {
		if ctx.Err() == nil {
			log.Error("demo: cannot connect to the server", "err", err)
		}
		return
	}
	defer c.Close()
	log.Info("demo: live chart of the demo query at "+srv.DashboardURL()+"#/queries/"+demo.Query,
		"stream", demo.Stream, "query", demo.Query)
	if err := demo.Run(ctx, c, 50, log); err != nil && ctx.Err() == nil {
		log.Error("demo stopped", "err", err)
	}
}

// parseFsync parses the --fsync value: "always" is 0 (fsync before every
// acknowledgement), "interval:DURATION" a positive interval.
func parseFsync(s string) (time.Duration, error) {
	if s == "always" {
		return 0, nil
	}
	rest, ok := strings.CutPrefix(s, "interval:")
	if !ok {
		return 0, usagef("invalid --fsync %q: want always or interval:DURATION (e.g. interval:10ms)", s)
	}
	d, err := time.ParseDuration(rest)
	if err != nil {
		return 0, usagef("invalid --fsync %q: bad duration %q (want e.g. interval:10ms)", s, rest)
	}
	if d <= 0 {
		return 0, usagef("invalid --fsync %q: the interval must be positive (use always to sync every append)", s)
	}
	return d, nil
}

// newLogger builds the server's logger, writing to w.
func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var lvl slog.Level
	switch level {
	case "debug":
		lvl = slog.LevelDebug
	case "info":
		lvl = slog.LevelInfo
	case "warn":
		lvl = slog.LevelWarn
	case "error":
		lvl = slog.LevelError
	default:
		return nil, usagef("invalid --log-level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lvl}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, usagef("invalid --log-format %q: want text or json", format)
}
