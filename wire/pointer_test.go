package wire

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestSegmentID(t *testing.T) {
	tests := []struct {
		epoch, number uint32
		id            uint64
	}{
		{0, 0, 0},
		{0, 1, 1},
		{1, 0, 1 << 32},
		{1, 2, 0x0000000100000002},
		{math.MaxUint32, math.MaxUint32, math.MaxUint64},
	}
	for _, tt := range tests {
		id := MakeSegmentID(tt.epoch, tt.number)
		if id != tt.id || SegmentEpoch(id) != tt.epoch || SegmentNumber(id) != tt.number {
			t.Errorf("MakeSegmentID(%d, %d) = %#x (epoch %d number %d), want %#x",
				tt.epoch, tt.number, id, SegmentEpoch(id), SegmentNumber(id), tt.id)
		}
	}
}

func TestPointerRoundTrip(t *testing.T) {
	tests := []struct {
		p    EventPointer
		text string
	}{
		{EventPointer{SegmentID: 0, Offset: 0, Length: 8}, "0000000000000000-0000000000000000-00000008"},
		{EventPointer{SegmentID: MakeSegmentID(1, 2), Offset: 4096, Length: 42}, "0000000100000002-0000000000001000-0000002a"},
		{EventPointer{SegmentID: math.MaxUint64, Offset: math.MaxInt64 - math.MaxInt32, Length: math.MaxInt32}, "ffffffffffffffff-7fffffff80000000-7fffffff"},
		{EventPointer{SegmentID: 0xabcdef, Offset: math.MaxInt64 - 8, Length: 8}, "0000000000abcdef-7ffffffffffffff7-00000008"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.text {
			t.Errorf("String() = %q, want %q", got, tt.text)
		}
		if got := tt.p.Qualified(); got != tt.text {
			t.Errorf("Qualified() without stream = %q, want %q", got, tt.text)
		}
		p, err := ParsePointer(tt.text)
		if err != nil || p != tt.p {
			t.Errorf("ParsePointer(%q) = %+v, %v; want %+v", tt.text, p, err, tt.p)
		}
		q := tt.p
		q.Stream = "my-scope/events.v2"
		qt := q.Qualified()
		if qt != "my-scope/events.v2/"+tt.text {
			t.Errorf("Qualified() = %q", qt)
		}
		if q.String() != tt.text {
			t.Errorf("String() with stream = %q, want %q", q.String(), tt.text)
		}
		p, err = ParsePointer(qt)
		if err != nil || p != q {
			t.Errorf("ParsePointer(%q) = %+v, %v; want %+v", qt, p, err, q)
		}
	}
}

func TestParsePointerRejects(t *testing.T) {
	const good = "0000000100000002-0000000000001000-0000002a"
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", `wire: invalid event pointer "": empty; want <segment:16 hex>-<offset:16 hex>-<length:8 hex>`},
		{"garbage", "xyz", `wire: invalid event pointer "xyz": wrong length (got 3 characters, want 42); want <segment:16 hex>-<offset:16 hex>-<length:8 hex>`},
		{"too long", good + "0", "wrong length (got 43 characters, want 42)"},
		{"too short", good[:41], "wrong length (got 41 characters, want 42)"},
		{"leading space", " " + good[1:], "segment id has character ' ', not a hex digit"},
		{"trailing newline", good[:41] + "\n", `length has character '\n', not a hex digit`},
		{"underscore separators", "0000000100000002_0000000000001000_0000002a", "'-' missing"},
		{"dash moved", "000000010000000-20000000000001000-0000002a", "'-' missing"},
		{"upper-case segment", "00000001000000AB-0000000000001000-0000002a", "segment id has upper-case hex digit 'A' (use lower-case)"},
		{"upper-case offset", "0000000100000002-000000000000F000-0000002a", "offset has upper-case hex digit 'F'"},
		{"upper-case length", "0000000100000002-0000000000001000-0000002A", "length has upper-case hex digit 'A'"},
		{"non-hex segment", "000000010000000g-0000000000001000-0000002a", "segment id has character 'g', not a hex digit"},
		{"plus sign", "+000000100000002-0000000000001000-0000002a", "segment id has character '+'"},
		{"invalid utf8", "\xff" + good[1:], "has byte 0xff"},
		{"negative offset", "0000000100000002-8000000000000000-0000002a", "offset is negative (top bit set)"},
		{"all-f offset", "0000000100000002-ffffffffffffffff-0000002a", "offset is negative"},
		{"length below header", "0000000100000002-0000000000001000-00000007", "length is less than the 8-byte event header"},
		{"length zero", "0000000100000002-0000000000001000-00000000", "length is less than"},
		{"length over int32", "0000000100000002-0000000000001000-80000000", "length exceeds the int32 maximum"},
		{"end overflows", "0000000100000002-7ffffffffffffff8-00000009", "offset + length overflows int64"},
		{"stream only", "scope/stream", `stream part: invalid stream name "scope": want scope/stream`},
		{"bad scope", "sc ope/stream/" + good, `stream part: invalid scope name "sc ope" in stream "sc ope/stream": character ' ' not allowed`},
		{"internal stream", "scope/_mark.s/" + good, "reserved for internal use"},
		{"three parts", "a/b/c/" + good, "more than one '/'"},
		{"empty stream", "/" + good, "stream part"},
		{"missing pointer", "scope/stream/", "empty"},
		{"bad pointer after stream", "scope/stream/xyz", "wrong length"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePointer(tt.in)
			if err == nil {
				t.Fatalf("ParsePointer(%q) = %+v, want error", tt.in, p)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ParsePointer(%q) error %q, want it to contain %q", tt.in, err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "wire: invalid event pointer ") {
				t.Fatalf("error %q lacks prefix", err)
			}
			if p != (EventPointer{}) {
				t.Fatalf("ParsePointer returned non-zero pointer %+v with error", p)
			}
		})
	}
}

