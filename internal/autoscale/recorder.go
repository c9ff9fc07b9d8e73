package autoscale

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/braidstream/braid/internal/controller"
)

// Bucket sizing: the shortest window spans about bucketsPerWindow buckets,
// unless the longest window would then need more than maxSlots.
const (
	bucketsPerWindow = 24
	maxSlots         = 4096
)

type streamKey struct{ scope, stream string }

// Recorder counts the events and bytes appended to the segments of the
// streams that scale automatically, in time buckets (a ring per segment
// that spans the longest window: 241 buckets of 5 s with the default
// windows).
//
// Record is the append path's hook: it takes no lock but the segment's
// own, and does nothing for a stream that is not tracked (fixed policy,
// sealed, unknown) or on a nil *Recorder. Which streams are tracked, and
// which segments are still current, is set by the Scaler at each
// evaluation; the counters of the other segments are dropped then.
type Recorder struct {
	now   func() time.Time
	width int64 // bucket width, ns
	slots int   // ring length

	// streams is copied on write (only by sync); Record reads it without
	// a lock.
	streams atomic.Pointer[map[streamKey]*streamState]
}

type streamState struct {
	created time.Time // the stream record's creation, to spot a recreated stream
	since   time.Time // when tracking started: nothing before counts

	mu   sync.Mutex                             // serializes writers of segs
	segs atomic.Pointer[map[uint64]*segCounter] // copied on write
}

type segCounter struct {
	mu   sync.Mutex
	ring []bucket
}

// bucket holds the counts of bucket number idx (time/width); a slot whose
// idx is not the one looked for is stale (zero).
type bucket struct {
	idx, events, bytes int64
}

func newRecorder(now func() time.Time, windows [4]time.Duration) *Recorder {
	width := int64(windows[0]) / bucketsPerWindow
	// The ring holds ceil(longest/width)+2 buckets, at most maxSlots.
	least := (int64(windows[3]) + maxSlots - 3) / (maxSlots - 2)
	width = max(width, least, 1)
	r := &Recorder{now: now, width: width, slots: int((int64(windows[3])+width-1)/width) + 2}
	r.streams.Store(&map[streamKey]*streamState{})
	return r
}

// Record counts a batch of events (bytes long) appended to a segment of
// scope/stream. It is safe for concurrent use and cheap: two map look-ups
// without locks, and the segment's own lock.
func (r *Recorder) Record(scope, stream string, segment uint64, events, bytes int) {
	if r == nil {
		return
	}
	r.RecordAt(r.now(), scope, stream, segment, events, bytes)
}

// RecordAt is Record of a batch appended at t: in a cluster, another node
// reports its appends to the leader's recorder a second or so later.
func (r *Recorder) RecordAt(t time.Time, scope, stream string, segment uint64, events, bytes int) {
	if r == nil {
		return
	}
	m := r.streams.Load()
	if m == nil {
		return
	}
	st := (*m)[streamKey{scope, stream}]
	if st == nil {
		return
	}
	idx := t.UnixNano() / r.width
	if cur := r.now().UnixNano() / r.width; idx <= cur-int64(r.slots)+1 || idx > cur+int64(time.Minute)/r.width {
		return // older than the ring, or far ahead of this clock
	}
	c := st.counter(segment, r.slots)
	c.mu.Lock()
	b := &c.ring[idx%int64(len(c.ring))]
	if b.idx != idx {
		*b = bucket{idx: idx}
	}
	b.events += int64(events)
	b.bytes += int64(bytes)
	c.mu.Unlock()
}

