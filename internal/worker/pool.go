//go:build linux || js

package worker

import (
	"errors"
	"sync"

	"github.com/ebicart/ebicart/guest"
)

// pool keeps at most one worker started ahead of need, already past its
// handshake: a worker process natively, a Web Worker in the browser.
type pool[W any] struct {
	start   func() (W, error) // starts a worker and shakes hands with it
	mu      sync.Mutex
	pending chan spare[W] // the spare being started, or ready
}

// spare is a worker started ahead of need, or why it did not start.
type spare[W any] struct {
	w   W
	err error
}

// prewarm starts a spare in the background, unless one is on its way.
func (p *pool[W]) prewarm() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pending == nil {
		ch := make(chan spare[W], 1)
		go func() {
			w, err := p.start()
			ch <- spare[W]{w, err}
		}()
		p.pending = ch
	}
}

// get returns the spare, waiting for it if it is on its way, else a new
// worker. A spare that failed to start gets one more try, unless it was of
// another build: a new worker, started from the same files, would be too
// (in the browser, the site was deployed again since the page was opened),
// and its error says so now.
func (p *pool[W]) get() (W, error) {
	p.mu.Lock()
	ch := p.pending
	p.pending = nil
	p.mu.Unlock()
	if ch == nil {
		return p.start()
	}
	s := <-ch
	if s.err != nil && !otherBuild(s.err) {
		return p.start()
	}
	return s.w, s.err // the spare, or why it is of no use
}

// otherBuild reports whether err is a worker's of another build.
func otherBuild(err error) bool {
	we, ok := errors.AsType[*guest.WorkerError](err)
	return ok && we.OtherBuild
}
