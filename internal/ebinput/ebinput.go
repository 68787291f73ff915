// Package ebinput reads Ebitengine's keyboard, mouse, touch and gamepad
// state into the cart ABI's input block, with the default key map. The
// ebicart app and the embedding API (package cart) share it.
package ebinput

import (
	"math"

	"github.com/hajimehoshi/ebiten/v2"
)

// The ABI's button bits (docs/abi.md), which package cart exports; its
// tests check that the two agree.
const (
	ButtonLeft   = 1 << 0
	ButtonRight  = 1 << 1
	ButtonUp     = 1 << 2
	ButtonDown   = 1 << 3
	ButtonA      = 1 << 4
	ButtonB      = 1 << 5
	ButtonStart  = 1 << 6
	ButtonSelect = 1 << 7

	MouseLeft   = 1 << 0
	MouseRight  = 1 << 1
	MouseMiddle = 1 << 2
)

// NoPointer in both State.MouseX and MouseY means no pointer has been over
// the game yet (package guest's NoPointer).
const NoPointer = 0x7fff

// State is the input of one tick, as the ABI's input block holds it
// (player 1), with the buttons of players 2 to 4.
type State struct {
	Buttons        uint32
	MouseX, MouseY int32 // framebuffer pixels; may lie outside the frame; NoPointer before the pointer moved
	MouseButtons   uint32
	WheelX, WheelY int32
	Players        [3]uint32
}

// keyBinding is the keys that press an ABI button.
type keyBinding struct {
	button uint32
	keys   []ebiten.Key
}

// padBinding is a gamepad button that presses an ABI button.
type padBinding struct {
	button uint32
	pad    ebiten.StandardGamepadButton
}

// keyMap lists the default keys of each ABI button.
var keyMap = []keyBinding{
	{ButtonLeft, []ebiten.Key{ebiten.KeyArrowLeft, ebiten.KeyA}},
	{ButtonRight, []ebiten.Key{ebiten.KeyArrowRight, ebiten.KeyD}},
	{ButtonUp, []ebiten.Key{ebiten.KeyArrowUp, ebiten.KeyW}},
	{ButtonDown, []ebiten.Key{ebiten.KeyArrowDown, ebiten.KeyS}},
	{ButtonA, []ebiten.Key{ebiten.KeyZ, ebiten.KeyJ}},
	{ButtonB, []ebiten.Key{ebiten.KeyX, ebiten.KeyK}},
	{ButtonStart, []ebiten.Key{ebiten.KeyEnter, ebiten.KeyNumpadEnter}},
	{ButtonSelect, []ebiten.Key{ebiten.KeyShiftLeft, ebiten.KeyShiftRight}},
}

// padMap maps the standard gamepad layout onto the ABI buttons.
var padMap = []padBinding{
	{ButtonLeft, ebiten.StandardGamepadButtonLeftLeft},
	{ButtonRight, ebiten.StandardGamepadButtonLeftRight},
	{ButtonUp, ebiten.StandardGamepadButtonLeftTop},
	{ButtonDown, ebiten.StandardGamepadButtonLeftBottom},
	{ButtonA, ebiten.StandardGamepadButtonRightBottom},
	{ButtonB, ebiten.StandardGamepadButtonRightRight},
	{ButtonStart, ebiten.StandardGamepadButtonCenterRight},
	{ButtonSelect, ebiten.StandardGamepadButtonCenterLeft},
}

// stickDeadZone is how far a stick must lean to count as a direction.
const stickDeadZone = 0.5

