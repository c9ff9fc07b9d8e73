package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// usersFile is the part of a users file the test looks at.
type usersFile struct {
	Version int `json:"version"`
	Users   []struct {
		Name        string            `json:"name"`
		TokenSHA256 string            `json:"token_sha256"`
		Admin       bool              `json:"admin"`
		Metrics     bool              `json:"metrics"`
		Scopes      map[string]string `json:"scopes"`
	} `json:"users"`
}

func readUsersFile(t *testing.T, path string) usersFile {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f usersFile
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("users file: %v\n%s", err, b)
	}
	return f
}

// hashOf returns the token hash of the user name in the file ("" if none).
func (f usersFile) hashOf(name string) string {
	for _, u := range f.Users {
		if u.Name == name {
			return u.TokenSHA256
		}
	}
	return ""
}

// TestAuthUsersFile: braid auth manages a users file as a user does it:
// add-user makes the file and prints the token once, list shows names and
// roles but no hash, token gives a new token (a new hash), revoke removes
// the user; a duplicate name and a role that is none exit with a message.
func TestAuthUsersFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "users.json")
	env := []string{"BRAID_USERS_FILE=" + path}

	res := braidEnv(t, env, "", "auth", "add-user", "alice", "--role", "demo=write", "--role", "*=read")
	if res.code != 0 {
		t.Fatalf("add-user alice: exit %d\n%s", res.code, res.stderr)
	}
	token := strings.TrimSpace(res.stdout)
	if !strings.HasPrefix(token, "braid_") || len(token) != 49 || strings.Contains(res.stderr, token) {
		t.Fatalf("add-user alice: stdout %q, stderr %q", res.stdout, res.stderr)
	}
	if !strings.Contains(res.stderr, "shown only this once") || !strings.Contains(res.stderr, "BRAID_TOKEN") {
		t.Errorf("add-user alice: stderr %q", res.stderr)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("users file: %v %v", fi, err)
	}
	if res := braid(t, "", "auth", "add-user", "ops", "--admin", "--file", path); res.code != 0 {
		t.Fatalf("add-user ops: exit %d\n%s", res.code, res.stderr)
	}
	f := readUsersFile(t, path)
	hash := f.hashOf("alice")
	if f.Version != 1 || len(f.Users) != 2 || len(hash) != 64 || !f.Users[1].Admin || f.Users[0].Scopes["demo"] != "write" {
		t.Fatalf("users file: %+v", f)
	}

	res = braidEnv(t, env, "", "auth", "list")
	if res.code != 0 || res.stdout != "NAME   ADMIN  METRICS  TOKEN  ROLES\nalice  no     no       yes    *=read, demo=write\nops    yes    no       yes    -\n" {
		t.Errorf("list: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	res = braidEnv(t, env, "", "auth", "list", "-o", "json")
	if res.code != 0 || strings.Contains(res.stdout, hash) || !strings.Contains(res.stdout, `"name": "alice"`) {
		t.Errorf("list -o json: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}

	// A new token: another token, another hash; the roles stay.
	res = braidEnv(t, env, "", "auth", "token", "alice")
	newToken := strings.TrimSpace(res.stdout)
	if res.code != 0 || !strings.HasPrefix(newToken, "braid_") || newToken == token {
		t.Fatalf("token alice: exit %d, stdout %q\n%s", res.code, res.stdout, res.stderr)
	}
	f = readUsersFile(t, path)
	if h := f.hashOf("alice"); h == hash || len(h) != 64 || f.Users[0].Scopes["demo"] != "write" {
		t.Errorf("after token: hash %q (was %q), %+v", h, hash, f.Users[0])
	}

	// Completion offers the file's users.
	res = braid(t, "", "__complete", "auth", "revoke", "--file", path, "a")
	if got := completions(res.stdout); res.code != 0 || strings.Join(got, ",") != "alice" {
		t.Errorf("complete revoke a: %q\n%s", got, res.stderr)
	}

	// Errors: nothing changes.
	before, _ := os.ReadFile(path)
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"auth", "add-user", "alice"}, 1, `user "alice" already exists in ` + path},
		{[]string{"auth", "add-user", "bob", "--role", "demo=owner"}, 2, `invalid --role "demo=owner": unknown role "owner" (want read, write or admin)`},
		{[]string{"auth", "revoke", "bob"}, 1, `no user "bob" in ` + path},
		{[]string{"auth", "list", "--file", filepath.Join(dir, "none.json")}, 1, "does not exist"},
	} {
		res := braidEnv(t, env, "", c.args...)
		if res.code != c.code || !strings.HasPrefix(res.stderr, "braid: ") || !strings.Contains(res.stderr, c.want) || res.stdout != "" {
			t.Errorf("%s: exit %d\n%s%s\nwant exit %d and %q", strings.Join(c.args, " "), res.code, res.stdout, res.stderr, c.code, c.want)
		}
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Errorf("a failed command changed the file:\n%s", after)
	}

	// Revoke, stdin not a terminal: no question.
	res = braidEnv(t, env, "n\n", "auth", "revoke", "alice")
	if res.code != 0 || res.stdout != "revoked user alice\n" {
		t.Errorf("revoke alice: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	if f := readUsersFile(t, path); len(f.Users) != 1 || f.Users[0].Name != "ops" {
		t.Errorf("after revoke: %+v", f)
	}
	if help := braid(t, "", "auth", "revoke", "--help"); !strings.Contains(help.stdout, "-y, --yes") {
		t.Errorf("revoke --help:\n%s", help.stdout)
	}
}
