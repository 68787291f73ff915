package guest

import (
	"fmt"
	"strconv"
)

// Mode is the ABI a cart is run with.
type Mode int

const (
	// ModeAuto runs a cart that a System detects (WASM-4: it imports
	// env.memory) with that system, any other as ABI v1.
	ModeAuto Mode = iota
	// ModeABI1 is ebicart's own ABI (docs/abi.md).
	ModeABI1
	// ModeWASM4 runs WASM-4 cartridges unchanged (package wasm4).
	ModeWASM4
)

// String names the mode as the -mode flag spells it.
func (m Mode) String() string {
	switch m {
	case ModeABI1:
		return "abi1"
	case ModeWASM4:
		return "wasm4"
	case ModeAuto:
		return "auto"
	}
	return "Mode(" + strconv.Itoa(int(m)) + ")"
}

// ParseMode reads a -mode flag value: auto, abi1 or wasm4.
func ParseMode(s string) (Mode, error) {
	for _, m := range []Mode{ModeAuto, ModeABI1, ModeWASM4} {
		if s == m.String() {
			return m, nil
		}
	}
	return 0, fmt.Errorf("mode %q: want auto, abi1 or wasm4", s)
}
