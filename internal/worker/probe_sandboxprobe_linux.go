//go:build linux && sandboxprobe

package worker

import (
	"encoding/binary"
	"fmt"
	"io"
	"strings"

	"golang.org/x/sys/unix"
)

// ProbeRequest is the request type of the sandbox probe, which exists only
// in builds with the sandboxprobe tag (make test builds one for
// TestLockdown): no cart can send a request, and no other build serves it.
// Its body is a flag byte (1: try exec too, which replaces a worker that
// may exec) and a path to open; the reply is a frame with one line,
// "what:result ..." for each thing a cart's code must not be able to do.
const ProbeRequest = 0xEE

func probe(msg []byte, w io.Writer) (bool, error) {
	if len(msg) < 2 || msg[0] != ProbeRequest {
		return false, nil
	}
	tryExec, path := msg[1] == 1, string(msg[2:])
	var out []string
	result := func(what string, err error) {
		s := "ok"
		if err != nil {
			s = unix.ErrnoName(err.(unix.Errno))
		}
		out = append(out, what+":"+s)
	}
	fd, err := unix.Open(path, unix.O_RDONLY, 0)
	if err == nil {
		unix.Close(fd)
	}
	result("open", err)
	fd, err = unix.Open("/proc/self/status", unix.O_RDONLY, 0)
	if err == nil {
		unix.Close(fd)
	}
	result("proc", err)
	for _, s := range []struct {
		what   string
		domain int
	}{{"tcp", unix.AF_INET}, {"unix", unix.AF_UNIX}} {
		fd, err := unix.Socket(s.domain, unix.SOCK_STREAM, 0)
		if err == nil {
			unix.Close(fd)
		}
		result(s.what, err)
	}
	// A process, not a thread: the child leaves at once.
	pid, _, errno := unix.RawSyscall6(unix.SYS_CLONE, uintptr(unix.SIGCHLD), 0, 0, 0, 0, 0)
	if errno == 0 && pid == 0 {
		unix.RawSyscall(unix.SYS_EXIT_GROUP, 0, 0, 0)
	}
	if errno == 0 {
		var ws unix.WaitStatus
		unix.Wait4(int(pid), &ws, 0, nil)
		result("fork", nil)
	} else {
		result("fork", errno)
	}
	// Signal 0 to the host: whether a signal could reach it.
	host := unix.Getppid()
	result("kill", unix.Kill(host, 0))
	result("tgkill", unix.Tgkill(host, host, 0))
	_, _, errno = unix.RawSyscall(unix.SYS_CLONE3, 0, 0, 0)
	result("clone3", errnoOrNil(errno))
	var rl unix.Rlimit
	unix.Getrlimit(unix.RLIMIT_NOFILE, &rl)
	out = append(out, fmt.Sprintf("nofile:%d", rl.Cur))
	// Last: where exec is allowed, the worker becomes /bin/true and ends,
	// which the test sees as a missing reply.
	if tryExec {
		err = unix.Exec("/bin/true", []string{"true"}, nil)
		result("exec", err)
	}

	line := strings.Join(out, " ")
	b := binary.LittleEndian.AppendUint32(nil, uint32(len(line)))
	_, err = w.Write(append(b, line...))
	return true, err
}

func errnoOrNil(e unix.Errno) error {
	if e == 0 {
		return nil
	}
	return e
}
