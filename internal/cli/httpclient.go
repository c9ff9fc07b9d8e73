package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/braidstream/braid/wire"
)

// defaultHTTPAddr is the default of --http: the server's HTTP address.
const defaultHTTPAddr = "127.0.0.1:7471"

// httpRemote holds the flags of a command that talks to the server's HTTP
// API (upload, download) instead of its gRPC port. The persistent TLS and
// token flags (security.go) go with every request: any TLS flag makes a
// host:port --http mean https://host:port.
type httpRemote struct {
	cmd  *cobra.Command
	addr string // --http, as of the last connect
}

// addFlags ties h to cmd, whose --http is the root command's (persistent,
// BRAID_HTTP).
func (h *httpRemote) addFlags(cmd *cobra.Command) { h.cmd = cmd }

// connect checks --http and returns a client for it. Close it when done:
// it owns its idle connections.
func (h *httpRemote) connect() (*httpAPI, error) {
	if f := h.cmd.Flag("http"); f != nil {
		h.addr = f.Value.String()
	}
	base, err := httpBase(h.addr)
	if err != nil {
		return nil, err
	}
	sec, err := securityOf(h.cmd)
	if err != nil {
		return nil, err
	}
	if sec.tls {
		if strings.Contains(h.addr, "://") && base.Scheme == "http" {
			use := "--http https://" + base.Host + base.Path
			if base.Path == "" {
				use = "--http " + base.Host + " or https://" + base.Host
			}
			return nil, usagef("--http %s is plain HTTP, but %s %s for TLS: give %s", h.addr, sec.tlsFlagList(), sec.asks(), use)
		}
		base.Scheme = "https"
	}
	if err := sec.checkToken("--http", base.Hostname(), base.Scheme == "http"); err != nil {
		return nil, err
	}
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   dialTimeout,
		ExpectContinueTimeout: time.Second,
		MaxIdleConnsPerHost:   2,
		// Bodies are binary and streamed: no transparent gzip, so that
		// the byte counts are the real ones.
		DisableCompression: true,
	}
	if sec.tls {
		if tr.TLSClientConfig, err = sec.clientTLS(); err != nil {
			return nil, err
		}
	}
	api := &httpAPI{addr: h.addr, base: base, hc: &http.Client{Transport: tr}, sec: sec}
	if sec.token != "" {
		api.authorization = "Bearer " + sec.token
	}
	return api, nil
}

// httpBase turns --http into a base URL: host:port means http://host:port.
func httpBase(addr string) (*url.URL, error) {
	s := addr
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, usagef("invalid --http %q: want host:port or an http:// or https:// URL", addr)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	return u, nil
}

// httpAPI is a client of the server's HTTP API.
type httpAPI struct {
	addr string // --http as given, for messages
	base *url.URL
	hc   *http.Client
	sec  *security
	// authorization is the Authorization header of every request ("":
	// none).
	authorization string
}

// close closes the idle connections.
func (a *httpAPI) close() { a.hc.CloseIdleConnections() }

// streamURL is the URL of /v1/streams/{scope}/{stream}[/suffix]?query.
func (a *httpAPI) streamURL(stream, suffix string, query url.Values) string {
	scope, name, _ := wire.SplitStream(stream)
	u := *a.base
	u.Path += "/v1/streams/" + url.PathEscape(scope) + "/" + url.PathEscape(name)
	if suffix != "" {
		u.Path += "/" + suffix
	}
	u.RawPath = ""
	u.RawQuery = query.Encode()
	return u.String()
}

// do sends req and returns the response if its status is 2xx; otherwise
// it reads the error body and returns it as an *httpError.
func (a *httpAPI) do(req *http.Request) (*http.Response, error) {
	if a.authorization != "" {
		req.Header.Set("Authorization", a.authorization)
	}
	resp, err := a.hc.Do(req)
	if err != nil {
		if hint := a.sec.hint(req.Context(), "--http", a.addr, a.base.Scheme == "https", err); hint != nil {
			return nil, hint
		}
		if hint := httpDialHint(a.addr, err); hint != nil {
			return nil, hint
		}
		return nil, err
	}
	if resp.StatusCode/100 == 2 {
		return resp, nil
	}
	defer resp.Body.Close()
	herr := readHTTPError(resp)
	if resp.StatusCode == http.StatusBadRequest && a.base.Scheme == "http" && strings.Contains(herr.Error(), httpsServerSays) {
		return nil, answersTLS("--http", a.addr)
	}
	return nil, herr
}

// createStream creates stream, and its scope, if it does not exist.
func (a *httpAPI) createStream(ctx context.Context, stream string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, a.streamURL(stream, "", nil),
		strings.NewReader(`{"create_scope": true}`))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.do(req)
	var he *httpError
	if errors.As(err, &he) && he.Status == http.StatusConflict && he.Code == string(wire.CodeAlreadyExists) {
		return nil
	}
	if err != nil {
		return err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return resp.Body.Close()
}

