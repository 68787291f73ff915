//go:build js

package worker

import (
	"syscall/js"

	"github.com/ebicart/ebicart/guest"
	"github.com/ebicart/ebicart/guest/engine/browser"
)

// Serve makes this program a cart's Web Worker when it runs in one (the
// page starts web/cartworker there), serving the page's requests until
// the page terminates it; it never returns then. On the page itself it
// returns false.
func Serve() bool {
	self := js.Global()
	if self.Get("document").Truthy() || !self.Get("WorkerGlobalScope").Truthy() {
		return false
	}
	q := newQueue()
	self.Set("onmessage", q.onMessage())
	if early := self.Get("ebicartQueue"); early.Truthy() { // messages that came while Go started
		handler := self.Get("onmessage")
		for i := 0; i < early.Get("length").Int(); i++ {
			handler.Invoke(early.Index(i))
		}
	}
	srv := &guest.Server{
		Engine:  &browser.Engine{},
		Systems: systems(),
		Build:   Build(),
		Send:    func(msg []byte) error { post(self, msg); return nil },
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
