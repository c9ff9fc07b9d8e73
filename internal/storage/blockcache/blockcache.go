// Package blockcache is a byte-bounded LRU cache of immutable blocks with
// two classes, so that one kind of use cannot starve the other.
//
// Hot blocks are what the storage writer just moved to tier 2: the data tail
// readers are about to ask for. Cold blocks are what catch-up readers
// fetched from tier 2. Each class has a share of the capacity (hot: the
// hot fraction; cold: the rest). When the cache is over capacity, the class
// over its share loses its least recently used block. So a reader scanning
// months of history can evict other cold blocks and hot blocks beyond the
// hot share, but never the recent data within it; and a burst of writes
// cannot push out catch-up readers' blocks below their share either.
package blockcache

import (
	"container/list"
	"sync"
)

// Class says which share a block counts against.
type Class int

const (
	// Cold blocks were read from tier 2.
	Cold Class = iota
	// Hot blocks were just written to tier 2.
	Hot
)

// Stats are counters and sizes at one moment.
type Stats struct {
	Hits, Misses, Evictions int64
	HotBytes, ColdBytes     int64
	Blocks                  int
}

type entry[K comparable] struct {
	key   K
	data  []byte
	class Class
	elem  *list.Element
}

// Cache is safe for concurrent use. The zero value is not usable; call New.
type Cache[K comparable] struct {
	mu       sync.Mutex
	capacity int64
	hotShare int64
	items    map[K]*entry[K]
	lru      [2]*list.List // per class, front = most recent
	size     [2]int64
	stats    Stats
}

// New returns a cache holding at most capacity bytes, of which hotFraction
// (0..1) is the hot share. A capacity <= 0 caches nothing.
func New[K comparable](capacity int64, hotFraction float64) *Cache[K] {
	hotFraction = min(max(hotFraction, 0), 1)
	return &Cache[K]{
		capacity: capacity,
		hotShare: int64(float64(capacity) * hotFraction),
		items:    map[K]*entry[K]{},
		lru:      [2]*list.List{list.New(), list.New()},
	}
}

// Get returns a block and marks it recently used. The bytes are shared:
// callers must not modify them.
func (c *Cache[K]) Get(k K) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.items[k]
	if e == nil {
		c.stats.Misses++
		return nil, false
	}
	c.stats.Hits++
	c.lru[e.class].MoveToFront(e.elem)
	return e.data, true
}

// Peek returns a block without counting a hit or miss or marking it used.
func (c *Cache[K]) Peek(k K) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.items[k]; e != nil {
		return e.data, true
	}
	return nil, false
}

// Add stores a block, replacing one under the same key, and evicts what
// the capacity requires. The cache keeps data: callers must not modify it
// afterwards. A block larger than the class's share is not kept.
func (c *Cache[K]) Add(k K, data []byte, class Class) {
	n := int64(len(data))
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.items[k]; old != nil {
		c.remove(old)
	}
	share := c.hotShare
	if class == Cold {
		share = c.capacity - c.hotShare
	}
	if n > share {
		return
	}
	e := &entry[K]{key: k, data: data, class: class}
	e.elem = c.lru[class].PushFront(e)
	c.items[k] = e
	c.size[class] += n
	for c.size[Hot]+c.size[Cold] > c.capacity {
		victim := Cold
		if c.size[Hot] > c.hotShare || c.lru[Cold].Len() == 0 {
			victim = Hot
		}
		back := c.lru[victim].Back()
		c.remove(back.Value.(*entry[K]))
		c.stats.Evictions++
	}
}

// Remove drops a block if present.
func (c *Cache[K]) Remove(k K) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.items[k]; e != nil {
		c.remove(e)
	}
}

func (c *Cache[K]) remove(e *entry[K]) {
	c.lru[e.class].Remove(e.elem)
	c.size[e.class] -= int64(len(e.data))
	delete(c.items, e.key)
}

// Stats returns the current counters.
func (c *Cache[K]) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats
	s.HotBytes, s.ColdBytes, s.Blocks = c.size[Hot], c.size[Cold], len(c.items)
	return s
}

// Capacity returns the byte bound.
func (c *Cache[K]) Capacity() int64 { return c.capacity }
