//go:build !js

package game

// startPacing starts the ticker that drives the game on the desktop.
func startPacing() *pacer { return startPacer() }
