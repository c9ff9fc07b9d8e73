package braid

import (
	"google.golang.org/grpc/encoding"
	_ "google.golang.org/grpc/encoding/proto" // registers the "proto" codec
	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
)

// dataCodec is the gRPC codec of the client's data streams (Append and
// ReadSegment). It produces and accepts exactly the protobuf wire format, but
// moves event bytes without copying them:
//
//   - An AppendRequest carrying a batch is encoded as a small header (the
//     batch's scalar fields and the events field's tag and length) followed
//     by the batch's event buffer itself, not a copy. gRPC writes both to
//     the connection after Marshal returns, possibly after SendMsg has
//     returned too, so the writer must not change or reuse a batch buffer
//     until the server has acknowledged the batch it was sent with (see
//     Writer's buffer recycling).
//   - A ReadSegmentResponse is decoded from one copy of the received bytes,
//     and its Events field aliases that copy instead of being copied again.
//
// Every other message goes through gRPC's standard proto codec.
type dataCodec struct{}

var protoCodec = encoding.GetCodecV2("proto")

// Name returns "proto": the bytes on the wire are standard protobuf.
func (dataCodec) Name() string { return "proto" }

// Marshal encodes v.
func (dataCodec) Marshal(v any) (mem.BufferSlice, error) {
	if req, ok := v.(*braidv1.AppendRequest); ok {
		if b := req.GetBatch(); b != nil && len(b.GetEvents()) > 0 {
			return marshalBatch(b), nil
		}
	}
	return protoCodec.Marshal(v)
}

// Unmarshal decodes data into v.
func (dataCodec) Unmarshal(data mem.BufferSlice, v any) error {
	if resp, ok := v.(*braidv1.ReadSegmentResponse); ok {
		return unmarshalRead(data.Materialize(), resp)
	}
	return protoCodec.Unmarshal(data, v)
}

// Field numbers of the messages the codec encodes or decodes by hand; they
// must match api/braid/v1/braid.proto (TestDataCodec checks them against the
// generated code).
const (
	fieldRequestBatch = 2 // AppendRequest.batch

	fieldBatchID    = 1 // AppendBatch.batch_id
	fieldBatchSeg   = 2 // AppendBatch.segment_id
	fieldBatchFirst = 3 // AppendBatch.first_event_number
	fieldBatchCount = 4 // AppendBatch.event_count
	fieldBatchData  = 5 // AppendBatch.events

	fieldReadOffset = 1 // ReadSegmentResponse.offset
	fieldReadEvents = 2 // ReadSegmentResponse.events
	fieldReadTail   = 3 // ReadSegmentResponse.tail
	fieldReadEnd    = 4 // ReadSegmentResponse.end_of_segment
)

// marshalBatch encodes an AppendRequest holding b, in field order as
// proto.Marshal does, with b's events as a second, uncopied buffer.
func marshalBatch(b *braidv1.AppendBatch) mem.BufferSlice {
	events := b.GetEvents()
	// Four varint fields of at most 1+10 bytes, and the events tag and length.
	var inner [4*11 + 1 + 10]byte
	in := inner[:0]
	appendVarint := func(num protowire.Number, v uint64) {
		if v != 0 {
			in = protowire.AppendTag(in, num, protowire.VarintType)
			in = protowire.AppendVarint(in, v)
		}
	}
	appendVarint(fieldBatchID, b.GetBatchId())
	appendVarint(fieldBatchSeg, b.GetSegmentId())
	appendVarint(fieldBatchFirst, uint64(b.GetFirstEventNumber()))
	appendVarint(fieldBatchCount, uint64(b.GetEventCount()))
	in = protowire.AppendTag(in, fieldBatchData, protowire.BytesType)
	in = protowire.AppendVarint(in, uint64(len(events)))

	hdr := make([]byte, 0, 1+protowire.SizeVarint(uint64(len(in)+len(events)))+len(in))
	hdr = protowire.AppendTag(hdr, fieldRequestBatch, protowire.BytesType)
	hdr = protowire.AppendVarint(hdr, uint64(len(in)+len(events)))
	hdr = append(hdr, in...)
	return mem.BufferSlice{mem.SliceBuffer(hdr), mem.SliceBuffer(events)}
}

// unmarshalRead decodes a ReadSegmentResponse from buf, which it keeps:
// resp.Events aliases it.
func unmarshalRead(buf []byte, resp *braidv1.ReadSegmentResponse) error {
	proto.Reset(resp)
	for len(buf) > 0 {
		num, typ, n := protowire.ConsumeTag(buf)
		if n < 0 {
			return protowire.ParseError(n)
		}
		buf = buf[n:]
		switch {
		case num == fieldReadEvents && typ == protowire.BytesType:
			var v []byte
			v, n = protowire.ConsumeBytes(buf)
			resp.Events = v
		case (num == fieldReadOffset || num == fieldReadTail || num == fieldReadEnd) && typ == protowire.VarintType:
			var v uint64
			v, n = protowire.ConsumeVarint(buf)
			switch num {
			case fieldReadOffset:
				resp.Offset = int64(v)
			case fieldReadTail:
				resp.Tail = int64(v)
			default:
				resp.EndOfSegment = v != 0
			}
		default:
			n = protowire.ConsumeFieldValue(num, typ, buf)
		}
		if n < 0 {
			return protowire.ParseError(n)
		}
		buf = buf[n:]
	}
	return nil
}
