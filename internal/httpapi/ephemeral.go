package httpapi

import (
	"net"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/auth"
	"github.com/braidstream/braid/internal/ephemeral"
	"github.com/braidstream/braid/wire"
)

// Ephemeral streams and scopes: a holder attaches (creating the stream or
// scope), renews its lease with keep-alives and detaches; once the last
// holder detached, or every holder's lease ran out, the server deletes the
// stream or scope, with all it holds, after its grace period.
//
// Over HTTP the client is the holder: the API renews no lease of its own,
// so that a holder can be a curl script that renews its lease (and one
// that dies stops renewing, and goes a lease later). That is why these
// routes do not use Client.EphemeralStream, whose client renews the leases
// itself and detaches them when it closes, but the client's plain calls
// for programs that keep leases themselves: AttachHolder,
// KeepAliveHolders, DetachHolder, DescribeEphemeral and ListEphemeral. The
// JSON form of an ephemeral stream or scope is the CLI's (braid ephemeral
// describe -o json, internal/cli/ephemeral.go).

// maxHolderName bounds a holder's name (the manager's bound).
const maxHolderName = 256

// attachRequest is the body of POST /v1/ephemeral/streams/{scope}/{stream}
// and POST /v1/ephemeral/scopes/{scope}.
type attachRequest struct {
	// Holder names who attaches (default http-CLIENT-ADDRESS).
	Holder string `json:"holder"`
	// Lease is a Go duration, 1s to 24h (absent: 30s).
	Lease string `json:"lease"`
	// Grace is a Go duration, 0 to 168h (absent: 0), for a create.
	Grace string `json:"grace"`
	// Segments is a new stream's (absent: 1); not for a scope.
	Segments int `json:"segments"`
	// Create defaults to true.
	Create *bool `json:"create"`
}

// keepAliveRequest is the optional body of POST .../keepalive.
type keepAliveRequest struct {
	// Lease, if set, becomes the holder's lease (a Go duration, 1s to 24h).
	Lease string `json:"lease"`
}

// ephemeralJSON is the JSON form of an ephemeral stream or scope.
type ephemeralJSON struct {
	Kind   string `json:"kind"`
	Scope  string `json:"scope"`
	Stream string `json:"stream,omitempty"` // a stream's only
	// Owner is the first holder's name.
	Owner   string    `json:"owner"`
	Grace   string    `json:"grace"`
	Created time.Time `json:"created"`
	State   string    `json:"state"`
	// EmptySince is when the last holder went (null while it has holders):
	// the deletion follows a grace period after it.
	EmptySince *time.Time   `json:"empty_since"`
	Holders    []holderJSON `json:"holders"`
}

// holderJSON is one holder.
type holderJSON struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Lease    string    `json:"lease"`
	Attached time.Time `json:"attached"`
	Expires  time.Time `json:"expires"`
	// ExpiresIn is expires less now, rounded to milliseconds (negative
	// for a lease that ran out and is not reaped yet).
	ExpiresIn string `json:"expires_in"`
}

// attachJSON answers an attach.
type attachJSON struct {
	HolderID  string        `json:"holder_id"`
	Expires   time.Time     `json:"expires"`
	Created   bool          `json:"created"`
	Ephemeral ephemeralJSON `json:"ephemeral"`
}

// ephemeralOf converts an ephemeral stream or scope; expires_in is from now.
func ephemeralOf(e braid.EphemeralInfo, now time.Time) ephemeralJSON {
	out := ephemeralJSON{Kind: e.Kind, Scope: e.Scope, Stream: e.Stream, Owner: e.Owner, Grace: e.Grace.String(),
		Created: e.Created.UTC(), State: e.State, Holders: make([]holderJSON, 0, len(e.Holders))}
	if !e.EmptySince.IsZero() {
		t := e.EmptySince.UTC()
		out.EmptySince = &t
	}
	for _, h := range e.Holders {
		out.Holders = append(out.Holders, holderJSON{ID: h.ID, Name: h.Name, Lease: h.Lease.String(),
			Attached: h.Attached.UTC(), Expires: h.Expires.UTC(), ExpiresIn: h.Expires.Sub(now).Round(time.Millisecond).String()})
	}
	return out
}

