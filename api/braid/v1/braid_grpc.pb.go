// braid's gRPC API. Any gRPC client in any language can use it from this
// file alone; the Go client (package braid) is a convenience over it.
//
// Event framing. Event bytes travel framed exactly as stored in segments:
// per event an 8-byte header (4-byte big-endian payload length, 4-byte
// big-endian CRC32C (Castagnoli) of the payload) followed by the payload.
// An event pointer is (segment_id, offset of the header, framed length).
//
// Routing. A writer picks each event's segment from its routing key; the
// server checks the choice only for batches that carry their events' key
// points (AppendBatch.key_points), so every client must compute it exactly
// so, or per-key order across clients breaks (see docs/formats.md,
// "Routing keys"):
//   1. point = float64(XXH64(key) >> 11) / 2^53: XXH64 with seed 0 of the
//      key's UTF-8 bytes, its top 53 bits as an integer, divided by 2^53.
//      Every point is in [0,1): the largest is 1 - 2^-53.
//   2. The event goes to the current segment whose [key_low, key_high)
//      holds the point: key_low <= point < key_high. The segments of an
//      epoch cover [0,1) without gaps (each key_high is exactly the next
//      key_low, as float64) and the last has key_high = 1, so exactly one
//      segment holds each point. Compare with the float64 values the
//      server returns; do not recompute them.
// Test vectors (key as a quoted string, XXH64 in hex, point as Go's
// strconv.FormatFloat(p, 'g', -1, 64), the shortest text that reads back
// as the same float64). wire/keypoint_vectors_test.go checks these lines
// against wire.KeyPoint through the file wire/testdata/keypoints.txt:
//   ""                 ef46db3751d8e999  0.9346749315317059
//   "a"                d24ec4f1a98c6e5b  0.8215144243236395
//   "user-1"           a173746b114c6be8  0.6306679498095932
//   "user-2"           7395dd9943ab55e9  0.4515055178814411
//   "customer-42"      ca6e96e956958c0f  0.7907499618218791
//   "héllo"            3bd06310388ebbe4  0.2336484827615618
//   "日本語"              7179a19f3719f5e1  0.44326219689455804
//   "order/2024/0001"  2cfc6fc5e134ef21  0.17572687703178114
//
// Errors. Every error a braid handler returns is a google.rpc.Status (the
// grpc-status-details-bin trailer) whose details hold one
// google.rpc.ErrorInfo with domain "braid.io" and as reason braid's stable
// code. ErrorInfo is the message of googleapis' google/rpc/
// error_details.proto; this file does not import it (no field here has
// that type; decode it with your language's googleapis package). Errors
// that gRPC itself makes (a message over the size limit, an unknown
// method, a call the client canceled, a broken connection) carry no
// ErrorInfo: go by their gRPC code. A failed append batch carries the
// same code in-band, in AppendAck.error.code. The codes (wire/codes.go,
// assigned in internal/errclass/errclass.go; never renamed, new ones may be
// added, so treat an unknown one like INTERNAL), with their usual gRPC code:
//   INVALID_ARGUMENT   malformed request; the same again fails again
//                      (INVALID_ARGUMENT; FAILED_PRECONDITION for a
//                      non-empty scope; OUT_OF_RANGE for an offset past
//                      the tail)
//   NOT_FOUND          no such scope, stream, segment or group (NOT_FOUND)
//   ALREADY_EXISTS     the name is taken (ALREADY_EXISTS)
//   SEALED             the segment or stream takes no more appends
//                      (FAILED_PRECONDITION)
//   TRUNCATED          the data was truncated or removed by retention
//                      (OUT_OF_RANGE)
//   EVENT_TOO_LARGE    an event or a batch is over its limit
//                      (INVALID_ARGUMENT)
//   EVENT_NUMBER_GAP   a batch's event numbers skip ahead of, or overlap,
//                      those stored for its writer (FAILED_PRECONDITION)
//   STORAGE_FULL       storage is full; appends are refused
//                      (RESOURCE_EXHAUSTED)
//   STORAGE_FAILED     a write, fsync or upload failed; nothing
//                      acknowledged was lost (UNAVAILABLE)
//   UNAVAILABLE        not serving right now; retry (UNAVAILABLE)
//   CORRUPT            stored data failed a checksum (DATA_LOSS)
//   INTERNAL           a server bug (INTERNAL)
//   DEADLINE_EXCEEDED  the call's deadline passed (DEADLINE_EXCEEDED)
//   CANCELED           the call was canceled (CANCELED)
//   CONFLICT           a concurrent change won, e.g. another scaling;
//                      look again and retry (ABORTED)
//   QUOTA_EXCEEDED     over a stream or segment quota (RESOURCE_EXHAUSTED)
//   PROTOCOL_VERSION   the client speaks a version of a protocol that
//                      this server does not serve, e.g. append protocol 1
//                      (UNIMPLEMENTED)
//
// Limits.
//   - An event's payload is at most 8 MiB (wire.DefaultMaxEventSize), and
//     one AppendBatch's events at most 16 MiB framed.
//   - A gRPC message is at most 64 MiB either way (the server's
//     MaxRecvMsgSize and MaxSendMsgSize).
//   - A ReadSegmentResponse holds at most 1 MiB of events, except that one
//     event larger than that comes whole.
//   - An append session has at most max_inflight_batches (16) batches per
//     writer and segment unacknowledged; see AppendOpened. It has at most
//     1024 writers open at once (an AppendOpen past it is answered with
//     error INVALID_ARGUMENT).
//   - Write deadline: a streaming call (Append, ReadSegment) whose client
//     leaves a response unread for 10 s (the server's
//     --grpc-write-deadline) is ended with gRPC code RESOURCE_EXHAUSTED and
//     braid code UNAVAILABLE (ErrorInfo metadata limit =
//     "grpc-write-deadline"): start the call again from where it was.

// Code generated by protoc-gen-go-grpc. DO NOT EDIT.
// versions:
// - protoc-gen-go-grpc v1.6.2
// - protoc             (unknown)
// source: braid/v1/braid.proto

package braidv1

import (
	context "context"
	grpc "google.golang.org/grpc"
	codes "google.golang.org/grpc/codes"
	status "google.golang.org/grpc/status"
)

// This is a compile-time assertion to ensure that this generated file
// is compatible with the grpc package it is being compiled against.
// Requires gRPC-Go v1.64.0 or later.
const _ = grpc.SupportPackageIsVersion9

const (
	StreamService_CreateScope_FullMethodName    = "/braid.v1.StreamService/CreateScope"
	StreamService_ListScopes_FullMethodName     = "/braid.v1.StreamService/ListScopes"
	StreamService_DeleteScope_FullMethodName    = "/braid.v1.StreamService/DeleteScope"
	StreamService_CreateStream_FullMethodName   = "/braid.v1.StreamService/CreateStream"
	StreamService_GetStream_FullMethodName      = "/braid.v1.StreamService/GetStream"
	StreamService_ListStreams_FullMethodName    = "/braid.v1.StreamService/ListStreams"
	StreamService_SealStream_FullMethodName     = "/braid.v1.StreamService/SealStream"
	StreamService_TruncateStream_FullMethodName = "/braid.v1.StreamService/TruncateStream"
	StreamService_UpdateStream_FullMethodName   = "/braid.v1.StreamService/UpdateStream"
	StreamService_DeleteStream_FullMethodName   = "/braid.v1.StreamService/DeleteStream"
	StreamService_ScaleStream_FullMethodName    = "/braid.v1.StreamService/ScaleStream"
	StreamService_GetSuccessors_FullMethodName  = "/braid.v1.StreamService/GetSuccessors"
)

// StreamServiceClient is the client API for StreamService service.
//
// For semantics around ctx use and closing/ending streaming RPCs, please refer to https://pkg.go.dev/google.golang.org/grpc/?tab=doc#ClientConn.NewStream.
//
// StreamService administers scopes and streams.
type StreamServiceClient interface {
	CreateScope(ctx context.Context, in *CreateScopeRequest, opts ...grpc.CallOption) (*CreateScopeResponse, error)
	ListScopes(ctx context.Context, in *ListScopesRequest, opts ...grpc.CallOption) (*ListScopesResponse, error)
	// DeleteScope fails with FAILED_PRECONDITION while the scope has streams.
	DeleteScope(ctx context.Context, in *DeleteScopeRequest, opts ...grpc.CallOption) (*DeleteScopeResponse, error)
	CreateStream(ctx context.Context, in *CreateStreamRequest, opts ...grpc.CallOption) (*CreateStreamResponse, error)
	GetStream(ctx context.Context, in *GetStreamRequest, opts ...grpc.CallOption) (*GetStreamResponse, error)
	ListStreams(ctx context.Context, in *ListStreamsRequest, opts ...grpc.CallOption) (*ListStreamsResponse, error)
	SealStream(ctx context.Context, in *SealStreamRequest, opts ...grpc.CallOption) (*SealStreamResponse, error)
	// TruncateStream drops every event before a stream cut. Reads below it
	// then fail with TRUNCATED. The cut must name every current segment of
	// the stream, at event boundaries; truncating below an earlier
	// truncation point is a no-op for that segment.
	TruncateStream(ctx context.Context, in *TruncateStreamRequest, opts ...grpc.CallOption) (*TruncateStreamResponse, error)
	// UpdateStream changes a stream's configuration. Only the retention
	// policy can change; a config that changes anything else fails with
	// INVALID_ARGUMENT naming the field.
	UpdateStream(ctx context.Context, in *UpdateStreamRequest, opts ...grpc.CallOption) (*UpdateStreamResponse, error)
	// DeleteStream deletes a stream, its segments and every reader group
	// that reads it.
	DeleteStream(ctx context.Context, in *DeleteStreamRequest, opts ...grpc.CallOption) (*DeleteStreamResponse, error)
	// ScaleStream makes a new epoch: it seals the named segments and creates
	// successors over the same key range. Either one segment is split into
	// two or more ranges, or two or more neighbouring segments are merged
	// into one. The other segments carry over into the new epoch unchanged.
	ScaleStream(ctx context.Context, in *ScaleStreamRequest, opts ...grpc.CallOption) (*ScaleStreamResponse, error)
	// GetSuccessors returns the segments that took over a sealed segment's
	// key range, each with all of its predecessors. It is empty while the
	// segment is current, and for a segment sealed with its stream.
	GetSuccessors(ctx context.Context, in *GetSuccessorsRequest, opts ...grpc.CallOption) (*GetSuccessorsResponse, error)
}

type streamServiceClient struct {
	cc grpc.ClientConnInterface
}

func NewStreamServiceClient(cc grpc.ClientConnInterface) StreamServiceClient {
	return &streamServiceClient{cc}
}

