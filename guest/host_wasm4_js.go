//go:build js

package guest

import (
	"syscall/js"

	"github.com/ebicart/ebicart/wasm4"
)

// The Go side of the browser host's imports: ebicart.disk_read and
// disk_write, and in WASM-4 mode the env module (its memory and the WASM-4
// functions of package wasm4).
//
// Package wasm4 works on a byte slice, and a browser cart's memory is a
// JavaScript ArrayBuffer, so a WASM-4 call copies the 64 KiB memory into a
// Go mirror, draws there, and copies the framebuffer back (about 70 KB of
// memcpy, a few microseconds).

// extraImports builds the imports of the Go side.
func (j *jsInstance) extraImports() js.Value {
	obj := js.Global().Get("Object")
	extra := obj.New()
	eb := obj.New()
	eb.Set("disk_read", j.fn(func(a []js.Value) any { return j.diskRead(a[0], a[1]) }))
	eb.Set("disk_write", j.fn(func(a []js.Value) any { return j.diskWrite(a[0], a[1]) }))
	extra.Set("ebicart", eb)
	j.memory = js.Undefined()
	if j.mode != ModeWASM4 {
		return extra
	}
	desc := obj.New()
	desc.Set("initial", 1)
	desc.Set("maximum", 1)
	j.memory = js.Global().Get("WebAssembly").Get("Memory").New(desc)
	j.mirror = make([]byte, wasm4.MemorySize)
	wasm4.Reset(j.mirror)
	if j.cfg.palette != nil {
		for i, c := range j.cfg.palette {
			j.mirror[wasm4.AddrPalette+4*i] = byte(c)
			j.mirror[wasm4.AddrPalette+4*i+1] = byte(c >> 8)
			j.mirror[wasm4.AddrPalette+4*i+2] = byte(c >> 16)
			j.mirror[wasm4.AddrPalette+4*i+3] = 0
		}
	}
	js.CopyBytesToJS(j.view(), j.mirror)
	env := obj.New()
	env.Set("memory", j.memory)
	extra.Set("memory", j.memory)
	u := func(v js.Value) uint32 { return uint32(v.Int()) }
	i := func(v js.Value) int32 { return int32(v.Int()) }
	draw := func(f func(mem []byte) error) any {
		mem := j.pull()
		err := f(mem)
		j.pushFramebuffer()
		if err != nil {
			return jsError(err)
		}
		return nil
	}
	set := func(name string, f func(a []js.Value) any) { env.Set(name, j.fn(f)) }
	set("blit", func(a []js.Value) any {
		return draw(func(m []byte) error { return wasm4.Blit(m, u(a[0]), i(a[1]), i(a[2]), u(a[3]), u(a[4]), u(a[5])) })
	})
	set("blitSub", func(a []js.Value) any {
		return draw(func(m []byte) error {
			return wasm4.BlitSub(m, u(a[0]), i(a[1]), i(a[2]), u(a[3]), u(a[4]), u(a[5]), u(a[6]), u(a[7]), u(a[8]))
		})
	})
	set("line", func(a []js.Value) any {
		return draw(func(m []byte) error { wasm4.Line(m, i(a[0]), i(a[1]), i(a[2]), i(a[3])); return nil })
	})
	set("hline", func(a []js.Value) any {
		return draw(func(m []byte) error { wasm4.HLine(m, i(a[0]), i(a[1]), u(a[2])); return nil })
	})
	set("vline", func(a []js.Value) any {
		return draw(func(m []byte) error { wasm4.VLine(m, i(a[0]), i(a[1]), u(a[2])); return nil })
	})
	set("oval", func(a []js.Value) any {
		return draw(func(m []byte) error { wasm4.Oval(m, i(a[0]), i(a[1]), u(a[2]), u(a[3])); return nil })
	})
	set("rect", func(a []js.Value) any {
		return draw(func(m []byte) error { wasm4.Rect(m, i(a[0]), i(a[1]), u(a[2]), u(a[3])); return nil })
	})
	set("text", func(a []js.Value) any {
		return draw(func(m []byte) error { return wasm4.Text(m, u(a[0]), i(a[1]), i(a[2])) })
	})
	set("textUtf8", func(a []js.Value) any {
		return draw(func(m []byte) error { return wasm4.TextUTF8(m, u(a[0]), u(a[1]), i(a[2]), i(a[3])) })
	})
	set("textUtf16", func(a []js.Value) any {
		return draw(func(m []byte) error { return wasm4.TextUTF16(m, u(a[0]), u(a[1]), i(a[2]), i(a[3])) })
	})
	set("tone", func(a []js.Value) any {
		if len(j.tones) < maxTonesPerUpdate {
			j.tones = append(j.tones, Tone{u(a[0]), u(a[1]), u(a[2]), u(a[3])})
		}
		return nil
	})
	set("diskr", func(a []js.Value) any { return j.diskRead(a[0], a[1]) })
	set("diskw", func(a []js.Value) any { return j.diskWrite(a[0], a[1]) })
	set("trace", func(a []js.Value) any { j.cfg.logf(cString(j.pull(), u(a[0]))); return nil })
	set("traceUtf8", func(a []js.Value) any {
		if b, ok := memSlice(j.pull(), u(a[0]), u(a[1])); ok {
			j.cfg.logf(latin1OrUTF8(b))
		}
		return nil
	})
	set("traceUtf16", func(a []js.Value) any {
		if b, ok := memSlice(j.pull(), u(a[0]), u(a[1])); ok {
			j.cfg.logf(utf16String(b))
		}
		return nil
	})
	set("tracef", func(a []js.Value) any { j.cfg.logf(tracef(j.pull(), u(a[0]), u(a[1]))); return nil })
	extra.Set("env", env)
	return extra
}

