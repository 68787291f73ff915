//go:build !js

// Package wazero is the native engine under ebicart's cart core: carts run on
// wazero's optimizing compiler, one wazero runtime per cart, so that closing a
// cart frees everything it allocated and no cart sees another's modules.
//
// Where wazero cannot compile (a CPU other than amd64 or arm64, an amd64
// without SSE4.1, or a system that forbids executable memory), carts run
// on wazero's interpreter instead: the same carts, several times slower.
package wazero

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/sys"

	"github.com/ebicart/ebicart/guest/engine"
	"github.com/ebicart/ebicart/internal/wasmbin"
)

// Engine runs modules on wazero. The zero value runs them at full compiled
// speed with no way to stop a call; see Interruptible.
type Engine struct {
	// Interruptible makes wazero check for a cancelled context at every
	// loop header and function entry, so that a call's deadline can stop
	// it in this process. Loop-heavy code runs several times slower; a
	// cart in a worker process, which is killed instead, needs no checks.
	Interruptible bool
	// Allocator, when set, provides the modules' linear memories (the
	// worker process backs them with memory it shares with its host). By
	// default each memory is a mapping of its maximum size, reserved but
	// committed only as it is used, so that growing never copies.
	Allocator experimental.MemoryAllocator
	// EngineName overrides Name.
	EngineName string
}

// Name is "inprocess" for an interruptible engine, else "wazero", unless
// EngineName says otherwise.
func (e *Engine) Name() string {
	switch {
	case e.EngineName != "":
		return e.EngineName
	case e.Interruptible:
		return "inprocess"
	}
	return "wazero"
}

var (
	cacheMu sync.Mutex
	caches  = map[string]wazero.CompilationCache{}
)

// compilationCache returns the process-wide cache for dir ("" is one in
// memory), so that a cart loaded twice is compiled once.
func compilationCache(dir string) wazero.CompilationCache {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if c, ok := caches[dir]; ok {
		return c
	}
	var c wazero.CompilationCache
	if dir == "" {
		c = wazero.NewCompilationCache()
	} else {
		var err error
		if c, err = wazero.NewCompilationCacheWithDir(dir); err != nil {
			c = wazero.NewCompilationCache() // an unwritable directory only costs compile time
		}
	}
	caches[dir] = c
	return c
}

// Instantiate compiles and instantiates spec on a runtime of its own.
func (e *Engine) Instantiate(ctx context.Context, spec engine.Spec) (engine.Instance, error) {
	// wazero's own choice, not NewRuntimeConfigCompiler: that one panics
	// at the first compile where wazero has no compiler.
	rc := wazero.NewRuntimeConfig().
		WithCoreFeatures(api.CoreFeaturesV2).
		WithMemoryLimitPages(max(1, spec.MaxPages)).
		WithCloseOnContextDone(e.Interruptible).
		WithCompilationCache(compilationCache(spec.CacheDir))
	base := context.Background()
	alloc := e.Allocator
	if alloc == nil {
		alloc = defaultAllocator()
	}
	if alloc != nil {
		base = experimental.WithMemoryAllocator(base, alloc)
	}
	inst := &instance{rt: wazero.NewRuntimeWithConfig(base, rc), base: base, alloc: alloc, fns: map[string]api.Function{}}
	if err := inst.start(ctx, spec); err != nil {
		inst.rt.Close(base)
		return nil, err
	}
	return inst, nil
}

type instance struct {
	rt       wazero.Runtime
	compiled wazero.CompiledModule
	config   wazero.ModuleConfig
	base     context.Context
	alloc    experimental.MemoryAllocator
	mod      api.Module
	fns      map[string]api.Function
	stack    [1]uint64
	mem      memory
	name     string // the cart's, for its stack traces
}

// hostModule is the module the functions of an imported memory's module
// live in: a wazero host module cannot export a memory, so a small wasm
// module of that name defines the memory and re-exports them.
const hostModule = engine.LibHost

// libModule prefixes the name of an imported memory's Lib, which defines
// the memory and some of the functions the generated module re-exports.
const libModule = "ebicart_lib:"

