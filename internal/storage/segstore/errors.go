package segstore

import "errors"

// Errors returned by the store; match them with errors.Is. Returned errors
// wrap these with the segment and offsets involved.
var (
	ErrBadName            = errors.New("bad segment name")
	ErrNotFound           = errors.New("segment not found")
	ErrExists             = errors.New("segment already exists")
	ErrSealed             = errors.New("segment is sealed")
	ErrTruncated          = errors.New("data is truncated")
	ErrOffsetOutOfRange   = errors.New("offset beyond the end of the segment")
	ErrNotEventBoundary   = errors.New("offset is not at an event boundary")
	ErrEventNumberGap     = errors.New("event number gap")
	ErrEventNumberOverlap = errors.New("event numbers overlap an earlier append")
	ErrTooLarge           = errors.New("append too large")
	ErrBadEvents          = errors.New("malformed events")
	ErrStorageFull        = errors.New("storage full")
	ErrStorageFailed      = errors.New("storage failed")
	ErrClosed             = errors.New("segment store closed")
	ErrCorrupt            = errors.New("stored data is damaged")
	// ErrTier2Behind refuses appends while too much data waits for tier 2
	// (slow or unavailable); it clears by itself once tier 2 catches up.
	ErrTier2Behind = errors.New("tier 2 unavailable or behind")
)
