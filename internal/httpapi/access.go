package httpapi

import (
	"errors"
	"net/http"
	"slices"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/auth"
	"github.com/braidstream/braid/internal/query/sql"
	"github.com/braidstream/braid/wire"
)

// The access rules whose scope is not the {scope} of the path: routes
// that name an export job, a query or a lease holder (looked up through
// the client), and routes whose body names streams (read with peekJSON,
// decoded as the handler decodes it). See auth.go.

// exportAccess needs p on the scope of the {name} export job's stream.
func (a *API) exportAccess(p auth.Perm) access {
	return needsOf(p, "the scope of the export job's stream", func(_ http.ResponseWriter, r *http.Request) ([]need, error) {
		name, err := exportName(r)
		if err != nil {
			return nil, err
		}
		st, err := a.client.GetExport(r.Context(), name)
		if err != nil {
			return nil, err
		}
		return []need{{p, scopeOf(st.Job.Stream)}}, nil
	})
}

// createExportAccess needs admin on the scope of the stream the body
// exports.
func (a *API) createExportAccess() access {
	return needsOf(auth.PermAdmin, `the scope of the body's "stream"`, func(w http.ResponseWriter, r *http.Request) ([]need, error) {
		var req createExportRequest
		if err := a.peekJSON(w, r, &req, false); err != nil {
			return nil, err
		}
		j, err := exportJob(&req)
		if err != nil {
			return nil, err
		}
		ns := []need{{auth.PermAdmin, scopeOf(j.Stream)}}
		if j.S3Endpoint != "" {
			// The server reaches it with its own credentials.
			ns = append(ns, need{auth.PermCluster, ""})
		}
		return ns, nil
	})
}

// queryAccess needs p on the scope of the {name} query's input, or, for
// its results, of its output. Deleting the output stream too
// (delete_output=true) needs admin on the output's scope as well.
func (a *API) queryAccess(p auth.Perm, output bool) access {
	of := "the scope of the query's input stream"
	if output {
		of = "the scope of the query's output stream"
	}
	return needsOf(p, of, func(_ http.ResponseWriter, r *http.Request) ([]need, error) {
		name, err := queryName(r)
		if err != nil {
			return nil, err
		}
		q, err := a.client.GetQuery(r.Context(), name)
		if err != nil {
			return nil, err
		}
		if output {
			return []need{{p, scopeOf(q.Output)}}, nil
		}
		ns := []need{{p, scopeOf(q.Input)}}
		if r.Method == http.MethodDelete && r.URL.Query().Get("delete_output") == "true" {
			ns = append(ns, need{auth.PermAdmin, scopeOf(q.Output)})
		}
		return ns, nil
	})
}

// queryTextAccess is the rule of a deploy (and of a validate, deploy
// false), from the body's SQL, parsed here as the server parses it: a
// deploy needs admin on the input's scope (the query and its state stream
// live there) and write on the scopes of its output and late-event
// streams; a replace, admin on the scope of the deployed version's input
// too. A validate reads the input's last events: it needs read on the
// input's scope. A text that does not parse needs nothing more than a
// user: the server refuses it before it looks at any stream, and the
// handler answers its problem with its place.
func (a *API) queryTextAccess(deploy bool) access {
	p, of := auth.PermRead, "the scope of the query's input (FROM)"
	if deploy {
		p, of = auth.PermAdmin, "the scope of the query's input (FROM); write on the scopes of its output and late streams"
	}
	return needsOf(p, of, func(w http.ResponseWriter, r *http.Request) ([]need, error) {
		var req deployQueryRequest
		if err := a.peekJSON(w, r, &req, false); err != nil {
			return nil, err
		}
		q, err := sql.Parse(req.SQL)
		if err != nil {
			return nil, nil
		}
		input := q.From.Scope
		if !deploy {
			return []need{{auth.PermRead, input}}, nil
		}
		ns := []need{{auth.PermAdmin, input}}
		output := input
		if q.Options.Output != "" {
			output = scopeOf(q.Options.Output)
		}
		ns = append(ns, need{auth.PermWrite, output})
		if q.Options.Late == sql.LateStream && q.Options.LateStream != "" {
			ns = append(ns, need{auth.PermWrite, scopeOf(q.Options.LateStream)})
		}
		if req.Replace && req.Name != "" {
			old, err := a.client.GetQuery(r.Context(), req.Name)
			switch {
			case err == nil:
				ns = append(ns, need{auth.PermAdmin, scopeOf(old.Input)})
			case !errors.Is(err, braid.ErrNotFound):
				return nil, err
			}
		}
		return ns, nil
	})
}

// groupConfigAccess is the rule of a group's create (and reset): admin on
// the group's scope, and read on the scope of every stream the body names
// (the group's members read them).
func (a *API) groupConfigAccess(reset bool) access {
	return needsOf(auth.PermAdmin, `the {scope} of the path; read on the scope of every stream of the body's "streams"`,
		func(w http.ResponseWriter, r *http.Request) ([]need, error) {
			var streams []string
			if reset {
				var req resetGroupRequest
				if err := a.peekJSON(w, r, &req, false); err != nil {
					return nil, err
				}
				streams = req.Streams
			} else {
				var req groupConfigRequest
				if err := a.peekJSON(w, r, &req, false); err != nil {
					return nil, err
				}
				streams = req.Streams
			}
			ns := []need{{auth.PermAdmin, r.PathValue("scope")}}
			for _, s := range streams {
				if n := (need{auth.PermRead, scopeOf(s)}); !slices.Contains(ns, n) {
					ns = append(ns, n)
				}
			}
			return ns, nil
		})
}

// holderAccess needs admin on the scope of the {id} holder's ephemeral
// stream or scope, found in the server's list of them.
func (a *API) holderAccess() access {
	return needsOf(auth.PermAdmin, "the scope of the holder's ephemeral stream or scope", func(_ http.ResponseWriter, r *http.Request) ([]need, error) {
		id, err := holderID(r)
		if err != nil {
			return nil, err
		}
		infos, err := a.client.ListEphemeral(r.Context())
		if err != nil {
			return nil, err
		}
		for _, e := range infos {
			if slices.ContainsFunc(e.Holders, func(h braid.EphemeralHolder) bool { return h.ID == id }) {
				return []need{{auth.PermAdmin, e.Scope}}, nil
			}
		}
		return nil, errorf(wire.CodeNotFound, "holder %s is not known to the server: it detached, its lease ran out, or its stream or scope was deleted; attach again", id)
	})
}

// memberAccess is the rule of a group member's routes: read on the
// group's scope and on the scope of every stream the group reads (the
// server reads them for the member, past the gRPC port's checks).
func (a *API) memberAccess() access {
	return needsOf(auth.PermRead, "the group's scope and the scopes of the streams it reads", func(_ http.ResponseWriter, r *http.Request) ([]need, error) {
		name, err := groupName(r)
		if err != nil {
			return nil, err
		}
		ns := []need{{auth.PermRead, scopeOf(name)}}
		if !callerOf(r).id.Can(auth.PermRead, scopeOf(name)) {
			return ns, nil // refused without a look at the group
		}
		in, err := a.client.ReaderGroup(name).Describe(r.Context())
		switch {
		case errors.Is(err, braid.ErrNotFound):
			return ns, nil // the handler says so
		case err != nil:
			return nil, err
		}
		for _, gs := range in.Config.Streams {
			ns = append(ns, need{auth.PermRead, scopeOf(gs.Stream)})
		}
		return ns, nil
	})
}
