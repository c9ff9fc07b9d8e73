package exportjob

import (
	"net/http"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// countingClient counts the S3 requests that failed and those S3
// throttled; the SDK retries both.
type countingClient struct {
	base      aws.HTTPClient
	errors    *atomic.Int64
	throttled *atomic.Int64
}

func (c countingClient) Do(r *http.Request) (*http.Response, error) {
	resp, err := c.base.Do(r)
	switch {
	case err != nil:
		if r.Context().Err() == nil {
			c.errors.Add(1)
		}
	case resp.StatusCode == http.StatusServiceUnavailable || resp.StatusCode == http.StatusTooManyRequests:
		c.throttled.Add(1)
	case resp.StatusCode >= 500:
		c.errors.Add(1)
	}
	return resp, err
}
