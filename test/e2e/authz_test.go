package e2e

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/internal/auth"
	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

// methodPerms is what each gRPC method needs, for TestGRPCPermissions:
// "cluster", "admin", "write", "read" (on the request's scope), "any"
// (any user; a listing, filtered), or "byname" (a job or query named by
// name: its scope's, and only a cluster admin learns it is missing). A
// method of the API missing here fails the test: give it a rule in
// internal/grpcapi/authz.go and a line here.
var methodPerms = map[string]string{
	"StreamService/CreateScope": "cluster", "StreamService/ListScopes": "any", "StreamService/DeleteScope": "cluster",
	"StreamService/CreateStream": "admin", "StreamService/GetStream": "read", "StreamService/ListStreams": "read",
	"StreamService/SealStream": "admin", "StreamService/TruncateStream": "admin", "StreamService/UpdateStream": "admin",
	"StreamService/DeleteStream": "admin", "StreamService/ScaleStream": "admin", "StreamService/GetSuccessors": "read",
	"GroupService/CreateGroup": "admin", "GroupService/ListGroups": "read", "GroupService/DescribeGroup": "read",
	"GroupService/ResetGroup": "admin", "GroupService/DeleteGroup": "admin", "GroupService/Checkpoint": "admin",
	"GroupService/ReaderSession": "read",
	"ExportService/CreateExport": "admin", "ExportService/ListExports": "any", "ExportService/GetExport": "byname",
	"ExportService/StopExport": "byname", "ExportService/StartExport": "byname", "ExportService/DeleteExport": "byname",
	"EphemeralService/Attach": "admin", "EphemeralService/KeepAlive": "any", "EphemeralService/Detach": "any",
	"EphemeralService/GetEphemeral": "read", "EphemeralService/ListEphemeral": "any", "EphemeralService/GetCleanupLog": "cluster",
	"EphemeralService/ListInactive": "any", "EphemeralService/CollectInactive": "admin", "EphemeralService/SetInactiveTTL": "admin",
	"EphemeralService/ListInactiveTTLs": "any",
	"QueryService/ValidateQuery":        "read", "QueryService/DeployQuery": "admin", "QueryService/ListQueries": "any",
	"QueryService/GetQuery": "byname", "QueryService/StopQuery": "byname", "QueryService/StartQuery": "byname", "QueryService/DeleteQuery": "byname",
	"DataService/Append": "write", "DataService/ReadSegment": "read", "DataService/FetchEvent": "read",
	"DataService/GetStreamCut": "read", "DataService/NoteTime": "write", "DataService/GetWatermark": "read",
	"DataService/GetTimeWindow": "read",
}

// request builds a method's request about scope s1: its scope, stream,
// name and SQL fields set where it has them.
func request(md protoreflect.MethodDescriptor) proto.Message {
	m := dynamicpb.NewMessage(md.Input())
	set := func(msg *dynamicpb.Message, name, v string) {
		if f := msg.Descriptor().Fields().ByName(protoreflect.Name(name)); f != nil && f.Kind() == protoreflect.StringKind && !f.IsList() {
			msg.Set(f, protoreflect.ValueOfString(v))
		}
	}
	for _, target := range []*dynamicpb.Message{m} {
		set(target, "scope", "s1")
		set(target, "stream", "x")
		set(target, "group", "g")
		set(target, "name", "n")
		set(target, "holder_id", "h")
		set(target, "sql", "SELECT v FROM s1.x")
	}
	switch md.Input().FullName() {
	case "braid.v1.CreateExportRequest":
		job := dynamicpb.NewMessage(md.Input().Fields().ByName("job").Message())
		set(job, "scope", "s1")
		set(job, "stream", "x")
		m.Set(md.Input().Fields().ByName("job"), protoreflect.ValueOfMessage(job))
	case "braid.v1.CollectInactiveRequest":
		l := m.Mutable(md.Input().Fields().ByName("streams")).List()
		l.Append(protoreflect.ValueOfString("s1/x"))
	}
	return m
}

// streamFirst is a streaming method's first message about scope s1.
func streamFirst(method string) proto.Message {
	switch method {
	case "DataService/Append":
		return &braidv1.AppendRequest{Kind: &braidv1.AppendRequest_Open{Open: &braidv1.AppendOpen{Scope: "s1", Stream: "x", WriterId: "w"}}}
	case "GroupService/ReaderSession":
		return &braidv1.ReaderSessionRequest{Kind: &braidv1.ReaderSessionRequest_Join{Join: &braidv1.ReaderJoin{Scope: "s1", Group: "g", ReaderId: "r"}}}
	}
	return nil
}

