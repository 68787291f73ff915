package guest

import (
	"encoding/binary"
	"fmt"

	"github.com/ebicart/ebicart/internal/wasmbin"
)

// ABIVersion is the version of the cart ABI this package implements.
const ABIVersion = 1

// HostModule is the import module name of the functions ebicart offers.
const HostModule = "ebicart"

// Buttons are the bits of [Input.Buttons].
const (
	ButtonLeft   = 1 << 0
	ButtonRight  = 1 << 1
	ButtonUp     = 1 << 2
	ButtonDown   = 1 << 3
	ButtonA      = 1 << 4
	ButtonB      = 1 << 5
	ButtonStart  = 1 << 6
	ButtonSelect = 1 << 7
)

// Mouse buttons are the bits of [Input.MouseButtons].
const (
	MouseLeft   = 1 << 0
	MouseRight  = 1 << 1
	MouseMiddle = 1 << 2
)

// InputSize is the size in bytes of the input block in cart memory.
const InputSize = 32

// Input is the state the host writes into the cart's input block before
// each update. See the package documentation for the memory layout.
type Input struct {
	Buttons      uint32
	MouseX       int32 // framebuffer pixels; may lie outside the frame
	MouseY       int32
	MouseButtons uint32
	// Frame is the number of updates before this one. The host fills it
	// in; the value passed to Cart.Update is ignored.
	Frame  uint32
	WheelX int32 // notches since the last update
	WheelY int32
	// Players holds the buttons of players 2 to 4, in the bits of
	// Buttons: WASM-4 mode shows them in GAMEPAD2..4. ABI v1 carts see
	// player 1 only.
	Players [3]uint32
}

// Encode writes the input block layout into b.
func (in Input) Encode(b *[InputSize]byte) {
	binary.LittleEndian.PutUint32(b[0:], in.Buttons)
	binary.LittleEndian.PutUint32(b[4:], uint32(in.MouseX))
	binary.LittleEndian.PutUint32(b[8:], uint32(in.MouseY))
	binary.LittleEndian.PutUint32(b[12:], in.MouseButtons)
	binary.LittleEndian.PutUint32(b[16:], in.Frame)
	binary.LittleEndian.PutUint32(b[20:], uint32(in.WheelX))
	binary.LittleEndian.PutUint32(b[24:], uint32(in.WheelY))
	binary.LittleEndian.PutUint32(b[28:], 0)
}

// The exports of ABI v1.
const (
	exportMemory      = "memory"
	exportUpdate      = "update"
	exportFramebuffer = "framebuffer"
	exportStart       = "start"
	exportInitialize  = "_initialize"
	exportInput       = "input"
	exportStartCmd    = "_start" // WASM-4 mode only
)

var (
	sigVoid      = wasmbin.FuncType{}
	sigReturnI32 = wasmbin.FuncType{Results: []wasmbin.ValType{wasmbin.I32}}
)

// exportSpec is what the ABI says of one export.
type exportSpec struct {
	name     string
	sig      wasmbin.FuncType
	required bool
	help     string // what the function is for, for the error message
}

var abiExports = []exportSpec{
	{exportUpdate, sigVoid, true, "a cart must export update() -> (), called 60 times a second"},
	{exportFramebuffer, sigReturnI32, true, "a cart must export framebuffer() -> i32, returning the address of its frame descriptor"},
	{exportStart, sigVoid, false, "start() -> () is called once before the first update"},
	{exportInitialize, sigVoid, false, "_initialize() -> () is called first of all"},
	{exportInput, sigReturnI32, false, "input() -> i32 returns the address of the 32-byte input block"},
}

// hostFunctions are the functions of module "ebicart" with their signatures.
var hostFunctions = map[string]wasmbin.FuncType{
	"log":        sig("ii "),
	"disk_read":  sig("ii i"),
	"disk_write": sig("ii i"),
}

// exports records which optional exports a cart has.
type exports struct {
	start, initialize, input bool
	update                   bool // optional in WASM-4 mode
	startCmd                 bool // _start, WASM-4 mode
}

// checkABI checks a parsed module against ABI v1: its exports by name and
// signature, and every import against what the host provides. Both hosts
// call it before they instantiate anything, so a cart is refused with the
// same message everywhere.
func checkABI(m *wasmbin.Module) (exports, error) {
	var ex exports
	for _, im := range m.Imports {
		if err := checkImport(im); err != nil {
			return ex, err
		}
	}
	mem, ok := m.Export(exportMemory)
	switch {
	case !ok:
		return ex, fmt.Errorf(`guest: export "memory" missing: a cart must export its linear memory as "memory"`)
	case mem.Kind != wasmbin.KindMemory:
		return ex, fmt.Errorf(`guest: export "memory" is a %s, want the cart's linear memory`, mem.Kind)
	}
	if l, ok := m.Memory(); ok && l.Is64 {
		return ex, fmt.Errorf("guest: memory is 64-bit (memory64): a cart must be a wasm32 module")
	}
	for _, spec := range abiExports {
		e, ok := m.Export(spec.name)
		if !ok {
			if spec.required {
				return ex, fmt.Errorf("guest: export %q missing: %s", spec.name, spec.help)
			}
			continue
		}
		if e.Kind != wasmbin.KindFunc {
			return ex, fmt.Errorf("guest: export %q is a %s, want a function %s", spec.name, e.Kind, spec.sig)
		}
		if !e.Func.Equal(spec.sig) {
			return ex, fmt.Errorf("guest: export %q has type %s, want %s: %s", spec.name, e.Func, spec.sig, spec.help)
		}
		switch spec.name {
		case exportStart:
			ex.start = true
		case exportInitialize:
			ex.initialize = true
		case exportInput:
			ex.input = true
		}
	}
	ex.update = true
	return ex, nil
}

func checkImport(im wasmbin.Import) error {
	var want wasmbin.FuncType
	var ok bool
	switch im.Module {
	case HostModule:
		want, ok = hostFunctions[im.Name]
	case WASIModule:
		var s string
		if s, ok = wasiSignatures[im.Name]; ok {
			want = sig(s)
		}
	}
	if im.Kind == wasmbin.KindMemory && im.Module == "env" && im.Name == "memory" {
		return fmt.Errorf(`guest: import "env"."memory": a WASM-4 cart run as ABI v1; run it in WASM-4 mode (-mode wasm4 or auto)`)
	}
	if !ok || im.Kind != wasmbin.KindFunc {
		what := im.Kind.String()
		if im.Kind == wasmbin.KindFunc {
			what = "function " + im.Func.String()
		}
		return fmt.Errorf("guest: import %q.%q (%s) is not provided by the host: a cart may import only ebicart.log, ebicart.disk_read, ebicart.disk_write and the wasi_snapshot_preview1 functions", im.Module, im.Name, what)
	}
	if !im.Func.Equal(want) {
		return fmt.Errorf("guest: import %q.%q has type %s, want %s", im.Module, im.Name, im.Func, want)
	}
	return nil
}
