//go:build !js

package game

import (
	"fmt"
	"image"
	"image/png"

	"github.com/ebicart/ebicart/cart"
	"github.com/ebicart/ebicart/internal/outfile"
)

// WritePNG writes img to path as a PNG. PNG stores straight alpha; the
// encoder converts from premultiplied.
func WritePNG(path string, img image.Image) error {
	out, err := outfile.Create(path) // a named pipe no one reads fails, not hangs
	if err != nil {
		return err
	}
	if err := png.Encode(out, img); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// writeScreenshot writes the cart's frame to path as a PNG (-screenshot).
func writeScreenshot(c *cart.Cart, path string) error {
	img, err := c.Snapshot()
	if err != nil {
		return err
	}
	if err := WritePNG(path, img); err != nil {
		return fmt.Errorf("game: screenshot: %w", err)
	}
	return nil
}
