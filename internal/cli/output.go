package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/wire"
)

// Output formats of --output.
const (
	outputTable = "table"
	outputJSON  = "json"
)

// outputFlag is the --output (-o) flag of a command that prints data:
// table (the default: lines for a person) or json (one JSON value, in the
// shapes of docs/cli.md). Any value is taken while parsing; check, run
// before the command does anything, rejects a wrong one as a usage error.
type outputFlag struct{ format string }

func (o *outputFlag) String() string     { return o.format }
func (o *outputFlag) Set(s string) error { o.format = s; return nil }
func (o *outputFlag) Type() string       { return "format" }

// check fails with a usage error naming a value that is not a format.
func (o *outputFlag) check() error {
	if o.format != outputTable && o.format != outputJSON {
		return usagef("invalid --output %q: want table or json", o.format)
	}
	return nil
}

// json reports whether the command is to print JSON.
func (o *outputFlag) json() bool { return o.format == outputJSON }

// addOutputFlag adds --output/-o to cmd; what says what -o json prints
// ("one object", "an array of streams").
func addOutputFlag(cmd *cobra.Command, what string) *outputFlag {
	o := &outputFlag{format: outputTable}
	cmd.Flags().VarP(o, "output", "o", "`format` to print: table (for a person) or json ("+what+"; see docs/cli.md)")
	_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions([]string{outputTable, outputJSON}, cobra.ShellCompDirectiveNoFileComp))
	return o
}

// checkOutputFlag checks cmd's --output, if it has one made by
// addOutputFlag.
func checkOutputFlag(cmd *cobra.Command) error {
	if f := cmd.Flags().Lookup("output"); f != nil {
		if o, ok := f.Value.(*outputFlag); ok {
			return o.check()
		}
	}
	return nil
}

// writeJSON prints v as one indented JSON value and a newline. Nothing is
// HTML-escaped: the output is for programs and people, not for a page.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// The JSON shapes below are what -o json prints; docs/cli.md documents
// each. They are built from the client's types field by field so that a
// change there does not silently change them. Conventions: snake_case
// names; times RFC 3339 in UTC (with fractions of a second when there are
// any), null when unknown; durations Go duration strings ("168h0m0s",
// "10s", as time.ParseDuration and the flags take them); sizes, lengths and
// offsets integer bytes; segment ids 16 hex digits, as in event pointers
// and "braid stream scale"; stream cuts their text (v1....); lists are
// arrays, [] when empty, never null.

// jsonTime is a time: RFC 3339 in UTC, or null when zero.
type jsonTime time.Time

func (t jsonTime) MarshalJSON() ([]byte, error) {
	if time.Time(t).IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(time.Time(t).UTC().Format(time.RFC3339Nano))
}

// segmentIDText is a segment id as the CLI shows and takes it.
func segmentIDText(id uint64) string { return fmt.Sprintf("%016x", id) }

// scopeJSON is one scope of "braid scope list" and the answer of
// "braid scope create" (Created only there).
type scopeJSON struct {
	Name    string `json:"name"`
	Created *bool  `json:"created,omitempty"`
}

// retentionJSON is a retention policy: by time (min_time, max_time) or by
// size (min_bytes, max_bytes).
type retentionJSON struct {
	Type     string  `json:"type"` // "time" or "size"
	MinTime  *string `json:"min_time,omitempty"`
	MaxTime  *string `json:"max_time,omitempty"`
	MinBytes *int64  `json:"min_bytes,omitempty"`
	MaxBytes *int64  `json:"max_bytes,omitempty"`
}

func retentionJSONOf(p *braid.RetentionPolicy) *retentionJSON {
	switch {
	case p == nil:
		return nil
	case p.Type == braid.RetentionBySize:
		return &retentionJSON{Type: "size", MinBytes: &p.MinBytes, MaxBytes: &p.MaxBytes}
	}
	minT, maxT := p.MinTime.String(), p.MaxTime.String()
	return &retentionJSON{Type: "time", MinTime: &minT, MaxTime: &maxT}
}

// scalingJSON is an auto-scaling policy, with the server's defaults filled
// in.
type scalingJSON struct {
	Kind        string `json:"kind"` // "events" or "bytes" (per second per segment)
	Target      int64  `json:"target"`
	ScaleFactor int    `json:"scale_factor"`
	MinSegments int    `json:"min_segments"`
}

