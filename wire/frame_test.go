package wire

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// frames returns the frames of payloads, concatenated.
func frames(payloads ...[]byte) []byte {
	var b []byte
	for _, p := range payloads {
		b = AppendFrame(b, p)
	}
	return b
}

// rawFrame builds a frame with an arbitrary length field and CRC.
func rawFrame(length, crc uint32, payload []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, length)
	b = binary.BigEndian.AppendUint32(b, crc)
	return append(b, payload...)
}

func TestAppendFrameLayout(t *testing.T) {
	tests := []struct {
		name    string
		payload []byte
		want    []byte
	}{
		// CRC32C check values: crc32c("") = 0, crc32c("123456789") = 0xe3069283.
		{"empty", []byte{}, []byte{0, 0, 0, 0, 0, 0, 0, 0}},
		{"nil", nil, []byte{0, 0, 0, 0, 0, 0, 0, 0}},
		{"check", []byte("123456789"), append([]byte{0, 0, 0, 9, 0xe3, 0x06, 0x92, 0x83}, "123456789"...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := AppendFrame(nil, tt.payload)
			if !bytes.Equal(got, tt.want) {
				t.Fatalf("AppendFrame = %x, want %x", got, tt.want)
			}
			if len(got) != FrameSize(len(tt.payload)) {
				t.Fatalf("len = %d, FrameSize = %d", len(got), FrameSize(len(tt.payload)))
			}
			// Appending keeps what dst held.
			got = AppendFrame([]byte("xy"), tt.payload)
			if !bytes.Equal(got, append([]byte("xy"), tt.want...)) {
				t.Fatalf("AppendFrame with prefix = %x", got)
			}
		})
	}
}

func TestFrameSize(t *testing.T) {
	for _, n := range []int{0, 1, 100, DefaultMaxEventSize} {
		if got := FrameSize(n); got != n+HeaderSize {
			t.Errorf("FrameSize(%d) = %d", n, got)
		}
	}
}

func TestFrameRoundTrip(t *testing.T) {
	payloads := [][]byte{
		{},
		[]byte("a"),
		bytes.Repeat([]byte("x"), 100),
		bytes.Repeat([]byte{0xff, 0}, 512),
		[]byte("last"),
	}
	buf := frames(payloads...)

	// ScanFrames sees every frame at its offset.
	var offs []int
	var got [][]byte
	n, err := ScanFrames(buf, 0, func(off int, p []byte) error {
		offs = append(offs, off)
		got = append(got, p)
		return nil
	})
	if err != nil || n != len(payloads) {
		t.Fatalf("ScanFrames = %d, %v", n, err)
	}
	off := 0
	for i, p := range payloads {
		if offs[i] != off || !bytes.Equal(got[i], p) {
			t.Fatalf("frame %d: off %d payload %q, want off %d payload %q", i, offs[i], got[i], off, p)
		}
		// DecodeFrame reads the same frame with the rest of buf after it.
		dp, size, err := DecodeFrame(buf[off:], 0)
		if err != nil || size != FrameSize(len(p)) || !bytes.Equal(dp, p) {
			t.Fatalf("DecodeFrame at %d = %q, %d, %v", off, dp, size, err)
		}
		off += FrameSize(len(p))
	}

	// A nil fn only counts.
	if n, err := ScanFrames(buf, 0, nil); n != len(payloads) || err != nil {
		t.Fatalf("ScanFrames(nil fn) = %d, %v", n, err)
	}
	// An empty buffer has no frames.
	if n, err := ScanFrames(nil, 0, nil); n != 0 || err != nil {
		t.Fatalf("ScanFrames(nil) = %d, %v", n, err)
	}
	// maxEvent equal to the largest payload is allowed.
	if n, err := ScanFrames(buf, 1024, nil); n != len(payloads) || err != nil {
		t.Fatalf("ScanFrames(max 1024) = %d, %v", n, err)
	}
}

func TestFrameErrorMessage(t *testing.T) {
	err := error(&FrameError{Offset: 123, Reason: ReasonCRCMismatch})
	if got, want := err.Error(), "wire: bad event frame at offset 123: crc mismatch"; got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}
}

