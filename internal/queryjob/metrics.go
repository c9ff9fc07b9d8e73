package queryjob

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// collector reports every query's counters at scrape time, so that a
// deleted query's series go with it.
type collector struct{ m *Manager }

var (
	queryLabels     = []string{"query", "stream"}
	descEventsIn    = prometheus.NewDesc("braid_query_events_in_total", "Events a query read from its input.", queryLabels, nil)
	descMatched     = prometheus.NewDesc("braid_query_events_matched_total", "Events that passed a query's WHERE.", queryLabels, nil)
	descRefused     = prometheus.NewDesc("braid_query_events_refused_total", "Events a query did not take, by reason: bad_json, bad_time, type_error, late, future, max_groups.", append(queryLabels, "reason"), nil)
	descResults     = prometheus.NewDesc("braid_query_results_total", "Results a query wrote to its output stream.", queryLabels, nil)
	descOpen        = prometheus.NewDesc("braid_query_open_windows", "Windows a query holds open.", queryLabels, nil)
	descWMLag       = prometheus.NewDesc("braid_query_watermark_lag_seconds", "How far a query's watermark is behind the wall clock.", queryLabels, nil)
	descLastResult  = prometheus.NewDesc("braid_query_last_result_timestamp_seconds", "When a query last wrote a result (Unix time).", queryLabels, nil)
	descCheckpoints = prometheus.NewDesc("braid_query_checkpoints_total", "Checkpoints a query committed.", queryLabels, nil)
	descQFailures   = prometheus.NewDesc("braid_query_failures_total", "Failed attempts of a query since the server started (each is retried with backoff).", queryLabels, nil)
	descQUp         = prometheus.NewDesc("braid_query_running", "1 while a query runs without failing, 0 otherwise.", queryLabels, nil)
	descHealthy     = prometheus.NewDesc("braid_query_healthy", "1 while a running query's health is ok, 0 while it waits for input, produces no output, drops most events or fails.", queryLabels, nil)
)

func (c collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descEventsIn, descMatched, descRefused, descResults, descOpen, descWMLag, descLastResult, descCheckpoints, descQFailures, descQUp, descHealthy} {
		ch <- d
	}
}

func (c collector) Collect(ch chan<- prometheus.Metric) {
	now := time.Now()
	for _, st := range c.m.List() {
		l := []string{st.Name, st.Input}
		s := st.Stats
		ch <- prometheus.MustNewConstMetric(descEventsIn, prometheus.CounterValue, float64(s.EventsIn), l...)
		ch <- prometheus.MustNewConstMetric(descMatched, prometheus.CounterValue, float64(s.Matched), l...)
		for _, r := range []struct {
			reason string
			n      int64
		}{{"bad_json", s.BadJSON}, {"bad_time", s.BadTime}, {"type_error", s.TypeErrors}, {"late", s.Late}, {"future", s.Future}, {"max_groups", s.DroppedGroups}} {
			ch <- prometheus.MustNewConstMetric(descRefused, prometheus.CounterValue, float64(r.n), append(l, r.reason)...)
		}
		ch <- prometheus.MustNewConstMetric(descResults, prometheus.CounterValue, float64(s.ResultsOut), l...)
		ch <- prometheus.MustNewConstMetric(descOpen, prometheus.GaugeValue, float64(s.OpenWindows), l...)
		if !s.Watermark.IsZero() {
			ch <- prometheus.MustNewConstMetric(descWMLag, prometheus.GaugeValue, now.Sub(s.Watermark).Seconds(), l...)
		}
		if !s.LastResultAt.IsZero() {
			ch <- prometheus.MustNewConstMetric(descLastResult, prometheus.GaugeValue, float64(s.LastResultAt.UnixMilli())/1000, l...)
		}
		ch <- prometheus.MustNewConstMetric(descCheckpoints, prometheus.CounterValue, float64(st.Checkpoints), l...)
		ch <- prometheus.MustNewConstMetric(descQFailures, prometheus.CounterValue, float64(st.Failures), l...)
		up, ok := 0.0, 0.0
		if st.State == StateRunning {
			up = 1
			if st.Health == HealthOK {
				ok = 1
			}
		}
		ch <- prometheus.MustNewConstMetric(descQUp, prometheus.GaugeValue, up, l...)
		ch <- prometheus.MustNewConstMetric(descHealthy, prometheus.GaugeValue, ok, l...)
	}
}
