package braid

import (
	"bytes"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
)

func TestDataCodecFieldNumbers(t *testing.T) {
	check := func(m proto.Message, name protoreflect.Name, want protowire.Number) {
		t.Helper()
		f := m.ProtoReflect().Descriptor().Fields().ByName(name)
		if f == nil || f.Number() != want {
			t.Fatalf("%T.%s: field %v, codec uses %d", m, name, f, want)
		}
	}
	check(&braidv1.AppendRequest{}, "batches", fieldRequestBatches)
	check(&braidv1.AppendBatches{}, "batches", fieldBatchesBatch)
	check(&braidv1.AppendBatch{}, "writer", fieldBatchWriter)
	check(&braidv1.AppendBatch{}, "last_event_number", fieldBatchLast)
	check(&braidv1.AppendBatch{}, "batch_id", fieldBatchID)
	check(&braidv1.AppendBatch{}, "segment_id", fieldBatchSeg)
	check(&braidv1.AppendBatch{}, "first_event_number", fieldBatchFirst)
	check(&braidv1.AppendBatch{}, "event_count", fieldBatchCount)
	check(&braidv1.AppendBatch{}, "events", fieldBatchData)
	check(&braidv1.ReadSegmentResponse{}, "offset", fieldReadOffset)
	check(&braidv1.ReadSegmentResponse{}, "events", fieldReadEvents)
	check(&braidv1.ReadSegmentResponse{}, "tail", fieldReadTail)
	check(&braidv1.ReadSegmentResponse{}, "end_of_segment", fieldReadEnd)
	check(&braidv1.ReadSegmentResponse{}, "commit_times", fieldReadTimes)
	check(&braidv1.CommitTime{}, "offset", 1)
	check(&braidv1.CommitTime{}, "time_unix_nanos", 2)
}

