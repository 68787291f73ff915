// Package guest is ebicart's cart core: the cart ABI (docs/abi.md) and the
// code that runs beside a cart on every engine.
//
// The core (Core) is written once and runs where the cart runs: in this
// process, in a worker process, or in the browser's Web Worker. It runs
// the ABI's tick sequence (input block, update, framebuffer, descriptor
// check, change detection), offers the imports (WASI with virtual clocks
// and seeded randomness, module ebicart's log and disk, and a System's own:
// package wasm4's), and reports log lines, saves and results. Under it, an
// engine (package engine: wazero natively, the browser's WebAssembly)
// instantiates the cart and calls it.
//
// The UI side reaches the core through a Link (a direct call, a pipe to a
// worker process, postMessage to a Web Worker; see internal/worker) with a
// Client, which speaks the one codec every message uses. Server is the
// other end, the same on every transport.
//
// The ABI is specified in docs/abi.md; why it is built this way, with its
// measurements, is in docs/design.md. Cart authors need neither this
// package nor Go.
package guest
