package segstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/storage/wal"
	"github.com/braidstream/braid/internal/vfs"
	"github.com/braidstream/braid/wire"
)

var seedFlag = flag.Int64("seed", 0, "seed for randomised tests (0: from the time)")

func newRand(t *testing.T) *rand.Rand {
	seed := *seedFlag
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	t.Logf("seed %d (rerun with -seed=%d)", seed, seed)
	return rand.New(rand.NewSource(seed))
}

// small makes a store whose WAL files are as small as the options allow
// (about 2 MiB), so that tests roll them quickly.
func small(o *Options) {
	o.MaxEventSize = 1024
	o.MaxAppendBytes = 4096
	o.MaxBatchBytes = 4096
	o.WALFileSize = int64(o.maxRecord()) + wal.HeaderSize
}

// waitFor polls cond, on a ticker, until it holds or the deadline passes.
func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-tick.C:
		case <-deadline.C:
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
	}
}

// waitDone waits for wg with a deadline.
func waitDone(t *testing.T, wg *sync.WaitGroup, d time.Duration) {
	t.Helper()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("goroutines did not finish within %v", d)
	}
}

func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		if fi.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(to, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// crashCopy copies the data directory of an open store: what a kill -9
// would leave, since there is no final checkpoint. Checkpoints are held off
// meanwhile so that the copy is one consistent moment (the caller has no
// operation in flight).
func crashCopy(t *testing.T, s *Store) string {
	t.Helper()
	for i := range s.cs {
		c := s.cs[i].Load()
		c.ckptMu.Lock()
	}
	defer func() {
		for i := range s.cs {
			c := s.cs[i].Load()
			c.ckptMu.Unlock()
		}
	}()
	dst := t.TempDir()
	copyDir(t, s.opts.Dir, dst)
	return dst
}

func walFilesIn(t *testing.T, dir string, container int) []string {
	t.Helper()
	d := filepath.Join(containerDir(dir, container), "wal")
	ents, err := os.ReadDir(d)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".wal") {
			out = append(out, filepath.Join(d, e.Name()))
		}
	}
	sort.Strings(out)
	return out
}

// walRecords returns the offsets of the records in a WAL file and where they
// end.
func walRecords(t *testing.T, path string) ([]int64, int64) {
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
	return offs, off
}

// readFrom reads every event of a segment from offset.
func readFrom(t *testing.T, s *Store, name string, off int64) []string {
	t.Helper()
	var out []string
	for {
		r, err := s.Read(context.Background(), name, off, 1<<16, false)
		if err != nil {
			t.Fatalf("read %s at %d: %v", name, off, err)
		}
		if len(r.Data) == 0 {
			return out
		}
		if _, err := wire.ScanFrames(r.Data, 1<<30, func(_ int, p []byte) error { out = append(out, string(p)); return nil }); err != nil {
			t.Fatalf("read %s at %d returned bad frames: %v", name, off, err)
		}
		off += int64(len(r.Data))
	}
}

// checkOnce checks that every acknowledged payload is in got exactly once,
// that failed ones (outcome unknown) are there at most once and that nothing
// else is.
func checkOnce(t *testing.T, got []string, acked, unknown []string) {
	t.Helper()
	count := map[string]int{}
	for _, p := range got {
		count[p]++
	}
	for _, p := range acked {
		if count[p] != 1 {
			t.Fatalf("acknowledged event %q is there %d times", p, count[p])
		}
		delete(count, p)
	}
	for _, p := range unknown {
		if count[p] > 1 {
			t.Fatalf("failed event %q is there %d times", p, count[p])
		}
		delete(count, p)
	}
	for p, n := range count {
		t.Fatalf("event %q (%d times) was never appended", p, n)
	}
}

// checkWriterOrder checks that events named "<writer>-e<n>" appear in
// increasing n per writer, without repeats.
func checkWriterOrder(t *testing.T, got []string) {
	t.Helper()
	last := map[string]int{}
	for _, p := range got {
		var w string
		var n int
		i := strings.LastIndex(p, "-e")
		if i < 0 {
			t.Fatalf("unexpected event %q", p)
		}
		w = p[:i]
		fmt.Sscanf(p[i+2:], "%d", &n)
		if n <= last[w] {
			t.Fatalf("writer %s: event %d after %d", w, n, last[w])
		}
		last[w] = n
	}
}

func eioOnWALSync(op vfs.Op, path string) error {
	if op == vfs.OpSync && strings.HasSuffix(path, ".wal") {
		return syscall.EIO
	}
	return nil
}

