package httpapi

import (
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/auth"
	"github.com/braidstream/braid/internal/export"
)

// Export jobs: exports to S3 that the server runs (braid export --follow
// --detach), listed, described, stopped, started, deleted and created
// through the Go client. A job's JSON form is the CLI's (braid export list
// -o json, internal/cli/export_jobs.go), so that a script reads the same
// fields from either.

// Bounds of a job's settings (the server's, internal/exportjob).
const (
	maxExportParallel   = 1024
	maxExportBatchBytes = 1 << 30
	maxExportBatchAge   = 24 * time.Hour
)

// createExportRequest is the body of POST /v1/exports.
type createExportRequest struct {
	// Name defaults to the stream's name with "." for "/" (as the CLI's).
	Name       string `json:"name"`
	Stream     string `json:"stream"`
	URL        string `json:"url"`
	S3Endpoint string `json:"s3_endpoint"`
	S3Region   string `json:"s3_region"`
	// S3PathStyle is on by itself for an endpoint that is an IP address
	// or localhost (as the CLI's --s3-path-style).
	S3PathStyle bool   `json:"s3_path_style"`
	Parallel    int    `json:"parallel"`
	Batch       bool   `json:"batch"`
	BatchBytes  int    `json:"batch_bytes"`
	BatchAge    string `json:"batch_age"`
	// Start is where a new export starts: "head" (default) or a stream cut.
	Start string `json:"start"`
}

// exportName reads {name} from the path.
func exportName(r *http.Request) (string, error) {
	v := r.PathValue("name")
	switch {
	case v == "":
		return "", badRequest("export job name is empty")
	case !utf8.ValidString(v):
		return "", badRequest("export job name %q is not valid UTF-8", v)
	case strings.ContainsRune(v, '/'):
		return "", badRequest("export job name %q contains a slash", v)
	}
	return v, nil
}

// exportJob checks a create request and makes the job. The server checks
// the names, the URL and the start cut again, with its own words.
func exportJob(req *createExportRequest) (braid.ExportJob, error) {
	scope, name, ok := strings.Cut(req.Stream, "/")
	switch {
	case req.Stream == "":
		return braid.ExportJob{}, badRequest("stream is required: the \"scope/stream\" to export")
	case !ok || scope == "" || name == "" || strings.Contains(name, "/"):
		return braid.ExportJob{}, badRequest("stream %q: want \"scope/stream\"", req.Stream)
	case req.URL == "":
		return braid.ExportJob{}, badRequest("url is required: where the objects go, s3://BUCKET or s3://BUCKET/PREFIX")
	case !strings.HasPrefix(req.URL, "s3://"):
		return braid.ExportJob{}, badRequest("url %q: want s3://BUCKET or s3://BUCKET/PREFIX", req.URL)
	case req.Parallel < 0 || req.Parallel > maxExportParallel:
		return braid.ExportJob{}, badRequest("parallel %d: want 1 to %d objects in flight (0 or absent: %d)", req.Parallel, maxExportParallel, export.DefaultParallel)
	case req.BatchBytes < 0 || req.BatchBytes > maxExportBatchBytes:
		return braid.ExportJob{}, badRequest("batch_bytes %d: want 1 to %d (0 or absent: %d)", req.BatchBytes, maxExportBatchBytes, export.DefaultBatchBytes)
	case !req.Batch && (req.BatchBytes != 0 || req.BatchAge != ""):
		return braid.ExportJob{}, badRequest("batch_bytes and batch_age bound the objects of batch mode: they go with \"batch\": true")
	}
	j := braid.ExportJob{
		Name: req.Name, Stream: req.Stream, URL: req.URL,
		S3Endpoint: req.S3Endpoint, S3Region: req.S3Region, S3PathStyle: req.S3PathStyle,
		Parallel: req.Parallel, Batch: req.Batch, BatchBytes: req.BatchBytes,
	}
	if j.Name == "" {
		j.Name = strings.ReplaceAll(req.Stream, "/", ".")
	}
	if req.BatchAge != "" {
		d, err := time.ParseDuration(req.BatchAge)
		if err != nil {
			return braid.ExportJob{}, badRequest("batch_age %q is not a duration (like 10s or 1m)", req.BatchAge)
		}
		if d <= 0 || d > maxExportBatchAge {
			return braid.ExportJob{}, badRequest("batch_age %q: want more than 0 and at most %s (absent: %s)", req.BatchAge, maxExportBatchAge, export.DefaultBatchAge)
		}
		j.BatchAge = d
	}
	if req.S3Endpoint != "" {
		u, err := url.Parse(req.S3Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return braid.ExportJob{}, badRequest("s3_endpoint %q: want an http:// or https:// URL, such as http://127.0.0.1:7070", req.S3Endpoint)
		}
		host := u.Hostname()
		j.S3PathStyle = req.S3PathStyle || host == "localhost" || net.ParseIP(host) != nil
	}
	switch req.Start {
	case "", "head":
	default:
		if _, err := braid.ParseStreamCut(req.Start); err != nil {
			return braid.ExportJob{}, badRequest("start %q: want \"head\" or a stream cut (v1.…): %s", req.Start, errText(err))
		}
		j.Start = req.Start
	}
	return j, nil
}

