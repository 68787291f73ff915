// Package testcarts describes the format test carts built from
// examples/formats/formats.c, for tests: where they are and, computed here
// independently of the host's packing code, the frame each must show.
package testcarts

import (
	"image"
	"image/color"
	"path/filepath"
	"runtime"
)

// Size of every format cart's frame.
const (
	Width  = 61
	Height = 37
)

// Cart is one format test cart.
type Cart struct {
	Format int    // the ABI format number it draws in
	Name   string // file name without .wasm
}

// Carts lists the format carts in ABI order.
var Carts = []Cart{
	{1, "rgba8888p"}, {2, "rgba8888"}, {3, "rgb888"}, {4, "xrgb8888"},
	{5, "rgb565"}, {6, "indexed8"}, {7, "indexed2"},
}

// Root is the repository's root directory.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Path returns the cart's .wasm path.
func (c Cart) Path() string { return filepath.Join(Root(), "examples", "formats", c.Name+".wasm") }

// SeedPath is the path of the Rust seed cart.
func SeedPath() string { return filepath.Join(Root(), "assets", "carts", "seed.wasm") }

// GuestTestdata returns the path of a WAT test cart of package guest.
func GuestTestdata(name string) string {
	return filepath.Join(Root(), "guest", "testdata", name+".wasm")
}

// The pattern of formats.c.
func patR(x, y int) uint8 { return uint8(x*4 + y) }
func patG(x, y int) uint8 { return uint8(y*6 + x) }
func patB(x, y int) uint8 { return uint8(x * y) }
func patA(x, y int) uint8 {
	switch x {
	case 0:
		return 0
	case 1:
		return 255
	}
	return uint8((x + y*3) * 5)
}

func pal8(i int) uint32 {
	switch i {
	case 0:
		return 0
	case 255:
		return 0xffffff
	}
	return uint32((i*3)&0xff)<<16 | uint32(255-i)<<8 | uint32((i*i)&0xff)
}

var pal2 = [4]uint32{0xe0f8cf, 0x86c06c, 0x306850, 0x071821}

func mul(c, a uint8) uint8 { return uint8((int(c)*int(a)*2 + 255) / 510) }

func fromPalette(c uint32) color.RGBA {
	return color.RGBA{uint8(c >> 16), uint8(c >> 8), uint8(c), 255}
}

// Pixel returns the premultiplied colour the host must show at (x, y) for
// the given format.
func Pixel(format, x, y int) color.RGBA {
	r, g, b, a := patR(x, y), patG(x, y), patB(x, y), patA(x, y)
	switch format {
	case 1, 2:
		return color.RGBA{mul(r, a), mul(g, a), mul(b, a), a}
	case 3, 4:
		return color.RGBA{r, g, b, 255}
	case 5:
		r5, g6, b5 := r>>3, g>>2, b>>3
		return color.RGBA{r5<<3 | r5>>2, g6<<2 | g6>>4, b5<<3 | b5>>2, 255}
	case 6:
		return fromPalette(pal8((x + y*Width) & 0xff))
	case 7:
		return fromPalette(pal2[(x+y)&3])
	}
	panic("testcarts: unknown format")
}

// Over composites the premultiplied colour c over the opaque colour under,
// as a screen shows a translucent pixel drawn over it.
func Over(c, under color.RGBA) color.RGBA {
	k := 255 - int(c.A)
	f := func(src, dst uint8) uint8 { return uint8(int(src) + (int(dst)*k+127)/255) }
	return color.RGBA{f(c.R, under.R), f(c.G, under.G), f(c.B, under.B), 255}
}

// Near reports whether a and b differ by at most tol in each of red, green
// and blue: blending on a GPU may round differently from Over.
func Near(a, b color.RGBA, tol int) bool {
	d := func(x, y uint8) bool { return int(x)-int(y) <= tol && int(y)-int(x) <= tol }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B)
}

// Image returns the whole frame the format cart must show.
func Image(format int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, Width, Height))
	for y := range Height {
		for x := range Width {
			img.SetRGBA(x, y, Pixel(format, x, y))
		}
	}
	return img
}
