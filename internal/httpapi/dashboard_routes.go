package httpapi

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/braidstream/braid/internal/dashboard"
	"github.com/braidstream/braid/wire"
)

// ServerInfo describes the server for GET /v1/server.
type ServerInfo struct {
	Version    string
	StartedAt  time.Time
	DataDir    string
	FsyncMode  string // always or interval:DURATION
	Containers int
	// Tier2Kind is "directory" or "s3"; Tier2Location the directory or
	// s3://BUCKET/PREFIX.
	Tier2Kind, Tier2Location string
}

// SeriesSource is the dashboard's sampler (dashboard.Sampler).
type SeriesSource interface {
	History(q dashboard.Query) dashboard.History
	Latest(q dashboard.Query) dashboard.Latest
	Updated() <-chan struct{}
	Tier2State() string
}

// dashboardRoutes are what the dashboard reads beside the other routes:
// the server's description and the sampler's series.
func (a *API) dashboardRoutes() []route {
	seriesParams := []param{
		queryParam("names", "string", "comma-separated series names (default: all): "+strings.Join(dashboard.Names(), ", ")),
		queryParam("scope", "string", "per-stream series of this scope only (server-wide series are not filtered)"),
		queryParam("stream", "string", "per-stream series of this stream only (needs scope)"),
	}
	return []route{{
		Method: "GET", Path: "/v1/server", Tag: "dashboard",
		Summary:   "Describe the server: version, start time, data directory, fsync mode, containers, tier 2 and its state, disk space of the data directory's filesystem",
		Responses: jsonOK(`{"version", "started_at", "uptime_seconds", "data_dir", "fsync_mode", "containers", "tier2_kind": "directory"|"s3", "tier2_location", "tier2_state": "healthy"|"behind"|"failing"|"unknown", "disk_total_bytes", "disk_free_bytes" (both absent when unknown)}`),
		Access:    anyUser(),
		Handler:   a.serverInfo,
	}, {
		Method: "GET", Path: "/v1/cluster", Tag: "dashboard",
		Summary:   "Describe the cluster this server is a node of, as this node sees it: the nodes, the leader, each container's owner and owner epoch, the containers open here; a single server answers {\"enabled\": false}",
		Responses: jsonOK(`{"enabled", "self", "leader", "nodes": [{"id", "grpc", "http", "started"}], "containers": [{"id", "owner", "epoch", "live"}], "open": {"<container>": epoch}}`),
		Access:    anyUser(),
		Handler:   a.clusterInfo,
	}, {
		Method: "GET", Path: "/v1/series", Tag: "dashboard",
		Summary: "The dashboard sampler's series: the last hour at one point a second, server-wide and per stream (" +
			"at most " + strconv.Itoa(dashboard.MaxStreams) + " streams)",
		Params:    seriesParams,
		Responses: jsonOK(`{"interval_ms", "capacity", "samples", "streams", "max_streams", "dropped_streams", "memory_bytes", "max_memory_bytes", "series": [{"name", "unit", "scope", "stream", "points": [[unix_ms, value]]}]}`),
		Access:    listing(),
		Handler:   a.seriesHistory,
	}, {
		Method: "GET", Path: "/v1/series/live", Tag: "dashboard",
		Summary:   "Server-Sent Events: at once and then after each sample (every second) one message whose data is the latest sample of every selected series",
		Params:    seriesParams,
		Responses: map[string]response{"200": {Desc: `the event stream; each message's data: {"time": unix_ms, "tier2_state", "series": [{"name", "unit", "scope", "stream", "value"}]}`, Content: []string{"text/event-stream"}}},
		Access:    listing(),
		Handler:   a.seriesLive,
	}}
}

type serverInfoJSON struct {
	Version       string    `json:"version"`
	StartedAt     time.Time `json:"started_at"`
	UptimeSeconds float64   `json:"uptime_seconds"`
	DataDir       string    `json:"data_dir"`
	FsyncMode     string    `json:"fsync_mode"`
	Containers    int       `json:"containers"`
	Tier2Kind     string    `json:"tier2_kind"`
	Tier2Location string    `json:"tier2_location"`
	Tier2State    string    `json:"tier2_state"`
	DiskTotal     *uint64   `json:"disk_total_bytes,omitempty"`
	DiskFree      *uint64   `json:"disk_free_bytes,omitempty"`
}

func (a *API) serverInfo(w http.ResponseWriter, r *http.Request) error {
	in := a.info
	out := serverInfoJSON{Version: in.Version, StartedAt: in.StartedAt.UTC(), DataDir: in.DataDir,
		FsyncMode: in.FsyncMode, Containers: in.Containers, Tier2Kind: in.Tier2Kind,
		Tier2Location: in.Tier2Location, Tier2State: dashboard.Tier2Unknown}
	if !in.StartedAt.IsZero() {
		out.UptimeSeconds = time.Since(in.StartedAt).Seconds()
	}
	if a.series != nil {
		out.Tier2State = a.series.Tier2State()
	}
	if in.DataDir != "" {
		if total, free, err := dashboard.DiskUsage(in.DataDir); err == nil {
			out.DiskTotal, out.DiskFree = &total, &free
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (a *API) clusterInfo(w http.ResponseWriter, _ *http.Request) error {
	if a.cluster == nil {
		writeJSON(w, http.StatusOK, map[string]bool{"enabled": false})
		return nil
	}
	writeJSON(w, http.StatusOK, a.cluster())
	return nil
}

// seriesQuery reads names=, scope= and stream=.
func (a *API) seriesQuery(r *http.Request) (dashboard.Query, error) {
	if a.series == nil {
		return dashboard.Query{}, errorf(wire.CodeUnavailable, "this server keeps no series (no dashboard sampler)")
	}
	qv := r.URL.Query()
	q := dashboard.Query{Scope: qv.Get("scope"), Stream: qv.Get("stream")}
	for _, n := range strings.Split(qv.Get("names"), ",") {
		if n = strings.TrimSpace(n); n != "" {
			q.Names = append(q.Names, n)
		}
	}
	if err := q.Validate(); err != nil {
		return q, badRequest("%v", err)
	}
	return q, nil
}

func (a *API) seriesHistory(w http.ResponseWriter, r *http.Request) error {
	q, err := a.seriesQuery(r)
	if err != nil {
		return err
	}
	h := a.series.History(q)
	// Per-stream series of the scopes the caller may read only.
	h.Series = slices.DeleteFunc(h.Series, func(s dashboard.Series) bool { return s.Scope != "" && !a.visible(r, s.Scope) })
	w.Header().Set("Content-Type", "application/json")
	// Compact: an hour of points is large.
	return json.NewEncoder(w).Encode(h)
}

// seriesLive serves GET /v1/series/live: the latest sample at once, then
// one message after each sample, until the client leaves or the server
// stops.
func (a *API) seriesLive(w http.ResponseWriter, r *http.Request) error {
	q, err := a.seriesQuery(r)
	if err != nil {
		return err
	}
	ctx, cancel := a.requestCtx(r.Context())
	defer cancel()
	out := a.startEventStream(w)
	var buf []byte
	for {
		next := a.series.Updated()
		l := a.series.Latest(q)
		l.Series = slices.DeleteFunc(l.Series, func(p dashboard.Point) bool { return p.Scope != "" && !a.visible(r, p.Scope) })
		data, _ := json.Marshal(l)
		buf = append(append(append(buf[:0], "data: "...), data...), "\n\n"...)
		if _, err := out.Write(buf); err != nil {
			return nil
		}
		if out.Flush() != nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-next:
		}
	}
}