func TestFsyncFailure(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	efs := vfs.NewErrorFS(vfs.OS{})
	s := openTest(t, dir, func(o *Options) { small(o); o.FS = efs; o.Containers = 1 })
	defer s.Close()
	const seg = "fsync/s/0"
	if err := s.Create(ctx, seg); err != nil {
		t.Fatal(err)
	}
	const writers = 6
	type outcome struct {
		payload string
		err     error
	}
	var (
		mu       sync.Mutex
		acked    []string
		outcomes []outcome
		ackCount = make(chan struct{}, 100000)
		wg       sync.WaitGroup
	)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			writer := fmt.Sprintf("w%d", w)
			for ev := int64(1); ; ev++ {
				p := fmt.Sprintf("%s-e%d", writer, ev)
				_, err := s.AppendWait(ctx, seg, AppendRequest{Writer: writer, FirstEvent: ev, Events: 1, Data: frames(p)})
				mu.Lock()
				outcomes = append(outcomes, outcome{p, err})
				if err == nil {
					acked = append(acked, p)
				}
				mu.Unlock()
				if err != nil {
					return
				}
				ackCount <- struct{}{}
			}
		}(w)
	}
	timeout := time.After(20 * time.Second)
	for i := 0; i < 200; i++ {
		select {
		case <-ackCount:
		case <-timeout:
			t.Fatal("appends did not get going")
		}
	}
	efs.SetInjector(eioOnWALSync)
	waitDone(t, &wg, 20*time.Second)

	var unknown []string
	for _, o := range outcomes {
		if o.err == nil {
			continue
		}
		unknown = append(unknown, o.payload)
		if !errors.Is(o.err, ErrStorageFailed) {
			t.Fatalf("append %s failed with %v, want ErrStorageFailed", o.payload, o.err)
		}
		msg := o.err.Error()
		for _, want := range []string{"storage failed", "stopped accepting writes", ".wal", "input/output error"} {
			if !strings.Contains(msg, want) {
				t.Fatalf("error %q does not say %q", msg, want)
			}
		}
	}
	if len(unknown) != writers {
		t.Fatalf("%d appends failed, want one per writer", len(unknown))
	}
	t.Logf("%d appends acknowledged before the failure; error: %v", len(acked), outcomes[len(outcomes)-1].err)

	// The failure is sticky, even once the disk behaves again.
	efs.SetInjector(nil)
	if _, err := s.AppendWait(ctx, seg, AppendRequest{Events: 1, Data: frames("later")}); !errors.Is(err, ErrStorageFailed) {
		t.Fatalf("append after the failure: %v", err)
	}
	if err := s.Create(ctx, "fsync/s/1"); !errors.Is(err, ErrStorageFailed) {
		t.Fatalf("create after the failure: %v", err)
	}
	if _, err := s.Seal(ctx, seg); !errors.Is(err, ErrStorageFailed) {
		t.Fatalf("seal after the failure: %v", err)
	}
	done := make(chan error, 1)
	s.Append(ctx, seg, AppendRequest{Events: 1, Data: frames("async")}, func(_ Result, err error) { done <- err })
	if err := <-done; !errors.Is(err, ErrStorageFailed) {
		t.Fatalf("async append after the failure: %v", err)
	}
	// What was acknowledged is still readable, and nothing else is.
	checkOnce(t, readAll(t, s, seg), acked, nil)
	s.Close()

	// Restart on a healthy disk: everything acknowledged is there once;
	// a failed append may be there (its outcome was unknown) but at most
	// once.
	s2 := openTest(t, dir, func(o *Options) { small(o); o.Containers = 1 })
	defer s2.Close()
	got := readAll(t, s2, seg)
	checkOnce(t, got, acked, unknown)
	checkWriterOrder(t, got)
	for w := 0; w < writers; w++ {
		writer := fmt.Sprintf("w%d", w)
		last, err := s2.WriterLast(ctx, seg, writer)
		if err != nil {
			t.Fatal(err)
		}
		r, err := s2.AppendWait(ctx, seg, AppendRequest{Writer: writer, FirstEvent: last + 1, Events: 1, Data: frames(fmt.Sprintf("%s-e%d", writer, last+1))})
		if err != nil || r.Duplicate {
			t.Fatalf("append after restart: %+v %v", r, err)
		}
	}
}

func enospcOnPreallocate(op vfs.Op, path string) error {
	if op == vfs.OpPreallocate {
		return syscall.ENOSPC
	}
	return nil
}

