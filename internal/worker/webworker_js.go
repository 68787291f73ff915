//go:build js

package worker

import (
	"errors"
	"fmt"
	"sync"
	"syscall/js"
	"time"

	"github.com/ebicart/ebicart/guest"
	"github.com/ebicart/ebicart/internal/digest"
)

// Supported: carts run in Web Workers.
const Supported = true

// In the browser the core runs in a Web Worker: a second, small Go program
// (web/cartworker, built into the site as cartworker.wasm) that calls
// Serve. A cart's memory cannot be shared with the page without
// cross-origin isolation and a shared memory the cart would have to
// declare, so each result carries the packed frame, in a buffer that is
// transferred, not copied, and comes back with the next tick (queue). A
// worker that does not answer in time is terminated.
//
// The worker is cartworker.js (assets/web), and its files beside it are
// found at window.ebicartWorkerBase (default: the page's own directory). A
// page may start one before its host has started, as
// window.ebicartSpareWorker, with its messages kept in its ebicartEarly
// array: Prewarm takes it (index.html does, so that cartworker.wasm loads
// while the host does).
const bootstrap = `self.ebicartBase = %q; importScripts(self.ebicartBase + 'cartworker.js' + %q);`

// Build identifies the protocol's build in the handshake: "web", and the
// site's build, which make web writes into the page (window.ebicartVersion)
// and into the worker's script (self.ebicartVersion), so that a page and a
// worker of two builds of the site, one deployed while the page was open,
// know it. The page asks for the worker's script by its build (?build=),
// which a service worker answers from that build's cache.
func Build() string {
	if v := version(); v != "" {
		return "web " + v
	}
	return "web"
}

// version is the site's build, "" where the page gives none (a bundled
// game's page, a page of the site's own files before make web).
func version() string {
	if v := js.Global().Get("ebicartVersion"); v.Type() == js.TypeString {
		return v.String()
	}
	return ""
}

// buildQuery is the query that names the site's build in the address of
// one of its files, "" for none.
func buildQuery() string {
	if v := version(); v != "" {
		return "?build=" + js.Global().Call("encodeURIComponent", v).String()
	}
	return ""
}

// WebWorker is a cart's Web Worker, seen from the page: a guest.Link.
type WebWorker struct {
	worker js.Value
	q      *queue
	dead   bool
}

func workerBase() string {
	rel := "."
	if b := js.Global().Get("ebicartWorkerBase"); b.Type() == js.TypeString {
		rel = b.String()
	}
	base := js.Global().Get("URL").New(rel, js.Global().Get("document").Get("baseURI")).Get("href").String()
	if base != "" && base[len(base)-1] != '/' {
		base += "/"
	}
	return base
}

// StartWebWorker starts a Web Worker for a cart: cartworker.js itself
// where it is on the page's origin, else a blob that bootstraps it (a
// worker's script must be of the page's origin; ebicartWorkerBase may be
// another's). A page that may not start one gets an error, not a crash:
// its Content-Security-Policy (worker-src, which may allow the first and
// not the blob), its frame's sandbox, or a browser without workers.
func StartWebWorker() (w *WebWorker, err error) {
	ctor := js.Global().Get("Worker")
	if ctor.Type() != js.TypeFunction {
		return nil, errors.New("worker: this browser has no Web Workers, which carts run in")
	}
	defer func() {
		if r := recover(); r != nil {
			je, ok := r.(js.Error)
			if !ok {
				panic(r)
			}
			w, err = nil, fmt.Errorf("worker: the page may not start the Web Worker carts run in (%s): its Content-Security-Policy (worker-src) or its frame's sandbox forbids it", je.Error())
		}
	}()
	base := workerBase()
	if js.Global().Get("URL").New(base).Get("origin").String() == js.Global().Get("location").Get("origin").String() {
		return adopt(ctor.New(base + "cartworker.js" + buildQuery())), nil
	}
	src := fmt.Sprintf(bootstrap, base, buildQuery())
	blob := js.Global().Get("Blob").New([]any{src}, map[string]any{"type": "text/javascript"})
	url := js.Global().Get("URL").Call("createObjectURL", blob)
	defer js.Global().Get("URL").Call("revokeObjectURL", url)
	return adopt(ctor.New(url)), nil
}

// liveWorkers is the page's window.ebicartWorkers: the Web Workers this
// program holds, which the page terminates if the program ends (player.js:
// quietExit), as the program cannot then.
// Made at the first adopt: no package init touches the page.
var liveWorkers = sync.OnceValue(func() js.Value {
	set := js.Global().Get("Set").New()
	js.Global().Set("ebicartWorkers", set)
	return set
})

// adopt makes a started Web Worker a link: its messages go to the link's
// queue, those that came before first.
func adopt(worker js.Value) *WebWorker {
	liveWorkers().Call("add", worker)
	w := &WebWorker{q: newQueue(nil), worker: worker}
	handler := callingFilter.Invoke(w.q.handler(), w.worker)
	if early := worker.Get("ebicartEarly"); early.Truthy() {
		for i := 0; i < early.Get("length").Int(); i++ {
			handler.Invoke(early.Index(i))
		}
		worker.Delete("ebicartEarly")
	}
	worker.Set("onmessage", handler)
	workerFailed.Invoke(handler, worker)
	return w
}

