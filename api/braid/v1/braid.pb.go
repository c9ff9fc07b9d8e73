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

// Code generated by protoc-gen-go. DO NOT EDIT.
// versions:
// 	protoc-gen-go v1.36.12
// 	protoc        (unknown)
// source: braid/v1/braid.proto

package braidv1

import (
	protoreflect "google.golang.org/protobuf/reflect/protoreflect"
	protoimpl "google.golang.org/protobuf/runtime/protoimpl"
	reflect "reflect"
	sync "sync"
	unsafe "unsafe"
)

const (
	// Verify that this generated code is sufficiently up-to-date.
	_ = protoimpl.EnforceVersion(20 - protoimpl.MinVersion)
	// Verify that runtime/protoimpl is sufficiently up-to-date.
	_ = protoimpl.EnforceVersion(protoimpl.MaxVersion - 20)
)

type ScalingPolicy_Kind int32

const (
	// KIND_UNSPECIFIED and KIND_FIXED: no automatic scaling.
	ScalingPolicy_KIND_UNSPECIFIED ScalingPolicy_Kind = 0
	ScalingPolicy_KIND_FIXED       ScalingPolicy_Kind = 1
	// KIND_EVENT_RATE: target is events per second per segment.
	ScalingPolicy_KIND_EVENT_RATE ScalingPolicy_Kind = 2
	// KIND_DATA_RATE: target is bytes per second per segment.
	ScalingPolicy_KIND_DATA_RATE ScalingPolicy_Kind = 3
)

// Enum value maps for ScalingPolicy_Kind.
var (
	ScalingPolicy_Kind_name = map[int32]string{
		0: "KIND_UNSPECIFIED",
		1: "KIND_FIXED",
		2: "KIND_EVENT_RATE",
		3: "KIND_DATA_RATE",
	}
	ScalingPolicy_Kind_value = map[string]int32{
		"KIND_UNSPECIFIED": 0,
		"KIND_FIXED":       1,
		"KIND_EVENT_RATE":  2,
		"KIND_DATA_RATE":   3,
	}
)

func (x ScalingPolicy_Kind) Enum() *ScalingPolicy_Kind {
	p := new(ScalingPolicy_Kind)
	*p = x
	return p
}

func (x ScalingPolicy_Kind) String() string {
	return protoimpl.X.EnumStringOf(x.Descriptor(), protoreflect.EnumNumber(x))
}

func (ScalingPolicy_Kind) Descriptor() protoreflect.EnumDescriptor {
	return file_braid_v1_braid_proto_enumTypes[0].Descriptor()
}

func (ScalingPolicy_Kind) Type() protoreflect.EnumType {
	return &file_braid_v1_braid_proto_enumTypes[0]
}

func (x ScalingPolicy_Kind) Number() protoreflect.EnumNumber {
	return protoreflect.EnumNumber(x)
}

// Deprecated: Use ScalingPolicy_Kind.Descriptor instead.
func (ScalingPolicy_Kind) EnumDescriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{7, 0}
}

type GetStreamCutRequest_Which int32

const (
	// WHICH_UNSPECIFIED means the head.
	GetStreamCutRequest_WHICH_UNSPECIFIED GetStreamCutRequest_Which = 0
	GetStreamCutRequest_WHICH_HEAD        GetStreamCutRequest_Which = 1
	GetStreamCutRequest_WHICH_TAIL        GetStreamCutRequest_Which = 2
	// WHICH_TIME is the cut at time_unix_nanos: in each segment of the
	// epoch current at that time, the first event appended at or after
	// it (the segment's end if none was). Before the stream's head it is
	// the head; after the tail, the tail. Segments index append times
	// sparsely (docs/formats.md, "Time index"): a read from a time may
	// start up to the index's resolution early, never late.
	GetStreamCutRequest_WHICH_TIME GetStreamCutRequest_Which = 3
)

// Enum value maps for GetStreamCutRequest_Which.
var (
	GetStreamCutRequest_Which_name = map[int32]string{
		0: "WHICH_UNSPECIFIED",
		1: "WHICH_HEAD",
		2: "WHICH_TAIL",
		3: "WHICH_TIME",
	}
	GetStreamCutRequest_Which_value = map[string]int32{
		"WHICH_UNSPECIFIED": 0,
		"WHICH_HEAD":        1,
		"WHICH_TAIL":        2,
		"WHICH_TIME":        3,
	}
)

func (x GetStreamCutRequest_Which) Enum() *GetStreamCutRequest_Which {
	p := new(GetStreamCutRequest_Which)
	*p = x
	return p
}

func (x GetStreamCutRequest_Which) String() string {
	return protoimpl.X.EnumStringOf(x.Descriptor(), protoreflect.EnumNumber(x))
}

func (GetStreamCutRequest_Which) Descriptor() protoreflect.EnumDescriptor {
	return file_braid_v1_braid_proto_enumTypes[1].Descriptor()
}

func (GetStreamCutRequest_Which) Type() protoreflect.EnumType {
	return &file_braid_v1_braid_proto_enumTypes[1]
}

func (x GetStreamCutRequest_Which) Number() protoreflect.EnumNumber {
	return protoreflect.EnumNumber(x)
}

// Deprecated: Use GetStreamCutRequest_Which.Descriptor instead.
func (GetStreamCutRequest_Which) EnumDescriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{83, 0}
}

type CreateScopeRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Scope         string                 `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *CreateScopeRequest) Reset() {
	*x = CreateScopeRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[0]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *CreateScopeRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*CreateScopeRequest) ProtoMessage() {}

func (x *CreateScopeRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[0]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use CreateScopeRequest.ProtoReflect.Descriptor instead.
func (*CreateScopeRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{0}
}

func (x *CreateScopeRequest) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

type CreateScopeResponse struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// created is false when the scope already existed.
	Created       bool `protobuf:"varint,1,opt,name=created,proto3" json:"created,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *CreateScopeResponse) Reset() {
	*x = CreateScopeResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[1]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *CreateScopeResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*CreateScopeResponse) ProtoMessage() {}

func (x *CreateScopeResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[1]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use CreateScopeResponse.ProtoReflect.Descriptor instead.
func (*CreateScopeResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{1}
}

func (x *CreateScopeResponse) GetCreated() bool {
	if x != nil {
		return x.Created
	}
	return false
}

type ListScopesRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ListScopesRequest) Reset() {
	*x = ListScopesRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[2]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ListScopesRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ListScopesRequest) ProtoMessage() {}

func (x *ListScopesRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[2]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ListScopesRequest.ProtoReflect.Descriptor instead.
func (*ListScopesRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{2}
}

type ListScopesResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Scopes        []string               `protobuf:"bytes,1,rep,name=scopes,proto3" json:"scopes,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ListScopesResponse) Reset() {
	*x = ListScopesResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[3]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ListScopesResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ListScopesResponse) ProtoMessage() {}

func (x *ListScopesResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[3]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ListScopesResponse.ProtoReflect.Descriptor instead.
func (*ListScopesResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{3}
}

func (x *ListScopesResponse) GetScopes() []string {
	if x != nil {
		return x.Scopes
	}
	return nil
}

type DeleteScopeRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Scope         string                 `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *DeleteScopeRequest) Reset() {
	*x = DeleteScopeRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[4]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *DeleteScopeRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*DeleteScopeRequest) ProtoMessage() {}

func (x *DeleteScopeRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[4]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use DeleteScopeRequest.ProtoReflect.Descriptor instead.
func (*DeleteScopeRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{4}
}

func (x *DeleteScopeRequest) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

type DeleteScopeResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *DeleteScopeResponse) Reset() {
	*x = DeleteScopeResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[5]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *DeleteScopeResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*DeleteScopeResponse) ProtoMessage() {}

func (x *DeleteScopeResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[5]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use DeleteScopeResponse.ProtoReflect.Descriptor instead.
func (*DeleteScopeResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{5}
}

type StreamConfig struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// segments is the number of segments a new stream starts with (1..1024;
	// 0 in CreateStream means 1). Segment i of n owns [i/n, (i+1)/n), the
	// last up to exactly 1. In UpdateStream, 0 leaves it as it is.
	Segments uint32 `protobuf:"varint,1,opt,name=segments,proto3" json:"segments,omitempty"`
	// retention bounds how much of the stream is kept; unset keeps
	// everything.
	Retention *RetentionPolicy `protobuf:"bytes,2,opt,name=retention,proto3" json:"retention,omitempty"`
	// scaling is how the stream's segment count follows its load; unset is
	// fixed (no automatic scaling).
	Scaling *ScalingPolicy `protobuf:"bytes,3,opt,name=scaling,proto3" json:"scaling,omitempty"`
	// timestamp_aggregation_timeout_ms is how long a writer that noted time
	// (NoteTime) goes on holding the stream's watermark back without noting
	// again; after it, the writer counts as gone. 0 means the default, 30
	// seconds; at most 7 days. It may change in UpdateStream.
	TimestampAggregationTimeoutMs int64 `protobuf:"varint,4,opt,name=timestamp_aggregation_timeout_ms,json=timestampAggregationTimeoutMs,proto3" json:"timestamp_aggregation_timeout_ms,omitempty"`
	unknownFields                 protoimpl.UnknownFields
	sizeCache                     protoimpl.SizeCache
}

func (x *StreamConfig) Reset() {
	*x = StreamConfig{}
	mi := &file_braid_v1_braid_proto_msgTypes[6]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *StreamConfig) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*StreamConfig) ProtoMessage() {}

func (x *StreamConfig) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[6]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use StreamConfig.ProtoReflect.Descriptor instead.
func (*StreamConfig) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{6}
}

func (x *StreamConfig) GetSegments() uint32 {
	if x != nil {
		return x.Segments
	}
	return 0
}

func (x *StreamConfig) GetRetention() *RetentionPolicy {
	if x != nil {
		return x.Retention
	}
	return nil
}

func (x *StreamConfig) GetScaling() *ScalingPolicy {
	if x != nil {
		return x.Scaling
	}
	return nil
}

func (x *StreamConfig) GetTimestampAggregationTimeoutMs() int64 {
	if x != nil {
		return x.TimestampAggregationTimeoutMs
	}
	return 0
}

// ScalingPolicy makes the server split a segment whose rate stays above
// target, and merge neighbouring segments whose rates stay below it. The
// decision windows and the cooldown between scalings are the server's
// (see braid serve --help).
type ScalingPolicy struct {
	state  protoimpl.MessageState `protogen:"open.v1"`
	Kind   ScalingPolicy_Kind     `protobuf:"varint,1,opt,name=kind,proto3,enum=braid.v1.ScalingPolicy_Kind" json:"kind,omitempty"`
	Target int64                  `protobuf:"varint,2,opt,name=target,proto3" json:"target,omitempty"`
	// scale_factor is how many segments a hot segment is split into at
	// most (2..16; 0 means 2).
	ScaleFactor uint32 `protobuf:"varint,3,opt,name=scale_factor,json=scaleFactor,proto3" json:"scale_factor,omitempty"`
	// min_segments is the fewest segments merging leaves (0 means 1).
	MinSegments   uint32 `protobuf:"varint,4,opt,name=min_segments,json=minSegments,proto3" json:"min_segments,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ScalingPolicy) Reset() {
	*x = ScalingPolicy{}
	mi := &file_braid_v1_braid_proto_msgTypes[7]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ScalingPolicy) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ScalingPolicy) ProtoMessage() {}

func (x *ScalingPolicy) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[7]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ScalingPolicy.ProtoReflect.Descriptor instead.
func (*ScalingPolicy) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{7}
}

func (x *ScalingPolicy) GetKind() ScalingPolicy_Kind {
	if x != nil {
		return x.Kind
	}
	return ScalingPolicy_KIND_UNSPECIFIED
}

func (x *ScalingPolicy) GetTarget() int64 {
	if x != nil {
		return x.Target
	}
	return 0
}

func (x *ScalingPolicy) GetScaleFactor() uint32 {
	if x != nil {
		return x.ScaleFactor
	}
	return 0
}

func (x *ScalingPolicy) GetMinSegments() uint32 {
	if x != nil {
		return x.MinSegments
	}
	return 0
}

// RetentionPolicy bounds a stream by time or by size, each with a minimum
// and a maximum (as Pravega's). The server records the stream's tail cut at
// every retention pass (an interval of the server's, one minute by default)
// and truncates the stream at the recorded cut the policy picks. Reads
// below it then fail with TRUNCATED.
type RetentionPolicy struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// Types that are valid to be assigned to Policy:
	//
	//	*RetentionPolicy_ByTime
	//	*RetentionPolicy_BySize
	Policy        isRetentionPolicy_Policy `protobuf_oneof:"policy"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *RetentionPolicy) Reset() {
	*x = RetentionPolicy{}
	mi := &file_braid_v1_braid_proto_msgTypes[8]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *RetentionPolicy) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*RetentionPolicy) ProtoMessage() {}

func (x *RetentionPolicy) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[8]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use RetentionPolicy.ProtoReflect.Descriptor instead.
func (*RetentionPolicy) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{8}
}

func (x *RetentionPolicy) GetPolicy() isRetentionPolicy_Policy {
	if x != nil {
		return x.Policy
	}
	return nil
}

func (x *RetentionPolicy) GetByTime() *RetentionByTime {
	if x != nil {
		if x, ok := x.Policy.(*RetentionPolicy_ByTime); ok {
			return x.ByTime
		}
	}
	return nil
}

func (x *RetentionPolicy) GetBySize() *RetentionBySize {
	if x != nil {
		if x, ok := x.Policy.(*RetentionPolicy_BySize); ok {
			return x.BySize
		}
	}
	return nil
}

type isRetentionPolicy_Policy interface {
	isRetentionPolicy_Policy()
}

type RetentionPolicy_ByTime struct {
	ByTime *RetentionByTime `protobuf:"bytes,1,opt,name=by_time,json=byTime,proto3,oneof"`
}

type RetentionPolicy_BySize struct {
	BySize *RetentionBySize `protobuf:"bytes,2,opt,name=by_size,json=bySize,proto3,oneof"`
}

func (*RetentionPolicy_ByTime) isRetentionPolicy_Policy() {}

func (*RetentionPolicy_BySize) isRetentionPolicy_Policy() {}

// RetentionByTime removes events once they are older than max_ms, at the
// granularity of the retention interval, and never events younger than
// min_ms. 0 <= min_ms <= max_ms, max_ms > 0.
type RetentionByTime struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	MinMs         int64                  `protobuf:"varint,1,opt,name=min_ms,json=minMs,proto3" json:"min_ms,omitempty"`
	MaxMs         int64                  `protobuf:"varint,2,opt,name=max_ms,json=maxMs,proto3" json:"max_ms,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *RetentionByTime) Reset() {
	*x = RetentionByTime{}
	mi := &file_braid_v1_braid_proto_msgTypes[9]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *RetentionByTime) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*RetentionByTime) ProtoMessage() {}

func (x *RetentionByTime) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[9]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use RetentionByTime.ProtoReflect.Descriptor instead.
func (*RetentionByTime) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{9}
}

func (x *RetentionByTime) GetMinMs() int64 {
	if x != nil {
		return x.MinMs
	}
	return 0
}

func (x *RetentionByTime) GetMaxMs() int64 {
	if x != nil {
		return x.MaxMs
	}
	return 0
}

// RetentionBySize truncates a stream that holds more than max_bytes at the
// oldest recorded cut that keeps at most max_bytes, but never at one that
// keeps less than min_bytes (then at the newest that keeps at least
// min_bytes). 0 <= min_bytes <= max_bytes, max_bytes > 0.
type RetentionBySize struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	MinBytes      int64                  `protobuf:"varint,1,opt,name=min_bytes,json=minBytes,proto3" json:"min_bytes,omitempty"`
	MaxBytes      int64                  `protobuf:"varint,2,opt,name=max_bytes,json=maxBytes,proto3" json:"max_bytes,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *RetentionBySize) Reset() {
	*x = RetentionBySize{}
	mi := &file_braid_v1_braid_proto_msgTypes[10]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *RetentionBySize) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*RetentionBySize) ProtoMessage() {}

func (x *RetentionBySize) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[10]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use RetentionBySize.ProtoReflect.Descriptor instead.
func (*RetentionBySize) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{10}
}

func (x *RetentionBySize) GetMinBytes() int64 {
	if x != nil {
		return x.MinBytes
	}
	return 0
}

func (x *RetentionBySize) GetMaxBytes() int64 {
	if x != nil {
		return x.MaxBytes
	}
	return 0
}

// SegmentRange is one segment and the part of the key space [0,1) it owns.
type SegmentRange struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// segment_id is epoch<<32 | number.
	SegmentId     uint64  `protobuf:"varint,1,opt,name=segment_id,json=segmentId,proto3" json:"segment_id,omitempty"`
	KeyLow        float64 `protobuf:"fixed64,2,opt,name=key_low,json=keyLow,proto3" json:"key_low,omitempty"`
	KeyHigh       float64 `protobuf:"fixed64,3,opt,name=key_high,json=keyHigh,proto3" json:"key_high,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *SegmentRange) Reset() {
	*x = SegmentRange{}
	mi := &file_braid_v1_braid_proto_msgTypes[11]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *SegmentRange) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*SegmentRange) ProtoMessage() {}

func (x *SegmentRange) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[11]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use SegmentRange.ProtoReflect.Descriptor instead.
func (*SegmentRange) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{11}
}

func (x *SegmentRange) GetSegmentId() uint64 {
	if x != nil {
		return x.SegmentId
	}
	return 0
}

func (x *SegmentRange) GetKeyLow() float64 {
	if x != nil {
		return x.KeyLow
	}
	return 0
}

func (x *SegmentRange) GetKeyHigh() float64 {
	if x != nil {
		return x.KeyHigh
	}
	return 0
}

// Epoch is one layout of a stream's segments.
type Epoch struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Epoch         uint32                 `protobuf:"varint,1,opt,name=epoch,proto3" json:"epoch,omitempty"`
	Segments      []*SegmentRange        `protobuf:"bytes,2,rep,name=segments,proto3" json:"segments,omitempty"`
	CreatedUnixMs int64                  `protobuf:"varint,3,opt,name=created_unix_ms,json=createdUnixMs,proto3" json:"created_unix_ms,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *Epoch) Reset() {
	*x = Epoch{}
	mi := &file_braid_v1_braid_proto_msgTypes[12]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *Epoch) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*Epoch) ProtoMessage() {}

func (x *Epoch) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[12]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use Epoch.ProtoReflect.Descriptor instead.
func (*Epoch) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{12}
}

func (x *Epoch) GetEpoch() uint32 {
	if x != nil {
		return x.Epoch
	}
	return 0
}

func (x *Epoch) GetSegments() []*SegmentRange {
	if x != nil {
		return x.Segments
	}
	return nil
}

func (x *Epoch) GetCreatedUnixMs() int64 {
	if x != nil {
		return x.CreatedUnixMs
	}
	return 0
}

type StreamInfo struct {
	state  protoimpl.MessageState `protogen:"open.v1"`
	Scope  string                 `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	Stream string                 `protobuf:"bytes,2,opt,name=stream,proto3" json:"stream,omitempty"`
	Config *StreamConfig          `protobuf:"bytes,3,opt,name=config,proto3" json:"config,omitempty"`
	Sealed bool                   `protobuf:"varint,4,opt,name=sealed,proto3" json:"sealed,omitempty"`
	// epochs lists every epoch, oldest first; the last is current.
	Epochs        []*Epoch `protobuf:"bytes,5,rep,name=epochs,proto3" json:"epochs,omitempty"`
	CreatedUnixMs int64    `protobuf:"varint,6,opt,name=created_unix_ms,json=createdUnixMs,proto3" json:"created_unix_ms,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *StreamInfo) Reset() {
	*x = StreamInfo{}
	mi := &file_braid_v1_braid_proto_msgTypes[13]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *StreamInfo) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*StreamInfo) ProtoMessage() {}

func (x *StreamInfo) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[13]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use StreamInfo.ProtoReflect.Descriptor instead.
func (*StreamInfo) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{13}
}

func (x *StreamInfo) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

func (x *StreamInfo) GetStream() string {
	if x != nil {
		return x.Stream
	}
	return ""
}

func (x *StreamInfo) GetConfig() *StreamConfig {
	if x != nil {
		return x.Config
	}
	return nil
}

func (x *StreamInfo) GetSealed() bool {
	if x != nil {
		return x.Sealed
	}
	return false
}

func (x *StreamInfo) GetEpochs() []*Epoch {
	if x != nil {
		return x.Epochs
	}
	return nil
}

func (x *StreamInfo) GetCreatedUnixMs() int64 {
	if x != nil {
		return x.CreatedUnixMs
	}
	return 0
}

type CreateStreamRequest struct {
	state  protoimpl.MessageState `protogen:"open.v1"`
	Scope  string                 `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	Stream string                 `protobuf:"bytes,2,opt,name=stream,proto3" json:"stream,omitempty"`
	Config *StreamConfig          `protobuf:"bytes,3,opt,name=config,proto3" json:"config,omitempty"`
	// create_scope creates the scope if it is missing.
	CreateScope   bool `protobuf:"varint,4,opt,name=create_scope,json=createScope,proto3" json:"create_scope,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *CreateStreamRequest) Reset() {
	*x = CreateStreamRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[14]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *CreateStreamRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*CreateStreamRequest) ProtoMessage() {}

func (x *CreateStreamRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[14]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use CreateStreamRequest.ProtoReflect.Descriptor instead.
func (*CreateStreamRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{14}
}

func (x *CreateStreamRequest) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

func (x *CreateStreamRequest) GetStream() string {
	if x != nil {
		return x.Stream
	}
	return ""
}

func (x *CreateStreamRequest) GetConfig() *StreamConfig {
	if x != nil {
		return x.Config
	}
	return nil
}

func (x *CreateStreamRequest) GetCreateScope() bool {
	if x != nil {
		return x.CreateScope
	}
	return false
}

type CreateStreamResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Stream        *StreamInfo            `protobuf:"bytes,1,opt,name=stream,proto3" json:"stream,omitempty"`
	ScopeCreated  bool                   `protobuf:"varint,2,opt,name=scope_created,json=scopeCreated,proto3" json:"scope_created,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *CreateStreamResponse) Reset() {
	*x = CreateStreamResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[15]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *CreateStreamResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*CreateStreamResponse) ProtoMessage() {}

func (x *CreateStreamResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[15]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use CreateStreamResponse.ProtoReflect.Descriptor instead.
func (*CreateStreamResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{15}
}

func (x *CreateStreamResponse) GetStream() *StreamInfo {
	if x != nil {
		return x.Stream
	}
	return nil
}

func (x *CreateStreamResponse) GetScopeCreated() bool {
	if x != nil {
		return x.ScopeCreated
	}
	return false
}

type GetStreamRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Scope         string                 `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	Stream        string                 `protobuf:"bytes,2,opt,name=stream,proto3" json:"stream,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *GetStreamRequest) Reset() {
	*x = GetStreamRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[16]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *GetStreamRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*GetStreamRequest) ProtoMessage() {}

func (x *GetStreamRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[16]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use GetStreamRequest.ProtoReflect.Descriptor instead.
func (*GetStreamRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{16}
}

func (x *GetStreamRequest) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

func (x *GetStreamRequest) GetStream() string {
	if x != nil {
		return x.Stream
	}
	return ""
}

type GetStreamResponse struct {
	state  protoimpl.MessageState `protogen:"open.v1"`
	Stream *StreamInfo            `protobuf:"bytes,1,opt,name=stream,proto3" json:"stream,omitempty"`
	// segments describes the current epoch's segments with their lengths.
	Segments      []*SegmentStatus `protobuf:"bytes,2,rep,name=segments,proto3" json:"segments,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *GetStreamResponse) Reset() {
	*x = GetStreamResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[17]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *GetStreamResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*GetStreamResponse) ProtoMessage() {}

func (x *GetStreamResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[17]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use GetStreamResponse.ProtoReflect.Descriptor instead.
func (*GetStreamResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{17}
}

func (x *GetStreamResponse) GetStream() *StreamInfo {
	if x != nil {
		return x.Stream
	}
	return nil
}

func (x *GetStreamResponse) GetSegments() []*SegmentStatus {
	if x != nil {
		return x.Segments
	}
	return nil
}

type SegmentStatus struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Range         *SegmentRange          `protobuf:"bytes,1,opt,name=range,proto3" json:"range,omitempty"`
	Length        int64                  `protobuf:"varint,2,opt,name=length,proto3" json:"length,omitempty"`
	StartOffset   int64                  `protobuf:"varint,3,opt,name=start_offset,json=startOffset,proto3" json:"start_offset,omitempty"`
	Sealed        bool                   `protobuf:"varint,4,opt,name=sealed,proto3" json:"sealed,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *SegmentStatus) Reset() {
	*x = SegmentStatus{}
	mi := &file_braid_v1_braid_proto_msgTypes[18]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *SegmentStatus) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*SegmentStatus) ProtoMessage() {}

func (x *SegmentStatus) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[18]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use SegmentStatus.ProtoReflect.Descriptor instead.
func (*SegmentStatus) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{18}
}

func (x *SegmentStatus) GetRange() *SegmentRange {
	if x != nil {
		return x.Range
	}
	return nil
}

func (x *SegmentStatus) GetLength() int64 {
	if x != nil {
		return x.Length
	}
	return 0
}

func (x *SegmentStatus) GetStartOffset() int64 {
	if x != nil {
		return x.StartOffset
	}
	return 0
}

func (x *SegmentStatus) GetSealed() bool {
	if x != nil {
		return x.Sealed
	}
	return false
}

type ListStreamsRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Scope         string                 `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ListStreamsRequest) Reset() {
	*x = ListStreamsRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[19]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ListStreamsRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ListStreamsRequest) ProtoMessage() {}

func (x *ListStreamsRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[19]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ListStreamsRequest.ProtoReflect.Descriptor instead.
func (*ListStreamsRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{19}
}

func (x *ListStreamsRequest) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

type ListStreamsResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Streams       []*StreamInfo          `protobuf:"bytes,1,rep,name=streams,proto3" json:"streams,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ListStreamsResponse) Reset() {
	*x = ListStreamsResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[20]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ListStreamsResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ListStreamsResponse) ProtoMessage() {}

func (x *ListStreamsResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[20]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ListStreamsResponse.ProtoReflect.Descriptor instead.
func (*ListStreamsResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{20}
}

func (x *ListStreamsResponse) GetStreams() []*StreamInfo {
	if x != nil {
		return x.Streams
	}
	return nil
}

type SealStreamRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Scope         string                 `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	Stream        string                 `protobuf:"bytes,2,opt,name=stream,proto3" json:"stream,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *SealStreamRequest) Reset() {
	*x = SealStreamRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[21]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *SealStreamRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*SealStreamRequest) ProtoMessage() {}

func (x *SealStreamRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[21]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use SealStreamRequest.ProtoReflect.Descriptor instead.
func (*SealStreamRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{21}
}

func (x *SealStreamRequest) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

func (x *SealStreamRequest) GetStream() string {
	if x != nil {
		return x.Stream
	}
	return ""
}

type SealStreamResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *SealStreamResponse) Reset() {
	*x = SealStreamResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[22]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *SealStreamResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*SealStreamResponse) ProtoMessage() {}

func (x *SealStreamResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[22]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use SealStreamResponse.ProtoReflect.Descriptor instead.
func (*SealStreamResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{22}
}

type TruncateStreamRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Scope         string                 `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	Stream        string                 `protobuf:"bytes,2,opt,name=stream,proto3" json:"stream,omitempty"`
	Cut           []*SegmentOffset       `protobuf:"bytes,3,rep,name=cut,proto3" json:"cut,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *TruncateStreamRequest) Reset() {
	*x = TruncateStreamRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[23]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *TruncateStreamRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*TruncateStreamRequest) ProtoMessage() {}

func (x *TruncateStreamRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[23]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use TruncateStreamRequest.ProtoReflect.Descriptor instead.
func (*TruncateStreamRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{23}
}

func (x *TruncateStreamRequest) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

func (x *TruncateStreamRequest) GetStream() string {
	if x != nil {
		return x.Stream
	}
	return ""
}

func (x *TruncateStreamRequest) GetCut() []*SegmentOffset {
	if x != nil {
		return x.Cut
	}
	return nil
}

type TruncateStreamResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *TruncateStreamResponse) Reset() {
	*x = TruncateStreamResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[24]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *TruncateStreamResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*TruncateStreamResponse) ProtoMessage() {}

func (x *TruncateStreamResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[24]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use TruncateStreamResponse.ProtoReflect.Descriptor instead.
func (*TruncateStreamResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{24}
}

type UpdateStreamRequest struct {
	state  protoimpl.MessageState `protogen:"open.v1"`
	Scope  string                 `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	Stream string                 `protobuf:"bytes,2,opt,name=stream,proto3" json:"stream,omitempty"`
	// config is the stream's new configuration: its retention replaces the
	// stream's (unset removes it).
	Config        *StreamConfig `protobuf:"bytes,3,opt,name=config,proto3" json:"config,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *UpdateStreamRequest) Reset() {
	*x = UpdateStreamRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[25]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *UpdateStreamRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*UpdateStreamRequest) ProtoMessage() {}

func (x *UpdateStreamRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[25]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use UpdateStreamRequest.ProtoReflect.Descriptor instead.
func (*UpdateStreamRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{25}
}

func (x *UpdateStreamRequest) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

func (x *UpdateStreamRequest) GetStream() string {
	if x != nil {
		return x.Stream
	}
	return ""
}

func (x *UpdateStreamRequest) GetConfig() *StreamConfig {
	if x != nil {
		return x.Config
	}
	return nil
}

type UpdateStreamResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Stream        *StreamInfo            `protobuf:"bytes,1,opt,name=stream,proto3" json:"stream,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *UpdateStreamResponse) Reset() {
	*x = UpdateStreamResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[26]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *UpdateStreamResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*UpdateStreamResponse) ProtoMessage() {}

func (x *UpdateStreamResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[26]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use UpdateStreamResponse.ProtoReflect.Descriptor instead.
func (*UpdateStreamResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{26}
}

func (x *UpdateStreamResponse) GetStream() *StreamInfo {
	if x != nil {
		return x.Stream
	}
	return nil
}

type DeleteStreamRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Scope         string                 `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	Stream        string                 `protobuf:"bytes,2,opt,name=stream,proto3" json:"stream,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *DeleteStreamRequest) Reset() {
	*x = DeleteStreamRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[27]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *DeleteStreamRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*DeleteStreamRequest) ProtoMessage() {}

func (x *DeleteStreamRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[27]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use DeleteStreamRequest.ProtoReflect.Descriptor instead.
func (*DeleteStreamRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{27}
}

func (x *DeleteStreamRequest) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

func (x *DeleteStreamRequest) GetStream() string {
	if x != nil {
		return x.Stream
	}
	return ""
}

type DeleteStreamResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *DeleteStreamResponse) Reset() {
	*x = DeleteStreamResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[28]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *DeleteStreamResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*DeleteStreamResponse) ProtoMessage() {}

func (x *DeleteStreamResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[28]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use DeleteStreamResponse.ProtoReflect.Descriptor instead.
func (*DeleteStreamResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{28}
}

type ScaleStreamRequest struct {
	state  protoimpl.MessageState `protogen:"open.v1"`
	Scope  string                 `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	Stream string                 `protobuf:"bytes,2,opt,name=stream,proto3" json:"stream,omitempty"`
	// seal names the current segments to seal: one to split, or two or more
	// neighbours to merge.
	Seal []uint64 `protobuf:"varint,3,rep,packed,name=seal,proto3" json:"seal,omitempty"`
	// new_ranges are the successors' key ranges: together exactly the union
	// of the sealed segments' ranges, in order. Empty with one segment to
	// split means two halves; empty with several to merge means one range.
	NewRanges     []*KeyRange `protobuf:"bytes,4,rep,name=new_ranges,json=newRanges,proto3" json:"new_ranges,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ScaleStreamRequest) Reset() {
	*x = ScaleStreamRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[29]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ScaleStreamRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ScaleStreamRequest) ProtoMessage() {}

func (x *ScaleStreamRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[29]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ScaleStreamRequest.ProtoReflect.Descriptor instead.
func (*ScaleStreamRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{29}
}

func (x *ScaleStreamRequest) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

func (x *ScaleStreamRequest) GetStream() string {
	if x != nil {
		return x.Stream
	}
	return ""
}

func (x *ScaleStreamRequest) GetSeal() []uint64 {
	if x != nil {
		return x.Seal
	}
	return nil
}

func (x *ScaleStreamRequest) GetNewRanges() []*KeyRange {
	if x != nil {
		return x.NewRanges
	}
	return nil
}

type KeyRange struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Low           float64                `protobuf:"fixed64,1,opt,name=low,proto3" json:"low,omitempty"`
	High          float64                `protobuf:"fixed64,2,opt,name=high,proto3" json:"high,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *KeyRange) Reset() {
	*x = KeyRange{}
	mi := &file_braid_v1_braid_proto_msgTypes[30]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *KeyRange) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*KeyRange) ProtoMessage() {}

func (x *KeyRange) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[30]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use KeyRange.ProtoReflect.Descriptor instead.
func (*KeyRange) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{30}
}

func (x *KeyRange) GetLow() float64 {
	if x != nil {
		return x.Low
	}
	return 0
}

func (x *KeyRange) GetHigh() float64 {
	if x != nil {
		return x.High
	}
	return 0
}

type ScaleStreamResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Stream        *StreamInfo            `protobuf:"bytes,1,opt,name=stream,proto3" json:"stream,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ScaleStreamResponse) Reset() {
	*x = ScaleStreamResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[31]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ScaleStreamResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ScaleStreamResponse) ProtoMessage() {}

func (x *ScaleStreamResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[31]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ScaleStreamResponse.ProtoReflect.Descriptor instead.
func (*ScaleStreamResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{31}
}

func (x *ScaleStreamResponse) GetStream() *StreamInfo {
	if x != nil {
		return x.Stream
	}
	return nil
}

type GetSuccessorsRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Scope         string                 `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	Stream        string                 `protobuf:"bytes,2,opt,name=stream,proto3" json:"stream,omitempty"`
	SegmentId     uint64                 `protobuf:"varint,3,opt,name=segment_id,json=segmentId,proto3" json:"segment_id,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *GetSuccessorsRequest) Reset() {
	*x = GetSuccessorsRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[32]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *GetSuccessorsRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*GetSuccessorsRequest) ProtoMessage() {}

func (x *GetSuccessorsRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[32]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use GetSuccessorsRequest.ProtoReflect.Descriptor instead.
func (*GetSuccessorsRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{32}
}

func (x *GetSuccessorsRequest) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

func (x *GetSuccessorsRequest) GetStream() string {
	if x != nil {
		return x.Stream
	}
	return ""
}

func (x *GetSuccessorsRequest) GetSegmentId() uint64 {
	if x != nil {
		return x.SegmentId
	}
	return 0
}

type Successor struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Segment       *SegmentRange          `protobuf:"bytes,1,opt,name=segment,proto3" json:"segment,omitempty"`
	Predecessors  []uint64               `protobuf:"varint,2,rep,packed,name=predecessors,proto3" json:"predecessors,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *Successor) Reset() {
	*x = Successor{}
	mi := &file_braid_v1_braid_proto_msgTypes[33]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *Successor) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*Successor) ProtoMessage() {}

func (x *Successor) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[33]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use Successor.ProtoReflect.Descriptor instead.
func (*Successor) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{33}
}

func (x *Successor) GetSegment() *SegmentRange {
	if x != nil {
		return x.Segment
	}
	return nil
}

func (x *Successor) GetPredecessors() []uint64 {
	if x != nil {
		return x.Predecessors
	}
	return nil
}

type GetSuccessorsResponse struct {
	state      protoimpl.MessageState `protogen:"open.v1"`
	Successors []*Successor           `protobuf:"bytes,1,rep,name=successors,proto3" json:"successors,omitempty"`
	// sealed is true when the segment takes no more appends.
	Sealed        bool `protobuf:"varint,2,opt,name=sealed,proto3" json:"sealed,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *GetSuccessorsResponse) Reset() {
	*x = GetSuccessorsResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[34]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *GetSuccessorsResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*GetSuccessorsResponse) ProtoMessage() {}

func (x *GetSuccessorsResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[34]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use GetSuccessorsResponse.ProtoReflect.Descriptor instead.
func (*GetSuccessorsResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{34}
}

func (x *GetSuccessorsResponse) GetSuccessors() []*Successor {
	if x != nil {
		return x.Successors
	}
	return nil
}

func (x *GetSuccessorsResponse) GetSealed() bool {
	if x != nil {
		return x.Sealed
	}
	return false
}

// StreamCutOf is a stream cut of a named stream.
type StreamCutOf struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// stream is "scope/name".
	Stream        string           `protobuf:"bytes,1,opt,name=stream,proto3" json:"stream,omitempty"`
	Segments      []*SegmentOffset `protobuf:"bytes,2,rep,name=segments,proto3" json:"segments,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *StreamCutOf) Reset() {
	*x = StreamCutOf{}
	mi := &file_braid_v1_braid_proto_msgTypes[35]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *StreamCutOf) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*StreamCutOf) ProtoMessage() {}

func (x *StreamCutOf) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[35]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use StreamCutOf.ProtoReflect.Descriptor instead.
func (*StreamCutOf) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{35}
}

func (x *StreamCutOf) GetStream() string {
	if x != nil {
		return x.Stream
	}
	return ""
}

func (x *StreamCutOf) GetSegments() []*SegmentOffset {
	if x != nil {
		return x.Segments
	}
	return nil
}

// GroupStream is one stream a group reads, between two cuts.
type GroupStream struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// stream is "scope/name".
	Stream string `protobuf:"bytes,1,opt,name=stream,proto3" json:"stream,omitempty"`
	// start is where reading starts; empty means the stream's head, unless
	// start_at_tail.
	Start       []*SegmentOffset `protobuf:"bytes,2,rep,name=start,proto3" json:"start,omitempty"`
	StartAtTail bool             `protobuf:"varint,4,opt,name=start_at_tail,json=startAtTail,proto3" json:"start_at_tail,omitempty"`
	// end, when set, bounds the read: readers get the end of the group once
	// every segment reached it.
	End           []*SegmentOffset `protobuf:"bytes,3,rep,name=end,proto3" json:"end,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *GroupStream) Reset() {
	*x = GroupStream{}
	mi := &file_braid_v1_braid_proto_msgTypes[36]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *GroupStream) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*GroupStream) ProtoMessage() {}

