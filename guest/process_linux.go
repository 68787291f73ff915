//go:build linux

package guest

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/ebicart/ebicart/framebuffer"
)

// Process isolation (IsolationProcess).
//
// The cart runs in a child process: this same program, started again with
// EBICART_GUEST_WORKER=1 in its environment, which package guest's init
// turns into a worker (worker_linux.go). The worker compiles and runs the
// cart with wazero, as the host would, except that the cart's linear
// memory is a memfd that the host maps too: the host writes the input
// block and reads the descriptor and the pixels in place, as in-process.
// Each tick is one request and one reply on a pipe.
//
// Why: wazero's compiled code cannot be interrupted from Go. Its
// context-done checks (IsolationInProcess) make loops several times slower,
// and a cart stuck in a loop without them blocks every stop-the-world of
// the garbage collector, and so the whole host. A process can simply be
// killed: when a reply does not come within the CPU limit, the host kills
// the worker and the cart is stopped with a DeadlineError. The cart runs
// at full compiled speed; a tick costs one pipe round trip (~20 µs).

const processSupported = true

// compileLimit bounds compiling a cart in the worker (not cart code).
const compileLimit = 2 * time.Minute

type procInstance struct {
	cmd      *exec.Cmd
	exited   chan struct{}
	req, rep *os.File // our ends of the request and reply pipes
	shm      []byte   // the cart's memory, mapped
	memSize  uint64
	limit    time.Duration
	cfg      Config

	wbuf  []byte
	hdr   [replyHeader]byte
	r     reply
	dead  error  // set once the worker is gone
	tones []Tone // from the last reply

	logMu   sync.Mutex
	logs    []string // lines from the worker not yet delivered
	logDrop int
	logDone chan struct{}
}

// workerConfig is the part of Config the worker needs.
type workerConfig struct {
	Name     string     `json:"name"`
	MaxPages uint32     `json:"max_pages"`
	CacheDir string     `json:"cache_dir"`
	NoCache  bool       `json:"no_cache"`
	Mode     Mode       `json:"mode"`
	SavePath string     `json:"save_path"`
	Palette  *[4]uint32 `json:"palette"`
}

func startProcess(ctx context.Context, wasm []byte, cfg Config, mode Mode) (instance, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("guest: starting the cart's process: %w", err)
	}
	size := int(cfg.maxPages()) << 16
	fd, err := unix.MemfdCreate("ebicart-cart-memory", unix.MFD_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("guest: shared memory for the cart: %w", err)
	}
	memFile := os.NewFile(uintptr(fd), "cart-memory")
	defer memFile.Close()
	if err := unix.Ftruncate(fd, int64(size)); err != nil {
		return nil, fmt.Errorf("guest: shared memory for the cart: %w", err)
	}
	shm, err := unix.Mmap(fd, 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("guest: mapping the cart's memory: %w", err)
	}
	p := &procInstance{shm: shm, limit: cfg.limit(), cfg: cfg, exited: make(chan struct{}), logDone: make(chan struct{})}
	ok := false
	defer func() {
		if !ok {
			p.close()
		}
	}()

	reqR, reqW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	repR, repW, err := os.Pipe()
	if err != nil {
		reqR.Close()
		reqW.Close()
		return nil, err
	}
	logR, logW, err := os.Pipe()
	if err != nil {
		reqR.Close()
		reqW.Close()
		repR.Close()
		repW.Close()
		return nil, err
	}
	p.req, p.rep = reqW, repR
	p.cmd = exec.Command(exe)
	p.cmd.Env = append(os.Environ(), workerEnv+"=1")
	p.cmd.ExtraFiles = []*os.File{memFile, reqR, repW, logW} // fds 3, 4, 5, 6
	p.cmd.Stdout = os.Stderr
	p.cmd.Stderr = os.Stderr
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	err = p.cmd.Start()
	reqR.Close()
	repW.Close()
	logW.Close()
	if err != nil {
		logR.Close()
		p.cmd = nil
		return nil, fmt.Errorf("guest: starting the cart's process: %w", err)
	}
	go func() {
		p.cmd.Wait()
		close(p.exited)
	}()
	go p.readLogs(logR)

	wc, _ := json.Marshal(workerConfig{Name: cfg.name, MaxPages: cfg.maxPages(), CacheDir: cfg.cacheDir, NoCache: cfg.noCache,
		Mode: mode, SavePath: cfg.savePath(wasm), Palette: cfg.palette})
	msg := []byte{opCompile}
	msg = binary.LittleEndian.AppendUint32(msg, uint32(len(wc)))
	msg = append(msg, wc...)
	msg = binary.LittleEndian.AppendUint32(msg, uint32(len(wasm)))
	msg = append(msg, wasm...)
	if err := p.roundTrip(msg, "compile", compileLimit); err != nil {
		return nil, err
	}
	if err := p.roundTrip([]byte{opInstantiate}, "instantiate", p.limit); err != nil {
		return nil, err
	}
	ok = true
	return p, nil
}

