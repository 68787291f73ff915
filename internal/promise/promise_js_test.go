//go:build js

package promise

import (
	"errors"
	"strings"
	"syscall/js"
	"testing"
)

// TestAwait settles promises every way a browser's can, under Node (make
// test runs it with Go's go_js_wasm_exec).
func TestAwait(t *testing.T) {
	eval := func(src string) js.Value { return js.Global().Call("eval", src) }
	for _, tc := range []struct {
		name, src string
		want      string // the value, as String(v)
		err       string // part of the error, "" for none
		jsErr     bool   // the error is a js.Error
	}{
		{"resolved", `Promise.resolve(42)`, "42", "", false},
		{"resolved later", `new Promise((ok) => setTimeout(() => ok('later'), 1))`, "later", "", false},
		{"resolved with nothing", `Promise.resolve()`, "undefined", "", false},
		{"rejected with an Error", `Promise.reject(new TypeError('bad input'))`, "", "bad input", true},
		{"thrown in the executor", `new Promise(() => { throw new RangeError('too far'); })`, "", "too far", true},
		{"rejected with a string", `Promise.reject('just a string')`, "", "rejected with just a string", false},
		{"rejected with nothing", `Promise.reject()`, "", "rejected with undefined", false},
		{"rejected with an object", `Promise.reject({code: 7})`, "", "rejected with [object Object]", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := Await(eval(tc.src))
			if tc.err == "" {
				if err != nil {
					t.Fatalf("error %v, want the value %s", err, tc.want)
				}
				if got := js.Global().Get("String").Invoke(v).String(); got != tc.want {
					t.Fatalf("value %s, want %s", got, tc.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("error %v, want one containing %q", err, tc.err)
			}
			if got := errors.As(err, new(js.Error)); got != tc.jsErr {
				t.Fatalf("the error is a js.Error: %v, want %v", got, tc.jsErr)
			}
		})
	}
}
