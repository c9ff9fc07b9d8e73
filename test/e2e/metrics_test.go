package e2e

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/promtext"
)

// TestMetricsEndToEnd: appends, reads, fetches and refusals show in the
// per-stream counters, the error counter and the group's lag; the page
// passes `promtool check metrics` (when promtool is installed; CI installs
// it and sets CI=true, which makes its absence a failure).
func TestMetricsEndToEnd(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 60*time.Second)
	const stream = "met/orders"
	createStream(t, c, stream, 2)
	grp := c.ReaderGroup("met/g")
	if _, err := grp.Create(ctx, braid.ReaderGroupConfig{Streams: []braid.GroupStream{{Stream: stream}}}); err != nil {
		t.Fatal(err)
	}
	const n = 40
	ptrs := writeEvents(t, c, ctx, stream, 0, n)
	if got := len(readAll(t, c, stream, braid.UntilTail())); got != n {
		t.Fatalf("read %d events, want %d", got, n)
	}
	if _, err := c.Fetch(ctx, ptrs[3]); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetStream(ctx, "met/nosuch"); !errors.Is(err, braid.ErrNotFound) {
		t.Fatalf("GetStream of a missing stream: %v", err)
	}
	resp, err := http.Get("http://" + ts.HTTPAddr() + "/v1/streams/met/nosuch")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("HTTP GET of a missing stream: %d", resp.StatusCode)
	}

	raw := scrapeRaw(t, ctx, "http://"+ts.HTTPAddr()+"/metrics")
	set, err := promtext.Parse(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	lbl := []string{"scope", "met", "stream", "orders"}
	for _, c := range []struct {
		name string
		ok   func(float64) bool
		want string
	}{
		{"braid_stream_appended_events_total", func(v float64) bool { return v == n }, "40"},
		{"braid_stream_appended_bytes_total", func(v float64) bool { return v > n*8 }, "over 320"},
		{"braid_stream_read_events_total", func(v float64) bool { return v == n+1 }, "41 (40 read, 1 fetched)"},
		{"braid_stream_read_bytes_total", func(v float64) bool { return v > n*8 }, "over 320"},
		{"braid_stream_segments", func(v float64) bool { return v == 2 }, "2"},
		{"braid_stream_size_bytes", func(v float64) bool { return v > n*8 }, "over 320"},
	} {
		if !set.Has(c.name) {
			t.Errorf("%s missing", c.name)
			continue
		}
		if v := set.Sum(c.name, lbl...); !c.ok(v) {
			t.Errorf("%s %v, want %s", c.name, v, c.want)
		}
	}
	if v := set.Sum("braid_errors_total", "api", "grpc", "code", "NOT_FOUND"); v < 1 {
		t.Errorf("braid_errors_total{api=grpc,code=NOT_FOUND} %v, want at least 1", v)
	}
	if v := set.Sum("braid_errors_total", "api", "http", "code", "NOT_FOUND"); v != 1 {
		t.Errorf("braid_errors_total{api=http,code=NOT_FOUND} %v, want 1", v)
	}
	if v := set.Sum("braid_build_info"); v != 1 {
		t.Errorf("braid_build_info %v, want 1", v)
	}
	// Nothing of the group was read: its lag is the age of the oldest
	// event, under the test's minute.
	if !set.Has("braid_group_lag_seconds") {
		t.Error("braid_group_lag_seconds missing")
	} else if v := set.Max("braid_group_lag_seconds", "group", "met/g"); v <= 0 || v > 60 {
		t.Errorf("braid_group_lag_seconds %v, want within (0, 60]", v)
	}
	promtoolCheck(t, raw)
}

// scrapeRaw returns the text of a metrics page.
func scrapeRaw(t *testing.T, ctx context.Context, url string) []byte {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	return body
}

// promtoolCheck runs `promtool check metrics` on a metrics page: it
// fails on malformed text and on names and help that break Prometheus's
// conventions.
func promtoolCheck(t *testing.T, page []byte) {
	t.Helper()
	path, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("promtool not installed (Debian package prometheus); CI requires it")
		}
		t.Log("promtool not installed: the page's lint is skipped")
		return
	}
	cmd := exec.Command(path, "check", "metrics")
	cmd.Stdin = bytes.NewReader(page)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("promtool check metrics: %v\n%s", err, out)
	}
}
