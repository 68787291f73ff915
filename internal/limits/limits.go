// Package limits holds the bounds of a cart's limits, which package cart's
// Options and the command line's flags (and the page's URL parameters,
// parsed as flags) share: one check, one message each. Each function
// returns why a value is out of bounds; the caller names the setting
// ("-max-memory 4096MiB: ...", "cart: Options.MaxMemory is ...: ...").
package limits

import (
	"errors"
	"fmt"
	"time"
)

const (
	// MinDuration is the least time limit (a cart's CPU, start and
	// compile limits): below a millisecond a limit is no limit, timers (a
	// browser's above all) being coarser than that, and a worker's round
	// trip longer.
	MinDuration = time.Millisecond
	// MaxMemory is the largest cap on a cart's memory: 65535 pages. A
	// wasm32 memory of 4 GiB cannot be addressed to its last byte.
	MaxMemory = 65535 << 16
	// MaxCartSize is the largest cap on a cart's size: 4 GiB, the most a
	// wasm32 module is read with.
	MaxCartSize = 4 << 30
)

// CPU says what is wrong with d as the limit of an update.
func CPU(d time.Duration) error { return duration(d, "500ms") }

// Start says what is wrong with d as the limit of a cart's start-up.
func Start(d time.Duration) error { return duration(d, "10s") }

// Compile says what is wrong with d as the limit of a cart's compile.
func Compile(d time.Duration) error { return duration(d, "20s") }

// duration says what is wrong with d as a time limit; example is one
// that would do.
func duration(d time.Duration, example string) error {
	if d < MinDuration {
		return fmt.Errorf("want a duration of 1ms or more, such as %s", example)
	}
	return nil
}

// Memory says what is wrong with n bytes as a cap on a cart's memory.
func Memory(n uint64) error {
	if n > MaxMemory {
		return errors.New("at most 4095.9375MiB (65535 pages): a wasm32 memory of 4GiB cannot be addressed to its last byte")
	}
	return nil
}

// CartSize says what is wrong with n bytes as a cap on a cart's size.
func CartSize(n uint64) error {
	if n > MaxCartSize {
		return errors.New("at most 4GiB, the most a cart is read with")
	}
	return nil
}
