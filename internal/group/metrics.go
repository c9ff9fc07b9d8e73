package group

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

var (
	lagBytesDesc = prometheus.NewDesc("braid_group_lag_bytes",
		"Bytes between a reader group's committed positions and the tails of its streams, successors included.", []string{"group"}, nil)
	lagEventsDesc = prometheus.NewDesc("braid_group_lag_events",
		"Events a reader group is behind, estimated from the mean event size its readers saw (absent before any event was read).", []string{"group"}, nil)
	readersDesc = prometheus.NewDesc("braid_group_readers",
		"Live readers of a reader group.", []string{"group"}, nil)
	segmentsDesc = prometheus.NewDesc("braid_group_segments",
		"Segments a reader group is reading, by state (assigned to a reader or waiting for one).", []string{"group", "state"}, nil)
	watermarkDesc = prometheus.NewDesc("braid_group_watermark_seconds",
		"A reader group's watermark in a stream (the lower bound of its committed position's time window), Unix seconds; absent until it passed a watermark.", []string{"group", "stream"}, nil)
	lagSecondsDesc = prometheus.NewDesc("braid_group_lag_seconds",
		"Age of a reader group's oldest unread event: now minus its append time (from the segments' time index); 0 when it is caught up.", []string{"group"}, nil)
)

// Times is what the group metrics need of watermarks and the time index.
type Times interface {
	// GroupWatermark is the lower bound of the time window of pos in a
	// stream ("scope/name"), Unix nanoseconds; ok false for none.
	GroupWatermark(ctx context.Context, stream string, pos map[uint64]int64) (lower int64, ok bool)
	// AppendTime is when the data at offset of a stream's segment was
	// appended, Unix nanoseconds.
	AppendTime(ctx context.Context, stream string, segment uint64, offset int64) (t int64, ok bool)
}

// SetTimes makes the collector report watermarks and lag in seconds
// (before the manager serves).
func (m *Manager) SetTimes(t Times) { m.times = t }

// Collector returns a Prometheus collector of the groups' lag and
// membership, computed at each scrape.
func (m *Manager) Collector() prometheus.Collector { return collector{m} }

type collector struct{ m *Manager }

// Describe implements prometheus.Collector.
func (collector) Describe(ch chan<- *prometheus.Desc) {
	ch <- lagBytesDesc
	ch <- lagEventsDesc
	ch <- readersDesc
	ch <- segmentsDesc
	ch <- watermarkDesc
	ch <- lagSecondsDesc
}

// Collect implements prometheus.Collector: each group's lag and membership
// as of the scrape.
func (c collector) Collect(ch chan<- prometheus.Metric) {
	m := c.m
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	m.mu.Lock()
	gs := slices.Collect(maps.Values(m.groups))
	m.mu.Unlock()
	for _, g := range gs {
		in := g.info(ctx)
		name := in.Scope + "/" + in.Name
		ch <- prometheus.MustNewConstMetric(lagBytesDesc, prometheus.GaugeValue, float64(in.LagBytes), name)
		if in.LagEvents >= 0 {
			ch <- prometheus.MustNewConstMetric(lagEventsDesc, prometheus.GaugeValue, float64(in.LagEvents), name)
		}
		ch <- prometheus.MustNewConstMetric(readersDesc, prometheus.GaugeValue, float64(len(in.Readers)), name)
		assigned := 0
		for _, s := range in.Segments {
			if s.Reader != "" {
				assigned++
			}
		}
		ch <- prometheus.MustNewConstMetric(segmentsDesc, prometheus.GaugeValue, float64(assigned), name, "assigned")
		ch <- prometheus.MustNewConstMetric(segmentsDesc, prometheus.GaugeValue, float64(len(in.Segments)-assigned), name, "waiting")
		if t := m.times; t != nil {
			for _, stream := range slices.Sorted(maps.Keys(in.Position)) {
				if lower, ok := t.GroupWatermark(ctx, stream, in.Position[stream]); ok {
					ch <- prometheus.MustNewConstMetric(watermarkDesc, prometheus.GaugeValue, float64(lower)/1e9, name, stream)
				}
			}
			oldest := int64(0)
			for _, s := range in.Segments {
				if s.Offset >= s.Tail {
					continue
				}
				if at, ok := t.AppendTime(ctx, s.Stream, s.ID, s.Offset); ok && (oldest == 0 || at < oldest) {
					oldest = at
				}
			}
			lag := 0.0
			if oldest > 0 {
				lag = max(m.now().Sub(time.Unix(0, oldest)).Seconds(), 0)
			}
			ch <- prometheus.MustNewConstMetric(lagSecondsDesc, prometheus.GaugeValue, lag, name)
		}
	}
}
