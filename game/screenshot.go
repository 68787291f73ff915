package game

import (
	"image"
	"image/png"
	"os"
)

// WritePNG writes img to path as a PNG. PNG stores straight alpha; the
// encoder converts from premultiplied.
func WritePNG(path string, img image.Image) error {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(out, img); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
