// Command ebicart runs WebAssembly cartridges: wasm modules whose linear
// memory holds their pixel framebuffer. The host reads that memory in place
// every frame and draws it in a window (or, with -headless, without one).
//
// Usage:
//
//	ebicart [flags] [cart.wasm]
//
// With no cart it runs the built-in demo cart. See -h for the flags and the
// guest package documentation for the cart ABI.
//
// Built for the browser (GOOS=js GOARCH=wasm, see make web), the same
// program runs in a web page: the cart comes from the page's ?cart= URL
// parameter, a file picker or a dropped file (main_js.go).
package main
