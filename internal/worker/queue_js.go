//go:build js

package worker

import (
	"errors"
	"sync"
	"syscall/js"
	"time"

	"github.com/ebicart/ebicart/guest"
)

// queue is one side's end of the page–worker channel. A message travels
// as a Uint8Array view over an ArrayBuffer that is transferred, not
// copied; once read into Go, that buffer is kept as a spare and carries
// the next message the other way. In steady state one buffer goes back and
// forth (a tick one way, its result and frame the other), and the frame
// path makes no new buffers on either side. Messages wait here until they
// are read: an onmessage handler must never block.
type queue struct {
	mu     sync.Mutex
	msgs   []js.Value // views not yet read, from head on
	head   int
	err    error // a fatal report; the end of the messages
	notify chan struct{}
	timer  *time.Timer

	bufs [2][]byte // what pop reads into: one in use, one held (hold)
	cur  int

	spares   []js.Value // ArrayBuffers that came in, free to carry a message out
	transfer js.Value   // postMessage's transfer list, one buffer long
}

var (
	jsUint8Array  = js.Global().Get("Uint8Array")
	jsArrayBuffer = js.Global().Get("ArrayBuffer")
)

func newQueue() *queue {
	return &queue{notify: make(chan struct{}, 1), transfer: js.Global().Get("Array").New(1)}
}

// maxSpares bounds the buffers a side keeps.
const maxSpares = 4

// onMessage is the handler that fills q: codec messages come as
// Uint8Arrays, a worker's fatal report as {fatal: text}.
func (q *queue) onMessage() js.Func {
	return js.FuncOf(func(_ js.Value, args []js.Value) any {
		data := args[0].Get("data")
		if data.InstanceOf(jsUint8Array) {
			q.push(data, nil)
			return nil
		}
		msg := "it sent something other than a message"
		if data.Type() == js.TypeObject && data.Get("fatal").Type() == js.TypeString {
			msg = data.Get("fatal").String()
		}
		q.push(js.Value{}, errors.New(msg))
		return nil
	})
}

func (q *queue) push(v js.Value, err error) {
	q.mu.Lock()
	if err != nil {
		if q.err == nil {
			q.err = err
		}
	} else {
		q.msgs = append(q.msgs, v)
	}
	q.mu.Unlock()
	select {
	case q.notify <- struct{}{}:
	default:
	}
}

// pop returns the next message, waiting at most timeout (forever when
// negative). It is valid until the next pop, or, after hold, until the
// pop after the next hold.
func (q *queue) pop(timeout time.Duration) ([]byte, error) {
	for {
		q.mu.Lock()
		if q.head < len(q.msgs) {
			v := q.msgs[q.head]
			q.msgs[q.head] = js.Value{}
			if q.head++; q.head == len(q.msgs) {
				q.msgs, q.head = q.msgs[:0], 0
			}
			q.mu.Unlock()
			return q.read(v), nil
		}
		err := q.err
		q.mu.Unlock()
		if err != nil {
			return nil, err
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
			q.mu.Lock()
			n := len(q.msgs) - q.head
			q.mu.Unlock()
			if n == 0 {
				return nil, guest.ErrTimeout
			}
		}
	}
}

// read copies the message in the view v into Go, and keeps its buffer as a
// spare.
func (q *queue) read(v js.Value) []byte {
	n := v.Get("length").Int()
	b := q.bufs[q.cur]
	if cap(b) < n {
		b = make([]byte, n, n+n/4)
	}
	b = b[:n]
	js.CopyBytesToGo(b, v)
	q.bufs[q.cur] = b
	if len(q.spares) < maxSpares {
		q.spares = append(q.spares, v.Get("buffer"))
	}
	return b
}

// hold keeps the message pop last returned valid until the pop after the
// next hold: the client keeps a frame that way rather than copying it.
func (q *queue) hold() { q.cur ^= 1 }

// post sends b to target (a Worker, or the worker's own scope), in a
// spare buffer if one is large enough, transferring it.
func (q *queue) post(target js.Value, b []byte) {
	var buf js.Value
	for i, s := range q.spares {
		if s.Get("byteLength").Int() >= len(b) {
			buf = s
			last := len(q.spares) - 1
			q.spares[i], q.spares[last] = q.spares[last], js.Value{}
			q.spares = q.spares[:last]
			break
		}
	}
	if buf.IsUndefined() {
		buf = jsArrayBuffer.New(max(len(b), 4096))
	}
	view := jsUint8Array.New(buf, 0, len(b))
	js.CopyBytesToJS(view, b)
	q.transfer.SetIndex(0, buf)
	target.Call("postMessage", view, q.transfer)
}
