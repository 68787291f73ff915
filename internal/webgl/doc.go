// Package webgl holds what ebicart changes in a page's WebGL: the wait for
// the GPU that Ebitengine makes before each texture upload, which a cart's
// frame, uploaded every frame, would pay once a frame (NoGPUWait).
package webgl
