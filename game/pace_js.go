//go:build js

package game

// startPacing leaves the browser to Ebitengine's own loop, paced by
// requestAnimationFrame and the TPS; Draw still skips unchanged frames.
func startPacing() *pacer { return nil }
