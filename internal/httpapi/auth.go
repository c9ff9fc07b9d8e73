package httpapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"

	"github.com/braidstream/braid/internal/auth"
	"github.com/braidstream/braid/wire"
)

// Authentication and authorization of the HTTP surface (Config.Auth).
//
// Every request but the probes, the login page and its files, and POST
// /v1/login and /v1/logout needs a user: a token in "Authorization: Bearer <token>", the dashboard's
// session cookie (braid_session, set by POST /v1/login), or a client
// certificate whose common name is a user's (when the port serves TLS
// and verifies client certificates). Every route of routes() carries an
// access rule (route.Access): who may call it, and on which scope. A
// route without one is refused, with or without authentication, so that
// a route added without a rule fails its tests rather than being open.
//
// A state-changing request (POST, PUT, PATCH, DELETE) authenticated by an
// ambient credential (the cookie, a client certificate), which a browser
// sends by itself, must come from the server's own origin: see
// sameOrigin.

// SessionCookie is the name of the dashboard's session cookie. Its value
// is the user's token.
const SessionCookie = "braid_session"

// SessionMaxAge is how long a browser keeps the session cookie.
const SessionMaxAge = 12 * 60 * 60 // seconds: 12 h

// AuthCounter counts what authentication refuses, for the server's
// metrics (braid_auth_failures_total, braid_auth_denied_total). The
// surface is "http". Failure's reasons: "no_credentials" (none given),
// "bad_token" (a token, in the Authorization header, the session cookie
// or a login, that is no user's, or an Authorization header that is not
// "Bearer <token>") and "unknown_certificate" (a verified client
// certificate whose common name is no user's). Denied counts the requests
// of authenticated users that their roles do not allow, and the
// cross-site requests refused.
type AuthCounter interface {
	Failure(surface, reason string)
	Denied(surface string)
}

// Failure reasons (AuthCounter.Failure).
const (
	reasonMissing     = "no_credentials"
	reasonBadToken    = "bad_token" // also a malformed Authorization header
	reasonUnknownCert = "unknown_certificate"
)

// accessKind says what a route's access rule asks for.
type accessKind uint8

const (
	// accessUnset is a route without a rule: refused.
	accessUnset accessKind = iota
	// accessPublic needs no credentials.
	accessPublic
	// accessUser needs an authenticated user, whatever its roles.
	accessUser
	// accessListing needs an authenticated user; the handler shows only
	// what it may read (API.visible).
	accessListing
	// accessPerm needs a permission, on the scopes the rule finds.
	accessPerm
)

// access is a route's access rule.
type access struct {
	kind accessKind
	// perm is what the rule needs (accessPerm): on the {scope} path value
	// unless needs says otherwise; PermCluster, PermMetrics and PermPprof
	// are about no scope.
	perm auth.Perm
	// of says, for people (the OpenAPI document), where the scope comes
	// from when it is not the {scope} path value.
	of string
	// needs finds what the request needs when the scope is not the
	// {scope} path value (nil: perm on {scope}). It may read the body
	// (peekJSON) and look things up through the client; its errors are
	// answered as they are (a 404 for a job that does not exist).
	needs needsFunc
}

// need is one permission a request needs.
type need struct {
	perm  auth.Perm
	scope string
}

// needsFunc finds what a request needs. An empty answer needs an
// authenticated user only (used where the handler refuses the request
// before it touches any stream).
type needsFunc func(w http.ResponseWriter, r *http.Request) ([]need, error)

// public is the rule of a route open to anyone.
func public() access { return access{kind: accessPublic} }

// anyUser is the rule of a route any authenticated user may call.
func anyUser() access { return access{kind: accessUser} }

// listing is the rule of a listing: any authenticated user, who sees only
// what it may read.
func listing() access { return access{kind: accessListing} }

// needs is the rule of a route that needs p on its {scope} path value
// (or, for PermCluster, PermMetrics and PermPprof, on no scope).
func needs(p auth.Perm) access { return access{kind: accessPerm, perm: p} }

