package segstore

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/clock"
)

// handClock is a clock moved by the test; tickers and timers are real.
type handClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *handClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *handClock) add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func (c *handClock) NewTicker(d time.Duration) clock.Ticker { return clock.Real{}.NewTicker(d) }
func (c *handClock) NewTimer(d time.Duration) clock.Timer   { return clock.Real{}.NewTimer(d) }

// TestTimeIndex: a read from a time starts at the first event appended at
// or after it, exactly at pauses and recent data, early (never late) in
// old continuous data; the same after a restart, after the data moved to
// tier 2, and after a truncation.
func TestTimeIndex(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	clk := &handClock{now: time.Unix(1_800_000_000, 0)}
	mod := func(o *Options) { o.Clock = clk; o.FlushInterval = 10 * time.Millisecond }
	s := openTest(t, dir, mod)
	defer func() { s.Close() }()
	const seg = "ti/s/0"
	if err := s.Create(ctx, seg); err != nil {
		t.Fatal(err)
	}
	type stamp struct {
		at  int64
		off int64
	}
	var appends []stamp
	add := func(d time.Duration) {
		t.Helper()
		clk.add(d)
		res, err := s.AppendWait(ctx, seg, AppendRequest{Events: 1, Data: frames("0123456789")})
		if err != nil {
			t.Fatal(err)
		}
		appends = append(appends, stamp{clk.Now().UnixNano(), res.Offset})
	}
	// 300 appends 10 ms apart (no pause), then a pause of 2 s and 50
	// more, then 20 s later one more: the first 300 are old by then.
	for range 300 {
		add(10 * time.Millisecond)
	}
	add(2 * time.Second)
	for range 49 {
		add(time.Millisecond)
	}
	add(20 * time.Second)
	length := appends[len(appends)-1].off + int64(len(frames("0123456789")))

	// exact is the offset of the first append at or after at.
	exact := func(at int64) int64 {
		for _, a := range appends {
			if a.at >= at {
				return a.off
			}
		}
		return length
	}
	checkOld := func(when string) {
		t.Helper()
		for i, a := range appends {
			for _, at := range []int64{a.at, a.at - 1, a.at + 1} {
				got, err := s.OffsetAtTime(ctx, seg, at)
				if err != nil {
					t.Fatal(err)
				}
				want := exact(at)
				// Appends before the last are older than ten seconds
				// at its time, so thinned, except where they follow a
				// pause (300 after 2 s, and the last after 20 s) and
				// the times just before those.
				pause := (i == 300 || i == 350) && at <= a.at
				old := i < 350 && !pause
				switch {
				case got > want:
					t.Fatalf("%s: time of append %d%+d ns: offset %d, past the first event at or after it (%d): a read would miss events", when, i, at-a.at, got, want)
				case !old && got != want:
					t.Fatalf("%s: time of append %d%+d ns: offset %d, want exactly %d", when, i, at-a.at, got, want)
				case old && want-got > 110*int64(len(frames("0123456789"))):
					t.Fatalf("%s: time of old append %d: offset %d, more than a second before %d", when, i, got, want)
				}
			}
		}
	}
	checkEnd := func(when string, last int64) {
		t.Helper()
		// Before everything: the start; after: the end.
		if got, _ := s.OffsetAtTime(ctx, seg, appends[0].at-int64(time.Hour)); got != 0 {
			t.Fatalf("%s: an hour before the first append: %d, want 0", when, got)
		}
		if got, _ := s.OffsetAtTime(ctx, seg, last+1); got != length {
			t.Fatalf("%s: after the last append: %d, want the length %d", when, got, length)
		}
	}
	// Recent appends (within ten seconds) are exact wherever they are.
	for range 5 {
		add(time.Millisecond)
	}
	length = appends[len(appends)-1].off + int64(len(frames("0123456789")))
	recent := appends[len(appends)-6:]
	for _, a := range recent[1:] {
		for _, at := range []int64{a.at, a.at - 1} {
			if got, _ := s.OffsetAtTime(ctx, seg, at); got != a.off {
				t.Fatalf("recent append at %d: offset %d, want %d", at, got, a.off)
			}
		}
	}
	check := func(when string) { checkOld(when); checkEnd(when, recent[len(recent)-1].at) }
	check("live")
	if n := len(s.cs[ContainerOf(seg, len(s.cs))].segs[seg].times); n >= 300 {
		t.Fatalf("%d time points kept for %d appends: the old ones were not thinned", n, len(appends))
	}

	waitFor(t, "data to reach tier 2", 20*time.Second, func() bool {
		clk.add(time.Second) // the flush interval runs on the store's clock
		for _, c := range s.cs {
			if c.unflushed.Load() != 0 {
				return false
			}
		}
		return true
	})
	check("in tier 2")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir, mod)
	check("after a restart")

	// Truncated: a time before the truncation point gives the point.
	cut := appends[320].off
	if err := s.Truncate(ctx, seg, cut); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.OffsetAtTime(ctx, seg, appends[0].at); got != cut {
		t.Fatalf("after truncation at %d: the first append's time gives %d", cut, got)
	}
	r := recent[2]
	if got, _ := s.OffsetAtTime(ctx, seg, r.at); got != r.off {
		t.Fatalf("after truncation: a recent append's time gives %d, want %d", got, r.off)
	}
	if at, ok, _ := s.TimeAtOffset(ctx, seg, r.off); !ok || at != r.at {
		t.Fatalf("TimeAtOffset of a recent append: %d %v, want %d", at, ok, r.at)
	}
}
