package segstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/vfs"
)

// These tests run the store on a disk of a few bytes (vfs.DiskFS): the
// store must take appends again as soon as the space for the next WAL
// record is free, not a whole WAL file's worth, with and without a restart.

// diskSlack is the free space the tests leave: room for one append's WAL
// record and a checkpoint, far less than a WAL file (about 2 MiB here).
const diskSlack = 16 << 10

// fullDiskWriter appends 4-event batches of about 1000-byte events from one
// writer and remembers what was acknowledged.
type fullDiskWriter struct {
	t     *testing.T
	seg   string
	ev    int64
	acked []string
}

func (w *fullDiskWriter) next() (AppendRequest, []string) {
	var ps []string
	for i := int64(0); i < 4; i++ {
		ps = append(ps, fmt.Sprintf("w-e%d-", w.ev+i)+strings.Repeat("x", 990))
	}
	return AppendRequest{Writer: "w", FirstEvent: w.ev, Events: 4, Data: frames(ps...)}, ps
}

// append sends the next batch; on success it is acknowledged.
func (w *fullDiskWriter) append(ctx context.Context, s *Store) error {
	r, ps := w.next()
	res, err := s.AppendWait(ctx, w.seg, r)
	if err != nil {
		return err
	}
	if res.Duplicate {
		w.t.Fatalf("append of events %d..%d answered as a duplicate", w.ev, w.ev+3)
	}
	w.acked, w.ev = append(w.acked, ps...), w.ev+4
	return nil
}

// fillUntilFull appends until the store refuses with ErrStorageFull; any
// other error fails the test.
func (w *fullDiskWriter) fillUntilFull(ctx context.Context, s *Store) error {
	w.t.Helper()
	for i := 0; i < int(3*s.opts.WALFileSize/4000)+10; i++ {
		err := w.append(ctx, s)
		if err == nil {
			continue
		}
		if !errors.Is(err, ErrStorageFull) || errors.Is(err, ErrStorageFailed) || !errors.Is(err, syscall.ENOSPC) {
			w.t.Fatalf("append on a full disk: %v, want ErrStorageFull (ENOSPC)", err)
		}
		return err
	}
	w.t.Fatal("the disk never filled")
	return nil
}

// resumes waits until the next append succeeds; until then every failure
// must be ErrStorageFull. (The storage writer, retrying, may hold the free
// space for a moment.)
func (w *fullDiskWriter) resumes(ctx context.Context, s *Store, disk *vfs.DiskFS, what string) {
	w.t.Helper()
	var last error
	waitFor(w.t, what, 10*time.Second, func() bool {
		last = w.append(ctx, s)
		if last != nil && !errors.Is(last, ErrStorageFull) {
			w.t.Fatalf("%s: %v, want success or ErrStorageFull", what, last)
		}
		return last == nil
	})
	w.t.Logf("%s: resumed with %d bytes free before the append", what, diskSlack)
}

func (w *fullDiskWriter) check(s *Store) {
	w.t.Helper()
	if got := readAll(w.t, s, w.seg); fmt.Sprint(got) != fmt.Sprint(w.acked) {
		w.t.Fatalf("read %d events, want the %d acknowledged, in order", len(got), len(w.acked))
	}
}

// fullDiskOptions sets up one container on a disk whose capacity a test
// lowers to fill it; the storage writer runs only when asked (a full disk
// asks).
func fullDiskOptions() (*vfs.DiskFS, func(*Options)) {
	disk := vfs.NewDiskFS(vfs.OS{}, 1<<40)
	return disk, func(o *Options) {
		small(o)
		o.FS = disk
		o.Containers = 1
		o.CheckpointInterval, o.FlushInterval = time.Hour, time.Hour
	}
}

// TestDiskFullWALFileInTier2 is the case of a container whose only WAL file
// is full while everything it holds is in tier 2: the file can be used
// again, so the store needs no new file, before and after a restart.
func TestDiskFullWALFileInTier2(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	disk, mod := fullDiskOptions()
	s := openTest(t, dir, mod)
	defer func() { s.Close() }()
	w := &fullDiskWriter{t: t, seg: "full/t2/0", ev: 1}
	if err := s.Create(ctx, w.seg); err != nil {
		t.Fatal(err)
	}
	fileSize := s.opts.WALFileSize
	// Three WAL files' worth, with only a little space free: room for
	// diskSlack bytes, the next round's chunk and a checkpoint. Everything
	// moves to tier 2 every few appends, and after every append near the
	// end of the file, so that the file is full with all of its data in
	// tier 2 when the next record does not fit.
	const perRound = 8
	run := func(s *Store, bytes int64) {
		t.Helper()
		for n := int64(0); n < bytes; {
			if err := s.cs[0].Load().storageRound(ctx, true); err != nil {
				t.Fatalf("storage round after %d bytes, with %d bytes free: %v", n, disk.Free(), err)
			}
			// (The round's barrier went through the flusher, which
			// is idle now: the log can be looked at.)
			k := perRound
			if fileSize-s.cs[0].Load().wal.End().Offset < (perRound+1)*4200 {
				k = 1
			}
			// A rewrite of the checkpoint, which lists a chunk for
			// every round, needs its size.
			ck, err := os.Stat(filepath.Join(containerDir(dir, 0), "checkpoint"))
			if err != nil {
				t.Fatal(err)
			}
			disk.SetCapacity(disk.Used() + int64(k)*4100 + ck.Size() + diskSlack)
			for range k {
				if err := w.append(ctx, s); err != nil {
					t.Fatalf("append after %d bytes, with everything in tier 2 but the last few appends and %d bytes free: %v", n, disk.Free(), err)
				}
				n += 4000
			}
		}
	}
	run(s, 3*fileSize)
	if n := len(walFilesIn(t, dir, 0)); n != 1 {
		t.Fatalf("%d WAL files, want the one file used again", n)
	}
	w.check(s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir, mod)
	run(s, 2*fileSize)
	w.check(s)
}

