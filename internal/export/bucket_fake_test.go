package export_test

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/braidstream/braid/internal/export"
	"github.com/braidstream/braid/internal/tier2"
	"github.com/braidstream/braid/internal/tier2/s3"
)

// memBucket is an in-memory export.Bucket with S3's semantics where the
// export relies on them: Create is create-if-absent (an error wrapping
// s3.ErrExists when the key holds an object), Head's ETag is the hex MD5 of
// the bytes, a missing object is tier2.ErrNotFound, List is in byte order.
// Every method fails with ctx's error once ctx is done, as s3.Store does.
type memBucket struct {
	mu      sync.Mutex
	objs    map[string]memObject
	creates int // Create calls, failed ones included
	puts    int // Put calls
	// failCreate, if set, is asked on each Create call with its number
	// (from 1) and key; an error it returns fails the call, before the
	// object is stored.
	failCreate func(n int, key string) error
}

type memObject struct {
	data []byte
	meta map[string]string
}

var _ export.Bucket = (*memBucket)(nil)

func newMemBucket() *memBucket { return &memBucket{objs: map[string]memObject{}} }

// failOnCreate makes the nth Create call (counted from now on, from 1)
// fail with err; the calls after it succeed.
func (b *memBucket) failOnCreate(nth int, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	first := b.creates
	b.failCreate = func(n int, _ string) error {
		if n-first == nth {
			return err
		}
		return nil
	}
}

func (b *memBucket) Create(ctx context.Context, key string, data []byte, meta map[string]string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("membucket: create %q: %w", key, err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.creates++
	if b.failCreate != nil {
		if err := b.failCreate(b.creates, key); err != nil {
			return fmt.Errorf("membucket: create %q: %w", key, err)
		}
	}
	if _, ok := b.objs[key]; ok {
		return fmt.Errorf("membucket: create %q: %w", key, s3.ErrExists)
	}
	b.objs[key] = memObject{data: slices.Clone(data), meta: maps.Clone(meta)}
	return nil
}

func (b *memBucket) Head(ctx context.Context, key string) (s3.ObjectHead, error) {
	if err := ctx.Err(); err != nil {
		return s3.ObjectHead{}, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	o, ok := b.objs[key]
	if !ok {
		return s3.ObjectHead{}, fmt.Errorf("membucket: head %q: %w", key, tier2.ErrNotFound)
	}
	sum := md5.Sum(o.data)
	return s3.ObjectHead{Size: int64(len(o.data)), ETag: hex.EncodeToString(sum[:]), Metadata: maps.Clone(o.meta)}, nil
}

func (b *memBucket) Put(ctx context.Context, key string, data []byte) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("membucket: put %q: %w", key, err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.puts++
	b.objs[key] = memObject{data: slices.Clone(data)}
	return nil
}

// GetRange returns length bytes at off (length < 0: to the end).
func (b *memBucket) GetRange(ctx context.Context, key string, off, length int64) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	o, ok := b.objs[key]
	if !ok {
		return nil, fmt.Errorf("membucket: get %q: %w", key, tier2.ErrNotFound)
	}
	d := o.data[min(max(off, 0), int64(len(o.data))):]
	if length >= 0 {
		d = d[:min(length, int64(len(d)))]
	}
	return slices.Clone(d), nil
}

func (b *memBucket) List(ctx context.Context, prefix, after string, limit int) ([]tier2.ObjectInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 1000
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []tier2.ObjectInfo
	for _, k := range slices.Sorted(maps.Keys(b.objs)) {
		if len(out) == limit {
			break
		}
		if k > after && strings.HasPrefix(k, prefix) {
			out = append(out, tier2.ObjectInfo{Key: k, Size: int64(len(b.objs[k].data))})
		}
	}
	return out, nil
}

// createCalls is the number of Create calls so far.
func (b *memBucket) createCalls() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.creates
}

// object returns key's object.
func (b *memBucket) object(key string) (memObject, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	o, ok := b.objs[key]
	return o, ok
}

// keys returns every key, in byte order.
func (b *memBucket) keys() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Sorted(maps.Keys(b.objs))
}

// len is the number of objects.
func (b *memBucket) len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.objs)
}

// TestMemBucket checks the fake's S3 semantics that the tests rely on.
func TestMemBucket(t *testing.T) {
	ctx := context.Background()
	b := newMemBucket()
	for _, k := range []string{"p/b", "p/a", "p/c", "q/a", "p/a/x"} {
		if err := b.Create(ctx, k, []byte(k), map[string]string{"k": k}); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Create(ctx, "p/a", []byte("other"), nil); !errors.Is(err, s3.ErrExists) {
		t.Errorf("Create of an existing key: %v, want ErrExists", err)
	}
	if o, _ := b.object("p/a"); string(o.data) != "p/a" {
		t.Errorf("a refused Create replaced the object: %q", o.data)
	}
	h, err := b.Head(ctx, "p/b")
	if sum := md5.Sum([]byte("p/b")); err != nil || h.Size != 3 || h.ETag != hex.EncodeToString(sum[:]) || h.Metadata["k"] != "p/b" {
		t.Errorf("Head = %+v, %v", h, err)
	}
	if _, err := b.GetRange(ctx, "p/none", 0, -1); !errors.Is(err, tier2.ErrNotFound) {
		t.Errorf("GetRange of a missing key: %v, want ErrNotFound", err)
	}
	if d, err := b.GetRange(ctx, "p/a/x", 2, 2); err != nil || string(d) != "a/" {
		t.Errorf("GetRange(2, 2) = %q, %v", d, err)
	}
	var got []string
	for after := ""; ; {
		page, err := b.List(ctx, "p/", after, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page {
			got = append(got, o.Key)
		}
		if len(page) < 2 {
			break
		}
		after = page[len(page)-1].Key
	}
	if want := []string{"p/a", "p/a/x", "p/b", "p/c"}; !slices.Equal(got, want) {
		t.Errorf("List pages: %v, want %v", got, want)
	}
	b.failOnCreate(2, errInjected)
	err1, err2, err3 := b.Create(ctx, "r/1", nil, nil), b.Create(ctx, "r/2", nil, nil), b.Create(ctx, "r/3", nil, nil)
	if err1 != nil || !errors.Is(err2, errInjected) || err3 != nil {
		t.Errorf("failOnCreate(2): %v, %v, %v", err1, err2, err3)
	}
	if _, ok := b.object("r/2"); ok || b.createCalls() != 9 {
		t.Errorf("the failed Create stored its object, or %d calls counted", b.createCalls())
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := b.Put(cctx, "r/4", nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Put with a cancelled context: %v", err)
	}
}
