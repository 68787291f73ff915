//go:build linux

package worker

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/ebicart/ebicart/guest"
)

// Supported reports whether carts can run in worker processes here.
const Supported = true

// argv0 marks a worker process: the host starts /proc/self/exe with this as
// its argv[0] and the protocol version as its one argument.
const argv0 = "ebicart-cart-worker"

// argUnlocked, a second argument, starts a worker that does not lock
// itself down (see lockdown): for measuring what the lockdown costs.
const argUnlocked = "unlocked"

// The worker's descriptors: fd 3 the memfd (a control page, then the
// cart's memory), 4 requests, 5 replies.
const (
	fdMemory   = 3
	fdRequests = 4
	fdReplies  = 5
)

// controlSize is the control page at the start of the memfd: the worker
// writes there the index (in callNames) of the export it is calling, so
// that a host that kills it at the deadline can name the call.
const controlSize = 4096

var callNames = []string{"", "instantiate", "_initialize", "_start", "start", "input", "update", "framebuffer", guest.StartSectionCall}

// Process is a worker process: a guest.Link.
type Process struct {
	cmd      *exec.Cmd
	exited   chan struct{}
	req      *os.File // our end of the requests pipe
	rep      *os.File // our end of the replies pipe
	mem      *os.File // the memfd
	memSize  int64    // its size once sealed
	view     []byte   // the cart's memory, mapped read-only
	control  []byte   // the control page, mapped read-only
	stderr   tail
	frames   frameReader // replies
	wbuf     []byte
	killOnce sync.Once
	dead     atomic.Bool // killed or closed; Kill may come from another goroutine

	stat       *os.File // /proc/<pid>/stat, for CPUTime
	statFailed bool
	statBuf    [512]byte
}

// tail keeps the last bytes a worker wrote to standard error.
type tail struct {
	mu   sync.Mutex
	b    []byte
	done chan struct{}
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	t.b = append(t.b, p...)
	if len(t.b) > 8192 {
		t.b = append(t.b[:0], t.b[len(t.b)-4096:]...)
	}
	t.mu.Unlock()
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.TrimSpace(string(t.b))
}

// Start starts a worker process and checks that it speaks this program's
// protocol. The worker starts with no environment and no descriptors but
// its three and the standard ones (stdin and stdout /dev/null, stderr a
// pipe whose end is kept for error reports).
func Start() (*Process, error) { return startProcess(true) }

// StartUnlocked starts a worker that does not lock itself down before it
// compiles a cart: only benchmarks and tests, which measure and check the
// lockdown against it, want one.
func StartUnlocked() (*Process, error) { return startProcess(false) }

func startProcess(locked bool) (*Process, error) {
	fd, err := unix.MemfdCreate("ebicart-cart", unix.MFD_CLOEXEC|unix.MFD_ALLOW_SEALING)
	if err != nil {
		return nil, fmt.Errorf("worker: shared memory for the cart: %w", err)
	}
	p := &Process{mem: os.NewFile(uintptr(fd), "cart-memory"), exited: make(chan struct{})}
	p.stderr.done = make(chan struct{})
	reqR, reqW, err := os.Pipe()
	if err != nil {
		p.mem.Close()
		return nil, fmt.Errorf("worker: %w", err)
	}
	repR, repW, err := os.Pipe()
	if err != nil {
		p.mem.Close()
		reqR.Close()
		reqW.Close()
		return nil, fmt.Errorf("worker: %w", err)
	}
	p.req, p.rep = reqW, repR
	widenPipe(reqW)
	widenPipe(repR)
	args := []string{argv0, fmt.Sprint(guest.ProtocolVersion)}
	if !locked {
		args = append(args, argUnlocked)
	}
	p.cmd = &exec.Cmd{
		Path:        "/proc/self/exe",
		Args:        args,
		Env:         []string{},
		ExtraFiles:  []*os.File{p.mem, reqR, repW},
		Stderr:      &p.stderr,
		SysProcAttr: &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL},
	}
	err = p.cmd.Start()
	reqR.Close()
	repW.Close()
	if err != nil {
		p.cmd = nil
		p.Close()
		return nil, fmt.Errorf("worker: starting the worker process: %w", err)
	}
	go func() {
		p.cmd.Wait() // also waits for its stderr to be copied
		close(p.exited)
	}()
	return p, nil
}

// pipeSize is the capacity asked for the protocol's pipes: a boot request
// carries the whole cart, and through the default 64 KiB a 1.9 MB cart
// took 30-50 ms of ping-pong between the two processes.
const pipeSize = 1 << 20

