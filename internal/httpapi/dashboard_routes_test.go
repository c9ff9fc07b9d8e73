package httpapi_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/server"
)

// TestDashboardRoutes: GET / is the dashboard's page, /v1/server describes
// the server, /v1/series answers the sampler's rings and refuses bad
// queries naming what was wrong, /v1/series/live sends samples.
func TestDashboardRoutes(t *testing.T) {
	e := newEnv(t, server.Config{})
	status, h, body := e.do("GET", "/", "", nil)
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/html") || !strings.Contains(string(body), "app.js") {
		t.Fatalf("GET /: %d %s %.200s", status, h.Get("Content-Type"), body)
	}
	if status, _, _ := e.do("GET", "/app.js", "", nil); status != 200 {
		t.Fatalf("GET /app.js: %d", status)
	}
	if status, _, _ := e.do("GET", "/nosuch.js", "", nil); status != 404 {
		t.Fatalf("GET /nosuch.js: %d, want 404", status)
	}
	if status, _, _ := e.do("POST", "/", "", nil); status != 405 {
		t.Fatalf("POST /: %d, want 405", status)
	}

	status, _, body = e.do("GET", "/v1/server", "", nil)
	var info struct {
		Version    string    `json:"version"`
		StartedAt  time.Time `json:"started_at"`
		DataDir    string    `json:"data_dir"`
		FsyncMode  string    `json:"fsync_mode"`
		Containers int       `json:"containers"`
		Tier2Kind  string    `json:"tier2_kind"`
		Tier2State string    `json:"tier2_state"`
		DiskTotal  uint64    `json:"disk_total_bytes"`
	}
	if err := json.Unmarshal(body, &info); status != 200 || err != nil {
		t.Fatalf("GET /v1/server: %d %v %s", status, err, body)
	}
	if info.Version == "" || info.StartedAt.IsZero() || info.DataDir == "" || info.FsyncMode != "always" ||
		info.Containers < 1 || info.Tier2Kind != "directory" || info.Tier2State == "" || info.DiskTotal == 0 {
		t.Fatalf("GET /v1/server: %s", body)
	}

	status, _, body = e.do("GET", "/v1/series?names=nope", "", nil)
	if status != 400 || !strings.Contains(string(body), `unknown series \"nope\"`) {
		t.Fatalf("GET /v1/series?names=nope: %d %s", status, body)
	}
	status, _, body = e.do("GET", "/v1/series?stream=x", "", nil)
	if status != 400 || !strings.Contains(string(body), "without a scope") {
		t.Fatalf("GET /v1/series?stream=x: %d %s", status, body)
	}
	status, _, body = e.do("GET", "/v1/series?names=tier2_backlog_bytes,fsync_p99_seconds", "", nil)
	var hist struct {
		Capacity    int `json:"capacity"`
		MemoryBytes int `json:"memory_bytes"`
		Series      []struct {
			Name string `json:"name"`
		} `json:"series"`
	}
	if err := json.Unmarshal(body, &hist); status != 200 || err != nil || hist.Capacity != 3600 || len(hist.Series) != 2 || hist.MemoryBytes == 0 {
		t.Fatalf("GET /v1/series: %d %v %.300s", status, err, body)
	}

	// Two live messages: the one at once and the next sample's.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", e.base+"/v1/series/live", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("live: Content-Type %s", resp.Header.Get("Content-Type"))
	}
	sc := bufio.NewScanner(resp.Body)
	var times []int64
	for len(times) < 2 && sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		var msg struct {
			Time int64 `json:"time"`
		}
		if err := json.Unmarshal([]byte(line), &msg); err != nil {
			t.Fatalf("live message %q: %v", line, err)
		}
		times = append(times, msg.Time)
	}
	if len(times) < 2 || times[1] <= times[0] {
		t.Fatalf("live message times %v (scan: %v), want two increasing", times, sc.Err())
	}
}
