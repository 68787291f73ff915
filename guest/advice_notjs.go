//go:build !js

package guest

// handshakeAdvice is what to do about a worker process that did not
// answer its handshake: most often the program did not serve it.
const handshakeAdvice = "a program that runs carts in worker processes must call cart.ServeWorker() first thing in main (and in TestMain)"
