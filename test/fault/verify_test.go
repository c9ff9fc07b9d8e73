package fault

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"sort"
	"strings"
	"time"

	"github.com/braidstream/braid"
)

const (
	readTimeout = 2 * time.Minute // the whole verification read
	fetchSample = 256             // events read back alone by pointer
	maxReported = 20              // problems listed per kind
)

// problems collects what the verification found, by kind, and prints at most
// maxReported of each kind with the total.
type problems struct {
	kinds []string
	byKey map[string][]string
	count map[string]int
}

func (p *problems) add(kind, format string, args ...any) {
	if p.byKey == nil {
		p.byKey = make(map[string][]string)
		p.count = make(map[string]int)
	}
	if p.count[kind] == 0 {
		p.kinds = append(p.kinds, kind)
	}
	p.count[kind]++
	if len(p.byKey[kind]) < maxReported {
		p.byKey[kind] = append(p.byKey[kind], fmt.Sprintf(format, args...))
	}
}

func (p *problems) empty() bool { return len(p.kinds) == 0 }

func (p *problems) String() string {
	var b strings.Builder
	for _, k := range p.kinds {
		fmt.Fprintf(&b, "%s: %d\n", k, p.count[k])
		for _, s := range p.byKey[k] {
			fmt.Fprintf(&b, "    %s\n", s)
		}
		if n := p.count[k] - len(p.byKey[k]); n > 0 {
			fmt.Fprintf(&b, "    ... and %d more\n", n)
		}
	}
	return b.String()
}

// readStats summarises a verification read.
type readStats struct {
	events, acked, unackedRead int
	bytes                      int64
	segments                   int
	fetched                    int
}

func (s readStats) String() string {
	return fmt.Sprintf("read %d events (%d bytes) from %d segments: all %d acknowledged ones plus %d unacknowledged; %d read back by pointer",
		s.events, s.bytes, s.segments, s.acked, s.unackedRead, s.fetched)
}

type readEvent struct {
	id  eventID
	ptr braid.EventPointer
}