// leaseField parses a lease; "" is 0, which the server takes as its
// default (30s) on an attach, and as "keep the lease" on a keep-alive
// (absent says which, in errors).
func leaseField(v, absent string) (time.Duration, error) {
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	switch {
	case err != nil:
		return 0, badRequest("lease %q is not a Go duration (like 30s or 5m)", v)
	case d < ephemeral.MinLease || d > ephemeral.MaxLease:
		return 0, badRequest("lease %q: want %s to %s (absent: %s)", v, shortDuration(ephemeral.MinLease), shortDuration(ephemeral.MaxLease), absent)
	}
	return d, nil
}

// graceField parses a grace period ("": 0).
func graceField(v string) (time.Duration, error) {
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	switch {
	case err != nil:
		return 0, badRequest("grace %q is not a Go duration (like 0s, 30s or 1h)", v)
	case d < 0 || d > ephemeral.MaxGrace:
		return 0, badRequest("grace %q: want 0s to %s (7 days; absent: 0s, deleted as soon as the last holder goes)", v, shortDuration(ephemeral.MaxGrace))
	}
	return d, nil
}

// shortDuration is d as a Go duration without the trailing zero units
// ("24h", not "24h0m0s").
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// ephemeralPath reads {scope} and, for a stream, {stream} from the path,
// checked as the server's naming rules have it.
func ephemeralPath(r *http.Request, stream bool) (scope, name string, err error) {
	if scope, err = nameParam(r, "scope"); err != nil {
		return "", "", err
	}
	if err := wire.ValidateScopeName(scope); err != nil {
		return "", "", badRequest("%s", errText(err))
	}
	if !stream {
		return scope, "", nil
	}
	if name, err = nameParam(r, "stream"); err != nil {
		return "", "", err
	}
	if err := wire.ValidateStreamName(name); err != nil {
		return "", "", badRequest("%s", errText(err))
	}
	return scope, name, nil
}

// holderID reads {id} from the path.
func holderID(r *http.Request) (string, error) {
	v := r.PathValue("id")
	switch {
	case v == "":
		return "", badRequest("holder id is empty")
	case !utf8.ValidString(v):
		return "", badRequest("holder id %q is not valid UTF-8", v)
	case len(v) > maxHolderName:
		return "", badRequest("holder id of %d bytes: a holder id (holder_id of the attach's answer) is 24 hex digits", len(v))
	}
	return v, nil
}

// defaultHolder names a holder that gave no name: http- and the client's
// address.
func defaultHolder(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil || host == "" {
		host = r.RemoteAddr
	}
	return "http-" + host
}

