package guest

import (
	"errors"
	"fmt"
	"time"
)

// ErrClosed is returned by every call on a cart after Close.
var ErrClosed = errors.New("guest: cart is closed")

// CallError reports a cart export that trapped: the message and, where the
// engine gives one, the wasm stack with function names.
type CallError struct {
	Func  string // the export called: "update", "start", ...
	Frame uint32 // updates run before the trap
	Err   error
}

// Error says which export trapped and how.
func (e *CallError) Error() string { return fmt.Sprintf("guest: %s trapped: %v", e.Func, e.Err) }

// Unwrap returns the engine's error.
func (e *CallError) Unwrap() error { return e.Err }

// DeadlineError reports a cart call that ran past its time limit; the cart
// was stopped.
type DeadlineError struct {
	Func  string
	Frame uint32
	Limit time.Duration
	// Ran, when set, is how long the call had run when it was stopped: a
	// player who waited (the not-responding prompt) let it run past Limit.
	Ran time.Duration
}

// Error says which call ran past the limit, which setting that limit is,
// and for how long the call ran.
func (e *DeadlineError) Error() string {
	if e.Ran > e.Limit {
		return fmt.Sprintf("guest: %s did not return within %v (%s; stopped after it ran %v)", e.Func, e.Limit, e.Setting(), e.Ran.Round(100*time.Millisecond))
	}
	return fmt.Sprintf("guest: %s did not return within %v (%s)", e.Func, e.Limit, e.Setting())
}

// Setting names the setting whose limit the call ran past, as the command
// line's flag and the page's URL parameter spell it: compile-limit for the
// compile, start-limit for the calls of a boot (framebuffer's too, before
// the first update) and for save states, cpu-limit for those of an update.
func (e *DeadlineError) Setting() string {
	switch e.Func {
	case "compile":
		return "compile-limit"
	case "instantiate", StartSectionCall, exportInitialize, exportStartCmd, exportStart, "boot", "save state", "load state":
		return "start-limit"
	case exportFramebuffer:
		if e.Frame == 0 {
			return "start-limit"
		}
	}
	return "cpu-limit"
}

// NotRespondingError reports an update that has run past its limit and
// runs on (Limits.Lenient): the cart is not stopped, and may yet answer.
type NotRespondingError struct {
	Func    string
	Frame   uint32        // updates run before this one
	Limit   time.Duration // the limit it overran
	Running time.Duration // how long it has run
}

// Error says which call runs on, and for how long.
func (e *NotRespondingError) Error() string {
	return fmt.Sprintf("guest: %s has not returned for %.1fs (limit %v): the cart is not responding", e.Func, e.Running.Seconds(), e.Limit)
}

// ExitError reports a cart that ended itself with WASI proc_exit.
type ExitError struct {
	Func  string
	Frame uint32
	Code  uint32
}

// Error gives the exit status.
func (e *ExitError) Error() string {
	return fmt.Sprintf("guest: cart exited with status %d (in %s)", e.Code, e.Func)
}

// WorkerError reports a worker (the process or Web Worker a cart runs in)
// that ended or broke its protocol while the host waited for it.
type WorkerError struct {
	During string // the request it was serving: "boot", "update", ...
	// Status says how it ended, e.g. "signal: killed" or "exit status 2",
	// or what was wrong with what it sent.
	Status string
	// Output is the end of what it wrote to standard error, if anything.
	Output string
	// Fix, when set, says what to do, in place of the usual advice.
	Fix string
	// OtherBuild: the worker answered the handshake, as a program of
	// another protocol or build. A new worker, started from the same
	// files, would be too.
	OtherBuild bool
}

// Error says what happened to the worker.
func (e *WorkerError) Error() string {
	s := fmt.Sprintf("guest: the cart's worker ended during %s (%s)", e.During, e.Status)
	switch {
	case e.Fix != "":
		s += ": " + e.Fix
	case e.During == "handshake":
		s += ": " + handshakeAdvice
	}
	if e.Output != "" {
		s += ":\n" + e.Output
	}
	return s
}

// FrameError reports a frame descriptor or input block the cart pointed to
// that breaks the ABI; the cart was stopped.
type FrameError struct {
	Frame uint32
	Err   error
}

// Error describes what is wrong with the frame.
func (e *FrameError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *FrameError) Unwrap() error { return e.Err }

// outOfRange is the message for a memory access a cart asked for that
// does not fit.
func outOfRange(addr uint32, n int, size uint64) error {
	return fmt.Errorf("0x%x+%d bytes end past memory size %d", addr, n, size)
}
