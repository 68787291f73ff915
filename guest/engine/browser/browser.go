//go:build js

// Package browser is the engine under ebicart's cart core in the browser: the
// cart runs on the browser's own WebAssembly engine, reached through
// syscall/js, inside the Web Worker the core runs in.
package browser

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"syscall/js"

	"github.com/ebicart/ebicart/guest/engine"
	"github.com/ebicart/ebicart/internal/wasmbin"
)

// Engine runs modules on the browser's WebAssembly engine. It cannot stop a
// call: the page terminates the Web Worker it runs in instead.
type Engine struct{}

// Name is "browser".
func (*Engine) Name() string { return "browser" }

// helperSource is the JavaScript half: wrap(f, params, results) makes a
// Go function an import with the module's signature. i64 parameters
// (BigInts, which syscall/js cannot read) arrive in Go as two numbers, the
// low and the high 32 bits; an object the Go side returns is thrown, to
// trap the module (an Error) or end it ({ebicartExit: code}).
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
  wrap(f, params, results) {
    const wide = params.includes('I');
    if (!wide) {
      return (...a) => {
        const r = f(...a);
        if (r !== null && typeof r === 'object') throw r;
        return results ? r : undefined;
      };
    }
    return (...a) => {
      const args = [];
      for (let k = 0; k < params.length; k++) {
        if (params[k] === 'I') {
          const b = BigInt.asUintN(64, BigInt(a[k]));
          args.push(Number(b & 0xffffffffn), Number(b >> 32n));
        } else {
          args.push(a[k] >>> 0);
        }
      }
      const r = f(...args);
      if (r !== null && typeof r === 'object') throw r;
      return results ? r : undefined;
    };
  },
};
`

var helper = sync.OnceValue(func() js.Value { return js.Global().Get("Function").New(helperSource).Invoke() })

// Instantiate compiles spec.Wasm, then instantiates it with spec's imports.
func (e *Engine) Instantiate(ctx context.Context, spec engine.Spec) (engine.Instance, error) {
	in := &instance{}
	imports, err := in.imports(spec)
	if err != nil {
		in.Close()
		return nil, err
	}
	wasm, err := capMemory(spec)
	if err != nil {
		in.Close()
		return nil, err
	}
	src := js.Global().Get("Uint8Array").New(len(wasm))
	js.CopyBytesToJS(src, wasm)
	wa := js.Global().Get("WebAssembly")
	module, err := Await(wa.Call("compile", src))
	if err != nil {
		in.Close()
		return nil, fmt.Errorf("invalid cart: %v", jsMessage(err))
	}
	if spec.Compiled != nil {
		spec.Compiled()
	}
	in.module, in.importObj = module, imports
	inst, err := Await(wa.Call("instantiate", module, imports))
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
	in.exports = inst.Get("exports")
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
	memory    js.Value
	mem       memory
	funcs     []js.Func
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
	if mi := spec.Memory; mi != nil {
		desc := obj.New()
		desc.Set("initial", mi.Pages)
		desc.Set("maximum", mi.Pages)
		in.memory = js.Global().Get("WebAssembly").Get("Memory").New(desc)
		if mi.Init != nil {
			b := make([]byte, int(mi.Pages)<<16)
			mi.Init(b)
			js.CopyBytesToJS(js.Global().Get("Uint8Array").New(in.memory.Get("buffer")), b)
		}
		module(mi.Module).Set(mi.Name, in.memory)
		in.mem.memory = in.memory
	}
	for _, im := range spec.Module.Imports {
		if im.Kind != wasmbin.KindFunc {
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

// wrap makes a host function an import.
func (in *instance) wrap(f engine.HostFunc) js.Value {
	var params strings.Builder
	width := 0
	for _, p := range f.Type.Params {
		if p == wasmbin.I64 {
			params.WriteByte('I')
		} else {
			params.WriteByte('i')
		}
		width++
	}
	n := max(width, len(f.Type.Results))
	wide := make([]bool, len(f.Type.Params))
	for i, p := range f.Type.Params {
		wide[i] = p == wasmbin.I64
	}
	results := len(f.Type.Results) > 0
	stack := make([]uint64, n) // a host function is never re-entered
	fn := js.FuncOf(func(_ js.Value, args []js.Value) (ret any) {
		defer func() {
			if r := recover(); r != nil {
				ret = thrown(r)
			}
		}()
		clear(stack)
		k := 0
		for i := range stack[:len(wide)] {
			if wide[i] {
				stack[i] = uint64(uint32(args[k].Int())) | uint64(uint32(args[k+1].Int()))<<32
				k += 2
			} else {
				stack[i] = uint64(uint32(args[k].Int()))
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
	return helper().Call("wrap", fn, params.String(), results)
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
	return in.exports.Get(name).Type() == js.TypeFunction
}

func (in *instance) Call(_ context.Context, name string) (v uint64, err error) {
	f := in.exports.Get(name)
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
	inst, err := Await(js.Global().Get("WebAssembly").Call("instantiate", in.module, in.importObj))
	if err != nil {
		var je js.Error
		if errors.As(err, &je) {
			if e := in.callError(je.Value); e != nil {
				return e
			}
		}
		return err
	}
	in.exports = inst.Get("exports")
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
	in.exports, in.memory, in.module, in.importObj = js.Undefined(), js.Undefined(), js.Undefined(), js.Undefined()
	in.mem = memory{}
	return nil
}

// memory is a WebAssembly.Memory as an engine.Memory: every access copies,
// through a Uint8Array view rebuilt when memory.grow replaced the buffer.
// The views of the ranges read or written (the input block, the
// descriptor, the frame: the same ranges every tick) are kept, so that a
// tick makes no new typed arrays.
type memory struct {
	memory js.Value
	buf    js.Value
	u8     js.Value
	ranges map[[2]uint32]js.Value // views by [address, length]
}

// maxRanges bounds the views kept.
const maxRanges = 16

func (m *memory) view() js.Value {
	buf := m.memory.Get("buffer")
	if !buf.Equal(m.buf) {
		m.buf = buf
		m.u8 = js.Global().Get("Uint8Array").New(buf)
		clear(m.ranges) // views of the old buffer
	}
	return m.u8
}

// rangeView is a view of n bytes at addr, which the caller checked are in
// the memory (so view is current).
func (m *memory) rangeView(addr uint32, n int) js.Value {
	k := [2]uint32{addr, uint32(n)}
	if v, ok := m.ranges[k]; ok {
		return v
	}
	if m.ranges == nil || len(m.ranges) >= maxRanges {
		m.ranges = make(map[[2]uint32]js.Value, maxRanges)
	}
	v := m.u8.Call("subarray", addr, int(addr)+n)
	m.ranges[k] = v
	return v
}

func (m *memory) Size() uint64 {
	if m.memory.IsUndefined() || m.memory.IsNull() || m.memory.Type() != js.TypeObject {
		return 0
	}
	return uint64(m.view().Get("length").Float())
}

func (m *memory) Read(addr uint32, b []byte) bool {
	if uint64(addr)+uint64(len(b)) > m.Size() {
		return false
	}
	if len(b) > 0 {
		js.CopyBytesToGo(b, m.rangeView(addr, len(b)))
	}
	return true
}

func (m *memory) Write(addr uint32, b []byte) bool {
	if uint64(addr)+uint64(len(b)) > m.Size() {
		return false
	}
	if len(b) > 0 {
		js.CopyBytesToJS(m.rangeView(addr, len(b)), b)
	}
	return true
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

// Await blocks until the JavaScript promise p settles and returns its
// value, or a js.Error with the reason it was rejected. It must not run
// inside a JavaScript callback (the Ebitengine loop and main run on
// goroutines, so they may call it).
func Await(p js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	then := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- result{v: args[0]}
		return nil
	})
	defer then.Release()
	catch := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- result{err: js.Error{Value: args[0]}}
		return nil
	})
	defer catch.Release()
	p.Call("then", then, catch)
	r := <-ch
	return r.v, r.err
}