func (x *GroupStream) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[36]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use GroupStream.ProtoReflect.Descriptor instead.
func (*GroupStream) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{36}
}

func (x *GroupStream) GetStream() string {
	if x != nil {
		return x.Stream
	}
	return ""
}

func (x *GroupStream) GetStart() []*SegmentOffset {
	if x != nil {
		return x.Start
	}
	return nil
}

func (x *GroupStream) GetStartAtTail() bool {
	if x != nil {
		return x.StartAtTail
	}
	return false
}

func (x *GroupStream) GetEnd() []*SegmentOffset {
	if x != nil {
		return x.End
	}
	return nil
}

type GroupConfig struct {
	state   protoimpl.MessageState `protogen:"open.v1"`
	Streams []*GroupStream         `protobuf:"bytes,1,rep,name=streams,proto3" json:"streams,omitempty"`
	// reader_timeout_ms is how long a reader may send nothing before it is
	// declared dead (0: 10000).
	ReaderTimeoutMs int64 `protobuf:"varint,2,opt,name=reader_timeout_ms,json=readerTimeoutMs,proto3" json:"reader_timeout_ms,omitempty"`
	unknownFields   protoimpl.UnknownFields
	sizeCache       protoimpl.SizeCache
}

func (x *GroupConfig) Reset() {
	*x = GroupConfig{}
	mi := &file_braid_v1_braid_proto_msgTypes[37]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *GroupConfig) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*GroupConfig) ProtoMessage() {}

func (x *GroupConfig) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[37]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use GroupConfig.ProtoReflect.Descriptor instead.
func (*GroupConfig) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{37}
}

func (x *GroupConfig) GetStreams() []*GroupStream {
	if x != nil {
		return x.Streams
	}
	return nil
}

func (x *GroupConfig) GetReaderTimeoutMs() int64 {
	if x != nil {
		return x.ReaderTimeoutMs
	}
	return 0
}

type CreateGroupRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Scope         string                 `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	Group         string                 `protobuf:"bytes,2,opt,name=group,proto3" json:"group,omitempty"`
	Config        *GroupConfig           `protobuf:"bytes,3,opt,name=config,proto3" json:"config,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *CreateGroupRequest) Reset() {
	*x = CreateGroupRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[38]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *CreateGroupRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*CreateGroupRequest) ProtoMessage() {}

func (x *CreateGroupRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[38]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use CreateGroupRequest.ProtoReflect.Descriptor instead.
func (*CreateGroupRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{38}
}

func (x *CreateGroupRequest) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

func (x *CreateGroupRequest) GetGroup() string {
	if x != nil {
		return x.Group
	}
	return ""
}

func (x *CreateGroupRequest) GetConfig() *GroupConfig {
	if x != nil {
		return x.Config
	}
	return nil
}

type CreateGroupResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Group         *GroupInfo             `protobuf:"bytes,1,opt,name=group,proto3" json:"group,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *CreateGroupResponse) Reset() {
	*x = CreateGroupResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[39]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *CreateGroupResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*CreateGroupResponse) ProtoMessage() {}

func (x *CreateGroupResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[39]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use CreateGroupResponse.ProtoReflect.Descriptor instead.
func (*CreateGroupResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{39}
}

func (x *CreateGroupResponse) GetGroup() *GroupInfo {
	if x != nil {
		return x.Group
	}
	return nil
}

type ListGroupsRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Scope         string                 `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ListGroupsRequest) Reset() {
	*x = ListGroupsRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[40]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ListGroupsRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ListGroupsRequest) ProtoMessage() {}

func (x *ListGroupsRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[40]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ListGroupsRequest.ProtoReflect.Descriptor instead.
func (*ListGroupsRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{40}
}

func (x *ListGroupsRequest) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

type ListGroupsResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Groups        []*GroupInfo           `protobuf:"bytes,1,rep,name=groups,proto3" json:"groups,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ListGroupsResponse) Reset() {
	*x = ListGroupsResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[41]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ListGroupsResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ListGroupsResponse) ProtoMessage() {}

func (x *ListGroupsResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[41]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ListGroupsResponse.ProtoReflect.Descriptor instead.
func (*ListGroupsResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{41}
}

func (x *ListGroupsResponse) GetGroups() []*GroupInfo {
	if x != nil {
		return x.Groups
	}
	return nil
}

type DescribeGroupRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Scope         string                 `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	Group         string                 `protobuf:"bytes,2,opt,name=group,proto3" json:"group,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *DescribeGroupRequest) Reset() {
	*x = DescribeGroupRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[42]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *DescribeGroupRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*DescribeGroupRequest) ProtoMessage() {}

func (x *DescribeGroupRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[42]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use DescribeGroupRequest.ProtoReflect.Descriptor instead.
func (*DescribeGroupRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{42}
}

func (x *DescribeGroupRequest) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

func (x *DescribeGroupRequest) GetGroup() string {
	if x != nil {
		return x.Group
	}
	return ""
}

type DescribeGroupResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Group         *GroupInfo             `protobuf:"bytes,1,opt,name=group,proto3" json:"group,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *DescribeGroupResponse) Reset() {
	*x = DescribeGroupResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[43]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *DescribeGroupResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*DescribeGroupResponse) ProtoMessage() {}

func (x *DescribeGroupResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[43]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use DescribeGroupResponse.ProtoReflect.Descriptor instead.
func (*DescribeGroupResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{43}
}

func (x *DescribeGroupResponse) GetGroup() *GroupInfo {
	if x != nil {
		return x.Group
	}
	return nil
}

type GroupInfo struct {
	state  protoimpl.MessageState `protogen:"open.v1"`
	Scope  string                 `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	Group  string                 `protobuf:"bytes,2,opt,name=group,proto3" json:"group,omitempty"`
	Config *GroupConfig           `protobuf:"bytes,3,opt,name=config,proto3" json:"config,omitempty"`
	// generation counts resets.
	Generation int64          `protobuf:"varint,4,opt,name=generation,proto3" json:"generation,omitempty"`
	Readers    []*GroupReader `protobuf:"bytes,5,rep,name=readers,proto3" json:"readers,omitempty"`
	// segments are the segments being read (assigned or waiting for a
	// reader), with their committed offsets.
	Segments []*GroupSegment `protobuf:"bytes,6,rep,name=segments,proto3" json:"segments,omitempty"`
	// position is the group's stream cut per stream: committed offsets of
	// the segments being read, and finished segments at their end where no
	// successor is being read yet.
	Position []*StreamCutOf `protobuf:"bytes,7,rep,name=position,proto3" json:"position,omitempty"`
	// lag_bytes is how many bytes lie between the committed offsets and the
	// tails, successors included.
	LagBytes int64 `protobuf:"varint,8,opt,name=lag_bytes,json=lagBytes,proto3" json:"lag_bytes,omitempty"`
	// lag_events estimates the events behind from the mean event size the
	// readers saw (exact when all events have one size); -1 before any
	// event was read.
	LagEvents   int64             `protobuf:"varint,9,opt,name=lag_events,json=lagEvents,proto3" json:"lag_events,omitempty"`
	Checkpoints []*CheckpointInfo `protobuf:"bytes,10,rep,name=checkpoints,proto3" json:"checkpoints,omitempty"`
	// finished is set when a bounded group was read to its end cuts (or
	// every stream was sealed and read to its end).
	Finished      bool  `protobuf:"varint,11,opt,name=finished,proto3" json:"finished,omitempty"`
	CreatedUnixMs int64 `protobuf:"varint,12,opt,name=created_unix_ms,json=createdUnixMs,proto3" json:"created_unix_ms,omitempty"`
	// time_windows holds, per stream read, the time window of the committed
	// position; its lower bound is the group's watermark. Unset bounds: see
	// GetTimeWindowResponse.
	TimeWindows   []*StreamTimeWindow `protobuf:"bytes,13,rep,name=time_windows,json=timeWindows,proto3" json:"time_windows,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *GroupInfo) Reset() {
	*x = GroupInfo{}
	mi := &file_braid_v1_braid_proto_msgTypes[44]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *GroupInfo) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*GroupInfo) ProtoMessage() {}

func (x *GroupInfo) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[44]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use GroupInfo.ProtoReflect.Descriptor instead.
func (*GroupInfo) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{44}
}

func (x *GroupInfo) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

func (x *GroupInfo) GetGroup() string {
	if x != nil {
		return x.Group
	}
	return ""
}

func (x *GroupInfo) GetConfig() *GroupConfig {
	if x != nil {
		return x.Config
	}
	return nil
}

func (x *GroupInfo) GetGeneration() int64 {
	if x != nil {
		return x.Generation
	}
	return 0
}

func (x *GroupInfo) GetReaders() []*GroupReader {
	if x != nil {
		return x.Readers
	}
	return nil
}

func (x *GroupInfo) GetSegments() []*GroupSegment {
	if x != nil {
		return x.Segments
	}
	return nil
}

func (x *GroupInfo) GetPosition() []*StreamCutOf {
	if x != nil {
		return x.Position
	}
	return nil
}

func (x *GroupInfo) GetLagBytes() int64 {
	if x != nil {
		return x.LagBytes
	}
	return 0
}

func (x *GroupInfo) GetLagEvents() int64 {
	if x != nil {
		return x.LagEvents
	}
	return 0
}

func (x *GroupInfo) GetCheckpoints() []*CheckpointInfo {
	if x != nil {
		return x.Checkpoints
	}
	return nil
}

func (x *GroupInfo) GetFinished() bool {
	if x != nil {
		return x.Finished
	}
	return false
}

func (x *GroupInfo) GetCreatedUnixMs() int64 {
	if x != nil {
		return x.CreatedUnixMs
	}
	return 0
}

func (x *GroupInfo) GetTimeWindows() []*StreamTimeWindow {
	if x != nil {
		return x.TimeWindows
	}
	return nil
}

// StreamTimeWindow is a time window in a named stream.
type StreamTimeWindow struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// stream is "scope/name".
	Stream        string                 `protobuf:"bytes,1,opt,name=stream,proto3" json:"stream,omitempty"`
	Window        *GetTimeWindowResponse `protobuf:"bytes,2,opt,name=window,proto3" json:"window,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *StreamTimeWindow) Reset() {
	*x = StreamTimeWindow{}
	mi := &file_braid_v1_braid_proto_msgTypes[45]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *StreamTimeWindow) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*StreamTimeWindow) ProtoMessage() {}

func (x *StreamTimeWindow) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[45]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use StreamTimeWindow.ProtoReflect.Descriptor instead.
func (*StreamTimeWindow) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{45}
}

func (x *StreamTimeWindow) GetStream() string {
	if x != nil {
		return x.Stream
	}
	return ""
}

func (x *StreamTimeWindow) GetWindow() *GetTimeWindowResponse {
	if x != nil {
		return x.Window
	}
	return nil
}

type GroupReader struct {
	state          protoimpl.MessageState `protogen:"open.v1"`
	ReaderId       string                 `protobuf:"bytes,1,opt,name=reader_id,json=readerId,proto3" json:"reader_id,omitempty"`
	Segments       []uint64               `protobuf:"varint,2,rep,packed,name=segments,proto3" json:"segments,omitempty"`
	LastSeenUnixMs int64                  `protobuf:"varint,3,opt,name=last_seen_unix_ms,json=lastSeenUnixMs,proto3" json:"last_seen_unix_ms,omitempty"`
	unknownFields  protoimpl.UnknownFields
	sizeCache      protoimpl.SizeCache
}

func (x *GroupReader) Reset() {
	*x = GroupReader{}
	mi := &file_braid_v1_braid_proto_msgTypes[46]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *GroupReader) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*GroupReader) ProtoMessage() {}

func (x *GroupReader) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[46]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use GroupReader.ProtoReflect.Descriptor instead.
func (*GroupReader) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{46}
}

func (x *GroupReader) GetReaderId() string {
	if x != nil {
		return x.ReaderId
	}
	return ""
}

func (x *GroupReader) GetSegments() []uint64 {
	if x != nil {
		return x.Segments
	}
	return nil
}

func (x *GroupReader) GetLastSeenUnixMs() int64 {
	if x != nil {
		return x.LastSeenUnixMs
	}
	return 0
}

type GroupSegment struct {
	state  protoimpl.MessageState `protogen:"open.v1"`
	Stream string                 `protobuf:"bytes,1,opt,name=stream,proto3" json:"stream,omitempty"`
	Range  *SegmentRange          `protobuf:"bytes,2,opt,name=range,proto3" json:"range,omitempty"`
	Offset int64                  `protobuf:"varint,3,opt,name=offset,proto3" json:"offset,omitempty"`
	// end_offset is where reading this segment stops (from the end cut); -1
	// for none.
	EndOffset int64 `protobuf:"varint,4,opt,name=end_offset,json=endOffset,proto3" json:"end_offset,omitempty"`
	// tail is the segment's length now.
	Tail int64 `protobuf:"varint,5,opt,name=tail,proto3" json:"tail,omitempty"`
	// reader is the reader that owns it; empty while it waits for one.
	Reader        string `protobuf:"bytes,6,opt,name=reader,proto3" json:"reader,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *GroupSegment) Reset() {
	*x = GroupSegment{}
	mi := &file_braid_v1_braid_proto_msgTypes[47]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *GroupSegment) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*GroupSegment) ProtoMessage() {}

func (x *GroupSegment) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[47]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use GroupSegment.ProtoReflect.Descriptor instead.
func (*GroupSegment) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{47}
}

func (x *GroupSegment) GetStream() string {
	if x != nil {
		return x.Stream
	}
	return ""
}

func (x *GroupSegment) GetRange() *SegmentRange {
	if x != nil {
		return x.Range
	}
	return nil
}

func (x *GroupSegment) GetOffset() int64 {
	if x != nil {
		return x.Offset
	}
	return 0
}

func (x *GroupSegment) GetEndOffset() int64 {
	if x != nil {
		return x.EndOffset
	}
	return 0
}

func (x *GroupSegment) GetTail() int64 {
	if x != nil {
		return x.Tail
	}
	return 0
}

func (x *GroupSegment) GetReader() string {
	if x != nil {
		return x.Reader
	}
	return ""
}

type CheckpointInfo struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Name          string                 `protobuf:"bytes,1,opt,name=name,proto3" json:"name,omitempty"`
	Cuts          []*StreamCutOf         `protobuf:"bytes,2,rep,name=cuts,proto3" json:"cuts,omitempty"`
	CreatedUnixMs int64                  `protobuf:"varint,3,opt,name=created_unix_ms,json=createdUnixMs,proto3" json:"created_unix_ms,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *CheckpointInfo) Reset() {
	*x = CheckpointInfo{}
	mi := &file_braid_v1_braid_proto_msgTypes[48]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *CheckpointInfo) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*CheckpointInfo) ProtoMessage() {}

func (x *CheckpointInfo) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[48]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use CheckpointInfo.ProtoReflect.Descriptor instead.
func (*CheckpointInfo) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{48}
}

func (x *CheckpointInfo) GetName() string {
	if x != nil {
		return x.Name
	}
	return ""
}

func (x *CheckpointInfo) GetCuts() []*StreamCutOf {
	if x != nil {
		return x.Cuts
	}
	return nil
}

func (x *CheckpointInfo) GetCreatedUnixMs() int64 {
	if x != nil {
		return x.CreatedUnixMs
	}
	return 0
}

type ResetGroupRequest struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	Scope string                 `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	Group string                 `protobuf:"bytes,2,opt,name=group,proto3" json:"group,omitempty"`
	// checkpoint names a completed checkpoint to go back to; otherwise
	// config replaces the group's configuration (streams and cuts).
	Checkpoint    string       `protobuf:"bytes,3,opt,name=checkpoint,proto3" json:"checkpoint,omitempty"`
	Config        *GroupConfig `protobuf:"bytes,4,opt,name=config,proto3" json:"config,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ResetGroupRequest) Reset() {
	*x = ResetGroupRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[49]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ResetGroupRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ResetGroupRequest) ProtoMessage() {}

func (x *ResetGroupRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[49]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ResetGroupRequest.ProtoReflect.Descriptor instead.
func (*ResetGroupRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{49}
}

func (x *ResetGroupRequest) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

func (x *ResetGroupRequest) GetGroup() string {
	if x != nil {
		return x.Group
	}
	return ""
}

func (x *ResetGroupRequest) GetCheckpoint() string {
	if x != nil {
		return x.Checkpoint
	}
	return ""
}

func (x *ResetGroupRequest) GetConfig() *GroupConfig {
	if x != nil {
		return x.Config
	}
	return nil
}

type ResetGroupResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Group         *GroupInfo             `protobuf:"bytes,1,opt,name=group,proto3" json:"group,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ResetGroupResponse) Reset() {
	*x = ResetGroupResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[50]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ResetGroupResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ResetGroupResponse) ProtoMessage() {}

func (x *ResetGroupResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[50]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ResetGroupResponse.ProtoReflect.Descriptor instead.
func (*ResetGroupResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{50}
}

func (x *ResetGroupResponse) GetGroup() *GroupInfo {
	if x != nil {
		return x.Group
	}
	return nil
}

type DeleteGroupRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Scope         string                 `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	Group         string                 `protobuf:"bytes,2,opt,name=group,proto3" json:"group,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *DeleteGroupRequest) Reset() {
	*x = DeleteGroupRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[51]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *DeleteGroupRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*DeleteGroupRequest) ProtoMessage() {}

func (x *DeleteGroupRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[51]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use DeleteGroupRequest.ProtoReflect.Descriptor instead.
func (*DeleteGroupRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{51}
}

func (x *DeleteGroupRequest) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

func (x *DeleteGroupRequest) GetGroup() string {
	if x != nil {
		return x.Group
	}
	return ""
}

type DeleteGroupResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *DeleteGroupResponse) Reset() {
	*x = DeleteGroupResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[52]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *DeleteGroupResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*DeleteGroupResponse) ProtoMessage() {}

func (x *DeleteGroupResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[52]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use DeleteGroupResponse.ProtoReflect.Descriptor instead.
func (*DeleteGroupResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{52}
}

type CheckpointRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Scope         string                 `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	Group         string                 `protobuf:"bytes,2,opt,name=group,proto3" json:"group,omitempty"`
	Name          string                 `protobuf:"bytes,3,opt,name=name,proto3" json:"name,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *CheckpointRequest) Reset() {
	*x = CheckpointRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[53]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *CheckpointRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*CheckpointRequest) ProtoMessage() {}

func (x *CheckpointRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[53]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use CheckpointRequest.ProtoReflect.Descriptor instead.
func (*CheckpointRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{53}
}

func (x *CheckpointRequest) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

func (x *CheckpointRequest) GetGroup() string {
	if x != nil {
		return x.Group
	}
	return ""
}

func (x *CheckpointRequest) GetName() string {
	if x != nil {
		return x.Name
	}
	return ""
}

type CheckpointResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Checkpoint    *CheckpointInfo        `protobuf:"bytes,1,opt,name=checkpoint,proto3" json:"checkpoint,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *CheckpointResponse) Reset() {
	*x = CheckpointResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[54]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *CheckpointResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*CheckpointResponse) ProtoMessage() {}

func (x *CheckpointResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[54]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use CheckpointResponse.ProtoReflect.Descriptor instead.
func (*CheckpointResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{54}
}

func (x *CheckpointResponse) GetCheckpoint() *CheckpointInfo {
	if x != nil {
		return x.Checkpoint
	}
	return nil
}

type ReaderSessionRequest struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// Types that are valid to be assigned to Kind:
	//
	//	*ReaderSessionRequest_Join
	//	*ReaderSessionRequest_Update
	//	*ReaderSessionRequest_Leave
	Kind          isReaderSessionRequest_Kind `protobuf_oneof:"kind"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ReaderSessionRequest) Reset() {
	*x = ReaderSessionRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[55]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ReaderSessionRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ReaderSessionRequest) ProtoMessage() {}

func (x *ReaderSessionRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[55]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ReaderSessionRequest.ProtoReflect.Descriptor instead.
func (*ReaderSessionRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{55}
}

func (x *ReaderSessionRequest) GetKind() isReaderSessionRequest_Kind {
	if x != nil {
		return x.Kind
	}
	return nil
}

func (x *ReaderSessionRequest) GetJoin() *ReaderJoin {
	if x != nil {
		if x, ok := x.Kind.(*ReaderSessionRequest_Join); ok {
			return x.Join
		}
	}
	return nil
}

func (x *ReaderSessionRequest) GetUpdate() *ReaderUpdate {
	if x != nil {
		if x, ok := x.Kind.(*ReaderSessionRequest_Update); ok {
			return x.Update
		}
	}
	return nil
}

func (x *ReaderSessionRequest) GetLeave() *ReaderLeave {
	if x != nil {
		if x, ok := x.Kind.(*ReaderSessionRequest_Leave); ok {
			return x.Leave
		}
	}
	return nil
}

type isReaderSessionRequest_Kind interface {
	isReaderSessionRequest_Kind()
}

type ReaderSessionRequest_Join struct {
	Join *ReaderJoin `protobuf:"bytes,1,opt,name=join,proto3,oneof"`
}

type ReaderSessionRequest_Update struct {
	Update *ReaderUpdate `protobuf:"bytes,2,opt,name=update,proto3,oneof"`
}

type ReaderSessionRequest_Leave struct {
	Leave *ReaderLeave `protobuf:"bytes,3,opt,name=leave,proto3,oneof"`
}

func (*ReaderSessionRequest_Join) isReaderSessionRequest_Kind() {}

func (*ReaderSessionRequest_Update) isReaderSessionRequest_Kind() {}

func (*ReaderSessionRequest_Leave) isReaderSessionRequest_Kind() {}

type ReaderJoin struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	Scope string                 `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	Group string                 `protobuf:"bytes,2,opt,name=group,proto3" json:"group,omitempty"`
	// reader_id names the reader in the group (1..256 bytes). Joining with
	// the id of a reader still in the group replaces it.
	ReaderId      string `protobuf:"bytes,3,opt,name=reader_id,json=readerId,proto3" json:"reader_id,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ReaderJoin) Reset() {
	*x = ReaderJoin{}
	mi := &file_braid_v1_braid_proto_msgTypes[56]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ReaderJoin) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ReaderJoin) ProtoMessage() {}

func (x *ReaderJoin) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[56]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ReaderJoin.ProtoReflect.Descriptor instead.
func (*ReaderJoin) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{56}
}

func (x *ReaderJoin) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

func (x *ReaderJoin) GetGroup() string {
	if x != nil {
		return x.Group
	}
	return ""
}

func (x *ReaderJoin) GetReaderId() string {
	if x != nil {
		return x.ReaderId
	}
	return ""
}

// SegmentPosition is a read position in one segment of a stream.
type SegmentPosition struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Stream        string                 `protobuf:"bytes,1,opt,name=stream,proto3" json:"stream,omitempty"`
	SegmentId     uint64                 `protobuf:"varint,2,opt,name=segment_id,json=segmentId,proto3" json:"segment_id,omitempty"`
	Offset        int64                  `protobuf:"varint,3,opt,name=offset,proto3" json:"offset,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *SegmentPosition) Reset() {
	*x = SegmentPosition{}
	mi := &file_braid_v1_braid_proto_msgTypes[57]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *SegmentPosition) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*SegmentPosition) ProtoMessage() {}

func (x *SegmentPosition) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[57]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use SegmentPosition.ProtoReflect.Descriptor instead.
func (*SegmentPosition) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{57}
}

func (x *SegmentPosition) GetStream() string {
	if x != nil {
		return x.Stream
	}
	return ""
}

func (x *SegmentPosition) GetSegmentId() uint64 {
	if x != nil {
		return x.SegmentId
	}
	return 0
}

func (x *SegmentPosition) GetOffset() int64 {
	if x != nil {
		return x.Offset
	}
	return 0
}

type ReaderUpdate struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// commit records the reader's positions in segments it owns: every
	// event before them was processed.
	Commit []*SegmentPosition `protobuf:"bytes,1,rep,name=commit,proto3" json:"commit,omitempty"`
	// finished lists segments read to their end (or end cut), at that end.
	Finished []*SegmentPosition `protobuf:"bytes,2,rep,name=finished,proto3" json:"finished,omitempty"`
	// released gives up segments the server asked for, at the reader's
	// position.
	Released []*SegmentPosition `protobuf:"bytes,3,rep,name=released,proto3" json:"released,omitempty"`
	// checkpoint acknowledges a checkpoint: commit holds the reader's
	// positions at it.
	Checkpoint string `protobuf:"bytes,4,opt,name=checkpoint,proto3" json:"checkpoint,omitempty"`
	// events and bytes count what the reader read since its last update
	// (for the group's lag estimate).
	Events int64 `protobuf:"varint,5,opt,name=events,proto3" json:"events,omitempty"`
	Bytes  int64 `protobuf:"varint,6,opt,name=bytes,proto3" json:"bytes,omitempty"`
	// generation is the group generation the reader's positions belong to;
	// updates of an older generation are ignored.
	Generation int64 `protobuf:"varint,7,opt,name=generation,proto3" json:"generation,omitempty"`
	// sync, when above 0, asks the server to answer with
	// ReaderSessionResponse.committed carrying it once the update is
	// recorded (applied to the group's positions), so that a commit can
	// wait for it. Syncs of one session grow.
	Sync          uint64 `protobuf:"varint,8,opt,name=sync,proto3" json:"sync,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ReaderUpdate) Reset() {
	*x = ReaderUpdate{}
	mi := &file_braid_v1_braid_proto_msgTypes[58]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ReaderUpdate) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ReaderUpdate) ProtoMessage() {}

func (x *ReaderUpdate) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[58]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ReaderUpdate.ProtoReflect.Descriptor instead.
func (*ReaderUpdate) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{58}
}

func (x *ReaderUpdate) GetCommit() []*SegmentPosition {
	if x != nil {
		return x.Commit
	}
	return nil
}

func (x *ReaderUpdate) GetFinished() []*SegmentPosition {
	if x != nil {
		return x.Finished
	}
	return nil
}

func (x *ReaderUpdate) GetReleased() []*SegmentPosition {
	if x != nil {
		return x.Released
	}
	return nil
}

func (x *ReaderUpdate) GetCheckpoint() string {
	if x != nil {
		return x.Checkpoint
	}
	return ""
}

func (x *ReaderUpdate) GetEvents() int64 {
	if x != nil {
		return x.Events
	}
	return 0
}

func (x *ReaderUpdate) GetBytes() int64 {
	if x != nil {
		return x.Bytes
	}
	return 0
}

func (x *ReaderUpdate) GetGeneration() int64 {
	if x != nil {
		return x.Generation
	}
	return 0
}

func (x *ReaderUpdate) GetSync() uint64 {
	if x != nil {
		return x.Sync
	}
	return 0
}

type ReaderLeave struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// positions are the reader's final positions in its segments.
	Positions     []*SegmentPosition `protobuf:"bytes,1,rep,name=positions,proto3" json:"positions,omitempty"`
	Generation    int64              `protobuf:"varint,2,opt,name=generation,proto3" json:"generation,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ReaderLeave) Reset() {
	*x = ReaderLeave{}
	mi := &file_braid_v1_braid_proto_msgTypes[59]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ReaderLeave) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ReaderLeave) ProtoMessage() {}

func (x *ReaderLeave) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[59]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ReaderLeave.ProtoReflect.Descriptor instead.
func (*ReaderLeave) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{59}
}

func (x *ReaderLeave) GetPositions() []*SegmentPosition {
	if x != nil {
		return x.Positions
	}
	return nil
}

func (x *ReaderLeave) GetGeneration() int64 {
	if x != nil {
		return x.Generation
	}
	return 0
}

type ReaderSessionResponse struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// Types that are valid to be assigned to Kind:
	//
	//	*ReaderSessionResponse_Joined
	//	*ReaderSessionResponse_Assignment
	//	*ReaderSessionResponse_Committed
	Kind          isReaderSessionResponse_Kind `protobuf_oneof:"kind"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ReaderSessionResponse) Reset() {
	*x = ReaderSessionResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[60]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ReaderSessionResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ReaderSessionResponse) ProtoMessage() {}

func (x *ReaderSessionResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[60]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ReaderSessionResponse.ProtoReflect.Descriptor instead.
func (*ReaderSessionResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{60}
}

func (x *ReaderSessionResponse) GetKind() isReaderSessionResponse_Kind {
	if x != nil {
		return x.Kind
	}
	return nil
}

func (x *ReaderSessionResponse) GetJoined() *ReaderJoined {
	if x != nil {
		if x, ok := x.Kind.(*ReaderSessionResponse_Joined); ok {
			return x.Joined
		}
	}
	return nil
}

func (x *ReaderSessionResponse) GetAssignment() *ReaderAssignment {
	if x != nil {
		if x, ok := x.Kind.(*ReaderSessionResponse_Assignment); ok {
			return x.Assignment
		}
	}
	return nil
}

func (x *ReaderSessionResponse) GetCommitted() *ReaderCommitted {
	if x != nil {
		if x, ok := x.Kind.(*ReaderSessionResponse_Committed); ok {
			return x.Committed
		}
	}
	return nil
}

type isReaderSessionResponse_Kind interface {
	isReaderSessionResponse_Kind()
}

type ReaderSessionResponse_Joined struct {
	Joined *ReaderJoined `protobuf:"bytes,1,opt,name=joined,proto3,oneof"`
}

type ReaderSessionResponse_Assignment struct {
	Assignment *ReaderAssignment `protobuf:"bytes,2,opt,name=assignment,proto3,oneof"`
}

type ReaderSessionResponse_Committed struct {
	Committed *ReaderCommitted `protobuf:"bytes,3,opt,name=committed,proto3,oneof"`
}

func (*ReaderSessionResponse_Joined) isReaderSessionResponse_Kind() {}

func (*ReaderSessionResponse_Assignment) isReaderSessionResponse_Kind() {}

func (*ReaderSessionResponse_Committed) isReaderSessionResponse_Kind() {}

// ReaderCommitted says that every update of the session up to the one
// with this sync is recorded.
type ReaderCommitted struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Sync          uint64                 `protobuf:"varint,1,opt,name=sync,proto3" json:"sync,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ReaderCommitted) Reset() {
	*x = ReaderCommitted{}
	mi := &file_braid_v1_braid_proto_msgTypes[61]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ReaderCommitted) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ReaderCommitted) ProtoMessage() {}

func (x *ReaderCommitted) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[61]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ReaderCommitted.ProtoReflect.Descriptor instead.
func (*ReaderCommitted) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{61}
}

func (x *ReaderCommitted) GetSync() uint64 {
	if x != nil {
		return x.Sync
	}
	return 0
}

type ReaderJoined struct {
	state               protoimpl.MessageState `protogen:"open.v1"`
	HeartbeatIntervalMs int64                  `protobuf:"varint,1,opt,name=heartbeat_interval_ms,json=heartbeatIntervalMs,proto3" json:"heartbeat_interval_ms,omitempty"`
	Generation          int64                  `protobuf:"varint,2,opt,name=generation,proto3" json:"generation,omitempty"`
	unknownFields       protoimpl.UnknownFields
	sizeCache           protoimpl.SizeCache
}

func (x *ReaderJoined) Reset() {
	*x = ReaderJoined{}
	mi := &file_braid_v1_braid_proto_msgTypes[62]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ReaderJoined) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ReaderJoined) ProtoMessage() {}

func (x *ReaderJoined) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[62]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ReaderJoined.ProtoReflect.Descriptor instead.
func (*ReaderJoined) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{62}
}

func (x *ReaderJoined) GetHeartbeatIntervalMs() int64 {
	if x != nil {
		return x.HeartbeatIntervalMs
	}
	return 0
}

func (x *ReaderJoined) GetGeneration() int64 {
	if x != nil {
		return x.Generation
	}
	return 0
}

type SegmentAssignment struct {
	state  protoimpl.MessageState `protogen:"open.v1"`
	Stream string                 `protobuf:"bytes,1,opt,name=stream,proto3" json:"stream,omitempty"`
	Range  *SegmentRange          `protobuf:"bytes,2,opt,name=range,proto3" json:"range,omitempty"`
	Offset int64                  `protobuf:"varint,3,opt,name=offset,proto3" json:"offset,omitempty"`
	// end_offset, when at or above 0, ends the segment there.
	EndOffset     int64 `protobuf:"varint,4,opt,name=end_offset,json=endOffset,proto3" json:"end_offset,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *SegmentAssignment) Reset() {
	*x = SegmentAssignment{}
	mi := &file_braid_v1_braid_proto_msgTypes[63]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *SegmentAssignment) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*SegmentAssignment) ProtoMessage() {}

func (x *SegmentAssignment) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[63]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use SegmentAssignment.ProtoReflect.Descriptor instead.
func (*SegmentAssignment) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{63}
}

func (x *SegmentAssignment) GetStream() string {
	if x != nil {
		return x.Stream
	}
	return ""
}

func (x *SegmentAssignment) GetRange() *SegmentRange {
	if x != nil {
		return x.Range
	}
	return nil
}

func (x *SegmentAssignment) GetOffset() int64 {
	if x != nil {
		return x.Offset
	}
	return 0
}

func (x *SegmentAssignment) GetEndOffset() int64 {
	if x != nil {
		return x.EndOffset
	}
	return 0
}

