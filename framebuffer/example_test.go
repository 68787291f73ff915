package framebuffer_test

import (
	"fmt"

	"github.com/ebicart/ebicart/framebuffer"
)

// A cart's memory holding the classic two-pixel image: red and dark grey
// Color{r, g, b} structs, described as a 2x1 RGB888 frame.
func Example() {
	mem := make([]byte, 64)
	copy(mem[32:], []byte{255, 0, 0, 60, 70, 90})
	framebuffer.Descriptor{Format: framebuffer.RGB888, Width: 2, Height: 1, Pixels: 32}.Encode(mem[0:])

	d, err := framebuffer.ReadDescriptor(mem, 0)
	if err != nil {
		panic(err)
	}
	var p framebuffer.Packer
	rgba, err := p.Frame(mem, d)
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Format, d.Width, d.Height, rgba)
	// Output: RGB888 2 1 [255 0 0 255 60 70 90 255]
}

// Validation names the field at fault and its numbers.
func ExampleDescriptor_Validate() {
	d := framebuffer.Descriptor{Format: framebuffer.RGBA8888Premultiplied, Width: 320, Height: 144, Pixels: 0x10000}
	fmt.Println(d.Validate(65536))
	// Output: framebuffer: pixels 0x10000+184320 bytes end past memory size 65536: keep the pixels, height rows of stride bytes, in memory
}

// Indexed2 packs four pixels per byte, leftmost in the low bits.
func ExamplePacker_Frame() {
	mem := make([]byte, 64)
	mem[32] = 0b11_10_01_00                                                                           // pixels 0, 1, 2, 3
	pal := []byte{0x00, 0x00, 0x00, 0, 0x00, 0x00, 0xff, 0, 0x00, 0xff, 0x00, 0, 0xff, 0x00, 0x00, 0} // black, red, green, blue
	copy(mem[40:], pal)
	d := framebuffer.Descriptor{Format: framebuffer.Indexed2, Width: 4, Height: 1, Pixels: 32, Palette: 40}
	var p framebuffer.Packer
	rgba, _ := p.Frame(mem, d)
	fmt.Println(rgba)
	// Output: [0 0 0 255 255 0 0 255 0 255 0 255 0 0 255 255]
}
