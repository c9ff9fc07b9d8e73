package auth

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"
)

// FuzzParseUsers: ParseUsers never panics; what it accepts, Marshal writes
// and ParseUsers reads back to the same users, and Marshal of that is the
// same bytes.
func FuzzParseUsers(f *testing.F) {
	for _, c := range parseCases {
		f.Add([]byte(c.file))
	}
	f.Add([]byte(DocFile))
	f.Fuzz(func(t *testing.T, b []byte) {
		u, err := ParseUsers(b)
		if err != nil {
			if u != nil {
				t.Fatalf("users with error %v", err)
			}
			if !strings.HasPrefix(err.Error(), "auth: users file: ") {
				t.Fatalf("error %q", err)
			}
			return
		}
		if u.Len() > MaxUsers {
			t.Fatalf("%d users", u.Len())
		}
		out, err := u.Marshal()
		if err != nil {
			t.Fatalf("Marshal of parsed users: %v", err)
		}
		back, err := ParseUsers(out)
		if err != nil {
			t.Fatalf("ParseUsers of Marshal: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(back.List(), u.List()) {
			t.Fatalf("round trip:\n%+v\nwant\n%+v", back.List(), u.List())
		}
		again, err := back.Marshal()
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("Marshal not stable: %v\n%s\n%s", err, out, again)
		}
		// Every user's identity can what its roles say.
		s := StaticStore(u)
		for _, usr := range u.List() {
			id, ok := s.ByName(usr.Name)
			if !ok {
				t.Fatalf("no identity for %s", usr.Name)
			}
			for scope, r := range usr.Scopes {
				if !id.Can(PermRead, scope) || id.Can(PermAdmin, scope) != (r == RoleAdmin || usr.Admin) {
					t.Fatalf("%s on %s (%v): Can disagrees", usr.Name, scope, r)
				}
			}
		}
	})
}

// DocFile is the users file of the package documentation (for the
// examples, and TestDocFile keeps the two the same).
const DocFile = `{
  "version": 1,
  "users": [
    {
      "name": "alice",
      "token_sha256": "5e2bf57d3f40c4b6df69daf1936cb766f832374b4fc0259a7cbff06e2f70f269",
      "admin": false,
      "metrics": false,
      "scopes": {
        "*": "read",
        "demo": "write"
      }
    },
    {
      "name": "ops@example.com",
      "token_sha256": "0f3c7a0b2c6e2a0f5a0b0f6c2b8f1e5d4a3c2b1a0f9e8d7c6b5a493827160504",
      "admin": true,
      "metrics": true,
      "scopes": {}
    }
  ]
}
`

// TestDocFile: the example of doc.go is DocFile, and valid.
func TestDocFile(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	var indented strings.Builder
	for _, line := range strings.Split(strings.TrimSuffix(DocFile, "\n"), "\n") {
		indented.WriteString("//\t" + line + "\n")
	}
	if !strings.Contains(string(doc), indented.String()) {
		t.Errorf("doc.go does not show DocFile:\n%s", indented.String())
	}
	u, err := ParseUsers([]byte(DocFile))
	if err != nil {
		t.Fatal(err)
	}
	if b, err := u.Marshal(); err != nil || string(b) != DocFile {
		t.Errorf("Marshal of DocFile is not DocFile: %v\n%s", err, b)
	}
}
