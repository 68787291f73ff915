//go:build js

// Package browser is the engine under ebicart's cart core in the browser: the
// cart runs on the browser's own WebAssembly engine, reached through
// syscall/js, inside the Web Worker the core runs in.
package browser

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"syscall/js"
	"unsafe"

	"github.com/ebicart/ebicart/guest/engine"
	"github.com/ebicart/ebicart/internal/promise"
	"github.com/ebicart/ebicart/internal/wasmbin"
)

// Engine runs modules on the browser's WebAssembly engine. It cannot stop a
// call: the page terminates the Web Worker it runs in instead.
type Engine struct{}

// Name is "browser".
func (*Engine) Name() string { return "browser" }

// helperSource is the JavaScript half: wrap(f, params, results, argBytes)
// makes a Go function an import with the module's signature. Its
// arguments reach Go as 32-bit words in argBytes (little-endian, as every
// browser's typed arrays are), i64 parameters (BigInts, which syscall/js
// cannot read) as two, the low and the high 32 bits; an object the Go side
// returns is thrown, to trap the module (an Error) or end it
// ({ebicartExit: code}). size, read and write are a memory's accesses.
const helperSource = `
return {
  // getGlobal and setGlobal move a global's value as bits: two 32-bit
  // halves, low first (an i64 is a BigInt, which syscall/js cannot read).
  getGlobal(g, type) {
    const v = g.value;
    const dv = new DataView(new ArrayBuffer(8));
    switch (type) {
    case 'i32': dv.setInt32(0, v, true); break;
    case 'i64': dv.setBigInt64(0, v, true); break;
    case 'f32': dv.setFloat32(0, v, true); break;
    case 'f64': dv.setFloat64(0, v, true); break;
    }
    return [dv.getUint32(0, true), dv.getUint32(4, true)];
  },
  setGlobal(g, type, lo, hi) {
    const dv = new DataView(new ArrayBuffer(8));
    dv.setUint32(0, lo, true); dv.setUint32(4, hi, true);
    switch (type) {
    case 'i32': g.value = dv.getInt32(0, true); break;
    case 'i64': g.value = dv.getBigInt64(0, true); break;
    case 'f32': g.value = dv.getFloat32(0, true); break;
    case 'f64': g.value = dv.getFloat64(0, true); break;
    }
  },
  // size, read and write are a memory's accesses, in one call each:
  // read copies n bytes at addr to the start of stage, a Uint8Array of
  // the Go side's, which copies them out in one more call; write copies
  // the first n bytes of stage to addr. Both return false, copying
  // nothing, when the bytes are not all in memory.
  size(memory) { return memory.buffer.byteLength; },
  // readGo and writeGo copy between a memory and Go's own memory (goMem,
  // the Go program's exported "mem"), at address ptr there: one call.
  readGo(memory, goMem, ptr, addr, n) {
    const buf = memory.buffer;
    if (addr + n > buf.byteLength) return false;
    new Uint8Array(goMem.buffer, ptr, n).set(new Uint8Array(buf, addr, n));
    return true;
  },
  writeGo(memory, goMem, ptr, addr, n) {
    const buf = memory.buffer;
    if (addr + n > buf.byteLength) return false;
    new Uint8Array(buf, addr, n).set(new Uint8Array(goMem.buffer, ptr, n));
    return true;
  },
  read(memory, stage, addr, n) {
    const buf = memory.buffer;
    if (addr + n > buf.byteLength) return false;
    stage.set(new Uint8Array(buf, addr, n));
    return true;
  },
  write(memory, stage, addr, n) {
    const buf = memory.buffer;
    if (addr + n > buf.byteLength) return false;
    new Uint8Array(buf, addr, n).set(stage.subarray(0, n));
    return true;
  },
  // wrapDirect(exp, id, params, results) makes host function id an import
  // that calls Go's ebicartHostCall export, exp, with the id and the
  // arguments as 32-bit words (an i64 as two, low first): a plain call,
  // where a js.FuncOf callback switches goroutines. What Go wants thrown
  // it leaves in this.thrown.
  wrapDirect(exp, id, params, results) {
    const h = this;
    const finish = (r) => {
      const e = h.thrown;
      if (e !== undefined) {
        h.thrown = undefined;
        throw e;
      }
      return results ? r : undefined;
    };
    if (!params.includes('I')) {
      return (...a) => finish(exp(id, ...a));
    }
    return (...a) => {
      const w = [];
      for (let k = 0; k < params.length; k++) {
        if (params[k] === 'I') {
          const b = BigInt.asUintN(64, BigInt(a[k]));
          w.push(Number(b & 0xffffffffn), Number(b >> 32n));
        } else {
          w.push(a[k]);
        }
      }
      return finish(exp(id, ...w));
    };
  },
  // wrap(f, params, results, argBytes) makes a Go function an import: the
  // call's arguments go to Go through argBytes, a Uint8Array of 32-bit
  // words (an i64, a BigInt, as two: low, high), so that f, called with
  // none, reads them all in one copy instead of one call each.
  wrap(f, params, results, argBytes) {
    const w = new Uint32Array(argBytes.buffer, argBytes.byteOffset, argBytes.length >> 2);
    const wide = params.includes('I');
    if (!wide) {
      const n = params.length;
      return (...a) => {
        for (let k = 0; k < n; k++) w[k] = a[k];
        const r = f();
        if (r !== null && typeof r === 'object') throw r;
        return results ? r : undefined;
      };
    }
    return (...a) => {
      let j = 0;
      for (let k = 0; k < params.length; k++) {
        if (params[k] === 'I') {
          const b = BigInt.asUintN(64, BigInt(a[k]));
          w[j++] = Number(b & 0xffffffffn);
          w[j++] = Number(b >> 32n);
        } else {
          w[j++] = a[k];
        }
      }
      const r = f();
      if (r !== null && typeof r === 'object') throw r;
      return results ? r : undefined;
    };
  },
};
`

