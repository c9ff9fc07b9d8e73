package wal

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/braidstream/braid/internal/vfs"
)

// HeaderSize is the size of a record header.
const HeaderSize = 16

// Defaults for Options.
const (
	DefaultFileSize      = 64 << 20
	DefaultMaxRecordSize = 32 << 20
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// ErrFailed wraps the error that left the log failed; every later Append
// returns it.
var ErrFailed = errors.New("wal: failed")

// CorruptionError reports damage in the middle of the log.
type CorruptionError struct {
	File   string
	Offset int64
	Reason string
}

func (e *CorruptionError) Error() string {
	return fmt.Sprintf("wal: corrupt record in %s at offset %d: %s", e.File, e.Offset, e.Reason)
}

// TornTail describes a torn tail found and cut off by Replay.
type TornTail struct {
	File   string
	Offset int64
	Bytes  int64 // how many non-zero bytes were discarded
}

// Options configure a Log.
type Options struct {
	FS  vfs.FS
	Dir string
	// FileSize is the pre-allocated size of each file (default 64 MiB).
	// When the disk has not that much space, a new file gets what fits,
	// down to the record at hand (see the package documentation).
	FileSize int64
	// MaxRecordSize bounds a record's payload (default 32 MiB); it must
	// fit in a file with its header.
	MaxRecordSize int
	// SyncEveryWrite is true when every Append is synced before it
	// returns (the "always" mode). It decides how much damage at the tail
	// recovery accepts as torn.
	SyncEveryWrite bool
}

func (o *Options) setDefaults() error {
	if o.FS == nil {
		o.FS = vfs.OS{}
	}
	if o.FileSize == 0 {
		o.FileSize = DefaultFileSize
	}
	if o.MaxRecordSize == 0 {
		o.MaxRecordSize = DefaultMaxRecordSize
	}
	if int64(o.MaxRecordSize)+HeaderSize > o.FileSize {
		return fmt.Errorf("wal: max record size %d does not fit in file size %d", o.MaxRecordSize, o.FileSize)
	}
	if o.Dir == "" {
		return errors.New("wal: no directory")
	}
	return nil
}

type fileInfo struct {
	name     string
	firstLSN uint64
}

// Log is a write-ahead log. See the package documentation for the owner
// rules.
type Log struct {
	opts Options

	spare spare // the next file, prepared in the background

	mu    sync.Mutex // guards files and obsolete: TruncateBefore may run beside Append
	files []fileInfo // oldest first; the last one is being written
	// obsolete is the LSN below which no record is needed any more (the
	// highest TruncateBefore or Replay was given): once it passes the
	// current file's records, the file can be used again from its start.
	obsolete uint64

	cur      vfs.File
	curName  string
	curFirst uint64 // first LSN of the current file
	curOff   int64
	curSize  int64 // the current file's size: its records end within it
	nextLSN  uint64
	failed   error
	hdr      [HeaderSize]byte
}

// Open opens (or creates) the log in opts.Dir. Replay must be called once
// before the first Append.
func Open(opts Options) (*Log, error) {
	if err := opts.setDefaults(); err != nil {
		return nil, err
	}
	if err := opts.FS.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("wal: %w", err)
	}
	ents, err := opts.FS.ReadDir(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("wal: %w", err)
	}
	if err := removeSpare(opts.FS, opts.Dir); err != nil {
		return nil, fmt.Errorf("wal: %w", err)
	}
	l := &Log{opts: opts, nextLSN: 1}
	for _, e := range ents {
		name := e.Name()
		if !strings.HasSuffix(name, ".wal") || e.IsDir() {
			continue
		}
		lsn, err := strconv.ParseUint(strings.TrimSuffix(name, ".wal"), 16, 64)
		if err != nil || len(name) != 16+4 {
			return nil, fmt.Errorf("wal: unexpected file %s in %s", name, opts.Dir)
		}
		l.files = append(l.files, fileInfo{name: filepath.Join(opts.Dir, name), firstLSN: lsn})
	}
	sort.Slice(l.files, func(i, j int) bool { return l.files[i].firstLSN < l.files[j].firstLSN })
	return l, nil
}

// NextLSN is the LSN the next Append will get.
func (l *Log) NextLSN() uint64 { return l.nextLSN }

// Replay calls fn for every record with lsn >= from, in order, and leaves the
// log ready to append after the last valid record. fn must not retain
// payload. A torn tail is cut off and reported through torn (if not nil).
// from is also the LSN the log must at least reach (the next LSN after a
// checkpoint): the log's LSNs continue from there if its records end before
// it, and a log whose first file starts after it has lost records.
func (l *Log) Replay(from uint64, fn func(lsn uint64, payload []byte) error, torn func(TornTail)) error {
	return l.ReplayFrom(from, Position{}, fn, torn)
}

