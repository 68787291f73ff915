package game

import "syscall/js"

// The canvas's place on the page, in screen pixels, kept until the page's
// layout may have moved it.
var pointer struct {
	canvas js.Value // the page's canvas, Ebitengine's, once found
	x, y   float64
	k      float64 // the canvas's scale on the page (a CSS transform)
	stale  bool
}

// onScreen maps a pointer position Ebitengine reports to the screen's
// pixels. In a page Ebitengine measures pointers from the page's top-left
// corner, and the canvas need not start there: the page's strip of
// controls is above it, and the page may centre a canvas fitted to the
// frame (Options.FitFrame), scaled up by a CSS transform, which
// Ebitengine does not see. The canvas's place is read once and again only
// after the window or the canvas is resized: reading it makes the browser
// lay the page out.
func onScreen(x, y float64) (float64, float64) {
	p := &pointer
	if !p.canvas.Truthy() {
		c := js.Global().Get("document").Call("querySelector", "canvas")
		if !c.Truthy() {
			return x, y
		}
		p.canvas, p.stale = c, true
		stale := js.FuncOf(func(js.Value, []js.Value) any {
			p.stale = true
			return nil
		})
		js.Global().Call("addEventListener", "resize", stale)
		if ro := js.Global().Get("ResizeObserver"); ro.Truthy() {
			ro.New(stale).Call("observe", c)
		}
	}
	if p.stale {
		r := p.canvas.Call("getBoundingClientRect")
		s := deviceScale()
		p.x, p.y, p.k, p.stale = r.Get("left").Float()*s, r.Get("top").Float()*s, 1, false
		// The bounding box is the transformed one, offsetWidth the
		// canvas's own.
		if w := p.canvas.Get("offsetWidth").Float(); w > 0 {
			p.k = r.Get("width").Float() / w
		}
	}
	return (x - p.x) / p.k, (y - p.y) / p.k
}
