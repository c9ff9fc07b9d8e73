package browser

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/clienttest"
	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

// findChromium returns the browser to drive. Without one the test skips,
// unless BRAID_REQUIRE_BROWSER=1 (CI), when it fails.
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "no Chromium found (looked for chromium, chromium-browser, google-chrome on PATH): install Debian's chromium package to run the dashboard's browser test"
	if os.Getenv("BRAID_REQUIRE_BROWSER") == "1" {
		t.Fatal(msg + " (BRAID_REQUIRE_BROWSER=1)")
	}
	t.Skip("SKIPPED: " + msg)
	return ""
}

// screenshotDir is BRAID_SCREENSHOTS, or screenshots/ in this package's
// directory (git-ignored).
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("BRAID_SCREENSHOTS")
	if dir == "" {
		dir = "screenshots"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("screenshot directory: %v", err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// browser is one headless Chromium tab.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
	dir  string
}

func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	path := findChromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 800),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	b := &browser{t: t, ctx: ctx, base: base, dir: screenshotDir(t)}
	// The first action starts the browser, whose life is that of the
	// action's context: ctx itself, not one with a timeout.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
		t.Fatalf("starting Chromium (%s): %v", path, err)
	}
	return b
}

// open navigates to the dashboard's page at hash (and query, before it).
func (b *browser) open(query, hash string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	url := b.base + "/" + query + "#" + hash
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		b.t.Fatalf("navigate to %s: %v", url, err)
	}
}

// route changes the hash without reloading the page.
func (b *browser) route(hash string) {
	b.t.Helper()
	b.eval(fmt.Sprintf("location.hash = %q", hash))
}

// eval evaluates a JavaScript expression and returns its JSON value.
func (b *browser) eval(expr string) json.RawMessage {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// text is the text of the first element matching a CSS selector ("" if
// none).
func (b *browser) text(sel string) string {
	b.t.Helper()
	var s string
	raw := b.eval(fmt.Sprintf("(document.querySelector(%q) || {}).textContent || ''", sel))
	if err := json.Unmarshal(raw, &s); err != nil {
		b.t.Fatal(err)
	}
	return s
}

// waitFor waits until a JavaScript predicate holds in the page, failing
// the test after d.
func (b *browser) waitFor(what, expr string, d time.Duration) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, d+5*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[[]byte](expr, chromedp.WithPollingTimeout(d), chromedp.WithPollingInterval(100*time.Millisecond)))
	if err != nil {
		b.screenshot("failed-" + strings.ReplaceAll(what, " ", "-"))
		b.t.Fatalf("waiting %v for %s (%s): %v", d, what, expr, err)
	}
}

