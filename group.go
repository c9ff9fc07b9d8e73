package braid

import (
	"context"
	"fmt"
	"strings"
	"time"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/wire"
)

// GroupStream is one stream a reader group reads.
type GroupStream struct {
	// Stream is "scope/name".
	Stream string
	// Start is where the group starts reading; the zero cut means the
	// stream's head, or its tail with FromTail.
	Start    StreamCut
	FromTail bool
	// End bounds the read: readers get io.EOF once every segment reached
	// it. The zero cut reads on forever (or until the stream is sealed and
	// read to its end).
	End StreamCut
}

// ReaderGroupConfig configures a reader group.
type ReaderGroupConfig struct {
	Streams []GroupStream
	// ReaderTimeout is how long a reader may be silent (its process hung,
	// its network cut) before the server declares it dead and hands its
	// segments to the others from its last committed positions. A reader
	// whose connection closes without leaving is dead at once. 0 means 10
	// seconds.
	ReaderTimeout time.Duration
}

// GroupInfo describes a reader group.
type GroupInfo struct {
	Scope, Name string
	Config      ReaderGroupConfig
	// Generation counts resets.
	Generation int64
	Readers    []GroupReaderInfo
	// Segments are the segments being read, assigned or waiting.
	Segments []GroupSegment
	// Position is the group's stream cut per stream: committed offsets,
	// and finished segments at their end until a successor starts.
	Position []StreamCut
	// LagBytes is the data between the committed positions and the
	// tails, successors included. LagEvents estimates it in events from
	// the mean event size readers saw (exact when events have one size);
	// -1 before any event was read.
	LagBytes, LagEvents int64
	Checkpoints         []Checkpoint
	// Finished is set once a bounded group read everything up to its end
	// cuts (or every stream was sealed and read).
	Finished bool
	Created  time.Time
	// TimeWindows holds, per stream, the time window of the committed
	// position: its Lower is the group's watermark in that stream (zero
	// while the group has passed no watermark).
	TimeWindows map[string]TimeWindow
}

// GroupReaderInfo is one reader of a group.
type GroupReaderInfo struct {
	ID       string
	Segments []uint64
	LastSeen time.Time
}

// GroupSegment is a segment a group is reading.
type GroupSegment struct {
	Stream string
	SegmentRange
	// Offset is the committed position; Tail the segment's length.
	Offset, Tail int64
	// EndOffset is where the group stops in this segment (its end cut),
	// or -1.
	EndOffset int64
	// Reader owns the segment; empty while it waits for one.
	Reader string
}

// Checkpoint is a named position of a reader group: one stream cut per
// stream, taken when every reader passed it.
type Checkpoint struct {
	Name    string
	Cuts    []StreamCut
	Created time.Time
}

// ReaderGroup is a handle on a reader group ("scope/name"); it holds no
// state of its own.
type ReaderGroup struct {
	c     *Client
	name  string
	scope string
	group string
}

// ReaderGroup returns a handle on the reader group named "scope/name".
func (c *Client) ReaderGroup(name string) *ReaderGroup {
	scope, group, _ := strings.Cut(name, "/")
	return &ReaderGroup{c: c, name: name, scope: scope, group: group}
}

// Name returns "scope/name".
func (g *ReaderGroup) Name() string { return g.name }

func (g *ReaderGroup) check() error {
	if err := wire.ValidateScopeName(g.scope); err != nil {
		return newError(wire.CodeInvalidArgument, fmt.Sprintf("reader group %q: want scope/name: %v", g.name, err))
	}
	if err := wire.ValidateStreamName(g.group); err != nil {
		return newError(wire.CodeInvalidArgument, fmt.Sprintf("reader group %q: %v", g.name, err))
	}
	return nil
}

func cutProto(c StreamCut) []*braidv1.SegmentOffset {
	var out []*braidv1.SegmentOffset
	for _, s := range c.Segments {
		out = append(out, &braidv1.SegmentOffset{SegmentId: s.SegmentID, Offset: s.Offset})
	}
	return out
}

