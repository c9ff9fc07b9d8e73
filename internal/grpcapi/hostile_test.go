package grpcapi_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/mem"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/internal/grpcapi"
	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

// rawCodec sends and receives bytes as they are.
type rawCodec struct{}

func (rawCodec) Name() string { return "proto" }
func (rawCodec) Marshal(v any) (mem.BufferSlice, error) {
	return mem.BufferSlice{mem.SliceBuffer(*v.(*[]byte))}, nil
}
func (rawCodec) Unmarshal(data mem.BufferSlice, v any) error {
	*v.(*[]byte) = data.Materialize()
	return nil
}

var _ encoding.CodecV2 = rawCodec{}

func dialRaw(t *testing.T, srv *servertest.Server) *grpc.ClientConn {
	t.Helper()
	conn, err := grpc.NewClient(srv.GRPCAddr(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// Bytes that are not a protobuf message answer INVALID_ARGUMENT, on unary
// and streaming methods, not INTERNAL.
func TestInvalidProtobufIsInvalidArgument(t *testing.T) {
	srv := servertest.New(t, server.Config{})
	conn := dialRaw(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	bad := []byte{0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f} // field 1, length far past the end
	for _, method := range []string{"/braid.v1.StreamService/GetStream", "/braid.v1.DataService/FetchEvent", "/braid.v1.StreamService/CreateScope"} {
		var out []byte
		err := conn.Invoke(ctx, method, &bad, &out, grpc.ForceCodecV2(rawCodec{}))
		if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), "not valid protobuf") {
			t.Errorf("%s with invalid bytes: %v; want INVALID_ARGUMENT", method, err)
		}
	}
	for _, method := range []string{"/braid.v1.DataService/ReadSegment", "/braid.v1.DataService/Append"} {
		desc := &grpc.StreamDesc{ServerStreams: true, ClientStreams: strings.HasSuffix(method, "Append")}
		st, err := conn.NewStream(ctx, desc, method, grpc.ForceCodecV2(rawCodec{}))
		if err != nil {
			t.Fatal(err)
		}
		if err := st.SendMsg(&bad); err != nil {
			t.Fatal(err)
		}
		st.CloseSend()
		var out []byte
		err = st.RecvMsg(&out)
		if status.Code(err) != codes.InvalidArgument {
			t.Errorf("%s with invalid bytes: %v; want INVALID_ARGUMENT", method, err)
		}
	}
	// A valid request still works.
	if _, err := braidv1.NewStreamServiceClient(conn).ListScopes(ctx, &braidv1.ListScopesRequest{}); err != nil {
		t.Fatal(err)
	}
}

// A 100 KB name is quoted short in the error.
func TestLongNameErrorIsShort(t *testing.T) {
	srv := servertest.New(t, server.Config{})
	conn := dialRaw(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	long := strings.Repeat("n", 100_000)
	admin, data, groups := braidv1.NewStreamServiceClient(conn), braidv1.NewDataServiceClient(conn), braidv1.NewGroupServiceClient(conn)
	calls := map[string]func() error{
		"CreateScope": func() error { _, err := admin.CreateScope(ctx, &braidv1.CreateScopeRequest{Scope: long}); return err },
		"GetStream scope": func() error {
			_, err := admin.GetStream(ctx, &braidv1.GetStreamRequest{Scope: long, Stream: "s"})
			return err
		},
		"GetStream stream": func() error {
			_, err := admin.GetStream(ctx, &braidv1.GetStreamRequest{Scope: "s", Stream: long})
			return err
		},
		"CreateStream": func() error {
			_, err := admin.CreateStream(ctx, &braidv1.CreateStreamRequest{Scope: "s", Stream: long + "/x", CreateScope: true})
			return err
		},
		"FetchEvent": func() error {
			_, err := data.FetchEvent(ctx, &braidv1.FetchEventRequest{Scope: long, Stream: "s", Length: 9})
			return err
		},
		"GetStreamCut": func() error {
			_, err := data.GetStreamCut(ctx, &braidv1.GetStreamCutRequest{Scope: "s", Stream: long})
			return err
		},
		"CreateGroup": func() error {
			_, err := groups.CreateGroup(ctx, &braidv1.CreateGroupRequest{Scope: "s", Group: long})
			return err
		},
	}
	for name, call := range calls {
		err := call()
		if status.Code(err) != codes.InvalidArgument {
			t.Errorf("%s: %v; want INVALID_ARGUMENT", name, err)
			continue
		}
		if msg := status.Convert(err).Message(); len(msg) > 300 || !strings.Contains(msg, "(100000 bytes)") && !strings.Contains(msg, "(100002 bytes)") {
			t.Errorf("%s: the error quotes %d bytes: %.300s", name, len(msg), msg)
		}
	}
}

// The codec's hand-made ReadSegmentResponse encoding is proto.Marshal's.
func TestServerCodecReadResponse(t *testing.T) {
	c := grpcapi.NewServerCodec()
	for _, r := range []*braidv1.ReadSegmentResponse{
		{Events: []byte("x")},
		{Offset: 1 << 40, Events: make([]byte, 300), Tail: 1<<40 + 300, EndOfSegment: true},
		{Offset: 5, Events: []byte("abc"), Tail: 9},
		{Offset: 7, EndOfSegment: true},
	} {
		got, err := c.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		want, err := proto.MarshalOptions{Deterministic: true}.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if string(got.Materialize()) != string(want) {
			t.Errorf("%v: codec wrote %x, proto.Marshal %x", r, got.Materialize(), want)
		}
		var back braidv1.ReadSegmentResponse
		if err := c.Unmarshal(got, &back); err != nil || !proto.Equal(&back, r) {
			t.Errorf("%v: decoded back as %v (%v)", r, &back, err)
		}
	}
}
