package guest

import (
	"context"
	"errors"
	"time"

	"github.com/ebicart/ebicart/guest/engine"
)

// DirectLink is the transport to a core in this process: each request is
// served by a direct call, and the core's memory is the UI side's to read.
// The engine must stop a stuck call itself (wazero's interruptible mode):
// nothing here can.
type DirectLink struct {
	srv     Server
	copying bool     // the engine gives no direct view of memory
	queue   [][]byte // replies not yet received; their buffers are reused
	n       int      // replies in queue
	next    int      // the next to receive

	compiled  chan struct{} // closed when a bounded boot has compiled
	abandoned bool          // a boot was given up: its goroutine owns the core
}

// NewDirectLink returns a link to a new core on eng in this process.
func NewDirectLink(eng engine.Engine, systems []System) *DirectLink {
	l := &DirectLink{}
	if v, ok := eng.(interface{ DirectView() bool }); ok {
		l.copying = !v.DirectView()
	}
	l.srv = Server{Engine: eng, Systems: systems, Send: func(msg []byte) error {
		if l.n == len(l.queue) {
			l.queue = append(l.queue, nil)
		}
		l.queue[l.n] = append(l.queue[l.n][:0], msg...)
		l.n++
		if msg[0] == msgCompiled && l.compiled != nil {
			close(l.compiled)
			l.compiled = nil
		}
		return nil
	}}
	return l
}

// Engine names the engine.
func (l *DirectLink) Engine() string { return l.srv.Engine.Name() }

// setContext makes ctx bound the next boot.
func (l *DirectLink) setContext(ctx context.Context) { l.srv.Context = ctx }

// Send serves the request at once.
func (l *DirectLink) Send(msg []byte) error {
	if l.abandoned {
		return ErrClosed
	}
	if l.next == l.n {
		l.n, l.next = 0, 0
	}
	return l.srv.Handle(msg)
}

// boot serves a boot request, bounding its compile by limit and ctx. A
// compile in this process cannot be stopped: one that runs past them is
// abandoned (it runs to its end in the background, which then closes the
// core) and boot returns a *DeadlineError for "compile", or ctx.Err().
// Start, once compiled, is the engine's to stop.
func (l *DirectLink) boot(ctx context.Context, msg []byte, limit time.Duration) error {
	if l.next == l.n {
		l.n, l.next = 0, 0
	}
	compiled := make(chan struct{})
	l.compiled = compiled
	done := make(chan error, 1)
	go func() { done <- l.srv.Handle(msg) }()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case err := <-done:
		return err
	case <-compiled:
		return <-done
	case <-timer.C:
	case <-ctx.Done():
	}
	l.abandoned = true
	go func() {
		<-done
		l.srv.Close()
	}()
	if err := ctx.Err(); err != nil {
		return err
	}
	return &DeadlineError{Func: "compile", Limit: limit}
}

// Recv returns the next reply; the request that caused it has already
// been served.
func (l *DirectLink) Recv(time.Duration) ([]byte, error) {
	if l.next == l.n {
		return nil, errors.New("guest: the core sent no reply")
	}
	msg := l.queue[l.next]
	l.next++
	return msg, nil
}

// Prepare has nothing to do.
func (l *DirectLink) Prepare(BootConfig) error { return nil }

// SharesMemory: the memory is this process's, and read in place where
// the engine gives a direct view of it (an engine with a method DirectView
// that says it does not makes results carry the frame instead).
func (l *DirectLink) SharesMemory() bool { return !l.copying }

// Memory is the cart's memory itself.
func (l *DirectLink) Memory(uint64) []byte {
	if l.abandoned {
		return nil
	}
	if c := l.srv.Core(); c != nil {
		return c.Memory().Bytes()
	}
	return nil
}

// Calling: the engine names the call itself.
func (l *DirectLink) Calling() string { return "" }

// Kill does nothing: a call in this process cannot be stopped from
// outside.
func (l *DirectLink) Kill() {}

// Broken cannot happen to a direct call.
func (l *DirectLink) Broken(during string, err error) error { return err }

// Close closes the core; that of an abandoned boot closes when its
// compile ends.
func (l *DirectLink) Close() error {
	if l.abandoned {
		return nil
	}
	return l.srv.Close()
}
