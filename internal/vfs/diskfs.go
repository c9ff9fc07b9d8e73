package vfs

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
)

// DiskFS wraps an FS and gives it the capacity of a small disk: it counts
// the bytes of every file (their sizes, as an ext4 or tmpfs with 1-byte
// blocks would) and fails a write, pre-allocation or extension that would
// take the total past the capacity with ENOSPC. A write that does not fit
// writes what fits and then fails, as write(2) does. It is for tests;
// directories cost nothing. Files that were there before are counted when
// first opened or stated through it.
type DiskFS struct {
	fs FS

	mu       sync.Mutex // guards the fields below
	capacity int64
	used     int64
	sizes    map[string]int64 // clean path -> size counted
}

var _ FS = (*DiskFS)(nil)

// NewDiskFS wraps fs as a disk of capacity bytes.
func NewDiskFS(fs FS, capacity int64) *DiskFS {
	return &DiskFS{fs: fs, capacity: capacity, sizes: map[string]int64{}}
}

// SetCapacity changes the capacity: a test frees space by raising it (or
// fills the disk by lowering it to Used).
func (d *DiskFS) SetCapacity(n int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.capacity = n
}

// Used reports the bytes counted.
func (d *DiskFS) Used() int64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.used
}

// Free reports the bytes left (negative when the capacity was lowered
// below what is used).
func (d *DiskFS) Free() int64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.capacity - d.used
}

func enospc(op, path string) error {
	return &os.PathError{Op: op, Path: path, Err: syscall.ENOSPC}
}

// track counts a file not seen before at its size on the underlying FS.
// Caller holds mu.
func (d *DiskFS) trackLocked(p string) {
	if _, ok := d.sizes[p]; ok {
		return
	}
	if st, err := d.fs.Stat(p); err == nil && st.Mode().IsRegular() {
		d.sizes[p] = st.Size()
		d.used += st.Size()
	}
}

// reserve grows p to end bytes if it is smaller. It returns how many of the
// want bytes before end fit (all of them when the growth fits).
func (d *DiskFS) reserve(p string, end, want int64) int64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.trackLocked(p)
	size := d.sizes[p]
	grow := end - size
	if grow <= 0 {
		return want
	}
	if free := d.capacity - d.used; grow > free {
		// What fits: up to the free space past the current size.
		fit := max(0, want-(grow-max(free, 0)))
		d.sizes[p] = size + max(free, 0)
		d.used += max(free, 0)
		return fit
	}
	d.sizes[p] = end
	d.used += grow
	return want
}

func (d *DiskFS) setSize(p string, n int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.trackLocked(p)
	d.used += n - d.sizes[p]
	d.sizes[p] = n
}

func (d *DiskFS) forget(p string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.trackLocked(p)
	d.used -= d.sizes[p]
	delete(d.sizes, p)
}

// OpenFile implements FS.
func (d *DiskFS) OpenFile(name string, flag int, perm os.FileMode) (File, error) {
	f, err := d.fs.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	p := filepath.Clean(name)
	if flag&os.O_TRUNC != 0 {
		d.setSize(p, 0)
	} else {
		d.mu.Lock()
		d.trackLocked(p)
		d.mu.Unlock()
	}
	df := &diskFile{File: f, d: d, path: p}
	if flag&os.O_APPEND != 0 {
		d.mu.Lock()
		df.off = d.sizes[p]
		d.mu.Unlock()
	}
	return df, nil
}

// Remove implements FS.
func (d *DiskFS) Remove(name string) error {
	if err := d.fs.Remove(name); err != nil {
		return err
	}
	d.forget(filepath.Clean(name))
	return nil
}

// RemoveAll implements FS.
func (d *DiskFS) RemoveAll(name string) error {
	if err := d.fs.RemoveAll(name); err != nil {
		return err
	}
	p := filepath.Clean(name)
	d.mu.Lock()
	defer d.mu.Unlock()
	for q, n := range d.sizes {
		if q == p || strings.HasPrefix(q, p+string(filepath.Separator)) {
			d.used -= n
			delete(d.sizes, q)
		}
	}
	return nil
}

// Rename implements FS.
func (d *DiskFS) Rename(oldname, newname string) error {
	if err := d.fs.Rename(oldname, newname); err != nil {
		return err
	}
	o, n := filepath.Clean(oldname), filepath.Clean(newname)
	d.mu.Lock()
	defer d.mu.Unlock()
	if size, ok := d.sizes[n]; ok {
		d.used -= size
		delete(d.sizes, n)
	}
	if size, ok := d.sizes[o]; ok {
		delete(d.sizes, o)
		d.sizes[n] = size
	} else {
		d.trackLocked(n)
	}
	return nil
}

// MkdirAll implements FS.
func (d *DiskFS) MkdirAll(dir string, perm os.FileMode) error { return d.fs.MkdirAll(dir, perm) }

// ReadDir implements FS.
func (d *DiskFS) ReadDir(dir string) ([]fs.DirEntry, error) { return d.fs.ReadDir(dir) }

// Stat implements FS.
func (d *DiskFS) Stat(name string) (os.FileInfo, error) { return d.fs.Stat(name) }

// SyncDir implements FS.
func (d *DiskFS) SyncDir(dir string) error { return d.fs.SyncDir(dir) }

type diskFile struct {
	File
	d    *DiskFS
	path string

	off int64 // for Write (the owner's sequential writes)
}

func (f *diskFile) WriteAt(p []byte, off int64) (int, error) {
	fit := f.d.reserve(f.path, off+int64(len(p)), int64(len(p)))
	if fit < int64(len(p)) {
		n, err := f.File.WriteAt(p[:fit], off)
		if err == nil {
			err = enospc("write", f.Name())
		}
		return n, err
	}
	return f.File.WriteAt(p, off)
}

func (f *diskFile) Write(p []byte) (int, error) {
	n, err := f.WriteAt(p, f.off)
	f.off += int64(n)
	return n, err
}

// Truncate counts the new size, even though an extension is sparse on a
// real disk; it never fails for space.
func (f *diskFile) Truncate(size int64) error {
	if err := f.File.Truncate(size); err != nil {
		return err
	}
	f.d.setSize(f.path, size)
	return nil
}

func (f *diskFile) Preallocate(size int64) error {
	f.d.mu.Lock()
	f.d.trackLocked(f.path)
	old := f.d.sizes[f.path]
	free := f.d.capacity - f.d.used
	ok := size-old <= free
	if ok && size > old {
		f.d.sizes[f.path] = size
		f.d.used += size - old
	}
	f.d.mu.Unlock()
	if !ok {
		// fallocate allocates all or nothing.
		return enospc("fallocate", f.Name())
	}
	return f.File.Preallocate(size)
}
