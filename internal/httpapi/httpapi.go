// Package httpapi serves braid's HTTP surface: the REST/JSON API under /v1
// (admin, appends, file upload, blob download, reads, Server-Sent Events,
// reader group members), its OpenAPI document, health and readiness
// probes, and Prometheus metrics.
//
// Admin, reads and reader groups go through the Go client, connected to
// this server's own gRPC port, so HTTP and gRPC share one code path and
// one set of semantics (following scaling, stream cuts, reader-group
// coordination). Appends too: each request is one Writer of the Go client
// (see ingest.go), braid's one append engine, so that routing, batching,
// following a scale and idempotent retries mean the same over HTTP as in
// Go.
package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/http/pprof"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"google.golang.org/grpc"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/auth"
	"github.com/braidstream/braid/internal/dashboard"
	"github.com/braidstream/braid/internal/limits"
	"github.com/braidstream/braid/wire"
)

// Limits bound what one request may ask of the server. Zero values take
// the defaults.
type Limits struct {
	// MaxBodyBytes bounds a JSON, NDJSON or raw append body and any other
	// request body that is read whole (default 64 MiB). File uploads are
	// streamed and bounded by MaxFileBytes instead.
	MaxBodyBytes int64
	// MaxFileBytes bounds one file upload (default 0: no bound).
	MaxFileBytes int64
	// MaxEventBytes bounds one event's payload (default 8 MiB, the
	// store's maximum event size).
	MaxEventBytes int
	// IdleTimeout ends a request whose body sends nothing for this long,
	// and a response the client stops reading for this long (default 30 s).
	IdleTimeout time.Duration
	// MaxWait bounds a long poll's wait= (default 60 s).
	MaxWait time.Duration
	// MaxAnswerEvents bounds the events of an append answered event by
	// event (default 10000, as a page of reads): a request with more is
	// refused with 413 REQUEST_TOO_LARGE before any of its events is
	// stored, unless it asks for a summary (answer=summary), whose size
	// does not grow with its events.
	MaxAnswerEvents int
	// ReadAheadBytes bounds what each HTTP reader (reads, event streams,
	// blob downloads) holds of the stream ahead of what it wrote to its
	// client (default 256 KiB; see braid.WithReadAhead). The gRPC stream
	// window of the API's client comes on top (DialOptions).
	ReadAheadBytes int
}

// Defaults of Limits.
const (
	DefaultMaxAnswerEvents = maxPageLimit
	defaultReadAheadBytes  = 256 << 10
	// readWindowBytes is the gRPC stream window DialOptions asks for:
	// what the server may send a reader's segment beyond what it read.
	readWindowBytes = 256 << 10
)

func (l *Limits) defaults() {
	if l.MaxBodyBytes <= 0 {
		l.MaxBodyBytes = 64 << 20
	}
	if l.MaxEventBytes <= 0 {
		l.MaxEventBytes = wire.DefaultMaxEventSize
	}
	if l.IdleTimeout <= 0 {
		l.IdleTimeout = 30 * time.Second
	}
	if l.MaxWait <= 0 {
		l.MaxWait = 60 * time.Second
	}
	if l.MaxAnswerEvents <= 0 {
		l.MaxAnswerEvents = DefaultMaxAnswerEvents
	}
	if l.ReadAheadBytes <= 0 {
		l.ReadAheadBytes = defaultReadAheadBytes
	}
}

// DialOptions are the options Config.Client is to be dialed with. The
// API keeps a reader for each of its readers' clients, any of which may
// stop reading; a small gRPC stream window bounds what the server sends
// each of those readers' segments beyond what it consumed (the client's
// default, 4 MiB per segment, suits one reader that keeps up). On the
// loopback connection the API uses, a small window costs little speed.
func DialOptions() []braid.DialOption {
	return []braid.DialOption{braid.WithGRPCDialOptions(
		grpc.WithInitialWindowSize(readWindowBytes),
		grpc.WithInitialConnWindowSize(16<<20),
	)}
}