// workerFailed reports a worker's error event to its queue as a fatal
// report, so that a worker that never ran (its script refused by the
// page's Content-Security-Policy, which the browser reports this way, not
// by throwing, or missing) fails the boot waiting for it at once, not at
// the handshake's limit. The page's early worker keeps the message of one
// that came before the host took it (player.js: ebicartFailed).
var workerFailed = js.Global().Get("Function").New("handler", "worker", `
const fail = (why) => handler({data: {fatal: 'the Web Worker carts run in failed: ' +
  (why || "its script did not run (the page's Content-Security-Policy, worker-src, may forbid it)")}});
if (typeof worker.ebicartFailed === 'string') fail(worker.ebicartFailed);
worker.addEventListener('error', (e) => fail(e && e.message));`)

// earlyWorker takes the worker the page started before its host
// (window.ebicartSpareWorker), if it did.
func earlyWorker() (*WebWorker, bool) {
	v := js.Global().Get("ebicartSpareWorker")
	if !v.Truthy() {
		return nil, false
	}
	js.Global().Delete("ebicartSpareWorker")
	return adopt(v), true
}

// callingFilter wraps the page's handler of a worker's messages: a string
// is the name of the export the worker is about to call (see Serve), kept
// on the worker object in JavaScript, where keeping it costs no call into
// Go; {firstCart} is the page's first cart, which the worker the page
// started downloaded for the page's host (player.js), and goes to the
// page's ebicartFirstCart; everything else goes on to Go.
var callingFilter = js.Global().Get("Function").New("handler", "worker", `
return function (e) {
  if (typeof e.data === 'string') { worker.ebicartCalling = e.data; return; }
  if (e.data && typeof e.data === 'object' && 'firstCart' in e.data) { if (worker.ebicartFirstCart) worker.ebicartFirstCart(e.data); return; }
  handler(e);
};`)

// Engine names the engine.
func (w *WebWorker) Engine() string { return "browser" }

// Holds reports whether the worker holds a cart of SHA-256 sum: the page's
// first cart, which it fetched (player.js notes the bytes' digest,
// ebicartHeldSum). Its boot then names it rather than send it back.
func (w *WebWorker) Holds(sum [32]byte) bool {
	p := w.worker.Get("ebicartHeldSum")
	if !p.Truthy() {
		return false
	}
	held, ok := digest.AwaitSubtle(p)
	return ok && held == sum
}

// TicksAhead: the page's thread answers a message late while Ebitengine
// starts, so the worker runs a cart's first update as it boots
// (guest.BootConfig.TickAhead) rather than wait to be asked.
func (w *WebWorker) TicksAhead() bool { return true }

// Prepare has nothing to do: the worker's memory is its own.
func (w *WebWorker) Prepare(guest.BootConfig) error { return nil }

// Send posts a request.
func (w *WebWorker) Send(msg []byte) error {
	if w.dead {
		return errors.New("worker: the worker was stopped")
	}
	w.q.post(w.worker, msg)
	return nil
}

// Recv returns the next message, at most timeout.
func (w *WebWorker) Recv(timeout time.Duration) ([]byte, error) {
	if w.dead {
		return nil, errors.New("worker: the worker was stopped")
	}
	return w.q.pop(max(timeout, time.Millisecond))
}

// Hold keeps the message Recv last returned valid until the Recv after the
// next Hold: the client keeps the frame a result carried that way, without
// copying it.
func (w *WebWorker) Hold() { w.q.hold() }

// SharesMemory: no, results carry the frame.
func (w *WebWorker) SharesMemory() bool { return false }

// Memory is nil: see SharesMemory.
func (w *WebWorker) Memory(uint64) []byte { return nil }

// Calling names the export the worker last said it was calling: the one a
// stuck worker is stuck in.
func (w *WebWorker) Calling() string {
	if v := w.worker.Get("ebicartCalling"); v.Type() == js.TypeString {
		return v.String()
	}
	return ""
}

// Kill terminates the worker. A page waiting for the first cart from it
// (player.js) fetches the cart itself then.
func (w *WebWorker) Kill() {
	if !w.dead {
		w.dead = true
		w.worker.Call("terminate")
		liveWorkers().Call("delete", w.worker)
		if f := w.worker.Get("ebicartFirstCart"); f.Type() == js.TypeFunction {
			f.Invoke(map[string]any{"firstCart": nil})
		}
	}
}

// Broken reports what became of the worker.
func (w *WebWorker) Broken(during string, err error) error {
	w.Kill()
	return &guest.WorkerError{During: during, Status: err.Error()}
}

// Close terminates the worker and frees the page's handler.
func (w *WebWorker) Close() error {
	w.Kill()
	w.q.wake.Release()
	return nil
}

// handshakeLimit bounds a new worker's start-up (downloading and compiling
// cartworker.wasm) and handshake.
const handshakeLimit = 60 * time.Second

// webWorkers keeps the spare Web Worker.
var webWorkers = pool[*WebWorker]{start: startChecked}

func startChecked() (*WebWorker, error) {
	w, ok := earlyWorker()
	if !ok {
		var err error
		if w, err = StartWebWorker(); err != nil {
			return nil, err
		}
	}
	if err := guest.NewClient(w, guest.Output{}).Handshake(Build(), handshakeLimit); err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

// Prewarm starts a spare Web Worker in the background, so that the next
// cart need not wait for cartworker.wasm to load and start.
func Prewarm() { webWorkers.prewarm() }

// getWebWorker returns a started worker: the spare, if one is ready or on
// its way (see Prewarm), else a new one.
func getWebWorker() (*WebWorker, error) { return webWorkers.get() }

func open(kind Kind) (guest.Link, bool, error) {
	if kind == KindInProcess {
		return nil, false, errors.New("worker: the in-process engine is not available in the browser: carts run in a Web Worker")
	}
	w, err := getWebWorker()
	if err != nil {
		return nil, false, err
	}
	return w, false, nil
}
