package cart

import (
	"errors"
	"fmt"

	"github.com/ebicart/ebicart/guest"
)

// ErrClosed is returned by a cart's methods after Close.
var ErrClosed = guest.ErrClosed

// The errors that stop a cart. Load and Update return them wrapped in an
// *Error; use errors.As to tell them apart.
type (
	// TrapError is an export that trapped, with the message and, where
	// the engine gives one, the wasm stack.
	TrapError = guest.CallError
	// DeadlineError is a call that ran past its limit; the cart was
	// stopped.
	DeadlineError = guest.DeadlineError
	// NotRespondingError is an update that runs past CPULimit in a cart
	// with Options.Interactive: the cart runs on until Wait or Stop.
	NotRespondingError = guest.NotRespondingError
	// ExitError is a cart that ended itself with WASI proc_exit.
	ExitError = guest.ExitError
	// WorkerError is a worker process or Web Worker that ended or broke
	// its protocol, with how it ended.
	WorkerError = guest.WorkerError
	// FrameError is a frame descriptor or input block that breaks the
	// ABI.
	FrameError = guest.FrameError
)

// OtherCartError is a replay given to a cart other than the one it
// recorded (Options.Replay): a setting to fix, not a fault of the cart.
type OtherCartError struct {
	Replay, Cart string // the hex SHA-256 of the cart the replay recorded, of the cart given
}

// Error names the two carts by their hashes.
func (e *OtherCartError) Error() string {
	return fmt.Sprintf("cart: replay is for cart sha256:%s, this cart is sha256:%s", e.Replay, e.Cart)
}

// Error is what stopped a cart, or kept it from loading, with the engine
// it ran on. Its message is the cause's.
type Error struct {
	Engine string // "process", "inprocess", "browser"
	Err    error
}

// Error returns the cause's message.
func (e *Error) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// wrap gives err the engine's name, once.
func wrap(engine string, err error) error {
	var ce *Error
	if err == nil || errors.As(err, &ce) || errors.Is(err, ErrClosed) {
		return err
	}
	return &Error{Engine: engine, Err: err}
}

// EngineOf returns the name of the engine an error of a cart ran on, ""
// when it did not come from a cart.
func EngineOf(err error) string {
	var ce *Error
	if errors.As(err, &ce) {
		return ce.Engine
	}
	return ""
}
