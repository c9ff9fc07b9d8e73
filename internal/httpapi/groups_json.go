package httpapi

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/braidstream/braid"
)

// The JSON forms of the reader group routes: groups, checkpoints and the
// request bodies, with the "from" and "to" values of a configuration.
// They mirror braid.GroupInfo in snake_case; stream cuts are their text
// forms, keyed by stream ("scope/stream": "v1.…"). groups.go has the
// routes.

// groupJSON describes a reader group.
type groupJSON struct {
	Scope string `json:"scope"`
	Group string `json:"group"`
	Name  string `json:"name"` // "scope/group"
	// Config is what the group reads: streams with their start and end
	// cuts, and the reader timeout.
	Config     groupConfigJSON    `json:"config"`
	Generation int64              `json:"generation"` // counts resets
	Readers    []groupReaderJSON  `json:"readers"`
	Segments   []groupSegmentJSON `json:"segments"`
	// Position is the group's committed position, one cut per stream.
	Position map[string]string `json:"position"`
	// LagBytes is the data between the position and the tails (or end
	// cuts); LagEvents estimates it in events, -1 before any was read.
	LagBytes    int64            `json:"lag_bytes"`
	LagEvents   int64            `json:"lag_events"`
	Checkpoints []checkpointJSON `json:"checkpoints"`
	// Finished: a bounded group read everything up to its end cuts.
	Finished bool      `json:"finished"`
	Created  time.Time `json:"created"`
	// TimeWindows holds, per stream, the time window of the position;
	// its lower bound is the group's watermark there.
	TimeWindows map[string]windowJSON `json:"time_windows"`
}

type groupConfigJSON struct {
	Streams       []groupStreamJSON `json:"streams"`
	ReaderTimeout string            `json:"reader_timeout"`
}

// groupStreamJSON is one stream of a group: where the group started it
// (a cut; "head" for the empty cut) and where it ends (a cut, or "none").
type groupStreamJSON struct {
	Stream string `json:"stream"`
	From   string `json:"from"`
	To     string `json:"to"`
}

type groupReaderJSON struct {
	ID       string    `json:"id"`
	Segments []uint64  `json:"segments"`
	LastSeen time.Time `json:"last_seen"`
}

// groupSegmentJSON is a segment the group reads: its committed offset, its
// tail, the group's end offset in it (absent: none), the bytes left (lag)
// and its reader (absent while it waits for one).
type groupSegmentJSON struct {
	Stream    string  `json:"stream"`
	ID        uint64  `json:"id"`
	KeyLow    float64 `json:"key_low"`
	KeyHigh   float64 `json:"key_high"`
	Offset    int64   `json:"offset"`
	Tail      int64   `json:"tail"`
	EndOffset *int64  `json:"end_offset,omitempty"`
	Lag       int64   `json:"lag"`
	Reader    string  `json:"reader,omitempty"`
}

type checkpointJSON struct {
	Name    string            `json:"name"`
	Cuts    map[string]string `json:"cuts"`
	Created time.Time         `json:"created"`
}

func cutsOf(cuts []braid.StreamCut) map[string]string {
	out := make(map[string]string, len(cuts))
	for _, c := range cuts {
		out[c.Stream] = c.String()
	}
	return out
}

func checkpointOf(cp braid.Checkpoint) checkpointJSON {
	return checkpointJSON{Name: cp.Name, Cuts: cutsOf(cp.Cuts), Created: cp.Created.UTC()}
}

