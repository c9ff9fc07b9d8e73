package wire

import (
	"math"
	"testing"
)

// TestKeyPointStable pins KeyPoint's values: they decide which segment holds
// a key, so they must never change.
func TestKeyPointStable(t *testing.T) {
	tests := []struct {
		key  string
		hash uint64 // XXH64, seed 0
		want float64
	}{
		// Published XXH64 test values.
		{"", 0xef46db3751d8e999, 0x1.de8db66ea3b1dp-01},
		{"a", 0xd24ec4f1a98c6e5b, 0x1.a49d89e35318dp-01},
		// Pinned from this implementation.
		{"customer-42", 0xca6e96e956958c0f, 0x1.94dd2dd2ad2b1p-01},
		{"héllo", 0x3bd06310388ebbe4, 0x1.de831881c475cp-03},
	}
	for _, tt := range tests {
		want := float64(tt.hash>>11) / (1 << 53)
		if want != tt.want {
			t.Fatalf("test table: %q: hash gives %x, want column %x", tt.key, want, tt.want)
		}
		if got := KeyPoint(tt.key); got != want {
			t.Errorf("KeyPoint(%q) = %x, want %x", tt.key, got, want)
		}
	}
}

func TestKeyPointRange(t *testing.T) {
	for i := range 100000 {
		key := string(rune(i)) + "k"
		p := KeyPoint(key)
		if !(p >= 0 && p < 1) {
			t.Fatalf("KeyPoint(%q) = %v, outside [0, 1)", key, p)
		}
	}
	// The largest hash maps below 1.
	if p := float64(uint64(math.MaxUint64)>>11) / (1 << 53); p >= 1 {
		t.Fatalf("max point %v >= 1", p)
	}
}

func TestKeyRangeContains(t *testing.T) {
	below1 := math.Nextafter(1, 0)
	tests := []struct {
		r    KeyRange
		p    float64
		want bool
	}{
		{KeyRange{0, 1}, 0, true},
		{KeyRange{0, 1}, 0.5, true},
		{KeyRange{0, 1}, below1, true},
		{KeyRange{0, 0.5}, 0.5, false},
		{KeyRange{0, 0.5}, math.Nextafter(0.5, 0), true},
		{KeyRange{0.5, 1}, 0.5, true},
		{KeyRange{0.5, 1}, below1, true},
		{KeyRange{0.5, 1}, 0.25, false},
		{KeyRange{0.25, 0.5}, 0.25, true},
		{KeyRange{0.25, 0.5}, 0.75, false},
		{KeyRange{0.5, 0.5}, 0.5, false},
	}
	for _, tt := range tests {
		if got := tt.r.Contains(tt.p); got != tt.want {
			t.Errorf("%+v.Contains(%v) = %v, want %v", tt.r, tt.p, got, tt.want)
		}
	}
	// Splitting [0,1) into ranges puts every key in exactly one of them.
	ranges := []KeyRange{{0, 0.2}, {0.2, 0.5}, {0.5, 0.9}, {0.9, 1}}
	for i := range 10000 {
		p := KeyPoint(string(rune('a'+i%26)) + string(rune(i)))
		n := 0
		for _, r := range ranges {
			if r.Contains(p) {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("point %v in %d ranges", p, n)
		}
	}
}
