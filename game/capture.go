package game

import "image"

// F9 records the cart's frames: every second tick's, 30 a second, at most
// maxRecordFrames. Natively the recording is a GIF (capture_notjs.go); in
// the browser a WebM video the browser encodes (capture_js.go), so that
// the page carries no image encoder of its own.
const (
	recordFPS       = 30
	maxRecordFrames = 20 * recordFPS
)

// screenshotExts end the names of F12's files: the frame, and 4x.
var screenshotExts = []string{".png", "-x4.png"}

// recorder records the cart's frames for F9 (Game.captureTick picks
// them).
type recorder interface {
	// add records a frame; when the recording is full it says why.
	add(img *image.RGBA) (full string)
	// frames is the number of frames recorded.
	frames() int
	// save encodes and saves the recording at base plus its extension,
	// and returns where it went. It may take a while: it runs on a
	// goroutine of its own.
	save(base string) (string, error)
}