var helper = sync.OnceValue(func() js.Value { return js.Global().Get("Function").New(helperSource).Invoke() })

// memFuncs are the helper's memory accesses, looked up once: a call
// through Invoke passes no method name, which Call would have JavaScript
// decode from Go's memory and look up, several times a tick.
type memFuncs struct{ size, read, write, readGo, writeGo js.Value }

var memFunc = sync.OnceValue(func() memFuncs {
	h := helper()
	return memFuncs{size: h.Get("size"), read: h.Get("read"), write: h.Get("write"), readGo: h.Get("readGo"), writeGo: h.Get("writeGo")}
})

// Instantiate compiles spec.Wasm, then instantiates it with spec's imports.
func (e *Engine) Instantiate(ctx context.Context, spec engine.Spec) (engine.Instance, error) {
	in := &instance{}
	imports, err := in.imports(spec)
	if err != nil {
		in.Close()
		return nil, err
	}
	module, err := compile(spec)
	if err != nil {
		in.Close()
		return nil, err
	}
	wa := js.Global().Get("WebAssembly")
	if spec.Compiled != nil {
		spec.Compiled()
	}
	in.module, in.importObj = module, imports
	inst, err := promise.Await(wa.Call("instantiate", module, imports))
	if err != nil {
		var je js.Error
		if errors.As(err, &je) {
			if e := in.callError(je.Value); e != nil {
				in.Close()
				return nil, e
			}
		}
		in.Close()
		return nil, fmt.Errorf("invalid cart: %v", jsMessage(err))
	}
	in.exports, in.exported = inst.Get("exports"), nil
	if !in.memory.Truthy() {
		in.memory = in.exports.Get("memory")
		in.ownMemory = true
	}
	if in.memory.Type() != js.TypeObject {
		in.Close()
		return nil, errors.New(`export "memory" missing: a cart must export its linear memory as "memory"`)
	}
	in.mem.memory = in.memory
	return in, nil
}

// Precompile compiles spec ahead of its Instantiate, which finds the
// module under spec.Key (engine.Precompiler).
func (e *Engine) Precompile(_ context.Context, spec engine.Spec) {
	if spec.Key != "" {
		compile(spec)
	}
}

// compiled keeps the last module compiled under a key, or the one being
// compiled.
var compiled struct {
	sync.Mutex
	last *compileEntry
}

type compileEntry struct {
	key    string
	done   chan struct{}
	module js.Value
	err    error
}

