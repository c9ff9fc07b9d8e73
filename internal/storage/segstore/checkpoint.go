package segstore

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/braidstream/braid/internal/storage/vfs"
	"github.com/braidstream/braid/internal/storage/wal"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

const checkpointMagic = "BRCK"

type checkpointFile struct {
	LSN uint64 `json:"lsn"`
	// WAL is where the record after LSN starts, so that recovery skips
	// what the checkpoint covers (zero: read the WAL from its start).
	WAL        wal.Position   `json:"wal,omitzero"`
	NextHandle uint64         `json:"next_handle"`
	Segments   []segmentState `json:"segments"`
}

type segmentState struct {
	Handle  uint64                  `json:"handle"`
	Name    string                  `json:"name"`
	Length  int64                   `json:"length"`
	Start   int64                   `json:"start"`
	Sealed  bool                    `json:"sealed,omitempty"`
	Writers map[string]*writerState `json:"writers,omitempty"`
}

func encodeCheckpoint(ck *checkpointFile) ([]byte, error) {
	body, err := json.Marshal(ck)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 8, 8+len(body))
	copy(out, checkpointMagic)
	binary.BigEndian.PutUint32(out[4:], crc32.Checksum(body, castagnoli))
	return append(out, body...), nil
}

func decodeCheckpoint(b []byte) (*checkpointFile, error) {
	if len(b) < 8 || !bytes.Equal(b[:4], []byte(checkpointMagic)) {
		return nil, errors.New("not a checkpoint (bad magic)")
	}
	if crc32.Checksum(b[8:], castagnoli) != binary.BigEndian.Uint32(b[4:]) {
		return nil, errors.New("checkpoint checksum mismatch")
	}
	var ck checkpointFile
	if err := json.Unmarshal(b[8:], &ck); err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	return &ck, nil
}

func (c *container) checkpointPath() string { return filepath.Join(c.dir, "checkpoint") }

func (c *container) segmentPath(h uint64) string {
	return filepath.Join(c.dir, "segments", fmt.Sprintf("%016x.seg", h))
}

// loadCheckpoint restores the state a checkpoint describes, cuts segment
// files back to what it covers and removes files of segments it does not
// list. It returns the checkpoint's LSN (0 when there is none) and where
// in the WAL the records after it start.
func (c *container) loadCheckpoint() (uint64, wal.Position, error) {
	b, err := vfs.ReadFile(c.opts.FS, c.checkpointPath())
	if errors.Is(err, fs.ErrNotExist) {
		return 0, wal.Position{}, c.removeStrayFiles()
	}
	if err != nil {
		return 0, wal.Position{}, err
	}
	ck, err := decodeCheckpoint(b)
	if err != nil {
		return 0, wal.Position{}, fmt.Errorf("%s: %w", c.checkpointPath(), err)
	}
	c.appliedLSN = ck.LSN
	c.nextHandle = max(ck.NextHandle, 1)
	for _, st := range ck.Segments {
		s := newSegment(st.Handle, st.Name)
		s.length, s.start, s.sealed, s.flushed = st.Length, st.Start, st.Sealed, st.Length
		if st.Writers != nil {
			s.writers = st.Writers
		}
		if st.Length > 0 {
			f, err := c.opts.FS.OpenFile(c.segmentPath(st.Handle), os.O_RDWR, 0)
			if err != nil {
				return 0, wal.Position{}, fmt.Errorf("segment %s: %w", st.Name, err)
			}
			fi, err := f.Stat()
			if err != nil {
				f.Close()
				return 0, wal.Position{}, err
			}
			if fi.Size() < st.Length {
				f.Close()
				return 0, wal.Position{}, fmt.Errorf("segment %s: file %s holds %d bytes, the checkpoint says %d", st.Name, f.Name(), fi.Size(), st.Length)
			}
			if fi.Size() > st.Length {
				// Bytes flushed after the checkpoint; the WAL has them.
				if err := f.Truncate(st.Length); err != nil {
					f.Close()
					return 0, wal.Position{}, err
				}
			}
			s.file = f
		}
		c.segs[st.Name] = s
		c.handles[st.Handle] = s
	}
	return ck.LSN, ck.WAL, c.removeStrayFiles()
}

// removeStrayFiles deletes segment files whose handle is not known, left by a
// crash between a delete's checkpoint and the file's removal.
func (c *container) removeStrayFiles() error {
	dir := filepath.Join(c.dir, "segments")
	ents, err := c.opts.FS.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		h, err := strconv.ParseUint(strings.TrimSuffix(e.Name(), ".seg"), 16, 64)
		if err != nil || c.handles[h] != nil || h >= c.nextHandle {
			// h >= nextHandle cannot be a deleted segment's file: the WAL
			// may still create it.
			continue
		}
		if err := c.opts.FS.Remove(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// storageLoop is the storage writer: it moves committed data from memory to
// segment files and checkpoints, on a timer or when memory fills.
func (c *container) storageLoop() {
	defer c.wg.Done()
	t := c.opts.Clock.NewTicker(c.opts.CheckpointInterval)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C():
		case <-c.flushReq:
		}
		if err := c.checkpoint(); err != nil {
			c.log.Warn("checkpoint failed; will retry", slog.Any("err", err))
		}
	}
}

