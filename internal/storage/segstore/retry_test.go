package segstore

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/clock"
	"github.com/braidstream/braid/internal/storage/wal"
)

// heldLog is a local log whose next Append waits until released.
type heldLog struct {
	Log
	held    chan struct{} // closed when an Append waits
	release chan struct{}
}

func (h *heldLog) Append(payload []byte, sync bool) (uint64, error) {
	if h.held != nil {
		close(h.held)
		h.held = nil
		<-h.release
	}
	return h.Log.Append(payload, sync)
}

// TestRetryInTheSameBatch: a batch and its retry committed together (the
// first copy forwarded by one node, the retry sent to another) — the
// retry is a duplicate acknowledged at the first copy's offset, not at -1.
func TestRetryInTheSameBatch(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var hl *heldLog
	st := openHeld(t, dir, Options{}, func(l Log) Log {
		hl = &heldLog{Log: l}
		return hl
	})
	const seg = "s/t/0"
	if err := st.Create(ctx, seg); err != nil {
		t.Fatal(err)
	}
	// The flusher waits in the log with one append; two copies of the
	// next queue behind it and go in one batch.
	hl.held, hl.release = make(chan struct{}), make(chan struct{})
	held := hl.held
	type answer struct {
		res Result
		err error
	}
	answers := make(chan answer, 3)
	done := func(r Result, err error) { answers <- answer{r, err} }
	st.Append(ctx, seg, AppendRequest{Writer: "w", FirstEvent: 1, Events: 1, Data: frames("one")}, done)
	<-held
	two := AppendRequest{Writer: "w", FirstEvent: 2, Events: 1, Data: frames("two")}
	st.Append(ctx, seg, two, done)
	st.Append(ctx, seg, two, done)
	close(hl.release)
	var got []answer
	for range 3 {
		got = append(got, <-answers)
	}
	for _, a := range got {
		if a.err != nil {
			t.Fatal(a.err)
		}
	}
	first, retry := got[1].res, got[2].res
	if first.Duplicate || !retry.Duplicate || retry.Offset != first.Offset || first.Offset != int64(len(frames("one"))) {
		t.Fatalf("append %+v, its retry in the same batch %+v; want the retry a duplicate at offset %d", first, retry, len(frames("one")))
	}
}

// heldAsyncLog is a local log that takes records in flight and answers
// them in order: the first lands only once release is closed, the others
// at once. sent tells of every record sent; most is how many were in
// flight at once.
type heldAsyncLog struct {
	Log
	release chan struct{}
	sent    chan struct{}
	fifo    chan heldRecord
	wg      sync.WaitGroup

	mu       sync.Mutex
	n        int
	inflight int
	most     int
}

type heldRecord struct {
	landed <-chan struct{}
	lsn    uint64
	err    error
	done   func(uint64, error)
}

func newHeldAsyncLog(l Log) *heldAsyncLog {
	h := &heldAsyncLog{Log: l, release: make(chan struct{}), sent: make(chan struct{}, 1024), fifo: make(chan heldRecord, 1024)}
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		for r := range h.fifo {
			<-r.landed
			h.mu.Lock()
			h.inflight--
			h.mu.Unlock()
			r.done(r.lsn, r.err)
		}
	}()
	return h
}

func (h *heldAsyncLog) AppendAsync(payload []byte, done func(uint64, error)) {
	h.mu.Lock()
	h.n++
	h.inflight++
	h.most = max(h.most, h.inflight)
	first := h.n == 1
	h.mu.Unlock()
	landed := make(chan struct{})
	if first {
		landed = h.release
	} else {
		close(landed)
	}
	r := heldRecord{landed: landed, done: done}
	if payload != nil {
		r.lsn, r.err = h.Log.Append(payload, true)
	}
	h.fifo <- r
	h.sent <- struct{}{}
}

func (h *heldAsyncLog) Close() error {
	close(h.fifo)
	h.wg.Wait()
	return h.Log.Close()
}

