//go:build js

package worker

import (
	"syscall/js"

	"github.com/ebicart/ebicart/guest"
	"github.com/ebicart/ebicart/guest/engine/browser"
)

// Serve returns false: in the browser a cart's Web Worker is a program
// of its own, web/cartworker (ServeWeb), never the page's.
func Serve() bool { return false }

// ServeWeb makes this program a cart's Web Worker when it runs in one
// (the page starts web/cartworker there), its core offering systems
// besides ABI v1, serving the page's requests until the page terminates
// it; it never returns then. On the page itself it returns false. The
// systems are passed in, not linked here, so that the page's host, which
// runs no core, carries none of them (WASM-4's drawing module and font
// were 66 KB of its wasm).
func ServeWeb(systems ...guest.System) bool {
	self := js.Global()
	if self.Get("document").Truthy() || !self.Get("WorkerGlobalScope").Truthy() {
		return false
	}
	srv := &guest.Server{
		Engine:  &browser.Engine{},
		Systems: systems,
		Build:   Build(),
		Calling: callingNotes(self),
	}
	// The page may send the cart it will ask this worker to boot before it
	// asks, as {prepare: bytes}: its checks, rewrites, compile and start
	// then overlap the host's own start-up (guest.Server.Prepare).
	q := newQueue(srv.Prepare)
	// ebicartRewrites() is how many carts this worker rewrote itself
	// (none where the site prepared the rewrite), for DevTools and the
	// tests.
	self.Set("ebicartRewrites", js.FuncOf(func(js.Value, []js.Value) any { return guest.RewritesMade() }))
	// ebicartHeldBoots() is how many boots of carts it held (the page's
	// first, which it fetched) it made, asked by their hash.
	self.Set("ebicartHeldBoots", js.FuncOf(func(js.Value, []js.Value) any { return guest.HeldBoots() }))
	srv.Send = func(msg []byte) error { q.post(self, msg); return nil }
	// Hello's answer goes first, before the page asks: the first cart's
	// boot made ahead may keep this thread when the page's handshake
	// comes.
	srv.Announce()
	self.Set("onmessage", q.handler())
	if early := self.Get("ebicartQueue"); early.Truthy() { // messages that came while Go started
		handler := self.Get("onmessage")
		for i := 0; i < early.Get("length").Int(); i++ {
			handler.Invoke(early.Index(i))
		}
	}
	for {
		msg, err := q.pop(-1)
		if err == nil {
			err = srv.Handle(msg)
		}
		if err != nil {
			self.Call("postMessage", map[string]any{"fatal": err.Error()})
			self.Call("close")
			select {}
		}
	}
}

// callingNotes tells the page the name of each export before it is called,
// as a string message, so that a call that never returns is reported by
// its name: a worker stuck in wasm cannot say anything after that. A name
// is posted only when it differs from the last one: the page keeps the
// last, and a WASM-4 cart calls update and nothing else, tick after tick
// (a message costs about as much as a small cart's update). The names are
// made JavaScript strings once.
func callingNotes(self js.Value) func(string) {
	names := map[string]js.Value{}
	last := ""
	return func(name string) {
		if name == last {
			return
		}
		last = name
		v, ok := names[name]
		if !ok {
			v = js.ValueOf(name)
			names[name] = v
		}
		self.Call("postMessage", v)
	}
}
