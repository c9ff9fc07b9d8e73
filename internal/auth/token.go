package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// TokenPrefix starts every token braid makes, so that a token is easy to
// recognize (by a person, and by secret scanners).
const TokenPrefix = "braid_"

// tokenBytes is the randomness of a token.
const tokenBytes = 32

// MaxAuthorizationLen is the longest Authorization header
// ParseAuthorization takes, in bytes.
const MaxAuthorizationLen = 1024

// NewToken makes a new token, "braid_" and the base64url (unpadded) of 32
// random bytes from crypto/rand, and its hash (HashToken) for the users
// file. The token is shown to its user once and never stored.
func NewToken() (token, hash string, err error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("auth: new token: %w", err)
	}
	token = TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// HashToken returns the SHA-256 of the whole token (prefix included) as 64
// lowercase hex digits, as the users file holds it.
//
// A fast hash is right here, unlike for passwords: a token is 256 random
// bits, so there is no dictionary to try and a brute force of the hash is
// as hopeless as one of the token itself; a slow hash (bcrypt, argon2)
// would only make every request slower. GitHub and Stripe store their API
// tokens the same way. It also lets Authenticate find the user with one
// map lookup of the hash, which tells an attacker nothing by its timing
// (the hash of a guess is unrelated to the hashes of real tokens).
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// ParseAuthorization returns the token of an Authorization header value,
// "Bearer <token>": the scheme in any case, then one space or more, then
// the token (no spaces). An empty header is ErrNoCredentials; another
// scheme, a missing token, a header longer than MaxAuthorizationLen,
// control characters and other bytes that are not printable ASCII are
// errors wrapping ErrMalformed. No error quotes the header's token.
func ParseAuthorization(header string) (token string, err error) {
	if header == "" {
		return "", ErrNoCredentials
	}
	if len(header) > MaxAuthorizationLen {
		return "", fmt.Errorf("%w: longer than %d bytes", ErrMalformed, MaxAuthorizationLen)
	}
	for i := 0; i < len(header); i++ {
		if c := header[i]; c < 0x20 || c > 0x7e {
			return "", fmt.Errorf("%w: %s at byte %d (only printable ASCII is allowed)", ErrMalformed, charText(c), i)
		}
	}
	scheme, rest, ok := strings.Cut(header, " ")
	if !ok {
		// Maybe a bare token: never quote it.
		return "", fmt.Errorf(`%w: want "Bearer <token>"`, ErrMalformed)
	}
	if !strings.EqualFold(scheme, "Bearer") {
		if isSchemeName(scheme) {
			return "", fmt.Errorf(`%w: scheme %q is not supported (want "Bearer <token>")`, ErrMalformed, scheme)
		}
		return "", fmt.Errorf(`%w: want "Bearer <token>"`, ErrMalformed)
	}
	token = strings.TrimLeft(rest, " ")
	switch {
	case token == "":
		return "", fmt.Errorf(`%w: no token after "Bearer"`, ErrMalformed)
	case strings.Contains(token, " "):
		return "", fmt.Errorf("%w: a space in the token", ErrMalformed)
	}
	return token, nil
}

// isSchemeName reports whether s looks like an authentication scheme
// (Basic, Digest, Negotiate...), safe to quote in an error: letters only,
// so never a token, which has an underscore.
func isSchemeName(s string) bool {
	if s == "" || len(s) > 16 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// Errors. A front end answers ErrNoCredentials, ErrMalformed and
// ErrBadToken with "unauthenticated" (401), and ErrDenied with "permission
// denied" (403).
var (
	// ErrNoCredentials is a request without credentials: no Authorization
	// header (or an empty one), no token, no client certificate.
	ErrNoCredentials = errors.New("auth: no credentials (give a token: Authorization: Bearer <token>)")
	// ErrMalformed is an Authorization header that is not
	// "Bearer <token>"; ParseAuthorization's errors wrap it.
	ErrMalformed = errors.New("auth: malformed Authorization header")
	// ErrBadToken is a token that is no user's: unknown, revoked or
	// mistyped (the error does not say which, nor which part).
	ErrBadToken = errors.New("auth: invalid token")
	// ErrDenied is a permission an identity does not have; the errors of
	// Identity.Check are *DeniedError values, which match it with
	// errors.Is.
	ErrDenied = errors.New("auth: permission denied")
)
