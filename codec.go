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
//   - An AppendRequest carrying batches is encoded as, per batch, a small
//     header (the batch's scalar fields and the events field's tag and
//     length) followed by the batch's event buffer itself, not a copy. gRPC writes both to
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
		if bs := req.GetBatches(); bs != nil {
			return marshalBatches(bs.GetBatches()), nil
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
	fieldRequestBatches = 4 // AppendRequest.batches
	fieldBatchesBatch   = 1 // AppendBatches.batches

	fieldBatchID     = 1 // AppendBatch.batch_id
	fieldBatchSeg    = 2 // AppendBatch.segment_id
	fieldBatchFirst  = 3 // AppendBatch.first_event_number
	fieldBatchCount  = 4 // AppendBatch.event_count
	fieldBatchData   = 5 // AppendBatch.events
	fieldBatchWriter = 6 // AppendBatch.writer
	fieldBatchLast   = 7 // AppendBatch.last_event_number

	fieldReadOffset = 1 // ReadSegmentResponse.offset
	fieldReadEvents = 2 // ReadSegmentResponse.events
	fieldReadTail   = 3 // ReadSegmentResponse.tail
	fieldReadEnd    = 4 // ReadSegmentResponse.end_of_segment
	fieldReadTimes  = 5 // ReadSegmentResponse.commit_times
)

// marshalBatches encodes an AppendRequest holding AppendBatches of bs, in
// field order as proto.Marshal does, with each batch's events as a buffer
// of its own, uncopied, after the batch's header.
func marshalBatches(bs []*braidv1.AppendBatch) mem.BufferSlice {
	// Per batch: the batch's tag and length, five varint fields of at most
	// 1+10 bytes, and the events' tag and length.
	const maxHead = 1 + 10 + 5*11 + 1 + 10
	heads := make([]byte, 0, 1+10+len(bs)*maxHead)
	out := make(mem.BufferSlice, 0, 1+2*len(bs))
	// The request's own head (tag, length of AppendBatches) comes first;
	// its length is known once the batches' are.
	total := 0
	starts := make([]int, len(bs)+1)
	for i, b := range bs {
		starts[i] = len(heads)
		events := b.GetEvents()
		var inner [5*11 + 1 + 10]byte
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
		if len(events) > 0 {
			in = protowire.AppendTag(in, fieldBatchData, protowire.BytesType)
			in = protowire.AppendVarint(in, uint64(len(events)))
		}
		// The writer handle and last number follow the events on the
		// wire (field order); they are small, so they go in the next
		// head, or the tail.
		heads = protowire.AppendTag(heads, fieldBatchesBatch, protowire.BytesType)
		size := len(in) + len(events) + len(batchTrail(nil, b))
		heads = protowire.AppendVarint(heads, uint64(size))
		heads = append(heads, in...)
		total += protowire.SizeTag(fieldBatchesBatch) + protowire.SizeVarint(uint64(size)) + size
	}
	starts[len(bs)] = len(heads)
	var req []byte
	req = protowire.AppendTag(req, fieldRequestBatches, protowire.BytesType)
	req = protowire.AppendVarint(req, uint64(total))
	out = append(out, mem.SliceBuffer(req))
	for i, b := range bs {
		head := heads[starts[i]:starts[i+1]]
		if i > 0 {
			if t := batchTrail(nil, bs[i-1]); len(t) > 0 {
				head = append(t, head...)
			}
		}
		out = append(out, mem.SliceBuffer(head))
		if events := b.GetEvents(); len(events) > 0 {
			out = append(out, mem.SliceBuffer(events))
		}
	}
	if n := len(bs); n > 0 {
		if t := batchTrail(nil, bs[n-1]); len(t) > 0 {
			out = append(out, mem.SliceBuffer(t))
		}
	}
	return out
}

// batchTrail appends the fields of b that follow its events on the wire.
func batchTrail(buf []byte, b *braidv1.AppendBatch) []byte {
	if w := b.GetWriter(); w != 0 {
		buf = protowire.AppendTag(buf, fieldBatchWriter, protowire.VarintType)
		buf = protowire.AppendVarint(buf, uint64(w))
	}
	if l := b.GetLastEventNumber(); l != 0 {
		buf = protowire.AppendTag(buf, fieldBatchLast, protowire.VarintType)
		buf = protowire.AppendVarint(buf, uint64(l))
	}
	return buf
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
		case num == fieldReadTimes && typ == protowire.BytesType:
			var v []byte
			v, n = protowire.ConsumeBytes(buf)
			if n >= 0 {
				ct, err := unmarshalCommitTime(v)
				if err != nil {
					return err
				}
				resp.CommitTimes = append(resp.CommitTimes, ct)
			}
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

// unmarshalCommitTime decodes one ReadSegmentResponse.commit_times entry.
func unmarshalCommitTime(buf []byte) (*braidv1.CommitTime, error) {
	ct := &braidv1.CommitTime{}
	for len(buf) > 0 {
		num, typ, n := protowire.ConsumeTag(buf)
		if n < 0 {
			return nil, protowire.ParseError(n)
		}
		buf = buf[n:]
		if (num == 1 || num == 2) && typ == protowire.VarintType {
			var v uint64
			v, n = protowire.ConsumeVarint(buf)
			if num == 1 {
				ct.Offset = int64(v)
			} else {
				ct.TimeUnixNanos = int64(v)
			}
		} else {
			n = protowire.ConsumeFieldValue(num, typ, buf)
		}
		if n < 0 {
			return nil, protowire.ParseError(n)
		}
		buf = buf[n:]
	}
	return ct, nil
}