// call makes one call of method with token and returns its status code.
func call(ctx context.Context, conn *grpc.ClientConn, md protoreflect.MethodDescriptor, method, token string) codes.Code {
	if token != "" {
		ctx = bearer(ctx, token)
	}
	full := "/" + string(md.Parent().FullName()) + "/" + string(md.Name())
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if md.IsStreamingClient() || md.IsStreamingServer() {
		desc := &grpc.StreamDesc{ServerStreams: md.IsStreamingServer(), ClientStreams: md.IsStreamingClient()}
		st, err := conn.NewStream(ctx, desc, full)
		if err != nil {
			return status.Code(err)
		}
		first := streamFirst(method)
		if first == nil {
			first = request(md)
		}
		if err := st.SendMsg(first); err != nil && !errors.Is(err, io.EOF) {
			return status.Code(err)
		} // io.EOF: the server ended the stream already; RecvMsg has its status
		if !md.IsStreamingClient() {
			st.CloseSend()
		}
		resp := dynamicpb.NewMessage(md.Output())
		return status.Code(st.RecvMsg(resp))
	}
	resp := dynamicpb.NewMessage(md.Output())
	return status.Code(conn.Invoke(ctx, full, request(md), resp))
}

// TestGRPCPermissions calls every method of every braid service as an
// anonymous caller, a user with admin on another scope, a reader of the
// scope, a writer of it, and a cluster admin, and checks who is refused.
func TestGRPCPermissions(t *testing.T) {
	ts, tokens := authServer(t,
		auth.User{Name: "root", Admin: true},
		auth.User{Name: "other", Scopes: map[string]auth.Role{"s2": auth.RoleAdmin}},
		auth.User{Name: "reader", Scopes: map[string]auth.Role{"s1": auth.RoleRead}},
		auth.User{Name: "writer", Scopes: map[string]auth.Role{"s1": auth.RoleWrite}},
		auth.User{Name: "owner", Scopes: map[string]auth.Role{"s1": auth.RoleAdmin}})
	conn := rawConn(t, ts.GRPCAddr())
	ctx := testCtx(t, 120*time.Second)

	seen := map[string]bool{}
	services := braidv1.File_braid_v1_braid_proto.Services()
	for i := range services.Len() {
		sd := services.Get(i)
		for j := range sd.Methods().Len() {
			md := sd.Methods().Get(j)
			method := string(sd.Name()) + "/" + string(md.Name())
			seen[method] = true
			want, ok := methodPerms[method]
			if !ok {
				t.Errorf("%s has no permission in methodPerms: add its rule (internal/grpcapi/authz.go) and a line here", method)
				continue
			}
			denied := func(who string) bool {
				c := call(ctx, conn, md, method, tokens[who])
				return c == codes.PermissionDenied || c == codes.Unauthenticated
			}
			if c := call(ctx, conn, md, method, ""); c != codes.Unauthenticated {
				t.Errorf("%s as anonymous: %v, want Unauthenticated", method, c)
			}
			if c := call(ctx, conn, md, method, "not-a-token"); c != codes.Unauthenticated {
				t.Errorf("%s with a bad token: %v, want Unauthenticated", method, c)
			}
			if denied("root") {
				t.Errorf("%s: the cluster admin was refused", method)
			}
			mayRead := want == "read" || want == "any"
			mayWrite := mayRead || want == "write"
			mayAdmin := mayWrite || want == "admin"
			for _, c := range []struct {
				who     string
				allowed bool
			}{
				{"other", want == "any"},
				{"reader", mayRead},
				{"writer", mayWrite},
				{"owner", mayAdmin},
			} {
				if got := !denied(c.who); got != c.allowed {
					t.Errorf("%s (%s) as %s: allowed %v, want %v", method, want, c.who, got, c.allowed)
				}
			}
		}
	}
	for m := range methodPerms {
		if !seen[m] {
			t.Errorf("methodPerms names %s, which the API does not have", m)
		}
	}
}

