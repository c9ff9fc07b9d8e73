package braid

import (
	"context"
	"errors"
	"io"
	"strings"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/wire"
)

// Error is an error with one of braid's stable codes. Every error the server
// returns becomes an *Error: its Code is the reason of the gRPC ErrorInfo
// detail (domain wire.ErrorDomain), or, when the server (or the network)
// gave none, a code derived from the gRPC status code. The client's own
// checks (names, sizes, pointers, cuts) fail with an *Error too.
//
// Match errors with errors.Is against the sentinels below (ErrNotFound,
// ErrEventTooLarge, ...), which compares codes, or with errors.As to read the
// code of any *Error.
type Error struct {
	// Code is the machine-readable reason, stable across releases.
	Code wire.Code
	// Message says what was wrong, naming the thing (stream, size,
	// pointer...) it was wrong about.
	Message string
}

// Error returns e.Message.
func (e *Error) Error() string { return e.Message }

// Is reports whether target is an *Error with the same Code. An *Error with
// code CANCELED also matches context.Canceled, and one with code
// DEADLINE_EXCEEDED matches context.DeadlineExceeded, so that
// errors.Is(err, context.Canceled) works on errors of canceled calls.
func (e *Error) Is(target error) bool {
	if t, ok := target.(*Error); ok {
		return t.Code == e.Code
	}
	switch target {
	case context.Canceled:
		return e.Code == wire.CodeCanceled
	case context.DeadlineExceeded:
		return e.Code == wire.CodeDeadlineExceeded
	}
	return false
}

// Sentinel errors, one per code that callers commonly match. Compare with
// errors.Is: any *Error with the same Code matches.
var (
	// ErrNotFound matches errors for a missing scope, stream or segment.
	ErrNotFound error = &Error{Code: wire.CodeNotFound, Message: "braid: not found"}
	// ErrAlreadyExists matches errors for creating something that exists.
	ErrAlreadyExists error = &Error{Code: wire.CodeAlreadyExists, Message: "braid: already exists"}
	// ErrInvalidArgument matches errors for bad input: names, sizes,
	// pointers, stream cuts, options.
	ErrInvalidArgument error = &Error{Code: wire.CodeInvalidArgument, Message: "braid: invalid argument"}
	// ErrSealed matches errors for appending to a sealed stream or segment.
	ErrSealed error = &Error{Code: wire.CodeSealed, Message: "braid: sealed"}
	// ErrTruncated matches errors for reading data removed by truncation
	// or retention.
	ErrTruncated error = &Error{Code: wire.CodeTruncated, Message: "braid: truncated"}
	// ErrEventTooLarge matches errors for an event above the maximum size.
	ErrEventTooLarge error = &Error{Code: wire.CodeEventTooLarge, Message: "braid: event too large"}
	// ErrStorageFull matches errors for a server whose storage is full.
	ErrStorageFull error = &Error{Code: wire.CodeStorageFull, Message: "braid: storage full"}
	// ErrStorageFailed matches errors for a failed storage operation on
	// the server.
	ErrStorageFailed error = &Error{Code: wire.CodeStorageFailed, Message: "braid: storage failed"}
	// ErrUnavailable matches errors for a server that cannot be reached or
	// is not serving.
	ErrUnavailable error = &Error{Code: wire.CodeUnavailable, Message: "braid: unavailable"}
	// ErrConflict matches errors for a change that lost a race with
	// another (for example two scalings of one segment).
	ErrConflict error = &Error{Code: wire.CodeConflict, Message: "braid: conflict"}
	// ErrQuotaExceeded: a create or scale would take the server past its
	// quota of streams or segments (serve --max-streams, --max-segments).
	ErrQuotaExceeded error = &Error{Code: wire.CodeQuotaExceeded, Message: "braid: quota exceeded"}
	// ErrEventNumberGap: a writer's event numbers skip ahead of, or
	// overlap, those the stream holds from its id (see WithStreamNumbers).
	ErrEventNumberGap error = &Error{Code: wire.CodeEventNumberGap, Message: "braid: event number gap"}
	// ErrProtocolVersion: the client and the server speak different
	// versions of a protocol (the append protocol, say); the error's
	// message names both. Upgrade the older side.
	ErrProtocolVersion error = &Error{Code: wire.CodeProtocolVersion, Message: "braid: protocol version not served"}
	// ErrUnauthenticated: the server requires credentials and got none,
	// or a token it does not know (see WithToken, WithTLS).
	ErrUnauthenticated error = &Error{Code: wire.CodeUnauthenticated, Message: "braid: unauthenticated"}
	// ErrPermissionDenied: the caller may not do this; the message names
	// the user, what was asked, and the user's roles.
	ErrPermissionDenied error = &Error{Code: wire.CodePermissionDenied, Message: "braid: permission denied"}
)

