package game

import "testing"

// TestWindowFor: a scale asked for is taken as it is; scale 0 fits
// 960x720 with a whole scale and never makes a side under 256 pixels.
func TestWindowFor(t *testing.T) {
	for _, tc := range []struct {
		name         string
		w, h, scale  int
		wantW, wantH int
	}{
		{"scale asked for", 2, 1, 4, 8, 4},
		{"default fits 960x720", 320, 180, 0, 960, 540},
		{"WASM-4", 160, 160, 0, 640, 640},
		{"two pixels", 2, 1, 0, 960, 480},
		{"a thin strip", 1000, 3, 0, 1000, 256},
		{"a tall strip", 3, 2000, 0, 256, 2000},
		{"larger than the screen", 4096, 4096, 0, 4096, 4096},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if w, h := windowFor(tc.w, tc.h, tc.scale); w != tc.wantW || h != tc.wantH {
				t.Errorf("windowFor(%d, %d, %d) = %dx%d, want %dx%d", tc.w, tc.h, tc.scale, w, h, tc.wantW, tc.wantH)
			}
		})
	}
}
