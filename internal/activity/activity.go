// Package activity keeps when each stream was last written and last read,
// for finding streams that programs left behind (braid gc --inactive, a
// scope's inactive-ttl). The data path notes activity in memory (a map
// lookup and an atomic store); the times are saved to the metadata store
// about once a minute and loaded at start, so they survive restarts (a
// crash loses at most the last minute's, which only makes a stream look
// up to a minute older).
package activity

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/braidstream/braid/internal/meta"
)

const keyPrefix = "activity/"

// Recorder is told of every stored batch (the next in the chain).
type Recorder interface {
	Record(scope, stream string, segment uint64, events, bytes int)
}

// Times are a stream's last write and last read (zero: none seen).
type Times struct {
	Write time.Time `json:"write"`
	Read  time.Time `json:"read"`
}

type entry struct {
	write, read atomic.Int64 // unix nanos
	saved       Times
}

// Tracker notes activity. It is safe for concurrent use.
type Tracker struct {
	meta meta.Store
	next Recorder
	log  *slog.Logger

	mu      sync.RWMutex
	streams map[[2]string]*entry
}

// New returns a tracker that passes stored batches on to next (may be nil).
func New(store meta.Store, next Recorder, log *slog.Logger) *Tracker {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Tracker{meta: store, next: next, log: log, streams: map[[2]string]*entry{}}
}

func (t *Tracker) get(scope, stream string) *entry {
	k := [2]string{scope, stream}
	t.mu.RLock()
	e := t.streams[k]
	t.mu.RUnlock()
	if e != nil {
		return e
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if e = t.streams[k]; e == nil {
		e = &entry{}
		t.streams[k] = e
	}
	return e
}

// Record notes a write and passes the batch on.
func (t *Tracker) Record(scope, stream string, segment uint64, events, bytes int) {
	t.get(scope, stream).write.Store(time.Now().UnixNano())
	if t.next != nil {
		t.next.Record(scope, stream, segment, events, bytes)
	}
}

// Read notes a read.
func (t *Tracker) Read(scope, stream string, events, bytes int) {
	if events > 0 {
		t.get(scope, stream).read.Store(time.Now().UnixNano())
	}
}

// Get returns a stream's times.
func (t *Tracker) Get(scope, stream string) Times {
	t.mu.RLock()
	e := t.streams[[2]string{scope, stream}]
	t.mu.RUnlock()
	if e == nil {
		return Times{}
	}
	return e.times()
}

func (e *entry) times() Times {
	var out Times
	if n := e.write.Load(); n > 0 {
		out.Write = time.Unix(0, n).UTC()
	}
	if n := e.read.Load(); n > 0 {
		out.Read = time.Unix(0, n).UTC()
	}
	return out
}

// Load reads the saved times (at start: a Refresh of an empty tracker).
func (t *Tracker) Load(ctx context.Context) error { return t.Refresh(ctx) }

// Refresh takes in the times other nodes saved: each stream's times
// become the later of the tracker's and the stored. In a cluster every
// node notes the calls it serves and saves them, so the leader refreshes
// before it judges which streams are inactive.
func (t *Tracker) Refresh(ctx context.Context) error {
	kvs, err := t.meta.List(ctx, keyPrefix)
	if err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, kv := range kvs {
		scope, stream, ok := strings.Cut(strings.TrimPrefix(kv.Key, keyPrefix), "/")
		if !ok {
			continue
		}
		var ts Times
		if err := json.Unmarshal(kv.Value, &ts); err != nil {
			t.log.Warn("activity: unreadable record, skipped", "key", kv.Key, "err", err)
			continue
		}
		k := [2]string{scope, stream}
		e := t.streams[k]
		if e == nil {
			e = &entry{}
			t.streams[k] = e
		}
		later(&e.write, ts.Write)
		later(&e.read, ts.Read)
		if e.saved.Write.Before(ts.Write) {
			e.saved.Write = ts.Write
		}
		if e.saved.Read.Before(ts.Read) {
			e.saved.Read = ts.Read
		}
	}
	return nil
}

// later stores ts in v if it is later than v's.
func later(v *atomic.Int64, ts time.Time) {
	if ts.IsZero() {
		return
	}
	n := ts.UnixNano()
	for {
		old := v.Load()
		if old >= n || v.CompareAndSwap(old, n) {
			return
		}
	}
}

// Save writes the times that changed since the last save.
func (t *Tracker) Save(ctx context.Context) error {
	t.mu.RLock()
	type change struct {
		k  [2]string
		e  *entry
		ts Times
	}
	var changes []change
	for k, e := range t.streams {
		if ts := e.times(); ts != e.saved {
			changes = append(changes, change{k, e, ts})
		}
	}
	t.mu.RUnlock()
	var errs []error
	for _, c := range changes {
		b, _ := json.Marshal(c.ts)
		if _, err := t.meta.Put(ctx, keyPrefix+c.k[0]+"/"+c.k[1], b, meta.Any); err != nil {
			errs = append(errs, err)
			continue
		}
		t.mu.Lock()
		c.e.saved = c.ts
		t.mu.Unlock()
	}
	return errors.Join(errs...)
}

// Run saves every interval until ctx ends, and once more then.
func (t *Tracker) Run(ctx context.Context, interval time.Duration) {
	tk := time.NewTicker(interval)
	defer tk.Stop()
	for {
		select {
		case <-ctx.Done():
			if err := t.Save(context.WithoutCancel(ctx)); err != nil {
				t.log.Warn("activity: saving last-activity times failed", "err", err)
			}
			return
		case <-tk.C:
			if err := t.Save(ctx); err != nil {
				t.log.Warn("activity: saving last-activity times failed", "err", err)
			}
		}
	}
}

// StreamDeleted forgets a deleted stream.
func (t *Tracker) StreamDeleted(ctx context.Context, scope, stream string) error {
	t.mu.Lock()
	delete(t.streams, [2]string{scope, stream})
	t.mu.Unlock()
	if err := t.meta.Delete(ctx, keyPrefix+scope+"/"+stream, meta.Any); err != nil && !errors.Is(err, meta.ErrNotFound) {
		return err
	}
	return nil
}
