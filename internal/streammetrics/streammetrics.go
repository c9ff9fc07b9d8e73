// Package streammetrics counts, per stream, the events and bytes appended
// and read, and reports each stream's segments and retained size, as
// Prometheus metrics with a bounded number of label sets.
//
// The first MaxStreams streams seen get labels of their own; the events of
// any later stream are counted under stream="_other" of its scope, so that
// a server with many streams keeps a bounded number of series. MaxStreams
// 0 turns the per-stream metrics off.
package streammetrics

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/braidstream/braid/internal/controller"
	"github.com/braidstream/braid/internal/storage/segstore"
)

// DefaultMaxStreams is the default cap of streams with labels of their own.
const DefaultMaxStreams = 256

// Other is the stream label of the streams past the cap.
const Other = "_other"

// Recorder is told of every stored batch (the auto-scaler's).
type Recorder interface {
	Record(scope, stream string, segment uint64, events, bytes int)
}

// Streams is what the size collector needs of the controller and store.
type Streams interface {
	ListScopes(ctx context.Context) ([]string, error)
	ListStreams(ctx context.Context, scope string) ([]*controller.StreamRecord, error)
}

// Segments gives a segment's state.
type Segments interface {
	Info(ctx context.Context, name string) (segstore.Info, error)
}

// Counters counts appends and reads per stream. It is safe for
// concurrent use.
type Counters struct {
	next    Recorder
	max     int
	streams Streams
	segs    Segments

	appendEvents, appendBytes, readEvents, readBytes *prometheus.CounterVec

	mu       sync.Mutex
	labelled map[[2]string]bool
}

var (
	descSegments = prometheus.NewDesc("braid_stream_segments",
		"Segments of the stream's current epoch.", []string{"scope", "stream"}, nil)
	descSize = prometheus.NewDesc("braid_stream_size_bytes",
		"Bytes the stream retains: over its current segments and those sealed with data left, length minus truncation point.", []string{"scope", "stream"}, nil)
)

// New registers the per-stream metrics in reg. Stored batches are passed
// on to next (may be nil).
func New(reg prometheus.Registerer, maxStreams int, next Recorder, streams Streams, segs Segments) *Counters {
	vec := func(name, help string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, []string{"scope", "stream"})
	}
	c := &Counters{next: next, max: maxStreams, streams: streams, segs: segs, labelled: map[[2]string]bool{},
		appendEvents: vec("braid_stream_appended_events_total", "Events stored by appends to the stream (duplicates of retries not counted)."),
		appendBytes:  vec("braid_stream_appended_bytes_total", "Framed bytes stored by appends to the stream."),
		readEvents:   vec("braid_stream_read_events_total", "Events of the stream served by reads (ReadSegment, FetchEvent; HTTP reads go through them)."),
		readBytes:    vec("braid_stream_read_bytes_total", "Framed bytes of the stream served by reads."),
	}
	if maxStreams > 0 {
		reg.MustRegister(c.appendEvents, c.appendBytes, c.readEvents, c.readBytes, sizeCollector{c})
	}
	return c
}

// label returns the stream label of a stream: its name, or Other past
// the cap.
func (c *Counters) label(scope, stream string) string {
	k := [2]string{scope, stream}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.labelled[k] {
		return stream
	}
	if len(c.labelled) < c.max {
		c.labelled[k] = true
		return stream
	}
	return Other
}

// Record counts a stored batch and passes it on.
func (c *Counters) Record(scope, stream string, segment uint64, events, bytes int) {
	if c.max > 0 {
		l := c.label(scope, stream)
		c.appendEvents.WithLabelValues(scope, l).Add(float64(events))
		c.appendBytes.WithLabelValues(scope, l).Add(float64(bytes))
	}
	if c.next != nil {
		c.next.Record(scope, stream, segment, events, bytes)
	}
}

// Read counts events served to a reader.
func (c *Counters) Read(scope, stream string, events, bytes int) {
	if c.max == 0 || events == 0 {
		return
	}
	l := c.label(scope, stream)
	c.readEvents.WithLabelValues(scope, l).Add(float64(events))
	c.readBytes.WithLabelValues(scope, l).Add(float64(bytes))
}

// StreamDeleted removes a deleted stream's series and frees its label.
func (c *Counters) StreamDeleted(_ context.Context, scope, stream string) error {
	c.mu.Lock()
	delete(c.labelled, [2]string{scope, stream})
	c.mu.Unlock()
	for _, v := range []*prometheus.CounterVec{c.appendEvents, c.appendBytes, c.readEvents, c.readBytes} {
		v.DeleteLabelValues(scope, stream)
	}
	return nil
}

// sizeCollector reports segments and sizes at scrape time, for the
// streams with labels of their own.
type sizeCollector struct{ c *Counters }

func (s sizeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descSegments
	ch <- descSize
}

func (s sizeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	scopes, err := s.c.streams.ListScopes(ctx)
	if err != nil {
		return
	}
	n := 0
	for _, scope := range scopes {
		recs, err := s.c.streams.ListStreams(ctx, scope)
		if err != nil {
			continue
		}
		for _, rec := range recs {
			if n >= s.c.max {
				return
			}
			n++
			var size int64
			seen := map[uint64]bool{}
			for _, e := range rec.Epochs {
				for _, seg := range e.Segments {
					if seen[seg.ID] {
						continue
					}
					seen[seg.ID] = true
					if in, err := s.c.segs.Info(ctx, controller.SegmentName(rec.Scope, rec.Name, seg.ID)); err == nil {
						size += in.Length - in.Start
					}
				}
			}
			ch <- prometheus.MustNewConstMetric(descSegments, prometheus.GaugeValue, float64(len(rec.Current().Segments)), rec.Scope, rec.Name)
			ch <- prometheus.MustNewConstMetric(descSize, prometheus.GaugeValue, float64(size), rec.Scope, rec.Name)
		}
	}
}
