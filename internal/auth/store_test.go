package auth

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// logBuffer collects a logger's lines, safe for concurrent use.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *logBuffer) logger() *slog.Logger { return slog.New(slog.NewTextHandler(b, nil)) }

// writeUsers saves users (name: token) as a users file, every user with
// read on demo.
func writeUsers(t *testing.T, path string, tokens map[string]string) {
	t.Helper()
	var u Users
	for name, tok := range tokens {
		if err := u.Add(User{Name: name, TokenSHA256: HashToken(tok), Scopes: map[string]Role{"demo": RoleRead}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := SaveUsers(path, &u); err != nil {
		t.Fatal(err)
	}
}

func TestNewStoreFails(t *testing.T) {
	dir := t.TempDir()
	if _, err := NewStore(filepath.Join(dir, "none.json"), nil); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"version": 2}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := NewStore(bad, nil); err == nil || !strings.Contains(err.Error(), "auth: users file "+bad+`: version: "2" is not a version`) {
		t.Errorf("bad file: %v", err)
	}
}

func TestAuthenticate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.json")
	var u Users
	for _, usr := range []User{
		{Name: "alice", TokenSHA256: HashToken("braid_alice"), Scopes: map[string]Role{"demo": RoleWrite}},
		{Name: "mtls", Scopes: map[string]Role{"demo": RoleRead}},
	} {
		if err := u.Add(usr); err != nil {
			t.Fatal(err)
		}
	}
	if err := SaveUsers(path, &u); err != nil {
		t.Fatal(err)
	}
	s, err := NewStore(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 2 {
		t.Errorf("Len %d", s.Len())
	}
	id, err := s.Authenticate("braid_alice")
	if err != nil || id.Name != "alice" || !id.Can(PermWrite, "demo") || id.Can(PermAdmin, "demo") {
		t.Errorf("alice: %+v, %v", id, err)
	}
	for tok, want := range map[string]error{
		"":                                 ErrNoCredentials,
		"braid_alicE":                      ErrBadToken,
		"braid_alice ":                     ErrBadToken,
		HashToken("braid_alice"):           ErrBadToken, // the hash is not the token
		"alice":                            ErrBadToken,
		strings.Repeat("x", 2000):          ErrBadToken,
		"braid_" + strings.Repeat("a", 43): ErrBadToken,
	} {
		id, err := s.Authenticate(tok)
		if err != want || !id.IsAnonymous() {
			t.Errorf("Authenticate(%.20q): %+v, %v; want %v", tok, id, err, want)
		}
	}
	if ErrBadToken.Error() != "auth: invalid token" {
		t.Errorf("ErrBadToken says %q", ErrBadToken)
	}
	if id, ok := s.ByName("mtls"); !ok || id.Name != "mtls" || !id.Can(PermRead, "demo") {
		t.Errorf("ByName(mtls): %+v %v", id, ok)
	}
	for _, name := range []string{"", "MTLS", "nobody", "mtls "} {
		if id, ok := s.ByName(name); ok || !id.IsAnonymous() {
			t.Errorf("ByName(%q): %+v %v", name, id, ok)
		}
	}
}

func TestStoreReload(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "users.json")
	writeUsers(t, path, map[string]string{"alice": "braid_one"})
	var logs logBuffer
	s, err := NewStore(path, logs.logger())
	if err != nil {
		t.Fatal(err)
	}
	auth := func(tok string) string {
		id, err := s.Authenticate(tok)
		if err != nil {
			return err.Error()
		}
		return id.Name
	}
	if got := auth("braid_one"); got != "alice" {
		t.Fatalf("before: %s", got)
	}
	if err := s.Reload(); err != nil || logs.String() != "" {
		t.Fatalf("Reload of an unchanged file: %v, logged %q", err, logs.String())
	}

	// Token rotation: the file is replaced by one of the same size.
	writeUsers(t, path, map[string]string{"alice": "braid_two"})
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	if auth("braid_one") != ErrBadToken.Error() || auth("braid_two") != "alice" {
		t.Errorf("after rotation: old %s, new %s", auth("braid_one"), auth("braid_two"))
	}
	if l := logs.String(); !strings.Contains(l, `msg="auth: reloaded the users file"`) || !strings.Contains(l, "users=1") {
		t.Errorf("log after reload: %q", l)
	}

	// A bad file: logged once, the old users kept.
	for range 3 {
		if err := os.WriteFile(path, []byte(`{"version": 1, "users": [{"name": "alice", "scopes": {"demo": "owner"}}]}`), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := s.Reload(); err == nil || !strings.Contains(err.Error(), `unknown role "owner"`) {
			t.Errorf("Reload of a bad file: %v", err)
		}
	}
	if err := s.Reload(); err == nil {
		t.Errorf("Reload of the same bad file again: nil")
	}
	if auth("braid_two") != "alice" {
		t.Errorf("the old users went with a bad file")
	}
	if n := strings.Count(logs.String(), "cannot reload the users file"); n != 1 {
		t.Errorf("logged the bad file %d times:\n%s", n, logs.String())
	}
	if !strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), `unknown role \"owner\"`) {
		t.Errorf("log of the bad file:\n%s", logs.String())
	}

	// Gone: logged once, the old users kept.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := s.Reload(); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("Reload of a missing file: %v", err)
		}
	}
	if auth("braid_two") != "alice" {
		t.Errorf("the old users went with the file")
	}
	if n := strings.Count(logs.String(), "cannot reload the users file"); n != 2 {
		t.Errorf("logged %d failures, want 2:\n%s", n, logs.String())
	}

	// Back, good: served, logged.
	writeUsers(t, path, map[string]string{"alice": "braid_two", "bob": "braid_bob"})
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	if auth("braid_bob") != "bob" || s.Len() != 2 {
		t.Errorf("after the file came back: %s, %d users", auth("braid_bob"), s.Len())
	}
	if n := strings.Count(logs.String(), "reloaded the users file"); n != 2 {
		t.Errorf("logged %d reloads, want 2:\n%s", n, logs.String())
	}

	// The same contents again (a new file, same bytes): nothing logged.
	b, _ := os.ReadFile(path)
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(logs.String(), "reloaded the users file"); n != 2 {
		t.Errorf("logged %d reloads, want 2:\n%s", n, logs.String())
	}
}