// TestDataCodec checks that the hand-made encoding is byte for byte what
// proto.Marshal makes, and that decoding agrees with proto.Unmarshal.
func TestDataCodec(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(vals ...uint64) uint64 { return vals[r.IntN(len(vals))] }
	for i := range 2000 {
		events := make([]byte, 1+r.IntN(1<<uint(1+i%17)))
		for j := range events {
			events[j] = byte(r.Uint32())
		}
		var batches []*braidv1.AppendBatch
		for range 1 + r.IntN(4) {
			batches = append(batches, &braidv1.AppendBatch{
				BatchId:          pick(0, 1, 127, 128, r.Uint64(), math.MaxUint64),
				SegmentId:        pick(0, 1, 1<<32|5, r.Uint64()),
				FirstEventNumber: int64(pick(0, 1, 300, uint64(r.Int64()))),
				EventCount:       uint32(pick(0, 1, 1000, uint64(r.Uint32()))),
				Events:           events[:pick(0, 1, uint64(len(events)))],
				Writer:           uint32(pick(0, 1, 200, uint64(r.Uint32()))),
				LastEventNumber:  int64(pick(0, 0, 7, uint64(r.Int64()))),
			})
		}
		b := batches[0]
		req := &braidv1.AppendRequest{Kind: &braidv1.AppendRequest_Batches{Batches: &braidv1.AppendBatches{Batches: batches}}}
		want, err := proto.Marshal(req)
		if err != nil {
			t.Fatal(err)
		}
		bs, err := dataCodec{}.Marshal(req)
		if err != nil {
			t.Fatal(err)
		}
		if got := bs.Materialize(); !bytes.Equal(got, want) {
			t.Fatalf("batches %v: encoded\n%x\nwant\n%x", batches, got[:min(len(got), 64)], want[:min(len(want), 64)])
		}
		if len(b.Events) > 0 && !slices.ContainsFunc(bs, func(buf mem.Buffer) bool { return &buf.ReadOnlyData()[0] == &b.Events[0] }) {
			t.Fatal("events were copied")
		}

		resp := &braidv1.ReadSegmentResponse{
			Offset:       int64(pick(0, 1, uint64(r.Int64()))),
			Events:       events[:r.IntN(len(events))],
			Tail:         int64(pick(0, 5, uint64(r.Int64()))),
			EndOfSegment: r.IntN(2) == 0,
		}
		for range r.IntN(4) {
			resp.CommitTimes = append(resp.CommitTimes, &braidv1.CommitTime{Offset: int64(pick(0, 1, uint64(r.Int64()))), TimeUnixNanos: int64(pick(0, 1, uint64(r.Int64())))})
		}
		enc, err := proto.Marshal(resp)
		if err != nil {
			t.Fatal(err)
		}
		if i%3 == 0 {
			// Unknown fields are skipped.
			enc = protowire.AppendTag(enc, 99, protowire.BytesType)
			enc = protowire.AppendBytes(enc, []byte("future"))
		}
		got := &braidv1.ReadSegmentResponse{Offset: 77, Events: []byte("stale")}
		if err := (dataCodec{}).Unmarshal(mem.BufferSlice{mem.SliceBuffer(enc[:len(enc)/2]), mem.SliceBuffer(enc[len(enc)/2:])}, got); err != nil {
			t.Fatal(err)
		}
		if got.GetOffset() != resp.GetOffset() || got.GetTail() != resp.GetTail() || got.GetEndOfSegment() != resp.GetEndOfSegment() || !bytes.Equal(got.GetEvents(), resp.GetEvents()) ||
			!slices.EqualFunc(got.GetCommitTimes(), resp.GetCommitTimes(), sameCommitTime) {
			t.Fatalf("decoded %v, want %v", got, resp)
		}
	}
	// Truncated input fails.
	enc, _ := proto.Marshal(&braidv1.ReadSegmentResponse{Offset: 5, Events: []byte("abc")})
	if err := (dataCodec{}).Unmarshal(mem.BufferSlice{mem.SliceBuffer(enc[:len(enc)-1])}, &braidv1.ReadSegmentResponse{}); err == nil {
		t.Fatal("truncated response decoded")
	}
	// Other messages go through the proto codec.
	bs, err := dataCodec{}.Marshal(&braidv1.AppendRequest{Kind: &braidv1.AppendRequest_Setup{Setup: &braidv1.AppendSetup{Scope: "a", Stream: "b", WriterId: "w"}}})
	if err != nil {
		t.Fatal(err)
	}
	var setup braidv1.AppendRequest
	if err := (dataCodec{}).Unmarshal(bs, &setup); err != nil || setup.GetSetup().GetWriterId() != "w" {
		t.Fatalf("setup round trip: %v, %v", &setup, err)
	}
}

// FuzzUnmarshalRead checks the hand-written ReadSegmentResponse decoder
// against the generated one: it never panics, and whenever both accept the
// bytes they agree.
func FuzzUnmarshalRead(f *testing.F) {
	for _, m := range []*braidv1.ReadSegmentResponse{
		{},
		{Offset: 7, Events: []byte("abc"), Tail: 99, EndOfSegment: true},
		{Offset: 1 << 40, Events: bytes.Repeat([]byte{1}, 300)},
		{Offset: 3, Events: []byte("xy"), CommitTimes: []*braidv1.CommitTime{{Offset: 3, TimeUnixNanos: 1 << 60}, {Offset: 4}}},
	} {
		b, _ := proto.Marshal(m)
		f.Add(b)
	}
	f.Add([]byte{0x12, 0xff})
	f.Add([]byte{0x08})
	f.Fuzz(func(t *testing.T, b []byte) {
		var got braidv1.ReadSegmentResponse
		gotErr := unmarshalRead(append([]byte(nil), b...), &got)
		var want braidv1.ReadSegmentResponse
		wantErr := proto.Unmarshal(b, &want)
		if gotErr != nil || wantErr != nil {
			return
		}
		if got.Offset != want.Offset || got.Tail != want.Tail || got.EndOfSegment != want.EndOfSegment || !bytes.Equal(got.Events, want.Events) ||
			!slices.EqualFunc(got.CommitTimes, want.CommitTimes, sameCommitTime) {
			t.Fatalf("decoded %v, generated code decodes %v", &got, &want)
		}
	})
}

func sameCommitTime(a, b *braidv1.CommitTime) bool {
	return a.GetOffset() == b.GetOffset() && a.GetTimeUnixNanos() == b.GetTimeUnixNanos()
}
