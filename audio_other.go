//go:build (!linux || android) && !js

package main

// audioAvailable: other systems (macOS, Windows, browsers) have an audio
// device, or fail gracefully without one.
func audioAvailable() bool { return true }