// compile compiles spec's module, once for the last spec.Key asked for.
// The program's global ebicartCompiles counts what it did, for DevTools
// and the tests: {made, reused}, modules compiled and modules found
// compiled (by Precompile, or by an Instantiate of the same module).
func compile(spec engine.Spec) (js.Value, error) {
	if spec.Key == "" {
		compiles.made++
		compiles.note()
		return compileNow(spec)
	}
	compiled.Lock()
	if e := compiled.last; e != nil && e.key == spec.Key {
		compiled.Unlock()
		<-e.done
		compiles.reused++
		compiles.note()
		return e.module, e.err
	}
	e := &compileEntry{key: spec.Key, done: make(chan struct{})}
	compiled.last = e
	compiled.Unlock()
	defer close(e.done)
	compiles.made++
	compiles.note()
	e.module, e.err = compileNow(spec)
	return e.module, e.err
}

// compiles is what compile did; the browser runs one goroutine at a time.
var compiles compileCounts

type compileCounts struct{ made, reused int }

func (c *compileCounts) note() {
	js.Global().Set("ebicartCompiles", map[string]any{"made": c.made, "reused": c.reused})
}

// compileNow caps spec's memory and compiles it.
func compileNow(spec engine.Spec) (js.Value, error) {
	wasm, err := capMemory(spec)
	if err != nil {
		return js.Value{}, err
	}
	src := js.Global().Get("Uint8Array").New(len(wasm))
	js.CopyBytesToJS(src, wasm)
	module, err := promise.Await(js.Global().Get("WebAssembly").Call("compile", src))
	if err != nil {
		return js.Value{}, fmt.Errorf("invalid cart: %v", jsMessage(err))
	}
	return module, nil
}

// capMemory rewrites the module so that its memory cannot grow past
// spec.MaxPages, as wazero's limit does natively.
func capMemory(spec engine.Spec) ([]byte, error) {
	if spec.MaxPages == 0 || len(spec.Module.Memories) == 0 {
		return spec.Wasm, nil
	}
	return wasmbin.CapMemory(spec.Wasm, uint64(spec.MaxPages))
}

type instance struct {
	module    js.Value // the compiled WebAssembly.Module
	importObj js.Value
	ownMemory bool // the module defines its memory (not the host)
	exports   js.Value
	exported  map[string]js.Value // exports looked up, by name (see export)
	memory    js.Value
	mem       memory
	funcs     []js.Func
	direct    []int32 // ids of its host functions in directFuncs
}

// imports builds the import object: every function of spec the module
// imports, and the memory the host provides.
func (in *instance) imports(spec engine.Spec) (js.Value, error) {
	obj := js.Global().Get("Object")
	imports := obj.New()
	byName := map[[2]string]engine.HostFunc{}
	for _, f := range spec.Funcs {
		byName[[2]string{f.Module, f.Name}] = f
	}
	module := func(name string) js.Value {
		m := imports.Get(name)
		if m.IsUndefined() {
			m = obj.New()
			imports.Set(name, m)
		}
		return m
	}
	fromLib := map[string]bool{}
	if mi := spec.Memory; mi != nil {
		if mi.Lib != nil {
			lib, err := in.instantiateLib(mi, byName)
			if err != nil {
				return js.Value{}, err
			}
			in.memory = lib.Get("memory")
			for _, name := range mi.LibFuncs {
				module(mi.Module).Set(name, lib.Get(name))
				fromLib[name] = true
			}
		} else {
			desc := obj.New()
			desc.Set("initial", mi.Pages)
			desc.Set("maximum", mi.Pages)
			in.memory = js.Global().Get("WebAssembly").Get("Memory").New(desc)
		}
		if mi.Init != nil {
			b := make([]byte, int(mi.Pages)<<16)
			mi.Init(b)
			js.CopyBytesToJS(js.Global().Get("Uint8Array").New(in.memory.Get("buffer")), b)
		}
		module(mi.Module).Set(mi.Name, in.memory)
		in.mem.memory = in.memory
	}
	for _, im := range spec.Module.Imports {
		if im.Kind != wasmbin.KindFunc || spec.Memory != nil && im.Module == spec.Memory.Module && fromLib[im.Name] {
			continue
		}
		f, ok := byName[[2]string{im.Module, im.Name}]
		if !ok {
			return js.Value{}, fmt.Errorf("import %q.%q is not provided", im.Module, im.Name)
		}
		module(im.Module).Set(im.Name, in.wrap(f))
	}
	return imports, nil
}