func TestScanFramesRejects(t *testing.T) {
	good := frames([]byte("one"), []byte("two")) // 11 + 11 bytes
	flipPayload := frames([]byte("one"), []byte("two"))
	flipPayload[len(flipPayload)-1] ^= 1
	flipCRC := frames([]byte("one"), []byte("two"))
	flipCRC[11+5] ^= 0x80

	tests := []struct {
		name     string
		buf      []byte
		maxEvent int
		wantN    int
		wantOff  int64
		reason   string
	}{
		{"short header alone", []byte{0, 0, 0}, 0, 0, 0, ReasonShortHeader},
		{"short header after frames", append(append([]byte{}, good...), 0, 0, 0, 1, 0), 0, 2, 22, ReasonShortHeader},
		{"partial payload", good[:len(good)-1], 0, 1, 11, ReasonLengthRemaining},
		{"header only", good[:11+8], 0, 1, 11, ReasonLengthRemaining},
		{"length over maximum", good, 2, 0, 0, ReasonLengthMaximum},
		{"length over default maximum", rawFrame(DefaultMaxEventSize+1, 0, nil), 0, 0, 0, ReasonLengthMaximum},
		{"length 0xffffffff", rawFrame(0xffffffff, 0, []byte("abc")), 0, 0, 0, ReasonLengthMaximum},
		{"length over remaining under big max", rawFrame(100, 0, []byte("abc")), 1 << 30, 0, 0, ReasonLengthRemaining},
		{"payload bit flip", flipPayload, 0, 1, 11, ReasonCRCMismatch},
		{"crc bit flip", flipCRC, 0, 1, 11, ReasonCRCMismatch},
		{"empty payload wrong crc", rawFrame(0, 1, nil), 0, 0, 0, ReasonCRCMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			n, err := ScanFrames(tt.buf, tt.maxEvent, func(int, []byte) error { calls++; return nil })
			var fe *FrameError
			if !errors.As(err, &fe) {
				t.Fatalf("ScanFrames err = %v, want *FrameError", err)
			}
			if fe.Offset != tt.wantOff || fe.Reason != tt.reason || n != tt.wantN || calls != tt.wantN {
				t.Fatalf("ScanFrames = %d (calls %d), %v; want %d, offset %d %s", n, calls, err, tt.wantN, tt.wantOff, tt.reason)
			}
			want := fmt.Sprintf("wire: bad event frame at offset %d: %s", tt.wantOff, tt.reason)
			if err.Error() != want {
				t.Fatalf("message %q, want %q", err.Error(), want)
			}
		})
	}
}

func TestScanFramesCallbackError(t *testing.T) {
	buf := frames([]byte("a"), []byte("b"), []byte("c"))
	stop := errors.New("stop")
	n, err := ScanFrames(buf, 0, func(off int, p []byte) error {
		if string(p) == "b" {
			return stop
		}
		return nil
	})
	if err != stop || n != 1 {
		t.Fatalf("ScanFrames = %d, %v; want 1, stop", n, err)
	}
}

func TestDecodeFrameRejects(t *testing.T) {
	good := frames([]byte("hello"))
	bad := frames([]byte("hello"))
	bad[HeaderSize] ^= 1
	tests := []struct {
		name     string
		buf      []byte
		maxEvent int
		reason   string
	}{
		{"empty", nil, 0, ReasonShortHeader},
		{"short header", good[:7], 0, ReasonShortHeader},
		{"partial payload", good[:len(good)-1], 0, ReasonLengthRemaining},
		{"over maximum", good, 4, ReasonLengthMaximum},
		{"over default maximum", rawFrame(DefaultMaxEventSize+1, 0, nil), -1, ReasonLengthMaximum},
		{"crc mismatch", bad, 0, ReasonCRCMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, size, err := DecodeFrame(tt.buf, tt.maxEvent)
			var fe *FrameError
			if !errors.As(err, &fe) || fe.Offset != 0 || fe.Reason != tt.reason || p != nil || size != 0 {
				t.Fatalf("DecodeFrame = %q, %d, %v; want reason %q", p, size, err, tt.reason)
			}
		})
	}
	// Exactly at the maximum is fine.
	if p, size, err := DecodeFrame(good, 5); err != nil || string(p) != "hello" || size != 13 {
		t.Fatalf("DecodeFrame(max 5) = %q, %d, %v", p, size, err)
	}
}

