package grpcapi

import (
	"context"
	"sync"

	"google.golang.org/grpc"
	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	braidv1 "github.com/braidstream/braid/api/braid/v1"

	// Registers the "proto" codec that ServerCodec wraps.
	_ "google.golang.org/grpc/encoding/proto"
)

// ServerCodec is the server's codec: protobuf, with requests that do not
// parse answered INVALID_ARGUMENT instead of grpc's INTERNAL.
//
// grpc turns any Unmarshal error into INTERNAL before a handler or an
// interceptor sees it. So Unmarshal reports success for a message that does
// not parse, leaves it empty and remembers it, and the interceptors
// (UnaryInterceptor, StreamInterceptor, installed with the codec) answer a
// remembered message with INVALID_ARGUMENT before any handler sees it.
type ServerCodec struct {
	proto encoding.CodecV2
	bad   sync.Map // message pointer -> its parse error, until an interceptor takes it
}

var _ encoding.CodecV2 = (*ServerCodec)(nil)

// NewServerCodec returns the codec; install it with grpc.ForceServerCodecV2
// together with its interceptors.
func NewServerCodec() *ServerCodec {
	return &ServerCodec{proto: encoding.GetCodecV2("proto")}
}

// Name implements encoding.CodecV2.
func (c *ServerCodec) Name() string { return "proto" }

// Marshal implements encoding.CodecV2. A ReadSegmentResponse is encoded
// with its events not copied: the bytes on the wire are proto.Marshal's,
// but the events go to the transport as the buffer the store returned
// (which nobody modifies, see segstore.ReadResult), so that a response the
// client has not taken yet holds no second copy of them.
func (c *ServerCodec) Marshal(v any) (mem.BufferSlice, error) {
	if r, ok := v.(*braidv1.ReadSegmentResponse); ok && len(r.GetEvents()) > 0 {
		return marshalRead(r), nil
	}
	return c.proto.Marshal(v)
}

// Field numbers of ReadSegmentResponse (api/braid/v1/braid.proto; the
// codec test checks them against proto.Marshal).
const (
	fieldReadOffset = 1
	fieldReadEvents = 2
	fieldReadTail   = 3
	fieldReadEnd    = 4
	fieldReadTimes  = 5
)

// marshalRead encodes r in field order as proto.Marshal does: a head (the
// offset, the events' tag and length), the events, a tail.
func marshalRead(r *braidv1.ReadSegmentResponse) mem.BufferSlice {
	var head []byte
	if r.GetOffset() != 0 {
		head = protowire.AppendTag(head, fieldReadOffset, protowire.VarintType)
		head = protowire.AppendVarint(head, uint64(r.GetOffset()))
	}
	head = protowire.AppendTag(head, fieldReadEvents, protowire.BytesType)
	head = protowire.AppendVarint(head, uint64(len(r.GetEvents())))
	var tail []byte
	if r.GetTail() != 0 {
		tail = protowire.AppendTag(tail, fieldReadTail, protowire.VarintType)
		tail = protowire.AppendVarint(tail, uint64(r.GetTail()))
	}
	if r.GetEndOfSegment() {
		tail = protowire.AppendTag(tail, fieldReadEnd, protowire.VarintType)
		tail = protowire.AppendVarint(tail, 1)
	}
	for _, ct := range r.GetCommitTimes() {
		var m []byte
		if ct.GetOffset() != 0 {
			m = protowire.AppendTag(m, 1, protowire.VarintType)
			m = protowire.AppendVarint(m, uint64(ct.GetOffset()))
		}
		if ct.GetTimeUnixNanos() != 0 {
			m = protowire.AppendTag(m, 2, protowire.VarintType)
			m = protowire.AppendVarint(m, uint64(ct.GetTimeUnixNanos()))
		}
		tail = protowire.AppendTag(tail, fieldReadTimes, protowire.BytesType)
		tail = protowire.AppendBytes(tail, m)
	}
	out := mem.BufferSlice{mem.SliceBuffer(head), mem.SliceBuffer(r.GetEvents())}
	if len(tail) > 0 {
		out = append(out, mem.SliceBuffer(tail))
	}
	return out
}

// Unmarshal implements encoding.CodecV2 (see ServerCodec).
// An AppendRequest of batches is decoded by hand from one copy of the
// received bytes, which the batches' events alias (unmarshalBatches).
func (c *ServerCodec) Unmarshal(data mem.BufferSlice, v any) error {
	if req, ok := v.(*braidv1.AppendRequest); ok {
		buf := data.Materialize()
		proto.Reset(req)
		if unmarshalBatches(buf, req) {
			return nil
		}
	}
	err := c.proto.Unmarshal(data, v)
	if err == nil {
		return nil
	}
	m, ok := v.(proto.Message)
	if !ok {
		return err
	}
	proto.Reset(m)
	c.bad.Store(v, err)
	return nil
}

// check returns the INVALID_ARGUMENT status of a message that did not parse.
func (c *ServerCodec) check(method string, m any) error {
	v, ok := c.bad.LoadAndDelete(m)
	if !ok {
		return nil
	}
	return toStatus(invalidArg("%s: the request message is not valid protobuf: %v", method, v))
}

// UnaryInterceptor answers a request that did not parse.
func (c *ServerCodec) UnaryInterceptor(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	if err := c.check(info.FullMethod, req); err != nil {
		return nil, err
	}
	return handler(ctx, req)
}

// StreamInterceptor makes RecvMsg fail on a message that did not parse.
func (c *ServerCodec) StreamInterceptor(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	return handler(srv, &checkedStream{ServerStream: ss, codec: c, method: info.FullMethod})
}

type checkedStream struct {
	grpc.ServerStream
	codec  *ServerCodec
	method string
}

func (s *checkedStream) RecvMsg(m any) error {
	if err := s.ServerStream.RecvMsg(m); err != nil {
		return err
	}
	return s.codec.check(s.method, m)
}
