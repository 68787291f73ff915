// Package engine is the seam between ebicart's cart core (package guest) and
// the WebAssembly engines that run carts: wazero natively
// (guest/engine/wazero) and the browser's own engine (guest/engine/browser).
//
// An engine compiles a module, gives it the core's host functions as its
// imports, instantiates it, calls its exports and reads and writes its linear
// memory. It knows nothing of the cart ABI: which exports exist, what the
// imports do and what memory holds are the core's business, so that the core
// behaves the same on every engine.
package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/ebicart/ebicart/internal/wasmbin"
)

// Engine compiles and instantiates modules.
type Engine interface {
	// Name names the engine in errors and statistics.
	Name() string
	// Instantiate compiles spec.Wasm, links it with spec's imports and
	// instantiates it, which runs the module's start section under ctx.
	// Compile errors say what is wrong with the module; a trap in the
	// start section is a *Trap.
	Instantiate(ctx context.Context, spec Spec) (Instance, error)
}

// Spec is a module to instantiate and what it is linked with.
type Spec struct {
	// Name names the module in stack traces.
	Name string
	// Wasm is the module's binary; Module is what wasmbin read of it.
	Wasm   []byte
	Module *wasmbin.Module
	// Funcs are the host functions the module may import. A module that
	// imports a function not in Funcs, or with another type, is refused by
	// the core before the engine sees it.
	Funcs []HostFunc
	// Memory, when set, is a memory the host provides as an import.
	Memory *MemoryImport
	// MaxPages caps every memory of the module, in 64 KiB pages: growing
	// past it fails inside the module (memory.grow returns -1).
	MaxPages uint32
	// CacheDir, when set, caches compiled code in that directory. Engines
	// that cannot (the browser) ignore it.
	CacheDir string
	// Compiled, when set, is called when the module has compiled, before
	// any of its code runs.
	Compiled func()
	// Key, when set, names Wasm with MaxPages: the same key is the same
	// module to compile. An engine that keeps compiled modules
	// (Precompiler) finds them by it.
	Key string
}

// Precompiler is an engine that can compile a module before it is asked
// to instantiate it, and keeps the last module compiled that way: an
// Instantiate of a spec with the same Key uses it, or waits for its
// compile to finish.
type Precompiler interface {
	// Precompile compiles spec.Wasm, capped at spec.MaxPages, and keeps it
	// under spec.Key. Errors are left to Instantiate.
	Precompile(ctx context.Context, spec Spec)
}

// MemoryImport is a linear memory the host creates and the module imports,
// as WASM-4's env.memory.
type MemoryImport struct {
	Module, Name string
	Pages        uint32 // its size, which is also its maximum
	// Init writes the memory's first contents before the module is
	// instantiated, so that the module's data segments apply over them.
	Init func(mem []byte)
	// Lib, when set, is a wasm module of the host's own that runs beside
	// the module, on every engine: it defines this memory (exported as
	// "memory", Pages pages at least and at most, with no data) and
	// exports the functions named in LibFuncs, to which the module's
	// imports of those names from Module bind in place of the host
	// functions: its calls then never leave the engine. Lib may import
	// any host function of Module, from module LibHost+Module.
	Lib      []byte
	LibFuncs []string
}

// LibHost prefixes the module a MemoryImport's Lib imports host functions
// from: "ebicart_host:env" for the host functions of "env".
const LibHost = "ebicart_host:"

// HostFunc is a function the host gives a module as an import.
type HostFunc struct {
	Module, Name string
	Type         wasmbin.FuncType // i32 and i64 parameters and results only
	// Call runs the function. The parameters are in stack[:len(Params)]
	// (i32s zero-extended), and Call writes the results to
	// stack[:len(Results)]; the stack holds max(params, results) values.
	// To trap the module, Call panics with an error; to end it, with
	// *Exit.
	Call func(mem Memory, stack []uint64)
}

// Instance is an instantiated module.
type Instance interface {
	// Call calls the exported function name, which takes no parameters,
	// and returns its first result (0 without one). ctx bounds the call
	// on engines that can stop one (ErrDeadline when its deadline passes).
	// A trap is a *Trap, proc_exit an *Exit.
	Call(ctx context.Context, name string) (uint64, error)
	// HasFunc reports whether the module exports a function name.
	HasFunc(name string) bool
	// Memory is the module's linear memory (exported as "memory", or
	// imported).
	Memory() Memory
	// Global returns the exported mutable global name, whose type is typ
	// (i32, i64, f32 or f64), or nil.
	Global(name string, typ wasmbin.ValType) Global
	// Renew replaces the module's instance with a new one of the same
	// compiled module (its start section runs again), with its memory at
	// its initial size where the module defines it; the host's modules
	// and a memory the host provides stay. A save state is loaded into it.
	Renew(ctx context.Context) error
	// Close frees the instance.
	Close() error
}

// Memory is a module's linear memory.
type Memory interface {
	// Size is the memory's current size in bytes.
	Size() uint64
	// Read copies len(b) bytes at addr into b; false when they are not all
	// in memory.
	Read(addr uint32, b []byte) bool
	// Write copies b into memory at addr; false when it does not fit.
	Write(addr uint32, b []byte) bool
	// Bytes returns the memory itself when the engine can give a direct
	// view, else nil. The view is valid until the module runs again (it
	// may grow and move the memory).
	Bytes() []byte
	// Grow grows the memory by pages 64 KiB pages, as memory.grow would;
	// false when it cannot.
	Grow(pages uint32) bool
}

// Global is a mutable global of i32, i64, f32 or f64, its value as bits.
type Global interface {
	Get() uint64
	Set(v uint64)
}

// ErrDeadline is returned by a call that ran past its context's deadline
// and was stopped.
var ErrDeadline = errors.New("engine: call stopped at its deadline")

// Trap is a call that trapped. Message is the same on every engine: for a
// trap of the wasm code, "wasm error: " and wazero's name of it
// ("unreachable", "integer divide by zero", "out of bounds memory access",
// "stack overflow", ...); for a host function that trapped, its error's
// text. Stack is the engine's wasm stack trace, if it gives one, which
// differs between engines.
type Trap struct {
	Message string
	Stack   string
	Err     error // the engine's error, for errors.As; may be nil
}

// Error returns the message and the stack trace.
func (t *Trap) Error() string {
	if t.Stack == "" {
		return t.Message
	}
	return t.Message + "\n" + t.Stack
}

// Unwrap returns the engine's error.
func (t *Trap) Unwrap() error { return t.Err }

// Exit ends a module: a host function panics with it (WASI proc_exit), and
// the call that ran the module returns it.
type Exit struct{ Code uint32 }

// Error gives the exit status.
func (e *Exit) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// ProposalAdvice is what a cart that uses a WebAssembly proposal past 2.0
// (tail calls, exceptions, threads, several memories) is told, by the core
// and by an engine that refuses one: carts are WebAssembly 2.0 on every
// engine, and there is no switch to turn one on.
const ProposalAdvice = "ebicart runs WebAssembly 2.0 carts (with SIMD and bulk memory), the same on every engine; build the cart without this proposal (for example without -mtail-call, -fwasm-exceptions or -pthread)"
