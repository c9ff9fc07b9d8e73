package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"time"

	"github.com/spf13/cobra"

	"github.com/braidstream/braid/internal/buildinfo"
)

// versionTimeout bounds asking the server for its version.
const versionTimeout = 3 * time.Second

func newVersionCmd(e *env) *cobra.Command {
	var h httpRemote
	var output *outputFlag
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print braid's version, commit and Go version, and the server's version",
		Long: `Print this binary's version (the module version, or devel-<commit> for a
build from a checkout), the commit it was built from, the Go release and
the platform; then the version of the server at --http, if one answers
within 3 s (else a line saying it did not: the command still succeeds).
braid --version prints the first of these alone.`,
		Example: `  braid version
  braid version --http 10.0.0.5:7471
  braid version -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := output.check(); err != nil {
				return err
			}
			api, err := h.connect()
			if err != nil {
				return err
			}
			defer api.close()
			ctx, cancel := context.WithTimeout(cmd.Context(), versionTimeout)
			defer cancel()
			server, serr := askServerVersion(ctx, api)
			v := versionJSON{Version: buildinfo.Version(), Commit: buildinfo.Revision(), Go: buildinfo.GoVersion(),
				Platform: runtime.GOOS + "/" + runtime.GOARCH, Server: server}
			if output.json() {
				if serr != nil {
					v.ServerError = serr.Error()
				}
				return writeJSON(e.stdout, v)
			}
			fmt.Fprintf(e.stdout, "braid %s (commit %s, %s, %s)\n", v.Version, v.Commit, v.Go, v.Platform)
			if serr != nil {
				fmt.Fprintf(e.stdout, "server at %s: no answer (%v)\n", h.addr, serr)
				return nil
			}
			fmt.Fprintf(e.stdout, "server at %s: braid %s, up %s\n", h.addr, server.Version, (time.Duration(server.UptimeSeconds) * time.Second).String())
			return nil
		},
	}
	h.addFlags(cmd)
	output = addOutputFlag(cmd, "one object")
	return cmd
}

// versionJSON is braid version -o json.
type versionJSON struct {
	Version     string         `json:"version"`
	Commit      string         `json:"commit"`
	Go          string         `json:"go"`
	Platform    string         `json:"platform"`
	Server      *serverVersion `json:"server,omitempty"`
	ServerError string         `json:"server_error,omitempty"`
}

// serverVersion is what braid version shows of GET /v1/server.
type serverVersion struct {
	Version       string  `json:"version"`
	StartedAt     string  `json:"started_at"`
	UptimeSeconds float64 `json:"uptime_seconds"`
}

func askServerVersion(ctx context.Context, api *httpAPI) (*serverVersion, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, api.base.JoinPath("v1", "server").String(), nil)
	if err != nil {
		return nil, err
	}
	resp, err := api.do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var sv serverVersion
	if err := json.NewDecoder(resp.Body).Decode(&sv); err != nil {
		return nil, fmt.Errorf("reading GET /v1/server: %w", err)
	}
	return &sv, nil
}
