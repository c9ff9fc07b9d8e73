package grpcapi

import (
	"google.golang.org/protobuf/encoding/protowire"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
)

// Field numbers of the append messages decoded by hand (api/braid/v1/
// braid.proto; the codec test checks them against the generated code).
const (
	fieldRequestBatches = 4 // AppendRequest.batches
	fieldBatchesBatch   = 1 // AppendBatches.batches
	fieldBatchID        = 1 // AppendBatch.batch_id
	fieldBatchSeg       = 2
	fieldBatchFirst     = 3
	fieldBatchCount     = 4
	fieldBatchData      = 5
	fieldBatchWriter    = 6
	fieldBatchLast      = 7
	fieldBatchPoints    = 8
)

// unmarshalBatches decodes buf as an AppendRequest holding AppendBatches,
// with every batch's events aliasing buf (which the caller owns and never
// changes): the events go from the one copy of the received message to the
// store without another. It reports false, having set nothing, for any
// message it does not decode exactly as proto.Unmarshal would: another
// kind of request, an unknown field, a malformed encoding; the caller then
// uses proto.Unmarshal.
func unmarshalBatches(buf []byte, req *braidv1.AppendRequest) bool {
	var batches []*braidv1.AppendBatch
	for len(buf) > 0 {
		num, typ, n := protowire.ConsumeTag(buf)
		if n < 0 || num != fieldRequestBatches || typ != protowire.BytesType {
			return false
		}
		buf = buf[n:]
		msg, n := protowire.ConsumeBytes(buf)
		if n < 0 {
			return false
		}
		buf = buf[n:]
		// Occurrences of a message field merge: their batches add up.
		for len(msg) > 0 {
			num, typ, n := protowire.ConsumeTag(msg)
			if n < 0 || num != fieldBatchesBatch || typ != protowire.BytesType {
				return false
			}
			msg = msg[n:]
			enc, n := protowire.ConsumeBytes(msg)
			if n < 0 {
				return false
			}
			msg = msg[n:]
			b := &braidv1.AppendBatch{}
			if !unmarshalBatch(enc, b) {
				return false
			}
			batches = append(batches, b)
		}
	}
	if batches == nil {
		return false // no batches field: let proto say what it is
	}
	req.Kind = &braidv1.AppendRequest_Batches{Batches: &braidv1.AppendBatches{Batches: batches}}
	return true
}

// unmarshalBatch decodes one AppendBatch; the events alias buf. A field
// that occurs twice keeps its last value, as in proto.Unmarshal.
func unmarshalBatch(buf []byte, b *braidv1.AppendBatch) bool {
	for len(buf) > 0 {
		num, typ, n := protowire.ConsumeTag(buf)
		if n < 0 {
			return false
		}
		buf = buf[n:]
		if num == fieldBatchData {
			if typ != protowire.BytesType {
				return false
			}
			v, n := protowire.ConsumeBytes(buf)
			if n < 0 {
				return false
			}
			b.Events = v
			if len(v) == 0 {
				b.Events = []byte{} // proto.Unmarshal's empty, not nil
			}
			buf = buf[n:]
			continue
		}
		if num == fieldBatchPoints {
			// Packed, as proto3 sends it (an unpacked one goes to proto).
			if typ != protowire.BytesType {
				return false
			}
			v, n := protowire.ConsumeBytes(buf)
			if n < 0 || len(v)%8 != 0 {
				return false
			}
			for len(v) > 0 {
				p, _ := protowire.ConsumeFixed64(v)
				b.KeyPoints = append(b.KeyPoints, p)
				v = v[8:]
			}
			buf = buf[n:]
			continue
		}
		if typ != protowire.VarintType {
			return false
		}
		v, n := protowire.ConsumeVarint(buf)
		if n < 0 {
			return false
		}
		buf = buf[n:]
		switch num {
		case fieldBatchID:
			b.BatchId = v
		case fieldBatchSeg:
			b.SegmentId = v
		case fieldBatchFirst:
			b.FirstEventNumber = int64(v)
		case fieldBatchCount:
			b.EventCount = uint32(v)
		case fieldBatchWriter:
			b.Writer = uint32(v)
		case fieldBatchLast:
			b.LastEventNumber = int64(v)
		default:
			return false
		}
	}
	return true
}
