package peer

import (
	"context"
	"errors"

	clusterv1 "github.com/braidstream/braid/api/braid/cluster/v1"
	"github.com/braidstream/braid/internal/storage/segstore"
	"github.com/braidstream/braid/internal/storage/wal"
)

// kinds names the store errors that cross between nodes. A forwarding node
// gives its client the owner's error as the owner would have: same
// sentinel (for errors.Is, and so the same code), same text.
var kinds = []struct {
	name string
	err  error
}{
	{"bad_name", segstore.ErrBadName},
	{"not_found", segstore.ErrNotFound},
	{"exists", segstore.ErrExists},
	{"sealed", segstore.ErrSealed},
	{"truncated", segstore.ErrTruncated},
	{"offset_out_of_range", segstore.ErrOffsetOutOfRange},
	{"not_event_boundary", segstore.ErrNotEventBoundary},
	{"event_number_gap", segstore.ErrEventNumberGap},
	{"event_number_overlap", segstore.ErrEventNumberOverlap},
	{"too_large", segstore.ErrTooLarge},
	{"bad_events", segstore.ErrBadEvents},
	{"storage_full", segstore.ErrStorageFull},
	{"tier2_behind", segstore.ErrTier2Behind},
	{"corrupt", segstore.ErrCorrupt},
	{"not_owner", segstore.ErrNotOwner},
	{"fenced", segstore.ErrFenced},
	{"storage_failed", segstore.ErrStorageFailed},
	{"log_failed", wal.ErrFailed},
	{"closed", segstore.ErrClosed},
	{"deadline", context.DeadlineExceeded},
	{"canceled", context.Canceled},
}

// encode gives err's kind and text (nil for no error).
func encode(err error) *clusterv1.Error {
	if err == nil {
		return nil
	}
	for _, k := range kinds {
		if errors.Is(err, k.err) {
			return &clusterv1.Error{Kind: k.name, Message: err.Error()}
		}
	}
	return &clusterv1.Error{Kind: "other", Message: err.Error()}
}

// remoteError is an owner's error, decoded.
type remoteError struct {
	kind error // nil for an error of no known kind
	msg  string
}

func (e *remoteError) Error() string { return e.msg }
func (e *remoteError) Unwrap() error { return e.kind }

// decode is encode's inverse.
func decode(e *clusterv1.Error) error {
	if e == nil {
		return nil
	}
	for _, k := range kinds {
		if k.name == e.Kind {
			return &remoteError{kind: k.err, msg: e.Message}
		}
	}
	return &remoteError{msg: e.Message}
}
