// Package worker is the transport between the UI side of ebicart and a cart
// core running in a worker: a process of its own on Linux (this program,
// started again), or a Web Worker in the browser. Both ends are here: Start
// and Pool give the host a guest.Link to a new worker; Serve is what the
// worker runs. Requests and replies are the messages of package guest's
// codec, framed by length on pipes, or one per postMessage.
//
// On Linux the cart's linear memory is a memfd that both processes map, so
// the host reads frames in place; a worker that does not answer within the
// time limit is killed.
package worker