// Config wires the API to the server's parts.
type Config struct {
	// Client is connected to this server's gRPC port.
	Client *braid.Client
	// Ready reports whether the server accepts traffic.
	Ready *atomic.Bool
	// Gatherer serves /metrics.
	Gatherer prometheus.Gatherer
	// Errors, if set, counts the errors answered, by braid code.
	Errors ErrorCounter
	Limits Limits
	// Hits counts the limits clients meet (may be nil).
	Hits   *limits.Hits
	Logger *slog.Logger
	// Server describes the server for GET /v1/server.
	Server ServerInfo
	// Pprof serves Go profiles at /debug/pprof/ (off by default).
	Pprof bool
	// Series is the dashboard's sampler, for GET /v1/series and
	// /v1/series/live (nil: those answer UNAVAILABLE).
	Series SeriesSource
	// Auth, if set, authenticates every request but the probes
	// (/healthz, /readyz) and the dashboard's login, and authorizes it by
	// the user's roles (see auth.go and docs/http.md). Nil: no
	// authentication, everything is open.
	Auth *auth.Store
	// Secure says the HTTP port serves TLS: the session cookie is then
	// Secure.
	Secure bool
	// AuthCounter, if set, counts refused credentials and denied
	// requests.
	AuthCounter AuthCounter
	// Cluster, if set, describes the cluster this server is a node of,
	// for GET /v1/cluster (a JSON-encodable view; nil: a single node).
	Cluster func() any
}

// API is braid's HTTP handler. Close ends its long-lived responses (event
// streams, long polls, group members).
type API struct {
	client  *braid.Client
	ingest  *Ingester
	limits  Limits
	hits    *limits.Hits
	log     *slog.Logger
	ready   *atomic.Bool
	gather  prometheus.Gatherer
	errs    ErrorCounter
	info    ServerInfo
	series  SeriesSource
	cluster func() any

	auth      *auth.Store // nil: no authentication
	secure    bool        // the port serves TLS
	authCount AuthCounter

	// stop ends long-lived requests when the server shuts down.
	stop   context.Context
	cancel context.CancelFunc

	members *members // reader group members over HTTP
	hub     *hub     // the feeds of queries' live results
	mux     *http.ServeMux
}

// New builds the API.
func New(cfg Config) *API {
	cfg.Limits.defaults()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	a := &API{client: cfg.Client, ingest: NewIngester(cfg.Client, cfg.Hits, cfg.Logger), limits: cfg.Limits, hits: cfg.Hits, log: cfg.Logger,
		ready: cfg.Ready, gather: cfg.Gatherer, info: cfg.Server, series: cfg.Series, errs: cfg.Errors,
		auth: cfg.Auth, secure: cfg.Secure, authCount: cfg.AuthCounter, cluster: cfg.Cluster}
	a.stop, a.cancel = context.WithCancel(context.Background())
	a.members = newMembers(a)
	a.hub = newHub(a)
	a.mux = http.NewServeMux()
	a.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	a.mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if a.ready == nil || !a.ready.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte("not ready\n"))
			return
		}
		w.Write([]byte("ready\n"))
	})
	if a.gather != nil {
		a.mux.Handle("GET /metrics", a.guardHTTP(needs(auth.PermMetrics), "GET /metrics",
			promhttp.HandlerFor(a.gather, promhttp.HandlerOpts{})))
	}
	// Profiles, for diagnosing performance: only when asked for (they
	// show the process's stacks and memory to whoever reaches the port).
	if cfg.Pprof {
		pp := needs(auth.PermPprof)
		a.mux.Handle("/debug/pprof/", a.guardHTTP(pp, "/debug/pprof/", http.HandlerFunc(pprof.Index)))
		a.mux.Handle("/debug/pprof/profile", a.guardHTTP(pp, "/debug/pprof/profile", http.HandlerFunc(pprof.Profile)))
		a.mux.Handle("/debug/pprof/trace", a.guardHTTP(pp, "/debug/pprof/trace", http.HandlerFunc(pprof.Trace)))
	}
	for _, rt := range a.routes() {
		a.mux.Handle(rt.Method+" "+rt.Path, a.serve(a.guard(rt)))
	}
	// Anything else under /v1 is a JSON 404 (or 405), not the mux's text;
	// for authenticated users only, as the rest of /v1.
	a.mux.Handle("/v1/", a.serve(a.guard(route{Method: "*", Path: "/v1/", Access: anyUser(), Handler: a.noRoute})))
	// Everything else is the dashboard's pages (404 for what they lack),
	// behind the login when the API authenticates.
	a.mux.Handle("/", a.dashboardHandler(dashboard.Handler()))
	return a
}

// ServeHTTP implements http.Handler.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.mux.ServeHTTP(w, r) }

