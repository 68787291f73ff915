//go:build js

// Command cartworker runs one ebicart cart inside a Web Worker, for the
// browser build's page (package guest, remote_js.go, starts it): the cart
// runs here, on the worker's WebAssembly engine, so that a cart stuck in a
// loop blocks only this worker, which the page terminates at the deadline.
//
// Messages from the page: load {wasm, config}, update {input}. Replies:
// ready, compiled, loaded, frame (with the packed pixels, transferred),
// and, at any time, log {line} and save {data}.
package main

import (
	"context"
	"syscall/js"

	"github.com/ebicart/ebicart/guest"
)

var self = js.Global()

func post(m map[string]any, transfer ...any) {
	if len(transfer) > 0 {
		self.Call("postMessage", m, transfer)
		return
	}
	self.Call("postMessage", m)
}

func main() {
	msgs := make(chan js.Value, 64)
	self.Set("onmessage", js.FuncOf(func(_ js.Value, args []js.Value) any {
		msgs <- args[0].Get("data")
		return nil
	}))
	// Messages that arrived while this program was starting.
	if q := self.Get("ebicartQueue"); q.Truthy() {
		for i := 0; i < q.Get("length").Int(); i++ {
			msgs <- q.Index(i)
		}
	}
	post(map[string]any{"op": "ready"})

	var cart guest.Cart
	in := make([]int32, 10)
	for m := range msgs {
		switch m.Get("op").String() {
		case "load":
			cart = load(m)
		case "update":
			if cart == nil {
				continue
			}
			inJS := m.Get("input")
			for i := range in {
				in[i] = int32(inJS.Index(i).Int())
			}
			err := cart.Update(guest.Input{
				Buttons: uint32(in[0]), MouseX: in[1], MouseY: in[2], MouseButtons: uint32(in[3]),
				WheelX: in[5], WheelY: in[6], Players: [3]uint32{uint32(in[7]), uint32(in[8]), uint32(in[9])},
			})
			if err != nil {
				post(map[string]any{"op": "frame", "error": guest.EncodeError(err), "frames": int(cart.Frames())})
				continue
			}
			postFrame("frame", cart, nil)
		}
	}
}

func load(m js.Value) guest.Cart {
	wasmJS := m.Get("wasm")
	wasm := make([]byte, wasmJS.Get("length").Int())
	js.CopyBytesToGo(wasm, wasmJS)
	module, err := guest.Await(self.Get("WebAssembly").Call("compile", wasmJS))
	if err != nil {
		// Not valid wasm: let Load say what is wrong with it.
		module = js.Undefined()
	}
	post(map[string]any{"op": "compiled"})
	log := func(line string) { post(map[string]any{"op": "log", "line": line}) }
	onSave := func(b []byte) {
		u8 := js.Global().Get("Uint8Array").New(len(b))
		js.CopyBytesToJS(u8, b)
		post(map[string]any{"op": "save", "data": u8})
	}
	cfg := guest.WorkerConfig(m.Get("config"), log, onSave, module)
	cart, err := guest.Load(context.Background(), wasm, cfg)
	if err != nil {
		post(map[string]any{"op": "loaded", "error": guest.EncodeError(err)})
		return nil
	}
	postFrame("loaded", cart, map[string]any{"mode": int(cart.Mode())})
	return cart
}

// postFrame replies with the cart's state after a tick and, when its frame
// changed, the packed pixels, whose buffer is transferred, not copied.
func postFrame(op string, cart guest.Cart, extra map[string]any) {
	d := cart.Descriptor()
	m := map[string]any{
		"op": op, "frames": int(cart.Frames()), "memSize": float64(cart.MemorySize()),
		"changed": cart.Changed(), "format": int(d.Format), "width": int(d.Width), "height": int(d.Height),
		"systemFlags": int(cart.SystemFlags()),
	}
	for k, v := range extra {
		m[k] = v
	}
	if t := cart.Tones(); len(t) > 0 {
		tones := js.Global().Get("Uint32Array").New(4 * len(t))
		for i, x := range t {
			tones.SetIndex(4*i, x.Frequency)
			tones.SetIndex(4*i+1, x.Duration)
			tones.SetIndex(4*i+2, x.Volume)
			tones.SetIndex(4*i+3, x.Flags)
		}
		m["tones"] = tones
	}
	if !cart.Changed() {
		post(m)
		return
	}
	f, err := cart.Frame()
	if err != nil {
		m["error"] = guest.EncodeError(err)
		post(m)
		return
	}
	pix := js.Global().Get("Uint8Array").New(len(f.Pix))
	js.CopyBytesToJS(pix, f.Pix)
	m["pix"] = pix
	post(m, pix.Get("buffer"))
}
