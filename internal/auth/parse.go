package auth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// ParseUsers parses a users file (see the package documentation for the
// format). It is strict: unknown fields (also a known one spelt in another
// case), duplicate fields, null values, values of the wrong type, another
// version, data after the object, bad names, hashes, scopes and roles,
// duplicate names and hashes are all refused, with an error naming the user
// (its index in "users" and its name, when known) and the field. A file of
// more than MaxFileSize bytes or MaxUsers users is refused.
func ParseUsers(b []byte) (*Users, error) {
	u, err := parseUsers(b)
	if err != nil {
		return nil, fmt.Errorf("auth: users file: %w", err)
	}
	return u, nil
}

func parseUsers(b []byte) (*Users, error) {
	if len(b) > MaxFileSize {
		return nil, fmt.Errorf("%d bytes, more than the %d (4 MiB) allowed", len(b), MaxFileSize)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	p := &parser{dec: dec}
	u, err := p.file()
	if err != nil {
		return nil, err
	}
	return u, nil
}

// parser walks the file token by token, so that it sees every key as
// written (encoding/json would match keys case-insensitively and let a
// duplicate key win silently).
type parser struct {
	dec *json.Decoder
}

// token returns the next token; the end of the input is an error.
func (p *parser) token() (json.Token, error) {
	t, err := p.dec.Token()
	var se *json.SyntaxError
	switch {
	case err == nil:
		return t, nil
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return nil, errors.New("not valid JSON: unexpected end of the file")
	case errors.As(err, &se):
		return nil, fmt.Errorf("not valid JSON at byte %d: %v", se.Offset, se)
	}
	return nil, fmt.Errorf("not valid JSON: %v", err)
}

// tokenText names a token's kind for an error; values are not quoted.
func tokenText(t json.Token) string {
	switch v := t.(type) {
	case json.Delim:
		switch v {
		case '{':
			return "an object"
		case '[':
			return "an array"
		}
		return fmt.Sprintf("%q", rune(v))
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", t)
}

// delim reads the delimiter d (an opening one: '{' or '[').
func (p *parser) delim(d json.Delim) error {
	t, err := p.token()
	if err != nil {
		return err
	}
	if t != d {
		want := "an object"
		if d == '[' {
			want = "an array"
		}
		return fmt.Errorf("want %s, got %s", want, tokenText(t))
	}
	return nil
}

// end reads the closing delimiter of an object or array (which More said
// comes next).
func (p *parser) end() error {
	_, err := p.token()
	return err
}

// object reads an object, calling field for each key (after refusing a
// duplicate one); field reads the value.
func (p *parser) object(field func(key string) error) error {
	if err := p.delim('{'); err != nil {
		return err
	}
	seen := make(map[string]bool)
	for p.dec.More() {
		t, err := p.token()
		if err != nil {
			return err
		}
		key, _ := t.(string) // a key is always a string
		if seen[key] {
			return fmt.Errorf("duplicate field %s", quote(key))
		}
		seen[key] = true
		if err := field(key); err != nil {
			return err
		}
	}
	return p.end()
}

func (p *parser) string() (string, error) {
	t, err := p.token()
	if err != nil {
		return "", err
	}
	s, ok := t.(string)
	if !ok {
		return "", fmt.Errorf("want a string, got %s", tokenText(t))
	}
	return s, nil
}

func (p *parser) bool() (bool, error) {
	t, err := p.token()
	if err != nil {
		return false, err
	}
	v, ok := t.(bool)
	if !ok {
		return false, fmt.Errorf("want true or false, got %s", tokenText(t))
	}
	return v, nil
}

func (p *parser) file() (*Users, error) {
	u := &Users{byName: make(map[string]User)}
	version := false
	err := p.object(func(key string) error {
		switch key {
		case "version":
			t, err := p.token()
			if err != nil {
				return err
			}
			if n, ok := t.(json.Number); !ok || n != "1" {
				if ok {
					return fmt.Errorf("version: %s is not a version this braid reads (want 1)", quote(string(n)))
				}
				return fmt.Errorf("version: want the number 1, got %s", tokenText(t))
			}
			version = true
			return nil
		case "users":
			return p.users(u)
		}
		return fmt.Errorf("unknown field %s (want version and users)", quote(key))
	})
	if err != nil {
		return nil, err
	}
	if !version {
		return nil, errors.New(`no version (want "version": 1)`)
	}
	if _, err := p.dec.Token(); err != io.EOF {
		return nil, errors.New("not valid JSON: data after the end of the object")
	}
	return u, nil
}

func (p *parser) users(u *Users) error {
	if err := p.delim('['); err != nil {
		return fmt.Errorf("users: %w", err)
	}
	hashes := make(map[string]int) // token hash: index of its user
	index := make(map[string]int)  // name: index of its user
	var names []string             // by index
	for i := 0; p.dec.More(); i++ {
		if i == MaxUsers {
			return fmt.Errorf("users: more than %d users", MaxUsers)
		}
		usr, err := p.user()
		where := fmt.Sprintf("users[%d]", i)
		if usr.Name != "" && ValidateUserName(usr.Name) == nil {
			where += " " + quote(usr.Name)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if err := usr.Validate(); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if j, ok := index[usr.Name]; ok {
			return fmt.Errorf("%s: name: same as users[%d]'s (names are unique)", where, j)
		}
		if usr.TokenSHA256 != "" {
			if j, ok := hashes[usr.TokenSHA256]; ok {
				return fmt.Errorf("%s: token_sha256: same as users[%d] %s's (every user has its own token)", where, j, quote(names[j]))
			}
			hashes[usr.TokenSHA256] = i
		}
		index[usr.Name] = i
		names = append(names, usr.Name)
		u.byName[usr.Name] = usr
	}
	return p.end()
}

// user reads one user object. On an error it returns what it read so far
// (for the name in the message).
func (p *parser) user() (User, error) {
	usr := User{Scopes: map[string]Role{}}
	hasName, hasHash := false, false
	err := p.object(func(key string) error {
		var err error
		switch key {
		case "name":
			usr.Name, err = p.string()
			hasName = true
		case "token_sha256":
			usr.TokenSHA256, err = p.string()
			hasHash = true
		case "admin":
			usr.Admin, err = p.bool()
		case "metrics":
			usr.Metrics, err = p.bool()
		case "scopes":
			err = p.scopes(usr.Scopes)
		default:
			return fmt.Errorf("unknown field %s (want name, token_sha256, admin, metrics and scopes)", quote(key))
		}
		if err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		return nil
	})
	if err != nil {
		return usr, err
	}
	if !hasName {
		return usr, errors.New("name: missing")
	}
	if hasHash && usr.TokenSHA256 == "" {
		return usr, errors.New(`token_sha256: empty (leave the field out for a user without a token)`)
	}
	return usr, nil
}

func (p *parser) scopes(into map[string]Role) error {
	return p.object(func(scope string) error {
		if err := ValidateScope(scope); err != nil {
			return err
		}
		t, err := p.token()
		if err != nil {
			return err
		}
		s, ok := t.(string)
		if !ok {
			return fmt.Errorf("%s: want a role (read, write or admin), got %s", quote(scope), tokenText(t))
		}
		r, err := ParseRole(s)
		if err != nil {
			return fmt.Errorf("%s: %w", quote(scope), err)
		}
		into[scope] = r
		return nil
	})
}
