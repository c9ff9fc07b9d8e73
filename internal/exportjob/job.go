// Package exportjob runs exports of streams to S3 on the server: jobs
// registered once (braid export --follow --detach) that follow their
// stream across server restarts, with their progress in metrics and the
// dashboard. A job's definition lives in the metadata store; its position
// lives in its manifest in the bucket (package export), so a restarted job
// continues where its objects end.
package exportjob

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/braidstream/braid/internal/tier2/s3"
	"github.com/braidstream/braid/wire"
)

// Errors of the manager, classified by internal/errclass.
var (
	ErrNotFound = errors.New("export job not found")
	ErrExists   = errors.New("export job exists")
	ErrInvalid  = errors.New("invalid export job")
	// ErrStreamNotFound is a job for a stream that does not exist.
	ErrStreamNotFound = errors.New("stream not found")
)

// Job says what a job exports where.
type Job struct {
	Name       string        `json:"name"`
	Stream     string        `json:"stream"` // SCOPE/STREAM
	URL        string        `json:"url"`    // s3://BUCKET[/PREFIX]
	Endpoint   string        `json:"s3_endpoint,omitempty"`
	Region     string        `json:"s3_region,omitempty"`
	PathStyle  bool          `json:"s3_path_style,omitempty"`
	Parallel   int           `json:"parallel,omitempty"`
	Batch      bool          `json:"batch,omitempty"`
	BatchBytes int           `json:"batch_bytes,omitempty"`
	BatchAge   time.Duration `json:"batch_age,omitempty"`
	Start      string        `json:"start,omitempty"` // "" (head) or a stream cut
}

// record is a job as stored.
type record struct {
	Job     Job       `json:"job"`
	Stopped bool      `json:"stopped,omitempty"`
	Created time.Time `json:"created"`
}

// MaxJobs bounds the jobs of a server.
const MaxJobs = 256

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// check validates j and fills in defaults; it returns the bucket
// configuration.
func (j *Job) check() (s3.Config, error) {
	if err := wire.ValidateScopeName(j.Name); err != nil {
		return s3.Config{}, invalid("job name %q: %s", j.Name, strings.TrimPrefix(err.Error(), "invalid scope name "))
	}
	scope, name, ok := strings.Cut(j.Stream, "/")
	if !ok {
		return s3.Config{}, invalid("stream %q: want scope/stream", j.Stream)
	}
	if err := wire.ValidateScopeName(scope); err != nil {
		return s3.Config{}, invalid("stream %q: %v", j.Stream, err)
	}
	if err := wire.ValidateStreamName(name); err != nil {
		return s3.Config{}, invalid("stream %q: %v", j.Stream, err)
	}
	cfg, err := s3.ParseURL(j.URL)
	if err != nil {
		return s3.Config{}, invalid("%s", strings.TrimPrefix(err.Error(), "tier2/s3: "))
	}
	if j.Endpoint != "" && !strings.HasPrefix(j.Endpoint, "http://") && !strings.HasPrefix(j.Endpoint, "https://") {
		return s3.Config{}, invalid("S3 endpoint %q: want an http:// or https:// URL", j.Endpoint)
	}
	switch {
	case j.Parallel < 0 || j.Parallel > 1024:
		return s3.Config{}, invalid("parallel %d: want 1 to 1024 (0: the default)", j.Parallel)
	case j.BatchBytes < 0 || j.BatchBytes > 1<<30:
		return s3.Config{}, invalid("batch bytes %d: want at most 1 GiB", j.BatchBytes)
	case j.BatchAge < 0 || j.BatchAge > 24*time.Hour:
		return s3.Config{}, invalid("batch age %s: want at most 24h", j.BatchAge)
	}
	if j.Start == "head" {
		j.Start = ""
	}
	if j.Start != "" {
		if _, err := wire.ParseStreamCut(j.Start); err != nil {
			return s3.Config{}, invalid("start: %v", err)
		}
	}
	cfg.Endpoint, cfg.Region, cfg.PathStyle = j.Endpoint, j.Region, j.PathStyle
	return cfg, nil
}

// target names where a job's objects go, to refuse two jobs on one place.
func (j *Job) target() string {
	return strings.TrimSuffix(j.URL, "/") + "/" + j.Stream
}