// needsOf is the rule of a route that needs p (at least; f may add more)
// on a scope f finds; of says where from, for the document.
func needsOf(p auth.Perm, of string, f needsFunc) access {
	return access{kind: accessPerm, perm: p, of: of, needs: f}
}

// String describes the rule, for the OpenAPI document and test failures.
func (ac access) String() string {
	switch ac.kind {
	case accessPublic:
		return "public: no credentials needed"
	case accessUser:
		return "any authenticated user"
	case accessListing:
		return "any authenticated user; lists only what the user may read"
	case accessPerm:
		switch ac.perm {
		case auth.PermCluster:
			return "cluster admins"
		case auth.PermMetrics:
			return "metrics users and cluster admins"
		case auth.PermPprof:
			return "cluster admins"
		}
		of := ac.of
		if of == "" {
			of = "the {scope} of the path"
		}
		return ac.perm.String() + " on " + of
	}
	return "none: refused"
}

// caller is who made a request, as credentials found.
type caller struct {
	id auth.Identity
	// ambient: the credential is one a browser sends by itself (the
	// session cookie, a client certificate), so a state-changing request
	// must prove that it comes from this origin.
	ambient bool
}

type callerKey struct{}

// callerOf returns the request's caller (Anonymous when there is none).
func callerOf(r *http.Request) caller {
	c, _ := r.Context().Value(callerKey{}).(caller)
	return c
}

// visible reports whether the request's caller may see scope in a
// listing: always when the API does not authenticate.
func (a *API) visible(r *http.Request, scope string) bool {
	if a.auth == nil {
		return true
	}
	return callerOf(r).id.VisibleScope(scope)
}

