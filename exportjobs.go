package braid

import (
	"context"
	"fmt"
	"time"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/wire"
)

// ExportJob is an export the server runs: it copies Stream into an S3
// bucket, one object per event (or per batch) keyed by its event pointer,
// and follows the stream as it grows, across server restarts (see
// docs/export.md). The server reaches S3 with its own credentials.
type ExportJob struct {
	// Name names the job: 1 to 250 bytes of A-Z a-z 0-9 . _ -.
	Name string
	// Stream is SCOPE/STREAM.
	Stream string
	// URL is s3://BUCKET or s3://BUCKET/PREFIX.
	URL string
	// S3Endpoint, S3Region and S3PathStyle say how the server reaches
	// the bucket; empty: AWS, the server's AWS settings.
	S3Endpoint, S3Region string
	S3PathStyle          bool
	// Parallel is the objects in flight at once (0: 32).
	Parallel int
	// Batch selects batched mode, with its bounds (0: 8 MiB, 10 s).
	Batch      bool
	BatchBytes int
	BatchAge   time.Duration
	// Start is where a new export starts: "" for the head, or a stream
	// cut's text.
	Start string
}

// ExportStatus is an export job and how it is doing.
type ExportStatus struct {
	Job ExportJob
	// State is "running", "retrying" (see LastError), "stopped" or
	// "finished" (the stream is sealed and exported to its end).
	State   string
	Created time.Time
	// Position is the stream cut before which every event is exported.
	Position string
	// Objects, Bytes and Existing count, since the server started, the
	// objects written, their bytes, and those found already written.
	Objects, Bytes, Existing int64
	// LagBytes is the stream's data not exported yet; Lag how long ago the
	// last exported event was appended (0 when caught up, negative when
	// not known).
	LagBytes int64
	Lag      time.Duration
	// LagEvents estimates LagBytes in events (-1 before any was exported).
	LagEvents int64
	// LastError is the last failed attempt's error (the server retries).
	LastError   string
	LastErrorAt time.Time
	// S3Errors and S3Throttled count S3 requests that failed or were
	// throttled (all retried).
	S3Errors, S3Throttled int64
}

// CreateExport registers an export job on the server and starts it.
func (c *Client) CreateExport(ctx context.Context, j ExportJob) (ExportStatus, error) {
	scope, name, err := splitStream(j.Stream)
	if err != nil {
		return ExportStatus{}, err
	}
	if j.Parallel < 0 || j.BatchBytes < 0 || j.BatchAge < 0 {
		return ExportStatus{}, newError(wire.CodeInvalidArgument, fmt.Sprintf("create export %s: negative Parallel, BatchBytes or BatchAge", j.Name))
	}
	resp, err := c.export.CreateExport(ctx, &braidv1.CreateExportRequest{Job: &braidv1.ExportJob{
		Name: j.Name, Scope: scope, Stream: name, Url: j.URL,
		S3Endpoint: j.S3Endpoint, S3Region: j.S3Region, S3PathStyle: j.S3PathStyle,
		Parallel: uint32(max(j.Parallel, 0)), Batch: j.Batch, BatchBytes: uint64(max(j.BatchBytes, 0)),
		BatchAgeMs: j.BatchAge.Milliseconds(), Start: j.Start,
	}})
	if err != nil {
		return ExportStatus{}, fromStatus("create export "+j.Name, err)
	}
	return exportStatus(resp.GetExport()), nil
}

// ListExports returns the server's export jobs, by name.
func (c *Client) ListExports(ctx context.Context) ([]ExportStatus, error) {
	resp, err := c.export.ListExports(ctx, &braidv1.ListExportsRequest{})
	if err != nil {
		return nil, fromStatus("list exports", err)
	}
	out := make([]ExportStatus, 0, len(resp.GetExports()))
	for _, e := range resp.GetExports() {
		out = append(out, exportStatus(e))
	}
	return out, nil
}

// GetExport returns one export job.
func (c *Client) GetExport(ctx context.Context, name string) (ExportStatus, error) {
	resp, err := c.export.GetExport(ctx, &braidv1.GetExportRequest{Name: name})
	if err != nil {
		return ExportStatus{}, fromStatus("describe export "+name, err)
	}
	return exportStatus(resp.GetExport()), nil
}

// StopExport pauses an export job; StartExport runs it again.
func (c *Client) StopExport(ctx context.Context, name string) (ExportStatus, error) {
	resp, err := c.export.StopExport(ctx, &braidv1.StopExportRequest{Name: name})
	if err != nil {
		return ExportStatus{}, fromStatus("stop export "+name, err)
	}
	return exportStatus(resp.GetExport()), nil
}

// StartExport runs a stopped export job again.
func (c *Client) StartExport(ctx context.Context, name string) (ExportStatus, error) {
	resp, err := c.export.StartExport(ctx, &braidv1.StartExportRequest{Name: name})
	if err != nil {
		return ExportStatus{}, fromStatus("start export "+name, err)
	}
	return exportStatus(resp.GetExport()), nil
}

// DeleteExport stops and removes an export job; its objects stay in the
// bucket.
func (c *Client) DeleteExport(ctx context.Context, name string) error {
	if _, err := c.export.DeleteExport(ctx, &braidv1.DeleteExportRequest{Name: name}); err != nil {
		return fromStatus("delete export "+name, err)
	}
	return nil
}

func exportStatus(e *braidv1.ExportStatus) ExportStatus {
	j := e.GetJob()
	st := ExportStatus{
		Job: ExportJob{
			Name: j.GetName(), Stream: j.GetScope() + "/" + j.GetStream(), URL: j.GetUrl(),
			S3Endpoint: j.GetS3Endpoint(), S3Region: j.GetS3Region(), S3PathStyle: j.GetS3PathStyle(),
			Parallel: int(j.GetParallel()), Batch: j.GetBatch(), BatchBytes: int(j.GetBatchBytes()),
			BatchAge: time.Duration(j.GetBatchAgeMs()) * time.Millisecond, Start: j.GetStart(),
		},
		State: e.GetState(), Created: unixMilli(e.GetCreatedUnixMs()), Position: e.GetPosition(),
		Objects: e.GetObjects(), Bytes: e.GetBytes(), Existing: e.GetExisting(),
		LagBytes: e.GetLagBytes(), Lag: time.Duration(e.GetLagMs()) * time.Millisecond, LagEvents: e.GetLagEvents(),
		LastError: e.GetLastError(), S3Errors: e.GetS3Errors(), S3Throttled: e.GetS3Throttled(),
	}
	if ms := e.GetLastErrorUnixMs(); ms > 0 {
		st.LastErrorAt = unixMilli(ms)
	}
	return st
}
