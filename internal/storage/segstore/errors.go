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

// ErrFenced is the failure of a container whose log another owner took:
// its node must stop serving it.
var ErrFenced = errors.New("container fenced: another node owns it now")

// ErrLogMoved is a replay's answer when the log was truncated past the
// checkpoint it started from (another owner checkpointed meanwhile): the
// container recovers again, from the newer checkpoint.
var ErrLogMoved = errors.New("the log moved past the checkpoint")

// ErrNotOwner answers an operation on a segment whose container this
// store does not hold (a cluster node that does not own it).
var ErrNotOwner = errors.New("this node does not own the segment's container")
