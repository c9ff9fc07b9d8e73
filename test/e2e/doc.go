// Package e2e holds end-to-end tests of server behaviour: each starts an
// in-process braid server (internal/server/servertest) and drives it through
// the public Go client, as an application would. What they check is the
// server's: autoscaling, retention, truncation, deletion, reader group
// coordination, stream incarnations.
//
// The tests live in _test.go files; this file only names the package. Tests
// of the client itself (its API, options, retries and reconnects, codecs)
// stay in the root package; tests that run the braid binary as a child
// process and kill it are in test/fault.
package e2e
