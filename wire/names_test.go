package wire

import (
	"strings"
	"testing"
)

func TestValidateNames(t *testing.T) {
	long := strings.Repeat("a", MaxNameLen)
	tests := []struct {
		in       string
		scope    string // "" means valid; else a substring of the error
		stream   string
		internal string
	}{
		{in: "a"},
		{in: "A-z.0-9"},
		{in: "my.scope-1"},
		{in: "..."},
		{in: ".hidden"},
		{in: long},
		{in: "-"},
		{in: "", scope: `wire: invalid scope name "": must not be empty`, stream: `wire: invalid stream name "": must not be empty`, internal: "must not be empty"},
		{in: long + "a", scope: "longer than 250 bytes (got 251)", stream: "longer than 250 bytes", internal: "longer than 250 bytes"},
		{in: ".", scope: `"." and ".." are not allowed`, stream: `"." and ".."`, internal: `"." and ".."`},
		{in: "..", scope: `"." and ".." are not allowed`, stream: `"." and ".."`, internal: `"." and ".."`},
		{in: "a b",
			scope:    `wire: invalid scope name "a b": character ' ' not allowed (use A-Z a-z 0-9 . _ -)`,
			stream:   `wire: invalid stream name "a b": character ' ' not allowed (use A-Z a-z 0-9 . _ -)`,
			internal: `wire: invalid internal name "a b": character ' ' not allowed`},
		{in: "a_b"},
		{in: "my_topic.v2"},
		{in: "_mark.x", scope: `wire: invalid scope name "_mark.x": names starting with '_' are reserved for internal use`, stream: "reserved for internal use"},
		{in: "_", scope: "reserved for internal use", stream: "reserved for internal use"},
		{in: "__x", scope: "reserved for internal use", stream: "reserved"},
		{in: "_.", scope: "reserved", stream: "reserved"},
		{in: "é", scope: `"é": character 'é' not allowed`, stream: "character 'é' not allowed", internal: "character 'é' not allowed"},
		{in: "a\x00", scope: `"a\x00": character '\x00' not allowed`, stream: `character '\x00'`, internal: `character '\x00'`},
		{in: "a\xff", scope: `"a\xff": byte 0xff not allowed`, stream: "byte 0xff not allowed", internal: "byte 0xff not allowed"},
		{in: "a\nb", scope: `character '\n' not allowed`, stream: `character '\n'`, internal: `character '\n'`},
		{in: "a/b", scope: "character '/' not allowed"},
		{in: "a/_b", scope: "character '/'", stream: `wire: invalid stream name "_b" in stream "a/_b": names starting with '_' are reserved`},
		{in: "_a/b", scope: "reserved for internal use", stream: `wire: invalid scope name "_a" in stream "_a/b": names starting with '_' are reserved`},
		{in: "a/", scope: "character '/'", stream: `invalid stream name "" in stream "a/": must not be empty`, internal: "must not be empty"},
		{in: "/b", scope: "character '/'", stream: `invalid scope name "" in stream "/b": must not be empty`, internal: "must not be empty"},
		{in: "a/b/c", scope: "character '/'", stream: "more than one '/'", internal: "more than one '/'"},
		{in: "../b", scope: "character '/'", stream: `"." and ".."`, internal: `"." and ".."`},
		{in: "a b/c", scope: "character ' '", stream: `wire: invalid scope name "a b" in stream "a b/c": character ' ' not allowed (use A-Z a-z 0-9 . _ -)`, internal: "character ' '"},
	}
	check := func(t *testing.T, what string, err error, want string) {
		t.Helper()
		if want == "" {
			if err != nil {
				t.Errorf("%s: unexpected error %v", what, err)
			}
			return
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want it to contain %q", what, err, want)
		}
	}
	for _, tt := range tests {
		check(t, "ValidateScopeName("+quote(tt.in)+")", ValidateScopeName(tt.in), tt.scope)
		if strings.Contains(tt.in, "/") {
			// A qualified name: SplitStream checks it; a bare stream
			// name never has a '/'.
			_, _, err := SplitStream(tt.in)
			check(t, "SplitStream("+quote(tt.in)+")", err, tt.stream)
			check(t, "ValidateStreamName("+quote(tt.in)+")", ValidateStreamName(tt.in), "has no '/'")
		} else {
			check(t, "ValidateStreamName("+quote(tt.in)+")", ValidateStreamName(tt.in), tt.stream)
		}
		check(t, "ValidateInternalName("+quote(tt.in)+")", ValidateInternalName(tt.in), tt.internal)
	}
}

func TestSplitStream(t *testing.T) {
	tests := []struct {
		in, scope, stream, err string
	}{
		{in: "s/t", scope: "s", stream: "t"},
		{in: "my.scope/my-stream", scope: "my.scope", stream: "my-stream"},
		{in: "stream", err: `wire: invalid stream name "stream": want scope/stream`},
		{in: "", err: `wire: invalid stream name "": want scope/stream`},
		{in: "a/b/c", err: `wire: invalid stream name "a/b/c": more than one '/' (want scope/stream)`},
		{in: "a/", err: "must not be empty"},
		{in: "./b", err: `invalid scope name "." in stream "./b"`},
		{in: "a/..", err: `invalid stream name ".." in stream "a/.."`},
		{in: "_sys/b", err: "reserved for internal use"},
		{in: "a/b c", err: "character ' ' not allowed"},
	}
	for _, tt := range tests {
		scope, stream, err := SplitStream(tt.in)
		if tt.err == "" {
			if err != nil || scope != tt.scope || stream != tt.stream {
				t.Errorf("SplitStream(%q) = %q, %q, %v; want %q, %q", tt.in, scope, stream, err, tt.scope, tt.stream)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.err) || scope != "" || stream != "" {
			t.Errorf("SplitStream(%q) = %q, %q, %v; want error containing %q", tt.in, scope, stream, err, tt.err)
		}
	}
}

func TestInternalNames(t *testing.T) {
	for _, s := range []string{"_mark.orders", "_", "_system", "scope/_mark.orders", "_system/_readers.g1", "plain"} {
		if err := ValidateInternalName(s); err != nil {
			t.Errorf("ValidateInternalName(%q) = %v", s, err)
		}
	}
}

func TestNameErrorQuotesLongNamesShort(t *testing.T) {
	err := ValidateStreamName(strings.Repeat("x", 10000))
	if err == nil || len(err.Error()) > 400 || !strings.Contains(err.Error(), "(10000 bytes)") {
		t.Fatalf("error = %v", err)
	}
}