func (c *streamServiceClient) CreateScope(ctx context.Context, in *CreateScopeRequest, opts ...grpc.CallOption) (*CreateScopeResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(CreateScopeResponse)
	err := c.cc.Invoke(ctx, StreamService_CreateScope_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *streamServiceClient) ListScopes(ctx context.Context, in *ListScopesRequest, opts ...grpc.CallOption) (*ListScopesResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(ListScopesResponse)
	err := c.cc.Invoke(ctx, StreamService_ListScopes_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *streamServiceClient) DeleteScope(ctx context.Context, in *DeleteScopeRequest, opts ...grpc.CallOption) (*DeleteScopeResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(DeleteScopeResponse)
	err := c.cc.Invoke(ctx, StreamService_DeleteScope_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *streamServiceClient) CreateStream(ctx context.Context, in *CreateStreamRequest, opts ...grpc.CallOption) (*CreateStreamResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(CreateStreamResponse)
	err := c.cc.Invoke(ctx, StreamService_CreateStream_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *streamServiceClient) GetStream(ctx context.Context, in *GetStreamRequest, opts ...grpc.CallOption) (*GetStreamResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(GetStreamResponse)
	err := c.cc.Invoke(ctx, StreamService_GetStream_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *streamServiceClient) ListStreams(ctx context.Context, in *ListStreamsRequest, opts ...grpc.CallOption) (*ListStreamsResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(ListStreamsResponse)
	err := c.cc.Invoke(ctx, StreamService_ListStreams_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *streamServiceClient) SealStream(ctx context.Context, in *SealStreamRequest, opts ...grpc.CallOption) (*SealStreamResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(SealStreamResponse)
	err := c.cc.Invoke(ctx, StreamService_SealStream_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *streamServiceClient) TruncateStream(ctx context.Context, in *TruncateStreamRequest, opts ...grpc.CallOption) (*TruncateStreamResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(TruncateStreamResponse)
	err := c.cc.Invoke(ctx, StreamService_TruncateStream_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *streamServiceClient) UpdateStream(ctx context.Context, in *UpdateStreamRequest, opts ...grpc.CallOption) (*UpdateStreamResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(UpdateStreamResponse)
	err := c.cc.Invoke(ctx, StreamService_UpdateStream_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *streamServiceClient) DeleteStream(ctx context.Context, in *DeleteStreamRequest, opts ...grpc.CallOption) (*DeleteStreamResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(DeleteStreamResponse)
	err := c.cc.Invoke(ctx, StreamService_DeleteStream_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *streamServiceClient) ScaleStream(ctx context.Context, in *ScaleStreamRequest, opts ...grpc.CallOption) (*ScaleStreamResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(ScaleStreamResponse)
	err := c.cc.Invoke(ctx, StreamService_ScaleStream_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *streamServiceClient) GetSuccessors(ctx context.Context, in *GetSuccessorsRequest, opts ...grpc.CallOption) (*GetSuccessorsResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(GetSuccessorsResponse)
	err := c.cc.Invoke(ctx, StreamService_GetSuccessors_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// StreamServiceServer is the server API for StreamService service.
// All implementations must embed UnimplementedStreamServiceServer
// for forward compatibility.
//
// StreamService administers scopes and streams.
type StreamServiceServer interface {
	CreateScope(context.Context, *CreateScopeRequest) (*CreateScopeResponse, error)
	ListScopes(context.Context, *ListScopesRequest) (*ListScopesResponse, error)
	// DeleteScope fails with FAILED_PRECONDITION while the scope has streams.
	DeleteScope(context.Context, *DeleteScopeRequest) (*DeleteScopeResponse, error)
	CreateStream(context.Context, *CreateStreamRequest) (*CreateStreamResponse, error)
	GetStream(context.Context, *GetStreamRequest) (*GetStreamResponse, error)
	ListStreams(context.Context, *ListStreamsRequest) (*ListStreamsResponse, error)
	SealStream(context.Context, *SealStreamRequest) (*SealStreamResponse, error)
	// TruncateStream drops every event before a stream cut. Reads below it
	// then fail with TRUNCATED. The cut must name every current segment of
	// the stream, at event boundaries; truncating below an earlier
	// truncation point is a no-op for that segment.
	TruncateStream(context.Context, *TruncateStreamRequest) (*TruncateStreamResponse, error)
	// UpdateStream changes a stream's configuration. Only the retention
	// policy can change; a config that changes anything else fails with
	// INVALID_ARGUMENT naming the field.
	UpdateStream(context.Context, *UpdateStreamRequest) (*UpdateStreamResponse, error)
	// DeleteStream deletes a stream, its segments and every reader group
	// that reads it.
	DeleteStream(context.Context, *DeleteStreamRequest) (*DeleteStreamResponse, error)
	// ScaleStream makes a new epoch: it seals the named segments and creates
	// successors over the same key range. Either one segment is split into
	// two or more ranges, or two or more neighbouring segments are merged
	// into one. The other segments carry over into the new epoch unchanged.
	ScaleStream(context.Context, *ScaleStreamRequest) (*ScaleStreamResponse, error)
	// GetSuccessors returns the segments that took over a sealed segment's
	// key range, each with all of its predecessors. It is empty while the
	// segment is current, and for a segment sealed with its stream.
	GetSuccessors(context.Context, *GetSuccessorsRequest) (*GetSuccessorsResponse, error)
	mustEmbedUnimplementedStreamServiceServer()
}

// UnimplementedStreamServiceServer must be embedded to have
// forward compatible implementations.
//
// NOTE: this should be embedded by value instead of pointer to avoid a nil
// pointer dereference when methods are called.
type UnimplementedStreamServiceServer struct{}

func (UnimplementedStreamServiceServer) CreateScope(context.Context, *CreateScopeRequest) (*CreateScopeResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method CreateScope not implemented")
}
func (UnimplementedStreamServiceServer) ListScopes(context.Context, *ListScopesRequest) (*ListScopesResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method ListScopes not implemented")
}
func (UnimplementedStreamServiceServer) DeleteScope(context.Context, *DeleteScopeRequest) (*DeleteScopeResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method DeleteScope not implemented")
}
func (UnimplementedStreamServiceServer) CreateStream(context.Context, *CreateStreamRequest) (*CreateStreamResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method CreateStream not implemented")
}
func (UnimplementedStreamServiceServer) GetStream(context.Context, *GetStreamRequest) (*GetStreamResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method GetStream not implemented")
}
func (UnimplementedStreamServiceServer) ListStreams(context.Context, *ListStreamsRequest) (*ListStreamsResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method ListStreams not implemented")
}
func (UnimplementedStreamServiceServer) SealStream(context.Context, *SealStreamRequest) (*SealStreamResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method SealStream not implemented")
}
func (UnimplementedStreamServiceServer) TruncateStream(context.Context, *TruncateStreamRequest) (*TruncateStreamResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method TruncateStream not implemented")
}
func (UnimplementedStreamServiceServer) UpdateStream(context.Context, *UpdateStreamRequest) (*UpdateStreamResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method UpdateStream not implemented")
}
func (UnimplementedStreamServiceServer) DeleteStream(context.Context, *DeleteStreamRequest) (*DeleteStreamResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method DeleteStream not implemented")
}
func (UnimplementedStreamServiceServer) ScaleStream(context.Context, *ScaleStreamRequest) (*ScaleStreamResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method ScaleStream not implemented")
}
func (UnimplementedStreamServiceServer) GetSuccessors(context.Context, *GetSuccessorsRequest) (*GetSuccessorsResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method GetSuccessors not implemented")
}
func (UnimplementedStreamServiceServer) mustEmbedUnimplementedStreamServiceServer() {}
func (UnimplementedStreamServiceServer) testEmbeddedByValue()                       {}

// UnsafeStreamServiceServer may be embedded to opt out of forward compatibility for this service.
// Use of this interface is not recommended, as added methods to StreamServiceServer will
// result in compilation errors.
type UnsafeStreamServiceServer interface {
	mustEmbedUnimplementedStreamServiceServer()
}

func RegisterStreamServiceServer(s grpc.ServiceRegistrar, srv StreamServiceServer) {
	// If the following call panics, it indicates UnimplementedStreamServiceServer was
	// embedded by pointer and is nil.  This will cause panics if an
	// unimplemented method is ever invoked, so we test this at initialization
	// time to prevent it from happening at runtime later due to I/O.
	if t, ok := srv.(interface{ testEmbeddedByValue() }); ok {
		t.testEmbeddedByValue()
	}
	s.RegisterService(&StreamService_ServiceDesc, srv)
}

func _StreamService_CreateScope_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(CreateScopeRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(StreamServiceServer).CreateScope(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: StreamService_CreateScope_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(StreamServiceServer).CreateScope(ctx, req.(*CreateScopeRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _StreamService_ListScopes_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(ListScopesRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(StreamServiceServer).ListScopes(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: StreamService_ListScopes_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(StreamServiceServer).ListScopes(ctx, req.(*ListScopesRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _StreamService_DeleteScope_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(DeleteScopeRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(StreamServiceServer).DeleteScope(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: StreamService_DeleteScope_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(StreamServiceServer).DeleteScope(ctx, req.(*DeleteScopeRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _StreamService_CreateStream_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(CreateStreamRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(StreamServiceServer).CreateStream(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: StreamService_CreateStream_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(StreamServiceServer).CreateStream(ctx, req.(*CreateStreamRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _StreamService_GetStream_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(GetStreamRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(StreamServiceServer).GetStream(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: StreamService_GetStream_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(StreamServiceServer).GetStream(ctx, req.(*GetStreamRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _StreamService_ListStreams_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(ListStreamsRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(StreamServiceServer).ListStreams(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: StreamService_ListStreams_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(StreamServiceServer).ListStreams(ctx, req.(*ListStreamsRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _StreamService_SealStream_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(SealStreamRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(StreamServiceServer).SealStream(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: StreamService_SealStream_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(StreamServiceServer).SealStream(ctx, req.(*SealStreamRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _StreamService_TruncateStream_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(TruncateStreamRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(StreamServiceServer).TruncateStream(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: StreamService_TruncateStream_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(StreamServiceServer).TruncateStream(ctx, req.(*TruncateStreamRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _StreamService_UpdateStream_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(UpdateStreamRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(StreamServiceServer).UpdateStream(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: StreamService_UpdateStream_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(StreamServiceServer).UpdateStream(ctx, req.(*UpdateStreamRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _StreamService_DeleteStream_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(DeleteStreamRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(StreamServiceServer).DeleteStream(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: StreamService_DeleteStream_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(StreamServiceServer).DeleteStream(ctx, req.(*DeleteStreamRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _StreamService_ScaleStream_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(ScaleStreamRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(StreamServiceServer).ScaleStream(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: StreamService_ScaleStream_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(StreamServiceServer).ScaleStream(ctx, req.(*ScaleStreamRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _StreamService_GetSuccessors_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(GetSuccessorsRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(StreamServiceServer).GetSuccessors(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: StreamService_GetSuccessors_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(StreamServiceServer).GetSuccessors(ctx, req.(*GetSuccessorsRequest))
	}
	return interceptor(ctx, in, info, handler)
}

// StreamService_ServiceDesc is the grpc.ServiceDesc for StreamService service.
// It's only intended for direct use with grpc.RegisterService,
// and not to be introspected or modified (even as a copy)
var StreamService_ServiceDesc = grpc.ServiceDesc{
	ServiceName: "braid.v1.StreamService",
	HandlerType: (*StreamServiceServer)(nil),
	Methods: []grpc.MethodDesc{
		{
			MethodName: "CreateScope",
			Handler:    _StreamService_CreateScope_Handler,
		},
		{
			MethodName: "ListScopes",
			Handler:    _StreamService_ListScopes_Handler,
		},
		{
			MethodName: "DeleteScope",
			Handler:    _StreamService_DeleteScope_Handler,
		},
		{
			MethodName: "CreateStream",
			Handler:    _StreamService_CreateStream_Handler,
		},
		{
			MethodName: "GetStream",
			Handler:    _StreamService_GetStream_Handler,
		},
		{
			MethodName: "ListStreams",
			Handler:    _StreamService_ListStreams_Handler,
		},
		{
			MethodName: "SealStream",
			Handler:    _StreamService_SealStream_Handler,
		},
		{
			MethodName: "TruncateStream",
			Handler:    _StreamService_TruncateStream_Handler,
		},
		{
			MethodName: "UpdateStream",
			Handler:    _StreamService_UpdateStream_Handler,
		},
		{
			MethodName: "DeleteStream",
			Handler:    _StreamService_DeleteStream_Handler,
		},
		{
			MethodName: "ScaleStream",
			Handler:    _StreamService_ScaleStream_Handler,
		},
		{
			MethodName: "GetSuccessors",
			Handler:    _StreamService_GetSuccessors_Handler,
		},
	},
	Streams:  []grpc.StreamDesc{},
	Metadata: "braid/v1/braid.proto",
}

const (
	GroupService_CreateGroup_FullMethodName   = "/braid.v1.GroupService/CreateGroup"
	GroupService_ListGroups_FullMethodName    = "/braid.v1.GroupService/ListGroups"
	GroupService_DescribeGroup_FullMethodName = "/braid.v1.GroupService/DescribeGroup"
	GroupService_ResetGroup_FullMethodName    = "/braid.v1.GroupService/ResetGroup"
	GroupService_DeleteGroup_FullMethodName   = "/braid.v1.GroupService/DeleteGroup"
	GroupService_Checkpoint_FullMethodName    = "/braid.v1.GroupService/Checkpoint"
	GroupService_ReaderSession_FullMethodName = "/braid.v1.GroupService/ReaderSession"
)

// GroupServiceClient is the client API for GroupService service.
//
// For semantics around ctx use and closing/ending streaming RPCs, please refer to https://pkg.go.dev/google.golang.org/grpc/?tab=doc#ClientConn.NewStream.
//
// GroupService coordinates reader groups: named sets of readers that share
// streams. The server hands each reader a share of the segments, moves
// segments when readers join, leave or die, hands out a successor segment
// only after all its predecessors were read to their end, and keeps the
// positions readers commit.
type GroupServiceClient interface {
	CreateGroup(ctx context.Context, in *CreateGroupRequest, opts ...grpc.CallOption) (*CreateGroupResponse, error)
	ListGroups(ctx context.Context, in *ListGroupsRequest, opts ...grpc.CallOption) (*ListGroupsResponse, error)
	DescribeGroup(ctx context.Context, in *DescribeGroupRequest, opts ...grpc.CallOption) (*DescribeGroupResponse, error)
	// ResetGroup moves the group to a checkpoint or to new start cuts. Every
	// reader drops its segments and gets new ones.
	ResetGroup(ctx context.Context, in *ResetGroupRequest, opts ...grpc.CallOption) (*ResetGroupResponse, error)
	DeleteGroup(ctx context.Context, in *DeleteGroupRequest, opts ...grpc.CallOption) (*DeleteGroupResponse, error)
	// Checkpoint asks every reader of the group to mark its position and
	// returns once all did, with the group's stream cuts at that point.
	// While a checkpoint is pending no segment changes reader. If the call
	// ends first (deadline, cancel), the checkpoint is abandoned.
	Checkpoint(ctx context.Context, in *CheckpointRequest, opts ...grpc.CallOption) (*CheckpointResponse, error)
	// ReaderSession is one reader's membership of a group: the first
	// request joins, later ones commit positions, report finished segments,
	// release segments and acknowledge checkpoints, and at least every
	// heartbeat interval (see ReaderJoined) say the reader is alive. The
	// server answers with segment assignments, release requests,
	// checkpoints and resets. A reader whose session ends without Leave is
	// dead at once; one that sends nothing for the group's reader timeout is
	// declared dead. A dead reader's segments go to the others from its last
	// committed positions.
	ReaderSession(ctx context.Context, opts ...grpc.CallOption) (grpc.BidiStreamingClient[ReaderSessionRequest, ReaderSessionResponse], error)
}

type groupServiceClient struct {
	cc grpc.ClientConnInterface
}

func NewGroupServiceClient(cc grpc.ClientConnInterface) GroupServiceClient {
	return &groupServiceClient{cc}
}

func (c *groupServiceClient) CreateGroup(ctx context.Context, in *CreateGroupRequest, opts ...grpc.CallOption) (*CreateGroupResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(CreateGroupResponse)
	err := c.cc.Invoke(ctx, GroupService_CreateGroup_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *groupServiceClient) ListGroups(ctx context.Context, in *ListGroupsRequest, opts ...grpc.CallOption) (*ListGroupsResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(ListGroupsResponse)
	err := c.cc.Invoke(ctx, GroupService_ListGroups_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *groupServiceClient) DescribeGroup(ctx context.Context, in *DescribeGroupRequest, opts ...grpc.CallOption) (*DescribeGroupResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(DescribeGroupResponse)
	err := c.cc.Invoke(ctx, GroupService_DescribeGroup_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *groupServiceClient) ResetGroup(ctx context.Context, in *ResetGroupRequest, opts ...grpc.CallOption) (*ResetGroupResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(ResetGroupResponse)
	err := c.cc.Invoke(ctx, GroupService_ResetGroup_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *groupServiceClient) DeleteGroup(ctx context.Context, in *DeleteGroupRequest, opts ...grpc.CallOption) (*DeleteGroupResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(DeleteGroupResponse)
	err := c.cc.Invoke(ctx, GroupService_DeleteGroup_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *groupServiceClient) Checkpoint(ctx context.Context, in *CheckpointRequest, opts ...grpc.CallOption) (*CheckpointResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(CheckpointResponse)
	err := c.cc.Invoke(ctx, GroupService_Checkpoint_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *groupServiceClient) ReaderSession(ctx context.Context, opts ...grpc.CallOption) (grpc.BidiStreamingClient[ReaderSessionRequest, ReaderSessionResponse], error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	stream, err := c.cc.NewStream(ctx, &GroupService_ServiceDesc.Streams[0], GroupService_ReaderSession_FullMethodName, cOpts...)
	if err != nil {
		return nil, err
	}
	x := &grpc.GenericClientStream[ReaderSessionRequest, ReaderSessionResponse]{ClientStream: stream}
	return x, nil
}

// This type alias is provided for backwards compatibility with existing code that references the prior non-generic stream type by name.
type GroupService_ReaderSessionClient = grpc.BidiStreamingClient[ReaderSessionRequest, ReaderSessionResponse]

// GroupServiceServer is the server API for GroupService service.
// All implementations must embed UnimplementedGroupServiceServer
// for forward compatibility.
//
// GroupService coordinates reader groups: named sets of readers that share
// streams. The server hands each reader a share of the segments, moves
// segments when readers join, leave or die, hands out a successor segment
// only after all its predecessors were read to their end, and keeps the
// positions readers commit.
type GroupServiceServer interface {
	CreateGroup(context.Context, *CreateGroupRequest) (*CreateGroupResponse, error)
	ListGroups(context.Context, *ListGroupsRequest) (*ListGroupsResponse, error)
	DescribeGroup(context.Context, *DescribeGroupRequest) (*DescribeGroupResponse, error)
	// ResetGroup moves the group to a checkpoint or to new start cuts. Every
	// reader drops its segments and gets new ones.
	ResetGroup(context.Context, *ResetGroupRequest) (*ResetGroupResponse, error)
	DeleteGroup(context.Context, *DeleteGroupRequest) (*DeleteGroupResponse, error)
	// Checkpoint asks every reader of the group to mark its position and
	// returns once all did, with the group's stream cuts at that point.
	// While a checkpoint is pending no segment changes reader. If the call
	// ends first (deadline, cancel), the checkpoint is abandoned.
	Checkpoint(context.Context, *CheckpointRequest) (*CheckpointResponse, error)
	// ReaderSession is one reader's membership of a group: the first
	// request joins, later ones commit positions, report finished segments,
	// release segments and acknowledge checkpoints, and at least every
	// heartbeat interval (see ReaderJoined) say the reader is alive. The
	// server answers with segment assignments, release requests,
	// checkpoints and resets. A reader whose session ends without Leave is
	// dead at once; one that sends nothing for the group's reader timeout is
	// declared dead. A dead reader's segments go to the others from its last
	// committed positions.
	ReaderSession(grpc.BidiStreamingServer[ReaderSessionRequest, ReaderSessionResponse]) error
	mustEmbedUnimplementedGroupServiceServer()
}

// UnimplementedGroupServiceServer must be embedded to have
// forward compatible implementations.
//
// NOTE: this should be embedded by value instead of pointer to avoid a nil
// pointer dereference when methods are called.
type UnimplementedGroupServiceServer struct{}

func (UnimplementedGroupServiceServer) CreateGroup(context.Context, *CreateGroupRequest) (*CreateGroupResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method CreateGroup not implemented")
}
func (UnimplementedGroupServiceServer) ListGroups(context.Context, *ListGroupsRequest) (*ListGroupsResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method ListGroups not implemented")
}
func (UnimplementedGroupServiceServer) DescribeGroup(context.Context, *DescribeGroupRequest) (*DescribeGroupResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method DescribeGroup not implemented")
}
func (UnimplementedGroupServiceServer) ResetGroup(context.Context, *ResetGroupRequest) (*ResetGroupResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method ResetGroup not implemented")
}
func (UnimplementedGroupServiceServer) DeleteGroup(context.Context, *DeleteGroupRequest) (*DeleteGroupResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method DeleteGroup not implemented")
}
func (UnimplementedGroupServiceServer) Checkpoint(context.Context, *CheckpointRequest) (*CheckpointResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method Checkpoint not implemented")
}
func (UnimplementedGroupServiceServer) ReaderSession(grpc.BidiStreamingServer[ReaderSessionRequest, ReaderSessionResponse]) error {
	return status.Error(codes.Unimplemented, "method ReaderSession not implemented")
}
func (UnimplementedGroupServiceServer) mustEmbedUnimplementedGroupServiceServer() {}
func (UnimplementedGroupServiceServer) testEmbeddedByValue()                      {}

// UnsafeGroupServiceServer may be embedded to opt out of forward compatibility for this service.
// Use of this interface is not recommended, as added methods to GroupServiceServer will
// result in compilation errors.
type UnsafeGroupServiceServer interface {
	mustEmbedUnimplementedGroupServiceServer()
}

func RegisterGroupServiceServer(s grpc.ServiceRegistrar, srv GroupServiceServer) {
	// If the following call panics, it indicates UnimplementedGroupServiceServer was
	// embedded by pointer and is nil.  This will cause panics if an
	// unimplemented method is ever invoked, so we test this at initialization
	// time to prevent it from happening at runtime later due to I/O.
	if t, ok := srv.(interface{ testEmbeddedByValue() }); ok {
		t.testEmbeddedByValue()
	}
	s.RegisterService(&GroupService_ServiceDesc, srv)
}

func _GroupService_CreateGroup_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(CreateGroupRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(GroupServiceServer).CreateGroup(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: GroupService_CreateGroup_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(GroupServiceServer).CreateGroup(ctx, req.(*CreateGroupRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _GroupService_ListGroups_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(ListGroupsRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(GroupServiceServer).ListGroups(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: GroupService_ListGroups_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(GroupServiceServer).ListGroups(ctx, req.(*ListGroupsRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _GroupService_DescribeGroup_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(DescribeGroupRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(GroupServiceServer).DescribeGroup(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: GroupService_DescribeGroup_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(GroupServiceServer).DescribeGroup(ctx, req.(*DescribeGroupRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _GroupService_ResetGroup_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(ResetGroupRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(GroupServiceServer).ResetGroup(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: GroupService_ResetGroup_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(GroupServiceServer).ResetGroup(ctx, req.(*ResetGroupRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _GroupService_DeleteGroup_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(DeleteGroupRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(GroupServiceServer).DeleteGroup(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: GroupService_DeleteGroup_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(GroupServiceServer).DeleteGroup(ctx, req.(*DeleteGroupRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _GroupService_Checkpoint_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(CheckpointRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(GroupServiceServer).Checkpoint(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: GroupService_Checkpoint_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(GroupServiceServer).Checkpoint(ctx, req.(*CheckpointRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _GroupService_ReaderSession_Handler(srv interface{}, stream grpc.ServerStream) error {
	return srv.(GroupServiceServer).ReaderSession(&grpc.GenericServerStream[ReaderSessionRequest, ReaderSessionResponse]{ServerStream: stream})
}

// This type alias is provided for backwards compatibility with existing code that references the prior non-generic stream type by name.
type GroupService_ReaderSessionServer = grpc.BidiStreamingServer[ReaderSessionRequest, ReaderSessionResponse]

// GroupService_ServiceDesc is the grpc.ServiceDesc for GroupService service.
// It's only intended for direct use with grpc.RegisterService,
// and not to be introspected or modified (even as a copy)
var GroupService_ServiceDesc = grpc.ServiceDesc{
	ServiceName: "braid.v1.GroupService",
	HandlerType: (*GroupServiceServer)(nil),
	Methods: []grpc.MethodDesc{
		{
			MethodName: "CreateGroup",
			Handler:    _GroupService_CreateGroup_Handler,
		},
		{
			MethodName: "ListGroups",
			Handler:    _GroupService_ListGroups_Handler,
		},
		{
			MethodName: "DescribeGroup",
			Handler:    _GroupService_DescribeGroup_Handler,
		},
		{
			MethodName: "ResetGroup",
			Handler:    _GroupService_ResetGroup_Handler,
		},
		{
			MethodName: "DeleteGroup",
			Handler:    _GroupService_DeleteGroup_Handler,
		},
		{
			MethodName: "Checkpoint",
			Handler:    _GroupService_Checkpoint_Handler,
		},
	},
	Streams: []grpc.StreamDesc{
		{
			StreamName:    "ReaderSession",
			Handler:       _GroupService_ReaderSession_Handler,
			ServerStreams: true,
			ClientStreams: true,
		},
	},
	Metadata: "braid/v1/braid.proto",
}

const (
	ExportService_CreateExport_FullMethodName = "/braid.v1.ExportService/CreateExport"
	ExportService_ListExports_FullMethodName  = "/braid.v1.ExportService/ListExports"
	ExportService_GetExport_FullMethodName    = "/braid.v1.ExportService/GetExport"
	ExportService_StopExport_FullMethodName   = "/braid.v1.ExportService/StopExport"
	ExportService_StartExport_FullMethodName  = "/braid.v1.ExportService/StartExport"
	ExportService_DeleteExport_FullMethodName = "/braid.v1.ExportService/DeleteExport"
)

// ExportServiceClient is the client API for ExportService service.
//
// For semantics around ctx use and closing/ending streaming RPCs, please refer to https://pkg.go.dev/google.golang.org/grpc/?tab=doc#ClientConn.NewStream.
//
// ExportService runs exports of streams to S3 on the server
// (docs/export.md): a job copies one stream into a bucket, one object per
// event (or per batch) keyed by its event pointer, following the stream
// as it grows, across server restarts. The server reaches S3 with its own
// credentials (its environment, AWS profile or instance role); a job
// names only where.
type ExportServiceClient interface {
	// CreateExport registers a job and starts it. ALREADY_EXISTS if the
	// name is taken, or another job exports the same stream to the same
	// place.
	CreateExport(ctx context.Context, in *CreateExportRequest, opts ...grpc.CallOption) (*CreateExportResponse, error)
	ListExports(ctx context.Context, in *ListExportsRequest, opts ...grpc.CallOption) (*ListExportsResponse, error)
	GetExport(ctx context.Context, in *GetExportRequest, opts ...grpc.CallOption) (*GetExportResponse, error)
	// StopExport pauses a job (it stays registered, its position kept in
	// its manifest); StartExport runs it again.
	StopExport(ctx context.Context, in *StopExportRequest, opts ...grpc.CallOption) (*StopExportResponse, error)
	StartExport(ctx context.Context, in *StartExportRequest, opts ...grpc.CallOption) (*StartExportResponse, error)
	// DeleteExport stops and removes a job. What it wrote stays in the
	// bucket.
	DeleteExport(ctx context.Context, in *DeleteExportRequest, opts ...grpc.CallOption) (*DeleteExportResponse, error)
}

type exportServiceClient struct {
	cc grpc.ClientConnInterface
}

func NewExportServiceClient(cc grpc.ClientConnInterface) ExportServiceClient {
	return &exportServiceClient{cc}
}

func (c *exportServiceClient) CreateExport(ctx context.Context, in *CreateExportRequest, opts ...grpc.CallOption) (*CreateExportResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(CreateExportResponse)
	err := c.cc.Invoke(ctx, ExportService_CreateExport_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *exportServiceClient) ListExports(ctx context.Context, in *ListExportsRequest, opts ...grpc.CallOption) (*ListExportsResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(ListExportsResponse)
	err := c.cc.Invoke(ctx, ExportService_ListExports_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *exportServiceClient) GetExport(ctx context.Context, in *GetExportRequest, opts ...grpc.CallOption) (*GetExportResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(GetExportResponse)
	err := c.cc.Invoke(ctx, ExportService_GetExport_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *exportServiceClient) StopExport(ctx context.Context, in *StopExportRequest, opts ...grpc.CallOption) (*StopExportResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(StopExportResponse)
	err := c.cc.Invoke(ctx, ExportService_StopExport_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *exportServiceClient) StartExport(ctx context.Context, in *StartExportRequest, opts ...grpc.CallOption) (*StartExportResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(StartExportResponse)
	err := c.cc.Invoke(ctx, ExportService_StartExport_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *exportServiceClient) DeleteExport(ctx context.Context, in *DeleteExportRequest, opts ...grpc.CallOption) (*DeleteExportResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(DeleteExportResponse)
	err := c.cc.Invoke(ctx, ExportService_DeleteExport_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ExportServiceServer is the server API for ExportService service.
// All implementations must embed UnimplementedExportServiceServer
// for forward compatibility.
//
// ExportService runs exports of streams to S3 on the server
// (docs/export.md): a job copies one stream into a bucket, one object per
// event (or per batch) keyed by its event pointer, following the stream
// as it grows, across server restarts. The server reaches S3 with its own
// credentials (its environment, AWS profile or instance role); a job
// names only where.
type ExportServiceServer interface {
	// CreateExport registers a job and starts it. ALREADY_EXISTS if the
	// name is taken, or another job exports the same stream to the same
	// place.
	CreateExport(context.Context, *CreateExportRequest) (*CreateExportResponse, error)
	ListExports(context.Context, *ListExportsRequest) (*ListExportsResponse, error)
	GetExport(context.Context, *GetExportRequest) (*GetExportResponse, error)
	// StopExport pauses a job (it stays registered, its position kept in
	// its manifest); StartExport runs it again.
	StopExport(context.Context, *StopExportRequest) (*StopExportResponse, error)
	StartExport(context.Context, *StartExportRequest) (*StartExportResponse, error)
	// DeleteExport stops and removes a job. What it wrote stays in the
	// bucket.
	DeleteExport(context.Context, *DeleteExportRequest) (*DeleteExportResponse, error)
	mustEmbedUnimplementedExportServiceServer()
}

// UnimplementedExportServiceServer must be embedded to have
// forward compatible implementations.
//
// NOTE: this should be embedded by value instead of pointer to avoid a nil
// pointer dereference when methods are called.
type UnimplementedExportServiceServer struct{}

func (UnimplementedExportServiceServer) CreateExport(context.Context, *CreateExportRequest) (*CreateExportResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method CreateExport not implemented")
}
func (UnimplementedExportServiceServer) ListExports(context.Context, *ListExportsRequest) (*ListExportsResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method ListExports not implemented")
}
func (UnimplementedExportServiceServer) GetExport(context.Context, *GetExportRequest) (*GetExportResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method GetExport not implemented")
}
func (UnimplementedExportServiceServer) StopExport(context.Context, *StopExportRequest) (*StopExportResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method StopExport not implemented")
}
func (UnimplementedExportServiceServer) StartExport(context.Context, *StartExportRequest) (*StartExportResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method StartExport not implemented")
}
func (UnimplementedExportServiceServer) DeleteExport(context.Context, *DeleteExportRequest) (*DeleteExportResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method DeleteExport not implemented")
}
func (UnimplementedExportServiceServer) mustEmbedUnimplementedExportServiceServer() {}
func (UnimplementedExportServiceServer) testEmbeddedByValue()                       {}

// UnsafeExportServiceServer may be embedded to opt out of forward compatibility for this service.
// Use of this interface is not recommended, as added methods to ExportServiceServer will
// result in compilation errors.
type UnsafeExportServiceServer interface {
	mustEmbedUnimplementedExportServiceServer()
}

func RegisterExportServiceServer(s grpc.ServiceRegistrar, srv ExportServiceServer) {
	// If the following call panics, it indicates UnimplementedExportServiceServer was
	// embedded by pointer and is nil.  This will cause panics if an
	// unimplemented method is ever invoked, so we test this at initialization
	// time to prevent it from happening at runtime later due to I/O.
	if t, ok := srv.(interface{ testEmbeddedByValue() }); ok {
		t.testEmbeddedByValue()
	}
	s.RegisterService(&ExportService_ServiceDesc, srv)
}

func _ExportService_CreateExport_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(CreateExportRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(ExportServiceServer).CreateExport(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: ExportService_CreateExport_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(ExportServiceServer).CreateExport(ctx, req.(*CreateExportRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _ExportService_ListExports_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(ListExportsRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(ExportServiceServer).ListExports(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: ExportService_ListExports_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(ExportServiceServer).ListExports(ctx, req.(*ListExportsRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _ExportService_GetExport_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(GetExportRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(ExportServiceServer).GetExport(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: ExportService_GetExport_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(ExportServiceServer).GetExport(ctx, req.(*GetExportRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _ExportService_StopExport_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(StopExportRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(ExportServiceServer).StopExport(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: ExportService_StopExport_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(ExportServiceServer).StopExport(ctx, req.(*StopExportRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _ExportService_StartExport_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(StartExportRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(ExportServiceServer).StartExport(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: ExportService_StartExport_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(ExportServiceServer).StartExport(ctx, req.(*StartExportRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _ExportService_DeleteExport_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(DeleteExportRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(ExportServiceServer).DeleteExport(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: ExportService_DeleteExport_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(ExportServiceServer).DeleteExport(ctx, req.(*DeleteExportRequest))
	}
	return interceptor(ctx, in, info, handler)
}

// ExportService_ServiceDesc is the grpc.ServiceDesc for ExportService service.
// It's only intended for direct use with grpc.RegisterService,
// and not to be introspected or modified (even as a copy)
var ExportService_ServiceDesc = grpc.ServiceDesc{
	ServiceName: "braid.v1.ExportService",
	HandlerType: (*ExportServiceServer)(nil),
	Methods: []grpc.MethodDesc{
		{
			MethodName: "CreateExport",
			Handler:    _ExportService_CreateExport_Handler,
		},
		{
			MethodName: "ListExports",
			Handler:    _ExportService_ListExports_Handler,
		},
		{
			MethodName: "GetExport",
			Handler:    _ExportService_GetExport_Handler,
		},
		{
			MethodName: "StopExport",
			Handler:    _ExportService_StopExport_Handler,
		},
		{
			MethodName: "StartExport",
			Handler:    _ExportService_StartExport_Handler,
		},
		{
			MethodName: "DeleteExport",
			Handler:    _ExportService_DeleteExport_Handler,
		},
	},
	Streams:  []grpc.StreamDesc{},
	Metadata: "braid/v1/braid.proto",
}

const (
	EphemeralService_Attach_FullMethodName           = "/braid.v1.EphemeralService/Attach"
	EphemeralService_KeepAlive_FullMethodName        = "/braid.v1.EphemeralService/KeepAlive"
	EphemeralService_Detach_FullMethodName           = "/braid.v1.EphemeralService/Detach"
	EphemeralService_GetEphemeral_FullMethodName     = "/braid.v1.EphemeralService/GetEphemeral"
	EphemeralService_ListEphemeral_FullMethodName    = "/braid.v1.EphemeralService/ListEphemeral"
	EphemeralService_GetCleanupLog_FullMethodName    = "/braid.v1.EphemeralService/GetCleanupLog"
	EphemeralService_ListInactive_FullMethodName     = "/braid.v1.EphemeralService/ListInactive"
	EphemeralService_CollectInactive_FullMethodName  = "/braid.v1.EphemeralService/CollectInactive"
	EphemeralService_SetInactiveTTL_FullMethodName   = "/braid.v1.EphemeralService/SetInactiveTTL"
	EphemeralService_ListInactiveTTLs_FullMethodName = "/braid.v1.EphemeralService/ListInactiveTTLs"
)

// EphemeralServiceClient is the client API for EphemeralService service.
//
// For semantics around ctx use and closing/ending streaming RPCs, please refer to https://pkg.go.dev/google.golang.org/grpc/?tab=doc#ClientConn.NewStream.
//
// EphemeralService keeps ephemeral streams and scopes: each has holders,
// each with a lease its client renews (KeepAlive). When the last holder
// detaches, or every holder's lease ran out (its process died), the
// stream, or the scope with all it holds, is deleted after its grace
// period. Leases are renewed in the server's memory; after a server
// restart every holder has a fresh lease.
type EphemeralServiceClient interface {
	// Attach attaches a holder to an ephemeral stream (stream set) or scope
	// (stream empty), creating it when it does not exist and create is set.
	// An existing stream or scope that is not ephemeral is refused
	// (INVALID_ARGUMENT), as is one being deleted (CONFLICT).
	Attach(ctx context.Context, in *AttachRequest, opts ...grpc.CallOption) (*AttachResponse, error)
	// KeepAlive renews holders' leases; holders the server no longer knows
	// (detached, expired, deleted) come back in unknown.
	KeepAlive(ctx context.Context, in *KeepAliveRequest, opts ...grpc.CallOption) (*KeepAliveResponse, error)
	Detach(ctx context.Context, in *DetachRequest, opts ...grpc.CallOption) (*DetachResponse, error)
	// GetEphemeral describes an ephemeral stream or scope and its holders
	// (NOT_FOUND when it is not ephemeral).
	GetEphemeral(ctx context.Context, in *GetEphemeralRequest, opts ...grpc.CallOption) (*GetEphemeralResponse, error)
	ListEphemeral(ctx context.Context, in *ListEphemeralRequest, opts ...grpc.CallOption) (*ListEphemeralResponse, error)
	// GetCleanupLog reads the audit log of what the server deleted by
	// itself (ephemeral streams and scopes whose holders went, stale streams
	// collected), oldest first.
	GetCleanupLog(ctx context.Context, in *GetCleanupLogRequest, opts ...grpc.CallOption) (*GetCleanupLogResponse, error)
	// ListInactive lists the streams (of one scope, or all) with no append
	// and no read for inactive_ms: stale collections programs left behind.
	// Ephemeral streams, streams of ephemeral scopes and internal streams
	// are never listed.
	ListInactive(ctx context.Context, in *ListInactiveRequest, opts ...grpc.CallOption) (*ListInactiveResponse, error)
	// CollectInactive deletes the named streams that are still inactive for
	// inactive_ms (each checked again), recording each in the cleanup log
	// with rule "inactive"; the others are answered in skipped, with why.
	CollectInactive(ctx context.Context, in *CollectInactiveRequest, opts ...grpc.CallOption) (*CollectInactiveResponse, error)
	// SetInactiveTTL sets a scope's inactive-ttl policy (0 removes it): the
	// server deletes, by itself, the scope's streams with no append and no
	// read for that long (checked about once a minute; rule "inactive-ttl"
	// in the cleanup log).
	SetInactiveTTL(ctx context.Context, in *SetInactiveTTLRequest, opts ...grpc.CallOption) (*SetInactiveTTLResponse, error)
	ListInactiveTTLs(ctx context.Context, in *ListInactiveTTLsRequest, opts ...grpc.CallOption) (*ListInactiveTTLsResponse, error)
}

type ephemeralServiceClient struct {
	cc grpc.ClientConnInterface
}

func NewEphemeralServiceClient(cc grpc.ClientConnInterface) EphemeralServiceClient {
	return &ephemeralServiceClient{cc}
}

func (c *ephemeralServiceClient) Attach(ctx context.Context, in *AttachRequest, opts ...grpc.CallOption) (*AttachResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(AttachResponse)
	err := c.cc.Invoke(ctx, EphemeralService_Attach_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *ephemeralServiceClient) KeepAlive(ctx context.Context, in *KeepAliveRequest, opts ...grpc.CallOption) (*KeepAliveResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(KeepAliveResponse)
	err := c.cc.Invoke(ctx, EphemeralService_KeepAlive_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *ephemeralServiceClient) Detach(ctx context.Context, in *DetachRequest, opts ...grpc.CallOption) (*DetachResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(DetachResponse)
	err := c.cc.Invoke(ctx, EphemeralService_Detach_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *ephemeralServiceClient) GetEphemeral(ctx context.Context, in *GetEphemeralRequest, opts ...grpc.CallOption) (*GetEphemeralResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(GetEphemeralResponse)
	err := c.cc.Invoke(ctx, EphemeralService_GetEphemeral_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *ephemeralServiceClient) ListEphemeral(ctx context.Context, in *ListEphemeralRequest, opts ...grpc.CallOption) (*ListEphemeralResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(ListEphemeralResponse)
	err := c.cc.Invoke(ctx, EphemeralService_ListEphemeral_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *ephemeralServiceClient) GetCleanupLog(ctx context.Context, in *GetCleanupLogRequest, opts ...grpc.CallOption) (*GetCleanupLogResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(GetCleanupLogResponse)
	err := c.cc.Invoke(ctx, EphemeralService_GetCleanupLog_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *ephemeralServiceClient) ListInactive(ctx context.Context, in *ListInactiveRequest, opts ...grpc.CallOption) (*ListInactiveResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(ListInactiveResponse)
	err := c.cc.Invoke(ctx, EphemeralService_ListInactive_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *ephemeralServiceClient) CollectInactive(ctx context.Context, in *CollectInactiveRequest, opts ...grpc.CallOption) (*CollectInactiveResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(CollectInactiveResponse)
	err := c.cc.Invoke(ctx, EphemeralService_CollectInactive_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *ephemeralServiceClient) SetInactiveTTL(ctx context.Context, in *SetInactiveTTLRequest, opts ...grpc.CallOption) (*SetInactiveTTLResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(SetInactiveTTLResponse)
	err := c.cc.Invoke(ctx, EphemeralService_SetInactiveTTL_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *ephemeralServiceClient) ListInactiveTTLs(ctx context.Context, in *ListInactiveTTLsRequest, opts ...grpc.CallOption) (*ListInactiveTTLsResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(ListInactiveTTLsResponse)
	err := c.cc.Invoke(ctx, EphemeralService_ListInactiveTTLs_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// EphemeralServiceServer is the server API for EphemeralService service.
// All implementations must embed UnimplementedEphemeralServiceServer
// for forward compatibility.
//
// EphemeralService keeps ephemeral streams and scopes: each has holders,
// each with a lease its client renews (KeepAlive). When the last holder
// detaches, or every holder's lease ran out (its process died), the
// stream, or the scope with all it holds, is deleted after its grace
// period. Leases are renewed in the server's memory; after a server
// restart every holder has a fresh lease.
type EphemeralServiceServer interface {
	// Attach attaches a holder to an ephemeral stream (stream set) or scope
	// (stream empty), creating it when it does not exist and create is set.
	// An existing stream or scope that is not ephemeral is refused
	// (INVALID_ARGUMENT), as is one being deleted (CONFLICT).
	Attach(context.Context, *AttachRequest) (*AttachResponse, error)
	// KeepAlive renews holders' leases; holders the server no longer knows
	// (detached, expired, deleted) come back in unknown.
	KeepAlive(context.Context, *KeepAliveRequest) (*KeepAliveResponse, error)
	Detach(context.Context, *DetachRequest) (*DetachResponse, error)
	// GetEphemeral describes an ephemeral stream or scope and its holders
	// (NOT_FOUND when it is not ephemeral).
	GetEphemeral(context.Context, *GetEphemeralRequest) (*GetEphemeralResponse, error)
	ListEphemeral(context.Context, *ListEphemeralRequest) (*ListEphemeralResponse, error)
	// GetCleanupLog reads the audit log of what the server deleted by
	// itself (ephemeral streams and scopes whose holders went, stale streams
	// collected), oldest first.
	GetCleanupLog(context.Context, *GetCleanupLogRequest) (*GetCleanupLogResponse, error)
	// ListInactive lists the streams (of one scope, or all) with no append
	// and no read for inactive_ms: stale collections programs left behind.
	// Ephemeral streams, streams of ephemeral scopes and internal streams
	// are never listed.
	ListInactive(context.Context, *ListInactiveRequest) (*ListInactiveResponse, error)
	// CollectInactive deletes the named streams that are still inactive for
	// inactive_ms (each checked again), recording each in the cleanup log
	// with rule "inactive"; the others are answered in skipped, with why.
	CollectInactive(context.Context, *CollectInactiveRequest) (*CollectInactiveResponse, error)
	// SetInactiveTTL sets a scope's inactive-ttl policy (0 removes it): the
	// server deletes, by itself, the scope's streams with no append and no
	// read for that long (checked about once a minute; rule "inactive-ttl"
	// in the cleanup log).
	SetInactiveTTL(context.Context, *SetInactiveTTLRequest) (*SetInactiveTTLResponse, error)
	ListInactiveTTLs(context.Context, *ListInactiveTTLsRequest) (*ListInactiveTTLsResponse, error)
	mustEmbedUnimplementedEphemeralServiceServer()
}

// UnimplementedEphemeralServiceServer must be embedded to have
// forward compatible implementations.
//
// NOTE: this should be embedded by value instead of pointer to avoid a nil
// pointer dereference when methods are called.
type UnimplementedEphemeralServiceServer struct{}

func (UnimplementedEphemeralServiceServer) Attach(context.Context, *AttachRequest) (*AttachResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method Attach not implemented")
}
func (UnimplementedEphemeralServiceServer) KeepAlive(context.Context, *KeepAliveRequest) (*KeepAliveResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method KeepAlive not implemented")
}
func (UnimplementedEphemeralServiceServer) Detach(context.Context, *DetachRequest) (*DetachResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method Detach not implemented")
}
func (UnimplementedEphemeralServiceServer) GetEphemeral(context.Context, *GetEphemeralRequest) (*GetEphemeralResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method GetEphemeral not implemented")
}
func (UnimplementedEphemeralServiceServer) ListEphemeral(context.Context, *ListEphemeralRequest) (*ListEphemeralResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method ListEphemeral not implemented")
}
func (UnimplementedEphemeralServiceServer) GetCleanupLog(context.Context, *GetCleanupLogRequest) (*GetCleanupLogResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method GetCleanupLog not implemented")
}
func (UnimplementedEphemeralServiceServer) ListInactive(context.Context, *ListInactiveRequest) (*ListInactiveResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method ListInactive not implemented")
}
func (UnimplementedEphemeralServiceServer) CollectInactive(context.Context, *CollectInactiveRequest) (*CollectInactiveResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method CollectInactive not implemented")
}
func (UnimplementedEphemeralServiceServer) SetInactiveTTL(context.Context, *SetInactiveTTLRequest) (*SetInactiveTTLResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method SetInactiveTTL not implemented")
}
func (UnimplementedEphemeralServiceServer) ListInactiveTTLs(context.Context, *ListInactiveTTLsRequest) (*ListInactiveTTLsResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method ListInactiveTTLs not implemented")
}
func (UnimplementedEphemeralServiceServer) mustEmbedUnimplementedEphemeralServiceServer() {}
func (UnimplementedEphemeralServiceServer) testEmbeddedByValue()                          {}

// UnsafeEphemeralServiceServer may be embedded to opt out of forward compatibility for this service.
// Use of this interface is not recommended, as added methods to EphemeralServiceServer will
// result in compilation errors.
type UnsafeEphemeralServiceServer interface {
	mustEmbedUnimplementedEphemeralServiceServer()
}

func RegisterEphemeralServiceServer(s grpc.ServiceRegistrar, srv EphemeralServiceServer) {
	// If the following call panics, it indicates UnimplementedEphemeralServiceServer was
	// embedded by pointer and is nil.  This will cause panics if an
	// unimplemented method is ever invoked, so we test this at initialization
	// time to prevent it from happening at runtime later due to I/O.
	if t, ok := srv.(interface{ testEmbeddedByValue() }); ok {
		t.testEmbeddedByValue()
	}
	s.RegisterService(&EphemeralService_ServiceDesc, srv)
}

func _EphemeralService_Attach_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(AttachRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(EphemeralServiceServer).Attach(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: EphemeralService_Attach_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(EphemeralServiceServer).Attach(ctx, req.(*AttachRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _EphemeralService_KeepAlive_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(KeepAliveRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(EphemeralServiceServer).KeepAlive(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: EphemeralService_KeepAlive_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(EphemeralServiceServer).KeepAlive(ctx, req.(*KeepAliveRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _EphemeralService_Detach_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(DetachRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(EphemeralServiceServer).Detach(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: EphemeralService_Detach_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(EphemeralServiceServer).Detach(ctx, req.(*DetachRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _EphemeralService_GetEphemeral_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(GetEphemeralRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(EphemeralServiceServer).GetEphemeral(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: EphemeralService_GetEphemeral_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(EphemeralServiceServer).GetEphemeral(ctx, req.(*GetEphemeralRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _EphemeralService_ListEphemeral_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(ListEphemeralRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(EphemeralServiceServer).ListEphemeral(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: EphemeralService_ListEphemeral_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(EphemeralServiceServer).ListEphemeral(ctx, req.(*ListEphemeralRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _EphemeralService_GetCleanupLog_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(GetCleanupLogRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(EphemeralServiceServer).GetCleanupLog(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: EphemeralService_GetCleanupLog_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(EphemeralServiceServer).GetCleanupLog(ctx, req.(*GetCleanupLogRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _EphemeralService_ListInactive_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(ListInactiveRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(EphemeralServiceServer).ListInactive(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: EphemeralService_ListInactive_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(EphemeralServiceServer).ListInactive(ctx, req.(*ListInactiveRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _EphemeralService_CollectInactive_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(CollectInactiveRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(EphemeralServiceServer).CollectInactive(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: EphemeralService_CollectInactive_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(EphemeralServiceServer).CollectInactive(ctx, req.(*CollectInactiveRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _EphemeralService_SetInactiveTTL_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(SetInactiveTTLRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(EphemeralServiceServer).SetInactiveTTL(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: EphemeralService_SetInactiveTTL_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(EphemeralServiceServer).SetInactiveTTL(ctx, req.(*SetInactiveTTLRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _EphemeralService_ListInactiveTTLs_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(ListInactiveTTLsRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(EphemeralServiceServer).ListInactiveTTLs(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: EphemeralService_ListInactiveTTLs_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(EphemeralServiceServer).ListInactiveTTLs(ctx, req.(*ListInactiveTTLsRequest))
	}
	return interceptor(ctx, in, info, handler)
}

// EphemeralService_ServiceDesc is the grpc.ServiceDesc for EphemeralService service.
// It's only intended for direct use with grpc.RegisterService,
// and not to be introspected or modified (even as a copy)
var EphemeralService_ServiceDesc = grpc.ServiceDesc{
	ServiceName: "braid.v1.EphemeralService",
	HandlerType: (*EphemeralServiceServer)(nil),
	Methods: []grpc.MethodDesc{
		{
			MethodName: "Attach",
			Handler:    _EphemeralService_Attach_Handler,
		},
		{
			MethodName: "KeepAlive",
			Handler:    _EphemeralService_KeepAlive_Handler,
		},
		{
			MethodName: "Detach",
			Handler:    _EphemeralService_Detach_Handler,
		},
		{
			MethodName: "GetEphemeral",
			Handler:    _EphemeralService_GetEphemeral_Handler,
		},
		{
			MethodName: "ListEphemeral",
			Handler:    _EphemeralService_ListEphemeral_Handler,
		},
		{
			MethodName: "GetCleanupLog",
			Handler:    _EphemeralService_GetCleanupLog_Handler,
		},
		{
			MethodName: "ListInactive",
			Handler:    _EphemeralService_ListInactive_Handler,
		},
		{
			MethodName: "CollectInactive",
			Handler:    _EphemeralService_CollectInactive_Handler,
		},
		{
			MethodName: "SetInactiveTTL",
			Handler:    _EphemeralService_SetInactiveTTL_Handler,
		},
		{
			MethodName: "ListInactiveTTLs",
			Handler:    _EphemeralService_ListInactiveTTLs_Handler,
		},
	},
	Streams:  []grpc.StreamDesc{},
	Metadata: "braid/v1/braid.proto",
}

const (
	QueryService_ValidateQuery_FullMethodName = "/braid.v1.QueryService/ValidateQuery"
	QueryService_DeployQuery_FullMethodName   = "/braid.v1.QueryService/DeployQuery"
	QueryService_ListQueries_FullMethodName   = "/braid.v1.QueryService/ListQueries"
	QueryService_GetQuery_FullMethodName      = "/braid.v1.QueryService/GetQuery"
	QueryService_StopQuery_FullMethodName     = "/braid.v1.QueryService/StopQuery"
	QueryService_StartQuery_FullMethodName    = "/braid.v1.QueryService/StartQuery"
	QueryService_DeleteQuery_FullMethodName   = "/braid.v1.QueryService/DeleteQuery"
)

// QueryServiceClient is the client API for QueryService service.
//
// For semantics around ctx use and closing/ending streaming RPCs, please refer to https://pkg.go.dev/google.golang.org/grpc/?tab=doc#ClientConn.NewStream.
//
// DataService moves events.
// QueryService runs continuous queries: SQL (docs/sql.md) deployed once
// under a name, run by the server over its input stream from then on, with
// its windowed results written to an output stream. A query keeps running
// across server restarts from its last checkpoint (state, input position
// and the results of the checkpoint, committed together), so that each
// window's result is written once.
type QueryServiceClient interface {
	// ValidateQuery parses and checks a query without deploying it: the
	// problems found (each with its line and column), else its columns
	// and streams.
	ValidateQuery(ctx context.Context, in *ValidateQueryRequest, opts ...grpc.CallOption) (*ValidateQueryResponse, error)
	// DeployQuery validates a query and runs it. ALREADY_EXISTS when the
	// name is taken, unless replace: the query then gets a new version,
	// which goes on from where the old one had read to, with no state.
	// INVALID_ARGUMENT names the line and column of what is wrong.
	DeployQuery(ctx context.Context, in *DeployQueryRequest, opts ...grpc.CallOption) (*DeployQueryResponse, error)
	ListQueries(ctx context.Context, in *ListQueriesRequest, opts ...grpc.CallOption) (*ListQueriesResponse, error)
	GetQuery(ctx context.Context, in *GetQueryRequest, opts ...grpc.CallOption) (*GetQueryResponse, error)
	// StopQuery pauses a query (it stays deployed, stopped across
	// restarts, its checkpoint kept); StartQuery runs it again from there.
	StopQuery(ctx context.Context, in *StopQueryRequest, opts ...grpc.CallOption) (*StopQueryResponse, error)
	StartQuery(ctx context.Context, in *StartQueryRequest, opts ...grpc.CallOption) (*StartQueryResponse, error)
	// DeleteQuery stops a query and deletes it with its state stream; its
	// output stream stays unless delete_output.
	DeleteQuery(ctx context.Context, in *DeleteQueryRequest, opts ...grpc.CallOption) (*DeleteQueryResponse, error)
}

type queryServiceClient struct {
	cc grpc.ClientConnInterface
}

func NewQueryServiceClient(cc grpc.ClientConnInterface) QueryServiceClient {
	return &queryServiceClient{cc}
}

func (c *queryServiceClient) ValidateQuery(ctx context.Context, in *ValidateQueryRequest, opts ...grpc.CallOption) (*ValidateQueryResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(ValidateQueryResponse)
	err := c.cc.Invoke(ctx, QueryService_ValidateQuery_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *queryServiceClient) DeployQuery(ctx context.Context, in *DeployQueryRequest, opts ...grpc.CallOption) (*DeployQueryResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(DeployQueryResponse)
	err := c.cc.Invoke(ctx, QueryService_DeployQuery_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *queryServiceClient) ListQueries(ctx context.Context, in *ListQueriesRequest, opts ...grpc.CallOption) (*ListQueriesResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(ListQueriesResponse)
	err := c.cc.Invoke(ctx, QueryService_ListQueries_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *queryServiceClient) GetQuery(ctx context.Context, in *GetQueryRequest, opts ...grpc.CallOption) (*GetQueryResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(GetQueryResponse)
	err := c.cc.Invoke(ctx, QueryService_GetQuery_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *queryServiceClient) StopQuery(ctx context.Context, in *StopQueryRequest, opts ...grpc.CallOption) (*StopQueryResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(StopQueryResponse)
	err := c.cc.Invoke(ctx, QueryService_StopQuery_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *queryServiceClient) StartQuery(ctx context.Context, in *StartQueryRequest, opts ...grpc.CallOption) (*StartQueryResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(StartQueryResponse)
	err := c.cc.Invoke(ctx, QueryService_StartQuery_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *queryServiceClient) DeleteQuery(ctx context.Context, in *DeleteQueryRequest, opts ...grpc.CallOption) (*DeleteQueryResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(DeleteQueryResponse)
	err := c.cc.Invoke(ctx, QueryService_DeleteQuery_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// QueryServiceServer is the server API for QueryService service.
// All implementations must embed UnimplementedQueryServiceServer
// for forward compatibility.
//
// DataService moves events.
// QueryService runs continuous queries: SQL (docs/sql.md) deployed once
// under a name, run by the server over its input stream from then on, with
// its windowed results written to an output stream. A query keeps running
// across server restarts from its last checkpoint (state, input position
// and the results of the checkpoint, committed together), so that each
// window's result is written once.
type QueryServiceServer interface {
	// ValidateQuery parses and checks a query without deploying it: the
	// problems found (each with its line and column), else its columns
	// and streams.
	ValidateQuery(context.Context, *ValidateQueryRequest) (*ValidateQueryResponse, error)
	// DeployQuery validates a query and runs it. ALREADY_EXISTS when the
	// name is taken, unless replace: the query then gets a new version,
	// which goes on from where the old one had read to, with no state.
	// INVALID_ARGUMENT names the line and column of what is wrong.
	DeployQuery(context.Context, *DeployQueryRequest) (*DeployQueryResponse, error)
	ListQueries(context.Context, *ListQueriesRequest) (*ListQueriesResponse, error)
	GetQuery(context.Context, *GetQueryRequest) (*GetQueryResponse, error)
	// StopQuery pauses a query (it stays deployed, stopped across
	// restarts, its checkpoint kept); StartQuery runs it again from there.
	StopQuery(context.Context, *StopQueryRequest) (*StopQueryResponse, error)
	StartQuery(context.Context, *StartQueryRequest) (*StartQueryResponse, error)
	// DeleteQuery stops a query and deletes it with its state stream; its
	// output stream stays unless delete_output.
	DeleteQuery(context.Context, *DeleteQueryRequest) (*DeleteQueryResponse, error)
	mustEmbedUnimplementedQueryServiceServer()
}

// UnimplementedQueryServiceServer must be embedded to have
// forward compatible implementations.
//
// NOTE: this should be embedded by value instead of pointer to avoid a nil
// pointer dereference when methods are called.
type UnimplementedQueryServiceServer struct{}

func (UnimplementedQueryServiceServer) ValidateQuery(context.Context, *ValidateQueryRequest) (*ValidateQueryResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method ValidateQuery not implemented")
}
func (UnimplementedQueryServiceServer) DeployQuery(context.Context, *DeployQueryRequest) (*DeployQueryResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method DeployQuery not implemented")
}
func (UnimplementedQueryServiceServer) ListQueries(context.Context, *ListQueriesRequest) (*ListQueriesResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method ListQueries not implemented")
}
func (UnimplementedQueryServiceServer) GetQuery(context.Context, *GetQueryRequest) (*GetQueryResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method GetQuery not implemented")
}
func (UnimplementedQueryServiceServer) StopQuery(context.Context, *StopQueryRequest) (*StopQueryResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method StopQuery not implemented")
}
func (UnimplementedQueryServiceServer) StartQuery(context.Context, *StartQueryRequest) (*StartQueryResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method StartQuery not implemented")
}
func (UnimplementedQueryServiceServer) DeleteQuery(context.Context, *DeleteQueryRequest) (*DeleteQueryResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method DeleteQuery not implemented")
}
func (UnimplementedQueryServiceServer) mustEmbedUnimplementedQueryServiceServer() {}
func (UnimplementedQueryServiceServer) testEmbeddedByValue()                      {}

// UnsafeQueryServiceServer may be embedded to opt out of forward compatibility for this service.
// Use of this interface is not recommended, as added methods to QueryServiceServer will
// result in compilation errors.
type UnsafeQueryServiceServer interface {
	mustEmbedUnimplementedQueryServiceServer()
}

func RegisterQueryServiceServer(s grpc.ServiceRegistrar, srv QueryServiceServer) {
	// If the following call panics, it indicates UnimplementedQueryServiceServer was
	// embedded by pointer and is nil.  This will cause panics if an
	// unimplemented method is ever invoked, so we test this at initialization
	// time to prevent it from happening at runtime later due to I/O.
	if t, ok := srv.(interface{ testEmbeddedByValue() }); ok {
		t.testEmbeddedByValue()
	}
	s.RegisterService(&QueryService_ServiceDesc, srv)
}

func _QueryService_ValidateQuery_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(ValidateQueryRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(QueryServiceServer).ValidateQuery(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: QueryService_ValidateQuery_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(QueryServiceServer).ValidateQuery(ctx, req.(*ValidateQueryRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _QueryService_DeployQuery_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(DeployQueryRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(QueryServiceServer).DeployQuery(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: QueryService_DeployQuery_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(QueryServiceServer).DeployQuery(ctx, req.(*DeployQueryRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _QueryService_ListQueries_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(ListQueriesRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(QueryServiceServer).ListQueries(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: QueryService_ListQueries_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(QueryServiceServer).ListQueries(ctx, req.(*ListQueriesRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _QueryService_GetQuery_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(GetQueryRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(QueryServiceServer).GetQuery(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: QueryService_GetQuery_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(QueryServiceServer).GetQuery(ctx, req.(*GetQueryRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _QueryService_StopQuery_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(StopQueryRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(QueryServiceServer).StopQuery(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: QueryService_StopQuery_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(QueryServiceServer).StopQuery(ctx, req.(*StopQueryRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _QueryService_StartQuery_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(StartQueryRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(QueryServiceServer).StartQuery(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: QueryService_StartQuery_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(QueryServiceServer).StartQuery(ctx, req.(*StartQueryRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _QueryService_DeleteQuery_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(DeleteQueryRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(QueryServiceServer).DeleteQuery(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: QueryService_DeleteQuery_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(QueryServiceServer).DeleteQuery(ctx, req.(*DeleteQueryRequest))
	}
	return interceptor(ctx, in, info, handler)
}

// QueryService_ServiceDesc is the grpc.ServiceDesc for QueryService service.
// It's only intended for direct use with grpc.RegisterService,
// and not to be introspected or modified (even as a copy)
var QueryService_ServiceDesc = grpc.ServiceDesc{
	ServiceName: "braid.v1.QueryService",
	HandlerType: (*QueryServiceServer)(nil),
	Methods: []grpc.MethodDesc{
		{
			MethodName: "ValidateQuery",
			Handler:    _QueryService_ValidateQuery_Handler,
		},
		{
			MethodName: "DeployQuery",
			Handler:    _QueryService_DeployQuery_Handler,
		},
		{
			MethodName: "ListQueries",
			Handler:    _QueryService_ListQueries_Handler,
		},
		{
			MethodName: "GetQuery",
			Handler:    _QueryService_GetQuery_Handler,
		},
		{
			MethodName: "StopQuery",
			Handler:    _QueryService_StopQuery_Handler,
		},
		{
			MethodName: "StartQuery",
			Handler:    _QueryService_StartQuery_Handler,
		},
		{
			MethodName: "DeleteQuery",
			Handler:    _QueryService_DeleteQuery_Handler,
		},
	},
	Streams:  []grpc.StreamDesc{},
	Metadata: "braid/v1/braid.proto",
}

const (
	DataService_Append_FullMethodName        = "/braid.v1.DataService/Append"
	DataService_ReadSegment_FullMethodName   = "/braid.v1.DataService/ReadSegment"
	DataService_FetchEvent_FullMethodName    = "/braid.v1.DataService/FetchEvent"
	DataService_GetStreamCut_FullMethodName  = "/braid.v1.DataService/GetStreamCut"
	DataService_NoteTime_FullMethodName      = "/braid.v1.DataService/NoteTime"
	DataService_GetWatermark_FullMethodName  = "/braid.v1.DataService/GetWatermark"
	DataService_GetTimeWindow_FullMethodName = "/braid.v1.DataService/GetTimeWindow"
)

// DataServiceClient is the client API for DataService service.
//
// For semantics around ctx use and closing/ending streaming RPCs, please refer to https://pkg.go.dev/google.golang.org/grpc/?tab=doc#ClientConn.NewStream.
type DataServiceClient interface {
	// Append is an append session (append protocol 2). One session carries
	// any number of writers, each to any stream, and one message carries
	// batches for many segments of many writers:
	//  1. The client sends AppendOpen for each writer, naming the stream,
	//     the writer_id, and a handle (a number it picks, unique among the
	//     session's open writers). The server answers AppendOpened with the
	//     same handle: the stream's current segments, or an error (NOT_FOUND,
	//     SEALED, ...) that ends that writer only. Batches may follow the
	//     open at once, without waiting for the answer.
	//  2. The client sends AppendBatches: batches of any open writers, each
	//     for one segment. The server answers with AppendAcks, each holding
	//     the acks of one or more batches (of any writers) once their events
	//     are durable.
	//  3. AppendClose ends a writer's handle; the acks of its batches still
	//     come. Half-closing the call ends the session once every batch is
	//     answered.
	//
	// Acks of one writer's segment come in the order its batches were sent,
	// except that a batch refused before it is queued (bad frames, a wrong
	// event_count, a first_event_number below 1, a size limit, a segment not
	// of the stream, a handle not open) is answered at once, possibly ahead
	// of earlier batches; acks of different segments and writers interleave.
	// A batch whose event numbers were already stored is acknowledged again
	// without being written twice.
	//
	// The call itself fails (and the session ends) only for a message out
	// of protocol (an AppendOpen reusing an open handle or with a writer_id
	// over 256 bytes: INVALID_ARGUMENT), the write deadline, a broken stream, or
	// a client of append protocol 1: its first message, AppendSetup, or an
	// AppendBatch outside AppendBatches, fails the call with gRPC code
	// UNIMPLEMENTED and braid code PROTOCOL_VERSION, whose message names both
	// versions (protocol 1 was served by braid before the append engine of
	// protocol 2; a client of it must be upgraded). An error ack ends
	// nothing: the session goes on taking batches. But the batches of that
	// segment sent after the failed one have numbers past it, so they fail
	// with EVENT_NUMBER_GAP until the failed batch is stored (or they are
	// renumbered). If the stream is deleted meanwhile, acks say NOT_FOUND.
	// After a break, open a new session, open the writers again (same
	// writer_id) and send every unacknowledged batch again, unchanged, in the
	// original order.
	//
	// Scaling: a batch that a sealed segment did not store gets an error
	// ack SEALED (a batch it did store is still acknowledged as a
	// duplicate), and so do the segment's later batches. Find the segments
	// that now own its key range (GetSuccessors of the segment, or
	// GetStream's current epoch; if the stream itself is sealed, no further
	// append is possible), send the unstored events there in their order,
	// numbered as that segment's events of the writer (from 1 in a segment
	// the writer has not written to), and route the range there from then
	// on. A writer's handle takes batches for segments a scaling made after
	// its open.
	Append(ctx context.Context, opts ...grpc.CallOption) (grpc.BidiStreamingClient[AppendRequest, AppendResponse], error)
	// ReadSegment streams whole events of one segment from an offset. With
	// follow set it waits at the tail for more; it ends at end_offset (if
	// set) or at the end of a sealed segment.
	ReadSegment(ctx context.Context, in *ReadSegmentRequest, opts ...grpc.CallOption) (grpc.ServerStreamingClient[ReadSegmentResponse], error)
	// FetchEvent reads back the one event an event pointer names.
	FetchEvent(ctx context.Context, in *FetchEventRequest, opts ...grpc.CallOption) (*FetchEventResponse, error)
	// GetStreamCut returns the head or tail stream cut of a stream, or the
	// cut at a time (from each segment's time index).
	GetStreamCut(ctx context.Context, in *GetStreamCutRequest, opts ...grpc.CallOption) (*GetStreamCutResponse, error)
	// NoteTime reports a writer's time: the writer will write nothing older
	// than time_unix_nanos after position. The stream's watermark is the
	// least time over its active writers (GetWatermark). A report with
	// closed set removes the writer at once.
	NoteTime(ctx context.Context, in *NoteTimeRequest, opts ...grpc.CallOption) (*NoteTimeResponse, error)
	// GetWatermark returns a stream's current watermark and the writers
	// that hold it.
	GetWatermark(ctx context.Context, in *GetWatermarkRequest, opts ...grpc.CallOption) (*GetWatermarkResponse, error)
	// GetTimeWindow returns the time window of a position in a stream: the
	// bounds of the times of the events around it, from the stream's
	// stored watermarks.
	GetTimeWindow(ctx context.Context, in *GetTimeWindowRequest, opts ...grpc.CallOption) (*GetTimeWindowResponse, error)
}

type dataServiceClient struct {
	cc grpc.ClientConnInterface
}

func NewDataServiceClient(cc grpc.ClientConnInterface) DataServiceClient {
	return &dataServiceClient{cc}
}

func (c *dataServiceClient) Append(ctx context.Context, opts ...grpc.CallOption) (grpc.BidiStreamingClient[AppendRequest, AppendResponse], error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	stream, err := c.cc.NewStream(ctx, &DataService_ServiceDesc.Streams[0], DataService_Append_FullMethodName, cOpts...)
	if err != nil {
		return nil, err
	}
	x := &grpc.GenericClientStream[AppendRequest, AppendResponse]{ClientStream: stream}
	return x, nil
}

// This type alias is provided for backwards compatibility with existing code that references the prior non-generic stream type by name.
type DataService_AppendClient = grpc.BidiStreamingClient[AppendRequest, AppendResponse]

func (c *dataServiceClient) ReadSegment(ctx context.Context, in *ReadSegmentRequest, opts ...grpc.CallOption) (grpc.ServerStreamingClient[ReadSegmentResponse], error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	stream, err := c.cc.NewStream(ctx, &DataService_ServiceDesc.Streams[1], DataService_ReadSegment_FullMethodName, cOpts...)
	if err != nil {
		return nil, err
	}
	x := &grpc.GenericClientStream[ReadSegmentRequest, ReadSegmentResponse]{ClientStream: stream}
	if err := x.ClientStream.SendMsg(in); err != nil {
		return nil, err
	}
	if err := x.ClientStream.CloseSend(); err != nil {
		return nil, err
	}
	return x, nil
}

// This type alias is provided for backwards compatibility with existing code that references the prior non-generic stream type by name.
type DataService_ReadSegmentClient = grpc.ServerStreamingClient[ReadSegmentResponse]

func (c *dataServiceClient) FetchEvent(ctx context.Context, in *FetchEventRequest, opts ...grpc.CallOption) (*FetchEventResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(FetchEventResponse)
	err := c.cc.Invoke(ctx, DataService_FetchEvent_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *dataServiceClient) GetStreamCut(ctx context.Context, in *GetStreamCutRequest, opts ...grpc.CallOption) (*GetStreamCutResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(GetStreamCutResponse)
	err := c.cc.Invoke(ctx, DataService_GetStreamCut_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *dataServiceClient) NoteTime(ctx context.Context, in *NoteTimeRequest, opts ...grpc.CallOption) (*NoteTimeResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(NoteTimeResponse)
	err := c.cc.Invoke(ctx, DataService_NoteTime_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *dataServiceClient) GetWatermark(ctx context.Context, in *GetWatermarkRequest, opts ...grpc.CallOption) (*GetWatermarkResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(GetWatermarkResponse)
	err := c.cc.Invoke(ctx, DataService_GetWatermark_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *dataServiceClient) GetTimeWindow(ctx context.Context, in *GetTimeWindowRequest, opts ...grpc.CallOption) (*GetTimeWindowResponse, error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	out := new(GetTimeWindowResponse)
	err := c.cc.Invoke(ctx, DataService_GetTimeWindow_FullMethodName, in, out, cOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DataServiceServer is the server API for DataService service.
// All implementations must embed UnimplementedDataServiceServer
// for forward compatibility.
type DataServiceServer interface {
	// Append is an append session (append protocol 2). One session carries
	// any number of writers, each to any stream, and one message carries
	// batches for many segments of many writers:
	//  1. The client sends AppendOpen for each writer, naming the stream,
	//     the writer_id, and a handle (a number it picks, unique among the
	//     session's open writers). The server answers AppendOpened with the
	//     same handle: the stream's current segments, or an error (NOT_FOUND,
	//     SEALED, ...) that ends that writer only. Batches may follow the
	//     open at once, without waiting for the answer.
	//  2. The client sends AppendBatches: batches of any open writers, each
	//     for one segment. The server answers with AppendAcks, each holding
	//     the acks of one or more batches (of any writers) once their events
	//     are durable.
	//  3. AppendClose ends a writer's handle; the acks of its batches still
	//     come. Half-closing the call ends the session once every batch is
	//     answered.
	//
	// Acks of one writer's segment come in the order its batches were sent,
	// except that a batch refused before it is queued (bad frames, a wrong
	// event_count, a first_event_number below 1, a size limit, a segment not
	// of the stream, a handle not open) is answered at once, possibly ahead
	// of earlier batches; acks of different segments and writers interleave.
	// A batch whose event numbers were already stored is acknowledged again
	// without being written twice.
	//
	// The call itself fails (and the session ends) only for a message out
	// of protocol (an AppendOpen reusing an open handle or with a writer_id
	// over 256 bytes: INVALID_ARGUMENT), the write deadline, a broken stream, or
	// a client of append protocol 1: its first message, AppendSetup, or an
	// AppendBatch outside AppendBatches, fails the call with gRPC code
	// UNIMPLEMENTED and braid code PROTOCOL_VERSION, whose message names both
	// versions (protocol 1 was served by braid before the append engine of
	// protocol 2; a client of it must be upgraded). An error ack ends
	// nothing: the session goes on taking batches. But the batches of that
	// segment sent after the failed one have numbers past it, so they fail
	// with EVENT_NUMBER_GAP until the failed batch is stored (or they are
	// renumbered). If the stream is deleted meanwhile, acks say NOT_FOUND.
	// After a break, open a new session, open the writers again (same
	// writer_id) and send every unacknowledged batch again, unchanged, in the
	// original order.
	//
	// Scaling: a batch that a sealed segment did not store gets an error
	// ack SEALED (a batch it did store is still acknowledged as a
	// duplicate), and so do the segment's later batches. Find the segments
	// that now own its key range (GetSuccessors of the segment, or
	// GetStream's current epoch; if the stream itself is sealed, no further
	// append is possible), send the unstored events there in their order,
	// numbered as that segment's events of the writer (from 1 in a segment
	// the writer has not written to), and route the range there from then
	// on. A writer's handle takes batches for segments a scaling made after
	// its open.
	Append(grpc.BidiStreamingServer[AppendRequest, AppendResponse]) error
	// ReadSegment streams whole events of one segment from an offset. With
	// follow set it waits at the tail for more; it ends at end_offset (if
	// set) or at the end of a sealed segment.
	ReadSegment(*ReadSegmentRequest, grpc.ServerStreamingServer[ReadSegmentResponse]) error
	// FetchEvent reads back the one event an event pointer names.
	FetchEvent(context.Context, *FetchEventRequest) (*FetchEventResponse, error)
	// GetStreamCut returns the head or tail stream cut of a stream, or the
	// cut at a time (from each segment's time index).
	GetStreamCut(context.Context, *GetStreamCutRequest) (*GetStreamCutResponse, error)
	// NoteTime reports a writer's time: the writer will write nothing older
	// than time_unix_nanos after position. The stream's watermark is the
	// least time over its active writers (GetWatermark). A report with
	// closed set removes the writer at once.
	NoteTime(context.Context, *NoteTimeRequest) (*NoteTimeResponse, error)
	// GetWatermark returns a stream's current watermark and the writers
	// that hold it.
	GetWatermark(context.Context, *GetWatermarkRequest) (*GetWatermarkResponse, error)
	// GetTimeWindow returns the time window of a position in a stream: the
	// bounds of the times of the events around it, from the stream's
	// stored watermarks.
	GetTimeWindow(context.Context, *GetTimeWindowRequest) (*GetTimeWindowResponse, error)
	mustEmbedUnimplementedDataServiceServer()
}

// UnimplementedDataServiceServer must be embedded to have
// forward compatible implementations.
//
// NOTE: this should be embedded by value instead of pointer to avoid a nil
// pointer dereference when methods are called.
type UnimplementedDataServiceServer struct{}

func (UnimplementedDataServiceServer) Append(grpc.BidiStreamingServer[AppendRequest, AppendResponse]) error {
	return status.Error(codes.Unimplemented, "method Append not implemented")
}
func (UnimplementedDataServiceServer) ReadSegment(*ReadSegmentRequest, grpc.ServerStreamingServer[ReadSegmentResponse]) error {
	return status.Error(codes.Unimplemented, "method ReadSegment not implemented")
}
func (UnimplementedDataServiceServer) FetchEvent(context.Context, *FetchEventRequest) (*FetchEventResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method FetchEvent not implemented")
}
func (UnimplementedDataServiceServer) GetStreamCut(context.Context, *GetStreamCutRequest) (*GetStreamCutResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method GetStreamCut not implemented")
}
func (UnimplementedDataServiceServer) NoteTime(context.Context, *NoteTimeRequest) (*NoteTimeResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method NoteTime not implemented")
}
func (UnimplementedDataServiceServer) GetWatermark(context.Context, *GetWatermarkRequest) (*GetWatermarkResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method GetWatermark not implemented")
}
func (UnimplementedDataServiceServer) GetTimeWindow(context.Context, *GetTimeWindowRequest) (*GetTimeWindowResponse, error) {
	return nil, status.Error(codes.Unimplemented, "method GetTimeWindow not implemented")
}
func (UnimplementedDataServiceServer) mustEmbedUnimplementedDataServiceServer() {}
func (UnimplementedDataServiceServer) testEmbeddedByValue()                     {}

// UnsafeDataServiceServer may be embedded to opt out of forward compatibility for this service.
// Use of this interface is not recommended, as added methods to DataServiceServer will
// result in compilation errors.
type UnsafeDataServiceServer interface {
	mustEmbedUnimplementedDataServiceServer()
}

func RegisterDataServiceServer(s grpc.ServiceRegistrar, srv DataServiceServer) {
	// If the following call panics, it indicates UnimplementedDataServiceServer was
	// embedded by pointer and is nil.  This will cause panics if an
	// unimplemented method is ever invoked, so we test this at initialization
	// time to prevent it from happening at runtime later due to I/O.
	if t, ok := srv.(interface{ testEmbeddedByValue() }); ok {
		t.testEmbeddedByValue()
	}
	s.RegisterService(&DataService_ServiceDesc, srv)
}

func _DataService_Append_Handler(srv interface{}, stream grpc.ServerStream) error {
	return srv.(DataServiceServer).Append(&grpc.GenericServerStream[AppendRequest, AppendResponse]{ServerStream: stream})
}

// This type alias is provided for backwards compatibility with existing code that references the prior non-generic stream type by name.
type DataService_AppendServer = grpc.BidiStreamingServer[AppendRequest, AppendResponse]

func _DataService_ReadSegment_Handler(srv interface{}, stream grpc.ServerStream) error {
	m := new(ReadSegmentRequest)
	if err := stream.RecvMsg(m); err != nil {
		return err
	}
	return srv.(DataServiceServer).ReadSegment(m, &grpc.GenericServerStream[ReadSegmentRequest, ReadSegmentResponse]{ServerStream: stream})
}

// This type alias is provided for backwards compatibility with existing code that references the prior non-generic stream type by name.
type DataService_ReadSegmentServer = grpc.ServerStreamingServer[ReadSegmentResponse]

func _DataService_FetchEvent_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(FetchEventRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(DataServiceServer).FetchEvent(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: DataService_FetchEvent_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(DataServiceServer).FetchEvent(ctx, req.(*FetchEventRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _DataService_GetStreamCut_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(GetStreamCutRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(DataServiceServer).GetStreamCut(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: DataService_GetStreamCut_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(DataServiceServer).GetStreamCut(ctx, req.(*GetStreamCutRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _DataService_NoteTime_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(NoteTimeRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(DataServiceServer).NoteTime(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: DataService_NoteTime_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(DataServiceServer).NoteTime(ctx, req.(*NoteTimeRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _DataService_GetWatermark_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(GetWatermarkRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(DataServiceServer).GetWatermark(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: DataService_GetWatermark_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(DataServiceServer).GetWatermark(ctx, req.(*GetWatermarkRequest))
	}
	return interceptor(ctx, in, info, handler)
}

func _DataService_GetTimeWindow_Handler(srv interface{}, ctx context.Context, dec func(interface{}) error, interceptor grpc.UnaryServerInterceptor) (interface{}, error) {
	in := new(GetTimeWindowRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(DataServiceServer).GetTimeWindow(ctx, in)
	}
	info := &grpc.UnaryServerInfo{
		Server:     srv,
		FullMethod: DataService_GetTimeWindow_FullMethodName,
	}
	handler := func(ctx context.Context, req interface{}) (interface{}, error) {
		return srv.(DataServiceServer).GetTimeWindow(ctx, req.(*GetTimeWindowRequest))
	}
	return interceptor(ctx, in, info, handler)
}

// DataService_ServiceDesc is the grpc.ServiceDesc for DataService service.
// It's only intended for direct use with grpc.RegisterService,
// and not to be introspected or modified (even as a copy)
var DataService_ServiceDesc = grpc.ServiceDesc{
	ServiceName: "braid.v1.DataService",
	HandlerType: (*DataServiceServer)(nil),
	Methods: []grpc.MethodDesc{
		{
			MethodName: "FetchEvent",
			Handler:    _DataService_FetchEvent_Handler,
		},
		{
			MethodName: "GetStreamCut",
			Handler:    _DataService_GetStreamCut_Handler,
		},
		{
			MethodName: "NoteTime",
			Handler:    _DataService_NoteTime_Handler,
		},
		{
			MethodName: "GetWatermark",
			Handler:    _DataService_GetWatermark_Handler,
		},
		{
			MethodName: "GetTimeWindow",
			Handler:    _DataService_GetTimeWindow_Handler,
		},
	},
	Streams: []grpc.StreamDesc{
		{
			StreamName:    "Append",
			Handler:       _DataService_Append_Handler,
			ServerStreams: true,
			ClientStreams: true,
		},
		{
			StreamName:    "ReadSegment",
			Handler:       _DataService_ReadSegment_Handler,
			ServerStreams: true,
		},
	},
	Metadata: "braid/v1/braid.proto",
}