// fn wraps a Go function for the cart, to be released at close.
func (j *jsInstance) fn(f func(args []js.Value) any) js.Func {
	jf := js.FuncOf(func(_ js.Value, args []js.Value) any { return f(args) })
	j.funcs = append(j.funcs, jf)
	return jf
}

// pull copies the cart's whole memory into the mirror and returns it.
func (j *jsInstance) pull() []byte {
	u8 := j.view()
	if n := u8.Get("length").Int(); len(j.mirror) != n {
		j.mirror = make([]byte, n)
	}
	js.CopyBytesToGo(j.mirror, u8)
	return j.mirror
}

// pushFramebuffer copies the mirror's framebuffer back into the cart.
func (j *jsInstance) pushFramebuffer() {
	end := wasm4.AddrFramebuffer + wasm4.FramebufferSize
	js.CopyBytesToJS(j.view().Call("subarray", wasm4.AddrFramebuffer, end), j.mirror[wasm4.AddrFramebuffer:end])
}

func (j *jsInstance) diskRead(dest, size js.Value) any {
	mem := j.pull()
	d, n := uint32(dest.Int()), uint32(size.Int())
	got, err := j.disk.diskRead(mem, d, n)
	if err != nil {
		return jsError(err)
	}
	js.CopyBytesToJS(j.view().Call("subarray", d, d+got), mem[d:d+got])
	return got
}

func (j *jsInstance) diskWrite(src, size js.Value) any {
	n, err := j.disk.diskWrite(j.pull(), uint32(src.Int()), uint32(size.Int()))
	if err != nil {
		return jsError(err)
	}
	if j.cfg.onSave != nil {
		j.cfg.onSave(j.disk.read())
	}
	return n
}

// takeTones returns the tone() calls since the last take.
func (j *jsInstance) takeTones() []Tone {
	t := j.tones
	j.tones = j.tones[:0]
	return t
}

// jsError is a JavaScript Error for err: returned from a Go import, the
// shim throws it, which traps the cart with err's message.
func jsError(err error) js.Value { return js.Global().Get("Error").New(err.Error()) }
