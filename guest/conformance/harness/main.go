//go:build js

// Command harness is the conformance suite's page for the browser engine:
// no Ebitengine host, only the cart's Web Worker (internal/worker) and the
// suite's driver, unpaced. The integration tests load harness.html, which
// runs this program, and call
//
//	await ebicartConformance.run(name)
//
// for each case: it fetches carts/conformance/<name>.wasm, runs the case on
// a Web Worker and resolves to the Outcome as JSON.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"syscall/js"

	"github.com/ebicart/ebicart/guest/conformance"
	"github.com/ebicart/ebicart/guest/replay"
	"github.com/ebicart/ebicart/internal/promise"
	"github.com/ebicart/ebicart/internal/worker"
)

func main() {
	worker.Prewarm()
	run := js.FuncOf(func(_ js.Value, args []js.Value) any {
		name := args[0].String()
		promise, resolve, reject := newPromise()
		go func() {
			out, err := runCase(name)
			if err != nil {
				reject.Invoke(err.Error())
				return
			}
			b, _ := json.Marshal(out)
			resolve.Invoke(string(b))
		}()
		return promise
	})
	replayFn := js.FuncOf(func(_ js.Value, args []js.Value) any {
		name, text := args[0].String(), args[1].String()
		promise, resolve, reject := newPromise()
		go func() {
			out, err := runReplay(name, text)
			if err != nil {
				reject.Invoke(err.Error())
				return
			}
			b, _ := json.Marshal(out)
			resolve.Invoke(string(b))
		}()
		return promise
	})
	js.Global().Set("ebicartConformance", map[string]any{"run": run, "replay": replayFn})
	js.Global().Get("document").Get("body").Get("dataset").Set("ready", "true")
	select {}
}

// runReplay plays a recorded session of a determinism case.
func runReplay(name, text string) (conformance.Outcome, error) {
	for _, c := range conformance.Determinism() {
		if c.Name == name {
			r, err := replay.Parse(strings.NewReader(text))
			if err != nil {
				return conformance.Outcome{}, err
			}
			c.Replay = r
			return runOn(c)
		}
	}
	return conformance.Outcome{}, fmt.Errorf("no determinism case %q", name)
}

func runCase(name string) (conformance.Outcome, error) {
	c, ok := conformance.Find(name)
	if !ok {
		return conformance.Outcome{}, fmt.Errorf("no case %q", name)
	}
	return runOn(c)
}

// runOn runs c on a Web Worker.
func runOn(c conformance.Case) (conformance.Outcome, error) {
	name := c.Name
	wasm, err := fetch("carts/conformance/" + name + ".wasm")
	if err != nil {
		return conformance.Outcome{}, err
	}
	link, stops, err := worker.Open(worker.KindProcess)
	if err != nil {
		return conformance.Outcome{}, err
	}
	return conformance.Run(context.Background(), link, stops, wasm, c, ""), nil
}

// newPromise returns a promise and its resolve and reject functions.
func newPromise() (p, resolve, reject js.Value) {
	cb := js.FuncOf(func(_ js.Value, args []js.Value) any {
		resolve, reject = args[0], args[1]
		return nil
	})
	p = js.Global().Get("Promise").New(cb)
	cb.Release()
	return p, resolve, reject
}

// fetch downloads a file relative to the page.
func fetch(url string) ([]byte, error) {
	resp, err := promise.Await(js.Global().Call("fetch", url))
	if err != nil {
		return nil, err
	}
	if !resp.Get("ok").Bool() {
		return nil, fmt.Errorf("%s: HTTP %d", url, resp.Get("status").Int())
	}
	buf, err := promise.Await(resp.Call("arrayBuffer"))
	if err != nil {
		return nil, err
	}
	u8 := js.Global().Get("Uint8Array").New(buf)
	b := make([]byte, u8.Get("length").Int())
	js.CopyBytesToGo(b, u8)
	return b, nil
}
