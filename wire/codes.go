package wire

// ErrorDomain is the domain of braid's errors, as used in gRPC's
// google.rpc.ErrorInfo.Domain.
const ErrorDomain = "braid.io"

// Code is a stable, machine-readable error code. Codes travel as gRPC
// ErrorInfo.Reason and as the "code" of HTTP JSON errors; clients match on
// them, so their text never changes once released. New codes may be added.
type Code string

// The error codes. Their string values are part of the wire format.
const (
	// CodeInvalidArgument: the request is malformed (bad name, size, pointer,
	// stream cut, JSON, SQL...); retrying it unchanged will fail again.
	CodeInvalidArgument Code = "INVALID_ARGUMENT"
	// CodeNotFound: the scope, stream, segment, reader group or other named
	// thing does not exist.
	CodeNotFound Code = "NOT_FOUND"
	// CodeAlreadyExists: something with that name already exists.
	CodeAlreadyExists Code = "ALREADY_EXISTS"
	// CodeSealed: the segment or stream is sealed and takes no more appends.
	CodeSealed Code = "SEALED"
	// CodeTruncated: the requested data was truncated or deleted by retention.
	CodeTruncated Code = "TRUNCATED"
	// CodeEventTooLarge: an event is larger than the maximum event size.
	CodeEventTooLarge Code = "EVENT_TOO_LARGE"
	// CodeEventNumberGap: a writer's event number skipped ahead of the last
	// one the segment recorded for that writer.
	CodeEventNumberGap Code = "EVENT_NUMBER_GAP"
	// CodeStorageFull: the server's storage is full; appends are refused.
	CodeStorageFull Code = "STORAGE_FULL"
	// CodeStorageFailed: a storage operation (write, fsync, tier-2 upload)
	// failed; nothing acknowledged was lost.
	CodeStorageFailed Code = "STORAGE_FAILED"
	// CodeUnavailable: the server or the part owning the data is not serving
	// right now; retry later.
	CodeUnavailable Code = "UNAVAILABLE"
	// CodeCorrupt: stored data failed a checksum or structural check.
	CodeCorrupt Code = "CORRUPT"
	// CodeInternal: a bug or unexpected state in the server.
	CodeInternal Code = "INTERNAL"
	// CodeDeadlineExceeded: the operation did not finish before its deadline.
	CodeDeadlineExceeded Code = "DEADLINE_EXCEEDED"
	// CodeCanceled: the caller canceled the operation.
	CodeCanceled Code = "CANCELED"
	// CodeConflict: a concurrent change got there first (for example
	// another scaling sealed the segment); look again and retry.
	CodeConflict Code = "CONFLICT"
	// CodeQuotaExceeded: the request would take the server past one of
	// its quotas (streams, segments); delete something or raise the quota.
	CodeQuotaExceeded Code = "QUOTA_EXCEEDED"
	// CodeProtocolVersion: the client speaks a version of a protocol that
	// the server does not serve (an append session of protocol 1, say);
	// the message names both versions. Upgrade the older side.
	CodeProtocolVersion Code = "PROTOCOL_VERSION"
	// CodeUnauthenticated: the request carries no credentials, or ones
	// that are not valid (a malformed Authorization header, an unknown or
	// revoked token, a client certificate of no user). HTTP 401.
	CodeUnauthenticated Code = "UNAUTHENTICATED"
	// CodePermissionDenied: the caller is authenticated but may not do
	// this (its roles do not reach the scope, or the action is a cluster
	// admin's); the message names the user, the action and its roles.
	// HTTP 403.
	CodePermissionDenied Code = "PERMISSION_DENIED"
)