// Position is a place in the log: a file (named by its first LSN) and an
// offset in it.
type Position struct {
	File   uint64 `json:"file"`
	Offset int64  `json:"offset"`
}

// End is the position just after the last record appended (zero before the
// first file exists). Only the owner may call it.
func (l *Log) End() Position {
	if l.cur == nil {
		return Position{}
	}
	return Position{File: l.curFirst, Offset: l.curOff}
}

// ReplayFrom is Replay, starting at hint, the position where record from
// begins (as End reported after the record before it). Files before hint's
// file are not read. Without a hint, or when its file is gone, every file is
// read from its start.
func (l *Log) ReplayFrom(from uint64, hint Position, fn func(lsn uint64, payload []byte) error, torn func(TornTail)) error {
	return l.ReplayAt(from, hint, func(lsn uint64, _ Position, payload []byte) error { return fn(lsn, payload) }, torn)
}

// ReplayAt is ReplayFrom that also tells fn where each record starts: a
// position that can be given back as the hint to replay from that record.
func (l *Log) ReplayAt(from uint64, hint Position, fn func(lsn uint64, at Position, payload []byte) error, torn func(TornTail)) error {
	if from > l.nextLSN {
		l.nextLSN = from
	}
	l.mu.Lock()
	l.obsolete = max(l.obsolete, from)
	l.mu.Unlock()
	need := l.nextLSN // records from here on must be there
	var (
		prev     fileInfo
		prevEnd  int64  // where prev's records end
		prevNext uint64 // the LSN after prev's last record
	)
	startIdx, startOff := 0, int64(-1)
	if hint.File != 0 && hint.File <= from {
		for i, fi := range l.files {
			if fi.firstLSN == hint.File {
				startIdx, startOff = i, hint.Offset
				break
			}
		}
	}
	for i := startIdx; i < len(l.files); i++ {
		fi := l.files[i]
		last := i == len(l.files)-1
		off0, expect0 := int64(0), fi.firstLSN
		if i == startIdx && startOff >= 0 {
			off0, expect0 = startOff, from
		}
		if i == startIdx && fi.firstLSN > need {
			return &CorruptionError{File: fi.name, Offset: 0, Reason: fmt.Sprintf("the log starts at lsn %d, but records from lsn %d on are needed", fi.firstLSN, need)}
		}
		// Files must be contiguous, except for a gap of records that
		// are not needed (see below). Compare with where the previous
		// file's records end, not with from: files that a checkpoint
		// made obsolete may still be there (a crash before they were
		// removed).
		if i > startIdx && fi.firstLSN != prevNext && (fi.firstLSN < prevNext || fi.firstLSN > need) {
			return &CorruptionError{File: prev.name, Offset: prevEnd, Reason: fmt.Sprintf("the records end before lsn %d, but the next file %s starts at lsn %d", prevNext, filepath.Base(fi.name), fi.firstLSN)}
		}
		end, next, size, err := l.replayFile(fi, last, from, fn, torn, off0, expect0)
		if err != nil {
			return err
		}
		if next >= l.nextLSN {
			l.nextLSN = next
			if last {
				f, err := l.opts.FS.OpenFile(fi.name, os.O_RDWR, 0)
				if err != nil {
					return fmt.Errorf("wal: %w", err)
				}
				l.cur, l.curName, l.curOff, l.curFirst, l.curSize = f, fi.name, end, fi.firstLSN, size
			}
		}
		// Otherwise, when this is the last file, the log ends before
		// from (a checkpoint covered records whose unsynced WAL copy
		// was lost): the next Append starts a new file named after
		// nextLSN instead of writing a record this file does not
		// expect.
		prev, prevEnd, prevNext = fi, end, next
	}
	return nil
}

// replayFile replays one file. It returns where its records end, the LSN
// after its last record and the file's size.
// Decoding starts at off0, where the record with LSN expect0 is.
func (l *Log) replayFile(fi fileInfo, last bool, from uint64, fn func(uint64, Position, []byte) error, torn func(TornTail), off0 int64, expect0 uint64) (int64, uint64, int64, error) {
	f, err := l.opts.FS.OpenFile(fi.name, os.O_RDONLY, 0)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("wal: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, 0, 0, fmt.Errorf("wal: %w", err)
	}
	size := st.Size()
	end, next, err := l.replayRecords(f, fi, size, last, from, fn, torn, off0, expect0)
	return end, next, size, err
}