// verifyStream reads the whole stream with a bounded reader and checks it
// against what the workload wrote and had acknowledged:
//
//   - every payload parses (every byte of it is what some writer wrote), and
//     each event's pointer frames exactly its payload;
//   - within each segment the events are contiguous from offset 0: no gap and
//     no garbage between events;
//   - no event appears twice, acknowledged or not, and none that was never
//     written appears;
//   - per (writer, key) the sequence numbers read strictly increase;
//   - every acknowledged event is present, at the pointer its ack returned;
//   - a sample of events read back alone by pointer (Fetch) gives the same
//     bytes.
func verifyStream(ctx context.Context, c *braid.Client, wl *workload, rng *rand.Rand) (readStats, *problems, error) {
	ctx, cancel := context.WithTimeout(ctx, readTimeout)
	defer cancel()
	var st readStats
	p := &problems{}

	r, err := c.NewReader(ctx, wl.stream, braid.FromHead(), braid.UntilTail())
	if err != nil {
		return st, p, fmt.Errorf("NewReader: %w", err)
	}
	defer r.Close()

	seen := make(map[eventID]braid.EventPointer)
	at := make(map[braid.EventPointer]eventID) // pointer (stream cleared) -> event read there
	lastSeq := make(map[wkey]uint64)
	nextOff := make(map[uint64]int64) // segment -> offset just after the last event read
	var sample []readEvent            // reservoir sample for Fetch

	for {
		ev, err := r.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return st, p, fmt.Errorf("Reader.Next after %d events (read up to, by segment: %v): %w", st.events, nextOff, err)
		}
		st.events++
		st.bytes += int64(len(ev.Data))
		ptr := ev.Pointer
		key := ptr
		key.Stream = ""

		if want := int64(len(ev.Data)) + 8; int64(ptr.Length) != want {
			p.add("pointer length does not frame the payload", "pointer %s has length %d for a %d-byte payload", ptr, ptr.Length, len(ev.Data))
		}
		off, ok := nextOff[ptr.SegmentID]
		if !ok {
			off = 0
		}
		if ptr.Offset != off {
			p.add("segment not contiguous (gap or garbage between events)", "segment %016x: event at offset %d, previous event ended at %d", ptr.SegmentID, ptr.Offset, off)
		}
		nextOff[ptr.SegmentID] = ptr.Offset + int64(ptr.Length)

		id, err := parsePayload(ev.Data)
		if err != nil {
			p.add("payload does not parse", "at %s (%d bytes, starts %x): %v", ptr, len(ev.Data), head(ev.Data, 24), err)
			continue
		}
		if first, dup := seen[id]; dup {
			p.add("event read twice", "%s at %s and again at %s%s", id, first, ptr, ackNote(wl, id))
			continue
		}
		seen[id] = ptr
		at[key] = id
		if int(id.Writer) >= len(wl.writers) || int(id.Key) >= wl.cfg.keys || id.Seq > wl.writers[id.Writer].issued[id.Key] {
			p.add("event read that was never written", "%s at %s", id, ptr)
			continue
		}
		wk := wkey{id.Writer, id.Key}
		if last := lastSeq[wk]; id.Seq <= last {
			p.add("per-key order broken", "writer %d key %d: #%d read after #%d (at %s)", id.Writer, id.Key, id.Seq, last, ptr)
		} else {
			lastSeq[wk] = id.Seq
		}
		if _, ok := wl.writers[id.Writer].acked[id]; !ok {
			st.unackedRead++
		}
		// Reservoir sample of events to read back by pointer.
		if len(sample) < fetchSample {
			sample = append(sample, readEvent{id, ptr})
		} else if j := rng.Intn(st.events); j < fetchSample {
			sample[j] = readEvent{id, ptr}
		}
	}
	st.segments = len(nextOff)

	// Every acknowledged event, at the pointer its ack gave.
	var lost []eventID
	for _, ws := range wl.writers {
		for id, rec := range ws.acked {
			st.acked++
			ptr, ok := seen[id]
			if !ok {
				lost = append(lost, id)
				continue
			}
			if a, b := stripStream(rec.ptr), stripStream(ptr); a != b {
				p.add("ack pointer differs from where the event was read", "%s: ack said %s, read at %s", id, a, b)
			}
		}
	}
	sort.Slice(lost, func(i, j int) bool {
		a, b := lost[i], lost[j]
		if a.Writer != b.Writer {
			return a.Writer < b.Writer
		}
		if a.Key != b.Key {
			return a.Key < b.Key
		}
		return a.Seq < b.Seq
	})
	for _, id := range lost {
		rec := wl.writers[id.Writer].acked[id]
		there := "nothing"
		if other, ok := at[stripStream(rec.ptr)]; ok {
			there = other.String()
		}
		p.add("acknowledged event lost", "%s acked at %s after %d kills; read there: %s; highest read of w%d/k%d: #%d",
			id, stripStream(rec.ptr), rec.kills, there, id.Writer, id.Key, lastSeq[wkey{id.Writer, id.Key}])
	}
	st.acked -= len(lost)

	// Read a sample back alone, by pointer; for lost events, show what the
	// ack's pointer gives now.
	for _, e := range sample {
		st.fetched++
		checkFetch(ctx, c, wl, p, e.id, e.ptr)
	}
	for i, id := range lost {
		if i == 5 {
			break
		}
		ptr := wl.writers[id.Writer].acked[id].ptr
		data, err := fetch(ctx, c, wl.stream, ptr)
		if err != nil {
			p.add("lost event: Fetch of its ack pointer", "%s at %s: %v", id, stripStream(ptr), err)
		} else {
			got, perr := parsePayload(data)
			p.add("lost event: Fetch of its ack pointer", "%s at %s: %d bytes, parse %v, %v", id, stripStream(ptr), len(data), got, perr)
		}
	}
	return st, p, nil
}

func checkFetch(ctx context.Context, c *braid.Client, wl *workload, p *problems, id eventID, ptr braid.EventPointer) {
	data, err := fetch(ctx, c, wl.stream, ptr)
	if err != nil {
		p.add("Fetch by pointer failed", "%s at %s: %v", id, stripStream(ptr), err)
		return
	}
	want := encodePayload(id, int(ptr.Length)-8-payloadHeader-payloadTrailer)
	if !bytes.Equal(data, want) {
		p.add("Fetch by pointer returned other bytes", "%s at %s: got %d bytes starting %x, want %d bytes starting %x",
			id, stripStream(ptr), len(data), head(data, 24), len(want), head(want, 24))
	}
}

func fetch(ctx context.Context, c *braid.Client, stream string, ptr braid.EventPointer) ([]byte, error) {
	if ptr.Stream == "" {
		ptr.Stream = stream
	}
	return c.Fetch(ctx, ptr)
}

func stripStream(p braid.EventPointer) braid.EventPointer {
	p.Stream = ""
	return p
}

func ackNote(wl *workload, id eventID) string {
	if int(id.Writer) < len(wl.writers) {
		if rec, ok := wl.writers[id.Writer].acked[id]; ok {
			return fmt.Sprintf(" (acknowledged at %s after %d kills)", stripStream(rec.ptr), rec.kills)
		}
	}
	return " (not acknowledged)"
}

func head(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}
