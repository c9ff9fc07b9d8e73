package auth

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultPollInterval is how often Run looks at the users file when given
// no interval.
const DefaultPollInterval = 2 * time.Second

// racyWindow is how recent a file's modification time must be for a file
// that looks unchanged (same time, size and file) to be read again anyway:
// it may have been written again within the file system's timestamp
// granularity (up to 2 s on some), after it was read.
const racyWindow = 3 * time.Second

// Store serves the users of a users file and reloads it when it changes.
// It is safe for concurrent use: Authenticate and ByName read an immutable
// snapshot that a reload replaces at once. Make one with NewStore or
// StaticStore (a zero Store has no users and no file).
type Store struct {
	path string // "" for StaticStore
	log  *slog.Logger
	snap atomic.Pointer[snapshot]

	mu      sync.Mutex // serializes reloads; guards the fields below
	seen    stamp      // the file last read (good or bad)
	sum     [32]byte   // its contents' SHA-256
	racy    bool       // seen was modified too recently to trust the stamp
	seenErr error      // why the contents read last are not served; nil if they are
	lastErr string     // the last error logged, not logged again
}

// snapshot is one version of the users, never changed.
type snapshot struct {
	byHash map[string]Identity
	byName map[string]Identity
	users  int
}

func newSnapshot(u *Users) *snapshot {
	s := &snapshot{byHash: make(map[string]Identity), byName: make(map[string]Identity)}
	for _, usr := range u.List() {
		id := identityOf(usr)
		s.byName[usr.Name] = id
		if usr.TokenSHA256 != "" {
			s.byHash[usr.TokenSHA256] = id
		}
	}
	s.users = len(s.byName)
	return s
}

// stamp is what tells that a file changed without reading it.
type stamp struct {
	fi os.FileInfo // for os.SameFile: a rename put another file there
}

func (a stamp) same(b stamp) bool {
	if a.fi == nil || b.fi == nil {
		return a.fi == nil && b.fi == nil
	}
	return a.fi.ModTime().Equal(b.fi.ModTime()) && a.fi.Size() == b.fi.Size() && os.SameFile(a.fi, b.fi)
}

// NewStore loads the users file at path; it fails if the file cannot be
// read or is not valid. log receives the reloads and the failed ones of
// Run (nil: nothing is logged).
func NewStore(path string, log *slog.Logger) (*Store, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Store{path: path, log: log}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.load(); err != nil {
		return nil, err
	}
	return s, nil
}

// StaticStore returns a Store of the users u (copied), with no file: for
// tests, and for servers whose users are not in a file. Its Run only waits
// for ctx to end.
func StaticStore(u *Users) *Store {
	s := &Store{log: slog.New(slog.DiscardHandler)}
	s.snap.Store(newSnapshot(u))
	return s
}

// Run looks at the users file every interval (DefaultPollInterval when
// every is not positive) and reloads it when its modification time, size
// or identity (a new file renamed over it) changed. A new file that cannot
// be read or is not valid is logged, once, and the old users are kept. Run
// returns when ctx ends.
func (s *Store) Run(ctx context.Context, every time.Duration) {
	if s.path == "" {
		<-ctx.Done()
		return
	}
	if every <= 0 {
		every = DefaultPollInterval
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.poll()
		}
	}
}

// Reload reads the users file now if it changed (as Run does at each
// tick) and returns the error that kept it from being loaded, if any (the
// old users are then kept). A StaticStore has nothing to reload.
func (s *Store) Reload() error {
	if s.path == "" {
		return nil
	}
	return s.poll()
}

// poll reloads the file if it changed, logging the outcome.
func (s *Store) poll() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	changed, err := s.load()
	switch {
	case err != nil:
		if msg := err.Error(); msg != s.lastErr {
			s.lastErr = msg
			s.log.Error("auth: cannot reload the users file; the users loaded before stay in force",
				"path", s.path, "err", err)
		}
	case changed:
		s.lastErr = ""
		s.log.Info("auth: reloaded the users file", "path", s.path, "users", s.snap.Load().users)
	default:
		s.lastErr = ""
	}
	return err
}

// load reads the file if it may have changed since the last time, and
// serves its users if they are valid and not the same bytes as before. It
// reports whether it served new users, and the error that keeps the file
// as it is now from being served (also when it did not change since the
// last time). s.mu is held.
func (s *Store) load() (changed bool, err error) {
	fi, err := os.Stat(s.path)
	if err != nil {
		return false, fmt.Errorf("auth: users file: %w", err)
	}
	statTime := time.Now()
	st := stamp{fi: fi}
	if st.same(s.seen) && !s.racy {
		return false, s.seenErr
	}
	b, err := readFile(s.path)
	if err != nil {
		return false, err
	}
	// The stamp of the stat before the read: if the file changes after the
	// stat, the next look sees another stamp and reads it again.
	s.seen = st
	s.racy = !fi.ModTime().Before(statTime.Add(-racyWindow))
	sum := sha256.Sum256(b)
	if s.snap.Load() != nil && bytes.Equal(sum[:], s.sum[:]) {
		return false, s.seenErr
	}
	s.sum = sum
	u, err := parseUsers(b)
	if err != nil {
		s.seenErr = &fileError{path: s.path, err: err}
		return false, s.seenErr
	}
	s.seenErr = nil
	s.snap.Store(newSnapshot(u))
	return true, nil
}

// fileError is a users file that is not valid.
type fileError struct {
	path string
	err  error
}

func (e *fileError) Error() string { return "auth: users file " + e.path + ": " + e.err.Error() }
func (e *fileError) Unwrap() error { return e.err }

// Authenticate returns the identity whose token is token, found by its
// hash (HashToken). An empty token is ErrNoCredentials; a token that is no
// user's is ErrBadToken, which says nothing more.
func (s *Store) Authenticate(token string) (Identity, error) {
	switch {
	case token == "":
		return Anonymous, ErrNoCredentials
	case len(token) > MaxAuthorizationLen:
		return Anonymous, ErrBadToken
	}
	id, ok := s.current().byHash[HashToken(token)]
	if !ok {
		return Anonymous, ErrBadToken
	}
	return id, nil
}

// ByName returns the identity of the user named name: for a client
// authenticated by its certificate, whose common name is the user's name.
func (s *Store) ByName(name string) (Identity, bool) {
	id, ok := s.current().byName[name]
	return id, ok
}

// Len returns the number of users served.
func (s *Store) Len() int { return s.current().users }

// noUsers is the snapshot of a zero Store (not made by NewStore or
// StaticStore): nobody.
var noUsers = &snapshot{}

func (s *Store) current() *snapshot {
	if snap := s.snap.Load(); snap != nil {
		return snap
	}
	return noUsers
}
