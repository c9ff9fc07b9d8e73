// Package grpcapi implements braid's gRPC services (api/braid/v1): handlers
// translate requests and delegate to the controller and the segment store.
// Errors get their codes from the one table in internal/errclass; this
// package only turns them into gRPC statuses (toStatus) and in-band errors
// (toError).
package grpcapi

import (
	"fmt"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/status"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/internal/controller"
	"github.com/braidstream/braid/internal/errclass"
	"github.com/braidstream/braid/wire"
)

// toStatus turns an error into a gRPC status error with the codes of
// errclass.Classify, carrying an ErrorInfo detail with braid's code. An
// error that already is a status passes as is.
func toStatus(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := status.FromError(err); ok {
		return err
	}
	code, gc := errclass.Classify(err)
	st := status.New(gc, err.Error())
	if d, derr := st.WithDetails(&errdetails.ErrorInfo{Reason: string(code), Domain: wire.ErrorDomain}); derr == nil {
		st = d
	}
	return st.Err()
}

// toError is the in-band form used in append acks.
func toError(err error) *braidv1.Error {
	code, _ := errclass.Classify(err)
	return &braidv1.Error{Code: string(code), Message: err.Error()}
}

func invalidArg(format string, args ...any) error {
	return fmt.Errorf("%w: %s", controller.ErrInvalidArgument, fmt.Sprintf(format, args...))
}