// instantiateLib instantiates mi.Lib, which defines the memory mi
// describes, with the host functions it imports from engine.LibHost +
// mi.Module, and returns its exports.
func (in *instance) instantiateLib(mi *engine.MemoryImport, byName map[[2]string]engine.HostFunc) (js.Value, error) {
	m, err := wasmbin.Parse(mi.Lib)
	if err != nil {
		return js.Value{}, fmt.Errorf("engine: the host's module for %q: %v", mi.Module, err)
	}
	obj := js.Global().Get("Object")
	host := obj.New()
	for _, im := range m.Imports {
		f, ok := byName[[2]string{mi.Module, im.Name}]
		if im.Kind != wasmbin.KindFunc || im.Module != engine.LibHost+mi.Module || !ok {
			return js.Value{}, fmt.Errorf("engine: the host's module for %q imports %q.%q, which the host does not provide", mi.Module, im.Module, im.Name)
		}
		host.Set(im.Name, in.wrap(f))
	}
	imports := obj.New()
	imports.Set(engine.LibHost+mi.Module, host)
	src := js.Global().Get("Uint8Array").New(len(mi.Lib))
	js.CopyBytesToJS(src, mi.Lib)
	res, err := promise.Await(js.Global().Get("WebAssembly").Call("instantiate", src, imports))
	if err != nil {
		return js.Value{}, fmt.Errorf("engine: the host's module for %q: %v", mi.Module, jsMessage(err))
	}
	exports := res.Get("instance").Get("exports")
	if mem := exports.Get("memory"); mem.Type() != js.TypeObject || mem.Get("buffer").Get("byteLength").Int() != int(mi.Pages)<<16 {
		return js.Value{}, fmt.Errorf("engine: the host's module for %q does not define the memory of %d pages", mi.Module, mi.Pages)
	}
	return exports, nil
}

// wrap makes a host function an import. Its arguments arrive through a
// Uint8Array of 32-bit words the JavaScript wrapper fills (see
// helperSource), copied into Go in one call.
func (in *instance) wrap(f engine.HostFunc) js.Value {
	var params strings.Builder
	words := 0
	wide := make([]bool, len(f.Type.Params))
	for i, p := range f.Type.Params {
		if p == wasmbin.I64 {
			params.WriteByte('I')
			words += 2
			wide[i] = true
		} else {
			params.WriteByte('i')
			words++
		}
	}
	n := max(len(f.Type.Params), len(f.Type.Results))
	results := len(f.Type.Results) > 0
	stack := make([]uint64, n) // a host function is never re-entered
	if exp := goExport(); words <= directWords && exp.Type() == js.TypeFunction {
		id := addDirect(&directFunc{call: f.Call, mem: &in.mem, wide: wide, stack: stack, results: results})
		in.direct = append(in.direct, id)
		return helper().Call("wrapDirect", exp, id, params.String(), results)
	}
	argBytes := make([]byte, 4*words)
	jsArgs := js.Global().Get("Uint8Array").New(max(4*words, 4))
	fn := js.FuncOf(func(js.Value, []js.Value) (ret any) {
		defer func() {
			if r := recover(); r != nil {
				ret = thrown(r)
			}
		}()
		clear(stack)
		if words > 0 {
			js.CopyBytesToGo(argBytes, jsArgs)
		}
		k := 0
		for i := range wide {
			stack[i] = uint64(binary.LittleEndian.Uint32(argBytes[4*k:]))
			k++
			if wide[i] {
				stack[i] |= uint64(binary.LittleEndian.Uint32(argBytes[4*k:])) << 32
				k++
			}
		}
		f.Call(&in.mem, stack)
		if results {
			return int32(uint32(stack[0]))
		}
		return nil
	})
	in.funcs = append(in.funcs, fn)
	return helper().Call("wrap", fn, params.String(), results, jsArgs)
}

