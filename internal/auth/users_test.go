package auth

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// Hashes for the tests.
var (
	hashA = HashToken("braid_a")
	hashB = HashToken("braid_b")
)

// parseCase is a users file and what ParseUsers makes of it: the users (by
// name: admin, metrics, scopes) or an error containing err.
type parseCase struct {
	name string
	file string
	err  string // "" for a valid file
	n    int    // users, when valid
}

// parseCases are the table of TestParseUsers and the seeds of
// FuzzParseUsers.
var parseCases = []parseCase{
	{name: "empty list", file: `{"version": 1, "users": []}`, n: 0},
	{name: "no users field", file: `{"version": 1}`, n: 0},
	{name: "one user", file: `{"version": 1, "users": [{"name": "alice", "token_sha256": "` + hashA + `", "admin": false, "metrics": false, "scopes": {"demo": "write", "*": "read"}}]}`, n: 1},
	{name: "fields in any order, version last", file: `{"users": [{"scopes": {}, "name": "a.b_c-d@example.com"}], "version": 1}`, n: 1},
	{name: "two users", file: `{"version":1,"users":[{"name":"alice","token_sha256":"` + hashA + `"},{"name":"bob","token_sha256":"` + hashB + `","admin":true,"metrics":true}]}`, n: 2},
	{name: "no token", file: `{"version":1,"users":[{"name":"mtls-only"}]}`, n: 1},
	{name: "whitespace around", file: " \n{\"version\":1}\n\n", n: 0},

	{name: "empty input", file: ``, err: "unexpected end of the file"},
	{name: "not JSON", file: `version: 1`, err: "not valid JSON at byte 1"},
	{name: "array", file: `[]`, err: "want an object, got an array"},
	{name: "null", file: `null`, err: "want an object, got null"},
	{name: "truncated", file: `{"version": 1, "users": [{"name": "alice"`, err: "unexpected end of the file"},
	{name: "trailing data", file: `{"version": 1} {}`, err: "data after the end of the object"},
	{name: "trailing garbage", file: `{"version": 1} x`, err: "data after the end of the object"},
	{name: "trailing comma", file: `{"version": 1, "users": [{"name": "a"},]}`, err: "users[1]: not valid JSON at byte"},
	{name: "trailing comma in scopes", file: `{"version": 1, "users": [{"name": "a", "scopes": {"x": "read",}}]}`, err: `users[0] "a": scopes: not valid JSON at byte`},
	{name: "byte order mark", file: "\ufeff{\"version\": 1}", err: "not valid JSON at byte 1"},
	{name: "NaN", file: `{"version": NaN}`, err: "not valid JSON at byte"},
	{name: "no version", file: `{"users": []}`, err: `no version (want "version": 1)`},
	{name: "version 2", file: `{"version": 2}`, err: `version: "2" is not a version this braid reads (want 1)`},
	{name: "version 1.0", file: `{"version": 1.0}`, err: `version: "1.0" is not a version`},
	{name: "version string", file: `{"version": "1"}`, err: "version: want the number 1, got a string"},
	{name: "duplicate version", file: `{"version": 1, "version": 1}`, err: `duplicate field "version"`},
	{name: "unknown top field", file: `{"version": 1, "groups": []}`, err: `unknown field "groups" (want version and users)`},
	{name: "field in another case", file: `{"Version": 1}`, err: `unknown field "Version"`},
	{name: "users not an array", file: `{"version": 1, "users": {}}`, err: "users: want an array, got an object"},
	{name: "users null", file: `{"version": 1, "users": null}`, err: "users: want an array, got null"},
	{name: "user not an object", file: `{"version": 1, "users": ["alice"]}`, err: "users[0]: want an object, got a string"},
	{name: "user without name", file: `{"version": 1, "users": [{"admin": true}]}`, err: "users[0]: name: missing"},
	{name: "empty name", file: `{"version": 1, "users": [{"name": ""}]}`, err: "users[0]: name: empty"},
	{name: "name with space", file: `{"version": 1, "users": [{"name": "al ice"}]}`, err: `users[0]: name: "al ice": byte 0x20 not allowed (use A-Z a-z 0-9 . _ - @)`},
	{name: "name with slash", file: `{"version": 1, "users": [{"name": "a/b"}]}`, err: `name: "a/b": '/' not allowed`},
	{name: "name too long", file: `{"version": 1, "users": [{"name": "` + strings.Repeat("a", 65) + `"}]}`, err: "is longer than 64 bytes"},
	{name: "name not a string", file: `{"version": 1, "users": [{"name": 7}]}`, err: "users[0]: name: want a string, got a number"},
	{name: "duplicate name", file: `{"version": 1, "users": [{"name": "alice"}, {"name": "bob"}, {"name": "alice"}]}`, err: `users[2] "alice": name: same as users[0]'s (names are unique)`},
	{name: "unknown user field", file: `{"version": 1, "users": [{"name": "alice", "role": "admin"}]}`, err: `users[0] "alice": unknown field "role" (want name, token_sha256, admin, metrics and scopes)`},
	{name: "user field in another case", file: `{"version": 1, "users": [{"name": "alice", "Admin": true}]}`, err: `users[0] "alice": unknown field "Admin"`},
	{name: "duplicate user field", file: `{"version": 1, "users": [{"name": "alice", "admin": false, "admin": true}]}`, err: `users[0] "alice": duplicate field "admin"`},
	{name: "admin a string", file: `{"version": 1, "users": [{"name": "alice", "admin": "yes"}]}`, err: `users[0] "alice": admin: want true or false, got a string`},
	{name: "metrics null", file: `{"version": 1, "users": [{"name": "alice", "metrics": null}]}`, err: `users[0] "alice": metrics: want true or false, got null`},
	{name: "short hash", file: `{"version": 1, "users": [{"name": "alice", "token_sha256": "abc"}]}`, err: `users[0] "alice": token_sha256: want the SHA-256 of the token as 64 lowercase hex digits, got 3 bytes`},
	{name: "uppercase hash", file: `{"version": 1, "users": [{"name": "alice", "token_sha256": "` + strings.ToUpper(hashA) + `"}]}`, err: "token_sha256: want the SHA-256 of the token as 64 lowercase hex digits"},
	{name: "empty hash", file: `{"version": 1, "users": [{"name": "alice", "token_sha256": ""}]}`, err: `users[0] "alice": token_sha256: empty (leave the field out for a user without a token)`},
	{name: "token instead of hash", file: `{"version": 1, "users": [{"name": "alice", "token_sha256": "braid_SECRETSECRETSECRETSECRETSECRETSECRETSECR"}]}`, err: "this looks like a token itself"},
	{name: "hash a number", file: `{"version": 1, "users": [{"name": "alice", "token_sha256": 1}]}`, err: "token_sha256: want a string, got a number"},
	{name: "duplicate hash", file: `{"version": 1, "users": [{"name": "alice", "token_sha256": "` + hashA + `"}, {"name": "bob", "token_sha256": "` + hashA + `"}]}`, err: `users[1] "bob": token_sha256: same as users[0] "alice"'s`},
	{name: "scopes an array", file: `{"version": 1, "users": [{"name": "alice", "scopes": ["demo"]}]}`, err: `users[0] "alice": scopes: want an object, got an array`},
	{name: "scopes null", file: `{"version": 1, "users": [{"name": "alice", "scopes": null}]}`, err: `scopes: want an object, got null`},
	{name: "bad role", file: `{"version": 1, "users": [{"name": "alice", "scopes": {"demo": "owner"}}]}`, err: `users[0] "alice": scopes: "demo": unknown role "owner" (want read, write or admin)`},
	{name: "role in another case", file: `{"version": 1, "users": [{"name": "alice", "scopes": {"demo": "Read"}}]}`, err: `unknown role "Read"`},
	{name: "role none", file: `{"version": 1, "users": [{"name": "alice", "scopes": {"demo": "none"}}]}`, err: `unknown role "none"`},
	{name: "role a number", file: `{"version": 1, "users": [{"name": "alice", "scopes": {"demo": 1}}]}`, err: `scopes: "demo": want a role (read, write or admin), got a number`},
	{name: "duplicate scope", file: `{"version": 1, "users": [{"name": "alice", "scopes": {"demo": "read", "demo": "admin"}}]}`, err: `scopes: duplicate field "demo"`},
	{name: "empty scope", file: `{"version": 1, "users": [{"name": "alice", "scopes": {"": "read"}}]}`, err: `scopes: empty scope name`},
	{name: "internal scope", file: `{"version": 1, "users": [{"name": "alice", "scopes": {"_system": "read"}}]}`, err: `scope "_system": names starting with _ are internal`},
	{name: "scope with slash", file: `{"version": 1, "users": [{"name": "alice", "scopes": {"demo/events": "read"}}]}`, err: `scope "demo/events": '/' not allowed`},
	{name: "scope wildcard prefix", file: `{"version": 1, "users": [{"name": "alice", "scopes": {"demo*": "read"}}]}`, err: `scope "demo*": '*' not allowed`},
	{name: "scope dot", file: `{"version": 1, "users": [{"name": "alice", "scopes": {"..": "read"}}]}`, err: `scope ".." is not allowed`},
	{name: "scope too long", file: `{"version": 1, "users": [{"name": "alice", "scopes": {"` + strings.Repeat("s", 251) + `": "read"}}]}`, err: "is longer than 250 bytes"},
	{name: "error names the later user", file: `{"version": 1, "users": [{"name": "alice"}, {"name": "bob", "scopes": {"x": "root"}}]}`, err: `users[1] "bob": scopes: "x": unknown role "root"`},
}

