package wire

import (
	"bytes"
	"errors"
	"math"
	"testing"
)

func FuzzParsePointer(f *testing.F) {
	for _, s := range []string{
		"0000000100000002-0000000000001000-0000002a",
		"0000000000000000-0000000000000000-00000008",
		"ffffffffffffffff-7fffffff80000000-7fffffff",
		"scope/stream/0000000100000002-0000000000001000-0000002a",
		"",
		"xyz",
		"0000000100000002-0000000000001000-0000002A",
		"0000000100000002-8000000000000000-0000002a",
		"0000000100000002-0000000000001000-00000007",
		"0000000100000002-7ffffffffffffff8-00000009",
		"a/b/c/0000000100000002-0000000000001000-0000002a",
		"_x/y/0000000100000002-0000000000001000-0000002a",
		"/0000000100000002-0000000000001000-0000002a",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePointer(s)
		if err != nil {
			if p != (EventPointer{}) {
				t.Fatalf("non-zero pointer with error")
			}
			return
		}
		if p.Offset < 0 || p.Length < HeaderSize || p.Offset > math.MaxInt64-int64(p.Length) {
			t.Fatalf("accepted invalid pointer %+v from %q", p, s)
		}
		if got := p.Qualified(); got != s {
			t.Fatalf("ParsePointer(%q).Qualified() = %q", s, got)
		}
		if p.Stream == "" && p.String() != s {
			t.Fatalf("ParsePointer(%q).String() = %q", s, p.String())
		}
		if p.Stream != "" {
			if _, _, err := SplitStream(p.Stream); err != nil {
				t.Fatalf("accepted bad stream %q: %v", p.Stream, err)
			}
		}
		q, err := ParsePointer(p.String())
		p.Stream = ""
		if err != nil || q != p {
			t.Fatalf("String() does not round-trip: %+v, %v", q, err)
		}
	})
}

func FuzzParseStreamCut(f *testing.F) {
	for _, c := range []StreamCut{
		{},
		{Segments: []SegmentOffset{{1, 4096}}},
		{Segments: []SegmentOffset{{0, 0}, {1 << 32, 7}, {math.MaxUint64, math.MaxInt64}}},
	} {
		f.Add(c.String())
	}
	for _, s := range []string{
		"", "head", "tail", "v1.", "v2.AFJ9U1E", "v1.AFJ9U1F", "v1.AAAAA",
		"v1.AQGAIOsdByZ", "v1.AB+/", "v1.AFJ9U1E=",
		rawCut(uv(2, 6, 1, 5, 2)), rawCut(uv(2, 5, 1, 5, 2)), rawCut(uv(1, 5, 1<<63)),
		rawCut(uv(1, 5, 1, 0)), rawCut([]byte{0x81, 0x00}), rawCut(uv(MaxCutSegments + 1)),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseStreamCut(s)
		if err != nil {
			if c.Stream != "" || c.Segments != nil {
				t.Fatalf("non-zero cut with error")
			}
			return
		}
		if got := c.String(); got != s {
			t.Fatalf("ParseStreamCut(%q).String() = %q", s, got)
		}
		if len(c.Segments) > MaxCutSegments {
			t.Fatalf("%d segments", len(c.Segments))
		}
		for i, so := range c.Segments {
			if so.Offset < 0 || i > 0 && so.SegmentID <= c.Segments[i-1].SegmentID {
				t.Fatalf("accepted invalid cut %+v", c.Segments)
			}
			if off, ok := c.Offset(so.SegmentID); !ok || off != so.Offset {
				t.Fatalf("Offset(%d) = %d, %v", so.SegmentID, off, ok)
			}
		}
	})
}

// frameEnds checks that buf[:end] consists of whole frames by their length
// fields alone and returns where each frame ends.
func frameEnds(t *testing.T, buf []byte, end int) []int {
	var ends []int
	off := 0
	for off < end {
		n, reason := frameAt(buf[:end], off, math.MaxInt)
		if reason != "" {
			t.Fatalf("prefix of %d bytes splits a frame at %d: %s", end, off, reason)
		}
		off += HeaderSize + n
		ends = append(ends, off)
	}
	return ends
}