// thrown is what a host function's panic becomes for the JavaScript
// wrapper to throw.
func thrown(r any) any {
	var exit *engine.Exit
	if err, ok := r.(error); ok && errors.As(err, &exit) {
		return map[string]any{"ebicartExit": exit.Code}
	}
	msg := fmt.Sprint(r)
	if err, ok := r.(error); ok {
		msg = err.Error()
	}
	e := js.Global().Get("Error").New(msg)
	e.Set("ebicartTrap", true)
	return e
}

func (in *instance) HasFunc(name string) bool {
	return in.export(name).Type() == js.TypeFunction
}

// export returns the export name, looked up once per instance (its
// exports object is frozen): a lookup by name makes JavaScript decode the
// name from Go's memory, and Go track one more object, every tick.
func (in *instance) export(name string) js.Value {
	if f, ok := in.exported[name]; ok {
		return f
	}
	if in.exported == nil {
		in.exported = map[string]js.Value{}
	}
	f := in.exports.Get(name)
	in.exported[name] = f
	return f
}

func (in *instance) Call(_ context.Context, name string) (v uint64, err error) {
	f := in.export(name)
	if f.Type() != js.TypeFunction {
		return 0, &engine.Trap{Message: fmt.Sprintf("no exported function %q", name)}
	}
	defer func() {
		if r := recover(); r != nil {
			je, ok := r.(js.Error)
			if !ok {
				panic(r)
			}
			v, err = 0, in.callError(je.Value)
			if err == nil {
				err = &engine.Trap{Message: "wasm error: " + jsMessage(je)}
			}
		}
	}()
	res := f.Invoke()
	switch res.Type() {
	case js.TypeNumber:
		return uint64(uint32(res.Int())), nil
	}
	return 0, nil
}

// callError sorts what a call threw: an exit, a host function's trap, a
// trap of the wasm code. nil for what is none of them (a compile error).
func (in *instance) callError(v js.Value) error {
	if v.Type() != js.TypeObject {
		return nil
	}
	if code := v.Get("ebicartExit"); code.Type() == js.TypeNumber {
		return &engine.Exit{Code: uint32(code.Int())}
	}
	msg := v.Get("message").String()
	stack := cartStack(v.Get("stack"))
	if v.Get("ebicartTrap").Truthy() {
		return &engine.Trap{Message: msg, Stack: stack}
	}
	switch v.Get("name").String() {
	case "RuntimeError":
		return &engine.Trap{Message: "wasm error: " + canonical(msg), Stack: stack}
	case "RangeError":
		if strings.Contains(msg, "call stack") {
			return &engine.Trap{Message: "stack overflow", Stack: stack} // wazero's words
		}
	}
	return nil
}

// canonical turns the browser's words for a trap into wazero's, which the
// core uses on every engine.
func canonical(msg string) string {
	for _, m := range []struct{ has, is string }{
		{"unreachable", "unreachable"},
		{"memory access out of bounds", "out of bounds memory access"},
		{"divide by zero", "integer divide by zero"},
		{"remainder by zero", "integer divide by zero"},
		{"unrepresentable", "integer overflow"},
		{"integer overflow", "integer overflow"},
		{"float unrepresentable", "invalid conversion to integer"},
		{"table index is out of bounds", "invalid table access"},
		{"signature mismatch", "indirect call type mismatch"},
		{"null function", "invalid table access"},
	} {
		if strings.Contains(msg, m.has) {
			return m.is
		}
	}
	return msg
}

// cartStack keeps the frames of a JavaScript stack that belong to the
// cart: the wasm frames of the module the first wasm frame is in (the Go
// program the core is, a wasm module too, is further down).
func cartStack(stack js.Value) string {
	if stack.Type() != js.TypeString {
		return ""
	}
	var out []string
	module := ""
	for _, line := range strings.Split(stack.String(), "\n") {
		line = strings.TrimSpace(line)
		i := strings.Index(line, "wasm://wasm/")
		if i < 0 {
			continue
		}
		id := line[i+len("wasm://wasm/"):]
		if k := strings.IndexByte(id, ':'); k >= 0 {
			id = id[:k]
		}
		if module == "" {
			module = id
		}
		if id != module {
			break
		}
		out = append(out, "\t"+strings.TrimPrefix(line, "at "))
	}
	if len(out) == 0 {
		return ""
	}
	return "wasm stack trace:\n" + strings.Join(out, "\n")
}

