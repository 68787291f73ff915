//go:build js

package guest

import (
	"cmp"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"syscall/js"
	"time"

	"github.com/ebicart/ebicart/framebuffer"
)

// On a web page, Load runs the cart in a Web Worker, so that a cart stuck
// in a loop cannot freeze the tab: the page's thread waits for each
// update's reply at most the CPU limit, and on timeout terminates the
// worker ("update did not return within 1s") and stays usable.
//
// The worker is a second, small Go program (web/cartworker, built into the
// site as cartworker.wasm) that runs this same package there, with the
// cart on the worker's WebAssembly engine; it packs each changed frame and
// transfers the pixels (no copy) to the page, whose thread then only copies
// them into Go and uploads them. A cart's memory cannot be shared with the
// page without cross-origin isolation and a shared memory the cart would
// have to declare, and WASM-4's functions are Go code, so both run where
// the cart runs. Saves, which live in the page's localStorage, travel as
// messages.
//
// The worker's files are found at window.ebicartWorkerBase (default: the
// page's own directory): cartworker.wasm and wasm_exec.js.

const workerBootstrap = `
const base = %q;
importScripts(base + 'wasm_exec.js');
self.ebicartQueue = [];
self.onmessage = (e) => self.ebicartQueue.push(e.data);
(async () => {
  try {
    const go = new Go();
    const resp = await fetch(base + 'cartworker.wasm');
    if (!resp.ok) throw new Error('cartworker.wasm: HTTP ' + resp.status);
    const {instance} = await WebAssembly.instantiate(await resp.arrayBuffer(), go.importObject);
    go.run(instance);
  } catch (e) {
    self.postMessage({op: 'fatal', error: String((e && e.message) || e)});
  }
})();
`

// workerStartLimit bounds starting the worker and compiling the cart
// there (not cart code).
const workerStartLimit = 60 * time.Second

func loadPlatform(ctx context.Context, wasm []byte, cfg Config) (Cart, bool, error) {
	if !js.Global().Get("document").Truthy() || cfg.isolation == IsolationNone || cfg.isolation == IsolationInProcess {
		return nil, false, nil // in the worker itself, or asked not to
	}
	c, err := loadRemote(wasm, cfg)
	return c, true, err
}

// remoteCart is a cart running in a Web Worker.
type remoteCart struct {
	worker js.Value
	onMsg  js.Func
	msgs   chan js.Value
	limit  time.Duration
	cfg    Config
	key    string // localStorage key of its save

	err     error
	closed  bool
	mode    Mode
	desc    framebuffer.Descriptor
	frames  uint32
	memSize uint64
	changed bool
	pix     []byte
	tones   []Tone
	flags   byte
	in      [10]int32
	inJS    js.Value

	inFlight bool      // an update request awaits its reply
	sent     time.Time // when it was sent
}

func workerBase() string {
	doc := js.Global().Get("document")
	rel := "."
	if b := js.Global().Get("ebicartWorkerBase"); b.Type() == js.TypeString {
		rel = b.String()
	}
	return js.Global().Get("URL").New(rel, doc.Get("baseURI")).Get("href").String()
}

func loadRemote(wasm []byte, cfg Config) (Cart, error) {
	base := workerBase()
	if base != "" && base[len(base)-1] != '/' {
		base += "/"
	}
	src := fmt.Sprintf(workerBootstrap, base)
	blob := js.Global().Get("Blob").New([]any{src}, map[string]any{"type": "text/javascript"})
	url := js.Global().Get("URL").Call("createObjectURL", blob)
	r := &remoteCart{
		worker: js.Global().Get("Worker").New(url),
		msgs:   make(chan js.Value, 16),
		limit:  cfg.limit(),
		cfg:    cfg,
		key:    "ebicart-save-" + cmp.Or(cfg.saveKey, SaveKey(wasm)),
		inJS:   js.Global().Get("Int32Array").New(10),
	}
	js.Global().Get("URL").Call("revokeObjectURL", url)
	r.onMsg = js.FuncOf(func(_ js.Value, args []js.Value) any {
		m := args[0].Get("data")
		switch m.Get("op").String() {
		case "log":
			cfg.logf(m.Get("line").String())
		case "save":
			r.store(m.Get("data"))
		default:
			select {
			case r.msgs <- m:
			default: // a reply nobody waits for any more
			}
		}
		return nil
	})
	r.worker.Set("onmessage", r.onMsg)

	if _, err := r.wait("ready", workerStartLimit, "start"); err != nil {
		r.Close()
		return nil, err
	}
	cfgJS := map[string]any{
		"name": cfg.name, "maxMemory": float64(cfg.maxMemory), "mode": int(cfg.mode),
	}
	if cfg.palette != nil {
		cfgJS["palette"] = []any{cfg.palette[0], cfg.palette[1], cfg.palette[2], cfg.palette[3]}
	}
	if save := r.loadSave(); save.Truthy() {
		cfgJS["save"] = save
	}
	bytes := js.Global().Get("Uint8Array").New(len(wasm))
	js.CopyBytesToJS(bytes, wasm)
	r.worker.Call("postMessage", map[string]any{"op": "load", "wasm": bytes, "config": cfgJS})
	if _, err := r.wait("compiled", workerStartLimit, "compile"); err != nil {
		r.Close()
		return nil, err
	}
	m, err := r.wait("loaded", r.limit, "start")
	if err != nil {
		r.Close()
		return nil, err
	}
	r.mode = Mode(m.Get("mode").Int())
	r.takeFrame(m)
	return r, nil
}