func groupOf(in braid.GroupInfo) groupJSON {
	g := groupJSON{Scope: in.Scope, Group: in.Name, Name: in.Scope + "/" + in.Name,
		Config:     groupConfigJSON{Streams: []groupStreamJSON{}, ReaderTimeout: in.Config.ReaderTimeout.String()},
		Generation: in.Generation, Readers: []groupReaderJSON{}, Segments: []groupSegmentJSON{},
		Position: cutsOf(in.Position), LagBytes: in.LagBytes, LagEvents: in.LagEvents,
		Checkpoints: []checkpointJSON{}, Finished: in.Finished, Created: in.Created.UTC(),
		TimeWindows: map[string]windowJSON{}}
	for stream, tw := range in.TimeWindows {
		g.TimeWindows[stream] = windowOf(tw)
	}
	for _, s := range in.Config.Streams {
		gs := groupStreamJSON{Stream: s.Stream, From: "head", To: "none"}
		if len(s.Start.Segments) > 0 {
			gs.From = s.Start.String()
		} else if s.FromTail {
			gs.From = "tail"
		}
		if len(s.End.Segments) > 0 {
			gs.To = s.End.String()
		}
		g.Config.Streams = append(g.Config.Streams, gs)
	}
	readers := slices.Clone(in.Readers)
	slices.SortFunc(readers, func(a, b braid.GroupReaderInfo) int { return strings.Compare(a.ID, b.ID) })
	for _, r := range readers {
		segs := r.Segments
		if segs == nil {
			segs = []uint64{}
		}
		g.Readers = append(g.Readers, groupReaderJSON{ID: r.ID, Segments: segs, LastSeen: r.LastSeen.UTC()})
	}
	for _, s := range in.Segments {
		j := groupSegmentJSON{Stream: s.Stream, ID: s.ID, KeyLow: s.KeyLow, KeyHigh: s.KeyHigh,
			Offset: s.Offset, Tail: s.Tail, Reader: s.Reader}
		stop := s.Tail
		if s.EndOffset >= 0 {
			end := s.EndOffset
			j.EndOffset = &end
			stop = min(stop, end)
		}
		j.Lag = max(stop-s.Offset, 0)
		g.Segments = append(g.Segments, j)
	}
	for _, cp := range in.Checkpoints {
		g.Checkpoints = append(g.Checkpoints, checkpointOf(cp))
	}
	return g
}

// groupConfigRequest is the body of PUT /v1/groups/{scope}/{group}, and
// the configuration fields of a reset.
type groupConfigRequest struct {
	// Streams are "scope/stream" names.
	Streams []string `json:"streams"`
	// From is "head" (default), "tail" or a stream cut (one stream only)
	// for every stream, or an object {"scope/stream": "head" | "tail" |
	// CUT} for single streams (the others start at their heads).
	From json.RawMessage `json:"from"`
	// To is "none" (default), "tail" (the tail now) or a stream cut (one
	// stream only), or an object {"scope/stream": "none" | "tail" | CUT}.
	To            json.RawMessage `json:"to"`
	ReaderTimeout string          `json:"reader_timeout"`
}

// resetGroupRequest is the body of POST .../reset: a checkpoint, or a
// configuration.
type resetGroupRequest struct {
	Checkpoint string `json:"checkpoint"`
	groupConfigRequest
}

// checkpointRequest is the body of POST .../checkpoints.
type checkpointRequest struct {
	Name string `json:"name"`
}

// cutValues is a parsed "from" or "to": a value for every stream (all),
// and values for single streams.
type cutValues struct {
	all    string
	stream map[string]string
}

// of returns the value for stream ("" when none was given).
func (c cutValues) of(stream string) string {
	if v, ok := c.stream[stream]; ok {
		return v
	}
	return c.all
}

// parseCutValues parses field ("from" or "to"): a string for every stream
// or an object of strings keyed by stream, each one of words or a cut.
func parseCutValues(field string, raw json.RawMessage, streams []string, words []string) (cutValues, error) {
	out := cutValues{stream: map[string]string{}}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return out, nil
	}
	want := strings.Join(words, ", ") + " or a stream cut (v1.…)"
	check := func(what, v string) error {
		if slices.Contains(words, v) {
			return nil
		}
		if _, err := braid.ParseStreamCut(v); err != nil {
			if strings.HasPrefix(v, "v") && strings.Contains(v, ".") {
				return badRequest("%s %q: %s", what, v, errText(err))
			}
			return badRequest("%s %q: want %s", what, v, want)
		}
		return nil
	}
	if raw[0] == '"' {
		var v string
		if err := json.Unmarshal(raw, &v); err != nil {
			return out, badRequest("%s: %v", field, err)
		}
		if err := check(field, v); err != nil {
			return out, err
		}
		if !slices.Contains(words, v) && len(streams) != 1 {
			return out, badRequest("%s: a stream cut for every stream needs exactly one stream; with %d, give {\"scope/stream\": CUT}", field, len(streams))
		}
		out.all = v
		return out, nil
	}
	var m map[string]string
	if err := json.Unmarshal(raw, &m); err != nil {
		return out, badRequest("%s: want a string (%s) or an object of them keyed by \"scope/stream\"", field, want)
	}
	for s, v := range m {
		if !slices.Contains(streams, s) {
			return out, badRequest("%s names stream %q, which is not one of the group's streams %q", field, s, streams)
		}
		if err := check(field+" for "+s, v); err != nil {
			return out, err
		}
		out.stream[s] = v
	}
	return out, nil
}
