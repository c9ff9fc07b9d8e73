//go:build linux

package fault

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDiskFullResumes runs `braid serve` with default flags on a 64 MiB
// tmpfs: a stream can be created and written; filler files then fill the
// disk until appends fail with 507 STORAGE_FULL; deleting one filler (a few
// MiB) must let appends resume within resumeDeadline, without a restart;
// and after a restart on the nearly full disk, every acknowledged event
// reads back, exactly once and in order.
//
// It mounts the tmpfs itself, so it needs root (CI runs as root); without
// the permission it is skipped.
func TestDiskFullResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the disk-full test (it fills a 64 MiB tmpfs)")
	}
	const (
		diskSize       = 64 << 20
		fillerSize     = 4 << 20
		eventSize      = 32 << 10
		resumeDeadline = 30 * time.Second
	)
	srv := newServer(t)
	if err := syscall.Mount("tmpfs", srv.dataDir, "tmpfs", 0, fmt.Sprintf("size=%d", diskSize)); err != nil {
		t.Skipf("cannot mount a %d MiB tmpfs on %s (%v): this test needs root", diskSize>>20, srv.dataDir, err)
	}
	t.Cleanup(func() {
		// Before the server's own cleanup, which removes the directory.
		srv.killNow()
		if err := syscall.Unmount(srv.dataDir, 0); err != nil {
			t.Errorf("unmounting the tmpfs on %s: %v", srv.dataDir, err)
		}
	})
	ctx := context.Background()
	if err := srv.start(ctx); err != nil {
		t.Fatal(err)
	}
	hc := &diskFullClient{t: t, base: "http://" + srv.httpAddr, http: &http.Client{Timeout: 30 * time.Second}}
	const stream = "disk/full"
	if status, code := hc.do(http.MethodPut, "/v1/streams/"+stream, "application/json", []byte(`{"segments": 4}`)); status != http.StatusCreated {
		t.Fatalf("creating %s on a %d MiB disk: %d %s\n%s", stream, diskSize>>20, status, code, srv.output(8<<10))
	}

	var (
		acked   []string
		unknown []string // failed: may or may not be stored (a 507 should mean not)
		n       int
	)
	event := func() (key, data string) {
		n++
		key = fmt.Sprintf("k%d", n%8)
		return key, fmt.Sprintf("%s-e%06d-", key, n) + strings.Repeat("x", eventSize)
	}
	// send appends one event; it reports the status and the error code.
	send := func(key, data string) (int, string) {
		status, code := hc.do(http.MethodPost, "/v1/streams/"+stream+"/events?key="+key, "application/octet-stream", []byte(data))
		switch {
		case status == http.StatusCreated:
			acked = append(acked, data)
		case status == http.StatusInsufficientStorage && strings.HasPrefix(code, "STORAGE_FULL:"):
			unknown = append(unknown, data)
		default:
			t.Fatalf("append: %d %s, want 201 or 507 STORAGE_FULL\n%s", status, code, srv.output(8<<10))
		}
		return status, code
	}
	for range 20 {
		if status, code := send(event()); status != http.StatusCreated {
			t.Fatalf("append with the disk nearly empty: %d %s", status, code)
		}
	}

	// Fill the disk with files of fillerSize beside the server's data.
	var fillers []string
	for i := 0; ; i++ {
		p := filepath.Join(srv.dataDir, fmt.Sprintf("filler-%02d", i))
		fillers = append(fillers, p)
		if err := writeFiller(p, fillerSize); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			break
		}
	}
	t.Logf("disk filled with %d filler files", len(fillers))
	full := false
	for range diskSize / eventSize {
		if status, _ := send(event()); status == http.StatusInsufficientStorage {
			full = true
			break
		}
	}
	if !full {
		t.Fatalf("no 507 STORAGE_FULL after %d more appends on a full disk", diskSize/eventSize)
	}
	m, err := scrapeMetrics(ctx, srv)
	if err != nil {
		t.Fatal(err)
	}
	if v := m.Sum("braid_segstore_storage_full"); v < 1 {
		t.Errorf("braid_segstore_storage_full sums to %v on a full disk, want at least 1", v)
	}
	if v := m.Sum("braid_segstore_append_errors_total", "reason", "storage_full"); v < 1 {
		t.Errorf("braid_segstore_append_errors_total{reason=\"storage_full\"} is %v after a 507", v)
	}

	// A restart on the full disk: the server starts, and refuses appends
	// the same way.
	if err := srv.stop(); err != nil {
		t.Fatal(err)
	}
	if err := srv.start(ctx); err != nil {
		t.Fatalf("restart on a full disk: %v", err)
	}
	refusedAgain := false
	for range 2 * diskSize / eventSize {
		if status, _ := send(event()); status == http.StatusInsufficientStorage {
			refusedAgain = true
			break
		}
	}
	if !refusedAgain {
		t.Fatalf("no 507 STORAGE_FULL on a full disk after a restart")
	}

	// Free one filler's worth: appends must resume.
	if err := os.Remove(fillers[0]); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	deadline := time.NewTimer(resumeDeadline)
	defer deadline.Stop()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	resumed := false
	for timedOut := false; !resumed && !timedOut; {
		if status, _ := send(event()); status == http.StatusCreated {
			resumed = true
			break
		}
		select {
		case <-tick.C:
		case <-deadline.C:
			timedOut = true
		}
	}
	if !resumed {
		t.Fatalf("appends did not resume within %v of freeing %d MiB\n%s", resumeDeadline, fillerSize>>20, srv.output(16<<10))
	}
	t.Logf("appends resumed %v after %d MiB was freed", time.Since(t0).Round(time.Millisecond), fillerSize>>20)
	for range 10 {
		send(event())
	}
	if m, err := scrapeMetrics(ctx, srv); err == nil {
		if v := m.Sum("braid_segstore_storage_full"); v != 0 {
			t.Logf("braid_segstore_storage_full sums to %v after the appends resumed", v)
		}
	}

	// Restart on the nearly full disk; everything acknowledged is there.
	if err := srv.stop(); err != nil {
		t.Fatal(err)
	}
	if err := srv.start(ctx); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		send(event())
	}
	got := hc.readAll(stream)
	checkDiskFullEvents(t, got, acked, unknown)
	t.Logf("%d events acknowledged, %d refused; all read back after a restart", len(acked), len(unknown))
}