// ephemeralRoutes are ephemeral streams and scopes and their holders.
func (a *API) ephemeralRoutes() []route {
	scopeParams := []param{pathParam("scope", "the ephemeral scope's name")}
	holderParams := []param{pathParam("id", "the holder's id: holder_id of the attach's answer")}
	jsonIn := func(desc string) *body {
		return &body{Desc: desc, Content: []string{"application/json"}}
	}
	const eph = `{"kind": "stream" | "scope", "scope", "stream" (a stream's only), "owner" (the first holder's name), "grace" (a Go duration), "created", ` +
		`"state": "live" | "deleting", "empty_since" (when the last holder went; null while it has holders), ` +
		`"holders": [{"id", "name", "lease" (a Go duration), "attached", "expires", "expires_in" (a Go duration from now, rounded to ms)}]}`
	attached := map[string]response{
		"201": {Desc: `created, with the holder attached: {"holder_id", "expires", "created": true, "ephemeral": ` + eph + `}`, Content: []string{"application/json"}},
		"200": {Desc: `attached to one that existed: {"holder_id", "expires", "created": false, "ephemeral": …}`, Content: []string{"application/json"}},
	}
	attachBody := `optional: {"holder": NAME (default http-CLIENT-ADDRESS), "lease": "30s" (a Go duration, 1s to 24h; default 30s), ` +
		`"grace": "0s" (a Go duration, 0s to 168h; for a create), %s"create": true (the default; false: attach only, 404 if it does not exist)}`
	return []route{{
		Method: "GET", Path: "/v1/ephemeral", Tag: "ephemeral",
		Summary:   "List the ephemeral streams and scopes, by name, with their holders",
		Responses: jsonOK(`{"ephemeral": [` + eph + `]}`),
		Access:    listing(),
		Handler:   a.listEphemeral,
	}, {
		Method: "POST", Path: "/v1/ephemeral/streams/{scope}/{stream}", Tag: "ephemeral",
		Summary: "Attach a holder to an ephemeral stream, creating it (and its scope) unless create is false. The holder keeps it alive while it renews its lease " +
			"(POST /v1/ephemeral/holders/{id}/keepalive, within each lease); once the last holder detached or every lease ran out, the server deletes the stream after its grace. " +
			"A stream that exists and is not ephemeral is refused (400), as is one being deleted (409).",
		Params:    streamParams,
		Request:   jsonIn(strings.Replace(attachBody, "%s", `"segments": 1..1024 (for a create; default 1), `, 1)),
		Responses: attached,
		Access:    needs(auth.PermAdmin),
		Handler:   a.attachEphemeral(true),
	}, {
		Method: "GET", Path: "/v1/ephemeral/streams/{scope}/{stream}", Tag: "ephemeral",
		Summary:   "Describe an ephemeral stream and its holders (404 when the stream is not ephemeral)",
		Params:    streamParams,
		Responses: jsonOK(eph),
		Access:    needs(auth.PermRead),
		Handler:   a.getEphemeral(true),
	}, {
		Method: "POST", Path: "/v1/ephemeral/scopes/{scope}", Tag: "ephemeral",
		Summary: "Attach a holder to an ephemeral scope, creating it unless create is false; when the scope goes, every stream in it goes too, " +
			"with its reader groups, watermarks and export jobs. A scope that exists and is not ephemeral is refused (400).",
		Params:    scopeParams,
		Request:   jsonIn(strings.Replace(attachBody, "%s", "", 1)),
		Responses: attached,
		Access:    needs(auth.PermAdmin),
		Handler:   a.attachEphemeral(false),
	}, {
		Method: "GET", Path: "/v1/ephemeral/scopes/{scope}", Tag: "ephemeral",
		Summary:   "Describe an ephemeral scope and its holders (404 when the scope is not ephemeral)",
		Params:    scopeParams,
		Responses: jsonOK(eph),
		Access:    needs(auth.PermRead),
		Handler:   a.getEphemeral(false),
	}, {
		Method: "POST", Path: "/v1/ephemeral/holders/{id}/keepalive", Tag: "ephemeral",
		Summary: "Renew a holder's lease (with lease set, it becomes the holder's lease). 404 when the server no longer knows the holder " +
			"(it detached, its lease ran out, or its stream or scope was deleted): attach again.",
		Params:    holderParams,
		Request:   jsonIn(`optional: {"lease": "30s" (a Go duration, 1s to 24h; absent: the holder's lease)}`),
		Responses: jsonOK(`{"expires"}: when the lease runs out unless renewed again`),
		Access:    a.holderAccess(),
		Handler:   a.keepAliveEphemeral,
	}, {
		Method: "DELETE", Path: "/v1/ephemeral/holders/{id}", Tag: "ephemeral",
		Summary:   "Detach a holder; the last holder's detach starts the grace period, after which the server deletes the stream or scope. 404 when the server does not know the holder.",
		Params:    holderParams,
		Responses: map[string]response{"204": {Desc: "detached"}},
		Access:    a.holderAccess(),
		Handler:   a.detachEphemeral,
	}}
}

