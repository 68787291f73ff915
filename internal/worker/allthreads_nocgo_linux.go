//go:build linux && !cgo

package worker

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// allThreadsSyscalls reports whether a system call can be made on every
// thread of this process, which Landlock needs (go-landlock restricts each
// thread through psx, which without cgo is syscall.AllThreadsSyscall). The
// runtime refuses that call where cgo is present, and a CGO_ENABLED=0
// build of Ebitengine links purego's stand-in for cgo: so do ebicart
// bundle's executables. Such a worker gets the lockdown of a kernel
// without Landlock.
func allThreadsSyscalls() bool {
	_, _, errno := syscall.AllThreadsSyscall(syscall.SYS_PRCTL, unix.PR_GET_NO_NEW_PRIVS, 0, 0)
	return errno != syscall.ENOTSUP
}
