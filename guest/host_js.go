//go:build js

package guest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"syscall/js"

	"github.com/ebicart/ebicart/framebuffer"
	"github.com/ebicart/ebicart/internal/wasmbin"
)

// jsInstance is a cart running on the browser's own WebAssembly engine.
// Memory is read by copying: each frame the bytes the frame needs are
// copied out of a Uint8Array view of memory.buffer with js.CopyBytesToGo.
// The view is rebuilt whenever memory.grow has replaced the buffer.
type jsInstance struct {
	host    js.Value // the shim's {imports, bind, flush}
	memory  js.Value // WebAssembly.Memory
	buf     js.Value // the memory.buffer u8 views
	u8      js.Value // Uint8Array over buf
	fns     [numFns]js.Value
	scratch []byte // frame bytes copied out of the cart
	logFn   js.Func
	funcs   []js.Func // Go functions the cart imports, released at close

	mode   Mode
	disk   *disk
	tones  []Tone
	mirror []byte // WASM-4 mode: a copy of the 64 KiB memory for package wasm4
	cfg    Config
}

var (
	shimOnce sync.Once
	makeHost js.Value
)

func instantiate(ctx context.Context, wasm []byte, _ *wasmbin.Module, cfg Config, mode Mode) (instance, error) {
	shimOnce.Do(func() { makeHost = js.Global().Get("Function").New(shimSource).Invoke() })
	j := &jsInstance{mode: mode, cfg: cfg, disk: &disk{mem: cfg.saveData}}
	j.logFn = js.FuncOf(func(_ js.Value, args []js.Value) any {
		cfg.logf(args[0].String())
		return nil
	})
	j.host = makeHost.Invoke(j.logFn, j.extraImports())

	var src js.Value
	if m, ok := cfg.precompiled.(js.Value); ok && m.Truthy() {
		src = m
	} else {
		src = js.Global().Get("Uint8Array").New(len(wasm))
		js.CopyBytesToJS(src, wasm)
	}
	res, err := await(js.Global().Get("WebAssembly").Call("instantiate", src, j.host.Get("imports")))
	if err != nil {
		j.logFn.Release()
		var je js.Error
		if errors.As(err, &je) && je.Get("name").String() == "RuntimeError" {
			// The module's start section trapped.
			return nil, j.callError("instantiate", je)
		}
		return nil, fmt.Errorf("guest: invalid cart: %v", err)
	}
	inst := res
	if i := res.Get("instance"); i.Truthy() { // from bytes: {module, instance}
		inst = i
	}
	j.host.Call("bind", inst)
	exports := inst.Get("exports")
	if j.memory.IsUndefined() {
		j.memory = exports.Get(exportMemory)
	}
	for f, name := range fnNames {
		j.fns[f] = exports.Get(name)
	}
	return j, nil
}

// Await blocks until the JavaScript promise p settles and returns its
// value, or a js.Error with the reason it was rejected. It must not run
// inside a JavaScript callback (the Ebitengine loop and main run on
// goroutines, so they may call it).
func Await(p js.Value) (js.Value, error) { return await(p) }

func await(p js.Value) (js.Value, error) {
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

func (j *jsInstance) call(f fn) (res uint32, err error) {
	defer func() {
		if r := recover(); r != nil {
			je, ok := r.(js.Error)
			if !ok {
				panic(r)
			}
			err = j.callError(fnNames[f], je)
		}
	}()
	v := j.fns[f].Invoke()
	if v.Type() == js.TypeNumber {
		return uint32(v.Int()), nil
	}
	return 0, nil
}

// callError turns what a cart's call threw into an *ExitError (proc_exit)
// or a *CallError with the message and the cart's frames of the stack.
func (j *jsInstance) callError(name string, je js.Error) error {
	v := je.Value
	if v.Type() == js.TypeObject {
		if code := v.Get("ebicartExit"); code.Type() == js.TypeNumber {
			return &ExitError{Func: name, Code: uint32(code.Int())}
		}
	}
	msg := je.Error()
	if v.Type() == js.TypeObject && v.Get("message").Type() == js.TypeString {
		msg = v.Get("name").String() + ": " + v.Get("message").String()
		if stack := cartStack(v.Get("stack")); stack != "" {
			msg += "\nwasm stack trace:\n" + stack
		}
	}
	return &CallError{Func: name, Err: errors.New(msg)}
}

// cartStack keeps the frames of a JavaScript stack that belong to the
// cart: the wasm frames of the module the first wasm frame is in (the Go
// host is a wasm module too, further down).
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
	return strings.Join(out, "\n")
}

// view returns a Uint8Array over the current memory buffer, rebuilt after
// memory.grow detached the old one.
func (j *jsInstance) view() js.Value {
	buf := j.memory.Get("buffer")
	if !buf.Equal(j.buf) {
		j.buf = buf
		j.u8 = js.Global().Get("Uint8Array").New(buf)
	}
	return j.u8
}

func (j *jsInstance) memorySize() uint64 { return uint64(j.view().Get("length").Int()) }

func (j *jsInstance) read(addr uint32, b []byte) error {
	if size := j.memorySize(); uint64(addr)+uint64(len(b)) > size {
		return outOfRange(addr, len(b), size)
	}
	js.CopyBytesToGo(b, j.u8.Call("subarray", addr, int(addr)+len(b)))
	return nil
}

func (j *jsInstance) write(addr uint32, b []byte) error {
	if size := j.memorySize(); uint64(addr)+uint64(len(b)) > size {
		return outOfRange(addr, len(b), size)
	}
	js.CopyBytesToJS(j.u8.Call("subarray", addr, int(addr)+len(b)), b)
	return nil
}

// frameMemory copies the frame's pixel rows and palette out of the cart
// and rebases the descriptor onto the copy.
func (j *jsInstance) frameMemory(d framebuffer.Descriptor) ([]byte, framebuffer.Descriptor) {
	u8 := j.view()
	paddr, pn := d.PixelSpan()
	laddr, ln := d.PaletteSpan()
	if cap(j.scratch) < pn+ln {
		j.scratch = make([]byte, pn+ln)
	}
	mem := j.scratch[:pn+ln]
	js.CopyBytesToGo(mem[:pn], u8.Call("subarray", paddr, int(paddr)+pn))
	if ln > 0 {
		js.CopyBytesToGo(mem[pn:], u8.Call("subarray", laddr, int(laddr)+ln))
	}
	d.Pixels = 0
	if ln > 0 {
		d.Palette = uint32(pn)
	}
	return mem, d
}

func (j *jsInstance) close() error {
	j.host.Call("flush")
	j.logFn.Release()
	for _, f := range j.funcs {
		f.Release()
	}
	j.memory, j.buf, j.u8, j.host = js.Undefined(), js.Undefined(), js.Undefined(), js.Undefined()
	for i := range j.fns {
		j.fns[i] = js.Undefined()
	}
	return nil
}
