package watermark

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

var (
	descWatermark = prometheus.NewDesc("braid_stream_watermark_seconds",
		"The stream's watermark (the least time its active writers noted) as Unix seconds; absent until a writer notes time.",
		[]string{"scope", "stream"}, nil)
	descLag = prometheus.NewDesc("braid_stream_watermark_lag_seconds",
		"Wall-clock time minus the stream's watermark.", []string{"scope", "stream"}, nil)
	descWriters = prometheus.NewDesc("braid_stream_time_writers",
		"Writers holding the stream's watermark: those that noted time within the stream's timestamp aggregation timeout.",
		[]string{"scope", "stream"}, nil)
)

// Collector returns the tracker's metrics: per stream whose writers note
// time (or did since the server started), its watermark, lag and active
// writers.
func (t *Tracker) Collector() prometheus.Collector { return collector{t} }

type collector struct{ t *Tracker }

func (c collector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descWatermark
	ch <- descLag
	ch <- descWriters
}

func (c collector) Collect(ch chan<- prometheus.Metric) {
	c.t.mu.Lock()
	states := make([]*streamState, 0, len(c.t.all))
	for _, st := range c.t.all {
		states = append(states, st)
	}
	c.t.mu.Unlock()
	now := c.t.clock.Now()
	for _, st := range states {
		st.mu.Lock()
		var lower int64
		if n := len(st.marks); n > 0 {
			lower = st.marks[n-1].Lower
		}
		active := 0
		for _, w := range st.writers {
			if w.active(now, st.timeout) {
				active++
			}
		}
		st.mu.Unlock()
		if lower == 0 && active == 0 {
			continue
		}
		ch <- prometheus.MustNewConstMetric(descWriters, prometheus.GaugeValue, float64(active), st.scope, st.name)
		if lower == 0 {
			continue
		}
		wm := time.Unix(0, lower)
		ch <- prometheus.MustNewConstMetric(descWatermark, prometheus.GaugeValue, float64(lower)/1e9, st.scope, st.name)
		ch <- prometheus.MustNewConstMetric(descLag, prometheus.GaugeValue, now.Sub(wm).Seconds(), st.scope, st.name)
	}
}
