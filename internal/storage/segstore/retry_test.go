package segstore

import (
	"context"
	"path/filepath"
	"testing"

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
	st, err := Open(ctx, Options{Dir: dir, Containers: 1, Owned: true,
		OpenLog: func(_ context.Context, k int, _ uint64) (Log, error) {
			w, err := wal.Open(wal.Options{Dir: filepath.Join(dir, "log"), MaxRecordSize: 1 << 20})
			if err != nil {
				return nil, err
			}
			hl = &heldLog{Log: localLog{w}}
			return hl, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.OpenContainer(ctx, 0, 1); err != nil {
		t.Fatal(err)
	}
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
