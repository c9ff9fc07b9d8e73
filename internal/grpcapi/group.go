package grpcapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/internal/group"
)

// GroupService implements braidv1.GroupServiceServer.
type GroupService struct {
	braidv1.UnimplementedGroupServiceServer
	groups *group.Manager
	times  TimeTracker // nil: no time windows in DescribeGroup
}

var _ braidv1.GroupServiceServer = (*GroupService)(nil)

// NewGroupService returns the reader group service.
func NewGroupService(m *group.Manager, times TimeTracker) *GroupService {
	return &GroupService{groups: m, times: times}
}

// cutMap turns a cut's segment offsets into a map; a segment named twice is
// refused. An empty cut is nil.
func cutMap(segs []*braidv1.SegmentOffset) (map[uint64]int64, error) {
	if len(segs) == 0 {
		return nil, nil
	}
	out := make(map[uint64]int64, len(segs))
	for _, s := range segs {
		if _, dup := out[s.GetSegmentId()]; dup {
			return nil, invalidArg("the cut names segment %016x twice", s.GetSegmentId())
		}
		out[s.GetSegmentId()] = s.GetOffset()
	}
	return out, nil
}

func segmentOffsets(cut map[uint64]int64) []*braidv1.SegmentOffset {
	out := make([]*braidv1.SegmentOffset, 0, len(cut))
	for _, id := range slices.Sorted(maps.Keys(cut)) {
		out = append(out, &braidv1.SegmentOffset{SegmentId: id, Offset: cut[id]})
	}
	return out
}

func groupConfig(pc *braidv1.GroupConfig) (group.Config, []bool, error) {
	cfg := group.Config{ReaderTimeout: time.Duration(pc.GetReaderTimeoutMs()) * time.Millisecond}
	if ms := pc.GetReaderTimeoutMs(); ms < 0 || ms > int64(time.Hour/time.Millisecond) {
		return cfg, nil, invalidArg("reader timeout %d ms out of range", ms)
	}
	var atTail []bool
	for _, s := range pc.GetStreams() {
		if len(s.GetStart()) > 0 && s.GetStartAtTail() {
			return cfg, nil, invalidArg("stream %s: a start cut and start_at_tail exclude each other", s.GetStream())
		}
		start, err := cutMap(s.GetStart())
		if err != nil {
			return cfg, nil, fmt.Errorf("start cut of %s: %w", s.GetStream(), err)
		}
		end, err := cutMap(s.GetEnd())
		if err != nil {
			return cfg, nil, fmt.Errorf("end cut of %s: %w", s.GetStream(), err)
		}
		cfg.Streams = append(cfg.Streams, group.StreamSpec{Stream: s.GetStream(), Start: start, End: end})
		atTail = append(atTail, s.GetStartAtTail())
	}
	return cfg, atTail, nil
}

func groupConfigProto(cfg group.Config) *braidv1.GroupConfig {
	pc := &braidv1.GroupConfig{ReaderTimeoutMs: cfg.ReaderTimeout.Milliseconds()}
	for _, s := range cfg.Streams {
		pc.Streams = append(pc.Streams, &braidv1.GroupStream{Stream: s.Stream, Start: segmentOffsets(s.Start), End: segmentOffsets(s.End)})
	}
	return pc
}

func cutsProto(cuts map[string]map[uint64]int64) []*braidv1.StreamCutOf {
	var out []*braidv1.StreamCutOf
	for _, stream := range slices.Sorted(maps.Keys(cuts)) {
		out = append(out, &braidv1.StreamCutOf{Stream: stream, Segments: segmentOffsets(cuts[stream])})
	}
	return out
}

func checkpointProto(cp group.Checkpoint) *braidv1.CheckpointInfo {
	return &braidv1.CheckpointInfo{Name: cp.Name, Cuts: cutsProto(cp.Cuts), CreatedUnixMs: cp.Created.UnixMilli()}
}

func groupInfo(in *group.Info) *braidv1.GroupInfo {
	out := &braidv1.GroupInfo{
		Scope: in.Scope, Group: in.Name, Config: groupConfigProto(in.Config), Generation: in.Generation,
		Position: cutsProto(in.Position), LagBytes: in.LagBytes, LagEvents: in.LagEvents,
		Finished: in.Finished, CreatedUnixMs: in.Created.UnixMilli(),
	}
	for _, r := range in.Readers {
		out.Readers = append(out.Readers, &braidv1.GroupReader{ReaderId: r.ID, Segments: r.Segments, LastSeenUnixMs: r.LastSeen.UnixMilli()})
	}
	for _, s := range in.Segments {
		out.Segments = append(out.Segments, &braidv1.GroupSegment{Stream: s.Stream,
			Range:  &braidv1.SegmentRange{SegmentId: s.ID, KeyLow: s.Low, KeyHigh: s.High},
			Offset: s.Offset, EndOffset: s.End, Tail: s.Tail, Reader: s.Reader})
	}
	for _, cp := range in.Checkpoints {
		out.Checkpoints = append(out.Checkpoints, checkpointProto(cp))
	}
	return out
}

