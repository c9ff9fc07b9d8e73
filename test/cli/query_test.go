package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/clienttest"
	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

// TestQueryCommands: braid query deploy shows a problem at its line with
// a caret and exits 2; a good query deploys, lists, and its results read
// back as JSON lines.
func TestQueryCommands(t *testing.T) {
	ts := servertest.New(t, server.Config{})
	c := clienttest.Dial(t, ts.GRPCAddr())
	ctx := clienttest.Ctx(t, 60*time.Second)
	clienttest.CreateStream(t, c, "cli/sensors", 1)
	w, err := c.NewWriter(ctx, "cli/sensors")
	if err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 500 {
		ts := base.Add(time.Duration(i) * 10 * time.Millisecond).Format(time.RFC3339Nano)
		w.Write(ctx, "k", []byte(fmt.Sprintf(`{"sensor":"s-%d","temp":%d,"ts":%q}`, i%2, i%7, ts)))
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.sql")
	os.WriteFile(bad, []byte("SELECT sensor, count(*) AS n\nFROM cli.sensors\nGROUP BY TUMBLE(ts INTERVAL '1' SECOND), sensor\n"), 0o644)
	addr := "--addr=" + ts.GRPCAddr()
	res := braid(t, "", "query", "deploy", bad, addr)
	if res.code != 2 || !strings.Contains(res.stderr, "bad.sql:3:") || !strings.Contains(res.stderr, "  GROUP BY TUMBLE(ts INTERVAL '1' SECOND), sensor\n                     ^\n") ||
		strings.Contains(res.stderr, "for usage") {
		t.Fatalf("deploy of a bad query: exit %d\n%s", res.code, res.stderr)
	}
	good := filepath.Join(dir, "avg.sql")
	os.WriteFile(good, []byte("SELECT sensor, count(*) AS n, avg(temp) AS avg_temp\nFROM cli.sensors\nGROUP BY TUMBLE(ts, INTERVAL '1' SECOND), sensor\nWITH (idle_timeout = '0')\n"), 0o644)
	if res := braid(t, "", "query", "validate", good, addr); res.code != 0 || !strings.Contains(res.stdout, "cli/avg-results") {
		t.Fatalf("validate: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	if res := braid(t, "", "query", "deploy", good, addr); res.code != 0 || !strings.Contains(res.stderr, "query avg (version 1) runs on the server") {
		t.Fatalf("deploy: exit %d\n%s", res.code, res.stderr)
	}
	var q struct {
		Name       string `json:"name"`
		State      string `json:"state"`
		ResultsOut int64  `json:"results_out"`
	}
	clienttest.WaitUntil(t, "8 results", 20*time.Second, func() bool {
		res := braid(t, "", "query", "describe", "avg", "-o", "json", addr)
		return res.code == 0 && json.Unmarshal([]byte(res.stdout), &q) == nil && q.ResultsOut == 8
	})
	res = braid(t, "", "query", "results", "avg", "--limit", "8", addr)
	lines := strings.Split(strings.TrimSpace(res.stdout), "\n")
	if res.code != 0 || len(lines) != 8 {
		t.Fatalf("results: exit %d, %d lines\n%s%s", res.code, len(lines), res.stdout, res.stderr)
	}
	for _, l := range lines {
		var r map[string]any
		if err := json.Unmarshal([]byte(l), &r); err != nil || r["window_start"] == nil || r["n"] != float64(50) {
			t.Fatalf("result %q: %v (want 50 readings of one sensor in a second)", l, err)
		}
	}
	if res := braid(t, "", "query", "delete", "avg", "--yes", addr); res.code != 0 {
		t.Fatalf("delete: exit %d\n%s", res.code, res.stderr)
	}
}

// TestServeDemo: braid serve --demo deploys its query, which has results
// within a minute.
func TestServeDemo(t *testing.T) {
	srv := startServe(t, "--demo", "--grpc", "127.0.0.1:0", "--http", "127.0.0.1:0")
	var q struct {
		ResultsOut int64  `json:"results_out"`
		Health     string `json:"health"`
	}
	clienttest.WaitUntil(t, "the demo query's first results", 60*time.Second, func() bool {
		resp, err := http.Get("http://" + srv.httpAddr + "/v1/queries/demo-rooms")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		return json.NewDecoder(resp.Body).Decode(&q) == nil && q.ResultsOut > 0
	})
	if q.Health != "ok" {
		t.Fatalf("the demo query's health: %q", q.Health)
	}
}