// TestStoreReloadSameStamp: a file rewritten in place, same size, same
// modification time (a coarse file system clock) is still reloaded while
// that time is recent.
func TestStoreReloadSameStamp(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.json")
	writeUsers(t, path, map[string]string{"alice": "braid_one"})
	mtime := time.Now().Truncate(time.Second)
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		t.Fatal(err)
	}
	s, err := NewStore(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	old, _ := os.ReadFile(path)
	newb := bytes.Replace(old, []byte(HashToken("braid_one")), []byte(HashToken("braid_two")), 1)
	if len(newb) != len(old) || bytes.Equal(newb, old) {
		t.Fatal("test file not rewritten")
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(newb, 0); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		t.Fatal(err)
	}
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	if id, err := s.Authenticate("braid_two"); err != nil || id.Name != "alice" {
		t.Errorf("after an in-place rewrite with the same stamp: %v", err)
	}
}

func TestStoreRun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.json")
	writeUsers(t, path, map[string]string{"alice": "braid_one"})
	s, err := NewStore(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Run(ctx, 10*time.Millisecond)
	}()

	// Readers all along, while the file changes under them.
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if id, err := s.Authenticate("braid_one"); err == nil && id.Name != "alice" {
					t.Errorf("braid_one is %q", id.Name)
					return
				}
				s.ByName("bob")
			}
		})
	}
	writeUsers(t, path, map[string]string{"alice": "braid_one", "bob": "braid_bob"})
	deadline := time.Now().Add(10 * time.Second)
	for {
		if id, err := s.Authenticate("braid_bob"); err == nil && id.Name == "bob" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("Run did not reload the file within 10 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return when its context ended")
	}
}

func TestStaticStore(t *testing.T) {
	u := testUsers(t)
	s := StaticStore(u)
	u.Remove("alice") // the store has its own copy
	if id, err := s.Authenticate("braid_alice"); err != nil || id.Name != "alice" {
		t.Errorf("alice: %v", err)
	}
	if _, err := s.Authenticate("braid_mtls"); err != ErrBadToken {
		t.Errorf("a user without a token: %v", err)
	}
	if err := s.Reload(); err != nil {
		t.Errorf("Reload: %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Run(ctx, 0)
	}()
	select {
	case <-done:
		t.Fatal("Run of a static store returned before its context ended")
	case <-time.After(20 * time.Millisecond):
	}
	cancel()
	<-done
	if s := StaticStore(&Users{}); s.Len() != 0 {
		t.Errorf("empty static store: %d users", s.Len())
	}
}

func TestZeroStore(t *testing.T) {
	var s Store
	if _, err := s.Authenticate("braid_x"); err != ErrBadToken {
		t.Errorf("Authenticate: %v", err)
	}
	if _, ok := s.ByName("x"); ok || s.Len() != 0 || s.Reload() != nil {
		t.Errorf("zero Store")
	}
}
