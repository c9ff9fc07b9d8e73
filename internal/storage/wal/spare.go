package wal

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"syscall"

	"github.com/braidstream/braid/internal/vfs"
)

// spareName is the next log file, ready ahead of time so that starting a
// new log file is a rename, not 64 MiB of writes on the commit path. It is
// either an obsolete log file recycled by TruncateBefore (fully written, so
// syncs into it need no metadata updates, and free) or, when none is
// available by the time the current file is half full, a new pre-allocated,
// zero-filled file. A recycled file still holds its old records; their LSNs
// are older than the file's name, which recovery reads as the end of the
// log. It never ends in ".wal", so recovery ignores it, and a stale one is
// removed at open.
//
// A spare is always FileSize bytes. When the disk has not that much space,
// preparing one fails quietly and is not tried again before the next roll,
// which makes the file it needs itself, as large as fits (createFile).
//
// Zero-filling writes as many bytes as the file will hold, so it is the
// last resort: a log that has older files (which a checkpoint will soon make
// obsolete) starts one only when the current file is 7/8 full, and a file
// recycled while one is being zero-filled is kept too, as a second spare
// (extraName), rather than removed. Then in a steady state every new file
// is a recycled one.
const (
	spareName = "spare.tmp"
	extraName = "spare-2.tmp"
)

// spare holds the next file, prepared by one background goroutine.
type spare struct {
	mu        sync.Mutex
	file      vfs.File // ready to use; nil while preparing or after an error
	extra     vfs.File // a second one, recycled (extraName); nil for none
	preparing bool
	closed    bool
	noSpace   bool // the last preparation found the disk full; retried after the next roll
	wg        sync.WaitGroup
}

// prepareSpare starts preparing a spare file unless one is ready or being
// prepared. Called by the owner.
func (l *Log) prepareSpare() {
	sp := &l.spare
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sp.file != nil || sp.extra != nil || sp.preparing || sp.closed || sp.noSpace {
		return
	}
	sp.preparing = true
	sp.wg.Add(1)
	go func() {
		defer sp.wg.Done()
		f, err := l.createSized(filepath.Join(l.opts.Dir, spareName), l.opts.FileSize)
		sp.mu.Lock()
		defer sp.mu.Unlock()
		sp.preparing = false
		if err != nil {
			// The roll will try again itself and report the error
			// (disk full, say) to the appender.
			sp.noSpace = errors.Is(err, syscall.ENOSPC)
			return
		}
		if sp.closed {
			f.Close()
			return
		}
		if sp.file != nil {
			// A file was recycled meanwhile: keep this one second.
			if sp.extra == nil && l.opts.FS.Rename(filepath.Join(l.opts.Dir, spareName), filepath.Join(l.opts.Dir, extraName)) == nil {
				if sp.extra, err = l.opts.FS.OpenFile(filepath.Join(l.opts.Dir, extraName), os.O_RDWR, 0); err == nil {
					f.Close()
					return
				}
				sp.extra = nil
			}
			f.Close()
			return
		}
		sp.file = f
	}()
}

// takeSpare returns the next log file, named name, and its size: the spare
// if one is ready, or a file made now with room for at least need bytes.
func (l *Log) takeSpare(name string, need int64) (vfs.File, int64, error) {
	sp := &l.spare
	sp.mu.Lock()
	f, from := sp.file, spareName
	if f != nil {
		sp.file = nil
	} else if sp.extra != nil {
		f, from, sp.extra = sp.extra, extraName, nil
	}
	sp.noSpace = false
	sp.mu.Unlock()
	if f != nil {
		// Reopen under the new name, so that the handle, its errors and
		// anything keyed by file name see the real name.
		f.Close()
		if err := l.opts.FS.Rename(filepath.Join(l.opts.Dir, from), name); err == nil {
			if f, err = l.opts.FS.OpenFile(name, os.O_RDWR, 0); err == nil {
				return f, l.opts.FileSize, nil
			}
		}
	}
	return l.createFile(name, need)
}

// shortFileDiv sets the size of a short file: when the disk has not the
// space for FileSize, a new file gets FileSize/shortFileDiv (1 MiB of the
// default 64 MiB), or what the record at hand needs. Small, so that a WAL
// short of space leaves the disk to tier 2 and to the other containers, and
// its files are freed soon after their data is in tier 2.
const shortFileDiv = 64

// minShortFile is the granule of a file made for one record.
const minShortFile = 4 << 10

// createFile creates a pre-allocated file of FileSize bytes or, when the
// disk has not that much space (ENOSPC), a short one: FileSize/64, and if
// that does not fit either, just the need bytes of the record at hand
// (rounded up to 4 KiB). It returns the file and its size; a failure leaves
// no file.
func (l *Log) createFile(name string, need int64) (vfs.File, int64, error) {
	least := min(l.opts.FileSize, (need+minShortFile-1)/minShortFile*minShortFile)
	var err error
	for _, size := range []int64{l.opts.FileSize, l.opts.FileSize / shortFileDiv, least} {
		if size < least {
			continue
		}
		var f vfs.File
		if f, err = l.createSized(name, size); err == nil {
			return f, size, nil
		}
		if !errors.Is(err, syscall.ENOSPC) {
			return nil, 0, err
		}
	}
	return nil, 0, err
}

// createSized creates (or recreates, after a failed attempt) a file
// pre-allocated to size bytes.
func (l *Log) createSized(name string, size int64) (vfs.File, error) {
	f, err := l.opts.FS.OpenFile(name, os.O_CREATE|os.O_TRUNC|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("wal: create %s: %w", name, err)
	}
	if err := f.Preallocate(size); err != nil {
		f.Close()
		l.opts.FS.Remove(name)
		return nil, fmt.Errorf("wal: pre-allocate %d bytes for %s: %w", size, name, err)
	}
	return f, nil
}

// closeSpare waits for a spare being prepared and closes it; the file stays
// for the next start to reuse or remake.
func (l *Log) closeSpare() {
	sp := &l.spare
	sp.mu.Lock()
	sp.closed = true
	sp.mu.Unlock()
	sp.wg.Wait()
	sp.mu.Lock()
	for _, f := range []*vfs.File{&sp.file, &sp.extra} {
		if *f != nil {
			(*f).Close()
			*f = nil
		}
	}
	sp.mu.Unlock()
}

func removeSpare(fsys vfs.FS, dir string) error {
	for _, name := range []string{spareName, extraName} {
		if err := fsys.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// recycle offers an obsolete log file (all of whose records a checkpoint
// covers) as the next spare. It reports whether it took the file.
func (l *Log) recycle(name string) bool {
	sp := &l.spare
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sp.closed {
		return false
	}
	slot, to := &sp.file, spareName
	if sp.file != nil || sp.preparing {
		// A spare is ready or being zero-filled: keep this one second.
		slot, to = &sp.extra, extraName
	}
	if *slot != nil {
		return false
	}
	if st, err := l.opts.FS.Stat(name); err != nil || st.Size() != l.opts.FileSize {
		return false
	}
	spare := filepath.Join(l.opts.Dir, to)
	if err := l.opts.FS.Rename(name, spare); err != nil {
		return false
	}
	f, err := l.opts.FS.OpenFile(spare, os.O_RDWR, 0)
	if err != nil {
		l.opts.FS.Remove(spare)
		return true // the old file is gone either way
	}
	*slot = f
	return true
}