// ErrWriterClosed fails writes to a closed Writer, and the acks of events
// that were still pending when Close gave up waiting for them.
var ErrWriterClosed = errors.New("braid: writer closed")

// newError returns an *Error with the code and the message "braid: " + msg.
func newError(code wire.Code, msg string) *Error {
	return &Error{Code: code, Message: "braid: " + msg}
}

// invalidArg wraps a validation error of package wire (or any error) as an
// INVALID_ARGUMENT *Error, replacing the "wire: " prefix with "braid: ".
func invalidArg(err error) *Error {
	return &Error{Code: wire.CodeInvalidArgument, Message: "braid: " + strings.TrimPrefix(err.Error(), "wire: ")}
}

// fromStatus turns an error of a gRPC call into an *Error. op names the
// operation for errors that do not carry braid's ErrorInfo (network
// failures, cancellation), whose gRPC messages alone would not say what
// failed. A nil error stays nil.
func fromStatus(op string, err error) error {
	if err == nil {
		return nil
	}
	var be *Error
	if errors.As(err, &be) {
		return be
	}
	if errors.Is(err, context.Canceled) {
		return newError(wire.CodeCanceled, op+": "+err.Error())
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return newError(wire.CodeDeadlineExceeded, op+": "+err.Error())
	}
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return newError(wire.CodeUnavailable, op+": the server closed the stream")
	}
	st, ok := status.FromError(err)
	if !ok {
		return newError(wire.CodeInternal, op+": "+err.Error())
	}
	for _, d := range st.Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok && info.GetDomain() == wire.ErrorDomain && info.GetReason() != "" {
			return &Error{Code: wire.Code(info.GetReason()), Message: st.Message()}
		}
	}
	var code wire.Code
	switch st.Code() {
	case codes.Canceled:
		code = wire.CodeCanceled
	case codes.DeadlineExceeded:
		code = wire.CodeDeadlineExceeded
	case codes.NotFound:
		code = wire.CodeNotFound
	case codes.AlreadyExists:
		code = wire.CodeAlreadyExists
	case codes.InvalidArgument, codes.OutOfRange, codes.FailedPrecondition, codes.ResourceExhausted:
		code = wire.CodeInvalidArgument
	case codes.Unavailable, codes.Aborted:
		code = wire.CodeUnavailable
	case codes.DataLoss:
		code = wire.CodeCorrupt
	case codes.Unauthenticated:
		code = wire.CodeUnauthenticated
	case codes.PermissionDenied:
		code = wire.CodePermissionDenied
	default:
		code = wire.CodeInternal
	}
	return newError(code, op+": "+st.Message())
}

// fromAckError turns the in-band error of an append ack into an *Error.
func fromAckError(e *braidv1.Error) *Error {
	code := wire.Code(e.GetCode())
	if code == "" {
		code = wire.CodeInternal
	}
	msg := e.GetMessage()
	if msg == "" {
		msg = "braid: append failed with " + string(code)
	}
	return &Error{Code: code, Message: msg}
}

// codeOf returns the code of err if it is an *Error, and "" otherwise.
func codeOf(err error) wire.Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// retryable reports whether an append failure with this code may succeed
// when the batch is sent again.
func retryable(code wire.Code) bool {
	switch code {
	case wire.CodeUnavailable, wire.CodeStorageFull, wire.CodeStorageFailed, wire.CodeInternal:
		return true
	}
	return false
}
