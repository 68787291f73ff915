//go:build js

package worker

import (
	"errors"
	"runtime"
	"syscall/js"
	"time"

	"github.com/ebicart/ebicart/guest"
	"github.com/ebicart/ebicart/guest/engine/browser"
)

// queue is one side's end of the page–worker channel. A message travels
// as a Uint8Array view over an ArrayBuffer that is transferred, not
// copied; once read into Go, that buffer is kept as a spare and carries
// the next message the other way. In steady state one buffer goes back and
// forth (a tick one way, its result and frame the other), and the frame
// path makes no new buffers on either side.
//
// The messages wait in the queue's JavaScript half (queueSource), whose
// onmessage only keeps them and wakes Go: an onmessage handler must never
// block. Go reads and sends through its methods, each one call with
// numbers for arguments, so a tick's messages make no JavaScript objects
// Go has to track and look up no names. Where the program's own memory is
// reachable (self.ebicartGoExports.mem, which the site's bootstraps set),
// a message is copied between its buffer and Go's bytes in one step;
// elsewhere through a view Go copies to or from.
type queue struct {
	js       js.Value // the JavaScript half
	wake     js.Func
	next     js.Value // the next message's length, -1 for none, -2 for a fatal report
	take     js.Value // take(ptr): copy the next message to ptr in Go's memory
	shift    js.Value // shift(): the next message's view (without Go's memory)
	fatal    js.Value // the fatal report's text
	send     js.Value // send(target, ptr, n): post n bytes at ptr
	spare    js.Value // spare(n): a view of n bytes over a spare buffer (without Go's memory)
	sendView js.Value // sendView(target, view): post a view spare made
	direct   bool     // Go's memory is reachable: take and send

	notify chan struct{}
	timer  *time.Timer

	bufs [2][]byte // what pop reads into: one in use, one held (hold)
	cur  int
}

// queueSource is the JavaScript half of a queue: queue(goMem, wake,
// prepare). prepare, when set, is given the cart of a {prepare: bytes,
// prepared: bytes} message, and its rewrite the site prepared, or null
// (see Serve).
const queueSource = `
return function (goMem, wake, prepare) {
  const msgs = [], spares = [];
  const keep = (buf) => { if (spares.length < 4) spares.push(buf); };
  const spareBuffer = (n) => {
    for (let i = 0; i < spares.length; i++) {
      if (spares[i].byteLength >= n) return spares.splice(i, 1)[0];
    }
    return new ArrayBuffer(Math.max(n, 4096));
  };
  return {
    // onmessage keeps a message: a Uint8Array, or a worker's fatal report
    // {fatal: text} (anything else is one too).
    onmessage(e) {
      const d = e.data;
      if (prepare && d && d.prepare instanceof Uint8Array) { prepare(d.prepare, d.prepared instanceof Uint8Array ? d.prepared : null); return; }
      if (d instanceof Uint8Array) msgs.push(d);
      else msgs.push({fatal: d && typeof d === 'object' && typeof d.fatal === 'string' ? d.fatal : 'it sent something other than a message'});
      wake();
    },
    next() { return msgs.length === 0 ? -1 : msgs[0] instanceof Uint8Array ? msgs[0].length : -2; },
    fatal() { return msgs[0].fatal; },
    take(ptr) {
      const v = msgs.shift();
      new Uint8Array(goMem.buffer, ptr, v.length).set(v);
      keep(v.buffer);
    },
    shift() { const v = msgs.shift(); keep(v.buffer); return v; },
    send(target, ptr, n) {
      const buf = spareBuffer(n);
      const v = new Uint8Array(buf, 0, n);
      v.set(new Uint8Array(goMem.buffer, ptr, n));
      target.postMessage(v, [buf]);
    },
    spare(n) { return new Uint8Array(spareBuffer(n), 0, n); },
    sendView(target, v) { target.postMessage(v, [v.buffer]); },
  };
};`