// ReaderAssignment changes what a reader reads.
type ReaderAssignment struct {
	state      protoimpl.MessageState `protogen:"open.v1"`
	Generation int64                  `protobuf:"varint,1,opt,name=generation,proto3" json:"generation,omitempty"`
	// acquire are segments the reader now owns.
	Acquire []*SegmentAssignment `protobuf:"bytes,2,rep,name=acquire,proto3" json:"acquire,omitempty"`
	// release asks the reader to give up segments (it answers with
	// ReaderUpdate.released once it processed what it returned).
	Release []*SegmentPosition `protobuf:"bytes,3,rep,name=release,proto3" json:"release,omitempty"`
	// checkpoint asks the reader to mark its position (it answers with
	// ReaderUpdate.checkpoint).
	Checkpoint string `protobuf:"bytes,4,opt,name=checkpoint,proto3" json:"checkpoint,omitempty"`
	// reset: drop every segment; acquire (possibly in later messages)
	// holds the new ones of generation.
	Reset_ bool `protobuf:"varint,5,opt,name=reset,proto3" json:"reset,omitempty"`
	// finished: the group has nothing more to read.
	Finished      bool `protobuf:"varint,6,opt,name=finished,proto3" json:"finished,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ReaderAssignment) Reset() {
	*x = ReaderAssignment{}
	mi := &file_braid_v1_braid_proto_msgTypes[64]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ReaderAssignment) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ReaderAssignment) ProtoMessage() {}

func (x *ReaderAssignment) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[64]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ReaderAssignment.ProtoReflect.Descriptor instead.
func (*ReaderAssignment) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{64}
}

func (x *ReaderAssignment) GetGeneration() int64 {
	if x != nil {
		return x.Generation
	}
	return 0
}

func (x *ReaderAssignment) GetAcquire() []*SegmentAssignment {
	if x != nil {
		return x.Acquire
	}
	return nil
}

func (x *ReaderAssignment) GetRelease() []*SegmentPosition {
	if x != nil {
		return x.Release
	}
	return nil
}

func (x *ReaderAssignment) GetCheckpoint() string {
	if x != nil {
		return x.Checkpoint
	}
	return ""
}

func (x *ReaderAssignment) GetReset_() bool {
	if x != nil {
		return x.Reset_
	}
	return false
}

func (x *ReaderAssignment) GetFinished() bool {
	if x != nil {
		return x.Finished
	}
	return false
}

type AppendRequest struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// Types that are valid to be assigned to Kind:
	//
	//	*AppendRequest_Setup
	//	*AppendRequest_Batch
	//	*AppendRequest_Open
	//	*AppendRequest_Batches
	//	*AppendRequest_Close
	Kind          isAppendRequest_Kind `protobuf_oneof:"kind"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *AppendRequest) Reset() {
	*x = AppendRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[65]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *AppendRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*AppendRequest) ProtoMessage() {}

func (x *AppendRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[65]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use AppendRequest.ProtoReflect.Descriptor instead.
func (*AppendRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{65}
}

func (x *AppendRequest) GetKind() isAppendRequest_Kind {
	if x != nil {
		return x.Kind
	}
	return nil
}

func (x *AppendRequest) GetSetup() *AppendSetup {
	if x != nil {
		if x, ok := x.Kind.(*AppendRequest_Setup); ok {
			return x.Setup
		}
	}
	return nil
}

func (x *AppendRequest) GetBatch() *AppendBatch {
	if x != nil {
		if x, ok := x.Kind.(*AppendRequest_Batch); ok {
			return x.Batch
		}
	}
	return nil
}

func (x *AppendRequest) GetOpen() *AppendOpen {
	if x != nil {
		if x, ok := x.Kind.(*AppendRequest_Open); ok {
			return x.Open
		}
	}
	return nil
}

func (x *AppendRequest) GetBatches() *AppendBatches {
	if x != nil {
		if x, ok := x.Kind.(*AppendRequest_Batches); ok {
			return x.Batches
		}
	}
	return nil
}

func (x *AppendRequest) GetClose() *AppendClose {
	if x != nil {
		if x, ok := x.Kind.(*AppendRequest_Close); ok {
			return x.Close
		}
	}
	return nil
}

type isAppendRequest_Kind interface {
	isAppendRequest_Kind()
}

type AppendRequest_Setup struct {
	// setup and batch are append protocol 1; a server of protocol 2
	// refuses them (see Append). Kept here so that such a client gets that
	// clear error rather than a misread.
	Setup *AppendSetup `protobuf:"bytes,1,opt,name=setup,proto3,oneof"`
}

type AppendRequest_Batch struct {
	Batch *AppendBatch `protobuf:"bytes,2,opt,name=batch,proto3,oneof"`
}

type AppendRequest_Open struct {
	Open *AppendOpen `protobuf:"bytes,3,opt,name=open,proto3,oneof"`
}

type AppendRequest_Batches struct {
	Batches *AppendBatches `protobuf:"bytes,4,opt,name=batches,proto3,oneof"`
}

type AppendRequest_Close struct {
	Close *AppendClose `protobuf:"bytes,5,opt,name=close,proto3,oneof"`
}

func (*AppendRequest_Setup) isAppendRequest_Kind() {}

func (*AppendRequest_Batch) isAppendRequest_Kind() {}

func (*AppendRequest_Open) isAppendRequest_Kind() {}

func (*AppendRequest_Batches) isAppendRequest_Kind() {}

func (*AppendRequest_Close) isAppendRequest_Kind() {}

// AppendSetup began a session of append protocol 1 (refused).
type AppendSetup struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Scope         string                 `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	Stream        string                 `protobuf:"bytes,2,opt,name=stream,proto3" json:"stream,omitempty"`
	WriterId      string                 `protobuf:"bytes,3,opt,name=writer_id,json=writerId,proto3" json:"writer_id,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *AppendSetup) Reset() {
	*x = AppendSetup{}
	mi := &file_braid_v1_braid_proto_msgTypes[66]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *AppendSetup) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*AppendSetup) ProtoMessage() {}

func (x *AppendSetup) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[66]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use AppendSetup.ProtoReflect.Descriptor instead.
func (*AppendSetup) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{66}
}

func (x *AppendSetup) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

func (x *AppendSetup) GetStream() string {
	if x != nil {
		return x.Stream
	}
	return ""
}

func (x *AppendSetup) GetWriterId() string {
	if x != nil {
		return x.WriterId
	}
	return ""
}

// AppendOpen opens a writer on the session.
type AppendOpen struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// writer is the handle that the session's batches, acks and the
	// AppendOpened answer name this writer by. Any number the client picks,
	// unique among the session's open writers (the Go client counts from 1).
	Writer uint32 `protobuf:"varint,1,opt,name=writer,proto3" json:"writer,omitempty"`
	Scope  string `protobuf:"bytes,2,opt,name=scope,proto3" json:"scope,omitempty"`
	Stream string `protobuf:"bytes,3,opt,name=stream,proto3" json:"stream,omitempty"`
	// writer_id identifies the writer for deduplication (at most 256
	// bytes). The server remembers, per writer_id and segment, the last
	// event number stored, across sessions and restarts: a new writer that
	// reuses an old id has its first events taken for retries (acknowledged
	// as duplicates, not stored), so give each writer its own id. Two
	// handles of one session must not have the same writer_id and stream.
	// Empty: an anonymous writer, for which the server keeps no state: its
	// event numbers are neither checked nor stored, and a batch sent twice
	// is stored twice.
	WriterId string `protobuf:"bytes,4,opt,name=writer_id,json=writerId,proto3" json:"writer_id,omitempty"`
	// positions asks for AppendOpened.positions: what the stream holds from
	// this writer_id. A writer that numbers its events across the stream
	// (AppendBatch.last_event_number) needs them to resume: an event whose
	// number is at or below the last one stored on every segment that ever
	// owned its key's point was stored by an earlier attempt.
	Positions     bool `protobuf:"varint,5,opt,name=positions,proto3" json:"positions,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *AppendOpen) Reset() {
	*x = AppendOpen{}
	mi := &file_braid_v1_braid_proto_msgTypes[67]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *AppendOpen) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*AppendOpen) ProtoMessage() {}

func (x *AppendOpen) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[67]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use AppendOpen.ProtoReflect.Descriptor instead.
func (*AppendOpen) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{67}
}

func (x *AppendOpen) GetWriter() uint32 {
	if x != nil {
		return x.Writer
	}
	return 0
}

func (x *AppendOpen) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

func (x *AppendOpen) GetStream() string {
	if x != nil {
		return x.Stream
	}
	return ""
}

func (x *AppendOpen) GetWriterId() string {
	if x != nil {
		return x.WriterId
	}
	return ""
}

func (x *AppendOpen) GetPositions() bool {
	if x != nil {
		return x.Positions
	}
	return false
}

// AppendBatches carries batches of the session's open writers, each for
// one segment, in the order they are to be stored per segment. Together at
// most the gRPC message limit (64 MiB).
type AppendBatches struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Batches       []*AppendBatch         `protobuf:"bytes,1,rep,name=batches,proto3" json:"batches,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *AppendBatches) Reset() {
	*x = AppendBatches{}
	mi := &file_braid_v1_braid_proto_msgTypes[68]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *AppendBatches) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*AppendBatches) ProtoMessage() {}

func (x *AppendBatches) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[68]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use AppendBatches.ProtoReflect.Descriptor instead.
func (*AppendBatches) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{68}
}

func (x *AppendBatches) GetBatches() []*AppendBatch {
	if x != nil {
		return x.Batches
	}
	return nil
}

// AppendClose ends the handle of a writer; the handle may then be opened
// again (for another writer or stream).
type AppendClose struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Writer        uint32                 `protobuf:"varint,1,opt,name=writer,proto3" json:"writer,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *AppendClose) Reset() {
	*x = AppendClose{}
	mi := &file_braid_v1_braid_proto_msgTypes[69]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *AppendClose) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*AppendClose) ProtoMessage() {}

func (x *AppendClose) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[69]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use AppendClose.ProtoReflect.Descriptor instead.
func (*AppendClose) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{69}
}

func (x *AppendClose) GetWriter() uint32 {
	if x != nil {
		return x.Writer
	}
	return 0
}

type AppendBatch struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// batch_id is chosen by the client and echoed in the ack; the server
	// neither reads nor checks it otherwise. Make it unique among the
	// writer's batches in the session (the Go client counts up from 1) and
	// match each ack by it.
	BatchId uint64 `protobuf:"varint,1,opt,name=batch_id,json=batchId,proto3" json:"batch_id,omitempty"`
	// segment_id is the segment the events go to: the current one whose key
	// range holds each event's routing key point (see the top of this file).
	SegmentId uint64 `protobuf:"varint,2,opt,name=segment_id,json=segmentId,proto3" json:"segment_id,omitempty"`
	// first_event_number is the writer's number for the first event. Event
	// numbers count each writer_id's events per segment: 1 for the first
	// event the writer sends to a segment, then each batch continues where
	// the last ended (first_event_number + event_count). A batch whose last
	// number is at or below the last one stored (a retry) is a duplicate; one
	// starting above last+1, or overlapping it, fails with EVENT_NUMBER_GAP.
	FirstEventNumber int64 `protobuf:"varint,3,opt,name=first_event_number,json=firstEventNumber,proto3" json:"first_event_number,omitempty"`
	// event_count is how many events the batch holds (at least 1).
	EventCount uint32 `protobuf:"varint,4,opt,name=event_count,json=eventCount,proto3" json:"event_count,omitempty"`
	// events holds exactly event_count framed events, each payload at most
	// 8 MiB, together at most 16 MiB.
	Events []byte `protobuf:"bytes,5,opt,name=events,proto3" json:"events,omitempty"`
	// writer is the handle (AppendOpen.writer) of the batch's writer.
	Writer uint32 `protobuf:"varint,6,opt,name=writer,proto3" json:"writer,omitempty"`
	// last_event_number, when set, is the number of the batch's last event,
	// and the numbers from first_event_number to it may skip (at least
	// event_count numbers, increasing): a writer that numbers its events
	// across the stream, not per segment, sends each segment an increasing
	// run that is not consecutive. The server then checks only that the run
	// starts after the last number stored (EVENT_NUMBER_GAP if it overlaps
	// it; a duplicate if it ends at or below it). 0: first_event_number +
	// event_count - 1, consecutive.
	LastEventNumber int64 `protobuf:"varint,7,opt,name=last_event_number,json=lastEventNumber,proto3" json:"last_event_number,omitempty"`
	// key_points, if set, holds one entry per event: its routing key's point
	// as the integer XXH64(key) >> 11 (the top 53 bits; the point is it over
	// 2^53), or 2^53 for an event without a key. The server then checks that
	// each point lies in the segment's [key_low, key_high) and refuses the
	// batch with INVALID_ARGUMENT otherwise (naming the event and both
	// ranges), so that a client whose routing hash is wrong finds out at its
	// first event instead of silently breaking per-key order. It costs 8
	// bytes per event on the wire and nothing in storage; the Go client does
	// not send it (its routing is the reference the test vectors above come
	// from). Recommended for a new client until it is known to route right.
	KeyPoints     []uint64 `protobuf:"fixed64,8,rep,packed,name=key_points,json=keyPoints,proto3" json:"key_points,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *AppendBatch) Reset() {
	*x = AppendBatch{}
	mi := &file_braid_v1_braid_proto_msgTypes[70]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *AppendBatch) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*AppendBatch) ProtoMessage() {}

func (x *AppendBatch) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[70]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use AppendBatch.ProtoReflect.Descriptor instead.
func (*AppendBatch) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{70}
}

func (x *AppendBatch) GetBatchId() uint64 {
	if x != nil {
		return x.BatchId
	}
	return 0
}

func (x *AppendBatch) GetSegmentId() uint64 {
	if x != nil {
		return x.SegmentId
	}
	return 0
}

func (x *AppendBatch) GetFirstEventNumber() int64 {
	if x != nil {
		return x.FirstEventNumber
	}
	return 0
}

func (x *AppendBatch) GetEventCount() uint32 {
	if x != nil {
		return x.EventCount
	}
	return 0
}

func (x *AppendBatch) GetEvents() []byte {
	if x != nil {
		return x.Events
	}
	return nil
}

func (x *AppendBatch) GetWriter() uint32 {
	if x != nil {
		return x.Writer
	}
	return 0
}

func (x *AppendBatch) GetLastEventNumber() int64 {
	if x != nil {
		return x.LastEventNumber
	}
	return 0
}

func (x *AppendBatch) GetKeyPoints() []uint64 {
	if x != nil {
		return x.KeyPoints
	}
	return nil
}

type AppendResponse struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// Types that are valid to be assigned to Kind:
	//
	//	*AppendResponse_SetupAck
	//	*AppendResponse_Ack
	//	*AppendResponse_Opened
	//	*AppendResponse_Acks
	Kind          isAppendResponse_Kind `protobuf_oneof:"kind"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *AppendResponse) Reset() {
	*x = AppendResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[71]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *AppendResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*AppendResponse) ProtoMessage() {}

func (x *AppendResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[71]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use AppendResponse.ProtoReflect.Descriptor instead.
func (*AppendResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{71}
}

func (x *AppendResponse) GetKind() isAppendResponse_Kind {
	if x != nil {
		return x.Kind
	}
	return nil
}

func (x *AppendResponse) GetSetupAck() *AppendSetupAck {
	if x != nil {
		if x, ok := x.Kind.(*AppendResponse_SetupAck); ok {
			return x.SetupAck
		}
	}
	return nil
}

func (x *AppendResponse) GetAck() *AppendAck {
	if x != nil {
		if x, ok := x.Kind.(*AppendResponse_Ack); ok {
			return x.Ack
		}
	}
	return nil
}

func (x *AppendResponse) GetOpened() *AppendOpened {
	if x != nil {
		if x, ok := x.Kind.(*AppendResponse_Opened); ok {
			return x.Opened
		}
	}
	return nil
}

func (x *AppendResponse) GetAcks() *AppendAcks {
	if x != nil {
		if x, ok := x.Kind.(*AppendResponse_Acks); ok {
			return x.Acks
		}
	}
	return nil
}

type isAppendResponse_Kind interface {
	isAppendResponse_Kind()
}

type AppendResponse_SetupAck struct {
	// setup_ack and ack are append protocol 1 (never sent).
	SetupAck *AppendSetupAck `protobuf:"bytes,1,opt,name=setup_ack,json=setupAck,proto3,oneof"`
}

type AppendResponse_Ack struct {
	Ack *AppendAck `protobuf:"bytes,2,opt,name=ack,proto3,oneof"`
}

type AppendResponse_Opened struct {
	Opened *AppendOpened `protobuf:"bytes,3,opt,name=opened,proto3,oneof"`
}

type AppendResponse_Acks struct {
	Acks *AppendAcks `protobuf:"bytes,4,opt,name=acks,proto3,oneof"`
}

func (*AppendResponse_SetupAck) isAppendResponse_Kind() {}

func (*AppendResponse_Ack) isAppendResponse_Kind() {}

func (*AppendResponse_Opened) isAppendResponse_Kind() {}

func (*AppendResponse_Acks) isAppendResponse_Kind() {}

// AppendSetupAck answered a setup of append protocol 1 (never sent).
type AppendSetupAck struct {
	state              protoimpl.MessageState `protogen:"open.v1"`
	Segments           []*SegmentRange        `protobuf:"bytes,1,rep,name=segments,proto3" json:"segments,omitempty"`
	MaxInflightBatches uint32                 `protobuf:"varint,2,opt,name=max_inflight_batches,json=maxInflightBatches,proto3" json:"max_inflight_batches,omitempty"`
	unknownFields      protoimpl.UnknownFields
	sizeCache          protoimpl.SizeCache
}

func (x *AppendSetupAck) Reset() {
	*x = AppendSetupAck{}
	mi := &file_braid_v1_braid_proto_msgTypes[72]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *AppendSetupAck) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*AppendSetupAck) ProtoMessage() {}

func (x *AppendSetupAck) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[72]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use AppendSetupAck.ProtoReflect.Descriptor instead.
func (*AppendSetupAck) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{72}
}

func (x *AppendSetupAck) GetSegments() []*SegmentRange {
	if x != nil {
		return x.Segments
	}
	return nil
}

func (x *AppendSetupAck) GetMaxInflightBatches() uint32 {
	if x != nil {
		return x.MaxInflightBatches
	}
	return 0
}

// AppendOpened answers an AppendOpen.
type AppendOpened struct {
	state  protoimpl.MessageState `protogen:"open.v1"`
	Writer uint32                 `protobuf:"varint,1,opt,name=writer,proto3" json:"writer,omitempty"`
	// segments are the stream's current segments.
	Segments []*SegmentRange `protobuf:"bytes,2,rep,name=segments,proto3" json:"segments,omitempty"`
	// max_inflight_batches is how many batches per segment a writer may
	// have sent and not yet seen acknowledged (16). The server enforces it
	// by back-pressure: a batch past it waits, and the server reads nothing
	// more of the session until an ack of that writer's segment is sent (a
	// client that also stops reading acks is then cut by the write
	// deadline). It remembers that many recent appends per writer and
	// segment, so that a batch sent again after a reconnect is acknowledged
	// with its original offset.
	MaxInflightBatches uint32 `protobuf:"varint,3,opt,name=max_inflight_batches,json=maxInflightBatches,proto3" json:"max_inflight_batches,omitempty"`
	// error is set when the writer could not be opened (the stream does not
	// exist, is sealed, ...): the handle is not open, and its batches are
	// answered with an error ack.
	Error *Error `protobuf:"bytes,4,opt,name=error,proto3" json:"error,omitempty"`
	// positions (with AppendOpen.positions): for every segment of the
	// stream, of every epoch, that holds events of the writer_id, the
	// segment and the last event number stored. Segments deleted by
	// retention are left out.
	Positions     []*WriterPosition `protobuf:"bytes,5,rep,name=positions,proto3" json:"positions,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *AppendOpened) Reset() {
	*x = AppendOpened{}
	mi := &file_braid_v1_braid_proto_msgTypes[73]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *AppendOpened) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*AppendOpened) ProtoMessage() {}

func (x *AppendOpened) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[73]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use AppendOpened.ProtoReflect.Descriptor instead.
func (*AppendOpened) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{73}
}

func (x *AppendOpened) GetWriter() uint32 {
	if x != nil {
		return x.Writer
	}
	return 0
}

func (x *AppendOpened) GetSegments() []*SegmentRange {
	if x != nil {
		return x.Segments
	}
	return nil
}

func (x *AppendOpened) GetMaxInflightBatches() uint32 {
	if x != nil {
		return x.MaxInflightBatches
	}
	return 0
}

func (x *AppendOpened) GetError() *Error {
	if x != nil {
		return x.Error
	}
	return nil
}

func (x *AppendOpened) GetPositions() []*WriterPosition {
	if x != nil {
		return x.Positions
	}
	return nil
}

// WriterPosition is the last event number a segment holds from a writer.
type WriterPosition struct {
	state           protoimpl.MessageState `protogen:"open.v1"`
	Segment         *SegmentRange          `protobuf:"bytes,1,opt,name=segment,proto3" json:"segment,omitempty"`
	LastEventNumber int64                  `protobuf:"varint,2,opt,name=last_event_number,json=lastEventNumber,proto3" json:"last_event_number,omitempty"`
	unknownFields   protoimpl.UnknownFields
	sizeCache       protoimpl.SizeCache
}

func (x *WriterPosition) Reset() {
	*x = WriterPosition{}
	mi := &file_braid_v1_braid_proto_msgTypes[74]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *WriterPosition) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*WriterPosition) ProtoMessage() {}

func (x *WriterPosition) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[74]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use WriterPosition.ProtoReflect.Descriptor instead.
func (*WriterPosition) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{74}
}

func (x *WriterPosition) GetSegment() *SegmentRange {
	if x != nil {
		return x.Segment
	}
	return nil
}

func (x *WriterPosition) GetLastEventNumber() int64 {
	if x != nil {
		return x.LastEventNumber
	}
	return 0
}

// AppendAcks holds the acks of one or more batches.
type AppendAcks struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Acks          []*AppendAck           `protobuf:"bytes,1,rep,name=acks,proto3" json:"acks,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *AppendAcks) Reset() {
	*x = AppendAcks{}
	mi := &file_braid_v1_braid_proto_msgTypes[75]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *AppendAcks) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*AppendAcks) ProtoMessage() {}

func (x *AppendAcks) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[75]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use AppendAcks.ProtoReflect.Descriptor instead.
func (*AppendAcks) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{75}
}

func (x *AppendAcks) GetAcks() []*AppendAck {
	if x != nil {
		return x.Acks
	}
	return nil
}

type AppendAck struct {
	state     protoimpl.MessageState `protogen:"open.v1"`
	BatchId   uint64                 `protobuf:"varint,1,opt,name=batch_id,json=batchId,proto3" json:"batch_id,omitempty"`
	SegmentId uint64                 `protobuf:"varint,2,opt,name=segment_id,json=segmentId,proto3" json:"segment_id,omitempty"`
	// offset is where the batch's first event starts in the segment; -1 if
	// the batch was a duplicate whose position is no longer known (it is
	// not among the writer's last 16 appends to the segment with the same
	// first and last event numbers), and -1 with error.
	Offset int64 `protobuf:"varint,3,opt,name=offset,proto3" json:"offset,omitempty"`
	// length is the bytes the batch's events take in the segment: the
	// length of AppendBatch.events, framing included, also for a duplicate.
	// The events lie back to back from offset: each event's pointer is
	// (segment_id, offset + the framed sizes before it, 8 + its payload).
	Length int64 `protobuf:"varint,4,opt,name=length,proto3" json:"length,omitempty"`
	// duplicate is set when the batch's events were already stored (a
	// retry): nothing was written again.
	Duplicate bool `protobuf:"varint,5,opt,name=duplicate,proto3" json:"duplicate,omitempty"`
	// error is set when the batch was not stored.
	Error *Error `protobuf:"bytes,6,opt,name=error,proto3" json:"error,omitempty"`
	// writer is the handle of the batch's writer.
	Writer        uint32 `protobuf:"varint,7,opt,name=writer,proto3" json:"writer,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *AppendAck) Reset() {
	*x = AppendAck{}
	mi := &file_braid_v1_braid_proto_msgTypes[76]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *AppendAck) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*AppendAck) ProtoMessage() {}

func (x *AppendAck) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[76]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use AppendAck.ProtoReflect.Descriptor instead.
func (*AppendAck) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{76}
}

func (x *AppendAck) GetBatchId() uint64 {
	if x != nil {
		return x.BatchId
	}
	return 0
}

func (x *AppendAck) GetSegmentId() uint64 {
	if x != nil {
		return x.SegmentId
	}
	return 0
}

func (x *AppendAck) GetOffset() int64 {
	if x != nil {
		return x.Offset
	}
	return 0
}

func (x *AppendAck) GetLength() int64 {
	if x != nil {
		return x.Length
	}
	return 0
}

func (x *AppendAck) GetDuplicate() bool {
	if x != nil {
		return x.Duplicate
	}
	return false
}

func (x *AppendAck) GetError() *Error {
	if x != nil {
		return x.Error
	}
	return nil
}

func (x *AppendAck) GetWriter() uint32 {
	if x != nil {
		return x.Writer
	}
	return 0
}

// Error is an error in-band: code is braid's stable code (as the
// ErrorInfo reason of a failed call), message says what went wrong for
// people.
type Error struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Code          string                 `protobuf:"bytes,1,opt,name=code,proto3" json:"code,omitempty"`
	Message       string                 `protobuf:"bytes,2,opt,name=message,proto3" json:"message,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *Error) Reset() {
	*x = Error{}
	mi := &file_braid_v1_braid_proto_msgTypes[77]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *Error) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*Error) ProtoMessage() {}

func (x *Error) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[77]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use Error.ProtoReflect.Descriptor instead.
func (*Error) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{77}
}

func (x *Error) GetCode() string {
	if x != nil {
		return x.Code
	}
	return ""
}

func (x *Error) GetMessage() string {
	if x != nil {
		return x.Message
	}
	return ""
}

type ReadSegmentRequest struct {
	state     protoimpl.MessageState `protogen:"open.v1"`
	Scope     string                 `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	Stream    string                 `protobuf:"bytes,2,opt,name=stream,proto3" json:"stream,omitempty"`
	SegmentId uint64                 `protobuf:"varint,3,opt,name=segment_id,json=segmentId,proto3" json:"segment_id,omitempty"`
	Offset    int64                  `protobuf:"varint,4,opt,name=offset,proto3" json:"offset,omitempty"`
	// end_offset, when above 0, stops the read there (exclusive).
	EndOffset int64 `protobuf:"varint,5,opt,name=end_offset,json=endOffset,proto3" json:"end_offset,omitempty"`
	// follow waits at the tail for new events instead of ending.
	Follow bool `protobuf:"varint,6,opt,name=follow,proto3" json:"follow,omitempty"`
	// max_bytes bounds one response (0: 1 MiB; at most 1 MiB, a larger
	// value is served in several responses); one event larger than this
	// still comes whole.
	MaxBytes uint32 `protobuf:"varint,7,opt,name=max_bytes,json=maxBytes,proto3" json:"max_bytes,omitempty"`
	// commit_times asks for ReadSegmentResponse.commit_times.
	CommitTimes   bool `protobuf:"varint,8,opt,name=commit_times,json=commitTimes,proto3" json:"commit_times,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ReadSegmentRequest) Reset() {
	*x = ReadSegmentRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[78]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ReadSegmentRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ReadSegmentRequest) ProtoMessage() {}

func (x *ReadSegmentRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[78]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ReadSegmentRequest.ProtoReflect.Descriptor instead.
func (*ReadSegmentRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{78}
}

func (x *ReadSegmentRequest) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

func (x *ReadSegmentRequest) GetStream() string {
	if x != nil {
		return x.Stream
	}
	return ""
}

func (x *ReadSegmentRequest) GetSegmentId() uint64 {
	if x != nil {
		return x.SegmentId
	}
	return 0
}

func (x *ReadSegmentRequest) GetOffset() int64 {
	if x != nil {
		return x.Offset
	}
	return 0
}

func (x *ReadSegmentRequest) GetEndOffset() int64 {
	if x != nil {
		return x.EndOffset
	}
	return 0
}

func (x *ReadSegmentRequest) GetFollow() bool {
	if x != nil {
		return x.Follow
	}
	return false
}

func (x *ReadSegmentRequest) GetMaxBytes() uint32 {
	if x != nil {
		return x.MaxBytes
	}
	return 0
}

func (x *ReadSegmentRequest) GetCommitTimes() bool {
	if x != nil {
		return x.CommitTimes
	}
	return false
}

// CommitTime says when a stretch of a read response's events was
// appended.
type CommitTime struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// offset is the segment offset where the stretch starts (an event's).
	Offset int64 `protobuf:"varint,1,opt,name=offset,proto3" json:"offset,omitempty"`
	// time_unix_nanos is when the append commit that stored the stretch's
	// events was made; 0 when that is no longer known exactly (the
	// segment's time index thinned it away).
	TimeUnixNanos int64 `protobuf:"varint,2,opt,name=time_unix_nanos,json=timeUnixNanos,proto3" json:"time_unix_nanos,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *CommitTime) Reset() {
	*x = CommitTime{}
	mi := &file_braid_v1_braid_proto_msgTypes[79]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *CommitTime) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*CommitTime) ProtoMessage() {}

func (x *CommitTime) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[79]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use CommitTime.ProtoReflect.Descriptor instead.
func (*CommitTime) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{79}
}

func (x *CommitTime) GetOffset() int64 {
	if x != nil {
		return x.Offset
	}
	return 0
}

func (x *CommitTime) GetTimeUnixNanos() int64 {
	if x != nil {
		return x.TimeUnixNanos
	}
	return 0
}

type ReadSegmentResponse struct {
	state  protoimpl.MessageState `protogen:"open.v1"`
	Offset int64                  `protobuf:"varint,1,opt,name=offset,proto3" json:"offset,omitempty"`
	Events []byte                 `protobuf:"bytes,2,opt,name=events,proto3" json:"events,omitempty"`
	// tail is the segment's length when this response was read.
	Tail int64 `protobuf:"varint,3,opt,name=tail,proto3" json:"tail,omitempty"`
	// end_of_segment: the segment is sealed and this is its end.
	EndOfSegment bool `protobuf:"varint,4,opt,name=end_of_segment,json=endOfSegment,proto3" json:"end_of_segment,omitempty"`
	// commit_times, when the request asked for them, say when the events
	// were appended: in offset order, the first at offset, each holding
	// from its offset up to the next one's (the last to the end of events).
	// Empty when unknown (or not asked for, or from a server without them).
	CommitTimes   []*CommitTime `protobuf:"bytes,5,rep,name=commit_times,json=commitTimes,proto3" json:"commit_times,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ReadSegmentResponse) Reset() {
	*x = ReadSegmentResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[80]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ReadSegmentResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ReadSegmentResponse) ProtoMessage() {}

func (x *ReadSegmentResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[80]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ReadSegmentResponse.ProtoReflect.Descriptor instead.
func (*ReadSegmentResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{80}
}

func (x *ReadSegmentResponse) GetOffset() int64 {
	if x != nil {
		return x.Offset
	}
	return 0
}

func (x *ReadSegmentResponse) GetEvents() []byte {
	if x != nil {
		return x.Events
	}
	return nil
}

func (x *ReadSegmentResponse) GetTail() int64 {
	if x != nil {
		return x.Tail
	}
	return 0
}

func (x *ReadSegmentResponse) GetEndOfSegment() bool {
	if x != nil {
		return x.EndOfSegment
	}
	return false
}

func (x *ReadSegmentResponse) GetCommitTimes() []*CommitTime {
	if x != nil {
		return x.CommitTimes
	}
	return nil
}

type FetchEventRequest struct {
	state     protoimpl.MessageState `protogen:"open.v1"`
	Scope     string                 `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	Stream    string                 `protobuf:"bytes,2,opt,name=stream,proto3" json:"stream,omitempty"`
	SegmentId uint64                 `protobuf:"varint,3,opt,name=segment_id,json=segmentId,proto3" json:"segment_id,omitempty"`
	Offset    int64                  `protobuf:"varint,4,opt,name=offset,proto3" json:"offset,omitempty"`
	// length includes the 8-byte header.
	Length        int32 `protobuf:"varint,5,opt,name=length,proto3" json:"length,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *FetchEventRequest) Reset() {
	*x = FetchEventRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[81]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *FetchEventRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*FetchEventRequest) ProtoMessage() {}

func (x *FetchEventRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[81]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use FetchEventRequest.ProtoReflect.Descriptor instead.
func (*FetchEventRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{81}
}

func (x *FetchEventRequest) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

func (x *FetchEventRequest) GetStream() string {
	if x != nil {
		return x.Stream
	}
	return ""
}

func (x *FetchEventRequest) GetSegmentId() uint64 {
	if x != nil {
		return x.SegmentId
	}
	return 0
}

func (x *FetchEventRequest) GetOffset() int64 {
	if x != nil {
		return x.Offset
	}
	return 0
}

func (x *FetchEventRequest) GetLength() int32 {
	if x != nil {
		return x.Length
	}
	return 0
}

type FetchEventResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Data          []byte                 `protobuf:"bytes,1,opt,name=data,proto3" json:"data,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *FetchEventResponse) Reset() {
	*x = FetchEventResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[82]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *FetchEventResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*FetchEventResponse) ProtoMessage() {}

