package group

import (
	"fmt"
	"slices"
	"time"
)

// StreamSpec is one stream a group reads, between two cuts (segment id to
// offset). Start is resolved when the group is created; End is nil for an
// unbounded read.
type StreamSpec struct {
	Stream string           `json:"stream"` // "scope/name"
	Start  map[uint64]int64 `json:"start"`
	End    map[uint64]int64 `json:"end,omitempty"`
}

// Config is a group's configuration.
type Config struct {
	Streams       []StreamSpec  `json:"streams"`
	ReaderTimeout time.Duration `json:"reader_timeout"`
}

// DefaultReaderTimeout is how long a reader may be silent before it is
// declared dead, when the group does not say.
const DefaultReaderTimeout = 10 * time.Second

// segKey names a segment of one of the group's streams.
type segKey struct {
	Stream string `json:"stream"`
	ID     uint64 `json:"id"`
}

func (k segKey) String() string { return fmt.Sprintf("%s/%016x", k.Stream, k.ID) }

// activeSeg is a segment the group is reading.
type activeSeg struct {
	segKey
	Low    float64 `json:"low"`
	High   float64 `json:"high"`
	Offset int64   `json:"offset"` // committed
	End    int64   `json:"end"`    // -1: read to the segment's end
}

// doneSeg is a segment the group read to its end (or end cut).
type doneSeg struct {
	segKey
	Low  float64 `json:"low"`
	High float64 `json:"high"`
	End  int64   `json:"end"`
	// Last is set when the segment ends at the group's end cut: its
	// successors are not read.
	Last bool `json:"last,omitempty"`
}

// Checkpoint is a completed checkpoint: the group's cuts when every reader
// passed it.
type Checkpoint struct {
	Name    string                      `json:"name"`
	Cuts    map[string]map[uint64]int64 `json:"cuts"`
	Created time.Time                   `json:"created"`
}

// maxCheckpoints is how many completed checkpoints a group keeps.
const maxCheckpoints = 16

// record is what the metadata store holds for a group.
type record struct {
	Scope       string       `json:"scope"`
	Name        string       `json:"name"`
	Config      Config       `json:"config"`
	Generation  int64        `json:"generation"`
	Active      []*activeSeg `json:"active"`
	Done        []*doneSeg   `json:"done,omitempty"`
	Checkpoints []Checkpoint `json:"checkpoints,omitempty"`
	Created     time.Time    `json:"created"`
	// ReadEvents and ReadBytes count what readers reported reading (for
	// the lag estimate).
	ReadEvents int64 `json:"read_events"`
	ReadBytes  int64 `json:"read_bytes"`
}

func (r *record) qualified() string { return r.Scope + "/" + r.Name }

func (r *record) active(k segKey) *activeSeg {
	for _, a := range r.Active {
		if a.segKey == k {
			return a
		}
	}
	return nil
}

func (r *record) done(k segKey) *doneSeg {
	for _, d := range r.Done {
		if d.segKey == k {
			return d
		}
	}
	return nil
}

func (r *record) spec(stream string) *StreamSpec {
	for i := range r.Config.Streams {
		if r.Config.Streams[i].Stream == stream {
			return &r.Config.Streams[i]
		}
	}
	return nil
}

func (r *record) removeActive(k segKey) {
	r.Active = slices.DeleteFunc(r.Active, func(a *activeSeg) bool { return a.segKey == k })
}

func (r *record) addCheckpoint(cp Checkpoint) {
	r.Checkpoints = slices.DeleteFunc(r.Checkpoints, func(c Checkpoint) bool { return c.Name == cp.Name })
	r.Checkpoints = append(r.Checkpoints, cp)
	if n := len(r.Checkpoints); n > maxCheckpoints {
		r.Checkpoints = slices.Delete(r.Checkpoints, 0, n-maxCheckpoints)
	}
}

// position returns the group's cut per stream: active segments at their
// committed offsets, and finished segments at their end where none of
// their successors is being read or finished (the frontier). With split and
// merge the only scalings, this covers each key once.
func (r *record) position(successors func(segKey) []segKey) map[string]map[uint64]int64 {
	out := map[string]map[uint64]int64{}
	put := func(k segKey, off int64) {
		if out[k.Stream] == nil {
			out[k.Stream] = map[uint64]int64{}
		}
		out[k.Stream][k.ID] = off
	}
	for _, a := range r.Active {
		put(a.segKey, a.Offset)
	}
	for _, d := range r.Done {
		frontier := true
		if !d.Last {
			for _, s := range successors(d.segKey) {
				if r.active(s) != nil || r.done(s) != nil {
					frontier = false
					break
				}
			}
		}
		if frontier {
			put(d.segKey, d.End)
		}
	}
	return out
}
