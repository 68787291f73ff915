//go:build !js

package game

// onScreen maps a pointer position Ebitengine reports to the screen's
// pixels: in a window they are the same.
func onScreen(x, y float64) (float64, float64) { return x, y }
