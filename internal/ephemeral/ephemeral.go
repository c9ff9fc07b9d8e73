// Package ephemeral keeps ephemeral streams and scopes: each has holders
// that attached to it, each with a lease its client renews. When the last
// holder detaches, or every holder's lease ran out (its process died),
// the stream or scope is deleted after its grace period, with everything
// it holds. Records live in the metadata store; a deletion, once begun, is
// finished also across a restart.
//
// Leases are kept in memory and renewed there: a restart gives every
// holder a fresh lease from the moment the server is back, so downtime
// never expires a holder (etcd's leases behave alike). Attach and detach
// are stored at once.
package ephemeral

import (
	"errors"
	"fmt"
	"time"
)

// Errors of the manager.
var (
	ErrNotFound      = errors.New("not an ephemeral stream or scope")
	ErrUnknownHolder = errors.New("unknown holder")
	ErrDeleting      = errors.New("being deleted")
	ErrInvalid       = errors.New("invalid ephemeral request")
	// ErrNotLoaded: a cluster's new leader has not read the leases yet
	// (it will within moments: try again).
	ErrNotLoaded = errors.New("the ephemeral leases are not loaded yet")
)

// Kinds of ephemeral things.
const (
	KindStream = "stream"
	KindScope  = "scope"
)

// States of a record.
const (
	StateLive     = "live"
	StateDeleting = "deleting"
)

// Bounds of leases and grace periods.
const (
	MinLease     = time.Second
	MaxLease     = 24 * time.Hour
	DefaultLease = 30 * time.Second
	MaxGrace     = 7 * 24 * time.Hour
	// MaxHolders bounds the holders of one stream or scope.
	MaxHolders = 1024
)

// Holder is one attachment.
type Holder struct {
	ID       string        `json:"id"`
	Name     string        `json:"name"` // who: a process, a job; free text
	Lease    time.Duration `json:"lease"`
	Attached time.Time     `json:"attached"`
	// Expires is when the lease runs out unless renewed (not stored).
	Expires time.Time `json:"-"`
}

// Record is one ephemeral stream or scope.
type Record struct {
	Kind    string        `json:"kind"`
	Scope   string        `json:"scope"`
	Stream  string        `json:"stream,omitempty"` // KindStream only
	Owner   string        `json:"owner"`            // the first holder's name
	Grace   time.Duration `json:"grace"`
	Created time.Time     `json:"created"`
	State   string        `json:"state"`
	Holders []Holder      `json:"holders"`
	// EmptySince is when the last holder went (not stored: a restart
	// starts the grace period again).
	EmptySince time.Time `json:"-"`
	// Deleting records why a deletion began.
	Reason string `json:"reason,omitempty"`

	// version is the stored record's version (0: not stored yet): every
	// save is a compare-and-swap on it, so that a manager never writes
	// over a record that another node changed or deleted.
	version int64
}

// Name is "scope/stream" or "scope".
func (r *Record) Name() string {
	if r.Kind == KindScope {
		return r.Scope
	}
	return r.Scope + "/" + r.Stream
}

func key(scope, stream string) string {
	if stream == "" {
		return "ephemeral/" + scope
	}
	return "ephemeral/" + scope + "/" + stream
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

func checkLease(d time.Duration) (time.Duration, error) {
	switch {
	case d == 0:
		return DefaultLease, nil
	case d < MinLease || d > MaxLease:
		return 0, invalid("lease %s: want %s to %s", d, MinLease, MaxLease)
	}
	return d, nil
}
