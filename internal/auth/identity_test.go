package auth

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// testUsers are the users of the permission tests.
func testUsers(t testing.TB) *Users {
	t.Helper()
	var u Users
	for _, usr := range []User{
		{Name: "root", TokenSHA256: HashToken("braid_root"), Admin: true},
		{Name: "prom", TokenSHA256: HashToken("braid_prom"), Metrics: true},
		{Name: "alice", TokenSHA256: HashToken("braid_alice"), Scopes: map[string]Role{"demo": RoleWrite, "*": RoleRead}},
		{Name: "bob", TokenSHA256: HashToken("braid_bob"), Scopes: map[string]Role{"demo": RoleRead, "ops": RoleAdmin}},
		{Name: "carol", TokenSHA256: HashToken("braid_carol"), Scopes: map[string]Role{"*": RoleAdmin}},
		{Name: "nobody", TokenSHA256: HashToken("braid_nobody")},
		{Name: "mtls", Scopes: map[string]Role{"demo": RoleRead}},
	} {
		if err := u.Add(usr); err != nil {
			t.Fatal(err)
		}
	}
	return &u
}

func TestCan(t *testing.T) {
	s := StaticStore(testUsers(t))
	id := func(name string) Identity {
		if name == "" {
			return Anonymous
		}
		i, ok := s.ByName(name)
		if !ok {
			t.Fatalf("no user %s", name)
		}
		return i
	}
	// want lists who may: each case is a perm on a scope.
	for _, c := range []struct {
		p     Perm
		scope string
		want  []string
	}{
		{PermRead, "demo", []string{"root", "alice", "bob", "carol", "mtls"}},
		{PermWrite, "demo", []string{"root", "alice", "carol"}},
		{PermAdmin, "demo", []string{"root", "carol"}},
		{PermRead, "ops", []string{"root", "alice", "bob", "carol"}},
		{PermWrite, "ops", []string{"root", "bob", "carol"}},
		{PermAdmin, "ops", []string{"root", "bob", "carol"}},
		{PermRead, "other", []string{"root", "alice", "carol"}},
		{PermWrite, "other", []string{"root", "carol"}},
		{PermAdmin, "other", []string{"root", "carol"}},
		{PermRead, "*", []string{"root", "alice", "carol"}},
		{PermAdmin, "*", []string{"root", "carol"}},
		// An empty scope is no scope: nobody, not even root.
		{PermRead, "", nil},
		{PermWrite, "", nil},
		{PermAdmin, "", nil},
		// Internal scopes: the cluster admin only.
		{PermRead, "_system", []string{"root"}},
		{PermAdmin, "_system", []string{"root"}},
		{PermCluster, "", []string{"root"}},
		{PermCluster, "demo", []string{"root"}},
		{PermMetrics, "", []string{"root", "prom"}},
		{PermMetrics, "demo", []string{"root", "prom"}},
		{PermPprof, "", []string{"root"}},
		{Perm(0), "demo", nil},
		{Perm(99), "", nil},
	} {
		var got []string
		for _, name := range []string{"", "root", "prom", "alice", "bob", "carol", "nobody", "mtls"} {
			if id(name).Can(c.p, c.scope) {
				got = append(got, name)
			}
			err := id(name).Check(c.p, c.scope)
			if (err == nil) != id(name).Can(c.p, c.scope) {
				t.Errorf("%s: Check(%v, %q) = %v, Can disagrees", name, c.p, c.scope, err)
			}
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Can(%v, %q): %q, want %q", c.p, c.scope, got, c.want)
		}
	}
}

func TestVisibleScope(t *testing.T) {
	s := StaticStore(testUsers(t))
	bob, _ := s.ByName("bob")
	alice, _ := s.ByName("alice")
	nobody, _ := s.ByName("nobody")
	root, _ := s.ByName("root")
	var visible = func(id Identity) []string {
		var out []string
		for _, scope := range []string{"demo", "ops", "other", "_system", ""} {
			if id.VisibleScope(scope) {
				out = append(out, scope)
			}
		}
		return out
	}
	for _, c := range []struct {
		id   Identity
		want []string
	}{
		{bob, []string{"demo", "ops"}},
		{alice, []string{"demo", "ops", "other"}},
		{root, []string{"demo", "ops", "other", "_system"}},
		{nobody, nil},
		{Anonymous, nil},
	} {
		if got := visible(c.id); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s sees %q, want %q", c.id, got, c.want)
		}
	}
}

