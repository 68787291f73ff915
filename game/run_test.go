package game

import (
	"image"
	"testing"
)

// TestWindowFor: a scale asked for is taken as it is where the window
// fits the screen and 4096 pixels a side, else the largest that does (a
// -scale 100 window of 16000 pixels panicked in Ebitengine's atlas); scale
// 0 fits 960x720 with a whole scale and never makes a side under 256
// pixels.
func TestWindowFor(t *testing.T) {
	for _, tc := range []struct {
		name         string
		w, h, scale  int
		screen       image.Point
		wantW, wantH int
	}{
		{"scale asked for", 2, 1, 4, image.Point{}, 8, 4},
		{"scale asked for, on a screen", 160, 120, 4, image.Pt(1280, 1024), 640, 480},
		{"scale past the screen", 160, 120, 100, image.Pt(1280, 1024), 1280, 960},
		{"scale past the screen's height", 160, 160, 52, image.Pt(1920, 1080), 960, 960},
		{"scale past any screen", 160, 120, 100, image.Point{}, 4000, 3000},
		{"a frame larger than the screen", 4096, 4096, 3, image.Pt(1920, 1080), 4096, 4096},
		{"default fits 960x720", 320, 180, 0, image.Point{}, 960, 540},
		{"WASM-4", 160, 160, 0, image.Point{}, 640, 640},
		{"two pixels", 2, 1, 0, image.Point{}, 960, 480},
		{"a thin strip", 1000, 3, 0, image.Point{}, 1000, 256},
		{"a tall strip", 3, 2000, 0, image.Point{}, 256, 2000},
		{"larger than the screen", 4096, 4096, 0, image.Point{}, 4096, 4096},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if w, h := windowFor(tc.w, tc.h, tc.scale, tc.screen); w != tc.wantW || h != tc.wantH {
				t.Errorf("windowFor(%d, %d, %d, %v) = %dx%d, want %dx%d", tc.w, tc.h, tc.scale, tc.screen, w, h, tc.wantW, tc.wantH)
			}
		})
	}
}