var makeQueue = js.Global().Get("Function").New(queueSource).Invoke()

// newQueue makes a queue; prepare, when set, receives the carts of
// {prepare: bytes, prepared: bytes} messages, and their prepared
// rewrites (nil for none).
func newQueue(prepare func(wasm, rewrite []byte)) *queue {
	q := &queue{notify: make(chan struct{}, 1)}
	q.wake = js.FuncOf(func(js.Value, []js.Value) any {
		select {
		case q.notify <- struct{}{}:
		default:
		}
		return nil
	})
	gm := browser.GoMemory()
	q.direct = gm.Type() == js.TypeObject
	prep := js.Undefined()
	if prepare != nil {
		// A handler that must not block: the cart is copied out, and
		// prepare starts its work on a goroutine of its own.
		prep = js.FuncOf(func(_ js.Value, args []js.Value) any {
			b := make([]byte, args[0].Get("length").Int())
			js.CopyBytesToGo(b, args[0])
			var rw []byte
			if len(args) > 1 && args[1].Truthy() {
				rw = make([]byte, args[1].Get("length").Int())
				js.CopyBytesToGo(rw, args[1])
			}
			prepare(b, rw)
			return nil
		}).Value
	}
	q.js = makeQueue.Invoke(gm, q.wake, prep)
	for _, m := range []struct {
		v    *js.Value
		name string
	}{{&q.next, "next"}, {&q.take, "take"}, {&q.shift, "shift"}, {&q.fatal, "fatal"},
		{&q.send, "send"}, {&q.spare, "spare"}, {&q.sendView, "sendView"}} {
		*m.v = q.js.Get(m.name).Call("bind", q.js)
	}
	return q
}

// handler is the queue's onmessage, a JavaScript function.
func (q *queue) handler() js.Value { return q.js.Get("onmessage") }

// pop returns the next message, waiting at most timeout (forever when
// negative). It is valid until the next pop, or, after hold, until the
// pop after the next hold.
func (q *queue) pop(timeout time.Duration) ([]byte, error) {
	for {
		switch n := q.next.Invoke().Int(); {
		case n >= 0:
			return q.read(n), nil
		case n == -2:
			return nil, errors.New(q.fatal.Invoke().String())
		}
		if timeout < 0 {
			<-q.notify
			continue
		}
		if q.timer == nil {
			q.timer = time.NewTimer(timeout)
		} else {
			q.timer.Reset(timeout)
		}
		select {
		case <-q.notify:
			q.timer.Stop()
		case <-q.timer.C:
			// The thread may have been too busy to run a handler whose
			// message is already queued behind the timer: one more look.
			if q.next.Invoke().Int() == -1 {
				return nil, guest.ErrTimeout
			}
		}
	}
}

// read copies the next message, n bytes, into Go; the queue keeps its
// buffer as a spare.
func (q *queue) read(n int) []byte {
	b := q.bufs[q.cur]
	if cap(b) < n {
		b = make([]byte, n, n+n/4)
	}
	b = b[:n]
	q.bufs[q.cur] = b
	if q.direct {
		q.take.Invoke(browser.GoAddr(b))
		runtime.KeepAlive(b)
	} else {
		js.CopyBytesToGo(b, q.shift.Invoke())
	}
	return b
}

// hold keeps the message pop last returned valid until the pop after the
// next hold: the client keeps a frame that way rather than copying it.
func (q *queue) hold() { q.cur ^= 1 }

// post sends b to target (a Worker, or the worker's own scope), in a
// spare buffer if one is large enough, transferring it.
func (q *queue) post(target js.Value, b []byte) {
	if q.direct {
		q.send.Invoke(target, browser.GoAddr(b), len(b))
		runtime.KeepAlive(b)
		return
	}
	v := q.spare.Invoke(len(b))
	js.CopyBytesToJS(v, b)
	q.sendView.Invoke(target, v)
}