// screenshot saves the viewport as NAME.png.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	// Let charts finish drawing: two animation frames.
	_, _ = chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))`, chromedp.EvalAwaitPromise))
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(b.dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	b.t.Logf("screenshot: %s", path)
}

// colorScheme emulates prefers-color-scheme (light or dark).
func (b *browser) colorScheme(scheme string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
	}); err != nil {
		b.t.Fatalf("emulate %s colour scheme: %v", scheme, err)
	}
}

// writeContinuously writes small JSON events to stream until the test
// ends, noting the time every 300 ms so that the stream has a watermark.
// It returns the pointer of its first event.
func writeContinuously(t *testing.T, c *braid.Client, stream string) braid.EventPointer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	w, err := c.NewWriter(ctx, stream)
	if err != nil {
		cancel()
		t.Fatalf("writer: %v", err)
	}
	first, err := w.Write(ctx, "order-0", []byte(`{"order":0,"item":"first","amount":1.5}`)).Wait(ctx)
	if err != nil {
		cancel()
		t.Fatalf("first write: %v", err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		lastNote := time.Time{}
		for i := 1; ; i++ {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			for j := range 8 {
				n := i*8 + j
				w.Write(ctx, fmt.Sprintf("order-%d", n%50), fmt.Appendf(nil, `{"order":%d,"item":"widget-%d","amount":%d.%02d}`, n, n%13, n%97, n%100))
			}
			if now := time.Now(); now.Sub(lastNote) >= 300*time.Millisecond {
				// NoteTime waits for the acks of what was written
				// before; a failure is tried again at the next note.
				_ = w.NoteTime(ctx, now)
				lastNote = now
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		cctx, ccancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer ccancel()
		_ = w.Close(cctx)
	})
	return first
}

// noAWSCredentials makes the server's S3 clients (in this process) find no
// credentials, at once: no environment keys, no shared files, no EC2
// instance metadata. An export job's first attempt then fails within
// milliseconds and is retried; with credentials, an unreachable endpoint is
// retried by the S3 client for minutes before the job notes an error.
func noAWSCredentials(t *testing.T) {
	t.Helper()
	none := filepath.Join(t.TempDir(), "none")
	for k, v := range map[string]string{
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_SHARED_CREDENTIALS_FILE": none, "AWS_CONFIG_FILE": none,
		"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI": "", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "",
		"AWS_WEB_IDENTITY_TOKEN_FILE": "", "AWS_ROLE_ARN": "", "AWS_REGION": "us-east-1",
	} {
		t.Setenv(k, v)
	}
}

func httpDo(t *testing.T, method, url, body string) int {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestDashboard drives every page of the dashboard against a live server
// with a stream being written, scaled and read by a reader group.
func TestDashboard(t *testing.T) {
	findChromium(t)
	noAWSCredentials(t)
	ts := servertest.New(t, server.Config{})
	c := clienttest.Dial(t, ts.GRPCAddr())
	const stream = "demo/orders"
	clienttest.CreateStream(t, c, stream, 2)
	base := "http://" + ts.HTTPAddr()
	first := writeContinuously(t, c, stream)

	// A reader group with one member over HTTP, for the groups pages.
	if st := httpDo(t, "PUT", base+"/v1/groups/demo/billing", `{"streams":["demo/orders"]}`); st != 201 && st != 200 {
		t.Fatalf("create group: %d", st)
	}
	if st := httpDo(t, "POST", base+"/v1/groups/demo/billing/readers/reader-1", `{}`); st >= 300 {
		t.Fatalf("join group: %d", st)
	}

	b := newBrowser(t, base)

	// Overview: the live throughput chart gains points.
	b.open("", "/")
	b.waitFor("the version on the overview", `document.getElementById("version").textContent.startsWith("braid ")`, 20*time.Second)
	b.waitFor("appends per second on the overview", `/^[0-9]/.test(document.getElementById("t-appends").textContent)`, 30*time.Second)
	pointsOf := `(+(document.querySelector("#main .chart svg") || {dataset: {}}).dataset.points || 0)`
	b.waitFor("the appends chart has points", pointsOf+` >= 3`, 30*time.Second)
	var n1 int
	json.Unmarshal(b.eval(pointsOf), &n1)
	b.waitFor("the appends chart gains points", fmt.Sprintf("%s > %d", pointsOf, n1), 30*time.Second)
	// A few more seconds of history make a better picture.
	b.waitFor("ten seconds of points", pointsOf+` >= 10`, 30*time.Second)
	b.screenshot("overview-light")
	b.colorScheme("dark")
	b.waitFor("the dark colours", `getComputedStyle(document.body).backgroundColor !== "rgb(246, 247, 249)"`, 10*time.Second)
	b.screenshot("overview-dark")
	b.colorScheme("light")
	// The toggle overrides the system's scheme.
	b.eval(`document.getElementById("theme-toggle").click(), document.getElementById("theme-toggle").click()`)
	b.waitFor("the toggle's dark theme", `document.documentElement.dataset.theme === "dark" && getComputedStyle(document.body).backgroundColor !== "rgb(246, 247, 249)"`, 10*time.Second)
	b.eval(`document.getElementById("theme-toggle").click()`) // back to auto
	b.waitFor("the automatic theme", `document.documentElement.dataset.theme === undefined`, 10*time.Second)

	// Streams: the stream is listed.
	b.route("/streams")
	b.waitFor("the stream in the list", fmt.Sprintf(`!!document.querySelector('#streams-table tr[data-stream=%q]')`, stream), 20*time.Second)
	b.screenshot("streams")

	// Stream detail: the watermark is shown and advances.
	b.route("/streams/" + stream)
	b.waitFor("the segment diagram", `document.querySelector("#segment-diagram") && document.querySelector("#segment-diagram").dataset.epochs === "1"`, 20*time.Second)
	if st := httpDo(t, "GET", base+"/v1/streams/"+stream+"/watermark", ""); st == 404 || st == 405 {
		t.Logf("no watermark route (%d): the watermark checks are skipped", st)
	} else {
		b.waitFor("the watermark", `/\d\d:\d\d:\d\d/.test((document.getElementById("watermark-value") || {}).textContent || "")`, 30*time.Second)
		wm := b.text("#watermark-value")
		b.waitFor("the watermark to advance", fmt.Sprintf(`(document.getElementById("watermark-value") || {}).textContent !== %q && /\d\d:\d\d:\d\d/.test(document.getElementById("watermark-value").textContent)`, wm), 30*time.Second)
		t.Logf("watermark went from %s to %s", wm, b.text("#watermark-value"))
	}
	// Scale: split the first segment; the diagram shows the new epoch.
	info, err := c.GetStream(clienttest.Ctx(t, 10*time.Second), stream)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ScaleStream(clienttest.Ctx(t, 10*time.Second), stream, []uint64{info.Current[0].ID}, nil); err != nil {
		t.Fatalf("scale: %v", err)
	}
	b.waitFor("the new epoch in the segment diagram", `document.querySelector("#segment-diagram").dataset.epochs === "2" && document.querySelectorAll("#segment-diagram .seg.sealed").length === 1`, 20*time.Second)
	// The stream's throughput chart (per-stream append metrics) gains
	// points where the server has them.
	b.waitFor("the watermark lag chart has points", `document.querySelectorAll("#main .chart svg")[2] && +document.querySelectorAll("#main .chart svg")[2].dataset.points > 0 || !document.getElementById("watermark-value")`, 30*time.Second)
	b.screenshot("stream")
	b.eval(`document.querySelectorAll("#main .chart")[0].scrollIntoView()`)
	b.screenshot("stream-charts")

	// Reader groups.
	b.route("/groups")
	b.waitFor("the group in the list", `!!document.querySelector('tr[data-group="demo/billing"]')`, 20*time.Second)
	b.screenshot("groups")
	b.route("/groups/demo/billing")
	b.waitFor("the group's reader", `!!document.querySelector('tr[data-reader="reader-1"]')`, 20*time.Second)
	b.screenshot("group")

	// Event browser: seek by the first event's pointer.
	ptr := first.String()
	b.route("/events?stream=" + stream + "&kind=pointer&from=" + ptr + "&view=json")
	b.waitFor("the event found by its pointer", fmt.Sprintf(`!!document.querySelector('#events-table tr[data-pointer=%q]')`, ptr), 20*time.Second)
	if got := b.text(fmt.Sprintf(`#events-table tr[data-pointer=%q] .payload`, ptr)); !strings.Contains(got, `"item": "first"`) {
		t.Errorf("the event's payload shows %q, want it pretty-printed with \"item\": \"first\"", got)
	}
	b.screenshot("events")
	b.route("/events?stream=" + stream + "&kind=head&view=hex")
	b.waitFor("events read from the head", `document.querySelectorAll('#events-table tbody tr').length === 20 && !!document.getElementById("ev-blob")`, 20*time.Second)
	b.screenshot("events-hex")

	// Exports: the empty state says how to make a job; a job that cannot
	// reach its bucket shows as retrying, with its last error.
	b.route("/exports")
	b.waitFor("the exports page's empty state", `document.body.dataset.page === "exports" && !!document.getElementById("exports-empty")`, 20*time.Second)
	if got := b.text("#exports-empty"); !strings.Contains(got, "braid export s3://BUCKET/PREFIX --stream SCOPE/STREAM --follow --detach") {
		t.Errorf("the empty exports page says %q, want the command that makes a job", got)
	}
	var active bool
	json.Unmarshal(b.eval(`document.querySelector('[data-nav="exports"]').classList.contains("active") && !document.querySelector("main .badge.accent")`), &active)
	if !active {
		t.Errorf("the Exports page is not the active page of the navigation, or still a placeholder")
	}
	b.screenshot("exports-empty")
	const job = "orders-to-s3"
	if _, err := c.CreateExport(clienttest.Ctx(t, 10*time.Second), braid.ExportJob{
		Name: job, Stream: stream, URL: "s3://nobucket/orders", S3Endpoint: "http://127.0.0.1:1", S3PathStyle: true,
	}); err != nil {
		t.Fatalf("create export job: %v", err)
	}
	row := fmt.Sprintf(`document.querySelector('#exports-table tr[data-export=%q]')`, job)
	b.waitFor("the export job in the list", `!!`+row+` && !document.getElementById("exports-empty")`, 20*time.Second)
	b.waitFor("the job's state", row+`.querySelector(".state").textContent !== ""`, 10*time.Second)
	cells := fmt.Sprintf(`#exports-table tr[data-export=%q] td`, job)
	if got := b.text(cells); got != job {
		t.Errorf("the job's row is named %q, want %q", got, job)
	}
	if got := b.text(fmt.Sprintf(`#exports-table tr[data-export=%q] .state`, job)); got != "retrying" && got != "running" {
		t.Errorf("the job's state shows %q, want retrying (or running)", got)
	}
	if got := b.text(fmt.Sprintf(`#exports-table tr[data-export=%q] td:nth-child(3)`, job)); !strings.Contains(got, "s3://nobucket/orders") {
		t.Errorf("the job's destination shows %q, want s3://nobucket/orders", got)
	}
	if got := b.text(fmt.Sprintf(`#exports-table tr[data-export=%q] .lag`, job)); !strings.Contains(got, "events unknown") || !strings.Contains(got, "time unknown") {
		t.Errorf("the lag of a job that exported nothing shows %q, want its events and time unknown", got)
	}
	// The server's S3 client finds no credentials (noAWSCredentials), so
	// the first attempt fails at once and the page shows why.
	b.waitFor("the job's last error", fmt.Sprintf(`/nobucket/.test((document.querySelector('#exports-table tr[data-export-error=%q] .last-error') || {}).textContent || "")`, job), 20*time.Second)
	b.screenshot("exports")

	// Ephemeral: the empty state says how to hold one; a stream held here
	// shows with its holder; once the hold ends the server deletes the
	// stream and the cleanup log shows the deletion.
	b.route("/ephemeral")
	b.waitFor("the ephemeral page's empty state", `document.body.dataset.page === "ephemeral" && !!document.getElementById("ephemeral-empty") && !!document.getElementById("cleanup-empty")`, 20*time.Second)
	if got := b.text("#ephemeral-empty"); !strings.Contains(got, "braid ephemeral hold SCOPE/STREAM --lease 30s") {
		t.Errorf("the empty ephemeral page says %q, want the command that holds one", got)
	}
	json.Unmarshal(b.eval(`document.querySelector('[data-nav="ephemeral"]').classList.contains("active") && ![...document.querySelectorAll("main .badge")].some((e) => e.textContent === "not yet")`), &active)
	if !active {
		t.Errorf("the Ephemeral page is not the active page of the navigation, or still a placeholder")
	}
	b.screenshot("ephemeral-empty")
	const scratch, holder = "scratch/report", "nightly-report"
	hold, err := c.EphemeralStream(clienttest.Ctx(t, 10*time.Second), scratch, braid.WithLease(30*time.Second), braid.WithHolderName(holder))
	if err != nil {
		t.Fatalf("hold %s: %v", scratch, err)
	}
	t.Cleanup(func() { hold.Close() })
	erow := fmt.Sprintf(`document.querySelector('#ephemeral-table tr[data-ephemeral=%q]')`, scratch)
	b.waitFor("the held stream with its holder", fmt.Sprintf(`!!%s && !!%s.querySelector('.holder[data-holder=%q]')`, erow, erow, holder), 20*time.Second)
	cell := func(class string) string {
		return b.text(fmt.Sprintf(`#ephemeral-table tr[data-ephemeral=%q] .%s`, scratch, class))
	}
	if got := cell("kind"); got != "stream" {
		t.Errorf("the held stream's kind shows %q, want stream", got)
	}
	if got := cell("state"); got != "live" {
		t.Errorf("the held stream's state shows %q, want live", got)
	}
	if got := cell("owner"); got != holder {
		t.Errorf("the held stream's owner shows %q, want %q", got, holder)
	}
	if got := cell("holders"); got != "1" {
		t.Errorf("the held stream's holders show %q, want 1", got)
	}
	if got := cell("holder"); !strings.Contains(got, holder) || !strings.Contains(got, "lease 30s") || !strings.Contains(got, " left") {
		t.Errorf("the holder shows %q, want its name, lease 30s and the time left", got)
	}
	b.screenshot("ephemeral")
	if err := hold.Close(); err != nil {
		t.Fatalf("end the hold on %s: %v", scratch, err)
	}
	logRow := fmt.Sprintf(`document.querySelector('#cleanup-table tr[data-name=%q]')`, scratch)
	b.waitFor("the deletion in the cleanup log", fmt.Sprintf(`!!%s && !%s && !!document.getElementById("ephemeral-empty")`, logRow, erow), 20*time.Second)
	if _, err := c.GetStream(clienttest.Ctx(t, 10*time.Second), scratch); !errors.Is(err, braid.ErrNotFound) {
		t.Errorf("GetStream %s after the cleanup log shows its deletion: %v, want not found", scratch, err)
	}
	logCell := func(class string) string {
		return b.text(fmt.Sprintf(`#cleanup-table tr[data-name=%q] .%s`, scratch, class))
	}
	if got := logCell("kind"); got != "stream" {
		t.Errorf("the cleanup log's kind shows %q, want stream", got)
	}
	if got := logCell("rule"); got != "ephemeral" {
		t.Errorf("the cleanup log's rule shows %q, want ephemeral", got)
	}
	if got := logCell("reason"); got != "the last holder detached" {
		t.Errorf("the cleanup log's reason shows %q, want the last holder detached", got)
	}
	b.screenshot("ephemeral-cleanup")

	// Queries (TestQueries drives them): the empty list, and the deploy
	// form with an example over the stream.
	b.route("/queries")
	b.waitFor("the queries page", `document.body.dataset.page === "queries" && !!document.getElementById("queries-empty") && (document.getElementById("query-form") || {dataset: {}}).dataset.ready === "true"`, 20*time.Second)
	var example string
	json.Unmarshal(b.eval(`document.getElementById("query-sql").value`), &example)
	if !strings.Contains(example, "FROM demo.orders") {
		t.Errorf("the queries page's example is not over %s:\n%s", stream, example)
	}
	b.screenshot("queries-empty")
}
