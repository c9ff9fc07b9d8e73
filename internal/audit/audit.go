// Package audit is the server's record of cleanups: every stream or scope
// the server deleted by itself (an ephemeral one whose holders went, a
// stale one collected), with what, why, when and by which rule. Entries
// are JSON events in one internal segment, "_braid/audit", appended and
// fsynced like any event, so they survive restarts; "braid gc log" reads
// them.
package audit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/braidstream/braid/internal/storage/segstore"
	"github.com/braidstream/braid/wire"
)

// SegmentName is the audit log's segment.
const SegmentName = "_braid/audit"

// Rules that delete.
const (
	RuleEphemeral = "ephemeral" // the holders of an ephemeral stream or scope went
	RuleInactive  = "inactive"  // braid gc --inactive
	RuleScopeTTL  = "inactive-ttl"
)

// Entry is one cleanup.
type Entry struct {
	Time   time.Time `json:"time"`
	Action string    `json:"action"` // "delete"
	Kind   string    `json:"kind"`   // "stream" or "scope"
	Name   string    `json:"name"`
	Rule   string    `json:"rule"`
	Reason string    `json:"reason"`
	// Offset is where the entry is in the log (set by Read).
	Offset int64 `json:"offset"`
}

// SegmentStore is what the log needs of the segment store.
type SegmentStore interface {
	Create(ctx context.Context, name string) error
	AppendWait(ctx context.Context, name string, req segstore.AppendRequest) (segstore.Result, error)
	Read(ctx context.Context, name string, offset int64, maxBytes int, wait bool) (segstore.ReadResult, error)
	Info(ctx context.Context, name string) (segstore.Info, error)
}

// Log appends and reads the audit log.
type Log struct {
	st SegmentStore
	mu sync.Mutex // one append at a time, so a create race cannot lose one
}

// New returns the audit log in st.
func New(st SegmentStore) *Log { return &Log{st: st} }

// Record appends e.
func (l *Log) Record(ctx context.Context, e Entry) error {
	if e.Time.IsZero() {
		e.Time = time.Now().UTC()
	}
	e.Offset = 0
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	req := segstore.AppendRequest{Events: 1, Data: wire.AppendFrame(nil, b)}
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err = l.st.AppendWait(ctx, SegmentName, req)
	if errors.Is(err, segstore.ErrNotFound) {
		if err = l.st.Create(ctx, SegmentName); err != nil && !errors.Is(err, segstore.ErrExists) {
			return err
		}
		_, err = l.st.AppendWait(ctx, SegmentName, req)
	}
	return err
}

// Read returns up to limit entries from offset on (0: the start), and the
// offset to read on from.
func (l *Log) Read(ctx context.Context, offset int64, limit int) ([]Entry, int64, error) {
	info, err := l.st.Info(ctx, SegmentName)
	if errors.Is(err, segstore.ErrNotFound) {
		return []Entry{}, 0, nil
	}
	if err != nil {
		return nil, offset, err
	}
	offset = max(offset, info.Start)
	out := []Entry{}
	for offset < info.Length && len(out) < limit {
		res, err := l.st.Read(ctx, SegmentName, offset, 1<<20, false)
		if err != nil {
			return nil, offset, err
		}
		if len(res.Data) == 0 {
			break
		}
		next := res.Offset
		_, err = wire.ScanFrames(res.Data, 0, func(o int, payload []byte) error {
			if len(out) >= limit {
				return errStop
			}
			var e Entry
			if err := json.Unmarshal(payload, &e); err != nil {
				return fmt.Errorf("audit entry at %d: %w", res.Offset+int64(o), err)
			}
			e.Offset = res.Offset + int64(o)
			out = append(out, e)
			next = res.Offset + int64(o) + int64(wire.FrameSize(len(payload)))
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			return nil, offset, err
		}
		offset = next
		if errors.Is(err, errStop) {
			break
		}
	}
	return out, offset, nil
}

var errStop = errors.New("stop")
