package bench

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/braidstream/braid/internal/promtext"
)

// The server metrics Catchup reads (see package segstore).
const (
	metricUnflushed   = "braid_segstore_unflushed_bytes" // per container
	metricTier2Read   = "braid_tier2_read_bytes_total"
	metricCacheHits   = "braid_cache_hits_total"
	metricCacheMisses = "braid_cache_misses_total"
)

// scrapeTimeout bounds one GET of /metrics.
const scrapeTimeout = 5 * time.Second

// metricsClient reads a server's /metrics.
type metricsClient struct {
	url string
	hc  *http.Client
}

func newMetricsClient(httpAddr string) *metricsClient {
	return &metricsClient{url: "http://" + httpAddr + "/metrics", hc: &http.Client{}}
}

// scrape returns the sum over all label sets of each named metric found
// in the server's /metrics; a name it does not find is missing from the
// map.
func (m *metricsClient) scrape(ctx context.Context, names ...string) (map[string]float64, error) {
	ctx, cancel := context.WithTimeout(ctx, scrapeTimeout)
	defer cancel()
	set, err := promtext.Scrape(ctx, m.hc, m.url)
	if err != nil {
		return nil, fmt.Errorf("server metrics: %w", err)
	}
	got := map[string]float64{}
	for _, n := range names {
		if set.Has(n) {
			got[n] = set.Sum(n)
		}
	}
	return got, nil
}
