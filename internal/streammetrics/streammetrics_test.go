package streammetrics_test

import (
	"context"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/braidstream/braid/internal/controller"
	"github.com/braidstream/braid/internal/storage/segstore"
	"github.com/braidstream/braid/internal/streammetrics"
)

type noStreams struct{}

func (noStreams) ListScopes(context.Context) ([]string, error) { return nil, nil }
func (noStreams) ListStreams(context.Context, string) ([]*controller.StreamRecord, error) {
	return nil, nil
}
func (noStreams) Info(context.Context, string) (segstore.Info, error) { return segstore.Info{}, nil }

type recorded struct{ events int }

func (r *recorded) Record(_, _ string, _ uint64, events, _ int) { r.events += events }

// TestCap: past MaxStreams, streams count under stream="_other" of their
// scope; a deleted stream frees its label; every batch reaches the next
// recorder, capped or not.
func TestCap(t *testing.T) {
	reg := prometheus.NewRegistry()
	next := &recorded{}
	c := streammetrics.New(reg, 2, next, noStreams{}, noStreams{})
	c.Record("s", "a", 0, 1, 10)
	c.Record("s", "b", 0, 2, 20)
	c.Record("s", "c", 0, 4, 40) // past the cap
	c.Record("t", "d", 0, 8, 80) // past the cap, another scope
	c.Record("s", "a", 1, 16, 160)
	c.Read("s", "c", 3, 30)
	vec := "braid_stream_appended_events_total"
	want := map[[2]string]float64{{"s", "a"}: 17, {"s", "b"}: 2, {"s", streammetrics.Other}: 4, {"t", streammetrics.Other}: 8}
	check := func() {
		t.Helper()
		got := series(t, reg, vec)
		if len(got) != len(want) {
			t.Fatalf("%s: %v, want %v", vec, got, want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Fatalf("%s: %v, want %v", vec, got, want)
			}
		}
	}
	check()
	if got := series(t, reg, "braid_stream_read_events_total"); len(got) != 1 || got[[2]string{"s", streammetrics.Other}] != 3 {
		t.Fatalf("read events %v, want 3 under s/_other", got)
	}
	if next.events != 31 {
		t.Fatalf("next recorder saw %d events, want 31", next.events)
	}

	// Deleting b frees a label: the next new stream gets its own.
	if err := c.StreamDeleted(context.Background(), "s", "b"); err != nil {
		t.Fatal(err)
	}
	c.Record("s", "e", 0, 32, 320)
	delete(want, [2]string{"s", "b"})
	want[[2]string{"s", "e"}] = 32
	check()
}

// series returns the counters of name in reg by scope and stream.
func series(t *testing.T, reg *prometheus.Registry, name string) map[[2]string]float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[[2]string]float64{}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			var k [2]string
			for _, l := range m.GetLabel() {
				switch l.GetName() {
				case "scope":
					k[0] = l.GetValue()
				case "stream":
					k[1] = l.GetValue()
				}
			}
			got[k] = m.GetCounter().GetValue()
		}
	}
	return got
}

// BenchmarkRecord: the cost the per-stream counters add to each stored
// batch (and each read response).
func BenchmarkRecord(b *testing.B) {
	c := streammetrics.New(prometheus.NewRegistry(), 256, nil, noStreams{}, noStreams{})
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			c.Record("bench", "stream", 0, 64, 64<<10)
		}
	})
}