func TestCutFrames(t *testing.T) {
	// Frames of 8+2, 8+10, 8+0, 8+30 bytes: ends at 10, 28, 36, 74.
	buf := frames(make([]byte, 2), make([]byte, 10), nil, make([]byte, 30))
	corrupt := append([]byte{}, buf...)
	corrupt[5] ^= 0xff // CRC of first frame: CutFrames does not look.
	tests := []struct {
		name     string
		buf      []byte
		maxBytes int
		want     int
	}{
		{"empty", nil, 100, 0},
		{"everything fits", buf, 1000, 74},
		{"exact fit", buf, 74, 74},
		{"one short of all", buf, 73, 36},
		{"exact middle", buf, 28, 28},
		{"between", buf, 30, 28},
		{"first only", buf, 10, 10},
		{"first larger than max", buf, 5, 10},
		{"max zero still one frame", buf, 0, 10},
		{"max negative still one frame", buf, -1, 10},
		{"big first frame", frames(make([]byte, 100), nil), 50, 108},
		{"partial header", buf[:7], 100, 0},
		{"partial first frame", buf[:9], 100, 0},
		{"trailing partial header", buf[:30], 100, 28},
		{"trailing partial frame", buf[:73], 100, 36},
		{"huge length", rawFrame(0xffffffff, 0, []byte("x")), 100, 0},
		{"crc not verified", corrupt, 100, 74},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CutFrames(tt.buf, tt.maxBytes); got != tt.want {
				t.Fatalf("CutFrames(len %d, %d) = %d, want %d", len(tt.buf), tt.maxBytes, got, tt.want)
			}
		})
	}
}

func TestFramesDoNotAllocate(t *testing.T) {
	buf := frames(make([]byte, 100), make([]byte, 1024), nil)
	bad := append(append([]byte{}, buf...), 1, 2, 3)
	sink := 0
	fn := func(off int, p []byte) error { sink += len(p); return nil }
	checks := map[string]func(){
		"ScanFrames":        func() { _, _ = ScanFrames(buf, 0, fn) },
		"ScanFrames nil fn": func() { _, _ = ScanFrames(buf, 0, nil) },
		"CutFrames":         func() { sink += CutFrames(buf, 200) },
		"DecodeFrame":       func() { _, n, _ := DecodeFrame(buf, 0); sink += n },
		"CutFrames bad":     func() { sink += CutFrames(bad, 1<<20) },
	}
	for name, f := range checks {
		if a := testing.AllocsPerRun(100, f); a != 0 {
			t.Errorf("%s: %v allocations per run, want 0", name, a)
		}
	}
	_ = sink
}

func TestFrameErrorIsUsableWithErrorsAs(t *testing.T) {
	_, err := ScanFrames([]byte{1}, 0, nil)
	var fe *FrameError
	if !errors.As(fmt.Errorf("reading segment: %w", err), &fe) || !strings.Contains(err.Error(), "short header") {
		t.Fatalf("err = %v", err)
	}
}

func benchmarkFrames(b *testing.B, size int) {
	payload := bytes.Repeat([]byte{'x'}, size)
	const perBatch = 1000
	buf := make([]byte, 0, perBatch*FrameSize(size))
	b.SetBytes(int64(perBatch * size))
	b.ReportAllocs()
	for b.Loop() {
		buf = buf[:0]
		for range perBatch {
			buf = AppendFrame(buf, payload)
		}
		n, err := ScanFrames(buf, 0, nil)
		if err != nil || n != perBatch {
			b.Fatal(n, err)
		}
	}
	b.ReportMetric(float64(b.N)*perBatch/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkFrames measures framing then verifying batches of 1000 events.
func BenchmarkFrames(b *testing.B) {
	b.Run("100B", func(b *testing.B) { benchmarkFrames(b, 100) })
	b.Run("1KiB", func(b *testing.B) { benchmarkFrames(b, 1024) })
}

// BenchmarkCutFrames measures splitting a buffer of 100-byte events.
func BenchmarkCutFrames(b *testing.B) {
	var buf []byte
	for range 1000 {
		buf = AppendFrame(buf, make([]byte, 100))
	}
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		if CutFrames(buf, len(buf)) != len(buf) {
			b.Fatal("short cut")
		}
	}
}
