//go:build linux

package worker

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	seccomp "github.com/elastic/go-seccomp-bpf"
	"github.com/landlock-lsm/go-landlock/landlock"
	"golang.org/x/sys/unix"
)

// lockdown confines this worker process before it compiles a cart, so
// that a bug in the engine that let a cart run code of its own would find
// nothing to do with it:
//
//   - no_new_privs, and a seccomp-bpf allowlist of the system calls the Go
//     runtime (with or without cgo and the race detector) and the worker's
//     protocol need: no sockets, no exec, no new processes (only threads),
//     no ptrace, no signals but to its own threads, no files unless
//     Landlock confines them; the rest fails with EPERM. Both are
//     mandatory: lockdown fails without them.
//   - Landlock, where the kernel has it: no file access but to the compile
//     cache directory, no TCP, no signals or abstract sockets outside the
//     worker. Where the kernel lacks it, files are closed to the worker
//     by seccomp instead, and the compile cache is off (cacheDir comes back
//     empty); the note says so.
//   - RLIMIT_NOFILE a few descriptors above those open, RLIMIT_NPROC a
//     bound on the user's processes, RLIMIT_CORE 0.
//
// It returns the cache directory the cart may use and a note for the log
// when the lockdown is weaker than it should be.
func lockdown(cacheDir string) (string, string, error) {
	if err := limitResources(); err != nil {
		return "", "", err
	}
	note := ""
	files := false
	switch abi := landlockABI(); {
	case abi <= 0:
		note = "sandbox: this kernel has no Landlock: files are closed to the cart's worker by seccomp alone, and the compile cache is off"
		cacheDir = ""
	case !allThreadsSyscalls():
		note = "sandbox: this build (CGO_ENABLED=0) cannot apply Landlock to every thread: files are closed to the cart's worker by seccomp alone, and the compile cache is off"
		cacheDir = ""
	default:
		var rules []landlock.Rule
		if cacheDir != "" {
			if err := os.MkdirAll(cacheDir, 0o700); err != nil {
				cacheDir = "" // an unusable cache only costs compile time
			} else {
				rules = append(rules, landlock.RWDirs(cacheDir).WithRefer())
			}
		}
		if err := landlock.V7.BestEffort().Restrict(rules...); err != nil {
			return "", "", fmt.Errorf("worker: landlock: %w", err)
		}
		files = true
	}
	if err := seccomp.LoadFilter(seccomp.Filter{
		NoNewPrivs: true,
		Flag:       seccomp.FilterFlagTSync,
		Policy:     policy(files, os.Getpid()),
	}); err != nil {
		return "", "", fmt.Errorf("worker: seccomp: %w", err)
	}
	return cacheDir, note, nil
}

// landlockABI returns the kernel's Landlock ABI version, 0 or less without
// one.
func landlockABI() int {
	v, _, errno := unix.Syscall(unix.SYS_LANDLOCK_CREATE_RULESET, 0, 0, unix.LANDLOCK_CREATE_RULESET_VERSION)
	if errno != 0 {
		return 0
	}
	return int(v)
}

// limitResources sets the worker's resource limits.
func limitResources() error {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return fmt.Errorf("worker: listing descriptors: %w", err)
	}
	highest := 0
	for _, e := range ents {
		if fd, err := strconv.Atoi(e.Name()); err == nil {
			highest = max(highest, fd)
		}
	}
	// The cache opens a file or two at a time; epoll and the runtime a few.
	nofile := uint64(highest + 32)
	// RLIMIT_NPROC counts the user's tasks (threads too): the system's
	// count now, plus room for the worker's own threads, bounds it without
	// a scan of every process.
	nproc := uint64(4096)
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		f := strings.Fields(string(b))
		if len(f) >= 4 {
			if _, total, ok := strings.Cut(f[3], "/"); ok {
				if n, err := strconv.ParseUint(total, 10, 64); err == nil {
					nproc = n + 256
				}
			}
		}
	}
	for _, l := range []struct {
		res int
		max uint64
	}{{unix.RLIMIT_NOFILE, nofile}, {unix.RLIMIT_NPROC, nproc}, {unix.RLIMIT_CORE, 0}} {
		var cur unix.Rlimit
		if err := unix.Getrlimit(l.res, &cur); err != nil {
			return fmt.Errorf("worker: getrlimit %d: %w", l.res, err)
		}
		lim := unix.Rlimit{Cur: min(cur.Cur, l.max), Max: min(cur.Max, l.max)}
		if err := unix.Setrlimit(l.res, &lim); err != nil && !errors.Is(err, unix.EPERM) {
			return fmt.Errorf("worker: setrlimit %d: %w", l.res, err)
		}
	}
	return nil
}

