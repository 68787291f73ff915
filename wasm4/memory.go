package wasm4

import "encoding/binary"

// The WASM-4 memory map. A WASM-4 cart imports one page of memory (64 KiB)
// whose first 0x19a0 bytes are the console's registers and framebuffer;
// multi-byte registers are little-endian.
const (
	// MemorySize is the size of a WASM-4 cart's memory: exactly one
	// WebAssembly page.
	MemorySize = 65536

	// AddrPalette is the address of PALETTE, four uint32 colours 0x00RRGGBB
	// (blue in the low byte). Palette index i is PALETTE[i].
	AddrPalette = 0x04

	// AddrDrawColors is the address of DRAW_COLORS, a uint16 holding four
	// 4-bit draw colours, draw colour 1 in the low nibble. Each is 0 for
	// transparent or 1..4 for palette index 0..3.
	AddrDrawColors = 0x14

	// AddrGamepad1 is the address of GAMEPAD1, one byte of [ButtonX] and
	// friends; GAMEPAD2..4 follow at AddrGamepad2..AddrGamepad4.
	AddrGamepad1 = 0x16
	// AddrGamepad2 is the address of GAMEPAD2.
	AddrGamepad2 = 0x17
	// AddrGamepad3 is the address of GAMEPAD3.
	AddrGamepad3 = 0x18
	// AddrGamepad4 is the address of GAMEPAD4.
	AddrGamepad4 = 0x19

	// AddrMouseX is the address of MOUSE_X, an int16.
	AddrMouseX = 0x1a
	// AddrMouseY is the address of MOUSE_Y, an int16.
	AddrMouseY = 0x1c
	// AddrMouseButtons is the address of MOUSE_BUTTONS, one byte of
	// [MouseLeft], [MouseRight] and [MouseMiddle].
	AddrMouseButtons = 0x1e

	// AddrSystemFlags is the address of SYSTEM_FLAGS, one byte of
	// [SystemPreserveFramebuffer] and [SystemHideGamepadOverlay].
	AddrSystemFlags = 0x1f

	// AddrNetplay is the address of NETPLAY, one byte the console writes:
	// bits 0-1 the local player's index, bit 2 set while netplay is active.
	AddrNetplay = 0x20

	// AddrFramebuffer is the address of FRAMEBUFFER, [FramebufferSize]
	// bytes of 2-bit palette indices, see [Pixel].
	AddrFramebuffer = 0xa0

	// AddrProgramMemory is the first address the cart may use freely; it is
	// also the end of the framebuffer.
	AddrProgramMemory = AddrFramebuffer + FramebufferSize
)

// The screen.
const (
	// Width is the width of the screen in pixels.
	Width = 160
	// Height is the height of the screen in pixels.
	Height = 160
	// FramebufferSize is the size of the framebuffer in bytes: 2 bits per
	// pixel, 4 pixels per byte, rows of 40 bytes, the leftmost pixel of each
	// byte in its low bits.
	FramebufferSize = Width * Height / 4
)

// DefaultDrawColors is the value of DRAW_COLORS at power-on.
const DefaultDrawColors = 0x1203

// DefaultPalette returns the PALETTE at power-on, from light to dark.
func DefaultPalette() [4]uint32 { return [4]uint32{0xe0f8cf, 0x86c06c, 0x306850, 0x071821} }

// Gamepad bits of GAMEPAD1..GAMEPAD4.
const (
	// ButtonX is the X button (button 1).
	ButtonX = 1 << 0
	// ButtonZ is the Z button (button 2).
	ButtonZ = 1 << 1
	// ButtonLeft is the D-pad's left.
	ButtonLeft = 1 << 4
	// ButtonRight is the D-pad's right.
	ButtonRight = 1 << 5
	// ButtonUp is the D-pad's up.
	ButtonUp = 1 << 6
	// ButtonDown is the D-pad's down.
	ButtonDown = 1 << 7
)

