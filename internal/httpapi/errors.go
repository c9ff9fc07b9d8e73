package httpapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/auth"
	"github.com/braidstream/braid/internal/errclass"
	"github.com/braidstream/braid/wire"
)

// apiError is an error with braid's stable code, answered as
// {"error": {"code": "...", "message": "..."}}.
type apiError struct {
	Code    wire.Code
	Message string
	// Status overrides the HTTP status the code maps to (0: the default).
	Status int
}

func (e *apiError) Error() string { return e.Message }

// errorf makes an apiError with a formatted message.
func errorf(code wire.Code, format string, args ...any) *apiError {
	return &apiError{Code: code, Message: fmt.Sprintf(format, args...)}
}

// badRequest is an INVALID_ARGUMENT error.
func badRequest(format string, args ...any) *apiError {
	return errorf(wire.CodeInvalidArgument, format, args...)
}

// Codes of the HTTP layer's own, beside the wire codes.
const (
	// codeNoRoute: no route has that path (404) or method (405).
	codeNoRoute wire.Code = "NO_ROUTE"
	// codeTooLarge: the request body exceeds the server's limit (413).
	codeTooLarge wire.Code = "REQUEST_TOO_LARGE"
	// codeUnsupportedMedia: the Content-Type is not one the route takes (415).
	codeUnsupportedMedia wire.Code = "UNSUPPORTED_MEDIA_TYPE"
)

// statusOf maps a code to its HTTP status.
func statusOf(code wire.Code) int {
	switch code {
	case wire.CodeInvalidArgument, wire.CodeEventNumberGap:
		return http.StatusBadRequest
	case wire.CodeUnauthenticated:
		return http.StatusUnauthorized
	case wire.CodePermissionDenied:
		return http.StatusForbidden
	case wire.CodeNotFound, codeNoRoute:
		return http.StatusNotFound
	case wire.CodeAlreadyExists, wire.CodeConflict, wire.CodeSealed:
		return http.StatusConflict
	case wire.CodeTruncated:
		return http.StatusGone
	case wire.CodeEventTooLarge, codeTooLarge:
		return http.StatusRequestEntityTooLarge
	case codeUnsupportedMedia:
		return http.StatusUnsupportedMediaType
	case wire.CodeStorageFull:
		return http.StatusInsufficientStorage
	case wire.CodeQuotaExceeded:
		return http.StatusTooManyRequests
	case wire.CodeUnavailable, wire.CodeStorageFailed:
		return http.StatusServiceUnavailable
	case wire.CodeDeadlineExceeded:
		return http.StatusGatewayTimeout
	case wire.CodeProtocolVersion:
		return http.StatusNotImplemented
	case wire.CodeCanceled:
		return 499 // client closed request
	default:
		return http.StatusInternalServerError
	}
}

// toAPIError classifies any error: an apiError as is, a client error by
// its code, a server error by errclass.Classify, a too-large body as 413.
func toAPIError(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &apiError{Code: codeTooLarge, Message: fmt.Sprintf("request body exceeds the limit of %d bytes", mbe.Limit)}
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		// The idle deadline of a request body or response (idle.go).
		return &apiError{Code: wire.CodeDeadlineExceeded, Status: http.StatusRequestTimeout,
			Message: "the client sent or read nothing for too long: " + err.Error()}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return &apiError{Code: wire.CodeInvalidArgument, Message: "the request body ended before its declared length: " + err.Error()}
	}
	var be *braid.Error
	if errors.As(err, &be) {
		return &apiError{Code: be.Code, Message: be.Message}
	}
	switch {
	case errors.Is(err, auth.ErrDenied):
		return &apiError{Code: wire.CodePermissionDenied, Message: err.Error()}
	case errors.Is(err, auth.ErrNoCredentials), errors.Is(err, auth.ErrMalformed), errors.Is(err, auth.ErrBadToken):
		return &apiError{Code: wire.CodeUnauthenticated, Message: strings.TrimPrefix(err.Error(), "auth: ")}
	}
	switch {
	case errors.Is(err, context.Canceled):
		return &apiError{Code: wire.CodeCanceled, Message: err.Error()}
	case errors.Is(err, context.DeadlineExceeded):
		return &apiError{Code: wire.CodeDeadlineExceeded, Message: err.Error()}
	}
	code, _ := errclass.Classify(err)
	return &apiError{Code: code, Message: err.Error()}
}

// errorBody is the JSON form of an error.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    wire.Code `json:"code"`
	Message string    `json:"message"`
}

// writeError answers with err as a JSON error.
func (a *API) writeError(w http.ResponseWriter, r *http.Request, err error) {
	ae := toAPIError(err)
	if limit := limitOf(err, ae, r); limit != "" {
		a.hits.Hit(limit)
	}
	status := ae.Status
	if status == 0 {
		status = statusOf(ae.Code)
	}
	if a.errs != nil {
		a.errs.Count("http", string(ae.Code))
	}
	if ae.Code == wire.CodeUnauthenticated {
		w.Header().Set("WWW-Authenticate", `Bearer realm="braid"`)
	}
	if status >= 500 && status != http.StatusServiceUnavailable && status != http.StatusGatewayTimeout && status != http.StatusInsufficientStorage {
		a.log.Warn("http request failed", "method", r.Method, "path", r.URL.Path, "code", ae.Code, "err", ae.Message)
	}
	writeJSON(w, status, errorBody{Error: errorDetail{Code: ae.Code, Message: ae.Message}})
}

// limitOf names the limit (braid_limit_hits_total) an error answers, for
// the limits met in many places: body and file sizes, event sizes, idle
// request bodies. Limits met in one place count there.
func limitOf(err error, ae *apiError, r *http.Request) string {
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe) && strings.HasSuffix(r.URL.Path, "/file"):
		return "http-max-file"
	case errors.As(err, &mbe):
		return "http-max-body"
	case ae.Code == wire.CodeEventTooLarge:
		return "max-event-size"
	case ae.Status == http.StatusRequestTimeout:
		return "http-idle-timeout"
	}
	return ""
}

// errText is an error's message without braid's or wire's prefix.
func errText(err error) string {
	var be *braid.Error
	msg := err.Error()
	if errors.As(err, &be) {
		msg = be.Message
	}
	for _, p := range []string{"braid: ", "wire: "} {
		msg = strings.TrimPrefix(msg, p)
	}
	return msg
}

// ErrorCounter counts errors answered to clients, by API and braid code.
type ErrorCounter interface {
	Count(api, code string)
}
