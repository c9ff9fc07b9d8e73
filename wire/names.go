package wire

import (
	"errors"
	"fmt"
	"strings"
)

// MaxNameLen is the longest scope or stream name, in bytes.
const MaxNameLen = 250

// maxQuoted is how many bytes of a bad input an error message quotes before
// eliding the rest, so a huge input does not make a huge message (every
// API echoes these errors to the client that sent the input).
const maxQuoted = 64

// quote returns s quoted with %q (so control characters and invalid UTF-8
// print safely), cut short with a note of its length if it is long.
func quote(s string) string {
	if len(s) <= maxQuoted {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%q... (%d bytes)", s[:maxQuoted], len(s))
}

// nameProblem returns why s is not a valid single name, or "" if it is.
// With internal set, a leading '_' is allowed.
func nameProblem(s string, internal bool) string {
	switch {
	case s == "":
		return "must not be empty"
	case len(s) > MaxNameLen:
		return fmt.Sprintf("longer than %d bytes (got %d)", MaxNameLen, len(s))
	case s == "." || s == "..":
		return "\".\" and \"..\" are not allowed"
	}
	i := 0
	if s[0] == '_' {
		if !internal {
			return "names starting with '_' are reserved for internal use"
		}
		i = 1
	}
	for i < len(s) {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '_' {
			i++
			continue
		}
		return describeChar(s[i:]) + " not allowed (use A-Z a-z 0-9 . _ -)"
	}
	return ""
}

// ValidateScopeName reports whether s is a valid user scope name:
// 1 to 250 bytes of A-Z a-z 0-9 '.' '_' '-', not "." or "..", and not
// starting with '_' (such names are internal; see ValidateInternalName). The error
// quotes the name and says which rule it broke.
func ValidateScopeName(s string) error {
	if p := nameProblem(s, false); p != "" {
		return errors.New("wire: invalid scope name " + quote(s) + ": " + p)
	}
	return nil
}

// ValidateStreamName reports whether s is a valid bare user stream name: the
// same rules as a scope name (see ValidateScopeName). A qualified
// "scope/stream" is rejected here; check it with SplitStream.
func ValidateStreamName(s string) error {
	if strings.IndexByte(s, '/') >= 0 {
		return errors.New("wire: invalid stream name " + quote(s) + ": a stream name has no '/' (a qualified stream is scope/stream; see SplitStream)")
	}
	if p := nameProblem(s, false); p != "" {
		return errors.New("wire: invalid stream name " + quote(s) + ": " + p)
	}
	return nil
}

// SplitStream splits a qualified stream name "scope/stream" into its parts
// and validates both as user names. Anything other than exactly one '/'
// between two valid names is an error.
func SplitStream(s string) (scope, stream string, err error) {
	return splitStream(s, false)
}

func splitStream(s string, internal bool) (scope, stream string, err error) {
	i := strings.IndexByte(s, '/')
	if i < 0 {
		return "", "", errors.New("wire: invalid stream name " + quote(s) + ": want scope/stream")
	}
	if strings.IndexByte(s[i+1:], '/') >= 0 {
		return "", "", errors.New("wire: invalid stream name " + quote(s) + ": more than one '/' (want scope/stream)")
	}
	scope, stream = s[:i], s[i+1:]
	if p := nameProblem(scope, internal); p != "" {
		return "", "", errors.New("wire: invalid scope name " + quote(scope) + " in stream " + quote(s) + ": " + p)
	}
	if p := nameProblem(stream, internal); p != "" {
		return "", "", errors.New("wire: invalid stream name " + quote(stream) + " in stream " + quote(s) + ": " + p)
	}
	return scope, stream, nil
}

// ValidateInternalName validates a name the server makes for its own use
// (names starting with _). The rules are those of
// ValidateScopeName except that a leading '_' is allowed. Unlike
// ValidateStreamName, it also accepts "scope/stream", checking both parts
// under the same relaxed rule. Never use it on names that come from users.
func ValidateInternalName(s string) error {
	if strings.IndexByte(s, '/') >= 0 {
		_, _, err := splitStream(s, true)
		return err
	}
	if p := nameProblem(s, true); p != "" {
		return errors.New("wire: invalid internal name " + quote(s) + ": " + p)
	}
	return nil
}
