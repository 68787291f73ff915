//go:build linux

package worker

import (
	"sync"
	"time"

	"github.com/ebicart/ebicart/guest"
)

// handshakeLimit bounds a new worker's start-up and handshake.
const handshakeLimit = 10 * time.Second

// spare is a worker started ahead of need, already past its handshake.
type spare struct {
	p   *Process
	err error
}

var (
	poolMu  sync.Mutex
	pending chan spare // the spare being started, or ready
)

// Prewarm starts a spare worker in the background, so that the next cart
// starts without waiting for a process to start. It is cheap to call more
// than once.
func Prewarm() {
	poolMu.Lock()
	defer poolMu.Unlock()
	if pending == nil {
		pending = startSpare()
	}
}

func startSpare() chan spare {
	ch := make(chan spare, 1)
	go func() {
		p, err := startChecked()
		ch <- spare{p, err}
	}()
	return ch
}

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
func Get() (*Process, error) {
	poolMu.Lock()
	ch := pending
	pending = nil
	poolMu.Unlock()
	if ch == nil {
		return startChecked()
	}
	s := <-ch
	if s.err != nil {
		return startChecked() // a failed spare gets one more try
	}
	return s.p, nil
}

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
