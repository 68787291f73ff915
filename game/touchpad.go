package game

import (
	"image"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/ebicart/ebicart/cart"
)

// touchPad is the on-screen gamepad of a touch screen, for every cart that
// has not hidden it (WASM-4's SYSTEM_HIDE_GAMEPAD_OVERLAY): a d-pad, two
// buttons, and start and select, sized for a thumb. It never covers the
// cart: held upright, the screen gives the controls a band below the
// frame; held sideways, a column on each side of it.
type touchPad struct {
	frame          image.Rectangle // where the cart's frame may go
	dx, dy, dr     float64         // d-pad centre and radius
	bx, by, ax, ay float64         // the B (WASM-4's X) and A (Z) button centres
	br             float64         // their radius
	sel, start     image.Rectangle
	unit           float64 // screen pixels per CSS pixel of the sizes below
}

// Sizes, in CSS pixels (a thumb is about 16 mm, 60 px).
const (
	padDpad   = 64 // d-pad radius
	padButton = 32 // A and B radius
	padMargin = 16
	padSmallW = 64 // start and select
	padSmallH = 26
)

// newTouchPad lays the controls out on a sw x sh screen of scale screen
// pixels per CSS pixel; they shrink on a screen too small for them.
func newTouchPad(sw, sh int, scale float64) touchPad {
	w, h := float64(sw), float64(sh)
	u := max(scale, 0.5)
	p := touchPad{}
	if h >= w {
		// Upright: a band below the frame, at most half the screen.
		band := (2*padDpad + 3*padMargin + padSmallH) * u
		if band > h/2 {
			u *= h / 2 / band
			band = h / 2
		}
		p.unit = u
		top := h - band
		p.frame = image.Rect(0, 0, sw, int(top))
		p.dr, p.br = padDpad*u, padButton*u
		m := padMargin * u
		p.dx, p.dy = m+p.dr, top+m+p.dr
		p.bx, p.by = w-m-p.br, top+m+p.br
		p.ax, p.ay = p.bx-2.4*p.br, p.by+1.4*p.br
		y := int(h - m - padSmallH*u)
		sw2, sh2 := int(padSmallW*u), int(padSmallH*u)
		p.sel = image.Rect(sw/2-sw2-int(m/2), y, sw/2-int(m/2), y+sh2)
		p.start = image.Rect(sw/2+int(m/2), y, sw/2+int(m/2)+sw2, y+sh2)
		return p
	}
	// Sideways: a column on each side, at most a quarter of the screen.
	col := (2*padDpad + 2*padMargin) * u
	if col > w/4 {
		u *= w / 4 / col
		col = w / 4
	}
	p.unit = u
	p.frame = image.Rect(int(col), 0, sw-int(col), sh)
	p.dr, p.br = padDpad*u, padButton*u
	m := padMargin * u
	p.dx, p.dy = col/2, h/2
	p.bx, p.by = w-col/2+0.9*p.br, h/2-1.1*p.br
	p.ax, p.ay = w-col/2-0.9*p.br, h/2+1.1*p.br
	sw2, sh2 := int(padSmallW*u), int(padSmallH*u)
	y := int(h - m - padSmallH*u)
	p.sel = image.Rect(int(col/2)-sw2/2, y, int(col/2)-sw2/2+sw2, y+sh2)
	p.start = image.Rect(sw-int(col/2)-sw2/2, y, sw-int(col/2)-sw2/2+sw2, y+sh2)
	return p
}

// buttons returns what a touch at (x, y) presses.
func (p *touchPad) buttons(x, y float64) uint32 {
	pt := image.Pt(int(x), int(y))
	switch {
	case math.Hypot(x-p.bx, y-p.by) <= p.br*1.25:
		return cart.ButtonB // WASM-4's X
	case math.Hypot(x-p.ax, y-p.ay) <= p.br*1.25:
		return cart.ButtonA // WASM-4's Z
	case pt.In(grow(p.start, p.unit*8)):
		return cart.ButtonStart
	case pt.In(grow(p.sel, p.unit*8)):
		return cart.ButtonSelect
	}
	ddx, ddy := x-p.dx, y-p.dy
	d := math.Hypot(ddx, ddy)
	if d > p.dr*1.3 || d < p.dr*0.15 {
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

// grow is r with d more on every side.
func grow(r image.Rectangle, d float64) image.Rectangle {
	return r.Inset(-int(d))
}

var (
	padColor   = color.RGBA{0x50, 0x50, 0x5c, 0xff}
	padArm     = color.RGBA{0x2a, 0x2a, 0x33, 0xff}
	padLabel   = color.RGBA{0xe8, 0xe8, 0xf0, 0xff}
	padPressed = color.RGBA{0x90, 0x60, 0xa0, 0xff}
)

// draw draws the controls, the buttons held lit; wasm4 labels the two
// buttons as WASM-4 does, X and Z.
func (p *touchPad) draw(screen *ebiten.Image, held uint32, wasm4 bool) {
	lit := func(b uint32) color.Color {
		if held&b != 0 {
			return padPressed
		}
		return padColor
	}
	fillCircle(screen, p.dx, p.dy, p.dr, padColor)
	w := p.dr * 0.42
	fillRect(screen, p.dx-w/2, p.dy-p.dr*0.82, w, p.dr*1.64, padArm)
	fillRect(screen, p.dx-p.dr*0.82, p.dy-w/2, p.dr*1.64, w, padArm)
	labelB, labelA := "B", "A"
	if wasm4 {
		labelB, labelA = "X", "Z"
	}
	ts := max(1, math.Round(p.unit*1.5)) // label glyphs, whole screen pixels
	for _, b := range []struct {
		x, y  float64
		bit   uint32
		label string
	}{{p.bx, p.by, cart.ButtonB, labelB}, {p.ax, p.ay, cart.ButtonA, labelA}} {
		fillCircle(screen, b.x, b.y, p.br, lit(b.bit))
		drawTextScaled(screen, b.label, b.x-glyphW*ts/2, b.y-glyphH*ts/2, ts, padLabel)
	}
	small := max(1, math.Round(p.unit))
	for _, b := range []struct {
		r     image.Rectangle
		bit   uint32
		label string
	}{{p.sel, cart.ButtonSelect, "SELECT"}, {p.start, cart.ButtonStart, "START"}} {
		fillRect(screen, float64(b.r.Min.X), float64(b.r.Min.Y), float64(b.r.Dx()), float64(b.r.Dy()), lit(b.bit))
		tw := float64(textWidth(b.label)) * small
		drawTextScaled(screen, b.label, float64(b.r.Min.X)+(float64(b.r.Dx())-tw)/2, float64(b.r.Min.Y)+(float64(b.r.Dy())-glyphH*small)/2, small, padLabel)
	}
}

// TouchButton is one of the on-screen controls, where it is on the screen.
type TouchButton struct {
	Name string // "dpad", "a", "b", "start", "select"
	Rect image.Rectangle
}

// TouchControls returns the on-screen controls the last Draw drew, nil
// when none were (no touch seen, or the cart hid them).
func (g *Game) TouchControls() []TouchButton {
	if !g.padShown {
		return nil
	}
	p := &g.pad
	circle := func(x, y, r float64) image.Rectangle {
		return image.Rect(int(x-r), int(y-r), int(math.Ceil(x+r)), int(math.Ceil(y+r)))
	}
	return []TouchButton{
		{"dpad", circle(p.dx, p.dy, p.dr)},
		{"b", circle(p.bx, p.by, p.br)},
		{"a", circle(p.ax, p.ay, p.br)},
		{"select", p.sel},
		{"start", p.start},
	}
}