func scalingJSONOf(p *braid.ScalingPolicy) *scalingJSON {
	if p == nil {
		return nil
	}
	kind := "events"
	if p.Kind == braid.ScaleByDataRate {
		kind = "bytes"
	}
	return &scalingJSON{Kind: kind, Target: p.Target, ScaleFactor: max(p.ScaleFactor, 2), MinSegments: max(p.MinSegments, 1)}
}

// streamJSON is one stream of "braid stream list".
type streamJSON struct {
	Name             string         `json:"name"` // scope/stream
	Scope            string         `json:"scope"`
	Stream           string         `json:"stream"`
	SegmentCount     int            `json:"segment_count"`
	Sealed           bool           `json:"sealed"`
	Created          jsonTime       `json:"created"`
	Retention        *retentionJSON `json:"retention"` // null: keep everything
	Scaling          *scalingJSON   `json:"scaling"`   // null: fixed
	TimestampTimeout string         `json:"timestamp_timeout"`
}

func streamJSONOf(s braid.StreamInfo) streamJSON {
	return streamJSON{Name: s.Scope + "/" + s.Name, Scope: s.Scope, Stream: s.Name, SegmentCount: s.Segments,
		Sealed: s.Sealed, Created: jsonTime(s.Created), Retention: retentionJSONOf(s.Retention),
		Scaling: scalingJSONOf(s.Scaling), TimestampTimeout: s.TimestampTimeout.String()}
}

// streamCreateJSON is what "braid stream create" prints.
type streamCreateJSON struct {
	streamJSON
	ScopeCreated bool `json:"scope_created"`
}

// streamDescribeJSON is what "braid stream describe" prints: the list's
// fields and the segments, epochs and watermark.
type streamDescribeJSON struct {
	streamJSON
	Segments  []segmentJSON `json:"segments"` // the current epoch's
	Epochs    []epochJSON   `json:"epochs"`   // oldest first
	Watermark watermarkJSON `json:"watermark"`
	// Ephemeral is set for an ephemeral stream: its holders and leases.
	Ephemeral *ephemeralJSON `json:"ephemeral,omitempty"`
}

// segmentJSON is a current segment.
type segmentJSON struct {
	ID          string  `json:"id"`
	KeyLow      float64 `json:"key_low"`
	KeyHigh     float64 `json:"key_high"`
	Length      int64   `json:"length"`
	StartOffset int64   `json:"start_offset"`
	Sealed      bool    `json:"sealed"`
}

// epochJSON is one segment layout of a stream.
type epochJSON struct {
	Epoch    uint32             `json:"epoch"`
	Created  jsonTime           `json:"created"`
	Current  bool               `json:"current"`
	Segments []epochSegmentJSON `json:"segments"`
}

// epochSegmentJSON is a segment of an epoch; sealed is true for every
// segment a scaling replaced.
type epochSegmentJSON struct {
	ID      string  `json:"id"`
	KeyLow  float64 `json:"key_low"`
	KeyHigh float64 `json:"key_high"`
	Sealed  bool    `json:"sealed"`
}

// scaleJSON is what "braid stream scale" prints: the epoch it made.
type scaleJSON struct {
	Name     string             `json:"name"`
	Epoch    uint32             `json:"epoch"`
	Created  jsonTime           `json:"created"`
	Segments []scaleSegmentJSON `json:"segments"`
}

// scaleSegmentJSON is a segment of the new epoch; new is false for one
// that carried over from an earlier epoch.
type scaleSegmentJSON struct {
	ID      string  `json:"id"`
	KeyLow  float64 `json:"key_low"`
	KeyHigh float64 `json:"key_high"`
	New     bool    `json:"new"`
}

func scaleJSONOf(stream string, ep braid.Epoch) scaleJSON {
	out := scaleJSON{Name: stream, Epoch: ep.Epoch, Created: jsonTime(ep.Created), Segments: []scaleSegmentJSON{}}
	for _, seg := range ep.Segments {
		out.Segments = append(out.Segments, scaleSegmentJSON{ID: segmentIDText(seg.ID), KeyLow: seg.KeyLow, KeyHigh: seg.KeyHigh,
			New: wire.SegmentEpoch(seg.ID) == ep.Epoch})
	}
	return out
}

