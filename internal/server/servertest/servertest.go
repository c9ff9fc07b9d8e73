// Package servertest runs an in-process braid server for tests.
package servertest

import (
	"context"
	"log/slog"
	"sync"
	"testing"

	"github.com/braidstream/braid/internal/server"
)

// Server is a running in-process server.
type Server struct {
	*server.Server
	stop    context.CancelFunc
	errc    chan error
	stopped sync.Once
}

// Start starts a server with cfg; empty fields default to a temporary data
// directory, free loopback ports and a discarding logger. Stop it with Stop.
func Start(t testing.TB, cfg server.Config) *Server {
	t.Helper()
	if cfg.DataDir == "" {
		cfg.DataDir = t.TempDir()
	}
	if cfg.GRPCAddr == "" {
		cfg.GRPCAddr = "127.0.0.1:0"
	}
	if cfg.HTTPAddr == "" {
		cfg.HTTPAddr = "127.0.0.1:0"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := server.New(ctx, cfg)
	if err != nil {
		cancel()
		t.Fatalf("server.New: %v", err)
	}
	s := &Server{Server: srv, stop: cancel, errc: make(chan error, 1)}
	go func() { s.errc <- srv.Serve(ctx) }()
	return s
}

// New starts a server (see Start) that stops when the test ends.
func New(t testing.TB, cfg server.Config) *Server {
	s := Start(t, cfg)
	t.Cleanup(func() { s.Stop(t) })
	return s
}

// Stop shuts the server down and waits for it; an error from Serve fails
// the test. A second Stop does nothing.
func (s *Server) Stop(t testing.TB) {
	t.Helper()
	s.stopped.Do(func() {
		s.stop()
		if err := <-s.errc; err != nil {
			t.Errorf("server: %v", err)
		}
	})
}