// Mouse button bits of MOUSE_BUTTONS.
const (
	// MouseLeft is the left mouse button.
	MouseLeft = 1 << 0
	// MouseRight is the right mouse button.
	MouseRight = 1 << 1
	// MouseMiddle is the middle mouse button.
	MouseMiddle = 1 << 2
)

// SYSTEM_FLAGS bits.
const (
	// SystemPreserveFramebuffer keeps the framebuffer from one update to the
	// next instead of clearing it before each update.
	SystemPreserveFramebuffer = 1 << 0
	// SystemHideGamepadOverlay hides the touch-screen gamepad overlay.
	SystemHideGamepadOverlay = 1 << 1
)

// Flags of [Blit] and [BlitSub].
const (
	// Blit1BPP (no bit set) reads the sprite as 1 bit per pixel.
	Blit1BPP = 0
	// Blit2BPP reads the sprite as 2 bits per pixel.
	Blit2BPP = 1 << 0
	// BlitFlipX mirrors the sprite horizontally.
	BlitFlipX = 1 << 1
	// BlitFlipY mirrors the sprite vertically.
	BlitFlipY = 1 << 2
	// BlitRotate rotates the sprite 90 degrees anti-clockwise, after any
	// flip.
	BlitRotate = 1 << 3
)

// NoMouse is MOUSE_X and MOUSE_Y at power-on and until a pointer has moved
// over the game: a position far off the screen.
const NoMouse = 0x7fff

// Reset writes the WASM-4 power-on state into the first [AddrProgramMemory]
// bytes of mem, as WASM-4's runtimes do: the [DefaultPalette], DRAW_COLORS
// [DefaultDrawColors], MOUSE_X and MOUSE_Y [NoMouse], and zero everywhere
// else (gamepads, mouse buttons, SYSTEM_FLAGS, NETPLAY, the reserved bytes,
// the framebuffer). Program memory is left alone. It does nothing if mem
// is shorter than [AddrProgramMemory].
func Reset(mem []byte) {
	if len(mem) < AddrProgramMemory {
		return
	}
	clear(mem[:AddrProgramMemory])
	for i, c := range DefaultPalette() {
		binary.LittleEndian.PutUint32(mem[AddrPalette+4*i:], c)
	}
	binary.LittleEndian.PutUint16(mem[AddrDrawColors:], DefaultDrawColors)
	binary.LittleEndian.PutUint16(mem[AddrMouseX:], NoMouse)
	binary.LittleEndian.PutUint16(mem[AddrMouseY:], NoMouse)
}

// ClearFramebuffer sets every pixel to palette index 0, as the console does
// before each update unless [SystemPreserveFramebuffer] is set. It does
// nothing if mem is shorter than [AddrProgramMemory].
func ClearFramebuffer(mem []byte) {
	if len(mem) < AddrProgramMemory {
		return
	}
	clear(mem[AddrFramebuffer:AddrProgramMemory])
}

// Pixel returns the palette index (0..3) of the framebuffer pixel at (x, y),
// or 0 when (x, y) is off the screen or mem is shorter than
// [AddrProgramMemory].
func Pixel(mem []byte, x, y int) uint8 {
	if x < 0 || x >= Width || y < 0 || y >= Height || len(mem) < AddrProgramMemory {
		return 0
	}
	i := y*Width + x
	return mem[AddrFramebuffer+i>>2] >> (uint(i&3) * 2) & 3
}

// DrawColors returns DRAW_COLORS, or 0 if mem is too short to hold it.
func DrawColors(mem []byte) uint16 {
	if len(mem) < AddrDrawColors+2 {
		return 0
	}
	return binary.LittleEndian.Uint16(mem[AddrDrawColors:])
}

// Palette returns the four PALETTE colours, 0x00RRGGBB (the top byte as the
// cart left it), or zeros if mem is too short to hold them.
func Palette(mem []byte) [4]uint32 {
	var p [4]uint32
	if len(mem) < AddrPalette+16 {
		return p
	}
	for i := range p {
		p[i] = binary.LittleEndian.Uint32(mem[AddrPalette+4*i:])
	}
	return p
}
