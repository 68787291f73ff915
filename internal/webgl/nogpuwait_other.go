//go:build !js

package webgl

// NoGPUWait does nothing outside a browser: a native OpenGL driver may
// need the finish Ebitengine makes before an upload (see nogpuwait_js.go).
func NoGPUWait() {}
