package auth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Limits of the users file.
const (
	// MaxFileSize is the largest users file, in bytes.
	MaxFileSize = 4 << 20
	// MaxUsers is the most users a file holds.
	MaxUsers = 10000
	// MaxNameLen is the longest user name, in bytes.
	MaxNameLen = 64
	// MaxScopeLen is the longest scope name, in bytes.
	MaxScopeLen = 250
)

// AllScopes is the scope that stands for every scope in a user's roles.
const AllScopes = "*"

// fileVersion is the only version of the file format.
const fileVersion = 1

// Role is what a user may do in a scope. Roles are ordered: each includes
// the ones before it.
type Role uint8

// The roles, weakest first. RoleNone is no role (not allowed in a file).
const (
	RoleNone  Role = iota
	RoleRead       // read the scope's streams
	RoleWrite      // read, and write to its streams
	RoleAdmin      // write, and administer the scope's streams, groups, exports, queries, leases
)

// roleNames is the name of each role in the file.
var roleNames = [...]string{RoleNone: "none", RoleRead: "read", RoleWrite: "write", RoleAdmin: "admin"}

// String returns the role's name: read, write, admin (or none).
func (r Role) String() string {
	if int(r) < len(roleNames) {
		return roleNames[r]
	}
	return fmt.Sprintf("Role(%d)", r)
}

// ParseRole parses a role's name: read, write or admin. The error names the
// roles there are.
func ParseRole(s string) (Role, error) {
	switch s {
	case "read":
		return RoleRead, nil
	case "write":
		return RoleWrite, nil
	case "admin":
		return RoleAdmin, nil
	}
	return RoleNone, fmt.Errorf("unknown role %s (want read, write or admin)", quote(s))
}

// MarshalText returns the role's name; RoleNone and unknown values are an
// error.
func (r Role) MarshalText() ([]byte, error) {
	if r < RoleRead || r > RoleAdmin {
		return nil, fmt.Errorf("auth: cannot marshal %s", r)
	}
	return []byte(r.String()), nil
}

// UnmarshalText parses a role's name (see ParseRole).
func (r *Role) UnmarshalText(b []byte) error {
	v, err := ParseRole(string(b))
	if err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	*r = v
	return nil
}

// User is one user of the file.
type User struct {
	// Name is 1 to 64 bytes of A-Z a-z 0-9 . _ - @.
	Name string
	// TokenSHA256 is HashToken of the user's token: 64 lowercase hex
	// digits, or "" for a user without a token (authenticated by a
	// client certificate only).
	TokenSHA256 string
	// Admin makes the user a cluster admin.
	Admin bool
	// Metrics lets the user read /metrics.
	Metrics bool
	// Scopes is the user's role in each scope; AllScopes ("*") is every
	// scope.
	Scopes map[string]Role
}

// Validate checks the user's fields; the error names the field.
func (u User) Validate() error {
	if err := ValidateUserName(u.Name); err != nil {
		return fmt.Errorf("name: %w", err)
	}
	if u.TokenSHA256 != "" {
		if err := checkHash(u.TokenSHA256); err != nil {
			return fmt.Errorf("token_sha256: %w", err)
		}
	}
	for _, scope := range slices.Sorted(maps.Keys(u.Scopes)) {
		if err := ValidateScope(scope); err != nil {
			return fmt.Errorf("scopes: %w", err)
		}
		if r := u.Scopes[scope]; r < RoleRead || r > RoleAdmin {
			return fmt.Errorf("scopes: %s: %s is not a role (want read, write or admin)", quote(scope), r)
		}
	}
	return nil
}

// RolesText describes what u may do, as Identity.RolesText: "admin",
// "metrics" and the scopes' roles ("*=read, demo=write"), separated by
// commas; "none" when it is nothing.
func (u User) RolesText() string { return rolesText(u.Admin, u.Metrics, u.Scopes) }

// clone returns u with its own copy of Scopes (never nil).
func (u User) clone() User {
	s := make(map[string]Role, len(u.Scopes))
	maps.Copy(s, u.Scopes)
	u.Scopes = s
	return u
}

