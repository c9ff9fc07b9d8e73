package e2e

// Raw clients of the Append rpc (append protocol 2, see braid.proto): what
// a client of protocol 1 is told, and one session carrying many writers.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/braidstream/braid"
	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/internal/clienttest"
	"github.com/braidstream/braid/wire"
)

// TestAppendProtocol1Refused: a client of append protocol 1 (its first
// message an AppendSetup, or an AppendBatch outside AppendBatches) gets
// UNIMPLEMENTED with braid code PROTOCOL_VERSION, in a message naming both
// versions, and nothing it sent is stored.
func TestAppendProtocol1Refused(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	createStream(t, c, "p1/s", 1)

	t.Run("setup", func(t *testing.T) {
		ctx := testCtx(t, 10*time.Second)
		sess := apStart(ctx, t, ts.GRPCAddr())
		// The server may end the call before this Send: its error is then
		// io.EOF, and Recv says why.
		_ = sess.Send(&braidv1.AppendRequest{Kind: &braidv1.AppendRequest_Setup{Setup: &braidv1.AppendSetup{
			Scope: "p1", Stream: "s", WriterId: "old"}}})
		apWantProtocol1(t, apRecvErr(t, sess))
	})

	t.Run("batch after open", func(t *testing.T) {
		ctx := testCtx(t, 10*time.Second)
		s := apNewSession(ctx, t, ts.GRPCAddr())
		s.open(1, "p1", "s", "mixed")
		seg := s.opened(1).GetSegments()[0].GetSegmentId()
		_ = s.sess.Send(&braidv1.AppendRequest{Kind: &braidv1.AppendRequest_Batch{Batch: &braidv1.AppendBatch{
			Writer: 1, BatchId: 1, SegmentId: seg, FirstEventNumber: 1, EventCount: 1,
			Events: wire.AppendFrame(nil, []byte("protocol 1 batch"))}}})
		apWantProtocol1(t, s.recvErr())
		if evs := readAll(t, c, "p1/s", braid.UntilTail()); len(evs) != 0 {
			t.Fatalf("p1/s holds %d events after a refused protocol-1 batch, want none", len(evs))
		}
	})
}

// apWantProtocol1 checks that err is the refusal of a protocol-1 client.
func apWantProtocol1(t *testing.T, err error) {
	t.Helper()
	if status.Code(err) != codes.Unimplemented {
		t.Fatalf("a protocol-1 message ended the call with %v; want UNIMPLEMENTED", err)
	}
	if info := apErrorInfo(err); info == nil || info.GetReason() != string(wire.CodeProtocolVersion) {
		t.Fatalf("the refusal %v has ErrorInfo %v; want reason %s, domain %s", err, info, wire.CodeProtocolVersion, wire.ErrorDomain)
	}
	msg := status.Convert(err).Message()
	for _, want := range []string{"protocol 1", "protocol 2"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the refusal's message %q does not name %q", msg, want)
		}
	}
}

