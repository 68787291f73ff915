package cart

import "github.com/ebicart/ebicart/internal/worker"

// ServeWorker makes this process a cart worker when ebicart started it as
// one, and returns false at once in any other process. A program that runs
// carts on EngineProcess (the default on Linux) must call it first thing
// in main, before anything else it does:
//
//	func main() {
//		if cart.ServeWorker() {
//			return
//		}
//		...
//	}
//
// ebicart starts a cart's worker by running the program's own executable
// again (from /proc/self/exe, with no environment and no arguments of the
// program's); in the worker, ServeWorker serves the cart and exits, and
// never returns. The program's package init functions run in the worker
// too, before main: keep them cheap and free of side effects. Test
// binaries that load carts need it in TestMain.
func ServeWorker() bool { return worker.Serve() }

// Prewarm starts a worker for the next cart in the background, so that
// loading it does not wait for a process (or a Web Worker) to start: call
// it early (before opening the window) when a cart will load soon, and
// again once it has, to keep a spare for the next (a restart, a reload).
// A spare not yet taken is kept. It does nothing where carts run
// in-process.
func Prewarm() { worker.Prewarm() }
