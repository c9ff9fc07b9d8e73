package httpapi

import (
	"net/http"
	"regexp"
	"strings"
)

func (a *API) metaRoutes() []route {
	return []route{{
		Method: "GET", Path: "/v1/openapi.json", Tag: "meta",
		Summary:   "This API's OpenAPI 3 document, built from the router's own route table",
		Responses: jsonOK("the OpenAPI document"),
		Access:    anyUser(),
		Handler: func(w http.ResponseWriter, r *http.Request) error {
			writeJSON(w, http.StatusOK, a.openAPI())
			return nil
		},
	}}
}

var pathParamRE = regexp.MustCompile(`\{([a-zA-Z_]+)(\.\.\.)?\}`)

// openAPI builds the OpenAPI 3.0 document from the route table.
func (a *API) openAPI() map[string]any {
	paths := map[string]map[string]any{}
	for _, rt := range a.routes() {
		p := pathParamRE.ReplaceAllString(rt.Path, "{$1}")
		if paths[p] == nil {
			paths[p] = map[string]any{}
		}
		op := map[string]any{
			"summary":     rt.Summary,
			"operationId": operationID(rt),
			"tags":        []string{rt.Tag},
			// Who may call it (auth.go), when the server authenticates.
			"x-braid-access": rt.Access.String(),
		}
		if a.auth != nil && rt.Access.kind == accessPublic {
			op["security"] = []any{} // no credentials needed
		}
		var params []map[string]any
		for _, pr := range rt.Params {
			typ := pr.Type
			if typ == "" {
				typ = "string"
			}
			params = append(params, map[string]any{
				"name": pr.Name, "in": pr.In, "description": pr.Desc,
				"required": pr.Required || pr.In == "path",
				"schema":   map[string]any{"type": typ},
			})
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		if rt.Request != nil {
			content := map[string]any{}
			for _, ct := range rt.Request.Content {
				content[ct] = map[string]any{"schema": schemaFor(ct)}
			}
			op["requestBody"] = map[string]any{"description": rt.Request.Desc, "required": rt.Request.Required, "content": content}
		}
		responses := map[string]any{}
		for code, resp := range rt.Responses {
			r := map[string]any{"description": resp.Desc}
			if len(resp.Content) > 0 {
				content := map[string]any{}
				for _, ct := range resp.Content {
					content[ct] = map[string]any{"schema": schemaFor(ct)}
				}
				r["content"] = content
			}
			responses[code] = r
		}
		responses["default"] = map[string]any{
			"description": "an error: {\"error\": {\"code\": CODE, \"message\": TEXT}} with the code's HTTP status",
			"content":     map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}},
		}
		op["responses"] = responses
		paths[p][strings.ToLower(rt.Method)] = op
	}
	components := map[string]any{"schemas": map[string]any{
		"Error": map[string]any{
			"type":     "object",
			"required": []string{"error"},
			"properties": map[string]any{"error": map[string]any{
				"type":     "object",
				"required": []string{"code", "message"},
				"properties": map[string]any{
					"code":    map[string]any{"type": "string", "description": "stable code: INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, SEALED, TRUNCATED, EVENT_TOO_LARGE, CONFLICT, UNAVAILABLE, UNAUTHENTICATED, PERMISSION_DENIED, ..."},
					"message": map[string]any{"type": "string"},
				},
			}},
		},
	}}
	doc := map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{
			"title":       "braid HTTP API",
			"version":     "1",
			"description": "REST/JSON admin, appends, file upload, blob download, reads, Server-Sent Events and reader group members. Errors carry the same stable codes as the gRPC API.",
		},
		"paths":      paths,
		"components": components,
	}
	if a.auth != nil {
		components["securitySchemes"] = map[string]any{
			"token": map[string]any{"type": "http", "scheme": "bearer",
				"description": "Authorization: Bearer <token>, a token of the server's users file (braid auth add-user, braid auth token)"},
			"session": map[string]any{"type": "apiKey", "in": "cookie", "name": SessionCookie,
				"description": "the dashboard's session, set by POST /v1/login; a state-changing request with it must come from the server's own origin"},
		}
		doc["security"] = []any{map[string]any{"token": []string{}}, map[string]any{"session": []string{}}}
	}
	return doc
}

// schemaFor is a loose schema for a media type: JSON bodies are objects,
// everything else bytes or text.
func schemaFor(ct string) map[string]any {
	switch {
	case ct == "application/json":
		return map[string]any{"type": "object"}
	case strings.HasPrefix(ct, "text/"), ct == "application/x-ndjson":
		return map[string]any{"type": "string"}
	default:
		return map[string]any{"type": "string", "format": "binary"}
	}
}

// operationID names an operation from its method and path:
// GET /v1/streams/{scope}/{stream} is get_streams_scope_stream.
func operationID(rt route) string {
	parts := []string{strings.ToLower(rt.Method)}
	for _, seg := range strings.Split(strings.TrimPrefix(rt.Path, "/v1/"), "/") {
		seg = strings.Trim(seg, "{}.")
		if seg != "" {
			parts = append(parts, strings.NewReplacer("-", "_", ".", "_").Replace(seg))
		}
	}
	return strings.Join(parts, "_")
}
