package blockcache

import (
	"bytes"
	"testing"
)

func block(n int, b byte) []byte { return bytes.Repeat([]byte{b}, n) }

// TestColdCannotEvictHotShare: a scan of cold blocks evicts other cold
// blocks, and hot blocks only beyond the hot share.
func TestColdCannotEvictHotShare(t *testing.T) {
	c := New[int](100, 0.5)
	for i := 0; i < 8; i++ { // 80 hot bytes: over the 50-byte share
		c.Add(i, block(10, 'h'), Hot)
	}
	for i := 100; i < 200; i++ { // a long cold scan
		c.Add(i, block(10, 'c'), Cold)
	}
	st := c.Stats()
	if st.HotBytes != 50 || st.ColdBytes != 50 {
		t.Fatalf("hot %d cold %d bytes after a cold scan, want 50 and 50", st.HotBytes, st.ColdBytes)
	}
	// The most recent hot blocks stayed.
	for i := 3; i < 8; i++ {
		if _, ok := c.Get(i); !ok {
			t.Fatalf("hot block %d evicted by cold reads", i)
		}
	}
	if _, ok := c.Get(0); ok {
		t.Fatal("oldest hot block beyond the share still there")
	}
}

// TestHotEvictsColdOverItsShare: writes take back the hot share from cold
// blocks, and then evict their own oldest.
func TestHotEvictsColdOverItsShare(t *testing.T) {
	c := New[int](100, 0.5)
	for i := 0; i < 10; i++ {
		c.Add(100+i, block(10, 'c'), Cold)
	}
	for i := 0; i < 20; i++ {
		c.Add(i, block(10, 'h'), Hot)
	}
	st := c.Stats()
	if st.HotBytes+st.ColdBytes > 100 || st.ColdBytes != 50 {
		t.Fatalf("hot %d cold %d bytes, want the cold share (50) kept within 100", st.HotBytes, st.ColdBytes)
	}
}

func TestGetAddReplaceAndLimits(t *testing.T) {
	c := New[string](100, 0.5)
	c.Add("a", block(10, 'a'), Cold)
	c.Add("a", block(20, 'b'), Cold)
	if b, ok := c.Get("a"); !ok || len(b) != 20 || b[0] != 'b' {
		t.Fatalf("replaced block: %q %v", b, ok)
	}
	c.Add("big", block(60, 'x'), Cold) // larger than the cold share
	if _, ok := c.Get("big"); ok {
		t.Fatal("a block larger than its share was kept")
	}
	c.Remove("a")
	if _, ok := c.Peek("a"); ok {
		t.Fatal("removed block still there")
	}
	st := c.Stats()
	if st.Hits != 1 || st.Misses != 1 || st.Blocks != 0 {
		t.Fatalf("stats %+v", st)
	}
	none := New[int](0, 0.5)
	none.Add(1, block(1, 'x'), Hot)
	if _, ok := none.Get(1); ok {
		t.Fatal("a zero-capacity cache kept a block")
	}
}
