//go:build wasip1

// A minimal ebicart cart in Go: a 160x120 frame in a Go array, a square
// moved by the arrow keys. See the README for the ABI in short.
package main

import "unsafe"

const (
	width  = 160
	height = 120

	formatRGBA8888 = 1 // premultiplied RGBA: bytes R, G, B, A

	buttonLeft, buttonRight, buttonUp, buttonDown, buttonA = 1 << 0, 1 << 1, 1 << 2, 1 << 3, 1 << 4
)

var (
	pixels [width * height]uint32 // R | G<<8 | B<<16 | A<<24
	desc   [8]uint32              // format, width, height, stride, pixels, palette, 0, 0
	input  [8]uint32              // buttons, mouse x, mouse y, mouse buttons, frame, wheel x, wheel y, 0
	x, y   = 76, 56
)

func rgb(r, g, b uint32) uint32 { return r | g<<8 | b<<16 | 0xff<<24 }

func addr[T any](p *T) uint32 { return uint32(uintptr(unsafe.Pointer(p))) }

//go:wasmexport framebuffer
func framebuffer() uint32 { return addr(&desc) }

//go:wasmexport input
func inputBlock() uint32 { return addr(&input) }

//go:wasmexport start
func start() {
	desc = [8]uint32{formatRGBA8888, width, height, 0, addr(&pixels[0]), 0, 0, 0}
	draw()
}

//go:wasmexport update
func update() {
	b := input[0]
	if b&buttonLeft != 0 && x > 0 {
		x--
	}
	if b&buttonRight != 0 && x < width-8 {
		x++
	}
	if b&buttonUp != 0 && y > 0 {
		y--
	}
	if b&buttonDown != 0 && y < height-8 {
		y++
	}
	draw()
}

func draw() {
	for i := range pixels {
		pixels[i] = rgb(0x20, 0x30, 0x50)
	}
	c := rgb(0xff, 0xd0, 0x40)
	if input[0]&buttonA != 0 {
		c = rgb(0x40, 0xff, 0x80)
	}
	for dy := range 8 {
		for dx := range 8 {
			pixels[(y+dy)*width+x+dx] = c
		}
	}
}

func main() {}
