package segstore

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/braidstream/braid/internal/storage/blockcache"
	"github.com/braidstream/braid/internal/tier2"
)

// blockSize is the unit of the read cache and of tier-2 range reads.
const blockSize = 1 << 20

// blockKey names one block of one chunk.
type blockKey struct {
	container int
	handle    uint64
	chunk     int64 // the chunk's offset in the segment
	// length is the chunk's: two owners of a container (one deposed) may
	// each have flushed a chunk at the same offset, of different lengths,
	// whose last blocks differ in size.
	length int64
	block  int64 // index within the chunk
}

// coldReader serves segment data that is in tier 2: through the block
// cache, one tier-2 read per missing block (concurrent readers of one
// block share it), and with read-ahead after a miss, done by a few
// background workers the store owns.
type coldReader struct {
	t2    tier2.Store
	cache *blockcache.Cache[blockKey]
	m     *metrics

	mu       sync.Mutex
	inflight map[blockKey]*fetchCall

	ahead  int64 // read-ahead bytes, whole blocks
	jobs   chan prefetch
	stop   chan struct{}
	ctx    context.Context // ends at close: bounds the workers' reads
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

type fetchCall struct {
	done chan struct{}
	data []byte
	err  error
}

// prefetch asks for blocks of a chunk to be fetched into the cache.
type prefetch struct {
	key        blockKey // the first block
	blocks     int64
	chunkLen   int64
	objectName string
}

// prefetchWorkers bounds tier-2 reads running ahead of readers.
const prefetchWorkers = 4

func newColdReader(t2 tier2.Store, cacheSize, ahead int64, m *metrics) *coldReader {
	r := &coldReader{
		t2:       t2,
		cache:    blockcache.New[blockKey](max(cacheSize, 0), 0.5),
		m:        m,
		inflight: map[blockKey]*fetchCall{},
		// Blocks fetched ahead must survive until their reader gets
		// there: read-ahead is capped at 1/32 of the cold half of the
		// cache, so that dozens of catch-up readers do not evict each
		// other's blocks (and fetch them twice). A small cache gets none.
		ahead: min(max(ahead, 0), max(cacheSize, 0)/2/32/blockSize*blockSize),
		jobs:  make(chan prefetch, 64),
		stop:  make(chan struct{}),
	}
	r.ctx, r.cancel = context.WithCancel(context.Background())
	if r.ahead > 0 {
		for range prefetchWorkers {
			r.wg.Add(1)
			go r.prefetchLoop()
		}
	}
	return r
}

func (r *coldReader) close() {
	close(r.stop)
	r.cancel()
	r.wg.Wait()
}

func (r *coldReader) prefetchLoop() {
	defer r.wg.Done()
	ctx := r.ctx
	for {
		select {
		case <-r.stop:
			return
		case p := <-r.jobs:
			for i := range p.blocks {
				k := p.key
				k.block += i
				if k.block*blockSize >= p.chunkLen {
					break
				}
				select {
				case <-r.stop:
					return
				default:
				}
				fctx, fcancel := context.WithTimeout(ctx, tier2Timeout)
				// Errors are the reader's to see when it gets there.
				_, _, _ = r.block(fctx, k, p.objectName, p.chunkLen)
				fcancel()
			}
		}
	}
}

// addHot puts a chunk just stored in tier 2 into the cache as hot blocks:
// tail readers that fall behind the memory tail find them there.
func (r *coldReader) addHot(container int, handle uint64, off int64, data []byte) {
	for b := int64(0); b*blockSize < int64(len(data)); b++ {
		end := min((b+1)*blockSize, int64(len(data)))
		r.cache.Add(blockKey{container, handle, off, int64(len(data)), b}, data[b*blockSize:end:end], blockcache.Hot)
	}
}

// block returns one block of a chunk, from the cache or else tier 2
// (fetched is then set).
func (r *coldReader) block(ctx context.Context, k blockKey, object string, chunkLen int64) (data []byte, fetched bool, err error) {
	if b, ok := r.cache.Get(k); ok {
		return b, false, nil
	}
	r.mu.Lock()
	if call := r.inflight[k]; call != nil {
		r.mu.Unlock()
		select {
		case <-call.done:
			return call.data, true, call.err
		case <-ctx.Done():
			return nil, true, ctx.Err()
		}
	}
	if b, ok := r.cache.Peek(k); ok {
		// Added between the miss above and taking mu.
		r.mu.Unlock()
		return b, false, nil
	}
	call := &fetchCall{done: make(chan struct{})}
	r.inflight[k] = call
	r.mu.Unlock()

	want := min(blockSize, chunkLen-k.block*blockSize)
	t0 := time.Now()
	data, err = r.t2.GetRange(ctx, object, k.block*blockSize, want)
	r.m.tier2Seconds.WithLabelValues("get").Observe(time.Since(t0).Seconds())
	switch {
	case err != nil:
		r.m.tier2Errors.WithLabelValues("get").Inc()
		err = fmt.Errorf("tier 2: reading %s: %w", object, err)
	case int64(len(data)) != want:
		err = fmt.Errorf("%w: tier-2 chunk %s ends at %d, the index says %d", ErrCorrupt, object, k.block*blockSize+int64(len(data)), chunkLen)
	default:
		r.m.tier2ReadBytes.Add(float64(len(data)))
		r.cache.Add(k, data, blockcache.Cold)
	}
	call.data, call.err = data, err
	r.mu.Lock()
	delete(r.inflight, k)
	r.mu.Unlock()
	close(call.done)
	return data, true, err
}

// chunkReader reads a chunk through the cache: an io.ReaderAt over
// segment offsets [k.Offset, k.end()).
type chunkReader struct {
	ctx       context.Context
	r         *coldReader
	container int
	handle    uint64
	k         chunk
	object    string
	missed    bool // a block came from tier 2
	lastBlock int64
}

func (cr *chunkReader) ReadAt(p []byte, off int64) (int, error) {
	n := 0
	for n < len(p) {
		pos := off + int64(n) - cr.k.Offset
		if pos < 0 || pos >= cr.k.Length {
			return n, io.EOF
		}
		b := pos / blockSize
		data, fetched, err := cr.r.block(cr.ctx, blockKey{cr.container, cr.handle, cr.k.Offset, cr.k.Length, b}, cr.object, cr.k.Length)
		cr.missed = cr.missed || fetched
		if err != nil {
			return n, err
		}
		if pos-b*blockSize >= int64(len(data)) {
			// A block shorter than the chunk says: never spin on it.
			return n, fmt.Errorf("%w: block %d of tier-2 chunk %s holds %d bytes, short of offset %d in it", ErrCorrupt, b, cr.object, len(data), pos)
		}
		n += copy(p[n:], data[pos-b*blockSize:])
		cr.lastBlock = b
	}
	return n, nil
}

// readAhead queues background fetches of the blocks after the last one
// read, within this chunk, after a read that missed the cache.
func (cr *chunkReader) readAhead() {
	r := cr.r
	if !cr.missed || r.ahead == 0 {
		return
	}
	next := cr.lastBlock + 1
	if next*blockSize >= cr.k.Length {
		return
	}
	select {
	case r.jobs <- prefetch{key: blockKey{cr.container, cr.handle, cr.k.Offset, cr.k.Length, next}, blocks: (r.ahead + blockSize - 1) / blockSize,
		chunkLen: cr.k.Length, objectName: cr.object}:
	default: // the workers are busy: readers are fetching for themselves
	}
}
