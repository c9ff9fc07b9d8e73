package browser

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	dto "github.com/prometheus/client_model/go"

	"github.com/braidstream/braid/internal/auth"
	"github.com/braidstream/braid/internal/clienttest"
	"github.com/braidstream/braid/internal/dashboard"
	"github.com/braidstream/braid/internal/httpapi"
	"github.com/braidstream/braid/internal/promtext"
	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

// scrapeGatherer gathers a server's metrics from its /metrics, for a
// dashboard sampler outside the server.
type scrapeGatherer string

func (u scrapeGatherer) Gather() ([]*dto.MetricFamily, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	set, err := promtext.Scrape(ctx, http.DefaultClient, string(u))
	if err != nil {
		return nil, err
	}
	out := make([]*dto.MetricFamily, 0, len(set))
	for _, f := range set {
		out = append(out, f)
	}
	return out, nil
}

// seen is a request to a state-changing route, as the server got it.
type seen struct {
	method, path, site, origin string
	cookie                     bool
	status                     int
}

// statusWriter keeps a response's status; Unwrap lets the API reach the
// connection's deadlines and flushes through it.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// waitNav waits, as waitFor does, for a predicate that holds once the
// page navigated: evaluations that fail while the page changes are tried
// again.
func (b *browser) waitNav(what, expr string, d time.Duration) {
	b.t.Helper()
	deadline := time.Now().Add(d)
	for {
		ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			b.screenshot("failed-" + strings.ReplaceAll(what, " ", "-"))
			b.t.Fatalf("waiting %v for %s (%s): last %v, %v", d, what, expr, ok, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestLogin drives the dashboard's login against a server that
// authenticates: an anonymous visitor is sent to the login page; a bad
// token is refused with a message; the right one opens the overview,
// which names the user; a page of another origin that forges requests to
// the server (a fetch with the cookie, a form post) is refused and
// changes nothing; logging out ends the session.
//
// server.Config has no users file here: the test serves an
// authenticating HTTP API of its own over the server's client.
func TestLogin(t *testing.T) {
	findChromium(t)
	ts := servertest.New(t, server.Config{})
	c := clienttest.Dial(t, ts.GRPCAddr())
	const stream = "demo/orders"
	clienttest.CreateStream(t, c, stream, 2)
	writeContinuously(t, c, stream)

	users := &auth.Users{}
	token, hash, err := auth.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if err := users.Add(auth.User{Name: "alice", TokenSHA256: hash, Scopes: map[string]auth.Role{"demo": auth.RoleAdmin}}); err != nil {
		t.Fatal(err)
	}

	// A sampler of the server's metrics, for the overview's charts.
	sampler := dashboard.NewSampler(scrapeGatherer("http://"+ts.HTTPAddr()+"/metrics"), nil, slog.New(slog.DiscardHandler))
	sctx, scancel := context.WithCancel(context.Background())
	var swg sync.WaitGroup
	swg.Add(1)
	go func() { defer swg.Done(); sampler.Run(sctx) }()
	t.Cleanup(func() { scancel(); swg.Wait() })

	ready := &atomic.Bool{}
	ready.Store(true)
	api := httpapi.New(httpapi.Config{Client: c, Ready: ready, Auth: auth.StaticStore(users), Series: sampler,
		Server: httpapi.ServerInfo{Version: "test", StartedAt: time.Now(), DataDir: t.TempDir(), FsyncMode: "always", Containers: 1, Tier2Kind: "directory", Tier2Location: "(test)"}})
	var mu sync.Mutex
	var changes []seen
	braidSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		api.ServeHTTP(sw, r)
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			ck, _ := r.Cookie(httpapi.SessionCookie)
			mu.Lock()
			changes = append(changes, seen{method: r.Method, path: r.URL.Path, site: r.Header.Get("Sec-Fetch-Site"),
				origin: r.Header.Get("Origin"), cookie: ck != nil && ck.Value == token, status: sw.status})
			mu.Unlock()
		}
	}))
	t.Cleanup(braidSrv.Close)
	t.Cleanup(api.Close)
	base := braidSrv.URL

	// Another origin (another port: same site, so the SameSite=Strict
	// cookie goes along, and only the server's origin check stands in
	// the way) whose page forges a seal of the stream: a fetch with
	// credentials, then a form post.
	sealURL := base + "/v1/streams/" + stream + "/seal"
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html><body><h1>A page of another origin</h1>
<form id="forge" method="POST" action=%q enctype="text/plain"><input type="hidden" name="x" value="y"></form>
<script>
window.forged = "pending";
fetch(%q, {method: "POST", mode: "no-cors", credentials: "include", body: "{}"})
  .then(() => { window.forged = "sent"; }, (e) => { window.forged = "failed: " + e; });
