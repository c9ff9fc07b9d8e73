package queryjob

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/meta"
)

const keyPrefix = "queries/"

// Manager runs the queries of one server. Its methods are safe for
// concurrent use.
type Manager struct {
	meta meta.Store
	log  *slog.Logger
	cfg  Config

	mu      sync.Mutex
	client  *braid.Client // set by Start
	ctx     context.Context
	runs    map[string]*runner
	wg      sync.WaitGroup
	started bool
	closed  bool
}

// Config tunes the runners; the zero value is the defaults.
type Config struct {
	// CheckpointEvery is the least time between two checkpoints that
	// carry results (default 200 ms): results wait at most about this
	// long in the outbox.
	CheckpointEvery time.Duration
	// IdleCheckpointEvery is how often a checkpoint records the input
	// position and state when no result came (default 5 s).
	IdleCheckpointEvery time.Duration
}

func (c Config) withDefaults() Config {
	if c.CheckpointEvery <= 0 {
		c.CheckpointEvery = 200 * time.Millisecond
	}
	if c.IdleCheckpointEvery <= 0 {
		c.IdleCheckpointEvery = 5 * time.Second
	}
	return c
}

// New returns a manager of the queries in store; it registers the
// queries' metrics with reg. Start runs them.
func New(store meta.Store, reg prometheus.Registerer, log *slog.Logger, cfg Config) *Manager {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m := &Manager{meta: store, log: log, cfg: cfg.withDefaults(), runs: map[string]*runner{}}
	if reg != nil {
		reg.MustRegister(collector{m})
	}
	return m
}

