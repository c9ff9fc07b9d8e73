package wal_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/storage/wal"
	"github.com/braidstream/braid/internal/vfs"
)

var seedFlag = flag.Int64("seed", 0, "seed for randomised tests (0: from the time)")

func newRand(t testing.TB) *rand.Rand {
	seed := *seedFlag
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	t.Logf("seed %d (rerun with -seed=%d)", seed, seed)
	return rand.New(rand.NewSource(seed))
}

const (
	testFileSize  = 64 << 10
	testMaxRecord = 16 << 10
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

type rec struct {
	lsn     uint64
	payload []byte
}

func openLog(t testing.TB, fsys vfs.FS, dir string, always bool) *wal.Log {
	t.Helper()
	if fsys == nil {
		fsys = vfs.OS{}
	}
	l, err := wal.Open(wal.Options{FS: fsys, Dir: dir, FileSize: testFileSize, MaxRecordSize: testMaxRecord, SyncEveryWrite: always})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return l
}

// replay replays from `from` and returns the records and torn tails seen.
func replay(l *wal.Log, from uint64) ([]rec, []wal.TornTail, error) {
	var recs []rec
	var torn []wal.TornTail
	err := l.Replay(from, func(lsn uint64, p []byte) error {
		recs = append(recs, rec{lsn, append([]byte(nil), p...)})
		return nil
	}, func(tt wal.TornTail) { torn = append(torn, tt) })
	return recs, torn, err
}

// reopen opens dir, replays everything from `from` and fails the test on a
// replay error or a torn tail.
func reopen(t *testing.T, dir string, always bool, from uint64) (*wal.Log, []rec) {
	t.Helper()
	l := openLog(t, nil, dir, always)
	recs, torn, err := replay(l, from)
	if err != nil {
		l.Close()
		t.Fatalf("replay: %v", err)
	}
	if len(torn) != 0 {
		l.Close()
		t.Fatalf("unexpected torn tail: %+v", torn)
	}
	return l, recs
}

func payloadFor(r *rand.Rand, lsn uint64, max int) []byte {
	n := 1 + r.Intn(max)
	p := make([]byte, n)
	r.Read(p)
	copy(p, fmt.Sprintf("lsn%d:", lsn))
	return p
}

// appendN appends n records and returns them.
func appendN(t *testing.T, l *wal.Log, r *rand.Rand, n, maxSize int, sync bool) []rec {
	t.Helper()
	var out []rec
	for i := 0; i < n; i++ {
		p := payloadFor(r, l.NextLSN(), maxSize)
		want := l.NextLSN()
		lsn, err := l.Append(p, sync)
		if err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
		if lsn != want {
			t.Fatalf("append got lsn %d, want %d", lsn, want)
		}
		out = append(out, rec{lsn, p})
	}
	return out
}

func sameRecords(t *testing.T, got, want []rec) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("replayed %d records, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i].lsn != want[i].lsn || !bytes.Equal(got[i].payload, want[i].payload) {
			t.Fatalf("record %d: got lsn %d (%d bytes), want lsn %d (%d bytes)", i, got[i].lsn, len(got[i].payload), want[i].lsn, len(want[i].payload))
		}
	}
}

func walFiles(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".wal") {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(out)
	return out
}