type flushJob struct {
	s      *segment
	ents   []memEntry
	target int64
}

// checkpoint flushes committed data to segment files, syncs them, writes a
// checkpoint and truncates the WAL behind it.
func (c *container) checkpoint() (err error) {
	c.ckptMu.Lock()
	defer c.ckptMu.Unlock()
	defer func() {
		result := "ok"
		if err != nil {
			result = "error"
		}
		c.m.checkpoints.WithLabelValues(c.lbl, result).Inc()
	}()

	c.mu.RLock()
	ck := &checkpointFile{LSN: c.appliedLSN, WAL: c.appliedPos, NextHandle: c.nextHandle}
	var jobs []flushJob
	for _, s := range c.segs {
		st := segmentState{Handle: s.handle, Name: s.name, Length: s.length, Start: s.start, Sealed: s.sealed}
		if len(s.writers) > 0 {
			st.Writers = make(map[string]*writerState, len(s.writers))
			for k, w := range s.writers {
				st.Writers[k] = &writerState{Last: w.Last, History: append([]appendRef(nil), w.History...)}
			}
		}
		ck.Segments = append(ck.Segments, st)
		if len(s.mem) > 0 {
			jobs = append(jobs, flushJob{s: s, ents: s.mem[:len(s.mem):len(s.mem)], target: s.length})
		}
	}
	doomed := c.doomed
	c.mu.RUnlock()

	var buf []byte

	for _, j := range jobs {
		f := j.s.file
		if f == nil {
			f, err = c.opts.FS.OpenFile(c.segmentPath(j.s.handle), os.O_CREATE|os.O_RDWR, 0o644)
			if err != nil {
				return err
			}
			c.mu.Lock()
			j.s.file = f
			c.mu.Unlock()
		}
		if err := writeCoalesced(f, j.ents, &buf); err != nil {
			return fmt.Errorf("flush %s: %w", j.s.name, err)
		}
		if err := f.Sync(); err != nil {
			return fmt.Errorf("flush %s: %w", j.s.name, err)
		}
	}
	if len(jobs) > 0 {
		// New segment files must be reachable before the checkpoint
		// names them.
		if err := c.opts.FS.SyncDir(filepath.Join(c.dir, "segments")); err != nil {
			return err
		}
	}
	b, err := encodeCheckpoint(ck)
	if err != nil {
		return err
	}
	if err := vfs.WriteFile(c.opts.FS, c.checkpointPath(), b); err != nil {
		return fmt.Errorf("write checkpoint: %w", err)
	}

	c.mu.Lock()
	for _, j := range jobs {
		s := j.s
		n := 0
		for n < len(s.mem) && s.mem[n].offset+int64(len(s.mem[n].data)) <= j.target {
			s.memSize -= int64(len(s.mem[n].data))
			c.unflushed -= int64(len(s.mem[n].data))
			n++
		}
		s.mem = append([]memEntry(nil), s.mem[n:]...)
		s.flushed = j.target
	}
	c.doomed = c.doomed[len(doomed):]
	unflushed := c.unflushed
	c.mu.Unlock()
	c.m.unflushed.WithLabelValues(c.lbl).Set(float64(unflushed))

	for _, s := range doomed {
		if s.file != nil {
			s.file.Close()
		}
		if err := c.opts.FS.Remove(c.segmentPath(s.handle)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			c.log.Warn("removing deleted segment's file", slog.String("segment", s.name), slog.Any("err", err))
		}
	}
	if err := c.wal.TruncateBefore(ck.LSN + 1); err != nil {
		return err
	}
	c.m.walFiles.WithLabelValues(c.lbl).Set(float64(c.wal.Files()))
	return nil
}

// flushWriteSize is the size of the writes the storage writer makes.
const flushWriteSize = 1 << 20

// writeCoalesced writes contiguous entries with few large writes rather than
// one per append: each write is a system call, and appends are often small.
func writeCoalesced(f interface {
	WriteAt(p []byte, off int64) (int, error)
}, ents []memEntry, buf *[]byte) error {
	if cap(*buf) < flushWriteSize {
		*buf = make([]byte, 0, flushWriteSize)
	}
	b := (*buf)[:0]
	start := int64(0)
	flush := func() error {
		if len(b) == 0 {
			return nil
		}
		_, err := f.WriteAt(b, start)
		b = b[:0]
		return err
	}
	for _, e := range ents {
		if len(e.data) >= flushWriteSize {
			// Large enough alone: no copy.
			if err := flush(); err != nil {
				return err
			}
			if _, err := f.WriteAt(e.data, e.offset); err != nil {
				return err
			}
			continue
		}
		if len(b) > 0 && (start+int64(len(b)) != e.offset || len(b)+len(e.data) > flushWriteSize) {
			if err := flush(); err != nil {
				return err
			}
		}
		if len(b) == 0 {
			start = e.offset
		}
		b = append(b, e.data...)
	}
	return flush()
}