// ValidateUserName checks a user name: 1 to 64 bytes of A-Z a-z 0-9 . _ -
// @.
func ValidateUserName(name string) error {
	switch {
	case name == "":
		return errors.New("empty (want 1 to 64 bytes of A-Z a-z 0-9 . _ - @)")
	case len(name) > MaxNameLen:
		return fmt.Errorf("%s is longer than %d bytes", quote(name), MaxNameLen)
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !isNameChar(c) && c != '@' {
			return fmt.Errorf("%s: %s not allowed (use A-Z a-z 0-9 . _ - @)", quote(name), charText(c))
		}
	}
	return nil
}

// ValidateScope checks a scope of a user's roles: AllScopes ("*"), or a
// scope name: 1 to 250 bytes of A-Z a-z 0-9 . _ -, not starting with _
// (those are internal) and not "." or "..", as the server's scope names.
func ValidateScope(scope string) error {
	switch {
	case scope == AllScopes:
		return nil
	case scope == "":
		return errors.New(`empty scope name (want a scope name or "*")`)
	case len(scope) > MaxScopeLen:
		return fmt.Errorf("scope %s is longer than %d bytes", quote(scope), MaxScopeLen)
	case scope == "." || scope == "..":
		return fmt.Errorf("scope %s is not allowed", quote(scope))
	case scope[0] == '_':
		return fmt.Errorf("scope %s: names starting with _ are internal (no role reaches them)", quote(scope))
	}
	for i := 0; i < len(scope); i++ {
		if c := scope[i]; !isNameChar(c) {
			return fmt.Errorf("scope %s: %s not allowed (use A-Z a-z 0-9 . _ -, or \"*\" for every scope)", quote(scope), charText(c))
		}
	}
	return nil
}

func isNameChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-'
}