// failed wraps err of operation op: an interrupt, an unreachable server,
// an error the server answered, or a broken connection.
func (a *httpAPI) failed(ctx context.Context, op string, err error) error {
	if errors.Is(ctx.Err(), context.Canceled) {
		return fmt.Errorf("%s: interrupted", op)
	}
	var he *httpError
	if errors.As(err, &he) {
		return fmt.Errorf("%s: %s", op, message(he))
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Op == "dial" {
		return fmt.Errorf("cannot reach braid server at %s (HTTP): %s", a.addr, dialReason(oe))
	}
	return fmt.Errorf("%s: %s", op, a.reason(err))
}

// reason is the text of a transport error, without the method, URL and
// socket addresses the net/http and net errors repeat.
func (a *httpAPI) reason(err error) string {
	var oe *net.OpError
	var se *os.SyscallError
	if errors.As(err, &oe) && errors.As(oe, &se) {
		return fmt.Sprintf("the connection to %s broke: %s", a.addr, se.Err)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return message(err)
}

// dialReason is why a dial failed, without the addresses net.OpError
// repeats.
func dialReason(oe *net.OpError) string {
	switch {
	case oe.Timeout():
		return fmt.Sprintf("no answer after %s", dialTimeout)
	case oe.Err == nil:
		return oe.Error()
	}
	return oe.Err.Error()
}

// httpError is an error the server answered: {"error": {"code",
// "message"}} with an HTTP status.
type httpError struct {
	Status  int
	Code    string // braid's error code; "" when the body was not braid's JSON
	Message string
}

func (e *httpError) Error() string {
	if e.Message == "" {
		return fmt.Sprintf("HTTP %d %s (%s)", e.Status, http.StatusText(e.Status), e.Code)
	}
	return e.Message
}

// readHTTPError makes an *httpError from an error response. A body that is
// not braid's JSON (a proxy's page, say) is quoted, shortened.
func readHTTPError(resp *http.Response) error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var eb struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &eb); err == nil && eb.Error.Code != "" {
		return &httpError{Status: resp.StatusCode, Code: eb.Error.Code, Message: eb.Error.Message}
	}
	text := strings.TrimSpace(string(bytes.ToValidUTF8(body, []byte("?"))))
	if i := strings.IndexByte(text, '\n'); i >= 0 {
		text = text[:i]
	}
	if len(text) > 200 {
		text = text[:200] + "…"
	}
	msg := fmt.Sprintf("HTTP %s", resp.Status)
	if text != "" {
		msg += ": " + text
	}
	return &httpError{Status: resp.StatusCode, Message: msg}
}

// retryable reports whether a request that failed with err may succeed if
// sent again: the connection failed or broke, or the server was
// unavailable or failed inside.
func retryable(ctx context.Context, err error) bool {
	var wp *wrongPortError
	var hint *hintError
	if ctx.Err() != nil || errors.As(err, &wp) || errors.As(err, &hint) {
		return false
	}
	var he *httpError
	if errors.As(err, &he) {
		switch {
		case he.Code == string(wire.CodeUnavailable):
			return true
		case he.Status == http.StatusInsufficientStorage, he.Status == http.StatusNotImplemented,
			he.Status == http.StatusHTTPVersionNotSupported:
			return false
		}
		return he.Status >= 500
	}
	return true // no answer: the connection failed
}

// rate is a throughput for the summary lines: "12.3 MB/s".
func rate(n int64, d time.Duration) string {
	if d <= 0 {
		d = time.Microsecond
	}
	return fmt.Sprintf("%.1f MB/s", float64(n)/1e6/d.Seconds())
}

// roundDuration rounds d for the summary lines.
func roundDuration(d time.Duration) time.Duration {
	switch {
	case d < 10*time.Millisecond:
		return d.Round(10 * time.Microsecond)
	case d < time.Second:
		return d.Round(time.Millisecond)
	}
	return d.Round(10 * time.Millisecond)
}

// progress shows a byte count on w while a transfer runs, if w is a
// terminal; it shows nothing otherwise (pipes, files, tests). A nil
// *progress does nothing.
type progress struct {
	b *progressbar.ProgressBar
}

// newProgress starts a progress display of total bytes (-1: unknown).
func newProgress(w io.Writer, total int64, desc string) *progress {
	if !isTerminal(w) {
		return nil
	}
	return &progress{b: progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowBytes(true),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSpinnerType(14),
		// No ticker goroutine for the spinner: it turns on writes.
		progressbar.OptionSetSpinnerChangeInterval(0),
		progressbar.OptionClearOnFinish(),
	)}
}

func (p *progress) add(n int) {
	if p != nil && n > 0 {
		_ = p.b.Add(n)
	}
}

// done removes the display.
func (p *progress) done() {
	if p != nil {
		_ = p.b.Clear()
		_ = p.b.Exit()
	}
}

// countingReader passes reads through, counting them on a progress.
type countingReader struct {
	r io.Reader
	p *progress
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.p.add(n)
	return n, err
}
