//go:build js

package promise

import (
	"fmt"
	"syscall/js"
)

// Await blocks until the JavaScript promise p settles and returns its
// value, or the reason it was rejected as an error: a js.Error when the
// reason is an object with a message (an Error, a DOMException), else an
// error that quotes it (a promise may be rejected with anything). Waiting lets
// the event loop run, so it must not be called inside a JavaScript
// callback: main, the Ebitengine loop and other goroutines may call it.
func Await(p js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	then := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- result{v: arg(args)}
		return nil
	})
	defer then.Release()
	catch := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- result{err: rejection(arg(args))}
		return nil
	})
	defer catch.Release()
	p.Call("then", then, catch)
	r := <-ch
	return r.v, r.err
}

// arg is a settled promise's value: undefined when a callback got none.
func arg(args []js.Value) js.Value {
	if len(args) == 0 {
		return js.Undefined()
	}
	return args[0]
}

// rejection is the error for a promise rejected with reason.
func rejection(reason js.Value) error {
	if t := reason.Type(); (t == js.TypeObject || t == js.TypeFunction) && reason.Get("message").Type() == js.TypeString {
		return js.Error{Value: reason}
	}
	return fmt.Errorf("rejected with %s", js.Global().Get("String").Invoke(reason).String())
}
