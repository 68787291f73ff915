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

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
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

func instantiate(ctx context.Context, wasm []byte, _ *wasmbin.Module, cfg Config) (instance, error) {
	rc := wazero.NewRuntimeConfigCompiler().
		WithCoreFeatures(api.CoreFeaturesV2).
		WithMemoryLimitPages(cfg.maxPages())
	if cache := compilationCache(cfg); cache != nil {
		rc = rc.WithCompilationCache(cache)
	}
	rt := wazero.NewRuntimeWithConfig(ctx, rc)
	inst := &wazeroInstance{ctx: ctx, rt: rt, logw: &lineWriter{emit: cfg.logf}}
	if err := inst.start(wasm, cfg); err != nil {
		rt.Close(ctx)
		return nil, err
	}
	return inst, nil
}

func (w *wazeroInstance) start(wasm []byte, cfg Config) error {
	ctx := w.ctx
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, w.rt); err != nil {
		return fmt.Errorf("guest: wasi: %w", err)
	}
	_, err := w.rt.NewHostModuleBuilder(HostModule).
		NewFunctionBuilder().
		WithGoModuleFunction(api.GoModuleFunc(w.log), []api.ValueType{api.ValueTypeI32, api.ValueTypeI32}, nil).
		WithParameterNames("ptr", "len").
		Export("log").
		Instantiate(ctx)
	if err != nil {
		return fmt.Errorf("guest: host module: %w", err)
	}
	compiled, err := w.rt.CompileModule(ctx, wasm)
	if err != nil {
		return fmt.Errorf("guest: invalid cart: %w", err)
	}
	mc := wazero.NewModuleConfig().
		WithName("cart").
		WithStartFunctions(). // _start is not part of the ABI; _initialize is called by Load
		WithStdout(w.logw).
		WithStderr(w.logw).
		WithSysWalltime().
		WithSysNanotime().
		WithRandSource(rand.Reader)
	mod, err := w.rt.InstantiateModule(ctx, compiled, mc)
	if err != nil {
		return callError("instantiate", err)
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
	w.logw.Write(b)
	w.logw.Write([]byte{'\n'})
}

func (w *wazeroInstance) call(f fn) (uint32, error) {
	if err := w.fns[f].CallWithStack(w.ctx, w.stack[:]); err != nil {
		return 0, callError(fnNames[f], err)
	}
	return uint32(w.stack[0]), nil
}

// callError turns a wazero error from calling export name into a
// *CallError or *ExitError.
func callError(name string, err error) error {
	var exit *sys.ExitError
	if errors.As(err, &exit) {
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