// widenPipe asks for a pipe of pipeSize; where the system refuses
// (/proc/sys/fs/pipe-max-size, a user's pipe quota) the pipe works as it
// is, only slower for big messages.
func widenPipe(f *os.File) {
	if rc, err := f.SyscallConn(); err == nil {
		rc.Control(func(fd uintptr) { unix.FcntlInt(fd, unix.F_SETPIPE_SZ, pipeSize) })
	}
}

// build identifies this program's binary: a worker started from
// /proc/self/exe is the same file unless it was overwritten in place.
var build = sync.OnceValue(func() string {
	var st unix.Stat_t
	if err := unix.Stat("/proc/self/exe", &st); err != nil {
		return "unknown"
	}
	return fmt.Sprintf("dev %d ino %d size %d mtime %d.%09d", st.Dev, st.Ino, st.Size, st.Mtim.Sec, st.Mtim.Nsec)
})

// Build identifies this program's binary in the handshake.
func Build() string { return build() }

// Engine names the engine.
func (p *Process) Engine() string { return "process" }

// clockTick is the unit of /proc's CPU times: USER_HZ, 100 on every
// Linux that Go runs on.
const clockTick = 10 * time.Millisecond

// CPUTime is the CPU time the worker process has used, all its threads,
// user and system (/proc/<pid>/stat): a deadline counts it, so that a
// worker a busy machine did not run is not taken for a stuck one
// (guest.CPUTimer). The client reads it as each call begins: one pread of
// a file kept open, parsed in place, no allocation.
func (p *Process) CPUTime() (time.Duration, bool) {
	if p.stat == nil {
		if p.cmd == nil || p.cmd.Process == nil || p.statFailed {
			return 0, false
		}
		f, err := os.Open("/proc/" + strconv.Itoa(p.cmd.Process.Pid) + "/stat")
		if err != nil {
			p.statFailed = true
			return 0, false
		}
		p.stat = f
	}
	n, err := p.stat.ReadAt(p.statBuf[:], 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return 0, false
	}
	return parseStatCPU(p.statBuf[:n])
}

// parseStatCPU reads utime and stime from a /proc/<pid>/stat line: "pid
// (comm) state ppid ...", where comm may hold spaces and parentheses, so
// the fields are counted after the last ')'; utime and stime are fields
// 14 and 15 of the line, the 12th and 13th after it.
func parseStatCPU(b []byte) (time.Duration, bool) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, false
	}
	var ticks uint64
	field := 0
	for j := i + 1; j < len(b) && field < 13; {
		for j < len(b) && b[j] == ' ' {
			j++
		}
		start := j
		for j < len(b) && b[j] != ' ' && b[j] != '\n' {
			j++
		}
		if start == j {
			break
		}
		field++
		if field == 12 || field == 13 {
			v := uint64(0)
			for _, c := range b[start:j] {
				if c < '0' || c > '9' {
					return 0, false
				}
				v = v*10 + uint64(c-'0')
			}
			ticks += v
		}
	}
	if field < 13 {
		return 0, false
	}
	return time.Duration(ticks) * clockTick, true
}

// Prepare sizes the shared memory for the cart cfg describes and
// seals it, so the worker can neither shrink it under the host's mapping
// nor grow it.
func (p *Process) Prepare(cfg guest.BootConfig) error {
	maxPages := cfg.Pages()
	if p.memSize != 0 {
		return errors.New("worker: prepared twice")
	}
	size := int64(controlSize) + int64(maxPages)<<16
	if err := p.mem.Truncate(size); err != nil {
		return fmt.Errorf("worker: shared memory for the cart: %w", err)
	}
	if _, err := unix.FcntlInt(p.mem.Fd(), unix.F_ADD_SEALS, unix.F_SEAL_SHRINK|unix.F_SEAL_GROW|unix.F_SEAL_SEAL); err != nil {
		return fmt.Errorf("worker: sealing the cart's memory: %w", err)
	}
	p.memSize = size
	m, err := unix.Mmap(int(p.mem.Fd()), 0, controlSize, unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return fmt.Errorf("worker: mapping the control page: %w", err)
	}
	p.control = m
	return nil
}

// Send writes a request, framed by its length.
func (p *Process) Send(msg []byte) error { return p.SendParts(msg, nil) }