// loopbackPeer reports whether a remote address is on this machine.
func loopbackPeer(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// unauthenticated is a 401.
func unauthenticated(format string, args ...any) *apiError {
	return errorf(wire.CodeUnauthenticated, format, args...)
}

// credentials finds who made r, without counting or logging: the
// identity, whether its credential is ambient, and, for a refusal, the
// reason (AuthCounter) and the error to answer. Without credentials it is
// a refusal with reason "no_credentials". The Authorization header comes
// first, then the session cookie, then a verified client certificate.
func (a *API) credentials(r *http.Request) (c caller, reason string, err error) {
	_, cookieErr := r.Cookie(SessionCookie)
	if r.TLS == nil && !loopbackPeer(r.RemoteAddr) && (len(r.Header.Values("Authorization")) > 0 || cookieErr == nil) {
		// A token that crossed the network in clear text is not taken
		// (only a server run with --insecure listens there without TLS).
		return caller{}, reasonBadToken, unauthenticated("a token sent without TLS is taken from this machine only: connect with https")
	}
	if hs := r.Header.Values("Authorization"); len(hs) > 0 {
		if len(hs) > 1 {
			return caller{}, reasonBadToken, unauthenticated("more than one Authorization header: send one, \"Authorization: Bearer <token>\"")
		}
		token, err := auth.ParseAuthorization(hs[0])
		if errors.Is(err, auth.ErrNoCredentials) {
			return caller{}, reasonMissing, unauthenticated("the Authorization header is empty: send \"Authorization: Bearer <token>\"")
		}
		if err != nil {
			return caller{}, reasonBadToken, unauthenticated("%s", strings.TrimPrefix(err.Error(), "auth: "))
		}
		id, err := a.auth.Authenticate(token)
		if err != nil {
			return caller{}, reasonBadToken, unauthenticated("invalid token: it is no user's (unknown, revoked or mistyped)")
		}
		return caller{id: id}, "", nil
	}
	if ck, err := r.Cookie(SessionCookie); err == nil && ck.Value != "" {
		id, err := a.auth.Authenticate(ck.Value)
		if err != nil {
			return caller{}, reasonBadToken, unauthenticated("the session is no longer valid (its token was revoked or changed): log in again at /login")
		}
		return caller{id: id, ambient: true}, "", nil
	}
	if r.TLS != nil && len(r.TLS.VerifiedChains) > 0 && len(r.TLS.VerifiedChains[0]) > 0 {
		cn := r.TLS.VerifiedChains[0][0].Subject.CommonName
		id, ok := a.auth.ByName(cn)
		if !ok {
			return caller{}, reasonUnknownCert, unauthenticated("the client certificate's common name %q is no user's", cn)
		}
		return caller{id: id, ambient: true}, "", nil
	}
	return caller{}, reasonMissing, unauthenticated("no credentials: send \"Authorization: Bearer <token>\" (a token of braid auth), or log in to the dashboard at /login")
}

// authFailed counts and logs a refused credential, at warn, with the
// client's address and what was wrong (err's message, which never holds a
// token).
func (a *API) authFailed(r *http.Request, reason string, err error) {
	if a.authCount != nil {
		a.authCount.Failure("http", reason)
	}
	a.log.Warn("http authentication failed", "reason", reason, "remote", r.RemoteAddr,
		"method", r.Method, "path", r.URL.Path, "err", err.Error())
}

// deny counts and logs a refusal of an authenticated request, and makes
// it the 403 to answer.
func (a *API) deny(r *http.Request, err error) *apiError {
	if a.authCount != nil {
		a.authCount.Denied("http")
	}
	a.log.Warn("http request denied", "user", callerOf(r).id.String(), "remote", r.RemoteAddr,
		"method", r.Method, "path", r.URL.Path, "err", err.Error())
	return &apiError{Code: wire.CodePermissionDenied, Message: err.Error()}
}

// admit runs a request's access rule: it authenticates the request (the
// returned request carries the caller), refuses a cross-site request made
// with an ambient credential, and checks the rule's permissions. pattern
// names the route, for the log of a route without a rule.
func (a *API) admit(w http.ResponseWriter, r *http.Request, ac access, pattern string) (*http.Request, error) {
	if ac.kind == accessUnset {
		// A bug: every route has a rule. Refused even without
		// authentication, so that the tests see it.
		a.log.Error("http route has no access rule: refused", "route", pattern, "method", r.Method, "path", r.URL.Path)
		if a.authCount != nil {
			a.authCount.Denied("http")
		}
		return r, &apiError{Code: wire.CodePermissionDenied,
			Message: fmt.Sprintf("route %s has no access rule, so it is refused (a bug in braid: please report it)", pattern)}
	}
	// Browsers' requests, with or without authentication: a page of
	// another site may not change anything here (a server on loopback
	// without users would otherwise take any page's POST), nor reach a
	// loopback server by a name of its own (DNS rebinding).
	if !safeMethod(r.Method) && !originAllowed(r) {
		return r, a.deny(r, errOtherSite)
	}
	if a.auth == nil && !loopbackHost(r) {
		return r, a.deny(r, rebindingRefused(r.Host))
	}
	if a.auth == nil || ac.kind == accessPublic {
		return r, nil
	}
	c, reason, err := a.credentials(r)
	if err != nil {
		a.authFailed(r, reason, err)
		return r, err
	}
	r = r.WithContext(context.WithValue(r.Context(), callerKey{}, c))
	if c.ambient && !safeMethod(r.Method) && !sameOrigin(r) {
		return r, a.deny(r, errCrossSite)
	}
	if ac.kind != accessPerm {
		return r, nil
	}
	var ns []need
	if ac.needs == nil {
		scope := ""
		if ac.perm == auth.PermRead || ac.perm == auth.PermWrite || ac.perm == auth.PermAdmin {
			scope = r.PathValue("scope")
		}
		ns = []need{{ac.perm, scope}}
	} else if ns, err = ac.needs(w, r); err != nil {
		return r, err
	}
	for _, n := range ns {
		if err := c.id.Check(n.perm, n.scope); err != nil {
			return r, a.deny(r, err)
		}
	}
	return r, nil
}

// guard is the handler of a route: its access rule, then its handler.
func (a *API) guard(rt route) handler {
	pattern := rt.Method + " " + rt.Path
	return func(w http.ResponseWriter, r *http.Request) error {
		r, err := a.admit(w, r, rt.Access, pattern)
		if err != nil {
			return err
		}
		return rt.Handler(w, r)
	}
}

// guardHTTP puts an access rule before a handler that is not a route of
// routes() (/metrics, /debug/pprof/); refusals are JSON errors.
func (a *API) guardHTTP(ac access, pattern string, h http.Handler) http.Handler {
	return a.serve(func(w http.ResponseWriter, r *http.Request) error {
		r, err := a.admit(w, r, ac, pattern)
		if err != nil {
			return err
		}
		h.ServeHTTP(w, r)
		return nil
	})
}

// errCrossSite refuses a state-changing request with an ambient
// credential from another origin.
var errCrossSite = errors.New("cross-site request refused: a request that changes something, authenticated by the session cookie " +
	"or a client certificate, must come from this server's own pages (Sec-Fetch-Site: same-origin, or an Origin header of this server); " +
	"scripts send \"Authorization: Bearer <token>\" instead")

// errOtherSite refuses a state-changing request a browser sent from a
// page of another site.
var errOtherSite = errors.New("cross-site request refused: a page of another site may not change anything on this server " +
	"(the request's Origin or Sec-Fetch-Site header says it came from elsewhere)")

// safeMethod reports whether m changes nothing by convention.
func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// sameOrigin reports whether a browser says r comes from the server's own
// origin: Sec-Fetch-Site same-origin (or none: the user's own
// navigation) when the browser sends it, else an Origin header equal to
// the request's scheme://host. A request with neither is refused: every
// browser sends one of them on such requests.
func sameOrigin(r *http.Request) bool {
	if s := r.Header.Get("Sec-Fetch-Site"); s != "" {
		return s == "same-origin" || s == "none"
	}
	o := r.Header.Get("Origin")
	return o != "" && strings.EqualFold(o, requestOrigin(r))
}

// originAllowed is the check of POST /v1/login and /v1/logout, which any
// client may call: the headers sameOrigin reads must not say another
// origin when present; a request without them (curl) passes.
func originAllowed(r *http.Request) bool {
	if s := r.Header.Get("Sec-Fetch-Site"); s != "" {
		return s == "same-origin" || s == "none"
	}
	o := r.Header.Get("Origin")
	return o == "" || strings.EqualFold(o, requestOrigin(r))
}

// rebindingRefused refuses a request to a loopback server that names
// another host.
func rebindingRefused(host string) error {
	return fmt.Errorf("the request names host %q, but this server listens on this machine only, without users: use localhost or 127.0.0.1 (DNS rebinding refused)", host)
}

// loopbackHost reports whether a request reached over a loopback
// connection names a loopback host (requests over other connections pass:
// only a server with users and TLS, or --insecure, listens there).
func loopbackHost(r *http.Request) bool {
	la, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok || !loopbackPeer(la.String()) {
		return true
	}
	host := r.Host
	if h, _, err := net.SplitHostPort(r.Host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") || host == "" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// requestOrigin is the origin r was sent to: scheme://host.
func requestOrigin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// peekJSON decodes the request's JSON body into v as the route's handler
// will (decodeJSON, the same type), for an access rule that reads the
// body, and puts the body back for the handler.
func (a *API) peekJSON(w http.ResponseWriter, r *http.Request, v any, optional bool) error {
	if err := requireMedia(r, "application/json"); err != nil {
		return err
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, a.limits.MaxBodyBytes))
	if err != nil {
		return err
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	err = a.decodeJSON(w, r, v, optional)
	r.Body = io.NopCloser(bytes.NewReader(b))
	return err
}

// scopeOf is the scope of a "scope/name".
func scopeOf(name string) string {
	scope, _, _ := strings.Cut(name, "/")
	return scope
}
