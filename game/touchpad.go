package game

import (
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"github.com/ebicart/ebicart/cart"
)

// touchPad is the on-screen gamepad of WASM-4 carts on touch screens: a
// d-pad at the bottom left, the X and Z buttons at the bottom right.
type touchPad struct {
	dx, dy, dr     float64 // d-pad centre and radius
	xx, xy, zx, zy float64 // button centres
	br             float64 // button radius
}

func newTouchPad(w, h int) touchPad {
	s := math.Min(float64(w), float64(h))
	return touchPad{
		dx: s * 0.2, dy: float64(h) - s*0.2, dr: s * 0.15,
		xx: float64(w) - s*0.12, xy: float64(h) - s*0.27,
		zx: float64(w) - s*0.28, zy: float64(h) - s*0.14,
		br: s * 0.07,
	}
}

// buttons returns what a touch at (x, y) presses.
func (p touchPad) buttons(x, y float64) uint32 {
	if math.Hypot(x-p.xx, y-p.xy) <= p.br*1.3 {
		return cart.ButtonB // WASM-4's X
	}
	if math.Hypot(x-p.zx, y-p.zy) <= p.br*1.3 {
		return cart.ButtonA // WASM-4's Z
	}
	ddx, ddy := x-p.dx, y-p.dy
	d := math.Hypot(ddx, ddy)
	if d > p.dr*1.3 || d < p.dr*0.2 {
		return 0
	}
	var b uint32
	// Eight directions: a diagonal presses two buttons.
	a := math.Atan2(ddy, ddx) / math.Pi * 8 // -8..8, 0 = right
	switch {
	case a > -3 && a < 3:
		b |= cart.ButtonRight
	case a > 5 || a < -5:
		b |= cart.ButtonLeft
	}
	switch {
	case a > 1 && a < 7:
		b |= cart.ButtonDown
	case a < -1 && a > -7:
		b |= cart.ButtonUp
	}
	return b
}

var padColor = color.RGBA{0xff, 0xff, 0xff, 0x50}

func (p touchPad) draw(screen *ebiten.Image) {
	vector.FillCircle(screen, float32(p.dx), float32(p.dy), float32(p.dr), padColor, true)
	vector.FillCircle(screen, float32(p.xx), float32(p.xy), float32(p.br), padColor, true)
	vector.FillCircle(screen, float32(p.zx), float32(p.zy), float32(p.br), padColor, true)
	w := float32(p.dr * 0.35)
	vector.FillRect(screen, float32(p.dx)-w/2, float32(p.dy-p.dr*0.8), w, float32(p.dr*1.6), padColor, false)
	vector.FillRect(screen, float32(p.dx-p.dr*0.8), float32(p.dy)-w/2, float32(p.dr*1.6), w, padColor, false)
}