// Close ends event streams, long polls and reader group members; the
// server calls it when it shuts down.
func (a *API) Close() {
	a.cancel()
	a.members.closeAll()
	a.hub.wait()
}

// requestCtx returns a context for a request that ends with the request
// or when the API closes (server shutdown): for reads, event streams and
// long polls.
func (a *API) requestCtx(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	stop := context.AfterFunc(a.stop, cancel)
	return ctx, func() {
		stop()
		cancel()
	}
}

// routes lists every /v1 route, in the order the OpenAPI document shows
// them.
func (a *API) routes() []route {
	var rs []route
	rs = append(rs, a.metaRoutes()...)
	rs = append(rs, a.authRoutes()...)
	rs = append(rs, a.adminRoutes()...)
	rs = append(rs, a.appendRoutes()...)
	rs = append(rs, a.readRoutes()...)
	rs = append(rs, a.groupRoutes()...)
	rs = append(rs, a.memberRoutes()...)
	rs = append(rs, a.dashboardRoutes()...)
	rs = append(rs, a.watermarkRoutes()...)
	rs = append(rs, a.exportRoutes()...)
	rs = append(rs, a.queryRoutes()...)
	rs = append(rs, a.ephemeralRoutes()...)
	rs = append(rs, a.cleanupRoutes()...)
	return rs
}

// serve adapts a handler: a returned error is answered as JSON.
func (a *API) serve(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			a.writeError(w, r, err)
		}
	})
}

// noRoute answers a /v1 path no route matched. A path that matches with
// another method is a 405 with Allow set by the mux's own matching.
func (a *API) noRoute(w http.ResponseWriter, r *http.Request) error {
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if m == r.Method {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := a.mux.Handler(probe); pattern != "" && pattern != "/v1/" {
			return &apiError{Code: codeNoRoute, Status: http.StatusMethodNotAllowed,
				Message: r.Method + " is not allowed on " + r.URL.Path}
		}
	}
	return errorf(codeNoRoute, "no route %s %s (see GET /v1/openapi.json)", r.Method, r.URL.Path)
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // messages quote <placeholders> for people
	enc.Encode(v)
}

// decodeJSON reads a JSON request body into v. The body must be JSON (by
// its Content-Type, when it has one), at most MaxBodyBytes, one value, and
// have no unknown fields. An empty body leaves v as it is when optional.
func (a *API) decodeJSON(w http.ResponseWriter, r *http.Request, v any, optional bool) error {
	if err := requireMedia(r, "application/json"); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, a.limits.MaxBodyBytes)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) && optional {
			return nil
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return badRequest("request body is not valid JSON for this route: %v", err)
	}
	if dec.More() {
		return badRequest("request body holds more than one JSON value")
	}
	return nil
}

// requireMedia checks that a request's Content-Type, if it has one, is
// one of types (a "+json" suffix counts as application/json).
func requireMedia(r *http.Request, types ...string) error {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return errorf(codeUnsupportedMedia, "Content-Type %q does not parse: %v", ct, err)
	}
	for _, t := range types {
		if mt == t || (t == "application/json" && strings.HasSuffix(mt, "+json")) {
			return nil
		}
	}
	return errorf(codeUnsupportedMedia, "Content-Type %s is not accepted here; send %s", mt, strings.Join(types, " or "))
}

// streamName reads {scope} and {stream} from the path and returns
// "scope/stream".
func streamName(r *http.Request) (string, error) { return scopedName(r, "stream") }

// scopedName reads {scope} and {key} from the path and returns
// "scope/name".
func scopedName(r *http.Request, key string) (string, error) {
	scope, err := nameParam(r, "scope")
	if err != nil {
		return "", err
	}
	name, err := nameParam(r, key)
	if err != nil {
		return "", err
	}
	return scope + "/" + name, nil
}

// nameParam reads a name from the path: present, valid UTF-8, no slash
// (the server checks the rest of its rules).
func nameParam(r *http.Request, key string) (string, error) {
	v := r.PathValue(key)
	switch {
	case v == "":
		return "", badRequest("%s name is empty", key)
	case !utf8.ValidString(v):
		return "", badRequest("%s name %q is not valid UTF-8", key, v)
	case strings.ContainsRune(v, '/'):
		return "", badRequest("%s name %q contains a slash", key, v)
	}
	return v, nil
}
