package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/braidstream/braid/internal/server"
)

// TestOpenAPIMatchesRouter: the served document is valid OpenAPI 3, every
// operation in it is served by the router (a request to it is not
// answered NO_ROUTE), its path parameters are declared, and paths the
// document does not have are NO_ROUTE.
func TestOpenAPIMatchesRouter(t *testing.T) {
	e := newEnv(t, server.Config{})
	status, _, raw := e.do("GET", "/v1/openapi.json", "", nil)
	if status != 200 {
		t.Fatalf("GET /v1/openapi.json: %d %s", status, raw)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		t.Fatalf("the document does not load: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the document is not valid OpenAPI 3: %v", err)
	}
	paramRE := regexp.MustCompile(`\{([a-z_]+)\}`)
	client := &http.Client{Timeout: 10 * time.Second}
	ops := 0
	for path, item := range doc.Paths.Map() {
		if !strings.HasPrefix(path, "/v1/") {
			t.Errorf("path %s is not under /v1/", path)
		}
		for method, op := range item.Operations() {
			ops++
			declared := map[string]bool{}
			for _, p := range op.Parameters {
				if p.Value.In == "path" {
					declared[p.Value.Name] = true
				}
			}
			// Fill the path with names that exist nowhere.
			url := paramRE.ReplaceAllStringFunc(path, func(m string) string {
				name := m[1 : len(m)-1]
				if !declared[name] {
					t.Errorf("%s %s: path parameter %s is not declared", method, path, name)
				}
				delete(declared, name)
				return "nosuch" + name
			})
			for name := range declared {
				t.Errorf("%s %s: declares path parameter %s that the path lacks", method, path, name)
			}
			if op.Summary == "" || op.OperationID == "" {
				t.Errorf("%s %s: no summary or operation id", method, path)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			req, _ := http.NewRequestWithContext(ctx, method, e.base+url, nil)
			resp, err := client.Do(req)
			if err != nil {
				cancel()
				t.Errorf("%s %s: %v", method, url, err)
				continue
			}
			var body struct{ Error struct{ Code string } }
			if resp.Header.Get("Content-Type") == "application/json" {
				json.NewDecoder(resp.Body).Decode(&body)
			}
			resp.Body.Close()
			cancel()
			if body.Error.Code == "NO_ROUTE" || resp.StatusCode == http.StatusMethodNotAllowed {
				t.Errorf("%s %s is in the document but the router answers %d %s", method, path, resp.StatusCode, body.Error.Code)
			}
		}
	}
	if ops < 10 {
		t.Errorf("the document has only %d operations", ops)
	}
	// What the document does not have, the router does not serve.
	for _, probe := range []struct{ method, path string }{
		{"GET", "/v1/nosuch"}, {"DELETE", "/v1/openapi.json"}, {"PATCH", "/v1/scopes"}, {"GET", "/v1/streams/a/b/nosuch"},
	} {
		status, _, b := e.do(probe.method, probe.path, "", nil)
		if code, _ := apiErr(t, b); code != "NO_ROUTE" || (status != 404 && status != 405) {
			t.Errorf("%s %s: %d %s, want NO_ROUTE", probe.method, probe.path, status, b)
		}
	}
}