func TestDiskFull(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	efs := vfs.NewErrorFS(vfs.OS{})
	s := openTest(t, dir, func(o *Options) { small(o); o.FS = efs; o.Containers = 1 })
	defer s.Close()
	const seg = "full/s/0"
	if err := s.Create(ctx, seg); err != nil {
		t.Fatal(err)
	}
	var acked []string
	ev := int64(1)
	// Each append is 4 events of about 1000 bytes.
	req := func() (AppendRequest, []string) {
		var ps []string
		for i := int64(0); i < 4; i++ {
			ps = append(ps, fmt.Sprintf("w-e%d-", ev+i)+strings.Repeat("x", 990))
		}
		return AppendRequest{Writer: "w", FirstEvent: ev, Events: 4, Data: frames(ps...)}, ps
	}
	r0, ps := req()
	if _, err := s.AppendWait(ctx, seg, r0); err != nil {
		t.Fatal(err)
	}
	acked, ev = append(acked, ps...), ev+4
	efs.SetInjector(enospcOnPreallocate)

	fileSize := s.opts.WALFileSize
	var fullErr error
	var pending AppendRequest
	var pendingPs []string
	// Two files' worth: a spare file prepared before the disk filled
	// serves one more roll.
	for i := 0; int64(i) < 2*fileSize/4000+10; i++ {
		r, ps := req()
		_, err := s.AppendWait(ctx, seg, r)
		if err != nil {
			fullErr, pending, pendingPs = err, r, ps
			break
		}
		acked, ev = append(acked, ps...), ev+4
	}
	if fullErr == nil {
		t.Fatal("the WAL never needed a new file")
	}
	if !errors.Is(fullErr, ErrStorageFull) || errors.Is(fullErr, ErrStorageFailed) {
		t.Fatalf("append with a full disk: %v, want ErrStorageFull", fullErr)
	}
	if msg := fullErr.Error(); !strings.Contains(msg, "no space left on device") || !strings.Contains(msg, "storage full") {
		t.Fatalf("unclear error %q", msg)
	}
	t.Logf("after %d bytes: %v", len(acked)*1000, fullErr)
	// Still full: the same append fails the same way; reads still work;
	// the container is not failed for good.
	if _, err := s.AppendWait(ctx, seg, pending); !errors.Is(err, ErrStorageFull) {
		t.Fatalf("retry with a full disk: %v", err)
	}
	checkOnce(t, readAll(t, s, seg), acked, nil)
	if err := mustContainer(t, s, seg).failedErr(); err != nil {
		t.Fatalf("container failed for good: %v", err)
	}

	// Space is back: the very same append (same event numbers) now
	// succeeds, without a restart.
	efs.SetInjector(nil)
	r, err := s.AppendWait(ctx, seg, pending)
	if err != nil || r.Duplicate {
		t.Fatalf("append once space is back: %+v %v", r, err)
	}
	acked, ev = append(acked, pendingPs...), ev+4
	for i := 0; i < 20; i++ {
		r, ps := req()
		if _, err := s.AppendWait(ctx, seg, r); err != nil {
			t.Fatal(err)
		}
		acked, ev = append(acked, ps...), ev+4
	}
	if err := s.Create(ctx, "full/s/1"); err != nil {
		t.Fatal(err)
	}
	got := readAll(t, s, seg)
	if fmt.Sprint(got) != fmt.Sprint(acked) {
		t.Fatalf("read %d events, want the %d acknowledged in order", len(got), len(acked))
	}
	// The log rolled: to a new file, or into its first one used again
	// (once the storage writer had moved its data to tier 2).
	if files := walFilesIn(t, dir, 0); len(files) < 2 && filepath.Base(files[0]) == "0000000000000001.wal" {
		t.Fatalf("WAL files %v; the test should have rolled", files)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := openTest(t, dir, func(o *Options) { small(o); o.Containers = 1 })
	defer s2.Close()
	if got := readAll(t, s2, seg); fmt.Sprint(got) != fmt.Sprint(acked) {
		t.Fatalf("after restart read %d events, want %d", len(got), len(acked))
	}
}

// syncBuffer collects log output from many goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// TestCrashRecovery copies the data directory of an open store (what a
// kill -9 leaves, since the copy has no final checkpoint) and opens the copy.
func TestCrashRecovery(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name       string
		checkpoint bool // checkpoint after the first round
		tornTail   bool // add a torn record at the end of the WAL copy
		mod        func(*Options)
	}{
		{"wal only", false, false, nil},
		{"checkpoint then wal", true, false, nil},
		{"checkpoint then wal, torn tail", true, true, nil},
		{"small flushes", false, false, func(o *Options) { o.FlushBytes = 512 }},
		{"interval fsync, torn tail", false, true, func(o *Options) { o.FsyncInterval = 5 * time.Millisecond }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRand(t)
			dir := t.TempDir()
			mod := func(o *Options) {
				small(o)
				o.Containers = 2
				o.CheckpointInterval = time.Hour
				if tc.mod != nil {
					tc.mod(o)
				}
			}
			s := openTest(t, dir, mod)
			names := []string{"crash/s/0", "crash/s/1", "crash/s/2", "crash/s/3"}
			for _, n := range names {
				if err := s.Create(ctx, n); err != nil {
					t.Fatal(err)
				}
			}
			want := map[string][]string{}
			next := map[string]int64{}
			var lastReq AppendRequest
			var lastRes Result
			appendSome := func(n int) {
				for i := 0; i < n; i++ {
					name := names[r.Intn(len(names))]
					k := 1 + r.Intn(3)
					var ps []string
					for j := 0; j < k; j++ {
						ps = append(ps, fmt.Sprintf("w-e%d-%s", next[name]+int64(j)+1, strings.Repeat("p", r.Intn(300))))
					}
					req := AppendRequest{Writer: "w", FirstEvent: next[name] + 1, Events: k, Data: frames(ps...)}
					res, err := s.AppendWait(ctx, name, req)
					if err != nil {
						t.Fatal(err)
					}
					next[name] += int64(k)
					want[name] = append(want[name], ps...)
					if name == names[0] {
						lastReq, lastRes = req, res
					}
				}
			}
			appendSome(120)
			if tc.checkpoint {
				for i := range s.cs {
					c := s.cs[i].Load()
					if err := c.storageRound(c.ctx, true); err != nil {
						t.Fatal(err)
					}
				}
			}
			appendSome(120)
			// Make sure segment 0 has a last append to retry.
			for lastReq.Events == 0 {
				appendSome(1)
			}
			sealed, err := s.Seal(ctx, names[1])
			if err != nil {
				t.Fatal(err)
			}
			info, _ := s.Info(ctx, names[2])
			truncAt := int64(len(frames(want[names[2]][0])))
			if info.Length > truncAt {
				if err := s.Truncate(ctx, names[2], truncAt); err != nil {
					t.Fatal(err)
				}
			} else {
				truncAt = 0
			}
			if err := s.Delete(ctx, names[3]); err != nil {
				t.Fatal(err)
			}

			crash := crashCopy(t, s)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if tc.tornTail {
				c := ContainerOf(names[0], 2)
				files := walFilesIn(t, crash, c)
				last := files[len(files)-1]
				_, end := walRecords(t, last)
				f, err := os.OpenFile(last, os.O_RDWR, 0)
				if err != nil {
					t.Fatal(err)
				}
				// The header of the next record (its LSN), promising
				// 500 bytes, and only 100 of them.
				offs, _ := walRecords(t, last)
				first, err := strconv.ParseUint(strings.TrimSuffix(filepath.Base(last), ".wal"), 16, 64)
				if err != nil {
					t.Fatal(err)
				}
				h := make([]byte, wal.HeaderSize+100)
				binary.BigEndian.PutUint32(h, 500)
				binary.BigEndian.PutUint32(h[4:], 0xdeadbeef)
				binary.BigEndian.PutUint64(h[8:], first+uint64(len(offs)))
				for i := wal.HeaderSize; i < len(h); i++ {
					h[i] = byte(i)
				}
				f.WriteAt(h, end)
				f.Close()
			}

			logs := &syncBuffer{}
			s2 := openTest(t, crash, func(o *Options) {
				mod(o)
				o.Logger = slog.New(slog.NewTextHandler(logs, nil))
			})
			defer s2.Close()
			if tc.tornTail && !strings.Contains(logs.String(), "torn tail") {
				t.Fatalf("torn tail not reported; log:\n%s", logs)
			}
			for _, n := range names[:2] {
				if got := readAll(t, s2, n); fmt.Sprint(got) != fmt.Sprint(want[n]) {
					t.Fatalf("%s: read %d events after the crash, want %d", n, len(got), len(want[n]))
				}
			}
			// Sealed stays sealed.
			if info, err := s2.Info(ctx, names[1]); err != nil || !info.Sealed || info.Length != sealed {
				t.Fatalf("sealed segment after the crash: %+v %v", info, err)
			}
			if _, err := s2.AppendWait(ctx, names[1], AppendRequest{Events: 1, Data: frames("x")}); !errors.Is(err, ErrSealed) {
				t.Fatalf("append to sealed segment after the crash: %v", err)
			}
			// Truncated stays truncated.
			if info, _ := s2.Info(ctx, names[2]); info.Start != truncAt {
				t.Fatalf("truncation point %d after the crash, want %d", info.Start, truncAt)
			}
			if got := readFrom(t, s2, names[2], truncAt); truncAt > 0 && fmt.Sprint(got) != fmt.Sprint(want[names[2]][1:]) {
				t.Fatalf("truncated segment: read %d events, want %d", len(got), len(want[names[2]])-1)
			}
			// Deleted stays deleted.
			if _, err := s2.Info(ctx, names[3]); !errors.Is(err, ErrNotFound) {
				t.Fatalf("deleted segment after the crash: %v", err)
			}
			// The writer's state survived: a retry is a duplicate at
			// its original offset.
			res, err := s2.AppendWait(ctx, names[0], lastReq)
			if err != nil || !res.Duplicate || res.Offset != lastRes.Offset {
				t.Fatalf("retry after the crash: %+v %v, want duplicate at %d", res, err, lastRes.Offset)
			}
			// And the store goes on.
			p := fmt.Sprintf("w-e%d-after", next[names[0]]+1)
			if _, err := s2.AppendWait(ctx, names[0], AppendRequest{Writer: "w", FirstEvent: next[names[0]] + 1, Events: 1, Data: frames(p)}); err != nil {
				t.Fatal(err)
			}
			want[names[0]] = append(want[names[0]], p)
			if err := s2.Create(ctx, names[3]); err != nil {
				t.Fatal(err)
			}
			s2.Close()
			s3 := openTest(t, crash, mod)
			defer s3.Close()
			if got := readAll(t, s3, names[0]); fmt.Sprint(got) != fmt.Sprint(want[names[0]]) {
				t.Fatalf("after a second restart read %d events, want %d", len(got), len(want[names[0]]))
			}
		})
	}
}