// wasm4Keys are the keyboard sets of WASM-4 mode, those of WASM-4's web
// runtime: player 1 on the arrows with X (X, V, Space) and Z (Z, C, and
// N), player 2 on ESDF with X on A and Q and Z on left Shift and Tab,
// player 3 on the numeric keypad's 8 4 5 6 with X on * and . and Z on -
// and Enter. In the ABI's bits, WASM-4's X button is B and its Z button
// is A. (WASM-4's Period and Comma are ebicart's step and slow-motion
// keys.)
var wasm4Keys = [3][]keyBinding{
	{
		{ButtonLeft, []ebiten.Key{ebiten.KeyArrowLeft}},
		{ButtonRight, []ebiten.Key{ebiten.KeyArrowRight}},
		{ButtonUp, []ebiten.Key{ebiten.KeyArrowUp}},
		{ButtonDown, []ebiten.Key{ebiten.KeyArrowDown}},
		{ButtonB, []ebiten.Key{ebiten.KeyX, ebiten.KeyV, ebiten.KeySpace}},
		{ButtonA, []ebiten.Key{ebiten.KeyZ, ebiten.KeyC, ebiten.KeyN}},
	},
	{
		{ButtonLeft, []ebiten.Key{ebiten.KeyS}},
		{ButtonRight, []ebiten.Key{ebiten.KeyF}},
		{ButtonUp, []ebiten.Key{ebiten.KeyE}},
		{ButtonDown, []ebiten.Key{ebiten.KeyD}},
		{ButtonB, []ebiten.Key{ebiten.KeyA, ebiten.KeyQ}},
		{ButtonA, []ebiten.Key{ebiten.KeyShiftLeft, ebiten.KeyTab}},
	},
	{
		{ButtonLeft, []ebiten.Key{ebiten.KeyNumpad4}},
		{ButtonRight, []ebiten.Key{ebiten.KeyNumpad6}},
		{ButtonUp, []ebiten.Key{ebiten.KeyNumpad8}},
		{ButtonDown, []ebiten.Key{ebiten.KeyNumpad5}},
		{ButtonB, []ebiten.Key{ebiten.KeyNumpadMultiply, ebiten.KeyNumpadDecimal}},
		{ButtonA, []ebiten.Key{ebiten.KeyNumpadSubtract, ebiten.KeyNumpadEnter}},
	},
}

// wasm4Pad maps the standard gamepad layout onto WASM-4's two buttons as
// its web runtime does: the bottom and top face buttons and the right
// shoulder and trigger are X (the ABI's B), the right and left face
// buttons and the left shoulder and trigger are Z (the ABI's A).
var wasm4Pad = []padBinding{
	{ButtonLeft, ebiten.StandardGamepadButtonLeftLeft},
	{ButtonRight, ebiten.StandardGamepadButtonLeftRight},
	{ButtonUp, ebiten.StandardGamepadButtonLeftTop},
	{ButtonDown, ebiten.StandardGamepadButtonLeftBottom},
	{ButtonB, ebiten.StandardGamepadButtonRightBottom},
	{ButtonB, ebiten.StandardGamepadButtonRightTop},
	{ButtonB, ebiten.StandardGamepadButtonFrontTopRight},
	{ButtonB, ebiten.StandardGamepadButtonFrontBottomRight},
	{ButtonA, ebiten.StandardGamepadButtonRightRight},
	{ButtonA, ebiten.StandardGamepadButtonRightLeft},
	{ButtonA, ebiten.StandardGamepadButtonFrontTopLeft},
	{ButtonA, ebiten.StandardGamepadButtonFrontBottomLeft},
}

// Reader turns Ebitengine's input state into the ABI input block. The zero
// value is ready to use; it keeps buffers between calls, so reading
// allocates nothing in steady state.
type Reader struct {
	// WASM4 selects WASM-4 mode's key sets (three players on the
	// keyboard) and gamepad buttons, and gives each gamepad its own player
	// (gamepad n plays player n mod 4, as on WASM-4); otherwise every key
	// and gamepad drives player 1.
	WASM4 bool

	// Pad, when set, is an on-screen gamepad: it returns the buttons a
	// touch at (x, y) (screen coordinates) presses, 0 for a touch outside
	// it, which then acts as a mouse click.
	Pad func(x, y float64) uint32
	// TouchSeen is set once a touch has been seen: the device has a touch
	// screen.
	TouchSeen bool

	// The pointer counts once it has moved from where it was at the first
	// Read, or clicked, or touched: before, Ebitengine reports (0, 0) for
	// a cursor it has not seen, which is no position at all.
	pointer        bool
	started        bool
	startX, startY float64

	pads    []ebiten.GamepadID
	touches []ebiten.TouchID
	wheelX  float64 // wheel movement not yet reported as whole notches
	wheelY  float64
}

