package httpapi

import (
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/braidstream/braid/internal/auth"
)

// TestEveryRouteHasAccessRule: every route of the table has an access
// rule, and a scope permission without a needs function is on a path
// with {scope}.
func TestEveryRouteHasAccessRule(t *testing.T) {
	a := &API{}
	for _, rt := range a.routes() {
		ac := rt.Access
		switch {
		case ac.kind == accessUnset:
			t.Errorf("%s %s has no access rule", rt.Method, rt.Path)
		case ac.kind == accessPerm && ac.needs == nil && (ac.perm == auth.PermRead || ac.perm == auth.PermWrite || ac.perm == auth.PermAdmin) &&
			!strings.Contains(rt.Path, "{scope}"):
			t.Errorf("%s %s needs %s on {scope}, which its path lacks", rt.Method, rt.Path, ac.perm)
		case ac.kind == accessPublic && rt.Path != "/v1/login" && rt.Path != "/v1/logout":
			t.Errorf("%s %s is public", rt.Method, rt.Path)
		}
	}
}

// TestRouteWithoutRuleRefused: a route without an access rule is refused,
// with authentication and without.
func TestRouteWithoutRuleRefused(t *testing.T) {
	for _, withAuth := range []bool{false, true} {
		a := &API{log: slog.New(slog.DiscardHandler)}
		if withAuth {
			a.auth = auth.StaticStore(&auth.Users{})
		}
		called := false
		h := a.serve(a.guard(route{Method: "GET", Path: "/v1/new", Handler: func(w http.ResponseWriter, r *http.Request) error {
			called = true
			return nil
		}}))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/v1/new", nil))
		if rec.Code != http.StatusForbidden || called || !strings.Contains(rec.Body.String(), "no access rule") {
			t.Errorf("auth %v: a route without a rule answered %d %s (handler called: %v)", withAuth, rec.Code, rec.Body, called)
		}
	}
}

// TestSameOrigin: the CSRF check's reading of Sec-Fetch-Site and Origin.
func TestSameOrigin(t *testing.T) {
	for _, tc := range []struct {
		headers    []string
		tls        bool
		same, open bool // sameOrigin, originAllowed
	}{
		{nil, false, false, true},
		{[]string{"Sec-Fetch-Site", "same-origin"}, false, true, true},
		{[]string{"Sec-Fetch-Site", "none"}, false, true, true},
		{[]string{"Sec-Fetch-Site", "same-site", "Origin", "http://braid.test:8080"}, false, false, false},
		{[]string{"Sec-Fetch-Site", "cross-site"}, false, false, false},
		{[]string{"Origin", "http://braid.test:8080"}, false, true, true},
		{[]string{"Origin", "HTTP://BRAID.TEST:8080"}, false, true, true},
		{[]string{"Origin", "https://braid.test:8080"}, false, false, false},
		{[]string{"Origin", "https://braid.test:8080"}, true, true, true},
		{[]string{"Origin", "http://braid.test:8081"}, false, false, false},
		{[]string{"Origin", "http://evil.example"}, false, false, false},
		{[]string{"Origin", "null"}, false, false, false},
	} {
		r := httptest.NewRequest("POST", "http://braid.test:8080/v1/x", nil)
		if tc.tls {
			r.TLS = &tls.ConnectionState{}
		}
		for i := 0; i+1 < len(tc.headers); i += 2 {
			r.Header.Set(tc.headers[i], tc.headers[i+1])
		}
		if got := sameOrigin(r); got != tc.same {
			t.Errorf("%q (tls %v): sameOrigin %v, want %v", tc.headers, tc.tls, got, tc.same)
		}
		if got := originAllowed(r); got != tc.open {
			t.Errorf("%q (tls %v): originAllowed %v, want %v", tc.headers, tc.tls, got, tc.open)
		}
	}
}

// TestClientCertificate: a verified client certificate authenticates as
// the user of its common name (an ambient credential); one of no user is
// refused.
func TestClientCertificate(t *testing.T) {
	u := &auth.Users{}
	if err := u.Add(auth.User{Name: "svc", Scopes: map[string]auth.Role{"demo": auth.RoleRead}}); err != nil {
		t.Fatal(err)
	}
	a := &API{auth: auth.StaticStore(u)}
	req := func(cn string) *http.Request {
		r := httptest.NewRequest("GET", "/v1/scopes", nil)
		r.TLS = &tls.ConnectionState{VerifiedChains: [][]*x509.Certificate{{{Subject: pkix.Name{CommonName: cn}}}}}
		return r
	}
	c, _, err := a.credentials(req("svc"))
	if err != nil || c.id.Name != "svc" || !c.ambient || !c.id.Can(auth.PermRead, "demo") {
		t.Errorf("the certificate of svc: %+v %v", c, err)
	}
	if _, reason, err := a.credentials(req("nobody")); err == nil || reason != reasonUnknownCert {
		t.Errorf("the certificate of nobody: %s %v", reason, err)
	}
	// An unverified certificate is no credential.
	r := httptest.NewRequest("GET", "/v1/scopes", nil)
	r.TLS = &tls.ConnectionState{PeerCertificates: []*x509.Certificate{{Subject: pkix.Name{CommonName: "svc"}}}}
	if _, reason, err := a.credentials(r); err == nil || reason != reasonMissing {
		t.Errorf("an unverified certificate: %s %v", reason, err)
	}
}
