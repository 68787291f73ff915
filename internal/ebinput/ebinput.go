// Package ebinput reads Ebitengine's keyboard, mouse, touch and gamepad
// state into the cart ABI's input block, with the default key map. The
// ebicart app and the embedding API (package cart) share it.
package ebinput

import (
	"math"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/ebicart/ebicart/guest"
)

// keyMap lists the default keys of each ABI button.
var keyMap = []struct {
	button uint32
	keys   []ebiten.Key
}{
	{guest.ButtonLeft, []ebiten.Key{ebiten.KeyArrowLeft, ebiten.KeyA}},
	{guest.ButtonRight, []ebiten.Key{ebiten.KeyArrowRight, ebiten.KeyD}},
	{guest.ButtonUp, []ebiten.Key{ebiten.KeyArrowUp, ebiten.KeyW}},
	{guest.ButtonDown, []ebiten.Key{ebiten.KeyArrowDown, ebiten.KeyS}},
	{guest.ButtonA, []ebiten.Key{ebiten.KeyZ, ebiten.KeyJ}},
	{guest.ButtonB, []ebiten.Key{ebiten.KeyX, ebiten.KeyK}},
	{guest.ButtonStart, []ebiten.Key{ebiten.KeyEnter, ebiten.KeyNumpadEnter}},
	{guest.ButtonSelect, []ebiten.Key{ebiten.KeyShiftLeft, ebiten.KeyShiftRight}},
}

// padMap maps the standard gamepad layout onto the ABI buttons.
var padMap = []struct {
	button uint32
	pad    ebiten.StandardGamepadButton
}{
	{guest.ButtonLeft, ebiten.StandardGamepadButtonLeftLeft},
	{guest.ButtonRight, ebiten.StandardGamepadButtonLeftRight},
	{guest.ButtonUp, ebiten.StandardGamepadButtonLeftTop},
	{guest.ButtonDown, ebiten.StandardGamepadButtonLeftBottom},
	{guest.ButtonA, ebiten.StandardGamepadButtonRightBottom},
	{guest.ButtonB, ebiten.StandardGamepadButtonRightRight},
	{guest.ButtonStart, ebiten.StandardGamepadButtonCenterRight},
	{guest.ButtonSelect, ebiten.StandardGamepadButtonCenterLeft},
}

// stickDeadZone is how far a stick must lean to count as a direction.
const stickDeadZone = 0.5

// Reader turns Ebitengine's input state into the ABI input block. The zero
// value is ready to use; it keeps buffers between calls, so reading
// allocates nothing in steady state.
type Reader struct {
	pads    []ebiten.GamepadID
	touches []ebiten.TouchID
	wheelX  float64 // wheel movement not yet reported as whole notches
	wheelY  float64
}

// Read returns the input for this tick. toFrame maps a cursor or touch
// position in screen coordinates (the game's Layout space) to framebuffer
// pixels; with a nil toFrame the mouse position is (-1, -1).
func (r *Reader) Read(toFrame func(x, y float64) (int32, int32)) guest.Input {
	var in guest.Input
	for _, m := range keyMap {
		for _, k := range m.keys {
			if ebiten.IsKeyPressed(k) {
				in.Buttons |= m.button
			}
		}
	}
	r.pads = ebiten.AppendGamepadIDs(r.pads[:0])
	for _, id := range r.pads {
		if !ebiten.IsStandardGamepadLayoutAvailable(id) {
			continue
		}
		for _, m := range padMap {
			if ebiten.IsStandardGamepadButtonPressed(id, m.pad) {
				in.Buttons |= m.button
			}
		}
		x := ebiten.StandardGamepadAxisValue(id, ebiten.StandardGamepadAxisLeftStickHorizontal)
		y := ebiten.StandardGamepadAxisValue(id, ebiten.StandardGamepadAxisLeftStickVertical)
		switch {
		case x < -stickDeadZone:
			in.Buttons |= guest.ButtonLeft
		case x > stickDeadZone:
			in.Buttons |= guest.ButtonRight
		}
		switch {
		case y < -stickDeadZone:
			in.Buttons |= guest.ButtonUp
		case y > stickDeadZone:
			in.Buttons |= guest.ButtonDown
		}
	}

	cx, cy := ebiten.CursorPositionF()
	if ebiten.IsMouseButtonPressed(ebiten.MouseButtonLeft) {
		in.MouseButtons |= guest.MouseLeft
	}
	if ebiten.IsMouseButtonPressed(ebiten.MouseButtonRight) {
		in.MouseButtons |= guest.MouseRight
	}
	if ebiten.IsMouseButtonPressed(ebiten.MouseButtonMiddle) {
		in.MouseButtons |= guest.MouseMiddle
	}
	// A touch is a left click where the finger is.
	r.touches = ebiten.AppendTouchIDs(r.touches[:0])
	if len(r.touches) > 0 {
		cx, cy = ebiten.TouchPositionF(r.touches[0])
		in.MouseButtons |= guest.MouseLeft
	}
	in.MouseX, in.MouseY = -1, -1
	if toFrame != nil {
		in.MouseX, in.MouseY = toFrame(cx, cy)
	}

	wx, wy := ebiten.Wheel()
	r.wheelX += wx
	r.wheelY += wy
	in.WheelX, r.wheelX = takeNotches(r.wheelX)
	in.WheelY, r.wheelY = takeNotches(r.wheelY)
	return in
}

// takeNotches splits accumulated wheel movement into whole notches and the
// rest, so that smooth-scrolling touchpads still add up to notches.
func takeNotches(v float64) (int32, float64) {
	n := math.Trunc(v)
	return int32(n), v - n
}
