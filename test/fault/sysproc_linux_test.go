package fault

import "syscall"

// childAttr puts the server in its own process group, so that a terminal's
// signals reach only the test, and asks the kernel to kill it if the test
// binary dies without running its cleanups (a -timeout panic, say).
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
