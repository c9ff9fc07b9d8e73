package segstore

import "github.com/prometheus/client_golang/prometheus"

type metrics struct {
	appendEvents  *prometheus.CounterVec
	appendBytes   *prometheus.CounterVec
	syncSeconds   prometheus.Histogram
	batchBytes    prometheus.Histogram
	batchOps      prometheus.Histogram
	unflushed     *prometheus.GaugeVec
	checkpoints   *prometheus.CounterVec
	walFiles      *prometheus.GaugeVec
	failed        *prometheus.GaugeVec
	appendErrors  *prometheus.CounterVec
	appendSeconds prometheus.Histogram
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		appendEvents: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "braid_segstore_append_events_total", Help: "Events durably appended."}, []string{"container"}),
		appendBytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "braid_segstore_append_bytes_total", Help: "Segment bytes durably appended (headers included)."}, []string{"container"}),
		syncSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "braid_wal_sync_seconds", Help: "Time of one WAL write and sync (one group commit).",
			Buckets: prometheus.ExponentialBuckets(0.0001, 2, 16)}),
		batchBytes: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "braid_wal_batch_bytes", Help: "Size of one group-commit WAL record.",
			Buckets: prometheus.ExponentialBuckets(256, 4, 10)}),
		batchOps: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "braid_wal_batch_operations", Help: "Operations in one group commit.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 14)}),
		unflushed: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "braid_segstore_unflushed_bytes", Help: "Committed bytes held in memory, not yet in segment files."}, []string{"container"}),
		checkpoints: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "braid_segstore_checkpoints_total", Help: "Checkpoints written, by result."}, []string{"container", "result"}),
		walFiles: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "braid_wal_files", Help: "WAL files on disk."}, []string{"container"}),
		failed: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "braid_segstore_container_failed", Help: "1 when a container stopped after a storage failure."}, []string{"container"}),
		appendSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "braid_segstore_append_seconds", Help: "Time from an append entering a container's queue to its acknowledgement (queueing, group commit, apply).",
			Buckets: prometheus.ExponentialBuckets(0.0001, 2, 18)}),
		appendErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "braid_segstore_append_errors_total", Help: "Appends refused or failed, by reason."}, []string{"reason"}),
	}
	if reg != nil {
		reg.MustRegister(m.appendEvents, m.appendBytes, m.syncSeconds, m.batchBytes, m.batchOps,
			m.unflushed, m.checkpoints, m.walFiles, m.failed, m.appendErrors, m.appendSeconds)
	}
	return m
}
