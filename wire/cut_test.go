package wire

import (
	"encoding/base64"
	"encoding/binary"
	"math"
	"strings"
	"testing"
)

// rawCut encodes body as a v1 stream cut text with a correct checksum.
func rawCut(body []byte) string {
	payload := binary.BigEndian.AppendUint32(append([]byte{}, body...), checksum(body))
	return "v1." + base64.RawURLEncoding.EncodeToString(payload)
}

// uv concatenates the minimal uvarints of vs.
func uv(vs ...uint64) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.AppendUvarint(b, v)
	}
	return b
}

func TestStreamCutRoundTrip(t *testing.T) {
	many := StreamCut{}
	for i := range MaxCutSegments {
		many.Segments = append(many.Segments, SegmentOffset{SegmentID: MakeSegmentID(uint32(i/7), uint32(i)), Offset: int64(i) * 1000})
	}
	tests := []struct {
		name string
		cut  StreamCut
		text string // "" means do not pin
	}{
		{"empty", StreamCut{}, "v1.AFJ9U1E"},
		{"one", StreamCut{Segments: []SegmentOffset{{1, 4096}}}, "v1.AQGAIOsdByY"},
		{"zeros", StreamCut{Segments: []SegmentOffset{{0, 0}}}, ""},
		{"several", StreamCut{Segments: []SegmentOffset{{MakeSegmentID(0, 3), 0}, {MakeSegmentID(1, 4), 100}, {MakeSegmentID(1, 5), 1 << 40}}}, ""},
		{"extremes", StreamCut{Segments: []SegmentOffset{{0, math.MaxInt64}, {math.MaxUint64, math.MaxInt64}}}, ""},
		{"max segments", many, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := tt.cut.String()
			if tt.text != "" && text != tt.text {
				t.Fatalf("String() = %q, want %q", text, tt.text)
			}
			if !strings.HasPrefix(text, "v1.") || strings.ContainsAny(text[3:], "+/=.") {
				t.Fatalf("text %.40q is not v1. + unpadded base64url", text)
			}
			got, err := ParseStreamCut(text)
			if err != nil {
				t.Fatalf("ParseStreamCut: %v", err)
			}
			if !got.Equal(tt.cut) {
				t.Fatalf("ParseStreamCut(String()) = %+v, want %+v", got, tt.cut)
			}
			if again := got.String(); again != text {
				t.Fatalf("re-encoded %q, want %q", again, text)
			}
			// Stream is not part of the text.
			named := tt.cut
			named.Stream = "s/t"
			if named.String() != text {
				t.Fatalf("Stream changed the text")
			}
		})
	}
}

func TestParseStreamCutRejects(t *testing.T) {
	good := StreamCut{Segments: []SegmentOffset{{1, 4096}, {2, 10}}}.String()
	badCRC := func() string {
		b, _ := base64.RawURLEncoding.DecodeString(good[3:])
		b[len(b)-1] ^= 1
		return "v1." + base64.RawURLEncoding.EncodeToString(b)
	}()
	// Non-zero trailing bits: "v1.AFJ9U1E" ends in 'E' (0b000100, 2 unused
	// bits 00); 'F' sets one of them.
	trailingBits := "v1.AFJ9U1F"
	tooMany := rawCut(uv(MaxCutSegments + 1))
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", `wire: invalid stream cut "": missing version prefix`},
		{"head word", "head", `missing version prefix (want "v1." followed by base64url)`},
		{"tail word", "tail", "missing version prefix"},
		{"upper-case V", "V1." + good[3:], "missing version prefix"},
		{"unknown version", "v2." + good[3:], `unknown version "v2" (this build reads v1)`},
		{"v10", "v10." + good[3:], `unknown version "v10"`},
		{"no dot", "v1" + good[3:], "missing version prefix"},
		{"only prefix", "v1.", "truncated"},
		{"standard base64 chars", "v1.AB+/", `bad base64: character '+' at position 5`},
		{"padding", good + "=", "bad base64: character '='"},
		{"newline", good[:6] + "\n" + good[6:], `bad base64: character '\n' at position 6`},
		{"space", good + " ", "bad base64: character ' '"},
		{"invalid utf8", good + "\xff", "bad base64: byte 0xff"},
		{"impossible length", "v1.AAAAA", "bad base64 at position"},
		{"trailing bits", trailingBits, "bad base64 at position"},
		{"short payload", "v1.AAA", "truncated"},
		{"checksum", badCRC, "checksum mismatch"},
		{"text damage", good[:len(good)-2] + "AA", "checksum mismatch"},
		{"no count", rawCut(nil), "segment count: truncated"},
		{"count truncated varint", rawCut([]byte{0x80}), "segment count: truncated"},
		{"count overlong", rawCut([]byte{0x81, 0x00, 1, 1}), "segment count: non-minimal varint"},
		{"too many", tooMany, "too many segments (65537, max 65536)"},
		{"huge count", rawCut(uv(math.MaxUint64)), "too many segments"},
		{"count overflow", rawCut([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}), "segment count: varint overflows 64 bits"},
		{"count 11 bytes", rawCut([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x80, 0x00}), "varint overflows 64 bits"},
		{"missing segments", rawCut(uv(2, 1, 5)), "segment 2 of 2: id: truncated"},
		{"missing offset", rawCut(uv(1, 7)), "segment 1 of 1: offset: truncated"},
		{"overlong id", rawCut(append(uv(1), 0x85, 0x00, 0x01)), "segment 1 of 1: id: non-minimal varint"},
		{"overlong offset", rawCut(append(uv(1, 5), 0x81, 0x80, 0x00)), "segment 1 of 1: offset: non-minimal varint"},
		{"negative offset", rawCut(uv(1, 5, 1<<63)), "segment 0000000000000005: offset 9223372036854775808 overflows int64 (negative)"},
		{"max uint offset", rawCut(uv(1, 5, math.MaxUint64)), "overflows int64"},
		{"duplicate", rawCut(uv(2, 5, 1, 5, 2)), "duplicate segment 0000000000000005"},
		{"unsorted", rawCut(uv(2, 6, 1, 5, 2)), "segments not sorted (0000000000000005 after 0000000000000006)"},
		{"trailing bytes", rawCut(uv(1, 5, 1, 0)), "1 trailing bytes after 1 segments"},
		{"trailing bytes empty", rawCut(uv(0, 0)), "1 trailing bytes after 0 segments"},
		{"too long", "v1." + strings.Repeat("A", maxCutText), "too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseStreamCut(tt.in)
			if err == nil {
				t.Fatalf("ParseStreamCut(%.60q) = %+v, want error", tt.in, c)
			}
			if !strings.HasPrefix(err.Error(), "wire: invalid stream cut ") || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ParseStreamCut(%.60q) error %q, want it to contain %q", tt.in, err, tt.want)
			}
			if len(err.Error()) > 600 {
				t.Fatalf("error is %d bytes long", len(err.Error()))
			}
			if !c.Equal(StreamCut{}) {
				t.Fatalf("non-zero cut with error: %+v", c)
			}
		})
	}
}

