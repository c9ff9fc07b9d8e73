// Package meta is braid's metadata store: a small versioned key-value store
// for stream metadata, kept apart from segment data. One node uses the
// embedded implementation (bbolt); a cluster will use etcd behind the same
// interface.
package meta

import (
	"context"
	"errors"
)

// Errors of the store.
var (
	ErrNotFound = errors.New("meta: key not found")
	ErrConflict = errors.New("meta: version conflict")
)

// Version expectations for Put and Delete.
const (
	// Any accepts whatever version is stored (or none).
	Any int64 = -1
	// Absent requires that the key does not exist.
	Absent int64 = 0
)

// KV is one stored entry.
type KV struct {
	Key     string
	Value   []byte
	Version int64
}

// Store is a versioned key-value store. Versions start at 1 and grow with
// every Put of a key. Implementations are safe for concurrent use.
type Store interface {
	// Get returns a key's value and version, or ErrNotFound.
	Get(ctx context.Context, key string) (KV, error)
	// Put stores value if the key's version equals expect (Any, Absent, or
	// a version), returning the new version; otherwise ErrConflict.
	Put(ctx context.Context, key string, value []byte, expect int64) (int64, error)
	// Delete removes a key if its version equals expect (or Any);
	// ErrNotFound if it is absent.
	Delete(ctx context.Context, key string, expect int64) error
	// List returns the entries whose key starts with prefix, in key order.
	List(ctx context.Context, prefix string) ([]KV, error)
	// Close releases the store.
	Close() error
}

// FreshGetter is a Store that serves reads from a copy (Etcd) and can
// read a key from its source.
type FreshGetter interface {
	GetFresh(ctx context.Context, key string) (KV, error)
}

// GetFresh reads key from s's source if s keeps a copy, else from s. If
// the source cannot be reached, the copy answers.
func GetFresh(ctx context.Context, s Store, key string) (KV, error) {
	f, ok := s.(FreshGetter)
	if !ok {
		return s.Get(ctx, key)
	}
	kv, err := f.GetFresh(ctx, key)
	if err == nil || errors.Is(err, ErrNotFound) {
		return kv, err
	}
	return s.Get(ctx, key)
}