// watermarkJSON is a stream's watermark.
type watermarkJSON struct {
	Time    jsonTime         `json:"time"`  // null: no writer noted time
	Upper   jsonTime         `json:"upper"` // the greatest time noted
	Cut     *string          `json:"cut"`   // where it holds; null with no watermark
	Made    jsonTime         `json:"made"`
	Writers []writerTimeJSON `json:"writers"`
}

// writerTimeJSON is a writer that notes time.
type writerTimeJSON struct {
	Writer   string   `json:"writer"`
	Time     jsonTime `json:"time"`
	Reported jsonTime `json:"reported"`
	Position string   `json:"position"`
	Active   bool     `json:"active"`
}

func streamDescribeJSONOf(info braid.StreamInfo, wm braid.Watermark) streamDescribeJSON {
	out := streamDescribeJSON{streamJSON: streamJSONOf(info), Segments: []segmentJSON{}, Epochs: []epochJSON{}}
	current := make(map[uint64]braid.SegmentStatus, len(info.Current))
	for _, s := range info.Current {
		current[s.ID] = s
		out.Segments = append(out.Segments, segmentJSON{ID: segmentIDText(s.ID), KeyLow: s.KeyLow, KeyHigh: s.KeyHigh,
			Length: s.Length, StartOffset: s.StartOffset, Sealed: s.Sealed})
	}
	for i, ep := range info.Epochs {
		e := epochJSON{Epoch: ep.Epoch, Created: jsonTime(ep.Created), Current: i == len(info.Epochs)-1, Segments: []epochSegmentJSON{}}
		for _, seg := range ep.Segments {
			st, ok := current[seg.ID]
			e.Segments = append(e.Segments, epochSegmentJSON{ID: segmentIDText(seg.ID), KeyLow: seg.KeyLow, KeyHigh: seg.KeyHigh,
				Sealed: !ok || st.Sealed})
		}
		out.Epochs = append(out.Epochs, e)
	}
	out.Watermark = watermarkJSON{Time: jsonTime(wm.Time), Upper: jsonTime(wm.Upper), Made: jsonTime(wm.Made), Writers: []writerTimeJSON{}}
	if len(wm.Cut.Segments) > 0 {
		cut := wm.Cut.String()
		out.Watermark.Cut = &cut
	}
	for _, w := range wm.Writers {
		out.Watermark.Writers = append(out.Watermark.Writers, writerTimeJSON{Writer: w.Writer, Time: jsonTime(w.Time),
			Reported: jsonTime(w.Reported), Position: w.Position.String(), Active: w.Active})
	}
	return out
}

// groupJSON is one reader group of "braid group list", and what group
// create and reset print.
type groupJSON struct {
	Name          string            `json:"name"` // scope/group
	Scope         string            `json:"scope"`
	Group         string            `json:"group"`
	Streams       []groupStreamJSON `json:"streams"`
	ReaderTimeout string            `json:"reader_timeout"`
	Generation    int64             `json:"generation"`
	ReaderCount   int               `json:"reader_count"`
	LagBytes      int64             `json:"lag_bytes"`
	LagEvents     *int64            `json:"lag_events"` // null before any event was read
	Finished      bool              `json:"finished"`
	Created       jsonTime          `json:"created"`
}

// groupStreamJSON is a stream a group reads: from is head, tail or a
// stream cut; until is none or a stream cut.
type groupStreamJSON struct {
	Stream string `json:"stream"`
	From   string `json:"from"`
	Until  string `json:"until"`
}

func groupJSONOf(g braid.GroupInfo) groupJSON {
	out := groupJSON{Name: g.Scope + "/" + g.Name, Scope: g.Scope, Group: g.Name, Streams: []groupStreamJSON{},
		ReaderTimeout: g.Config.ReaderTimeout.String(), Generation: g.Generation, ReaderCount: len(g.Readers),
		LagBytes: g.LagBytes, Finished: g.Finished, Created: jsonTime(g.Created)}
	if g.LagEvents >= 0 {
		n := g.LagEvents
		out.LagEvents = &n
	}
	for _, s := range g.Config.Streams {
		from, until := groupStreamText(s)
		out.Streams = append(out.Streams, groupStreamJSON{Stream: s.Stream, From: from, Until: until})
	}
	return out
}

// groupDescribeJSON is what "braid group describe" prints: the list's
// fields and the readers, segments, position, time windows and
// checkpoints.
type groupDescribeJSON struct {
	groupJSON
	Readers     []groupReaderJSON     `json:"readers"`  // sorted by id
	Segments    []groupSegmentJSON    `json:"segments"` // the segments being read
	Position    []cutJSON             `json:"position"` // one cut per stream
	TimeWindows []timeWindowJSON      `json:"time_windows"`
	Checkpoints []groupCheckpointJSON `json:"checkpoints"`
}