// TestAppendSessionManyWriters: one session carries writers on different
// streams; one AppendBatches message holds batches of all of them for
// several segments, each answered by exactly one ack naming its writer,
// batch and segment, and the events are stored where the acks say. A
// writer whose open fails, a handle never opened or closed, and a handle
// opened twice are answered as the protocol says.
func TestAppendSessionManyWriters(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	createStream(t, c, "many/a", 3)
	createStream(t, c, "many/b", 2)

	t.Run("batches of three writers", func(t *testing.T) {
		ctx := testCtx(t, 20*time.Second)
		s := apNewSession(ctx, t, ts.GRPCAddr())
		streams := map[uint32]string{1: "many/a", 2: "many/b", 3: "many/a"}
		for h := uint32(1); h <= 3; h++ {
			scope, name, _ := strings.Cut(streams[h], "/")
			s.open(h, scope, name, fmt.Sprintf("writer-%d", h))
		}
		segs := map[uint32][]uint64{}
		for h := uint32(1); h <= 3; h++ {
			o := s.opened(h)
			if o.GetMaxInflightBatches() < 2 {
				t.Fatalf("writer %d opened with max_inflight_batches %d; want at least 2", h, o.GetMaxInflightBatches())
			}
			info, err := c.GetStream(ctx, streams[h])
			if err != nil {
				t.Fatal(err)
			}
			if len(o.GetSegments()) != len(info.Current) {
				t.Fatalf("writer %d on %s opened with %d segments; the stream has %d", h, streams[h], len(o.GetSegments()), len(info.Current))
			}
			for _, sr := range o.GetSegments() {
				segs[h] = append(segs[h], sr.GetSegmentId())
			}
		}

		// Two batches of two events per writer and segment, interleaved
		// across writers, in one message.
		type sent struct {
			b      *braidv1.AppendBatch
			events []string
		}
		want := map[apKey]sent{}
		var batches []*braidv1.AppendBatch
		nextID := map[uint32]uint64{}
		for round := range 2 {
			for h := uint32(1); h <= 3; h++ {
				for _, seg := range segs[h] {
					nextID[h]++
					events := []string{
						fmt.Sprintf("w%d-s%016x-r%d-e0", h, seg, round),
						fmt.Sprintf("w%d-s%016x-r%d-e1", h, seg, round),
					}
					b := apBatch(h, nextID[h], seg, int64(1+2*round), events...)
					batches = append(batches, b)
					want[apKey{h, b.GetBatchId()}] = sent{b, events}
				}
			}
		}
		s.send(batches...)
		s.closeSend()

		ptrs := map[string]braid.EventPointer{} // payload -> where its ack says it is
		for k, w := range want {
			a := s.ack(k.writer, k.batch)
			if a.GetError() != nil {
				t.Fatalf("batch %d of writer %d: error ack %v", k.batch, k.writer, a.GetError())
			}
			if a.GetSegmentId() != w.b.GetSegmentId() || a.GetOffset() < 0 || a.GetLength() != int64(len(w.b.GetEvents())) || a.GetDuplicate() {
				t.Fatalf("batch %d of writer %d (segment %016x, %d bytes) acknowledged %v", k.batch, k.writer, w.b.GetSegmentId(), len(w.b.GetEvents()), a)
			}
			off := a.GetOffset()
			for _, e := range w.events {
				ptrs[e] = braid.EventPointer{Stream: streams[k.writer], SegmentID: a.GetSegmentId(), Offset: off, Length: int32(wire.FrameSize(len(e)))}
				off += int64(wire.FrameSize(len(e)))
			}
		}
		// The session ends once every batch is answered, with no ack more.
		s.wantEnd()

		for e, p := range ptrs {
			data, err := c.Fetch(ctx, p)
			if err != nil || string(data) != e {
				t.Fatalf("fetch of %s (the ack's place of %q): %q, %v", p.Qualified(), e, data, err)
			}
		}
		for _, stream := range []string{"many/a", "many/b"} {
			evs := readAll(t, c, stream, braid.UntilTail())
			n := 0
			for _, ev := range evs {
				p, ok := ptrs[string(ev.Data)]
				if !ok || p.Stream != stream {
					t.Fatalf("%s holds %q, which was not sent to it", stream, ev.Data)
				}
				if ev.Pointer.SegmentID != p.SegmentID || ev.Pointer.Offset != p.Offset {
					t.Fatalf("%s holds %q at %s; its ack said %s", stream, ev.Data, ev.Pointer, p)
				}
				n++
			}
			wantN := 0
			for _, p := range ptrs {
				if p.Stream == stream {
					wantN++
				}
			}
			if n != wantN {
				t.Fatalf("%s holds %d events, want the %d sent", stream, n, wantN)
			}
		}
	})

	t.Run("writer errors", func(t *testing.T) {
		ctx := testCtx(t, 20*time.Second)
		s := apNewSession(ctx, t, ts.GRPCAddr())
		s.open(1, "many", "b", "errors-1")
		s.open(2, "many", "missing", "errors-2")
		seg := s.opened(1).GetSegments()[0].GetSegmentId()
		if e := s.opened(2).GetError(); e.GetCode() != string(wire.CodeNotFound) {
			t.Fatalf("the open of a missing stream was answered with error %v; want %s", e, wire.CodeNotFound)
		}
		// The session goes on for writer 1; writer 2's handle is not open,
		// nor is 9, which was never opened.
		s.send(apBatch(1, 1, seg, 1, "kept"), apBatch(2, 1, seg, 1, "no stream"), apBatch(9, 1, seg, 1, "no writer"))
		if a := s.ack(1, 1); a.GetError() != nil || a.GetOffset() < 0 {
			t.Fatalf("writer 1's batch beside a failed open: %v", a)
		}
		for _, h := range []uint32{2, 9} {
			if a := s.ack(h, 1); a.GetError().GetCode() != string(wire.CodeInvalidArgument) || a.GetOffset() != -1 {
				t.Fatalf("the batch of handle %d, not open: %v; want an error ack %s", h, a, wire.CodeInvalidArgument)
			}
		}

		// A closed handle takes no batch, and may be opened again.
		s.close(1)
		s.send(apBatch(1, 2, seg, 2, "after close"))
		if a := s.ack(1, 2); a.GetError().GetCode() != string(wire.CodeInvalidArgument) {
			t.Fatalf("the batch of a closed handle: %v; want an error ack %s", a, wire.CodeInvalidArgument)
		}
		s.open(1, "many", "b", "errors-1")
		if e := s.opened(1).GetError(); e != nil {
			t.Fatalf("reopening closed handle 1: %v", e)
		}
		s.send(apBatch(1, 3, seg, 2, "reopened"))
		if a := s.ack(1, 3); a.GetError() != nil || a.GetOffset() < 0 {
			t.Fatalf("the batch of a reopened handle: %v", a)
		}

		// Opening a handle that is open fails the call.
		s.open(1, "many", "a", "errors-3")
		err := s.recvErr()
		if status.Code(err) != codes.InvalidArgument {
			t.Fatalf("opening open handle 1 again ended the call with %v; want INVALID_ARGUMENT", err)
		}
		if info := apErrorInfo(err); info.GetReason() != string(wire.CodeInvalidArgument) {
			t.Fatalf("opening open handle 1 again: %v with ErrorInfo %v; want reason %s", err, info, wire.CodeInvalidArgument)
		}

		var got []string
		for _, ev := range readAll(t, c, "many/b", braid.UntilTail()) {
			if p := string(ev.Data); p == "kept" || p == "reopened" || p == "no stream" || p == "no writer" || p == "after close" {
				got = append(got, p)
			}
		}
		if len(got) != 2 || got[0] != "kept" || got[1] != "reopened" {
			t.Fatalf("many/b holds %q of this session's events; want only [kept reopened]", got)
		}
	})

	t.Run("writer limit", func(t *testing.T) {
		ctx := testCtx(t, 20*time.Second)
		s := apNewSession(ctx, t, ts.GRPCAddr())
		const limit = 1024
		for h := uint32(1); h <= limit+1; h++ {
			s.open(h, "many", "a", fmt.Sprintf("limit-%d", h))
		}
		for h := uint32(1); h <= limit; h++ {
			if e := s.opened(h).GetError(); e != nil {
				t.Fatalf("open %d of %d: %v", h, limit, e)
			}
		}
		if e := s.opened(limit + 1).GetError(); e.GetCode() != string(wire.CodeInvalidArgument) {
			t.Fatalf("open %d, past the %d writers of a session: error %v; want %s", limit+1, limit, e, wire.CodeInvalidArgument)
		}
		s.closeSend()
		s.wantEnd()
	})
}

