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
)

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
	}
}
