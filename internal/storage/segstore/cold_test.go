package segstore

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/braidstream/braid/internal/tier2"
)

// TestColdChunksOfTwoOwners is the history test's read stall: a deposed
// owner and its successor each flushed a chunk at the same offset of a
// segment, of different lengths (-e19 and -e20). The block cache kept the
// shorter chunk's short last block, and a read through the longer chunk
// got it back, copied nothing and spun there for good. Blocks are keyed by
// the chunk's length too, and a short block is an error, never a spin.
func TestColdChunksOfTwoOwners(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	t2 := tier2.NewMem()
	data := bytes.Repeat([]byte("0123456789abcdef"), (blockSize+4096)/16)
	short, long := data[:blockSize+100], data
	if err := t2.Put(ctx, "short", short); err != nil {
		t.Fatal(err)
	}
	if err := t2.Put(ctx, "long", long); err != nil {
		t.Fatal(err)
	}
	r := newColdReader(t2, 64<<20, 0, newMetrics(prometheus.NewRegistry()))
	defer r.close()
	read := func(object string, length int64, off int64, n int) ([]byte, error) {
		cr := &chunkReader{ctx: ctx, r: r, container: 0, handle: 1, k: chunk{Offset: 0, Length: length}, object: object}
		p := make([]byte, n)
		got, err := cr.ReadAt(p, off)
		return p[:got], err
	}
	if got, err := read("short", int64(len(short)), blockSize, 100); err != nil || !bytes.Equal(got, short[blockSize:]) {
		t.Fatalf("the short chunk's last block: %d bytes, %v", len(got), err)
	}
	done := make(chan struct{})
	var got []byte
	var err error
	go func() {
		defer close(done)
		got, err = read("long", int64(len(long)), blockSize+50, 1000)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		t.Fatal("a read through the longer chunk spins on the shorter one's cached block")
	}
	if err != nil || !bytes.Equal(got, long[blockSize+50:blockSize+1050]) {
		t.Fatalf("the longer chunk past the shorter one's end: %d bytes, %v", len(got), err)
	}
}
