package game

import (
	"image"
	"image/color"
	"math"
	"sync"

	"github.com/hajimehoshi/ebiten/v2"
)

// The game's few shapes (the prompt's boxes, the touch controls) are
// textures scaled and tinted, made once: Ebitengine's vector package would
// add 0.15 MB to the browser's download for rectangles and circles.

// whitePixel is a 1x1 white texture, scaled to fill rectangles.
var whitePixel = sync.OnceValue(func() *ebiten.Image {
	img := ebiten.NewImage(1, 1)
	img.Fill(color.White)
	return img
})

// discRadius is the radius of the disc texture, in its pixels: large
// enough that a thumb-sized button drawn from it stays smooth.
const discRadius = 64

// disc is a white disc with a soft edge, scaled to draw circles.
var disc = sync.OnceValue(func() *ebiten.Image {
	const n = 2 * discRadius
	img := image.NewRGBA(image.Rect(0, 0, n, n))
	for y := range n {
		for x := range n {
			d := math.Hypot(float64(x)+0.5-discRadius, float64(y)+0.5-discRadius)
			a := uint8(255 * min(1, max(0, discRadius-d))) // 1 px of edge
			i := img.PixOffset(x, y)
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = a, a, a, a
		}
	}
	return imageOf(img)
})

// imageOf is ebiten.NewImageFromImage(img) without its fallback for image
// types it does not convert itself, which links image/draw: 118 KB of the
// browser's host for two textures made once.
func imageOf(img image.Image) *ebiten.Image {
	r := img.Bounds()
	pix := make([]byte, 0, 4*r.Dx()*r.Dy())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA) // premultiplied
			pix = append(pix, c.R, c.G, c.B, c.A)
		}
	}
	out := ebiten.NewImage(r.Dx(), r.Dy())
	out.WritePixels(pix)
	return out
}

// fillRect blends c over the rectangle (x, y, w, h) of dst.
func fillRect(dst *ebiten.Image, x, y, w, h float64, c color.Color) {
	var op ebiten.DrawImageOptions
	op.GeoM.Scale(w, h)
	op.GeoM.Translate(x, y)
	op.ColorScale.ScaleWithColor(c)
	dst.DrawImage(whitePixel(), &op)
}

// fillCircle blends c over the disc of radius r centred on (cx, cy).
func fillCircle(dst *ebiten.Image, cx, cy, r float64, c color.Color) {
	var op ebiten.DrawImageOptions
	op.GeoM.Scale(r/discRadius, r/discRadius)
	op.GeoM.Translate(cx-r, cy-r)
	op.ColorScale.ScaleWithColor(c)
	op.Filter = ebiten.FilterLinear
	dst.DrawImage(disc(), &op)
}
