package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
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
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := m.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("server metrics: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("server metrics: GET %s: %s", m.url, resp.Status)
	}
	got, err := parseMetrics(resp.Body, names)
	if err != nil {
		return nil, fmt.Errorf("server metrics from %s: %w", m.url, err)
	}
	return got, nil
}

// parseMetrics reads the Prometheus text format from r and sums, for each
// of names, its samples over all label sets. It knows only as much of the
// format as braid's metrics use: no quoted '}' or spaces in label values.
func parseMetrics(r io.Reader, names []string) (map[string]float64, error) {
	want := make(map[string]bool, len(names))
	for _, n := range names {
		want[n] = true
	}
	got := map[string]float64{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		end := strings.IndexAny(line, "{ ")
		if end < 0 {
			if want[line] {
				return nil, fmt.Errorf("bad sample line %q", line)
			}
			continue
		}
		if !want[line[:end]] {
			continue
		}
		name, rest := line[:end], line[end:]
		if rest[0] == '{' {
			rb := strings.IndexByte(rest, '}')
			if rb < 0 {
				return nil, fmt.Errorf("bad sample line %q", line)
			}
			rest = rest[rb+1:]
		}
		fields := strings.Fields(rest) // value [timestamp]
		if len(fields) == 0 {
			return nil, fmt.Errorf("bad sample line %q", line)
		}
		v, err := strconv.ParseFloat(fields[0], 64)
		if err != nil {
			return nil, fmt.Errorf("bad sample line %q: %w", line, err)
		}
		got[name] += v
	}
	return got, sc.Err()
}
