package grpcapi

import (
	"bytes"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
)

// TestMarshalRead: the hand-made ReadSegmentResponse encoding is byte for
// byte proto.Marshal's, and its field numbers are the .proto's.
func TestMarshalRead(t *testing.T) {
	for name, num := range map[string]int{"offset": fieldReadOffset, "events": fieldReadEvents, "tail": fieldReadTail,
		"end_of_segment": fieldReadEnd, "commit_times": fieldReadTimes} {
		if f := (&braidv1.ReadSegmentResponse{}).ProtoReflect().Descriptor().Fields().ByName(protoreflect.Name(name)); f == nil || int(f.Number()) != num {
			t.Errorf("ReadSegmentResponse.%s: field %v, codec uses %d", name, f, num)
		}
	}
	for _, r := range []*braidv1.ReadSegmentResponse{
		{Events: []byte("x")},
		{Offset: 7, Events: []byte("abc"), Tail: 99, EndOfSegment: true},
		{Offset: 1 << 40, Events: bytes.Repeat([]byte{1}, 300), Tail: 5,
			CommitTimes: []*braidv1.CommitTime{{Offset: 1 << 40, TimeUnixNanos: 1_800_000_000_000_000_000}, {Offset: 1<<40 + 9}, {}}},
	} {
		want, err := proto.MarshalOptions{Deterministic: true}.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if got := marshalRead(r).Materialize(); !bytes.Equal(got, want) {
			t.Errorf("%v: encoded %x, want %x", r, got, want)
		}
	}
}
