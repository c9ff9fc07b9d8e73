package httpapi

import "net/http"

// route is one HTTP route and its OpenAPI description. Every /v1 route is
// registered from a route, and the OpenAPI document is built from the same
// list, so the two cannot drift (TestOpenAPIMatchesRouter checks it).
type route struct {
	Method  string // GET, POST, PUT, DELETE
	Path    string // net/http pattern path: /v1/streams/{scope}/{stream}
	Summary string
	// Tag groups routes in the document: admin, data, groups, meta.
	Tag     string
	Params  []param
	Request *body // nil: no request body
	// Responses maps a status code ("200") to its description and
	// content types. The error responses every route has are added by
	// the document builder.
	Responses map[string]response
	// Access is who may call the route (auth.go): public, any user, a
	// listing, or a permission on a scope and how the scope is found. A
	// route without one is refused (403), with or without
	// authentication.
	Access  access
	Handler handler
}

// handler serves a route; an error it returns is answered as a JSON error
// (a handler that already wrote its response returns nil).
type handler func(w http.ResponseWriter, r *http.Request) error

// param is a path, query or header parameter.
type param struct {
	Name     string
	In       string // path, query, header
	Desc     string
	Required bool
	Type     string // string (default), integer, boolean
}

// body describes a request body.
type body struct {
	Desc     string
	Content  []string // media types accepted
	Required bool
}

// response describes one response.
type response struct {
	Desc    string
	Content []string // media types; empty for none
}

// pathParam is a required path parameter.
func pathParam(name, desc string) param {
	return param{Name: name, In: "path", Desc: desc, Required: true}
}

// queryParam is an optional query parameter.
func queryParam(name, typ, desc string) param {
	return param{Name: name, In: "query", Desc: desc, Type: typ}
}

// headerParam is an optional request header.
func headerParam(name, typ, desc string) param {
	return param{Name: name, In: "header", Desc: desc, Type: typ}
}

// streamParams are the path parameters of every per-stream route.
var streamParams = []param{
	pathParam("scope", "the stream's scope"),
	pathParam("stream", "the stream's name within its scope"),
}

// jsonOK is a 200 response with a JSON body.
func jsonOK(desc string) map[string]response {
	return map[string]response{"200": {Desc: desc, Content: []string{"application/json"}}}
}