// policy is the seccomp allowlist of the worker whose process ID is pid;
// files adds the calls that open and change files, for a worker Landlock
// confines.
func policy(files bool, pid int) seccomp.Policy {
	allow := append([]string(nil), allowed...)
	allow = append(allow, allowedArch...)
	if files {
		allow = append(allow, allowedFiles...)
		allow = append(allow, allowedFilesArch...)
	}
	return seccomp.Policy{
		DefaultAction: seccomp.ActionErrno, // EPERM
		Syscalls: []seccomp.SyscallGroup{
			{Action: seccomp.ActionAllow, Names: allow},
			{
				// Threads, not processes: clone must share the address
				// space and be a thread of this process.
				Action: seccomp.ActionAllow,
				NamesWithCondtions: []seccomp.NameWithConditions{{
					Name: "clone",
					Conditions: []seccomp.Condition{
						{Argument: 0, Operation: seccomp.BitsSet, Value: unix.CLONE_VM | unix.CLONE_THREAD},
					},
				}},
			},
			{
				// Signals to its own threads only (the runtime's
				// preemption, the race detector's): Landlock's signal scope
				// does the same on kernels from 6.12, and a build that
				// cannot apply Landlock (CGO_ENABLED=0) has only this.
				Action: seccomp.ActionAllow,
				NamesWithCondtions: []seccomp.NameWithConditions{{
					Name:       "tgkill",
					Conditions: []seccomp.Condition{{Argument: 0, Operation: seccomp.Equal, Value: uint64(pid)}},
				}},
			},
			// clone3 passes its flags in memory, where seccomp cannot
			// look: ENOSYS makes the C library fall back to clone.
			{Action: seccomp.ActionErrno | seccomp.Action(unix.ENOSYS), Names: []string{"clone3"}},
		},
	}
}

// allowed are the calls every worker needs, on every architecture.
var allowed = []string{
	// memory
	"mmap", "munmap", "mprotect", "madvise", "mremap", "brk", "mincore", "membarrier",
	// threads, scheduling, time
	"futex", "sched_yield", "sched_getaffinity", "nanosleep", "clock_nanosleep",
	"clock_gettime", "clock_getres", "gettimeofday", "set_robust_list", "rseq", "gettid",
	"getpid", "getppid", "exit", "exit_group", "restart_syscall",
	"setitimer", "timer_create", "timer_settime", "timer_delete",
	// signals (the runtime's preemption and the race detector's)
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigaltstack",
	// descriptors already open: the protocol's pipes, the memfd, epoll
	"read", "write", "readv", "writev", "pread64", "pwrite64", "close", "fcntl", "dup3",
	"fstat", "lseek", "ftruncate", "fsync", "fdatasync",
	"epoll_create1", "epoll_ctl", "epoll_pwait", "epoll_pwait2", "eventfd2", "pipe2", "ppoll",
	// process facts
	"getrandom", "uname", "getrlimit", "prlimit64", "getuid", "geteuid", "getgid", "getegid",
	"prctl", "sysinfo",
}

// allowedFiles open and change files: allowed only where Landlock confines
// them to the compile cache.
var allowedFiles = []string{
	"openat", "newfstatat", "statx", "getdents64", "mkdirat", "unlinkat", "renameat", "renameat2",
	"readlinkat", "faccessat", "faccessat2", "fchmod", "fchmodat", "getcwd", "flock", "fallocate",
}
