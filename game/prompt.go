package game

import (
	"errors"
	"fmt"
	"image"
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"github.com/ebicart/ebicart/cart"
	"github.com/ebicart/ebicart/internal/safetext"
)

// prompt asks the player about a cart whose update runs past its limit
// (cart.Options.Interactive), as browsers ask about a slow page: Wait
// (Enter, or the button) grants it another limit, Stop (Esc, or the
// button) ends it on the error screen. The cart's last frame stays behind
// it, dimmed.
type prompt struct {
	err        *cart.NotRespondingError // nil: no question
	img        *ebiten.Image            // the box, drawn small and scaled up
	wait, stop image.Rectangle          // the buttons, in screen pixels
}

var (
	promptDim    = color.RGBA{0, 0, 0, 0x90}
	promptBox    = color.RGBA{0x26, 0x22, 0x30, 0xff}
	promptButton = color.RGBA{0x44, 0x3c, 0x58, 0xff}
)

// promptCols and promptRows are the box's size in characters.
const promptCols, promptRows = 44, 7

// ask shows the prompt when err is the cart's question; it reports
// whether it was.
func (g *Game) ask(err error) bool {
	var nr *cart.NotRespondingError
	if !errors.As(err, &nr) {
		return false
	}
	g.prompt.err = nr
	g.redraw = true // its clock
	return true
}

// Asking reports whether the game asks the player about a cart that is not
// responding.
func (g *Game) Asking() bool { return g.prompt.err != nil }

// answerPrompt reads the player's answer, once per Update.
func (g *Game) answerPrompt() {
	p := &g.prompt
	if p.err == nil {
		return
	}
	wait := inpututil.IsKeyJustPressed(ebiten.KeyEnter) || inpututil.IsKeyJustPressed(ebiten.KeyNumpadEnter)
	stop := inpututil.IsKeyJustPressed(ebiten.KeyEscape)
	for _, pt := range justPressedPoints() {
		wait = wait || pt.In(p.wait)
		stop = stop || pt.In(p.stop)
	}
	switch {
	case stop:
		p.err = nil
		g.fail(g.cart.Stop())
	case wait:
		p.err = nil
		g.cart.Wait()
		g.redraw = true
	}
}

// justPressedPoints are where the left button or a finger went down this
// tick, in screen pixels.
func justPressedPoints() []image.Point {
	var pts []image.Point
	if inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft) {
		x, y := onScreen(ebiten.CursorPositionF())
		pts = append(pts, image.Pt(int(x), int(y)))
	}
	for _, id := range inpututil.AppendJustPressedTouchIDs(nil) {
		x, y := onScreen(ebiten.TouchPositionF(id))
		pts = append(pts, image.Pt(int(x), int(y)))
	}
	return pts
}

// drawPrompt draws the question over the screen.
func (g *Game) drawPrompt(screen *ebiten.Image) {
	p := &g.prompt
	if p.err == nil {
		return
	}
	g.redraw = true // the seconds go on
	sw, sh := screen.Bounds().Dx(), screen.Bounds().Dy()
	fillRect(screen, 0, 0, float64(sw), float64(sh), promptDim)
	w, h := promptCols*glyphW, promptRows*glyphH
	scale := uiScale(sw, sh, w, h)
	if p.img == nil {
		p.img = ebiten.NewImage(w, h)
	}
	p.img.Fill(promptBox)
	name := safetext.Clean(g.name)
	if len(name) > promptCols-20 {
		name = name[:promptCols-23] + "..."
	}
	drawText(p.img, name+" is not responding", glyphW, glyphH/2)
	drawText(p.img, fmt.Sprintf("its %s has run for %.0fs (limit %v)", p.err.Func, p.err.Running.Seconds(), p.err.Limit), glyphW, glyphH/2+glyphH)
	// The buttons, in box pixels, then on the screen.
	bw := 12 * glyphW
	wait := image.Rect(w/2-bw-glyphW, 3*glyphH, w/2-glyphW, 5*glyphH)
	stop := image.Rect(w/2+glyphW, 3*glyphH, w/2+glyphW+bw, 5*glyphH)
	for _, b := range []struct {
		r     image.Rectangle
		label string
	}{{wait, "Wait"}, {stop, "Stop"}} {
		fillRect(p.img, float64(b.r.Min.X), float64(b.r.Min.Y), float64(b.r.Dx()), float64(b.r.Dy()), promptButton)
		drawText(p.img, b.label, b.r.Min.X+(b.r.Dx()-textWidth(b.label))/2, b.r.Min.Y+glyphH/2)
	}
	hint := "Enter: wait    Esc: stop"
	drawText(p.img, hint, (w-textWidth(hint))/2, 5*glyphH+glyphH/2)
	ox, oy := (sw-w*scale)/2, (sh-h*scale)/2
	var op ebiten.DrawImageOptions
	op.GeoM.Scale(float64(scale), float64(scale))
	op.GeoM.Translate(float64(ox), float64(oy))
	screen.DrawImage(p.img, &op)
	toScreen := func(r image.Rectangle) image.Rectangle {
		return image.Rect(ox+r.Min.X*scale, oy+r.Min.Y*scale, ox+r.Max.X*scale, oy+r.Max.Y*scale)
	}
	p.wait, p.stop = toScreen(wait), toScreen(stop)
}

// uiScale is the whole factor the game's text and boxes are drawn at on a
// sw x sh screen: large enough to read at the display's pixel density (2 on
// a wide screen), small enough that a w x h box fits.
func uiScale(sw, sh, w, h int) int {
	s := deviceScale()
	scale := max(1, int(s+0.5))
	if float64(sw)/s >= 800 {
		scale *= 2
	}
	for scale > 1 && (w*scale > sw || h*scale > sh) {
		scale--
	}
	return scale
}
