// Package errclass holds braid's one error table: it maps the sentinel
// errors of the segment store, the controller and the group manager to
// braid's stable code (wire.Code) and to a gRPC code. Both APIs classify
// through it; each then translates the result into its own form (a gRPC
// status with an ErrorInfo detail, an HTTP status with a JSON body).
package errclass

import (
	"context"
	"errors"

	"google.golang.org/grpc/codes"

	"github.com/braidstream/braid/internal/controller"
	"github.com/braidstream/braid/internal/ephemeral"
	"github.com/braidstream/braid/internal/exportjob"
	"github.com/braidstream/braid/internal/gc"
	"github.com/braidstream/braid/internal/group"
	"github.com/braidstream/braid/internal/queryjob"
	"github.com/braidstream/braid/internal/storage/segstore"
	"github.com/braidstream/braid/internal/storage/wal"
	"github.com/braidstream/braid/wire"
)

// class is one entry of the table: errors that match err (errors.Is) get
// code and grpc.
type class struct {
	err  error
	code wire.Code
	grpc codes.Code
}

// ErrProtocolVersion is a request of a protocol version the server does not
// serve.
var ErrProtocolVersion = errors.New("unsupported protocol version")

// classes is the table, searched in order; the first match wins.
var classes = []class{
	{controller.ErrInvalidArgument, wire.CodeInvalidArgument, codes.InvalidArgument},
	{segstore.ErrBadEvents, wire.CodeInvalidArgument, codes.InvalidArgument},
	{segstore.ErrBadName, wire.CodeInvalidArgument, codes.InvalidArgument},
	{segstore.ErrNotEventBoundary, wire.CodeInvalidArgument, codes.InvalidArgument},
	{segstore.ErrOffsetOutOfRange, wire.CodeInvalidArgument, codes.OutOfRange},
	{controller.ErrScopeNotFound, wire.CodeNotFound, codes.NotFound},
	{controller.ErrStreamNotFound, wire.CodeNotFound, codes.NotFound},
	{segstore.ErrNotFound, wire.CodeNotFound, codes.NotFound},
	{controller.ErrScopeExists, wire.CodeAlreadyExists, codes.AlreadyExists},
	{controller.ErrStreamExists, wire.CodeAlreadyExists, codes.AlreadyExists},
	{segstore.ErrExists, wire.CodeAlreadyExists, codes.AlreadyExists},
	{controller.ErrScopeNotEmpty, wire.CodeInvalidArgument, codes.FailedPrecondition},
	{segstore.ErrSealed, wire.CodeSealed, codes.FailedPrecondition},
	{controller.ErrStreamSealed, wire.CodeSealed, codes.FailedPrecondition},
	{controller.ErrScaleConflict, wire.CodeConflict, codes.Aborted},
	{controller.ErrQuotaExceeded, wire.CodeQuotaExceeded, codes.ResourceExhausted},
	{group.ErrGroupNotFound, wire.CodeNotFound, codes.NotFound},
	{group.ErrGroupExists, wire.CodeAlreadyExists, codes.AlreadyExists},
	{group.ErrBusy, wire.CodeConflict, codes.Aborted},
	{ephemeral.ErrNotFound, wire.CodeNotFound, codes.NotFound},
	{ephemeral.ErrUnknownHolder, wire.CodeNotFound, codes.NotFound},
	{ephemeral.ErrDeleting, wire.CodeConflict, codes.Aborted},
	{ephemeral.ErrInvalid, wire.CodeInvalidArgument, codes.InvalidArgument},
	{ephemeral.ErrNotLoaded, wire.CodeUnavailable, codes.Unavailable},
	{gc.ErrInvalid, wire.CodeInvalidArgument, codes.InvalidArgument},
	{exportjob.ErrNotFound, wire.CodeNotFound, codes.NotFound},
	{exportjob.ErrStreamNotFound, wire.CodeNotFound, codes.NotFound},
	{exportjob.ErrExists, wire.CodeAlreadyExists, codes.AlreadyExists},
	{exportjob.ErrInvalid, wire.CodeInvalidArgument, codes.InvalidArgument},
	{queryjob.ErrNotFound, wire.CodeNotFound, codes.NotFound},
	{queryjob.ErrExists, wire.CodeAlreadyExists, codes.AlreadyExists},
	{queryjob.ErrInvalid, wire.CodeInvalidArgument, codes.InvalidArgument},
	{group.ErrNotMember, wire.CodeUnavailable, codes.Unavailable},
	// A cluster node that does not (or no longer) owns a container, or
	// cannot reach its owner: the client retries, and meets the new owner.
	{segstore.ErrNotOwner, wire.CodeUnavailable, codes.Unavailable},
	{segstore.ErrFenced, wire.CodeUnavailable, codes.Unavailable},
	{segstore.ErrTruncated, wire.CodeTruncated, codes.OutOfRange},
	{segstore.ErrTooLarge, wire.CodeEventTooLarge, codes.InvalidArgument},
	{segstore.ErrEventNumberGap, wire.CodeEventNumberGap, codes.FailedPrecondition},
	{segstore.ErrEventNumberOverlap, wire.CodeEventNumberGap, codes.FailedPrecondition},
	{segstore.ErrStorageFull, wire.CodeStorageFull, codes.ResourceExhausted},
	{segstore.ErrStorageFailed, wire.CodeStorageFailed, codes.Unavailable},
	{segstore.ErrClosed, wire.CodeUnavailable, codes.Unavailable},
	{segstore.ErrTier2Behind, wire.CodeUnavailable, codes.Unavailable},
	{segstore.ErrCorrupt, wire.CodeCorrupt, codes.DataLoss},
	{ErrProtocolVersion, wire.CodeProtocolVersion, codes.Unimplemented},
	{context.Canceled, wire.CodeCanceled, codes.Canceled},
	{context.DeadlineExceeded, wire.CodeDeadlineExceeded, codes.DeadlineExceeded},
}

// Classify maps err to braid's stable code and a gRPC code: by the first
// entry of the table that err matches (errors.Is, so wrapped errors
// match), else as corruption if it is a *wal.CorruptionError, else as
// INTERNAL. It is the one place where errors get codes.
func Classify(err error) (wire.Code, codes.Code) {
	for _, c := range classes {
		if errors.Is(err, c.err) {
			return c.code, c.grpc
		}
	}
	var ce *wal.CorruptionError
	if errors.As(err, &ce) {
		return wire.CodeCorrupt, codes.DataLoss
	}
	return wire.CodeInternal, codes.Internal
}
