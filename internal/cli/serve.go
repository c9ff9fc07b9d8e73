package cli

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/braidstream/braid/internal/server"
)

const serveLong = `Run the braid server: the gRPC API (what the Go client and the other
commands use) and the HTTP API on one process, storing data under --data.

Appends are acknowledged only once durable. With --fsync=always (the default)
every acknowledgement waits for an fsync of the write-ahead log (appends
waiting together share one fsync). With --fsync=interval:DURATION the log is
synced at most every DURATION instead, and a crash may lose appends
acknowledged within the last DURATION.

The server runs until interrupted (SIGINT or SIGTERM), then shuts down
gracefully.`

const serveExample = `  braid serve
  braid serve --data /var/lib/braid --grpc 0.0.0.0:7470 --http 0.0.0.0:7471
  braid serve --fsync interval:10ms --log-level debug --log-format json`

func newServeCmd(e *env) *cobra.Command {
	cfg := server.Config{
		DataDir:    "./braid-data",
		GRPCAddr:   "127.0.0.1:7470",
		HTTPAddr:   "127.0.0.1:7471",
		Containers: 4,
	}
	var fsync, level, format string
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
			if cfg.Containers < 1 {
				return usagef("invalid --containers %d: want at least 1", cfg.Containers)
			}
			if cfg.Logger, err = newLogger(e.stderr, level, format); err != nil {
				return err
			}
			return serve(cmd, cfg)
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.DataDir, "data", cfg.DataDir, "data directory")
	f.StringVar(&cfg.GRPCAddr, "grpc", cfg.GRPCAddr, "gRPC listen address (host:port; port 0 picks a free port)")
	f.StringVar(&cfg.HTTPAddr, "http", cfg.HTTPAddr, "HTTP listen address (host:port; port 0 picks a free port)")
	f.StringVar(&fsync, "fsync", "always", "when the log is synced: always | interval:DURATION (e.g. interval:10ms)")
	f.IntVar(&cfg.Containers, "containers", cfg.Containers, "number of segment containers (shards, each with its own log)")
	f.StringVar(&level, "log-level", "info", "log level: debug | info | warn | error")
	f.StringVar(&format, "log-format", "text", "log format: text | json")
	return cmd
}

func serve(cmd *cobra.Command, cfg server.Config) error {
	ctx := cmd.Context()
	srv, err := server.New(ctx, cfg)
	if err != nil {
		return fmt.Errorf("start server: %w", err)
	}
	err = srv.Serve(ctx)
	return errors.Join(err, srv.Close())
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
