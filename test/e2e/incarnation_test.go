package e2e

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/braidstream/braid"
	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/wire"
)

// TestRecreatedStreamRefusesOldSessions: a stream deleted and created
// again under the same name is another stream. An append session, a
// pointer and a stream cut of the deleted one get an error; none of them
// writes into or reads from the new one. Before, the old session's batch
// was stored in the new stream and the old pointer read the new stream's
// event.
func TestRecreatedStreamRefusesOldSessions(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)
	createStream(t, c, "s/x", 1)

	// What a user of the first s/x holds: a pointer, a cut, a session.
	w, err := c.NewWriter(ctx, "s/x")
	if err != nil {
		t.Fatal(err)
	}
	oldPtr, err := w.Write(ctx, "k", []byte("first incarnation")).Wait(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w.Close(ctx)
	r, err := c.NewReader(ctx, "s/x", braid.UntilTail())
	if err != nil {
		t.Fatal(err)
	}
	ev, err := r.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	oldCut := ev.Position()
	r.Close()

	conn, err := grpc.NewClient(ts.GRPCAddr(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	sess, err := braidv1.NewDataServiceClient(conn).Append(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Send(&braidv1.AppendRequest{Kind: &braidv1.AppendRequest_Open{Open: &braidv1.AppendOpen{
		Writer: 1, Scope: "s", Stream: "x", WriterId: "stale"}}}); err != nil {
		t.Fatal(err)
	}
	open, err := sess.Recv()
	if err != nil {
		t.Fatal(err)
	}
	if open.GetOpened().GetError() != nil || len(open.GetOpened().GetSegments()) == 0 {
		t.Fatalf("the open of s/x was answered %v", open)
	}
	oldSeg := open.GetOpened().GetSegments()[0].GetSegmentId()

	if err := c.DeleteStream(ctx, "s/x"); err != nil {
		t.Fatal(err)
	}
	createStream(t, c, "s/x", 1)
	info, err := c.GetStream(ctx, "s/x")
	if err != nil {
		t.Fatal(err)
	}
	newSeg := info.Epochs[0].Segments[0].ID
	if newSeg == oldSeg {
		t.Fatalf("the new s/x reuses segment id %016x", oldSeg)
	}

	// The old session's batch is refused.
	if err := sess.Send(&braidv1.AppendRequest{Kind: &braidv1.AppendRequest_Batches{Batches: &braidv1.AppendBatches{
		Batches: []*braidv1.AppendBatch{{Writer: 1, BatchId: 1, SegmentId: oldSeg, FirstEventNumber: 1, EventCount: 1,
			Events: wire.AppendFrame(nil, []byte("stale write"))}}}}}); err != nil {
		t.Fatal(err)
	}
	resp, err := sess.Recv()
	var ack *braidv1.AppendAck
	if err == nil {
		if acks := resp.GetAcks().GetAcks(); len(acks) != 1 || acks[0].GetBatchId() != 1 || acks[0].GetWriter() != 1 {
			t.Fatalf("the old session's batch 1 of writer 1 was answered %v; want its one ack", resp)
		}
		ack = resp.GetAcks().GetAcks()[0]
	}
	if err == nil && ack.GetError() == nil {
		t.Fatalf("the old session's batch was acknowledged: %v", resp)
	}
	if msg := ack.GetError().GetMessage(); err == nil && !strings.Contains(msg, "was deleted") {
		t.Errorf("the old session's error %q does not say the stream was deleted", msg)
	}
	sess.CloseSend()

	// The old pointer and cut are refused.
	if data, err := c.Fetch(ctx, oldPtr); !errors.Is(err, braid.ErrNotFound) || !strings.Contains(err.Error(), "earlier stream of that name") {
		t.Fatalf("fetch of the old pointer %s: %q, %v; want NOT_FOUND naming the earlier stream", oldPtr, data, err)
	}
	w2, err := c.NewWriter(ctx, "s/x")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w2.Write(ctx, "k", []byte("second incarnation")).Wait(ctx); err != nil {
		t.Fatal(err)
	}
	w2.Close(ctx)
	if r, err := c.NewReader(ctx, "s/x", braid.FromCut(oldCut), braid.UntilTail()); err == nil {
		ev, err := r.Next(ctx)
		r.Close()
		if err == nil {
			t.Fatalf("a read from the old cut %s read %q", oldCut, ev.Data)
		}
	}

	// The new stream holds only its own event.
	r, err = c.NewReader(ctx, "s/x", braid.UntilTail())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var got []string
	for {
		ev, err := r.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(ev.Data))
	}
	if len(got) != 1 || got[0] != "second incarnation" {
		t.Fatalf("the new s/x holds %q, want only its own event", got)
	}
}
