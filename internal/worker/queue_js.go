//go:build js

package worker

import (
	"errors"
	"sync"
	"syscall/js"
	"time"

	"github.com/ebicart/ebicart/guest"
)

// queue holds the messages a Web Worker or the page received, until they
// are read: an onmessage handler must never block.
type queue struct {
	mu     sync.Mutex
	msgs   [][]byte
	err    error // a fatal report; the end of the messages
	notify chan struct{}
	timer  *time.Timer
}

func newQueue() *queue { return &queue{notify: make(chan struct{}, 1)} }

// onMessage is the handler that fills q: codec messages come as
// ArrayBuffers, a worker's fatal report as {fatal: text}.
func (q *queue) onMessage() js.Func {
	return js.FuncOf(func(_ js.Value, args []js.Value) any {
		data := args[0].Get("data")
		if data.InstanceOf(js.Global().Get("ArrayBuffer")) {
			u8 := js.Global().Get("Uint8Array").New(data)
			b := make([]byte, u8.Get("length").Int())
			js.CopyBytesToGo(b, u8)
			q.push(b, nil)
			return nil
		}
		msg := "it sent something other than a message"
		if data.Type() == js.TypeObject && data.Get("fatal").Type() == js.TypeString {
			msg = data.Get("fatal").String()
		}
		q.push(nil, errors.New(msg))
		return nil
	})
}

func (q *queue) push(b []byte, err error) {
	q.mu.Lock()
	if err != nil {
		if q.err == nil {
			q.err = err
		}
	} else {
		q.msgs = append(q.msgs, b)
	}
	q.mu.Unlock()
	select {
	case q.notify <- struct{}{}:
	default:
	}
}

// pop returns the next message, waiting at most timeout (forever when
// negative).
func (q *queue) pop(timeout time.Duration) ([]byte, error) {
	for {
		q.mu.Lock()
		if len(q.msgs) > 0 {
			b := q.msgs[0]
			q.msgs[0] = nil
			q.msgs = q.msgs[1:]
			q.mu.Unlock()
			return b, nil
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
			n := len(q.msgs)
			q.mu.Unlock()
			if n == 0 {
				return nil, guest.ErrTimeout
			}
		}
	}
}

// post sends b to target (a Worker, or the worker's own scope),
// transferring its buffer.
func post(target js.Value, b []byte) {
	u8 := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(u8, b)
	buf := u8.Get("buffer")
	target.Call("postMessage", buf, []any{buf})
}