func TestStreamCutOffsetWithEqual(t *testing.T) {
	var c StreamCut
	c.Stream = "s/t"
	c = c.With(5, 50)
	c = c.With(1, 10)
	c = c.With(9, 90)
	c = c.With(3, 30)
	want := []SegmentOffset{{1, 10}, {3, 30}, {5, 50}, {9, 90}}
	if !c.Equal(StreamCut{Stream: "s/t", Segments: want}) {
		t.Fatalf("With built %+v", c)
	}
	for _, so := range want {
		if off, ok := c.Offset(so.SegmentID); !ok || off != so.Offset {
			t.Errorf("Offset(%d) = %d, %v", so.SegmentID, off, ok)
		}
	}
	for _, seg := range []uint64{0, 2, 4, 10, math.MaxUint64} {
		if off, ok := c.Offset(seg); ok || off != 0 {
			t.Errorf("Offset(%d) = %d, %v; want absent", seg, off, ok)
		}
	}

	// With returns a copy: replacing or inserting leaves c alone.
	d := c.With(3, 33)
	e := c.With(4, 40)
	if off, _ := c.Offset(3); off != 30 {
		t.Fatalf("With changed the original: %+v", c)
	}
	if _, ok := c.Offset(4); ok || len(c.Segments) != 4 {
		t.Fatalf("With changed the original: %+v", c)
	}
	if off, _ := d.Offset(3); off != 33 || d.Stream != "s/t" {
		t.Fatalf("replace: %+v", d)
	}
	if off, _ := e.Offset(4); off != 40 || len(e.Segments) != 5 || e.Segments[2].SegmentID != 4 {
		t.Fatalf("insert: %+v", e)
	}
	d.Segments[0].Offset = 999
	if c.Segments[0].Offset != 10 {
		t.Fatalf("copy shares memory with original")
	}

	// Round trip through text keeps everything but the stream.
	p, err := ParseStreamCut(c.String())
	if err != nil {
		t.Fatal(err)
	}
	if p.Equal(c) {
		t.Fatalf("Equal ignores Stream")
	}
	p.Stream = c.Stream
	if !p.Equal(c) {
		t.Fatalf("round trip: %+v != %+v", p, c)
	}

	tests := []struct {
		a, b StreamCut
		want bool
	}{
		{StreamCut{}, StreamCut{Segments: []SegmentOffset{}}, true},
		{StreamCut{Stream: "a/b"}, StreamCut{Stream: "a/c"}, false},
		{StreamCut{Segments: []SegmentOffset{{1, 2}}}, StreamCut{Segments: []SegmentOffset{{1, 3}}}, false},
		{StreamCut{Segments: []SegmentOffset{{1, 2}}}, StreamCut{Segments: []SegmentOffset{{2, 2}}}, false},
		{StreamCut{Segments: []SegmentOffset{{1, 2}}}, StreamCut{}, false},
	}
	for _, tt := range tests {
		if got := tt.a.Equal(tt.b); got != tt.want {
			t.Errorf("%+v.Equal(%+v) = %v", tt.a, tt.b, got)
		}
	}
}

func BenchmarkStreamCutRoundTrip(b *testing.B) {
	var c StreamCut
	for i := range 16 {
		c = c.With(MakeSegmentID(3, uint32(i)), int64(i)<<20)
	}
	for b.Loop() {
		if _, err := ParseStreamCut(c.String()); err != nil {
			b.Fatal(err)
		}
	}
}
