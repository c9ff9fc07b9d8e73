package e2e

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/braidstream/braid"
	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/wire"
)

// rawReader is a reader group session spoken by hand, as a hostile or
// buggy client would.
type rawReader struct {
	t    *testing.T
	sess braidv1.GroupService_ReaderSessionClient
	gen  int64
}

// joinRaw joins group scope/name as reader id and waits until the server
// hands the reader a segment, which it returns.
func joinRaw(t *testing.T, ctx context.Context, addr, scope, name, id string) (*rawReader, *braidv1.SegmentAssignment) {
	t.Helper()
	sess, err := braidv1.NewGroupServiceClient(rawConn(t, addr)).ReaderSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Send(&braidv1.ReaderSessionRequest{Kind: &braidv1.ReaderSessionRequest_Join{Join: &braidv1.ReaderJoin{Scope: scope, Group: name, ReaderId: id}}}); err != nil {
		t.Fatal(err)
	}
	resp, err := sess.Recv()
	if err != nil {
		t.Fatal(err)
	}
	r := &rawReader{t: t, sess: sess, gen: resp.GetJoined().GetGeneration()}
	for {
		resp, err := sess.Recv()
		if err != nil {
			t.Fatalf("waiting for an assignment: %v", err)
		}
		if a := resp.GetAssignment(); a != nil && len(a.GetAcquire()) > 0 {
			return r, a.GetAcquire()[0]
		}
	}
}

// ended waits for the server to end the session and returns its status.
func (r *rawReader) ended() error {
	r.t.Helper()
	for {
		if _, err := r.sess.Recv(); err != nil {
			return err
		}
	}
}

// TestGroupBadCommitRefused: a reader session that commits (or leaves at)
// a position past the segment's tail or inside an event is refused with
// the segment, offset and length named; the group's position stays where it
// was, and a normal reader then reads every event.
func TestGroupBadCommitRefused(t *testing.T) {
	for _, tc := range []struct {
		name   string
		offset func(tail int64) int64
		leave  bool
		code   codes.Code
		why    string
	}{
		{"past the tail", func(int64) int64 { return 1_000_000 }, false, codes.OutOfRange, "past its tail"},
		{"inside an event", func(int64) int64 { return 5 }, false, codes.InvalidArgument, "not at an event boundary"},
		{"inside the last event", func(tail int64) int64 { return tail - 1 }, false, codes.InvalidArgument, "not at an event boundary"},
		{"negative", func(int64) int64 { return -8 }, false, codes.InvalidArgument, "negative"},
		{"leave past the tail", func(int64) int64 { return 1_000_000 }, true, codes.OutOfRange, "past its tail"},
		{"leave inside an event", func(int64) int64 { return 5 }, true, codes.InvalidArgument, "not at an event boundary"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newServer(t)
			c := dial(t, ts)
			ctx := testCtx(t, 30*time.Second)
			createStream(t, c, "s/bc", 1)
			const n = 5
			writeEvents(t, c, ctx, "s/bc", 0, n)
			rg := c.ReaderGroup("s/bc-g")
			if _, err := rg.Create(ctx, braid.ReaderGroupConfig{Streams: []braid.GroupStream{{Stream: "s/bc"}}}); err != nil {
				t.Fatal(err)
			}
			before, err := rg.Describe(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(before.Segments) != 1 || before.Segments[0].Tail == 0 {
				t.Fatalf("segments before: %+v", before.Segments)
			}
			seg := before.Segments[0]

			sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			raw, acq := joinRaw(t, sctx, ts.GRPCAddr(), "s", "bc-g", "bad")
			bad := tc.offset(seg.Tail)
			pos := []*braidv1.SegmentPosition{{Stream: acq.GetStream(), SegmentId: acq.GetRange().GetSegmentId(), Offset: bad}}
			req := &braidv1.ReaderSessionRequest{Kind: &braidv1.ReaderSessionRequest_Update{Update: &braidv1.ReaderUpdate{Generation: raw.gen, Commit: pos}}}
			if tc.leave {
				req = &braidv1.ReaderSessionRequest{Kind: &braidv1.ReaderSessionRequest_Leave{Leave: &braidv1.ReaderLeave{Generation: raw.gen, Positions: pos}}}
			}
			if err := raw.sess.Send(req); err != nil {
				t.Fatal(err)
			}
			err = raw.ended()
			st := status.Convert(err)
			if st.Code() != tc.code {
				t.Fatalf("commit at %d: session ended with %v, want code %v", bad, err, tc.code)
			}
			for _, want := range []string{fmt.Sprintf("%016x", seg.ID), fmt.Sprint(bad), fmt.Sprint(seg.Tail), tc.why} {
				if !strings.Contains(st.Message(), want) {
					t.Errorf("error %q does not name %q", st.Message(), want)
				}
			}

			after, err := rg.Describe(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(after.Segments) != 1 || after.Segments[0].Offset != seg.Offset || after.LagBytes != before.LagBytes {
				t.Fatalf("after the refused commit: segments %+v lag %d, want offset %d lag %d", after.Segments, after.LagBytes, seg.Offset, before.LagBytes)
			}

			r, err := rg.NewReader(ctx, "good")
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close(ctx)
			got, err := readUntil(t, ctx, r, func(got int) bool { return got == n })
			if err != nil {
				t.Fatalf("the next reader, after %d events: %v", len(got), err)
			}
			for i, g := range got {
				if want := fmt.Sprintf("event-%04d-", i); !strings.HasPrefix(g, want) {
					t.Fatalf("event %d is %.20q, want %s...", i, g, want)
				}
			}
		})
	}
}

// TestGroupBadStartCutRefused: a group cannot be created (or reset) at a
// start cut inside an event or past the tail.
func TestGroupBadStartCutRefused(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)
	createStream(t, c, "s/sc", 1)
	writeEvents(t, c, ctx, "s/sc", 0, 3)
	tail, err := c.TailCut(ctx, "s/sc")
	if err != nil {
		t.Fatal(err)
	}
	id, length := tail.Segments[0].SegmentID, tail.Segments[0].Offset
	rg := c.ReaderGroup("s/sc-g")
	for _, off := range []int64{5, length + 1, 1_000_000} {
		cut := braid.StreamCut{Stream: "s/sc", Segments: []wire.SegmentOffset{{SegmentID: id, Offset: off}}}
		_, err := rg.Create(ctx, braid.ReaderGroupConfig{Streams: []braid.GroupStream{{Stream: "s/sc", Start: cut}}})
		if !errors.Is(err, braid.ErrInvalidArgument) || !strings.Contains(err.Error(), fmt.Sprint(off)) {
			t.Errorf("create at %d: %v, want INVALID_ARGUMENT naming the offset", off, err)
		}
	}
	if _, err := rg.Create(ctx, braid.ReaderGroupConfig{Streams: []braid.GroupStream{{Stream: "s/sc"}}}); err != nil {
		t.Fatal(err)
	}
	cut := braid.StreamCut{Stream: "s/sc", Segments: []wire.SegmentOffset{{SegmentID: id, Offset: 5}}}
	if _, err := rg.Reset(ctx, braid.ReaderGroupConfig{Streams: []braid.GroupStream{{Stream: "s/sc", Start: cut}}}); !errors.Is(err, braid.ErrInvalidArgument) {
		t.Errorf("reset at 5: %v, want INVALID_ARGUMENT", err)
	}
	in, err := rg.Describe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if in.Generation != 0 || in.Segments[0].Offset != 0 {
		t.Fatalf("after the refused reset: generation %d offset %d", in.Generation, in.Segments[0].Offset)
	}
}