// CreateGroup implements braidv1.GroupServiceServer.
func (s *GroupService) CreateGroup(ctx context.Context, req *braidv1.CreateGroupRequest) (*braidv1.CreateGroupResponse, error) {
	cfg, atTail, err := groupConfig(req.GetConfig())
	if err != nil {
		return nil, toStatus(err)
	}
	in, err := s.groups.Create(ctx, req.GetScope(), req.GetGroup(), cfg, atTail)
	if err != nil {
		return nil, toStatus(err)
	}
	return &braidv1.CreateGroupResponse{Group: groupInfo(in)}, nil
}

// ListGroups implements braidv1.GroupServiceServer.
func (s *GroupService) ListGroups(ctx context.Context, req *braidv1.ListGroupsRequest) (*braidv1.ListGroupsResponse, error) {
	ins, err := s.groups.List(ctx, req.GetScope())
	if err != nil {
		return nil, toStatus(err)
	}
	resp := &braidv1.ListGroupsResponse{}
	for _, in := range ins {
		resp.Groups = append(resp.Groups, groupInfo(in))
	}
	return resp, nil
}

// DescribeGroup implements braidv1.GroupServiceServer.
func (s *GroupService) DescribeGroup(ctx context.Context, req *braidv1.DescribeGroupRequest) (*braidv1.DescribeGroupResponse, error) {
	in, err := s.groups.Describe(ctx, req.GetScope(), req.GetGroup())
	if err != nil {
		return nil, toStatus(err)
	}
	out := groupInfo(in)
	if s.times != nil {
		for _, stream := range slices.Sorted(maps.Keys(in.Position)) {
			scope, name, ok := strings.Cut(stream, "/")
			if !ok {
				continue
			}
			w, err := s.times.Window(ctx, scope, name, in.Position[stream])
			if err != nil {
				continue // the stream went away meanwhile
			}
			out.TimeWindows = append(out.TimeWindows, &braidv1.StreamTimeWindow{Stream: stream, Window: WindowProto(w)})
		}
	}
	return &braidv1.DescribeGroupResponse{Group: out}, nil
}

// ResetGroup implements braidv1.GroupServiceServer.
func (s *GroupService) ResetGroup(ctx context.Context, req *braidv1.ResetGroupRequest) (*braidv1.ResetGroupResponse, error) {
	var cfg *group.Config
	var atTail []bool
	if req.GetCheckpoint() == "" && req.GetConfig() != nil {
		c, t, err := groupConfig(req.GetConfig())
		if err != nil {
			return nil, toStatus(err)
		}
		cfg, atTail = &c, t
	}
	in, err := s.groups.Reset(ctx, req.GetScope(), req.GetGroup(), req.GetCheckpoint(), cfg, atTail)
	if err != nil {
		return nil, toStatus(err)
	}
	return &braidv1.ResetGroupResponse{Group: groupInfo(in)}, nil
}

// DeleteGroup implements braidv1.GroupServiceServer.
func (s *GroupService) DeleteGroup(ctx context.Context, req *braidv1.DeleteGroupRequest) (*braidv1.DeleteGroupResponse, error) {
	if err := s.groups.Delete(ctx, req.GetScope(), req.GetGroup()); err != nil {
		return nil, toStatus(err)
	}
	return &braidv1.DeleteGroupResponse{}, nil
}

// Checkpoint implements braidv1.GroupServiceServer.
func (s *GroupService) Checkpoint(ctx context.Context, req *braidv1.CheckpointRequest) (*braidv1.CheckpointResponse, error) {
	cp, err := s.groups.Checkpoint(ctx, req.GetScope(), req.GetGroup(), req.GetName())
	if err != nil {
		return nil, toStatus(err)
	}
	return &braidv1.CheckpointResponse{Checkpoint: checkpointProto(*cp)}, nil
}

func positions(ps []*braidv1.SegmentPosition) []group.Pos {
	out := make([]group.Pos, 0, len(ps))
	for _, p := range ps {
		out = append(out, group.Pos{Stream: p.GetStream(), ID: p.GetSegmentId(), Offset: p.GetOffset()})
	}
	return out
}

