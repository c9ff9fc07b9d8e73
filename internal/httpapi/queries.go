package httpapi

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/auth"
	"github.com/braidstream/braid/internal/queryjob"
)

// Continuous queries: deployed, listed, described, stopped, started and
// deleted through the Go client, and their results pushed live as
// Server-Sent Events. A query's JSON form is the CLI's (braid query list
// -o json, internal/queryjob/json.go).

// deployQueryRequest is the body of POST /v1/queries and
// /v1/queries/validate.
type deployQueryRequest struct {
	Name    string `json:"name"`
	SQL     string `json:"sql"`
	Replace bool   `json:"replace"`
	Force   bool   `json:"force"`
}

// problemJSON is what is wrong with a query, where (line and column from
// 1; 0 when it has no place).
type problemJSON struct {
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// validationJSON is the answer of POST /v1/queries/validate.
type validationJSON struct {
	OK         bool                  `json:"ok"`
	Problems   []problemJSON         `json:"problems"`
	Columns    []queryjob.ColumnJSON `json:"columns"`
	Input      string                `json:"input,omitempty"`
	Output     string                `json:"output,omitempty"`
	LateOutput string                `json:"late_output,omitempty"`
	Warnings   []string              `json:"warnings"`
}

// maxQueryText bounds a query's text (the server's bound).
const maxQueryText = 64 << 10

// queryName reads {name} from the path.
func queryName(r *http.Request) (string, error) {
	v := r.PathValue("name")
	switch {
	case v == "":
		return "", badRequest("query name is empty")
	case !utf8.ValidString(v):
		return "", badRequest("query name %q is not valid UTF-8", v)
	case strings.ContainsRune(v, '/'):
		return "", badRequest("query name %q contains a slash", v)
	}
	return v, nil
}

// queryRoutes are the server's continuous queries.
func (a *API) queryRoutes() []route {
	nameParams := []param{pathParam("name", "the query's name")}
	queryDesc := `the query: {"name", "version", "sql", "state": "running" | "retrying" | "stopped" | "failed", ` +
		`"health": "ok" | "waiting" | "no_output" | "dropping" | "failing", "health_detail", "created", "input", "output", "late_output", "state_stream", ` +
		`"columns": [{"name", "role": "window_start" | "window_end" | "group" | "value" | "final"}], "versions": [{"version", "sql", "deployed"}], ` +
		`"events": {"in", "matched", "bad_json", "bad_time", "type_errors", "late", "future", "over_max_groups"}, "results_out", "open_windows", "open_groups", ` +
		`"watermark", "max_event_time", "last_event", "last_result" (null: never), "input_rate", "output_rate" (events/s over 10 s), ` +
		`"last_error", "last_error_at", "position", "checkpoints", "last_checkpoint", "failures", "missing_fields": {"field": events}}`
	reqDesc := `{"name", "sql", "replace": false, "force": false}`
	return []route{{
		Method: "GET", Path: "/v1/queries", Tag: "queries",
		Summary:   "List the deployed continuous queries, by name",
		Responses: jsonOK(`{"queries": [query]}; each query as GET /v1/queries/{name} describes it`),
		Access:    listing(),
		Handler:   a.listQueries,
	}, {
		Method: "POST", Path: "/v1/queries", Tag: "queries",
		Summary: "Deploy a continuous query (SQL, docs/sql.md): the server checks it, then runs it from then on, across restarts, writing its results to its output stream. " +
			"A query with problems is a 400 whose body has \"problems\": [{\"line\", \"column\", \"message\"}]; a name in use is a 409 unless replace (a new version).",
		Request:   &body{Desc: reqDesc, Content: []string{"application/json"}, Required: true},
		Responses: map[string]response{"201": {Desc: queryDesc + `, with "warnings": [...]`, Content: []string{"application/json"}}},
		Access:    a.queryTextAccess(true),
		Handler:   a.deployQuery,
	}, {
		Method: "POST", Path: "/v1/queries/validate", Tag: "queries",
		Summary:   "Check a query as a deploy would, without deploying it",
		Request:   &body{Desc: reqDesc + " (replace is ignored)", Content: []string{"application/json"}, Required: true},
		Responses: jsonOK(`{"ok", "problems": [{"line", "column", "message"}], "columns", "input", "output", "late_output", "warnings"}`),
		Access:    a.queryTextAccess(false),
		Handler:   a.validateQuery,
	}, {
		Method: "GET", Path: "/v1/queries/{name}", Tag: "queries",
		Summary:   "Describe a query: its SQL, state, health, counters, watermark and last error",
		Params:    nameParams,
		Responses: jsonOK(queryDesc),
		Access:    a.queryAccess(auth.PermRead, false),
		Handler:   a.getQuery,
	}, {
		Method: "DELETE", Path: "/v1/queries/{name}", Tag: "queries",
		Summary:   "Stop and delete a query with its state stream; its output stream stays unless delete_output=true",
		Params:    append(nameParams, queryParam("delete_output", "boolean", "delete the output stream too")),
		Responses: map[string]response{"204": {Desc: "deleted"}},
		Access:    a.queryAccess(auth.PermAdmin, false),
		Handler:   a.deleteQuery,
	}, {
		Method: "POST", Path: "/v1/queries/{name}/stop", Tag: "queries",
		Summary:   "Pause a query at a checkpoint: it stays stopped, across restarts, until started",
		Params:    nameParams,
		Responses: jsonOK(queryDesc),
		Access:    a.queryAccess(auth.PermAdmin, false),
		Handler:   a.stopQuery,
	}, {
		Method: "POST", Path: "/v1/queries/{name}/start", Tag: "queries",
		Summary:   "Run a stopped or failed query again from its last checkpoint",
		Params:    nameParams,
		Responses: jsonOK(queryDesc),
		Access:    a.queryAccess(auth.PermAdmin, false),
		Handler:   a.startQuery,
	}, {
		Method: "GET", Path: "/v1/queries/{name}/results", Tag: "queries",
		Summary: "The query's results as Server-Sent Events (as GET /v1/streams/{scope}/{stream}/events/stream of its output stream: \"id\" is the position after the result, " +
			"\"data\" {\"pointer\", \"data\"}). Without from= or a Last-Event-ID, the live results, from one reader of the output shared by every such subscriber; " +
			"a Last-Event-ID resumes just after that result. A subscriber too slow for the results gets an \"event: lagging\" and the response ends: reconnect with the last id.",
		Params: append(nameParams, queryParam("from", "string", "start at head | tail | -N | a stream cut | time:T (default: live)"),
			headerParam("Last-Event-ID", "string", "resume just after this result")),
		Responses: map[string]response{"200": {Desc: "the results", Content: []string{"text/event-stream"}}},
		Access:    a.queryAccess(auth.PermRead, true),
		Handler:   a.queryResults,
	}}
}

func (a *API) listQueries(w http.ResponseWriter, r *http.Request) error {
	qs, err := a.client.ListQueries(r.Context())
	if err != nil {
		return err
	}
	out := struct {
		Queries []queryjob.JSON `json:"queries"`
	}{Queries: make([]queryjob.JSON, 0, len(qs))}
	for _, q := range qs {
		if !a.visible(r, scopeOf(q.Input)) {
			continue
		}
		out.Queries = append(out.Queries, queryjob.JSONOf(q))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// readQueryRequest decodes and checks the body of a deploy or validate.
func (a *API) readQueryRequest(w http.ResponseWriter, r *http.Request, named bool) (deployQueryRequest, error) {
	var req deployQueryRequest
	if err := a.decodeJSON(w, r, &req, false); err != nil {
		return req, err
	}
	switch {
	case named && req.Name == "":
		return req, badRequest("name is required: the query's name (A-Z a-z 0-9 _ -)")
	case strings.TrimSpace(req.SQL) == "":
		return req, badRequest("sql is required: the query's text (docs/sql.md)")
	case len(req.SQL) > maxQueryText:
		return req, badRequest("sql is %d bytes: a query is at most %d", len(req.SQL), maxQueryText)
	}
	return req, nil
}

func validationOf(v braid.QueryValidation) validationJSON {
	out := validationJSON{OK: len(v.Problems) == 0, Problems: []problemJSON{}, Columns: []queryjob.ColumnJSON{},
		Input: v.Input, Output: v.Output, LateOutput: v.LateOutput, Warnings: append([]string{}, v.Warnings...)}
	for _, p := range v.Problems {
		out.Problems = append(out.Problems, problemJSON{Line: p.Line, Column: p.Column, Message: p.Message})
	}
	for _, c := range v.Columns {
		out.Columns = append(out.Columns, queryjob.ColumnJSON{Name: c.Name, Role: c.Role})
	}
	return out
}

func (a *API) validateQuery(w http.ResponseWriter, r *http.Request) error {
	req, err := a.readQueryRequest(w, r, false)
	if err != nil {
		return err
	}
	v, err := a.client.ValidateQuery(r.Context(), req.Name, req.SQL, req.Force)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, validationOf(v))
	return nil
}

func (a *API) deployQuery(w http.ResponseWriter, r *http.Request) error {
	req, err := a.readQueryRequest(w, r, true)
	if err != nil {
		return err
	}
	// Checked first, so that a bad query answers with its problems'
	// places.
	v, err := a.client.ValidateQuery(r.Context(), req.Name, req.SQL, req.Force)
	if err != nil {
		return err
	}
	if len(v.Problems) > 0 {
		ae := badRequest("query %s: %s", req.Name, v.Problems[0].String())
		writeJSON(w, http.StatusBadRequest, struct {
			Error    errorDetail   `json:"error"`
			Problems []problemJSON `json:"problems"`
		}{errorDetail{Code: ae.Code, Message: ae.Message}, validationOf(v).Problems})
		return nil
	}
	var opts []braid.DeployOption
	if req.Replace {
		opts = append(opts, braid.WithReplace())
	}
	if req.Force {
		opts = append(opts, braid.WithForce())
	}
	q, warnings, err := a.client.DeployQuery(r.Context(), req.Name, req.SQL, opts...)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, struct {
		queryjob.JSON
		Warnings []string `json:"warnings"`
	}{queryjob.JSONOf(q), append([]string{}, warnings...)})
	return nil
}

func (a *API) getQuery(w http.ResponseWriter, r *http.Request) error {
	name, err := queryName(r)
	if err != nil {
		return err
	}
	q, err := a.client.GetQuery(r.Context(), name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, queryjob.JSONOf(q))
	return nil
}

func (a *API) deleteQuery(w http.ResponseWriter, r *http.Request) error {
	name, err := queryName(r)
	if err != nil {
		return err
	}
	delOut := false
	switch v := r.URL.Query().Get("delete_output"); v {
	case "", "false":
	case "true":
		delOut = true
	default:
		return badRequest("delete_output %q: want true or false", v)
	}
	if err := a.client.DeleteQuery(r.Context(), name, delOut); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) stopQuery(w http.ResponseWriter, r *http.Request) error {
	name, err := queryName(r)
	if err != nil {
		return err
	}
	q, err := a.client.StopQuery(r.Context(), name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, queryjob.JSONOf(q))
	return nil
}

func (a *API) startQuery(w http.ResponseWriter, r *http.Request) error {
	name, err := queryName(r)
	if err != nil {
		return err
	}
	q, err := a.client.StartQuery(r.Context(), name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, queryjob.JSONOf(q))
	return nil
}
