//go:build !linux && !js

package worker

import (
	"errors"

	"github.com/ebicart/ebicart/guest"
)

// Supported reports whether carts can run in worker processes here: not
// without Linux's memfd shared memory.
const Supported = false

func open(kind Kind) (link guestLink, stops bool, err error) {
	if kind == KindProcess {
		return nil, false, errors.New("worker: the process engine needs Linux: use the in-process engine")
	}
	return inProcess(), true, nil
}

// Serve returns false: there are no worker processes here.
func Serve() bool { return false }

// Prewarm does nothing: there are no worker processes here.
func Prewarm() {}

// OpenUnlocked fails: there are no worker processes here.
func OpenUnlocked() (guest.Link, bool, error) {
	return nil, false, errors.New("worker: the process engine needs Linux")
}