// wait waits for the worker's next reply, which must be op, at most limit;
// what names the call for a DeadlineError.
func (r *remoteCart) wait(op string, limit time.Duration, what string) (js.Value, error) {
	return r.waitUntil(op, limit, what, limit)
}

// waitUntil is wait for at most timeout, reporting a missed deadline as
// the CPU limit limit.
func (r *remoteCart) waitUntil(op string, timeout time.Duration, what string, limit time.Duration) (js.Value, error) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case m := <-r.msgs:
		switch got := m.Get("op").String(); {
		case got == "fatal":
			return m, fmt.Errorf("guest: the cart's worker failed: %s", m.Get("error").String())
		case m.Get("error").Truthy():
			return m, remoteError(m)
		case got != op:
			return m, fmt.Errorf("guest: the cart's worker answered %q, want %q", got, op)
		}
		return m, nil
	case <-t.C:
		// The page's thread may have been too busy to take a reply that
		// is already queued behind the timer: give it one more turn.
		select {
		case m := <-r.msgs:
			if m.Get("op").String() == op && !m.Get("error").Truthy() {
				return m, nil
			}
			if m.Get("error").Truthy() {
				return m, remoteError(m)
			}
		case <-time.After(100 * time.Millisecond):
		}
		r.terminate()
		return js.Undefined(), &DeadlineError{Func: what, Limit: limit}
	}
}

// remoteError rebuilds the error the worker's cart returned.
func remoteError(m js.Value) error {
	return RemoteError(m.Get("error"))
}

// RemoteError rebuilds an error a cart worker sent (see EncodeError).
func RemoteError(e js.Value) error {
	msg := e.Get("message").String()
	switch e.Get("kind").String() {
	case "call":
		return &CallError{Func: e.Get("func").String(), Err: errors.New(msg)}
	case "exit":
		return &ExitError{Func: e.Get("func").String(), Code: uint32(e.Get("code").Int())}
	}
	return errors.New(msg)
}

// takeFrame records a frame reply: the frame's size and, when it
// changed, its packed pixels.
func (r *remoteCart) takeFrame(m js.Value) {
	r.frames = uint32(m.Get("frames").Int())
	r.memSize = uint64(m.Get("memSize").Float())
	r.changed = m.Get("changed").Bool()
	r.flags = byte(m.Get("systemFlags").Int())
	r.desc = framebuffer.Descriptor{
		Format: framebuffer.Format(m.Get("format").Int()),
		Width:  uint32(m.Get("width").Int()), Height: uint32(m.Get("height").Int()),
	}
	if r.changed {
		pix := m.Get("pix")
		n := pix.Get("length").Int()
		if cap(r.pix) < n {
			r.pix = make([]byte, n)
		}
		r.pix = r.pix[:n]
		js.CopyBytesToGo(r.pix, pix)
	}
	r.tones = r.tones[:0]
	if t := m.Get("tones"); t.Truthy() {
		for i := 0; i+3 < t.Get("length").Int(); i += 4 {
			r.tones = append(r.tones, Tone{uint32(t.Index(i).Float()), uint32(t.Index(i + 1).Float()), uint32(t.Index(i + 2).Float()), uint32(t.Index(i + 3).Float())})
		}
	}
}

