package braid_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/braidstream/braid"
	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/wire"
)

// fakeAction is what the fake server does with one append batch.
type fakeAction int

const (
	actNormal       fakeAction = iota // dedupe, check numbers, store, ack
	actStoreAndDrop                   // store it, then break the stream without an ack
	actUnavailable                    // ack with UNAVAILABLE, not stored
	actInvalid                        // ack with INVALID_ARGUMENT, not stored
)

// fakeServer is a braid server in miniature with scripted faults. Its
// append path models the real one: per writer and segment it remembers the
// last event number, acknowledges retries as duplicates, and refuses gaps.
type fakeServer struct {
	braidv1.UnimplementedStreamServiceServer
	braidv1.UnimplementedDataServiceServer

	segs []*braidv1.SegmentRange
	// plan decides the fate of the n-th batch (from 0) of session sess
	// (from 1); nil means actNormal.
	plan func(sess, n int) fakeAction
	// read, if set, answers ReadSegment.
	read func(*braidv1.ReadSegmentRequest, braidv1.DataService_ReadSegmentServer) error
	// maxInflight is announced in the setup answer (0: not announced).
	maxInflight uint32
	// holdAcks, if set, keeps acks back until it is closed; the server
	// goes on receiving meanwhile.
	holdAcks chan struct{}

	mu       sync.Mutex
	sessions int
	data     map[uint64][]byte
	last     map[string]int64 // writer/segment -> last event number
	seen     []uint64         // event numbers of the batches received, per arrival
	acked    int              // acks sent
	peak     int              // most batches received and not yet acknowledged
	batches  map[string]fakeBatch
}

type fakeBatch struct {
	first, last int64
	offset      int64
}

