package vfs

import (
	"io/fs"
	"os"
	"sync/atomic"
)

// Op names a file-system operation, for error injection.
type Op string

// The operations an Injector sees.
const (
	OpOpen        Op = "open"
	OpWrite       Op = "write"
	OpRead        Op = "read"
	OpSync        Op = "sync"
	OpPreallocate Op = "preallocate"
	OpTruncate    Op = "truncate"
	OpRename      Op = "rename"
	OpRemove      Op = "remove"
	OpSyncDir     Op = "syncdir"
	OpMkdir       Op = "mkdir"
)

// Injector decides whether an operation on path fails; it returns nil to let
// the operation through. It may be called from many goroutines at once.
type Injector func(op Op, path string) error

// ErrorFS wraps an FS and fails operations chosen by its injector. It is for
// tests: the injector can be swapped at any time with SetInjector.
type ErrorFS struct {
	fs  FS
	inj atomic.Pointer[Injector]
}

var _ FS = (*ErrorFS)(nil)

// NewErrorFS wraps fs; with no injector set every operation goes through.
func NewErrorFS(fs FS) *ErrorFS { return &ErrorFS{fs: fs} }

// SetInjector replaces the injector; nil lets everything through.
func (e *ErrorFS) SetInjector(inj Injector) {
	if inj == nil {
		e.inj.Store(nil)
		return
	}
	e.inj.Store(&inj)
}

func (e *ErrorFS) check(op Op, path string) error {
	p := e.inj.Load()
	if p == nil {
		return nil
	}
	if err := (*p)(op, path); err != nil {
		return &os.PathError{Op: string(op), Path: path, Err: err}
	}
	return nil
}

// OpenFile implements FS.
func (e *ErrorFS) OpenFile(name string, flag int, perm os.FileMode) (File, error) {
	if err := e.check(OpOpen, name); err != nil {
		return nil, err
	}
	f, err := e.fs.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return &errorFile{File: f, fs: e}, nil
}

// Remove implements FS.
func (e *ErrorFS) Remove(name string) error {
	if err := e.check(OpRemove, name); err != nil {
		return err
	}
	return e.fs.Remove(name)
}

// RemoveAll implements FS.
func (e *ErrorFS) RemoveAll(name string) error {
	if err := e.check(OpRemove, name); err != nil {
		return err
	}
	return e.fs.RemoveAll(name)
}

// Rename implements FS.
func (e *ErrorFS) Rename(oldname, newname string) error {
	if err := e.check(OpRename, newname); err != nil {
		return err
	}
	return e.fs.Rename(oldname, newname)
}

// MkdirAll implements FS.
func (e *ErrorFS) MkdirAll(dir string, perm os.FileMode) error {
	if err := e.check(OpMkdir, dir); err != nil {
		return err
	}
	return e.fs.MkdirAll(dir, perm)
}

// ReadDir implements FS.
func (e *ErrorFS) ReadDir(dir string) ([]fs.DirEntry, error) {
	if err := e.check(OpRead, dir); err != nil {
		return nil, err
	}
	return e.fs.ReadDir(dir)
}

// Stat implements FS.
func (e *ErrorFS) Stat(name string) (os.FileInfo, error) { return e.fs.Stat(name) }

// SyncDir implements FS.
func (e *ErrorFS) SyncDir(dir string) error {
	if err := e.check(OpSyncDir, dir); err != nil {
		return err
	}
	return e.fs.SyncDir(dir)
}

type errorFile struct {
	File
	fs *ErrorFS
}

func (f *errorFile) Write(p []byte) (int, error) {
	if err := f.fs.check(OpWrite, f.Name()); err != nil {
		return 0, err
	}
	return f.File.Write(p)
}

func (f *errorFile) WriteAt(p []byte, off int64) (int, error) {
	if err := f.fs.check(OpWrite, f.Name()); err != nil {
		return 0, err
	}
	return f.File.WriteAt(p, off)
}

func (f *errorFile) ReadAt(p []byte, off int64) (int, error) {
	if err := f.fs.check(OpRead, f.Name()); err != nil {
		return 0, err
	}
	return f.File.ReadAt(p, off)
}

func (f *errorFile) Sync() error {
	if err := f.fs.check(OpSync, f.Name()); err != nil {
		return err
	}
	return f.File.Sync()
}

func (f *errorFile) Truncate(size int64) error {
	if err := f.fs.check(OpTruncate, f.Name()); err != nil {
		return err
	}
	return f.File.Truncate(size)
}

func (f *errorFile) Preallocate(size int64) error {
	if err := f.fs.check(OpPreallocate, f.Name()); err != nil {
		return err
	}
	return f.File.Preallocate(size)
}
