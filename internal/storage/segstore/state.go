package segstore

import (
	"sort"

	"github.com/braidstream/braid/internal/storage/vfs"
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

func (w *writerState) find(first, last int64) (appendRef, bool) {
	for _, r := range w.History {
		if r.First == first && r.Last == last {
			return r, true
		}
	}
	return appendRef{}, false
}

// memEntry is committed data not yet in the segment file.
type memEntry struct {
	offset int64
	data   []byte
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

	mem     []memEntry // committed, not yet in the file; contiguous from flushed
	memSize int64
	flushed int64    // bytes in the file (writer)
	file    vfs.File // opened by the storage writer; nil until the first flush
}

func newSegment(handle uint64, name string) *segment {
	return &segment{handle: handle, name: name, writers: map[string]*writerState{}, notify: make(chan struct{})}
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