func (in *instance) start(ctx context.Context, spec engine.Spec) error {
	byModule := map[string][]engine.HostFunc{}
	for _, f := range spec.Funcs {
		byModule[f.Module] = append(byModule[f.Module], f)
	}
	names := make([]string, 0, len(byModule))
	for m := range byModule {
		names = append(names, m)
	}
	sort.Strings(names)
	for _, m := range names {
		name := m
		if spec.Memory != nil && spec.Memory.Module == m {
			name = hostModule + m
		}
		b := in.rt.NewHostModuleBuilder(name)
		for _, f := range byModule[m] {
			b.NewFunctionBuilder().
				WithGoModuleFunction(in.goFunc(f), valueTypes(f.Type.Params), valueTypes(f.Type.Results)).
				Export(f.Name)
		}
		if _, err := b.Instantiate(in.base); err != nil {
			return fmt.Errorf("engine: host module %q: %w", m, err)
		}
	}
	if mi := spec.Memory; mi != nil {
		lib := ""
		if mi.Lib != nil {
			lib = libModule + mi.Module
			m, err := in.rt.InstantiateWithConfig(in.base, mi.Lib, wazero.NewModuleConfig().WithName(lib).WithStartFunctions())
			if err != nil {
				return fmt.Errorf("engine: the host's module for %q: %w", mi.Module, err)
			}
			if m.Memory() == nil || uint64(m.Memory().Size()) != uint64(mi.Pages)<<16 {
				return fmt.Errorf("engine: the host's module for %q does not define the memory of %d pages", mi.Module, mi.Pages)
			}
		}
		env, err := in.rt.InstantiateWithConfig(in.base, memoryModule(mi, byModule[mi.Module], lib), wazero.NewModuleConfig().WithName(mi.Module))
		if err != nil {
			return fmt.Errorf("engine: module %q with the memory: %w", mi.Module, err)
		}
		if mi.Init != nil {
			b, _ := env.Memory().Read(0, env.Memory().Size())
			mi.Init(b)
		}
	}
	compiled, err := in.rt.CompileModule(ctx, spec.Wasm)
	if err != nil {
		return fmt.Errorf("invalid cart: %w%s", err, featureHint(err))
	}
	if spec.Compiled != nil {
		spec.Compiled()
	}
	in.compiled = compiled
	in.config = wazero.NewModuleConfig().WithName(spec.Name).WithStartFunctions()
	in.name = spec.Name
	return in.instantiate(ctx)
}

// instantiate makes a module instance of the compiled cart.
func (in *instance) instantiate(ctx context.Context) error {
	if in.alloc != nil {
		ctx = experimental.WithMemoryAllocator(ctx, in.alloc) // the memory is allocated as the module instantiates
	}
	mod, err := in.rt.InstantiateModule(ctx, in.compiled, in.config)
	if err != nil {
		return in.callError(err)
	}
	in.mod = mod
	clear(in.fns)
	if mod.Memory() == nil {
		return errors.New(`export "memory" missing: a cart must export its linear memory as "memory"`)
	}
	in.mem.m = mod.Memory()
	return nil
}

func (in *instance) Renew(ctx context.Context) error {
	if err := in.mod.Close(in.base); err != nil {
		return err
	}
	return in.instantiate(ctx)
}

// goFunc adapts a host function to wazero's calling convention, which is
// the same: parameters in, results out, on one stack.
func (in *instance) goFunc(f engine.HostFunc) api.GoModuleFunc {
	var mem memory
	return func(_ context.Context, m api.Module, stack []uint64) {
		defer func() {
			if r := recover(); r != nil {
				if err, ok := r.(error); ok {
					if _, exit := r.(*engine.Exit); !exit {
						panic(&hostError{err})
					}
				}
				panic(r)
			}
		}()
		mem.m = m.Memory()
		f.Call(&mem, stack)
	}
}

// hostError marks an error a host function trapped with, to tell it from
// wazero's own.
type hostError struct{ err error }

func (h *hostError) Error() string { return h.err.Error() }

func (h *hostError) Unwrap() error { return h.err }

func valueTypes(ts []wasmbin.ValType) []api.ValueType {
	out := make([]api.ValueType, len(ts))
	for i, t := range ts {
		out[i] = api.ValueType(t)
	}
	return out
}

