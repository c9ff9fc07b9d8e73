// Package grpcapi implements braid's gRPC services (api/braid/v1): handlers
// translate requests, delegate to the controller and the segment store, and
// map errors to codes in one place (Classify).
package grpcapi

import (
	"context"
	"errors"
	"fmt"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/internal/controller"
	"github.com/braidstream/braid/internal/group"
	"github.com/braidstream/braid/internal/storage/segstore"
	"github.com/braidstream/braid/internal/storage/wal"
	"github.com/braidstream/braid/wire"
)

var classes = []struct {
	err  error
	code wire.Code
	grpc codes.Code
}{
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
	{group.ErrNotMember, wire.CodeUnavailable, codes.Unavailable},
	{segstore.ErrTruncated, wire.CodeTruncated, codes.OutOfRange},
	{segstore.ErrTooLarge, wire.CodeEventTooLarge, codes.InvalidArgument},
	{segstore.ErrEventNumberGap, wire.CodeEventNumberGap, codes.FailedPrecondition},
	{segstore.ErrEventNumberOverlap, wire.CodeEventNumberGap, codes.FailedPrecondition},
	{segstore.ErrStorageFull, wire.CodeStorageFull, codes.ResourceExhausted},
	{segstore.ErrStorageFailed, wire.CodeStorageFailed, codes.Unavailable},
	{segstore.ErrClosed, wire.CodeUnavailable, codes.Unavailable},
	{segstore.ErrTier2Behind, wire.CodeUnavailable, codes.Unavailable},
	{segstore.ErrCorrupt, wire.CodeCorrupt, codes.DataLoss},
	{context.Canceled, wire.CodeCanceled, codes.Canceled},
	{context.DeadlineExceeded, wire.CodeDeadlineExceeded, codes.DeadlineExceeded},
}

// Classify maps an error to braid's stable code and a gRPC code. It is the
// one place where errors get codes; the HTTP layer uses it too.
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

// toStatus turns an error into a gRPC status error carrying an ErrorInfo
// detail with braid's code.
func toStatus(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := status.FromError(err); ok {
		return err
	}
	code, gc := Classify(err)
	st := status.New(gc, err.Error())
	if d, derr := st.WithDetails(&errdetails.ErrorInfo{Reason: string(code), Domain: wire.ErrorDomain}); derr == nil {
		st = d
	}
	return st.Err()
}

// toError is the in-band form used in append acks.
func toError(err error) *braidv1.Error {
	code, _ := Classify(err)
	return &braidv1.Error{Code: string(code), Message: err.Error()}
}

func invalidArg(format string, args ...any) error {
	return fmt.Errorf("%w: %s", controller.ErrInvalidArgument, fmt.Sprintf(format, args...))
}
