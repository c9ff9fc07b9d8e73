package meta

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

var bucket = []byte("kv")

// Bolt is the embedded Store: one bbolt file, synced on every change.
type Bolt struct {
	db *bolt.DB
}

var _ Store = (*Bolt)(nil)

// lockTimeout is how long OpenBolt waits for the file's lock, which
// another server holding the data directory keeps.
const lockTimeout = 2 * time.Second

// openError says why the store at path could not be opened, with what to
// do: only a lock that stays taken means another server has the directory.
func openError(path string, err error) error {
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return fmt.Errorf("meta: open %s: still locked after %s: is another braid server using this data directory?", path, lockTimeout)
	case errors.Is(err, fs.ErrPermission), errors.Is(err, syscall.EROFS):
		return fmt.Errorf("meta: open %s: %w: braid must be able to write its data directory (check its permissions, or give --data a writable directory)", path, err)
	}
	return fmt.Errorf("meta: open %s: %w", path, err)
}

// OpenBolt opens or creates the store at path.
func OpenBolt(path string) (*Bolt, error) {
	db, err := bolt.Open(path, 0o644, &bolt.Options{Timeout: lockTimeout})
	if err != nil {
		return nil, openError(path, err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucket)
		return err
	}); err != nil {
		db.Close()
		return nil, fmt.Errorf("meta: %w", err)
	}
	return &Bolt{db: db}, nil
}

func split(v []byte) (int64, []byte) {
	return int64(binary.BigEndian.Uint64(v)), v[8:]
}

// Get implements Store.
func (b *Bolt) Get(_ context.Context, key string) (KV, error) {
	var kv KV
	err := b.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucket).Get([]byte(key))
		if v == nil {
			return fmt.Errorf("%w: %s", ErrNotFound, key)
		}
		ver, val := split(v)
		kv = KV{Key: key, Value: bytes.Clone(val), Version: ver}
		return nil
	})
	return kv, err
}

// Put implements Store.
func (b *Bolt) Put(_ context.Context, key string, value []byte, expect int64) (int64, error) {
	var ver int64
	err := b.db.Update(func(tx *bolt.Tx) error {
		bk := tx.Bucket(bucket)
		cur := int64(0)
		if v := bk.Get([]byte(key)); v != nil {
			cur, _ = split(v)
		}
		if expect != Any && expect != cur {
			return fmt.Errorf("%w: %s is at version %d, not %d", ErrConflict, key, cur, expect)
		}
		ver = cur + 1
		buf := make([]byte, 8+len(value))
		binary.BigEndian.PutUint64(buf, uint64(ver))
		copy(buf[8:], value)
		return bk.Put([]byte(key), buf)
	})
	return ver, err
}

// Delete implements Store.
func (b *Bolt) Delete(_ context.Context, key string, expect int64) error {
	return b.db.Update(func(tx *bolt.Tx) error {
		bk := tx.Bucket(bucket)
		v := bk.Get([]byte(key))
		if v == nil {
			return fmt.Errorf("%w: %s", ErrNotFound, key)
		}
		if cur, _ := split(v); expect != Any && expect != cur {
			return fmt.Errorf("%w: %s is at version %d, not %d", ErrConflict, key, cur, expect)
		}
		return bk.Delete([]byte(key))
	})
}

// List implements Store.
func (b *Bolt) List(_ context.Context, prefix string) ([]KV, error) {
	var out []KV
	err := b.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucket).Cursor()
		p := []byte(prefix)
		for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			ver, val := split(v)
			out = append(out, KV{Key: string(k), Value: bytes.Clone(val), Version: ver})
		}
		return nil
	})
	return out, err
}

// Close implements Store.
func (b *Bolt) Close() error { return b.db.Close() }
