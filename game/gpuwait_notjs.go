//go:build !js

package game

// noGPUWait: a native OpenGL driver may need the finish Ebitengine makes
// before an upload (see gpuwait_js.go).
func noGPUWait() {}
