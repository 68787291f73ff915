package guest

import (
	"github.com/ebicart/ebicart/framebuffer"
	"github.com/ebicart/ebicart/guest/engine"
	"github.com/ebicart/ebicart/internal/wasmbin"
)

// A System is an ABI a cart can be written for: the imports it offers, the
// exports it expects, and what happens around each update. ABI v1 is built
// in; package wasm4 provides WASM-4. The core runs the same sequence for
// every system: before, update, after, then the frame check.
type System interface {
	// Mode is the mode the system implements.
	Mode() Mode
	// Detect reports whether a cart loaded under ModeAuto is written for
	// this system.
	Detect(m *wasmbin.Module) bool
	// Check checks the module against the system: every import must be
	// one the host provides (WASI and ebicart's are checked by the core
	// before; Check sees the others), and the exports must have the
	// system's signatures. The error says what is wrong.
	Check(m *wasmbin.Module) (Exports, error)
	// Funcs are the system's own host functions.
	Funcs(h Host) []engine.HostFunc
	// Memory is the memory the system gives the cart as an import, or nil
	// when the cart defines its own.
	Memory(opts SystemOptions) *engine.MemoryImport
	// Before runs before update with this update's input.
	Before(h Host, in *Input) error
	// After runs after update and returns the frame to show and the
	// system's flags for the host (see Result.Flags).
	After(h Host) (framebuffer.Descriptor, uint8, error)
}

// SystemOptions are the settings a system takes from the boot config.
type SystemOptions struct {
	Palette *[4]uint32 // WASM-4: replaces the power-on palette
}

// Exports are the optional exports a cart has, which the core calls at
// boot.
type Exports struct {
	Initialize bool // _initialize
	StartCmd   bool // _start (WASM-4 carts)
	Start      bool // start
}

// Host is what the core offers a system's functions.
type Host interface {
	// Memory is the cart's memory.
	Memory() engine.Memory
	// View returns the whole memory as bytes: a direct view where the
	// engine gives one, else a copy taken now. After changing bytes of a
	// copy, Commit writes them back.
	View() []byte
	// Commit writes back n bytes at addr of the slice View returned, when
	// it was a copy.
	Commit(addr, n uint32)
	// Call calls the cart's export name (no parameters) under the call's
	// deadline.
	Call(name string) (uint64, error)
	// Log writes one line to the cart's log.
	Log(line []byte)
	// DiskRead copies the saved data into memory at dest, at most size
	// bytes, and returns the number copied.
	DiskRead(dest, size uint32) (uint32, error)
	// DiskWrite saves at most DiskSize bytes from memory at src and
	// returns the number saved.
	DiskWrite(src, size uint32) (uint32, error)
	// Tone passes a tone to the host's sound chip.
	Tone(t Tone)
	// FrameNumber is the number of updates run before the current one.
	FrameNumber() uint32
}