// Update takes the result of the update requested last time and requests
// the next one with in: the worker runs the cart while the page draws,
// in parallel, at the cost of one tick of input latency. Only a worker
// slower than a tick makes the page wait, and never past the CPU limit
// counted from the request.
func (r *remoteCart) Update(in Input) error {
	if r.err != nil {
		return r.err
	}
	if r.inFlight {
		r.inFlight = false
		m, err := r.waitUntil("frame", max(0, r.limit-time.Since(r.sent)), "update", r.limit)
		if err != nil {
			r.err = err
			if m.Truthy() {
				r.frames = uint32(m.Get("frames").Int())
			}
			return err
		}
		r.takeFrame(m)
	} else {
		r.changed = false
	}
	r.in = [10]int32{int32(in.Buttons), in.MouseX, in.MouseY, int32(in.MouseButtons), 0, in.WheelX, in.WheelY,
		int32(in.Players[0]), int32(in.Players[1]), int32(in.Players[2])}
	for i, v := range r.in {
		r.inJS.SetIndex(i, v)
	}
	r.worker.Call("postMessage", map[string]any{"op": "update", "input": r.inJS})
	r.inFlight, r.sent = true, time.Now()
	return nil
}

func (r *remoteCart) Frame() (Frame, error) {
	if r.err != nil {
		return Frame{}, r.err
	}
	return Frame{Pix: r.pix, Width: int(r.desc.Width), Height: int(r.desc.Height)}, nil
}

func (r *remoteCart) Descriptor() framebuffer.Descriptor { return r.desc }
func (r *remoteCart) Frames() uint32                     { return r.frames }
func (r *remoteCart) Changed() bool                      { return r.changed }
func (r *remoteCart) Mode() Mode                         { return r.mode }
func (r *remoteCart) Tones() []Tone                      { return r.tones }
func (r *remoteCart) MemorySize() uint64                 { return r.memSize }
func (r *remoteCart) SystemFlags() byte                  { return r.flags }

func (r *remoteCart) terminate() {
	if r.worker.Truthy() {
		r.worker.Call("terminate")
		r.worker = js.Undefined()
	}
}

func (r *remoteCart) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	r.terminate()
	r.onMsg.Release()
	if r.err == nil {
		r.err = errClosed
	}
	return nil
}

// loadSave reads the cart's save from localStorage (nil when none or when
// storage is unavailable).
func (r *remoteCart) loadSave() js.Value {
	ls := localStorage()
	if !ls.Truthy() {
		return js.Null()
	}
	v := ls.Call("getItem", r.key)
	if v.Type() != js.TypeString {
		return js.Null()
	}
	b, err := hex.DecodeString(v.String())
	if err != nil {
		return js.Null()
	}
	u8 := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(u8, b)
	return u8
}

// store writes a save the worker reported to localStorage.
func (r *remoteCart) store(data js.Value) {
	ls := localStorage()
	if !ls.Truthy() {
		return
	}
	b := make([]byte, data.Get("length").Int())
	js.CopyBytesToGo(b, data)
	defer func() { recover() }() // storage full or denied: the save is lost, the cart goes on
	ls.Call("setItem", r.key, hex.EncodeToString(b))
}

// localStorage returns window.localStorage, or undefined where it is
// unavailable (some privacy modes throw on access).
func localStorage() (v js.Value) {
	defer func() {
		if recover() != nil {
			v = js.Undefined()
		}
	}()
	return js.Global().Get("localStorage")
}

// EncodeError turns a cart's error into the object a cart worker sends.
func EncodeError(err error) map[string]any {
	e := map[string]any{"message": err.Error(), "kind": "other"}
	var ce *CallError
	var ee *ExitError
	switch {
	case errors.As(err, &ee):
		e["kind"], e["func"], e["code"] = "exit", ee.Func, int(ee.Code)
	case errors.As(err, &ce):
		e["kind"], e["func"], e["message"] = "call", ce.Func, ce.Err.Error()
	}
	return e
}

// WorkerConfig is the Config a cart worker runs a cart with: in this
// worker, with the save bytes the page sent and saves reported to onSave,
// and precompiled when the worker compiled the cart already.
func WorkerConfig(cfg js.Value, log func(string), onSave func([]byte), precompiled js.Value) Config {
	c := Config{}.WithIsolation(IsolationNone).WithName(cfg.Get("name").String()).WithLog(log).
		WithMaxMemory(uint64(cfg.Get("maxMemory").Float())).WithMode(Mode(cfg.Get("mode").Int()))
	if p := cfg.Get("palette"); p.Truthy() {
		c = c.WithPalette([4]uint32{uint32(p.Index(0).Float()), uint32(p.Index(1).Float()), uint32(p.Index(2).Float()), uint32(p.Index(3).Float())})
	}
	var save []byte
	if s := cfg.Get("save"); s.Truthy() {
		save = make([]byte, s.Get("length").Int())
		js.CopyBytesToGo(save, s)
	}
	c = c.WithSaveData(save, onSave)
	c.precompiled = precompiled
	return c
}