// replayRecords is replayFile once the file is open.
func (l *Log) replayRecords(f vfs.File, fi fileInfo, size int64, last bool, from uint64, fn func(uint64, Position, []byte) error, torn func(TornTail), off0 int64, expect0 uint64) (int64, uint64, error) {
	// Records are read one at a time, not the whole pre-allocated file:
	// recovery reads what was written plus one window after it.
	var (
		hdr     [HeaderSize]byte
		payload []byte
		expect  = expect0
		off     = off0
		reason  string
		// the header where decoding stopped: a torn record carries
		// the expected LSN
		stopLSN uint64
	)
	for {
		if off+HeaderSize > size {
			break // the remainder is examined below
		}
		if err := readAt(f, hdr[:], off); err != nil {
			return 0, 0, err
		}
		n := binary.BigEndian.Uint32(hdr[0:])
		sum := binary.BigEndian.Uint32(hdr[4:])
		lsn := binary.BigEndian.Uint64(hdr[8:])
		stopLSN = lsn
		if n == 0 {
			if sum != 0 || lsn != 0 {
				reason = "zero length with non-zero header"
			}
			break
		}
		if int64(n) > int64(l.opts.MaxRecordSize) || off+HeaderSize+int64(n) > size {
			reason = fmt.Sprintf("length %d out of range", n)
			break
		}
		if cap(payload) < int(n) {
			payload = make([]byte, n)
		}
		payload = payload[:n]
		if err := readAt(f, payload, off+HeaderSize); err != nil {
			return 0, 0, err
		}
		c := crc32.Update(crc32.Checksum(hdr[8:16], castagnoli), castagnoli, payload)
		if c != sum {
			reason = "checksum mismatch"
			break
		}
		if lsn != expect {
			reason = fmt.Sprintf("lsn %d, want %d", lsn, expect)
			break
		}
		if lsn >= from {
			if err := fn(lsn, Position{File: fi.firstLSN, Offset: off}, payload); err != nil {
				return 0, 0, err
			}
		}
		expect++
		off += HeaderSize + int64(n)
	}
	// The window after the end that a torn write could have touched: one
	// maximum record when every record was synced before the next was
	// written (a record after damage must start within it), everything
	// otherwise.
	window := size - off
	if l.opts.SyncEveryWrite || !last {
		window = min(window, HeaderSize+int64(l.opts.MaxRecordSize))
	}
	rest := make([]byte, window)
	if err := readAt(f, rest, off); err != nil {
		return 0, 0, err
	}
	if reason == "" && allZero(rest) {
		return off, expect, nil
	}
	// A valid record with a later LSN after the stop (even at the stop
	// itself, if its LSN skips ahead).
	q := l.findRecord(rest, 0, window, expect)
	if q >= 0 && (l.opts.SyncEveryWrite || !last) {
		// Each record was synced before the next was written (and every
		// file before the next file began), so only the last record of
		// the last file can be torn: a valid later record after the
		// stop means damage in the middle.
		if reason == "" {
			reason = "a zero header"
		}
		return 0, 0, &CorruptionError{File: fi.name, Offset: off, Reason: fmt.Sprintf("%s (and a valid record follows at offset %d, so this is not a torn tail)", reason, off+q)}
	}
	// How much to zero: the window after a torn record, or (interval mode)
	// everything after the stop when unsynced records that survived a torn
	// one lie there, so that they can never be read back after new
	// records.
	extent := int64(0)
	if q >= 0 {
		extent = window
	}
	tornRecord := reason != "" && stopLSN == expect
	if !tornRecord && extent == 0 {
		// Not our next record: the log ends here, and what follows is
		// what the file held before (files are recycled, and a torn
		// first write may not have reached its header).
		return off, expect, nil
	}
	if tornRecord && !last {
		return 0, 0, &CorruptionError{File: fi.name, Offset: off, Reason: reason + " (a torn record in a file that was synced before the next one began)"}
	}
	if tornRecord {
		// The whole window, not just the torn record: zeroing only part
		// of it could make the zeros and the bytes after them read as a
		// header that was not there before.
		extent = window
	}
	nz := int64(0)
	for _, b := range rest[:extent] {
		if b != 0 {
			nz++
		}
	}
	wf, err := l.opts.FS.OpenFile(fi.name, os.O_RDWR, 0)
	if err != nil {
		return 0, 0, fmt.Errorf("wal: %w", err)
	}
	defer wf.Close()
	if _, err := wf.WriteAt(make([]byte, extent), off); err != nil {
		return 0, 0, fmt.Errorf("wal: zeroing torn tail: %w", err)
	}
	if err := wf.Sync(); err != nil {
		return 0, 0, fmt.Errorf("wal: zeroing torn tail: %w", err)
	}
	if torn != nil {
		torn(TornTail{File: fi.name, Offset: off, Bytes: nz})
	}
	return off, expect, nil
}

