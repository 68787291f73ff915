//go:build !js

package game

import (
	"bytes"
	"fmt"
	"image"
	"image/png"

	"github.com/ebicart/ebicart/cart"
	"github.com/ebicart/ebicart/internal/outfile"
)

// WritePNG writes img to path as a PNG, whole or not at all (a file
// already there is kept if the write fails). PNG stores straight alpha;
// the encoder converts from premultiplied.
func WritePNG(path string, img image.Image) error {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return err
	}
	return outfile.WriteFile(path, b.Bytes()) // a named pipe no one reads fails, not hangs
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