// TestGRPCListingsFiltered: a user sees in listings only the scopes it
// may read.
func TestGRPCListingsFiltered(t *testing.T) {
	ts, tokens := authServer(t,
		auth.User{Name: "root", Admin: true},
		auth.User{Name: "bob", Scopes: map[string]auth.Role{"b": auth.RoleRead}})
	conn := rawConn(t, ts.GRPCAddr())
	ctx := testCtx(t, 30*time.Second)
	admin := braidv1.NewStreamServiceClient(conn)
	tokRoot, tokBob := tokens["root"], tokens["bob"]
	as := func(tok string) context.Context { return bearer(ctx, tok) }
	for _, s := range []string{"a", "b", "c"} {
		if _, err := admin.CreateScope(as(tokRoot), &braidv1.CreateScopeRequest{Scope: s}); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := admin.ListScopes(as(tokBob), &braidv1.ListScopesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(resp.GetScopes(), ","); got != "b" {
		t.Fatalf("bob lists scopes %q, want only b", got)
	}
	_, err = admin.DeleteScope(as(tokBob), &braidv1.DeleteScopeRequest{Scope: "b"})
	if status.Code(err) != codes.PermissionDenied || !strings.Contains(status.Convert(err).Message(), "bob") {
		t.Fatalf("bob deletes scope b: %v, want PermissionDenied naming him", err)
	}
}

// TestGRPCCrossScope: requests whose body names another scope need its
// permission too: a group's streams, a query's late stream, the query a
// replace replaces, an output deleted with its query, an export to an S3
// endpoint of the caller's choosing.
func TestGRPCCrossScope(t *testing.T) {
	ts, tokens := authServer(t,
		auth.User{Name: "root", Admin: true},
		auth.User{Name: "owner", Scopes: map[string]auth.Role{"s1": auth.RoleAdmin}})
	conn := rawConn(t, ts.GRPCAddr())
	ctx := testCtx(t, 30*time.Second)
	tokRoot, tokOwner := tokens["root"], tokens["owner"]
	as := func(tok string) context.Context { return bearer(ctx, tok) }
	admin := braidv1.NewStreamServiceClient(conn)
	for _, s := range []string{"s1", "s2"} {
		if _, err := admin.CreateStream(as(tokRoot), &braidv1.CreateStreamRequest{Scope: s, Stream: "x", CreateScope: true}); err != nil {
			t.Fatal(err)
		}
	}
	groups := braidv1.NewGroupServiceClient(conn)
	queries := braidv1.NewQueryServiceClient(conn)
	exports := braidv1.NewExportServiceClient(conn)
	denied := func(what string, err error) {
		t.Helper()
		if status.Code(err) != codes.PermissionDenied {
			t.Errorf("%s: %v, want PermissionDenied", what, err)
		}
	}
	_, err := groups.CreateGroup(as(tokOwner), &braidv1.CreateGroupRequest{Scope: "s1", Group: "g",
		Config: &braidv1.GroupConfig{Streams: []*braidv1.GroupStream{{Stream: "s2/x"}}}})
	denied("a group of s1 over s2's stream", err)
	_, err = queries.DeployQuery(as(tokOwner), &braidv1.DeployQueryRequest{Name: "q", Sql: "SELECT v FROM s1.x WITH (late = 's2.pwned')", Force: true})
	denied("a query whose late events go to s2", err)
	if _, err := queries.DeployQuery(as(tokRoot), &braidv1.DeployQueryRequest{Name: "billing", Sql: "SELECT v FROM s2.x", Force: true}); err != nil {
		t.Fatal(err)
	}
	_, err = queries.DeployQuery(as(tokOwner), &braidv1.DeployQueryRequest{Name: "billing", Sql: "SELECT v FROM s1.x", Replace: true, Force: true})
	denied("replacing s2's query with one over s1", err)
	if _, err := queries.DeployQuery(as(tokRoot), &braidv1.DeployQueryRequest{Name: "report", Sql: "SELECT v FROM s1.x WITH (output = 's2.report')", Force: true}); err != nil {
		t.Fatal(err)
	}
	_, err = queries.DeleteQuery(as(tokOwner), &braidv1.DeleteQueryRequest{Name: "report", DeleteOutput: true})
	denied("deleting a query of s1 with its output in s2", err)
	_, err = exports.CreateExport(as(tokOwner), &braidv1.CreateExportRequest{Job: &braidv1.ExportJob{Name: "e", Scope: "s1", Stream: "x",
		Url: "s3://b/p", S3Endpoint: "http://169.254.169.254"}})
	denied("an export of s1 to an endpoint of the caller's choosing", err)
}

// authServer starts a server whose users file holds users (their tokens
// made here), and returns it with each user's token by name.
func authServer(t *testing.T, us ...auth.User) (*testServer, map[string]string) {
	t.Helper()
	path, tokens := usersFile(t, us...)
	return servertest.New(t, server.Config{AuthFile: path}), tokens
}

// usersFile writes a users file of us (their tokens made here) and
// returns its path and each user's token by name.
func usersFile(t *testing.T, us ...auth.User) (string, map[string]string) {
	t.Helper()
	users := &auth.Users{}
	tokens := map[string]string{}
	for _, u := range us {
		tok, hash, err := auth.NewToken()
		if err != nil {
			t.Fatal(err)
		}
		u.TokenSHA256 = hash
		if err := users.Add(u); err != nil {
			t.Fatal(err)
		}
		tokens[u.Name] = tok
	}
	path := filepath.Join(t.TempDir(), "users.json")
	if err := auth.SaveUsers(path, users); err != nil {
		t.Fatal(err)
	}
	return path, tokens
}

// bearer is ctx with token as the call's credentials.
func bearer(ctx context.Context, token string) context.Context {
	return metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token)
}
