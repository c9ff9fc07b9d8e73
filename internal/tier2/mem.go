package tier2

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Mem is an in-memory Store, for tests.
type Mem struct {
	mu   sync.RWMutex
	objs map[string][]byte
}

var _ Store = (*Mem)(nil)

// NewMem returns an empty in-memory store.
func NewMem() *Mem { return &Mem{objs: map[string][]byte{}} }

// Put implements Store.
func (m *Mem) Put(ctx context.Context, key string, data []byte) error {
	if err := check(ctx, key); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.objs[key] = append([]byte(nil), data...)
	return nil
}

// GetRange implements Store.
func (m *Mem) GetRange(ctx context.Context, key string, off, length int64) ([]byte, error) {
	if err := check(ctx, key); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	b, ok := m.objs[key]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, key)
	}
	return Clip(b, off, length), nil
}

// Stat implements Store.
func (m *Mem) Stat(ctx context.Context, key string) (ObjectInfo, error) {
	if err := check(ctx, key); err != nil {
		return ObjectInfo{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	b, ok := m.objs[key]
	if !ok {
		return ObjectInfo{}, fmt.Errorf("%w: %s", ErrNotFound, key)
	}
	return ObjectInfo{Key: key, Size: int64(len(b))}, nil
}

// List implements Store.
func (m *Mem) List(ctx context.Context, prefix, after string, limit int) ([]ObjectInfo, error) {
	limit, err := ListLimit(ctx, prefix, limit)
	if err != nil {
		return nil, err
	}
	m.mu.RLock()
	var keys []string
	for k := range m.objs {
		if strings.HasPrefix(k, prefix) && k > after {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	if len(keys) > limit {
		keys = keys[:limit]
	}
	out := make([]ObjectInfo, len(keys))
	for i, k := range keys {
		out[i] = ObjectInfo{Key: k, Size: int64(len(m.objs[k]))}
	}
	m.mu.RUnlock()
	return out, nil
}

// Delete implements Store.
func (m *Mem) Delete(ctx context.Context, key string) error {
	if err := check(ctx, key); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.objs, key)
	return nil
}

func check(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return ValidKey(key)
}
