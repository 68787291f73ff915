package guest

import (
	"encoding/binary"

	"github.com/ebicart/ebicart/wasm4"
)

// WASM-4 mode's tick: the host writes the gamepads and the mouse into the
// memory map, clears the framebuffer unless the cart asked to keep it
// (SYSTEM_FLAGS bit 0), runs update, and shows the framebuffer.

// w4Buttons converts ABI v1 button bits to a WASM-4 gamepad byte: B (the X
// key) is WASM-4's button 1 ("X"), A (the Z key) its button 2 ("Z").
func w4Buttons(b uint32) byte {
	var g byte
	if b&ButtonB != 0 {
		g |= wasm4.ButtonX
	}
	if b&ButtonA != 0 {
		g |= wasm4.ButtonZ
	}
	if b&ButtonLeft != 0 {
		g |= wasm4.ButtonLeft
	}
	if b&ButtonRight != 0 {
		g |= wasm4.ButtonRight
	}
	if b&ButtonUp != 0 {
		g |= wasm4.ButtonUp
	}
	if b&ButtonDown != 0 {
		g |= wasm4.ButtonDown
	}
	return g
}

func clampI16(v int32) uint16 { return uint16(int16(max(-32768, min(32767, v)))) }

var zeroFramebuffer [wasm4.FramebufferSize]byte

// frameFlags tell a worker what a tick calls (frameCaller).
type frameFlags byte

const (
	frameInput       frameFlags = 1 << 0 // call input() and write the block
	frameUpdate      frameFlags = 1 << 1 // call update()
	frameFramebuffer frameFlags = 1 << 2 // call framebuffer() and return it
)

func (c *cart) updateWASM4(in Input) error {
	var io [wasm4.AddrSystemFlags - wasm4.AddrGamepad1]byte // 0x16..0x1e
	io[0] = w4Buttons(in.Buttons)
	for i, p := range in.Players {
		io[1+i] = w4Buttons(p)
	}
	binary.LittleEndian.PutUint16(io[wasm4.AddrMouseX-wasm4.AddrGamepad1:], clampI16(in.MouseX))
	binary.LittleEndian.PutUint16(io[wasm4.AddrMouseY-wasm4.AddrGamepad1:], clampI16(in.MouseY))
	io[wasm4.AddrMouseButtons-wasm4.AddrGamepad1] = byte(in.MouseButtons & 7)
	if err := c.inst.write(wasm4.AddrGamepad1, io[:]); err != nil {
		return err
	}
	var flags [1]byte
	if err := c.inst.read(wasm4.AddrSystemFlags, flags[:]); err != nil {
		return err
	}
	if flags[0]&wasm4.SystemPreserveFramebuffer == 0 {
		if err := c.inst.write(wasm4.AddrFramebuffer, zeroFramebuffer[:]); err != nil {
			return err
		}
	}
	if c.ex.update {
		if fc, ok := c.inst.(frameCaller); ok {
			if _, err := fc.frame(&c.in, frameUpdate); err != nil {
				return err
			}
		} else if _, err := c.inst.call(fnUpdate); err != nil {
			return err
		}
	}
	c.frames++
	c.takeTones()
	if err := c.inst.read(wasm4.AddrSystemFlags, flags[:]); err != nil {
		return err
	}
	c.w4flags = flags[0]
	return c.useDescriptor(w4Descriptor)
}

func (c *cart) SystemFlags() byte { return c.w4flags }
