package grpcapi

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
)

func TestAppendCodecFieldNumbers(t *testing.T) {
	check := func(m proto.Message, name protoreflect.Name, want protowire.Number) {
		t.Helper()
		f := m.ProtoReflect().Descriptor().Fields().ByName(name)
		if f == nil || f.Number() != want {
			t.Fatalf("%T.%s: field %v, codec uses %d", m, name, f, want)
		}
	}
	check(&braidv1.AppendRequest{}, "batches", fieldRequestBatches)
	check(&braidv1.AppendBatches{}, "batches", fieldBatchesBatch)
	check(&braidv1.AppendBatch{}, "batch_id", fieldBatchID)
	check(&braidv1.AppendBatch{}, "segment_id", fieldBatchSeg)
	check(&braidv1.AppendBatch{}, "first_event_number", fieldBatchFirst)
	check(&braidv1.AppendBatch{}, "event_count", fieldBatchCount)
	check(&braidv1.AppendBatch{}, "events", fieldBatchData)
	check(&braidv1.AppendBatch{}, "writer", fieldBatchWriter)
	check(&braidv1.AppendBatch{}, "last_event_number", fieldBatchLast)
	check(&braidv1.AppendBatch{}, "key_points", fieldBatchPoints)
}

// checkBatchesDecode decodes buf by hand and with proto.Unmarshal: where
// the hand decoder takes a message, both must agree; where it declines,
// it must have set nothing.
func checkBatchesDecode(t *testing.T, buf []byte) {
	t.Helper()
	var got braidv1.AppendRequest
	ok := unmarshalBatches(buf, &got)
	var want braidv1.AppendRequest
	err := proto.Unmarshal(buf, &want)
	switch {
	case ok && err != nil:
		t.Fatalf("hand decoder took %x, which proto refuses: %v", buf, err)
	case ok && !proto.Equal(&got, &want):
		t.Fatalf("decoded %x as\n%v\nproto says\n%v", buf, &got, &want)
	case !ok && got.Kind != nil:
		t.Fatalf("declined %x but set %v", buf, &got)
	}
}

func TestUnmarshalBatches(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 500 {
		var bs []*braidv1.AppendBatch
		for range 1 + r.IntN(5) {
			ev := make([]byte, r.IntN(100))
			for j := range ev {
				ev[j] = byte(r.Uint32())
			}
			bs = append(bs, &braidv1.AppendBatch{BatchId: r.Uint64(), SegmentId: uint64(r.IntN(3)), FirstEventNumber: r.Int64(),
				EventCount: r.Uint32(), Events: ev, Writer: uint32(r.IntN(3)), LastEventNumber: int64(r.IntN(2)) * r.Int64(), KeyPoints: keyPoints(r)})
		}
		req := &braidv1.AppendRequest{Kind: &braidv1.AppendRequest_Batches{Batches: &braidv1.AppendBatches{Batches: bs}}}
		buf, err := proto.Marshal(req)
		if err != nil {
			t.Fatal(err)
		}
		var got braidv1.AppendRequest
		if !unmarshalBatches(buf, &got) {
			t.Fatalf("message %d: declined a valid batches message", i)
		}
		checkBatchesDecode(t, buf)
		for j, b := range got.GetBatches().GetBatches() {
			// The events alias buf: a change to buf shows in them.
			if len(b.Events) > 0 {
				b.Events[0]++
				if !bytes.Contains(buf, b.Events) {
					t.Fatalf("batch %d: events were copied", j)
				}
			}
		}
	}
	// Other kinds are declined, for proto to decode.
	for _, m := range []*braidv1.AppendRequest{
		{Kind: &braidv1.AppendRequest_Open{Open: &braidv1.AppendOpen{Writer: 1, WriterId: "w"}}},
		{Kind: &braidv1.AppendRequest_Setup{Setup: &braidv1.AppendSetup{WriterId: "w"}}},
		{Kind: &braidv1.AppendRequest_Close{Close: &braidv1.AppendClose{Writer: 1}}},
		{},
	} {
		buf, _ := proto.Marshal(m)
		var got braidv1.AppendRequest
		if unmarshalBatches(buf, &got) {
			t.Fatalf("took %v", m)
		}
	}
}

// FuzzUnmarshalBatches checks the hand-written AppendRequest decoder
// against proto.Unmarshal on any input.
func FuzzUnmarshalBatches(f *testing.F) {
	for _, m := range []*braidv1.AppendRequest{
		{Kind: &braidv1.AppendRequest_Batches{Batches: &braidv1.AppendBatches{Batches: []*braidv1.AppendBatch{{BatchId: 1, SegmentId: 2, FirstEventNumber: 3, EventCount: 1, Events: []byte("\x00\x00\x00\x01abcdx"), Writer: 1}}}}},
		{Kind: &braidv1.AppendRequest_Batches{Batches: &braidv1.AppendBatches{}}},
		{Kind: &braidv1.AppendRequest_Open{Open: &braidv1.AppendOpen{Writer: 1, WriterId: "w"}}},
	} {
		buf, _ := proto.Marshal(m)
		f.Add(buf)
	}
	f.Fuzz(func(t *testing.T, buf []byte) { checkBatchesDecode(t, buf) })
}

// keyPoints returns no key points, or a few.
func keyPoints(r *rand.Rand) []uint64 {
	var ps []uint64
	for range r.IntN(3) * r.IntN(4) {
		ps = append(ps, r.Uint64()>>11)
	}
	return ps
}