func TestIdentity(t *testing.T) {
	s := StaticStore(testUsers(t))
	alice, _ := s.ByName("alice")
	root, _ := s.ByName("root")
	if alice.Name != "alice" || alice.IsAnonymous() || alice.IsAdmin() || !root.IsAdmin() {
		t.Errorf("alice %+v, root %+v", alice, root)
	}
	if !Anonymous.IsAnonymous() || Anonymous.IsAdmin() || Anonymous.String() != "anonymous" || !(Identity{}).IsAnonymous() {
		t.Errorf("Anonymous %+v", Anonymous)
	}
	roles := alice.Roles()
	if !reflect.DeepEqual(roles, map[string]Role{"demo": RoleWrite, "*": RoleRead}) {
		t.Errorf("Roles %v", roles)
	}
	roles["ops"] = RoleAdmin
	if alice.Can(PermAdmin, "ops") {
		t.Error("changing Roles' map changed the identity")
	}
	if len(Anonymous.Roles()) != 0 {
		t.Error("Anonymous has roles")
	}
	for _, c := range []struct {
		scope string
		want  Role
	}{{"demo", RoleWrite}, {"ops", RoleRead}, {"*", RoleRead}, {"", RoleNone}, {"_x", RoleNone}} {
		if got := alice.Role(c.scope); got != c.want {
			t.Errorf("alice.Role(%q) = %v, want %v", c.scope, got, c.want)
		}
	}
	if root.Role("_x") != RoleAdmin || root.Role("") != RoleNone {
		t.Errorf("root's roles")
	}
	// An identity made by hand without a name is anonymous, whatever else.
	if (Identity{admin: true}).Can(PermCluster, "") {
		t.Error("a nameless admin can")
	}
	for _, c := range []struct {
		name, want string
	}{
		{"root", "admin"}, {"prom", "metrics"}, {"alice", "*=read, demo=write"},
		{"bob", "demo=read, ops=admin"}, {"nobody", "none"},
	} {
		id, _ := s.ByName(c.name)
		if got := id.RolesText(); got != c.want {
			t.Errorf("%s: RolesText %q, want %q", c.name, got, c.want)
		}
	}
	if Anonymous.RolesText() != "none" {
		t.Errorf("Anonymous: %q", Anonymous.RolesText())
	}
	for p, want := range map[Perm]string{PermRead: "read", PermWrite: "write", PermAdmin: "admin", PermCluster: "cluster",
		PermMetrics: "metrics", PermPprof: "pprof", 0: "Perm(0)", 42: "Perm(42)"} {
		if p.String() != want {
			t.Errorf("Perm %d: %q", p, p.String())
		}
	}
}

func TestDeniedError(t *testing.T) {
	var u Users
	for _, usr := range []User{
		{Name: "alice", TokenSHA256: HashToken("braid_alice_secret"), Scopes: map[string]Role{"demo": RoleRead}},
		{Name: "bob", TokenSHA256: HashToken("braid_bob_secret"), Metrics: true, Scopes: map[string]Role{"*": RoleWrite, "ops": RoleAdmin}},
	} {
		if err := u.Add(usr); err != nil {
			t.Fatal(err)
		}
	}
	s := StaticStore(&u)
	alice, err := s.Authenticate("braid_alice_secret")
	if err != nil {
		t.Fatal(err)
	}
	bob, _ := s.ByName("bob")
	long := strings.Repeat("x", 100)
	for _, c := range []struct {
		id    Identity
		p     Perm
		scope string
		want  string
	}{
		{alice, PermWrite, "demo", `alice may not write scope "demo" (roles: demo=read)`},
		{alice, PermRead, "ops", `alice may not read scope "ops" (roles: demo=read)`},
		{alice, PermAdmin, "demo", `alice may not administer scope "demo" (roles: demo=read)`},
		{alice, PermRead, "", `alice may not read without naming a scope (roles: demo=read)`},
		{alice, PermRead, "*", `alice may not read every scope (roles: demo=read)`},
		{alice, PermWrite, "_system", `alice may not write internal scope "_system" (roles: demo=read)`},
		{alice, PermCluster, "", `alice may not administer the cluster (cluster admins only) (roles: demo=read)`},
		{alice, PermMetrics, "", `alice may not read /metrics (roles: demo=read)`},
		{bob, PermPprof, "", `bob may not use /debug/pprof (cluster admins only) (roles: metrics, *=write, ops=admin)`},
		{bob, PermAdmin, "demo", `bob may not administer scope "demo" (roles: metrics, *=write, ops=admin)`},
		{bob, Perm(0), "demo", `bob may not do Perm(0) (roles: metrics, *=write, ops=admin)`},
		{Anonymous, PermRead, "demo", `anonymous may not read scope "demo" (roles: none)`},
		{alice, PermRead, long, `alice may not read scope "` + long[:64] + `"... (100 bytes) (roles: demo=read)`},
	} {
		err := c.id.Check(c.p, c.scope)
		if err == nil {
			t.Errorf("%s Check(%v, %q): nil", c.id, c.p, c.scope)
			continue
		}
		if err.Error() != c.want {
			t.Errorf("%s Check(%v, %q):\n got %s\nwant %s", c.id, c.p, c.scope, err, c.want)
		}
		if !errors.Is(err, ErrDenied) || errors.Is(err, ErrBadToken) {
			t.Errorf("%v: errors.Is ErrDenied false", err)
		}
		var de *DeniedError
		if !errors.As(fmt.Errorf("wrapped: %w", err), &de) || de.Who != c.id.Name || de.Perm != c.p || de.Scope != c.scope {
			t.Errorf("%v: as DeniedError %+v", err, de)
		}
		if strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), "braid_") {
			t.Errorf("%v holds a token", err)
		}
	}
	// Built by hand with no roles.
	if got := (&DeniedError{Who: "x", Perm: PermRead, Scope: "a"}).Error(); got != `x may not read scope "a" (roles: none)` {
		t.Errorf("%q", got)
	}
}
