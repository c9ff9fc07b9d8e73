package segstore

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/braidstream/braid/internal/storage/blockcache"
)

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
	storageFull   *prometheus.GaugeVec
	appendErrors  *prometheus.CounterVec
	appendSeconds prometheus.Histogram

	throttled      *prometheus.CounterVec
	walBytes       *prometheus.GaugeVec
	tier2Failing   *prometheus.GaugeVec
	tier2Bytes     *prometheus.CounterVec
	tier2ReadBytes prometheus.Counter
	tier2Seconds   *prometheus.HistogramVec
	tier2Errors    *prometheus.CounterVec
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
			Name: "braid_segstore_unflushed_bytes", Help: "Committed bytes held in memory, not yet in tier 2."}, []string{"container"}),
		checkpoints: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "braid_segstore_checkpoints_total", Help: "Checkpoints written, by result."}, []string{"container", "result"}),
		walFiles: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "braid_wal_files", Help: "WAL files on disk."}, []string{"container"}),
		failed: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "braid_segstore_container_failed", Help: "1 when a container stopped after a storage failure."}, []string{"container"}),
		storageFull: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "braid_segstore_storage_full", Help: "1 while a container refuses appends because the disk has no space for its next WAL record."}, []string{"container"}),
		appendSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "braid_segstore_append_seconds", Help: "Time from an append entering a container's queue to its acknowledgement (queueing, group commit, apply).",
			Buckets: prometheus.ExponentialBuckets(0.0001, 2, 18)}),
		appendErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "braid_segstore_append_errors_total", Help: "Appends refused or failed, by reason."}, []string{"reason"}),
		throttled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "braid_segstore_throttled_appends_total", Help: "Appends that had to wait because too much data was not yet in tier 2."}, []string{"container"}),
		walBytes: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "braid_wal_retained_bytes", Help: "WAL bytes kept because they hold data not yet in tier 2 (as of the last storage round)."}, []string{"container"}),
		tier2Failing: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "braid_tier2_write_failing", Help: "1 while a container's storage writer cannot write to tier 2."}, []string{"container"}),
		tier2Bytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "braid_tier2_written_bytes_total", Help: "Segment bytes stored in tier-2 chunks."}, []string{"container"}),
		tier2ReadBytes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "braid_tier2_read_bytes_total", Help: "Bytes read from tier 2 (cache misses and read-ahead)."}),
		tier2Seconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "braid_tier2_request_seconds", Help: "Time of one tier-2 request, by operation.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16)}, []string{"op"}),
		tier2Errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "braid_tier2_errors_total", Help: "Failed tier-2 requests, by operation."}, []string{"op"}),
	}
	if reg != nil {
		reg.MustRegister(m.appendEvents, m.appendBytes, m.syncSeconds, m.batchBytes, m.batchOps,
			m.unflushed, m.checkpoints, m.walFiles, m.failed, m.storageFull, m.appendErrors, m.appendSeconds,
			m.throttled, m.walBytes, m.tier2Failing, m.tier2Bytes, m.tier2ReadBytes, m.tier2Seconds, m.tier2Errors)
	}
	return m
}

// registerCache exports the read cache's counters and sizes.
func registerCache(reg prometheus.Registerer, stats func() blockcache.Stats, capacity int64) {
	if reg == nil {
		return
	}
	reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "braid_cache_hits_total", Help: "Read-cache block hits."},
			func() float64 { return float64(stats().Hits) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "braid_cache_misses_total", Help: "Read-cache block misses (read from tier 2)."},
			func() float64 { return float64(stats().Misses) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "braid_cache_evictions_total", Help: "Read-cache blocks evicted."},
			func() float64 { return float64(stats().Evictions) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "braid_cache_bytes", Help: "Read-cache bytes held, by class (hot: just written to tier 2; cold: read from it).",
			ConstLabels: prometheus.Labels{"class": "hot"}}, func() float64 { return float64(stats().HotBytes) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "braid_cache_bytes", Help: "Read-cache bytes held, by class (hot: just written to tier 2; cold: read from it).",
			ConstLabels: prometheus.Labels{"class": "cold"}}, func() float64 { return float64(stats().ColdBytes) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "braid_cache_capacity_bytes", Help: "Read-cache bound (--cache-size)."},
			func() float64 { return float64(capacity) }),
	)
}
