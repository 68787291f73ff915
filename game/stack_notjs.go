//go:build !js

package game

// growStack does nothing on the desktop: see stack_js.go.
func growStack() {}