func (a *API) listEphemeral(w http.ResponseWriter, r *http.Request) error {
	infos, err := a.client.ListEphemeral(r.Context())
	if err != nil {
		return err
	}
	now := time.Now()
	out := struct {
		Ephemeral []ephemeralJSON `json:"ephemeral"`
	}{Ephemeral: make([]ephemeralJSON, 0, len(infos))}
	for _, e := range infos {
		if !a.visible(r, e.Scope) {
			continue
		}
		out.Ephemeral = append(out.Ephemeral, ephemeralOf(e, now))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (a *API) getEphemeral(stream bool) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		scope, name, err := ephemeralPath(r, stream)
		if err != nil {
			return err
		}
		info, err := a.client.DescribeEphemeral(r.Context(), scope, name)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, ephemeralOf(info, time.Now()))
		return nil
	}
}

// attachArgs are an attach's arguments, checked.
type attachArgs struct {
	holder       string
	lease, grace time.Duration
	create       bool
	cfg          braid.StreamConfig
}

// attachArgsOf checks an attach body; holder is the default name.
func attachArgsOf(req *attachRequest, stream, holder string) (attachArgs, error) {
	lease, err := leaseField(req.Lease, ephemeral.DefaultLease.String())
	if err != nil {
		return attachArgs{}, err
	}
	grace, err := graceField(req.Grace)
	if err != nil {
		return attachArgs{}, err
	}
	switch {
	case stream == "" && req.Segments != 0:
		return attachArgs{}, badRequest("segments is for an ephemeral stream: a scope has no segments of its own")
	case req.Segments < 0 || req.Segments > braid.MaxSegments:
		return attachArgs{}, badRequest("segments %d: want 1 to %d (absent: 1)", req.Segments, braid.MaxSegments)
	case len(req.Holder) > maxHolderName:
		return attachArgs{}, badRequest("holder is a name of %d bytes: at most %d", len(req.Holder), maxHolderName)
	}
	if req.Holder != "" {
		holder = req.Holder
	}
	return attachArgs{holder: holder, lease: lease, grace: grace, create: req.Create == nil || *req.Create,
		cfg: braid.StreamConfig{Segments: req.Segments}}, nil
}

func (a *API) attachEphemeral(stream bool) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		scope, name, err := ephemeralPath(r, stream)
		if err != nil {
			return err
		}
		var req attachRequest
		if err := a.decodeJSON(w, r, &req, true); err != nil {
			return err
		}
		args, err := attachArgsOf(&req, name, defaultHolder(r))
		if err != nil {
			return err
		}
		h, err := a.client.AttachHolder(r.Context(), scope, name, args.holder, args.lease, args.grace, args.create, args.cfg)
		if err != nil {
			return err
		}
		st := http.StatusOK
		if h.Created {
			st = http.StatusCreated
		}
		writeJSON(w, st, attachJSON{HolderID: h.ID, Expires: h.Expires.UTC(), Created: h.Created, Ephemeral: ephemeralOf(h.Info, time.Now())})
		return nil
	}
}

func (a *API) keepAliveEphemeral(w http.ResponseWriter, r *http.Request) error {
	id, err := holderID(r)
	if err != nil {
		return err
	}
	var req keepAliveRequest
	if err := a.decodeJSON(w, r, &req, true); err != nil {
		return err
	}
	lease, err := leaseField(req.Lease, "the holder's lease stays")
	if err != nil {
		return err
	}
	expires, _, err := a.client.KeepAliveHolders(r.Context(), []string{id}, lease)
	if err != nil {
		return err
	}
	exp, ok := expires[id]
	if !ok {
		return errorf(wire.CodeNotFound, "holder %s is not known to the server: it detached, its lease ran out, or its stream or scope was deleted; attach again", id)
	}
	writeJSON(w, http.StatusOK, struct {
		Expires time.Time `json:"expires"`
	}{exp.UTC()})
	return nil
}

func (a *API) detachEphemeral(w http.ResponseWriter, r *http.Request) error {
	id, err := holderID(r)
	if err != nil {
		return err
	}
	if err := a.client.DetachHolder(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
