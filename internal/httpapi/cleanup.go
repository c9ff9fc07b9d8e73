package httpapi

import (
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/braidstream/braid/internal/auth"
)

// The cleanup log: what the server deleted by itself (ephemeral streams
// and scopes whose holders went, stale streams collected by braid gc),
// oldest first, read through the Go client (Client.CleanupLog). An
// entry's JSON form is the CLI's (braid gc log -o json, internal/cli/gc.go).

// Pages of the cleanup log (the server's bounds).
const (
	defaultCleanupLimit = 100
	maxCleanupLimit     = 1000
)

// cleanupEntryJSON is one entry of the cleanup log.
type cleanupEntryJSON struct {
	Time   time.Time `json:"time"`
	Action string    `json:"action"`
	Kind   string    `json:"kind"`
	Name   string    `json:"name"`
	Rule   string    `json:"rule"`
	Reason string    `json:"reason"`
	Offset int64     `json:"offset"`
}

// cleanupLogJSON answers GET /v1/cleanup-log.
type cleanupLogJSON struct {
	Entries []cleanupEntryJSON `json:"entries"`
	// Next is the offset to read on from (from= of the next request).
	Next int64 `json:"next"`
}

// cleanupRoutes are the server's cleanup log.
func (a *API) cleanupRoutes() []route {
	return []route{{
		Method: "GET", Path: "/v1/cleanup-log", Tag: "ephemeral",
		Summary: "Read the server's cleanup log, oldest first: each deletion the server made by itself (an ephemeral stream or scope whose holders went, " +
			"a stale stream braid gc collected), with its rule and reason. Follow it with from= set to the answer's next.",
		Params: []param{
			queryParam("from", "integer", "read from this offset of the log: 0 (the default) for the start, or the next of an earlier answer"),
			queryParam("limit", "integer", "at most this many entries (default 100, at most 1000)"),
		},
		Responses: jsonOK(`{"entries": [{"time", "action": "delete", "kind": "stream" | "scope", "name", "rule": "ephemeral" | "inactive" | "inactive-ttl", "reason", "offset"}], ` +
			`"next": OFFSET (from= of the next read; the same as from= when there is nothing new)}`),
		Access:  needs(auth.PermCluster),
		Handler: a.cleanupLog,
	}}
}

func (a *API) cleanupLog(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	from := int64(0)
	if v := q.Get("from"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return badRequest("from=%q is not a whole number from 0 to %d: give 0 (the start) or the next of an earlier answer", v, int64(math.MaxInt64))
		}
		from = n
	}
	limit, err := intParam(q, "limit", defaultCleanupLimit, 1, maxCleanupLimit)
	if err != nil {
		return err
	}
	entries, next, err := a.client.CleanupLog(r.Context(), from, limit)
	if err != nil {
		return err
	}
	out := cleanupLogJSON{Entries: make([]cleanupEntryJSON, 0, len(entries)), Next: next}
	for _, e := range entries {
		out.Entries = append(out.Entries, cleanupEntryJSON{Time: e.Time.UTC(), Action: e.Action, Kind: e.Kind, Name: e.Name,
			Rule: e.Rule, Reason: e.Reason, Offset: e.Offset})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