func jsMessage(err error) string {
	var je js.Error
	if errors.As(err, &je) && je.Value.Type() == js.TypeObject && je.Value.Get("message").Type() == js.TypeString {
		return je.Value.Get("message").String()
	}
	return err.Error()
}

func (in *instance) Memory() engine.Memory { return &in.mem }

func (in *instance) Renew(context.Context) error {
	inst, err := promise.Await(js.Global().Get("WebAssembly").Call("instantiate", in.module, in.importObj))
	if err != nil {
		var je js.Error
		if errors.As(err, &je) {
			if e := in.callError(je.Value); e != nil {
				return e
			}
		}
		return err
	}
	in.exports, in.exported = inst.Get("exports"), nil
	if in.ownMemory {
		in.memory = in.exports.Get("memory")
		in.mem = memory{memory: in.memory}
	}
	return nil
}

func (in *instance) Global(name string, typ wasmbin.ValType) engine.Global {
	g := in.exports.Get(name)
	if g.Type() != js.TypeObject || !g.InstanceOf(js.Global().Get("WebAssembly").Get("Global")) {
		return nil
	}
	return &global{g: g, typ: typ.String()}
}

// global is a WebAssembly.Global, its value moved as bits.
type global struct {
	g   js.Value
	typ string // "i32", "i64", "f32" or "f64"
}

func (g *global) Get() uint64 {
	v := helper().Call("getGlobal", g.g, g.typ)
	return uint64(uint32(v.Index(0).Int())) | uint64(uint32(v.Index(1).Int()))<<32
}

func (g *global) Set(v uint64) { helper().Call("setGlobal", g.g, g.typ, uint32(v), uint32(v>>32)) }

func (in *instance) Close() error {
	for _, f := range in.funcs {
		f.Release()
	}
	in.funcs = nil
	for _, id := range in.direct {
		removeDirect(id)
	}
	in.direct = nil
	in.exports, in.exported, in.memory, in.module, in.importObj = js.Undefined(), nil, js.Undefined(), js.Undefined(), js.Undefined()
	in.mem = memory{}
	return nil
}

// memory is a WebAssembly.Memory as an engine.Memory. Every access
// copies: through stage, a Uint8Array the helper fills from or empties
// into the memory's current buffer, so that a read or a write costs two
// calls between Go and JavaScript and creates no JavaScript object Go has
// to track (WASM-4's drawing functions make several a call).
type memory struct {
	memory   js.Value
	stage    js.Value // a Uint8Array of stageLen bytes
	stageLen int
}

// usable reports whether the memory has been set.
func (m *memory) usable() bool {
	return !m.memory.IsUndefined() && !m.memory.IsNull() && m.memory.Type() == js.TypeObject
}

func (m *memory) Size() uint64 {
	if !m.usable() {
		return 0
	}
	return uint64(memFunc().size.Invoke(m.memory).Float())
}

// staging returns stage, at least n bytes long.
func (m *memory) staging(n int) js.Value {
	if m.stageLen < n {
		m.stageLen = max(n, 1<<16)
		m.stage = js.Global().Get("Uint8Array").New(m.stageLen)
	}
	return m.stage
}

func (m *memory) Read(addr uint32, b []byte) bool {
	if !m.usable() {
		return false
	}
	if len(b) == 0 {
		return uint64(addr) <= m.Size()
	}
	if gm := GoMemory(); gm.Type() == js.TypeObject {
		ok := memFunc().readGo.Invoke(m.memory, gm, GoAddr(b), addr, len(b)).Bool()
		runtime.KeepAlive(b)
		return ok
	}
	st := m.staging(len(b))
	if !memFunc().read.Invoke(m.memory, st, addr, len(b)).Bool() {
		return false
	}
	js.CopyBytesToGo(b, st)
	return true
}

