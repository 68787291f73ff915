//go:build !js

package worker

import (
	"github.com/ebicart/ebicart/guest"
	"github.com/ebicart/ebicart/guest/engine/wazero"
)

type guestLink = guest.Link

// inProcess is a core in this process on wazero, which checks the call
// deadline in every loop and call.
func inProcess() guest.Link {
	return guest.NewDirectLink(&wazero.Engine{Interruptible: true}, systems())
}
