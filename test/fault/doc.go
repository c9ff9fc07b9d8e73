// Package fault holds black-box fault tests that drive the braid binary as a
// child process: they build cmd/braid, run `braid serve` on a temporary data
// directory, kill it with SIGKILL at random moments while writers append, and
// check the durability contract (DESIGN.md, items 1-3) by reading the stream
// back.
//
// The tests live in _test.go files; this file only names the package.
//
// Run them with
//
//	go test ./test/fault -run Crash -v -count=1
//	go test ./test/fault -run Crash -v -count=1 -crash.seed=42 -crash.cycles=50
//
// Every run prints its seed; a failure keeps the data directory and the
// server log and prints where they are.
package fault
