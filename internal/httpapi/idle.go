package httpapi

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/braidstream/braid/internal/limits"
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
// ahead before every write: a client that stops reading (a slow
// consumer) ends the response instead of holding the server's resources.
// A write that fails on the deadline counts as a "http-slow-reader" limit
// hit, once per response. It is an http.ResponseWriter, so that writeJSON
// can write through it.
type idleWriter struct {
	rc      *http.ResponseController
	w       http.ResponseWriter
	timeout time.Duration
	hits    *limits.Hits
	log     *slog.Logger
	cut     bool // the deadline cut the response (counted)
}

// responseWriter returns w behind an idle deadline. Flush sends what is
// buffered to the client.
func (a *API) responseWriter(w http.ResponseWriter) *idleWriter {
	return &idleWriter{rc: http.NewResponseController(w), w: w, timeout: a.limits.IdleTimeout, hits: a.hits, log: a.log}
}

func (iw *idleWriter) Header() http.Header { return iw.w.Header() }

func (iw *idleWriter) WriteHeader(status int) { iw.w.WriteHeader(status) }

// idleWriteBytes is the most one write sends under one deadline: a large
// answer goes in pieces, each of which the client must take within the
// idle timeout.
const idleWriteBytes = 64 << 10

func (iw *idleWriter) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		piece := p[:min(len(p), idleWriteBytes)]
		_ = iw.rc.SetWriteDeadline(time.Now().Add(iw.timeout))
		m, err := iw.w.Write(piece)
		n += m
		if err != nil {
			iw.failed(err)
			return n, err
		}
		p = p[len(piece):]
	}
	return n, nil
}

// Flush sends buffered response bytes to the client.
func (iw *idleWriter) Flush() error {
	_ = iw.rc.SetWriteDeadline(time.Now().Add(iw.timeout))
	err := iw.rc.Flush()
	iw.failed(err)
	return err
}

// failed counts a write that the deadline cut.
func (iw *idleWriter) failed(err error) {
	if err == nil || iw.cut || !errors.Is(err, os.ErrDeadlineExceeded) {
		return
	}
	iw.cut = true
	iw.hits.Hit("http-slow-reader")
	iw.log.Info("HTTP client cut off: it read nothing for the idle timeout", "timeout", iw.timeout)
}
