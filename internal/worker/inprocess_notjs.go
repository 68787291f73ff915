//go:build !js

package worker

import (
	"github.com/ebicart/ebicart/guest"
	"github.com/ebicart/ebicart/guest/engine/wazero"
	"github.com/ebicart/ebicart/wasm4"
)

// systems are the systems every core offers besides ABI v1. (In the
// browser the cart's worker, web/cartworker, passes them to ServeWeb: the
// page's host, which runs no core, links none of them.)
func systems() []guest.System { return []guest.System{wasm4.System()} }

type guestLink = guest.Link

// inProcess is a core in this process on wazero, which checks the call
// deadline in every loop and call.
func inProcess() guest.Link {
	return guest.NewDirectLink(&wazero.Engine{Interruptible: true}, systems())
}
