//go:build unix

package server

import "syscall"

// fileLimit is the process's limit of open descriptors (RLIMIT_NOFILE's soft
// limit, which the Go runtime raises to the hard limit at start), or 0 if
// unknown.
func fileLimit() int {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil || rl.Cur > 1<<30 {
		return 0
	}
	return int(rl.Cur)
}