// Start loads the deployed queries and runs those not stopped, with
// client, until ctx ends or Close.
func (m *Manager) Start(ctx context.Context, client *braid.Client) error {
	kvs, err := m.meta.List(ctx, keyPrefix)
	if err != nil {
		return fmt.Errorf("loading queries: %w", err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return errors.New("queries: manager closed")
	}
	m.client, m.ctx, m.started = client, ctx, true
	for _, kv := range kvs {
		var rec record
		if err := json.Unmarshal(kv.Value, &rec); err != nil || len(rec.Versions) == 0 {
			m.log.Error("query: unreadable record, skipped", "key", kv.Key, "err", err)
			continue
		}
		r, err := newRunner(m, rec, kv.Version)
		if err != nil {
			m.log.Error("query: its text no longer parses, skipped", "query", rec.Name, "err", err)
			continue
		}
		m.runs[rec.Name] = r
		if !rec.Stopped {
			m.runLocked(r)
		}
	}
	if len(m.runs) > 0 {
		m.log.Info("queries loaded", "queries", len(m.runs))
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

// save stores rec if its version is expect, and returns the new version.
func (m *Manager) save(ctx context.Context, rec record, expect int64) (int64, error) {
	b, err := json.Marshal(rec)
	if err != nil {
		return 0, err
	}
	return m.meta.Put(ctx, keyPrefix+rec.Name, b, expect)
}

func (m *Manager) clientStarted() (*braid.Client, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.started || m.closed {
		return nil, errors.New("queries are not running on this server")
	}
	return m.client, nil
}

// Validation is what Validate found.
type Validation struct {
	// Problem is the first thing wrong, nil when the query is good.
	Problem  error
	Columns  []Column
	Input    string
	Output   string
	Late     string
	Warnings []string
}

// Validate parses and checks a query as Deploy would, without deploying
// it. name may be empty (the default output is then named after
// "query").
func (m *Manager) Validate(ctx context.Context, name, text string, force bool) (Validation, error) {
	client, err := m.clientStarted()
	if err != nil {
		return Validation{}, err
	}
	if name == "" {
		name = "query"
	} else if err := checkName(name); err != nil {
		return Validation{Problem: err}, nil
	}
	p, err := prepare(ctx, client, name, text, force)
	if err != nil {
		if isProblem(err) {
			return Validation{Problem: err}, nil
		}
		return Validation{}, err
	}
	return Validation{Columns: p.columns, Input: p.input, Output: p.output, Late: p.late, Warnings: p.warnings}, nil
}

// isProblem reports whether err is the query's fault rather than the
// server's.
func isProblem(err error) bool {
	return errors.Is(err, ErrInvalid)
}

// Deploy validates and runs a query. An existing name is refused unless
// replace: the query then gets a new version that goes on from where the
// old one had read to, with no state.
func (m *Manager) Deploy(ctx context.Context, name, text string, replace, force bool) (Status, []string, error) {
	if err := checkName(name); err != nil {
		return Status{}, nil, err
	}
	client, err := m.clientStarted()
	if err != nil {
		return Status{}, nil, err
	}
	p, err := prepare(ctx, client, name, text, force)
	if err != nil {
		return Status{}, nil, err
	}
	// The streams it writes, before it is registered: a failure here
	// leaves nothing behind but streams.
	if err := ensureStreams(ctx, client, p); err != nil {
		return Status{}, nil, err
	}
	r, err := m.register(ctx, name, text, replace, p)
	if err != nil {
		return Status{}, nil, err
	}
	return r.status(), p.warnings, nil
}

// register records a query (or its new version) and runs it.
func (m *Manager) register(ctx context.Context, name, text string, replace bool, p *plan) (*runner, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, errors.New("queries are not running on this server")
	}
	now := time.Now().UTC()
	old, exists := m.runs[name]
	switch {
	case exists && !replace:
		return nil, fmt.Errorf("%w: a query named %q is deployed (version %d); deploy with replace (--replace) for a new version", ErrExists, name, old.record().current().Version)
	case !exists && len(m.runs) >= MaxQueries:
		return nil, invalid("the server runs %d queries, its most; delete one first", MaxQueries)
	}
	id, err := newID()
	if err != nil {
		return nil, err
	}
	rec := record{Name: name, ID: id, Created: now}
	expect := meta.Absent
	if exists {
		if old.record().current().SQL == text {
			return old, nil // the same text: nothing to do
		}
		// Stopped first: it commits its last checkpoint, where the new
		// version goes on from.
		wasRunning := old.runningLocked()
		m.stopLocked(old)
		rec, expect = old.record(), old.version()
		defer func() {
			if m.runs[name] == old && wasRunning && old.done == nil {
				m.runLocked(old) // the new version did not take
			}
		}()
	}
	if rec.ID == "" {
		rec.ID = id
	}
	rec.Versions = append(slices.Clip(rec.Versions), Version{Version: int64(len(rec.Versions) + 1), SQL: text, Deployed: now})
	rec.Stopped = false
	ver, err := m.save(ctx, rec, expect)
	if err != nil {
		if errors.Is(err, meta.ErrConflict) {
			return nil, fmt.Errorf("%w: a query named %q is deployed", ErrExists, name)
		}
		return nil, err
	}
	r := &runner{m: m}
	r.init(rec, p, ver)
	m.runs[name] = r
	m.runLocked(r)
	m.log.Info("query deployed", "query", name, "version", rec.current().Version, "input", p.input, "output", p.output)
	return r, nil
}

// stopLocked cancels r and waits for it (it saves its last checkpoint).
// Runners never take m.mu, so holding it meanwhile is safe.
func (m *Manager) stopLocked(r *runner) {
	cancel, done := r.cancel, r.done
	r.cancel, r.done = nil, nil
	if cancel != nil {
		cancel()
		<-done
	}
}

// List returns every query's status, by name.
func (m *Manager) List() []Status {
	m.mu.Lock()
	rs := make([]*runner, 0, len(m.runs))
	for _, r := range m.runs {
		rs = append(rs, r)
	}
	m.mu.Unlock()
	out := make([]Status, 0, len(rs))
	for _, r := range rs {
		out = append(out, r.status())
	}
	slices.SortFunc(out, func(a, b Status) int { return strings.Compare(a.Name, b.Name) })
	return out
}

func (m *Manager) get(name string) (*runner, error) {
	r, ok := m.runs[name]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrNotFound, name)
	}
	return r, nil
}

// Get returns one query's status.
func (m *Manager) Get(name string) (Status, error) {
	m.mu.Lock()
	r, err := m.get(name)
	m.mu.Unlock()
	if err != nil {
		return Status{}, err
	}
	return r.status(), nil
}

// Stop pauses a query: it stays deployed, stopped across restarts, at its
// last checkpoint.
func (m *Manager) Stop(ctx context.Context, name string) (Status, error) {
	return m.setStopped(ctx, name, true)
}

