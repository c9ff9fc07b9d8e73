package exportjob

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/meta"
	"github.com/braidstream/braid/internal/tier2/s3"
)

const keyPrefix = "exportjobs/"

// States of a job.
const (
	StateRunning  = "running"
	StateRetrying = "retrying"
	StateStopped  = "stopped"
	StateFinished = "finished" // the stream is sealed and all of it exported
)

// Status is a job and how it is doing.
type Status struct {
	Job     Job
	State   string
	Created time.Time
	// Position is the stream cut before which every event is exported.
	Position string
	// Objects, Bytes and Existing count, since the server started, the
	// objects written, their bytes, and those found already written.
	Objects, Bytes, Existing int64
	// LagBytes is the stream's data past Position; Lag how long ago the
	// last exported event was appended while LagBytes > 0 (-1: unknown).
	LagBytes int64
	Lag      time.Duration
	// LagEvents estimates LagBytes in events from the sizes of the events
	// exported so far (-1 before any).
	LagEvents int64
	// LastError is the last attempt's failure, if it failed.
	LastError   string
	LastErrorAt time.Time
	// Failures counts failed attempts; S3Errors and S3Throttled the S3
	// requests that failed or were throttled (and retried).
	Failures              int64
	S3Errors, S3Throttled int64
}

// Manager runs the jobs of one server. Its methods are safe for
// concurrent use.
type Manager struct {
	meta meta.Store
	log  *slog.Logger

	mu      sync.Mutex
	client  *braid.Client // set by Start
	ctx     context.Context
	jobs    map[string]*runner
	wg      sync.WaitGroup
	started bool
	closed  bool
}

// New returns a manager of the jobs in store; it registers the jobs'
// metrics with reg. Start runs them.
func New(store meta.Store, reg prometheus.Registerer, log *slog.Logger) *Manager {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m := &Manager{meta: store, log: log, jobs: map[string]*runner{}}
	if reg != nil {
		reg.MustRegister(collector{m})
	}
	return m
}

// Start loads the stored jobs and runs those not stopped, with client,
// until ctx ends or Close.
func (m *Manager) Start(ctx context.Context, client *braid.Client) error {
	kvs, err := m.meta.List(ctx, keyPrefix)
	if err != nil {
		return fmt.Errorf("loading export jobs: %w", err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return errors.New("export jobs: manager closed")
	}
	m.client, m.ctx, m.started = client, ctx, true
	for _, kv := range kvs {
		var rec record
		if err := json.Unmarshal(kv.Value, &rec); err != nil {
			m.log.Error("export job: unreadable record, skipped", "key", kv.Key, "err", err)
			continue
		}
		cfg, err := rec.Job.check()
		if err != nil {
			m.log.Error("export job: invalid record, skipped", "key", kv.Key, "err", err)
			continue
		}
		r := newRunner(m, rec, cfg)
		m.jobs[rec.Job.Name] = r
		if !rec.Stopped {
			m.runLocked(r)
		}
	}
	if len(m.jobs) > 0 {
		m.log.Info("export jobs loaded", "jobs", len(m.jobs))
	}
	return nil
}

// runLocked starts r's goroutine.
func (m *Manager) runLocked(r *runner) {
	ctx, cancel := context.WithCancel(m.ctx)
	done := make(chan struct{})
	r.cancel, r.done = cancel, done
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		defer close(done)
		r.run(ctx)
	}()
}

func (m *Manager) save(ctx context.Context, rec record, expect int64) error {
	b, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	_, err = m.meta.Put(ctx, keyPrefix+rec.Job.Name, b, expect)
	return err
}

// Create registers j and starts it.
func (m *Manager) Create(ctx context.Context, j Job) (Status, error) {
	cfg, err := j.check()
	if err != nil {
		return Status{}, err
	}
	r, err := m.create(ctx, j, cfg)
	if err != nil {
		return Status{}, err
	}
	return r.status(), nil
}

func (m *Manager) create(ctx context.Context, j Job, cfg s3.Config) (*runner, error) {
	m.mu.Lock()
	client, started := m.client, m.started
	m.mu.Unlock()
	if !started {
		return nil, errors.New("export jobs are not running on this server")
	}
	// Not under m.mu: the controller's deletions call into the manager
	// (StreamDeleted) while they hold the controller's lock.
	if _, err := client.GetStream(ctx, j.Stream); err != nil {
		if errors.Is(err, braid.ErrNotFound) {
			return nil, fmt.Errorf("%w: stream %s", ErrStreamNotFound, j.Stream)
		}
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, errors.New("export jobs are not running on this server")
	}
	if _, ok := m.jobs[j.Name]; ok {
		return nil, fmt.Errorf("%w: an export job named %q exists", ErrExists, j.Name)
	}
	for _, r := range m.jobs {
		if r.rec.Job.target() == j.target() {
			return nil, fmt.Errorf("%w: export job %q already exports %s to %s", ErrExists, r.rec.Job.Name, j.Stream, j.URL)
		}
	}
	if len(m.jobs) >= MaxJobs {
		return nil, invalid("the server runs %d export jobs, its most; delete one first", MaxJobs)
	}
	rec := record{Job: j, Created: time.Now().UTC()}
	if err := m.save(ctx, rec, meta.Absent); err != nil {
		if errors.Is(err, meta.ErrConflict) {
			return nil, fmt.Errorf("%w: an export job named %q exists", ErrExists, j.Name)
		}
		return nil, err
	}
	r := newRunner(m, rec, cfg)
	m.jobs[j.Name] = r
	m.runLocked(r)
	return r, nil
}

