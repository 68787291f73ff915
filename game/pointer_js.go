package game

import "syscall/js"

// canvas is the page's canvas, Ebitengine's, once found.
var canvas js.Value

// onScreen maps a pointer position Ebitengine reports to the screen's
// pixels. In a page Ebitengine measures pointers from the page's top-left
// corner, and the canvas need not start there: the page's strip of
// controls is above it, and the page may centre a canvas fitted to the
// frame (Options.FitFrame).
func onScreen(x, y float64) (float64, float64) {
	if !canvas.Truthy() {
		canvas = js.Global().Get("document").Call("querySelector", "canvas")
		if !canvas.Truthy() {
			return x, y
		}
	}
	r := canvas.Call("getBoundingClientRect")
	s := deviceScale()
	return x - r.Get("left").Float()*s, y - r.Get("top").Float()*s
}
