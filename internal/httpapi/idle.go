package httpapi

import (
	"io"
	"net/http"
	"time"
)

// idleReader reads a request body, moving the connection's read deadline
// IdleTimeout ahead before every read: a client that stops sending ends
// the request, however long the whole upload takes.
type idleReader struct {
	rc      *http.ResponseController
	body    io.Reader
	timeout time.Duration
}

// bodyReader returns r's body behind an idle deadline.
func (a *API) bodyReader(w http.ResponseWriter, r *http.Request) io.Reader {
	return &idleReader{rc: http.NewResponseController(w), body: r.Body, timeout: a.limits.IdleTimeout}
}

func (ir *idleReader) Read(p []byte) (int, error) {
	// Not every ResponseWriter supports deadlines (httptest's recorder);
	// then reads are unbounded, as without this wrapper.
	_ = ir.rc.SetReadDeadline(time.Now().Add(ir.timeout))
	return ir.body.Read(p)
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
