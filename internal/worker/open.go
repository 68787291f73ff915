package worker

import (
	"fmt"

	"github.com/ebicart/ebicart/guest"
)

// Kind says where a cart runs.
type Kind int

// Kinds of Open.
const (
	// KindAuto: a worker process on Linux, a Web Worker in the browser, this
	// process elsewhere.
	KindAuto Kind = iota
	// KindProcess: a worker of its own (a process natively, a Web Worker in
	// the browser), killed when it overruns its time.
	KindProcess
	// KindInProcess: this process, with wazero checking for the deadline in
	// every loop (slower for loop-heavy carts). Not in the browser.
	KindInProcess
)

// Open returns a link to a new core of kind. stops reports whether the
// core's engine stops an overrunning call itself (in-process), so that
// the boot request must carry the time limits.
func Open(kind Kind) (link guest.Link, stops bool, err error) {
	switch kind {
	case KindAuto, KindProcess, KindInProcess:
	default:
		return nil, false, fmt.Errorf("worker: unknown engine %d", kind)
	}
	return open(kind)
}