// TestDiskFullResumes fills the disk with WAL data that is not in tier 2,
// then frees diskSlack bytes: appends must resume, without a restart and
// after one.
func TestDiskFullResumes(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	disk, mod := fullDiskOptions()
	s := openTest(t, dir, mod)
	defer func() { s.Close() }()
	w := &fullDiskWriter{t: t, seg: "full/r/0", ev: 1}
	if err := s.Create(ctx, w.seg); err != nil {
		t.Fatal(err)
	}
	if err := w.append(ctx, s); err != nil {
		t.Fatal(err)
	}
	// Full: the pre-allocated WAL file still takes appends, then not.
	disk.SetCapacity(disk.Used())
	t.Logf("full: %v", w.fillUntilFull(ctx, s))
	w.check(s)
	if err := mustContainer(t, s, w.seg).failedErr(); err != nil {
		t.Fatalf("container failed for good: %v", err)
	}
	disk.SetCapacity(disk.Used() + diskSlack)
	w.resumes(ctx, s, disk, "append without a restart")

	// Full again, and restarted while full.
	disk.SetCapacity(disk.Used())
	w.fillUntilFull(ctx, s)
	if err := s.Close(); err != nil && !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("close on a full disk: %v", err)
	}
	s = openTest(t, dir, mod)
	if err := w.append(ctx, s); !errors.Is(err, ErrStorageFull) {
		t.Fatalf("append after a restart on a full disk: %v, want ErrStorageFull", err)
	}
	w.check(s)
	disk.SetCapacity(disk.Used() + diskSlack)
	w.resumes(ctx, s, disk, "append after a restart")
	// The appends that resumed may have used the slack up again: the
	// closing checkpoint gets room (a close on a full disk is tested
	// above).
	disk.SetCapacity(1 << 40)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openTest(t, dir, mod)
	for range 10 {
		if err := w.append(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	w.check(s)
}

// TestSmallDisk runs the store with default WAL files (64 MiB) on a 64 MiB
// disk: segments can be created and take appends, and read back after a
// restart.
func TestSmallDisk(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	const capacity = 64 << 20
	disk := vfs.NewDiskFS(vfs.OS{}, capacity)
	mod := func(o *Options) { o.FS = disk; o.Containers = 4 }
	s := openTest(t, dir, mod)
	defer func() { s.Close() }()
	if s.opts.WALFileSize != capacity {
		t.Fatalf("WAL file size %d, want %d (the test is about files as large as the disk)", s.opts.WALFileSize, capacity)
	}
	var segs []*fullDiskWriter
	for i := range 8 {
		w := &fullDiskWriter{t: t, seg: fmt.Sprintf("small/s/%d", i), ev: 1}
		if err := s.Create(ctx, w.seg); err != nil {
			t.Fatalf("create %s on a %d-byte disk: %v", w.seg, capacity, err)
		}
		segs = append(segs, w)
	}
	containers := map[int]bool{}
	for _, w := range segs {
		containers[ContainerOf(w.seg, 4)] = true
		for range 50 {
			if err := w.append(ctx, s); err != nil {
				t.Fatalf("append to %s with %d bytes used of %d: %v", w.seg, disk.Used(), capacity, err)
			}
		}
	}
	if len(containers) < 3 {
		t.Fatalf("the segments are in %d containers; the test wants most of them", len(containers))
	}
	t.Logf("%d bytes used of %d", disk.Used(), capacity)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir, mod)
	for _, w := range segs {
		w.check(s)
		if err := w.append(ctx, s); err != nil {
			t.Fatalf("append to %s after a restart: %v", w.seg, err)
		}
	}
}

// TestCreateOnFullDisk checks that a segment create that fails on a full
// disk leaves nothing: no segment, no WAL file, no space taken, and a later
// create of the same name succeeds once.
func TestCreateOnFullDisk(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	disk := vfs.NewDiskFS(vfs.OS{}, 1<<40)
	mod := func(o *Options) { small(o); o.FS = disk; o.Containers = 1 }
	s := openTest(t, dir, mod)
	defer func() { s.Close() }()
	const seg = "full/c/0"
	disk.SetCapacity(disk.Used())
	used := disk.Used()
	if err := s.Create(ctx, seg); !errors.Is(err, ErrStorageFull) {
		t.Fatalf("create on a full disk: %v, want ErrStorageFull", err)
	}
	if _, err := s.Info(ctx, seg); !errors.Is(err, ErrNotFound) {
		t.Fatalf("info after a failed create: %v, want ErrNotFound", err)
	}
	if got := walFilesIn(t, dir, 0); len(got) != 0 {
		t.Fatalf("a failed create left WAL files: %v", got)
	}
	if ents, _ := os.ReadDir(filepath.Join(containerDir(dir, 0), "wal")); len(ents) != 0 {
		t.Fatalf("a failed create left files in the WAL directory: %v", ents)
	}
	if disk.Used() != used {
		t.Fatalf("a failed create took %d bytes", disk.Used()-used)
	}
	disk.SetCapacity(disk.Used() + diskSlack)
	if err := s.Create(ctx, seg); err != nil {
		t.Fatalf("create once space is back: %v", err)
	}
	if err := s.Create(ctx, seg); !errors.Is(err, ErrExists) {
		t.Fatalf("second create: %v, want ErrExists", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir, mod)
	if info, err := s.Info(ctx, seg); err != nil || info.Length != 0 {
		t.Fatalf("after a restart: %+v %v", info, err)
	}
}