// Resume runs a stopped query again from its last checkpoint.
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
	if m.closed {
		m.mu.Unlock()
		return Status{}, errors.New("queries are not running on this server")
	}
	if stop && r.runningLocked() {
		m.stopLocked(r)
	}
	if err := r.updateRecord(ctx, func(rec *record) { rec.Stopped = stop }); err != nil {
		m.mu.Unlock()
		return Status{}, err
	}
	if !stop && !r.runningLocked() {
		r.clearFailure()
		m.runLocked(r)
	}
	m.mu.Unlock()
	return r.status(), nil
}

// Delete stops a query and forgets it, deleting its state stream and, if
// deleteOutput, its output stream.
func (m *Manager) Delete(ctx context.Context, name string, deleteOutput bool) error {
	m.mu.Lock()
	r, err := m.get(name)
	if err != nil {
		m.mu.Unlock()
		return err
	}
	m.stopLocked(r)
	if err := m.meta.Delete(ctx, keyPrefix+name, meta.Any); err != nil && !errors.Is(err, meta.ErrNotFound) {
		m.mu.Unlock()
		return err
	}
	delete(m.runs, name)
	client := m.client
	m.mu.Unlock()
	p := r.plan()
	streams := []string{p.state}
	if deleteOutput {
		streams = append(streams, p.output)
	}
	var errs []error
	for _, s := range streams {
		if err := client.DeleteStream(ctx, s); err != nil && !errors.Is(err, braid.ErrNotFound) {
			errs = append(errs, fmt.Errorf("query %s deleted; deleting its stream %s: %w", name, s, err))
		}
	}
	m.log.Info("query deleted", "query", name, "output_deleted", deleteOutput)
	return errors.Join(errs...)
}

// StreamDeleted deletes the queries whose input is a deleted stream, with
// their state streams (their output streams stay).
func (m *Manager) StreamDeleted(ctx context.Context, scope, name string) error {
	stream := scope + "/" + name
	m.mu.Lock()
	var gone []*runner
	for n, r := range m.runs {
		if r.plan().input == stream {
			gone = append(gone, r)
			delete(m.runs, n)
			if r.cancel != nil {
				r.cancel()
			}
		}
	}
	client, closed := m.client, m.closed
	m.mu.Unlock()
	var errs []error
	for _, r := range gone {
		// The record goes now; a save the runner makes while it stops
		// fails, as it expects the record's version. Not waiting for
		// the runner here: this runs inside the controller's deletion,
		// which the runner's own calls may wait on.
		if err := m.meta.Delete(ctx, keyPrefix+r.record().Name, meta.Any); err != nil && !errors.Is(err, meta.ErrNotFound) {
			errs = append(errs, err)
		}
		m.log.Info("query deleted with its input stream", "query", r.record().Name, "stream", stream)
		if closed || client == nil {
			continue
		}
		done, state := r.done, r.plan().state
		m.wg.Add(1)
		go func() {
			defer m.wg.Done()
			if done != nil {
				<-done
			}
			dctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := client.DeleteStream(dctx, state); err != nil && !errors.Is(err, braid.ErrNotFound) {
				m.log.Warn("query deleted with its input: its state stream stays", "stream", state, "err", err)
			}
		}()
	}
	return errors.Join(errs...)
}

// Release stops every query (each saves a checkpoint), waits for them and forgets them, so that
// Start may load and run them again: a cluster node that stops leading
// releases them to the next leader.
func (m *Manager) Release() {
	m.mu.Lock()
	for _, r := range m.runs {
		if r.cancel != nil {
			r.cancel()
		}
	}
	m.mu.Unlock()
	m.wg.Wait()
	m.mu.Lock()
	m.runs = map[string]*runner{}
	m.client, m.started = nil, false
	m.mu.Unlock()
}

// Close stops every query (each saves a checkpoint) and waits for them.
func (m *Manager) Close() {
	m.mu.Lock()
	m.closed = true
	for _, r := range m.runs {
		if r.cancel != nil {
			r.cancel()
		}
	}
	m.mu.Unlock()
	m.wg.Wait()
}

// newID is a deployment's random id.
func newID() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}
