package tier2

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/braidstream/braid/internal/vfs"
)

// Dir is a Store in a local directory: each object is a file at its key's
// path below the root. A Put writes a temporary file (its name holds a '~',
// which no key has), syncs it, renames it into place and syncs the
// directory, so an object is whole or absent after a crash.
type Dir struct {
	fs   vfs.FS
	root string
	seq  atomic.Uint64
}

var _ Store = (*Dir)(nil)

// NewDir returns a store rooted at root, which it creates. fsys is the file
// system (nil: the real one).
func NewDir(fsys vfs.FS, root string) (*Dir, error) {
	if fsys == nil {
		fsys = vfs.OS{}
	}
	if err := fsys.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("tier2: %w", err)
	}
	return &Dir{fs: fsys, root: root}, nil
}

func (d *Dir) path(key string) string { return filepath.Join(d.root, filepath.FromSlash(key)) }

// Put implements Store.
func (d *Dir) Put(ctx context.Context, key string, data []byte) error {
	if err := check(ctx, key); err != nil {
		return err
	}
	p := d.path(key)
	dir := filepath.Dir(p)
	if err := d.fs.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("tier2: put %s: %w", key, err)
	}
	tmp := p + "~" + strconv.FormatUint(d.seq.Add(1), 36)
	f, err := d.fs.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("tier2: put %s: %w", key, err)
	}
	err = func() error {
		if _, err := f.Write(data); err != nil {
			return err
		}
		if err := f.Sync(); err != nil {
			return err
		}
		return f.Close()
	}()
	if err == nil {
		err = d.fs.Rename(tmp, p)
	}
	if err == nil {
		err = d.fs.SyncDir(dir)
	}
	if err != nil {
		f.Close()
		d.fs.Remove(tmp)
		return fmt.Errorf("tier2: put %s: %w", key, err)
	}
	return nil
}

// GetRange implements Store.
func (d *Dir) GetRange(ctx context.Context, key string, off, length int64) ([]byte, error) {
	if err := check(ctx, key); err != nil {
		return nil, err
	}
	f, err := d.fs.OpenFile(d.path(key), os.O_RDONLY, 0)
	if err != nil {
		return nil, d.notFound(key, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("tier2: get %s: %w", key, err)
	}
	size := st.Size()
	off = max(off, 0)
	if off >= size {
		return []byte{}, nil
	}
	n := size - off
	if length >= 0 && length < n {
		n = length
	}
	buf := make([]byte, n)
	if _, err := f.ReadAt(buf, off); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("tier2: get %s: %w", key, err)
	}
	return buf, nil
}

func (d *Dir) notFound(key string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: %s", ErrNotFound, key)
	}
	return fmt.Errorf("tier2: %s: %w", key, err)
}

// Stat implements Store.
func (d *Dir) Stat(ctx context.Context, key string) (ObjectInfo, error) {
	if err := check(ctx, key); err != nil {
		return ObjectInfo{}, err
	}
	st, err := d.fs.Stat(d.path(key))
	if err != nil {
		return ObjectInfo{}, d.notFound(key, err)
	}
	if st.IsDir() {
		return ObjectInfo{}, fmt.Errorf("%w: %s", ErrNotFound, key)
	}
	return ObjectInfo{Key: key, Size: st.Size()}, nil
}

// List implements Store. It walks the directories under the prefix's
// directory and sorts what it finds, since a directory walk's order is not
// the keys' byte order ("a.b" < "a/x").
func (d *Dir) List(ctx context.Context, prefix, after string, limit int) ([]ObjectInfo, error) {
	limit, err := ListLimit(ctx, prefix, limit)
	if err != nil {
		return nil, err
	}
	// The deepest directory that holds every key with the prefix.
	base := ""
	if i := strings.LastIndex(prefix, "/"); i >= 0 {
		base = prefix[:i]
	}
	var out []ObjectInfo
	var walk func(rel string) error
	walk = func(rel string) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		ents, err := d.fs.ReadDir(filepath.Join(d.root, filepath.FromSlash(rel)))
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		for _, e := range ents {
			name := e.Name()
			if strings.Contains(name, "~") {
				continue // a Put in progress, or one a crash left
			}
			key := path.Join(rel, name)
			if e.IsDir() {
				// Only descend where keys with the prefix can be.
				if strings.HasPrefix(key+"/", prefix) || strings.HasPrefix(prefix, key+"/") {
					if err := walk(key); err != nil {
						return err
					}
				}
				continue
			}
			if strings.HasPrefix(key, prefix) && key > after {
				info, err := e.Info()
				if err != nil {
					continue // removed meanwhile
				}
				out = append(out, ObjectInfo{Key: key, Size: info.Size()})
			}
		}
		return nil
	}
	if err := walk(base); err != nil {
		return nil, fmt.Errorf("tier2: list %s: %w", prefix, err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// Delete implements Store.
func (d *Dir) Delete(ctx context.Context, key string) error {
	if err := check(ctx, key); err != nil {
		return err
	}
	if err := d.fs.Remove(d.path(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("tier2: delete %s: %w", key, err)
	}
	return nil
}