// counter returns the segment's counter, making it on first use.
func (st *streamState) counter(id uint64, slots int) *segCounter {
	if c := (*st.segs.Load())[id]; c != nil {
		return c
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	old := *st.segs.Load()
	if c := old[id]; c != nil {
		return c
	}
	c := &segCounter{ring: make([]bucket, slots)}
	for i := range c.ring {
		c.ring[i].idx = -1
	}
	m := make(map[uint64]*segCounter, len(old)+1)
	for k, v := range old {
		m[k] = v
	}
	m[id] = c
	st.segs.Store(&m)
	return c
}

// sync tracks the streams live (active, auto-scaling) from now on, keeping
// the counters of those already tracked, and drops the counters of their
// sealed segments. If complete, the streams not in live (deleted, sealed,
// fixed) are dropped; if not (part of the listing failed), they are kept.
func (r *Recorder) sync(now time.Time, live []*controller.StreamRecord, complete bool) {
	old := *r.streams.Load()
	next := make(map[streamKey]*streamState, len(live))
	if !complete {
		for k, st := range old {
			next[k] = st
		}
	}
	for _, rec := range live {
		k := streamKey{rec.Scope, rec.Name}
		st := old[k]
		if st == nil || !st.created.Equal(rec.Created) {
			st = &streamState{created: rec.Created, since: now}
			st.segs.Store(&map[uint64]*segCounter{})
		}
		st.prune(rec)
		next[k] = st
	}
	r.streams.Store(&next)
}

// prune drops the counters of rec's segments that are not in its current
// epoch. Segments rec does not know (made by a scale after rec was read)
// are kept.
func (st *streamState) prune(rec *controller.StreamRecord) {
	st.mu.Lock()
	defer st.mu.Unlock()
	old := *st.segs.Load()
	current := map[uint64]bool{}
	for _, s := range rec.Current().Segments {
		current[s.ID] = true
	}
	var drop []uint64
	for id := range old {
		if _, known := rec.FindSegment(id); known && !current[id] {
			drop = append(drop, id)
		}
	}
	if len(drop) == 0 {
		return
	}
	m := make(map[uint64]*segCounter, len(old))
	for k, v := range old {
		m[k] = v
	}
	for _, id := range drop {
		delete(m, id)
	}
	st.segs.Store(&m)
}

// since returns when the recorder began to track scope/stream.
func (r *Recorder) since(k streamKey) (time.Time, bool) {
	st := (*r.streams.Load())[k]
	if st == nil {
		return time.Time{}, false
	}
	return st.since, true
}

// segments returns how many segments have counters.
func (r *Recorder) segments() int {
	n := 0
	for _, st := range *r.streams.Load() {
		n += len(*st.segs.Load())
	}
	return n
}

// rates returns a segment's rates per second (events, or bytes if bytes)
// over each window ending at now. Nothing before start (when the segment
// was made, or tracking began) counts: a window reaching before start is
// cut to start, so that a young segment's rate is not diluted.
func (r *Recorder) rates(k streamKey, id uint64, now, start time.Time, windows [4]time.Duration, bytes bool) [4]float64 {
	var out [4]float64
	st := (*r.streams.Load())[k]
	if st == nil {
		return out
	}
	c := (*st.segs.Load())[id]
	if c == nil {
		return out
	}
	nowNs, startNs := now.UnixNano(), start.UnixNano()
	cur := nowNs / r.width
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, w := range windows {
		var first, span int64
		if from := nowNs - int64(w); startNs >= from {
			// Cut to start: the bucket of start holds nothing older.
			first, span = startNs/r.width, nowNs-startNs
		} else {
			// Whole buckets from the window's start on, so that the
			// counts and the span match.
			first = (from + r.width - 1) / r.width
			span = nowNs - first*r.width
		}
		if span <= 0 {
			continue
		}
		first = max(first, cur-int64(len(c.ring))+1)
		var sum int64
		for idx := first; idx <= cur; idx++ {
			b := &c.ring[idx%int64(len(c.ring))]
			if b.idx != idx {
				continue
			}
			if bytes {
				sum += b.bytes
			} else {
				sum += b.events
			}
		}
		out[i] = float64(sum) / (float64(span) / float64(time.Second))
	}
	return out
}