func (x *FetchEventResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[82]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use FetchEventResponse.ProtoReflect.Descriptor instead.
func (*FetchEventResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{82}
}

func (x *FetchEventResponse) GetData() []byte {
	if x != nil {
		return x.Data
	}
	return nil
}

type GetStreamCutRequest struct {
	state  protoimpl.MessageState    `protogen:"open.v1"`
	Scope  string                    `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	Stream string                    `protobuf:"bytes,2,opt,name=stream,proto3" json:"stream,omitempty"`
	Which  GetStreamCutRequest_Which `protobuf:"varint,3,opt,name=which,proto3,enum=braid.v1.GetStreamCutRequest_Which" json:"which,omitempty"`
	// time_unix_nanos is the time of WHICH_TIME.
	TimeUnixNanos int64 `protobuf:"varint,4,opt,name=time_unix_nanos,json=timeUnixNanos,proto3" json:"time_unix_nanos,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *GetStreamCutRequest) Reset() {
	*x = GetStreamCutRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[83]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *GetStreamCutRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*GetStreamCutRequest) ProtoMessage() {}

func (x *GetStreamCutRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[83]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use GetStreamCutRequest.ProtoReflect.Descriptor instead.
func (*GetStreamCutRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{83}
}

func (x *GetStreamCutRequest) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

func (x *GetStreamCutRequest) GetStream() string {
	if x != nil {
		return x.Stream
	}
	return ""
}

func (x *GetStreamCutRequest) GetWhich() GetStreamCutRequest_Which {
	if x != nil {
		return x.Which
	}
	return GetStreamCutRequest_WHICH_UNSPECIFIED
}

func (x *GetStreamCutRequest) GetTimeUnixNanos() int64 {
	if x != nil {
		return x.TimeUnixNanos
	}
	return 0
}

type SegmentOffset struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	SegmentId     uint64                 `protobuf:"varint,1,opt,name=segment_id,json=segmentId,proto3" json:"segment_id,omitempty"`
	Offset        int64                  `protobuf:"varint,2,opt,name=offset,proto3" json:"offset,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *SegmentOffset) Reset() {
	*x = SegmentOffset{}
	mi := &file_braid_v1_braid_proto_msgTypes[84]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *SegmentOffset) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*SegmentOffset) ProtoMessage() {}

func (x *SegmentOffset) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[84]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use SegmentOffset.ProtoReflect.Descriptor instead.
func (*SegmentOffset) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{84}
}

func (x *SegmentOffset) GetSegmentId() uint64 {
	if x != nil {
		return x.SegmentId
	}
	return 0
}

func (x *SegmentOffset) GetOffset() int64 {
	if x != nil {
		return x.Offset
	}
	return 0
}

type GetStreamCutResponse struct {
	state    protoimpl.MessageState `protogen:"open.v1"`
	Segments []*SegmentOffset       `protobuf:"bytes,1,rep,name=segments,proto3" json:"segments,omitempty"`
	// text is the cut in its text form (v1.…).
	Text          string `protobuf:"bytes,2,opt,name=text,proto3" json:"text,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *GetStreamCutResponse) Reset() {
	*x = GetStreamCutResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[85]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *GetStreamCutResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*GetStreamCutResponse) ProtoMessage() {}

func (x *GetStreamCutResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[85]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use GetStreamCutResponse.ProtoReflect.Descriptor instead.
func (*GetStreamCutResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{85}
}

func (x *GetStreamCutResponse) GetSegments() []*SegmentOffset {
	if x != nil {
		return x.Segments
	}
	return nil
}

func (x *GetStreamCutResponse) GetText() string {
	if x != nil {
		return x.Text
	}
	return ""
}

type NoteTimeRequest struct {
	state  protoimpl.MessageState `protogen:"open.v1"`
	Scope  string                 `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	Stream string                 `protobuf:"bytes,2,opt,name=stream,proto3" json:"stream,omitempty"`
	// writer_id names the writer (1 to 256 bytes); a later report of the
	// same writer replaces its earlier one.
	WriterId string `protobuf:"bytes,3,opt,name=writer_id,json=writerId,proto3" json:"writer_id,omitempty"`
	// time_unix_nanos is the writer's time. A time below the writer's
	// previous one is refused (INVALID_ARGUMENT).
	TimeUnixNanos int64 `protobuf:"varint,4,opt,name=time_unix_nanos,json=timeUnixNanos,proto3" json:"time_unix_nanos,omitempty"`
	// position is what the writer has had acknowledged: for each segment it
	// wrote to, the end offset of its last acknowledged event there.
	Position []*SegmentOffset `protobuf:"bytes,5,rep,name=position,proto3" json:"position,omitempty"`
	// closed removes the writer: it holds the watermark back no longer.
	Closed        bool `protobuf:"varint,6,opt,name=closed,proto3" json:"closed,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *NoteTimeRequest) Reset() {
	*x = NoteTimeRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[86]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *NoteTimeRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*NoteTimeRequest) ProtoMessage() {}

func (x *NoteTimeRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[86]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use NoteTimeRequest.ProtoReflect.Descriptor instead.
func (*NoteTimeRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{86}
}

func (x *NoteTimeRequest) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

func (x *NoteTimeRequest) GetStream() string {
	if x != nil {
		return x.Stream
	}
	return ""
}

func (x *NoteTimeRequest) GetWriterId() string {
	if x != nil {
		return x.WriterId
	}
	return ""
}

func (x *NoteTimeRequest) GetTimeUnixNanos() int64 {
	if x != nil {
		return x.TimeUnixNanos
	}
	return 0
}

func (x *NoteTimeRequest) GetPosition() []*SegmentOffset {
	if x != nil {
		return x.Position
	}
	return nil
}

func (x *NoteTimeRequest) GetClosed() bool {
	if x != nil {
		return x.Closed
	}
	return false
}

type NoteTimeResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *NoteTimeResponse) Reset() {
	*x = NoteTimeResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[87]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *NoteTimeResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*NoteTimeResponse) ProtoMessage() {}

func (x *NoteTimeResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[87]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use NoteTimeResponse.ProtoReflect.Descriptor instead.
func (*NoteTimeResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{87}
}

type GetWatermarkRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Scope         string                 `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	Stream        string                 `protobuf:"bytes,2,opt,name=stream,proto3" json:"stream,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *GetWatermarkRequest) Reset() {
	*x = GetWatermarkRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[88]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *GetWatermarkRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*GetWatermarkRequest) ProtoMessage() {}

func (x *GetWatermarkRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[88]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use GetWatermarkRequest.ProtoReflect.Descriptor instead.
func (*GetWatermarkRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{88}
}

func (x *GetWatermarkRequest) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

func (x *GetWatermarkRequest) GetStream() string {
	if x != nil {
		return x.Stream
	}
	return ""
}

// Watermark is one mark of a stream: every active writer will write
// nothing older than lower_unix_nanos after cut. Marks are kept in the
// stream's internal mark log, in order, each later than the one before.
type Watermark struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// lower_unix_nanos is the least time over the active writers.
	LowerUnixNanos int64 `protobuf:"varint,1,opt,name=lower_unix_nanos,json=lowerUnixNanos,proto3" json:"lower_unix_nanos,omitempty"`
	// upper_unix_nanos is the greatest.
	UpperUnixNanos int64 `protobuf:"varint,2,opt,name=upper_unix_nanos,json=upperUnixNanos,proto3" json:"upper_unix_nanos,omitempty"`
	// cut holds, per segment, the greatest position any of those writers
	// reported, completed with the other segments at their length when the
	// mark was made.
	Cut []*SegmentOffset `protobuf:"bytes,3,rep,name=cut,proto3" json:"cut,omitempty"`
	// made_unix_ms is when the server made the mark.
	MadeUnixMs    int64 `protobuf:"varint,4,opt,name=made_unix_ms,json=madeUnixMs,proto3" json:"made_unix_ms,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *Watermark) Reset() {
	*x = Watermark{}
	mi := &file_braid_v1_braid_proto_msgTypes[89]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *Watermark) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*Watermark) ProtoMessage() {}

func (x *Watermark) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[89]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use Watermark.ProtoReflect.Descriptor instead.
func (*Watermark) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{89}
}

func (x *Watermark) GetLowerUnixNanos() int64 {
	if x != nil {
		return x.LowerUnixNanos
	}
	return 0
}

func (x *Watermark) GetUpperUnixNanos() int64 {
	if x != nil {
		return x.UpperUnixNanos
	}
	return 0
}

func (x *Watermark) GetCut() []*SegmentOffset {
	if x != nil {
		return x.Cut
	}
	return nil
}

func (x *Watermark) GetMadeUnixMs() int64 {
	if x != nil {
		return x.MadeUnixMs
	}
	return 0
}

// WriterTime is what the server knows of one writer that notes time.
type WriterTime struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	WriterId      string                 `protobuf:"bytes,1,opt,name=writer_id,json=writerId,proto3" json:"writer_id,omitempty"`
	TimeUnixNanos int64                  `protobuf:"varint,2,opt,name=time_unix_nanos,json=timeUnixNanos,proto3" json:"time_unix_nanos,omitempty"`
	// reported_unix_ms is when the writer last reported.
	ReportedUnixMs int64            `protobuf:"varint,3,opt,name=reported_unix_ms,json=reportedUnixMs,proto3" json:"reported_unix_ms,omitempty"`
	Position       []*SegmentOffset `protobuf:"bytes,4,rep,name=position,proto3" json:"position,omitempty"`
	// active is false once the writer was silent longer than the stream's
	// timestamp aggregation timeout: it no longer holds the watermark back.
	Active        bool `protobuf:"varint,5,opt,name=active,proto3" json:"active,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *WriterTime) Reset() {
	*x = WriterTime{}
	mi := &file_braid_v1_braid_proto_msgTypes[90]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *WriterTime) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*WriterTime) ProtoMessage() {}

func (x *WriterTime) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[90]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use WriterTime.ProtoReflect.Descriptor instead.
func (*WriterTime) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{90}
}

func (x *WriterTime) GetWriterId() string {
	if x != nil {
		return x.WriterId
	}
	return ""
}

func (x *WriterTime) GetTimeUnixNanos() int64 {
	if x != nil {
		return x.TimeUnixNanos
	}
	return 0
}

func (x *WriterTime) GetReportedUnixMs() int64 {
	if x != nil {
		return x.ReportedUnixMs
	}
	return 0
}

func (x *WriterTime) GetPosition() []*SegmentOffset {
	if x != nil {
		return x.Position
	}
	return nil
}

func (x *WriterTime) GetActive() bool {
	if x != nil {
		return x.Active
	}
	return false
}

type GetWatermarkResponse struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// watermark is the latest mark; unset while no writer noted time.
	Watermark                     *Watermark    `protobuf:"bytes,1,opt,name=watermark,proto3" json:"watermark,omitempty"`
	Writers                       []*WriterTime `protobuf:"bytes,2,rep,name=writers,proto3" json:"writers,omitempty"`
	TimestampAggregationTimeoutMs int64         `protobuf:"varint,3,opt,name=timestamp_aggregation_timeout_ms,json=timestampAggregationTimeoutMs,proto3" json:"timestamp_aggregation_timeout_ms,omitempty"`
	unknownFields                 protoimpl.UnknownFields
	sizeCache                     protoimpl.SizeCache
}

func (x *GetWatermarkResponse) Reset() {
	*x = GetWatermarkResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[91]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *GetWatermarkResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*GetWatermarkResponse) ProtoMessage() {}

func (x *GetWatermarkResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[91]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use GetWatermarkResponse.ProtoReflect.Descriptor instead.
func (*GetWatermarkResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{91}
}

func (x *GetWatermarkResponse) GetWatermark() *Watermark {
	if x != nil {
		return x.Watermark
	}
	return nil
}

func (x *GetWatermarkResponse) GetWriters() []*WriterTime {
	if x != nil {
		return x.Writers
	}
	return nil
}

func (x *GetWatermarkResponse) GetTimestampAggregationTimeoutMs() int64 {
	if x != nil {
		return x.TimestampAggregationTimeoutMs
	}
	return 0
}

type GetTimeWindowRequest struct {
	state  protoimpl.MessageState `protogen:"open.v1"`
	Scope  string                 `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	Stream string                 `protobuf:"bytes,2,opt,name=stream,proto3" json:"stream,omitempty"`
	// position is a reader's position: segments with the offset of the next
	// event to read (a reader's stream cut, or a group's committed cut).
	Position      []*SegmentOffset `protobuf:"bytes,3,rep,name=position,proto3" json:"position,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *GetTimeWindowRequest) Reset() {
	*x = GetTimeWindowRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[92]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *GetTimeWindowRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*GetTimeWindowRequest) ProtoMessage() {}

func (x *GetTimeWindowRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[92]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use GetTimeWindowRequest.ProtoReflect.Descriptor instead.
func (*GetTimeWindowRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{92}
}

func (x *GetTimeWindowRequest) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

func (x *GetTimeWindowRequest) GetStream() string {
	if x != nil {
		return x.Stream
	}
	return ""
}

func (x *GetTimeWindowRequest) GetPosition() []*SegmentOffset {
	if x != nil {
		return x.Position
	}
	return nil
}

type GetTimeWindowResponse struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// lower_unix_nanos: every event read from position on was written at or
	// after this time (the watermark the position passed). Unset (has_lower
	// false) near the head, before any mark was passed.
	HasLower       bool  `protobuf:"varint,1,opt,name=has_lower,json=hasLower,proto3" json:"has_lower,omitempty"`
	LowerUnixNanos int64 `protobuf:"varint,2,opt,name=lower_unix_nanos,json=lowerUnixNanos,proto3" json:"lower_unix_nanos,omitempty"`
	// upper_unix_nanos: the events just before position were written at or
	// before this time (the greatest writer time of the first mark the
	// position has not passed). Unset (has_upper false) near the tail, where
	// no mark lies ahead of the position yet.
	HasUpper       bool  `protobuf:"varint,3,opt,name=has_upper,json=hasUpper,proto3" json:"has_upper,omitempty"`
	UpperUnixNanos int64 `protobuf:"varint,4,opt,name=upper_unix_nanos,json=upperUnixNanos,proto3" json:"upper_unix_nanos,omitempty"`
	unknownFields  protoimpl.UnknownFields
	sizeCache      protoimpl.SizeCache
}

func (x *GetTimeWindowResponse) Reset() {
	*x = GetTimeWindowResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[93]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *GetTimeWindowResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*GetTimeWindowResponse) ProtoMessage() {}

func (x *GetTimeWindowResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[93]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use GetTimeWindowResponse.ProtoReflect.Descriptor instead.
func (*GetTimeWindowResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{93}
}

func (x *GetTimeWindowResponse) GetHasLower() bool {
	if x != nil {
		return x.HasLower
	}
	return false
}

func (x *GetTimeWindowResponse) GetLowerUnixNanos() int64 {
	if x != nil {
		return x.LowerUnixNanos
	}
	return 0
}

func (x *GetTimeWindowResponse) GetHasUpper() bool {
	if x != nil {
		return x.HasUpper
	}
	return false
}

func (x *GetTimeWindowResponse) GetUpperUnixNanos() int64 {
	if x != nil {
		return x.UpperUnixNanos
	}
	return 0
}

// ExportJob says what a server-run export copies where.
type ExportJob struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// name is the job's name: 1 to 250 bytes of A-Z a-z 0-9 . _ -.
	Name   string `protobuf:"bytes,1,opt,name=name,proto3" json:"name,omitempty"`
	Scope  string `protobuf:"bytes,2,opt,name=scope,proto3" json:"scope,omitempty"`
	Stream string `protobuf:"bytes,3,opt,name=stream,proto3" json:"stream,omitempty"`
	// url is s3://BUCKET or s3://BUCKET/PREFIX.
	Url string `protobuf:"bytes,4,opt,name=url,proto3" json:"url,omitempty"`
	// s3_endpoint is the S3 server's URL; empty: AWS (or the server's
	// AWS_ENDPOINT_URL).
	S3Endpoint  string `protobuf:"bytes,5,opt,name=s3_endpoint,json=s3Endpoint,proto3" json:"s3_endpoint,omitempty"`
	S3Region    string `protobuf:"bytes,6,opt,name=s3_region,json=s3Region,proto3" json:"s3_region,omitempty"`
	S3PathStyle bool   `protobuf:"varint,7,opt,name=s3_path_style,json=s3PathStyle,proto3" json:"s3_path_style,omitempty"`
	// parallel is the objects in flight at once (0: 32).
	Parallel uint32 `protobuf:"varint,8,opt,name=parallel,proto3" json:"parallel,omitempty"`
	// batch selects batched mode: one object per run of a segment's
	// events, closed at batch_bytes (0: 8 MiB) or batch_age_ms after its
	// first event (0: 10 s).
	Batch      bool   `protobuf:"varint,9,opt,name=batch,proto3" json:"batch,omitempty"`
	BatchBytes uint64 `protobuf:"varint,10,opt,name=batch_bytes,json=batchBytes,proto3" json:"batch_bytes,omitempty"`
	BatchAgeMs int64  `protobuf:"varint,11,opt,name=batch_age_ms,json=batchAgeMs,proto3" json:"batch_age_ms,omitempty"`
	// start is where a new export starts: "" or "head", or a stream cut
	// text. An export that finds its manifest continues from it.
	Start         string `protobuf:"bytes,12,opt,name=start,proto3" json:"start,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ExportJob) Reset() {
	*x = ExportJob{}
	mi := &file_braid_v1_braid_proto_msgTypes[94]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ExportJob) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ExportJob) ProtoMessage() {}

func (x *ExportJob) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[94]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ExportJob.ProtoReflect.Descriptor instead.
func (*ExportJob) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{94}
}

func (x *ExportJob) GetName() string {
	if x != nil {
		return x.Name
	}
	return ""
}

func (x *ExportJob) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

func (x *ExportJob) GetStream() string {
	if x != nil {
		return x.Stream
	}
	return ""
}

func (x *ExportJob) GetUrl() string {
	if x != nil {
		return x.Url
	}
	return ""
}

func (x *ExportJob) GetS3Endpoint() string {
	if x != nil {
		return x.S3Endpoint
	}
	return ""
}

func (x *ExportJob) GetS3Region() string {
	if x != nil {
		return x.S3Region
	}
	return ""
}

func (x *ExportJob) GetS3PathStyle() bool {
	if x != nil {
		return x.S3PathStyle
	}
	return false
}

func (x *ExportJob) GetParallel() uint32 {
	if x != nil {
		return x.Parallel
	}
	return 0
}

func (x *ExportJob) GetBatch() bool {
	if x != nil {
		return x.Batch
	}
	return false
}

func (x *ExportJob) GetBatchBytes() uint64 {
	if x != nil {
		return x.BatchBytes
	}
	return 0
}

func (x *ExportJob) GetBatchAgeMs() int64 {
	if x != nil {
		return x.BatchAgeMs
	}
	return 0
}

func (x *ExportJob) GetStart() string {
	if x != nil {
		return x.Start
	}
	return ""
}

// ExportStatus is a job and how it is doing.
type ExportStatus struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	Job   *ExportJob             `protobuf:"bytes,1,opt,name=job,proto3" json:"job,omitempty"`
	// state is "running", "retrying" (the last attempt failed; the server
	// tries again with backoff, see last_error), "stopped", or "finished"
	// (the stream is sealed and exported to its end).
	State         string `protobuf:"bytes,2,opt,name=state,proto3" json:"state,omitempty"`
	CreatedUnixMs int64  `protobuf:"varint,3,opt,name=created_unix_ms,json=createdUnixMs,proto3" json:"created_unix_ms,omitempty"`
	// position is the stream cut before which every event is exported.
	Position string `protobuf:"bytes,4,opt,name=position,proto3" json:"position,omitempty"`
	// objects, bytes and existing count, since the server started, the
	// objects written, their bytes, and those found already written.
	Objects  int64 `protobuf:"varint,5,opt,name=objects,proto3" json:"objects,omitempty"`
	Bytes    int64 `protobuf:"varint,6,opt,name=bytes,proto3" json:"bytes,omitempty"`
	Existing int64 `protobuf:"varint,7,opt,name=existing,proto3" json:"existing,omitempty"`
	// lag_bytes is the stream's data not exported yet (framed bytes of the
	// current segments past position); lag_ms how long ago the last
	// exported event was appended, while lag_bytes > 0 (0 when caught up,
	// -1 when its time is not known).
	LagBytes        int64  `protobuf:"varint,8,opt,name=lag_bytes,json=lagBytes,proto3" json:"lag_bytes,omitempty"`
	LagMs           int64  `protobuf:"varint,9,opt,name=lag_ms,json=lagMs,proto3" json:"lag_ms,omitempty"`
	LastError       string `protobuf:"bytes,10,opt,name=last_error,json=lastError,proto3" json:"last_error,omitempty"`
	LastErrorUnixMs int64  `protobuf:"varint,11,opt,name=last_error_unix_ms,json=lastErrorUnixMs,proto3" json:"last_error_unix_ms,omitempty"`
	// s3_errors counts S3 requests that failed (5xx, dropped connections),
	// s3_throttled those S3 asked to slow down (503 SlowDown, 429); both
	// are retried.
	S3Errors    int64 `protobuf:"varint,12,opt,name=s3_errors,json=s3Errors,proto3" json:"s3_errors,omitempty"`
	S3Throttled int64 `protobuf:"varint,13,opt,name=s3_throttled,json=s3Throttled,proto3" json:"s3_throttled,omitempty"`
	// lag_events estimates lag_bytes in events, from the sizes of the
	// events exported so far (-1 before any).
	LagEvents     int64 `protobuf:"varint,14,opt,name=lag_events,json=lagEvents,proto3" json:"lag_events,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ExportStatus) Reset() {
	*x = ExportStatus{}
	mi := &file_braid_v1_braid_proto_msgTypes[95]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ExportStatus) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ExportStatus) ProtoMessage() {}

func (x *ExportStatus) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[95]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ExportStatus.ProtoReflect.Descriptor instead.
func (*ExportStatus) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{95}
}

func (x *ExportStatus) GetJob() *ExportJob {
	if x != nil {
		return x.Job
	}
	return nil
}

func (x *ExportStatus) GetState() string {
	if x != nil {
		return x.State
	}
	return ""
}

func (x *ExportStatus) GetCreatedUnixMs() int64 {
	if x != nil {
		return x.CreatedUnixMs
	}
	return 0
}

func (x *ExportStatus) GetPosition() string {
	if x != nil {
		return x.Position
	}
	return ""
}

func (x *ExportStatus) GetObjects() int64 {
	if x != nil {
		return x.Objects
	}
	return 0
}

func (x *ExportStatus) GetBytes() int64 {
	if x != nil {
		return x.Bytes
	}
	return 0
}

func (x *ExportStatus) GetExisting() int64 {
	if x != nil {
		return x.Existing
	}
	return 0
}

func (x *ExportStatus) GetLagBytes() int64 {
	if x != nil {
		return x.LagBytes
	}
	return 0
}

func (x *ExportStatus) GetLagMs() int64 {
	if x != nil {
		return x.LagMs
	}
	return 0
}

func (x *ExportStatus) GetLastError() string {
	if x != nil {
		return x.LastError
	}
	return ""
}

func (x *ExportStatus) GetLastErrorUnixMs() int64 {
	if x != nil {
		return x.LastErrorUnixMs
	}
	return 0
}

func (x *ExportStatus) GetS3Errors() int64 {
	if x != nil {
		return x.S3Errors
	}
	return 0
}

func (x *ExportStatus) GetS3Throttled() int64 {
	if x != nil {
		return x.S3Throttled
	}
	return 0
}

func (x *ExportStatus) GetLagEvents() int64 {
	if x != nil {
		return x.LagEvents
	}
	return 0
}

type CreateExportRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Job           *ExportJob             `protobuf:"bytes,1,opt,name=job,proto3" json:"job,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *CreateExportRequest) Reset() {
	*x = CreateExportRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[96]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *CreateExportRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*CreateExportRequest) ProtoMessage() {}

func (x *CreateExportRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[96]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use CreateExportRequest.ProtoReflect.Descriptor instead.
func (*CreateExportRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{96}
}

func (x *CreateExportRequest) GetJob() *ExportJob {
	if x != nil {
		return x.Job
	}
	return nil
}

type CreateExportResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Export        *ExportStatus          `protobuf:"bytes,1,opt,name=export,proto3" json:"export,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *CreateExportResponse) Reset() {
	*x = CreateExportResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[97]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *CreateExportResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*CreateExportResponse) ProtoMessage() {}

func (x *CreateExportResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[97]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use CreateExportResponse.ProtoReflect.Descriptor instead.
func (*CreateExportResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{97}
}

func (x *CreateExportResponse) GetExport() *ExportStatus {
	if x != nil {
		return x.Export
	}
	return nil
}

type ListExportsRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ListExportsRequest) Reset() {
	*x = ListExportsRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[98]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ListExportsRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ListExportsRequest) ProtoMessage() {}

func (x *ListExportsRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[98]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ListExportsRequest.ProtoReflect.Descriptor instead.
func (*ListExportsRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{98}
}

type ListExportsResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Exports       []*ExportStatus        `protobuf:"bytes,1,rep,name=exports,proto3" json:"exports,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ListExportsResponse) Reset() {
	*x = ListExportsResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[99]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ListExportsResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ListExportsResponse) ProtoMessage() {}

func (x *ListExportsResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[99]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ListExportsResponse.ProtoReflect.Descriptor instead.
func (*ListExportsResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{99}
}

func (x *ListExportsResponse) GetExports() []*ExportStatus {
	if x != nil {
		return x.Exports
	}
	return nil
}

type GetExportRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Name          string                 `protobuf:"bytes,1,opt,name=name,proto3" json:"name,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *GetExportRequest) Reset() {
	*x = GetExportRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[100]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *GetExportRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*GetExportRequest) ProtoMessage() {}

func (x *GetExportRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[100]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use GetExportRequest.ProtoReflect.Descriptor instead.
func (*GetExportRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{100}
}

func (x *GetExportRequest) GetName() string {
	if x != nil {
		return x.Name
	}
	return ""
}

type GetExportResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Export        *ExportStatus          `protobuf:"bytes,1,opt,name=export,proto3" json:"export,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *GetExportResponse) Reset() {
	*x = GetExportResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[101]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *GetExportResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*GetExportResponse) ProtoMessage() {}

func (x *GetExportResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[101]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use GetExportResponse.ProtoReflect.Descriptor instead.
func (*GetExportResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{101}
}

func (x *GetExportResponse) GetExport() *ExportStatus {
	if x != nil {
		return x.Export
	}
	return nil
}

type StopExportRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Name          string                 `protobuf:"bytes,1,opt,name=name,proto3" json:"name,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *StopExportRequest) Reset() {
	*x = StopExportRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[102]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *StopExportRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*StopExportRequest) ProtoMessage() {}

func (x *StopExportRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[102]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use StopExportRequest.ProtoReflect.Descriptor instead.
func (*StopExportRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{102}
}

func (x *StopExportRequest) GetName() string {
	if x != nil {
		return x.Name
	}
	return ""
}

type StopExportResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Export        *ExportStatus          `protobuf:"bytes,1,opt,name=export,proto3" json:"export,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *StopExportResponse) Reset() {
	*x = StopExportResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[103]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *StopExportResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*StopExportResponse) ProtoMessage() {}

func (x *StopExportResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[103]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use StopExportResponse.ProtoReflect.Descriptor instead.
func (*StopExportResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{103}
}

func (x *StopExportResponse) GetExport() *ExportStatus {
	if x != nil {
		return x.Export
	}
	return nil
}

type StartExportRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Name          string                 `protobuf:"bytes,1,opt,name=name,proto3" json:"name,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *StartExportRequest) Reset() {
	*x = StartExportRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[104]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *StartExportRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*StartExportRequest) ProtoMessage() {}

func (x *StartExportRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[104]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use StartExportRequest.ProtoReflect.Descriptor instead.
func (*StartExportRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{104}
}

func (x *StartExportRequest) GetName() string {
	if x != nil {
		return x.Name
	}
	return ""
}

type StartExportResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Export        *ExportStatus          `protobuf:"bytes,1,opt,name=export,proto3" json:"export,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *StartExportResponse) Reset() {
	*x = StartExportResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[105]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *StartExportResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*StartExportResponse) ProtoMessage() {}

func (x *StartExportResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[105]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use StartExportResponse.ProtoReflect.Descriptor instead.
func (*StartExportResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{105}
}

func (x *StartExportResponse) GetExport() *ExportStatus {
	if x != nil {
		return x.Export
	}
	return nil
}

type DeleteExportRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Name          string                 `protobuf:"bytes,1,opt,name=name,proto3" json:"name,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *DeleteExportRequest) Reset() {
	*x = DeleteExportRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[106]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *DeleteExportRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*DeleteExportRequest) ProtoMessage() {}

func (x *DeleteExportRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[106]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use DeleteExportRequest.ProtoReflect.Descriptor instead.
func (*DeleteExportRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{106}
}

func (x *DeleteExportRequest) GetName() string {
	if x != nil {
		return x.Name
	}
	return ""
}

type DeleteExportResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *DeleteExportResponse) Reset() {
	*x = DeleteExportResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[107]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *DeleteExportResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*DeleteExportResponse) ProtoMessage() {}

func (x *DeleteExportResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[107]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use DeleteExportResponse.ProtoReflect.Descriptor instead.
func (*DeleteExportResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{107}
}

type AttachRequest struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	Scope string                 `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	// stream is empty for an ephemeral scope.
	Stream string `protobuf:"bytes,2,opt,name=stream,proto3" json:"stream,omitempty"`
	// holder names who attaches (a process, a job): free text, shown to
	// operators.
	Holder string `protobuf:"bytes,3,opt,name=holder,proto3" json:"holder,omitempty"`
	// lease_ms is the holder's lease (0: 30 s; 1 s to 24 h).
	LeaseMs int64 `protobuf:"varint,4,opt,name=lease_ms,json=leaseMs,proto3" json:"lease_ms,omitempty"`
	Create  bool  `protobuf:"varint,5,opt,name=create,proto3" json:"create,omitempty"`
	// grace_ms, for a create: how long the stream or scope stays once it
	// has no holder (0 to 7 days).
	GraceMs int64 `protobuf:"varint,6,opt,name=grace_ms,json=graceMs,proto3" json:"grace_ms,omitempty"`
	// config, for a create of a stream.
	Config        *StreamConfig `protobuf:"bytes,7,opt,name=config,proto3" json:"config,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *AttachRequest) Reset() {
	*x = AttachRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[108]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *AttachRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*AttachRequest) ProtoMessage() {}

func (x *AttachRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[108]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use AttachRequest.ProtoReflect.Descriptor instead.
func (*AttachRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{108}
}

func (x *AttachRequest) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

func (x *AttachRequest) GetStream() string {
	if x != nil {
		return x.Stream
	}
	return ""
}

func (x *AttachRequest) GetHolder() string {
	if x != nil {
		return x.Holder
	}
	return ""
}

func (x *AttachRequest) GetLeaseMs() int64 {
	if x != nil {
		return x.LeaseMs
	}
	return 0
}

func (x *AttachRequest) GetCreate() bool {
	if x != nil {
		return x.Create
	}
	return false
}

func (x *AttachRequest) GetGraceMs() int64 {
	if x != nil {
		return x.GraceMs
	}
	return 0
}

func (x *AttachRequest) GetConfig() *StreamConfig {
	if x != nil {
		return x.Config
	}
	return nil
}

type AttachResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	HolderId      string                 `protobuf:"bytes,1,opt,name=holder_id,json=holderId,proto3" json:"holder_id,omitempty"`
	ExpiresUnixMs int64                  `protobuf:"varint,2,opt,name=expires_unix_ms,json=expiresUnixMs,proto3" json:"expires_unix_ms,omitempty"`
	Created       bool                   `protobuf:"varint,3,opt,name=created,proto3" json:"created,omitempty"`
	Ephemeral     *Ephemeral             `protobuf:"bytes,4,opt,name=ephemeral,proto3" json:"ephemeral,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *AttachResponse) Reset() {
	*x = AttachResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[109]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *AttachResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*AttachResponse) ProtoMessage() {}

func (x *AttachResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[109]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use AttachResponse.ProtoReflect.Descriptor instead.
func (*AttachResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{109}
}

func (x *AttachResponse) GetHolderId() string {
	if x != nil {
		return x.HolderId
	}
	return ""
}

func (x *AttachResponse) GetExpiresUnixMs() int64 {
	if x != nil {
		return x.ExpiresUnixMs
	}
	return 0
}

func (x *AttachResponse) GetCreated() bool {
	if x != nil {
		return x.Created
	}
	return false
}

func (x *AttachResponse) GetEphemeral() *Ephemeral {
	if x != nil {
		return x.Ephemeral
	}
	return nil
}

type KeepAliveRequest struct {
	state     protoimpl.MessageState `protogen:"open.v1"`
	HolderIds []string               `protobuf:"bytes,1,rep,name=holder_ids,json=holderIds,proto3" json:"holder_ids,omitempty"`
	// lease_ms, if set, becomes these holders' lease.
	LeaseMs       int64 `protobuf:"varint,2,opt,name=lease_ms,json=leaseMs,proto3" json:"lease_ms,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *KeepAliveRequest) Reset() {
	*x = KeepAliveRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[110]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *KeepAliveRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*KeepAliveRequest) ProtoMessage() {}

func (x *KeepAliveRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[110]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use KeepAliveRequest.ProtoReflect.Descriptor instead.
func (*KeepAliveRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{110}
}

func (x *KeepAliveRequest) GetHolderIds() []string {
	if x != nil {
		return x.HolderIds
	}
	return nil
}

func (x *KeepAliveRequest) GetLeaseMs() int64 {
	if x != nil {
		return x.LeaseMs
	}
	return 0
}

type KeepAliveResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	ExpiresUnixMs map[string]int64       `protobuf:"bytes,1,rep,name=expires_unix_ms,json=expiresUnixMs,proto3" json:"expires_unix_ms,omitempty" protobuf_key:"bytes,1,opt,name=key" protobuf_val:"varint,2,opt,name=value"`
	Unknown       []string               `protobuf:"bytes,2,rep,name=unknown,proto3" json:"unknown,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *KeepAliveResponse) Reset() {
	*x = KeepAliveResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[111]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *KeepAliveResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*KeepAliveResponse) ProtoMessage() {}

func (x *KeepAliveResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[111]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use KeepAliveResponse.ProtoReflect.Descriptor instead.
func (*KeepAliveResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{111}
}

func (x *KeepAliveResponse) GetExpiresUnixMs() map[string]int64 {
	if x != nil {
		return x.ExpiresUnixMs
	}
	return nil
}

func (x *KeepAliveResponse) GetUnknown() []string {
	if x != nil {
		return x.Unknown
	}
	return nil
}

type DetachRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	HolderId      string                 `protobuf:"bytes,1,opt,name=holder_id,json=holderId,proto3" json:"holder_id,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *DetachRequest) Reset() {
	*x = DetachRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[112]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *DetachRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*DetachRequest) ProtoMessage() {}

func (x *DetachRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[112]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use DetachRequest.ProtoReflect.Descriptor instead.
func (*DetachRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{112}
}

func (x *DetachRequest) GetHolderId() string {
	if x != nil {
		return x.HolderId
	}
	return ""
}

type DetachResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *DetachResponse) Reset() {
	*x = DetachResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[113]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *DetachResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*DetachResponse) ProtoMessage() {}

func (x *DetachResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[113]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use DetachResponse.ProtoReflect.Descriptor instead.
func (*DetachResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{113}
}

type GetEphemeralRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Scope         string                 `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	Stream        string                 `protobuf:"bytes,2,opt,name=stream,proto3" json:"stream,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *GetEphemeralRequest) Reset() {
	*x = GetEphemeralRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[114]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *GetEphemeralRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*GetEphemeralRequest) ProtoMessage() {}

func (x *GetEphemeralRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[114]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use GetEphemeralRequest.ProtoReflect.Descriptor instead.
func (*GetEphemeralRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{114}
}

func (x *GetEphemeralRequest) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

func (x *GetEphemeralRequest) GetStream() string {
	if x != nil {
		return x.Stream
	}
	return ""
}

type GetEphemeralResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Ephemeral     *Ephemeral             `protobuf:"bytes,1,opt,name=ephemeral,proto3" json:"ephemeral,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *GetEphemeralResponse) Reset() {
	*x = GetEphemeralResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[115]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *GetEphemeralResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*GetEphemeralResponse) ProtoMessage() {}

func (x *GetEphemeralResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[115]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use GetEphemeralResponse.ProtoReflect.Descriptor instead.
func (*GetEphemeralResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{115}
}

func (x *GetEphemeralResponse) GetEphemeral() *Ephemeral {
	if x != nil {
		return x.Ephemeral
	}
	return nil
}

type ListEphemeralRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ListEphemeralRequest) Reset() {
	*x = ListEphemeralRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[116]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ListEphemeralRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ListEphemeralRequest) ProtoMessage() {}

func (x *ListEphemeralRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[116]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ListEphemeralRequest.ProtoReflect.Descriptor instead.
func (*ListEphemeralRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{116}
}

type ListEphemeralResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Ephemeral     []*Ephemeral           `protobuf:"bytes,1,rep,name=ephemeral,proto3" json:"ephemeral,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ListEphemeralResponse) Reset() {
	*x = ListEphemeralResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[117]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ListEphemeralResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ListEphemeralResponse) ProtoMessage() {}

func (x *ListEphemeralResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[117]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ListEphemeralResponse.ProtoReflect.Descriptor instead.
func (*ListEphemeralResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{117}
}

func (x *ListEphemeralResponse) GetEphemeral() []*Ephemeral {
	if x != nil {
		return x.Ephemeral
	}
	return nil
}

// Ephemeral is an ephemeral stream or scope and its holders.
type Ephemeral struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// kind is "stream" or "scope".
	Kind          string `protobuf:"bytes,1,opt,name=kind,proto3" json:"kind,omitempty"`
	Scope         string `protobuf:"bytes,2,opt,name=scope,proto3" json:"scope,omitempty"`
	Stream        string `protobuf:"bytes,3,opt,name=stream,proto3" json:"stream,omitempty"`
	Owner         string `protobuf:"bytes,4,opt,name=owner,proto3" json:"owner,omitempty"`
	GraceMs       int64  `protobuf:"varint,5,opt,name=grace_ms,json=graceMs,proto3" json:"grace_ms,omitempty"`
	CreatedUnixMs int64  `protobuf:"varint,6,opt,name=created_unix_ms,json=createdUnixMs,proto3" json:"created_unix_ms,omitempty"`
	// state is "live" or "deleting".
	State   string             `protobuf:"bytes,7,opt,name=state,proto3" json:"state,omitempty"`
	Holders []*EphemeralHolder `protobuf:"bytes,8,rep,name=holders,proto3" json:"holders,omitempty"`
	// empty_since_unix_ms is when the last holder went (0 while it has
	// holders): the deletion follows grace_ms after it.
	EmptySinceUnixMs int64 `protobuf:"varint,9,opt,name=empty_since_unix_ms,json=emptySinceUnixMs,proto3" json:"empty_since_unix_ms,omitempty"`
	unknownFields    protoimpl.UnknownFields
	sizeCache        protoimpl.SizeCache
}

