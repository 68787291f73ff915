//go:build linux

package worker

// amd64 keeps the older calls arm64 never had.
var (
	allowedArch      = []string{"epoll_wait", "poll", "arch_prctl", "time", "dup2", "pipe"}
	allowedFilesArch = []string{"open", "stat", "lstat", "access", "rename", "mkdir", "unlink", "readlink", "getdents"}
)
