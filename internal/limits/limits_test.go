package limits

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func TestHits(t *testing.T) {
	reg := prometheus.NewRegistry()
	h := New(reg)
	h.Hit("a")
	h.Hit("a")
	h.Hit("b")
	if got := h.Count("a"); got != 2 {
		t.Fatalf("a: %v, want 2", got)
	}
	mfs, err := reg.Gather()
	if err != nil || len(mfs) != 1 || mfs[0].GetName() != "braid_limit_hits_total" || len(mfs[0].GetMetric()) != 2 {
		t.Fatalf("gathered %v, %v; want braid_limit_hits_total with two series", mfs, err)
	}
	var none *Hits // components built without metrics
	none.Hit("a")
	if none.Count("a") != 0 {
		t.Fatal("a nil Hits counted")
	}
}