// writeFiller writes a file of size bytes, and syncs it; on a full disk it
// returns the ENOSPC error, leaving what was written.
func writeFiller(path string, size int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	buf := bytes.Repeat([]byte{'f'}, 1<<20)
	for off := 0; off < size && err == nil; off += len(buf) {
		_, err = f.Write(buf)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// checkDiskFullEvents checks that every acknowledged event is there exactly
// once, refused ones at most once, nothing else, and that each key's events
// are in the order written.
func checkDiskFullEvents(t *testing.T, got, acked, unknown []string) {
	t.Helper()
	count := map[string]int{}
	for _, d := range got {
		count[d]++
	}
	for _, d := range acked {
		if count[d] != 1 {
			t.Fatalf("acknowledged event %.14s... read back %d times", d, count[d])
		}
		delete(count, d)
	}
	for _, d := range unknown {
		if count[d] > 1 {
			t.Fatalf("refused event %.14s... read back %d times", d, count[d])
		}
		delete(count, d)
	}
	for d, c := range count {
		t.Fatalf("event %.14s... (%d times) was never sent", d, c)
	}
	last := map[string]string{}
	for _, d := range got {
		key := d[:strings.Index(d, "-")]
		if d[:len(key)+8] <= last[key] {
			t.Fatalf("key %s: event %.14s after %.14s", key, d, last[key])
		}
		last[key] = d[:len(key)+8]
	}
}

// diskFullClient is a small HTTP client for the test.
type diskFullClient struct {
	t    *testing.T
	base string
	http *http.Client
}

// do sends a request and returns the status and, for an error, its code.
func (c *diskFullClient) do(method, path, contentType string, body []byte) (int, string) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode < 300 {
		return resp.StatusCode, ""
	}
	var e struct {
		Error struct{ Code, Message string }
	}
	if json.Unmarshal(b, &e) != nil {
		return resp.StatusCode, strings.TrimSpace(string(b))
	}
	return resp.StatusCode, e.Error.Code + ": " + e.Error.Message
}

// readAll reads a stream from head to tail and returns the payloads.
func (c *diskFullClient) readAll(stream string) []string {
	c.t.Helper()
	var out []string
	from := "head"
	for {
		resp, err := c.http.Get(c.base + "/v1/streams/" + stream + "/events?to=tail&limit=1000&from=" + from)
		if err != nil {
			c.t.Fatal(err)
		}
		var page struct {
			Events []struct {
				Data string `json:"data"`
			} `json:"events"`
			Position string `json:"position"`
			End      bool   `json:"end"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || err != nil {
			c.t.Fatalf("reading %s from %s: %s %v", stream, from, resp.Status, err)
		}
		for _, e := range page.Events {
			out = append(out, e.Data)
		}
		if page.End || len(page.Events) == 0 {
			return out
		}
		from = page.Position
	}
}
