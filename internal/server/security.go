package server

import (
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/braidstream/braid/internal/ephemeral"
	"github.com/braidstream/braid/internal/exportjob"
	"github.com/braidstream/braid/internal/queryjob"
)

// scopeResolver finds the scopes of jobs, queries and holders for the
// gRPC port's authorization.
type scopeResolver struct {
	exports   *exportjob.Manager
	queries   *queryjob.Manager
	ephemeral *ephemeral.Manager
}

func scopeOf(stream string) string {
	scope, _, _ := strings.Cut(stream, "/")
	return scope
}

func (r scopeResolver) ExportScope(name string) (string, error) {
	st, err := r.exports.Get(name)
	if err != nil {
		return "", err
	}
	return scopeOf(st.Job.Stream), nil
}

func (r scopeResolver) QueryScopes(name string) (string, string, error) {
	st, err := r.queries.Get(name)
	if err != nil {
		return "", "", err
	}
	return scopeOf(st.Input), scopeOf(st.Output), nil
}

func (r scopeResolver) SQLScopes(name, text string) (string, string, string, error) {
	in, out, late, err := queryjob.StreamsOf(name, text)
	if err != nil {
		return "", "", "", err
	}
	if late != "" {
		late = scopeOf(late)
	}
	return scopeOf(in), scopeOf(out), late, nil
}

func (r scopeResolver) HolderScope(id string) (string, bool) { return r.ephemeral.HolderScope(id) }

// authCounter counts authentication failures and permission denials
// (braid_auth_failures_total, braid_auth_denied_total).
type authCounter struct {
	failures *prometheus.CounterVec
	denied   *prometheus.CounterVec
}

func newAuthCounter(reg prometheus.Registerer) *authCounter {
	c := &authCounter{
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "braid_auth_failures_total",
			Help: "Requests refused for their credentials, by surface (grpc, http) and reason (no_credentials, bad_token, unknown_certificate).",
		}, []string{"surface", "reason"}),
		denied: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "braid_auth_denied_total",
			Help: "Requests of authenticated callers refused for want of a permission, by surface (grpc, http).",
		}, []string{"surface"}),
	}
	reg.MustRegister(c.failures, c.denied)
	return c
}

func (c *authCounter) Failure(surface, reason string) {
	c.failures.WithLabelValues(surface, reason).Inc()
}
func (c *authCounter) Denied(surface string) { c.denied.WithLabelValues(surface).Inc() }