func TestParseUsers(t *testing.T) {
	for _, c := range parseCases {
		t.Run(c.name, func(t *testing.T) {
			u, err := ParseUsers([]byte(c.file))
			if c.err != "" {
				if err == nil {
					t.Fatalf("no error, want one containing %q", c.err)
				}
				if !strings.Contains(err.Error(), c.err) || !strings.HasPrefix(err.Error(), "auth: users file: ") {
					t.Fatalf("error %q, want one containing %q", err, c.err)
				}
				if u != nil {
					t.Errorf("users %v with the error", u)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if u.Len() != c.n {
				t.Errorf("%d users, want %d", u.Len(), c.n)
			}
		})
	}
}

func TestParseUsersFields(t *testing.T) {
	u, err := ParseUsers([]byte(`{"version": 1, "users": [
		{"name": "alice", "token_sha256": "` + hashA + `", "admin": false, "metrics": true, "scopes": {"demo": "write", "*": "read", "ops": "admin"}},
		{"name": "bob"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	got := u.List()
	want := []User{
		{Name: "alice", TokenSHA256: hashA, Metrics: true, Scopes: map[string]Role{"demo": RoleWrite, "*": RoleRead, "ops": RoleAdmin}},
		{Name: "bob", Scopes: map[string]Role{}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("users\n%+v\nwant\n%+v", got, want)
	}
}

// TestParseUsersNoTokenInErrors: a token pasted as a hash is not quoted
// back.
func TestParseUsersNoTokenInErrors(t *testing.T) {
	tok, _, err := NewToken()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{
		`{"version": 1, "users": [{"name": "alice", "token_sha256": "` + tok + `"}]}`,
		`{"version": 1, "users": [{"name": "alice", "token_sha256": "` + tok[:20] + `"}]}`,
	} {
		_, err := ParseUsers([]byte(f))
		if err == nil || strings.Contains(err.Error(), tok[6:20]) {
			t.Errorf("error %v", err)
		}
	}
}

func TestParseUsersLimits(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"version": 1, "users": [`)
	for i := range MaxUsers + 1 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"name":"u%d"}`, i)
	}
	b.WriteString("]}")
	_, err := ParseUsers([]byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), "users: more than 10000 users") {
		t.Errorf("%d users: %v", MaxUsers+1, err)
	}
	// Exactly MaxUsers is fine.
	s := b.String()
	s = s[:strings.LastIndex(s, ",")] + "]}"
	if u, err := ParseUsers([]byte(s)); err != nil || u.Len() != MaxUsers {
		t.Errorf("%d users: %v", MaxUsers, err)
	}

	big := append([]byte(`{"version": 1, "users": []}`), bytes.Repeat([]byte(" "), MaxFileSize)...)
	if _, err := ParseUsers(big); err == nil || !strings.Contains(err.Error(), "more than the 4194304 (4 MiB) allowed") {
		t.Errorf("%d bytes: %v", len(big), err)
	}
	if _, err := ParseUsers(big[:MaxFileSize]); err != nil {
		t.Errorf("%d bytes: %v", MaxFileSize, err)
	}
	// Deep nesting where no nesting is allowed stops at the first level.
	deep := `{"version": 1, "users": [{"name": "a", "scopes": ` + strings.Repeat("[", 100000) + `}]}`
	if _, err := ParseUsers([]byte(deep)); err == nil || !strings.Contains(err.Error(), "scopes: want an object, got an array") {
		t.Errorf("deep: %v", err)
	}
}

func TestMarshal(t *testing.T) {
	var u Users
	for _, usr := range []User{
		{Name: "zed", Scopes: map[string]Role{"b": RoleRead, "a": RoleAdmin, "*": RoleWrite}},
		{Name: "alice", TokenSHA256: hashA, Admin: true},
	} {
		if err := u.Add(usr); err != nil {
			t.Fatal(err)
		}
	}
	b, err := u.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "version": 1,
  "users": [
    {
      "name": "alice",
      "token_sha256": "` + hashA + `",
      "admin": true,
      "metrics": false,
      "scopes": {}
    },
    {
      "name": "zed",
      "admin": false,
      "metrics": false,
      "scopes": {
        "*": "write",
        "a": "admin",
        "b": "read"
      }
    }
  ]
}
`
	if string(b) != want {
		t.Errorf("Marshal:\n%s\nwant\n%s", b, want)
	}
	back, err := ParseUsers(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.List(), u.List()) {
		t.Errorf("round trip:\n%+v\nwant\n%+v", back.List(), u.List())
	}
	var empty Users
	if b, err := empty.Marshal(); err != nil || string(b) != "{\n  \"version\": 1,\n  \"users\": []\n}\n" {
		t.Errorf("empty: %q, %v", b, err)
	}
}

func TestUsersEdit(t *testing.T) {
	var u Users
	if err := u.Add(User{Name: "alice", TokenSHA256: hashA, Scopes: map[string]Role{"demo": RoleRead}}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		usr User
		err string
	}{
		{User{Name: "alice"}, `auth: user "alice" already exists`},
		{User{Name: "bob", TokenSHA256: hashA}, `auth: user "bob": token_sha256 is also user "alice"'s`},
		{User{Name: "b b"}, `auth: user "b b": name: "b b": byte 0x20 not allowed`},
		{User{Name: "bob", TokenSHA256: "x"}, `auth: user "bob": token_sha256: want the SHA-256`},
		{User{Name: "bob", Scopes: map[string]Role{"_x": RoleRead}}, `auth: user "bob": scopes: scope "_x": names starting with _ are internal`},
		{User{Name: "bob", Scopes: map[string]Role{"demo": RoleNone}}, `auth: user "bob": scopes: "demo": none is not a role`},
		{User{Name: "bob", Scopes: map[string]Role{"demo": 9}}, `scopes: "demo": Role(9) is not a role`},
	} {
		if err := u.Add(c.usr); err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("Add(%+v): %v, want %q", c.usr, err, c.err)
		}
	}
	if u.Len() != 1 {
		t.Fatalf("%d users after failed adds", u.Len())
	}

	// Get and List return copies.
	a, ok := u.Get("alice")
	if !ok || a.Scopes["demo"] != RoleRead {
		t.Fatalf("Get: %+v %v", a, ok)
	}
	a.Scopes["demo"] = RoleAdmin
	u.List()[0].Scopes["x"] = RoleAdmin
	if a2, _ := u.Get("alice"); a2.Scopes["demo"] != RoleRead || len(a2.Scopes) != 1 {
		t.Errorf("changing a copy changed the user: %+v", a2)
	}
	// Add keeps its own copy too.
	scopes := map[string]Role{"ops": RoleWrite}
	if err := u.Add(User{Name: "bob", TokenSHA256: hashB, Scopes: scopes}); err != nil {
		t.Fatal(err)
	}
	scopes["ops"] = RoleAdmin
	if b, _ := u.Get("bob"); b.Scopes["ops"] != RoleWrite {
		t.Errorf("Add kept the caller's map")
	}

	if err := u.Update(User{Name: "carol"}); err == nil || err.Error() != `auth: no user "carol"` {
		t.Errorf("Update of a missing user: %v", err)
	}
	if err := u.Update(User{Name: "bob", TokenSHA256: hashA}); err == nil || !strings.Contains(err.Error(), `token_sha256 is also user "alice"'s`) {
		t.Errorf("Update to another's hash: %v", err)
	}
	if err := u.Update(User{Name: "bob", TokenSHA256: hashB, Admin: true}); err != nil {
		t.Fatal(err)
	}
	if b, _ := u.Get("bob"); !b.Admin || len(b.Scopes) != 0 {
		t.Errorf("after Update: %+v", b)
	}
	if !u.Remove("bob") || u.Remove("bob") || u.Len() != 1 {
		t.Errorf("Remove")
	}
	if _, ok := u.Get("bob"); ok {
		t.Errorf("bob after Remove")
	}
}

func TestUsersMax(t *testing.T) {
	var u Users
	for i := range MaxUsers {
		if err := u.Add(User{Name: fmt.Sprintf("u%d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := u.Add(User{Name: "one-more"}); err == nil || !strings.Contains(err.Error(), "at most 10000 users") {
		t.Errorf("Add of user %d: %v", MaxUsers+1, err)
	}
}

func TestRole(t *testing.T) {
	for _, c := range []struct {
		s    string
		r    Role
		fail bool
	}{
		{"read", RoleRead, false}, {"write", RoleWrite, false}, {"admin", RoleAdmin, false},
		{"none", RoleNone, true}, {"", RoleNone, true}, {"owner", RoleNone, true}, {"READ", RoleNone, true},
	} {
		r, err := ParseRole(c.s)
		if r != c.r || (err != nil) != c.fail {
			t.Errorf("ParseRole(%q) = %v, %v", c.s, r, err)
		}
		if err != nil && !strings.Contains(err.Error(), "(want read, write or admin)") {
			t.Errorf("ParseRole(%q): %v", c.s, err)
		}
		if err == nil && r.String() != c.s {
			t.Errorf("%v.String() = %q", r, r.String())
		}
	}
	if RoleNone.String() != "none" || Role(7).String() != "Role(7)" {
		t.Errorf("String of none and 7: %q %q", RoleNone.String(), Role(7).String())
	}
	if !(RoleNone < RoleRead && RoleRead < RoleWrite && RoleWrite < RoleAdmin) {
		t.Error("roles are not ordered")
	}
	var r Role
	if err := r.UnmarshalText([]byte("write")); err != nil || r != RoleWrite {
		t.Errorf("UnmarshalText: %v %v", r, err)
	}
	if err := r.UnmarshalText([]byte("boss")); err == nil {
		t.Errorf("UnmarshalText(boss): no error")
	}
	if _, err := RoleNone.MarshalText(); err == nil {
		t.Errorf("MarshalText(RoleNone): no error")
	}
}

func TestValidateNames(t *testing.T) {
	for name, ok := range map[string]bool{
		"alice": true, "a": true, "A.b_c-d@e": true, strings.Repeat("x", 64): true, "_leading": true,
		"": false, strings.Repeat("x", 65): false, "a b": false, "a/b": false, "a:b": false, "é": false, "a\x00": false, "*": false,
	} {
		if err := ValidateUserName(name); (err == nil) != ok {
			t.Errorf("ValidateUserName(%q) = %v", name, err)
		}
	}
	for scope, ok := range map[string]bool{
		"*": true, "demo": true, "my_app": true, "a.b-c": true, strings.Repeat("s", 250): true, "...": true,
		"": false, strings.Repeat("s", 251): false, "_x": false, ".": false, "..": false, "a@b": false, "**": false, "a b": false, "x/y": false,
	} {
		if err := ValidateScope(scope); (err == nil) != ok {
			t.Errorf("ValidateScope(%q) = %v", scope, err)
		}
	}
}

func TestSaveLoadUsers(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "users.json")
	var u Users
	if err := u.Add(User{Name: "alice", TokenSHA256: hashA, Scopes: map[string]Role{"demo": RoleWrite}}); err != nil {
		t.Fatal(err)
	}
	if err := SaveUsers(path, &u); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	back, err := LoadUsers(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.List(), u.List()) {
		t.Errorf("loaded %+v", back.List())
	}

	// Over an existing file of another mode: replaced, 0600.
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	u.Remove("alice")
	if err := SaveUsers(path, &u); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode after overwrite %v", fi.Mode().Perm())
	}
	if back, err := LoadUsers(path); err != nil || back.Len() != 0 {
		t.Errorf("after overwrite: %v, %v", back, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left in the directory: %v", entries)
	}

	// Through a symbolic link: the file it points to is replaced.
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(path, link); err != nil {
		t.Skip("no symlinks:", err)
	}
	if err := u.Add(User{Name: "bob"}); err != nil {
		t.Fatal(err)
	}
	if err := SaveUsers(link, &u); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", fi, err)
	}
	if back, err := LoadUsers(path); err != nil || back.Len() != 1 {
		t.Errorf("through the link: %v, %v", back, err)
	}
}

func TestSaveUsersFails(t *testing.T) {
	dir := t.TempDir()
	var u Users
	if err := SaveUsers(filepath.Join(dir, "missing", "users.json"), &u); err == nil {
		t.Error("save into a missing directory: no error")
	}
	// A path that is a directory: the rename fails, no temp file stays.
	sub := filepath.Join(dir, "sub")
	if err := os.MkdirAll(filepath.Join(sub, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := SaveUsers(sub, &u); err == nil {
		t.Error("save over a directory: no error")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left in the directory: %v", entries)
	}
}

func TestLoadUsersFails(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadUsers(filepath.Join(dir, "none.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"version": 1, "users": [{"name": "alice", "scopes": {"demo": "owner"}}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadUsers(bad)
	if err == nil || err.Error() != `auth: users file `+bad+`: users[0] "alice": scopes: "demo": unknown role "owner" (want read, write or admin)` {
		t.Errorf("bad file: %v", err)
	}
	big := filepath.Join(dir, "big.json")
	if err := os.WriteFile(big, bytes.Repeat([]byte(" "), MaxFileSize+1), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadUsers(big); err == nil || !strings.Contains(err.Error(), "larger than 4194304 bytes (4 MiB)") {
		t.Errorf("big file: %v", err)
	}
}
