//go:build js

package game

import "github.com/hajimehoshi/ebiten/v2"

// paced: in the browser Ebitengine calls Update once per animation frame
// and the game's pacer decides whether the cart ticks in it (see pacer).
const paced = true

// tps is what RunGame gives ebiten.SetTPS.
const tps = ebiten.SyncWithFPS
