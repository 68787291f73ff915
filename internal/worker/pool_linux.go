//go:build linux

package worker

import (
	"time"

	"github.com/ebicart/ebicart/guest"
)

// handshakeLimit bounds a new worker's start-up and handshake.
const handshakeLimit = 10 * time.Second

// processes keeps the spare worker process.
var processes = pool[*Process]{start: startChecked}

// Prewarm starts a spare worker in the background, so that the next cart
// starts without waiting for a process to start. It is cheap to call more
// than once.
func Prewarm() { processes.prewarm() }

// startChecked starts a worker and shakes hands with it.
func startChecked() (*Process, error) {
	p, err := Start()
	if err != nil {
		return nil, err
	}
	if err := guest.NewClient(p, guest.Output{}).Handshake(Build(), handshakeLimit); err != nil {
		p.Close()
		return nil, err
	}
	return p, nil
}

// Get returns a worker ready for a cart: the spare if one was started (see
// Prewarm), else a new one.
func Get() (*Process, error) { return processes.get() }

// OpenUnlocked returns a worker process that does not lock itself down
// before it compiles a cart: for the benchmark that measures what the
// lockdown costs.
func OpenUnlocked() (guest.Link, bool, error) {
	p, err := StartUnlocked()
	if err != nil {
		return nil, false, err
	}
	if err := guest.NewClient(p, guest.Output{}).Handshake(Build(), handshakeLimit); err != nil {
		p.Close()
		return nil, false, err
	}
	return p, false, nil
}
