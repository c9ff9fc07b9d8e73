package wal_test

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/braidstream/braid/internal/storage/wal"
	"github.com/braidstream/braid/internal/vfs"
)

// These tests run the log on a disk of a few bytes (vfs.DiskFS).

// TestReuseObsoleteFile fills the only file of a log on a disk with no
// space left. Once TruncateBefore says every record is obsolete, the next
// record starts the file over under a new name, with no new space; before
// that, it fails with ENOSPC and the log stays usable. Recovery after the
// reuse reads only the new records, and a crash copy taken at any point
// recovers.
func TestReuseObsoleteFile(t *testing.T) {
	r := newRand(t)
	for _, always := range []bool{true, false} {
		dir := t.TempDir()
		disk := vfs.NewDiskFS(vfs.OS{}, 1<<30)
		l := openLog(t, disk, dir, always)
		if _, _, err := replay(l, 1); err != nil {
			t.Fatal(err)
		}
		appendN(t, l, r, 1, 1000, always)
		disk.SetCapacity(disk.Used()) // full: the file's space is reserved
		var (
			err     error
			refused []byte
		)
		for i := 0; i < 2*testFileSize/500 && err == nil; i++ {
			refused = payloadFor(r, l.NextLSN(), 1000)
			_, err = l.Append(refused, always)
		}
		if !errors.Is(err, syscall.ENOSPC) || errors.Is(err, wal.ErrFailed) {
			t.Fatalf("append past a full file on a full disk: %v, want ENOSPC", err)
		}
		// Not every record is obsolete yet: still no room.
		l.TruncateBefore(l.NextLSN() - 1)
		if _, err := l.Append(refused, always); !errors.Is(err, syscall.ENOSPC) {
			t.Fatalf("append with the last record still needed: %v, want ENOSPC", err)
		}
		used := disk.Used()
		obsolete := l.NextLSN()
		if err := l.TruncateBefore(obsolete); err != nil {
			t.Fatal(err)
		}
		// The record that did not fit goes first, into the file used
		// again (a smaller one could still fit in the old file's end,
		// and then the file would hold a record that is needed).
		lsn, err := l.Append(refused, always)
		if err != nil {
			t.Fatalf("append with every record obsolete on a full disk: %v", err)
		}
		fresh := []rec{{lsn, refused}}
		for range testFileSize / 1000 / 2 {
			fresh = append(fresh, appendN(t, l, r, 1, 1000, always)...)
		}
		if err := l.Sync(); err != nil {
			t.Fatal(err)
		}
		if disk.Used() != used {
			t.Fatalf("reusing the file took %d bytes", disk.Used()-used)
		}
		files := walFiles(t, dir)
		if len(files) != 1 || firstLSNOf(t, files[0]) != obsolete {
			t.Fatalf("WAL files %v, want the one file renamed after lsn %d", files, obsolete)
		}
		crash := t.TempDir()
		copyTree(t, dir, crash)
		l.Close()
		for _, d := range []string{dir, crash} {
			l2, got := reopen(t, d, always, obsolete)
			sameRecords(t, got, fresh)
			// And it takes more records after the old ones' bytes.
			more := appendN(t, l2, r, 3, 1000, always)
			l2.Close()
			l3, got := reopen(t, d, always, obsolete)
			sameRecords(t, got, append(append([]rec(nil), fresh...), more...))
			l3.Close()
		}
	}
}

// TestShortFiles runs a log on a disk smaller than one file: files get what
// fits, down to the record at hand, records of every size up to the maximum
// go in, and everything replays; a torn record at the end of a short file
// is cut off as a torn tail.
func TestShortFiles(t *testing.T) {
	r := newRand(t)
	dir := t.TempDir()
	// Less than a file, more than two files for the largest record: the
	// one before is kept while the next begins.
	const capacity = testFileSize * 3 / 4
	disk := vfs.NewDiskFS(vfs.OS{}, capacity)
	l := openLog(t, disk, dir, true)
	if _, _, err := replay(l, 1); err != nil {
		t.Fatal(err)
	}
	var want []rec
	for i := 0; i < 40; i++ {
		size := 1 + r.Intn(1500)
		if i%10 == 9 {
			size = testMaxRecord // a record larger than a short file
		}
		p := payloadFor(r, l.NextLSN(), size)
		p = append(p, make([]byte, size-len(p))...)
		lsn := l.NextLSN()
		if _, err := l.Append(p, true); err != nil {
			t.Fatalf("append %d (%d bytes) with %d of %d bytes used: %v", i, len(p), disk.Used(), capacity, err)
		}
		want = append(want, rec{lsn, p})
		// What a checkpoint would do: only the last record is needed.
		if err := l.TruncateBefore(lsn); err != nil {
			t.Fatal(err)
		}
	}
	files := walFiles(t, dir)
	last := files[len(files)-1]
	st, err := os.Stat(last)
	if err != nil {
		t.Fatal(err)
	}
	if st.Size() >= testFileSize {
		t.Fatalf("the last file has %d bytes on a %d-byte disk", st.Size(), capacity)
	}
	from := firstLSNOf(t, files[0])
	l.Close()
	l2, got := reopen(t, dir, true, from)
	var kept []rec
	for _, w := range want {
		if w.lsn >= from {
			kept = append(kept, w)
		}
	}
	sameRecords(t, got, kept)
	l2.Close()

	// A torn record at the end of the short last file: a header with the
	// next LSN whose payload would run off the file.
	end := endOfRecords(t, last)
	next := want[len(want)-1].lsn + 1
	if end+wal.HeaderSize > st.Size() {
		t.Skipf("no room for a torn header in %s", last)
	}
	writeAt(t, last, end, header(next, []byte("x"), uint32(st.Size())))
	l3 := openLog(t, nil, dir, true)
	got, torn, err := replay(l3, from)
	l3.Close()
	if err != nil {
		t.Fatalf("replay with a torn tail in a short file: %v", err)
	}
	if len(torn) != 1 || torn[0].File != last || torn[0].Offset != end {
		t.Fatalf("torn tails %+v, want one in %s at %d", torn, last, end)
	}
	sameRecords(t, got, kept)
}

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	ents, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
