package segstore

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/clock"
)

// TestTimeIndex: a read from a time starts at the first event appended at
// or after it, exactly at pauses and recent data, early (never late) in
// old continuous data; the same after a restart, after the data moved to
// tier 2, and after a truncation.
func TestTimeIndex(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	clk := clock.NewManual(time.Unix(1_800_000_000, 0))
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
		clk.Add(d)
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
	if n := len(s.cs[ContainerOf(seg, len(s.cs))].Load().segs[seg].times); n >= 300 {
		t.Fatalf("%d time points kept for %d appends: the old ones were not thinned", n, len(appends))
	}

	waitFor(t, "data to reach tier 2", 20*time.Second, func() bool {
		clk.Add(time.Second) // the flush interval runs on the store's clock
		for i := range s.cs {
			c := s.cs[i].Load()
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

// TestTimeIndexBands: a segment appended to 20 times a second for 30
// hours, with a pause of 90 s every 7 minutes, keeps a bounded index, and
// a time maps to an offset never late, early by at most the step of the
// band its age falls in, and exact after the pauses a band keeps.
func TestTimeIndexBands(t *testing.T) {
	s := newSegment(1, "s/t/0")
	const every = 50 * time.Millisecond
	var times []int64 // commit k is at offset 100k
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	end := now + int64(30*time.Hour)
	var prev int64
	for now < end {
		off := int64(len(times)) * 100
		s.addTime(timePoint{Time: now, Offset: off, Prev: prev})
		s.length = off + 100
		times = append(times, now)
		prev = now
		now += int64(every)
		if len(times)%(7*60*20) == 0 {
			now += int64(90 * time.Second)
		}
	}
	last := prev
	// Bound: 10 s of commits, 2 a second for an hour, 2 a minute for a
	// day, 2 an hour for the rest.
	if n, bound := len(s.times), 10*20+2*3600+2*24*60+2*6+10; n > bound {
		t.Fatalf("%d points kept for %d commits, want at most %d", n, len(times), bound)
	}
	t.Logf("%d points kept for %d commits over 30 hours", len(s.times), len(times))

	stepAt := func(at int64) int64 {
		age := time.Duration(last - at)
		// A band keeps points at least its step apart from those the
		// finer band kept: a gap may be its step plus the finer one's.
		step, finer := time.Duration(0), time.Duration(0)
		for _, b := range thinBands {
			if age > b.age-b.step { // near a boundary, the coarser step may apply
				step, finer = b.step+finer, b.step
			}
		}
		return int64(step)
	}
	for i := 0; i < 20000; i++ {
		at := times[0] + (last-times[0])/20000*int64(i) + int64(i%7)*int64(time.Millisecond)
		k := sort.Search(len(times), func(k int) bool { return times[k] >= at })
		got := s.offsetAt(at)
		want := int64(k) * 100
		if got > want {
			t.Fatalf("time %d: offset %d, after %d (the first commit at or after it): late", at, got, want)
		}
		early := times[k] - times[got/100] // how much earlier the commit read from is
		if step := stepAt(at); early > step+int64(every) {
			t.Fatalf("time %d (age %v): %v early, more than the band's step %v", at, time.Duration(last-at), time.Duration(early), time.Duration(step))
		}
		if k > 0 && times[k]-times[k-1] >= int64(time.Hour) && got != want {
			t.Fatalf("time %d after an hour's pause: offset %d, want exactly %d", at, got, want)
		}
	}
	// After each 90 s pause, a time inside the pause is exact wherever a
	// band's step is under 90 s.
	pauses := 0
	for k := 1; k < len(times); k++ {
		if times[k]-times[k-1] < int64(90*time.Second) || stepAt(times[k]) > int64(90*time.Second) {
			continue
		}
		at := times[k-1] + int64(time.Second)
		if got := s.offsetAt(at); got != int64(k)*100 {
			t.Fatalf("time in the pause before commit %d (age %v): offset %d, want %d", k, time.Duration(last-times[k]), got, k*100)
		}
		pauses++
	}
	if pauses < 8 { // the pauses of the last hour, and of the day in the minute band
		t.Fatalf("only %d pauses checked", pauses)
	}
}

// FuzzDecodeTimes: a checkpoint's time index decodes or is refused, never
// panics, and what decodes is ordered and encodes back to the same points.
func FuzzDecodeTimes(f *testing.F) {
	f.Add(encodeTimes([]timePoint{{Time: 5e9, Offset: 0, Prev: 0}, {Time: 6e9, Offset: 100, Prev: 5.5e9}}))
	f.Add([]byte{0x80})
	f.Add([]byte{1, 1, 1, 1, 0x7f, 2})
	f.Fuzz(func(t *testing.T, b []byte) {
		ps, err := decodeTimes(b)
		if err != nil {
			return
		}
		for i := 1; i < len(ps); i++ {
			if ps[i].Time < ps[i-1].Time || ps[i].Offset < ps[i-1].Offset {
				t.Fatalf("decoded out of order: %+v", ps)
			}
		}
		again, err := decodeTimes(encodeTimes(ps))
		if err != nil || len(again) != len(ps) {
			t.Fatalf("re-decode: %v, %d points of %d", err, len(again), len(ps))
		}
		for i := range ps {
			if again[i] != ps[i] {
				t.Fatalf("point %d: %+v, then %+v", i, ps[i], again[i])
			}
		}
	})
}
