package exportjob

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"sync"
	"sync/atomic"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/export"
	"github.com/braidstream/braid/internal/tier2/s3"
	"github.com/braidstream/braid/wire"
)

// Backoff between failed attempts of a job.
const (
	minBackoff = time.Second
	maxBackoff = time.Minute
)

// runner is one job: its record, its goroutine (owned by the manager) and
// its progress.
type runner struct {
	m   *Manager
	cfg s3.Config

	// cancel and done belong to the running goroutine; guarded by m.mu.
	cancel context.CancelFunc
	done   chan struct{}

	s3Errors, s3Throttled atomic.Int64

	mu   sync.Mutex // guards the fields below
	rec  record
	st   Status // the progress fields
	base Status // the counts of attempts before the current one
	up   bool   // an attempt is running without a failure yet
	end  bool   // the stream is sealed and exported to its end
	// events and framed are the events read and their framed bytes over
	// all attempts, for the lag in events; base* as of the attempt's start.
	events, framed         int64
	baseEvents, baseFramed int64
}

func newRunner(m *Manager, rec record, cfg s3.Config) *runner {
	return &runner{m: m, cfg: cfg, rec: rec, st: Status{LagEvents: -1, Lag: -1}}
}

func (r *runner) setRecord(rec record) {
	r.mu.Lock()
	r.rec = rec
	r.mu.Unlock()
}

// status is the job's status now.
func (r *runner) status() Status {
	r.m.mu.Lock()
	running := r.done != nil
	r.m.mu.Unlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	st := r.st
	st.Job, st.Created = r.rec.Job, r.rec.Created
	st.S3Errors, st.S3Throttled = r.s3Errors.Load(), r.s3Throttled.Load()
	switch {
	case r.end:
		st.State = StateFinished
	case r.rec.Stopped || !running:
		st.State = StateStopped
	case r.up:
		st.State = StateRunning
	default:
		st.State = StateRetrying
	}
	return st
}

// run runs the export until ctx ends, again after each failure with
// backoff.
func (r *runner) run(ctx context.Context) {
	log := r.m.log.With("export", r.rec.Job.Name, "stream", r.rec.Job.Stream)
	backoff := minBackoff
	for ctx.Err() == nil {
		began := time.Now()
		err := r.once(ctx)
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			// Follow ends only with ctx; a sealed stream ends the export.
			log.Info("export job: the stream is exported to its end (sealed)")
			r.mu.Lock()
			r.end = true
			r.mu.Unlock()
			return
		}
		r.mu.Lock()
		r.up = false
		r.st.LastError, r.st.LastErrorAt = err.Error(), time.Now().UTC()
		r.st.Failures++
		r.mu.Unlock()
		if time.Since(began) > maxBackoff {
			backoff = minBackoff
		}
		log.Warn("export job failed; retrying", "err", err, "in", backoff)
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

// once is one attempt: open the bucket and export, following the stream.
func (r *runner) once(ctx context.Context) error {
	cfg := r.cfg
	cfg.MaxAttempts = 10
	cfg.Conns = max(r.rec.Job.Parallel, export.DefaultParallel)
	cfg.WrapHTTPClient = func(c aws.HTTPClient) aws.HTTPClient {
		return countingClient{base: c, errors: &r.s3Errors, throttled: &r.s3Throttled}
	}
	st, err := s3.New(ctx, cfg)
	if err != nil {
		return err
	}
	if err := st.CheckBucket(ctx); err != nil {
		return err
	}
	j := r.rec.Job
	o := export.Options{
		Stream: j.Stream, Follow: true, Parallel: j.Parallel,
		Batch: j.Batch, BatchBytes: j.BatchBytes, BatchAge: j.BatchAge,
		Logger: r.m.log.With("export", j.Name),
	}
	if j.Start != "" {
		cut, err := wire.ParseStreamCut(j.Start)
		if err != nil {
			return err
		}
		cut.Stream = j.Stream
		o.Start = &cut
	}
	r.mu.Lock()
	r.base, r.baseEvents, r.baseFramed = r.st, r.events, r.framed
	r.mu.Unlock()
	client := r.m.client
	o.Progress = func(p export.Progress) { r.progress(ctx, client, p) }
	_, err = export.Run(ctx, client, st, o)
	return err
}

// progress takes an attempt's progress, with the stream's lag behind it.
func (r *runner) progress(ctx context.Context, c *braid.Client, p export.Progress) {
	lagBytes, lag := int64(-1), time.Duration(-1)
	if info, err := c.GetStream(ctx, r.rec.Job.Stream); err == nil {
		lagBytes = lagOf(info, p.Position)
		switch {
		case lagBytes == 0:
			lag = 0
		case !p.AppendTime.IsZero():
			lag = max(time.Since(p.AppendTime), 0)
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.up = true
	r.st.Position = p.Position
	r.st.Objects = r.base.Objects + p.Objects
	r.st.Bytes = r.base.Bytes + p.Bytes
	r.st.Existing = r.base.Existing + p.Existing
	r.events = r.baseEvents + p.Events
	r.framed = r.baseFramed + p.EventBytes + int64(wire.HeaderSize)*p.Events
	if lagBytes >= 0 {
		r.st.LagBytes, r.st.Lag, r.st.LagEvents = lagBytes, lag, -1
		if r.events > 0 {
			r.st.LagEvents = int64(float64(lagBytes)*float64(r.events)/float64(r.framed) + 0.5)
		}
	}
}

// lagOf is the data of info's current segments past the cut text pos.
func lagOf(info braid.StreamInfo, pos string) int64 {
	at := map[uint64]int64{}
	if cut, err := wire.ParseStreamCut(pos); err == nil {
		for _, s := range cut.Segments {
			at[s.SegmentID] = s.Offset
		}
	}
	var lag int64
	for _, s := range info.Current {
		from, ok := at[s.ID]
		if !ok {
			from = s.StartOffset
		}
		lag += max(s.Length-from, 0)
	}
	return lag
}