// TestPipelineOnlyUnderLoad: behind a log that takes records in flight,
// appends queued behind a record in flight wait for it while less than
// PipelineBytes is queued (a light load costs one request at a time), and
// go at once, a second record in flight, when more is.
func TestPipelineOnlyUnderLoad(t *testing.T) {
	for _, tc := range []struct {
		name     string
		pipeline int64
	}{{"light", 256 << 10}, {"heavy", 1}} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			var hl *heldAsyncLog
			st := openHeld(t, dir, Options{PipelineBytes: tc.pipeline}, func(l Log) Log {
				hl = newHeldAsyncLog(l)
				return hl
			})
			const seg = "s/t/0"
			if err := st.Create(ctx, seg); err != nil { // commits alone, through Append
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			errs := make(chan error, 100)
			app := func(i int) {
				wg.Add(1)
				st.Append(ctx, seg, AppendRequest{Writer: "w", FirstEvent: int64(i + 1), Events: 1, Data: frames(fmt.Sprint("e", i))},
					func(_ Result, err error) { errs <- err; wg.Done() })
			}
			wait := func(what string) {
				t.Helper()
				select {
				case <-hl.sent:
				case <-time.After(10 * time.Second):
					t.Fatalf("no %s within 10s", what)
				}
			}
			app(0)
			wait("first record in flight")
			app(1)
			if tc.name == "heavy" {
				wait("second record in flight")
			}
			for i := 2; i < 100; i++ {
				app(i)
			}
			close(hl.release)
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			if got := readAll(t, st, seg); len(got) != 100 || got[0] != "e0" || got[99] != "e99" {
				t.Fatalf("read %d events", len(got))
			}
			hl.mu.Lock()
			most := hl.most
			hl.mu.Unlock()
			if tc.name == "light" && most != 1 || tc.name == "heavy" && most < 2 {
				t.Fatalf("at most %d records in flight at once (pipeline bytes %d)", most, tc.pipeline)
			}
		})
	}
}

// TestCommitInterval: behind a log that takes records in flight, with a
// commit interval, appends that come sooner than the interval after the
// last record wait and go together in the next one.
func TestCommitInterval(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	clk := clock.NewManual(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	var hl *heldAsyncLog
	st := openHeld(t, dir, Options{Clock: clk, CommitInterval: time.Hour}, func(l Log) Log {
		hl = newHeldAsyncLog(l)
		close(hl.release) // every record lands at once
		return hl
	})
	const seg = "s/t/0"
	if err := st.Create(ctx, seg); err != nil {
		t.Fatal(err)
	}
	acks := make(chan error, 4)
	app := func(i int) {
		st.Append(ctx, seg, AppendRequest{Writer: "w", FirstEvent: int64(i), Events: 1, Data: frames(fmt.Sprint("e", i))},
			func(_ Result, err error) { acks <- err })
	}
	app(1)
	if err := <-acks; err != nil {
		t.Fatal(err)
	}
	// The clock stands still: 2 and 3 wait for the interval, and go in
	// one record once it passed (4 with them, or after them).
	app(2)
	app(3)
	clk.Add(2 * time.Hour)
	app(4)
	c := mustContainer(t, st, seg)
	for got := 0; got < 3; {
		select {
		case err := <-acks:
			if err != nil {
				t.Fatal(err)
			}
			got++
		case <-time.After(10 * time.Millisecond):
			// Whenever the flusher sent them, the next interval passes.
			clk.Add(2 * time.Hour)
			select {
			case c.wake <- struct{}{}:
			default:
			}
		}
	}
	hl.mu.Lock()
	n := hl.n
	hl.mu.Unlock()
	if n > 3 {
		t.Fatalf("%d records for appends 1, then 2 to 4 within the interval; want 2 and 3 in one", n)
	}
}

// openHeld opens a one-container owned store in dir whose log is the
// local WAL wrapped by wrap; the store closes with the test.
func openHeld(t *testing.T, dir string, opts Options, wrap func(Log) Log) *Store {
	t.Helper()
	ctx := context.Background()
	opts.Dir, opts.Containers, opts.Owned = dir, 1, true
	opts.OpenLog = func(context.Context, int, uint64) (Log, error) {
		w, err := wal.Open(wal.Options{Dir: filepath.Join(dir, "log"), MaxRecordSize: 1 << 20})
		if err != nil {
			return nil, err
		}
		return wrap(localLog{w}), nil
	}
	st, err := Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.OpenContainer(ctx, 0, 1); err != nil {
		t.Fatal(err)
	}
	return st
}
