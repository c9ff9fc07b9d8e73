package httpapi

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/braidstream/braid/internal/auth"
	"github.com/braidstream/braid/wire"
)

func fuzzAPI() *API {
	a := &API{}
	a.limits.defaults()
	a.limits.MaxEventBytes = 1 << 10
	return a
}

// FuzzSplitBody: splitting never panics; lines and bytes:N give back the
// file exactly when joined; length-prefixed events re-encode to the file.
func FuzzSplitBody(f *testing.F) {
	f.Add([]byte("a\nbb\n\nccc"), uint8(0))
	f.Add([]byte{0, 0, 0, 2, 'h', 'i', 0, 0, 0, 0}, uint8(1))
	f.Add([]byte{0, 0, 0, 9, 'x'}, uint8(1))
	f.Add([]byte("0123456789"), uint8(2))
	f.Add(bytes.Repeat([]byte("z"), 3000), uint8(0))
	a := fuzzAPI()
	f.Fuzz(func(t *testing.T, file []byte, sel uint8) {
		modes := []splitMode{{kind: "lines"}, {kind: "length-prefixed"}, {kind: "bytes", chunk: 7}, {kind: "whole"}}
		mode := modes[int(sel)%len(modes)]
		var events [][]byte
		err := a.splitBody(bytes.NewReader(file), mode, func(p []byte) error {
			if len(p) > a.limits.MaxEventBytes {
				t.Fatalf("%s: event of %d bytes over the maximum", mode.kind, len(p))
			}
			events = append(events, bytes.Clone(p))
			return nil
		})
		if err != nil {
			var ae *apiError
			if !errors.As(err, &ae) || ae.Message == "" {
				t.Fatalf("%s: error %v is not a clear API error", mode.kind, err)
			}
			return
		}
		switch mode.kind {
		case "lines", "bytes", "whole":
			if !bytes.Equal(bytes.Join(events, nil), file) {
				t.Fatalf("%s: events do not join to the file", mode.kind)
			}
		case "length-prefixed":
			var re []byte
			for _, ev := range events {
				re = binary.BigEndian.AppendUint32(re, uint32(len(ev)))
				re = append(re, ev...)
			}
			if !bytes.Equal(re, file) {
				t.Fatalf("length-prefixed: events do not re-encode to the file")
			}
		}
	})
}

// FuzzAppendBody: JSON and NDJSON append bodies never panic, and what
// they accept holds events of allowed size.
func FuzzAppendBody(f *testing.F) {
	f.Add([]byte(`{"key": "k", "data": "x"}`), false)
	f.Add([]byte(`[{"data_base64": "AAE="}, {"json": {"a": [1, 2]}}]`), false)
	f.Add([]byte("{\"data\": \"a\"}\n\n{\"key\": \"\", \"json\": null}\n"), true)
	f.Add([]byte(`{"data": "a", "data_base64": "AA=="}`), false)
	a := fuzzAPI()
	f.Fuzz(func(t *testing.T, body []byte, ndjson bool) {
		add := func(_ bool, _ string, p []byte) error {
			if p == nil && false {
				t.Fatal("unreachable")
			}
			return nil
		}
		var err error
		if ndjson {
			err = a.addNDJSON(bytes.NewReader(body), add)
		} else {
			var single bool
			err = a.addJSON(bytes.NewReader(body), add, &single)
		}
		if err != nil {
			var ae *apiError
			if !errors.As(err, &ae) || ae.Message == "" {
				t.Fatalf("error %v is not a clear API error", err)
			}
		}
	})
}

// FuzzCredentials: any Authorization header and Cookie header is either
// a user whose token is exactly the one sent (the header's, else the
// session cookie's), or a 401 UNAUTHENTICATED with a known reason; never
// a panic, and never an error that quotes the credential.
func FuzzCredentials(f *testing.F) {
	u := &auth.Users{}
	tokens := map[string]string{}
	for _, name := range []string{"alice", "bob"} {
		tok, hash, err := auth.NewToken()
		if err != nil {
			f.Fatal(err)
		}
		if err := u.Add(auth.User{Name: name, TokenSHA256: hash, Scopes: map[string]auth.Role{"demo": auth.RoleRead}}); err != nil {
			f.Fatal(err)
		}
		tokens[name] = tok
	}
	a := fuzzAPI()
	a.auth = auth.StaticStore(u)
	alice := tokens["alice"]
	f.Add("Bearer "+alice, "")
	f.Add("bearer   "+alice, "")
	f.Add("Bearer "+alice+"x", "")
	f.Add("Bearer "+alice[:len(alice)-1], "")
	f.Add("Basic YWxpY2U6cHc=", "")
	f.Add("Bearer", "")
	f.Add("Bearer a b", "")
	f.Add(alice, "")
	f.Add("Bearer \x00"+alice, "")
	f.Add("", SessionCookie+"="+alice)
	f.Add("", "theme=dark; "+SessionCookie+"="+alice+"; other=1")
	f.Add("", SessionCookie+"=\""+alice+"\"")
	f.Add("", SessionCookie+"="+alice+"; "+SessionCookie+"=braid_x")
	f.Add("Bearer braid_nope", SessionCookie+"="+alice)
	f.Add("", SessionCookie+"=")
	f.Fuzz(func(t *testing.T, header, cookie string) {
		r := httptest.NewRequest("GET", "/v1/scopes", nil)
		if header != "" {
			r.Header["Authorization"] = []string{header}
		}
		if cookie != "" {
			r.Header["Cookie"] = []string{cookie}
		}
		c, reason, err := a.credentials(r)
		if err == nil {
			var sent string
			if header != "" {
				tok, perr := auth.ParseAuthorization(header)
				if perr != nil {
					t.Fatalf("header %q: authenticated though it does not parse: %v", header, perr)
				}
				sent = tok
			} else if ck, cerr := r.Cookie(SessionCookie); cerr == nil {
				sent = ck.Value
			}
			if tokens[c.id.Name] == "" || sent != tokens[c.id.Name] {
				t.Fatalf("header %q, cookie %q: authenticated as %q, whose token was not sent", header, cookie, c.id.Name)
			}
			if c.ambient != (header == "") {
				t.Fatalf("header %q, cookie %q: ambient %v", header, cookie, c.ambient)
			}
			return
		}
		var ae *apiError
		if !errors.As(err, &ae) || ae.Code != wire.CodeUnauthenticated || ae.Message == "" {
			t.Fatalf("header %q, cookie %q: error %v is not an UNAUTHENTICATED API error", header, cookie, err)
		}
		switch reason {
		case reasonMissing, reasonBadToken:
		default:
			t.Fatalf("header %q, cookie %q: reason %q", header, cookie, reason)
		}
		// The credential is never quoted back (checked for what looks
		// like a secret: 10 bytes or more with an underscore or a digit,
		// which no message's own words have).
		secrets := []string{cookie}
		if _, rest, ok := strings.Cut(header, " "); ok {
			secrets = append(secrets, strings.TrimLeft(rest, " "))
		} else {
			secrets = append(secrets, header)
		}
		if ck, cerr := r.Cookie(SessionCookie); cerr == nil {
			secrets = append(secrets, ck.Value)
		}
		for _, s := range secrets {
			if len(s) >= 10 && strings.ContainsAny(s, "_0123456789") && strings.Contains(ae.Message, s) {
				t.Fatalf("header %q, cookie %q: the error quotes the credential: %s", header, cookie, ae.Message)
			}
		}
		if strings.Contains(ae.Message, alice) || strings.Contains(ae.Message, tokens["bob"]) {
			t.Fatalf("the error quotes a token: %s", ae.Message)
		}
	})
}
