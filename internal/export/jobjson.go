package export

import (
	"time"

	"github.com/braidstream/braid"
)

// JobJSON is the JSON form of an export job run by the server, as the
// CLI (braid export list|describe -o json) and the HTTP API
// (/v1/exports) show it: docs/cli.md and docs/http.md.
type JobJSON struct {
	Name       string `json:"name"`
	Stream     string `json:"stream"` // "scope/stream"
	URL        string `json:"url"`    // s3://BUCKET[/PREFIX]
	S3Endpoint string `json:"s3_endpoint"`
	// Mode is "event" (one object per event) or "batch"; batch_bytes and
	// batch_age (a Go duration) are the bounds of a batch, in batch mode
	// only.
	Mode       string `json:"mode"`
	BatchBytes int    `json:"batch_bytes,omitempty"`
	BatchAge   string `json:"batch_age,omitempty"`
	Parallel   int    `json:"parallel"`
	// State is running, retrying (see last_error), stopped or finished.
	State   string    `json:"state"`
	Created time.Time `json:"created"`
	// Position is the stream cut before which every event is exported.
	Position string `json:"position"`
	// Objects, Bytes and Existing count, since the server started, the
	// objects written, their bytes and those found already written.
	Objects  int64 `json:"objects"`
	Bytes    int64 `json:"bytes"`
	Existing int64 `json:"existing"`
	// LagBytes is the stream's data not exported yet; LagEvents estimates
	// it in events (null before any event was exported); Lag is how long
	// ago the last exported event was appended (a Go duration; null when
	// not known).
	LagBytes    int64      `json:"lag_bytes"`
	LagEvents   *int64     `json:"lag_events"`
	Lag         *string    `json:"lag"`
	LastError   string     `json:"last_error"`
	LastErrorAt *time.Time `json:"last_error_at"` // null: no error
	// S3Errors and S3Throttled count the S3 requests that failed or were
	// throttled (all retried).
	S3Errors    int64 `json:"s3_errors"`
	S3Throttled int64 `json:"s3_throttled"`
}

// JobJSONOf is the JSON form of st.
func JobJSONOf(st braid.ExportStatus) JobJSON {
	j := st.Job
	out := JobJSON{
		Name: j.Name, Stream: j.Stream, URL: j.URL, S3Endpoint: j.S3Endpoint, Mode: ModeEvent,
		Parallel: j.Parallel, State: st.State, Created: st.Created.UTC(), Position: st.Position,
		Objects: st.Objects, Bytes: st.Bytes, Existing: st.Existing, LagBytes: st.LagBytes,
		LastError: st.LastError, S3Errors: st.S3Errors, S3Throttled: st.S3Throttled,
	}
	if j.Parallel == 0 {
		out.Parallel = DefaultParallel
	}
	if j.Batch {
		out.Mode = ModeBatch
		out.BatchBytes, out.BatchAge = j.BatchBytes, j.BatchAge.String()
		if out.BatchBytes == 0 {
			out.BatchBytes = DefaultBatchBytes
		}
		if j.BatchAge == 0 {
			out.BatchAge = DefaultBatchAge.String()
		}
	}
	if st.LagEvents >= 0 {
		n := st.LagEvents
		out.LagEvents = &n
	}
	if st.Lag >= 0 {
		l := st.Lag.Round(time.Millisecond).String()
		out.Lag = &l
	}
	if !st.LastErrorAt.IsZero() {
		at := st.LastErrorAt.UTC()
		out.LastErrorAt = &at
	}
	return out
}
