//go:build !js

package guest

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/tetratelabs/wazero/sys"

	"github.com/ebicart/ebicart/framebuffer"
	"github.com/ebicart/ebicart/internal/wasmbin"
)

// wazeroInstance is a cart running on wazero's compiler. Each cart has its
// own runtime, so closing it frees everything the cart allocated, and one
// cart can never see another's host modules.
type wazeroInstance struct {
	ctx   context.Context
	rt    wazero.Runtime
	mod   api.Module
	mem   api.Memory
	fns   [numFns]api.Function
	stack [1]uint64
	logw  *lineWriter
	limit time.Duration // > 0: calls run under a deadline (closeOnDone)
	mode  Mode
	disk  *disk
	tones []Tone // tone() calls of the running update (WASM-4 mode)
}

// wazeroOptions are the knobs of newWazero.
type wazeroOptions struct {
	// closeOnDone makes wazero check a deadline in loops and calls, so
	// every call can be bounded by limit.
	closeOnDone bool
	limit       time.Duration
	// allocator, when set, provides the cart's linear memory (the worker
	// process backs it with memory shared with the host).
	allocator experimental.MemoryAllocator
	mode      Mode
	savePath  string
}

func instantiate(ctx context.Context, wasm []byte, m *wasmbin.Module, cfg Config, mode Mode) (instance, error) {
	iso := cfg.isolation
	if iso == IsolationAuto {
		iso = IsolationInProcess
		if processSupported {
			iso = IsolationProcess
		}
	}
	switch iso {
	case IsolationProcess:
		if !processSupported {
			return nil, fmt.Errorf("guest: process isolation is not supported on this system: use IsolationInProcess")
		}
		return startProcess(ctx, wasm, cfg, mode)
	case IsolationInProcess:
		return newWazero(ctx, wasm, cfg, wazeroOptions{closeOnDone: true, limit: cfg.limit(), mode: mode, savePath: cfg.savePath(wasm)})
	}
	return newWazero(ctx, wasm, cfg, wazeroOptions{mode: mode, savePath: cfg.savePath(wasm)})
}

var (
	cacheMu sync.Mutex
	caches  = map[string]wazero.CompilationCache{}
)

// compilationCache returns the process-wide cache for dir, so that a cart
// loaded twice (a restart, a second process) is compiled once.
func compilationCache(cfg Config) wazero.CompilationCache {
	dir := cfg.cacheDir
	if cfg.noCache {
		return nil
	}
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return nil
		}
		dir = filepath.Join(base, "ebicart", "wazero")
	}
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if c, ok := caches[dir]; ok {
		return c
	}
	c, err := wazero.NewCompilationCacheWithDir(dir)
	if err != nil {
		// An unwritable cache directory only costs compile time.
		c = wazero.NewCompilationCache()
	}
	caches[dir] = c
	return c
}

// runtimeConfig is the wazero configuration for a cart.
func runtimeConfig(cfg Config, o wazeroOptions) wazero.RuntimeConfig {
	rc := wazero.NewRuntimeConfigCompiler().
		WithCoreFeatures(api.CoreFeaturesV2).
		WithMemoryLimitPages(cfg.maxPages()).
		WithCloseOnContextDone(o.closeOnDone)
	if cache := compilationCache(cfg); cache != nil {
		rc = rc.WithCompilationCache(cache)
	}
	return rc
}

func newRuntime(ctx context.Context, rc wazero.RuntimeConfig) wazero.Runtime {
	return wazero.NewRuntimeWithConfig(ctx, rc)
}

// newWazero compiles and instantiates a cart in this process.
func newWazero(ctx context.Context, wasm []byte, cfg Config, o wazeroOptions) (*wazeroInstance, error) {
	rc := runtimeConfig(cfg, o)
	if o.allocator != nil {
		ctx = experimental.WithMemoryAllocator(ctx, o.allocator)
	}
	rt := newRuntime(ctx, rc)
	inst := &wazeroInstance{ctx: ctx, rt: rt, logw: &lineWriter{emit: cfg.logf}, limit: o.limit, mode: o.mode, disk: &disk{path: o.savePath}}
	if err := inst.start(wasm, cfg); err != nil {
		rt.Close(ctx)
		return nil, err
	}
	return inst, nil
}

func (w *wazeroInstance) start(wasm []byte, cfg Config) error {
	compiled, err := w.compile(wasm, cfg)
	if err != nil {
		return err
	}
	return w.instantiate(compiled, cfg)
}

