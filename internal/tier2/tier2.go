// Package tier2 is braid's long-term storage for segment chunks: a small
// blob interface with an in-memory backend (tests), a local-directory
// backend (the default, under the data directory) and an S3 backend
// (package s3). One conformance suite (package tier2test) runs against all
// of them.
//
// Keys are "/"-separated paths of non-empty parts made of [A-Za-z0-9._-]
// (no "." or ".." parts), at most 1024 bytes; ValidKey says why a key is
// refused. Objects are immutable once written, except that Put may replace
// an object whole (a chunk rewritten after a crash): a reader sees the old
// bytes or the new, never a mix.
package tier2

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// ErrNotFound is returned for a missing object.
var ErrNotFound = errors.New("tier2: object not found")

// ErrInvalidKey wraps a refused key.
var ErrInvalidKey = errors.New("tier2: invalid key")

// ObjectInfo describes one object.
type ObjectInfo struct {
	Key  string
	Size int64
}

// Store is a blob store. Implementations are safe for concurrent use. Every
// method returns ctx's error when ctx ends first, and wraps backend errors
// with the key involved. Buffers passed in are not retained; buffers
// returned belong to the caller.
type Store interface {
	// Put stores data as key's object, durably, replacing any object
	// there.
	Put(ctx context.Context, key string, data []byte) error
	// GetRange returns length bytes of key's object from off (length < 0:
	// to the end). A range past the end returns what exists; off beyond
	// the end returns no bytes. ErrNotFound if there is no object.
	GetRange(ctx context.Context, key string, off, length int64) ([]byte, error)
	// Stat returns key's size, or ErrNotFound.
	Stat(ctx context.Context, key string) (ObjectInfo, error)
	// List returns up to limit objects whose key starts with prefix and
	// sorts after after (byte order), in byte order. limit <= 0 means 1000.
	List(ctx context.Context, prefix, after string, limit int) ([]ObjectInfo, error)
	// Delete removes key's object; a missing object is not an error.
	Delete(ctx context.Context, key string) error
}

// MaxKeyLen bounds a key.
const MaxKeyLen = 1024

// ValidKey reports why key cannot name an object, or nil.
func ValidKey(key string) error {
	if key == "" || len(key) > MaxKeyLen {
		return fmt.Errorf("%w %q: must be 1 to %d bytes", ErrInvalidKey, truncate(key), MaxKeyLen)
	}
	for _, part := range strings.Split(key, "/") {
		if part == "" || part == "." || part == ".." {
			return fmt.Errorf("%w %q: empty, \".\" or \"..\" path part", ErrInvalidKey, truncate(key))
		}
		for i := 0; i < len(part); i++ {
			c := part[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
				return fmt.Errorf("%w %q: byte %q not allowed (use A-Z a-z 0-9 . _ - and /)", ErrInvalidKey, truncate(key), c)
			}
		}
	}
	return nil
}

func truncate(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// ValidPrefix reports why prefix cannot start keys: it is "" or a key
// prefix made of allowed bytes.
func ValidPrefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	p := strings.TrimSuffix(prefix, "/")
	if p == "" {
		return fmt.Errorf("%w prefix %q", ErrInvalidKey, prefix)
	}
	return ValidKey(p)
}

// Clip returns a copy of the [off, off+length) part of b (length < 0: to
// the end), with GetRange's rules for ranges past the end.
func Clip(b []byte, off, length int64) []byte {
	if off < 0 {
		off = 0
	}
	if off >= int64(len(b)) {
		return []byte{}
	}
	end := int64(len(b))
	if length >= 0 && off+length < end {
		end = off + length
	}
	return append([]byte(nil), b[off:end]...)
}

// ListLimit checks List's arguments the same way for every backend: ctx is
// live and prefix is valid. It returns the limit to use (limit <= 0 means
// 1000).
func ListLimit(ctx context.Context, prefix string, limit int) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if err := ValidPrefix(prefix); err != nil {
		return 0, err
	}
	if limit <= 0 {
		limit = 1000
	}
	return limit, nil
}