// charText names a byte of a bad name.
func charText(c byte) string {
	if c >= 0x21 && c < 0x7f {
		return fmt.Sprintf("%q", rune(c))
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

// checkHash checks a token hash: 64 lowercase hex digits. The value is
// never quoted: it might be a token pasted in the wrong place.
func checkHash(h string) error {
	ok := len(h) == 64
	for i := 0; ok && i < len(h); i++ {
		c := h[i]
		ok = '0' <= c && c <= '9' || 'a' <= c && c <= 'f'
	}
	if ok {
		return nil
	}
	msg := fmt.Sprintf("want the SHA-256 of the token as 64 lowercase hex digits, got %d bytes that are not", len(h))
	if strings.HasPrefix(h, TokenPrefix) {
		msg += " (this looks like a token itself: store HashToken of it, never the token)"
	}
	return errors.New(msg)
}

// maxQuoted is how much of a bad value an error quotes.
const maxQuoted = 64

// quote quotes s with %q, cut short if it is long.
func quote(s string) string {
	if len(s) <= maxQuoted {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%q... (%d bytes)", s[:maxQuoted], len(s))
}

// Users is the contents of a users file: users with unique names and
// unique token hashes. The zero value is an empty file. A *Users is not
// safe for concurrent changes; a Store never changes the one it serves.
type Users struct {
	byName map[string]User
}

// Len returns the number of users.
func (u *Users) Len() int { return len(u.byName) }

// List returns the users sorted by name (copies: changing them changes
// nothing here).
func (u *Users) List() []User {
	out := make([]User, 0, len(u.byName))
	for _, name := range slices.Sorted(maps.Keys(u.byName)) {
		out = append(out, u.byName[name].clone())
	}
	return out
}

// Get returns the user named name (a copy).
func (u *Users) Get(name string) (User, bool) {
	usr, ok := u.byName[name]
	if !ok {
		return User{}, false
	}
	return usr.clone(), true
}

// Add adds a user; it fails if the user is not valid, if its name or its
// token hash is already someone's, or if there are MaxUsers already.
func (u *Users) Add(usr User) error {
	if _, ok := u.byName[usr.Name]; ok {
		return fmt.Errorf("auth: user %s already exists", quote(usr.Name))
	}
	if len(u.byName) >= MaxUsers {
		return fmt.Errorf("auth: cannot add user %s: a file holds at most %d users", quote(usr.Name), MaxUsers)
	}
	return u.put(usr)
}

// Update replaces the user of the same name; it fails if there is none,
// if the new one is not valid, or if its token hash is another user's.
func (u *Users) Update(usr User) error {
	if _, ok := u.byName[usr.Name]; !ok {
		return fmt.Errorf("auth: no user %s", quote(usr.Name))
	}
	return u.put(usr)
}

func (u *Users) put(usr User) error {
	if err := usr.Validate(); err != nil {
		return fmt.Errorf("auth: user %s: %w", quote(usr.Name), err)
	}
	if usr.TokenSHA256 != "" {
		for name, other := range u.byName {
			if name != usr.Name && other.TokenSHA256 == usr.TokenSHA256 {
				return fmt.Errorf("auth: user %s: token_sha256 is also user %s's", quote(usr.Name), quote(name))
			}
		}
	}
	if u.byName == nil {
		u.byName = make(map[string]User)
	}
	u.byName[usr.Name] = usr.clone()
	return nil
}

// Remove removes the user named name and reports whether there was one.
func (u *Users) Remove(name string) bool {
	_, ok := u.byName[name]
	delete(u.byName, name)
	return ok
}

// fileJSON and userJSON are the shapes Marshal writes, fields in file
// order; userJSON is User with tags.
type fileJSON struct {
	Version int        `json:"version"`
	Users   []userJSON `json:"users"`
}

type userJSON struct {
	Name        string          `json:"name"`
	TokenSHA256 string          `json:"token_sha256,omitempty"`
	Admin       bool            `json:"admin"`
	Metrics     bool            `json:"metrics"`
	Scopes      map[string]Role `json:"scopes"` // encoding/json sorts the keys
}

// Marshal returns the file of u: indented JSON, users sorted by name and
// each user's scopes sorted, ending in a newline. ParseUsers reads it back
// to the same users.
func (u *Users) Marshal() ([]byte, error) {
	f := fileJSON{Version: fileVersion, Users: []userJSON{}}
	for _, usr := range u.List() {
		if err := usr.Validate(); err != nil { // only a Users made by hand can fail
			return nil, fmt.Errorf("auth: user %s: %w", quote(usr.Name), err)
		}
		f.Users = append(f.Users, userJSON(usr))
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, fmt.Errorf("auth: marshal users: %w", err)
	}
	return buf.Bytes(), nil
}

// LoadUsers reads and parses the users file at path (see ParseUsers).
func LoadUsers(path string) (*Users, error) {
	b, err := readFile(path)
	if err != nil {
		return nil, err
	}
	u, err := parseUsers(b)
	if err != nil {
		return nil, fmt.Errorf("auth: users file %s: %w", path, err)
	}
	return u, nil
}

// readFile reads path, refusing more than MaxFileSize bytes.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("auth: users file: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("auth: users file: %w", err)
	}
	if len(b) > MaxFileSize {
		return nil, fmt.Errorf("auth: users file %s: larger than %d bytes (4 MiB)", path, MaxFileSize)
	}
	return b, nil
}

// SaveUsers writes u to the file at path atomically, with mode 0600: to a
// temporary file in the same directory, synced, then renamed over path
// (and the directory synced), so that a reader (a Store) sees either the
// old file or the new one, never a part. A path that is a symbolic link has
// the file it points to replaced.
func SaveUsers(path string, u *Users) error {
	b, err := u.Marshal()
	if err != nil {
		return err
	}
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		if target, err := filepath.EvalSymlinks(path); err == nil {
			path = target
		}
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("auth: save users: %w", err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		return fmt.Errorf("auth: save users: %w", err)
	}
	if _, err := tmp.Write(b); err != nil {
		return fmt.Errorf("auth: save users: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("auth: save users: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("auth: save users: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("auth: save users: %w", err)
	}
	done = true
	// The rename is durable once the directory is synced; some systems
	// cannot sync a directory, and the file is in place anyway.
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}