// List returns every job's status, by name.
func (m *Manager) List() []Status {
	m.mu.Lock()
	rs := make([]*runner, 0, len(m.jobs))
	for _, r := range m.jobs {
		rs = append(rs, r)
	}
	m.mu.Unlock()
	out := make([]Status, 0, len(rs))
	for _, r := range rs {
		out = append(out, r.status())
	}
	slices.SortFunc(out, func(a, b Status) int {
		switch {
		case a.Job.Name < b.Job.Name:
			return -1
		case a.Job.Name > b.Job.Name:
			return 1
		}
		return 0
	})
	return out
}

func (m *Manager) get(name string) (*runner, error) {
	r, ok := m.jobs[name]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrNotFound, name)
	}
	return r, nil
}

// Get returns one job's status.
func (m *Manager) Get(name string) (Status, error) {
	m.mu.Lock()
	r, err := m.get(name)
	m.mu.Unlock()
	if err != nil {
		return Status{}, err
	}
	return r.status(), nil
}

// Stop pauses a job: it stays registered, stopped across restarts.
func (m *Manager) Stop(ctx context.Context, name string) (Status, error) {
	return m.setStopped(ctx, name, true)
}

// Resume runs a stopped job again.
func (m *Manager) Resume(ctx context.Context, name string) (Status, error) {
	return m.setStopped(ctx, name, false)
}

func (m *Manager) setStopped(ctx context.Context, name string, stop bool) (Status, error) {
	m.mu.Lock()
	r, err := m.get(name)
	if err != nil {
		m.mu.Unlock()
		return Status{}, err
	}
	rec := r.rec
	rec.Stopped = stop
	if err := m.save(ctx, rec, meta.Any); err != nil {
		m.mu.Unlock()
		return Status{}, err
	}
	r.setRecord(rec)
	running := r.done != nil
	switch {
	case stop && running:
		cancel, done := r.cancel, r.done
		r.cancel, r.done = nil, nil
		m.mu.Unlock()
		cancel()
		<-done // the export saved its position
	case !stop && !running:
		m.runLocked(r)
		m.mu.Unlock()
	default:
		m.mu.Unlock()
	}
	return r.status(), nil
}

// Delete stops a job and forgets it. Its objects stay in the bucket.
func (m *Manager) Delete(ctx context.Context, name string) error {
	return m.remove(ctx, name, true)
}

// remove forgets a job and stops it, waiting for it to end if wait.
func (m *Manager) remove(ctx context.Context, name string, wait bool) error {
	m.mu.Lock()
	r, err := m.get(name)
	if err != nil {
		m.mu.Unlock()
		return err
	}
	if err := m.meta.Delete(ctx, keyPrefix+name, meta.Any); err != nil && !errors.Is(err, meta.ErrNotFound) {
		m.mu.Unlock()
		return err
	}
	delete(m.jobs, name)
	cancel, done := r.cancel, r.done
	r.cancel, r.done = nil, nil
	m.mu.Unlock()
	if cancel != nil {
		cancel()
		if wait {
			<-done
		}
	}
	return nil
}

// StreamDeleted deletes the jobs of a deleted stream (their objects stay
// in the bucket).
func (m *Manager) StreamDeleted(ctx context.Context, scope, name string) error {
	m.mu.Lock()
	var names []string
	for n, r := range m.jobs {
		if r.rec.Job.Stream == scope+"/"+name {
			names = append(names, n)
		}
	}
	m.mu.Unlock()
	var errs []error
	for _, n := range names {
		// Not waiting for the job to stop: this runs inside the
		// controller's deletion, which the job's own calls may wait on.
		if err := m.remove(ctx, n, false); err != nil && !errors.Is(err, ErrNotFound) {
			errs = append(errs, err)
		} else {
			m.log.Info("export job deleted with its stream", "export", n, "stream", scope+"/"+name)
		}
	}
	return errors.Join(errs...)
}

// Release stops every job (each saves its position), waits for them and forgets them, so that
// Start may load and run them again: a cluster node that stops leading
// releases them to the next leader.
func (m *Manager) Release() {
	m.mu.Lock()
	for _, r := range m.jobs {
		if r.cancel != nil {
			r.cancel()
		}
	}
	m.mu.Unlock()
	m.wg.Wait()
	m.mu.Lock()
	m.jobs = map[string]*runner{}
	m.client, m.started = nil, false
	m.mu.Unlock()
}

// Close stops every job (each saves its position) and waits for them.
func (m *Manager) Close() {
	m.mu.Lock()
	m.closed = true
	for _, r := range m.jobs {
		if r.cancel != nil {
			r.cancel()
		}
	}
	m.mu.Unlock()
	m.wg.Wait()
}
