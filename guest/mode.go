package guest

import (
	"fmt"

	"github.com/ebicart/ebicart/framebuffer"
	"github.com/ebicart/ebicart/internal/wasmbin"
	"github.com/ebicart/ebicart/wasm4"
)

// Mode is the ABI a cart is run with.
type Mode int

const (
	// ModeAuto runs a cart that imports env.memory in WASM-4 mode and any
	// other in ABI v1 mode.
	ModeAuto Mode = iota
	// ModeABI1 is ebicart's own ABI (see the package documentation).
	ModeABI1
	// ModeWASM4 runs WASM-4 cartridges unchanged: the host provides the
	// 64 KiB memory with the WASM-4 memory map, the env drawing, sound,
	// storage and trace functions, and shows the 160x160 2-bit framebuffer.
	ModeWASM4
)

// String names the mode as the -mode flag spells it.
func (m Mode) String() string {
	switch m {
	case ModeABI1:
		return "abi1"
	case ModeWASM4:
		return "wasm4"
	}
	return "auto"
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

// detectMode is the mode a cart runs in under ModeAuto: a WASM-4 cart
// imports its memory as env.memory (some import no function at all).
func detectMode(m *wasmbin.Module) Mode {
	for _, im := range m.Imports {
		if im.Module == "env" && im.Name == "memory" && im.Kind == wasmbin.KindMemory {
			return ModeWASM4
		}
	}
	return ModeABI1
}

// w4Module is the import module of the WASM-4 functions.
const w4Module = "env"

// w4Functions are WASM-4's env functions and their signatures.
var w4Functions = map[string]wasmbin.FuncType{
	"blit":       sig("iiiiii "),
	"blitSub":    sig("iiiiiiiii "),
	"line":       sig("iiii "),
	"hline":      sig("iii "),
	"vline":      sig("iii "),
	"oval":       sig("iiii "),
	"rect":       sig("iiii "),
	"text":       sig("iii "),
	"textUtf8":   sig("iiii "),
	"textUtf16":  sig("iiii "),
	"tone":       sig("iiii "),
	"diskr":      sig("ii i"),
	"diskw":      sig("ii i"),
	"trace":      sig("i "),
	"traceUtf8":  sig("ii "),
	"traceUtf16": sig("ii "),
	"tracef":     sig("ii "),
}

// w4Descriptor describes the WASM-4 framebuffer to package framebuffer:
// 160x160, 2 bits per pixel, leftmost in the low bits, palette at 0x04.
var w4Descriptor = framebuffer.Descriptor{
	Format:  framebuffer.Indexed2,
	Width:   wasm4.Width,
	Height:  wasm4.Height,
	Pixels:  wasm4.AddrFramebuffer,
	Palette: wasm4.AddrPalette,
}

// checkWASM4 checks a cart for WASM-4 mode: its imports (env.memory of at
// most one page, env functions with their standard signatures, WASI) and
// its optional exports, all () -> ().
func checkWASM4(m *wasmbin.Module) (exports, error) {
	var ex exports
	for _, im := range m.Imports {
		switch {
		case im.Module == w4Module && im.Name == "memory" && im.Kind == wasmbin.KindMemory:
			if im.Memory.Min > 1 || im.Memory.Is64 || im.Memory.Shared {
				return ex, fmt.Errorf("guest: import \"env\".\"memory\" asks for %d pages: WASM-4 carts get exactly one (64 KiB)", im.Memory.Min)
			}
		case im.Module == w4Module:
			want, ok := w4Functions[im.Name]
			if !ok || im.Kind != wasmbin.KindFunc {
				return ex, fmt.Errorf("guest: import %q.%q (%s) is not a WASM-4 function: this host provides blit, blitSub, line, hline, vline, oval, rect, text, textUtf8, textUtf16, tone, diskr, diskw, trace, traceUtf8, traceUtf16 and tracef", im.Module, im.Name, im.Kind)
			}
			if !im.Func.Equal(want) {
				return ex, fmt.Errorf("guest: import \"env\".%q has type %s, WASM-4 declares %s", im.Name, im.Func, want)
			}
		default:
			if err := checkImport(im); err != nil {
				return ex, err
			}
		}
	}
	if l, ok := m.Memory(); ok && l.Is64 {
		return ex, fmt.Errorf("guest: memory is 64-bit (memory64): a cart must be a wasm32 module")
	}
	for _, name := range []string{exportStart, exportUpdate, exportInitialize, exportStartCmd} {
		e, ok := m.Export(name)
		if !ok {
			continue
		}
		if e.Kind != wasmbin.KindFunc || !e.Func.Equal(sigVoid) {
			return ex, fmt.Errorf("guest: export %q has type %s, want () -> ()", name, e.Func)
		}
		switch name {
		case exportStart:
			ex.start = true
		case exportUpdate:
			ex.update = true
		case exportInitialize:
			ex.initialize = true
		case exportStartCmd:
			ex.startCmd = true
		}
	}
	return ex, nil
}