func TestMidWALCorruptionRefusesToStart(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		damage func(b []byte, off int64)
	}{
		{"payload byte", func(b []byte, off int64) { b[off+wal.HeaderSize+5] ^= 0x01 }},
		{"length byte", func(b []byte, off int64) { b[off+3] ^= 0x40 }},
		{"huge length", func(b []byte, off int64) { copy(b[off:], []byte{0xff, 0xff, 0xff, 0xff}) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			mod := func(o *Options) { small(o); o.Containers = 1; o.CheckpointInterval = time.Hour }
			s := openTest(t, dir, mod)
			if err := s.Create(ctx, "bad/wal/0"); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 50; i++ {
				if _, err := s.AppendWait(ctx, "bad/wal/0", AppendRequest{Events: 2, Data: frames(fmt.Sprintf("event %d", i), strings.Repeat("z", i))}); err != nil {
					t.Fatal(err)
				}
			}
			crash := crashCopy(t, s)
			s.Close()

			path := walFilesIn(t, crash, 0)[0]
			offs, _ := walRecords(t, path)
			off := offs[len(offs)/2]
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			tc.damage(b, off)
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			for attempt := 0; attempt < 2; attempt++ {
				o := Options{Dir: crash}
				mod(&o)
				s2, err := Open(ctx, o)
				if err == nil {
					s2.Close()
					t.Fatal("store opened over a corrupt WAL")
				}
				var ce *wal.CorruptionError
				if !errors.As(err, &ce) || ce.File != path || ce.Offset != off {
					t.Fatalf("open: %v, want a *wal.CorruptionError in %s at %d", err, path, off)
				}
				if msg := err.Error(); !strings.Contains(msg, path) || !strings.Contains(msg, fmt.Sprintf("offset %d", off)) {
					t.Fatalf("error %q does not name the file and offset", msg)
				}
				// Refusing to start changes nothing on disk.
				if after, _ := os.ReadFile(path); !bytes.Equal(after, b) {
					t.Fatal("the WAL file was changed")
				}
				if attempt == 0 {
					t.Log(err)
				}
			}
		})
	}
}

type badCase struct {
	name  string
	do    func(s *Store) error
	want  error
	parts []string // the message must contain each
}

func runBadCases(t *testing.T, s *Store, cases []badCase) {
	t.Helper()
	for _, tc := range cases {
		err := tc.do(s)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
			continue
		}
		for _, p := range tc.parts {
			if !strings.Contains(err.Error(), p) {
				t.Errorf("%s: error %q does not mention %q", tc.name, err, p)
			}
		}
	}
}

