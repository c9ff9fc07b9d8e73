package segstore

import (
	"fmt"
	"sort"

	"github.com/braidstream/braid/internal/storage/wal"
)

// HistorySize is how many recent appends per writer and segment are
// remembered, so that a retried batch is acknowledged with its original
// offset. Writers keep at most this many batches per segment unacknowledged
// (the append session tells them).
const HistorySize = 16

// appendRef records where one append (a batch of events) was stored.
type appendRef struct {
	First  int64 `json:"f"`
	Last   int64 `json:"l"`
	Offset int64 `json:"o"`
	Length int64 `json:"n"`
}

// writerState is what a segment remembers of one writer.
type writerState struct {
	Last    int64       `json:"last"`
	History []appendRef `json:"hist,omitempty"` // oldest first, at most HistorySize
}

func (w *writerState) record(r appendRef) {
	w.Last = r.Last
	if len(w.History) == HistorySize {
		copy(w.History, w.History[1:])
		w.History = w.History[:HistorySize-1]
	}
	w.History = append(w.History, r)
}

// find returns the append of exactly events first..last (none on a nil
// writerState).
func (w *writerState) find(first, last int64) (appendRef, bool) {
	if w == nil {
		return appendRef{}, false
	}
	for _, r := range w.History {
		if r.First == first && r.Last == last {
			return r, true
		}
	}
	return appendRef{}, false
}

// memEntry is committed data not yet in tier 2: one append, and where its
// WAL record is, so that the log is kept from that record on until the
// data is in tier 2.
type memEntry struct {
	offset int64
	data   []byte
	lsn    uint64       // the WAL record holding the append
	pos    wal.Position // where that record starts (a replay hint)
	seq    int64        // the container's WAL byte count before that record
	at     int64        // when it was committed (clock, unix nanoseconds)
}

// chunk is a range of a segment stored as one tier-2 object.
type chunk struct {
	Offset int64 `json:"o"`
	Length int64 `json:"n"`
	// Epoch is the owner epoch of the container that wrote the chunk (0
	// on a single node). It is part of the object's name, so that a
	// deposed owner still writing never replaces a chunk its successor
	// stored.
	Epoch uint64 `json:"e,omitempty"`
}

func (k chunk) end() int64 { return k.Offset + k.Length }

// chunkKey names a chunk's tier-2 object: per container and segment handle
// (handles are never reused in a container), then the chunk's offset and,
// written by a cluster owner, "-e" and its epoch.
func chunkKey(container int, handle uint64, offset int64, epoch uint64) string {
	if epoch == 0 {
		return fmt.Sprintf("%s%016x", segmentPrefix(container, handle), offset)
	}
	return fmt.Sprintf("%s%016x-e%d", segmentPrefix(container, handle), offset, epoch)
}

// key is the chunk's tier-2 object.
func (k chunk) key(container int, handle uint64) string {
	return chunkKey(container, handle, k.Offset, k.Epoch)
}

// segmentPrefix is the tier-2 prefix of every chunk of one segment.
func segmentPrefix(container int, handle uint64) string {
	return fmt.Sprintf("%s%016x/", containerPrefix(container), handle)
}

// containerPrefix is the tier-2 prefix of one container's chunks.
func containerPrefix(container int) string {
	return fmt.Sprintf("segments/%d/", container)
}

// segment is the in-memory state of one segment. Fields marked (flusher) are
// written only by the flusher goroutine under container.mu; fields marked
// (writer) only by the storage writer under container.mu; readers hold mu.
type segment struct {
	handle uint64
	name   string

	length  int64 // committed length (flusher)
	start   int64 // truncation point (flusher)
	sealed  bool  // (flusher)
	deleted bool  // (flusher)
	writers map[string]*writerState
	notify  chan struct{} // closed and replaced when length or sealed changes

	mem     []memEntry // committed, not yet in tier 2; contiguous from flushed
	memSize int64
	flushed int64   // bytes in tier 2 (writer)
	chunks  []chunk // tier-2 chunks, by offset; none wholly below start for long (writer)

	// The time index (timeindex.go), by offset and time (flusher).
	times    []timePoint
	lastTime int64                 // time of the last point
	thinned  [len(thinBands)]int64 // per band, the time below which times are thinned
}

// chunkAt returns the chunk holding offset, if any.
func (s *segment) chunkAt(off int64) (chunk, bool) {
	i := sort.Search(len(s.chunks), func(i int) bool { return s.chunks[i].end() > off })
	if i == len(s.chunks) || s.chunks[i].Offset > off {
		return chunk{}, false
	}
	return s.chunks[i], true
}

func newSegment(handle uint64, name string) *segment {
	return &segment{handle: handle, name: name, writers: map[string]*writerState{}, notify: make(chan struct{})}
}

func (s *segment) addMem(e memEntry) {
	s.mem = append(s.mem, e)
	s.memSize += int64(len(e.data))
}

func (s *segment) wake() {
	close(s.notify)
	s.notify = make(chan struct{})
}

// memFrom returns committed in-memory data starting at off, at most maxBytes
// long unless the first entry alone is longer. It never copies when a single
// entry serves.
func (s *segment) memFrom(off int64, maxBytes int) []byte {
	i := sort.Search(len(s.mem), func(i int) bool {
		e := s.mem[i]
		return e.offset+int64(len(e.data)) > off
	})
	if i == len(s.mem) {
		return nil
	}
	first := s.mem[i].data[off-s.mem[i].offset:]
	if len(first) >= maxBytes || i+1 == len(s.mem) {
		return first
	}
	out := make([]byte, 0, maxBytes)
	out = append(out, first...)
	for _, e := range s.mem[i+1:] {
		if len(out)+len(e.data) > maxBytes {
			break
		}
		out = append(out, e.data...)
	}
	return out
}
