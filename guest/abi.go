package guest

import (
	"encoding/binary"
	"fmt"

	"github.com/ebicart/ebicart/framebuffer"
	"github.com/ebicart/ebicart/guest/engine"
	"github.com/ebicart/ebicart/internal/safetext"
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

// NoPointer in both Input.MouseX and MouseY means no pointer is over the
// cart (yet): ABI v1 carts read -1 and -1, WASM-4 carts 0x7fff as on the
// console.
const NoPointer = 0x7fff

// NoInput is the input of an update when nothing is pressed and no
// pointer is over the cart: the input of a first update the core runs as
// it boots (BootConfig.TickAhead).
var NoInput = Input{MouseX: NoPointer, MouseY: NoPointer}

// Input is the state the host writes into the cart's input block before
// each update. See docs/abi.md for the memory layout.
type Input struct {
	Buttons      uint32
	MouseX       int32 // framebuffer pixels; may lie outside the frame
	MouseY       int32
	MouseButtons uint32
	// Frame is the number of updates before this one. The core fills it
	// in; the value given to a tick is ignored.
	Frame  uint32
	WheelX int32 // notches since the last update
	WheelY int32
	// Players holds the buttons of players 2 to 4, in the bits of
	// Buttons: WASM-4 carts see them in GAMEPAD2..4. ABI v1 carts see
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
	exportStartCmd    = "_start"
)

// Export names the core calls, for systems.
const (
	ExportUpdate     = exportUpdate
	ExportStart      = exportStart
	ExportInitialize = exportInitialize
	ExportStartCmd   = exportStartCmd
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

// hostSignatures are the functions of module "ebicart" with their
// signatures.
var hostSignatures = map[string]string{
	"log":        "ii ",
	"disk_read":  "ii i",
	"disk_write": "ii i",
}

// IsCoreImport reports whether im is one the core itself provides (WASI
// and module "ebicart"), which it checks before a system sees the rest.
func IsCoreImport(im wasmbin.Import) bool {
	return im.Module == HostModule || im.Module == WASIModule
}

// checkCoreImport checks an import of module "ebicart" or WASI against
// the functions the core provides.
func checkCoreImport(im wasmbin.Import) error {
	var s string
	var ok bool
	switch im.Module {
	case HostModule:
		s, ok = hostSignatures[im.Name]
	case WASIModule:
		s, ok = wasiSignatures[im.Name]
	}
	if !ok || im.Kind != wasmbin.KindFunc {
		return UnknownImport(im, "a cart may import only ebicart.log, ebicart.disk_read, ebicart.disk_write and the wasi_snapshot_preview1 functions")
	}
	if want := Sig(s); !im.Func.Equal(want) {
		return fmt.Errorf("guest: import %s.%s has type %s, want %s", safetext.Name(im.Module), safetext.Name(im.Name), im.Func, want)
	}
	return nil
}

// UnknownImport is the error for an import the host does not provide; help
// says what it does provide.
func UnknownImport(im wasmbin.Import, help string) error {
	what := im.Kind.String()
	if im.Kind == wasmbin.KindFunc {
		what = "function " + im.Func.String()
	}
	return fmt.Errorf("guest: import %s.%s (%s) is not provided by the host: %s", safetext.Name(im.Module), safetext.Name(im.Name), what, help)
}

// CheckMemory refuses a 64-bit memory.
func CheckMemory(m *wasmbin.Module) error {
	if l, ok := m.Memory(); ok && l.Is64 {
		return fmt.Errorf("guest: memory is 64-bit (memory64): a cart must be a wasm32 module")
	}
	return nil
}

// wasm4Hint ends the errors for a cart that may be a WASM-4 cart linked
// without --import-memory, which ABI v1's checks see.
const wasm4Hint = `; if this is a WASM-4 cart, it must import its memory ("env"."memory"): link it with --import-memory`

// abi1 is ABI v1 as a System.
type abi1 struct {
	input bool // the cart exports input()
	block [InputSize]byte
	dbuf  [framebuffer.DescriptorSize]byte
}

func (*abi1) Mode() Mode                                { return ModeABI1 }
func (*abi1) Detect(*wasmbin.Module) bool               { return true }
func (*abi1) Funcs(Host) []engine.HostFunc              { return nil }
func (*abi1) Memory(SystemOptions) *engine.MemoryImport { return nil }

func (a *abi1) Check(m *wasmbin.Module) (Exports, error) {
	var ex Exports
	for _, im := range m.Imports {
		if IsCoreImport(im) {
			continue
		}
		if im.Kind == wasmbin.KindMemory && im.Module == "env" && im.Name == "memory" {
			return ex, fmt.Errorf(`guest: import "env"."memory": a WASM-4 cart run as ABI v1; run it in WASM-4 mode (set mode to wasm4 or auto)`)
		}
		help := "a cart may import only ebicart.log, ebicart.disk_read, ebicart.disk_write and the wasi_snapshot_preview1 functions"
		if _, ok := m.Export(exportFramebuffer); !ok && im.Module == "env" {
			// WASM-4's functions, in a cart linked without
			// --import-memory: it has no framebuffer() either.
			help += wasm4Hint
		}
		return ex, UnknownImport(im, help)
	}
	mem, ok := m.Export(exportMemory)
	switch {
	case !ok:
		return ex, fmt.Errorf(`guest: export "memory" missing: a cart must export its linear memory as "memory"`)
	case mem.Kind != wasmbin.KindMemory:
		return ex, fmt.Errorf(`guest: export "memory" is a %s, want the cart's linear memory`, mem.Kind)
	}
	if err := CheckMemory(m); err != nil {
		return ex, err
	}
	for _, spec := range abiExports {
		e, ok := m.Export(spec.name)
		if !ok {
			if spec.required && spec.name == exportFramebuffer {
				// A WASM-4 cart linked without --import-memory has this
				// shape too, and is run as ABI v1 (it imports no memory).
				return ex, fmt.Errorf("guest: export %q missing: %s%s", spec.name, spec.help, wasm4Hint)
			}
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
			ex.Start = true
		case exportInitialize:
			ex.Initialize = true
		case exportInput:
			a.input = true
		}
	}
	return ex, nil
}

// Before writes the input block where input() says it is.
func (a *abi1) Before(h Host, in *Input) error {
	if !a.input {
		return nil
	}
	addr, err := h.Call(exportInput)
	if err != nil {
		return err
	}
	if in.MouseX == NoPointer && in.MouseY == NoPointer {
		in.MouseX, in.MouseY = -1, -1 // ABI v1's "no pointer over the frame"
	}
	in.Encode(&a.block)
	if !h.Memory().Write(uint32(addr), a.block[:]) {
		return &FrameError{Frame: h.FrameNumber(), Err: fmt.Errorf("guest: input block: %w: input() must return the address of %d bytes in memory", outOfRange(uint32(addr), InputSize, h.Memory().Size()), InputSize)}
	}
	return nil
}

// After reads the descriptor framebuffer() points to.
func (a *abi1) After(h Host) (framebuffer.Descriptor, uint8, error) {
	addr, err := h.Call(exportFramebuffer)
	if err != nil {
		return framebuffer.Descriptor{}, 0, err
	}
	if !h.Memory().Read(uint32(addr), a.dbuf[:]) {
		return framebuffer.Descriptor{}, 0, &FrameError{Frame: h.FrameNumber(), Err: fmt.Errorf("guest: frame descriptor: %w: framebuffer() must return the address of %d bytes in memory", outOfRange(uint32(addr), len(a.dbuf), h.Memory().Size()), len(a.dbuf))}
	}
	return framebuffer.DecodeDescriptor(a.dbuf[:]), 0, nil
}
