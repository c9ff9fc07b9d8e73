package cli

import (
	"encoding/json"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/braidstream/braid/internal/auth"
)

// authenticates reports the name of the user of token in the users file
// at path, as a server would find it ("" for none).
func authenticates(t *testing.T, path, token string) string {
	t.Helper()
	u, err := auth.LoadUsers(path)
	if err != nil {
		t.Fatal(err)
	}
	id, err := auth.StaticStore(u).Authenticate(token)
	if err != nil {
		return ""
	}
	return id.Name
}

func TestAuthCommands(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.json")
	file := "--file=" + path

	r := run(t, "", "auth", "add-user", "alice", "--role", "demo=write", "--role", "*=read", file)
	if r.code != 0 {
		t.Fatalf("add-user: exit %d\n%s", r.code, r.stderr)
	}
	alice := strings.TrimSuffix(r.stdout, "\n")
	if !strings.HasPrefix(alice, "braid_") || strings.Count(r.stdout, "\n") != 1 {
		t.Fatalf("add-user printed %q, want the token", r.stdout)
	}
	for _, want := range []string{"created " + path + " with user alice", "shown only this once", "--token", "$BRAID_TOKEN", "Authorization: Bearer <token>"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("add-user stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stderr, alice) {
		t.Errorf("the token is on stderr too")
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("users file: %v, %v", fi, err)
	}
	b, _ := os.ReadFile(path)
	if strings.Contains(string(b), alice) || !strings.Contains(string(b), auth.HashToken(alice)) {
		t.Errorf("the file holds the token, or not its hash:\n%s", b)
	}
	if got := authenticates(t, path, alice); got != "alice" {
		t.Errorf("alice's token is %q's", got)
	}

	r = run(t, "", "auth", "add-user", "ops", "--admin", "--metrics", file)
	if r.code != 0 || !strings.Contains(r.stderr, "added user ops to "+path) {
		t.Fatalf("add-user ops: exit %d\n%s", r.code, r.stderr)
	}

	if out := ok(t, "", "auth", "list", file); out != `NAME   ADMIN  METRICS  TOKEN  ROLES
alice  no     no       yes    *=read, demo=write
ops    yes    yes      yes    -
` {
		t.Errorf("list:\n%s", out)
	}
	var list []authUserJSON
	out := ok(t, "", "auth", "list", "-o", "json", file)
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Name != "alice" || !maps.Equal(list[0].Scopes, map[string]string{"*": "read", "demo": "write"}) ||
		!list[0].HasToken || list[0].Admin || !list[1].Admin || !list[1].Metrics || list[1].Scopes == nil {
		t.Errorf("list -o json: %+v", list)
	}
	if strings.Contains(out, auth.HashToken(alice)) || strings.Contains(out, "sha256") {
		t.Errorf("list -o json shows the hash:\n%s", out)
	}

	// A new token: the old one no longer works.
	r = run(t, "", "auth", "token", "alice", file)
	if r.code != 0 || !strings.Contains(r.stderr, "new token for user alice") {
		t.Fatalf("token: exit %d\n%s", r.code, r.stderr)
	}
	alice2 := strings.TrimSuffix(r.stdout, "\n")
	if alice2 == alice || !strings.HasPrefix(alice2, "braid_") {
		t.Fatalf("new token %q", alice2)
	}
	if authenticates(t, path, alice) != "" || authenticates(t, path, alice2) != "alice" {
		t.Errorf("after token: old %q, new %q", authenticates(t, path, alice), authenticates(t, path, alice2))
	}

	// Grant.
	if out := ok(t, "", "auth", "grant", "alice", "--role", "demo=admin", "--role", "*=none", "--metrics", file); out != "user alice: metrics, demo=admin\n" {
		t.Errorf("grant: %q", out)
	}
	if out := ok(t, "", "auth", "grant", "ops", "--admin=false", file); out != "user ops: metrics\n" {
		t.Errorf("grant --admin=false: %q", out)
	}
	u, err := auth.LoadUsers(path)
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := u.Get("alice"); !a.Metrics || a.Admin || !maps.Equal(a.Scopes, map[string]auth.Role{"demo": auth.RoleAdmin}) || a.TokenSHA256 != auth.HashToken(alice2) {
		t.Errorf("alice after grant: %+v", a)
	}

	// Revoke (stdin is no terminal: no question).
	if out := ok(t, "n\n", "auth", "revoke", "alice", file); out != "revoked user alice\n" {
		t.Errorf("revoke: %q", out)
	}
	if authenticates(t, path, alice2) != "" {
		t.Errorf("alice's token works after revoke")
	}
	if out := ok(t, "", "auth", "list", file); strings.Contains(out, "alice") {
		t.Errorf("list after revoke:\n%s", out)
	}
	ok(t, "", "auth", "revoke", "ops", "--yes", file)
	if out := ok(t, "", "auth", "list", "-o", "json", file); out != "[]\n" {
		t.Errorf("list of no users: %q", out)
	}
}

// TestAuthErrors: wrong command lines exit 2, operations that cannot be
// done exit 1; either way nothing is printed on stdout and the file stays
// as it was.
func TestAuthErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "users.json")
	file := "--file=" + path
	if r := run(t, "", "auth", "add-user", "alice", "--role", "demo=read", file); r.code != 0 {
		t.Fatalf("add-user: %s", r.stderr)
	}
	before, _ := os.ReadFile(path)
	none := "--file=" + filepath.Join(dir, "none.json")
	bad := filepath.Join(dir, "bad.json")
	badFile := []byte(`{"version": 1, "users": [{"name": "x", "scopes": {"demo": "owner"}}]}`)
	if err := os.WriteFile(bad, badFile, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"add-user", "alice", file}, 1, `user "alice" already exists in ` + path},
		{[]string{"add-user", "bob", "--role", "demo=owner", file}, 2, `invalid --role "demo=owner": unknown role "owner" (want read, write or admin)`},
		{[]string{"add-user", "bob", "--role", "demo=none", file}, 2, `unknown role "none" (want read, write or admin)`},
		{[]string{"add-user", "bob", "--role", "demo", file}, 2, `invalid --role "demo": want SCOPE=ROLE`},
		{[]string{"add-user", "bob", "--role", "_x=read", file}, 2, `invalid --role "_x=read": scope "_x": names starting with _ are internal`},
		{[]string{"add-user", "bob", "--role", "a/b=read", file}, 2, `scope "a/b": '/' not allowed`},
		{[]string{"add-user", "bob", "--role", "demo=read", "--role", "demo=write", file}, 2, "scope demo has a role already"},
		{[]string{"add-user", "b b", file}, 2, `invalid user name: "b b": byte 0x20 not allowed (use A-Z a-z 0-9 . _ - @)`},
		{[]string{"add-user", file}, 2, "braid auth add-user: missing NAME"},
		{[]string{"add-user", "a", "b", file}, 2, `unexpected argument "b"`},
		{[]string{"add-user", "bob", "--file=" + bad}, 1, "users file " + bad + `: users[0] "x": scopes: "demo": unknown role "owner"`},
		{[]string{"add-user", "bob", "--file=" + filepath.Join(dir, "no", "dir.json")}, 1, "write users file"},
		{[]string{"token", "bob", file}, 1, `no user "bob" in ` + path},
		{[]string{"token", "alice", none}, 1, "does not exist (braid auth add-user creates it"},
		{[]string{"token", "-x", file}, 2, "unknown shorthand flag"},
		{[]string{"grant", "alice", file}, 2, "braid auth grant: nothing to change: give --role, --admin or --metrics"},
		{[]string{"grant", "alice", "--role", "demo=owner", file}, 2, `unknown role "owner" (want read, write, admin or none)`},
		{[]string{"grant", "bob", "--admin", file}, 1, `no user "bob"`},
		{[]string{"revoke", "bob", file}, 1, `no user "bob" in ` + path},
		{[]string{"revoke", "alice", none}, 1, "does not exist"},
		{[]string{"list", none}, 1, "users file " + filepath.Join(dir, "none.json") + " does not exist"},
		{[]string{"list", "--file=" + bad}, 1, `unknown role "owner" (want read, write or admin)`},
		{[]string{"list", "-o", "yaml", file}, 2, `invalid --output "yaml": want table or json`},
		{[]string{"list", "x", file}, 2, `unexpected argument "x"`},
		{[]string{}, 2, "braid auth needs a command: add-user, grant, list, revoke, token"},
		{[]string{"frob"}, 2, `unknown command "frob" for "braid auth"`},
	} {
		r := run(t, "", append([]string{"auth"}, c.args...)...)
		if r.code != c.code || !strings.Contains(r.stderr, c.want) || r.stdout != "" {
			t.Errorf("auth %s: exit %d, stdout %q, stderr:\n%s\nwant exit %d and %q", strings.Join(c.args, " "), r.code, r.stdout, r.stderr, c.code, c.want)
		}
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Errorf("the file changed:\n%s", after)
	}
	if after, _ := os.ReadFile(bad); string(after) != string(badFile) {
		t.Errorf("the bad file changed:\n%s", after)
	}
	if _, err := os.Stat(filepath.Join(dir, "none.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("none.json was made: %v", err)
	}
}

