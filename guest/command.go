package guest

import (
	"errors"
	"strings"

	"github.com/ebicart/ebicart/internal/wasmbin"
)

// commandAdvice is what a cart built as a WASI command is told when its
// boot fails: its exports may need _start to have run (a Go command's
// runtime does), and ebicart calls a reactor's _initialize instead.
const commandAdvice = "the cart is a WASI command (it exports _start, not _initialize), and ebicart does not call _start: " +
	"build it as a reactor (Go: GOOS=wasip1 go build -buildmode=c-shared; Rust, C, Zig: a library with no entry point; see docs/abi.md)"

// commandHint adds commandAdvice to err, a boot's error, when the cart
// trapped or exited at boot and is a WASI command: an ABI v1 cart (its
// memory its own) that exports _start and not _initialize. A WASM-4 cart's
// _start is called, and any other failure is not the build's.
func commandHint(wasm []byte, err error) error {
	var ce *CallError
	var ee *ExitError
	if !errors.As(err, &ce) && !errors.As(err, &ee) {
		return err
	}
	m, perr := wasmbin.Interface(wasm)
	if perr != nil {
		return err
	}
	_, start := m.Export(exportStartCmd)
	_, initialize := m.Export(exportInitialize)
	if !start || initialize || m.ImportedMemories() > 0 {
		return err
	}
	return &hintedError{err: err, hint: commandAdvice}
}

// hintedError is err with advice after its first line (a trap's stack
// trace follows that line). errors.As and errors.Is see err.
type hintedError struct {
	err  error
	hint string
}

// Error is err's first line, the advice, and err's other lines.
func (h *hintedError) Error() string {
	first, rest, more := strings.Cut(h.err.Error(), "\n")
	s := first + ": " + h.hint
	if more {
		s += "\n" + rest
	}
	return s
}

// Unwrap returns the error the advice is for.
func (h *hintedError) Unwrap() error { return h.err }