</script></body></html>`, sealURL, sealURL)
	}))
	t.Cleanup(evil.Close)

	b := newBrowser(t, base)

	// An anonymous visitor is sent to the login page.
	b.open("", "/streams")
	b.waitNav("the login page", `location.pathname === "/login" && !!document.getElementById("token")`, 20*time.Second)
	if h := b.evalString(`location.hash`); h != "#/streams" {
		t.Errorf("the login page's hash is %q, want the page asked for (#/streams)", h)
	}
	b.screenshot("login")
	b.colorScheme("dark")
	b.waitFor("the dark colours", `getComputedStyle(document.body).backgroundColor !== "rgb(246, 247, 249)"`, 10*time.Second)
	b.screenshot("login-dark")
	b.colorScheme("light")

	// A bad token is refused, saying so.
	b.typeInto("#token", "braid_not-a-real-token")
	b.click("#login-submit")
	b.waitFor("the bad token's message", `!document.getElementById("login-error").hidden && document.getElementById("login-error").textContent.includes("not valid")`, 10*time.Second)
	if p := b.evalString(`location.pathname`); p != "/login" {
		t.Errorf("after a bad token the page is %s", p)
	}
	b.screenshot("login-bad-token")

	// The right token opens the page asked for, then the overview names
	// the user.
	b.typeInto("#token", token)
	b.click("#login-submit")
	b.waitNav("the streams page", `location.pathname === "/" && location.hash === "#/streams" && !!document.querySelector('#streams-table tr[data-stream="demo/orders"]')`, 20*time.Second)
	b.route("/")
	b.waitFor("the user's name", `(document.getElementById("user-name") || {}).textContent === "alice" && !document.getElementById("user-box").hidden`, 20*time.Second)
	b.waitFor("the version on the overview", `document.getElementById("version").textContent.startsWith("braid ")`, 20*time.Second)
	b.waitFor("appends per second on the overview", `/^[0-9]/.test(document.getElementById("t-appends").textContent)`, 30*time.Second)
	b.waitFor("a few seconds of points", `(+(document.querySelector("#main .chart svg") || {dataset: {}}).dataset.points || 0) >= 5`, 30*time.Second)
	if b.evalString(`document.cookie`) != "" {
		t.Errorf("the page's script sees the cookies %q: the session cookie must be HttpOnly", b.evalString(`document.cookie`))
	}
	b.screenshot("overview-logged-in")

	// The page of another origin forges requests: refused.
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	if err := chromedp.Do(ctx, chromedp.Navigate(evil.URL)); err != nil {
		cancel()
		t.Fatalf("navigate to the other origin: %v", err)
	}
	cancel()
	b.waitFor("the forged fetch", `window.forged !== "pending"`, 10*time.Second)
	if f := b.evalString(`window.forged`); f != "sent" {
		t.Errorf("the forged fetch: %s", f)
	}
	b.eval(`document.getElementById("forge").submit(), 1`)
	b.waitNav("the refusal of the forged form", fmt.Sprintf(`location.origin === %q && document.body.innerText.includes("cross-site request refused")`, base), 20*time.Second)
	b.screenshot("csrf-refused")
	mu.Lock()
	var forged []seen
	for _, s := range changes {
		if s.path == "/v1/streams/"+stream+"/seal" {
			forged = append(forged, s)
		}
	}
	mu.Unlock()
	if len(forged) != 2 {
		t.Errorf("the server got %d forged seals, want 2 (the fetch and the form): %+v", len(forged), forged)
	}
	for _, s := range forged {
		if !s.cookie || s.status != http.StatusForbidden || s.site == "same-origin" {
			t.Errorf("a forged seal: %+v, want it with the session cookie and refused (403)", s)
		}
	}
	info, err := c.GetStream(context.Background(), stream)
	if err != nil || info.Sealed {
		t.Errorf("the stream after the forged seals: sealed %v, %v", info.Sealed, err)
	}

	// Logging out ends the session.
	b.open("", "/")
	b.waitFor("the logout button", `!!document.getElementById("logout")`, 20*time.Second)
	b.click("#logout")
	b.waitNav("the login page after logging out", `location.pathname === "/login"`, 10*time.Second)
	b.open("", "/")
	b.waitNav("the login page again", `location.pathname === "/login"`, 10*time.Second)
	mu.Lock()
	for _, s := range changes {
		if s.path == "/v1/logout" && (s.status != http.StatusNoContent || s.site != "same-origin") {
			t.Errorf("the logout: %+v", s)
		}
		if s.path == "/v1/login" && strings.Contains(s.origin, strings.TrimPrefix(evil.URL, "http://")) {
			t.Errorf("a login from the other origin: %+v", s)
		}
	}
	mu.Unlock()
}
