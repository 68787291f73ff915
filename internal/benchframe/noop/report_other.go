//go:build !js

package main

import "github.com/hajimehoshi/ebiten/v2"

// A run stops after 600 updates unless -frames says otherwise.
const defaultFrames = 600

func firstFrame()  {}
func report(*game) {}

// floor is the browser's frame-path floor (floor_js.go): nothing here.
type floor struct{}

func (floor) update()            {}
func (floor) draw(*ebiten.Image) {}