// Read returns the input for this tick. toFrame maps a cursor or touch
// position in screen coordinates (the game's Layout space) to framebuffer
// pixels; with a nil toFrame the mouse position is (-1, -1). Until the
// pointer first moves (or a mouse button or a touch), the mouse position
// is (NoPointer, NoPointer), as on WASM-4, whose carts draw no cursor then.
func (r *Reader) Read(toFrame func(x, y float64) (int32, int32)) State {
	var in State
	var players [4]uint32
	if r.WASM4 {
		for p, set := range wasm4Keys {
			players[p] = keyButtons(set)
		}
	} else {
		players[0] = keyButtons(keyMap)
	}
	r.pads = ebiten.AppendGamepadIDs(r.pads[:0])
	for _, id := range r.pads {
		if !ebiten.IsStandardGamepadLayoutAvailable(id) {
			continue
		}
		pressed := func(b ebiten.StandardGamepadButton) bool { return ebiten.IsStandardGamepadButtonPressed(id, b) }
		axis := func(a ebiten.StandardGamepadAxis) float64 { return ebiten.StandardGamepadAxisValue(id, a) }
		if r.WASM4 {
			players[int(id)%4] |= padButtons(true, pressed, axis)
		} else {
			players[0] |= padButtons(false, pressed, axis)
		}
	}
	in.Buttons = players[0]
	in.Players = [3]uint32{players[1], players[2], players[3]}

	cx, cy := ebiten.CursorPositionF()
	if !r.started {
		r.started, r.startX, r.startY = true, cx, cy
	}
	if cx != r.startX || cy != r.startY {
		r.pointer = true
	}
	if ebiten.IsMouseButtonPressed(ebiten.MouseButtonLeft) {
		in.MouseButtons |= MouseLeft
	}
	if ebiten.IsMouseButtonPressed(ebiten.MouseButtonRight) {
		in.MouseButtons |= MouseRight
	}
	if ebiten.IsMouseButtonPressed(ebiten.MouseButtonMiddle) {
		in.MouseButtons |= MouseMiddle
	}
	// A touch is a left click where the finger is.
	r.touches = ebiten.AppendTouchIDs(r.touches[:0])
	clicked := false
	for _, id := range r.touches {
		r.TouchSeen = true
		tx, ty := ebiten.TouchPositionF(id)
		if r.Pad != nil {
			if b := r.Pad(tx, ty); b != 0 {
				players[0] |= b
				continue
			}
		}
		if !clicked {
			cx, cy, clicked = tx, ty, true
			in.MouseButtons |= MouseLeft
		}
	}
	in.Buttons = players[0]
	if in.MouseButtons != 0 {
		r.pointer = true
	}
	in.MouseX, in.MouseY = NoPointer, NoPointer
	if r.pointer {
		in.MouseX, in.MouseY = -1, -1
		if toFrame != nil {
			in.MouseX, in.MouseY = toFrame(cx, cy)
		}
	}

	wx, wy := ebiten.Wheel()
	r.wheelX += wx
	r.wheelY += wy
	in.WheelX, r.wheelX = takeNotches(r.wheelX)
	in.WheelY, r.wheelY = takeNotches(r.wheelY)
	return in
}

// keyButtons is the ABI button bits the keys held press, by set.
func keyButtons(set []keyBinding) uint32 {
	var b uint32
	for _, m := range set {
		for _, k := range m.keys {
			if ebiten.IsKeyPressed(k) {
				b |= m.button
			}
		}
	}
	return b
}

// padButtons reads a standard-layout gamepad, given by its buttons and
// axes, as ABI button bits, the left stick counting as the d-pad: with
// the default map, or WASM-4's (wasm4).
func padButtons(wasm4 bool, pressed func(ebiten.StandardGamepadButton) bool, axis func(ebiten.StandardGamepadAxis) float64) uint32 {
	var b uint32
	m := padMap
	if wasm4 {
		m = wasm4Pad
	}
	for _, m := range m {
		if pressed(m.pad) {
			b |= m.button
		}
	}
	x := axis(ebiten.StandardGamepadAxisLeftStickHorizontal)
	y := axis(ebiten.StandardGamepadAxisLeftStickVertical)
	switch {
	case x < -stickDeadZone:
		b |= ButtonLeft
	case x > stickDeadZone:
		b |= ButtonRight
	}
	switch {
	case y < -stickDeadZone:
		b |= ButtonUp
	case y > stickDeadZone:
		b |= ButtonDown
	}
	return b
}

// takeNotches splits accumulated wheel movement into whole notches and the
// rest, so that smooth-scrolling touchpads still add up to notches.
func takeNotches(v float64) (int32, float64) {
	n := math.Trunc(v)
	return int32(n), v - n
}
