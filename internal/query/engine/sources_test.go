package engine

import (
	"fmt"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/query/sql"
	"github.com/braidstream/braid/wire"
)

// TestWatermarkPerSource: two segments read one after the other (a
// backlog, each read in big batches) lose no event to lateness: the
// watermark is the least over the segments; once the reader says one
// is gone, it stops waiting for it.
func TestWatermarkPerSource(t *testing.T) {
	q, err := sql.Parse(`SELECT k, count(*) AS n FROM t.s GROUP BY TUMBLE(ts, INTERVAL '1' SECOND), k WITH (idle_timeout = '0')`)
	if err != nil {
		t.Fatal(err)
	}
	e := mustNew(t, q, nil)
	e.SetSources([]uint64{1, 2}) // the reader's segments
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	send := func(seg uint64, from, to int) {
		for i := from; i < to; i++ {
			ts := base.Add(time.Duration(i) * 100 * time.Millisecond).Format(time.RFC3339Nano)
			e.Process(Event{Data: []byte(fmt.Sprintf(`{"k":"s%d","ts":%q}`, seg, ts)), Ptr: wire.EventPointer{SegmentID: seg, Offset: int64(i)}})
		}
	}
	send(1, 0, 50) // 5 s of segment 1
	send(2, 0, 50) // then the same 5 s of segment 2
	if st := e.Stats(); st.Late != 0 {
		t.Fatalf("%d late events, want none: segment 2 was behind segment 1, not late", st.Late)
	}
	// Both are at 4.9 s: the windows up to 4 s are closed, for both keys.
	if n := len(e.TakeResults()); n != 8 {
		t.Fatalf("%d results, want 8 (4 windows of 2 keys)", n)
	}
	send(1, 50, 100) // segment 1 goes on to 9.9 s; segment 2 holds the watermark
	if n := len(e.TakeResults()); n != 0 {
		t.Fatalf("%d results while segment 2 is behind, want none", n)
	}
	e.SetSources([]uint64{1}) // segment 2 was read to its end
	if n := len(e.TakeResults()); n != 6 {
		t.Fatalf("%d results once segment 2 is gone, want 6 (window 4 of both keys, 5 to 8 of s1)", n)
	}
}