func assignmentProto(a *group.Assignment) *braidv1.ReaderAssignment {
	out := &braidv1.ReaderAssignment{Generation: a.Generation, Checkpoint: a.Checkpoint, Reset_: a.Reset, Finished: a.Finished}
	for _, q := range a.Acquire {
		out.Acquire = append(out.Acquire, &braidv1.SegmentAssignment{Stream: q.Stream,
			Range: &braidv1.SegmentRange{SegmentId: q.ID, KeyLow: q.Low, KeyHigh: q.High}, Offset: q.Offset, EndOffset: q.End})
	}
	for _, r := range a.Release {
		out.Release = append(out.Release, &braidv1.SegmentPosition{Stream: r.Stream, SegmentId: r.ID, Offset: r.Offset})
	}
	return out
}

// ReaderSession implements braidv1.GroupServiceServer.
func (s *GroupService) ReaderSession(stream braidv1.GroupService_ReaderSessionServer) error {
	ctx := stream.Context()
	first, err := stream.Recv()
	if err != nil {
		return err
	}
	join := first.GetJoin()
	if join == nil {
		return toStatus(invalidArg("the first message of a reader session must be a join"))
	}
	sess, err := s.groups.Join(ctx, join.GetScope(), join.GetGroup(), join.GetReaderId())
	if err != nil {
		return toStatus(err)
	}
	left := false
	defer func() {
		if !left {
			sess.Drop(context.WithoutCancel(ctx))
		}
	}()
	err = stream.Send(&braidv1.ReaderSessionResponse{Kind: &braidv1.ReaderSessionResponse_Joined{Joined: &braidv1.ReaderJoined{
		HeartbeatIntervalMs: sess.HeartbeatInterval().Milliseconds(), Generation: sess.Generation()}}})
	if err != nil {
		return err
	}
	// The sender forwards assignments until the session is removed (the
	// reader declared dead, replaced, or the group deleted), which ends
	// the call. Requests are read by a goroutine of their own, which the
	// end of the call stops (gRPC cancels the stream).
	// Both the sender and the loop below (answering syncs) send: sendMu
	// keeps their sends apart, as gRPC asks.
	var sendMu sync.Mutex
	send := func(m *braidv1.ReaderSessionResponse) error {
		sendMu.Lock()
		defer sendMu.Unlock()
		return stream.Send(m)
	}
	sendCtx, stopSend := context.WithCancel(ctx)
	sendDone := make(chan error, 1)
	go func() {
		for {
			as, err := sess.Next(sendCtx)
			if err != nil {
				sendDone <- err
				return
			}
			for _, a := range as {
				if err := send(&braidv1.ReaderSessionResponse{Kind: &braidv1.ReaderSessionResponse_Assignment{Assignment: assignmentProto(a)}}); err != nil {
					sendDone <- err
					return
				}
			}
		}
	}()
	defer func() {
		stopSend()
		<-sendDone
	}()
	reqs := make(chan *braidv1.ReaderSessionRequest)
	recvErr := make(chan error, 1)
	go func() {
		for {
			req, err := stream.Recv()
			if err != nil {
				recvErr <- err
				return
			}
			select {
			case reqs <- req:
			case <-sendCtx.Done():
				return
			}
		}
	}()
	for {
		var req *braidv1.ReaderSessionRequest
		select {
		case req = <-reqs:
		case err := <-recvErr:
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		case err := <-sendDone:
			sendDone <- err
			if errors.Is(err, group.ErrNotMember) || errors.Is(err, group.ErrGroupNotFound) {
				return toStatus(err)
			}
			return err
		}
		switch k := req.GetKind().(type) {
		case *braidv1.ReaderSessionRequest_Update:
			u := k.Update
			err := sess.Update(ctx, group.Update{Generation: u.GetGeneration(), Commit: positions(u.GetCommit()),
				Finished: positions(u.GetFinished()), Released: positions(u.GetReleased()), Checkpoint: u.GetCheckpoint(),
				Events: u.GetEvents(), Bytes: u.GetBytes()})
			if err != nil {
				// A refused position (group.ErrBadPosition) ends the
				// session: the reader's segments go on from the positions
				// stored before, with the next owner.
				return toStatus(err)
			}
			if n := u.GetSync(); n > 0 {
				if err := send(&braidv1.ReaderSessionResponse{Kind: &braidv1.ReaderSessionResponse_Committed{Committed: &braidv1.ReaderCommitted{Sync: n}}}); err != nil {
					return err
				}
			}
		case *braidv1.ReaderSessionRequest_Leave:
			// A refused position still removes the reader (at the
			// positions stored before); the status says what was refused.
			err := sess.Leave(ctx, k.Leave.GetGeneration(), positions(k.Leave.GetPositions()))
			left = true
			return toStatus(err)
		default:
			return toStatus(invalidArg("unexpected message in a reader session: only updates and leave follow the join"))
		}
	}
}
