package exportjob

import "github.com/prometheus/client_golang/prometheus"

// collector reports every job's counters and lag at scrape time, so that
// a deleted job's series go with it.
type collector struct{ m *Manager }

var (
	descObjects   = prometheus.NewDesc("braid_export_objects_total", "Objects an export job wrote to S3 since the server started.", []string{"export", "stream"}, nil)
	descBytes     = prometheus.NewDesc("braid_export_bytes_total", "Bytes of the objects an export job wrote to S3 since the server started.", []string{"export", "stream"}, nil)
	descExisting  = prometheus.NewDesc("braid_export_existing_objects_total", "Objects an export job found already written (by a run before a restart) with the right content.", []string{"export", "stream"}, nil)
	descLagBytes  = prometheus.NewDesc("braid_export_lag_bytes", "Data of the stream's current segments that an export job has not exported yet.", []string{"export", "stream"}, nil)
	descLagEvents = prometheus.NewDesc("braid_export_lag_events", "Events an export job has not exported yet, estimated from the sizes of those it exported.", []string{"export", "stream"}, nil)
	descLag       = prometheus.NewDesc("braid_export_lag_seconds", "How long ago the last event an export job exported was appended, while data is left to export (0 when caught up).", []string{"export", "stream"}, nil)
	descFailures  = prometheus.NewDesc("braid_export_failures_total", "Failed attempts of an export job (each is retried with backoff).", []string{"export", "stream"}, nil)
	descS3Errors  = prometheus.NewDesc("braid_export_s3_errors_total", "S3 requests of an export job that failed (5xx answers, dropped connections); the client retries them.", []string{"export", "stream"}, nil)
	descThrottled = prometheus.NewDesc("braid_export_s3_throttled_total", "S3 requests of an export job that S3 throttled (503 SlowDown, 429); the client retries them with backoff.", []string{"export", "stream"}, nil)
	descUp        = prometheus.NewDesc("braid_export_running", "1 while an export job runs without failing, 0 while it retries or is stopped.", []string{"export", "stream"}, nil)
)

func (c collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descObjects, descBytes, descExisting, descLagBytes, descLagEvents, descLag, descFailures, descS3Errors, descThrottled, descUp} {
		ch <- d
	}
}

func (c collector) Collect(ch chan<- prometheus.Metric) {
	for _, st := range c.m.List() {
		l := []string{st.Job.Name, st.Job.Stream}
		ch <- prometheus.MustNewConstMetric(descObjects, prometheus.CounterValue, float64(st.Objects), l...)
		ch <- prometheus.MustNewConstMetric(descBytes, prometheus.CounterValue, float64(st.Bytes), l...)
		ch <- prometheus.MustNewConstMetric(descExisting, prometheus.CounterValue, float64(st.Existing), l...)
		ch <- prometheus.MustNewConstMetric(descLagBytes, prometheus.GaugeValue, float64(st.LagBytes), l...)
		if st.LagEvents >= 0 {
			ch <- prometheus.MustNewConstMetric(descLagEvents, prometheus.GaugeValue, float64(st.LagEvents), l...)
		}
		if st.Lag >= 0 {
			ch <- prometheus.MustNewConstMetric(descLag, prometheus.GaugeValue, st.Lag.Seconds(), l...)
		}
		ch <- prometheus.MustNewConstMetric(descFailures, prometheus.CounterValue, float64(st.Failures), l...)
		ch <- prometheus.MustNewConstMetric(descS3Errors, prometheus.CounterValue, float64(st.S3Errors), l...)
		ch <- prometheus.MustNewConstMetric(descThrottled, prometheus.CounterValue, float64(st.S3Throttled), l...)
		up := 0.0
		if st.State == StateRunning {
			up = 1
		}
		ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, up, l...)
	}
}