// compile instantiates the host modules and compiles the cart.
func (w *wazeroInstance) compile(wasm []byte, cfg Config) (wazero.CompiledModule, error) {
	ctx := w.ctx
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, w.rt); err != nil {
		return nil, fmt.Errorf("guest: wasi: %w", err)
	}
	if err := w.instantiateHostModules(cfg); err != nil {
		return nil, err
	}
	compiled, err := w.rt.CompileModule(ctx, wasm)
	if err != nil {
		return nil, fmt.Errorf("guest: invalid cart: %w", err)
	}
	return compiled, nil
}

// instantiate instantiates the compiled cart, which runs its start
// section, under the call deadline.
func (w *wazeroInstance) instantiate(compiled wazero.CompiledModule, cfg Config) error {
	mc := wazero.NewModuleConfig().
		WithName("cart").
		WithStartFunctions(). // _start is not part of the ABI; _initialize is called by Load
		WithStdout(w.logw).
		WithStderr(w.logw).
		WithSysWalltime().
		WithSysNanotime().
		WithRandSource(rand.Reader)
	ictx, cancel := w.deadline()
	mod, err := w.rt.InstantiateModule(ictx, compiled, mc)
	cancel()
	if err != nil {
		return w.callError("instantiate", err)
	}
	w.mod = mod
	w.mem = mod.Memory()
	if w.mem == nil {
		return errors.New(`guest: export "memory" missing: a cart must export its linear memory as "memory"`)
	}
	for f, name := range fnNames {
		w.fns[f] = mod.ExportedFunction(name)
	}
	return nil
}

// log implements ebicart.log(ptr, len i32).
func (w *wazeroInstance) log(_ context.Context, m api.Module, stack []uint64) {
	ptr, n := api.DecodeU32(stack[0]), api.DecodeU32(stack[1])
	b, ok := m.Memory().Read(ptr, n)
	if !ok {
		panic(fmt.Errorf("ebicart.log: message %w", outOfRange(ptr, int(n), uint64(m.Memory().Size()))))
	}
	w.logw.Line(b)
}

// deadline returns the context a call runs under.
func (w *wazeroInstance) deadline() (context.Context, context.CancelFunc) {
	if w.limit > 0 {
		return context.WithTimeout(w.ctx, w.limit)
	}
	return w.ctx, func() {}
}

// takeTones returns the tone() calls since the last take.
func (w *wazeroInstance) takeTones() []Tone {
	t := w.tones
	w.tones = w.tones[:0]
	return t
}

func (w *wazeroInstance) call(f fn) (uint32, error) {
	var err error
	if w.limit > 0 {
		ctx, cancel := w.deadline()
		err = w.fns[f].CallWithStack(ctx, w.stack[:])
		cancel()
	} else {
		err = w.fns[f].CallWithStack(w.ctx, w.stack[:])
	}
	if err != nil {
		return 0, w.callError(fnNames[f], err)
	}
	return uint32(w.stack[0]), nil
}

// callError turns a wazero error from calling export name into a
// *CallError, *ExitError or *DeadlineError.
func (w *wazeroInstance) callError(name string, err error) error {
	var exit *sys.ExitError
	if errors.As(err, &exit) {
		if exit.ExitCode() == sys.ExitCodeDeadlineExceeded {
			return &DeadlineError{Func: name, Limit: w.limit}
		}
		return &ExitError{Func: name, Code: exit.ExitCode()}
	}
	return &CallError{Func: name, Err: err}
}

func (w *wazeroInstance) read(addr uint32, b []byte) error {
	src, ok := w.mem.Read(addr, uint32(len(b)))
	if !ok {
		return outOfRange(addr, len(b), w.memorySize())
	}
	copy(b, src)
	return nil
}

func (w *wazeroInstance) write(addr uint32, b []byte) error {
	if !w.mem.Write(addr, b) {
		return outOfRange(addr, len(b), w.memorySize())
	}
	return nil
}

func (w *wazeroInstance) memorySize() uint64 { return uint64(w.mem.Size()) }

func (w *wazeroInstance) frameMemory(d framebuffer.Descriptor) ([]byte, framebuffer.Descriptor) {
	// A fresh view every frame: memory.grow may have moved the buffer.
	mem, _ := w.mem.Read(0, w.mem.Size())
	return mem, d
}

func (w *wazeroInstance) close() error {
	w.logw.Close()
	return w.rt.Close(w.ctx)
}