func cutFrom(stream string, segs []*braidv1.SegmentOffset) StreamCut {
	c := StreamCut{Stream: stream}
	for _, s := range segs {
		c.Segments = append(c.Segments, wire.SegmentOffset{SegmentID: s.GetSegmentId(), Offset: s.GetOffset()})
	}
	sortBySegment(c.Segments)
	return c
}

func (cfg *ReaderGroupConfig) proto() (*braidv1.GroupConfig, error) {
	if len(cfg.Streams) == 0 {
		return nil, newError(wire.CodeInvalidArgument, "a reader group reads at least one stream")
	}
	if cfg.ReaderTimeout < 0 {
		return nil, newError(wire.CodeInvalidArgument, fmt.Sprintf("negative reader timeout %v", cfg.ReaderTimeout))
	}
	pc := &braidv1.GroupConfig{ReaderTimeoutMs: cfg.ReaderTimeout.Milliseconds()}
	for _, s := range cfg.Streams {
		if _, _, err := splitStream(s.Stream); err != nil {
			return nil, err
		}
		for _, c := range []StreamCut{s.Start, s.End} {
			if len(c.Segments) > 0 && c.Stream != "" && c.Stream != s.Stream {
				return nil, newError(wire.CodeInvalidArgument, fmt.Sprintf("a cut of %s given for stream %s", c.Stream, s.Stream))
			}
		}
		pc.Streams = append(pc.Streams, &braidv1.GroupStream{Stream: s.Stream, Start: cutProto(s.Start), StartAtTail: s.FromTail, End: cutProto(s.End)})
	}
	return pc, nil
}

func groupInfoFrom(p *braidv1.GroupInfo) GroupInfo {
	in := GroupInfo{Scope: p.GetScope(), Name: p.GetGroup(), Generation: p.GetGeneration(),
		LagBytes: p.GetLagBytes(), LagEvents: p.GetLagEvents(), Finished: p.GetFinished(), Created: unixMilli(p.GetCreatedUnixMs())}
	in.Config.ReaderTimeout = time.Duration(p.GetConfig().GetReaderTimeoutMs()) * time.Millisecond
	for _, s := range p.GetConfig().GetStreams() {
		in.Config.Streams = append(in.Config.Streams, GroupStream{Stream: s.GetStream(), Start: cutFrom(s.GetStream(), s.GetStart()), End: cutFrom(s.GetStream(), s.GetEnd())})
	}
	for _, r := range p.GetReaders() {
		in.Readers = append(in.Readers, GroupReaderInfo{ID: r.GetReaderId(), Segments: r.GetSegments(), LastSeen: unixMilli(r.GetLastSeenUnixMs())})
	}
	for _, s := range p.GetSegments() {
		in.Segments = append(in.Segments, GroupSegment{Stream: s.GetStream(), SegmentRange: segmentRange(s.GetRange()),
			Offset: s.GetOffset(), Tail: s.GetTail(), EndOffset: s.GetEndOffset(), Reader: s.GetReader()})
	}
	for _, c := range p.GetPosition() {
		in.Position = append(in.Position, cutFrom(c.GetStream(), c.GetSegments()))
	}
	for _, cp := range p.GetCheckpoints() {
		in.Checkpoints = append(in.Checkpoints, checkpointFrom(cp))
	}
	for _, tw := range p.GetTimeWindows() {
		if in.TimeWindows == nil {
			in.TimeWindows = map[string]TimeWindow{}
		}
		in.TimeWindows[tw.GetStream()] = timeWindowFrom(tw.GetWindow())
	}
	return in
}

func checkpointFrom(cp *braidv1.CheckpointInfo) Checkpoint {
	out := Checkpoint{Name: cp.GetName(), Created: unixMilli(cp.GetCreatedUnixMs())}
	for _, c := range cp.GetCuts() {
		out.Cuts = append(out.Cuts, cutFrom(c.GetStream(), c.GetSegments()))
	}
	return out
}

