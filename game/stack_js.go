//go:build js

package game

// growStack grows the calling goroutine's stack, once, to what a frame
// needs, while the stack is still shallow.
//
// In the browser Ebitengine runs each animation frame on a new goroutine
// (its loop starts one per requestAnimationFrame callback), whose stack
// starts small. A frame's calls go deep (the tick's round trip to the
// worker, then Ebitengine's drawing), and the stack grew by copying two or
// three times a frame, each time deeper. In wasm a copy walks every frame
// on the stack with the runtime's unwinder, which is slow there: in a CPU
// profile of the page (idx160) stack copies took about 0.2 ms a frame,
// against 0.07 ms after growing once here, where only Ebitengine's own
// frames are below. The desktop runs every frame on one long-lived
// goroutine, so growStack is a no-op there (stack_notjs.go).
//
//go:noinline
func growStack() {
	var pad [24 << 10]byte // with what is below, the next power of two: 32 KiB
	keep(pad[:])
}

// keep stops the compiler from removing the array growStack's frame
// holds.
//
//go:noinline
func keep([]byte) {}
