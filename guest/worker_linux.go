//go:build linux

package guest

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/tetratelabs/wazero/experimental"
	"golang.org/x/sys/unix"
)

// A program that imports package guest becomes a cart worker when it is
// started with EBICART_GUEST_WORKER=1 (by startProcess): the worker runs
// before main, serves its host's requests, and exits. See process_linux.go.
func init() {
	if os.Getenv(workerEnv) == "1" {
		os.Exit(runWorker())
	}
}

// sharedMemory backs a cart's linear memory with the memfd the host maps:
// the whole capped size is mapped once, so growing never moves it.
type sharedMemory struct{ buf []byte }

func (s *sharedMemory) Allocate(cap, max uint64) experimental.LinearMemory { return s }

func (s *sharedMemory) Reallocate(size uint64) []byte {
	if size > uint64(len(s.buf)) {
		return nil
	}
	return s.buf[:size]
}

func (s *sharedMemory) Free() {}

func runWorker() int {
	memFile := os.NewFile(3, "cart-memory")
	reqs := bufio.NewReader(os.NewFile(4, "requests"))
	replies := os.NewFile(5, "replies")
	logs := bufio.NewWriter(os.NewFile(6, "log"))

	var w *worker
	var rbuf []byte
	send := func(r reply) bool {
		logs.Flush() // lines before the reply that ends the call
		rbuf = rbuf[:0]
		return writeReply(replies, rbuf, r) == nil
	}
	for {
		op, err := reqs.ReadByte()
		if err != nil { // the host closed the cart
			if w != nil {
				w.w.logw.Close()
			}
			logs.Flush()
			return 0
		}
		var r reply
		switch {
		case op == opCompile:
			w, r = compileWorker(reqs, memFile, logs)
		case w == nil:
			r = reply{status: replyFailed, msg: []byte("guest: worker: request before compile")}
		default:
			r = w.handle(op, reqs)
		}
		if !send(r) {
			return 1
		}
	}
}

// worker is the cart inside the worker process.
type worker struct {
	w       *wazeroInstance
	cfg     Config
	inBuf   [InputSize]byte
	pending func() error // instantiate, waiting for opInstantiate
	msg     []byte
}

// ok is a successful reply, carrying the tone() calls of the request.
func (wk *worker) ok(v uint32) reply {
	wk.msg = encodeTones(wk.msg[:0], wk.w.takeTones())
	return reply{status: replyOK, value: v, memSize: wk.memSize(), msg: wk.msg}
}

func readBlock(r io.Reader) ([]byte, error) {
	var n [4]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		return nil, err
	}
	b := make([]byte, binary.LittleEndian.Uint32(n[:]))
	_, err := io.ReadFull(r, b)
	return b, err
}

func compileWorker(reqs io.Reader, memFile *os.File, logs *bufio.Writer) (*worker, reply) {
	fail := func(err error) (*worker, reply) { return nil, errorReply(err, 0) }
	wcJSON, err := readBlock(reqs)
	if err != nil {
		return fail(err)
	}
	wasm, err := readBlock(reqs)
	if err != nil {
		return fail(err)
	}
	var wc workerConfig
	if err := json.Unmarshal(wcJSON, &wc); err != nil {
		return fail(err)
	}
	cfg := Config{}.WithName(wc.Name).WithMaxMemory(uint64(wc.MaxPages) << 16).WithMode(wc.Mode).WithLog(func(line string) {
		logs.WriteString(line)
		logs.WriteByte('\n')
	})
	if wc.Palette != nil {
		cfg = cfg.WithPalette(*wc.Palette)
	}
	if wc.NoCache {
		cfg = cfg.WithCompilationCacheDir("")
	} else if wc.CacheDir != "" {
		cfg = cfg.WithCompilationCacheDir(wc.CacheDir)
	}
	size := int(cfg.maxPages()) << 16
	buf, err := unix.Mmap(int(memFile.Fd()), 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		return fail(fmt.Errorf("guest: worker: mapping the cart's memory: %w", err))
	}
	o := wazeroOptions{allocator: &sharedMemory{buf: buf}}
	ctx := context.Background()
	inst := &wazeroInstance{ctx: experimental.WithMemoryAllocator(ctx, o.allocator), logw: &lineWriter{emit: cfg.logf},
		mode: wc.Mode, disk: &disk{path: wc.SavePath}}
	rc := runtimeConfig(cfg, o)
	inst.rt = newRuntime(inst.ctx, rc)
	compiled, err := inst.compile(wasm, cfg)
	if err != nil {
		return fail(err)
	}
	wk := &worker{w: inst, cfg: cfg}
	wk.pending = func() error { return inst.instantiate(compiled, cfg) }
	return wk, reply{status: replyOK}
}

func (wk *worker) memSize() uint64 {
	if wk.w.mem == nil {
		return 0
	}
	return uint64(wk.w.mem.Size())
}

func (wk *worker) handle(op byte, reqs *bufio.Reader) reply {
	switch op {
	case opInstantiate:
		if wk.pending == nil {
			return reply{status: replyFailed, msg: []byte("guest: worker: instantiated twice")}
		}
		err := wk.pending()
		wk.pending = nil
		if err != nil {
			return errorReply(err, 0)
		}
		return wk.ok(0)
	case opCall:
		var b [4]byte
		if _, err := io.ReadFull(reqs, b[:]); err != nil {
			return errorReply(err, wk.memSize())
		}
		f := fn(binary.LittleEndian.Uint32(b[:]))
		if f < 0 || f >= numFns || wk.w.fns[f] == nil {
			return reply{status: replyFailed, msg: []byte(fmt.Sprintf("guest: worker: no export %d", f)), memSize: wk.memSize()}
		}
		v, err := wk.w.call(f)
		if err != nil {
			return errorReply(err, wk.memSize())
		}
		return wk.ok(v)
	case opFrame:
		b, err := reqs.ReadByte()
		if err != nil {
			return errorReply(err, wk.memSize())
		}
		flags := frameFlags(b)
		if _, err := io.ReadFull(reqs, wk.inBuf[:]); err != nil {
			return errorReply(err, wk.memSize())
		}
		if flags&frameInput != 0 {
			addr, err := wk.w.call(fnInput)
			if err != nil {
				return errorReply(err, wk.memSize())
			}
			if err := wk.w.write(addr, wk.inBuf[:]); err != nil {
				return errorReply(fmt.Errorf("guest: input block: %w", err), wk.memSize())
			}
		}
		if flags&frameUpdate != 0 {
			if _, err := wk.w.call(fnUpdate); err != nil {
				return errorReply(err, wk.memSize())
			}
		}
		var v uint32
		if flags&frameFramebuffer != 0 {
			if v, err = wk.w.call(fnFramebuffer); err != nil {
				return errorReply(err, wk.memSize())
			}
		}
		return wk.ok(v)
	}
	return reply{status: replyFailed, msg: []byte(fmt.Sprintf("guest: worker: unknown request %d", op))}
}