// SendParts writes the request head followed by tail, framed as one,
// without copying tail.
func (p *Process) SendParts(head, tail []byte) error {
	if p.dead.Load() {
		return errors.New("worker: the worker was stopped")
	}
	p.wbuf = binary.LittleEndian.AppendUint32(p.wbuf[:0], uint32(len(head)+len(tail)))
	p.wbuf = append(p.wbuf, head...)
	if _, err := p.req.Write(p.wbuf); err != nil || len(tail) == 0 {
		return err
	}
	_, err := p.req.Write(tail)
	return err
}

// Recv reads a reply, at most timeout.
func (p *Process) Recv(timeout time.Duration) ([]byte, error) {
	if p.dead.Load() {
		return nil, errors.New("worker: the worker was stopped")
	}
	p.rep.SetReadDeadline(time.Now().Add(max(timeout, time.Millisecond)))
	msg, err := p.frames.read(p.rep)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return nil, guest.ErrTimeout
	}
	return msg, err
}

// frameReader reads length-framed messages. A read that a deadline cuts
// short keeps what came, and the next read goes on from there: a host that
// waits on past a deadline (Limits.Lenient) stays in step with the worker.
type frameReader struct {
	hdr [4]byte
	buf []byte
	got int // bytes of the current message read so far, its length's included
}

// read returns the next message, valid until the next read.
func (f *frameReader) read(r io.Reader) ([]byte, error) {
	for f.got < 4 {
		n, err := r.Read(f.hdr[f.got:])
		f.got += n
		if err != nil && f.got < 4 {
			if errors.Is(err, io.EOF) && f.got > 0 {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
	}
	n := binary.LittleEndian.Uint32(f.hdr[:])
	if n == 0 || n > guest.MaxMessage {
		f.got = 0
		return nil, fmt.Errorf("a message of %d bytes", n)
	}
	if cap(f.buf) < int(n) {
		f.buf = make([]byte, n)
	}
	b := f.buf[:n]
	for f.got < 4+int(n) {
		k, err := r.Read(b[f.got-4:])
		f.got += k
		if err != nil && f.got < 4+int(n) {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
	}
	f.got = 0
	return b, nil
}

// SharesMemory: the cart's memory is mapped here too.
func (p *Process) SharesMemory() bool { return true }

// Memory maps the cart's memory (read-only) as far as size.
func (p *Process) Memory(size uint64) []byte {
	if p.memSize == 0 || size > uint64(p.memSize-controlSize) {
		return nil
	}
	if uint64(len(p.view)) < size {
		if p.view != nil {
			unix.Munmap(p.view)
			p.view = nil
		}
		m, err := unix.Mmap(int(p.mem.Fd()), controlSize, int(p.memSize-controlSize), unix.PROT_READ, unix.MAP_SHARED)
		if err != nil {
			return nil
		}
		p.view = m
	}
	return p.view
}

// Calling names the export the worker said it was calling.
func (p *Process) Calling() string {
	if p.control == nil {
		return ""
	}
	if i := int(p.control[0]); i < len(callNames) {
		return callNames[i]
	}
	return ""
}

// Kill kills the worker and waits for it to end.
func (p *Process) Kill() {
	p.killOnce.Do(func() {
		p.dead.Store(true)
		if p.cmd != nil && p.cmd.Process != nil {
			p.cmd.Process.Kill()
			<-p.exited
		}
	})
}

// Broken reports what became of a worker whose pipe failed.
func (p *Process) Broken(during string, err error) error {
	if p.cmd == nil {
		return &guest.WorkerError{During: during, Status: err.Error()}
	}
	select {
	case <-p.exited:
	case <-time.After(2 * time.Second):
		p.Kill()
	}
	p.dead.Store(true)
	status := "killed"
	if ps := p.cmd.ProcessState; ps != nil {
		status = ps.String()
	}
	if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, syscall.EPIPE) {
		status += "; " + err.Error()
	}
	return &guest.WorkerError{During: during, Status: status, Output: p.stderr.String()}
}

// Close ends the worker: it exits when its requests end; one that does
// not within a second is killed.
func (p *Process) Close() error {
	if p.req != nil {
		p.req.Close()
	}
	if p.cmd != nil {
		select {
		case <-p.exited:
		case <-time.After(time.Second):
			p.Kill()
		}
	}
	p.dead.Store(true)
	if p.rep != nil {
		p.rep.Close()
	}
	if p.stat != nil {
		p.stat.Close()
	}
	for _, m := range [][]byte{p.view, p.control} {
		if m != nil {
			unix.Munmap(m)
		}
	}
	p.view, p.control = nil, nil
	p.mem.Close()
	return nil
}