func TestBadInput(t *testing.T) {
	ctx := context.Background()
	const (
		seg     = "bad/s/0"
		sealedS = "bad/s/sealed"
		deleted = "bad/s/deleted"
		unknown = "bad/s/unknown"
	)
	appendWith := func(name string, req AppendRequest) func(*Store) error {
		return func(s *Store) error { _, err := s.AppendWait(ctx, name, req); return err }
	}
	read := func(name string, off int64) func(*Store) error {
		return func(s *Store) error { _, err := s.Read(ctx, name, off, 1024, false); return err }
	}
	readEvent := func(name string, off int64, n int) func(*Store) error {
		return func(s *Store) error { _, err := s.ReadEvent(ctx, name, off, n); return err }
	}
	badCRC := frames("hello", "world")
	badCRC[13+9] ^= 1
	// The segment holds: "first" at 0 (13 bytes), "second-event" at 13
	// (20), "third" at 33 (13), "fourth" at 46 (14); length 60.
	events := []string{"first", "second-event", "third", "fourth"}
	for _, phase := range []string{"memory", "files"} {
		t.Run(phase, func(t *testing.T) {
			dir := t.TempDir()
			mod := func(o *Options) {
				o.MaxEventSize, o.MaxAppendBytes, o.MaxBatchBytes = 100, 400, 4096
				o.WALFileSize = int64(o.maxRecord()) + wal.HeaderSize
			}
			s := openTest(t, dir, mod)
			defer func() { s.Close() }()
			for _, n := range []string{seg, sealedS, deleted} {
				if err := s.Create(ctx, n); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.AppendWait(ctx, seg, AppendRequest{Writer: "w", FirstEvent: 1, Events: 3, Data: frames(events[:3]...)}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.AppendWait(ctx, seg, AppendRequest{Writer: "w", FirstEvent: 4, Events: 1, Data: frames(events[3])}); err != nil {
				t.Fatal(err)
			}
			for _, n := range []string{sealedS, deleted} {
				if _, err := s.AppendWait(ctx, n, AppendRequest{Events: 1, Data: frames("x")}); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.Seal(ctx, sealedS); err != nil {
				t.Fatal(err)
			}
			if err := s.Delete(ctx, deleted); err != nil {
				t.Fatal(err)
			}
			if phase == "files" {
				s.Close()
				s = openTest(t, dir, mod)
			}
			runBadCases(t, s, []badCase{
				// Malformed appends.
				{"bad crc", appendWith(seg, AppendRequest{Events: 2, Data: badCRC}), ErrBadEvents, []string{seg, "crc mismatch", "offset 13"}},
				{"truncated frame", appendWith(seg, AppendRequest{Events: 2, Data: frames("hello", "world")[:20]}), ErrBadEvents, []string{seg, "offset 13"}},
				{"truncated header", appendWith(seg, AppendRequest{Events: 1, Data: frames("hello")[:5]}), ErrBadEvents, []string{seg, "short header"}},
				{"more events than said", appendWith(seg, AppendRequest{Events: 1, Data: frames("a", "b")}), ErrBadEvents, []string{seg, "1 events", "holds 2"}},
				{"fewer events than said", appendWith(seg, AppendRequest{Events: 3, Data: frames("a", "b")}), ErrBadEvents, []string{seg, "3 events"}},
				{"no data", appendWith(seg, AppendRequest{Events: 1}), ErrBadEvents, []string{seg}},
				{"zero events", appendWith(seg, AppendRequest{Events: 0, Data: frames("a")}), ErrBadEvents, []string{seg}},
				{"event too large", appendWith(seg, AppendRequest{Events: 1, Data: frames(strings.Repeat("x", 101))}), ErrTooLarge, []string{seg, "101", "100"}},
				{"append too large", appendWith(seg, AppendRequest{Events: 5, Data: frames(strings.Repeat("x", 80), strings.Repeat("x", 80), strings.Repeat("x", 80), strings.Repeat("x", 80), strings.Repeat("x", 80))}), ErrTooLarge, []string{seg, "400"}},
				{"writer id too long", appendWith(seg, AppendRequest{Writer: strings.Repeat("w", 257), FirstEvent: 1, Events: 1, Data: frames("a")}), ErrBadEvents, []string{seg, "writer"}},
				{"first event zero", appendWith(seg, AppendRequest{Writer: "v", FirstEvent: 0, Events: 1, Data: frames("a")}), ErrBadEvents, []string{seg, "first event"}},
				{"first event negative", appendWith(seg, AppendRequest{Writer: "v", FirstEvent: -5, Events: 1, Data: frames("a")}), ErrBadEvents, []string{seg, "-5"}},
				{"event number gap", appendWith(seg, AppendRequest{Writer: "w", FirstEvent: 9, Events: 1, Data: frames("a")}), ErrEventNumberGap, []string{seg, "9", "4"}},
				{"event number overlap", appendWith(seg, AppendRequest{Writer: "w", FirstEvent: 4, Events: 2, Data: frames("a", "b")}), ErrEventNumberOverlap, []string{seg, "4"}},
				{"append to unknown", appendWith(unknown, AppendRequest{Events: 1, Data: frames("a")}), ErrNotFound, []string{unknown}},
				{"append to deleted", appendWith(deleted, AppendRequest{Events: 1, Data: frames("a")}), ErrNotFound, []string{deleted}},
				{"append to sealed", appendWith(sealedS, AppendRequest{Events: 1, Data: frames("a")}), ErrSealed, []string{sealedS}},
				{"async append with bad frames", func(s *Store) error {
					ch := make(chan error, 1)
					s.Append(ctx, seg, AppendRequest{Events: 2, Data: badCRC}, func(_ Result, err error) { ch <- err })
					return <-ch
				}, ErrBadEvents, []string{seg}},
				// Reads.
				{"read inside an event", read(seg, 5), ErrNotEventBoundary, []string{seg, "offset 5"}},
				{"read one byte into an event", read(seg, 14), ErrNotEventBoundary, []string{seg, "offset 14"}},
				{"read in the last event's header", read(seg, 50), ErrNotEventBoundary, []string{seg, "offset 50"}},
				{"read beyond the end", read(seg, 61), ErrOffsetOutOfRange, []string{seg, "61", "60"}},
				{"read far beyond the end", read(seg, 1<<62), ErrOffsetOutOfRange, []string{seg}},
				{"read at a negative offset", read(seg, -1), ErrOffsetOutOfRange, []string{seg, "-1"}},
				{"read unknown", read(unknown, 0), ErrNotFound, []string{unknown}},
				{"read deleted", read(deleted, 0), ErrNotFound, []string{deleted}},
				{"read event, length too short", readEvent(seg, 0, 12), ErrNotEventBoundary, []string{seg, "offset 0", "12"}},
				{"read event, length too long", readEvent(seg, 0, 20), ErrNotEventBoundary, []string{seg, "offset 0", "20"}},
				{"read event, shorter than a header", readEvent(seg, 0, 7), ErrNotEventBoundary, []string{"7"}},
				{"read event, length covers two events", readEvent(seg, 13, 33), ErrNotEventBoundary, []string{seg, "offset 13"}},
				{"read event inside an event", readEvent(seg, 5, 13), ErrNotEventBoundary, []string{seg, "offset 5"}},
				{"read event past the end", readEvent(seg, 46, 15), ErrOffsetOutOfRange, []string{seg, "46"}},
				{"read event at the end", readEvent(seg, 60, 8), ErrOffsetOutOfRange, []string{seg, "60"}},
				{"read event beyond the end", readEvent(seg, 100, 13), ErrOffsetOutOfRange, []string{seg, "100"}},
				{"read event unknown", readEvent(unknown, 0, 13), ErrNotFound, []string{unknown}},
				{"read event deleted", readEvent(deleted, 0, 9), ErrNotFound, []string{deleted}},
				// Other operations.
				{"create existing", func(s *Store) error { return s.Create(ctx, seg) }, ErrExists, []string{seg}},
				{"create with an empty name", func(s *Store) error { return s.Create(ctx, "") }, ErrBadName, []string{"0 bytes"}},
				{"create with a huge name", func(s *Store) error { return s.Create(ctx, strings.Repeat("n", 5<<20)) }, ErrBadName, []string{"5242880 bytes"}},
				{"info unknown", func(s *Store) error { _, err := s.Info(ctx, unknown); return err }, ErrNotFound, []string{unknown}},
				{"info deleted", func(s *Store) error { _, err := s.Info(ctx, deleted); return err }, ErrNotFound, []string{deleted}},
				{"writer last unknown", func(s *Store) error { _, err := s.WriterLast(ctx, unknown, "w"); return err }, ErrNotFound, []string{unknown}},
				{"seal unknown", func(s *Store) error { _, err := s.Seal(ctx, unknown); return err }, ErrNotFound, []string{unknown}},
				{"seal deleted", func(s *Store) error { _, err := s.Seal(ctx, deleted); return err }, ErrNotFound, []string{deleted}},
				{"delete unknown", func(s *Store) error { return s.Delete(ctx, unknown) }, ErrNotFound, []string{unknown}},
				{"delete deleted", func(s *Store) error { return s.Delete(ctx, deleted) }, ErrNotFound, []string{deleted}},
				{"truncate unknown", func(s *Store) error { return s.Truncate(ctx, unknown, 0) }, ErrNotFound, []string{unknown}},
				{"truncate deleted", func(s *Store) error { return s.Truncate(ctx, deleted, 0) }, ErrNotFound, []string{deleted}},
				{"truncate inside an event", func(s *Store) error { return s.Truncate(ctx, seg, 5) }, ErrNotEventBoundary, []string{seg, "offset 5"}},
				{"truncate beyond the end", func(s *Store) error { return s.Truncate(ctx, seg, 61) }, ErrOffsetOutOfRange, []string{seg, "61"}},
			})
			// Nothing above changed the stored data.
			if got := readAll(t, s, seg); fmt.Sprint(got) != fmt.Sprint(events) {
				t.Fatalf("data after bad input: %q", got)
			}
			if p, err := s.ReadEvent(ctx, seg, 13, 20); err != nil || string(p) != events[1] {
				t.Fatalf("read event: %q %v", p, err)
			}
			if r, err := s.Read(ctx, sealedS, 9, 100, false); err != nil || !r.EndOfSegment || len(r.Data) != 0 {
				t.Fatalf("read at the end of a sealed segment: %+v %v", r, err)
			}
			// Truncation: reads below the point fail as truncated,
			// never with other bytes.
			if err := s.Truncate(ctx, seg, 33); err != nil {
				t.Fatal(err)
			}
			runBadCases(t, s, []badCase{
				{"read below the truncation point", read(seg, 0), ErrTruncated, []string{seg, "offset 0", "33"}},
				{"read just below the truncation point", read(seg, 32), ErrTruncated, []string{seg, "32"}},
				{"read event below the truncation point", readEvent(seg, 13, 20), ErrTruncated, []string{seg, "13"}},
			})
			if got := readFrom(t, s, seg, 33); fmt.Sprint(got) != fmt.Sprint(events[2:]) {
				t.Fatalf("data after the truncation point: %q", got)
			}
			if err := s.Truncate(ctx, seg, 13); err != nil {
				t.Fatalf("truncating below the truncation point: %v", err)
			}
		})
	}
}

// TestConcurrentAppendAndTailRead: many writers over several segments, tail
// readers on each; every reader sees every event of its segment exactly once
// and each writer's events in order. Run with -race.
func TestConcurrentAppendAndTailRead(t *testing.T) {
	r := newRand(t)
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	s := openTest(t, t.TempDir(), func(o *Options) {
		small(o)
		o.FlushBytes = 16 << 10 // the storage writer moves data to files meanwhile
		o.CheckpointInterval = 20 * time.Millisecond
	})
	defer s.Close()
	const (
		segments      = 4
		writersPerSeg = 3
		eventsPerW    = 400
		readersPerSeg = 2
	)
	segName := func(i int) string { return fmt.Sprintf("conc/s/%d", i) }
	for i := 0; i < segments; i++ {
		if err := s.Create(ctx, segName(i)); err != nil {
			t.Fatal(err)
		}
	}
	type readerOut struct {
		seg    int
		events []string
		err    error
	}
	outs := make(chan readerOut, segments*readersPerSeg)
	var readers sync.WaitGroup
	for i := 0; i < segments; i++ {
		for k := 0; k < readersPerSeg; k++ {
			maxBytes := 1 + r.Intn(4096)
			readers.Add(1)
			go func(i int) {
				defer readers.Done()
				out := readerOut{seg: i}
				off := int64(0)
				for {
					res, err := s.Read(ctx, segName(i), off, maxBytes, true)
					if err != nil {
						out.err = fmt.Errorf("read at %d: %w", off, err)
						break
					}
					if _, err := wire.ScanFrames(res.Data, 1<<20, func(_ int, p []byte) error {
						out.events = append(out.events, string(p))
						return nil
					}); err != nil {
						out.err = fmt.Errorf("read at %d: %w", off, err)
						break
					}
					off += int64(len(res.Data))
					if res.EndOfSegment {
						break
					}
				}
				outs <- out
			}(i)
		}
	}
	var writers sync.WaitGroup
	errs := make(chan error, segments*writersPerSeg)
	for i := 0; i < segments; i++ {
		for w := 0; w < writersPerSeg; w++ {
			writers.Add(1)
			seed := r.Int63()
			go func(i, w int) {
				defer writers.Done()
				r := rand.New(rand.NewSource(seed))
				writer := fmt.Sprintf("s%dw%d", i, w)
				for ev := 1; ev <= eventsPerW; {
					k := min(1+r.Intn(5), eventsPerW-ev+1)
					var ps []string
					for j := 0; j < k; j++ {
						ps = append(ps, fmt.Sprintf("%s-e%d-%s", writer, ev+j, strings.Repeat("d", r.Intn(200))))
					}
					req := AppendRequest{Writer: writer, FirstEvent: int64(ev), Events: k, Data: frames(ps...)}
					var err error
					if r.Intn(2) == 0 {
						_, err = s.AppendWait(ctx, segName(i), req)
					} else {
						ch := make(chan error, 1)
						s.Append(ctx, segName(i), req, func(_ Result, err error) { ch <- err })
						err = <-ch
					}
					if err != nil {
						errs <- fmt.Errorf("%s: %w", writer, err)
						return
					}
					// Now and then a retry: it must not duplicate.
					if r.Intn(10) == 0 {
						res, err := s.AppendWait(ctx, segName(i), req)
						if err != nil || !res.Duplicate {
							errs <- fmt.Errorf("%s: retry: %+v %v", writer, res, err)
							return
						}
					}
					ev += k
				}
			}(i, w)
		}
	}
	waitDone(t, &writers, 40*time.Second)
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for i := 0; i < segments; i++ {
		if _, err := s.Seal(ctx, segName(i)); err != nil {
			t.Fatal(err)
		}
	}
	waitDone(t, &readers, 40*time.Second)
	close(outs)
	for out := range outs {
		if out.err != nil {
			t.Fatalf("reader of %s: %v", segName(out.seg), out.err)
		}
		if len(out.events) != writersPerSeg*eventsPerW {
			t.Fatalf("reader of %s saw %d events, want %d", segName(out.seg), len(out.events), writersPerSeg*eventsPerW)
		}
		last := map[string]int{}
		for _, p := range out.events {
			parts := strings.SplitN(p, "-", 3)
			var n int
			fmt.Sscanf(parts[1], "e%d", &n)
			if n != last[parts[0]]+1 {
				t.Fatalf("reader of %s: writer %s event %d after %d", segName(out.seg), parts[0], n, last[parts[0]])
			}
			last[parts[0]] = n
		}
	}
}

// TestCheckpointTruncatesWAL: with small flushes and WAL files, checkpoints
// keep the WAL to a couple of files however much is written, and a restart
// finds everything.
func TestCheckpointTruncatesWAL(t *testing.T) {
	for _, tc := range []struct {
		name string
		// removeFails makes WAL file removal fail (the checkpoint is
		// written, the WAL is not truncated: like a crash between the
		// two).
		removeFails bool
	}{
		{"truncating", false},
		{"removal fails", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			efs := vfs.NewErrorFS(vfs.OS{})
			if tc.removeFails {
				efs.SetInjector(func(op vfs.Op, path string) error {
					if op == vfs.OpRemove && strings.HasSuffix(path, ".wal") {
						return syscall.EACCES
					}
					// Obsolete files are recycled by renaming them
					// to the spare: fail that too.
					if op == vfs.OpRename && strings.HasSuffix(path, "spare.tmp") {
						return syscall.EACCES
					}
					return nil
				})
			}
			mod := func(o *Options) {
				small(o)
				o.Containers = 1
				o.FlushBytes = 64 << 10
				o.CheckpointInterval = 50 * time.Millisecond
			}
			s := openTest(t, dir, func(o *Options) { mod(o); o.FS = efs })
			defer s.Close()
			const seg = "ckpt/s/0"
			if err := s.Create(ctx, seg); err != nil {
				t.Fatal(err)
			}
			var want []string
			ev := 0
			fileSize := s.opts.WALFileSize
			const rounds = 3
			maxFiles := 0
			for round := 0; round < rounds; round++ {
				// A bit more than one WAL file per round, appended
				// by a few goroutines for group commits.
				var wg sync.WaitGroup
				var mu sync.Mutex
				var errs []error
				per := int(fileSize/4000)/4 + 20
				for g := 0; g < 4; g++ {
					wg.Add(1)
					go func(g int) {
						defer wg.Done()
						for i := 0; i < per; i++ {
							// Per-goroutine segments would spread over
							// containers; one segment, no writer ids.
							p := fmt.Sprintf("r%dg%di%d-%s", round, g, i, strings.Repeat("c", 1000))
							if _, err := s.AppendWait(ctx, seg, AppendRequest{Events: 4, Data: frames(p+"a", p+"b", p+"c", p+"d")}); err != nil {
								mu.Lock()
								errs = append(errs, err)
								mu.Unlock()
								return
							}
							mu.Lock()
							want = append(want, p+"a", p+"b", p+"c", p+"d")
							ev += 4
							mu.Unlock()
						}
					}(g)
				}
				waitDone(t, &wg, 30*time.Second)
				if len(errs) > 0 {
					t.Fatal(errs[0])
				}
				maxFiles = max(maxFiles, len(walFilesIn(t, dir, 0)))
				if !tc.removeFails {
					waitFor(t, "checkpoints to truncate the WAL", 20*time.Second, func() bool {
						return len(walFilesIn(t, dir, 0)) <= 2
					})
				}
			}
			files := walFilesIn(t, dir, 0)
			t.Logf("%d events, %d WAL files now, at most %d after a round", ev, len(files), maxFiles)
			if tc.removeFails && len(files) < rounds {
				t.Fatalf("%d WAL files although none could be removed", len(files))
			}
			// The data went to segment files too.
			waitFor(t, "data to reach segment files", 20*time.Second, func() bool {
				c := s.cs[0].Load()
				c.mu.RLock()
				defer c.mu.RUnlock()
				return c.unflushed.Load() < s.opts.FlushBytes
			})
			got := readAll(t, s, seg)
			checkOnce(t, got, want, nil)

			// A crash now (copy), and a clean restart: all there.
			crash := crashCopy(t, s)
			s.Close()
			for _, d := range []string{crash, dir} {
				s2 := openTest(t, d, mod)
				got := readAll(t, s2, seg)
				checkOnce(t, got, want, nil)
				if _, err := s2.AppendWait(ctx, seg, AppendRequest{Events: 1, Data: frames("more")}); err != nil {
					t.Fatal(err)
				}
				// With removal working again, the next
				// checkpoints truncate.
				waitFor(t, "checkpoints to truncate the WAL after restart", 20*time.Second, func() bool {
					if err := s2.cs[0].Load().storageRound(s2.cs[0].Load().ctx, true); err != nil {
						t.Fatal(err)
					}
					return len(walFilesIn(t, d, 0)) <= 2
				})
				s2.Close()
			}
		})
	}
}

// TestDeleteReleasesMemory: deleting a segment whose data is still in memory
// must release it from the container's unflushed count, or every later
// commit would ask for a checkpoint.
func TestDeleteReleasesMemory(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir(), func(o *Options) { small(o); o.Containers = 1; o.CheckpointInterval = time.Hour })
	defer s.Close()
	if err := s.Create(ctx, "del/s/0"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AppendWait(ctx, "del/s/0", AppendRequest{Events: 1, Data: frames("gone soon")}); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "del/s/0"); err != nil {
		t.Fatal(err)
	}
	c := s.cs[0].Load()
	c.mu.RLock()
	unflushed := c.unflushed.Load()
	c.mu.RUnlock()
	if unflushed != 0 {
		t.Fatalf("%d unflushed bytes after deleting the only segment", unflushed)
	}
	if err := c.storageRound(c.ctx, true); err != nil {
		t.Fatal(err)
	}
	c.mu.RLock()
	unflushed = c.unflushed.Load()
	c.mu.RUnlock()
	if unflushed != 0 {
		t.Fatalf("%d unflushed bytes after a checkpoint", unflushed)
	}
}

// TestIntervalModeLostWALTail: with interval syncing, a checkpoint can cover
// records whose WAL copy was never synced, and a crash then loses them from
// the WAL. Recovery must go on numbering after the checkpoint, and what is
// appended then must survive the next crash.
func TestIntervalModeLostWALTail(t *testing.T) {
	ctx := context.Background()
	mod := func(o *Options) {
		small(o)
		o.Containers = 1
		o.FsyncInterval = time.Hour
		o.CheckpointInterval = time.Hour
	}
	s := openTest(t, t.TempDir(), mod)
	defer s.Close()
	const seg = "lost/s/0"
	if err := s.Create(ctx, seg); err != nil {
		t.Fatal(err)
	}
	var want []string
	ev := int64(0)
	appendSome := func(s *Store, n int) {
		for i := 0; i < n; i++ {
			ev++
			p := fmt.Sprintf("w-e%d", ev)
			if _, err := s.AppendWait(ctx, seg, AppendRequest{Writer: "w", FirstEvent: ev, Events: 1, Data: frames(p)}); err != nil {
				t.Fatal(err)
			}
			want = append(want, p)
		}
	}
	appendSome(s, 10)
	if err := s.cs[0].Load().storageRound(s.cs[0].Load().ctx, true); err != nil {
		t.Fatal(err)
	}
	crash := crashCopy(t, s)
	s.Close()
	// The crash lost the WAL's unsynced records from the third on,
	// although the checkpoint covers them.
	path := walFilesIn(t, crash, 0)[0]
	offs, end := walRecords(t, path)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	clear(b[offs[2]:end])
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}

	s2 := openTest(t, crash, mod)
	defer s2.Close()
	if got := readAll(t, s2, seg); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after the first crash read %q, want %q", got, want)
	}
	appendSome(s2, 5)
	crash2 := crashCopy(t, s2)
	s2.Close()
	s3 := openTest(t, crash2, mod)
	defer s3.Close()
	if got := readAll(t, s3, seg); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after the second crash read %q, want %q", got, want)
	}
}
