package auth

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

func TestNewToken(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		tok, hash, err := NewToken()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(tok, "braid_") || len(tok) != 6+43 {
			t.Fatalf("token %q: want braid_ and 43 characters", tok)
		}
		raw, err := base64.RawURLEncoding.DecodeString(tok[6:])
		if err != nil || len(raw) != 32 {
			t.Fatalf("token %q: not base64url of 32 bytes: %v", tok, err)
		}
		if hash != HashToken(tok) || checkHash(hash) != nil {
			t.Fatalf("hash %q of %q", hash, tok)
		}
		if seen[tok] {
			t.Fatalf("token %q twice", tok)
		}
		seen[tok] = true
		if got, err := ParseAuthorization("Bearer " + tok); err != nil || got != tok {
			t.Fatalf("ParseAuthorization of a new token: %q, %v", got, err)
		}
	}
}

func TestHashToken(t *testing.T) {
	// Known SHA-256 values.
	if got, want := HashToken(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"; got != want {
		t.Errorf("HashToken(\"\") = %q, want %q", got, want)
	}
	if got, want := HashToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; got != want {
		t.Errorf("HashToken(abc) = %q, want %q", got, want)
	}
}

// authCases are the table of TestParseAuthorization and the seeds of
// FuzzParseAuthorization: the token, or an error containing err.
var authCases = []struct {
	header, token, err string
}{
	{"Bearer braid_abc", "braid_abc", ""},
	{"bearer braid_abc", "braid_abc", ""},
	{"BEARER braid_abc", "braid_abc", ""},
	{"BeArEr braid_abc", "braid_abc", ""},
	{"Bearer    braid_abc", "braid_abc", ""},
	{"Bearer x", "x", ""},
	{"Bearer a.b-c_d~e+f/g=", "a.b-c_d~e+f/g=", ""},
	{"Bearer " + strings.Repeat("t", MaxAuthorizationLen-7), strings.Repeat("t", MaxAuthorizationLen-7), ""},

	{"", "", "auth: no credentials"},
	{"Bearer " + strings.Repeat("t", MaxAuthorizationLen-6), "", "longer than 1024 bytes"},
	{"Bearer", "", `want "Bearer <token>"`},
	{"Bearer ", "", `no token after "Bearer"`},
	{"Bearer    ", "", `no token after "Bearer"`},
	{"braid_abc", "", `want "Bearer <token>"`},
	{"Basic YWxpY2U6c2VjcmV0", "", `scheme "Basic" is not supported (want "Bearer <token>")`},
	{"Token braid_abc", "", `scheme "Token" is not supported`},
	{"braid_secret more", "", `want "Bearer <token>"`},
	{"Bearerx braid_abc", "", `scheme "Bearerx" is not supported`},
	{" Bearer braid_abc", "", `want "Bearer <token>"`},
	{"Bearer braid_abc ", "", "a space in the token"},
	{"Bearer braid abc", "", "a space in the token"},
	{"Bearer\tbraid_abc", "", "byte 0x09 at byte 6"},
	{"Bearer braid_abc\r\n", "", "byte 0x0d at byte 16"},
	{"Bearer braid_\x00abc", "", "byte 0x00"},
	{"Bearer braid_\x7fabc", "", "byte 0x7f"},
	{"Bearer braid_é", "", "byte 0xc3"},
}

func TestParseAuthorization(t *testing.T) {
	for _, c := range authCases {
		tok, err := ParseAuthorization(c.header)
		if c.err == "" {
			if err != nil || tok != c.token {
				t.Errorf("ParseAuthorization(%q) = %q, %v; want %q", c.header, tok, err, c.token)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.err) || tok != "" {
			t.Errorf("ParseAuthorization(%q) = %q, %v; want an error containing %q", c.header, tok, err, c.err)
			continue
		}
		if c.header == "" {
			if err != ErrNoCredentials {
				t.Errorf("empty header: %v, want ErrNoCredentials", err)
			}
		} else if !errors.Is(err, ErrMalformed) {
			t.Errorf("ParseAuthorization(%q): %v does not match ErrMalformed", c.header, err)
		}
		if strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), "YWxp") || strings.Contains(err.Error(), "braid_") {
			t.Errorf("ParseAuthorization(%q): error %q quotes the credential", c.header, err)
		}
	}
}

func FuzzParseAuthorization(f *testing.F) {
	for _, c := range authCases {
		f.Add(c.header)
	}
	f.Fuzz(func(t *testing.T, header string) {
		tok, err := ParseAuthorization(header)
		if err != nil {
			if tok != "" {
				t.Fatalf("token %q with error %v", tok, err)
			}
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrNoCredentials) {
				t.Fatalf("error %v matches neither ErrMalformed nor ErrNoCredentials", err)
			}
			// The error does not depend on the credential: with every
			// byte after the scheme changed (but spaces), it is the same.
			// (Control characters and bytes that are not ASCII are named.)
			if !strings.ContainsFunc(header, func(r rune) bool { return r < 0x20 || r > 0x7e }) {
				scheme, rest, ok := strings.Cut(header, " ")
				if !ok {
					scheme, rest = "", header
				}
				other := []byte(rest)
				for i, c := range other {
					switch c {
					case ' ':
					case 'a':
						other[i] = 'b'
					default:
						other[i] = 'a'
					}
				}
				h := string(other)
				if ok {
					h = scheme + " " + h
				}
				if _, err2 := ParseAuthorization(h); err2 == nil || err2.Error() != err.Error() {
					t.Fatalf("the error depends on the credential: %q: %v; %q: %v", header, err, h, err2)
				}
			}
			return
		}
		if tok == "" || len(tok) > MaxAuthorizationLen || strings.ContainsAny(tok, " ") {
			t.Fatalf("token %q of %q", tok, header)
		}
		for i := 0; i < len(tok); i++ {
			if tok[i] < 0x21 || tok[i] > 0x7e {
				t.Fatalf("token %q has byte 0x%02x", tok, tok[i])
			}
		}
		if !strings.HasSuffix(header, tok) || !strings.EqualFold(header[:7], "bearer ") {
			t.Fatalf("token %q is not the end of %q after Bearer", tok, header)
		}
		if again, err := ParseAuthorization("Bearer " + tok); err != nil || again != tok {
			t.Fatalf("Bearer %q: %q, %v", tok, again, err)
		}
	})
}
