package game

import (
	"image"
	"image/png"
	"os"

	"github.com/ebicart/ebicart/guest"
)

// FrameImage wraps a frame's premultiplied pixels as an image without
// copying them.
func FrameImage(f guest.Frame) *image.RGBA {
	return &image.RGBA{Pix: f.Pix, Stride: 4 * f.Width, Rect: image.Rect(0, 0, f.Width, f.Height)}
}

// WritePNG writes the frame at its native resolution to path as a PNG.
// PNG stores straight alpha; the encoder converts from premultiplied.
func WritePNG(path string, f guest.Frame) error {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(out, FrameImage(f)); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