// readLogs collects the worker's log lines (already rate-limited there)
// for delivery on the caller's goroutine after each call. Reading them
// all the time keeps a chatty cart from blocking on a full pipe.
func (p *procInstance) readLogs(r *os.File) {
	defer close(p.logDone)
	defer r.Close()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 8192), maxLogLine+16)
	for sc.Scan() {
		p.logMu.Lock()
		if len(p.logs) < 1000 {
			p.logs = append(p.logs, sc.Text())
		} else {
			p.logDrop++
		}
		p.logMu.Unlock()
	}
}

// deliverLogs passes the pending log lines to the log sink.
func (p *procInstance) deliverLogs() {
	p.logMu.Lock()
	if len(p.logs) == 0 && p.logDrop == 0 {
		p.logMu.Unlock()
		return
	}
	lines, drop := p.logs, p.logDrop
	p.logs, p.logDrop = nil, 0
	p.logMu.Unlock()
	for _, l := range lines {
		p.cfg.logf(l)
	}
	if drop > 0 {
		p.cfg.logf(fmt.Sprintf("[%d log lines dropped: the host could not keep up]", drop))
	}
}

// roundTrip sends a request and waits for the reply, at most limit.
func (p *procInstance) roundTrip(msg []byte, what string, limit time.Duration) error {
	if p.dead != nil {
		return p.dead
	}
	defer p.deliverLogs()
	if _, err := p.req.Write(msg); err != nil {
		return p.died(what, err)
	}
	p.rep.SetReadDeadline(time.Now().Add(limit))
	if err := readReply(p.rep, &p.hdr, &p.r); err != nil {
		if errors.Is(err, os.ErrDeadlineExceeded) {
			p.kill()
			p.dead = &DeadlineError{Func: what, Limit: limit}
			return p.dead
		}
		return p.died(what, err)
	}
	p.memSize = p.r.memSize
	p.tones = p.tones[:0]
	if p.r.status == replyOK {
		p.tones = decodeTones(p.tones, p.r.msg)
	}
	if p.r.status != replyOK {
		err := replyError(&p.r)
		if p.r.status == replyFailed || p.r.status == replyExit {
			p.dead = err
		}
		return err
	}
	return nil
}

// died reports a worker that went away in the middle of a call.
func (p *procInstance) died(what string, err error) error {
	p.kill()
	state := "killed"
	if p.cmd != nil && p.cmd.ProcessState != nil {
		state = p.cmd.ProcessState.String()
	}
	p.dead = fmt.Errorf("guest: the cart's process died during %s (%s): %v", what, state, err)
	return p.dead
}

func (p *procInstance) kill() {
	if p.cmd != nil && p.cmd.Process != nil {
		p.cmd.Process.Kill()
		<-p.exited
	}
}

func (p *procInstance) call(f fn) (uint32, error) {
	p.wbuf = append(p.wbuf[:0], opCall)
	p.wbuf = binary.LittleEndian.AppendUint32(p.wbuf, uint32(f))
	if err := p.roundTrip(p.wbuf, fnNames[f], p.limit); err != nil {
		return 0, err
	}
	return p.r.value, nil
}

// takeTones returns the tone() calls the last reply carried.
func (p *procInstance) takeTones() []Tone { return p.tones }

func (p *procInstance) frame(in *[InputSize]byte, flags frameFlags) (uint32, error) {
	p.wbuf = append(p.wbuf[:0], opFrame, byte(flags))
	p.wbuf = append(p.wbuf, in[:]...)
	if err := p.roundTrip(p.wbuf, exportUpdate, p.limit); err != nil {
		return 0, err
	}
	return p.r.value, nil
}

func (p *procInstance) memory() []byte { return p.shm[:min(p.memSize, uint64(len(p.shm)))] }

func (p *procInstance) read(addr uint32, b []byte) error {
	mem := p.memory()
	if uint64(addr)+uint64(len(b)) > uint64(len(mem)) {
		return outOfRange(addr, len(b), uint64(len(mem)))
	}
	copy(b, mem[addr:])
	return nil
}

func (p *procInstance) write(addr uint32, b []byte) error {
	mem := p.memory()
	if uint64(addr)+uint64(len(b)) > uint64(len(mem)) {
		return outOfRange(addr, len(b), uint64(len(mem)))
	}
	copy(mem[addr:], b)
	return nil
}

func (p *procInstance) memorySize() uint64 { return uint64(len(p.memory())) }

func (p *procInstance) frameMemory(d framebuffer.Descriptor) ([]byte, framebuffer.Descriptor) {
	return p.memory(), d
}

func (p *procInstance) close() error {
	if p.req != nil {
		p.req.Close() // the worker exits when its requests end
	}
	if p.cmd != nil {
		select {
		case <-p.exited:
		case <-time.After(time.Second):
			p.kill()
		}
		<-p.logDone
		p.deliverLogs()
	}
	if p.rep != nil {
		p.rep.Close()
	}
	if p.shm != nil {
		unix.Munmap(p.shm)
		p.shm = nil
	}
	if p.dead == nil {
		p.dead = errClosed
	}
	return nil
}

var _ io.Reader = (*os.File)(nil)
