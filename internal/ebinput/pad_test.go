package ebinput

import (
	"testing"

	"github.com/hajimehoshi/ebiten/v2"
)

// TestPadButtons checks the gamepad maps on a made-up gamepad: the
// default one, and WASM-4's web runtime's (four buttons for X, four for
// Z), both with the left stick as the d-pad.
func TestPadButtons(t *testing.T) {
	type pad = ebiten.StandardGamepadButton
	for _, tc := range []struct {
		name    string
		wasm4   bool
		pressed []pad
		x, y    float64
		want    uint32
	}{
		{"default: bottom is A", false, []pad{ebiten.StandardGamepadButtonRightBottom}, 0, 0, ButtonA},
		{"default: right is B", false, []pad{ebiten.StandardGamepadButtonRightRight}, 0, 0, ButtonB},
		{"default: centre buttons", false, []pad{ebiten.StandardGamepadButtonCenterRight, ebiten.StandardGamepadButtonCenterLeft}, 0, 0, ButtonStart | ButtonSelect},
		{"wasm4: bottom is X", true, []pad{ebiten.StandardGamepadButtonRightBottom}, 0, 0, ButtonB},
		{"wasm4: top is X", true, []pad{ebiten.StandardGamepadButtonRightTop}, 0, 0, ButtonB},
		{"wasm4: right shoulder and trigger are X", true, []pad{ebiten.StandardGamepadButtonFrontTopRight, ebiten.StandardGamepadButtonFrontBottomRight}, 0, 0, ButtonB},
		{"wasm4: right is Z", true, []pad{ebiten.StandardGamepadButtonRightRight}, 0, 0, ButtonA},
		{"wasm4: left is Z", true, []pad{ebiten.StandardGamepadButtonRightLeft}, 0, 0, ButtonA},
		{"wasm4: left shoulder and trigger are Z", true, []pad{ebiten.StandardGamepadButtonFrontTopLeft, ebiten.StandardGamepadButtonFrontBottomLeft}, 0, 0, ButtonA},
		{"wasm4: no start or select", true, []pad{ebiten.StandardGamepadButtonCenterRight, ebiten.StandardGamepadButtonCenterLeft}, 0, 0, 0},
		{"wasm4: d-pad", true, []pad{ebiten.StandardGamepadButtonLeftLeft, ebiten.StandardGamepadButtonLeftTop}, 0, 0, ButtonLeft | ButtonUp},
		{"stick down right", true, nil, 0.6, 0.7, ButtonRight | ButtonDown},
		{"stick in the dead zone", true, nil, -0.5, 0.5, 0},
		{"stick up left", false, nil, -0.51, -0.9, ButtonLeft | ButtonUp},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pressed := func(b ebiten.StandardGamepadButton) bool {
				for _, p := range tc.pressed {
					if p == b {
						return true
					}
				}
				return false
			}
			axis := func(a ebiten.StandardGamepadAxis) float64 {
				switch a {
				case ebiten.StandardGamepadAxisLeftStickHorizontal:
					return tc.x
				case ebiten.StandardGamepadAxisLeftStickVertical:
					return tc.y
				}
				return 0
			}
			if got := padButtons(tc.wasm4, pressed, axis); got != tc.want {
				t.Fatalf("buttons %08b, want %08b", got, tc.want)
			}
		})
	}
}