// findRecord returns the first offset in [lo, hi) of buf where a valid
// record with an LSN from expect on starts, or -1.
func (l *Log) findRecord(buf []byte, lo, hi int64, expect uint64) int64 {
	// No record in the range can have an LSN beyond this.
	maxLSN := expect + uint64(hi-lo)/HeaderSize + 1
	for q := lo; q < hi && q+HeaderSize <= int64(len(buf)); q++ {
		n := binary.BigEndian.Uint32(buf[q:])
		lsn := binary.BigEndian.Uint64(buf[q+8:])
		if n == 0 || int64(n) > int64(l.opts.MaxRecordSize) || q+HeaderSize+int64(n) > int64(len(buf)) || lsn < expect || lsn > maxLSN {
			continue
		}
		c := crc32.Update(crc32.Checksum(buf[q+8:q+16], castagnoli), castagnoli, buf[q+HeaderSize:q+HeaderSize+int64(n)])
		if c == binary.BigEndian.Uint32(buf[q+4:]) {
			return q
		}
	}
	return -1
}

func readAt(f vfs.File, p []byte, off int64) error {
	if _, err := f.ReadAt(p, off); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("wal: read %s at %d: %w", f.Name(), off, err)
	}
	return nil
}

func allZero(b []byte) bool {
	for len(b) >= 8 {
		if binary.LittleEndian.Uint64(b) != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// Append writes payload as the next record and, if sync is set, makes it
// durable. It returns the record's LSN. Errors from pre-allocating a new file
// leave the log usable; any other error fails the log for good.
func (l *Log) Append(payload []byte, sync bool) (uint64, error) {
	if l.failed != nil {
		return 0, l.failed
	}
	if len(payload) == 0 || len(payload) > l.opts.MaxRecordSize {
		return 0, fmt.Errorf("wal: record of %d bytes (must be 1..%d)", len(payload), l.opts.MaxRecordSize)
	}
	need := int64(HeaderSize + len(payload))
	if l.cur == nil || l.curOff+need > l.curSize {
		if err := l.roll(need); err != nil {
			return 0, err
		}
	}
	lsn := l.nextLSN
	binary.BigEndian.PutUint32(l.hdr[0:], uint32(len(payload)))
	binary.BigEndian.PutUint64(l.hdr[8:], lsn)
	c := crc32.Update(crc32.Checksum(l.hdr[8:16], castagnoli), castagnoli, payload)
	binary.BigEndian.PutUint32(l.hdr[4:], c)
	// Header and payload go in two writes at known offsets; the sync covers
	// both, and a crash between them leaves a torn record that recovery
	// cuts off.
	if _, err := l.cur.WriteAt(l.hdr[:], l.curOff); err != nil {
		return 0, l.fail(fmt.Errorf("wal: write %s: %w", l.curName, err))
	}
	if _, err := l.cur.WriteAt(payload, l.curOff+HeaderSize); err != nil {
		return 0, l.fail(fmt.Errorf("wal: write %s: %w", l.curName, err))
	}
	l.curOff += need
	l.nextLSN++
	if l.curOff > l.curSize/2 && l.curSize >= l.opts.FileSize && l.spareDue() {
		// Make sure the next file is ready before it is needed (a no-op
		// when one is, recycled or prepared). Not in a file made short
		// for want of space: a spare would take the space that other
		// logs on the disk need for their next records.
		l.prepareSpare()
	}
	if sync {
		if err := l.Sync(); err != nil {
			return 0, err
		}
	}
	return lsn, nil
}

// spareDue reports whether to prepare the next file now (the current one is
// over half full): at once if the log has only the current file, and only
// past 7/8 if it has older ones, one of which a checkpoint may make
// obsolete, and recycled, before then (see spareName).
func (l *Log) spareDue() bool {
	if l.curOff > l.curSize/8*7 {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.files) <= 1
}

// Sync makes every appended record durable.
func (l *Log) Sync() error {
	if l.failed != nil {
		return l.failed
	}
	if l.cur == nil {
		return nil
	}
	if err := l.cur.Sync(); err != nil {
		return l.fail(fmt.Errorf("wal: sync %s: %w", l.curName, err))
	}
	return nil
}

func (l *Log) fail(err error) error {
	l.failed = fmt.Errorf("%w: %w", ErrFailed, err)
	return l.failed
}

// ShortFile reports whether the current file is smaller than FileSize: the
// disk had not the space for a whole file when it began (or it began in a
// previous life with another FileSize). Only the owner may call it.
func (l *Log) ShortFile() bool { return l.cur != nil && l.curSize < l.opts.FileSize }

// roll starts a new file with room for a record of need bytes (header
// included). A failure leaves the current file in place.
func (l *Log) roll(need int64) error {
	if l.cur != nil {
		// Every record in the old file must be durable before a newer
		// file exists: recovery accepts damage only at the end of the
		// last file. (In interval mode this sync also covers records
		// not synced yet.)
		if err := l.cur.Sync(); err != nil {
			return l.fail(fmt.Errorf("wal: sync %s: %w", l.curName, err))
		}
		l.mu.Lock()
		reuse := l.obsolete >= l.nextLSN && need <= l.curSize
		l.mu.Unlock()
		if reuse {
			return l.reuseCurrent()
		}
	}
	name := filepath.Join(l.opts.Dir, fmt.Sprintf("%016x.wal", l.nextLSN))
	f, size, err := l.takeSpare(name, need)
	if err != nil {
		return err
	}
	if err := l.opts.FS.SyncDir(l.opts.Dir); err != nil {
		f.Close()
		l.opts.FS.Remove(name)
		return fmt.Errorf("wal: sync dir %s: %w", l.opts.Dir, err)
	}
	if l.cur != nil {
		l.cur.Close()
	}
	l.mu.Lock()
	l.files = append(l.files, fileInfo{name: name, firstLSN: l.nextLSN})
	l.mu.Unlock()
	l.cur, l.curName, l.curOff, l.curFirst, l.curSize = f, name, 0, l.nextLSN, size
	return nil
}

// reuseCurrent starts the next file in the current one, whose records are
// all obsolete (a checkpoint covers them): it is renamed after the next LSN
// and written again from its start, with no new disk space, like a
// recycled spare. Its old records have older LSNs than its new name, which
// recovery reads as the end of the log. The caller synced it.
func (l *Log) reuseCurrent() error {
	name := filepath.Join(l.opts.Dir, fmt.Sprintf("%016x.wal", l.nextLSN))
	l.mu.Lock()
	err := l.opts.FS.Rename(l.curName, name)
	if err == nil {
		l.files[len(l.files)-1] = fileInfo{name: name, firstLSN: l.nextLSN}
	}
	l.mu.Unlock()
	if err != nil {
		// Nothing changed: the file keeps its name and its records.
		return fmt.Errorf("wal: reusing %s: %w", l.curName, err)
	}
	// New records must not land in the file before its new name is
	// durable: under the old name they would read as a gap in the log.
	// Which name a failed directory sync left is unknown, so that is a
	// failure for good.
	if err := l.opts.FS.SyncDir(l.opts.Dir); err != nil {
		return l.fail(fmt.Errorf("wal: sync dir %s: %w", l.opts.Dir, err))
	}
	// Reopen under the new name, as takeSpare does.
	f, err := l.opts.FS.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return l.fail(fmt.Errorf("wal: %w", err))
	}
	l.cur.Close()
	l.cur, l.curName, l.curOff, l.curFirst = f, name, 0, l.nextLSN
	return nil
}

// TruncateBefore removes files that hold only records with LSN < lsn.
// It may run concurrently with Append.
func (l *Log) TruncateBefore(lsn uint64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.obsolete = max(l.obsolete, lsn)
	removed := false
	for len(l.files) > 1 && l.files[1].firstLSN <= lsn {
		if l.recycle(l.files[0].name) {
			// Kept as the next spare file.
		} else if err := l.opts.FS.Remove(l.files[0].name); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("wal: %w", err)
		}
		l.files = l.files[1:]
		removed = true
	}
	if removed {
		return l.opts.FS.SyncDir(l.opts.Dir)
	}
	return nil
}

// Files reports how many files the log has.
func (l *Log) Files() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.files)
}

// Close closes the current file, after waiting for a spare file being
// prepared. It does not sync.
func (l *Log) Close() error {
	l.closeSpare()
	if l.cur == nil {
		return nil
	}
	err := l.cur.Close()
	l.cur = nil
	if err != nil && !errors.Is(err, os.ErrClosed) {
		return err
	}
	return nil
}

var _ io.Closer = (*Log)(nil)
