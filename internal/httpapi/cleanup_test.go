package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/server"
)

// cleanupEntryDoc is an entry of GET /v1/cleanup-log.
type cleanupEntryDoc struct {
	Time   time.Time `json:"time"`
	Action string    `json:"action"`
	Kind   string    `json:"kind"`
	Name   string    `json:"name"`
	Rule   string    `json:"rule"`
	Reason string    `json:"reason"`
	Offset int64     `json:"offset"`
}

// cleanupLog answers GET /v1/cleanup-log?QUERY, failing the test unless
// 200 with entries an array (never null) and next present.
func cleanupLog(t *testing.T, e *env, query string) ([]cleanupEntryDoc, int64) {
	t.Helper()
	status, raw := e.doJSON("GET", "/v1/cleanup-log"+query, nil, nil)
	if status != 200 {
		t.Fatalf("GET /v1/cleanup-log%s: %d %s", query, status, raw)
	}
	var shape map[string]json.RawMessage
	if err := json.Unmarshal(raw, &shape); err != nil {
		t.Fatalf("GET /v1/cleanup-log%s: %q is not a JSON object: %v", query, raw, err)
	}
	if string(shape["entries"]) == "null" || shape["entries"] == nil || shape["next"] == nil {
		t.Fatalf("GET /v1/cleanup-log%s: %s, want entries an array and next", query, raw)
	}
	var doc struct {
		Entries []cleanupEntryDoc `json:"entries"`
		Next    int64             `json:"next"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("GET /v1/cleanup-log%s: %q: %v", query, raw, err)
	}
	return doc.Entries, doc.Next
}

// TestCleanupLog: the log is empty at first; once an ephemeral stream's
// holder closes, the server deletes the stream and the log has the
// deletion; reading on from next has nothing new; bad parameters are 400
// naming the parameter.
func TestCleanupLog(t *testing.T) {
	e := newEnv(t, server.Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	entries, next := cleanupLog(t, e, "")
	if len(entries) != 0 {
		t.Fatalf("a new server's cleanup log has %+v, want nothing", entries)
	}

	start := time.Now()
	h, err := e.client.EphemeralStream(ctx, "x/y", braid.WithLease(time.Second))
	if err != nil {
		t.Fatalf("hold x/y: %v", err)
	}
	if entries, _ := cleanupLog(t, e, fmt.Sprintf("?from=%d", next)); len(entries) != 0 {
		t.Fatalf("the cleanup log has %+v while x/y is held", entries)
	}
	if err := h.Close(); err != nil {
		t.Fatalf("close the hold on x/y: %v", err)
	}
	waitFor(t, "the deletion of x/y in the cleanup log", 15*time.Second, func() bool {
		entries, next = cleanupLog(t, e, "?from=0&limit=10")
		return len(entries) > 0
	})
	if len(entries) != 1 {
		t.Fatalf("cleanup log %+v, want one entry", entries)
	}
	x := entries[0]
	t.Logf("cleanup log entry %+v, next %d, %s after the hold", x, next, time.Since(start).Round(time.Millisecond))
	if x.Action != "delete" || x.Kind != "stream" || x.Name != "x/y" || x.Rule != "ephemeral" || x.Reason != "the last holder detached" {
		t.Errorf("cleanup log entry %+v, want delete stream x/y by rule ephemeral, the last holder detached", x)
	}
	within(t, "the entry's time", x.Time, start, 15*time.Second)
	if x.Time.Location() != time.UTC {
		t.Errorf("the entry's time %s is not in UTC", x.Time)
	}
	if x.Offset < 0 || next <= x.Offset {
		t.Errorf("entry offset %d, next %d: want next past the entry", x.Offset, next)
	}
	if !streamGone(t, e, "x/y") {
		t.Errorf("x/y is in the cleanup log but still exists")
	}
	// From next: nothing new, and next stays.
	more, again := cleanupLog(t, e, fmt.Sprintf("?from=%d", next))
	if len(more) != 0 || again != next {
		t.Errorf("from=%d: %+v next %d, want nothing new and next %d", next, more, again, next)
	}
	// From the entry's own offset: that entry again.
	if got, _ := cleanupLog(t, e, fmt.Sprintf("?from=%d&limit=1", x.Offset)); len(got) != 1 || got[0] != x {
		t.Errorf("from=%d&limit=1: %+v, want %+v", x.Offset, got, x)
	}

	for _, c := range []struct{ query, param string }{
		{"?limit=0", "limit"}, {"?limit=1001", "limit"}, {"?limit=ten", "limit"}, {"?limit=-1", "limit"},
		{"?from=-1", "from"}, {"?from=abc", "from"}, {"?from=1.5", "from"}, {"?from=99999999999999999999", "from"},
	} {
		status, raw := e.doJSON("GET", "/v1/cleanup-log"+c.query, nil, nil)
		wantError(t, "GET /v1/cleanup-log"+c.query, status, raw, 400, "INVALID_ARGUMENT", c.param+"=")
	}
	if got, _ := cleanupLog(t, e, "?limit=1000"); len(got) != 1 {
		t.Errorf("limit=1000: %+v, want the one entry", got)
	}
}