// GoMemory is the Go program's own memory (its WebAssembly.Memory,
// exported as "mem") where the page's or worker's bootstrap made the
// program's exports reachable as self.ebicartGoExports, else undefined.
// JavaScript copies straight into and out of Go's bytes through it (see
// GoAddr).
var GoMemory = sync.OnceValue(func() js.Value {
	exports := js.Global().Get("ebicartGoExports")
	if exports.Type() != js.TypeObject {
		return js.Undefined()
	}
	return exports.Get("mem")
})

// GoAddr is the address of b's bytes in GoMemory, where a JavaScript
// function can copy to or from while Go waits for it to return (Go's
// collector does not move objects; the caller keeps b alive with
// runtime.KeepAlive). An empty b's is 0.
func GoAddr(b []byte) int {
	if cap(b) == 0 {
		return 0
	}
	return int(uintptr(unsafe.Pointer(unsafe.SliceData(b))))
}

func (m *memory) Write(addr uint32, b []byte) bool {
	if !m.usable() {
		return false
	}
	if len(b) == 0 {
		return uint64(addr) <= m.Size()
	}
	if gm := GoMemory(); gm.Type() == js.TypeObject {
		ok := memFunc().writeGo.Invoke(m.memory, gm, GoAddr(b), addr, len(b)).Bool()
		runtime.KeepAlive(b)
		return ok
	}
	st := m.staging(len(b))
	js.CopyBytesToJS(st, b)
	return memFunc().write.Invoke(m.memory, st, addr, len(b)).Bool()
}

func (m *memory) Grow(pages uint32) (ok bool) {
	defer func() {
		if recover() != nil { // RangeError: past its maximum
			ok = false
		}
	}()
	m.memory.Call("grow", pages)
	return true
}

// Bytes is nil: the browser's memory is not Go's.
func (m *memory) Bytes() []byte { return nil }

// A host function the cart calls through the ebicartHostCall export of
// this Go program: its arguments arrive as parameters and it runs on the
// goroutine that called into the cart, where a js.FuncOf callback costs a
// goroutine switch (some microseconds; WASM-4 carts make thousands of
// drawing calls an update). The page's bootstrap makes the Go program's
// exports reachable as self.ebicartGoExports (internal/worker); where it
// did not, host functions are js.FuncOf callbacks.
type directFunc struct {
	call    func(engine.Memory, []uint64)
	mem     *memory
	wide    []bool
	stack   []uint64
	results bool
}

// directWords is the number of 32-bit argument words ebicartHostCall
// takes: a host function with more is a js.FuncOf callback.
const directWords = 12

var (
	directMu    sync.Mutex
	directFuncs []*directFunc // by id; nil where free
)

// goExport is the ebicartHostCall export, or undefined.
var goExport = sync.OnceValue(func() js.Value {
	exports := js.Global().Get("ebicartGoExports")
	if exports.Type() != js.TypeObject {
		return js.Undefined()
	}
	return exports.Get("ebicartHostCall")
})

func addDirect(f *directFunc) int32 {
	directMu.Lock()
	defer directMu.Unlock()
	for i, g := range directFuncs {
		if g == nil {
			directFuncs[i] = f
			return int32(i)
		}
	}
	directFuncs = append(directFuncs, f)
	return int32(len(directFuncs) - 1)
}

func removeDirect(id int32) {
	directMu.Lock()
	defer directMu.Unlock()
	directFuncs[id] = nil
}

// hostCall runs host function id with its arguments as 32-bit words, for
// the import wrapDirect made. A panic becomes what the wrapper throws.
//
//go:wasmexport ebicartHostCall
//lint:ignore U1000 JavaScript calls it, through the export
func hostCall(id int32, w0, w1, w2, w3, w4, w5, w6, w7, w8, w9, w10, w11 uint32) (ret int32) {
	directMu.Lock()
	f := directFuncs[id]
	directMu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			helper().Set("thrown", thrown(r))
			ret = 0
		}
	}()
	words := [directWords]uint32{w0, w1, w2, w3, w4, w5, w6, w7, w8, w9, w10, w11}
	clear(f.stack)
	k := 0
	for i, wide := range f.wide {
		f.stack[i] = uint64(words[k])
		k++
		if wide {
			f.stack[i] |= uint64(words[k]) << 32
			k++
		}
	}
	f.call(f.mem, f.stack)
	if f.results {
		return int32(uint32(f.stack[0]))
	}
	return 0
}