// groupReaderJSON is a reader of a group.
type groupReaderJSON struct {
	ID       string   `json:"id"`
	Segments []string `json:"segments"`
	LastSeen jsonTime `json:"last_seen"`
}

// groupSegmentJSON is a segment a group reads: reader is null while it
// waits for one; end_offset null without an end cut; lag is the bytes from
// offset to the tail, or to end_offset if that comes first.
type groupSegmentJSON struct {
	Stream    string  `json:"stream"`
	ID        string  `json:"id"`
	KeyLow    float64 `json:"key_low"`
	KeyHigh   float64 `json:"key_high"`
	Reader    *string `json:"reader"`
	Offset    int64   `json:"offset"`
	Tail      int64   `json:"tail"`
	EndOffset *int64  `json:"end_offset"`
	Lag       int64   `json:"lag"`
}

// cutJSON is one stream's cut.
type cutJSON struct {
	Stream string `json:"stream"`
	Cut    string `json:"cut"`
}

// timeWindowJSON is the time window of a group's position in one stream:
// lower is the group's watermark there (null before it passed one), upper
// null near the tail.
type timeWindowJSON struct {
	Stream string   `json:"stream"`
	Lower  jsonTime `json:"lower"`
	Upper  jsonTime `json:"upper"`
}

// groupCheckpointJSON is a checkpoint of a group, and what "braid group
// checkpoint" prints.
type groupCheckpointJSON struct {
	Name    string    `json:"name"`
	Created jsonTime  `json:"created"`
	Cuts    []cutJSON `json:"cuts"`
}

func cutsJSONOf(cuts []braid.StreamCut) []cutJSON {
	out := make([]cutJSON, 0, len(cuts))
	for _, c := range cuts {
		out = append(out, cutJSON{Stream: c.Stream, Cut: c.String()})
	}
	return out
}

func groupCheckpointJSONOf(cp braid.Checkpoint) groupCheckpointJSON {
	return groupCheckpointJSON{Name: cp.Name, Created: jsonTime(cp.Created), Cuts: cutsJSONOf(cp.Cuts)}
}

func groupDescribeJSONOf(g braid.GroupInfo) groupDescribeJSON {
	out := groupDescribeJSON{groupJSON: groupJSONOf(g), Readers: []groupReaderJSON{}, Segments: []groupSegmentJSON{},
		Position: cutsJSONOf(g.Position), TimeWindows: []timeWindowJSON{}, Checkpoints: []groupCheckpointJSON{}}
	readers := slices.Clone(g.Readers)
	slices.SortFunc(readers, func(a, b braid.GroupReaderInfo) int { return strings.Compare(a.ID, b.ID) })
	for _, rd := range readers {
		segs := make([]string, 0, len(rd.Segments))
		for _, id := range rd.Segments {
			segs = append(segs, segmentIDText(id))
		}
		out.Readers = append(out.Readers, groupReaderJSON{ID: rd.ID, Segments: segs, LastSeen: jsonTime(rd.LastSeen)})
	}
	for _, s := range g.Segments {
		seg := groupSegmentJSON{Stream: s.Stream, ID: segmentIDText(s.ID), KeyLow: s.KeyLow, KeyHigh: s.KeyHigh,
			Offset: s.Offset, Tail: s.Tail}
		if s.Reader != "" {
			r := s.Reader
			seg.Reader = &r
		}
		stop := s.Tail
		if s.EndOffset >= 0 {
			end := s.EndOffset
			seg.EndOffset = &end
			stop = min(stop, end)
		}
		seg.Lag = max(stop-s.Offset, 0)
		out.Segments = append(out.Segments, seg)
	}
	for _, stream := range slices.Sorted(maps.Keys(g.TimeWindows)) {
		w := g.TimeWindows[stream]
		out.TimeWindows = append(out.TimeWindows, timeWindowJSON{Stream: stream, Lower: jsonTime(w.Lower), Upper: jsonTime(w.Upper)})
	}
	for _, cp := range g.Checkpoints {
		out.Checkpoints = append(out.Checkpoints, groupCheckpointJSONOf(cp))
	}
	return out
}
