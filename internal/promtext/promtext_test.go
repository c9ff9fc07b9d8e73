package promtext

import (
	"strings"
	"testing"
)

const sample = `# HELP braid_segstore_unflushed_bytes Committed bytes held in memory.
# TYPE braid_segstore_unflushed_bytes gauge
braid_segstore_unflushed_bytes{container="0"} 10
braid_segstore_unflushed_bytes{container="1"} 32
# TYPE braid_segstore_append_errors_total counter
braid_segstore_append_errors_total{reason="tier2_behind"} 3
braid_segstore_append_errors_total{reason="sealed"} 1
`

func TestSumMax(t *testing.T) {
	s, err := Parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		got, want float64
	}{
		{s.Sum("braid_segstore_unflushed_bytes"), 42},
		{s.Max("braid_segstore_unflushed_bytes"), 32},
		{s.Sum("braid_segstore_unflushed_bytes", "container", "1"), 32},
		{s.Sum("braid_segstore_append_errors_total", "reason", "tier2_behind"), 3},
		{s.Sum("braid_nothing"), 0},
	} {
		if c.got != c.want {
			t.Errorf("got %v, want %v", c.got, c.want)
		}
	}
	if !s.Has("braid_segstore_unflushed_bytes") || s.Has("braid_nothing") {
		t.Error("Has")
	}
	if _, err := Parse(strings.NewReader("braid_x{container=\"0\" 1\n")); err == nil {
		t.Error("malformed text parsed")
	}
}