// apKey names a batch: its writer's handle and its batch id.
type apKey struct {
	writer uint32
	batch  uint64
}

// apSession is a raw append session that keeps the answers it received
// until the test asks for them, and fails the test on a second ack of a
// batch. Every Recv is bounded by the session's context.
type apSession struct {
	t      *testing.T
	sess   braidv1.DataService_AppendClient
	opens  map[uint32][]*braidv1.AppendOpened // by handle, in order received
	acks   map[apKey]*braidv1.AppendAck       // received, not yet taken
	seen   map[apKey]bool                     // every batch acknowledged
	failed error                              // the call's end
}

func apStart(ctx context.Context, t *testing.T, addr string) braidv1.DataService_AppendClient {
	t.Helper()
	sess, err := braidv1.NewDataServiceClient(clienttest.RawConn(t, addr)).Append(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return sess
}

func apNewSession(ctx context.Context, t *testing.T, addr string) *apSession {
	t.Helper()
	return &apSession{t: t, sess: apStart(ctx, t, addr),
		opens: map[uint32][]*braidv1.AppendOpened{}, acks: map[apKey]*braidv1.AppendAck{}, seen: map[apKey]bool{}}
}

func (s *apSession) sendReq(req *braidv1.AppendRequest) {
	s.t.Helper()
	if err := s.sess.Send(req); err != nil {
		s.t.Fatalf("Send: %v (the call ended with %v)", err, apRecvErr(s.t, s.sess))
	}
}

func (s *apSession) open(h uint32, scope, stream, writerID string) {
	s.t.Helper()
	s.sendReq(&braidv1.AppendRequest{Kind: &braidv1.AppendRequest_Open{Open: &braidv1.AppendOpen{
		Writer: h, Scope: scope, Stream: stream, WriterId: writerID}}})
}

func (s *apSession) close(h uint32) {
	s.t.Helper()
	s.sendReq(&braidv1.AppendRequest{Kind: &braidv1.AppendRequest_Close{Close: &braidv1.AppendClose{Writer: h}}})
}

// send sends the batches in one AppendBatches message.
func (s *apSession) send(bs ...*braidv1.AppendBatch) {
	s.t.Helper()
	s.sendReq(&braidv1.AppendRequest{Kind: &braidv1.AppendRequest_Batches{Batches: &braidv1.AppendBatches{Batches: bs}}})
}

func (s *apSession) closeSend() {
	s.t.Helper()
	if err := s.sess.CloseSend(); err != nil {
		s.t.Fatal(err)
	}
}

// recv receives one message and files its answers; it returns false once
// the call has ended (s.failed: io.EOF or its error).
func (s *apSession) recv() bool {
	s.t.Helper()
	if s.failed != nil {
		return false
	}
	resp, err := s.sess.Recv()
	if err != nil {
		s.failed = err
		return false
	}
	switch k := resp.GetKind().(type) {
	case *braidv1.AppendResponse_Opened:
		h := k.Opened.GetWriter()
		s.opens[h] = append(s.opens[h], k.Opened)
	case *braidv1.AppendResponse_Acks:
		if len(k.Acks.GetAcks()) == 0 {
			s.t.Fatalf("an AppendAcks without acks: %v", resp)
		}
		for _, a := range k.Acks.GetAcks() {
			key := apKey{a.GetWriter(), a.GetBatchId()}
			if s.seen[key] {
				s.t.Fatalf("a second ack of batch %d of writer %d: %v", key.batch, key.writer, a)
			}
			s.seen[key] = true
			s.acks[key] = a
		}
	default:
		s.t.Fatalf("an answer of protocol 2 is AppendOpened or AppendAcks; got %v", resp)
	}
	return true
}

// opened returns the next answer to an open of handle h.
func (s *apSession) opened(h uint32) *braidv1.AppendOpened {
	s.t.Helper()
	for len(s.opens[h]) == 0 {
		if !s.recv() {
			s.t.Fatalf("the call ended (%v) before the open of handle %d was answered", s.failed, h)
		}
	}
	o := s.opens[h][0]
	s.opens[h] = s.opens[h][1:]
	return o
}

// ack returns the ack of batch id of writer h.
func (s *apSession) ack(h uint32, id uint64) *braidv1.AppendAck {
	s.t.Helper()
	key := apKey{h, id}
	for s.acks[key] == nil {
		if !s.recv() {
			s.t.Fatalf("the call ended (%v) before batch %d of writer %d was acknowledged", s.failed, id, h)
		}
	}
	a := s.acks[key]
	delete(s.acks, key)
	return a
}

// recvErr receives until the call ends and returns why (nil for io.EOF).
func (s *apSession) recvErr() error {
	s.t.Helper()
	for s.recv() {
	}
	if errors.Is(s.failed, io.EOF) {
		return nil
	}
	return s.failed
}

// wantEnd checks that the call ends cleanly with every answer taken.
func (s *apSession) wantEnd() {
	s.t.Helper()
	if err := s.recvErr(); err != nil {
		s.t.Fatalf("the session ended with %v; want its end after the half-close", err)
	}
	if len(s.acks) != 0 {
		s.t.Fatalf("%d acks of batches not sent: %v", len(s.acks), s.acks)
	}
	for h, o := range s.opens {
		if len(o) != 0 {
			s.t.Fatalf("answers to opens of handle %d not made: %v", h, o)
		}
	}
}

// apRecvErr receives from sess until the call ends and returns why (nil
// for a clean end).
func apRecvErr(t *testing.T, sess braidv1.DataService_AppendClient) error {
	t.Helper()
	for {
		_, err := sess.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// apBatch is a batch of writer h of the framed events, numbered from first.
func apBatch(h uint32, id, seg uint64, first int64, events ...string) *braidv1.AppendBatch {
	var frames []byte
	for _, e := range events {
		frames = wire.AppendFrame(frames, []byte(e))
	}
	return &braidv1.AppendBatch{Writer: h, BatchId: id, SegmentId: seg, FirstEventNumber: first,
		EventCount: uint32(len(events)), Events: frames}
}

// apErrorInfo returns the braid ErrorInfo of a gRPC error, nil if none.
func apErrorInfo(err error) *errdetails.ErrorInfo {
	for _, d := range status.Convert(err).Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok && info.GetDomain() == wire.ErrorDomain {
			return info
		}
	}
	return nil
}

// TestAppendKeyPointsChecked: a batch that carries its events' key points
// is stored when every point lies in its segment's range, and refused with
// INVALID_ARGUMENT, naming the event, when one does not (a client that
// routes with a wrong hash) or when the count is off; an event without a
// key (2^53) is not checked.
func TestAppendKeyPointsChecked(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	createStream(t, c, "kp/s", 2)
	ctx := testCtx(t, 20*time.Second)
	s := apNewSession(ctx, t, ts.GRPCAddr())
	s.open(1, "kp", "s", "kp-writer")
	o := s.opened(1)
	if len(o.GetSegments()) != 2 {
		t.Fatalf("opened with %d segments, want 2", len(o.GetSegments()))
	}
	// Keys that route to each segment, by braid's hash.
	byPoint := func(key string) uint64 { return uint64(wire.KeyPoint(key) * (1 << 53)) }
	seg := func(key string) *braidv1.SegmentRange {
		p := wire.KeyPoint(key)
		for _, sr := range o.GetSegments() {
			if p >= sr.GetKeyLow() && p < sr.GetKeyHigh() {
				return sr
			}
		}
		t.Fatalf("no segment holds %q", key)
		return nil
	}
	var a, b string // keys of different segments
	for i := 0; b == ""; i++ {
		k := fmt.Sprintf("key-%d", i)
		switch {
		case a == "":
			a = k
		case seg(k).GetSegmentId() != seg(a).GetSegmentId():
			b = k
		}
	}
	segA := seg(a).GetSegmentId()

	good := apBatch(1, 1, segA, 1, "x", "y", "z")
	good.KeyPoints = []uint64{byPoint(a), 1 << 53, byPoint(a)}
	wrong := apBatch(1, 2, segA, 4, "p", "q")
	wrong.KeyPoints = []uint64{byPoint(a), byPoint(b)}
	short := apBatch(1, 3, segA, 4, "p", "q")
	short.KeyPoints = []uint64{byPoint(a)}
	s.send(good, wrong, short)
	if ack := s.ack(1, 1); ack.GetError() != nil || ack.GetOffset() < 0 {
		t.Fatalf("batch with right key points: %v", ack)
	}
	ack := s.ack(1, 2)
	if e := ack.GetError(); e.GetCode() != string(wire.CodeInvalidArgument) || !strings.Contains(e.GetMessage(), "event 1") || !strings.Contains(e.GetMessage(), "outside segment") {
		t.Fatalf("batch with a key point of another segment: %v; want INVALID_ARGUMENT naming event 1", ack)
	}
	if e := s.ack(1, 3).GetError(); e.GetCode() != string(wire.CodeInvalidArgument) || !strings.Contains(e.GetMessage(), "1 key points for 2 events") {
		t.Fatalf("batch with too few key points: %v", e)
	}
	s.closeSend()
	s.wantEnd()
	if evs := readAll(t, c, "kp/s", braid.UntilTail()); len(evs) != 3 {
		t.Fatalf("read %d events, want the 3 of the good batch", len(evs))
	}
}
