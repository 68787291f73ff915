//go:build !js

package game

// paced: in a window Ebitengine's clock runs TPS ticks a second, catching
// up after a slow frame; a tick is a call into this process or a pipe's
// round trip, cheap enough for that (see pacer for the browser).
const paced = false

// tps is what RunGame gives ebiten.SetTPS.
const tps = TPS