// exportRoutes are the server's export jobs.
func (a *API) exportRoutes() []route {
	nameParams := []param{pathParam("name", "the export job's name")}
	jobDesc := `the export job: {"name", "stream", "url", "s3_endpoint", "mode": "event" | "batch", "batch_bytes", "batch_age" (batch mode only), "parallel", ` +
		`"state": "running" | "retrying" | "stopped" | "finished", "created", "position": CUT, "objects", "bytes", "existing", ` +
		`"lag_bytes", "lag_events" (null: unknown), "lag" (a Go duration; null: unknown), "last_error", "last_error_at" (null: none), "s3_errors", "s3_throttled"}`
	return []route{{
		Method: "GET", Path: "/v1/exports", Tag: "exports",
		Summary:   "List the export jobs the server runs (braid export --follow --detach), by name",
		Responses: jsonOK(`{"exports": [job]}; each job as GET /v1/exports/{name} describes it`),
		Access:    listing(),
		Handler:   a.listExports,
	}, {
		Method: "POST", Path: "/v1/exports", Tag: "exports",
		Summary: "Create an export job: the server copies a stream into an S3 bucket, one object per event (or per batch), and follows it as it grows, across restarts, " +
			"with its own S3 credentials. name defaults to the stream's with \".\" for \"/\"; s3_path_style is on by itself for an endpoint that is an IP address or localhost; " +
			"parallel is 1 to 1024 (default 32); batch: true selects batch mode, bounded by batch_bytes (default 8 MiB, at most 1 GiB) and batch_age (a Go duration, default 10s, at most 24h); " +
			"start is head (default) or a stream cut, for a new export (one that wrote objects there before continues from its manifest).",
		Request: &body{Desc: `{"name", "stream": "scope/stream", "url": "s3://BUCKET/PREFIX", "s3_endpoint", "s3_region", "s3_path_style", ` +
			`"parallel", "batch", "batch_bytes", "batch_age": "10s", "start": "head" | CUT}`, Content: []string{"application/json"}, Required: true},
		Responses: map[string]response{"201": {Desc: jobDesc, Content: []string{"application/json"}}},
		Access:    a.createExportAccess(),
		Handler:   a.createExport,
	}, {
		Method: "GET", Path: "/v1/exports/{name}", Tag: "exports",
		Summary:   "Describe an export job: where it exports, its state, position, objects written, lag, S3 errors and last error",
		Params:    nameParams,
		Responses: jsonOK(jobDesc),
		Access:    a.exportAccess(auth.PermRead),
		Handler:   a.getExport,
	}, {
		Method: "DELETE", Path: "/v1/exports/{name}", Tag: "exports",
		Summary:   "Stop and remove an export job; the objects and manifest it wrote stay in the bucket (a new job on the same stream and place continues from them)",
		Params:    nameParams,
		Responses: map[string]response{"204": {Desc: "deleted"}},
		Access:    a.exportAccess(auth.PermAdmin),
		Handler:   a.deleteExport,
	}, {
		Method: "POST", Path: "/v1/exports/{name}/stop", Tag: "exports",
		Summary:   "Pause an export job: it saves its position and stays stopped, across restarts, until started",
		Params:    nameParams,
		Responses: jsonOK(jobDesc),
		Access:    a.exportAccess(auth.PermAdmin),
		Handler:   a.stopExport,
	}, {
		Method: "POST", Path: "/v1/exports/{name}/start", Tag: "exports",
		Summary:   "Run a stopped export job again, from its position (a running job is left as it is)",
		Params:    nameParams,
		Responses: jsonOK(jobDesc),
		Access:    a.exportAccess(auth.PermAdmin),
		Handler:   a.startExport,
	}}
}

func (a *API) listExports(w http.ResponseWriter, r *http.Request) error {
	jobs, err := a.client.ListExports(r.Context())
	if err != nil {
		return err
	}
	out := struct {
		Exports []export.JobJSON `json:"exports"`
	}{Exports: make([]export.JobJSON, 0, len(jobs))}
	for _, j := range jobs {
		if !a.visible(r, scopeOf(j.Job.Stream)) {
			continue
		}
		out.Exports = append(out.Exports, export.JobJSONOf(j))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (a *API) createExport(w http.ResponseWriter, r *http.Request) error {
	var req createExportRequest
	if err := a.decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	j, err := exportJob(&req)
	if err != nil {
		return err
	}
	// The server answers a missing stream with INTERNAL (its manager
	// passes the client's NOT_FOUND on unclassified): ask first, so that
	// it is a 400 naming the stream.
	if _, err := a.client.GetStream(r.Context(), j.Stream); err != nil {
		return streamRefError(err)
	}
	st, err := a.client.CreateExport(r.Context(), j)
	if err != nil {
		return streamRefError(err) // a missing stream is the body's fault
	}
	writeJSON(w, http.StatusCreated, export.JobJSONOf(st))
	return nil
}

func (a *API) getExport(w http.ResponseWriter, r *http.Request) error {
	name, err := exportName(r)
	if err != nil {
		return err
	}
	st, err := a.client.GetExport(r.Context(), name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, export.JobJSONOf(st))
	return nil
}

func (a *API) deleteExport(w http.ResponseWriter, r *http.Request) error {
	name, err := exportName(r)
	if err != nil {
		return err
	}
	if err := a.client.DeleteExport(r.Context(), name); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) stopExport(w http.ResponseWriter, r *http.Request) error {
	name, err := exportName(r)
	if err != nil {
		return err
	}
	st, err := a.client.StopExport(r.Context(), name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, export.JobJSONOf(st))
	return nil
}

func (a *API) startExport(w http.ResponseWriter, r *http.Request) error {
	name, err := exportName(r)
	if err != nil {
		return err
	}
	st, err := a.client.StartExport(r.Context(), name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, export.JobJSONOf(st))
	return nil
}
