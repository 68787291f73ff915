//go:build !js

package main

// A run stops after 600 updates unless -frames says otherwise.
const defaultFrames = 600

func firstFrame()  {}
func report(*game) {}