func firstLSNOf(t *testing.T, path string) uint64 {
	t.Helper()
	v, err := strconv.ParseUint(strings.TrimSuffix(filepath.Base(path), ".wal"), 16, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// recordOffsets parses a WAL file and returns where each record starts.
func recordOffsets(t *testing.T, path string) []int64 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var offs []int64
	off := int64(0)
	for off+wal.HeaderSize <= int64(len(b)) {
		n := binary.BigEndian.Uint32(b[off:])
		if n == 0 {
			break
		}
		offs = append(offs, off)
		off += wal.HeaderSize + int64(n)
	}
	return offs
}

// endOfRecords is the offset right after the last record of a file.
func endOfRecords(t *testing.T, path string) int64 {
	t.Helper()
	offs := recordOffsets(t, path)
	if len(offs) == 0 {
		return 0
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	last := offs[len(offs)-1]
	return last + wal.HeaderSize + int64(binary.BigEndian.Uint32(b[last:]))
}

func writeAt(t *testing.T, path string, off int64, b []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// header encodes a record header as Append does.
func header(lsn uint64, payload []byte, length uint32) []byte {
	h := make([]byte, wal.HeaderSize)
	binary.BigEndian.PutUint32(h[0:], length)
	binary.BigEndian.PutUint64(h[8:], lsn)
	binary.BigEndian.PutUint32(h[4:], crc32.Update(crc32.Checksum(h[8:16], castagnoli), castagnoli, payload))
	return h
}

// fill appends records until the log has at least files files.
func fill(t *testing.T, l *wal.Log, r *rand.Rand, files, maxSize int, sync bool) []rec {
	t.Helper()
	var out []rec
	for l.Files() < files {
		out = append(out, appendN(t, l, r, 1, maxSize, sync)...)
	}
	return out
}

func TestOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts wal.Options
		want string
	}{
		{"no dir", wal.Options{}, "no directory"},
		{"record too large for file", wal.Options{Dir: t.TempDir(), FileSize: 1024, MaxRecordSize: 1024}, "does not fit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := wal.Open(tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "junk.wal"), []byte("x"), 0o644)
	if _, err := wal.Open(wal.Options{Dir: dir}); err == nil || !strings.Contains(err.Error(), "junk.wal") {
		t.Fatalf("open with a stray file: %v", err)
	}
}

func TestRoundTripAcrossFiles(t *testing.T) {
	r := newRand(t)
	for _, tc := range []struct {
		name    string
		always  bool
		sync    bool
		maxSize int
	}{
		{"always/small", true, false, 300},
		{"always/large", true, true, testMaxRecord},
		{"interval/small", false, false, 300},
		{"interval/mixed", false, false, testMaxRecord / 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			l := openLog(t, nil, dir, tc.always)
			if _, _, err := replay(l, 1); err != nil {
				t.Fatal(err)
			}
			want := fill(t, l, r, 4, tc.maxSize, tc.sync)
			want = append(want, appendN(t, l, r, 3, tc.maxSize, tc.sync)...)
			// Exactly the maximum record size is accepted.
			want = append(want, rec{l.NextLSN(), bytes.Repeat([]byte{7}, testMaxRecord)})
			if _, err := l.Append(want[len(want)-1].payload, tc.sync); err != nil {
				t.Fatal(err)
			}
			if err := l.Sync(); err != nil {
				t.Fatal(err)
			}
			files := l.Files()
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
			names := walFiles(t, dir)
			if len(names) != files || files < 4 {
				t.Fatalf("%d files on disk, log says %d (want at least 4)", len(names), files)
			}
			// Each file is named after its first record's LSN, and
			// never grows beyond its pre-allocated size.
			for _, n := range names {
				b := readFile(t, n)
				if int64(len(b)) != testFileSize {
					t.Errorf("%s is %d bytes, want %d", n, len(b), testFileSize)
				}
				if lsn := binary.BigEndian.Uint64(b[8:]); lsn != firstLSNOf(t, n) {
					t.Errorf("%s starts with lsn %d", n, lsn)
				}
			}
			l2, got := reopen(t, dir, tc.always, 1)
			defer l2.Close()
			sameRecords(t, got, want)
			if l2.NextLSN() != uint64(len(want))+1 {
				t.Fatalf("next lsn %d, want %d", l2.NextLSN(), len(want)+1)
			}
			// Replay from the middle skips what comes before.
			l3, got := reopen(t, dir, tc.always, uint64(len(want)/2))
			l3.Close()
			sameRecords(t, got, want[len(want)/2-1:])
		})
	}
}

func TestLSNContinuityAcrossReopen(t *testing.T) {
	r := newRand(t)
	dir := t.TempDir()
	var want []rec
	for round := 0; round < 4; round++ {
		l, got := reopen(t, dir, true, 1)
		sameRecords(t, got, want)
		if l.NextLSN() != uint64(len(want))+1 {
			t.Fatalf("round %d: next lsn %d, want %d", round, l.NextLSN(), len(want)+1)
		}
		// Round 2 appends nothing at all: a reopen with no new records
		// must not disturb the numbering either.
		if round != 2 {
			want = append(want, appendN(t, l, r, 5+round*40, 2000, true)...)
		}
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if len(walFiles(t, dir)) < 2 {
		t.Fatalf("test did not roll: %d files", len(walFiles(t, dir)))
	}
}

func TestTruncateBefore(t *testing.T) {
	r := newRand(t)
	dir := t.TempDir()
	l := openLog(t, nil, dir, true)
	if _, _, err := replay(l, 1); err != nil {
		t.Fatal(err)
	}
	all := fill(t, l, r, 5, 4000, true)
	all = append(all, appendN(t, l, r, 2, 4000, true)...)
	l.Close()
	names := walFiles(t, dir)
	firsts := make([]uint64, len(names))
	for i, n := range names {
		firsts[i] = firstLSNOf(t, n)
	}
	next := uint64(len(all)) + 1
	for _, tc := range []struct {
		name string
		lsn  uint64
	}{
		{"zero", 0},
		{"one", 1},
		{"first of second file", firsts[1]},
		{"inside second file", firsts[1] + 1},
		{"first of last file", firsts[len(firsts)-1]},
		{"last record", next - 1},
		{"next lsn", next},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := t.TempDir()
			for _, n := range names {
				os.WriteFile(filepath.Join(d, filepath.Base(n)), readFile(t, n), 0o644)
			}
			l, _ := reopen(t, d, true, 1)
			if err := l.TruncateBefore(tc.lsn); err != nil {
				t.Fatal(err)
			}
			// Files that hold only records < lsn go; the last file
			// always stays.
			var keep []string
			for i, n := range names {
				if i == len(names)-1 || firsts[i+1] > tc.lsn {
					keep = append(keep, filepath.Base(n))
				}
			}
			var got []string
			for _, n := range walFiles(t, d) {
				got = append(got, filepath.Base(n))
			}
			if fmt.Sprint(got) != fmt.Sprint(keep) || l.Files() != len(keep) {
				t.Fatalf("after TruncateBefore(%d): files %v (Files()=%d), want %v", tc.lsn, got, l.Files(), keep)
			}
			// Appending still works, and nothing at or after lsn
			// was lost.
			extra := appendN(t, l, r, 2, 4000, true)
			l.Close()
			from := max(tc.lsn, 1)
			l2, recs := reopen(t, d, true, from)
			defer l2.Close()
			want := append(append([]rec(nil), all[from-1:]...), extra...)
			sameRecords(t, recs, want)
		})
	}
}

// TestTruncateBeforeConcurrent runs TruncateBefore beside Append (the
// storage writer beside the flusher); run with -race.
func TestTruncateBeforeConcurrent(t *testing.T) {
	r := newRand(t)
	dir := t.TempDir()
	l := openLog(t, nil, dir, true)
	if _, _, err := replay(l, 1); err != nil {
		t.Fatal(err)
	}
	lsns := make(chan uint64, 1000)
	var wg sync.WaitGroup
	wg.Add(1)
	var truncErr error
	go func() {
		defer wg.Done()
		for lsn := range lsns {
			if err := l.TruncateBefore(lsn); err != nil && truncErr == nil {
				truncErr = err
			}
			_ = l.Files()
		}
	}()
	var all []rec
	for i := 0; i < 400; i++ {
		all = append(all, appendN(t, l, r, 1, 3000, true)...)
		if i%10 == 0 {
			lsns <- all[len(all)-1].lsn
		}
	}
	close(lsns)
	wg.Wait()
	if truncErr != nil {
		t.Fatal(truncErr)
	}
	last := all[len(all)-1].lsn
	if err := l.TruncateBefore(last); err != nil {
		t.Fatal(err)
	}
	if n := l.Files(); n > 2 {
		t.Fatalf("%d files left after truncating before the last record", n)
	}
	l.Close()
	l2, got := reopen(t, dir, true, last)
	defer l2.Close()
	sameRecords(t, got, all[last-1:])
}

// TestReplayFromAfterUntruncatedFiles covers a crash between writing a
// checkpoint and removing the WAL files it made obsolete: replay then starts
// from an LSN far past the first files.
func TestReplayFromAfterUntruncatedFiles(t *testing.T) {
	r := newRand(t)
	dir := t.TempDir()
	l := openLog(t, nil, dir, true)
	if _, _, err := replay(l, 1); err != nil {
		t.Fatal(err)
	}
	all := fill(t, l, r, 4, 4000, true)
	all = append(all, appendN(t, l, r, 3, 4000, true)...)
	l.Close()
	names := walFiles(t, dir)
	for _, from := range []uint64{firstLSNOf(t, names[2]) + 1, firstLSNOf(t, names[3]), all[len(all)-1].lsn, all[len(all)-1].lsn + 1} {
		t.Run(fmt.Sprint(from), func(t *testing.T) {
			l, got := reopen(t, dir, true, from)
			defer l.Close()
			if from <= uint64(len(all)) {
				sameRecords(t, got, all[from-1:])
			} else if len(got) != 0 {
				t.Fatalf("replayed %d records past the end", len(got))
			}
			if l.NextLSN() != uint64(len(all))+1 {
				t.Fatalf("next lsn %d, want %d", l.NextLSN(), len(all)+1)
			}
		})
	}
}

// TestReplayFromBeyondEnd covers a checkpoint that is ahead of the WAL's
// durable end (interval mode: the checkpoint covered records whose WAL copy
// was never synced and is gone after a crash). New records must get LSNs
// from the checkpoint on and replay after the next restart.
func TestReplayFromBeyondEnd(t *testing.T) {
	r := newRand(t)
	for _, always := range []bool{false, true} {
		t.Run(fmt.Sprintf("always=%v", always), func(t *testing.T) {
			dir := t.TempDir()
			l := openLog(t, nil, dir, always)
			if _, _, err := replay(l, 1); err != nil {
				t.Fatal(err)
			}
			appendN(t, l, r, 5, 1000, true)
			l.Close()
			const from = 10
			l, got := reopen(t, dir, always, from)
			if len(got) != 0 || l.NextLSN() != from {
				t.Fatalf("replay from %d: %d records, next lsn %d", from, len(got), l.NextLSN())
			}
			want := appendN(t, l, r, 3, 1000, true)
			l.Close()
			l, got = reopen(t, dir, always, from)
			sameRecords(t, got, want)
			l.Close()
			// The gap before the new file is fine only while no
			// one needs the records in it.
			l = openLog(t, nil, dir, always)
			defer l.Close()
			var ce *wal.CorruptionError
			if _, _, err := replay(l, from-1); !errors.As(err, &ce) {
				t.Fatalf("replay from %d across the gap: %v", from-1, err)
			}
		})
	}
}

// TestReplayMissingRecords: a log whose first file starts after the LSN
// recovery needs has lost records; that is corruption, not an empty log.
func TestReplayMissingRecords(t *testing.T) {
	r := newRand(t)
	dir := t.TempDir()
	l := openLog(t, nil, dir, true)
	if _, _, err := replay(l, 1); err != nil {
		t.Fatal(err)
	}
	fill(t, l, r, 3, 4000, true)
	l.Close()
	names := walFiles(t, dir)
	os.Remove(names[0])
	l = openLog(t, nil, dir, true)
	defer l.Close()
	_, _, err := replay(l, 1)
	var ce *wal.CorruptionError
	if !errors.As(err, &ce) || ce.File != names[1] {
		t.Fatalf("replay with the first file missing: %v", err)
	}
	t.Log(err)
}

// template builds, once per test, a log of at least files files (plus
// extra records) and returns a function that copies it into a fresh
// directory, with the records it holds. The records are not synced one by
// one: the files' content is what matters here.
func template(t *testing.T, r *rand.Rand, always bool, files, extra, maxSize int) (func(t *testing.T) string, []rec) {
	t.Helper()
	dir := t.TempDir()
	l := openLog(t, nil, dir, always)
	if _, _, err := replay(l, 1); err != nil {
		t.Fatal(err)
	}
	all := fill(t, l, r, files, maxSize, false)
	all = append(all, appendN(t, l, r, extra, maxSize, false)...)
	if err := l.Sync(); err != nil {
		t.Fatal(err)
	}
	l.Close()
	names := walFiles(t, dir)
	return func(t *testing.T) string {
		d := t.TempDir()
		for _, n := range names {
			if err := os.WriteFile(filepath.Join(d, filepath.Base(n)), readFile(t, n), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return d
	}, all
}

type tornCase struct {
	name string
	// damage changes the last file, whose records end at end; last is the
	// offset of the last record. It returns where the valid log ends now
	// and how many records at the end are gone.
	damage func(t *testing.T, path string, last, end int64) (validEnd int64, lost int)
	// unreported: the damage cannot be told from the bytes a recycled
	// file holds after the end of its log (the header never got the
	// record's LSN), so the log just ends there, without a report.
	unreported bool
}

var tornCases = []tornCase{
	{"header without payload", func(t *testing.T, path string, last, end int64) (int64, int) {
		p := bytes.Repeat([]byte{0xab}, 700)
		writeAt(t, path, end, header(firstLSNOf(t, path)+uint64(len(recordOffsets(t, path))), p, uint32(len(p))))
		return end, 0
	}, false},
	{"payload partly zeroed", func(t *testing.T, path string, last, end int64) (int64, int) {
		b := readFile(t, path)
		n := int64(binary.BigEndian.Uint32(b[last:]))
		writeAt(t, path, last+wal.HeaderSize+n/2, make([]byte, n-n/2))
		return last, 1
	}, false},
	{"payload partly garbage", func(t *testing.T, path string, last, end int64) (int64, int) {
		b := readFile(t, path)
		n := int64(binary.BigEndian.Uint32(b[last:]))
		writeAt(t, path, last+wal.HeaderSize+n-1, []byte{^b[last+wal.HeaderSize+n-1]})
		return last, 1
	}, false},
	{"half a header", func(t *testing.T, path string, last, end int64) (int64, int) {
		writeAt(t, path, end, []byte{0, 0, 1, 0, 0x12, 0x34})
		return end, 0
	}, true},
	{"header only partly written", func(t *testing.T, path string, last, end int64) (int64, int) {
		// Length and lsn written, checksum bytes still zero.
		h := header(firstLSNOf(t, path)+uint64(len(recordOffsets(t, path))), []byte("x"), 1)
		copy(h[4:8], []byte{0, 0, 0, 0})
		writeAt(t, path, end, h)
		return end, 0
	}, false},
	{"huge length", func(t *testing.T, path string, last, end int64) (int64, int) {
		writeAt(t, path, end, header(firstLSNOf(t, path)+uint64(len(recordOffsets(t, path))), nil, 0xffffffff))
		return end, 0
	}, false},
	{"length zero, rest of header not", func(t *testing.T, path string, last, end int64) (int64, int) {
		writeAt(t, path, end+8, []byte{0, 0, 0, 0, 0, 0, 0, 9})
		return end, 0
	}, true},
}

func TestTornTail(t *testing.T) {
	r := newRand(t)
	for _, always := range []bool{true, false} {
		copyLog, all := template(t, r, always, 2, 4, 2000)
		for _, tc := range tornCases {
			t.Run(fmt.Sprintf("%s/always=%v", tc.name, always), func(t *testing.T) {
				dir := copyLog(t)
				names := walFiles(t, dir)
				path := names[len(names)-1]
				offs := recordOffsets(t, path)
				validEnd, lost := tc.damage(t, path, offs[len(offs)-1], endOfRecords(t, path))
				want := append([]rec(nil), all[:len(all)-lost]...)

				l := openLog(t, nil, dir, always)
				got, torn, err := replay(l, 1)
				if err != nil {
					t.Fatalf("replay: %v", err)
				}
				sameRecords(t, got, want)
				if tc.unreported {
					if len(torn) != 0 {
						t.Fatalf("torn tail reported as %+v, want none", torn)
					}
				} else {
					if len(torn) != 1 || torn[0].File != path || torn[0].Offset != validEnd || torn[0].Bytes <= 0 {
						t.Fatalf("torn tail reported as %+v, want one in %s at %d", torn, path, validEnd)
					}
					// The torn record is zeroed on disk.
					if b := readFile(t, path); !bytes.Equal(b[validEnd:], make([]byte, len(b)-int(validEnd))) {
						t.Fatal("torn tail not zeroed")
					}
				}
				if l.NextLSN() != uint64(len(want))+1 {
					t.Fatalf("next lsn %d, want %d", l.NextLSN(), len(want)+1)
				}
				want = append(want, appendN(t, l, r, 3, 2000, true)...)
				l.Close()
				l, got = reopen(t, dir, always, 1)
				defer l.Close()
				sameRecords(t, got, want)
			})
		}
	}
}

type damageCase struct {
	name string
	// damage changes the record at off in path.
	damage func(t *testing.T, path string, off int64)
}

func flipAt(rel int64) func(t *testing.T, path string, off int64) {
	return func(t *testing.T, path string, off int64) {
		b := readFile(t, path)
		writeAt(t, path, off+rel, []byte{b[off+rel] ^ 0x10})
	}
}

var damageCases = []damageCase{
	// A byte of the payload: its fourth, or its last if it is shorter
	// (the records' sizes are random; past its end would damage the next
	// record instead).
	{"payload byte", func(t *testing.T, path string, off int64) {
		n := int64(binary.BigEndian.Uint32(readFile(t, path)[off:]))
		if n == 0 {
			t.Skip("a record without a payload")
		}
		flipAt(wal.HeaderSize+min(3, n-1))(t, path, off)
	}},
	{"length byte", flipAt(2)},
	{"checksum byte", flipAt(5)},
	{"lsn byte", flipAt(15)},
	{"huge length", func(t *testing.T, path string, off int64) { writeAt(t, path, off, []byte{0xff, 0xff, 0xff, 0xff}) }},
	{"zero length", func(t *testing.T, path string, off int64) { writeAt(t, path, off, []byte{0, 0, 0, 0}) }},
	{"zeroed record", func(t *testing.T, path string, off int64) {
		n := binary.BigEndian.Uint32(readFile(t, path)[off:])
		writeAt(t, path, off, make([]byte, wal.HeaderSize+int(n)))
	}},
}

func TestCorruptionInTheMiddle(t *testing.T) {
	r := newRand(t)
	type where struct {
		name   string
		always bool
		file   func(names []string) string
		record func(offs []int64) int
	}
	for _, w := range []where{
		// In the last file, only the "always" mode can tell: every
		// record was synced before the next was written.
		{"last file middle record/always", true, func(n []string) string { return n[len(n)-1] }, func(o []int64) int { return len(o) / 2 }},
		{"last file second-to-last record/always", true, func(n []string) string { return n[len(n)-1] }, func(o []int64) int { return len(o) - 2 }},
		{"first file middle record/always", true, func(n []string) string { return n[0] }, func(o []int64) int { return len(o) / 2 }},
		{"first file middle record/interval", false, func(n []string) string { return n[0] }, func(o []int64) int { return len(o) / 2 }},
		// A "torn" tail in a file that is not the last cannot come
		// from a crash: the next file was made after this one synced.
		{"first file last record/always", true, func(n []string) string { return n[0] }, func(o []int64) int { return len(o) - 1 }},
		{"middle file last record/interval", false, func(n []string) string { return n[1] }, func(o []int64) int { return len(o) - 1 }},
	} {
		copyLog, _ := template(t, r, w.always, 3, 6, 2000)
		for _, dc := range damageCases {
			t.Run(w.name+"/"+dc.name, func(t *testing.T) {
				dir := copyLog(t)
				names := walFiles(t, dir)
				path := w.file(names)
				offs := recordOffsets(t, path)
				off := offs[w.record(offs)]
				dc.damage(t, path, off)
				before := readFile(t, path)

				l := openLog(t, nil, dir, w.always)
				defer l.Close()
				var ms0, ms1 runtime.MemStats
				runtime.ReadMemStats(&ms0)
				_, torn, err := replay(l, 1)
				runtime.ReadMemStats(&ms1)
				var ce *wal.CorruptionError
				if !errors.As(err, &ce) {
					t.Fatalf("replay: %v (torn %+v), want a *wal.CorruptionError", err, torn)
				}
				if ce.File != path || ce.Offset != off {
					t.Fatalf("corruption reported in %s at %d, want %s at %d", ce.File, ce.Offset, path, off)
				}
				msg := err.Error()
				if !strings.Contains(msg, path) || !strings.Contains(msg, fmt.Sprintf("offset %d", off)) {
					t.Fatalf("message %q does not name file and offset", msg)
				}
				if len(torn) != 0 {
					t.Fatalf("torn tail reported beside corruption: %+v", torn)
				}
				if !bytes.Equal(readFile(t, path), before) {
					t.Fatal("a refused replay changed the file")
				}
				// Replay reads one file at a time: no allocation
				// follows a damaged length field.
				if d := ms1.TotalAlloc - ms0.TotalAlloc; d > 16*testFileSize {
					t.Fatalf("replay allocated %d bytes", d)
				}
			})
		}
	}
}

// TestIntervalModeTailDamage documents the interval mode: several records
// may be unsynced at a crash and reach the disk in any order, so any damage
// in the last file is a torn tail from that point on.
func TestIntervalModeTailDamage(t *testing.T) {
	r := newRand(t)
	dir := t.TempDir()
	l := openLog(t, nil, dir, false)
	if _, _, err := replay(l, 1); err != nil {
		t.Fatal(err)
	}
	all := appendN(t, l, r, 10, 2000, false)
	l.Close()
	path := walFiles(t, dir)[0]
	offs := recordOffsets(t, path)
	flipAt(wal.HeaderSize+1)(t, path, offs[4])
	l = openLog(t, nil, dir, false)
	defer l.Close()
	got, torn, err := replay(l, 1)
	if err != nil {
		t.Fatal(err)
	}
	sameRecords(t, got, all[:4])
	if len(torn) != 1 || torn[0].Offset != offs[4] {
		t.Fatalf("torn %+v", torn)
	}
}

// TestRollSyncsOldFileFirst: in interval mode the old file must be synced
// before the next file exists, or a crash could leave a gap in the middle of
// the log.
func TestRollSyncsOldFileFirst(t *testing.T) {
	r := newRand(t)
	dir := t.TempDir()
	efs := vfs.NewErrorFS(vfs.OS{})
	var mu sync.Mutex
	var ops []string
	efs.SetInjector(func(op vfs.Op, path string) error {
		mu.Lock()
		ops = append(ops, string(op)+" "+filepath.Base(path))
		mu.Unlock()
		return nil
	})
	l := openLog(t, efs, dir, false)
	defer l.Close()
	if _, _, err := replay(l, 1); err != nil {
		t.Fatal(err)
	}
	fill(t, l, r, 3, 3000, false)
	mu.Lock()
	defer mu.Unlock()
	names := walFiles(t, dir)
	for i := 1; i < len(names); i++ {
		old, nw := filepath.Base(names[i-1]), filepath.Base(names[i])
		synced, created := -1, -1
		for j, op := range ops {
			if op == "sync "+old && synced < 0 {
				synced = j
			}
			if (op == "open "+nw || op == "rename "+nw) && created < 0 {
				created = j
			}
		}
		if synced < 0 || created < 0 || synced > created {
			t.Fatalf("%s synced at op %d, %s created at op %d; ops: %v", old, synced, nw, created, ops)
		}
	}
}

func TestAppendErrors(t *testing.T) {
	r := newRand(t)
	dir := t.TempDir()
	efs := vfs.NewErrorFS(vfs.OS{})
	l := openLog(t, efs, dir, true)
	defer l.Close()
	if _, _, err := replay(l, 1); err != nil {
		t.Fatal(err)
	}
	want := appendN(t, l, r, 3, 1000, true)
	for _, n := range []int{0, testMaxRecord + 1} {
		if _, err := l.Append(make([]byte, n), true); err == nil || errors.Is(err, wal.ErrFailed) {
			t.Fatalf("append of %d bytes: %v", n, err)
		}
	}
	// A full disk when a new file is needed fails only that append.
	efs.SetInjector(func(op vfs.Op, path string) error {
		if op == vfs.OpPreallocate {
			return syscall.ENOSPC
		}
		return nil
	})
	// (A spare file prepared before the disk filled may still serve one
	// roll: that space was reserved.)
	var err error
	var before []string
	for i := 0; i < 100 && err == nil; i++ {
		before = walFiles(t, dir)
		var rs []rec
		p := payloadFor(r, l.NextLSN(), 4000)
		lsn := l.NextLSN()
		_, err = l.Append(p, true)
		if err == nil {
			rs = append(rs, rec{lsn, p})
		}
		want = append(want, rs...)
	}
	if !errors.Is(err, syscall.ENOSPC) || errors.Is(err, wal.ErrFailed) {
		t.Fatalf("append with a full disk: %v", err)
	}
	if got := walFiles(t, dir); len(got) != len(before) {
		t.Fatalf("a failed roll left a file behind: %v, before %v", got, before)
	}
	efs.SetInjector(nil)
	want = append(want, appendN(t, l, r, 5, 4000, true)...)
	// A failed sync fails the log for good.
	efs.SetInjector(func(op vfs.Op, path string) error {
		if op == vfs.OpSync {
			return syscall.EIO
		}
		return nil
	})
	if _, err := l.Append([]byte("doomed"), true); !errors.Is(err, wal.ErrFailed) || !errors.Is(err, syscall.EIO) {
		t.Fatalf("append with failing sync: %v", err)
	}
	efs.SetInjector(nil)
	if _, err := l.Append([]byte("later"), true); !errors.Is(err, wal.ErrFailed) {
		t.Fatalf("append after a failed sync: %v", err)
	}
	if err := l.Sync(); !errors.Is(err, wal.ErrFailed) {
		t.Fatalf("sync after a failed sync: %v", err)
	}
	l.Close()
	// Reopen: everything acknowledged is there; the record whose sync
	// failed may be there too (its outcome was unknown).
	l2, got := reopen(t, dir, true, 1)
	defer l2.Close()
	if len(got) == len(want)+1 && string(got[len(got)-1].payload) == "doomed" {
		got = got[:len(got)-1]
	}
	sameRecords(t, got, want)

	// A failed write fails the log for good too.
	efs2 := vfs.NewErrorFS(vfs.OS{})
	l3 := openLog(t, efs2, t.TempDir(), true)
	defer l3.Close()
	if _, _, err := replay(l3, 1); err != nil {
		t.Fatal(err)
	}
	appendN(t, l3, r, 1, 100, true)
	efs2.SetInjector(func(op vfs.Op, path string) error {
		if op == vfs.OpWrite {
			return syscall.EIO
		}
		return nil
	})
	if _, err := l3.Append([]byte("x"), true); !errors.Is(err, wal.ErrFailed) {
		t.Fatalf("append with failing write: %v", err)
	}
	efs2.SetInjector(nil)
	if _, err := l3.Append([]byte("y"), true); !errors.Is(err, wal.ErrFailed) {
		t.Fatalf("append after a failed write: %v", err)
	}
}

// walSeed returns the written part of a real log file holding n records,
// for the fuzz corpus.
func walSeed(f *testing.F, n int, sizes int) []byte {
	dir := f.TempDir()
	l, err := wal.Open(wal.Options{Dir: dir, FileSize: testFileSize, MaxRecordSize: testMaxRecord})
	if err != nil {
		f.Fatal(err)
	}
	if err := l.Replay(1, func(uint64, []byte) error { return nil }, nil); err != nil {
		f.Fatal(err)
	}
	for i := 0; i < n; i++ {
		if _, err := l.Append(bytes.Repeat([]byte{byte('a' + i)}, 1+i*sizes), true); err != nil {
			f.Fatal(err)
		}
	}
	l.Close()
	b, err := os.ReadFile(filepath.Join(dir, "0000000000000001.wal"))
	if err != nil {
		f.Fatal(err)
	}
	return bytes.TrimRight(b, "\x00")
}

// memFS is an in-memory vfs.FS (flat: it keeps files by full path), to
// keep the fuzzer fast and independent of the disk.
type memFS struct {
	mu    sync.Mutex
	files map[string]*memData
}

type memData struct {
	mu   sync.Mutex
	data []byte
}

func newMemFS() *memFS { return &memFS{files: map[string]*memData{}} }

func (m *memFS) OpenFile(name string, flag int, perm os.FileMode) (vfs.File, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.files[name]
	switch {
	case ok && flag&os.O_CREATE != 0 && flag&os.O_EXCL != 0:
		return nil, &os.PathError{Op: "open", Path: name, Err: os.ErrExist}
	case !ok && flag&os.O_CREATE == 0:
		return nil, &os.PathError{Op: "open", Path: name, Err: os.ErrNotExist}
	case !ok:
		d = &memData{}
		m.files[name] = d
	}
	if flag&os.O_TRUNC != 0 {
		d.mu.Lock()
		d.data = nil
		d.mu.Unlock()
	}
	return &memFile{name: name, d: d}, nil
}

func (m *memFS) Remove(name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.files[name]; !ok {
		return &os.PathError{Op: "remove", Path: name, Err: os.ErrNotExist}
	}
	delete(m.files, name)
	return nil
}

func (m *memFS) RemoveAll(name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for n := range m.files {
		if n == name || strings.HasPrefix(n, name+"/") {
			delete(m.files, n)
		}
	}
	return nil
}

func (m *memFS) Rename(oldname, newname string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.files[oldname]
	if !ok {
		return &os.PathError{Op: "rename", Path: oldname, Err: os.ErrNotExist}
	}
	delete(m.files, oldname)
	m.files[newname] = d
	return nil
}

func (m *memFS) MkdirAll(string, os.FileMode) error { return nil }

func (m *memFS) ReadDir(dir string) ([]fs.DirEntry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []fs.DirEntry
	for n, d := range m.files {
		if filepath.Dir(n) == dir {
			d.mu.Lock()
			out = append(out, fs.FileInfoToDirEntry(memInfo{filepath.Base(n), int64(len(d.data))}))
			d.mu.Unlock()
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}

func (m *memFS) Stat(name string) (os.FileInfo, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.files[name]
	if !ok {
		return nil, &os.PathError{Op: "stat", Path: name, Err: os.ErrNotExist}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return memInfo{filepath.Base(name), int64(len(d.data))}, nil
}

func (m *memFS) SyncDir(string) error { return nil }

type memFile struct {
	name string
	d    *memData
	off  int64
}

func (f *memFile) ReadAt(p []byte, off int64) (int, error) {
	f.d.mu.Lock()
	defer f.d.mu.Unlock()
	if off >= int64(len(f.d.data)) {
		return 0, io.EOF
	}
	n := copy(p, f.d.data[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (f *memFile) WriteAt(p []byte, off int64) (int, error) {
	f.d.mu.Lock()
	defer f.d.mu.Unlock()
	if end := off + int64(len(p)); end > int64(len(f.d.data)) {
		f.d.data = append(f.d.data, make([]byte, end-int64(len(f.d.data)))...)
	}
	return copy(f.d.data[off:], p), nil
}

func (f *memFile) Write(p []byte) (int, error) {
	n, err := f.WriteAt(p, f.off)
	f.off += int64(n)
	return n, err
}

func (f *memFile) Close() error { return nil }
func (f *memFile) Sync() error  { return nil }

func (f *memFile) Truncate(size int64) error {
	f.d.mu.Lock()
	defer f.d.mu.Unlock()
	if size <= int64(len(f.d.data)) {
		f.d.data = f.d.data[:size]
	} else {
		f.d.data = append(f.d.data, make([]byte, size-int64(len(f.d.data)))...)
	}
	return nil
}

func (f *memFile) Preallocate(size int64) error {
	f.d.mu.Lock()
	n := int64(len(f.d.data))
	f.d.mu.Unlock()
	if size > n {
		return f.Truncate(size)
	}
	return nil
}

func (f *memFile) Stat() (os.FileInfo, error) {
	f.d.mu.Lock()
	defer f.d.mu.Unlock()
	return memInfo{filepath.Base(f.name), int64(len(f.d.data))}, nil
}

func (f *memFile) Name() string { return f.name }

type memInfo struct {
	name string
	size int64
}

func (i memInfo) Name() string       { return i.name }
func (i memInfo) Size() int64        { return i.size }
func (i memInfo) Mode() os.FileMode  { return 0o644 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }

// FuzzReplay writes arbitrary bytes as the only WAL file. Replay must not
// panic; when it succeeds, the log must take a new record and replay the
// same records plus the new one after a reopen.
func FuzzReplay(f *testing.F) {
	valid := walSeed(f, 4, 10)
	f.Add(valid, true)
	f.Add(valid, false)
	f.Add(valid[:len(valid)-3], true)
	f.Add(append(append([]byte(nil), valid...), 0, 0, 0, 7), true)
	f.Add(append(append([]byte(nil), valid...), valid...), true)
	mid := append([]byte(nil), valid...)
	mid[wal.HeaderSize+2] ^= 1
	f.Add(mid, true)
	f.Add(mid, false)
	f.Add(header(1, nil, 0xffffffff), true)
	f.Add([]byte{}, true)
	f.Add(make([]byte, 100), false)
	f.Fuzz(func(t *testing.T, data []byte, always bool) {
		const dir = "/wal"
		path := dir + "/0000000000000001.wal"
		mfs := newMemFS()
		mfs.files[path] = &memData{data: append([]byte(nil), data...)}
		content := func() []byte { return mfs.files[path].data }
		l := openLog(t, mfs, dir, always)
		got, torn, err := replay(l, 1)
		if err != nil {
			l.Close()
			var ce *wal.CorruptionError
			if !errors.As(err, &ce) || ce.File != path {
				t.Fatalf("replay failed with %v, want a *wal.CorruptionError", err)
			}
			if !bytes.Equal(content(), data) {
				t.Fatal("a refused replay changed the file")
			}
			return
		}
		if len(torn) > 1 {
			t.Fatalf("%d torn tails", len(torn))
		}
		for i, rc := range got {
			if rc.lsn != uint64(i)+1 {
				t.Fatalf("record %d has lsn %d", i, rc.lsn)
			}
		}
		p := []byte("after")
		lsn, err := l.Append(p, true)
		if err != nil {
			l.Close()
			t.Fatalf("append after replay: %v", err)
		}
		if lsn != uint64(len(got))+1 {
			t.Fatalf("append got lsn %d after %d records", lsn, len(got))
		}
		l.Close()
		l = openLog(t, mfs, dir, always)
		defer l.Close()
		// Junk beyond the end of the log may be reported again (files are
		// recycled, so bytes after the end are normal); the records must
		// all be there.
		again, _, err := replay(l, 1)
		if err != nil {
			t.Fatalf("second replay: %v", err)
		}
		sameRecords(t, again, append(got, rec{lsn, p}))
	})
}

// ReplayFrom with the position End reported reads only the records from
// there on, and a hint to a file that is gone falls back to a full read.
func TestReplayFromHint(t *testing.T) {
	r := newRand(t)
	dir := t.TempDir()
	l := openLog(t, nil, dir, true)
	if _, _, err := replay(l, 1); err != nil {
		t.Fatal(err)
	}
	first := appendN(t, l, r, 40, 3000, true)
	hint := l.End()
	from := l.NextLSN()
	rest := appendN(t, l, r, 40, 3000, true)
	l.Close()
	if hint.File == 0 || hint.Offset == 0 {
		t.Fatalf("End() = %+v after %d records", hint, len(first))
	}

	l = openLog(t, nil, dir, true)
	var got []rec
	err := l.ReplayFrom(from, hint, func(lsn uint64, p []byte) error {
		got = append(got, rec{lsn, append([]byte(nil), p...)})
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sameRecords(t, got, rest)
	more := appendN(t, l, r, 3, 3000, true)
	l.Close()

	// A hint naming a file that does not exist: every file is read.
	l = openLog(t, nil, dir, true)
	defer l.Close()
	got = nil
	err = l.ReplayFrom(from, wal.Position{File: 1 << 40, Offset: 99}, func(lsn uint64, p []byte) error {
		got = append(got, rec{lsn, append([]byte(nil), p...)})
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sameRecords(t, got, append(rest, more...))
}

// TestSteadyStateRecycles checks that a log whose checkpoints trail its
// writes by less than a file makes its new files from recycled ones, not by
// zero-filling new ones: each zero-fill writes as many bytes as the file
// holds, on the same disk as the records.
func TestSteadyStateRecycles(t *testing.T) {
	dir := t.TempDir()
	efs := vfs.NewErrorFS(vfs.OS{})
	var mu sync.Mutex
	prealloc := 0
	efs.SetInjector(func(op vfs.Op, path string) error {
		if op == vfs.OpPreallocate {
			mu.Lock()
			prealloc++
			mu.Unlock()
		}
		return nil
	})
	l := openLog(t, efs, dir, true)
	defer l.Close()
	if _, _, err := replay(l, 1); err != nil {
		t.Fatal(err)
	}
	const size = 1 << 10
	perFile := testFileSize / (size + wal.HeaderSize)
	lag := perFile * 3 / 4 // checkpoints trail by three quarters of a file
	var lsns []uint64
	names := map[string]bool{}
	for len(names) < 24 {
		lsn, err := l.Append(make([]byte, size), true)
		if err != nil {
			t.Fatal(err)
		}
		lsns = append(lsns, lsn)
		if len(lsns) > lag {
			if err := l.TruncateBefore(lsns[len(lsns)-1-lag]); err != nil {
				t.Fatal(err)
			}
		}
		for _, n := range walFiles(t, dir) {
			names[filepath.Base(n)] = true
		}
	}
	mu.Lock()
	defer mu.Unlock()
	// The first file and at most two spares are zero-filled; every later
	// file is recycled.
	if prealloc > 3 {
		t.Fatalf("%d files zero-filled for %d files used; want at most 3", prealloc, len(names))
	}
}
