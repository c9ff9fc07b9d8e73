// Package promtext reads a server's Prometheus /metrics (the text format)
// for tools and tests that watch braid from outside: the benchmarks and the
// fault tests.
package promtext

import (
	"context"
	"fmt"
	"io"
	"net/http"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Set is one scrape: metric families by name.
type Set map[string]*dto.MetricFamily

// Parse reads the Prometheus text format.
func Parse(r io.Reader) (Set, error) {
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(r)
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	return Set(fams), nil
}

// Scrape GETs url (a /metrics address) and parses it.
func Scrape(ctx context.Context, hc *http.Client, url string) (Set, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("metrics: GET %s: %s", url, resp.Status)
	}
	s, err := Parse(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", url, err)
	}
	return s, nil
}

// Has reports whether the scrape holds a metric of that name.
func (s Set) Has(name string) bool { return s[name] != nil }

// Sum adds the values of a counter or gauge over the series whose labels
// match the name/value pairs given (all series when none).
func (s Set) Sum(name string, labels ...string) float64 {
	sum := 0.0
	s.each(name, labels, func(v float64) { sum += v })
	return sum
}

// Max is the largest value of the matching series (0 when none).
func (s Set) Max(name string, labels ...string) float64 {
	m, first := 0.0, true
	s.each(name, labels, func(v float64) {
		if first || v > m {
			m, first = v, false
		}
	})
	return m
}

func (s Set) each(name string, labels []string, fn func(float64)) {
	f := s[name]
	if f == nil {
		return
	}
series:
	for _, m := range f.GetMetric() {
		for i := 0; i+1 < len(labels); i += 2 {
			found := false
			for _, lp := range m.GetLabel() {
				if lp.GetName() == labels[i] && lp.GetValue() == labels[i+1] {
					found = true
					break
				}
			}
			if !found {
				continue series
			}
		}
		switch {
		case m.Counter != nil:
			fn(m.Counter.GetValue())
		case m.Gauge != nil:
			fn(m.Gauge.GetValue())
		case m.Untyped != nil:
			fn(m.Untyped.GetValue())
		}
	}
}
