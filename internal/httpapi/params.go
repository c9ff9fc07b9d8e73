package httpapi

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Query parameters shared by routes. A bad value is an INVALID_ARGUMENT
// whose message names the parameter and quotes the value.

// Pages of events (reads and member polls).
const (
	defaultPageLimit = 100
	maxPageLimit     = 10000
	// maxPageBytes ends a page of events once they take about this much
	// (a read counts their JSON, a member's poll their payloads); a
	// larger event still comes, alone.
	maxPageBytes = 4 << 20
)

// pageQueryParams document pageParams; noWait says what a request
// without wait= gets.
func pageQueryParams(noWait string) []param {
	return []param{
		queryParam("limit", "integer", fmt.Sprintf("at most this many events (default %d, at most %d); a page also ends at about %d MiB", defaultPageLimit, maxPageLimit, maxPageBytes>>20)),
		queryParam("wait", "string", "long-poll: wait this long (a Go duration, like 30s; at most the server's maximum wait, 60 s by default) for at least one event; default 0"+noWait),
		queryParam("encoding", "string", "base64: every payload as data_base64 (default: data when the payload is valid UTF-8)"),
	}
}

// pageParams parses the query parameters of a page of events: limit=,
// wait= and encoding=.
func (a *API) pageParams(q url.Values) (limit int, wait time.Duration, b64 bool, err error) {
	if limit, err = intParam(q, "limit", defaultPageLimit, 1, maxPageLimit); err != nil {
		return 0, 0, false, err
	}
	if wait, err = a.waitParam(q); err != nil {
		return 0, 0, false, err
	}
	if b64, err = encodingParam(q); err != nil {
		return 0, 0, false, err
	}
	return limit, wait, b64, nil
}

// intParam parses an integer query parameter within [lo, hi].
func intParam(q url.Values, name string, def, lo, hi int) (int, error) {
	v := q.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, badRequest("%s=%q is not a whole number from %d to %d", name, v, lo, hi)
	}
	return n, nil
}

// waitParam parses wait=, a duration up to the maximum wait.
func (a *API) waitParam(q url.Values) (time.Duration, error) {
	v := q.Get("wait")
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	switch {
	case err != nil:
		return 0, badRequest("wait=%q is not a duration (like 30s or 500ms)", v)
	case d < 0:
		return 0, badRequest("wait=%q is negative", v)
	case d > a.limits.MaxWait:
		return 0, badRequest("wait=%q exceeds the maximum wait of %s", v, a.limits.MaxWait)
	}
	return d, nil
}

// encodingParam parses encoding=: base64 forces data_base64.
func encodingParam(q url.Values) (bool, error) {
	switch v := q.Get("encoding"); v {
	case "":
		return false, nil
	case "base64":
		return true, nil
	default:
		return false, badRequest("encoding=%q is not base64 (leave it out for data when the payload is UTF-8)", v)
	}
}

// enumParam parses a query parameter that takes one of values (the first
// is the default).
func enumParam(q url.Values, name string, values ...string) (string, error) {
	v := q.Get(name)
	if v == "" {
		return values[0], nil
	}
	if !slices.Contains(values, v) {
		return "", badRequest("%s=%q is not %s", name, v, orList(values))
	}
	return v, nil
}

// orList joins words as "a, b or c".
func orList(words []string) string {
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}