func (in *instance) fn(name string) api.Function {
	f, ok := in.fns[name]
	if !ok {
		f = in.mod.ExportedFunction(name)
		in.fns[name] = f
	}
	return f
}

func (in *instance) HasFunc(name string) bool { return in.fn(name) != nil }

func (in *instance) Call(ctx context.Context, name string) (uint64, error) {
	f := in.fn(name)
	if f == nil {
		return 0, &engine.Trap{Message: fmt.Sprintf("no exported function %q", name)}
	}
	in.stack[0] = 0
	if err := f.CallWithStack(ctx, in.stack[:]); err != nil {
		return 0, in.callError(err)
	}
	return in.stack[0], nil
}

// callError is the error of a call, its stack naming the cart.
func (in *instance) callError(err error) error {
	var trap *engine.Trap
	if err = callError(err); errors.As(err, &trap) {
		trap.Stack = nameStack(trap.Stack, in.name)
	}
	return err
}

// nameStack puts the cart's name before the functions of a wazero stack
// trace that name no module: wazero takes a module's name from its name
// section, and most carts have none (".update()" becomes "mycart.update()").
func nameStack(stack, name string) string {
	if name == "" {
		return stack
	}
	lines := strings.Split(stack, "\n")
	for i, l := range lines {
		if rest, ok := strings.CutPrefix(l, "\t."); ok {
			lines[i] = "\t" + name + "." + rest
		}
	}
	return strings.Join(lines, "\n")
}

// callError sorts what a call returned into the engine's kinds of error.
func callError(err error) error {
	var exit *sys.ExitError
	var hostExit *engine.Exit
	var host *hostError
	switch {
	case errors.As(err, &hostExit):
		return hostExit
	case errors.As(err, &host):
		_, stack, _ := strings.Cut(err.Error(), "\n")
		return &engine.Trap{Message: host.Error(), Stack: stack, Err: host.err}
	case errors.As(err, &exit):
		switch exit.ExitCode() {
		case sys.ExitCodeDeadlineExceeded:
			return engine.ErrDeadline
		case sys.ExitCodeContextCanceled:
			return context.Canceled
		}
		return &engine.Exit{Code: exit.ExitCode()}
	}
	msg, stack, _ := strings.Cut(err.Error(), "\n")
	return &engine.Trap{Message: msg, Stack: stack, Err: err}
}

func (in *instance) Memory() engine.Memory { return &in.mem }

func (in *instance) Global(name string, _ wasmbin.ValType) engine.Global {
	g, ok := in.mod.ExportedGlobal(name).(api.MutableGlobal)
	if !ok {
		return nil
	}
	return global{g}
}

// global is a wazero global: its Get and Set are bits already.
type global struct{ g api.MutableGlobal }

func (g global) Get() uint64  { return g.g.Get() }
func (g global) Set(v uint64) { g.g.Set(v) }

func (in *instance) Close() error { return in.rt.Close(in.base) }

// memory is a wazero memory as an engine.Memory.
type memory struct{ m api.Memory }

func (m *memory) Size() uint64 {
	if m.m == nil {
		return 0
	}
	return uint64(m.m.Size())
}

func (m *memory) Read(addr uint32, b []byte) bool {
	src, ok := m.m.Read(addr, uint32(len(b)))
	if !ok || uint64(len(b)) > 1<<32 {
		return false
	}
	copy(b, src)
	return true
}

func (m *memory) Write(addr uint32, b []byte) bool {
	return uint64(len(b)) <= 1<<32 && m.m.Write(addr, b)
}

func (m *memory) Grow(pages uint32) bool {
	_, ok := m.m.Grow(pages)
	return ok
}

func (m *memory) Bytes() []byte {
	if m.m == nil {
		return nil
	}
	b, _ := m.m.Read(0, m.m.Size())
	return b
}

// featureHint says what to do about a cart wazero refuses for a feature it
// leaves off (`as feature "tail-call" is disabled`, `threads feature not
// enabled`): carts are WebAssembly 2.0 on every engine, and there is no
// switch to turn one on.
func featureHint(err error) string {
	msg := err.Error()
	if !strings.Contains(msg, "feature") || !(strings.Contains(msg, "disabled") || strings.Contains(msg, "not enabled")) {
		return ""
	}
	return ": " + engine.ProposalAdvice
}