func (x *Ephemeral) Reset() {
	*x = Ephemeral{}
	mi := &file_braid_v1_braid_proto_msgTypes[118]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *Ephemeral) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*Ephemeral) ProtoMessage() {}

func (x *Ephemeral) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[118]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use Ephemeral.ProtoReflect.Descriptor instead.
func (*Ephemeral) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{118}
}

func (x *Ephemeral) GetKind() string {
	if x != nil {
		return x.Kind
	}
	return ""
}

func (x *Ephemeral) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

func (x *Ephemeral) GetStream() string {
	if x != nil {
		return x.Stream
	}
	return ""
}

func (x *Ephemeral) GetOwner() string {
	if x != nil {
		return x.Owner
	}
	return ""
}

func (x *Ephemeral) GetGraceMs() int64 {
	if x != nil {
		return x.GraceMs
	}
	return 0
}

func (x *Ephemeral) GetCreatedUnixMs() int64 {
	if x != nil {
		return x.CreatedUnixMs
	}
	return 0
}

func (x *Ephemeral) GetState() string {
	if x != nil {
		return x.State
	}
	return ""
}

func (x *Ephemeral) GetHolders() []*EphemeralHolder {
	if x != nil {
		return x.Holders
	}
	return nil
}

func (x *Ephemeral) GetEmptySinceUnixMs() int64 {
	if x != nil {
		return x.EmptySinceUnixMs
	}
	return 0
}

type EphemeralHolder struct {
	state          protoimpl.MessageState `protogen:"open.v1"`
	Id             string                 `protobuf:"bytes,1,opt,name=id,proto3" json:"id,omitempty"`
	Name           string                 `protobuf:"bytes,2,opt,name=name,proto3" json:"name,omitempty"`
	LeaseMs        int64                  `protobuf:"varint,3,opt,name=lease_ms,json=leaseMs,proto3" json:"lease_ms,omitempty"`
	AttachedUnixMs int64                  `protobuf:"varint,4,opt,name=attached_unix_ms,json=attachedUnixMs,proto3" json:"attached_unix_ms,omitempty"`
	ExpiresUnixMs  int64                  `protobuf:"varint,5,opt,name=expires_unix_ms,json=expiresUnixMs,proto3" json:"expires_unix_ms,omitempty"`
	unknownFields  protoimpl.UnknownFields
	sizeCache      protoimpl.SizeCache
}

func (x *EphemeralHolder) Reset() {
	*x = EphemeralHolder{}
	mi := &file_braid_v1_braid_proto_msgTypes[119]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *EphemeralHolder) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*EphemeralHolder) ProtoMessage() {}

func (x *EphemeralHolder) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[119]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use EphemeralHolder.ProtoReflect.Descriptor instead.
func (*EphemeralHolder) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{119}
}

func (x *EphemeralHolder) GetId() string {
	if x != nil {
		return x.Id
	}
	return ""
}

func (x *EphemeralHolder) GetName() string {
	if x != nil {
		return x.Name
	}
	return ""
}

func (x *EphemeralHolder) GetLeaseMs() int64 {
	if x != nil {
		return x.LeaseMs
	}
	return 0
}

func (x *EphemeralHolder) GetAttachedUnixMs() int64 {
	if x != nil {
		return x.AttachedUnixMs
	}
	return 0
}

func (x *EphemeralHolder) GetExpiresUnixMs() int64 {
	if x != nil {
		return x.ExpiresUnixMs
	}
	return 0
}

type GetCleanupLogRequest struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// from_offset is where to read from (0: the start; next_offset of an
	// earlier answer to read on).
	FromOffset int64 `protobuf:"varint,1,opt,name=from_offset,json=fromOffset,proto3" json:"from_offset,omitempty"`
	// limit is the most entries answered (0: 100; at most 1000).
	Limit         uint32 `protobuf:"varint,2,opt,name=limit,proto3" json:"limit,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *GetCleanupLogRequest) Reset() {
	*x = GetCleanupLogRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[120]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *GetCleanupLogRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*GetCleanupLogRequest) ProtoMessage() {}

func (x *GetCleanupLogRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[120]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use GetCleanupLogRequest.ProtoReflect.Descriptor instead.
func (*GetCleanupLogRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{120}
}

func (x *GetCleanupLogRequest) GetFromOffset() int64 {
	if x != nil {
		return x.FromOffset
	}
	return 0
}

func (x *GetCleanupLogRequest) GetLimit() uint32 {
	if x != nil {
		return x.Limit
	}
	return 0
}

type GetCleanupLogResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Entries       []*CleanupEntry        `protobuf:"bytes,1,rep,name=entries,proto3" json:"entries,omitempty"`
	NextOffset    int64                  `protobuf:"varint,2,opt,name=next_offset,json=nextOffset,proto3" json:"next_offset,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *GetCleanupLogResponse) Reset() {
	*x = GetCleanupLogResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[121]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *GetCleanupLogResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*GetCleanupLogResponse) ProtoMessage() {}

func (x *GetCleanupLogResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[121]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use GetCleanupLogResponse.ProtoReflect.Descriptor instead.
func (*GetCleanupLogResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{121}
}

func (x *GetCleanupLogResponse) GetEntries() []*CleanupEntry {
	if x != nil {
		return x.Entries
	}
	return nil
}

func (x *GetCleanupLogResponse) GetNextOffset() int64 {
	if x != nil {
		return x.NextOffset
	}
	return 0
}

// CleanupEntry is one deletion the server made by itself.
type CleanupEntry struct {
	state      protoimpl.MessageState `protogen:"open.v1"`
	TimeUnixMs int64                  `protobuf:"varint,1,opt,name=time_unix_ms,json=timeUnixMs,proto3" json:"time_unix_ms,omitempty"`
	Action     string                 `protobuf:"bytes,2,opt,name=action,proto3" json:"action,omitempty"` // "delete"
	Kind       string                 `protobuf:"bytes,3,opt,name=kind,proto3" json:"kind,omitempty"`     // "stream" or "scope"
	Name       string                 `protobuf:"bytes,4,opt,name=name,proto3" json:"name,omitempty"`
	// rule is what made it: "ephemeral", "inactive" (braid gc) or
	// "inactive-ttl" (a scope's policy).
	Rule          string `protobuf:"bytes,5,opt,name=rule,proto3" json:"rule,omitempty"`
	Reason        string `protobuf:"bytes,6,opt,name=reason,proto3" json:"reason,omitempty"`
	Offset        int64  `protobuf:"varint,7,opt,name=offset,proto3" json:"offset,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *CleanupEntry) Reset() {
	*x = CleanupEntry{}
	mi := &file_braid_v1_braid_proto_msgTypes[122]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *CleanupEntry) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*CleanupEntry) ProtoMessage() {}

func (x *CleanupEntry) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[122]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use CleanupEntry.ProtoReflect.Descriptor instead.
func (*CleanupEntry) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{122}
}

func (x *CleanupEntry) GetTimeUnixMs() int64 {
	if x != nil {
		return x.TimeUnixMs
	}
	return 0
}

func (x *CleanupEntry) GetAction() string {
	if x != nil {
		return x.Action
	}
	return ""
}

func (x *CleanupEntry) GetKind() string {
	if x != nil {
		return x.Kind
	}
	return ""
}

func (x *CleanupEntry) GetName() string {
	if x != nil {
		return x.Name
	}
	return ""
}

func (x *CleanupEntry) GetRule() string {
	if x != nil {
		return x.Rule
	}
	return ""
}

func (x *CleanupEntry) GetReason() string {
	if x != nil {
		return x.Reason
	}
	return ""
}

func (x *CleanupEntry) GetOffset() int64 {
	if x != nil {
		return x.Offset
	}
	return 0
}

type ListInactiveRequest struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// scope, if set, limits the listing to one scope.
	Scope         string `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	InactiveMs    int64  `protobuf:"varint,2,opt,name=inactive_ms,json=inactiveMs,proto3" json:"inactive_ms,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ListInactiveRequest) Reset() {
	*x = ListInactiveRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[123]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ListInactiveRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ListInactiveRequest) ProtoMessage() {}

func (x *ListInactiveRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[123]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ListInactiveRequest.ProtoReflect.Descriptor instead.
func (*ListInactiveRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{123}
}

func (x *ListInactiveRequest) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

func (x *ListInactiveRequest) GetInactiveMs() int64 {
	if x != nil {
		return x.InactiveMs
	}
	return 0
}

type ListInactiveResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Streams       []*InactiveStream      `protobuf:"bytes,1,rep,name=streams,proto3" json:"streams,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ListInactiveResponse) Reset() {
	*x = ListInactiveResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[124]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ListInactiveResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ListInactiveResponse) ProtoMessage() {}

func (x *ListInactiveResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[124]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ListInactiveResponse.ProtoReflect.Descriptor instead.
func (*ListInactiveResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{124}
}

func (x *ListInactiveResponse) GetStreams() []*InactiveStream {
	if x != nil {
		return x.Streams
	}
	return nil
}

// InactiveStream is a stream with its last activity.
type InactiveStream struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Scope         string                 `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	Stream        string                 `protobuf:"bytes,2,opt,name=stream,proto3" json:"stream,omitempty"`
	CreatedUnixMs int64                  `protobuf:"varint,3,opt,name=created_unix_ms,json=createdUnixMs,proto3" json:"created_unix_ms,omitempty"`
	// last_write_unix_ms and last_read_unix_ms are 0 when none was seen
	// (the server keeps them since this feature's first start).
	LastWriteUnixMs int64 `protobuf:"varint,4,opt,name=last_write_unix_ms,json=lastWriteUnixMs,proto3" json:"last_write_unix_ms,omitempty"`
	LastReadUnixMs  int64 `protobuf:"varint,5,opt,name=last_read_unix_ms,json=lastReadUnixMs,proto3" json:"last_read_unix_ms,omitempty"`
	// size_bytes is what the stream retains (its current segments).
	SizeBytes     int64 `protobuf:"varint,6,opt,name=size_bytes,json=sizeBytes,proto3" json:"size_bytes,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *InactiveStream) Reset() {
	*x = InactiveStream{}
	mi := &file_braid_v1_braid_proto_msgTypes[125]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *InactiveStream) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*InactiveStream) ProtoMessage() {}

func (x *InactiveStream) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[125]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use InactiveStream.ProtoReflect.Descriptor instead.
func (*InactiveStream) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{125}
}

func (x *InactiveStream) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

func (x *InactiveStream) GetStream() string {
	if x != nil {
		return x.Stream
	}
	return ""
}

func (x *InactiveStream) GetCreatedUnixMs() int64 {
	if x != nil {
		return x.CreatedUnixMs
	}
	return 0
}

func (x *InactiveStream) GetLastWriteUnixMs() int64 {
	if x != nil {
		return x.LastWriteUnixMs
	}
	return 0
}

func (x *InactiveStream) GetLastReadUnixMs() int64 {
	if x != nil {
		return x.LastReadUnixMs
	}
	return 0
}

func (x *InactiveStream) GetSizeBytes() int64 {
	if x != nil {
		return x.SizeBytes
	}
	return 0
}

type CollectInactiveRequest struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// streams are SCOPE/STREAM names.
	Streams       []string `protobuf:"bytes,1,rep,name=streams,proto3" json:"streams,omitempty"`
	InactiveMs    int64    `protobuf:"varint,2,opt,name=inactive_ms,json=inactiveMs,proto3" json:"inactive_ms,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *CollectInactiveRequest) Reset() {
	*x = CollectInactiveRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[126]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *CollectInactiveRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*CollectInactiveRequest) ProtoMessage() {}

func (x *CollectInactiveRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[126]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use CollectInactiveRequest.ProtoReflect.Descriptor instead.
func (*CollectInactiveRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{126}
}

func (x *CollectInactiveRequest) GetStreams() []string {
	if x != nil {
		return x.Streams
	}
	return nil
}

func (x *CollectInactiveRequest) GetInactiveMs() int64 {
	if x != nil {
		return x.InactiveMs
	}
	return 0
}

type CollectInactiveResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Deleted       []string               `protobuf:"bytes,1,rep,name=deleted,proto3" json:"deleted,omitempty"`
	Skipped       []*SkippedStream       `protobuf:"bytes,2,rep,name=skipped,proto3" json:"skipped,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *CollectInactiveResponse) Reset() {
	*x = CollectInactiveResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[127]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *CollectInactiveResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*CollectInactiveResponse) ProtoMessage() {}

func (x *CollectInactiveResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[127]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use CollectInactiveResponse.ProtoReflect.Descriptor instead.
func (*CollectInactiveResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{127}
}

func (x *CollectInactiveResponse) GetDeleted() []string {
	if x != nil {
		return x.Deleted
	}
	return nil
}

func (x *CollectInactiveResponse) GetSkipped() []*SkippedStream {
	if x != nil {
		return x.Skipped
	}
	return nil
}

type SkippedStream struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Stream        string                 `protobuf:"bytes,1,opt,name=stream,proto3" json:"stream,omitempty"`
	Reason        string                 `protobuf:"bytes,2,opt,name=reason,proto3" json:"reason,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *SkippedStream) Reset() {
	*x = SkippedStream{}
	mi := &file_braid_v1_braid_proto_msgTypes[128]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *SkippedStream) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*SkippedStream) ProtoMessage() {}

func (x *SkippedStream) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[128]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use SkippedStream.ProtoReflect.Descriptor instead.
func (*SkippedStream) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{128}
}

func (x *SkippedStream) GetStream() string {
	if x != nil {
		return x.Stream
	}
	return ""
}

func (x *SkippedStream) GetReason() string {
	if x != nil {
		return x.Reason
	}
	return ""
}

type SetInactiveTTLRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Scope         string                 `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	InactiveTtlMs int64                  `protobuf:"varint,2,opt,name=inactive_ttl_ms,json=inactiveTtlMs,proto3" json:"inactive_ttl_ms,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *SetInactiveTTLRequest) Reset() {
	*x = SetInactiveTTLRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[129]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *SetInactiveTTLRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*SetInactiveTTLRequest) ProtoMessage() {}

func (x *SetInactiveTTLRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[129]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use SetInactiveTTLRequest.ProtoReflect.Descriptor instead.
func (*SetInactiveTTLRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{129}
}

func (x *SetInactiveTTLRequest) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

func (x *SetInactiveTTLRequest) GetInactiveTtlMs() int64 {
	if x != nil {
		return x.InactiveTtlMs
	}
	return 0
}

type SetInactiveTTLResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *SetInactiveTTLResponse) Reset() {
	*x = SetInactiveTTLResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[130]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *SetInactiveTTLResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*SetInactiveTTLResponse) ProtoMessage() {}

func (x *SetInactiveTTLResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[130]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use SetInactiveTTLResponse.ProtoReflect.Descriptor instead.
func (*SetInactiveTTLResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{130}
}

type ListInactiveTTLsRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ListInactiveTTLsRequest) Reset() {
	*x = ListInactiveTTLsRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[131]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ListInactiveTTLsRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ListInactiveTTLsRequest) ProtoMessage() {}

func (x *ListInactiveTTLsRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[131]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ListInactiveTTLsRequest.ProtoReflect.Descriptor instead.
func (*ListInactiveTTLsRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{131}
}

type ListInactiveTTLsResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Policies      []*InactiveTTL         `protobuf:"bytes,1,rep,name=policies,proto3" json:"policies,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ListInactiveTTLsResponse) Reset() {
	*x = ListInactiveTTLsResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[132]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ListInactiveTTLsResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ListInactiveTTLsResponse) ProtoMessage() {}

func (x *ListInactiveTTLsResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[132]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ListInactiveTTLsResponse.ProtoReflect.Descriptor instead.
func (*ListInactiveTTLsResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{132}
}

func (x *ListInactiveTTLsResponse) GetPolicies() []*InactiveTTL {
	if x != nil {
		return x.Policies
	}
	return nil
}

type InactiveTTL struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Scope         string                 `protobuf:"bytes,1,opt,name=scope,proto3" json:"scope,omitempty"`
	InactiveTtlMs int64                  `protobuf:"varint,2,opt,name=inactive_ttl_ms,json=inactiveTtlMs,proto3" json:"inactive_ttl_ms,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *InactiveTTL) Reset() {
	*x = InactiveTTL{}
	mi := &file_braid_v1_braid_proto_msgTypes[133]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *InactiveTTL) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*InactiveTTL) ProtoMessage() {}

func (x *InactiveTTL) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[133]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use InactiveTTL.ProtoReflect.Descriptor instead.
func (*InactiveTTL) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{133}
}

func (x *InactiveTTL) GetScope() string {
	if x != nil {
		return x.Scope
	}
	return ""
}

func (x *InactiveTTL) GetInactiveTtlMs() int64 {
	if x != nil {
		return x.InactiveTtlMs
	}
	return 0
}

// QueryProblem is what is wrong with a query's text, where.
type QueryProblem struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Line          int32                  `protobuf:"varint,1,opt,name=line,proto3" json:"line,omitempty"`
	Column        int32                  `protobuf:"varint,2,opt,name=column,proto3" json:"column,omitempty"`
	Message       string                 `protobuf:"bytes,3,opt,name=message,proto3" json:"message,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *QueryProblem) Reset() {
	*x = QueryProblem{}
	mi := &file_braid_v1_braid_proto_msgTypes[134]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *QueryProblem) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*QueryProblem) ProtoMessage() {}

func (x *QueryProblem) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[134]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use QueryProblem.ProtoReflect.Descriptor instead.
func (*QueryProblem) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{134}
}

func (x *QueryProblem) GetLine() int32 {
	if x != nil {
		return x.Line
	}
	return 0
}

func (x *QueryProblem) GetColumn() int32 {
	if x != nil {
		return x.Column
	}
	return 0
}

func (x *QueryProblem) GetMessage() string {
	if x != nil {
		return x.Message
	}
	return ""
}

// QueryColumn is a column of a query's results: role is "window_start",
// "window_end", "group" (a GROUP BY value), "value", or "final".
type QueryColumn struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Name          string                 `protobuf:"bytes,1,opt,name=name,proto3" json:"name,omitempty"`
	Role          string                 `protobuf:"bytes,2,opt,name=role,proto3" json:"role,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *QueryColumn) Reset() {
	*x = QueryColumn{}
	mi := &file_braid_v1_braid_proto_msgTypes[135]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *QueryColumn) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*QueryColumn) ProtoMessage() {}

func (x *QueryColumn) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[135]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use QueryColumn.ProtoReflect.Descriptor instead.
func (*QueryColumn) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{135}
}

func (x *QueryColumn) GetName() string {
	if x != nil {
		return x.Name
	}
	return ""
}

func (x *QueryColumn) GetRole() string {
	if x != nil {
		return x.Role
	}
	return ""
}

type ValidateQueryRequest struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	Sql   string                 `protobuf:"bytes,1,opt,name=sql,proto3" json:"sql,omitempty"`
	// name, when set, is the name the query would be deployed under (it
	// names the default output stream).
	Name          string `protobuf:"bytes,2,opt,name=name,proto3" json:"name,omitempty"`
	Force         bool   `protobuf:"varint,3,opt,name=force,proto3" json:"force,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ValidateQueryRequest) Reset() {
	*x = ValidateQueryRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[136]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ValidateQueryRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ValidateQueryRequest) ProtoMessage() {}

func (x *ValidateQueryRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[136]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ValidateQueryRequest.ProtoReflect.Descriptor instead.
func (*ValidateQueryRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{136}
}

func (x *ValidateQueryRequest) GetSql() string {
	if x != nil {
		return x.Sql
	}
	return ""
}

func (x *ValidateQueryRequest) GetName() string {
	if x != nil {
		return x.Name
	}
	return ""
}

func (x *ValidateQueryRequest) GetForce() bool {
	if x != nil {
		return x.Force
	}
	return false
}

type ValidateQueryResponse struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// problems is empty when the query is good.
	Problems []*QueryProblem `protobuf:"bytes,1,rep,name=problems,proto3" json:"problems,omitempty"`
	Columns  []*QueryColumn  `protobuf:"bytes,2,rep,name=columns,proto3" json:"columns,omitempty"`
	// input, output and late_output are the streams (scope/stream) the
	// query reads and writes.
	Input      string `protobuf:"bytes,3,opt,name=input,proto3" json:"input,omitempty"`
	Output     string `protobuf:"bytes,4,opt,name=output,proto3" json:"output,omitempty"`
	LateOutput string `protobuf:"bytes,5,opt,name=late_output,json=lateOutput,proto3" json:"late_output,omitempty"`
	// warnings are things that are not errors but likely mistakes: a field
	// in none of the input's last events, an input with no events yet.
	Warnings      []string `protobuf:"bytes,6,rep,name=warnings,proto3" json:"warnings,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ValidateQueryResponse) Reset() {
	*x = ValidateQueryResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[137]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ValidateQueryResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ValidateQueryResponse) ProtoMessage() {}

func (x *ValidateQueryResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[137]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ValidateQueryResponse.ProtoReflect.Descriptor instead.
func (*ValidateQueryResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{137}
}

func (x *ValidateQueryResponse) GetProblems() []*QueryProblem {
	if x != nil {
		return x.Problems
	}
	return nil
}

func (x *ValidateQueryResponse) GetColumns() []*QueryColumn {
	if x != nil {
		return x.Columns
	}
	return nil
}

func (x *ValidateQueryResponse) GetInput() string {
	if x != nil {
		return x.Input
	}
	return ""
}

func (x *ValidateQueryResponse) GetOutput() string {
	if x != nil {
		return x.Output
	}
	return ""
}

func (x *ValidateQueryResponse) GetLateOutput() string {
	if x != nil {
		return x.LateOutput
	}
	return ""
}

func (x *ValidateQueryResponse) GetWarnings() []string {
	if x != nil {
		return x.Warnings
	}
	return nil
}

type DeployQueryRequest struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// name: 1 to 64 bytes of A-Z a-z 0-9 _ -, starting with a letter or
	// digit.
	Name string `protobuf:"bytes,1,opt,name=name,proto3" json:"name,omitempty"`
	Sql  string `protobuf:"bytes,2,opt,name=sql,proto3" json:"sql,omitempty"`
	// replace deploys a new version of an existing query.
	Replace bool `protobuf:"varint,3,opt,name=replace,proto3" json:"replace,omitempty"`
	// force deploys a query whose fields are in none of the input's last
	// events (an error otherwise: such a field is most often a typo).
	Force         bool `protobuf:"varint,4,opt,name=force,proto3" json:"force,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *DeployQueryRequest) Reset() {
	*x = DeployQueryRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[138]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *DeployQueryRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*DeployQueryRequest) ProtoMessage() {}

func (x *DeployQueryRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[138]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use DeployQueryRequest.ProtoReflect.Descriptor instead.
func (*DeployQueryRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{138}
}

func (x *DeployQueryRequest) GetName() string {
	if x != nil {
		return x.Name
	}
	return ""
}

func (x *DeployQueryRequest) GetSql() string {
	if x != nil {
		return x.Sql
	}
	return ""
}

func (x *DeployQueryRequest) GetReplace() bool {
	if x != nil {
		return x.Replace
	}
	return false
}

func (x *DeployQueryRequest) GetForce() bool {
	if x != nil {
		return x.Force
	}
	return false
}

type DeployQueryResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Query         *QueryStatus           `protobuf:"bytes,1,opt,name=query,proto3" json:"query,omitempty"`
	Warnings      []string               `protobuf:"bytes,2,rep,name=warnings,proto3" json:"warnings,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *DeployQueryResponse) Reset() {
	*x = DeployQueryResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[139]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *DeployQueryResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*DeployQueryResponse) ProtoMessage() {}

func (x *DeployQueryResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[139]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use DeployQueryResponse.ProtoReflect.Descriptor instead.
func (*DeployQueryResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{139}
}

func (x *DeployQueryResponse) GetQuery() *QueryStatus {
	if x != nil {
		return x.Query
	}
	return nil
}

func (x *DeployQueryResponse) GetWarnings() []string {
	if x != nil {
		return x.Warnings
	}
	return nil
}

type QueryVersion struct {
	state          protoimpl.MessageState `protogen:"open.v1"`
	Version        int64                  `protobuf:"varint,1,opt,name=version,proto3" json:"version,omitempty"`
	Sql            string                 `protobuf:"bytes,2,opt,name=sql,proto3" json:"sql,omitempty"`
	DeployedUnixMs int64                  `protobuf:"varint,3,opt,name=deployed_unix_ms,json=deployedUnixMs,proto3" json:"deployed_unix_ms,omitempty"`
	unknownFields  protoimpl.UnknownFields
	sizeCache      protoimpl.SizeCache
}

func (x *QueryVersion) Reset() {
	*x = QueryVersion{}
	mi := &file_braid_v1_braid_proto_msgTypes[140]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *QueryVersion) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*QueryVersion) ProtoMessage() {}

func (x *QueryVersion) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[140]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use QueryVersion.ProtoReflect.Descriptor instead.
func (*QueryVersion) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{140}
}

func (x *QueryVersion) GetVersion() int64 {
	if x != nil {
		return x.Version
	}
	return 0
}

func (x *QueryVersion) GetSql() string {
	if x != nil {
		return x.Sql
	}
	return ""
}

func (x *QueryVersion) GetDeployedUnixMs() int64 {
	if x != nil {
		return x.DeployedUnixMs
	}
	return 0
}

// QueryStatus is a deployed query and how it is doing. Counters are the
// query's own (kept in its checkpoints, so they survive restarts).
type QueryStatus struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	Name  string                 `protobuf:"bytes,1,opt,name=name,proto3" json:"name,omitempty"`
	// version is the running version; versions lists every one deployed.
	Version int64  `protobuf:"varint,2,opt,name=version,proto3" json:"version,omitempty"`
	Sql     string `protobuf:"bytes,3,opt,name=sql,proto3" json:"sql,omitempty"`
	// state is "running", "retrying" (the last attempt failed; the server
	// tries again with backoff, see last_error), "stopped", or "failed"
	// (it cannot run: its input stream is gone, or its checkpoint is
	// damaged; see last_error).
	State      string `protobuf:"bytes,4,opt,name=state,proto3" json:"state,omitempty"`
	Input      string `protobuf:"bytes,5,opt,name=input,proto3" json:"input,omitempty"`
	Output     string `protobuf:"bytes,6,opt,name=output,proto3" json:"output,omitempty"`
	LateOutput string `protobuf:"bytes,7,opt,name=late_output,json=lateOutput,proto3" json:"late_output,omitempty"`
	// state_stream is the internal stream holding the query's checkpoints.
	StateStream   string          `protobuf:"bytes,8,opt,name=state_stream,json=stateStream,proto3" json:"state_stream,omitempty"`
	CreatedUnixMs int64           `protobuf:"varint,9,opt,name=created_unix_ms,json=createdUnixMs,proto3" json:"created_unix_ms,omitempty"`
	Columns       []*QueryColumn  `protobuf:"bytes,10,rep,name=columns,proto3" json:"columns,omitempty"`
	Versions      []*QueryVersion `protobuf:"bytes,11,rep,name=versions,proto3" json:"versions,omitempty"`
	// health is "ok", "waiting" (no input yet), "no_output" (events come
	// in and pass the WHERE, yet no result came out for longer than the
	// window takes to close), "dropping" (most events are refused: bad
	// JSON, bad time, type errors, late or future), or "failing" (state
	// retrying or failed); health_detail says why in words.
	Health        string `protobuf:"bytes,12,opt,name=health,proto3" json:"health,omitempty"`
	HealthDetail  string `protobuf:"bytes,13,opt,name=health_detail,json=healthDetail,proto3" json:"health_detail,omitempty"`
	EventsIn      int64  `protobuf:"varint,14,opt,name=events_in,json=eventsIn,proto3" json:"events_in,omitempty"`
	Matched       int64  `protobuf:"varint,15,opt,name=matched,proto3" json:"matched,omitempty"`
	BadJson       int64  `protobuf:"varint,16,opt,name=bad_json,json=badJson,proto3" json:"bad_json,omitempty"`
	BadTime       int64  `protobuf:"varint,17,opt,name=bad_time,json=badTime,proto3" json:"bad_time,omitempty"`
	TypeErrors    int64  `protobuf:"varint,18,opt,name=type_errors,json=typeErrors,proto3" json:"type_errors,omitempty"`
	Late          int64  `protobuf:"varint,19,opt,name=late,proto3" json:"late,omitempty"`
	Future        int64  `protobuf:"varint,20,opt,name=future,proto3" json:"future,omitempty"`
	DroppedGroups int64  `protobuf:"varint,21,opt,name=dropped_groups,json=droppedGroups,proto3" json:"dropped_groups,omitempty"`
	ResultsOut    int64  `protobuf:"varint,22,opt,name=results_out,json=resultsOut,proto3" json:"results_out,omitempty"`
	OpenWindows   int64  `protobuf:"varint,23,opt,name=open_windows,json=openWindows,proto3" json:"open_windows,omitempty"`
	OpenGroups    int64  `protobuf:"varint,24,opt,name=open_groups,json=openGroups,proto3" json:"open_groups,omitempty"`
	// The watermark and the greatest event time seen (0: none yet).
	WatermarkUnixMs    int64 `protobuf:"varint,25,opt,name=watermark_unix_ms,json=watermarkUnixMs,proto3" json:"watermark_unix_ms,omitempty"`
	MaxEventTimeUnixMs int64 `protobuf:"varint,26,opt,name=max_event_time_unix_ms,json=maxEventTimeUnixMs,proto3" json:"max_event_time_unix_ms,omitempty"`
	LastEventUnixMs    int64 `protobuf:"varint,27,opt,name=last_event_unix_ms,json=lastEventUnixMs,proto3" json:"last_event_unix_ms,omitempty"`
	LastResultUnixMs   int64 `protobuf:"varint,28,opt,name=last_result_unix_ms,json=lastResultUnixMs,proto3" json:"last_result_unix_ms,omitempty"`
	// input_rate and output_rate are events per second over the last ten
	// seconds.
	InputRate  float64 `protobuf:"fixed64,29,opt,name=input_rate,json=inputRate,proto3" json:"input_rate,omitempty"`
	OutputRate float64 `protobuf:"fixed64,30,opt,name=output_rate,json=outputRate,proto3" json:"output_rate,omitempty"`
	// last_error is the last failure of the query's run, or else the last
	// event it refused (what was wrong, with its pointer).
	LastError       string `protobuf:"bytes,31,opt,name=last_error,json=lastError,proto3" json:"last_error,omitempty"`
	LastErrorUnixMs int64  `protobuf:"varint,32,opt,name=last_error_unix_ms,json=lastErrorUnixMs,proto3" json:"last_error_unix_ms,omitempty"`
	// position is the input stream cut the last checkpoint holds.
	Position             string `protobuf:"bytes,33,opt,name=position,proto3" json:"position,omitempty"`
	Checkpoints          int64  `protobuf:"varint,34,opt,name=checkpoints,proto3" json:"checkpoints,omitempty"`
	LastCheckpointUnixMs int64  `protobuf:"varint,35,opt,name=last_checkpoint_unix_ms,json=lastCheckpointUnixMs,proto3" json:"last_checkpoint_unix_ms,omitempty"`
	// failures counts failed attempts to run since the server started.
	Failures int64 `protobuf:"varint,36,opt,name=failures,proto3" json:"failures,omitempty"`
	// missing counts, per field the query reads, the events without it.
	Missing map[string]int64 `protobuf:"bytes,37,rep,name=missing,proto3" json:"missing,omitempty" protobuf_key:"bytes,1,opt,name=key" protobuf_val:"varint,2,opt,name=value"`
	// lag_bytes is the input's data past the query's read position.
	LagBytes      int64 `protobuf:"varint,38,opt,name=lag_bytes,json=lagBytes,proto3" json:"lag_bytes,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *QueryStatus) Reset() {
	*x = QueryStatus{}
	mi := &file_braid_v1_braid_proto_msgTypes[141]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *QueryStatus) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*QueryStatus) ProtoMessage() {}

func (x *QueryStatus) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[141]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use QueryStatus.ProtoReflect.Descriptor instead.
func (*QueryStatus) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{141}
}

func (x *QueryStatus) GetName() string {
	if x != nil {
		return x.Name
	}
	return ""
}

func (x *QueryStatus) GetVersion() int64 {
	if x != nil {
		return x.Version
	}
	return 0
}

func (x *QueryStatus) GetSql() string {
	if x != nil {
		return x.Sql
	}
	return ""
}

func (x *QueryStatus) GetState() string {
	if x != nil {
		return x.State
	}
	return ""
}

func (x *QueryStatus) GetInput() string {
	if x != nil {
		return x.Input
	}
	return ""
}

func (x *QueryStatus) GetOutput() string {
	if x != nil {
		return x.Output
	}
	return ""
}

func (x *QueryStatus) GetLateOutput() string {
	if x != nil {
		return x.LateOutput
	}
	return ""
}

func (x *QueryStatus) GetStateStream() string {
	if x != nil {
		return x.StateStream
	}
	return ""
}

func (x *QueryStatus) GetCreatedUnixMs() int64 {
	if x != nil {
		return x.CreatedUnixMs
	}
	return 0
}

func (x *QueryStatus) GetColumns() []*QueryColumn {
	if x != nil {
		return x.Columns
	}
	return nil
}

func (x *QueryStatus) GetVersions() []*QueryVersion {
	if x != nil {
		return x.Versions
	}
	return nil
}

func (x *QueryStatus) GetHealth() string {
	if x != nil {
		return x.Health
	}
	return ""
}

func (x *QueryStatus) GetHealthDetail() string {
	if x != nil {
		return x.HealthDetail
	}
	return ""
}

func (x *QueryStatus) GetEventsIn() int64 {
	if x != nil {
		return x.EventsIn
	}
	return 0
}

func (x *QueryStatus) GetMatched() int64 {
	if x != nil {
		return x.Matched
	}
	return 0
}

func (x *QueryStatus) GetBadJson() int64 {
	if x != nil {
		return x.BadJson
	}
	return 0
}

func (x *QueryStatus) GetBadTime() int64 {
	if x != nil {
		return x.BadTime
	}
	return 0
}

func (x *QueryStatus) GetTypeErrors() int64 {
	if x != nil {
		return x.TypeErrors
	}
	return 0
}

func (x *QueryStatus) GetLate() int64 {
	if x != nil {
		return x.Late
	}
	return 0
}

func (x *QueryStatus) GetFuture() int64 {
	if x != nil {
		return x.Future
	}
	return 0
}

func (x *QueryStatus) GetDroppedGroups() int64 {
	if x != nil {
		return x.DroppedGroups
	}
	return 0
}

func (x *QueryStatus) GetResultsOut() int64 {
	if x != nil {
		return x.ResultsOut
	}
	return 0
}

func (x *QueryStatus) GetOpenWindows() int64 {
	if x != nil {
		return x.OpenWindows
	}
	return 0
}

func (x *QueryStatus) GetOpenGroups() int64 {
	if x != nil {
		return x.OpenGroups
	}
	return 0
}

func (x *QueryStatus) GetWatermarkUnixMs() int64 {
	if x != nil {
		return x.WatermarkUnixMs
	}
	return 0
}

func (x *QueryStatus) GetMaxEventTimeUnixMs() int64 {
	if x != nil {
		return x.MaxEventTimeUnixMs
	}
	return 0
}

func (x *QueryStatus) GetLastEventUnixMs() int64 {
	if x != nil {
		return x.LastEventUnixMs
	}
	return 0
}

func (x *QueryStatus) GetLastResultUnixMs() int64 {
	if x != nil {
		return x.LastResultUnixMs
	}
	return 0
}

