package httpapi

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/braidstream/braid/wire"
)

// idleReader reads a request body, moving the connection's read deadline
// IdleTimeout ahead before every read: a client that stops sending ends
// the request, however long the whole upload takes. When ctx ends (the
// server shuts down) a read in progress is cut short and the body reads
// as an UNAVAILABLE error, which a client retries.
type idleReader struct {
	ctx     context.Context
	stop    context.Context // the API's: done when the server shuts down
	rc      *http.ResponseController
	body    io.Reader
	timeout time.Duration
}

// bodyReader returns r's body behind an idle deadline, ending with ctx
// (from requestCtx). Call stop when done reading.
func (a *API) bodyReader(ctx context.Context, w http.ResponseWriter, r *http.Request) (body io.Reader, stop func() bool) {
	ir := &idleReader{ctx: ctx, stop: a.stop, rc: http.NewResponseController(w), body: r.Body, timeout: a.limits.IdleTimeout}
	return ir, context.AfterFunc(ctx, func() { _ = ir.rc.SetReadDeadline(time.Now()) })
}

func (ir *idleReader) Read(p []byte) (int, error) {
	if err := ir.ended(); err != nil {
		return 0, err
	}
	// Not every ResponseWriter supports deadlines (httptest's recorder);
	// then reads are unbounded, as without this wrapper.
	_ = ir.rc.SetReadDeadline(time.Now().Add(ir.timeout))
	n, err := ir.body.Read(p)
	if err != nil && ir.stop.Err() != nil {
		// Cut short by bodyReader's deadline. (A read that failed on
		// its own also ends the request's context: keep its error.)
		err = errorf(wire.CodeUnavailable, "the server is shutting down: send the request again")
	}
	return n, err
}

// ended says why the body may not be read on: the server shuts down, or
// the request's context ended (nil: neither).
func (ir *idleReader) ended() error {
	switch {
	case ir.stop.Err() != nil:
		return errorf(wire.CodeUnavailable, "the server is shutting down: send the request again")
	case ir.ctx.Err() != nil:
		return ir.ctx.Err()
	}
	return nil
}

// idleWriter writes a response, moving the write deadline IdleTimeout
// ahead before every write: a client that stops reading ends the
// response instead of holding the server's resources.
type idleWriter struct {
	rc      *http.ResponseController
	w       http.ResponseWriter
	timeout time.Duration
}

// responseWriter returns w behind an idle deadline. Flush sends what is
// buffered to the client.
func (a *API) responseWriter(w http.ResponseWriter) *idleWriter {
	return &idleWriter{rc: http.NewResponseController(w), w: w, timeout: a.limits.IdleTimeout}
}

func (iw *idleWriter) Write(p []byte) (int, error) {
	_ = iw.rc.SetWriteDeadline(time.Now().Add(iw.timeout))
	return iw.w.Write(p)
}

// Flush sends buffered response bytes to the client.
func (iw *idleWriter) Flush() error {
	_ = iw.rc.SetWriteDeadline(time.Now().Add(iw.timeout))
	return iw.rc.Flush()
}