// Create creates the group. Readers then join with NewReader.
func (g *ReaderGroup) Create(ctx context.Context, cfg ReaderGroupConfig) (GroupInfo, error) {
	if err := g.check(); err != nil {
		return GroupInfo{}, err
	}
	pc, err := cfg.proto()
	if err != nil {
		return GroupInfo{}, err
	}
	resp, err := g.c.groups.CreateGroup(ctx, &braidv1.CreateGroupRequest{Scope: g.scope, Group: g.group, Config: pc})
	if err != nil {
		return GroupInfo{}, fromStatus("create reader group "+g.name, err)
	}
	return groupInfoFrom(resp.GetGroup()), nil
}

// Describe returns the group's state: readers, segments, positions, lag
// and checkpoints.
func (g *ReaderGroup) Describe(ctx context.Context) (GroupInfo, error) {
	if err := g.check(); err != nil {
		return GroupInfo{}, err
	}
	resp, err := g.c.groups.DescribeGroup(ctx, &braidv1.DescribeGroupRequest{Scope: g.scope, Group: g.group})
	if err != nil {
		return GroupInfo{}, fromStatus("describe reader group "+g.name, err)
	}
	return groupInfoFrom(resp.GetGroup()), nil
}

// Delete deletes the group; its readers' Read calls fail with ErrNotFound.
func (g *ReaderGroup) Delete(ctx context.Context) error {
	if err := g.check(); err != nil {
		return err
	}
	_, err := g.c.groups.DeleteGroup(ctx, &braidv1.DeleteGroupRequest{Scope: g.scope, Group: g.group})
	return fromStatus("delete reader group "+g.name, err)
}

// Checkpoint asks every reader of the group to mark its position (each
// reader's Read returns a checkpoint event once everything it returned
// before is processed) and returns the group's cuts once all did. While it
// runs, no segment changes reader. If ctx ends first the checkpoint is
// abandoned.
func (g *ReaderGroup) Checkpoint(ctx context.Context, name string) (Checkpoint, error) {
	if err := g.check(); err != nil {
		return Checkpoint{}, err
	}
	resp, err := g.c.groups.Checkpoint(ctx, &braidv1.CheckpointRequest{Scope: g.scope, Group: g.group, Name: name})
	if err != nil {
		return Checkpoint{}, fromStatus("checkpoint "+name+" of "+g.name, err)
	}
	return checkpointFrom(resp.GetCheckpoint()), nil
}

// ResetToCheckpoint moves the group back (or forward) to a completed
// checkpoint. Every reader drops its segments and gets new ones.
func (g *ReaderGroup) ResetToCheckpoint(ctx context.Context, checkpoint string) (GroupInfo, error) {
	return g.reset(ctx, &braidv1.ResetGroupRequest{Scope: g.scope, Group: g.group, Checkpoint: checkpoint})
}

// Reset gives the group a new configuration (streams and cuts). Every
// reader drops its segments and gets new ones.
func (g *ReaderGroup) Reset(ctx context.Context, cfg ReaderGroupConfig) (GroupInfo, error) {
	pc, err := cfg.proto()
	if err != nil {
		return GroupInfo{}, err
	}
	return g.reset(ctx, &braidv1.ResetGroupRequest{Scope: g.scope, Group: g.group, Config: pc})
}

func (g *ReaderGroup) reset(ctx context.Context, req *braidv1.ResetGroupRequest) (GroupInfo, error) {
	if err := g.check(); err != nil {
		return GroupInfo{}, err
	}
	resp, err := g.c.groups.ResetGroup(ctx, req)
	if err != nil {
		return GroupInfo{}, fromStatus("reset reader group "+g.name, err)
	}
	return groupInfoFrom(resp.GetGroup()), nil
}

// ListReaderGroups describes the reader groups of a scope.
func (c *Client) ListReaderGroups(ctx context.Context, scope string) ([]GroupInfo, error) {
	if err := validateScope(scope); err != nil {
		return nil, err
	}
	resp, err := c.groups.ListGroups(ctx, &braidv1.ListGroupsRequest{Scope: scope})
	if err != nil {
		return nil, fromStatus("list reader groups of "+scope, err)
	}
	var out []GroupInfo
	for _, g := range resp.GetGroups() {
		out = append(out, groupInfoFrom(g))
	}
	return out, nil
}