func FuzzScanFrames(f *testing.F) {
	f.Add([]byte{}, 0, 100)
	f.Add(frames([]byte("hello"), nil, []byte("world")), 0, 15)
	f.Add(frames(make([]byte, 100), make([]byte, 1024)), 200, 50)
	f.Add(frames([]byte("x"))[:5], 0, 1)
	f.Add(rawFrame(0xffffffff, 0, []byte("abc")), -1, 1<<20)
	f.Add(rawFrame(3, 0, []byte("abc")), 0, 0)
	f.Add(append(frames([]byte("ok")), 0, 0, 0, 1), 10, 10)
	f.Fuzz(func(t *testing.T, buf []byte, maxEvent, maxBytes int) {
		var re []byte
		lastEnd := 0
		n, err := ScanFrames(buf, maxEvent, func(off int, p []byte) error {
			if off != lastEnd {
				t.Fatalf("frame at %d, previous ended at %d", off, lastEnd)
			}
			re = AppendFrame(re, p)
			lastEnd = len(re)
			if maxEvent > 0 && len(p) > maxEvent {
				t.Fatalf("payload of %d bytes over max %d", len(p), maxEvent)
			}
			return nil
		})
		if err != nil {
			var fe *FrameError
			if !errors.As(err, &fe) || fe.Offset != int64(len(re)) {
				t.Fatalf("err %v, want *FrameError at %d", err, len(re))
			}
		} else if len(re) != len(buf) {
			t.Fatalf("accepted %d of %d bytes without error", len(re), len(buf))
		}
		// Accepted payloads re-frame to the identical bytes.
		if !bytes.Equal(re, buf[:len(re)]) {
			t.Fatalf("re-framed bytes differ")
		}
		if n2, _ := ScanFrames(buf, maxEvent, nil); n2 != n {
			t.Fatalf("count %d with nil fn, %d with fn", n2, n)
		}

		// CutFrames never splits a frame and keeps its promises.
		cut := CutFrames(buf, maxBytes)
		if cut < 0 || cut > len(buf) {
			t.Fatalf("CutFrames = %d of %d", cut, len(buf))
		}
		ends := frameEnds(t, buf, cut)
		if cut > 0 && cut > maxBytes && len(ends) != 1 {
			t.Fatalf("CutFrames = %d > max %d with %d frames", cut, maxBytes, len(ends))
		}
		// The cut is the longest: the next frame (if whole) would not fit.
		if pl, reason := frameAt(buf, cut, math.MaxInt); reason == "" && cut > 0 {
			if cut+HeaderSize+pl <= maxBytes {
				t.Fatalf("CutFrames = %d, but the next frame to %d fits in %d", cut, cut+HeaderSize+pl, maxBytes)
			}
		} else if cut == 0 && reason == "" {
			t.Fatalf("CutFrames = 0 but buf starts with a whole frame")
		}
		// Whole, valid frames are whole frames to CutFrames too.
		if err == nil && len(buf) > 0 && cut == 0 {
			t.Fatalf("CutFrames = 0 on valid frames")
		}
	})
}

func FuzzDecodeFrame(f *testing.F) {
	f.Add([]byte{}, 0)
	f.Add(frames([]byte("hello")), 0)
	f.Add(frames([]byte("hello"), []byte("more")), 0)
	f.Add(frames([]byte("hello")), 4)
	f.Add(frames(nil), -1)
	f.Add(rawFrame(5, 1, []byte("hello")), 0)
	f.Add(rawFrame(0xffffffff, 0, nil), 0)
	f.Add([]byte{0, 0, 0}, 0)
	f.Fuzz(func(t *testing.T, buf []byte, maxEvent int) {
		p, size, err := DecodeFrame(buf, maxEvent)
		if err != nil {
			var fe *FrameError
			if !errors.As(err, &fe) || fe.Offset != 0 || p != nil || size != 0 {
				t.Fatalf("DecodeFrame = %q, %d, %v", p, size, err)
			}
			if n, serr := ScanFrames(buf, maxEvent, nil); len(buf) > 0 && (n != 0 || serr == nil || serr.Error() != err.Error()) {
				t.Fatalf("ScanFrames disagrees: %d, %v vs %v", n, serr, err)
			}
			return
		}
		if size != FrameSize(len(p)) || size > len(buf) {
			t.Fatalf("size %d for payload %d in %d bytes", size, len(p), len(buf))
		}
		if !bytes.Equal(AppendFrame(nil, p), buf[:size]) {
			t.Fatalf("payload does not re-frame to the same bytes")
		}
		if n, serr := ScanFrames(buf[:size], maxEvent, nil); n != 1 || serr != nil {
			t.Fatalf("ScanFrames of the decoded frame = %d, %v", n, serr)
		}
	})
}