// TestAuthFileDefault: --file defaults to $BRAID_USERS_FILE, or else
// ./braid-users.json.
func TestAuthFileDefault(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv("BRAID_USERS_FILE", "")
	if r := run(t, "", "auth", "add-user", "alice"); r.code != 0 {
		t.Fatalf("add-user: %s", r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "braid-users.json")); err != nil {
		t.Errorf("no ./braid-users.json: %v", err)
	}
	other := filepath.Join(dir, "other.json")
	t.Setenv("BRAID_USERS_FILE", other)
	if r := run(t, "", "auth", "add-user", "bob"); r.code != 0 || !strings.Contains(r.stderr, "created "+other) {
		t.Fatalf("add-user with $BRAID_USERS_FILE: %s", r.stderr)
	}
	if out := ok(t, "", "auth", "list"); !strings.Contains(out, "bob") || strings.Contains(out, "alice") {
		t.Errorf("list with $BRAID_USERS_FILE:\n%s", out)
	}
	if out := ok(t, "", "auth", "list", "--file", "braid-users.json"); !strings.Contains(out, "alice") {
		t.Errorf("list --file:\n%s", out)
	}
}

func TestParseRoleFlags(t *testing.T) {
	for _, c := range []struct {
		values []string
		none   bool
		want   map[string]auth.Role
		err    string
	}{
		{nil, false, map[string]auth.Role{}, ""},
		{[]string{"demo=read", "*=write", "ops=admin"}, false, map[string]auth.Role{"demo": auth.RoleRead, "*": auth.RoleWrite, "ops": auth.RoleAdmin}, ""},
		{[]string{"demo=none"}, true, map[string]auth.Role{"demo": auth.RoleNone}, ""},
		{[]string{"demo=none"}, false, nil, `invalid --role "demo=none": unknown role "none" (want read, write or admin)`},
		{[]string{"demo=owner"}, true, nil, `invalid --role "demo=owner": unknown role "owner" (want read, write, admin or none)`},
		{[]string{"demo=Read"}, false, nil, `unknown role "Read"`},
		{[]string{"demo"}, false, nil, `invalid --role "demo": want SCOPE=ROLE, e.g. demo=write or "*=read" (roles: read, write or admin)`},
		{[]string{"=read"}, false, nil, `invalid --role "=read": empty scope name`},
		{[]string{"demo=read=x"}, false, nil, `unknown role "read=x"`},
		{[]string{"demo=read", "demo=read"}, false, nil, "scope demo has a role already"},
	} {
		got, err := parseRoleFlags(c.values, c.none)
		if c.err != "" {
			var ue *usageError
			if err == nil || !strings.Contains(err.Error(), c.err) || !errors.As(err, &ue) {
				t.Errorf("parseRoleFlags(%q): %v, want usage error %q", c.values, err, c.err)
			}
			continue
		}
		if err != nil || !maps.Equal(got, c.want) {
			t.Errorf("parseRoleFlags(%q) = %v, %v; want %v", c.values, got, err, c.want)
		}
	}
}