func TestParsePointerLongInputQuotedShort(t *testing.T) {
	in := strings.Repeat("a", 1<<20)
	_, err := ParsePointer(in)
	if err == nil || len(err.Error()) > 1000 || !strings.Contains(err.Error(), "(1048576 bytes)") {
		t.Fatalf("error for 1 MiB input: %.300q (len %d)", err, len(err.Error()))
	}
}

// TestPointerTextOrder checks that sorting pointer texts sorts pointers by
// (segment id, offset), which S3 export listings rely on.
func TestPointerTextOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	ps := make([]EventPointer, 5000)
	for i := range ps {
		var p EventPointer
		// Mix small and large values so that field widths matter.
		switch r.IntN(3) {
		case 0:
			p.SegmentID = MakeSegmentID(r.Uint32N(4), r.Uint32N(4))
			p.Offset = r.Int64N(1 << 16)
		case 1:
			p.SegmentID = r.Uint64()
			p.Offset = r.Int64()
		default:
			p.SegmentID = MakeSegmentID(r.Uint32N(3), r.Uint32())
			p.Offset = r.Int64N(1 << 40)
		}
		p.Length = int32(HeaderSize + r.IntN(1<<20))
		ps[i] = p
	}
	byText := slices.Clone(ps)
	slices.SortStableFunc(byText, func(a, b EventPointer) int { return strings.Compare(a.String(), b.String()) })
	for i := 1; i < len(byText); i++ {
		a, b := byText[i-1], byText[i]
		if a.SegmentID > b.SegmentID || a.SegmentID == b.SegmentID && a.Offset > b.Offset {
			t.Fatalf("text order puts %+v (%s) before %+v (%s)", a, a, b, b)
		}
	}
}

func BenchmarkPointerString(b *testing.B) {
	p := EventPointer{SegmentID: MakeSegmentID(3, 7), Offset: 123456789, Length: 108}
	for b.Loop() {
		_ = p.String()
	}
}

func BenchmarkParsePointer(b *testing.B) {
	s := EventPointer{SegmentID: MakeSegmentID(3, 7), Offset: 123456789, Length: 108}.String()
	for b.Loop() {
		if _, err := ParsePointer(s); err != nil {
			b.Fatal(err)
		}
	}
}
