// Package limits counts the times clients meet one of the server's limits,
// so that an operator sees in /metrics which limit bites and how often.
//
// Every limit the server enforces on a client (body and event sizes, ack
// windows, slow consumers, connection counts, quotas, event-number gaps,
// bad commits) calls Hit with its own name when it refuses or cuts off a
// client. The names are the server flags that set the limits, without
// the leading "--" (for example "http-max-body"), or for a fixed
// limit a short name of its own; docs/operations.md lists them all.
package limits

import (
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// Hits counts limit hits by limit name. A nil *Hits counts nothing, so
// that components built without metrics (in tests) need no special case.
type Hits struct {
	vec *prometheus.CounterVec
}

// New returns a Hits registered with reg as braid_limit_hits_total.
func New(reg prometheus.Registerer) *Hits {
	h := &Hits{vec: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "braid_limit_hits_total",
		Help: "Times a client met a server limit and was refused, slowed or disconnected, by limit.",
	}, []string{"limit"})}
	if reg != nil {
		reg.MustRegister(h.vec)
	}
	return h
}

// Hit counts one hit of the named limit.
func (h *Hits) Hit(limit string) {
	if h == nil {
		return
	}
	h.vec.WithLabelValues(limit).Inc()
}

// Count is how many hits the named limit has had (for tests).
func (h *Hits) Count(limit string) float64 {
	if h == nil {
		return 0
	}
	var m dto.Metric
	if err := h.vec.WithLabelValues(limit).Write(&m); err != nil || m.Counter == nil {
		return 0
	}
	return m.Counter.GetValue()
}
