package game

import (
	"image"
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/ebicart/ebicart/cart"
)

// DrawFinalScreen puts the screen on the window. While a cart plays at a
// whole scale with nothing drawn over it, Draw leaves the frame out of the
// screen image, and it is drawn here instead, straight onto the window,
// with the bars around it: one pass over the window's pixels where drawing
// into the screen image and then copying that to the window takes two.
// Where WebGL or OpenGL draws in software (a browser or a desktop without
// a GPU), filling pixels is most of what a frame costs, and a game that
// redraws every frame runs at the rate a blank page gets animation frames
// instead of below it. Otherwise Ebitengine's default draws the screen
// image.
func (g *Game) DrawFinalScreen(screen ebiten.FinalScreen, offscreen *ebiten.Image, geoM ebiten.GeoM) {
	if !g.direct || g.cart == nil {
		ebiten.DefaultDrawFinalScreen(screen, offscreen, geoM)
		return
	}
	op := &g.final.frameOp
	*op = g.directOp
	op.GeoM.Concat(geoM)
	g.final.fillAround(screen, transformRect(g.directArea, geoM))
	g.drawFrame(screen, op)
}

// drawFrame draws the cart's frame with op: an opaque frame by itself, a
// translucent one composited over the backdrop.
func (g *Game) drawFrame(dst cart.Screen, op *ebiten.DrawImageOptions) {
	if g.cart.Opaque() {
		g.cart.Draw(dst, op)
	} else {
		g.cart.DrawOver(dst, op, backdropColor)
	}
}

// finalScreen is what drawing straight onto the window needs, made once.
type finalScreen struct {
	marked  *ebiten.Image // the screen image mark's pixel is of
	mark    *ebiten.Image // one pixel of it
	white   *ebiten.Image // one white pixel, scaled into the bars
	barOp   ebiten.DrawImageOptions
	frameOp ebiten.DrawImageOptions
}

// touch draws one pixel into screen, the screen image: Ebitengine presents
// a frame only when its screen image was drawn to.
func (f *finalScreen) touch(screen *ebiten.Image) {
	if f.marked != screen {
		f.marked, f.mark = screen, screen.SubImage(image.Rect(0, 0, 1, 1)).(*ebiten.Image)
	}
	f.mark.Fill(backdropColor)
}

// fillAround fills the parts of dst outside frame with the backdrop.
func (f *finalScreen) fillAround(dst ebiten.FinalScreen, frame image.Rectangle) {
	if f.white == nil {
		f.white = ebiten.NewImage(1, 1)
		f.white.Fill(color.White)
		f.barOp.Blend = ebiten.BlendCopy
		f.barOp.ColorScale.ScaleWithColor(backdropColor)
	}
	s := dst.Bounds()
	r := frame.Intersect(s)
	if r.Empty() {
		r = image.Rectangle{Min: s.Min, Max: s.Min}
	}
	for _, bar := range [...]image.Rectangle{
		image.Rect(s.Min.X, s.Min.Y, s.Max.X, r.Min.Y), // above
		image.Rect(s.Min.X, r.Max.Y, s.Max.X, s.Max.Y), // below
		image.Rect(s.Min.X, r.Min.Y, r.Min.X, r.Max.Y), // left
		image.Rect(r.Max.X, r.Min.Y, s.Max.X, r.Max.Y), // right
	} {
		if bar.Empty() {
			continue
		}
		f.barOp.GeoM.Reset()
		f.barOp.GeoM.Scale(float64(bar.Dx()), float64(bar.Dy()))
		f.barOp.GeoM.Translate(float64(bar.Min.X), float64(bar.Min.Y))
		dst.DrawImage(f.white, &f.barOp)
	}
}

// transformRect maps r through m, a scale and a translation (the screen
// image's place on the window), to whole pixels.
func transformRect(r image.Rectangle, m ebiten.GeoM) image.Rectangle {
	x0, y0 := m.Apply(float64(r.Min.X), float64(r.Min.Y))
	x1, y1 := m.Apply(float64(r.Max.X), float64(r.Max.Y))
	return image.Rect(int(x0+0.5), int(y0+0.5), int(x1+0.5), int(y1+0.5))
}
