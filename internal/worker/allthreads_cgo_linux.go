//go:build linux && cgo

package worker

// allThreadsSyscalls reports whether a system call can be made on every
// thread of this process, which Landlock needs (go-landlock restricts each
// thread through psx): with cgo, psx does it in C.
func allThreadsSyscalls() bool { return true }
