// Package dashboard holds braid's live web dashboard: the browser pages
// (plain HTML, CSS and JavaScript embedded in the binary, served at / on
// the HTTP port) and the sampler that keeps the last hour of server-wide
// and per-stream series for them, derived from the server's Prometheus
// registry once a second. The pages read only public JSON routes of the
// HTTP API; docs/dashboard.md describes them.
package dashboard

import (
	"embed"
	"io/fs"
	"net/http"
	"runtime/debug"
	"strings"
)

//go:embed assets
var assets embed.FS

// Handler serves the dashboard's files: / is the page, the rest its
// scripts and styles. Only GET and HEAD are served; an unknown path is a
// 404.
func Handler() http.Handler {
	sub, err := fs.Sub(assets, "assets")
	if err != nil {
		panic(err) // the embedded tree always has assets/
	}
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, r.Method+" is not allowed on "+r.URL.Path, http.StatusMethodNotAllowed)
			return
		}
		if r.URL.Path != "/" && strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r) // no directory listings
			return
		}
		// A new binary's files replace the old ones at once.
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'")
		files.ServeHTTP(w, r)
	})
}

// Version is the binary's version as Go's build information tells it: the
// module version when built as a dependency, else the VCS revision
// (12 hex digits, "+dirty" for a modified tree), else "devel".
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	return "devel-" + rev + dirty
}