func (x *QueryStatus) GetInputRate() float64 {
	if x != nil {
		return x.InputRate
	}
	return 0
}

func (x *QueryStatus) GetOutputRate() float64 {
	if x != nil {
		return x.OutputRate
	}
	return 0
}

func (x *QueryStatus) GetLastError() string {
	if x != nil {
		return x.LastError
	}
	return ""
}

func (x *QueryStatus) GetLastErrorUnixMs() int64 {
	if x != nil {
		return x.LastErrorUnixMs
	}
	return 0
}

func (x *QueryStatus) GetPosition() string {
	if x != nil {
		return x.Position
	}
	return ""
}

func (x *QueryStatus) GetCheckpoints() int64 {
	if x != nil {
		return x.Checkpoints
	}
	return 0
}

func (x *QueryStatus) GetLastCheckpointUnixMs() int64 {
	if x != nil {
		return x.LastCheckpointUnixMs
	}
	return 0
}

func (x *QueryStatus) GetFailures() int64 {
	if x != nil {
		return x.Failures
	}
	return 0
}

func (x *QueryStatus) GetMissing() map[string]int64 {
	if x != nil {
		return x.Missing
	}
	return nil
}

func (x *QueryStatus) GetLagBytes() int64 {
	if x != nil {
		return x.LagBytes
	}
	return 0
}

type ListQueriesRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ListQueriesRequest) Reset() {
	*x = ListQueriesRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[142]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ListQueriesRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ListQueriesRequest) ProtoMessage() {}

func (x *ListQueriesRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[142]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ListQueriesRequest.ProtoReflect.Descriptor instead.
func (*ListQueriesRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{142}
}

type ListQueriesResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Queries       []*QueryStatus         `protobuf:"bytes,1,rep,name=queries,proto3" json:"queries,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ListQueriesResponse) Reset() {
	*x = ListQueriesResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[143]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ListQueriesResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ListQueriesResponse) ProtoMessage() {}

func (x *ListQueriesResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[143]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ListQueriesResponse.ProtoReflect.Descriptor instead.
func (*ListQueriesResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{143}
}

func (x *ListQueriesResponse) GetQueries() []*QueryStatus {
	if x != nil {
		return x.Queries
	}
	return nil
}

type GetQueryRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Name          string                 `protobuf:"bytes,1,opt,name=name,proto3" json:"name,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *GetQueryRequest) Reset() {
	*x = GetQueryRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[144]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *GetQueryRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*GetQueryRequest) ProtoMessage() {}

func (x *GetQueryRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[144]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use GetQueryRequest.ProtoReflect.Descriptor instead.
func (*GetQueryRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{144}
}

func (x *GetQueryRequest) GetName() string {
	if x != nil {
		return x.Name
	}
	return ""
}

type GetQueryResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Query         *QueryStatus           `protobuf:"bytes,1,opt,name=query,proto3" json:"query,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *GetQueryResponse) Reset() {
	*x = GetQueryResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[145]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *GetQueryResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*GetQueryResponse) ProtoMessage() {}

func (x *GetQueryResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[145]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use GetQueryResponse.ProtoReflect.Descriptor instead.
func (*GetQueryResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{145}
}

func (x *GetQueryResponse) GetQuery() *QueryStatus {
	if x != nil {
		return x.Query
	}
	return nil
}

type StopQueryRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Name          string                 `protobuf:"bytes,1,opt,name=name,proto3" json:"name,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *StopQueryRequest) Reset() {
	*x = StopQueryRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[146]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *StopQueryRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*StopQueryRequest) ProtoMessage() {}

func (x *StopQueryRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[146]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use StopQueryRequest.ProtoReflect.Descriptor instead.
func (*StopQueryRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{146}
}

func (x *StopQueryRequest) GetName() string {
	if x != nil {
		return x.Name
	}
	return ""
}

type StopQueryResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Query         *QueryStatus           `protobuf:"bytes,1,opt,name=query,proto3" json:"query,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *StopQueryResponse) Reset() {
	*x = StopQueryResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[147]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *StopQueryResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*StopQueryResponse) ProtoMessage() {}

func (x *StopQueryResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[147]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use StopQueryResponse.ProtoReflect.Descriptor instead.
func (*StopQueryResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{147}
}

func (x *StopQueryResponse) GetQuery() *QueryStatus {
	if x != nil {
		return x.Query
	}
	return nil
}

type StartQueryRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Name          string                 `protobuf:"bytes,1,opt,name=name,proto3" json:"name,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *StartQueryRequest) Reset() {
	*x = StartQueryRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[148]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *StartQueryRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*StartQueryRequest) ProtoMessage() {}

func (x *StartQueryRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[148]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use StartQueryRequest.ProtoReflect.Descriptor instead.
func (*StartQueryRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{148}
}

func (x *StartQueryRequest) GetName() string {
	if x != nil {
		return x.Name
	}
	return ""
}

type StartQueryResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Query         *QueryStatus           `protobuf:"bytes,1,opt,name=query,proto3" json:"query,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *StartQueryResponse) Reset() {
	*x = StartQueryResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[149]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *StartQueryResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*StartQueryResponse) ProtoMessage() {}

func (x *StartQueryResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[149]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use StartQueryResponse.ProtoReflect.Descriptor instead.
func (*StartQueryResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{149}
}

func (x *StartQueryResponse) GetQuery() *QueryStatus {
	if x != nil {
		return x.Query
	}
	return nil
}

type DeleteQueryRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	Name          string                 `protobuf:"bytes,1,opt,name=name,proto3" json:"name,omitempty"`
	DeleteOutput  bool                   `protobuf:"varint,2,opt,name=delete_output,json=deleteOutput,proto3" json:"delete_output,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *DeleteQueryRequest) Reset() {
	*x = DeleteQueryRequest{}
	mi := &file_braid_v1_braid_proto_msgTypes[150]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *DeleteQueryRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*DeleteQueryRequest) ProtoMessage() {}

func (x *DeleteQueryRequest) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[150]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use DeleteQueryRequest.ProtoReflect.Descriptor instead.
func (*DeleteQueryRequest) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{150}
}

func (x *DeleteQueryRequest) GetName() string {
	if x != nil {
		return x.Name
	}
	return ""
}

func (x *DeleteQueryRequest) GetDeleteOutput() bool {
	if x != nil {
		return x.DeleteOutput
	}
	return false
}

type DeleteQueryResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *DeleteQueryResponse) Reset() {
	*x = DeleteQueryResponse{}
	mi := &file_braid_v1_braid_proto_msgTypes[151]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *DeleteQueryResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*DeleteQueryResponse) ProtoMessage() {}

