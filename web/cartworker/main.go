//go:build js

// Command cartworker runs one ebicart cart inside a Web Worker, for the
// browser build's page: the cart core and the cart run here, on the
// worker's WebAssembly engine, so that a cart stuck in a loop blocks only
// this worker, which the page terminates at the deadline. The page starts
// it (package internal/worker); it speaks package guest's codec, one
// message per postMessage.
package main

import (
	"github.com/ebicart/ebicart/internal/worker"
	"github.com/ebicart/ebicart/wasm4"
)

func main() {
	if !worker.ServeWeb(wasm4.System()) {
		panic("cartworker: not in a Web Worker: the page starts this program in one")
	}
}
