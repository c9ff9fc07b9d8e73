package httpapi

import (
	"net/http"
	"strings"

	"github.com/braidstream/braid/internal/auth"
)

// The dashboard's login: POST /v1/login trades a token for the session
// cookie, POST /v1/logout clears it, GET /v1/whoami says who the caller
// is; GET /login is the login page. Without Config.Auth there is nothing
// to log in to: the dashboard is open, as is the API.

// loginRequest is the body of POST /v1/login.
type loginRequest struct {
	Token string `json:"token"`
}

// whoamiJSON answers GET /v1/whoami.
type whoamiJSON struct {
	// Auth is false when the server does not authenticate (every request
	// may do everything; Name is then empty).
	Auth    bool                 `json:"auth"`
	Name    string               `json:"name"`
	Admin   bool                 `json:"admin"`
	Metrics bool                 `json:"metrics"`
	Roles   map[string]auth.Role `json:"roles"`
}

// authRoutes are the login, the logout and who the caller is.
func (a *API) authRoutes() []route {
	return []route{{
		Method: "POST", Path: "/v1/login", Tag: "auth",
		Summary: "Log in to the dashboard: trade a token for the session cookie " + SessionCookie + " (HttpOnly, SameSite=Strict, 12 h; Secure over TLS), " +
			"which authenticates the requests of the browser from then on. A token that is no user's is a 401; a request from another origin (Origin or Sec-Fetch-Site) a 403.",
		Request:   &body{Desc: `{"token": "braid_…"}`, Content: []string{"application/json"}, Required: true},
		Responses: map[string]response{"204": {Desc: "logged in: Set-Cookie " + SessionCookie}},
		Access:    public(),
		Handler:   a.login,
	}, {
		Method: "POST", Path: "/v1/logout", Tag: "auth",
		Summary:   "Log out of the dashboard: clear the session cookie (the token stays valid for its other uses)",
		Responses: map[string]response{"204": {Desc: "logged out: the cookie is cleared"}},
		Access:    public(),
		Handler:   a.logout,
	}, {
		Method: "GET", Path: "/v1/whoami", Tag: "auth",
		Summary:   "Who the caller is: its user name, whether it is a cluster admin or may read /metrics, and its role per scope (\"*\": every scope)",
		Responses: jsonOK(`{"auth": true (false: the server does not authenticate), "name", "admin", "metrics", "roles": {"scope": "read" | "write" | "admin"}}`),
		Access:    anyUser(),
		Handler:   a.whoami,
	}}
}

// sessionCookie is the session cookie holding value, kept for maxAge
// seconds (negative: cleared).
func (a *API) sessionCookie(value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: SessionCookie, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteStrictMode}
}

func (a *API) login(w http.ResponseWriter, r *http.Request) error {
	if a.auth == nil {
		return badRequest("this server does not authenticate: there is nothing to log in to")
	}
	if !originAllowed(r) {
		return a.deny(r, errCrossSite)
	}
	if r.TLS == nil && !loopbackPeer(r.RemoteAddr) {
		ae := unauthenticated("a token sent without TLS is taken from this machine only: log in over https")
		a.authFailed(r, reasonBadToken, ae)
		return ae
	}
	var req loginRequest
	if err := a.decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	if strings.TrimSpace(req.Token) == "" {
		return badRequest(`token is required: {"token": "braid_…"} (braid auth add-user or braid auth token print one)`)
	}
	id, err := a.auth.Authenticate(strings.TrimSpace(req.Token))
	if err != nil {
		ae := unauthenticated("invalid token: it is no user's (unknown, revoked or mistyped)")
		a.authFailed(r, reasonBadToken, ae)
		return ae
	}
	http.SetCookie(w, a.sessionCookie(strings.TrimSpace(req.Token), SessionMaxAge))
	w.Header().Set("Cache-Control", "no-store")
	a.log.Info("dashboard login", "user", id.Name, "remote", r.RemoteAddr)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) logout(w http.ResponseWriter, r *http.Request) error {
	if !originAllowed(r) {
		return a.deny(r, errCrossSite)
	}
	http.SetCookie(w, a.sessionCookie("", -1))
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) whoami(w http.ResponseWriter, r *http.Request) error {
	if a.auth == nil {
		writeJSON(w, http.StatusOK, whoamiJSON{Roles: map[string]auth.Role{}})
		return nil
	}
	id := callerOf(r).id
	writeJSON(w, http.StatusOK, whoamiJSON{Auth: true, Name: id.Name, Admin: id.IsAdmin(), Metrics: id.Can(auth.PermMetrics, ""), Roles: id.Roles()})
	return nil
}

// Paths of the login page and the files it needs, which a visitor
// without a session may fetch.
var loginFiles = map[string]bool{"/login": true, "/login.html": true, "/login.js": true, "/app.css": true, "/favicon.svg": true}

// dashboardHandler serves the dashboard's files. With authentication, a
// visitor without a valid session (cookie or token) is sent to /login,
// except for the login page's own files; /login itself is login.html.
func (a *API) dashboardHandler(files http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/login" {
			if a.auth == nil && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
				http.Redirect(w, r, "/", http.StatusSeeOther) // nothing to log in to
				return
			}
			r2 := r.Clone(r.Context())
			r2.URL.Path = "/login.html"
			r2.URL.RawPath = ""
			files.ServeHTTP(w, r2)
			return
		}
		if a.auth == nil || loginFiles[r.URL.Path] || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
			// Other methods are refused by the files' handler (405).
			files.ServeHTTP(w, r)
			return
		}
		if _, reason, err := a.credentials(r); err != nil {
			// A first visit is no failure; a session gone bad is.
			if reason != reasonMissing {
				a.authFailed(r, reason, err)
			}
			w.Header().Set("Cache-Control", "no-store")
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		files.ServeHTTP(w, r)
	})
}