func (x *DeleteQueryResponse) ProtoReflect() protoreflect.Message {
	mi := &file_braid_v1_braid_proto_msgTypes[151]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use DeleteQueryResponse.ProtoReflect.Descriptor instead.
func (*DeleteQueryResponse) Descriptor() ([]byte, []int) {
	return file_braid_v1_braid_proto_rawDescGZIP(), []int{151}
}

var File_braid_v1_braid_proto protoreflect.FileDescriptor

const file_braid_v1_braid_proto_rawDesc = "" +
	"\n" +
	"\x14braid/v1/braid.proto\x12\bbraid.v1\"*\n" +
	"\x12CreateScopeRequest\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\"/\n" +
	"\x13CreateScopeResponse\x12\x18\n" +
	"\acreated\x18\x01 \x01(\bR\acreated\"\x13\n" +
	"\x11ListScopesRequest\",\n" +
	"\x12ListScopesResponse\x12\x16\n" +
	"\x06scopes\x18\x01 \x03(\tR\x06scopes\"*\n" +
	"\x12DeleteScopeRequest\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\"\x15\n" +
	"\x13DeleteScopeResponse\"\xdf\x01\n" +
	"\fStreamConfig\x12\x1a\n" +
	"\bsegments\x18\x01 \x01(\rR\bsegments\x127\n" +
	"\tretention\x18\x02 \x01(\v2\x19.braid.v1.RetentionPolicyR\tretention\x121\n" +
	"\ascaling\x18\x03 \x01(\v2\x17.braid.v1.ScalingPolicyR\ascaling\x12G\n" +
	" timestamp_aggregation_timeout_ms\x18\x04 \x01(\x03R\x1dtimestampAggregationTimeoutMs\"\xf6\x01\n" +
	"\rScalingPolicy\x120\n" +
	"\x04kind\x18\x01 \x01(\x0e2\x1c.braid.v1.ScalingPolicy.KindR\x04kind\x12\x16\n" +
	"\x06target\x18\x02 \x01(\x03R\x06target\x12!\n" +
	"\fscale_factor\x18\x03 \x01(\rR\vscaleFactor\x12!\n" +
	"\fmin_segments\x18\x04 \x01(\rR\vminSegments\"U\n" +
	"\x04Kind\x12\x14\n" +
	"\x10KIND_UNSPECIFIED\x10\x00\x12\x0e\n" +
	"\n" +
	"KIND_FIXED\x10\x01\x12\x13\n" +
	"\x0fKIND_EVENT_RATE\x10\x02\x12\x12\n" +
	"\x0eKIND_DATA_RATE\x10\x03\"\x87\x01\n" +
	"\x0fRetentionPolicy\x124\n" +
	"\aby_time\x18\x01 \x01(\v2\x19.braid.v1.RetentionByTimeH\x00R\x06byTime\x124\n" +
	"\aby_size\x18\x02 \x01(\v2\x19.braid.v1.RetentionBySizeH\x00R\x06bySizeB\b\n" +
	"\x06policy\"?\n" +
	"\x0fRetentionByTime\x12\x15\n" +
	"\x06min_ms\x18\x01 \x01(\x03R\x05minMs\x12\x15\n" +
	"\x06max_ms\x18\x02 \x01(\x03R\x05maxMs\"K\n" +
	"\x0fRetentionBySize\x12\x1b\n" +
	"\tmin_bytes\x18\x01 \x01(\x03R\bminBytes\x12\x1b\n" +
	"\tmax_bytes\x18\x02 \x01(\x03R\bmaxBytes\"a\n" +
	"\fSegmentRange\x12\x1d\n" +
	"\n" +
	"segment_id\x18\x01 \x01(\x04R\tsegmentId\x12\x17\n" +
	"\akey_low\x18\x02 \x01(\x01R\x06keyLow\x12\x19\n" +
	"\bkey_high\x18\x03 \x01(\x01R\akeyHigh\"y\n" +
	"\x05Epoch\x12\x14\n" +
	"\x05epoch\x18\x01 \x01(\rR\x05epoch\x122\n" +
	"\bsegments\x18\x02 \x03(\v2\x16.braid.v1.SegmentRangeR\bsegments\x12&\n" +
	"\x0fcreated_unix_ms\x18\x03 \x01(\x03R\rcreatedUnixMs\"\xd3\x01\n" +
	"\n" +
	"StreamInfo\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\x12\x16\n" +
	"\x06stream\x18\x02 \x01(\tR\x06stream\x12.\n" +
	"\x06config\x18\x03 \x01(\v2\x16.braid.v1.StreamConfigR\x06config\x12\x16\n" +
	"\x06sealed\x18\x04 \x01(\bR\x06sealed\x12'\n" +
	"\x06epochs\x18\x05 \x03(\v2\x0f.braid.v1.EpochR\x06epochs\x12&\n" +
	"\x0fcreated_unix_ms\x18\x06 \x01(\x03R\rcreatedUnixMs\"\x96\x01\n" +
	"\x13CreateStreamRequest\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\x12\x16\n" +
	"\x06stream\x18\x02 \x01(\tR\x06stream\x12.\n" +
	"\x06config\x18\x03 \x01(\v2\x16.braid.v1.StreamConfigR\x06config\x12!\n" +
	"\fcreate_scope\x18\x04 \x01(\bR\vcreateScope\"i\n" +
	"\x14CreateStreamResponse\x12,\n" +
	"\x06stream\x18\x01 \x01(\v2\x14.braid.v1.StreamInfoR\x06stream\x12#\n" +
	"\rscope_created\x18\x02 \x01(\bR\fscopeCreated\"@\n" +
	"\x10GetStreamRequest\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\x12\x16\n" +
	"\x06stream\x18\x02 \x01(\tR\x06stream\"v\n" +
	"\x11GetStreamResponse\x12,\n" +
	"\x06stream\x18\x01 \x01(\v2\x14.braid.v1.StreamInfoR\x06stream\x123\n" +
	"\bsegments\x18\x02 \x03(\v2\x17.braid.v1.SegmentStatusR\bsegments\"\x90\x01\n" +
	"\rSegmentStatus\x12,\n" +
	"\x05range\x18\x01 \x01(\v2\x16.braid.v1.SegmentRangeR\x05range\x12\x16\n" +
	"\x06length\x18\x02 \x01(\x03R\x06length\x12!\n" +
	"\fstart_offset\x18\x03 \x01(\x03R\vstartOffset\x12\x16\n" +
	"\x06sealed\x18\x04 \x01(\bR\x06sealed\"*\n" +
	"\x12ListStreamsRequest\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\"E\n" +
	"\x13ListStreamsResponse\x12.\n" +
	"\astreams\x18\x01 \x03(\v2\x14.braid.v1.StreamInfoR\astreams\"A\n" +
	"\x11SealStreamRequest\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\x12\x16\n" +
	"\x06stream\x18\x02 \x01(\tR\x06stream\"\x14\n" +
	"\x12SealStreamResponse\"p\n" +
	"\x15TruncateStreamRequest\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\x12\x16\n" +
	"\x06stream\x18\x02 \x01(\tR\x06stream\x12)\n" +
	"\x03cut\x18\x03 \x03(\v2\x17.braid.v1.SegmentOffsetR\x03cut\"\x18\n" +
	"\x16TruncateStreamResponse\"s\n" +
	"\x13UpdateStreamRequest\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\x12\x16\n" +
	"\x06stream\x18\x02 \x01(\tR\x06stream\x12.\n" +
	"\x06config\x18\x03 \x01(\v2\x16.braid.v1.StreamConfigR\x06config\"D\n" +
	"\x14UpdateStreamResponse\x12,\n" +
	"\x06stream\x18\x01 \x01(\v2\x14.braid.v1.StreamInfoR\x06stream\"C\n" +
	"\x13DeleteStreamRequest\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\x12\x16\n" +
	"\x06stream\x18\x02 \x01(\tR\x06stream\"\x16\n" +
	"\x14DeleteStreamResponse\"\x89\x01\n" +
	"\x12ScaleStreamRequest\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\x12\x16\n" +
	"\x06stream\x18\x02 \x01(\tR\x06stream\x12\x12\n" +
	"\x04seal\x18\x03 \x03(\x04R\x04seal\x121\n" +
	"\n" +
	"new_ranges\x18\x04 \x03(\v2\x12.braid.v1.KeyRangeR\tnewRanges\"0\n" +
	"\bKeyRange\x12\x10\n" +
	"\x03low\x18\x01 \x01(\x01R\x03low\x12\x12\n" +
	"\x04high\x18\x02 \x01(\x01R\x04high\"C\n" +
	"\x13ScaleStreamResponse\x12,\n" +
	"\x06stream\x18\x01 \x01(\v2\x14.braid.v1.StreamInfoR\x06stream\"c\n" +
	"\x14GetSuccessorsRequest\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\x12\x16\n" +
	"\x06stream\x18\x02 \x01(\tR\x06stream\x12\x1d\n" +
	"\n" +
	"segment_id\x18\x03 \x01(\x04R\tsegmentId\"a\n" +
	"\tSuccessor\x120\n" +
	"\asegment\x18\x01 \x01(\v2\x16.braid.v1.SegmentRangeR\asegment\x12\"\n" +
	"\fpredecessors\x18\x02 \x03(\x04R\fpredecessors\"d\n" +
	"\x15GetSuccessorsResponse\x123\n" +
	"\n" +
	"successors\x18\x01 \x03(\v2\x13.braid.v1.SuccessorR\n" +
	"successors\x12\x16\n" +
	"\x06sealed\x18\x02 \x01(\bR\x06sealed\"Z\n" +
	"\vStreamCutOf\x12\x16\n" +
	"\x06stream\x18\x01 \x01(\tR\x06stream\x123\n" +
	"\bsegments\x18\x02 \x03(\v2\x17.braid.v1.SegmentOffsetR\bsegments\"\xa3\x01\n" +
	"\vGroupStream\x12\x16\n" +
	"\x06stream\x18\x01 \x01(\tR\x06stream\x12-\n" +
	"\x05start\x18\x02 \x03(\v2\x17.braid.v1.SegmentOffsetR\x05start\x12\"\n" +
	"\rstart_at_tail\x18\x04 \x01(\bR\vstartAtTail\x12)\n" +
	"\x03end\x18\x03 \x03(\v2\x17.braid.v1.SegmentOffsetR\x03end\"j\n" +
	"\vGroupConfig\x12/\n" +
	"\astreams\x18\x01 \x03(\v2\x15.braid.v1.GroupStreamR\astreams\x12*\n" +
	"\x11reader_timeout_ms\x18\x02 \x01(\x03R\x0freaderTimeoutMs\"o\n" +
	"\x12CreateGroupRequest\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\x12\x14\n" +
	"\x05group\x18\x02 \x01(\tR\x05group\x12-\n" +
	"\x06config\x18\x03 \x01(\v2\x15.braid.v1.GroupConfigR\x06config\"@\n" +
	"\x13CreateGroupResponse\x12)\n" +
	"\x05group\x18\x01 \x01(\v2\x13.braid.v1.GroupInfoR\x05group\")\n" +
	"\x11ListGroupsRequest\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\"A\n" +
	"\x12ListGroupsResponse\x12+\n" +
	"\x06groups\x18\x01 \x03(\v2\x13.braid.v1.GroupInfoR\x06groups\"B\n" +
	"\x14DescribeGroupRequest\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\x12\x14\n" +
	"\x05group\x18\x02 \x01(\tR\x05group\"B\n" +
	"\x15DescribeGroupResponse\x12)\n" +
	"\x05group\x18\x01 \x01(\v2\x13.braid.v1.GroupInfoR\x05group\"\x99\x04\n" +
	"\tGroupInfo\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\x12\x14\n" +
	"\x05group\x18\x02 \x01(\tR\x05group\x12-\n" +
	"\x06config\x18\x03 \x01(\v2\x15.braid.v1.GroupConfigR\x06config\x12\x1e\n" +
	"\n" +
	"generation\x18\x04 \x01(\x03R\n" +
	"generation\x12/\n" +
	"\areaders\x18\x05 \x03(\v2\x15.braid.v1.GroupReaderR\areaders\x122\n" +
	"\bsegments\x18\x06 \x03(\v2\x16.braid.v1.GroupSegmentR\bsegments\x121\n" +
	"\bposition\x18\a \x03(\v2\x15.braid.v1.StreamCutOfR\bposition\x12\x1b\n" +
	"\tlag_bytes\x18\b \x01(\x03R\blagBytes\x12\x1d\n" +
	"\n" +
	"lag_events\x18\t \x01(\x03R\tlagEvents\x12:\n" +
	"\vcheckpoints\x18\n" +
	" \x03(\v2\x18.braid.v1.CheckpointInfoR\vcheckpoints\x12\x1a\n" +
	"\bfinished\x18\v \x01(\bR\bfinished\x12&\n" +
	"\x0fcreated_unix_ms\x18\f \x01(\x03R\rcreatedUnixMs\x12=\n" +
	"\ftime_windows\x18\r \x03(\v2\x1a.braid.v1.StreamTimeWindowR\vtimeWindows\"c\n" +
	"\x10StreamTimeWindow\x12\x16\n" +
	"\x06stream\x18\x01 \x01(\tR\x06stream\x127\n" +
	"\x06window\x18\x02 \x01(\v2\x1f.braid.v1.GetTimeWindowResponseR\x06window\"q\n" +
	"\vGroupReader\x12\x1b\n" +
	"\treader_id\x18\x01 \x01(\tR\breaderId\x12\x1a\n" +
	"\bsegments\x18\x02 \x03(\x04R\bsegments\x12)\n" +
	"\x11last_seen_unix_ms\x18\x03 \x01(\x03R\x0elastSeenUnixMs\"\xb7\x01\n" +
	"\fGroupSegment\x12\x16\n" +
	"\x06stream\x18\x01 \x01(\tR\x06stream\x12,\n" +
	"\x05range\x18\x02 \x01(\v2\x16.braid.v1.SegmentRangeR\x05range\x12\x16\n" +
	"\x06offset\x18\x03 \x01(\x03R\x06offset\x12\x1d\n" +
	"\n" +
	"end_offset\x18\x04 \x01(\x03R\tendOffset\x12\x12\n" +
	"\x04tail\x18\x05 \x01(\x03R\x04tail\x12\x16\n" +
	"\x06reader\x18\x06 \x01(\tR\x06reader\"w\n" +
	"\x0eCheckpointInfo\x12\x12\n" +
	"\x04name\x18\x01 \x01(\tR\x04name\x12)\n" +
	"\x04cuts\x18\x02 \x03(\v2\x15.braid.v1.StreamCutOfR\x04cuts\x12&\n" +
	"\x0fcreated_unix_ms\x18\x03 \x01(\x03R\rcreatedUnixMs\"\x8e\x01\n" +
	"\x11ResetGroupRequest\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\x12\x14\n" +
	"\x05group\x18\x02 \x01(\tR\x05group\x12\x1e\n" +
	"\n" +
	"checkpoint\x18\x03 \x01(\tR\n" +
	"checkpoint\x12-\n" +
	"\x06config\x18\x04 \x01(\v2\x15.braid.v1.GroupConfigR\x06config\"?\n" +
	"\x12ResetGroupResponse\x12)\n" +
	"\x05group\x18\x01 \x01(\v2\x13.braid.v1.GroupInfoR\x05group\"@\n" +
	"\x12DeleteGroupRequest\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\x12\x14\n" +
	"\x05group\x18\x02 \x01(\tR\x05group\"\x15\n" +
	"\x13DeleteGroupResponse\"S\n" +
	"\x11CheckpointRequest\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\x12\x14\n" +
	"\x05group\x18\x02 \x01(\tR\x05group\x12\x12\n" +
	"\x04name\x18\x03 \x01(\tR\x04name\"N\n" +
	"\x12CheckpointResponse\x128\n" +
	"\n" +
	"checkpoint\x18\x01 \x01(\v2\x18.braid.v1.CheckpointInfoR\n" +
	"checkpoint\"\xab\x01\n" +
	"\x14ReaderSessionRequest\x12*\n" +
	"\x04join\x18\x01 \x01(\v2\x14.braid.v1.ReaderJoinH\x00R\x04join\x120\n" +
	"\x06update\x18\x02 \x01(\v2\x16.braid.v1.ReaderUpdateH\x00R\x06update\x12-\n" +
	"\x05leave\x18\x03 \x01(\v2\x15.braid.v1.ReaderLeaveH\x00R\x05leaveB\x06\n" +
	"\x04kind\"U\n" +
	"\n" +
	"ReaderJoin\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\x12\x14\n" +
	"\x05group\x18\x02 \x01(\tR\x05group\x12\x1b\n" +
	"\treader_id\x18\x03 \x01(\tR\breaderId\"`\n" +
	"\x0fSegmentPosition\x12\x16\n" +
	"\x06stream\x18\x01 \x01(\tR\x06stream\x12\x1d\n" +
	"\n" +
	"segment_id\x18\x02 \x01(\x04R\tsegmentId\x12\x16\n" +
	"\x06offset\x18\x03 \x01(\x03R\x06offset\"\xb1\x02\n" +
	"\fReaderUpdate\x121\n" +
	"\x06commit\x18\x01 \x03(\v2\x19.braid.v1.SegmentPositionR\x06commit\x125\n" +
	"\bfinished\x18\x02 \x03(\v2\x19.braid.v1.SegmentPositionR\bfinished\x125\n" +
	"\breleased\x18\x03 \x03(\v2\x19.braid.v1.SegmentPositionR\breleased\x12\x1e\n" +
	"\n" +
	"checkpoint\x18\x04 \x01(\tR\n" +
	"checkpoint\x12\x16\n" +
	"\x06events\x18\x05 \x01(\x03R\x06events\x12\x14\n" +
	"\x05bytes\x18\x06 \x01(\x03R\x05bytes\x12\x1e\n" +
	"\n" +
	"generation\x18\a \x01(\x03R\n" +
	"generation\x12\x12\n" +
	"\x04sync\x18\b \x01(\x04R\x04sync\"f\n" +
	"\vReaderLeave\x127\n" +
	"\tpositions\x18\x01 \x03(\v2\x19.braid.v1.SegmentPositionR\tpositions\x12\x1e\n" +
	"\n" +
	"generation\x18\x02 \x01(\x03R\n" +
	"generation\"\xca\x01\n" +
	"\x15ReaderSessionResponse\x120\n" +
	"\x06joined\x18\x01 \x01(\v2\x16.braid.v1.ReaderJoinedH\x00R\x06joined\x12<\n" +
	"\n" +
	"assignment\x18\x02 \x01(\v2\x1a.braid.v1.ReaderAssignmentH\x00R\n" +
	"assignment\x129\n" +
	"\tcommitted\x18\x03 \x01(\v2\x19.braid.v1.ReaderCommittedH\x00R\tcommittedB\x06\n" +
	"\x04kind\"%\n" +
	"\x0fReaderCommitted\x12\x12\n" +
	"\x04sync\x18\x01 \x01(\x04R\x04sync\"b\n" +
	"\fReaderJoined\x122\n" +
	"\x15heartbeat_interval_ms\x18\x01 \x01(\x03R\x13heartbeatIntervalMs\x12\x1e\n" +
	"\n" +
	"generation\x18\x02 \x01(\x03R\n" +
	"generation\"\x90\x01\n" +
	"\x11SegmentAssignment\x12\x16\n" +
	"\x06stream\x18\x01 \x01(\tR\x06stream\x12,\n" +
	"\x05range\x18\x02 \x01(\v2\x16.braid.v1.SegmentRangeR\x05range\x12\x16\n" +
	"\x06offset\x18\x03 \x01(\x03R\x06offset\x12\x1d\n" +
	"\n" +
	"end_offset\x18\x04 \x01(\x03R\tendOffset\"\xf0\x01\n" +
	"\x10ReaderAssignment\x12\x1e\n" +
	"\n" +
	"generation\x18\x01 \x01(\x03R\n" +
	"generation\x125\n" +
	"\aacquire\x18\x02 \x03(\v2\x1b.braid.v1.SegmentAssignmentR\aacquire\x123\n" +
	"\arelease\x18\x03 \x03(\v2\x19.braid.v1.SegmentPositionR\arelease\x12\x1e\n" +
	"\n" +
	"checkpoint\x18\x04 \x01(\tR\n" +
	"checkpoint\x12\x14\n" +
	"\x05reset\x18\x05 \x01(\bR\x05reset\x12\x1a\n" +
	"\bfinished\x18\x06 \x01(\bR\bfinished\"\x85\x02\n" +
	"\rAppendRequest\x12-\n" +
	"\x05setup\x18\x01 \x01(\v2\x15.braid.v1.AppendSetupH\x00R\x05setup\x12-\n" +
	"\x05batch\x18\x02 \x01(\v2\x15.braid.v1.AppendBatchH\x00R\x05batch\x12*\n" +
	"\x04open\x18\x03 \x01(\v2\x14.braid.v1.AppendOpenH\x00R\x04open\x123\n" +
	"\abatches\x18\x04 \x01(\v2\x17.braid.v1.AppendBatchesH\x00R\abatches\x12-\n" +
	"\x05close\x18\x05 \x01(\v2\x15.braid.v1.AppendCloseH\x00R\x05closeB\x06\n" +
	"\x04kind\"X\n" +
	"\vAppendSetup\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\x12\x16\n" +
	"\x06stream\x18\x02 \x01(\tR\x06stream\x12\x1b\n" +
	"\twriter_id\x18\x03 \x01(\tR\bwriterId\"\x8d\x01\n" +
	"\n" +
	"AppendOpen\x12\x16\n" +
	"\x06writer\x18\x01 \x01(\rR\x06writer\x12\x14\n" +
	"\x05scope\x18\x02 \x01(\tR\x05scope\x12\x16\n" +
	"\x06stream\x18\x03 \x01(\tR\x06stream\x12\x1b\n" +
	"\twriter_id\x18\x04 \x01(\tR\bwriterId\x12\x1c\n" +
	"\tpositions\x18\x05 \x01(\bR\tpositions\"@\n" +
	"\rAppendBatches\x12/\n" +
	"\abatches\x18\x01 \x03(\v2\x15.braid.v1.AppendBatchR\abatches\"%\n" +
	"\vAppendClose\x12\x16\n" +
	"\x06writer\x18\x01 \x01(\rR\x06writer\"\x91\x02\n" +
	"\vAppendBatch\x12\x19\n" +
	"\bbatch_id\x18\x01 \x01(\x04R\abatchId\x12\x1d\n" +
	"\n" +
	"segment_id\x18\x02 \x01(\x04R\tsegmentId\x12,\n" +
	"\x12first_event_number\x18\x03 \x01(\x03R\x10firstEventNumber\x12\x1f\n" +
	"\vevent_count\x18\x04 \x01(\rR\n" +
	"eventCount\x12\x16\n" +
	"\x06events\x18\x05 \x01(\fR\x06events\x12\x16\n" +
	"\x06writer\x18\x06 \x01(\rR\x06writer\x12*\n" +
	"\x11last_event_number\x18\a \x01(\x03R\x0flastEventNumber\x12\x1d\n" +
	"\n" +
	"key_points\x18\b \x03(\x06R\tkeyPoints\"\xd8\x01\n" +
	"\x0eAppendResponse\x127\n" +
	"\tsetup_ack\x18\x01 \x01(\v2\x18.braid.v1.AppendSetupAckH\x00R\bsetupAck\x12'\n" +
	"\x03ack\x18\x02 \x01(\v2\x13.braid.v1.AppendAckH\x00R\x03ack\x120\n" +
	"\x06opened\x18\x03 \x01(\v2\x16.braid.v1.AppendOpenedH\x00R\x06opened\x12*\n" +
	"\x04acks\x18\x04 \x01(\v2\x14.braid.v1.AppendAcksH\x00R\x04acksB\x06\n" +
	"\x04kind\"v\n" +
	"\x0eAppendSetupAck\x122\n" +
	"\bsegments\x18\x01 \x03(\v2\x16.braid.v1.SegmentRangeR\bsegments\x120\n" +
	"\x14max_inflight_batches\x18\x02 \x01(\rR\x12maxInflightBatches\"\xeb\x01\n" +
	"\fAppendOpened\x12\x16\n" +
	"\x06writer\x18\x01 \x01(\rR\x06writer\x122\n" +
	"\bsegments\x18\x02 \x03(\v2\x16.braid.v1.SegmentRangeR\bsegments\x120\n" +
	"\x14max_inflight_batches\x18\x03 \x01(\rR\x12maxInflightBatches\x12%\n" +
	"\x05error\x18\x04 \x01(\v2\x0f.braid.v1.ErrorR\x05error\x126\n" +
	"\tpositions\x18\x05 \x03(\v2\x18.braid.v1.WriterPositionR\tpositions\"n\n" +
	"\x0eWriterPosition\x120\n" +
	"\asegment\x18\x01 \x01(\v2\x16.braid.v1.SegmentRangeR\asegment\x12*\n" +
	"\x11last_event_number\x18\x02 \x01(\x03R\x0flastEventNumber\"5\n" +
	"\n" +
	"AppendAcks\x12'\n" +
	"\x04acks\x18\x01 \x03(\v2\x13.braid.v1.AppendAckR\x04acks\"\xd2\x01\n" +
	"\tAppendAck\x12\x19\n" +
	"\bbatch_id\x18\x01 \x01(\x04R\abatchId\x12\x1d\n" +
	"\n" +
	"segment_id\x18\x02 \x01(\x04R\tsegmentId\x12\x16\n" +
	"\x06offset\x18\x03 \x01(\x03R\x06offset\x12\x16\n" +
	"\x06length\x18\x04 \x01(\x03R\x06length\x12\x1c\n" +
	"\tduplicate\x18\x05 \x01(\bR\tduplicate\x12%\n" +
	"\x05error\x18\x06 \x01(\v2\x0f.braid.v1.ErrorR\x05error\x12\x16\n" +
	"\x06writer\x18\a \x01(\rR\x06writer\"5\n" +
	"\x05Error\x12\x12\n" +
	"\x04code\x18\x01 \x01(\tR\x04code\x12\x18\n" +
	"\amessage\x18\x02 \x01(\tR\amessage\"\xf0\x01\n" +
	"\x12ReadSegmentRequest\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\x12\x16\n" +
	"\x06stream\x18\x02 \x01(\tR\x06stream\x12\x1d\n" +
	"\n" +
	"segment_id\x18\x03 \x01(\x04R\tsegmentId\x12\x16\n" +
	"\x06offset\x18\x04 \x01(\x03R\x06offset\x12\x1d\n" +
	"\n" +
	"end_offset\x18\x05 \x01(\x03R\tendOffset\x12\x16\n" +
	"\x06follow\x18\x06 \x01(\bR\x06follow\x12\x1b\n" +
	"\tmax_bytes\x18\a \x01(\rR\bmaxBytes\x12!\n" +
	"\fcommit_times\x18\b \x01(\bR\vcommitTimes\"L\n" +
	"\n" +
	"CommitTime\x12\x16\n" +
	"\x06offset\x18\x01 \x01(\x03R\x06offset\x12&\n" +
	"\x0ftime_unix_nanos\x18\x02 \x01(\x03R\rtimeUnixNanos\"\xb8\x01\n" +
	"\x13ReadSegmentResponse\x12\x16\n" +
	"\x06offset\x18\x01 \x01(\x03R\x06offset\x12\x16\n" +
	"\x06events\x18\x02 \x01(\fR\x06events\x12\x12\n" +
	"\x04tail\x18\x03 \x01(\x03R\x04tail\x12$\n" +
	"\x0eend_of_segment\x18\x04 \x01(\bR\fendOfSegment\x127\n" +
	"\fcommit_times\x18\x05 \x03(\v2\x14.braid.v1.CommitTimeR\vcommitTimes\"\x90\x01\n" +
	"\x11FetchEventRequest\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\x12\x16\n" +
	"\x06stream\x18\x02 \x01(\tR\x06stream\x12\x1d\n" +
	"\n" +
	"segment_id\x18\x03 \x01(\x04R\tsegmentId\x12\x16\n" +
	"\x06offset\x18\x04 \x01(\x03R\x06offset\x12\x16\n" +
	"\x06length\x18\x05 \x01(\x05R\x06length\"(\n" +
	"\x12FetchEventResponse\x12\x12\n" +
	"\x04data\x18\x01 \x01(\fR\x04data\"\xf6\x01\n" +
	"\x13GetStreamCutRequest\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\x12\x16\n" +
	"\x06stream\x18\x02 \x01(\tR\x06stream\x129\n" +
	"\x05which\x18\x03 \x01(\x0e2#.braid.v1.GetStreamCutRequest.WhichR\x05which\x12&\n" +
	"\x0ftime_unix_nanos\x18\x04 \x01(\x03R\rtimeUnixNanos\"N\n" +
	"\x05Which\x12\x15\n" +
	"\x11WHICH_UNSPECIFIED\x10\x00\x12\x0e\n" +
	"\n" +
	"WHICH_HEAD\x10\x01\x12\x0e\n" +
	"\n" +
	"WHICH_TAIL\x10\x02\x12\x0e\n" +
	"\n" +
	"WHICH_TIME\x10\x03\"F\n" +
	"\rSegmentOffset\x12\x1d\n" +
	"\n" +
	"segment_id\x18\x01 \x01(\x04R\tsegmentId\x12\x16\n" +
	"\x06offset\x18\x02 \x01(\x03R\x06offset\"_\n" +
	"\x14GetStreamCutResponse\x123\n" +
	"\bsegments\x18\x01 \x03(\v2\x17.braid.v1.SegmentOffsetR\bsegments\x12\x12\n" +
	"\x04text\x18\x02 \x01(\tR\x04text\"\xd1\x01\n" +
	"\x0fNoteTimeRequest\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\x12\x16\n" +
	"\x06stream\x18\x02 \x01(\tR\x06stream\x12\x1b\n" +
	"\twriter_id\x18\x03 \x01(\tR\bwriterId\x12&\n" +
	"\x0ftime_unix_nanos\x18\x04 \x01(\x03R\rtimeUnixNanos\x123\n" +
	"\bposition\x18\x05 \x03(\v2\x17.braid.v1.SegmentOffsetR\bposition\x12\x16\n" +
	"\x06closed\x18\x06 \x01(\bR\x06closed\"\x12\n" +
	"\x10NoteTimeResponse\"C\n" +
	"\x13GetWatermarkRequest\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\x12\x16\n" +
	"\x06stream\x18\x02 \x01(\tR\x06stream\"\xac\x01\n" +
	"\tWatermark\x12(\n" +
	"\x10lower_unix_nanos\x18\x01 \x01(\x03R\x0elowerUnixNanos\x12(\n" +
	"\x10upper_unix_nanos\x18\x02 \x01(\x03R\x0eupperUnixNanos\x12)\n" +
	"\x03cut\x18\x03 \x03(\v2\x17.braid.v1.SegmentOffsetR\x03cut\x12 \n" +
	"\fmade_unix_ms\x18\x04 \x01(\x03R\n" +
	"madeUnixMs\"\xc8\x01\n" +
	"\n" +
	"WriterTime\x12\x1b\n" +
	"\twriter_id\x18\x01 \x01(\tR\bwriterId\x12&\n" +
	"\x0ftime_unix_nanos\x18\x02 \x01(\x03R\rtimeUnixNanos\x12(\n" +
	"\x10reported_unix_ms\x18\x03 \x01(\x03R\x0ereportedUnixMs\x123\n" +
	"\bposition\x18\x04 \x03(\v2\x17.braid.v1.SegmentOffsetR\bposition\x12\x16\n" +
	"\x06active\x18\x05 \x01(\bR\x06active\"\xc2\x01\n" +
	"\x14GetWatermarkResponse\x121\n" +
	"\twatermark\x18\x01 \x01(\v2\x13.braid.v1.WatermarkR\twatermark\x12.\n" +
	"\awriters\x18\x02 \x03(\v2\x14.braid.v1.WriterTimeR\awriters\x12G\n" +
	" timestamp_aggregation_timeout_ms\x18\x03 \x01(\x03R\x1dtimestampAggregationTimeoutMs\"y\n" +
	"\x14GetTimeWindowRequest\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\x12\x16\n" +
	"\x06stream\x18\x02 \x01(\tR\x06stream\x123\n" +
	"\bposition\x18\x03 \x03(\v2\x17.braid.v1.SegmentOffsetR\bposition\"\xa5\x01\n" +
	"\x15GetTimeWindowResponse\x12\x1b\n" +
	"\thas_lower\x18\x01 \x01(\bR\bhasLower\x12(\n" +
	"\x10lower_unix_nanos\x18\x02 \x01(\x03R\x0elowerUnixNanos\x12\x1b\n" +
	"\thas_upper\x18\x03 \x01(\bR\bhasUpper\x12(\n" +
	"\x10upper_unix_nanos\x18\x04 \x01(\x03R\x0eupperUnixNanos\"\xcc\x02\n" +
	"\tExportJob\x12\x12\n" +
	"\x04name\x18\x01 \x01(\tR\x04name\x12\x14\n" +
	"\x05scope\x18\x02 \x01(\tR\x05scope\x12\x16\n" +
	"\x06stream\x18\x03 \x01(\tR\x06stream\x12\x10\n" +
	"\x03url\x18\x04 \x01(\tR\x03url\x12\x1f\n" +
	"\vs3_endpoint\x18\x05 \x01(\tR\n" +
	"s3Endpoint\x12\x1b\n" +
	"\ts3_region\x18\x06 \x01(\tR\bs3Region\x12\"\n" +
	"\rs3_path_style\x18\a \x01(\bR\vs3PathStyle\x12\x1a\n" +
	"\bparallel\x18\b \x01(\rR\bparallel\x12\x14\n" +
	"\x05batch\x18\t \x01(\bR\x05batch\x12\x1f\n" +
	"\vbatch_bytes\x18\n" +
	" \x01(\x04R\n" +
	"batchBytes\x12 \n" +
	"\fbatch_age_ms\x18\v \x01(\x03R\n" +
	"batchAgeMs\x12\x14\n" +
	"\x05start\x18\f \x01(\tR\x05start\"\xba\x03\n" +
	"\fExportStatus\x12%\n" +
	"\x03job\x18\x01 \x01(\v2\x13.braid.v1.ExportJobR\x03job\x12\x14\n" +
	"\x05state\x18\x02 \x01(\tR\x05state\x12&\n" +
	"\x0fcreated_unix_ms\x18\x03 \x01(\x03R\rcreatedUnixMs\x12\x1a\n" +
	"\bposition\x18\x04 \x01(\tR\bposition\x12\x18\n" +
	"\aobjects\x18\x05 \x01(\x03R\aobjects\x12\x14\n" +
	"\x05bytes\x18\x06 \x01(\x03R\x05bytes\x12\x1a\n" +
	"\bexisting\x18\a \x01(\x03R\bexisting\x12\x1b\n" +
	"\tlag_bytes\x18\b \x01(\x03R\blagBytes\x12\x15\n" +
	"\x06lag_ms\x18\t \x01(\x03R\x05lagMs\x12\x1d\n" +
	"\n" +
	"last_error\x18\n" +
	" \x01(\tR\tlastError\x12+\n" +
	"\x12last_error_unix_ms\x18\v \x01(\x03R\x0flastErrorUnixMs\x12\x1b\n" +
	"\ts3_errors\x18\f \x01(\x03R\bs3Errors\x12!\n" +
	"\fs3_throttled\x18\r \x01(\x03R\vs3Throttled\x12\x1d\n" +
	"\n" +
	"lag_events\x18\x0e \x01(\x03R\tlagEvents\"<\n" +
	"\x13CreateExportRequest\x12%\n" +
	"\x03job\x18\x01 \x01(\v2\x13.braid.v1.ExportJobR\x03job\"F\n" +
	"\x14CreateExportResponse\x12.\n" +
	"\x06export\x18\x01 \x01(\v2\x16.braid.v1.ExportStatusR\x06export\"\x14\n" +
	"\x12ListExportsRequest\"G\n" +
	"\x13ListExportsResponse\x120\n" +
	"\aexports\x18\x01 \x03(\v2\x16.braid.v1.ExportStatusR\aexports\"&\n" +
	"\x10GetExportRequest\x12\x12\n" +
	"\x04name\x18\x01 \x01(\tR\x04name\"C\n" +
	"\x11GetExportResponse\x12.\n" +
	"\x06export\x18\x01 \x01(\v2\x16.braid.v1.ExportStatusR\x06export\"'\n" +
	"\x11StopExportRequest\x12\x12\n" +
	"\x04name\x18\x01 \x01(\tR\x04name\"D\n" +
	"\x12StopExportResponse\x12.\n" +
	"\x06export\x18\x01 \x01(\v2\x16.braid.v1.ExportStatusR\x06export\"(\n" +
	"\x12StartExportRequest\x12\x12\n" +
	"\x04name\x18\x01 \x01(\tR\x04name\"E\n" +
	"\x13StartExportResponse\x12.\n" +
	"\x06export\x18\x01 \x01(\v2\x16.braid.v1.ExportStatusR\x06export\")\n" +
	"\x13DeleteExportRequest\x12\x12\n" +
	"\x04name\x18\x01 \x01(\tR\x04name\"\x16\n" +
	"\x14DeleteExportResponse\"\xd3\x01\n" +
	"\rAttachRequest\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\x12\x16\n" +
	"\x06stream\x18\x02 \x01(\tR\x06stream\x12\x16\n" +
	"\x06holder\x18\x03 \x01(\tR\x06holder\x12\x19\n" +
	"\blease_ms\x18\x04 \x01(\x03R\aleaseMs\x12\x16\n" +
	"\x06create\x18\x05 \x01(\bR\x06create\x12\x19\n" +
	"\bgrace_ms\x18\x06 \x01(\x03R\agraceMs\x12.\n" +
	"\x06config\x18\a \x01(\v2\x16.braid.v1.StreamConfigR\x06config\"\xa2\x01\n" +
	"\x0eAttachResponse\x12\x1b\n" +
	"\tholder_id\x18\x01 \x01(\tR\bholderId\x12&\n" +
	"\x0fexpires_unix_ms\x18\x02 \x01(\x03R\rexpiresUnixMs\x12\x18\n" +
	"\acreated\x18\x03 \x01(\bR\acreated\x121\n" +
	"\tephemeral\x18\x04 \x01(\v2\x13.braid.v1.EphemeralR\tephemeral\"L\n" +
	"\x10KeepAliveRequest\x12\x1d\n" +
	"\n" +
	"holder_ids\x18\x01 \x03(\tR\tholderIds\x12\x19\n" +
	"\blease_ms\x18\x02 \x01(\x03R\aleaseMs\"\xc7\x01\n" +
	"\x11KeepAliveResponse\x12V\n" +
	"\x0fexpires_unix_ms\x18\x01 \x03(\v2..braid.v1.KeepAliveResponse.ExpiresUnixMsEntryR\rexpiresUnixMs\x12\x18\n" +
	"\aunknown\x18\x02 \x03(\tR\aunknown\x1a@\n" +
	"\x12ExpiresUnixMsEntry\x12\x10\n" +
	"\x03key\x18\x01 \x01(\tR\x03key\x12\x14\n" +
	"\x05value\x18\x02 \x01(\x03R\x05value:\x028\x01\",\n" +
	"\rDetachRequest\x12\x1b\n" +
	"\tholder_id\x18\x01 \x01(\tR\bholderId\"\x10\n" +
	"\x0eDetachResponse\"C\n" +
	"\x13GetEphemeralRequest\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\x12\x16\n" +
	"\x06stream\x18\x02 \x01(\tR\x06stream\"I\n" +
	"\x14GetEphemeralResponse\x121\n" +
	"\tephemeral\x18\x01 \x01(\v2\x13.braid.v1.EphemeralR\tephemeral\"\x16\n" +
	"\x14ListEphemeralRequest\"J\n" +
	"\x15ListEphemeralResponse\x121\n" +
	"\tephemeral\x18\x01 \x03(\v2\x13.braid.v1.EphemeralR\tephemeral\"\xa0\x02\n" +
	"\tEphemeral\x12\x12\n" +
	"\x04kind\x18\x01 \x01(\tR\x04kind\x12\x14\n" +
	"\x05scope\x18\x02 \x01(\tR\x05scope\x12\x16\n" +
	"\x06stream\x18\x03 \x01(\tR\x06stream\x12\x14\n" +
	"\x05owner\x18\x04 \x01(\tR\x05owner\x12\x19\n" +
	"\bgrace_ms\x18\x05 \x01(\x03R\agraceMs\x12&\n" +
	"\x0fcreated_unix_ms\x18\x06 \x01(\x03R\rcreatedUnixMs\x12\x14\n" +
	"\x05state\x18\a \x01(\tR\x05state\x123\n" +
	"\aholders\x18\b \x03(\v2\x19.braid.v1.EphemeralHolderR\aholders\x12-\n" +
	"\x13empty_since_unix_ms\x18\t \x01(\x03R\x10emptySinceUnixMs\"\xa2\x01\n" +
	"\x0fEphemeralHolder\x12\x0e\n" +
	"\x02id\x18\x01 \x01(\tR\x02id\x12\x12\n" +
	"\x04name\x18\x02 \x01(\tR\x04name\x12\x19\n" +
	"\blease_ms\x18\x03 \x01(\x03R\aleaseMs\x12(\n" +
	"\x10attached_unix_ms\x18\x04 \x01(\x03R\x0eattachedUnixMs\x12&\n" +
	"\x0fexpires_unix_ms\x18\x05 \x01(\x03R\rexpiresUnixMs\"M\n" +
	"\x14GetCleanupLogRequest\x12\x1f\n" +
	"\vfrom_offset\x18\x01 \x01(\x03R\n" +
	"fromOffset\x12\x14\n" +
	"\x05limit\x18\x02 \x01(\rR\x05limit\"j\n" +
	"\x15GetCleanupLogResponse\x120\n" +
	"\aentries\x18\x01 \x03(\v2\x16.braid.v1.CleanupEntryR\aentries\x12\x1f\n" +
	"\vnext_offset\x18\x02 \x01(\x03R\n" +
	"nextOffset\"\xb4\x01\n" +
	"\fCleanupEntry\x12 \n" +
	"\ftime_unix_ms\x18\x01 \x01(\x03R\n" +
	"timeUnixMs\x12\x16\n" +
	"\x06action\x18\x02 \x01(\tR\x06action\x12\x12\n" +
	"\x04kind\x18\x03 \x01(\tR\x04kind\x12\x12\n" +
	"\x04name\x18\x04 \x01(\tR\x04name\x12\x12\n" +
	"\x04rule\x18\x05 \x01(\tR\x04rule\x12\x16\n" +
	"\x06reason\x18\x06 \x01(\tR\x06reason\x12\x16\n" +
	"\x06offset\x18\a \x01(\x03R\x06offset\"L\n" +
	"\x13ListInactiveRequest\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\x12\x1f\n" +
	"\vinactive_ms\x18\x02 \x01(\x03R\n" +
	"inactiveMs\"J\n" +
	"\x14ListInactiveResponse\x122\n" +
	"\astreams\x18\x01 \x03(\v2\x18.braid.v1.InactiveStreamR\astreams\"\xdd\x01\n" +
	"\x0eInactiveStream\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\x12\x16\n" +
	"\x06stream\x18\x02 \x01(\tR\x06stream\x12&\n" +
	"\x0fcreated_unix_ms\x18\x03 \x01(\x03R\rcreatedUnixMs\x12+\n" +
	"\x12last_write_unix_ms\x18\x04 \x01(\x03R\x0flastWriteUnixMs\x12)\n" +
	"\x11last_read_unix_ms\x18\x05 \x01(\x03R\x0elastReadUnixMs\x12\x1d\n" +
	"\n" +
	"size_bytes\x18\x06 \x01(\x03R\tsizeBytes\"S\n" +
	"\x16CollectInactiveRequest\x12\x18\n" +
	"\astreams\x18\x01 \x03(\tR\astreams\x12\x1f\n" +
	"\vinactive_ms\x18\x02 \x01(\x03R\n" +
	"inactiveMs\"f\n" +
	"\x17CollectInactiveResponse\x12\x18\n" +
	"\adeleted\x18\x01 \x03(\tR\adeleted\x121\n" +
	"\askipped\x18\x02 \x03(\v2\x17.braid.v1.SkippedStreamR\askipped\"?\n" +
	"\rSkippedStream\x12\x16\n" +
	"\x06stream\x18\x01 \x01(\tR\x06stream\x12\x16\n" +
	"\x06reason\x18\x02 \x01(\tR\x06reason\"U\n" +
	"\x15SetInactiveTTLRequest\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\x12&\n" +
	"\x0finactive_ttl_ms\x18\x02 \x01(\x03R\rinactiveTtlMs\"\x18\n" +
	"\x16SetInactiveTTLResponse\"\x19\n" +
	"\x17ListInactiveTTLsRequest\"M\n" +
	"\x18ListInactiveTTLsResponse\x121\n" +
	"\bpolicies\x18\x01 \x03(\v2\x15.braid.v1.InactiveTTLR\bpolicies\"K\n" +
	"\vInactiveTTL\x12\x14\n" +
	"\x05scope\x18\x01 \x01(\tR\x05scope\x12&\n" +
	"\x0finactive_ttl_ms\x18\x02 \x01(\x03R\rinactiveTtlMs\"T\n" +
	"\fQueryProblem\x12\x12\n" +
	"\x04line\x18\x01 \x01(\x05R\x04line\x12\x16\n" +
	"\x06column\x18\x02 \x01(\x05R\x06column\x12\x18\n" +
	"\amessage\x18\x03 \x01(\tR\amessage\"5\n" +
	"\vQueryColumn\x12\x12\n" +
	"\x04name\x18\x01 \x01(\tR\x04name\x12\x12\n" +
	"\x04role\x18\x02 \x01(\tR\x04role\"R\n" +
	"\x14ValidateQueryRequest\x12\x10\n" +
	"\x03sql\x18\x01 \x01(\tR\x03sql\x12\x12\n" +
	"\x04name\x18\x02 \x01(\tR\x04name\x12\x14\n" +
	"\x05force\x18\x03 \x01(\bR\x05force\"\xe7\x01\n" +
	"\x15ValidateQueryResponse\x122\n" +
	"\bproblems\x18\x01 \x03(\v2\x16.braid.v1.QueryProblemR\bproblems\x12/\n" +
	"\acolumns\x18\x02 \x03(\v2\x15.braid.v1.QueryColumnR\acolumns\x12\x14\n" +
	"\x05input\x18\x03 \x01(\tR\x05input\x12\x16\n" +
	"\x06output\x18\x04 \x01(\tR\x06output\x12\x1f\n" +
	"\vlate_output\x18\x05 \x01(\tR\n" +
	"lateOutput\x12\x1a\n" +
	"\bwarnings\x18\x06 \x03(\tR\bwarnings\"j\n" +
	"\x12DeployQueryRequest\x12\x12\n" +
	"\x04name\x18\x01 \x01(\tR\x04name\x12\x10\n" +
	"\x03sql\x18\x02 \x01(\tR\x03sql\x12\x18\n" +
	"\areplace\x18\x03 \x01(\bR\areplace\x12\x14\n" +
	"\x05force\x18\x04 \x01(\bR\x05force\"^\n" +
	"\x13DeployQueryResponse\x12+\n" +
	"\x05query\x18\x01 \x01(\v2\x15.braid.v1.QueryStatusR\x05query\x12\x1a\n" +
	"\bwarnings\x18\x02 \x03(\tR\bwarnings\"d\n" +
	"\fQueryVersion\x12\x18\n" +
	"\aversion\x18\x01 \x01(\x03R\aversion\x12\x10\n" +
	"\x03sql\x18\x02 \x01(\tR\x03sql\x12(\n" +
	"\x10deployed_unix_ms\x18\x03 \x01(\x03R\x0edeployedUnixMs\"\xd5\n" +
	"\n" +
	"\vQueryStatus\x12\x12\n" +
	"\x04name\x18\x01 \x01(\tR\x04name\x12\x18\n" +
	"\aversion\x18\x02 \x01(\x03R\aversion\x12\x10\n" +
	"\x03sql\x18\x03 \x01(\tR\x03sql\x12\x14\n" +
	"\x05state\x18\x04 \x01(\tR\x05state\x12\x14\n" +
	"\x05input\x18\x05 \x01(\tR\x05input\x12\x16\n" +
	"\x06output\x18\x06 \x01(\tR\x06output\x12\x1f\n" +
	"\vlate_output\x18\a \x01(\tR\n" +
	"lateOutput\x12!\n" +
	"\fstate_stream\x18\b \x01(\tR\vstateStream\x12&\n" +
	"\x0fcreated_unix_ms\x18\t \x01(\x03R\rcreatedUnixMs\x12/\n" +
	"\acolumns\x18\n" +
	" \x03(\v2\x15.braid.v1.QueryColumnR\acolumns\x122\n" +
	"\bversions\x18\v \x03(\v2\x16.braid.v1.QueryVersionR\bversions\x12\x16\n" +
	"\x06health\x18\f \x01(\tR\x06health\x12#\n" +
	"\rhealth_detail\x18\r \x01(\tR\fhealthDetail\x12\x1b\n" +
	"\tevents_in\x18\x0e \x01(\x03R\beventsIn\x12\x18\n" +
	"\amatched\x18\x0f \x01(\x03R\amatched\x12\x19\n" +
	"\bbad_json\x18\x10 \x01(\x03R\abadJson\x12\x19\n" +
	"\bbad_time\x18\x11 \x01(\x03R\abadTime\x12\x1f\n" +
	"\vtype_errors\x18\x12 \x01(\x03R\n" +
	"typeErrors\x12\x12\n" +
	"\x04late\x18\x13 \x01(\x03R\x04late\x12\x16\n" +
	"\x06future\x18\x14 \x01(\x03R\x06future\x12%\n" +
	"\x0edropped_groups\x18\x15 \x01(\x03R\rdroppedGroups\x12\x1f\n" +
	"\vresults_out\x18\x16 \x01(\x03R\n" +
	"resultsOut\x12!\n" +
	"\fopen_windows\x18\x17 \x01(\x03R\vopenWindows\x12\x1f\n" +
	"\vopen_groups\x18\x18 \x01(\x03R\n" +
	"openGroups\x12*\n" +
	"\x11watermark_unix_ms\x18\x19 \x01(\x03R\x0fwatermarkUnixMs\x122\n" +
	"\x16max_event_time_unix_ms\x18\x1a \x01(\x03R\x12maxEventTimeUnixMs\x12+\n" +
	"\x12last_event_unix_ms\x18\x1b \x01(\x03R\x0flastEventUnixMs\x12-\n" +
	"\x13last_result_unix_ms\x18\x1c \x01(\x03R\x10lastResultUnixMs\x12\x1d\n" +
	"\n" +
	"input_rate\x18\x1d \x01(\x01R\tinputRate\x12\x1f\n" +
	"\voutput_rate\x18\x1e \x01(\x01R\n" +
	"outputRate\x12\x1d\n" +
	"\n" +
	"last_error\x18\x1f \x01(\tR\tlastError\x12+\n" +
	"\x12last_error_unix_ms\x18  \x01(\x03R\x0flastErrorUnixMs\x12\x1a\n" +
	"\bposition\x18! \x01(\tR\bposition\x12 \n" +
	"\vcheckpoints\x18\" \x01(\x03R\vcheckpoints\x125\n" +
	"\x17last_checkpoint_unix_ms\x18# \x01(\x03R\x14lastCheckpointUnixMs\x12\x1a\n" +
	"\bfailures\x18$ \x01(\x03R\bfailures\x12<\n" +
	"\amissing\x18% \x03(\v2\".braid.v1.QueryStatus.MissingEntryR\amissing\x12\x1b\n" +
	"\tlag_bytes\x18& \x01(\x03R\blagBytes\x1a:\n" +
	"\fMissingEntry\x12\x10\n" +
	"\x03key\x18\x01 \x01(\tR\x03key\x12\x14\n" +
	"\x05value\x18\x02 \x01(\x03R\x05value:\x028\x01\"\x14\n" +
	"\x12ListQueriesRequest\"F\n" +
	"\x13ListQueriesResponse\x12/\n" +
	"\aqueries\x18\x01 \x03(\v2\x15.braid.v1.QueryStatusR\aqueries\"%\n" +
	"\x0fGetQueryRequest\x12\x12\n" +
	"\x04name\x18\x01 \x01(\tR\x04name\"?\n" +
	"\x10GetQueryResponse\x12+\n" +
	"\x05query\x18\x01 \x01(\v2\x15.braid.v1.QueryStatusR\x05query\"&\n" +
	"\x10StopQueryRequest\x12\x12\n" +
	"\x04name\x18\x01 \x01(\tR\x04name\"@\n" +
	"\x11StopQueryResponse\x12+\n" +
	"\x05query\x18\x01 \x01(\v2\x15.braid.v1.QueryStatusR\x05query\"'\n" +
	"\x11StartQueryRequest\x12\x12\n" +
	"\x04name\x18\x01 \x01(\tR\x04name\"A\n" +
	"\x12StartQueryResponse\x12+\n" +
	"\x05query\x18\x01 \x01(\v2\x15.braid.v1.QueryStatusR\x05query\"M\n" +
	"\x12DeleteQueryRequest\x12\x12\n" +
	"\x04name\x18\x01 \x01(\tR\x04name\x12#\n" +
	"\rdelete_output\x18\x02 \x01(\bR\fdeleteOutput\"\x15\n" +
	"\x13DeleteQueryResponse2\xab\a\n" +
	"\rStreamService\x12J\n" +
	"\vCreateScope\x12\x1c.braid.v1.CreateScopeRequest\x1a\x1d.braid.v1.CreateScopeResponse\x12G\n" +
	"\n" +
	"ListScopes\x12\x1b.braid.v1.ListScopesRequest\x1a\x1c.braid.v1.ListScopesResponse\x12J\n" +
	"\vDeleteScope\x12\x1c.braid.v1.DeleteScopeRequest\x1a\x1d.braid.v1.DeleteScopeResponse\x12M\n" +
	"\fCreateStream\x12\x1d.braid.v1.CreateStreamRequest\x1a\x1e.braid.v1.CreateStreamResponse\x12D\n" +
	"\tGetStream\x12\x1a.braid.v1.GetStreamRequest\x1a\x1b.braid.v1.GetStreamResponse\x12J\n" +
	"\vListStreams\x12\x1c.braid.v1.ListStreamsRequest\x1a\x1d.braid.v1.ListStreamsResponse\x12G\n" +
	"\n" +
	"SealStream\x12\x1b.braid.v1.SealStreamRequest\x1a\x1c.braid.v1.SealStreamResponse\x12S\n" +
	"\x0eTruncateStream\x12\x1f.braid.v1.TruncateStreamRequest\x1a .braid.v1.TruncateStreamResponse\x12M\n" +
	"\fUpdateStream\x12\x1d.braid.v1.UpdateStreamRequest\x1a\x1e.braid.v1.UpdateStreamResponse\x12M\n" +
	"\fDeleteStream\x12\x1d.braid.v1.DeleteStreamRequest\x1a\x1e.braid.v1.DeleteStreamResponse\x12J\n" +
	"\vScaleStream\x12\x1c.braid.v1.ScaleStreamRequest\x1a\x1d.braid.v1.ScaleStreamResponse\x12P\n" +
	"\rGetSuccessors\x12\x1e.braid.v1.GetSuccessorsRequest\x1a\x1f.braid.v1.GetSuccessorsResponse2\xa9\x04\n" +
	"\fGroupService\x12J\n" +
	"\vCreateGroup\x12\x1c.braid.v1.CreateGroupRequest\x1a\x1d.braid.v1.CreateGroupResponse\x12G\n" +
	"\n" +
	"ListGroups\x12\x1b.braid.v1.ListGroupsRequest\x1a\x1c.braid.v1.ListGroupsResponse\x12P\n" +
	"\rDescribeGroup\x12\x1e.braid.v1.DescribeGroupRequest\x1a\x1f.braid.v1.DescribeGroupResponse\x12G\n" +
	"\n" +
	"ResetGroup\x12\x1b.braid.v1.ResetGroupRequest\x1a\x1c.braid.v1.ResetGroupResponse\x12J\n" +
	"\vDeleteGroup\x12\x1c.braid.v1.DeleteGroupRequest\x1a\x1d.braid.v1.DeleteGroupResponse\x12G\n" +
	"\n" +
	"Checkpoint\x12\x1b.braid.v1.CheckpointRequest\x1a\x1c.braid.v1.CheckpointResponse\x12T\n" +
	"\rReaderSession\x12\x1e.braid.v1.ReaderSessionRequest\x1a\x1f.braid.v1.ReaderSessionResponse(\x010\x012\xd4\x03\n" +
	"\rExportService\x12M\n" +
	"\fCreateExport\x12\x1d.braid.v1.CreateExportRequest\x1a\x1e.braid.v1.CreateExportResponse\x12J\n" +
	"\vListExports\x12\x1c.braid.v1.ListExportsRequest\x1a\x1d.braid.v1.ListExportsResponse\x12D\n" +
	"\tGetExport\x12\x1a.braid.v1.GetExportRequest\x1a\x1b.braid.v1.GetExportResponse\x12G\n" +
	"\n" +
	"StopExport\x12\x1b.braid.v1.StopExportRequest\x1a\x1c.braid.v1.StopExportResponse\x12J\n" +
	"\vStartExport\x12\x1c.braid.v1.StartExportRequest\x1a\x1d.braid.v1.StartExportResponse\x12M\n" +
	"\fDeleteExport\x12\x1d.braid.v1.DeleteExportRequest\x1a\x1e.braid.v1.DeleteExportResponse2\x9c\x06\n" +
	"\x10EphemeralService\x12;\n" +
	"\x06Attach\x12\x17.braid.v1.AttachRequest\x1a\x18.braid.v1.AttachResponse\x12D\n" +
	"\tKeepAlive\x12\x1a.braid.v1.KeepAliveRequest\x1a\x1b.braid.v1.KeepAliveResponse\x12;\n" +
	"\x06Detach\x12\x17.braid.v1.DetachRequest\x1a\x18.braid.v1.DetachResponse\x12M\n" +
	"\fGetEphemeral\x12\x1d.braid.v1.GetEphemeralRequest\x1a\x1e.braid.v1.GetEphemeralResponse\x12P\n" +
	"\rListEphemeral\x12\x1e.braid.v1.ListEphemeralRequest\x1a\x1f.braid.v1.ListEphemeralResponse\x12P\n" +
	"\rGetCleanupLog\x12\x1e.braid.v1.GetCleanupLogRequest\x1a\x1f.braid.v1.GetCleanupLogResponse\x12M\n" +
	"\fListInactive\x12\x1d.braid.v1.ListInactiveRequest\x1a\x1e.braid.v1.ListInactiveResponse\x12V\n" +
	"\x0fCollectInactive\x12 .braid.v1.CollectInactiveRequest\x1a!.braid.v1.CollectInactiveResponse\x12S\n" +
	"\x0eSetInactiveTTL\x12\x1f.braid.v1.SetInactiveTTLRequest\x1a .braid.v1.SetInactiveTTLResponse\x12Y\n" +
	"\x10ListInactiveTTLs\x12!.braid.v1.ListInactiveTTLsRequest\x1a\".braid.v1.ListInactiveTTLsResponse2\x96\x04\n" +
	"\fQueryService\x12P\n" +
	"\rValidateQuery\x12\x1e.braid.v1.ValidateQueryRequest\x1a\x1f.braid.v1.ValidateQueryResponse\x12J\n" +
	"\vDeployQuery\x12\x1c.braid.v1.DeployQueryRequest\x1a\x1d.braid.v1.DeployQueryResponse\x12J\n" +
	"\vListQueries\x12\x1c.braid.v1.ListQueriesRequest\x1a\x1d.braid.v1.ListQueriesResponse\x12A\n" +
	"\bGetQuery\x12\x19.braid.v1.GetQueryRequest\x1a\x1a.braid.v1.GetQueryResponse\x12D\n" +
	"\tStopQuery\x12\x1a.braid.v1.StopQueryRequest\x1a\x1b.braid.v1.StopQueryResponse\x12G\n" +
	"\n" +
	"StartQuery\x12\x1b.braid.v1.StartQueryRequest\x1a\x1c.braid.v1.StartQueryResponse\x12J\n" +
	"\vDeleteQuery\x12\x1c.braid.v1.DeleteQueryRequest\x1a\x1d.braid.v1.DeleteQueryResponse2\x98\x04\n" +
	"\vDataService\x12?\n" +
	"\x06Append\x12\x17.braid.v1.AppendRequest\x1a\x18.braid.v1.AppendResponse(\x010\x01\x12L\n" +
	"\vReadSegment\x12\x1c.braid.v1.ReadSegmentRequest\x1a\x1d.braid.v1.ReadSegmentResponse0\x01\x12G\n" +
	"\n" +
	"FetchEvent\x12\x1b.braid.v1.FetchEventRequest\x1a\x1c.braid.v1.FetchEventResponse\x12M\n" +
	"\fGetStreamCut\x12\x1d.braid.v1.GetStreamCutRequest\x1a\x1e.braid.v1.GetStreamCutResponse\x12A\n" +
	"\bNoteTime\x12\x19.braid.v1.NoteTimeRequest\x1a\x1a.braid.v1.NoteTimeResponse\x12M\n" +
	"\fGetWatermark\x12\x1d.braid.v1.GetWatermarkRequest\x1a\x1e.braid.v1.GetWatermarkResponse\x12P\n" +
	"\rGetTimeWindow\x12\x1e.braid.v1.GetTimeWindowRequest\x1a\x1f.braid.v1.GetTimeWindowResponseB3Z1github.com/braidstream/braid/api/braid/v1;braidv1b\x06proto3"

var (
	file_braid_v1_braid_proto_rawDescOnce sync.Once
	file_braid_v1_braid_proto_rawDescData []byte
)

func file_braid_v1_braid_proto_rawDescGZIP() []byte {
	file_braid_v1_braid_proto_rawDescOnce.Do(func() {
		file_braid_v1_braid_proto_rawDescData = protoimpl.X.CompressGZIP(unsafe.Slice(unsafe.StringData(file_braid_v1_braid_proto_rawDesc), len(file_braid_v1_braid_proto_rawDesc)))
	})
	return file_braid_v1_braid_proto_rawDescData
}

var file_braid_v1_braid_proto_enumTypes = make([]protoimpl.EnumInfo, 2)
var file_braid_v1_braid_proto_msgTypes = make([]protoimpl.MessageInfo, 154)
var file_braid_v1_braid_proto_goTypes = []any{
	(ScalingPolicy_Kind)(0),          // 0: braid.v1.ScalingPolicy.Kind
	(GetStreamCutRequest_Which)(0),   // 1: braid.v1.GetStreamCutRequest.Which
	(*CreateScopeRequest)(nil),       // 2: braid.v1.CreateScopeRequest
	(*CreateScopeResponse)(nil),      // 3: braid.v1.CreateScopeResponse
	(*ListScopesRequest)(nil),        // 4: braid.v1.ListScopesRequest
	(*ListScopesResponse)(nil),       // 5: braid.v1.ListScopesResponse
	(*DeleteScopeRequest)(nil),       // 6: braid.v1.DeleteScopeRequest
	(*DeleteScopeResponse)(nil),      // 7: braid.v1.DeleteScopeResponse
	(*StreamConfig)(nil),             // 8: braid.v1.StreamConfig
	(*ScalingPolicy)(nil),            // 9: braid.v1.ScalingPolicy
	(*RetentionPolicy)(nil),          // 10: braid.v1.RetentionPolicy
	(*RetentionByTime)(nil),          // 11: braid.v1.RetentionByTime
	(*RetentionBySize)(nil),          // 12: braid.v1.RetentionBySize
	(*SegmentRange)(nil),             // 13: braid.v1.SegmentRange
	(*Epoch)(nil),                    // 14: braid.v1.Epoch
	(*StreamInfo)(nil),               // 15: braid.v1.StreamInfo
	(*CreateStreamRequest)(nil),      // 16: braid.v1.CreateStreamRequest
	(*CreateStreamResponse)(nil),     // 17: braid.v1.CreateStreamResponse
	(*GetStreamRequest)(nil),         // 18: braid.v1.GetStreamRequest
	(*GetStreamResponse)(nil),        // 19: braid.v1.GetStreamResponse
	(*SegmentStatus)(nil),            // 20: braid.v1.SegmentStatus
	(*ListStreamsRequest)(nil),       // 21: braid.v1.ListStreamsRequest
	(*ListStreamsResponse)(nil),      // 22: braid.v1.ListStreamsResponse
	(*SealStreamRequest)(nil),        // 23: braid.v1.SealStreamRequest
	(*SealStreamResponse)(nil),       // 24: braid.v1.SealStreamResponse
	(*TruncateStreamRequest)(nil),    // 25: braid.v1.TruncateStreamRequest
	(*TruncateStreamResponse)(nil),   // 26: braid.v1.TruncateStreamResponse
	(*UpdateStreamRequest)(nil),      // 27: braid.v1.UpdateStreamRequest
	(*UpdateStreamResponse)(nil),     // 28: braid.v1.UpdateStreamResponse
	(*DeleteStreamRequest)(nil),      // 29: braid.v1.DeleteStreamRequest
	(*DeleteStreamResponse)(nil),     // 30: braid.v1.DeleteStreamResponse
	(*ScaleStreamRequest)(nil),       // 31: braid.v1.ScaleStreamRequest
	(*KeyRange)(nil),                 // 32: braid.v1.KeyRange
	(*ScaleStreamResponse)(nil),      // 33: braid.v1.ScaleStreamResponse
	(*GetSuccessorsRequest)(nil),     // 34: braid.v1.GetSuccessorsRequest
	(*Successor)(nil),                // 35: braid.v1.Successor
	(*GetSuccessorsResponse)(nil),    // 36: braid.v1.GetSuccessorsResponse
	(*StreamCutOf)(nil),              // 37: braid.v1.StreamCutOf
	(*GroupStream)(nil),              // 38: braid.v1.GroupStream
	(*GroupConfig)(nil),              // 39: braid.v1.GroupConfig
	(*CreateGroupRequest)(nil),       // 40: braid.v1.CreateGroupRequest
	(*CreateGroupResponse)(nil),      // 41: braid.v1.CreateGroupResponse
	(*ListGroupsRequest)(nil),        // 42: braid.v1.ListGroupsRequest
	(*ListGroupsResponse)(nil),       // 43: braid.v1.ListGroupsResponse
	(*DescribeGroupRequest)(nil),     // 44: braid.v1.DescribeGroupRequest
	(*DescribeGroupResponse)(nil),    // 45: braid.v1.DescribeGroupResponse
	(*GroupInfo)(nil),                // 46: braid.v1.GroupInfo
	(*StreamTimeWindow)(nil),         // 47: braid.v1.StreamTimeWindow
	(*GroupReader)(nil),              // 48: braid.v1.GroupReader
	(*GroupSegment)(nil),             // 49: braid.v1.GroupSegment
	(*CheckpointInfo)(nil),           // 50: braid.v1.CheckpointInfo
	(*ResetGroupRequest)(nil),        // 51: braid.v1.ResetGroupRequest
	(*ResetGroupResponse)(nil),       // 52: braid.v1.ResetGroupResponse
	(*DeleteGroupRequest)(nil),       // 53: braid.v1.DeleteGroupRequest
	(*DeleteGroupResponse)(nil),      // 54: braid.v1.DeleteGroupResponse
	(*CheckpointRequest)(nil),        // 55: braid.v1.CheckpointRequest
	(*CheckpointResponse)(nil),       // 56: braid.v1.CheckpointResponse
	(*ReaderSessionRequest)(nil),     // 57: braid.v1.ReaderSessionRequest
	(*ReaderJoin)(nil),               // 58: braid.v1.ReaderJoin
	(*SegmentPosition)(nil),          // 59: braid.v1.SegmentPosition
	(*ReaderUpdate)(nil),             // 60: braid.v1.ReaderUpdate
	(*ReaderLeave)(nil),              // 61: braid.v1.ReaderLeave
	(*ReaderSessionResponse)(nil),    // 62: braid.v1.ReaderSessionResponse
	(*ReaderCommitted)(nil),          // 63: braid.v1.ReaderCommitted
	(*ReaderJoined)(nil),             // 64: braid.v1.ReaderJoined
	(*SegmentAssignment)(nil),        // 65: braid.v1.SegmentAssignment
	(*ReaderAssignment)(nil),         // 66: braid.v1.ReaderAssignment
	(*AppendRequest)(nil),            // 67: braid.v1.AppendRequest
	(*AppendSetup)(nil),              // 68: braid.v1.AppendSetup
	(*AppendOpen)(nil),               // 69: braid.v1.AppendOpen
	(*AppendBatches)(nil),            // 70: braid.v1.AppendBatches
	(*AppendClose)(nil),              // 71: braid.v1.AppendClose
	(*AppendBatch)(nil),              // 72: braid.v1.AppendBatch
	(*AppendResponse)(nil),           // 73: braid.v1.AppendResponse
	(*AppendSetupAck)(nil),           // 74: braid.v1.AppendSetupAck
	(*AppendOpened)(nil),             // 75: braid.v1.AppendOpened
	(*WriterPosition)(nil),           // 76: braid.v1.WriterPosition
	(*AppendAcks)(nil),               // 77: braid.v1.AppendAcks
	(*AppendAck)(nil),                // 78: braid.v1.AppendAck
	(*Error)(nil),                    // 79: braid.v1.Error
	(*ReadSegmentRequest)(nil),       // 80: braid.v1.ReadSegmentRequest
	(*CommitTime)(nil),               // 81: braid.v1.CommitTime
	(*ReadSegmentResponse)(nil),      // 82: braid.v1.ReadSegmentResponse
	(*FetchEventRequest)(nil),        // 83: braid.v1.FetchEventRequest
	(*FetchEventResponse)(nil),       // 84: braid.v1.FetchEventResponse
	(*GetStreamCutRequest)(nil),      // 85: braid.v1.GetStreamCutRequest
	(*SegmentOffset)(nil),            // 86: braid.v1.SegmentOffset
	(*GetStreamCutResponse)(nil),     // 87: braid.v1.GetStreamCutResponse
	(*NoteTimeRequest)(nil),          // 88: braid.v1.NoteTimeRequest
	(*NoteTimeResponse)(nil),         // 89: braid.v1.NoteTimeResponse
	(*GetWatermarkRequest)(nil),      // 90: braid.v1.GetWatermarkRequest
	(*Watermark)(nil),                // 91: braid.v1.Watermark
	(*WriterTime)(nil),               // 92: braid.v1.WriterTime
	(*GetWatermarkResponse)(nil),     // 93: braid.v1.GetWatermarkResponse
	(*GetTimeWindowRequest)(nil),     // 94: braid.v1.GetTimeWindowRequest
	(*GetTimeWindowResponse)(nil),    // 95: braid.v1.GetTimeWindowResponse
	(*ExportJob)(nil),                // 96: braid.v1.ExportJob
	(*ExportStatus)(nil),             // 97: braid.v1.ExportStatus
	(*CreateExportRequest)(nil),      // 98: braid.v1.CreateExportRequest
	(*CreateExportResponse)(nil),     // 99: braid.v1.CreateExportResponse
	(*ListExportsRequest)(nil),       // 100: braid.v1.ListExportsRequest
	(*ListExportsResponse)(nil),      // 101: braid.v1.ListExportsResponse
	(*GetExportRequest)(nil),         // 102: braid.v1.GetExportRequest
	(*GetExportResponse)(nil),        // 103: braid.v1.GetExportResponse
	(*StopExportRequest)(nil),        // 104: braid.v1.StopExportRequest
	(*StopExportResponse)(nil),       // 105: braid.v1.StopExportResponse
	(*StartExportRequest)(nil),       // 106: braid.v1.StartExportRequest
	(*StartExportResponse)(nil),      // 107: braid.v1.StartExportResponse
	(*DeleteExportRequest)(nil),      // 108: braid.v1.DeleteExportRequest
	(*DeleteExportResponse)(nil),     // 109: braid.v1.DeleteExportResponse
	(*AttachRequest)(nil),            // 110: braid.v1.AttachRequest
	(*AttachResponse)(nil),           // 111: braid.v1.AttachResponse
	(*KeepAliveRequest)(nil),         // 112: braid.v1.KeepAliveRequest
	(*KeepAliveResponse)(nil),        // 113: braid.v1.KeepAliveResponse
	(*DetachRequest)(nil),            // 114: braid.v1.DetachRequest
	(*DetachResponse)(nil),           // 115: braid.v1.DetachResponse
	(*GetEphemeralRequest)(nil),      // 116: braid.v1.GetEphemeralRequest
	(*GetEphemeralResponse)(nil),     // 117: braid.v1.GetEphemeralResponse
	(*ListEphemeralRequest)(nil),     // 118: braid.v1.ListEphemeralRequest
	(*ListEphemeralResponse)(nil),    // 119: braid.v1.ListEphemeralResponse
	(*Ephemeral)(nil),                // 120: braid.v1.Ephemeral
	(*EphemeralHolder)(nil),          // 121: braid.v1.EphemeralHolder
	(*GetCleanupLogRequest)(nil),     // 122: braid.v1.GetCleanupLogRequest
	(*GetCleanupLogResponse)(nil),    // 123: braid.v1.GetCleanupLogResponse
	(*CleanupEntry)(nil),             // 124: braid.v1.CleanupEntry
	(*ListInactiveRequest)(nil),      // 125: braid.v1.ListInactiveRequest
	(*ListInactiveResponse)(nil),     // 126: braid.v1.ListInactiveResponse
	(*InactiveStream)(nil),           // 127: braid.v1.InactiveStream
	(*CollectInactiveRequest)(nil),   // 128: braid.v1.CollectInactiveRequest
	(*CollectInactiveResponse)(nil),  // 129: braid.v1.CollectInactiveResponse
	(*SkippedStream)(nil),            // 130: braid.v1.SkippedStream
	(*SetInactiveTTLRequest)(nil),    // 131: braid.v1.SetInactiveTTLRequest
	(*SetInactiveTTLResponse)(nil),   // 132: braid.v1.SetInactiveTTLResponse
	(*ListInactiveTTLsRequest)(nil),  // 133: braid.v1.ListInactiveTTLsRequest
	(*ListInactiveTTLsResponse)(nil), // 134: braid.v1.ListInactiveTTLsResponse
	(*InactiveTTL)(nil),              // 135: braid.v1.InactiveTTL
	(*QueryProblem)(nil),             // 136: braid.v1.QueryProblem
	(*QueryColumn)(nil),              // 137: braid.v1.QueryColumn
	(*ValidateQueryRequest)(nil),     // 138: braid.v1.ValidateQueryRequest
	(*ValidateQueryResponse)(nil),    // 139: braid.v1.ValidateQueryResponse
	(*DeployQueryRequest)(nil),       // 140: braid.v1.DeployQueryRequest
	(*DeployQueryResponse)(nil),      // 141: braid.v1.DeployQueryResponse
	(*QueryVersion)(nil),             // 142: braid.v1.QueryVersion
	(*QueryStatus)(nil),              // 143: braid.v1.QueryStatus
	(*ListQueriesRequest)(nil),       // 144: braid.v1.ListQueriesRequest
	(*ListQueriesResponse)(nil),      // 145: braid.v1.ListQueriesResponse
	(*GetQueryRequest)(nil),          // 146: braid.v1.GetQueryRequest
	(*GetQueryResponse)(nil),         // 147: braid.v1.GetQueryResponse
	(*StopQueryRequest)(nil),         // 148: braid.v1.StopQueryRequest
	(*StopQueryResponse)(nil),        // 149: braid.v1.StopQueryResponse
	(*StartQueryRequest)(nil),        // 150: braid.v1.StartQueryRequest
	(*StartQueryResponse)(nil),       // 151: braid.v1.StartQueryResponse
	(*DeleteQueryRequest)(nil),       // 152: braid.v1.DeleteQueryRequest
	(*DeleteQueryResponse)(nil),      // 153: braid.v1.DeleteQueryResponse
	nil,                              // 154: braid.v1.KeepAliveResponse.ExpiresUnixMsEntry
	nil,                              // 155: braid.v1.QueryStatus.MissingEntry
}
var file_braid_v1_braid_proto_depIdxs = []int32{
	10,  // 0: braid.v1.StreamConfig.retention:type_name -> braid.v1.RetentionPolicy
	9,   // 1: braid.v1.StreamConfig.scaling:type_name -> braid.v1.ScalingPolicy
	0,   // 2: braid.v1.ScalingPolicy.kind:type_name -> braid.v1.ScalingPolicy.Kind
	11,  // 3: braid.v1.RetentionPolicy.by_time:type_name -> braid.v1.RetentionByTime
	12,  // 4: braid.v1.RetentionPolicy.by_size:type_name -> braid.v1.RetentionBySize
	13,  // 5: braid.v1.Epoch.segments:type_name -> braid.v1.SegmentRange
	8,   // 6: braid.v1.StreamInfo.config:type_name -> braid.v1.StreamConfig
	14,  // 7: braid.v1.StreamInfo.epochs:type_name -> braid.v1.Epoch
	8,   // 8: braid.v1.CreateStreamRequest.config:type_name -> braid.v1.StreamConfig
	15,  // 9: braid.v1.CreateStreamResponse.stream:type_name -> braid.v1.StreamInfo
	15,  // 10: braid.v1.GetStreamResponse.stream:type_name -> braid.v1.StreamInfo
	20,  // 11: braid.v1.GetStreamResponse.segments:type_name -> braid.v1.SegmentStatus
	13,  // 12: braid.v1.SegmentStatus.range:type_name -> braid.v1.SegmentRange
	15,  // 13: braid.v1.ListStreamsResponse.streams:type_name -> braid.v1.StreamInfo
	86,  // 14: braid.v1.TruncateStreamRequest.cut:type_name -> braid.v1.SegmentOffset
	8,   // 15: braid.v1.UpdateStreamRequest.config:type_name -> braid.v1.StreamConfig
	15,  // 16: braid.v1.UpdateStreamResponse.stream:type_name -> braid.v1.StreamInfo
	32,  // 17: braid.v1.ScaleStreamRequest.new_ranges:type_name -> braid.v1.KeyRange
	15,  // 18: braid.v1.ScaleStreamResponse.stream:type_name -> braid.v1.StreamInfo
	13,  // 19: braid.v1.Successor.segment:type_name -> braid.v1.SegmentRange
	35,  // 20: braid.v1.GetSuccessorsResponse.successors:type_name -> braid.v1.Successor
	86,  // 21: braid.v1.StreamCutOf.segments:type_name -> braid.v1.SegmentOffset
	86,  // 22: braid.v1.GroupStream.start:type_name -> braid.v1.SegmentOffset
	86,  // 23: braid.v1.GroupStream.end:type_name -> braid.v1.SegmentOffset
	38,  // 24: braid.v1.GroupConfig.streams:type_name -> braid.v1.GroupStream
	39,  // 25: braid.v1.CreateGroupRequest.config:type_name -> braid.v1.GroupConfig
	46,  // 26: braid.v1.CreateGroupResponse.group:type_name -> braid.v1.GroupInfo
	46,  // 27: braid.v1.ListGroupsResponse.groups:type_name -> braid.v1.GroupInfo
	46,  // 28: braid.v1.DescribeGroupResponse.group:type_name -> braid.v1.GroupInfo
	39,  // 29: braid.v1.GroupInfo.config:type_name -> braid.v1.GroupConfig
	48,  // 30: braid.v1.GroupInfo.readers:type_name -> braid.v1.GroupReader
	49,  // 31: braid.v1.GroupInfo.segments:type_name -> braid.v1.GroupSegment
	37,  // 32: braid.v1.GroupInfo.position:type_name -> braid.v1.StreamCutOf
	50,  // 33: braid.v1.GroupInfo.checkpoints:type_name -> braid.v1.CheckpointInfo
	47,  // 34: braid.v1.GroupInfo.time_windows:type_name -> braid.v1.StreamTimeWindow
	95,  // 35: braid.v1.StreamTimeWindow.window:type_name -> braid.v1.GetTimeWindowResponse
	13,  // 36: braid.v1.GroupSegment.range:type_name -> braid.v1.SegmentRange
	37,  // 37: braid.v1.CheckpointInfo.cuts:type_name -> braid.v1.StreamCutOf
	39,  // 38: braid.v1.ResetGroupRequest.config:type_name -> braid.v1.GroupConfig
	46,  // 39: braid.v1.ResetGroupResponse.group:type_name -> braid.v1.GroupInfo
	50,  // 40: braid.v1.CheckpointResponse.checkpoint:type_name -> braid.v1.CheckpointInfo
	58,  // 41: braid.v1.ReaderSessionRequest.join:type_name -> braid.v1.ReaderJoin
	60,  // 42: braid.v1.ReaderSessionRequest.update:type_name -> braid.v1.ReaderUpdate
	61,  // 43: braid.v1.ReaderSessionRequest.leave:type_name -> braid.v1.ReaderLeave
	59,  // 44: braid.v1.ReaderUpdate.commit:type_name -> braid.v1.SegmentPosition
	59,  // 45: braid.v1.ReaderUpdate.finished:type_name -> braid.v1.SegmentPosition
	59,  // 46: braid.v1.ReaderUpdate.released:type_name -> braid.v1.SegmentPosition
	59,  // 47: braid.v1.ReaderLeave.positions:type_name -> braid.v1.SegmentPosition
	64,  // 48: braid.v1.ReaderSessionResponse.joined:type_name -> braid.v1.ReaderJoined
	66,  // 49: braid.v1.ReaderSessionResponse.assignment:type_name -> braid.v1.ReaderAssignment
	63,  // 50: braid.v1.ReaderSessionResponse.committed:type_name -> braid.v1.ReaderCommitted
	13,  // 51: braid.v1.SegmentAssignment.range:type_name -> braid.v1.SegmentRange
	65,  // 52: braid.v1.ReaderAssignment.acquire:type_name -> braid.v1.SegmentAssignment
	59,  // 53: braid.v1.ReaderAssignment.release:type_name -> braid.v1.SegmentPosition
	68,  // 54: braid.v1.AppendRequest.setup:type_name -> braid.v1.AppendSetup
	72,  // 55: braid.v1.AppendRequest.batch:type_name -> braid.v1.AppendBatch
	69,  // 56: braid.v1.AppendRequest.open:type_name -> braid.v1.AppendOpen
	70,  // 57: braid.v1.AppendRequest.batches:type_name -> braid.v1.AppendBatches
	71,  // 58: braid.v1.AppendRequest.close:type_name -> braid.v1.AppendClose
	72,  // 59: braid.v1.AppendBatches.batches:type_name -> braid.v1.AppendBatch
	74,  // 60: braid.v1.AppendResponse.setup_ack:type_name -> braid.v1.AppendSetupAck
	78,  // 61: braid.v1.AppendResponse.ack:type_name -> braid.v1.AppendAck
	75,  // 62: braid.v1.AppendResponse.opened:type_name -> braid.v1.AppendOpened
	77,  // 63: braid.v1.AppendResponse.acks:type_name -> braid.v1.AppendAcks
	13,  // 64: braid.v1.AppendSetupAck.segments:type_name -> braid.v1.SegmentRange
	13,  // 65: braid.v1.AppendOpened.segments:type_name -> braid.v1.SegmentRange
	79,  // 66: braid.v1.AppendOpened.error:type_name -> braid.v1.Error
	76,  // 67: braid.v1.AppendOpened.positions:type_name -> braid.v1.WriterPosition
	13,  // 68: braid.v1.WriterPosition.segment:type_name -> braid.v1.SegmentRange
	78,  // 69: braid.v1.AppendAcks.acks:type_name -> braid.v1.AppendAck
	79,  // 70: braid.v1.AppendAck.error:type_name -> braid.v1.Error
	81,  // 71: braid.v1.ReadSegmentResponse.commit_times:type_name -> braid.v1.CommitTime
	1,   // 72: braid.v1.GetStreamCutRequest.which:type_name -> braid.v1.GetStreamCutRequest.Which
	86,  // 73: braid.v1.GetStreamCutResponse.segments:type_name -> braid.v1.SegmentOffset
	86,  // 74: braid.v1.NoteTimeRequest.position:type_name -> braid.v1.SegmentOffset
	86,  // 75: braid.v1.Watermark.cut:type_name -> braid.v1.SegmentOffset
	86,  // 76: braid.v1.WriterTime.position:type_name -> braid.v1.SegmentOffset
	91,  // 77: braid.v1.GetWatermarkResponse.watermark:type_name -> braid.v1.Watermark
	92,  // 78: braid.v1.GetWatermarkResponse.writers:type_name -> braid.v1.WriterTime
	86,  // 79: braid.v1.GetTimeWindowRequest.position:type_name -> braid.v1.SegmentOffset
	96,  // 80: braid.v1.ExportStatus.job:type_name -> braid.v1.ExportJob
	96,  // 81: braid.v1.CreateExportRequest.job:type_name -> braid.v1.ExportJob
	97,  // 82: braid.v1.CreateExportResponse.export:type_name -> braid.v1.ExportStatus
	97,  // 83: braid.v1.ListExportsResponse.exports:type_name -> braid.v1.ExportStatus
	97,  // 84: braid.v1.GetExportResponse.export:type_name -> braid.v1.ExportStatus
	97,  // 85: braid.v1.StopExportResponse.export:type_name -> braid.v1.ExportStatus
	97,  // 86: braid.v1.StartExportResponse.export:type_name -> braid.v1.ExportStatus
	8,   // 87: braid.v1.AttachRequest.config:type_name -> braid.v1.StreamConfig
	120, // 88: braid.v1.AttachResponse.ephemeral:type_name -> braid.v1.Ephemeral
	154, // 89: braid.v1.KeepAliveResponse.expires_unix_ms:type_name -> braid.v1.KeepAliveResponse.ExpiresUnixMsEntry
	120, // 90: braid.v1.GetEphemeralResponse.ephemeral:type_name -> braid.v1.Ephemeral
	120, // 91: braid.v1.ListEphemeralResponse.ephemeral:type_name -> braid.v1.Ephemeral
	121, // 92: braid.v1.Ephemeral.holders:type_name -> braid.v1.EphemeralHolder
	124, // 93: braid.v1.GetCleanupLogResponse.entries:type_name -> braid.v1.CleanupEntry
	127, // 94: braid.v1.ListInactiveResponse.streams:type_name -> braid.v1.InactiveStream
	130, // 95: braid.v1.CollectInactiveResponse.skipped:type_name -> braid.v1.SkippedStream
	135, // 96: braid.v1.ListInactiveTTLsResponse.policies:type_name -> braid.v1.InactiveTTL
	136, // 97: braid.v1.ValidateQueryResponse.problems:type_name -> braid.v1.QueryProblem
	137, // 98: braid.v1.ValidateQueryResponse.columns:type_name -> braid.v1.QueryColumn
	143, // 99: braid.v1.DeployQueryResponse.query:type_name -> braid.v1.QueryStatus
	137, // 100: braid.v1.QueryStatus.columns:type_name -> braid.v1.QueryColumn
	142, // 101: braid.v1.QueryStatus.versions:type_name -> braid.v1.QueryVersion
	155, // 102: braid.v1.QueryStatus.missing:type_name -> braid.v1.QueryStatus.MissingEntry
	143, // 103: braid.v1.ListQueriesResponse.queries:type_name -> braid.v1.QueryStatus
	143, // 104: braid.v1.GetQueryResponse.query:type_name -> braid.v1.QueryStatus
	143, // 105: braid.v1.StopQueryResponse.query:type_name -> braid.v1.QueryStatus
	143, // 106: braid.v1.StartQueryResponse.query:type_name -> braid.v1.QueryStatus
	2,   // 107: braid.v1.StreamService.CreateScope:input_type -> braid.v1.CreateScopeRequest
	4,   // 108: braid.v1.StreamService.ListScopes:input_type -> braid.v1.ListScopesRequest
	6,   // 109: braid.v1.StreamService.DeleteScope:input_type -> braid.v1.DeleteScopeRequest
	16,  // 110: braid.v1.StreamService.CreateStream:input_type -> braid.v1.CreateStreamRequest
	18,  // 111: braid.v1.StreamService.GetStream:input_type -> braid.v1.GetStreamRequest
	21,  // 112: braid.v1.StreamService.ListStreams:input_type -> braid.v1.ListStreamsRequest
	23,  // 113: braid.v1.StreamService.SealStream:input_type -> braid.v1.SealStreamRequest
	25,  // 114: braid.v1.StreamService.TruncateStream:input_type -> braid.v1.TruncateStreamRequest
	27,  // 115: braid.v1.StreamService.UpdateStream:input_type -> braid.v1.UpdateStreamRequest
	29,  // 116: braid.v1.StreamService.DeleteStream:input_type -> braid.v1.DeleteStreamRequest
	31,  // 117: braid.v1.StreamService.ScaleStream:input_type -> braid.v1.ScaleStreamRequest
	34,  // 118: braid.v1.StreamService.GetSuccessors:input_type -> braid.v1.GetSuccessorsRequest
	40,  // 119: braid.v1.GroupService.CreateGroup:input_type -> braid.v1.CreateGroupRequest
	42,  // 120: braid.v1.GroupService.ListGroups:input_type -> braid.v1.ListGroupsRequest
	44,  // 121: braid.v1.GroupService.DescribeGroup:input_type -> braid.v1.DescribeGroupRequest
	51,  // 122: braid.v1.GroupService.ResetGroup:input_type -> braid.v1.ResetGroupRequest
	53,  // 123: braid.v1.GroupService.DeleteGroup:input_type -> braid.v1.DeleteGroupRequest
	55,  // 124: braid.v1.GroupService.Checkpoint:input_type -> braid.v1.CheckpointRequest
	57,  // 125: braid.v1.GroupService.ReaderSession:input_type -> braid.v1.ReaderSessionRequest
	98,  // 126: braid.v1.ExportService.CreateExport:input_type -> braid.v1.CreateExportRequest
	100, // 127: braid.v1.ExportService.ListExports:input_type -> braid.v1.ListExportsRequest
	102, // 128: braid.v1.ExportService.GetExport:input_type -> braid.v1.GetExportRequest
	104, // 129: braid.v1.ExportService.StopExport:input_type -> braid.v1.StopExportRequest
	106, // 130: braid.v1.ExportService.StartExport:input_type -> braid.v1.StartExportRequest
	108, // 131: braid.v1.ExportService.DeleteExport:input_type -> braid.v1.DeleteExportRequest
	110, // 132: braid.v1.EphemeralService.Attach:input_type -> braid.v1.AttachRequest
	112, // 133: braid.v1.EphemeralService.KeepAlive:input_type -> braid.v1.KeepAliveRequest
	114, // 134: braid.v1.EphemeralService.Detach:input_type -> braid.v1.DetachRequest
	116, // 135: braid.v1.EphemeralService.GetEphemeral:input_type -> braid.v1.GetEphemeralRequest
	118, // 136: braid.v1.EphemeralService.ListEphemeral:input_type -> braid.v1.ListEphemeralRequest
	122, // 137: braid.v1.EphemeralService.GetCleanupLog:input_type -> braid.v1.GetCleanupLogRequest
	125, // 138: braid.v1.EphemeralService.ListInactive:input_type -> braid.v1.ListInactiveRequest
	128, // 139: braid.v1.EphemeralService.CollectInactive:input_type -> braid.v1.CollectInactiveRequest
	131, // 140: braid.v1.EphemeralService.SetInactiveTTL:input_type -> braid.v1.SetInactiveTTLRequest
	133, // 141: braid.v1.EphemeralService.ListInactiveTTLs:input_type -> braid.v1.ListInactiveTTLsRequest
	138, // 142: braid.v1.QueryService.ValidateQuery:input_type -> braid.v1.ValidateQueryRequest
	140, // 143: braid.v1.QueryService.DeployQuery:input_type -> braid.v1.DeployQueryRequest
	144, // 144: braid.v1.QueryService.ListQueries:input_type -> braid.v1.ListQueriesRequest
	146, // 145: braid.v1.QueryService.GetQuery:input_type -> braid.v1.GetQueryRequest
	148, // 146: braid.v1.QueryService.StopQuery:input_type -> braid.v1.StopQueryRequest
	150, // 147: braid.v1.QueryService.StartQuery:input_type -> braid.v1.StartQueryRequest
	152, // 148: braid.v1.QueryService.DeleteQuery:input_type -> braid.v1.DeleteQueryRequest
	67,  // 149: braid.v1.DataService.Append:input_type -> braid.v1.AppendRequest
	80,  // 150: braid.v1.DataService.ReadSegment:input_type -> braid.v1.ReadSegmentRequest
	83,  // 151: braid.v1.DataService.FetchEvent:input_type -> braid.v1.FetchEventRequest
	85,  // 152: braid.v1.DataService.GetStreamCut:input_type -> braid.v1.GetStreamCutRequest
	88,  // 153: braid.v1.DataService.NoteTime:input_type -> braid.v1.NoteTimeRequest
	90,  // 154: braid.v1.DataService.GetWatermark:input_type -> braid.v1.GetWatermarkRequest
	94,  // 155: braid.v1.DataService.GetTimeWindow:input_type -> braid.v1.GetTimeWindowRequest
	3,   // 156: braid.v1.StreamService.CreateScope:output_type -> braid.v1.CreateScopeResponse
	5,   // 157: braid.v1.StreamService.ListScopes:output_type -> braid.v1.ListScopesResponse
	7,   // 158: braid.v1.StreamService.DeleteScope:output_type -> braid.v1.DeleteScopeResponse
	17,  // 159: braid.v1.StreamService.CreateStream:output_type -> braid.v1.CreateStreamResponse
	19,  // 160: braid.v1.StreamService.GetStream:output_type -> braid.v1.GetStreamResponse
	22,  // 161: braid.v1.StreamService.ListStreams:output_type -> braid.v1.ListStreamsResponse
	24,  // 162: braid.v1.StreamService.SealStream:output_type -> braid.v1.SealStreamResponse
	26,  // 163: braid.v1.StreamService.TruncateStream:output_type -> braid.v1.TruncateStreamResponse
	28,  // 164: braid.v1.StreamService.UpdateStream:output_type -> braid.v1.UpdateStreamResponse
	30,  // 165: braid.v1.StreamService.DeleteStream:output_type -> braid.v1.DeleteStreamResponse
	33,  // 166: braid.v1.StreamService.ScaleStream:output_type -> braid.v1.ScaleStreamResponse
	36,  // 167: braid.v1.StreamService.GetSuccessors:output_type -> braid.v1.GetSuccessorsResponse
	41,  // 168: braid.v1.GroupService.CreateGroup:output_type -> braid.v1.CreateGroupResponse
	43,  // 169: braid.v1.GroupService.ListGroups:output_type -> braid.v1.ListGroupsResponse
	45,  // 170: braid.v1.GroupService.DescribeGroup:output_type -> braid.v1.DescribeGroupResponse
	52,  // 171: braid.v1.GroupService.ResetGroup:output_type -> braid.v1.ResetGroupResponse
	54,  // 172: braid.v1.GroupService.DeleteGroup:output_type -> braid.v1.DeleteGroupResponse
	56,  // 173: braid.v1.GroupService.Checkpoint:output_type -> braid.v1.CheckpointResponse
	62,  // 174: braid.v1.GroupService.ReaderSession:output_type -> braid.v1.ReaderSessionResponse
	99,  // 175: braid.v1.ExportService.CreateExport:output_type -> braid.v1.CreateExportResponse
	101, // 176: braid.v1.ExportService.ListExports:output_type -> braid.v1.ListExportsResponse
	103, // 177: braid.v1.ExportService.GetExport:output_type -> braid.v1.GetExportResponse
	105, // 178: braid.v1.ExportService.StopExport:output_type -> braid.v1.StopExportResponse
	107, // 179: braid.v1.ExportService.StartExport:output_type -> braid.v1.StartExportResponse
	109, // 180: braid.v1.ExportService.DeleteExport:output_type -> braid.v1.DeleteExportResponse
	111, // 181: braid.v1.EphemeralService.Attach:output_type -> braid.v1.AttachResponse
	113, // 182: braid.v1.EphemeralService.KeepAlive:output_type -> braid.v1.KeepAliveResponse
	115, // 183: braid.v1.EphemeralService.Detach:output_type -> braid.v1.DetachResponse
	117, // 184: braid.v1.EphemeralService.GetEphemeral:output_type -> braid.v1.GetEphemeralResponse
	119, // 185: braid.v1.EphemeralService.ListEphemeral:output_type -> braid.v1.ListEphemeralResponse
	123, // 186: braid.v1.EphemeralService.GetCleanupLog:output_type -> braid.v1.GetCleanupLogResponse
	126, // 187: braid.v1.EphemeralService.ListInactive:output_type -> braid.v1.ListInactiveResponse
	129, // 188: braid.v1.EphemeralService.CollectInactive:output_type -> braid.v1.CollectInactiveResponse
	132, // 189: braid.v1.EphemeralService.SetInactiveTTL:output_type -> braid.v1.SetInactiveTTLResponse
	134, // 190: braid.v1.EphemeralService.ListInactiveTTLs:output_type -> braid.v1.ListInactiveTTLsResponse
	139, // 191: braid.v1.QueryService.ValidateQuery:output_type -> braid.v1.ValidateQueryResponse
	141, // 192: braid.v1.QueryService.DeployQuery:output_type -> braid.v1.DeployQueryResponse
	145, // 193: braid.v1.QueryService.ListQueries:output_type -> braid.v1.ListQueriesResponse
	147, // 194: braid.v1.QueryService.GetQuery:output_type -> braid.v1.GetQueryResponse
	149, // 195: braid.v1.QueryService.StopQuery:output_type -> braid.v1.StopQueryResponse
	151, // 196: braid.v1.QueryService.StartQuery:output_type -> braid.v1.StartQueryResponse
	153, // 197: braid.v1.QueryService.DeleteQuery:output_type -> braid.v1.DeleteQueryResponse
	73,  // 198: braid.v1.DataService.Append:output_type -> braid.v1.AppendResponse
	82,  // 199: braid.v1.DataService.ReadSegment:output_type -> braid.v1.ReadSegmentResponse
	84,  // 200: braid.v1.DataService.FetchEvent:output_type -> braid.v1.FetchEventResponse
	87,  // 201: braid.v1.DataService.GetStreamCut:output_type -> braid.v1.GetStreamCutResponse
	89,  // 202: braid.v1.DataService.NoteTime:output_type -> braid.v1.NoteTimeResponse
	93,  // 203: braid.v1.DataService.GetWatermark:output_type -> braid.v1.GetWatermarkResponse
	95,  // 204: braid.v1.DataService.GetTimeWindow:output_type -> braid.v1.GetTimeWindowResponse
	156, // [156:205] is the sub-list for method output_type
	107, // [107:156] is the sub-list for method input_type
	107, // [107:107] is the sub-list for extension type_name
	107, // [107:107] is the sub-list for extension extendee
	0,   // [0:107] is the sub-list for field type_name
}

func init() { file_braid_v1_braid_proto_init() }
func file_braid_v1_braid_proto_init() {
	if File_braid_v1_braid_proto != nil {
		return
	}
	file_braid_v1_braid_proto_msgTypes[8].OneofWrappers = []any{
		(*RetentionPolicy_ByTime)(nil),
		(*RetentionPolicy_BySize)(nil),
	}
	file_braid_v1_braid_proto_msgTypes[55].OneofWrappers = []any{
		(*ReaderSessionRequest_Join)(nil),
		(*ReaderSessionRequest_Update)(nil),
		(*ReaderSessionRequest_Leave)(nil),
	}
	file_braid_v1_braid_proto_msgTypes[60].OneofWrappers = []any{
		(*ReaderSessionResponse_Joined)(nil),
		(*ReaderSessionResponse_Assignment)(nil),
		(*ReaderSessionResponse_Committed)(nil),
	}
	file_braid_v1_braid_proto_msgTypes[65].OneofWrappers = []any{
		(*AppendRequest_Setup)(nil),
		(*AppendRequest_Batch)(nil),
		(*AppendRequest_Open)(nil),
		(*AppendRequest_Batches)(nil),
		(*AppendRequest_Close)(nil),
	}
	file_braid_v1_braid_proto_msgTypes[71].OneofWrappers = []any{
		(*AppendResponse_SetupAck)(nil),
		(*AppendResponse_Ack)(nil),
		(*AppendResponse_Opened)(nil),
		(*AppendResponse_Acks)(nil),
	}
	type x struct{}
	out := protoimpl.TypeBuilder{
		File: protoimpl.DescBuilder{
			GoPackagePath: reflect.TypeOf(x{}).PkgPath(),
			RawDescriptor: unsafe.Slice(unsafe.StringData(file_braid_v1_braid_proto_rawDesc), len(file_braid_v1_braid_proto_rawDesc)),
			NumEnums:      2,
			NumMessages:   154,
			NumExtensions: 0,
			NumServices:   6,
		},
		GoTypes:           file_braid_v1_braid_proto_goTypes,
		DependencyIndexes: file_braid_v1_braid_proto_depIdxs,
		EnumInfos:         file_braid_v1_braid_proto_enumTypes,
		MessageInfos:      file_braid_v1_braid_proto_msgTypes,
	}.Build()
	File_braid_v1_braid_proto = out.File
	file_braid_v1_braid_proto_goTypes = nil
	file_braid_v1_braid_proto_depIdxs = nil
}