func startFake(t *testing.T, f *fakeServer) *braid.Client {
	t.Helper()
	if f.segs == nil {
		f.segs = []*braidv1.SegmentRange{{SegmentId: 1, KeyLow: 0, KeyHigh: 0.5}, {SegmentId: 2, KeyLow: 0.5, KeyHigh: 1}}
	}
	f.data = map[uint64][]byte{}
	f.last = map[string]int64{}
	f.batches = map[string]fakeBatch{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gs := grpc.NewServer()
	braidv1.RegisterStreamServiceServer(gs, f)
	braidv1.RegisterDataServiceServer(gs, f)
	done := make(chan struct{})
	go func() {
		defer close(done)
		gs.Serve(ln)
	}()
	c := dialAddr(t, ln.Addr().String())
	t.Cleanup(func() {
		c.Close()
		gs.Stop()
		<-done
	})
	return c
}

func (f *fakeServer) ListScopes(context.Context, *braidv1.ListScopesRequest) (*braidv1.ListScopesResponse, error) {
	return &braidv1.ListScopesResponse{}, nil
}

func (f *fakeServer) GetStreamCut(context.Context, *braidv1.GetStreamCutRequest) (*braidv1.GetStreamCutResponse, error) {
	resp := &braidv1.GetStreamCutResponse{}
	for _, s := range f.segs {
		resp.Segments = append(resp.Segments, &braidv1.SegmentOffset{SegmentId: s.GetSegmentId()})
	}
	return resp, nil
}

func (f *fakeServer) ReadSegment(req *braidv1.ReadSegmentRequest, stream braidv1.DataService_ReadSegmentServer) error {
	if f.read == nil {
		return status.Error(codes.Unimplemented, "no reads")
	}
	return f.read(req, stream)
}

func ackError(code wire.Code, msg string) *braidv1.Error {
	return &braidv1.Error{Code: string(code), Message: msg}
}

func (f *fakeServer) Append(stream braidv1.DataService_AppendServer) error {
	req, err := stream.Recv()
	if err != nil {
		return err
	}
	setup := req.GetOpen()
	f.mu.Lock()
	f.sessions++
	sess := f.sessions
	f.mu.Unlock()
	if err := stream.Send(&braidv1.AppendResponse{Kind: &braidv1.AppendResponse_Opened{Opened: &braidv1.AppendOpened{Writer: setup.GetWriter(), Segments: f.segs, MaxInflightBatches: f.maxInflight}}}); err != nil {
		return err
	}
	sendNow := func(ack *braidv1.AppendAck) error {
		// Counted before the send: once sent, the client may answer
		// with a new batch before this goroutine runs again.
		f.mu.Lock()
		f.acked++
		f.mu.Unlock()
		return stream.Send(&braidv1.AppendResponse{Kind: &braidv1.AppendResponse_Acks{Acks: &braidv1.AppendAcks{Acks: []*braidv1.AppendAck{ack}}}})
	}
	send := sendNow
	if f.holdAcks != nil {
		// One goroutine sends the acks, in order, once released.
		acks := make(chan *braidv1.AppendAck, 1<<16)
		sent := make(chan struct{})
		defer func() { close(acks); <-sent }()
		go func() {
			defer close(sent)
			<-f.holdAcks
			for ack := range acks {
				if sendNow(ack) != nil {
					return
				}
			}
		}()
		send = func(ack *braidv1.AppendAck) error {
			acks <- ack
			return nil
		}
	}
	for n := 0; ; {
		req, err := stream.Recv()
		if err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
		for _, b := range req.GetBatches().GetBatches() {
			if err := f.appendBatch(sess, n, setup, b, send); err != nil {
				return err
			}
			n++
		}
	}
}

// appendBatch answers batch n of session sess.
func (f *fakeServer) appendBatch(sess, n int, setup *braidv1.AppendOpen, b *braidv1.AppendBatch, send func(*braidv1.AppendAck) error) error {
	{
		act := actNormal
		if f.plan != nil {
			act = f.plan(sess, n)
		}
		ack := &braidv1.AppendAck{Writer: b.GetWriter(), BatchId: b.GetBatchId(), SegmentId: b.GetSegmentId(), Offset: -1}
		f.mu.Lock()
		f.seen = append(f.seen, uint64(b.GetFirstEventNumber()))
		f.peak = max(f.peak, len(f.seen)-f.acked)
		switch act {
		case actUnavailable:
			ack.Error = ackError(wire.CodeUnavailable, "fake: unavailable")
		case actInvalid:
			ack.Error = ackError(wire.CodeInvalidArgument, "fake: invalid batch")
		default:
			key := fmt.Sprintf("%s/%d", setup.GetWriterId(), b.GetSegmentId())
			first, last := b.GetFirstEventNumber(), b.GetFirstEventNumber()+int64(b.GetEventCount())-1
			switch prev := f.last[key]; {
			case last <= prev:
				ack.Duplicate = true
				if fb, ok := f.batches[fmt.Sprintf("%s/%d/%d", key, first, last)]; ok {
					ack.Offset = fb.offset
				}
			case first != prev+1:
				ack.Error = ackError(wire.CodeEventNumberGap, fmt.Sprintf("fake: gap: got %d after %d", first, prev))
			default:
				ack.Offset = int64(len(f.data[b.GetSegmentId()]))
				ack.Length = int64(len(b.GetEvents()))
				f.data[b.GetSegmentId()] = append(f.data[b.GetSegmentId()], b.GetEvents()...)
				f.last[key] = last
				f.batches[fmt.Sprintf("%s/%d/%d", key, first, last)] = fakeBatch{first, last, ack.Offset}
			}
		}
		f.mu.Unlock()
		if act == actStoreAndDrop {
			return status.Error(codes.Unavailable, "fake: connection lost")
		}
		return send(ack)
	}
}

// events returns the payloads stored in segment seg.
func (f *fakeServer) events(t *testing.T, seg uint64) []string {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	if _, err := wire.ScanFrames(f.data[seg], 0, func(_ int, p []byte) error {
		out = append(out, string(p))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// writeKeyed writes n events "<key>-<i>" with key "a" (segment 2 of the
// default layout) and returns the acks.
func writeKeyed(ctx context.Context, w *braid.Writer, n int) []braid.Ack {
	var acks []braid.Ack
	for i := range n {
		acks = append(acks, w.Write(ctx, "a", fmt.Appendf(nil, "a-%d", i)))
	}
	return acks
}

func segOf(key string) uint64 {
	if wire.KeyPoint(key) < 0.5 {
		return 1
	}
	return 2
}

func checkStored(t *testing.T, f *fakeServer, seg uint64, want []string) {
	t.Helper()
	got := f.events(t, seg)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("segment %d holds %v, want %v", seg, got, want)
	}
}

func TestWriterResendsAfterLostAck(t *testing.T) {
	f := &fakeServer{plan: func(sess, n int) fakeAction {
		if sess == 1 && n == 2 {
			return actStoreAndDrop
		}
		return actNormal
	}}
	c := startFake(t, f)
	ctx := testCtx(t, 20*time.Second)
	w, err := c.NewWriter(ctx, "s/s", braid.WithMaxBatchBytes(16))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close(ctx)
	acks := writeKeyed(ctx, w, 10)
	if err := w.Flush(ctx); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	var want []string
	for i, a := range acks {
		p, err := a.Wait(ctx)
		if err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		if p.SegmentID != segOf("a") || p.Offset < 0 {
			t.Fatalf("event %d: pointer %+v", i, p)
		}
		want = append(want, fmt.Sprintf("a-%d", i))
	}
	checkStored(t, f, segOf("a"), want)
	if f.sessions < 2 {
		t.Fatalf("%d sessions, want a reconnect", f.sessions)
	}
}

func TestWriterRetriesUnavailableAck(t *testing.T) {
	// The second batch is refused as unavailable; the server then refuses
	// the later ones as gaps, which belong to the same retry.
	f := &fakeServer{plan: func(sess, n int) fakeAction {
		if sess == 1 && n == 1 {
			return actUnavailable
		}
		return actNormal
	}}
	c := startFake(t, f)
	ctx := testCtx(t, 20*time.Second)
	w, err := c.NewWriter(ctx, "s/s", braid.WithMaxBatchBytes(16))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close(ctx)
	acks := writeKeyed(ctx, w, 10)
	if err := w.Flush(ctx); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	var want []string
	for i, a := range acks {
		if _, err := a.Wait(ctx); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		want = append(want, fmt.Sprintf("a-%d", i))
	}
	checkStored(t, f, segOf("a"), want)
}

func TestWriterStopsSegmentAfterRefusedBatch(t *testing.T) {
	// The fourth batch is refused for good: it and the later events of its
	// segment fail, the earlier ones and the other segment's do not.
	f := &fakeServer{plan: func(sess, n int) fakeAction {
		if sess == 1 && n == 3 {
			return actInvalid
		}
		return actNormal
	}}
	c := startFake(t, f)
	ctx := testCtx(t, 20*time.Second)
	w, err := c.NewWriter(ctx, "s/s", braid.WithMaxBatchBytes(1))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close(ctx)
	acks := writeKeyed(ctx, w, 10)
	if err := w.Flush(ctx); !errors.Is(err, braid.ErrInvalidArgument) {
		t.Fatalf("Flush = %v, want the refused batch's error", err)
	}
	for i, a := range acks {
		_, err := a.Wait(ctx)
		if i < 3 && err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		if i >= 3 && (!errors.Is(err, braid.ErrInvalidArgument) || !strings.Contains(err.Error(), "fake: invalid batch")) {
			t.Fatalf("event %d: %v, want the refusal", i, err)
		}
	}
	checkStored(t, f, segOf("a"), []string{"a-0", "a-1", "a-2"})
	if err := w.Flush(ctx); err != nil {
		t.Fatalf("second Flush = %v, want nil", err)
	}
	if _, err := w.Write(ctx, "a", []byte("late")).Wait(ctx); !errors.Is(err, braid.ErrInvalidArgument) {
		t.Fatalf("later write to the segment: %v", err)
	}
	other := "b"
	for i := 0; segOf(other) == segOf("a"); i++ {
		other = fmt.Sprint("b", i)
	}
	if _, err := w.Write(ctx, other, []byte("elsewhere")).Wait(ctx); err != nil {
		t.Fatalf("write to the other segment: %v", err)
	}
}

func TestWriterGivesUp(t *testing.T) {
	f := &fakeServer{plan: func(sess, n int) fakeAction { return actUnavailable }}
	c := startFake(t, f)
	ctx := testCtx(t, 20*time.Second)
	w, err := c.NewWriter(ctx, "s/s", braid.WithRetryTimeout(200*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close(ctx)
	acks := writeKeyed(ctx, w, 5)
	for i, a := range acks {
		_, err := a.Wait(ctx)
		if !errors.Is(err, braid.ErrUnavailable) || !strings.Contains(err.Error(), "gave up") || !strings.Contains(err.Error(), "fake: unavailable") {
			t.Fatalf("event %d: %v", i, err)
		}
	}
	if _, err := w.Write(ctx, "a", []byte("late")).Wait(ctx); !errors.Is(err, braid.ErrUnavailable) {
		t.Fatalf("write after giving up: %v", err)
	}
	if err := w.Flush(ctx); !errors.Is(err, braid.ErrUnavailable) {
		t.Fatalf("Flush after giving up: %v", err)
	}
	if err := w.Flush(ctx); !errors.Is(err, braid.ErrUnavailable) {
		t.Fatalf("second Flush after giving up: %v", err)
	}
}

func TestWriterInflightBound(t *testing.T) {
	// The server holds every batch until released: Write must block at the
	// bound and give up when its context ends.
	release := make(chan struct{})
	f := &fakeServer{}
	f.plan = func(sess, n int) fakeAction {
		<-release
		return actNormal
	}
	c := startFake(t, f)
	ctx := testCtx(t, 20*time.Second)
	w, err := c.NewWriter(ctx, "s/s", braid.WithMaxInflightBytes(100))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close(ctx)
	first := w.Write(ctx, "a", make([]byte, 92)) // 100 bytes framed
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	blocked := w.Write(short, "a", []byte("x"))
	cancel()
	if _, err := blocked.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("write beyond the bound: %v, want deadline exceeded", err)
	}
	close(release)
	if _, err := first.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(ctx, "a", []byte("x")).Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatalf("Flush: %v (a write that timed out must not count)", err)
	}
}

func TestWriterLinger(t *testing.T) {
	f := &fakeServer{}
	c := startFake(t, f)
	ctx := testCtx(t, 20*time.Second)
	w, err := c.NewWriter(ctx, "s/s", braid.WithLinger(20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close(ctx)
	acks := writeKeyed(ctx, w, 50)
	// No Flush: the linger alone sends the batch.
	for i, a := range acks {
		if _, err := a.Wait(ctx); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
	f.mu.Lock()
	batches := len(f.seen)
	f.mu.Unlock()
	if batches >= 25 {
		t.Fatalf("%d batches for 50 quick events with a linger, want few", batches)
	}
}

func TestReaderRejectsCorruptFrame(t *testing.T) {
	good := wire.AppendFrame(nil, []byte("good"))
	bad := wire.AppendFrame(nil, []byte("bad!"))
	bad[len(bad)-1] ^= 0xff
	f := &fakeServer{
		segs: []*braidv1.SegmentRange{{SegmentId: 1, KeyLow: 0, KeyHigh: 1}},
		read: func(req *braidv1.ReadSegmentRequest, stream braidv1.DataService_ReadSegmentServer) error {
			if err := stream.Send(&braidv1.ReadSegmentResponse{Offset: 0, Events: good}); err != nil {
				return err
			}
			if err := stream.Send(&braidv1.ReadSegmentResponse{Offset: int64(len(good)), Events: bad}); err != nil {
				return err
			}
			<-stream.Context().Done()
			return nil
		},
	}
	c := startFake(t, f)
	ctx := testCtx(t, 20*time.Second)
	r, err := c.NewReader(ctx, "s/s")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ev, err := r.Next(ctx)
	if err != nil || !bytes.Equal(ev.Data, []byte("good")) {
		t.Fatalf("Next = %q, %v", ev.Data, err)
	}
	_, err = r.Next(ctx)
	var be *braid.Error
	if !errors.As(err, &be) || be.Code != wire.CodeCorrupt || !strings.Contains(err.Error(), "offset 12") || !strings.Contains(err.Error(), "crc mismatch") {
		t.Fatalf("Next on a bad frame = %v", err)
	}
	if _, err2 := r.Next(ctx); err2 != err {
		t.Fatalf("error not kept: %v then %v", err, err2)
	}
}

func TestErrorMapping(t *testing.T) {
	withInfo := func(c codes.Code, reason, domain string) error {
		st, _ := status.New(c, "the server's message").WithDetails(&errdetails.ErrorInfo{Reason: reason, Domain: domain})
		return st.Err()
	}
	f := &fakeServer{}
	var mu sync.Mutex
	var next error
	f.read = func(*braidv1.ReadSegmentRequest, braidv1.DataService_ReadSegmentServer) error {
		mu.Lock()
		defer mu.Unlock()
		return next
	}
	c := startFake(t, f)
	ctx := testCtx(t, 20*time.Second)
	tests := []struct {
		err  error
		code wire.Code
		msg  string
	}{
		{withInfo(codes.OutOfRange, "TRUNCATED", wire.ErrorDomain), wire.CodeTruncated, "the server's message"},
		{withInfo(codes.NotFound, "NOT_FOUND", "other.domain"), wire.CodeNotFound, "braid: read s/s segment 0000000000000001: the server's message"},
		{status.Error(codes.Unavailable, "down"), wire.CodeUnavailable, ""},
		{status.Error(codes.DataLoss, "lost"), wire.CodeCorrupt, "lost"},
		{status.Error(codes.Unimplemented, "what"), wire.CodeInternal, "what"},
		{status.Error(codes.PermissionDenied, "no"), wire.CodePermissionDenied, "no"},
	}
	for _, tt := range tests {
		if tt.code == wire.CodeUnavailable {
			continue // retried by the reader: covered elsewhere
		}
		mu.Lock()
		next = tt.err
		mu.Unlock()
		r, err := c.NewReader(ctx, "s/s", braid.FromCut(braid.StreamCut{Segments: []wire.SegmentOffset{{SegmentID: 1}}}))
		if err != nil {
			t.Fatal(err)
		}
		_, err = r.Next(ctx)
		r.Close()
		var be *braid.Error
		if !errors.As(err, &be) || be.Code != tt.code || !strings.Contains(be.Message, tt.msg) {
			t.Errorf("%v: got %#v", tt.err, err)
		}
		if !errors.Is(err, &braid.Error{Code: tt.code}) {
			t.Errorf("errors.Is(%v, code %s) is false", err, tt.code)
		}
	}
}

func TestReaderRetriesUnavailable(t *testing.T) {
	var mu sync.Mutex
	calls := 0
	frames := append(wire.AppendFrame(nil, []byte("one")), wire.AppendFrame(nil, []byte("two"))...)
	f := &fakeServer{
		segs: []*braidv1.SegmentRange{{SegmentId: 1, KeyLow: 0, KeyHigh: 1}},
		read: func(req *braidv1.ReadSegmentRequest, stream braidv1.DataService_ReadSegmentServer) error {
			mu.Lock()
			calls++
			n := calls
			mu.Unlock()
			switch n {
			case 1:
				// The first event, then the connection breaks.
				if err := stream.Send(&braidv1.ReadSegmentResponse{Offset: 0, Events: frames[:11]}); err != nil {
					return err
				}
				return status.Error(codes.Unavailable, "fake: restarting")
			case 2:
				return status.Error(codes.Unavailable, "fake: still restarting")
			}
			if req.GetOffset() != 11 {
				return status.Errorf(codes.InvalidArgument, "fake: resumed at %d, want 11", req.GetOffset())
			}
			return stream.Send(&braidv1.ReadSegmentResponse{Offset: 11, Events: frames[11:], EndOfSegment: true})
		},
	}
	c := startFake(t, f)
	ctx := testCtx(t, 20*time.Second)
	r, err := c.NewReader(ctx, "s/s")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var got []string
	for {
		ev, err := r.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(ev.Data))
	}
	if strings.Join(got, ",") != "one,two" {
		t.Fatalf("read %v", got)
	}
}

// The writer never has more batches of a segment sent and unacknowledged
// than the server says it remembers, so a batch sent again after a reconnect
// is always within the server's memory (and gets its offset back).
func TestWriterInflightBatchCap(t *testing.T) {
	f := &fakeServer{maxInflight: 3, holdAcks: make(chan struct{})}
	c := startFake(t, f)
	ctx := testCtx(t, 20*time.Second)
	w, err := c.NewWriter(ctx, "s/s")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close(ctx)
	var acks []braid.Ack
	var want []string
	received := func() int {
		f.mu.Lock()
		defer f.mu.Unlock()
		return len(f.seen)
	}
	// Write until the cap is reached: with no acks, batches pile up.
	deadline := time.Now().Add(10 * time.Second)
	for i := 0; received() < 3; i++ {
		if time.Now().After(deadline) {
			t.Fatalf("the server received %d batches, want 3", received())
		}
		p := fmt.Sprintf("e%d", i)
		want = append(want, p)
		acks = append(acks, w.Write(ctx, "k", []byte(p)))
		if i%16 == 15 {
			// Let the sender run.
			runtime.Gosched()
		}
	}
	for i := 0; i < 100; i++ {
		p := fmt.Sprintf("more%d", i)
		want = append(want, p)
		acks = append(acks, w.Write(ctx, "k", []byte(p)))
	}
	close(f.holdAcks)
	for _, a := range acks {
		if _, err := a.Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	f.mu.Lock()
	peak := f.peak
	f.mu.Unlock()
	if peak != 3 {
		t.Fatalf("at most %d batches were in flight, want exactly the cap of 3", peak)
	}
	checkStored(t, f, segOf("k"), want)
}
